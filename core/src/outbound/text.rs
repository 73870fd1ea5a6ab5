//! Measuring and cutting notification text against the vendors' limits
//! (push-facts.md section 6).
//!
//! Vendors' servers are Java, so "characters" are counted as UTF-16 code
//! units: an emoji outside the BMP costs 2, which is the stricter reading.
//! vivo and Honor give separate CJK and Latin limits; we express both as one
//! budget in Latin units where a CJK (wide) character costs 2, which matches
//! both numbers for pure texts and is the strict middle for mixed ones.
//!
//! Cutting uses extended grapheme clusters (the unicode-segmentation crate),
//! so a flag, a ZWJ family or a letter with its combining marks is kept or
//! dropped whole and a UTF-8 sequence is never split.

use crate::channel::PushChannel;
use unicode_segmentation::UnicodeSegmentation;

/// What a cut text ends with.
pub const ELLIPSIS: &str = "\u{2026}";

/// One vendor's limit on a field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TextLimit {
    /// Budget in UTF-16 units (Latin units for a CJK-weighted limit).
    pub max_units: usize,
    /// A CJK character costs 2 units (vivo, Honor).
    pub cjk_weighted: bool,
}

impl TextLimit {
    const fn plain(max_units: usize) -> TextLimit {
        TextLimit {
            max_units,
            cjk_weighted: false,
        }
    }

    const fn weighted(max_units: usize) -> TextLimit {
        TextLimit {
            max_units,
            cjk_weighted: true,
        }
    }

    /// The cost of `text` under this limit's counting rule.
    pub fn cost(&self, text: &str) -> usize {
        text.chars().map(|c| self.char_cost(c)).sum()
    }

    pub fn fits(&self, text: &str) -> bool {
        self.cost(text) <= self.max_units
    }

    fn char_cost(&self, c: char) -> usize {
        let units = c.len_utf16();
        if self.cjk_weighted && is_wide(c) {
            units.max(2)
        } else {
            units
        }
    }
}

/// Title limits; the stricter figure where sources disagree. Xiaomi's
/// "< 50" becomes 49.
pub fn title_limit(channel: PushChannel) -> Option<TextLimit> {
    match channel {
        PushChannel::Xiaomi => Some(TextLimit::plain(49)),
        PushChannel::Huawei => Some(TextLimit::plain(40)),
        PushChannel::Honor => Some(TextLimit::weighted(60)),
        PushChannel::Oppo => Some(TextLimit::plain(32)),
        PushChannel::Vivo => Some(TextLimit::weighted(40)),
        PushChannel::Meizu => Some(TextLimit::plain(32)),
        PushChannel::Fcm | PushChannel::Apns => None,
    }
}

/// Body limits; Huawei's is the aggregator's 80, stricter than 1024.
pub fn body_limit(channel: PushChannel) -> Option<TextLimit> {
    match channel {
        PushChannel::Xiaomi => Some(TextLimit::plain(127)),
        PushChannel::Huawei => Some(TextLimit::plain(80)),
        PushChannel::Honor => Some(TextLimit::weighted(4096)),
        PushChannel::Oppo => Some(TextLimit::plain(200)),
        PushChannel::Vivo => Some(TextLimit::weighted(100)),
        PushChannel::Meizu => Some(TextLimit::plain(100)),
        PushChannel::Fcm | PushChannel::Apns => None,
    }
}

/// Cuts `text` so that it fits every limit in `limits`, at a grapheme
/// boundary, ending with [`ELLIPSIS`]. `None` when it already fits all.
/// The longest prefix of whole graphemes that fits with the ellipsis is
/// kept; if not even the ellipsis fits, the result is empty.
pub fn truncate_to(text: &str, limits: &[TextLimit]) -> Option<String> {
    if limits.iter().all(|l| l.fits(text)) {
        return None;
    }
    if !limits.iter().all(|l| l.fits(ELLIPSIS)) {
        return Some(String::new());
    }
    let mut spent: Vec<usize> = limits.iter().map(|l| l.cost(ELLIPSIS)).collect();
    let mut end = 0;
    for (start, grapheme) in text.grapheme_indices(true) {
        let costs: Vec<usize> = limits.iter().map(|l| l.cost(grapheme)).collect();
        let fits = limits
            .iter()
            .zip(spent.iter().zip(&costs))
            .all(|(l, (s, c))| s + c <= l.max_units);
        if !fits {
            break;
        }
        for (s, c) in spent.iter_mut().zip(&costs) {
            *s += c;
        }
        end = start + grapheme.len();
    }
    let mut cut = text.get(..end).unwrap_or_default().to_string();
    cut.push_str(ELLIPSIS);
    Some(cut)
}

