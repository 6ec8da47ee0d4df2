//! The HTTP client that posts events: rustls, no redirects followed (a 3xx is a failed
//! attempt), the configured timeout for the whole exchange, and, unless private targets are
//! allowed, a resolver that hands reqwest only public addresses, so the address actually
//! connected to is always one the target rules admit, whatever the name resolves to by then
//! (DNS rebinding).

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use plumb_core::events::target::{check_url, is_public, refused};
use reqwest::dns::{Addrs, Name, Resolve, Resolving};
use reqwest::redirect::Policy;

/// The most of a response body kept in the delivery log.
pub const EXCERPT_MAX: usize = 1024;

/// What an attempt came to.
#[derive(Debug)]
pub struct Answer {
    /// The status, when the endpoint answered.
    pub status: Option<u16>,
    /// The start of the body, or what went wrong.
    pub response: String,
    /// How long it took.
    pub duration: Duration,
}

/// Posts events.
#[derive(Clone)]
pub struct Sender {
    client: reqwest::Client,
    allow_private: bool,
}

impl Sender {
    /// A sender with this timeout.
    pub fn new(timeout: Duration, allow_private: bool) -> anyhow::Result<Self> {
        let mut builder = reqwest::Client::builder()
            .redirect(Policy::none())
            .timeout(timeout)
            .connect_timeout(timeout)
            .user_agent(concat!("plumb-webhooks/", env!("CARGO_PKG_VERSION")))
            .use_rustls_tls();
        if !allow_private {
            builder = builder.dns_resolver(std::sync::Arc::new(PublicOnly));
        }
        Ok(Self {
            client: builder.build()?,
            allow_private,
        })
    }

    /// Posts `body` with `headers` to `url`.
    pub async fn post(&self, url: &str, body: String, headers: &[(&str, String)]) -> Answer {
        let started = Instant::now();
        // The URL was checked when it was saved; the rules may have changed since (a literal
        // address never goes through the resolver).
        if let Err(refusal) = check_url(url, self.allow_private) {
            return Answer {
                status: None,
                response: refusal,
                duration: started.elapsed(),
            };
        }
        let mut request = self
            .client
            .post(url)
            .header("content-type", "application/json")
            .body(body);
        for (name, value) in headers {
            request = request.header(*name, value);
        }
        let result = async {
            let mut response = request.send().await?;
            let status = response.status().as_u16();
            let mut excerpt = Vec::new();
            while excerpt.len() < EXCERPT_MAX {
                match response.chunk().await? {
                    Some(chunk) => excerpt.extend_from_slice(&chunk),
                    None => break,
                }
            }
            excerpt.truncate(EXCERPT_MAX);
            Ok::<_, reqwest::Error>((status, String::from_utf8_lossy(&excerpt).into_owned()))
        }
        .await;
        match result {
            Ok((status, response)) => Answer {
                status: Some(status),
                response,
                duration: started.elapsed(),
            },
            Err(error) => Answer {
                status: None,
                response: describe(&error),
                duration: started.elapsed(),
            },
        }
    }
}

/// A failure in words for the delivery log (never a secret: the request carries none but the
/// signature, which reqwest's errors do not show).
fn describe(error: &reqwest::Error) -> String {
    if error.is_timeout() {
        return "timed out".to_owned();
    }
    let mut text = String::from(if error.is_connect() {
        "could not connect"
    } else {
        "request failed"
    });
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

/// Resolves names to their public addresses only; a name with none is refused.
struct PublicOnly;

impl Resolve for PublicOnly {
    fn resolve(&self, name: Name) -> Resolving {
        Box::pin(async move {
            let host = name.as_str().to_owned();
            let found: Vec<SocketAddr> =
                tokio::net::lookup_host((host.as_str(), 0)).await?.collect();
            let public: Vec<SocketAddr> = found
                .iter()
                .copied()
                .filter(|address| is_public(address.ip()))
                .collect();
            if public.is_empty() || public.len() != found.len() {
                return Err(refused(&host).into());
            }
            let addresses: Addrs = Box::new(public.into_iter());
            Ok(addresses)
        })
    }
}
