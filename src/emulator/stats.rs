//! Request counters, served read-only at `GET /__emulator/stats`.

use std::collections::BTreeMap;
use std::sync::Mutex;

use serde::{Deserialize, Serialize};

use super::FaultKind;

/// What `GET /__emulator/stats` returns. Only vendor requests are counted
/// (never `/__emulator/*`).
///
/// ```json
/// {
///   "total": 12,
///   "endpoints": {
///     "POST /flashduty/role/upsert": {"200": 3, "429": 1, "reset": 1},
///     "POST /flashduty/role/info": {"200": 7}
///   },
///   "faults_injected": {"429": 1, "reset": 1}
/// }
/// ```
///
/// * `total`: every vendor request received, including faulted ones.
/// * `endpoints`: keyed by `"METHOD /path"` (full path, vendor prefix included,
///   query string left out), then by outcome: the HTTP status code as a
///   string, `"reset"` / `"lost"` when the client got no response at all,
///   or `"abandoned"` when the client went away before the answer.
/// * `faults_injected`: injected faults by kind (`429`, `500`, `503`, `reset`,
///   `lost`, `delay`). A `delay` request is also counted under its final
///   status, or as `abandoned` when its client gave up first.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatsSnapshot {
    /// Every vendor request received.
    pub total: u64,
    /// `"METHOD /path"` → outcome (`"200"`, `"429"`, `"reset"`, ...) → count.
    pub endpoints: BTreeMap<String, BTreeMap<String, u64>>,
    /// Fault kind (`"500"`, `"lost"`, ...) → how many were injected.
    pub faults_injected: BTreeMap<String, u64>,
}

impl StatsSnapshot {
    /// How many requests to `endpoint` (e.g. `"POST /flashduty/role/info"`)
    /// ended with `outcome` (e.g. `"200"` or `"reset"`).
    pub fn count(&self, endpoint: &str, outcome: &str) -> u64 {
        self.endpoints
            .get(endpoint)
            .and_then(|m| m.get(outcome))
            .copied()
            .unwrap_or(0)
    }

    /// How many requests `endpoint` received, whatever the outcome.
    pub fn endpoint_total(&self, endpoint: &str) -> u64 {
        self.endpoints
            .get(endpoint)
            .map(|m| m.values().sum())
            .unwrap_or(0)
    }

    /// How many faults of `kind` were injected.
    pub fn faults(&self, kind: FaultKind) -> u64 {
        self.faults_injected
            .get(kind.as_str())
            .copied()
            .unwrap_or(0)
    }
}

/// Thread-safe counters behind [`StatsSnapshot`].
#[derive(Debug, Default)]
pub(crate) struct Stats {
    inner: Mutex<StatsSnapshot>,
}

impl Stats {
    /// Counts one finished vendor request.
    pub(crate) fn record(&self, endpoint: &str, outcome: &str) {
        let mut s = self.inner.lock().unwrap();
        s.total += 1;
        *s.endpoints
            .entry(endpoint.to_string())
            .or_default()
            .entry(outcome.to_string())
            .or_default() += 1;
    }

    /// Counts one injected fault.
    pub(crate) fn fault(&self, kind: FaultKind) {
        let mut s = self.inner.lock().unwrap();
        *s.faults_injected
            .entry(kind.as_str().to_string())
            .or_default() += 1;
    }

    pub(crate) fn snapshot(&self) -> StatsSnapshot {
        self.inner.lock().unwrap().clone()
    }

    pub(crate) fn reset(&self) {
        *self.inner.lock().unwrap() = StatsSnapshot::default();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emulator_stats_shape() {
        let s = Stats::default();
        s.record("POST /flashduty/role/upsert", "200");
        s.record("POST /flashduty/role/upsert", "reset");
        s.fault(FaultKind::Reset);
        let snap = s.snapshot();
        assert_eq!(
            serde_json::to_value(&snap).unwrap(),
            serde_json::json!({
                "total": 2,
                "endpoints": {"POST /flashduty/role/upsert": {"200": 1, "reset": 1}},
                "faults_injected": {"reset": 1}
            })
        );
        assert_eq!(snap.endpoint_total("POST /flashduty/role/upsert"), 2);
        assert_eq!(snap.faults(FaultKind::Reset), 1);
        s.reset();
        assert_eq!(s.snapshot(), StatsSnapshot::default());
    }
}
