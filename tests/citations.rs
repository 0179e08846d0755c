//! What the code cites must be in the repository. A comment or doc string in
//! `src/`, `tests/`, `scripts/`, `build.rs`, `Makefile` or `.ci/` may cite a
//! file of this repository, or a vendor's public material by name, but not a
//! file that only exists elsewhere (notes beside the checkout, seed files) nor
//! an issue number: a maintainer who clones the repository cannot follow
//! either. A citation of the vendor notes, `docs/vendors/<vendor>.md,
//! "Section"`, must name a heading that exists in that file.
//! Reads the files as text; nothing is built or run.

use std::path::{Path, PathBuf};

use regex::Regex;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The files whose comments and strings are checked, relative to the root.
/// Fixtures (`tests/openapi/*.json`, `*.yaml`) are vendor text, not ours.
fn checked_files() -> Vec<PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, out);
            } else if path
                .extension()
                .is_some_and(|e| e == "rs" || e == "py" || e == "sh")
            {
                out.push(path);
            }
        }
    }
    let mut files = Vec::new();
    for dir in ["src", "tests", "scripts", ".ci"] {
        if root().join(dir).is_dir() {
            walk(&root().join(dir), &mut files);
        }
    }
    for file in ["build.rs", "Makefile", ".ci/run"] {
        if root().join(file).is_file() {
            files.push(root().join(file));
        }
    }
    files.sort();
    files.dedup();
    files
}

/// The text with each comment line joined to the one before it, so that a
/// citation wrapped over two comment lines reads as one. Comments start with
/// `//` in Rust, with `#` in the scripts.
fn joined(file: &Path, text: &str) -> String {
    let rust = file.extension().is_some_and(|e| e == "rs");
    let marker = if rust { "//[/!]?" } else { "#" };
    let continuation = Regex::new(&format!(r"[ \t]*\n[ \t]*(?:{marker})[ \t]*")).unwrap();
    continuation.replace_all(text, " ").into_owned()
}

