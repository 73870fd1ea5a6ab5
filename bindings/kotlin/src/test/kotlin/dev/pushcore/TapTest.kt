package dev.pushcore

import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows
import java.io.File

class TapTest {
    private val message = outboundMessageFromJson(
        File(TestSupport.repo, "docs/examples/message.json").readText(),
    )

    @Test
    fun `handleTap parses, routes and reports the second tap of a message as a duplicate`() {
        PushCore(TestSupport.exampleConfig(), TestSupport.tempDir().path).use { core ->
            val first = core.handleTap(clickInputFromJson(simulateDelivery(message, PushChannel.HONOR)))
            assertEquals(Route.C2cChat("alice"), first.route)
            assertEquals(DedupOutcome.Fresh, first.dedup)
            assertEquals(PushChannel.HONOR, first.notification.channel)
            val again = core.handleTap(clickInputFromJson(simulateDelivery(message, PushChannel.APNS)))
            assertEquals(first.route, again.route)
            val dup = again.dedup
            assertTrue(dup is DedupOutcome.Duplicate, dup.toString())
            assertEquals("honor", (dup as DedupOutcome.Duplicate).source)
        }
    }

    @Test
    fun `an unusable store still routes the tap, bad input is a typed error`() {
        val dir = TestSupport.tempDir()
        File(dir, "pushcore.db").mkdir()
        PushCore(TestSupport.exampleConfig(), dir.path).use { core ->
            val outcome = core.handleTap(clickInputFromJson(simulateDelivery(message, PushChannel.OPPO)))
            assertEquals(Route.C2cChat("alice"), outcome.route)
            assertNull(outcome.dedup)
            val e = assertThrows<PushException.InvalidInput> { core.handleTap(ClickInput.Ios("not json")) }
            assertEquals("invalid_input", e.code)
        }
    }
}
