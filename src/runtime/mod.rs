//! The one loop: it owns the terminal and the app, turns terminal events and engine results into
//! messages, runs the effects `update` asks for as tokio tasks, and draws when something changed.

use std::collections::HashMap;
use std::time::{Duration, SystemTime};

use anyhow::Result;
use crossterm::event::{Event, EventStream};
use futures_util::StreamExt;
use ratatui::DefaultTerminal;
use tokio::sync::mpsc;

use crate::app::engines::{EngineRow, Reach};
use crate::app::form::Submit;
use crate::app::inspect::Target;
use crate::app::loading::{backoff, ListKind};
use crate::app::{Action, App, Effect, EngineMsg, EventsState, Msg, Slot};
use crate::engine::{Engine, EngineError, Settings};
use crate::tasks::actions;
use crate::tasks::browse;
use crate::tasks::collect;
use crate::tasks::sizes::{self, Route};
use crate::ui;

mod session;
mod terminal;

/// Spinner speed, while something loads; nothing ticks when idle.
const TICK: Duration = Duration::from_millis(120);
/// How often the tmpfs mounts' use is read again (host I/O only, one statfs each).
const TMPFS_REFRESH: Duration = Duration::from_secs(5);
/// Sizes go out at most this often (the first at once), so a thousand of them are a few model
/// rebuilds and redraws, not a thousand.
const BATCH_EVERY: Duration = Duration::from_millis(100);

/// `settings` name the other engines the user has, for switching to one (`E`); `engine_sizes`
/// takes every size from the engine, whichever it is.
pub async fn run(
    engine: Engine,
    shell_command: Vec<String>,
    settings: Settings,
    engine_sizes: bool,
) -> Result<()> {
    // Before the terminal changes: a signal from then on must find our handler, not the default
    // action that would leave the terminal raw.
    let stop = StopSignals::new()?;
    let mut terminal = terminal::enter()?;
    let result = event_loop(&mut terminal, engine, shell_command, settings, engine_sizes, stop).await;
    terminal::leave();
    result
}

async fn event_loop(
    terminal: &mut DefaultTerminal,
    mut engine: Engine,
    shell_command: Vec<String>,
    settings: Settings,
    engine_sizes: bool,
    mut stop: StopSignals,
) -> Result<()> {
    let size = terminal.size()?;
    let mut app = App::new(engine.host(), engine.is_local(), (size.width, size.height));
    app.describe_engine(engine.describe());
    app.read_only = engine.is_read_only();
    app.shell_command = shell_command;
    // The first frame goes out before any engine call is made.
    terminal.draw(|frame| ui::render(&app, frame))?;

    let (mut sender, mut receiver) = mpsc::channel::<EngineMsg>(CHANNEL_CAPACITY);
    let mut effects = app.start();
    let mut input = EventStream::new();
    let mut ticker = tokio::time::interval(TICK);
    ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
    let mut tmpfs_ticker =
        tokio::time::interval_at(tokio::time::Instant::now() + TMPFS_REFRESH, TMPFS_REFRESH);
    tmpfs_ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
    let mut tasks = Tasks::default();
    loop {
        while !effects.is_empty() {
            for effect in std::mem::take(&mut effects) {
                match effect {
                    Effect::Quit => return Ok(()),
                    Effect::OpenSession(request) => {
                        // The session owns stdin. The key stream is not polled meanwhile, so
                        // its reader thread stays idle and takes no key meant for the container.
                        // It is kept, not dropped and made anew: dropping it leaves a wake-up
                        // behind that swallows the first key pressed after the session.
                        let result = session::run(&engine, &request).await;
                        // A fresh terminal redraws every cell; `clear()` would ask the terminal
                        // for the cursor position, an answer that may not come back in time.
                        crossterm::execute!(
                            std::io::stdout(),
                            crossterm::terminal::Clear(crossterm::terminal::ClearType::All)
                        )?;
                        *terminal = ratatui::Terminal::new(ratatui::backend::CrosstermBackend::new(
                            std::io::stdout(),
                        ))?;
                        let ended = EngineMsg::SessionEnded { name: request.container.clone(), result };
                        effects.extend(app.update(Msg::Engine(ended)));
                        terminal.draw(|frame| ui::render(&app, frame))?;
                    }
                    Effect::SwitchEngine(context) => match replacement(&settings, &engine, &context) {
                        Ok(next) => {
                            // Every task of the old engine ends (its event watcher too), and a
                            // fresh channel means nothing they sent can still arrive.
                            tasks.abort_all();
                            engine.close();
                            (sender, receiver) = mpsc::channel::<EngineMsg>(CHANNEL_CAPACITY);
                            engine = next;
                            effects.extend(app.switched(engine.describe(), engine.is_local()));
                        }
                        Err(error) => effects
                            .extend(app.update(Msg::Engine(EngineMsg::SwitchFailed(error.to_string())))),
                    },
                    Effect::ListContexts => {
                        let work = list_contexts(settings.clone(), engine.request_timeout(), sender.clone());
                        tasks.track(Some(Slot::Contexts), tokio::spawn(work).abort_handle());
                    }
                    effect => tasks.start(effect, &engine, Route::choose(&engine, engine_sizes), &sender),
                }
            }
        }
        let msg = tokio::select! {
            event = input.next() => match event {
                Some(Ok(Event::Key(key))) => Msg::Key(key),
                Some(Ok(Event::Mouse(mouse))) => Msg::Mouse(mouse),
                Some(Ok(Event::Resize(width, height))) => Msg::Resize(width, height),
                Some(Ok(_)) => continue,
                Some(Err(e)) => return Err(e.into()),
                None => return Ok(()),
            },
            Some(msg) = receiver.recv() => Msg::Engine(msg),
            _ = ticker.tick(), if app.busy() => Msg::Tick,
            _ = tmpfs_ticker.tick(), if app.reads_tmpfs() => Msg::TmpfsDue,
            () = stop.received() => return Ok(()),
        };
        if let Msg::Engine(EngineMsg::ConnectFailed { error, .. } | EngineMsg::ListFailed { error, .. }) =
            &msg
        {
            tracing::warn!(%error);
        }
        effects = app.update(msg);
        // Whatever else has arrived meanwhile goes into the same frame.
        while let Ok(msg) = receiver.try_recv() {
            effects.extend(app.update(Msg::Engine(msg)));
        }
        terminal.draw(|frame| ui::render(&app, frame))?;
    }
}

