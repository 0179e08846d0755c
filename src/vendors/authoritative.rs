//! Authoritative assignments: one resource sets a holder's whole set of
//! roles (`rbac_flashduty_member_roles`, `rbac_slashid_person_roles`,
//! `rbac_rootly_user_on_call_role`). Its first apply revokes whatever the
//! holder held that the configuration leaves out, so the plan says so
//! first: the diff of a create shows only the new set, never what it
//! replaces.

use crate::framework::resource::Warnings;

/// Adds the plan-time warning that creating the resource for `holder`
/// (e.g. `Flashduty member 5068740052131`) revokes `revoked` (role names
/// or IDs, as the user would recognise them); `attribute` is the set's
/// attribute and `type_name` the resource type. Nothing when `revoked` is
/// empty.
pub fn warn_revocations(
    warnings: &mut Warnings,
    type_name: &str,
    holder: &str,
    attribute: &str,
    revoked: &[String],
) {
    if revoked.is_empty() {
        return;
    }
    let noun = if revoked.len() == 1 { "role" } else { "roles" };
    warnings.add(
        format!(
            "{holder} will lose {} {noun}: {}",
            revoked.len(),
            revoked.join(", ")
        ),
        format!(
            "{type_name} is authoritative: this apply sets the holder's whole set to {attribute}, \
             which revokes what the holder has today and {attribute} leaves out ({}). To keep \
             them, add them to {attribute}; to see the current set first, import the resource \
             instead of creating it.",
            revoked.join(", ")
        ),
    );
}
