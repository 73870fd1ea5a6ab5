//! Size and nesting limits, checked before any JSON parser runs: a tap
//! payload is at most a few KiB (push-facts.md section 6), so anything far
//! bigger or deeper is hostile or broken, and must not cost the app memory
//! or stack. serde_json's own recursion limit (128) is above ours, so depth
//! is counted here with a flat byte scan instead of relying on it.

use crate::error::PushError;

/// Largest accepted input, in bytes.
pub const MAX_INPUT_BYTES: usize = 64 * 1024;
/// Deepest accepted nesting of JSON objects and arrays (the top level is 1).
pub const MAX_DEPTH: usize = 64;

pub fn check_size(len: usize) -> Result<(), PushError> {
    if len > MAX_INPUT_BYTES {
        return Err(PushError::TooLarge {
            reason: format!("input is {len} bytes; the limit is {MAX_INPUT_BYTES}"),
        });
    }
    Ok(())
}

/// Rejects JSON text nested deeper than [`MAX_DEPTH`]. Brackets inside
/// strings are skipped, so for valid JSON the count is exact; for invalid
/// JSON the parser that runs next reports the real problem.
pub fn check_depth(json: &[u8]) -> Result<(), PushError> {
    // Fast path: with at most MAX_DEPTH opening brackets anywhere (strings
    // included) the nesting cannot be deeper. This count vectorizes; the
    // exact scan below does not, and typical payloads have a dozen brackets.
    let openings = json.iter().filter(|&&b| b == b'{' || b == b'[').count();
    if openings <= MAX_DEPTH {
        return Ok(());
    }
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    for &b in json {
        if in_string {
            if escaped {
                escaped = false;
            } else if b == b'\\' {
                escaped = true;
            } else if b == b'"' {
                in_string = false;
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'{' | b'[' => {
                depth += 1;
                if depth > MAX_DEPTH {
                    return Err(too_deep());
                }
            }
            b'}' | b']' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    Ok(())
}

/// Both checks, for a whole input document.
/// The error for a document nested deeper than [`MAX_DEPTH`], whatever
/// form it arrived in.
pub fn too_deep() -> PushError {
    PushError::TooLarge {
        reason: format!("JSON is nested deeper than {MAX_DEPTH} levels"),
    }
}

pub fn check_document(json: &[u8]) -> Result<(), PushError> {
    check_size(json.len())?;
    check_depth(json)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nested(depth: usize) -> String {
        format!("{}{}", "[".repeat(depth), "]".repeat(depth))
    }

    #[test]
    fn depth_table() {
        let table = [
            (nested(64), true),
            (nested(65), false),
            (format!("{{\"a\":\"{}\"}}", "[".repeat(500)), true),
            (format!("{{\"a\":\"\\\"{}\"}}", "{".repeat(500)), true),
            (format!("{{\"a\":{}}}", nested(63)), true),
            (format!("{{\"a\":{}}}", nested(64)), false),
        ];
        for (json, ok) in table {
            assert_eq!(check_depth(json.as_bytes()).is_ok(), ok, "{json}");
        }
        assert_eq!(
            check_depth(nested(100_000).as_bytes()).unwrap_err().code(),
            "too_large"
        );
    }

    #[test]
    fn size_limit_is_inclusive() {
        assert!(check_size(MAX_INPUT_BYTES).is_ok());
        assert_eq!(
            check_size(MAX_INPUT_BYTES + 1).unwrap_err().code(),
            "too_large"
        );
    }
}
