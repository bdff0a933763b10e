//! A small, fixed host for journey and snapshot tests: no engine involved.

#![allow(dead_code)]

use std::collections::{BTreeMap, HashMap};

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use dockdu::app::{App, EngineMsg, Msg};
use dockdu::model::*;
use dockdu::tasks::sizes::{ContainerSized, VolumesSized};
use ratatui::backend::TestBackend;
use ratatui::Terminal;

pub const ANON: &str = "3f1c0e9d7a2b4c6d8e0f1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b1c2d";

fn mount(
    kind: MountKind,
    name: Option<&str>,
    source: Option<&str>,
    destination: &str,
    rw: bool,
) -> MountFacts {
    MountFacts {
        kind,
        name: name.map(Into::into),
        source: source.map(Into::into),
        destination: destination.into(),
        rw,
    }
}

fn container(id: &str, name: &str, state: &str, image: &str, mounts: Vec<MountFacts>) -> ContainerFacts {
    ContainerFacts {
        id: id.repeat(64 / id.len()).into(),
        name: name.into(),
        image: image.into(),
        image_id: image_id(image).into(),
        state: state.into(),
        status: if state == "running" { "Up 2 hours".into() } else { "Exited (0) 3 days ago".into() },
        created: 0,
        labels: BTreeMap::new(),
        mounts,
    }
}

/// The fixture's image ids: a repeated hex pair for each image the containers run.
pub fn image_id(reference: &str) -> String {
    let pair = match reference.split(':').next().unwrap_or_default() {
        "nginx" => "a0",
        "postgres" => "b0",
        "app" => "c0",
        "golang" => "d0",
        _ => "e0",
    };
    format!("sha256:{}", pair.repeat(32))
}

pub fn volume(name: &str, labels: &[(&str, &str)]) -> VolumeFacts {
    VolumeFacts {
        name: name.into(),
        driver: "local".into(),
        mountpoint: format!("/var/lib/docker/volumes/{name}/_data"),
        created_at: Some("2026-11-20T10:00:00Z".into()),
        labels: labels.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(),
        options: BTreeMap::new(),
    }
}

pub fn engine() -> EngineInfo {
    EngineInfo {
        context: "default".into(),
        host: "unix:///var/run/docker.sock".into(),
        product: "Docker Engine".into(),
        kind: EngineKind::Docker,
        server_version: "20.10.24".into(),
        api_version: "1.41".into(),
        os: "linux".into(),
        storage_driver: "overlay2".into(),
        root_dir: Some("/var/lib/docker".into()),
        containerd_store: false,
        tls_unverified: false,
    }
}

pub fn containers() -> Vec<ContainerFacts> {
    vec![
        container(
            "a1",
            "web",
            "running",
            "nginx:1.27",
            vec![
                mount(MountKind::Bind, None, Some("/srv/www"), "/usr/share/nginx/html", false),
                mount(MountKind::Volume, Some("shared-cache"), None, "/cache", true),
                mount(MountKind::Tmpfs, None, None, "/run", true),
            ],
        ),
        container(
            "b2",
            "db",
            "running",
            "postgres:16",
            vec![mount(MountKind::Volume, Some("pgdata"), None, "/var/lib/postgresql/data", true)],
        ),
        container(
            "c3",
            "worker",
            "exited",
            "app:latest",
            vec![
                mount(MountKind::Volume, Some("shared-cache"), None, "/cache", false),
                mount(MountKind::Bind, None, Some("/srv/www"), "/www", false),
                mount(MountKind::Bind, None, Some("/home/me/gone"), "/config", true),
                mount(MountKind::Volume, Some(ANON), None, "/tmp/anon", true),
            ],
        ),
        container("d4", "builder", "created", "golang:1.23", vec![]),
    ]
}

