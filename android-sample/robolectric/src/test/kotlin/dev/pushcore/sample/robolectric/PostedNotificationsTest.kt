package dev.pushcore.sample.robolectric

import android.Manifest
import android.app.NotificationManager
import android.app.PendingIntent
import android.content.ComponentName
import android.service.notification.StatusBarNotification
import com.google.firebase.messaging.RemoteMessage
import dev.pushcore.sample.SampleApp
import dev.pushcore.sample.push.vendor.FcmService
import dev.pushcore.sample.tap.PushTapActivity
import dev.pushcore.sample.ui.ChatActivity
import org.json.JSONObject
import org.junit.Assert.assertEquals
import org.junit.Assert.assertFalse
import org.junit.Assert.assertNotEquals
import org.junit.Assert.assertNotNull
import org.junit.Assert.assertTrue
import org.junit.Before
import org.junit.Test
import org.junit.runner.RunWith
import org.robolectric.Robolectric
import org.robolectric.RobolectricTestRunner
import org.robolectric.RuntimeEnvironment
import org.robolectric.Shadows.shadowOf

/**
 * FCM data messages received by the sample's real FcmService and posted by
 * its NotificationPoster, checked on Robolectric's notification manager:
 * the configured channel, an immutable explicit PendingIntent to the
 * trampoline, one request code per message, and nothing for a duplicate.
 */
@RunWith(RobolectricTestRunner::class)
class PostedNotificationsTest {
    private val app get() = RuntimeEnvironment.getApplication()
    private val manager get() = app.getSystemService(NotificationManager::class.java)
    private val posted: List<StatusBarNotification> get() = manager.activeNotifications.toList()

    @Before
    fun grantNotificationPermission() {
        shadowOf(app).grantPermissions(Manifest.permission.POST_NOTIFICATIONS)
    }

    @Test
    fun `a data message is posted once on the configured channel with an immutable intent to the trampoline`() {
        receive(message("m-1", sender = "erin", nickname = "Erin", content = "Call me back"))

        val only = posted.single()
        val notification = only.notification
        val configured = JSONObject(CheckoutConfigApp.configFile.readText()).getJSONObject("channels").getJSONObject("fcm").getString("channel_id")
        assertEquals(configured, notification.channelId)
        assertNotNull("the channel is created before posting", manager.getNotificationChannel(configured))
        assertEquals("Erin", notification.extras.getString("android.title"))
        assertEquals("Call me back", notification.extras.getString("android.text"))

        val pending = notification.contentIntent
        val shadow = shadowOf(pending)
        assertTrue("the content intent starts an activity", shadow.isActivity)
        assertTrue("the PendingIntent is immutable", shadow.flags and PendingIntent.FLAG_IMMUTABLE != 0)
        assertTrue(pending.isImmutable)
        assertEquals("request code and notification id are the same", only.id, shadow.requestCode)
        assertEquals(ComponentName(app, PushTapActivity::class.java), shadow.savedIntent.component)
    }

    @Test
    fun `each conversation gets its own request code and carries its own payload`() {
        receive(message("m-1", sender = "erin", nickname = "Erin", content = "one"))
        receive(message("m-2", sender = "frank", nickname = "Frank", content = "two"))

        // One notification per conversation, plus the group summary (ConversationNotificationsTest).
        val posted = posted.filter { it.notification.flags and android.app.Notification.FLAG_GROUP_SUMMARY == 0 }
        assertEquals(2, posted.size)
        val codes = posted.map { shadowOf(it.notification.contentIntent).requestCode }
        assertNotEquals(codes[0], codes[1])
        assertEquals(posted.map { it.id }.toSet(), codes.toSet())
        val senders = posted.map { JSONObject(shadowOf(it.notification.contentIntent).savedIntent.getStringExtra("ext")!!).getJSONObject("entity").getString("sender") }
        assertEquals(setOf("erin", "frank"), senders.toSet())
    }

    @Test
    fun `a duplicate is not posted, whichever path it comes by`() {
        val data = message("m-1", sender = "erin", nickname = "Erin", content = "once")
        receive(data)
        receive(data) // FCM redelivers
        // The same message from the IM connection, as FcmService would have posted it.
        SampleApp.from(app).poster.post(data.data + ("google.message_id" to "m-1"), source = "im")
        assertEquals(1, posted.size)
    }

    @Test
    fun `tapping a posted notification opens its chat through the trampoline`() {
        receive(message("m-1", sender = "erin", nickname = "Erin", content = "hi"))
        val tapIntent = shadowOf(posted.single().notification.contentIntent).savedIntent
        val result = Taps.tap(tapIntent)
        assertEquals(ChatActivity::class.java.name, result.openedClass)
        assertEquals("c2c_erin", result.opened.getStringExtra(ChatActivity.EXTRA_CONVERSATION))
        assertFalse(result.duplicate)
    }

    @Test
    fun `without the notification permission nothing is posted, and the message is posted once it is granted`() {
        shadowOf(app).denyPermissions(Manifest.permission.POST_NOTIFICATIONS)
        val data = message("m-1", sender = "erin", nickname = "Erin", content = "later")
        receive(data)
        assertTrue(posted.isEmpty())

        shadowOf(app).grantPermissions(Manifest.permission.POST_NOTIFICATIONS)
        receive(data)
        assertEquals("a message not shown is not remembered as shown", 1, posted.size)
    }

    private fun receive(message: RemoteMessage) {
        val service = Robolectric.buildService(FcmService::class.java).create().get()
        service.onMessageReceived(message)
    }

    /** An FCM data message as the IM server sends it: the `ext` key, plus FCM's message id. */
    private fun message(id: String, sender: String, nickname: String, content: String): RemoteMessage {
        val ext = JSONObject()
            .put("entity", JSONObject().put("version", 1).put("chatType", 1).put("action", 1).put("sender", sender).put("nickname", nickname).put("content", content).put("sendTime", 1764150400))
            .put("timPushFeatures", JSONObject().put("fcmPushType", 0).put("fcmNotificationType", 0))
        return RemoteMessage.Builder("123456789012@fcm.googleapis.com")
            .setMessageId(id)
            .setData(mapOf("ext" to ext.toString()))
            .build()
    }
}
