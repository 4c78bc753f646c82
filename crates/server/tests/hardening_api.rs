//! Issue 21's first findings, each as a regression test on both backends: the lockout is no
//! password oracle and every refused attempt is audited; logins are throttled; the password
//! policy refuses the guessable; every response carries the security headers; an enterprise's
//! unsubmitted draft is its own.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use common::{login, req, send, user};
use kechuang_server::{Config, app};
use kechuang_store::Caller;
use kechuang_testkit::{all, fixtures};
use serde_json::{Value, json};
use tower::ServiceExt;

fn attempt(u: &str, p: &str) -> Request<Body> {
    Request::post("/api/v1/auth/login")
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(
            json!({"username": u, "password": p}).to_string(),
        ))
        .unwrap()
}

#[tokio::test]
async fn a_locked_account_answers_every_password_alike_and_attempts_are_audited() {
    for db in all().await {
        let s = &db.store;
        user(s, "city", "region", "419001", None, "officer").await;
        user(s, "aud", "all", "419001", None, "auditor").await;
        let app = app(s.clone(), Config::default());
        for _ in 0..5 {
            let (st, _) = send(&app, attempt("city", "WrongPass99")).await;
            assert_eq!(st, StatusCode::UNAUTHORIZED);
        }
        // Locked: the right and a wrong password get the same answer, byte for byte.
        let (right_st, right) = send(&app, attempt("city", "Passw0rd2026")).await;
        let (wrong_st, wrong) = send(&app, attempt("city", "WrongPass99")).await;
        assert_eq!(
            (right_st, wrong_st),
            (StatusCode::LOCKED, StatusCode::LOCKED),
            "{right} {wrong}"
        );
        assert_eq!(right["code"], wrong["code"]);
        assert_eq!(right["message"], wrong["message"]);
        // An unknown name is refused like a wrong password, and recorded too.
        let (st, _) = send(&app, attempt("nobody", "WrongPass99")).await;
        assert_eq!(st, StatusCode::UNAUTHORIZED);
        let a = login(&app, "aud").await;
        let (_, log) = send(
            &app,
            req(
                "GET",
                "/api/v1/audit?action=login_refused&page=1&size=50",
                &a,
                None,
            ),
        )
        .await;
        let reasons: Vec<&str> = log["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| {
                let after: Value = serde_json::from_str(e["after_json"].as_str().unwrap()).unwrap();
                if after["reason"] == "locked" {
                    "locked"
                } else {
                    "unknown_user"
                }
            })
            .collect();
        assert_eq!(
            reasons.iter().filter(|r| **r == "locked").count(),
            2,
            "{log}"
        );
        assert!(reasons.contains(&"unknown_user"), "{log}");
        let (_, locks) = send(
            &app,
            req(
                "GET",
                "/api/v1/audit?action=login_locked&page=1&size=5",
                &a,
                None,
            ),
        )
        .await;
        assert_eq!(locks["total"], 1);
        db.drop_db().await;
    }
}

#[tokio::test]
async fn logins_are_throttled_per_account() {
    for db in all().await {
        let s = &db.store;
        user(s, "city", "region", "419001", None, "officer").await;
        let app = app(s.clone(), Config::default());
        // Ten tries a minute on one name, whatever the password; the eleventh waits.
        let mut statuses = Vec::new();
        for n in 0..11 {
            let who = if n % 2 == 0 { "CITY" } else { "city" };
            statuses.push(send(&app, attempt(who, "WrongPass99")).await.0);
        }
        assert_eq!(statuses[10], StatusCode::TOO_MANY_REQUESTS, "{statuses:?}");
        assert!(
            statuses[..10]
                .iter()
                .all(|s| *s != StatusCode::TOO_MANY_REQUESTS)
        );
        db.drop_db().await;
    }
}

