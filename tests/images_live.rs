//! Images against the real engine, each on labelled images of its own (imported, no registry):
//! one a container uses, one left untagged by a newer import of its tag, an unused tagged one.
//! The report names them with their containers; a prune removes exactly what it previewed and
//! never an image in use; one that gains a container after the preview is kept; read-only
//! refuses.

mod support;

use std::collections::BTreeSet;

use bollard::models::HostConfig;
use dockdu::model::plan::{self, ImageScope};
use dockdu::tasks::actions::{self, ObjectKind};
use dockdu::tasks::sizes::Route;
use serde_json::Value;
use support::{dockdu, json_output as json, Scenario};

/// The ids of the images a `--json` plan lists.
fn planned(document: &Value) -> BTreeSet<String> {
    let images = document["plan"]["images"].as_array().expect("plan.images");
    images.iter().map(|i| i["id"].as_str().unwrap_or_default().to_owned()).collect()
}

/// This scenario's images on the engine now, by id.
async fn images_left(s: &Scenario) -> BTreeSet<String> {
    let filter =
        std::collections::HashMap::from([("label".to_owned(), vec![format!("dockdu.test={}", s.run_id)])]);
    let options =
        bollard::query_parameters::ListImagesOptions { filters: Some(filter), ..Default::default() };
    let images = s.docker.list_images(Some(options)).await.expect("list images");
    images.into_iter().map(|i| i.id).collect()
}

struct Images {
    used: String,
    dangling: String,
    app: String,
    spare: String,
}

/// The scenario's own image runs a container; `app` was imported twice (the first is dangling);
/// `spare` is tagged and unused.
async fn images(s: &Scenario) -> Images {
    let used = s.docker.inspect_image(&s.image).await.expect("the scenario's image").id.expect("an id");
    s.create_container("user", &["true"], HostConfig::default()).await;
    let dangling = s.import_untagged("old-app", 3000).await;
    let app = s.import_image_as("app", 5000).await;
    let spare = s.import_image_as("spare", 7000).await;
    Images { used, dangling, app, spare }
}

#[tokio::test(flavor = "multi_thread")]
async fn the_report_lists_each_image_with_its_containers_sizes_and_the_build_cache() {
    let s = Scenario::new().await;
    let ids = images(&s).await;
    let report = json(&dockdu(&["report", "--json"]).await);
    let image = |id: &str| {
        report["images"].as_array().expect("images[]").iter().find(|i| i["id"] == id).cloned().expect(id)
    };
    let used = image(&ids.used);
    assert_eq!(used["containers"], serde_json::json!([s.name("user")]));
    assert_eq!(used["tags"], serde_json::json!([s.image]));
    assert_eq!(used["dangling"], false);
    let dangling = image(&ids.dangling);
    assert_eq!(
        (dangling["dangling"].clone(), dangling["tags"].clone()),
        (Value::Bool(true), serde_json::json!([]))
    );
    let spare = image(&ids.spare);
    // A one-file image is the file's bytes on a graph driver; the containerd store adds the
    // content it keeps beside the unpacked snapshot: the engine's own number either way.
    let spare_size = s.image_size(&ids.spare).await;
    if !support::engine_under_test().containerd_store {
        assert_eq!(spare_size, 7000);
    }
    assert_eq!(spare["size"], spare_size);
    assert_eq!((spare["shared_size"].clone(), spare["unique_size"].clone()), (0.into(), spare_size.into()));
    assert!(spare["created_at"].as_str().is_some_and(|t| t.ends_with('Z')), "{spare}");
    // `images_sizes_known` covers every image, and the other tests here import and remove theirs
    // meanwhile: ours are what this one can vouch for.
    for id in [&ids.used, &ids.dangling, &ids.app] {
        assert!(image(id)["unique_size"].is_u64(), "{}", image(id));
    }
    assert!(report["totals"]["images"].as_u64() >= Some(4));
    assert!(report["totals"]["images_size"].as_u64() >= Some(15_000), "LayersSize counts ours too");
    assert!(
        report["build_cache"]["records"].is_array(),
        "measured, even when empty: {}",
        report["build_cache"]
    );
    assert!(report["totals"]["build_cache_size"].is_u64());

    // The containers panel's IMAGE column and the text report keep working for an image whose
    // tag moved: the container made from the first `app` names it by id.
    s.create_container_with(
        "on-old",
        bollard::models::ContainerCreateBody {
            image: Some(ids.dangling.clone()),
            cmd: Some(vec!["true".into()]),
            ..Default::default()
        },
    )
    .await;
    let text = dockdu(&["report"]).await;
    let text = String::from_utf8_lossy(&text.stdout);
    let short = &ids.dangling["sha256:".len().."sha256:".len() + 12];
    let line = text.lines().find(|l| l.contains(&s.name("on-old"))).expect("the container's row");
    assert!(line.contains(short), "{line}");
}

