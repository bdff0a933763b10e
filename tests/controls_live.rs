//! Container controls and logs against the real engine, each on labelled containers of its own
//! (network none, removed at the end whatever happens): every control changes the state as the
//! engine reports it, stop is allowed the container's stop timeout beyond the request bound,
//! `--read-only` refuses them all in the engine module, and a log is read through the engine:
//! the last lines, stderr apart, a terminal's raw bytes, new lines as they come, the end when the
//! container stops, picking up after a restart, and a driver that keeps nothing; the same through
//! a Podman service of the test's own.

mod support;

use std::time::{Duration, Instant};

use bollard::models::{ContainerCreateBody, HostConfig, HostConfigLogConfig};
use dockdu::engine::{Engine, LogFollow, Problem};
use dockdu::model::controls::Control;
use dockdu::model::logs::{LogLine, LogStream, LogsFrom, LogsUnreadable};
use support::Scenario;

/// The longest a line may take to arrive, or a state to show.
const LIMIT: Duration = Duration::from_secs(30);

/// A container that runs until stopped and ends at once on SIGTERM (its shell traps it), so a
/// stop does not wait out the stop timeout.
async fn long_running(s: &Scenario, role: &str) -> String {
    let script = "trap 'exit 0' TERM; while true; do sleep 0.1; done";
    s.create_container(role, &["sh", "-c", script], HostConfig::default()).await
}

/// The engine's own word for the container's state.
async fn state(s: &Scenario, id: &str) -> String {
    let inspect = s.inspect(id).await;
    let status = inspect.state.and_then(|state| state.status).map(|status| status.to_string());
    status.unwrap_or_default()
}

async fn control(engine: &Engine, s: &Scenario, id: &str, control: Control) {
    engine
        .control(id, &s.name("ctl"), control)
        .await
        .unwrap_or_else(|e| panic!("{} failed: {e}", control.verb()));
}

#[tokio::test(flavor = "multi_thread")]
async fn each_control_changes_the_state_as_the_engine_reports_it() {
    let s = Scenario::new().await;
    let id = long_running(&s, "ctl").await;
    let engine = support::engine();
    assert_eq!(state(&s, &id).await, "created");
    control(&engine, &s, &id, Control::Start).await;
    assert_eq!(state(&s, &id).await, "running");
    control(&engine, &s, &id, Control::Pause).await;
    assert_eq!(state(&s, &id).await, "paused");
    control(&engine, &s, &id, Control::Unpause).await;
    assert_eq!(state(&s, &id).await, "running");
    let started = s.inspect(&id).await.state.and_then(|state| state.started_at);
    control(&engine, &s, &id, Control::Restart).await;
    let restarted = s.inspect(&id).await.state.and_then(|state| state.started_at);
    assert_eq!(state(&s, &id).await, "running");
    assert_ne!(started, restarted, "a restart starts it anew");
    control(&engine, &s, &id, Control::Stop).await;
    assert_eq!(state(&s, &id).await, "exited");
    control(&engine, &s, &id, Control::Start).await;
    control(&engine, &s, &id, Control::Kill).await;
    let inspect = s.inspect(&id).await;
    let (status, code) = inspect.state.map(|st| (st.status.map(|x| x.to_string()), st.exit_code)).unwrap();
    assert_eq!((status.as_deref(), code), (Some("exited"), Some(137)), "SIGKILL: 128 + 9");
    // Pausing what is not running is the engine's refusal, whole.
    let refused = engine.control(&id, "ctl", Control::Pause).await.expect_err("pausing an exited container");
    assert!(matches!(refused.problem, Problem::Api(409 | 500)), "{refused}");
    assert!(refused.to_string().contains("is not running"), "{refused}");
}

#[tokio::test(flavor = "multi_thread")]
async fn stop_waits_out_the_containers_stop_timeout_beyond_the_request_bound() {
    let s = Scenario::new().await;
    // Ignores SIGTERM (a shell as process 1 without a trap): the engine kills it after 3 s.
    let body = ContainerCreateBody {
        cmd: Some(vec!["sleep".into(), "600".into()]),
        stop_timeout: Some(3),
        ..Default::default()
    };
    let id = s.create_container_with("stubborn", body).await;
    s.start(&id).await;
    // Every ordinary request is bounded at 1 s; this stop takes 3.
    let engine = support::engine().timeout(Duration::from_secs(1));
    let started = Instant::now();
    engine.control(&id, "stubborn", Control::Stop).await.expect("the stop is allowed its stop timeout");
    let took = started.elapsed();
    assert!(took >= Duration::from_millis(2500), "the engine waited its stop timeout: {took:?}");
    assert_eq!(state(&s, &id).await, "exited");
}