/// CJK ideographs, kana, Hangul and full-width forms: what vendors count
/// as "Chinese characters" in their CJK limits.
fn is_wide(c: char) -> bool {
    matches!(c as u32,
        0x1100..=0x115F
        | 0x2E80..=0x303E
        | 0x3041..=0x33FF
        | 0x3400..=0x4DBF
        | 0x4E00..=0x9FFF
        | 0xA000..=0xA4CF
        | 0xAC00..=0xD7A3
        | 0xF900..=0xFAFF
        | 0xFE30..=0xFE4F
        | 0xFF00..=0xFF60
        | 0xFFE0..=0xFFE6
        | 0x20000..=0x3FFFD)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn costs_follow_the_vendor_counting_rules() {
        let vivo = title_limit(PushChannel::Vivo).unwrap();
        let oppo = title_limit(PushChannel::Oppo).unwrap();
        let table: &[(&str, usize, usize)] = &[
            // text, vivo (CJK-weighted) cost, OPPO (plain UTF-16) cost
            ("Alice", 5, 5),
            ("你好", 4, 2),
            ("안녕", 4, 2),
            ("😀", 2, 2),
            ("e\u{301}", 2, 2), // e + combining acute
            ("\u{e9}", 1, 1),   // precomposed
            ("ｈｉ", 4, 2),
        ];
        for (text, v, o) in table {
            assert_eq!(vivo.cost(text), *v, "vivo {text}");
            assert_eq!(oppo.cost(text), *o, "oppo {text}");
        }
        // 20 CJK or 40 Latin for vivo titles, as push-facts says.
        assert!(vivo.fits(&"字".repeat(20)));
        assert!(!vivo.fits(&"字".repeat(21)));
        assert!(vivo.fits(&"a".repeat(40)));
        assert!(!vivo.fits(&"a".repeat(41)));
    }

    #[test]
    fn limits_are_the_stricter_documented_numbers() {
        let table = [
            (PushChannel::Xiaomi, Some(49), Some(127)),
            (PushChannel::Huawei, Some(40), Some(80)),
            (PushChannel::Honor, Some(60), Some(4096)),
            (PushChannel::Oppo, Some(32), Some(200)),
            (PushChannel::Vivo, Some(40), Some(100)),
            (PushChannel::Meizu, Some(32), Some(100)),
            (PushChannel::Fcm, None, None),
            (PushChannel::Apns, None, None),
        ];
        for (channel, title, body) in table {
            assert_eq!(
                title_limit(channel).map(|l| l.max_units),
                title,
                "{channel}"
            );
            assert_eq!(body_limit(channel).map(|l| l.max_units), body, "{channel}");
        }
    }

    #[test]
    fn truncation_examples() {
        let five = [TextLimit::plain(5)];
        let table: &[(&str, Option<&str>)] = &[
            ("Hello", None),
            ("Hello!", Some("Hell…")),
            ("👨‍👩‍👧‍👦abcdef", Some("…")), // the family is 11 units: dropped whole
            ("ab👍🏽cd", Some("ab…")), // thumbs up + skin tone is 4 units
            ("abe\u{301}\u{302}xyz", Some("ab…")), // e with two marks is 3 units
            ("🇫🇷🇩🇪x", Some("🇫🇷…")),
        ];
        for (text, expected) in table {
            assert_eq!(truncate_to(text, &five).as_deref(), *expected, "{text}");
        }
        let weighted = [TextLimit::weighted(7)];
        assert_eq!(
            truncate_to("你好世界", &weighted).as_deref(),
            Some("你好世…")
        );
        assert_eq!(
            truncate_to("abc", &[TextLimit::plain(0)]).as_deref(),
            Some("")
        );
        // Several limits at once: the strictest wins for each character kind.
        let both = [TextLimit::plain(6), TextLimit::weighted(7)];
        assert_eq!(truncate_to("你好世界", &both).as_deref(), Some("你好世…"));
        assert_eq!(truncate_to("abcdefgh", &both).as_deref(), Some("abcde…"));
    }

    fn text_strategy() -> impl Strategy<Value = String> {
        let pieces = prop::sample::select(vec![
            "a",
            "Z",
            " ",
            "你",
            "好",
            "한",
            "é",
            "e\u{301}",
            "\u{301}",
            "😀",
            "👍🏽",
            "👨‍👩‍👧",
            "🇯🇵",
            "\u{200d}",
            "…",
            "\"",
            "\\",
            ";",
            "ｈ",
            "\u{fe0f}",
        ]);
        prop::collection::vec(pieces, 0..60).prop_map(|v| v.concat())
    }

    proptest! {
        #[test]
        fn truncation_respects_graphemes_limits_and_the_ellipsis(
            text in text_strategy(),
            max in 1usize..50,
            weighted in any::<bool>(),
        ) {
            let limit = TextLimit { max_units: max, cjk_weighted: weighted };
            match truncate_to(&text, &[limit]) {
                None => prop_assert!(limit.fits(&text)),
                Some(cut) => {
                    prop_assert!(!limit.fits(&text));
                    prop_assert!(limit.fits(&cut), "{cut:?} over {max}");
                    prop_assert!(cut.ends_with(ELLIPSIS));
                    let kept = &cut[..cut.len() - ELLIPSIS.len()];
                    // A whole-grapheme prefix of the original.
                    prop_assert!(text.starts_with(kept));
                    let original: Vec<&str> = text.graphemes(true).collect();
                    let prefix: Vec<&str> = kept.graphemes(true).collect();
                    prop_assert_eq!(&original[..prefix.len()], &prefix[..]);
                    // And the longest one: the next grapheme would not fit.
                    if let Some(next) = original.get(prefix.len()) {
                        let longer = format!("{kept}{next}{ELLIPSIS}");
                        prop_assert!(!limit.fits(&longer));
                    }
                }
            }
        }
    }
}
