//! Any bytes, as the CLI's JSON form and as each `ClickInput` field: the
//! parser must return a value or a typed error, never panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use pushcore::payload::{click_input_from_json, parse_click, parse_click_json};
use pushcore::{ClickInput, PushChannel};

fuzz_target!(|data: &[u8]| {
    let _ = parse_click_json(data);
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(input) = click_input_from_json(text) {
        let _ = parse_click(input);
    }
    let hint = data
        .first()
        .and_then(|b| PushChannel::ALL.get(usize::from(*b) % 9).copied());
    let _ = parse_click(ClickInput::Android {
        extras_json: text.to_string(),
        data_uri: Some(text.to_string()),
        channel_hint: hint,
    });
    let _ = parse_click(ClickInput::Android {
        extras_json: format!("{{\"ext\":{text}}}"),
        data_uri: None,
        channel_hint: hint,
    });
    let _ = parse_click(ClickInput::Ios {
        user_info_json: text.to_string(),
    });
});
