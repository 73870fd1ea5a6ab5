package dev.pushcore.bench

import org.json.JSONObject
import java.net.URLDecoder

/** What the reference parser reads from a tap: the fields an app routes on. */
data class ReferenceTap(
    val chatType: Int,
    val action: Int,
    val sender: String,
    val conversationId: String,
    val nickname: String?,
    val faceUrl: String?,
    val content: String?,
    val sendTime: Long,
    val messageId: String?,
)

/**
 * The tap parser an app team writes without the core, with Android's
 * built-in JSON API (org.json): find `ext` wherever this channel put it,
 * decode it, read the entity. It is the baseline the core's parse is
 * measured against, so it does the same work and no more: no limits on
 * sizes, no type checks beyond what org.json's getters do.
 */
object ReferenceTapParser {
    @JvmStatic
    fun parse(extras: Map<String, Any?>, dataUri: String?): ReferenceTap? {
        val ext = findExt(extras, dataUri) ?: return null
        val entity = JSONObject(ext).optJSONObject("entity") ?: return null
        val sender = entity.optString("sender")
        if (sender.isEmpty()) return null
        val chatType = entity.optInt("chatType", 1)
        val prefix = when (chatType) {
            1 -> "c2c_"
            2 -> "group_"
            else -> return null
        }
        return ReferenceTap(
            chatType = chatType,
            action = entity.optInt("action", 1),
            sender = sender,
            conversationId = prefix + sender,
            nickname = entity.optStringOrNull("nickname"),
            faceUrl = entity.optStringOrNull("faceUrl"),
            content = entity.optStringOrNull("content"),
            sendTime = entity.optLong("sendTime", 0),
            messageId = entity.optStringOrNull("msgID"),
        )
    }

    /** Each vendor hands `ext` over differently (push-facts.md). */
    private fun findExt(extras: Map<String, Any?>, dataUri: String?): String? {
        val miPush = extras["key_message"] as? Map<*, *>
        if (miPush != null) return (miPush["extra"] as? Map<*, *>)?.get("ext") as? String
        (extras["ext"] as? String)?.let { return it }
        (extras["selfDefineContentString"] as? String)?.let {
            return JSONObject(it).optStringOrNull("ext")
        }
        (extras["entity"] as? String)?.let { return "{\"entity\":$it}" }
        if (dataUri != null) {
            val start = dataUri.indexOf(";S.ext=")
            if (start >= 0) {
                val from = start + ";S.ext=".length
                val end = dataUri.indexOf(';', from).let { if (it < 0) dataUri.length else it }
                return URLDecoder.decode(dataUri.substring(from, end), Charsets.UTF_8)
            }
        }
        return null
    }

    private fun JSONObject.optStringOrNull(key: String): String? =
        if (has(key) && !isNull(key)) optString(key) else null
}
