package dev.pushcore.sample.push

import dev.pushcore.PushChannel
import dev.pushcore.PushCore
import kotlinx.coroutines.CompletableDeferred
import java.util.concurrent.ConcurrentHashMap

/**
 * Most vendor SDKs hand out the token through a receiver or service callback
 * rather than as the result of the register call. An adapter waiting in
 * `requestToken` gets it from here; a token arriving when nobody waits (a
 * refresh) goes straight to the core, which reports it once.
 */
object TokenBridge {
    private val waiting = ConcurrentHashMap<PushChannel, CompletableDeferred<String>>()
    @Volatile private var core: PushCore? = null

    fun attach(core: PushCore) {
        this.core = core
    }

    /** Registers a waiter before the SDK is asked, so no callback is missed. */
    fun expect(channel: PushChannel): CompletableDeferred<String> =
        CompletableDeferred<String>().also { waiting[channel] = it }

    fun deliver(channel: PushChannel, token: String) {
        if (token.isBlank()) return
        val waiter = waiting.remove(channel)
        if (waiter != null && waiter.complete(token)) return
        runCatching { core?.onNewToken(channel, token) }
    }

    fun fail(channel: PushChannel, reason: String) {
        waiting.remove(channel)?.completeExceptionally(dev.pushcore.PushException.Platform(reason))
    }
}
