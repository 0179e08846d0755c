//! Fault injection settings and the seeded dice that decide each request's fate.

use std::fmt;
use std::str::FromStr;

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde::{Deserialize, Serialize};

/// A fault given to the next `times` requests of one endpoint, whatever the
/// rate: to test consecutive faults on one call (e.g. every lookup after a
/// lost create). Written `"<METHOD> <path>=<kind>[:times]"` on the command
/// line (`--fault-script "GET /rootly/v1/on_call_roles=truncated:3"`); a path
/// ending in `*` matches every path that starts with the rest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScriptedFault {
    /// `"POST /rootly/v1/on_call_roles"`, as in the stats.
    pub endpoint: String,
    pub kind: FaultKind,
    /// How many requests get it (at least 1).
    #[serde(default = "one")]
    pub times: u32,
}

fn one() -> u32 {
    1
}

impl ScriptedFault {
    fn matches(&self, endpoint: &str) -> bool {
        match self.endpoint.strip_suffix('*') {
            Some(prefix) => endpoint.starts_with(prefix),
            None => self.endpoint == endpoint,
        }
    }
}

impl std::str::FromStr for ScriptedFault {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let usage = || format!("`{s}`: write <METHOD> <path>=<fault>[:times]");
        let (endpoint, fault) = s.rsplit_once('=').ok_or_else(usage)?;
        let (kind, times) = match fault.split_once(':') {
            Some((kind, times)) => (kind, times.trim().parse().map_err(|_| usage())?),
            None => (fault, 1),
        };
        let endpoint = endpoint.trim().to_string();
        if times == 0 || !endpoint.contains(' ') {
            return Err(usage());
        }
        Ok(ScriptedFault {
            endpoint,
            kind: kind.parse()?,
            times,
        })
    }
}

/// The fault settings in force, as shown and changed by `/__emulator/faults`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FaultSettings {
    /// Probability (0.0–1.0) that a vendor request gets a fault.
    pub rate: f64,
    /// Faults to choose from, uniformly.
    pub kinds: Vec<FaultKind>,
    /// Stall of the `delay` fault, in milliseconds.
    pub delay_ms: u64,
    /// Latency added to every vendor request, in milliseconds.
    pub latency_ms: u64,
    /// Only requests to this endpoint (`"POST /flashduty/role/upsert"`, as
    /// in the stats) get faults; every vendor request when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub endpoint: Option<String>,
    /// Faults still due to named endpoints, before any random one.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub script: Vec<ScriptedFault>,
}

/// A partial change of [`FaultSettings`]: the body of `POST /__emulator/faults`,
/// e.g. `{"rate": 0.1, "kinds": ["500"], "delay_ms": 2000, "latency_ms": 0}`.
/// Absent fields keep their value; `seed` restarts the fault RNG.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FaultUpdate {
    /// New fault rate.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rate: Option<f64>,
    /// New list of fault kinds (must not be empty).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kinds: Option<Vec<FaultKind>>,
    /// New `delay` stall.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delay_ms: Option<u64>,
    /// New added latency.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub latency_ms: Option<u64>,
    /// Reseed the fault RNG, for a reproducible sequence from here on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seed: Option<u64>,
    /// Limit faults to one endpoint (`"POST /rootly/v1/on_call_roles"`):
    /// `Some(Some(e))`. `null` or `""` lifts the limit (`Some(None)`, or
    /// `Some(Some(""))`); absent (`None`) keeps it.
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    pub endpoint: Option<Option<String>>,
    /// Replaces the scripted faults still due (`[]` clears them).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub script: Option<Vec<ScriptedFault>>,
}

/// A field that is present, even as `null`: serde's `default` alone reads
/// `null` like an absent field, which would leave no way to clear it.
fn present<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Deserialize<'de>,
{
    T::deserialize(deserializer).map(Some)
}

/// Settings plus the RNG; one per emulator, behind a mutex.
#[derive(Debug)]
pub(crate) struct FaultState {
    pub(crate) settings: FaultSettings,
    rng: StdRng,
}

impl FaultState {
    pub(crate) fn new(settings: FaultSettings, seed: u64) -> Self {
        Self {
            settings,
            rng: StdRng::seed_from_u64(seed),
        }
    }

