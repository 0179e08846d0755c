//! Responses conform to the vendor's OpenAPI document
//! (`tests/openapi/flashduty-openapi.json`, a copy of the shared fixture):
//! a small hand-rolled checker of `type`, `required`, `properties`, `items`,
//! `enum`, `allOf`, `format: uint64` and `additionalProperties: false`.

use serde_json::json;

#[path = "../openapi/checker.rs"]
pub(crate) mod checker;
use checker::Spec;

use crate::common::Fd;

#[tokio::test]
async fn flashduty_openapi_every_success_response_conforms() {
    let spec = Spec::load();
    let fd = Fd::start().await;
    let role = fd.create("Spec role", &[501, 502]).await;
    let alice = fd
        .post("/member/list", json!({"query": "alice"}))
        .await
        .data()["items"][0]["member_id"]
        .clone();
    let calls = [
        (
            "/role/upsert",
            json!({"role_id": role, "role_name": "Spec role", "description": "d", "permission_ids": [501]}),
        ),
        ("/role/info", json!({"role_id": role})),
        ("/role/info", json!({"role_id": 2})),
        ("/role/list", json!({"orderby": "created_at", "asc": false})),
        ("/role/permission/list", json!({})),
        (
            "/role/permission/list",
            json!({"role_ids": [role], "with_all": true}),
        ),
        ("/role/permission/factor/list", json!({})),
        ("/role/disable", json!({"role_id": role})),
        ("/role/enable", json!({"role_id": role})),
        (
            "/role/member/grant",
            json!({"role_id": role, "member_ids": [alice]}),
        ),
        (
            "/role/member/revoke",
            json!({"role_id": role, "member_ids": [alice]}),
        ),
        (
            "/member/role/grant",
            json!({"member_id": alice, "role_ids": [role]}),
        ),
        (
            "/member/role/revoke",
            json!({"member_id": alice, "role_ids": [role]}),
        ),
        (
            "/member/role/update",
            json!({"member_id": alice, "role_ids": [6]}),
        ),
        ("/member/list", json!({"p": 1, "limit": 5})),
        ("/role/delete", json!({"role_id": role})),
    ];
    for (path, body) in &calls {
        let r = fd.post(path, body.clone()).await;
        r.data();
        spec.assert_conforms(path, 200, &r.body);
    }
    // Every path of the spec was exercised.
    for path in spec.0["paths"].as_object().unwrap().keys() {
        assert!(calls.iter().any(|(p, _)| p == path), "{path} not covered");
    }
}

#[tokio::test]
async fn flashduty_openapi_error_responses_conform() {
    let spec = Spec::load();
    let fd = Fd::start().await;
    let not_found = fd.post("/role/info", json!({"role_id": 31337})).await;
    not_found.err(400, "ResourceNotFound");
    spec.assert_conforms("/role/info", 400, &not_found.body);
    let invalid = fd.post("/role/upsert", json!({"role_name": ""})).await;
    spec.assert_conforms("/role/upsert", 400, &invalid.body);
    let unauth = fd
        .raw(
            reqwest::Method::POST,
            "/flashduty/role/list?app_key=x",
            Some("application/json"),
            "{}",
        )
        .await;
    spec.assert_conforms("/role/list", 401, &unauth.body);
    fd.control("/faults", json!({"rate": 1.0, "kinds": ["429"]}))
        .await;
    let limited = fd.post("/role/list", json!({})).await;
    spec.assert_conforms("/role/list", 429, &limited.body);
    fd.control("/faults", json!({"rate": 1.0, "kinds": ["500"]}))
        .await;
    let internal = fd.post("/role/list", json!({})).await;
    spec.assert_conforms("/role/list", 500, &internal.body);
}

/// The request examples of the spec parse (whatever the outcome), and the
/// answer matches the response declared for its status.
#[tokio::test]
async fn flashduty_openapi_request_examples_are_accepted() {
    let spec = Spec::load();
    let fd = Fd::start().await;
    for (path, item) in spec.0["paths"].as_object().unwrap() {
        let media = &item["post"]["requestBody"]["content"]["application/json"];
        let example = media.get("example").cloned().unwrap_or(json!({}));
        let r = fd.post(path, example.clone()).await;
        let message = r.body["error"]["message"].as_str().unwrap_or("");
        assert!(
            !message.contains("invalid request body"),
            "{path} {example}: {message}"
        );
        spec.assert_conforms(path, r.status, &r.body);
    }
}

#[test]
fn flashduty_openapi_checker_catches_mistakes() {
    let spec = Spec::load();
    let schema = json!({"$ref": "#/components/schemas/RoleItem"});
    let mut errors = Vec::new();
    let bad = json!({"role_id": -1, "role_name": "x", "status": "on", "permission_ids": ["1"], "editable": true, "created_at": 1});
    spec.check(&schema, &bad, "$", &mut errors);
    let text = errors.join("\n");
    for needle in [
        "$.role_id",
        "$.status",
        "$.permission_ids[0]",
        "description",
        "updated_at",
    ] {
        assert!(text.contains(needle), "{needle} not reported in:\n{text}");
    }
}
