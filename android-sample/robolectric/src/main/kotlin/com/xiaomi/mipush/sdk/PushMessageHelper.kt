package com.xiaomi.mipush.sdk

/** Stand-in for the MiPush SDK's constant holder (see [MiPushMessage]). */
object PushMessageHelper {
    const val KEY_MESSAGE = "key_message"
}
