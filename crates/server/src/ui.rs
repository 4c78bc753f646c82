//! The web UI: the Vue application in `web/`, built into `web/dist` and embedded in the binary
//! at compile time (rust-embed). Hashed files under `assets/` are cached for a year; every
//! other path that is not an API path gets `index.html` (single-page-application routing).
//!
//! When `web/dist` did not exist at compile time (e.g. `cargo test` on a fresh clone), the
//! binary serves a small self-contained page instead: login, the caller's scope, and links to
//! the API document. `scripts/run` and `scripts/test` build the UI first and pass
//! `KECHUANG_UI_STAMP` (a digest of `web/dist/index.html`) so cargo recompiles this module
//! whenever the UI changes.

use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use std::borrow::Cow;

const PLACEHOLDER: &str = include_str!("ui/index.html");

/// The build of the UI this binary embeds, sent as `X-Kechuang-UI` with `index.html`. Reading
/// it makes cargo recompile this module when the stamp changes.
const UI_STAMP: Option<&str> = option_env!("KECHUANG_UI_STAMP");

#[derive(rust_embed::Embed)]
#[folder = "../../web/dist/"]
#[allow_missing = true]
struct Assets;

const HASHED_CACHE: &str = "public, max-age=31536000, immutable";

fn content_type(path: &str, guessed: &str) -> Cow<'static, str> {
    let t = match path.rsplit('.').next() {
        Some("html") => "text/html; charset=utf-8",
        Some("js" | "mjs") => "text/javascript; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("json" | "map") => "application/json",
        Some("svg") => "image/svg+xml",
        Some("woff2") => "font/woff2",
        Some("woff") => "font/woff",
        Some("ttf") => "font/ttf",
        Some("png") => "image/png",
        Some("ico") => "image/x-icon",
        Some("txt") => "text/plain; charset=utf-8",
        _ => return Cow::Owned(guessed.to_owned()),
    };
    Cow::Borrowed(t)
}

fn file_response(path: &str, file: rust_embed::EmbeddedFile, cache: &'static str) -> Response {
    let ct = content_type(path, file.metadata.mimetype());
    let mut r = ([(header::CACHE_CONTROL, cache)], file.data.into_owned()).into_response();
    if let Ok(v) = HeaderValue::from_str(&ct) {
        r.headers_mut().insert(header::CONTENT_TYPE, v);
    }
    r.headers_mut().insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    r
}

fn index() -> Response {
    match Assets::get("index.html") {
        Some(f) => {
            let mut r = file_response("index.html", f, "no-cache");
            if let Some(v) = UI_STAMP.and_then(|s| HeaderValue::from_str(s).ok()) {
                r.headers_mut().insert("x-kechuang-ui", v);
            }
            r
        }
        None => (
            [
                (header::CONTENT_TYPE, "text/html; charset=utf-8"),
                (header::CACHE_CONTROL, "no-cache"),
            ],
            PLACEHOLDER,
        )
            .into_response(),
    }
}

/// Whether the request accepts a gzip body.
fn accepts_gzip(headers: &HeaderMap) -> bool {
    headers
        .get_all(header::ACCEPT_ENCODING)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|e| {
            let mut parts = e.split(';');
            let name = parts.next().unwrap_or("").trim();
            let refused = parts.any(|p| {
                let p = p.trim().replace(' ', "");
                p == "q=0" || p == "q=0.0" || p == "q=0.00" || p == "q=0.000"
            });
            (name.eq_ignore_ascii_case("gzip") || name == "*") && !refused
        })
}

pub async fn serve(method: Method, headers: HeaderMap, uri: Uri) -> Response {
    let path = uri.path();
    if path == "/api" || path.starts_with("/api/") {
        return crate::error::ApiError::new(StatusCode::NOT_FOUND, "not_found", "接口不存在")
            .into_response();
    }
    if method != Method::GET && method != Method::HEAD {
        return crate::error::ApiError::new(
            StatusCode::METHOD_NOT_ALLOWED,
            "method_not_allowed",
            "不支持的请求方法",
        )
        .into_response();
    }
    let rel = path.trim_start_matches('/');
    if !rel.is_empty() && rel != "index.html" {
        if let Some(f) = Assets::get(rel) {
            let hashed = rel.starts_with("assets/");
            let cache = if hashed { HASHED_CACHE } else { "no-cache" };
            // The build writes `x.gz` beside large scripts and stylesheets.
            if hashed
                && accepts_gzip(&headers)
                && let Some(gz) = Assets::get(&format!("{rel}.gz"))
            {
                let mut r = file_response(rel, gz, cache);
                r.headers_mut()
                    .insert(header::CONTENT_ENCODING, HeaderValue::from_static("gzip"));
                r.headers_mut()
                    .insert(header::VARY, HeaderValue::from_static("accept-encoding"));
                return r;
            }
            let mut r = file_response(rel, f, cache);
            if hashed {
                r.headers_mut()
                    .insert(header::VARY, HeaderValue::from_static("accept-encoding"));
            }
            return r;
        }
        // A missing script or stylesheet must not be answered with HTML.
        if rel.starts_with("assets/") {
            return (
                StatusCode::NOT_FOUND,
                [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
                "not found",
            )
                .into_response();
        }
    }
    index()
}
