//! What to tell a user whose create failed because the name is taken ("already
//! exists, import it" is not always the right advice). "Import it" is true only
//! when the object was made outside this configuration; two other causes are
//! common and need other advice:
//!
//! * the object is this configuration's own: `create_before_destroy` (with
//!   `-replace` or a change that forces replacement) creates the new object
//!   while the old one still holds the name. The provider cannot tell this
//!   apart from a stranger's object (Terraform sends no hint), so the
//!   advice names both cases.
//! * the name is a built-in role's (Flashduty `Admin`, ZenML `Viewer`, …),
//!   which the vendor reserves: importing it is refused, so the only fix is
//!   another name. The caller knows this from the conflicting object.

/// The detail of a "… named X already exists" error. `kind` is e.g.
/// "SlashID role"; `import_id` what `terraform import` takes for the
/// existing object (quoted for a shell when needed, and given as an `import`
/// block's `id` too, which no shell reads); `vendor_said` the
/// vendor's own message (with its request ID), if any.
pub fn name_taken(kind: &str, name: &str, import_id: &str, vendor_said: &str) -> String {
    let import = format!(
        "terraform import <resource address> {}\n  \
         (in any shell: an import block with to = <resource address> and id = {})",
        shell_word(import_id),
        hcl_string(import_id)
    );
    let said = if vendor_said.is_empty() {
        String::new()
    } else {
        format!("\n\n{vendor_said}")
    };
    format!(
        "{kind} names are unique, and {name:?} is taken.\n\n\
         - If this configuration is replacing its own {kind} of that name with `create_before_destroy` \
         (after `terraform apply -replace`, or a change that forces replacement): the new {kind} cannot take \
         the name while the old one still exists, so create_before_destroy cannot work with an unchanged \
         name. Give the replacement a different name, or remove create_before_destroy so that Terraform \
         deletes the old one first.\n\
         - Otherwise the {kind} was made outside this configuration: import it to manage it with Terraform,\n  \
         {import}\n  or choose another name.{said}"
    )
}

/// `word` as one shell word: as is when it is plain; in double quotes when
/// nothing in it is special inside them, which reads the same in a POSIX
/// shell, PowerShell and cmd.exe (a role name with spaces); else in POSIX
/// single quotes (a name with quotes or `$`), which only POSIX shells read:
/// the `import` block beside it serves the others.
fn shell_word(word: &str) -> String {
    let plain = |c: char| c.is_ascii_alphanumeric() || "-_./:@+=,".contains(c);
    if !word.is_empty() && word.chars().all(plain) {
        word.to_string()
    } else if !word.chars().any(|c| "\"$`\\%!'".contains(c)) {
        format!("\"{word}\"")
    } else {
        format!("'{}'", word.replace('\'', r"'\''"))
    }
}

/// `text` as an HCL quoted string: JSON's escapes, and `${`/`%{` doubled so
/// that Terraform reads them literally rather than as a template.
fn hcl_string(text: &str) -> String {
    serde_json::to_string(text)
        .unwrap_or_default()
        .replace("${", "$${")
        .replace("%{", "%%{")
}

/// The detail of an error for a name that a built-in role holds.
/// `reference` says how to use the built-in itself.
pub fn name_reserved(kind: &str, name: &str, reference: &str, vendor_said: &str) -> String {
    let said = if vendor_said.is_empty() {
        String::new()
    } else {
        format!("\n\n{vendor_said}")
    };
    format!(
        "{name:?} is the name of a built-in {kind}. Built-in names are reserved: a custom role cannot use \
         it, and the built-in cannot be imported or managed. Choose another name. {reference}{said}"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conflict_advice_names_both_causes() {
        let d = name_taken("SlashID role", "viewer", "viewer", "");
        assert!(d.contains("create_before_destroy cannot work with an unchanged name"));
        assert!(d.contains("terraform import <resource address> viewer"));
        assert!(!d.ends_with('\n'));
        let d = name_reserved("Flashduty role", "Admin", "Use the data source.", "said");
        assert!(d.contains("reserved") && d.ends_with("\n\nsaid"));
        assert!(!d.contains("import it"));
    }

    #[test]
    fn import_ids_are_quoted_for_a_shell_when_needed() {
        assert_eq!(shell_word("org-1/ops.team"), "org-1/ops.team");
        assert_eq!(shell_word("org/On call"), "\"org/On call\"");
        assert_eq!(shell_word("50% off"), "'50% off'");
        assert_eq!(shell_word("it's $HOME"), r"'it'\''s $HOME'");
        assert_eq!(hcl_string("a \"b\" ${c}"), r#""a \"b\" $${c}""#);
    }
}
