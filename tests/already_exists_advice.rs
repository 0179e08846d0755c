//! "Already exists … import it" is advice only for an object
//! made outside the configuration. A replacement that keeps its name under
//! `create_before_destroy` and a built-in's name get the advice that is
//! true for them. Real terraform against the emulator, every vendor whose
//! names are unique (Rootly's are not).

mod common;

use common::{EmulatorProcess, Run, Workspace, ZENML_ORG};

const CBD: &str = "  lifecycle {\n    create_before_destroy = true\n  }";

/// `-replace=<address>` of a resource that has create_before_destroy: the
/// new object cannot take the name; the error must say so.
fn replace_keeping_name(emu: &EmulatorProcess, config: &str, address: &str) -> Run {
    let ws = Workspace::new(emu);
    ws.config(config);
    ws.apply();
    let run = ws.run(&[
        "apply",
        "-auto-approve",
        "-no-color",
        &format!("-replace={address}"),
    ]);
    assert_ne!(run.status, 0, "{}", run.all());
    // Terraform wraps diagnostics at spaces.
    let out = run.all().replace('\n', " ");
    assert!(out.contains("already exists"), "{out}");
    assert!(
        out.contains("create_before_destroy cannot work with an unchanged name"),
        "{out}"
    );
    assert!(out.contains("different name"), "{out}");
    // The old object is still in state and unchanged: nothing was lost.
    ws.assert_no_changes();
    run
}

/// A create of a built-in's name: reserved, and no advice to import.
fn built_in_name(emu: &EmulatorProcess, config: &str) -> String {
    let ws = Workspace::new(emu);
    ws.config(config);
    let run = ws.run(&["apply", "-auto-approve", "-no-color"]);
    assert_ne!(run.status, 0, "{}", run.all());
    let out = run.all().replace('\n', " ");
    assert!(out.contains("Built-in names are reserved"), "{out}");
    assert!(!out.contains("import it"), "untrue advice:\n{out}");
    out
}

#[test]
fn slashid_replace_with_create_before_destroy_keeping_the_name() {
    let emu = EmulatorProcess::start(&[]);
    replace_keeping_name(
        &emu,
        &format!(
            "provider \"rbac\" {{\n  slashid {{}}\n}}\n\nresource \"rbac_slashid_permission\" \"p\" {{\n  \
             name = \"acc.cbd.read\"\n{CBD}\n}}\n"
        ),
        "rbac_slashid_permission.p",
    );
    replace_keeping_name(
        &emu,
        &format!(
            "provider \"rbac\" {{\n  slashid {{}}\n}}\n\nresource \"rbac_slashid_role\" \"r\" {{\n  \
             name = \"acc-cbd\"\n{CBD}\n}}\n"
        ),
        "rbac_slashid_role.r",
    );
}

#[test]
fn flashduty_role_name_taken_by_own_replacement_or_built_in() {
    let emu = EmulatorProcess::start(&[]);
    replace_keeping_name(
        &emu,
        &format!(
            "provider \"rbac\" {{\n  flashduty {{}}\n}}\n\nresource \"rbac_flashduty_role\" \"r\" {{\n  \
             role_name = \"Acc CBD\"\n{CBD}\n}}\n"
        ),
        "rbac_flashduty_role.r",
    );
    let out = built_in_name(
        &emu,
        "provider \"rbac\" {\n  flashduty {}\n}\n\nresource \"rbac_flashduty_role\" \"admin\" {\n  \
         role_name = \"Admin\"\n}\n",
    );
    assert!(out.contains("rbac_flashduty_role` data source"), "{out}");
}

#[test]
fn zenml_role_name_taken_by_own_replacement_or_built_in() {
    let emu = EmulatorProcess::start(&[]);
    replace_keeping_name(
        &emu,
        &format!(
            "provider \"rbac\" {{\n  zenml {{}}\n}}\n\nresource \"rbac_zenml_role\" \"r\" {{\n  \
             organization_id = \"{ZENML_ORG}\"\n  level = \"workspace\"\n  name = \"acc-cbd\"\n{CBD}\n}}\n"
        ),
        "rbac_zenml_role.r",
    );
    let out = built_in_name(
        &emu,
        &format!(
            "provider \"rbac\" {{\n  zenml {{}}\n}}\n\nresource \"rbac_zenml_role\" \"viewer\" {{\n  \
             organization_id = \"{ZENML_ORG}\"\n  level = \"workspace\"\n  name = \"Viewer\"\n}}\n"
        ),
    );
    assert!(out.contains("rbac_zenml_roles"), "{out}");
}
