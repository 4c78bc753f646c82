//! `kechuang-bench search [SIZES…]` (default 10000 100000 1000000).
//!
//! For SQLite and PostgreSQL in turn, growing one database through the sizes: imports
//! organizations with varied Chinese names (a region, two trade words, a legal form), rebuilds
//! the full-text index and prints the rebuild time and index size, then times through HTTP, as
//! a city bureau user whose scope holds 60% of the rows:
//! - `GET /api/v1/search?q=W` (facets and snippets included) for random trade words W and for
//!   `材料`;
//! - `GET /api/v1/organizations?q=W` (the registry list, answered by the index);
//! - the anchor, measured in the same run: the same list through the store's `LIKE` (what
//!   `q=` did before the index).
//!
//! Figures, not assertions.

use crate::{REGIONS, http, percentile};
use kechuang_server::Config;
use kechuang_store::orgs::OrgFilter;
use kechuang_store::{Caller, DataScope, PageRequest};
use kechuang_testkit::{TestDb, fixtures};
use std::time::{Duration, Instant};

const PLACES: &[&str] = &[
    "济源",
    "孟州",
    "郑州",
    "洛阳",
    "河南",
    "中原",
    "豫西",
    "王屋山",
    "太行",
    "黄河",
];
const WORDS: &[&str] = &[
    "材料",
    "装备",
    "化工",
    "环保",
    "新能源",
    "电子",
    "钢铁",
    "铝业",
    "铅锌",
    "生物",
    "医药",
    "食品",
    "机械",
    "汽车",
    "智能",
    "信息",
    "软件",
    "光电",
    "精密",
    "冶金",
    "矿业",
    "纺织",
    "农业",
    "种业",
    "物流",
    "建材",
    "陶瓷",
    "玻璃",
    "塑料",
    "橡胶",
    "仪器",
    "仪表",
    "电力",
    "储能",
    "氢能",
    "锂电",
    "光伏",
    "风电",
    "节能",
    "检测",
    "医疗",
    "器械",
    "数据",
    "网络",
    "通信",
    "半导体",
    "芯片",
    "传感",
    "机器人",
    "航空",
    "模具",
    "铸造",
    "锻造",
    "焊接",
    "涂料",
    "颜料",
    "肥料",
    "饲料",
    "酿酒",
    "茶叶",
];
const FORMS: &[&str] = &[
    "科技有限公司",
    "有限公司",
    "股份有限公司",
    "研究院有限公司",
    "集团有限公司",
];

fn lcg(seed: &mut u64) -> u64 {
    *seed = seed
        .wrapping_mul(6_364_136_223_846_793_005)
        .wrapping_add(1_442_695_040_888_963_407);
    *seed >> 33
}

fn name(i: usize) -> String {
    let mut s = i as u64 ^ 0x5DEE_CE66;
    let p = PLACES[lcg(&mut s) as usize % PLACES.len()];
    let a = WORDS[lcg(&mut s) as usize % WORDS.len()];
    let b = WORDS[lcg(&mut s) as usize % WORDS.len()];
    let f = FORMS[lcg(&mut s) as usize % FORMS.len()];
    format!("{p}{a}{b}{f}")
}

pub(crate) async fn import(db: &TestDb, from: usize, to: usize) -> Duration {
    let t = Instant::now();
    let mut i = from;
    while i < to {
        let end = (i + 100_000).min(to);
        let rows: Vec<_> = (i..end)
            .map(|k| {
                (
                    k + 2,
                    fixtures::org(REGIONS[k % REGIONS.len()], k as u32, &name(k)),
                )
            })
            .collect();
        db.store
            .import_organizations(&Caller::system("bench"), &rows, false, false)
            .await
            .unwrap()
            .unwrap();
        i = end;
    }
    t.elapsed()
}

fn dir_size(p: &std::path::Path) -> u64 {
    std::fs::read_dir(p)
        .map(|rd| {
            rd.flatten()
                .map(|e| e.metadata().map(|m| m.len()).unwrap_or(0))
                .sum()
        })
        .unwrap_or(0)
}

pub(crate) fn times_of(addr: &str, cookie: &str, paths: Vec<String>) -> Vec<Duration> {
    let mut times = Vec::with_capacity(paths.len());
    for path in paths {
        let req = format!(
            "GET {path} HTTP/1.1\r\nHost: x\r\nCookie: {cookie}\r\nConnection: close\r\n\r\n"
        );
        let t = Instant::now();
        let (st, _) = http(addr, &req);
        times.push(t.elapsed());
        assert_eq!(st, 200, "{path}");
    }
    times.sort();
    times
}

pub(crate) fn enc(s: &str) -> String {
    s.bytes().map(|b| format!("%{b:02X}")).collect()
}

pub(crate) fn print(db: &str, n: usize, label: &str, times: &[Duration]) {
    println!(
        "[{db} {n}] {label}: {} requests, p50 {:.2} ms, p99 {:.2} ms",
        times.len(),
        percentile(times, 0.5),
        percentile(times, 0.99)
    );
}

