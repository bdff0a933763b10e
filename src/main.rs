#![cfg_attr(not(test), deny(clippy::unwrap_used))]

use std::process::ExitCode;

use clap::{Parser, Subcommand};

use dockdu::engine::{Engine, HostChoice};
use dockdu::{collect, model, report};

/// Where does my Docker disk go, and who owns it?
#[derive(Parser)]
#[command(version, about)]
struct Cli {
    /// Engine address (unix:///path, tcp://host:port, https://host:port); default: $DOCKER_HOST,
    /// else unix:///var/run/docker.sock.
    #[arg(long, global = true, value_name = "URL")]
    host: Option<String>,

    /// Refuse every write: nothing but reads reaches the engine.
    #[arg(long, global = true)]
    read_only: bool,

    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Print where the disk goes: containers, volumes, dangling volumes, binds, tmpfs.
    Report {
        /// One JSON document instead of text.
        #[arg(long)]
        json: bool,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("dockdu: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    let result = runtime.block_on(run(cli));
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("dockdu: {e:#}");
            ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> anyhow::Result<()> {
    let docker_host = std::env::var("DOCKER_HOST").ok();
    let tls_verify = std::env::var("DOCKER_TLS_VERIFY").ok();
    let cert_path = std::env::var("DOCKER_CERT_PATH").ok();
    let home = std::env::var("HOME").ok();
    let choice = HostChoice {
        flag: cli.host.as_deref(),
        docker_host: docker_host.as_deref(),
        tls_verify: tls_verify.as_deref(),
        cert_path: cert_path.as_deref(),
        home: home.as_deref(),
    };
    let engine = Engine::new(&choice)?;
    let Some(Command::Report { json }) = cli.command else {
        return dockdu::runtime::run(engine, cli.read_only).await;
    };
    let inventory = model::build(&collect::collect(&engine).await?);
    print!("{}", if json { report::json(&inventory) } else { report::text(&inventory) });
    Ok(())
}
