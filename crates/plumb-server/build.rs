//! Compiles the PostgreSQL run of the HTTP suite (`tests/it_postgres`) only when it can run:
//! when `PLUMB_TEST_POSTGRES_URL` names a test database, or when `PLUMB_TEST_REQUIRE_POSTGRES=1`
//! demands it (then a missing URL fails every test with a clear message). Without either, that
//! test binary is empty and the suite is skipped, as the store conformance suite skips its
//! PostgreSQL half.

use std::env;

fn main() {
    println!("cargo:rustc-check-cfg=cfg(postgres_tests)");
    println!("cargo:rerun-if-env-changed=PLUMB_TEST_POSTGRES_URL");
    println!("cargo:rerun-if-env-changed=PLUMB_TEST_REQUIRE_POSTGRES");
    let has_url = env::var("PLUMB_TEST_POSTGRES_URL").is_ok_and(|url| !url.trim().is_empty());
    let required = env::var("PLUMB_TEST_REQUIRE_POSTGRES").is_ok_and(|value| value == "1");
    if has_url || required {
        println!("cargo:rustc-cfg=postgres_tests");
    }
}
