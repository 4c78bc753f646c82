//! Accounts: users, roles and their permission strings, sessions, login lockout.
//!
//! A user's data scope is stored with the user (`scope_kind` + region or organization) and
//! turned into a [`DataScope`] once per request. Users are themselves scoped records: a county
//! administrator sees and manages only the accounts inside the county.

use crate::audit::Change;
use crate::error::{StoreError, StoreResult};
use crate::orgs::{get_org, region_path};
use crate::record::{RecordKind, Stamps};
use crate::sql::{self, ScopeColumns, contains, get, now_ms};
use crate::{Caller, DataScope, Page, PageRequest, Store};
use kechuang_domain::{FieldError, Invalid, RegionCode};
use sea_orm::sea_query::{Expr, ExprTrait, Order, Query, SelectStatement};
use sea_orm::{ConnectionTrait, QueryResult};
use serde::{Deserialize, Serialize};

const T: &str = "users";
pub(crate) const COLS: ScopeColumns = ScopeColumns {
    table: T,
    region_path: Some("region_path"),
    org: Some("org_id"),
    owner: Some("id"),
};
/// Accounts keep their own writes (roles, password hashes and sessions are written beside the
/// user row, and the audit JSON carries the roles), each recorded as a `user` change.
pub(crate) const USER_KIND: RecordKind = RecordKind::own(COLS, "user", Stamps::ALL);

/// Built-in roles: `(key, name, permissions)`. 三员分立: the system administrator (admin),
/// the security administrator (security) and the audit administrator (auditor) are separate.
pub const BUILTIN_ROLES: &[(&str, &str, &[&str])] = &[
    // 三员分立 (等保三级): the system administrator keeps accounts and the system running and
    // sees no business data and no audit log; the security administrator alone grants the
    // management roles; the audit administrator reads the audit log.
    (
        "admin",
        "系统管理员",
        &["user:read", "user:write", "region:read"],
    ),
    (
        "security",
        "安全管理员",
        &["user:read", "user:write", "role:assign"],
    ),
    ("auditor", "审计管理员", &["audit:read", "user:read"]),
    (
        "officer",
        "科技局业务人员",
        &[
            "org:read",
            "org:write",
            "org:add",
            "org:remove",
            "year:read",
            "year:write",
            "platform:read",
            "platform:write",
            "platform:add",
            "platform:remove",
            "person:read",
            "person:write",
            "person:add",
            "person:remove",
            "import",
            "export",
            "region:read",
            "rules:read",
            "rules:run",
            "review:read",
            "review:manage",
            "plan:read",
            "plan:write",
            "project:read",
            "project:manage",
            "contract:read",
            "market:read",
            "market:manage",
            "funds:read",
            "funds:manage",
            "people:read",
            "people:manage",
            "platform:evaluate",
            "award:read",
            "award:manage",
        ],
    ),
    (
        "leader",
        "科技局领导",
        &[
            "org:read",
            "year:read",
            "platform:read",
            "person:read",
            "export",
            "region:read",
            "rules:read",
            "review:read",
            "plan:read",
            "project:read",
            "contract:read",
            "market:read",
            "funds:read",
            "people:read",
            "award:read",
        ],
    ),
    (
        "enterprise",
        "企业/单位用户",
        &[
            "org:read",
            "org:write",
            "year:read",
            "year:write",
            "platform:read",
            "person:read",
            "person:write",
            "import",
            "export",
            "region:read",
            "rules:read",
            "rules:run",
            "project:read",
            "project:apply",
            "contract:read",
            "contract:apply",
            "market:read",
            "market:publish",
            "funds:apply",
            "people:apply",
            "platform:apply",
            "award:read",
            "award:nominate",
        ],
    ),
    (
        "registrar",
        "技术合同登记员",
        &[
            "contract:read",
            "contract:register",
            "market:read",
            "org:read",
            "region:read",
            "export",
        ],
    ),
    (
        "expert",
        "专家",
        &[
            "person:read",
            "person:write",
            "region:read",
            "review:score",
            "award:read",
            "award:nominate",
        ],
    ),
    (
        "commissioner",
        "科技特派员",
        &["person:read", "region:read", "people:serve"],
    ),
];

