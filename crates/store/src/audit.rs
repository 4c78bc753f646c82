//! The audit log (操作日志): an append-only, hash-chained record of every write.
//!
//! Record `n` stores `hash_n = SHA-256(canonical(n, hash_{n-1}, at, actor, action, entity,
//! before, after))`, and the single-row `audit_head` holds the newest `(seq, hash)`. Editing,
//! deleting or reordering any record, or truncating the tail, breaks the chain, and
//! [`Store::verify_audit`] names the first broken record.
//!
//! **Writers do not wait for one another's audit.** A write transaction appends its records to
//! `audit_pending` (no sequence number, no hash) and commits them with its change. A sealer
//! ([`Store::seal_audit`]) then takes the pending records in the order they were appended, chains
//! them onto `audit_head` and moves them into `audit_log`, all in one transaction, as
//! transparency logs do. Only sealers queue on the head row, so one long write (a region's
//! 运行评价) no longer holds every other write in the system. The server seals as soon as a
//! write commits; every reader of the chain (the audit list, `verify`, the anchor, the search
//! index's mark) seals first, so a committed change is never missing from what they read.
//! Several servers on one database each seal; the head's row lock orders them.
//!
//! Record ids come from the `record_id` sequence on PostgreSQL (no lock); on SQLite, where the
//! database has one writer anyway, from `audit_head.next_id`, updated by the first statement
//! of every write so the write lock is taken before anything is read. In-process SQLite writers
//! queue on a fair async mutex instead of SQLite's sleeping busy handler.

use crate::error::{StoreError, StoreResult};
use crate::sql::{self, ScopeColumns, contains, get, now_ms};
use crate::{Backend, Caller, DataScope, Page, PageRequest, Store};
use sea_orm::sea_query::{Expr, ExprTrait, Order, Query};
use sea_orm::{ConnectionTrait, DatabaseTransaction, Statement, TransactionTrait};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sha2::{Digest, Sha256};
use std::sync::Arc;
use tokio::sync::{Mutex, Notify, OwnedMutexGuard};

const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";
const COLS: ScopeColumns = ScopeColumns {
    table: "audit_log",
    region_path: Some("region_path"),
    org: Some("org_id"),
    owner: Some("actor_id"),
};
/// Records chained per sealing transaction.
const SEAL_BATCH: u64 = 2000;
/// PostgreSQL: a sealing pass that moved this many records vacuums the pending table.
const VACUUM_AFTER: u64 = 20_000;

/// What the writers of one process share with its sealer.
#[derive(Default)]
pub(crate) struct Sealer {
    /// Signalled when a write with audit records commits.
    written: Notify,
    /// SQLite: the in-process writers' queue (FIFO), ahead of the database's write lock.
    sqlite_writer: Arc<Mutex<()>>,
    /// Set when the store is closed: the server's sealer task ends.
    closed: std::sync::atomic::AtomicBool,
}

impl Sealer {
    pub(crate) fn close(&self) {
        self.closed
            .store(true, std::sync::atomic::Ordering::Relaxed);
        self.written.notify_one();
    }
}

/// One change to record.
#[derive(Debug, Clone)]
pub(crate) struct Change {
    pub action: &'static str,
    pub entity: &'static str,
    pub entity_id: String,
    pub region_path: Option<String>,
    pub org_id: Option<i64>,
    pub before: Option<Value>,
    pub after: Option<Value>,
}

/// A write transaction that carries its audit records with it.
pub(crate) struct WriteTx {
    tx: DatabaseTransaction,
    caller: Caller,
    /// SQLite: the next record id and the first one this transaction took; PostgreSQL: none
    /// (the `record_id` sequence).
    ids: Option<(i64, i64)>,
    pending: Vec<AuditEntry>,
    sealer: Arc<Sealer>,
    /// SQLite: this process's writer slot, held to commit.
    _slot: Option<OwnedMutexGuard<()>>,
}

