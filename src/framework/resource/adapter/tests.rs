//! The adapter through every outcome, with a fake resource whose answers
//! the test sets ([`fake`]).

use crate::framework::tf::{AttributePath, Diagnostics};
use crate::framework::tf::{Value, ValueEmpty};

use crate::framework::provider_data::ProviderData;
use crate::framework::resource::{Adapter, Deleted, Failure, Read};
use fake::*;
use std::sync::Arc;

mod fake;

#[tokio::test]
async fn read_found_gone_and_failed() {
    let a = adapter(Value::Value("k".into()));
    let mut diags = Diagnostics::default();
    *a.resource.read.lock().unwrap() = Some(Ok(Read::Found((state("2"), ValueEmpty::default()))));
    let got = a.read(&mut diags, state("1"), ValueEmpty::default()).await;
    assert_eq!(got.unwrap().0, state("2"));

    *a.resource.read.lock().unwrap() = Some(Ok(Read::Gone));
    let got = a.read(&mut diags, state("1"), ValueEmpty::default()).await;
    assert!(got.is_none(), "gone drops the resource from state");
    assert!(diags.errors.is_empty());

    *a.resource.read.lock().unwrap() = Some(Err(Failure::vendor(
        "503 Service Unavailable (request ID r-1)",
    )));
    let got = a.read(&mut diags, state("1"), ValueEmpty::default()).await;
    assert_eq!(
        got.unwrap().0,
        state("1"),
        "a failed read keeps the prior state"
    );
    assert_eq!(
        errors(&diags),
        ["Error reading fake thing 1: 503 Service Unavailable (request ID r-1)"]
    );
}

#[tokio::test]
async fn create_keeps_a_confirmed_write_and_reports() {
    let a = adapter(Value::Value("k".into()));
    let mut diags = Diagnostics::default();
    *a.resource.write.lock().unwrap() =
        Some(Err(Failure::vendor("read-back failed").keep(state("9"))));
    let got = a.create(&mut diags, state("")).await;
    assert_eq!(got.unwrap().0, state("9"), "the created object is in state");
    assert_eq!(
        errors(&diags).len(),
        1,
        "and the error is reported (Terraform taints it)"
    );

    let mut diags = Diagnostics::default();
    *a.resource.write.lock().unwrap() = Some(Err(Failure::vendor("400 bad name")));
    let got = a.create(&mut diags, state("")).await;
    assert!(got.is_none());
    assert!(
        errors(&diags)[0].starts_with("Error creating fake thing"),
        "{:?}",
        errors(&diags)
    );
}

#[tokio::test]
async fn update_failure_keeps_the_prior_private_state() {
    let a = adapter(Value::Value("k".into()));
    let mut diags = Diagnostics::default();
    *a.resource.write.lock().unwrap() = Some(Err(Failure::attribute(
        AttributePath::new("name"),
        "Invalid value for name",
        "too long",
    )));
    let got = a
        .update(&mut diags, state("1"), state("1"), ValueEmpty::default())
        .await;
    assert!(got.is_none());
    assert_eq!(errors(&diags), ["Invalid value for name: too long"]);
}

#[tokio::test]
async fn delete_done_already_gone_and_failed() {
    let a = adapter(Value::Value("k".into()));
    let mut diags = Diagnostics::default();
    for outcome in [Deleted::Done, Deleted::AlreadyGone] {
        *a.resource.delete.lock().unwrap() = Some(Ok(outcome));
        let got = a
            .destroy(&mut diags, state("1"), ValueEmpty::default())
            .await;
        assert!(got.is_some(), "{outcome:?} is success");
    }
    assert!(diags.errors.is_empty());
    *a.resource.delete.lock().unwrap() = Some(Err(Failure::vendor("422 in use")));
    let got = a
        .destroy(&mut diags, state("1"), ValueEmpty::default())
        .await;
    assert!(got.is_none());
    assert_eq!(errors(&diags), ["Error deleting fake thing 1: 422 in use"]);
}

