//! 孵化载体 (科技企业孵化器, 众创空间, 星创天地, 大学科技园) and their 在孵企业.
//!
//! An incubatee is filed in its carrier's region, under the carrier's operator (the host
//! organization); it must be registered inside that region and may be counted by one carrier
//! at a time (a partial unique index backs the check). Entry age and the incubation period
//! come from the `incubator-national` pack, handed in by the server.

use crate::error::StoreResult;
use crate::funds::{invalid, refuse};
use crate::orgs::Organization;
use crate::platforms::{Platform, PlatformFilter};
use crate::record::{ListFilter, Stamps, Values};
use crate::sql::{self, ScopeColumns, contains, get};
use crate::{Caller, DataScope, Page, PageRequest, Store};
use chrono::NaiveDate;
use kechuang_domain::platform::PlatformType;
use kechuang_domain::platform_life::{Criterion, IncubateeStatus, Leave, NewIncubatee, is_carrier};
use kechuang_domain::scope::RecordKeys;
use sea_orm::sea_query::{Expr, ExprTrait, Order, Query, SelectStatement};
use sea_orm::{ConnectionTrait, QueryResult};
use serde::{Deserialize, Serialize};

const T: &str = "incubatees";

pub(crate) const INCUBATEE_KIND: crate::record::RecordKind = crate::record::RecordKind::own(
    ScopeColumns {
        table: T,
        region_path: Some("region_path"),
        org: Some("host_org_id"),
        owner: None,
    },
    "incubatee",
    Stamps::ALL,
);

#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Incubatee {
    pub id: i64,
    pub carrier_id: i64,
    pub carrier_name: String,
    pub carrier_type_label: String,
    pub org_id: i64,
    pub org_name: String,
    pub credit_code: String,
    pub founded_on: Option<String>,
    pub entered_on: String,
    /// 孵化期限（月）
    pub months_limit: i64,
    /// 孵化期满日
    pub due_on: String,
    /// 已孵化月数 (to today, or to the day it left)
    pub months_in: i64,
    /// 在孵且超过孵化期限
    pub overdue: bool,
    pub status: String,
    pub status_label: String,
    pub left_on: Option<String>,
    pub criterion: Option<String>,
    pub criterion_label: Option<String>,
    pub note: String,
    #[serde(skip)]
    pub host_org_id: i64,
    #[serde(skip)]
    pub region_path: String,
    pub updated_at: i64,
}

fn select() -> SelectStatement {
    let mut q = Query::select();
    q.columns(
        [
            "id",
            "carrier_id",
            "org_id",
            "host_org_id",
            "region_path",
            "entered_on",
            "founded_on",
            "months_limit",
            "status",
            "left_on",
            "criterion",
            "note",
            "updated_at",
        ]
        .map(|c| (T, c)),
    )
    .expr_as(Expr::col(("platforms", "name")), "carrier_name")
    .expr_as(Expr::col(("platforms", "platform_type")), "carrier_type")
    .expr_as(Expr::col(("organizations", "name")), "org_name")
    .expr_as(Expr::col(("organizations", "credit_code")), "credit_code")
    .from(T)
    .inner_join(
        "platforms",
        Expr::col(("platforms", "id")).equals((T, "carrier_id")),
    )
    .inner_join(
        "organizations",
        Expr::col(("organizations", "id")).equals((T, "org_id")),
    );
    q
}

fn months_between(from: NaiveDate, to: NaiveDate) -> i64 {
    use chrono::Datelike;
    let m =
        i64::from(to.year() - from.year()) * 12 + i64::from(to.month()) - i64::from(from.month());
    std::cmp::max(if to.day() < from.day() { m - 1 } else { m }, 0)
}

