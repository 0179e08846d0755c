//! `terraform-provider-rbac`: the plugin binary Terraform starts. It serves
//! the provider over plugin protocol 6 and does nothing else.

use terraform_provider_rbac::{logging, plugin, provider};

/// go-plugin's handshake cookie: Terraform sets it when it starts a plugin.
const MAGIC_COOKIE_KEY: &str = "TF_PLUGIN_MAGIC_COOKIE";
const MAGIC_COOKIE_VALUE: &str = "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2";

fn main() {
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
    let plugin_env = match plugin::PluginEnv::from_env() {
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

/// Runs the plugin server on a single-threaded runtime, then exits: 0 once
/// Terraform shut the plugin down (without waiting for tasks still parked),
/// 1 if the server failed. One thread because the provider's work is waiting
/// (on Terraform's calls and the vendors' answers), never computing for
/// long: a worker pool only added wake-ups across threads, about a fifth of
/// the provider's CPU in a 1000-role no-op plan (bench/README.md). Nothing
/// here blocks a thread; a call that must, goes to `spawn_blocking`.
fn run_until_shut_down(serve: impl std::future::Future<Output = anyhow::Result<()>>) -> ! {
    let runtime = tokio::runtime::Builder::new_current_thread()
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

/// Terraform sends SIGINT to its whole process group on Ctrl-C and then asks
/// each provider to stop through the protocol; like Go providers, we ignore
/// the signal so in-flight calls can finish and report what they created.
#[cfg(unix)]
fn ignore_sigint() {
    // SAFETY: setting a signal disposition to SIG_IGN before any thread that
    // could race on it is started.
    unsafe {
        libc::signal(libc::SIGINT, libc::SIG_IGN);
    }
}

/// On Windows, Ctrl-C reaches every console process as a control event; a
/// handler that consumes it keeps the process alive, as SIG_IGN does on Unix.
#[cfg(windows)]
fn ignore_sigint() {
    std::thread::spawn(|| {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("tokio runtime for the Ctrl-C handler");
        runtime.block_on(async {
            if let Ok(mut ctrl_c) = tokio::signal::windows::ctrl_c() {
                while ctrl_c.recv().await.is_some() {}
            }
        });
    });
}

#[cfg(not(any(unix, windows)))]
fn ignore_sigint() {}
