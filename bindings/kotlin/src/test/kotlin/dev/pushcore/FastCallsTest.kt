package dev.pushcore

import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows
import java.io.File
import java.nio.ByteBuffer
import java.util.concurrent.CopyOnWriteArrayList
import java.util.concurrent.CountDownLatch
import java.util.concurrent.Executors
import java.util.concurrent.TimeUnit

/** The fast door must answer exactly as the generated one does. */
class FastCallsTest {
    private val message = outboundMessageFromJson(
        File(TestSupport.repo, "docs/examples/message.json").readText(),
    )

    private fun tapOn(channel: PushChannel): ClickInput = clickInputFromJson(simulateDelivery(message, channel))

    private fun newCore() = PushCore(TestSupport.exampleConfig(), TestSupport.tempDir().path)

    /** Inputs the core refuses, each with the error the generated call throws. */
    private val refused: List<ClickInput> = listOf(
        ClickInput.Ios("not json"),
        ClickInput.Android("{}", null, null),
        ClickInput.Android("""{"ext":"{\"entity\":{\"chatType\":9}}"}""", null, PushChannel.HONOR),
        ClickInput.Android("x".repeat(300_000), null, null),
    )

    @Test
    fun `parseClickInput answers as the generated call for every channel`() {
        for (channel in PushChannel.entries) {
            val input = tapOn(channel)
            assertEquals(parseClickInput(input), FastCalls.parseClickInput(input), channel.toString())
        }
    }

    @Test
    fun `refused input throws the same typed exception with the same code`() {
        for (input in refused) {
            val expected = assertThrows<PushException> { parseClickInput(input) }
            val actual = assertThrows<PushException> { FastCalls.parseClickInput(input) }
            assertEquals(expected::class, actual::class, input.toString().take(80))
            assertEquals(expected.code, actual.code)
            assertEquals(expected.message, actual.message)
        }
    }

    @Test
    fun `handleTap answers as the generated call and shares the core's store`() {
        for (channel in PushChannel.entries) {
            newCore().use { generated ->
                newCore().use { core ->
                    FastCalls(core).use { fast ->
                        val input = tapOn(channel)
                        val viaGenerated = generated.handleTap(input)
                        val viaFast = fast.handleTap(input)
                        assertEquals(viaGenerated.notification, viaFast.notification, channel.toString())
                        assertEquals(viaGenerated.route, viaFast.route)
                        assertEquals(DedupOutcome.Fresh, viaFast.dedup)
                        // The same tap through the generated door is now a duplicate.
                        val again = core.handleTap(input).dedup
                        assertTrue(again is DedupOutcome.Duplicate, "$channel: $again")
                    }
                }
            }
        }
    }

    @Test
    fun `checkAndMark and checkAndMarkNotification keep kinds apart and name the first source`() {
        newCore().use { core ->
            FastCalls(core).use { fast ->
                assertEquals(DedupOutcome.Fresh, fast.checkAndMark("m-1", DedupKind.DISPLAYED, "fcm"))
                assertEquals(DedupOutcome.Fresh, fast.checkAndMark("m-1", DedupKind.CLICKED, "fcm"))
                val dup = fast.checkAndMark("m-1", DedupKind.DISPLAYED, "im")
                assertEquals("fcm", (dup as DedupOutcome.Duplicate).source)
                assertEquals(dup, core.checkAndMark("m-1", DedupKind.DISPLAYED, "other"))

                val notification = parseClickInput(tapOn(PushChannel.VIVO))
                assertEquals(
                    DedupOutcome.Fresh,
                    fast.checkAndMarkNotification(notification, DedupKind.DISPLAYED, "vivo"),
                )
                val seen = core.checkAndMarkNotification(notification, DedupKind.DISPLAYED, "im")
                assertEquals("vivo", (seen as DedupOutcome.Duplicate).source)

                val longKey = "k".repeat(600)
                val expected = assertThrows<PushException> { core.checkAndMark(longKey, DedupKind.CLICKED, "x") }
                val actual = assertThrows<PushException> { fast.checkAndMark(longKey, DedupKind.CLICKED, "x") }
                assertEquals(expected.code, actual.code)
                assertEquals(expected.message, actual.message)
            }
        }
    }

