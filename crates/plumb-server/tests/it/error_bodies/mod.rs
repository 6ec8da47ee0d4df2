//! The error bodies as clients receive them, snapshotted (insta, inline) so that a change to
//! an error's status, content type, message or code shows in review: every status each API
//! answers with our `{"error", "code"}` envelope, on `/v2` (Level's shapes) and on `/api/v1`.
//! To accept a deliberate change, run `cargo insta review` or copy the new value from the
//! failure's diff.

use axum::http::header::CONTENT_TYPE;

use crate::helpers::TestResponse;

mod v1;
mod v2;

/// The body limit, in bytes.
const LIMIT: usize = 64 * 1024;

/// What the client receives: the status line, the content type and the body, byte for byte.
fn wire(response: &TestResponse) -> String {
    let content_type = response
        .headers
        .get(CONTENT_TYPE)
        .map_or("(none)", |value| value.to_str().unwrap());
    format!(
        "{}\ncontent-type: {content_type}\n{}",
        response.status, response.text
    )
}
