//! 企业年度数据: enterprise-year figures, one row per enterprise per fiscal year.
//! Columns follow [`kechuang_domain::enterprise_year::FIGURES`]; amounts are stored in fen.

use crate::error::{StoreError, StoreResult};
use crate::orgs::{RowProblem, get_org};
use crate::record::{ListFilter, RecordKind, Stamps, Values};
use crate::sql::{self, ScopeColumns, contains, get};
use crate::{Caller, DataScope, Page, PageRequest, SortOrder, Store};
use kechuang_domain::RegionCode;
use kechuang_domain::enterprise_year::{FIGURES, FigureKind, FigureValue, Figures, validate};
use kechuang_domain::money;
use kechuang_domain::scope::RecordKeys;
use sea_orm::sea_query::{Expr, ExprTrait, Order, Query, SelectStatement};
use sea_orm::{ConnectionTrait, QueryResult};
use serde::{Deserialize, Serialize};

const T: &str = "enterprise_years";
pub(crate) const COLS: ScopeColumns = ScopeColumns {
    table: T,
    region_path: Some("region_path"),
    org: Some("org_id"),
    owner: None,
};
pub(crate) const KIND: RecordKind = RecordKind::own(COLS, "enterprise_year", Stamps::ALL);

/// A stored enterprise-year.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct EnterpriseYear {
    pub id: i64,
    pub org_id: i64,
    /// 单位名称
    pub org_name: String,
    /// 统一社会信用代码
    pub credit_code: String,
    /// 年度
    pub year: i32,
    pub figures: Figures,
    #[serde(skip)]
    pub region_path: String,
    pub updated_at: i64,
}

crate::record::impl_record!(
    EnterpriseYear,
    KIND,
    select,
    from_row,
    |s| RecordKeys::org(&s.region_path, s.org_id),
    audit_json: |s| serde_json::json!({"org_id": s.org_id, "year": s.year, "figures": s.figures})
);

impl ListFilter for YearFilter {
    fn apply(&self, q: &mut SelectStatement) -> StoreResult<()> {
        apply_filter(q, self)
    }
}

fn select() -> SelectStatement {
    let mut q = Query::select();
    q.columns([
        (T, "id"),
        (T, "org_id"),
        (T, "year"),
        (T, "region_path"),
        (T, "updated_at"),
    ])
    .expr_as(Expr::col(("organizations", "name")), "org_name")
    .expr_as(Expr::col(("organizations", "credit_code")), "credit_code")
    .columns(FIGURES.iter().map(|f| (T, f.key)))
    .from(T)
    .inner_join(
        "organizations",
        Expr::col(("organizations", "id")).equals((T, "org_id")),
    );
    q
}

fn from_row(r: &QueryResult) -> StoreResult<EnterpriseYear> {
    let mut figures = Figures::default();
    for spec in FIGURES {
        let v = match spec.kind {
            FigureKind::Count => get::<Option<i64>>(r, spec.key)?.map(FigureValue::Count),
            FigureKind::Amount | FigureKind::SignedAmount => {
                get::<Option<i64>>(r, spec.key)?.map(|f| FigureValue::Amount(money::from_fen(f)))
            }
            FigureKind::Flag => get::<Option<bool>>(r, spec.key)?.map(FigureValue::Flag),
        };
        figures.set(spec.key, v);
    }
    let year: i64 = get(r, "year")?;
    Ok(EnterpriseYear {
        id: get(r, "id")?,
        org_id: get(r, "org_id")?,
        org_name: get(r, "org_name")?,
        credit_code: get(r, "credit_code")?,
        year: year as i32,
        figures,
        region_path: get(r, "region_path")?,
        updated_at: get(r, "updated_at")?,
    })
}

/// The columns that place a new year row: its enterprise, year and region.
fn new_year_keys(org_id: i64, year: i32, path: &str) -> Values {
    vec![
        ("org_id", org_id.into()),
        ("year", i64::from(year).into()),
        ("region_path", path.to_owned().into()),
    ]
}

