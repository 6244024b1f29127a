//! Repeated failed sign-ins slow down: after a few failures for one user name
//! (or from one address), further tries wait, longer each time.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Failures allowed before waiting starts.
pub const FREE_FAILURES: u32 = 5;
/// The first wait; it doubles with each further failure, up to `MAX_WAIT`.
const FIRST_WAIT: Duration = Duration::from_secs(30);
const MAX_WAIT: Duration = Duration::from_secs(15 * 60);
/// A quiet spell this long forgets earlier failures.
const FORGET_AFTER: Duration = Duration::from_secs(60 * 60);

#[derive(Debug, Default)]
pub struct SignInThrottle {
    entries: Mutex<HashMap<String, Entry>>,
}

#[derive(Debug, Clone, Copy)]
struct Entry {
    failures: u32,
    last_failure: Instant,
    blocked_until: Option<Instant>,
}

impl SignInThrottle {
    /// `Err(wait)` if `key` must wait before trying again.
    pub fn check(&self, key: &str, now: Instant) -> Result<(), Duration> {
        let entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        match entries.get(key).and_then(|e| e.blocked_until) {
            Some(until) if until > now => Err(until - now),
            _ => Ok(()),
        }
    }

    pub fn failed(&self, key: &str, now: Instant) {
        let mut entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        // Keep the map bounded: drop what has gone quiet.
        if entries.len() > 10_000 {
            entries.retain(|_, e| now.duration_since(e.last_failure) < FORGET_AFTER);
        }
        let entry = entries.entry(key.to_string()).or_insert(Entry {
            failures: 0,
            last_failure: now,
            blocked_until: None,
        });
        if now.duration_since(entry.last_failure) > FORGET_AFTER {
            entry.failures = 0;
        }
        entry.failures += 1;
        entry.last_failure = now;
        if entry.failures >= FREE_FAILURES {
            let doublings = (entry.failures - FREE_FAILURES).min(16);
            let wait = FIRST_WAIT.saturating_mul(1 << doublings).min(MAX_WAIT);
            entry.blocked_until = Some(now + wait);
        }
    }

    pub fn succeeded(&self, key: &str) {
        let mut entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        entries.remove(key);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waits_start_after_the_free_failures_and_grow() {
        let throttle = SignInThrottle::default();
        let t0 = Instant::now();
        for _ in 0..FREE_FAILURES - 1 {
            throttle.failed("ana", t0);
            assert!(throttle.check("ana", t0).is_ok());
        }
        throttle.failed("ana", t0);
        let first = throttle.check("ana", t0).expect_err("blocked");
        assert_eq!(first, FIRST_WAIT);
        throttle.failed("ana", t0);
        assert_eq!(throttle.check("ana", t0).expect_err("blocked"), FIRST_WAIT * 2);
        assert!(throttle.check("ana", t0 + MAX_WAIT).is_ok());
        assert!(throttle.check("bo", t0).is_ok());
        throttle.succeeded("ana");
        assert!(throttle.check("ana", t0).is_ok());
    }
}
