//! What the server holds — the provider's handlers
//! ([`crate::framework::protocol`]) and their schemas — and go-plugin's
//! controller and stdio services; the tfplugin6 calls are in [`rpcs`].
//!
//! Every call runs on its own task (one HTTP/2 stream each): a panic ends
//! that call only, and the server carries on.

use std::collections::HashMap;
use std::pin::Pin;
use std::sync::Arc;

use futures::Stream;
use tokio::sync::Notify;
use tonic::{Request, Response, Status};

use super::convert;
use super::proto::services::g_r_p_c_controller_server::GRPCController;
use super::proto::services::g_r_p_c_stdio_server::GRPCStdio;
use super::proto::*;
use crate::framework::protocol::{DataSourceHandler, ProviderHandler, ResourceHandler};
use crate::framework::tf::Diagnostics;

/// What the server holds: the provider, its types, and their schemas
/// (computed once: Terraform asks for them in every process it starts).
pub struct ProviderService {
    provider: Box<dyn ProviderHandler>,
    resources: HashMap<String, Box<dyn ResourceHandler>>,
    data_sources: HashMap<String, Box<dyn DataSourceHandler>>,
    schemas: GetProviderSchemaResponse,
    /// Notified once Terraform calls the controller's `Shutdown`.
    pub(super) shutdown: Arc<Notify>,
}

const CAPABILITIES: ServerCapabilities = ServerCapabilities {
    plan_destroy: true,
    get_provider_schema_optional: true,
    move_resource_state: true,
};

impl ProviderService {
    /// `provider`'s types are registered under `<name>_<type>`.
    pub fn new(name: &str, provider: impl ProviderHandler) -> Self {
        let full = |t: String| format!("{name}_{t}");
        let resources: HashMap<_, _> = provider
            .resources()
            .into_iter()
            .map(|(t, r)| (full(t), r))
            .collect();
        let data_sources: HashMap<_, _> = provider
            .data_sources()
            .into_iter()
            .map(|(t, d)| (full(t), d))
            .collect();
        let schemas = GetProviderSchemaResponse {
            provider: Some(convert::schema(&provider.schema())),
            resource_schemas: resources
                .iter()
                .map(|(t, r)| (t.clone(), convert::schema(&r.schema())))
                .collect(),
            data_source_schemas: data_sources
                .iter()
                .map(|(t, d)| (t.clone(), convert::schema(&d.schema())))
                .collect(),
            functions: HashMap::new(),
            diagnostics: vec![],
            provider_meta: None,
            server_capabilities: Some(CAPABILITIES),
        };
        ProviderService {
            provider: Box::new(provider),
            resources,
            data_sources,
            schemas,
            shutdown: Arc::new(Notify::new()),
        }
    }

    fn resource(&self, diags: &mut Diagnostics, type_name: &str) -> Option<&dyn ResourceHandler> {
        let found = self.resources.get(type_name).map(|r| r.as_ref());
        if found.is_none() {
            unknown_type(diags, "resource", type_name);
        }
        found
    }

    fn data_source(
        &self,
        diags: &mut Diagnostics,
        type_name: &str,
    ) -> Option<&dyn DataSourceHandler> {
        let found = self.data_sources.get(type_name).map(|d| d.as_ref());
        if found.is_none() {
            unknown_type(diags, "data source", type_name);
        }
        found
    }
}

fn unknown_type(diags: &mut Diagnostics, kind: &str, type_name: &str) {
    diags.root_error(
        format!("This provider has no {kind} type {type_name:?}"),
        "Check the type name in the configuration against the provider's documentation, \
         and that the configuration selects this provider.",
    );
}

/// An operation that failed without saying why: never silent.
fn internal_error_if_silent<T>(diags: &mut Diagnostics, result: &Option<T>) {
    if result.is_none() && diags.errors.is_empty() {
        diags.root_error(
            "Internal error in the provider",
            "An operation failed without a diagnostic. This is a bug: please report it with \
             the log (TF_LOG=debug).",
        );
    }
}

type Answer<T> = Result<Response<T>, Status>;

/// The answer of a call that succeeded at the gRPC level (its errors are
/// diagnostics in the message), in the type tonic's services return.
#[allow(clippy::result_large_err)]
fn ok<T>(message: T) -> Answer<T> {
    Ok(Response::new(message))
}

mod rpcs;

#[tonic::async_trait]
impl GRPCController for Arc<ProviderService> {
    /// Terraform is done with the plugin: answer, then exit
    /// ([`super::serve`]).
    async fn shutdown(&self, _: Request<Empty>) -> Answer<Empty> {
        self.shutdown.notify_one();
        ok(Empty {})
    }
}

type StdioStream = Pin<Box<dyn Stream<Item = Result<StdioData, Status>> + Send + 'static>>;

#[tonic::async_trait]
impl GRPCStdio for Arc<ProviderService> {
    type StreamStdioStream = StdioStream;

    /// Our stdout and stderr are not redirected (logs go to stderr, which
    /// Terraform reads directly): the stream stays open and sends nothing.
    async fn stream_stdio(&self, _: Request<Empty>) -> Answer<StdioStream> {
        ok(Box::pin(futures::stream::pending()))
    }
}
