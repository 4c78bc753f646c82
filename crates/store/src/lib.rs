//! Kechuang's persistence layer: one schema on two backends, SQLite (the embedded default)
//! and PostgreSQL (production), chosen by the URL at start-up.
//!
//! **Invariants**
//! - Nothing above this crate writes SQL. Queries are built with sea-query and rendered for the
//!   backend in use, so there is one code path for both databases.
//! - Every read takes a [`DataScope`]; every write takes a [`Caller`] (who, and their scope). The
//!   scope becomes a SQL predicate on the table's scoping columns, and writes re-check that the
//!   new values stay inside the scope. There is no unscoped API.
//! - Every write appends its audit records inside the same transaction, so a change and its
//!   audit record are committed together or not at all; a sealer then chains committed records
//!   into the hash-chained log (see [`audit`]), so writers never wait for one another's audit.
//! - Money is stored as integer fen, dates as `YYYY-MM-DD` text, instants as epoch milliseconds:
//!   the same exact representation on both backends.

pub mod accounts;
pub mod achievements;
pub mod applicant;
pub mod audit;
pub mod awards;
pub mod brokerage;
pub mod carriers;
pub mod contracts;
mod error;
pub mod funds;
pub mod monitoring;
pub mod orgs;
pub mod people;
pub mod persons;
pub mod platform_life;
pub mod platforms;
pub mod projects;
pub mod record;
pub mod review;
pub mod rule_results;
mod schema;
pub mod search_docs;
mod sql;
pub mod stats;
pub mod years;

pub use error::{StoreError, StoreResult};
pub use kechuang_domain::DataScope;
pub use sql::{COUNT_TTL, EXACT_COUNT_LIMIT, Page, PageRequest, SortOrder};

use kechuang_domain::RegionTree;
use sea_orm::{ConnectOptions, Database, DatabaseConnection};
use std::time::Duration;

/// Who is writing: the account (for the audit log) and the data scope it acts in.
#[derive(Debug, Clone)]
pub struct Caller {
    pub user_id: Option<i64>,
    pub username: String,
    pub scope: DataScope,
    /// The client's address (等保: every audit record says where the change came from); none
    /// for the system itself and for the CLI.
    pub address: Option<String>,
}

impl Caller {
    /// Where an event of this caller is filed in the audit log (region path, organization), so
    /// that auditors of that region or organization see it.
    pub(crate) fn audit_keys(&self) -> (Option<String>, Option<i64>) {
        match &self.scope {
            DataScope::Region { path, .. } => (Some(path.clone()), None),
            DataScope::Organization { org_id } => (None, Some(*org_id)),
            DataScope::All | DataScope::SelfOnly { .. } => (None, None),
        }
    }

    /// The system itself (migrations, demo loader, CLI run by the operator), scope All.
    pub fn system(name: &str) -> Self {
        Self {
            user_id: None,
            username: name.to_owned(),
            scope: DataScope::All,
            address: None,
        }
    }
}

/// Which database is behind the store.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A handle to the database. Cheap to clone.
#[derive(Clone)]
pub struct Store {
    db: DatabaseConnection,
    /// SQLite: the one connection of this process's write transactions and sealer;
    /// PostgreSQL: the pool.
    writer: DatabaseConnection,
    backend: Backend,
    sealer: std::sync::Arc<audit::Sealer>,
    counts: std::sync::Arc<sql::CountCache>,
}

