package dev.pushcore.sample.push.vendor

import android.content.Context
import android.os.Bundle
import com.huawei.agconnect.AGConnectOptionsBuilder
import com.huawei.hms.api.ConnectionResult
import com.huawei.hms.api.HuaweiApiAvailability
import com.huawei.hms.aaid.HmsInstanceId
import com.huawei.hms.push.HmsMessageService
import dev.pushcore.PushChannel
import dev.pushcore.VendorCredentials
import dev.pushcore.sample.push.TokenBridge
import dev.pushcore.sample.push.VendorAdapter
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.withContext

/**
 * Huawei HMS Push. SDK: `com.huawei.hms:push` from Huawei's Maven repository,
 * plus the `com.huawei.agconnect` Gradle plugin and app/agconnect-services.json
 * (which holds the app id; no manifest placeholder). Availability: the
 * `hmsAvailable` device fact. Token: returned by `getToken`, or on older EMUI
 * delivered later to [HuaweiService.onNewToken].
 */
class HuaweiAdapter : VendorAdapter {
    override val channel = PushChannel.HUAWEI

    override fun isSupported(context: Context): Boolean? = null

    override fun servicesAvailable(context: Context): Boolean =
        HuaweiApiAvailability.getInstance().isHuaweiMobileServicesAvailable(context) == ConnectionResult.SUCCESS

    override suspend fun requestToken(context: Context, credentials: VendorCredentials): String {
        val token = TokenBridge.expect(channel)
        val direct = withContext(Dispatchers.IO) {
            // Blocking network call: never on the main thread.
            HmsInstanceId.getInstance(context).getToken(appId(context, credentials), SCOPE)
        }
        if (!direct.isNullOrBlank()) TokenBridge.deliver(channel, direct)
        return token.await()
    }

    override suspend fun unregister(context: Context) = withContext(Dispatchers.IO) {
        val appId = AGConnectOptionsBuilder().build(context).getString("client/app_id")
        HmsInstanceId.getInstance(context).deleteToken(appId, SCOPE)
    }

    private fun appId(context: Context, credentials: VendorCredentials): String =
        credentials.appId ?: AGConnectOptionsBuilder().build(context).getString("client/app_id")

    private companion object {
        const val SCOPE = "HCM"
    }
}

class HuaweiService : HmsMessageService() {
    override fun onNewToken(token: String?, bundle: Bundle?) {
        TokenBridge.deliver(PushChannel.HUAWEI, token.orEmpty())
    }

    override fun onTokenError(e: Exception?) {
        TokenBridge.fail(PushChannel.HUAWEI, "HMS token error: ${e?.message}")
    }
}
