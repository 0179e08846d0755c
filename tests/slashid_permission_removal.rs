//! Removing SlashID permissions that a role still grants, with the pattern
//! users write: `permissions = [for p in rbac_slashid_permission.p : p.name]`
//! over a `for_each` that shrinks. Terraform deletes a permission before it
//! updates the role that references it, unless `create_before_destroy` is
//! recorded in the permission's state; SlashID refuses to delete a permission a
//! role includes (docs/vendors/slashid.md, "Behaviour the provider depends
//! on"). With the setting from the start, as the docs say, one apply converges.
//! Without it, the apply fails at once (no retry, a few requests per
//! permission), and each sequence the error advises is followed here through
//! terraform.

mod common;

use common::{EmulatorProcess, Run, Workspace, SLASHID_ORG};
use serde_json::Value;

/// Permissions at first, and after the shrink.
const ALL: usize = 40;
const KEPT: usize = 20;

const CBD: &str = "  lifecycle {\n    create_before_destroy = true\n  }\n";
const ALL_GRANTED: &str = "[for p in rbac_slashid_permission.p : p.name]";
/// The role grants only the first `var.granted` permissions.
const SOME_GRANTED: &str =
    "[for k, i in local.ps : rbac_slashid_permission.p[k].name if i < var.granted]";

/// `var.n` permissions `acc.inuse.pNN` (`lifecycle` inside), and a role
/// whose `permissions` is `granted`.
fn config(lifecycle: &str, granted: &str) -> String {
    format!(
        r#"provider "rbac" {{
  slashid {{}}
}}

variable "n" {{
  type    = number
  default = {ALL}
}}

variable "granted" {{
  type    = number
  default = {ALL}
}}

locals {{
  ps = {{ for i in range(var.n) : format("acc.inuse.p%02d", i) => i }}
}}

resource "rbac_slashid_permission" "p" {{
  for_each = local.ps
  name     = each.key
{lifecycle}}}

resource "rbac_slashid_role" "r" {{
  name        = "acc-inuse"
  permissions = {granted}
}}
"#
    )
}

fn apply(ws: &Workspace, vars: &[&str]) -> Run {
    let mut args = vec!["apply", "-auto-approve", "-no-color"];
    for v in vars {
        args.extend(["-var", v]);
    }
    ws.run(&args)
}

/// The `acc.inuse.*` permissions in the emulator.
fn permissions(emu: &EmulatorProcess) -> usize {
    let (status, body) = emu.slashid("GET", "/rbac/permissions", None);
    assert_eq!(status, 200, "{body}");
    body["result"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p.as_str().unwrap().starts_with("acc.inuse."))
        .count()
}

fn role_permissions(emu: &EmulatorProcess) -> usize {
    emu.slashid_role("acc-inuse").unwrap()["permissions"]
        .as_array()
        .unwrap()
        .len()
}

/// The emulator's counts of requests to endpoints starting with `prefix`.
fn requests(stats: &Value, prefix: &str) -> u64 {
    stats["endpoints"]
        .as_object()
        .unwrap()
        .iter()
        .filter(|(endpoint, _)| endpoint.starts_with(prefix))
        .flat_map(|(_, outcomes)| outcomes.as_object().unwrap().values())
        .map(|n| n.as_u64().unwrap())
        .sum()
}

/// A shrink that must converge in one apply, with nothing left to do.
fn shrink_converges(emu: &EmulatorProcess, ws: &Workspace) {
    let n = format!("n={KEPT}");
    let run = apply(ws, &[&n]);
    assert_eq!(run.status, 0, "{}", run.all());
    assert!(
        run.stdout
            .contains(&format!("0 added, 1 changed, {} destroyed", ALL - KEPT)),
        "{}",
        run.stdout
    );
    assert_eq!(permissions(emu), KEPT);
    assert_eq!(role_permissions(emu), KEPT);
    let plan = ws.run(&["plan", "-detailed-exitcode", "-no-color", "-var", &n]);
    assert_eq!(plan.status, 0, "{}", plan.all());
}

