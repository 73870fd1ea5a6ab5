package dev.pushcore.sample.robolectric

import android.content.ComponentName
import android.content.Intent
import android.net.Uri
import android.os.Bundle
import android.os.Parcel
import android.os.Parcelable
import dev.pushcore.sample.click.ScreenCodec
import dev.pushcore.sample.ui.MainActivity
import org.junit.Assert.assertEquals
import org.junit.Assert.assertNull
import org.junit.Test
import org.junit.runner.RunWith
import org.robolectric.ParameterizedRobolectricTestRunner
import org.robolectric.RuntimeEnvironment
import org.robolectric.ParameterizedRobolectricTestRunner.Parameters

/**
 * Anybody can start the exported trampoline with anything. Whatever the
 * extras carry, it starts only the app's own router with an allow-listed
 * screen, and the router opens the home screen: never a component, URI or
 * Intent taken from the extras.
 */
@RunWith(ParameterizedRobolectricTestRunner::class)
class HostileTapsTest(private val case: String, private val build: () -> Intent) {
    @Test
    fun `a hostile intent on the trampoline opens home and nothing else`() {
        val result = Taps.tap(build())
        assertEquals(ComponentName(RuntimeEnvironment.getApplication(), MainActivity::class.java), result.opened.component)
        assertNull("home is opened by class, never by a URI", result.opened.data)
        assertEquals("home carries no extras from the tap", null, result.opened.extras?.keySet()?.takeIf { it.isNotEmpty() })
        // The router got nothing but the screen codec's strings and the duplicate flag.
        val routedKeys = result.routed.extras?.keySet().orEmpty() - dev.pushcore.sample.tap.RouterActivity.EXTRA_DUPLICATE
        assertEquals(ScreenCodec.encode(dev.pushcore.sample.click.Screen.Home).keys, routedKeys)
    }

    /** A Parcelable of another app's: the trampoline's class loader cannot know it. */
    class ForeignParcelable(private val payload: String) : Parcelable {
        override fun describeContents() = 0
        override fun writeToParcel(dest: Parcel, flags: Int) = dest.writeString(payload)

        companion object {
            @JvmField
            val CREATOR = object : Parcelable.Creator<ForeignParcelable> {
                // Unreadable on this side, as a class missing from the app would be.
                override fun createFromParcel(source: Parcel): ForeignParcelable =
                    throw android.os.BadParcelableException("ClassNotFoundException when unmarshalling")
                override fun newArray(size: Int) = arrayOfNulls<ForeignParcelable>(size)
            }
        }
    }

    companion object {
        private const val EVIL = "com.evil/.StealActivity"

        private fun intent() = Taps.trampolineIntent()

        private fun case(name: String, build: () -> Intent) = arrayOf<Any>(name, build)

        @JvmStatic
        @Parameters(name = "{0}")
        fun cases(): List<Array<Any>> = listOf(
            case("an Intent to another app's component in the extras") {
                intent().putExtra("ext", Intent().setComponent(ComponentName.unflattenFromString(EVIL)))
                    .putExtra(Intent.EXTRA_INTENT, Intent().setComponent(ComponentName.unflattenFromString(EVIL)))
            },
            case("a component name in the extras") {
                intent().putExtra("component", EVIL).putExtra("ext", "{\"component\":\"$EVIL\"}")
            },
            case("a file: URI in the extras") {
                intent().putExtra("ext", "file:///data/data/dev.pushcore.sample/files/pushcore/secrets")
                    .putExtra("url", Uri.parse("file:///data/data/dev.pushcore.sample/shared_prefs/session.xml"))
            },
            case("an intent: URI in the extras") {
                intent().putExtra("ext", "intent:#Intent;component=$EVIL;S.ext=%7B%7D;end")
            },
            case("an intent: URI as the data with a forged component") {
                intent().setData(Uri.parse("intent:#Intent;component=$EVIL;S.ext=not-json;end"))
            },
            case("a web URL outside the allow-list in the payload") {
                intent().putExtra(
                    "ext",
                    "{\"entity\":{\"version\":1,\"chatType\":1,\"action\":3,\"sender\":\"x\"},\"url\":\"file:///etc/passwd\"}",
                )
            },
            case("a Parcelable the app does not know, from another process") {
                Taps.throughParcel(intent().putExtra("ext", ForeignParcelable("x")).putExtra("other", "y"))
            },
            case("a Parcelable the app does not know, in the same process") {
                intent().putExtra("ext", ForeignParcelable("x"))
            },
            case("Xiaomi's key_message forged as a nested Bundle") {
                intent().putExtra("key_message", Bundle().apply { putString("ext", "{\"entity\":{\"sender\":\"mallory\"}}") })
            },
            case("1 MB of extras in one string") {
                intent().putExtra("ext", "{\"entity\":{\"sender\":\"" + "a".repeat(1 shl 20) + "\"}}")
            },
            case("1 MB of extras in many keys") {
                intent().apply { repeat(1024) { putExtra("k$it", "b".repeat(1024)) } }
            },
            case("no extras at all") { intent() },
        )
    }
}