#[tokio::test]
async fn the_password_policy_refuses_the_guessable() {
    for db in all().await {
        let s = &db.store;
        user(s, "root", "all", "419001", None, "admin").await;
        let app = app(s.clone(), Config::default());
        let admin = login(&app, "root").await;
        let create = |name: &str, pw: &str| {
            req(
                "POST",
                "/api/v1/users",
                &admin,
                Some(json!({
                    "username": name, "display_name": "测试", "password": pw, "scope_kind": "region",
                    "region": "419001", "roles": ["officer"]
                })),
            )
        };
        for (pw, why) in [
            ("password1", "常见"),
            ("pwtest123", "账号名"),
            ("aaaaaaaa1", "5个不同"),
            ("short1a", "至少8位"),
            (&"a1".repeat(1001)[..], "64"),
        ] {
            let (st, r) = send(&app, create("pwtest", pw)).await;
            assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{pw}: {r}");
            assert!(r["message"].as_str().unwrap().contains(why), "{pw}: {r}");
        }
        let (st, r) = send(&app, create("pwtest", "Kechuang2026")).await;
        assert_eq!(st, StatusCode::CREATED, "{r}");
        db.drop_db().await;
    }
}

#[tokio::test]
async fn every_response_carries_the_security_headers() {
    for db in all().await {
        for secure in [false, true] {
            let app = app(
                db.store.clone(),
                Config {
                    secure_cookies: secure,
                    ..Config::default()
                },
            );
            for path in ["/", "/login", "/api/v1/auth/me", "/api/openapi.json"] {
                let res = app
                    .clone()
                    .oneshot(Request::get(path).body(Body::empty()).unwrap())
                    .await
                    .unwrap();
                let h = res.headers();
                let csp = h[header::CONTENT_SECURITY_POLICY].to_str().unwrap();
                assert!(
                    csp.contains("frame-ancestors 'none'") && csp.contains("script-src 'self'"),
                    "{path}: {csp}"
                );
                assert!(!csp.contains("unsafe-eval"), "{csp}");
                assert_eq!(h[header::X_CONTENT_TYPE_OPTIONS], "nosniff", "{path}");
                assert_eq!(h[header::X_FRAME_OPTIONS], "DENY", "{path}");
                assert_eq!(h[header::REFERRER_POLICY], "no-referrer", "{path}");
                assert!(h.contains_key("permissions-policy"), "{path}");
                assert_eq!(
                    h.contains_key(header::STRICT_TRANSPORT_SECURITY),
                    secure,
                    "{path}"
                );
                if path.starts_with("/api/") {
                    assert_eq!(h[header::CACHE_CONTROL], "no-store", "{path}");
                }
            }
        }
        db.drop_db().await;
    }
}

