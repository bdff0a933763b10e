//! An image's platforms and attestations, as Engine 29 (API 1.52) describes them when its image
//! list is asked with `manifests=1`: the list's answer comes from a fixture built from the
//! engine's API schema, served by a stand-in engine on a loopback port, and read by dockdu's own
//! engine client, then seen in the image detail and in `report --json`. No real engine needed.

mod app_fixture;

use std::io::{BufRead, BufReader, Write};
use std::net::{Ipv4Addr, TcpListener, TcpStream};
use std::sync::{Arc, Mutex};

use app_fixture::{engine, feed_images, keys, loaded_app_with, plain_container, render};
use dockdu::app::detail::{Row, Tone};
use dockdu::engine::{Engine, HostChoice};
use dockdu::model::manifests::ManifestKind;
use dockdu::model::{ContainerFacts, ImageFacts};

const IMAGE_LIST: &str = include_str!("fixtures/engine-1.52/images-manifests.json");
const WEB: &str = "f059a5a2809a9c0675534338e571e042d196619ea4be20486c200ce3ba372926";

/// An engine on a loopback port that speaks `api`, answers its image list with `images` and
/// remembers every path it was asked for (with the `/vX.Y` prefix the client adds).
struct StandIn {
    host: String,
    asked: Arc<Mutex<Vec<String>>>,
}

impl StandIn {
    fn start(api: &'static str, images: &'static str) -> StandIn {
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).expect("a loopback port");
        let host = format!("tcp://{}", listener.local_addr().expect("its address"));
        let asked = Arc::new(Mutex::new(Vec::new()));
        let log = asked.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let log = log.clone();
                std::thread::spawn(move || serve(stream, api, images, &log));
            }
        });
        StandIn { host, asked }
    }

    fn asked(&self) -> Vec<String> {
        self.asked.lock().unwrap().clone()
    }

    async fn images(&self) -> Vec<ImageFacts> {
        let choice = HostChoice { flag: Some(&self.host), ..Default::default() };
        let engine = Engine::new(&choice).expect("a client for the stand-in");
        engine.negotiate().await.expect("the stand-in's version");
        engine.images().await.expect("the stand-in's image list")
    }
}

/// Answers one connection's requests (GETs, no body) until the client closes it.
fn serve(stream: TcpStream, api: &str, images: &str, asked: &Mutex<Vec<String>>) {
    let mut reader = BufReader::new(stream.try_clone().expect("the stream"));
    let mut writer = stream;
    loop {
        let mut request = String::new();
        if reader.read_line(&mut request).unwrap_or(0) == 0 {
            return;
        }
        let mut header = String::new();
        while reader.read_line(&mut header).unwrap_or(0) > 2 {
            header.clear();
        }
        let path = request.split_whitespace().nth(1).unwrap_or_default().to_owned();
        asked.lock().unwrap().push(path.clone());
        // The client asks `/version` before it knows the version, everything else under it.
        let unversioned = match path.strip_prefix("/v") {
            Some(rest) => rest.find('/').map_or(path.as_str(), |slash| &rest[slash..]),
            None => path.as_str(),
        };
        let version = format!(
            r#"{{"Platform": {{"Name": "Docker Engine - Community"}}, "Version": "29.0.2",
                "ApiVersion": "{api}", "MinAPIVersion": "1.44", "Os": "linux", "Arch": "amd64"}}"#
        );
        let (status, body) = match unversioned.split('?').next().unwrap_or_default() {
            "/version" => ("200 OK", version),
            "/images/json" => ("200 OK", images.to_owned()),
            _ => ("404 Not Found", r#"{"message": "page not found"}"#.to_owned()),
        };
        let answer = format!(
            "HTTP/1.1 {status}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
            body.len()
        );
        if writer.write_all(answer.as_bytes()).is_err() {
            return;
        }
    }
}

/// The container the fixture's linux/amd64 manifest names as its user.
fn web() -> ContainerFacts {
    let alpine = "sha256:0c5ab2058a147f97350f8a33bece29884f8da99f848db9811b31172c74412967";
    ContainerFacts { id: WEB.into(), image_id: alpine.into(), ..plain_container("f0", "web", "alpine:3.22") }
}

