//! 系统管理: users, roles, the audit log, and the dashboard overview.

use crate::AppState;
use crate::api::Done;
use crate::auth::{self, Auth};
use crate::error::{ApiError, ApiResult};
use crate::extract::{Json, Path, Query};
use axum::extract::State;
use axum::http::StatusCode;
use kechuang_domain::RegionCode;
use kechuang_store::accounts::{NewUser, Role, User, UserFilter};
use kechuang_store::audit::{AuditFilter, AuditVerification};
use kechuang_store::stats::Overview;
use kechuang_store::{Page, PageRequest};
use serde::{Deserialize, Serialize};

#[derive(Deserialize, utoipa::ToSchema)]
pub struct CreateUser {
    pub username: String,
    pub display_name: String,
    pub password: String,
    /// all | region | organization | self
    pub scope_kind: String,
    /// Home region (GB/T 2260); for a region account, the subtree it sees.
    pub region: String,
    pub org_id: Option<i64>,
    pub roles: Vec<String>,
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct UpdateUser {
    pub display_name: String,
    /// active | disabled
    pub status: String,
    pub roles: Vec<String>,
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct ResetPassword {
    pub password: String,
}

/// A caller may grant only roles whose permissions it holds itself.
async fn check_grantable(st: &AppState, a: &Auth, roles: &[String]) -> ApiResult<()> {
    let all = st.store.list_roles().await?;
    for key in roles {
        let Some(r) = all.iter().find(|r| &r.key == key) else {
            return Err(kechuang_domain::Invalid::one(
                "roles",
                "role.unknown",
                format!("角色“{key}”不存在"),
            )
            .into());
        };
        if let Some(p) = r.permissions.iter().find(|p| !a.user.has_permission(p)) {
            return Err(ApiError::new(
                StatusCode::FORBIDDEN,
                "role.escalation",
                format!("不能授予超出自身权限的角色“{}”（{p}）", r.name),
            ));
        }
    }
    Ok(())
}

/// A caller may change or reset only accounts whose current permissions it holds itself.
async fn check_manageable(st: &AppState, a: &Auth, id: i64) -> ApiResult<()> {
    let target = st.store.get_user(&a.scope(), id).await?;
    if let Some(p) = target
        .permissions
        .iter()
        .find(|p| !a.user.has_permission(p))
    {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "role.escalation",
            format!("不能管理权限高于自己的账号（{p}）"),
        ));
    }
    Ok(())
}

#[utoipa::path(get, path = "/api/v1/users", tag = "admin", params(UserFilter, PageRequest), responses((status = 200, body = Page<User>)))]
pub async fn list_users(
    State(st): State<AppState>,
    a: Auth,
    Query(f): Query<UserFilter>,
    Query(p): Query<PageRequest>,
) -> ApiResult<axum::Json<Page<User>>> {
    a.require("user:read")?;
    Ok(axum::Json(st.store.list_users(&a.scope(), &f, p).await?))
}

#[utoipa::path(get, path = "/api/v1/users/{id}", tag = "admin", params(("id" = i64, Path)), responses((status = 200, body = User)))]
pub async fn get_user(
    State(st): State<AppState>,
    a: Auth,
    Path(id): Path<i64>,
) -> ApiResult<axum::Json<User>> {
    a.require("user:read")?;
    Ok(axum::Json(st.store.get_user(&a.scope(), id).await?))
}

#[utoipa::path(post, path = "/api/v1/users", tag = "admin", request_body = CreateUser,
    responses((status = 201, body = User), (status = 403, body = crate::error::ErrorBody)))]
pub async fn create_user(
    State(st): State<AppState>,
    a: Auth,
    Json(b): Json<CreateUser>,
) -> ApiResult<(StatusCode, axum::Json<User>)> {
    a.require("user:write")?;
    check_grantable(&st, &a, &b.roles).await?;
    auth::check_password_policy(&b.password, &b.username)?;
    let region = RegionCode::parse_known(&b.region)?;
    let hash = auth::hash_password(&b.password)?;
    let u = NewUser {
        username: b.username,
        display_name: b.display_name,
        password_hash: hash,
        scope_kind: b.scope_kind,
        region,
        org_id: b.org_id,
        roles: b.roles,
        must_change_password: true,
    };
    Ok((
        StatusCode::CREATED,
        axum::Json(st.store.create_user(&a.caller(), &u).await?),
    ))
}

#[utoipa::path(put, path = "/api/v1/users/{id}", tag = "admin", params(("id" = i64, Path)), request_body = UpdateUser,
    responses((status = 200, body = User)))]
pub async fn update_user(
    State(st): State<AppState>,
    a: Auth,
    Path(id): Path<i64>,
    Json(b): Json<UpdateUser>,
) -> ApiResult<axum::Json<User>> {
    a.require("user:write")?;
    check_manageable(&st, &a, id).await?;
    check_grantable(&st, &a, &b.roles).await?;
    Ok(axum::Json(
        st.store
            .update_user(&a.caller(), id, &b.display_name, &b.status, &b.roles)
            .await?,
    ))
}

#[utoipa::path(post, path = "/api/v1/users/{id}/password", tag = "admin", params(("id" = i64, Path)), request_body = ResetPassword,
    responses((status = 200, body = Done)))]
pub async fn reset_password(
    State(st): State<AppState>,
    a: Auth,
    Path(id): Path<i64>,
    Json(b): Json<ResetPassword>,
) -> ApiResult<axum::Json<Done>> {
    a.require("user:write")?;
    check_manageable(&st, &a, id).await?;
    let target = st.store.get_user(&a.scope(), id).await?;
    auth::check_password_policy(&b.password, &target.username)?;
    let hash = auth::hash_password(&b.password)?;
    st.store.set_password(&a.caller(), id, &hash, true).await?;
    Ok(axum::Json(Done { ok: true }))
}

