//! Faults on the listings an access review walks: a page that fails fails
//! the whole review (an error naming the vendor), never a shorter answer.
//! The faults are answers of the wrong shape (`types`) on a page after the
//! first, more times in a row than the HTTP core retries a garbled read.

mod access_people;
mod common;

use access_people::*;
use common::{EmulatorProcess, Workspace};
use serde_json::json;

const CONFIG: &str = r#"provider "rbac" {}

data "rbac_access" "review" {
  emails = ["ada@example.com", "bob@example.com", "m120@example.com"]
}

output "people" {
  value = length(data.rbac_access.review.people)
}
"#;

/// Plans the review with `script` (`"<METHOD> <path>=<fault>:<times>"`,
/// in order) and returns the failed run's output.
fn plan_with_faults(emu: &EmulatorProcess, script: &[&str]) -> String {
    let script: Vec<serde_json::Value> = script
        .iter()
        .map(|s| {
            let (endpoint, fault) = s.rsplit_once('=').unwrap();
            let (kind, times) = fault.split_once(':').unwrap();
            json!({"endpoint": endpoint, "kind": kind, "times": times.parse::<u32>().unwrap()})
        })
        .collect();
    emu.set_faults(json!({"script": script}));
    let ws = Workspace::new(emu);
    ws.config(CONFIG);
    let run = ws.run(&["plan", "-no-color"]);
    assert_ne!(
        run.status,
        0,
        "a failed listing must fail the plan:\n{}",
        run.all()
    );
    assert!(!run.stdout.contains("people = 3"), "{}", run.all());
    run.all()
}

#[test]
fn access_fails_when_a_flashduty_member_page_fails() {
    let emu = EmulatorProcess::start(&[]);
    seed(&emu);
    let members: Vec<_> = (0..150)
        .map(|i| json!({"member_name": format!("M{i}"), "email": format!("m{i}@example.com")}))
        .collect();
    control(&emu, "flashduty/members", json!({"add": members}));
    let out = plan_with_faults(
        &emu,
        &[
            "POST /flashduty/member/list=pass:1",
            "POST /flashduty/member/list=types:10",
        ],
    );
    assert!(out.contains("Flashduty"), "{out}");
}

#[test]
fn access_fails_when_a_rootly_user_page_fails() {
    let emu = EmulatorProcess::start(&[]);
    seed(&emu);
    for i in 0..120 {
        control(
            &emu,
            "rootly/users",
            json!({"email": format!("m{i}@example.com"), "first_name": "M", "last_name": "X"}),
        );
    }
    let out = plan_with_faults(
        &emu,
        &[
            "GET /rootly/v1/users=pass:1",
            "GET /rootly/v1/users=types:10",
        ],
    );
    assert!(out.contains("Rootly"), "{out}");
}

#[test]
fn access_fails_when_a_slashid_person_read_fails() {
    let emu = EmulatorProcess::start(&[]);
    seed(&emu);
    let out = plan_with_faults(&emu, &["GET /slashid/persons/*=types:10"]);
    assert!(out.contains("SlashID"), "{out}");
}

#[test]
fn access_fails_when_a_zenml_listing_fails() {
    let emu = EmulatorProcess::start(&[]);
    seed(&emu);
    // The assignment listings after the first three (read 8 at a time,
    // so the faults go to every role still listed, each retried).
    let out = plan_with_faults(
        &emu,
        &["GET /zenml/roles/*=pass:3", "GET /zenml/roles/*=types:40"],
    );
    assert!(out.contains("ZenML"), "{out}");
    // The team's member listing.
    let out = plan_with_faults(&emu, &["GET /zenml/teams/*=types:10"]);
    assert!(out.contains("ZenML"), "{out}");
}
