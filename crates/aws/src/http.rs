//! The HTTP client under every SDK client: the SDK's own (hyper, rustls), wrapped so that
//! no answer can hang a command or fill memory (issue 10, cases 8 and 10).
//!
//! - The whole answer, from the request sent to the body's last byte, must arrive within
//!   the read timeout (`--read-timeout`). The SDK's own read timeout only bounds the wait
//!   for the first byte, so a server that drips its body one byte at a time kept a
//!   command waiting for minutes. Such an answer is not retried: the same server would
//!   make the operator wait as long again. A connection that cannot be opened (the
//!   connect timeout) is retried as before.
//! - A body larger than [`MAX_BODY_BYTES`] is refused as it arrives (the largest AWS
//!   answer this tool reads, a page of 1000 security groups, is a few MiB).
//! - Every failure names the host that did not answer, and every answer carries the host
//!   it came from ([`AnsweredBy`]), so that an error can say what answered when it was not
//!   AWS (a captive portal, a proxy's redirect).

use aws_smithy_runtime_api::client::http::{
    HttpClient, HttpConnector, HttpConnectorFuture, HttpConnectorSettings, SharedHttpClient,
    SharedHttpConnector,
};
use aws_smithy_runtime_api::client::orchestrator::HttpRequest;
use aws_smithy_runtime_api::client::result::ConnectorError;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_types::body::SdkBody;
use aws_smithy_types::byte_stream::ByteStream;
use std::time::Duration;

/// The largest response body read.
pub const MAX_BODY_BYTES: usize = 16 << 20;

/// The most body bytes held by answers being read at once, across all calls: discovery
/// has about twenty calls in flight, and each may be at its cap.
pub const MAX_BODY_BYTES_IN_FLIGHT: usize = 64 << 20;

/// Body bytes held by answers being read now.
static IN_FLIGHT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

/// A share of [`IN_FLIGHT`], given back when dropped.
struct Held(usize);

impl Held {
    /// Take `n` more bytes, unless that goes over the process-wide budget.
    fn take(&mut self, n: usize) -> bool {
        use std::sync::atomic::Ordering;
        let before = IN_FLIGHT.fetch_add(n, Ordering::SeqCst);
        self.0 += n;
        before + n <= MAX_BODY_BYTES_IN_FLIGHT
    }
}

impl Drop for Held {
    fn drop(&mut self) {
        IN_FLIGHT.fetch_sub(self.0, std::sync::atomic::Ordering::SeqCst);
    }
}

/// The read timeout when the settings carry none.
pub const DEFAULT_READ_TIMEOUT: Duration = Duration::from_secs(15);

/// The host (and port) an answer came from, as an extension on the response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnsweredBy(pub String);

/// Why a call got no usable answer, in the source chain of the SDK's dispatch failure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NoAnswer {
    /// The whole answer did not arrive within the read timeout.
    Slow { host: String, secs: u64 },
    /// The body grew past the cap.
    TooLarge { host: String, limit: usize },
}

impl std::fmt::Display for NoAnswer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            NoAnswer::Slow { host, secs } => {
                write!(f, "{host} sent no complete answer within {secs} s")
            }
            NoAnswer::TooLarge { host, limit } => {
                write!(f, "{host} sent more than {} MiB", limit >> 20)
            }
        }
    }
}

impl std::error::Error for NoAnswer {}

/// A connection to the host could not be made; the SDK's error is the source.
#[derive(Debug)]
struct Unreached {
    host: String,
    source: ConnectorError,
}

impl std::fmt::Display for Unreached {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.host)
    }
}

impl std::error::Error for Unreached {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.source)
    }
}

/// `e`, of the same kind, with the host it failed to reach.
fn unreached(host: String, e: ConnectorError) -> ConnectorError {
    let (timeout, io, user, other) = (e.is_timeout(), e.is_io(), e.is_user(), e.as_other());
    let wrapped = Box::new(Unreached { host, source: e });
    if timeout {
        ConnectorError::timeout(wrapped)
    } else if io {
        ConnectorError::io(wrapped)
    } else if user {
        ConnectorError::user(wrapped)
    } else {
        ConnectorError::other(wrapped, other)
    }
}

/// The first error of type `T` in `err`'s source chain.
fn find<'a, T: std::error::Error + 'static>(
    err: &'a (dyn std::error::Error + 'static),
) -> Option<&'a T> {
    let mut cur = Some(err);
    while let Some(e) = cur {
        if let Some(t) = e.downcast_ref::<T>() {
            return Some(t);
        }
        cur = e.source();
    }
    None
}

