//! [`Emulator`]: the state every route shares.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use super::faults::{FaultSettings, FaultState, FaultUpdate};
use super::ratelimit::{RateLimiter, RateWindow};
use super::stats::{Stats, StatsSnapshot};
use super::{flashduty, persist, rootly, slashid, zenml, EmulatorConfig, FaultKind};

/// The emulator's shared state: vendor stores, stats, fault and rate-limit
/// settings. Cheap to clone (an `Arc`). Build the HTTP app with
/// [`crate::emulator::app`].
#[derive(Clone)]
pub struct Emulator {
    inner: Arc<Inner>,
}

struct Inner {
    config: EmulatorConfig,
    seed: u64,
    faults: Mutex<FaultState>,
    rate_limit: AtomicBool,
    limiter: RateLimiter,
    stats: Stats,
    flashduty: Mutex<flashduty::Store>,
    slashid: Mutex<slashid::Store>,
    rootly: Mutex<rootly::Store>,
    zenml: Mutex<zenml::Store>,
    /// Serialises state-file writes so that an older snapshot never lands
    /// after a newer one.
    persist_lock: Mutex<()>,
}

impl Emulator {
    /// Builds the state, loading `config.state_file` if it exists.
    pub fn new(config: EmulatorConfig) -> anyhow::Result<Self> {
        config.validate()?;
        let loaded = match &config.state_file {
            Some(path) => persist::load(path)?,
            None => None,
        }
        .unwrap_or_default();
        let seed = config.seed.unwrap_or_else(rand::random);
        let faults = FaultSettings {
            rate: config.fault_rate,
            kinds: config.faults.clone(),
            delay_ms: config.fault_delay_ms,
            latency_ms: config.latency_ms,
            endpoint: None,
            script: config.fault_script.clone(),
        };
        let flashduty = loaded
            .flashduty
            .map(flashduty::Store::repaired)
            .unwrap_or_else(flashduty::Store::seeded);
        let mut slashid = loaded.slashid.unwrap_or_else(slashid::Store::seeded);
        slashid.consistency = slashid::Consistency {
            write_timeouts: config.slashid_write_timeouts,
            stale_read_ms: config.slashid_stale_read_ms,
        };
        let rootly = loaded
            .rootly
            .map(rootly::Store::repaired)
            .unwrap_or_else(rootly::Store::seeded);
        let zenml = loaded
            .zenml
            .map(zenml::Store::repaired)
            .unwrap_or_else(zenml::Store::seeded);
        let emu = Self {
            inner: Arc::new(Inner {
                rate_limit: AtomicBool::new(config.rate_limit),
                config,
                seed,
                faults: Mutex::new(FaultState::new(faults, seed)),
                limiter: RateLimiter::default(),
                stats: Stats::default(),
                flashduty: Mutex::new(flashduty),
                slashid: Mutex::new(slashid),
                rootly: Mutex::new(rootly),
                zenml: Mutex::new(zenml),
                persist_lock: Mutex::new(()),
            }),
        };
        // Written once at start, so that an unwritable path fails here
        // rather than on every write.
        emu.save_state()?;
        Ok(emu)
    }

    /// The options it was built with (fault and rate-limit settings may
    /// have changed since; see [`fault_settings`](Self::fault_settings)).
    pub fn config(&self) -> &EmulatorConfig {
        &self.inner.config
    }

    /// The fault RNG's initial seed (random unless configured): log it to
    /// replay a run with `--seed`.
    pub fn seed(&self) -> u64 {
        self.inner.seed
    }

    /// A copy of the request counters.
    pub fn stats_snapshot(&self) -> StatsSnapshot {
        self.inner.stats.snapshot()
    }

    /// Zeroes the request counters.
    pub fn reset_stats(&self) {
        self.inner.stats.reset();
    }

    /// The fault settings in force.
    pub fn fault_settings(&self) -> FaultSettings {
        self.inner.faults.lock().unwrap().settings.clone()
    }

