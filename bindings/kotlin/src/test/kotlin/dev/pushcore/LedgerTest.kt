package dev.pushcore

import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows
import java.io.File

/** The notification ledger through the real bindings: every capability. */
class LedgerTest {
    private fun message(id: String, sender: String = "bob", content: String = "hi", sendTime: ULong = 0u, receiver: String? = null) =
        OutboundMessage(
            messageType = OutboundMessageType.TEXT,
            messageId = id,
            chatType = ChatType.C2C,
            sender = sender,
            content = content,
            sendTime = sendTime,
            receiver = receiver,
        )

    private fun delivered(m: OutboundMessage, channel: PushChannel = PushChannel.FCM) =
        clickInputFromJson(simulateDelivery(m, channel))

    private fun newCore(dir: File = TestSupport.tempDir()) = PushCore(TestSupport.exampleConfig(), dir.path)

    private fun PushCore.show(m: OutboundMessage): NotificationHandle {
        val decision = handleReceived(delivered(m), "fcm-data").decision
        assertTrue(decision is ReceivedDecision.Show, decision.toString())
        return (decision as ReceivedDecision.Show).handle
    }

    @Test
    fun `a recall answers the handle to remove and suppresses the late delivery`() {
        newCore().use { core ->
            val handle = core.show(message("m-1"))
            assertEquals(LedgerChange(listOf(handle), 0u), core.onMessageRecalled("m-1"))
            val late = core.handleReceived(delivered(message("m-1"), PushChannel.XIAOMI), "xiaomi-data")
            assertEquals(ReceivedDecision.Suppress(SuppressReason.RECALLED, 0u), late.decision)
            // A recall that overtakes its message; an unknown id is not an error.
            assertEquals(LedgerChange(emptyList(), 0u), core.onMessageRecalled("m-2"))
            assertEquals(
                ReceivedDecision.Suppress(SuppressReason.RECALLED, 0u),
                core.handleReceived(delivered(message("m-2")), "fcm-data").decision,
            )
        }
    }

    @Test
    fun `a conversation read elsewhere, a swipe and a tap each answer the badge`() {
        newCore().use { core ->
            val t = 1_750_000_000UL
            val b1 = core.show(message("b1", sendTime = t))
            val b2 = core.show(message("b2", sendTime = t + 5u))
            val c1 = core.show(message("c1", sender = "carol"))
            assertEquals(3u, core.badgeCount())
            assertEquals(LedgerChange(listOf(b1), 2u), core.onConversationRead("c2c_bob", (t * 1000u).toLong()))
            assertEquals(LedgerChange(emptyList(), 2u), core.onConversationRead("c2c_nobody", Long.MAX_VALUE))
            assertEquals(LedgerChange(emptyList(), 1u), core.onNotificationDismissed(b2))
            assertEquals(LedgerChange(emptyList(), 1u), core.onNotificationDismissed(NotificationHandle("unknown", 1)))
            val tap = core.handleTap(delivered(message("c1", sender = "carol")))
            assertEquals(0u, tap.badge)
            assertEquals(Route.C2cChat("carol"), tap.route)
            assertEquals(c1.tag, "im:c1")
        }
    }

    @Test
    fun `an edit of a shown message replaces it under the same handle`() {
        newCore().use { core ->
            val handle = core.show(message("m-1", content = "hi"))
            assertEquals(
                ReceivedDecision.Replace(handle, 1u),
                core.handleReceived(delivered(message("m-1", content = "hi (edited)")), "fcm-data").decision,
            )
            assertEquals(
                ReceivedDecision.Suppress(SuppressReason.DUPLICATE, 1u),
                core.handleReceived(delivered(message("m-1", content = "hi (edited)")), "im-online").decision,
            )
        }
    }

