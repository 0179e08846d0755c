//! The permission catalogue behind `/role/permission/list` and the
//! permission factors behind `/role/permission/factor/list`.
//!
//! Names, types and descriptions follow the product docs (flashduty-docs
//! `en/platform/permission-design.mdx`). The IDs are not published anywhere we
//! found: only "Templates Read" = 501 (the spec's example in
//! `tests/openapi/flashduty-openapi.json`, with class "On-call" and scope
//! "on-call") is real; the others are invented nearby (and so are the
//! classes/scopes of the non-on-call modules).

use serde::Serialize;

/// `permission_type`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum PermissionType {
    /// View-only.
    Read,
    /// Mutations.
    Manage,
}

/// One catalogue entry.
#[derive(Debug, Clone, Copy)]
pub struct Permission {
    /// `id`.
    pub id: u64,
    /// `permission_name`.
    pub name: &'static str,
    /// `permission_type`.
    pub kind: PermissionType,
    /// `description`.
    pub description: &'static str,
    /// Product module; gives `class` and `scope`.
    pub module: Module,
    /// Stem of the factor names, e.g. `template` → `template:read:info`.
    pub factor: &'static str,
}

/// Product module of a permission.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Module {
    /// Incident response, configuration, status pages, onboarding.
    OnCall,
    /// Members, roles, teams, SSO, audit, API keys, payment.
    Organization,
    /// Monitors.
    Monitors,
    /// Real user monitoring.
    Rum,
}

impl Module {
    /// `class` and `scope` as the API spells them.
    pub fn class_scope(self) -> (&'static str, &'static str) {
        match self {
            Module::OnCall => ("On-call", "on-call"),
            Module::Organization => ("Organization", "organization"),
            Module::Monitors => ("Monitors", "monitors"),
            Module::Rum => ("RUM", "rum"),
        }
    }
}

use Module::{Monitors, OnCall, Organization, Rum};
use PermissionType::{Manage, Read};

const fn p(
    id: u64,
    name: &'static str,
    kind: PermissionType,
    module: Module,
    factor: &'static str,
    description: &'static str,
) -> Permission {
    Permission {
        id,
        name,
        kind,
        description,
        module,
        factor,
    }
}

/// Every permission, by ascending ID.
#[rustfmt::skip]
pub const CATALOG: &[Permission] = &[
    p(501, "Templates Read", Read, OnCall, "template", "View notification templates"),
    p(502, "Templates Manage", Manage, OnCall, "template", "Create, edit and delete notification templates"),
    p(503, "Schedules Read", Read, OnCall, "schedule", "View on-call schedules and rotation rules"),
    p(504, "Schedules Manage", Manage, OnCall, "schedule", "Create, edit and delete on-call schedules"),
    p(505, "Calendars Read", Read, OnCall, "calendar", "View service calendars and holidays"),
    p(506, "Calendars Manage", Manage, OnCall, "calendar", "Create, edit and delete service calendars"),
    p(507, "Custom Fields Read", Read, OnCall, "field", "View custom field definitions"),
    p(508, "Custom Fields Manage", Manage, OnCall, "field", "Create, edit and delete custom fields"),
    p(509, "Mappings Read", Read, OnCall, "mapping", "View data mapping rules"),
    p(510, "Mappings Manage", Manage, OnCall, "mapping", "Create, edit and delete mapping rules"),
    p(511, "Channels Read", Read, OnCall, "channel", "View channels, their members and messages"),
    p(512, "Channels Manage", Manage, OnCall, "channel", "Create, edit and delete channels"),
    p(513, "Incidents Read", Read, OnCall, "incident", "View incidents, details and timelines"),
    p(514, "Incidents Manage", Manage, OnCall, "incident", "Create, handle and close incidents"),
    p(515, "Integrations Read", Read, OnCall, "integration", "View integrations and their details"),
    p(516, "Integrations Manage", Manage, OnCall, "integration", "Add, configure, test and delete integrations"),
    p(517, "Analytics Read", Read, OnCall, "insight", "View incident response and system health analytics"),
    p(521, "Status Pages Read", Read, OnCall, "status_page", "View status pages, services and history"),
    p(522, "Status Pages Manage", Manage, OnCall, "status_page", "Create, edit and publish status pages"),
    p(523, "Status Pages Events Manage", Manage, OnCall, "status_page_event", "Publish, edit and delete status page events"),
    p(529, "Onboarding Read", Read, OnCall, "onboarding", "View onboarding information"),
    p(531, "Members Manage", Manage, Organization, "member", "Invite and remove members, grant and revoke member roles"),
    p(532, "Roles Manage", Manage, Organization, "role", "Create, edit and delete roles and their permissions"),
    p(533, "Teams Manage", Manage, Organization, "team", "Create, edit and delete teams and their members"),
    p(534, "SSO Read", Read, Organization, "sso", "View single sign-on configuration"),
    p(535, "SSO Manage", Manage, Organization, "sso", "Enable, disable and configure single sign-on"),
    p(536, "Audit Read", Read, Organization, "audit", "Search and read audit logs"),
    p(537, "API Keys Read", Read, Organization, "app_key", "View account API keys"),
    p(538, "API Keys Manage", Manage, Organization, "app_key", "Create, modify and delete account API keys"),
    p(541, "Payment Read", Read, Organization, "payment", "View bills, subscriptions and consumption records"),
    p(542, "Payment Manage", Manage, Organization, "payment", "Manage subscriptions, recharges and invoices"),
    p(551, "Monits Overview Read", Read, Monitors, "monit_overview", "View the monitoring overview"),
    p(552, "Alerting Rules Read", Read, Monitors, "alert_rule", "View monitoring alert rules"),
    p(553, "Alerting Rules Manage", Manage, Monitors, "alert_rule", "Manage monitoring alert rules"),
    p(554, "Rule Repository Read", Read, Monitors, "rule_repo", "View the monitoring rule store"),
    p(555, "Rule Repository Manage", Manage, Monitors, "rule_repo", "Manage the monitoring rule store"),
    p(556, "Node Permissions Read", Read, Monitors, "node_perm", "View monitoring node permissions"),
    p(557, "Node Permissions Manage", Manage, Monitors, "node_perm", "Manage monitoring node permissions"),
    p(558, "Datasources Read", Read, Monitors, "datasource", "View monitoring datasources"),
    p(559, "Datasources Manage", Manage, Monitors, "datasource", "Manage monitoring datasources"),
    p(560, "Alerting Engines Read", Read, Monitors, "engine", "View monitoring alert engines"),
    p(561, "Alerting Engines Manage", Manage, Monitors, "engine", "Manage monitoring alert engines"),
    p(571, "Applications Manage", Manage, Rum, "rum_app", "Create and configure frontend monitoring applications"),
    p(572, "Performance Read", Read, Rum, "rum_performance", "View frontend performance issues"),
    p(573, "Error Tracking Read", Read, Rum, "rum_issue", "View frontend errors"),
    p(574, "Session Explorer Read", Read, Rum, "rum_event", "View RUM events"),
    p(575, "Session Replay Read", Read, Rum, "rum_replay", "View session replays"),
];

