//! Kechuang's HTTP edge: thin axum handlers over the store, sessions and permissions, the
//! OpenAPI document, and the embedded web UI.
//!
//! **Invariants**
//! - Handlers do not decide what data a caller may see: they pass the caller's [`DataScope`]
//!   (from [`auth::Auth`]) to the store, which filters. Handlers check permission strings only.
//! - Errors become `{code, message, fields}` in exactly one place ([`error::ApiError`]).
//! - Every state-changing request needs the session's CSRF token in `X-CSRF-Token`.
//!
//! [`DataScope`]: kechuang_store::DataScope

pub mod api;
pub mod audit_anchor;
pub mod audit_view;
pub mod auth;
pub mod contracts_svc;
pub mod docs;
pub mod error;
pub mod extract;
pub mod funds_svc;
pub mod import;
pub mod monitor_svc;
pub mod openapi;
pub mod people_svc;
pub mod platform_svc;
pub mod review_svc;
pub mod rules_io;
pub mod search_svc;
pub mod tabular;
mod ui;

use axum::Router;
use kechuang_store::Store;
use std::sync::Arc;

/// Run-time settings of the server.
#[derive(Debug, Clone)]
pub struct Config {
    /// Idle session lifetime (RuoYi's default is 30 minutes).
    pub session_ttl_ms: i64,
    /// Absolute session lifetime, however active (a working day).
    pub session_max_age_ms: i64,
    /// Days after which a password must be changed (0: never).
    pub password_max_age_days: i64,
    /// How many previous passwords a new one may not repeat.
    pub password_history: u64,
    /// Mark the session cookie `Secure` (behind HTTPS).
    pub secure_cookies: bool,
    /// Deployment secret for keyed hashes of identity numbers. Never stored in the database.
    pub id_hash_key: Vec<u8>,
    /// The full-text index's directory; in memory without one (rebuilt on first use).
    pub search_dir: Option<std::path::PathBuf>,
    /// The file the audit chain's head is anchored to every minute (`audit_anchor`); none in
    /// tests that do not need it.
    pub audit_anchors: Option<std::path::PathBuf>,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            session_ttl_ms: 30 * 60 * 1000,
            session_max_age_ms: 12 * 60 * 60 * 1000,
            password_max_age_days: 90,
            password_history: 5,
            secure_cookies: false,
            id_hash_key: b"kechuang-dev-key".to_vec(),
            search_dir: None,
            audit_anchors: None,
        }
    }
}

/// Shared state of every handler.
#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    pub config: Arc<Config>,
    pub logins: Arc<auth::LoginLimiter>,
    pub search: Arc<search_svc::Search>,
    /// Registry-wide runs (运行评价) of this server, one at a time: a queued run holds no
    /// database connection and no CPU while it waits, so ordinary requests keep theirs.
    pub runs: Arc<tokio::sync::Semaphore>,
}

/// The state of a server: the store, the settings and the search index (an index directory
/// that cannot be opened is logged and replaced by one in memory, rebuilt on first use).
pub fn state(store: Store, config: Config) -> AppState {
    let search = search_svc::Search::open(config.search_dir.as_deref()).or_else(|e| {
        tracing::error!(error = %e, "search index directory unusable; indexing in memory");
        search_svc::Search::open(None)
    });
    let search = match search {
        Ok(s) => s,
        // An in-memory index needs no file; failing that, nothing would work.
        Err(e) => panic!("search index: {e}"),
    };
    store.spawn_sealer();
    AppState {
        store,
        config: Arc::new(config),
        logins: Arc::new(auth::LoginLimiter::default()),
        search: Arc::new(search),
        runs: Arc::new(tokio::sync::Semaphore::new(1)),
    }
}

/// The whole application: `/api/v1/...`, `/api/openapi.json`, and the web UI.
pub fn app(store: Store, config: Config) -> Router {
    router(state(store, config))
}

/// The routes over a prepared state.
pub fn router(state: AppState) -> Router {
    let secure = state.config.secure_cookies;
    Router::new()
        .nest("/api/v1", api::routes())
        .route("/api/openapi.json", axum::routing::get(openapi::serve))
        .fallback(ui::serve)
        .layer(axum::extract::DefaultBodyLimit::max(64 * 1024 * 1024))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            auth::audit_refusals,
        ))
        .layer(axum::middleware::from_fn(
            move |req: axum::extract::Request, next: axum::middleware::Next| {
                security_headers(req, next, secure)
            },
        ))
        .with_state(state)
}

/// The headers a 等保 reviewer checks first, on every response: a strict Content-Security-Policy
/// (scripts only from this server, no framing), no sniffing, no referrer, no device access;
/// API answers are never cached; HSTS behind HTTPS (`--secure-cookies`).
async fn security_headers(
    req: axum::extract::Request,
    next: axum::middleware::Next,
    secure: bool,
) -> axum::response::Response {
    use axum::http::{HeaderValue, header};
    let api = req.uri().path().starts_with("/api/");
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; \
             img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; \
             object-src 'none'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'",
        ),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    h.insert(
        "permissions-policy",
        HeaderValue::from_static("camera=(), microphone=(), geolocation=(), payment=()"),
    );
    h.insert(
        "cross-origin-opener-policy",
        HeaderValue::from_static("same-origin"),
    );
    if api {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    if secure {
        h.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000; includeSubDomains"),
        );
    }
    res
}

/// Serve until Ctrl-C.
pub async fn serve(app: Router, listener: tokio::net::TcpListener) -> std::io::Result<()> {
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .with_graceful_shutdown(async {
        let _ = tokio::signal::ctrl_c().await;
    })
    .await
}
