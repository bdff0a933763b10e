//! TLS as the docker CLI does it, against the real engine behind a real mutual-TLS relay:
//! certificates made here with the `openssl` CLI, `stunnel` in front of the engine's socket
//! (requiring a client certificate signed by our CA), and the dockdu binary as a user runs it.
//!
//! Every dockdu run gets its own HOME and DOCKER_CONFIG, so `~/.docker` is never read or written.
//! stunnel, the plain relay and the temporary files go away on drop, on failure and panic too.

mod support;

use std::fs::File;
use std::net::{Ipv4Addr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

use support::Scenario;

/// The longest stunnel may take to listen, and dockdu to answer or fail.
const STUNNEL_START: Duration = Duration::from_secs(10);
const DOCKDU_RUN: Duration = Duration::from_secs(60);
const POLL: Duration = Duration::from_millis(20);

/// A folder under the system's temp dir, removed on drop.
struct TempDir(PathBuf);

impl TempDir {
    fn new(role: &str) -> TempDir {
        let dir = std::env::temp_dir().join(format!("{}-{role}", support::new_run_id()));
        std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("creating {}: {e}", dir.display()));
        TempDir(dir)
    }

    fn path(&self) -> &Path {
        &self.0
    }

    /// A subfolder, created.
    fn sub(&self, name: &str) -> PathBuf {
        let dir = self.0.join(name);
        std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("creating {}: {e}", dir.display()));
        dir
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Runs `openssl` with an argument list (never a shell string; given in groups that read as
/// options) in `dir`; panics with its output if it fails.
fn openssl(dir: &Path, groups: &[&[&str]]) {
    let args = groups.concat();
    let run = Command::new("openssl").args(&args).current_dir(dir).stdin(Stdio::null()).output();
    let output = run.unwrap_or_else(|e| {
        panic!("cannot run openssl ({e}): install it (`apt-get install openssl`, or `bash .ci/run`)")
    });
    assert!(output.status.success(), "openssl {args:?} failed: {}", String::from_utf8_lossy(&output.stderr));
}

/// A new P-256 key, unencrypted (EC keys are quick to make).
const NEW_KEY: &[&str] = &["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes"];
const VALIDITY: &[&str] = &["-days", "2"];

/// A new key in `key` and a certificate signing request for `subject` in `csr`.
fn key_and_request(dir: &Path, key: &str, csr: &str, subject: &str) {
    openssl(dir, &[&["req", "-new"], NEW_KEY, &["-keyout", key, "-out", csr, "-subj", subject]]);
}

/// A self-signed CA: `<name>.pem` and `<name>-key.pem` in `dir`.
fn certificate_authority(dir: &Path, name: &str, subject: &str) {
    let (cert, key) = (format!("{name}.pem"), format!("{name}-key.pem"));
    openssl(
        dir,
        &[&["req", "-x509"], NEW_KEY, VALIDITY, &["-keyout", &key, "-out", &cert, "-subj", subject]],
    );
}

/// Signs `csr` with the CA `ca` into `out`, with the extensions in `extensions` (one per line).
fn sign(dir: &Path, ca: &str, csr: &str, out: &str, extensions: &str) {
    let ext_file = format!("{out}.ext");
    std::fs::write(dir.join(&ext_file), extensions).expect("writing the extensions file");
    let (ca_cert, ca_key) = (format!("{ca}.pem"), format!("{ca}-key.pem"));
    openssl(
        dir,
        &[
            &["x509", "-req", "-in", csr, "-out", out, "-extfile", &ext_file],
            &["-CA", &ca_cert, "-CAkey", &ca_key, "-CAcreateserial"],
            VALIDITY,
        ],
    );
}

/// Everything the relay and the clients need, made with openssl:
/// - `server/`: the relay's certificate (for IP 127.0.0.1 and localhost) and key, and the CA
///   that signs client certificates;
/// - `client/`: what DOCKER_CERT_PATH holds for a good client (ca.pem, cert.pem, key.pem);
/// - `wrong-ca/`: the same client certificate, but a ca.pem of another CA;
/// - `no-client-cert/`: only the right ca.pem.
struct Pki {
    dir: TempDir,
}

impl Pki {
    fn new() -> Pki {
        let dir = TempDir::new("tls");
        let work = dir.sub("work");
        certificate_authority(&work, "ca", "/CN=dockdu test CA");
        certificate_authority(&work, "other-ca", "/CN=dockdu test impostor CA");
        key_and_request(&work, "server-key.pem", "server.csr", "/CN=localhost");
        sign(
            &work,
            "ca",
            "server.csr",
            "server-cert.pem",
            "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n",
        );
        key_and_request(&work, "client-key.pem", "client.csr", "/CN=dockdu test client");
        sign(&work, "ca", "client.csr", "client-cert.pem", "extendedKeyUsage=clientAuth\n");

        let copy = |from: &str, to: PathBuf| {
            std::fs::copy(work.join(from), &to).unwrap_or_else(|e| panic!("copying {from}: {e}"));
        };
        let server = dir.sub("server");
        copy("server-cert.pem", server.join("cert.pem"));
        copy("server-key.pem", server.join("key.pem"));
        copy("ca.pem", server.join("ca.pem"));
        let client = dir.sub("client");
        copy("ca.pem", client.join("ca.pem"));
        copy("client-cert.pem", client.join("cert.pem"));
        copy("client-key.pem", client.join("key.pem"));
        let wrong_ca = dir.sub("wrong-ca");
        copy("other-ca.pem", wrong_ca.join("ca.pem"));
        copy("client-cert.pem", wrong_ca.join("cert.pem"));
        copy("client-key.pem", wrong_ca.join("key.pem"));
        let no_client_cert = dir.sub("no-client-cert");
        copy("ca.pem", no_client_cert.join("ca.pem"));
        Pki { dir }
    }

    fn cert_dir(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }
}

/// A loopback port nobody listens on right now.
fn free_port() -> u16 {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).expect("a loopback port");
    listener.local_addr().expect("its address").port()
}

/// Waits (bounded) until `port` accepts connections, or `child` has died.
fn wait_for_port(port: u16, child: &mut Child, log: &Path) {
    let started = Instant::now();
    loop {
        if TcpStream::connect((Ipv4Addr::LOCALHOST, port)).is_ok() {
            return;
        }
        let log = || std::fs::read_to_string(log).unwrap_or_default();
        if let Ok(Some(status)) = child.try_wait() {
            panic!("stunnel exited ({status}) before listening on {port}; its log:\n{}", log());
        }
        if started.elapsed() > STUNNEL_START {
            panic!("stunnel did not listen on {port} within {STUNNEL_START:?}; its log:\n{}", log());
        }
        std::thread::sleep(POLL);
    }
}

/// stunnel between a TLS port on 127.0.0.1 and the engine's unix socket, requiring a client
/// certificate signed by the test CA. Killed on drop.
struct MutualTlsRelay {
    child: Child,
    port: u16,
    log: PathBuf,
}

impl MutualTlsRelay {
    fn start(pki: &Pki) -> MutualTlsRelay {
        let server = pki.cert_dir("server");
        let port = free_port();
        let socket = support::docker_host().trim_start_matches("unix://").to_owned();
        let config = [
            "foreground = yes".to_owned(),
            "pid =".to_owned(),
            "debug = 4".to_owned(),
            "[engine]".to_owned(),
            format!("accept = 127.0.0.1:{port}"),
            format!("connect = {socket}"),
            format!("cert = {}", server.join("cert.pem").display()),
            format!("key = {}", server.join("key.pem").display()),
            format!("CAfile = {}", server.join("ca.pem").display()),
            "verifyChain = yes".to_owned(),
            "requireCert = yes".to_owned(),
        ]
        .join("\n");
        let config_path = pki.dir.path().join("stunnel.conf");
        std::fs::write(&config_path, config + "\n").expect("writing stunnel.conf");
        let log = pki.dir.path().join("stunnel.log");
        let log_file = File::create(&log).expect("creating stunnel.log");
        let mut child = Command::new("stunnel")
            .arg(&config_path)
            .stdin(Stdio::null())
            .stdout(log_file.try_clone().expect("stunnel.log"))
            .stderr(log_file)
            .spawn()
            .unwrap_or_else(|e| {
                panic!("cannot run stunnel ({e}): install stunnel4 (`apt-get install stunnel4`, or `bash .ci/run`)")
            });
        wait_for_port(port, &mut child, &log);
        MutualTlsRelay { child, port, log }
    }

    fn host(&self) -> String {
        format!("tcp://127.0.0.1:{}", self.port)
    }

    fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }
}

