//! Property tests: the SlashID name validators accept exactly what the
//! vendor accepts. The oracle is the emulator, which implements the
//! vendor's documented name rules (docs/vendors/slashid.md, "Names")
//! independently of the provider: for random names, "no validation error"
//! must equal "the vendor takes the create".

use proptest::prelude::*;
use serde_json::json;
use terraform_provider_rbac::emulator::{
    self, EmulatorConfig, RunningEmulator, DEFAULT_SLASHID_API_KEY, DEFAULT_SLASHID_ORG_ID,
};
use terraform_provider_rbac::framework::resource::ResourceType;
use terraform_provider_rbac::framework::tf::Diagnostics;
use terraform_provider_rbac::framework::tf::Value;
use terraform_provider_rbac::http::encode_path_segment;
use terraform_provider_rbac::vendors::slashid::permission_resource::{
    PermissionResource, PermissionState,
};
use terraform_provider_rbac::vendors::slashid::role_resource::{RoleResource, RoleState};

struct Oracle {
    runtime: tokio::runtime::Runtime,
    emulator: RunningEmulator,
    http: reqwest::Client,
}

impl Oracle {
    fn new() -> Oracle {
        let runtime = tokio::runtime::Runtime::new().unwrap();
        let emulator = runtime
            .block_on(emulator::start(EmulatorConfig::default()))
            .unwrap();
        Oracle {
            runtime,
            emulator,
            http: reqwest::Client::new(),
        }
    }

    /// Whether SlashID creates `body` at `collection` (then deletes it
    /// again, `name` being its full name, so that cases never collide).
    fn accepts(&self, collection: &str, name: &str, body: serde_json::Value) -> bool {
        self.runtime.block_on(async {
            let url = format!("{}/rbac/{collection}", self.emulator.slashid_url());
            let status = self
                .http
                .post(&url)
                .header("SlashID-OrgID", DEFAULT_SLASHID_ORG_ID)
                .header("SlashID-API-Key", DEFAULT_SLASHID_API_KEY)
                .json(&body)
                .send()
                .await
                .unwrap()
                .status();
            if status != 204 {
                return false;
            }
            let deleted = self
                .http
                .delete(format!("{url}/{}", encode_path_segment(name)))
                .header("SlashID-OrgID", DEFAULT_SLASHID_ORG_ID)
                .header("SlashID-API-Key", DEFAULT_SLASHID_API_KEY)
                .send()
                .await
                .unwrap()
                .status();
            assert_eq!(deleted, 204, "delete {name:?}");
            true
        })
    }
}

/// Names around the rules: mostly well-formed ones of every length up to
/// past the limit, and ones with characters the vendor refuses (space,
/// non-ASCII letters and digits that Unicode `\w` would take, `/` and `\`
/// in role names) or with a bad first or last character.
fn name(max: usize, inner: &'static str) -> impl Strategy<Value = String> {
    prop_oneof![
        proptest::string::string_regex(&format!(
            "[A-Za-z0-9][{inner}]{{0,{}}}[A-Za-z0-9]",
            max + 1
        ))
        .unwrap(),
        proptest::string::string_regex(&format!("[ éß٣_/\\\\{inner}]{{0,8}}")).unwrap(),
        proptest::string::string_regex(&format!("[A-Za-z0-9][éß٣ {inner}]{{0,6}}[A-Za-z0-9_.-]"))
            .unwrap(),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn slashid_role_name_validation_matches_the_vendor(short in name(100, "A-Za-z0-9_.:-")) {
        thread_local!(static ORACLE: Oracle = Oracle::new());
        let state = RoleState {
            name: Value::Value(short.clone()),
            ..Default::default()
        };
        let mut diags = Diagnostics::default();
        RoleResource::validate(&mut diags, &state);
        let full = format!("{DEFAULT_SLASHID_ORG_ID}/{short}");
        let vendor = ORACLE.with(|o| o.accepts("roles", &full, json!({"name": full})));
        prop_assert_eq!(diags.errors.is_empty(), vendor, "{:?}: {:?}", short, diags.errors);
    }

    #[test]
    fn slashid_permission_name_validation_matches_the_vendor(
        name in name(1024, "A-Za-z0-9_.:/\\\\-")
    ) {
        thread_local!(static ORACLE: Oracle = Oracle::new());
        let state = PermissionState {
            name: Value::Value(name.clone()),
            ..Default::default()
        };
        let mut diags = Diagnostics::default();
        PermissionResource::validate(&mut diags, &state);
        let vendor = ORACLE.with(|o| o.accepts("permissions", &name, json!({"name": name})));
        prop_assert_eq!(diags.errors.is_empty(), vendor, "{:?}: {:?}", name, diags.errors);
    }
}