/// The answer that did not come, if that is why `err` failed.
pub fn no_answer<'a>(err: &'a (dyn std::error::Error + 'static)) -> Option<&'a NoAnswer> {
    find::<NoAnswer>(err)
}

/// The host a failed connection was for, and the failure's own chain.
pub fn unreached_host(err: &(dyn std::error::Error + 'static)) -> Option<(String, String)> {
    find::<Unreached>(err).map(|u| (u.host.clone(), super::error::source_chain(&u.source)))
}

/// `inner` with the whole-answer deadline and the body cap.
pub fn guarded(inner: SharedHttpClient) -> SharedHttpClient {
    SharedHttpClient::new(Guarded {
        inner,
        max_body: MAX_BODY_BYTES,
    })
}

#[derive(Debug, Clone)]
struct Guarded {
    inner: SharedHttpClient,
    max_body: usize,
}

impl HttpClient for Guarded {
    fn http_connector(
        &self,
        settings: &HttpConnectorSettings,
        components: &RuntimeComponents,
    ) -> SharedHttpConnector {
        let deadline = settings.read_timeout().unwrap_or(DEFAULT_READ_TIMEOUT);
        // The inner client's first-byte timeout is left a second later than the whole
        // answer's, so that a silent server is reported (and not retried) as ours.
        let mut inner_settings = HttpConnectorSettings::builder();
        inner_settings.set_connect_timeout(settings.connect_timeout());
        inner_settings.set_read_timeout(Some(deadline + Duration::from_secs(1)));
        let inner = self
            .inner
            .http_connector(&inner_settings.build(), components);
        SharedHttpConnector::new(GuardedConnector {
            inner,
            deadline,
            max_body: self.max_body,
        })
    }

    fn connector_metadata(
        &self,
    ) -> Option<aws_smithy_runtime_api::client::connector_metadata::ConnectorMetadata> {
        self.inner.connector_metadata()
    }
}

#[derive(Debug)]
struct GuardedConnector {
    inner: SharedHttpConnector,
    deadline: Duration,
    max_body: usize,
}

/// `host[:port]` of a request URI.
fn host_of(uri: &str) -> String {
    let rest = uri.split_once("://").map(|(_, r)| r).unwrap_or(uri);
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    authority
        .rsplit_once('@')
        .map(|(_, h)| h)
        .unwrap_or(authority)
        .to_string()
}

impl HttpConnector for GuardedConnector {
    fn call(&self, request: HttpRequest) -> HttpConnectorFuture {
        let host = host_of(request.uri());
        let (deadline, max_body) = (self.deadline, self.max_body);
        let call = self.inner.call(request);
        HttpConnectorFuture::new(async move {
            let until = tokio::time::Instant::now() + deadline;
            let slow = |host: &str| {
                ConnectorError::other(
                    Box::new(NoAnswer::Slow {
                        host: host.to_string(),
                        secs: deadline.as_secs(),
                    }),
                    None,
                )
            };
            let mut response = match tokio::time::timeout_at(until, call).await {
                Err(_) => return Err(slow(&host)),
                // The connection failed (refused, DNS, TLS, the connect timeout): named
                // here, and of the same kind, so the SDK retries what it retried.
                Ok(Err(e)) => return Err(unreached(host, e)),
                Ok(Ok(r)) => r,
            };
            let too_large = |host: &str, limit: usize| {
                ConnectorError::other(
                    Box::new(NoAnswer::TooLarge {
                        host: host.to_string(),
                        limit,
                    }),
                    None,
                )
            };
            let declared = response
                .headers()
                .get("content-length")
                .and_then(|v| v.trim().parse::<u64>().ok());
            if declared.is_some_and(|n| n > max_body as u64) {
                return Err(too_large(&host, max_body));
            }
            let mut body = ByteStream::new(response.take_body());
            let mut bytes: Vec<u8> = Vec::with_capacity(declared.unwrap_or(0) as usize);
            let mut held = Held(0);
            loop {
                match tokio::time::timeout_at(until, body.next()).await {
                    Err(_) => return Err(slow(&host)),
                    Ok(None) => break,
                    Ok(Some(Err(e))) => return Err(ConnectorError::io(Box::new(e))),
                    Ok(Some(Ok(chunk))) => {
                        if bytes.len() + chunk.len() > max_body {
                            return Err(too_large(&host, max_body));
                        }
                        if !held.take(chunk.len()) {
                            return Err(too_large(&host, MAX_BODY_BYTES_IN_FLIGHT));
                        }
                        bytes.extend_from_slice(&chunk);
                    }
                }
            }
            *response.body_mut() = SdkBody::from(bytes);
            response.add_extension(AnsweredBy(host));
            Ok(response)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_of_uris() {
        assert_eq!(
            host_of("https://ec2.eu-west-1.amazonaws.com/"),
            "ec2.eu-west-1.amazonaws.com"
        );
        assert_eq!(host_of("http://127.0.0.1:5000/?x=1"), "127.0.0.1:5000");
        assert_eq!(host_of("http://u:p@[::1]:80/a"), "[::1]:80");
    }
}