/// Every permission string the system knows, with its Chinese name.
pub const PERMISSIONS: &[(&str, &str)] = &[
    ("org:read", "查看单位"),
    ("org:write", "维护单位"),
    ("org:add", "新增单位"),
    ("org:remove", "删除单位"),
    ("year:read", "查看企业年度数据"),
    ("year:write", "维护企业年度数据"),
    ("platform:read", "查看创新平台"),
    ("platform:write", "维护创新平台"),
    ("platform:add", "新增创新平台"),
    ("platform:remove", "删除创新平台"),
    ("person:read", "查看人才专家"),
    ("person:write", "维护人才专家"),
    ("person:add", "新增人才专家"),
    ("person:remove", "删除人才专家"),
    ("import", "导入"),
    ("export", "导出"),
    ("region:read", "查看行政区划"),
    ("user:read", "查看用户"),
    ("user:write", "管理用户"),
    ("role:assign", "授予管理类角色（安全管理员）"),
    ("audit:read", "查看审计日志"),
    ("rules:read", "查看政策评价结果"),
    ("rules:run", "运行政策评价"),
    ("contract:read", "查看技术合同"),
    ("contract:apply", "申请技术合同登记"),
    ("contract:register", "技术合同认定登记"),
    ("market:read", "查看技术市场"),
    ("market:publish", "发布科技成果"),
    ("market:manage", "审核科技成果"),
    ("funds:read", "查看资金与服务"),
    ("funds:apply", "申领资金与服务"),
    ("funds:manage", "管理资金项目与拨付"),
    ("people:read", "查看人才与科技特派员"),
    ("people:manage", "管理人才与科技特派员"),
    ("people:apply", "人才申报、人才需求与受援确认"),
    ("platform:apply", "本单位平台的认定申报、年报与在孵企业"),
    ("platform:evaluate", "平台认定、绩效评价与培育后备库"),
    ("award:read", "查看科技奖励与公示、提出异议"),
    ("award:nominate", "科技奖励提名"),
    ("award:manage", "组织科技奖励评审与授奖"),
    ("people:serve", "科技特派员服务填报"),
];

/// A user account as shown to administrators. No password hash.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct User {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    /// all | region | organization | self
    pub scope_kind: String,
    pub region_code: String,
    pub region_name: String,
    pub org_id: Option<i64>,
    /// active | disabled
    pub status: String,
    pub roles: Vec<String>,
    pub permissions: Vec<String>,
    pub must_change_password: bool,
    /// Locked until (epoch ms) after repeated failed logins.
    pub locked_until: Option<i64>,
    pub last_login_at: Option<i64>,
    pub created_at: i64,
    /// When the password was last set (epoch ms): the expiry policy counts from here.
    pub password_changed_at: Option<i64>,
    #[serde(skip)]
    pub region_path: String,
}

impl User {
    /// The data scope this account acts in.
    pub fn scope(&self) -> DataScope {
        match self.scope_kind.as_str() {
            "all" => DataScope::All,
            "organization" => match self.org_id {
                Some(org_id) => DataScope::Organization { org_id },
                // A broken account sees nothing rather than everything.
                None => DataScope::SelfOnly { user_id: self.id },
            },
            "self" => DataScope::SelfOnly { user_id: self.id },
            _ => DataScope::Region {
                code: self.region_code.clone(),
                path: self.region_path.clone(),
            },
        }
    }

    pub fn has_permission(&self, p: &str) -> bool {
        self.permissions.iter().any(|x| x == "*" || x == p)
    }

    pub fn caller(&self) -> Caller {
        Caller {
            user_id: Some(self.id),
            username: self.username.clone(),
            scope: self.scope(),
            address: None,
        }
    }
}

/// A new account. The password arrives already hashed (argon2id, by the server).
#[derive(Debug, Clone)]
pub struct NewUser {
    pub username: String,
    pub display_name: String,
    pub password_hash: String,
    /// all | region | organization | self
    pub scope_kind: String,
    pub region: RegionCode,
    pub org_id: Option<i64>,
    pub roles: Vec<String>,
    pub must_change_password: bool,
}

/// What login needs to know before any scope exists.
#[derive(Debug, Clone)]
pub struct LoginRecord {
    pub id: i64,
    pub username: String,
    pub password_hash: String,
    pub status: String,
    pub failed_logins: i64,
    pub locked_until: Option<i64>,
    pub region_path: String,
}

/// A role with its permissions.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Role {
    pub key: String,
    pub name: String,
    pub builtin: bool,
    pub permissions: Vec<String>,
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
pub struct UserFilter {
    pub q: Option<String>,
    pub status: Option<String>,
    /// Accounts needing attention: `locked` (locked now), `must_change` (must change the
    /// password, or it has expired), `never` (never signed in).
    pub attention: Option<String>,
    /// Passwords set before this (epoch ms) have expired; set by the server from its policy.
    #[serde(skip)]
    #[param(ignore)]
    pub expired_before: Option<i64>,
}

const USER_COLS: [&str; 15] = [
    "id",
    "username",
    "display_name",
    "scope_kind",
    "region_code",
    "region_path",
    "org_id",
    "status",
    "must_change_password",
    "locked_until",
    "last_login_at",
    "created_at",
    "failed_logins",
    "password_hash",
    "password_changed_at",
];

