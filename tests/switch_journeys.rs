//! Switching engines through the app's update function, as a person types it: `E` lists the
//! contexts, typing filters, Enter asks the runtime for the other engine, and once it took over
//! nothing of the old engine stays on screen; `-` asks for the previous one. No engine involved.

mod app_fixture;

use app_fixture::{engine, feed, keys, loaded_app, render};
use dockdu::app::engines::{EngineRow, Reach};
use dockdu::app::{Connection, Effect, EngineMsg, Overlay};
use dockdu::model::{EngineInfo, EngineKind};

fn rows() -> Vec<EngineRow> {
    let row =
        |name: &str, host: &str| EngineRow { name: name.into(), host: host.into(), reach: Reach::Checking };
    vec![
        row("default", "unix:///var/run/docker.sock"),
        row("build-box", "ssh://me@build"),
        row("podman", "unix:///run/podman/podman.sock"),
    ]
}

fn podman() -> EngineInfo {
    EngineInfo {
        context: "podman".into(),
        host: "unix:///run/podman/podman.sock".into(),
        ..Default::default()
    }
}

#[test]
fn e_lists_the_contexts_with_what_each_answers_and_typing_filters_them() {
    let mut app = loaded_app(120, 30);
    assert_eq!(keys(&mut app, "E"), [Effect::ListContexts]);
    feed(&mut app, EngineMsg::ContextsListed(rows()));
    let answers = Reach::Answers { product: "Podman Engine".into(), containers: 3, volumes: 2 };
    feed(&mut app, EngineMsg::ContextReach { name: "podman".into(), reach: answers });
    let failing = Reach::Fails("ssh: Permission denied (publickey)".into());
    feed(&mut app, EngineMsg::ContextReach { name: "build-box".into(), reach: failing });
    let screen = render(&app);
    assert!(screen.contains("Engines (docker contexts)"), "{screen}");
    assert!(
        screen
            .lines()
            .any(|l| l.contains("podman") && l.contains("Podman Engine · 3 containers · 2 volumes")),
        "{screen}"
    );
    assert!(
        screen.lines().any(|l| l.contains("build-box") && l.contains("✗ ssh: Permission denied")),
        "{screen}"
    );
    assert!(screen.lines().any(|l| l.contains("● default")), "the engine in use is marked:\n{screen}");

    keys(&mut app, "build");
    let screen = render(&app);
    assert!(screen.contains("build-box") && !screen.contains("Podman Engine"), "{screen}");
    assert_eq!(keys(&mut app, "\n"), [Effect::SwitchEngine("build-box".into())]);
    assert!(app.overlay.is_none());
}

#[test]
fn once_another_engine_took_over_nothing_of_the_old_one_stays_and_minus_asks_for_it_again() {
    let mut app = loaded_app(120, 30);
    keys(&mut app, "2 ");
    assert!(!app.inventory.volumes.is_empty() && app.marks.count(dockdu::app::panel::Panel::Volumes) > 0);
    keys(&mut app, "E");
    feed(&mut app, EngineMsg::ContextsListed(rows()));
    assert_eq!(keys(&mut app, "pod\n"), [Effect::SwitchEngine("podman".into())]);

    // The runtime has replaced the engine: the app starts over on the new one.
    let effects = app.switched(podman(), true);
    assert_eq!(effects, [Effect::Connect]);
    assert!(app.inventory.volumes.is_empty() && app.inventory.containers.is_empty());
    assert_eq!(app.marks, Default::default(), "marks named the old engine's objects");
    assert_eq!(app.loading.connection, Connection::Connecting);
    let screen = render(&app);
    assert!(screen.contains("context podman · unix:///run/podman/podman.sock"), "{screen}");
    assert!(screen.contains("- back to default"), "the way back is named:\n{screen}");

    let info = EngineInfo {
        product: "Podman Engine".into(),
        kind: EngineKind::Podman,
        server_version: "4.3.1".into(),
        ..podman()
    };
    feed(&mut app, EngineMsg::Connected(info));
    assert!(render(&app).contains("Podman Engine 4.3.1"));
    assert_eq!(keys(&mut app, "-"), [Effect::SwitchEngine("default".into())]);
    app.switched(engine(), true);
    assert_eq!(app.nav.previous_context.as_deref(), Some("podman"));
}

#[test]
fn the_picker_starts_on_the_previous_engine_so_e_then_enter_also_goes_back() {
    let mut app = loaded_app(120, 30);
    app.switched(podman(), true);
    keys(&mut app, "E");
    feed(&mut app, EngineMsg::ContextsListed(rows()));
    assert!(matches!(&app.overlay, Some(Overlay::Engines(_))));
    assert_eq!(keys(&mut app, "\n"), [Effect::SwitchEngine("default".into())]);
}

#[test]
fn minus_without_a_previous_engine_says_so_and_the_engine_in_use_needs_no_switch() {
    let mut app = loaded_app(120, 30);
    assert!(keys(&mut app, "-").is_empty());
    assert!(app.notice.as_deref().is_some_and(|n| n.contains("no previous engine")));
    keys(&mut app, "E");
    feed(&mut app, EngineMsg::ContextsListed(rows()));
    assert!(keys(&mut app, "default\n").is_empty(), "already on default");
    assert!(app.notice.as_deref().is_some_and(|n| n.contains("already on context default")));
}
