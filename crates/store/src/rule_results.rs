//! Stored rules-engine results (政策评价结果): one row per pack, year and enterprise, with the
//! version of the policy pack used, its outputs, cultivation pools, gaps and explanation.

use crate::error::{StoreError, StoreResult};
use crate::record::{ListFilter, RecordKind, Stamps, Values};
use crate::sql::{self, ScopeColumns, get};
use crate::{Caller, DataScope, Page, PageRequest, Store};
use kechuang_domain::scope::RecordKeys;
use sea_orm::sea_query::{Expr, ExprTrait, Order, Query, SelectStatement};
use sea_orm::{ConnectionTrait, QueryResult};
use serde::{Deserialize, Serialize};

const T: &str = "rule_results";
pub(crate) const COLS: ScopeColumns = ScopeColumns {
    table: T,
    region_path: Some("region_path"),
    org: Some("org_id"),
    owner: None,
};
/// A run's rows are recorded as one event keyed `pack:year`.
pub(crate) const KIND: RecordKind = RecordKind {
    scope: COLS,
    entity: "rule_result",
    stamps: Stamps::CREATED,
    audit_key: "pack || ':' || CAST(year AS TEXT)",
    audited_as: None,
    party: None,
};

/// One enterprise's result, ready to store.
#[derive(Debug, Clone)]
pub struct NewRuleResult {
    pub org_id: i64,
    pub region_path: String,
    pub qualified: Option<bool>,
    /// Whole points, for sorting; the exact value is in `outputs`.
    pub score: Option<i64>,
    pub pools: Vec<String>,
    pub outputs: serde_json::Value,
    pub missing: serde_json::Value,
    pub gaps: serde_json::Value,
    pub explanation: String,
}

/// A stored result.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct RuleResult {
    pub id: i64,
    pub pack: String,
    /// Content hash of the policy pack used.
    pub pack_version: String,
    pub year: i64,
    pub org_id: i64,
    pub org_name: String,
    pub credit_code: String,
    pub region_code: String,
    /// The region's name (GB/T 2260).
    pub region_name: String,
    pub qualified: Option<bool>,
    pub score: Option<i64>,
    /// Cultivation pools (培育库) the enterprise belongs to.
    pub pools: Vec<String>,
    #[schema(value_type = Object)]
    pub outputs: serde_json::Value,
    /// Inputs the pack needed and the data lacked (one object each).
    #[schema(value_type = Vec<Object>)]
    pub missing: serde_json::Value,
    /// The smallest change of one input that would qualify (one object each).
    #[schema(value_type = Vec<Object>)]
    pub gaps: serde_json::Value,
    pub explanation: String,
    pub created_at: i64,
    #[serde(skip)]
    pub region_path: String,
}

/// Filters of the results list.
#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
pub struct RuleResultFilter {
    pub pack: Option<String>,
    pub year: Option<i64>,
    pub qualified: Option<bool>,
    /// Members of this cultivation pool (rule name, e.g. `pool_near`).
    pub pool: Option<String>,
    pub region: Option<String>,
}

fn from_row(r: &QueryResult) -> StoreResult<RuleResult> {
    let json = |c: &str| -> StoreResult<serde_json::Value> {
        let s: String = get(r, c)?;
        serde_json::from_str(&s).map_err(|e| StoreError::corrupt(format!("{c}: {e}")))
    };
    let pools: String = get(r, "pools")?;
    let region_code: String = get(r, "region_code")?;
    Ok(RuleResult {
        id: get(r, "id")?,
        pack: get(r, "pack")?,
        pack_version: get(r, "pack_version")?,
        year: get(r, "year")?,
        org_id: get(r, "org_id")?,
        org_name: get(r, "org_name")?,
        credit_code: get(r, "credit_code")?,
        region_name: crate::orgs::region_name(&region_code),
        region_code,
        qualified: get(r, "qualified")?,
        score: get(r, "score")?,
        pools: pools
            .split(',')
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect(),
        outputs: json("outputs_json")?,
        missing: json("missing_json")?,
        gaps: json("gaps_json")?,
        explanation: get(r, "explanation")?,
        created_at: get(r, "created_at")?,
        region_path: get(r, "region_path")?,
    })
}

fn select() -> SelectStatement {
    let mut q = Query::select();
    q.columns(
        [
            "id",
            "pack",
            "pack_version",
            "year",
            "org_id",
            "qualified",
            "score",
            "pools",
            "outputs_json",
            "missing_json",
            "gaps_json",
            "explanation",
            "created_at",
            "region_path",
        ]
        .map(|c| (T, c)),
    )
    .expr_as(Expr::col(("organizations", "name")), "org_name")
    .expr_as(Expr::col(("organizations", "credit_code")), "credit_code")
    .expr_as(Expr::col(("organizations", "region_code")), "region_code")
    .from(T)
    .inner_join(
        "organizations",
        Expr::col(("organizations", "id")).equals((T, "org_id")),
    );
    q
}

