//! [`Adapter`]: the protocol's [`ResourceHandler`] for every
//! [`ResourceType`], written once (see the parent module for what it owns).
//! Its typed operations are here; decoding and encoding the protocol's
//! values around them is in `handler.rs`.

use std::sync::Arc;

use crate::framework::tf::{AttributePath, Diagnostics};

use super::{ClientOf, Deleted, Failure, Outcome, Read, Removed, ResourceType};
use crate::framework::failure::Warnings;
use crate::framework::provider_data::ProviderData;
use crate::framework::required::Required;
use crate::framework::timeouts::{HasTimeouts, Op, DEFAULT_TIMEOUT};
use crate::framework::PROVIDER_NAME;

/// The protocol's [`crate::framework::protocol::ResourceHandler`] for any
/// [`ResourceType`], written once.
pub struct Adapter<R: ResourceType> {
    pub(super) resource: R,
    provider: Arc<ProviderData<R::Vendor>>,
    /// The schema's required attributes, refused when null.
    required: Required,
    /// The schema's version, which stored states are upgraded to.
    schema_version: i64,
}

impl<R: ResourceType> Adapter<R> {
    pub fn new(resource: R, provider: Arc<ProviderData<R::Vendor>>) -> Self {
        let schema = R::schema();
        Adapter {
            resource,
            provider,
            required: Required::of(&schema),
            schema_version: schema.version,
        }
    }

    /// Deletes `prior`, or, for a pending one, the object settling it
    /// finds, since a destroy with `-refresh=false` skips the refresh that
    /// would have settled it; a pending create that did not happen has
    /// nothing to delete, and no request is sent without an ID.
    async fn delete(
        &self,
        client: &ClientOf<R>,
        prior: &R::State,
        private: &R::Private,
    ) -> Removed<R> {
        if !R::pending(prior) {
            return self.resource.delete(client, prior, private).await;
        }
        match self.resource.settle(client, prior, private).await? {
            Read::Found((found, private)) => self.resource.delete(client, &found, &private).await,
            Read::Gone => Ok(Deleted::AlreadyGone),
        }
    }
}

impl<R: ResourceType> Adapter<R> {
    /// [`ResourceType::check_plan`] when the client is known; its warnings
    /// go to `diags` whatever its outcome.
    async fn check_plan(
        &self,
        diags: &mut Diagnostics,
        client: Option<&ClientOf<R>>,
        planned: &R::State,
        prior: Option<&R::State>,
        replace: &[AttributePath],
    ) -> Outcome<(), R::State, R::Private> {
        // A replacement is planned again without a prior state: its new
        // half is counted then, once.
        let counted = prior.is_none() || replace.is_empty();
        if let Some(holder) = R::holder(planned).filter(|_| counted) {
            if !self
                .provider
                .plan_holder(&format!("{}/{holder}", R::TYPE_NAME))
            {
                return Err(Failure::message(
                    format!(
                        "Another {PROVIDER_NAME}_{} in this configuration manages {holder}",
                        R::TYPE_NAME
                    ),
                    format!(
                        "{PROVIDER_NAME}_{} is authoritative: each instance sets the holder's whole set, so two \
                         of them for one holder undo each other at every apply. Keep one, and merge the roles \
                         of both into it.",
                        R::TYPE_NAME
                    ),
                ));
            }
        }
        let Some(client) = client else {
            return Ok(());
        };
        let mut warnings = Warnings::default();
        let checked = self
            .resource
            .check_plan(client, planned, prior, replace, &mut warnings)
            .await;
        warnings.report(diags);
        checked
    }
}

/// The error of an update of a pending instance (untainted without a
/// refresh): there is no ID to send it to until a refresh settles it.
fn no_id_yet<R: ResourceType>(label: &str) -> Failure<R::State, R::Private> {
    let kind = R::KIND;
    Failure::message(
        format!("{kind} {label} has no ID yet"),
        format!(
            "Its create ended with an unknown outcome, and the {kind} has not been looked up since. \
             Refresh it first (terraform apply -refresh-only, or a plan without -refresh=false): the \
             refresh records it with its ID, or removes it from state if it was not created."
        ),
    )
}

