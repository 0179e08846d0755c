//! Import and normalization through the real terraform CLI: what the server normalizes is
//! refused at plan, what cannot be managed cannot be imported, and import
//! keys are read the way a user means them.

mod common;

use common::{EmulatorProcess, Workspace, SLASHID_ORG};
use serde_json::json;

#[test]
fn rootly_name_with_surrounding_whitespace_is_refused_at_plan() {
    let emu = EmulatorProcess::start(&[]);
    let ws = Workspace::new(&emu);
    ws.config(
        r#"provider "rbac" {
  rootly {}
}

variable "suffix" {
  default = ""
}

resource "rbac_rootly_on_call_role" "r" {
  name = "Primary ${var.suffix}"
}
"#,
    );
    let run = ws.run(&["plan", "-no-color"]);
    let text = run.all();
    assert_ne!(run.status, 0, "{text}");
    assert!(text.contains("Invalid value for name"), "{text}");
    assert!(text.contains("Rootly trims it"), "{text}");
    assert!(text.contains(r#""Primary""#), "{text}");
    // Nothing reached Rootly.
    assert!(emu.rootly_roles().iter().all(|(_, name)| name != "Primary"));
}

#[test]
fn rootly_built_in_roles_cannot_be_imported() {
    let emu = EmulatorProcess::start(&[]);
    let ws = Workspace::new(&emu);
    ws.config(
        "provider \"rbac\" {\n  rootly {}\n}\n\nresource \"rbac_rootly_on_call_role\" \"a\" {\n  name = \"Admin\"\n}\n",
    );
    for key in ["admin", "no-access"] {
        let run = ws.run(&["import", "-no-color", "rbac_rootly_on_call_role.a", key]);
        let text = run.all();
        assert_ne!(run.status, 0, "{key}: {text}");
        assert!(text.contains("built-in"), "{key}: {text}");
        assert!(
            text.contains("`rbac_rootly_on_call_role` data source"),
            "{key}: {text}"
        );
    }
    assert!(ws.resource("rbac_rootly_on_call_role.a").is_none());
}

#[test]
fn flashduty_all_digit_name_imports_by_name_after_id() {
    let emu = EmulatorProcess::start(&["--rate-limit", "off"]);
    let ws = Workspace::new(&emu);
    let created = emu.flashduty(
        "/role/upsert",
        json!({"role_name": "12345", "description": "", "permission_ids": []}),
    );
    let id = created["data"]["role_id"].as_u64().expect("role_id");
    ws.config(
        "provider \"rbac\" {\n  flashduty {}\n}\n\nresource \"rbac_flashduty_role\" \"n\" {\n  role_name = \"12345\"\n}\n",
    );
    let run = ws.ok(&["import", "-no-color", "rbac_flashduty_role.n", "12345"]);
    assert!(
        run.all()
            .contains("Imported the Flashduty role named \"12345\""),
        "{}",
        run.all()
    );
    let state = ws.resource("rbac_flashduty_role.n").expect("imported");
    assert_eq!(state["id"], json!(id.to_string()));
    assert_eq!(state["role_name"], json!("12345"));
    ws.assert_no_changes();
}

#[test]
fn slashid_import_of_another_organizations_role_says_so() {
    let emu = EmulatorProcess::start(&[]);
    let ws = Workspace::new(&emu);
    ws.config(
        "provider \"rbac\" {\n  slashid {}\n}\n\nresource \"rbac_slashid_role\" \"v\" {\n  name = \"viewer\"\n}\n",
    );
    let other = "11111111-2222-4333-8444-555555555555";
    let run = ws.run(&[
        "import",
        "-no-color",
        "rbac_slashid_role.v",
        &format!("{other}/viewer"),
    ]);
    let text = run.all();
    assert_ne!(run.status, 0, "{text}");
    assert!(text.contains("another organization"), "{text}");
    assert!(text.contains(SLASHID_ORG), "{text}");
    assert!(
        !text.contains(&format!("{SLASHID_ORG}/{other}")),
        "doubled prefix: {text}"
    );
}

#[test]
fn flashduty_unknown_permission_ids_fail_at_plan_with_one_catalogue_call() {
    let emu = EmulatorProcess::start(&["--rate-limit", "off"]);
    let ws = Workspace::new(&emu);
    let body = |ids: &str| {
        format!(
            "provider \"rbac\" {{\n  flashduty {{}}\n}}\n\nresource \"rbac_flashduty_role\" \"a\" {{\n  role_name = \"acc-catalogue-a\"\n  permission_ids = [{ids}]\n}}\n\nresource \"rbac_flashduty_role\" \"b\" {{\n  role_name = \"acc-catalogue-b\"\n  permission_ids = [{ids}]\n}}\n"
        )
    };
    ws.config(&body("999999, 888888"));
    let run = ws.run(&["plan", "-no-color"]);
    let text = run.all();
    assert_ne!(run.status, 0, "{text}");
    assert!(text.contains("Invalid value for permission_ids"), "{text}");
    assert!(text.contains("888888, 999999"), "{text}");
    assert!(text.contains("rbac_flashduty_permissions"), "{text}");
    let stats = emu.stats();
    assert_eq!(
        stats["endpoints"]["POST /flashduty/role/permission/list"]["200"],
        json!(1),
        "one catalogue listing for the whole plan: {stats}"
    );
    assert!(emu
        .flashduty_roles()
        .iter()
        .all(|r| r["role_name"] != "acc-catalogue-a"));

    // Thousands of wrong IDs: the first 20 and a count, not a page of them.
    let many: Vec<String> = (900_000..902_000).map(|id: u32| id.to_string()).collect();
    ws.config(&body(&many.join(", ")));
    let run = ws.run(&["plan", "-no-color"]);
    let text = run.all().split_whitespace().collect::<Vec<_>>().join(" ");
    assert_ne!(run.status, 0, "{text}");
    assert!(text.contains("900019, and 1980 more"), "{text}");
    // Terraform quotes the configuration line too; the detail is what we write.
    let detail = text
        .split("permission catalogue:")
        .nth(1)
        .and_then(|rest| rest.split("Look permissions up").next())
        .unwrap_or_default();
    assert!(!detail.contains("900020"), "{detail}");
}

#[test]
fn zenml_assignment_imported_in_upper_case_is_not_revoked_and_granted_again() {
    let emu = EmulatorProcess::start(&[]);
    let ws = Workspace::new(&emu);
    let team = "7d1c2b3a-2222-4aaa-8bbb-000000000003";
    ws.config(&format!(
        r#"provider "rbac" {{
  zenml {{}}
}}

data "rbac_zenml_roles" "viewer" {{
  organization_id = "{}"
  name            = "Viewer"
  level           = "organization"
}}

resource "rbac_zenml_role_assignment" "team" {{
  role_id = data.rbac_zenml_roles.viewer.ids[0]
  team_id = "{team}"
}}
"#,
        common::ZENML_ORG
    ));
    ws.apply();
    let id = ws.resource("rbac_zenml_role_assignment.team").unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    ws.ok(&[
        "state",
        "rm",
        "-no-color",
        "rbac_zenml_role_assignment.team",
    ]);
    ws.ok(&[
        "import",
        "-no-color",
        "rbac_zenml_role_assignment.team",
        &id.split('/')
            .enumerate()
            .map(|(i, p)| {
                if i == 1 {
                    p.to_string()
                } else {
                    p.to_uppercase()
                }
            })
            .collect::<Vec<_>>()
            .join("/"),
    ]);
    let run = ws.ok(&["plan", "-no-color"]);
    let text = run.all();
    assert!(!text.contains("must be replaced"), "{text}");
    assert!(
        !text.contains("to destroy") || text.contains("0 to destroy"),
        "{text}"
    );
}

