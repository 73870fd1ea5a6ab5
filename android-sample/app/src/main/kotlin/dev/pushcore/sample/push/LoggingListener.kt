package dev.pushcore.sample.push

import android.util.Log
import dev.pushcore.PushListener
import dev.pushcore.RegistrationError
import dev.pushcore.RegistrationState
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow

/** Registration progress for logcat and the sample's main screen. */
object LoggingListener : PushListener {
    private val current = MutableStateFlow<RegistrationState?>(null)
    val state: StateFlow<RegistrationState?> = current

    override fun onStateChanged(state: RegistrationState) {
        current.value = state
        Log.i("PushRegistration", "${state.phase} channel=${state.channel} business=${state.businessId}")
    }

    override fun onError(error: RegistrationError) {
        Log.w("PushRegistration", "${error.phase} failed (${error.code}, attempt ${error.attempt}, retry=${error.willRetry}): ${error.message}")
    }
}
