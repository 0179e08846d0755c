//! Property tests: the provider's plan-time validators accept
//! exactly what the vendor accepts. The oracle is the emulator, which
//! implements each vendor's documented limits independently of the
//! provider: for random input, "no validation error" must equal "the vendor
//! takes the create".

use proptest::prelude::*;
use serde_json::json;
use terraform_provider_rbac::emulator::{self, EmulatorConfig, RunningEmulator};
use terraform_provider_rbac::framework::resource::ResourceType;
use terraform_provider_rbac::framework::tf::Diagnostics;
use terraform_provider_rbac::framework::tf::Value;
use terraform_provider_rbac::vendors::flashduty::role_resource::{RoleResource, RoleState};
use terraform_provider_rbac::vendors::rootly::api::PERMISSION_FAMILIES;
use terraform_provider_rbac::vendors::rootly::on_call_role_resource::{
    OnCallRoleResource, OnCallRoleState,
};
use terraform_provider_rbac::vendors::zenml::role_resource::{
    RoleResource as ZenmlRoleResource, RoleState as ZenmlRoleState,
};

const FLASHDUTY_KEY: &str = "validators-test-key";
const ROOTLY_TOKEN: &str = "validators-test-token";
const ZENML_KEY: &str = "ZENPROKEY_validators-test";
const ZENML_ORG: &str = "0b5e6a62-6f1d-4c3e-9d7a-2f4c8e1a9b30";

struct Oracle {
    runtime: tokio::runtime::Runtime,
    emulator: RunningEmulator,
    http: reqwest::Client,
}

impl Oracle {
    fn new() -> Oracle {
        let runtime = tokio::runtime::Runtime::new().unwrap();
        let emulator = runtime
            .block_on(emulator::start(EmulatorConfig {
                flashduty_app_key: FLASHDUTY_KEY.into(),
                rootly_api_token: ROOTLY_TOKEN.into(),
                zenml_api_key: ZENML_KEY.into(),
                rate_limit: false,
                ..Default::default()
            }))
            .unwrap();
        Oracle {
            runtime,
            emulator,
            http: reqwest::Client::new(),
        }
    }

    /// Whether Flashduty creates this role (then deletes it again, so that
    /// names never collide between cases).
    fn flashduty_accepts(&self, name: &str, description: &str) -> bool {
        self.runtime.block_on(async {
            let url = format!("{}/role/upsert?app_key={FLASHDUTY_KEY}", self.emulator.flashduty_url());
            let body: serde_json::Value = self
                .http
                .post(url)
                .json(&json!({"role_name": name, "description": description, "permission_ids": [501]}))
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
            let Some(id) = body["data"]["role_id"].as_u64() else {
                return false;
            };
            let url = format!("{}/role/delete?app_key={FLASHDUTY_KEY}", self.emulator.flashduty_url());
            self.http.post(url).json(&json!({"role_id": id})).send().await.unwrap();
            true
        })
    }

    /// Whether Rootly creates this on-call role (then deletes it).
    fn rootly_accepts(&self, attributes: serde_json::Value) -> bool {
        self.runtime.block_on(async {
            let url = format!("{}/v1/on_call_roles", self.emulator.rootly_url());
            let response = self
                .http
                .post(&url)
                .bearer_auth(ROOTLY_TOKEN)
                .header("Content-Type", "application/vnd.api+json")
                .body(
                    json!({"data": {"type": "on_call_roles", "attributes": attributes}})
                        .to_string(),
                )
                .send()
                .await
                .unwrap();
            if response.status() != 201 {
                return false;
            }
            let body: serde_json::Value = response.json().await.unwrap();
            let id = body["data"]["id"].as_str().unwrap().to_string();
            self.http
                .delete(format!("{url}/{id}"))
                .bearer_auth(ROOTLY_TOKEN)
                .send()
                .await
                .unwrap();
            true
        })
    }
}

