//! Signing in and out with the real binary (`plumb login`, `plumb logout`, `PLUMB_EMAIL` and
//! `PLUMB_PASSWORD`), the exit codes docs/cli.md promises (0, 1 on any error, 2 for a usage
//! error), and `plumb completions bash|zsh|fish`.

use std::process::Command as Process;

use crate::real::{signed_in, signed_out};
use crate::{EMAIL, PASSWORD};

#[tokio::test]
async fn login_saves_a_private_session_that_later_commands_use_and_logout_forgets_it() {
    let plumb = signed_out().await;
    let url = plumb.server.url.clone();
    let file = plumb.credentials_file();

    let before = plumb.fails(1, &["groups", "list"]).await;
    let wrong = plumb
        .run_with(
            &["login", "--server", &url, "--email", EMAIL],
            &[("PLUMB_PASSWORD", "not the password at all")],
            "",
        )
        .await;
    let saved_after_wrong = file.exists();
    // Without --email, the email is asked for on stderr and read from stdin.
    let login = plumb
        .run_with(
            &["login", "--server", &url],
            &[("PLUMB_PASSWORD", PASSWORD)],
            &format!("{EMAIL}\n"),
        )
        .await;
    let saved = std::fs::read_to_string(&file).unwrap();
    #[cfg(unix)]
    let mode = {
        use std::os::unix::fs::PermissionsExt;
        std::fs::metadata(&file).unwrap().permissions().mode()
    };
    let listed = plumb.json(&["groups", "list"]).await;
    let elsewhere = plumb
        .fails(1, &["groups", "list", "--server", "http://127.0.0.1:9"])
        .await;
    let logout = plumb.ok(&["logout"]).await;
    let kept_after_logout = file.exists();
    let after = plumb.fails(1, &["groups", "list"]).await;
    let again = plumb.ok(&["logout"]).await;
    // A session signed out elsewhere (here: its copy, restored after logout) says to sign in.
    std::fs::create_dir_all(file.parent().unwrap()).unwrap();
    std::fs::write(&file, &saved).unwrap();
    let expired = plumb.fails(1, &["groups", "list"]).await;

    assert_eq!(
        before,
        "error: not signed in: run plumb login --server URL, or set PLUMB_EMAIL and PLUMB_PASSWORD\n"
    );
    assert_eq!(wrong.code, Some(1), "{wrong:?}");
    assert!(
        wrong.stderr.contains("invalid email or password"),
        "{wrong:?}"
    );
    assert!(!saved_after_wrong);
    assert_eq!(login.code, Some(0), "{login:?}");
    assert_eq!(login.stderr, "Email: ");
    assert_eq!(
        login.stdout,
        format!("Signed in to {url}/ as {EMAIL} (Acme MSP).\n")
    );
    assert!(!saved.contains(PASSWORD));
    #[cfg(unix)]
    assert_eq!(mode & 0o777, 0o600);
    assert_eq!(listed, serde_json::json!({"data": []}));
    assert!(
        elsewhere.starts_with(&format!("error: the saved session is for {url}/")),
        "{elsewhere}"
    );
    assert_eq!(logout, format!("Signed out of {url}/.\n"));
    assert!(!kept_after_logout);
    assert!(after.contains("not signed in"), "{after}");
    assert_eq!(again, "Not signed in.\n");
    assert_eq!(
        expired,
        format!(
            "error: the saved session has expired or was signed out: run plumb login --server {url}/\n"
        )
    );
}

