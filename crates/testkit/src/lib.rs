//! Test support. Every test that touches storage runs once per backend:
//!
//! - SQLite: a new database file under the system temp directory;
//! - PostgreSQL: a new database on the server named by `KECHUANG_TEST_PG`
//!   (default `postgres://postgres@127.0.0.1:5432/test`), created per test and dropped after.
//!
//! PostgreSQL is required: a test fails when it cannot connect, unless
//! `KECHUANG_TEST_SKIP_PG=1` is set explicitly (e.g. on a laptop without a server).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use kechuang_store::Store;
use sea_orm::{ConnectionTrait, Database};
use std::sync::atomic::{AtomicU32, Ordering};

pub mod hostile;

static COUNTER: AtomicU32 = AtomicU32::new(0);

pub const DEFAULT_PG: &str = "postgres://postgres@127.0.0.1:5432/test";

/// A store on one backend, with what is needed to clean it up.
pub struct TestDb {
    pub name: &'static str,
    pub url: String,
    pub store: Store,
    cleanup: Cleanup,
}

enum Cleanup {
    File(std::path::PathBuf),
    Pg { admin_url: String, db: String },
}

fn unique(prefix: &str) -> String {
    format!(
        "{prefix}_{}_{}_{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.subsec_nanos())
            .unwrap_or(0)
    )
}

/// A migrated SQLite store in a fresh file.
pub async fn sqlite() -> TestDb {
    let dir = std::env::temp_dir().join("kechuang-tests");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(format!("{}.db", unique("t")));
    let url = format!("sqlite://{}", path.display());
    let store = Store::connect(&url).await.unwrap();
    store.migrate().await.unwrap();
    TestDb {
        name: "sqlite",
        url,
        store,
        cleanup: Cleanup::File(path),
    }
}

/// A migrated PostgreSQL store in a fresh database, or `None` when explicitly skipped.
pub async fn postgres() -> Option<TestDb> {
    if std::env::var("KECHUANG_TEST_SKIP_PG").is_ok_and(|v| v == "1") {
        return None;
    }
    let admin_url = std::env::var("KECHUANG_TEST_PG").unwrap_or_else(|_| DEFAULT_PG.to_owned());
    let db = unique("kc_test");
    let admin = Database::connect(&admin_url).await.unwrap_or_else(|e| {
        panic!("PostgreSQL is required for the test suite ({admin_url}): {e}. Set KECHUANG_TEST_SKIP_PG=1 to skip explicitly.")
    });
    admin
        .execute_unprepared(&format!("CREATE DATABASE {db}"))
        .await
        .unwrap();
    admin.close().await.unwrap();
    let base = admin_url
        .rsplit_once('/')
        .map(|(b, _)| b.to_owned())
        .unwrap_or(admin_url.clone());
    let url = format!("{base}/{db}");
    let store = Store::connect(&url).await.unwrap();
    store.migrate().await.unwrap();
    Some(TestDb {
        name: "postgres",
        url,
        store,
        cleanup: Cleanup::Pg { admin_url, db },
    })
}

/// Both backends: SQLite always, PostgreSQL unless explicitly skipped.
pub async fn all() -> Vec<TestDb> {
    let mut v = vec![sqlite().await];
    v.extend(postgres().await);
    v
}

impl TestDb {
    /// Run one SQL statement on the database directly, behind the store's back: how a test
    /// moves time (a notice that started 20 days ago) without a clock in the store.
    pub async fn execute(&self, sql: &str) {
        let db = Database::connect(&self.url).await.unwrap();
        db.execute_unprepared(sql).await.unwrap();
        db.close().await.unwrap();
    }

    /// Whether another process is in the middle of writing to this database: on PostgreSQL an
    /// open transaction running INSERTs, on SQLite uncommitted pages spilled into the WAL file
    /// beyond `baseline` bytes.
    pub async fn write_in_progress(&self, wal_baseline: u64) -> bool {
        match &self.cleanup {
            Cleanup::File(p) => std::fs::metadata(format!("{}-wal", p.display()))
                .map(|m| m.len() > wal_baseline)
                .unwrap_or(false),
            Cleanup::Pg { admin_url, db } => {
                let Ok(admin) = Database::connect(admin_url).await else {
                    return false;
                };
                let sql = format!(
                    "SELECT COUNT(*) AS n FROM pg_stat_activity WHERE datname = '{db}' AND xact_start IS NOT NULL AND query ILIKE 'INSERT%'"
                );
                let n = admin
                    .query_one_raw(sea_orm::Statement::from_string(
                        sea_orm::DbBackend::Postgres,
                        sql,
                    ))
                    .await
                    .ok()
                    .flatten()
                    .and_then(|r| r.try_get::<i64>("", "n").ok())
                    .unwrap_or(0);
                let _ = admin.close().await;
                n > 0
            }
        }
    }

    /// Current size of the SQLite WAL file (0 elsewhere).
    pub fn wal_size(&self) -> u64 {
        match &self.cleanup {
            Cleanup::File(p) => std::fs::metadata(format!("{}-wal", p.display()))
                .map(|m| m.len())
                .unwrap_or(0),
            Cleanup::Pg { .. } => 0,
        }
    }

    /// Close the pool and remove the database.
    pub async fn drop_db(self) {
        let TestDb { store, cleanup, .. } = self;
        let _ = store.close().await;
        match cleanup {
            Cleanup::File(p) => {
                for suffix in ["", "-wal", "-shm"] {
                    let _ = std::fs::remove_file(format!("{}{suffix}", p.display()));
                }
            }
            Cleanup::Pg { admin_url, db } => {
                if let Ok(admin) = Database::connect(&admin_url).await {
                    let _ = admin
                        .execute_unprepared(&format!("DROP DATABASE IF EXISTS {db} WITH (FORCE)"))
                        .await;
                    let _ = admin.close().await;
                }
            }
        }
    }
}

/// Builders for valid records, shared by the test suites and the benchmark.
pub mod fixtures {
    use kechuang_domain::organization::{NewOrganization, OrgKind};
    use kechuang_domain::person::NewPerson;
    use kechuang_domain::platform::{NewPlatform, PlatformLevel, PlatformStatus, PlatformType};
    use kechuang_domain::{CreditCode, RegionCode};

    /// A valid credit code registered in `region` with a unique `serial`.
    pub fn credit_code(region: &str, serial: u32) -> CreditCode {
        CreditCode::complete(&format!("91{region}{serial:09}")).unwrap()
    }

    /// An enterprise in `region` (a GB/T 2260 code).
    pub fn org(region: &str, serial: u32, name: &str) -> NewOrganization {
        NewOrganization {
            credit_code: credit_code(region, serial),
            name: name.to_owned(),
            kind: OrgKind::Enterprise,
            region: RegionCode::parse(region).unwrap(),
            industry: None,
            founded_on: None,
            legal_representative: None,
            size_class: None,
        }
    }

    /// A city-level key laboratory hosted by `host`.
    pub fn platform(host: i64, name: &str) -> NewPlatform {
        NewPlatform {
            name: name.to_owned(),
            platform_type: PlatformType::KeyLaboratory,
            level: PlatformLevel::City,
            host_org_id: host,
            recognized_on: None,
            approval_document: None,
            status: PlatformStatus::Active,
        }
    }

    /// An expert working at `org`.
    pub fn expert(org: i64, name: &str) -> NewPerson {
        NewPerson {
            name: name.to_owned(),
            org_id: Some(org),
            region: None,
            title: None,
            title_level: None,
            disciplines: vec![],
            keywords: vec![],
            is_expert: true,
            talent_programme: None,
            id_number: None,
        }
    }
}
