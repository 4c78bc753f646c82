//! The one write path. A record kind declares once where it lives and how it is scoped and
//! audited ([`Record`]); the write transaction then offers create, update, delete and a batch
//! create that check the caller's scope on the old and the new values, write, read the record
//! back and append its audit change (before/after) in the same transaction. Reads get the same:
//! one scoped get-by-id and one scoped, filtered, paged list per kind.
//!
//! A module that needs more (a state machine, several tables in one transaction) composes these
//! primitives: a status move is an [`WriteTx::update_as`] under its own action; rows written as
//! part of a parent (a round's items, an application's milestone checks) are recorded on the
//! parent with [`WriteTx::note_parts`]; derived batches (rules results) are one run event
//! ([`WriteTx::insert_rows`] + [`WriteTx::note_run`]).
//!
//! [`KINDS`] lists every kind; [`Store::audit_coverage`] uses it to prove that every row of every
//! scoped table has the audit entry that covers it, so the invariant is checked, not only written.

use crate::audit::{Change, WriteTx};
use crate::error::{StoreError, StoreResult};
use crate::sql::{self, ScopeColumns, now_ms};
use crate::{DataScope, Page, PageRequest, Store};
use kechuang_domain::scope::RecordKeys;
use sea_orm::sea_query::{Alias, Expr, ExprTrait, LockType, Query, SelectStatement};
use sea_orm::{ConnectionTrait, QueryResult, Statement};
use serde::Serialize;

/// Column values of a write, by column name.
pub(crate) type Values = Vec<(&'static str, Expr)>;

/// Which bookkeeping columns a table has (`created_at`, `updated_at`, `created_by`,
/// `updated_by`); the write path fills those that exist.
#[derive(Debug, Clone, Copy)]
pub struct Stamps {
    pub created_at: bool,
    pub updated_at: bool,
    pub created_by: bool,
    pub updated_by: bool,
}

impl Stamps {
    pub const ALL: Self = Self {
        created_at: true,
        updated_at: true,
        created_by: true,
        updated_by: true,
    };
    /// `created_at`, `updated_at`, `created_by` (no `updated_by`).
    pub const NO_UPDATED_BY: Self = Self {
        updated_by: false,
        ..Self::ALL
    };
    /// `created_at`, `created_by` only: rows replaced, never updated.
    pub const CREATED: Self = Self {
        created_at: true,
        updated_at: false,
        created_by: true,
        updated_by: false,
    };
    /// `updated_at`, `updated_by` only.
    pub const UPDATED: Self = Self {
        created_at: false,
        updated_at: true,
        created_by: false,
        updated_by: true,
    };
    /// `created_at`, `updated_at` only.
    pub const TIMES: Self = Self {
        created_at: true,
        updated_at: true,
        created_by: false,
        updated_by: false,
    };
}

/// What a record kind declares once: its table, scoping columns, audit name and bookkeeping.
#[derive(Debug, Clone, Copy)]
pub struct RecordKind {
    /// Scoping columns; `scope.table` is the table.
    pub scope: ScopeColumns,
    /// The entity name its changes carry in the audit log.
    pub entity: &'static str,
    pub stamps: Stamps,
    /// SQL over the table's row giving the `entity_id` of the audit entry that covers the row:
    /// `CAST(id AS TEXT)` for a record audited on its own, or the parent's id for rows written
    /// as part of their parent (a round's assignments), or a run key (rules results).
    pub audit_key: &'static str,
    /// The entity of the covering audit entry, when it is not `entity` (rows audited with
    /// their parent).
    pub audited_as: Option<&'static str>,
    /// A record between two parties (a voucher order: the enterprise and its provider; a
    /// booking: the user and the instrument's host) is also within the scope of its second
    /// party, through these columns; it is filed in the audit log under the first.
    pub party: Option<ScopeColumns>,
}

impl RecordKind {
    /// A record audited on its own, row by row.
    pub const fn own(scope: ScopeColumns, entity: &'static str, stamps: Stamps) -> Self {
        Self {
            scope,
            entity,
            stamps,
            audit_key: "CAST(id AS TEXT)",
            audited_as: None,
            party: None,
        }
    }

    /// The same kind, also readable and writable within the scope of a second party.
    pub const fn with_party(self, party: ScopeColumns) -> Self {
        Self {
            party: Some(party),
            ..self
        }
    }

    /// The caller's scope over this kind's rows: the first party's columns, or the second's.
    pub fn condition(&self, scope: &DataScope) -> sea_orm::sea_query::Condition {
        match self.party {
            None => sql::scope_condition(scope, self.scope),
            Some(p) => sea_orm::sea_query::Cond::any()
                .add(sql::scope_condition(scope, self.scope))
                .add(sql::scope_condition(scope, p)),
        }
    }

    pub fn table(&self) -> &'static str {
        self.scope.table
    }
}