#[tokio::test]
async fn an_unsubmitted_draft_is_the_enterprises_own() {
    for db in all().await {
        let s = &db.store;
        let sys = Caller::system("t");
        let ent = s
            .create_organization(&sys, &fixtures::org("419001", 71, "草稿企业"))
            .await
            .unwrap();
        let mut p = fixtures::expert(ent.id, "负责人");
        p.is_expert = false;
        let leader = s.create_person(&sys, &p, b"k", None).await.unwrap().id;
        user(s, "city", "region", "419001", None, "officer").await;
        user(s, "prov", "region", "410000", None, "leader").await;
        user(
            s,
            "qiye",
            "organization",
            "419001",
            Some(ent.id),
            "enterprise",
        )
        .await;
        let app = app(s.clone(), Config::default());
        let (city, prov, qiye) = (
            login(&app, "city").await,
            login(&app, "prov").await,
            login(&app, "qiye").await,
        );
        let today = kechuang_server::api::today();
        let (_, call) = send(&app, req("POST", "/api/v1/calls", &city, Some(json!({
            "title": "草稿测试指南", "category": "科技攻关", "mode": "公开竞争", "region": "419001",
            "budget": "1000000", "opens_on": (today - chrono::Duration::days(1)).to_string(),
            "closes_on": (today + chrono::Duration::days(9)).to_string()
        })))).await;
        let (st, a) = send(&app, req("POST", "/api/v1/applications", &qiye, Some(json!({
            "call_id": call["id"], "title": "尚未提交的设想", "org_id": ent.id, "leader_id": leader,
            "budget": [{"item": "设备费", "amount": "1000"}],
            "milestones": [{"title": "样机", "due_on": "2027-06-30", "target": "1台"}], "integrity_pledge": true
        })))).await;
        assert_eq!(st, StatusCode::CREATED, "{a}");
        let id = a["id"].as_i64().unwrap();
        for officer in [&city, &prov] {
            let (st, _) = send(
                &app,
                req("GET", &format!("/api/v1/applications/{id}"), officer, None),
            )
            .await;
            assert_eq!(st, StatusCode::NOT_FOUND);
            let (st, _) = send(
                &app,
                req(
                    "GET",
                    &format!("/api/v1/applications/{id}/attachments"),
                    officer,
                    None,
                ),
            )
            .await;
            assert_eq!(st, StatusCode::NOT_FOUND);
            let (_, list) = send(&app, req("GET", "/api/v1/applications", officer, None)).await;
            assert!(
                list["items"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .all(|x| x["id"] != id),
                "{list}"
            );
        }
        let (st, _) = send(
            &app,
            req("GET", &format!("/api/v1/applications/{id}"), &qiye, None),
        )
        .await;
        assert_eq!(st, StatusCode::OK, "the enterprise sees its own draft");
        let (st, r) = send(
            &app,
            req(
                "POST",
                &format!("/api/v1/applications/{id}/transition"),
                &qiye,
                Some(json!({"action": "submit"})),
            ),
        )
        .await;
        assert_eq!(st, StatusCode::OK, "{r}");
        let (st, _) = send(
            &app,
            req("GET", &format!("/api/v1/applications/{id}"), &city, None),
        )
        .await;
        assert_eq!(st, StatusCode::OK, "submitted: the bureau sees it");
        assert_eq!(
            db.store.audit_coverage().await.unwrap(),
            vec![],
            "{}",
            db.name
        );
        db.drop_db().await;
    }
}

#[tokio::test]
async fn a_referenced_person_is_kept_with_a_reason_and_text_stays_text() {
    for db in all().await {
        let s = &db.store;
        let sys = Caller::system("t");
        let org = s
            .create_organization(&sys, &fixtures::org("419001", 72, "引用测试单位"))
            .await
            .unwrap();
        let p = s
            .create_person(&sys, &fixtures::expert(org.id, "被引用专家"), b"k", None)
            .await
            .unwrap();
        s.add_person_link(
            &sys,
            &kechuang_store::review::PersonLink {
                person_id: p.id,
                kind: "project".into(),
                reference: "济科攻〔2025〕001号".into(),
                year: 2025,
            },
        )
        .await
        .unwrap();
        user(s, "city", "region", "419001", None, "officer").await;
        let app = app(s.clone(), Config::default());
        let city = login(&app, "city").await;
        // Before: a database error and a 500. Now a 409 saying what refers to the person.
        let (st, r) = send(
            &app,
            req("DELETE", &format!("/api/v1/persons/{}", p.id), &city, None),
        )
        .await;
        assert_eq!(
            (st, r["code"].as_str()),
            (StatusCode::CONFLICT, Some("person.in_use")),
            "{r}"
        );
        assert!(
            r["message"].as_str().unwrap().contains("合作关系记录"),
            "{r}"
        );
        // A name that displays differently from what it is, refused on its field.
        let (st, r) = send(
            &app,
            req(
                "POST",
                "/api/v1/organizations",
                &city,
                Some(json!({
                    "credit_code": fixtures::org("419001", 73, "x").credit_code.to_string(),
                    "name": "济源\u{202E}司公限有", "kind": "enterprise", "region": "419001"
                })),
            ),
        )
        .await;
        assert_eq!(
            (st, r["fields"][0]["code"].as_str()),
            (
                StatusCode::UNPROCESSABLE_ENTITY,
                Some("name.invisible_char")
            ),
            "{r}"
        );
        // A name a spreadsheet would run as a formula is exported as text.
        let (st, _) = send(&app, req("POST", "/api/v1/organizations", &city, Some(json!({
            "credit_code": fixtures::org("419001", 74, "x").credit_code.to_string(),
            "name": "=HYPERLINK(\"http://x\",\"点我\")", "kind": "enterprise", "region": "419001"
        })))).await;
        assert_eq!(st, StatusCode::CREATED);
        let bytes = common::get_xlsx(&app, "/api/v1/organizations/export", &city).await;
        let sheet = kechuang_server::tabular::read_table(&bytes).unwrap();
        assert!(
            sheet
                .rows
                .iter()
                .any(|(_, r)| r.iter().any(|c| c == "'=HYPERLINK(\"http://x\",\"点我\")")),
            "{:?}",
            sheet.rows
        );
        db.drop_db().await;
    }
}

#[tokio::test]
async fn another_scopes_record_is_missing_before_its_body_is_judged() {
    for db in all().await {
        let s = &db.store;
        let sys = Caller::system("t");
        let org = s
            .create_organization(&sys, &fixtures::org("419001", 75, "济源某企业"))
            .await
            .unwrap();
        let person = s
            .create_person(&sys, &fixtures::expert(org.id, "济源某专家"), b"k", None)
            .await
            .unwrap();
        let platform = s
            .create_platform(&sys, &fixtures::platform(org.id, "济源某平台"))
            .await
            .unwrap();
        user(s, "county", "region", "410883", None, "officer").await;
        let app = app(s.clone(), Config::default());
        let county = login(&app, "county").await;
        // An invalid body for a record of another county: 404, never a 422 that confirms it exists.
        for path in [
            format!("/api/v1/organizations/{}", org.id),
            format!("/api/v1/persons/{}", person.id),
            format!("/api/v1/platforms/{}", platform.id),
        ] {
            let (st, r) = send(&app, req("PUT", &path, &county, Some(json!({"name": "", "credit_code": "x", "kind": "x", "region": "x", "host_org_id": 0, "platform_type": "x", "level": "x"})))).await;
            assert_eq!(st, StatusCode::NOT_FOUND, "{path}: {r}");
        }
        db.drop_db().await;
    }
}

/// The OpenAPI document has no dangling reference, and the fields that are lists are declared
/// as lists (schemathesis found `SortOrder` undefined and arrays declared as objects).
#[tokio::test]
async fn the_openapi_document_resolves_and_declares_lists_as_arrays() {
    use utoipa::OpenApi;
    let doc = serde_json::to_value(kechuang_server::openapi::ApiDoc::openapi()).unwrap();
    let text = doc.to_string();
    let schemas = doc["components"]["schemas"].as_object().unwrap();
    let mut dangling: Vec<&str> = text
        .match_indices("#/components/schemas/")
        .map(|(i, m)| {
            let rest = &text[i + m.len()..];
            &rest[..rest.find('"').unwrap()]
        })
        .filter(|name| !schemas.contains_key(*name))
        .collect();
    dangling.sort_unstable();
    dangling.dedup();
    assert!(dangling.is_empty(), "undefined schemas: {dangling:?}");
    // Every operation documents its refusals in the one error shape.
    let mut undocumented = Vec::new();
    let mut operations = 0;
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            operations += 1;
            let r = op["responses"].as_object().unwrap();
            let mut need = vec!["400"];
            if !path.ends_with("/auth/login") {
                need.extend(["401", "403"]);
            }
            if path.contains('{') {
                need.push("404");
            }
            if method != "get" {
                need.extend(["409", "422"]);
            }
            for code in need {
                if !r.contains_key(code) {
                    undocumented.push(format!("{method} {path} {code}"));
                }
            }
        }
    }
    assert!(operations > 300, "{operations} operations");
    assert!(undocumented.is_empty(), "undocumented: {undocumented:?}");
    for (schema, field) in [
        ("Application", "budget"),
        ("RuleResult", "missing"),
        ("RuleResult", "gaps"),
    ] {
        assert_eq!(
            schemas[schema]["properties"][field]["type"], "array",
            "{schema}.{field}: {}",
            schemas[schema]["properties"][field]
        );
    }
}

