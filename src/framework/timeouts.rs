//! `timeouts { create = "10m" }`: how long each operation of a resource
//! (`create`, `read`, `update`, `delete`) or data source (`read`) may take
//! in all, retries and rate-limit waits included, like
//! terraform-plugin-framework-timeouts.
//!
//! The values are Terraform's duration strings (Go's `time.ParseDuration`:
//! `"30s"`, `"10m"`, `"1h30m"`, `"1.5h"`); an unset one means
//! [`DEFAULT_TIMEOUT`]. A bad value fails `validate` and `plan`, naming the
//! attribute. Each CRUD function runs its body under [`Timeouts`]' method
//! for its operation, which sets the HTTP core's [`Deadline`] and carries
//! the block from the configuration into the state Terraform gets back.
//!
//! The block is an optional nested block (at most one), not a nested
//! attribute: tf-provider 0.2.2 breaks nested attributes (ARCHITECTURE.md,
//! "Terraform's types").

use std::time::Duration;

use crate::framework::tf::NestedBlock;
use crate::framework::tf::Value;
use crate::framework::tf::{AttributePath, Diagnostics};
use serde::{Deserialize, Serialize};

use super::schema::{block, string};
use crate::http::{human, Deadline};

/// The budget of an operation whose `timeouts` block does not set one
/// (5 minutes; the vendors' documented limits that justify it are listed
/// at [`crate::http::DEFAULT_OPERATION_TIMEOUT`]).
pub const DEFAULT_TIMEOUT: Duration = crate::http::DEFAULT_OPERATION_TIMEOUT;

/// How long after its deadline an operation is cut off when something
/// other than an HTTP request is what it waits for. Requests fail at the
/// deadline itself, with a precise error, well before this.
const BACKSTOP_GRACE: Duration = Duration::from_secs(5);

/// A Terraform operation with a timeout of its own.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Op {
    Create,
    Read,
    Update,
    Delete,
}

impl Op {
    /// The attribute name in the `timeouts` block.
    pub fn name(self) -> &'static str {
        match self {
            Op::Create => "create",
            Op::Read => "read",
            Op::Update => "update",
            Op::Delete => "delete",
        }
    }
}

/// The attributes of a `timeouts` block: resources have all four
/// operations, data sources only `read`.
pub trait TimeoutsBlock {
    /// The operations the block can set.
    const OPS: &'static [Op];
    /// The configured string for `op` (null when unset or not in the block).
    fn get(&self, op: Op) -> &Value<String>;
}

/// `timeouts { create, read, update, delete }` of a resource.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CrudTimeouts {
    pub create: Value<String>,
    pub read: Value<String>,
    pub update: Value<String>,
    pub delete: Value<String>,
}

/// `timeouts { read }` of a data source.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReadTimeouts {
    pub read: Value<String>,
}

const NULL: Value<String> = Value::Null;

impl TimeoutsBlock for CrudTimeouts {
    const OPS: &'static [Op] = &[Op::Create, Op::Read, Op::Update, Op::Delete];
    fn get(&self, op: Op) -> &Value<String> {
        match op {
            Op::Create => &self.create,
            Op::Read => &self.read,
            Op::Update => &self.update,
            Op::Delete => &self.delete,
        }
    }
}

impl TimeoutsBlock for ReadTimeouts {
    const OPS: &'static [Op] = &[Op::Read];
    fn get(&self, op: Op) -> &Value<String> {
        match op {
            Op::Read => &self.read,
            _ => &NULL,
        }
    }
}

/// The `timeouts` field of a State struct: the optional block, which
/// Terraform sends as a list of zero or one element.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Timeouts<B>(pub Value<Vec<B>>);

/// `timeouts` of a resource's State struct.
pub type ResourceTimeouts = Timeouts<CrudTimeouts>;
/// `timeouts` of a data source's State struct.
pub type DataSourceTimeouts = Timeouts<ReadTimeouts>;

