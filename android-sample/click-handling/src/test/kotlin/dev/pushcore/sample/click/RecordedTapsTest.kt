package dev.pushcore.sample.click

import dev.pushcore.sample.click.demo.RecordedTaps
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Test
import org.junit.jupiter.params.ParameterizedTest
import org.junit.jupiter.params.provider.Arguments
import org.junit.jupiter.params.provider.MethodSource

/** Each recorded tap, through the real core, opens the screen its payload names. */
class RecordedTapsTest {
    @ParameterizedTest(name = "{0}")
    @MethodSource("expectations")
    fun `a recorded tap opens the expected screen`(channel: String, detected: String, screen: Screen) {
        Cores.fresh().use { core ->
            val decision = ClickHandler(core).use { it.handle(RecordedTaps.load(channel)) }
            assertNull(decision.error, "unexpected error for $channel")
            assertEquals(detected, decision.channel)
            assertEquals(screen, decision.screen)
            assertFalse(decision.duplicate)
        }
    }

    @Test
    fun `there is one recorded tap per channel and each is expected`() {
        assertEquals(RecordedTaps.CHANNELS.sorted(), expectations().map { it.get()[0] as String }.sorted())
        assertEquals(8, RecordedTaps.CHANNELS.size)
    }

    companion object {
        @JvmStatic
        fun expectations(): List<Arguments> = listOf(
            Arguments.of("xiaomi", "xiaomi", Screen.Chat("c2c_alice", "alice", isGroup = false, title = "Alice")),
            Arguments.of("huawei", "huawei", Screen.Chat("group_team-rust", "team-rust", isGroup = true, title = "Rust guild")),
            Arguments.of("honor", "honor", Screen.IncomingCall("bob", isGroup = false)),
            Arguments.of("oppo", "oppo", Screen.Chat("c2c_carol", "carol", isGroup = false, title = "Carol")),
            Arguments.of("vivo", "vivo", Screen.Chat("group_family", "family", isGroup = true, title = "Family")),
            Arguments.of("meizu", "meizu", Screen.Chat("c2c_dave", "dave", isGroup = false, title = "Dave")),
            Arguments.of("fcm", "fcm", Screen.Chat("c2c_erin", "erin", isGroup = false, title = "Erin")),
            Arguments.of("apns", "apns", Screen.Chat("c2c_frank", "frank", isGroup = false, title = "Frank")),
        )
    }
}
