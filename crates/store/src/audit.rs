//! The audit log (操作日志): an append-only, hash-chained record of every write.
//!
//! Record `n` stores `hash_n = SHA-256(canonical(n, hash_{n-1}, at, actor, action, entity,
//! before, after))`, and the single-row `audit_head` holds the newest `(seq, hash)`. Editing,
//! deleting or reordering any record, or truncating the tail, breaks the chain, and
//! [`Store::verify_audit`] names the first broken record.
//!
//! Writers serialize on `audit_head`: the first statement of every write transaction updates it,
//! which takes the row lock on PostgreSQL and the write lock on SQLite before anything is read.
//! The same row hands out record ids (`next_id`), so ids are unique across every process that
//! writes to the database (the server, a CLI import) without a sequence.

use crate::error::{StoreError, StoreResult};
use crate::sql::{self, ScopeColumns, contains, get, now_ms};
use crate::{Caller, DataScope, Page, PageRequest, Store};
use sea_orm::sea_query::{Expr, ExprTrait, Order, Query};
use sea_orm::{ConnectionTrait, DatabaseTransaction, TransactionTrait};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sha2::{Digest, Sha256};

const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";
const COLS: ScopeColumns = ScopeColumns {
    table: "audit_log",
    region_path: Some("region_path"),
    org: Some("org_id"),
    owner: Some("actor_id"),
};

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

/// A write transaction that carries the audit chain with it.
pub(crate) struct WriteTx {
    tx: DatabaseTransaction,
    caller: Caller,
    seq: i64,
    hash: String,
    next_id: i64,
    first_id: i64,
    pending: Vec<AuditEntry>,
}

impl Store {
    /// Begin a write: take the audit-chain lock first, then read the chain head.
    pub(crate) async fn write(&self, caller: &Caller) -> StoreResult<WriteTx> {
        let tx = self.db.begin().await?;
        let mut lock = Query::update();
        lock.table("audit_head")
            .value("seq", Expr::col("seq"))
            .and_where(Expr::col("id").eq(1));
        tx.execute(&lock).await?;
        let mut q = Query::select();
        q.columns(["seq", "hash", "next_id"])
            .from("audit_head")
            .and_where(Expr::col("id").eq(1));
        let row = sql::fetch_one(&tx, &q)
            .await?
            .ok_or_else(|| StoreError::corrupt("audit_head 缺失"))?;
        let next_id: i64 = get(&row, "next_id")?;
        Ok(WriteTx {
            seq: get(&row, "seq")?,
            hash: get(&row, "hash")?,
            next_id,
            first_id: next_id,
            tx,
            caller: caller.clone(),
            pending: Vec::new(),
        })
    }
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

    /// A new record id, unique in this database (allocated under the write lock).
    pub fn new_id(&mut self) -> i64 {
        let id = self.next_id;
        self.next_id += 1;
        id
    }

    /// Append a change to the chain (written at commit, in the same transaction).
    pub fn record(&mut self, c: Change) {
        let seq = self.seq + 1;
        let before_json = c.before.map(|v| v.to_string());
        let after_json = c.after.map(|v| v.to_string());
        let mut e = AuditEntry {
            seq,
            at: now_ms(),
            actor_id: self.caller.user_id,
            actor: self.caller.username.clone(),
            action: c.action.to_owned(),
            entity: c.entity.to_owned(),
            entity_id: c.entity_id,
            region_path: c.region_path,
            org_id: c.org_id,
            before_json,
            after_json,
            prev_hash: self.hash.clone(),
            hash: String::new(),
            client_addr: self.caller.address.clone(),
        };
        e.hash = e.compute_hash();
        self.seq = seq;
        self.hash = e.hash.clone();
        self.pending.push(e);
    }

    /// Write the pending audit records and the new head, then commit everything.
    pub async fn commit(self) -> StoreResult<()> {
        for chunk in self.pending.chunks(400) {
            let mut ins = Query::insert();
            ins.into_table("audit_log").columns([
                "seq",
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
                "prev_hash",
                "hash",
                "client_addr",
            ]);
            for e in chunk {
                ins.values([
                    e.seq.into(),
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
                    e.prev_hash.clone().into(),
                    e.hash.clone().into(),
                    e.client_addr.clone().into(),
                ])
                .map_err(StoreError::corrupt)?;
            }
            self.tx.execute(&ins).await?;
        }
        if !self.pending.is_empty() || self.next_id != self.first_id {
            let mut up = Query::update();
            up.table("audit_head")
                .value("seq", self.seq)
                .value("hash", self.hash.clone())
                .value("next_id", self.next_id)
                .and_where(Expr::col("id").eq(1));
            self.tx.execute(&up).await?;
        }
        self.tx.commit().await?;
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

    fn from_row(r: &sea_orm::QueryResult) -> StoreResult<Self> {
        Ok(Self {
            seq: get(r, "seq")?,
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
            prev_hash: get(r, "prev_hash")?,
            hash: get(r, "hash")?,
            client_addr: get(r, "client_addr")?,
        })
    }
}

const ALL_COLS: [&str; 14] = [
    "seq",
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
    "prev_hash",
    "hash",
    "client_addr",
];

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
        let mut q = Query::select();
        q.columns(ALL_COLS)
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
        sql::paged(&self.db, q, page, AuditEntry::from_row).await
    }

    /// Recompute the whole chain. Reads in pages so memory stays flat on long logs.
    pub async fn verify_audit(&self) -> StoreResult<AuditVerification> {
        // The head first: records committed while we read lie beyond it and are not judged.
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
            q.columns(ALL_COLS)
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
