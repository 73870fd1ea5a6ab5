package dev.pushcore

/**
 * The core's stable error code (`invalid_input`, `too_large`, `storage`...),
 * the same the CLI prints: log it or branch on it. Asked from the core, so
 * Kotlin keeps no copy of the mapping.
 */
val PushException.code: String
    get() = pushErrorCode(this)
