//! The detail pane of a CIFS volume, as a person looking over someone's shoulder would see it:
//! the password option and a token label are masked, other labels read as they are, and an
//! escape sequence in a label is shown as text. No engine involved.

mod app_fixture;

use std::collections::BTreeMap;

use app_fixture::{engine, feed, keys, render, volumes};
use dockdu::app::{App, EngineMsg};
use dockdu::model::VolumeFacts;
use dockdu::text::secrets::MASK;

fn map(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
}

#[test]
fn the_detail_pane_masks_secret_options_and_labels_and_shows_escapes_as_text() {
    let cifs = VolumeFacts {
        name: "nas-share".into(),
        driver: "local".into(),
        mountpoint: "/var/lib/docker/volumes/nas-share/_data".into(),
        created_at: None,
        labels: map(&[("API_TOKEN", "tok-123"), ("evil", "\x1b]0;PWN\x07"), ("team", "ops")]),
        options: map(&[("type", "cifs"), ("o", "username=me"), ("password", "hunter2")]),
    };
    let mut app = App::new("unix:///var/run/docker.sock", true, (120, 40), Default::default());
    app.start();
    feed(&mut app, EngineMsg::Connected(engine()));
    feed(&mut app, EngineMsg::Containers { seq: 1, containers: vec![] });
    feed(&mut app, EngineMsg::Volumes { seq: 1, volumes: [volumes(), vec![cifs]].concat() });
    keys(&mut app, "2/nas-share\n");

    let screen = render(&app);
    assert!(screen.contains(&format!("password={MASK}")), "{screen}");
    assert!(screen.contains(&format!("API_TOKEN={MASK}")), "{screen}");
    assert!(!screen.contains("hunter2") && !screen.contains("tok-123"), "{screen}");
    assert!(
        screen.contains("type=cifs") && screen.contains("o=username=me") && screen.contains("team=ops"),
        "{screen}"
    );
    assert!(screen.contains("evil=\\x1b]0;PWN\\x07"), "{screen}");
}
