package dev.pushcore.sample.push

import android.util.Log
import dev.pushcore.PushListener
import dev.pushcore.RegistrationError
import dev.pushcore.RegistrationState

/**
 * Registration progress for logcat (the main screen observes
 * `core.registrationStates()` instead).
 */
object LoggingListener : PushListener {
    override fun onStateChanged(state: RegistrationState) {
        Log.i("PushRegistration", "${state.phase} channel=${state.channel} business=${state.businessId}")
    }

    override fun onError(error: RegistrationError) {
        Log.w("PushRegistration", "${error.phase} failed (${error.code}, attempt ${error.attempt}, retry=${error.willRetry}): ${error.message}")
    }
}