/// The catalogue entry with this ID.
pub fn permission(id: u64) -> Option<&'static Permission> {
    CATALOG
        .binary_search_by_key(&id, |p| p.id)
        .ok()
        .map(|i| &CATALOG[i])
}

/// The preset Responder's permissions: everything except Payment, Members
/// Manage, Roles Manage and SSO Manage (permission-design.mdx, "Preset Roles").
pub fn responder_permissions() -> Vec<u64> {
    const EXCLUDED: [u64; 5] = [531, 532, 535, 541, 542];
    CATALOG
        .iter()
        .map(|p| p.id)
        .filter(|id| !EXCLUDED.contains(id))
        .collect()
}

/// The preset Viewer's permissions: Read permissions except Audit and
/// Onboarding (permission-design.mdx), and API Keys (its permission matrix).
pub fn viewer_permissions() -> Vec<u64> {
    const EXCLUDED: [u64; 3] = [529, 536, 537];
    CATALOG
        .iter()
        .filter(|p| p.kind == Read && !EXCLUDED.contains(&p.id))
        .map(|p| p.id)
        .collect()
}

/// `factor_type` of a permission factor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FactorType {
    /// Backend API, e.g. `template:read:info`.
    Api,
    /// UI action toggle.
    Button,
    /// Page visit.
    Visit,
    /// Menu visibility (legacy; no factors of this type).
    Menu,
    /// Page route (legacy; no factors of this type).
    Url,
}

/// A `PermissionFactorItem`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Factor {
    /// e.g. `template:read:info`.
    pub factor_name: String,
    /// Its type.
    pub factor_type: FactorType,
}

/// Every factor: for each permission, its APIs, plus a page visit (Read)
/// or a button (Manage). The vendor CLI says `menu` and `url` have no
/// current data. Invented, like the IDs.
pub fn factors() -> Vec<Factor> {
    let mut out = Vec::new();
    let mut push = |name: String, factor_type| {
        if !out.iter().any(|f: &Factor| f.factor_name == name) {
            out.push(Factor {
                factor_name: name,
                factor_type,
            });
        }
    };
    for p in CATALOG {
        let stem = p.factor;
        match p.kind {
            Read => {
                push(format!("{stem}:read:list"), FactorType::Api);
                push(format!("{stem}:read:info"), FactorType::Api);
                push(format!("/{stem}"), FactorType::Visit);
            }
            Manage => {
                push(format!("{stem}:write:upsert"), FactorType::Api);
                push(format!("{stem}:write:delete"), FactorType::Api);
                push(format!("{stem}:create"), FactorType::Button);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flashduty_catalog_is_sorted_and_unique() {
        assert!(CATALOG.windows(2).all(|w| w[0].id < w[1].id));
        assert!((30..=50).contains(&CATALOG.len()));
        let t = permission(501).unwrap();
        assert_eq!(
            (t.name, t.kind, t.module.class_scope()),
            ("Templates Read", Read, ("On-call", "on-call"))
        );
        assert_eq!(permission(502).unwrap().name, "Templates Manage");
        assert!(permission(500).is_none());
        assert!(!responder_permissions().contains(&532));
        assert!(viewer_permissions().contains(&501));
        assert!(!viewer_permissions().contains(&502));
        assert!(factors()
            .iter()
            .any(|f| f.factor_name == "template:read:info"));
    }
}
