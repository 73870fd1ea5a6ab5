//! The binary form in which the JVM's fast door sends an Android tap's
//! extras: the Bundle's tree as the Kotlin side reads it, so neither side
//! writes or parses JSON text for the outer layer (on a typical tap that
//! was a third of the work, most of it escaping and unescaping the `ext`
//! string). The Kotlin writer is `ExtrasTree.kt`; the tree it describes is
//! exactly the JSON `ClickInputs.android` would have written.
//!
//! Integers are big-endian like the rest of UniFFI's serialization. Each
//! value starts with a tag byte:
//!
//! | tag | value | followed by |
//! |---|---|---|
//! | 0 | null | - |
//! | 1 | string | `i32` byte length, UTF-8 bytes |
//! | 2, 3 | true, false | - |
//! | 4 | number | `i32` length, the number's decimal text (JSON grammar) |
//! | 5 | map | `i32` entry count, then per entry a key (length and UTF-8, as a string) and a value |
//! | 6 | list | `i32` item count, then the items |

use crate::error::{invalid_input, PushError};
use crate::limits::{self, MAX_DEPTH};
use serde_json::{Map, Number, Value};

pub const TAG_NULL: u8 = 0;
pub const TAG_STRING: u8 = 1;
pub const TAG_TRUE: u8 = 2;
pub const TAG_FALSE: u8 = 3;
pub const TAG_NUMBER: u8 = 4;
pub const TAG_MAP: u8 = 5;
pub const TAG_LIST: u8 = 6;

/// Why a tree could not be read.
#[derive(Debug)]
pub enum TreeError {
    /// The bytes do not follow the format: a bug in the caller's bindings.
    Malformed(String),
    /// Well-formed but refused, as the JSON form would have been.
    Refused(PushError),
}

impl From<PushError> for TreeError {
    fn from(e: PushError) -> Self {
        TreeError::Refused(e)
    }
}

fn malformed(what: impl Into<String>) -> TreeError {
    TreeError::Malformed(what.into())
}

/// Reads the root map of a tap's extras.
///
/// The tree is walked twice: first without allocating, checking every tag,
/// count, length, the UTF-8 of every string and the depth; then built. A
/// count says how much to reserve, and a malformed tree's counts are lies
/// (nested lists that each claim `i32::MAX` items once grew the heap by
/// 123 MiB for 64 KiB of input), so nothing is reserved until every count
/// is known to be matched by items actually present. A malformed tree thus
/// costs no allocation beyond its error message.
pub fn read_extras(buf: &mut &[u8]) -> Result<Map<String, Value>, TreeError> {
    check_root(&mut &**buf)?;
    read_root(buf)
}

fn check_root(buf: &mut &[u8]) -> Result<(), TreeError> {
    match take(buf, 1)?[0] {
        TAG_MAP => check_map(buf, 1),
        tag => Err(malformed(format!(
            "the extras must be a map, got tag {tag}"
        ))),
    }
}

fn read_root(buf: &mut &[u8]) -> Result<Map<String, Value>, TreeError> {
    match take(buf, 1)?[0] {
        TAG_MAP => read_map(buf, 1),
        tag => Err(malformed(format!(
            "the extras must be a map, got tag {tag}"
        ))),
    }
}

/// [`read_value`]'s walk, allocating nothing.
fn check_value(buf: &mut &[u8], depth: usize) -> Result<(), TreeError> {
    match take(buf, 1)?[0] {
        TAG_NULL | TAG_TRUE | TAG_FALSE => Ok(()),
        TAG_STRING | TAG_NUMBER => check_string(buf),
        TAG_MAP => check_map(buf, depth + 1),
        TAG_LIST => {
            let depth = enter(depth + 1)?;
            // Each item takes at least its tag byte.
            let count = read_count(buf)?;
            fits(count, 1, buf)?;
            (0..count).try_for_each(|_| check_value(buf, depth))
        }
        tag => Err(malformed(format!("unknown tag {tag}"))),
    }
}

fn check_map(buf: &mut &[u8], depth: usize) -> Result<(), TreeError> {
    let depth = enter(depth)?;
    // Each entry takes at least a key length and a tag byte.
    let count = read_count(buf)?;
    fits(count, 5, buf)?;
    (0..count).try_for_each(|_| {
        check_string(buf)?;
        check_value(buf, depth)
    })
}

