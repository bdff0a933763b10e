//! Every engine the user has, on real peers started here on loopback and torn down on failure
//! too: docker contexts made by the real docker CLI in a temporary DOCKER_CONFIG, a mutual-TLS
//! relay (stunnel), sshd with a key made here, and a Podman service with storage of its own. Each
//! peer is reached by `report --json` and watched live through dockdu; the explorer switches
//! engines with `E` and comes back with `-`; `report --all-contexts` reports them side by side.

mod pty;
mod support;

use std::ffi::OsString;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::process::{Command, Stdio};
use std::time::Duration;

use bollard::models::HostConfig;
use serde_json::Value;

use dockdu::engine::contexts::context_id;
use dockdu::engine::{ChangeAction, ChangeKind, Engine, Settings, DEFAULT_HOST};
use support::docker_config::DockerConfig;
use support::podman::Podman;
use support::process::{run_bounded, without_docker_env, Run, TempDir, DOCKDU_RUN};
use support::relay::Relay;
use support::sshd::Sshd;
use support::tls::{MutualTlsRelay, Pki};
use support::Scenario;

const SCREEN_LIMIT: Duration = Duration::from_secs(30);
const EVENT_LIMIT: Duration = Duration::from_secs(20);
const DOCKDU: &str = env!("CARGO_BIN_EXE_dockdu");

/// dockdu with `args`, its own HOME and DOCKER_CONFIG unless `env` gives them, no Docker variable
/// of the caller's; bounded in time.
async fn dockdu(args: &[&str], env: &[(&str, OsString)]) -> Run {
    dockdu_within(args, env, DOCKDU_RUN).await
}

/// As `dockdu`, allowed `limit`.
async fn dockdu_within(args: &[&str], env: &[(&str, OsString)], limit: Duration) -> Run {
    let home = TempDir::new("home");
    let mut command = Command::new(DOCKDU);
    without_docker_env(&mut command)
        .args(args)
        .env("HOME", home.path())
        .env("DOCKER_CONFIG", home.sub("docker-config"))
        .envs(env.iter().map(|(k, v)| (k, v)))
        .stdin(Stdio::null());
    let run = run_bounded(command, home.path().to_owned(), limit).await;
    drop(home);
    run
}

fn report_json(run: &Run) -> Value {
    assert!(run.status.success(), "dockdu failed: {}", run.stderr);
    serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("not JSON ({e}): {}", run.stdout))
}

