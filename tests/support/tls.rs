//! A mutual-TLS relay in front of the engine: certificates made with the `openssl` CLI, and
//! `stunnel` (socat's TLS fails on the second connection) on a loopback port, requiring a client
//! certificate signed by the test CA. Killed and removed on drop.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use super::process::{free_port, spawn_service, wait_for_port, TempDir};

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
pub struct Pki {
    pub dir: TempDir,
}

impl Pki {
    pub fn new() -> Pki {
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

    pub fn cert_dir(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }
}

/// stunnel between a TLS port on 127.0.0.1 and the engine's unix socket, requiring a client
/// certificate signed by the test CA. Killed on drop.
pub struct MutualTlsRelay {
    child: Child,
    pub port: u16,
    log: PathBuf,
}

impl MutualTlsRelay {
    pub fn start(pki: &Pki) -> MutualTlsRelay {
        let server = pki.cert_dir("server");
        let port = free_port();
        let socket = super::docker_host().trim_start_matches("unix://").to_owned();
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
        let mut command = Command::new("stunnel");
        command.arg(&config_path);
        let install = "install stunnel4 (`apt-get install stunnel4`, or `bash .ci/run`)";
        let mut child = spawn_service(command, &log, install);
        wait_for_port("stunnel", port, &mut child, &log);
        MutualTlsRelay { child, port, log }
    }

    pub fn host(&self) -> String {
        format!("tcp://127.0.0.1:{}", self.port)
    }

    pub fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }
}

impl Drop for MutualTlsRelay {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
