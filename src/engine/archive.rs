//! Reading files through the engine: a container's list of changes, and the tar stream of a path
//! in a container (its volumes included), passed on piece by piece and never kept whole.

use serde::Deserialize;

use super::stream::BodyStream;
use super::{encode_path, Engine, EngineError};
use crate::measure::Change;

/// An open archive: its pieces as they arrive.
pub type Archive = BodyStream;

impl Engine {
    /// What a container's writable layer changed, path by path (`/etc/passwd`).
    pub async fn layer_changes(&self, id: &str) -> Result<Vec<(String, Change)>, EngineError> {
        #[derive(Deserialize)]
        #[serde(rename_all = "PascalCase")]
        struct Item {
            path: String,
            kind: u8,
        }
        let path = format!("/containers/{}/changes", encode_path(id));
        let items: Option<Vec<Item>> = self.get_json("listing a container's changes", &path, None).await?;
        Ok(items
            .unwrap_or_default()
            .into_iter()
            .map(|item| {
                let change = match item.kind {
                    1 => Change::Added,
                    2 => Change::Deleted,
                    _ => Change::Changed,
                };
                (item.path, change)
            })
            .collect())
    }

    /// The tar stream of `path` in a container, started or not. Not bounded in time: a big
    /// folder streams for as long as it takes.
    pub async fn archive(&self, id: &str, path: &str) -> Result<Archive, EngineError> {
        let request = format!("/containers/{}/archive?path={}", encode_path(id), encode_path(path));
        self.open_stream("reading files through the engine", &request).await
    }
}
