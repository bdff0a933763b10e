//! TLS as the docker CLI does it, against the real engine behind a real mutual-TLS relay:
//! certificates made here with the `openssl` CLI, `stunnel` in front of the engine's socket
//! (requiring a client certificate signed by our CA), and the dockdu binary as a user runs it.
//!
//! Every dockdu run gets its own HOME and DOCKER_CONFIG, so `~/.docker` is never read or written.
//! stunnel, the plain relay and the temporary files go away on drop, on failure and panic too.

mod support;

use std::path::Path;
use std::process::{Command, Stdio};

use serde_json::Value;

use support::process::{run_bounded, without_docker_env, Run, TempDir, DOCKDU_RUN};
use support::tls::{MutualTlsRelay, Pki};
use support::Scenario;

/// Fresh certificates and a stunnel relay using them; panics first if no engine answers, so a
/// missing engine is named as such.
async fn pki_and_relay() -> (Pki, MutualTlsRelay) {
    support::connect().await;
    let pki = Pki::new();
    let relay = MutualTlsRelay::start(&pki);
    (pki, relay)
}

/// The dockdu binary with `--host host` and `args`, the given TLS environment and nothing else of
/// Docker's: its own HOME and DOCKER_CONFIG. Bounded in time; runs off the async workers.
async fn dockdu(host: &str, tls_verify: Option<&str>, cert_dir: &Path, args: &[&str]) -> Run {
    let home = TempDir::new("home");
    let mut command = Command::new(env!("CARGO_BIN_EXE_dockdu"));
    without_docker_env(&mut command)
        .arg("--host")
        .arg(host)
        .args(args)
        .env("HOME", home.path())
        .env("DOCKER_CONFIG", home.sub(".docker-config"))
        .env("DOCKER_CERT_PATH", cert_dir)
        .stdin(Stdio::null());
    if let Some(value) = tls_verify {
        command.env("DOCKER_TLS_VERIFY", value);
    }
    let dir = home.path().to_owned();
    let run = run_bounded(command, dir, DOCKDU_RUN).await;
    drop(home);
    run
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
