//! One HTTP client per engine, shared by bollard (as its custom transport) and by the few reads
//! whose JSON we decode ourselves. Every request gets the negotiated `/vX.Y` prefix here, because
//! bollard 0.21 drops it and would leave the engine to answer at whatever version it prefers.

use std::io;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use bollard::BollardRequest;
use http::uri::PathAndQuery;
use http::{Response, Uri};
use hyper::body::Incoming;
use hyper_util::client::legacy::{connect::HttpConnector, Client};
use hyper_util::rt::TokioExecutor;

/// bollard's request body (its own alias is private).
type BodyType = <BollardRequest as RequestBody>::Body;

trait RequestBody {
    type Body;
}

impl<B> RequestBody for http::Request<B> {
    type Body = B;
}

use super::endpoint::Endpoint;
use super::error::{Classified, EngineError};
use super::ssh::{Running, SshConnector};

enum Connector {
    Unix(Client<hyperlocal::UnixConnector, BodyType>, String),
    Http(Client<HttpConnector, BodyType>, String),
    #[cfg(feature = "tls")]
    Https(Client<hyper_rustls::HttpsConnector<HttpConnector>, BodyType>, String, super::tls::TlsContext),
    Ssh(Client<SshConnector, BodyType>, Running),
}

pub struct Transport {
    connector: Connector,
    /// `https://` without `DOCKER_TLS_VERIFY`: the engine's certificate is not checked.
    tls_unverified: bool,
    /// `1.41`, set once negotiation has answered; until then requests go unprefixed.
    api_version: OnceLock<String>,
}

impl Transport {
    /// `host` is only for naming it in an error (a certificate file that cannot be read);
    /// `timeout` bounds an ssh connection's setup.
    pub fn new(host: &str, endpoint: &Endpoint, timeout: Duration) -> Result<Arc<Self>, EngineError> {
        let builder = || Client::builder(TokioExecutor::new());
        let connector = match endpoint {
            Endpoint::Unix(path) => Connector::Unix(
                builder().build(hyperlocal::UnixConnector),
                path.to_string_lossy().into_owned(),
            ),
            Endpoint::Tcp(authority) => Connector::Http(builder().build_http(), authority.clone()),
            #[cfg(feature = "tls")]
            Endpoint::Tls { authority, files, verify } => {
                let tls = super::tls::connector(files, *verify)
                    .map_err(|c| EngineError::new(host, "setting up TLS", c.problem, c.detail))?;
                Connector::Https(builder().build(tls.connector), authority.clone(), tls.context)
            }
            #[cfg(not(feature = "tls"))]
            Endpoint::Tls { .. } => {
                let why = "this dockdu was built without TLS support";
                return Err(EngineError::new(host, "setting up TLS", super::error::Problem::Tls, why));
            }
            Endpoint::Ssh(target) => {
                let connector = SshConnector::new(target, timeout);
                let running = connector.running();
                Connector::Ssh(builder().build(connector), running)
            }
        };
        let tls_unverified = endpoint.is_tls_unverified();
        Ok(Arc::new(Transport { connector, tls_unverified, api_version: OnceLock::new() }))
    }

    /// Ends every connection that would outlive its requests: the ssh processes of an engine
    /// the explorer leaves (a `/system/df` in flight keeps its connection for minutes).
    pub fn end_connections(&self) {
        if let Connector::Ssh(_, running) = &self.connector {
            running.end_all();
        }
    }

    pub fn is_tls_unverified(&self) -> bool {
        self.tls_unverified
    }

    pub fn set_api_version(&self, version: String) {
        let _ = self.api_version.set(version);
    }

    pub fn api_version(&self) -> Option<&str> {
        self.api_version.get().map(String::as_str)
    }

    /// Sends a request whose URI carries only a path and query (bollard's or ours).
    pub async fn send(
        &self,
        mut request: BollardRequest,
    ) -> Result<Response<Incoming>, bollard::errors::Error> {
        let path = request.uri().path_and_query().map_or("/", PathAndQuery::as_str);
        let path = match self.api_version() {
            Some(v) => format!("/v{v}{path}"),
            None => path.to_owned(),
        };
        let (method, started) = (request.method().clone(), std::time::Instant::now());
        let result = match &self.connector {
            Connector::Unix(client, socket) => {
                *request.uri_mut() = hyperlocal::Uri::new(socket, &path).into();
                client.request(request).await
            }
            Connector::Http(client, authority) => {
                *request.uri_mut() = absolute("http", authority, &path)?;
                client.request(request).await
            }
            #[cfg(feature = "tls")]
            Connector::Https(client, authority, _) => {
                *request.uri_mut() = absolute("https", authority, &path)?;
                client.request(request).await
            }
            // The connector ignores the address: every connection is a new ssh to the target.
            Connector::Ssh(client, _) => {
                *request.uri_mut() = absolute("http", "engine", &path)?;
                client.request(request).await
            }
        };
        let elapsed_ms = started.elapsed().as_millis();
        match &result {
            Ok(response) => tracing::debug!(%method, %path, status = response.status().as_u16(), elapsed_ms),
            Err(e) => tracing::warn!(%method, %path, error = %e, elapsed_ms),
        }
        result.map_err(|e| bollard::errors::Error::IOError { err: self.io_error(&e) })
    }

    /// A failure already told apart below (ssh's) or a TLS failure keeps its meaning (told apart
    /// on rustls's types); anything else becomes its innermost I/O error.
    fn io_error(&self, error: &hyper_util::client::legacy::Error) -> io::Error {
        if let Some(classified) = classified_cause(error) {
            return io::Error::new(io::ErrorKind::InvalidData, classified);
        }
        #[cfg(feature = "tls")]
        if let Connector::Https(_, _, tls) = &self.connector {
            if let Some(classified) = tls.classify(error) {
                return io::Error::new(io::ErrorKind::InvalidData, classified);
            }
        }
        as_io_error(error)
    }
}

/// A `Classified` problem somewhere in the chain, looking inside `io::Error`s too.
fn classified_cause(error: &(dyn std::error::Error + 'static)) -> Option<Classified> {
    let mut cause = Some(error);
    while let Some(current) = cause {
        let inner = current.downcast_ref::<io::Error>().and_then(io::Error::get_ref);
        if let Some(found) = inner.and_then(|inner| inner.downcast_ref::<Classified>()) {
            return Some(Classified { problem: found.problem.clone(), detail: found.detail.clone() });
        }
        cause = current.source();
    }
    None
}

fn absolute(scheme: &str, authority: &str, path: &str) -> Result<Uri, bollard::errors::Error> {
    format!("{scheme}://{authority}{path}").parse().map_err(|e: http::uri::InvalidUri| {
        bollard::errors::Error::IOError { err: io::Error::other(e.to_string()) }
    })
}

/// Keeps the innermost I/O error kind (missing socket, permission denied, refused) so the user
/// sees a cause and a hint rather than "client error (Connect)".
fn as_io_error(error: &(dyn std::error::Error + 'static)) -> io::Error {
    let mut message = error.to_string();
    let mut kind = io::ErrorKind::Other;
    let mut cause = error.source();
    while let Some(inner) = cause {
        message = inner.to_string();
        if let Some(io) = inner.downcast_ref::<io::Error>() {
            kind = io.kind();
        }
        cause = inner.source();
    }
    io::Error::new(kind, message)
}
