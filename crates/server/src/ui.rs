//! The web UI. Until the Vue application lands (issue: Web UI), the binary serves a small
//! self-contained page: login, the caller's scope, and links to the API document.

use axum::http::{StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};

const INDEX: &str = include_str!("ui/index.html");

pub async fn serve(uri: Uri) -> Response {
    if uri.path().starts_with("/api/") {
        return crate::error::ApiError::new(StatusCode::NOT_FOUND, "not_found", "接口不存在")
            .into_response();
    }
    (
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        INDEX,
    )
        .into_response()
}