impl Store {
    /// Begin a write. On SQLite, queue for the writer slot and take the database's write lock
    /// with the first statement.
    pub(crate) async fn write(&self, caller: &Caller) -> StoreResult<WriteTx> {
        let slot = match self.backend {
            Backend::Sqlite => Some(self.sealer.sqlite_writer.clone().lock_owned().await),
            Backend::Postgres => None,
        };
        let tx = self.writer.begin().await?;
        let ids = match self.backend {
            Backend::Sqlite => {
                let mut lock = Query::update();
                lock.table("audit_head")
                    .value("next_id", Expr::col("next_id"))
                    .and_where(Expr::col("id").eq(1));
                tx.execute(&lock).await?;
                let mut q = Query::select();
                q.column("next_id")
                    .from("audit_head")
                    .and_where(Expr::col("id").eq(1));
                let row = sql::fetch_one(&tx, &q)
                    .await?
                    .ok_or_else(|| StoreError::corrupt("audit_head 缺失"))?;
                let next: i64 = get(&row, "next_id")?;
                Some((next, next))
            }
            Backend::Postgres => None,
        };
        Ok(WriteTx {
            tx,
            caller: caller.clone(),
            ids,
            pending: Vec::new(),
            sealer: self.sealer.clone(),
            _slot: slot,
        })
    }

    /// Seal the audit records of this process's writes as they commit, and every second those
    /// of other processes (a CLI import, another server), until the store is closed.
    pub fn spawn_sealer(&self) {
        let Ok(rt) = tokio::runtime::Handle::try_current() else {
            return;
        };
        let store = self.clone();
        rt.spawn(async move {
            let closed = || {
                store
                    .sealer
                    .closed
                    .load(std::sync::atomic::Ordering::Relaxed)
            };
            while !closed() {
                let wait = store.sealer.written.notified();
                let _ = tokio::time::timeout(std::time::Duration::from_secs(1), wait).await;
                if closed() {
                    break;
                }
                if let Err(e) = store.seal_audit().await {
                    tracing::warn!(error = %e, "sealing the audit log failed; retrying");
                    tokio::time::sleep(std::time::Duration::from_secs(1)).await;
                }
            }
        });
    }

    /// Chain every committed pending audit record onto the log; returns how many were sealed.
    /// Safe to run from several tasks and servers at once: each batch holds the head row.
    pub async fn seal_audit(&self) -> StoreResult<u64> {
        let mut sealed = 0u64;
        loop {
            // By the key's index: after an import PostgreSQL's table holds the sealed rows as
            // dead tuples until vacuumed, and a plain `LIMIT 1` scanned them all (150–200 ms
            // per check after 10^6 imported rows; every search and audit read checks).
            let mut any = Query::select();
            any.column("id")
                .from("audit_pending")
                .order_by("id", Order::Asc)
                .limit(1);
            if sql::fetch_one(&self.db, &any).await?.is_none() {
                return Ok(self.sealed(sealed).await);
            }
            let _slot = match self.backend {
                Backend::Sqlite => Some(self.sealer.sqlite_writer.clone().lock_owned().await),
                Backend::Postgres => None,
            };
            let tx = self.writer.begin().await?;
            let mut lock = Query::update();
            lock.table("audit_head")
                .value("seq", Expr::col("seq"))
                .and_where(Expr::col("id").eq(1));
            tx.execute(&lock).await?;
            let mut q = Query::select();
            q.columns(["seq", "hash"])
                .from("audit_head")
                .and_where(Expr::col("id").eq(1));
            let head = sql::fetch_one(&tx, &q)
                .await?
                .ok_or_else(|| StoreError::corrupt("audit_head 缺失"))?;
            let mut seq: i64 = get(&head, "seq")?;
            let mut hash: String = get(&head, "hash")?;
            let mut q = Query::select();
            q.column("id")
                .columns(PENDING_COLS)
                .from("audit_pending")
                .order_by("id", Order::Asc)
                .limit(SEAL_BATCH);
            let rows = sql::fetch_all(&tx, &q).await?;
            let mut ids = Vec::with_capacity(rows.len());
            let mut entries = Vec::with_capacity(rows.len());
            for r in &rows {
                ids.push(get::<i64>(r, "id")?);
                let mut e = AuditEntry::pending_from_row(r)?;
                seq += 1;
                e.seq = seq;
                e.prev_hash = hash;
                e.hash = e.compute_hash();
                hash = e.hash.clone();
                entries.push(e);
            }
            insert_entries(&tx, true, &entries).await?;
            for chunk in ids.chunks(500) {
                let mut del = Query::delete();
                del.from_table("audit_pending")
                    .and_where(Expr::col("id").is_in(chunk.iter().copied()));
                tx.execute(&del).await?;
            }
            if !entries.is_empty() {
                let mut up = Query::update();
                up.table("audit_head")
                    .value("seq", seq)
                    .value("hash", hash)
                    .and_where(Expr::col("id").eq(1));
                tx.execute(&up).await?;
            }
            tx.commit().await?;
            sealed += entries.len() as u64;
            if (rows.len() as u64) < SEAL_BATCH {
                return Ok(self.sealed(sealed).await);
            }
        }
    }