impl Oracle {
    /// Whether ZenML Pro creates this role (then deletes it).
    fn zenml_accepts(&self, level: &str, name: &str, description: &str) -> bool {
        self.runtime.block_on(async {
            let base = self.emulator.zenml_url();
            let login: serde_json::Value = self
                .http
                .post(format!("{base}/auth/login"))
                .form(&[("password", ZENML_KEY)])
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
            let token = login["access_token"].as_str().unwrap().to_string();
            let response = self
                .http
                .post(format!("{base}/roles"))
                .bearer_auth(&token)
                .json(
                    &json!({"organization_id": ZENML_ORG, "level": level, "name": name,
                              "description": description, "type": "normal", "system_managed": false}),
                )
                .send()
                .await
                .unwrap();
            if !response.status().is_success() {
                return false;
            }
            let body: serde_json::Value = response.json().await.unwrap();
            let id = body["id"].as_str().unwrap().to_string();
            self.http
                .delete(format!("{base}/roles/{id}"))
                .bearer_auth(&token)
                .send()
                .await
                .unwrap();
            true
        })
    }
}

fn no_errors(diags: &Diagnostics) -> bool {
    diags.errors.is_empty()
}

/// Strings around the limits: empty, short, at and over 39/499 characters,
/// multi-byte characters (limits count characters), blanks.
fn text(max: usize) -> impl Strategy<Value = String> {
    prop_oneof![
        proptest::string::string_regex(&format!("[a-zA-Z0-9 _-]{{0,{}}}", max + 3)).unwrap(),
        proptest::string::string_regex(&format!("[äé中文🙂 ]{{0,{}}}", max + 3)).unwrap(),
        proptest::string::string_regex(&format!("\\PC{{{},{}}}", max.saturating_sub(2), max + 2))
            .unwrap(),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn flashduty_role_validation_matches_the_vendor(name in text(39), description in text(499)) {
        thread_local!(static ORACLE: Oracle = Oracle::new());
        let state = RoleState {
            role_name: Value::Value(name.clone()),
            description: Value::Value(description.clone()),
            ..Default::default()
        };
        let mut diags = Diagnostics::default();
        RoleResource::validate(&mut diags, &state);
        let vendor = ORACLE.with(|o| o.flashduty_accepts(&name, &description));
        prop_assert_eq!(no_errors(&diags), vendor, "name {:?} description {:?}: {:?}", name, description, diags.errors);
    }

    #[test]
    fn rootly_permission_validation_matches_the_vendor(
        picks in proptest::collection::vec(
            (0..PERMISSION_FAMILIES.len(), proptest::sample::select(vec!["create", "read", "update", "delete", "manage", "Read", ""])),
            0..6,
        )
    ) {
        thread_local!(static ORACLE: Oracle = Oracle::new());
        let mut state = OnCallRoleState {
            name: Value::Value("Property".into()),
            ..Default::default()
        };
        let mut attributes = serde_json::Map::new();
        attributes.insert("name".into(), json!("Property"));
        for (family, value) in &picks {
            let family = PERMISSION_FAMILIES[*family].0;
            for (name, set) in state.families_mut() {
                if name == family {
                    let mut values = match set {
                        Value::Value(v) => v.clone(),
                        _ => Vec::new(),
                    };
                    values.push(Value::Value(value.to_string()));
                    *set = Value::Value(values);
                }
            }
            attributes
                .entry(family)
                .or_insert_with(|| json!([]))
                .as_array_mut()
                .unwrap()
                .push(json!(value));
        }
        let mut diags = Diagnostics::default();
        OnCallRoleResource::validate(&mut diags, &state);
        let vendor = ORACLE.with(|o| o.rootly_accepts(serde_json::Value::Object(attributes.clone())));
        prop_assert_eq!(no_errors(&diags), vendor, "{:?}: {:?}", attributes, diags.errors);
    }

    #[test]
    fn zenml_role_validation_matches_the_vendor(
        level in proptest::sample::select(vec!["workspace", "project", "organization", "Workspace", ""]),
        name in text(50),
        description in text(256),
    ) {
        thread_local!(static ORACLE: Oracle = Oracle::new());
        let state = ZenmlRoleState {
            organization_id: Value::Value(ZENML_ORG.into()),
            level: Value::Value(level.into()),
            name: Value::Value(name.clone()),
            description: Value::Value(description.clone()),
            role_type: Value::Value("normal".into()),
            ..Default::default()
        };
        let mut diags = Diagnostics::default();
        ZenmlRoleResource::validate(&mut diags, &state);
        let vendor = ORACLE.with(|o| o.zenml_accepts(level, &name, &description));
        prop_assert_eq!(no_errors(&diags), vendor, "level {:?} name {:?} description {:?}: {:?}", level, name, description, diags.errors);
    }
}
