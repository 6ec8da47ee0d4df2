//! `plumb login` and `plumb logout`: start a session and save it, or end it and forget it.
//!
//! The saved file holds the session cookie and CSRF token, never the password.

use std::io::Write;

use anyhow::{Context, bail};

use plumb_client::Client;

use super::LoginArgs;
use super::credentials::{self, CredentialSource, describe};
use super::prompt;

/// What to say when there is nowhere to save the session.
const NO_CONFIG_DIR: &str = "there is no configuration directory to save the session in \
    (set HOME or XDG_CONFIG_HOME), or set PLUMB_EMAIL and PLUMB_PASSWORD instead";

/// Signs in to `args.server` and saves the session to `source.file`.
pub(crate) async fn login(
    args: LoginArgs,
    source: &CredentialSource,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let Some(file) = &source.file else {
        bail!(NO_CONFIG_DIR);
    };
    let mut client = Client::new(&args.server)?;
    let email = match args.email.or_else(|| source.email.clone()) {
        Some(email) => email,
        None => prompt::line("Email: ")?,
    };
    let password = match &source.password {
        Some(password) => password.clone(),
        None => prompt::password()?,
    };

    let info = match client.login(&email, &password).await {
        Ok(info) => info,
        Err(error) => return Err(describe(error, &client, true)),
    };
    let saved = client
        .saved_session()
        .context("the server did not start a session")?;
    credentials::save(file, &saved)?;

    writeln!(
        out,
        "Signed in to {} as {} ({}).",
        client.base_url(),
        info.user.email,
        info.user.organization.name
    )?;
    Ok(())
}

/// Signs out of the saved session and deletes the file, even when the server is unreachable (the
/// session then expires on its own).
pub(crate) async fn logout(source: &CredentialSource, out: &mut dyn Write) -> anyhow::Result<()> {
    let Some(file) = &source.file else {
        bail!(NO_CONFIG_DIR);
    };
    let Some(saved) = credentials::load(file)? else {
        writeln!(out, "Not signed in.")?;
        return Ok(());
    };
    let server = saved.server_url().to_owned();
    let result = match Client::from_saved_session(saved) {
        Ok(mut client) => client
            .logout()
            .await
            .map_err(|error| describe(error, &client, true)),
        Err(error) => Err(error.into()),
    };
    credentials::remove(file)?;
    match result {
        Ok(()) => writeln!(out, "Signed out of {server}.")?,
        Err(error) => {
            writeln!(out, "Forgot the session for {server}.")?;
            eprintln!("warning: the server could not be told: {error:#}");
        }
    }
    Ok(())
}