pub fn volumes() -> Vec<VolumeFacts> {
    vec![
        volume("pgdata", &[("com.docker.compose.project", "shop")]),
        volume("shared-cache", &[]),
        volume(ANON, &[]),
        volume("old-logs", &[("team", "ops")]),
    ]
}

/// When the fixture's sizes were measured; a loaded app is drawn two minutes later.
pub fn measured_at() -> std::time::SystemTime {
    std::time::UNIX_EPOCH + std::time::Duration::from_secs(1_795_800_000)
}

pub fn disk_usage() -> DiskUsage {
    let id = |s: &str| ContainerId::new(s.repeat(64 / s.len()));
    DiskUsage {
        at: measured_at(),
        containers: HashMap::from([
            (id("a1"), ContainerSizes { size_rw: 12 << 20, size_root_fs: Some(200 << 20) }),
            (id("b2"), ContainerSizes { size_rw: 300 << 20, size_root_fs: Some(700 << 20) }),
            (id("c3"), ContainerSizes { size_rw: 4 << 10, size_root_fs: Some(90 << 20) }),
            (id("d4"), ContainerSizes { size_rw: 0, size_root_fs: Some(800 << 20) }),
        ]),
        volumes: HashMap::from([
            ("pgdata".into(), VolumeUsage { size: Some(1536 << 20), ref_count: Some(1) }),
            ("shared-cache".into(), VolumeUsage { size: Some(64 << 20), ref_count: Some(2) }),
            (ANON.into(), VolumeUsage { size: Some(8 << 10), ref_count: Some(1) }),
            ("old-logs".into(), VolumeUsage { size: Some(250 << 20), ref_count: Some(0) }),
        ]),
        ..Default::default()
    }
}

/// The local images: one for each container's, an unused tagged one, and an untagged one.
pub fn images() -> Vec<ImageFacts> {
    let image = |reference: &str, tags: &[&str], size: u64, created: i64| ImageFacts {
        id: image_id(reference).into(),
        tags: tags.iter().map(|t| t.to_string()).collect(),
        size: Some(size),
        shared_size: None,
        created,
        labels: BTreeMap::new(),
        manifests: Vec::new(),
    };
    vec![
        image("nginx:1.27", &["nginx:1.27", "nginx:latest"], 188 << 20, 1_795_000_000),
        image("postgres:16", &["postgres:16"], 400 << 20, 1_794_000_000),
        image("app:latest", &["app:latest"], 90 << 20, 1_795_700_000),
        image("golang:1.23", &["golang:1.23"], 800 << 20, 1_790_000_000),
        image("redis:7", &["redis:7"], 120 << 20, 1_780_000_000),
        ImageFacts {
            id: format!("sha256:{}", "f0".repeat(32)).into(),
            size: Some(85 << 20),
            created: 1_795_600_000,
            ..Default::default()
        },
    ]
}

/// `/system/df`'s images part (app shares 80 MiB with the untagged one it replaced) and a build
/// cache of two records, one in use.
pub fn image_usage() -> DiskUsage {
    let shared = |reference: &str| if reference == "app:latest" { 80 << 20 } else { 0 };
    let mut images: HashMap<ImageId, ImageSizes> = images()
        .iter()
        .map(|i| {
            let reference = i.tags.first().cloned().unwrap_or_default();
            (i.id.clone(), ImageSizes { size: i.size, shared_size: Some(shared(&reference)) })
        })
        .collect();
    images.insert(
        format!("sha256:{}", "f0".repeat(32)).into(),
        ImageSizes { size: Some(85 << 20), shared_size: Some(80 << 20) },
    );
    let record = |id: &str, kind: &str, size: u64, in_use: bool| BuildCacheRecord {
        id: id.into(),
        kind: kind.into(),
        description: format!("mount / from exec /bin/sh -c make {id}"),
        size: Some(size),
        in_use,
        shared: false,
        last_used_at: Some("2026-11-26T09:00:00Z".into()),
    };
    DiskUsage {
        images: Some(ImagesUsage { layers_size: Some(1603 << 20), images, source: Default::default() }),
        build_cache: Some(BuildCacheFacts {
            records: vec![
                record("k3f0abcd1234ef", "regular", 300 << 20, false),
                record("x9y8z7", "source.local", 2 << 20, true),
            ],
            size: Some(302 << 20),
            reclaimable: Some(300 << 20),
        }),
        ..Default::default()
    }
}

