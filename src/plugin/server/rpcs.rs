//! The tfplugin6 `Provider` service: each call decoded, dispatched on which
//! states are null (a null prior state is a create, a null planned state a
//! destroy) and answered with its diagnostics.

use std::collections::HashMap;
use std::sync::Arc;

use tonic::Request;

use super::{internal_error_if_silent, ok, Answer, ProviderService, CAPABILITIES};
use crate::framework::protocol::{DynamicValue, MovedFrom};
use crate::framework::tf::Diagnostics;
use crate::plugin::convert::{self, value};
use crate::plugin::proto::services::provider_server;
use crate::plugin::proto::*;

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
