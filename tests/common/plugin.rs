//! A gRPC client of the provider binary, started as Terraform starts it
//! (without `PLUGIN_CLIENT_CERT` it serves plaintext HTTP/2 on loopback),
//! and cty values built from the provider's own schemas, as Terraform
//! sends them: every attribute present, null when unset.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::process::{Child, ChildStdout, Command, Stdio};

use serde_json::{json, Value as Json};
use terraform_provider_rbac::framework::tf::Value;
pub use terraform_provider_rbac::plugin::proto as pb;
use terraform_provider_rbac::plugin::proto::services::g_r_p_c_controller_client::GRPCControllerClient;
use terraform_provider_rbac::plugin::proto::services::provider_client::ProviderClient;
use tonic::transport::Channel;

use crate::common::{provider_bin, EmulatorProcess, FLASHDUTY_KEY};

pub type Client = ProviderClient<Channel>;

/// A top-level object: attribute name to null, unknown or a known value.
pub type Object = BTreeMap<String, Value<Json>>;

/// The provider process (killed on drop) and clients of its services.
pub struct Plugin {
    pub child: Child,
    /// go-plugin reads the plugin's stdout for as long as it uses it; the
    /// plugin exits when that pipe closes.
    _stdout: BufReader<ChildStdout>,
    pub provider: Client,
    pub controller: GRPCControllerClient<Channel>,
}

impl Drop for Plugin {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts the provider binary and connects to the address of its handshake
/// line.
pub async fn start() -> Plugin {
    let mut child = Command::new(provider_bin())
        .env(
            "TF_PLUGIN_MAGIC_COOKIE",
            "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2",
        )
        .env_remove("PLUGIN_CLIENT_CERT")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start the provider");
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut line = String::new();
    stdout.read_line(&mut line).expect("handshake line");
    let fields: Vec<&str> = line.trim().split('|').collect();
    assert_eq!(fields[..3], ["1", "6", "tcp"], "handshake {line:?}");
    let channel = Channel::from_shared(format!("http://{}", fields[3]))
        .unwrap()
        .connect()
        .await
        .expect("connect to the provider");
    Plugin {
        child,
        _stdout: stdout,
        provider: ProviderClient::new(channel.clone()),
        controller: GRPCControllerClient::new(channel),
    }
}

impl Plugin {
    pub async fn schemas(&mut self) -> pb::GetProviderSchemaResponse {
        let schemas = self.provider.get_provider_schema(pb::Empty {}).await;
        schemas.expect("GetProviderSchema").into_inner()
    }

    /// The block of resource type `name` (or data source, or `"provider"`).
    pub async fn block(&mut self, name: &str) -> pb::SchemaBlock {
        let s = self.schemas().await;
        let schema = match name {
            "provider" => s.provider,
            _ => s.resource_schemas.get(name).cloned(),
        };
        let schema = schema.or_else(|| s.data_source_schemas.get(name).cloned());
        schema.and_then(|s| s.block).expect(name)
    }

    /// The provider configuration for `emu`'s Flashduty, with `extra`
    /// attributes of the `flashduty` block.
    pub async fn flashduty_config(
        &mut self,
        emu: &EmulatorProcess,
        extra: Json,
    ) -> pb::DynamicValue {
        let mut fd = json!({"app_key": FLASHDUTY_KEY, "base_url": emu.flashduty_url()});
        fd.as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        let block = self.block("provider").await;
        msgpack(&object(&block, json!({ "flashduty": [fd] })))
    }

    /// ConfigureProvider for `emu`'s Flashduty; panics on an error.
    pub async fn configure(&mut self, emu: &EmulatorProcess, extra: Json) {
        let config = Some(self.flashduty_config(emu, extra).await);
        let request = pb::ConfigureProviderRequest {
            terraform_version: "1.9.8".into(),
            config,
        };
        let answer = self.provider.configure_provider(request).await.unwrap();
        assert_eq!(errors(&answer.get_ref().diagnostics), Vec::<String>::new());
    }

