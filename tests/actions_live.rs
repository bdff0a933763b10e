//! Writes against the real engine, each on labelled objects of its own: prune exactly what was
//! previewed, create and attach, a shell round trip, read-only and dry runs change nothing, bad
//! input is refused with a reason.

mod app_fixture;
mod support;

use std::collections::BTreeSet;
use std::time::Duration;

use app_fixture::{keys, render};
use bollard::models::HostConfig;
use bollard::query_parameters::{ListContainersOptions, ListVolumesOptions};
use dockdu::app::form::{Form, FormAnswer, Submit};
use dockdu::app::{Action, App, Effect, EngineMsg, Msg, Overlay};
use dockdu::engine::{ContainerSpec, Engine, Problem};
use dockdu::model::plan;
use dockdu::model::ImageFacts;
use dockdu::tasks::actions;
use dockdu::tasks::sizes::Route;
use futures_util::StreamExt;
use support::{dockdu, Scenario};
use tokio::io::AsyncWriteExt;

/// The explorer as the runtime would have filled it from this engine.
async fn loaded_app(engine: &Engine) -> App {
    let sources = dockdu::tasks::collect::collect(engine, Route::Host).await.expect("collect");
    let mut app = App::new(engine.host(), true, (120, 40), Default::default());
    app.start();
    app.update(Msg::Engine(EngineMsg::Connected(sources.engine.clone())));
    app_fixture::feed_sources(&mut app, sources);
    app
}

/// This scenario's containers (id, state) and volumes, to compare before and after.
async fn objects(s: &Scenario) -> (BTreeSet<(String, String)>, BTreeSet<String>) {
    let filter =
        std::collections::HashMap::from([("label".to_owned(), vec![format!("dockdu.test={}", s.run_id)])]);
    let containers = s
        .docker
        .list_containers(Some(ListContainersOptions {
            all: true,
            filters: Some(filter.clone()),
            ..Default::default()
        }))
        .await
        .expect("list containers");
    let volumes = s
        .docker
        .list_volumes(Some(ListVolumesOptions { filters: Some(filter) }))
        .await
        .expect("list volumes");
    (
        containers.into_iter().map(|c| (c.id.unwrap_or_default(), format!("{:?}", c.state))).collect(),
        volumes.volumes.unwrap_or_default().into_iter().map(|v| v.name).collect(),
    )
}

fn binds(bind: String) -> HostConfig {
    HostConfig { binds: Some(vec![bind]), ..Default::default() }
}

#[tokio::test(flavor = "multi_thread")]
async fn prune_removes_exactly_the_preview_and_keeps_a_volume_that_gained_a_user() {
    let s = Scenario::new().await;
    let idle = s.create_volume("idle").await;
    let late = s.create_volume("late").await;
    let used = s.create_volume("used").await;
    s.create_container("user", &["true"], binds(format!("{used}:/u"))).await;
    let engine = support::engine();

    let mut app = loaded_app(&engine).await;
    keys(&mut app, "2P\t\t");
    keys(&mut app, &format!("dockdu.test={}", s.run_id));
    let Some(Overlay::Confirm(preview)) = &app.overlay else { panic!("no preview open") };
    let previewed: BTreeSet<&str> = preview.plan.volumes.iter().map(|v| v.name.as_str()).collect();
    assert_eq!(previewed, BTreeSet::from([idle.as_str(), late.as_str()]), "the volume in use is not offered");
    let screen = render(&app);
    assert!(screen.contains(&idle) && screen.contains("Will remove 2 volumes"), "{screen}");

    // Between preview and confirm, another client starts using one of them.
    s.create_container("latecomer", &["true"], binds(format!("{late}:/l"))).await;
    let effects = keys(&mut app, "\n");
    let [Effect::Perform(Action::Remove(plan))] = effects.as_slice() else {
        panic!("confirm sent {effects:?}")
    };
    let outcome = actions::remove(&engine, plan).await;
    app.update(Msg::Engine(EngineMsg::Removed(outcome.clone())));
    assert!(render(&app).contains("Kept by the engine"));

    let removed: Vec<&str> = outcome.removed.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(removed, [idle.as_str()]);
    assert_eq!(outcome.skipped.len(), 1);
    assert_eq!(outcome.skipped[0].name, late);
    assert!(outcome.skipped[0].reason.contains("in use"), "{:?}", outcome.skipped);
    let (_, volumes) = objects(&s).await;
    assert_eq!(volumes, BTreeSet::from([late, used]), "exactly the previewed, unused volume went");
}

