package dev.pushcore.sample.click

import dev.pushcore.PushCore
import dev.pushcore.pushConfigFromJson
import java.io.File
import java.nio.file.Files

/** A real core on the repository's example config, in a fresh directory. */
object Cores {
    private val repo = File(System.getProperty("pushcore.repo") ?: "../..").canonicalFile

    fun fresh(): PushCore {
        val config = pushConfigFromJson(File(repo, "docs/example-config.json").readText())
        val dir = Files.createTempDirectory("pushcore-click").toFile().apply { deleteOnExit() }
        return PushCore(config, dir.path)
    }
}
