//! `cargo run --release -p kechuang-bench [-- ROWS REQUESTS]`
//!
//! For SQLite and PostgreSQL in turn:
//! 1. imports ROWS organizations (default 100,000) through the store's all-or-nothing import,
//!    with one audit record per row, and prints rows/s;
//! 2. serves the real application on a loopback port and times REQUESTS (default 2,000)
//!    requests to `GET /api/v1/organizations` as a city bureau user whose scope holds 60% of
//!    the rows (random pages; plain, searched and sorted), printing the median and p99;
//! 3. times one `POST /api/v1/rules/evaluate-batch` of 10,000 enterprises (tech-sme pack).
//!
//! `kechuang-bench search [SIZES…]`: the full-text search benchmark (see `search.rs`).
//! `kechuang-bench funds [ORGS]`: the funds ledger at 10^5 organizations × 5 years (`funds.rs`).
//! `kechuang-bench uploads`: peak memory of reading hostile uploads (`uploads.rs`).
//! `kechuang-bench load [ORGS] [SECONDS]`: 50 concurrent clients, write and read mixes (`load.rs`).
//! `kechuang-bench runs [ORGS]`: 运行评价 over the whole registry, against the engine (`runs.rs`).
//! `kechuang-bench all [ORGS] [SECONDS]`: all of the above but search, each with its anchor
//! (default 10^6 organizations, 60 s per load mix).
//!
//! Figures, not assertions: this is a benchmark, never a test.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use kechuang_domain::RegionCode;
use kechuang_domain::organization::NewOrganization;
use kechuang_server::{Config, app, auth};
use kechuang_store::Caller;
use kechuang_store::accounts::NewUser;
use kechuang_testkit::{TestDb, fixtures};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

mod funds;
mod load;
mod runs;
mod search;
mod uploads;

const REGIONS: &[&str] = &[
    "419001", "419001", "419001", "419001", "419001", "419001", "410883", "410882", "410102",
    "410305",
];

fn rows(n: usize) -> Vec<(usize, NewOrganization)> {
    (0..n)
        .map(|i| {
            let r = REGIONS[i % REGIONS.len()];
            (
                i + 2,
                fixtures::org(
                    r,
                    i as u32,
                    &format!(
                        "{}号测试科技有限公司{}",
                        i,
                        ["材料", "装备", "化工", "环保"][i % 4]
                    ),
                ),
            )
        })
        .collect()
}

/// A region officer with the bench's password (the requests' session).
pub(crate) async fn officer(store: &kechuang_store::Store, name: &str, region: &str) {
    store
        .create_user(
            &Caller::system("bench"),
            &NewUser {
                username: name.into(),
                display_name: name.into(),
                password_hash: auth::hash_password("BenchPassw0rd").unwrap(),
                scope_kind: "region".into(),
                region: RegionCode::parse(region).unwrap(),
                org_id: None,
                roles: vec!["officer".into()],
                must_change_password: false,
            },
        )
        .await
        .unwrap();
}

fn http(addr: &str, req: &str) -> (u16, Vec<u8>) {
    let mut s = TcpStream::connect(addr).unwrap();
    s.write_all(req.as_bytes()).unwrap();
    let mut buf = Vec::new();
    s.read_to_end(&mut buf).unwrap();
    let status = std::str::from_utf8(&buf[9..12]).unwrap().parse().unwrap();
    (status, buf)
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i].as_secs_f64() * 1000.0
}

