//! The SlashID client speaks the vendor's contract: every call it makes in a
//! full permission, role and person-role lifecycle is an operation of the
//! vendor's OpenAPI document (`tests/openapi/slashid-openapi.yaml`, a copy of
//! the shared fixture), with its required headers, only headers the operation
//! declares (so no consistency headers on reads), path parameters that are
//! percent-encoded single segments and valid once decoded, and a body that
//! conforms to the declared request schema. The emulator's answers are
//! declared statuses with conforming bodies. A recording proxy sits between
//! the client and the emulator.

#[path = "openapi/checker.rs"]
mod checker;

use std::sync::{Arc, Mutex};

use axum::body::Bytes;
use axum::extract::{OriginalUri, State};
use axum::http::{HeaderMap, Method, StatusCode};
use axum::Router;
use serde_json::{json, Value};
use terraform_provider_rbac::emulator::{
    self, slashid::SEED_PERSONS, EmulatorConfig, DEFAULT_SLASHID_API_KEY, DEFAULT_SLASHID_ORG_ID,
};
use terraform_provider_rbac::http::RetryPolicy;
use terraform_provider_rbac::vendors::slashid::api::{
    rate_limits, Consistency, Created, PermissionCreate, PermissionPatch, RoleCreate, RolePatch,
};
use terraform_provider_rbac::vendors::slashid::{SlashidClient, SlashidConfig};

const ORG: &str = DEFAULT_SLASHID_ORG_ID;

#[derive(Clone, Debug)]
struct Exchange {
    method: Method,
    /// The path as sent, still percent-encoded.
    path: String,
    headers: HeaderMap,
    body: Option<Value>,
    status: u16,
    response: Option<Value>,
}

type Log = Arc<Mutex<Vec<Exchange>>>;

#[derive(Clone)]
struct Proxy {
    upstream: String,
    log: Log,
}

fn json_or_none(bytes: &[u8]) -> Option<Value> {
    (!bytes.is_empty()).then(|| serde_json::from_slice(bytes).expect("JSON body"))
}

async fn forward(
    State(proxy): State<Proxy>,
    method: Method,
    OriginalUri(uri): OriginalUri,
    headers: HeaderMap,
    body: Bytes,
) -> (StatusCode, HeaderMap, Bytes) {
    let mut request =
        reqwest::Client::new().request(method.clone(), format!("{}{uri}", proxy.upstream));
    for (name, value) in &headers {
        if name != "host" && name != "content-length" {
            request = request.header(name.as_str(), value.as_bytes());
        }
    }
    let response = request.body(body.clone()).send().await.unwrap();
    let status = response.status().as_u16();
    let mut out_headers = HeaderMap::new();
    for (name, value) in response.headers() {
        if name == "etag" || name == "content-type" || name == "x-request-id" {
            out_headers.insert(name.clone(), value.clone());
        }
    }
    let bytes = response.bytes().await.unwrap();
    proxy.log.lock().unwrap().push(Exchange {
        method,
        path: uri.path().to_string(),
        headers,
        body: json_or_none(&body),
        status,
        response: json_or_none(&bytes),
    });
    (StatusCode::from_u16(status).unwrap(), out_headers, bytes)
}

/// The document, with one adjustment the vendor reference documents: role
/// names carry the `{org_id}/` prefix although `RoleName`'s pattern has no
/// `/`; the pattern and the 100-character limit apply after the prefix
/// (docs/vendors/slashid.md, "Names"). The client must always send it.
fn spec() -> checker::Spec {
    let mut spec = checker::Spec::from_yaml(include_str!("openapi/slashid-openapi.yaml"));
    let role = &mut spec.0["components"]["schemas"]["RoleName"];
    let pattern = role["pattern"].as_str().unwrap().trim_start_matches('^');
    role["pattern"] = json!(format!("^{ORG}/{pattern}"));
    role["maxLength"] = json!(100 + ORG.len() + 1);
    spec
}

fn percent_decode(segment: &str) -> String {
    let bytes = segment.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            out.push(u8::from_str_radix(&segment[i + 1..i + 3], 16).expect("hex escape"));
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).unwrap()
}

/// The path template of the document that `path` (relative to the vendor
/// prefix, still encoded) matches, with the decoded path parameters. A
/// template parameter matches exactly one raw segment, so an unencoded `/`
/// in a name would fail to match.
fn match_path<'a>(spec: &'a checker::Spec, path: &str) -> (&'a str, Vec<(String, String)>) {
    let raw: Vec<&str> = path.trim_start_matches('/').split('/').collect();
    for template in spec.0["paths"].as_object().unwrap().keys() {
        let parts: Vec<&str> = template.trim_start_matches('/').split('/').collect();
        if parts.len() != raw.len() {
            continue;
        }
        let mut params = Vec::new();
        let matched = parts.iter().zip(&raw).all(|(t, r)| {
            if let Some(name) = t.strip_prefix('{').and_then(|t| t.strip_suffix('}')) {
                params.push((name.to_string(), percent_decode(r)));
                true
            } else {
                t == r
            }
        });
        if matched {
            return (template.as_str(), params);
        }
    }
    panic!("{path} matches no path of the OpenAPI document");
}

