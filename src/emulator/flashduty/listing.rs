//! What the role and member listings share: the sort field and the clock.

use std::time::{SystemTime, UNIX_EPOCH};

use serde::Deserialize;

/// Sort field of `/role/list`.
#[derive(Debug, Clone, Copy, Default, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OrderBy {
    /// By creation time.
    CreatedAt,
    /// By last update (the default, per the vendor CLI).
    #[default]
    UpdatedAt,
}

/// Now, in Unix seconds.
pub fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}
