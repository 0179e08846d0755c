//! `rbac-emulator`: serve the local emulator of the vendors' role APIs.
//!
//! Prints its base URL (e.g. `http://127.0.0.1:43121`) as the first line of
//! stdout, then logs to stderr and serves until SIGINT or SIGTERM.

use std::io::Write;
use std::net::SocketAddr;
use std::path::PathBuf;

use anyhow::Context;
use clap::{Parser, ValueEnum};
use terraform_provider_rbac::emulator::{
    self, check_loopback, Emulator, EmulatorConfig, FaultKind, DEFAULT_FLASHDUTY_APP_KEY,
    DEFAULT_ROOTLY_API_TOKEN, DEFAULT_ROOTLY_RATE_LIMIT, DEFAULT_SLASHID_API_KEY,
    DEFAULT_SLASHID_ORG_ID,
};
use terraform_provider_rbac::emulator::{
    ScriptedFault, DEFAULT_ZENML_API_KEY, DEFAULT_ZENML_TOKEN_TTL_SECS,
};
use tokio::net::TcpListener;

/// Local emulator of the Flashduty role and permission API, SlashID's RBAC
/// API, Rootly's on-call roles and ZenML Pro's roles, for trying and testing
/// terraform-provider-rbac without a vendor account. Flashduty is served
/// under `<URL>/flashduty`, SlashID under `<URL>/slashid`, Rootly under
/// `<URL>/rootly`, ZenML Pro under `<URL>/zenml`; test controls under
/// `<URL>/__emulator` (stats, faults, rate-limit, slashid, zenml,
/// flashduty/members, rootly/users).
///
/// `POST <URL>/__emulator/faults` changes the fault settings while it runs,
/// e.g. `{"rate": 1, "kinds": ["types"], "endpoint": "GET
/// /slashid/rbac/roles"}`: fields left out keep their value; `endpoint`
/// limits random faults to one endpoint, and `"endpoint": null` (or `""`)
/// lifts that limit; `"script": [{"endpoint", "kind", "times"}]` replaces
/// the scripted faults (as --fault-script).
///
/// Seeded Flashduty members: Alice 2476444212131, Bob 5068740052131, Carol
/// 5102993140131, Dave 5230118400131 (pending). Seeded Rootly users: 20001
/// ada@example.com (on-call role Admin; the token's own user), 20002
/// grace@example.com (User), 20003 alan@example.com (none), 20004
/// katherine@example.com (Observer).
#[derive(Debug, Parser)]
#[command(name = "rbac-emulator", version)]
struct Cli {
    /// Address to listen on. Loopback only (127.0.0.1 or [::1]); port 0
    /// picks a free port. The URL is printed as the first line of stdout.
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:0")]
    listen: SocketAddr,

    /// The Flashduty app key clients must send as `?app_key=KEY`; any other
    /// key gets the vendor's 401 Unauthorized.
    #[arg(long, value_name = "KEY", default_value = DEFAULT_FLASHDUTY_APP_KEY)]
    flashduty_app_key: String,

    /// The SlashID organization ID clients must send as `SlashID-OrgID`; role
    /// names are prefixed with `<ID>/`. Another org gets 403.
    #[arg(long, value_name = "ID", default_value = DEFAULT_SLASHID_ORG_ID)]
    slashid_org_id: String,

    /// The SlashID API key clients must send as `SlashID-API-Key`; any other
    /// key gets 401.
    #[arg(long, value_name = "KEY", default_value = DEFAULT_SLASHID_API_KEY)]
    slashid_api_key: String,

    /// For this many milliseconds after a SlashID role or permission is
    /// created, reads of it answer 404 (a stale read from a lagging region).
    #[arg(long, value_name = "N", default_value_t = 0)]
    slashid_stale_read_ms: u64,

    /// Apply the next N successful SlashID writes, then answer them with 408
    /// (consistency not reached within the timeout).
    #[arg(long, value_name = "N", default_value_t = 0)]
    slashid_write_timeouts: u32,

    /// The Rootly API token clients must send as `Authorization: Bearer
    /// TOKEN`; any other token gets a JSON:API 401.
    #[arg(long, value_name = "TOKEN", default_value = DEFAULT_ROOTLY_API_TOKEN)]
    rootly_api_token: String,

    /// Rootly requests allowed per 60 s per token, counted separately for
    /// reads and writes (over it, HTTP 429 and the X-RateLimit-* headers).
    #[arg(long, value_name = "N", default_value_t = DEFAULT_ROOTLY_RATE_LIMIT)]
    rootly_rate_limit: usize,

    /// The ZenML Pro service-account API key that `POST /zenml/auth/login`
    /// (form field `password`) exchanges for a bearer token; any other key
    /// gets 401. ZenML Pro is served under `<URL>/zenml`, with one
    /// organization, 0b5e6a62-6f1d-4c3e-9d7a-2f4c8e1a9b30.
    #[arg(long, value_name = "KEY", default_value = DEFAULT_ZENML_API_KEY)]
    zenml_api_key: String,