    @Test
    fun `an unusable store still routes the tap`() {
        val dir = TestSupport.tempDir()
        File(dir, "pushcore.db").mkdir()
        PushCore(TestSupport.exampleConfig(), dir.path).use { core ->
            FastCalls(core).use { fast ->
                val outcome = fast.handleTap(tapOn(PushChannel.OPPO))
                assertEquals(Route.C2cChat("alice"), outcome.route)
                assertNull(outcome.dedup)
                assertEquals("storage", assertThrows<PushException> { fast.checkAndMark("k", DedupKind.CLICKED, "x") }.code)
            }
        }
    }

    @Test
    fun `closing either side in any order is safe and calls after close throw`() {
        val core = newCore()
        val fast = FastCalls(core)
        core.close()
        // The fast object holds its own reference: the core is still there.
        assertEquals(DedupOutcome.Fresh, fast.checkAndMark("after-core-close", DedupKind.CLICKED, "x"))
        fast.close()
        fast.close()
        assertThrows<IllegalStateException> { fast.checkAndMark("k", DedupKind.CLICKED, "x") }
        // A closed core cannot be attached to.
        assertThrows<IllegalStateException> { FastCalls(core) }
    }

    @Test
    fun `an answer larger than the buffer comes back through the core's own copy`() {
        // "not json" is 8 bytes; the error explaining it is longer, so a
        // buffer sized exactly for the arguments cannot hold the answer.
        val input = ClickInput.Ios("not json")
        val scratch = ByteBuffer.allocate(FfiConverterTypeClickInput.allocationSize(input).toInt())
        FfiConverterTypeClickInput.write(input, scratch)
        val size = scratch.position()
        val buf = ByteBuffer.allocateDirect(size + FastWire.HEADER_LEN)
        buf.put(scratch.array(), 0, size)
        FastLib.ensureLoaded()
        val status = FastLib.pushcore_fast_parse_click_input(addressOf(buf), size, buf.capacity())
        assertEquals(FastWire.STATUS_ERROR, status)
        assertTrue(buf.getLong(8) != 0L, "expected the overflow pointer to be set")
        val e = assertThrows<PushException.InvalidInput> { FastWire.read(status, buf, FfiConverterTypeNormalizedNotification) }
        assertEquals(assertThrows<PushException> { parseClickInput(input) }.message, e.message)
    }

    @Test
    fun `a panic answer becomes InternalException with the core's message`() {
        // The core catches panics and answers STATUS_PANIC (tested in Rust);
        // this is the Kotlin half: the header and message as the core writes them.
        val message = "panic in the core: boom".toByteArray()
        val buf = ByteBuffer.allocateDirect(64)
        buf.putInt(0, message.size).putLong(8, 0L)
        for ((i, b) in message.withIndex()) buf.put(FastWire.HEADER_LEN + i, b)
        val e = assertThrows<InternalException> { FastWire.read(FastWire.STATUS_PANIC, buf, FfiConverterTypeNormalizedNotification) }
        assertEquals("panic in the core: boom", e.message)
        assertThrows<InternalException> { FastWire.read(4, buf, FfiConverterTypeNormalizedNotification) }
    }

    @Test
    fun `malformed calls are refused with a reason, never a crash`() {
        FastLib.ensureLoaded()
        val buf = ByteBuffer.allocateDirect(64)
        val address = addressOf(buf)
        // Too small for the header or no buffer at all: nothing is written.
        assertEquals(4, FastLib.pushcore_fast_parse_click_input(address, 0, 8))
        assertEquals(4, FastLib.pushcore_fast_parse_click_input(0L, 0, 64))
        // A length beyond the buffer, then bytes that are not a ClickInput.
        for ((len, bytes) in listOf(100 to byteArrayOf(), 4 to byteArrayOf(0, 0, 0, 7))) {
            buf.clear()
            buf.put(bytes)
            val status = FastLib.pushcore_fast_parse_click_input(address, len, buf.capacity())
            assertEquals(FastWire.STATUS_BAD_CALL, status)
            val e = assertThrows<InternalException> { FastWire.read(status, buf, FfiConverterTypeNormalizedNotification) }
            assertTrue(e.message!!.contains("refused the call"), e.message)
        }
        // A missing core handle.
        buf.clear()
        assertEquals(FastWire.STATUS_BAD_CALL, FastLib.pushcore_fast_check_and_mark(0L, address, 0, buf.capacity()))
    }

