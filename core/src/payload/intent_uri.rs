//! Reads the extras of an Android intent URI (`intent://...#Intent;...;end`
//! or `intent:#Intent;...;end`), following `Intent.parseUri`'s rules for the
//! fragment: `;`-separated items, `key=value` percent-decoded as UTF-8 with
//! `+` kept literally, typed extras `S.` `B.` `b.` `c.` `d.` `f.` `i.` `l.`
//! `s.`, and items after `SEL` belonging to the selector, whose extras the
//! tapped activity never receives.
//!
//! Only extras come out. Action, component, package, scheme and selector
//! are read past and dropped, so nothing this module returns can be turned
//! back into something launchable (push-facts.md section 10). Where Android
//! would substitute U+FFFD for a malformed escape, this module rejects the
//! URI instead: a forged payload should fail loudly, not half-parse.

use std::fmt;

/// A typed extra, as `Intent.parseUri` would put it in the Bundle.
#[derive(Debug, Clone, PartialEq)]
pub enum IntentExtra {
    String(String),
    Bool(bool),
    Byte(i8),
    Char(char),
    Double(f64),
    Float(f32),
    Int(i32),
    Long(i64),
    Short(i16),
}

impl IntentExtra {
    /// The JSON value an app sees for this extra (non-finite numbers are null).
    pub fn to_json(&self) -> serde_json::Value {
        use serde_json::Value;
        match self {
            IntentExtra::String(s) => Value::String(s.clone()),
            IntentExtra::Bool(b) => Value::Bool(*b),
            IntentExtra::Byte(n) => Value::from(*n),
            IntentExtra::Char(c) => Value::String(c.to_string()),
            IntentExtra::Double(f) => {
                serde_json::Number::from_f64(*f).map_or(Value::Null, Value::Number)
            }
            IntentExtra::Float(f) => {
                serde_json::Number::from_f64(f64::from(*f)).map_or(Value::Null, Value::Number)
            }
            IntentExtra::Int(n) => Value::from(*n),
            IntentExtra::Long(n) => Value::from(*n),
            IntentExtra::Short(n) => Value::from(*n),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IntentUriError(pub String);

impl fmt::Display for IntentUriError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "intent URI: {}", self.0)
    }
}

impl std::error::Error for IntentUriError {}

fn err<T>(message: impl Into<String>) -> Result<T, IntentUriError> {
    Err(IntentUriError(message.into()))
}

/// Does this URI carry an `#Intent;` fragment at all?
pub fn has_intent_fragment(uri: &str) -> bool {
    uri.rfind('#')
        .is_some_and(|i| uri[i..].starts_with("#Intent;"))
}

/// The extras of the intent URI's `#Intent;...;end` fragment, in order.
/// A URI without such a fragment has no extras.
pub fn parse_intent_extras(uri: &str) -> Result<Vec<(String, IntentExtra)>, IntentUriError> {
    let Some(hash) = uri.rfind('#') else {
        return Ok(Vec::new());
    };
    let Some(mut rest) = uri[hash..].strip_prefix("#Intent;") else {
        return Ok(Vec::new());
    };
    let mut extras = Vec::new();
    let mut in_selector = false;
    loop {
        if rest.starts_with("end") && (rest.len() == 3 || rest[3..].starts_with(';')) {
            return Ok(extras);
        }
        let Some(semi) = rest.find(';') else {
            return err("missing `;end` at the end of the fragment");
        };
        let item = &rest[..semi];
        rest = &rest[semi + 1..];
        if item == "SEL" {
            in_selector = true;
            continue;
        }
        let (name, raw_value) = item.split_once('=').unwrap_or((item, ""));
        if is_intent_field(name) {
            // Launch targets and flags: never kept.
            continue;
        }
        let (Some(type_tag), Some(raw_key)) = (name.get(..2), name.get(2..)) else {
            return err(format!("unknown item `{item}`"));
        };
        if !item.contains('=') {
            return err(format!("extra `{name}` has no value"));
        }
        let key = percent_decode(raw_key)?;
        let value = percent_decode(raw_value)?;
        let extra = typed_extra(type_tag, &key, value)?;
        if !in_selector {
            extras.push((key, extra));
        }
    }
}

fn is_intent_field(name: &str) -> bool {
    matches!(
        name,
        "action"
            | "category"
            | "type"
            | "identifier"
            | "launchFlags"
            | "package"
            | "component"
            | "scheme"
            | "sourceBounds"
    )
}

fn typed_extra(tag: &str, key: &str, value: String) -> Result<IntentExtra, IntentUriError> {
    let bad =
        |kind: &str| IntentUriError(format!("extra `{key}`: `{value}` is not a valid {kind}"));
    Ok(match tag {
        "S." => IntentExtra::String(value),
        // Boolean.parseBoolean: anything but "true" (any case) is false.
        "B." => IntentExtra::Bool(value.eq_ignore_ascii_case("true")),
        "b." => IntentExtra::Byte(value.parse().map_err(|_| bad("byte"))?),
        "c." => IntentExtra::Char(value.chars().next().ok_or_else(|| bad("char"))?),
        "d." => IntentExtra::Double(parse_java_float(&value).ok_or_else(|| bad("double"))?),
        "f." => IntentExtra::Float(parse_java_float(&value).ok_or_else(|| bad("float"))? as f32),
        "i." => IntentExtra::Int(value.parse().map_err(|_| bad("int"))?),
        "l." => IntentExtra::Long(value.parse().map_err(|_| bad("long"))?),
        "s." => IntentExtra::Short(value.parse().map_err(|_| bad("short"))?),
        other => return err(format!("unknown extra type `{other}` for `{key}`")),
    })
}

