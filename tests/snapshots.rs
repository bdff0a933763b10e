//! Every screen, rendered on a TestBackend from the fixed fixture and compared with its snapshot.

mod app_fixture;

use app_fixture::*;
use dockdu::app::{App, EngineMsg};
use dockdu::model::ImagesUsage;
use dockdu::model::{EngineError, Problem};
use ratatui::style::Color;

fn snapshot(name: &str, app: &App) {
    insta::assert_snapshot!(name, render(app));
}

#[test]
fn containers_panel_at_80x24() {
    snapshot("containers_80x24", &loaded_app(80, 24));
}

#[test]
fn containers_panel_with_detail_beside_it_when_wide() {
    let mut app = loaded_app(150, 30);
    keys(&mut app, "jj"); // worker: shares a volume and a host path
    snapshot("containers_wide_detail", &app);
}

#[test]
fn volumes_panel_with_users_in_detail() {
    let mut app = loaded_app(100, 30);
    keys(&mut app, "2jj");
    snapshot("volumes_detail", &app);
}

#[test]
fn dangling_volume_detail_with_labels() {
    let mut app = loaded_app(100, 30);
    keys(&mut app, "2j");
    snapshot("volumes_dangling_detail", &app);
}

#[test]
fn binds_panel_groups_a_host_path_and_flags_missing_ones() {
    let mut app = loaded_app(100, 30);
    keys(&mut app, "3");
    snapshot("binds", &app);
}

#[test]
fn binds_that_hand_the_host_over_are_flagged_at_80x24_writable_loudest() {
    let mut app = loaded_app_with(engine(), vec![hazardous_container()], 80, 24);
    // Sorted by host path: /etc (read-only) first, the socket (writable) last; select the socket.
    keys(&mut app, "3jjjj");
    snapshot("binds_danger_80x24", &app);
    let mut terminal = ratatui::Terminal::new(ratatui::backend::TestBackend::new(80, 24)).unwrap();
    terminal.draw(|f| dockdu::ui::render(&app, f)).unwrap();
    let buffer = terminal.backend().buffer();
    let style_at = |text: &str| {
        (0..24)
            .find_map(|y| {
                let line: String = (0..80).map(|x| buffer[(x, y)].symbol().to_owned()).collect();
                line.find(text).map(|byte| {
                    let cell = &buffer[(line[..byte].chars().count() as u16, y)];
                    (cell.fg, cell.bg)
                })
            })
            .unwrap_or_else(|| panic!("{text} not on screen"))
    };
    assert_eq!(style_at("!! /var/run/docker.sock"), (Color::White, Color::Red), "writable: loudest");
    assert_eq!(style_at("!  /etc").0, Color::LightRed, "read-only: flagged, less loudly");
    assert_eq!(style_at("/srv/www").1, Color::Reset, "an ordinary bind is not flagged");
    assert_eq!(style_at("!! hands the host to the container"), (Color::White, Color::Red));
}

#[test]
fn a_cut_name_keeps_its_start_and_end_around_an_ellipsis_also_on_a_marked_row() {
    let manual = plain_container("f6", "a-container-with-a-rather-long-name", "dockdu-manual/busybox:a");
    let mut app = loaded_app_with(engine(), vec![manual], 80, 24);
    keys(&mut app, "/rather\n "); // filter to it, then mark it
    snapshot("cut_cells_80x24", &app);
    let screen = render(&app);
    let row = screen.lines().find(|l| l.contains("● a-container")).expect("the marked row");
    assert!(row.contains("● a-container-wit…ong-name ") && row.contains(" dockdu-man…ybox:a "), "{row}");
}

#[test]
fn tmpfs_panel_with_both_syntaxes() {
    let mut app = loaded_app(100, 30);
    let used = tmpfs_used(&app);
    feed(&mut app, used);
    keys(&mut app, "4");
    snapshot("tmpfs", &app);
}

#[test]
fn tmpfs_in_ram_at_80x24_with_the_reason_where_it_cannot_be_read() {
    let mut app = loaded_app(80, 24);
    keys(&mut app, "4");
    let before = render(&app);
    assert!(!before.contains("B in RAM"), "nothing read yet, no total:\n{before}");
    let used = tmpfs_used(&app);
    feed(&mut app, used);
    // db's /dev/shm is first (sorted by container) and could not be read: the reason shows.
    snapshot("tmpfs_80x24", &app);
    let screen = render(&app);
    assert!(screen.contains("1.5 MiB in RAM"), "{screen}");
    assert!(screen.contains("— permission denied"), "{screen}");
}

#[test]
fn links_focus_in_the_detail_pane() {
    let mut app = loaded_app(100, 30);
    keys(&mut app, "j\nj");
    snapshot("links_focus", &app);
}

