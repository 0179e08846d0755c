//! `rbac_flashduty_members` data source: members looked up by email or
//! name through `/member/list` (its `query` search, every page walked),
//! with the roles each holds (vendors/flashduty.md "Member assignment").

use std::sync::Arc;

use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use tf_provider::schema::{AttributeType, Schema};
use tf_provider::value::{Value, ValueEmpty};
use tf_provider::{DataSource, Diagnostics};

use super::config::ProviderData;
use super::members::MemberItem;
use crate::framework::diag::vendor_error;
use crate::framework::plan::number_set;
use crate::framework::schema::{list_of, object, schema, string};
use crate::framework::ValueNumberSet;

/// Terraform state of the `rbac_flashduty_members` data source.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct MembersState {
    pub email: Value<String>,
    pub name: Value<String>,
    pub members: Value<Vec<Value<MemberObject>>>,
}

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

/// The data source.
pub struct MembersDataSource {
    provider: Arc<ProviderData>,
}

impl MembersDataSource {
    pub fn new(provider: Arc<ProviderData>) -> Self {
        Self { provider }
    }

    /// The schema; its descriptions are the published documentation.
    pub fn schema() -> Schema {
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
            vec![],
        )
    }
}

#[async_trait]
impl DataSource for MembersDataSource {
    type State<'a> = MembersState;
    type ProviderMetaState<'a> = ValueEmpty;

    fn schema(&self, _diags: &mut Diagnostics) -> Option<Schema> {
        Some(Self::schema())
    }

    async fn validate<'a>(&self, diags: &mut Diagnostics, config: MembersState) -> Option<()> {
        for (name, value) in [("email", &config.email), ("name", &config.name)] {
            if matches!(value, Value::Value(v) if v.trim().is_empty()) {
                diags.error(
                    format!("Invalid value for {name}"),
                    format!("{name} must not be empty; leave it unset to list every member."),
                    tf_provider::AttributePath::new(name),
                );
            }
        }
        Some(())
    }

    async fn read<'a>(
        &self,
        diags: &mut Diagnostics,
        config: MembersState,
        _meta: ValueEmpty,
    ) -> Option<MembersState> {
        let client = self.provider.client_or_report(diags)?;
        let email = config.email.as_ref_option();
        let name = config.name.as_ref_option();
        // Flashduty's `query` searches names and emails; the exact match is ours.
        let query = email.or(name).map(String::as_str);
        let members = match client.list_members(query).await {
            Ok(members) => members,
            Err(err) => {
                vendor_error(diags, "listing Flashduty members", &err);
                return None;
            }
        };
        let members = members
            .iter()
            .filter(|m| !m.is_deleted())
            .filter(|m| email.is_none_or(|e| m.email.eq_ignore_ascii_case(e)))
            .filter(|m| name.is_none_or(|n| m.member_name == *n))
            .map(|m| Value::Value(MemberObject::from_item(m)))
            .collect();
        Some(MembersState {
            members: Value::Value(members),
            ..config
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn state_matches_schema() {
        crate::framework::schema::assert_state_matches_schema::<MembersState>(
            &MembersDataSource::schema(),
        );
    }
}