pub async fn run(db: TestDb, sizes: &[usize], requests: usize) {
    let dir = std::env::temp_dir().join(format!(
        "kc-bench-search-{}-{}",
        std::process::id(),
        db.name
    ));
    let _ = std::fs::remove_dir_all(&dir);
    crate::officer(&db.store, "city", "419001").await;
    let state = kechuang_server::state(
        db.store.clone(),
        Config {
            search_dir: Some(dir.clone()),
            ..Config::default()
        },
    );
    let search = state.search.clone();
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
    let scope = DataScope::Region {
        code: "419001".into(),
        path: "/410000/419000/419001/".into(),
    };
    let mut have = 0;
    for &n in sizes {
        let took = import(&db, have, n).await;
        have = n;
        println!(
            "[{} {n}] import to {n} organizations: {:.1} s",
            db.name,
            took.as_secs_f64()
        );
        let (docs, took) = search.reindex(&db.store).await.unwrap();
        println!(
            "[{} {n}] index rebuild: {docs} documents in {:.1} s ({:.0} docs/s), index {:.1} MiB",
            db.name,
            took.as_secs_f64(),
            docs as f64 / took.as_secs_f64(),
            dir_size(&dir) as f64 / 1_048_576.0
        );
        let mut seed = 0x00C0_FFEEu64;
        let words: Vec<&str> = (0..requests)
            .map(|_| WORDS[lcg(&mut seed) as usize % WORDS.len()])
            .collect();
        for (label, paths) in [
            (
                "GET /api/v1/search?q=<a trade word> (facets, snippets)",
                words
                    .iter()
                    .map(|w| format!("/api/v1/search?size=10&q={}", enc(w)))
                    .collect::<Vec<_>>(),
            ),
            (
                "GET /api/v1/search?q=材料",
                (0..requests)
                    .map(|_| format!("/api/v1/search?size=10&q={}", enc("材料")))
                    .collect(),
            ),
            (
                "GET /api/v1/search?q=<two words>",
                words
                    .iter()
                    .zip(words.iter().rev())
                    .map(|(a, b)| format!("/api/v1/search?size=10&q={}%20{}", enc(a), enc(b)))
                    .collect(),
            ),
            (
                "GET /api/v1/organizations?q=<a trade word> (list through the index)",
                words
                    .iter()
                    .map(|w| format!("/api/v1/organizations?size=20&q={}", enc(w)))
                    .collect(),
            ),
        ] {
            let (a, c) = (addr.clone(), cookie.clone());
            let times = tokio::task::spawn_blocking(move || times_of(&a, &c, paths))
                .await
                .unwrap();
            print(db.name, n, label, &times);
        }
        // Where the time goes, in process (no HTTP, no freshness check).
        let terms = kechuang_domain::search::caller_terms(&scope);
        let kinds = kechuang_domain::search::SearchKind::ALL.to_vec();
        for (label, facets, snippets) in [
            ("index search, facets and snippets", true, true),
            ("index search, no facets", false, true),
            ("index search, neither", false, false),
        ] {
            let mut times = Vec::new();
            for w in &words {
                let t = Instant::now();
                search
                    .index()
                    .search(&kechuang_search::SearchQuery {
                        text: (*w).to_owned(),
                        kinds: kinds.clone(),
                        scope_terms: terms.clone(),
                        limit: 10,
                        facets,
                        snippets,
                        ..Default::default()
                    })
                    .unwrap();
                times.push(t.elapsed());
            }
            times.sort();
            print(db.name, n, label, &times);
        }
        let mut t_ids = Vec::new();
        let mut t_list = Vec::new();
        for w in &words {
            let t = Instant::now();
            let ids = search
                .index()
                .ids(
                    kechuang_domain::search::SearchKind::Organization,
                    w,
                    terms.clone(),
                )
                .unwrap();
            t_ids.push(t.elapsed());
            let f = OrgFilter {
                q: Some((*w).to_owned()),
                ids: Some(ids),
                ..Default::default()
            };
            let t = Instant::now();
            db.store
                .list_organizations(&scope, &f, PageRequest::new(1, 20))
                .await
                .unwrap();
            t_list.push(t.elapsed());
        }
        t_ids.sort();
        t_list.sort();
        print(db.name, n, "index ids for a list (top 2,000)", &t_ids);
        print(db.name, n, "store list with those ids", &t_list);
        // The anchor: the same list by LIKE, as before the index (fewer requests: it is slow).
        let like_n = if n >= 1_000_000 {
            requests.min(100)
        } else {
            requests
        };
        let mut times = Vec::with_capacity(like_n);
        for w in words.iter().take(like_n) {
            let f = OrgFilter {
                q: Some((*w).to_owned()),
                ..Default::default()
            };
            let t = Instant::now();
            db.store
                .list_organizations(&scope, &f, PageRequest::new(1, 20))
                .await
                .unwrap();
            times.push(t.elapsed());
        }
        times.sort();
        print(
            db.name,
            n,
            "anchor: organizations?q=<a trade word> by LIKE (store, no HTTP)",
            &times,
        );
    }
    server.abort();
    let _ = std::fs::remove_dir_all(&dir);
    db.drop_db().await;
}
