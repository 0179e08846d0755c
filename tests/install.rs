//! `make install` puts the provider where a plain `terraform init` finds it:
//! Terraform's implied local mirror under `$HOME/.terraform.d/plugins`, with
//! no dev_overrides and no network.

mod common;

use std::process::Command;

#[test]
fn install_makes_plain_terraform_init_work() {
    let home = tempfile::tempdir().unwrap();
    let repo = env!("CARGO_MANIFEST_DIR");
    let status = Command::new("bash")
        .arg(format!("{repo}/scripts/install.sh"))
        .env("HOME", home.path())
        .env("RBAC_PROVIDER_BIN", common::provider_bin())
        .status()
        .unwrap();
    assert!(status.success());

    let work = tempfile::tempdir().unwrap();
    std::fs::write(
        work.path().join("main.tf"),
        "terraform {\n  required_providers {\n    rbac = { source = \"rbac-provider/rbac\" }\n  }\n}\n",
    )
    .unwrap();
    let out = Command::new(common::terraform_bin())
        .args(["init", "-no-color", "-input=false"])
        .current_dir(work.path())
        .env("HOME", home.path())
        .env_remove("TF_CLI_CONFIG_FILE")
        .env("CHECKPOINT_DISABLE", "1")
        .output()
        .unwrap();
    let text =
        String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{text}");
    assert!(
        text.contains(&format!(
            "Installed rbac-provider/rbac v{}",
            env!("CARGO_PKG_VERSION")
        )),
        "{text}"
    );
}
