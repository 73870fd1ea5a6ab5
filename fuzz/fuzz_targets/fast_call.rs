//! Any bytes as the arguments of the JVM's fast calls (core/src/facade/fast):
//! the first byte picks the call, the rest is the argument buffer. Every
//! answer must be a status and a header, never a panic or an overrun.
#![no_main]

use libfuzzer_sys::fuzz_target;
use pushcore::fast::{self, HEADER_LEN};

fuzz_target!(|data: &[u8]| {
    let Some((&which, arguments)) = data.split_first() else {
        return;
    };
    // Room for the arguments and a small answer; larger answers take the
    // overflow path, which must be freed.
    let mut buf = arguments.to_vec();
    buf.resize(arguments.len() + HEADER_LEN + usize::from(which & 0x7f), 0);
    let addr = buf.as_mut_ptr() as usize as u64;
    let (in_len, cap) = (arguments.len() as i32, buf.len() as i32);
    let status = unsafe {
        if which & 0x80 == 0 {
            fast::pushcore_fast_parse_click_input(addr, in_len, cap)
        } else {
            fast::pushcore_fast_parse_android_tap(addr, in_len, cap)
        }
    };
    assert!((fast::STATUS_OK..=fast::STATUS_BAD_CALL).contains(&status));
    let len = u32::from_be_bytes(buf[0..4].try_into().unwrap());
    let overflow = u64::from_be_bytes(buf[8..16].try_into().unwrap());
    if overflow == 0 {
        assert!(HEADER_LEN + len as usize <= buf.len());
    } else {
        unsafe { fast::pushcore_fast_free(overflow, len) };
    }
});
