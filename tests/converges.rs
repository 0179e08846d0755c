//! Property test: valid ⇒ converges. For every resource with
//! free-form strings, values drawn at random and accepted by the provider's
//! own validation are applied through the real terraform CLI against the
//! emulator, and the next plan must say "No changes": whatever the vendor
//! trims, folds or rewrites is either refused at plan time or modelled.
//!
//! One configuration per vendor holds all the drawn values (one apply each),
//! so the test stays fast; the draw is deterministic (proptest's seeded
//! runner), so a failure reproduces.

mod common;

use std::collections::HashSet;

use common::{EmulatorProcess, Workspace, ZENML_ORG};
use proptest::strategy::{Just, Strategy, ValueTree};
use proptest::test_runner::TestRunner;
use terraform_provider_rbac::framework::resource::ResourceType;
use terraform_provider_rbac::framework::tf::Diagnostics;
use terraform_provider_rbac::framework::tf::Value;
use terraform_provider_rbac::vendors::{flashduty, rootly, slashid, zenml};

/// Values per resource type.
const DRAWS: usize = 25;

/// Printable text up to `max` characters (and a little over, so that the
/// validator's limit is exercised too): ASCII, multi-byte, any non-control.
fn text(max: usize) -> impl Strategy<Value = String> {
    proptest::prop_oneof![
        proptest::string::string_regex(&format!("[a-zA-Z0-9 _-]{{0,{}}}", max + 2)).unwrap(),
        proptest::string::string_regex(&format!("[äé中文🙂 ]{{0,{}}}", max + 2)).unwrap(),
        proptest::string::string_regex(&format!("\\PC{{0,{}}}", max + 2)).unwrap(),
    ]
}

/// `n` draws of (name, description) that `accepts` lets through, with
/// names unique (vendors keep names unique, in any letter case).
fn draw(
    runner: &mut TestRunner,
    name: impl Strategy<Value = String>,
    description: impl Strategy<Value = String>,
    accepts: impl Fn(&str, &str) -> bool,
) -> Vec<(String, String)> {
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    let pair = (name, description);
    for _ in 0..DRAWS * 50 {
        if out.len() == DRAWS {
            break;
        }
        let (n, d) = pair.new_tree(runner).unwrap().current();
        if accepts(&n, &d) && seen.insert(n.trim().to_lowercase()) {
            out.push((n, d));
        }
    }
    assert_eq!(out.len(), DRAWS, "too few accepted draws");
    out
}

/// An HCL string literal: JSON quoting, with template sequences escaped.
fn hcl(s: &str) -> String {
    serde_json::to_string(s)
        .unwrap()
        .replace("${", "$${")
        .replace("%{", "%%{")
}

fn no_errors(validate: impl FnOnce(&mut Diagnostics)) -> bool {
    let mut diags = Diagnostics::default();
    validate(&mut diags);
    diags.errors.is_empty()
}

fn applies_and_converges(block: &str, resources: &str) {
    let emu = EmulatorProcess::start(&["--rate-limit", "off"]);
    let ws = Workspace::new(&emu);
    ws.config(&format!(
        "provider \"rbac\" {{\n  {block} {{}}\n}}\n\n{resources}"
    ));
    ws.apply();
    ws.assert_no_changes();
}

#[test]
fn flashduty_role_valid_values_converge() {
    let mut runner = TestRunner::deterministic();
    let draws = draw(&mut runner, text(39), text(499), |n, d| {
        no_errors(|diags| {
            flashduty::role_resource::RoleResource::validate(
                diags,
                &flashduty::role_resource::RoleState {
                    role_name: Value::Value(n.into()),
                    description: Value::Value(d.into()),
                    ..Default::default()
                },
            )
        })
    });
    let resources: String = draws
        .iter()
        .enumerate()
        .map(|(i, (n, d))| {
            format!(
                "resource \"rbac_flashduty_role\" \"r{i}\" {{\n  role_name   = {}\n  description = {}\n}}\n",
                hcl(n),
                hcl(d)
            )
        })
        .collect();
    applies_and_converges("flashduty", &resources);
}

#[test]
fn rootly_on_call_role_valid_values_converge() {
    let mut runner = TestRunner::deterministic();
    let draws = draw(&mut runner, text(255), Just(String::new()), |n, _| {
        no_errors(|diags| {
            rootly::on_call_role_resource::OnCallRoleResource::validate(
                diags,
                &rootly::on_call_role_resource::OnCallRoleState {
                    name: Value::Value(n.into()),
                    ..Default::default()
                },
            )
        })
    });
    let resources: String = draws
        .iter()
        .enumerate()
        .map(|(i, (n, _))| {
            format!(
                "resource \"rbac_rootly_on_call_role\" \"r{i}\" {{\n  name = {}\n}}\n",
                hcl(n)
            )
        })
        .collect();
    applies_and_converges("rootly", &resources);
}

#[test]
fn zenml_role_valid_values_converge() {
    let mut runner = TestRunner::deterministic();
    let draws = draw(&mut runner, text(255), text(255), |n, d| {
        no_errors(|diags| {
            zenml::role_resource::RoleResource::validate(
                diags,
                &zenml::role_resource::RoleState {
                    organization_id: Value::Value(ZENML_ORG.into()),
                    level: Value::Value("workspace".into()),
                    name: Value::Value(n.into()),
                    description: Value::Value(d.into()),
                    ..Default::default()
                },
            )
        })
    });
    let resources: String = draws
        .iter()
        .enumerate()
        .map(|(i, (n, d))| {
            format!(
                "resource \"rbac_zenml_role\" \"r{i}\" {{\n  organization_id = \"{ZENML_ORG}\"\n  level = \"workspace\"\n  name = {}\n  description = {}\n}}\n",
                hcl(n),
                hcl(d)
            )
        })
        .collect();
    applies_and_converges("zenml", &resources);
}

#[test]
fn slashid_permission_and_role_valid_values_converge() {
    let mut runner = TestRunner::deterministic();
    // SlashID names follow the vendor's ASCII regex; descriptions are free.
    let name =
        || proptest::string::string_regex("[A-Za-z0-9][A-Za-z0-9_.:-]{0,20}[A-Za-z0-9]").unwrap();
    let permissions = draw(&mut runner, name(), text(200), |n, d| {
        no_errors(|diags| {
            slashid::permission_resource::PermissionResource::validate(
                diags,
                &slashid::permission_resource::PermissionState {
                    name: Value::Value(n.into()),
                    description: Value::Value(d.into()),
                    ..Default::default()
                },
            )
        })
    });
    let roles = draw(&mut runner, name(), text(200), |n, d| {
        no_errors(|diags| {
            slashid::role_resource::RoleResource::validate(
                diags,
                &slashid::role_resource::RoleState {
                    name: Value::Value(n.into()),
                    description: Value::Value(d.into()),
                    ..Default::default()
                },
            )
        })
    });
    let mut resources = String::new();
    for (i, (n, d)) in permissions.iter().enumerate() {
        resources += &format!(
            "resource \"rbac_slashid_permission\" \"p{i}\" {{\n  name = {}\n  description = {}\n}}\n",
            hcl(n),
            hcl(d)
        );
    }
    for (i, (n, d)) in roles.iter().enumerate() {
        resources += &format!(
            "resource \"rbac_slashid_role\" \"r{i}\" {{\n  name = {}\n  description = {}\n  permissions = [rbac_slashid_permission.p{i}.name]\n}}\n",
            hcl(n),
            hcl(d)
        );
    }
    applies_and_converges("slashid", &resources);
}