#[tokio::test]
async fn an_engine_on_api_1_45_is_not_asked_for_manifests() {
    let engine = StandIn::start("1.45", "[]");
    assert!(engine.images().await.is_empty());
    let lists: Vec<String> = engine.asked().into_iter().filter(|p| p.contains("/images/json")).collect();
    assert_eq!(lists, ["/v1.45/images/json?shared-size=1"]);
}

#[tokio::test]
async fn engine_29_lists_each_platform_of_an_image_with_what_is_here_and_its_attestations() {
    let engine = StandIn::start("1.52", IMAGE_LIST);
    let images = engine.images().await;
    let lists: Vec<String> = engine.asked().into_iter().filter(|p| p.contains("/images/json")).collect();
    assert_eq!(lists, ["/v1.52/images/json?shared-size=1&manifests=1"]);

    let alpine = &images[0];
    let platforms: Vec<(ManifestKind, Option<&str>, bool)> =
        alpine.manifests.iter().map(|m| (m.kind, m.platform.as_deref(), m.available)).collect();
    assert_eq!(
        platforms,
        [
            (ManifestKind::Image, Some("linux/amd64"), true),
            (ManifestKind::Image, Some("linux/arm64/v8"), false),
            (ManifestKind::Attestation, None, true),
            (ManifestKind::Attestation, None, false),
        ]
    );
    let amd64 = &alpine.manifests[0];
    assert_eq!((amd64.content_size, amd64.unpacked_size), (Some(3_802_116), Some(8_620_032)));
    assert_eq!(amd64.container_ids, [WEB]);
    assert_eq!(alpine.manifests[2].attests.as_deref(), Some(amd64.digest.as_str()));

    // Beside the fixed host's images, which the engine described no manifests of. Alpine is
    // the smallest: the last row.
    let mut app = loaded_app_with(engine_info(), vec![web()], 80, 30);
    feed_images(&mut app, Ok(images.into_iter().chain(app_fixture::images()).collect()));
    keys(&mut app, "5G");
    let rows = app.detail_rows(78);
    let texts: Vec<String> = rows.iter().map(Row::text).collect();
    let from = texts.iter().position(|r| r.starts_with("manifests")).expect("a manifests heading");
    assert_eq!(
        texts[from..],
        [
            "manifests (4)",
            " linux/amd64       3.6 MiB content    8.2 MiB unpacked   used by web",
            " linux/arm64/v8  not pulled",
            " attestation for linux/amd64   14.0 KiB content",
            " attestation for linux/arm64/v8  not pulled",
        ]
    );
    // Attestations are quiet throughout; a platform is not.
    let quiet = |row: &Row| row.pieces.iter().all(|p| p.tone == Tone::Quiet);
    assert_eq!(rows[from + 1..].iter().map(quiet).collect::<Vec<_>>(), [false, false, true, true]);
    insta::assert_snapshot!("image_detail_with_manifests_80x30", render(&app));

    // The script face: each manifest with its numbers, the containers by id.
    let report: serde_json::Value =
        serde_json::from_str(&dockdu::cli::report::json(&app.inventory, false)).expect("JSON");
    let alpine = report["images"].as_array().unwrap().iter().find(|i| i["tags"][0] == "alpine:3.22").unwrap();
    assert_eq!(
        alpine["manifests"][0],
        serde_json::json!({
            "digest": "sha256:a698229582d023853cb5b2849d0c9318256fcca5a6f7ed009c8e7a831b244b6c",
            "kind": "image",
            "available": true,
            "platform": "linux/amd64",
            "content_size": 3_802_116,
            "total_size": 12_422_148,
            "unpacked_size": 8_620_032,
            "container_ids": [WEB],
            "attests": null,
        })
    );
    assert_eq!(alpine["manifests"][1]["available"], false);
    assert_eq!(alpine["manifests"][2]["kind"], "attestation");
    assert_eq!(alpine["manifests"][2]["attests"], alpine["manifests"][0]["digest"]);
    let images = report["images"].as_array().unwrap();
    let myapp = images.iter().find(|i| i["tags"][0] == "myapp:dev").expect("myapp");
    assert_eq!(myapp["manifests"].as_array().map(Vec::len), Some(1));
    let redis = images.iter().find(|i| i["tags"][0] == "redis:7").expect("redis");
    assert_eq!(redis["manifests"], serde_json::json!([]), "described by no engine: an empty list");
}

fn engine_info() -> dockdu::model::EngineInfo {
    dockdu::model::EngineInfo { server_version: "29.0.2".into(), api_version: "1.52".into(), ..engine() }
}
