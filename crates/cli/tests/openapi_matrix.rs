//! The access matrix generated from the OpenAPI document (issue 21). Every operation whose path
//! names a record is tried by every demo role against a record of another scope and against an
//! id that exists nowhere: the two answers must be the same refusal (status and code, in the one
//! error shape), so nothing outside the scope is read and no answer tells that it exists. A path
//! whose collection is not classified below fails the test, so a new endpoint joins the matrix
//! the day it is written. Afterwards the audit log shows no change made by a prober.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use kechuang_server::{Config, app};
use kechuang_store::Caller;
use kechuang_testkit::all;
use serde_json::{Value, json};
use std::collections::{BTreeMap, BTreeSet};
use std::process::Command;
use tower::ServiceExt;
use utoipa::OpenApi;

const BIN: &str = env!("CARGO_BIN_EXE_kechuang");
const PASSWORD: &str = "DemoPassw0rd";
const NOWHERE: i64 = 987_654_321;

/// Where the records of a collection come from: the list to read (as `source`), and the array
/// field holding them (`""`: the page's `items`, or a bare array). `{first}` in a list path is
/// replaced by the first id of the collection named after it.
struct Kind {
    prefix: &'static str,
    list: &'static str,
    field: &'static str,
    source: &'static str,
    /// Records published to everyone (the 成果大厅, the 需求大厅, the shared-instrument
    /// catalogue, the service-provider catalogue), as an enterprise lists them: readable across
    /// scopes by design, never writable.
    public: Option<&'static str>,
}

const fn k(prefix: &'static str, list: &'static str) -> Kind {
    Kind {
        prefix,
        list,
        field: "",
        source: "jiyuan",
        public: None,
    }
}

/// Every collection with record paths. Not scoped, hence not probed: regions (public
/// reference data) and policy packs (published rules).
const PUBLIC: &[&str] = &["/api/v1/regions", "/api/v1/rules/packs"];

fn kinds() -> Vec<Kind> {
    vec![
        k("/api/v1/organizations", "/api/v1/organizations"),
        k("/api/v1/enterprise-years", "/api/v1/enterprise-years"),
        k("/api/v1/platforms", "/api/v1/platforms"),
        k("/api/v1/persons", "/api/v1/persons"),
        k("/api/v1/experts", "/api/v1/persons?is_expert=true"),
        Kind {
            source: "auditor",
            ..k("/api/v1/users", "/api/v1/users")
        },
        k("/api/v1/rules/results", "/api/v1/organizations"),
        // The demo's runs were made by the loader over everything.
        Kind {
            source: "sysall",
            ..k("/api/v1/rules/runs", "/api/v1/rules/runs")
        },
        k("/api/v1/calls", "/api/v1/calls"),
        k("/api/v1/applications", "/api/v1/applications"),
        k("/api/v1/review/rounds", "/api/v1/review/rounds"),
        k("/api/v1/platform-evaluations", "/api/v1/review/rounds"),
        Kind {
            source: "zhuanjia",
            ..k("/api/v1/review/assignments", "/api/v1/review/my")
        },
        k("/api/v1/plans", "/api/v1/plans"),
        Kind {
            field: "tasks",
            ..k("/api/v1/plans/tasks", "/api/v1/plans/{first:/api/v1/plans}")
        },
        k("/api/v1/contracts", "/api/v1/contracts"),
        Kind {
            public: Some("/api/v1/achievements?hall=true"),
            ..k("/api/v1/achievements", "/api/v1/achievements")
        },
        Kind {
            public: Some("/api/v1/demands/hall"),
            ..k("/api/v1/demands", "/api/v1/demands")
        },
        k("/api/v1/brokers", "/api/v1/brokers"),
        k("/api/v1/events", "/api/v1/events"),
        k("/api/v1/funds/programmes", "/api/v1/funds/programmes"),
        k("/api/v1/funds/pool", "/api/v1/funds/programmes"),
        k("/api/v1/funds/grants", "/api/v1/funds/grants"),
        k("/api/v1/funds/vouchers", "/api/v1/funds/vouchers"),
        k("/api/v1/funds/orders", "/api/v1/funds/orders"),
        Kind {
            public: Some("/api/v1/funds/instruments?catalogue=true"),
            ..k("/api/v1/funds/instruments", "/api/v1/funds/instruments")
        },
        k("/api/v1/funds/loans", "/api/v1/funds/loans"),
        k("/api/v1/funds/bookings", "/api/v1/funds/bookings"),
        Kind {
            public: Some("/api/v1/funds/providers"),
            ..k("/api/v1/funds/providers", "/api/v1/funds/providers")
        },
        k(
            "/api/v1/people/commissioners",
            "/api/v1/people/commissioners",
        ),
        k("/api/v1/people/dispatches", "/api/v1/people/dispatches"),
        k("/api/v1/people/logs", "/api/v1/people/logs"),
        k("/api/v1/people/assessments", "/api/v1/people/assessments"),
        k("/api/v1/people/talents", "/api/v1/people/talents"),
        k(
            "/api/v1/people/talent-applications",
            "/api/v1/people/talent-applications",
        ),
        k("/api/v1/people/teams", "/api/v1/people/teams"),
        k("/api/v1/people/demands", "/api/v1/people/demands"),
        k("/api/v1/people/stations", "/api/v1/platforms"),
        k(
            "/api/v1/platform-recognitions",
            "/api/v1/platform-recognitions",
        ),
        k("/api/v1/platform-reports", "/api/v1/platform-reports"),
        k("/api/v1/platform-pool", "/api/v1/platform-pool"),
        k("/api/v1/incubatees", "/api/v1/incubatees"),
        k("/api/v1/awards/calls", "/api/v1/awards/calls"),
        k("/api/v1/awards/nominations", "/api/v1/awards/nominations"),
        k("/api/v1/awards/objections", "/api/v1/awards/objections"),
    ]
}

