//! The ZenML Pro token exchange (docs/vendors/zenml.md, "Transport and auth"): the
//! service-account API key (`ZENPROKEY_…`) is posted to `/auth/login` as the
//! form field `password`, and the answer's `access_token` is sent as a
//! bearer token until shortly before `expires_in` runs out.

use std::time::Duration;

use serde::Deserialize;
use tokio::time::Instant;

/// ASSUMPTION (docs/vendors/zenml.md, "Transport and auth": the login answer is
/// an OAuth token JSON with `access_token`, `token_type` and `expires_in`; the lifetime itself is
/// **unverified**): when `expires_in` is missing, the token is renewed after
/// this long (a 401 renews it sooner).
pub const DEFAULT_TOKEN_LIFETIME: Duration = Duration::from_secs(300);

/// Renew this long before expiry at most; a fifth of the lifetime for
/// short-lived tokens.
const MAX_RENEW_MARGIN: Duration = Duration::from_secs(60);

/// The login answer.
#[derive(Debug, Deserialize)]
pub(crate) struct TokenResponse {
    pub(crate) access_token: String,
    #[serde(default)]
    pub(crate) expires_in: Option<f64>,
}

/// A token and when to stop using it. `Debug` never prints the token.
#[derive(Clone)]
pub(crate) struct CachedToken {
    pub(crate) value: String,
    pub(crate) renew_at: Instant,
}

impl std::fmt::Debug for CachedToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CachedToken")
            .field("value", &crate::http::REDACTED)
            .field("renew_at", &self.renew_at)
            .finish()
    }
}

impl CachedToken {
    /// The token from a login answer received at `now`.
    pub(crate) fn new(response: TokenResponse, now: Instant) -> CachedToken {
        let lifetime = response
            .expires_in
            .filter(|s| s.is_finite() && *s > 0.0)
            .map(|s| Duration::from_secs_f64(s.min(86_400.0 * 365.0)))
            .unwrap_or(DEFAULT_TOKEN_LIFETIME);
        let margin = (lifetime / 5).min(MAX_RENEW_MARGIN);
        CachedToken {
            value: response.access_token,
            renew_at: now + lifetime - margin,
        }
    }

    /// Still good to send.
    pub(crate) fn is_fresh(&self, now: Instant) -> bool {
        now < self.renew_at
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn token(expires_in: Option<f64>) -> (CachedToken, Instant) {
        let now = Instant::now();
        let t = CachedToken::new(
            TokenResponse {
                access_token: "t0k3n".into(),
                expires_in,
            },
            now,
        );
        (t, now)
    }

    #[test]
    fn renews_a_minute_early_or_a_fifth_of_a_short_lifetime() {
        let (t, now) = token(Some(3600.0));
        assert_eq!(t.renew_at - now, Duration::from_secs(3540));
        let (t, now) = token(Some(2.0));
        assert_eq!(t.renew_at - now, Duration::from_millis(1600));
        assert!(t.is_fresh(now));
        assert!(!t.is_fresh(now + Duration::from_secs(2)));
        let (t, now) = token(None);
        assert_eq!(t.renew_at - now, Duration::from_secs(240));
        assert!(!format!("{t:?}").contains("t0k3n"));
    }
}
