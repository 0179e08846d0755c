//! Guides: `docs/guides/<name>.md`, rendered from
//! `examples/guides/<name>.md.tmpl` (the registry's guide layout: YAML front
//! matter with `page_title` and `subcategory`). A template line
//! `{{ tffile "examples/..." }}` becomes that file in an `hcl` block, so a
//! guide shows an example exactly as the tests apply it. Guides written by
//! hand directly in `docs/guides/` are left alone, and the index links every
//! file there.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

const TEMPLATES: &str = "examples/guides";
const GUIDES: &str = "docs/guides";

/// Every generated guide: its path under the repository root and content.
pub fn render(repo: &Path) -> Vec<(PathBuf, String)> {
    let mut templates: Vec<PathBuf> = std::fs::read_dir(repo.join(TEMPLATES))
        .map(|dir| dir.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    templates.sort();
    templates
        .into_iter()
        .filter_map(|path| {
            let name = path.file_name()?.to_str()?.strip_suffix(".md.tmpl")?;
            let text = std::fs::read_to_string(&path).ok()?;
            Some((
                PathBuf::from(format!("{GUIDES}/{name}.md")),
                expand(repo, &text),
            ))
        })
        .collect()
}

/// Replaces each `{{ tffile "<path>" }}` line by the file, fenced as HCL.
fn expand(repo: &Path, text: &str) -> String {
    let mut out = String::new();
    for line in text.lines() {
        let include = line
            .trim()
            .strip_prefix("{{ tffile \"")
            .and_then(|rest| rest.strip_suffix("\" }}"));
        match include {
            Some(rel) => {
                let body = std::fs::read_to_string(repo.join(rel))
                    .unwrap_or_else(|err| panic!("{TEMPLATES}: {rel}: {err}"));
                let _ = writeln!(out, "```hcl\n{}\n```", body.trim_end());
            }
            None => {
                out.push_str(line);
                out.push('\n');
            }
        }
    }
    out
}

/// The `page_title` of a page's front matter.
pub fn page_title(text: &str) -> Option<String> {
    let front = text.strip_prefix("---\n")?.split("\n---").next()?;
    front.lines().find_map(|line| {
        let value = line.strip_prefix("page_title:")?.trim();
        Some(value.trim_matches('"').to_string())
    })
}

/// The index's "Guides" section: every guide, generated or already in
/// `docs/guides/`, by title; empty when there is none.
pub fn index_section(repo: &Path, generated: &[(PathBuf, String)]) -> String {
    let mut guides: BTreeMap<String, String> = BTreeMap::new();
    if let Ok(dir) = std::fs::read_dir(repo.join(GUIDES)) {
        for entry in dir.filter_map(Result::ok) {
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.ends_with(".md") {
                let text = std::fs::read_to_string(entry.path()).unwrap_or_default();
                guides.insert(name, text);
            }
        }
    }
    for (path, text) in generated {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        guides.insert(name, text.clone());
    }
    if guides.is_empty() {
        return String::new();
    }
    let mut out = String::from("## Guides\n\n");
    for (name, text) in &guides {
        let title = page_title(text).unwrap_or_else(|| name.trim_end_matches(".md").into());
        let _ = writeln!(out, "- [{title}](guides/{name})");
    }
    out.push('\n');
    out
}