/// A stored record of one kind.
pub(crate) trait Record: Serialize + Sized {
    const KIND: RecordKind;

    /// The select of the record with whatever it joins for display; scoping is applied on
    /// `KIND.scope` columns of the record's own table.
    fn select() -> SelectStatement;
    fn from_row(r: &QueryResult) -> StoreResult<Self>;
    fn id(&self) -> i64;
    /// Where the record lies, for the scope check and the audit entry's filing.
    fn keys(&self) -> RecordKeys<'_>;
    /// The second party's keys of a two-party record (`RecordKind::party`).
    fn party_keys(&self) -> Option<RecordKeys<'_>> {
        None
    }

    /// Whether the scope admits the record through either party.
    fn admitted_by(&self, scope: &DataScope) -> bool {
        scope.admits(self.keys()) || self.party_keys().is_some_and(|k| scope.admits(k))
    }

    fn audit_json(&self) -> serde_json::Value {
        serde_json::to_value(self).unwrap_or_default()
    }
}

/// `impl Record` for a struct with an `id: i64` field: its kind, its select, its row reader,
/// its scoping keys and, optionally, its audit JSON (the whole record by default).
macro_rules! impl_record {
    ($ty:ty, $kind:expr, $select:expr, $from_row:expr, |$s:ident| $keys:expr $(, party: |$p:ident| $pkeys:expr)? $(, audit_json: |$a:ident| $json:expr)? $(,)?) => {
        impl $crate::record::Record for $ty {
            const KIND: $crate::record::RecordKind = $kind;
            fn select() -> sea_orm::sea_query::SelectStatement {
                ($select)()
            }
            fn from_row(r: &sea_orm::QueryResult) -> $crate::StoreResult<Self> {
                ($from_row)(r)
            }
            fn id(&self) -> i64 {
                self.id
            }
            fn keys(&self) -> kechuang_domain::scope::RecordKeys<'_> {
                let $s = self;
                $keys
            }
            $(fn party_keys(&self) -> Option<kechuang_domain::scope::RecordKeys<'_>> {
                let $p = self;
                Some($pkeys)
            })?
            $(fn audit_json(&self) -> serde_json::Value {
                let $a = self;
                $json
            })?
        }
    };
}
pub(crate) use impl_record;

/// Filters and sort of a list of one record kind.
pub(crate) trait ListFilter {
    fn apply(&self, q: &mut SelectStatement) -> StoreResult<()>;
}

/// No filter.
impl ListFilter for () {
    fn apply(&self, _: &mut SelectStatement) -> StoreResult<()> {
        Ok(())
    }
}

/// The record with this id if the scope admits it; out of scope reads as missing.
pub(crate) async fn get_in<R: Record, C: ConnectionTrait>(
    c: &C,
    scope: &DataScope,
    id: i64,
) -> StoreResult<R> {
    let t = R::KIND.table();
    let mut q = R::select();
    q.cond_where(R::KIND.condition(scope))
        .and_where(Expr::col((t, "id")).eq(id));
    let row = sql::fetch_one(c, &q).await?.ok_or(StoreError::NotFound)?;
    R::from_row(&row)
}

