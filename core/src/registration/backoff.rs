//! Retry delays: exponential, capped, with jitter so that many phones that
//! lost the backend at the same moment do not come back at the same moment.
//! The randomness comes from a tiny seeded generator, so tests replay.

use crate::config::RetryPolicy;
use std::time::Duration;

/// No retry comes sooner than this, whatever the policy says.
const MIN_DELAY: Duration = Duration::from_millis(10);

/// SplitMix64: a few lines, good enough for jitter, and seedable.
#[derive(Debug, Clone)]
pub struct Jitter(u64);

impl Jitter {
    pub fn seeded(seed: u64) -> Self {
        Jitter(seed)
    }

    /// Seeded from the clock and an address, for production use.
    pub fn from_entropy() -> Self {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos() as u64)
            .unwrap_or(0);
        let local = 0u8;
        Jitter(nanos ^ (std::ptr::addr_of!(local) as u64).rotate_left(32))
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    pub fn next_unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// The delay before retry number `attempt` (1 for the first retry):
/// `initial * multiplier^(attempt-1)`, capped at `max_delay_ms`, then
/// shortened by up to `jitter` of itself. Never above the cap.
pub fn retry_delay(policy: &RetryPolicy, attempt: u32, jitter: &mut Jitter) -> Duration {
    let exponent = attempt.saturating_sub(1).min(1_000) as i32;
    let max = policy.max_delay_ms as f64;
    let base =
        (policy.initial_delay_ms as f64 * policy.multiplier.max(1.0).powi(exponent)).min(max);
    let base = if base.is_finite() { base } else { max };
    let spread = policy.jitter.clamp(0.0, 1.0);
    let ms = base * (1.0 - spread * jitter.next_unit());
    Duration::from_millis(ms as u64).max(MIN_DELAY)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy(jitter: f64) -> RetryPolicy {
        RetryPolicy {
            initial_delay_ms: 1_000,
            max_delay_ms: 60_000,
            multiplier: 2.0,
            jitter,
            ..Default::default()
        }
    }

    #[test]
    fn grows_exponentially_and_stops_at_the_cap() {
        let mut j = Jitter::seeded(1);
        let delays: Vec<u64> = (1..=10)
            .map(|a| retry_delay(&policy(0.0), a, &mut j).as_millis() as u64)
            .collect();
        assert_eq!(
            delays,
            [1_000, 2_000, 4_000, 8_000, 16_000, 32_000, 60_000, 60_000, 60_000, 60_000]
        );
        assert_eq!(
            retry_delay(&policy(0.0), u32::MAX, &mut j),
            Duration::from_secs(60)
        );
    }

    #[test]
    fn jitter_stays_within_its_fraction_and_replays_from_a_seed() {
        let p = policy(0.5);
        let mut a = Jitter::seeded(42);
        let mut b = Jitter::seeded(42);
        let mut distinct = std::collections::HashSet::new();
        for attempt in 1..=2_000u32 {
            let d = retry_delay(&p, attempt % 12 + 1, &mut a);
            assert_eq!(d, retry_delay(&p, attempt % 12 + 1, &mut b));
            let base = (1_000u64 << (attempt % 12)).min(60_000);
            let ms = d.as_millis() as u64;
            assert!(
                ms <= base && ms >= base / 2,
                "attempt {attempt}: {ms} vs {base}"
            );
            distinct.insert(ms);
        }
        assert!(
            distinct.len() > 500,
            "jitter barely varies: {}",
            distinct.len()
        );
    }

    #[test]
    fn unit_values_are_in_range() {
        let mut j = Jitter::from_entropy();
        for _ in 0..10_000 {
            let u = j.next_unit();
            assert!((0.0..1.0).contains(&u));
        }
    }
}
