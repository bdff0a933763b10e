//! The images' sizes and their total, by the route the engine allows (see `ImagesRoute`): read
//! here from an old engine's layer store (no `/system/df`, which walks every layer and volume
//! there), else from the engine (per type from API 1.42); and where the engine's own total is
//! known to be wrong, a total proven from the images' own numbers.

use std::collections::HashMap;
use std::path::PathBuf;

use futures_util::stream::{self, StreamExt};

use crate::engine::{Engine, EngineError};
use crate::measure::image_layers;
use crate::model::images_total::{self, ImagesRoute};
use crate::model::{DiskUsage, ImageId, ImageSizes, ImagesSizeSource, ImagesUsage};

/// Image inspects and histories at once, when a total must be proven.
const LAYERS_AT_ONCE: usize = 8;

pub async fn measure(
    engine: &Engine,
    route: &ImagesRoute,
    listed: &[ImageId],
) -> Result<DiskUsage, EngineError> {
    if let Some((root, driver)) = &route.layer_store {
        if let Some(usage) = from_layer_store(PathBuf::from(root), driver.clone(), listed).await {
            return Ok(usage);
        }
    }
    let mut usage = engine.image_sizes().await?;
    if route.prove_total {
        if let Some(images) = usage.images.as_mut() {
            prove_total(engine, images).await;
        }
    }
    Ok(usage)
}

/// The images' sizes as the engine's `/system/df` would give them, read here; `None` when the
/// store cannot be read (not root, say): the engine is asked instead.
async fn from_layer_store(root: PathBuf, driver: String, listed: &[ImageId]) -> Option<DiskUsage> {
    let ids: Vec<String> = listed.iter().map(|id| id.as_str().to_owned()).collect();
    let read = tokio::task::spawn_blocking(move || {
        let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
        image_layers::read(&root, &driver, &ids)
    });
    let sizes = match read.await {
        Ok(Ok(sizes)) => sizes,
        Ok(Err(error)) => {
            tracing::debug!(%error, "the layer store could not be read: asking the engine");
            return None;
        }
        Err(_) => return None,
    };
    let mut images: HashMap<ImageId, ImageSizes> = sizes
        .images
        .into_iter()
        .map(|(id, s)| (id.into(), ImageSizes { size: Some(s.size), shared_size: Some(s.shared_size) }))
        .collect();
    // Gone since listed: answered, unknown, until the next list leaves them out.
    images.extend(sizes.vanished.into_iter().map(|id| (id.into(), ImageSizes::default())));
    Some(DiskUsage {
        at: std::time::SystemTime::now(),
        images: Some(ImagesUsage {
            layers_size: Some(sizes.layers_size),
            images,
            source: ImagesSizeSource::LayerStore,
        }),
        ..Default::default()
    })
}

/// Replaces a total the engine is known to get wrong with one proven from the images, or
/// marks it unreliable.
pub async fn prove_total(engine: &Engine, images: &mut ImagesUsage) {
    if let Some(total) = images_total::total_without_sharing(images.images.values()) {
        (images.layers_size, images.source) = (Some(total), ImagesSizeSource::Images);
        return;
    }
    let asked: Vec<(ImageId, ImageSizes)> = images.images.iter().map(|(id, s)| (id.clone(), *s)).collect();
    let layers: Vec<Result<_, EngineError>> = stream::iter(asked)
        .map(|(id, sizes)| {
            let engine = engine.clone();
            async move { engine.image_layers(&id).await.map(|layers| (sizes, layers)) }
        })
        .buffer_unordered(LAYERS_AT_ONCE)
        .collect()
        .await;
    let proven = layers
        .into_iter()
        .collect::<Result<Vec<_>, EngineError>>()
        .ok()
        .and_then(|layers| images_total::proven_total(&layers));
    match proven {
        Some(total) => (images.layers_size, images.source) = (Some(total), ImagesSizeSource::Images),
        None => images.source = ImagesSizeSource::EngineUnreliable,
    }
}
