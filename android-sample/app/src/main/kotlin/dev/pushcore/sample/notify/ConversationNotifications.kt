package dev.pushcore.sample.notify

import android.app.NotificationChannel
import android.app.NotificationManager
import android.app.PendingIntent
import android.content.Context
import android.content.Intent
import android.os.Build
import androidx.core.app.NotificationCompat
import androidx.core.app.NotificationManagerCompat
import androidx.core.app.Person
import androidx.core.content.pm.ShortcutInfoCompat
import androidx.core.content.pm.ShortcutManagerCompat
import dev.pushcore.ConversationNotification
import dev.pushcore.ConversationUpdate
import dev.pushcore.sample.ui.ChatActivity

/**
 * One notification per conversation, as the core answers it
 * ([ConversationUpdate]): a `MessagingStyle` with a [Person] per sender and
 * the conversation's last lines (oldest first), posted under the
 * conversation's handle so a new message replaces it in place, in one group
 * with a summary when more than one conversation is shown, and tied to a
 * long-lived conversation shortcut so Android 11+ lists it in the
 * conversation section.
 *
 * A re-post after a recall or read keeps the content intent the
 * conversation's notification already had (the last message's tap) and
 * does not alert again.
 */
class ConversationNotifications(private val context: Context) {
    private val manager get() = NotificationManagerCompat.from(context)

    /**
     * Applies [update]: posts each conversation in `post` (with [tap] when
     * given, else the intent its notification already has), cancels each in
     * `remove`, and posts or cancels the group summary.
     */
    @Suppress("MissingPermission") // callers check POST_NOTIFICATIONS
    fun apply(update: ConversationUpdate, tap: PendingIntent? = null, title: String? = null, silent: Boolean = false, alert: Boolean = true) {
        ensureChannels()
        for (conversation in update.post) {
            val handle = conversation.handle
            val intent = tap ?: existingIntent(handle.tag, handle.id)
            manager.notify(handle.tag, handle.id, build(conversation, intent, title, silent, alert))
        }
        update.remove.forEach { manager.cancel(it.tag, it.id) }
        val summary = update.summary
        if (summary == null) {
            manager.cancel(update.summaryHandle.tag, update.summaryHandle.id)
        } else {
            val text = "${summary.unreadCount} messages in ${summary.conversationCount} chats"
            val built = NotificationCompat.Builder(context, channel(silent = true))
                .setSmallIcon(android.R.drawable.stat_notify_chat)
                .setContentTitle(text)
                .setStyle(NotificationCompat.InboxStyle().setSummaryText(text))
                .setGroup(summary.groupKey)
                .setGroupSummary(true)
                .setGroupAlertBehavior(NotificationCompat.GROUP_ALERT_CHILDREN)
                .setNumber(summary.unreadCount.toInt())
                .build()
            manager.notify(summary.handle.tag, summary.handle.id, built)
        }
    }

    private fun build(
        conversation: ConversationNotification,
        tap: PendingIntent?,
        title: String?,
        silent: Boolean,
        alert: Boolean,
    ): android.app.Notification {
        val me = Person.Builder().setName("Me").setKey("me").build()
        val isGroup = conversation.conversationId.startsWith("group_")
        val style = NotificationCompat.MessagingStyle(me).setGroupConversation(isGroup)
        if (isGroup) style.setConversationTitle(title ?: conversation.conversationId.removePrefix("group_"))
        val people = HashMap<String, Person>()
        for (line in conversation.lines) {
            val person = people.getOrPut(line.senderName) {
                Person.Builder().setName(line.senderName).setKey(line.senderName).build()
            }
            style.addMessage(NotificationCompat.MessagingStyle.Message(line.text, line.timeMs, person))
        }
        val last = conversation.lines.lastOrNull()
        val shortcutId = pushShortcut(conversation, last?.let { people[it.senderName] }, title)
        return NotificationCompat.Builder(context, channel(silent))
            .setSmallIcon(android.R.drawable.stat_notify_chat)
            .setContentTitle(title ?: last?.senderName ?: conversation.conversationId)
            .setContentText(last?.text ?: "")
            .setStyle(style)
            .setShortcutId(shortcutId)
            .setGroup(conversation.groupKey)
            .setCategory(NotificationCompat.CATEGORY_MESSAGE)
            .setNumber(conversation.unreadCount.toInt())
            .setAutoCancel(true)
            .setSilent(silent)
            // A re-post after a recall or read is an update, not news.
            .setOnlyAlertOnce(!alert)
            .apply { if (tap != null) setContentIntent(tap) }
            .build()
    }

    /**
     * The long-lived dynamic shortcut Android 11+ needs to list the
     * notification in the conversation section; its id is the conversation
     * id. Opens the chat (ChatActivity needs no export: the launcher starts
     * a shortcut with this app's identity).
     */
    private fun pushShortcut(conversation: ConversationNotification, sender: Person?, title: String?): String {
        val id = conversation.conversationId
        val open = Intent(context, ChatActivity::class.java)
            .setAction(Intent.ACTION_VIEW)
            .putExtra(ChatActivity.EXTRA_CONVERSATION, id)
        val shortcut = ShortcutInfoCompat.Builder(context, id)
            .setLongLived(true)
            .setShortLabel(title ?: sender?.name ?: id)
            .setIntent(open)
            .apply { if (sender != null && !id.startsWith("group_")) setPerson(sender) }
            .build()
        ShortcutManagerCompat.pushDynamicShortcut(context, shortcut)
        return id
    }

    /** The content intent of the conversation's notification already shown, if any. */
    private fun existingIntent(tag: String, id: Int): PendingIntent? =
        context.getSystemService(NotificationManager::class.java)
            .activeNotifications
            .firstOrNull { it.tag == tag && it.id == id }
            ?.notification
            ?.contentIntent

    private fun channel(silent: Boolean) = if (silent) QUIET_CHANNEL_ID else CHANNEL_ID

    private fun ensureChannels() {
        if (Build.VERSION.SDK_INT < Build.VERSION_CODES.O) return
        val system = context.getSystemService(NotificationManager::class.java)
        system.createNotificationChannel(NotificationChannel(CHANNEL_ID, "Messages", NotificationManager.IMPORTANCE_HIGH))
        system.createNotificationChannel(
            NotificationChannel(QUIET_CHANNEL_ID, "Messages in quiet hours", NotificationManager.IMPORTANCE_LOW),
        )
    }

    companion object {
        /** Matches `channels.fcm.channel_id` in the PushCore config. */
        const val CHANNEL_ID = "im_messages"
        /** Quiet hours (show-silently policy) and group summaries: no sound, no heads-up. */
        const val QUIET_CHANNEL_ID = "im_messages_quiet"
    }
}
