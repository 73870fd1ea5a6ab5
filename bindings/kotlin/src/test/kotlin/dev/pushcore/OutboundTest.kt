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
    fun `each channel gets the field that groups or replaces a conversation's notification`() {
        val fromBob = message().copy(sender = "bob")
        val grouping = buildPush(fromBob).grouping
        assertEquals(NotificationGrouping.PER_CONVERSATION, grouping.policy)
        assertEquals("c2c_bob", grouping.conversationId)
        // Pinned by the ledger: the app's own handle of c2c_bob has the same id.
        for (channel in listOf(PushChannel.XIAOMI, PushChannel.HONOR, PushChannel.OPPO, PushChannel.VIVO)) {
            assertEquals("438054827", grouping.on(channel).field("notify_id"), "$channel")
            assertEquals(GroupingEffect.REPLACES_CONVERSATION, grouping.on(channel).effect)
        }
        assertEquals("438054827", grouping.on(PushChannel.HUAWEI).field("android.notification.notify_id"))
        assertEquals("conv:c2c_bob", grouping.on(PushChannel.FCM).field("android.notification.tag"))
        val apns = grouping.on(PushChannel.APNS)
        assertEquals("conv:c2c_bob", apns.field("aps.thread-id"))
        assertEquals("im:$messageId", apns.field("apns-collapse-id"))
        assertEquals(GroupingEffect.THREADED_BY_CONVERSATION, apns.effect)
        val meizu = grouping.on(PushChannel.MEIZU)
        assertEquals(emptyList<VendorField>(), meizu.fields)
        assertTrue(meizu.note.contains("no replace or group field"), meizu.note)
        // The IM backend's OfflinePushInfo has no key for any of them.
        val rest = buildPush(fromBob).offlinePushInfoJson
        assertTrue(listOf("notify", "thread", "collapse", "conv:").none { rest.contains(it) }, rest)
    }

    @Test
    fun `the grouping policy chooses per message ids or none`() {
        val perMessage = buildPush(message(OfflinePushOptions(desc = "Hi", oppoChannelId = "im", grouping = NotificationGrouping.PER_MESSAGE)))
        assertEquals(NotificationGrouping.PER_MESSAGE, perMessage.options.grouping)
        assertEquals("im:$messageId", perMessage.grouping.on(PushChannel.FCM).field("android.notification.tag"))
        assertEquals(GroupingEffect.SEPARATE, perMessage.grouping.on(PushChannel.XIAOMI).effect)
        val off = buildPush(message(OfflinePushOptions(desc = "Hi", oppoChannelId = "im", grouping = NotificationGrouping.OFF)))
        assertTrue(off.grouping.channels.all { it.fields.isEmpty() })
        assertEquals(GroupingEffect.REPLACES_APP, off.grouping.on(PushChannel.XIAOMI).effect)
        // An id too long for APNs' 64-byte collapse id is bounded with a warning, never refused.
        val long = buildPush(message().copy(messageId = "9".repeat(100)))
        assertTrue(long.grouping.on(PushChannel.APNS).field("apns-collapse-id")!!.toByteArray().size <= 64)
        assertTrue(codes(long).contains("apns:WARNING:apns_collapse_id_bounded"), codes(long).toString())
    }

    @Test
    fun `the shade simulator shows a conversation replaced on Xiaomi and threaded on APNs`() {
        val bob1 = message().copy(sender = "bob", messageId = "b1")
        val carol = message().copy(sender = "carol", messageId = "c1")
        val bob2 = message().copy(sender = "bob", messageId = "b2")
        val shades = simulateShade(listOf(bob1, carol, bob2)).associateBy { it.channel }
        assertEquals(PushChannel.values().toSet(), shades.keys)
        val xiaomi = shades.getValue(PushChannel.XIAOMI).notifications
        assertEquals(listOf("c1", "b2"), xiaomi.map { it.shows })
        assertEquals(listOf("b1"), xiaomi.last().replaced)
        assertEquals(3, shades.getValue(PushChannel.MEIZU).notifications.size)
        val apns = shades.getValue(PushChannel.APNS).notifications
        assertEquals(listOf("conv:c2c_bob", "conv:c2c_carol", "conv:c2c_bob"), apns.map { it.thread })
        assertTrue(shades.values.all { it.why.isNotEmpty() })
        assertThrows<PushException.InvalidInput> { simulateShade(listOf(bob1.copy(sender = " "))) }
        assertThrows<PushException.TooLarge> { simulateShade(List(1001) { bob1 }) }
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