    @Test
    fun `a log forwarder calling back in during a fast call gets its own buffer`() {
        val dir = TestSupport.tempDir()
        File(dir, "pushcore.db").mkdir()
        val nested = CopyOnWriteArrayList<NormalizedNotification>()
        val inner = tapOn(PushChannel.MEIZU)
        installPushCoreLogger(LogLevel.WARN) { record ->
            if (record.message.contains("without dedup")) nested.add(FastCalls.parseClickInput(inner))
        }
        try {
            PushCore(TestSupport.exampleConfig(), dir.path).use { core ->
                FastCalls(core).use { fast ->
                    val outer = fast.handleTap(tapOn(PushChannel.XIAOMI))
                    assertEquals(PushChannel.XIAOMI, outer.notification.channel)
                    assertEquals(Route.C2cChat("alice"), outer.route)
                }
            }
        } finally {
            removePushCoreLogger()
        }
        assertEquals(1, nested.size)
        assertEquals(PushChannel.MEIZU, nested[0].channel)
    }

    private fun addressOf(buf: ByteBuffer): Long = FastWire.Scratch(buf).address

    @Test
    fun `concurrent threads get exactly one Fresh per key`() {
        newCore().use { core ->
            FastCalls(core).use { fast ->
                val threads = 4
                val keys = 300
                val pool = Executors.newFixedThreadPool(threads)
                val start = CountDownLatch(1)
                val fresh = java.util.concurrent.atomic.AtomicInteger()
                val jobs = (0 until threads).map {
                    pool.submit {
                        start.await()
                        for (k in 0 until keys) {
                            if (fast.checkAndMark("key-$k", DedupKind.DISPLAYED, "t$it") == DedupOutcome.Fresh) {
                                fresh.incrementAndGet()
                            }
                        }
                    }
                }
                start.countDown()
                jobs.forEach { it.get(60, TimeUnit.SECONDS) }
                pool.shutdown()
                assertEquals(keys, fresh.get())
            }
        }
    }

    private class Opaque {
        override fun toString() = "opaque-object"
    }

    private val ext = """{"entity":{"version":1,"chatType":1,"action":1,"sender":"erin","content":"hi","msgID":"m-9"}}"""

    /** Android taps as maps, one per shape, with every value type a Bundle can hold. */
    private val androidTaps: List<Triple<Map<String, Any?>, String?, PushChannel?>> = listOf(
        Triple(
            mapOf("key_message" to ClickInputs.miPushMessage(mapOf("ext" to ext), null, "T", "B", "sdm1")),
            null, PushChannel.XIAOMI,
        ),
        Triple(emptyMap(), "intent://x/push#Intent;scheme=s;S.ext=${java.net.URLEncoder.encode(ext, "UTF-8").replace("+", "%20")};end", PushChannel.HUAWEI),
        Triple(mapOf("ext" to ext, "n" to 1, "l" to 2L, "d" to 0.1, "f" to 0.1f, "nan" to Double.NaN), null, PushChannel.HONOR),
        Triple(mapOf("entity" to """{"chatType":1,"sender":"o","action":1}""", "orderId" to "o-1"), null, null),
        // A group call from a Huawei tap without a hint, and Gson's signed customData with a malformed field.
        Triple(
            mapOf(
                "ext" to """{"entity":{"chatType":2,"action":2,"sender":"carol","content":"{\"call_id\":\"c-1\",\"call_type\":1,\"group_id\":\"@TGS#g\"}"}}""",
                "_push_msgid" to "hw-1", "_push_notifyid" to 4,
            ),
            null, null,
        ),
        Triple(mapOf("ext" to """{"entity":{"chatType":1,"sender":"s","customData":[-1,127,-128],"faceUrl":7}}"""), null, PushChannel.VIVO),
        Triple(mapOf("ext" to ext, "flag" to true, "off" to false, "none" to null, "c" to 'x', "u" to 7u), null, PushChannel.VIVO),
        Triple(mapOf("selfDefineContentString" to JsonText.encode(mapOf("ext" to ext)), "x" to Opaque()), null, PushChannel.MEIZU),
        Triple(
            mapOf(
                "ext" to ext, "google.message_id" to "0:1%ab", "google.sent_time" to 1732600000000L,
                "list" to listOf(1, "two", null), "array" to arrayOf("a", 1.5), "ints" to intArrayOf(1, 2),
                "nested" to mapOf("k" to mapOf("deep" to listOf(mapOf("x" to 1)))), "quote\"key" to "line\nbreak é 你好 😀",
            ),
            null, PushChannel.FCM,
        ),
    )

