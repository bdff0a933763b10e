//! Effects into tasks: each effect the app asks for starts the work it names, whose result comes
//! back to the app as a message.

use std::time::SystemTime;

use futures_util::StreamExt;
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

use super::events::watch_events;
use super::tasks::{send_in_batches, spawn};
use crate::app::form::Submit;
use crate::app::inspect::Target;
use crate::app::loading::ListKind;
use crate::app::{Action, Effect, EngineMsg};
use crate::engine::{Engine, EngineError};
use crate::tasks::cleanup::Cleanup;
use crate::tasks::sizes::{self, Route};
use crate::tasks::{actions, browse, collect, image_sizes, tmpfs};

/// What every task may need: the engine, where sizes come from, the way back to the app, and
/// the cleanup that outlives a cancelled task.
pub struct Context<'a> {
    pub engine: &'a Engine,
    pub route: Route,
    pub sender: &'a mpsc::Sender<EngineMsg>,
    pub cleanup: &'a Cleanup,
}

/// Starts the work an effect names; its result comes back on `sender`.
pub fn perform(effect: Effect, context: &Context) -> Option<JoinHandle<()>> {
    let (engine, route, sender) = (context.engine.clone(), context.route, context.sender.clone());
    let cleanup = context.cleanup.clone();
    let handle = match effect {
        Effect::Connect => spawn(sender, connect(engine)),
        Effect::ConnectAfter(delay) => spawn(sender, async move {
            tokio::time::sleep(delay).await;
            connect(engine).await
        }),
        // The header's driver and the binds' data root: a failure leaves both unknown.
        Effect::Describe => tokio::spawn(async move {
            let _ = sender.send(EngineMsg::Details(engine.details().await.ok())).await;
        }),
        // Both lists at once, in one task so that a newer generation cancels both.
        Effect::LoadLists { seq } => tokio::spawn(async move {
            let containers = async {
                let msg = match engine.containers().await {
                    Ok(containers) => EngineMsg::Containers { seq, containers },
                    Err(error) => list_failed(seq, ListKind::Containers, error),
                };
                let _ = sender.send(msg).await;
            };
            let volumes = async {
                let msg = match engine.volumes().await {
                    Ok(volumes) => EngineMsg::Volumes { seq, volumes },
                    Err(error) => list_failed(seq, ListKind::Volumes, error),
                };
                let _ = sender.send(msg).await;
            };
            tokio::join!(containers, volumes);
        }),
        Effect::InspectContainers { seq, ids } => tokio::spawn(async move {
            // A container gone meanwhile, or one that fails to inspect, counts as answered.
            let found = sizes::containers(engine, route, ids).map(|(id, result)| (id, result.ok()));
            send_in_batches(found, &sender, |found| EngineMsg::ContainersSized { seq, found }).await;
        }),
        Effect::SizeVolumes { seq, volumes } => tokio::spawn(async move {
            let sized = sizes::volumes(engine, route, volumes).inspect(|piece| {
                if let sizes::VolumesSized::Failed { error, .. } = piece {
                    tracing::warn!(%error);
                }
            });
            send_in_batches(sized, &sender, |sized| EngineMsg::VolumesSized {
                seq,
                sized,
                at: SystemTime::now(),
            })
            .await;
        }),
        Effect::ProbeHostPaths { seq, paths } => spawn(sender, async move {
            let probe = tokio::task::spawn_blocking(move || collect::probe_host_paths(paths));
            EngineMsg::HostPaths { seq, paths: probe.await.unwrap_or_default() }
        }),
        Effect::ReadTmpfs { seq, probes } => spawn(sender, async move {
            let read = tokio::task::spawn_blocking(move || tmpfs::read_all(probes));
            EngineMsg::TmpfsUsed { seq, used: read.await.unwrap_or_default() }
        }),
        Effect::Inspect(target) => spawn(sender, async move {
            let result = match &target {
                Target::Container { id, .. } => engine.inspect_container(id).await,
                Target::Volume { name } => engine.inspect_volume(name).await,
                Target::Image { id, .. } => engine.inspect_image(id).await,
            };
            EngineMsg::Inspected { target, result }
        }),
        Effect::WatchEvents => tokio::spawn(watch_events(engine, sender)),
        Effect::RefreshAfter(delay) => spawn(sender, async move {
            tokio::time::sleep(delay).await;
            EngineMsg::RefreshDue
        }),
        Effect::LoadImages { seq } => {
            spawn(sender, async move { EngineMsg::Images { seq, result: engine.images().await } })
        }
        Effect::SizeImages { route, listed } => spawn(sender, async move {
            EngineMsg::ImagesSized(image_sizes::measure(&engine, &route, &listed).await.map(Box::new))
        }),
        Effect::Perform(Action::Remove(plan)) => {
            spawn(sender, async move { EngineMsg::Removed(actions::remove(&engine, &plan).await) })
        }
        Effect::Perform(Action::Submit(Submit::CreateVolume(spec))) => {
            spawn(sender, async move { EngineMsg::VolumeCreated(engine.create_volume(&spec).await) })
        }
        Effect::Perform(Action::Submit(Submit::CreateContainer { spec, shell })) => {
            spawn(sender, async move {
                let result = actions::create_on_volume(&engine, &spec, true).await;
                EngineMsg::ContainerCreated { result, name: spec.name, shell }
            })
        }
        Effect::Browse { seq, target } => tokio::spawn(async move {
            let progress_sender = sender.clone();
            // Progress is a view, not a result: one dropped while the channel is full is fine.
            let progress = Box::new(move |progress| {
                let _ = progress_sender.try_send(EngineMsg::BrowseProgress { seq, progress });
            });
            let result = browse::measure(&engine, &target, route == Route::Engine, progress, &cleanup)
                .await
                .map(|browsed| (browsed.tree, browsed.source));
            let _ = sender.send(EngineMsg::Browsed { seq, result }).await;
        }),
        // Replaces (so ends) the count under way.
        Effect::StopBrowsing => tokio::spawn(async {}),
        Effect::WalkDisk { seq } => tokio::spawn(async move {
            let progress_sender = sender.clone();
            // Progress is a view, not a result: one dropped while the channel is full is fine.
            let progress = move |progress| {
                let _ = progress_sender.try_send(EngineMsg::DiskProgress { seq, progress });
            };
            let result = crate::tasks::disk::disk(&engine, crate::measure::Cancel::default(), progress).await;
            let _ = sender.send(EngineMsg::DiskWalked { seq, result: result.map(Box::new) }).await;
        }),
        Effect::Perform(Action::Control(request)) => spawn(sender, async move {
            let result = engine.control(&request.id, &request.name, request.control).await;
            EngineMsg::Controlled { request, result }
        }),
        Effect::FollowLogs { seq, container, from } => {
            tokio::spawn(super::logs::follow(engine, seq, container, from, sender))
        }
        // Replaces (so ends) the log being read.
        Effect::StopLogs => tokio::spawn(async {}),
        // Handled by the loop, which owns the terminal, the engine and the settings.
        Effect::OpenSession(_) | Effect::Quit | Effect::SwitchEngine(_) | Effect::ListContexts => {
            return None
        }
    };
    Some(handle)
}

async fn connect(engine: Engine) -> EngineMsg {
    match engine.negotiate().await {
        Ok(info) => EngineMsg::Connected(info),
        Err(error) => EngineMsg::ConnectFailed { error, at: SystemTime::now() },
    }
}

fn list_failed(seq: u64, list: ListKind, error: EngineError) -> EngineMsg {
    EngineMsg::ListFailed { seq, list, error, at: SystemTime::now() }
}
