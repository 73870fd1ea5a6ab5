package dev.pushcore.sample.click

import dev.pushcore.ClickInputs
import dev.pushcore.ConversationUpdate
import dev.pushcore.PushChannel
import dev.pushcore.PushCore
import dev.pushcore.PushException
import dev.pushcore.ReceivedDecision

/** A notification the app is about to post, with what its tap will carry. */
data class OwnNotification(
    val dedupKey: String,
    /** Post with `notify(tag, id)`; recall and read answer the same pair to cancel. */
    val tag: String,
    val id: Int,
    /** The badge to set now; null when the ledger was unavailable (keep the current one). */
    val badge: UInt?,
    /** An update of a notification still shown: post it again under the same tag and id. */
    val replaces: Boolean,
    /**
     * The PendingIntent's request code: the notification id. Android treats
     * PendingIntents with the same component and request code as one, so a
     * shared code would let one notification overwrite another's extras or
     * open the wrong chat; the core's id is per message (a 31-bit digest of
     * its key, stable across processes).
     */
    val requestCode: Int,
    val title: String,
    val body: String,
    val screen: Screen,
    /** The payload, put back as the tap intent's extras so taps of posted and
     * of vendor-shown notifications take the same path. */
    val tapExtras: Map<String, String>,
    /**
     * The message's conversation notification (all its lines, under the
     * conversation's handle) and the group summary, when the message names
     * a conversation: the sample posts one notification per conversation.
     */
    val conversation: ConversationUpdate? = null,
    /** Quiet hours (show-silently policy): post without sound, vibration or heads-up. */
    val silent: Boolean = false,
)

/**
 * Decides whether a message the app received itself (an FCM data message,
 * a vendor pass-through message, or one from the IM connection) should be
 * posted: the same message arriving on two paths is shown once, a recalled
 * one never, nor one for another account or while nobody is logged in,
 * nor one of a muted chat (or in quiet hours with the suppress policy).
 */
class NotificationGate(
    private val core: PushCore,
    private val log: (String) -> Unit = {},
) {
    /** Null when the message is not to be shown (the core says why) or carries no usable payload. */
    fun admit(data: Map<String, String>, source: String, channel: PushChannel = PushChannel.FCM): OwnNotification? {
        // One call: parse, display dedup, the key to post under, the route.
        // (An app holding a FastCalls would call handleReceivedAndroid.)
        val outcome = try {
            core.handleReceived(ClickInputs.android(data, channelHint = channel), source)
        } catch (e: PushException) {
            log("not posting an unusable message (${e.message})")
            return null
        }
        val (handle, badge, replaces) = when (val decision = outcome.decision) {
            is ReceivedDecision.Suppress -> {
                log("not posting: ${decision.reason}")
                return null
            }
            // Without the store a duplicate may show twice (badge null); losing a message would be worse.
            is ReceivedDecision.Show -> Triple(decision.handle, decision.badge, false)
            is ReceivedDecision.Replace -> Triple(decision.handle, decision.badge, true)
        }
        val notification = outcome.notification
        return OwnNotification(
            dedupKey = outcome.dedupKey,
            tag = handle.tag,
            id = handle.id,
            badge = badge,
            replaces = replaces,
            requestCode = handle.id,
            title = notification.title ?: notification.nickname ?: notification.sender ?: "",
            body = notification.body ?: notification.content ?: "",
            screen = ClickHandler.screenFor(outcome.route, notification),
            tapExtras = data,
            conversation = outcome.conversation,
            silent = outcome.silent,
        )
    }
}