/// 等保: refused access is audited (a 403 and another scope's record read as missing), and so
/// is every attachment download.
#[tokio::test]
async fn refused_access_is_audited_with_the_path() {
    for db in all().await {
        let s = &db.store;
        let sys = Caller::system("t");
        let mine = s
            .create_organization(&sys, &fixtures::org("419001", 901, "本企业"))
            .await
            .unwrap();
        let other = s
            .create_organization(&sys, &fixtures::org("419001", 902, "别的企业"))
            .await
            .unwrap();
        user(
            s,
            "ent",
            "organization",
            "419001",
            Some(mine.id),
            "enterprise",
        )
        .await;
        user(s, "aud", "all", "419001", None, "auditor").await;
        let app = app(s.clone(), Config::default());
        let e = login(&app, "ent").await;
        let path = format!("/api/v1/organizations/{}", other.id);
        let (st, _) = send(&app, req("GET", &path, &e, None)).await;
        assert_eq!(st, StatusCode::NOT_FOUND);
        let (st, _) = send(&app, req("GET", "/api/v1/users", &e, None)).await;
        assert_eq!(st, StatusCode::FORBIDDEN);
        // Its own record is no refusal.
        let (st, _) = send(
            &app,
            req(
                "GET",
                &format!("/api/v1/organizations/{}", mine.id),
                &e,
                None,
            ),
        )
        .await;
        assert_eq!(st, StatusCode::OK);
        let a = login(&app, "aud").await;
        let (_, log) = send(
            &app,
            req(
                "GET",
                "/api/v1/audit?action=access_refused&size=50",
                &a,
                None,
            ),
        )
        .await;
        let seen: Vec<(String, i64)> = log["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| {
                let after: Value = serde_json::from_str(e["after_json"].as_str().unwrap()).unwrap();
                assert_eq!(e["actor"], "ent");
                (
                    after["path"].as_str().unwrap().to_owned(),
                    after["status"].as_i64().unwrap(),
                )
            })
            .collect();
        assert_eq!(
            seen,
            vec![("/api/v1/users".to_owned(), 403), (path.clone(), 404)],
            "{log}"
        );
        let (_, v) = send(&app, req("GET", "/api/v1/audit/verify", &a, None)).await;
        assert_eq!(v["ok"], true, "{v}");
        db.drop_db().await;
    }
}

