#![cfg_attr(not(test), deny(clippy::unwrap_used))]

use std::process::ExitCode;

use clap::{Parser, Subcommand};

use dockdu::browse::{self, BrowseError, Target};
use dockdu::cli::{self, Finish};
use dockdu::contexts::DockerConfig;
use dockdu::engine::{default_host, Engine, EngineError, Settings, VolumeSpec};
use dockdu::model::plan::{ImageScope, VolumeScope};
use dockdu::model::validate;
use dockdu::output::{self, error_line};
use dockdu::sizes::Route;
use dockdu::{collect, fleet, model, plugin, report};

/// Where does my Docker disk go, and who owns it?
#[derive(Parser)]
#[command(version, about)]
struct Cli {
    /// Engine address (unix:///path, tcp://host:port, https://host:port, ssh://[user@]host[:port]).
    /// Without it, as the docker CLI: --context, $DOCKER_HOST, $DOCKER_CONTEXT, the current
    /// context, else unix:///var/run/docker.sock, else a Podman socket that exists.
    #[arg(long, short = 'H', global = true, value_name = "URL")]
    host: Option<String>,

    /// The docker context to use, as `docker --context`; default: $DOCKER_CONTEXT, else the docker
    /// CLI's current context (`docker context use`).
    #[arg(long, short = 'c', global = true, value_name = "NAME")]
    context: Option<String>,

    /// The docker CLI's config folder, where contexts are read; default: $DOCKER_CONFIG, else
    /// ~/.docker.
    #[arg(long, global = true, value_name = "DIR")]
    config: Option<String>,

    /// TLS to a tcp:// host, without checking its certificate (as the docker CLI's --tls).
    #[arg(long, global = true)]
    tls: bool,

    /// TLS to a tcp:// host, checked against the CA (as the docker CLI's --tlsverify).
    #[arg(long, global = true)]
    tlsverify: bool,

    /// The CA that signs the engine's certificate; default: ca.pem in $DOCKER_CERT_PATH.
    #[arg(long, global = true, value_name = "FILE")]
    tlscacert: Option<String>,

    /// Our client certificate; default: cert.pem in $DOCKER_CERT_PATH.
    #[arg(long, global = true, value_name = "FILE")]
    tlscert: Option<String>,

    /// Our client certificate's key; default: key.pem in $DOCKER_CERT_PATH.
    #[arg(long, global = true, value_name = "FILE")]
    tlskey: Option<String>,

    /// Refuse every write: nothing but reads reaches the engine.
    #[arg(long, global = true)]
    read_only: bool,

    /// Append a log of engine requests and problems to this file.
    #[arg(long, global = true, env = "DOCKDU_LOG", value_name = "FILE")]
    log: Option<std::path::PathBuf>,

    /// Seconds that connecting and each ordinary request may take (size walks and the event
    /// stream are not bounded).
    #[arg(long, global = true, value_name = "SECONDS", default_value_t = dockdu::engine::DEFAULT_TIMEOUT.as_secs(), value_parser = clap::value_parser!(u64).range(1..))]
    timeout: u64,

    /// Show secret-looking labels and driver options (password, token, key…) in the output
    /// instead of a mask.
    #[arg(long, global = true)]
    reveal_secrets: bool,

    /// Take every size from the engine (`/system/df`, inspect with `size=1`) instead of
    /// measuring writable layers and volumes here.
    #[arg(long, global = true)]
    engine_sizes: bool,

    /// What `e` runs in a container (words split on spaces).
    #[arg(long, global = true, default_value = "sh", value_name = "COMMAND")]
    shell: String,

    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Print where the disk goes: containers, volumes, dangling volumes, binds, tmpfs, images,
    /// build cache.
    Report {
        /// One JSON document instead of text.
        #[arg(long)]
        json: bool,
        /// Every docker context side by side, queried at once; totals across engines at the end.
        #[arg(long)]
        all_contexts: bool,
    },
    /// Create volumes.
    #[command(subcommand)]
    Volume(VolumeCommand),
    /// What fills a volume, a container's writable layer or a bind source, folder by folder.
    Du {
        #[command(subcommand)]
        target: DuTarget,
        /// One JSON document instead of text.
        #[arg(long, global = true)]
        json: bool,
        /// Levels of entries to print (sizes always count everything below).
        #[arg(long, global = true, default_value_t = 1, value_name = "N")]
        depth: usize,
        /// Read the files through the engine's archive stream even where they can be read here.
        #[arg(long, global = true)]
        via_engine: bool,
    },
    /// Remove dangling volumes, stopped containers or unused images, showing exactly what goes
    /// first.
    #[command(subcommand)]
    Prune(PruneCommand),
}

#[derive(Subcommand)]
enum DuTarget {
    /// A volume, by name.
    Volume { name: String },
    /// A container's writable layer, by name or id: what it added, changed and deleted.
    Container { name: String },
    /// A bind mount's host path.
    Bind { path: String },
}

#[derive(Subcommand)]
enum VolumeCommand {
    /// Create a volume; prints its name. Without NAME the engine names it (anonymous).
    Create {
        name: Option<String>,
        #[arg(long, default_value = "local")]
        driver: String,
        /// A label, `key=value`; repeat for more.
        #[arg(long = "label", value_name = "KEY=VALUE")]
        labels: Vec<String>,
        /// A driver option, `key=value`; repeat for more.
        #[arg(long = "opt", value_name = "KEY=VALUE")]
        options: Vec<String>,
    },
}

