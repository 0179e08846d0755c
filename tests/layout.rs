//! The shape of the source tree, one shape for every resource: a resource
//! is one file implementing `ResourceType`, no import cycles, no runaway
//! file, `provider.rs` only composing, and tf-provider's traits implemented
//! once, by the framework's adapters. Reads `src/` as text; nothing is
//! built or run.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use regex::Regex;

/// A ceiling for runaway files, not a target: files split along concepts
/// (a resource is one file, its tests beside it), never to stay under a
/// line count. A file past it most likely holds more than one concept.
const MAX_LINES: usize = 800;

/// A module path below `crate`, e.g. `["vendors", "flashduty", "api"]`.
type Module = Vec<String>;

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// Every `.rs` file under `src/`, by its module path.
fn modules() -> BTreeMap<Module, String> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }
    let mut files = Vec::new();
    walk(&src(), &mut files);
    files
        .into_iter()
        .map(|path| {
            let rel = path.strip_prefix(src()).unwrap().with_extension("");
            let mut module: Module = rel.iter().map(|s| s.to_string_lossy().into()).collect();
            if matches!(
                module.last().map(String::as_str),
                Some("mod" | "lib" | "main")
            ) {
                module.pop();
            }
            (module, std::fs::read_to_string(&path).unwrap())
        })
        .collect()
}

/// The code of a file without its comments and its `#[cfg(test)]` tail.
fn code(text: &str) -> String {
    let text = text.split("#[cfg(test)]").next().unwrap();
    let comment = Regex::new(r"(?m)^\s*//.*$").unwrap();
    comment.replace_all(text, "").into_owned()
}

/// The modules `module`'s code names through `crate::`, `super::` or
/// `self::` paths, in `use` items (groups expanded) and inline.
fn imports(module: &Module, text: &str, all: &BTreeMap<Module, String>) -> BTreeSet<Module> {
    let resolve = |path: &[&str]| -> Option<Module> {
        let (mut base, rest): (Module, &[&str]) = match *path.first()? {
            "crate" => (vec![], &path[1..]),
            "self" => (module.clone(), &path[1..]),
            "super" => {
                let ups = path.iter().take_while(|s| **s == "super").count();
                let keep = module.len().checked_sub(ups)?;
                (module[..keep].to_vec(), &path[ups..])
            }
            _ => return None,
        };
        let mut found = all.contains_key(&base).then(|| base.clone());
        for segment in rest {
            base.push(segment.to_string());
            if all.contains_key(&base) {
                found = Some(base.clone());
            }
        }
        found
    };
    let mut out = BTreeSet::new();
    let code = code(text);
    let uses = Regex::new(r"(?s)\buse\s+((?:crate|super|self)::[^;]+);").unwrap();
    for item in uses.captures_iter(&code) {
        let flat: String = item[1].chars().filter(|c| !c.is_whitespace()).collect();
        for path in expand(&flat) {
            let path = path.split(" as ").next().unwrap().to_string();
            let segments: Vec<&str> = path
                .split("::")
                .filter(|s| !s.is_empty() && *s != "*")
                .collect();
            out.extend(resolve(&segments));
        }
    }
    let inline = Regex::new(r"\b(?:crate|super|self)(?:::\w+)+").unwrap();
    for path in inline.find_iter(&code) {
        let segments: Vec<&str> = path.as_str().split("::").collect();
        out.extend(resolve(&segments));
    }
    out.remove(module);
    out
}

/// `a::{b, c::{d, e}}` as `a::b`, `a::c::d`, `a::c::e`.
fn expand(path: &str) -> Vec<String> {
    let Some(open) = path.find("::{") else {
        return vec![path.to_string()];
    };
    let (prefix, inner) = (&path[..open], &path[open + 3..path.len() - 1]);
    let (mut parts, mut depth, mut part) = (Vec::new(), 0, String::new());
    for c in inner.chars() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(std::mem::take(&mut part));
                continue;
            }
            _ => {}
        }
        part.push(c);
    }
    parts.push(part);
    parts
        .iter()
        .filter(|p| !p.is_empty())
        .flat_map(|p| expand(&format!("{prefix}::{p}")))
        .collect()
}

#[test]
fn no_module_imports_another_that_imports_it_back() {
    let all = modules();
    let edges: BTreeMap<&Module, BTreeSet<Module>> = all
        .iter()
        .map(|(module, text)| (module, imports(module, text, &all)))
        .collect();
    let reaches = |from: &Module, to: &Module| {
        let (mut seen, mut stack) = (BTreeSet::new(), vec![from.clone()]);
        while let Some(next) = stack.pop() {
            for dep in edges.get(&next).into_iter().flatten() {
                if dep == to {
                    return true;
                }
                if seen.insert(dep.clone()) {
                    stack.push(dep.clone());
                }
            }
        }
        false
    };
    let mut cycles = BTreeSet::new();
    for (module, deps) in &edges {
        for dep in deps {
            // A parent names its children (`mod x;`, re-exports) and a child
            // uses its parent's items: that is nesting, not a cycle.
            if dep.starts_with(module) || module.starts_with(dep) {
                continue;
            }
            if reaches(dep, module) {
                let (a, b) = (module.join("::"), dep.join("::"));
                cycles.insert(if a < b { (a, b) } else { (b, a) });
            }
        }
    }
    assert!(cycles.is_empty(), "modules in an import cycle: {cycles:#?}");
}

