//! Secret redaction for everything the HTTP core prints: log lines, error
//! messages, body excerpts.
//!
//! Flashduty's `app_key` travels in the URL query (docs/vendors/flashduty.md,
//! "Transport"), so a URL must never be printed as is. The
//! core logs method and path only, and every string that leaves it goes
//! through a [`Redactor`] as a second line of defence.

use std::borrow::Cow;
use std::fmt;

use regex::Regex;

/// What a secret is replaced with.
pub const REDACTED: &str = "REDACTED";

/// Query or form parameter names whose values are always redacted, whatever
/// the configured credential is.
const SENSITIVE_PARAMS: &[&str] = &[
    "app_key",
    "api_key",
    "apikey",
    "access_token",
    "refresh_token",
    "token",
    "password",
    "secret",
    "client_secret",
];

/// Replaces known secret values and `name=value` pairs of sensitive
/// parameters (e.g. `app_key=...`) with [`REDACTED`].
///
/// Secrets are matched in their raw form and in the forms they take once
/// percent-encoded in a URL or escaped in JSON.
#[derive(Clone)]
pub struct Redactor {
    /// Every form of every secret, longest first so that a secret that
    /// contains another is replaced whole.
    secrets: Vec<String>,
    params: Regex,
}

impl Redactor {
    /// A redactor for the given secret values. `extra_params` are parameter
    /// names (e.g. the configured auth query parameter) redacted in addition
    /// to the built-in list.
    pub fn new<S, P>(secrets: S, extra_params: P) -> Self
    where
        S: IntoIterator,
        S::Item: AsRef<str>,
        P: IntoIterator,
        P::Item: AsRef<str>,
    {
        let mut forms: Vec<String> = Vec::new();
        for secret in secrets {
            let secret = secret.as_ref();
            if secret.is_empty() {
                continue;
            }
            forms.push(secret.to_owned());
            forms.push(url::form_urlencoded::byte_serialize(secret.as_bytes()).collect());
            forms.push(super::encode_path_segment(secret));
            let json = serde_json::to_string(secret).unwrap_or_default();
            forms.push(json.trim_matches('"').to_owned());
        }
        forms.sort_by(|a, b| b.len().cmp(&a.len()).then_with(|| a.cmp(b)));
        forms.dedup();
        forms.retain(|f| !f.is_empty());

        let mut names: Vec<String> = SENSITIVE_PARAMS.iter().map(|s| regex::escape(s)).collect();
        names.extend(extra_params.into_iter().map(|p| regex::escape(p.as_ref())));
        // `name=value` in a query string, a form body or a message; also
        // `"name": "value"` in JSON bodies, even cut short before the
        // closing quote (a truncated answer's excerpt in an error).
        let pattern = format!(
            r#"(?i)(\b(?:{names})=)[^&\s"'<>]+|("(?:{names})"\s*:\s*")[^"]*"?"#,
            names = names.join("|")
        );
        let params = Regex::new(&pattern).expect("redaction pattern is valid");
        Redactor {
            secrets: forms,
            params,
        }
    }

    /// This redactor plus one more secret (e.g. a short-lived token that
    /// one request carries), in all the forms [`Redactor::new`] matches.
    pub fn with_secret(&self, secret: &str) -> Redactor {
        let mut secrets = self.secrets.clone();
        let added = Redactor::new([secret], std::iter::empty::<&str>());
        secrets.extend(added.secrets);
        secrets.sort_by(|a, b| b.len().cmp(&a.len()).then_with(|| a.cmp(b)));
        secrets.dedup();
        Redactor {
            secrets,
            params: self.params.clone(),
        }
    }

    /// A redactor that only scrubs the built-in sensitive parameter names.
    pub fn without_secrets() -> Self {
        Redactor::new(std::iter::empty::<&str>(), std::iter::empty::<&str>())
    }

