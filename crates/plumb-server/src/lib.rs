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
pub mod downloads;
pub mod envelope;
pub mod error;
pub mod events;
pub mod extract;
pub mod health;
pub mod master_key_file;
pub mod offline;
pub mod openapi;
pub mod routes;
pub mod serving;
pub mod startup;
pub mod state;
pub mod telemetry;
pub mod ui;

use std::future::Future;

use tokio::net::TcpListener;

pub use error::ApiError;
pub use routes::router;
pub use startup::App;
pub use state::AppState;

/// Serves `app` on `listener` under its `[http]` limits until `shutdown` resolves, then drains
/// in-flight requests and flushes pending writes (key usage) before returning.
pub async fn serve(
    listener: TcpListener,
    app: App,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    let router = router(app.state.clone());
    serving::run(listener, router, &app.http, shutdown).await?;
    app.shutdown().await;
    Ok(())
}
