//! `rbac_flashduty_member_roles`: the authoritative set of roles one
//! Flashduty member holds, written with `/member/role/update`, which
//! replaces the member's whole role set (docs/vendors/flashduty.md, "Role
//! endpoints").
//!
//! Destroy stops managing the member and leaves its roles as they are: the
//! app key acts with the permissions of the member who created it, so
//! resetting members (possibly that one) to Viewer on destroy could take
//! the key's own rights away mid-run, and the reset itself is unverified.

use crate::framework::tf::{AttributePath, Diagnostics};
use crate::framework::tf::{AttributeType, Schema};
use crate::framework::tf::{Value, ValueEmpty};
use async_trait::async_trait;
use serde::{Deserialize, Serialize};

use super::api::FlashdutyClient;
use super::api::{MemberItem, VIEWER_ROLE_ID};
use super::config::FlashdutySettings;
use crate::framework::plan::{known_number_set, number_set, requires_replace};
use crate::framework::resource::{
    Deleted, Failure, NewState, Outcome, Planned, Read, Refreshed, Removed, ResourceType, Warnings,
};
use crate::framework::schema::{number, schema, set_of, string};
use crate::framework::timeouts::{self, has_timeouts, ResourceTimeouts};
use crate::framework::validate::{whole_id, whole_ids, WholeNumber};
use crate::framework::ValueNumberSet;
use crate::vendors::authoritative::warn_revocations;

const IMPORT_FORMATS: &str = "Import takes the numeric member ID \
     (terraform import rbac_flashduty_member_roles.x 5068740052131) or the member's email \
     (terraform import rbac_flashduty_member_roles.x bob@example.com).";

/// Terraform state of `rbac_flashduty_member_roles`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct MemberRolesState {
    pub id: Value<String>,
    pub member_id: WholeNumber,
    pub role_ids: ValueNumberSet,
    pub timeouts: ResourceTimeouts,
}
has_timeouts!(MemberRolesState);

/// The resource; [`crate::framework::resource::Adapter`] serves it to Terraform.
pub struct MemberRolesResource;

type Result<T> = Outcome<T, MemberRolesState>;

#[async_trait]
impl ResourceType for MemberRolesResource {
    type Vendor = FlashdutySettings;
    type State = MemberRolesState;
    type Private = ValueEmpty;
    const TYPE_NAME: &'static str = "flashduty_member_roles";
    const KIND: &'static str = "Flashduty member roles";

    /// The schema; its descriptions are the published documentation.
    fn schema() -> Schema {
        schema(
            "The roles one Flashduty member holds, managed **authoritatively**: roles granted outside \
             Terraform are revoked at the next apply, and roles revoked outside Terraform are granted \
             again. Use one resource per member. Destroying the resource stops managing the member and \
             leaves its roles unchanged.",
            vec![
                ("id", string().computed().description("The member ID, as a string.")),
                (
                    "member_id",
                    number().required().description(
                        "The member's numeric ID (around 5e12; see the `rbac_flashduty_members` data source). \
                         Changing it replaces the resource.",
                    ),
                ),
                (
                    "role_ids",
                    set_of(AttributeType::Number).required().description(
                        "IDs of every role the member holds: custom roles (`rbac_flashduty_role.x.id`) and \
                         built-ins (Admin `2`, Responder `6`, Viewer `8`). An empty set is sent as is; \
                         Flashduty then resets the member to Viewer (the vendor CLI says so; unverified \
                         against the API), and the provider treats Viewer alone as matching the empty set.",
                    ),
                ),
            ],
            vec![timeouts::resource_block()],
        )
    }

    /// Plan-time checks: IDs are positive whole numbers.
    fn validate(diags: &mut Diagnostics, config: &MemberRolesState) {
        let member_id = whole_id(diags, AttributePath::new("member_id"), &config.member_id);
        if member_id.is_some_and(|n| n <= 0) {
            diags.error(
                "Invalid value for member_id",
                "member_id must be a positive Flashduty member ID (see the `rbac_flashduty_members` data source).",
                AttributePath::new("member_id"),
            );
        }
        let role_ids = whole_ids(diags, AttributePath::new("role_ids"), &config.role_ids);
        if role_ids.iter().any(|n| *n <= 0) {
            diags.error(
                "Invalid value for role_ids",
                "role_ids must hold positive Flashduty role IDs (built-ins: Admin 2, Responder 6, Viewer 8).",
                AttributePath::new("role_ids"),
            );
        }
    }

    fn label(state: &MemberRolesState) -> String {
        state
            .member_id
            .as_ref_option()
            .map(ToString::to_string)
            .unwrap_or_default()
    }

