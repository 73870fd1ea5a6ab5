package dev.pushcore.sample.push.vendor

import android.content.Context
import com.vivo.push.PushClient
import com.vivo.push.listener.IPushQueryActionListener
import com.vivo.push.model.UPSNotificationMessage
import com.vivo.push.sdk.OpenClientPushMessageReceiver
import dev.pushcore.PushChannel
import dev.pushcore.PushException
import dev.pushcore.VendorCredentials
import dev.pushcore.sample.push.TokenBridge
import dev.pushcore.sample.push.VendorAdapter
import kotlinx.coroutines.suspendCancellableCoroutine
import kotlin.coroutines.resume
import kotlin.coroutines.resumeWithException
import com.vivo.push.PushConfig as VivoPushConfig

/**
 * vivo / iQOO. SDK: vivo_pushSDK_*.aar in app/libs. Keys: app id and app key
 * in the `VIVO_APPID` / `VIVO_APPKEY` manifest placeholders (meta-data
 * `com.vivo.push.app_id` / `com.vivo.push.api_key`); without them the app
 * does not build. `isSupport` false (state 101) means no vivo push here.
 * Newer SDKs dropped the click callback: taps reach PushTapActivity with
 * the `ext` extra.
 */
class VivoAdapter : VendorAdapter {
    override val channel = PushChannel.VIVO

    override fun isSupported(context: Context): Boolean {
        initialize(context)
        return PushClient.getInstance(context).isSupport
    }

    override suspend fun requestToken(context: Context, credentials: VendorCredentials): String {
        initialize(context)
        turnOn(context)
        return suspendCancellableCoroutine { cont ->
            PushClient.getInstance(context).getRegId(object : IPushQueryActionListener {
                override fun onSuccess(regId: String?) {
                    if (regId.isNullOrBlank()) {
                        cont.resumeWithException(PushException.Platform("vivo returned an empty reg id"))
                    } else {
                        cont.resume(regId)
                    }
                }

                override fun onFail(code: Int?) {
                    cont.resumeWithException(PushException.Platform("vivo getRegId failed: $code"))
                }
            })
        }
    }

    override suspend fun unregister(context: Context) = suspendCancellableCoroutine { cont ->
        PushClient.getInstance(context).turnOffPush { state ->
            if (state == 0) {
                cont.resume(Unit)
            } else {
                cont.resumeWithException(PushException.Platform("vivo turnOffPush failed: $state"))
            }
        }
    }

    private suspend fun turnOn(context: Context) = suspendCancellableCoroutine { cont ->
        PushClient.getInstance(context).turnOnPush { state ->
            if (state == 0) {
                cont.resume(Unit)
            } else {
                cont.resumeWithException(PushException.Platform("vivo turnOnPush failed: $state"))
            }
        }
    }

    /** The privacy-agreement flag is required from SDK 3.0.0.7; the sample asks before login. */
    private fun initialize(context: Context) {
        PushClient.getInstance(context).initialize(VivoPushConfig.Builder().agreePrivacyStatement(true).build())
    }
}

/** Reg id refreshes. */
class VivoPushReceiver : OpenClientPushMessageReceiver() {
    override fun onReceiveRegId(context: Context?, regId: String?) {
        TokenBridge.deliver(PushChannel.VIVO, regId.orEmpty())
    }

    override fun onNotificationMessageClicked(context: Context?, message: UPSNotificationMessage?) = Unit
}
