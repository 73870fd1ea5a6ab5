package dev.pushcore

import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.Job
import kotlinx.coroutines.cancelAndJoin
import kotlinx.coroutines.delay
import kotlinx.coroutines.flow.first
import kotlinx.coroutines.launch
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withTimeout
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows
import java.util.concurrent.CopyOnWriteArrayList

/** `registrationStates()` and `addListener` through the real bindings. */
class RegistrationStatesTest {
    private fun oppo() = TestSupport.oppoPhone()

    private fun config(): PushConfig = TestSupport.quickRetryConfig()

    private class Collector(scope: CoroutineScope, core: PushCore) {
        val states = CopyOnWriteArrayList<RegistrationState>()
        val job: Job = scope.launch(Dispatchers.Default) {
            core.registrationStates().collect { states.add(it) }
        }
    }

    /** Waits until [states] ends with [state] (delivery is asynchronous). */
    private suspend fun awaitLast(states: List<RegistrationState>, state: RegistrationState) =
        withTimeout(5_000) {
            while (states.lastOrNull() != state) delay(5)
        }

    private suspend fun awaitListeners(core: PushCore, count: UInt) = withTimeout(5_000) {
        while (core.registrationListenerCount() != count) delay(5)
    }

    @Test
    fun `two collectors see the same ordered states across login, report, logout and kick-out, and cancelling one leaves the other`() = runBlocking {
        val app = CopyOnWriteArrayList<RegistrationState>()
        PushCore(config(), TestSupport.tempDir().path).use { core ->
            core.startRegistration(KotlinPlatform(oppo()), KotlinBackend(), pushListener { app.add(it) })
            val first = Collector(this, core)
            val second = Collector(this, core)
            val initial = core.registrationState()
            awaitLast(first.states, initial)
            awaitLast(second.states, initial)
            assertEquals(2u, core.registrationListenerCount())

            assertEquals(RegistrationPhase.REGISTERED, core.loginAndWait("alice", 5_000u).phase)
            assertEquals(RegistrationPhase.LOGGED_OUT, core.logoutAndWait(LogoutReason.PROACTIVE, 5_000u).phase)
            core.loginAndWait("bob", 5_000u)
            val kickedOut = core.logoutAndWait(LogoutReason.KICKED_OFFLINE, 5_000u)
            awaitLast(first.states, kickedOut)
            awaitLast(second.states, kickedOut)
            val expected = listOf(initial) + app
            assertEquals(expected, first.states.toList())
            assertEquals(expected, second.states.toList())
            assertEquals(
                listOf(
                    RegistrationPhase.LOGGED_OUT,
                    RegistrationPhase.CHOOSING_CHANNEL,
                    RegistrationPhase.REQUESTING_TOKEN,
                    RegistrationPhase.REPORTING,
                    RegistrationPhase.REGISTERED,
                ),
                first.states.take(5).map { it.phase },
            )

            second.job.cancelAndJoin()
            assertEquals(1u, core.registrationListenerCount(), "the cancelled collector's handle is closed")
            val seenBySecond = second.states.size
            val again = core.loginAndWait("carol", 5_000u)
            awaitLast(first.states, again)
            assertEquals(seenBySecond, second.states.size)
            assertEquals(listOf(initial) + app, first.states.toList())

            first.job.cancelAndJoin()
            assertEquals(0u, core.registrationListenerCount())
        }
    }

    @Test
    fun `a listener that throws keeps receiving and does not disturb another`() = runBlocking {
        PushCore(config(), TestSupport.tempDir().path).use { core ->
            core.startRegistration(KotlinPlatform(oppo()), KotlinBackend(), null)
            val thrown = CopyOnWriteArrayList<RegistrationState>()
            val calm = CopyOnWriteArrayList<RegistrationState>()
            core.addListener(pushListener { thrown.add(it); throw IllegalStateException("bug in a screen") }).use {
                core.addListener(pushListener { calm.add(it) }).use {
                    val state = core.loginAndWait("alice", 5_000u)
                    awaitLast(thrown, state)
                    awaitLast(calm, state)
                    assertEquals(calm.toList(), thrown.toList())
                    assertTrue(calm.size >= 5, calm.map { it.phase }.toString())
                }
            }
            assertEquals(0u, core.registrationListenerCount())
        }
    }

    @Test
    fun `collecting before start is a typed error and after shutdown gives the final state`() = runBlocking {
        PushCore(config(), TestSupport.tempDir().path).use { core ->
            assertThrows<PushException.InvalidState> { runBlocking { core.registrationStates().first() } }
            core.startRegistration(KotlinPlatform(oppo()), KotlinBackend(), null)
            core.shutdown()
            assertEquals(RegistrationPhase.SHUT_DOWN, core.registrationStates().first().phase)
            awaitListeners(core, 0u)
        }
    }
}
