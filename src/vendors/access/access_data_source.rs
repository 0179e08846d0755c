//! `rbac_access` data source: for each given email, the account in every
//! configured vendor, the roles it holds (with scope and team where the
//! vendor has them) and its effective permissions where the vendor exposes
//! them. A vendor without credentials is skipped and listed as such in
//! `vendors`; an email unknown everywhere is a person with no accounts.
//!
//! Each vendor's part lists its people once (see the vendor files beside
//! this one for the calls and their cost), so a review of N people costs
//! list pages, not N reads per vendor; SlashID is the documented exception.

mod answer;

use std::collections::HashSet;

use crate::framework::tf::{AttributePath, AttributeType, Diagnostics, Schema, Value};
use async_trait::async_trait;
use serde::{Deserialize, Serialize};

use super::model::{FlashdutyAccount, Grant, RootlyAccount, SlashidAccount, ZenmlAccount};
use super::{AcrossVendors, Vendors};
use crate::framework::data_source::DataSourceType;
use crate::framework::resource::Outcome;
use crate::framework::schema::{list_of, object, schema, string};
use crate::framework::timeouts::{self, has_timeouts, DataSourceTimeouts, ReadTimeouts};

/// Terraform state of the `rbac_access` data source.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct AccessState {
    pub emails: Value<Vec<Value<String>>>,
    pub zenml_organization_id: Value<String>,
    pub reviewed_at: Value<String>,
    pub vendors: Value<Vec<Value<VendorStatus>>>,
    pub people: Value<Vec<Value<Person>>>,
    pub grants: Value<Vec<Value<FlatGrant>>>,
    pub timeouts: DataSourceTimeouts,
}
has_timeouts!(AccessState, ReadTimeouts);

/// One element of `vendors`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct VendorStatus {
    pub vendor: Value<String>,
    pub configured: Value<bool>,
    pub reason: Value<String>,
}

/// One element of `people`: one per email, each vendor's account or null.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Person {
    pub email: Value<String>,
    pub flashduty: Value<FlashdutyAccount>,
    pub rootly: Value<RootlyAccount>,
    pub slashid: Value<SlashidAccount>,
    pub zenml: Value<ZenmlAccount>,
}

/// One element of `grants`: one role held by one person in one vendor,
/// the rows of an access review.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct FlatGrant {
    pub email: Value<String>,
    pub vendor: Value<String>,
    pub account_id: Value<String>,
    pub role_id: Value<String>,
    pub role_name: Value<String>,
    pub built_in: Value<bool>,
    pub organization_id: Value<String>,
    pub workspace_id: Value<String>,
    pub project_id: Value<String>,
    pub team_id: Value<String>,
    pub team_name: Value<String>,
}

impl FlatGrant {
    fn new(email: &str, vendor: &str, account_id: String, g: &Grant) -> Self {
        FlatGrant {
            email: Value::Value(email.to_string()),
            vendor: Value::Value(vendor.to_string()),
            account_id: Value::Value(account_id),
            role_id: g.role_id.clone(),
            role_name: g.role_name.clone(),
            built_in: g.built_in,
            organization_id: g.organization_id.clone(),
            workspace_id: g.workspace_id.clone(),
            project_id: g.project_id.clone(),
            team_id: g.team_id.clone(),
            team_name: g.team_name.clone(),
        }
    }
}

/// The data source; [`crate::framework::data_source::DataAdapter`] serves it.
pub struct AccessDataSource(pub Vendors);

#[async_trait]
impl DataSourceType for AccessDataSource {
    type Vendor = AcrossVendors;
    type State = AccessState;
    const TYPE_NAME: &'static str = "access";
    const KIND: &'static str = "access across vendors";

