package dev.pushcore

/**
 * Hand-written conveniences over the generated diagnostics API, for support
 * screens and "copy diagnostics" buttons.
 */

/** The findings that stop pushes from arriving or being shown. */
val DiagnosisReport.errors: List<Finding>
    get() = findings.filter { it.severity == Severity.ERROR }

/** The finding codes, in report order (errors first). */
val DiagnosisReport.codes: List<String>
    get() = findings.map { it.code }

/** The report as readable text (the same text as `pushcore diagnose --text`). */
fun DiagnosisReport.toText(): String = diagnosisReportText(this)