#[test]
fn flashduty_role_named_like_a_built_in_id_imports_by_name() {
    let emu = EmulatorProcess::start(&["--rate-limit", "off"]);
    let ws = Workspace::new(&emu);
    let created = emu.flashduty(
        "/role/upsert",
        json!({"role_name": "2", "description": "", "permission_ids": []}),
    );
    let id = created["data"]["role_id"].as_u64().expect("role_id");
    ws.config(
        "provider \"rbac\" {\n  flashduty {}\n}\n\nresource \"rbac_flashduty_role\" \"n\" {\n  role_name = \"2\"\n}\n",
    );
    let run = ws.ok(&["import", "-no-color", "rbac_flashduty_role.n", "2"]);
    assert!(run.all().contains("is the built-in role"), "{}", run.all());
    let state = ws.resource("rbac_flashduty_role.n").expect("imported");
    assert_eq!(state["id"], json!(id.to_string()));
}

#[test]
fn slashid_import_accepts_this_organization_in_another_letter_case() {
    let emu = EmulatorProcess::start(&[]);
    emu.slashid(
        "POST",
        "/rbac/roles",
        Some(json!({"name": format!("{SLASHID_ORG}/acc-case"), "permissions": []})),
    );
    let ws = Workspace::new(&emu);
    ws.config(
        "provider \"rbac\" {\n  slashid {}\n}\n\nresource \"rbac_slashid_role\" \"v\" {\n  name = \"acc-case\"\n}\n",
    );
    ws.ok(&[
        "import",
        "-no-color",
        "rbac_slashid_role.v",
        &format!("{}/acc-case", SLASHID_ORG.to_uppercase()),
    ]);
    let state = ws.resource("rbac_slashid_role.v").expect("imported");
    assert_eq!(state["full_name"], json!(format!("{SLASHID_ORG}/acc-case")));
}

