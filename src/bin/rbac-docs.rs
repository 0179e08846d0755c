//! `rbac-docs`: regenerates `docs/` from the provider's schema (`make docs`).

fn main() {
    let repo = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    match terraform_provider_rbac::docs::write_all(repo) {
        Ok(files) => {
            for file in files {
                println!("wrote {}", file.display());
            }
        }
        Err(err) => {
            eprintln!("rbac-docs: {err}");
            std::process::exit(1);
        }
    }
}
