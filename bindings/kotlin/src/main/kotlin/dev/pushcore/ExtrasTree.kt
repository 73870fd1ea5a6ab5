package dev.pushcore

import java.nio.ByteBuffer

/**
 * Writes a tap's extras in the binary tree form `FastCalls` sends instead
 * of JSON text (format: core/src/facade/fast/extras_tree.rs). The tree is
 * the one [JsonText] would describe, value for value: the same types are
 * accepted and converted the same way, so both forms parse alike.
 */
internal object ExtrasTree {
    private const val TAG_NULL: Byte = 0
    private const val TAG_STRING: Byte = 1
    private const val TAG_TRUE: Byte = 2
    private const val TAG_FALSE: Byte = 3
    private const val TAG_NUMBER: Byte = 4
    private const val TAG_MAP: Byte = 5
    private const val TAG_LIST: Byte = 6

    /** Writes the root map; throws `BufferOverflowException` if [buf] is too small. */
    fun writeExtras(extras: Map<*, *>, buf: ByteBuffer) = write(extras, buf)

    private fun write(value: Any?, buf: ByteBuffer) {
        when (value) {
            null -> buf.put(TAG_NULL)
            is String -> string(TAG_STRING, value, buf)
            is CharSequence -> string(TAG_STRING, value.toString(), buf)
            is Char -> string(TAG_STRING, value.toString(), buf)
            is Boolean -> buf.put(if (value) TAG_TRUE else TAG_FALSE)
            is Double -> if (value.isFinite()) string(TAG_NUMBER, value.toString(), buf) else buf.put(TAG_NULL)
            is Float -> if (value.isFinite()) string(TAG_NUMBER, value.toString(), buf) else buf.put(TAG_NULL)
            is Number -> string(TAG_NUMBER, value.toString(), buf)
            is UByte, is UShort, is UInt, is ULong -> string(TAG_NUMBER, value.toString(), buf)
            is Map<*, *> -> {
                buf.put(TAG_MAP).putInt(value.size)
                for ((k, v) in value) {
                    text(k.toString(), buf)
                    write(v, buf)
                }
            }
            is Collection<*> -> list(value.size, value.iterator(), buf)
            is Iterable<*> -> value.toList().let { list(it.size, it.iterator(), buf) }
            is Array<*> -> list(value.size, value.iterator(), buf)
            is ByteArray -> list(value.size, value.iterator(), buf)
            is ShortArray -> list(value.size, value.iterator(), buf)
            is IntArray -> list(value.size, value.iterator(), buf)
            is LongArray -> list(value.size, value.iterator(), buf)
            is FloatArray -> list(value.size, value.iterator(), buf)
            is DoubleArray -> list(value.size, value.iterator(), buf)
            is BooleanArray -> list(value.size, value.iterator(), buf)
            is CharArray -> list(value.size, value.iterator(), buf)
            else -> string(TAG_STRING, value.toString(), buf)
        }
    }

    private fun list(size: Int, items: Iterator<*>, buf: ByteBuffer) {
        buf.put(TAG_LIST).putInt(size)
        for (item in items) write(item, buf)
    }

    private fun string(tag: Byte, s: String, buf: ByteBuffer) {
        buf.put(tag)
        text(s, buf)
    }

    private fun text(s: String, buf: ByteBuffer) {
        val bytes = utf8(s)
        buf.putInt(bytes.size).put(bytes)
    }

    /**
     * UTF-8 as UniFFI's strings are: a lone surrogate is refused rather than
     * silently replaced (`String.toByteArray` would write '?'). The check is
     * a scan; the encoding itself is the JDK's fast path.
     */
    private fun utf8(s: String): ByteArray {
        for (i in s.indices) {
            if (Character.isSurrogate(s[i])) return FfiConverterString.toUtf8(s).let { b ->
                ByteArray(b.remaining()).also { b.get(it) }
            }
        }
        return s.toByteArray(Charsets.UTF_8)
    }
}
