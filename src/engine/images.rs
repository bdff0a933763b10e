//! The images: the list (fast, shown at once), and who uses one right now (asked again just
//! before each removal). Their shared sizes come with the list on API 1.42+, else from
//! `/system/df` (see `Engine::image_sizes`); their platforms and attestations on API 1.47+.

use super::{encode_path, wire, Engine, EngineError, Problem};
use crate::model::images_total::ImageLayers;
use crate::model::ImageFacts;

/// From this API version the image list computes shared sizes when asked (`shared-size=1`).
const API_SHARED_SIZE: (u32, u32) = (1, 42);
/// How often a list that failed because an image went meanwhile is asked again.
const IMAGE_VANISHED: u32 = 3;
/// From this API version the image list describes each image's manifests when asked
/// (`manifests=1`); an older engine would ignore the word, but it is not sent where unknown.
const API_MANIFESTS: (u32, u32) = (1, 47);

/// The image list's path, asking for what the negotiated API version knows how to give.
fn list_path(api_at_least: impl Fn((u32, u32)) -> bool) -> String {
    let query: Vec<&str> = [(API_SHARED_SIZE, "shared-size=1"), (API_MANIFESTS, "manifests=1")]
        .into_iter()
        .filter(|(since, _)| api_at_least(*since))
        .map(|(_, word)| word)
        .collect();
    if query.is_empty() {
        "/images/json".to_owned()
    } else {
        format!("/images/json?{}", query.join("&"))
    }
}

impl Engine {
    pub async fn images(&self) -> Result<Vec<ImageFacts>, EngineError> {
        let path = list_path(|version| self.api_at_least(version));
        let items: Vec<wire::Item> = self.image_list(&path).await?;
        let (images, _skipped) = wire::decode_each::<wire::Image>(&items);
        Ok(images.into_iter().map(wire::Image::into_facts).collect())
    }

    /// An image's diff ids and its history's sizes, to prove a total where the engine's own is
    /// known to be wrong.
    pub async fn image_layers(&self, id: &str) -> Result<ImageLayers, EngineError> {
        #[derive(serde::Deserialize, Default)]
        #[serde(rename_all = "PascalCase", default)]
        struct Inspect {
            #[serde(rename = "RootFS")]
            root_fs: RootFs,
        }
        #[derive(serde::Deserialize, Default)]
        #[serde(rename_all = "PascalCase", default)]
        struct RootFs {
            layers: Vec<String>,
        }
        #[derive(serde::Deserialize)]
        #[serde(rename_all = "PascalCase")]
        struct HistoryEntry {
            #[serde(default)]
            size: i64,
        }
        let path = format!("/images/{}/json", encode_path(id));
        let inspect: Inspect = self.get_json("inspecting an image", &path, Some(self.timeout)).await?;
        let path = format!("/images/{}/history", encode_path(id));
        let history: Vec<HistoryEntry> =
            self.get_json("reading an image's history", &path, Some(self.timeout)).await?;
        // The engine lists the newest entry first.
        let history_sizes = history.iter().rev().map(|h| u64::try_from(h.size).unwrap_or(0)).collect();
        Ok(ImageLayers { diff_ids: inspect.root_fs.layers, history_sizes })
    }

    /// The containerd store fails the whole list when an image goes while it is listed
    /// ("failed to calculate size of image …: not found"): ask again, a few times.
    async fn image_list(&self, path: &str) -> Result<Vec<wire::Item>, EngineError> {
        let mut vanished = 0;
        loop {
            match self.get_json("listing images", path, Some(self.timeout)).await {
                Err(e) if e.problem == Problem::Api(404) && vanished < IMAGE_VANISHED => vanished += 1,
                answer => return answer,
            }
        }
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

#[cfg(test)]
mod tests {
    use super::*;

    fn path_on(api: (u32, u32)) -> String {
        list_path(|since| api >= since)
    }

    #[test]
    fn manifests_are_asked_from_api_1_47_and_shared_sizes_from_1_42() {
        assert_eq!(path_on((1, 41)), "/images/json");
        assert_eq!(path_on((1, 45)), "/images/json?shared-size=1");
        assert_eq!(path_on((1, 47)), "/images/json?shared-size=1&manifests=1");
        assert_eq!(path_on((1, 52)), "/images/json?shared-size=1&manifests=1");
    }
}