/// Each container inspected and sized: `db` by the engine, the others measured here.
pub fn container_sizes() -> Vec<(ContainerId, Option<ContainerSized>)> {
    let usage = disk_usage();
    tmpfs()
        .into_iter()
        .map(|(id, tmpfs)| {
            let source = if id.starts_with("b2") { SizeSource::Engine } else { SizeSource::Host };
            // Measured here, a layer also has its bytes on disk: its files' blocks and its folder's.
            let value = usage.containers[&id];
            let disk_usage = (source == SizeSource::Host).then(|| value.size_rw.div_ceil(4096) * 4096 + 4096);
            let sizes = Some(Measured { value, source, at: measured_at(), disk_usage });
            // The running ones have a main process, as their inspect says.
            let pid =
                [("a1", 4101), ("b2", 4102)].into_iter().find(|(c, _)| id.starts_with(c)).map(|(_, p)| p);
            // As their list's status says: the running ones up 2 hours, worker exited 3 days ago.
            let hours = |h: u64| measured_at() - std::time::Duration::from_secs(h * 3600);
            let times = match pid {
                Some(_) => StateTimes { started_at: Some(hours(2)), ..Default::default() },
                None if id.starts_with("c3") => {
                    StateTimes { finished_at: Some(hours(72)), exit_code: Some(0), ..Default::default() }
                }
                None => StateTimes::default(),
            };
            let details = ContainerDetails { tmpfs, pid, times, ..Default::default() };
            let logs = container_logs(&id);
            (id, Some(ContainerSized { details, sizes, logs }))
        })
        .collect()
}

/// How each container logs: web (a1) to json-file without a bound, 1.2 GiB; db (b2) rotated at
/// 10m × 3; worker (c3) with the local driver; builder (d4) to no file at all.
pub fn container_logs(id: &str) -> Option<dockdu::model::logs::ContainerLogs> {
    use dockdu::model::logs::{ContainerLogs, LogConfig, LogFile, LogSizeUnknown};
    let file = |name: &str, size: u64, current: bool| LogFile {
        path: format!("/var/lib/docker/containers/{id}/{name}"),
        size,
        disk_usage: size.div_ceil(4096) * 4096,
        current,
        identity: (1, size),
    };
    let config = |driver: &str, max_size: Option<&str>, max_file: Option<&str>| LogConfig {
        driver: driver.to_owned(),
        max_size: max_size.map(str::to_owned),
        max_file: max_file.map(str::to_owned),
        compress: None,
    };
    let json = format!("{id}-json.log");
    let (config, files) = match &id[..2] {
        "a1" => (config("json-file", None, None), Ok(vec![file(&json, 1200 << 20, true)])),
        "b2" => (
            config("json-file", Some("10m"), Some("3")),
            Ok(vec![
                file(&json, 4 << 20, true),
                file(&format!("{json}.1"), 10 << 20, false),
                file(&format!("{json}.2"), 10 << 20, false),
            ]),
        ),
        "c3" => (config("local", None, None), Ok(vec![file("local-logs/container.log", 3 << 20, true)])),
        _ => (config("none", None, None), Err(LogSizeUnknown::NoFile)),
    };
    Some(ContainerLogs { config, files })
}

