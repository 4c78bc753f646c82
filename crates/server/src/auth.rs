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

/// Passwords found first in every guessing list; refused whatever the other rules say.
const COMMON_PASSWORDS: &[&str] = &[
    "password1",
    "password123",
    "passw0rd",
    "p@ssw0rd",
    "admin123",
    "admin888",
    "abc12345",
    "abcd1234",
    "qwerty123",
    "1qaz2wsx",
    "a1234567",
    "a12345678",
    "12345678a",
    "iloveyou1",
    "woaini1314",
    "aa123456",
    "qq123456",
    "test1234",
    "welcome1",
    "changeme1",
    "root1234",
];

/// Password policy (等保: complexity): 8 to 64 characters, letters and digits, at least five
/// different characters, not the account name or containing it, not a commonly guessed one.
/// Every rule that fails is named.
pub fn check_password_policy(p: &str, username: &str) -> Result<(), kechuang_domain::Invalid> {
    let weak = |msg: &str| {
        Err(kechuang_domain::Invalid::one(
            "password",
            "password.weak",
            msg.to_owned(),
        ))
    };
    let n = p.chars().count();
    if n > 64 {
        return weak("密码不能超过64个字符");
    }
    if n < 8
        || !p.chars().any(|c| c.is_ascii_alphabetic())
        || !p.chars().any(|c| c.is_ascii_digit())
    {
        return weak("密码至少8位，且须同时包含字母和数字");
    }
    let lower = p.to_lowercase();
    let name = username.trim().to_lowercase();
    if name.chars().count() >= 3 && lower.contains(&name) {
        return weak("密码不能包含账号名");
    }
    let distinct: std::collections::BTreeSet<char> = lower.chars().collect();
    if distinct.len() < 5 {
        return weak("密码过于简单：至少须有5个不同的字符");
    }
    if COMMON_PASSWORDS.contains(&lower.as_str()) {
        return weak("密码过于常见，容易被猜中，请换一个");
    }
    Ok(())
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
    /// The client's address, recorded with every change the request makes.
    pub address: Option<String>,
}

impl Auth {
    pub fn scope(&self) -> DataScope {
        self.user.scope()
    }

    pub fn caller(&self) -> Caller {
        Caller {
            address: self.address.clone(),
            ..self.user.caller()
        }
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
            .session_user(
                &th,
                state.config.session_ttl_ms,
                state.config.session_max_age_ms,
            )
            .await?
            .ok_or_else(ApiError::unauthorized)?;
        let mut user = user;
        let expired = password_expired(&user, state.config.password_max_age_days);
        if expired {
            user.must_change_password = true;
        }
        if let Some(seen) = parts.extensions.get::<SeenUser>()
            && let Ok(mut slot) = seen.0.lock()
        {
            *slot = Some(user.clone());
        }
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
                if expired {
                    format!(
                        "密码已超过{}天未修改，请先修改密码",
                        state.config.password_max_age_days
                    )
                } else {
                    "首次登录或密码已被重置，请先修改密码".to_owned()
                },
            ));
        }
        Ok(Auth {
            user,
            token_hash: th,
            csrf,
            address: parts
                .extensions
                .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
                .map(|c| c.0.ip().to_string()),
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

/// 等保: 口令定期更换. A password older than `max_age_days` (0: no expiry) must be changed.
pub fn password_expired(user: &User, max_age_days: i64) -> bool {
    let now = chrono::Utc::now().timestamp_millis();
    max_age_days > 0
        && user
            .password_changed_at
            .is_some_and(|t| now - t > max_age_days * 24 * 60 * 60 * 1000)
}

/// While an account must change its password, only these endpoints answer.
const PASSWORD_CHANGE_ALLOWED: &[&str] = &["/auth/me", "/auth/password", "/auth/logout"];

/// Login throttling per account and per client address (等保: 登录失败处理): at most
/// `per_account` attempts on one name and `per_address` from one address in a sliding minute.
/// In memory: a restart forgets it, which the account lockout (stored) does not.
pub struct LoginLimiter {
    per_account: usize,
    per_address: usize,
    seen: std::sync::Mutex<
        std::collections::HashMap<String, std::collections::VecDeque<std::time::Instant>>,
    >,
}

impl Default for LoginLimiter {
    fn default() -> Self {
        Self::new(10, 30)
    }
}

impl LoginLimiter {
    pub fn new(per_account: usize, per_address: usize) -> Self {
        Self {
            per_account,
            per_address,
            seen: std::sync::Mutex::new(std::collections::HashMap::new()),
        }
    }

    /// Count an attempt; `false` when a limit is already reached (the attempt is refused and
    /// not counted again).
    pub fn allow(&self, username: &str, address: Option<std::net::IpAddr>) -> bool {
        let now = std::time::Instant::now();
        let window = std::time::Duration::from_secs(60);
        let Ok(mut seen) = self.seen.lock() else {
            return false;
        };
        // Bounded memory under a flood of made-up names: forget everything quiet.
        if seen.len() > 50_000 {
            seen.retain(|_, q| q.back().is_some_and(|t| now.duration_since(*t) < window));
        }
        let mut keys = vec![(format!("u:{}", username.to_lowercase()), self.per_account)];
        if let Some(a) = address {
            keys.push((format!("a:{a}"), self.per_address));
        }
        for (key, limit) in &keys {
            let q = seen.entry(key.clone()).or_default();
            while q.front().is_some_and(|t| now.duration_since(*t) >= window) {
                q.pop_front();
            }
            if q.len() >= *limit {
                return false;
            }
        }
        for (key, _) in keys {
            seen.entry(key).or_default().push_back(now);
        }
        true
    }
}

/// The signed-in user of a request, left by the `Auth` extractor for [`audit_refusals`], which
/// only learns the answer's status after the handler ran.
#[derive(Clone, Default)]
pub struct SeenUser(pub std::sync::Arc<std::sync::Mutex<Option<User>>>);

/// 等保: refused access is audited. Every 403 and every 404 answered to a signed-in user (a
/// record outside the caller's scope reads as missing) is recorded with the method, path,
/// status and client address, filed under the caller's region so that scoped auditors see it.
pub async fn audit_refusals(
    axum::extract::State(st): axum::extract::State<AppState>,
    mut req: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let seen = SeenUser::default();
    req.extensions_mut().insert(seen.clone());
    let method = req.method().clone();
    let path = req.uri().path().to_owned();
    let addr = req
        .extensions()
        .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
        .map(|c| c.0.ip().to_string());
    let res = next.run(req).await;
    let status = res.status();
    if status == StatusCode::FORBIDDEN || status == StatusCode::NOT_FOUND {
        let user = seen.0.lock().ok().and_then(|mut u| u.take());
        if let Some(user) = user {
            let path: String = path.chars().take(300).collect();
            let detail = serde_json::json!({
                "method": method.as_str(),
                "path": path,
                "status": status.as_u16(),
                "address": addr.clone(),
            });
            let caller = Caller {
                address: addr,
                ..user.caller()
            };
            if let Err(e) = st
                .store
                .audit_event(&caller, "access_refused", "request", &path, Some(detail))
                .await
            {
                tracing::error!(error = %e, "audit of a refused request failed");
            }
        }
    }
    res
}

/// The client's address when the server was started with it (`serve`), for throttling and the
/// audit log; absent in router tests.
pub struct ClientAddr(pub Option<std::net::IpAddr>);

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for ClientAddr {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(Self(
            parts
                .extensions
                .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
                .map(|c| c.0.ip()),
        ))
    }
}
