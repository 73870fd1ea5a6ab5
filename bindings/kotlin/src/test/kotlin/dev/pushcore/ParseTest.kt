package dev.pushcore

import org.junit.jupiter.api.Assertions.assertArrayEquals
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows
import java.net.URLEncoder

class ParseTest {
    private fun ext(chatType: Int, sender: String, action: Int = 1, extra: String = ""): String =
        """{"entity":{"version":1,"chatType":$chatType,"action":$action,"sender":"$sender",""" +
            """"nickname":"Lin","faceUrl":"https://cdn.example.com/a.png","content":"Are you there?",""" +
            """"sendTime":1732600000,"customData":[104,105]}$extra}"""

    /** Uri.decode keeps '+', so spaces must be %20, as Android's encoders write them. */
    private fun uriEncode(text: String) = URLEncoder.encode(text, Charsets.UTF_8).replace("+", "%20")

    private data class Fixture(
        val name: String,
        val input: ClickInput,
        val channel: PushChannel?,
        val chatType: ChatType,
        val sender: String,
        val action: NotificationAction = NotificationAction.Chat,
        val vendorMessageId: String? = null,
        val title: String? = null,
        val body: String? = null,
    )

    private fun fixtures(): List<Fixture> = listOf(
        Fixture(
            "xiaomi MiPushMessage",
            ClickInputs.android(
                mapOf(
                    "key_message" to ClickInputs.miPushMessage(
                        extra = mapOf("ext" to ext(1, "user_42")),
                        content = "",
                        title = "Lin",
                        description = "Are you there?",
                        messageId = "sdm04123",
                    ),
                ),
            ),
            PushChannel.XIAOMI, ChatType.C2C, "user_42",
            vendorMessageId = "sdm04123", title = "Lin", body = "Are you there?",
        ),
        Fixture(
            "huawei intent URI",
            ClickInputs.android(
                emptyMap(),
                dataUri = "intent://com.example.im/push#Intent;scheme=pushscheme;S.ext=${uriEncode(ext(2, "grp 1"))};end",
                channelHint = PushChannel.HUAWEI,
            ),
            PushChannel.HUAWEI, ChatType.GROUP, "grp 1",
        ),
        Fixture(
            "honor ext extra",
            ClickInputs.android(mapOf("ext" to ext(1, "bob", action = 2)), channelHint = PushChannel.HONOR),
            PushChannel.HONOR, ChatType.C2C, "bob", action = NotificationAction.Call,
        ),
        Fixture(
            "oppo entity extra",
            ClickInputs.android(
                mapOf("entity" to """{"chatType":1,"sender":"frank","action":1}""", "orderId" to "o-1"),
            ),
            PushChannel.OPPO, ChatType.C2C, "frank",
        ),
        Fixture(
            "vivo ext with a nested bundle, numbers, lists",
            ClickInputs.android(
                mapOf(
                    "ext" to ext(2, "g-vivo"),
                    "bundle" to mapOf("n" to 3, "ok" to true, "list" to listOf(1L, 2.5, null)),
                    "ints" to intArrayOf(1, 2),
                ),
                channelHint = PushChannel.VIVO,
            ),
            PushChannel.VIVO, ChatType.GROUP, "g-vivo",
        ),
        Fixture(
            "meizu selfDefineContentString",
            ClickInputs.android(mapOf("selfDefineContentString" to JsonText.encode(mapOf("ext" to ext(1, "kim"))))),
            PushChannel.MEIZU, ChatType.C2C, "kim",
        ),
        Fixture(
            "fcm tray intent, shape beats the hint",
            ClickInputs.android(
                mapOf(
                    "ext" to ext(1, "leo"),
                    "google.message_id" to "0:1732600000%abc",
                    "google.sent_time" to 1732600000000L,
                    "from" to "1234567890",
                ),
                channelHint = PushChannel.XIAOMI,
            ),
            PushChannel.FCM, ChatType.C2C, "leo", vendorMessageId = "0:1732600000%abc",
        ),
        Fixture(
            "apns userInfo map",
            ClickInputs.ios(
                mapOf(
                    "aps" to mapOf("alert" to mapOf("title" to "Lin", "body" to "Are you there?"), "badge" to 1),
                    "ext" to ext(1, "ned"),
                ),
            ),
            PushChannel.APNS, ChatType.C2C, "ned", title = "Lin", body = "Are you there?",
        ),
        Fixture(
            "apns userInfo JSON",
            ClickInputs.iosJson("""{"aps":{"alert":"[3 new]"},"ext":${JsonText.encode(ext(2, "g-ios"))}}"""),
            PushChannel.APNS, ChatType.GROUP, "g-ios", body = "[3 new]",
        ),
    )

