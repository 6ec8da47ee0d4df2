//! The state file: where it goes, who may read it, and the errors around it.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "tests panic on broken fixtures"
)]

use plumb_agent::secret::Secret;
use plumb_agent::state::{self, AgentState};

const TOKEN: &str = "plumbd_q8XkT3vRz1LmN6bWc9YfH2jP5sD7gA0e4Jx2Kd";

fn sample() -> AgentState {
    AgentState {
        server: "https://rmm.example.com".to_owned(),
        device_id: "dev_01".to_owned(),
        device_token: Secret::new(TOKEN),
    }
}

#[test]
fn saved_state_reads_back_the_same() {
    let dir = tempfile::tempdir().unwrap();
    state::save(dir.path(), &sample()).unwrap();
    assert_eq!(state::load(dir.path()).unwrap(), sample());
}

#[cfg(unix)]
#[test]
fn the_state_file_is_readable_by_its_owner_only_in_a_private_new_directory() {
    use std::os::unix::fs::PermissionsExt;
    let parent = tempfile::tempdir().unwrap();
    let dir = parent.path().join("var/lib/plumb-agent");
    state::save(&dir, &sample()).unwrap();
    let file_mode = std::fs::metadata(state::path(&dir))
        .unwrap()
        .permissions()
        .mode();
    let dir_mode = std::fs::metadata(&dir).unwrap().permissions().mode();
    assert_eq!(file_mode & 0o777, 0o600, "file mode {file_mode:o}");
    assert_eq!(dir_mode & 0o777, 0o700, "directory mode {dir_mode:o}");
}

#[test]
fn saving_again_replaces_the_file_and_leaves_no_temporary_file() {
    let dir = tempfile::tempdir().unwrap();
    state::save(dir.path(), &sample()).unwrap();
    let mut second = sample();
    second.device_id = "dev_02".to_owned();
    state::save(dir.path(), &second).unwrap();
    assert_eq!(state::load(dir.path()).unwrap().device_id, "dev_02");
    let names: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|entry| entry.unwrap().file_name().into_string().unwrap())
        .collect();
    assert_eq!(names, ["agent.json"]);
}

#[test]
fn a_missing_state_file_says_the_machine_is_not_enrolled_and_how_to_enroll() {
    let dir = tempfile::tempdir().unwrap();
    let error = format!("{:#}", state::load(dir.path()).unwrap_err());
    assert!(error.contains("not enrolled"), "{error}");
    assert!(error.contains("plumb-agent enroll"), "{error}");
    assert!(error.contains(&dir.path().display().to_string()), "{error}");
}

#[test]
fn a_damaged_state_file_is_named_without_echoing_its_content() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        state::path(dir.path()),
        format!("{{\"device_token\": \"{TOKEN}\""),
    )
    .unwrap();
    let error = format!("{:#}", state::load(dir.path()).unwrap_err());
    assert!(error.contains("not a valid agent state file"), "{error}");
    assert!(!error.contains(TOKEN), "{error}");
}

#[test]
fn an_enrolled_machine_is_not_enrolled_again_without_force() {
    let dir = tempfile::tempdir().unwrap();
    state::check_not_enrolled(dir.path(), false).unwrap();
    state::save(dir.path(), &sample()).unwrap();
    let error = state::check_not_enrolled(dir.path(), false)
        .unwrap_err()
        .to_string();
    assert!(
        error.contains("already enrolled as device dev_01"),
        "{error}"
    );
    assert!(error.contains("--force"), "{error}");
    state::check_not_enrolled(dir.path(), true).unwrap();
}

#[test]
fn debug_of_the_state_masks_the_device_token() {
    let printed = format!("{:?}", sample());
    assert!(printed.contains("dev_01"), "{printed}");
    assert!(!printed.contains(&TOKEN[7..]), "{printed}");
}

#[cfg(unix)]
#[test]
fn a_state_file_others_can_read_is_made_private_again_and_the_agent_says_so() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    state::save(dir.path(), &sample()).unwrap();
    let file = state::path(dir.path());
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644)).unwrap();
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o777)).unwrap();

    let repaired = state::make_private(dir.path()).unwrap();

    assert_eq!(repaired.len(), 2, "{repaired:?}");
    assert!(
        repaired[0].contains("readable by other users"),
        "{}",
        repaired[0]
    );
    assert!(repaired[0].contains("mode 644"), "{}", repaired[0]);
    assert!(
        repaired[1].contains("writable by other users"),
        "{}",
        repaired[1]
    );
    let file_mode = std::fs::metadata(&file).unwrap().permissions().mode();
    let dir_mode = std::fs::metadata(dir.path()).unwrap().permissions().mode();
    assert_eq!(file_mode & 0o777, 0o600);
    assert_eq!(dir_mode & 0o777, 0o700);
    assert_eq!(state::load(dir.path()).unwrap(), sample());
    assert!(state::make_private(dir.path()).unwrap().is_empty());
}
