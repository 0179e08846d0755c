//! A fake resource whose answers the adapter's tests set, with its
//! vendor, configuration block and client.

use std::sync::{Arc, Mutex};

use crate::framework::tf::AttributePath;
use crate::framework::tf::Schema;
use crate::framework::tf::{Value, ValueEmpty};
use async_trait::async_trait;
use serde::{Deserialize, Serialize};

use crate::framework::provider_data::ProviderData;
use crate::framework::resource::{
    Adapter, Deleted, Failure, Outcome, Read, ResourceType, Warnings,
};
use crate::framework::schema::{schema, string};
pub(super) use crate::framework::test_vendor::{errors, FakeBlock, FakeClient, FakeVendor};

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub(super) struct FakeState {
    pub(super) id: Value<String>,
    pub(super) name: Value<String>,
    pub(super) timeouts: crate::framework::timeouts::ResourceTimeouts,
}
crate::framework::timeouts::has_timeouts!(FakeState);

pub(super) fn state(id: &str) -> FakeState {
    FakeState {
        id: Value::Value(id.into()),
        name: Value::Value("n".into()),
        timeouts: Default::default(),
    }
}

pub(super) type FakeRead = Outcome<Read<(FakeState, ValueEmpty)>, FakeState>;

/// What the fake answers next, and what the adapter asked.
#[derive(Default)]
pub(super) struct Fake {
    pub(super) read: Mutex<Option<FakeRead>>,
    pub(super) write: Mutex<Option<Outcome<(FakeState, ValueEmpty), FakeState>>>,
    pub(super) delete: Mutex<Option<Outcome<Deleted, FakeState>>>,
    pub(super) planned_without_client: Mutex<bool>,
    /// What settling a pending state (empty ID) finds.
    pub(super) settle: Mutex<Option<FakeRead>>,
    /// The state the last delete was asked to delete.
    pub(super) deleted: Mutex<Option<FakeState>>,
}

#[async_trait]
impl ResourceType for Fake {
    type Vendor = FakeVendor;
    type State = FakeState;
    type Private = ValueEmpty;
    const TYPE_NAME: &'static str = "fake_thing";
    const KIND: &'static str = "fake thing";

    fn schema() -> Schema {
        schema(
            "fake",
            vec![("id", string().computed()), ("name", string().required())],
            vec![],
        )
    }
    fn label(state: &FakeState) -> String {
        state.id.as_ref_option().cloned().unwrap_or_default()
    }
    fn plan_destroy(prior: &FakeState) -> Outcome<(), FakeState> {
        match prior.name.as_ref_option().map(String::as_str) {
            Some("locked") => Err(Failure::message(
                "Cannot delete a locked fake thing",
                "It is locked.",
            )),
            _ => Ok(()),
        }
    }
    async fn plan(
        &self,
        client: Option<&FakeClient>,
        config: FakeState,
        _prior: Option<&FakeState>,
    ) -> Outcome<(FakeState, Vec<AttributePath>), FakeState> {
        *self.planned_without_client.lock().unwrap() = client.is_none();
        Ok((config, vec![]))
    }
    /// An empty ID: a create whose outcome stayed unknown.
    fn pending(state: &FakeState) -> bool {
        state.id == Value::Value(String::new())
    }
    async fn settle(&self, _: &FakeClient, _: &FakeState, _: &ValueEmpty) -> FakeRead {
        self.settle.lock().unwrap().take().unwrap()
    }
    async fn create(
        &self,
        _: &FakeClient,
        _: FakeState,
    ) -> Outcome<(FakeState, ValueEmpty), FakeState> {
        self.write.lock().unwrap().take().unwrap()
    }
    async fn read(&self, _: &FakeClient, _: &FakeState, _: &ValueEmpty) -> FakeRead {
        self.read.lock().unwrap().take().unwrap()
    }
    async fn update(
        &self,
        _: &FakeClient,
        _: FakeState,
        _: FakeState,
        _: &ValueEmpty,
    ) -> Outcome<(FakeState, ValueEmpty), FakeState> {
        self.write.lock().unwrap().take().unwrap()
    }
    async fn delete(
        &self,
        _: &FakeClient,
        prior: &FakeState,
        _: &ValueEmpty,
    ) -> Outcome<Deleted, FakeState> {
        *self.deleted.lock().unwrap() = Some(prior.clone());
        self.delete.lock().unwrap().take().unwrap()
    }
    async fn import(
        &self,
        _: &FakeClient,
        id: &str,
    ) -> Outcome<(FakeState, ValueEmpty), FakeState> {
        Err(Failure::message(
            format!("Cannot import fake thing {id:?}: no such thing"),
            "Import takes the ID.",
        ))
    }
    async fn import_with_warnings(
        &self,
        client: &FakeClient,
        id: &str,
        warnings: &mut Warnings,
    ) -> Outcome<(FakeState, ValueEmpty), FakeState> {
        if id == "w" {
            warnings.add("Imported by name", "No thing has ID w.");
        }
        if id == "deadline" {
            // What bounds an import: the default budget, as the HTTP core sees it.
            let deadline = crate::http::Deadline::current().expect("import runs under a deadline");
            let detail = crate::http::human(deadline.budget());
            return Err(Failure::message("import deadline", detail));
        }
        self.import(client, id).await
    }
}

pub(super) fn adapter(key: Value<String>) -> Adapter<Fake> {
    let data = Arc::new(ProviderData::<FakeVendor>::default());
    data.configure(Value::Value(vec![FakeBlock { key }]), "test".into());
    Adapter::new(Fake::default(), data)
}
