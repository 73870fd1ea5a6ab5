package dev.pushcore

import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows
import java.io.File

class OutboundTest {
    private val messageId = "144115212345678901-1732600000-12345"

    private fun message(options: OfflinePushOptions = OfflinePushOptions(
        title = "Alice", desc = "Hello", oppoChannelId = "im",
    )) = OutboundMessage(
        messageType = OutboundMessageType.TEXT,
        messageId = messageId,
        chatType = ChatType.C2C,
        sender = "alice",
        nickname = "Alice",
        content = "Hello",
        options = options,
    )

    private fun codes(result: BuildPushResult) =
        result.findings.map { "${it.channelName}:${it.severity}:${it.code}" }.sorted()

    @Test
    fun `a well-formed message builds REST JSON with exact keys and no findings`() {
        val result = buildPush(message(OfflinePushOptions(
            title = "Alice", desc = "Hello", oppoChannelId = "im", huaweiCategory = "IM",
            huaweiImportance = VendorImportance.NORMAL, iosSound = "default", ignoreIosBadge = true,
        )))
        assertEquals(emptyList<PushFinding>(), result.findings)
        val json = result.offlinePushInfoJson
        for (fragment in listOf(
            "\"PushFlag\":0", "\"Title\":\"Alice\"", "\"Desc\":\"Hello\"", "\"OPPOChannelID\":\"im\"",
            "\"HuaWeiCategory\":\"IM\"", "\"HuaWeiImportance\":\"NORMAL\"", "\"BadgeMode\":1",
            "\"Sound\":\"default\"", "\"AndroidInfo\":{", "\"ApnsInfo\":{",
        )) {
            assertTrue(json.contains(fragment), "$fragment missing from $json")
        }
        // The ext is the standard entity with the message id, as a JSON string.
        assertTrue(result.ext.startsWith("{\"entity\":{"), result.ext)
        assertTrue(result.ext.contains("\"msgID\":\"$messageId\""), result.ext)
        assertTrue(result.ext.contains("\"chatType\":1"), result.ext)
        assertEquals("Alice", result.options.title)
    }

    @Test
    fun `lost-push mistakes come back as findings per channel`() {
        val custom = message(OfflinePushOptions(title = "2024!", androidSound = "ring.mp3", iosImage = "https://x/i.png"))
            .copy(messageType = OutboundMessageType.CUSTOM)
        assertEquals(
            listOf(
                "all:ERROR:custom_without_desc",
                "apns:WARNING:ios_image_without_mutable_content",
                "fcm:WARNING:android_sound_has_extension",
                "huawei:WARNING:android_sound_has_extension",
                "oppo:ERROR:oppo_channel_id_missing",
                "vivo:ERROR:vivo_title_not_text",
                "xiaomi:WARNING:android_sound_has_extension",
            ),
            codes(buildPush(custom)),
        )
    }

    @Test
    fun `options default to none set, which OPPO and custom messages cannot live with`() {
        val bare = OutboundMessage(messageType = OutboundMessageType.CUSTOM, chatType = ChatType.GROUP, sender = "@TGS#1")
        assertEquals(listOf("all:ERROR:custom_without_desc", "oppo:ERROR:oppo_channel_id_missing"), codes(buildPush(bare)))
        assertTrue(buildPush(bare).ext.contains("\"chatType\":2"))
        assertEquals(listOf("custom_without_desc", "oppo_channel_id_missing"), buildPush(bare).errors.map { it.code }.sorted())
        val warningsOnly = message(OfflinePushOptions(title = "a".repeat(41), desc = "x", oppoChannelId = "im"))
        assertTrue(buildPush(warningsOnly).findings.isNotEmpty())
        assertEquals(emptyList<PushFinding>(), buildPush(warningsOnly).errors)
    }

    @Test
    fun `opt-in truncation cuts at a grapheme boundary with an ellipsis`() {
        val long = message(OfflinePushOptions(title = "👍🏽".repeat(30), desc = "Hi", oppoChannelId = "im"))
        val reported = buildPush(long)
        assertEquals(long.options.title, reported.options.title)
        assertTrue(codes(reported).contains("oppo:WARNING:title_too_long"), codes(reported).toString())

        val cut = buildPush(long.copy(truncate = true))
        val title = cut.options.title!!
        assertTrue(title.endsWith("…"), title)
        // Every kept thumbs-up keeps its skin tone: 4 UTF-16 units each.
        assertEquals(0, (title.length - 1) % 4, title)
        assertTrue(title.length <= 32, "OPPO's 32 units: $title")
        assertTrue(codes(cut).none { it.endsWith("title_too_long") }, codes(cut).toString())
    }

    @Test
    fun `the simulator renders each channel's tap shape`() {
        val m = message()
        val huawei = simulateDelivery(m, PushChannel.HUAWEI)
        assertTrue(huawei.contains("\"data_uri\":\"intent://"), huawei)
        assertTrue(huawei.contains(";S.ext=%7B%22entity%22"), huawei)
        assertTrue(huawei.contains("\"channel_hint\":\"huawei\""), huawei)
        val xiaomi = simulateDelivery(m, PushChannel.XIAOMI)
        assertTrue(xiaomi.contains("\"key_message\":{"), xiaomi)
        val fcm = simulateDelivery(m, PushChannel.FCM)
        assertTrue(fcm.contains("\"google.message_id\""), fcm)
        val apns = simulateDelivery(m, PushChannel.APNS)
        assertTrue(apns.contains("\"platform\":\"ios\""), apns)
        assertTrue(apns.contains("\"aps\":{"), apns)
        for (channel in PushChannel.values()) {
            assertTrue(simulateDelivery(m, channel).contains(messageId), "$channel lost the message id")
        }
    }

    @Test
    fun `simulated taps parse back to the sent message on every channel`() {
        val tricky = message().copy(
            chatType = ChatType.GROUP,
            sender = "@TGS#群;a=b",
            content = "你好 👨‍👩‍👧 \"q\" \\ ; %41",
            messageId = "id;\"1\"",
        )
        for (m in listOf(message(), tricky)) {
            for (channel in PushChannel.values()) {
                val n = parseClickInput(clickInputFromJson(simulateDelivery(m, channel)))
                assertEquals(channel, n.channel)
                assertEquals(m.chatType, n.chatType)
                assertEquals(m.sender, n.sender, "$channel")
                assertEquals(m.content, n.content, "$channel")
                assertEquals(m.messageId, n.messageId, "$channel")
            }
        }
    }

    @Test
    fun `the documented example file reads through the bindings`() {
        val m = OutboundMessage.fromJson(File(TestSupport.repo, "docs/examples/message.json").readText())
        assertEquals(ChatType.C2C, m.chatType)
        assertEquals(VendorImportance.NORMAL, m.options.huaweiImportance)
        assertNull(m.options.iosImage)
        assertEquals(emptyList<PushFinding>(), buildPush(m).findings)
    }

    @Test
    fun `unreadable input is a typed exception`() {
        assertThrows<PushException.InvalidInput> { outboundMessageFromJson("{\"message_type\":\"text\"}") }
        assertThrows<PushException.InvalidInput> { buildPush(message().copy(sender = " ")) }
        assertThrows<PushException.InvalidInput> {
            buildPush(message(OfflinePushOptions(desc = "x", oppoChannelId = "im", ext = "[1]")))
        }
    }
}
