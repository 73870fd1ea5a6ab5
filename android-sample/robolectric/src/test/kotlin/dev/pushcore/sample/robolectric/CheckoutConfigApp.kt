package dev.pushcore.sample.robolectric

import dev.pushcore.sample.SampleApp
import java.io.File

/**
 * The sample's real Application, unchanged except for where the config comes
 * from: Robolectric runs without the app's packaged assets, so this reads the
 * same file (app/src/main/assets/pushcore-config.json) from the checkout.
 */
class CheckoutConfigApp : SampleApp() {
    override fun configJson(): String = configFile.readText()

    companion object {
        val repo: File = File(System.getProperty("pushcore.repo") ?: "../..").canonicalFile
        val configFile = File(repo, "android-sample/app/src/main/assets/pushcore-config.json")
    }
}
