//! Any bytes as an outbound message in its JSON form (the CLI's input and
//! `outboundMessageFromJson`): build-push, every channel's simulated tap,
//! and the parser reading that tap back must all return, never panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use pushcore::outbound::{build_push, simulate, OutboundMessage};
use pushcore::payload::parse_click_json;
use pushcore::PushChannel;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(message) = OutboundMessage::from_json(text) else {
        return;
    };
    if build_push(message.clone()).is_err() {
        return;
    }
    for channel in PushChannel::ALL {
        if let Ok(tap) = simulate(&message, channel) {
            let _ = parse_click_json(tap.to_string().as_bytes());
        }
    }
});
