//! The performance benchmark: builds a host of 1,000 containers and 1,000 volumes on the real
//! engine, measures dockdu against its budgets beside the engine's own `/system/df` (from a
//! plain HTTP client, in the same run), the floor (the lists and `/system/df` back to back) and
//! `docker system df -v`, prints one table, and removes the host. dockdu runs as root, and as a
//! docker-group user who reaches the socket but cannot read the engine's files (`setpriv` to
//! uid 65534 with the socket's group); `dockdu disk --json` runs as root, walking the engine's
//! whole root. Run it with `cargo bench --bench host`.
//!
//! Sizes from `CONTAINERS`, `VOLUMES` and `RUNS` in the environment override the defaults.

#[path = "../../tests/support/mod.rs"]
mod support;

#[path = "../../tests/pty/mod.rs"]
mod pty;

mod fixture;

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use futures_util::FutureExt;

const SPINNER: [char; 8] = ['⣾', '⣽', '⣻', '⢿', '⡿', '⣟', '⣯', '⣷'];
const SCREEN_LIMIT: Duration = Duration::from_secs(120);
const IDLE_WINDOW: Duration = Duration::from_secs(10);

fn env_number(name: &str, default: usize) -> usize {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

fn median(mut values: Vec<Duration>) -> Duration {
    values.sort();
    values.get(values.len() / 2).copied().unwrap_or_default()
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

/// The calls every size on screen needed from the engine before sizes were measured here, back
/// to back: both lists and `/system/df` (waiting out another client's `/system/df` first).
/// Returns the floor and the `/system/df` within it.
fn floor() -> (Duration, Duration) {
    let lists = Instant::now();
    support::plain_get("/containers/json?all=1");
    support::plain_get("/volumes");
    let lists = lists.elapsed();
    let (_, df) = support::system_df();
    (lists + df, df)
}

/// Waits until the engine has no `/system/df` under way: an explorer that quit leaves the one it
/// asked for the images running in the engine, and a run started meanwhile would measure the
/// engine finishing it. The only way to know is to ask for one and wait for its answer.
fn settle() {
    support::system_df();
}

fn timed(program: &str, args: &[&str]) -> Option<Duration> {
    let start = Instant::now();
    let status =
        Command::new(program).args(args).stdout(Stdio::null()).stderr(Stdio::null()).status().ok()?;
    status.success().then(|| start.elapsed())
}

/// `dockdu disk --json`, as root, to its exit; checked to have walked the engine's root (a root
/// it cannot read also exits 0, with `null` sizes and the reason).
fn timed_disk(binary: &str) -> Duration {
    let start = Instant::now();
    let output = Command::new(binary)
        .args(["disk", "--json"])
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
        .expect("dockdu disk --json");
    let elapsed = start.elapsed();
    assert!(output.status.success(), "dockdu disk --json failed: {}", output.status);
    let doc: serde_json::Value = serde_json::from_slice(&output.stdout).expect("dockdu disk --json: JSON");
    assert!(
        doc.get("unreadable").is_none() && doc["root"]["total"].is_u64(),
        "dockdu disk --json did not walk the root: {}",
        doc["unreadable"]
    );
    elapsed
}

struct TuiRun {
    first_frame: Duration,
    names: Duration,
    sizes: Duration,
    keys: Vec<Duration>,
    idle_cpu: Option<f64>,
    rss: u64,
}

fn has_spinner(screen: &vt100::Screen, skip_first_line: bool) -> bool {
    screen.contents().lines().skip(usize::from(skip_first_line)).any(|line| line.contains(SPINNER))
}

/// Every size is on screen: no spinner below the header's first line (the totals wait for the
/// last size), and the totals show.
fn every_size(screen: &vt100::Screen) -> bool {
    !has_spinner(screen, true) && screen.contents().contains(" MiB")
}

fn tui_run(binary: &str, a_container: &str, measure_idle: bool) -> TuiRun {
    let mut tui = pty::Pty::spawn(binary, &[], 160, 48);
    let started = tui.started;
    let first = tui.wait_for("the first frame", SCREEN_LIMIT, |s| s.contents().contains("Containers"));
    let names = tui.wait_for("container names", SCREEN_LIMIT, |s| s.contents().contains(a_container));
    let sizes = tui.wait_for("every size", SCREEN_LIMIT, every_size);
    let mut keys = Vec::new();
    for key in ["j", "j", "j", "j", "j", "s", "s", "s", "S", "j", "2", "j", "j", "s", "s", "1"] {
        let sent = tui.send(key.as_bytes());
        keys.push(tui.next_output_after(sent, Duration::from_secs(5)) - sent);
    }
    let idle_cpu = measure_idle.then(|| {
        // Idle means nothing in flight.
        tui.wait_for("all inspections done", SCREEN_LIMIT, |s| !has_spinner(s, false));
        tui.drain();
        let before = pty::cpu_time(tui.pid());
        std::thread::sleep(IDLE_WINDOW);
        let used = pty::cpu_time(tui.pid()) - before;
        used.as_secs_f64() / IDLE_WINDOW.as_secs_f64() * 100.0
    });
    let (rss, _) = pty::memory(tui.pid());
    tui.send(b"q");
    let _ = tui.child.wait();
    TuiRun {
        first_frame: first - started,
        names: names - started,
        sizes: sizes - started,
        keys,
        idle_cpu,
        rss,
    }
}

/// As a user in the socket's group who cannot read the engine's files: when the first container
/// size shows (the fixture's layers are 4–64 KiB), and when every size does.
struct GroupRun {
    first_size: Duration,
    every_size: Duration,
}

fn group_run(binary: &str, group: u32) -> GroupRun {
    let regid = format!("--regid={group}");
    let args = ["--reuid=65534", regid.as_str(), "--clear-groups", binary];
    // Such a user has a home of their own, not root's: a docker config folder they can read.
    let config = support::docker_config::DockerConfig::new();
    let env = config.env();
    let env: Vec<(&str, &std::ffi::OsStr)> = env.iter().map(|(k, v)| (*k, v.as_os_str())).collect();
    let mut tui = pty::Pty::spawn_env("setpriv", &args, &env, 160, 48);
    let started = tui.started;
    // Below the header and tabs: a row's size, or the selected container's in the detail pane.
    let first = tui.wait_for("a container size", SCREEN_LIMIT, |s| {
        s.contents().lines().skip(3).any(|line| line.contains(" KiB"))
    });
    let every = tui.wait_for("every size", SCREEN_LIMIT, every_size);
    tui.send(b"q");
    let _ = tui.child.wait();
    GroupRun { first_size: first - started, every_size: every - started }
}

struct Row {
    what: &'static str,
    budget: String,
    measured: String,
    pass: Option<bool>,
}

fn main() {
    let shape =
        fixture::Shape { containers: env_number("CONTAINERS", 1000), volumes: env_number("VOLUMES", 1000) };
    let runs = env_number("RUNS", 5).max(1);
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("runtime");
    let rows = runtime.block_on(async {
        let scenario = support::Scenario::new().await;
        let building = Instant::now();
        fixture::build(&scenario, &shape).await;
        eprintln!(
            "built {} containers and {} volumes in {:.1} s",
            shape.containers,
            shape.volumes,
            building.elapsed().as_secs_f64()
        );
        // Long names are cut to the column: the run id's prefix is what shows.
        let a_container: String = fixture::container_name(&scenario, 0).chars().take(28).collect();
        let measured = tokio::task::spawn_blocking(move || measure(&a_container, runs)).catch_unwind().await;
        fixture::teardown(&scenario).await;
        drop(scenario);
        match measured {
            Ok(Ok(rows)) => rows,
            Ok(Err(e)) => std::panic::resume_unwind(e.into_panic()),
            Err(e) => std::panic::resume_unwind(e),
        }
    });
    print_table(&shape, runs, &rows);
}

fn measure(a_container: &str, runs: usize) -> Vec<Row> {
    // `DOCKDU_BIN` measures another build (an older one, to compare) on the same fixture.
    let binary = std::env::var("DOCKDU_BIN").unwrap_or_else(|_| env!("CARGO_BIN_EXE_dockdu").to_owned());
    let binary = binary.as_str();
    let socket = support::docker_host().trim_start_matches("unix://").to_owned();
    let group =
        std::os::unix::fs::MetadataExt::gid(&std::fs::metadata(&socket).expect("the engine's socket"));
    // Warm the engine's caches once, as a user's second look would.
    floor();
    let (floors, dfs): (Vec<Duration>, Vec<Duration>) = (0..runs).map(|_| floor()).unzip();
    let docker_df: Vec<Duration> =
        (0..runs).filter_map(|_| timed("docker", &["system", "df", "-v"])).collect();
    let reports: Vec<Duration> = (0..runs)
        .map(|_| timed(binary, &["report", "--json"]).expect("dockdu report --json failed"))
        .collect();
    // Each run starts on an engine that is walking nothing: see `settle`.
    let tui: Vec<TuiRun> = (0..runs)
        .map(|i| {
            settle();
            tui_run(binary, a_container, i + 1 == runs)
        })
        .collect();
    let as_group: Vec<GroupRun> = (0..runs)
        .map(|_| {
            settle();
            group_run(binary, group)
        })
        .collect();
    // Last, so the rows above are measured as before this walk of the whole root was added.
    // A build from before `disk` existed has no such row.
    let has_disk = Command::new(binary).args(["disk", "--help"]).output().is_ok_and(|o| o.status.success());
    let disks: Vec<Duration> =
        if has_disk { (0..runs).map(|_| timed_disk(binary)).collect() } else { Vec::new() };

    let floor = median(floors);
    let df = median(dfs);
    let tenth = df.mul_f64(0.1);
    let group_first = median(as_group.iter().map(|r| r.first_size).collect());
    let group_every = median(as_group.iter().map(|r| r.every_size).collect());
    let report = median(reports);
    let disk = (!disks.is_empty()).then(|| median(disks));
    let first = median(tui.iter().map(|r| r.first_frame).collect());
    let names = median(tui.iter().map(|r| r.names).collect());
    let sizes = median(tui.iter().map(|r| r.sizes).collect());
    let keys: Vec<Duration> = tui.iter().flat_map(|r| r.keys.iter().copied()).collect();
    let key_max = keys.iter().max().copied().unwrap_or_default();
    let key = median(keys);
    let idle = tui.iter().find_map(|r| r.idle_cpu).unwrap_or_default();
    let rss = tui.iter().map(|r| r.rss).max().unwrap_or_default();
    let mib = |b: u64| format!("{:.1} MiB", b as f64 / 1048576.0);

    let mut rows = vec![
        Row {
            what: "first frame",
            budget: "≤ 50 ms".into(),
            measured: ms(first),
            pass: Some(first <= Duration::from_millis(50)),
        },
        Row {
            what: "container names on screen",
            budget: "≤ 150 ms".into(),
            measured: ms(names),
            pass: Some(names <= Duration::from_millis(150)),
        },
        Row {
            what: "the engine's `/system/df`, plain HTTP",
            budget: "—".into(),
            measured: ms(df),
            pass: None,
        },
        Row {
            what: "floor: lists + /system/df, plain HTTP",
            budget: "—".into(),
            measured: ms(floor),
            pass: None,
        },
        Row {
            what: "every size on screen, as root",
            budget: format!("≤ 0.1 × /system/df = {}", ms(tenth)),
            measured: ms(sizes),
            pass: Some(sizes <= tenth),
        },
        Row {
            what: "key press to next frame (median; max)",
            budget: "≤ 16 ms".into(),
            measured: format!("{}; {}", ms(key), ms(key_max)),
            pass: Some(key <= Duration::from_millis(16)),
        },
        Row {
            what: "CPU while idle, 10 s",
            budget: "≤ 1% of a core".into(),
            measured: format!("{idle:.2}%"),
            pass: Some(idle <= 1.0),
        },
        Row {
            what: "memory (RSS, largest of the runs)",
            budget: "≤ 30 MB".into(),
            measured: mib(rss),
            pass: Some(rss <= 30_000_000),
        },
    ];
    if !docker_df.is_empty() {
        rows.push(Row {
            what: "`docker system df -v`",
            budget: "—".into(),
            measured: ms(median(docker_df)),
            pass: None,
        });
    }
    rows.push(Row {
        what: "`dockdu report --json`, as root",
        budget: format!("≤ 0.1 × /system/df = {}", ms(tenth)),
        measured: ms(report),
        pass: Some(report <= tenth),
    });
    if let Some(disk) = disk {
        rows.push(Row {
            what: "`dockdu disk --json`, as root",
            budget: format!("≤ 0.1 × /system/df = {}", ms(tenth)),
            measured: ms(disk),
            pass: Some(disk <= tenth),
        });
    }
    rows.push(Row {
        what: "docker-group user: first container size on screen",
        budget: format!("≤ 0.1 × /system/df = {}", ms(tenth)),
        measured: ms(group_first),
        pass: Some(group_first <= tenth),
    });
    rows.push(Row {
        what: "docker-group user: every size on screen",
        budget: format!("≤ 1.2 × /system/df = {}", ms(df.mul_f64(1.2))),
        measured: ms(group_every),
        pass: Some(group_every <= df.mul_f64(1.2)),
    });
    rows
}

/// The machine and engine the numbers were taken on.
fn machine() -> String {
    let read = |path: &str| std::fs::read_to_string(path).unwrap_or_default();
    let cpuinfo = read("/proc/cpuinfo");
    let cpu = cpuinfo
        .lines()
        .find_map(|l| l.strip_prefix("model name"))
        .map_or("", |l| l.trim_start_matches([' ', '\t', ':']));
    let memory = read("/proc/meminfo");
    let memory_kib: u64 = memory
        .lines()
        .find_map(|l| l.strip_prefix("MemTotal:"))
        .and_then(|l| l.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0);
    let os = read("/etc/os-release");
    let os = os.lines().find_map(|l| l.strip_prefix("PRETTY_NAME=")).unwrap_or("").trim_matches('"');
    let json = |path: &str| {
        serde_json::from_slice::<serde_json::Value>(&support::plain_get(path).1).unwrap_or_default()
    };
    let (version, info) = (json("/version"), json("/info"));
    format!(
        "{} cores ({cpu}), {:.0} GiB, {os}; Docker Engine {} (API {}, storage driver {})",
        std::thread::available_parallelism().map_or(0, |n| n.get()),
        memory_kib as f64 / 1048576.0,
        version["Version"].as_str().unwrap_or("?"),
        version["ApiVersion"].as_str().unwrap_or("?"),
        info["Driver"].as_str().unwrap_or("?"),
    )
}

fn print_table(shape: &fixture::Shape, runs: usize, rows: &[Row]) {
    println!(
        "\n{} containers, {} volumes; medians of {runs} runs\n{}\n",
        shape.containers,
        shape.volumes,
        machine()
    );
    println!("| measure | budget | measured | verdict |");
    println!("| --- | --- | --- | --- |");
    for row in rows {
        let verdict = match row.pass {
            Some(true) => "pass",
            Some(false) => "FAIL",
            None => "",
        };
        println!("| {} | {} | {} | {verdict} |", row.what, row.budget, row.measured);
    }
}
