//! Registry documentation generated from the provider's own schema and the
//! examples in `examples/` (`make docs`; a test fails when `docs/` is stale).
//! The layout follows the Terraform Registry: `docs/index.md`,
//! `docs/resources/<name>.md`, `docs/data-sources/<name>.md`. A page gets a
//! "Notes" section from `examples/<kind>/<type>/notes.md` when that exists.
//! Guides (`docs/guides/<name>.md`) come from `examples/guides/` ([`guides`]).

mod guides;

pub use guides::page_title;

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use crate::framework::tf::{
    Attribute, AttributeConstraint, AttributeType, Block, NestedBlock, Schema,
};

use crate::provider::{RbacProvider, PROVIDER_NAME};

/// Every documentation file: its path under the repository root and content.
pub fn render_all(repo: &Path) -> Vec<(PathBuf, String)> {
    let provider = RbacProvider::default();
    let guides = guides::render(repo);
    let mut files = vec![(
        PathBuf::from("docs/index.md"),
        render_index(repo, &RbacProvider::provider_schema(), &guides),
    )];
    let resources: BTreeMap<_, _> = provider.resources().into_iter().collect();
    for (name, resource) in resources {
        let schema = resource.schema();
        let full = format!("{PROVIDER_NAME}_{name}");
        files.push((
            PathBuf::from(format!("docs/resources/{name}.md")),
            render_page(repo, &full, "Resource", "resources", &schema),
        ));
    }
    let data_sources: BTreeMap<_, _> = provider.data_sources().into_iter().collect();
    for (name, data_source) in data_sources {
        let schema = data_source.schema();
        let full = format!("{PROVIDER_NAME}_{name}");
        files.push((
            PathBuf::from(format!("docs/data-sources/{name}.md")),
            render_page(repo, &full, "Data Source", "data-sources", &schema),
        ));
    }
    files.extend(guides);
    files
}

/// Writes every file of [`render_all`] under `repo`.
pub fn write_all(repo: &Path) -> std::io::Result<Vec<PathBuf>> {
    let files = render_all(repo);
    let mut written = Vec::new();
    for (path, content) in files {
        let full = repo.join(&path);
        std::fs::create_dir_all(full.parent().unwrap())?;
        std::fs::write(&full, content)?;
        written.push(path);
    }
    Ok(written)
}

fn read_example(repo: &Path, rel: &str) -> Option<String> {
    std::fs::read_to_string(repo.join(rel))
        .ok()
        .map(|s| s.trim_end().to_string())
}

fn vendor_of(type_name: &str) -> &str {
    match type_name.split('_').nth(1) {
        Some("flashduty") => "Flashduty",
        Some("slashid") => "SlashID",
        Some("rootly") => "Rootly",
        Some("zenml") => "ZenML Pro",
        _ => "",
    }
}

fn first_sentence(text: &str) -> String {
    text.split_inclusive(". ")
        .next()
        .unwrap_or(text)
        .trim()
        .to_string()
}

fn render_index(repo: &Path, schema: &Schema, guides: &[(PathBuf, String)]) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "---\npage_title: \"{PROVIDER_NAME} Provider\"\ndescription: |-\n  {}\n---\n\n# {PROVIDER_NAME} Provider\n\n{}\n",
        first_sentence(&schema.block.description.content),
        schema.block.description.content
    );
    out.push_str(&guides::index_section(repo, guides));
    if let Some(example) = read_example(repo, "examples/provider/provider.tf") {
        let _ = writeln!(out, "## Example Usage\n\n```terraform\n{example}\n```\n");
    }
    out.push_str("## Schema\n\n");
    render_block(&mut out, &schema.block, "");
    if let Some(notes) = read_example(repo, "examples/provider/notes.md") {
        let _ = write!(out, "\n## Notes\n\n{notes}\n");
    }
    out
}