/// Records by id, unscoped (the write path's read-back), in the order of the ids given.
async fn get_many<R: Record, C: ConnectionTrait>(c: &C, ids: &[i64]) -> StoreResult<Vec<R>> {
    let t = R::KIND.table();
    let mut out: Vec<R> = Vec::with_capacity(ids.len());
    for chunk in ids.chunks(500) {
        let mut q = R::select();
        q.and_where(Expr::col((t, "id")).is_in(chunk.iter().copied()));
        for r in sql::fetch_all(c, &q).await? {
            out.push(R::from_row(&r)?);
        }
    }
    let pos: std::collections::HashMap<i64, usize> =
        ids.iter().enumerate().map(|(i, id)| (*id, i)).collect();
    out.sort_by_key(|r| pos.get(&r.id()).copied().unwrap_or(usize::MAX));
    Ok(out)
}

/// A scoped list query of a kind with its filter applied (no paging).
pub(crate) fn list_query<R: Record, F: ListFilter>(
    scope: &DataScope,
    f: &F,
) -> StoreResult<SelectStatement> {
    let mut q = R::select();
    q.cond_where(R::KIND.condition(scope));
    f.apply(&mut q)?;
    Ok(q)
}

impl Store {
    pub(crate) async fn get_record<R: Record>(&self, scope: &DataScope, id: i64) -> StoreResult<R> {
        get_in(&self.db, scope, id).await
    }

    pub(crate) async fn list_records<R: Record, F: ListFilter>(
        &self,
        scope: &DataScope,
        f: &F,
        page: PageRequest,
    ) -> StoreResult<Page<R>> {
        self.paged(list_query::<R, F>(scope, f)?, page, R::from_row)
            .await
    }

    /// Every record matching the filter, for export (at most `limit`).
    pub(crate) async fn export_records<R: Record, F: ListFilter>(
        &self,
        scope: &DataScope,
        f: &F,
        limit: u64,
    ) -> StoreResult<Vec<R>> {
        let mut q = list_query::<R, F>(scope, f)?;
        q.limit(limit);
        sql::fetch_all(&self.db, &q)
            .await?
            .iter()
            .map(R::from_row)
            .collect()
    }
}

fn forbidden<R: Record>(r: &R) -> StoreError {
    StoreError::Forbidden(format!(
        "记录（{} {}）不在您的管辖范围内",
        R::KIND.entity,
        r.id()
    ))
}

/// The audit change of a record (filed under its entity, id and keys) with the JSON given.
fn change_of<R: Record>(
    action: &'static str,
    r: &R,
    before: Option<serde_json::Value>,
    after: Option<serde_json::Value>,
) -> Change {
    let k = r.keys();
    Change {
        action,
        entity: R::KIND.entity,
        entity_id: r.id().to_string(),
        region_path: k.region_path.map(str::to_owned),
        org_id: k.org_id,
        before,
        after,
    }
}

fn change<R: Record>(
    action: &'static str,
    keys_of: &R,
    before: Option<&R>,
    after: Option<&R>,
) -> Change {
    change_of(
        action,
        keys_of,
        before.map(R::audit_json),
        after.map(R::audit_json),
    )
}

impl WriteTx {
    fn admits<R: Record>(&self, r: &R) -> bool {
        r.admitted_by(&self.caller().scope)
    }

    /// The record, if the caller's scope admits it (the precondition of a change).
    /// The row stays locked to commit (PostgreSQL `FOR UPDATE`; SQLite has one writer), so
    /// a change decided on what was read cannot race another write of the same record, and
    /// a record read first serializes the writes below it (a programme's grants, say).
    pub async fn get<R: Record>(&self, id: i64) -> StoreResult<R> {
        let t = R::KIND.table();
        let mut q = R::select();
        q.cond_where(R::KIND.condition(&self.caller().scope))
            .and_where(Expr::col((t, "id")).eq(id))
            .lock_with_tables(LockType::Update, [Alias::new(t)]);
        let row = sql::fetch_one(self.conn(), &q)
            .await?
            .ok_or(StoreError::NotFound)?;
        R::from_row(&row)
    }