/// Each volume sized: `old-logs` by the engine's `/system/df`, the others measured here.
pub fn volume_sizes() -> Vec<VolumesSized> {
    let usage = disk_usage();
    let mut sized: Vec<VolumesSized> = ["pgdata", "shared-cache", ANON]
        .into_iter()
        .map(|name| {
            let size = usage.volumes[name].size.map(|value| Measured {
                value,
                source: SizeSource::Host,
                at: measured_at(),
                disk_usage: None,
            });
            VolumesSized::One(name.into(), size)
        })
        .collect();
    sized.push(VolumesSized::Engine { names: vec!["old-logs".into()], usage });
    sized
}

/// What inspecting each container adds: web's `--mount type=tmpfs` at /run (also in its list
/// mounts), and db's `--tmpfs /dev/shm`, which only the inspect names.
pub fn tmpfs() -> HashMap<ContainerId, Vec<TmpfsFacts>> {
    let id = |s: &str| ContainerId::new(s.repeat(64 / s.len()));
    let flags = ["rw", "noexec", "nosuid"].map(String::from).to_vec();
    HashMap::from([
        (id("a1"), vec![tmpfs::tmpfs_from_mount("/run", Some(64 << 20), Some(0o1777), flags)]),
        (id("b2"), vec![tmpfs::parse_tmpfs_options("/dev/shm", "rw,size=256m,mode=1770")]),
        (id("c3"), vec![]),
        (id("d4"), vec![]),
    ])
}

/// What reading the running containers' tmpfs here found: web's /run holds 1.5 MiB, db's
/// /dev/shm could not be read. The answer to `app`'s newest read.
pub fn tmpfs_used(app: &App) -> EngineMsg {
    let id = |s: &str| ContainerId::new(s.repeat(64 / s.len()));
    let used = HashMap::from([
        ((id("a1"), "/run".to_owned()), Ok(3 << 19)),
        ((id("b2"), "/dev/shm".to_owned()), Err(tmpfs::TmpfsUnread::PermissionDenied)),
    ]);
    EngineMsg::TmpfsUsed { seq: app.loading.generation(), used }
}

/// An app at the given terminal size that has received everything from the fake engine.
pub fn loaded_app(width: u16, height: u16) -> App {
    loaded_app_on(engine(), width, height)
}

/// As `loaded_app`, but the image list (asked for with the others) has not answered yet.
pub fn loaded_app_before_images(width: u16, height: u16) -> App {
    let mut app = App::new(&engine().host, true, (width, height), Default::default());
    app.now = measured_at() + std::time::Duration::from_secs(120);
    app.start();
    connect(&mut app, engine());
    feed(&mut app, EngineMsg::Containers { seq: 1, containers: containers() });
    feed(&mut app, EngineMsg::Volumes { seq: 1, volumes: volumes() });
    feed(&mut app, EngineMsg::ContainersSized { seq: 1, found: container_sizes() });
    feed(&mut app, EngineMsg::VolumesSized { seq: 1, sized: volume_sizes(), at: std::time::UNIX_EPOCH });
    app
}

/// As `loaded_app`, from an engine reached as `engine` says (another host, TLS unverified).
pub fn loaded_app_on(engine: EngineInfo, width: u16, height: u16) -> App {
    loaded_app_with(engine, vec![], width, height)
}

/// A stopped container made from `image`, mounting nothing: for names and images of any shape.
pub fn plain_container(id: &str, name: &str, image: &str) -> ContainerFacts {
    container(id, name, "exited", image, vec![])
}

/// A running CI runner that binds the engine's socket writable and the host's /etc read-only.
pub fn hazardous_container() -> ContainerFacts {
    container(
        "e5",
        "ci-runner",
        "running",
        "docker:cli",
        vec![
            mount(MountKind::Bind, None, Some("/var/run/docker.sock"), "/var/run/docker.sock", true),
            mount(MountKind::Bind, None, Some("/etc"), "/host/etc", false),
        ],
    )
}