    fn schema() -> Schema {
        use AttributeType::{Bool, String as S};
        let status = object(&[("vendor", S), ("configured", Bool), ("reason", S)]);
        let person = object(&[
            ("email", S),
            ("flashduty", FlashdutyAccount::attribute_type()),
            ("rootly", RootlyAccount::attribute_type()),
            ("slashid", SlashidAccount::attribute_type()),
            ("zenml", ZenmlAccount::attribute_type()),
        ]);
        let grant = object(&[
            ("email", S),
            ("vendor", S),
            ("account_id", S),
            ("role_id", S),
            ("role_name", S),
            ("built_in", Bool),
            ("organization_id", S),
            ("workspace_id", S),
            ("project_id", S),
            ("team_id", S),
            ("team_name", S),
        ]);
        schema(
            "What given people hold in every configured vendor, for an access review: each person's \
             account (Flashduty member, Rootly user, SlashID person, ZenML Pro user), the roles it holds \
             (built-in or custom; ZenML's organization, workspace and project scope; held directly or \
             through a ZenML team) and its effective permissions where the vendor exposes them. A vendor \
             whose credentials are not set (in its provider block or its environment variables) is \
             skipped and listed with `configured = false`; an email with no account anywhere is a person \
             whose vendor attributes are all null, not an error. Each vendor's people are listed once \
             for the whole review (pages of its listing), except SlashID, which needs two reads per \
             person found (see the access-review guide). A listing that fails fails the read: the \
             answer is never partial.",
            vec![
                ("emails", list_of(S).required().description(
                    "The people to review, by email (compared exactly, case-insensitively). An email given \
                     twice (in any case) is one person.",
                )),
                ("zenml_organization_id", string().optional().description(
                    "The ZenML Pro organization whose roles to review. Unset: every organization the key \
                     can see (`GET /organizations`).",
                )),
                ("reviewed_at", string().computed().description(
                    "When the vendors were read (RFC 3339, UTC), for the review's evidence.",
                )),
                ("vendors", list_of(status).computed().description(
                    "Each vendor (`flashduty`, `rootly`, `slashid`, `zenml`): `configured`, and the \
                     `reason` it was skipped when it is not.",
                )),
                ("people", list_of(person).computed().description(
                    "One per email, in the order given: `email`, then one attribute per vendor, null when \
                     the person has no account there (or the vendor is skipped). Each account has the \
                     attribute names of the vendor's resources (`member_id` and `role_ids`, `user_id` and \
                     `on_call_role_id`, `person_id`, `user_id`), `roles` (each `role_id`, `role_name`, \
                     `built_in`, `organization_id`, `workspace_id`, `project_id`, `team_id`, \
                     `team_name`) and `permissions`: Flashduty's catalogue names of the member's roles' \
                     permissions, Rootly's on-call role permissions as `<family>.<action>`, the family named as \
                     the resource's attribute (`alerts_permissions.read`), SlashID's \
                     effective permissions; null for ZenML, whose roles carry none.",
                )),
                ("grants", list_of(grant).computed().description(
                    "Every role held, one per person, vendor and role (and scope and team): the rows an \
                     auditor reads, sorted by email, vendor and role. `account_id` is the vendor's ID of \
                     the person (a Flashduty member ID in decimal).",
                )),
            ],
            vec![timeouts::data_source_block()],
        )
    }

    fn validate(diags: &mut Diagnostics, config: &AccessState) {
        if let Value::Value(emails) = &config.emails {
            for (i, email) in emails.iter().enumerate() {
                if matches!(email, Value::Value(e) if e.trim().is_empty()) || email.is_null() {
                    diags.error(
                        "Invalid value for emails",
                        "an email must not be empty or null",
                        AttributePath::new("emails").index(i as i64),
                    );
                }
            }
        }
    }

    async fn read(&self, _client: &(), config: AccessState) -> Outcome<AccessState, ()> {
        let mut emails: Vec<String> = Vec::new();
        let mut seen = HashSet::new();
        for email in config.emails.as_ref_option().into_iter().flatten() {
            if let Value::Value(e) = email {
                if seen.insert(e.to_lowercase()) {
                    emails.push(e.clone());
                }
            }
        }
        let organization = config.zenml_organization_id.as_ref_option().cloned();
        let review = answer::review(&self.0, &emails, organization.as_deref()).await?;
        Ok(AccessState {
            reviewed_at: Value::Value(review.reviewed_at),
            vendors: Value::Value(review.vendors.into_iter().map(Value::Value).collect()),
            people: Value::Value(review.people.into_iter().map(Value::Value).collect()),
            grants: Value::Value(review.grants.into_iter().map(Value::Value).collect()),
            ..config
        })
    }
}