#[tokio::test]
async fn import_reports_the_resources_own_message() {
    let a = adapter(Value::Value("k".into()));
    let mut diags = Diagnostics::default();
    assert!(a.import(&mut diags, " x ".into()).await.is_none());
    assert_eq!(
        errors(&diags),
        ["Cannot import fake thing \"x\": no such thing: Import takes the ID."]
    );
}

#[tokio::test]
async fn import_shows_the_resources_warnings() {
    let a = adapter(Value::Value("k".into()));
    let mut diags = Diagnostics::default();
    assert!(a.import(&mut diags, "w".into()).await.is_none());
    let warnings: Vec<String> = diags
        .warnings
        .iter()
        .map(|d| format!("{}: {}", d.summary, d.detail.lines().next().unwrap_or("")))
        .collect();
    assert_eq!(warnings, ["Imported by name: No thing has ID w."]);
    assert_eq!(errors(&diags).len(), 1);
}

#[tokio::test]
async fn unknown_configuration_plans_without_a_client_and_fails_reads() {
    let a = adapter(Value::Unknown);
    let mut diags = Diagnostics::default();
    let planned = a.plan_create(&mut diags, state("")).await;
    assert!(planned.is_some() && diags.errors.is_empty());
    assert!(*a.resource.planned_without_client.lock().unwrap());
    let got = a.read(&mut diags, state("1"), ValueEmpty::default()).await;
    assert_eq!(got.unwrap().0, state("1"), "state is kept");
    assert!(
        errors(&diags)[0].contains("`fake.key`"),
        "{:?}",
        errors(&diags)
    );
}

#[test]
fn not_configured_is_one_clear_error() {
    let a = Adapter::new(
        Fake::default(),
        Arc::new(ProviderData::<FakeVendor>::default()),
    );
    let mut diags = Diagnostics::default();
    let rt = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    assert!(rt.block_on(a.import(&mut diags, "x".into())).is_none());
    assert!(errors(&diags)[0].contains("not been configured"));
}

#[test]
fn a_kept_state_carries_its_own_private_state_when_given() {
    let mut diags = Diagnostics::default();
    let kept = Failure::vendor("read back differs")
        .keep_with(state("1"), "new etag".to_string())
        .report_with(&mut diags, "updating fake thing 1", "old etag".to_string());
    assert_eq!(kept, Some((state("1"), "new etag".to_string())));
    let kept = Failure::vendor("read back differs")
        .keep(state("1"))
        .report_with(&mut diags, "updating fake thing 1", "old etag".to_string());
    assert_eq!(kept, Some((state("1"), "old etag".to_string())));
    assert_eq!(errors(&diags).len(), 2);
}

#[tokio::test]
async fn plan_destroy_can_refuse() {
    let a = adapter(Value::Value("k".into()));
    let mut diags = Diagnostics::default();
    let planned = a
        .plan_destroy(&mut diags, state("1"), ValueEmpty::default())
        .await;
    assert!(planned.is_some() && diags.errors.is_empty());
    let locked = FakeState {
        name: Value::Value("locked".into()),
        ..state("1")
    };
    let planned = a
        .plan_destroy(&mut diags, locked, ValueEmpty::default())
        .await;
    assert!(planned.is_none());
    assert_eq!(
        errors(&diags),
        ["Cannot delete a locked fake thing: It is locked."]
    );
}

#[tokio::test]
async fn several_diagnostics_are_added_as_they_are() {
    let a = adapter(Value::Value("k".into()));
    let mut own = Diagnostics::default();
    own.error("Refused `name`", "too long", AttributePath::new("name"));
    own.root_error("Refused the rest", "see above");
    *a.resource.write.lock().unwrap() = Some(Err(Failure::diagnostics(own).keep(state("3"))));
    let mut diags = Diagnostics::default();
    let got = a
        .update(&mut diags, state("3"), state("3"), ValueEmpty::default())
        .await;
    assert_eq!(got.unwrap().0, state("3"), "the kept state is recorded");
    assert_eq!(
        errors(&diags),
        ["Refused `name`: too long", "Refused the rest: see above"]
    );
    assert_eq!(diags.errors[0].attribute, AttributePath::new("name"));
}

