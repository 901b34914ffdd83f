//! The web interface, embedded in the binary so that the server works from any directory.

use axum::http::{StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use rust_embed::RustEmbed;

#[derive(RustEmbed)]
#[folder = "web/"]
struct Web;

/// Serves a file of web/, or the app's page for its own routes (`/join/…`, `/session/…`,
/// `/board/…`, `/facilitate/…`).
pub async fn serve_asset(uri: Uri) -> Response {
    let path = uri.path().trim_start_matches('/');
    let app_route = ["join/", "session/", "facilitate/", "board/", "j/"]
        .iter()
        .any(|prefix| path.starts_with(prefix));
    let path = if path.is_empty() || app_route {
        "index.html"
    } else {
        path
    };
    file(path)
}

/// The app's page itself.
pub async fn page() -> Response {
    file("index.html")
}

fn file(path: &str) -> Response {
    match Web::get(path) {
        Some(file) => {
            let mime = file.metadata.mimetype().to_owned();
            (
                [
                    (header::CONTENT_TYPE, mime),
                    (header::CACHE_CONTROL, "no-cache".to_owned()),
                    (header::CONTENT_SECURITY_POLICY, policy().to_owned()),
                ],
                file.data,
            )
                .into_response()
        }
        None => (StatusCode::NOT_FOUND, "not found").into_response(),
    }
}

/// The page's security policy: nothing from elsewhere, no inline script; the one inline style
/// allowed is the record's, by its hash, so a record opened from the board keeps its layout.
fn policy() -> &'static str {
    static POLICY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    POLICY.get_or_init(|| {
        format!(
            "default-src 'self'; connect-src 'self'; img-src 'self' data: blob:; style-src 'self' {}; script-src 'self'; frame-ancestors 'none'",
            crate::record::style_hash()
        )
    })
}
