package dev.pushcore

import com.sun.jna.Native
import com.sun.jna.Pointer
import java.nio.Buffer
import java.nio.ByteBuffer
import java.util.concurrent.atomic.AtomicBoolean
import java.util.concurrent.atomic.AtomicLong

/**
 * The calls an app makes for every notification and tap, without the cost
 * of UniFFI's generic crossing.
 *
 * The generated bindings allocate JNA structures, each with its own native
 * memory and cleaner registration, for every call's status and every buffer
 * passed or returned; on a JVM that costs tens of microseconds per call,
 * far more than the work behind it (docs/performance.md). These calls take
 * the same arguments, return the same types and throw the same
 * [PushException]s as the [PushCore] methods of the same names; underneath
 * they use JNA direct mapping with primitive arguments only (the address of
 * a direct buffer kept per thread), serialized by UniFFI's own converters,
 * so a call allocates no native memory.
 *
 * Create one per [PushCore] (it is thread-safe) and [close] it with the
 * core. It holds its own reference to the core, so closing the [PushCore]
 * first is safe: the core goes away when both are closed. The dedup calls
 * (and the taps, which record themselves) write to SQLite and may wait on
 * another process's lock, as [PushCore.checkAndMark] does: call them off
 * the main thread when you can.
 *
 * When this class can go: once UniFFI's Kotlin bindings stop allocating JNA
 * structures per call, through the JNI-based Kotlin bindgen or the
 * buffer-based FFI ("buffer FFI") that upstream UniFFI has merged but not yet
 * released. Then measure the generated calls with the JMH benchmarks
 * (docs/performance.md); if they are as cheap as these, replace each call here
 * with the [PushCore] method of the same name, delete this file and
 * `core/src/facade/fast/`, and note it in CHANGELOG.md.
 */
class FastCalls(core: PushCore) : AutoCloseable {
    private val handle: Long
    private val cleanable: UniffiCleaner.Cleanable

    // Same protocol as the generated objects: 1 for being open, +1 per call
    // in flight; the handle is released when it reaches 0.
    private val callCounter = AtomicLong(1)
    private val closed = AtomicBoolean(false)

    init {
        FastLib.ensureLoaded()
        // callWithHandle refuses a closed core and hands over a clone of its
        // handle, which attach consumes.
        handle = core.callWithHandle { FastLib.pushcore_fast_core_attach(it) }
        if (handle == 0L) throw InternalException("FastCalls: the core refused its handle")
        cleanable = UniffiLib.CLEANER.register(this, Release(handle))
    }

    /** [PushCore.handleTap]: parse, record the tap as clicked, route. */
    fun handleTap(input: ClickInput): TapOutcome = withHandle { h ->
        FastWire.call(
            FfiConverterTypeTapOutcome,
            FfiConverterTypeClickInput.allocationSize(input),
            { FfiConverterTypeClickInput.write(input, it) },
        ) { address, len, cap -> FastLib.pushcore_fast_handle_tap(h, address, len, cap) }
    }

    /**
     * `handleTap(ClickInputs.android(extras, dataUri, channelHint))`, with
     * the extras sent as a binary tree instead of JSON text: the cheapest
     * way to hand the core a tapped intent's Bundle (as a map).
     */
    @JvmOverloads
    fun handleAndroidTap(
        extras: Map<String, Any?>,
        dataUri: String? = null,
        channelHint: PushChannel? = null,
    ): TapOutcome = withHandle { h ->
        FastWire.call(
            FfiConverterTypeTapOutcome,
            0UL,
            { FastWire.writeAndroidTap(extras, dataUri, channelHint, it) },
        ) { address, len, cap -> FastLib.pushcore_fast_handle_android_tap(h, address, len, cap) }
    }

    /**
     * [PushCore.handleReceived]: a message the app received itself, parsed,
     * checked against the logged-in account and recalls, recorded as
     * displayed by [source] and routed; act on its `decision` (show or
     * replace under the handle, or suppress).
     */
    fun handleReceived(input: ClickInput, source: String): ReceivedOutcome = withHandle { h ->
        FastWire.call(
            FfiConverterTypeReceivedOutcome,
            FfiConverterTypeClickInput.allocationSize(input) + FfiConverterString.allocationSize(source),
            {
                FfiConverterTypeClickInput.write(input, it)
                FfiConverterString.write(source, it)
            },
        ) { address, len, cap -> FastLib.pushcore_fast_handle_received(h, address, len, cap) }
    }

