//! plumb's HTTP server: the public `/v2` API, the `/api/v1` management API, the web UI (`ui`),
//! health and readiness, and the startup that wires them to a store.
//!
//! Entry points: [`startup::App::start`] builds everything from a [`config::Config`], and
//! [`serve`] runs it on a bound listener until a shutdown future resolves. SQL never appears
//! here: the server talks to `plumb_core::Store` only.

pub mod agent;
pub mod api;
pub mod auth;
pub mod config;
pub mod database;
pub mod error;
pub mod extract;
pub mod health;
pub mod master_key_file;
pub mod offline;
pub mod openapi;
pub mod routes;
pub mod startup;
pub mod state;
pub mod telemetry;
pub mod ui;

use std::future::Future;
use std::net::SocketAddr;

use tokio::net::TcpListener;

pub use error::ApiError;
pub use routes::router;
pub use startup::App;
pub use state::AppState;

/// Serves `app` on `listener` until `shutdown` resolves, then drains in-flight requests and
/// flushes pending writes (key usage) before returning.
pub async fn serve(
    listener: TcpListener,
    app: App,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    let router = router(app.state.clone()).into_make_service_with_connect_info::<SocketAddr>();
    axum::serve(listener, router)
        .with_graceful_shutdown(shutdown)
        .await?;
    app.shutdown().await;
    Ok(())
}
