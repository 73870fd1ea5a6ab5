package dev.pushcore

import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.suspendCancellableCoroutine
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import java.util.concurrent.CopyOnWriteArrayList
import java.util.concurrent.Executors
import java.util.concurrent.TimeUnit
import kotlin.coroutines.resume
import kotlin.time.Duration.Companion.milliseconds
import kotlin.time.Duration.Companion.seconds

/**
 * An IM backend reached through a callback SDK, as apps wrap it: the request
 * is sent at once and answers later on the SDK's thread. Cancelling the
 * coroutine does not take the request back: the server applies it when it
 * arrives, whatever the caller did meanwhile.
 */
class CallbackBackend(private val reportMs: Long) : TokenReporter {
    private val sdk = Executors.newSingleThreadScheduledExecutor()
    /** What the server applied, in order: "report <user> <seq>" or "clear <user> <seq>". */
    val applied = CopyOnWriteArrayList<String>()
    val cancelledCalls = CopyOnWriteArrayList<String>()
    @Volatile var token: Pair<String, String>? = null // (user, token) the server pushes to

    private suspend fun send(what: String, delayMs: Long, apply: () -> Unit) =
        suspendCancellableCoroutine { cont ->
            sdk.schedule({
                apply()
                applied.add(what)
                if (cont.isActive) cont.resume(Unit)
            }, delayMs, TimeUnit.MILLISECONDS)
            cont.invokeOnCancellation { cancelledCalls.add(what) } // the request is already out
        }

    override suspend fun report(report: TokenReport) =
        send("report ${report.userId} ${report.sequence}", reportMs) { token = report.userId to report.token }

    override suspend fun clear(clear: TokenClear) =
        send("clear ${clear.userId} ${clear.sequence}", 5) {
            if (token?.first == clear.userId) token = null
        }

    fun close() = sdk.shutdownNow()
}

class RegistrationOrderTest {
    private fun oppo() = TestSupport.oppoPhone()

    private fun config(): PushConfig = TestSupport.quickRetryConfig(platformTimeoutMs = 2_000uL)

    @Test
    fun `a logout during a report that keeps going after cancellation still ends with no token at the backend`() = runBlocking {
        repeat(10) { round ->
            val backend = CallbackBackend(reportMs = 150)
            PushCore(config(), TestSupport.tempDir().path).use { core ->
                core.startRegistration(KotlinPlatform(oppo()), backend, null)
                core.login("alice")
                // Logout while the report is with the backend (at various points).
                Thread.sleep(20L + round * 10)
                val out = core.logoutAndWait(LogoutReason.PROACTIVE, 5.seconds)
                assertEquals(RegistrationPhase.LOGGED_OUT, out.phase)
                Thread.sleep(300) // anything still on its way lands now
                assertNull(backend.token, "round $round: ${backend.applied}")
                assertTrue(backend.cancelledCalls.isEmpty(), "the core cancelled ${backend.cancelledCalls}")
                val kinds = backend.applied.map { it.substringBefore(' ') }
                assertEquals("clear", kinds.last(), "round $round: ${backend.applied}")
                // Every applied message carries a growing sequence.
                val sequences = backend.applied.map { it.substringAfterLast(' ').toULong() }
                assertEquals(sequences.sorted(), sequences, "round $round")
            }
            backend.close()
        }
    }

    @Test
    fun `waits take a Duration, cover a new token, and fail at once inside a listener`() = runBlocking {
        val backend = KotlinBackend()
        val fromListener = CopyOnWriteArrayList<String>()
        lateinit var core: PushCore
        val listener = pushListener { _ ->
            fromListener.add(
                try {
                    runBlocking { core.waitUntilSettled(500.milliseconds) }
                    "settled"
                } catch (e: PushException.InvalidState) {
                    "invalid_state"
                },
            )
        }
        core = PushCore(config(), TestSupport.tempDir().path)
        core.use {
            core.startRegistration(KotlinPlatform(oppo()), backend, listener)
            assertEquals(RegistrationPhase.REGISTERED, core.loginAndWait("alice", 5.seconds).phase)
            core.onNewToken(PushChannel.OPPO, "kotlin-oppo-token-new-000000001")
            core.waitUntilSettled(5.seconds)
            assertEquals("kotlin-oppo-token-new-000000001", backend.reports.last().token)
            val idle = core.waitUntilIdle(5.seconds)
            assertEquals(0u, idle.pendingClears)
            assertTrue(fromListener.isNotEmpty())
            assertTrue(fromListener.all { it == "invalid_state" }, fromListener.toString())
            core.shutdown()
            assertEquals(RegistrationPhase.SHUT_DOWN, core.registrationState().phase)
        }
    }
}