async fn bench(db: TestDb, n: usize, requests: usize) {
    let data = rows(n);
    let t = Instant::now();
    let r = db
        .store
        .import_organizations(&Caller::system("bench"), &data, false, false)
        .await
        .unwrap()
        .unwrap();
    let secs = t.elapsed().as_secs_f64();
    let (anchor, stricter) = import_anchor(&db).await;
    println!(
        "[{}] import {} organizations: {:.2} s, {:.0} rows/s (with {} audit records); anchor {}: {:.0} rows/s; Kechuang = {:.0}% of it",
        db.name,
        r.inserted,
        secs,
        r.inserted as f64 / secs,
        r.inserted,
        if db.name == "postgres" {
            "plain COPY"
        } else {
            "a prepared multi-row insert of the same rows in one transaction"
        },
        anchor,
        100.0 * r.inserted as f64 / secs / anchor
    );
    if let Some(s) = stricter {
        println!(
            "[{}]   stricter anchor, INSERT … SELECT inside the database (no binding): {s:.0} rows/s; Kechuang = {:.0}% of it",
            db.name,
            100.0 * r.inserted as f64 / secs / s
        );
    }

    crate::officer(&db.store, "city", "419001").await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap().to_string();
    let router = app(db.store.clone(), Config::default());
    let server = tokio::spawn(async move { axum::serve(listener, router).await });
    let a = addr.clone();
    let (cookie, total) = tokio::task::spawn_blocking(move || {
        let body = r#"{"username":"city","password":"BenchPassw0rd"}"#;
        let req = format!("POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}", body.len());
        let (st, buf) = http(&a, &req);
        assert_eq!(st, 200);
        let text = String::from_utf8_lossy(&buf);
        let cookie = text.lines().find_map(|l| l.strip_prefix("set-cookie: ")).unwrap().split(';').next().unwrap().to_owned();
        let (_, buf) = http(&a, &format!("GET /api/v1/organizations?size=1 HTTP/1.1\r\nHost: x\r\nCookie: {cookie}\r\nConnection: close\r\n\r\n"));
        let text = String::from_utf8_lossy(&buf);
        let json: serde_json::Value = serde_json::from_str(text.split("\r\n\r\n").nth(1).unwrap()).unwrap();
        (cookie, json["total"].as_u64().unwrap())
    })
    .await
    .unwrap();
    println!("[{}] city scope sees {total} of {n} organizations", db.name);
    for (label, query) in [
        ("page (20 rows, newest first)", "size=20&page={p}"),
        ("search q=材料", "size=20&page={p}&q=%E6%9D%90%E6%96%99"),
        ("sort=name", "size=20&page={p}&sort=name&order=asc"),
    ] {
        let a = addr.clone();
        let c = cookie.clone();
        let q = query.to_owned();
        let mut times = tokio::task::spawn_blocking(move || {
            let mut seed = 0x9E37_79B9u64;
            let mut times = Vec::with_capacity(requests);
            for _ in 0..requests {
                seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
                let page = 1 + (seed >> 33) % 200;
                let path = format!(
                    "/api/v1/organizations?{}",
                    q.replace("{p}", &page.to_string())
                );
                let req = format!(
                    "GET {path} HTTP/1.1\r\nHost: x\r\nCookie: {c}\r\nConnection: close\r\n\r\n"
                );
                let t = Instant::now();
                let (st, _) = http(&a, &req);
                times.push(t.elapsed());
                assert_eq!(st, 200);
            }
            times
        })
        .await
        .unwrap();
        times.sort();
        println!(
            "[{}] GET /api/v1/organizations {label}: {} requests, median {:.2} ms, p99 {:.2} ms",
            db.name,
            times.len(),
            percentile(&times, 0.5),
            percentile(&times, 0.99)
        );
    }
    // One API request evaluating 10,000 enterprises with the 科技型中小企业 pack.
    let a = addr.clone();
    let c = cookie.clone();
    let mut times = tokio::task::spawn_blocking(move || {
        let mut entities = Vec::with_capacity(10_000);
        for i in 0..10_000u64 {
            entities.push(serde_json::json!({"id": i.to_string(), "figures": {
                "employees": (10 + i % 400).to_string(), "tech_staff": (i % 97).to_string(),
                "revenue": (1_000_000 + i * 12_345).to_string(), "total_assets": "5000000",
                "rd_expense": ((i * 7_919) % 900_000).to_string(), "ip_class1": (i % 5 / 4).to_string(),
                "ip_class2": (i % 6).to_string(), "serious_violation": "否"}}));
        }
        let body = serde_json::json!({"pack": "tech-sme", "year": 2024, "entities": entities}).to_string();
        (0..5)
            .map(|_| {
                // The login response carried the CSRF token; fetch it again through /auth/me.
                let (_, me) = http(&a, &format!("GET /api/v1/auth/me HTTP/1.1\r\nHost: x\r\nCookie: {c}\r\nConnection: close\r\n\r\n"));
                let text = String::from_utf8_lossy(&me).into_owned();
                let json: serde_json::Value = serde_json::from_str(text.split("\r\n\r\n").nth(1).unwrap()).unwrap();
                let csrf = json["csrf_token"].as_str().unwrap().to_owned();
                let req = format!(
                    "POST /api/v1/rules/evaluate-batch HTTP/1.1\r\nHost: x\r\nCookie: {c}\r\nX-CSRF-Token: {csrf}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                    body.len()
                );
                let t = Instant::now();
                let (st, _) = http(&a, &req);
                let d = t.elapsed();
                assert_eq!(st, 200);
                d
            })
            .collect::<Vec<_>>()
    })
    .await
    .unwrap();
    times.sort();
    println!(
        "[{}] POST /api/v1/rules/evaluate-batch with 10,000 enterprises (tech-sme): median {:.0} ms, max {:.0} ms over 5 requests",
        db.name,
        percentile(&times, 0.5),
        percentile(&times, 1.0)
    );
    server.abort();
    db.drop_db().await;
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.get(1).map(String::as_str) == Some("all") {
        // Every province-scale figure with its anchor, one after another on both backends:
        // import and lists (COPY / INSERT … SELECT), 运行评价 (the engine), 50 clients (bare
        // axum), hostile uploads (calamine's sheet reader).
        let n: usize = args
            .get(2)
            .and_then(|s| s.parse().ok())
            .unwrap_or(1_000_000);
        let secs: u64 = args.get(3).and_then(|s| s.parse().ok()).unwrap_or(60);
        println!("== import and lists, {n} organizations ==");
        bench(kechuang_testkit::sqlite().await, n, 2_000).await;
        if let Some(pg) = kechuang_testkit::postgres().await {
            bench(pg, n, 2_000).await;
        }
        println!("== 运行评价 over {n} enterprises ==");
        runs::run(kechuang_testkit::sqlite().await, n).await;
        if let Some(pg) = kechuang_testkit::postgres().await {
            runs::run(pg, n).await;
        }
        println!("== 50 concurrent clients, {secs} s per mix ==");
        load::anchor(secs.min(5)).await;
        load::run(kechuang_testkit::sqlite().await, 20_000, secs).await;
        if let Some(pg) = kechuang_testkit::postgres().await {
            load::run(pg, 20_000, secs).await;
        }
        println!("== hostile uploads ==");
        uploads::run();
        return;
    }
    if args.get(1).map(String::as_str) == Some("search") {
        let mut sizes: Vec<usize> = args[2..].iter().filter_map(|s| s.parse().ok()).collect();
        if sizes.is_empty() {
            sizes = vec![10_000, 100_000, 1_000_000];
        }
        search::run(kechuang_testkit::sqlite().await, &sizes, 500).await;
        if let Some(pg) = kechuang_testkit::postgres().await {
            search::run(pg, &sizes, 500).await;
        }
        return;
    }
    if args.get(1).map(String::as_str) == Some("load") {
        let n: usize = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(20_000);
        let secs: u64 = args.get(3).and_then(|s| s.parse().ok()).unwrap_or(60);
        load::anchor(secs.min(5)).await;
        load::run(kechuang_testkit::sqlite().await, n, secs).await;
        if let Some(pg) = kechuang_testkit::postgres().await {
            load::run(pg, n, secs).await;
        }
        return;
    }
    if args.get(1).map(String::as_str) == Some("runs") {
        let n: usize = args
            .get(2)
            .and_then(|s| s.parse().ok())
            .unwrap_or(1_000_000);
        runs::run(kechuang_testkit::sqlite().await, n).await;
        if let Some(pg) = kechuang_testkit::postgres().await {
            runs::run(pg, n).await;
        }
        return;
    }
    if args.get(1).map(String::as_str) == Some("uploads") {
        uploads::run();
        return;
    }
    if args.get(1).map(String::as_str) == Some("funds") {
        let n: usize = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(100_000);
        funds::run(kechuang_testkit::sqlite().await, n, 500).await;
        if let Some(pg) = kechuang_testkit::postgres().await {
            funds::run(pg, n, 500).await;
        }
        return;
    }
    let n: usize = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(100_000);
    let requests: usize = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(2_000);
    bench(kechuang_testkit::sqlite().await, n, requests).await;
    if let Some(pg) = kechuang_testkit::postgres().await {
        bench(pg, n, requests).await;
    }
}

