package dev.pushcore.sample.push

import android.content.Context
import dev.pushcore.PushChannel
import dev.pushcore.VendorCredentials

/**
 * One vendor push SDK, reduced to what the core asks of it. Each adapter is
 * a few lines over its SDK; the core decides which one to use (from the
 * device info, never from parsing code) and when.
 */
interface VendorAdapter {
    val channel: PushChannel

    /**
     * The SDK's own "does push work on this device" answer, or null when the
     * SDK has none (the core then judges by the device rules alone). Called
     * once at start-up, off the main thread.
     */
    fun isSupported(context: Context): Boolean?

    /**
     * Whether the system services the SDK runs on (Google Play services for
     * FCM, HMS Core for Huawei) are installed and usable: the
     * `playServicesAvailable` / `hmsAvailable` device facts. False for SDKs
     * that bring their own.
     */
    fun servicesAvailable(context: Context): Boolean = false

    /** Starts the SDK and returns its token; the core times the call out. */
    suspend fun requestToken(context: Context, credentials: VendorCredentials): String

    suspend fun unregister(context: Context)
}

/** A missing key in the PushCore config for [channel]: a set-up error. */
internal fun VendorCredentials.require(value: String?, name: String, channel: PushChannel): String =
    value?.takeIf { it.isNotBlank() }
        ?: throw dev.pushcore.PushException.Platform("channels.${channel.name.lowercase()}.$name is not configured")
