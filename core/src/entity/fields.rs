//! The entity's field types, read from what a sender wrote. Each reader
//! says what was wrong without quoting the value (it may hold personal
//! data); the caller decides whether that rejects the tap (a field routing
//! needs) or only drops the field (see [`optional`]).

use super::findings::Findings;
use super::kind;
use serde_json::Value;

/// A reader's verdict: the value if present, or what was wrong with it.
pub(super) type Read<T> = Result<Option<T>, String>;

/// An optional field: kept if well-formed, else dropped and recorded.
pub(super) fn optional<T>(read: Read<T>, field: &str, findings: &mut Findings) -> Option<T> {
    read.unwrap_or_else(|problem| {
        findings.dropped(field, problem);
        None
    })
}

/// A non-negative integer, also accepted as a numeric string or an integral
/// float (some writers go through doubles).
pub(super) fn uint(value: Option<Value>) -> Read<u64> {
    let parsed = match value {
        None | Some(Value::Null) => return Ok(None),
        Some(Value::Number(n)) => n.as_u64().or_else(|| {
            n.as_f64()
                .filter(|f| f.fract() == 0.0 && *f >= 0.0 && *f <= 9_007_199_254_740_992.0)
                .map(|f| f as u64)
        }),
        Some(Value::String(s)) => s.trim().parse::<u64>().ok(),
        Some(other) => {
            return Err(format!(
                "must be a non-negative integer, got {}",
                kind(&other)
            ))
        }
    };
    parsed
        .map(Some)
        .ok_or_else(|| "must be a non-negative integer".to_string())
}

pub(super) fn small_uint(value: Option<Value>) -> Read<u32> {
    match uint(value)? {
        None => Ok(None),
        Some(n) => u32::try_from(n)
            .map(Some)
            .map_err(|_| format!("{n} is out of range")),
    }
}

pub(super) fn string(value: Option<Value>) -> Read<String> {
    match value {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(other) => Err(format!("must be a string, got {}", kind(&other))),
    }
}

/// Ids arrive as strings or numbers; an empty one is no id.
pub(super) fn id(value: Option<Value>) -> Read<String> {
    match value {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) if s.is_empty() => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(Value::Number(n)) => Ok(Some(n.to_string())),
        Some(other) => Err(format!("must be a string or number, got {}", kind(&other))),
    }
}

/// `customData`: bytes. The Android UIKit serializes a Java `byte[]` with
/// Gson, which writes *signed* numbers (-128..=127); other writers use
/// 0..=255; both map by two's complement, so -1 and 255 are both 0xFF. The
/// iOS UIKit writes `Data`, which JSON encoders render as base64. A string
/// that is not base64 is taken as its UTF-8 bytes rather than dropped.
/// The array is bounded by the input limit before it was parsed.
pub(super) fn custom_data(value: Option<Value>) -> Read<Vec<u8>> {
    match value {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Array(items)) => items
            .iter()
            .map(|v| {
                v.as_i64()
                    .filter(|n| (-128..=255).contains(n))
                    .map(|n| n as u8)
            })
            .collect::<Option<Vec<u8>>>()
            .map(Some)
            .ok_or_else(|| "must hold integers from -128 to 255".to_string()),
        Some(Value::String(s)) => Ok(Some(
            super::decode_base64(&s).unwrap_or_else(|| s.into_bytes()),
        )),
        Some(other) => Err(format!(
            "must be a byte array or a base64 string, got {}",
            kind(&other)
        )),
    }
}

/// A `timPushFeatures` value. The Android UIKit writes -1 for unset; 0 and
/// 1 are the values the backend defines. Anything else is unknown.
pub(super) fn feature(value: Option<Value>) -> Read<u64> {
    let n = match value {
        None | Some(Value::Null) => return Ok(None),
        Some(Value::Number(n)) => n.as_i64(),
        Some(Value::String(s)) => s.trim().parse::<i64>().ok(),
        Some(other) => return Err(format!("must be an integer, got {}", kind(&other))),
    };
    match n {
        Some(-1) => Ok(None),
        Some(n @ 0..=1) => Ok(Some(n as u64)),
        Some(_) => Err("is not a known value (-1, 0 or 1)".to_string()),
        None => Err("must be an integer".to_string()),
    }
}
