//! `--host` as input: an address dockdu cannot use is bad input (exit 2, nothing sent), while a
//! well-formed address where no engine answers is an engine error (exit 1). No engine is needed:
//! neither reaches one.

use std::net::{Ipv4Addr, TcpListener};
use std::process::{Command, Output, Stdio};

fn dockdu(host: &str) -> Output {
    let home = std::env::temp_dir().join(format!("dockdu-host-address-{}", std::process::id()));
    Command::new(env!("CARGO_BIN_EXE_dockdu"))
        .args(["--host", host, "report"])
        .env_remove("DOCKER_TLS_VERIFY")
        .env_remove("DOCKER_CERT_PATH")
        .env_remove("DOCKDU_LOG")
        .env("HOME", &home)
        .env("DOCKER_CONFIG", home.join(".docker"))
        .stdin(Stdio::null())
        .output()
        .expect("cannot run dockdu")
}

#[test]
fn an_unusable_host_is_bad_input_and_exits_2_with_one_clear_line() {
    for (host, says) in [
        ("garbage", "has no scheme"),
        ("ftp://engine", "the ftp:// scheme is not supported"),
        ("ssh://me:secret@engine", "holds a password"),
        ("tcp://", "names no address"),
        ("unix://", "names no socket path"),
        ("tcp://engine:port", "is not host:port"),
    ] {
        let output = dockdu(host);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "--host {host}: {stderr}");
        assert!(
            output.stdout.is_empty(),
            "--host {host} printed {:?}",
            String::from_utf8_lossy(&output.stdout)
        );
        assert_eq!(stderr.trim_end().lines().count(), 1, "--host {host}: not one line: {stderr:?}");
        assert!(stderr.contains(says), "--host {host}: {stderr:?} does not say {says:?}");
        let forms = "unix:///path, tcp://host:port, https://host:port or ssh://[user@]host[:port]";
        assert!(stderr.contains(forms), "{stderr:?}");
    }
}

#[test]
fn a_well_formed_host_where_nothing_listens_exits_1() {
    // A port that was free a moment ago: connecting is refused.
    let port =
        TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).expect("a loopback port").local_addr().unwrap().port();
    let host = format!("tcp://127.0.0.1:{port}");
    let output = dockdu(&host);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains(&host) && stderr.contains("connection refused"), "{stderr:?}");

    let output = dockdu("unix:///nonexistent/docker.sock");
    assert_eq!(output.status.code(), Some(1), "{}", String::from_utf8_lossy(&output.stderr));
}