    /**
     * `handleReceived(ClickInputs.android(extras, dataUri, channelHint), source)`
     * with the extras sent as a binary tree: for an FCM data message's map or
     * a vendor pass-through message's extras.
     */
    @JvmOverloads
    fun handleReceivedAndroid(
        extras: Map<String, Any?>,
        source: String,
        dataUri: String? = null,
        channelHint: PushChannel? = null,
    ): ReceivedOutcome = withHandle { h ->
        FastWire.call(
            FfiConverterTypeReceivedOutcome,
            FfiConverterString.allocationSize(source),
            {
                FfiConverterString.write(source, it)
                FastWire.writeAndroidTap(extras, dataUri, channelHint, it)
            },
        ) { address, len, cap -> FastLib.pushcore_fast_handle_received_android(h, address, len, cap) }
    }

    /** [PushCore.checkAndMark]: the first sighting of [key] is `Fresh`. */
    fun checkAndMark(key: String, kind: DedupKind, source: String): DedupOutcome = withHandle { h ->
        FastWire.call(
            FfiConverterTypeDedupOutcome,
            FfiConverterString.allocationSize(key) +
                FfiConverterTypeDedupKind.allocationSize(kind) +
                FfiConverterString.allocationSize(source),
            {
                FfiConverterString.write(key, it)
                FfiConverterTypeDedupKind.write(kind, it)
                FfiConverterString.write(source, it)
            },
        ) { address, len, cap -> FastLib.pushcore_fast_check_and_mark(h, address, len, cap) }
    }

    /** [PushCore.checkAndMarkNotification]: the key derived from [notification]. */
    fun checkAndMarkNotification(
        notification: NormalizedNotification,
        kind: DedupKind,
        source: String,
    ): DedupOutcome = withHandle { h ->
        FastWire.call(
            FfiConverterTypeDedupOutcome,
            FfiConverterTypeNormalizedNotification.allocationSize(notification) +
                FfiConverterTypeDedupKind.allocationSize(kind) +
                FfiConverterString.allocationSize(source),
            {
                FfiConverterTypeNormalizedNotification.write(notification, it)
                FfiConverterTypeDedupKind.write(kind, it)
                FfiConverterString.write(source, it)
            },
        ) { address, len, cap -> FastLib.pushcore_fast_check_and_mark_notification(h, address, len, cap) }
    }

    /** Releases this object's reference to the core; later calls throw. */
    override fun close() {
        if (closed.compareAndSet(false, true) && callCounter.decrementAndGet() == 0L) {
            cleanable.clean()
        }
    }

    private inline fun <R> withHandle(block: (Long) -> R): R {
        do {
            val c = callCounter.get()
            check(c != 0L) { "FastCalls has been closed" }
        } while (!callCounter.compareAndSet(c, c + 1))
        try {
            return block(handle)
        } finally {
            if (callCounter.decrementAndGet() == 0L) cleanable.clean()
        }
    }

    // A static class, so the cleaner's action does not capture `this`.
    private class Release(private val handle: Long) : Runnable {
        override fun run() = FastLib.pushcore_fast_core_release(handle)
    }

    companion object {
        /**
         * `parseClickInput(ClickInputs.android(extras, dataUri, channelHint))`
         * with the extras sent as a binary tree instead of JSON text.
         */
        @JvmStatic
        @JvmOverloads
        fun parseAndroidTap(
            extras: Map<String, Any?>,
            dataUri: String? = null,
            channelHint: PushChannel? = null,
        ): NormalizedNotification {
            FastLib.ensureLoaded()
            return FastWire.call(
                FfiConverterTypeNormalizedNotification,
                0UL,
                { FastWire.writeAndroidTap(extras, dataUri, channelHint, it) },
            ) { address, len, cap -> FastLib.pushcore_fast_parse_android_tap(address, len, cap) }
        }

        /** [parseClickInput]: what a tap delivered, whatever the channel. */
        @JvmStatic
        fun parseClickInput(input: ClickInput): NormalizedNotification {
            FastLib.ensureLoaded()
            return FastWire.call(
                FfiConverterTypeNormalizedNotification,
                FfiConverterTypeClickInput.allocationSize(input),
                { FfiConverterTypeClickInput.write(input, it) },
            ) { address, len, cap -> FastLib.pushcore_fast_parse_click_input(address, len, cap) }
        }
    }
}

