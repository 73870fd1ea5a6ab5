package dev.pushcore.sample.click

import dev.pushcore.sample.click.TapFromMapsTest.Companion.entity
import dev.pushcore.sample.click.TapFromMapsTest.Companion.ext
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertNotEquals
import org.junit.jupiter.api.Assertions.assertNotNull
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Test
import dev.pushcore.PushChannel

class NotificationGateTest {
    private fun fcmData(messageId: String, content: String) = mapOf(
        "ext" to ext(entity(1, 1, "erin", "Erin", content, 1764150400)),
        "google.message_id" to messageId,
    )

    @Test
    fun `a message is posted once, with its own request code and the screen its tap opens`() {
        Cores.fresh().use { core ->
            val gate = NotificationGate(core)
            val data = fcmData("0:1%a", "Call me back")
            val posted = gate.admit(data, source = "fcm-data")
            assertNotNull(posted)
            posted!!
            assertEquals("Erin", posted.title)
            assertEquals("Call me back", posted.body)
            assertEquals(Screen.Chat("c2c_erin", "erin", isGroup = false, title = "Erin"), posted.screen)
            assertEquals(posted.id, posted.requestCode)
            assertEquals(data, posted.tapExtras)
            assertEquals(posted.dedupKey, posted.tag)
            assertEquals(1u, posted.badge)
            // The same message again, on the same or another path: not posted again.
            assertNull(gate.admit(data, source = "fcm-data"))
            assertNull(gate.admit(data, source = "im-online"))
        }
    }

    @Test
    fun `different messages are all posted, each with a different request code`() {
        Cores.fresh().use { core ->
            val gate = NotificationGate(core)
            val codes = (1..20).map { i -> gate.admit(fcmData("0:$i%a", "message $i"), "fcm-data")!!.requestCode }
            assertEquals(20, codes.toSet().size)
            assertNotEquals(codes[0], codes[1])
        }
    }

    @Test
    fun `display dedup and click dedup are independent`() {
        Cores.fresh().use { core ->
            val data = fcmData("0:7%a", "tap me")
            assertNotNull(NotificationGate(core).admit(data, "fcm-data"))
            // Posting it did not use up its tap.
            assertFalse(ClickHandler(core).use { it.handle(Tap(data)).duplicate })
        }
    }

    @Test
    fun `a recalled message answers its tag and id to cancel and is not posted again`() {
        Cores.fresh().use { core ->
            val withImId = entity(1, 1, "erin", "Erin", "oops", 1764150400) + ("msgID" to "im-9")
            val data = mapOf("ext" to ext(withImId))
            val gate = NotificationGate(core)
            val posted = gate.admit(data, "fcm-data")!!
            val change = core.onMessageRecalled("im-9")
            assertEquals(listOf(posted.tag to posted.id), change.remove.map { it.tag to it.id })
            assertEquals(0u, change.badge)
            // The vendor's late copy.
            assertNull(gate.admit(data, "xiaomi-data", PushChannel.XIAOMI))
        }
    }

    @Test
    fun `a message without a usable payload is not posted`() {
        Cores.fresh().use { core ->
            val logged = mutableListOf<String>()
            assertNull(NotificationGate(core) { logged += it }.admit(mapOf("ext" to "{broken"), "fcm-data"))
            assertEquals(1, logged.size)
        }
    }
}
