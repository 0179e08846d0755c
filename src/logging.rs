//! Provider logs for Terraform's plugin host.
//!
//! Terraform reads a plugin's stderr and re-logs every line that is an
//! hclog JSON object (`@level`, `@message`, `@module`, `@timestamp`) at that
//! level, so `TF_LOG=debug` or `TF_LOG_PROVIDER=trace` show our events where
//! the user asked for them. tf-provider only logs to PLUGIN_LOG_FILE (see
//! ARCHITECTURE.md, "Terraform's types"), so we install this subscriber ourselves.

use std::fmt::Write as _;
use std::time::{SystemTime, UNIX_EPOCH};

use serde_json::{Map, Value};
use tracing::field::{Field, Visit};
use tracing::{Event, Level, Subscriber};
use tracing_subscriber::filter::{LevelFilter, Targets};
use tracing_subscriber::layer::{Context, SubscriberExt};
use tracing_subscriber::util::SubscriberInitExt;
use tracing_subscriber::Layer;

/// The level asked for by `TF_LOG_PROVIDER`, else `TF_LOG` (as Go providers
/// do); off when neither is set.
pub fn level_from_env(provider: Option<&str>, global: Option<&str>) -> LevelFilter {
    let pick = provider
        .filter(|v| !v.trim().is_empty())
        .or(global.filter(|v| !v.trim().is_empty()));
    match pick.map(|v| v.trim().to_ascii_uppercase()) {
        Some(v) if v == "TRACE" || v == "JSON" => LevelFilter::TRACE,
        Some(v) if v == "DEBUG" => LevelFilter::DEBUG,
        Some(v) if v == "INFO" => LevelFilter::INFO,
        Some(v) if v == "WARN" => LevelFilter::WARN,
        Some(v) if v == "ERROR" => LevelFilter::ERROR,
        Some(v) if v == "OFF" => LevelFilter::OFF,
        // Terraform treats any other non-empty value as TRACE.
        Some(_) => LevelFilter::TRACE,
        None => LevelFilter::OFF,
    }
}

/// Installs the hclog JSON subscriber on stderr at the level from the
/// environment. Our own events follow that level; dependencies (gRPC, HTTP
/// internals) only show at TRACE, or from WARN up.
pub fn init() {
    let level = level_from_env(
        std::env::var("TF_LOG_PROVIDER").ok().as_deref(),
        std::env::var("TF_LOG").ok().as_deref(),
    );
    let deps = if level == LevelFilter::TRACE {
        LevelFilter::TRACE
    } else {
        level.min(LevelFilter::WARN)
    };
    let filter = Targets::new()
        .with_default(deps)
        .with_target("terraform_provider_rbac", level);
    let _ = tracing_subscriber::registry()
        .with(HclogLayer::new(std::io::stderr).with_filter(filter))
        .try_init();
}

/// A tracing layer that writes one hclog JSON object per event.
pub struct HclogLayer<W> {
    make_writer: W,
}

impl<W> HclogLayer<W> {
    /// Writes each line to the writer that `make_writer` returns.
    pub fn new(make_writer: W) -> Self {
        Self { make_writer }
    }
}

impl<S, W, O> Layer<S> for HclogLayer<W>
where
    S: Subscriber,
    W: Fn() -> O + 'static,
    O: std::io::Write,
{
    fn on_event(&self, event: &Event<'_>, _ctx: Context<'_, S>) {
        let line = format_event(event, SystemTime::now());
        let mut out = (self.make_writer)();
        let _ = out.write_all(line.as_bytes());
    }
}

fn hclog_level(level: &Level) -> &'static str {
    match *level {
        Level::TRACE => "trace",
        Level::DEBUG => "debug",
        Level::INFO => "info",
        Level::WARN => "warn",
        Level::ERROR => "error",
    }
}