/// `Double.parseDouble`'s common forms: trimmed, optional `d`/`f` suffix,
/// `NaN` and `Infinity` spelled as Java does.
fn parse_java_float(text: &str) -> Option<f64> {
    let t = text.trim();
    let t = t
        .strip_suffix(['d', 'D', 'f', 'F'])
        .filter(|s| !s.is_empty() && !s.ends_with("Infinity"))
        .unwrap_or(t);
    match t {
        "NaN" => Some(f64::NAN),
        "Infinity" | "+Infinity" => Some(f64::INFINITY),
        "-Infinity" => Some(f64::NEG_INFINITY),
        _ if t
            .bytes()
            .all(|b| b.is_ascii_digit() || b"+-.eE".contains(&b)) =>
        {
            t.parse().ok()
        }
        _ => None,
    }
}

/// `Uri.decode`: `%XX` escapes decoded as UTF-8, `+` left alone. Malformed
/// escapes and invalid UTF-8 are errors here (see the module doc).
pub fn percent_decode(text: &str) -> Result<String, IntentUriError> {
    if !text.contains('%') {
        return Ok(text.to_string());
    }
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if b == b'%' {
            let hi = bytes.get(i + 1).and_then(|c| (*c as char).to_digit(16));
            let lo = bytes.get(i + 2).and_then(|c| (*c as char).to_digit(16));
            let (Some(hi), Some(lo)) = (hi, lo) else {
                return err(format!("malformed escape at byte {i}"));
            };
            out.push((hi * 16 + lo) as u8);
            i += 3;
        } else {
            out.push(b);
            i += 1;
        }
    }
    String::from_utf8(out).map_err(|_| IntentUriError("escapes decode to invalid UTF-8".into()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use IntentExtra::*;

    #[test]
    fn percent_decoding_table() {
        let table: [(&str, Result<&str, ()>); 9] = [
            ("plain", Ok("plain")),
            ("a%20b", Ok("a b")),
            ("a+b", Ok("a+b")),
            ("%7B%22k%22%3A1%7D", Ok("{\"k\":1}")),
            ("%e4%bd%a0%E5%A5%BD", Ok("你好")),
            ("100%", Err(())),
            ("%G1", Err(())),
            ("%FF", Err(())),
            ("%C3", Err(())),
        ];
        for (input, expected) in table {
            assert_eq!(
                percent_decode(input).map_err(|_| ()),
                expected.map(std::string::String::from),
                "{input}"
            );
        }
    }

    #[test]
    fn typed_extras_table() {
        let table: Vec<(&str, IntentExtra)> = vec![
            ("S.k=v%3Bx", String("v;x".into())),
            ("S.k=", String(std::string::String::new())),
            ("B.k=TRUE", Bool(true)),
            ("B.k=yes", Bool(false)),
            ("b.k=-128", Byte(-128)),
            ("c.k=%E4%BD%A0x", Char('你')),
            ("d.k=1.5", Double(1.5)),
            ("d.k=2d", Double(2.0)),
            ("f.k=-0.25f", Float(-0.25)),
            ("i.k=+42", Int(42)),
            ("l.k=-9000000000", Long(-9_000_000_000)),
            ("s.k=32767", Short(32767)),
        ];
        for (item, expected) in table {
            let uri = format!("intent://x/#Intent;scheme=app;{item};end");
            let extras = parse_intent_extras(&uri).unwrap();
            assert_eq!(extras, vec![("k".to_string(), expected)], "{item}");
        }
    }

    #[test]
    fn rejects_what_android_rejects() {
        for item in [
            "i.k=1.5",
            "b.k=128",
            "s.k=40000",
            "l.k=x",
            "c.k=",
            "X.k=1",
            "d.k=abc",
            "i.k",
        ] {
            let uri = format!("intent:#Intent;{item};end");
            assert!(parse_intent_extras(&uri).is_err(), "{item}");
        }
        assert!(parse_intent_extras("intent:#Intent;S.k=v").is_err());
        assert!(parse_intent_extras("intent:#Intent;S.k=%ZZ;end").is_err());
    }

    #[test]
    fn launch_targets_and_selector_extras_are_dropped() {
        let uri = "intent://chat/open?x=1#Intent;scheme=pushscheme;package=com.evil;\
            component=com.evil/.Steal;action=android.intent.action.VIEW;launchFlags=0x10000000;\
            S.ext=%7B%7D;i.n=3;SEL;component=com.other/.X;S.hidden=1;end";
        let extras = parse_intent_extras(uri).unwrap();
        assert_eq!(
            extras,
            vec![
                ("ext".to_string(), String("{}".into())),
                ("n".to_string(), Int(3))
            ]
        );
    }

    #[test]
    fn uris_without_a_fragment_have_no_extras() {
        for uri in [
            "https://im.example.com/a#frag",
            "pushscheme://x",
            "",
            "#Intent",
        ] {
            assert_eq!(parse_intent_extras(uri).unwrap(), vec![], "{uri}");
            assert!(!has_intent_fragment(uri));
        }
        assert!(has_intent_fragment("intent:#Intent;end"));
        assert_eq!(parse_intent_extras("intent:#Intent;end").unwrap(), vec![]);
    }
}