/// Problems in one file's text: citations of files outside the repository,
/// issue numbers, and vendor-note sections that do not exist. `file` is the
/// path relative to the root; `exists` says whether a path relative to the
/// root is in the repository; `headings` gives a vendor note's headings.
fn problems(
    file: &Path,
    text: &str,
    exists: &dyn Fn(&Path) -> bool,
    headings: &dyn Fn(&str) -> Option<Vec<String>>,
) -> Vec<String> {
    let mut found = Vec::new();
    let text = joined(file, text);
    let dir = file.parent().unwrap_or(Path::new(""));

    // Files that are not in the repository: the notes and seeds kept beside
    // it, and any path to a document that does not resolve here.
    let outside = Regex::new(
        r"\.\./shared|/work/s[h]ared|(?:^|[^\w/])seeds?/|\bseed \d|\b[Tt]he seed(?:'s\b|[):])",
    )
    .unwrap();
    for m in outside.find_iter(&text) {
        found.push(format!(
            "cites a file outside the repository: {:?}",
            m.as_str()
        ));
    }
    // A path to a document must resolve from the root or from the file's
    // directory (`#[path]`, `include_str!`): any Markdown file, and a vendor's
    // OpenAPI document (JSON or YAML under an `openapi` folder). Other `.json`
    // names are files the tests write at run time. A path right after a
    // public repository's name (`owner/repo path`) is that repository's file;
    // a path built at run time (`{name}`, `<kind>`, `$root`) names no file.
    let path = Regex::new(
        r"(?:([\w.-]+/[\w.-]+)[ `]+)?`?((?:[\w.*-]+/)*[\w.*-]+\.(?:md|json|ya?ml))\b([(:]?)",
    )
    .unwrap();
    for caps in path.captures_iter(&text) {
        let cited = &caps[2];
        let after = &text[caps.get(2).unwrap().end()..];
        let public_repo = caps.get(1).is_some_and(|r| !exists(Path::new(r.as_str())));
        let method_call = !caps[3].is_empty();
        let document = cited.ends_with(".md") || cited.contains("openapi/");
        if public_repo || method_call || !document || after.starts_with(['}', '>']) {
            continue;
        }
        let start = caps.get(2).unwrap().start();
        if start > 0 && matches!(text.as_bytes()[start - 1], b'}' | b'>' | b'/' | b'{' | b'$') {
            continue;
        }
        let resolves = |p: &str| {
            if let Some(star) = p.find('*') {
                // A glob: its directory must be ours.
                let dir = &p[..p[..star].rfind('/').unwrap_or(0)];
                exists(Path::new(dir))
            } else {
                [Path::new(""), dir]
                    .iter()
                    .any(|base| exists(&base.join(p)))
            }
        };
        if !resolves(cited) {
            found.push(format!("cites a file outside the repository: {cited:?}"));
        }
    }

    // Issue and pull-request numbers: the words "issue", "PR" or "pull
    // request" followed by a number, or a number after `#`. A `#` right after
    // a word character (a URL anchor, `r#"`, `&#123;`) is not a reference;
    // HTTP statuses carry no `#`.
    let issue = Regex::new(r"(?i)\b(?:issues?|PRs?|pull requests?)[ \t]*(?:#|no\.?[ \t]*)?\d+\b|(?:^|[\s(\[,;:/])#\d+\b").unwrap();
    for m in issue.find_iter(&text) {
        let hit = m.as_str().trim_start();
        found.push(format!("cites an issue or pull request number: {hit:?}"));
    }

    // `docs/vendors/<vendor>.md, "Section"` (or `("Section")`, and `"A" and
    // "B"`): each quoted
    // section must be a heading of that file, in full or up to a punctuation
    // mark (`"Names"` for `## Names`, `"Errors"` for `## Errors (inferred)`).
    let note =
        Regex::new(r#"docs/vendors/([a-z]+)\.md(?:,\s*|\s+\(?)((?:"[^"]+"(?:,\s*|\s+and\s+)?)+)"#)
            .unwrap();
    let quoted = Regex::new(r#""([^"]+)""#).unwrap();
    for caps in note.captures_iter(&text) {
        let vendor = &caps[1];
        let Some(heads) = headings(vendor) else {
            found.push(format!(
                "cites docs/vendors/{vendor}.md, which does not exist"
            ));
            continue;
        };
        for section in quoted.captures_iter(&caps[2]) {
            let section = &section[1];
            let matches = heads.iter().any(|h| {
                h == section
                    || h.strip_prefix(section)
                        .is_some_and(|rest| rest.starts_with([' ', ':', ',', '(']))
            });
            if !matches {
                found.push(format!(
                    "docs/vendors/{vendor}.md has no heading {section:?} (it has {heads:?})"
                ));
            }
        }
    }
    found
}

fn repo_exists(path: &Path) -> bool {
    !path.as_os_str().is_empty() && root().join(path).exists()
}

fn repo_headings(vendor: &str) -> Option<Vec<String>> {
    let text = std::fs::read_to_string(root().join(format!("docs/vendors/{vendor}.md"))).ok()?;
    Some(
        text.lines()
            .filter(|l| l.starts_with('#'))
            .map(|l| l.trim_start_matches('#').trim().to_string())
            .collect(),
    )
}

#[test]
fn comments_cite_only_what_the_repository_holds() {
    let mut all = Vec::new();
    for path in checked_files() {
        let rel = path.strip_prefix(root()).unwrap().to_path_buf();
        let text = std::fs::read_to_string(&path).unwrap();
        for problem in problems(&rel, &text, &repo_exists, &repo_headings) {
            all.push(format!("{}: {problem}", rel.display()));
        }
    }
    assert!(
        all.is_empty(),
        "{} citation problems:\n{}",
        all.len(),
        all.join("\n")
    );
}

#[cfg(test)]
mod checker {
    //! The checker itself, on made-up text: it must catch each kind of bad
    //! citation and let the legitimate look-alikes through. The bad examples
    //! are assembled at run time so that this file does not cite them.
    use super::*;

    fn check(text: &str) -> Vec<String> {
        let exists = |p: &Path| {
            [
                "docs/vendors/slashid.md",
                "tests/openapi/checker.rs",
                "README.md",
                "docs",
                "docs/vendors",
            ]
            .iter()
            .any(|known| Path::new(known) == p)
                || p == Path::new("tests/openapi")
        };
        let headings = |v: &str| {
            (v == "slashid").then(|| vec!["Names".to_string(), "RBAC endpoints (spec)".to_string()])
        };
        problems(Path::new("tests/x.rs"), text, &exists, &headings)
    }

    #[test]
    fn catches_files_outside_the_repository() {
        for bad in [
            format!("// (vendors/{}.md, \"Names\")", "slashid"),
            format!("//! see {}.md", "DESIGN"),
            format!("// {}/shared/openapi/x.json", ".."),
            format!("// our {} 004", "seed"),
            format!("/// the {}/004_zenml.md", "seeds"),
            format!("/// Body of `POST /roles` (the {}'s RoleCreate)", "seed"),
            format!("/// It answers 200 (the {}), not 201", "seed"),
            format!("// written from `vendors/{}.md`", "*"),
            format!("// `/v1/users*` in {}/rootly-openapi.json", "openapi"),
        ] {
            assert!(!check(&bad).is_empty(), "not caught: {bad}");
        }
    }

    #[test]
    fn catches_issue_numbers() {
        for bad in [
            format!("// stalls ({} 13)", "issue"),
            format!("//! {} 14 §4: advice", "Issue"),
            format!("// creates (PR {}111/{}122)", "#", "#"),
            format!("// since {}7", "#"),
        ] {
            assert!(!check(&bad).is_empty(), "not caught: {bad}");
        }
    }

    #[test]
    fn catches_a_section_that_is_not_a_heading() {
        let bad = format!("// (docs/vendors/slashid.md, \"{}\")", "Name rules");
        assert_eq!(check(&bad).len(), 1, "{bad}");
        let bracketed = format!("//! emulated from docs/vendors/slashid.md (\"{}\")", "Nope");
        assert_eq!(check(&bracketed).len(), 1, "{bracketed}");
        let wrapped = format!(
            "// (docs/vendors/slashid.md, \"Names\" and\n    // \"{}\")",
            "Nope"
        );
        assert_eq!(check(&wrapped).len(), 1, "{wrapped}");
        let missing = format!("// (docs/vendors/{}.md, \"Names\")", "acme");
        assert!(!check(&missing).is_empty(), "{missing}");
    }

    #[test]
    fn lets_legitimate_text_through() {
        for good in [
            "// (docs/vendors/slashid.md, \"Names\")",
            "// (docs/vendors/slashid.md, \"RBAC endpoints\" and\n    /// \"Names\")",
            "// (docs/vendors/slashid.md)",
            "// see README.md and docs/vendors/*.md",
            "#[path = \"openapi/checker.rs\"]",
            "// flashcatcloud/flashduty-cli `skills/flashduty/reference/role.md`",
            "// answers HTTP 404, 409 or 429",
            "// https://example.com/page#section-2 and r#\"raw\"#",
            "let body = format!(\"docs/resources/{name}.md\");",
            "// examples/<kind>/<type>/notes.md",
            "// the emulator seeds one role; seed_roles()",
            "/// The fault RNG's initial seed (random): the seed of a replay",
            "let v: Value = response.json().await?; r.json::<Role>()",
            "std::fs::write(dir.join(\"state.json\"), body)",
            "cp \"$root/terraform-registry-manifest.json\" dist/",
        ] {
            assert_eq!(check(good), Vec::<String>::new(), "flagged: {good}");
        }
    }
}
