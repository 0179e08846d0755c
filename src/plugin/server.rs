//! The tfplugin6 `Provider` service, and go-plugin's controller and stdio
//! services: each call decoded, dispatched to the provider's handlers
//! ([`crate::framework::protocol`]) and answered with its diagnostics.
//!
//! Every call runs on its own task (one HTTP/2 stream each): a panic ends
//! that call only, and the server carries on.

use std::collections::HashMap;
use std::pin::Pin;
use std::sync::Arc;

use futures::Stream;
use tokio::sync::Notify;
use tonic::{Request, Response, Status};

use super::convert::{self, value};
use super::proto::services::g_r_p_c_controller_server::GRPCController;
use super::proto::services::g_r_p_c_stdio_server::GRPCStdio;
use super::proto::services::provider_server;
use super::proto::*;
use crate::framework::protocol::{
    DataSourceHandler, DynamicValue, MovedFrom, ProviderHandler, ResourceHandler,
};
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

fn ok<T>(message: T) -> Answer<T> {
    Ok(Response::new(message))
}

#[tonic::async_trait]
impl provider_server::Provider for Arc<ProviderService> {
    async fn get_metadata(&self, _: Request<GetMetadataRequest>) -> Answer<GetMetadataResponse> {
        let names = |m: &HashMap<String, Schema>| {
            let mut names: Vec<_> = m.keys().cloned().collect();
            names.sort();
            names
                .into_iter()
                .map(|type_name| TypeNameMetadata { type_name })
                .collect()
        };
        ok(GetMetadataResponse {
            server_capabilities: Some(CAPABILITIES),
            diagnostics: vec![],
            data_sources: names(&self.schemas.data_source_schemas),
            resources: names(&self.schemas.resource_schemas),
            functions: vec![],
        })
    }

    async fn get_provider_schema(
        &self,
        _: Request<GetProviderSchemaRequest>,
    ) -> Answer<GetProviderSchemaResponse> {
        ok(self.schemas.clone())
    }

    async fn validate_provider_config(
        &self,
        request: Request<ValidateProviderConfigRequest>,
    ) -> Answer<ValidateProviderConfigResponse> {
        let mut diags = Diagnostics::default();
        let config = value(request.into_inner().config);
        self.provider.validate(&mut diags, config).await;
        ok(ValidateProviderConfigResponse {
            diagnostics: convert::diagnostics(diags),
        })
    }

    async fn validate_resource_config(
        &self,
        request: Request<ValidateResourceConfigRequest>,
    ) -> Answer<ValidateResourceConfigResponse> {
        let request = request.into_inner();
        let mut diags = Diagnostics::default();
        if let Some(r) = self.resource(&mut diags, &request.type_name) {
            r.validate(&mut diags, value(request.config)).await;
        }
        ok(DiagnosticsResponse {
            diagnostics: convert::diagnostics(diags),
        })
    }

    async fn validate_data_resource_config(
        &self,
        request: Request<ValidateDataResourceConfigRequest>,
    ) -> Answer<ValidateDataResourceConfigResponse> {
        let request = request.into_inner();
        let mut diags = Diagnostics::default();
        if let Some(d) = self.data_source(&mut diags, &request.type_name) {
            d.validate(&mut diags, value(request.config)).await;
        }
        ok(DiagnosticsResponse {
            diagnostics: convert::diagnostics(diags),
        })
    }

    async fn upgrade_resource_state(
        &self,
        request: Request<UpgradeResourceStateRequest>,
    ) -> Answer<UpgradeResourceStateResponse> {
        let request = request.into_inner();
        let mut diags = Diagnostics::default();
        let json = request.raw_state.map(|s| s.json).unwrap_or_default();
        let upgraded = match self.resource(&mut diags, &request.type_name) {
            Some(_) if json.is_empty() => {
                diags.root_error(
                    "This state has no JSON form",
                    "It was stored in the legacy flatmap form, which this provider never wrote. \
                     Remove the object from state and import it.",
                );
                None
            }
            Some(r) => r.upgrade(&mut diags, request.version, json),
            None => None,
        };
        internal_error_if_silent(&mut diags, &upgraded);
        ok(UpgradeResourceStateResponse {
            upgraded_state: upgraded.map(convert::to_proto),
            diagnostics: convert::diagnostics(diags),
        })
    }

