//! Every read of the CLI's inputs, bounded before it allocates: a whole
//! input (file or stdin) is read through `take(limit + 1)`, a line is read
//! piecewise and stops being kept once it passes its limit (the rest is
//! skipped, only counted). The limits and the error beyond them are listed
//! in docs/limits.md.

use pushcore::{PushConfig, PushError};
use std::io::{self, BufRead, Read};

/// A message for `build-push` and `simulate`: far above any channel's
/// payload (4 KiB), the same as a tap's JSON.
pub const MAX_MESSAGE_BYTES: usize = 64 * 1024;
/// A config file, a device or a state file for `diagnose`.
pub const MAX_FILE_BYTES: usize = 1024 * 1024;

fn too_large(what: &str, len: impl std::fmt::Display, limit: usize) -> PushError {
    PushError::TooLarge {
        reason: format!("{what} is {len} bytes; the limit is {limit}"),
    }
}

/// All of `reader`, or `too_large` once it passes `limit` bytes.
pub fn read_all(reader: impl Read, limit: usize, what: &str) -> Result<Vec<u8>, PushError> {
    let mut bytes = Vec::new();
    reader
        .take(limit as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| PushError::InvalidInput {
            reason: format!("cannot read {what}: {e}"),
        })?;
    if bytes.len() > limit {
        return Err(too_large(what, format!("over {limit}"), limit));
    }
    Ok(bytes)
}

/// A file (or stdin for `-`) as UTF-8 text, at most `limit` bytes.
pub fn read_text(path: &str, limit: usize, what: &str) -> Result<String, PushError> {
    let bytes = if path == "-" {
        read_all(io::stdin().lock(), limit, what)?
    } else {
        let file = std::fs::File::open(path).map_err(|e| PushError::InvalidInput {
            reason: format!("cannot read {what} {path}: {e}"),
        })?;
        read_all(file, limit, &format!("{what} {path}"))?
    };
    String::from_utf8(bytes).map_err(|_| PushError::InvalidInput {
        reason: format!("{what} {path} is not UTF-8"),
    })
}

/// [`PushConfig::from_file`] with the read bounded.
pub fn read_config(path: &str) -> Result<PushConfig, PushError> {
    PushConfig::from_json(&read_text(path, MAX_FILE_BYTES, "config")?).map_err(PushError::from)
}

/// One line from [`next_line`].
#[derive(Debug, PartialEq, Eq)]
pub enum Line {
    /// The line is in the buffer, without its `\n`.
    Kept,
    /// The line was longer than the limit: it was skipped, and this many
    /// bytes long (without its `\n`).
    TooLong(u64),
}

/// Reads the next line into `line` (cleared first), keeping at most
/// `limit` bytes of it; `None` at the end of the input.
pub fn next_line(
    reader: &mut impl BufRead,
    limit: usize,
    line: &mut Vec<u8>,
) -> io::Result<Option<Line>> {
    line.clear();
    let mut len: u64 = 0;
    let mut any = false;
    loop {
        let available = match reader.fill_buf() {
            Ok(available) => available,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if available.is_empty() {
            break;
        }
        any = true;
        let (piece, ends) = match available.iter().position(|&b| b == b'\n') {
            Some(at) => (&available[..at], true),
            None => (available, false),
        };
        len += piece.len() as u64;
        if len <= limit as u64 {
            line.extend_from_slice(piece);
        }
        let used = piece.len() + usize::from(ends);
        reader.consume(used);
        if ends {
            break;
        }
    }
    Ok(match (any, len > limit as u64) {
        (false, _) => None,
        (true, false) => Some(Line::Kept),
        (true, true) => {
            line.clear();
            Some(Line::TooLong(len))
        }
    })
}

/// The `too_large` error of a line skipped by [`next_line`].
pub fn line_too_large(len: u64, limit: usize) -> PushError {
    too_large("the line", len, limit)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(input: &[u8], limit: usize, capacity: usize) -> Vec<Result<String, u64>> {
        let mut reader = io::BufReader::with_capacity(capacity, input);
        let mut line = Vec::new();
        let mut out = Vec::new();
        while let Some(read) = next_line(&mut reader, limit, &mut line).unwrap() {
            out.push(match read {
                Line::Kept => Ok(String::from_utf8(line.clone()).unwrap()),
                Line::TooLong(len) => Err(len),
            });
        }
        out
    }

    #[test]
    fn lines_over_the_limit_are_skipped_whole_and_measured() {
        // Small reader buffers, so lines span several fills.
        for capacity in [1, 3, 8, 1024] {
            assert_eq!(
                lines(b"ab\nabcdef\n\nxyz", 4, capacity),
                vec![Ok("ab".into()), Err(6), Ok("".into()), Ok("xyz".into())],
                "capacity {capacity}"
            );
            assert_eq!(lines(b"abcd\n", 4, capacity), vec![Ok("abcd".into())]);
            assert_eq!(lines(b"", 4, capacity), vec![]);
            assert_eq!(lines(b"\n", 4, capacity), vec![Ok("".into())]);
        }
    }

    #[test]
    fn whole_inputs_over_the_limit_are_too_large() {
        assert_eq!(read_all(&b"abcd"[..], 4, "x").unwrap(), b"abcd");
        let err = read_all(&b"abcde"[..], 4, "x").unwrap_err();
        assert_eq!(err.code(), "too_large");
    }
}
