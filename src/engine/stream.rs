//! A response body read as it arrives: archives and the event stream, of any length, are never
//! kept whole.

use bytes::Bytes;
use http_body_util::BodyExt;
use hyper::body::Incoming;

use super::{EngineError, Problem};

/// A response body read as it arrives, piece by piece (an archive, the event stream), never
/// kept whole.
pub struct BodyStream {
    body: Incoming,
    host: String,
    /// What was being read, for the error of a body that breaks.
    action: &'static str,
}

impl BodyStream {
    pub(super) fn new(body: Incoming, host: &str, action: &'static str) -> Self {
        BodyStream { body, host: host.to_owned(), action }
    }

    /// The next piece; `None` at the end.
    pub async fn next(&mut self) -> Option<Result<Bytes, EngineError>> {
        loop {
            match self.body.frame().await? {
                Ok(frame) => {
                    if let Ok(data) = frame.into_data() {
                        return Some(Ok(data));
                    }
                }
                Err(e) => {
                    return Some(Err(EngineError::new(
                        &self.host,
                        self.action,
                        Problem::Other,
                        e.to_string(),
                    )));
                }
            }
        }
    }
}
