package dev.pushcore.sample.push.vendor

import dev.pushcore.sample.push.VendorAdapter

/**
 * The vendor SDKs this app ships, one adapter each. The only file that names
 * them all: drop an SDK by deleting its adapter and its line here. (The
 * Robolectric module, which cannot fetch the Chinese vendors' SDKs, compiles
 * its own copy of this file with FCM alone.)
 */
object VendorAdapters {
    fun all(): List<VendorAdapter> = listOf(
        XiaomiAdapter(), HuaweiAdapter(), HonorAdapter(), OppoAdapter(), VivoAdapter(), MeizuAdapter(), FcmAdapter(),
    )
}
