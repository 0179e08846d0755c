//! UUIDs in the `8-4-4-4-12` hex form, as Rootly and ZenML write their IDs.

use std::sync::OnceLock;

use regex::Regex;

/// A UUID in the `8-4-4-4-12` form, hex digits of either case.
pub fn pattern() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
            .unwrap()
    })
}

/// Whether `s` is a UUID in the `8-4-4-4-12` form (either case).
pub fn is_uuid(s: &str) -> bool {
    pattern().is_match(s)
}

/// Whether `s` is a UUID spelt in lower case, as the vendors answer with.
pub fn is_lower_uuid(s: &str) -> bool {
    is_uuid(s) && !s.bytes().any(|b| b.is_ascii_uppercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uuids_in_either_case_and_lower_case_only() {
        let id = "0b5e6a62-6f1d-4c3e-9d7a-2f4c8e1a9b30";
        assert!(is_uuid(id) && is_lower_uuid(id));
        assert!(is_uuid(&id.to_uppercase()) && !is_lower_uuid(&id.to_uppercase()));
        for bad in [
            "",
            "responder",
            "0b5e6a62-6f1d-4c3e-9d7a-2f4c8e1a9b3",
            " 0b5e6a62-6f1d-4c3e-9d7a-2f4c8e1a9b30",
        ] {
            assert!(!is_uuid(bad), "{bad:?}");
        }
    }
}