#[tokio::test(flavor = "multi_thread")]
async fn read_only_refuses_every_control_and_nothing_reaches_the_engine() {
    let s = Scenario::new().await;
    let id = long_running(&s, "kept").await;
    s.start(&id).await;
    let engine = support::engine().read_only(true);
    for each in
        [Control::Start, Control::Stop, Control::Restart, Control::Pause, Control::Unpause, Control::Kill]
    {
        let refused = engine.control(&id, "kept", each).await.expect_err("refused under --read-only");
        assert_eq!(refused.problem, Problem::ReadOnly, "{}: {refused}", each.verb());
    }
    assert_eq!(state(&s, &id).await, "running", "untouched");
    // Reading its log is not a write.
    assert!(engine.follow_logs(&id, &LogsFrom::Tail(10)).await.is_ok());
}

/// The next line, within the limit.
async fn next_line(log: &mut LogFollow) -> Option<LogLine> {
    match tokio::time::timeout(LIMIT, log.next()).await {
        Ok(Some(line)) => Some(line.expect("the log broke")),
        Ok(None) => None,
        Err(_) => panic!("no line within {LIMIT:?}"),
    }
}

/// Prints line-1…line-1500; once /tmp/err is there one line to stderr; once /tmp/go is there one
/// more line. The files order the streams: the engine copies stdout and stderr apart, so a
/// stderr line written at once could land anywhere among the stdout lines before it.
const NUMBERED: &str = "i=0; while [ $i -lt 1500 ]; do i=$((i+1)); echo line-$i; done; \
    while [ ! -e /tmp/err ]; do sleep 0.1; done; echo oops-on-stderr >&2; \
    while [ ! -e /tmp/go ]; do sleep 0.1; done; echo line-after-go; \
    trap 'exit 0' TERM; while true; do sleep 0.1; done";

