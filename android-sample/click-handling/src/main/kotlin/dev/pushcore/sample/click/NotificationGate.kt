package dev.pushcore.sample.click

import dev.pushcore.ClickInputs
import dev.pushcore.DedupOutcome
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
        // One call: parse, display dedup, the key to post under, the route.
        // (An app holding a FastCalls would call handleReceivedAndroid.)
        val outcome = try {
            core.handleReceived(ClickInputs.android(data, channelHint = channel), source)
        } catch (e: PushException) {
            log("not posting an unusable message (${e.message})")
            return null
        }
        when (val dedup = outcome.dedup) {
            is DedupOutcome.Duplicate -> {
                log("already shown via ${dedup.source}; not posting again")
                return null
            }
            // Without the store a duplicate may show twice; losing a message would be worse.
            null -> log("display dedup unavailable; posting")
            DedupOutcome.Fresh -> {}
        }
        val notification = outcome.notification
        return OwnNotification(
            dedupKey = outcome.dedupKey,
            requestCode = RequestCodes.of(outcome.dedupKey),
            title = notification.title ?: notification.nickname ?: notification.sender ?: "",
            body = notification.body ?: notification.content ?: "",
            screen = ClickHandler.screenFor(outcome.route, notification),
            tapExtras = data,
        )
    }
}
