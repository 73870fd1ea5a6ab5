//! Any bytes as the config file: a config or a typed error, and whatever
//! parses must validate, feed the URL allow-list and the retry policy
//! without panicking (the file is written by hand, so typos and absurd
//! numbers are the normal case, not an attack).
#![no_main]

use libfuzzer_sys::fuzz_target;
use pushcore::registration::backoff::{retry_delay, Jitter};
use pushcore::routing::is_allowed_url;
use pushcore::PushConfig;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(config) = PushConfig::from_json(text) else {
        return;
    };
    let problems = config.problems();
    assert_eq!(config.validate().is_ok(), problems.is_empty());
    let allow = &config.routing.url_allow_list;
    for url in ["https://example.com/x", "intent://x#Intent;end", text] {
        let _ = is_allowed_url(url, allow);
    }
    let mut jitter = Jitter::seeded(7);
    for attempt in [0, 1, 2, 31, 64, u32::MAX] {
        let delay = retry_delay(&config.retry, attempt, &mut jitter);
        assert!(delay.as_millis() <= u128::from(config.retry.max_delay_ms.max(10)));
    }
});