    @Test
    fun `every channel's tap parses through the bindings`() {
        for (f in fixtures()) {
            val n = parseClickInput(f.input)
            assertEquals(f.channel, n.channel, f.name)
            assertEquals(f.chatType, n.chatType, f.name)
            assertEquals(f.sender, n.sender, f.name)
            val prefix = if (f.chatType == ChatType.C2C) "c2c" else "group"
            assertEquals("${prefix}_${f.sender}", n.conversationId, f.name)
            assertEquals(f.action, n.action, f.name)
            assertEquals(f.vendorMessageId, n.vendorMessageId, f.name)
            assertEquals(f.title, n.title, f.name)
            assertEquals(f.body, n.body, f.name)
            assertFalse(n.newerVersion, f.name)
        }
    }

    @Test
    fun `entity fields and unused extras come back typed`() {
        val n = parseClickInput(
            ClickInputs.android(
                mapOf("ext" to ext(1, "u1", extra = ""","orderId":"o-9""""), "bundle" to mapOf("n" to 3)),
                channelHint = PushChannel.VIVO,
            ),
        )
        assertEquals("Lin", n.nickname)
        assertEquals("https://cdn.example.com/a.png", n.faceUrl)
        assertEquals("Are you there?", n.content)
        assertEquals(1732600000UL, n.sendTime)
        assertEquals(1U, n.version)
        assertArrayEquals("hi".toByteArray(), n.customData)
        assertEquals("o-9", n.extras["orderId"])
        assertEquals("""{"n":3}""", n.extras["bundle"])
        assertNull(n.extras["ext"])
    }

    @Test
    fun `the JSON writer escapes what Rust must read back exactly`() {
        val tricky = "quote\" backslash\\ newline\n tab\t ctrl\u0001 nul\u0000 é 你好 😀 \u2028"
        val n = parseClickInput(
            ClickInputs.android(
                mapOf("ext" to ext(1, "u"), "tricky" to tricky, "nan" to Double.NaN, "chars" to charArrayOf('a')),
                channelHint = PushChannel.MEIZU,
            ),
        )
        assertEquals(tricky, n.extras["tricky"])
        assertEquals("null", n.extras["nan"])
        assertEquals("""["a"]""", n.extras["chars"])
    }

    @Test
    fun `the CLI's JSON form builds the same input`() {
        val input = clickInputFromJson(
            """{"platform":"android","channel_hint":"honor","extras":{"ext":${JsonText.encode(ext(2, "g"))}}}""",
        )
        assertTrue(input is ClickInput.Android)
        assertEquals(PushChannel.HONOR, (input as ClickInput.Android).channelHint)
        assertEquals(PushChannel.HONOR, parseClickInput(input).channel)
    }

    @Test
    fun `bad taps are typed exceptions with stable codes`() {
        assertThrows<PushException.InvalidExt> {
            parseClickInput(ClickInputs.android(mapOf("ext" to "{broken"), channelHint = PushChannel.VIVO))
        }
        assertThrows<PushException.NoPushPayload> { parseClickInput(ClickInputs.ios(mapOf("aps" to emptyMap<String, Any>()))) }
        assertThrows<PushException.UnsupportedPayload> {
            parseClickInput(ClickInputs.android(mapOf("entity" to """{"chatType":5,"sender":"u"}""")))
        }
        assertThrows<PushException.InvalidInput> { parseClickInput(ClickInputs.iosJson("not json")) }
        assertThrows<PushException.TooLarge> {
            parseClickInput(ClickInputs.android(mapOf("pad" to "x".repeat(70_000))))
        }
    }

    @Test
    fun `routing goes to fixed screens and only allow-listed URLs`() {
        PushCore(TestSupport.exampleConfig(), TestSupport.tempDir().path).use { core ->
            val chat = core.parseClick(ClickInputs.android(mapOf("ext" to ext(2, "g1")), channelHint = PushChannel.HONOR))
            assertEquals(Route.GroupChat("g1"), core.route(chat))
            val call = core.parseClick(ClickInputs.ios(mapOf("ext" to ext(1, "u2", action = 2))))
            assertEquals(Route.Call(ChatType.C2C, "u2", null, null, CallMedia.UNKNOWN, emptyList()), core.route(call))
            // Its content is not call signalling: the call still rings, and the app can see why it has no details.
            assertEquals(listOf("entity.content"), call.findings.map { it.field })
            val allowed = core.parseClick(
                ClickInputs.ios(mapOf("ext" to ext(1, "sys", action = 5, extra = ""","url":"https://im.example.com/n/1""""))),
            )
            assertEquals(NotificationAction.Other(5U), allowed.action)
            assertEquals(Route.Url("https://im.example.com/n/1"), core.route(allowed))
            val forged = core.parseClick(
                ClickInputs.ios(mapOf("ext" to ext(1, "sys", action = 5), "url" to "intent:#Intent;component=a/.B;end")),
            )
            assertEquals(Route.Home, core.route(forged))
            assertEquals(Route.Home, routeNotification(allowed, emptyList()))
        }
    }
}
