//! A relay from an address of the test's (a loopback TCP port or a unix socket) to the engine's
//! socket: an engine reached over tcp://, an engine that speaks plain HTTP to a TLS client, or an
//! engine that goes away and comes back (`cut`, then `reopen`). Stopped on drop.

use std::path::PathBuf;

use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::{TcpListener, UnixListener, UnixStream};
use tokio::task::JoinSet;

enum Address {
    Tcp(u16),
    Unix(PathBuf),
}

pub struct Relay {
    address: Address,
    /// The accept loop; it owns the connections, so aborting it drops them all.
    tasks: JoinSet<()>,
}

impl Relay {
    /// On a free loopback port.
    pub async fn tcp() -> Relay {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("a loopback port");
        let port = listener.local_addr().expect("its address").port();
        let mut relay = Relay { address: Address::Tcp(port), tasks: JoinSet::new() };
        relay.serve_tcp(listener);
        relay
    }

    /// On a unix socket at `path`.
    pub fn unix(path: PathBuf) -> Relay {
        let mut relay = Relay { address: Address::Unix(path), tasks: JoinSet::new() };
        relay.reopen();
        relay
    }

    /// The address to give dockdu: `tcp://127.0.0.1:PORT` or `unix:///path`.
    pub fn host(&self) -> String {
        match &self.address {
            Address::Tcp(port) => format!("tcp://127.0.0.1:{port}"),
            Address::Unix(path) => format!("unix://{}", path.display()),
        }
    }

    /// The engine "goes away": open connections drop and nothing new is accepted.
    pub fn cut(&mut self) {
        self.tasks.abort_all();
        if let Address::Unix(path) = &self.address {
            let _ = std::fs::remove_file(path);
        }
    }

    /// Listens again at the same address.
    pub fn reopen(&mut self) {
        self.cut();
        match &self.address {
            Address::Unix(path) => {
                let listener = UnixListener::bind(path).expect("binding the relay socket");
                self.tasks.spawn(async move {
                    let mut connections = JoinSet::new();
                    while let Ok((client, _)) = listener.accept().await {
                        connections.spawn(forward(client));
                    }
                });
            }
            Address::Tcp(port) => {
                let listener = std::net::TcpListener::bind(("127.0.0.1", *port)).expect("the same port");
                listener.set_nonblocking(true).expect("a non-blocking listener");
                self.serve_tcp(TcpListener::from_std(listener).expect("a tokio listener"));
            }
        }
    }

    fn serve_tcp(&mut self, listener: TcpListener) {
        self.tasks.spawn(async move {
            let mut connections = JoinSet::new();
            while let Ok((client, _)) = listener.accept().await {
                connections.spawn(forward(client));
            }
        });
    }
}

impl Drop for Relay {
    fn drop(&mut self) {
        self.cut();
    }
}

async fn forward(mut client: impl AsyncRead + AsyncWrite + Unpin) {
    let socket = super::docker_host().trim_start_matches("unix://").to_owned();
    if let Ok(mut engine) = UnixStream::connect(&socket).await {
        let _ = tokio::io::copy_bidirectional(&mut client, &mut engine).await;
    }
}