    /// The end of a sealing pass: on PostgreSQL a large one vacuums the pending table, whose
    /// sealed rows stay behind as dead tuples until then (best effort: autovacuum would get
    /// there too, later).
    async fn sealed(&self, n: u64) -> u64 {
        if n >= VACUUM_AFTER
            && self.backend == Backend::Postgres
            && let Err(e) = self.db.execute_unprepared("VACUUM audit_pending").await
        {
            tracing::warn!(error = %e, "vacuuming audit_pending failed");
        }
        n
    }
}

/// Insert audit records: sealed ones into `audit_log`, or pending ones (no seq, no hashes)
/// into `audit_pending`.
async fn insert_entries<C: ConnectionTrait>(
    c: &C,
    sealed: bool,
    entries: &[AuditEntry],
) -> StoreResult<()> {
    for chunk in entries.chunks(400) {
        let mut ins = Query::insert();
        if sealed {
            // `columns` replaces on an insert: one list.
            ins.into_table("audit_log")
                .columns(SEALED_COLS.into_iter().chain(PENDING_COLS));
        } else {
            ins.into_table("audit_pending").columns(PENDING_COLS);
        }
        for e in chunk {
            let mut vals: Vec<sea_orm::sea_query::SimpleExpr> = Vec::with_capacity(14);
            if sealed {
                vals.extend([
                    e.seq.into(),
                    e.prev_hash.clone().into(),
                    e.hash.clone().into(),
                ]);
            }
            vals.extend([
                e.at.into(),
                e.actor_id.into(),
                e.actor.clone().into(),
                e.action.clone().into(),
                e.entity.clone().into(),
                e.entity_id.clone().into(),
                e.region_path.clone().into(),
                e.org_id.into(),
                e.before_json.clone().into(),
                e.after_json.clone().into(),
                e.client_addr.clone().into(),
            ]);
            ins.values(vals).map_err(StoreError::corrupt)?;
        }
        c.execute(&ins).await?;
    }
    Ok(())
}

impl WriteTx {
    pub fn conn(&self) -> &DatabaseTransaction {
        &self.tx
    }

    /// Who writes, with their scope.
    pub fn caller(&self) -> &Caller {
        &self.caller
    }

    /// The account writing (for history records kept beside the audit log).
    pub fn actor(&self) -> &str {
        &self.caller.username
    }

    /// A new record id, unique in this database across every process that writes to it.
    pub async fn new_id(&mut self) -> StoreResult<i64> {
        self.new_ids(1)
            .await?
            .first()
            .copied()
            .ok_or_else(|| StoreError::corrupt("record_id 序列不可用"))
    }

