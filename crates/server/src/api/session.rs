//! 登录 / 退出 / 当前用户 / 修改密码.

use crate::AppState;
use crate::api::Done;
use crate::auth::{self, Auth};
use crate::error::{ApiError, ApiResult};
use crate::extract::Json;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use kechuang_store::accounts::User;
use serde::{Deserialize, Serialize};

#[derive(Deserialize, utoipa::ToSchema)]
pub struct LoginRequest {
    pub username: String,
    pub password: String,
}

/// The signed-in user, their scope and the CSRF token for state-changing requests.
#[derive(Serialize, utoipa::ToSchema)]
pub struct Me {
    pub user: User,
    /// 数据范围, described in Chinese.
    pub scope: String,
    pub csrf_token: String,
    pub must_change_password: bool,
}

/// A dummy PHC hash so unknown usernames cost as much time as wrong passwords.
const DUMMY_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$0XnOeTJRvlrNwhMgXHOmBtBJoBDnwgYLBcQB5uC8WK8";

#[utoipa::path(post, path = "/api/v1/auth/login", tag = "auth", request_body = LoginRequest,
    responses((status = 200, body = Me), (status = 401, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody),
        (status = 423, body = crate::error::ErrorBody), (status = 429, body = crate::error::ErrorBody)))]
pub async fn login(
    State(st): State<AppState>,
    addr: auth::ClientAddr,
    Json(req): Json<LoginRequest>,
) -> ApiResult<Response> {
    let bad = || {
        ApiError::new(
            StatusCode::UNAUTHORIZED,
            "auth.bad_credentials",
            "用户名或密码错误",
        )
    };
    let address = addr.0.map(|a| a.to_string());
    if !st.logins.allow(&req.username, addr.0) {
        return Err(ApiError::new(
            StatusCode::TOO_MANY_REQUESTS,
            "auth.throttled",
            "登录尝试过于频繁，请1分钟后再试",
        ));
    }
    let Some(rec) = st.store.login_record(&req.username).await? else {
        let _ = auth::verify_password(&req.password, DUMMY_HASH);
        st.store
            .record_refused_login(&req.username, None, "unknown_user", address)
            .await?;
        return Err(bad());
    };
    // A locked or disabled account answers every attempt the same way without checking the
    // password (no oracle: the right password learns nothing more than a wrong one), and each
    // attempt is recorded. The hash is still computed so the answer takes as long.
    let now = chrono::Utc::now().timestamp_millis();
    let refused = if let Some(until) = rec.locked_until.filter(|u| *u > now) {
        let minutes = (until - now + 59_999) / 60_000;
        Some((
            "locked",
            ApiError::new(
                StatusCode::LOCKED,
                "auth.locked",
                format!("密码错误次数过多，账号已锁定，请{minutes}分钟后再试"),
            ),
        ))
    } else if rec.status != "active" {
        Some((
            "disabled",
            ApiError::new(
                StatusCode::FORBIDDEN,
                "auth.disabled",
                "账号已停用，请联系管理员",
            ),
        ))
    } else {
        None
    };
    if let Some((reason, e)) = refused {
        let _ = auth::verify_password(&req.password, DUMMY_HASH);
        st.store
            .record_refused_login(&req.username, Some(&rec), reason, address)
            .await?;
        return Err(e);
    }
    if !auth::verify_password(&req.password, &rec.password_hash) {
        st.store
            .record_login_failure(&rec, auth::MAX_FAILURES, auth::LOCK_MS, address.clone())
            .await?;
        return Err(bad());
    }
    let token = auth::random_token(32);
    let csrf = auth::random_token(16);
    let th = auth::token_hash(&token);
    match st
        .store
        .open_session(&rec, &th, &csrf, st.config.session_ttl_ms, address.clone())
        .await
    {
        Ok(()) => {}
        Err(kechuang_store::StoreError::Forbidden(_)) => {
            return Err(ApiError::new(
                StatusCode::LOCKED,
                "auth.locked",
                "账号已锁定或停用，请稍后再试或联系管理员",
            ));
        }
        Err(e) => return Err(e.into()),
    }
    let (user, _) = st
        .store
        .session_user(&th, st.config.session_ttl_ms, st.config.session_max_age_ms)
        .await?
        .ok_or_else(ApiError::unauthorized)?;
    let mut user = user;
    if auth::password_expired(&user, st.config.password_max_age_days) {
        user.must_change_password = true;
    }
    let cookie = auth::session_cookie(&token, st.config.secure_cookies);
    let me = Me {
        scope: scope_label(&st, &user).await,
        must_change_password: user.must_change_password,
        user,
        csrf_token: csrf,
    };
    Ok(([(header::SET_COOKIE, cookie)], axum::Json(me)).into_response())
}

