package dev.pushcore

import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows
import java.io.File
import java.util.concurrent.CopyOnWriteArrayList

class FoundationTest {
    @Test
    fun `bindings are generated into the configured package`() {
        // uniffi.toml sets dev.pushcore; the default would be uniffi.pushcore.
        assertEquals("dev.pushcore", PushCore::class.java.packageName)
    }

    @Test
    fun `the native library loads and reports the workspace version`() {
        val cargoToml = File(TestSupport.repo, "Cargo.toml").readText()
        val version = Regex("""(?m)^version\s*=\s*"([^"]+)"""").find(cargoToml)!!.groupValues[1]
        assertEquals(version, coreVersion())
    }

    @Test
    fun `constructor builds a core from the example config`() {
        val dir = File(TestSupport.tempDir(), "store")
        PushCore(TestSupport.exampleConfig(), dir.path).use { core ->
            assertEquals(coreVersion(), core.version())
            assertEquals(dir.canonicalPath, File(core.storageDir()).canonicalPath)
            assertTrue(dir.isDirectory)
            assertEquals(10004UL, core.config().channels.oppo?.businessId)
        }
    }

    @Test
    fun `an invalid config arrives as a typed exception listing every problem`() {
        val config = TestSupport.exampleConfig().let {
            it.copy(
                channels = it.channels.copy(oppo = it.channels.oppo!!.copy(appSecret = null)),
                retry = it.retry.copy(jitter = 3.0),
            )
        }
        val e = assertThrows<PushException.InvalidConfig> {
            PushCore(config, TestSupport.tempDir().path)
        }
        assertEquals(
            listOf("channels.oppo.app_secret is missing", "retry.jitter must be between 0.0 and 1.0"),
            e.problems,
        )
        assertEquals("invalid_config", e.code)
    }

    @Test
    fun `a bad storage directory and bad JSON are typed errors, not crashes`() {
        val file = File(TestSupport.tempDir(), "not-a-dir").apply { writeText("x") }
        assertThrows<PushException.Storage> { PushCore(TestSupport.exampleConfig(), file.path) }
        val e = assertThrows<PushException.InvalidInput> { pushConfigFromJson("{\"chanels\": {}}") }
        assertTrue(e.message!!.contains("chanels"), e.message)
        assertEquals("invalid_input", e.code)
    }

    @Test
    fun `an installed logger receives the core's records`() {
        val records = CopyOnWriteArrayList<LogRecord>()
        installPushCoreLogger(LogLevel.INFO) { records.add(it) }
        try {
            PushCore(TestSupport.exampleConfig(), TestSupport.tempDir().path).close()
        } finally {
            removePushCoreLogger()
        }
        val ready = records.filter { it.message.contains("ready") }
        assertEquals(1, ready.size, records.toString())
        assertEquals(LogLevel.INFO, ready[0].level)
        assertEquals("pushcore", ready[0].target)
    }
}
