//! 创新平台 registry. A platform's region is its host organization's.

use crate::audit::Change;
use crate::error::{StoreError, StoreResult};
use crate::orgs::get_org;
use crate::sql::{self, ScopeColumns, contains, get, now_ms};
use crate::{Caller, DataScope, Page, PageRequest, SortOrder, Store};
use kechuang_domain::RegionCode;
use kechuang_domain::platform::{NewPlatform, PlatformLevel, PlatformStatus, PlatformType};
use kechuang_domain::scope::RecordKeys;
use sea_orm::sea_query::{Expr, ExprTrait, Order, Query, SelectStatement};
use sea_orm::{ConnectionTrait, QueryResult};
use serde::{Deserialize, Serialize};

const T: &str = "platforms";
pub(crate) const COLS: ScopeColumns = ScopeColumns {
    table: T,
    region_path: Some("region_path"),
    org: Some("host_org_id"),
    owner: None,
};

/// A stored platform.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Platform {
    pub id: i64,
    /// 平台名称
    pub name: String,
    pub platform_type: String,
    /// 平台类型 (中文)
    pub platform_type_label: String,
    pub level: String,
    /// 平台级别 (中文)
    pub level_label: String,
    /// 依托单位
    pub host_org_id: i64,
    pub host_org_name: String,
    pub region_code: String,
    /// 认定日期
    pub recognized_on: Option<String>,
    /// 批准文号
    pub approval_document: Option<String>,
    pub status: String,
    pub status_label: String,
    #[serde(skip)]
    pub region_path: String,
    pub updated_at: i64,
}

fn select() -> SelectStatement {
    let mut q = Query::select();
    q.columns(
        [
            "id",
            "name",
            "platform_type",
            "level",
            "host_org_id",
            "region_code",
            "recognized_on",
            "approval_document",
            "status",
            "region_path",
            "updated_at",
        ]
        .map(|c| (T, c)),
    )
    .expr_as(Expr::col(("organizations", "name")), "host_org_name")
    .from(T)
    .inner_join(
        "organizations",
        Expr::col(("organizations", "id")).equals((T, "host_org_id")),
    );
    q
}

fn from_row(r: &QueryResult) -> StoreResult<Platform> {
    let t: String = get(r, "platform_type")?;
    let l: String = get(r, "level")?;
    let s: String = get(r, "status")?;
    Ok(Platform {
        id: get(r, "id")?,
        name: get(r, "name")?,
        platform_type_label: PlatformType::parse(&t)
            .map(|x| x.label().to_owned())
            .unwrap_or_default(),
        platform_type: t,
        level_label: PlatformLevel::parse(&l)
            .map(|x| x.label().to_owned())
            .unwrap_or_default(),
        level: l,
        host_org_id: get(r, "host_org_id")?,
        host_org_name: get(r, "host_org_name")?,
        region_code: get(r, "region_code")?,
        recognized_on: get(r, "recognized_on")?,
        approval_document: get(r, "approval_document")?,
        status_label: PlatformStatus::parse(&s)
            .map(|x| x.label().to_owned())
            .unwrap_or_default(),
        status: s,
        region_path: get(r, "region_path")?,
        updated_at: get(r, "updated_at")?,
    })
}

fn audit_json(p: &Platform) -> serde_json::Value {
    serde_json::to_value(p).unwrap_or_default()
}

/// Filters of the platform list.
#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
pub struct PlatformFilter {
    pub q: Option<String>,
    pub platform_type: Option<String>,
    pub level: Option<String>,
    pub status: Option<String>,
    pub host_org_id: Option<i64>,
    pub region: Option<String>,
    /// Sort column: name | level | recognized_on | updated_at.
    pub sort: Option<String>,
    pub order: Option<SortOrder>,
}

fn apply_filter(q: &mut SelectStatement, f: &PlatformFilter) -> StoreResult<()> {
    if let Some(t) = f.q.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        q.and_where(Expr::col((T, "name")).like(contains(t)));
    }
    if let Some(v) = f.platform_type.as_deref().filter(|s| !s.is_empty()) {
        q.and_where(Expr::col((T, "platform_type")).eq(PlatformType::parse(v)?.as_str()));
    }
    if let Some(v) = f.level.as_deref().filter(|s| !s.is_empty()) {
        q.and_where(Expr::col((T, "level")).eq(PlatformLevel::parse(v)?.as_str()));
    }
    if let Some(v) = f.status.as_deref().filter(|s| !s.is_empty()) {
        q.and_where(Expr::col((T, "status")).eq(PlatformStatus::parse(v)?.as_str()));
    }
    if let Some(id) = f.host_org_id {
        q.and_where(Expr::col((T, "host_org_id")).eq(id));
    }
    if let Some(r) = f.region.as_deref().filter(|s| !s.is_empty()) {
        let path = crate::orgs::region_path(RegionCode::parse_known(r)?)?;
        q.cond_where(sql::region_match((T, "region_path"), &path));
    }
    let col = match f.sort.as_deref().unwrap_or("updated_at") {
        "name" => "name",
        "level" => "level",
        "recognized_on" => "recognized_on",
        "updated_at" | "" => "updated_at",
        other => {
            return Err(StoreError::Invalid(kechuang_domain::Invalid::one(
                "sort",
                "sort.unknown",
                format!("不支持按“{other}”排序"),
            )));
        }
    };
    q.order_by((T, col), f.order.unwrap_or(SortOrder::Desc).into())
        .order_by((T, "id"), Order::Asc);
    Ok(())
}

