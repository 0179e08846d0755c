//! `rbac_rootly_users` data source: users looked up by email or search
//! text (`GET /v1/users`, every page walked), with the on-call role each
//! holds (docs/vendors/rootly.md, "Users and the on-call role assignment").

use crate::framework::tf::Value;
use crate::framework::tf::{AttributePath, Diagnostics};
use crate::framework::tf::{AttributeType, Schema};
use async_trait::async_trait;
use serde::{Deserialize, Serialize};

use super::api::RootlyClient;
use super::api::{RootlyUser, UserFilters};
use super::config::RootlySettings;
use crate::framework::data_source::DataSourceType;
use crate::framework::resource::{Failure, Outcome};
use crate::framework::schema::{list_of, object, schema, string};
use crate::framework::timeouts::{self, has_timeouts, DataSourceTimeouts, ReadTimeouts};

/// Terraform state of the `rbac_rootly_users` data source.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct UsersState {
    pub email: Value<String>,
    pub search: Value<String>,
    pub users: Value<Vec<Value<UserObject>>>,
    pub timeouts: DataSourceTimeouts,
}
has_timeouts!(UsersState, ReadTimeouts);

/// One element of `users`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct UserObject {
    pub id: Value<String>,
    pub email: Value<String>,
    pub full_name: Value<String>,
    pub on_call_role_id: Value<String>,
}

impl UserObject {
    fn from_user(u: &RootlyUser) -> Self {
        UserObject {
            id: Value::Value(u.id.clone()),
            email: Value::Value(u.email.clone()),
            full_name: u.full_name.clone().into(),
            on_call_role_id: u.on_call_role_id.clone().into(),
        }
    }
}

/// The data source; [`crate::framework::data_source::DataAdapter`] serves it.
pub struct UsersDataSource;

#[async_trait]
impl DataSourceType for UsersDataSource {
    type Vendor = RootlySettings;
    type State = UsersState;
    const TYPE_NAME: &'static str = "rootly_users";
    const KIND: &'static str = "Rootly users";

    /// The schema; its descriptions are the published documentation.
    fn schema() -> Schema {
        let user = object(&[
            ("id", AttributeType::String),
            ("email", AttributeType::String),
            ("full_name", AttributeType::String),
            ("on_call_role_id", AttributeType::String),
        ]);
        schema(
            "Rootly users with the on-call role each holds, read page by page; without a filter, every \
             user of the organization. Filters combine (AND) and are applied by Rootly. `id` and \
             `on_call_role_id` feed `rbac_rootly_user_on_call_role` (`user_id = each.value.id`), so that \
             `for_each` and `import` blocks can adopt existing assignments.",
            vec![
                ("email", string().optional().description("Only the user with this email (`filter[email]`).")),
                ("search", string().optional().description("Only users matching this text (`filter[search]`).")),
                ("users", list_of(user).computed().description(
                    "The matching users, in Rootly's order: `id`, `email`, `full_name` (null when unset) and \
                     `on_call_role_id` (null when the user holds no on-call role).",
                )),
            ],
            vec![timeouts::data_source_block()],
        )
    }

    fn validate(diags: &mut Diagnostics, config: &UsersState) {
        for (name, value) in [("email", &config.email), ("search", &config.search)] {
            if matches!(value, Value::Value(v) if v.trim().is_empty()) {
                diags.error(
                    format!("Invalid value for {name}"),
                    format!("{name} must not be empty; leave it unset to list every user."),
                    AttributePath::new(name),
                );
            }
        }
    }

    async fn read(&self, client: &RootlyClient, config: UsersState) -> Outcome<UsersState, ()> {
        let filters = UserFilters {
            email: config.email.as_ref_option().cloned(),
            search: config.search.as_ref_option().cloned(),
            include: None,
        };
        let users = client.list_users(&filters).await.map_err(Failure::vendor)?;
        Ok(UsersState {
            users: Value::Value(
                users
                    .iter()
                    .map(|u| Value::Value(UserObject::from_user(u)))
                    .collect(),
            ),
            ..config
        })
    }
}
