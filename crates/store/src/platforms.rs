//! 创新平台 registry. A platform's region is its host organization's.

use crate::audit::WriteTx;
use crate::error::{StoreError, StoreResult};
use crate::orgs::Organization;
use crate::record::{ListFilter, RecordKind, Stamps, Values};
use crate::sql::{self, ScopeColumns, contains, get};
use crate::{Caller, DataScope, Page, PageRequest, SortOrder, Store};
use kechuang_domain::RegionCode;
use kechuang_domain::platform::{NewPlatform, PlatformLevel, PlatformStatus, PlatformType};
use kechuang_domain::scope::RecordKeys;
use sea_orm::QueryResult;
use sea_orm::sea_query::{Expr, ExprTrait, Order, Query, SelectStatement};
use serde::{Deserialize, Serialize};

const T: &str = "platforms";
pub(crate) const COLS: ScopeColumns = ScopeColumns {
    table: T,
    region_path: Some("region_path"),
    org: Some("host_org_id"),
    owner: None,
};
pub(crate) const KIND: RecordKind = RecordKind::own(COLS, "platform", Stamps::ALL);

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
    /// The region's name (GB/T 2260).
    pub region_name: String,
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
        region_name: crate::orgs::region_name(&get::<String>(r, "region_code")?),
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

/// Filters of the platform list.
#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
pub struct PlatformFilter {
    pub q: Option<String>,
    pub platform_type: Option<String>,
    pub level: Option<String>,
    pub status: Option<String>,
    pub host_org_id: Option<i64>,
    pub region: Option<String>,
    /// Only the incubation carriers (孵化器, 众创空间, 星创天地, 大学科技园).
    pub carrier: Option<bool>,
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
    if f.carrier == Some(true) {
        let types: Vec<&str> = PlatformType::ALL
            .iter()
            .filter(|t| kechuang_domain::platform_life::is_carrier(**t))
            .map(|t| t.as_str())
            .collect();
        q.and_where(Expr::col((T, "platform_type")).is_in(types));
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

fn values(p: &NewPlatform, region_code: &str, path: &str) -> Values {
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

crate::record::impl_record!(Platform, KIND, select, from_row, |s| RecordKeys::org(
    &s.region_path,
    s.host_org_id
));

impl ListFilter for PlatformFilter {
    fn apply(&self, q: &mut SelectStatement) -> StoreResult<()> {
        apply_filter(q, self)
    }
}

impl Store {
    pub async fn list_platforms(
        &self,
        scope: &DataScope,
        f: &PlatformFilter,
        page: PageRequest,
    ) -> StoreResult<Page<Platform>> {
        self.list_records(scope, f, page).await
    }

    pub async fn export_platforms(
        &self,
        scope: &DataScope,
        f: &PlatformFilter,
        limit: u64,
    ) -> StoreResult<Vec<Platform>> {
        self.export_records(scope, f, limit).await
    }

    pub async fn get_platform(&self, scope: &DataScope, id: i64) -> StoreResult<Platform> {
        self.get_record(scope, id).await
    }

    pub async fn create_platform(&self, caller: &Caller, p: &NewPlatform) -> StoreResult<Platform> {
        let mut tx = self.write(caller).await?;
        let host = visible_host(&tx, p.host_org_id).await?;
        let after = tx
            .create(values(p, &host.region_code, &host.region_path))
            .await?;
        crate::platform_life::record_initial_recognition(&mut tx, &after).await?;
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
        let before: Platform = tx.get(id).await?;
        let host = visible_host(&tx, p.host_org_id).await?;
        let after = tx
            .update_as(
                "update",
                &before,
                values(p, &host.region_code, &host.region_path),
            )
            .await?;
        tx.commit().await?;
        Ok(after)
    }

    pub async fn delete_platform(&self, caller: &Caller, id: i64) -> StoreResult<()> {
        let mut tx = self.write(caller).await?;
        tx.delete::<Platform>(id).await?;
        tx.commit().await
    }
}

/// The host must be visible to the caller; the platform inherits its region.
async fn visible_host(tx: &WriteTx, id: i64) -> StoreResult<Organization> {
    tx.get::<Organization>(id).await.map_err(|e| match e {
        StoreError::NotFound => StoreError::Invalid(kechuang_domain::Invalid::one(
            "host_org_id",
            "host_org_id.unknown",
            "依托单位不存在或不在您的管辖范围内",
        )),
        e => e,
    })
}