#[tokio::test(flavor = "multi_thread")]
async fn a_log_gives_its_last_lines_then_new_ones_and_ends_when_the_container_stops() {
    let s = Scenario::new().await;
    let id = s.create_container("chatty", &["sh", "-c", NUMBERED], HostConfig::default()).await;
    s.start(&id).await;
    let engine = support::engine();
    // All 1,500 lines are in the log before the stderr line is asked for, and that one before
    // the tail is read.
    let mut first = engine.follow_logs(&id, &LogsFrom::Tail(2000)).await.expect("the log opens");
    while next_line(&mut first).await.expect("the container is still writing").text != "line-1500" {}
    s.put_file(&id, "/tmp", "err", 0).await;
    while next_line(&mut first).await.expect("the stderr line").text != "oops-on-stderr" {}
    drop(first);

    let mut log = engine.follow_logs(&id, &LogsFrom::Tail(1000)).await.expect("the log opens");
    let mut tail = Vec::new();
    while tail.len() < 1000 {
        tail.push(next_line(&mut log).await.expect("a line"));
    }
    let texts: Vec<&str> = tail.iter().map(|l| l.text.as_str()).collect();
    assert_eq!((texts[0], texts[998]), ("line-502", "line-1500"), "the last 1,000 lines, newest last");
    let last = &tail[999];
    assert_eq!(
        (last.stream, last.text.as_str()),
        (LogStream::Stderr, "oops-on-stderr"),
        "without its newline"
    );
    assert!(tail[..999].iter().all(|l| l.stream == LogStream::Stdout));
    assert!(tail.iter().all(|l| l.timestamp.is_some()), "each line carries the engine's time");

    // Following: a line written now arrives on the open log.
    s.put_file(&id, "/tmp", "go", 0).await;
    let line = next_line(&mut log).await.expect("the new line");
    assert_eq!((line.stream, line.text.as_str()), (LogStream::Stdout, "line-after-go"));

    // Picking up after it: nothing shown twice.
    let mut after = engine.follow_logs(&id, &LogsFrom::After(line.timestamp.clone().unwrap())).await.unwrap();
    s.stop(&id).await;
    assert_eq!(next_line(&mut log).await, None, "the engine ends the log when the container stops");
    assert_eq!(next_line(&mut after).await, None, "nothing after the last line shown");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_terminals_log_comes_as_lines_without_carriage_returns() {
    let s = Scenario::new().await;
    let body = ContainerCreateBody {
        cmd: Some(vec!["sh".into(), "-c".into(), "echo one; echo two >&2; printf 'a\\tb\\n'".into()]),
        tty: Some(true),
        ..Default::default()
    };
    let id = s.create_container_with("tty", body).await;
    s.start(&id).await;
    s.wait_exit(&id).await;
    let mut log = support::engine().follow_logs(&id, &LogsFrom::Tail(1000)).await.expect("the log opens");
    let mut lines = Vec::new();
    while let Some(line) = next_line(&mut log).await {
        lines.push((line.stream, line.text));
    }
    let terminal = |t: &str| (LogStream::Terminal, t.to_owned());
    assert_eq!(lines, [terminal("one"), terminal("two"), terminal("a\tb")]);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_driver_that_keeps_nothing_is_named() {
    let s = Scenario::new().await;
    let host_config = HostConfig {
        log_config: Some(HostConfigLogConfig { typ: Some("none".into()), config: None }),
        ..Default::default()
    };
    let id = s.create_container("silent", &["sleep", "600"], host_config).await;
    s.start(&id).await;
    let refused = support::engine().follow_logs(&id, &LogsFrom::Tail(1000)).await.err();
    let Some(LogsUnreadable::NotKept { driver, detail }) = refused else {
        panic!("a log was opened, or failed otherwise")
    };
    assert_eq!(driver.as_deref(), Some("none"));
    assert!(detail.contains("does not support reading"), "the engine's words: {detail}");
}

/// The same log and controls through Podman's Docker-compatible service: its own frames, its own
/// logging (k8s-file), its own words for a driver that keeps nothing ("this container is using
/// the 'none' log driver, cannot read logs").
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn on_podman_a_log_reads_and_the_controls_work() {
    let podman = support::podman::Podman::start(&support::new_run_id());
    let name = podman.name("talk");
    let script = "echo out-1; echo err-1 >&2; echo out-2; trap 'exit 0' TERM; while true; do sleep 0.1; done";
    let (label, image) = (podman.label(), podman.image.clone());
    let common = ["--label", &label, "--network", "none"];
    podman.run(&[&["run", "-d", "--name", &name][..], &common, &[&image, "sh", "-c", script]].concat());
    let host = podman.host();
    let choice = dockdu::engine::HostChoice {
        flag: Some(&host),
        default_host: dockdu::engine::DEFAULT_HOST,
        ..Default::default()
    };
    let engine = Engine::new(&choice).expect("a client for podman");
    engine.negotiate().await.expect("podman answers");

    let mut log = engine.follow_logs(&name, &LogsFrom::Tail(1000)).await.expect("the log opens");
    let mut lines = Vec::new();
    while lines.len() < 3 {
        let line = next_line(&mut log).await.expect("a line");
        lines.push((line.stream, line.text));
    }
    lines.sort_by_key(|(_, text)| text.clone());
    assert_eq!(
        lines,
        [
            (LogStream::Stderr, "err-1".to_owned()),
            (LogStream::Stdout, "out-1".to_owned()),
            (LogStream::Stdout, "out-2".to_owned())
        ]
    );
    for each in [Control::Stop, Control::Start, Control::Restart, Control::Kill] {
        engine.control(&name, &name, each).await.unwrap_or_else(|e| panic!("{}: {e}", each.verb()));
    }
    let state = podman.run(&["inspect", "--format", "{{.State.Status}}", &name]);
    assert_eq!(state, "exited", "killed");

    let silent = podman.name("silent");
    let none = ["run", "-d", "--name", &silent, "--log-driver", "none"];
    podman.run(&[&none[..], &common, &[&image, "sleep", "600"]].concat());
    match engine.follow_logs(&silent, &LogsFrom::Tail(1000)).await {
        Err(LogsUnreadable::NotKept { driver, .. }) => assert_eq!(driver.as_deref(), Some("none")),
        Err(other) => panic!("{other:?}"),
        Ok(mut log) => {
            panic!("a log opened: {:?}", tokio::time::timeout(Duration::from_secs(2), log.next()).await)
        }
    }
}
