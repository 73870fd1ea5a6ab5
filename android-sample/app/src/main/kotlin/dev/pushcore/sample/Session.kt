package dev.pushcore.sample

import android.util.Log
import dev.pushcore.LogoutReason
import dev.pushcore.PushCore
import dev.pushcore.PushException
import dev.pushcore.logoutAndWait
import dev.pushcore.sample.im.ImSdk
import dev.pushcore.sample.im.ImSessionListener
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.launch

/**
 * Login and logout wiring: the core is told about every change of the IM
 * session, so no token is reported for a session that has ended
 * (push-facts.md section 8).
 */
class Session(
    private val core: PushCore,
    private val im: ImSdk,
    private val scope: CoroutineScope,
) {
    init {
        im.setSessionListener(object : ImSessionListener {
            // Another device logged in with this account, or the user
            // signature expired: the session is already gone on the server,
            // so the core must not try to clear the token through it.
            override fun onKickedOffline() = logoutQuietly(LogoutReason.KICKED_OFFLINE)
            override fun onUserSigExpired() = logoutQuietly(LogoutReason.SIGNATURE_EXPIRED)
        })
    }

    /** Logs in to the IM SDK, then starts push registration for that user. */
    suspend fun login(userId: String, userSig: String) {
        im.login(userId, userSig)
        core.login(userId)
    }

    /**
     * Proactive logout: the core clears the token through the IM SDK while
     * the session still exists, then the IM SDK logs out.
     */
    suspend fun logout() {
        try {
            core.logoutAndWait(LogoutReason.PROACTIVE, CLEAR_TIMEOUT_MS)
        } catch (e: PushException) {
            Log.w("Session", "push clear did not finish: ${e.message}")
        } finally {
            im.logout()
        }
    }

    /** At every app start while logged in; an unchanged token is not re-reported. */
    fun resumeIfLoggedIn() {
        val user = im.loggedInUser() ?: return
        runCatching { core.login(user) }.onFailure { Log.w("Session", "resume failed", it) }
    }

    private fun logoutQuietly(reason: LogoutReason) {
        scope.launch {
            runCatching { core.logout(reason) }.onFailure { Log.w("Session", "logout($reason) failed", it) }
        }
    }

    private companion object {
        const val CLEAR_TIMEOUT_MS = 10_000UL
    }
}
