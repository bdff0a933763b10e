//! A pseudo-terminal and a terminal emulator (vt100), to see what a person would see and when.
//! Used by the end-to-end test and the benchmark.

// Each user takes the parts it needs.
#![allow(dead_code)]

use std::fs::File;
use std::io::{Read, Write};
use std::os::fd::{FromRawFd, OwnedFd};
use std::os::unix::process::CommandExt;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// `CB` sees what the terminal does beyond its screen (a new window title, a bell).
pub struct Pty<CB: vt100::Callbacks = ()> {
    pub child: Child,
    writer: File,
    chunks: mpsc::Receiver<(Instant, Vec<u8>)>,
    pub parser: vt100::Parser<CB>,
    pub started: Instant,
}

impl Pty {
    /// Starts `program` on a new pseudo-terminal of `cols` × `rows`.
    pub fn spawn(program: &str, args: &[&str], cols: u16, rows: u16) -> Pty {
        Pty::spawn_with(program, args, cols, rows, ())
    }

    /// As `spawn`, with these environment variables set for the program (HOME, DOCKER_CONFIG…).
    pub fn spawn_env(
        program: &str,
        args: &[&str],
        env: &[(&str, &std::ffi::OsStr)],
        cols: u16,
        rows: u16,
    ) -> Pty {
        let mut command = Command::new(program);
        command.args(args).envs(env.iter().copied());
        Pty::spawn_command(command, cols, rows, ())
    }
}

impl<CB: vt100::Callbacks> Pty<CB> {
    /// As `spawn`, with `callbacks` told of the terminal's events beyond its screen.
    pub fn spawn_with(program: &str, args: &[&str], cols: u16, rows: u16, callbacks: CB) -> Pty<CB> {
        let mut command = Command::new(program);
        command.args(args);
        Pty::spawn_command(command, cols, rows, callbacks)
    }

    fn spawn_command(mut command: Command, cols: u16, rows: u16, callbacks: CB) -> Pty<CB> {
        let (mut master, mut slave) = (-1, -1);
        let size = libc::winsize { ws_row: rows, ws_col: cols, ws_xpixel: 0, ws_ypixel: 0 };
        // SAFETY: openpty fills two descriptors we then own.
        let opened =
            unsafe { libc::openpty(&mut master, &mut slave, std::ptr::null_mut(), std::ptr::null(), &size) };
        assert_eq!(opened, 0, "openpty failed");
        let (master, slave) = unsafe { (OwnedFd::from_raw_fd(master), OwnedFd::from_raw_fd(slave)) };
        let io = |fd: &OwnedFd| Stdio::from(fd.try_clone().expect("dup pty"));
        command.stdin(io(&slave)).stdout(io(&slave)).stderr(io(&slave)).env("TERM", "xterm-256color");
        // SAFETY: only async-signal-safe calls between fork and exec.
        unsafe {
            command.pre_exec(|| {
                if libc::setsid() < 0 || libc::ioctl(0, libc::TIOCSCTTY as _, 0) < 0 {
                    return Err(std::io::Error::last_os_error());
                }
                Ok(())
            });
        }
        let started = Instant::now();
        let child = command.spawn().expect("spawning dockdu on the pty");
        drop(slave);
        let mut reader = File::from(master.try_clone().expect("dup master"));
        let (sender, chunks) = mpsc::channel();
        std::thread::spawn(move || {
            let mut buffer = [0u8; 65536];
            while let Ok(n) = reader.read(&mut buffer) {
                if n == 0 || sender.send((Instant::now(), buffer[..n].to_vec())).is_err() {
                    break;
                }
            }
        });
        Pty {
            child,
            writer: File::from(master),
            chunks,
            parser: vt100::Parser::new_with_callbacks(nonzero(rows), nonzero(cols), 0, callbacks),
            started,
        }
    }

    /// Resizes the terminal as a window manager would: the program gets SIGWINCH from the kernel.
    pub fn resize(&mut self, cols: u16, rows: u16) {
        use std::os::fd::AsRawFd;
        let size = libc::winsize { ws_row: rows, ws_col: cols, ws_xpixel: 0, ws_ypixel: 0 };
        // SAFETY: the descriptor is ours and `size` outlives the call.
        let set = unsafe { libc::ioctl(self.writer.as_raw_fd(), libc::TIOCSWINSZ as _, &size) };
        assert_eq!(set, 0, "TIOCSWINSZ failed");
        self.drain();
        self.parser.set_size(nonzero(rows), nonzero(cols));
    }

