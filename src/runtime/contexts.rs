//! The `E` list: the docker contexts, and whether each one's engine answers; and the engine a
//! chosen context names.

use std::time::Duration;

use tokio::sync::mpsc;

use crate::app::engines::{EngineRow, Reach};
use crate::app::EngineMsg;
use crate::engine::{Engine, EngineError, Settings};

/// The engine a context names, set up like the one it replaces (timeout, read-only).
pub fn replacement(settings: &Settings, current: &Engine, context: &str) -> Result<Engine, EngineError> {
    let target = settings.context_target(context)?;
    Ok(Engine::connect(&target, current.request_timeout())?.read_only(current.is_read_only()))
}

/// The contexts for the `E` list, then whether each engine answers and what it holds, all at
/// once, each within a bound.
pub async fn list_contexts(settings: Settings, timeout: Duration, sender: mpsc::Sender<EngineMsg>) {
    let entries = tokio::task::spawn_blocking(move || settings.contexts()).await.unwrap_or_default();
    let rows = entries
        .iter()
        .map(|entry| EngineRow {
            name: entry.name.clone(),
            host: entry.target.as_ref().map(|t| t.host.clone()).unwrap_or_default(),
            reach: match &entry.target {
                Ok(_) => Reach::Checking,
                Err(error) => Reach::Fails(error.cause()),
            },
        })
        .collect();
    if sender.send(EngineMsg::ContextsListed(rows)).await.is_err() {
        return;
    }
    let probes = entries.into_iter().filter_map(|entry| Some((entry.name, entry.target.ok()?))).map(
        |(name, target)| {
            let sender = sender.clone();
            async move {
                let probe = async {
                    let engine = Engine::connect(&target, timeout)?;
                    let info = engine.negotiate().await?;
                    let (containers, volumes) = tokio::try_join!(engine.containers(), engine.volumes())?;
                    Ok::<_, EngineError>(Reach::Answers {
                        product: info.product,
                        containers: containers.len(),
                        volumes: volumes.len(),
                    })
                };
                let reach = match tokio::time::timeout(timeout * 2, probe).await {
                    Ok(Ok(reach)) => reach,
                    Ok(Err(error)) => Reach::Fails(error.cause()),
                    Err(_) => Reach::Fails(format!("no answer within {} s", (timeout * 2).as_secs())),
                };
                let _ = sender.send(EngineMsg::ContextReach { name, reach }).await;
            }
        },
    );
    futures_util::future::join_all(probes).await;
}
