package dev.pushcore.sample.notify

import android.content.Context
import android.util.Log
import androidx.core.app.NotificationManagerCompat
import dev.pushcore.LedgerChange
import dev.pushcore.PushCore
import dev.pushcore.PushException

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
 */
class LedgerEffects(
    private val context: Context,
    private val core: PushCore,
    val badges: BadgeAdapter,
) {
    fun onMessageRecalled(messageId: String) = apply("recall") { core.onMessageRecalled(messageId) }

    fun onConversationRead(conversationId: String, readUpToMs: Long) =
        apply("read") { core.onConversationRead(conversationId, readUpToMs) }

    /** From the notification's delete intent (a swipe-away). */
    fun onDismissed(tag: String, id: Int) =
        apply("dismiss") { core.onNotificationDismissed(dev.pushcore.NotificationHandle(tag, id)) }

    /** A decision's or a tap's badge; null (ledger unavailable) keeps the current one. */
    fun setBadge(badge: UInt?) {
        if (badge != null) badges.apply(context, badge.toInt())
    }

    private fun apply(what: String, call: () -> LedgerChange) {
        val change = try {
            call()
        } catch (e: PushException) {
            Log.w("PushLedger", "$what not applied: ${e.message}")
            return
        }
        val manager = NotificationManagerCompat.from(context)
        change.remove.forEach { manager.cancel(it.tag, it.id) }
        badges.apply(context, change.badge.toInt())
    }
}