fn check_string(buf: &mut &[u8]) -> Result<(), TreeError> {
    let len = read_count(buf)?;
    std::str::from_utf8(take(buf, len)?)
        .map(|_| ())
        .map_err(|e| malformed(format!("a string is not UTF-8: {e}")))
}

fn fits(count: usize, min_item: usize, buf: &[u8]) -> Result<(), TreeError> {
    if count.saturating_mul(min_item) > buf.len() {
        return Err(malformed(format!(
            "a count of {count} does not fit in the {} bytes left",
            buf.len()
        )));
    }
    Ok(())
}

fn read_value(buf: &mut &[u8], depth: usize) -> Result<Value, TreeError> {
    Ok(match take(buf, 1)?[0] {
        TAG_NULL => Value::Null,
        TAG_STRING => Value::String(read_string(buf)?),
        TAG_TRUE => Value::Bool(true),
        TAG_FALSE => Value::Bool(false),
        TAG_NUMBER => {
            let text = read_string(buf)?;
            let number = text.parse::<Number>().map_err(|_| {
                invalid_input(format!("extras hold `{text}`, which is not a number"))
            })?;
            Value::Number(number)
        }
        TAG_MAP => Value::Object(read_map(buf, depth + 1)?),
        TAG_LIST => {
            let depth = enter(depth + 1)?;
            let count = read_count(buf)?;
            // Checked by `check_value`: the items are all there.
            let mut items = Vec::with_capacity(count);
            for _ in 0..count {
                items.push(read_value(buf, depth)?);
            }
            Value::Array(items)
        }
        tag => return Err(malformed(format!("unknown tag {tag}"))),
    })
}

fn read_map(buf: &mut &[u8], depth: usize) -> Result<Map<String, Value>, TreeError> {
    let depth = enter(depth)?;
    let count = read_count(buf)?;
    let mut map = Map::new();
    for _ in 0..count {
        let key = read_string(buf)?;
        let value = read_value(buf, depth)?;
        // A later duplicate key wins, as in serde_json's parse of the text.
        map.insert(key, value);
    }
    Ok(map)
}

fn enter(depth: usize) -> Result<usize, TreeError> {
    if depth > MAX_DEPTH {
        return Err(limits::too_deep().into());
    }
    Ok(depth)
}

fn read_count(buf: &mut &[u8]) -> Result<usize, TreeError> {
    let bytes = take(buf, 4)?;
    let count = i32::from_be_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]);
    usize::try_from(count).map_err(|_| malformed(format!("negative length {count}")))
}

fn read_string(buf: &mut &[u8]) -> Result<String, TreeError> {
    let len = read_count(buf)?;
    let bytes = take(buf, len)?;
    String::from_utf8(bytes.to_vec()).map_err(|e| malformed(format!("a string is not UTF-8: {e}")))
}

fn take<'a>(buf: &mut &'a [u8], n: usize) -> Result<&'a [u8], TreeError> {
    if buf.len() < n {
        return Err(malformed(format!(
            "the tree ends early ({n} bytes wanted, {} left)",
            buf.len()
        )));
    }
    let (head, rest) = buf.split_at(n);
    *buf = rest;
    Ok(head)
}

