//! Any bytes as the arguments of the JVM's fast calls (core/src/facade/fast).
//! Every answer must be a status and a header, never a panic, an overrun or
//! an abort (a count the buffer does not back must not be reserved).
//!
//! Input layout: byte 0 picks the call and the answer buffer's slack:
//! - bit 7: `parse_android_tap` (extras tree) instead of `parse_click_input`;
//! - bit 6: `check_and_mark_notification` (overrides bit 7);
//! - bit 5: the argument bytes are patched first (below);
//! - bits 0-4: slack in the answer buffer (larger answers overflow, and
//!   the overflow copy must be freed).
//!
//! When patched, byte 1 (low 2 bits) says how many patches follow, 3 bytes
//! each: a big-endian `u16` position and a selector of a 4-byte value
//! (0, 1, -1, `i32::MAX`, `i32::MIN`, exactly the bytes left after it, one
//! more than that, 65536) written big-endian at that position. Counts and
//! lengths in UniFFI's serialization and the extras tree are such 4-byte
//! words, so a patch turns a well-formed seed into a lying count or length
//! far more often than byte flips would.
#![no_main]

use libfuzzer_sys::fuzz_target;
use pushcore::fast::{self, HEADER_LEN};
use pushcore::{PushConfig, PushCore, UniFfiTag};
use std::sync::{Arc, OnceLock};
use uniffi::Lower;

/// A core on a store in a directory of its own, as a fast handle.
fn core_handle() -> u64 {
    static HANDLE: OnceLock<u64> = OnceLock::new();
    *HANDLE.get_or_init(|| {
        let config = PushConfig::from_json(include_str!("../../docs/example-config.json"))
            .expect("the example config parses");
        let dir = std::env::temp_dir().join(format!("pushcore-fuzz-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("a temporary directory");
        let core = PushCore::new(config, dir.display().to_string()).expect("a core");
        let handle = <Arc<PushCore> as Lower<UniFfiTag>>::lower(core).as_raw();
        unsafe { fast::pushcore_fast_core_attach(handle) }
    })
}

/// Splits off the patches described at the start of `data` and returns
/// the argument bytes with the patches written in.
fn patched(data: &[u8]) -> Vec<u8> {
    let count = usize::from(data.first().map_or(0, |c| c & 3));
    let (patches, arguments) = data.split_at((1 + 3 * count).min(data.len()));
    let mut arguments = arguments.to_vec();
    for p in patches.get(1..).unwrap_or_default().chunks_exact(3) {
        if arguments.len() < 4 {
            break;
        }
        let at = usize::from(u16::from_be_bytes([p[0], p[1]])) % (arguments.len() - 3);
        let left = (arguments.len() - at - 4) as i32;
        let value: i32 = match p[2] % 8 {
            0 => 0,
            1 => 1,
            2 => -1,
            3 => i32::MAX,
            4 => i32::MIN,
            5 => left,
            6 => left + 1,
            _ => 65536,
        };
        arguments[at..at + 4].copy_from_slice(&value.to_be_bytes());
    }
    arguments
}

fuzz_target!(|data: &[u8]| {
    let Some((&which, rest)) = data.split_first() else {
        return;
    };
    let mut buf = if which & 0x20 != 0 {
        patched(rest)
    } else {
        rest.to_vec()
    };
    let in_len = buf.len();
    // Room for the arguments and a small answer.
    buf.resize(in_len + HEADER_LEN + usize::from(which & 0x1f), 0);
    let addr = buf.as_mut_ptr() as usize as u64;
    let (in_len, cap) = (in_len as i32, buf.len() as i32);
    let status = unsafe {
        if which & 0x40 != 0 {
            fast::pushcore_fast_check_and_mark_notification(core_handle(), addr, in_len, cap)
        } else if which & 0x80 != 0 {
            fast::pushcore_fast_parse_android_tap(addr, in_len, cap)
        } else {
            fast::pushcore_fast_parse_click_input(addr, in_len, cap)
        }
    };
    assert!(
        (fast::STATUS_OK..=fast::STATUS_BAD_CALL).contains(&status),
        "status {status}"
    );
    let len = u32::from_be_bytes(buf[0..4].try_into().unwrap());
    let overflow = u64::from_be_bytes(buf[8..16].try_into().unwrap());
    if overflow == 0 {
        assert!(HEADER_LEN + len as usize <= buf.len());
    } else {
        unsafe { fast::pushcore_fast_free(overflow, len) };
    }
});
