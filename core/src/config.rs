//! Configuration: what the app knows at build time (vendor credentials and
//! business ids) plus the knobs for retries, dedup and routing.
//!
//! The same record comes from Kotlin/Swift or from a JSON file (serde). It is
//! validated as a whole: [`PushConfig::validate`] reports every problem with
//! its field path at once, because a developer fixing a config one error per
//! build is the slowest feedback loop there is.

use crate::channel::PushChannel;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// Why a configuration cannot be used. The facade maps it to `PushError`
/// (`invalid_input` for the first two, `invalid_config` for the last).
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// Not JSON, a field of the wrong type, or an unknown key (a typo).
    #[error("config JSON: {0}")]
    Json(#[source] serde_json::Error),
    /// The file could not be read.
    #[error("cannot read config {}: {source}", path.display())]
    Unreadable {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// Readable but unusable: every problem, each starting with its field
    /// path.
    #[error("invalid configuration: {}", .0.join("; "))]
    Invalid(Vec<String>),
}

/// Everything PushCore needs to know about the app's push set-up.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, uniffi::Record)]
#[serde(default, deny_unknown_fields)]
pub struct PushConfig {
    /// Vendor credentials and business ids, per Android channel.
    pub channels: ChannelsConfig,
    /// APNs business ids (iOS).
    pub apns: ApnsConfig,
    /// An international build: report the "abroad" business ids.
    #[uniffi(default = false)]
    pub international: bool,
    pub preferences: ChannelPreferences,
    pub retry: RetryPolicy,
    pub dedup: DedupSettings,
    pub routing: RoutingSettings,
    /// How received messages are presented (conversation notifications).
    #[uniffi(default)]
    pub notifications: NotificationSettings,
}

/// How received messages are presented.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, uniffi::Record)]
#[serde(default, deny_unknown_fields)]
pub struct NotificationSettings {
    /// Lines a conversation notification shows (the newest, oldest first).
    #[uniffi(default = 5)]
    pub conversation_lines: u32,
}

impl Default for NotificationSettings {
    fn default() -> Self {
        NotificationSettings {
            conversation_lines: 5,
        }
    }
}

/// One entry per Android channel; `None` means the app does not integrate
/// that vendor's SDK.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, uniffi::Record)]
#[serde(default, deny_unknown_fields)]
pub struct ChannelsConfig {
    pub xiaomi: Option<VendorCredentials>,
    pub huawei: Option<VendorCredentials>,
    pub honor: Option<VendorCredentials>,
    pub oppo: Option<VendorCredentials>,
    pub vivo: Option<VendorCredentials>,
    pub meizu: Option<VendorCredentials>,
    pub fcm: Option<VendorCredentials>,
}

impl ChannelsConfig {
    /// The credentials for an Android channel, if the app configured it.
    pub fn get(&self, channel: PushChannel) -> Option<&VendorCredentials> {
        match channel {
            PushChannel::Xiaomi => self.xiaomi.as_ref(),
            PushChannel::Huawei => self.huawei.as_ref(),
            PushChannel::Honor => self.honor.as_ref(),
            PushChannel::Oppo => self.oppo.as_ref(),
            PushChannel::Vivo => self.vivo.as_ref(),
            PushChannel::Meizu => self.meizu.as_ref(),
            PushChannel::Fcm => self.fcm.as_ref(),
            PushChannel::Apns => None,
        }
    }
}

/// A vendor's keys and the IM console's business (certificate) ids for it.
/// Which keys are required depends on the vendor (push-facts.md section 2);
/// Huawei and FCM read theirs from their own JSON files.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, uniffi::Record)]
#[serde(default, deny_unknown_fields)]
pub struct VendorCredentials {
    /// Business id issued by the IM console for this vendor's certificate.
    #[uniffi(default = None)]
    pub business_id: Option<u64>,
    /// Business id for international builds.
    #[uniffi(default = None)]
    pub abroad_business_id: Option<u64>,
    #[uniffi(default = None)]
    pub app_id: Option<String>,
    #[uniffi(default = None)]
    pub app_key: Option<String>,
    #[uniffi(default = None)]
    pub app_secret: Option<String>,
    /// Notification channel id (OPPO requires one on Android 8+; Xiaomi and
    /// FCM use it to pick a message class).
    #[uniffi(default = None)]
    pub channel_id: Option<String>,
    /// Sound resource name (no extension), where the vendor honours one.
    #[uniffi(default = None)]
    pub sound: Option<String>,
}

impl VendorCredentials {
    /// The business id to report for a build, if configured.
    pub fn business_id_for(&self, international: bool) -> Option<u64> {
        if international {
            self.abroad_business_id
        } else {
            self.business_id
        }
    }
}

/// APNs business ids: one per environment, and one for VoIP pushes.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, uniffi::Record)]
#[serde(default, deny_unknown_fields)]
pub struct ApnsConfig {
    #[uniffi(default = None)]
    pub development_business_id: Option<u64>,
    #[uniffi(default = None)]
    pub production_business_id: Option<u64>,
    #[uniffi(default = None)]
    pub voip_business_id: Option<u64>,
}

/// How the device's channel is chosen.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, uniffi::Record)]
#[serde(default, deny_unknown_fields)]
pub struct ChannelPreferences {
    /// Use FCM on every Android device with Play services (typical for
    /// builds distributed through Google Play).
    #[uniffi(default = false)]
    pub force_fcm: bool,
    /// Use exactly this channel, whatever the device.
    #[uniffi(default = None)]
    pub forced_channel: Option<PushChannel>,
    /// Never use these channels.
    #[uniffi(default = [])]
    pub disabled_channels: Vec<PushChannel>,
}

/// Retries of token requests and reports: exponential backoff with jitter,
/// capped, so a broken backend never turns into a busy loop on a phone.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, uniffi::Record)]
#[serde(default, deny_unknown_fields)]
pub struct RetryPolicy {
    #[uniffi(default = 1000)]
    pub initial_delay_ms: u64,
    #[uniffi(default = 300000)]
    pub max_delay_ms: u64,
    /// Growth factor between attempts.
    #[uniffi(default = 2.0)]
    pub multiplier: f64,
    /// Fraction of each delay randomized (0.0 to 1.0).
    #[uniffi(default = 0.2)]
    pub jitter: f64,
    /// Give up after this many attempts in a row; 0 retries until the next
    /// login, foreground or network event.
    #[uniffi(default = 8)]
    pub max_attempts: u32,
    /// Deadline for every call into the app's platform and reporter.
    #[uniffi(default = 30000)]
    pub platform_timeout_ms: u64,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            initial_delay_ms: 1_000,
            max_delay_ms: 300_000,
            multiplier: 2.0,
            jitter: 0.2,
            max_attempts: 8,
            platform_timeout_ms: 30_000,
        }
    }
}