    /// Closes the connection, as Terraform does after Shutdown: the clients
    /// are left pointing nowhere.
    pub fn hang_up(&mut self) {
        let nowhere = Channel::from_static("http://127.0.0.1:9").connect_lazy();
        self.provider = ProviderClient::new(nowhere.clone());
        self.controller = GRPCControllerClient::new(nowhere);
    }

    /// Whether the server still answers GetMetadata.
    pub async fn answers(&mut self) -> bool {
        let metadata = self.provider.get_metadata(pb::Empty {}).await;
        metadata.is_ok_and(|m| !m.into_inner().resources.is_empty())
    }
}

/// An object of `block` as Terraform sends it: the attributes in `set`,
/// every other attribute null, nested blocks filled likewise (absent ones
/// empty: Terraform sends `[]` for a list or set block without entries).
pub fn object(block: &pb::SchemaBlock, set: Json) -> Object {
    let mut set = set.as_object().cloned().unwrap_or_default();
    let mut out = Object::new();
    for a in &block.attributes {
        let v = set.remove(&a.name).map_or(Value::Null, Value::Value);
        out.insert(a.name.clone(), v);
    }
    for b in &block.block_types {
        let inner = b.block.as_ref().unwrap();
        let fill = |v: Json| serde_json::to_value(object(inner, v)).unwrap();
        let given = set.remove(&b.type_name);
        let v = match (given, pb::NestingMode::try_from(b.nesting).unwrap()) {
            (Some(Json::Array(items)), _) => Json::Array(items.into_iter().map(fill).collect()),
            (Some(one), _) => fill(one),
            (None, pb::NestingMode::List | pb::NestingMode::Set) => json!([]),
            (None, pb::NestingMode::Map) => json!({}),
            (None, _) => Json::Null,
        };
        out.insert(b.type_name.clone(), Value::Value(v));
    }
    assert!(set.is_empty(), "not in the schema: {set:?}");
    out
}

/// cty's MessagePack of `object` (unknown: extension 0).
pub fn msgpack(object: &Object) -> pb::DynamicValue {
    bytes(rmp_serde::to_vec_named(object).unwrap())
}

/// A value of raw MessagePack bytes.
pub fn bytes(msgpack: Vec<u8>) -> pb::DynamicValue {
    pb::DynamicValue {
        msgpack,
        json: vec![],
    }
}

/// The null value (a create's prior state, a destroy's planned state).
pub fn null() -> pb::DynamicValue {
    bytes(vec![0xc0])
}

/// Decodes a MessagePack object the provider answered; `None` for null.
pub fn decode(v: &Option<pb::DynamicValue>) -> Option<Object> {
    let v = v.as_ref().expect("a value in the answer");
    assert!(v.json.is_empty(), "JSON where MessagePack was expected");
    rmp_serde::from_slice::<Option<Object>>(&v.msgpack).expect("MessagePack object")
}

/// A known attribute of `object`, as JSON.
pub fn known(object: &Object, name: &str) -> Json {
    match object.get(name) {
        Some(Value::Value(v)) => v.clone(),
        other => panic!("{name} is {other:?}, not known"),
    }
}

/// "summary: detail" of each error diagnostic.
pub fn errors(diags: &[pb::Diagnostic]) -> Vec<String> {
    let errors = diags
        .iter()
        .filter(|d| d.severity == pb::Severity::Error as i32);
    errors
        .map(|d| format!("{}: {}", d.summary, d.detail))
        .collect()
}

/// The attribute path of a diagnostic, as `a[0].b` / `a["k"]`.
pub fn path(d: &pb::Diagnostic) -> String {
    let steps = d
        .attribute
        .as_ref()
        .map(|p| p.steps.as_slice())
        .unwrap_or(&[]);
    let mut out = String::new();
    for step in steps {
        match step.selector.as_ref().unwrap() {
            pb::Selector::AttributeName(n) if out.is_empty() => out.push_str(n),
            pb::Selector::AttributeName(n) => out.push_str(&format!(".{n}")),
            pb::Selector::ElementKeyString(k) => out.push_str(&format!("[{k:?}]")),
            pb::Selector::ElementKeyInt(i) => out.push_str(&format!("[{i}]")),
        }
    }
    out
}
