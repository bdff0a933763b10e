//! An engine before API 1.42 (the machine's Engine 20.10, started again as a daemon of the
//! test's own so that its images are only the test's): every `/system/df` there walks every layer
//! and volume, for tens of seconds on a big host, and goes on after dockdu quits. The explorer
//! asks none when it starts: the images' sizes and shared sizes come from the engine's layer
//! store, exactly as the engine computes them, and the build cache (which only `/system/df`
//! knows there) is measured when its panel opens.

mod pty;
mod support;

use std::collections::HashMap;
use std::time::Duration;

use bollard::models::ContainerCreateBody;

use support::dockerd::SecondDockerd;
use support::Scenario;

const SCREEN_LIMIT: Duration = Duration::from_secs(30);

/// A container of the image `image` that writes `bytes` bytes to `/file` and exits.
async fn write_on(s: &Scenario, image: &str, role: &str, bytes: u64) -> String {
    let script = format!("dd if=/dev/zero of=/{role}.bin bs={bytes} count=1");
    let body = ContainerCreateBody {
        image: Some(image.to_owned()),
        cmd: Some(vec!["sh".into(), "-c".into(), script]),
        ..Default::default()
    };
    let id = s.create_container_with(role, body).await;
    s.start(&id).await;
    assert_eq!(s.wait_exit(&id).await, 0, "{role} could not write");
    id
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_old_engines_image_sizes_come_from_its_layer_store_as_it_counts_them_and_no_system_df() {
    support::connect().await;
    let second = SecondDockerd::start(&support::new_run_id());
    let host = second.host();
    let s = Scenario::on(second.docker()).await;
    eprintln!("engine under test: Engine 20.10 (API 1.41, graph driver fuse-overlayfs) at {host}");
    // busybox ← child ← grandchild, another child beside, and an image of its own.
    let first = write_on(&s, &s.image, "first", 1_000_000).await;
    let child = s.commit(&first, "child").await;
    let second_writer = write_on(&s, &child, "second", 200_000).await;
    s.commit(&second_writer, "grandchild").await;
    let beside = write_on(&s, &s.image, "beside", 30_000).await;
    s.commit(&beside, "beside").await;
    s.import_image_as("alone", 5_000).await;

    let df = support::get_json_on(&host, "/system/df");
    let listed = support::get_json_on(&host, "/images/json");
    let ids: Vec<&str> = listed.as_array().expect("images").iter().filter_map(|i| i["Id"].as_str()).collect();
    assert_eq!(ids.len(), 5, "{listed}");
    let info = support::get_json_on(&host, "/info");
    let driver = info["Driver"].as_str().expect("the driver");
    let read =
        dockdu::measure::image_layers::read(second.data_root(), driver, &ids).expect("the layer store");
    let engines: HashMap<&str, (u64, u64)> = df["Images"]
        .as_array()
        .expect("Images")
        .iter()
        .map(|i| {
            let n = |key: &str| i[key].as_u64().unwrap_or_else(|| panic!("{key} in {i}"));
            (i["Id"].as_str().expect("an id"), (n("Size"), n("SharedSize")))
        })
        .collect();
    for id in &ids {
        let here = read.images.get(*id).map(|s| (s.size, s.shared_size));
        assert_eq!(here, engines.get(id).copied(), "{id}: (size, shared) read here vs /system/df");
    }
    assert!(engines.values().filter(|(_, shared)| *shared > 0).count() >= 4, "layers are shared: {df}");
    assert_eq!(Some(read.layers_size), df["LayersSize"].as_u64(), "LayersSize read here vs /system/df");

    // The explorer: every image's size, no `/system/df`, the build cache left for later.
    let log = std::env::temp_dir().join(format!("{}-explorer.log", s.run_id)).display().to_string();
    let (host_arg, log_arg) = (host.clone(), log.clone());
    let explorer = tokio::task::spawn_blocking(move || {
        let read_log = || std::fs::read_to_string(&log_arg).unwrap_or_default();
        let args = ["--host", &host_arg, "--log", &log_arg];
        let mut tui = pty::Pty::spawn(env!("CARGO_BIN_EXE_dockdu"), &args, 120, 30);
        tui.wait_for("every image's size and the build cache not measured", SCREEN_LIMIT, |s| {
            let text = s.contents();
            text.contains("Images 5 · ")
                && !text.contains("Images 5 · …")
                && text.contains("not measured (6)")
        });
        let before = read_log();
        tui.send(b"6");
        tui.wait_for("the build cache, measured", SCREEN_LIMIT, |s| {
            s.contents().contains("Build cache 0 · 0 B")
        });
        tui.send(b"q");
        tui.wait_exit(SCREEN_LIMIT);
        before
    });
    let before = explorer.await.unwrap_or_else(|panic| std::panic::resume_unwind(panic.into_panic()));
    assert!(before.contains("/images/json"), "the log records requests: {before}");
    assert!(!before.contains("/system/df"), "no /system/df before the build cache is asked for: {before}");
    let after = std::fs::read_to_string(&log).expect("the request log");
    let _ = std::fs::remove_file(&log);
    let asked: Vec<&str> = after.lines().filter(|l| l.contains("/system/df")).collect();
    assert_eq!(asked.len(), 1, "one, when the Build cache panel opened: {asked:?}");
}