    pub fn send(&mut self, bytes: &[u8]) -> Instant {
        let at = Instant::now();
        self.writer.write_all(bytes).expect("writing to the pty");
        at
    }

    /// Feeds output to the emulator until `seen` holds for the screen; returns when the chunk
    /// that made it so arrived.
    pub fn wait_for(
        &mut self,
        what: &str,
        limit: Duration,
        seen: impl Fn(&vt100::Screen) -> bool,
    ) -> Instant {
        let deadline = Instant::now() + limit;
        loop {
            if seen(self.parser.screen()) {
                return Instant::now();
            }
            let left = deadline.saturating_duration_since(Instant::now());
            match self.chunks.recv_timeout(left) {
                Ok((at, bytes)) => {
                    self.parser.process(&bytes);
                    if seen(self.parser.screen()) {
                        return at;
                    }
                }
                Err(_) => {
                    panic!("waited {limit:?} for {what}; the screen:\n{}", self.parser.screen().contents())
                }
            }
        }
    }

    /// When the first output after `since` arrived (a frame is flushed in one write), draining
    /// whatever else is pending.
    pub fn next_output_after(&mut self, since: Instant, limit: Duration) -> Instant {
        let (at, bytes) = self.chunks.recv_timeout(limit).expect("no frame after the key");
        self.parser.process(&bytes);
        while let Ok((_, bytes)) = self.chunks.recv_timeout(Duration::from_millis(20)) {
            self.parser.process(&bytes);
        }
        at.max(since)
    }

    pub fn drain(&mut self) {
        while let Ok((_, bytes)) = self.chunks.try_recv() {
            self.parser.process(&bytes);
        }
    }

    /// Whether the terminal is back in its cooked state: echo and line editing on, as a shell
    /// expects after the program leaves.
    pub fn cooked(&self) -> bool {
        use std::os::fd::AsRawFd;
        // SAFETY: a zeroed termios is a valid out-parameter; the descriptor is ours.
        let mut termios: libc::termios = unsafe { std::mem::zeroed() };
        let read = unsafe { libc::tcgetattr(self.writer.as_raw_fd(), &mut termios) };
        read == 0 && termios.c_lflag & libc::ECHO != 0 && termios.c_lflag & libc::ICANON != 0
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Waits (at most `limit`) for the program to exit, and returns its exit code.
    pub fn wait_exit(&mut self, limit: Duration) -> Option<i32> {
        let deadline = Instant::now() + limit;
        while Instant::now() < deadline {
            self.drain();
            if let Ok(Some(status)) = self.child.try_wait() {
                // What it wrote last (restoring the terminal) may still be with the reader,
                // which ends once the pty closes.
                while let Ok((_, bytes)) = self.chunks.recv_timeout(Duration::from_secs(1)) {
                    self.parser.process(&bytes);
                }
                return status.code();
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        None
    }
}

/// A test that failed mid-way leaves no program running on its terminal.
impl<CB: vt100::Callbacks> Drop for Pty<CB> {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// Whether one line of the screen holds every one of `parts`.
pub fn has_line_with(screen: &vt100::Screen, parts: &[&str]) -> bool {
    screen.contents().lines().any(|line| parts.iter().all(|part| line.contains(part)))
}

fn nonzero(n: u16) -> std::num::NonZeroU16 {
    std::num::NonZeroU16::new(n).expect("a terminal of at least one cell")
}

/// CPU time a process has used, every thread's, to the nanosecond: the sum of each thread's
/// time on a CPU from `/proc/<pid>/task/*/schedstat` (`/proc/<pid>/stat` counts in 10 ms ticks,
/// too coarse for an idle second). Threads that ended are not counted.
pub fn cpu_time(pid: u32) -> Duration {
    let tasks = std::fs::read_dir(format!("/proc/{pid}/task")).into_iter().flatten().flatten();
    let nanos: u64 = tasks
        .filter_map(|task| std::fs::read_to_string(task.path().join("schedstat")).ok())
        .filter_map(|line| line.split_whitespace().next()?.parse::<u64>().ok())
        .sum();
    Duration::from_nanos(nanos)
}

/// Resident memory in bytes, now (`VmRSS`) and at its peak (`VmHWM`).
pub fn memory(pid: u32) -> (u64, u64) {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.split_whitespace().next()?.parse::<u64>().ok())
            .unwrap_or(0)
            * 1024
    };
    (field("VmRSS:"), field("VmHWM:"))
}