/// Retention of the dedup store.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, uniffi::Record)]
#[serde(default, deny_unknown_fields)]
pub struct DedupSettings {
    /// Rows older than this are forgotten.
    #[uniffi(default = 604800)]
    pub ttl_seconds: u64,
    /// At most this many rows are kept, oldest dropped first.
    #[uniffi(default = 10000)]
    pub max_rows: u64,
    /// Messages with no id are keyed by a digest of their content and a
    /// time bucket of this many seconds.
    #[uniffi(default = 120)]
    pub digest_window_seconds: u64,
}

impl Default for DedupSettings {
    fn default() -> Self {
        DedupSettings {
            ttl_seconds: 7 * 24 * 3600,
            max_rows: 10_000,
            digest_window_seconds: 120,
        }
    }
}

/// Which URLs a notification may open. Empty: none, only in-app screens.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, uniffi::Record)]
#[serde(default, deny_unknown_fields)]
pub struct RoutingSettings {
    #[uniffi(default = [])]
    pub url_allow_list: Vec<AllowedUrl>,
}

/// Schemes that can launch components or read local data: never allowed,
/// whatever the allow-list says (push-facts.md section 10). Config
/// validation rejects them too, so the app hears about it at start-up.
pub(crate) const NEVER_ALLOWED_SCHEMES: &[&str] = &[
    "intent",
    "android-app",
    "file",
    "content",
    "javascript",
    "data",
];

/// A URL destination allowed in payloads: exact scheme and host.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, uniffi::Record)]
#[serde(default, deny_unknown_fields)]
pub struct AllowedUrl {
    pub scheme: String,
    pub host: String,
}

/// Keys each Android vendor needs besides the business id.
fn required_keys(channel: PushChannel) -> &'static [&'static str] {
    match channel {
        PushChannel::Xiaomi | PushChannel::Meizu | PushChannel::Vivo => &["app_id", "app_key"],
        PushChannel::Oppo => &["app_key", "app_secret"],
        PushChannel::Honor => &["app_id"],
        PushChannel::Huawei | PushChannel::Fcm | PushChannel::Apns => &[],
    }
}

fn is_blank(value: &Option<String>) -> bool {
    value.as_deref().map(str::trim).unwrap_or("").is_empty()
}

impl PushConfig {
    /// Parses a JSON document (unknown keys are rejected, to catch typos).
    pub fn from_json(json: &str) -> Result<PushConfig, ConfigError> {
        serde_json::from_str(json).map_err(ConfigError::Json)
    }

