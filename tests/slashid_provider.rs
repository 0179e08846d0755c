//! The provider's `slashid` block through the real terraform CLI: plan-time
//! validation naming the attribute and the limit, environment fallbacks, and
//! the consistency settings applied against the emulator.

mod common;

use common::{EmulatorProcess, Workspace, SLASHID_KEY, SLASHID_ORG};

fn config(block: &str) -> String {
    format!(
        r#"provider "rbac" {{
  slashid {{
{block}
  }}
}}

resource "rbac_slashid_permission" "p" {{
  name = "acc.provider.check"
}}
"#
    )
}

#[test]
fn slashid_provider_validation_names_attribute_and_limit() {
    let emu = EmulatorProcess::start(&[]);
    let ws = Workspace::new(&emu);
    for (block, expect) in [
        (
            r#"    consistency = "global""#,
            r#"must be one of "local_region", "all_regions""#,
        ),
        ("    consistency_timeout = 121", "between 1 and 120"),
        ("    consistency_timeout = 0", "between 1 and 120"),
        ("    max_requests_per_second = -1", "between 0 and"),
        (
            "    max_requests_per_second = 2.5",
            "must be a whole number",
        ),
        ("    consistency_timeout = 10.5", "must be a whole number"),
        (r#"    org_id = "a/b""#, "without `/`"),
        (r#"    base_url = "ftp://x""#, "https://"),
    ] {
        ws.config(&config(block));
        let run = ws.run(&["plan", "-no-color"]);
        assert_ne!(run.status, 0, "{block}");
        let text = run.all();
        assert!(
            text.contains("Invalid value for slashid"),
            "{block}: {text}"
        );
        assert!(text.contains(expect), "{block}: {text}");
    }
    let (_, perms) = emu.slashid("GET", "/rbac/permissions", None);
    assert_eq!(perms["result"], serde_json::json!([]));
}

#[test]
fn slashid_provider_missing_org_names_env_var() {
    let emu = EmulatorProcess::start(&[]);
    let mut ws = Workspace::new(&emu);
    ws.unset_env("SLASHID_ORG_ID");
    ws.config(&config(""));
    let run = ws.run(&["plan", "-no-color"]);
    assert_ne!(run.status, 0);
    let text = run.all();
    assert!(
        text.contains("org_id") && text.contains("SLASHID_ORG_ID"),
        "{text}"
    );
}

#[test]
fn slashid_provider_block_settings_override_env_and_apply() {
    // Every setting in the block, none from the environment; a wrong
    // environment proves the block wins.
    let emu = EmulatorProcess::start(&[]);
    let mut ws = Workspace::new(&emu);
    ws.env("SLASHID_API_KEY", "wrong-key");
    ws.env("SLASHID_ORG_ID", "wrong-org");
    let block = format!(
        "    org_id = \"{SLASHID_ORG}\"\n    api_key = \"{SLASHID_KEY}\"\n    base_url = \"{}\"\n    consistency = \"all_regions\"\n    consistency_timeout = 10\n    max_requests_per_second = 20",
        emu.slashid_url()
    );
    ws.config(&config(&block));
    ws.apply();
    assert!(emu.slashid_permission("acc.provider.check").is_some());
    ws.assert_no_changes();
    ws.ok(&["destroy", "-auto-approve", "-no-color"]);
    assert!(emu.slashid_permission("acc.provider.check").is_none());
}
