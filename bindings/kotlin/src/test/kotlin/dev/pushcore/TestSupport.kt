package dev.pushcore

import java.io.File
import java.nio.file.Files

/** Paths and fixtures shared by the JVM tests. */
object TestSupport {
    /** The repository root, passed by Maven (see pom.xml). */
    val repo: File = File(System.getProperty("pushcore.repo") ?: "../..").canonicalFile

    /** The documented example configuration shipped in docs/. */
    fun exampleConfigJson(): String = File(repo, "docs/example-config.json").readText()

    fun exampleConfig(): PushConfig = pushConfigFromJson(exampleConfigJson())

    fun tempDir(prefix: String = "pushcore-test"): File =
        Files.createTempDirectory(prefix).toFile().apply { deleteOnExit() }

    /** An Android phone as the app's platform adapter would describe it. */
    fun androidDevice(
        brand: String,
        sdkInt: UInt = 34u,
        model: String = "test",
        romProperties: Map<String, String> = emptyMap(),
    ) = DeviceInfo(
        os = DeviceOs.ANDROID,
        brand = brand,
        manufacturer = brand,
        model = model,
        sdkInt = sdkInt,
        osVersion = "14",
        romProperties = romProperties,
        playServicesAvailable = true,
        hmsAvailable = false,
        notificationsEnabled = true,
    )

    /** An OPPO phone (ColorOS), the registration tests' device. */
    fun oppoPhone() = androidDevice(
        "OPPO",
        model = "CPH2581",
        romProperties = mapOf("ro.build.version.opporom" to "V14.0"),
    )

    /** The example config with quick retries and a short call deadline. */
    fun quickRetryConfig(platformTimeoutMs: ULong = 300uL): PushConfig = exampleConfig().let {
        it.copy(retry = it.retry.copy(initialDelayMs = 20u, maxDelayMs = 200u, platformTimeoutMs = platformTimeoutMs))
    }
}

/**
 * The notification in a form whose `equals` compares `customData` by content:
 * the generated data class holds it as a `ByteArray`, which compares by identity.
 */
val NormalizedNotification.comparable: Pair<NormalizedNotification, List<Byte>?>
    get() = copy(customData = null) to customData?.toList()