    /// Reads and parses a JSON config file.
    pub fn from_file(path: &Path) -> Result<PushConfig, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Unreadable {
            path: path.to_path_buf(),
            source,
        })?;
        PushConfig::from_json(&text)
    }

    /// Every problem in the configuration, each starting with its field path.
    /// Empty when the configuration is usable.
    pub fn problems(&self) -> Vec<String> {
        let mut problems = Vec::new();
        let mut any_channel = false;
        for channel in PushChannel::ALL {
            let Some(creds) = self.channels.get(channel) else {
                continue;
            };
            any_channel = true;
            let path = format!("channels.{channel}");
            if creds.business_id.is_none() && !self.international {
                problems.push(format!("{path}.business_id is missing"));
            }
            if self.international && creds.abroad_business_id.is_none() {
                problems.push(format!(
                    "{path}.abroad_business_id is missing (international build)"
                ));
            }
            for key in required_keys(channel) {
                let value = match *key {
                    "app_id" => &creds.app_id,
                    "app_key" => &creds.app_key,
                    _ => &creds.app_secret,
                };
                if is_blank(value) {
                    problems.push(format!("{path}.{key} is missing"));
                }
            }
            if let Some(sound) = &creds.sound {
                if sound.contains('.') {
                    problems.push(format!(
                        "{path}.sound must be a resource name without extension (got `{sound}`)"
                    ));
                }
            }
        }
        let apns = &self.apns;
        let apns_configured = apns.development_business_id.is_some()
            || apns.production_business_id.is_some()
            || apns.voip_business_id.is_some();
        if apns_configured
            && (apns.development_business_id.is_none() || apns.production_business_id.is_none())
        {
            if apns.development_business_id.is_none() {
                problems.push("apns.development_business_id is missing".into());
            }
            if apns.production_business_id.is_none() {
                problems.push("apns.production_business_id is missing".into());
            }
        }
        if !any_channel && !apns_configured {
            problems.push("channels: no push channel is configured".into());
        }

        let prefs = &self.preferences;
        if let Some(forced) = prefs.forced_channel {
            if prefs.disabled_channels.contains(&forced) {
                problems.push(format!(
                    "preferences.forced_channel `{forced}` is also disabled"
                ));
            }
            if forced.is_android() && self.channels.get(forced).is_none() {
                problems.push(format!(
                    "preferences.forced_channel `{forced}` has no credentials in channels.{forced}"
                ));
            }
        }
        if prefs.force_fcm && self.channels.fcm.is_none() {
            problems.push("preferences.force_fcm is set but channels.fcm is missing".into());
        }

        let retry = &self.retry;
        if retry.initial_delay_ms == 0 {
            problems.push("retry.initial_delay_ms must be greater than 0".into());
        }
        if retry.max_delay_ms < retry.initial_delay_ms {
            problems.push("retry.max_delay_ms must be at least retry.initial_delay_ms".into());
        }
        if !(retry.multiplier.is_finite() && retry.multiplier >= 1.0) {
            problems.push("retry.multiplier must be a number of at least 1.0".into());
        }
        if !(0.0..=1.0).contains(&retry.jitter) {
            problems.push("retry.jitter must be between 0.0 and 1.0".into());
        }
        if retry.platform_timeout_ms == 0 {
            problems.push("retry.platform_timeout_ms must be greater than 0".into());
        }

        let lines = self.notifications.conversation_lines;
        if !(1..=25).contains(&lines) {
            problems.push(format!(
                "notifications.conversation_lines must be 1 to 25 (got {lines})"
            ));
        }

        let dedup = &self.dedup;
        if dedup.ttl_seconds == 0 {
            problems.push("dedup.ttl_seconds must be greater than 0".into());
        }
        if dedup.max_rows == 0 {
            problems.push("dedup.max_rows must be greater than 0".into());
        }
        if dedup.digest_window_seconds == 0 || dedup.digest_window_seconds > 3600 {
            problems.push("dedup.digest_window_seconds must be between 1 and 3600".into());
        }

        for (i, allowed) in self.routing.url_allow_list.iter().enumerate() {
            let path = format!("routing.url_allow_list[{i}]");
            let scheme = allowed.scheme.to_ascii_lowercase();
            if scheme.is_empty()
                || !scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
            {
                problems.push(format!(
                    "{path}.scheme `{}` is not a URL scheme",
                    allowed.scheme
                ));
            } else if NEVER_ALLOWED_SCHEMES.contains(&scheme.as_str()) {
                problems.push(format!("{path}.scheme `{scheme}` can launch components or read local data and is never allowed"));
            }
            if allowed.host.trim().is_empty() || allowed.host.contains(['/', '*', '@', ' ']) {
                problems.push(format!(
                    "{path}.host `{}` must be an exact host name",
                    allowed.host
                ));
            }
        }
        problems
    }

    /// `Ok` when usable, else every problem at once.
    pub fn validate(&self) -> Result<(), ConfigError> {
        let problems = self.problems();
        if problems.is_empty() {
            Ok(())
        } else {
            Err(ConfigError::Invalid(problems))
        }
    }
}

