//! Everything that changes the engine, and the interactive sessions. Each call checks the
//! read-only switch first, so `--read-only` holds here, at the one door to the engine.

use std::collections::HashMap;
use std::pin::Pin;

use bollard::models::{ContainerCreateBody, ExecConfig, HostConfig, Mount, MountType, VolumeCreateRequest};
use bollard::query_parameters::{
    AttachContainerOptions, CreateContainerOptions, KillContainerOptions, RemoveContainerOptions,
    RemoveImageOptions, RemoveVolumeOptions, ResizeContainerTTYOptions, ResizeExecOptions,
    RestartContainerOptions, StartContainerOptions, StopContainerOptions,
};
use bytes::Bytes;
use futures_util::{Stream, StreamExt};
use tokio::io::AsyncWrite;

use super::{error, Engine, EngineError, Problem};
use crate::model::controls::Control;
pub use crate::model::spec::{ContainerSpec, VolumeSpec};
use crate::model::{ContainerId, VolumeName};

/// Which process an interactive session talks to; resizes go to the same place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SessionTarget {
    Exec(String),
    Container(String),
}

/// A session: bytes from the process, and a writer to its stdin.
pub struct Session {
    pub target: SessionTarget,
    pub output: Pin<Box<dyn Stream<Item = Result<Bytes, EngineError>> + Send>>,
    pub input: Pin<Box<dyn AsyncWrite + Send>>,
    /// The process has a terminal: its output is a terminal's (`\r\n`), and the engine
    /// handles the detach keys.
    pub tty: bool,
    /// Its stdin is open: what is typed reaches it.
    pub stdin: bool,
}

/// The label on the throwaway containers that read dangling volumes.
pub const HELPER_LABEL: &str = "dockdu.helper";
/// Where a helper container mounts the volume it reads.
pub const HELPER_MOUNT: &str = "/dockdu-volume";

/// Docker's default; the engine ends an attach when it sees these keys.
pub const DETACH_KEYS: &str = "ctrl-p,ctrl-q";

impl Engine {
    pub(super) fn writable(&self, action: &str) -> Result<(), EngineError> {
        if self.read_only {
            Err(EngineError::new(&self.host, action, Problem::ReadOnly, "dockdu runs with --read-only"))
        } else {
            Ok(())
        }
    }

    /// Creates a volume; one that exists already is refused. The engine's own create answers
    /// with the existing volume, unchanged (labels, options), as if it had made it: asked first,
    /// dockdu never reports as created what it did not create. (Another client creating the
    /// name between the two requests is not caught; the engine offers no way to.)
    pub async fn create_volume(&self, spec: &VolumeSpec) -> Result<VolumeName, EngineError> {
        let action = "creating a volume";
        self.writable(action)?;
        if !spec.name.is_empty() {
            match self.inspect_volume(&spec.name).await {
                Ok(_) => {
                    let detail = format!("volume {} already exists", spec.name);
                    return Err(EngineError::new(&self.host, action, Problem::AlreadyExists, detail));
                }
                Err(e) if e.is_not_found() => {}
                Err(e) => return Err(e),
            }
        }
        let request = VolumeCreateRequest {
            name: Some(spec.name.clone()).filter(|n| !n.is_empty()),
            driver: Some(spec.driver.clone()).filter(|d| !d.is_empty()),
            driver_opts: Some(spec.options.iter().cloned().collect()),
            labels: Some(spec.labels.iter().cloned().collect()),
            ..Default::default()
        };
        let volume = self.docker.create_volume(request).await.map_err(|e| self.error(action, e))?;
        Ok(volume.name.into())
    }

    /// Removes one volume, never forced: the engine refuses (409) while any container uses it.
    pub async fn remove_volume(&self, name: &str) -> Result<(), EngineError> {
        let action = format!("removing volume {name}");
        self.writable(&action)?;
        self.docker
            .remove_volume(name, Some(RemoveVolumeOptions { force: false }))
            .await
            .map_err(|e| self.error(&action, e))
    }

    /// Removes one container and none of its volumes (those are removed by name, as previewed).
    pub async fn remove_container(&self, id: &str, force: bool) -> Result<(), EngineError> {
        let action = format!("removing container {}", crate::text::format::short_id(id));
        self.writable(&action)?;
        let options = RemoveContainerOptions { force, v: false, link: false };
        self.docker.remove_container(id, Some(options)).await.map_err(|e| self.error(&action, e))
    }

    /// Removes one image, never forced: the engine refuses (409) while a container uses it.
    /// An image with several tags is untagged tag by tag (the engine refuses its id without
    /// force); the last tag takes the image with it.
    pub async fn remove_image(&self, id: &str, tags: &[String]) -> Result<(), EngineError> {
        let action =
            format!("removing image {}", crate::text::format::short_id(id.trim_start_matches("sha256:")));
        self.writable(&action)?;
        let references: Vec<&str> =
            if tags.len() > 1 { tags.iter().map(String::as_str).collect() } else { vec![id] };
        for reference in references {
            self.docker
                .remove_image(reference, None::<RemoveImageOptions>, None)
                .await
                .map_err(|e| self.error(&action, e))?;
        }
        Ok(())
    }

