//! Authentication and authorization: argon2id passwords, opaque session tokens in an HttpOnly
//! cookie (stored hashed), a CSRF token for every state-changing request, lockout after
//! repeated failures, and permission checks.

use crate::AppState;
use crate::error::{ApiError, ApiResult};
use argon2::Argon2;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{Method, StatusCode, header};
use kechuang_store::accounts::User;
use kechuang_store::{Caller, DataScope};
use rand::RngCore;
use sha2::{Digest, Sha256};

pub const SESSION_COOKIE: &str = "kc_session";
pub const CSRF_HEADER: &str = "x-csrf-token";
/// Failed attempts before the account is locked (等保 practice: 5 attempts, 10 minutes).
pub const MAX_FAILURES: i64 = 5;
pub const LOCK_MS: i64 = 10 * 60 * 1000;

/// Hash a password with Argon2id (PHC string).
pub fn hash_password(password: &str) -> Result<String, ApiError> {
    Argon2::default()
        .hash_password(password.as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| {
            tracing::error!(error = %e, "password hashing failed");
            ApiError::internal()
        })
}

pub fn verify_password(password: &str, phc: &str) -> bool {
    Argon2::default()
        .verify_password(password.as_bytes(), phc)
        .is_ok()
}

/// Password policy: at least 8 characters with letters and digits.
pub fn check_password_policy(p: &str) -> Result<(), kechuang_domain::Invalid> {
    let ok = p.chars().count() >= 8
        && p.chars().count() <= 64
        && p.chars().any(|c| c.is_ascii_alphabetic())
        && p.chars().any(|c| c.is_ascii_digit());
    if ok {
        Ok(())
    } else {
        Err(kechuang_domain::Invalid::one(
            "password",
            "password.weak",
            "密码至少8位，且须同时包含字母和数字",
        ))
    }
}

/// A random token, hex-encoded.
pub fn random_token(bytes: usize) -> String {
    let mut b = vec![0u8; bytes];
    rand::rng().fill_bytes(&mut b);
    hex::encode(b)
}

pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

fn cookie_value<'a>(parts: &'a Parts, name: &str) -> Option<&'a str> {
    parts
        .headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|v| {
            v.split(';')
                .map(str::trim)
                .find_map(|kv| kv.strip_prefix(name).and_then(|r| r.strip_prefix('=')))
        })
}

/// The authenticated caller. A handler that takes `Auth` cannot run without a valid session,
/// and, for non-GET requests, a matching CSRF token.
pub struct Auth {
    pub user: User,
    pub token_hash: String,
    pub csrf: String,
}

impl Auth {
    pub fn scope(&self) -> DataScope {
        self.user.scope()
    }

    pub fn caller(&self) -> Caller {
        self.user.caller()
    }

    /// Only the caller's own records, whatever their role's scope: an expert's review tasks
    /// are theirs alone, even for an account that also has a region scope.
    pub fn own_scope(&self) -> DataScope {
        DataScope::SelfOnly {
            user_id: self.user.id,
        }
    }

    /// Require a permission string.
    pub fn require(&self, perm: &str) -> ApiResult<()> {
        if self.user.has_permission(perm) {
            Ok(())
        } else {
            Err(ApiError::forbidden())
        }
    }
}

impl FromRequestParts<AppState> for Auth {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let token = cookie_value(parts, SESSION_COOKIE).ok_or_else(ApiError::unauthorized)?;
        let th = token_hash(token);
        let (user, csrf) = state
            .store
            .session_user(&th, state.config.session_ttl_ms)
            .await?
            .ok_or_else(ApiError::unauthorized)?;
        if !matches!(parts.method, Method::GET | Method::HEAD | Method::OPTIONS) {
            let sent = parts
                .headers
                .get(CSRF_HEADER)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("");
            if sent.is_empty() || !constant_time_eq(sent.as_bytes(), csrf.as_bytes()) {
                return Err(ApiError::new(
                    StatusCode::FORBIDDEN,
                    "auth.csrf",
                    "请求校验失败（CSRF），请刷新页面后重试",
                ));
            }
        }
        if user.must_change_password
            && !PASSWORD_CHANGE_ALLOWED
                .iter()
                .any(|p| parts.uri.path().ends_with(p))
        {
            return Err(ApiError::new(
                StatusCode::FORBIDDEN,
                "auth.must_change_password",
                "首次登录或密码已被重置，请先修改密码",
            ));
        }
        Ok(Auth {
            user,
            token_hash: th,
            csrf,
        })
    }
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The session cookie. It lives as long as the browser session; the server decides expiry
/// (idle timeout, sliding). An empty token clears it.
pub fn session_cookie(token: &str, secure: bool) -> String {
    format!(
        "{SESSION_COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict{}{}",
        if token.is_empty() { "; Max-Age=0" } else { "" },
        if secure { "; Secure" } else { "" }
    )
}

/// While an account must change its password, only these endpoints answer.
const PASSWORD_CHANGE_ALLOWED: &[&str] = &["/auth/me", "/auth/password", "/auth/logout"];
