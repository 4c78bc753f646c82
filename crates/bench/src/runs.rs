//! `kechuang-bench runs [ORGS]` (default 1,000,000): 运行评价 over the whole registry.
//!
//! For SQLite and PostgreSQL in turn: imports ORGS organizations, gives each the 2025 figures
//! the 科技型中小企业 pack reads (one `INSERT … SELECT`), then runs the pack over everything
//! twice through the job the API starts (`rules_io::start_run` + `execute_run`: read the
//! figures in pages, evaluate, store each result with its explanation, then make the results
//! current in one step; the second run replaces the first's million results). Prints the time,
//! enterprises/s, the peak resident memory above the level before the run, and the anchors
//! measured in the same run on the same figures in memory: the engine alone (`evaluate_batch`),
//! the engine with the row a run stores (outputs, pools, inputs), and for scale the
//! explanations and gaps a run no longer writes (derived when a result is read).
//!
//! Figures, not assertions.

use kechuang_rules::{Entity, Value};
use kechuang_server::rules_io::{
    RegistryEntity, execute_run, official_pack, result_row, start_run,
};
use kechuang_store::Caller;
use kechuang_testkit::TestDb;
use rust_decimal::Decimal;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Instant;

/// The figures the seed gives organization `id` (the same in SQL and in memory).
fn figures(id: i64) -> [(&'static str, Value); 9] {
    let n = |v: i64| Value::Num(Decimal::from(v));
    let yuan = |v: i64| Value::Num(Decimal::from(v));
    [
        ("employees", n(20 + id % 400)),
        ("tech_staff", n(3 + id % 60)),
        ("revenue", yuan((id % 50_000) * 1_000)),
        ("total_assets", yuan((id % 40_000) * 1_200)),
        ("rd_expense", yuan((id % 997) * 5_000)),
        ("ip_class1", n(id % 3)),
        ("ip_class2", n(id % 7)),
        ("hte_valid", Value::Bool(id % 5 == 0)),
        ("serious_violation", Value::Bool(id % 97 == 0)),
    ]
}

const SEED: &str = "INSERT INTO enterprise_years (id, org_id, year, region_path, employees, tech_staff, \
    revenue, total_assets, rd_expense, ip_class1, ip_class2, hte_valid, serious_violation, created_at, updated_at) \
    SELECT id + 4000000000, id, 2025, region_path, 20 + id % 400, 3 + id % 60, \
    (id % 50000) * 100000, (id % 40000) * 120000, (id % 997) * 500000, id % 3, id % 7, \
    (id % 5 = 0), (id % 97 = 0), 0, 0 FROM organizations";

fn rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        })
        .unwrap_or(0)
}

/// Run `f`, sampling the resident memory every 10 ms: (result, peak MiB above the start).
async fn peak<T>(f: impl std::future::Future<Output = T>) -> (T, f64) {
    let base = rss_kib();
    let top = Arc::new(AtomicU64::new(base));
    let stop = Arc::new(AtomicBool::new(false));
    let (t, s) = (top.clone(), stop.clone());
    let sampler = std::thread::spawn(move || {
        while !s.load(Ordering::Relaxed) {
            t.fetch_max(rss_kib(), Ordering::Relaxed);
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
    });
    let out = f.await;
    stop.store(true, Ordering::Relaxed);
    sampler.join().unwrap();
    (
        out,
        top.load(Ordering::Relaxed).saturating_sub(base) as f64 / 1024.0,
    )
}

async fn exec(db: &TestDb, sql: &str) {
    use sea_orm::sqlx::{self, Connection};
    let q = sqlx::raw_sql(sqlx::AssertSqlSafe(sql.to_owned()));
    if db.name == "postgres" {
        let mut c = sqlx::postgres::PgConnection::connect(&db.url)
            .await
            .unwrap();
        q.execute(&mut c).await.unwrap();
        c.close().await.unwrap();
    } else {
        let mut c = sqlx::sqlite::SqliteConnection::connect(&db.url)
            .await
            .unwrap();
        q.execute(&mut c).await.unwrap();
        c.close().await.unwrap();
    }
}

pub async fn run(db: TestDb, n: usize) {
    let t = Instant::now();
    crate::search::import(&db, 0, n).await;
    exec(&db, SEED).await;
    if db.name == "postgres" {
        exec(&db, "ANALYZE").await;
    }
    println!(
        "[{} {n}] seeded {n} organizations with 2025 figures in {:.1} s",
        db.name,
        t.elapsed().as_secs_f64()
    );

    // The anchors: the same figures in memory.
    let (pack, _) = official_pack("tech-sme").unwrap();
    let plan = pack.compile(2025).unwrap();
    let inputs = plan.inputs();
    let ents: Vec<RegistryEntity> = (0..n as i64)
        .map(|id| {
            let f = figures(id);
            RegistryEntity {
                org_id: id,
                credit_code: String::new(),
                region_path: String::new(),
                entity: Entity {
                    values: inputs
                        .iter()
                        .map(|(name, _)| f.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone()))
                        .collect(),
                },
            }
        })
        .collect();
    let columns: Vec<Vec<Option<Value>>> = (0..inputs.len())
        .map(|i| ents.iter().map(|e| e.entity.values[i].clone()).collect())
        .collect();
    let t = Instant::now();
    let evs = plan.evaluate_batch(&columns);
    let engine = n as f64 / t.elapsed().as_secs_f64();
    let t = Instant::now();
    let stored: usize = ents
        .iter()
        .zip(&evs)
        .map(|(e, ev)| result_row(&plan, e, ev).outputs.to_string().len())
        .sum();
    let with_rows = n as f64 / t.elapsed().as_secs_f64();
    let t = Instant::now();
    let explained: usize = evs
        .iter()
        .map(|ev| plan.explain(ev).render().len() + plan.gaps(ev).len())
        .sum();
    let explaining = n as f64 / t.elapsed().as_secs_f64();
    println!(
        "[{} {n}] anchors: engine alone {engine:.0} enterprises/s; engine and the row a run stores {with_rows:.0}/s ({:.0} bytes of outputs each); explanations and gaps, derived when a result is read, {explaining:.0}/s ({:.0} bytes each)",
        db.name,
        stored as f64 / n as f64,
        explained as f64 / n as f64
    );
    drop((ents, columns, evs));

    let sys = Caller::system("bench");
    for label in ["first run", "re-run replacing it"] {
        let t = Instant::now();
        let (run, mib) = peak(async {
            let started = start_run(&db.store, &sys, "tech-sme", 2025, None)
                .await
                .unwrap();
            execute_run(&db.store, &sys, started).await.unwrap()
        })
        .await;
        let secs = t.elapsed().as_secs_f64();
        let s = run.summary.unwrap();
        println!(
            "[{} {n}] 运行评价 ({label}): {} enterprises in {secs:.1} s = {:.0}/s ({:.1}% of the engine and row anchor), qualified {}, undetermined {}; peak memory +{mib:.0} MiB; rows stored afterwards {}",
            db.name,
            s.evaluated,
            s.evaluated as f64 / secs,
            100.0 * s.evaluated as f64 / secs / with_rows,
            s.qualified,
            s.undetermined,
            db.store
                .stored_rule_results("tech-sme", 2025)
                .await
                .unwrap()
        );
    }
    db.drop_db().await;
}