    /// `n` new record ids (a bulk insert's), in increasing order; on PostgreSQL from the
    /// sequence in one round trip, not necessarily contiguous (other servers draw from it too).
    pub async fn new_ids(&mut self, n: usize) -> StoreResult<Vec<i64>> {
        let count = i64::try_from(n).map_err(StoreError::corrupt)?;
        if let Some((next, _)) = &mut self.ids {
            let start = *next;
            *next += count;
            return Ok((start..start + count).collect());
        }
        if n == 0 {
            return Ok(Vec::new());
        }
        let rows = self
            .tx
            .query_all_raw(Statement::from_string(
                sea_orm::DbBackend::Postgres,
                format!("SELECT nextval('record_id') AS id FROM generate_series(1, {count})"),
            ))
            .await?;
        let mut ids = rows
            .iter()
            .map(|r| get::<i64>(r, "id"))
            .collect::<StoreResult<Vec<i64>>>()?;
        ids.sort_unstable();
        Ok(ids)
    }

    /// Serialize this transaction with every other one naming the same key, to commit
    /// (PostgreSQL advisory lock; SQLite has one writer): for writes that replace a set of
    /// rows no single record stands for, such as one pack's results for a year.
    pub async fn serialize_on(&self, key: &str) -> StoreResult<()> {
        if self.ids.is_some() {
            return Ok(());
        }
        self.tx
            .execute_raw(Statement::from_sql_and_values(
                sea_orm::DbBackend::Postgres,
                "SELECT pg_advisory_xact_lock(hashtextextended($1, 0))",
                [key.into()],
            ))
            .await?;
        Ok(())
    }

    /// Give each row a new record id (one round trip for all of them).
    pub async fn number<T>(&mut self, rows: Vec<T>) -> StoreResult<Vec<(i64, T)>> {
        let ids = self.new_ids(rows.len()).await?;
        Ok(ids.into_iter().zip(rows).collect())
    }

    /// Append a change to this transaction's audit records (written at commit, in the same
    /// transaction; chained by the sealer after it).
    pub fn record(&mut self, c: Change) {
        self.pending.push(AuditEntry {
            seq: 0,
            at: now_ms(),
            actor_id: self.caller.user_id,
            actor: self.caller.username.clone(),
            action: c.action.to_owned(),
            entity: c.entity.to_owned(),
            entity_id: c.entity_id,
            region_path: c.region_path,
            org_id: c.org_id,
            before_json: c.before.map(|v| v.to_string()),
            after_json: c.after.map(|v| v.to_string()),
            prev_hash: String::new(),
            hash: String::new(),
            client_addr: self.caller.address.clone(),
        });
    }

    /// Write the pending audit records (and, on SQLite, the id counter), then commit
    /// everything and wake the sealer.
    pub async fn commit(self) -> StoreResult<()> {
        insert_entries(&self.tx, false, &self.pending).await?;
        if let Some((next, first)) = self.ids
            && next != first
        {
            let mut up = Query::update();
            up.table("audit_head")
                .value("next_id", next)
                .and_where(Expr::col("id").eq(1));
            self.tx.execute(&up).await?;
        }
        self.tx.commit().await?;
        if !self.pending.is_empty() {
            self.sealer.written.notify_one();
        }
        Ok(())
    }
}

/// One audit record as stored.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct AuditEntry {
    pub seq: i64,
    /// Epoch milliseconds (UTC).
    pub at: i64,
    pub actor_id: Option<i64>,
    pub actor: String,
    /// create | update | delete | import | login | login_failed | logout | password ...
    pub action: String,
    pub entity: String,
    pub entity_id: String,
    pub region_path: Option<String>,
    pub org_id: Option<i64>,
    /// JSON of the record before the change.
    pub before_json: Option<String>,
    /// JSON of the record after the change.
    pub after_json: Option<String>,
    pub prev_hash: String,
    pub hash: String,
    /// The client's address (等保: where a change came from); none for the system and the CLI,
    /// and for records written before it was kept (migration 16).
    pub client_addr: Option<String>,
}

impl AuditEntry {
    fn compute_hash(&self) -> String {
        let mut canonical = serde_json::json!([
            self.seq,
            self.prev_hash,
            self.at,
            self.actor_id,
            self.actor,
            self.action,
            self.entity,
            self.entity_id,
            self.region_path,
            self.org_id,
            self.before_json,
            self.after_json,
        ]);
        // Appended only when present, so records written before the column keep their hash.
        if let (Some(a), Some(v)) = (&self.client_addr, canonical.as_array_mut()) {
            v.push(a.clone().into());
        }
        hex::encode(Sha256::digest(canonical.to_string().as_bytes()))
    }

