package dev.pushcore.sample.click.demo

import dev.pushcore.ClickInput
import dev.pushcore.clickInputFromJson

/**
 * The recorded taps in src/main/resources/taps: one per channel, in the
 * shapes each channel delivers (push-facts.md section 3), written in the
 * same JSON form `pushcore parse` reads. JVM-only: the app gets its taps
 * from Intents.
 */
object RecordedTaps {
    val CHANNELS = listOf("xiaomi", "huawei", "honor", "oppo", "vivo", "meizu", "fcm", "apns")

    fun json(channel: String): String {
        val stream = RecordedTaps::class.java.getResourceAsStream("/taps/$channel.json")
            ?: error("no recorded tap for $channel")
        return stream.bufferedReader().use { it.readText() }
    }

    fun load(channel: String): ClickInput = clickInputFromJson(json(channel))
}
