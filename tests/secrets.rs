//! Secrets: a full lifecycle of every vendor's role with
//! `TF_LOG=trace`, credentials written in the provider configuration, must
//! not show any vendor's credential in Terraform's output (provider logs
//! included), in the state file, or in a diagnostic; nor may a wrong
//! credential appear in the errors it causes.

mod common;

use common::{
    EmulatorProcess, Workspace, FLASHDUTY_KEY, ROOTLY_TOKEN, SLASHID_KEY, ZENML_KEY, ZENML_ORG,
};

const SECRETS: [&str; 4] = [FLASHDUTY_KEY, SLASHID_KEY, ROOTLY_TOKEN, ZENML_KEY];

fn config(keys: [&str; 4], description: &str) -> String {
    let [flashduty, slashid, rootly, zenml] = keys;
    format!(
        r#"provider "rbac" {{
  flashduty {{
    app_key = "{flashduty}"
  }}
  slashid {{
    api_key = "{slashid}"
  }}
  rootly {{
    api_token = "{rootly}"
  }}
  zenml {{
    api_key = "{zenml}"
  }}
}}

resource "rbac_flashduty_role" "r" {{
  role_name   = "Secrets"
  description = "{description}"
}}

resource "rbac_slashid_role" "r" {{
  name        = "secrets"
  description = "{description}"
}}

resource "rbac_rootly_on_call_role" "r" {{
  name               = "Secrets {description}"
  alerts_permissions = ["read"]
}}

resource "rbac_zenml_role" "r" {{
  organization_id = "{ZENML_ORG}"
  level           = "workspace"
  name            = "Secrets"
  description     = "{description}"
}}
"#
    )
}

fn assert_no_secret(what: &str, text: &str, secrets: &[&str]) {
    for secret in secrets {
        assert!(
            !text.contains(secret),
            "{what} shows a credential ({secret}):\n{text}"
        );
    }
}

#[test]
fn no_credential_in_logs_state_or_diagnostics() {
    let emu = EmulatorProcess::start(&[]);
    let mut ws = Workspace::new(&emu);
    // Only the configuration carries the credentials.
    for var in [
        "FLASHDUTY_APP_KEY",
        "SLASHID_API_KEY",
        "ROOTLY_API_TOKEN",
        "ZENML_PRO_API_KEY",
    ] {
        ws.unset_env(var);
    }
    ws.env("TF_LOG", "trace");
    let mut logs = String::new();
    ws.config(&config(SECRETS, "first"));
    for args in [
        &["apply", "-auto-approve", "-no-color"][..],
        &["plan", "-no-color"],
    ] {
        let run = ws.ok(args);
        logs.push_str(&run.all());
    }
    ws.config(&config(SECRETS, "second"));
    logs.push_str(&ws.apply().all());
    let state = std::fs::read_to_string(ws.path().join("terraform.tfstate")).unwrap();
    assert!(state.contains("rbac_zenml_role"), "{state}");
    assert_no_secret("the state file", &state, &SECRETS);
    logs.push_str(&ws.ok(&["destroy", "-auto-approve", "-no-color"]).all());
    // The logs did include the provider's request lines.
    assert!(
        logs.contains("/flashduty/role/"),
        "no provider logs at trace"
    );
    assert_no_secret("TF_LOG=trace output", &logs, &SECRETS);

    // Wrong credentials: each vendor refuses them; the errors say which
    // attribute to check, never the value.
    let wrong = [
        "wrong-flashduty-key-3c1d",
        "wrong-slashid-key-3c1d",
        "wrong-rootly-token-3c1d",
        "ZENPROKEY_wrong-3c1d",
    ];
    ws.config(&config(wrong, "third"));
    let run = ws.run(&["apply", "-auto-approve", "-no-color"]);
    assert_ne!(run.status, 0, "{}", run.all());
    let out = run.all();
    assert!(out.contains("Error"), "{out}");
    assert_no_secret("diagnostics of refused credentials", &out, &wrong);
}

/// A login answer cut short mid-token (a truncated body), past the HTTP
/// core's retries, is quoted in the decode error: the token must be
/// redacted there too.
#[test]
fn a_truncated_login_answer_does_not_leak_the_access_token() {
    let emu = EmulatorProcess::start(&["--fault-script", "POST /zenml/auth/login=truncated:20"]);
    let ws = Workspace::new(&emu);
    ws.config(&format!(
        "provider \"rbac\" {{\n  zenml {{}}\n}}\n\ndata \"rbac_zenml_roles\" \"all\" {{\n  organization_id = \"{ZENML_ORG}\"\n}}\n"
    ));
    let run = ws.run(&["plan", "-no-color"]);
    let text = run.all();
    assert!(text.contains("could not decode"), "{text}");
    assert!(!text.contains("zenml-emu-"), "token in diagnostics: {text}");
}
