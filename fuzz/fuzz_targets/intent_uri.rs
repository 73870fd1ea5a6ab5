//! Any string as an Android intent URI: extras or a typed error, no panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use pushcore::payload::intent_uri::{parse_intent_extras, percent_decode};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let _ = percent_decode(text);
    let _ = parse_intent_extras(text);
    let _ = parse_intent_extras(&format!("intent:#Intent;{text};end"));
});
