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

/// Passwords set before this instant have expired under the server's policy.
pub(crate) fn password_expiry_cutoff(st: &AppState) -> Option<i64> {
    let days = st.config.password_max_age_days;
    (days > 0).then(|| chrono::Utc::now().timestamp_millis() - days * 86_400_000)
}

/// Permissions that make a role a management role (三员: 系统管理员, 安全管理员, 审计管理员).
const MANAGEMENT: &[&str] = &["*", "user:read", "user:write", "role:assign", "audit:read"];

fn is_management(r: &Role) -> bool {
    r.permissions
        .iter()
        .any(|p| MANAGEMENT.contains(&p.as_str()))
}

/// 三员分立: an account manager (`user:write`) grants business roles; only the security
/// administrator (`role:assign`) grants a management role; one account never holds two of them;
/// nobody changes their own roles.
fn check_grantable(
    all: &[Role],
    a: &Auth,
    roles: &[String],
    target: Option<&User>,
) -> ApiResult<()> {
    let mut management = Vec::new();
    for key in roles {
        let Some(r) = all.iter().find(|r| &r.key == key) else {
            return Err(kechuang_domain::Invalid::one(
                "roles",
                "role.unknown",
                format!("角色“{key}”不存在"),
            )
            .into());
        };
        if is_management(r) {
            management.push(r);
        }
    }
    if let Some(t) = target {
        let mut before = t.roles.clone();
        let mut after = roles.to_vec();
        before.sort();
        after.sort();
        if t.id == a.user.id && before != after {
            return Err(ApiError::new(
                StatusCode::FORBIDDEN,
                "role.self",
                "不能修改自己账号的角色，请由安全管理员办理",
            ));
        }
    }
    if management.len() > 1 {
        return Err(kechuang_domain::Invalid::one(
            "roles",
            "role.separation",
            format!(
                "三员分立：{}不能由同一账号兼任",
                management
                    .iter()
                    .map(|r| r.name.as_str())
                    .collect::<Vec<_>>()
                    .join("、")
            ),
        )
        .into());
    }
    // A management role the account already holds is kept, not granted anew.
    if let Some(r) = management
        .iter()
        .find(|r| !target.is_some_and(|t| t.roles.contains(&r.key)))
        && !a.user.has_permission("role:assign")
    {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "role.escalation",
            format!("只有安全管理员可以授予管理类角色“{}”", r.name),
        ));
    }
    Ok(())
}

/// A caller may change or reset an account holding a management role only with `role:assign`
/// (the system administrator cannot take over the security or audit administrator).
async fn check_manageable(st: &AppState, all: &[Role], a: &Auth, id: i64) -> ApiResult<User> {
    let target = st.store.get_user(&a.scope(), id).await?;
    let held: Vec<&Role> = all
        .iter()
        .filter(|r| target.roles.contains(&r.key))
        .collect();
    if target.id != a.user.id
        && !a.user.has_permission("role:assign")
        && let Some(r) = held.iter().find(|r| is_management(r))
    {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "role.escalation",
            format!("只有安全管理员可以管理“{}”账号", r.name),
        ));
    }
    Ok(target)
}

#[utoipa::path(get, path = "/api/v1/users", tag = "admin", params(UserFilter, PageRequest), responses((status = 200, body = Page<User>)))]
pub async fn list_users(
    State(st): State<AppState>,
    a: Auth,
    Query(mut f): Query<UserFilter>,
    Query(p): Query<PageRequest>,
) -> ApiResult<axum::Json<Page<User>>> {
    a.require("user:read")?;
    f.expired_before = password_expiry_cutoff(&st);
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
    check_grantable(&st.store.list_roles().await?, &a, &b.roles, None)?;
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
    let roles = st.store.list_roles().await?;
    let target = check_manageable(&st, &roles, &a, id).await?;
    check_grantable(&roles, &a, &b.roles, Some(&target))?;
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
    let target = check_manageable(&st, &st.store.list_roles().await?, &a, id).await?;
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
    let (v, _) = crate::audit_anchor::verify(
        &st.store,
        st.config.audit_anchors.as_deref(),
        &st.config.id_hash_key,
    )
    .await?;
    Ok(axum::Json(v))
}

#[utoipa::path(get, path = "/api/v1/stats/overview", tag = "stats", responses((status = 200, body = Overview)))]
pub async fn overview(State(st): State<AppState>, a: Auth) -> ApiResult<axum::Json<Overview>> {
    a.require("org:read")?;
    Ok(axum::Json(st.store.overview(&a.scope()).await?))
}
