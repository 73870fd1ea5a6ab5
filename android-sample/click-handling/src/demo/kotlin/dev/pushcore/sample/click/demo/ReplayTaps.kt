package dev.pushcore.sample.click.demo

import dev.pushcore.PushCore
import dev.pushcore.pushConfigFromJson
import dev.pushcore.sample.click.ClickHandler
import dev.pushcore.sample.click.Screen
import java.io.File
import java.nio.file.Files

/**
 * Replays one recorded tap per channel through the real core, exactly as the
 * app's trampoline does, and prints the screen the app would open.
 *
 *   cargo xtask bindings
 *   cd android-sample/click-handling && mvn -q compile exec:java
 */
fun main() {
    val repo = File(System.getProperty("pushcore.repo") ?: "../..")
    val config = pushConfigFromJson(File(repo, "docs/example-config.json").readText())
    val storage = Files.createTempDirectory("pushcore-demo").toFile()
    try {
        PushCore(config, storage.path).use { core ->
            ClickHandler(core) { System.err.println("  log: $it") }.use { clicks ->
                println("recorded tap  detected  screen the app opens")
                for (channel in RecordedTaps.CHANNELS) {
                    val decision = clicks.handle(RecordedTaps.load(channel))
                    println("%-12s  %-8s  %s".format(channel, decision.channel, describe(decision.screen)))
                }
            }
        }
    } finally {
        storage.deleteRecursively()
    }
}

fun describe(screen: Screen): String = when (screen) {
    is Screen.Chat -> "${if (screen.isGroup) "group" else "one-to-one"} chat ${screen.conversationId}" +
        (screen.title?.let { " (\"$it\")" } ?: "")
    is Screen.IncomingCall -> "incoming ${if (screen.isGroup) "group " else ""}call from ${screen.callerId}"
    is Screen.Web -> "web page ${screen.url}"
    Screen.Home -> "home"
}
