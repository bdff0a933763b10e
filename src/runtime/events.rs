//! Following the engine's events for the whole session, reconnecting with backoff.

use std::time::Duration;

use tokio::sync::mpsc;

use crate::app::loading::backoff;
use crate::app::{EngineMsg, EventsState};
use crate::engine::Engine;

/// A connection that stayed up this long was healthy: the next outage starts the backoff over.
const HEALTHY_CONNECTION: Duration = Duration::from_secs(5);

/// Follows the engine's events for as long as the app runs, reconnecting with backoff. After
/// an outage, once the engine answers again, a refresh picks up whatever happened meanwhile.
pub async fn watch_events(engine: Engine, sender: mpsc::Sender<EngineMsg>) {
    let mut attempt = 0u32;
    loop {
        let reason = match engine.events().await {
            Ok(mut events) => {
                let connected_at = tokio::time::Instant::now();
                if sender.send(EngineMsg::Events(EventsState::Live)).await.is_err() {
                    return;
                }
                if attempt > 0 && sender.send(EngineMsg::RefreshDue).await.is_err() {
                    return;
                }
                let reason = loop {
                    match events.next().await {
                        Some(Ok(change)) => {
                            if sender.send(EngineMsg::Changed(change)).await.is_err() {
                                return;
                            }
                        }
                        Some(Err(e)) => break e.cause(),
                        None => break "the engine closed the event stream".to_owned(),
                    }
                };
                if connected_at.elapsed() >= HEALTHY_CONNECTION {
                    attempt = 0;
                }
                reason
            }
            Err(e) => e.cause(),
        };
        attempt += 1;
        if sender.send(EngineMsg::Events(EventsState::Reconnecting { attempt, reason })).await.is_err() {
            return;
        }
        tokio::time::sleep(backoff(attempt - 1)).await;
    }
}
