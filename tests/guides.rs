//! Every complete configuration in the guides (`docs/guides/*.md`) is
//! validated, applied through the real terraform binary against the
//! emulator and re-planned clean, as a reader would copy it. A fenced `hcl`
//! block whose first line starts with `# snippet` is a fragment (a CLI
//! configuration, a `moved` block needing another provider) and is skipped.
//! A block without `required_providers` gets the one of Getting started.
//! The README's first configuration is applied the same way.

mod common;

use common::{EmulatorProcess, Workspace};
use serde_json::json;

/// (file, line of the block, its HCL) for every ```hcl block of the guides
/// and the README.
fn hcl_blocks() -> Vec<(String, usize, String)> {
    let repo = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut paths: Vec<_> = std::fs::read_dir(repo.join("docs/guides"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    paths.sort();
    paths.push(repo.join("README.md"));
    let mut blocks = Vec::new();
    for path in paths {
        let name = path.strip_prefix(repo).unwrap().display().to_string();
        let text = std::fs::read_to_string(&path).unwrap();
        let mut current: Option<(usize, String)> = None;
        for (n, line) in text.lines().enumerate() {
            match current.take() {
                None if line.trim() == "```hcl" => current = Some((n + 1, String::new())),
                None => {}
                Some((start, body)) if line.trim() == "```" => {
                    blocks.push((name.clone(), start, body))
                }
                Some((start, mut body)) => {
                    body.push_str(line);
                    body.push('\n');
                    current = Some((start, body));
                }
            }
        }
        assert!(current.is_none(), "{name}: an hcl block is not closed");
    }
    blocks
}

fn is_snippet(body: &str) -> bool {
    body.lines()
        .next()
        .is_some_and(|l| l.trim_start().starts_with("# snippet"))
}

/// What the adoption guide imports: an account with one custom role made in
/// the vendor's console.
fn seed(emu: &EmulatorProcess) {
    let r = emu.flashduty(
        "/role/upsert",
        json!({"role_name": "Legacy Ops", "description": "Operations on call.", "permission_ids": []}),
    );
    assert!(r.get("error").is_none(), "{r}");
}

#[test]
fn guide_configurations_apply_and_replan_clean() {
    let blocks = hcl_blocks();
    let complete: Vec<_> = blocks.iter().filter(|(_, _, b)| !is_snippet(b)).collect();
    assert!(
        complete.len() >= 10,
        "expected the guides' configurations, found {}",
        complete.len()
    );
    for (guide, line, body) in complete {
        let at = format!("{guide}:{line}");
        let emu = EmulatorProcess::start(&[]);
        seed(&emu);
        let ws = Workspace::new(&emu);
        if body.contains("required_providers") {
            std::fs::write(ws.path().join("main.tf"), body).unwrap();
        } else {
            ws.config(body);
        }
        let fmt = ws.run(&["fmt", "-check", "-diff", "-no-color"]);
        assert_eq!(fmt.status, 0, "{at}: terraform fmt:\n{}", fmt.all());
        let run = ws.run(&["validate", "-no-color"]);
        assert_eq!(run.status, 0, "{at}: {}", run.all());
        let run = ws.run(&["apply", "-auto-approve", "-no-color"]);
        assert_eq!(run.status, 0, "{at}: {}", run.all());
        let plan = ws.run(&["plan", "-detailed-exitcode", "-no-color"]);
        assert_eq!(
            plan.status,
            0,
            "{at}: not clean after apply:\n{}",
            plan.all()
        );
    }
}

#[test]
fn the_adoption_guide_imports_instead_of_creating() {
    let (guide, line, body) = hcl_blocks()
        .into_iter()
        .find(|(g, _, b)| {
            g == "docs/guides/adopting-an-existing-account.md" && b.contains("for_each")
        })
        .expect("the whole-account configuration");
    let emu = EmulatorProcess::start(&[]);
    seed(&emu);
    let ws = Workspace::new(&emu);
    ws.config(&body);
    let run = ws.apply();
    assert!(
        run.stdout.contains("1 imported, 0 added, 0 changed"),
        "{guide}:{line}: {}",
        run.stdout
    );
    assert_eq!(ws.instance_ids("rbac_flashduty_role").len(), 1);
}