/// 等保: a session ends at its absolute lifetime however active; a password expires after
/// the configured days and may not repeat the recent ones.
#[tokio::test]
async fn sessions_and_passwords_age_out() {
    for db in all().await {
        let s = &db.store;
        let id = user(s, "city", "region", "419001", None, "officer").await;
        let short = app(
            s.clone(),
            Config {
                session_max_age_ms: 1500,
                ..Config::default()
            },
        );
        let c = login(&short, "city").await;
        let (st, _) = send(&short, req("GET", "/api/v1/auth/me", &c, None)).await;
        assert_eq!(st, StatusCode::OK);
        tokio::time::sleep(std::time::Duration::from_millis(1600)).await;
        let (st, r) = send(&short, req("GET", "/api/v1/auth/me", &c, None)).await;
        assert_eq!(
            (st, r["code"].as_str()),
            (StatusCode::UNAUTHORIZED, Some("auth.required"))
        );

        // A password set 91 days ago must be changed before anything else answers.
        let app = app(s.clone(), Config::default());
        let old = chrono::Utc::now().timestamp_millis() - 91 * 24 * 3_600_000;
        s.execute_unchecked(&format!(
            "UPDATE users SET password_changed_at = {old} WHERE id = {id}"
        ))
        .await
        .unwrap();
        let c = login(&app, "city").await;
        let (st, r) = send(&app, req("GET", "/api/v1/organizations", &c, None)).await;
        assert_eq!(st, StatusCode::FORBIDDEN);
        assert_eq!(r["code"], "auth.must_change_password");
        assert!(r["message"].as_str().unwrap().contains("90天"), "{r}");
        let (_, me) = send(&app, req("GET", "/api/v1/auth/me", &c, None)).await;
        assert_eq!(me["must_change_password"], true);
        let change = |c: &(String, String), old: &str, new: &str| {
            req(
                "POST",
                "/api/v1/auth/password",
                c,
                Some(json!({"old_password": old, "new_password": new})),
            )
        };
        let (st, r) = send(&app, change(&c, "Passw0rd2026", "Kechuang2027a")).await;
        assert_eq!(st, StatusCode::OK, "{r}");
        // Changing back to a recent password is refused; a fresh one is taken.
        let c = common::login_with(&app, "city", "Kechuang2027a").await;
        let (st, r) = send(&app, change(&c, "Kechuang2027a", "Passw0rd2026")).await;
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{r}");
        assert_eq!(r["fields"][0]["code"], "password.reused", "{r}");
        let (st, r) = send(&app, change(&c, "Kechuang2027a", "Xinmima2028b")).await;
        assert_eq!(st, StatusCode::OK, "{r}");
        let c = common::login_with(&app, "city", "Xinmima2028b").await;
        let (st, _) = send(&app, req("GET", "/api/v1/organizations", &c, None)).await;
        assert_eq!(st, StatusCode::OK);
        db.drop_db().await;
    }
}

