//! The data-source adapter through every outcome, with a fake data source
//! whose answer the test sets.

use std::sync::Mutex;

use crate::framework::tf::Value;
use serde::{Deserialize, Serialize};

use super::*;
use crate::framework::failure::Failure;
use crate::framework::schema::{schema, string};
use crate::framework::test_vendor::{errors, FakeBlock, FakeClient, FakeVendor};
use crate::framework::timeouts::{self, DataSourceTimeouts};

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
struct FakeState {
    name: Value<String>,
    found: Value<String>,
    timeouts: DataSourceTimeouts,
}
crate::framework::timeouts::has_timeouts!(FakeState, ReadTimeouts);

/// Answers with what the test set.
#[derive(Default)]
struct FakeSource {
    answer: Mutex<Option<Outcome<FakeState, ()>>>,
}

#[async_trait]
impl DataSourceType for FakeSource {
    type Vendor = FakeVendor;
    type State = FakeState;
    const TYPE_NAME: &'static str = "fake_things";
    const KIND: &'static str = "fake things";

    fn schema() -> Schema {
        schema(
            "Fake things.",
            vec![
                ("name", string().required()),
                ("found", string().computed()),
            ],
            vec![timeouts::data_source_block()],
        )
    }

    async fn read(&self, _: &FakeClient, _: FakeState) -> Outcome<FakeState, ()> {
        self.answer
            .lock()
            .unwrap()
            .take()
            .expect("an answer was set")
    }
}

fn adapter(key: Value<String>) -> DataAdapter<FakeSource> {
    let data = Arc::new(ProviderData::<FakeVendor>::default());
    data.configure(Value::Value(vec![FakeBlock { key }]), "test".into());
    DataAdapter::new(FakeSource::default(), data)
}

fn config() -> FakeState {
    FakeState {
        name: Value::Value("n".into()),
        ..Default::default()
    }
}

#[tokio::test]
async fn read_found_and_failed() {
    let a = adapter(Value::Value("k".into()));
    let found = FakeState {
        found: Value::Value("yes".into()),
        ..config()
    };
    *a.data_source.answer.lock().unwrap() = Some(Ok(found.clone()));
    let mut diags = Diagnostics::default();
    let got = a.read(&mut diags, config()).await;
    assert_eq!(got, Some(found));
    assert!(diags.errors.is_empty());

    *a.data_source.answer.lock().unwrap() = Some(Err(Failure::vendor("HTTP 503 (request id r-1)")));
    let got = a.read(&mut diags, config()).await;
    assert_eq!(got, None);
    assert_eq!(
        errors(&diags),
        ["Error reading fake things: HTTP 503 (request id r-1)"]
    );
}

#[tokio::test]
async fn an_unknown_configuration_is_one_clear_error_and_no_call() {
    let a = adapter(Value::Unknown);
    let mut diags = Diagnostics::default();
    // No answer is set: a call to the fake would panic.
    let got = a.read(&mut diags, config()).await;
    assert_eq!(got, None);
    assert_eq!(diags.errors.len(), 1);
    assert!(
        errors(&diags)[0].contains("`fake.key`"),
        "{:?}",
        errors(&diags)
    );
}

#[tokio::test]
async fn a_bad_timeout_is_refused_at_validate() {
    let a = adapter(Value::Value("k".into()));
    let mut config = config();
    config.timeouts = serde_json::from_value(serde_json::json!([{"read": "soon"}])).unwrap();
    let mut diags = Diagnostics::default();
    a.validate(&mut diags, config);
    assert_eq!(diags.errors.len(), 1);
    assert!(
        errors(&diags)[0].contains("timeouts.read"),
        "{:?}",
        errors(&diags)
    );
}

#[tokio::test]
async fn a_null_required_attribute_is_refused_at_validate_and_read() {
    let a = adapter(Value::Value("k".into()));
    let expected = [
        "Missing Configuration for Required Attribute: Must set a configuration \
         value for the name attribute as the provider has marked it as required.",
    ];
    let mut diags = Diagnostics::default();
    a.validate(&mut diags, FakeState::default());
    assert_eq!(errors(&diags), expected);
    // No answer is set: a call to the fake would panic.
    let mut diags = Diagnostics::default();
    let got = a.read(&mut diags, FakeState::default()).await;
    assert_eq!(got, None);
    assert_eq!(errors(&diags), expected);
}
