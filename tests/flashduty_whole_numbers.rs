//! Number attributes of resources through the real terraform CLI against
//! the emulator: a fraction, or a number too large for an ID, is an error
//! at validate and plan naming the attribute (Terraform points at the
//! line), never tf-provider's decode failure, and no request is sent.
//! Only Flashduty's resources take numbers (the provider block's are
//! tested in `provider_unknown_config.rs`).

mod common;

use common::{EmulatorProcess, Workspace};

const PROVIDER: &str = "provider \"rbac\" {\n  flashduty {}\n}\n";
const ALICE: u64 = 2_476_444_212_131;

fn member_roles(member_id: &str, role_ids: &str) -> String {
    format!(
        "{PROVIDER}\nresource \"rbac_flashduty_member_roles\" \"x\" {{\n  member_id = {member_id}\n  role_ids  = {role_ids}\n}}\n"
    )
}

fn role(permission_ids: &str) -> String {
    format!(
        "{PROVIDER}\nresource \"rbac_flashduty_role\" \"r\" {{\n  role_name      = \"acc-whole-numbers\"\n  permission_ids = {permission_ids}\n}}\n"
    )
}

/// Runs `terraform <command>`, which must fail; its output on one line.
fn refused(ws: &Workspace, command: &str) -> String {
    let run = ws.run(&[command, "-no-color"]);
    let text = run.all().split_whitespace().collect::<Vec<_>>().join(" ");
    assert_ne!(run.status, 0, "terraform {command} succeeded: {text}");
    assert!(!text.contains("did not match any variant"), "{text}");
    text
}

#[test]
fn flashduty_fractional_and_huge_numbers_name_the_attribute() {
    let emu = EmulatorProcess::start(&[]);
    let ws = Workspace::new(&emu);
    // (config, what the error must say, the source line Terraform shows)
    let cases = [
        (
            member_roles("1.5", "[2.5]"),
            vec![
                "member_id must be a whole number; got 1.5",
                "role_ids elements must be whole numbers; got 2.5",
            ],
            "member_id = 1.5",
        ),
        (
            member_roles(&ALICE.to_string(), "[6, 99.9]"),
            // 99.9 reaches the provider as cty's decimal string.
            vec!["role_ids elements must be whole numbers; got 99.9"],
            "role_ids = [6, 99.9]",
        ),
        (
            member_roles("1e30", "[6]"),
            vec!["member_id must be a positive whole number up to 9223372036854775807; got 1000000000000000000000000000000."],
            "member_id = 1e30",
        ),
        (
            member_roles(&ALICE.to_string(), "[6, -1e30]"),
            vec!["role_ids elements must be positive whole numbers up to 9223372036854775807; got -1000000000000000000000000000000."],
            "role_ids = [6, -1e30]",
        ),
        (
            member_roles("-5", "[-2]"),
            vec![
                "member_id must be a positive Flashduty member ID",
                "role_ids must hold positive Flashduty role IDs",
            ],
            "member_id = -5",
        ),
        (
            role("[501, 1.5]"),
            vec!["permission_ids elements must be whole numbers; got 1.5"],
            "permission_ids = [501, 1.5]",
        ),
        (
            role("[1e30]"),
            vec!["permission_ids elements must be positive whole numbers up to 9223372036854775807; got 1000000000000000000000000000000."],
            "permission_ids = [1e30]",
        ),
        (
            role("[-501]"),
            vec!["permission_ids must hold positive permission IDs"],
            "permission_ids = [-501]",
        ),
    ];
    for (config, messages, line) in &cases {
        ws.config(config);
        for command in ["validate", "plan"] {
            let text = refused(&ws, command);
            for message in messages {
                assert!(text.contains(message), "{command}: {message}: {text}");
            }
            assert!(text.contains(line), "{command}: {line}: {text}");
        }
    }
    // Refused before the provider was configured: Flashduty saw nothing.
    let stats = emu.stats();
    assert_eq!(stats["total"], 0, "{stats}");

    // Whole numbers still work, unknown elements included, and the state
    // (whole numbers) plans clean.
    ws.config(&format!(
        "{}\nresource \"rbac_flashduty_member_roles\" \"x\" {{\n  member_id = {ALICE}\n  role_ids  = [rbac_flashduty_role.r.id, 6]\n}}\n",
        role("[501]")
    ));
    ws.apply();
    ws.assert_no_changes();
    let state = ws.resource("rbac_flashduty_member_roles.x").unwrap();
    assert_eq!(state["member_id"], ALICE);
    let role = ws.resource("rbac_flashduty_role.r").unwrap();
    assert_eq!(role["permission_ids"], serde_json::json!([501]));
}