    async fn plan(
        &self,
        _: Option<&FlashdutyClient>,
        config: MemberRolesState,
        prior: Option<&MemberRolesState>,
    ) -> Planned<Self> {
        let replace = prior
            .map(|p| requires_replace(&[("member_id", p.member_id != config.member_id)]))
            .unwrap_or_default();
        let planned = MemberRolesState {
            id: match &config.member_id {
                Value::Value(n) => Value::Value(n.to_string()),
                _ => Value::Unknown,
            },
            ..config
        };
        Ok((planned, replace))
    }

    fn holder(state: &MemberRolesState) -> Option<String> {
        let id = state.member_id.as_ref_option()?.whole()?;
        Some(format!("Flashduty member {id}"))
    }

    /// A create warns of the roles the member holds today that `role_ids`
    /// leaves out: the apply revokes them.
    async fn check_plan(
        &self,
        client: &FlashdutyClient,
        planned: &MemberRolesState,
        prior: Option<&MemberRolesState>,
        _: &[AttributePath],
        warnings: &mut Warnings,
    ) -> Result<()> {
        let (None, Some(member_id), Some(wanted)) = (
            prior,
            planned.member_id.as_ref_option().and_then(|n| n.whole()),
            known_number_set(&planned.role_ids),
        ) else {
            return Ok(());
        };
        let Some(member) = client
            .member_before_run(member_id as u64)
            .await
            .map_err(Failure::vendor)?
        else {
            return Ok(());
        };
        let mut revoked = Vec::new();
        for id in recorded_roles(&member, Some(&wanted)) {
            if !wanted.contains(&id) {
                revoked.push(role_label(client, id as u64).await);
            }
        }
        let holder = format!("Flashduty member {member_id} ({})", member.email);
        warn_revocations(
            warnings,
            "rbac_flashduty_member_roles",
            &holder,
            "role_ids",
            &revoked,
        );
        Ok(())
    }

    async fn create(&self, client: &FlashdutyClient, planned: MemberRolesState) -> NewState<Self> {
        Ok((write(client, &planned).await?, ValueEmpty::default()))
    }

    async fn read(
        &self,
        client: &FlashdutyClient,
        state: &MemberRolesState,
        _: &ValueEmpty,
    ) -> Refreshed<Self> {
        let Some(member_id) = state.member_id.as_ref_option().and_then(|n| n.whole()) else {
            return Ok(Read::Gone);
        };
        match client.read_member(member_id as u64).await {
            Ok(Some(member)) => {
                let prior = known_number_set(&state.role_ids);
                let found = state_from(&member, prior.as_deref());
                Ok(Read::Found((found, ValueEmpty::default())))
            }
            Ok(None) => Ok(Read::Gone),
            Err(err) => Err(Failure::vendor(err)),
        }
    }

    async fn update(
        &self,
        client: &FlashdutyClient,
        _: MemberRolesState,
        planned: MemberRolesState,
        _: &ValueEmpty,
    ) -> NewState<Self> {
        Ok((write(client, &planned).await?, ValueEmpty::default()))
    }

    /// Stops managing: no request (see the module comment).
    async fn delete(
        &self,
        _: &FlashdutyClient,
        prior: &MemberRolesState,
        _: &ValueEmpty,
    ) -> Removed<Self> {
        tracing::info!(
            member_id = ?prior.member_id.as_ref_option(),
            "no longer managing the roles of this Flashduty member; they are left unchanged"
        );
        Ok(Deleted::Done)
    }

    async fn import(&self, client: &FlashdutyClient, key: &str) -> NewState<Self> {
        let found = if let Ok(member_id) = key.parse::<u64>() {
            client.read_member(member_id).await
        } else if key.contains('@') {
            client.find_member_by_email(key).await
        } else {
            return Err(Failure::message(
                format!("Cannot import Flashduty member roles {key:?}: unrecognised ID"),
                IMPORT_FORMATS,
            ));
        };
        match found.map_err(Failure::vendor)? {
            Some(member) => Ok((state_from(&member, None), ValueEmpty::default())),
            None => Err(Failure::message(
                format!("Cannot import Flashduty member roles {key:?}: no such member"),
                format!("No member of the account has this ID or email. {IMPORT_FORMATS}"),
            )),
        }
    }
}

/// The role set to record for `member`, given the set configured (or
/// held in state). Flashduty turns an empty set into Viewer (vendor CLI,
/// unverified), so Viewer alone matches a configured empty set; if the API
/// leaves the set empty instead, it matches too.
pub fn recorded_roles(member: &MemberItem, wanted: Option<&[i64]>) -> Vec<i64> {
    let actual: Vec<i64> = member.role_ids().into_iter().map(|id| id as i64).collect();
    match wanted {
        Some([]) if actual == [VIEWER_ROLE_ID as i64] => Vec::new(),
        _ => actual,
    }
}

