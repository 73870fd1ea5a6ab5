package dev.pushcore

/**
 * Hand-written convenience over the generated [LogForwarder]: install a
 * Kotlin lambda (for example one that writes to logcat) as the core's logger.
 *
 * The lambda runs on whichever thread logged in the core, so keep it short.
 */
fun installPushCoreLogger(level: LogLevel = LogLevel.INFO, sink: (LogRecord) -> Unit) {
    setLogForwarder(object : LogForwarder {
        override fun log(record: LogRecord) = sink(record)
    }, level)
}

/** Stops forwarding the core's logs. */
fun removePushCoreLogger() = setLogForwarder(null, LogLevel.ERROR)
