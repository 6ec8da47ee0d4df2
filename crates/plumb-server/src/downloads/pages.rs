//! `/downloads/`: the page listing the agent binaries with their SHA-256, `SHA256SUMS`, the
//! binaries themselves, and `install.sh`, the installer the "Install command" pipes to `sh`.
//! All public: a device fetches them before it holds any credential, and none is a secret.

use askama::Template;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use tower::ServiceExt;
use tower_http::services::ServeFile;

use super::Download;
use crate::api::v1::automation_webhooks::public_base;
use crate::error::ApiError;
use crate::extract::PathId;
use crate::state::AppState;
use crate::ui::{PageMeta, render};

#[derive(Template)]
#[template(path = "downloads.html")]
struct DownloadsPage {
    page: PageMeta,
    files: Vec<Download>,
    configured: bool,
}

/// `GET /downloads`: the listing lives at `/downloads/`.
pub async fn downloads_redirect() -> Response {
    (
        StatusCode::PERMANENT_REDIRECT,
        [(header::LOCATION, HeaderValue::from_static("/downloads/"))],
    )
        .into_response()
}

/// `GET /downloads/`
pub async fn downloads_page(State(state): State<AppState>) -> Response {
    let page = DownloadsPage {
        page: PageMeta {
            title: "Downloads",
            script: None,
        },
        files: state.downloads.list().await,
        configured: state.downloads.is_configured(),
    };
    render(StatusCode::OK, &page)
}

/// `GET /downloads/SHA256SUMS`: `sha256sum -c` input.
pub async fn checksums(State(state): State<AppState>) -> Response {
    let text: String = state
        .downloads
        .list()
        .await
        .iter()
        .map(|file| format!("{}  {}\n", file.sha256, file.name))
        .collect();
    text_response("text/plain; charset=utf-8", text)
}

/// `GET /downloads/install.sh`
pub async fn install_script(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let base = public_base(&state, &headers);
    let files = state.downloads.list().await;
    text_response("text/x-shellscript; charset=utf-8", script(&base, &files))
}

/// `GET /downloads/{file}`: one binary, by the name the listing gives.
pub async fn download(
    State(state): State<AppState>,
    PathId(name): PathId,
    request: Request,
) -> Result<Response, ApiError> {
    let file = state
        .downloads
        .find(&name)
        .await
        .ok_or_else(|| ApiError::NotFound("no such download".to_owned()))?;
    let served = ServeFile::new(&file.path)
        .oneshot(request)
        .await
        .map_err(|error| ApiError::Internal(anyhow::Error::new(error)))?;
    let mut response = served.map(axum::body::Body::new).into_response();
    // Every name is extensionless or `.exe`: a binary, whatever a guess from the name says.
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/octet-stream"),
    );
    if let Ok(value) = HeaderValue::from_str(&format!("attachment; filename=\"{}\"", file.name)) {
        response
            .headers_mut()
            .insert(header::CONTENT_DISPOSITION, value);
    }
    Ok(response)
}

/// The one line to paste on a Linux machine: fetch the installer from this server and run it
/// as root with the install key in its environment (never on its command line).
pub fn install_command(base: &str, key: &str) -> String {
    format!(
        "curl -fsSL {} | sudo PLUMB_INSTALL_KEY={key} sh",
        shell_quote(&format!("{base}/downloads/install.sh"))
    )
}

fn text_response(content_type: &'static str, text: String) -> Response {
    (
        StatusCode::OK,
        [(header::CONTENT_TYPE, HeaderValue::from_static(content_type))],
        text,
    )
        .into_response()
}

/// `text` in single quotes for `sh`.
fn shell_quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', r"'\''"))
}

/// The installer: picks this machine's binary, checks its SHA-256, installs it and hands over
/// to `plumb-agent install` (enroll with `$PLUMB_INSTALL_KEY`, write and start the systemd unit).
fn script(base: &str, files: &[Download]) -> String {
    let mut cases = String::new();
    for file in files {
        if let Some(arch) = file.arch() {
            cases.push_str(&format!(
                "  Linux-{arch}) sha256={} ;;\n",
                shell_quote(&file.sha256)
            ));
        }
    }
    let server = shell_quote(base);
    format!(
        r#"#!/bin/sh
# plumb-agent installer, served by the plumb server at {base}.
# Downloads the agent for this machine from that server, checks its SHA-256, installs it in
# $PLUMB_AGENT_BIN_DIR (default /usr/local/bin), enrolls this machine with $PLUMB_INSTALL_KEY
# and installs it as a systemd service (plumb-agent install).
set -eu
server={server}
bin_dir="${{PLUMB_AGENT_BIN_DIR:-/usr/local/bin}}"
if [ -z "${{PLUMB_INSTALL_KEY:-}}" ]; then
  echo "plumb: set PLUMB_INSTALL_KEY to an install key (plumbi_...) first" >&2
  exit 1
fi
os=$(uname -s)
arch=$(uname -m)
case "$os-$arch" in
{cases}  *)
    echo "plumb: this server has no plumb-agent for $os $arch; see $server/downloads/" >&2
    exit 1 ;;
esac
name="plumb-agent-linux-$arch"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
echo "plumb: downloading $server/downloads/$name"
if command -v curl >/dev/null 2>&1; then
  curl -fsSL -o "$tmp/plumb-agent" "$server/downloads/$name"
else
  wget -q -O "$tmp/plumb-agent" "$server/downloads/$name"
fi
if ! echo "$sha256  $tmp/plumb-agent" | sha256sum -c - >/dev/null 2>&1; then
  echo "plumb: the downloaded agent does not match its SHA-256 $sha256; nothing was installed" >&2
  exit 1
fi
mkdir -p "$bin_dir"
install -m 0755 "$tmp/plumb-agent" "$bin_dir/plumb-agent"
echo "plumb: installed $bin_dir/plumb-agent (SHA-256 $sha256)"
"$bin_dir/plumb-agent" install --server "$server"
"#
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_install_command_quotes_the_url_and_keeps_the_key_in_the_environment() {
        assert_eq!(
            install_command("http://10.0.0.5:8080", "plumbi_abc"),
            "curl -fsSL 'http://10.0.0.5:8080/downloads/install.sh' | sudo PLUMB_INSTALL_KEY=plumbi_abc sh"
        );
        assert_eq!(shell_quote("a'b"), r"'a'\''b'");
    }

    #[test]
    fn the_script_knows_each_linux_binary_by_its_architecture() {
        let files = [Download {
            name: "plumb-agent-linux-aarch64".to_owned(),
            path: "/x".into(),
            size: 1,
            sha256: "ab".repeat(32),
        }];
        let text = script("http://h:1", &files);
        assert!(text.contains(&format!("  Linux-aarch64) sha256='{}' ;;", "ab".repeat(32))));
        assert!(text.contains("server='http://h:1'"));
    }
}