/// A backup job that binds a moved data root (`/srv/docker-data`) and the default one read-only.
pub fn store_reading_container() -> ContainerFacts {
    container(
        "e6",
        "backup",
        "exited",
        "busybox",
        vec![
            mount(MountKind::Bind, None, Some("/srv/docker-data/volumes"), "/backup/volumes", false),
            mount(MountKind::Bind, None, Some("/var/lib/docker"), "/backup/default", false),
        ],
    )
}

/// As `loaded_app_on`, with `extra` containers beside the fixed ones (inspected, nothing written).
pub fn loaded_app_with(engine: EngineInfo, extra: Vec<ContainerFacts>, width: u16, height: u16) -> App {
    loaded_app_with_volumes(engine, extra, vec![], width, height)
}

/// As `loaded_app_with`, with `extra_volumes` too (each measured here at 4 KiB).
pub fn loaded_app_with_volumes(
    engine: EngineInfo,
    extra: Vec<ContainerFacts>,
    extra_volumes: Vec<VolumeFacts>,
    width: u16,
    height: u16,
) -> App {
    let mut app =
        App::new(&engine.host, engine.host.starts_with("unix://"), (width, height), Default::default());
    app.now = measured_at() + std::time::Duration::from_secs(120);
    app.start();
    connect(&mut app, engine);
    let mut found = container_sizes();
    for c in &extra {
        let sizes = Some(Measured {
            value: ContainerSizes::default(),
            source: SizeSource::Host,
            at: measured_at(),
            disk_usage: None,
        });
        found.push((
            c.id.clone(),
            Some(ContainerSized { details: ContainerDetails::default(), sizes, logs: None }),
        ));
    }
    let mut listed = containers();
    listed.extend(extra);
    feed(&mut app, EngineMsg::Containers { seq: 1, containers: listed.clone() });
    let mut sized = volume_sizes();
    for v in &extra_volumes {
        sized.push(VolumesSized::One(
            v.name.clone(),
            Some(Measured { value: 4096, source: SizeSource::Host, at: measured_at(), disk_usage: None }),
        ));
    }
    let mut volumes = volumes();
    volumes.extend(extra_volumes);
    feed(&mut app, EngineMsg::Volumes { seq: 1, volumes: volumes.clone() });
    feed(&mut app, EngineMsg::ContainersSized { seq: 1, found });
    feed(&mut app, EngineMsg::VolumesSized { seq: 1, sized, at: std::time::UNIX_EPOCH });
    let paths = HashMap::from([
        ("/srv/www".into(), true),
        ("/home/me/gone".into(), false),
        ("/var/run/docker.sock".into(), true),
        ("/etc".into(), true),
    ]);
    feed(&mut app, EngineMsg::HostPaths { seq: 1, paths });
    feed_images(&mut app, Ok(images()));
    feed(&mut app, EngineMsg::ImagesSized(Ok(Box::new(image_usage()))));
    // The stream going live asks for the lists again (what changed before it is in no event):
    // they answer the same.
    let relisted = feed(&mut app, EngineMsg::Events(dockdu::app::EventsState::Live));
    for seq in relisted.iter().filter_map(|e| match e {
        dockdu::app::Effect::LoadLists { seq } => Some(*seq),
        _ => None,
    }) {
        feed(&mut app, EngineMsg::Containers { seq, containers: listed.clone() });
        feed(&mut app, EngineMsg::Volumes { seq, volumes: volumes.clone() });
    }
    app
}

/// The engine answers `/version` and then `/info` (its driver, data root and store).
pub fn connect(app: &mut App, engine: EngineInfo) -> Vec<dockdu::app::Effect> {
    let details = dockdu::model::EngineDetails {
        storage_driver: engine.storage_driver.clone(),
        root_dir: engine.root_dir.clone(),
        containerd_store: engine.containerd_store,
    };
    let mut effects = feed(app, EngineMsg::Connected(engine));
    effects.extend(feed(app, EngineMsg::Details(Some(details))));
    effects
}

