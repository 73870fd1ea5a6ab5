package dev.pushcore.sample.robolectric

import org.junit.Assert.assertEquals
import org.junit.Test
import org.junit.runner.RunWith
import org.junit.runners.JUnit4
import org.w3c.dom.Element
import java.io.File
import javax.xml.parsers.DocumentBuilderFactory

/**
 * Robolectric runs without the app's manifest, so the exported flags the
 * tap path's security rests on are read from app/src/main/AndroidManifest.xml
 * directly: the trampoline is the only exported activity besides the
 * launcher, and the router and the screens it opens are not exported.
 */
@RunWith(JUnit4::class)
class ManifestExportsTest {
    private val activities: Map<String, String?> by lazy {
        val manifest = File(CheckoutConfigApp.repo, "android-sample/app/src/main/AndroidManifest.xml")
        val factory = DocumentBuilderFactory.newInstance().apply { isNamespaceAware = true }
        val nodes = factory.newDocumentBuilder().parse(manifest).getElementsByTagName("activity")
        (0 until nodes.length).map { nodes.item(it) as Element }.associate {
            it.getAttributeNS(ANDROID, "name") to it.getAttributeNS(ANDROID, "exported").ifEmpty { null }
        }
    }

    @Test
    fun `only the launcher and the tap trampoline are exported activities`() {
        assertEquals(setOf(".ui.MainActivity", ".tap.PushTapActivity"), activities.filterValues { it == "true" }.keys)
    }

    @Test
    fun `the router and the screens it opens say explicitly that they are not exported`() {
        for (name in listOf(".tap.RouterActivity", ".ui.ChatActivity", ".ui.CallActivity")) {
            assertEquals(name, "false", activities[name])
        }
    }

    private companion object {
        const val ANDROID = "http://schemas.android.com/apk/res/android"
    }
}
