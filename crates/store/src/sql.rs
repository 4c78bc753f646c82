//! Shared query plumbing: the data-scope predicate, pagination, LIKE escaping, row access.

use crate::error::{StoreError, StoreResult};
use kechuang_domain::DataScope;
use sea_orm::sea_query::{Cond, Condition, Expr, ExprTrait, LikeExpr, Query, SelectStatement};
use sea_orm::{ConnectionTrait, QueryResult, TryGetable};
use serde::{Deserialize, Serialize};

pub fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

/// Which columns of a table carry its scoping keys (see [`kechuang_domain::scope::RecordKeys`]).
#[derive(Debug, Clone, Copy)]
pub struct ScopeColumns {
    pub table: &'static str,
    pub region_path: Option<&'static str>,
    pub org: Option<&'static str>,
    pub owner: Option<&'static str>,
}

fn never() -> Condition {
    Cond::all().add(Expr::cust("1 = 0"))
}

/// Records in the region with this materialized path, or below it. A region without
/// subdivisions (a county, or a 省直辖 city such as 济源) is an equality, which lets the
/// `(region_path, id)` indexes return rows already in id order; otherwise a prefix match.
pub fn region_match(col: (&'static str, &'static str), path: &str) -> Condition {
    let leaf = path
        .trim_end_matches('/')
        .rsplit('/')
        .next()
        .and_then(|c| kechuang_domain::RegionCode::parse(c).ok())
        .is_some_and(|c| {
            kechuang_domain::RegionTree::shipped()
                .children(Some(c))
                .is_empty()
        });
    if leaf {
        Cond::all().add(Expr::col(col).eq(path))
    } else {
        Cond::all()
            .add(Expr::col(col).like(LikeExpr::new(format!("{}%", escape_like(path))).escape('\\')))
    }
}

/// The SQL form of [`DataScope::admits`]: a record is visible iff this holds.
pub fn scope_condition(scope: &DataScope, cols: ScopeColumns) -> Condition {
    match scope {
        DataScope::All => Cond::all(),
        DataScope::Region { path, .. } => match cols.region_path {
            Some(c) => region_match((cols.table, c), path),
            None => never(),
        },
        DataScope::Organization { org_id } => match cols.org {
            Some(c) => Cond::all().add(Expr::col((cols.table, c)).eq(*org_id)),
            None => never(),
        },
        DataScope::SelfOnly { user_id } => match cols.owner {
            Some(c) => Cond::all().add(Expr::col((cols.table, c)).eq(*user_id)),
            None => never(),
        },
    }
}

/// `SELECT table.col, … FROM table`: the select of a record that joins nothing.
pub fn columns_of(table: &'static str, cols: &[&'static str]) -> SelectStatement {
    let mut q = sea_orm::sea_query::Query::select();
    q.columns(cols.iter().map(|c| (table, *c))).from(table);
    q
}

/// The text condition of a list: the rows the full-text search found (`ids`, already cut to
/// the caller's scope and ranked), or without an index a `LIKE` built by `like`.
pub fn text_match(
    q: &mut SelectStatement,
    id: (&'static str, &'static str),
    ids: Option<&[i64]>,
    text: Option<&str>,
    like: impl FnOnce(&str) -> Condition,
) {
    match (ids, text.map(str::trim).filter(|s| !s.is_empty())) {
        (Some(ids), Some(_)) => {
            q.and_where(Expr::col(id).is_in(ids.iter().copied()));
        }
        (None, Some(t)) => {
            q.cond_where(like(t));
        }
        _ => {}
    }
}

/// A JSON column read whole into `T` (keywords, id lists …); unreadable JSON reads as empty.
pub fn json_col<T: serde::de::DeserializeOwned + Default>(
    r: &QueryResult,
    col: &str,
) -> StoreResult<T> {
    let s: String = get(r, col)?;
    Ok(serde_json::from_str(&s).unwrap_or_default())
}

/// A value as the text of a JSON column.
pub fn json_text<T: Serialize + ?Sized>(v: &T) -> String {
    serde_json::to_string(v).unwrap_or_default()
}