#[test]
fn rootly_user_id_with_surrounding_whitespace_fails_at_validate() {
    let emu = EmulatorProcess::start(&[]);
    let ws = Workspace::new(&emu);
    ws.config(
        "provider \"rbac\" {\n  rootly {}\n}\n\nresource \"rbac_rootly_user_on_call_role\" \"u\" {\n  user_id = \" 20002\"\n  on_call_role_id = \"x\"\n}\n",
    );
    let run = ws.run(&["validate", "-no-color"]);
    assert_ne!(run.status, 0, "{}", run.all());
    assert!(
        run.all().contains("must not start or end with whitespace"),
        "{}",
        run.all()
    );
}

/// An empty import ID names nothing: every resource type refuses it at
/// once, saying so, before any request (it reached SlashID as
/// `GET /persons//roles`, and other types answered "no such role").
#[test]
fn an_empty_import_id_is_refused_for_every_resource_type() {
    let emu = EmulatorProcess::start(&[]);
    let examples = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/resources");
    let mut dirs: Vec<_> = std::fs::read_dir(&examples)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    dirs.sort();
    assert_eq!(dirs.len(), 9, "{dirs:?}");
    for dir in dirs {
        let import = std::fs::read_to_string(dir.join("import.sh")).unwrap();
        let address = import
            .split_whitespace()
            .skip_while(|w| *w != "import")
            .nth(1)
            .expect("terraform import <address> in import.sh")
            // A shell word: a for_each address is single-quoted there.
            .trim_matches('\'')
            .to_string();
        let ws = Workspace::new(&emu);
        let example = std::fs::read_to_string(dir.join("resource.tf")).unwrap();
        ws.config(&format!(
            "provider \"rbac\" {{\n  flashduty {{}}\n  slashid {{}}\n  rootly {{}}\n  zenml {{}}\n}}\n\n{example}"
        ));
        for id in ["", "  "] {
            let run = ws.run(&["import", "-no-color", &address, id]);
            assert_ne!(run.status, 0, "{address} {id:?}: {}", run.all());
            let out = run.all().split_whitespace().collect::<Vec<_>>().join(" ");
            assert!(
                out.contains("the import ID is empty"),
                "{address} {id:?}: {out}"
            );
        }
    }
    // Data sources in the examples are read before each import; no
    // request names an object by the empty ID.
    let stats = emu.stats();
    let endpoints = stats["endpoints"].as_object().unwrap();
    for endpoint in endpoints.keys() {
        assert!(
            !endpoint.contains("//") && !endpoint.ends_with('/'),
            "{endpoint}: {stats}"
        );
    }
}

/// An ID of "." or ".." would be read as a step up the URL path and reach
/// another endpoint (`GET /slashid/rbac/`, `PUT /rootly/v1/`): it is never
/// sent, and the error says why.
#[test]
fn an_id_of_dots_never_reaches_another_endpoint() {
    let emu = EmulatorProcess::start(&[]);
    let ws = Workspace::new(&emu);
    ws.config(
        "provider \"rbac\" {\n  slashid {}\n  rootly {}\n}\n\n\
         resource \"rbac_slashid_permission\" \"p\" {\n  name = \"p.x\"\n}\n\n\
         resource \"rbac_rootly_user_on_call_role\" \"u\" {\n  user_id         = \"20001\"\n  \
         on_call_role_id = \"91b7d512-7444-4978-8350-7492b18ec2ad\"\n}\n",
    );
    for (address, id) in [
        ("rbac_slashid_permission.p", ".."),
        ("rbac_rootly_user_on_call_role.u", "."),
        ("rbac_rootly_user_on_call_role.u", ".."),
    ] {
        let run = ws.run(&["import", "-no-color", address, id]);
        assert_ne!(run.status, 0, "{address} {id}: {}", run.all());
        let out = run.all().split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(out.contains("cannot be sent"), "{address} {id}: {out}");
    }
    let stats = emu.stats();
    let endpoints = stats["endpoints"].as_object().unwrap();
    assert!(endpoints.is_empty(), "{stats}");
}