    async fn configure_provider(
        &self,
        request: Request<ConfigureProviderRequest>,
    ) -> Answer<ConfigureProviderResponse> {
        let request = request.into_inner();
        let mut diags = Diagnostics::default();
        self.provider
            .configure(&mut diags, request.terraform_version, value(request.config))
            .await;
        ok(DiagnosticsResponse {
            diagnostics: convert::diagnostics(diags),
        })
    }

    async fn read_resource(
        &self,
        request: Request<ReadResourceRequest>,
    ) -> Answer<ReadResourceResponse> {
        let request = request.into_inner();
        let mut diags = Diagnostics::default();
        // `None` without an error: the object is gone, and a null new
        // state tells Terraform to drop it.
        let read = match self.resource(&mut diags, &request.type_name) {
            Some(r) => {
                r.read(&mut diags, value(request.current_state), request.private)
                    .await
            }
            None => None,
        };
        let (state, private) = read.unzip();
        ok(ReadResourceResponse {
            new_state: state.map(convert::to_proto),
            diagnostics: convert::diagnostics(diags),
            private: private.unwrap_or_default(),
        })
    }

    async fn plan_resource_change(
        &self,
        request: Request<PlanResourceChangeRequest>,
    ) -> Answer<PlanResourceChangeResponse> {
        let request = request.into_inner();
        let mut diags = Diagnostics::default();
        let prior = value(request.prior_state);
        let proposed = value(request.proposed_new_state);
        let config = value(request.config);
        let planned = match self.resource(&mut diags, &request.type_name) {
            None => None,
            Some(r) => match (prior.is_null(), proposed.is_null()) {
                (true, false) => r
                    .plan_create(&mut diags, config)
                    .await
                    .map(|(state, private)| (state, private, vec![])),
                (false, false) => {
                    r.plan_update(&mut diags, prior, config, request.prior_private)
                        .await
                }
                (false, true) => r
                    .plan_destroy(&mut diags, prior, request.prior_private)
                    .await
                    .map(|private| (DynamicValue::null(), private, vec![])),
                // Nothing before, nothing after: nothing to plan.
                (true, true) => Some((DynamicValue::null(), vec![], vec![])),
            },
        };
        internal_error_if_silent(&mut diags, &planned);
        let (state, private, replace) = match planned {
            Some((s, p, r)) => (Some(convert::to_proto(s)), p, r),
            None => (None, vec![], vec![]),
        };
        ok(PlanResourceChangeResponse {
            planned_state: state,
            requires_replace: replace.into_iter().map(convert::attribute_path).collect(),
            planned_private: private,
            diagnostics: convert::diagnostics(diags),
            legacy_type_system: false,
        })
    }

    async fn apply_resource_change(
        &self,
        request: Request<ApplyResourceChangeRequest>,
    ) -> Answer<ApplyResourceChangeResponse> {
        let request = request.into_inner();
        let mut diags = Diagnostics::default();
        let prior = value(request.prior_state);
        let planned = value(request.planned_state);
        let private = request.planned_private;
        let applied = match self.resource(&mut diags, &request.type_name) {
            None => None,
            Some(r) => match (prior.is_null(), planned.is_null()) {
                (true, false) => r.create(&mut diags, planned).await,
                (false, false) => r.update(&mut diags, prior, planned, private).await,
                (false, true) => r
                    .destroy(&mut diags, prior, private)
                    .await
                    .map(|()| (DynamicValue::null(), vec![])),
                (true, true) => Some((DynamicValue::null(), vec![])),
            },
        };
        // A failed create or update that returned no state: Terraform keeps
        // the prior one (a destroy that failed keeps the object too).
        internal_error_if_silent(&mut diags, &applied);
        let (state, private) = applied.unzip();
        ok(ApplyResourceChangeResponse {
            new_state: state.map(convert::to_proto),
            private: private.unwrap_or_default(),
            diagnostics: convert::diagnostics(diags),
            legacy_type_system: false,
        })
    }