    pub async fn create_container(&self, spec: &ContainerSpec) -> Result<ContainerId, EngineError> {
        let action = "creating a container";
        self.writable(action)?;
        let mount = Mount {
            target: Some(spec.mount_path.clone()),
            source: Some(spec.volume.clone()),
            typ: Some(MountType::VOLUME),
            read_only: Some(spec.read_only),
            ..Default::default()
        };
        let body = ContainerCreateBody {
            image: Some(spec.image.clone()),
            cmd: Some(spec.command.clone()).filter(|c| !c.is_empty()),
            labels: Some(spec.labels.iter().cloned().collect::<HashMap<_, _>>()),
            tty: Some(spec.interactive),
            open_stdin: Some(spec.interactive),
            attach_stdin: Some(false),
            host_config: Some(HostConfig {
                mounts: Some(vec![mount]),
                network_mode: Some(spec.network_mode.clone()).filter(|n| !n.is_empty()),
                ..Default::default()
            }),
            ..Default::default()
        };
        let options = CreateContainerOptions {
            name: Some(spec.name.clone()).filter(|n| !n.is_empty()),
            ..Default::default()
        };
        let created =
            self.docker.create_container(Some(options), body).await.map_err(|e| self.error(action, e))?;
        Ok(created.id.into())
    }

    /// A container that is never started, made only so the engine lets us read `volume` through
    /// it (`/containers/{id}/archive`), from an image already here (nothing is pulled). Labelled
    /// `dockdu.helper=1` so a leftover can be found; the caller removes it.
    pub async fn create_helper(
        &self,
        name: &str,
        image: &str,
        volume: &str,
    ) -> Result<ContainerId, EngineError> {
        self.writable("creating a helper container to read a volume")?;
        let spec = ContainerSpec {
            image: image.to_owned(),
            // Never run: the engine only wants a command to create it.
            command: vec!["dockdu-helper".to_owned()],
            volume: volume.to_owned(),
            mount_path: HELPER_MOUNT.to_owned(),
            read_only: true,
            network_mode: "none".to_owned(),
            labels: vec![(HELPER_LABEL.to_owned(), "1".to_owned())],
            name: name.to_owned(),
            ..Default::default()
        };
        self.create_container(&spec).await
    }

    /// Removes a helper container made by `create_helper`, with the anonymous volumes its image
    /// declared (`VOLUME` in the image makes one at create): a look inside leaves nothing behind.
    /// The volume it was made to read is mounted by name, and the engine never removes those.
    pub async fn remove_helper(&self, id: &str) -> Result<(), EngineError> {
        let action = format!("removing helper container {}", crate::text::format::short_id(id));
        self.writable(&action)?;
        let options = RemoveContainerOptions { force: true, v: true, link: false };
        self.docker.remove_container(id, Some(options)).await.map_err(|e| self.error(&action, e))
    }

    pub async fn start_container(&self, id: &str) -> Result<(), EngineError> {
        let action = "starting a container";
        self.writable(action)?;
        self.docker
            .start_container(id, None::<StartContainerOptions>)
            .await
            .map_err(|e| self.error(action, e))
    }

    /// Starts, stops, restarts, pauses, unpauses or kills a container: one request each. Stop and
    /// restart are answered only once the container has stopped, which may take its whole stop
    /// timeout (`docker run --stop-timeout`, 10 s unless set): they are allowed that on top of
    /// the ordinary bound.
    pub async fn control(&self, id: &str, name: &str, control: Control) -> Result<(), EngineError> {
        let action = format!("{} container {name}", control.doing());
        self.writable(&action)?;
        let docker = if control.waits_for_stop() {
            let grace = self.stop_timeout(id, &action).await?;
            self.docker.clone().with_timeout(self.timeout + grace)
        } else {
            self.docker.clone()
        };
        let result = match control {
            Control::Start => docker.start_container(id, None::<StartContainerOptions>).await,
            Control::Stop => docker.stop_container(id, None::<StopContainerOptions>).await,
            Control::Restart => docker.restart_container(id, None::<RestartContainerOptions>).await,
            Control::Pause => docker.pause_container(id).await,
            Control::Unpause => docker.unpause_container(id).await,
            Control::Kill => docker.kill_container(id, None::<KillContainerOptions>).await,
        };
        result.map_err(|e| match e {
            // The bound was ours: name it, with the stop timeout it allowed for.
            bollard::errors::Error::RequestTimeoutError => {
                let detail = format!("no answer within {} s", docker.timeout().as_secs());
                EngineError::new(&self.host, &action, Problem::Timeout, detail)
            }
            e => error::from_bollard(&self.host, &action, e),
        })
    }