    /// Insert a record with a new id, read it back, refuse it if it lies outside the caller's
    /// scope, and record its creation.
    pub async fn create<R: Record>(&mut self, vals: Values) -> StoreResult<R> {
        let id = self.new_id().await?;
        self.create_with_id(id, vals, "create").await
    }

    /// [`WriteTx::create`] with an id taken earlier (rows that other rows of the same
    /// transaction point to) and the audit action named.
    pub async fn create_with_id<R: Record>(
        &mut self,
        id: i64,
        vals: Values,
        action: &'static str,
    ) -> StoreResult<R> {
        let now = now_ms();
        let by = self.caller().user_id;
        let mut ins = Query::insert();
        let (cols, vs): (Vec<_>, Vec<_>) = with_create_stamps(R::KIND.stamps, vals, id, now, by)
            .into_iter()
            .unzip();
        ins.into_table(R::KIND.table())
            .columns(cols)
            .values(vs)
            .map_err(StoreError::corrupt)?;
        self.conn().execute(&ins).await?;
        let after: R = get_in(self.conn(), &DataScope::All, id).await?;
        if !self.admits(&after) {
            return Err(forbidden(&after));
        }
        self.record(change(action, &after, None, Some(&after)));
        Ok(after)
    }

    /// Insert many records of one kind (imports): multi-row inserts, read back, each checked
    /// against the scope and recorded with `action`. Rows are `(id, values)` with ids from
    /// [`WriteTx::new_id`]; every row must name the same columns.
    pub async fn create_many<R: Record>(
        &mut self,
        rows: Vec<(i64, Values)>,
        action: &'static str,
    ) -> StoreResult<Vec<R>> {
        let ids: Vec<i64> = rows.iter().map(|(id, _)| *id).collect();
        self.insert_rows::<R>(rows).await?;
        let created: Vec<R> = get_many(self.conn(), &ids).await?;
        if created.len() != ids.len() {
            return Err(StoreError::corrupt("批量写入后读回的记录数不一致"));
        }
        if let Some(r) = created.iter().find(|r| !self.admits(*r)) {
            return Err(forbidden(r));
        }
        for r in &created {
            self.record(change(action, r, None, Some(r)));
        }
        Ok(created)
    }

    /// The multi-row insert under [`WriteTx::create_many`], without read-back or audit: for
    /// derived rows whose keys the caller checked and whose run is recorded as one event with
    /// [`WriteTx::note_run`] (rules results).
    pub async fn insert_rows<R: Record>(&mut self, rows: Vec<(i64, Values)>) -> StoreResult<()> {
        let now = now_ms();
        let by = self.caller().user_id;
        let mut rows = rows.into_iter().peekable();
        while rows.peek().is_some() {
            let mut ins = Query::insert();
            ins.into_table(R::KIND.table());
            let mut first = true;
            for (id, vals) in rows.by_ref().take(200) {
                let (cols, vs): (Vec<_>, Vec<_>) =
                    with_create_stamps(R::KIND.stamps, vals, id, now, by)
                        .into_iter()
                        .unzip();
                if first {
                    ins.columns(cols);
                    first = false;
                }
                ins.values(vs).map_err(StoreError::corrupt)?;
            }
            self.conn().execute(&ins).await?;
        }
        Ok(())
    }

    /// Record a run over many rows of a kind as one event, under the run's key (the kind's
    /// `audit_key` gives the same key from each row), filed where the caller acts.
    pub fn note_run<R: Record>(
        &mut self,
        action: &'static str,
        key: String,
        summary: serde_json::Value,
    ) {
        let (region_path, org_id) = self.caller().audit_keys();
        self.record(Change {
            action,
            entity: R::KIND.entity,
            entity_id: key,
            region_path,
            org_id,
            before: None,
            after: Some(summary),
        });
    }