#[tokio::test(flavor = "multi_thread")]
async fn create_then_attach_gives_a_container_on_the_volume_at_the_chosen_path_and_mode() {
    let s = Scenario::new().await;
    let engine = support::engine();

    let mut form = Form::create_volume();
    let typed = |form: &mut Form, text: &str| {
        for c in text.chars() {
            form.on_key(crossterm::event::KeyEvent::from(crossterm::event::KeyCode::Char(c)));
        }
    };
    let press = |form: &mut Form, code| form.on_key(crossterm::event::KeyEvent::from(code));
    typed(&mut form, &s.name("made"));
    press(&mut form, crossterm::event::KeyCode::Tab);
    press(&mut form, crossterm::event::KeyCode::Tab);
    typed(&mut form, &format!("dockdu.test={}", s.run_id));
    let FormAnswer::Submit(Submit::CreateVolume(spec)) = press(&mut form, crossterm::event::KeyCode::Enter)
    else {
        panic!("{:?}", form.error)
    };
    let volume = engine.create_volume(&spec).await.expect("create volume");
    assert_eq!(volume, s.name("made"));
    // The same name again, from the form: refused, never "created".
    let again = engine.create_volume(&spec).await.expect_err("the volume exists");
    assert_eq!(again.problem, dockdu::model::Problem::AlreadyExists);
    let mut app = loaded_app(&engine).await;
    app.update(Msg::Engine(EngineMsg::VolumeCreated(Err(again))));
    let notice = app.notice.clone().unwrap_or_default();
    assert!(notice.contains("already exists") && !notice.starts_with("created"), "{notice}");

    let mut form = Form::attach(&volume, vec![s.image.clone()]);
    press(&mut form, crossterm::event::KeyCode::Down); // read-only
    press(&mut form, crossterm::event::KeyCode::Char(' '));
    press(&mut form, crossterm::event::KeyCode::Down); // name
    typed(&mut form, &s.name("attached"));
    press(&mut form, crossterm::event::KeyCode::Down); // command
    typed(&mut form, "sleep 600");
    let FormAnswer::Submit(Submit::CreateContainer { mut spec, shell }) =
        press(&mut form, crossterm::event::KeyCode::Enter)
    else {
        panic!("{:?}", form.error)
    };
    assert!(!shell);
    spec.labels = s.labels().into_iter().collect(); // so the harness cleans it up
    let id = actions::create_on_volume(&engine, &spec, true).await.expect("create and start");

    let inspect = s.inspect(&id).await;
    let mounts = inspect.mounts.unwrap_or_default();
    assert_eq!(mounts.len(), 1);
    assert_eq!(mounts[0].name.as_deref(), Some(volume.as_str()));
    assert_eq!(mounts[0].destination.as_deref(), Some("/data"));
    assert_eq!(mounts[0].rw, Some(false), "read-only, as chosen");
    assert_eq!(inspect.host_config.and_then(|h| h.network_mode).as_deref(), Some("none"));
    assert_eq!(inspect.state.and_then(|st| st.running), Some(true));

    let inventory = support::inventory().await;
    let owners: Vec<&str> = inventory
        .volume(&volume)
        .expect("volume listed")
        .containers
        .iter()
        .map(|o| o.container.as_str())
        .collect();
    assert_eq!(owners, [s.name("attached").as_str()], "the new container owns the volume");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_shell_session_answers_echo_hi() {
    let s = Scenario::new().await;
    let id = s.create_container("shell", &["sleep", "600"], HostConfig::default()).await;
    s.start(&id).await;
    let engine = support::engine();
    let mut session = engine.exec(&id, &["sh".to_owned()], (80, 24)).await.expect("exec");
    session.input.write_all(b"echo hi\n").await.expect("write");
    let mut seen = String::new();
    let got_hi = tokio::time::timeout(Duration::from_secs(15), async {
        while let Some(chunk) = session.output.next().await {
            seen.push_str(&String::from_utf8_lossy(&chunk.expect("output")));
            // The TTY echoes the command; the answer is a line of its own.
            if seen.lines().any(|line| line.trim_end_matches('\r') == "hi") {
                return true;
            }
        }
        false
    })
    .await;
    assert_eq!(got_hi, Ok(true), "no `hi` line came back; the session said: {seen:?}");
    session.input.write_all(b"exit\n").await.expect("write exit");
    let ended = tokio::time::timeout(Duration::from_secs(15), async {
        while session.output.next().await.is_some() {}
    })
    .await;
    assert!(ended.is_ok(), "the session ends when the shell exits");
}

#[tokio::test(flavor = "multi_thread")]
async fn read_only_and_dry_run_change_nothing() {
    let s = Scenario::new().await;
    let idle = s.create_volume("idle").await;
    s.create_container("stopped", &["true"], HostConfig::default()).await;
    let label = format!("label=dockdu.test={}", s.run_id);
    let before = objects(&s).await;

    let read_only =
        dockdu(&["--read-only", "prune", "volumes", "--scope", "dangling", "--filter", &label, "--yes"])
            .await;
    assert_eq!(read_only.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&read_only.stderr).contains("read-only"));
    let read_only = dockdu(&["--read-only", "prune", "containers", "--filter", &label, "--yes"]).await;
    assert_eq!(read_only.status.code(), Some(2));
    let read_only = dockdu(&["--read-only", "volume", "create", &s.name("never")]).await;
    assert_eq!(read_only.status.code(), Some(2));

    let dry = dockdu(&["prune", "volumes", "--scope", "dangling", "--filter", &label, "--dry-run"]).await;
    assert_eq!(dry.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&dry.stdout).contains(&idle), "the preview names the volume");
    let dry = dockdu(&["prune", "containers", "--filter", &label, "--dry-run", "--json"]).await;
    let preview: serde_json::Value = serde_json::from_slice(&dry.stdout).expect("JSON preview");
    assert_eq!(preview["plan"]["containers"][0]["name"], s.name("stopped"));
    let unconfirmed = dockdu(&["prune", "volumes", "--scope", "dangling", "--filter", &label]).await;
    assert_eq!(unconfirmed.status.code(), Some(2), "no --yes and no terminal: refused");

    let engine = support::engine().read_only(true);
    let refused = engine.remove_volume(&idle).await.expect_err("read-only engine removes nothing");
    assert_eq!(refused.problem, Problem::ReadOnly);

    let mut app = loaded_app(&engine).await;
    app.config.read_only = true;
    for key in ["2c", "2a", "2P", "2d", "1P", "1d", "1e", "1A"] {
        let effects = keys(&mut app, key);
        assert!(effects
            .iter()
            .all(|e| !matches!(e, Effect::Perform(_) | Effect::OpenSession(_) | Effect::LoadImages { .. })));
        assert!(app.overlay.is_none());
    }
    assert_eq!(objects(&s).await, before, "the engine's objects are as they were");
}

