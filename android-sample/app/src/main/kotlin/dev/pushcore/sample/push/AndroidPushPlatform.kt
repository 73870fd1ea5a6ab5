package dev.pushcore.sample.push

import android.content.Context
import dev.pushcore.DeviceInfo
import dev.pushcore.PushChannel
import dev.pushcore.PushException
import dev.pushcore.PushPlatform
import dev.pushcore.VendorCredentials
import dev.pushcore.sample.push.vendor.VendorAdapters

/**
 * The core's [PushPlatform] on Android: device facts for channel choice and
 * one adapter per vendor SDK for tokens. Which channel to use is the core's
 * decision; this class only executes it. The adapters come from
 * [VendorAdapters], the one file that names the vendor SDKs.
 */
class AndroidPushPlatform(
    context: Context,
    adapterList: List<VendorAdapter> = VendorAdapters.all(),
) : PushPlatform {
    private val context = context.applicationContext
    private val adapters: Map<PushChannel, VendorAdapter> = adapterList.associateBy { it.channel }

    /** The channel the core registered with, used as the tap parser's tie-breaker. */
    @Volatile var registeredChannel: PushChannel? = null
        private set

    private val facts: DeviceInfo by lazy { DeviceInfoReader(this.context, adapters.values.toList()).read() }

    // Called on the core's thread, which may block briefly the first time.
    override fun deviceInfo(): DeviceInfo = facts

    override suspend fun requestToken(channel: PushChannel, credentials: VendorCredentials): String {
        val adapter = adapters[channel] ?: throw PushException.Platform("no adapter for $channel in this app")
        return adapter.requestToken(context, credentials).also { registeredChannel = channel }
    }

    override suspend fun unregister(channel: PushChannel) {
        adapters[channel]?.unregister(context)
        if (registeredChannel == channel) registeredChannel = null
    }
}
