package dev.pushcore.sample.click

/**
 * Renders the values an intent's extras can hold as JSON text, which is how
 * maps of arbitrary values cross into the core. Strings, numbers, booleans,
 * null, nested maps and lists/arrays keep their JSON types; anything else
 * (a Parcelable the app did not convert) becomes its string form rather than
 * failing the whole tap.
 */
internal object JsonText {
    fun of(value: Any?): String = StringBuilder().also { write(it, value) }.toString()

    private fun write(out: StringBuilder, value: Any?) {
        when (value) {
            null -> out.append("null")
            is String -> string(out, value)
            is Boolean -> out.append(value)
            is Int, is Long, is Short, is Byte -> out.append(value.toString())
            is Float -> number(out, value.toDouble())
            is Double -> number(out, value)
            is Char -> string(out, value.toString())
            is Map<*, *> -> {
                out.append('{')
                var first = true
                for ((k, v) in value) {
                    if (!first) out.append(',')
                    first = false
                    string(out, k.toString())
                    out.append(':')
                    write(out, v)
                }
                out.append('}')
            }
            is Iterable<*> -> list(out, value.toList())
            is Array<*> -> list(out, value.toList())
            is IntArray -> list(out, value.toList())
            is LongArray -> list(out, value.toList())
            is BooleanArray -> list(out, value.toList())
            is DoubleArray -> list(out, value.toList())
            is ByteArray -> list(out, value.map { it.toInt() })
            else -> string(out, value.toString())
        }
    }

    private fun list(out: StringBuilder, items: List<Any?>) {
        out.append('[')
        items.forEachIndexed { i, item ->
            if (i > 0) out.append(',')
            write(out, item)
        }
        out.append(']')
    }

    /** JSON has no NaN or infinity; such a value is passed as text. */
    private fun number(out: StringBuilder, value: Double) {
        if (value.isFinite()) out.append(value.toString()) else string(out, value.toString())
    }

    private fun string(out: StringBuilder, text: String) {
        out.append('"')
        for (c in text) {
            when (c) {
                '"' -> out.append("\\\"")
                '\\' -> out.append("\\\\")
                '\n' -> out.append("\\n")
                '\r' -> out.append("\\r")
                '\t' -> out.append("\\t")
                '\b' -> out.append("\\b")
                '\u000C' -> out.append("\\f")
                else -> if (c < ' ') out.append(String.format("\\u%04x", c.code)) else out.append(c)
            }
        }
        out.append('"')
    }
}
