//! Rootly users and their on-call role (docs/vendors/rootly.md, "Users and the
//! on-call role assignment"), checked against `tests/openapi/rootly-openapi.json`.

use reqwest::Method;
use serde_json::{json, Value};

use crate::openapi::checker::Spec;

use crate::common::config;
use crate::rootly::Rootly;

/// The ID of the seeded on-call role with this slug.
async fn role_id(r: &Rootly, slug: &str) -> String {
    let got = r
        .call(Method::GET, &format!("/v1/on_call_roles/{slug}"), None)
        .await;
    got.body["data"]["id"].as_str().unwrap().to_string()
}

fn put_body(attributes: Value) -> Value {
    json!({"data": {"type": "users", "attributes": attributes}})
}

fn emails(body: &Value) -> Vec<String> {
    body["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["attributes"]["email"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn rootly_users_are_seeded_listed_and_filtered() {
    let spec = Spec::rootly();
    let r = Rootly::start(config()).await;
    let all = r.call(Method::GET, "/v1/users", None).await;
    assert_eq!(all.status, 200, "{:#}", all.body);
    assert_eq!(all.header("content-type"), Some("application/vnd.api+json"));
    spec.assert_operation_conforms("get", "/v1/users", 200, &all.body);
    assert_eq!(
        emails(&all.body),
        [
            "ada@example.com",
            "grace@example.com",
            "alan@example.com",
            "katherine@example.com"
        ]
    );
    let admin = role_id(&r, "admin").await;
    let ada = &all.body["data"][0];
    assert_eq!(ada["id"], "20001");
    assert_eq!(ada["attributes"]["full_name"], "Ada Lovelace");
    assert_eq!(
        ada["relationships"]["on_call_role"]["data"],
        json!({"id": admin, "type": "on_call_roles"})
    );
    assert!(all.body["data"][2]["relationships"]["on_call_role"]["data"].is_null());

    // filter[email] is exact (case-insensitive); filter[search] matches names too.
    let one = r
        .call(
            Method::GET,
            "/v1/users?filter[email]=GRACE@example.com",
            None,
        )
        .await;
    assert_eq!(emails(&one.body), ["grace@example.com"]);
    let none = r
        .call(Method::GET, "/v1/users?filter[email]=grace@example", None)
        .await;
    assert!(emails(&none.body).is_empty());
    let search = r
        .call(Method::GET, "/v1/users?filter[search]=turing", None)
        .await;
    assert_eq!(emails(&search.body), ["alan@example.com"]);

    // include=on_call_role adds the related roles once each.
    let with = r
        .call(
            Method::GET,
            "/v1/users?include=on_call_role&page[size]=2",
            None,
        )
        .await;
    spec.assert_operation_conforms("get", "/v1/users", 200, &with.body);
    let included = with.body["included"].as_array().unwrap();
    assert_eq!(included.len(), 2, "{included:#?}");
    assert!(included.iter().all(|i| i["type"] == "on_call_roles"));
    assert_eq!(with.body["meta"]["next_page"], 2);
    assert!(with.body["links"]["next"]
        .as_str()
        .unwrap()
        .contains("include=on_call_role"));

    let bad = r
        .call(Method::GET, "/v1/users?include=pets&sort=name", None)
        .await;
    assert_eq!(bad.status, 422, "{:#}", bad.body);
    assert_eq!(bad.body["errors"].as_array().unwrap().len(), 2);
    let unauth = r.call_as("wrong", Method::GET, "/v1/users", None).await;
    spec.assert_operation_conforms("get", "/v1/users", 401, &unauth.body);
}

#[tokio::test]
async fn rootly_users_paginate_over_every_page() {
    let r = Rootly::start(config()).await;
    let url = format!("{}/__emulator/rootly/users", r.emu.url());
    let http = crate::common::client();
    for i in 0..150 {
        let body = json!({"email": format!("user{i:03}@example.com"), "first_name": "User", "last_name": format!("{i}")});
        let res = http.post(&url).json(&body).send().await.unwrap();
        assert!(res.status().is_success());
    }
    let dup = http
        .post(&url)
        .json(&json!({"email": "ADA@example.com"}))
        .send()
        .await
        .unwrap();
    assert_eq!(dup.status().as_u16(), 400);
    let mut seen = Vec::new();
    let mut page = 1;
    loop {
        let got = r
            .call(
                Method::GET,
                &format!("/v1/users?page[number]={page}&page[size]=100"),
                None,
            )
            .await;
        assert_eq!(got.body["meta"]["total_count"], 154);
        seen.extend(emails(&got.body));
        if got.body["meta"]["next_page"].is_null() {
            assert!(got.body["links"]["next"].is_null());
            break;
        }
        page += 1;
    }
    assert_eq!(page, 2);
    assert_eq!(seen.len(), 154);
}

#[tokio::test]
async fn rootly_user_get_include_and_put_on_call_role() {
    let spec = Spec::rootly();
    let r = Rootly::start(config()).await;
    let observer = role_id(&r, "observer").await;

    let alan = r
        .call(Method::GET, "/v1/users/20003?include=on_call_role", None)
        .await;
    assert_eq!(alan.status, 200);
    spec.assert_operation_conforms("get", "/v1/users/{id}", 200, &alan.body);
    assert_eq!(alan.body["included"], json!([]));

    let body = put_body(json!({"on_call_role_id": observer}));
    spec.assert_operation_request_conforms("put", "/v1/users/{id}", &body);
    let put = r.call(Method::PUT, "/v1/users/20003", Some(body)).await;
    assert_eq!(put.status, 200, "{:#}", put.body);
    spec.assert_operation_conforms("put", "/v1/users/{id}", 200, &put.body);
    assert_eq!(
        put.body["data"]["relationships"]["on_call_role"]["data"]["id"],
        observer.as_str()
    );
    // Nothing else changed.
    assert_eq!(put.body["data"]["attributes"]["full_name"], "Alan Turing");

    let alan = r
        .call(Method::GET, "/v1/users/20003?include=on_call_role", None)
        .await;
    assert_eq!(alan.body["included"][0]["id"], observer.as_str());
    assert_eq!(alan.body["included"][0]["attributes"]["slug"], "observer");

    let me = r.call(Method::GET, "/v1/users/me", None).await;
    spec.assert_operation_conforms("get", "/v1/users/me", 200, &me.body);
    assert_eq!(me.body["data"]["id"], "20001");

    // An unknown on-call role is a 404, as the spec declares; so is an unknown user.
    let missing_role = r
        .call(
            Method::PUT,
            "/v1/users/20003",
            Some(put_body(
                json!({"on_call_role_id": "00000000-0000-4000-8000-000000000000"}),
            )),
        )
        .await;
    assert_eq!(missing_role.status, 404);
    spec.assert_operation_conforms("put", "/v1/users/{id}", 404, &missing_role.body);
    let missing_user = r
        .call(
            Method::PUT,
            "/v1/users/99999",
            Some(put_body(json!({"on_call_role_id": observer}))),
        )
        .await;
    assert_eq!(missing_user.status, 404);
    let get_missing = r.call(Method::GET, "/v1/users/99999", None).await;
    spec.assert_operation_conforms("get", "/v1/users/{id}", 404, &get_missing.body);

    // null clears the on-call role (unverified; the emulator's choice).
    let cleared = r
        .call(
            Method::PUT,
            "/v1/users/20003",
            Some(put_body(json!({"on_call_role_id": null}))),
        )
        .await;
    assert_eq!(cleared.status, 200);
    assert!(cleared.body["data"]["relationships"]["on_call_role"]["data"].is_null());
}

#[tokio::test]
async fn rootly_user_put_rejects_bad_bodies_with_422() {
    let r = Rootly::start(config()).await;
    let cases = [
        json!({"data": {"attributes": {"on_call_role_id": null}}}),
        json!({"data": {"type": "on_call_roles", "attributes": {}}}),
        json!({"data": {"type": "users"}}),
        json!({"data": {"type": "users", "attributes": []}}),
        json!({"data": {"type": "users", "attributes": {"email": "x@example.com"}}}),
        json!({"data": {"type": "users", "attributes": {"on_call_role_id": 7}}}),
    ];
    for body in cases {
        let res = r
            .call(Method::PUT, "/v1/users/20002", Some(body.clone()))
            .await;
        assert_eq!(res.status, 422, "{body}: {:#}", res.body);
        assert_eq!(res.body["errors"][0]["status"], "422");
    }
    let not_json = r
        .http_put_raw("/v1/users/20002", "application/vnd.api+json", "{")
        .await;
    assert_eq!(not_json, 400);
    let wrong_type = r.http_put_raw("/v1/users/20002", "text/plain", "{}").await;
    assert_eq!(wrong_type, 415);
    // Grace kept her role through all of it.
    let grace = r.call(Method::GET, "/v1/users/20002", None).await;
    assert_eq!(
        grace.body["data"]["relationships"]["on_call_role"]["data"]["id"],
        role_id(&r, "user").await.as_str()
    );
}

#[tokio::test]
async fn rootly_deleting_a_held_on_call_role_clears_it_from_its_users() {
    let spec = Spec::rootly();
    let r = Rootly::start(config()).await;
    let role = r.create(json!({"name": "Temporary"})).await;
    let id = role.body["data"]["id"].as_str().unwrap().to_string();
    for user in ["20002", "20003"] {
        let put = r
            .call(
                Method::PUT,
                &format!("/v1/users/{user}"),
                Some(put_body(json!({"on_call_role_id": id}))),
            )
            .await;
        assert_eq!(put.status, 200);
    }
    let deleted = r
        .call(Method::DELETE, &format!("/v1/on_call_roles/{id}"), None)
        .await;
    assert_eq!(deleted.status, 200);
    for user in ["20002", "20003"] {
        let got = r
            .call(Method::GET, &format!("/v1/users/{user}"), None)
            .await;
        assert!(got.body["data"]["relationships"]["on_call_role"]["data"].is_null());
    }
    // DELETE /v1/users/{id} removes the user (the provider never sends it).
    let gone = r.call(Method::DELETE, "/v1/users/20004", None).await;
    assert_eq!(gone.status, 200);
    spec.assert_operation_conforms("delete", "/v1/users/{id}", 200, &gone.body);
    let again = r.call(Method::GET, "/v1/users/20004", None).await;
    assert_eq!(again.status, 404);
}
