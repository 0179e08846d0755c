//! docs/ must be exactly what the generator writes from the schema
//! (run `make docs` after changing a schema or an example).

#[test]
fn docs_are_up_to_date() {
    let repo = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut stale = Vec::new();
    for (path, expected) in terraform_provider_rbac::docs::render_all(repo) {
        let actual = std::fs::read_to_string(repo.join(&path)).unwrap_or_default();
        if actual != expected {
            stale.push(path.display().to_string());
        }
    }
    assert!(
        stale.is_empty(),
        "docs/ is stale, run `make docs`: {stale:?}"
    );
}

/// Every guide has the registry's front matter, and the index links it.
#[test]
fn guides_have_front_matter_and_are_linked() {
    let repo = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let index = std::fs::read_to_string(repo.join("docs/index.md")).unwrap();
    for entry in std::fs::read_dir(repo.join("docs/guides")).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(
            terraform_provider_rbac::docs::page_title(&text).is_some()
                && text.contains("\nsubcategory: "),
            "docs/guides/{name}: front matter needs page_title and subcategory"
        );
        assert!(
            index.contains(&format!("(guides/{name})")),
            "docs/index.md does not link guides/{name}"
        );
    }
}

/// The README stays a page a newcomer reads in minutes; its relative links
/// resolve, and it gives the test command CI runs (`.ci/run`: `make test`).
#[test]
fn readme_is_short_and_its_links_resolve() {
    let repo = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(repo.join("README.md")).unwrap();
    assert!(
        readme.len() <= 8192,
        "README.md is {} bytes, over 8192: move details into docs/guides/",
        readme.len()
    );
    assert!(
        readme.contains("\nmake test "),
        "README.md lost `make test`"
    );
    let ci = std::fs::read_to_string(repo.join(".ci/run")).unwrap();
    assert!(
        ci.contains("\nmake test\n"),
        ".ci/run no longer runs `make test`"
    );
    for link in readme.split("](").skip(1) {
        let target = link.split(')').next().unwrap().split('#').next().unwrap();
        if target.is_empty() || target.contains("://") {
            continue;
        }
        assert!(
            repo.join(target).exists(),
            "README.md links {target}, which is missing"
        );
    }
}