/// Creates everything without `create_before_destroy`, shrinks, and checks
/// that the apply fails fast with the advice, having changed nothing.
fn failed_shrink(emu: &EmulatorProcess, ws: &Workspace) {
    ws.config(&config("", ALL_GRANTED));
    ws.apply();
    emu.reset_stats();
    let run = apply(ws, &[&format!("n={KEPT}")]);
    assert_ne!(run.status, 0, "{}", run.all());
    let out = run.all();
    let refused = out
        .matches("Cannot delete SlashID permission \"acc.inuse.p")
        .count();
    assert_eq!(refused, ALL - KEPT, "{out}");
    assert!(out.contains("a role still holds it"), "{out}");
    // Refused deletes are not retried: one DELETE each, and one scan of
    // the roles (a list and a read of the one role) serves them all, besides
    // the refresh (one read of each permission and of the role).
    let stats = emu.stats();
    let deletes = requests(&stats, "DELETE /slashid/rbac/permissions/");
    assert_eq!(deletes, (ALL - KEPT) as u64, "{stats:#}");
    let list = requests(&stats, "GET /slashid/rbac/roles");
    let refresh = ALL as u64 + 1;
    assert!(list <= 1 + 2 * 2, "{list} role requests: {stats:#}");
    assert!(
        stats["total"].as_u64().unwrap() <= refresh + deletes + 2 * 2,
        "{stats:#}"
    );
    assert_eq!(requests(&stats, "PATCH "), 0, "{stats:#}");
    let flat = out.split_whitespace().collect::<Vec<_>>().join(" ");
    for advice in [
        "put the permission back in the configuration",
        "create_before_destroy = true",
        "take it out of those roles' `permissions` first",
        &format!("{SLASHID_ORG}/acc-inuse"),
    ] {
        assert!(flat.contains(advice), "{advice:?} missing:\n{out}");
    }
    assert_eq!(permissions(emu), ALL);
    assert_eq!(role_permissions(emu), ALL);
}

#[test]
fn slashid_permission_removal_with_create_before_destroy_converges() {
    let emu = EmulatorProcess::start(&[]);
    let ws = Workspace::new(&emu);
    ws.config(&config(CBD, ALL_GRANTED));
    ws.apply();
    assert_eq!(permissions(&emu), ALL);
    emu.reset_stats();
    shrink_converges(&emu, &ws);
    // Nothing refused: one DELETE per permission removed.
    let stats = emu.stats();
    let deletes = requests(&stats, "DELETE /slashid/rbac/permissions/");
    assert_eq!(deletes, (ALL - KEPT) as u64, "{stats:#}");
}

#[test]
fn slashid_permission_removal_without_it_fails_fast_then_the_advice_converges() {
    let emu = EmulatorProcess::start(&[]);
    let ws = Workspace::new(&emu);
    failed_shrink(&emu, &ws);

    // As the advice says: adding the setting to the shrunk configuration
    // changes nothing (Terraform has not recorded it for the removed ones).
    ws.config(&config(CBD, ALL_GRANTED));
    let run = apply(&ws, &[&format!("n={KEPT}")]);
    assert_ne!(run.status, 0, "{}", run.all());
    assert!(run.all().contains("a role still holds it"), "{}", run.all());
    assert_eq!(permissions(&emu), ALL);

    // Put them back with the setting, apply (nothing changes, Terraform
    // records it), then remove them: one apply.
    let run = apply(&ws, &[]);
    assert_eq!(run.status, 0, "{}", run.all());
    assert!(
        run.stdout.contains("0 added, 0 changed, 0 destroyed"),
        "{}",
        run.stdout
    );
    shrink_converges(&emu, &ws);
}

#[test]
fn slashid_permission_removal_after_taking_them_out_of_the_role() {
    let emu = EmulatorProcess::start(&[]);
    let ws = Workspace::new(&emu);
    failed_shrink(&emu, &ws);

    // The other advice: out of the role first (the permissions stay), then
    // removed.
    ws.config(&config("", SOME_GRANTED));
    let granted = format!("granted={KEPT}");
    let run = apply(&ws, &[&granted]);
    assert_eq!(run.status, 0, "{}", run.all());
    assert!(
        run.stdout.contains("0 added, 1 changed, 0 destroyed"),
        "{}",
        run.stdout
    );
    assert_eq!(role_permissions(&emu), KEPT);
    let n = format!("n={KEPT}");
    let run = apply(&ws, &[&n, &granted]);
    assert_eq!(run.status, 0, "{}", run.all());
    assert_eq!(permissions(&emu), KEPT);
    let plan = ws.run(&[
        "plan",
        "-detailed-exitcode",
        "-no-color",
        "-var",
        &n,
        "-var",
        &granted,
    ]);
    assert_eq!(plan.status, 0, "{}", plan.all());
}
