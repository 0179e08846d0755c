//! `rbac_flashduty_members` data source: members looked up by email or
//! name through `/member/list` (its `query` search, every page walked),
//! with the roles each holds (docs/vendors/flashduty.md, "Role endpoints").

use crate::framework::tf::Diagnostics;
use crate::framework::tf::Value;
use crate::framework::tf::{AttributeType, Schema};
use async_trait::async_trait;
use serde::{Deserialize, Serialize};

use super::api::FlashdutyClient;
use super::api::MemberItem;
use super::config::FlashdutySettings;
use crate::framework::data_source::DataSourceType;
use crate::framework::plan::number_set;
use crate::framework::resource::{Failure, Outcome};
use crate::framework::schema::{list_of, object, schema, string};
use crate::framework::timeouts::{self, has_timeouts, DataSourceTimeouts, ReadTimeouts};
use crate::framework::ValueNumberSet;

/// Terraform state of the `rbac_flashduty_members` data source.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct MembersState {
    pub email: Value<String>,
    pub name: Value<String>,
    pub members: Value<Vec<Value<MemberObject>>>,
    pub timeouts: DataSourceTimeouts,
}
has_timeouts!(MembersState, ReadTimeouts);

/// One element of `members`: the attribute names of
/// `rbac_flashduty_member_roles`, plus the member's name and email.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct MemberObject {
    pub member_id: Value<i64>,
    pub member_name: Value<String>,
    pub email: Value<String>,
    pub role_ids: ValueNumberSet,
}

impl MemberObject {
    fn from_item(m: &MemberItem) -> Self {
        let roles: Vec<i64> = m.role_ids().into_iter().map(|id| id as i64).collect();
        MemberObject {
            member_id: Value::Value(m.member_id as i64),
            member_name: Value::Value(m.member_name.clone()),
            email: Value::Value(m.email.clone()),
            role_ids: number_set(&roles),
        }
    }
}

/// The data source; [`crate::framework::data_source::DataAdapter`] serves it.
pub struct MembersDataSource;

#[async_trait]
impl DataSourceType for MembersDataSource {
    type Vendor = FlashdutySettings;
    type State = MembersState;
    const TYPE_NAME: &'static str = "flashduty_members";
    const KIND: &'static str = "Flashduty members";

    /// The schema; its descriptions are the published documentation.
    fn schema() -> Schema {
        let member = object(&[
            ("member_id", AttributeType::Number),
            ("member_name", AttributeType::String),
            ("email", AttributeType::String),
            (
                "role_ids",
                AttributeType::Set(Box::new(AttributeType::Number)),
            ),
        ]);
        schema(
            "Flashduty members with the roles they hold, so that configurations never hard-code member IDs. \
             Without a filter, every member of the account (every page of `/member/list`); members removed \
             from the organization are left out. The attribute names are those of \
             `rbac_flashduty_member_roles`, so that `for_each` and `import` blocks can adopt existing \
             assignments.",
            vec![
                ("email", string().optional().description(
                    "Only the member with this email (compared case-insensitively).",
                )),
                ("name", string().optional().description(
                    "Only members whose display name is exactly this (case-sensitive).",
                )),
                ("members", list_of(member).computed().description(
                    "The matching members, oldest first: `member_id`, `member_name`, `email` and `role_ids` \
                     (every role the member holds).",
                )),
            ],
            vec![timeouts::data_source_block()],
        )
    }

    fn validate(diags: &mut Diagnostics, config: &MembersState) {
        for (name, value) in [("email", &config.email), ("name", &config.name)] {
            if matches!(value, Value::Value(v) if v.trim().is_empty()) {
                diags.error(
                    format!("Invalid value for {name}"),
                    format!("{name} must not be empty; leave it unset to list every member."),
                    crate::framework::tf::AttributePath::new(name),
                );
            }
        }
    }

    async fn read(
        &self,
        client: &FlashdutyClient,
        config: MembersState,
    ) -> Outcome<MembersState, ()> {
        let email = config.email.as_ref_option();
        let name = config.name.as_ref_option();
        // Flashduty's `query` searches names and emails; the exact match is ours.
        let query = email.or(name).map(String::as_str);
        let members = client.list_members(query).await.map_err(Failure::vendor)?;
        let members = members
            .iter()
            .filter(|m| !m.is_deleted())
            .filter(|m| email.is_none_or(|e| m.email.eq_ignore_ascii_case(e)))
            .filter(|m| name.is_none_or(|n| m.member_name == *n))
            .map(|m| Value::Value(MemberObject::from_item(m)))
            .collect();
        Ok(MembersState {
            members: Value::Value(members),
            ..config
        })
    }
}
