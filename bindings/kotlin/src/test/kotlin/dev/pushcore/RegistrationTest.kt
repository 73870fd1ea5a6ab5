package dev.pushcore

import kotlinx.coroutines.CancellationException
import kotlinx.coroutines.awaitCancellation
import kotlinx.coroutines.delay
import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows
import java.util.concurrent.CopyOnWriteArrayList
import java.util.concurrent.atomic.AtomicInteger

/** A phone in Kotlin: suspend functions, as an app's platform layer would write them. */
class KotlinPlatform(private val device: DeviceInfo) : PushPlatform {
    val requests = CopyOnWriteArrayList<PushChannel>()
    val unregistered = CopyOnWriteArrayList<PushChannel>()
    val cancelled = AtomicInteger()

    /** Each entry decides one request: "ok", "fail", "throw" (not a PushException) or "hang". */
    val script = CopyOnWriteArrayList<String>()

    @Volatile var token = "kotlin-oppo-token-0123456789abcdef"

    override fun deviceInfo(): DeviceInfo = device

    override suspend fun requestToken(channel: PushChannel, credentials: VendorCredentials): String {
        requests.add(channel)
        delay(5)
        when (if (script.isEmpty()) "ok" else script.removeAt(0)) {
            "fail" -> throw PushException.Platform("vendor SDK not ready")
            "throw" -> throw IllegalStateException("bug in the app's platform layer")
            "hang" -> try {
                awaitCancellation()
            } catch (e: CancellationException) {
                cancelled.incrementAndGet()
                throw e
            }
        }
        return token
    }

    override suspend fun unregister(channel: PushChannel) {
        unregistered.add(channel)
    }
}

/** The IM backend in Kotlin. */
class KotlinBackend : TokenReporter {
    val reports = CopyOnWriteArrayList<TokenReport>()
    val clears = AtomicInteger()
    val failures = AtomicInteger()

    override suspend fun report(report: TokenReport) {
        delay(5)
        if (failures.get() > 0) {
            failures.decrementAndGet()
            throw PushException.Platform("backend answered 503")
        }
        reports.add(report)
    }

    override suspend fun clear(clear: TokenClear) {
        delay(5)
        clears.incrementAndGet()
    }
}

class RegistrationTest {
    private fun oppo() = TestSupport.oppoPhone()

    private fun config(): PushConfig = TestSupport.quickRetryConfig()

    private class Recorder : PushListener {
        val states = CopyOnWriteArrayList<RegistrationState>()
        val errors = CopyOnWriteArrayList<RegistrationError>()
        override fun onStateChanged(state: RegistrationState) { states.add(state) }
        override fun onError(error: RegistrationError) { errors.add(error) }
    }

    @Test
    fun `login registers, reports with the business id, and a proactive logout clears`() = runBlocking {
        val platform = KotlinPlatform(oppo())
        val backend = KotlinBackend()
        val recorder = Recorder()
        PushCore(config(), TestSupport.tempDir().path).use { core ->
            core.startRegistration(platform, backend, recorder)
            val state = core.loginAndWait("alice", 5_000u)
            assertEquals(RegistrationPhase.REGISTERED, state.phase)
            assertEquals("alice", state.userId)
            assertEquals(PushChannel.OPPO, state.channel)
            assertEquals(10004UL, state.businessId)
            assertEquals(1, backend.reports.size)
            val report = backend.reports[0]
            assertEquals(TokenReport("alice", PushChannel.OPPO, 2004u, 10004UL, platform.token, report.sequence), report)
            assertTrue(report.sequence > 0uL)
            assertEquals(
                listOf(
                    RegistrationPhase.CHOOSING_CHANNEL,
                    RegistrationPhase.REQUESTING_TOKEN,
                    RegistrationPhase.REPORTING,
                    RegistrationPhase.REGISTERED,
                ),
                recorder.states.map { it.phase },
            )

            val out = core.logoutAndWait(LogoutReason.PROACTIVE, 5_000u)
            assertEquals(RegistrationPhase.LOGGED_OUT, out.phase)
            assertNull(out.userId)
            assertEquals(1, backend.clears.get())
            assertEquals(RegistrationPhase.LOGGED_OUT, core.registrationState().phase)
        }
    }

    @Test
    fun `failures are retried with backoff until the token is reported`() = runBlocking {
        val platform = KotlinPlatform(oppo()).apply { script.addAll(listOf("fail", "throw")) }
        val backend = KotlinBackend().apply { failures.set(1) }
        val recorder = Recorder()
        PushCore(config(), TestSupport.tempDir().path).use { core ->
            core.startRegistration(platform, backend, recorder)
            val state = core.loginAndWait("alice", 10_000u)
            assertEquals(RegistrationPhase.REGISTERED, state.phase, state.toString())
            assertEquals(3, platform.requests.size)
            assertEquals(1, backend.reports.size)
            val errors = recorder.errors.map { Triple(it.code, it.phase, it.attempt) }
            assertEquals(
                listOf(
                    Triple("platform", RegistrationPhase.REQUESTING_TOKEN, 1u),
                    Triple("platform", RegistrationPhase.REQUESTING_TOKEN, 2u),
                    Triple("platform", RegistrationPhase.REPORTING, 3u),
                ),
                errors,
            )
            // A Kotlin exception that is not a PushException still arrives as a platform error.
            assertTrue(recorder.errors[1].message.contains("IllegalStateException"), recorder.errors[1].message)
            assertTrue(recorder.states.any { it.phase == RegistrationPhase.WAITING_TO_RETRY })
            assertEquals(0u, state.attempt)
        }
    }

