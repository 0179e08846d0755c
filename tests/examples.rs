//! Every example in examples/ is valid HCL for the provider's schema, and
//! the quickstart and the complete scenarios apply and re-plan clean against
//! the emulator.

mod common;

use common::{EmulatorProcess, Workspace};

fn example_dirs() -> Vec<std::path::PathBuf> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    let mut dirs = vec![root.join("provider")];
    for kind in ["resources", "data-sources", "scenarios"] {
        for entry in std::fs::read_dir(root.join(kind)).unwrap() {
            dirs.push(entry.unwrap().path());
        }
    }
    dirs.sort();
    dirs
}

#[test]
fn examples_validate() {
    let emu = EmulatorProcess::start(&[]);
    for dir in example_dirs() {
        let ws = Workspace::new(&emu);
        let mut body = String::new();
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "tf") {
                body.push_str(&std::fs::read_to_string(&path).unwrap());
                body.push('\n');
            }
        }
        if body.contains("required_providers") {
            // A complete scenario: as a user copies it.
            std::fs::write(ws.path().join("main.tf"), &body).unwrap();
        } else {
            ws.config(&body);
        }
        let run = ws.run(&["validate", "-no-color"]);
        assert_eq!(run.status, 0, "{}: {}", dir.display(), run.all());
        let fmt = ws.run(&["fmt", "-check", "-recursive", dir.to_str().unwrap()]);
        assert_eq!(
            fmt.status,
            0,
            "terraform fmt {}: {}",
            dir.display(),
            fmt.all()
        );
    }
}

#[test]
fn quickstart_applies_and_replans_clean() {
    let emu = EmulatorProcess::start(&[]);
    let ws = Workspace::new(&emu);
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    std::fs::copy(
        root.join("examples/quickstart/main.tf"),
        ws.path().join("main.tf"),
    )
    .unwrap();
    ws.apply();
    ws.assert_no_changes();
    assert!(emu.flashduty_role_named("On-call Auditor").is_some());
    assert!(emu.flashduty_role_named("Template Manager").is_some());
}

/// examples/scenarios/*: complete configurations a team would copy.
fn scenario_dirs() -> Vec<std::path::PathBuf> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/scenarios");
    let mut dirs: Vec<_> = std::fs::read_dir(root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    dirs.sort();
    dirs
}

#[test]
fn scenarios_apply_replan_clean_and_destroy() {
    for dir in scenario_dirs() {
        let emu = EmulatorProcess::start(&[]);
        let ws = Workspace::new(&emu);
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "tf") {
                std::fs::copy(&path, ws.path().join(path.file_name().unwrap())).unwrap();
            }
        }
        let run = ws.run(&["apply", "-auto-approve", "-no-color"]);
        assert_eq!(run.status, 0, "{}: {}", dir.display(), run.all());
        assert!(
            run.stdout.contains("Outputs:"),
            "{}: {}",
            dir.display(),
            run.stdout
        );
        ws.assert_no_changes();
        let run = ws.run(&["destroy", "-auto-approve", "-no-color"]);
        assert_eq!(run.status, 0, "{}: {}", dir.display(), run.all());
        // Destroy leaves no custom role behind in any vendor.
        let flashduty: Vec<_> = emu
            .flashduty_roles()
            .into_iter()
            .filter(|r| r["editable"] == true)
            .collect();
        assert!(flashduty.is_empty(), "{}: {flashduty:?}", dir.display());
        assert!(emu.zenml_custom_roles().is_empty(), "{}", dir.display());
        for list in ["/rbac/roles", "/rbac/permissions"] {
            let (_, slashid) = emu.slashid("GET", list, None);
            assert_eq!(
                slashid["result"],
                serde_json::json!([]),
                "{}: {list}",
                dir.display()
            );
        }
        let (_, rootly) = emu.rootly("GET", "/v1/on_call_roles?page[size]=100", None);
        let custom: Vec<_> = rootly["data"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|r| r["attributes"]["system_role"] == "custom")
            .collect();
        assert!(custom.is_empty(), "{}: {custom:?}", dir.display());
    }
}
