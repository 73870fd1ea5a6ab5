//! The push channels PushCore knows, with the ids the IM backend uses for
//! them (push-facts.md section 1). Choosing a channel for a device lives in
//! the registration module; this module only names them.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// A system push channel.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, uniffi::Enum,
)]
#[serde(rename_all = "snake_case")]
pub enum PushChannel {
    Xiaomi,
    Huawei,
    Honor,
    Oppo,
    Vivo,
    Meizu,
    Fcm,
    Apns,
}

impl PushChannel {
    /// Every channel, Android vendors first, in a stable order.
    pub const ALL: [PushChannel; 8] = [
        PushChannel::Xiaomi,
        PushChannel::Huawei,
        PushChannel::Honor,
        PushChannel::Oppo,
        PushChannel::Vivo,
        PushChannel::Meizu,
        PushChannel::Fcm,
        PushChannel::Apns,
    ];

    /// The snake_case name used in JSON, the CLI and config field paths.
    pub fn as_str(self) -> &'static str {
        match self {
            PushChannel::Xiaomi => "xiaomi",
            PushChannel::Huawei => "huawei",
            PushChannel::Honor => "honor",
            PushChannel::Oppo => "oppo",
            PushChannel::Vivo => "vivo",
            PushChannel::Meizu => "meizu",
            PushChannel::Fcm => "fcm",
            PushChannel::Apns => "apns",
        }
    }

    /// The vendor id the IM backend uses for this channel; APNs has none.
    pub fn vendor_id(self) -> Option<u32> {
        match self {
            PushChannel::Xiaomi => Some(2000),
            PushChannel::Huawei => Some(2001),
            PushChannel::Fcm => Some(2002),
            PushChannel::Meizu => Some(2003),
            PushChannel::Oppo => Some(2004),
            PushChannel::Vivo => Some(2005),
            PushChannel::Honor => Some(2006),
            PushChannel::Apns => None,
        }
    }

    pub fn is_android(self) -> bool {
        self != PushChannel::Apns
    }

    /// The name of a channel that may be unknown (a tap whose shape fits
    /// none): `"unknown"` in logs, the CLI and dedup sources.
    pub fn name_or_unknown(channel: Option<PushChannel>) -> &'static str {
        channel.map_or("unknown", PushChannel::as_str)
    }
}

impl fmt::Display for PushChannel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for PushChannel {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        PushChannel::ALL
            .into_iter()
            .find(|c| c.as_str().eq_ignore_ascii_case(s))
            .ok_or_else(|| {
                format!(
                    "unknown channel `{s}` (expected one of {})",
                    PushChannel::ALL.map(|c| c.as_str()).join(", ")
                )
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vendor_ids_match_push_facts() {
        let table = [
            (PushChannel::Xiaomi, Some(2000)),
            (PushChannel::Huawei, Some(2001)),
            (PushChannel::Fcm, Some(2002)),
            (PushChannel::Meizu, Some(2003)),
            (PushChannel::Oppo, Some(2004)),
            (PushChannel::Vivo, Some(2005)),
            (PushChannel::Honor, Some(2006)),
            (PushChannel::Apns, None),
        ];
        for (channel, id) in table {
            assert_eq!(channel.vendor_id(), id, "{channel}");
        }
    }

    #[test]
    fn names_round_trip_through_str_and_serde() {
        for channel in PushChannel::ALL {
            assert_eq!(channel.as_str().parse::<PushChannel>(), Ok(channel));
            let json = serde_json::to_string(&channel).unwrap();
            assert_eq!(json, format!("\"{}\"", channel.as_str()));
        }
        assert!("nokia".parse::<PushChannel>().is_err());
        assert_eq!("OPPO".parse::<PushChannel>(), Ok(PushChannel::Oppo));
    }
}
