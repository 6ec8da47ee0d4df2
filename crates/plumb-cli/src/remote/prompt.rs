//! Questions asked on the terminal: the email, the password and "are you sure?".
//!
//! Prompts go to stderr (the password prompt to the terminal itself), so stdout stays clean for
//! piping. Nothing typed here is echoed back or printed.

use std::io::{self, BufRead, IsTerminal, Write};

use anyhow::{Context, bail};

/// Asks for one line on stdin (which may be a pipe), e.g. the email.
pub(crate) fn line(question: &str) -> anyhow::Result<String> {
    eprint!("{question}");
    io::stderr()
        .flush()
        .context("could not write to the terminal")?;
    let mut answer = String::new();
    let read = io::stdin()
        .lock()
        .read_line(&mut answer)
        .context("could not read stdin")?;
    let answer = answer.trim();
    if read == 0 || answer.is_empty() {
        bail!(
            "no answer given to `{}`",
            question.trim_end_matches([' ', ':'])
        );
    }
    Ok(answer.to_owned())
}

/// Asks for the password on the terminal without echoing it.
pub(crate) fn password() -> anyhow::Result<String> {
    let password = rpassword::prompt_password("Password: ")
        .context("could not prompt for the password (no terminal?): set PLUMB_PASSWORD")?;
    if password.is_empty() {
        bail!("no password given");
    }
    Ok(password)
}

/// Fails unless a person can be asked: a destructive command without `--yes` needs a terminal.
pub(crate) fn require_terminal(action: &str) -> anyhow::Result<()> {
    if !io::stdin().is_terminal() {
        bail!("refusing to {action} without confirmation: stdin is not a terminal; pass --yes");
    }
    Ok(())
}

/// Asks a yes/no question on the terminal; anything but `y` or `yes` is a no.
pub(crate) fn confirm(question: &str) -> anyhow::Result<bool> {
    eprint!("{question} [y/N] ");
    io::stderr()
        .flush()
        .context("could not write to the terminal")?;
    let mut answer = String::new();
    io::stdin()
        .lock()
        .read_line(&mut answer)
        .context("could not read stdin")?;
    Ok(matches!(
        answer.trim().to_ascii_lowercase().as_str(),
        "y" | "yes"
    ))
}
