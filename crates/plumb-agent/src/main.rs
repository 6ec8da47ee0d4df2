//! The `plumb-agent` binary: parses the command line and hands over to [`plumb_agent::run`].

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = plumb_agent::Cli::parse();
    match plumb_agent::run(&cli, &mut std::io::stdout()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}