pub fn escape_like(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        if matches!(ch, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(ch);
    }
    out
}

/// `%text%` for a contains-search, with the user's `%` and `_` taken literally.
pub fn contains(text: &str) -> LikeExpr {
    LikeExpr::new(format!("%{}%", escape_like(text.trim()))).escape('\\')
}

/// 1-based page number and page size (10 by default, at most 500).
#[derive(Debug, Clone, Copy, Deserialize, Serialize, utoipa::ToSchema, utoipa::IntoParams)]
pub struct PageRequest {
    #[serde(default = "one")]
    pub page: u64,
    #[serde(default = "ten")]
    pub size: u64,
}

fn one() -> u64 {
    1
}
fn ten() -> u64 {
    10
}

impl Default for PageRequest {
    fn default() -> Self {
        Self { page: 1, size: 10 }
    }
}

impl PageRequest {
    pub const MAX_SIZE: u64 = 500;

    pub fn new(page: u64, size: u64) -> Self {
        Self { page, size }
    }

    /// Highest page number accepted; deeper pages are clamped (no offset overflow).
    pub const MAX_PAGE: u64 = 1_000_000;

    pub fn normalized(self) -> Self {
        Self {
            page: Ord::clamp(self.page, 1, Self::MAX_PAGE),
            size: Ord::clamp(self.size, 1, Self::MAX_SIZE),
        }
    }

    pub fn offset(self) -> u64 {
        let n = self.normalized();
        (n.page - 1) * n.size
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum SortOrder {
    #[default]
    Asc,
    Desc,
}

impl From<SortOrder> for sea_orm::sea_query::Order {
    fn from(o: SortOrder) -> Self {
        match o {
            SortOrder::Asc => Self::Asc,
            SortOrder::Desc => Self::Desc,
        }
    }
}

/// One page of a list.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub total: u64,
    pub page: u64,
    pub size: u64,
    /// The total is above [`EXACT_COUNT_LIMIT`] and was counted up to [`COUNT_TTL`] ago: the
    /// UI shows it as “约”.
    pub total_estimated: bool,
}

/// Totals up to this are counted exactly on every request.
pub const EXACT_COUNT_LIMIT: u64 = 10_000;
/// How old the count of a larger total may be. Counting 6·10^5 rows of a region costs more
/// than the page itself (measured: most of a list's 179 ms p99 on PostgreSQL at 10^6).
pub const COUNT_TTL: std::time::Duration = std::time::Duration::from_secs(30);

/// Recent counts of large lists, by their statement (scope included, so never shared across
/// scopes).
#[derive(Default)]
pub(crate) struct CountCache {
    counts: std::sync::Mutex<std::collections::HashMap<String, (u64, std::time::Instant)>>,
}

impl CountCache {
    fn get(&self, key: &str) -> Option<u64> {
        let map = self.counts.lock().ok()?;
        map.get(key)
            .filter(|(_, at)| at.elapsed() < COUNT_TTL)
            .map(|(n, _)| *n)
    }

