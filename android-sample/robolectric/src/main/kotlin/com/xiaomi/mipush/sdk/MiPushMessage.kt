package com.xiaomi.mipush.sdk

import java.io.Serializable

/**
 * Stand-in for the Xiaomi MiPush SDK's class of the same name, which cannot be
 * fetched here (Xiaomi ships it as an AAR from its developer site only). Like
 * the SDK's, it is a [Serializable] bean the SDK puts into the tap intent under
 * [PushMessageHelper.KEY_MESSAGE]; it has the properties the sample's
 * IntentExtras reads (the SDK's getters of the same names). Only this
 * Robolectric module compiles it; the app uses the real SDK.
 */
class MiPushMessage : Serializable {
    var messageId: String? = null
    var content: String? = null
    var title: String? = null
    var description: String? = null
    var extra: Map<String, String>? = null

    private companion object {
        private const val serialVersionUID = 1L
    }
}
