//! `kechuang-bench funds [ORGS]` (default 100000): the ledger at province scale.
//!
//! For SQLite and PostgreSQL in turn: imports ORGS organizations (60% in 济源), five yearly
//! programmes (2021–2025, one of each kind of money) and one payment per organization and year
//! through the store's all-or-nothing 历史拨付导入 (ORGS × 5 payments, each with its paid grant
//! and their audit records), then times through HTTP, as the city bureau whose scope holds 60%
//! of the rows:
//! - `GET /api/v1/funds/ledger?year=Y` (one page by organization, largest first, with the
//!   totals of the whole query by programme, region and kind), for a year and for all years;
//! - the same with `q=` (an organization's name);
//! - `GET /api/v1/funds/payments?org_id=X` (one organization's payments);
//! - the anchor, measured in the same run: `GET /api/v1/organizations` (a plain registry page
//!   of the same scope and size).
//!
//! Figures, not assertions.

use crate::http;
use crate::search::{enc, import, print, times_of};
use kechuang_domain::funds::{NewProgramme, ProgrammeInput};
use kechuang_server::Config;
use kechuang_store::funds::PaidRow;
use kechuang_store::orgs::OrgFilter;
use kechuang_store::{Caller, DataScope, PageRequest};
use kechuang_testkit::TestDb;
use std::time::Instant;

const KINDS: &[&str] = &["reward", "voucher", "interest", "instrument", "insurance"];

pub async fn run(db: TestDb, n: usize, requests: usize) {
    let sys = Caller::system("bench");
    let t = Instant::now();
    import(&db, 0, n).await;
    println!(
        "[{} {n}] import {n} organizations: {:.1} s",
        db.name,
        t.elapsed().as_secs_f64()
    );
    let mut ids = Vec::with_capacity(n);
    for page in 1.. {
        let p = db
            .store
            .list_organizations(
                &DataScope::All,
                &OrgFilter::default(),
                PageRequest::new(page, 500),
            )
            .await
            .unwrap();
        let last = p.items.len() < 500;
        ids.extend(p.items.into_iter().map(|o| (o.id, o.name)));
        if last {
            break;
        }
    }
    let t = Instant::now();
    for (k, year) in (2021..=2025).enumerate() {
        let p = NewProgramme::parse(
            &ProgrammeInput {
                code: format!("BENCH-{year}"),
                name: format!("{year}年度基准项目"),
                kind: KINDS[k].into(),
                mode: "apply".into(),
                year,
                region: "410000".into(),
                budget: "100000000000".into(),
                fund_source: "省级".into(),
                basis: "基准".into(),
                pack: if KINDS[k] == "voucher" {
                    "innovation-voucher".into()
                } else {
                    String::new()
                },
                notice_days: 0,
                valid_days: 90,
                ..Default::default()
            },
            kechuang_server::funds_svc::PROGRAMME_PACKS,
        )
        .unwrap();
        let prog = db.store.create_programme(&sys, &p).await.unwrap();
        let rows: Vec<PaidRow> = ids
            .iter()
            .enumerate()
            .map(|(i, (id, _))| PaidRow {
                org_id: *id,
                matter: format!("{year}年度支持事项"),
                amount_fen: 1_000_000 + (i as i64 * 7919 % 50_000) * 100,
                paid_on: chrono::NaiveDate::from_ymd_opt(year, 6, 1 + (i % 28) as u32).unwrap(),
                document_no: format!("拨〔{year}〕{i}"),
            })
            .collect();
        for chunk in rows.chunks(50_000) {
            db.store.import_paid(&sys, prog.id, chunk).await.unwrap();
        }
    }
    println!(
        "[{} {n}] import {} payments (with their grants) in {:.1} s",
        db.name,
        n * 5,
        t.elapsed().as_secs_f64()
    );
    crate::officer(&db.store, "city", "419001").await;
    let state = kechuang_server::state(db.store.clone(), Config::default());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap().to_string();
    let router = kechuang_server::router(state);
    let server = tokio::spawn(async move { axum::serve(listener, router).await });
    let a = addr.clone();
    let cookie = tokio::task::spawn_blocking(move || {
        let body = r#"{"username":"city","password":"BenchPassw0rd"}"#;
        let req = format!("POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}", body.len());
        let (st, buf) = http(&a, &req);
        assert_eq!(st, 200);
        let text = String::from_utf8_lossy(&buf);
        text.lines().find_map(|l| l.strip_prefix("set-cookie: ")).unwrap().split(';').next().unwrap().to_owned()
    })
    .await
    .unwrap();
    let mut seed = 7u64;
    let mut pick = || {
        seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
        (seed >> 33) as usize
    };
    let jiyuan: Vec<&(i64, String)> = ids
        .iter()
        .enumerate()
        .filter(|(i, _)| i % 10 < 6)
        .map(|(_, x)| x)
        .collect();
    let few = requests.min(200);
    let cases: Vec<(&str, Vec<String>)> = vec![
        (
            "GET /funds/ledger?year=Y (page of 20, totals of the query)",
            (0..few)
                .map(|i| {
                    format!(
                        "/api/v1/funds/ledger?size=20&page={}&year={}",
                        1 + i % 5,
                        2021 + i % 5
                    )
                })
                .collect(),
        ),
        (
            "GET /funds/ledger (all years)",
            (0..few)
                .map(|i| format!("/api/v1/funds/ledger?size=20&page={}", 1 + i % 5))
                .collect(),
        ),
        (
            "GET /funds/ledger?q=<an organization's name>",
            (0..few)
                .map(|_| {
                    format!(
                        "/api/v1/funds/ledger?size=20&q={}",
                        enc(&jiyuan[pick() % jiyuan.len()].1)
                    )
                })
                .collect(),
        ),
        (
            "GET /funds/payments?org_id=X",
            (0..requests)
                .map(|_| {
                    format!(
                        "/api/v1/funds/payments?size=20&org_id={}",
                        jiyuan[pick() % jiyuan.len()].0
                    )
                })
                .collect(),
        ),
        (
            "anchor: GET /organizations (registry page, same scope)",
            (0..requests)
                .map(|i| format!("/api/v1/organizations?size=20&page={}", 1 + i % 50))
                .collect(),
        ),
    ];
    for (label, paths) in cases {
        let (a, c) = (addr.clone(), cookie.clone());
        let times = tokio::task::spawn_blocking(move || times_of(&a, &c, paths))
            .await
            .unwrap();
        print(db.name, n, label, &times);
    }
    server.abort();
    db.drop_db().await;
}
