//! A fake vendor for the adapters' tests: a block with one attribute,
//! `key`, and a client that does nothing.

use crate::framework::tf::Block;
use crate::framework::tf::Value;
use crate::framework::tf::{AttributePath, Diagnostics};
use serde::{Deserialize, Serialize};

use super::provider_data::{ConfigError, Resolver, VendorConfig};
use super::schema::{block, string};

/// A vendor whose block has one attribute, `key`.
#[derive(Debug, Default)]
pub(crate) struct FakeVendor;

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub(crate) struct FakeBlock {
    pub(crate) key: Value<String>,
}

#[derive(Clone)]
pub(crate) struct FakeClient;

impl VendorConfig for FakeVendor {
    const VENDOR: &'static str = "Fake";
    const BLOCK: &'static str = "fake";
    type Block = FakeBlock;
    type Client = FakeClient;

    fn schema() -> Block {
        block("fake", vec![("key", string().optional())], vec![])
    }
    fn validate(_: &mut Diagnostics, _: &FakeBlock, _: &dyn Fn(&'static str) -> AttributePath) {}
    fn resolve(block: FakeBlock, r: &mut Resolver) -> Self {
        r.string("key", block.key, None);
        FakeVendor
    }
    fn client(&self, _user_agent: String) -> Result<FakeClient, ConfigError> {
        Ok(FakeClient)
    }
}

/// Summary and the detail's first line (tf-provider appends a backtrace
/// when RUST_BACKTRACE is set).
pub(crate) fn errors(diags: &Diagnostics) -> Vec<String> {
    diags
        .errors
        .iter()
        .map(|d| format!("{}: {}", d.summary, d.detail.lines().next().unwrap_or("")))
        .collect()
}

/// Each error's detail, first line only (see [`errors`]).
pub(crate) fn details(diags: &Diagnostics) -> Vec<String> {
    diags
        .errors
        .iter()
        .map(|d| d.detail.lines().next().unwrap_or_default().to_string())
        .collect()
}
