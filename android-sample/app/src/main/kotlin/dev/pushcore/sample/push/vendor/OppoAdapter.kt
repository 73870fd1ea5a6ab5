package dev.pushcore.sample.push.vendor

import android.app.NotificationChannel
import android.app.NotificationManager
import android.content.Context
import android.os.Build
import com.heytap.msp.push.HeytapPushManager
import com.heytap.msp.push.callback.ICallBackResultService
import dev.pushcore.PushChannel
import dev.pushcore.VendorCredentials
import dev.pushcore.sample.push.TokenBridge
import dev.pushcore.sample.push.VendorAdapter
import dev.pushcore.sample.push.require

/**
 * OPPO / realme / OnePlus (Heytap push). SDK: com.heytap.msp_*.aar in
 * app/libs (with Gson and commons-codec). Keys: app key and app secret from
 * `channels.oppo` in the PushCore config. On Android 8+ OPPO shows nothing
 * unless the notification channel named by `channels.oppo.channel_id` is
 * registered in the OPPO console AND created by the app, which
 * [requestToken] does. The callback signature below is the SDK 3.4+ one.
 */
class OppoAdapter : VendorAdapter {
    override val channel = PushChannel.OPPO

    override fun isSupported(context: Context): Boolean {
        HeytapPushManager.init(context, false)
        return HeytapPushManager.isSupportPush(context)
    }

    override suspend fun requestToken(context: Context, credentials: VendorCredentials): String {
        credentials.channelId?.let { createChannel(context, it) }
        val token = TokenBridge.expect(channel)
        HeytapPushManager.register(
            context,
            credentials.require(credentials.appKey, "app_key", channel),
            credentials.require(credentials.appSecret, "app_secret", channel),
            Callback,
        )
        return token.await()
    }

    override suspend fun unregister(context: Context) = HeytapPushManager.unRegister()

    private fun createChannel(context: Context, id: String) {
        if (Build.VERSION.SDK_INT < Build.VERSION_CODES.O) return
        val manager = context.getSystemService(NotificationManager::class.java)
        manager.createNotificationChannel(NotificationChannel(id, "Messages", NotificationManager.IMPORTANCE_HIGH))
    }

    private object Callback : ICallBackResultService {
        override fun onRegister(code: Int, registerId: String?, packageName: String?, miniPackageName: String?) {
            if (code == 0 && !registerId.isNullOrBlank()) {
                TokenBridge.deliver(PushChannel.OPPO, registerId)
            } else {
                TokenBridge.fail(PushChannel.OPPO, "OPPO register failed: $code")
            }
        }

        override fun onUnRegister(code: Int, packageName: String?, miniPackageName: String?) = Unit
        override fun onSetPushTime(code: Int, result: String?) = Unit
        override fun onGetPushStatus(code: Int, status: Int) = Unit
        override fun onGetNotificationStatus(code: Int, status: Int) = Unit
        override fun onError(code: Int, message: String?, packageName: String?, miniPackageName: String?) {
            TokenBridge.fail(PushChannel.OPPO, "OPPO push error: $code $message")
        }
    }
}
