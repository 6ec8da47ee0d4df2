//! The `plumb` binary: parses the command line and hands over to [`plumb_cli::run`].
//!
//! Its allocator is jemalloc: measured under load it keeps the server's memory a third below
//! glibc's malloc, whose per-thread arenas hold freed memory (docs/performance.md, "Memory").

use std::process::ExitCode;

use clap::Parser;

#[cfg(not(target_env = "msvc"))]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

#[tokio::main]
async fn main() -> ExitCode {
    let cli = plumb_cli::Cli::parse();
    match plumb_cli::run(cli).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}