fn check_call(spec: &checker::Spec, call: &Exchange) {
    let path = call.path.strip_prefix("/slashid").expect("vendor prefix");
    let (template, path_params) = match_path(spec, path);
    let what = format!("{} {path}", call.method);
    let item = &spec.0["paths"][template];
    let op = &item[call.method.as_str().to_ascii_lowercase()];
    assert!(op.is_object(), "{what}: {template} declares no such method");
    let params: Vec<&Value> = item["parameters"]
        .as_array()
        .into_iter()
        .chain(op["parameters"].as_array())
        .flatten()
        .map(|p| spec.resolve(p))
        .collect();
    let mut errors = Vec::new();
    for p in &params {
        let name = p["name"].as_str().unwrap();
        let value = match p["in"].as_str().unwrap() {
            "path" => path_params
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, v)| v.clone()),
            "header" => call
                .headers
                .get(name)
                .map(|v| v.to_str().unwrap().to_string()),
            other => panic!("{other} parameters are not used by SlashID's RBAC paths"),
        };
        match value {
            None if p["required"] == true => errors.push(format!("missing required {name}")),
            None => {}
            Some(v) => {
                let schema = spec.resolve(&p["schema"]);
                let v = if schema["type"] == "integer" {
                    json!(v.parse::<i64>().expect("integer header"))
                } else {
                    json!(v)
                };
                spec.check(schema, &v, name, &mut errors);
            }
        }
    }
    // Every SlashID header sent is one this operation declares (the API key
    // is the security scheme).
    for name in call.headers.keys() {
        let name = name.as_str();
        if (name.starts_with("slashid-") || name == "if-match") && name != "slashid-api-key" {
            let declared = params
                .iter()
                .any(|p| p["name"].as_str().unwrap().eq_ignore_ascii_case(name));
            if !declared {
                errors.push(format!("header {name} is not declared for this operation"));
            }
        }
    }
    let request_schema = &spec.resolve(&op["requestBody"])["content"]["application/json"]["schema"];
    match (&call.body, request_schema.is_null()) {
        (Some(body), false) => spec.check(request_schema, body, "$", &mut errors),
        (None, true) => {}
        (Some(_), true) => errors.push("a body where the operation takes none".into()),
        (None, false) => errors.push("no body where one is required".into()),
    }
    let status = call.status.to_string();
    let response = &op["responses"][&status];
    if response.is_null() {
        errors.push(format!("status {status} is not declared"));
    } else {
        let schema = &spec.resolve(response)["content"]["application/json"]["schema"];
        match (&call.response, schema.is_null()) {
            (Some(body), false) => spec.check(schema, body, "response", &mut errors),
            (None, true) => {}
            (body, _) => errors.push(format!("response body {body:?} for {status}")),
        }
    }
    assert!(errors.is_empty(), "{what}: {errors:#?}\n{call:#?}");
}

