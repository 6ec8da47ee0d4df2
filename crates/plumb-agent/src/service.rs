//! `plumb-agent run`: check in every interval, execute the runs the server sends, report them.
//!
//! One cycle: send any run report a previous cycle could not deliver, collect the inventory,
//! check in (only the digests while the inventory is the one the server holds,
//! [`crate::checkin`]), then for each run execute its steps in order ([`runner::run_steps`])
//! and report it. A `401` on any call ends the agent ([`DeviceTokenInvalid`]); any other failure is
//! printed and the next cycle tries again (`--once`: the command fails). Reports the server
//! could not be reached for are kept in memory and sent again first thing next cycle.

use std::io::Write;
use std::time::Duration;

use anyhow::{Context, anyhow};
use plumb_proto::agent::RunReport;
use plumb_proto::inventory::Inventory;
use plumb_proto::v2::RunStatus;

use crate::checkin::{DigestCheckins, Sent};
use crate::cli::RunArgs;
use crate::client::{AgentClient, ClientError};
use crate::signal::StopSignal;
use crate::state::{self, AgentState};
use crate::{collect, runner};

/// The server refused the device token: the device was deleted or its token revoked. Checking
/// in again cannot help, so the agent stops.
#[derive(Debug, thiserror::Error)]
#[error(
    "the device token is no longer valid (the server says: {0}): this device was deleted on the \
     server or its token was revoked; enroll it again with `plumb-agent enroll --force`"
)]
pub struct DeviceTokenInvalid(String);

/// Runs the agent: one cycle with `--once`, else a cycle every interval until a stop signal.
pub async fn run(args: &RunArgs, out: &mut dyn Write) -> anyhow::Result<()> {
    let state = state::load(&args.state.path)?;
    let mut agent = Agent::new(state, args.interval)?;
    if args.once {
        return agent.cycle(out).await;
    }
    let mut stop = StopSignal::install().context("could not listen for stop signals")?;
    writeln!(
        out,
        "checking in with {} every {} s as device {}",
        agent.state.server, agent.interval, agent.state.device_id
    )?;
    loop {
        if let Err(error) = agent.cycle(out).await {
            if error.is::<DeviceTokenInvalid>() {
                return Err(error);
            }
            eprintln!("warning: {error:#}; trying again in {} s", agent.interval);
        }
        tokio::select! {
            () = tokio::time::sleep(Duration::from_secs(u64::from(agent.interval))) => {}
            () = stop.received() => {
                writeln!(out, "stop signal received; stopping")?;
                return Ok(());
            }
        }
    }
}

/// The agent's state between cycles.
#[derive(Debug)]
pub struct Agent {
    client: AgentClient,
    state: AgentState,
    interval: u32,
    /// Reports not delivered yet: (run id, report).
    unreported: Vec<(String, RunReport)>,
    /// The digests of the inventory the server holds.
    checkins: DigestCheckins,
}

impl Agent {
    /// An agent for the enrolled device in `state`, checking in every `interval` seconds.
    pub fn new(state: AgentState, interval: u32) -> anyhow::Result<Self> {
        Ok(Self {
            client: AgentClient::new(&state.server)?,
            state,
            interval,
            unreported: Vec::new(),
            checkins: DigestCheckins::default(),
        })
    }

    /// One check-in with everything it brings (see the module docs).
    pub async fn cycle(&mut self, out: &mut dyn Write) -> anyhow::Result<()> {
        self.send_reports().await?;
        let inventory = collect_inventory().await?;
        let (response, sent) = self
            .checkins
            .check_in(
                &self.client,
                &self.state.device_token,
                inventory,
                self.interval,
            )
            .await
            .map_err(|error| fatal_or(error, "check-in failed"))?;
        let how = match sent {
            Sent::Digest => "inventory unchanged, digest sent",
            Sent::Full => "full inventory sent",
            Sent::DigestThenFull => "full inventory sent at the server's request",
        };
        writeln!(
            out,
            "checked in; {} run(s) to execute ({how})",
            response.runs.len()
        )?;
        for run in response.runs {
            let steps = run.steps;
            let report = tokio::task::spawn_blocking(move || runner::run_steps(&steps))
                .await
                .context("the step runner panicked")?;
            writeln!(
                out,
                "run {} ({}): {}, {} step(s) executed",
                run.id,
                run.automation_name,
                status_name(report.status),
                report.steps.len()
            )?;
            self.unreported.push((run.id, report));
        }
        self.send_reports().await
    }

    /// Sends every pending report. Unreachable server or a 5xx: kept for the next cycle. Any
    /// other refusal (the run is not this device's, or was already reported): dropped.
    async fn send_reports(&mut self) -> anyhow::Result<()> {
        let mut failures = Vec::new();
        for (id, report) in std::mem::take(&mut self.unreported) {
            let error = match self
                .client
                .report(&self.state.device_token, &id, &report)
                .await
            {
                Ok(()) => continue,
                Err(error @ ClientError::Unauthorized { .. }) => {
                    return Err(fatal_or(error, "report failed"));
                }
                Err(error) => error,
            };
            let retry = match &error {
                ClientError::Refused { status, .. } => status.is_server_error(),
                _ => true,
            };
            let fate = if retry {
                "kept to send again"
            } else {
                "dropped"
            };
            failures.push(format!("run {id}: {error} ({fate})"));
            if retry {
                self.unreported.push((id, report));
            }
        }
        if failures.is_empty() {
            return Ok(());
        }
        Err(anyhow!(
            "{} run report(s) not delivered: {}",
            failures.len(),
            failures.join("; ")
        ))
    }
}

/// Collects the inventory on a blocking thread (it reads files and runs `apt`).
pub async fn collect_inventory() -> anyhow::Result<Inventory> {
    tokio::task::spawn_blocking(collect::inventory)
        .await
        .context("collecting the inventory panicked")
}

/// A 401 becomes [`DeviceTokenInvalid`]; anything else gets `context`.
fn fatal_or(error: ClientError, context: &'static str) -> anyhow::Error {
    match error {
        ClientError::Unauthorized { message } => DeviceTokenInvalid(message).into(),
        other => anyhow::Error::new(other).context(context),
    }
}

/// The wire name of a status (`success`, `warning`, ...).
fn status_name(status: RunStatus) -> String {
    match serde_json::to_value(status) {
        Ok(serde_json::Value::String(name)) => name,
        _ => format!("{status:?}"),
    }
}