/// Signals that ask dockdu to stop from outside (kill, Ctrl-\\ or an INT sent by another
/// process, a closed terminal): the loop returns and the terminal is restored as on `q`.
struct StopSignals(Vec<tokio::signal::unix::Signal>);

impl StopSignals {
    fn new() -> Result<Self> {
        use tokio::signal::unix::{signal, SignalKind};
        let kinds =
            [SignalKind::terminate(), SignalKind::hangup(), SignalKind::interrupt(), SignalKind::quit()];
        Ok(StopSignals(kinds.into_iter().map(signal).collect::<std::io::Result<_>>()?))
    }

    async fn received(&mut self) {
        let waits = self.0.iter_mut().map(|s| Box::pin(s.recv()));
        futures_util::future::select_all(waits).await;
    }
}

const CHANNEL_CAPACITY: usize = 1024;

/// The tasks under way: one per slot (starting work in a slot cancels the older task there), and
/// the others, kept so that switching engines can end them all.
#[derive(Default)]
struct Tasks {
    slots: HashMap<Slot, tokio::task::AbortHandle>,
    others: Vec<tokio::task::AbortHandle>,
}

impl Tasks {
    fn start(&mut self, effect: Effect, engine: &Engine, route: Route, sender: &mpsc::Sender<EngineMsg>) {
        let slot = effect.slot();
        if let Some(handle) = perform(effect, engine, route, sender) {
            self.track(slot, handle);
        }
    }

    fn track(&mut self, slot: Option<Slot>, handle: tokio::task::AbortHandle) {
        match slot {
            Some(slot) => {
                if let Some(older) = self.slots.insert(slot, handle) {
                    older.abort();
                }
            }
            None => {
                self.others.retain(|task| !task.is_finished());
                self.others.push(handle);
            }
        }
    }

    fn abort_all(&mut self) {
        for task in self.slots.drain().map(|(_, task)| task).chain(self.others.drain(..)) {
            task.abort();
        }
    }
}

impl Drop for Tasks {
    fn drop(&mut self) {
        self.abort_all();
    }
}

/// The engine a context names, set up like the one it replaces (timeout, read-only).
fn replacement(settings: &Settings, current: &Engine, context: &str) -> Result<Engine, EngineError> {
    let target = settings.context_target(context)?;
    Ok(Engine::connect(&target, current.request_timeout())?.read_only(current.is_read_only()))
}