fn values(p: &NewPlatform, region_code: &str, path: &str) -> Vec<(&'static str, Expr)> {
    vec![
        ("name", p.name.clone().into()),
        ("platform_type", p.platform_type.as_str().into()),
        ("level", p.level.as_str().into()),
        ("host_org_id", p.host_org_id.into()),
        ("region_code", region_code.to_owned().into()),
        ("region_path", path.to_owned().into()),
        ("recognized_on", sql::date_text(p.recognized_on).into()),
        ("approval_document", p.approval_document.clone().into()),
        ("status", p.status.as_str().into()),
    ]
}

impl Store {
    pub async fn list_platforms(
        &self,
        scope: &DataScope,
        f: &PlatformFilter,
        page: PageRequest,
    ) -> StoreResult<Page<Platform>> {
        let mut q = select();
        q.cond_where(sql::scope_condition(scope, COLS));
        apply_filter(&mut q, f)?;
        sql::paged(&self.db, q, page, from_row).await
    }

    pub async fn export_platforms(
        &self,
        scope: &DataScope,
        f: &PlatformFilter,
        limit: u64,
    ) -> StoreResult<Vec<Platform>> {
        let mut q = select();
        q.cond_where(sql::scope_condition(scope, COLS));
        apply_filter(&mut q, f)?;
        q.limit(limit);
        sql::fetch_all(&self.db, &q)
            .await?
            .iter()
            .map(from_row)
            .collect()
    }

    pub async fn get_platform(&self, scope: &DataScope, id: i64) -> StoreResult<Platform> {
        get_platform(&self.db, scope, id).await
    }

    pub async fn create_platform(&self, caller: &Caller, p: &NewPlatform) -> StoreResult<Platform> {
        let mut tx = self.write(caller).await?;
        // The host must be visible to the caller; the platform inherits its region.
        let host = get_org(tx.conn(), &caller.scope, p.host_org_id)
            .await
            .map_err(|e| match e {
                StoreError::NotFound => StoreError::Invalid(kechuang_domain::Invalid::one(
                    "host_org_id",
                    "host_org_id.unknown",
                    "依托单位不存在或不在您的管辖范围内",
                )),
                e => e,
            })?;
        if !caller.scope.admits(RecordKeys {
            region_path: Some(&host.region_path),
            org_id: Some(host.id),
            owner_user_id: None,
        }) {
            return Err(StoreError::Forbidden("依托单位不在管辖范围内".into()));
        }
        let id = tx.new_id();
        let now = now_ms();
        let vals = values(p, &host.region_code, &host.region_path);
        let mut ins = Query::insert();
        ins.into_table(T)
            .columns(vals.iter().map(|(c, _)| *c).chain([
                "id",
                "created_at",
                "updated_at",
                "created_by",
            ]))
            .values(vals.into_iter().map(|(_, v)| v).chain([
                id.into(),
                now.into(),
                now.into(),
                caller.user_id.into(),
            ]))
            .map_err(StoreError::corrupt)?;
        tx.conn().execute(&ins).await?;
        let after = get_platform(tx.conn(), &DataScope::All, id).await?;
        tx.record(Change {
            action: "create",
            entity: "platform",
            entity_id: id.to_string(),
            region_path: Some(host.region_path.clone()),
            org_id: Some(host.id),
            before: None,
            after: Some(audit_json(&after)),
        });
        tx.commit().await?;
        Ok(after)
    }

    pub async fn update_platform(
        &self,
        caller: &Caller,
        id: i64,
        p: &NewPlatform,
    ) -> StoreResult<Platform> {
        let mut tx = self.write(caller).await?;
        let before = get_platform(tx.conn(), &caller.scope, id).await?;
        let host = get_org(tx.conn(), &caller.scope, p.host_org_id)
            .await
            .map_err(|e| match e {
                StoreError::NotFound => StoreError::Invalid(kechuang_domain::Invalid::one(
                    "host_org_id",
                    "host_org_id.unknown",
                    "依托单位不存在或不在您的管辖范围内",
                )),
                e => e,
            })?;
        let mut up = Query::update();
        up.table(T);
        for (c, v) in values(p, &host.region_code, &host.region_path) {
            up.value(c, v);
        }
        up.value("updated_at", now_ms())
            .value("updated_by", caller.user_id)
            .and_where(Expr::col("id").eq(id));
        tx.conn().execute(&up).await?;
        let after = get_platform(tx.conn(), &DataScope::All, id).await?;
        tx.record(Change {
            action: "update",
            entity: "platform",
            entity_id: id.to_string(),
            region_path: Some(host.region_path.clone()),
            org_id: Some(host.id),
            before: Some(audit_json(&before)),
            after: Some(audit_json(&after)),
        });
        tx.commit().await?;
        Ok(after)
    }

    pub async fn delete_platform(&self, caller: &Caller, id: i64) -> StoreResult<()> {
        let mut tx = self.write(caller).await?;
        let before = get_platform(tx.conn(), &caller.scope, id).await?;
        let mut del = Query::delete();
        del.from_table(T).and_where(Expr::col("id").eq(id));
        tx.conn().execute(&del).await?;
        tx.record(Change {
            action: "delete",
            entity: "platform",
            entity_id: id.to_string(),
            region_path: Some(before.region_path.clone()),
            org_id: Some(before.host_org_id),
            before: Some(audit_json(&before)),
            after: None,
        });
        tx.commit().await
    }
}

async fn get_platform<C: ConnectionTrait>(
    c: &C,
    scope: &DataScope,
    id: i64,
) -> StoreResult<Platform> {
    let mut q = select();
    q.cond_where(sql::scope_condition(scope, COLS))
        .and_where(Expr::col((T, "id")).eq(id));
    let row = sql::fetch_one(c, &q).await?.ok_or(StoreError::NotFound)?;
    from_row(&row)
}
