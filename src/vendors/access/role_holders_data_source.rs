//! `rbac_role_holders` data source: who holds one role of one vendor, so
//! that "who are our admins" is one lookup. The calls per vendor, and their
//! cost, are in the vendor files beside this one: list pages for
//! Flashduty (its `role_id` filter), Rootly and ZenML Pro; one read per
//! person for SlashID, which documents no reverse lookup.

use crate::framework::tf::{AttributePath, Diagnostics, Schema, Value};
use async_trait::async_trait;
use serde::{Deserialize, Serialize};

use super::model::{Holder, RoleInfo};
use super::{flashduty, rootly, slashid, zenml, AcrossVendors, Vendors, VENDOR_NAMES};
use crate::framework::data_source::DataSourceType;
use crate::framework::provider_data::{ProviderData, VendorConfig};
use crate::framework::resource::{Failure, Outcome};
use crate::framework::schema::{bool, list_of, schema, string};
use crate::framework::timeouts::{self, has_timeouts, DataSourceTimeouts, ReadTimeouts};

/// Terraform state of the `rbac_role_holders` data source.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct RoleHoldersState {
    pub vendor: Value<String>,
    pub role_id: Value<String>,
    pub role_name: Value<String>,
    pub built_in: Value<bool>,
    pub holders: Value<Vec<Value<Holder>>>,
    pub timeouts: DataSourceTimeouts,
}
has_timeouts!(RoleHoldersState, ReadTimeouts);

/// The data source; [`crate::framework::data_source::DataAdapter`] serves it.
pub struct RoleHoldersDataSource(pub Vendors);

/// The vendor's client, or the configuration error as a failure.
fn client<V: VendorConfig>(data: &ProviderData<V>) -> Result<V::Client, Failure<()>> {
    data.client()
        .map_err(|e| Failure::message("Provider configuration error", e.to_string()))
}

#[async_trait]
impl DataSourceType for RoleHoldersDataSource {
    type Vendor = AcrossVendors;
    type State = RoleHoldersState;
    const TYPE_NAME: &'static str = "role_holders";
    const KIND: &'static str = "role holders";

    fn schema() -> Schema {
        schema(
            "Who holds one role of one vendor: Flashduty members (the `role_id` filter of \
             `/member/list`), Rootly users holding an on-call role, SlashID persons, ZenML Pro users \
             holding a role directly or through a team (with the assignment's scope). Flashduty, \
             Rootly and ZenML cost list pages; SlashID documents no lookup by role, so it reads the \
             roles of every person of the organization (one call each). A role that does not exist is \
             an error.",
            vec![
                ("vendor", string().required().description(
                    "`flashduty`, `rootly`, `slashid` or `zenml`.",
                )),
                ("role_id", string().required().description(
                    "The role: a Flashduty role ID (decimal), a Rootly on-call role UUID or slug, a \
                     SlashID role name (with or without the organization prefix), a ZenML role UUID.",
                )),
                ("role_name", string().computed().description("The role's name.")),
                ("built_in", bool().computed().description(
                    "Whether it is one of the vendor's own roles rather than a custom one.",
                )),
                ("holders", list_of(Holder::attribute_type()).computed().description(
                    "Each holder: `account_id` (member ID in decimal, user ID, person ID), `email`, \
                     `name`; for ZenML the assignment's `organization_id`, `workspace_id`, `project_id`, \
                     and `team_id` / `team_name` when held through a team (one entry per team member).",
                )),
            ],
            vec![timeouts::data_source_block()],
        )
    }

    fn validate(diags: &mut Diagnostics, config: &RoleHoldersState) {
        if let Value::Value(vendor) = &config.vendor {
            if !VENDOR_NAMES.contains(&vendor.as_str()) {
                diags.error(
                    "Invalid value for vendor",
                    format!(
                        "{vendor:?} is not a vendor; use one of {}",
                        VENDOR_NAMES.join(", ")
                    ),
                    AttributePath::new("vendor"),
                );
            }
            if let (true, Value::Value(id)) = (vendor == "flashduty", &config.role_id) {
                if id.parse::<u64>().is_err() {
                    diags.error(
                        "Invalid value for role_id",
                        format!("a Flashduty role ID is a whole number, not {id:?}"),
                        AttributePath::new("role_id"),
                    );
                }
            }
        }
        if matches!(&config.role_id, Value::Value(id) if id.trim().is_empty()) {
            diags.error(
                "Invalid value for role_id",
                "role_id must not be empty",
                AttributePath::new("role_id"),
            );
        }
    }

    async fn read(&self, _client: &(), config: RoleHoldersState) -> Outcome<RoleHoldersState, ()> {
        let vendor = config.vendor.as_ref_option().cloned().unwrap_or_default();
        let role_id = config.role_id.as_ref_option().cloned().unwrap_or_default();
        let v = &self.0;
        let found: Option<(RoleInfo, Vec<Holder>)> = match vendor.as_str() {
            "flashduty" => {
                let id = role_id.parse::<u64>().map_err(|_| {
                    Failure::message("Invalid value for role_id", "not a Flashduty role ID")
                })?;
                let c = client(&v.flashduty)?;
                flashduty::holders(&c, id).await.map_err(Failure::vendor)?
            }
            "rootly" => {
                let c = client(&v.rootly)?;
                rootly::holders(&c, &role_id)
                    .await
                    .map_err(Failure::vendor)?
            }
            "slashid" => {
                let c = client(&v.slashid)?;
                slashid::holders(&c, &role_id)
                    .await
                    .map_err(Failure::vendor)?
            }
            _ => {
                let c = client(&v.zenml)?;
                zenml::holders(&c, &role_id)
                    .await
                    .map_err(Failure::vendor)?
            }
        };
        let Some((info, holders)) = found else {
            return Err(Failure::message(
                "Role not found",
                format!("{vendor} has no role {role_id:?}"),
            ));
        };
        Ok(RoleHoldersState {
            role_name: Value::Value(info.name),
            built_in: Value::Value(info.built_in),
            holders: Value::Value(holders.into_iter().map(Value::Value).collect()),
            ..config
        })
    }
}
