package dev.pushcore.sample.notify

import android.content.Context
import android.util.Log
import androidx.core.app.NotificationManagerCompat
import dev.pushcore.ConversationChange
import dev.pushcore.PushCore
import dev.pushcore.PushException
import dev.pushcore.QuietHours
import dev.pushcore.QuietHoursPolicy

/**
 * Carries out what the core's notification ledger answers: cancels
 * notifications by the tag and id they were posted under, and sets the
 * badge through this device's [BadgeAdapter]. The IM SDK's callbacks call
 * in here: a recall (Tencent Cloud Chat: `V2TIMAdvancedMsgListener.onRecvMessageRevoked`)
 * and a conversation read on another device (`onConversationChanged` with
 * the unread count dropping to 0, or a read receipt with its timestamp).
 *
 * `cancel(tag, id)` reaches only notifications this app posted; ones the
 * vendor's service posted (Huawei, Honor, OPPO, vivo, Xiaomi notification
 * messages) need the vendor's own clear call where one exists
 * (docs/notifications.md).
 *
 * The sample posts one notification per conversation, so it calls the
 * `_grouped` twins: each answers the per-message change (cancelled too, for
 * notifications posted before a conversation id was known) and the
 * conversation update (re-post with the remaining lines, cancel an empty
 * conversation, the summary).
 */
class LedgerEffects(
    private val context: Context,
    private val core: PushCore,
    val badges: BadgeAdapter,
    val conversations: ConversationNotifications = ConversationNotifications(context),
) {
    fun onMessageRecalled(messageId: String) = apply("recall") { core.onMessageRecalledGrouped(messageId) }

    fun onConversationRead(conversationId: String, readUpToMs: Long) =
        apply("read") { core.onConversationReadGrouped(conversationId, readUpToMs) }

    /** From the notification's delete intent (a swipe-away of a message's or a whole conversation's). */
    fun onDismissed(tag: String, id: Int) =
        apply("dismiss") { core.onNotificationDismissedGrouped(dev.pushcore.NotificationHandle(tag, id)) }

    /** The chat screen's mute switch: `untilMs` null mutes until unmuted, a past time unmutes. */
    fun setMuted(conversationId: String, untilMs: Long?) = settle("mute") { core.setConversationMuted(conversationId, untilMs) }

    /**
     * Settings' quiet hours (minutes after local midnight) in the device's
     * zone; the core follows its DST changes. Calls still ring.
     */
    fun setQuietHours(startMinute: Int, endMinute: Int, zone: String = java.util.TimeZone.getDefault().id) =
        settle("quiet hours") {
            core.setQuietHours(QuietHours(startMinute.toUInt(), endMinute.toUInt(), zone, QuietHoursPolicy.SHOW_SILENTLY))
        }

    fun clearQuietHours() = settle("quiet hours") { core.clearQuietHours() }

    /** A decision's or a tap's badge; null (ledger unavailable) keeps the current one. */
    fun setBadge(badge: UInt?) {
        if (badge != null) badges.apply(context, badge.toInt())
    }

    private fun apply(what: String, call: () -> ConversationChange) {
        val answer = try {
            call()
        } catch (e: PushException) {
            Log.w("PushLedger", "$what not applied: ${e.message}")
            return
        }
        val manager = NotificationManagerCompat.from(context)
        answer.change.remove.forEach { manager.cancel(it.tag, it.id) }
        conversations.apply(answer.conversations, alert = false)
        badges.apply(context, answer.change.badge.toInt())
    }

    /** A setting: false (logged) when the core refused it. */
    private fun settle(what: String, call: () -> Unit): Boolean = try {
        call()
        true
    } catch (e: PushException) {
        Log.w("PushLedger", "$what not stored: ${e.message}")
        false
    }
}