/// An upload beyond the cap is refused while it arrives, with a Chinese message.
#[tokio::test]
async fn an_oversized_upload_is_refused_before_it_is_held() {
    for db in all().await {
        let s = &db.store;
        user(s, "city", "region", "419001", None, "officer").await;
        let app = app(s.clone(), Config::default());
        let c = login(&app, "city").await;
        let big = vec![b'a'; kechuang_server::tabular::MAX_UPLOAD_BYTES + 1024];
        let (st, r) = send(
            &app,
            common::upload(
                "/api/v1/organizations/import?dry_run=true",
                &c,
                "big.csv",
                &big,
            ),
        )
        .await;
        assert_eq!(st, StatusCode::PAYLOAD_TOO_LARGE, "{r}");
        assert_eq!(r["code"], "import.too_large");
        assert!(r["message"].as_str().unwrap().contains("32 MiB"), "{r}");
        // A zip bomb through the enterprise-year import: refused, nothing written.
        let bomb = kechuang_testkit::hostile::xlsx_bomb(64 << 20);
        let (st, r) = send(
            &app,
            common::upload("/api/v1/enterprise-years/import", &c, "bomb.xlsx", &bomb),
        )
        .await;
        assert_eq!(st, StatusCode::BAD_REQUEST, "{r}");
        assert_eq!(r["fields"][0]["code"], "import.too_large", "{r}");
        assert!(r["message"].as_str().unwrap().contains("压缩比异常"), "{r}");
        db.drop_db().await;
    }
}