#[tokio::test(flavor = "multi_thread")]
async fn prune_containers_with_volumes_removes_the_stopped_ones_and_their_anonymous_volume() {
    let s = Scenario::new().await;
    let body = bollard::models::ContainerCreateBody {
        cmd: Some(vec!["true".to_owned()]),
        volumes: Some(vec!["/anon".to_owned()]),
        ..Default::default()
    };
    let stopped = s.create_container_with("stopped", body).await;
    let running = s.create_container("running", &["sleep", "600"], HostConfig::default()).await;
    s.start(&running).await;
    let anonymous =
        s.inspect(&stopped).await.mounts.unwrap_or_default()[0].name.clone().expect("anonymous volume");

    let label = format!("label=dockdu.test={}", s.run_id);
    let pruned =
        dockdu(&["prune", "containers", "--with-volumes", "--filter", &label, "--yes", "--json"]).await;
    assert_eq!(pruned.status.code(), Some(0), "{}", String::from_utf8_lossy(&pruned.stderr));
    let answer: serde_json::Value = serde_json::from_slice(&pruned.stdout).expect("JSON");
    let removed: BTreeSet<&str> = answer["outcome"]["removed"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["name"].as_str().unwrap())
        .collect();
    let stopped_name = s.name("stopped");
    assert_eq!(removed, BTreeSet::from([stopped_name.as_str(), anonymous.as_str()]));
    let (containers, _) = objects(&s).await;
    assert_eq!(containers.len(), 1, "the running container stays");
    assert!(containers.iter().any(|(id, _)| *id == running));
    let volume_gone = s.docker.inspect_volume(&anonymous).await;
    assert!(volume_gone.is_err(), "the anonymous volume went with its container");
}