    @Test
    fun `a suspend call that never returns times out, is cancelled, and is retried`() = runBlocking {
        val platform = KotlinPlatform(oppo()).apply { script.add("hang") }
        val backend = KotlinBackend()
        val recorder = Recorder()
        PushCore(config(), TestSupport.tempDir().path).use { core ->
            core.startRegistration(platform, backend, recorder)
            val state = core.loginAndWait("alice", 10_000u)
            assertEquals(RegistrationPhase.REGISTERED, state.phase)
            assertEquals("timeout", recorder.errors.single().code)
            // The core dropped the call: the coroutine was cancelled, not leaked.
            var waited = 0
            while (platform.cancelled.get() == 0 && waited < 2_000) { delay(10); waited += 10 }
            assertEquals(1, platform.cancelled.get())
        }
    }

    @Test
    fun `a kick-out never clears, a new token is reported once, another user reports again`() = runBlocking {
        val platform = KotlinPlatform(oppo())
        val backend = KotlinBackend()
        PushCore(config(), TestSupport.tempDir().path).use { core ->
            core.startRegistration(platform, backend, null)
            core.loginAndWait("alice", 5_000u)
            platform.token = "kotlin-oppo-token-refreshed-0001"
            core.onNewToken(PushChannel.OPPO, platform.token)
            core.onNewToken(PushChannel.OPPO, platform.token)
            core.onAppForeground()
            core.onNetworkAvailable()
            assertEquals(RegistrationPhase.REGISTERED, core.waitUntilSettled(5_000u).phase)
            var waited = 0
            while (backend.reports.size < 2 && waited < 2_000) { delay(10); waited += 10 }
            delay(100)
            assertEquals(listOf("kotlin-oppo-token-0123456789abcdef", platform.token), backend.reports.map { it.token })

            core.logoutAndWait(LogoutReason.KICKED_OFFLINE, 5_000u)
            assertEquals(0, backend.clears.get())
            core.loginAndWait("bob", 5_000u)
            assertEquals(listOf("alice", "alice", "bob"), backend.reports.map { it.userId })
            core.logoutAndWait(LogoutReason.SIGNATURE_EXPIRED, 5_000u)
            assertEquals(0, backend.clears.get())
        }
    }

    @Test
    fun `a token delivered after logout is handled and never reported`() = runBlocking {
        val platform = KotlinPlatform(oppo())
        val backend = KotlinBackend()
        PushCore(config(), TestSupport.tempDir().path).use { core ->
            core.startRegistration(platform, backend, null)
            core.loginAndWait("alice", 5_000u)
            core.logoutAndWait(LogoutReason.PROACTIVE, 5_000u)
            val reportsBefore = backend.reports.size
            core.onNewToken(PushChannel.OPPO, "kotlin-oppo-token-after-logout-0001")
            core.waitUntilProcessed(5_000u)
            assertEquals(RegistrationPhase.LOGGED_OUT, core.registrationState().phase)
            assertEquals(reportsBefore, backend.reports.size)
            assertTrue(backend.reports.none { it.token == "kotlin-oppo-token-after-logout-0001" })
        }
    }

    @Test
    fun `calls before start or after shutdown are typed errors, and channel choice is queryable`() {
        PushCore(config(), TestSupport.tempDir().path).use { core ->
            assertThrows<PushException.InvalidState> { core.login("alice") }
            assertEquals(RegistrationPhase.LOGGED_OUT, core.registrationState().phase)
            core.startRegistration(KotlinPlatform(oppo()), KotlinBackend(), null)
            assertThrows<PushException.InvalidState> {
                core.startRegistration(KotlinPlatform(oppo()), KotlinBackend(), null)
            }
            assertThrows<PushException.InvalidInput> { core.login(" ") }
            core.shutdown()
            assertThrows<PushException.InvalidState> { core.login("alice") }
        }
        val honor = oppo().copy(
            brand = "HONOR",
            manufacturer = "HONOR",
            romProperties = mapOf("ro.build.version.magic" to "MagicUI_4.0.0"),
        )
        val choice = choosePushChannel(config(), honor)
        assertEquals(PushChannel.HONOR, choice.channel)
        assertEquals(10003UL, choice.businessId)
        val bare = oppo().copy(brand = "nokia", manufacturer = "nokia", romProperties = mapOf(), playServicesAvailable = false)
        assertNull(choosePushChannel(config(), bare).channel)
    }
}
