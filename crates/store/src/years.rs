//! 企业年度数据: enterprise-year figures, one row per enterprise per fiscal year.
//! Columns follow [`kechuang_domain::enterprise_year::FIGURES`]; amounts are stored in fen.

use crate::audit::Change;
use crate::error::{StoreError, StoreResult};
use crate::orgs::{RowProblem, get_org};
use crate::sql::{self, ScopeColumns, contains, get, now_ms};
use crate::{Caller, DataScope, Page, PageRequest, SortOrder, Store};
use kechuang_domain::RegionCode;
use kechuang_domain::enterprise_year::{FIGURES, FigureKind, FigureValue, Figures, validate};
use kechuang_domain::money;
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

impl EnterpriseYear {
    fn audit_json(&self) -> serde_json::Value {
        serde_json::json!({"org_id": self.org_id, "year": self.year, "figures": self.figures})
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

fn figure_values(f: &Figures) -> StoreResult<Vec<(&'static str, Expr)>> {
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
        let mut q = select();
        q.cond_where(sql::scope_condition(scope, COLS));
        apply_filter(&mut q, f)?;
        sql::paged(&self.db, q, page, from_row).await
    }

    pub async fn export_enterprise_years(
        &self,
        scope: &DataScope,
        f: &YearFilter,
        limit: u64,
    ) -> StoreResult<Vec<EnterpriseYear>> {
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

    pub async fn get_enterprise_year(
        &self,
        scope: &DataScope,
        id: i64,
    ) -> StoreResult<EnterpriseYear> {
        get_year(&self.db, scope, id).await
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
        let now = now_ms();
        let vals = figure_values(figures)?;
        let id = match &existing {
            Some(old) => {
                let mut up = Query::update();
                up.table(T);
                for (c, v) in vals {
                    up.value(c, v);
                }
                up.value("updated_at", now)
                    .value("updated_by", caller.user_id)
                    .and_where(Expr::col("id").eq(old.id));
                tx.conn().execute(&up).await?;
                old.id
            }
            None => {
                let id = tx.new_id();
                let mut ins = Query::insert();
                ins.into_table(T)
                    .columns(vals.iter().map(|(c, _)| *c).chain([
                        "id",
                        "org_id",
                        "year",
                        "region_path",
                        "created_at",
                        "updated_at",
                        "created_by",
                    ]))
                    .values(vals.into_iter().map(|(_, v)| v).chain([
                        id.into(),
                        org_id.into(),
                        i64::from(year).into(),
                        org.region_path.clone().into(),
                        now.into(),
                        now.into(),
                        caller.user_id.into(),
                    ]))
                    .map_err(StoreError::corrupt)?;
                tx.conn().execute(&ins).await?;
                id
            }
        };
        let after = get_year(tx.conn(), &DataScope::All, id).await?;
        tx.record(Change {
            action: if existing.is_some() {
                "update"
            } else {
                "create"
            },
            entity: "enterprise_year",
            entity_id: id.to_string(),
            region_path: Some(org.region_path.clone()),
            org_id: Some(org_id),
            before: existing.as_ref().map(EnterpriseYear::audit_json),
            after: Some(after.audit_json()),
        });
        tx.commit().await?;
        Ok(after)
    }

    pub async fn delete_enterprise_year(&self, caller: &Caller, id: i64) -> StoreResult<()> {
        let mut tx = self.write(caller).await?;
        let before = get_year(tx.conn(), &caller.scope, id).await?;
        let mut del = Query::delete();
        del.from_table(T).and_where(Expr::col("id").eq(id));
        tx.conn().execute(&del).await?;
        tx.record(Change {
            action: "delete",
            entity: "enterprise_year",
            entity_id: id.to_string(),
            region_path: Some(before.region_path.clone()),
            org_id: Some(before.org_id),
            before: Some(before.audit_json()),
            after: None,
        });
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
        let now = now_ms();
        let mut summary = YearImportSummary::default();
        let mut inserts = Vec::new();
        for (_, code, year, f) in rows {
            let Some((org_id, path, _)) = orgs.get(code) else {
                continue;
            };
            if let Some(old) = existing.get(&(*org_id, *year)) {
                let mut up = Query::update();
                up.table(T);
                for (c, v) in figure_values(f)? {
                    up.value(c, v);
                }
                up.value("updated_at", now)
                    .value("updated_by", caller.user_id)
                    .and_where(Expr::col("id").eq(old.id));
                tx.conn().execute(&up).await?;
                tx.record(Change {
                    action: "import_update",
                    entity: "enterprise_year",
                    entity_id: old.id.to_string(),
                    region_path: Some(path.clone()),
                    org_id: Some(*org_id),
                    before: Some(old.audit_json()),
                    after: Some(serde_json::json!({"org_id": org_id, "year": year, "figures": f})),
                });
                summary.updated += 1;
            } else {
                inserts.push((tx.new_id(), *org_id, path, *year, f));
            }
        }
        for chunk in inserts.chunks(200) {
            let mut ins = Query::insert();
            ins.into_table(T)
                .columns(FIGURES.iter().map(|s| s.key).chain([
                    "id",
                    "org_id",
                    "year",
                    "region_path",
                    "created_at",
                    "updated_at",
                    "created_by",
                ]));
            for (id, org_id, path, year, f) in chunk {
                let vals = figure_values(f)?.into_iter().map(|(_, v)| v).chain([
                    (*id).into(),
                    (*org_id).into(),
                    i64::from(*year).into(),
                    (*path).clone().into(),
                    now.into(),
                    now.into(),
                    caller.user_id.into(),
                ]);
                ins.values(vals).map_err(StoreError::corrupt)?;
            }
            tx.conn().execute(&ins).await?;
            for (id, org_id, path, year, f) in chunk {
                tx.record(Change {
                    action: "import",
                    entity: "enterprise_year",
                    entity_id: id.to_string(),
                    region_path: Some((*path).clone()),
                    org_id: Some(*org_id),
                    before: None,
                    after: Some(serde_json::json!({"org_id": org_id, "year": year, "figures": f})),
                });
            }
            summary.inserted += chunk.len() as u64;
        }
        if !dry_run {
            tx.commit().await?;
        }
        Ok(Ok(summary))
    }
}

pub(crate) fn current_year() -> i32 {
    use chrono::Datelike;
    chrono::Utc::now().year()
}

async fn get_year<C: ConnectionTrait>(
    c: &C,
    scope: &DataScope,
    id: i64,
) -> StoreResult<EnterpriseYear> {
    let mut q = select();
    q.cond_where(sql::scope_condition(scope, COLS))
        .and_where(Expr::col((T, "id")).eq(id));
    let row = sql::fetch_one(c, &q).await?.ok_or(StoreError::NotFound)?;
    from_row(&row)
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
