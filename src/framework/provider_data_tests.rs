//! Resolution of vendor blocks: configured, null (environment, default),
//! unknown (never a fallback).

use super::*;
use crate::vendors::flashduty::config::{FlashdutyBlock, FlashdutySettings};
use crate::vendors::rootly::config::RootlySettings;
use crate::vendors::slashid::config::{SlashidBlock, SlashidSettings};
use crate::vendors::zenml::config::{ZenmlBlock, ZenmlSettings};

fn configured<V: VendorConfig>(block: V::Block) -> ProviderData<V> {
    let data = ProviderData::<V>::default();
    data.configure(Value::Value(vec![block]), "test".into());
    data
}

#[test]
fn not_configured_is_an_error() {
    let data = ProviderData::<FlashdutySettings>::default();
    assert!(matches!(data.client(), Err(ConfigError::NotConfigured)));
    assert!(data.client().is_err());
}

#[test]
fn unknown_attribute_never_falls_back_to_env_or_default() {
    // The variable is set for this test only; no other test reads it.
    std::env::set_var("ROOTLY_BASE_URL", "http://127.0.0.1:9/rootly");
    let data = ProviderData::<RootlySettings>::default();
    let block = crate::vendors::rootly::config::RootlyBlock {
        api_token: Value::Value("token".into()),
        base_url: Value::Unknown,
        ..Default::default()
    };
    data.configure(Value::Value(vec![block]), "test".into());
    let err = data
        .client()
        .err()
        .expect("no client while base_url is unknown");
    let text = err.to_string();
    assert!(text.contains("`rootly.base_url`"), "{text}");
    assert!(text.contains("known only after apply"), "{text}");
    assert!(text.contains("ROOTLY_BASE_URL"), "{text}");
    assert!(text.contains("-target"), "{text}");
    assert!(data.client().is_err());
    std::env::remove_var("ROOTLY_BASE_URL");
}

#[test]
fn every_unknown_attribute_is_named_including_numbers() {
    let block = SlashidBlock {
        org_id: Value::Value("org".into()),
        api_key: Value::Unknown,
        consistency_timeout: Value::Unknown,
        ..Default::default()
    };
    let text = configured::<SlashidSettings>(block)
        .client()
        .err()
        .unwrap()
        .to_string();
    assert!(text.contains("`slashid.api_key`"), "{text}");
    assert!(text.contains("`slashid.consistency_timeout`"), "{text}");
    assert!(text.contains("SLASHID_API_KEY"), "{text}");
    assert!(!text.contains("org"), "org_id is known: {text}");
}

#[test]
fn unknown_dynamic_block_is_an_error() {
    let data = ProviderData::<ZenmlSettings>::default();
    data.configure(Value::Unknown, "test".into());
    let text = data.client().err().unwrap().to_string();
    assert!(text.contains("`zenml` block"), "{text}");
}

#[test]
fn known_block_builds_its_client() {
    let block = FlashdutyBlock {
        app_key: Value::Value("key".into()),
        base_url: Value::Value("http://127.0.0.1:9/flashduty".into()),
        ..Default::default()
    };
    let data = configured::<FlashdutySettings>(block);
    assert!(data.client().is_ok());
    assert!(data.client().is_ok());
}

#[test]
fn missing_credentials_name_attribute_and_env_var() {
    let fd = configured::<FlashdutySettings>(Default::default());
    let err = fd.client().err().unwrap().to_string();
    assert!(
        err.contains("app_key") && err.contains("FLASHDUTY_APP_KEY"),
        "{err}"
    );
    let sid = configured::<SlashidSettings>(Default::default());
    let err = sid.client().err().unwrap().to_string();
    assert!(
        err.contains("org_id") && err.contains("SLASHID_ORG_ID"),
        "{err}"
    );
    let rt = configured::<RootlySettings>(Default::default());
    let err = rt.client().err().unwrap().to_string();
    assert!(
        err.contains("api_token") && err.contains("ROOTLY_API_TOKEN"),
        "{err}"
    );
}

#[test]
fn zenml_needs_url_and_key_and_never_prints_the_key() {
    let err = configured::<ZenmlSettings>(Default::default())
        .client()
        .err()
        .unwrap()
        .to_string();
    assert!(
        err.contains("base_url") && err.contains("ZENML_PRO_URL"),
        "{err}"
    );
    let block = ZenmlBlock {
        base_url: Value::Value("https://cloudapi.zenml.io".into()),
        api_key: Value::Null,
    };
    let err = configured::<ZenmlSettings>(block)
        .client()
        .err()
        .unwrap()
        .to_string();
    assert!(
        err.contains("api_key") && err.contains("ZENML_PRO_API_KEY"),
        "{err}"
    );
    let block = ZenmlBlock {
        base_url: Value::Null,
        api_key: Value::Value("ZENPROKEY_secret".into()),
    };
    let mut resolver = Resolver::default();
    let settings = ZenmlSettings::resolve(block, &mut resolver);
    assert!(!format!("{settings:?}").contains("ZENPROKEY_secret"));
}

#[test]
fn base_urls_must_be_http() {
    assert!(parse_base_url("https://api.flashcat.cloud").is_ok());
    assert!(parse_base_url("http://127.0.0.1:1234/flashduty").is_ok());
    assert!(parse_base_url("ftp://x").is_err());
    assert!(parse_base_url("http://api.flashcat.cloud").is_err());
    assert!(parse_base_url("http://192.0.2.1/x").is_err());
    assert!(parse_base_url("http://localhost:8080/x").is_ok());
    assert!(parse_base_url("http://[::1]:8080/x").is_ok());
    assert!(parse_base_url("api.flashcat.cloud").is_err());
}
