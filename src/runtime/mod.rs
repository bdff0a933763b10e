//! The one loop: it owns the terminal and the app, turns terminal events and engine results into
//! messages, runs the effects `update` asks for as tokio tasks, and draws when something changed.
//! Every way out (`q`, `Ctrl-C`, a signal, a panic) ends the tasks, awaits what must be cleaned
//! up (helper containers) and restores the terminal; so does a switch to another engine, for the
//! engine it leaves.

mod contexts;
mod events;
mod logs;
mod perform;
mod session;
pub mod signals;
mod tasks;
mod terminal;

use std::panic::AssertUnwindSafe;
use std::time::Duration;

use anyhow::Result;
use crossterm::event::{Event, EventStream};
use futures_util::{FutureExt, StreamExt};
use ratatui::DefaultTerminal;
use tokio::sync::mpsc;

use crate::app::{App, Config, Effect, EngineMsg, Msg, Slot};
use crate::engine::{Engine, Settings};
use crate::tasks::cleanup::Cleanup;
use crate::tasks::sizes::Route;
use crate::ui;
use perform::{perform, Context};
use session::SessionEnd;
use signals::StopSignals;
use tasks::Tasks;

/// Spinner speed, while something loads; nothing ticks when idle.
const TICK: Duration = Duration::from_millis(120);
/// How often the tmpfs mounts' use is read again (host I/O only, one statfs each).
const TMPFS_REFRESH: Duration = Duration::from_secs(5);
const CHANNEL_CAPACITY: usize = 1024;
/// How long the way out waits for cancelled tasks to stop, and then for helper containers to
/// be removed (each removal is one request).
const TASKS_END: Duration = Duration::from_secs(2);
const CLEANUP_WITHIN: Duration = Duration::from_secs(15);

/// `settings` name the other engines the user has, for switching to one (`E`); `engine_sizes`
/// takes every size from the engine, whichever it is.
pub async fn run(
    engine: Engine,
    shell_command: Vec<String>,
    settings: Settings,
    engine_sizes: bool,
) -> Result<()> {
    let stop = StopSignals::new()?;
    let mut terminal = terminal::enter()?;
    let mut explorer = Explorer {
        engine,
        settings,
        engine_sizes,
        tasks: Tasks::default(),
        cleanup: Cleanup::default(),
        stop,
    };
    let ended = AssertUnwindSafe(explorer.event_loop(&mut terminal, shell_command)).catch_unwind().await;
    explorer.tasks.end_all(TASKS_END).await;
    terminal::leave();
    let pending = explorer.cleanup.pending();
    if pending > 0 {
        eprintln!("dockdu: removing {pending} helper container{}…", if pending == 1 { "" } else { "s" });
    }
    if !explorer.cleanup.finish(CLEANUP_WITHIN).await {
        eprintln!("dockdu: a helper container may be left: docker ps -a --filter label=dockdu.helper=1");
    }
    match ended {
        Ok(result) => result,
        Err(panic) => std::panic::resume_unwind(panic),
    }
}

/// What the loop owns besides the app: the engine, the tasks working for it, and what they leave
/// to clean up.
struct Explorer {
    engine: Engine,
    settings: Settings,
    engine_sizes: bool,
    tasks: Tasks,
    cleanup: Cleanup,
    stop: StopSignals,
}

impl Explorer {
    async fn event_loop(&mut self, terminal: &mut DefaultTerminal, shell_command: Vec<String>) -> Result<()> {
        let size = terminal.size()?;
        let config = Config { read_only: self.engine.is_read_only(), shell_command };
        let mut app = App::new(self.engine.host(), self.engine.is_local(), (size.width, size.height), config);
        app.describe_engine(self.engine.describe());
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
        loop {
            while !effects.is_empty() {
                for effect in std::mem::take(&mut effects) {
                    match effect {
                        Effect::Quit => return Ok(()),
                        Effect::OpenSession(request) => {
                            // The session owns stdin. The key stream is not polled meanwhile, so
                            // its reader thread stays idle and takes no key meant for the
                            // container. It is kept, not dropped and made anew: dropping it
                            // leaves a wake-up behind that swallows the first key pressed after.
                            let result = match session::run(&self.engine, &request, &mut self.stop).await {
                                SessionEnd::Ended(result) => result,
                                SessionEnd::Stopped => return Ok(()),
                            };
                            // A fresh terminal redraws every cell; `clear()` would ask the
                            // terminal for the cursor position, an answer that may not come back
                            // in time.
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
                        Effect::SwitchEngine(context) => {
                            match contexts::replacement(&self.settings, &self.engine, &context) {
                                Ok(next) => {
                                    self.leave_engine().await;
                                    // A fresh channel: nothing the old tasks sent can arrive.
                                    (sender, receiver) = mpsc::channel::<EngineMsg>(CHANNEL_CAPACITY);
                                    self.engine = next;
                                    effects
                                        .extend(app.switched(self.engine.describe(), self.engine.is_local()));
                                }
                                Err(error) => {
                                    effects.extend(app.update(Msg::Engine(EngineMsg::SwitchFailed(error))))
                                }
                            }
                        }
                        Effect::ListContexts => {
                            let work = contexts::list_contexts(
                                self.settings.clone(),
                                self.engine.request_timeout(),
                                sender.clone(),
                            );
                            self.tasks.track(Some(Slot::Contexts), tokio::spawn(work));
                        }
                        effect => {
                            let slot = effect.slot();
                            let context = Context {
                                engine: &self.engine,
                                route: Route::choose(&self.engine, self.engine_sizes),
                                sender: &sender,
                                cleanup: &self.cleanup,
                            };
                            if let Some(task) = perform(effect, &context) {
                                self.tasks.track(slot, task);
                            }
                        }
                    }
                }
            }
            let clock = app.clock_interval();
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
                () = tokio::time::sleep(clock.unwrap_or_default()), if clock.is_some() => Msg::Clock,
                () = self.stop.received() => return Ok(()),
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
            app.now = std::time::SystemTime::now();
            terminal.draw(|frame| ui::render(&app, frame))?;
        }
    }

    /// Before another engine takes over: every task of this one ends (its event watcher too), its
    /// helper containers are removed, then its connections close.
    async fn leave_engine(&mut self) {
        self.tasks.end_all(TASKS_END).await;
        self.cleanup.finish(CLEANUP_WITHIN).await;
        self.engine.close();
    }
}