fn from_row(r: &QueryResult) -> StoreResult<Incubatee> {
    let entered: String = get(r, "entered_on")?;
    let months_limit: i64 = get(r, "months_limit")?;
    let status: String = get(r, "status")?;
    let left_on: Option<String> = get(r, "left_on")?;
    let criterion: Option<String> = get(r, "criterion")?;
    let t: String = get(r, "carrier_type")?;
    let start = NaiveDate::parse_from_str(&entered, "%Y-%m-%d").unwrap_or_default();
    let due = start
        .checked_add_months(chrono::Months::new(
            u32::try_from(months_limit).unwrap_or(48),
        ))
        .unwrap_or(start);
    let end = left_on
        .as_deref()
        .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
        .unwrap_or_else(|| chrono::Local::now().date_naive());
    let incubating = status == IncubateeStatus::Incubating.as_str();
    Ok(Incubatee {
        id: get(r, "id")?,
        carrier_id: get(r, "carrier_id")?,
        carrier_name: get(r, "carrier_name")?,
        carrier_type_label: PlatformType::parse(&t)
            .map(|x| x.label().to_owned())
            .unwrap_or_default(),
        org_id: get(r, "org_id")?,
        org_name: get(r, "org_name")?,
        credit_code: get(r, "credit_code")?,
        founded_on: get(r, "founded_on")?,
        entered_on: entered,
        months_limit,
        due_on: due.to_string(),
        months_in: months_between(start, end),
        overdue: incubating && end >= due,
        status_label: IncubateeStatus::parse(&status)
            .map(|x| x.label().to_owned())
            .unwrap_or_default(),
        status,
        left_on,
        criterion_label: criterion
            .as_deref()
            .and_then(|c| Criterion::parse(c).ok())
            .map(|c| c.label().to_owned()),
        criterion,
        note: get(r, "note")?,
        host_org_id: get(r, "host_org_id")?,
        region_path: get(r, "region_path")?,
        updated_at: get(r, "updated_at")?,
    })
}

crate::record::impl_record!(Incubatee, INCUBATEE_KIND, select, from_row, |s| {
    RecordKeys::org(&s.region_path, s.host_org_id)
});

#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
pub struct IncubateeFilter {
    pub carrier_id: Option<i64>,
    pub status: Option<String>,
    /// 企业名称
    pub q: Option<String>,
}

impl ListFilter for IncubateeFilter {
    fn apply(&self, q: &mut SelectStatement) -> StoreResult<()> {
        if let Some(id) = self.carrier_id {
            q.and_where(Expr::col((T, "carrier_id")).eq(id));
        }
        if let Some(s) = self.status.as_deref().filter(|s| !s.is_empty()) {
            q.and_where(Expr::col((T, "status")).eq(IncubateeStatus::parse(s)?.as_str()));
        }
        if let Some(t) = self.q.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            q.and_where(Expr::col(("organizations", "name")).like(contains(t)));
        }
        q.order_by((T, "status"), Order::Desc)
            .order_by((T, "entered_on"), Order::Desc)
            .order_by((T, "id"), Order::Asc);
        Ok(())
    }
}

/// A carrier with its incubation counts.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Carrier {
    pub id: i64,
    pub name: String,
    pub platform_type: String,
    pub platform_type_label: String,
    pub level: String,
    pub level_label: String,
    pub host_org_id: i64,
    pub host_org_name: String,
    pub region_code: String,
    pub status: String,
    pub status_label: String,
    pub incubating: i64,
    pub graduated: i64,
    pub exited: i64,
    /// 在孵超期
    pub overdue: i64,
}

/// The pack's limits for an entry: how old an enterprise may be when it enters, and the
/// incubation period.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct EntryLimits {
    pub max_founded_months: i64,
    pub months_limit: i64,
}

/// 在孵 at the end of `year` and 毕业 during it, for a carrier's yearly report.
pub(crate) async fn year_counts<C: ConnectionTrait>(
    db: &C,
    carrier_id: i64,
    year: i32,
) -> StoreResult<(i64, i64)> {
    let end = format!("{year}-12-31");
    let mut q = Query::select();
    q.columns(["entered_on", "status", "left_on"])
        .from(T)
        .and_where(Expr::col("carrier_id").eq(carrier_id));
    let (mut incubating, mut graduated) = (0, 0);
    for r in sql::fetch_all(db, &q).await? {
        let entered: String = get(&r, "entered_on")?;
        let status: String = get(&r, "status")?;
        let left: Option<String> = get(&r, "left_on")?;
        if entered <= end && left.as_deref().is_none_or(|l| l > end.as_str()) {
            incubating += 1;
        }
        if status == IncubateeStatus::Graduated.as_str()
            && left
                .as_deref()
                .is_some_and(|l| l.starts_with(&format!("{year}-")))
        {
            graduated += 1;
        }
    }
    Ok((incubating, graduated))
}