    /// Lifetime of a ZenML access token in seconds (the login's
    /// `expires_in`); a short one makes clients renew mid-run.
    #[arg(long, value_name = "SECONDS", default_value_t = DEFAULT_ZENML_TOKEN_TTL_SECS)]
    zenml_token_ttl: u64,

    /// Enforce the vendors' documented rate limits (Flashduty: 50 req/s and
    /// 1000 req/min per app key; over it, HTTP 429 RequestTooFrequently;
    /// Rootly: see --rootly-rate-limit).
    #[arg(long, value_name = "on|off", default_value = "on")]
    rate_limit: OnOff,

    /// Load state from this JSON file if it exists, and save it there
    /// (atomically) after every successful write.
    #[arg(long, value_name = "FILE")]
    state: Option<PathBuf>,

    /// Probability (0.0 to 1.0) of injecting a fault into a vendor request.
    #[arg(long, value_name = "F", default_value_t = 0.0)]
    fault_rate: f64,

    /// Faults to pick from (comma-separated): 429 (with Retry-After: 1), 500,
    /// 503, reset (connection reset, not applied), lost (applied, then the
    /// connection drops), delay (stall --fault-delay-ms, then answer); also, only when named: truncated (applied, half the body), html (502 HTML page, not applied), empty (applied, empty body), types (applied, every JSON value of the wrong type).
    #[arg(
        long,
        value_name = "LIST",
        value_delimiter = ',',
        default_value = "429,500,503,reset,lost,delay"
    )]
    faults: Vec<FaultKind>,

    /// How long the `delay` fault stalls, in milliseconds.
    #[arg(long, value_name = "N", default_value_t = 2000)]
    fault_delay_ms: u64,

    /// A fault for the next requests of one endpoint, whatever --fault-rate:
    /// "<METHOD> <path>=<fault>[:times]", e.g. "GET /rootly/v1/on_call_roles=truncated:3"
    /// (a path ending in * matches every path it starts). Repeatable.
    #[arg(long, value_name = "SPEC")]
    fault_script: Vec<ScriptedFault>,

    /// Seed of the fault RNG, to replay a run (default: random, and logged).
    #[arg(long, value_name = "N")]
    seed: Option<u64>,

    /// Latency added to every vendor request, in milliseconds.
    #[arg(long, value_name = "N", default_value_t = 0)]
    latency_ms: u64,

    /// Log level on stderr: error, warn, info, debug (one line per request) or trace.
    #[arg(long, value_name = "LEVEL", default_value = "info")]
    log_level: tracing::Level,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum OnOff {
    On,
    Off,
}

impl From<Cli> for EmulatorConfig {
    fn from(cli: Cli) -> Self {
        EmulatorConfig {
            listen: cli.listen,
            flashduty_app_key: cli.flashduty_app_key,
            slashid_org_id: cli.slashid_org_id,
            slashid_api_key: cli.slashid_api_key,
            slashid_stale_read_ms: cli.slashid_stale_read_ms,
            slashid_write_timeouts: cli.slashid_write_timeouts,
            rootly_api_token: cli.rootly_api_token,
            rootly_rate_limit: cli.rootly_rate_limit,
            zenml_api_key: cli.zenml_api_key,
            zenml_token_ttl: std::time::Duration::from_secs(cli.zenml_token_ttl),
            rate_limit: matches!(cli.rate_limit, OnOff::On),
            state_file: cli.state,
            fault_rate: cli.fault_rate,
            faults: cli.faults,
            fault_delay_ms: cli.fault_delay_ms,
            fault_script: cli.fault_script,
            seed: cli.seed,
            latency_ms: cli.latency_ms,
        }
    }
}

#[tokio::main]
async fn main() {
    if let Err(e) = run().await {
        eprintln!("rbac-emulator: error: {e:#}");
        std::process::exit(1);
    }
}

async fn run() -> anyhow::Result<()> {
    let cli = Cli::parse();
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_max_level(cli.log_level)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .init();
    let config = EmulatorConfig::from(cli);
    check_loopback(config.listen)?;
    config.validate()?;
    let emu = Emulator::new(config.clone())?;
    let listener = TcpListener::bind(config.listen)
        .await
        .with_context(|| format!("binding {}", config.listen))?;
    let addr = listener.local_addr()?;
    {
        let mut out = std::io::stdout().lock();
        writeln!(out, "http://{addr}")?;
        out.flush()?;
    }
    tracing::info!(
        url = %format!("http://{addr}"),
        seed = emu.seed(),
        state = ?config.state_file,
        rate_limit = config.rate_limit,
        fault_rate = config.fault_rate,
        "rbac-emulator listening (Flashduty under /flashduty, SlashID under /slashid, Rootly under /rootly, ZenML Pro under /zenml)"
    );
    emulator::serve_with_shutdown(emu, listener, shutdown_signal()).await?;
    tracing::info!("rbac-emulator stopped");
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
}
