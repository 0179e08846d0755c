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