fn select() -> SelectStatement {
    let mut q = Query::select();
    q.columns(USER_COLS.map(|c| (T, c))).from(T);
    q
}

/// The audit record of a password set or a change required (never the hash).
fn password_change(u: &User, must_change: bool) -> Change {
    Change {
        action: "password",
        entity: "user",
        entity_id: u.id.to_string(),
        region_path: Some(u.region_path.clone()),
        org_id: u.org_id,
        before: None,
        after: Some(serde_json::json!({"must_change_password": must_change})),
    }
}

fn user_from_row(r: &QueryResult) -> StoreResult<User> {
    let region_code: String = get(r, "region_code")?;
    Ok(User {
        id: get(r, "id")?,
        username: get(r, "username")?,
        display_name: get(r, "display_name")?,
        scope_kind: get(r, "scope_kind")?,
        region_name: crate::orgs::region_name(&region_code),
        region_code,
        org_id: get(r, "org_id")?,
        status: get(r, "status")?,
        roles: Vec::new(),
        permissions: Vec::new(),
        must_change_password: get(r, "must_change_password")?,
        locked_until: get(r, "locked_until")?,
        last_login_at: get(r, "last_login_at")?,
        created_at: get(r, "created_at")?,
        password_changed_at: get(r, "password_changed_at")?,
        region_path: get(r, "region_path")?,
    })
}

async fn load_roles<C: ConnectionTrait>(c: &C, users: &mut [User]) -> StoreResult<()> {
    if users.is_empty() {
        return Ok(());
    }
    let mut q = Query::select();
    q.column(("user_roles", "user_id"))
        .column(("roles", "role_key"))
        .column(("role_permissions", "permission"))
        .from("user_roles")
        .inner_join(
            "roles",
            Expr::col(("roles", "id")).equals(("user_roles", "role_id")),
        )
        .left_join(
            "role_permissions",
            Expr::col(("role_permissions", "role_id")).equals(("roles", "id")),
        )
        .and_where(Expr::col(("user_roles", "user_id")).is_in(users.iter().map(|u| u.id)));
    for r in sql::fetch_all(c, &q).await? {
        let uid: i64 = get(&r, "user_id")?;
        let role: String = get(&r, "role_key")?;
        let perm: Option<String> = get(&r, "permission")?;
        if let Some(u) = users.iter_mut().find(|u| u.id == uid) {
            if !u.roles.contains(&role) {
                u.roles.push(role);
            }
            if let Some(p) = perm
                && !u.permissions.contains(&p)
            {
                u.permissions.push(p);
            }
        }
    }
    for u in users.iter_mut() {
        u.roles.sort();
        u.permissions.sort();
    }
    Ok(())
}

async fn get_user<C: ConnectionTrait>(c: &C, scope: &DataScope, id: i64) -> StoreResult<User> {
    let mut q = select();
    q.cond_where(sql::scope_condition(scope, COLS))
        .and_where(Expr::col((T, "id")).eq(id));
    let row = sql::fetch_one(c, &q).await?.ok_or(StoreError::NotFound)?;
    let mut u = [user_from_row(&row)?];
    load_roles(c, &mut u).await?;
    let [u] = u;
    Ok(u)
}

fn user_json(u: &User) -> serde_json::Value {
    serde_json::to_value(u).unwrap_or_default()
}

fn validate_username(s: &str) -> Result<String, Invalid> {
    let t = s.trim();
    let ok = (3..=32).contains(&t.chars().count())
        && t.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | '@'));
    if !ok {
        return Err(Invalid::one(
            "username",
            "username.format",
            "用户名应为3至32位字母、数字或 _ - . @",
        ));
    }
    Ok(t.to_owned())
}

/// Whether an account acting in `caller` may manage (create, change, reset) an account whose
/// data scope is `kind` at `path` (its home region) for organization `org_id`: the managed
/// account must not see anything the manager cannot.
fn may_manage(
    caller: &DataScope,
    kind: &str,
    path: &str,
    org_id: Option<i64>,
    user_id: Option<i64>,
) -> bool {
    match caller {
        DataScope::All => true,
        DataScope::Region { path: mine, .. } => kind != "all" && path.starts_with(mine.as_str()),
        DataScope::Organization { org_id: mine } => kind == "organization" && org_id == Some(*mine),
        DataScope::SelfOnly { user_id: me } => user_id == Some(*me),
    }
}

