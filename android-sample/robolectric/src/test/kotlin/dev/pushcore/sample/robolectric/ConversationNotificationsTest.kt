package dev.pushcore.sample.robolectric

import android.Manifest
import android.app.Notification
import android.app.NotificationManager
import android.content.pm.ShortcutManager
import android.service.notification.StatusBarNotification
import androidx.core.app.NotificationCompat
import com.google.firebase.messaging.RemoteMessage
import dev.pushcore.sample.SampleApp
import dev.pushcore.sample.notify.ConversationNotifications
import dev.pushcore.sample.push.vendor.FcmService
import org.json.JSONObject
import org.junit.Assert.assertEquals
import org.junit.Assert.assertFalse
import org.junit.Assert.assertNotNull
import org.junit.Assert.assertNull
import org.junit.Assert.assertTrue
import org.junit.Before
import org.junit.Test
import org.junit.runner.RunWith
import org.robolectric.Robolectric
import org.robolectric.RobolectricTestRunner
import org.robolectric.RuntimeEnvironment
import org.robolectric.Shadows.shadowOf

/**
 * One notification per conversation (issue 17), posted by the sample's real
 * FcmService, NotificationPoster and LedgerEffects and checked on
 * Robolectric's notification and shortcut managers: MessagingStyle with a
 * Person per sender under the conversation's handle, the group summary, the
 * long-lived shortcut, recall and read recomputing it, a muted chat and
 * quiet hours.
 */
@RunWith(RobolectricTestRunner::class)
class ConversationNotificationsTest {
    private val app get() = RuntimeEnvironment.getApplication()
    private val sample get() = SampleApp.from(app)
    private val manager get() = app.getSystemService(NotificationManager::class.java)
    private val posted: List<StatusBarNotification> get() = manager.activeNotifications.toList()
    private val conversations get() = posted.filter { it.notification.flags and Notification.FLAG_GROUP_SUMMARY == 0 }
    private val summaries get() = posted.filter { it.notification.flags and Notification.FLAG_GROUP_SUMMARY != 0 }

    @Before
    fun grantNotificationPermission() {
        shadowOf(app).grantPermissions(Manifest.permission.POST_NOTIFICATIONS)
    }

    @Test
    fun `three messages of one chat are one MessagingStyle notification with a person per sender and a long-lived shortcut`() {
        receive(message("e1", "erin", "Erin", "Lunch?"))
        receive(message("e2", "erin", "Erin", "At noon"))
        receive(message("e3", "erin", "Erin", "I'll book"))

        val only = posted.single()
        assertEquals("conv:c2c_erin", only.tag)
        val style = NotificationCompat.MessagingStyle.extractMessagingStyleFromNotification(only.notification)
        assertNotNull("posted with MessagingStyle", style)
        assertEquals(listOf("Lunch?", "At noon", "I'll book"), style!!.messages.map { it.text.toString() })
        assertEquals(setOf("Erin"), style.messages.map { it.person?.name.toString() }.toSet())
        assertFalse(style.isGroupConversation)
        assertEquals("pushcore.conversations", only.notification.group)
        assertEquals("c2c_erin", only.notification.shortcutId)
        val shortcut = app.getSystemService(ShortcutManager::class.java).dynamicShortcuts.single { it.id == "c2c_erin" }
        assertTrue("the conversation shortcut is long-lived", shortcut.isLongLived)
        assertEquals("one request code per conversation", only.id, shadowOf(only.notification.contentIntent).requestCode)
    }

    @Test
    fun `a second conversation brings a group summary, and reading it removes both`() {
        receive(message("e1", "erin", "Erin", "hi"))
        receive(message("f1", "frank", "Frank", "yo"))
        receive(message("f2", "frank", "Frank", "there?"))

        assertEquals(setOf("conv:c2c_erin", "conv:c2c_frank"), conversations.map { it.tag }.toSet())
        val summary = summaries.single()
        assertEquals("pushcore.conversations", summary.notification.group)
        assertEquals("3 messages in 2 chats", summary.notification.extras.getString(Notification.EXTRA_TITLE))

        sample.ledger.onConversationRead("c2c_frank", Long.MAX_VALUE)
        assertEquals(listOf("conv:c2c_erin"), conversations.map { it.tag })
        assertTrue("one conversation left: no summary", summaries.isEmpty())
    }

    @Test
    fun `a recall re-posts the conversation without the recalled line, keeping its tap`() {
        receive(message("e1", "erin", "Erin", "one"))
        receive(message("e2", "erin", "Erin", "oops"))
        receive(message("e3", "erin", "Erin", "three"))
        val tap = posted.single().notification.contentIntent

        sample.ledger.onMessageRecalled("e2")
        val after = posted.single()
        val style = NotificationCompat.MessagingStyle.extractMessagingStyleFromNotification(after.notification)!!
        assertEquals(listOf("one", "three"), style.messages.map { it.text.toString() })
        assertEquals(tap, after.notification.contentIntent)

        sample.ledger.onMessageRecalled("e1")
        sample.ledger.onMessageRecalled("e3")
        assertTrue("no line left: the conversation's notification goes", posted.isEmpty())
    }

    @Test
    fun `a muted chat posts nothing and quiet hours post on the quiet channel`() {
        assertTrue(sample.ledger.setMuted("c2c_erin", null))
        receive(message("e1", "erin", "Erin", "psst"))
        assertTrue(posted.isEmpty())
        assertFalse("a negative time is refused", sample.ledger.setMuted("c2c_erin", -1))

        val minute = ((System.currentTimeMillis() / 60_000) % 1440).toInt()
        assertTrue(sample.ledger.setQuietHours(minute, (minute + 1439) % 1440, "UTC"))
        receive(message("f1", "frank", "Frank", "late"))
        assertEquals(ConversationNotifications.QUIET_CHANNEL_ID, posted.single().notification.channelId)
        assertTrue(sample.ledger.clearQuietHours())
        receive(message("f2", "frank", "Frank", "morning"))
        assertEquals(ConversationNotifications.CHANNEL_ID, posted.single().notification.channelId)
        assertNull(summaries.firstOrNull())
    }

    private fun receive(message: RemoteMessage) {
        val service = Robolectric.buildService(FcmService::class.java).create().get()
        service.onMessageReceived(message)
    }

    /** An FCM data message as the IM server sends it, with the IM message id (recalls name it). */
    private fun message(id: String, sender: String, nickname: String, content: String): RemoteMessage {
        val ext = JSONObject()
            .put(
                "entity",
                JSONObject().put("version", 1).put("chatType", 1).put("action", 1).put("sender", sender)
                    .put("nickname", nickname).put("content", content).put("msgID", id).put("sendTime", 1764150400),
            )
        return RemoteMessage.Builder("123456789012@fcm.googleapis.com")
            .setMessageId("fcm-$id")
            .setData(mapOf("ext" to ext.toString()))
            .build()
    }
}
