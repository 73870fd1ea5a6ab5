package dev.pushcore.sample.click

import dev.pushcore.DedupKind
import dev.pushcore.DedupOutcome
import dev.pushcore.FastCalls
import dev.pushcore.PushChannel
import dev.pushcore.PushCore
import dev.pushcore.PushException

/** A notification the app is about to post, with what its tap will carry. */
data class OwnNotification(
    val dedupKey: String,
    /** PendingIntent request code and notification id; unique per message. */
    val requestCode: Int,
    val title: String,
    val body: String,
    val screen: Screen,
    /** The payload, put back as the tap intent's extras so taps of posted and
     * of vendor-shown notifications take the same path. */
    val tapExtras: Map<String, String>,
)

/**
 * Decides whether a message the app received itself (an FCM data message,
 * a vendor pass-through message, or one from the IM connection) should be
 * posted: the same message arriving on two paths is shown once.
 */
class NotificationGate(
    private val core: PushCore,
    private val log: (String) -> Unit = {},
) {
    /** Null when the message was already shown or carries no usable payload. */
    fun admit(data: Map<String, String>, source: String, channel: PushChannel = PushChannel.FCM): OwnNotification? {
        val notification = try {
            // The payload as a map, straight to the core (no JSON text).
            FastCalls.parseAndroidTap(data, channelHint = channel)
        } catch (e: PushException) {
            log("not posting an unusable message (${e.message})")
            return null
        }
        val key = ClickHandler.dedupKeyOf(notification)
        val outcome = try {
            core.checkAndMark(key, DedupKind.DISPLAYED, source)
        } catch (e: PushException) {
            // Without the store a duplicate may show twice; losing a message would be worse.
            log("display dedup unavailable: ${e.message}")
            DedupOutcome.Fresh
        }
        if (outcome is DedupOutcome.Duplicate) {
            log("already shown via ${outcome.source}; not posting again")
            return null
        }
        val route = core.route(notification)
        return OwnNotification(
            dedupKey = key,
            requestCode = RequestCodes.of(key),
            title = notification.title ?: notification.nickname ?: notification.sender,
            body = notification.body ?: notification.content ?: "",
            screen = ClickHandler.screenFor(route, notification),
            tapExtras = data,
        )
    }
}