    fn put(&self, key: String, n: u64) {
        if let Ok(mut map) = self.counts.lock() {
            if map.len() >= 1000 {
                map.retain(|_, (_, at)| at.elapsed() < COUNT_TTL);
                if map.len() >= 1000 {
                    map.clear();
                }
            }
            map.insert(key, (n, std::time::Instant::now()));
        }
    }
}

pub fn get<T: TryGetable>(row: &QueryResult, col: &str) -> StoreResult<T> {
    row.try_get::<T>("", col).map_err(StoreError::from)
}

pub async fn fetch_all<C: ConnectionTrait>(
    c: &C,
    q: &SelectStatement,
) -> StoreResult<Vec<QueryResult>> {
    Ok(c.query_all(q).await?)
}

pub async fn fetch_one<C: ConnectionTrait>(
    c: &C,
    q: &SelectStatement,
) -> StoreResult<Option<QueryResult>> {
    Ok(c.query_one(q).await?)
}

/// `SELECT COUNT(*)` of a statement's FROM and WHERE.
pub async fn count<C: ConnectionTrait>(c: &C, base: &SelectStatement) -> StoreResult<u64> {
    let mut q = base.clone();
    q.clear_selects()
        .clear_order_by()
        .reset_limit()
        .reset_offset();
    q.expr_as(Expr::cust("COUNT(*)"), "n");
    let row = c.query_one(&q).await?;
    let n: i64 = match row {
        Some(r) => get(&r, "n")?,
        None => 0,
    };
    Ok(Ord::max(n, 0) as u64)
}

impl crate::Store {
    /// Run a list query: its total (exact up to [`EXACT_COUNT_LIMIT`], above it counted at
    /// most [`COUNT_TTL`] ago and marked), then the requested page.
    pub(crate) async fn paged<T, F>(
        &self,
        base: SelectStatement,
        page: PageRequest,
        map: F,
    ) -> StoreResult<Page<T>>
    where
        F: Fn(&QueryResult) -> StoreResult<T>,
    {
        let mut inner = base.clone();
        inner
            .clear_selects()
            .clear_order_by()
            .reset_limit()
            .reset_offset();
        inner
            .expr_as(Expr::val(1), "one")
            .limit(EXACT_COUNT_LIMIT + 1);
        let mut capped = Query::select();
        capped
            .expr_as(Expr::cust("COUNT(*)"), "n")
            .from_subquery(inner, "capped");
        let stmt = self.db.get_database_backend().build(&capped);
        let key = format!("{} {:?}", stmt.sql, stmt.values);
        let recent = self.counts.get(&key);
        let (total, estimated) = match recent {
            // A list whose recent count is well above the limit cannot have fallen under it
            // unnoticed for long: its total stays an estimate (约) and the capped count, which
            // scans 10,001 rows, is skipped (on PostgreSQL a sequential scan with `LIKE` per
            // row for a province's scope: most of a page's cost under 50 clients).
            Some(n) if n >= 2 * EXACT_COUNT_LIMIT => (n, true),
            _ => {
                let n: i64 = match self.db.query_one(&capped).await? {
                    Some(r) => get(&r, "n")?,
                    None => 0,
                };
                if (n as u64) <= EXACT_COUNT_LIMIT {
                    (Ord::max(n, 0) as u64, false)
                } else if let Some(n) = recent {
                    (n, true)
                } else {
                    let n = count(&self.db, &base).await?;
                    self.counts.put(key, n);
                    (n, false)
                }
            }
        };
        let p = page.normalized();
        let mut q = base;
        q.limit(p.size).offset(p.offset());
        let mut stmt = self.db.get_database_backend().build(&q);
        if total > EXACT_COUNT_LIMIT && self.backend == crate::Backend::Sqlite {
            stmt = walk_sort_index(stmt);
        }
        let rows = self.db.query_all_raw(stmt).await?;
        Ok(Page {
            items: rows.iter().map(map).collect::<StoreResult<Vec<T>>>()?,
            total,
            page: p.page,
            size: p.size,
            total_estimated: estimated,
        })
    }
}

/// SQLite, a scope of more than [`EXACT_COUNT_LIMIT`] rows sorted by a column other than the
/// id, or by the id under a prefix scope: keep the scope's index out of the plan (unary `+`),
/// so that SQLite walks the sort column's index (or the key) and stops after the page instead
/// of sorting the whole scope. SQLite's
/// planner picks the scope index whatever the statistics (measured on 10^6 organizations, a
/// 60% scope sorted by name, offset 3,000: 122 ms with it, 0.9 ms walking `(name, id)`; a 10%
/// scope 61 ms and 4.9 ms). Small scopes keep the plan: sorting ≤ 10,000 rows is quick, and
/// walking a large index for a few matches is not.
fn walk_sort_index(mut stmt: sea_orm::Statement) -> sea_orm::Statement {
    let Some(order) = stmt.sql.rfind(" ORDER BY ") else {
        return stmt;
    };
    let first = stmt.sql[order + 10..]
        .split([',', ' '])
        .next()
        .unwrap_or_default();
    // By the id, a scope of one exact path walks `(region_path, id)` in order already; a prefix
    // scope (`LIKE`) would sort the whole scope instead (20,000 organizations, the province's
    // page at offset 3,000: 28 ms sorting, 1.8 ms walking the primary key).
    if (first == "\"id\"" || first.ends_with(".\"id\""))
        && !stmt.sql.contains("\"region_path\" LIKE ")
    {
        return stmt;
    }
    let (head, tail) = stmt.sql.split_at(order);
    let mut out = String::with_capacity(stmt.sql.len() + 8);
    let mut rest = head;
    while let Some(i) = rest.find("\"region_path\" ") {
        // Back up over a `"table".` qualifier.
        let mut start = i;
        if rest[..i].ends_with("\".")
            && let Some(q) = rest[..i - 2].rfind('"')
        {
            start = q;
        }
        out.push_str(&rest[..start]);
        out.push('+');
        out.push_str(&rest[start..i + 14]);
        rest = &rest[i + 14..];
    }
    out.push_str(rest);
    out.push_str(tail);
    stmt.sql = out;
    stmt
}

/// Render an optional date for storage.
pub fn date_text(d: Option<chrono::NaiveDate>) -> Option<String> {
    d.map(|d| d.format("%Y-%m-%d").to_string())
}

/// Is this database error a unique-constraint violation?
pub fn is_unique_violation(e: &sea_orm::DbErr) -> bool {
    let s = e.to_string().to_ascii_lowercase();
    s.contains("unique") || s.contains("duplicate key")
}

/// An integer column that holds a year or another small number.
pub(crate) fn i32_of(r: &QueryResult, c: &str) -> StoreResult<i32> {
    i32::try_from(get::<i64>(r, c)?).map_err(StoreError::corrupt)
}

/// Whether some row of `table` has every `(column, value)` given (a duplicate or a pending
/// state checked inside a write, before its insert).
pub(crate) async fn exists<C: ConnectionTrait>(
    c: &C,
    table: &'static str,
    eqs: Vec<(&'static str, sea_orm::Value)>,
) -> StoreResult<bool> {
    let mut q = Query::select();
    q.expr(Expr::val(1)).from(table).limit(1);
    for (col, v) in eqs {
        q.and_where(Expr::col(col).eq(v));
    }
    Ok(fetch_one(c, &q).await?.is_some())
}

#[cfg(test)]
mod tests {
    use super::walk_sort_index;
    use sea_orm::{DbBackend, Statement};

    fn walk(sql: &str) -> String {
        walk_sort_index(Statement::from_string(DbBackend::Sqlite, sql)).sql
    }

    #[test]
    fn the_scope_index_is_kept_out_for_a_sort_by_another_column_or_under_a_prefix() {
        assert_eq!(
            walk(
                r#"SELECT "id" FROM "organizations" WHERE "organizations"."region_path" = ? ORDER BY "name" ASC, "id" ASC LIMIT ?"#
            ),
            r#"SELECT "id" FROM "organizations" WHERE +"organizations"."region_path" = ? ORDER BY "name" ASC, "id" ASC LIMIT ?"#
        );
        assert_eq!(
            walk(
                r#"SELECT 1 FROM "t" WHERE "region_path" LIKE ? ESCAPE '\' ORDER BY "t"."score" DESC"#
            ),
            r#"SELECT 1 FROM "t" WHERE +"region_path" LIKE ? ESCAPE '\' ORDER BY "t"."score" DESC"#
        );
        let newest = r#"SELECT "id" FROM "organizations" WHERE "region_path" = ? ORDER BY "id" DESC, "id" DESC"#;
        assert_eq!(walk(newest), newest);
        let qualified = r#"SELECT "id" FROM "t" WHERE "region_path" = ? ORDER BY "t"."id" DESC"#;
        assert_eq!(walk(qualified), qualified);
        assert_eq!(
            walk(
                r#"SELECT "id" FROM "organizations" WHERE "organizations"."region_path" LIKE ? ESCAPE '\' ORDER BY "id" DESC"#
            ),
            r#"SELECT "id" FROM "organizations" WHERE +"organizations"."region_path" LIKE ? ESCAPE '\' ORDER BY "id" DESC"#
        );
    }
}
