//! The script face: `report`, `du`, `prune`, `volume create`, the fleet report, the docker CLI
//! plugin, and how text and JSON reach stdout.

mod args;
pub mod disk;
pub mod fleet;
pub mod output;
pub mod plugin;
pub mod report;
pub mod writes;

use std::process::ExitCode;

use clap::Parser;

use crate::engine::contexts::DockerConfig;
use crate::engine::{default_host, Engine, EngineError, Settings, VolumeSpec};
use crate::model::plan::{ImageScope, VolumeScope};
use crate::model::{self, validate};
use crate::tasks::browse::{self, BrowseError, Target};
use crate::tasks::cleanup::Cleanup;
use crate::tasks::collect;
use crate::tasks::sizes::Route;
use args::{
    Cli, Command, ConfirmArgs, DuTarget, ImagesScope, LogsCommand, PruneCommand, Scope, VolumeCommand,
};
use output::{error_line, warning_line};
use writes::Finish;

/// How long the exit waits for blocking reads still under way.
const RUNTIME_END: std::time::Duration = std::time::Duration::from_secs(1);

/// The whole program: what `main` runs.
pub fn main() -> ExitCode {
    let args = match plugin::invocation(std::env::args_os().collect()) {
        plugin::Invocation::Metadata => {
            println!("{}", plugin::metadata());
            return ExitCode::SUCCESS;
        }
        plugin::Invocation::Run(args) => args,
    };
    let cli = Cli::parse_from(args);
    if let Some(path) = &cli.log {
        if let Err(e) = start_log(path) {
            error_line(&format!("cannot log to {}: {e}", path.display()));
            return ExitCode::FAILURE;
        }
    }
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(runtime) => runtime,
        Err(e) => {
            error_line(&format!("cannot start the async runtime: {e}"));
            return ExitCode::FAILURE;
        }
    };
    let outcome = runtime.block_on(run(cli));
    // Everything that must end (helper containers, the terminal) was awaited in `run`: a blocking
    // read still under way (a file walk, a slow disk) must not hold the exit, as dropping the
    // runtime would.
    runtime.shutdown_timeout(RUNTIME_END);
    match outcome {
        Ok(Finish::Done) => ExitCode::SUCCESS,
        Ok(finish) => {
            if let Finish::Refused(why) = &finish {
                error_line(why);
            }
            ExitCode::from(finish.exit_code())
        }
        Err(e) => {
            error_line(&format!("{e:#}"));
            // A write refused by --read-only, or a --host that names no usable address, changed
            // nothing, like any other refusal.
            let refused = e.downcast_ref::<EngineError>().is_some_and(EngineError::is_refusal);
            if refused {
                ExitCode::from(Finish::Refused(String::new()).exit_code())
            } else {
                ExitCode::FAILURE
            }
        }
    }
}

/// What decides the engine: the command line, then the environment, as the docker CLI reads them.
fn settings(cli: &Cli) -> Settings {
    let env = |name: &str| std::env::var(name).ok();
    let home = env("HOME");
    let uid = std::fs::metadata("/proc/self").ok().map(|m| std::os::unix::fs::MetadataExt::uid(&m));
    let default_host =
        default_host(env("XDG_RUNTIME_DIR").as_deref(), uid, |path| std::path::Path::new(path).exists());
    Settings {
        host_flag: cli.host.clone(),
        context_flag: cli.context.clone(),
        tls: cli.tls,
        tls_verify_flag: cli.tlsverify,
        tls_ca: cli.tlscacert.clone(),
        tls_cert: cli.tlscert.clone(),
        tls_key: cli.tlskey.clone(),
        docker_host: env("DOCKER_HOST"),
        docker_context: env("DOCKER_CONTEXT"),
        tls_verify_env: env("DOCKER_TLS_VERIFY"),
        cert_path: env("DOCKER_CERT_PATH"),
        config_dir: DockerConfig::locate(
            cli.config.as_deref(),
            env("DOCKER_CONFIG").as_deref(),
            home.as_deref(),
        )
        .dir,
        home,
        default_host,
        current_context: None,
    }
}

