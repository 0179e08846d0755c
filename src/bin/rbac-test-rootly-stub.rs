//! `rbac-test-rootly-stub`: a test-only stand-in for the vendor's own
//! provider, `rootlyhq/rootly`, served by our plugin server. Terraform
//! needs the source provider of a `moved` block present, so
//! tests/moved_from_rootly_provider.rs installs this binary as
//! `terraform-provider-rootly` through `dev_overrides`.
//!
//! It publishes the provider configuration and the two resource types our
//! Rootly resources take over, with the attributes the vendor's docs
//! publish (docs/vendors/rootly.md, "The vendor's Terraform provider"),
//! and talks to no API: a read returns the stored state, a plan the
//! configuration, an apply the plan. It is not shipped.

use std::collections::HashMap;

use async_trait::async_trait;
use terraform_provider_rbac::framework::protocol::{
    DataSourceHandler, DynamicValue, MovedFrom, PlannedUpdate, ProviderHandler, ResourceHandler,
};
use terraform_provider_rbac::framework::schema::{list_of, schema, string, AttributeBuilder};
use terraform_provider_rbac::framework::tf::{AttributeType, Diagnostics, Schema};
use terraform_provider_rbac::plugin;
use terraform_provider_rbac::vendors::rootly::source_provider::VENDOR_PERMISSION_LISTS;

struct RootlyStub;

#[async_trait]
impl ProviderHandler for RootlyStub {
    fn schema(&self) -> Schema {
        schema(
            "Test stand-in for rootlyhq/rootly.",
            vec![
                ("api_host", string().optional()),
                ("api_token", string().optional().sensitive()),
            ],
            vec![],
        )
    }

    async fn validate(&self, _: &mut Diagnostics, _: DynamicValue) {}

    async fn configure(&self, _: &mut Diagnostics, _: String, _: DynamicValue) {}

    fn resources(&self) -> HashMap<String, Box<dyn ResourceHandler>> {
        let mut role: Vec<(&str, AttributeBuilder)> = vec![
            ("id", string().computed()),
            ("name", string().required()),
            ("slug", string().optional_computed()),
            ("system_role", string().optional()),
        ];
        for list in VENDOR_PERMISSION_LISTS {
            role.push((list, list_of(AttributeType::String).optional_computed()));
        }
        let user_role = vec![
            ("id", string().computed()),
            ("user_id", string().required()),
            ("on_call_role_id", string().required()),
        ];
        let mut resources: HashMap<String, Box<dyn ResourceHandler>> = HashMap::new();
        resources.insert(
            "on_call_role".into(),
            Box::new(Echo(schema("rootly_on_call_role", role, vec![]))),
        );
        resources.insert(
            "user_on_call_role".into(),
            Box::new(Echo(schema("rootly_user_on_call_role", user_role, vec![]))),
        );
        resources
    }

    fn data_sources(&self) -> HashMap<String, Box<dyn DataSourceHandler>> {
        HashMap::new()
    }
}

/// A resource type that stores what Terraform gives it.
struct Echo(Schema);

#[async_trait]
impl ResourceHandler for Echo {
    fn schema(&self) -> Schema {
        self.0.clone()
    }

    async fn validate(&self, _: &mut Diagnostics, _: DynamicValue) {}

    async fn read(
        &self,
        _: &mut Diagnostics,
        state: DynamicValue,
        private: Vec<u8>,
    ) -> Option<(DynamicValue, Vec<u8>)> {
        Some((state, private))
    }

    async fn plan_create(
        &self,
        _: &mut Diagnostics,
        config: DynamicValue,
    ) -> Option<(DynamicValue, Vec<u8>)> {
        Some((config, vec![]))
    }

    async fn plan_update(
        &self,
        _: &mut Diagnostics,
        _: DynamicValue,
        config: DynamicValue,
        private: Vec<u8>,
    ) -> Option<PlannedUpdate> {
        Some((config, private, vec![]))
    }

    async fn plan_destroy(
        &self,
        _: &mut Diagnostics,
        _: DynamicValue,
        private: Vec<u8>,
    ) -> Option<Vec<u8>> {
        Some(private)
    }

    async fn create(
        &self,
        _: &mut Diagnostics,
        planned: DynamicValue,
    ) -> Option<(DynamicValue, Vec<u8>)> {
        Some((planned, vec![]))
    }

    async fn update(
        &self,
        _: &mut Diagnostics,
        _: DynamicValue,
        planned: DynamicValue,
        private: Vec<u8>,
    ) -> Option<(DynamicValue, Vec<u8>)> {
        Some((planned, private))
    }

    async fn destroy(&self, _: &mut Diagnostics, _: DynamicValue, _: Vec<u8>) -> Option<()> {
        Some(())
    }

    async fn import(&self, diags: &mut Diagnostics, _: String) -> Option<(DynamicValue, Vec<u8>)> {
        diags.root_error("The test stand-in for rootlyhq/rootly imports nothing", "");
        None
    }

    /// Stored states are kept as they are (Terraform decodes the JSON).
    fn upgrade(&self, _: &mut Diagnostics, _: i64, json: Vec<u8>) -> Option<DynamicValue> {
        Some(DynamicValue::Json(json))
    }

    fn move_state(
        &self,
        diags: &mut Diagnostics,
        from: &MovedFrom,
    ) -> Option<(DynamicValue, Vec<u8>)> {
        diags.root_error(
            format!(
                "The test stand-in for rootlyhq/rootly takes over no {}",
                from.type_name
            ),
            "",
        );
        None
    }
}

fn main() {
    let env = match plugin::PluginEnv::from_env() {
        Ok(env) => env,
        Err(err) => {
            eprintln!("rbac-test-rootly-stub: {err:#}");
            std::process::exit(1);
        }
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    if let Err(err) = runtime.block_on(plugin::serve("rootly", RootlyStub, env)) {
        eprintln!("rbac-test-rootly-stub: {err:#}");
        std::process::exit(1);
    }
    std::process::exit(0);
}
