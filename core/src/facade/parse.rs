//! Tap parsing and routing on the app's core, so routing uses the app's
//! configured URL allow-list.

use super::errors::handled;
use super::PushCore;
use crate::error::PushError;
use crate::payload::{self, ClickInput, NormalizedNotification};
use crate::routing::{self, Route};

#[uniffi::export]
impl PushCore {
    /// Parses what a notification tap delivered, whatever the channel.
    ///
    /// # Errors
    /// `invalid_input` (unreadable input, a bad data URI), `too_large` (over
    /// the payload limits), `no_push_payload` (no `ext` where the channel puts
    /// it), `invalid_ext` (the ext misses what routing needs).
    pub fn parse_click(&self, input: ClickInput) -> Result<NormalizedNotification, PushError> {
        handled("parse_click", payload::parse_click(input))
    }

    /// The in-app destination for a parsed tap; URLs only if allow-listed.
    pub fn route(&self, notification: NormalizedNotification) -> Route {
        routing::route(&notification, &self.config.routing.url_allow_list)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::channel::PushChannel;

    #[test]
    fn parse_and_route_use_the_configured_allow_list() {
        let config = crate::config::example_config();
        let dir = tempfile::tempdir().unwrap();
        let core = PushCore::new(config, dir.path().display().to_string()).unwrap();
        let ext = r#"{"entity":{"chatType":1,"action":3,"sender":"u"},"url":"https://im.example.com/promo"}"#;
        let input = ClickInput::Android {
            extras_json: serde_json::json!({ "ext": ext }).to_string(),
            data_uri: None,
            channel_hint: Some(PushChannel::Huawei),
        };
        let n = core.parse_click(input).unwrap();
        assert_eq!(
            core.route(n),
            Route::Url {
                url: "https://im.example.com/promo".into()
            }
        );
        let err = core
            .parse_click(ClickInput::Ios {
                user_info_json: "{}".into(),
            })
            .unwrap_err();
        assert_eq!(err.code(), "no_push_payload");
    }
}