async fn run(cli: Cli) -> anyhow::Result<Finish> {
    let mut settings = settings(&cli);
    // Said before the explorer takes the terminal: a line written later would garble its screen.
    if let Some(unread) = settings.read_config_file() {
        warning_line(&format!("Error loading config file: {unread}"));
    }
    let timeout = std::time::Duration::from_secs(cli.timeout);
    if let Some(Command::Report { json, all_contexts: true }) = cli.command {
        return fleet::report(&settings, timeout, json, cli.reveal_secrets, cli.engine_sizes).await;
    }
    let engine = Engine::connect(&settings.target()?, timeout)?.read_only(cli.read_only);
    let reveal_secrets = cli.reveal_secrets;
    let route = Route::choose(&engine, cli.engine_sizes);
    let confirm =
        |c: ConfirmArgs| writes::Confirm { dry_run: c.dry_run, yes: c.yes, json: c.json, reveal_secrets };
    match cli.command {
        None => {
            let shell = validate::command_words(&cli.shell).map_err(anyhow::Error::msg)?;
            crate::runtime::run(engine, shell, settings, cli.engine_sizes).await.map(|()| Finish::Done)
        }
        Some(Command::Report { json, .. }) => {
            let inventory = model::build(&collect::collect(&engine, route).await?);
            // A reader that went away (`| head -1`) took what it wanted: the report is done.
            if json {
                output::json(&report::json(&inventory, reveal_secrets))?;
            } else {
                output::text(&report::text(&inventory, reveal_secrets, output::terminal_width()))?;
            }
            Ok(Finish::Done)
        }
        Some(Command::Du { target, json, depth, via_engine }) => {
            let target = match target {
                DuTarget::Volume { name } => Target::Volume(name),
                DuTarget::Container { name } => Target::Container(name),
                DuTarget::Bind { path } => Target::Bind(path),
            };
            let cleanup = Cleanup::default();
            let measured =
                until_stopped(browse::measure(&engine, &target, via_engine, Box::new(|_| {}), &cleanup));
            let measured = measured.await;
            // Stopped or not, a helper container made for the read is gone before we leave.
            cleanup.finish(CLEANUP_WITHIN).await;
            let browsed = match measured? {
                None => return Ok(Finish::Interrupted),
                Some(Ok(browsed)) => browsed,
                Some(Err(BrowseError::Refused(why))) => return Ok(Finish::Refused(why)),
                Some(Err(BrowseError::Engine(e))) => return Err(e.into()),
                Some(Err(e)) => return Err(anyhow::Error::msg(e.to_string())),
            };
            if json {
                output::json(&browse::json(&browsed, depth).to_string())?;
            } else {
                output::text(&browse::text(&browsed, depth))?;
            }
            Ok(Finish::Done)
        }
        Some(Command::Disk { json }) => disk_command(&engine, json).await,
        Some(Command::Logs(LogsCommand::Truncate { names, confirm: c })) => {
            writes::truncate_logs(&engine, route, &names, confirm(c)).await
        }
        Some(Command::Volume(VolumeCommand::Create { name, driver, labels, options })) => {
            let pairs = |items: Vec<String>| validate::key_values(&items.join(","));
            let (labels, options) = match (pairs(labels), pairs(options)) {
                (Ok(labels), Ok(options)) => (labels, options),
                (Err(why), _) | (_, Err(why)) => return Ok(Finish::Refused(why)),
            };
            let spec = VolumeSpec { name: name.unwrap_or_default(), driver, labels, options };
            writes::create_volume(&engine, spec).await
        }
        Some(Command::Prune(PruneCommand::Volumes { scope, filter, confirm: c })) => {
            let label = match label_filter(filter) {
                Ok(label) => label,
                Err(refused) => return Ok(refused),
            };
            let scope = match scope {
                Scope::Anonymous => VolumeScope::Anonymous,
                Scope::Dangling => VolumeScope::Dangling,
            };
            writes::prune_volumes(&engine, route, scope, label, confirm(c)).await
        }
        Some(Command::Prune(PruneCommand::Containers { with_volumes, filter, confirm: c })) => {
            let label = match label_filter(filter) {
                Ok(label) => label,
                Err(refused) => return Ok(refused),
            };
            writes::prune_containers(&engine, route, with_volumes, label, confirm(c)).await
        }
        Some(Command::Prune(PruneCommand::Images { scope, filter, confirm: c })) => {
            let label = match label_filter(filter) {
                Ok(label) => label,
                Err(refused) => return Ok(refused),
            };
            let scope = match scope {
                ImagesScope::Dangling => ImageScope::Dangling,
                ImagesScope::Unused => ImageScope::Unused,
            };
            writes::prune_images(&engine, route, scope, label, confirm(c)).await
        }
    }
}

