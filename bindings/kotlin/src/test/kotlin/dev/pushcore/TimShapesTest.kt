package dev.pushcore

import org.junit.jupiter.api.Assertions.assertArrayEquals
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows

/**
 * The payloads Tencent's own senders write (issues 19 and 22), through both
 * tap doors: `PushCore.handleTap` and `FastCalls.handleAndroidTap`.
 */
class TimShapesTest {
    /** Android UIKit (Gson): signed customData, `\u003d` `\u0027` `\u0026`, unset features as -1. */
    private val gsonExt =
        """{"entity":{"version":1,"chatType":1,"action":1,"sender":"user_7","nickname":"Li \u0027Lee\u0027",""" +
            """"content":"a\u003db \u0026 c","sendTime":1732600000,"customData":[104,105,32,-28,-67,-96,-27,-91,-67]},""" +
            """"timPushFeatures":{"fcmPushType":-1,"fcmNotificationType":-1}}"""

    private val signalling =
        """{"version":4,"call_id":"call-77","room_id":1234,"call_type":2,"invited_list":["bob","dave"],"group_id":"@TGS#team"}"""

    private val groupCallExt = JsonText.encode(
        mapOf("entity" to mapOf("version" to 1, "chatType" to 2, "action" to 2, "sender" to "carol", "content" to signalling)),
    )

    private data class Case(
        val name: String,
        val extras: Map<String, Any?>,
        val hint: PushChannel?,
        val route: Route,
        val conversationId: String?,
        val channel: PushChannel?,
        val findings: List<String> = emptyList(),
    )

    private val cases = listOf(
        Case("gson signed customData", mapOf("ext" to gsonExt), PushChannel.VIVO, Route.C2cChat("user_7"), "c2c_user_7", PushChannel.VIVO),
        Case(
            "group call", mapOf("ext" to groupCallExt, "_push_msgid" to "hw-1", "_push_notifyid" to "42"), null,
            Route.Call(ChatType.GROUP, "carol", "@TGS#team", "call-77", CallMedia.VIDEO, listOf("bob", "dave")),
            "group_@TGS#team", PushChannel.HUAWEI,
        ),
        Case(
            "flutter conversationID", mapOf("ext" to """{"conversationID":"group_@TGS#f"}"""), PushChannel.HONOR,
            Route.GroupChat("@TGS#f"), "group_@TGS#f", PushChannel.HONOR,
        ),
        Case(
            "entity of app keys", mapOf("ext" to """{"entity":{"key1":"value1"}}""", "vivo_push_messageId" to "77"), null,
            Route.Home, null, PushChannel.VIVO,
        ),
        Case(
            "malformed optional fields",
            mapOf("entity" to """{"chatType":1,"sender":"u9","nickname":{"a":1},"sendTime":"later","customData":[1,999]}"""),
            null, Route.C2cChat("u9"), "c2c_u9", PushChannel.OPPO,
            listOf("entity.nickname", "entity.sendTime", "entity.customData"),
        ),
    )

    private fun newCore() = PushCore(TestSupport.exampleConfig(), TestSupport.tempDir().path)

    @Test
    fun `every sender's shape routes through handleTap and handleAndroidTap alike`() {
        for (c in cases) {
            newCore().use { core ->
                FastCalls(core).use { fast ->
                    val viaFast = fast.handleAndroidTap(c.extras, null, c.hint)
                    assertEquals(c.route, viaFast.route, c.name)
                    assertEquals(c.conversationId, viaFast.notification.conversationId, c.name)
                    assertEquals(c.channel, viaFast.notification.channel, c.name)
                    assertEquals(c.findings, viaFast.notification.findings.map { it.field }, c.name)
                    assertEquals(DedupOutcome.Fresh, viaFast.dedup, c.name)
                    val viaCore = core.handleTap(ClickInputs.android(c.extras, null, c.hint))
                    assertEquals(viaFast.notification.comparable, viaCore.notification.comparable, c.name)
                    assertEquals(viaFast.route, viaCore.route, c.name)
                    assertTrue(viaCore.dedup is DedupOutcome.Duplicate, c.name)
                }
            }
        }
    }

    @Test
    fun `signed and unsigned customData give the same bytes and Gson escapes are undone`() {
        val n = FastCalls.parseAndroidTap(mapOf("ext" to gsonExt), null, PushChannel.FCM)
        assertArrayEquals("hi 你好".toByteArray(), n.customData)
        assertEquals("Li 'Lee'", n.nickname)
        assertEquals("a=b & c", n.content)
        val unsigned = gsonExt.replace("[104,105,32,-28,-67,-96,-27,-91,-67]", "[104,105,32,228,189,160,229,165,189]")
        assertArrayEquals(n.customData, parseClickInput(ClickInputs.android(mapOf("ext" to unsigned), null, PushChannel.FCM)).customData)
    }

    @Test
    fun `a call carries its signalling, vendor ids and app keys reach the app`() {
        val call = FastCalls.parseAndroidTap(mapOf("ext" to groupCallExt, "_push_msgid" to "hw-1", "_push_notifyid" to "42"))
        assertEquals(CallInfo("carol", "@TGS#team", "call-77", CallMedia.VIDEO, listOf("bob", "dave")), call.call)
        assertNull(call.content)
        assertEquals("hw-1", call.vendorMessageId)
        assertEquals("42", call.vendorNotificationId)
        val keys = parseClickInput(ClickInputs.android(mapOf("ext" to """{"entity":{"key1":"value1"}}"""), null, PushChannel.HUAWEI))
        assertNull(keys.chatType)
        assertNull(keys.sender)
        assertEquals("value1", keys.extras["key1"])
        assertThrows<PushException.InvalidExt> {
            parseClickInput(ClickInputs.android(mapOf("ext" to """{"conversationID":"topic_x"}"""), null, PushChannel.VIVO))
        }
    }

    @Test
    fun `a group call built with buildPush parses back to its group on every channel`() {
        val message = OutboundMessage(
            messageType = OutboundMessageType.CUSTOM,
            chatType = ChatType.GROUP,
            sender = "carol",
            content = "Carol is calling",
            options = OfflinePushOptions(desc = "Carol is calling", oppoChannelId = "im"),
            call = OutboundCall(callId = "call-9", media = CallMedia.AUDIO, invited = listOf("bob"), groupId = "@TGS#team"),
        )
        assertTrue(buildPush(message).ext.contains("call-9"))
        for (channel in PushChannel.entries) {
            val n = parseClickInput(clickInputFromJson(simulateDelivery(message, channel)))
            assertEquals("group_@TGS#team", n.conversationId, channel.toString())
            assertEquals(CallInfo("carol", "@TGS#team", "call-9", CallMedia.AUDIO, listOf("bob")), n.call)
        }
    }
}
