package dev.pushcore.sample.push.vendor

import android.content.Context
import com.google.android.gms.common.ConnectionResult
import com.google.android.gms.common.GoogleApiAvailability
import com.google.firebase.messaging.FirebaseMessaging
import com.google.firebase.messaging.FirebaseMessagingService
import com.google.firebase.messaging.RemoteMessage
import dev.pushcore.PushChannel
import dev.pushcore.VendorCredentials
import dev.pushcore.sample.SampleApp
import dev.pushcore.sample.push.TokenBridge
import dev.pushcore.sample.push.VendorAdapter
import kotlinx.coroutines.tasks.await

/**
 * Google FCM, the fallback wherever Play services exist. SDK:
 * `com.google.firebase:firebase-messaging`, the `com.google.gms.google-services`
 * plugin and app/google-services.json (no manifest placeholder). Availability:
 * the `playServicesAvailable` device fact. Notification messages shown by the
 * system should carry `click_action = dev.pushcore.sample.OPEN_PUSH` so their
 * taps reach PushTapActivity; data messages are posted by [FcmService].
 */
class FcmAdapter : VendorAdapter {
    override val channel = PushChannel.FCM

    override fun isSupported(context: Context): Boolean? = null

    override fun servicesAvailable(context: Context): Boolean =
        GoogleApiAvailability.getInstance().isGooglePlayServicesAvailable(context) == ConnectionResult.SUCCESS

    override suspend fun requestToken(context: Context, credentials: VendorCredentials): String =
        FirebaseMessaging.getInstance().token.await()

    override suspend fun unregister(context: Context) {
        FirebaseMessaging.getInstance().deleteToken().await()
    }
}

class FcmService : FirebaseMessagingService() {
    override fun onNewToken(token: String) {
        TokenBridge.deliver(PushChannel.FCM, token)
    }

    /** Data messages: this app posts the notification itself, once per message. */
    override fun onMessageReceived(message: RemoteMessage) {
        if (message.data.isEmpty()) return
        val data = message.data.toMutableMap()
        message.messageId?.let { data["google.message_id"] = it }
        SampleApp.from(this).poster.post(data, source = "fcm-data")
    }
}
