//! Counts for the home dashboard, within the caller's scope.

use crate::error::StoreResult;
use crate::sql::{self, get};
use crate::{DataScope, Store};
use sea_orm::sea_query::{Expr, ExprTrait, Order, Query};
use serde::Serialize;

/// Counts by a key.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Count {
    pub key: String,
    pub count: i64,
}

/// The dashboard's headline figures for one scope.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Overview {
    pub organizations_by_kind: Vec<Count>,
    pub platforms_by_level: Vec<Count>,
    pub experts: i64,
    /// Enterprises holding a valid 高新技术企业 certificate, by year.
    pub hnte_by_year: Vec<Count>,
    /// Organizations by region code.
    pub organizations_by_region: Vec<Count>,
}

impl Store {
    pub async fn overview(&self, scope: &DataScope) -> StoreResult<Overview> {
        let group = |table: &'static str, col: &'static str, cols: sql::ScopeColumns| {
            let mut q = Query::select();
            q.expr_as(Expr::col((table, col)), "k")
                .expr_as(Expr::cust("COUNT(*)"), "n")
                .from(table)
                .cond_where(sql::scope_condition(scope, cols))
                .group_by_col((table, col))
                .order_by((table, col), Order::Asc);
            q
        };
        let collect = |rows: Vec<sea_orm::QueryResult>| -> StoreResult<Vec<Count>> {
            rows.iter()
                .map(|r| {
                    Ok(Count {
                        key: get::<Option<String>>(r, "k")?.unwrap_or_default(),
                        count: get(r, "n")?,
                    })
                })
                .collect()
        };
        let by_kind = collect(
            sql::fetch_all(&self.db, &group("organizations", "kind", crate::orgs::COLS)).await?,
        )?;
        let by_region = collect(
            sql::fetch_all(
                &self.db,
                &group("organizations", "region_code", crate::orgs::COLS),
            )
            .await?,
        )?;
        let by_level = collect(
            sql::fetch_all(
                &self.db,
                &group("platforms", "level", crate::platforms::COLS),
            )
            .await?,
        )?;
        let mut q = Query::select();
        q.from("persons")
            .cond_where(sql::scope_condition(scope, crate::persons::COLS))
            .and_where(Expr::col(("persons", "is_expert")).eq(true));
        let experts = sql::count(&self.db, &q).await? as i64;
        let mut q = Query::select();
        q.expr_as(Expr::col(("enterprise_years", "year")), "y")
            .expr_as(Expr::cust("COUNT(*)"), "n")
            .from("enterprise_years")
            .cond_where(sql::scope_condition(scope, crate::years::COLS))
            .and_where(Expr::col(("enterprise_years", "hte_valid")).eq(true))
            .group_by_col(("enterprise_years", "year"))
            .order_by(("enterprise_years", "year"), Order::Asc);
        let hnte = sql::fetch_all(&self.db, &q)
            .await?
            .iter()
            .map(|r| {
                Ok(Count {
                    key: get::<i64>(r, "y")?.to_string(),
                    count: get(r, "n")?,
                })
            })
            .collect::<StoreResult<Vec<_>>>()?;
        Ok(Overview {
            organizations_by_kind: by_kind,
            platforms_by_level: by_level,
            experts,
            hnte_by_year: hnte,
            organizations_by_region: by_region,
        })
    }
}
