//! Diagnostics for errors that come back from a vendor.

use std::fmt::Display;

use crate::framework::tf::{AttributePath, Diagnostics};

/// Adds an error for a failed vendor operation. `summary` says what we were
/// doing and to which object ("creating Flashduty role \"ops\""); the detail
/// is the error's Display, which carries the vendor code, message and request
/// ID (and never a secret: the HTTP core redacts them).
pub fn vendor_error(diags: &mut Diagnostics, summary: impl Display, err: &dyn Display) {
    diags.root_error(format!("Error {summary}"), err.to_string());
}

/// Adds an error pointing at one attribute.
pub fn attribute_error(
    diags: &mut Diagnostics,
    path: AttributePath,
    summary: impl Into<String>,
    detail: impl Into<String>,
) {
    diags.error(summary.into(), detail.into(), path);
}

/// Adds a warning without an attribute.
pub fn warning(diags: &mut Diagnostics, summary: impl Into<String>, detail: impl Into<String>) {
    diags.root_warning(summary.into(), detail.into());
}

/// At most `max` of `names`, quoted, then how many were left out:
/// `"a", "b" and 3 more`. A missing object's error lists some of the
/// existing ones, not hundreds.
pub fn some_names<S: AsRef<str>>(names: &[S], max: usize) -> String {
    let shown: Vec<String> = names
        .iter()
        .take(max)
        .map(|n| format!("{:?}", n.as_ref()))
        .collect();
    let mut out = shown.join(", ");
    if names.len() > max {
        out.push_str(&format!(" and {} more", names.len() - max));
    }
    out
}

/// `names` with the ones closest to `wanted` first (case-insensitive
/// Damerau-Levenshtein similarity; ties keep their order), for "no object
/// named `wanted`; did you mean".
pub fn closest_first<'a>(wanted: &str, names: impl IntoIterator<Item = &'a str>) -> Vec<&'a str> {
    let wanted = wanted.to_lowercase();
    let mut scored: Vec<(f64, &str)> = names
        .into_iter()
        .map(|n| {
            let score = strsim::normalized_damerau_levenshtein(&wanted, &n.to_lowercase());
            (score, n)
        })
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0));
    scored.into_iter().map(|(_, n)| n).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn some_names_caps_the_list() {
        assert_eq!(some_names(&["a", "b"], 10), "\"a\", \"b\"");
        let many: Vec<String> = (0..13).map(|i| format!("r{i}")).collect();
        assert_eq!(some_names(&many, 2), "\"r0\", \"r1\" and 11 more");
        assert_eq!(some_names::<&str>(&[], 10), "");
    }

    #[test]
    fn closest_names_come_first() {
        let names = ["Viewer", "team-17", "team-70", "team-07", "Admin"];
        let sorted = closest_first("Team-07", names);
        // Ties (one edit away) keep their order.
        assert_eq!(&sorted[..3], ["team-07", "team-17", "team-70"]);
        assert_eq!(sorted.len(), 5);
    }
}
