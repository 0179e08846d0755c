//! Every example in examples/ is valid HCL for the provider's schema, and
//! the quickstart applies and re-plans clean against the emulator.

mod common;

use common::{Emulator, Workspace};

fn example_dirs() -> Vec<std::path::PathBuf> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    let mut dirs = vec![root.join("provider")];
    for kind in ["resources", "data-sources"] {
        for entry in std::fs::read_dir(root.join(kind)).unwrap() {
            dirs.push(entry.unwrap().path());
        }
    }
    dirs.sort();
    dirs
}

#[test]
fn examples_validate() {
    let emu = Emulator::start(&[]);
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
        ws.config(&body);
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
    let emu = Emulator::start(&[]);
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