    @Test
    fun `the tree form of Android extras parses as ClickInputs android does`() {
        for ((extras, uri, hint) in androidTaps) {
            val expected = parseClickInput(ClickInputs.android(extras, uri, hint))
            assertEquals(expected.comparable, FastCalls.parseAndroidTap(extras, uri, hint).comparable, extras.keys.toString())
        }
    }

    @Test
    fun `handleAndroidTap routes and dedups as handleTap does`() {
        for ((extras, uri, hint) in androidTaps) {
            newCore().use { core ->
                FastCalls(core).use { fast ->
                    val viaFast = fast.handleAndroidTap(extras, uri, hint)
                    val expected = parseClickInput(ClickInputs.android(extras, uri, hint))
                    assertEquals(expected.comparable, viaFast.notification.comparable)
                    assertEquals(core.route(expected), viaFast.route)
                    assertEquals(DedupOutcome.Fresh, viaFast.dedup)
                    val again = core.handleTap(ClickInputs.android(extras, uri, hint)).dedup
                    assertTrue(again is DedupOutcome.Duplicate, again.toString())
                }
            }
        }
    }

    @Test
    fun `the tree form refuses what the JSON form refuses`() {
        var deep: Map<String, Any?> = mapOf("ext" to ext)
        repeat(70) { deep = mapOf("a" to deep) }
        val refused: List<Map<String, Any?>> = listOf(
            emptyMap(),
            mapOf("ext" to "{not json"),
            mapOf("ext" to "x".repeat(70_000)),
            deep,
        )
        for (extras in refused) {
            val expected = assertThrows<PushException> { parseClickInput(ClickInputs.android(extras)) }
            val actual = assertThrows<PushException> { FastCalls.parseAndroidTap(extras) }
            assertEquals(expected.code, actual.code, extras.keys.toString())
        }
        // A lone surrogate cannot be UTF-8: both doors refuse it the same way.
        val lone = mapOf("ext" to ext, "bad" to "\uD800")
        val expected = assertThrows<Exception> { parseClickInput(ClickInputs.android(lone)) }
        val actual = assertThrows<Exception> { FastCalls.parseAndroidTap(lone) }
        assertEquals(expected::class, actual::class)
    }

    @Test
    fun `extras larger than the thread's buffer are sent through a bigger one`() {
        // 40 KB of extras: over the 16 KiB first buffer, under the core's 64 KiB limit.
        val extras = mapOf("ext" to ext, "padding" to "p".repeat(40_000))
        val parsed = FastCalls.parseAndroidTap(extras, null, PushChannel.HONOR)
        assertEquals(40_000, parsed.extras["padding"]?.length)
        assertEquals(parsed, parseClickInput(ClickInputs.android(extras, null, PushChannel.HONOR)))
        // And the next small call on this thread still works.
        assertEquals("erin", FastCalls.parseAndroidTap(mapOf("ext" to ext)).sender)
    }


    @Test
    fun `handleReceived shows a message once, on either door, and keeps its tap fresh`() {
        for ((extras, uri, hint) in androidTaps) {
            newCore().use { core ->
                FastCalls(core).use { fast ->
                    val input = ClickInputs.android(extras, uri, hint)
                    val first = fast.handleReceivedAndroid(extras, "fcm-data", uri, hint)
                    assertEquals(parseClickInput(input).comparable, first.notification.comparable)
                    assertEquals(deriveDedupKey(dedupFieldsForNotification(first.notification)), first.dedupKey)
                    assertEquals(core.route(first.notification), first.route)
                    val shown = first.decision as ReceivedDecision.Show
                    assertEquals(first.dedupKey, shown.handle.tag)
                    assertEquals(1u, shown.badge)
                    // The same message by another path, through each door.
                    val viaFast = fast.handleReceived(input, "im-online").decision
                    assertEquals(ReceivedDecision.Suppress(SuppressReason.DUPLICATE, 1u), viaFast)
                    assertEquals(viaFast, core.handleReceived(input, "im-online").decision)
                    // Showing it did not use up its tap.
                    assertEquals(DedupOutcome.Fresh, fast.handleAndroidTap(extras, uri, hint).dedup)
                }
            }
        }
        newCore().use { core ->
            FastCalls(core).use { fast ->
                val input = ClickInputs.android(mapOf("ext" to ext))
                val expected = assertThrows<PushException> { core.handleReceived(input, "s".repeat(65)) }
                val actual = assertThrows<PushException> { fast.handleReceived(input, "s".repeat(65)) }
                assertEquals(expected.code, actual.code)
                assertEquals("too_large", actual.code)
            }
        }
    }

}