#[utoipa::path(post, path = "/api/v1/auth/logout", tag = "auth", responses((status = 200, body = Done)))]
pub async fn logout(State(st): State<AppState>, a: Auth) -> ApiResult<Response> {
    st.store.close_session(&a.user, &a.token_hash).await?;
    let cookie = auth::session_cookie("", st.config.secure_cookies);
    Ok((
        [(header::SET_COOKIE, cookie)],
        axum::Json(Done { ok: true }),
    )
        .into_response())
}

#[utoipa::path(get, path = "/api/v1/auth/me", tag = "auth", responses((status = 200, body = Me), (status = 401, body = crate::error::ErrorBody)))]
pub async fn me(State(st): State<AppState>, a: Auth) -> axum::Json<Me> {
    axum::Json(Me {
        scope: scope_label(&st, &a.user).await,
        must_change_password: a.user.must_change_password,
        csrf_token: a.csrf,
        user: a.user,
    })
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct ChangePassword {
    pub old_password: String,
    pub new_password: String,
}

#[utoipa::path(post, path = "/api/v1/auth/password", tag = "auth", request_body = ChangePassword,
    responses((status = 200, body = Done), (status = 422, body = crate::error::ErrorBody)))]
pub async fn change_password(
    State(st): State<AppState>,
    a: Auth,
    Json(req): Json<ChangePassword>,
) -> ApiResult<Response> {
    let rec = st
        .store
        .login_record(&a.user.username)
        .await?
        .ok_or_else(ApiError::unauthorized)?;
    if !auth::verify_password(&req.old_password, &rec.password_hash) {
        // Guessing through a stolen session counts toward the lockout like any login.
        if st
            .store
            .record_login_failure(&rec, auth::MAX_FAILURES, auth::LOCK_MS, a.address.clone())
            .await?
            .is_some()
        {
            st.store.close_session(&a.user, &a.token_hash).await?;
        }
        return Err(kechuang_domain::Invalid::one(
            "old_password",
            "password.wrong",
            "原密码不正确",
        )
        .into());
    }
    auth::check_password_policy(&req.new_password, &a.user.username)?;
    if req.new_password == req.old_password {
        return Err(kechuang_domain::Invalid::one(
            "new_password",
            "password.same",
            "新密码不能与原密码相同",
        )
        .into());
    }
    // 等保: a new password may not repeat the recent ones.
    let n = st.config.password_history;
    if n > 1 {
        let recent = st
            .store
            .password_history(a.user.id, n.saturating_sub(1))
            .await?;
        if recent
            .iter()
            .any(|h| auth::verify_password(&req.new_password, h))
        {
            return Err(kechuang_domain::Invalid::one(
                "new_password",
                "password.reused",
                format!("新密码不能与最近{n}次使用过的密码相同"),
            )
            .into());
        }
    }
    let hash = auth::hash_password(&req.new_password)?;
    st.store
        .set_password(&a.caller(), a.user.id, &hash, false)
        .await?;
    let cookie = auth::session_cookie("", st.config.secure_cookies);
    Ok((
        [(header::SET_COOKIE, cookie)],
        axum::Json(Done { ok: true }),
    )
        .into_response())
}

/// The account's data scope in words: the region's or the organization's name, never a code.
async fn scope_label(st: &AppState, user: &kechuang_store::accounts::User) -> String {
    match user.scope() {
        kechuang_domain::DataScope::All => "全部数据".to_owned(),
        kechuang_domain::DataScope::Region { code, .. } => format!(
            "{}及下级",
            kechuang_domain::RegionCode::parse(&code)
                .ok()
                .and_then(|c| kechuang_domain::RegionTree::shipped().get(c))
                .map_or_else(|| user.region_name.clone(), |r| r.name.clone())
        ),
        kechuang_domain::DataScope::Organization { org_id } => st
            .store
            .get_organization(&user.scope(), org_id)
            .await
            .map_or_else(|_| "本单位".to_owned(), |o| format!("本单位（{}）", o.name)),
        kechuang_domain::DataScope::SelfOnly { .. } => "仅本人".to_owned(),
    }
}
