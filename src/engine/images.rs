//! The images: the list (fast, shown at once), and who uses one right now (asked again just
//! before each removal). Their shared sizes come with the list on API 1.42+, else from
//! `/system/df` (see `Engine::image_sizes`).

use super::{encode_path, wire, Engine, EngineError};
use crate::model::ImageFacts;

/// From this API version the image list computes shared sizes when asked (`shared-size=1`).
const API_SHARED_SIZE: (u32, u32) = (1, 42);

impl Engine {
    pub async fn images(&self) -> Result<Vec<ImageFacts>, EngineError> {
        let path =
            if self.api_at_least(API_SHARED_SIZE) { "/images/json?shared-size=1" } else { "/images/json" };
        let items: Vec<wire::Item> = self.get_json("listing images", path, Some(self.timeout)).await?;
        let (images, _skipped) = wire::decode_each::<wire::Image>(&items);
        Ok(images.into_iter().map(wire::Image::into_facts).collect())
    }

    /// The engine's whole inspect document of an image, for showing as it is.
    pub async fn inspect_image(&self, id: &str) -> Result<serde_json::Value, EngineError> {
        let path = format!("/images/{}/json", encode_path(id));
        self.get_json("inspecting an image", &path, Some(self.timeout)).await
    }

    /// The names of the containers, in any state, that use this image now: made from it, or from
    /// an image built on it (whose layers include it).
    pub async fn image_users(&self, id: &str) -> Result<Vec<String>, EngineError> {
        let filters = format!(r#"{{"ancestor":["{id}"]}}"#);
        let path = format!("/containers/json?all=1&filters={}", encode_path(&filters));
        let items: Vec<wire::Item> =
            self.get_json("listing an image's containers", &path, Some(self.timeout)).await?;
        let (containers, _skipped) = wire::decode_each::<wire::Container>(&items);
        Ok(containers.into_iter().map(|c| wire::Container::into_facts(c).name).collect())
    }
}
