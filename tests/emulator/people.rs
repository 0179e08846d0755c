//! The people listings an access review walks (docs/vendors/*.md "People
//! and lookups"): SlashID's `GET /persons` and ZenML Pro's users, teams and
//! organizations, as the emulator serves them.

use serde_json::{json, Value};
use terraform_provider_rbac::emulator::zenml::DEFAULT_ORGANIZATION_ID as ORG;
use terraform_provider_rbac::emulator::{
    DEFAULT_SLASHID_API_KEY, DEFAULT_SLASHID_ORG_ID, DEFAULT_ZENML_API_KEY,
};

use crate::common::Fd;

async fn get(fd: &Fd, url: String, headers: &[(&str, &str)]) -> (u16, Value) {
    let mut req = fd.http.get(url);
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    let res = req.send().await.unwrap();
    let status = res.status().as_u16();
    (status, res.json().await.unwrap_or(Value::Null))
}

#[tokio::test]
async fn slashid_persons_list_pages_with_email_handles() {
    let fd = Fd::start().await;
    let added = fd
        .control(
            "/slashid/persons",
            json!({"add": [{"person_id": "pid:x1", "email": "Ada@Example.com"}, {"person_id": "pid:x2"}]}),
        )
        .await;
    assert_eq!(added["added"], 2);
    let sid = [
        ("SlashID-OrgID", DEFAULT_SLASHID_ORG_ID),
        ("SlashID-API-Key", DEFAULT_SLASHID_API_KEY),
    ];
    let base = fd.emu.slashid_url();
    let (status, body) = get(
        &fd,
        format!("{base}/persons?fields=handles&limit=2&offset=3"),
        &sid,
    )
    .await;
    assert_eq!(status, 200, "{body}");
    // 3 seed persons then pid:x1, pid:x2, in ID order.
    let ids: Vec<&str> = body["result"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["person_id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["pid:x1", "pid:x2"]);
    assert_eq!(
        body["result"][0]["handles"],
        json!([{"type": "email_address", "value": "Ada@Example.com"}])
    );
    // Without `fields=handles` there are none; by handle, case-insensitive.
    let (_, body) = get(
        &fd,
        format!("{base}/persons?handle=email_address:ada@example.com"),
        &sid,
    )
    .await;
    assert_eq!(body["result"].as_array().unwrap().len(), 1, "{body}");
    assert!(body["result"][0].get("handles").is_none(), "{body}");
    for bad in ["limit=0", "limit=1001", "offset=x", "handle=username:ada"] {
        let (status, body) = get(&fd, format!("{base}/persons?{bad}"), &sid).await;
        assert_eq!(status, 400, "{bad}: {body}");
    }
}

#[tokio::test]
async fn zenml_users_teams_and_organizations() {
    let fd = Fd::start().await;
    let added = fd
        .control(
            "/zenml/people",
            json!({"users": [{"email": "ada@example.com", "name": "Ada"}, {"email": "bob@example.com"}],
                   "teams": [{"name": "Platform", "members": ["ADA@example.com"]}]}),
        )
        .await;
    let ada = added["users"][0]["id"].as_str().unwrap().to_string();
    let team = added["teams"][0]["id"].as_str().unwrap().to_string();
    let login = fd
        .http
        .post(format!("{}/auth/login", fd.emu.zenml_url()))
        .form(&[("password", DEFAULT_ZENML_API_KEY)])
        .send()
        .await
        .unwrap();
    let token: Value = login.json().await.unwrap();
    let bearer = format!("Bearer {}", token["access_token"].as_str().unwrap());
    let auth = [("Authorization", bearer.as_str())];
    let base = fd.emu.zenml_url();
    let (status, users) = get(&fd, format!("{base}/users"), &auth).await;
    assert_eq!(status, 200, "{users}");
    assert_eq!(users.as_array().unwrap().len(), 2);
    let (_, one) = get(&fd, format!("{base}/users?email=BOB@example.com"), &auth).await;
    assert_eq!(one[0]["email"], "bob@example.com", "{one}");
    let (_, orgs) = get(&fd, format!("{base}/organizations"), &auth).await;
    assert_eq!(orgs[0]["id"], ORG);
    let (_, teams) = get(&fd, format!("{base}/organizations/{ORG}/teams"), &auth).await;
    assert_eq!(
        teams,
        json!([{"id": team, "name": "Platform", "organization_id": ORG}])
    );
    let (_, members) = get(&fd, format!("{base}/teams/{team}/members"), &auth).await;
    assert_eq!(members[0]["id"], ada.as_str(), "{members}");
    let unknown = "7d1c2b3a-0000-4aaa-8bbb-000000000000";
    let (status, _) = get(&fd, format!("{base}/teams/{unknown}/members"), &auth).await;
    assert_eq!(status, 404);
    let (status, _) = get(&fd, format!("{base}/users"), &[]).await;
    assert_eq!(status, 401);
}
