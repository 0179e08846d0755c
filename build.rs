//! Generates the gRPC service code of Terraform's plugin protocol with
//! tonic-build's manual builder: the messages are our own prost structs
//! (`src/plugin/proto.rs`), so no `.proto` file and no `protoc` is needed.

use tonic_build::manual::{Builder, Method, Service};

/// `(method, route)`: the Rust method name and the protocol's RPC name; the
/// request and response messages are `<Route>Request` / `<Route>Response`.
const PROVIDER_RPCS: &[(&str, &str)] = &[
    ("get_metadata", "GetMetadata"),
    ("get_provider_schema", "GetProviderSchema"),
    ("validate_provider_config", "ValidateProviderConfig"),
    ("validate_resource_config", "ValidateResourceConfig"),
    (
        "validate_data_resource_config",
        "ValidateDataResourceConfig",
    ),
    ("upgrade_resource_state", "UpgradeResourceState"),
    ("configure_provider", "ConfigureProvider"),
    ("read_resource", "ReadResource"),
    ("plan_resource_change", "PlanResourceChange"),
    ("apply_resource_change", "ApplyResourceChange"),
    ("import_resource_state", "ImportResourceState"),
    ("move_resource_state", "MoveResourceState"),
    ("read_data_source", "ReadDataSource"),
    ("get_functions", "GetFunctions"),
    ("call_function", "CallFunction"),
    ("stop_provider", "StopProvider"),
];

fn method(name: &str, route: &str, input: &str, output: &str) -> Method {
    Method::builder()
        .name(name)
        .route_name(route)
        .input_type(format!("crate::plugin::proto::{input}"))
        .output_type(format!("crate::plugin::proto::{output}"))
        .codec_path("tonic::codec::ProstCodec")
        .build()
}

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    let mut provider = Service::builder().name("Provider").package("tfplugin6");
    for (name, route) in PROVIDER_RPCS {
        provider = provider.method(method(
            name,
            route,
            &format!("{route}Request"),
            &format!("{route}Response"),
        ));
    }
    // go-plugin's own services (package `plugin`): Terraform calls Shutdown
    // when it is done with the plugin, and opens StreamStdio at start.
    let controller = Service::builder()
        .name("GRPCController")
        .package("plugin")
        .method(method("shutdown", "Shutdown", "Empty", "Empty"))
        .build();
    let stdio = Service::builder()
        .name("GRPCStdio")
        .package("plugin")
        .method(
            Method::builder()
                .name("stream_stdio")
                .route_name("StreamStdio")
                .input_type("crate::plugin::proto::Empty")
                .output_type("crate::plugin::proto::StdioData")
                .codec_path("tonic::codec::ProstCodec")
                .server_streaming()
                .build(),
        )
        .build();
    Builder::new()
        .build_transport(false)
        .compile(&[provider.build(), controller, stdio]);
}
