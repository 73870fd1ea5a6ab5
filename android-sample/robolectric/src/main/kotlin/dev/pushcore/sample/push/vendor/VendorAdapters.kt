package dev.pushcore.sample.push.vendor

import dev.pushcore.sample.push.VendorAdapter

/**
 * The Robolectric module's copy of the app's `VendorAdapters`: FCM alone,
 * because firebase-messaging is the only vendor push SDK Maven can fetch
 * (Huawei, Honor, Meizu, Xiaomi, OPPO and vivo cannot be fetched here).
 */
object VendorAdapters {
    fun all(): List<VendorAdapter> = listOf(FcmAdapter())
}
