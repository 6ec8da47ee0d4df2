//! Logging: `tracing` to stderr as text or JSON, and the request span.
//!
//! The request span records the method, the matched route pattern and the status, never the
//! query string, headers or body: setup and password links carry their token in the query, and
//! credentials travel in headers. See docs/logging.md.

use std::io::IsTerminal;
use std::time::Duration;

use axum::extract::MatchedPath;
use axum::http::{Request, Response};
use tower_http::classify::{ServerErrorsAsFailures, SharedClassifier};
use tower_http::trace::{MakeSpan, OnResponse, TraceLayer};
use tracing::Span;
use tracing_subscriber::EnvFilter;

use crate::config::LogFormat;

/// Installs the global subscriber (`RUST_LOG` overrides the default `info` level).
pub fn init(format: LogFormat) {
    let filter =
        EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn"));
    // Colours only for a person at a terminal: a file, a pipe or journald gets plain text, and
    // `NO_COLOR` (https://no-color.org) turns them off everywhere.
    let colour = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(colour)
        .with_writer(std::io::stderr);
    // A second init (tests, embedding) keeps the first subscriber.
    let _ = match format {
        LogFormat::Text => builder.try_init(),
        LogFormat::Json => builder.json().try_init(),
    };
}

/// The request span maker: method and route pattern only.
#[derive(Debug, Clone, Copy)]
pub struct RouteSpan;

impl<B> MakeSpan<B> for RouteSpan {
    fn make_span(&mut self, request: &Request<B>) -> Span {
        let route = request
            .extensions()
            .get::<MatchedPath>()
            .map_or("unmatched", MatchedPath::as_str);
        tracing::info_span!("request", method = %request.method(), route = %route, status = tracing::field::Empty)
    }
}

/// Logs one line per response with its status and latency.
#[derive(Debug, Clone, Copy)]
pub struct LogResponse;

impl<B> OnResponse<B> for LogResponse {
    fn on_response(self, response: &Response<B>, latency: Duration, span: &Span) {
        let status = response.status().as_u16();
        span.record("status", status);
        tracing::debug!(
            status,
            latency_us = latency.as_micros() as u64,
            "answered {status}"
        );
    }
}

/// The tracing layer for the router.
pub fn trace_layer()
-> TraceLayer<SharedClassifier<ServerErrorsAsFailures>, RouteSpan, (), LogResponse, (), (), ()> {
    TraceLayer::new_for_http()
        .make_span_with(RouteSpan)
        .on_request(())
        .on_response(LogResponse)
        .on_body_chunk(())
        .on_eos(())
        .on_failure(())
}