/// One event as an hclog JSON line (with the trailing newline).
pub fn format_event(event: &Event<'_>, now: SystemTime) -> String {
    let mut fields = FieldVisitor::default();
    event.record(&mut fields);
    let mut obj = Map::new();
    obj.insert(
        "@level".into(),
        hclog_level(event.metadata().level()).into(),
    );
    obj.insert(
        "@message".into(),
        fields.message.take().unwrap_or_default().into(),
    );
    obj.insert("@module".into(), "rbac".into());
    obj.insert("@timestamp".into(), rfc3339_micros(now).into());
    if event.metadata().target() != "terraform_provider_rbac"
        && !event
            .metadata()
            .target()
            .starts_with("terraform_provider_rbac::")
    {
        obj.insert("target".into(), event.metadata().target().into());
    }
    for (k, v) in fields.fields {
        obj.entry(k).or_insert(v);
    }
    let mut line = Value::Object(obj).to_string();
    line.push('\n');
    line
}

#[derive(Default)]
struct FieldVisitor {
    message: Option<String>,
    fields: Vec<(String, Value)>,
}

impl Visit for FieldVisitor {
    fn record_str(&mut self, field: &Field, value: &str) {
        self.put(field, Value::from(value));
    }
    fn record_i64(&mut self, field: &Field, value: i64) {
        self.put(field, Value::from(value));
    }
    fn record_u64(&mut self, field: &Field, value: u64) {
        self.put(field, Value::from(value));
    }
    fn record_bool(&mut self, field: &Field, value: bool) {
        self.put(field, Value::from(value));
    }
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        self.put(field, Value::from(format!("{value:?}")));
    }
}

impl FieldVisitor {
    fn put(&mut self, field: &Field, value: Value) {
        if field.name() == "message" {
            self.message = Some(match value {
                Value::String(s) => s,
                other => other.to_string(),
            });
        } else {
            self.fields.push((field.name().to_string(), value));
        }
    }
}

/// `2006-01-02T15:04:05.000000Z`, the timestamp format hclog writes.
fn rfc3339_micros(now: SystemTime) -> String {
    let d = now.duration_since(UNIX_EPOCH).unwrap_or_default();
    let secs = d.as_secs() as i64;
    let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    // Civil-from-days (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    let mut s = String::with_capacity(27);
    let _ = write!(
        s,
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{:06}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60,
        d.subsec_micros()
    );
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::{Arc, Mutex};
    use std::time::Duration;

    #[test]
    fn levels_follow_terraform_env_vars() {
        assert_eq!(level_from_env(None, None), LevelFilter::OFF);
        assert_eq!(level_from_env(None, Some("debug")), LevelFilter::DEBUG);
        assert_eq!(
            level_from_env(Some("warn"), Some("trace")),
            LevelFilter::WARN
        );
        assert_eq!(level_from_env(Some(""), Some("JSON")), LevelFilter::TRACE);
        assert_eq!(level_from_env(None, Some("yes")), LevelFilter::TRACE);
    }

    #[test]
    fn timestamps_are_rfc3339() {
        let t = UNIX_EPOCH + Duration::from_micros(1_795_000_000_123_456);
        assert_eq!(rfc3339_micros(t), "2026-11-18T11:06:40.123456Z");
    }

    #[test]
    fn events_become_hclog_json_lines() {
        let buf = Arc::new(Mutex::new(Vec::<u8>::new()));
        let sink = buf.clone();
        let layer = HclogLayer::new(move || SharedBuf(sink.clone()));
        let subscriber = tracing_subscriber::registry().with(layer);
        tracing::subscriber::with_default(subscriber, || {
            tracing::debug!(status = 200, path = "/role/info", "request done");
        });
        let out = String::from_utf8(buf.lock().unwrap().clone()).unwrap();
        let v: Value = serde_json::from_str(out.trim()).unwrap();
        assert_eq!(v["@level"], "debug");
        assert_eq!(v["@message"], "request done");
        assert_eq!(v["status"], 200);
        assert_eq!(v["path"], "/role/info");
    }

    struct SharedBuf(Arc<Mutex<Vec<u8>>>);
    impl std::io::Write for SharedBuf {
        fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(b);
            Ok(b.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
}
