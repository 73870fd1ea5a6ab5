package dev.pushcore.sample.click

import dev.pushcore.ClickInput
import dev.pushcore.ClickInputs
import dev.pushcore.PushChannel
import dev.pushcore.sample.click.demo.RecordedTaps
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Test
import org.junit.jupiter.params.ParameterizedTest
import org.junit.jupiter.params.provider.Arguments
import org.junit.jupiter.params.provider.MethodSource
import java.net.URLEncoder

/**
 * What the app's trampoline builds from an Intent (a map of extras, with a
 * MiPushMessage or a nested Bundle as a nested map, and Java numbers and
 * booleans as they come) reaches the core as the same tap as the recording.
 */
class TapFromMapsTest {
    @ParameterizedTest(name = "{0}")
    @MethodSource("taps")
    fun `a tap built from intent extras parses like the recorded one`(channel: String, tap: Tap) {
        Cores.fresh().use { core ->
            val fromMaps = core.parseClick(tap.toClickInput())
            val recorded = core.parseClick(RecordedTaps.load(channel))
            assertEquals(recorded, fromMaps)
            assertEquals(channel, fromMaps.channel?.name?.lowercase())
        }
    }

    @Test
    fun `text with quotes, escapes, controls and non-ASCII survives the map to JSON step`() {
        val content = "He said \"hi\"\n\tback\\slash / 漢字 😀 \u0001\u001f end"
        val tap = Tap(mapOf("ext" to ext(entity(1, 1, "zoe", "Zoë \"Z\"", content, 7))), registeredChannel = PushChannel.VIVO)
        Cores.fresh().use { core ->
            val n = core.parseClick(tap.toClickInput())
            assertEquals(content, n.content)
            assertEquals("Zoë \"Z\"", n.nickname)
            assertEquals(7UL, n.sendTime)
        }
    }

    companion object {
        fun entity(chatType: Int, action: Int, sender: String, nickname: String, content: String, sendTime: Long) =
            linkedMapOf<String, Any?>(
                "version" to 1, "chatType" to chatType, "action" to action, "sender" to sender,
                "nickname" to nickname, "faceUrl" to "https://im.example.com/avatar/$sender.png",
                "content" to content, "sendTime" to sendTime,
            )

        private val features = mapOf("fcmPushType" to 0, "fcmNotificationType" to 0)

        /** JSON text of a map, written by the same helper the app's taps go through. */
        fun json(value: Map<String, Any?>): String = (ClickInputs.android(value) as ClickInput.Android).extrasJson

        fun ext(entity: Map<String, Any?>, withFeatures: Boolean = true): String =
            json(if (withFeatures) mapOf("entity" to entity, "timPushFeatures" to features) else mapOf("entity" to entity))

        @JvmStatic
        fun taps(): List<Arguments> {
            val huaweiExt = ext(entity(2, 1, "team-rust", "Rust guild", "Build is green", 0), withFeatures = false)
            val huaweiUri = "intent://dev.pushcore.sample/push#Intent;scheme=pushcore;launchFlags=0x4000000;" +
                "component=dev.pushcore.sample/.tap.PushTapActivity;S.ext=" +
                URLEncoder.encode(huaweiExt, Charsets.UTF_8).replace("+", "%20") + ";end"
            return listOf(
                Arguments.of(
                    "xiaomi",
                    Tap(
                        mapOf(
                            "key_message" to ClickInputs.miPushMessage(
                                extra = mapOf(
                                    "ext" to ext(entity(1, 1, "alice", "Alice", "Dinner at 7?", 1764150000)),
                                    "notify_effect" to "2",
                                ),
                                content = "",
                                title = "Alice",
                                description = "Dinner at 7?",
                                messageId = "sdm04b88170936611298lp",
                            ),
                        ),
                        registeredChannel = PushChannel.XIAOMI,
                    ),
                ),
                Arguments.of(
                    "huawei",
                    Tap(mapOf("_push_msgid" to "0123456789abcdef", "_push_cmd_type" to "0"), huaweiUri, PushChannel.HUAWEI),
                ),
                Arguments.of(
                    "honor",
                    Tap(mapOf("ext" to ext(entity(1, 2, "bob", "Bob", "Incoming call", 1764150100))), registeredChannel = PushChannel.HONOR),
                ),
                Arguments.of(
                    "oppo",
                    Tap(
                        mapOf(
                            "entity" to json(entity(1, 1, "carol", "Carol", "See you tomorrow", 1764150200)),
                            "timPushFeatures" to json(features),
                        ),
                        registeredChannel = PushChannel.OPPO,
                    ),
                ),
                Arguments.of(
                    "vivo",
                    Tap(mapOf("ext" to ext(entity(2, 1, "family", "Family", "Photos uploaded", 1764150300))), registeredChannel = PushChannel.VIVO),
                ),
                Arguments.of(
                    "meizu",
                    Tap(mapOf("ext" to ext(entity(1, 1, "dave", "Dave", "On my way", 0), withFeatures = false)), registeredChannel = PushChannel.MEIZU),
                ),
                Arguments.of(
                    "fcm",
                    Tap(
                        mapOf(
                            "ext" to ext(entity(1, 1, "erin", "Erin", "Call me back", 1764150400)),
                            "google.message_id" to "0:1764150400123456%a1b2c3d4f9fd7ecd",
                            "google.sent_time" to 1764150400123L,
                            "google.ttl" to 2419200,
                            "from" to "123456789012",
                            "collapse_key" to "dev.pushcore.sample",
                        ),
                        registeredChannel = PushChannel.FCM,
                    ),
                ),
            )
        }
    }
}
