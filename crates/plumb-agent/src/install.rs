//! `plumb-agent install` and `uninstall`: run the agent as a systemd service.
//!
//! `install` enrolls the machine first unless it already is (so the same command can be run
//! again to repair the unit), writes `plumb-agent.service` into the unit directory (default
//! `/etc/systemd/system`) with this binary's path and the state directory, and asks systemd to
//! start it now and at every boot. `uninstall` stops and disables it and removes the unit; with
//! `--purge` it also deletes the state file (the device token). The unit directory and
//! `--no-start` let tests, images and containers without systemd use both commands.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, bail};

use crate::cli::{EnrollArgs, InstallArgs, StateDir, UninstallArgs};
use crate::enroll::enroll;
use crate::state;

/// The unit's file name.
pub const UNIT_NAME: &str = "plumb-agent.service";

/// Enrolls if needed, writes the unit and starts the service.
pub async fn install(args: &InstallArgs, out: &mut dyn Write) -> anyhow::Result<()> {
    let dir = &args.state.path;
    if state::path(dir).try_exists().unwrap_or(false) {
        let current = state::load(dir)?;
        writeln!(
            out,
            "already enrolled with {} as device {}",
            current.server, current.device_id
        )?;
    } else {
        let (Some(server), Some(install_key)) = (&args.server, &args.install_key) else {
            bail!(
                "this machine is not enrolled yet: pass --server URL and set PLUMB_INSTALL_KEY \
                 to an install key (plumbi_...)"
            );
        };
        let enroll_args = EnrollArgs {
            server: server.clone(),
            install_key: install_key.clone(),
            state: StateDir { path: dir.clone() },
            force: false,
        };
        enroll(&enroll_args, out).await?;
    }
    let exe = std::env::current_exe().context("could not find this program's own path")?;
    let unit = unit_text(&exe, dir, args.interval);
    let file = args.service.unit_dir.join(UNIT_NAME);
    fs::create_dir_all(&args.service.unit_dir)
        .with_context(|| format!("could not create {}", args.service.unit_dir.display()))?;
    fs::write(&file, unit).with_context(|| format!("could not write {}", file.display()))?;
    writeln!(out, "wrote {}", file.display())?;
    if args.service.no_start {
        writeln!(
            out,
            "not starting the service (--no-start); start it with `systemctl enable --now {UNIT_NAME}`"
        )?;
    } else if systemd_running() {
        systemctl(&["daemon-reload"])?;
        systemctl(&["enable", "--now", UNIT_NAME])?;
        writeln!(out, "started {UNIT_NAME}; it starts at every boot")?;
    } else {
        writeln!(
            out,
            "systemd is not running here: run `{} run` under your service manager",
            exe.display()
        )?;
    }
    Ok(())
}

/// Stops and removes the service, and with `--purge` the state file.
pub fn uninstall(args: &UninstallArgs, out: &mut dyn Write) -> anyhow::Result<()> {
    let file = args.service.unit_dir.join(UNIT_NAME);
    let present = file.try_exists().unwrap_or(false);
    if present && !args.service.no_start && systemd_running() {
        systemctl(&["disable", "--now", UNIT_NAME])?;
        writeln!(out, "stopped and disabled {UNIT_NAME}")?;
    }
    if present {
        fs::remove_file(&file).with_context(|| format!("could not remove {}", file.display()))?;
        writeln!(out, "removed {}", file.display())?;
        if !args.service.no_start && systemd_running() {
            systemctl(&["daemon-reload"])?;
        }
    } else {
        writeln!(
            out,
            "no service to remove ({} does not exist)",
            file.display()
        )?;
    }
    if args.purge {
        let state_file = state::path(&args.state.path);
        match fs::remove_file(&state_file) {
            Ok(()) => writeln!(
                out,
                "removed {}; delete the device in plumb too",
                state_file.display()
            )?,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {}
            Err(error) => {
                return Err(error)
                    .with_context(|| format!("could not remove {}", state_file.display()));
            }
        }
    }
    Ok(())
}

/// The unit: `plumb-agent run` with this state directory, restarted if it stops.
pub fn unit_text(exe: &Path, state_dir: &Path, interval: u32) -> String {
    format!(
        "[Unit]\n\
         Description=plumb agent: reports this device to plumb and runs its automations\n\
         Wants=network-online.target\n\
         After=network-online.target\n\
         \n\
         [Service]\n\
         ExecStart={} run --state-dir {} --interval {interval}\n\
         Restart=always\n\
         RestartSec=10\n\
         \n\
         [Install]\n\
         WantedBy=multi-user.target\n",
        quote(exe),
        quote(state_dir)
    )
}

/// A path for systemd's command line: quoted when it holds a space.
fn quote(path: &Path) -> String {
    let text = path.display().to_string();
    if text.contains(char::is_whitespace) {
        format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
    } else {
        text
    }
}

fn systemd_running() -> bool {
    PathBuf::from("/run/systemd/system").is_dir()
}

fn systemctl(args: &[&str]) -> anyhow::Result<()> {
    let status = Command::new("systemctl")
        .args(args)
        .status()
        .context("could not run systemctl")?;
    if !status.success() {
        bail!("systemctl {} failed ({status})", args.join(" "));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_unit_runs_this_binary_with_its_state_directory() {
        let unit = unit_text(
            Path::new("/usr/local/bin/plumb-agent"),
            Path::new("/var/lib/plumb agent"),
            60,
        );
        assert!(unit.contains(
            "ExecStart=/usr/local/bin/plumb-agent run --state-dir \"/var/lib/plumb agent\" --interval 60\n"
        ));
        assert!(unit.contains("WantedBy=multi-user.target"));
        assert!(unit.contains("Restart=always"));
    }
}