fn figure_values(f: &Figures) -> StoreResult<Values> {
    FIGURES
        .iter()
        .map(|spec| {
            let e: Expr = match f.get(spec.key) {
                None => match spec.kind {
                    FigureKind::Flag => Option::<bool>::None.into(),
                    _ => Option::<i64>::None.into(),
                },
                Some(FigureValue::Count(n)) => n.into(),
                Some(FigureValue::Amount(d)) => money::to_fen(d)
                    .ok_or_else(|| {
                        StoreError::Invalid(kechuang_domain::Invalid::one(
                            spec.key,
                            "amount.range",
                            format!("{}超出范围", spec.label),
                        ))
                    })?
                    .into(),
                Some(FigureValue::Flag(b)) => b.into(),
            };
            Ok((spec.key, e))
        })
        .collect()
}

/// Filters of the enterprise-year list.
#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
pub struct YearFilter {
    pub org_id: Option<i64>,
    pub year: Option<i32>,
    /// Region code: the region and below.
    pub region: Option<String>,
    /// Organization name or credit code contains.
    pub q: Option<String>,
    /// Sort column: year | org_name | revenue | rd_expense | employees.
    pub sort: Option<String>,
    pub order: Option<SortOrder>,
}

fn apply_filter(q: &mut SelectStatement, f: &YearFilter) -> StoreResult<()> {
    if let Some(id) = f.org_id {
        q.and_where(Expr::col((T, "org_id")).eq(id));
    }
    if let Some(y) = f.year {
        q.and_where(Expr::col((T, "year")).eq(i64::from(y)));
    }
    if let Some(r) = f.region.as_deref().filter(|s| !s.is_empty()) {
        let path = crate::orgs::region_path(RegionCode::parse_known(r)?)?;
        q.cond_where(sql::region_match((T, "region_path"), &path));
    }
    if let Some(t) = f.q.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        q.cond_where(
            sea_orm::sea_query::Cond::any()
                .add(Expr::col(("organizations", "name")).like(contains(t)))
                .add(
                    Expr::col(("organizations", "credit_code"))
                        .like(contains(&t.to_ascii_uppercase())),
                ),
        );
    }
    let col: (&str, &str) = match f.sort.as_deref().unwrap_or("year") {
        "year" | "" => (T, "year"),
        "org_name" => ("organizations", "name"),
        "revenue" => (T, "revenue"),
        "rd_expense" => (T, "rd_expense"),
        "employees" => (T, "employees"),
        other => {
            return Err(StoreError::Invalid(kechuang_domain::Invalid::one(
                "sort",
                "sort.unknown",
                format!("不支持按“{other}”排序"),
            )));
        }
    };
    q.order_by(col, f.order.unwrap_or(SortOrder::Desc).into())
        .order_by((T, "id"), Order::Asc);
    Ok(())
}

/// Which organizations' enterprise-years [`Store::enterprise_years_by_org`] reads.
#[derive(Debug, Clone, Copy)]
pub enum OrgPage<'a> {
    /// These organizations.
    These(&'a [i64]),
    /// The next `limit` organizations (by id) after this id.
    After(i64, u64),
}

/// One row of a figures import: (row number in the file, credit code, year, figures).
pub type YearRow = (usize, String, i32, Figures);

/// Result of a figures import.
#[derive(Debug, Clone, Default, Serialize, utoipa::ToSchema)]
pub struct YearImportSummary {
    pub inserted: u64,
    pub updated: u64,
}

impl Store {
    pub async fn list_enterprise_years(
        &self,
        scope: &DataScope,
        f: &YearFilter,
        page: PageRequest,
    ) -> StoreResult<Page<EnterpriseYear>> {
        self.list_records(scope, f, page).await
    }

    pub async fn export_enterprise_years(
        &self,
        scope: &DataScope,
        f: &YearFilter,
        limit: u64,
    ) -> StoreResult<Vec<EnterpriseYear>> {
        self.export_records(scope, f, limit).await
    }

