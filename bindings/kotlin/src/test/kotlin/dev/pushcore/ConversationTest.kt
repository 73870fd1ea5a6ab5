package dev.pushcore

import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows
import java.io.File

/**
 * Conversation notifications, mutes and quiet hours through the real
 * bindings (issue 17), on both doors: the generated `PushCore` and
 * `FastCalls.handleReceivedAndroid`.
 */
class ConversationTest {
    private fun newCore(dir: File = TestSupport.tempDir(), lines: UInt = 5u) =
        PushCore(
            TestSupport.exampleConfig().copy(notifications = NotificationSettings(conversationLines = lines)),
            dir.path,
        )

    /** A one-to-one text as an Android data message's extras (the bare `ext` shape). */
    private fun extras(id: String, sender: String, nickname: String, content: String, action: Int = 1): Map<String, Any?> {
        fun q(s: String) = "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\""
        val entity = """{"version":1,"chatType":1,"action":$action,"sender":${q(sender)},""" +
            """"nickname":${q(nickname)},"content":${q(content)},"msgID":${q(id)}}"""
        return mapOf("ext" to """{"entity":$entity}""")
    }

    private fun lines(n: ConversationNotification) = n.lines.map { "${it.senderName}: ${it.text}" }

    @Test
    fun `three messages of one conversation become one notification with three lines on the fast door`() {
        newCore().use { core ->
            FastCalls(core).use { fast ->
                var last: ReceivedOutcome? = null
                for ((id, text) in listOf("m1" to "one", "m2" to "two\nlines", "m3" to "three")) {
                    last = fast.handleReceivedAndroid(extras(id, "bob", "Bob", text), "fcm-data")
                }
                val outcome = last!!
                // The per-message decision is as before.
                val show = outcome.decision as ReceivedDecision.Show
                assertEquals(outcome.dedupKey, show.handle.tag)
                assertEquals(3u, show.badge)
                assertFalse(outcome.silent)
                val update = outcome.conversation!!
                assertEquals(1, update.post.size)
                val conversation = update.post[0]
                assertEquals("c2c_bob", conversation.conversationId)
                assertEquals("conv:c2c_bob", conversation.handle.tag)
                assertEquals(listOf("Bob: one", "Bob: two lines", "Bob: three"), lines(conversation))
                assertEquals(3u, conversation.unreadCount)
                assertNull(update.summary)
                // The generated door answers the same notification.
                assertEquals(update, core.conversationNotifications())
            }
        }
    }

    @Test
    fun `a second conversation brings the group summary and lines are capped by the config`() {
        newCore(lines = 2u).use { core ->
            for (i in 1..4) core.handleReceived(ClickInputs.android(extras("a$i", "ann", "Ann", "n$i")), "fcm-data")
            val outcome = core.handleReceived(ClickInputs.android(extras("c1", "cy", "Cy", "yo")), "fcm-data")
            val summary = outcome.conversation!!.summary!!
            assertEquals(2u, summary.conversationCount)
            assertEquals(5u, summary.unreadCount)
            assertEquals(outcome.conversation!!.summaryHandle, summary.handle)
            val ann = core.conversationNotifications().post.first { it.conversationId == "c2c_ann" }
            assertEquals(listOf("Ann: n3", "Ann: n4"), lines(ann))
            assertEquals(4u, ann.unreadCount)
        }
    }