#[test]
fn help_fits_80_by_24_whole_rows_and_what_does_not_fit_scrolls() {
    let mut app = loaded_app(80, 24);
    keys(&mut app, "?");
    let mut screen = render(&app);
    assert!(screen.contains("more "), "the rest is said to be below:\n{screen}");
    app.update(key(crossterm::event::KeyCode::PageDown));
    screen.push_str(&render(&app));
    // Each stretch between vertical borders: the help's rows read "key   what it does".
    let rows: Vec<&str> = screen.lines().flat_map(|line| line.split('│')).map(str::trim).collect();
    let help = dockdu::app::help::Help::new(dockdu::app::help::Topic::Explorer);
    for (key, what) in help.keys() {
        let whole = rows.iter().any(|row| {
            row.strip_prefix(key).is_some_and(|rest| rest.starts_with("  ") && rest.trim_start() == *what)
        });
        assert!(whole, "the row “{key} … {what}” is not whole on the 80×24 help:\n{screen}");
    }
}

#[test]
fn help_overlay() {
    let mut app = loaded_app(100, 30);
    keys(&mut app, "?");
    snapshot("help", &app);
}

#[test]
fn inspect_overlay_masks_env_and_shows_search() {
    let mut app = loaded_app(100, 30);
    let effects = keys(&mut app, "i");
    let [dockdu::app::Effect::Inspect(target)] = effects.as_slice() else { panic!("{effects:?}") };
    let document = serde_json::json!({
        "Id": "b2b2b2", "Name": "/db", "State": {"Status": "running", "Running": true, "Pid": 4242},
        "Config": {"Env": ["POSTGRES_PASSWORD=s3cret", "PGDATA=/var/lib/postgresql/data"], "Image": "postgres:16"},
        "SizeRw": 314572800, "Mounts": [{"Type": "volume", "Name": "pgdata", "RW": true}]
    });
    feed(&mut app, EngineMsg::Inspected { target: target.clone(), result: Ok(document) });
    keys(&mut app, "/pgdata\n");
    snapshot("inspect", &app);
}

#[test]
fn loading_state_is_the_first_frame() {
    let mut app = App::new("unix:///var/run/docker.sock", true, (80, 24), Default::default());
    app.start();
    snapshot("loading", &app);
}

#[test]
fn names_before_sizes_show_spinners() {
    let mut app = App::new("unix:///var/run/docker.sock", true, (80, 24), Default::default());
    app.start();
    feed(&mut app, EngineMsg::Connected(engine()));
    feed(&mut app, EngineMsg::Containers { seq: 1, containers: containers() });
    snapshot("sizes_pending", &app);
}

#[test]
fn empty_engine() {
    let mut app = App::new("unix:///var/run/docker.sock", true, (80, 24), Default::default());
    app.start();
    feed(&mut app, EngineMsg::Connected(engine()));
    feed(&mut app, EngineMsg::Containers { seq: 1, containers: vec![] });
    feed(&mut app, EngineMsg::Volumes { seq: 1, volumes: vec![] });
    snapshot("empty", &app);
}

/// 09:41:05 UTC on some day: failures carry when they happened.
fn at_0941() -> std::time::SystemTime {
    std::time::UNIX_EPOCH + std::time::Duration::from_secs(86_400 * 20_000 + 9 * 3600 + 41 * 60 + 5)
}

#[test]
fn engine_unreachable_offers_retry() {
    let mut app = App::new("unix:///var/run/docker.sock", true, (80, 24), Default::default());
    app.start();
    let error = EngineError::new(
        "unix:///var/run/docker.sock",
        "connecting",
        Problem::PermissionDenied,
        "permission denied",
    );
    feed(&mut app, EngineMsg::ConnectFailed { error, at: at_0941() });
    snapshot("error", &app);
    assert_eq!(keys(&mut app, "r"), [dockdu::app::Effect::Connect]);
}

#[test]
fn header_warns_when_tls_is_unverified() {
    let engine = dockdu::model::EngineInfo {
        host: "https://engine.example:2376".into(),
        tls_unverified: true,
        ..engine()
    };
    let app = loaded_app_on(engine, 100, 30);
    let mut terminal = ratatui::Terminal::new(ratatui::backend::TestBackend::new(100, 30)).unwrap();
    terminal.draw(|f| dockdu::ui::render(&app, f)).unwrap();
    let buffer = terminal.backend().buffer();
    let header: Vec<String> =
        (0..2).map(|y| (0..100).map(|x| buffer[(x, y)].symbol()).collect::<String>()).collect();
    insta::assert_snapshot!("header_tls_unverified", header.join("\n"));
    let column = header[0].find("(TLS unverified)").expect("the warning in the header");
    let column = header[0][..column].chars().count() as u16;
    assert_eq!(buffer[(column, 0)].fg, Color::Yellow, "the warning is in the warning style");
    assert!(!render(&loaded_app(100, 30)).contains("TLS unverified"), "only when unverified");
}

#[test]
fn too_small_terminal() {
    snapshot("too_small", &loaded_app(50, 12));
}

