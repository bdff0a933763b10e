//! `ssh://[user@]host[:port]` as the docker CLI does it: the system `ssh` runs
//! `docker system dial-stdio` on the far side, and HTTP/1 goes over its stdin and stdout. The
//! user's ssh config, keys and agent apply; `BatchMode` keeps ssh from asking for a password on a
//! terminal the explorer owns.
//!
//! One ssh per HTTP connection, as the docker CLI: HTTP/1 carries one request at a time and the
//! event stream holds its connection for the whole session, so one shared connection would queue
//! every list behind it. hyper's pool keeps idle connections (and so their ssh) for reuse. Only a
//! few connect at once: sshd drops connections beyond its `MaxStartups` (10 by default) that are
//! still authenticating. Each ssh is killed when its connection is dropped, and so when dockdu
//! ends.

use std::future::Future;
use std::io;
use std::pin::Pin;
use std::process::Stdio;
use std::sync::{Arc, Mutex, Weak};
use std::task::{ready, Context, Poll};
use std::time::Duration;

use http::Uri;
use hyper_util::client::legacy::connect::{Connected, Connection};
use hyper_util::rt::TokioIo;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, ReadBuf};
use tokio::process::{Child, ChildStdin, ChildStdout, Command};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tokio::task::JoinHandle;

use super::endpoint::SshTarget;
use super::error::{Classified, Problem};

/// What runs on the far side: the docker CLI's own bridge from stdio to its engine.
const REMOTE_COMMAND: [&str; 3] = ["docker", "system", "dial-stdio"];

/// The lines of ssh's stderr kept for an error: its last words say why.
const STDERR_LINES: usize = 4;

/// ssh connections setting up at once, well under sshd's default `MaxStartups` of 10.
const CONCURRENT_HANDSHAKES: usize = 3;

#[derive(Debug, Clone)]
pub struct SshConnector {
    target: SshTarget,
    connect_timeout: Duration,
    handshakes: Arc<Semaphore>,
    running: Running,
}

/// Every ssh this connector started that still runs, so that `end_all` can stop them: an
/// engine the explorer leaves must not keep a request (a long `/system/df`) running over ssh.
/// After `end_all` none starts: a connection the pool was still making in the background, for a
/// request that was cancelled, would otherwise bring one back.
#[derive(Debug, Clone, Default)]
pub struct Running(Arc<Mutex<Started>>);

#[derive(Debug, Default)]
struct Started {
    children: Vec<Weak<Mutex<Child>>>,
    ended: bool,
}

impl Running {
    /// Keeps `child` for `end_all`; once that has run, kills it instead and returns false.
    fn add(&self, child: &Arc<Mutex<Child>>) -> bool {
        let mut started = self.0.lock().unwrap_or_else(|e| e.into_inner());
        if started.ended {
            let _ = child.lock().unwrap_or_else(|e| e.into_inner()).start_kill();
            return false;
        }
        started.children.retain(|weak| weak.strong_count() > 0);
        started.children.push(Arc::downgrade(child));
        true
    }

    /// Kills every ssh still running (their connections end with them), and any started later.
    pub fn end_all(&self) {
        let children = {
            let mut started = self.0.lock().unwrap_or_else(|e| e.into_inner());
            started.ended = true;
            std::mem::take(&mut started.children)
        };
        for child in children.iter().filter_map(Weak::upgrade) {
            let _ = child.lock().unwrap_or_else(|e| e.into_inner()).start_kill();
        }
    }
}

impl SshConnector {
    pub fn new(target: &SshTarget, connect_timeout: Duration) -> SshConnector {
        let handshakes = Arc::new(Semaphore::new(CONCURRENT_HANDSHAKES));
        SshConnector { target: target.clone(), connect_timeout, handshakes, running: Running::default() }
    }

    pub fn running(&self) -> Running {
        self.running.clone()
    }
}

/// ssh's arguments, in the docker CLI's order: options, `-l user`, `-p port`, `--`, host, command.
pub fn ssh_args(target: &SshTarget, connect_timeout: Duration) -> Vec<String> {
    let mut args = vec![
        "-o".to_owned(),
        format!("ConnectTimeout={}", connect_timeout.as_secs().max(1)),
        "-o".to_owned(),
        "BatchMode=yes".to_owned(),
        "-T".to_owned(),
    ];
    if let Some(user) = &target.user {
        args.extend(["-l".to_owned(), user.clone()]);
    }
    if let Some(port) = target.port {
        args.extend(["-p".to_owned(), port.to_string()]);
    }
    args.extend(["--".to_owned(), target.host.clone()]);
    args.extend(REMOTE_COMMAND.map(str::to_owned));
    args
}

impl tower_service::Service<Uri> for SshConnector {
    type Response = TokioIo<SshStream>;
    type Error = io::Error;
    type Future = Pin<Box<dyn Future<Output = io::Result<Self::Response>> + Send>>;

    fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<io::Result<()>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, _: Uri) -> Self::Future {
        let args = ssh_args(&self.target, self.connect_timeout);
        let (handshakes, running) = (self.handshakes.clone(), self.running.clone());
        Box::pin(async move {
            let turn = handshakes.acquire_owned().await.map_err(io::Error::other)?;
            let stream = SshStream::spawn(&args, turn)?;
            if !running.add(&stream.child) {
                return Err(io::Error::other("the explorer has left this engine"));
            }
            Ok(TokioIo::new(stream))
        })
    }
}

/// One ssh process, seen as a byte stream: its stdout to read, its stdin to write.
pub struct SshStream {
    stdout: ChildStdout,
    stdin: ChildStdin,
    /// ssh's stderr, read to its end (ssh's exit) by a task of its own.
    stderr: Option<JoinHandle<String>>,
    /// Whether the far side has said anything yet: an end before that is ssh failing.
    answered: bool,
    /// Held while ssh sets up (until the far side first answers), so few connect at once.
    handshake: Option<OwnedSemaphorePermit>,
    /// Held so that dropping the stream kills ssh (and shared so `Running::end_all` can).
    child: Arc<Mutex<Child>>,
}

impl SshStream {
    fn spawn(args: &[String], handshake: OwnedSemaphorePermit) -> io::Result<SshStream> {
        let mut child = Command::new("ssh")
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .map_err(|e| ssh_failed(format!("cannot run ssh: {e}")))?;
        let (Some(stdin), Some(stdout), Some(mut stderr)) =
            (child.stdin.take(), child.stdout.take(), child.stderr.take())
        else {
            return Err(ssh_failed("ssh started without its pipes".to_owned()));
        };
        let stderr = tokio::spawn(async move {
            let mut text = Vec::new();
            let _ = stderr.read_to_end(&mut text).await;
            String::from_utf8_lossy(&text).into_owned()
        });
        Ok(SshStream {
            stdout,
            stdin,
            stderr: Some(stderr),
            answered: false,
            handshake: Some(handshake),
            child: Arc::new(Mutex::new(child)),
        })
    }

    /// ssh went away before the far side answered: its stderr says why (a refused key, an
    /// unknown host key, no `docker` there).
    fn poll_failure(&mut self, cx: &mut Context<'_>, fallback: &str) -> Poll<io::Error> {
        let Some(stderr) = self.stderr.as_mut() else { return Poll::Ready(ssh_failed(fallback.to_owned())) };
        let text = ready!(Pin::new(stderr).poll(cx)).unwrap_or_default();
        self.stderr = None;
        let said: Vec<&str> = text.lines().map(str::trim).filter(|l| !l.is_empty()).collect();
        let last = &said[said.len().saturating_sub(STDERR_LINES)..];
        let why = if last.is_empty() { fallback.to_owned() } else { last.join(" / ") };
        Poll::Ready(ssh_failed(why))
    }
}

/// An ssh failure, typed so that it reaches the user as one (not as a missing socket).
fn ssh_failed(detail: String) -> io::Error {
    io::Error::new(io::ErrorKind::ConnectionAborted, Classified { problem: Problem::Ssh, detail })
}

impl AsyncRead for SshStream {
    fn poll_read(self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        let before = buf.filled().len();
        ready!(Pin::new(&mut this.stdout).poll_read(cx, buf))?;
        if buf.filled().len() > before {
            this.answered = true;
            this.handshake = None;
        } else if !this.answered {
            return this.poll_failure(cx, "ssh ended before the engine answered").map(Err);
        }
        Poll::Ready(Ok(()))
    }
}

impl AsyncWrite for SshStream {
    fn poll_write(self: Pin<&mut Self>, cx: &mut Context<'_>, data: &[u8]) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        match ready!(Pin::new(&mut this.stdin).poll_write(cx, data)) {
            Err(e) if e.kind() == io::ErrorKind::BrokenPipe && !this.answered => {
                this.poll_failure(cx, "ssh ended before the engine answered").map(Err)
            }
            result => Poll::Ready(result),
        }
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().stdin).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().stdin).poll_shutdown(cx)
    }
}

impl Connection for SshStream {
    fn connected(&self) -> Connected {
        Connected::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ssh_runs_dial_stdio_on_the_far_side_with_the_users_name_and_port_and_never_prompts() {
        let target = SshTarget { user: Some("me".into()), host: "box".into(), port: Some(2222) };
        let args = ssh_args(&target, Duration::from_secs(30));
        let tail = ["-l", "me", "-p", "2222", "--", "box", "docker", "system", "dial-stdio"];
        assert!(args.ends_with(&tail.map(str::to_owned)), "{args:?}");
        assert!(args.contains(&"BatchMode=yes".to_owned()) && args.contains(&"ConnectTimeout=30".to_owned()));
        let plain = ssh_args(&SshTarget { user: None, host: "box".into(), port: None }, Duration::ZERO);
        assert_eq!(&plain[plain.len() - 5..], ["--", "box", "docker", "system", "dial-stdio"]);
        assert!(plain.contains(&"ConnectTimeout=1".to_owned()));
    }
}