#[test]
fn no_source_file_runs_away() {
    let long: Vec<String> = modules()
        .iter()
        .map(|(module, text)| (module.join("::"), text.lines().count()))
        .filter(|(_, lines)| *lines > MAX_LINES)
        .map(|(module, lines)| format!("{module}: {lines} lines"))
        .collect();
    assert!(long.is_empty(), "over {MAX_LINES} lines: {long:#?}");
}

/// A resource is one file, `src/vendors/<vendor>/<name>_resource.rs`: its
/// State, schema, `impl ResourceType` (plan rules, lifecycle, import,
/// conversions) and its unit tests. It has no submodules, and it implements
/// `ResourceType` itself: no trait of the vendor's stands between the
/// resource and the framework (what resources share is plain functions).
#[test]
fn every_resource_is_one_file() {
    let implementation = Regex::new(r"\bimpl(?:<[^>]*>)?\s+ResourceType\s+for\s+(\w+)").unwrap();
    let supertrait =
        Regex::new(r"\btrait\s+(\w+)\s*(?:<[^>]*>)?\s*:[^{;]*\bResourceType\b").unwrap();
    let is_resource = |module: &[String]| {
        module.len() == 3 && module[0] == "vendors" && module[2].ends_with("_resource")
    };
    let mut wrong = Vec::new();
    for (module, text) in &modules() {
        let name = module.join("::");
        let code = code(text);
        let impls = implementation.captures_iter(&code).count();
        if module.len() > 3 && is_resource(&module[..3]) {
            wrong.push(format!(
                "{name}: a submodule of a resource (merge it into the resource's file)"
            ));
        }
        if is_resource(module) && impls != 1 {
            wrong.push(format!("{name}: {impls} `impl ResourceType`, not one"));
        }
        if !is_resource(module) && module.first().is_some_and(|m| m == "vendors") && impls > 0 {
            wrong.push(format!(
                "{name}: implements ResourceType outside a `<name>_resource.rs` file"
            ));
        }
        for c in supertrait.captures_iter(&code) {
            wrong.push(format!(
                "{name}: trait {} stands between resources and ResourceType",
                &c[1]
            ));
        }
    }
    assert!(wrong.is_empty(), "{wrong:#?}");
}

#[test]
fn the_provider_only_composes() {
    let provider = &modules()[&vec!["provider".to_string()]];
    let lines = provider.lines().count();
    assert!(lines < 250, "src/provider.rs has {lines} lines");
}

#[test]
fn only_the_framework_adapters_implement_the_protocol_handlers() {
    let implementation =
        Regex::new(r"\bimpl(?:<[^>]*>)?\s+(ResourceHandler|DataSourceHandler)\s+for\s+(\w+)")
            .unwrap();
    let mut found: Vec<String> = modules()
        .iter()
        .flat_map(|(module, text)| {
            implementation
                .captures_iter(&code(text))
                .map(|c| format!("{}: {} for {}", module.join("::"), &c[1], &c[2]))
                .collect::<Vec<_>>()
        })
        .collect();
    found.sort();
    assert_eq!(
        found,
        [
            // The test stand-in for the vendor's rootlyhq/rootly provider:
            // another provider's types, not resources of ours.
            "bin::rbac-test-rootly-stub: ResourceHandler for Echo",
            "framework::data_source: DataSourceHandler for DataAdapter",
            "framework::resource::adapter::handler: ResourceHandler for Adapter",
        ],
        "a resource or data source implements the protocol's handler by hand instead of \
         framework::resource::ResourceType / framework::data_source::DataSourceType"
    );
}

/// Terraform's types come from one place (`framework::tf`): the rest of
/// the code never names the crate that defines some of them.
#[test]
fn only_framework_tf_names_tf_provider() {
    let naming: Vec<String> = modules()
        .iter()
        .filter(|(module, text)| {
            module.join("::") != "framework::tf" && code(text).contains("tf_provider")
        })
        .map(|(module, _)| module.join("::"))
        .collect();
    assert!(
        naming.is_empty(),
        "these modules name tf_provider: {naming:?}"
    );
}

/// Adding a resource is one file, plus its test, its docs example and a
/// line in the provider's list: the first and last are the provider's
/// list itself; this holds the rest to it.
#[test]
fn every_type_has_its_test_and_examples() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let provider = terraform_provider_rbac::provider::RbacProvider::default();
    let mut missing = Vec::new();
    let mut need = |path: String| {
        if !repo.join(&path).is_file() {
            missing.push(path);
        }
    };
    for name in provider.resources().keys() {
        need(format!("tests/{name}.rs"));
        need(format!("examples/resources/rbac_{name}/resource.tf"));
        need(format!("examples/resources/rbac_{name}/import.sh"));
    }
    for name in provider.data_sources().keys() {
        need(format!("examples/data-sources/rbac_{name}/data-source.tf"));
    }
    missing.sort();
    assert!(missing.is_empty(), "missing: {missing:#?}");
}
