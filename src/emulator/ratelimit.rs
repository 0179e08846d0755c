//! Per-account rate limiting with a sliding window log: every accepted
//! request's time is kept for the longest window, so a limit such as
//! "50 per second" holds over *any* one-second span, not just aligned ones.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// At most `limit` requests in any span of `window`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateWindow {
    /// Requests allowed per window.
    pub limit: usize,
    /// Window length.
    pub window: Duration,
}

/// Sliding-window-log limiter keyed by account (e.g. `"flashduty:<app_key>"`).
/// Only accepted requests are logged, so a rejected burst does not extend
/// the wait.
#[derive(Debug, Default)]
pub(crate) struct RateLimiter {
    logs: Mutex<HashMap<String, VecDeque<Instant>>>,
}

impl RateLimiter {
    /// Admits one request for `key` now, or says how long until one would be admitted.
    pub(crate) fn check(&self, key: &str, windows: &[RateWindow]) -> Result<(), Duration> {
        self.check_at(key, windows, Instant::now())
    }

    /// [`check`](Self::check) at a given instant (for tests).
    pub(crate) fn check_at(
        &self,
        key: &str,
        windows: &[RateWindow],
        now: Instant,
    ) -> Result<(), Duration> {
        let longest = windows.iter().map(|w| w.window).max().unwrap_or_default();
        let mut logs = self.logs.lock().unwrap();
        let log = logs.entry(key.to_string()).or_default();
        while log
            .front()
            .is_some_and(|t| now.saturating_duration_since(*t) >= longest)
        {
            log.pop_front();
        }
        let mut wait = Duration::ZERO;
        for w in windows {
            let in_window = log
                .iter()
                .rev()
                .take_while(|t| now.saturating_duration_since(**t) < w.window)
                .count();
            if in_window >= w.limit {
                // The request that must age out before another one fits.
                let oldest = log[log.len() - w.limit];
                wait = wait.max(w.window - now.saturating_duration_since(oldest));
            }
        }
        if wait > Duration::ZERO {
            return Err(wait);
        }
        log.push_back(now);
        Ok(())
    }

    /// How many requests `key` made within `window` of now, and how long
    /// until the oldest of them ages out (zero when there are none).
    pub(crate) fn used(&self, key: &str, window: Duration) -> (usize, Duration) {
        let now = Instant::now();
        let logs = self.logs.lock().unwrap();
        let Some(log) = logs.get(key) else {
            return (0, Duration::ZERO);
        };
        let recent: Vec<&Instant> = log
            .iter()
            .filter(|t| now.saturating_duration_since(**t) < window)
            .collect();
        let reset = recent
            .first()
            .map(|t| window - now.saturating_duration_since(**t))
            .unwrap_or_default();
        (recent.len(), reset)
    }

    /// Forgets every logged request.
    pub(crate) fn clear(&self) {
        self.logs.lock().unwrap().clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FLASHDUTY: [RateWindow; 2] = [
        RateWindow {
            limit: 50,
            window: Duration::from_secs(1),
        },
        RateWindow {
            limit: 1000,
            window: Duration::from_secs(60),
        },
    ];

    #[test]
    fn emulator_rate_limit_per_second_is_sliding() {
        let rl = RateLimiter::default();
        let t0 = Instant::now();
        for i in 0..50 {
            rl.check_at("a", &FLASHDUTY, t0 + Duration::from_millis(i * 10))
                .unwrap();
        }
        // 51st within the same second (t0+0.5 s) is refused until t0+1 s.
        let wait = rl
            .check_at("a", &FLASHDUTY, t0 + Duration::from_millis(500))
            .unwrap_err();
        assert_eq!(wait, Duration::from_millis(500));
        // Another account is independent.
        rl.check_at("b", &FLASHDUTY, t0).unwrap();
        // Just after the first request ages out, one more fits, not two.
        let t1 = t0 + Duration::from_millis(1000);
        rl.check_at("a", &FLASHDUTY, t1).unwrap();
        assert!(rl.check_at("a", &FLASHDUTY, t1).is_err());
    }

    #[test]
    fn emulator_rate_limit_per_minute() {
        let rl = RateLimiter::default();
        let t0 = Instant::now();
        // 1000 requests spread 50 per second over 20 s: all fit the 50/s window.
        for i in 0..1000u64 {
            rl.check_at("a", &FLASHDUTY, t0 + Duration::from_millis(i * 20))
                .unwrap();
        }
        let at = t0 + Duration::from_secs(30);
        let wait = rl.check_at("a", &FLASHDUTY, at).unwrap_err();
        assert_eq!(wait, Duration::from_secs(30));
        rl.check_at("a", &FLASHDUTY, t0 + Duration::from_secs(60))
            .unwrap();
        rl.clear();
        rl.check_at("a", &FLASHDUTY, at).unwrap();
    }
}
