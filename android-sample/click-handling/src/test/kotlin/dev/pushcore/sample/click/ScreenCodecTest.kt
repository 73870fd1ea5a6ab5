package dev.pushcore.sample.click

import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Test

class ScreenCodecTest {
    @Test
    fun `every screen survives the trip from trampoline to router`() {
        val screens = listOf(
            Screen.Chat("c2c_alice", "alice", isGroup = false, title = "Alice"),
            Screen.Chat("group_g1", "g1", isGroup = true, title = null),
            Screen.IncomingCall("bob", isGroup = false),
            Screen.IncomingCall("team", isGroup = true),
            Screen.Web("https://im.example.com/promo"),
            Screen.Home,
        )
        for (screen in screens) assertEquals(screen, ScreenCodec.decode(ScreenCodec.encode(screen)), screen.toString())
    }

    @Test
    fun `anything malformed or tampered with opens home`() {
        val chat = ScreenCodec.encode(Screen.Chat("c2c_alice", "alice", isGroup = false, title = "Alice"))
        val cases = listOf(
            emptyMap(),
            mapOf(ScreenCodec.KIND to "settings"),
            chat + ("pushcore.id" to "c2c_mallory"),
            chat + ("pushcore.group" to "true"),
            chat - "pushcore.peer",
            chat + ("pushcore.peer" to "  "),
            mapOf(ScreenCodec.KIND to "call"),
            mapOf(ScreenCodec.KIND to "web", "pushcore.url" to "http://im.example.com/"),
            mapOf(ScreenCodec.KIND to "web", "pushcore.url" to "intent://x#Intent;end"),
        )
        for (extras in cases) assertEquals(Screen.Home, ScreenCodec.decode(extras), extras.toString())
    }
}
