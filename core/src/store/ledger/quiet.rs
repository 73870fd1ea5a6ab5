//! The user's "not now": a muted conversation, and quiet hours (a daily
//! wall-clock window in an IANA time zone). Both live in the ledger's file,
//! so a push handled by any process (a killed app's service, an extension)
//! obeys them, and both are read in the received path's one guard read.
//!
//! Quiet hours are wall-clock times: "22:00 to 07:00 in Europe/Berlin" is
//! evaluated by converting now into that zone with its rules (jiff's
//! bundled tz database), so the window follows DST changes: on the night
//! clocks go forward it is an hour shorter in real time, on the night they
//! go back an hour longer, and a window inside the skipped hour never
//! happens that night.

use super::Ledger;
use crate::error::{invalid_input, PushError, Result};
use jiff::tz::TimeZone;
use jiff::Timestamp;
use rusqlite::{params, Connection, OptionalExtension};

/// Minutes in a day; quiet-hour bounds are minutes after local midnight.
pub const MINUTES_PER_DAY: u16 = 24 * 60;
/// The longest time zone name accepted (the longest IANA name is 32).
pub const MAX_TIMEZONE_BYTES: usize = 64;

/// What quiet hours do to a message that would be shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QuietPolicy {
    /// Shown in the shade without sound, vibration or heads-up (the
    /// default): nothing is lost, nothing wakes anyone.
    ShowSilently,
    /// Not shown; the message is left to the app's own inbox.
    Suppress,
}

impl QuietPolicy {
    fn code(self) -> i64 {
        match self {
            QuietPolicy::ShowSilently => 1,
            QuietPolicy::Suppress => 2,
        }
    }

    pub(super) fn from_code(code: i64) -> QuietPolicy {
        if code == 2 {
            QuietPolicy::Suppress
        } else {
            QuietPolicy::ShowSilently
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            QuietPolicy::ShowSilently => "show_silently",
            QuietPolicy::Suppress => "suppress",
        }
    }
}

/// A daily quiet window, `[start, end)` in local minutes after midnight;
/// `start > end` spans midnight.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuietHours {
    pub start_minute: u16,
    pub end_minute: u16,
    /// An IANA zone name, e.g. "Europe/Berlin".
    pub timezone: String,
    pub policy: QuietPolicy,
    /// Calls are let through quiet hours unless the user asked for this.
    pub silence_calls: bool,
}

impl QuietHours {
    /// Checks the bounds and resolves the zone (`invalid_input` otherwise).
    pub fn zone(&self) -> Result<TimeZone, PushError> {
        for (name, minute) in [("start", self.start_minute), ("end", self.end_minute)] {
            if minute >= MINUTES_PER_DAY {
                return Err(invalid_input(format!(
                    "quiet hours {name} is minute {minute}; it must be 0 to 1439"
                )));
            }
        }
        if self.start_minute == self.end_minute {
            return Err(invalid_input(
                "quiet hours start and end are equal: an empty (or whole-day) window; \
                 clear quiet hours or mute instead",
            ));
        }
        if self.timezone.len() > MAX_TIMEZONE_BYTES || self.timezone.trim().is_empty() {
            return Err(invalid_input("timezone must be an IANA zone name"));
        }
        TimeZone::get(&self.timezone)
            .map_err(|_| invalid_input(format!("unknown time zone {:?}", self.timezone)))
    }

    /// Whether `now_ms` falls in the window, in `zone` (this window's).
    pub fn contains(&self, zone: &TimeZone, now_ms: i64) -> bool {
        let Ok(now) = Timestamp::from_millisecond(now_ms) else {
            return false;
        };
        let local = now.to_zoned(zone.clone()).datetime();
        let minute = (local.hour() as u16) * 60 + local.minute() as u16;
        if self.start_minute < self.end_minute {
            (self.start_minute..self.end_minute).contains(&minute)
        } else {
            minute >= self.start_minute || minute < self.end_minute
        }
    }
}

/// What the guard read found about mutes and quiet hours.
#[derive(Debug, Clone, Default)]
pub struct Quiet {
    /// The message's conversation is muted now.
    pub muted: bool,
    /// Quiet hours are set (whether or not they are on now).
    pub hours: Option<QuietHours>,
}

/// How a message that passed the guard is to be presented.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Presentation {
    Normal,
    Silent,
    Muted,
    QuietHours,
}

const SET_MUTED: &str = "INSERT INTO ledger_muted(conversation, until_ms) VALUES (?1, ?2)
     ON CONFLICT(conversation) DO UPDATE SET until_ms = excluded.until_ms";
const UNMUTE: &str = "DELETE FROM ledger_muted WHERE conversation = ?1";
const MUTED_LIST: &str = "SELECT conversation, until_ms FROM ledger_muted
     WHERE until_ms IS NULL OR until_ms > ?1 ORDER BY conversation LIMIT ?2";
const SET_QUIET: &str = "INSERT INTO ledger_quiet_hours(id, start_minute, end_minute, timezone,
         policy, silence_calls) VALUES (1, ?1, ?2, ?3, ?4, ?5)
     ON CONFLICT(id) DO UPDATE SET start_minute = excluded.start_minute,
         end_minute = excluded.end_minute, timezone = excluded.timezone,
         policy = excluded.policy, silence_calls = excluded.silence_calls";
