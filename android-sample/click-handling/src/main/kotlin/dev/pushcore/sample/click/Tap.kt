package dev.pushcore.sample.click

import dev.pushcore.ClickInput
import dev.pushcore.ClickInputs
import dev.pushcore.PushChannel

/**
 * A tapped notification as the Android app sees it, without Android types:
 * the intent's extras converted to a map (a nested Bundle becomes a nested
 * map, Xiaomi's MiPushMessage the map [ClickInputs.miPushMessage] builds),
 * the intent's data URI, and the channel the app registered with (a
 * tie-breaker only: the core detects the channel from the payload's shape,
 * never from the device).
 */
data class Tap(
    val extras: Map<String, Any?>,
    val dataUri: String? = null,
    val registeredChannel: PushChannel? = null,
) {
    fun toClickInput(): ClickInput = ClickInputs.android(extras, dataUri, registeredChannel)
}