    /// Enterprise-years of `years` in `scope` and the region subtree `path` (empty: all), for
    /// these organizations if given, else the next `limit` organizations after `after_org`, in
    /// organization order: a registry read in pages of bounded size (运行评价).
    pub async fn enterprise_years_by_org(
        &self,
        scope: &DataScope,
        years: std::ops::RangeInclusive<i32>,
        path: &str,
        orgs: OrgPage<'_>,
    ) -> StoreResult<Vec<EnterpriseYear>> {
        let mut q = select();
        q.cond_where(sql::scope_condition(scope, COLS)).and_where(
            Expr::col((T, "year")).between(i64::from(*years.start()), i64::from(*years.end())),
        );
        if !path.is_empty() {
            q.cond_where(sql::region_match((T, "region_path"), path));
        }
        match orgs {
            OrgPage::These(ids) => {
                q.and_where(Expr::col((T, "org_id")).is_in(ids.iter().copied()));
            }
            OrgPage::After(after, limit) => {
                q.and_where(Expr::col((T, "org_id")).gt(after)).limit(limit);
            }
        }
        q.order_by((T, "org_id"), Order::Asc)
            .order_by((T, "year"), Order::Asc);
        sql::fetch_all(&self.db, &q)
            .await?
            .iter()
            .map(from_row)
            .collect()
    }

    /// How many enterprises have figures for `year` in `scope` and the region subtree `path`.
    pub async fn count_enterprise_years(
        &self,
        scope: &DataScope,
        year: i32,
        path: &str,
    ) -> StoreResult<u64> {
        let mut q = Query::select();
        q.expr_as(Expr::cust("COUNT(*)"), "n")
            .from(T)
            .cond_where(sql::scope_condition(scope, COLS))
            .and_where(Expr::col((T, "year")).eq(i64::from(year)));
        if !path.is_empty() {
            q.cond_where(sql::region_match((T, "region_path"), path));
        }
        let n: i64 = match sql::fetch_one(&self.db, &q).await? {
            Some(r) => get(&r, "n")?,
            None => 0,
        };
        Ok(u64::try_from(n).unwrap_or(0))
    }

    pub async fn get_enterprise_year(
        &self,
        scope: &DataScope,
        id: i64,
    ) -> StoreResult<EnterpriseYear> {
        self.get_record(scope, id).await
    }

    /// Create or replace the figures of one enterprise for one year.
    pub async fn put_enterprise_year(
        &self,
        caller: &Caller,
        org_id: i64,
        year: i32,
        figures: &Figures,
    ) -> StoreResult<EnterpriseYear> {
        validate(year, figures, current_year())?;
        let mut tx = self.write(caller).await?;
        let org = get_org(tx.conn(), &caller.scope, org_id).await?;
        if org.kind != "enterprise" {
            return Err(StoreError::Invalid(kechuang_domain::Invalid::one(
                "org_id",
                "org.not_enterprise",
                "只有企业可以填报企业年度数据",
            )));
        }
        let existing = find_year(tx.conn(), org_id, year).await?;
        let mut vals = figure_values(figures)?;
        let after = match &existing {
            Some(old) => tx.update_as("update", old, vals).await?,
            None => {
                vals.extend(new_year_keys(org_id, year, &org.region_path));
                tx.create(vals).await?
            }
        };
        tx.commit().await?;
        Ok(after)
    }

    pub async fn delete_enterprise_year(&self, caller: &Caller, id: i64) -> StoreResult<()> {
        let mut tx = self.write(caller).await?;
        tx.delete::<EnterpriseYear>(id).await?;
        tx.commit().await
    }

