package dev.pushcore.sample.push.vendor

import android.content.Context
import com.meizu.cloud.pushsdk.MzPushMessageReceiver
import com.meizu.cloud.pushsdk.PushManager
import com.meizu.cloud.pushsdk.platform.message.BasicPushStatus
import com.meizu.cloud.pushsdk.platform.message.PushSwitchStatus
import com.meizu.cloud.pushsdk.platform.message.RegisterStatus
import com.meizu.cloud.pushsdk.platform.message.SubAliasStatus
import com.meizu.cloud.pushsdk.platform.message.SubTagsStatus
import com.meizu.cloud.pushsdk.platform.message.UnRegisterStatus
import dev.pushcore.PushChannel
import dev.pushcore.VendorCredentials
import dev.pushcore.sample.push.TokenBridge
import dev.pushcore.sample.push.VendorAdapter
import dev.pushcore.sample.push.require

/**
 * Meizu Flyme push. SDK: `com.meizu.flyme.internet:push-internal` from Maven
 * Central. Keys: app id and app key from `channels.meizu` in the PushCore
 * config (passed in code). Token: the push id, delivered to
 * [MeizuPushReceiver.onRegisterStatus]. Taps reach PushTapActivity with the
 * `ext` extra.
 */
class MeizuAdapter : VendorAdapter {
    override val channel = PushChannel.MEIZU
    @Volatile private var keys: Pair<String, String>? = null

    override fun isSupported(context: Context): Boolean? = null

    override suspend fun requestToken(context: Context, credentials: VendorCredentials): String {
        val appId = credentials.require(credentials.appId, "app_id", channel)
        val appKey = credentials.require(credentials.appKey, "app_key", channel)
        keys = appId to appKey
        PushManager.getPushId(context)?.takeIf { it.isNotBlank() }?.let { return it }
        val token = TokenBridge.expect(channel)
        PushManager.register(context, appId, appKey)
        return token.await()
    }

    override suspend fun unregister(context: Context) {
        keys?.let { (appId, appKey) -> PushManager.unRegister(context, appId, appKey) }
    }
}

class MeizuPushReceiver : MzPushMessageReceiver() {
    override fun onRegisterStatus(context: Context?, status: RegisterStatus?) {
        if (status?.code == BasicPushStatus.SUCCESS_CODE) {
            TokenBridge.deliver(PushChannel.MEIZU, status.pushId.orEmpty())
        } else {
            TokenBridge.fail(PushChannel.MEIZU, "Meizu register failed: ${status?.code} ${status?.message}")
        }
    }

    @Deprecated("Superseded by onRegisterStatus; still abstract in the SDK")
    override fun onRegister(context: Context?, pushId: String?) = Unit
    @Deprecated("Superseded by onUnRegisterStatus; still abstract in the SDK")
    override fun onUnRegister(context: Context?, success: Boolean) = Unit
    override fun onUnRegisterStatus(context: Context?, status: UnRegisterStatus?) = Unit
    override fun onPushStatus(context: Context?, status: PushSwitchStatus?) = Unit
    override fun onSubTagsStatus(context: Context?, status: SubTagsStatus?) = Unit
    override fun onSubAliasStatus(context: Context?, status: SubAliasStatus?) = Unit
}
