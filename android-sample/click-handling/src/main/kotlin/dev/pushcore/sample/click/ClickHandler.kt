package dev.pushcore.sample.click

import dev.pushcore.ChatType
import dev.pushcore.ClickInput
import dev.pushcore.DedupOutcome
import dev.pushcore.FastCalls
import dev.pushcore.NormalizedNotification
import dev.pushcore.PushCore
import dev.pushcore.PushException
import dev.pushcore.Route
import dev.pushcore.TapOutcome
import dev.pushcore.code

/** What to do with a tap. */
data class TapDecision(
    val screen: Screen,
    /** The channel the core detected from the payload ("unknown" if none). */
    val channel: String,
    /**
     * The same tap was handled before (cold start followed by onNewIntent,
     * or a vendor delivering the click twice): bring the screen forward but
     * skip one-time side effects such as "opened" analytics.
     */
    val duplicate: Boolean,
    /** The core's error code when the payload was unusable (Home is opened). */
    val error: String? = null,
)

/**
 * The whole tap path that needs no Android class: payload -> core parse ->
 * clicked-dedup -> core route -> [Screen]. A tap never crashes and is never
 * dropped: an unusable payload opens [Screen.Home].
 *
 * Taps go through [FastCalls], the bindings' allocation-free door for the
 * hot calls; close the handler with the core.
 */
class ClickHandler(
    core: PushCore,
    private val log: (String) -> Unit = {},
) : AutoCloseable {
    private val calls = FastCalls(core)

    /** An Android tap: its extras go to the core as a tree, not JSON text. */
    fun handle(tap: Tap): TapDecision =
        decide { calls.handleAndroidTap(tap.extras, tap.dataUri, tap.registeredChannel) }

    fun handle(input: ClickInput): TapDecision = decide { calls.handleTap(input) }

    private inline fun decide(handleTap: () -> TapOutcome): TapDecision {
        // One crossing into the core: parse, clicked-dedup and route.
        val outcome = try {
            handleTap()
        } catch (e: PushException) {
            val code = errorCode(e)
            log("tap rejected ($code): ${e.message}")
            return TapDecision(Screen.Home, channel = "unknown", duplicate = false, error = code)
        }
        val notification = outcome.notification
        val channel = notification.channel?.name?.lowercase() ?: "unknown"
        if (notification.newerVersion) log("tap from a newer entity version ${notification.version}")
        // A broken store must not block navigation (dedup == null): the core
        // logged why, and the tap is treated as the first one.
        val duplicate = outcome.dedup is DedupOutcome.Duplicate
        return TapDecision(screenFor(outcome.route, notification), channel, duplicate)
    }

    override fun close() = calls.close()

    companion object {
        fun screenFor(route: Route, n: NormalizedNotification?): Screen = when (route) {
            is Route.C2cChat -> Screen.Chat("c2c_${route.userId}", route.userId, isGroup = false, title = n?.nickname)
            is Route.GroupChat -> Screen.Chat("group_${route.groupId}", route.groupId, isGroup = true, title = n?.nickname)
            is Route.Call -> Screen.IncomingCall(route.sender, isGroup = route.chatType == ChatType.GROUP)
            is Route.Url -> Screen.Web(route.url)
            Route.Home -> Screen.Home
        }

        /** The core's stable error code (the same the CLI prints), for logs and analytics. */
        fun errorCode(e: PushException): String = e.code
    }
}
