//! The `*_permissions` attributes shared by the resource and the data
//! sources: one set of strings per family of the allowed-values table in
//! docs/vendors/rootly.md, "Attributes".

/// Declares a State struct with the given fields plus one
/// `ValueStringSet` field per permission family (in the order of
/// [`super::api::PERMISSION_FAMILIES`]), and `families()` /
/// `families_mut()` to walk them by name.
macro_rules! with_permission_families {
    (
        $(#[$meta:meta])*
        pub struct $name:ident { $(pub $field:ident : $ty:ty,)* }
    ) => {
        with_permission_families!(@build $(#[$meta])* $name { $($field: $ty,)* } [
            alert_fields_permissions, alert_groups_permissions,
            alert_routing_rules_permissions, alert_sources_permissions,
            alert_urgency_permissions, alerts_permissions, api_keys_permissions,
            audits_permissions, catalogs_permissions, contacts_permissions,
            escalation_policies_permissions, functionalities_permissions,
            groups_permissions, heartbeats_permissions, integrations_permissions,
            invitations_permissions, live_call_routing_permissions,
            on_call_readiness_report_permissions, on_call_roles_permissions,
            schedule_override_permissions, schedules_permissions,
            services_permissions, webhooks_permissions, workflows_permissions,
        ]);
    };
    (@build $(#[$meta:meta])* $name:ident { $($field:ident: $ty:ty,)* } [$($family:ident,)*]) => {
        $(#[$meta])*
        pub struct $name {
            $(pub $field: $ty,)*
            $(pub $family: $crate::framework::ValueStringSet,)*
        }

        impl $name {
            /// Every permission family, by attribute name.
            pub fn families(&self) -> Vec<(&'static str, &$crate::framework::ValueStringSet)> {
                vec![$((stringify!($family), &self.$family),)*]
            }

            /// Every permission family, by attribute name, mutably.
            pub fn families_mut(
                &mut self,
            ) -> Vec<(&'static str, &mut $crate::framework::ValueStringSet)> {
                vec![$((stringify!($family), &mut self.$family),)*]
            }
        }
    };
}

pub(crate) use with_permission_families;

/// Documentation of one family's attribute.
pub fn family_description(family: &str, allowed: &[&str], resource: bool) -> String {
    let what = family.trim_end_matches("_permissions").replace('_', " ");
    let values: Vec<String> = allowed.iter().map(|a| format!("`{a}`")).collect();
    let note = match family {
        "schedule_override_permissions" => " (Rootly allows no `read` or `delete` here)",
        "contacts_permissions" | "on_call_readiness_report_permissions" => " (read only)",
        _ => "",
    };
    if resource {
        format!(
            "Permissions on {what}: a set of {}{note}. Defaults to none (`[]`); the whole set is sent \
             on every update, so values not listed are revoked.",
            values.join(", ")
        )
    } else {
        format!(
            "Permissions on {what}: a set of {}{note}.",
            values.join(", ")
        )
    }
}
