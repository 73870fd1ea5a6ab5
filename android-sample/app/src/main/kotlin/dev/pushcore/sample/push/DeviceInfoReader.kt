package dev.pushcore.sample.push

import android.content.Context
import android.os.Build
import androidx.core.app.NotificationManagerCompat
import dev.pushcore.DeviceInfo
import dev.pushcore.DeviceOs
import dev.pushcore.PushChannel
import dev.pushcore.VendorSupport

/**
 * Reads the facts the core chooses a channel from (push-facts.md section 1).
 * The core only reads what it is given, so the rules stay testable anywhere;
 * this is the one place that touches Build and system properties; the SDKs'
 * own availability checks are asked through their adapters. Read once per
 * process, off the main thread: `getprop` and the SDK checks take
 * milliseconds each.
 */
class DeviceInfoReader(private val context: Context, private val adapters: List<VendorAdapter>) {
    fun read(): DeviceInfo = DeviceInfo(
        os = DeviceOs.ANDROID,
        brand = Build.BRAND.orEmpty(),
        manufacturer = Build.MANUFACTURER.orEmpty(),
        model = Build.MODEL.orEmpty(),
        sdkInt = Build.VERSION.SDK_INT.toUInt(),
        osVersion = Build.VERSION.RELEASE.orEmpty(),
        romProperties = ROM_PROPERTIES.associateWith(::systemProperty).filterValues { it.isNotBlank() },
        playServicesAvailable = servicesAvailable(PushChannel.FCM),
        hmsAvailable = servicesAvailable(PushChannel.HUAWEI),
        vendorSupport = adapters.mapNotNull { adapter ->
            runCatching { adapter.isSupported(context) }.getOrNull()?.let { VendorSupport(adapter.channel, it) }
        },
        notificationsEnabled = NotificationManagerCompat.from(context).areNotificationsEnabled(),
        apnsEnvironment = null,
    )

    /** False when the app has no adapter for [channel] or its SDK's check fails. */
    private fun servicesAvailable(channel: PushChannel): Boolean =
        adapters.find { it.channel == channel }?.let { runCatching { it.servicesAvailable(context) }.getOrNull() } ?: false

    /**
     * `getprop` instead of reflecting on the hidden android.os.SystemProperties,
     * which newer Android versions restrict for apps.
     */
    private fun systemProperty(key: String): String = runCatching {
        val process = ProcessBuilder("getprop", key).redirectErrorStream(true).start()
        // getprop prints one line and exits; reading to EOF waits for it.
        val value = process.inputStream.bufferedReader().use { it.readText() }.trim()
        process.waitFor()
        value
    }.getOrDefault("")

    private companion object {
        /** The properties that identify a vendor ROM (push-facts.md section 1). */
        val ROM_PROPERTIES = listOf(
            "ro.build.version.emui",
            "hw_sc.build.platform.version",
            "msc.config.magic.version",
            "ro.build.version.magic",
            "ro.mi.os.version.name",
            "ro.miui.ui.version.name",
            "ro.build.version.opporom",
            "ro.vivo.os.build.display.id",
            "ro.flyme.version.id",
        )
    }
}
