//! SlashID's name rules (docs/vendors/slashid.md, "Names"): the schema's
//! regexes and lengths, and the 400s for names that break them.

use std::sync::OnceLock;

use regex::Regex;

use super::errors::{ApiError, ApiResult};

/// Role names: 2–100 characters after the `{org_id}/` prefix.
pub const ROLE_NAME_MAX: usize = 100;
/// Permission names: 2–1024 characters.
pub const PERMISSION_NAME_MAX: usize = 1024;
/// Both kinds of name: at least 2 characters.
pub const NAME_MIN: usize = 2;

/// The schema's role regex, applied to the part after the prefix. `\w` is
/// ASCII here (`(?-u)`), as in the vendor's (Go/JSON-schema) regex.
pub fn role_name_regex() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| Regex::new(r"(?-u)^[A-Za-z0-9]{1}[\w.\-:]*[A-Za-z0-9]$").unwrap())
}

/// The schema's permission regex.
pub fn permission_name_regex() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| Regex::new(r"(?-u)^[A-Za-z0-9]{1}[\w./\\\-:]*[A-Za-z0-9]$").unwrap())
}

/// A permission name: 2–1024 characters matching the schema's regex.
pub(super) fn check_permission_name(name: &str) -> ApiResult<()> {
    let len = name.chars().count();
    if !(NAME_MIN..=PERMISSION_NAME_MAX).contains(&len) || !permission_name_regex().is_match(name) {
        return Err(ApiError::bad_request(format!(
            "invalid permission name {name:?}: 2-1024 characters of A-Z a-z 0-9 - _ . : / \\, \
             starting and ending with a letter or digit"
        )));
    }
    Ok(())
}

/// Role names carry the `{org_id}/` prefix; the regex and the 2–100
/// limit apply after it (docs/vendors/slashid.md, "Names"). Whether the
/// real server refuses an unprefixed name is **unverified**; the
/// emulator refuses it.
pub(super) fn check_role_name(org_id: &str, name: &str) -> ApiResult<()> {
    let Some(short) = name.strip_prefix(&format!("{org_id}/")) else {
        return Err(ApiError::bad_request(format!(
            "invalid role name {name:?}: role names must be prefixed with \"{org_id}/\""
        )));
    };
    let len = short.chars().count();
    if !(NAME_MIN..=ROLE_NAME_MAX).contains(&len) || !role_name_regex().is_match(short) {
        return Err(ApiError::bad_request(format!(
            "invalid role name {name:?}: after the organization prefix, 2-100 characters of \
             A-Z a-z 0-9 - _ . :, starting and ending with a letter or digit"
        )));
    }
    Ok(())
}