#[utoipa::path(get, path = "/api/v1/roles", tag = "admin", responses((status = 200, body = Vec<Role>)))]
pub async fn roles(State(st): State<AppState>, a: Auth) -> ApiResult<axum::Json<Vec<Role>>> {
    a.require("user:read")?;
    Ok(axum::Json(st.store.list_roles().await?))
}

#[utoipa::path(get, path = "/api/v1/audit", tag = "admin", params(AuditFilter, PageRequest), responses((status = 200, body = AuditPage)))]
pub async fn audit(
    State(st): State<AppState>,
    a: Auth,
    Query(f): Query<AuditFilter>,
    Query(p): Query<PageRequest>,
) -> ApiResult<axum::Json<AuditPage>> {
    a.require("audit:read")?;
    let page = st.store.list_audit(&a.scope(), &f, p).await?;
    Ok(axum::Json(AuditPage {
        items: page
            .items
            .into_iter()
            .map(crate::audit_view::view)
            .collect(),
        total: page.total,
        page: page.page,
        size: page.size,
    }))
}

#[utoipa::path(get, path = "/api/v1/audit/export", tag = "admin", params(AuditFilter),
    responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"), (status = 403, body = crate::error::ErrorBody)))]
pub async fn export_audit(
    State(st): State<AppState>,
    a: Auth,
    Query(f): Query<AuditFilter>,
) -> ApiResult<axum::response::Response> {
    use crate::tabular::Cell;
    a.require("audit:read")?;
    let scope = a.scope();
    let entries = crate::api::io::all_pages(|p| st.store.list_audit(&scope, &f, p)).await?;
    let rows = entries
        .into_iter()
        .map(crate::audit_view::view)
        .map(|v| {
            let changes: Vec<String> = v
                .changes
                .iter()
                .map(|c| format!("{}：{} → {}", c.label, c.before, c.after))
                .collect();
            vec![
                Cell::Number(v.entry.seq as f64),
                Cell::Text(crate::api::beijing_time(Some(v.entry.at))),
                Cell::Text(v.entry.actor.clone()),
                Cell::Text(v.action_label.clone()),
                Cell::Text(v.entity_label.clone()),
                Cell::Text(v.entry.entity_id.clone()),
                Cell::Text(changes.join("；")),
                Cell::Text(v.entry.hash.clone()),
            ]
        })
        .collect();
    crate::api::io::export_sheet(
        &st,
        &a,
        "audit_log",
        "audit-log",
        "审计日志",
        &[
            "序号",
            "时间",
            "操作人",
            "操作",
            "对象",
            "对象编号",
            "变更内容",
            "校验值",
        ],
        rows,
    )
    .await
}

#[utoipa::path(get, path = "/api/v1/users/export", tag = "admin", params(UserFilter),
    responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"), (status = 403, body = crate::error::ErrorBody)))]
pub async fn export_users(
    State(st): State<AppState>,
    a: Auth,
    Query(f): Query<UserFilter>,
) -> ApiResult<axum::response::Response> {
    use crate::tabular::Cell;
    a.require("user:read")?;
    let scope = a.scope();
    let users = crate::api::io::all_pages(|p| st.store.list_users(&scope, &f, p)).await?;
    let roles = st.store.list_roles().await?;
    let rows = users
        .iter()
        .map(|u| {
            let names: Vec<String> = u
                .roles
                .iter()
                .map(|k| {
                    roles
                        .iter()
                        .find(|r| &r.key == k)
                        .map_or_else(|| k.clone(), |r| r.name.clone())
                })
                .collect();
            vec![
                Cell::Text(u.username.clone()),
                Cell::Text(u.display_name.clone()),
                Cell::Text(names.join("、")),
                Cell::Text(
                    u.region_name
                        .rsplit('/')
                        .next()
                        .unwrap_or_default()
                        .to_owned(),
                ),
                Cell::Text(
                    if u.status == "active" {
                        "正常"
                    } else {
                        "停用"
                    }
                    .into(),
                ),
                Cell::Text(crate::api::beijing_time(u.last_login_at)),
                Cell::Text(crate::api::beijing_time(Some(u.created_at))),
            ]
        })
        .collect();
    crate::api::io::export_sheet(
        &st,
        &a,
        "user",
        "users",
        "用户",
        &[
            "账号",
            "姓名",
            "角色",
            "所属地区",
            "状态",
            "最近登录",
            "创建时间",
        ],
        rows,
    )
    .await
}

/// A page of the audit log, each entry with its Chinese labels and changed fields.
#[derive(Serialize, utoipa::ToSchema)]
pub struct AuditPage {
    pub items: Vec<crate::audit_view::AuditView>,
    pub total: u64,
    pub page: u64,
    pub size: u64,
}

#[utoipa::path(get, path = "/api/v1/audit/verify", tag = "admin", responses((status = 200, body = AuditVerification)))]
pub async fn verify_audit(
    State(st): State<AppState>,
    a: Auth,
) -> ApiResult<axum::Json<AuditVerification>> {
    a.require("audit:read")?;
    if a.scope() != kechuang_store::DataScope::All {
        return Err(ApiError::forbidden());
    }
    Ok(axum::Json(st.store.verify_audit().await?))
}

#[utoipa::path(get, path = "/api/v1/stats/overview", tag = "stats", responses((status = 200, body = Overview)))]
pub async fn overview(State(st): State<AppState>, a: Auth) -> ApiResult<axum::Json<Overview>> {
    a.require("org:read")?;
    Ok(axum::Json(st.store.overview(&a.scope()).await?))
}