    /// `text` with every secret replaced by [`REDACTED`]. Borrows when there
    /// is nothing to replace.
    pub fn redact<'a>(&self, text: &'a str) -> Cow<'a, str> {
        let mut out = Cow::Borrowed(text);
        for secret in &self.secrets {
            if out.contains(secret.as_str()) {
                out = Cow::Owned(out.replace(secret.as_str(), REDACTED));
            }
        }
        if self.params.is_match(&out) {
            let replaced = self
                .params
                .replace_all(&out, |caps: &regex::Captures<'_>| match caps.get(1) {
                    Some(prefix) => format!("{}{REDACTED}", prefix.as_str()),
                    None => format!("{}{REDACTED}\"", &caps[2]),
                })
                .into_owned();
            out = Cow::Owned(replaced);
        }
        out
    }

    /// Redacts `text` and cuts it to at most `max` bytes (on a character
    /// boundary), noting the original length when it was cut.
    pub fn excerpt(&self, text: &str, max: usize) -> String {
        let redacted = self.redact(text);
        if redacted.len() <= max {
            return redacted.into_owned();
        }
        let mut end = max;
        while !redacted.is_char_boundary(end) {
            end -= 1;
        }
        format!("{}… ({} bytes in total)", &redacted[..end], redacted.len())
    }
}

impl fmt::Debug for Redactor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Redactor")
            .field("secret_forms", &self.secrets.len())
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_raw_and_encoded_secret_values() {
        let r = Redactor::new(["s3cr/t key"], ["x_key"]);
        assert_eq!(r.redact("a s3cr/t key b"), "a REDACTED b");
        assert_eq!(r.redact("url ?k=s3cr%2Ft+key"), "url ?k=REDACTED");
        assert_eq!(r.redact("/p/s3cr%2Ft%20key/q"), "/p/REDACTED/q");
        assert!(!r.redact("x_key=abc&y=1").contains("abc"));
    }

    #[test]
    fn scrubs_sensitive_params_whatever_the_secret() {
        let r = Redactor::without_secrets();
        assert_eq!(
            r.redact("GET /role/list?app_key=ABC123&x=1 failed"),
            "GET /role/list?app_key=REDACTED&x=1 failed"
        );
        assert_eq!(
            r.redact(r#"{"password": "hunter2", "name":"n"}"#),
            r#"{"password": "REDACTED", "name":"n"}"#
        );
        assert_eq!(r.redact("APP_KEY=zzz"), "APP_KEY=REDACTED");
    }

    #[test]
    fn with_secret_adds_a_secret_and_keeps_the_others() {
        let r = Redactor::new(["KEY1"], ["x_key"]).with_secret("tok/2");
        assert_eq!(
            r.redact("KEY1 tok/2 tok%2F2 x_key=a"),
            "REDACTED REDACTED REDACTED x_key=REDACTED"
        );
    }

    #[test]
    fn borrows_clean_text_and_ignores_empty_secrets() {
        let r = Redactor::new([""], std::iter::empty::<&str>());
        assert!(matches!(r.redact("nothing here"), Cow::Borrowed(_)));
    }

    #[test]
    fn truncated_json_secrets_are_redacted() {
        let r = Redactor::without_secrets();
        let cut = r#"{"token_type":"bearer","access_token":"zenml-emu-38cd10f2d6f4"#;
        let out = r.redact(cut);
        assert!(!out.contains("zenml-emu"), "{out}");
        assert!(out.contains("REDACTED"), "{out}");
    }

    #[test]
    fn excerpt_cuts_on_char_boundary() {
        let r = Redactor::without_secrets();
        let text = "é".repeat(10);
        let cut = r.excerpt(&text, 5);
        assert!(cut.starts_with("éé…"), "{cut}");
        assert!(cut.contains("20 bytes"));
        assert_eq!(r.excerpt("short", 5), "short");
    }

    #[test]
    fn debug_does_not_print_secrets() {
        let r = Redactor::new(["TOPSECRET"], std::iter::empty::<&str>());
        assert!(!format!("{r:?}").contains("TOPSECRET"));
    }
}