/// Two types of one name in the OpenAPI document overwrite each other (schemathesis found
/// `Demand`'s list answering to the talent demand's schema): every schema name is unique.
#[test]
fn openapi_schema_names_are_unique() {
    fn walk(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
        for e in std::fs::read_dir(dir).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                walk(&p, out);
            } else if p.extension().is_some_and(|x| x == "rs") {
                out.push(p);
            }
        }
    }
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut files = Vec::new();
    for c in std::fs::read_dir(&root).unwrap().flatten() {
        let src = c.path().join("src");
        if src.is_dir() {
            walk(&src, &mut files);
        }
    }
    let mut seen: std::collections::BTreeMap<String, Vec<String>> = Default::default();
    for f in &files {
        let text = std::fs::read_to_string(f).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        for (i, l) in lines.iter().enumerate() {
            if !(l.contains("derive(") && l.contains("ToSchema")) {
                continue;
            }
            let mut alias = None;
            for l in &lines[i + 1..] {
                let t = l.trim();
                if let Some(a) = t.strip_prefix("#[schema(as = ") {
                    alias = Some(a.trim_end_matches(")]").to_owned());
                }
                if let Some(rest) = t
                    .strip_prefix("pub struct ")
                    .or(t.strip_prefix("pub enum "))
                {
                    let name: String = rest
                        .chars()
                        .take_while(|c| c.is_alphanumeric() || *c == '_')
                        .collect();
                    seen.entry(alias.take().unwrap_or(name))
                        .or_default()
                        .push(f.display().to_string());
                    break;
                }
            }
        }
    }
    let twice: Vec<_> = seen.iter().filter(|(_, v)| v.len() > 1).collect();
    assert!(seen.len() > 200, "{} schemas found", seen.len());
    assert!(twice.is_empty(), "schema names used twice: {twice:?}");
}

/// 等保: every audited change records the client address, under the hash (a changed address
/// breaks the chain); records without one (the system) still verify.
#[tokio::test]
async fn every_change_records_the_client_address() {
    for db in all().await {
        let s = &db.store;
        user(s, "city", "region", "419001", None, "officer").await;
        user(s, "aud", "all", "419001", None, "auditor").await;
        let app = app(s.clone(), Config::default());
        let c = login(&app, "city").await;
        let mut r = req(
            "POST",
            "/api/v1/organizations",
            &c,
            Some(
                json!({"credit_code": fixtures::credit_code("419001", 77).as_str(), "name": "地址测试公司", "kind": "enterprise", "region": "419001"}),
            ),
        );
        r.extensions_mut()
            .insert(axum::extract::ConnectInfo(std::net::SocketAddr::from((
                [10, 1, 2, 3],
                40_000,
            ))));
        let (st, o) = send(&app, r).await;
        assert_eq!(st, StatusCode::CREATED, "{o}");
        let a = login(&app, "aud").await;
        let (_, log) = send(
            &app,
            req(
                "GET",
                "/api/v1/audit?entity=organization&action=create",
                &a,
                None,
            ),
        )
        .await;
        let e = &log["items"][0];
        assert_eq!(e["client_addr"], "10.1.2.3", "{log}");
        let seq = e["seq"].as_i64().unwrap();
        // The user records written without an address (the test's system caller) verify too.
        assert!(s.verify_audit().await.unwrap().ok);
        s.execute_unchecked(&format!(
            "UPDATE audit_log SET client_addr = '10.9.9.9' WHERE seq = {seq}"
        ))
        .await
        .unwrap();
        let v = s.verify_audit().await.unwrap();
        assert_eq!((v.ok, v.first_bad_seq), (false, Some(seq)), "{v:?}");
        db.drop_db().await;
    }
}

/// A scope refusal names the caller's own region, not the target's.
#[tokio::test]
async fn a_scope_refusal_names_the_callers_region() {
    for db in all().await {
        let s = &db.store;
        user(s, "county", "region", "410883", None, "officer").await;
        let app = app(s.clone(), Config::default());
        let c = login(&app, "county").await;
        let (st, r) = send(
            &app,
            req(
                "POST",
                "/api/v1/organizations",
                &c,
                Some(json!({"credit_code": fixtures::credit_code("419001", 78).as_str(), "name": "越界公司", "kind": "enterprise", "region": "419001"})),
            ),
        )
        .await;
        assert_eq!(st, StatusCode::FORBIDDEN, "{r}");
        let m = r["message"].as_str().unwrap();
        assert!(m.starts_with("您的管辖范围是") && m.contains("孟州"), "{m}");
        db.drop_db().await;
    }
}
