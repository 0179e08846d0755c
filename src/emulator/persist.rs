//! The `--state` file: every vendor's store in one JSON document, written
//! atomically (temp file in the same directory, then rename).

use std::fs;
use std::io::Write;
use std::path::Path;

use anyhow::Context;
use serde::{Deserialize, Serialize};

use super::{flashduty, rootly, slashid, zenml};

/// The state file's content. Each vendor owns one key; a missing key means
/// "fresh seeded state" for that vendor.
#[derive(Debug, Default, Serialize, Deserialize)]
pub(crate) struct PersistedState {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) flashduty: Option<flashduty::Store>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) slashid: Option<slashid::Store>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) rootly: Option<rootly::Store>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) zenml: Option<zenml::Store>,
}

/// Reads the state file; `Ok(None)` if it does not exist yet.
pub(crate) fn load(path: &Path) -> anyhow::Result<Option<PersistedState>> {
    let text = match fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e).with_context(|| format!("reading state file {}", path.display())),
    };
    let state = serde_json::from_str(&text).with_context(|| {
        format!(
            "parsing state file {} (fix or delete it to start fresh)",
            path.display()
        )
    })?;
    Ok(Some(state))
}

/// Writes the state file so that readers see the old or the new content, never half.
pub(crate) fn save(path: &Path, state: &PersistedState) -> anyhow::Result<()> {
    let json = serde_json::to_vec_pretty(state)?;
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let file_name = path
        .file_name()
        .with_context(|| format!("state file {} has no file name", path.display()))?;
    let tmp = dir.join(format!(
        ".{}.{}.tmp",
        file_name.to_string_lossy(),
        std::process::id()
    ));
    let write = || -> std::io::Result<()> {
        let mut f = fs::File::create(&tmp)?;
        f.write_all(&json)?;
        f.write_all(b"\n")?;
        fs::rename(&tmp, path)
    };
    write().with_context(|| format!("writing state file {}", path.display()))
}