fn render_page(repo: &Path, name: &str, kind: &str, dir: &str, schema: &Schema) -> String {
    let description = &schema.block.description.content;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "---\npage_title: \"{name} {kind} - {PROVIDER_NAME}\"\nsubcategory: \"{}\"\ndescription: |-\n  {}\n---\n\n# {name} ({kind})\n\n{description}\n",
        vendor_of(name),
        first_sentence(description)
    );
    let file = if kind == "Resource" {
        "resource.tf"
    } else {
        "data-source.tf"
    };
    if let Some(example) = read_example(repo, &format!("examples/{dir}/{name}/{file}")) {
        let _ = writeln!(out, "## Example Usage\n\n```terraform\n{example}\n```\n");
    }
    out.push_str("## Schema\n\n");
    render_block(&mut out, &schema.block, "");
    if let Some(import) = read_example(repo, &format!("examples/{dir}/{name}/import.sh")) {
        let _ = writeln!(
            out,
            "## Import\n\nImport is supported using the following syntax:\n\n```shell\n{import}\n```"
        );
    }
    // Optional notes (e.g. a vendor's unverified behaviour the page must state).
    if let Some(notes) = read_example(repo, &format!("examples/{dir}/{name}/notes.md")) {
        let sep = if out.ends_with("\n\n") { "" } else { "\n" };
        let _ = writeln!(out, "{sep}## Notes\n\n{notes}");
    }
    out
}

fn type_name(t: &AttributeType) -> String {
    match t {
        AttributeType::String => "String".into(),
        AttributeType::Number => "Number".into(),
        AttributeType::Bool => "Boolean".into(),
        AttributeType::List(e) => format!("List of {}", type_name(e)),
        AttributeType::Set(e) => format!("Set of {}", type_name(e)),
        AttributeType::Map(e) => format!("Map of {}", type_name(e)),
        AttributeType::Object(_) => "Object".into(),
        AttributeType::Tuple(_) => "Tuple".into(),
        _ => "Dynamic".into(),
    }
}

fn attribute_line(name: &str, attr: &Attribute) -> String {
    let mut kind = type_name(&attr.attr_type);
    if attr.sensitive {
        kind.push_str(", Sensitive");
    }
    if attr.deprecated {
        kind.push_str(", Deprecated");
    }
    format!("- `{name}` ({kind}) {}\n", attr.description.content.trim())
}

fn render_block(out: &mut String, block: &Block, prefix: &str) {
    let mut sorted: Vec<(&String, &Attribute)> = block.attributes.iter().collect();
    sorted.sort_by_key(|(name, _)| *name);
    let sections = [
        ("Required", AttributeConstraint::Required),
        ("Optional", AttributeConstraint::Optional),
        ("Read-Only", AttributeConstraint::Computed),
    ];
    let mut blocks: Vec<(&String, &NestedBlock)> = block.blocks.iter().collect();
    blocks.sort_by_key(|(name, _)| *name);
    for (title, constraint) in sections {
        let mut lines = String::new();
        for (name, attr) in &sorted {
            let section = match attr.constraint {
                AttributeConstraint::OptionalComputed => AttributeConstraint::Optional,
                ref c => c.clone(),
            };
            if section == constraint {
                lines.push_str(&attribute_line(name, attr));
            }
        }
        if constraint == AttributeConstraint::Optional {
            for (name, nested) in &blocks {
                let (inner, max) = match nested {
                    NestedBlock::Optional(b) | NestedBlock::Single(b) => (b, " Max: 1"),
                    NestedBlock::List(b)
                    | NestedBlock::Set(b)
                    | NestedBlock::Map(b)
                    | NestedBlock::Group(b) => (b, ""),
                };
                let _ = writeln!(
                    lines,
                    "- `{name}` (Block,{max}) {} (see [below for nested schema](#nestedblock--{prefix}{name}))",
                    inner.description.content.trim()
                );
            }
        }
        if !lines.is_empty() {
            let _ = writeln!(out, "### {title}\n\n{lines}");
        }
    }
    for (name, nested) in blocks {
        let inner = match nested {
            NestedBlock::Optional(b)
            | NestedBlock::Single(b)
            | NestedBlock::List(b)
            | NestedBlock::Set(b)
            | NestedBlock::Map(b)
            | NestedBlock::Group(b) => b,
        };
        let _ = writeln!(
            out,
            "<a id=\"nestedblock--{prefix}{name}\"></a>\n### Nested Schema for `{prefix}{name}`\n"
        );
        render_block(out, inner, &format!("{prefix}{name}--"));
    }
}