    @Test
    fun `the account guard follows login and logout and taps of another account go home`() = runBlocking {
        val platform = KotlinPlatform(TestSupport.androidDevice("OPPO", romProperties = mapOf("ro.build.version.opporom" to "V14.0")))
        newCore().use { core ->
            core.startRegistration(platform, KotlinBackend(), null)
            core.loginAndWait("bob", 5_000u)
            val forAlice = message("a-1", sender = "carol", receiver = "alice")
            assertEquals(
                ReceivedDecision.Suppress(SuppressReason.OTHER_ACCOUNT, 0u),
                core.handleReceived(delivered(forAlice), "fcm-data").decision,
            )
            assertEquals(Route.Home, core.handleTap(delivered(forAlice)).route)
            core.show(message("b-1", sender = "carol", receiver = "bob"))
            assertEquals(1u, core.badgeCount())

            core.logoutAndWait(LogoutReason.PROACTIVE, 5_000u)
            assertEquals(
                ReceivedDecision.Suppress(SuppressReason.LOGGED_OUT, 0u),
                core.handleReceived(delivered(message("b-2", receiver = "bob")), "fcm-data").decision,
            )
            assertEquals(0u, core.badgeCount())
        }
    }

    @Test
    fun `a platform-shown notification is recorded under its own identifier`() {
        newCore().use { core ->
            val n = core.parseClick(delivered(message("m-9"), PushChannel.APNS))
            val apns = NotificationHandle("5B1C3B0E-APNS", 0)
            assertEquals(LedgerChange(emptyList(), 1u), core.notificationShown(n, apns, "apns"))
            assertEquals(listOf(apns), core.onMessageRecalled("m-9").remove)
        }
    }

    @Test
    fun `a message the system showed and the app recorded is a duplicate when the IM connection brings it`() {
        newCore().use { core ->
            FastCalls(core).use { fast ->
                // The APNs alert iOS showed itself, recorded from the NSE.
                val shownBySystem = core.parseClick(delivered(message("m-7"), PushChannel.APNS))
                core.notificationShown(shownBySystem, NotificationHandle("7C1E-APNS", 0), "apns")
                // The same message again, as the IM SDK's online delivery.
                val online = delivered(message("m-7"), PushChannel.FCM)
                val duplicate = ReceivedDecision.Suppress(SuppressReason.DUPLICATE, 1u)
                assertEquals(duplicate, core.handleReceived(online, "im-online").decision)
                assertEquals(duplicate, fast.handleReceived(online, "im-online").decision)
                assertEquals(1u, core.badgeCount())
            }
        }
    }

    @Test
    fun `FastCalls answers the same decisions as the generated call`() {
        newCore().use { core ->
            FastCalls(core).use { fast ->
                val first = fast.handleReceived(delivered(message("m-1")), "fcm-data")
                val handle = (first.decision as ReceivedDecision.Show).handle
                assertEquals(core.onMessageRecalled("m-1"), LedgerChange(listOf(handle), 0u))
                assertEquals(
                    core.handleReceived(delivered(message("m-1")), "x").decision,
                    fast.handleReceived(delivered(message("m-1")), "y").decision,
                )
            }
        }
    }

    @Test
    fun `badgeMethod names the launcher API each vendor documents`() {
        for ((brand, method) in listOf(
            "HUAWEI" to BadgeMethod.HUAWEI_LAUNCHER,
            "HONOR" to BadgeMethod.HONOR_LAUNCHER,
            "vivo" to BadgeMethod.VIVO_BROADCAST,
            "Xiaomi" to BadgeMethod.XIAOMI_NOTIFICATION_COUNT,
            "OPPO" to BadgeMethod.DOT_ONLY,
            "Google" to BadgeMethod.NOTIFICATION_NUMBER,
        )) {
            assertEquals(method, badgeMethod(TestSupport.androidDevice(brand)), brand)
        }
    }

    @Test
    fun `bad input is a typed error and a broken store still shows the message`() {
        newCore().use { core ->
            assertEquals("invalid_input", assertThrows<PushException.InvalidInput> { core.onMessageRecalled(" ") }.code)
            assertEquals("invalid_input", assertThrows<PushException.InvalidInput> { core.onConversationRead("", 1) }.code)
            assertEquals("invalid_input", assertThrows<PushException.InvalidInput> { core.onConversationRead("c2c_bob", -1) }.code)
        }
        val dir = TestSupport.tempDir()
        File(dir, "pushcore.db").mkdir()
        newCore(dir).use { core ->
            val decision = core.handleReceived(delivered(message("m-1")), "fcm-data").decision
            assertEquals(null, (decision as ReceivedDecision.Show).badge)
            assertThrows<PushException.Storage> { core.onMessageRecalled("m-1") }
        }
    }
}