/// A State struct with a `timeouts` field (implement it with
/// [`has_timeouts!`](crate::framework::timeouts::has_timeouts)).
pub trait HasTimeouts {
    type Block;
    fn timeouts(&self) -> &Timeouts<Self::Block>;
    fn timeouts_mut(&mut self) -> &mut Timeouts<Self::Block>;
}

/// Implements [`HasTimeouts`] for a State struct whose `timeouts` field is
/// a [`ResourceTimeouts`] (`has_timeouts!(RoleState)`) or a given block
/// type (`has_timeouts!(RoleDataState, ReadTimeouts)`).
macro_rules! has_timeouts {
    ($state:ty) => {
        $crate::framework::timeouts::has_timeouts!(
            $state,
            $crate::framework::timeouts::CrudTimeouts
        );
    };
    ($state:ty, $block:ty) => {
        impl $crate::framework::timeouts::HasTimeouts for $state {
            type Block = $block;
            fn timeouts(&self) -> &$crate::framework::timeouts::Timeouts<$block> {
                &self.timeouts
            }
            fn timeouts_mut(&mut self) -> &mut $crate::framework::timeouts::Timeouts<$block> {
                &mut self.timeouts
            }
        }
    };
}
pub(crate) use has_timeouts;

/// Parses a Terraform duration string (Go's `time.ParseDuration` syntax).
/// Zero and negative durations are refused: an operation needs some time.
pub fn parse(text: &str) -> Result<Duration, String> {
    let examples = "Use Terraform's duration syntax: numbers with units ns, us, ms, s, m or h, \
                    e.g. \"30s\", \"10m\", \"1h30m\" or \"1.5h\".";
    match go_parse_duration::parse_duration(text.trim()) {
        Ok(nanos) if nanos > 0 => Ok(Duration::from_nanos(nanos as u64)),
        Ok(_) => Err(format!("{text:?} is not a positive duration. {examples}")),
        Err(_) => Err(format!("{text:?} is not a duration. {examples}")),
    }
}

impl<B: TimeoutsBlock> Timeouts<B> {
    /// The block, when set.
    fn block(&self) -> Option<&B> {
        match &self.0 {
            Value::Value(blocks) => blocks.first(),
            _ => None,
        }
    }

    /// The budget of `op`: the configured duration, or [`DEFAULT_TIMEOUT`]
    /// when unset (or invalid, which `validate` has already refused).
    pub fn budget(&self, op: Op) -> Duration {
        match self.block().map(|b| b.get(op)) {
            Some(Value::Value(text)) => parse(text).unwrap_or(DEFAULT_TIMEOUT),
            _ => DEFAULT_TIMEOUT,
        }
    }

    /// Adds an error for each set value that is not a positive duration,
    /// pointing at `timeouts.<op>`.
    pub fn validate(&self, diags: &mut Diagnostics) {
        let Some(block) = self.block() else {
            return;
        };
        for op in B::OPS {
            if let Value::Value(text) = block.get(*op) {
                if let Err(message) = parse(text) {
                    diags.error(
                        format!("Invalid value for timeouts.{}", op.name()),
                        message,
                        AttributePath::new("timeouts").index(0).attribute(op.name()),
                    );
                }
            }
        }
    }

    /// The deadline of `op`, starting now.
    pub fn deadline(&self, op: Op) -> Deadline {
        let budget = self.budget(op);
        let name = op.name();
        let more = human(budget.saturating_mul(2).max(Duration::from_secs(60)));
        let hint = format!(
            "To allow more time, set it in the configuration: timeouts {{ {name} = \"{more}\" }} \
             (the default is {}).",
            human(DEFAULT_TIMEOUT)
        );
        Deadline::new(name, budget, hint)
    }