/// The repository's documented example configuration, for tests.
#[cfg(test)]
pub(crate) fn example_config() -> PushConfig {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/example-config.json");
    match PushConfig::from_file(&path) {
        Ok(config) => config,
        Err(e) => panic!("docs/example-config.json: {e}"),
    }
}

/// Parses a JSON configuration (the same format as the example file) and
/// validates it.
pub fn push_config_from_json(json: String) -> Result<PushConfig, ConfigError> {
    let config = PushConfig::from_json(&json)?;
    config.validate()?;
    Ok(config)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn creds(business_id: u64) -> VendorCredentials {
        VendorCredentials {
            business_id: Some(business_id),
            app_id: Some("id".into()),
            app_key: Some("key".into()),
            app_secret: Some("secret".into()),
            ..Default::default()
        }
    }

    fn valid() -> PushConfig {
        PushConfig {
            channels: ChannelsConfig {
                xiaomi: Some(creds(1)),
                oppo: Some(creds(2)),
                fcm: Some(VendorCredentials {
                    business_id: Some(3),
                    ..Default::default()
                }),
                ..Default::default()
            },
            ..Default::default()
        }
    }

    #[test]
    fn the_example_config_in_the_repo_is_valid() {
        assert_eq!(example_config().problems(), Vec::<String>::new());
    }

    #[test]
    fn conversation_lines_must_be_one_to_twenty_five() {
        for (lines, ok) in [(0, false), (1, true), (5, true), (25, true), (26, false)] {
            let mut config = valid();
            config.notifications.conversation_lines = lines;
            assert_eq!(config.problems().is_empty(), ok, "{lines}");
        }
        let parsed =
            PushConfig::from_json(r#"{"notifications":{"conversation_lines":3}}"#).unwrap();
        assert_eq!(parsed.notifications.conversation_lines, 3);
        assert_eq!(PushConfig::default().notifications.conversation_lines, 5);
    }

    #[test]
    fn a_valid_config_has_no_problems() {
        assert!(valid().validate().is_ok());
    }

    #[test]
    fn every_problem_is_reported_with_its_path() {
        let mut config = valid();
        config.channels.oppo.as_mut().unwrap().app_secret = None;
        config.channels.xiaomi.as_mut().unwrap().app_key = Some("  ".into());
        config.channels.xiaomi.as_mut().unwrap().business_id = None;
        config.retry.jitter = 2.0;
        config.routing.url_allow_list.push(AllowedUrl {
            scheme: "intent".into(),
            host: "x".into(),
        });
        let problems = config.problems();
        let expected = [
            "channels.xiaomi.business_id is missing",
            "channels.xiaomi.app_key is missing",
            "channels.oppo.app_secret is missing",
            "retry.jitter must be between 0.0 and 1.0",
        ];
        for e in expected {
            assert!(
                problems.iter().any(|p| p == e),
                "missing `{e}` in {problems:?}"
            );
        }
        assert!(problems
            .iter()
            .any(|p| p.starts_with("routing.url_allow_list[0].scheme")));
        assert_eq!(problems.len(), 5, "{problems:?}");
        match config.validate() {
            Err(ConfigError::Invalid(p)) => assert_eq!(p, problems),
            other => panic!("expected InvalidConfig, got {other:?}"),
        }
    }

    #[test]
    fn international_builds_need_abroad_ids() {
        let mut config = valid();
        config.international = true;
        config.channels.xiaomi.as_mut().unwrap().abroad_business_id = Some(11);
        let problems = config.problems();
        assert_eq!(
            problems,
            vec![
                "channels.oppo.abroad_business_id is missing (international build)",
                "channels.fcm.abroad_business_id is missing (international build)"
            ]
        );
        assert_eq!(
            config.channels.xiaomi.unwrap().business_id_for(true),
            Some(11)
        );
    }

    #[test]
    fn an_empty_config_says_no_channel_is_configured() {
        assert_eq!(
            PushConfig::default().problems(),
            vec!["channels: no push channel is configured"]
        );
    }

    #[test]
    fn json_typos_are_rejected_not_ignored() {
        let err = PushConfig::from_json(r#"{"chanels":{}}"#).unwrap_err();
        assert!(matches!(err, ConfigError::Json(_)), "{err:?}");
        assert!(err.to_string().contains("chanels"), "{err}");
        assert!(PushConfig::from_json("not json").is_err());
    }
}