#[tokio::test]
async fn slashid_client_requests_conform_to_the_openapi_document() {
    let emu = emulator::start(EmulatorConfig::default()).await.unwrap();
    let log: Log = Default::default();
    let app = Router::new().fallback(forward).with_state(Proxy {
        upstream: emu.url().to_string(),
        log: log.clone(),
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });

    let client = SlashidClient::new(SlashidConfig {
        org_id: ORG.into(),
        api_key: DEFAULT_SLASHID_API_KEY.into(),
        base_url: format!("http://{addr}/slashid").parse().unwrap(),
        user_agent: "contract-test".into(),
        retry: RetryPolicy::default(),
        consistency: Some(Consistency::AllRegions),
        consistency_timeout: Some(15),
        rate_limits: rate_limits(None),
    })
    .unwrap();

    // Permissions, one with the `/` and `\` permission names may hold.
    let odd = "billing/invoices\\list";
    for (name, description) in [(odd, Some("List")), ("billing.read", None)] {
        let body = PermissionCreate {
            name: name.into(),
            description: description.map(str::to_string),
        };
        let before = client.before_permission(name).await.unwrap();
        let created = client
            .create_permission_settled(&body, &before)
            .await
            .unwrap();
        assert!(matches!(created, Created::Done), "{created:?}");
        assert_eq!(client.get_permission(name).await.unwrap().name, name);
    }
    let mut names = client.list_permissions().await.unwrap();
    names.sort();
    assert_eq!(names, vec!["billing.read", odd]);
    client
        .update_permission(
            odd,
            &PermissionPatch {
                description: Some("List invoices".into()),
            },
            None,
        )
        .await
        .unwrap();
    assert_eq!(
        client
            .get_permission(odd)
            .await
            .unwrap()
            .description
            .as_deref(),
        Some("List invoices")
    );

    // A role: the full name travels encoded, `/` as `%2F`.
    let full = client.full_role_name("billing-viewer");
    let create = RoleCreate {
        name: full.clone(),
        description: Some("Billing".into()),
        permissions: vec!["billing.read".into(), odd.into()],
    };
    let before = client.before_role(&full).await.unwrap();
    let created = client.create_role_settled(&create, &before).await.unwrap();
    assert!(matches!(created, Created::Done), "{created:?}");
    let (role, etag) = client.get_role(&full).await.unwrap();
    assert_eq!(role.name, full);
    assert!(etag.is_some(), "GET role gives an ETag");
    assert_eq!(client.list_roles().await.unwrap(), vec![full.clone()]);
    let patch = RolePatch {
        description: Some("Billing, read".into()),
        permissions: vec!["billing.read".into()],
    };
    client
        .update_role(&full, &patch, etag.as_deref())
        .await
        .unwrap();
    let stale = client
        .update_role(&full, &patch, etag.as_deref())
        .await
        .unwrap_err();
    assert!(stale.is_precondition_failed(), "{stale}");
    let conflict = client.create_role(&create).await.unwrap_err();
    assert!(conflict.is_conflict(), "{conflict}");

    // Person roles: replace, read, clear.
    let person = SEED_PERSONS[0];
    assert!(client.get_person_roles(person).await.unwrap().is_empty());
    client
        .set_person_roles(person, std::slice::from_ref(&full))
        .await
        .unwrap();
    assert_eq!(
        client.get_person_roles(person).await.unwrap(),
        vec![full.clone()]
    );
    client.set_person_roles(person, &[]).await.unwrap();

    // Deletes; then reads answer 404.
    let in_use = client.delete_permission("billing.read").await.unwrap_err();
    assert_eq!(in_use.status(), Some(400), "{in_use}");
    client.delete_role(&full).await.unwrap();
    assert!(client.get_role(&full).await.unwrap_err().is_not_found());
    for name in [odd, "billing.read"] {
        client.delete_permission(name).await.unwrap();
        assert!(client
            .get_permission(name)
            .await
            .unwrap_err()
            .is_not_found());
    }

    let spec = spec();
    let calls = log.lock().unwrap().clone();
    let mut operations: Vec<String> = Vec::new();
    for call in &calls {
        check_call(&spec, call);
        let path = call.path.strip_prefix("/slashid").unwrap();
        operations.push(format!("{} {}", call.method, match_path(&spec, path).0));
        let write = call.method != Method::GET;
        assert_eq!(
            call.headers.get("slashid-required-consistency").is_some(),
            write,
            "consistency is sent on writes only: {call:?}"
        );
        if write {
            assert_eq!(call.headers["slashid-required-consistency"], "all_regions");
            assert_eq!(call.headers["slashid-required-consistency-timeout"], "15");
        }
        assert_eq!(call.headers["slashid-orgid"], ORG);
    }
    let role_calls: Vec<&Exchange> = calls
        .iter()
        .filter(|c| c.path.starts_with("/slashid/rbac/roles/"))
        .collect();
    assert!(role_calls
        .iter()
        .all(|c| c.path.ends_with(&format!("{ORG}%2Fbilling-viewer"))));
    assert!(calls
        .iter()
        .any(|c| c.path.ends_with("billing%2Finvoices%5Clist")));
    assert!(role_calls
        .iter()
        .any(|c| c.method == Method::PATCH && c.headers.contains_key("if-match")));
    for expected in [
        "POST /rbac/permissions",
        "GET /rbac/permissions",
        "GET /rbac/permissions/{permission_name}",
        "PATCH /rbac/permissions/{permission_name}",
        "DELETE /rbac/permissions/{permission_name}",
        "POST /rbac/roles",
        "GET /rbac/roles",
        "GET /rbac/roles/{role_name}",
        "PATCH /rbac/roles/{role_name}",
        "DELETE /rbac/roles/{role_name}",
        "GET /persons/{person_id}/roles",
        "PUT /persons/{person_id}/roles",
    ] {
        assert!(
            operations.iter().any(|o| o == expected),
            "{expected} not exercised: {operations:?}"
        );
    }
}

#[test]
fn slashid_contract_checker_catches_mistakes() {
    let spec = spec();
    let mut errors = Vec::new();
    let role = json!({"name": "billing-viewer", "permissions": ["ok.perm", "bad perm"]});
    let schema = spec.resolve(&spec.0["components"]["schemas"]["PostRoleRequest"]);
    spec.check(schema, &role, "$", &mut errors);
    // The unprefixed role name and the permission with a space.
    assert_eq!(errors.len(), 2, "{errors:#?}");
    let (template, params) = match_path(&spec, &format!("/rbac/roles/{ORG}%2Fx1"));
    assert_eq!(template, "/rbac/roles/{role_name}");
    assert_eq!(params[0].1, format!("{ORG}/x1"));
    let unencoded =
        std::panic::catch_unwind(|| match_path(&spec, &format!("/rbac/roles/{ORG}/x1")));
    assert!(unencoded.is_err(), "an unencoded `/` must not match");
}
