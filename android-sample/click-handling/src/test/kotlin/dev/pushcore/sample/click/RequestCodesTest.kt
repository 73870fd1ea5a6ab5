package dev.pushcore.sample.click

import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test

class RequestCodesTest {
    @Test
    fun `codes are stable, non-negative and distinct across many messages`() {
        val keys = (1..2000).map { "im:msg-$it" } + (1..2000).map { "vendor:0:17641504${it}%a1b2" }
        val codes = keys.map(RequestCodes::of)
        assertTrue(codes.all { it >= 0 })
        assertEquals(keys.size, codes.toSet().size)
        assertEquals(codes, keys.map(RequestCodes::of))
    }

    @Test
    fun `similar keys do not collide the way String hashCode does`() {
        // "Aa" and "BB" share String.hashCode(); request codes must not.
        assertEquals("Aa".hashCode(), "BB".hashCode())
        assertTrue(RequestCodes.of("Aa") != RequestCodes.of("BB"))
    }
}
