//! The command line: every flag and subcommand, as clap reads them.

use clap::{Parser, Subcommand};

/// Where does my Docker disk go, and who owns it?
#[derive(Parser)]
#[command(version, about)]
pub struct Cli {
    /// Engine address (unix:///path, tcp://host:port, https://host:port, ssh://[user@]host[:port]).
    /// Without it, as the docker CLI: --context, $DOCKER_HOST, $DOCKER_CONTEXT, the current
    /// context, else unix:///var/run/docker.sock, else a Podman socket that exists.
    #[arg(long, short = 'H', global = true, value_name = "URL")]
    pub host: Option<String>,

    /// The docker context to use, as `docker --context`; default: $DOCKER_CONTEXT, else the docker
    /// CLI's current context (`docker context use`).
    #[arg(long, short = 'c', global = true, value_name = "NAME")]
    pub context: Option<String>,

    /// The docker CLI's config folder, where contexts are read; default: $DOCKER_CONFIG, else
    /// ~/.docker.
    #[arg(long, global = true, value_name = "DIR")]
    pub config: Option<String>,

    /// TLS to a tcp:// host, without checking its certificate (as the docker CLI's --tls).
    #[arg(long, global = true)]
    pub tls: bool,

    /// TLS to a tcp:// host, checked against the CA (as the docker CLI's --tlsverify).
    #[arg(long, global = true)]
    pub tlsverify: bool,

    /// The CA that signs the engine's certificate; default: ca.pem in $DOCKER_CERT_PATH.
    #[arg(long, global = true, value_name = "FILE")]
    pub tlscacert: Option<String>,

    /// Our client certificate; default: cert.pem in $DOCKER_CERT_PATH.
    #[arg(long, global = true, value_name = "FILE")]
    pub tlscert: Option<String>,

    /// Our client certificate's key; default: key.pem in $DOCKER_CERT_PATH.
    #[arg(long, global = true, value_name = "FILE")]
    pub tlskey: Option<String>,

    /// Refuse every write: nothing but reads reaches the engine.
    #[arg(long, global = true)]
    pub read_only: bool,

    /// Append a log of engine requests and problems to this file.
    #[arg(long, global = true, env = "DOCKDU_LOG", value_name = "FILE")]
    pub log: Option<std::path::PathBuf>,

    /// Seconds that connecting and each ordinary request may take (size walks and the event
    /// stream are not bounded).
    #[arg(long, global = true, value_name = "SECONDS", default_value_t = crate::engine::DEFAULT_TIMEOUT.as_secs(), value_parser = seconds)]
    pub timeout: u64,

    /// Show secret-looking labels and driver options (password, token, key…) in the output
    /// instead of a mask.
    #[arg(long, global = true)]
    pub reveal_secrets: bool,

    /// Take every size from the engine (`/system/df`, inspect with `size=1`) instead of
    /// measuring writable layers and volumes here.
    #[arg(long, global = true)]
    pub engine_sizes: bool,

    /// What `e` runs in a container (words split on spaces).
    #[arg(long, global = true, default_value = "sh", value_name = "COMMAND")]
    pub shell: String,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Subcommand)]
pub enum Command {
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
    /// Where the engine's root goes: every byte under it placed in a part (image layers,
    /// containers' layers, logs, volumes, build cache, the engine's metadata) or named as not
    /// accounted for (orphaned layers, folders of removed containers and volumes, temporary files).
    Disk {
        /// One JSON document instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Containers' logs.
    #[command(subcommand)]
    Logs(LogsCommand),
    /// Remove dangling volumes, stopped containers or unused images, showing exactly what goes
    /// first.
    #[command(subcommand)]
    Prune(PruneCommand),
}

#[derive(Subcommand)]
pub enum DuTarget {
    /// A volume, by name.
    Volume { name: String },
    /// A container's writable layer, by name or id: what it added, changed and deleted.
    Container { name: String },
    /// A bind mount's host path.
    Bind { path: String },
}

#[derive(Subcommand)]
pub enum VolumeCommand {
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
pub struct ConfirmArgs {
    /// Print what would be removed, and remove nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Remove without asking.
    #[arg(long)]
    pub yes: bool,
    /// The preview and the outcome as JSON.
    #[arg(long)]
    pub json: bool,
}

#[derive(Clone, Copy, clap::ValueEnum)]
pub enum Scope {
    /// Dangling anonymous volumes.
    Anonymous,
    /// Every dangling volume, named ones too.
    Dangling,
}

#[derive(Clone, Copy, clap::ValueEnum)]
pub enum ImagesScope {
    /// Untagged images no container uses.
    Dangling,
    /// Every image no container (running or not) uses, tagged ones too.
    Unused,
}

#[derive(Subcommand)]
pub enum LogsCommand {
    /// Truncate containers' logs (json-file and local drivers): the file the engine writes to is
    /// cut to 0 bytes (the engine goes on appending, and `docker logs` keeps working) and rotated
    /// files are removed. Each file and the bytes that come back are shown first.
    Truncate {
        /// Containers, by name, id or a unique prefix of the id.
        #[arg(required = true, value_name = "NAME")]
        names: Vec<String>,
        #[command(flatten)]
        confirm: ConfirmArgs,
    },
}

#[derive(Subcommand)]
pub enum PruneCommand {
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

/// `--timeout`: a whole number of seconds, at least 1.
fn seconds(text: &str) -> Result<u64, String> {
    match text.parse::<u64>() {
        Ok(0) => Err("must be at least 1".to_owned()),
        Ok(seconds) => Ok(seconds),
        Err(_) => Err(format!("{text:?} is not a whole number of seconds")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_timeout_of_zero_says_it_must_be_at_least_one() {
        assert_eq!(seconds("0"), Err("must be at least 1".to_owned()));
        assert_eq!(seconds("5"), Ok(5));
        assert!(seconds("-1").is_err_and(|e| e.contains("whole number")));
    }
}
