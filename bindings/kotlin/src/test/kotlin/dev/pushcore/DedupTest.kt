package dev.pushcore

import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertNotEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows
import java.io.File
import java.util.concurrent.ConcurrentHashMap
import java.util.concurrent.Executors
import java.util.concurrent.TimeUnit
import java.util.concurrent.atomic.AtomicInteger

class DedupTest {
    private fun core(dir: File = TestSupport.tempDir()) = PushCore(TestSupport.exampleConfig(), dir.path)

    @Test
    fun `a key is fresh once, then a duplicate carrying the first source`() {
        core().use { core ->
            assertEquals(DedupOutcome.Fresh, core.checkAndMark("im:42", DedupKind.DISPLAYED, "online"))
            val dup = core.checkAndMark("im:42", DedupKind.DISPLAYED, "fcm")
            assertTrue(dup is DedupOutcome.Duplicate, dup.toString())
            dup as DedupOutcome.Duplicate
            assertEquals("online", dup.source)
            val now = System.currentTimeMillis()
            assertTrue(dup.firstSeenMs in (now - 60_000)..now, "first seen ${dup.firstSeenMs}, now $now")
        }
    }

    @Test
    fun `displayed and clicked are deduplicated independently`() {
        core().use { core ->
            assertEquals(DedupOutcome.Fresh, core.checkAndMark("im:7", DedupKind.DISPLAYED, "xiaomi"))
            assertEquals(DedupOutcome.Fresh, core.checkAndMark("im:7", DedupKind.CLICKED, "tap"))
            assertTrue(core.checkAndMark("im:7", DedupKind.CLICKED, "tap") is DedupOutcome.Duplicate)
        }
    }

    @Test
    fun `answers survive a new core on the same directory, and stats count rows`() {
        val dir = TestSupport.tempDir()
        core(dir).use { core ->
            for (i in 0 until 25) core.checkAndMark("im:$i", DedupKind.DISPLAYED, "fcm")
            val stats = core.dedupStats()
            assertEquals(25UL, stats.rowCount)
            assertTrue(stats.fileSizeBytes >= 4096UL, stats.toString())
            assertEquals(emptyList<StoreEvent>(), core.storeEvents())
        }
        core(dir).use { core ->
            assertTrue(core.checkAndMark("im:3", DedupKind.DISPLAYED, "vivo") is DedupOutcome.Duplicate)
        }
        assertTrue(File(dir, "pushcore.db").isFile)
    }

    @Test
    fun `derived keys prefer ids and digests are stable`() {
        val fields = DedupFields(sender = "alice", chatType = 1u, content = "hi")
        // The same value the Rust tests pin: stable across platforms.
        assertEquals("digest:08d04644e348247e", deriveDedupKey(fields))
        assertEquals(
            "vendor:xiaomi:sdm1",
            deriveDedupKey(fields.copy(vendorMessageId = "sdm1", channel = PushChannel.XIAOMI)),
        )
        assertEquals("im:m1", deriveDedupKey(fields.copy(imMessageId = "m1", vendorMessageId = "sdm1")))
        assertNotEquals(deriveDedupKey(fields), deriveDedupKey(fields.copy(sendTimeSeconds = 1UL)))
        // Ids over 128 bytes become a fixed-size digest, pinned as in Rust.
        assertEquals(
            "im#21b9705afa1172d4e345b7be249a850c",
            deriveDedupKey(fields.copy(imMessageId = "i".repeat(129))),
        )
        assertEquals(35, deriveDedupKey(fields.copy(imMessageId = "i".repeat(100_000))).length)
    }

    @Test
    fun `a corrupt file is replaced and reported, and bad keys are typed errors`() {
        val dir = TestSupport.tempDir()
        File(dir, "pushcore.db").writeBytes(ByteArray(4096) { 0x42 })
        core(dir).use { core ->
            assertEquals(DedupOutcome.Fresh, core.checkAndMark("im:1", DedupKind.DISPLAYED, "fcm"))
            val events = core.storeEvents()
            assertEquals(1, events.size, events.toString())
            assertTrue(File(events[0].movedTo).isFile, events[0].movedTo)
            assertThrows<PushException.InvalidInput> { core.checkAndMark("", DedupKind.DISPLAYED, "fcm") }
            assertThrows<PushException.TooLarge> { core.checkAndMark("k".repeat(513), DedupKind.DISPLAYED, "fcm") }
        }
    }

    @Test
    fun `an unusable store is a Storage error while the core keeps working`() {
        val dir = TestSupport.tempDir()
        File(dir, "pushcore.db").mkdir()
        core(dir).use { core ->
            assertThrows<PushException.Storage> { core.checkAndMark("im:1", DedupKind.DISPLAYED, "fcm") }
            assertEquals(coreVersion(), core.version())
        }
    }

    @Test
    fun `several JVM threads marking overlapping keys see each key fresh exactly once`() {
        val keys = 1_000
        val threads = 4
        val freshCounts = ConcurrentHashMap<String, AtomicInteger>()
        core().use { core ->
            val pool = Executors.newFixedThreadPool(threads)
            val jobs = (0 until threads).map { t ->
                pool.submit {
                    for (i in 0 until keys) {
                        val key = "im:${(i + t * 331) % keys}"
                        if (core.checkAndMark(key, DedupKind.DISPLAYED, "t$t") == DedupOutcome.Fresh) {
                            freshCounts.computeIfAbsent(key) { AtomicInteger() }.incrementAndGet()
                        }
                    }
                }
            }
            jobs.forEach { it.get(60, TimeUnit.SECONDS) }
            pool.shutdown()
            assertEquals(keys, freshCounts.size)
            assertTrue(freshCounts.values.all { it.get() == 1 }, "a key was fresh twice")
            assertEquals(keys.toULong(), core.dedupStats().rowCount)
        }
    }

    @Test
    fun `one message tapped on every channel is handled once, by its IM id`() {
        val message = outboundMessageFromJson(
            File(TestSupport.repo, "docs/examples/message.json").readText(),
        )
        core().use { core ->
            val outcomes = PushChannel.values().map { channel ->
                val tap = parseClickInput(clickInputFromJson(simulateDelivery(message, channel)))
                assertEquals("im:${message.messageId}", deriveDedupKey(dedupFieldsForNotification(tap)))
                core.checkAndMarkNotification(tap, DedupKind.CLICKED, channel.name.lowercase())
            }
            assertEquals(DedupOutcome.Fresh, outcomes.first())
            val firstSource = (outcomes[1] as DedupOutcome.Duplicate).source
            assertEquals(PushChannel.values().first().name.lowercase(), firstSource)
            assertTrue(outcomes.drop(1).all { it is DedupOutcome.Duplicate }, outcomes.toString())
        }
    }
}