const CLEAR_QUIET: &str = "DELETE FROM ledger_quiet_hours";
const QUIET: &str = "SELECT start_minute, end_minute, timezone, policy, silence_calls
     FROM ledger_quiet_hours WHERE id = 1";

/// A conversation muted until a time (`None`: until unmuted).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mute {
    pub conversation: String,
    pub until_ms: Option<i64>,
}

impl Ledger {
    /// Mutes `conversation` until `until_ms` (`None`: until unmuted); a
    /// time not after now unmutes. Expiry is read against the store's
    /// clock when a message arrives, so nothing needs to run at expiry.
    pub fn set_muted(&self, conversation: &str, until_ms: Option<i64>) -> Result<()> {
        if until_ms.is_some_and(|t| t < 0) {
            return Err(invalid_input("until_ms must not be negative").into());
        }
        let conversation = super::bounded(conversation);
        let now = self.store.clock().now_ms();
        self.store.with_conn(|conn| {
            match until_ms {
                Some(t) if t <= now => conn.prepare_cached(UNMUTE)?.execute([&conversation])?,
                _ => conn
                    .prepare_cached(SET_MUTED)?
                    .execute(params![conversation, until_ms])?,
            };
            Ok(())
        })
    }

    /// The conversations muted now (at most `limit`).
    pub fn mutes(&self, limit: u32) -> Result<Vec<Mute>> {
        let now = self.store.clock().now_ms();
        self.store.with_conn(|conn| {
            let mut stmt = conn.prepare_cached(MUTED_LIST)?;
            let rows = stmt.query_map(params![now, limit], |r| {
                Ok(Mute {
                    conversation: r.get(0)?,
                    until_ms: r.get(1)?,
                })
            })?;
            Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
        })
    }

    /// Sets (replaces) the quiet hours; `invalid_input` for bad bounds or
    /// an unknown zone, and nothing is stored then.
    pub fn set_quiet_hours(&self, hours: &QuietHours) -> Result<()> {
        let zone = hours.zone()?;
        self.store.with_conn(|conn| {
            conn.prepare_cached(SET_QUIET)?.execute(params![
                hours.start_minute,
                hours.end_minute,
                hours.timezone,
                hours.policy.code(),
                hours.silence_calls,
            ])?;
            Ok(())
        })?;
        self.remember_zone(&hours.timezone, zone);
        Ok(())
    }

    pub fn clear_quiet_hours(&self) -> Result<()> {
        self.store.with_conn(|conn| {
            conn.prepare_cached(CLEAR_QUIET)?.execute([])?;
            Ok(())
        })
    }

    pub fn quiet_hours(&self) -> Result<Option<QuietHours>> {
        self.store.with_conn(|conn| Ok(quiet_hours_in(conn)?))
    }

    /// How a message passing the guard is presented: muted (not for
    /// calls), quiet hours by policy (calls only with `silence_calls`), or
    /// normally. A zone that no longer resolves (a tz database update
    /// removed it) means no quiet hours, logged: better a sound than a loss.
    pub fn presentation(&self, quiet: &Quiet, is_call: bool) -> Presentation {
        if quiet.muted && !is_call {
            return Presentation::Muted;
        }
        let Some(hours) = &quiet.hours else {
            return Presentation::Normal;
        };
        if is_call && !hours.silence_calls {
            return Presentation::Normal;
        }
        let Some(zone) = self.zone_of(&hours.timezone) else {
            return Presentation::Normal;
        };
        if !hours.contains(&zone, self.store.clock().now_ms()) {
            return Presentation::Normal;
        }
        match hours.policy {
            QuietPolicy::ShowSilently => Presentation::Silent,
            QuietPolicy::Suppress => Presentation::QuietHours,
        }
    }

    /// The zone for `name`, resolved once per name and process.
    fn zone_of(&self, name: &str) -> Option<TimeZone> {
        let mut cached = super::lock(&self.zone);
        if let Some((cached_name, zone)) = cached.as_ref() {
            if cached_name == name {
                return Some(zone.clone());
            }
        }
        match TimeZone::get(name) {
            Ok(zone) => {
                *cached = Some((name.to_string(), zone.clone()));
                Some(zone)
            }
            Err(e) => {
                log::warn!(target: "pushcore::ledger", "quiet hours ignored: zone {name:?}: {e}");
                None
            }
        }
    }

    fn remember_zone(&self, name: &str, zone: TimeZone) {
        *super::lock(&self.zone) = Some((name.to_string(), zone));
    }
}

pub(super) fn quiet_hours_in(conn: &Connection) -> rusqlite::Result<Option<QuietHours>> {
    conn.prepare_cached(QUIET)?
        .query_row([], |r| {
            Ok(QuietHours {
                start_minute: r.get(0)?,
                end_minute: r.get(1)?,
                timezone: r.get(2)?,
                policy: QuietPolicy::from_code(r.get(3)?),
                silence_calls: r.get(4)?,
            })
        })
        .optional()
}