impl Store {
    /// Create the built-in roles that are missing (idempotent; run after migrations).
    pub async fn ensure_builtin_roles(&self) -> StoreResult<()> {
        for (key, name, perms) in BUILTIN_ROLES {
            let mut q = Query::select();
            q.column("id")
                .from("roles")
                .and_where(Expr::col("role_key").eq(*key));
            if sql::fetch_one(&self.db, &q).await?.is_some() {
                continue;
            }
            let mut tx = self.write(&Caller::system("system")).await?;
            let id = tx.new_id().await?;
            let mut ins = Query::insert();
            ins.into_table("roles")
                .columns(["id", "role_key", "name", "builtin"])
                .values([id.into(), (*key).into(), (*name).into(), true.into()])
                .map_err(StoreError::corrupt)?;
            tx.conn().execute(&ins).await?;
            for p in *perms {
                let mut ins = Query::insert();
                ins.into_table("role_permissions")
                    .columns(["role_id", "permission"])
                    .values([id.into(), (*p).into()])
                    .map_err(StoreError::corrupt)?;
                tx.conn().execute(&ins).await?;
            }
            tx.record(Change {
                action: "create",
                entity: "role",
                entity_id: (*key).to_owned(),
                region_path: None,
                org_id: None,
                before: None,
                after: Some(serde_json::json!({"key": key, "name": name, "permissions": perms})),
            });
            tx.commit().await?;
        }
        Ok(())
    }

    pub async fn list_roles(&self) -> StoreResult<Vec<Role>> {
        let mut q = Query::select();
        q.columns([
            ("roles", "role_key"),
            ("roles", "name"),
            ("roles", "builtin"),
        ])
        .column(("role_permissions", "permission"))
        .from("roles")
        .left_join(
            "role_permissions",
            Expr::col(("role_permissions", "role_id")).equals(("roles", "id")),
        )
        .order_by(("roles", "role_key"), Order::Asc);
        let mut out: Vec<Role> = Vec::new();
        for r in sql::fetch_all(&self.db, &q).await? {
            let key: String = get(&r, "role_key")?;
            let perm: Option<String> = get(&r, "permission")?;
            if out.last().is_none_or(|l| l.key != key) {
                out.push(Role {
                    key: key.clone(),
                    name: get(&r, "name")?,
                    builtin: get(&r, "builtin")?,
                    permissions: Vec::new(),
                });
            }
            if let (Some(p), Some(last)) = (perm, out.last_mut()) {
                last.permissions.push(p);
            }
        }
        Ok(out)
    }

    /// How many accounts exist (first-start detection).
    pub async fn count_users(&self) -> StoreResult<u64> {
        let mut q = Query::select();
        q.from(T);
        sql::count(&self.db, &q).await
    }

    pub async fn create_user(&self, caller: &Caller, u: &NewUser) -> StoreResult<User> {
        let username = validate_username(&u.username)?;
        if u.display_name.trim().is_empty() {
            return Err(
                Invalid::one("display_name", "display_name.required", "姓名不能为空").into(),
            );
        }
        let path = region_path(u.region)?;
        let mut tx = self.write(caller).await?;
        let scope_kind = u.scope_kind.as_str();
        match scope_kind {
            "all" if caller.scope != DataScope::All => {
                return Err(StoreError::Forbidden(
                    "只有全局管理员可以创建全局账号".into(),
                ));
            }
            "all" | "region" | "self" => {
                if u.org_id.is_some() {
                    return Err(Invalid::one(
                        "org_id",
                        "org_id.not_allowed",
                        "只有单位账号可以指定所属单位",
                    )
                    .into());
                }
            }
            "organization" => {
                let org_id = u.org_id.ok_or_else(|| {
                    Invalid::one("org_id", "org_id.required", "单位账号必须指定所属单位")
                })?;
                let org = get_org(tx.conn(), &caller.scope, org_id)
                    .await
                    .map_err(|e| match e {
                        StoreError::NotFound => StoreError::Invalid(Invalid::one(
                            "org_id",
                            "org_id.unknown",
                            "所属单位不存在或不在您的管辖范围内",
                        )),
                        e => e,
                    })?;
                if org.region_path != path {
                    return Err(Invalid::one(
                        "region",
                        "region.mismatch",
                        "单位账号的行政区划应与所属单位一致",
                    )
                    .into());
                }
            }
            other => {
                return Err(Invalid::one(
                    "scope_kind",
                    "scope_kind.unknown",
                    format!("数据范围“{other}”无效，可选 all/region/organization/self"),
                )
                .into());
            }
        }
        if !may_manage(&caller.scope, scope_kind, &path, u.org_id, None) {
            return Err(StoreError::Forbidden(
                "新账号的数据范围超出了您的管辖范围".into(),
            ));
        }
        let mut q = Query::select();
        q.column("id")
            .from(T)
            .and_where(Expr::col("username").eq(username.clone()));
        if sql::fetch_one(tx.conn(), &q).await?.is_some() {
            return Err(StoreError::Conflict(FieldError::new(
                "username",
                "username.duplicate",
                format!("用户名“{username}”已存在"),
            )));
        }
        let id = tx.new_id().await?;
        let now = now_ms();
        let mut ins = Query::insert();
        ins.into_table(T)
            .columns([
                "id",
                "username",
                "display_name",
                "password_hash",
                "scope_kind",
                "region_code",
                "region_path",
                "org_id",
                "status",
                "failed_logins",
                "must_change_password",
                "created_at",
                "updated_at",
                "created_by",
                "password_changed_at",
            ])
            .values([
                id.into(),
                username.into(),
                u.display_name.trim().to_owned().into(),
                u.password_hash.clone().into(),
                scope_kind.into(),
                u.region.to_string().into(),
                path.clone().into(),
                u.org_id.into(),
                "active".into(),
                0i64.into(),
                u.must_change_password.into(),
                now.into(),
                now.into(),
                caller.user_id.into(),
                now.into(),
            ])
            .map_err(StoreError::corrupt)?;
        tx.conn().execute(&ins).await?;
        set_roles(tx.conn(), id, &u.roles).await?;
        let after = get_user(tx.conn(), &DataScope::All, id).await?;
        tx.record(Change {
            action: "create",
            entity: "user",
            entity_id: id.to_string(),
            region_path: Some(path),
            org_id: u.org_id,
            before: None,
            after: Some(user_json(&after)),
        });
        tx.commit().await?;
        Ok(after)
    }