/// 在孵 now and 累计毕业, for the carrier's gap analysis.
pub(crate) async fn live_counts<C: ConnectionTrait>(
    db: &C,
    carrier_id: i64,
) -> StoreResult<(i64, i64)> {
    let mut q = Query::select();
    q.column("status")
        .expr_as(Expr::cust("COUNT(*)"), "n")
        .from(T)
        .and_where(Expr::col("carrier_id").eq(carrier_id))
        .group_by_col("status");
    let (mut incubating, mut graduated) = (0, 0);
    for r in sql::fetch_all(db, &q).await? {
        let s: String = get(&r, "status")?;
        let n: i64 = get(&r, "n")?;
        if s == IncubateeStatus::Incubating.as_str() {
            incubating = n;
        } else if s == IncubateeStatus::Graduated.as_str() {
            graduated = n;
        }
    }
    Ok((incubating, graduated))
}

impl Store {
    pub async fn list_incubatees(
        &self,
        scope: &DataScope,
        f: &IncubateeFilter,
        page: PageRequest,
    ) -> StoreResult<Page<Incubatee>> {
        self.list_records(scope, f, page).await
    }

    /// The carriers in scope with their counts (one query for the page's counts).
    pub async fn list_carriers(
        &self,
        scope: &DataScope,
        f: &PlatformFilter,
        page: PageRequest,
    ) -> StoreResult<Page<Carrier>> {
        let f = PlatformFilter {
            carrier: Some(true),
            ..f.clone()
        };
        let p = self.list_platforms(scope, &f, page).await?;
        let ids: Vec<i64> = p.items.iter().map(|c| c.id).collect();
        let mut counts: std::collections::HashMap<(i64, String), i64> = Default::default();
        let mut overdue: std::collections::HashMap<i64, i64> = Default::default();
        if !ids.is_empty() {
            let mut q = select();
            q.and_where(Expr::col((T, "carrier_id")).is_in(ids));
            for r in sql::fetch_all(&self.db, &q).await? {
                let i = from_row(&r)?;
                *counts.entry((i.carrier_id, i.status.clone())).or_default() += 1;
                if i.overdue {
                    *overdue.entry(i.carrier_id).or_default() += 1;
                }
            }
        }
        let n = |id: i64, s: IncubateeStatus| {
            counts
                .get(&(id, s.as_str().to_owned()))
                .copied()
                .unwrap_or(0)
        };
        Ok(Page {
            total: p.total,
            total_estimated: p.total_estimated,
            page: p.page,
            size: p.size,
            items: p
                .items
                .into_iter()
                .map(|c| Carrier {
                    incubating: n(c.id, IncubateeStatus::Incubating),
                    graduated: n(c.id, IncubateeStatus::Graduated),
                    exited: n(c.id, IncubateeStatus::Exited),
                    overdue: overdue.get(&c.id).copied().unwrap_or(0),
                    id: c.id,
                    name: c.name,
                    platform_type: c.platform_type,
                    platform_type_label: c.platform_type_label,
                    level: c.level,
                    level_label: c.level_label,
                    host_org_id: c.host_org_id,
                    host_org_name: c.host_org_name,
                    region_code: c.region_code,
                    status: c.status,
                    status_label: c.status_label,
                })
                .collect(),
        })
    }