impl ListFilter for RuleResultFilter {
    fn apply(&self, q: &mut SelectStatement) -> StoreResult<()> {
        let f = self;
        if let Some(p) = f.pack.as_deref().filter(|s| !s.is_empty()) {
            q.and_where(Expr::col((T, "pack")).eq(p));
        }
        if let Some(y) = f.year {
            q.and_where(Expr::col((T, "year")).eq(y));
        }
        if let Some(b) = f.qualified {
            q.and_where(Expr::col((T, "qualified")).eq(b));
        }
        if let Some(p) = f.pool.as_deref().filter(|s| !s.is_empty()) {
            q.and_where(
                Expr::col((T, "pools")).like(
                    sea_orm::sea_query::LikeExpr::new(format!("%,{},%", sql::escape_like(p)))
                        .escape('\\'),
                ),
            );
        }
        if let Some(r) = f.region.as_deref().filter(|s| !s.is_empty()) {
            let path = crate::orgs::region_path(kechuang_domain::RegionCode::parse_known(r)?)?;
            q.cond_where(sql::region_match((T, "region_path"), &path));
        }
        q.order_by((T, "score"), Order::Desc)
            .order_by((T, "id"), Order::Asc);
        Ok(())
    }
}

crate::record::impl_record!(RuleResult, KIND, select, from_row, |s| RecordKeys::org(
    &s.region_path,
    s.org_id
));

/// Summary of a stored run.
#[derive(Debug, Clone, Default, Serialize, utoipa::ToSchema)]
pub struct RunSummary {
    pub pack: String,
    pub pack_version: String,
    pub year: i64,
    pub evaluated: u64,
    pub qualified: u64,
    pub undetermined: u64,
    /// Members per cultivation pool.
    pub pools: std::collections::BTreeMap<String, u64>,
}

impl Store {
    /// Replace the results of `pack` for `year` for these enterprises (all inside the caller's
    /// scope), in one transaction, recorded as one audit event.
    pub async fn save_rule_results(
        &self,
        caller: &Caller,
        pack: &str,
        pack_version: &str,
        year: i64,
        rows: &[NewRuleResult],
    ) -> StoreResult<RunSummary> {
        if let Some(r) = rows.iter().find(|r| {
            !caller
                .scope
                .admits(RecordKeys::org(&r.region_path, r.org_id))
        }) {
            return Err(StoreError::Forbidden(format!(
                "单位 {} 不在您的管辖范围内",
                r.org_id
            )));
        }
        let mut tx = self.write(caller).await?;
        // Two runs of one pack and year would delete the same rows and both insert them.
        tx.serialize_on(&format!("rule_results:{pack}:{year}"))
            .await?;
        let mut summary = RunSummary {
            pack: pack.to_owned(),
            pack_version: pack_version.to_owned(),
            year,
            ..Default::default()
        };
        for chunk in rows.chunks(500) {
            let mut del = Query::delete();
            del.from_table(T)
                .and_where(Expr::col("pack").eq(pack))
                .and_where(Expr::col("year").eq(year))
                .and_where(Expr::col("org_id").is_in(chunk.iter().map(|r| r.org_id)));
            tx.conn().execute(&del).await?;
        }
        let mut new_rows = Vec::with_capacity(rows.len());
        for r in rows {
            new_rows.push(vec![
                ("pack", pack.into()),
                ("pack_version", pack_version.into()),
                ("year", year.into()),
                ("org_id", r.org_id.into()),
                ("region_path", r.region_path.clone().into()),
                ("qualified", r.qualified.into()),
                ("score", r.score.into()),
                ("pools", format!(",{},", r.pools.join(",")).into()),
                ("outputs_json", r.outputs.to_string().into()),
                ("missing_json", r.missing.to_string().into()),
                ("gaps_json", r.gaps.to_string().into()),
                ("explanation", r.explanation.clone().into()),
            ] as Values);
            summary.evaluated += 1;
            match r.qualified {
                Some(true) => summary.qualified += 1,
                None => summary.undetermined += 1,
                Some(false) => {}
            }
            for p in &r.pools {
                *summary.pools.entry(p.clone()).or_default() += 1;
            }
        }
        let new_rows = tx.number(new_rows).await?;
        tx.insert_rows::<RuleResult>(new_rows).await?;
        tx.note_run::<RuleResult>(
            "rules_run",
            format!("{pack}:{year}"),
            serde_json::to_value(&summary).unwrap_or_default(),
        );
        tx.commit().await?;
        Ok(summary)
    }

    pub async fn list_rule_results(
        &self,
        scope: &DataScope,
        f: &RuleResultFilter,
        page: PageRequest,
    ) -> StoreResult<Page<RuleResult>> {
        self.list_records(scope, f, page).await
    }

    pub async fn get_rule_result(
        &self,
        scope: &DataScope,
        pack: &str,
        year: i64,
        org_id: i64,
    ) -> StoreResult<RuleResult> {
        let mut q = select();
        q.cond_where(sql::scope_condition(scope, COLS))
            .and_where(Expr::col((T, "pack")).eq(pack))
            .and_where(Expr::col((T, "year")).eq(year))
            .and_where(Expr::col((T, "org_id")).eq(org_id));
        let row = sql::fetch_one(&self.db, &q)
            .await?
            .ok_or(StoreError::NotFound)?;
        from_row(&row)
    }
}
