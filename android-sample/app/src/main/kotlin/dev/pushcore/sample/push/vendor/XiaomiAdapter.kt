package dev.pushcore.sample.push.vendor

import android.content.Context
import android.util.Log
import com.xiaomi.mipush.sdk.ErrorCode
import com.xiaomi.mipush.sdk.MiPushClient
import com.xiaomi.mipush.sdk.MiPushCommandMessage
import com.xiaomi.mipush.sdk.MiPushMessage
import com.xiaomi.mipush.sdk.PushMessageReceiver
import dev.pushcore.PushChannel
import dev.pushcore.VendorCredentials
import dev.pushcore.sample.push.TokenBridge
import dev.pushcore.sample.push.VendorAdapter
import dev.pushcore.sample.push.require

/**
 * Xiaomi MiPush. SDK: MiPush_SDK_Client_*.aar in app/libs. Keys: app id and
 * app key from `channels.xiaomi` in the PushCore config (passed in code, no
 * manifest placeholder). Token: the reg id, delivered to [XiaomiPushReceiver].
 */
class XiaomiAdapter : VendorAdapter {
    override val channel = PushChannel.XIAOMI

    // MiPush runs on any device; the core prefers it on Xiaomi devices only.
    override fun isSupported(context: Context): Boolean? = null

    override suspend fun requestToken(context: Context, credentials: VendorCredentials): String {
        MiPushClient.getRegId(context)?.takeIf { it.isNotBlank() }?.let { return it }
        val token = TokenBridge.expect(channel)
        MiPushClient.registerPush(
            context,
            credentials.require(credentials.appId, "app_id", channel),
            credentials.require(credentials.appKey, "app_key", channel),
        )
        return token.await()
    }

    override suspend fun unregister(context: Context) = MiPushClient.unregisterPush(context)
}

/**
 * Registration results. Notification taps do not go through here: on Android
 * 12+ a receiver may not start an activity for a notification tap, so the
 * IM console sends Xiaomi pushes with an intent_uri that opens PushTapActivity
 * directly, which then finds the MiPushMessage in the `key_message` extra.
 */
class XiaomiPushReceiver : PushMessageReceiver() {
    override fun onReceiveRegisterResult(context: Context, message: MiPushCommandMessage) {
        if (message.command != MiPushClient.COMMAND_REGISTER) return
        if (message.resultCode == ErrorCode.SUCCESS.toLong()) {
            TokenBridge.deliver(PushChannel.XIAOMI, message.commandArguments?.firstOrNull().orEmpty())
        } else {
            TokenBridge.fail(PushChannel.XIAOMI, "MiPush register failed: ${message.resultCode} ${message.reason}")
        }
    }

    override fun onNotificationMessageClicked(context: Context, message: MiPushMessage) {
        Log.i("XiaomiPush", "click callback for ${message.messageId}; handled by PushTapActivity")
    }
}