fn has_volume(report: &Value, name: &str) -> bool {
    report["volumes"].as_array().is_some_and(|volumes| volumes.iter().any(|v| v["name"] == name))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_docker_clis_current_context_or_docker_context_chooses_the_engine_and_is_named() {
    let s = Scenario::new().await;
    let volume = s.create_volume("by-context").await;
    let relay = Relay::tcp().await;
    let config = DockerConfig::new();
    config.create_context("relay", &format!("host={}", relay.host()));
    config.use_context("relay");

    let report = report_json(&dockdu(&["report", "--json"], &config.env()).await);
    assert_eq!(
        (report["engine"]["context"].as_str(), report["engine"]["host"].as_str()),
        (Some("relay"), Some(relay.host().as_str()))
    );
    assert!(has_volume(&report, &volume), "{volume} missing from the relay context's report");
    let text = dockdu(&["report"], &config.env()).await;
    let first = text.stdout.lines().next().unwrap_or_default().to_owned();
    assert!(first.starts_with(&format!("{} · context relay · Docker Engine", relay.host())), "{first}");

    let mut default = config.env();
    default.push(("DOCKER_CONTEXT", "default".into()));
    let report = report_json(&dockdu(&["report", "--json"], &default).await);
    assert_eq!(report["engine"]["context"], "default", "DOCKER_CONTEXT wins over the current context");
    assert_eq!(report["engine"]["host"], support::docker_host());
}

/// The group of the engine's socket: a user in it reaches the engine.
fn socket_group() -> u32 {
    let host = support::docker_host();
    let socket = host.strip_prefix("unix://").unwrap_or(&host);
    std::fs::metadata(socket).expect("the engine's socket").gid()
}

/// dockdu as another user (nobody, in the engine socket's group, as `sudo -u` or a service account
/// runs it), with `env`, no Docker variable of the caller's; bounded in time.
async fn dockdu_as_another_user(args: &[&str], env: &[(&str, OsString)]) -> Run {
    let outputs = TempDir::new("another-user");
    let mut command = Command::new("setpriv");
    command.args(["--reuid=65534", &format!("--regid={}", socket_group()), "--clear-groups", DOCKDU]);
    without_docker_env(&mut command).args(args).envs(env.iter().map(|(k, v)| (k, v))).stdin(Stdio::null());
    run_bounded(command, outputs.path().to_owned(), DOCKDU_RUN).await
}

/// `disk --json` where the root cannot be read here: why, in words, and the engine's own counts,
/// with no part and no total (status 0: it answered what it could).
fn assert_disk_unreadable(run: &Run, why: &str) {
    assert_eq!(run.status.code(), Some(0), "{}", run.stderr);
    let disk: Value = serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("{e}: {}", run.stdout));
    let unreadable = disk["unreadable"].as_str().unwrap_or_default();
    assert!(unreadable.contains(why), "{disk:#}");
    assert!(disk["root"]["total"].is_null() && disk["parts"] == serde_json::json!([]), "{disk:#}");
    assert!(disk["engine_counts"]["volumes_size"].is_u64(), "the engine's own counts: {disk:#}");
}

/// A member of the docker group reaches the socket but not the engine's files (`0710 root`):
/// the root is not reconciled, and no log size is guessed.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn as_a_docker_group_user_disk_says_the_root_is_closed_and_log_sizes_are_unknown() {
    let s = Scenario::new().await;
    let logger = s.run_to_exit("logger", &["sh", "-c", "echo a line"], HostConfig::default()).await;
    let env = [("HOME", OsString::from("/nonexistent"))];
    assert_disk_unreadable(&dockdu_as_another_user(&["disk", "--json"], &env).await, "run as root");

    let report = report_json(&dockdu_as_another_user(&["report", "--json"], &env).await);
    let containers = report["containers"].as_array().expect("containers");
    let c = containers.iter().find(|c| c["id"] == logger.as_str()).expect("the logger");
    assert!(c["logs"]["size"].is_null(), "{c}");
    assert!(c["logs"]["size_unknown"].as_str().is_some_and(|why| !why.is_empty()), "{c}");
}