    /// 入孵: the enterprise is registered inside the carrier's region, not incubated elsewhere,
    /// and young enough on the day it enters.
    pub async fn add_incubatee(
        &self,
        caller: &Caller,
        carrier_id: i64,
        i: &NewIncubatee,
        limits: EntryLimits,
    ) -> StoreResult<Incubatee> {
        let mut tx = self.write(caller).await?;
        let carrier: Platform = tx.get(carrier_id).await?;
        if !PlatformType::parse(&carrier.platform_type).is_ok_and(is_carrier) {
            return Err(refuse(
                "carrier_id",
                "carrier.not_carrier",
                format!("{}不是孵化载体，不能登记在孵企业", carrier.name),
            ));
        }
        crate::platform_life::live(&carrier, "platform.revoked", "登记在孵企业")?;
        let org: Organization = crate::record::get_in(tx.conn(), &DataScope::All, i.org_id)
            .await
            .map_err(|_| invalid("org_id", "org.unknown", "企业不存在"))?;
        if !org.region_path.starts_with(&carrier.region_path) {
            return Err(refuse(
                "org_id",
                "incubatee.region",
                format!(
                    "{}注册在{}，不在{}所在地区（{}），不能作为其在孵企业",
                    org.name, org.region_name, carrier.name, carrier.region_name
                ),
            ));
        }
        let mut q = select();
        q.and_where(Expr::col((T, "org_id")).eq(org.id))
            .and_where(Expr::col((T, "status")).eq(IncubateeStatus::Incubating.as_str()));
        if let Some(r) = sql::fetch_one(tx.conn(), &q).await? {
            let other = from_row(&r)?;
            return Err(refuse(
                "org_id",
                "incubatee.duplicate",
                format!(
                    "{}已于{}入驻{}在孵，同一企业不能同时计入两个孵化载体",
                    org.name, other.entered_on, other.carrier_name
                ),
            ));
        }
        if let Some(f) = org
            .founded_on
            .as_deref()
            .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
        {
            if f > i.entered_on {
                return Err(invalid(
                    "entered_on",
                    "entered_on.before_founded",
                    format!("入孵日期早于{}的成立日期{f}", org.name),
                ));
            }
            let age = months_between(f, i.entered_on);
            if age > limits.max_founded_months {
                return Err(refuse(
                    "org_id",
                    "incubatee.too_old",
                    format!(
                        "{}成立于{f}，入孵时已成立{age}个月，超过在孵企业“成立时间不超过{}个月”的条件（国科发区〔2018〕300号）",
                        org.name, limits.max_founded_months
                    ),
                ));
            }
        }
        let vals: Values = vec![
            ("carrier_id", carrier.id.into()),
            ("org_id", org.id.into()),
            ("host_org_id", carrier.host_org_id.into()),
            ("region_path", carrier.region_path.clone().into()),
            ("entered_on", i.entered_on.to_string().into()),
            ("founded_on", org.founded_on.clone().into()),
            ("months_limit", limits.months_limit.into()),
            ("status", IncubateeStatus::Incubating.as_str().into()),
            ("left_on", Option::<String>::None.into()),
            ("criterion", Option::<String>::None.into()),
            ("note", i.note.clone().into()),
        ];
        let after = tx.create(vals).await?;
        tx.commit().await?;
        Ok(after)
    }

    /// 毕业 (with the criterion met) or 退出 (with the reason).
    pub async fn leave_incubatee(
        &self,
        caller: &Caller,
        id: i64,
        l: &Leave,
    ) -> StoreResult<Incubatee> {
        let mut tx = self.write(caller).await?;
        let before: Incubatee = tx.get(id).await?;
        if before.status != IncubateeStatus::Incubating.as_str() {
            return Err(refuse(
                "status",
                "incubatee.left",
                format!("{}{}，不能重复办理", before.org_name, before.status_label),
            ));
        }
        if l.on.to_string() < before.entered_on {
            return Err(invalid("on", "on.before_entry", "日期不能早于入孵日期"));
        }
        let (action, status) = match l.criterion {
            Some(_) => ("graduate", IncubateeStatus::Graduated),
            None => ("exit", IncubateeStatus::Exited),
        };
        let note = if l.reason.is_empty() {
            before.note.clone()
        } else {
            l.reason.clone()
        };
        let after = tx
            .update_as(
                action,
                &before,
                vec![
                    ("status", status.as_str().into()),
                    ("left_on", Some(l.on.to_string()).into()),
                    (
                        "criterion",
                        l.criterion.map(|c| c.as_str().to_owned()).into(),
                    ),
                    ("note", note.into()),
                ],
            )
            .await?;
        tx.commit().await?;
        Ok(after)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_count_whole_months_only() {
        let d = |y, m, dd| NaiveDate::from_ymd_opt(y, m, dd).unwrap_or_default();
        assert_eq!(months_between(d(2023, 1, 15), d(2025, 1, 15)), 24);
        assert_eq!(months_between(d(2023, 1, 15), d(2025, 1, 14)), 23);
        assert_eq!(months_between(d(2025, 3, 1), d(2024, 1, 1)), 0);
    }
}
