//! What the script commands write, met the way a person piping them meets it: a reader that
//! stops after one line, a disk that is full, and the log file. Each runs the real binary
//! against the real engine.

mod pty;
mod support;

use std::io::{BufRead, BufReader, Read};
use std::os::unix::fs::PermissionsExt;
use std::os::unix::process::CommandExt;
use std::process::{Command, Output, Stdio};

use bollard::models::{HostConfig, VolumeCreateRequest};
use support::Scenario;

/// Runs the dockdu binary (no shell) off the async workers.
async fn dockdu(command: Command) -> Output {
    let mut command = command;
    tokio::task::spawn_blocking(move || command.output().expect("cannot run dockdu"))
        .await
        .expect("the dockdu runner panicked")
}

fn dockdu_command(args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_dockdu"));
    command.args(args).stdin(Stdio::null());
    command
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reader_that_stops_after_one_line_ends_the_report_quietly_with_status_0() {
    let s = Scenario::new().await;
    // A report far bigger than a pipe's buffer (64 KiB): dockdu is still writing when the reader
    // goes, so the rest of its writes meet a closed pipe.
    let mut labels = s.labels();
    labels.insert("filler".to_owned(), "x".repeat(256 * 1024));
    let request =
        VolumeCreateRequest { name: Some(s.name("big")), labels: Some(labels), ..Default::default() };
    s.docker.create_volume(request).await.expect("creating the big volume");

    for args in [vec!["report", "--json"], vec!["report"]] {
        let shown = args.join(" ");
        let (first, status, stderr) = tokio::task::spawn_blocking(move || {
            let mut child = dockdu_command(&args)
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .expect("cannot run dockdu");
            let mut first = String::new();
            let stdout = child.stdout.take().expect("stdout is piped");
            BufReader::new(stdout).read_line(&mut first).expect("reading the first line");
            // The reader is dropped here: the pipe is closed, like `| head -1` exiting.
            let mut stderr = String::new();
            child.stderr.take().expect("stderr is piped").read_to_string(&mut stderr).expect("stderr");
            (first, child.wait().expect("waiting for dockdu"), stderr)
        })
        .await
        .expect("the reader panicked");
        assert!(!first.trim().is_empty(), "{shown}: no first line; stderr: {stderr}");
        assert_eq!(status.code(), Some(0), "{shown} into a closed pipe: {status:?}; stderr: {stderr}");
        assert!(!stderr.contains("panicked") && !stderr.contains("Broken pipe"), "{shown}: {stderr}");
        assert!(stderr.is_empty(), "{shown} ends quietly, but said: {stderr}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_report_into_a_full_disk_is_one_clear_line_and_status_1() {
    support::connect().await;
    for args in [["report", "--json"].as_slice(), ["report"].as_slice()] {
        let full = std::fs::OpenOptions::new().write(true).open("/dev/full").expect("opening /dev/full");
        let mut command = dockdu_command(args);
        command.stdout(full);
        let output = dockdu(command).await;
        let stderr = String::from_utf8_lossy(&output.stderr);
        let shown = args.join(" ");
        assert_eq!(output.status.code(), Some(1), "{shown} > /dev/full: {stderr}");
        assert_eq!(stderr.lines().count(), 1, "{shown}: not one line: {stderr:?}");
        assert!(
            stderr.starts_with("dockdu: cannot write the output: No space left on device"),
            "{shown}: {stderr:?}"
        );
        assert!(!stderr.contains("panicked"), "{shown}: {stderr:?}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_log_file_is_readable_by_its_owner_only_and_names_requests_without_their_bodies() {
    let s = Scenario::new().await;
    let name = s.name("logged");
    s.create_container("logged", &["true"], HostConfig::default()).await;
    let path = std::env::temp_dir().join(format!("{}.log", s.run_id));
    let log = path.to_string_lossy().into_owned();

    let mut command = dockdu_command(&["--log", &log, "report", "--json"]);
    // With the usual umask a file created without a mode would be 0644.
    // SAFETY: umask is async-signal-safe and touches nothing but the child's own mask.
    unsafe {
        command.pre_exec(|| {
            libc::umask(0o022);
            Ok(())
        });
    }
    let output = dockdu(command).await;
    let mode = std::fs::metadata(&path).map(|m| m.permissions().mode() & 0o777);
    let text = std::fs::read_to_string(&path).unwrap_or_default();
    let _ = std::fs::remove_file(&path);

    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    assert_eq!(mode.ok(), Some(0o600), "the log's mode");
    assert!(
        text.lines().any(|l| l.contains("/containers/json") && l.contains("status=200")),
        "requests are logged with their status:\n{text}"
    );
    // The container list's body holds `"Id":` and this container's name; the log holds neither.
    assert!(!text.contains("\"Id\":") && !text.contains(&name), "a response body in the log:\n{text}");
}

/// On a terminal `report` fits its width, cutting labels before names; piped, every row is whole.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn report_fits_a_terminals_width_names_first_and_writes_whole_rows_to_a_pipe() {
    let s = Scenario::new().await;
    let mut labels = s.labels();
    labels.insert("note".to_owned(), "a label long enough to push the row past eighty columns".to_owned());
    let name = s.name("a-volume-with-a-long-name");
    let request =
        VolumeCreateRequest { name: Some(name.clone()), labels: Some(labels), ..Default::default() };
    s.docker.create_volume(request).await.expect("creating the volume");

    let piped = dockdu(dockdu_command(&["report"])).await;
    let text = String::from_utf8_lossy(&piped.stdout);
    let row = text.lines().find(|l| l.contains(&name) && l.contains("note=")).expect("the volume's row");
    assert!(row.contains("past eighty columns"), "piped: the whole row: {row}");

    let screen = tokio::task::spawn_blocking(move || {
        let mut tty = pty::Pty::spawn(env!("CARGO_BIN_EXE_dockdu"), &["report"], 80, 200);
        tty.wait_exit(std::time::Duration::from_secs(60));
        tty.parser.screen().contents()
    })
    .await
    .expect("the pty");
    assert!(screen.lines().all(|l| dockdu::text::format::width(l) <= 80), "{screen}");
    // The volumes' row has more columns than 80 hold: the labels go first, cut with `…`.
    let listed = screen.lines().find(|l| l.contains(" local ")).unwrap_or_else(|| panic!("{screen}"));
    assert!(listed.ends_with('…') && !listed.contains("past eighty"), "{listed}");
    // The dangling volumes' row has room for the whole name once the other columns gave way.
    // Other tests run beside this one: this test's row is the one that starts with its run id.
    let ours = |l: &&str| l.contains(" named ") && l.contains(&s.run_id);
    let dangling = screen.lines().find(ours).unwrap_or_else(|| panic!("{screen}"));
    assert!(dangling.contains(&name), "the name whole: {dangling}");
}