/// `Name (id)` from the coalesced role listing, or the ID alone.
async fn role_label(client: &FlashdutyClient, id: u64) -> String {
    match client.read_role(id).await {
        Ok(Some(role)) => format!("{} ({id})", role.role_name),
        _ => id.to_string(),
    }
}

fn state_from(member: &MemberItem, wanted: Option<&[i64]>) -> MemberRolesState {
    MemberRolesState {
        id: Value::Value(member.member_id.to_string()),
        member_id: Value::Value((member.member_id as i64).into()),
        role_ids: number_set(&recorded_roles(member, wanted)),
        timeouts: Default::default(),
    }
}

/// Writes the set: one request. A confirmed write is the state; there is no
/// read-back, since `/member/role/update` replaces the whole set and has no
/// single-member read, and a read-back costs a walk of every member page
/// per write. Only a write whose outcome stayed unknown (answer lost,
/// retries spent) is read back, from a listing taken after it ended.
async fn write(client: &FlashdutyClient, planned: &MemberRolesState) -> Result<MemberRolesState> {
    let (Some(member_id), Some(wanted)) = (
        planned.member_id.as_ref_option().and_then(|n| n.whole()),
        known_number_set(&planned.role_ids),
    ) else {
        return Err(Failure::message(
            "member_id and role_ids must be known to assign roles",
            "",
        ));
    };
    let role_ids: Vec<u64> = wanted.iter().map(|id| *id as u64).collect();
    match client
        .update_member_roles(member_id as u64, &role_ids)
        .await
    {
        Ok(()) => {
            return Ok(MemberRolesState {
                id: Value::Value(member_id.to_string()),
                ..planned.clone()
            })
        }
        Err(err) if !err.is_ambiguous() => {
            let hint = if err.is_not_found() {
                " (the member does not exist, or one of the roles does not)"
            } else {
                ""
            };
            return Err(Failure::message(
                format!("Error setting the roles of Flashduty member {member_id}{hint}"),
                err.to_string(),
            ));
        }
        Err(err) => {
            tracing::warn!(member_id, error = %err, "outcome unknown; reading the member back")
        }
    }
    match client.read_member(member_id as u64).await {
        Ok(Some(member)) => {
            let state = state_from(&member, Some(&wanted));
            if known_number_set(&state.role_ids) != Some(wanted) {
                return Err(Failure::message(
                    format!("The roles of Flashduty member {member_id} were not updated"),
                    format!(
                        "Flashduty reports role IDs {:?} after the update. Run terraform apply again.",
                        member.role_ids()
                    ),
                )
                .keep(state));
            }
            Ok(state)
        }
        Ok(None) => Err(Failure::message(
            format!(
                "Flashduty member {member_id} no longer exists (removed from the organization)"
            ),
            "",
        )),
        Err(err) => Err(Failure::message(
            format!("Error reading Flashduty member {member_id}"),
            err.to_string(),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::framework::number::Number;

    fn member(roles: &[u64]) -> MemberItem {
        MemberItem {
            member_id: 5_068_740_052_131,
            member_name: "Bob".into(),
            email: "bob@example.com".into(),
            status: "enabled".into(),
            account_role_ids: roles.to_vec(),
        }
    }

    #[test]
    fn viewer_alone_matches_an_empty_set_only() {
        assert_eq!(recorded_roles(&member(&[8]), Some(&[])), Vec::<i64>::new());
        assert_eq!(recorded_roles(&member(&[]), Some(&[])), Vec::<i64>::new());
        assert_eq!(recorded_roles(&member(&[8]), Some(&[8])), vec![8]);
        assert_eq!(recorded_roles(&member(&[8]), None), vec![8]);
        assert_eq!(recorded_roles(&member(&[6, 8]), Some(&[])), vec![6, 8]);
    }

    #[test]
    fn validation_names_the_attribute() {
        let mut diags = Diagnostics::default();
        MemberRolesResource::validate(
            &mut diags,
            &MemberRolesState {
                member_id: Value::Value(0.into()),
                role_ids: Value::Value(vec![Value::Value((-1).into()), Value::Unknown]),
                ..Default::default()
            },
        );
        assert_eq!(diags.errors.len(), 2);
        assert!(diags.errors[0].summary.contains("member_id"));
        assert!(diags.errors[1].detail.contains("Viewer 8"));
    }

    #[test]
    fn fractions_are_named_before_the_positive_check() {
        let mut diags = Diagnostics::default();
        MemberRolesResource::validate(
            &mut diags,
            &MemberRolesState {
                member_id: Value::Value(Number::Fraction(1.5)),
                role_ids: Value::Value(vec![Value::Value(Number::Fraction(-2.5))]),
                ..Default::default()
            },
        );
        let details = crate::framework::test_vendor::details(&diags);
        assert_eq!(
            details,
            [
                "member_id must be a whole number; got 1.5.",
                "role_ids elements must be whole numbers; got -2.5."
            ]
        );
    }
}