    pub async fn list_users(
        &self,
        scope: &DataScope,
        f: &UserFilter,
        page: PageRequest,
    ) -> StoreResult<Page<User>> {
        let mut q = select();
        q.cond_where(sql::scope_condition(scope, COLS));
        if let Some(t) = f.q.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            q.cond_where(
                sea_orm::sea_query::Cond::any()
                    .add(Expr::col((T, "username")).like(contains(t)))
                    .add(Expr::col((T, "display_name")).like(contains(t))),
            );
        }
        if let Some(s) = f.status.as_deref().filter(|s| !s.is_empty()) {
            q.and_where(Expr::col((T, "status")).eq(s));
        }
        match f.attention.as_deref() {
            Some("locked") => {
                q.and_where(Expr::col((T, "locked_until")).gt(now_ms()));
            }
            Some("must_change") => {
                let mut c = sea_orm::sea_query::Cond::any()
                    .add(Expr::col((T, "must_change_password")).eq(true));
                if let Some(t) = f.expired_before {
                    c = c.add(Expr::col((T, "password_changed_at")).lt(t));
                }
                q.cond_where(c);
                q.and_where(Expr::col((T, "status")).eq("active"));
            }
            Some("never") => {
                q.and_where(Expr::col((T, "last_login_at")).is_null());
                q.and_where(Expr::col((T, "status")).eq("active"));
            }
            _ => {}
        }
        q.order_by((T, "created_at"), Order::Asc)
            .order_by((T, "id"), Order::Asc);
        let mut page = self.paged(q, page, user_from_row).await?;
        load_roles(&self.db, &mut page.items).await?;
        Ok(page)
    }

    pub async fn get_user(&self, scope: &DataScope, id: i64) -> StoreResult<User> {
        get_user(&self.db, scope, id).await
    }

    /// Enable/disable an account and replace its roles.
    pub async fn update_user(
        &self,
        caller: &Caller,
        id: i64,
        display_name: &str,
        status: &str,
        roles: &[String],
    ) -> StoreResult<User> {
        if !matches!(status, "active" | "disabled") {
            return Err(Invalid::one(
                "status",
                "status.unknown",
                "状态应为 active（正常）或 disabled（停用）",
            )
            .into());
        }
        if caller.user_id == Some(id) && status == "disabled" {
            return Err(Invalid::one("status", "status.self_disable", "不能停用自己的账号").into());
        }
        let mut tx = self.write(caller).await?;
        let before = get_user(tx.conn(), &caller.scope, id).await?;
        if !may_manage(
            &caller.scope,
            &before.scope_kind,
            &before.region_path,
            before.org_id,
            Some(before.id),
        ) {
            return Err(StoreError::Forbidden(
                "无权管理数据范围大于自己的账号".into(),
            ));
        }
        let mut up = Query::update();
        up.table(T)
            .value("display_name", display_name.trim().to_owned())
            .value("status", status.to_owned())
            .value("updated_at", now_ms())
            .value("updated_by", caller.user_id)
            .and_where(Expr::col("id").eq(id));
        tx.conn().execute(&up).await?;
        set_roles(tx.conn(), id, roles).await?;
        if status == "disabled" {
            let mut del = Query::delete();
            del.from_table("sessions")
                .and_where(Expr::col("user_id").eq(id));
            tx.conn().execute(&del).await?;
        }
        let after = get_user(tx.conn(), &DataScope::All, id).await?;
        tx.record(Change {
            action: "update",
            entity: "user",
            entity_id: id.to_string(),
            region_path: Some(after.region_path.clone()),
            org_id: after.org_id,
            before: Some(user_json(&before)),
            after: Some(user_json(&after)),
        });
        tx.commit().await?;
        Ok(after)
    }

    /// Set a new password hash (own change or an administrator's reset). Ends other sessions
    /// and clears any lockout.
    pub async fn set_password(
        &self,
        caller: &Caller,
        id: i64,
        password_hash: &str,
        must_change: bool,
    ) -> StoreResult<()> {
        let mut tx = self.write(caller).await?;
        let before = get_user(tx.conn(), &caller.scope, id).await?;
        if !may_manage(
            &caller.scope,
            &before.scope_kind,
            &before.region_path,
            before.org_id,
            Some(before.id),
        ) {
            return Err(StoreError::Forbidden(
                "无权管理数据范围大于自己的账号".into(),
            ));
        }
        // The password being replaced joins the history (reuse is refused by the server).
        let mut old = Query::select();
        old.column("password_hash")
            .from(T)
            .and_where(Expr::col("id").eq(id));
        if let Some(r) = sql::fetch_one(tx.conn(), &old).await? {
            let old_hash: String = get(&r, "password_hash")?;
            let mut ins = Query::insert();
            ins.into_table("password_history")
                .columns(["user_id", "password_hash", "changed_at"])
                .values([id.into(), old_hash.into(), now_ms().into()])
                .map_err(StoreError::corrupt)?;
            tx.conn().execute(&ins).await?;
        }
        let mut up = Query::update();
        up.table(T)
            .value("password_hash", password_hash.to_owned())
            .value("password_changed_at", now_ms())
            .value("must_change_password", must_change)
            .value("failed_logins", 0i64)
            .value("locked_until", Option::<i64>::None)
            .value("updated_at", now_ms())
            .value("updated_by", caller.user_id)
            .and_where(Expr::col("id").eq(id));
        tx.conn().execute(&up).await?;
        let mut del = Query::delete();
        del.from_table("sessions")
            .and_where(Expr::col("user_id").eq(id));
        tx.conn().execute(&del).await?;
        tx.record(password_change(&before, must_change));
        tx.commit().await
    }

    /// Make accounts change their password at their next sign-in (a password shared by the
    /// demo accounts, a suspected leak), in one audited write.
    pub async fn require_password_change(&self, caller: &Caller, ids: &[i64]) -> StoreResult<()> {
        let mut tx = self.write(caller).await?;
        for &id in ids {
            let before = get_user(tx.conn(), &caller.scope, id).await?;
            let mut up = Query::update();
            up.table(T)
                .value("must_change_password", true)
                .value("updated_at", now_ms())
                .value("updated_by", caller.user_id)
                .and_where(Expr::col("id").eq(id));
            tx.conn().execute(&up).await?;
            tx.record(password_change(&before, true));
        }
        tx.commit().await
    }

    /// The account's previous password hashes, newest first (at most `n`).
    pub async fn password_history(&self, user_id: i64, n: u64) -> StoreResult<Vec<String>> {
        let mut q = Query::select();
        q.column("password_hash")
            .from("password_history")
            .and_where(Expr::col("user_id").eq(user_id))
            .order_by("changed_at", Order::Desc)
            .limit(n);
        sql::fetch_all(&self.db, &q)
            .await?
            .iter()
            .map(|r| get(r, "password_hash"))
            .collect()
    }

    /// Authentication lookup. This is the one read that runs before a caller has a scope:
    /// it returns only what the password check and lockout need.
    pub async fn login_record(&self, username: &str) -> StoreResult<Option<LoginRecord>> {
        let mut q = select();
        q.and_where(Expr::col((T, "username")).eq(username.trim()));
        let Some(r) = sql::fetch_one(&self.db, &q).await? else {
            return Ok(None);
        };
        Ok(Some(LoginRecord {
            id: get(&r, "id")?,
            username: get(&r, "username")?,
            password_hash: get(&r, "password_hash")?,
            status: get(&r, "status")?,
            failed_logins: get(&r, "failed_logins")?,
            locked_until: get(&r, "locked_until")?,
            region_path: get(&r, "region_path")?,
        }))
    }

    /// A login refused without checking the password (the account is locked or disabled, or
    /// the name is unknown: `rec` is then `None`), recorded with the client address so the
    /// attempts during a lock are counted in the audit log.
    pub async fn record_refused_login(
        &self,
        username: &str,
        rec: Option<&LoginRecord>,
        reason: &str,
        address: Option<String>,
    ) -> StoreResult<()> {
        let caller = Caller {
            user_id: rec.map(|r| r.id),
            username: username.chars().take(64).collect(),
            scope: match rec {
                Some(r) => DataScope::SelfOnly { user_id: r.id },
                None => DataScope::All,
            },
            address: address.clone(),
        };
        let mut tx = self.write(&caller).await?;
        tx.record(Change {
            action: "login_refused",
            entity: "user",
            entity_id: rec.map(|r| r.id.to_string()).unwrap_or_default(),
            region_path: rec.map(|r| r.region_path.clone()),
            org_id: None,
            before: None,
            after: Some(serde_json::json!({"reason": reason, "address": address})),
        });
        tx.commit().await?;
        Ok(())
    }

    /// Count a failed login; lock the account for `lock_ms` once `max_failures` is reached.
    /// Returns the lock expiry if the account is now locked.
    pub async fn record_login_failure(
        &self,
        rec: &LoginRecord,
        max_failures: i64,
        lock_ms: i64,
        address: Option<String>,
    ) -> StoreResult<Option<i64>> {
        let caller = Caller {
            user_id: Some(rec.id),
            username: rec.username.clone(),
            scope: DataScope::SelfOnly { user_id: rec.id },
            address,
        };
        let mut tx = self.write(&caller).await?;
        // Count inside the write lock, so parallel guesses cannot overwrite each other's count.
        let mut up = Query::update();
        up.table(T)
            .value("failed_logins", Expr::col("failed_logins").add(1))
            .and_where(Expr::col("id").eq(rec.id));
        tx.conn().execute(&up).await?;
        let mut q = Query::select();
        q.column("failed_logins")
            .from(T)
            .and_where(Expr::col("id").eq(rec.id));
        let row = sql::fetch_one(tx.conn(), &q)
            .await?
            .ok_or(StoreError::NotFound)?;
        let failures: i64 = get(&row, "failed_logins")?;
        let locked = (failures >= max_failures).then(|| now_ms() + lock_ms);
        if locked.is_some() {
            let mut up = Query::update();
            up.table(T)
                .value("failed_logins", 0i64)
                .value("locked_until", locked)
                .and_where(Expr::col("id").eq(rec.id));
            tx.conn().execute(&up).await?;
        }
        tx.record(Change {
            action: if locked.is_some() {
                "login_locked"
            } else {
                "login_failed"
            },
            entity: "user",
            entity_id: rec.id.to_string(),
            region_path: Some(rec.region_path.clone()),
            org_id: None,
            before: None,
            after: Some(serde_json::json!({"failed_logins": failures, "locked_until": locked})),
        });
        tx.commit().await?;
        Ok(locked)
    }

    /// A successful login: reset counters, open a session. Refused with `Forbidden` if the
    /// account was locked or disabled meanwhile (checked inside the write lock).
    pub async fn open_session(
        &self,
        rec: &LoginRecord,
        token_hash: &str,
        csrf: &str,
        ttl_ms: i64,
        address: Option<String>,
    ) -> StoreResult<()> {
        let caller = Caller {
            user_id: Some(rec.id),
            username: rec.username.clone(),
            scope: DataScope::SelfOnly { user_id: rec.id },
            address,
        };
        let mut tx = self.write(&caller).await?;
        let now = now_ms();
        let mut q = Query::select();
        q.columns(["locked_until", "status"])
            .from(T)
            .and_where(Expr::col("id").eq(rec.id));
        let row = sql::fetch_one(tx.conn(), &q)
            .await?
            .ok_or(StoreError::NotFound)?;
        let locked: Option<i64> = get(&row, "locked_until")?;
        let status: String = get(&row, "status")?;
        if locked.is_some_and(|t| t > now) || status != "active" {
            return Err(StoreError::Forbidden("账号已锁定或停用".into()));
        }
        let mut up = Query::update();
        up.table(T)
            .value("failed_logins", 0i64)
            .value("locked_until", Option::<i64>::None)
            .value("last_login_at", now)
            .and_where(Expr::col("id").eq(rec.id));
        tx.conn().execute(&up).await?;
        let mut ins = Query::insert();
        ins.into_table("sessions")
            .columns([
                "token_hash",
                "user_id",
                "csrf_token",
                "created_at",
                "last_seen_at",
                "expires_at",
            ])
            .values([
                token_hash.to_owned().into(),
                rec.id.into(),
                csrf.to_owned().into(),
                now.into(),
                now.into(),
                (now + ttl_ms).into(),
            ])
            .map_err(StoreError::corrupt)?;
        tx.conn().execute(&ins).await?;
        tx.record(Change {
            action: "login",
            entity: "user",
            entity_id: rec.id.to_string(),
            region_path: Some(rec.region_path.clone()),
            org_id: None,
            before: None,
            after: None,
        });
        tx.commit().await
    }

    /// Resolve a session token hash to its user and CSRF token, sliding the idle expiry.
    /// Expired sessions and disabled users resolve to `None`.
    /// A session also ends `max_age_ms` after it began, however active (等保: 会话绝对时限).
    pub async fn session_user(
        &self,
        token_hash: &str,
        ttl_ms: i64,
        max_age_ms: i64,
    ) -> StoreResult<Option<(User, String)>> {
        let now = now_ms();
        let mut q = Query::select();
        q.columns([
            "user_id",
            "csrf_token",
            "expires_at",
            "last_seen_at",
            "created_at",
        ])
        .from("sessions")
        .and_where(Expr::col("token_hash").eq(token_hash));
        let Some(r) = sql::fetch_one(&self.db, &q).await? else {
            return Ok(None);
        };
        let expires: i64 = get(&r, "expires_at")?;
        let last_seen: i64 = get(&r, "last_seen_at")?;
        let created: i64 = get(&r, "created_at")?;
        if expires <= now || now - created >= max_age_ms {
            let mut del = Query::delete();
            del.from_table("sessions")
                .and_where(Expr::col("token_hash").eq(token_hash));
            self.db.execute(&del).await?;
            return Ok(None);
        }
        let user_id: i64 = get(&r, "user_id")?;
        let csrf: String = get(&r, "csrf_token")?;
        let user = match get_user(&self.db, &DataScope::All, user_id).await {
            Ok(u) if u.status == "active" => u,
            Ok(_) | Err(StoreError::NotFound) => return Ok(None),
            Err(e) => return Err(e),
        };
        // Session bookkeeping is not a record change; it is not audited, and it is throttled.
        if now - last_seen > 60_000 {
            let mut up = Query::update();
            up.table("sessions")
                .value("last_seen_at", now)
                .value(
                    "expires_at",
                    std::cmp::min(now + ttl_ms, created + max_age_ms),
                )
                .and_where(Expr::col("token_hash").eq(token_hash));
            self.db.execute(&up).await?;
        }
        Ok(Some((user, csrf)))
    }

    pub async fn close_session(&self, user: &User, token_hash: &str) -> StoreResult<()> {
        let mut tx = self.write(&user.caller()).await?;
        let mut del = Query::delete();
        del.from_table("sessions")
            .and_where(Expr::col("token_hash").eq(token_hash));
        tx.conn().execute(&del).await?;
        tx.record(Change {
            action: "logout",
            entity: "user",
            entity_id: user.id.to_string(),
            region_path: Some(user.region_path.clone()),
            org_id: user.org_id,
            before: None,
            after: None,
        });
        tx.commit().await
    }

    /// Unscoped lookup by username for the operator's CLI (`kechuang admin`).
    pub async fn user_by_username(&self, scope: &DataScope, username: &str) -> StoreResult<User> {
        let mut q = select();
        q.cond_where(sql::scope_condition(scope, COLS))
            .and_where(Expr::col((T, "username")).eq(username.trim()));
        let row = sql::fetch_one(&self.db, &q)
            .await?
            .ok_or(StoreError::NotFound)?;
        let mut u = [user_from_row(&row)?];
        load_roles(&self.db, &mut u).await?;
        let [u] = u;
        Ok(u)
    }
}

async fn set_roles<C: ConnectionTrait>(c: &C, user_id: i64, roles: &[String]) -> StoreResult<()> {
    let mut del = Query::delete();
    del.from_table("user_roles")
        .and_where(Expr::col("user_id").eq(user_id));
    c.execute(&del).await?;
    for key in roles {
        let mut q = Query::select();
        q.column("id")
            .from("roles")
            .and_where(Expr::col("role_key").eq(key.as_str()));
        let Some(r) = sql::fetch_one(c, &q).await? else {
            return Err(Invalid::one("roles", "role.unknown", format!("角色“{key}”不存在")).into());
        };
        let role_id: i64 = get(&r, "id")?;
        let mut ins = Query::insert();
        ins.into_table("user_roles")
            .columns(["user_id", "role_id"])
            .values([user_id.into(), role_id.into()])
            .map_err(StoreError::corrupt)?;
        c.execute(&ins).await?;
    }
    Ok(())
}
