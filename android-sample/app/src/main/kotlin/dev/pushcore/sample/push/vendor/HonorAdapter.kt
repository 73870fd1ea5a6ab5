package dev.pushcore.sample.push.vendor

import android.content.Context
import com.hihonor.push.sdk.HonorMessageService
import com.hihonor.push.sdk.HonorPushCallback
import com.hihonor.push.sdk.HonorPushClient
import dev.pushcore.PushChannel
import dev.pushcore.PushException
import dev.pushcore.VendorCredentials
import dev.pushcore.sample.push.TokenBridge
import dev.pushcore.sample.push.VendorAdapter
import kotlinx.coroutines.suspendCancellableCoroutine
import kotlin.coroutines.resume
import kotlin.coroutines.resumeWithException

/**
 * Honor Push (MagicUI 4.0+; older Honor phones use HMS, which the core's
 * device rules handle). SDK: `com.hihonor.mcs:push` from Honor's Maven
 * repository. Keys: the app id in the `HONOR_APPID` manifest placeholder
 * (meta-data `com.hihonor.push.app_id`). Token: `getPushToken`; refreshes
 * arrive in [HonorService.onNewToken].
 */
class HonorAdapter : VendorAdapter {
    override val channel = PushChannel.HONOR

    override fun isSupported(context: Context): Boolean? {
        HonorPushClient.getInstance().init(context, true)
        return HonorPushClient.getInstance().checkSupportHonorPush(context)
    }

    override suspend fun requestToken(context: Context, credentials: VendorCredentials): String =
        suspendCancellableCoroutine { cont ->
            HonorPushClient.getInstance().getPushToken(object : HonorPushCallback<String> {
                override fun onSuccess(token: String?) {
                    if (token.isNullOrBlank()) {
                        cont.resumeWithException(PushException.Platform("Honor returned an empty token"))
                    } else {
                        cont.resume(token)
                    }
                }

                override fun onFailure(code: Int, message: String?) {
                    cont.resumeWithException(PushException.Platform("Honor push token failed: $code $message"))
                }
            })
        }

    override suspend fun unregister(context: Context) = suspendCancellableCoroutine { cont ->
        HonorPushClient.getInstance().deletePushToken(object : HonorPushCallback<Void> {
            override fun onSuccess(result: Void?) = cont.resume(Unit)
            override fun onFailure(code: Int, message: String?) =
                cont.resumeWithException(PushException.Platform("Honor delete token failed: $code $message"))
        })
    }
}

class HonorService : HonorMessageService() {
    override fun onNewToken(token: String?) {
        TokenBridge.deliver(PushChannel.HONOR, token.orEmpty())
    }
}
