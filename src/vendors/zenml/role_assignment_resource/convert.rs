//! Conversions of `rbac_zenml_role_assignment`: the state to the call
//! parameters, and the composite ID
//! `<role_id>/<user|team|invitation>/<principal_id>[/<workspace_id>[/<project_id>]]`
//! (also the import ID) to and from them.

use crate::framework::tf::Value;

use super::AssignmentState;
use crate::vendors::zenml::api::{AssignmentParams, Principal};
use crate::vendors::zenml::ids::is_uuid;

/// The call parameters of a fully known state.
pub(super) fn params(state: &AssignmentState) -> Option<AssignmentParams> {
    let known = |v: &Value<String>| v.as_ref_option().cloned();
    let principal = if let Some(id) = known(&state.user_id) {
        Principal::User(id)
    } else if let Some(id) = known(&state.team_id) {
        Principal::Team(id)
    } else {
        Principal::Invitation(known(&state.invitation_id)?)
    };
    Some(AssignmentParams {
        role_id: known(&state.role_id)?,
        principal,
        workspace_id: known(&state.workspace_id),
        project_id: known(&state.project_id),
    })
}

/// `<role_id>/<kind>/<principal_id>[/<workspace_id>[/<project_id>]]`.
pub fn composite_id(p: &AssignmentParams) -> String {
    let (param, id) = p.principal.param();
    let kind = param.trim_end_matches("_id");
    let mut out = format!("{}/{kind}/{id}", p.role_id);
    if let Some(ws) = &p.workspace_id {
        out.push('/');
        out.push_str(ws);
        if let Some(project) = &p.project_id {
            out.push('/');
            out.push_str(project);
        }
    }
    out
}

/// Equal, or the same UUID in another letter case.
pub(super) fn same_uuid(a: &Value<String>, b: &Value<String>) -> bool {
    match (a, b) {
        (Value::Value(a), Value::Value(b)) => a.eq_ignore_ascii_case(b),
        _ => a == b,
    }
}

/// The state an import ID describes, or `None` when it is malformed.
pub fn parse_composite_id(id: &str) -> Option<AssignmentState> {
    let parts: Vec<&str> = id.trim().split('/').collect();
    if !(3..=5).contains(&parts.len())
        || parts.iter().enumerate().any(|(i, p)| i != 1 && !is_uuid(p))
    {
        return None;
    }
    let some = |s: &str| Value::Value(s.to_string());
    let mut state = AssignmentState {
        id: some(id.trim()),
        role_id: some(parts[0]),
        workspace_id: parts.get(3).map(|s| some(s)).unwrap_or_default(),
        project_id: parts.get(4).map(|s| some(s)).unwrap_or_default(),
        ..Default::default()
    };
    match parts[1] {
        "user" => state.user_id = some(parts[2]),
        "team" => state.team_id = some(parts[2]),
        "invitation" => state.invitation_id = some(parts[2]),
        _ => return None,
    }
    Some(state)
}

#[cfg(test)]
mod tests {
    use super::*;

    const R: &str = "11111111-1111-4111-8111-111111111111";
    const U: &str = "22222222-2222-4222-8222-222222222222";
    const W: &str = "33333333-3333-4333-8333-333333333333";
    const P: &str = "44444444-4444-4444-8444-444444444444";

    #[test]
    fn composite_ids_round_trip() {
        for id in [
            format!("{R}/user/{U}"),
            format!("{R}/team/{U}/{W}"),
            format!("{R}/invitation/{U}/{W}/{P}"),
        ] {
            let state = parse_composite_id(&id).unwrap();
            assert_eq!(composite_id(&params(&state).unwrap()), id);
        }
        assert!(parse_composite_id(&format!("{R}/group/{U}")).is_none());
        assert!(parse_composite_id(&format!("{R}/user")).is_none());
        assert!(parse_composite_id(&format!("{R}/user/not-a-uuid")).is_none());
    }
}
