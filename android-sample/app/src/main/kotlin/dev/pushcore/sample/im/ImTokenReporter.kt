package dev.pushcore.sample.im

import dev.pushcore.PushException
import dev.pushcore.TokenClear
import dev.pushcore.TokenReport
import dev.pushcore.TokenReporter
import kotlinx.coroutines.CancellationException

/**
 * The core's [TokenReporter] over the IM SDK. The core decides when to call
 * it (never after logout or kick-out, never twice for an unchanged token) and
 * puts a deadline around each call; this class only translates.
 */
class ImTokenReporter(private val im: ImSdk) : TokenReporter {
    override suspend fun report(report: TokenReport) {
        try {
            im.setOfflinePushToken(report.businessId.toLong(), report.token, report.vendorId?.toInt())
        } catch (e: CancellationException) {
            throw e // the core's deadline passed: let it cancel
        } catch (e: Exception) {
            throw PushException.Platform("IM SDK refused the token: ${e.message}")
        }
    }

    /**
     * [clear] names whose token to remove. The core may retry a clear later
     * (also after a restart); if the IM SDK is logged in as someone else by
     * then, clearing "the current session" would remove the wrong user's
     * token, so it is skipped (the backend's sequence check, see
     * docs/registration.md, covers the rest).
     */
    override suspend fun clear(clear: TokenClear) {
        val current = im.loggedInUser()
        if (current != null && current != clear.userId) return
        try {
            im.clearOfflinePushToken()
        } catch (e: CancellationException) {
            throw e
        } catch (e: Exception) {
            throw PushException.Platform("IM SDK could not clear the token: ${e.message}")
        }
    }
}
