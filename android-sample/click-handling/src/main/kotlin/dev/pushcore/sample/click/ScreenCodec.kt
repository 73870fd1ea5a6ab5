package dev.pushcore.sample.click

/**
 * Screens travel from the exported trampoline to the non-exported router as
 * plain string extras. The router decodes them again rather than trusting
 * the intent: anything malformed opens [Screen.Home].
 */
object ScreenCodec {
    const val KIND = "pushcore.screen"
    private const val ID = "pushcore.id"
    private const val PEER = "pushcore.peer"
    private const val GROUP = "pushcore.group"
    private const val TITLE = "pushcore.title"
    private const val URL = "pushcore.url"

    fun encode(screen: Screen): Map<String, String> = when (screen) {
        is Screen.Chat -> buildMap {
            put(KIND, "chat")
            put(ID, screen.conversationId)
            put(PEER, screen.peerId)
            put(GROUP, screen.isGroup.toString())
            screen.title?.let { put(TITLE, it) }
        }
        is Screen.IncomingCall -> mapOf(KIND to "call", PEER to screen.callerId, GROUP to screen.isGroup.toString())
        is Screen.Web -> mapOf(KIND to "web", URL to screen.url)
        Screen.Home -> mapOf(KIND to "home")
    }

    fun decode(extras: Map<String, String?>): Screen {
        fun text(key: String) = extras[key]?.takeIf { it.isNotBlank() }
        val isGroup = extras[GROUP] == "true"
        return when (extras[KIND]) {
            "chat" -> {
                val peer = text(PEER) ?: return Screen.Home
                val expected = (if (isGroup) "group_" else "c2c_") + peer
                // The conversation id is derived, so a mismatch means tampering.
                if (text(ID) != expected) return Screen.Home
                Screen.Chat(expected, peer, isGroup, text(TITLE))
            }
            "call" -> text(PEER)?.let { Screen.IncomingCall(it, isGroup) } ?: Screen.Home
            "web" -> text(URL)?.takeIf { it.startsWith("https://") }?.let { Screen.Web(it) } ?: Screen.Home
            else -> Screen.Home
        }
    }
}