/// Feeds an app what the runtime would have sent it for these sources: lists, inspections and
/// sizes, all of generation 1.
pub fn feed_sources(app: &mut App, sources: Sources) {
    let found = sources
        .containers
        .iter()
        .map(|c| {
            let details = ContainerDetails {
                tmpfs: sources.tmpfs.get(&c.id).cloned().unwrap_or_default(),
                ..Default::default()
            };
            let sizes = sources.sizes.containers.get(&c.id).copied();
            (c.id.clone(), Some(ContainerSized { details, sizes, logs: None }))
        })
        .collect();
    let sized = sources
        .volumes
        .iter()
        .map(|v| VolumesSized::One(v.name.clone(), sources.sizes.volumes.get(&v.name).copied().flatten()))
        .collect();
    feed(app, EngineMsg::Containers { seq: 1, containers: sources.containers });
    feed(app, EngineMsg::Volumes { seq: 1, volumes: sources.volumes });
    feed(app, EngineMsg::ContainersSized { seq: 1, found });
    feed(app, EngineMsg::VolumesSized { seq: 1, sized, at: std::time::UNIX_EPOCH });
}

/// An engine's refusal or failure, as the engine module reports it.
pub fn engine_error(problem: Problem, detail: &str) -> EngineError {
    EngineError::new(&engine().host, "asking the engine", problem, detail)
}

/// The image list's answer to the newest request for it.
pub fn feed_images(app: &mut App, result: Result<Vec<ImageFacts>, EngineError>) -> Vec<dockdu::app::Effect> {
    let seq = app.loading.image_generation();
    feed(app, EngineMsg::Images { seq, result })
}

pub fn feed(app: &mut App, msg: EngineMsg) -> Vec<dockdu::app::Effect> {
    app.update(Msg::Engine(msg))
}

pub fn key(code: KeyCode) -> Msg {
    Msg::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

/// Types keys as a person would: `"2jj"`, with `\n` for Enter and `\x1b` for Esc.
pub fn keys(app: &mut App, typed: &str) -> Vec<dockdu::app::Effect> {
    let mut effects = Vec::new();
    for c in typed.chars() {
        let code = match c {
            '\n' => KeyCode::Enter,
            '\x1b' => KeyCode::Esc,
            '\x08' => KeyCode::Backspace,
            '\t' => KeyCode::Tab,
            c => KeyCode::Char(c),
        };
        effects.extend(app.update(key(code)));
    }
    effects
}

pub fn render(app: &App) -> String {
    let (width, height) = app.terminal;
    let mut terminal = Terminal::new(TestBackend::new(width, height)).expect("test backend");
    terminal.draw(|frame| dockdu::ui::render(app, frame)).expect("draw");
    let buffer = terminal.backend().buffer();
    let mut text = String::new();
    for y in 0..buffer.area.height {
        for x in 0..buffer.area.width {
            text.push_str(buffer[(x, y)].symbol());
        }
        text.push('\n');
    }
    text
}

/// The selected row's name in the current panel.
pub fn selected_name(app: &App) -> String {
    let index = app.view().selected_index().expect("a selected row");
    let inventory = &app.inventory;
    match app.nav.panel {
        dockdu::app::panel::Panel::Containers => inventory.containers[index].name.clone(),
        dockdu::app::panel::Panel::Volumes => inventory.volumes[index].name.to_string(),
        dockdu::app::panel::Panel::Binds => inventory.bind_mounts[index].source.clone(),
        dockdu::app::panel::Panel::Tmpfs => inventory.tmpfs_mounts[index].tmpfs.destination.clone(),
        dockdu::app::panel::Panel::Images => inventory.images[index].reference(),
        dockdu::app::panel::Panel::BuildCache => {
            inventory.build_cache.as_ref().expect("measured").records[index].id.clone()
        }
        dockdu::app::panel::Panel::Disk => inventory.disk_lines[index].path.clone(),
    }
}
