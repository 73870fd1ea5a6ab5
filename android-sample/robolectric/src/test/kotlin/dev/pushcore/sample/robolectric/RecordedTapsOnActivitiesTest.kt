package dev.pushcore.sample.robolectric

import android.content.Intent
import dev.pushcore.sample.ui.CallActivity
import dev.pushcore.sample.ui.ChatActivity
import org.junit.Assert.assertEquals
import org.junit.Assert.assertFalse
import org.junit.Assert.assertTrue
import org.junit.Test
import org.junit.runner.RunWith
import org.robolectric.ParameterizedRobolectricTestRunner
import org.robolectric.ParameterizedRobolectricTestRunner.Parameters

/**
 * One recorded tap per Android channel, built as that channel's SDK builds
 * the intent, started on the real PushTapActivity: the real core (through
 * JNA) parses and routes it, and RouterActivity opens the screen it names.
 */
@RunWith(ParameterizedRobolectricTestRunner::class)
class RecordedTapsOnActivitiesTest(
    private val channel: String,
    private val expected: Opened,
) {
    /** The activity the router must open and the extras it must carry. */
    data class Opened(val activity: Class<*>, val extras: Map<String, String>)

    @Test
    fun `a recorded tap ends on the screen its payload names`() {
        val result = Taps.tap(Taps.recorded(channel))
        assertEquals(expected.activity.name, result.openedClass)
        assertEquals(expected.extras, extrasOf(result.opened, expected.extras.keys))
        assertFalse("a first tap is not a duplicate", result.duplicate)
    }

    @Test
    fun `the same tap delivered again is recognised as a duplicate and still opens its screen`() {
        val (first, second) = Taps.tapTwice(Taps.recorded(channel))
        assertFalse(first.duplicate)
        assertTrue("onNewIntent with the same tap is a duplicate", second.duplicate)
        assertEquals(first.openedClass, second.openedClass)
        assertEquals(expected.extras, extrasOf(second.opened, expected.extras.keys))
    }

    @Test
    fun `the same tap arriving as a fresh launch is a duplicate too`() {
        val first = Taps.tap(Taps.recorded(channel))
        val again = Taps.tap(Taps.throughParcel(Taps.recorded(channel)))
        assertFalse(first.duplicate)
        assertTrue("a second launch with the same payload is a duplicate", again.duplicate)
        assertEquals(first.openedClass, again.openedClass)
    }

    private fun extrasOf(intent: Intent, keys: Set<String>) = keys.associateWith { intent.getStringExtra(it) }

    companion object {
        private fun chat(conversation: String, title: String) =
            Opened(ChatActivity::class.java, mapOf(ChatActivity.EXTRA_CONVERSATION to conversation, ChatActivity.EXTRA_TITLE to title))

        @JvmStatic
        @Parameters(name = "{0}")
        fun channels(): List<Array<Any>> = listOf(
            // MiPushMessage (Serializable) under key_message.
            arrayOf("xiaomi", chat("c2c_alice", "Alice")),
            // The click action's intent URI (S.ext=...) as the data URI, plus HMS extras.
            arrayOf("huawei", chat("group_team-rust", "Rust guild")),
            arrayOf("honor", Opened(CallActivity::class.java, mapOf(CallActivity.EXTRA_CALLER to "bob"))),
            // Each top-level key of ext as its own extra.
            arrayOf("oppo", chat("c2c_carol", "Carol")),
            arrayOf("vivo", chat("group_family", "Family")),
            arrayOf("meizu", chat("c2c_dave", "Dave")),
            // FCM data keys: ext plus google.message_id, google.sent_time (long), google.ttl (int), from.
            arrayOf("fcm", chat("c2c_erin", "Erin")),
        )
    }
}
