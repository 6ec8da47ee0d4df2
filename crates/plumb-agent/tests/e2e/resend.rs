//! A run report the server was not there to receive is kept by the running agent and sent at
//! the start of its next cycle.

use serde_json::json;

use crate::automations::{run_with_steps, trigger_run};
use crate::daemon::Daemon;
use crate::harness::{Server, enrolled_agent};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_report_the_server_missed_is_sent_again_at_the_next_check_in() {
    let mut server = Server::start().await;
    let (state, device_id) = enrolled_agent(&server).await;
    let steps = json!([
        {"name": "Slow", "shell": "sh", "script": "sleep 4; echo slow-step-done"},
    ]);
    let run_id = trigger_run(&server, &device_id, steps).await;
    let mut daemon = Daemon::start(state.path());

    // The server goes away while the step runs, and comes back before the next check-in.
    daemon.wait_for("checked in; 1 run(s)").await;
    server.stop().await;
    daemon
        .wait_for("warning: 1 run report(s) not delivered")
        .await;
    let while_away = run_with_steps_after_restart(&mut server, &run_id).await;
    daemon.wait_for("checked in; 0 run(s)").await;
    let run = run_with_steps(&server, &run_id).await;
    let (status, lines) = daemon.terminate().await;

    assert_eq!(while_away["status"], "running", "{while_away}");
    assert_eq!(run["status"], "success", "{run}");
    let output = run["steps"][0]["output"].as_str().unwrap();
    assert!(output.contains("slow-step-done"), "{run}");
    assert!(
        lines.iter().any(|line| line.contains("kept to send again")),
        "{lines:#?}"
    );
    assert!(status.success(), "{status}: {lines:#?}");
}

async fn run_with_steps_after_restart(server: &mut Server, run_id: &str) -> serde_json::Value {
    server.restart().await;
    run_with_steps(server, run_id).await
}
