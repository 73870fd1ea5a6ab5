package dev.pushcore.sample.click

/**
 * Every destination a notification tap can reach in the sample app. The app
 * maps each to one of its own activities; nothing from a payload can name an
 * activity, a component or an arbitrary URL (push-facts.md section 10), so
 * this closed set is the allow-list.
 */
sealed interface Screen {
    /** A one-to-one or group conversation; [conversationId] is the IM SDK's. */
    data class Chat(
        val conversationId: String,
        val peerId: String,
        val isGroup: Boolean,
        val title: String?,
    ) : Screen

    /** The incoming-call screen for a call invitation. */
    data class IncomingCall(val callerId: String, val isGroup: Boolean) : Screen

    /** A web page the core let through its configured URL allow-list. */
    data class Web(val url: String) : Screen

    /** The conversation list: the fallback for anything unusable. */
    data object Home : Screen
}