    fn pending_from_row(r: &sea_orm::QueryResult) -> StoreResult<Self> {
        Ok(Self {
            seq: 0,
            at: get(r, "at")?,
            actor_id: get(r, "actor_id")?,
            actor: get(r, "actor")?,
            action: get(r, "action")?,
            entity: get(r, "entity")?,
            entity_id: get(r, "entity_id")?,
            region_path: get(r, "region_path")?,
            org_id: get(r, "org_id")?,
            before_json: get(r, "before_json")?,
            after_json: get(r, "after_json")?,
            prev_hash: String::new(),
            hash: String::new(),
            client_addr: get(r, "client_addr")?,
        })
    }

    fn from_row(r: &sea_orm::QueryResult) -> StoreResult<Self> {
        Ok(Self {
            seq: get(r, "seq")?,
            prev_hash: get(r, "prev_hash")?,
            hash: get(r, "hash")?,
            ..Self::pending_from_row(r)?
        })
    }
}

/// The columns of a pending record: a sealed one's without `seq` and the hashes.
const PENDING_COLS: [&str; 11] = [
    "at",
    "actor_id",
    "actor",
    "action",
    "entity",
    "entity_id",
    "region_path",
    "org_id",
    "before_json",
    "after_json",
    "client_addr",
];

/// What sealing adds to a pending record's columns.
const SEALED_COLS: [&str; 3] = ["seq", "prev_hash", "hash"];

/// Filters of the audit list.
#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
pub struct AuditFilter {
    pub entity: Option<String>,
    pub entity_id: Option<String>,
    pub actor: Option<String>,
    pub action: Option<String>,
    /// From (epoch ms, inclusive).
    pub from: Option<i64>,
    /// To (epoch ms, exclusive).
    pub to: Option<i64>,
}

/// The outcome of [`Store::verify_audit`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct AuditVerification {
    pub ok: bool,
    pub records: i64,
    /// The first record that does not verify, and why.
    pub first_bad_seq: Option<i64>,
    pub reason: Option<String>,
}

impl Store {
    /// The audit log, newest first, within the caller's scope.
    pub async fn list_audit(
        &self,
        scope: &DataScope,
        f: &AuditFilter,
        page: PageRequest,
    ) -> StoreResult<Page<AuditEntry>> {
        self.seal_audit().await?;
        let mut q = Query::select();
        q.columns(SEALED_COLS)
            .columns(PENDING_COLS)
            .from("audit_log")
            .cond_where(sql::scope_condition(scope, COLS));
        if let Some(v) = f.entity.as_deref().filter(|s| !s.is_empty()) {
            q.and_where(Expr::col("entity").eq(v));
        }
        if let Some(v) = f.entity_id.as_deref().filter(|s| !s.is_empty()) {
            q.and_where(Expr::col("entity_id").eq(v));
        }
        if let Some(v) = f.actor.as_deref().filter(|s| !s.is_empty()) {
            q.and_where(Expr::col("actor").like(contains(v)));
        }
        if let Some(v) = f.action.as_deref().filter(|s| !s.is_empty()) {
            q.and_where(Expr::col("action").eq(v));
        }
        if let Some(v) = f.from {
            q.and_where(Expr::col("at").gte(v));
        }
        if let Some(v) = f.to {
            q.and_where(Expr::col("at").lt(v));
        }
        q.order_by("seq", Order::Desc);
        self.paged(q, page, AuditEntry::from_row).await
    }

