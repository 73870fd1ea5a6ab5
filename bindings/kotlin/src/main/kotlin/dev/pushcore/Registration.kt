package dev.pushcore

import kotlinx.coroutines.channels.awaitClose
import kotlinx.coroutines.channels.trySendBlocking
import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.callbackFlow
import kotlin.time.Duration
import kotlin.time.Duration.Companion.milliseconds

/**
 * Hand-written conveniences over the generated registration API.
 *
 * The core keeps registration in its own background thread; these helpers
 * only pair an event with the wait an app usually wants after it, and let
 * waits take a [Duration]. Never call a wait from inside a [PushListener]
 * (it runs on the core's thread): it fails at once with
 * [PushException.InvalidState] instead of waiting for itself.
 */

private fun Duration.toTimeoutMs(): ULong =
    if (isNegative()) 0uL else inWholeMilliseconds.toULong()

/**
 * Suspends until every registration call made before it is applied and
 * settled (no report or clear of an ended session still running).
 */
suspend fun PushCore.waitUntilSettled(timeout: Duration): RegistrationState =
    waitUntilSettled(timeout.toTimeoutMs())

/** Suspends until nothing at all is left to do (see [PushCore.waitUntilIdle]). */
suspend fun PushCore.waitUntilIdle(timeout: Duration): RegistrationState =
    waitUntilIdle(timeout.toTimeoutMs())

/** Suspends until every event sent before it has been handled. */
suspend fun PushCore.waitUntilProcessed(timeout: Duration) =
    waitUntilProcessed(timeout.toTimeoutMs())

/** Logs [userId] in and suspends until registration settles (registered, failed or no channel). */
suspend fun PushCore.loginAndWait(userId: String, timeout: Duration = 30_000.milliseconds): RegistrationState {
    login(userId)
    return waitUntilSettled(timeout)
}

/** As [loginAndWait], with the timeout in milliseconds. */
suspend fun PushCore.loginAndWait(userId: String, timeoutMs: ULong): RegistrationState =
    loginAndWait(userId, timeoutMs.toLong().milliseconds)

/**
 * Ends the push session and suspends until the core is done with it: any
 * report still running has returned or reached its deadline, and the first
 * attempt of the clear has ended. For a proactive logout call this before
 * the IM SDK's own logout, so that the clear reaches the backend while the
 * IM session still exists.
 */
suspend fun PushCore.logoutAndWait(reason: LogoutReason, timeout: Duration = 30_000.milliseconds): RegistrationState {
    logout(reason)
    return waitUntilSettled(timeout)
}

/** As [logoutAndWait], with the timeout in milliseconds. */
suspend fun PushCore.logoutAndWait(reason: LogoutReason, timeoutMs: ULong): RegistrationState =
    logoutAndWait(reason, timeoutMs.toLong().milliseconds)

/** A [PushListener] from two lambdas (both run on the core's thread: keep them short). */
fun pushListener(
    onError: (RegistrationError) -> Unit = {},
    onState: (RegistrationState) -> Unit,
): PushListener = object : PushListener {
    override fun onStateChanged(state: RegistrationState) = onState(state)
    override fun onError(error: RegistrationError) = onError(error)
}

/**
 * The registration state as a cold [Flow]: each collector gets its own core
 * subscription ([PushCore.addListener]), receives the current state first,
 * then every change in order, and closes the subscription when its scope
 * ends (cancellation included). Collected before [PushCore.startRegistration]
 * it fails with [PushException.InvalidState]; after [PushCore.shutdown] it
 * gives the `SHUT_DOWN` state and then nothing more.
 *
 * A collector that falls far behind holds up only itself: past the flow's
 * buffer the core keeps its newest 64 events for it and drops older ones, so
 * the last state it sees is always the current one. For a [StateFlow] use
 * `registrationStates().stateIn(scope, SharingStarted.WhileSubscribed(), registrationState())`.
 */
fun PushCore.registrationStates(): Flow<RegistrationState> = callbackFlow {
    // Blocks only this subscriber's delivery job (never the core's thread)
    // while the flow's buffer is full; fails at once once the flow is closed.
    val handle = addListener(pushListener { state -> trySendBlocking(state) })
    awaitClose { handle.close() }
}
