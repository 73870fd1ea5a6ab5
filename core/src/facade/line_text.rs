//! Display names and message lines as they may reach the platform: no
//! control characters (a bell, a NUL, a bidirectional override that
//! disguises text), one line, bounded and cut the way the outbound side
//! cuts vendor texts (`outbound::text::truncate_to`: whole graphemes and
//! an ellipsis). Here rather than in the store so the store does not
//! depend on the outbound side; the store caps bytes on its own.

use crate::outbound::text::{truncate_to, TextLimit};

/// `text` as it may reach the platform: control characters (and the
/// bidirectional overrides used to disguise text) dropped, line breaks
/// and tabs turned into spaces, runs of spaces collapsed, trimmed, and cut
/// to `max_units` UTF-16 units. Only a bounded prefix of the input is
/// read, so a huge text costs no more than a long one.
pub fn clean_line_text(text: &str, max_units: usize) -> String {
    // A UTF-16 unit is at most 3 UTF-8 bytes (4 bytes make 2 units); one
    // extra unit's worth lets the cut below add its ellipsis.
    let mut end = text.len().min((max_units + 1) * 3 + 1);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let mut out = String::with_capacity(end);
    for c in text[..end].chars() {
        let c = if matches!(c, '\n' | '\r' | '\t') {
            ' '
        } else {
            c
        };
        if c.is_control() || is_bidi_control(c) {
            continue;
        }
        if c == ' ' && (out.is_empty() || out.ends_with(' ')) {
            continue;
        }
        out.push(c);
    }
    let trimmed_len = out.trim_end().len();
    out.truncate(trimmed_len);
    let limit = TextLimit {
        max_units,
        cjk_weighted: false,
    };
    truncate_to(&out, &[limit]).unwrap_or(out)
}

fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}')
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::ledger::conversation::MAX_LINE_UNITS;

    #[test]
    fn texts_reach_the_platform_clean_and_bounded() {
        let table: &[(&str, usize, &str)] = &[
            ("hi", 10, "hi"),
            ("  two\nlines\r\n\tand tab ", 40, "two lines and tab"),
            ("bell\u{7}\u{0}null", 40, "bellnull"),
            ("evil\u{202E}txt.exe", 40, "eviltxt.exe"),
            ("Hello, world", 5, "Hell\u{2026}"),
            ("👨‍👩‍👧‍👦 family", 8, "\u{2026}"),
            ("", 5, ""),
        ];
        for (text, units, want) in table {
            assert_eq!(clean_line_text(text, *units), *want, "{text:?}");
        }
        let huge = "x".repeat(1 << 20);
        let cut = clean_line_text(&huge, MAX_LINE_UNITS);
        assert_eq!(cut.chars().count(), MAX_LINE_UNITS);
        assert!(cut.ends_with('\u{2026}'));
    }
}