/// The writer's side, for tests and benchmarks on the Rust side: the tree
/// of a JSON value, as `ExtrasTree.kt` writes it.
pub fn write_value(value: &Value, out: &mut Vec<u8>) {
    fn string(s: &str, out: &mut Vec<u8>) {
        out.extend_from_slice(&(s.len() as i32).to_be_bytes());
        out.extend_from_slice(s.as_bytes());
    }
    match value {
        Value::Null => out.push(TAG_NULL),
        Value::Bool(true) => out.push(TAG_TRUE),
        Value::Bool(false) => out.push(TAG_FALSE),
        Value::Number(n) => {
            out.push(TAG_NUMBER);
            string(&n.to_string(), out);
        }
        Value::String(s) => {
            out.push(TAG_STRING);
            string(s, out);
        }
        Value::Array(items) => {
            out.push(TAG_LIST);
            out.extend_from_slice(&(items.len() as i32).to_be_bytes());
            for item in items {
                write_value(item, out);
            }
        }
        Value::Object(map) => {
            out.push(TAG_MAP);
            out.extend_from_slice(&(map.len() as i32).to_be_bytes());
            for (key, value) in map {
                string(key, out);
                write_value(value, out);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde_json::json;

    fn round_trip(value: &Value) -> Result<Map<String, Value>, TreeError> {
        let mut bytes = Vec::new();
        write_value(value, &mut bytes);
        let mut rest = bytes.as_slice();
        let map = read_extras(&mut rest)?;
        assert!(rest.is_empty());
        Ok(map)
    }

    fn json_value() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<i64>().prop_map(|n| json!(n)),
            any::<f64>()
                .prop_filter("finite", |f| f.is_finite())
                .prop_map(|f| json!(f)),
            ".{0,12}".prop_map(Value::String),
        ];
        leaf.prop_recursive(4, 32, 6, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
                prop::collection::btree_map(".{0,6}", inner, 0..6)
                    .prop_map(|m| Value::Object(m.into_iter().collect())),
            ]
        })
    }

    proptest! {
        #[test]
        fn the_tree_reads_as_the_json_text_reads(map in prop::collection::btree_map(".{0,6}", json_value(), 0..6)) {
            let value = Value::Object(map.into_iter().collect());
            let back = round_trip(&value).unwrap();
            // Compared with what the JSON form yields for the same value:
            // numbers go through the same text and the same parser either
            // way (serde_json's float parsing is not always exact).
            let via_text: Value = serde_json::from_str(&value.to_string()).unwrap();
            prop_assert_eq!(Value::Object(back), via_text);
        }

        #[test]
        fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..64)) {
            let mut rest = bytes.as_slice();
            let _ = read_extras(&mut rest);
        }
    }

    #[test]
    fn depth_is_limited_as_for_json_text() {
        let mut value = json!({});
        for _ in 0..MAX_DEPTH - 1 {
            value = json!({ "a": value });
        }
        assert!(round_trip(&value).is_ok(), "{MAX_DEPTH} levels are allowed");
        let deeper = json!({ "a": [value] });
        match round_trip(&deeper) {
            Err(TreeError::Refused(e)) => assert_eq!(e, limits::too_deep()),
            other => panic!("expected too_large, got {other:?}"),
        }
    }

    #[test]
    fn malformed_trees_are_named() {
        let table: Vec<(&str, Vec<u8>)> = vec![
            ("empty", vec![]),
            ("root not a map", vec![TAG_STRING, 0, 0, 0, 0]),
            (
                "unknown tag",
                vec![TAG_MAP, 0, 0, 0, 1, 0, 0, 0, 1, b'k', 9],
            ),
            ("negative count", vec![TAG_MAP, 0xff, 0xff, 0xff, 0xff]),
            (
                "string past the end",
                vec![TAG_MAP, 0, 0, 0, 1, 0, 0, 0, 9, b'k'],
            ),
            (
                "not UTF-8",
                vec![TAG_MAP, 0, 0, 0, 1, 0, 0, 0, 1, 0xff, TAG_NULL],
            ),
            (
                "huge list count",
                vec![
                    TAG_MAP, 0, 0, 0, 1, 0, 0, 0, 1, b'k', TAG_LIST, 0x7f, 0xff, 0xff, 0xff,
                ],
            ),
        ];
        for (name, bytes) in table {
            let mut rest = bytes.as_slice();
            assert!(
                matches!(read_extras(&mut rest), Err(TreeError::Malformed(_))),
                "{name}"
            );
        }
        let mut bad_number = vec![
            TAG_MAP, 0, 0, 0, 1, 0, 0, 0, 1, b'n', TAG_NUMBER, 0, 0, 0, 3,
        ];
        bad_number.extend_from_slice(b"1x2");
        let mut rest = bad_number.as_slice();
        match read_extras(&mut rest) {
            Err(TreeError::Refused(e)) => assert_eq!(e.code(), "invalid_input"),
            other => panic!("{other:?}"),
        }
    }
}
