//! `/__emulator/*`: runtime control for tests. These routes never get
//! faults, auth or rate limits.

use axum::extract::rejection::JsonRejection;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::json;

use super::faults::FaultUpdate;
use super::slashid::Consistency;
use super::Emulator;

/// The control routes, to be nested under `/__emulator`.
pub(crate) fn router() -> Router<Emulator> {
    Router::new()
        .route("/stats", get(stats))
        .route("/reset-stats", post(reset_stats))
        .route("/faults", get(faults).post(set_faults))
        .route("/rate-limit", get(rate_limit).post(set_rate_limit))
        .route("/slashid", get(slashid).post(set_slashid))
        .route("/slashid/persons", post(slashid_persons))
        .route("/zenml/revoke-tokens", post(zenml_revoke_tokens))
        .route("/zenml/people", post(zenml_people))
        .route("/flashduty/members", post(flashduty_members))
        .route("/rootly/users", post(rootly_users))
}

fn bad_request(message: impl ToString) -> Response {
    (
        StatusCode::BAD_REQUEST,
        Json(json!({"error": message.to_string()})),
    )
        .into_response()
}

async fn stats(State(emu): State<Emulator>) -> Response {
    Json(emu.stats_snapshot()).into_response()
}

async fn reset_stats(State(emu): State<Emulator>) -> Response {
    emu.reset_stats();
    Json(emu.stats_snapshot()).into_response()
}

async fn faults(State(emu): State<Emulator>) -> Response {
    Json(emu.fault_settings()).into_response()
}

async fn set_faults(
    State(emu): State<Emulator>,
    body: Result<Json<FaultUpdate>, JsonRejection>,
) -> Response {
    let Json(update) = match body {
        Ok(b) => b,
        Err(e) => return bad_request(e.body_text()),
    };
    match emu.update_faults(update) {
        Ok(settings) => Json(settings).into_response(),
        Err(e) => bad_request(e),
    }
}

async fn zenml_revoke_tokens(State(emu): State<Emulator>) -> Response {
    Json(json!({"revoked": emu.revoke_zenml_tokens()})).into_response()
}

/// `{"users": [{"email", "name", "id"?}], "teams": [{"name", "members":
/// [user ID or email], "id"?, "organization_id"?}]}`: people who signed in
/// outside the API. Answers what was added, with IDs.
async fn zenml_people(
    State(emu): State<Emulator>,
    body: Result<Json<super::zenml::NewPeople>, JsonRejection>,
) -> Response {
    let Json(people) = match body {
        Ok(b) => b,
        Err(e) => return bad_request(e.body_text()),
    };
    let result = emu.zenml().add_people(people);
    match result {
        Ok(added) => {
            emu.persist();
            Json(added).into_response()
        }
        Err(e) => bad_request(e),
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RateLimitUpdate {
    enabled: bool,
}

async fn rate_limit(State(emu): State<Emulator>) -> Response {
    Json(json!({"enabled": emu.rate_limit_enabled()})).into_response()
}

async fn set_rate_limit(
    State(emu): State<Emulator>,
    body: Result<Json<RateLimitUpdate>, JsonRejection>,
) -> Response {
    match body {
        Ok(Json(u)) => {
            emu.set_rate_limit(u.enabled);
            Json(json!({"enabled": u.enabled})).into_response()
        }
        Err(e) => bad_request(e.body_text()),
    }
}

async fn slashid(State(emu): State<Emulator>) -> Response {
    Json(emu.slashid_consistency()).into_response()
}

/// `{"write_timeouts": N, "stale_read_ms": M}`: SlashID's simulated 408s
/// and stale reads (omitted fields become 0).
async fn set_slashid(
    State(emu): State<Emulator>,
    body: Result<Json<Consistency>, JsonRejection>,
) -> Response {
    match body {
        Ok(Json(c)) => {
            emu.set_slashid_consistency(c);
            Json(c).into_response()
        }
        Err(e) => bad_request(e.body_text()),
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NewSlashidPersons {
    add: Vec<NewSlashidPerson>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NewSlashidPerson {
    person_id: String,
    /// The person's `email_address` handle, if any.
    #[serde(default)]
    email: Option<String>,
}

/// `{"add": [{"person_id": "pid:…", "email": "…"}]}`: persons who signed
/// up (the emulator has no person-creating API), with no roles; `email`
/// (optional) becomes their `email_address` handle. Answers
/// `{"added": N}` (persons already there are left as they are).
async fn slashid_persons(
    State(emu): State<Emulator>,
    body: Result<Json<NewSlashidPersons>, JsonRejection>,
) -> Response {
    let Json(persons) = match body {
        Ok(b) => b,
        Err(e) => return bad_request(e.body_text()),
    };
    if let Some(bad) = persons
        .add
        .iter()
        .find(|p| p.person_id.trim().is_empty() || p.person_id.contains('/'))
    {
        return bad_request(format!(
            "person_id {:?} must be non-empty and hold no `/`",
            bad.person_id
        ));
    }
    let added = {
        let mut store = emu.slashid();
        persons
            .add
            .iter()
            .filter(|p| store.add_person(&p.person_id, p.email.as_deref()))
            .count()
    };
    emu.persist();
    Json(json!({"added": added})).into_response()
}

/// `{"add": [{"member_name", "email", "role_ids"}], "remove": [member_id]}`:
/// members invited or removed outside the API (there is no invite endpoint
/// in the reference). Answers `{"added": [MemberItem...]}`.
async fn flashduty_members(
    State(emu): State<Emulator>,
    body: Result<Json<super::flashduty::MemberChanges>, JsonRejection>,
) -> Response {
    let Json(changes) = match body {
        Ok(b) => b,
        Err(e) => return bad_request(e.body_text()),
    };
    let result = emu.flashduty().apply_member_changes(changes);
    match result {
        Ok(added) => {
            emu.persist();
            Json(json!({"added": added})).into_response()
        }
        Err(e) => bad_request(e),
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NewRootlyUser {
    email: String,
    #[serde(default)]
    first_name: String,
    #[serde(default)]
    last_name: String,
}

/// `{"email", "first_name", "last_name"}`: a user invited outside the API.
/// Answers the new user's JSON:API resource object.
async fn rootly_users(
    State(emu): State<Emulator>,
    body: Result<Json<NewRootlyUser>, JsonRejection>,
) -> Response {
    let Json(user) = match body {
        Ok(b) => b,
        Err(e) => return bad_request(e.body_text()),
    };
    let result = emu
        .rootly()
        .add_user(&user.first_name, &user.last_name, &user.email);
    match result {
        Ok(added) => {
            emu.persist();
            Json(added.resource()).into_response()
        }
        Err(e) => bad_request(e),
    }
}