/// The typed operations, one per protocol call.
impl<R: ResourceType> Adapter<R> {
    fn validate(&self, diags: &mut Diagnostics, config: R::State) {
        self.required.check(diags, &config);
        config.timeouts().validate(diags);
        R::validate(diags, &config);
    }

    async fn read(
        &self,
        diags: &mut Diagnostics,
        state: R::State,
        private: R::Private,
    ) -> Option<(R::State, R::Private)> {
        let timeouts = state.timeouts().clone();
        timeouts
            .run_with_state(Op::Read, diags, async |diags| {
                let label = R::label(&state);
                let Some(client) = self.provider.client_or_report(diags) else {
                    return Some((state, private));
                };
                let refreshed = if R::pending(&state) {
                    self.resource.settle(&client, &state, &private).await
                } else {
                    self.resource.read(&client, &state, &private).await
                };
                match refreshed {
                    Ok(Read::Found(found)) => Some(found),
                    Ok(Read::Gone) => {
                        tracing::warn!(kind = R::KIND, id = %label, "not found; removing it from state");
                        None
                    }
                    Err(failure) => {
                        let doing = format!("reading {} {label}", R::KIND);
                        failure.report(diags, &doing);
                        // Keep what we had: a failed read is not a deletion.
                        Some((state, private))
                    }
                }
            })
            .await
    }

    async fn plan_create(
        &self,
        diags: &mut Diagnostics,
        config: R::State,
    ) -> Option<(R::State, R::Private)> {
        // Before anything else: a null that became known only now (from
        // another resource's output) must stop the plan, not reach a write.
        if !self.required.check(diags, &config) {
            return None;
        }
        let client = self.provider.client_at_plan(diags)?;
        let label = R::label(&config);
        let timeouts = config.timeouts().clone();
        // Plan-time vendor calls are reads: bounded by timeouts.read.
        let plan = async {
            let (planned, replace) = self.resource.plan(client.as_ref(), config, None).await?;
            self.check_plan(diags, client.as_ref(), &planned, None, &replace)
                .await?;
            Ok::<_, Failure<R::State, R::Private>>((planned, replace))
        };
        match timeouts.deadline(Op::Read).scope(plan).await {
            Ok((mut planned, _)) => {
                *planned.timeouts_mut() = timeouts;
                Some((planned, R::Private::default()))
            }
            Err(failure) => {
                failure.report(diags, &format!("planning {} {label}", R::KIND));
                None
            }
        }
    }

    async fn plan_update(
        &self,
        diags: &mut Diagnostics,
        prior: R::State,
        config: R::State,
        private: R::Private,
    ) -> Option<(R::State, R::Private, Vec<AttributePath>)> {
        if !self.required.check(diags, &config) {
            return None;
        }
        let client = self.provider.client_at_plan(diags)?;
        let label = R::label(&prior);
        let timeouts = config.timeouts().clone();
        let plan = async {
            let (planned, replace) = self
                .resource
                .plan(client.as_ref(), config, Some(&prior))
                .await?;
            self.check_plan(diags, client.as_ref(), &planned, Some(&prior), &replace)
                .await?;
            Ok::<_, Failure<R::State, R::Private>>((planned, replace))
        };
        match timeouts.deadline(Op::Read).scope(plan).await {
            Ok((mut planned, replace)) => {
                *planned.timeouts_mut() = timeouts;
                Some((planned, private, replace))
            }
            Err(failure) => {
                failure.report(diags, &format!("planning {} {label}", R::KIND));
                None
            }
        }
    }

    async fn plan_destroy(
        &self,
        diags: &mut Diagnostics,
        prior: R::State,
        private: R::Private,
    ) -> Option<R::Private> {
        let checked = match R::plan_destroy(&prior) {
            Ok(()) => match self.provider.client() {
                Ok(client) => self.resource.check_destroy(&client, &prior).await,
                Err(_) => Ok(()),
            },
            failed => failed,
        };
        match checked {
            Ok(()) => Some(private),
            Err(failure) => {
                let doing = format!("planning to delete {} {}", R::KIND, R::label(&prior));
                failure.report(diags, &doing);
                None
            }
        }
    }