    /// Changes fault settings; the whole update is refused if any part is invalid.
    pub fn update_faults(&self, update: FaultUpdate) -> anyhow::Result<FaultSettings> {
        let mut f = self.inner.faults.lock().unwrap();
        f.update(update)?;
        Ok(f.settings.clone())
    }

    /// The SlashID consistency simulation in force (408s still to give,
    /// stale-read window).
    pub fn slashid_consistency(&self) -> slashid::Consistency {
        self.slashid().consistency
    }

    /// Replaces the SlashID consistency simulation.
    pub fn set_slashid_consistency(&self, consistency: slashid::Consistency) {
        self.slashid().consistency = consistency;
    }

    /// Whether vendor rate limits are enforced.
    pub fn rate_limit_enabled(&self) -> bool {
        self.inner.rate_limit.load(Ordering::SeqCst)
    }

    /// Turns rate limiting on or off; either way the request logs start empty.
    pub fn set_rate_limit(&self, enabled: bool) {
        self.inner.rate_limit.store(enabled, Ordering::SeqCst);
        self.inner.limiter.clear();
    }

    /// Admits one request for `account` (a vendor-qualified key such as
    /// `"flashduty:<app_key>"`) under `windows`, or returns how long to wait.
    /// Always admits when rate limiting is off.
    pub fn rate_limit(&self, account: &str, windows: &[RateWindow]) -> Result<(), Duration> {
        if !self.rate_limit_enabled() {
            return Ok(());
        }
        self.inner.limiter.check(account, windows)
    }

    /// How many requests `account` made in the last `window.window` (zero
    /// when rate limiting is off), and how long until the oldest ages out.
    pub fn rate_usage(&self, account: &str, window: RateWindow) -> (usize, Duration) {
        if !self.rate_limit_enabled() {
            return (0, Duration::ZERO);
        }
        self.inner.limiter.used(account, window.window)
    }

    /// Rolls the dice for one vendor request; also returns the settings it used.
    pub(crate) fn roll_fault(&self, endpoint: &str) -> (Option<FaultKind>, FaultSettings) {
        let mut f = self.inner.faults.lock().unwrap();
        let fault = f.roll(endpoint);
        (fault, f.settings.clone())
    }

    pub(crate) fn stats(&self) -> &Stats {
        &self.inner.stats
    }

    /// The Flashduty account's store.
    pub(crate) fn flashduty(&self) -> MutexGuard<'_, flashduty::Store> {
        self.inner.flashduty.lock().unwrap()
    }

    /// The SlashID organization's store.
    pub(crate) fn slashid(&self) -> MutexGuard<'_, slashid::Store> {
        self.inner.slashid.lock().unwrap()
    }

    /// The Rootly organisation's store.
    pub(crate) fn rootly(&self) -> MutexGuard<'_, rootly::Store> {
        self.inner.rootly.lock().unwrap()
    }

    /// The ZenML Pro store (organizations, roles, assignments, tokens).
    pub(crate) fn zenml(&self) -> MutexGuard<'_, zenml::Store> {
        self.inner.zenml.lock().unwrap()
    }

    /// Invalidates every ZenML access token; returns how many there were.
    pub fn revoke_zenml_tokens(&self) -> usize {
        self.zenml().revoke_tokens()
    }

    /// Writes the state file, if there is one. Call after every successful
    /// write request. A failure is logged, not returned: the write has
    /// already happened in memory.
    pub(crate) fn persist(&self) {
        if let Err(e) = self.save_state() {
            tracing::error!(error = format!("{e:#}"), "could not save emulator state");
        }
    }

    fn save_state(&self) -> anyhow::Result<()> {
        let Some(path) = &self.inner.config.state_file else {
            return Ok(());
        };
        let _guard = self.inner.persist_lock.lock().unwrap();
        let state = persist::PersistedState {
            flashduty: Some(self.flashduty().clone()),
            slashid: Some(self.slashid().clone()),
            rootly: Some(self.rootly().clone()),
            zenml: Some(self.zenml().clone()),
        };
        persist::save(path, &state)
    }
}