#[tokio::test]
async fn import_runs_under_the_default_timeout() {
    let a = adapter(Value::Value("k".into()));
    let mut diags = Diagnostics::default();
    assert!(a.import(&mut diags, "deadline".into()).await.is_none());
    assert_eq!(errors(&diags), ["import deadline: 5m"]);
}

#[tokio::test]
async fn a_pending_state_is_settled_not_read_updated_or_deleted_blindly() {
    // The fake panics if asked to read, write or delete unscripted.
    let a = adapter(Value::Value("k".into()));
    let none = ValueEmpty::default;
    let mut diags = Diagnostics::default();
    *a.resource.settle.lock().unwrap() = Some(Ok(Read::Found((state("7"), none()))));
    let got = a.read(&mut diags, state(""), none()).await;
    assert_eq!(
        got.unwrap().0,
        state("7"),
        "the refresh records what settling found"
    );

    let got = a.update(&mut diags, state(""), state(""), none()).await;
    assert!(got.is_none(), "no update is sent without an ID");
    assert_eq!(errors(&diags).len(), 1);
    assert!(
        errors(&diags)[0].contains("has no ID yet"),
        "{:?}",
        errors(&diags)
    );

    let mut diags = Diagnostics::default();
    *a.resource.settle.lock().unwrap() = Some(Ok(Read::Found((state("8"), none()))));
    *a.resource.delete.lock().unwrap() = Some(Ok(Deleted::Done));
    assert!(a.destroy(&mut diags, state(""), none()).await.is_some());
    assert_eq!(
        *a.resource.deleted.lock().unwrap(),
        Some(state("8")),
        "a destroy without a refresh deletes what settling finds"
    );

    *a.resource.deleted.lock().unwrap() = None;
    *a.resource.settle.lock().unwrap() = Some(Ok(Read::Gone));
    assert!(a.destroy(&mut diags, state(""), none()).await.is_some());
    assert_eq!(
        *a.resource.deleted.lock().unwrap(),
        None,
        "nothing to delete"
    );
    assert!(diags.errors.is_empty(), "{:?}", errors(&diags));
}

#[tokio::test]
async fn a_null_required_attribute_is_refused_at_validate_and_plan() {
    let a = adapter(Value::Value("k".into()));
    let null_name = FakeState {
        name: Value::Null,
        ..state("")
    };
    let expected = [
        "Missing Configuration for Required Attribute: Must set a configuration \
         value for the name attribute as the provider has marked it as required.",
    ];
    let mut diags = Diagnostics::default();
    a.validate(&mut diags, null_name.clone());
    assert_eq!(errors(&diags), expected);
    assert_eq!(diags.errors[0].attribute, AttributePath::new("name"));

    // At plan (a null known only then), before the fake's plan accepts it.
    let mut diags = Diagnostics::default();
    let config = null_name.clone();
    let planned = a.plan_create(&mut diags, config).await;
    assert!(planned.is_none());
    assert_eq!(errors(&diags), expected);
    let mut diags = Diagnostics::default();
    let planned = a
        .plan_update(&mut diags, state("1"), null_name, ValueEmpty::default())
        .await;
    assert!(planned.is_none());
    assert_eq!(errors(&diags), expected);

    // Unknown is not null: it may become known.
    let unknown_name = FakeState {
        name: Value::Unknown,
        ..state("")
    };
    let mut diags = Diagnostics::default();
    a.validate(&mut diags, unknown_name.clone());
    let planned = a.plan_create(&mut diags, unknown_name).await;
    assert!(planned.is_some() && diags.errors.is_empty());
}
