package dev.pushcore.sample.robolectric

import android.app.Activity
import android.content.ComponentName
import android.content.Intent
import android.net.Uri
import android.os.Bundle
import android.os.Parcel
import com.xiaomi.mipush.sdk.MiPushMessage
import com.xiaomi.mipush.sdk.PushMessageHelper
import dev.pushcore.sample.tap.PushTapActivity
import dev.pushcore.sample.tap.RouterActivity
import org.json.JSONObject
import org.junit.Assert.assertEquals
import org.junit.Assert.assertNull
import org.junit.Assert.assertTrue
import org.robolectric.Robolectric
import org.robolectric.RuntimeEnvironment
import org.robolectric.Shadows.shadowOf
import java.io.File

/** What one tap did: the intent the trampoline gave the router, and the activity the router opened. */
data class TapResult(val routed: Intent, val opened: Intent) {
    val duplicate: Boolean get() = routed.getBooleanExtra(RouterActivity.EXTRA_DUPLICATE, false)
    val openedClass: String? get() = opened.component?.className
}

/** Builds tap intents as the channels do and drives them through the two tap activities. */
object Taps {
    private val app get() = RuntimeEnvironment.getApplication()

    /** What a vendor SDK (or anybody) starts: an explicit intent on the exported trampoline. */
    fun trampolineIntent(): Intent = Intent(app, PushTapActivity::class.java)

    /**
     * A recorded tap (android-sample/click-handling/src/main/resources/taps)
     * as the channel's SDK hands it to the trampoline: string and number
     * extras, a JSON object as a nested [Bundle], Xiaomi's `key_message` as
     * its Serializable MiPushMessage, the click action's URI as the data URI.
     */
    fun recorded(channel: String): Intent {
        val tap = JSONObject(File(CheckoutConfigApp.repo, "android-sample/click-handling/src/main/resources/taps/$channel.json").readText())
        val extras = tap.getJSONObject("extras")
        val intent = trampolineIntent()
        if (tap.has("data_uri")) intent.data = Uri.parse(tap.getString("data_uri"))
        extras.optJSONObject(PushMessageHelper.KEY_MESSAGE)?.let { message ->
            extras.remove(PushMessageHelper.KEY_MESSAGE)
            intent.putExtra(PushMessageHelper.KEY_MESSAGE, miPushMessage(message))
        }
        return intent.putExtras(toBundle(extras))
    }

    fun toBundle(json: JSONObject): Bundle = Bundle().apply {
        for (key in json.keys()) {
            when (val value = json.get(key)) {
                is JSONObject -> putBundle(key, toBundle(value))
                is String -> putString(key, value)
                is Int -> putInt(key, value)
                is Long -> putLong(key, value)
                is Boolean -> putBoolean(key, value)
                else -> error("unsupported recorded extra $key: ${value.javaClass}")
            }
        }
    }

    private fun miPushMessage(json: JSONObject) = MiPushMessage().apply {
        messageId = json.optString("messageId")
        title = json.optString("title")
        description = json.optString("description")
        content = json.optString("content")
        val map = json.getJSONObject("extra")
        extra = map.keys().asSequence().associateWith { map.getString(it) }
    }

    /** An intent as it arrives from another process: written to a Parcel and read back. */
    fun throughParcel(intent: Intent): Intent {
        val parcel = Parcel.obtain()
        return try {
            intent.writeToParcel(parcel, 0)
            parcel.setDataPosition(0)
            Intent.CREATOR.createFromParcel(parcel)
        } finally {
            parcel.recycle()
        }
    }

    /** Starts the trampoline with [intent] (a cold start) and follows it through the router. */
    fun tap(intent: Intent): TapResult {
        val trampoline = Robolectric.buildActivity(PushTapActivity::class.java, intent).create().get()
        return follow(trampoline)
    }

    /** A cold start with [intent], then the same intent delivered again (onNewIntent). */
    fun tapTwice(intent: Intent): Pair<TapResult, TapResult> {
        val controller = Robolectric.buildActivity(PushTapActivity::class.java, intent).create()
        val first = follow(controller.get())
        controller.newIntent(Intent(intent))
        return first to follow(controller.get())
    }

    /**
     * The trampoline must finish, start exactly one activity (the router,
     * in this app), and the router must open exactly one activity.
     */
    private fun follow(activity: Activity): TapResult {
        assertTrue("the trampoline finishes at once", activity.isFinishing)
        val trampoline = shadowOf(activity)
        val routed = checkNotNull(trampoline.nextStartedActivity) { "the trampoline started nothing" }
        assertEquals(ComponentName(app, RouterActivity::class.java), routed.component)
        assertNull("the trampoline starts exactly one activity", trampoline.nextStartedActivity)
        val router = shadowOf(Robolectric.buildActivity(RouterActivity::class.java, routed).create().get())
        val opened = checkNotNull(router.nextStartedActivity) { "the router opened nothing" }
        assertNull("the router opens exactly one activity", router.nextStartedActivity)
        return TapResult(routed, opened)
    }
}