    /// Import enterprise-year rows `(row, credit_code, year, figures)` all-or-nothing: existing
    /// (enterprise, year) rows are replaced, new ones inserted.
    pub async fn import_enterprise_years(
        &self,
        caller: &Caller,
        rows: &[YearRow],
        dry_run: bool,
    ) -> StoreResult<Result<YearImportSummary, Vec<RowProblem>>> {
        let codes: Vec<String> = rows.iter().map(|(_, c, _, _)| c.clone()).collect();
        // Look the enterprises up inside the write transaction, so they cannot move or vanish
        // between the check and the insert.
        let mut tx = self.write(caller).await?;
        let orgs = crate::orgs::org_keys_by_code(tx.conn(), &caller.scope, &codes).await?;
        let mut problems = Vec::new();
        let mut seen = std::collections::HashMap::new();
        let cy = current_year();
        for (row, code, year, f) in rows {
            match orgs.get(code) {
                None => problems.push(RowProblem {
                    row: *row,
                    field: "credit_code".into(),
                    code: "organization.unknown".into(),
                    message: format!(
                        "统一社会信用代码“{code}”未登记或不在您的管辖范围内，请先导入单位"
                    ),
                }),
                Some((_, _, kind)) if kind != "enterprise" => problems.push(RowProblem {
                    row: *row,
                    field: "credit_code".into(),
                    code: "org.not_enterprise".into(),
                    message: format!("“{code}”不是企业，只有企业可以填报企业年度数据"),
                }),
                Some(_) => {}
            }
            if let Some(first) = seen.insert((code.clone(), *year), *row) {
                problems.push(RowProblem {
                    row: *row,
                    field: "year".into(),
                    code: "enterprise_year.duplicate_in_file".into(),
                    message: format!("同一企业同一年度与第{first}行重复"),
                });
            }
            if let Err(e) = validate(*year, f, cy) {
                for fe in e.0 {
                    problems.push(RowProblem {
                        row: *row,
                        field: fe.field,
                        code: fe.code,
                        message: fe.message,
                    });
                }
            }
        }
        if !problems.is_empty() {
            return Ok(Err(problems));
        }
        let mut existing = std::collections::HashMap::new();
        let ids: Vec<i64> = orgs.values().map(|(id, _, _)| *id).collect();
        for chunk in ids.chunks(500) {
            let mut q = select();
            q.and_where(Expr::col((T, "org_id")).is_in(chunk.iter().copied()));
            for r in sql::fetch_all(tx.conn(), &q).await? {
                let y = from_row(&r)?;
                existing.insert((y.org_id, y.year), y);
            }
        }
        let mut summary = YearImportSummary::default();
        let mut inserts = Vec::new();
        for (_, code, year, f) in rows {
            let Some((org_id, path, _)) = orgs.get(code) else {
                continue;
            };
            let vals = figure_values(f)?;
            if let Some(old) = existing.get(&(*org_id, *year)) {
                tx.update_as("import_update", old, vals).await?;
                summary.updated += 1;
            } else {
                let mut vals = vals;
                vals.extend(new_year_keys(*org_id, *year, path));
                inserts.push(vals);
            }
        }
        let inserts = tx.number(inserts).await?;
        summary.inserted = inserts.len() as u64;
        let mut inserts = inserts.into_iter().peekable();
        while inserts.peek().is_some() {
            let chunk: Vec<_> = inserts.by_ref().take(500).collect();
            tx.create_many::<EnterpriseYear>(chunk, "import").await?;
        }
        if !dry_run {
            tx.commit().await?;
            self.analyze_after_bulk("enterprise_years", summary.inserted as usize)
                .await?;
        }
        Ok(Ok(summary))
    }
}

pub(crate) fn current_year() -> i32 {
    use chrono::Datelike;
    chrono::Utc::now().year()
}

async fn find_year<C: ConnectionTrait>(
    c: &C,
    org_id: i64,
    year: i32,
) -> StoreResult<Option<EnterpriseYear>> {
    let mut q = select();
    q.and_where(Expr::col((T, "org_id")).eq(org_id))
        .and_where(Expr::col((T, "year")).eq(i64::from(year)));
    sql::fetch_one(c, &q)
        .await?
        .as_ref()
        .map(from_row)
        .transpose()
}