/**
 * The buffer protocol of `core/src/facade/fast/mod.rs`: arguments in, a 16-byte
 * header and the answer out, in the same buffer.
 */
internal object FastWire {
    // The protocol's constants, as core/src/facade/fast/mod.rs defines them
    // (a Rust test there checks that these lines match).
    const val HEADER_LEN = 16
    const val STATUS_OK = 0
    const val STATUS_ERROR = 1
    const val STATUS_PANIC = 2
    const val STATUS_BAD_CALL = 3
    const val STATUS_NO_BUFFER = 4

    private const val INITIAL_CAPACITY = 16 * 1024

    // Buffers larger than this are used for their call and then dropped,
    // so one huge payload does not pin memory for the thread's lifetime.
    private const val MAX_KEPT_CAPACITY = 256 * 1024

    // Arguments are written into a buffer that doubles until they fit, up
    // to this; the core refuses payloads far smaller (64 KiB) anyway.
    const val MAX_ARGUMENT_BYTES = 16 * 1024 * 1024

    private val perThread = ThreadLocal<Scratch?>()

    /** A direct buffer and its native address, looked up once. */
    class Scratch(val buf: ByteBuffer) {
        val address: Long = Pointer.nativeValue(Native.getDirectBufferPointer(buf))
    }

    /**
     * Writes the arguments, runs [invoke] with the buffer's address and
     * reads its answer with [answer]. A nested call on the same thread (a
     * log forwarder calling back in) finds no cached buffer and allocates
     * its own.
     */
    inline fun <T> call(
        answer: FfiConverter<T, *>,
        argumentBytes: ULong,
        writeArguments: (ByteBuffer) -> Unit,
        invoke: (Long, Int, Int) -> Int,
    ): T {
        if (argumentBytes > (Int.MAX_VALUE - HEADER_LEN).toULong()) {
            throw PushException.TooLarge("arguments of $argumentBytes bytes")
        }
        var scratch = take(argumentBytes.toInt())
        try {
            while (true) {
                try {
                    writeArguments(scratch.buf)
                    break
                } catch (_: java.nio.BufferOverflowException) {
                    scratch = grow(scratch)
                }
            }
            val buf = scratch.buf
            val status = invoke(scratch.address, buf.position(), buf.capacity())
            return read(status, buf, answer)
        } finally {
            giveBack(scratch)
        }
    }

    fun take(argumentBytes: Int): Scratch {
        val cached = perThread.get()
        val scratch = if (cached != null && cached.buf.capacity() >= argumentBytes + HEADER_LEN) {
            perThread.set(null)
            cached
        } else {
            Scratch(ByteBuffer.allocateDirect(maxOf(INITIAL_CAPACITY, argumentBytes + HEADER_LEN)))
        }
        (scratch.buf as Buffer).clear()
        return scratch
    }

    /** A buffer twice as large; the smaller one stays cached. */
    fun grow(scratch: Scratch): Scratch {
        giveBack(scratch)
        val bigger = scratch.buf.capacity().toLong() * 2
        if (bigger > MAX_ARGUMENT_BYTES) {
            throw PushException.TooLarge("the call's arguments exceed $MAX_ARGUMENT_BYTES bytes")
        }
        return Scratch(ByteBuffer.allocateDirect(bigger.toInt()))
    }

    /** The arguments of the tree-form Android calls. */
    fun writeAndroidTap(extras: Map<String, Any?>, dataUri: String?, channelHint: PushChannel?, buf: ByteBuffer) {
        ExtrasTree.writeExtras(extras, buf)
        FfiConverterOptionalString.write(dataUri, buf)
        FfiConverterOptionalTypePushChannel.write(channelHint, buf)
    }

    fun giveBack(scratch: Scratch) {
        if (scratch.buf.capacity() <= MAX_KEPT_CAPACITY) perThread.set(scratch)
    }