#[tokio::test(flavor = "multi_thread")]
async fn bad_input_is_refused_with_a_reason_and_changes_nothing() {
    let s = Scenario::new().await;
    let used = s.create_volume("used").await;
    s.create_container("user", &["true"], binds(format!("{used}:/u"))).await;
    let before = objects(&s).await;
    let engine = support::engine();

    let bad_name = dockdu(&["volume", "create", "bad name!"]).await;
    assert_eq!(bad_name.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad_name.stderr).contains("not a valid name"));

    let spec = ContainerSpec {
        image: format!("dockdu-test/no-such-image:{}", s.run_id),
        name: s.name("orphan"),
        volume: used.clone(),
        mount_path: "/data".to_owned(),
        network_mode: "none".to_owned(),
        labels: s.labels().into_iter().collect(),
        ..Default::default()
    };
    let error = actions::create_on_volume(&engine, &spec, true).await.expect_err("no such image");
    assert!(error.to_string().to_lowercase().contains("no such image"), "{error}");

    let inventory = support::inventory().await;
    let plan = plan::volume_removal(&inventory, &BTreeSet::from([used.as_str().into()]));
    assert!(plan.is_empty());
    assert_eq!(plan.kept[0].reason, plan::KeptReason::InUse { users: vec![s.name("user")] });
    let refused = engine.remove_volume(&used).await.expect_err("in use");
    assert_eq!(refused.problem, Problem::Api(409));

    assert_eq!(objects(&s).await, before, "nothing changed");
}

/// The screen's text inside the dialog's borders (on each line, the widest stretch between two
/// `│`), as one line with single spaces: a wrapped message reads whole again.
fn dialog_text(screen: &str) -> String {
    let inside = screen.lines().filter_map(|line| line.split('│').max_by_key(|part| part.chars().count()));
    inside.flat_map(str::split_whitespace).collect::<Vec<_>>().join(" ")
}

