package dev.pushcore.sample.notify

import android.Manifest
import android.app.NotificationChannel
import android.app.NotificationManager
import android.app.PendingIntent
import android.content.Context
import android.content.Intent
import android.content.pm.PackageManager
import android.os.Build
import androidx.core.app.NotificationCompat
import androidx.core.app.NotificationManagerCompat
import androidx.core.content.ContextCompat
import dev.pushcore.sample.click.NotificationGate
import dev.pushcore.sample.tap.PushTapActivity

/**
 * Posts the notifications the app builds itself (FCM data messages, vendor
 * pass-through messages, IM messages while backgrounded), each once:
 * [NotificationGate] asks the core first (shown already, recalled, another
 * account's, nobody logged in), and the core's answer names the tag and id
 * to post under (so a recall or a read can cancel it) and the badge.
 *
 * A message that names a conversation is posted as its conversation's one
 * notification ([ConversationNotifications]: MessagingStyle, a Person per
 * sender, the conversation's handle, a group summary, a long-lived
 * shortcut); one without (an app-defined payload) on its own. In quiet hours
 * with the show-silently policy it is posted silently; a muted chat's is
 * not posted (the core suppresses it).
 *
 * Each notification gets its own request code (its id), and its
 * PendingIntent is immutable and explicit: nobody can redirect it, and two
 * notifications never share one (push-facts.md section 10).
 */
class NotificationPoster(
    private val context: Context,
    private val gate: NotificationGate,
    private val ledger: LedgerEffects,
    private val conversations: ConversationNotifications = ledger.conversations,
) {
    fun post(data: Map<String, String>, source: String) {
        // Before the gate: a message the user could not see must not be
        // remembered as shown, or it would never be posted later.
        if (Build.VERSION.SDK_INT >= Build.VERSION_CODES.TIRAMISU &&
            ContextCompat.checkSelfPermission(context, Manifest.permission.POST_NOTIFICATIONS) != PackageManager.PERMISSION_GRANTED
        ) {
            return
        }
        val notification = gate.admit(data, source) ?: return
        ensureChannel()
        // The tap carries the same payload a vendor-shown notification would,
        // so both take the one path through PushTapActivity.
        val tap = Intent(context, PushTapActivity::class.java)
        notification.tapExtras.forEach { (k, v) -> tap.putExtra(k, v) }
        val update = notification.conversation
        if (update != null && update.post.isNotEmpty()) {
            // One request code per conversation: the conversation handle's id.
            val pending = PendingIntent.getActivity(
                context,
                update.post[0].handle.id,
                tap,
                PendingIntent.FLAG_IMMUTABLE or PendingIntent.FLAG_UPDATE_CURRENT,
            )
            conversations.apply(update, pending, title = null, silent = notification.silent)
            ledger.setBadge(notification.badge)
            return
        }
        val pending = PendingIntent.getActivity(
            context,
            notification.requestCode,
            tap,
            PendingIntent.FLAG_IMMUTABLE or PendingIntent.FLAG_UPDATE_CURRENT,
        )
        val built = NotificationCompat.Builder(context, CHANNEL_ID)
            .setSmallIcon(android.R.drawable.stat_notify_chat)
            .setContentTitle(notification.title)
            .setContentText(notification.body)
            .setAutoCancel(true)
            .setContentIntent(pending)
            .setCategory(NotificationCompat.CATEGORY_MESSAGE)
            .setSilent(notification.silent)
            .apply { if (ledger.badges.perNotification) notification.badge?.let { setNumber(it.toInt()) } }
            .build()
        @Suppress("MissingPermission") // checked above
        NotificationManagerCompat.from(context).notify(notification.tag, notification.id, built)
        ledger.setBadge(notification.badge)
    }

    private fun ensureChannel() {
        if (Build.VERSION.SDK_INT < Build.VERSION_CODES.O) return
        val manager = context.getSystemService(NotificationManager::class.java)
        manager.createNotificationChannel(NotificationChannel(CHANNEL_ID, "Messages", NotificationManager.IMPORTANCE_HIGH))
    }

    private companion object {
        /** Matches `channels.fcm.channel_id` in the PushCore config. */
        const val CHANNEL_ID = "im_messages"
    }
}
