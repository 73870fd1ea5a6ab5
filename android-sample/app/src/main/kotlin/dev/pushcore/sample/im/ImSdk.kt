package dev.pushcore.sample.im

import android.util.Log
import java.util.concurrent.atomic.AtomicReference

/**
 * The few IM SDK calls the sample needs, behind an interface so the sample
 * compiles without a real IM SDK. A real app implements it over its IM
 * vendor's SDK, for instance (Tencent Cloud Chat):
 *  - [setOfflinePushToken]: `V2TIMManager.getOfflinePushManager().setOfflinePushConfig(
 *    V2TIMOfflinePushConfig(businessId, token), callback)`;
 *  - [clearOfflinePushToken]: the same call with an empty token (or the
 *    vendor's dedicated "unregister" call);
 *  - [login] / [logout]: `V2TIMManager.getInstance().login(userId, userSig, callback)` / `logout`;
 *  - [setSessionListener]: `V2TIMSDKListener.onKickedOffline` / `onUserSigExpired`.
 * Each callback-style call is wrapped in `suspendCancellableCoroutine`.
 */
interface ImSdk {
    suspend fun login(userId: String, userSig: String)
    suspend fun logout()
    fun loggedInUser(): String?
    suspend fun setOfflinePushToken(businessId: Long, token: String, vendorId: Int?)
    suspend fun clearOfflinePushToken()
    fun setSessionListener(listener: ImSessionListener)
}

interface ImSessionListener {
    fun onKickedOffline()
    fun onUserSigExpired()
}

/** Logs what a real IM SDK would send; enough to watch the flow in logcat. */
class FakeImSdk : ImSdk {
    private val user = AtomicReference<String?>(null)
    private var listener: ImSessionListener? = null

    override suspend fun login(userId: String, userSig: String) {
        user.set(userId)
        Log.i(TAG, "login ${userId.length}-char user")
    }

    override suspend fun logout() {
        user.set(null)
        Log.i(TAG, "logout")
    }

    override fun loggedInUser(): String? = user.get()

    override suspend fun setOfflinePushToken(businessId: Long, token: String, vendorId: Int?) {
        // Never log the token itself: it is a long-lived credential.
        Log.i(TAG, "setOfflinePushConfig(businessId=$businessId, vendor=$vendorId, token=${token.take(4)}…)")
    }

    override suspend fun clearOfflinePushToken() {
        Log.i(TAG, "clear offline push token")
    }

    override fun setSessionListener(listener: ImSessionListener) {
        this.listener = listener
    }

    /** For trying the kick-out path from the sample's UI. */
    fun simulateKickOut() {
        user.set(null)
        listener?.onKickedOffline()
    }

    private companion object {
        const val TAG = "FakeImSdk"
    }
}