#[tokio::test(flavor = "multi_thread")]
async fn a_container_that_cannot_start_is_removed_and_the_form_shows_the_whole_error() {
    let s = Scenario::new().await;
    let volume = s.create_volume("data").await;
    let engine = support::engine();

    let mut app = loaded_app(&engine).await;
    keys(&mut app, &format!("2/{volume}\n"));
    assert!(keys(&mut app, "a").is_empty(), "the image list was asked for with the other lists");
    let image = ImageFacts { id: "sha256:x".into(), tags: vec![s.image.clone()], ..Default::default() };
    {
        let seq = app.loading.image_generation();
        app.update(Msg::Engine(EngineMsg::Images { seq, result: Ok(vec![image]) }))
    };
    keys(&mut app, "\t\t");
    keys(&mut app, &s.name("broken"));
    keys(&mut app, "\t/nope");
    let effects = keys(&mut app, "\n");
    let [Effect::Perform(Action::Submit(Submit::CreateContainer { spec, .. }))] = effects.as_slice() else {
        panic!("the form sent {effects:?}")
    };
    let mut spec = spec.clone();
    spec.labels = s.labels().into_iter().collect(); // so the harness would clean up a leftover
    assert_eq!((spec.image.as_str(), spec.command.as_slice()), (s.image.as_str(), &["/nope".to_owned()][..]));

    for attempt in ["first", "second"] {
        let error = actions::create_on_volume(&engine, &spec, true).await.expect_err("/nope cannot start");
        assert!(error.detail.contains("/nope"), "{attempt}: {error}");
        assert!(!error.detail.contains("already in use"), "{attempt}: the name is free again: {error}");
        let (containers, _) = objects(&s).await;
        assert!(
            containers.is_empty(),
            "{attempt}: the container that failed to start is gone: {containers:?}"
        );
        let message = error.to_string();
        app.update(Msg::Engine(EngineMsg::ContainerCreated {
            result: Err(error.clone()),
            name: spec.name.clone(),
            shell: false,
        }));
        let Some(Overlay::Form(form)) = &app.overlay else { panic!("the form closed") };
        assert!(!form.working, "Enter may try again");
        let screen = render(&app);
        let whole = message.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(dialog_text(&screen).contains(&whole), "{attempt}: not all of {message:?} shows:\n{screen}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn volume_create_refuses_a_name_that_exists_and_leaves_it_unchanged() {
    let s = Scenario::new().await;
    let volume = s.create_volume("exists").await;
    let output = support::dockdu(&["volume", "create", &volume, "--label", "other=2"]).await;
    assert_eq!(output.status.code(), Some(1), "{output:?}");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains(&format!("volume {volume} already exists")), "{stderr}");
    assert!(output.stdout.is_empty(), "no name printed as if created");
    let labels = s.docker.inspect_volume(&volume).await.expect("inspect").labels;
    assert!(!labels.contains_key("other"), "the existing volume gained a label: {labels:?}");
}

/// Scripts read one JSON document whatever happened: `outcome` is always there (empty when
/// there was nothing to remove, null when nothing was sent), and `refused` says why not.
#[tokio::test(flavor = "multi_thread")]
async fn every_prune_json_has_its_outcome_key_and_a_refusal_says_why() {
    let s = Scenario::new().await;
    let filter = format!("label=dockdu.test={}", s.run_id);
    let nothing =
        dockdu(&["prune", "volumes", "--scope", "dangling", "--filter", &filter, "--yes", "--json"]).await;
    assert_eq!(nothing.status.code(), Some(0), "{nothing:?}");
    let document = support::json_output(&nothing);
    assert_eq!(document["outcome"]["removed"], serde_json::json!([]), "{document}");

    let idle = s.create_volume("idle").await;
    let refused = dockdu(&[
        "--read-only",
        "prune",
        "volumes",
        "--scope",
        "dangling",
        "--filter",
        &filter,
        "--yes",
        "--json",
    ])
    .await;
    assert_eq!(refused.status.code(), Some(2), "{refused:?}");
    let document: serde_json::Value = serde_json::from_slice(&refused.stdout).expect("JSON on stdout");
    assert!(
        document["outcome"].is_null()
            && document["refused"].as_str().is_some_and(|r| r.contains("read-only")),
        "{document}"
    );
    assert_eq!(document["plan"]["volumes"][0]["name"], serde_json::json!(idle));

    let dry =
        dockdu(&["prune", "volumes", "--scope", "dangling", "--filter", &filter, "--dry-run", "--json"])
            .await;
    let document = support::json_output(&dry);
    assert!(
        document.as_object().is_some_and(|d| d.contains_key("outcome")) && document["outcome"].is_null(),
        "{document}"
    );
    let (_, volumes) = objects(&s).await;
    assert!(volumes.contains(&idle), "nothing was removed");
}