impl Store {
    /// Connect to `sqlite://PATH` (created if missing, WAL) or `postgres://...`.
    pub async fn connect(url: &str) -> StoreResult<Self> {
        let backend = if url.starts_with("sqlite:") {
            Backend::Sqlite
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Backend::Postgres
        } else {
            return Err(StoreError::Config(format!(
                "不支持的数据库地址“{url}”：应以 sqlite:// 或 postgres:// 开头"
            )));
        };
        let opts = |max: u32| {
            let mut opts = ConnectOptions::new(url.to_owned());
            opts.sqlx_logging(false)
                .acquire_timeout(Duration::from_secs(30));
            match backend {
                Backend::Sqlite => {
                    opts.max_connections(max).min_connections(1);
                    opts.map_sqlx_sqlite_opts(|o| {
                        use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
                        o.create_if_missing(true)
                            .journal_mode(SqliteJournalMode::Wal)
                            .synchronous(SqliteSynchronous::Normal)
                            .foreign_keys(true)
                            .busy_timeout(Duration::from_secs(30))
                            // Region scoping is a `LIKE 'prefix%'` on a BINARY index: SQLite
                            // uses the index only when LIKE is case-sensitive. Codes and paths
                            // are digits, and Chinese has no case.
                            .pragma("case_sensitive_like", "ON")
                            // After a checkpoint the WAL file is cut back to this size.
                            .pragma("journal_size_limit", "67108864")
                    });
                }
                Backend::Postgres => {
                    opts.max_connections(max).min_connections(1);
                }
            }
            opts
        };
        if backend == Backend::Sqlite
            && let Some(path) = url
                .strip_prefix("sqlite://")
                .map(|p| p.split('?').next().unwrap_or(p))
            && let Some(dir) = std::path::Path::new(path).parent()
            && !dir.as_os_str().is_empty()
            && path != ":memory:"
        {
            std::fs::create_dir_all(dir)
                .map_err(|e| StoreError::Config(format!("无法创建数据目录：{e}")))?;
        }
        let db = Database::connect(opts(match backend {
            Backend::Sqlite => 8,
            Backend::Postgres => 16,
        }))
        .await?;
        // SQLite has one writer at a time, and this process's writers already queue on the
        // sealer's mutex; their own connection keeps them from also queueing behind every
        // reader for one of the pool's (50 clients, read mix: an update's median 278 ms with
        // the shared pool). An in-memory database is one per connection: it keeps the pool.
        let writer = if backend == Backend::Sqlite && !url.contains(":memory:") {
            Database::connect(opts(1)).await?
        } else {
            db.clone()
        };
        Ok(Self {
            db,
            writer,
            backend,
            sealer: Default::default(),
            counts: Default::default(),
        })
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// SQLite: copy the write-ahead log into the database and truncate it. SQLite's own
    /// checkpoints are passive and starve while readers keep the log busy (measured: 396 MB
    /// under load), so the server runs this on a timer; TRUNCATE waits (busy timeout) for the
    /// readers of the log's end. Returns the WAL frames left (0 when complete); a no-op on
    /// PostgreSQL.
    pub async fn checkpoint(&self) -> StoreResult<i64> {
        if self.backend != Backend::Sqlite {
            return Ok(0);
        }
        use sea_orm::{ConnectionTrait, Statement};
        let row = self
            .db
            .query_one_raw(Statement::from_string(
                self.db.get_database_backend(),
                "PRAGMA wal_checkpoint(TRUNCATE)",
            ))
            .await?;
        Ok(match row {
            // (busy, log frames, checkpointed frames)
            Some(r) => {
                let busy: i64 = r.try_get_by_index(0)?;
                let log: i64 = r.try_get_by_index(1)?;
                let done: i64 = r.try_get_by_index(2)?;
                if busy != 0 {
                    std::cmp::max(log, 1)
                } else {
                    log - done
                }
            }
            None => 0,
        })
    }

    /// Apply pending migrations; returns the schema version now in force.
    pub async fn migrate(&self) -> StoreResult<i64> {
        let v = schema::migrate(&self.db, self.backend).await?;
        self.ensure_builtin_roles().await?;
        Ok(v)
    }

    /// The shipped GB/T 2260 tree.
    pub fn regions(&self) -> &'static RegionTree {
        RegionTree::shipped()
    }

    /// Close the pool (tests and CLI commands that exit).
    /// Refreshes the planner's statistics of a table after a bulk write. PostgreSQL's
    /// autovacuum does it eventually; until then a plan made on an empty table's statistics can
    /// scan a whole region's rows for a list the full-text search already narrowed to a few ids
    /// (measured: 273 ms instead of a few on 10^6 organizations).
    pub(crate) async fn analyze_after_bulk(
        &self,
        table: &'static str,
        rows: usize,
    ) -> StoreResult<()> {
        if rows >= 10_000 && self.backend == Backend::Postgres {
            use sea_orm::ConnectionTrait;
            self.db
                .execute_unprepared(&format!("ANALYZE {table}"))
                .await?;
        }
        Ok(())
    }

    pub async fn close(self) -> StoreResult<()> {
        self.sealer.close();
        if self.backend == Backend::Sqlite {
            self.writer.close().await?;
        }
        self.db.close().await?;
        Ok(())
    }
}
