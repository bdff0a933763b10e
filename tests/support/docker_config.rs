//! A docker CLI config folder of the test's own (never `~/.docker`): contexts made with the real
//! `docker context create`, so dockdu is checked against the files the docker CLI writes, and
//! dockdu installed as a CLI plugin. Removed on drop.

use std::ffi::OsString;
use std::path::Path;
use std::process::{Command, Output, Stdio};

use super::process::{without_docker_env, TempDir};

pub struct DockerConfig {
    pub dir: TempDir,
}

impl DockerConfig {
    pub fn new() -> DockerConfig {
        let dir = TempDir::new("docker-config");
        dir.sub("config");
        DockerConfig { dir }
    }

    pub fn path(&self) -> std::path::PathBuf {
        self.dir.path().join("config")
    }

    /// HOME and DOCKER_CONFIG for a program that must read only this folder.
    pub fn env(&self) -> Vec<(&'static str, OsString)> {
        vec![
            ("HOME", self.dir.path().as_os_str().to_owned()),
            ("DOCKER_CONFIG", self.path().into_os_string()),
        ]
    }

    /// The docker CLI on this folder; panics with its stderr when it fails.
    pub fn docker(&self, args: &[&str]) -> Output {
        let output = self.docker_command(args).output().unwrap_or_else(|e| {
            panic!("cannot run the docker CLI ({e}): install it (docker.io, or `bash .ci/run`)")
        });
        assert!(
            output.status.success(),
            "docker {args:?} failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        output
    }

    pub fn docker_command(&self, args: &[&str]) -> Command {
        let mut command = Command::new("docker");
        without_docker_env(&mut command).args(args).envs(self.env()).stdin(Stdio::null());
        command
    }

    /// `docker context create NAME --docker SPEC` (`host=…[,ca=…,cert=…,key=…]`).
    pub fn create_context(&self, name: &str, docker: &str) {
        self.docker(&["context", "create", name, "--docker", docker]);
    }

    /// `docker context use NAME`: the current context in `config.json`.
    pub fn use_context(&self, name: &str) {
        self.docker(&["context", "use", name]);
    }

    /// `cli-plugins/docker-dockdu`, a symlink to the binary, as README says to install it.
    pub fn install_plugin(&self, binary: &Path) {
        let plugins = self.path().join("cli-plugins");
        std::fs::create_dir_all(&plugins).expect("cli-plugins");
        std::os::unix::fs::symlink(binary, plugins.join("docker-dockdu")).expect("linking the plugin");
    }
}
