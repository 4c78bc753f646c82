//! `kechuang-bench load [ORGS] [SECONDS]`: 50 concurrent clients against the real application.
//!
//! For SQLite and PostgreSQL in turn, over ORGS organizations (default 20,000; one in ten in
//! 孟州市 410883, each with its 2024 figures, so a region's 运行评价 covers ORGS/10 enterprises):
//! - **write mix** for SECONDS (default 60): 40% create an organization, 30% update one,
//!   20% put an enterprise's yearly figures, 10% run the 科技型中小企业 运行评价 of 410883;
//! - **read mix**: 60% a list page (newest first, random page), 20% sorted by name, 10% one
//!   organization, 10% an update;
//! - **anchor**: the same 50 clients against a bare axum handler answering "ok" on the same
//!   runtime: the HTTP ceiling of this machine with this client.
//!
//! Every client is a thread with its own session, one TCP connection per request. Printed per
//! operation: count, median, p99, and any 5xx or other failure; then the audit chain is
//! verified. Figures, not assertions.

use crate::{REGIONS, http, percentile, rows};
use kechuang_server::{Config, app};
use kechuang_store::{Caller, DataScope};
use kechuang_testkit::{TestDb, fixtures};
use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

const CLIENTS: usize = 50;
const COUNTY: &str = "410883";

#[derive(Clone, Copy)]
enum Mix {
    Write,
    Read,
}

struct Target {
    id: i64,
    body: String,
}

fn request(method: &str, path: &str, cookie: &str, csrf: &str, body: Option<&str>) -> String {
    match body {
        Some(b) => format!(
            "{method} {path} HTTP/1.1\r\nHost: x\r\nCookie: {cookie}\r\nX-CSRF-Token: {csrf}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{b}",
            b.len()
        ),
        None => format!(
            "{method} {path} HTTP/1.1\r\nHost: x\r\nCookie: {cookie}\r\nConnection: close\r\n\r\n"
        ),
    }
}