/// The import's anchor, same rows and same indexes, in the same run: on PostgreSQL a plain
/// `COPY` of the imported organizations (read back with `COPY TO`) into a copy of the table
/// with all its indexes; on SQLite a prepared multi-row insert of them (read into memory first,
/// 64 rows and 896 parameters per statement, the statement reused) in one transaction into a
/// copy made from the table's own DDL, and, stricter, an `INSERT … SELECT` of them inside the
/// database (no binding at all). Returns rows per second: the anchor, and the stricter one.
async fn import_anchor(db: &TestDb) -> (f64, Option<f64>) {
    use sea_orm::sqlx::{self, Connection};
    if db.name == "postgres" {
        let mut c = sqlx::postgres::PgConnection::connect(&db.url)
            .await
            .unwrap();
        sqlx::raw_sql("CREATE TABLE anchor_orgs (LIKE organizations INCLUDING ALL)")
            .execute(&mut c)
            .await
            .unwrap();
        let mut data = Vec::new();
        {
            let mut out = c
                .copy_out_raw("COPY organizations TO STDOUT")
                .await
                .unwrap();
            while let Some(chunk) =
                std::future::poll_fn(|cx| futures_core::Stream::poll_next(out.as_mut(), cx)).await
            {
                data.extend_from_slice(&chunk.unwrap());
            }
        }
        let t = Instant::now();
        let mut copy = c.copy_in_raw("COPY anchor_orgs FROM STDIN").await.unwrap();
        copy.send(data.as_slice()).await.unwrap();
        let rows = copy.finish().await.unwrap();
        let secs = t.elapsed().as_secs_f64();
        c.close().await.unwrap();
        (rows as f64 / secs, None)
    } else {
        let path = db.url.trim_start_matches("sqlite://");
        let mut c = sqlx::sqlite::SqliteConnection::connect(&format!("sqlite://{path}"))
            .await
            .unwrap();
        let ddl: Vec<(String,)> = sqlx::query_as(
            "SELECT sql FROM sqlite_master WHERE tbl_name = 'organizations' AND sql IS NOT NULL",
        )
        .fetch_all(&mut c)
        .await
        .unwrap();
        for table in ["anchor_orgs", "anchor_orgs2"] {
            for (sql,) in &ddl {
                sqlx::raw_sql(sqlx::AssertSqlSafe(sql.replace("organizations", table)))
                    .execute(&mut c)
                    .await
                    .unwrap();
            }
        }
        type Row = (
            i64,
            String,
            String,
            String,
            String,
            String,
            Option<String>,
            Option<String>,
            Option<String>,
            Option<String>,
            i64,
            i64,
            Option<i64>,
            Option<i64>,
        );
        const COLS: &str = "id, credit_code, name, kind, region_code, region_path, industry, founded_on, legal_representative, size_class, created_at, updated_at, created_by, updated_by";
        let data: Vec<Row> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT {COLS} FROM organizations"
        )))
        .fetch_all(&mut c)
        .await
        .unwrap();
        const PER: usize = 64;
        let sql_for = |n: usize| {
            let row = format!("({})", vec!["?"; 14].join(","));
            format!(
                "INSERT INTO anchor_orgs2 ({COLS}) VALUES {}",
                vec![row; n].join(",")
            )
        };
        let full: std::sync::Arc<str> = sql_for(PER).into();
        let t = Instant::now();
        let mut tx = sqlx::Connection::begin(&mut c).await.unwrap();
        for chunk in data.chunks(PER) {
            let sql = if chunk.len() == PER {
                full.clone()
            } else {
                sql_for(chunk.len()).into()
            };
            let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
            for r in chunk {
                q = q
                    .bind(r.0)
                    .bind(&r.1)
                    .bind(&r.2)
                    .bind(&r.3)
                    .bind(&r.4)
                    .bind(&r.5)
                    .bind(&r.6)
                    .bind(&r.7)
                    .bind(&r.8)
                    .bind(&r.9)
                    .bind(r.10)
                    .bind(r.11)
                    .bind(r.12)
                    .bind(r.13);
            }
            q.execute(&mut *tx).await.unwrap();
        }
        tx.commit().await.unwrap();
        let prepared = data.len() as f64 / t.elapsed().as_secs_f64();
        let t = Instant::now();
        let rows =
            sqlx::raw_sql("BEGIN; INSERT INTO anchor_orgs SELECT * FROM organizations; COMMIT;")
                .execute(&mut c)
                .await
                .unwrap()
                .rows_affected();
        let secs = t.elapsed().as_secs_f64();
        c.close().await.unwrap();
        (prepared, Some(rows as f64 / secs))
    }
}
