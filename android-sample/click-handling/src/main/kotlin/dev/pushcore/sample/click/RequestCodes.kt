package dev.pushcore.sample.click

import java.security.MessageDigest

/**
 * One PendingIntent request code (and notification id) per notification,
 * derived from its dedup key. Android treats PendingIntents with the same
 * component and request code as one, so a shared code would let a second
 * notification overwrite the first one's extras (with FLAG_UPDATE_CURRENT)
 * or open the wrong chat. A truncated SHA-256 keeps accidental collisions
 * between the few notifications on screen negligible (about n^2 / 2^32).
 */
object RequestCodes {
    fun of(key: String): Int {
        val digest = MessageDigest.getInstance("SHA-256").digest(key.toByteArray(Charsets.UTF_8))
        val value = ((digest[0].toInt() and 0xff) shl 24) or
            ((digest[1].toInt() and 0xff) shl 16) or
            ((digest[2].toInt() and 0xff) shl 8) or
            (digest[3].toInt() and 0xff)
        // Non-negative: some launchers and vendor ROMs mishandle negative ids.
        return value and Int.MAX_VALUE
    }
}