fn login(addr: &str, user: &str) -> (String, String) {
    let body = format!(r#"{{"username":"{user}","password":"BenchPassw0rd"}}"#);
    let req = format!(
        "POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    let (st, buf) = http(addr, &req);
    assert_eq!(st, 200, "{}", String::from_utf8_lossy(&buf));
    let text = String::from_utf8_lossy(&buf).into_owned();
    let cookie = text
        .lines()
        .find_map(|l| l.strip_prefix("set-cookie: "))
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_owned();
    let json: serde_json::Value =
        serde_json::from_str(text.split("\r\n\r\n").nth(1).unwrap()).unwrap();
    (cookie, json["csrf_token"].as_str().unwrap().to_owned())
}

fn body_of(buf: &[u8]) -> String {
    let text = String::from_utf8_lossy(buf);
    text.split("\r\n\r\n").nth(1).unwrap_or_default().to_owned()
}

type Timings = BTreeMap<&'static str, (Vec<Duration>, usize, usize)>;

fn client(
    addr: String,
    seed: u64,
    mix: Mix,
    until: Instant,
    targets: Arc<Vec<Target>>,
    county: Arc<Vec<i64>>,
    session: Arc<(String, String)>,
) -> Timings {
    let (cookie, csrf) = (&session.0, &session.1);
    let mut out: Timings = BTreeMap::new();
    let mut s = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    let mut next = || {
        s = s.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
        s >> 33
    };
    let mut created = 0u32;
    while Instant::now() < until {
        let dice = next() % 100;
        let op: &'static str = match (mix, dice) {
            (Mix::Write, 0..40) => "create organization",
            (Mix::Write, 40..70) | (Mix::Read, 90..100) => "update organization",
            (Mix::Write, 70..90) => "put enterprise-year",
            (Mix::Write, _) => "运行评价 (region)",
            (Mix::Read, 0..60) => "list page",
            (Mix::Read, 60..80) => "list sorted by name",
            (Mix::Read, _) => "get organization",
        };
        let req = match op {
            "create organization" => {
                created += 1;
                let serial = 50_000_000 + (seed as u32) * 100_000 + created;
                let code = fixtures::credit_code(COUNTY, serial);
                let body = format!(
                    r#"{{"credit_code":"{}","name":"负载测试{seed}号客户第{created}家科技有限公司","kind":"enterprise","region":"{COUNTY}"}}"#,
                    code.as_str()
                );
                request("POST", "/api/v1/organizations", cookie, csrf, Some(&body))
            }
            "update organization" => {
                let t = &targets[(next() as usize) % targets.len()];
                request(
                    "PUT",
                    &format!("/api/v1/organizations/{}", t.id),
                    cookie,
                    csrf,
                    Some(&t.body),
                )
            }
            "put enterprise-year" => {
                let org = county[(next() as usize) % county.len()];
                let body = format!(
                    r#"{{"org_id":{org},"year":2024,"figures":{{"employees":{},"tech_staff":{},"revenue":"{}","rd_expense":"{}"}}}}"#,
                    20 + next() % 300,
                    next() % 20,
                    1_000_000 + next() % 9_000_000,
                    next() % 800_000
                );
                request(
                    "POST",
                    "/api/v1/enterprise-years",
                    cookie,
                    csrf,
                    Some(&body),
                )
            }
            "运行评价 (region)" => {
                let body = format!(r#"{{"pack":"tech-sme","year":2024,"region":"{COUNTY}"}}"#);
                request("POST", "/api/v1/rules/runs", cookie, csrf, Some(&body))
            }
            "list page" => request(
                "GET",
                &format!("/api/v1/organizations?size=20&page={}", 1 + next() % 200),
                cookie,
                csrf,
                None,
            ),
            "list sorted by name" => request(
                "GET",
                &format!(
                    "/api/v1/organizations?size=20&page={}&sort=name&order=asc",
                    1 + next() % 200
                ),
                cookie,
                csrf,
                None,
            ),
            _ => {
                let t = &targets[(next() as usize) % targets.len()];
                request(
                    "GET",
                    &format!("/api/v1/organizations/{}", t.id),
                    cookie,
                    csrf,
                    None,
                )
            }
        };
        let t = Instant::now();
        let (st, buf) = http(&addr, &req);
        let d = t.elapsed();
        let e = out.entry(op).or_default();
        e.0.push(d);
        if st >= 500 {
            e.1 += 1;
            if e.1 == 1 {
                eprintln!("{op}: {st} {}", body_of(&buf));
            }
        } else if st >= 300 {
            e.2 += 1;
            if e.2 == 1 {
                eprintln!("{op}: {st} {}", body_of(&buf));
            }
        }
    }
    out
}

fn run_clients(
    addr: &str,
    mix: Mix,
    secs: u64,
    targets: &Arc<Vec<Target>>,
    county: &Arc<Vec<i64>>,
) -> Timings {
    // One session for every client: the login throttle would refuse fifty from one address.
    let session = Arc::new(login(addr, "province"));
    let until = Instant::now() + Duration::from_secs(secs);
    let handles: Vec<_> = (0..CLIENTS)
        .map(|c| {
            let (a, t, k, s) = (
                addr.to_owned(),
                targets.clone(),
                county.clone(),
                session.clone(),
            );
            std::thread::spawn(move || client(a, c as u64 + 1, mix, until, t, k, s))
        })
        .collect();
    let mut all: Timings = BTreeMap::new();
    for h in handles {
        for (op, (d, fail5, fail)) in h.join().unwrap() {
            let e = all.entry(op).or_default();
            e.0.extend(d);
            e.1 += fail5;
            e.2 += fail;
        }
    }
    all
}

fn report(name: &str, label: &str, secs: u64, all: &mut Timings) {
    let n: usize = all.values().map(|v| v.0.len()).sum();
    println!(
        "[{name}] {label}: {n} requests in {secs} s = {:.0} req/s",
        n as f64 / secs as f64
    );
    let mut ordinary = Vec::new();
    for (op, (d, fail5, fail)) in all.iter_mut() {
        d.sort();
        if !op.starts_with("运行评价") {
            ordinary.extend(d.iter().copied());
        }
        println!(
            "[{name}]   {op:<22} {:>6} req  median {:>8.2} ms  p99 {:>8.2} ms  5xx {fail5}  other failures {fail}",
            d.len(),
            percentile(d, 0.5),
            percentile(d, 0.99)
        );
    }
    ordinary.sort();
    if !ordinary.is_empty() {
        println!(
            "[{name}]   ordinary requests (all but 运行评价): median {:.2} ms, p99 {:.2} ms",
            percentile(&ordinary, 0.5),
            percentile(&ordinary, 0.99)
        );
    }
}

/// The HTTP ceiling: a bare axum handler, the same client and the same runtime.
pub async fn anchor(secs: u64) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap().to_string();
    let router = axum::Router::new().route("/ok", axum::routing::get(|| async { "ok" }));
    let server = tokio::spawn(async move { axum::serve(listener, router).await });
    let a = addr.clone();
    let times = tokio::task::spawn_blocking(move || {
        let until = Instant::now() + Duration::from_secs(secs);
        let hs: Vec<_> = (0..CLIENTS)
            .map(|_| {
                let a = a.clone();
                std::thread::spawn(move || {
                    let mut t = Vec::new();
                    while Instant::now() < until {
                        let s = Instant::now();
                        let (st, _) = http(
                            &a,
                            "GET /ok HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
                        );
                        assert_eq!(st, 200);
                        t.push(s.elapsed());
                    }
                    t
                })
            })
            .collect();
        let mut all: Vec<Duration> = hs.into_iter().flat_map(|h| h.join().unwrap()).collect();
        all.sort();
        all
    })
    .await
    .unwrap();
    println!(
        "[anchor] bare axum handler, {CLIENTS} clients: {:.0} req/s, median {:.2} ms, p99 {:.2} ms",
        times.len() as f64 / secs as f64,
        percentile(&times, 0.5),
        percentile(&times, 0.99)
    );
    server.abort();
}

pub async fn run(db: TestDb, n: usize, secs: u64) {
    let sys = Caller::system("bench");
    let data = rows(n);
    db.store
        .import_organizations(&sys, &data, false, false)
        .await
        .unwrap()
        .unwrap();
    let orgs = db
        .store
        .export_organizations(&DataScope::All, &Default::default(), n as u64)
        .await
        .unwrap();
    let mut years = Vec::new();
    let mut county = Vec::new();
    let mut targets = Vec::new();
    for (i, o) in orgs.iter().enumerate() {
        if o.region_code == COUNTY {
            county.push(o.id);
            let mut f = kechuang_domain::enterprise_year::Figures {
                employees: Some(20 + (i as i64 % 300)),
                tech_staff: Some(i as i64 % 60),
                revenue: Some(rust_decimal::Decimal::from(1_000_000 + i as i64 * 37)),
                rd_expense: Some(rust_decimal::Decimal::from(i as i64 * 7 % 800_000)),
                ..Default::default()
            };
            f.serious_violation = Some(false);
            years.push((years.len() + 2, o.credit_code.clone(), 2024, f));
        }
        if targets.len() < 5_000 && REGIONS.contains(&o.region_code.as_str()) {
            targets.push(Target {
                id: o.id,
                body: serde_json::json!({
                    "credit_code": o.credit_code, "name": format!("{}（更名）", o.name),
                    "kind": "enterprise", "region": o.region_code,
                })
                .to_string(),
            });
        }
    }
    db.store
        .import_enterprise_years(&sys, &years, false)
        .await
        .unwrap()
        .unwrap();
    crate::officer(&db.store, "province", "410000").await;
    println!(
        "[{}] {n} organizations, {} in {COUNTY} with 2024 figures; {CLIENTS} clients, {secs} s per mix",
        db.name,
        county.len()
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap().to_string();
    let router = app(db.store.clone(), Config::default());
    let server = tokio::spawn(async move { axum::serve(listener, router).await });
    let (targets, county) = (Arc::new(targets), Arc::new(county));
    for (mix, label) in [(Mix::Write, "write mix"), (Mix::Read, "read mix")] {
        // The server checkpoints SQLite's write-ahead log every minute; so does the bench,
        // between mixes.
        db.store.checkpoint().await.unwrap();
        let (a, t, k) = (addr.clone(), targets.clone(), county.clone());
        let mut all = tokio::task::spawn_blocking(move || run_clients(&a, mix, secs, &t, &k))
            .await
            .unwrap();
        report(db.name, label, secs, &mut all);
    }
    server.abort();
    let t = Instant::now();
    let v = db.store.verify_audit().await.unwrap();
    println!(
        "[{}] audit verify after the load: ok={} over {} records ({:.1} s)",
        db.name,
        v.ok,
        v.records,
        t.elapsed().as_secs_f64()
    );
    db.drop_db().await;
}
