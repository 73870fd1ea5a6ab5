package dev.pushcore

/**
 * Hand-written conveniences over the generated registration API.
 *
 * The core keeps registration in its own background thread; these helpers
 * only pair an event with the wait an app usually wants after it.
 */

/** Logs [userId] in and suspends until registration settles (registered, failed or no channel). */
suspend fun PushCore.loginAndWait(userId: String, timeoutMs: ULong = 30_000u): RegistrationState {
    login(userId)
    return waitUntilSettled(timeoutMs)
}

/**
 * Ends the push session and suspends until the core is done with it. For a
 * proactive logout call this before the IM SDK's own logout, so that the
 * token clear reaches the backend while the IM session still exists.
 */
suspend fun PushCore.logoutAndWait(reason: LogoutReason, timeoutMs: ULong = 30_000u): RegistrationState {
    logout(reason)
    return waitUntilSettled(timeoutMs)
}

/** A [PushListener] from two lambdas (both run on the core's thread: keep them short). */
fun pushListener(
    onError: (RegistrationError) -> Unit = {},
    onState: (RegistrationState) -> Unit,
): PushListener = object : PushListener {
    override fun onStateChanged(state: RegistrationState) = onState(state)
    override fun onError(error: RegistrationError) = onError(error)
}