    /// Recompute the whole chain. Reads in pages so memory stays flat on long logs.
    pub async fn verify_audit(&self) -> StoreResult<AuditVerification> {
        // The head first: records committed while we read lie beyond it and are not judged.
        self.seal_audit().await?;
        let mut q = Query::select();
        q.columns(["seq", "hash"])
            .from("audit_head")
            .and_where(Expr::col("id").eq(1));
        let head = sql::fetch_one(&self.db, &q)
            .await?
            .ok_or_else(|| StoreError::corrupt("audit_head 缺失"))?;
        let head_seq: i64 = get(&head, "seq")?;
        let head_hash: String = get(&head, "hash")?;
        let mut prev = GENESIS.to_owned();
        let mut expected_seq = 1i64;
        let bad = |seq: i64, n: i64, why: String| AuditVerification {
            ok: false,
            records: n,
            first_bad_seq: Some(seq),
            reason: Some(why),
        };
        loop {
            let mut q = Query::select();
            q.columns(SEALED_COLS)
                .columns(PENDING_COLS)
                .from("audit_log")
                .and_where(Expr::col("seq").gte(expected_seq))
                .and_where(Expr::col("seq").lte(head_seq))
                .order_by("seq", Order::Asc)
                .limit(5000);
            let rows = sql::fetch_all(&self.db, &q).await?;
            if rows.is_empty() {
                break;
            }
            for r in &rows {
                let e = AuditEntry::from_row(r)?;
                let n = expected_seq - 1;
                if e.seq != expected_seq {
                    return Ok(bad(
                        expected_seq,
                        n,
                        format!("第 {expected_seq} 条记录缺失（下一条为第 {} 条）", e.seq),
                    ));
                }
                if e.prev_hash != prev {
                    return Ok(bad(
                        e.seq,
                        n,
                        format!("第 {} 条记录的前序哈希与上一条不符", e.seq),
                    ));
                }
                if e.compute_hash() != e.hash {
                    return Ok(bad(
                        e.seq,
                        n,
                        format!("第 {} 条记录内容被修改（哈希不符）", e.seq),
                    ));
                }
                prev = e.hash;
                expected_seq += 1;
            }
        }
        let n = expected_seq - 1;
        if head_seq != n || head_hash != prev {
            return Ok(bad(
                n + 1,
                n,
                format!("日志尾部被截断：链头记录为第 {head_seq} 条，实际只有 {n} 条"),
            ));
        }
        Ok(AuditVerification {
            ok: true,
            records: n,
            first_bad_seq: None,
            reason: None,
        })
    }

    /// The chain's head `(seq, hash)`: what an external anchor records.
    pub async fn audit_head(&self) -> StoreResult<(i64, String)> {
        self.seal_audit().await?;
        let mut q = Query::select();
        q.columns(["seq", "hash"])
            .from("audit_head")
            .and_where(Expr::col("id").eq(1));
        let r = sql::fetch_one(&self.db, &q)
            .await?
            .ok_or_else(|| StoreError::corrupt("audit_head 缺失"))?;
        Ok((get(&r, "seq")?, get(&r, "hash")?))
    }

    /// The hash stored for record `seq`, if the record exists.
    pub async fn audit_hash_at(&self, seq: i64) -> StoreResult<Option<String>> {
        let mut q = Query::select();
        q.column("hash")
            .from("audit_log")
            .and_where(Expr::col("seq").eq(seq));
        match sql::fetch_one(&self.db, &q).await? {
            Some(r) => Ok(Some(get(&r, "hash")?)),
            None => Ok(None),
        }
    }

    /// Record an event that is not a record change (an export, say) in its own transaction,
    /// filed under the caller's region or organization so that scoped auditors see it.
    pub async fn audit_event(
        &self,
        caller: &Caller,
        action: &'static str,
        entity: &'static str,
        entity_id: &str,
        detail: Option<Value>,
    ) -> StoreResult<()> {
        let (region_path, org_id) = caller.audit_keys();
        let mut tx = self.write(caller).await?;
        tx.record(Change {
            action,
            entity,
            entity_id: entity_id.to_owned(),
            region_path,
            org_id,
            before: None,
            after: detail,
        });
        tx.commit().await
    }

    /// Test and tooling hook: run raw SQL outside the store's rules (used by the tamper tests
    /// and never by the server).
    #[doc(hidden)]
    pub async fn execute_unchecked(&self, sql: &str) -> StoreResult<u64> {
        Ok(self.db.execute_unprepared(sql).await?.rows_affected())
    }
}
