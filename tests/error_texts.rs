//! Error texts a user reads, through the real terraform CLI against the
//! emulator: ID ranges that are true and echo the value written, the
//! vendor's name patterns as documented, correct plurals, a vendor's HTML
//! error page as a short excerpt, "request ID" spelt alike everywhere, and
//! a missing role's "did you mean" list kept short.

mod common;

use common::{EmulatorProcess, Workspace};
use serde_json::json;

/// Runs `terraform <command>`, which must fail; its output on one line
/// (Terraform wraps long messages).
fn refused(ws: &Workspace, command: &str) -> String {
    let run = ws.run(&[command, "-no-color"]);
    let text = run.all().split_whitespace().collect::<Vec<_>>().join(" ");
    assert_ne!(run.status, 0, "terraform {command} succeeded: {text}");
    text
}

#[test]
fn huge_ids_state_the_positive_range_and_echo_the_value_written() {
    let emu = EmulatorProcess::start(&[]);
    let ws = Workspace::new(&emu);
    let cases = [
        (
            // 2^64: a float64 holds it exactly, so cty sends a float.
            "resource \"rbac_flashduty_member_roles\" \"x\" {\n  member_id = 5068740052131\n  role_ids  = [18446744073709551616]\n}\n",
            "role_ids elements must be positive whole numbers up to 9223372036854775807; got 18446744073709551616.",
        ),
        (
            // Not a float64: cty sends the decimal text.
            "resource \"rbac_flashduty_member_roles\" \"x\" {\n  member_id = 12345678901234567890123\n  role_ids  = [6]\n}\n",
            "member_id must be a positive whole number up to 9223372036854775807; got 12345678901234567890123.",
        ),
        (
            "resource \"rbac_flashduty_role\" \"r\" {\n  role_name      = \"acc-huge\"\n  permission_ids = [1e30]\n}\n",
            "permission_ids elements must be positive whole numbers up to 9223372036854775807; got 1000000000000000000000000000000.",
        ),
    ];
    for (resource, message) in cases {
        ws.config(&format!(
            "provider \"rbac\" {{\n  flashduty {{}}\n}}\n\n{resource}"
        ));
        let text = refused(&ws, "validate");
        assert!(text.contains(message), "{message}: {text}");
        assert!(!text.contains("-9223372036854775808"), "{text}");
    }
}

#[test]
fn slashid_name_errors_show_the_documented_pattern_and_plurals() {
    let emu = EmulatorProcess::start(&[]);
    let ws = Workspace::new(&emu);
    ws.config(
        "provider \"rbac\" {\n  slashid {}\n}\n\n\
         resource \"rbac_slashid_role\" \"bad\" {\n  name = \"-ops-\"\n}\n\n\
         resource \"rbac_slashid_permission\" \"bad\" {\n  name = \"-p-\"\n}\n\n\
         resource \"rbac_slashid_role\" \"short\" {\n  name = \"a\"\n}\n",
    );
    let text = refused(&ws, "validate");
    assert!(!text.contains("(?-u)"), "{text}");
    assert!(
        text.contains(r"name must match ^[A-Za-z0-9]{1}[\w.\-:]*[A-Za-z0-9]$ (letters"),
        "{text}"
    );
    assert!(
        text.contains(r"name must match ^[A-Za-z0-9]{1}[\w./\\\-:]*[A-Za-z0-9]$ (letters"),
        "{text}"
    );
    assert!(text.contains("got 1 character."), "{text}");
    assert!(!text.contains("1 characters"), "{text}");
}

/// One read per vendor.
fn reads() -> [(&'static str, String); 4] {
    [
        (
            "flashduty {}",
            "data \"rbac_flashduty_roles\" \"all\" {}".into(),
        ),
        (
            "rootly {}",
            "data \"rbac_rootly_on_call_roles\" \"all\" {}".into(),
        ),
        (
            "zenml {}",
            format!(
                "data \"rbac_zenml_roles\" \"all\" {{\n  organization_id = \"{}\"\n}}",
                common::ZENML_ORG
            ),
        ),
        (
            "slashid {}",
            "data \"rbac_slashid_roles\" \"all\" {}".into(),
        ),
    ]
}

#[test]
fn an_html_error_page_is_a_one_line_excerpt_with_the_request_id() {
    let emu = EmulatorProcess::start(&[
        "--rate-limit",
        "off",
        "--fault-rate",
        "1",
        "--faults",
        "html",
    ]);
    let reads = reads();
    std::thread::scope(|scope| {
        for (block, data) in &reads {
            let emu = &emu;
            scope.spawn(move || {
                let ws = Workspace::new(emu);
                ws.config(&format!("provider \"rbac\" {{\n  {block}\n}}\n\n{data}\n"));
                let run = ws.run(&["plan", "-no-color"]);
                assert_ne!(run.status, 0, "{block}: {}", run.all());
                let text = run.all().split_whitespace().collect::<Vec<_>>().join(" ");
                // The page's text, once, with no markup and no line breaks.
                assert!(text.contains("502 Bad Gateway"), "{block}: {text}");
                assert!(text.contains("excerpt"), "{block}: {text}");
                for markup in ["<html>", "<center>", "</h1>", "\\r\\n", "\\n"] {
                    assert!(!text.contains(markup), "{block}: {markup}: {text}");
                }
                // Spelt as every other message spells it.
                assert!(text.contains("request ID"), "{block}: {text}");
                assert!(!text.contains("request id"), "{block}: {text}");
            });
        }
    });
}

#[test]
fn a_missing_flashduty_role_lists_a_few_names_not_the_whole_account() {
    let emu = EmulatorProcess::start(&["--rate-limit", "off"]);
    for i in 0..40 {
        emu.flashduty(
            "/role/upsert",
            json!({"role_name": format!("team-{i:02}"), "description": "", "permission_ids": []}),
        );
    }
    let ws = Workspace::new(&emu);
    ws.config(
        "provider \"rbac\" {\n  flashduty {}\n}\n\n\
         data \"rbac_flashduty_role\" \"x\" {\n  role_name = \"team-7\"\n}\n",
    );
    let text = refused(&ws, "plan");
    assert!(
        text.contains("No Flashduty role with name \"team-7\""),
        "{text}"
    );
    let shown = (0..40)
        .filter(|i| text.contains(&format!("team-{i:02}")))
        .count();
    assert_eq!(shown, 10, "{text}");
    // The closest names (one edit away), not the first ten listed.
    for close in ["team-07", "team-17", "team-27", "team-37"] {
        assert!(text.contains(&format!("{close:?}")), "{close}: {text}");
    }
    assert!(!text.contains("Admin"), "{text}");
    assert!(text.contains("and 33 more"), "{text}");
}