#[derive(clap::Args)]
struct ConfirmArgs {
    /// Print what would be removed, and remove nothing.
    #[arg(long)]
    dry_run: bool,
    /// Remove without asking.
    #[arg(long)]
    yes: bool,
    /// The preview and the outcome as JSON.
    #[arg(long)]
    json: bool,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum Scope {
    /// Dangling anonymous volumes.
    Anonymous,
    /// Every dangling volume, named ones too.
    Dangling,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum ImagesScope {
    /// Untagged images no container uses.
    Dangling,
    /// Every image no container (running or not) uses, tagged ones too.
    Unused,
}

#[derive(Subcommand)]
enum PruneCommand {
    /// Remove volumes no container uses.
    Volumes {
        #[arg(long, value_enum, default_value = "anonymous")]
        scope: Scope,
        /// Only volumes with this label: `label=KEY` or `label=KEY=VALUE`.
        #[arg(long, value_name = "label=KEY[=VALUE]")]
        filter: Option<String>,
        #[command(flatten)]
        confirm: ConfirmArgs,
    },
    /// Remove stopped containers (exited, created, dead).
    Containers {
        /// Also remove the anonymous volumes only these containers use.
        #[arg(long)]
        with_volumes: bool,
        /// Only containers with this label: `label=KEY` or `label=KEY=VALUE`.
        #[arg(long, value_name = "label=KEY[=VALUE]")]
        filter: Option<String>,
        #[command(flatten)]
        confirm: ConfirmArgs,
    },
    /// Remove images no container uses, one by one (never the engine's prune, never forced).
    Images {
        #[arg(long, value_enum, default_value = "dangling")]
        scope: ImagesScope,
        /// Only images with this label: `label=KEY` or `label=KEY=VALUE`.
        #[arg(long, value_name = "label=KEY[=VALUE]")]
        filter: Option<String>,
        #[command(flatten)]
        confirm: ConfirmArgs,
    },
}

fn main() -> ExitCode {
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
    match runtime.block_on(run(cli)) {
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
    }
}

async fn run(cli: Cli) -> anyhow::Result<Finish> {
    let settings = settings(&cli);
    let timeout = std::time::Duration::from_secs(cli.timeout);
    if let Some(Command::Report { json, all_contexts: true }) = cli.command {
        return fleet::report(&settings, timeout, json, cli.reveal_secrets, cli.engine_sizes).await;
    }
    let engine = Engine::connect(&settings.target()?, timeout)?.read_only(cli.read_only);
    let reveal_secrets = cli.reveal_secrets;
    let route = Route::choose(&engine, cli.engine_sizes);
    let confirm =
        |c: ConfirmArgs| cli::Confirm { dry_run: c.dry_run, yes: c.yes, json: c.json, reveal_secrets };
    match cli.command {
        None => {
            let shell = validate::command_words(&cli.shell).map_err(anyhow::Error::msg)?;
            dockdu::runtime::run(engine, shell, settings, cli.engine_sizes).await.map(|()| Finish::Done)
        }
        Some(Command::Report { json, .. }) => {
            let inventory = model::build(&collect::collect(&engine, route).await?);
            // A reader that went away (`| head -1`) took what it wanted: the report is done.
            if json {
                output::json(&report::json(&inventory, reveal_secrets))?;
            } else {
                output::text(&report::text(&inventory, reveal_secrets))?;
            }
            Ok(Finish::Done)
        }
        Some(Command::Du { target, json, depth, via_engine }) => {
            let target = match target {
                DuTarget::Volume { name } => Target::Volume(name),
                DuTarget::Container { name } => Target::Container(name),
                DuTarget::Bind { path } => Target::Bind(path),
            };
            let browsed = match browse::measure(&engine, &target, via_engine, Box::new(|_| {})).await {
                Ok(browsed) => browsed,
                Err(BrowseError::Refused(why)) => return Ok(Finish::Refused(why)),
                Err(BrowseError::Engine(e)) => return Err(e.into()),
                Err(e) => return Err(anyhow::Error::msg(e.to_string())),
            };
            if json {
                output::json(&browse::json(&browsed, depth).to_string())?;
            } else {
                output::text(&browse::text(&browsed, depth))?;
            }
            Ok(Finish::Done)
        }
        Some(Command::Volume(VolumeCommand::Create { name, driver, labels, options })) => {
            let pairs = |items: Vec<String>| validate::key_values(&items.join(","));
            let (labels, options) = match (pairs(labels), pairs(options)) {
                (Ok(labels), Ok(options)) => (labels, options),
                (Err(why), _) | (_, Err(why)) => return Ok(Finish::Refused(why)),
            };
            let spec = VolumeSpec { name: name.unwrap_or_default(), driver, labels, options };
            cli::create_volume(&engine, spec).await
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
            cli::prune_volumes(&engine, route, scope, label, confirm(c)).await
        }
        Some(Command::Prune(PruneCommand::Containers { with_volumes, filter, confirm: c })) => {
            let label = match label_filter(filter) {
                Ok(label) => label,
                Err(refused) => return Ok(refused),
            };
            cli::prune_containers(&engine, route, with_volumes, label, confirm(c)).await
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
            cli::prune_images(&engine, route, scope, label, confirm(c)).await
        }
    }
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