/// `dockdu disk`: the root reconciled here, or why not and what the engine counts itself.
async fn disk_command(engine: &Engine, json: bool) -> anyhow::Result<Finish> {
    let cancel = crate::measure::Cancel::default();
    let walked = until_stopped(crate::tasks::disk::disk(engine, cancel.clone(), |_| {})).await;
    let walked = match walked? {
        Some(walked) => walked,
        None => {
            cancel.cancel();
            return Ok(Finish::Interrupted);
        }
    };
    match walked {
        Ok(report) => {
            if json {
                output::json(&disk::json(&report))?;
            } else {
                output::text(&disk::text(&report, output::terminal_width()))?;
            }
        }
        Err(model::disk::DiskUnreadable::Engine(e)) => return Err(e.into()),
        Err(why) => {
            let inventory = model::build(&collect::collect(engine, Route::Engine).await?);
            let counts = disk::EngineCounts::from_totals(&inventory.totals);
            let path = inventory.engine.root_dir.as_deref();
            if json {
                output::json(&disk::unreadable_json(path, &why, Some(&counts)))?;
            } else {
                output::text(&disk::unreadable_text(path, &why, Some(&counts)))?;
            }
        }
    }
    Ok(Finish::Done)
}

/// Logs go to a file only: the explorer owns the terminal. A new log is readable by its owner
/// alone: it names hosts, containers and paths.
fn start_log(path: &std::path::Path) -> std::io::Result<()> {
    use std::os::unix::fs::OpenOptionsExt;
    let file = std::fs::OpenOptions::new().create(true).append(true).mode(0o600).open(path)?;
    use tracing_subscriber::layer::SubscriberExt;
    use tracing_subscriber::util::SubscriberInitExt;
    // Our requests in detail; the HTTP stack's own chatter only when something is wrong.
    let targets = tracing_subscriber::filter::Targets::new()
        .with_target("dockdu", tracing::Level::DEBUG)
        .with_default(tracing::Level::WARN);
    let format = tracing_subscriber::fmt::layer().with_writer(std::sync::Mutex::new(file)).with_ansi(false);
    tracing_subscriber::registry().with(format).with(targets).init();
    tracing::info!(version = env!("CARGO_PKG_VERSION"), "dockdu started");
    Ok(())
}

/// `--filter label=KEY[=VALUE]` → `KEY[=VALUE]`.
fn label_filter(filter: Option<String>) -> Result<Option<String>, Finish> {
    match filter.as_deref().map(|f| f.strip_prefix("label=")) {
        None => Ok(None),
        Some(Some(label)) if !label.is_empty() => Ok(Some(label.to_owned())),
        Some(_) => Err(Finish::Refused("--filter takes label=KEY or label=KEY=VALUE".to_owned())),
    }
}

/// How long a script command waits, on its way out, for a helper container to be removed.
const CLEANUP_WITHIN: std::time::Duration = std::time::Duration::from_secs(15);

/// `work`, unless a stop signal (Ctrl-C, TERM, HUP, QUIT) comes first: then `None`, and `work`
/// is dropped, which hands what it must clean up to its `Cleanup`.
async fn until_stopped<F: std::future::Future>(work: F) -> anyhow::Result<Option<F::Output>> {
    let mut stop = crate::runtime::signals::StopSignals::new()?;
    Ok(tokio::select! {
        output = work => Some(output),
        () = stop.received() => None,
    })
}