    /// Update a record read in this transaction through [`WriteTx::get`] (so inside the
    /// caller's scope), read it back, refuse the change if it would leave the scope, and record
    /// before and after under `action` (`update`, `submit`, `import_update`, …).
    pub async fn update_as<R: Record>(
        &mut self,
        action: &'static str,
        before: &R,
        vals: Values,
    ) -> StoreResult<R> {
        let id = before.id();
        let mut up = Query::update();
        up.table(R::KIND.table());
        for (c, v) in vals {
            up.value(c, v);
        }
        if R::KIND.stamps.updated_at {
            up.value("updated_at", now_ms());
        }
        if R::KIND.stamps.updated_by {
            up.value("updated_by", self.caller().user_id);
        }
        up.and_where(Expr::col("id").eq(id));
        self.conn().execute(&up).await?;
        let after: R = get_in(self.conn(), &DataScope::All, id).await?;
        if !self.admits(&after) {
            return Err(forbidden(&after));
        }
        self.record(change(action, &after, Some(before), Some(&after)));
        Ok(after)
    }

    /// Delete a record the caller may see and record what it was.
    pub async fn delete<R: Record>(&mut self, id: i64) -> StoreResult<R> {
        let before: R = self.get(id).await?;
        let mut del = Query::delete();
        del.from_table(R::KIND.table())
            .and_where(Expr::col("id").eq(id));
        self.conn().execute(&del).await?;
        self.record(change("delete", &before, Some(&before), None));
        Ok(before)
    }

    /// Record rows written as part of a parent record (a round's items and assignments) on the
    /// parent: the entry carries the parent's entity and id and what was done to its parts.
    pub fn note_parts<P: Record>(
        &mut self,
        action: &'static str,
        parent: &P,
        before: Option<serde_json::Value>,
        after: Option<serde_json::Value>,
    ) {
        self.record(change_of(action, parent, before, after));
    }
}

fn with_create_stamps(s: Stamps, mut vals: Values, id: i64, now: i64, by: Option<i64>) -> Values {
    vals.push(("id", id.into()));
    if s.created_at {
        vals.push(("created_at", now.into()));
    }
    if s.updated_at {
        vals.push(("updated_at", now.into()));
    }
    if s.created_by {
        vals.push(("created_by", by.into()));
    }
    if s.updated_by {
        vals.push(("updated_by", by.into()));
    }
    vals
}

/// Rows of a scoped table without the audit entry that covers them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CoverageGap {
    pub table: String,
    /// What is wrong, in Chinese.
    pub problem: String,
    pub rows: u64,
}

/// Columns that make a table scoped: a record filed by region, organization or owner.
const SCOPING_COLUMNS: [&str; 4] = ["region_path", "org_id", "host_org_id", "user_id"];
/// Tables with such columns that are not records: the audit log itself, sessions (written by
/// login, which is audited on the user) and old password hashes (written with the audited
/// password change).
const NOT_RECORDS: [&str; 5] = [
    "audit_log",
    "audit_pending",
    "sessions",
    "user_roles",
    "password_history",
];