impl Drop for MutualTlsRelay {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Fresh certificates and a stunnel relay using them; panics first if no engine answers, so a
/// missing engine is named as such.
async fn pki_and_relay() -> (Pki, MutualTlsRelay) {
    support::connect().await;
    let pki = Pki::new();
    let relay = MutualTlsRelay::start(&pki);
    (pki, relay)
}

struct Run {
    status: ExitStatus,
    stdout: String,
    stderr: String,
}

/// The dockdu binary with `--host host` and `args`, the given TLS environment and nothing else of
/// Docker's: its own HOME and DOCKER_CONFIG. Bounded in time; runs off the async workers.
async fn dockdu(host: &str, tls_verify: Option<&str>, cert_dir: &Path, args: &[&str]) -> Run {
    let home = TempDir::new("home");
    let mut command = Command::new(env!("CARGO_BIN_EXE_dockdu"));
    command
        .arg("--host")
        .arg(host)
        .args(args)
        .env_remove("DOCKER_HOST")
        .env_remove("DOCKER_TLS_VERIFY")
        .env_remove("DOCKER_CONTEXT")
        .env_remove("DOCKDU_LOG")
        .env("HOME", home.path())
        .env("DOCKER_CONFIG", home.sub(".docker-config"))
        .env("DOCKER_CERT_PATH", cert_dir)
        .stdin(Stdio::null());
    if let Some(value) = tls_verify {
        command.env("DOCKER_TLS_VERIFY", value);
    }
    tokio::task::spawn_blocking(move || {
        let (stdout_path, stderr_path) = (home.path().join("stdout"), home.path().join("stderr"));
        let mut child = command
            .stdout(File::create(&stdout_path).expect("stdout file"))
            .stderr(File::create(&stderr_path).expect("stderr file"))
            .spawn()
            .expect("cannot run dockdu");
        let started = Instant::now();
        let status = loop {
            if let Some(status) = child.try_wait().expect("waiting for dockdu") {
                break status;
            }
            if started.elapsed() > DOCKDU_RUN {
                let _ = child.kill();
                let _ = child.wait();
                panic!(
                    "dockdu did not finish within {DOCKDU_RUN:?}; stderr so far:\n{}",
                    std::fs::read_to_string(&stderr_path).unwrap_or_default()
                );
            }
            std::thread::sleep(POLL);
        };
        let read = |path: &Path| std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{e}"));
        Run { status, stdout: read(&stdout_path), stderr: read(&stderr_path) }
    })
    .await
    .expect("the dockdu runner panicked")
}

/// A failed run: exit status 1, one line on stderr that names the host, no panic.
fn assert_fails_on(run: &Run, host: &str, relay: Option<&MutualTlsRelay>) {
    let relay_log = || relay.map(MutualTlsRelay::log).unwrap_or_default();
    assert_eq!(run.status.code(), Some(1), "stderr: {}\nrelay log:\n{}", run.stderr, relay_log());
    assert!(run.stdout.is_empty(), "stdout: {}", run.stdout);
    assert_eq!(run.stderr.trim_end().lines().count(), 1, "not one line: {:?}", run.stderr);
    assert!(run.stderr.contains(host), "the host is not named: {:?}", run.stderr);
    assert!(!run.stderr.contains("panicked"), "{:?}", run.stderr);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tcp_with_tls_verify_reaches_the_engine_through_mutual_tls() {
    let s = Scenario::new().await;
    let volume = s.create_volume("over-tls").await;
    let (pki, relay) = pki_and_relay().await;

    let run = dockdu(&relay.host(), Some("1"), &pki.cert_dir("client"), &["report", "--json"]).await;
    assert!(run.status.success(), "stderr: {}\nrelay log:\n{}", run.stderr, relay.log());
    let json: Value = serde_json::from_str(&run.stdout).expect("report JSON");
    assert_eq!(json["engine"]["host"], relay.host());
    assert_eq!(json["engine"]["tls_unverified"], false);
    let volumes = json["volumes"].as_array().expect("volumes");
    assert!(
        volumes
            .iter()
            .any(|v| v["name"] == volume.as_str() && v["labels"]["dockdu.test"] == s.run_id.as_str()),
        "{volume} missing from the report over TLS"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn https_without_tls_verify_works_unverified_and_says_so() {
    let s = Scenario::new().await;
    let volume = s.create_volume("unverified").await;
    let (pki, relay) = pki_and_relay().await;
    let host = format!("https://127.0.0.1:{}", relay.port);

    // The wrong CA is not even looked at: nothing is verified, as with the docker CLI.
    let run = dockdu(&host, None, &pki.cert_dir("wrong-ca"), &["report"]).await;
    assert!(run.status.success(), "stderr: {}\nrelay log:\n{}", run.stderr, relay.log());
    let first = run.stdout.lines().next().unwrap_or_default();
    assert!(first.starts_with(&format!("{host} (TLS unverified)")), "first line: {first:?}");
    assert!(run.stdout.contains(&volume), "{volume} missing from the report:\n{}", run.stdout);

    let run = dockdu(&host, None, &pki.cert_dir("wrong-ca"), &["report", "--json"]).await;
    assert!(run.status.success(), "stderr: {}", run.stderr);
    let json: Value = serde_json::from_str(&run.stdout).expect("report JSON");
    assert_eq!(json["engine"]["tls_unverified"], true);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tls_verify_0_still_verifies_as_the_docker_cli_does() {
    let (pki, relay) = pki_and_relay().await;

    let run = dockdu(&relay.host(), Some("0"), &pki.cert_dir("client"), &["report", "--json"]).await;
    assert!(run.status.success(), "with the right CA: {}\nrelay log:\n{}", run.stderr, relay.log());

    let run = dockdu(&relay.host(), Some("0"), &pki.cert_dir("wrong-ca"), &["report", "--json"]).await;
    assert_fails_on(&run, &relay.host(), Some(&relay));
    assert!(run.stderr.contains("not signed by the CA in ca.pem"), "{:?}", run.stderr);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wrong_ca_is_named_as_the_cause_with_its_ca_pem() {
    let (pki, relay) = pki_and_relay().await;
    let cert_dir = pki.cert_dir("wrong-ca");

    let run = dockdu(&relay.host(), Some("1"), &cert_dir, &["report"]).await;
    assert_fails_on(&run, &relay.host(), Some(&relay));
    assert!(
        run.stderr.contains("the engine's certificate is not signed by the CA in ca.pem"),
        "{:?}",
        run.stderr
    );
    let ca = cert_dir.join("ca.pem");
    assert!(run.stderr.contains(&ca.display().to_string()), "{ca:?} not named: {:?}", run.stderr);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_engine_that_wants_a_client_certificate_says_so() {
    let (pki, relay) = pki_and_relay().await;
    let cert_dir = pki.cert_dir("no-client-cert");

    let run = dockdu(&relay.host(), Some("1"), &cert_dir, &["report"]).await;
    assert_fails_on(&run, &relay.host(), Some(&relay));
    assert!(
        run.stderr.contains("the engine requires a client certificate and none was sent"),
        "{:?}",
        run.stderr
    );
    let wanted = format!("put cert.pem and key.pem in {}", cert_dir.display());
    assert!(run.stderr.contains(&wanted), "{:?}", run.stderr);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tls_against_a_plain_http_engine_says_it_answered_in_plain_http() {
    support::connect().await;
    let pki = Pki::new();
    let relay = support::relay::Relay::tcp().await;
    let host = relay.host();

    let run = dockdu(&host, Some("1"), &pki.cert_dir("client"), &["report"]).await;
    assert_fails_on(&run, &host, None);
    assert!(run.stderr.contains("the engine answered in plain HTTP, not TLS"), "{:?}", run.stderr);
    assert!(run.stderr.contains("tcp:// without DOCKER_TLS_VERIFY"), "{:?}", run.stderr);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_missing_ca_pem_is_named() {
    let dir = TempDir::new("no-certs");
    let empty = dir.sub("certs");
    let run = dockdu("tcp://127.0.0.1:1", Some("1"), &empty, &["report"]).await;
    assert_fails_on(&run, "tcp://127.0.0.1:1", None);
    let ca = empty.join("ca.pem");
    assert!(run.stderr.contains(&format!("cannot use {}", ca.display())), "{:?}", run.stderr);
}