    @Test
    fun `recall, read and swipe answer the conversation notification beside the per-message change`() {
        newCore().use { core ->
            for (i in 1..3) core.handleReceived(ClickInputs.android(extras("b$i", "bob", "Bob", "t$i")), "fcm-data")
            core.handleReceived(ClickInputs.android(extras("c1", "cy", "Cy", "yo")), "fcm-data")

            val recalled = core.onMessageRecalledGrouped("b2")
            assertEquals(LedgerChange(listOf(NotificationHandle("im:b2", recalled.change.remove[0].id)), 3u), recalled.change)
            assertEquals(listOf("Bob: t1", "Bob: t3"), lines(recalled.conversations.post.single()))
            assertEquals(2u, recalled.conversations.summary!!.conversationCount)

            val swiped = core.onNotificationDismissedGrouped(recalled.conversations.post.single().handle)
            assertEquals(1u, swiped.change.badge)
            assertEquals(listOf("conv:c2c_bob"), swiped.conversations.remove.map { it.tag })
            assertNull(swiped.conversations.summary, "one conversation left: no summary")

            val read = core.onConversationReadGrouped("c2c_cy", Long.MAX_VALUE)
            assertEquals(0u, read.change.badge)
            assertEquals(listOf("conv:c2c_cy"), read.conversations.remove.map { it.tag })
        }
    }

    @Test
    fun `a muted chat stays silent in every process until unmuted, and calls still ring`() {
        val dir = TestSupport.tempDir()
        newCore(dir).use { app ->
            newCore(dir).use { service ->
                app.setConversationMuted("c2c_bob", null)
                assertEquals(listOf(MutedConversation("c2c_bob", null)), service.mutedConversations())
                FastCalls(service).use { fast ->
                    val muted = fast.handleReceivedAndroid(extras("m1", "bob", "Bob", "psst"), "fcm-data")
                    assertEquals(ReceivedDecision.Suppress(SuppressReason.MUTED, 0u), muted.decision)
                    assertNull(muted.conversation)
                }
                val call = service.handleReceived(
                    ClickInputs.android(extras("call1", "bob", "Bob", """{"call_id":"c-1","call_type":1}""", action = 2)),
                    "fcm-data",
                )
                assertTrue(call.decision is ReceivedDecision.Show, call.decision.toString())
                // A time in the past unmutes.
                app.setConversationMuted("c2c_bob", 1L)
                assertTrue(service.mutedConversations().isEmpty())
                val shown = service.handleReceived(ClickInputs.android(extras("m2", "bob", "Bob", "hi")), "fcm-data")
                assertTrue(shown.decision is ReceivedDecision.Show)
                assertEquals("invalid_input", assertThrows<PushException> { app.setConversationMuted("c2c_bob", -1L) }.code)
            }
        }
    }

    @Test
    fun `quiet hours show silently by default or suppress, and bad input is a typed error`() {
        newCore().use { core ->
            FastCalls(core).use { fast ->
                val minute = ((System.currentTimeMillis() / 60_000) % 1440).toUInt()
                // A window that holds now whatever the time: from this minute to the one before.
                val now = QuietHours(minute, (minute + 1439u) % 1440u, "UTC", QuietHoursPolicy.SHOW_SILENTLY)
                core.setQuietHours(now)
                assertEquals(now, core.quietHours())
                val silent = fast.handleReceivedAndroid(extras("q1", "bob", "Bob", "late"), "fcm-data")
                assertTrue(silent.decision is ReceivedDecision.Show)
                assertTrue(silent.silent)
                core.setQuietHours(now.copy(policy = QuietHoursPolicy.SUPPRESS))
                val suppressed = fast.handleReceivedAndroid(extras("q2", "bob", "Bob", "late"), "fcm-data")
                assertEquals(SuppressReason.QUIET_HOURS, (suppressed.decision as ReceivedDecision.Suppress).reason)
                core.clearQuietHours()
                assertNull(core.quietHours())
                assertFalse(fast.handleReceivedAndroid(extras("q3", "bob", "Bob", "day"), "fcm-data").silent)

                for (bad in listOf(
                    now.copy(timezone = "Mars/Olympus_Mons"),
                    now.copy(endMinute = now.startMinute),
                    now.copy(startMinute = 1440u),
                )) {
                    assertEquals("invalid_input", assertThrows<PushException> { core.setQuietHours(bad) }.code, bad.toString())
                }
                assertNull(core.quietHours(), "nothing stored")
            }
        }
    }
}