    fun <T> read(status: Int, buf: ByteBuffer, answer: FfiConverter<T, *>): T {
        if (status == STATUS_NO_BUFFER) {
            throw InternalException("FastCalls: the core refused the call's buffer (null or under $HEADER_LEN bytes)")
        }
        if (status !in STATUS_OK..STATUS_BAD_CALL) {
            throw InternalException("FastCalls: unknown status $status from the core")
        }
        val length = buf.getInt(0)
        val overflow = buf.getLong(8)
        val view = if (overflow == 0L) {
            (buf as Buffer).limit(HEADER_LEN + length)
            (buf as Buffer).position(HEADER_LEN)
            buf
        } else {
            // The answer did not fit: copy the core's own buffer and free it.
            val bytes = Pointer(overflow).getByteArray(0, length)
            FastLib.pushcore_fast_free(overflow, length)
            ByteBuffer.wrap(bytes)
        }
        when (status) {
            STATUS_OK -> {
                val value = answer.read(view)
                if (view.hasRemaining()) {
                    throw InternalException("FastCalls: ${view.remaining()} bytes left after the answer")
                }
                return value
            }
            STATUS_ERROR -> throw FfiConverterTypePushError.read(view)
            STATUS_PANIC -> throw InternalException(utf8(view))
            else -> throw InternalException("FastCalls: the core refused the call: ${utf8(view)}")
        }
    }

    private fun utf8(view: ByteBuffer): String {
        val bytes = ByteArray(view.remaining())
        view.get(bytes)
        return bytes.toString(Charsets.UTF_8)
    }
}

/**
 * The fast functions, bound by JNA direct mapping (no proxies, no
 * per-call structures) in the same library as the generated bindings.
 * Buffers are passed as addresses: with only primitive arguments JNA takes
 * its cheapest path (about 60 ns a call here, against about 0.3 µs more
 * for a `ByteBuffer` argument).
 */
@Suppress("FunctionName")
internal object FastLib {
    /**
     * The protocol version this file speaks (`ABI_VERSION` in
     * core/src/facade/fast/mod.rs; every bump is listed in CHANGELOG.md).
     * 4: `ReceivedOutcome.decision` replaced `dedup`; `TapOutcome` gained `badge`.
     * 5: `ReceivedOutcome` gained `conversation` and `silent`; `SuppressReason` gained `MUTED`, `QUIET_HOURS`.
     */
    private const val ABI_VERSION = 5

    init {
        // UniFFI's own contract and checksum checks first, then ours.
        uniffiEnsureInitialized()
        val name = System.getProperty("uniffi.component.pushcore.libraryOverride") ?: "pushcore"
        Native.register(FastLib::class.java, name)
        val found = pushcore_fast_abi_version()
        if (found != ABI_VERSION) {
            throw InternalException("FastCalls: library speaks fast-call protocol $found, bindings expect $ABI_VERSION")
        }
    }

    /** Touching the object runs `init` once; this makes the intent explicit. */
    fun ensureLoaded() = Unit

    external fun pushcore_fast_abi_version(): Int
    external fun pushcore_fast_free(ptr: Long, len: Int)
    external fun pushcore_fast_core_attach(uniffiHandle: Long): Long
    external fun pushcore_fast_core_release(handle: Long)
    external fun pushcore_fast_parse_click_input(buf: Long, inLen: Int, cap: Int): Int
    external fun pushcore_fast_parse_android_tap(buf: Long, inLen: Int, cap: Int): Int
    external fun pushcore_fast_handle_android_tap(core: Long, buf: Long, inLen: Int, cap: Int): Int
    external fun pushcore_fast_handle_received(core: Long, buf: Long, inLen: Int, cap: Int): Int
    external fun pushcore_fast_handle_received_android(core: Long, buf: Long, inLen: Int, cap: Int): Int
    external fun pushcore_fast_handle_tap(core: Long, buf: Long, inLen: Int, cap: Int): Int
    external fun pushcore_fast_check_and_mark(core: Long, buf: Long, inLen: Int, cap: Int): Int
    external fun pushcore_fast_check_and_mark_notification(core: Long, buf: Long, inLen: Int, cap: Int): Int
}