#[tokio::test(flavor = "multi_thread")]
async fn an_image_prune_removes_exactly_its_preview_and_never_an_image_in_use() {
    let s = Scenario::new().await;
    let ids = images(&s).await;
    let label = format!("label=dockdu.test={}", s.run_id);

    let dangling = json(&dockdu(&["prune", "images", "--filter", &label, "--dry-run", "--json"]).await);
    assert_eq!(planned(&dangling), BTreeSet::from([ids.dangling.clone()]), "the default scope: untagged");
    let args = ["prune", "images", "--scope", "unused", "--filter", &label];
    let preview = json(&dockdu(&[&args[..], &["--dry-run", "--json"]].concat()).await);
    let expected = BTreeSet::from([ids.dangling.clone(), ids.app.clone(), ids.spare.clone()]);
    assert_eq!(planned(&preview), expected, "every unused one, never the one a container uses");
    let bytes: u64 =
        preview["plan"]["images"].as_array().unwrap().iter().map(|i| i["size"].as_u64().unwrap()).sum();
    let mut unique = 0;
    for id in [&ids.dangling, &ids.app, &ids.spare] {
        unique += s.image_size(id).await;
    }
    assert_eq!(bytes, unique, "each frees its unique size");

    let refused = dockdu(&[&["--read-only"][..], &args, &["--yes"]].concat()).await;
    assert_eq!(refused.status.code(), Some(2), "read-only refuses");
    assert_eq!(images_left(&s).await.len(), 4, "and nothing changed");

    let done = json(&dockdu(&[&args[..], &["--yes", "--json"]].concat()).await);
    assert_eq!(planned(&done), expected, "the plan carried out is the preview");
    let removed = done["outcome"]["removed"].as_array().expect("removed");
    assert_eq!(removed.len(), 3, "{done}");
    assert!(removed.iter().all(|r| r["kind"] == "image"));
    assert!(done["outcome"]["skipped"].as_array().unwrap().is_empty());
    assert_eq!(images_left(&s).await, BTreeSet::from([ids.used]), "only the image in use is left");
}

#[tokio::test(flavor = "multi_thread")]
async fn an_image_that_gains_a_container_after_the_preview_is_kept_and_said_so() {
    let s = Scenario::new().await;
    let ids = images(&s).await;
    let engine = support::engine();
    let inventory =
        dockdu::model::build(&dockdu::tasks::collect::collect(&engine, Route::Host).await.expect("collect"));
    let mut plan = plan::image_prune(&inventory, ImageScope::Unused);
    // Only ours: other images on a shared engine are not this test's to touch.
    let ours: BTreeSet<dockdu::model::ImageId> =
        BTreeSet::from([ids.app.as_str().into(), ids.spare.as_str().into()]);
    plan.images.retain(|i| ours.contains(&i.id));
    assert_eq!(plan.images.len(), 2);

    s.create_container_with(
        "late",
        bollard::models::ContainerCreateBody {
            image: Some(ids.app.clone()),
            cmd: Some(vec!["true".into()]),
            ..Default::default()
        },
    )
    .await;
    let outcome = actions::remove(&engine, &plan).await;
    assert_eq!(outcome.removed.len(), 1);
    assert_eq!(outcome.removed[0].kind, ObjectKind::Image);
    assert_eq!(outcome.skipped.len(), 1, "{outcome:?}");
    assert!(outcome.skipped[0].reason.contains(&s.name("late")), "{outcome:?}");
    let left = images_left(&s).await;
    assert!(left.contains(&ids.app) && !left.contains(&ids.spare), "{left:?}");

    // In the explorer's removal of a chosen image in use, it is kept before anything is asked.
    let chosen = BTreeSet::from([ids.used.as_str().into()]);
    let plan = plan::image_removal(&inventory, &chosen);
    assert!(plan.images.is_empty());
    assert_eq!(plan.kept[0].reason.to_string(), format!("in use by {}", s.name("user")));
}