/// The contexts for the `E` list, then whether each engine answers and what it holds, all at
/// once, each within a bound.
async fn list_contexts(settings: Settings, timeout: Duration, sender: mpsc::Sender<EngineMsg>) {
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

/// Starts the work an effect names; its result comes back on `sender`.
fn perform(
    effect: Effect,
    engine: &Engine,
    route: Route,
    sender: &mpsc::Sender<EngineMsg>,
) -> Option<tokio::task::AbortHandle> {
    let engine = engine.clone();
    let sender = sender.clone();
    let handle = match effect {
        Effect::Connect => spawn(sender, connect(engine)),
        Effect::ConnectAfter(delay) => spawn(sender, async move {
            tokio::time::sleep(delay).await;
            connect(engine).await
        }),
        // Only the header needs it: a failure leaves it blank.
        Effect::Describe => tokio::spawn(async move {
            if let Ok(driver) = engine.storage_driver().await {
                let _ = sender.send(EngineMsg::StorageDriver(driver)).await;
            }
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
            let read = tokio::task::spawn_blocking(move || crate::tasks::tmpfs::read_all(probes));
            EngineMsg::TmpfsUsed { seq, used: read.await.unwrap_or_default() }
        }),
        Effect::Inspect(target) => spawn(sender, async move {
            let result = match &target {
                Target::Container { id, .. } => engine.inspect_container(id).await,
                Target::Volume { name } => engine.inspect_volume(name).await,
                Target::Image { id, .. } => engine.inspect_image(id).await,
            };
            EngineMsg::Inspected { target, result: result.map_err(|e| e.to_string()) }
        }),
        Effect::WatchEvents => tokio::spawn(watch_events(engine, sender)),
        Effect::RefreshAfter(delay) => spawn(sender, async move {
            tokio::time::sleep(delay).await;
            EngineMsg::RefreshDue
        }),
        Effect::LoadImages => {
            spawn(sender, async move { EngineMsg::Images(engine.images().await.map_err(|e| e.to_string())) })
        }
        Effect::SizeImages => spawn(sender, async move {
            EngineMsg::ImagesSized(engine.image_sizes().await.map(Box::new).map_err(|e| e.to_string()))
        }),
        Effect::Perform(Action::Remove(plan)) => {
            spawn(sender, async move { EngineMsg::Removed(actions::remove(&engine, &plan).await) })
        }
        Effect::Perform(Action::Submit(Submit::CreateVolume(spec))) => spawn(sender, async move {
            EngineMsg::VolumeCreated(engine.create_volume(&spec).await.map_err(|e| e.to_string()))
        }),
        Effect::Perform(Action::Submit(Submit::CreateContainer { spec, shell })) => {
            spawn(sender, async move {
                let result = actions::create_on_volume(&engine, &spec, true).await.map_err(|e| e.to_string());
                EngineMsg::ContainerCreated { result, name: spec.name, shell }
            })
        }
        Effect::Browse { seq, target } => tokio::spawn(async move {
            let progress_sender = sender.clone();
            // Progress is a view, not a result: one dropped while the channel is full is fine.
            let progress = Box::new(move |progress| {
                let _ = progress_sender.try_send(EngineMsg::BrowseProgress { seq, progress });
            });
            let result = browse::measure(&engine, &target, route == Route::Engine, progress)
                .await
                .map(|browsed| (browsed.tree, browsed.source))
                .map_err(|e| e.to_string());
            let _ = sender.send(EngineMsg::Browsed { seq, result }).await;
        }),
        // Replaces (so ends) the count under way.
        Effect::StopBrowsing => tokio::spawn(async {}),
        // Handled by the loop, which owns the terminal, the engine and the settings.
        Effect::OpenSession(_) | Effect::Quit | Effect::SwitchEngine(_) | Effect::ListContexts => {
            return None
        }
    };
    Some(handle.abort_handle())
}

async fn connect(engine: Engine) -> EngineMsg {
    match engine.negotiate().await {
        Ok(info) => EngineMsg::Connected(info),
        Err(error) => EngineMsg::ConnectFailed { error, at: SystemTime::now() },
    }
}

fn list_failed(seq: u64, list: ListKind, error: crate::engine::EngineError) -> EngineMsg {
    EngineMsg::ListFailed { seq, list, error, at: SystemTime::now() }
}

fn spawn(
    sender: mpsc::Sender<EngineMsg>,
    work: impl std::future::Future<Output = EngineMsg> + Send + 'static,
) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let _ = sender.send(work.await).await;
    })
}

/// Passes results on as they come: the first at once, then at most one message per
/// `BATCH_EVERY`. Returns when the results end or the app has gone.
async fn send_in_batches<T>(
    mut results: impl futures_util::Stream<Item = T> + Unpin,
    sender: &mpsc::Sender<EngineMsg>,
    message: impl Fn(Vec<T>) -> EngineMsg,
) {
    use tokio::time::{sleep_until, Instant};
    let mut held = Vec::new();
    // When the held results go out; `None` while none are held.
    let mut due: Option<Instant> = None;
    let mut last_sent: Option<Instant> = None;
    loop {
        let send_now = tokio::select! {
            next = results.next() => match next {
                Some(result) => {
                    held.push(result);
                    let ready_at = last_sent.map_or_else(Instant::now, |t| t + BATCH_EVERY);
                    due = Some(ready_at);
                    ready_at <= Instant::now()
                }
                None => {
                    if !held.is_empty() {
                        let _ = sender.send(message(held)).await;
                    }
                    return;
                }
            },
            () = sleep_until(due.unwrap_or_else(Instant::now)), if due.is_some() => true,
        };
        if send_now {
            last_sent = Some(Instant::now());
            due = None;
            if sender.send(message(std::mem::take(&mut held))).await.is_err() {
                return;
            }
        }
    }
}

/// A connection that stayed up this long was healthy: the next outage starts the backoff over.
const HEALTHY_CONNECTION: Duration = Duration::from_secs(5);

/// Follows the engine's events for as long as the app runs, reconnecting with backoff. After
/// an outage, once the engine answers again, a refresh picks up whatever happened meanwhile.
async fn watch_events(engine: Engine, sender: mpsc::Sender<EngineMsg>) {
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