#[tokio::test]
async fn plumb_email_and_plumb_password_sign_each_command_in_without_a_saved_session() {
    let plumb = signed_out().await;
    let url = plumb.server.url.clone();
    let env = [("PLUMB_EMAIL", EMAIL), ("PLUMB_PASSWORD", PASSWORD)];

    let listed = plumb
        .run_with(&["tags", "list", "--server", &url], &env, "")
        .await;
    let no_server = plumb.run_with(&["tags", "list"], &env, "").await;
    let wrong = plumb
        .run_with(
            &["tags", "list", "--server", &url],
            &[
                ("PLUMB_EMAIL", EMAIL),
                ("PLUMB_PASSWORD", "wrong password!!"),
            ],
            "",
        )
        .await;

    assert_eq!(listed.code, Some(0), "{listed:?}");
    assert_eq!(listed.stdout, "No tags.\n");
    assert!(!plumb.credentials_file().exists());
    assert_eq!(no_server.code, Some(1), "{no_server:?}");
    assert!(
        no_server.stderr.contains("--server is required"),
        "{no_server:?}"
    );
    assert_eq!(wrong.code, Some(1), "{wrong:?}");
    assert!(
        wrong.stderr.contains("invalid email or password"),
        "{wrong:?}"
    );
}

#[tokio::test]
async fn a_server_error_exits_1_and_a_usage_error_exits_2_with_nothing_on_stdout() {
    let plumb = signed_in().await;
    let device = plumb.device("web-01").await;

    let not_found = plumb.fails(1, &["groups", "rename", "nope", "X"]).await;
    let refused = plumb.fails(1, &["groups", "create", ""]).await;
    let unreachable = plumb
        .run_with(
            &["automations", "list", "--server", "http://127.0.0.1:9"],
            &[("PLUMB_EMAIL", EMAIL), ("PLUMB_PASSWORD", PASSWORD)],
            "",
        )
        .await;
    let usage: [&[&str]; 8] = [
        &["frobnicate"],
        &["runs", "list"],
        &["devices", "edit", &device],
        &["users", "edit", "u1"],
        &["automations", "update", "a1"],
        &["automations", "create", "Nothing to run"],
        &[
            "automations",
            "create",
            "Both",
            "--script",
            "x",
            "--file",
            "y",
        ],
        &["alerts", "list", "--status", "open"],
    ];
    let mut usage_errors = Vec::new();
    for args in usage {
        usage_errors.push(plumb.fails(2, args).await);
    }

    assert!(
        not_found.starts_with("error: ") && not_found.contains("not found"),
        "{not_found}"
    );
    assert!(refused.starts_with("error: "), "{refused}");
    assert_eq!(unreachable.code, Some(1), "{unreachable:?}");
    assert!(
        unreachable
            .stderr
            .starts_with("error: could not reach http://127.0.0.1:9/"),
        "{unreachable:?}"
    );
    for stderr in &usage_errors {
        assert!(
            stderr.starts_with("error: ") && stderr.contains("--help"),
            "{stderr}"
        );
    }
    assert!(
        usage_errors[1].contains("--automation"),
        "{}",
        usage_errors[1]
    );
    assert!(
        usage_errors[2].contains("--nickname"),
        "{}",
        usage_errors[2]
    );
    // Nothing was changed by the refused edit.
    let devices = plumb.json(&["devices", "list"]).await;
    assert_eq!(devices["data"][0]["nickname"], serde_json::Value::Null);
}

#[test]
fn completions_are_printed_for_bash_zsh_and_fish_and_name_every_command() {
    for shell in ["bash", "zsh", "fish"] {
        let output = Process::new(env!("CARGO_BIN_EXE_plumb"))
            .args(["completions", shell])
            .output()
            .unwrap();
        let text = String::from_utf8(output.stdout).unwrap();
        assert_eq!(output.status.code(), Some(0), "{shell}");
        for command in [
            "login",
            "logout",
            "keys",
            "install-keys",
            "devices",
            "groups",
            "tags",
            "custom-fields",
            "alerts",
            "automations",
            "runs",
            "users",
            "activity",
            "add-trigger",
            "revoke",
        ] {
            assert!(text.contains(command), "{shell}: no {command}");
        }
    }
    let refused = Process::new(env!("CARGO_BIN_EXE_plumb"))
        .args(["completions", "tcsh"])
        .output()
        .unwrap();
    assert_eq!(refused.status.code(), Some(2));
    assert!(refused.stdout.is_empty());
}