    /// How long the engine may wait for a container to stop before it kills it: its own
    /// `StopTimeout`, else the engine's default of 10 s. A negative one waits forever; it is
    /// bounded here at ten minutes.
    async fn stop_timeout(&self, id: &str, action: &str) -> Result<std::time::Duration, EngineError> {
        const ENGINE_DEFAULT: u64 = 10;
        const LONGEST: u64 = 600;
        #[derive(serde::Deserialize, Default)]
        struct Inspect {
            #[serde(rename = "Config", default)]
            config: Option<Config>,
        }
        #[derive(serde::Deserialize, Default)]
        struct Config {
            #[serde(rename = "StopTimeout", default)]
            stop_timeout: Option<i64>,
        }
        let path = format!("/containers/{}/json", super::encode_path(id));
        let inspect: Inspect = self.get_json(action, &path, Some(self.timeout)).await?;
        let seconds = inspect.config.and_then(|c| c.stop_timeout);
        let seconds = match seconds {
            Some(s) if s < 0 => LONGEST,
            Some(s) => (s as u64).min(LONGEST),
            None => ENGINE_DEFAULT,
        };
        Ok(std::time::Duration::from_secs(seconds))
    }

    /// Runs `command` in a running container on a TTY, attached.
    pub async fn exec(&self, id: &str, command: &[String], size: (u16, u16)) -> Result<Session, EngineError> {
        let action = "opening a shell";
        self.writable(action)?;
        let config = ExecConfig {
            attach_stdin: Some(true),
            attach_stdout: Some(true),
            attach_stderr: Some(true),
            tty: Some(true),
            cmd: Some(command.to_vec()),
            detach_keys: Some(DETACH_KEYS.to_owned()),
            console_size: Some(vec![usize::from(size.1), usize::from(size.0)]),
            ..Default::default()
        };
        let exec = self.docker.create_exec(id, config).await.map_err(|e| self.error(action, e))?;
        let options = bollard::exec::StartExecOptions { detach: false, tty: true, output_capacity: None };
        match self.docker.start_exec(&exec.id, Some(options)).await.map_err(|e| self.error(action, e))? {
            bollard::exec::StartExecResults::Attached { output, input } => {
                let session = Session {
                    target: SessionTarget::Exec(exec.id),
                    output: self.bytes(action, output),
                    input,
                    tty: true,
                    stdin: true,
                };
                self.resize(&session.target, size).await;
                Ok(session)
            }
            bollard::exec::StartExecResults::Detached => Err(EngineError::new(
                &self.host,
                action,
                Problem::Other,
                "the engine did not attach the shell",
            )),
        }
    }

    /// Attaches to a container's main process. A container started without a terminal (`-d`
    /// without `-it`) is attached too: its output comes as lines, and what is typed reaches it
    /// only if its stdin is open.
    pub async fn attach(&self, id: &str, size: (u16, u16)) -> Result<Session, EngineError> {
        let action = "attaching";
        self.writable(action)?;
        let path = format!("/containers/{}/json", super::encode_path(id));
        let inspect: super::wire::Terminal = self.get_json(action, &path, Some(self.timeout)).await?;
        let (tty, stdin) = inspect.config.map_or((false, false), |c| (c.tty, c.open_stdin));
        let options = AttachContainerOptions {
            detach_keys: Some(DETACH_KEYS.to_owned()),
            logs: false,
            stream: true,
            stdin: true,
            stdout: true,
            stderr: true,
        };
        let attached =
            self.docker.attach_container(id, Some(options)).await.map_err(|e| self.error(action, e))?;
        let session = Session {
            target: SessionTarget::Container(id.to_owned()),
            output: self.bytes(action, attached.output),
            input: attached.input,
            tty,
            stdin,
        };
        if tty {
            self.resize(&session.target, size).await;
        }
        Ok(session)
    }

    /// Tells the process its terminal's size. A failure only costs layout, so it is not reported.
    pub async fn resize(&self, target: &SessionTarget, (width, height): (u16, u16)) {
        let (w, h) = (i32::from(width), i32::from(height));
        let _ = match target {
            SessionTarget::Exec(id) => self.docker.resize_exec(id, ResizeExecOptions { w, h }).await,
            SessionTarget::Container(id) => {
                self.docker.resize_container_tty(id, ResizeContainerTTYOptions { w, h }).await
            }
        };
    }

    fn bytes(
        &self,
        action: &'static str,
        output: Pin<
            Box<dyn Stream<Item = Result<bollard::container::LogOutput, bollard::errors::Error>> + Send>,
        >,
    ) -> Pin<Box<dyn Stream<Item = Result<Bytes, EngineError>> + Send>> {
        let host = self.host.clone();
        Box::pin(output.map(move |item| {
            item.map(bollard::container::LogOutput::into_bytes)
                .map_err(|e| error::from_bollard(&host, action, e))
        }))
    }
}
