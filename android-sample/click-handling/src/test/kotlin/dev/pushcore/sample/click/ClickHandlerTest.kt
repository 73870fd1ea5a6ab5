package dev.pushcore.sample.click

import dev.pushcore.PushChannel
import dev.pushcore.sample.click.TapFromMapsTest.Companion.entity
import dev.pushcore.sample.click.TapFromMapsTest.Companion.ext
import dev.pushcore.sample.click.TapFromMapsTest.Companion.json
import dev.pushcore.sample.click.demo.RecordedTaps
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.params.ParameterizedTest
import org.junit.jupiter.params.provider.Arguments
import org.junit.jupiter.params.provider.MethodSource

class ClickHandlerTest {
    @Test
    fun `the same tap handled twice opens the same screen, marked duplicate the second time`() {
        Cores.fresh().use { core ->
            ClickHandler(core).use { clicks ->
                val first = clicks.handle(RecordedTaps.load("fcm"))
                val second = clicks.handle(RecordedTaps.load("fcm"))
                assertFalse(first.duplicate)
                assertTrue(second.duplicate)
                assertEquals(first.screen, second.screen)
            }
        }
    }

    @Test
    fun `two different messages from one sender are both first-time taps`() {
        Cores.fresh().use { core ->
            ClickHandler(core).use { clicks ->
                val a = Tap(mapOf("ext" to ext(entity(1, 1, "erin", "Erin", "first", 1764150400))), registeredChannel = PushChannel.VIVO)
                val b = Tap(mapOf("ext" to ext(entity(1, 1, "erin", "Erin", "second", 1764150460))), registeredChannel = PushChannel.VIVO)
                assertFalse(clicks.handle(a).duplicate)
                assertFalse(clicks.handle(b).duplicate)
            }
        }
    }

    @Test
    fun `the dedup store survives a new core on the same directory (process restart)`() {
        val dir = java.nio.file.Files.createTempDirectory("pushcore-restart").toFile().apply { deleteOnExit() }
        val config = Cores.fresh().use { it.config() }
        dev.pushcore.PushCore(config, dir.path).use { assertFalse(ClickHandler(it).use { c -> c.handle(RecordedTaps.load("oppo")) }.duplicate) }
        dev.pushcore.PushCore(config, dir.path).use { assertTrue(ClickHandler(it).use { c -> c.handle(RecordedTaps.load("oppo")) }.duplicate) }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("unusable")
    fun `an unusable or forged tap opens home with the core's error code, never crashes`(name: String, tap: Tap, code: String) {
        Cores.fresh().use { core ->
            val logged = mutableListOf<String>()
            val decision = ClickHandler(core) { logged += it }.use { it.handle(tap) }
            assertEquals(Screen.Home, decision.screen)
            assertEquals(code, decision.error)
            assertFalse(decision.duplicate)
            assertTrue(logged.any { it.contains(code) }, logged.toString())
        }
    }

    @Test
    fun `a URL opens only when the configured allow-list has its scheme and host`() {
        fun tap(url: String) = Tap(
            mapOf("ext" to json(mapOf("entity" to mapOf("version" to 1, "chatType" to 1, "action" to 3, "sender" to "news"), "url" to url))),
            registeredChannel = PushChannel.HUAWEI,
        )
        Cores.fresh().use { core ->
            ClickHandler(core).use { clicks ->
                assertEquals(Screen.Web("https://im.example.com/promo"), clicks.handle(tap("https://im.example.com/promo")).screen)
                for (url in listOf("https://evil.example.net/promo", "http://im.example.com/promo", "intent://x#Intent;component=a/.B;end", "https://im.example.com@evil.example.net/")) {
                    assertEquals(Screen.Home, clicks.handle(tap(url)).screen, url)
                }
            }
        }
    }

    @Test
    fun `a newer entity version still opens the chat`() {
        val newer = entity(1, 1, "gina", "Gina", "from the future", 0).apply { put("version", 9) }
        Cores.fresh().use { core ->
            val logged = mutableListOf<String>()
            val decision = ClickHandler(core) { logged += it }.use {
                it.handle(Tap(mapOf("ext" to ext(newer)), registeredChannel = PushChannel.MEIZU))
            }
            assertEquals(Screen.Chat("c2c_gina", "gina", isGroup = false, title = "Gina"), decision.screen)
            assertTrue(logged.any { it.contains("newer") }, logged.toString())
        }
    }

    @Test
    fun `the channel comes from the payload, not from the channel the app registered with`() {
        Cores.fresh().use { core ->
            // A Xiaomi-shaped tap on a phone registered with FCM is still Xiaomi.
            val tap = Tap(
                mapOf("key_message" to mapOf("messageId" to "m1", "extra" to mapOf("ext" to ext(entity(1, 1, "hal", "Hal", "hi", 0))))),
                registeredChannel = PushChannel.FCM,
            )
            assertEquals("xiaomi", ClickHandler(core).use { it.handle(tap).channel })
        }
    }

    companion object {
        @JvmStatic
        fun unusable(): List<Arguments> = listOf(
            Arguments.of("no extras at all", Tap(emptyMap()), "no_push_payload"),
            Arguments.of("extras without ext", Tap(mapOf("profile" to "x")), "no_push_payload"),
            Arguments.of("ext that is not JSON", Tap(mapOf("ext" to "{not json"), registeredChannel = PushChannel.VIVO), "invalid_ext"),
            Arguments.of("ext without entity", Tap(mapOf("ext" to "{\"foo\":1}"), registeredChannel = PushChannel.VIVO), "invalid_ext"),
            Arguments.of(
                "chat type out of range",
                Tap(mapOf("ext" to ext(entity(7, 1, "x", "X", "c", 0))), registeredChannel = PushChannel.VIVO),
                "unsupported_payload",
            ),
            Arguments.of(
                "forged intent URI naming a component, no ext",
                Tap(emptyMap(), "intent://evil#Intent;component=com.evil/.Steal;S.target=x;end", PushChannel.HUAWEI),
                "no_push_payload",
            ),
            Arguments.of("oversized payload", Tap(mapOf("ext" to "x".repeat(70 * 1024)), registeredChannel = PushChannel.VIVO), "too_large"),
        )
    }
}
