//! Micro-benchmarks: building the model and rendering a frame at 1k and 10k rows.
//! `cargo bench --bench model`

use std::collections::{BTreeMap, HashMap};

#[path = "../tests/app_fixture/mod.rs"]
mod app_fixture;

use dockdu::app::{App, Msg};
use dockdu::model::*;
use ratatui::backend::TestBackend;
use ratatui::Terminal;

fn main() {
    divan::main();
}

/// `n` containers and `n` volumes shaped like the benchmark host: two thirds of the volumes in
/// use, a seventh of the containers with a tmpfs, all sizes known.
fn sources(n: usize) -> Sources {
    let id = |i: usize| ContainerId::new(format!("{i:064x}"));
    let containers: Vec<ContainerFacts> = (0..n)
        .map(|i| ContainerFacts {
            id: id(i),
            name: format!("service-{i:05}"),
            image: "busybox:latest".into(),
            image_id: "sha256:busybox".into(),
            state: ["running", "exited", "created"][i % 3].into(),
            status: "Up 2 hours".into(),
            created: i as i64,
            labels: BTreeMap::from([("com.docker.compose.project".into(), "bench".into())]),
            mounts: (i < n * 2 / 3)
                .then(|| MountFacts {
                    kind: MountKind::Volume,
                    name: Some(format!("volume-{i:05}").into()),
                    source: None,
                    destination: "/data".into(),
                    rw: i % 2 == 0,
                })
                .into_iter()
                .collect(),
        })
        .collect();
    let volumes = (0..n)
        .map(|i| VolumeFacts {
            name: format!("volume-{i:05}").into(),
            driver: "local".into(),
            ..Default::default()
        })
        .collect();
    let sizes = SizeFacts {
        containers: (0..n)
            .map(|i| {
                let value =
                    ContainerSizes { size_rw: (i as u64 % 16 + 1) * 4096, size_root_fs: Some(2 << 20) };
                (id(i), Measured::host(value, 0, std::time::UNIX_EPOCH))
            })
            .collect(),
        volumes: (0..n)
            .map(|i| {
                (
                    VolumeName::new(format!("volume-{i:05}")),
                    Some(Measured::host(i as u64 * 1000, 0, std::time::UNIX_EPOCH)),
                )
            })
            .collect(),
    };
    let tmpfs = (0..n)
        .map(|i| {
            (id(i), if i % 7 == 0 { vec![tmpfs::parse_tmpfs_options("/run", "size=16m")] } else { vec![] })
        })
        .collect::<HashMap<_, _>>();
    Sources { containers, volumes, sizes, tmpfs, ..Default::default() }
}

#[divan::bench(args = [1_000, 10_000])]
fn build_model(bencher: divan::Bencher, n: usize) {
    let sources = sources(n);
    bencher.bench(|| build(&sources));
}

fn loaded_app(n: usize) -> App {
    let mut app = App::new("unix:///var/run/docker.sock", true, (160, 48), Default::default());
    app_fixture::feed_sources(&mut app, sources(n));
    app
}

#[divan::bench(args = [1_000, 10_000])]
fn render_frame(bencher: divan::Bencher, n: usize) {
    let app = loaded_app(n);
    let mut terminal = Terminal::new(TestBackend::new(160, 48)).expect("test backend");
    bencher.bench_local(|| {
        terminal.draw(|frame| dockdu::ui::render(&app, frame)).expect("draw");
    });
}

/// A key that re-sorts every row (`s`), then the frame it causes.
#[divan::bench(args = [1_000, 10_000])]
fn sort_key_and_frame(bencher: divan::Bencher, n: usize) {
    let mut app = loaded_app(n);
    let mut terminal = Terminal::new(TestBackend::new(160, 48)).expect("test backend");
    let key = crossterm::event::KeyEvent::from(crossterm::event::KeyCode::Char('s'));
    bencher.bench_local(|| {
        app.update(Msg::Key(key));
        terminal.draw(|frame| dockdu::ui::render(&app, frame)).expect("draw");
    });
}
