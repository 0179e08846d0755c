//! `terraform-provider-rbac`: the plugin binary Terraform starts. It serves
//! the provider over plugin protocol 6 and does nothing else.

use terraform_provider_rbac::{logging, plugin, provider};

/// go-plugin's handshake cookie: Terraform sets it when it starts a plugin.
const MAGIC_COOKIE_KEY: &str = "TF_PLUGIN_MAGIC_COOKIE";
const MAGIC_COOKIE_VALUE: &str = "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2";

fn main() {
    // tf-provider appends a backtrace to every diagnostic when backtraces are
    // enabled (DESIGN.md): users must see our messages, not stack traces.
    std::env::set_var("RUST_LIB_BACKTRACE", "0");
    // tf-provider installs its own global subscriber (and panics beside ours)
    // when this is set; our logs go to stderr for Terraform instead.
    std::env::remove_var("PLUGIN_LOG_FILE");

    let arg = std::env::args().nth(1);
    if matches!(
        arg.as_deref(),
        Some("--version") | Some("-v") | Some("version")
    ) {
        println!("terraform-provider-rbac {}", env!("CARGO_PKG_VERSION"));
        return;
    }
    if std::env::var(MAGIC_COOKIE_KEY).as_deref() != Ok(MAGIC_COOKIE_VALUE) {
        eprintln!(
            "This binary is a plugin for Terraform and OpenTofu (provider rbac-provider/rbac {}).\n\
             It is not meant to be run directly: reference it from a configuration and run \
             `terraform init` (see README.md).",
            env!("CARGO_PKG_VERSION")
        );
        std::process::exit(1);
    }

    ignore_sigint();
    logging::init();
    if std::env::var_os(BARE_TF_PROVIDER).is_some() {
        serve_bare_tf_provider();
    }
    // Before any thread starts: it changes the environment.
    let plugin_env = match plugin::PluginEnv::take() {
        Ok(env) => env,
        Err(err) => {
            eprintln!("terraform-provider-rbac: {err:#}");
            std::process::exit(1);
        }
    };
    std::panic::set_hook(Box::new(|info| {
        tracing::error!(panic = %info, "internal error in terraform-provider-rbac; please report it");
    }));

    run_until_shut_down(plugin::serve(
        provider::PROVIDER_NAME,
        provider::RbacProvider::default(),
        plugin_env,
    ));
}

/// Runs the plugin server on a multi-threaded runtime, then exits: 0 once
/// Terraform shut the plugin down (without waiting for tasks still parked),
/// 1 if the server failed.
fn run_until_shut_down(serve: impl std::future::Future<Output = anyhow::Result<()>>) -> ! {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    if let Err(err) = runtime.block_on(serve) {
        tracing::error!(error = format!("{err:#}"), "provider server stopped");
        eprintln!("terraform-provider-rbac: {err:#}");
        std::process::exit(1);
    }
    std::process::exit(0);
}

/// Set by `make bench` only, for its before/after row: serve through
/// tf-provider's own server, without our front (src/plugin). That server
/// lacks TCP_NODELAY and drops the calls in flight on Ctrl-C (DESIGN.md),
/// so nobody should use this otherwise.
const BARE_TF_PROVIDER: &str = "RBAC_BENCH_BARE_TF_PROVIDER";

fn serve_bare_tf_provider() -> ! {
    run_until_shut_down(tf_provider::serve(
        provider::PROVIDER_NAME,
        provider::RbacProvider::default(),
    ))
}

/// Terraform sends SIGINT to its whole process group on Ctrl-C and then asks
/// each provider to stop through the protocol; like Go providers, we ignore
/// the signal so in-flight calls can finish and report what they created.
fn ignore_sigint() {
    // SAFETY: setting a signal disposition to SIG_IGN before any thread that
    // could race on it is started.
    unsafe {
        libc::signal(libc::SIGINT, libc::SIG_IGN);
    }
}