    /// Decides whether this request gets a fault, and which. Every call draws
    /// the same amount of randomness, so a seed replays the same sequence for
    /// the same sequence of requests.
    pub(crate) fn roll(&mut self, endpoint: &str) -> Option<FaultKind> {
        let x: f64 = self.rng.gen();
        let pick = self.rng.gen_range(0..self.settings.kinds.len().max(1));
        let script = &mut self.settings.script;
        if let Some(i) = script.iter().position(|f| f.matches(endpoint)) {
            let kind = script[i].kind;
            script[i].times -= 1;
            if script[i].times == 0 {
                script.remove(i);
            }
            return Some(kind);
        }
        let targeted = self
            .settings
            .endpoint
            .as_deref()
            .is_none_or(|e| e == endpoint);
        (targeted && x < self.settings.rate)
            .then(|| self.settings.kinds.get(pick).copied())
            .flatten()
    }

    /// Applies a [`FaultUpdate`] after checking all of it.
    pub(crate) fn update(&mut self, u: FaultUpdate) -> anyhow::Result<()> {
        if let Some(rate) = u.rate {
            check_fault_rate(rate)?;
        }
        if u.script.iter().flatten().any(|f| f.times == 0) {
            anyhow::bail!("a scripted fault has times = 0: give at least 1");
        }
        if u.kinds.as_ref().is_some_and(|k| k.is_empty()) {
            anyhow::bail!("kinds is empty: give at least one of {}", FaultKind::NAMES);
        }
        let s = &mut self.settings;
        s.rate = u.rate.unwrap_or(s.rate);
        s.kinds = u.kinds.unwrap_or(std::mem::take(&mut s.kinds));
        s.delay_ms = u.delay_ms.unwrap_or(s.delay_ms);
        s.latency_ms = u.latency_ms.unwrap_or(s.latency_ms);
        if let Some(endpoint) = u.endpoint {
            s.endpoint = endpoint.filter(|e| !e.is_empty());
        }
        if let Some(script) = u.script {
            s.script = script;
        }
        if let Some(seed) = u.seed {
            self.rng = StdRng::seed_from_u64(seed);
        }
        Ok(())
    }
}

/// Checks that a fault rate is a probability.
pub fn check_fault_rate(rate: f64) -> anyhow::Result<()> {
    if (0.0..=1.0).contains(&rate) {
        Ok(())
    } else {
        anyhow::bail!("fault rate {rate} is out of range: use a number from 0.0 to 1.0")
    }
}

/// A fault the emulator can inject into a vendor request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum FaultKind {
    /// HTTP 429 with `Retry-After: 1` and the vendor's rate-limit error; not applied.
    #[serde(rename = "429")]
    TooManyRequests,
    /// HTTP 500 with the vendor's internal-error envelope; not applied.
    #[serde(rename = "500")]
    InternalError,
    /// HTTP 503 with the vendor's service-unavailable envelope; not applied.
    #[serde(rename = "503")]
    ServiceUnavailable,
    /// The connection is reset before the request is handled: no response, not applied.
    #[serde(rename = "reset")]
    Reset,
    /// The request is applied, then the connection is dropped instead of responding.
    #[serde(rename = "lost")]
    Lost,
    /// The request stalls for the fault delay, then is handled normally.
    #[serde(rename = "delay")]
    Delay,
    /// The request is applied; the answer keeps its status and headers but
    /// only the first half of its body (a connection cut mid-body).
    #[serde(rename = "truncated")]
    Truncated,
    /// HTTP 502 with an HTML page, as a load balancer in front of the vendor
    /// answers; not applied.
    #[serde(rename = "html")]
    Html,
    /// The request is applied; the answer keeps its status but has an empty body.
    #[serde(rename = "empty")]
    Empty,
    /// The request is applied; the answer is valid JSON of the same shape
    /// whose every value has the wrong type (strings become numbers,
    /// numbers and booleans strings), as an API that changed its contract.
    #[serde(rename = "types")]
    WrongTypes,
    /// No fault: the request is handled normally. Only for scripts, to let
    /// an endpoint's first requests through before its fault (the listing
    /// a provider takes before its first create, say, before the lookups
    /// that follow a lost create); not counted as a fault.
    #[serde(rename = "pass")]
    Pass,
}

impl FaultKind {
    /// Every fault kind, in the order of the CLI's default list.
    pub const ALL: [FaultKind; 6] = [
        FaultKind::TooManyRequests,
        FaultKind::InternalError,
        FaultKind::ServiceUnavailable,
        FaultKind::Reset,
        FaultKind::Lost,
        FaultKind::Delay,
    ];

    /// Malformed answers, only injected when asked for by name.
    pub const MALFORMED: [FaultKind; 4] = [
        FaultKind::Truncated,
        FaultKind::Html,
        FaultKind::Empty,
        FaultKind::WrongTypes,
    ];