    async fn import_resource_state(
        &self,
        request: Request<ImportResourceStateRequest>,
    ) -> Answer<ImportResourceStateResponse> {
        let request = request.into_inner();
        let mut diags = Diagnostics::default();
        let imported = match self.resource(&mut diags, &request.type_name) {
            Some(r) => r.import(&mut diags, request.id).await,
            None => None,
        };
        internal_error_if_silent(&mut diags, &imported);
        ok(ImportResourceStateResponse {
            imported_resources: imported
                .map(|(state, private)| ImportedResource {
                    type_name: request.type_name,
                    state: Some(convert::to_proto(state)),
                    private,
                })
                .into_iter()
                .collect(),
            diagnostics: convert::diagnostics(diags),
        })
    }

    async fn move_resource_state(
        &self,
        request: Request<MoveResourceStateRequest>,
    ) -> Answer<MoveResourceStateResponse> {
        let request = request.into_inner();
        let mut diags = Diagnostics::default();
        let json = request.source_state.map(|s| s.json).unwrap_or_default();
        let moved = match self.resource(&mut diags, &request.target_type_name) {
            Some(r) => {
                let state = DynamicValue::Json(json).decode(&mut diags, "source state");
                state.and_then(|state| {
                    let from = MovedFrom {
                        provider: request.source_provider_address,
                        type_name: request.source_type_name,
                        schema_version: request.source_schema_version,
                        state,
                    };
                    r.move_state(&mut diags, &from)
                })
            }
            None => None,
        };
        internal_error_if_silent(&mut diags, &moved);
        let (state, private) = moved.unzip();
        ok(MoveResourceStateResponse {
            target_state: state.map(convert::to_proto),
            diagnostics: convert::diagnostics(diags),
            target_private: private.unwrap_or_default(),
        })
    }

    async fn read_data_source(
        &self,
        request: Request<ReadDataSourceRequest>,
    ) -> Answer<ReadDataSourceResponse> {
        let request = request.into_inner();
        let mut diags = Diagnostics::default();
        let state = match self.data_source(&mut diags, &request.type_name) {
            Some(d) => d.read(&mut diags, value(request.config)).await,
            None => None,
        };
        internal_error_if_silent(&mut diags, &state);
        ok(ReadDataSourceResponse {
            state: state.map(convert::to_proto),
            diagnostics: convert::diagnostics(diags),
        })
    }

    async fn get_functions(&self, _: Request<GetFunctionsRequest>) -> Answer<GetFunctionsResponse> {
        ok(GetFunctionsResponse::default())
    }

    /// The provider defines no functions.
    async fn call_function(
        &self,
        request: Request<CallFunctionRequest>,
    ) -> Answer<CallFunctionResponse> {
        let name = request.into_inner().name;
        ok(CallFunctionResponse {
            result: None,
            error: Some(FunctionError {
                text: format!("This provider has no function {name:?}"),
                function_argument: None,
            }),
        })
    }

    /// Ctrl-C: the work in flight winds down ([`crate::http::stop`]) and
    /// returns what it did; the server stays up to answer it.
    async fn stop_provider(&self, _: Request<StopProviderRequest>) -> Answer<StopProviderResponse> {
        tracing::info!("Terraform asked the provider to stop; calls in flight finish");
        crate::http::stop_all();
        ok(StopProviderResponse::default())
    }
}

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