/// Probers: every demo role that has a scope narrower than the records' (the province leader
/// sees all of 河南 and has no other scope to be refused).
const PROBERS: &[&str] = &[
    "henan", "jiyuan", "mengzhou", "qiye", "zhuanjia", "tepai", "fuwu", "dengji", "auditor",
    "sysadmin",
];

type Session = (String, String);

async fn call(app: &axum::Router, s: &Session, method: &str, path: &str) -> (StatusCode, Value) {
    let mut b = Request::builder()
        .method(method)
        .uri(path)
        .header(header::COOKIE, &s.0)
        .header("x-csrf-token", &s.1);
    let body = if matches!(method, "POST" | "PUT") {
        b = b.header(header::CONTENT_TYPE, "application/json");
        Body::from("{}")
    } else {
        Body::empty()
    };
    let res = app.clone().oneshot(b.body(body).unwrap()).await.unwrap();
    let st = res.status();
    let bytes = res.into_body().collect().await.unwrap().to_bytes();
    (st, serde_json::from_slice(&bytes).unwrap_or(Value::Null))
}

async fn login(app: &axum::Router, user: &str) -> Session {
    let req = Request::post("/api/v1/auth/login")
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(
            json!({"username": user, "password": PASSWORD}).to_string(),
        ))
        .unwrap();
    let res = app.clone().oneshot(req).await.unwrap();
    assert_eq!(res.status(), StatusCode::OK, "login {user}");
    let cookie = res.headers()[header::SET_COOKIE]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_owned();
    let b: Value =
        serde_json::from_slice(&res.into_body().collect().await.unwrap().to_bytes()).unwrap();
    (cookie, b["csrf_token"].as_str().unwrap().to_owned())
}

fn ids_of(v: &Value, field: &str) -> BTreeSet<i64> {
    let arr = if field.is_empty() {
        v.get("items").or(Some(v)).and_then(Value::as_array)
    } else {
        v.get(field).and_then(Value::as_array)
    };
    arr.into_iter()
        .flatten()
        .filter_map(|x| x.get("id").and_then(Value::as_i64))
        .collect()
}

/// The ids a session sees in a collection (empty when it may not list it).
async fn visible(
    app: &axum::Router,
    s: &Session,
    kind: &Kind,
    firsts: &BTreeMap<String, i64>,
) -> BTreeSet<i64> {
    let mut path = kind.list.to_owned();
    if let Some(i) = path.find("{first:") {
        let j = path[i..].find('}').unwrap() + i;
        let of = &path[i + 7..j];
        let Some(id) = firsts.get(of) else {
            return BTreeSet::new();
        };
        path = format!("{}{id}{}", &path[..i], &path[j + 1..]);
    }
    let sep = if path.contains('?') { '&' } else { '?' };
    // Every page: a record beyond the first page is still the caller's own.
    let mut ids = BTreeSet::new();
    for page in 1..=100 {
        let (st, v) = call(app, s, "GET", &format!("{path}{sep}size=500&page={page}")).await;
        if !st.is_success() {
            break;
        }
        let got = ids_of(&v, kind.field);
        let more = v["total"].as_u64().is_some_and(|t| t > (page * 500) as u64);
        ids.extend(got);
        if !more {
            break;
        }
    }
    // A bureau reads the assignments of the review rounds it runs, beside an expert's own.
    if kind.prefix == "/api/v1/review/assignments" {
        let (st, rounds) = call(app, s, "GET", "/api/v1/review/rounds?size=500").await;
        if st.is_success() {
            for r in ids_of(&rounds, "") {
                let (_, d) = call(app, s, "GET", &format!("/api/v1/review/rounds/{r}")).await;
                ids.extend(ids_of(&d, "assignments"));
            }
        }
    }
    ids
}

