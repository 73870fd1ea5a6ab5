//! The report as plain text, for support tickets, logs and the CLI.

use super::{DiagnosisReport, Severity};
use std::fmt::Write;

pub fn render_text(report: &DiagnosisReport) -> String {
    let mut out = String::new();
    let channel = match (report.channel, report.business_id) {
        (Some(c), Some(id)) => format!("{c} (business id {id})"),
        (Some(c), None) => c.to_string(),
        _ => "none".to_string(),
    };
    let _ = writeln!(out, "channel: {channel} - {}", report.channel_reason);
    let count = |s: Severity| report.findings.iter().filter(|f| f.severity == s).count();
    let _ = writeln!(
        out,
        "findings: {} error(s), {} warning(s), {} advice{}",
        count(Severity::Error),
        count(Severity::Warning),
        count(Severity::Advice),
        if report.state_checked {
            ""
        } else {
            " (no registration state given: login and token checks skipped)"
        }
    );
    for finding in &report.findings {
        let _ = writeln!(
            out,
            "\n[{}] {}\n  {}\n  fix: {}",
            finding.severity.as_str(),
            finding.code,
            finding.message,
            finding.fix
        );
    }
    out
}
