package dev.pushcore

/**
 * Builds a [ClickInput] from what a notification tap hands the app.
 *
 * The core takes the tap's extras as one JSON text because a map of
 * arbitrary values cannot cross the FFI; these helpers do that conversion
 * from plain Kotlin maps so this module needs no Android classes. On
 * Android, turn the tapped Intent's Bundle into a `Map<String, Any?>`
 * (nested Bundles as nested maps, Xiaomi's MiPushMessage via [miPushMessage])
 * in the app, then call [android].
 */
object ClickInputs {
    /**
     * An Android tap: the intent's [extras] (strings, numbers, booleans,
     * nested maps, lists, arrays), its [dataUri] and the channel the app
     * registered with, which breaks ties between channels that deliver
     * the same shape.
     */
    @JvmStatic
    @JvmOverloads
    fun android(
        extras: Map<String, Any?>,
        dataUri: String? = null,
        channelHint: PushChannel? = null,
    ): ClickInput = ClickInput.Android(JsonText.encode(extras), dataUri, channelHint)

    /** An iOS tap from the notification's `userInfo` dictionary. */
    @JvmStatic
    fun ios(userInfo: Map<*, *>): ClickInput = ClickInput.Ios(JsonText.encode(userInfo))

    /** An iOS tap whose `userInfo` is already JSON text. */
    @JvmStatic
    fun iosJson(userInfoJson: String): ClickInput = ClickInput.Ios(userInfoJson)

    /**
     * Xiaomi's MiPushMessage as the map the core expects under the
     * `key_message` extra.
     */
    @JvmStatic
    @JvmOverloads
    fun miPushMessage(
        extra: Map<String, String>,
        content: String? = null,
        title: String? = null,
        description: String? = null,
        messageId: String? = null,
    ): Map<String, Any?> = mapOf(
        "extra" to extra,
        "content" to content,
        "title" to title,
        "description" to description,
        "messageId" to messageId,
    )
}

/**
 * A minimal JSON writer for the values a Bundle or `userInfo` can hold, so
 * the bindings need no JSON library. Non-finite numbers become `null`
 * (JSON has no NaN); unknown objects are written as their `toString()`.
 */
internal object JsonText {
    // Sized for a typical tap's extras, so the builder rarely grows.
    fun encode(value: Any?): String = StringBuilder(1024).also { write(it, value) }.toString()

    private fun write(out: StringBuilder, value: Any?) {
        when (value) {
            null -> out.append("null")
            is String -> string(out, value)
            is CharSequence -> string(out, value.toString())
            is Char -> string(out, value.toString())
            is Boolean -> out.append(value)
            is Double -> if (value.isFinite()) out.append(value) else out.append("null")
            is Float -> if (value.isFinite()) out.append(value) else out.append("null")
            is Number -> out.append(value.toString())
            is UByte, is UShort, is UInt, is ULong -> out.append(value.toString())
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
            is Iterable<*> -> array(out, value.iterator())
            is Array<*> -> array(out, value.iterator())
            is ByteArray -> array(out, value.iterator())
            is ShortArray -> array(out, value.iterator())
            is IntArray -> array(out, value.iterator())
            is LongArray -> array(out, value.iterator())
            is FloatArray -> array(out, value.iterator())
            is DoubleArray -> array(out, value.iterator())
            is BooleanArray -> array(out, value.iterator())
            is CharArray -> array(out, value.iterator())
            else -> string(out, value.toString())
        }
    }

    private fun array(out: StringBuilder, items: Iterator<*>) {
        out.append('[')
        var first = true
        for (item in items) {
            if (!first) out.append(',')
            first = false
            write(out, item)
        }
        out.append(']')
    }

    private fun string(out: StringBuilder, s: String) {
        out.append('"')
        // Copy runs of characters that need no escape in one append: tap
        // payloads are mostly such runs around the quotes of an inner JSON.
        var runStart = 0
        for (i in s.indices) {
            val c = s[i]
            val escape = when (c) {
                '"' -> "\\\""
                '\\' -> "\\\\"
                '\n' -> "\\n"
                '\r' -> "\\r"
                '\t' -> "\\t"
                '\b' -> "\\b"
                '\u000C' -> "\\f"
                else -> if (c < ' ' || c == '\u2028' || c == '\u2029') unicodeEscape(c) else null
            } ?: continue
            out.append(s, runStart, i).append(escape)
            runStart = i + 1
        }
        out.append(s, runStart, s.length).append('"')
    }

    private fun unicodeEscape(c: Char): String {
        val hex = Integer.toHexString(c.code)
        return "\\u" + "0".repeat(4 - hex.length) + hex
    }
}
