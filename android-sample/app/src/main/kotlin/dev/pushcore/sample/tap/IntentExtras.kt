package dev.pushcore.sample.tap

import android.content.Intent
import android.os.Build
import android.os.Bundle
import com.xiaomi.mipush.sdk.MiPushMessage
import com.xiaomi.mipush.sdk.PushMessageHelper
import dev.pushcore.ClickInputs

/**
 * The only code that turns Android types into the plain map the
 * click-handling module (and the core) reads. Nothing here starts, parses or
 * keeps an Intent or URI from the extras (push-facts.md section 10).
 */
object IntentExtras {
    /** Nested bundles beyond this are cut off: the core rejects deeper input anyway. */
    private const val MAX_DEPTH = 8

    fun toMap(intent: Intent): Map<String, Any?> {
        val extras = try {
            intent.extras ?: return emptyMap()
        } catch (e: RuntimeException) {
            // A forged intent can carry a parcel that fails to unparcel
            // (BadParcelableException): treat it as no payload.
            return emptyMap()
        }
        val map = bundleToMap(extras, 0).toMutableMap()
        xiaomiMessage(intent)?.let { map[PushMessageHelper.KEY_MESSAGE] = miPushMessageToMap(it) }
        return map
    }

    /** MiPushMessage as the core expects it: `extra`, `content`, `title`, `description`, `messageId`. */
    fun miPushMessageToMap(message: MiPushMessage): Map<String, Any?> = ClickInputs.miPushMessage(
        extra = message.extra ?: emptyMap(),
        content = message.content,
        title = message.title,
        description = message.description,
        messageId = message.messageId,
    )

    private fun xiaomiMessage(intent: Intent): MiPushMessage? = try {
        if (Build.VERSION.SDK_INT >= Build.VERSION_CODES.TIRAMISU) {
            // Type-checked: a forged extra of another class is not deserialized as one.
            intent.getSerializableExtra(PushMessageHelper.KEY_MESSAGE, MiPushMessage::class.java)
        } else {
            @Suppress("DEPRECATION")
            intent.getSerializableExtra(PushMessageHelper.KEY_MESSAGE) as? MiPushMessage
        }
    } catch (e: RuntimeException) {
        null
    }

    @Suppress("DEPRECATION") // Bundle.get(key): the only untyped read, needed to copy unknown extras.
    private fun bundleToMap(bundle: Bundle, depth: Int): Map<String, Any?> {
        val map = LinkedHashMap<String, Any?>()
        for (key in bundle.keySet()) {
            if (key == PushMessageHelper.KEY_MESSAGE) continue // read type-checked above
            val value = try {
                bundle.get(key)
            } catch (e: RuntimeException) {
                continue
            }
            map[key] = when (value) {
                is Bundle -> if (depth < MAX_DEPTH) bundleToMap(value, depth + 1) else null
                is String, is Number, is Boolean, null -> value
                is Array<*> -> value.map { it?.toString() }
                is IntArray, is LongArray, is BooleanArray, is DoubleArray -> value
                // Intents, Parcelables, URIs: never passed on, only described.
                else -> value.javaClass.simpleName
            }
        }
        return map
    }
}
