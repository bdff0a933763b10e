//! Carrying out what the user confirmed: a removal plan, one object at a time and never forced
//! beyond what the plan says; a new volume; a new container on a volume.

use crate::engine::{ContainerSpec, Engine, EngineError, Problem};
pub use crate::model::outcome::{ObjectKind, Outcome, Removed, Skipped};
use crate::model::plan::Plan;
use crate::model::ContainerId;

/// Removes exactly the plan's containers, then its volumes, then its images. An object the
/// engine refuses (a volume that gained a user since the preview: 409) is skipped with the
/// engine's reason; an image that gained a container is kept before the engine is asked.
pub async fn remove(engine: &Engine, plan: &Plan) -> Outcome {
    let mut outcome = Outcome::default();
    for file in &plan.logs {
        let result = engine.truncate_log_file(file).await;
        outcome.record(ObjectKind::LogFile, &file.path, Some(file.size), result);
    }
    for container in &plan.containers {
        let result = engine.remove_container(&container.id, plan.force).await;
        outcome.record(ObjectKind::Container, &container.name, container.size_rw, result);
    }
    for volume in &plan.volumes {
        let result = engine.remove_volume(&volume.name).await;
        outcome.record(ObjectKind::Volume, &volume.name, volume.size, result);
    }
    for image in &plan.images {
        let name = image.reference();
        match engine.image_users(&image.id).await {
            Ok(users) if !users.is_empty() => outcome.skipped.push(Skipped {
                kind: ObjectKind::Image,
                name,
                reason: format!("in use by {}", users.join(", ")),
            }),
            Ok(_) => {
                let result = engine.remove_image(&image.id, &image.tags).await;
                outcome.record(ObjectKind::Image, &name, image.size, result);
            }
            Err(e) => outcome.record(ObjectKind::Image, &name, image.size, Err(e)),
        }
    }
    outcome
}

impl Outcome {
    fn record(&mut self, kind: ObjectKind, name: &str, bytes: Option<u64>, result: Result<(), EngineError>) {
        let name = name.to_owned();
        match result {
            Ok(()) => self.removed.push(Removed { kind, name, bytes }),
            Err(e) => self.skipped.push(Skipped { kind, name, reason: reason(&e) }),
        }
    }
}

/// Why the engine refused, in a line.
fn reason(error: &EngineError) -> String {
    match error.problem {
        Problem::Api(409) => format!("in use: {}", error.detail),
        Problem::Api(404) => "already gone".to_owned(),
        Problem::ReadOnly => "read-only mode".to_owned(),
        _ => error.to_string(),
    }
}

/// A new container on a volume; started when asked. Returns its id. A container that was
/// created but fails to start is removed again, so the user can correct the form and submit the
/// same name; the start error is the answer.
pub async fn create_on_volume(
    engine: &Engine,
    spec: &ContainerSpec,
    start: bool,
) -> Result<ContainerId, EngineError> {
    let id = engine.create_container(spec).await?;
    if start {
        if let Err(mut failed) = engine.start_container(&id).await {
            if let Err(left) = engine.remove_container(&id, true).await {
                // Say so: the same name would now be refused as already in use.
                let short = crate::text::format::short_id(&id);
                failed.detail =
                    format!("{}; the created container {short} stays: {}", failed.detail, left.cause());
            }
            return Err(failed);
        }
    }
    Ok(id)
}