/// The path with its first parameter set to `id` and any further one to 1.
fn fill(path: &str, id: i64) -> String {
    let mut p = path.to_owned();
    let mut first = true;
    while let Some(i) = p.find('{') {
        let j = p[i..].find('}').unwrap() + i;
        let v = if first {
            id.to_string()
        } else {
            "1".to_owned()
        };
        first = false;
        p = format!("{}{v}{}", &p[..i], &p[j + 1..]);
    }
    p
}

#[tokio::test]
async fn every_record_path_refuses_other_scopes_as_if_the_record_did_not_exist() {
    for db in all().await {
        let out = Command::new(BIN)
            .args(["demo", "--password", PASSWORD])
            .env("KECHUANG_DATABASE_URL", &db.url)
            .env("KECHUANG_SECRET", "test-secret-0123456789")
            .env("KECHUANG_LOG", "warn")
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        // A record outside 河南, so that the province has another scope to be refused.
        db.store
            .create_organization(
                &Caller::system("test"),
                &kechuang_testkit::fixtures::org("130102", 1, "石家庄外省企业"),
            )
            .await
            .unwrap();
        // The system administrator (三员), and an officer of the whole system only to list every
        // registry record.
        for (name, role) in [("sysadmin", "admin"), ("sysall", "officer")] {
            db.store
                .create_user(
                    &Caller::system("test"),
                    &kechuang_store::accounts::NewUser {
                        username: name.into(),
                        display_name: name.into(),
                        password_hash: kechuang_server::auth::hash_password(PASSWORD).unwrap(),
                        scope_kind: "all".into(),
                        region: kechuang_domain::RegionCode::parse("419001").unwrap(),
                        org_id: None,
                        roles: vec![role.into()],
                        must_change_password: false,
                    },
                )
                .await
                .unwrap();
        }
        let app = app(
            db.store.clone(),
            Config {
                id_hash_key: b"test-secret-0123456789".to_vec(),
                ..Config::default()
            },
        );
        let doc = serde_json::to_value(kechuang_server::openapi::ApiDoc::openapi()).unwrap();
        let kinds = kinds();
        // Classification: every record path's collection is known.
        let mut ops = Vec::new();
        let mut unclassified = BTreeSet::new();
        for (path, item) in doc["paths"].as_object().unwrap() {
            let Some(brace) = path.find('{') else {
                continue;
            };
            let prefix = path[..brace].trim_end_matches('/');
            if PUBLIC.contains(&prefix) {
                continue;
            }
            if !kinds.iter().any(|k| k.prefix == prefix) {
                unclassified.insert(prefix.to_owned());
                continue;
            }
            for method in item.as_object().unwrap().keys() {
                ops.push((method.to_uppercase(), path.clone(), prefix.to_owned()));
            }
        }
        assert!(
            unclassified.is_empty(),
            "record paths of unclassified collections: {unclassified:?}"
        );

        let mut sessions = BTreeMap::new();
        for u in PROBERS.iter().chain(&["sysall"]) {
            sessions.insert(*u, login(&app, u).await);
        }
        // The universe of each collection, and its first id (for nested lists).
        let mut universe = BTreeMap::new();
        let mut firsts = BTreeMap::new();
        for kind in &kinds {
            // The city's records, and a county's of another city (foreign to the city itself).
            let mut ids = visible(&app, &sessions[kind.source], kind, &firsts).await;
            if kind.source == "jiyuan" {
                ids.extend(visible(&app, &sessions["mengzhou"], kind, &firsts).await);
            }
            // Everything the system holds of the registries (the province's foreign records).
            if kind.prefix == "/api/v1/organizations" {
                ids.extend(visible(&app, &sessions["sysall"], kind, &firsts).await);
            }
            if let Some(first) = ids.iter().next() {
                firsts.insert(kind.prefix.to_owned(), *first);
            }
            universe.insert(kind.prefix, ids);
        }
        let empty: Vec<&str> = universe
            .iter()
            .filter(|(_, v)| v.is_empty())
            .map(|(k, _)| *k)
            .collect();
        assert!(
            empty.len() <= 3,
            "{}: collections without records in the demo: {empty:?}",
            db.name
        );

        // The demo wrote as some of these accounts; only what follows counts.
        let (before, _) = db.store.audit_head().await.unwrap();
        let mut tried = 0usize;
        let mut problems = Vec::new();
        let shape = |b: &Value| b["code"].is_string() && b["message"].is_string();
        for prober in PROBERS {
            let s = &sessions[prober];
            for kind in &kinds {
                let seen = visible(&app, s, kind, &firsts).await;
                // Published lists are the same for everyone; an enterprise reads them all.
                let public = match kind.public {
                    Some(list) => {
                        visible(&app, &sessions["qiye"], &k(kind.prefix, list), &firsts).await
                    }
                    None => BTreeSet::new(),
                };
                let of_kind: Vec<&(String, String, String)> =
                    ops.iter().filter(|(_, _, p)| p == kind.prefix).collect();
                // A published record of another scope: read by design, never changed.
                if let Some(open) = universe[kind.prefix]
                    .iter()
                    .find(|id| public.contains(id) && !seen.contains(id))
                {
                    for (method, path, _) in of_kind.iter().filter(|(m, _, _)| m != "GET") {
                        let (st, _) = call(&app, s, method, &fill(path, *open)).await;
                        tried += 1;
                        if st.is_success() {
                            problems.push(format!(
                                "{prober} {method} {path} id {open}: {st} (changed a published record of another scope)"
                            ));
                        }
                    }
                }
                // Its own record answers: the refusals are not a route that refuses everyone.
                if let Some(own) = seen.iter().next() {
                    let detail = format!("{}/{{id}}", kind.prefix);
                    if ops.iter().any(|(m, p, _)| m == "GET" && *p == detail) {
                        let (st, b) = call(&app, s, "GET", &fill(&detail, *own)).await;
                        tried += 1;
                        if !st.is_success() {
                            problems.push(format!(
                                "{prober} GET {detail} own id {own}: {st} {b} (its own record refused)"
                            ));
                        }
                    }
                }
                let Some(foreign) = universe[kind.prefix]
                    .iter()
                    .find(|id| !seen.contains(id) && !public.contains(id))
                else {
                    continue;
                };
                for (method, path, _) in of_kind {
                    let (fs, fb) = call(&app, s, method, &fill(path, *foreign)).await;
                    let (ns, nb) = call(&app, s, method, &fill(path, NOWHERE)).await;
                    tried += 1;
                    if fs.is_success() {
                        problems.push(format!(
                            "{prober} {method} {path} id {foreign}: {fs} (read or changed another scope's record)"
                        ));
                    } else if (fs, &fb["code"]) != (ns, &nb["code"]) {
                        problems.push(format!(
                            "{prober} {method} {path}: another scope's id answers {fs} {} but a missing id {ns} {} (tells that it exists)",
                            fb["code"], nb["code"]
                        ));
                    } else if !shape(&fb) {
                        problems.push(format!(
                            "{prober} {method} {path}: {fs} without the error shape: {fb}"
                        ));
                    }
                }
            }
        }
        println!(
            "{}: {} operations with a record id, {tried} (role, operation) pairs tried",
            db.name,
            ops.len()
        );
        assert!(problems.is_empty(), "{}:\n{}", db.name, problems.join("\n"));
        assert!(tried > 500, "{tried}");
        // Nothing was changed by a prober: its only audit entries are sign-ins and refusals.
        let aud = &sessions["auditor"];
        let mut changed = Vec::new();
        for prober in PROBERS {
            let (_, log) = call(
                &app,
                aud,
                "GET",
                &format!("/api/v1/audit?actor={prober}&size=500"),
            )
            .await;
            for e in log["items"].as_array().unwrap() {
                let action = e["action"].as_str().unwrap_or_default();
                if e["seq"].as_i64().unwrap() > before
                    && e["actor"] == *prober
                    && !matches!(action, "login" | "logout" | "access_refused")
                {
                    changed.push(format!(
                        "{prober}: {action} {} {}",
                        e["entity"], e["entity_id"]
                    ));
                }
            }
        }
        assert!(
            changed.is_empty(),
            "{}: probers changed records: {changed:?}",
            db.name
        );
        db.drop_db().await;
    }
}
