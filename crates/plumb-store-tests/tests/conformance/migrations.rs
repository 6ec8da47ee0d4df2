//! Both backends carry migrations with the same file names, so a schema change is never made
//! to one backend only (HOUSE-STYLE §3).

use std::path::Path;

/// The `.sql` file names in one backend's `plumb-store/migrations/<backend>/`, sorted.
fn migration_names(backend: &str) -> Vec<String> {
    let directory = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../plumb-store/migrations")
        .join(backend);
    let mut names: Vec<String> = std::fs::read_dir(&directory)
        .unwrap_or_else(|error| panic!("cannot read {}: {error}", directory.display()))
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".sql"))
        .collect();
    names.sort();
    names
}

#[test]
fn sqlite_and_postgres_migrations_have_the_same_file_names() {
    let sqlite = migration_names("sqlite");
    let postgres = migration_names("postgres");

    assert!(!sqlite.is_empty());
    assert_eq!(sqlite, postgres);
}