#[test]
fn states_and_missing_paths_are_coloured() {
    let mut app = loaded_app(100, 30);
    let (width, height) = app.terminal;
    let mut terminal = ratatui::Terminal::new(ratatui::backend::TestBackend::new(width, height)).unwrap();
    let colour_of = |terminal: &ratatui::Terminal<ratatui::backend::TestBackend>, text: &str| {
        let buffer = terminal.backend().buffer();
        (0..height)
            .find_map(|y| {
                let line: String = (0..width).map(|x| buffer[(x, y)].symbol().to_owned()).collect();
                line.find(text).map(|byte| buffer[(line[..byte].chars().count() as u16, y)].fg)
            })
            .unwrap_or_else(|| panic!("{text} not on screen"))
    };
    terminal.draw(|f| dockdu::ui::render(&app, f)).unwrap();
    assert_eq!(colour_of(&terminal, "running"), Color::Green);
    assert_eq!(colour_of(&terminal, "exited"), Color::Red);
    keys(&mut app, "3");
    terminal.draw(|f| dockdu::ui::render(&app, f)).unwrap();
    assert_eq!(colour_of(&terminal, "MISSING"), Color::Red);
}

#[test]
fn prune_volumes_preview() {
    let mut app = loaded_app(100, 30);
    keys(&mut app, "2P\t");
    snapshot("prune_volumes_preview", &app);
}

#[test]
fn remove_running_container_asks_for_force() {
    let mut app = loaded_app(100, 30);
    keys(&mut app, "d");
    snapshot("remove_running_container", &app);
}

#[test]
fn create_volume_form_with_an_error() {
    let mut app = loaded_app(100, 30);
    keys(&mut app, "2cbad name!\n");
    snapshot("create_volume_form_error", &app);
}

#[test]
fn prune_containers_narrowed_by_the_filter() {
    let mut app = loaded_app(100, 30);
    keys(&mut app, "/o\nP");
    snapshot("prune_containers_filtered", &app);
}

#[test]
fn attach_form_with_the_engines_whole_error() {
    let mut app = loaded_app(100, 30);
    keys(&mut app, "2a");
    let busybox = dockdu::model::ImageFacts { tags: vec!["busybox:latest".into()], ..Default::default() };
    feed_images(&mut app, Ok(vec![busybox]));
    keys(&mut app, "\t\tbroken\t/nope\n");
    let error = EngineError::new(
        "unix:///var/run/docker.sock",
        "starting a container",
        Problem::Api(400),
        "failed to create shim: OCI runtime create failed: container_linux.go:380: starting container \
         process caused: exec: \"/nope\": stat /nope: no such file or directory: unknown",
    );
    feed(&mut app, EngineMsg::ContainerCreated { result: Err(error), name: "broken".into(), shell: false });
    snapshot("attach_form_engine_error", &app);
}

#[test]
fn removal_outcome() {
    let mut app = loaded_app(100, 30);
    let outcome = dockdu::tasks::actions::Outcome {
        removed: vec![dockdu::tasks::actions::Removed {
            kind: dockdu::tasks::actions::ObjectKind::Volume,
            name: "old-logs".into(),
            bytes: Some(250 << 20),
        }],
        skipped: vec![dockdu::tasks::actions::Skipped {
            kind: dockdu::tasks::actions::ObjectKind::Volume,
            name: "shared-cache".into(),
            reason: "in use: volume is in use - [c3c3c3]".into(),
        }],
    };
    feed(&mut app, EngineMsg::Removed(outcome));
    snapshot("removal_outcome", &app);
}

#[test]
fn images_panel_at_80x24() {
    let mut app = loaded_app(80, 24);
    keys(&mut app, "5");
    snapshot("images_80x24", &app);
}

#[test]
fn images_panel_before_shared_sizes_are_measured() {
    let mut app = loaded_app_before_images(80, 24);
    feed_images(&mut app, Ok(images()));
    keys(&mut app, "5G"); // the untagged one
    snapshot("images_measuring", &app);
}

#[test]
fn image_prune_preview_of_all_unused() {
    let mut app = loaded_app(100, 30);
    keys(&mut app, "5P\t");
    snapshot("prune_images_preview", &app);
}

#[test]
fn build_cache_panel_at_80x24() {
    let mut app = loaded_app(80, 24);
    keys(&mut app, "6");
    snapshot("build_cache_80x24", &app);
}

#[test]
fn an_empty_build_cache_says_so() {
    let mut app = loaded_app_before_images(80, 24);
    feed_images(&mut app, Ok(Vec::new()));
    let empty = dockdu::model::DiskUsage {
        images: Some(ImagesUsage { layers_size: Some(0), ..Default::default() }),
        build_cache: Some(Default::default()),
        ..Default::default()
    };
    feed(&mut app, EngineMsg::ImagesSized(Ok(Box::new(empty))));
    keys(&mut app, "6");
    snapshot("build_cache_empty", &app);
}

#[test]
fn question_mark_shows_the_keys_of_the_browser_and_of_inspect_and_esc_returns_to_them() {
    let mut app = loaded_app(100, 30);
    keys(&mut app, "2o?");
    let screen = render(&app);
    assert!(screen.contains("Keys: looking inside") && screen.contains("reverse the order"), "{screen}");
    keys(&mut app, "\x1b");
    assert!(app.help.is_none() && matches!(app.overlay, Some(dockdu::app::Overlay::Browser(_))));
    keys(&mut app, "\x1b1i?");
    assert!(render(&app).contains("Keys: inspect"), "{}", render(&app));
}