impl Store {
    /// Every table with scoping columns must be a declared record kind, and each of its rows
    /// must have the audit entry that covers it. Returns what is not so (empty: all covered).
    pub async fn audit_coverage(&self) -> StoreResult<Vec<CoverageGap>> {
        self.seal_audit().await?;
        let b = self.db.get_database_backend();
        let cols_sql = match self.backend {
            crate::Backend::Sqlite => {
                "SELECT m.name AS t, p.name AS c FROM sqlite_master m, pragma_table_info(m.name) p WHERE m.type = 'table'"
            }
            crate::Backend::Postgres => {
                "SELECT table_name::text AS t, column_name::text AS c FROM information_schema.columns WHERE table_schema = current_schema()"
            }
        };
        let mut scoped = std::collections::BTreeSet::new();
        for r in self
            .db
            .query_all_raw(Statement::from_string(b, cols_sql))
            .await?
        {
            let t: String = sql::get(&r, "t")?;
            let c: String = sql::get(&r, "c")?;
            if SCOPING_COLUMNS.contains(&c.as_str()) && !NOT_RECORDS.contains(&t.as_str()) {
                scoped.insert(t);
            }
        }
        let mut gaps = Vec::new();
        for t in scoped {
            let Some(k) = KINDS.iter().find(|k| k.table() == t) else {
                gaps.push(CoverageGap {
                    problem: format!("数据表 {t} 有范围列，但没有登记为记录类型（record::KINDS）"),
                    table: t,
                    rows: 0,
                });
                continue;
            };
            let entity = k.audited_as.unwrap_or(k.entity);
            let q = format!(
                "SELECT COUNT(*) AS n FROM {t} WHERE NOT EXISTS (SELECT 1 FROM audit_log a WHERE a.entity = '{entity}' AND a.entity_id = {key})",
                key = k.audit_key
            );
            let n: i64 = match self.db.query_one_raw(Statement::from_string(b, q)).await? {
                Some(r) => sql::get(&r, "n")?,
                None => 0,
            };
            if n > 0 {
                gaps.push(CoverageGap {
                    table: t,
                    problem: format!("{n} 行没有对应的审计记录（{entity}）"),
                    rows: n as u64,
                });
            }
        }
        Ok(gaps)
    }
}

/// Every record kind of the store.
pub static KINDS: &[RecordKind] = &[
    crate::orgs::KIND,
    crate::years::KIND,
    crate::platforms::KIND,
    crate::persons::KIND,
    crate::brokerage::BROKER_KIND,
    crate::brokerage::EVENT_KIND,
    crate::accounts::USER_KIND,
    crate::rule_results::KIND,
    crate::rule_results::RUN_KIND,
    crate::review::ROUND_KIND,
    crate::review::ITEM_KIND,
    crate::review::ASSIGNMENT_KIND,
    crate::monitoring::PLAN_KIND,
    crate::monitoring::TARGET_KIND,
    crate::monitoring::TASK_KIND,
    crate::monitoring::ENTRY_KIND,
    crate::projects::CALL_KIND,
    crate::projects::APP_KIND,
    crate::projects::DEMAND_KIND,
    crate::projects::SANCTION_KIND,
    crate::contracts::KIND,
    crate::achievements::KIND,
    crate::funds::PROGRAMME_KIND,
    crate::funds::GRANT_KIND,
    crate::funds::PAYMENT_KIND,
    crate::funds::vouchers::PROVIDER_KIND,
    crate::funds::vouchers::VOUCHER_KIND,
    crate::funds::vouchers::ORDER_KIND,
    crate::funds::instruments::INSTRUMENT_KIND,
    crate::funds::instruments::BOOKING_KIND,
    crate::funds::finance::LOAN_KIND,
    crate::funds::finance::POOL_KIND,
    crate::people::COMMISSIONER_KIND,
    crate::people::DISPATCH_KIND,
    crate::people::LOG_KIND,
    crate::people::ASSESSMENT_KIND,
    crate::people::talents::APPLICATION_KIND,
    crate::people::talents::TALENT_KIND,
    crate::people::talents::TEAM_KIND,
    crate::people::talents::STATION_EXPERT_KIND,
    crate::people::talents::DEMAND_KIND,
    crate::platform_life::RECOGNITION_KIND,
    crate::platform_life::REPORT_KIND,
    crate::platform_life::POOL_KIND,
    crate::carriers::INCUBATEE_KIND,
    crate::awards::CALL_KIND,
    crate::awards::NOMINATION_KIND,
    crate::awards::OBJECTION_KIND,
    crate::awards::WIN_KIND,
];
