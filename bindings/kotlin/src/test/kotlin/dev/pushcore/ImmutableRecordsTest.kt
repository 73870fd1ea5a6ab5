package dev.pushcore

import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertNotEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import java.lang.reflect.Modifier

/** uniffi.toml sets `generate_immutable_records`: records are `val` data classes. */
class ImmutableRecordsTest {
    private val records = listOf(
        TokenReport::class.java,
        RegistrationState::class.java,
        NormalizedNotification::class.java,
        OutboundMessage::class.java,
        DeviceInfo::class.java,
        TapOutcome::class.java,
    )

    @Test
    fun `no generated record has a setter or a mutable field`() {
        for (record in records) {
            val setters = record.methods.filter { it.name.startsWith("set") && it.parameterCount == 1 }
            assertTrue(setters.isEmpty(), "${record.simpleName} has setters $setters")
            val mutable = record.declaredFields.filter {
                !Modifier.isStatic(it.modifiers) && !Modifier.isFinal(it.modifiers)
            }
            assertTrue(mutable.isEmpty(), "${record.simpleName} has mutable fields $mutable")
        }
    }

    @Test
    fun `a changed record is a copy and the original stays as it was`() {
        val device = TestSupport.androidDevice("xiaomi")
        val other = device.copy(brand = "redmi")
        assertEquals("xiaomi", device.brand)
        assertEquals("redmi", other.brand)
        assertNotEquals(device, other)
        assertEquals(device, other.copy(brand = "xiaomi"))
    }
}
