//! The log view's task: open a container's log through the engine, say whether it opened, pass
//! its lines on in batches (a container writing thousands of lines a second is a few messages a
//! second to the loop, and a full channel slows the reading, not the keys), then say how it ended.
//! It lives in its own slot: a closed view, another container's log or an engine switch ends it.

use futures_util::stream;
use tokio::sync::mpsc;

use super::tasks::send_in_batches;
use crate::app::logs::LogEvent;
use crate::app::EngineMsg;
use crate::engine::{Engine, EngineError, LogFollow};
use crate::model::logs::LogsFrom;
use crate::model::ContainerId;

pub async fn follow(
    engine: Engine,
    seq: u64,
    container: ContainerId,
    from: LogsFrom,
    sender: mpsc::Sender<EngineMsg>,
) {
    let send = |event| sender.send(EngineMsg::Log { seq, event });
    let log = match engine.follow_logs(&container, &from).await {
        Ok(log) => log,
        Err(why) => {
            let _ = send(LogEvent::Unreadable(why)).await;
            return;
        }
    };
    if send(LogEvent::Opened).await.is_err() {
        return;
    }
    let mut reading = Reading { log, error: None };
    let lines = Box::pin(stream::unfold(&mut reading, |reading| async move {
        match reading.log.next().await? {
            Ok(line) => Some((line, reading)),
            Err(error) => {
                reading.error = Some(error);
                None
            }
        }
    }));
    send_in_batches(lines, &sender, |lines| EngineMsg::Log { seq, event: LogEvent::Lines(lines) }).await;
    let _ = send(LogEvent::Ended(reading.error)).await;
}

/// The open log, and why it stopped if it broke.
struct Reading {
    log: LogFollow,
    error: Option<EngineError>,
}