    /// The accepted spellings, for help and error messages.
    pub const NAMES: &'static str =
        "429, 500, 503, reset, lost, delay, truncated, html, empty, types, pass";

    /// The wire/CLI name (`"429"`, `"reset"`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            FaultKind::TooManyRequests => "429",
            FaultKind::InternalError => "500",
            FaultKind::ServiceUnavailable => "503",
            FaultKind::Reset => "reset",
            FaultKind::Lost => "lost",
            FaultKind::Delay => "delay",
            FaultKind::Truncated => "truncated",
            FaultKind::Html => "html",
            FaultKind::Empty => "empty",
            FaultKind::WrongTypes => "types",
            FaultKind::Pass => "pass",
        }
    }
}

impl fmt::Display for FaultKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for FaultKind {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        FaultKind::ALL
            .into_iter()
            .chain(FaultKind::MALFORMED)
            .chain([FaultKind::Pass])
            .find(|k| k.as_str().eq_ignore_ascii_case(s.trim()))
            .ok_or_else(|| format!("unknown fault `{s}`: use one of {}", FaultKind::NAMES))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn state(rate: f64, seed: u64) -> FaultState {
        FaultState::new(
            FaultSettings {
                rate,
                kinds: FaultKind::ALL.to_vec(),
                delay_ms: 0,
                latency_ms: 0,
                endpoint: None,
                script: vec![],
            },
            seed,
        )
    }

    #[test]
    fn emulator_scripted_faults_come_first_and_run_out() {
        let mut s = state(0.0, 1);
        s.update(FaultUpdate {
            script: Some(vec![
                "GET /rootly/v1/on_call_roles=truncated:2".parse().unwrap(),
                "GET /slashid/rbac/roles/*=503".parse().unwrap(),
            ]),
            ..Default::default()
        })
        .unwrap();
        assert_eq!(s.roll("POST /rootly/v1/on_call_roles"), None);
        assert_eq!(
            s.roll("GET /rootly/v1/on_call_roles"),
            Some(FaultKind::Truncated)
        );
        assert_eq!(
            s.roll("GET /slashid/rbac/roles/o%2Fr"),
            Some(FaultKind::ServiceUnavailable)
        );
        assert_eq!(
            s.roll("GET /rootly/v1/on_call_roles"),
            Some(FaultKind::Truncated)
        );
        assert_eq!(s.roll("GET /rootly/v1/on_call_roles"), None);
        assert_eq!(s.roll("GET /slashid/rbac/roles/o%2Fr"), None);
        assert!("GET /x=nope".parse::<ScriptedFault>().is_err());
        assert!("GET /x=500:0".parse::<ScriptedFault>().is_err());
        assert!("/x=500".parse::<ScriptedFault>().is_err());
    }

    #[test]
    fn emulator_faults_seed_replays() {
        let seq = |seed| {
            let mut s = state(0.5, seed);
            (0..64).map(|_| s.roll("GET /x")).collect::<Vec<_>>()
        };
        assert_eq!(seq(7), seq(7));
        assert_ne!(seq(7), seq(8));
        let hits = seq(7).iter().filter(|f| f.is_some()).count();
        assert!((16..=48).contains(&hits), "{hits}");
    }

    #[test]
    fn emulator_faults_rate_bounds() {
        assert!((0..100).all(|_| state(0.0, 1).roll("GET /x").is_none()));
        let mut s = state(1.0, 1);
        assert!((0..100).all(|_| s.roll("GET /x").is_some()));
        assert!(s
            .update(FaultUpdate {
                rate: Some(2.0),
                ..Default::default()
            })
            .is_err());
        s.update(FaultUpdate {
            kinds: Some(vec![FaultKind::Delay]),
            ..Default::default()
        })
        .unwrap();
        assert_eq!(s.roll("GET /x"), Some(FaultKind::Delay));
        assert_eq!(s.settings.rate, 1.0);
    }

    #[test]
    fn emulator_fault_kind_round_trips() {
        for k in FaultKind::ALL.into_iter().chain(FaultKind::MALFORMED) {
            assert_eq!(k.as_str().parse::<FaultKind>().unwrap(), k);
            let json = serde_json::to_string(&k).unwrap();
            assert_eq!(json, format!("\"{}\"", k.as_str()));
        }
        assert!("418".parse::<FaultKind>().is_err());
        assert!(check_fault_rate(1.5).is_err());
    }
}