    /// Runs `body` (the whole of a CRUD function) under `op`'s deadline.
    /// Every request it sends fails at the deadline with an error naming
    /// the operation, the time and the host. Should it wait on something
    /// else, it is cut off shortly after with an error and `T::default()`
    /// (`None`: Terraform keeps the prior state).
    pub async fn run<T: Default>(
        &self,
        op: Op,
        diags: &mut Diagnostics,
        body: impl AsyncFnOnce(&mut Diagnostics) -> T,
    ) -> T {
        let deadline = self.deadline(op);
        let started = tokio::time::Instant::now();
        let hint = deadline.hint().to_owned();
        let mut work = Box::pin(deadline.clone().scope(body(diags)));
        // The cutoff follows the deadline, which settling a lost create may
        // extend ([`Deadline::extend`]).
        let outcome = loop {
            let cutoff = deadline.at() + BACKSTOP_GRACE;
            tokio::select! {
                out = &mut work => break Some(out),
                _ = tokio::time::sleep_until(cutoff) => {
                    if deadline.at() + BACKSTOP_GRACE <= tokio::time::Instant::now() {
                        break None;
                    }
                }
            }
        };
        drop(work);
        outcome.unwrap_or_else(|| {
            let elapsed = started.elapsed();
            diags.root_error(
                format!("The {} timed out after {}", op.name(), human(elapsed)),
                hint,
            );
            T::default()
        })
    }
}

impl Timeouts<CrudTimeouts> {
    /// A resource's read, create or update (see [`Timeouts::run`]); the
    /// state it returns keeps this `timeouts` block.
    pub async fn run_with_state<S, P>(
        &self,
        op: Op,
        diags: &mut Diagnostics,
        body: impl AsyncFnOnce(&mut Diagnostics) -> Option<(S, P)>,
    ) -> Option<(S, P)>
    where
        S: HasTimeouts<Block = CrudTimeouts>,
    {
        let mut result = self.run(op, diags, body).await;
        if let Some((state, _)) = &mut result {
            *state.timeouts_mut() = self.clone();
        }
        result
    }
}

impl Timeouts<ReadTimeouts> {
    /// A data source's read (see [`Timeouts::run`]); the state it returns
    /// keeps this `timeouts` block.
    pub async fn read<S>(
        &self,
        diags: &mut Diagnostics,
        body: impl AsyncFnOnce(&mut Diagnostics) -> Option<S>,
    ) -> Option<S>
    where
        S: HasTimeouts<Block = ReadTimeouts>,
    {
        let mut result = self.run(Op::Read, diags, body).await;
        if let Some(state) = &mut result {
            *state.timeouts_mut() = self.clone();
        }
        result
    }
}

/// The `timeouts` block of a resource's schema.
pub fn resource_block() -> (&'static str, NestedBlock) {
    timeouts_block(CrudTimeouts::OPS, "resource")
}

/// The `timeouts` block of a data source's schema.
pub fn data_source_block() -> (&'static str, NestedBlock) {
    timeouts_block(ReadTimeouts::OPS, "data source")
}

fn timeouts_block(ops: &[Op], what: &str) -> (&'static str, NestedBlock) {
    let default = human(DEFAULT_TIMEOUT);
    let attributes = ops
        .iter()
        .map(|op| {
            let name = op.name();
            let doc = format!(
                "How long the {name} may take in all, retries and rate-limit waits included: a \
                 Terraform duration string such as `\"30s\"`, `\"10m\"` or `\"1h30m\"`. Defaults \
                 to `\"{default}\"`."
            );
            (name, string().optional().description(doc))
        })
        .collect();
    (
        "timeouts",
        NestedBlock::Optional(block(
            &format!(
                "How long each operation of this {what} may take before it fails with an error \
                 naming the operation and the host. Defaults to {default} each: long enough for \
                 the vendors' documented rate-limit windows and `Retry-After` waits, short \
                 enough that an unreachable or stalled API does not hold `terraform apply`."
            ),
            attributes,
            vec![],
        )),
    )
}

#[cfg(test)]
mod tests;