    async fn create(
        &self,
        diags: &mut Diagnostics,
        planned: R::State,
    ) -> Option<(R::State, R::Private)> {
        let timeouts = planned.timeouts().clone();
        timeouts
            .run_with_state(Op::Create, diags, async |diags| {
                let client = self.provider.client_or_report(diags)?;
                let label = R::label(&planned);
                match self.resource.create(&client, planned).await {
                    Ok(created) => Some(created),
                    Err(failure) => failure.report_with(
                        diags,
                        &format!("creating {} {label}", R::KIND),
                        R::Private::default(),
                    ),
                }
            })
            .await
    }

    async fn update(
        &self,
        diags: &mut Diagnostics,
        prior: R::State,
        planned: R::State,
        private: R::Private,
    ) -> Option<(R::State, R::Private)> {
        let timeouts = planned.timeouts().clone();
        timeouts
            .run_with_state(Op::Update, diags, async |diags| {
                let client = self.provider.client_or_report(diags)?;
                let label = R::label(&prior);
                let updated = if R::pending(&prior) {
                    Err(no_id_yet::<R>(&label))
                } else {
                    self.resource
                        .update(&client, prior, planned, &private)
                        .await
                };
                match updated {
                    Ok(updated) => Some(updated),
                    Err(failure) => failure.report_with(
                        diags,
                        &format!("updating {} {label}", R::KIND),
                        private,
                    ),
                }
            })
            .await
    }

    async fn destroy(
        &self,
        diags: &mut Diagnostics,
        prior: R::State,
        private: R::Private,
    ) -> Option<()> {
        let timeouts = prior.timeouts().clone();
        timeouts
            .run(Op::Delete, diags, async |diags| {
                let client = self.provider.client_or_report(diags)?;
                let label = R::label(&prior);
                match self.delete(&client, &prior, &private).await {
                    Ok(Deleted::Done) => Some(()),
                    Ok(Deleted::AlreadyGone) => {
                        tracing::info!(kind = R::KIND, id = %label, "already deleted");
                        Some(())
                    }
                    Err(failure) => {
                        failure.report(diags, &format!("deleting {} {label}", R::KIND));
                        None
                    }
                }
            })
            .await
    }

    async fn import(&self, diags: &mut Diagnostics, id: String) -> Option<(R::State, R::Private)> {
        let key = id.trim();
        if key.is_empty() {
            diags.root_error(
                format!(
                    "Cannot import {PROVIDER_NAME}_{}: the import ID is empty",
                    R::TYPE_NAME
                ),
                "An empty ID names nothing. Give the ID (or the other key) that the resource's \
                 documentation lists under Import, as in terraform import <address> <ID>, or in \
                 an import block's id.",
            );
            return None;
        }
        // Terraform names neither the import block nor the address in an
        // import's diagnostics, so this one says what was being imported.
        let client = match self.provider.client() {
            Ok(client) => client,
            Err(e) => {
                e.report_as(
                    diags,
                    format!("Cannot import {PROVIDER_NAME}_{} \"{id}\"", R::TYPE_NAME),
                );
                return None;
            }
        };
        let mut warnings = Warnings::default();
        // Import has no `timeouts` block (no configuration reaches it): it
        // is bounded by the default, like an operation without one.
        let deadline = crate::http::Deadline::new(
            "import",
            DEFAULT_TIMEOUT,
            format!(
                "Import has no timeouts setting; it is given the default of {}. Check that \
                 the vendor's API answers, then import again.",
                crate::http::human(DEFAULT_TIMEOUT)
            ),
        );
        let imported = deadline
            .scope(
                self.resource
                    .import_with_warnings(&client, key, &mut warnings),
            )
            .await;
        warnings.report(diags);
        match imported {
            Ok(imported) => Some(imported),
            Err(failure) => {
                failure.report(diags, &format!("importing {} {key:?}", R::KIND));
                None
            }
        }
    }
}

mod handler;

#[cfg(test)]
mod tests;
