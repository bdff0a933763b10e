//! The engine's event stream, read through our own transport so that "connected" means the
//! engine answered the request, not merely that a request was queued. Each line of the body is
//! one JSON event; lines we cannot read (another engine's vocabulary) are skipped.

use bytes::BytesMut;
use serde::Deserialize;

use super::stream::BodyStream;
use super::EngineError;
pub use crate::model::change::{Change, ChangeAction, ChangeKind};

/// An open event stream: the engine has answered, and changes arrive as they happen.
pub struct Events {
    body: BodyStream,
    pending: BytesMut,
}

impl Events {
    pub(super) fn new(body: BodyStream) -> Self {
        Events { body, pending: BytesMut::new() }
    }

    /// The next change; `None` when the engine closed the stream, an error when it broke.
    pub async fn next(&mut self) -> Option<Result<Change, EngineError>> {
        loop {
            while let Some(end) = self.pending.iter().position(|&b| b == b'\n') {
                let line = self.pending.split_to(end + 1);
                if let Some(change) = decode(&line) {
                    return Some(Ok(change));
                }
            }
            match self.body.next().await? {
                Ok(data) => self.pending.extend_from_slice(&data),
                Err(error) => return Some(Err(error)),
            }
        }
    }
}

#[derive(Deserialize)]
struct Event {
    #[serde(rename = "Type", default)]
    kind: String,
    #[serde(rename = "Action", default)]
    action: String,
    #[serde(rename = "Actor", default)]
    actor: Actor,
}

#[derive(Deserialize, Default)]
struct Actor {
    #[serde(rename = "ID", default)]
    id: String,
}

/// One line of the stream; `None` for blank lines, other object types and unreadable JSON.
fn decode(line: &[u8]) -> Option<Change> {
    let event: Event = serde_json::from_slice(line).ok()?;
    let kind = match event.kind.as_str() {
        "container" => ChangeKind::Container,
        "volume" => ChangeKind::Volume,
        "image" => ChangeKind::Image,
        _ => return None,
    };
    Some(Change { kind, action: ChangeAction::parse(&event.action), id: event.actor.id })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn container_and_volume_events_decode_others_are_skipped() {
        let line = br#"{"Type":"volume","Action":"mount","Actor":{"ID":"data","Attributes":{}}}"#;
        assert_eq!(
            decode(line),
            Some(Change { kind: ChangeKind::Volume, action: ChangeAction::Mount, id: "data".into() })
        );
        let untag = br#"{"Type":"image","Action":"untag","Actor":{"ID":"sha256:ab"}}"#;
        assert_eq!(decode(untag).map(|c| c.kind), Some(ChangeKind::Image));
        assert_eq!(decode(br#"{"Type":"network","Action":"connect","Actor":{"ID":"n"}}"#), None);
        assert_eq!(decode(b"not json\n"), None);
        assert_eq!(decode(b"\n"), None);
    }
}