/// `sudo -u`, `setpriv` and service accounts keep a HOME the user cannot read. As the docker CLI
/// does, dockdu warns that it cannot load the config file and goes on with its defaults; only a
/// context named by `--context` or `DOCKER_CONTEXT` must be read.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unreadable_docker_config_is_a_warning_and_only_a_context_named_by_the_user_must_be_read() {
    support::connect().await;
    let config = DockerConfig::new();
    config.create_context("here", &format!("host={}", support::docker_host()));
    config.use_context("here");
    // HOME and DOCKER_CONFIG inside a folder only root can enter.
    std::fs::set_permissions(config.dir.path(), std::fs::Permissions::from_mode(0o700)).expect("chmod");
    let config_file = config.path().join("config.json");

    let run = dockdu_as_another_user(&["report", "--json"], &config.env()).await;
    assert_eq!(run.status.code(), Some(0), "{}", run.stderr);
    let report = report_json(&run);
    assert_eq!(report["engine"]["context"], "default", "config.json unread: the default context");
    let warning = format!(
        "dockdu: WARNING: Error loading config file: cannot read {}: Permission denied",
        config_file.display()
    );
    assert!(run.stderr.starts_with(&warning) && run.stderr.lines().count() == 1, "{}", run.stderr);

    // The explorer starts too; its screen is its own, the warning stays on the one it left.
    let (env, socket_group) = (config.env(), socket_group());
    let person = tokio::task::spawn_blocking(move || {
        let env: Vec<(&str, &std::ffi::OsStr)> = env.iter().map(|(k, v)| (*k, v.as_os_str())).collect();
        let user = ["--reuid=65534", &format!("--regid={socket_group}"), "--clear-groups", DOCKDU];
        let mut tui = pty::Pty::spawn_env("setpriv", &user, &env, 140, 40);
        tui.wait_for("the explorer connected on the default context", SCREEN_LIMIT, |s| {
            let header = s.contents().lines().next().unwrap_or_default().to_owned();
            s.alternate_screen() && header.contains("context default · unix://") && header.contains("● live")
        });
        let explorer = tui.parser.screen().contents();
        tui.send(b"q");
        let exit = tui.wait_exit(SCREEN_LIMIT);
        tui.wait_for("the terminal given back", SCREEN_LIMIT, |s| !s.alternate_screen());
        (exit, explorer, tui.parser.screen().contents())
    });
    let (exit, explorer, after) =
        person.await.unwrap_or_else(|panic| std::panic::resume_unwind(panic.into_panic()));
    assert_eq!(exit, Some(0), "{after}");
    assert!(!explorer.contains("WARNING"), "the explorer's screen is its own:\n{explorer}");
    assert!(after.starts_with(&warning), "said before the explorer, and still there:\n{after}");

    let docker_context = [config.env(), vec![("DOCKER_CONTEXT", "here".into())]].concat();
    for (args, env) in [
        (&["--context", "here", "report", "--json"][..], config.env()),
        (&["report", "--json"][..], docker_context),
    ] {
        let run = dockdu_as_another_user(args, &env).await;
        assert_eq!(
            run.status.code(),
            Some(2),
            "a named context that cannot be read is refused: {}",
            run.stderr
        );
        assert!(run.stdout.is_empty(), "{}", run.stdout);
        let meta = config.path().join("contexts/meta").join(context_id("here")).join("meta.json");
        let refusal = format!("context here: cannot read {}: Permission denied", meta.display());
        assert!(run.stderr.lines().last().is_some_and(|l| l.contains(&refusal)), "{args:?}: {}", run.stderr);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn as_a_docker_cli_plugin_it_shows_in_docker_help_and_takes_the_clis_global_options() {
    let s = Scenario::new().await;
    let volume = s.create_volume("plugin").await;
    let relay = Relay::tcp().await;
    let config = DockerConfig::new();
    config.create_context("relay", &format!("host={}", relay.host()));
    config.install_plugin(std::path::Path::new(DOCKDU));

    let help = String::from_utf8_lossy(&config.docker(&["--help"]).stdout).into_owned();
    assert!(
        help.lines().any(|l| l.trim_start().starts_with("dockdu") && l.contains("Docker disk")),
        "{help}"
    );

    let output = config.docker(&["--context", "relay", "dockdu", "report", "--json"]);
    let report: Value = serde_json::from_slice(&output.stdout).expect("report JSON through docker");
    assert_eq!(report["engine"]["context"], "relay");
    assert!(has_volume(&report, &volume));
    let output = config.docker(&["-H", &relay.host(), "dockdu", "report", "--json"]);
    let report: Value = serde_json::from_slice(&output.stdout).expect("report JSON through docker -H");
    assert_eq!(
        (report["engine"]["context"].as_str(), report["engine"]["host"].as_str()),
        (Some("default"), Some(relay.host().as_str()))
    );
}

/// Waits for a volume change about `name` on `engine`'s event stream.
async fn volume_change(
    engine: &Engine,
    events: &mut dockdu::engine::Events,
    action: ChangeAction,
    name: &str,
) {
    let seen = tokio::time::timeout(EVENT_LIMIT, async {
        while let Some(change) = events.next().await {
            let change =
                change.unwrap_or_else(|e| panic!("the event stream of {} broke: {e}", engine.host()));
            if change.kind == ChangeKind::Volume
                && change.action == action
                && (change.id == name || change.id.is_empty())
            {
                return true;
            }
        }
        false
    });
    assert!(
        seen.await.unwrap_or(false),
        "no volume {action:?} event for {name} from {} within {EVENT_LIMIT:?}",
        engine.host()
    );
}

fn settings_for(config: &DockerConfig, context: &str) -> Settings {
    Settings {
        context_flag: Some(context.to_owned()),
        config_dir: config.path(),
        default_host: DEFAULT_HOST.to_owned(),
        ..Default::default()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_context_with_tls_material_reports_and_streams_events_through_the_mutual_tls_relay() {
    let s = Scenario::new().await;
    let volume = s.create_volume("over-tls").await;
    let pki = Pki::new();
    let relay = MutualTlsRelay::start(&pki);
    let config = DockerConfig::new();
    let client = pki.cert_dir("client");
    let file = |name: &str| client.join(name).display().to_string();
    let spec = format!(
        "host={},ca={},cert={},key={}",
        relay.host(),
        file("ca.pem"),
        file("cert.pem"),
        file("key.pem")
    );
    config.create_context("tls", &spec);

    let run = dockdu(&["--context", "tls", "report", "--json"], &config.env()).await;
    let report = report_json(&run);
    assert_eq!(report["engine"]["context"], "tls", "relay log:\n{}", relay.log());
    assert_eq!(report["engine"]["tls_unverified"], false, "verified with the context's own ca.pem");
    assert!(has_volume(&report, &volume));

    let target = settings_for(&config, "tls").target().expect("the tls context");
    let engine = Engine::connect(&target, Duration::from_secs(10)).expect("an engine for the tls context");
    engine.negotiate().await.expect("negotiating over TLS");
    let mut events = engine.events().await.expect("the event stream over TLS");
    let live = s.create_volume("live-over-tls").await;
    volume_change(&engine, &mut events, ChangeAction::Create, &live).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn over_ssh_it_reports_leaves_remote_binds_unknown_and_no_ssh_outlives_it() {
    let s = Scenario::new().await;
    let volume = s.create_volume("over-ssh").await;
    let bound = s.host_dir("bound");
    let binds = HostConfig { binds: Some(vec![format!("{}:/b", bound.display())]), ..Default::default() };
    let container = s.create_container("binder", &["true"], binds).await;
    let sshd = Sshd::start();
    let host = sshd.host();

    let run = dockdu(&["--host", &host, "report", "--json"], &sshd.client_env()).await;
    assert!(run.status.success(), "{}\nsshd log:\n{}", run.stderr, sshd.log());
    let report = report_json(&run);
    assert_eq!(report["engine"]["host"], host.as_str());
    assert!(has_volume(&report, &volume));
    let bind = report["bind_mounts"]
        .as_array()
        .and_then(|b| b.iter().find(|b| b["container_id"] == container.as_str()));
    let bind = bind.expect("the bind mount is listed over ssh");
    assert!(bind["source_exists"].is_null(), "a remote engine's host path is not probed here: {bind}");
    assert!(sshd.clients_left().is_empty(), "ssh outlived dockdu: {:?}", sshd.clients_left());
    // The engine's files are on its own machine: no log size, no root walked here.
    let listed =
        report["containers"].as_array().and_then(|c| c.iter().find(|c| c["id"] == container.as_str()));
    let logs = &listed.expect("the container")["logs"];
    assert!(logs["size"].is_null(), "{logs}");
    assert_eq!(logs["size_unknown"], "the engine's files are on another machine", "{logs}");
    let disk = dockdu(&["--host", &host, "disk", "--json"], &sshd.client_env()).await;
    assert_disk_unreadable(&disk, "on another machine");

    sshd.forget_client_key();
    let refused = dockdu(&["--host", &host, "--timeout", "5", "report"], &sshd.client_env()).await;
    assert_eq!(refused.status.code(), Some(1), "{}", refused.stderr);
    assert!(
        refused.stderr.contains("ssh: ") && refused.stderr.contains("Permission denied"),
        "{}",
        refused.stderr
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_explorer_over_ssh_shows_a_new_volume_live_and_its_ssh_ends_when_it_quits() {
    let s = Scenario::new().await;
    let sshd = Sshd::start();
    let config = DockerConfig::new();
    let mut env = config.env();
    env.extend(sshd.client_env());
    let (host, run_id, expected) = (sshd.host(), s.run_id.clone(), s.name("live-over-ssh"));

    let (filtered, ready) = tokio::sync::oneshot::channel::<()>();
    let (created, volume_made) = std::sync::mpsc::channel::<()>();
    let person = tokio::task::spawn_blocking(move || {
        let env: Vec<(&str, &std::ffi::OsStr)> = env.iter().map(|(k, v)| (*k, v.as_os_str())).collect();
        let mut tui = pty::Pty::spawn_env(DOCKDU, &["--host", &host], &env, 140, 40);
        tui.wait_for("the ssh engine's header", SCREEN_LIMIT, |s| {
            s.contents().contains(&format!("context default · {host}"))
                && s.contents().contains("Docker Engine")
        });
        tui.send(format!("2/{run_id}\r").as_bytes());
        // The volume is made once the lists have answered and the event stream is live (over ssh
        // it has an ssh of its own, which may connect seconds after the lists): made before, it
        // would come with a list, or be missed by both.
        tui.wait_for("the filtered volumes, listed with the event stream live", SCREEN_LIMIT, |s| {
            let screen = s.contents();
            let header = screen.lines().next().unwrap_or_default();
            header.contains("● live")
                && !header.contains("listing")
                && screen.contains(&format!("No volumes match “{run_id}”"))
        });
        let _ = filtered.send(());
        volume_made.recv_timeout(SCREEN_LIMIT).expect("the volume was not created");
        tui.wait_for("the new volume, from the event stream over ssh", SCREEN_LIMIT, |s| {
            s.contents().contains(&expected)
        });
        tui.send(b"q");
        tui.wait_exit(SCREEN_LIMIT)
    });
    if tokio::time::timeout(SCREEN_LIMIT * 2, ready).await.is_ok_and(|r| r.is_ok()) {
        s.create_volume("live-over-ssh").await;
        let _ = created.send(());
    }
    let exit = person.await.unwrap_or_else(|panic| std::panic::resume_unwind(panic.into_panic()));
    assert_eq!(exit, Some(0), "sshd log:\n{}", sshd.log());
    assert!(sshd.clients_left().is_empty(), "ssh outlived the explorer: {:?}", sshd.clients_left());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn switching_away_from_an_ssh_engine_ends_its_event_watcher_and_every_ssh() {
    support::connect().await;
    let sshd = Sshd::start();
    let config = DockerConfig::new();
    config.create_context("over-ssh", &format!("host={}", sshd.host()));
    let mut env = config.env();
    env.extend(sshd.client_env());
    let clients = std::sync::Arc::new(sshd);
    let watcher = clients.clone();

    let person = tokio::task::spawn_blocking(move || {
        let env: Vec<(&str, &std::ffi::OsStr)> = env.iter().map(|(k, v)| (*k, v.as_os_str())).collect();
        let mut tui = pty::Pty::spawn_env(DOCKDU, &["--context", "over-ssh"], &env, 160, 40);
        tui.wait_for("the ssh engine, live", SCREEN_LIMIT, |s| {
            s.contents().contains("● live") && s.contents().contains("context over-ssh · ssh://")
        });
        assert!(!watcher.clients_left().is_empty(), "the ssh engine runs over ssh");
        tui.send(b"E");
        // Enter chooses among the rows read so far: wait until the contexts are listed.
        tui.wait_for("the context list", SCREEN_LIMIT, |s| {
            let text = s.contents();
            text.contains("Engines (docker contexts)") && text.contains("unix:///var/run/docker.sock")
        });
        tui.send(b"default\r");
        tui.wait_for("the default engine, live", SCREEN_LIMIT, |s| {
            s.contents().contains("● live") && s.contents().contains("context default · unix://")
        });
        // The old engine's event stream held an ssh for the whole session: it must be gone.
        let deadline = std::time::Instant::now() + Duration::from_secs(10);
        while !watcher.clients_left().is_empty() && std::time::Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(50));
        }
        let left = watcher.clients_left();
        tui.send(b"q");
        (tui.wait_exit(SCREEN_LIMIT), left)
    });
    let (exit, left) = person.await.unwrap_or_else(|panic| std::panic::resume_unwind(panic.into_panic()));
    assert!(
        left.is_empty(),
        "ssh of the old engine still running after the switch: {left:?}\nsshd log:\n{}",
        clients.log()
    );
    assert_eq!(exit, Some(0));
}

/// A Podman container with a 5 MiB writable layer and a tmpfs of each syntax, run to its end.
fn podman_container(podman: &Podman, role: &str) -> String {
    let name = podman.name(role);
    podman.run(&[
        "create",
        "--name",
        &name,
        "--label",
        &podman.label(),
        "--network",
        "none",
        "--tmpfs",
        "/t:size=16m",
        "--mount",
        "type=tmpfs,destination=/t2,tmpfs-size=1048576",
        &podman.image,
        "dd",
        "if=/dev/zero",
        "of=/layer.bin",
        "bs=1048576",
        "count=5",
    ]);
    podman.run(&["start", "--attach", &name]);
    name
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn podman_is_named_as_podman_with_virtual_size_above_the_layer_and_every_tmpfs() {
    support::connect().await;
    let podman = Podman::start(&support::new_run_id());
    let name = podman_container(&podman, "sized");
    let volume = podman.name("data");
    podman.run(&["volume", "create", "--label", &podman.label(), &volume]);

    let report = report_json(&dockdu(&["--host", &podman.host(), "report", "--json"], &[]).await);
    assert_eq!(
        (report["engine"]["product"].as_str(), report["engine"]["kind"].as_str()),
        (Some("Podman Engine"), Some("podman"))
    );
    assert!(has_volume(&report, &volume));
    let containers = report["containers"].as_array().expect("containers");
    let c = containers.iter().find(|c| c["name"] == name.as_str()).expect("the podman container");
    let (writable, virtual_size) =
        (c["size_rw"].as_u64().unwrap_or(0), c["size_root_fs"].as_u64().unwrap_or(0));
    assert!(writable >= 5 * support::MIB, "{c}");
    assert!(virtual_size > writable + support::MIB, "virtual = image + writable layer: {c}");
    let tmpfs: Vec<&str> = c["mounts"]
        .as_array()
        .expect("mounts")
        .iter()
        .filter(|m| m["type"] == "tmpfs")
        .filter_map(|m| m["destination"].as_str())
        .collect();
    assert_eq!(tmpfs, ["/t", "/t2"], "both tmpfs mounts, although Podman leaves them out of Mounts: {c}");
    let limits: Vec<(String, u64)> = report["tmpfs_mounts"]
        .as_array()
        .expect("tmpfs_mounts")
        .iter()
        .filter(|m| m["container"] == name.as_str())
        .map(|m| (m["destination"].as_str().unwrap_or("").to_owned(), m["size_limit"].as_u64().unwrap_or(0)))
        .collect();
    assert_eq!(limits, [("/t".to_owned(), 16 * support::MIB), ("/t2".to_owned(), support::MIB)]);
    // Podman's own LayersSize is 0 under a real image: the images' sizes (none shared here) are
    // the total, and the report says where it came from.
    let images: Vec<u64> =
        report["images"].as_array().expect("images").iter().filter_map(|i| i["size"].as_u64()).collect();
    assert!(images.iter().sum::<u64>() > support::MIB, "{}", report["images"]);
    let totals = &report["totals"];
    assert_eq!(
        (totals["images_size"].as_u64(), totals["images_size_source"].as_str()),
        (Some(images.iter().sum()), Some("images"))
    );

    let disk = dockdu(&["--host", &podman.host(), "disk", "--json"], &[]).await;
    assert_disk_unreadable(&disk, "Podman's storage is not reconciled yet");
}

/// Podman keeps its store where its `--root` says (here the test's own folder, far from
/// `/var/lib/docker`), and names it as Docker names its data root.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bind_of_podmans_own_store_is_flagged_where_podman_keeps_it() {
    support::connect().await;
    let podman = Podman::start(&support::new_run_id());
    let store = podman.dir.path().join("root");
    let name = podman.name("store-reader");
    let bind = format!("{}:/store:ro", store.display());
    let (label, image) = (podman.label(), podman.image.clone());
    podman.run(&[
        "create",
        "--name",
        &name,
        "--label",
        &label,
        "--network",
        "none",
        "-v",
        &bind,
        &image,
        "true",
    ]);

    let report = report_json(&dockdu(&["--host", &podman.host(), "report", "--json"], &[]).await);
    assert_eq!(report["engine"]["root_dir"], store.to_str().expect("a UTF-8 path"), "{}", report["engine"]);
    let binds = report["bind_mounts"].as_array().expect("bind_mounts");
    let bind = binds.iter().find(|b| b["container"] == name.as_str()).expect("the bind of the store");
    assert_eq!(bind["danger"], serde_json::json!({"kind": "engine_data", "writable": false}), "{bind}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_explorer_on_podman_drops_a_removed_volume_without_a_key() {
    support::connect().await;
    let podman = Podman::start(&support::new_run_id());
    let volume = podman.name("going");
    podman.run(&["volume", "create", "--label", &podman.label(), &volume]);
    let config = DockerConfig::new();
    let env = config.env();
    let (host, shown_name) = (podman.host(), volume.clone());

    let (shown, ready) = tokio::sync::oneshot::channel::<()>();
    let (removed, gone) = std::sync::mpsc::channel::<()>();
    let person = tokio::task::spawn_blocking(move || {
        let env: Vec<(&str, &std::ffi::OsStr)> = env.iter().map(|(k, v)| (*k, v.as_os_str())).collect();
        let mut tui = pty::Pty::spawn_env(DOCKDU, &["--host", &host], &env, 140, 40);
        tui.send(b"2");
        tui.wait_for("the podman volume", SCREEN_LIMIT, |s| {
            s.contents().contains("Podman Engine") && s.contents().contains(&shown_name)
        });
        let _ = shown.send(());
        gone.recv_timeout(SCREEN_LIMIT).expect("the volume was not removed");
        tui.wait_for("the volume gone, from Podman's remove event", SCREEN_LIMIT, |s| {
            s.contents().contains("Volumes 0") && !s.contents().contains(&shown_name)
        });
        tui.send(b"q");
        tui.wait_exit(SCREEN_LIMIT)
    });
    if tokio::time::timeout(SCREEN_LIMIT * 2, ready).await.is_ok_and(|r| r.is_ok()) {
        podman.run(&["volume", "rm", &volume]);
        let _ = removed.send(());
    }
    let exit = person.await.unwrap_or_else(|panic| std::panic::resume_unwind(panic.into_panic()));
    assert_eq!(exit, Some(0));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn e_lists_the_contexts_enter_switches_the_explorer_to_podman_and_minus_comes_back() {
    support::connect().await;
    let podman = Podman::start(&support::new_run_id());
    let container = podman_container(&podman, "switched-to");
    let config = DockerConfig::new();
    config.create_context("podman", &format!("host={}", podman.host()));
    config.create_context("broken", "host=tcp://127.0.0.1:1");
    let env = config.env();

    let person = tokio::task::spawn_blocking(move || {
        let env: Vec<(&str, &std::ffi::OsStr)> = env.iter().map(|(k, v)| (*k, v.as_os_str())).collect();
        let mut tui = pty::Pty::spawn_env(DOCKDU, &[], &env, 160, 40);
        tui.wait_for("the default engine", SCREEN_LIMIT, |s| {
            s.contents().contains("context default · unix://")
        });
        tui.send(b"E");
        tui.wait_for("the contexts, probed", SCREEN_LIMIT, |s| {
            let text = s.contents();
            text.contains("Engines (docker contexts)")
                && text.contains("Podman Engine · 1 containers · 0 volumes")
                && text.contains("connection refused")
        });
        tui.send(b"pod\r");
        tui.wait_for("the explorer on podman", SCREEN_LIMIT, |s| {
            let text = s.contents();
            text.contains("context podman · unix://")
                && text.contains("Podman Engine 4")
                && text.contains(&container)
        });
        tui.send(b"-");
        tui.wait_for("back on the default engine", SCREEN_LIMIT, |s| {
            s.contents().contains("context default · unix://") && !s.contents().contains(&container)
        });
        tui.send(b"q");
        tui.wait_exit(SCREEN_LIMIT)
    });
    let exit = person.await.unwrap_or_else(|panic| std::panic::resume_unwind(panic.into_panic()));
    assert_eq!(exit, Some(0));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn report_all_contexts_puts_engines_side_by_side_with_an_unreachable_one_as_an_error() {
    let s = Scenario::new().await;
    let volume = s.create_volume("fleet").await;
    let relay = Relay::tcp().await;
    let podman = Podman::start(&s.run_id);
    let podman_volume = podman.name("fleet");
    podman.run(&["volume", "create", "--label", &podman.label(), &podman_volume]);
    let config = DockerConfig::new();
    config.create_context("relay", &format!("host={}", relay.host()));
    config.create_context("podman", &format!("host={}", podman.host()));
    config.create_context("broken", "host=tcp://127.0.0.1:1");

    // Two contexts reach the one Docker engine, whose /system/df runs one at a time: room for both.
    let fleet_limit = Duration::from_secs(300);
    let run =
        dockdu_within(&["report", "--all-contexts", "--json", "--timeout", "60"], &config.env(), fleet_limit)
            .await;
    assert_eq!(run.status.code(), Some(1), "one context could not report: {}", run.stderr);
    let fleet: Value = serde_json::from_str(&run.stdout).expect("fleet JSON");
    let contexts = fleet["contexts"].as_array().expect("contexts");
    let names: Vec<&str> = contexts.iter().filter_map(|c| c["name"].as_str()).collect();
    assert_eq!(names, ["default", "broken", "podman", "relay"]);
    let by_name = |name: &str| contexts.iter().find(|c| c["name"] == name).expect("a context");
    assert!(by_name("broken")["error"].as_str().is_some_and(|e| e.contains("connection refused")));
    assert!(by_name("broken").get("report").is_none());
    assert_eq!(by_name("podman")["report"]["engine"]["product"], "Podman Engine");
    assert!(has_volume(&by_name("podman")["report"], &podman_volume));
    assert_eq!(by_name("relay")["host"], relay.host().as_str());
    for name in ["relay", "default"] {
        let context = by_name(name);
        assert!(
            has_volume(&context["report"], &volume),
            "{volume} not in {name}'s report: {}",
            context["error"]
        );
    }

    let text =
        dockdu_within(&["report", "--all-contexts", "--timeout", "60"], &config.env(), fleet_limit).await;
    let last = text.stdout.lines().last().unwrap_or_default().to_owned();
    assert!(last.starts_with("ALL ENGINES  3 of 4 contexts reported"), "{last}");
    assert!(text.stdout.contains("=== context podman · unix://"), "{}", text.stdout);
}
