//! Black-box tests of the HTTP API on both backends: login, lockout, CSRF, validation messages,
//! scope on every endpoint, import reports, export, OpenAPI.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use axum::Router;
use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use http_body_util::BodyExt;
use kechuang_domain::RegionCode;
use kechuang_server::{Config, app, auth, tabular};
use kechuang_store::accounts::NewUser;
use kechuang_store::{Caller, Store};
use kechuang_testkit::{TestDb, all};
use serde_json::{Value, json};
use tower::ServiceExt;

const PASSWORD: &str = "Passw0rd2026";

struct Session {
    cookie: String,
    csrf: String,
}

struct Resp {
    status: StatusCode,
    json: Value,
    bytes: Vec<u8>,
}

async fn call(
    app: &Router,
    method: Method,
    path: &str,
    s: Option<&Session>,
    body: Option<Value>,
) -> Resp {
    let mut b = Request::builder().method(method).uri(path);
    if let Some(s) = s {
        b = b
            .header(header::COOKIE, &s.cookie)
            .header("x-csrf-token", &s.csrf);
    }
    let req = match body {
        Some(v) => b
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(v.to_string()))
            .unwrap(),
        None => b.body(Body::empty()).unwrap(),
    };
    send(app, req).await
}

async fn send(app: &Router, req: Request<Body>) -> Resp {
    let res = app.clone().oneshot(req).await.unwrap();
    let status = res.status();
    let bytes = res.into_body().collect().await.unwrap().to_bytes().to_vec();
    let json = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
    Resp {
        status,
        json,
        bytes,
    }
}

/// The id of the first account whose name contains `name`, as `s` lists them.
async fn user_id(app: &Router, s: &Session, name: &str) -> i64 {
    call(
        app,
        Method::GET,
        &format!("/api/v1/users?q={name}"),
        Some(s),
        None,
    )
    .await
    .json["items"][0]["id"]
        .as_i64()
        .unwrap()
}

async fn login(app: &Router, user: &str, password: &str) -> Result<Session, Resp> {
    let req = Request::post("/api/v1/auth/login")
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(
            json!({"username": user, "password": password}).to_string(),
        ))
        .unwrap();
    let res = app.clone().oneshot(req).await.unwrap();
    let cookie = res
        .headers()
        .get(header::SET_COOKIE)
        .map(|v| v.to_str().unwrap().split(';').next().unwrap().to_owned());
    let status = res.status();
    let bytes = res.into_body().collect().await.unwrap().to_bytes().to_vec();
    let json: Value = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
    match (status, cookie) {
        (StatusCode::OK, Some(cookie)) => Ok(Session {
            cookie,
            csrf: json["csrf_token"].as_str().unwrap().to_owned(),
        }),
        _ => Err(Resp {
            status,
            json,
            bytes,
        }),
    }
}

async fn user(
    store: &Store,
    name: &str,
    kind: &str,
    region: &str,
    org: Option<i64>,
    roles: &[&str],
) {
    store
        .create_user(
            &Caller::system("test"),
            &NewUser {
                username: name.into(),
                display_name: name.into(),
                password_hash: auth::hash_password(PASSWORD).unwrap(),
                scope_kind: kind.into(),
                region: RegionCode::parse(region).unwrap(),
                org_id: org,
                roles: roles.iter().map(|r| (*r).to_owned()).collect(),
                must_change_password: false,
            },
        )
        .await
        .unwrap();
}

fn code(region: &str, serial: u32) -> String {
    kechuang_domain::CreditCode::complete(&format!("91{region}{serial:09}"))
        .unwrap()
        .as_str()
        .to_owned()
}

fn org_body(region: &str, serial: u32, name: &str) -> Value {
    json!({"credit_code": code(region, serial), "name": name, "kind": "企业", "region": region, "industry": "C3985", "founded_on": "2015-06-01", "size_class": "小型"})
}

fn multipart(file_name: &str, bytes: &[u8]) -> (String, Vec<u8>) {
    let boundary = "kcBoundary7MA4YWxkTrZu0gW";
    let mut body = Vec::new();
    body.extend_from_slice(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{file_name}\"\r\nContent-Type: application/octet-stream\r\n\r\n").as_bytes());
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

async fn upload(app: &Router, path: &str, s: &Session, name: &str, bytes: &[u8]) -> Resp {
    let (ct, body) = multipart(name, bytes);
    let req = Request::post(path)
        .header(header::COOKIE, &s.cookie)
        .header("x-csrf-token", &s.csrf)
        .header(header::CONTENT_TYPE, ct)
        .body(Body::from(body))
        .unwrap();
    send(app, req).await
}

async fn setup(db: &TestDb) -> Router {
    user(&db.store, "city", "region", "419001", None, &["officer"]).await;
    user(&db.store, "county", "region", "410883", None, &["officer"]).await;
    user(&db.store, "leader", "region", "410000", None, &["leader"]).await;
    user(&db.store, "root", "all", "419001", None, &["admin"]).await;
    app(db.store.clone(), Config::default())
}

#[tokio::test]
async fn login_lockout_csrf_and_password_change() {
    for db in all().await {
        let app = setup(&db).await;
        // Unauthenticated access is refused with the uniform body.
        let r = call(&app, Method::GET, "/api/v1/organizations", None, None).await;
        assert_eq!(
            (r.status, r.json["code"].as_str()),
            (StatusCode::UNAUTHORIZED, Some("auth.required"))
        );
        // Five wrong passwords lock the account; while locked every attempt gets the same
        // answer without the password being checked, so the lock is no password oracle.
        for _ in 0..5 {
            let e = login(&app, "city", "wrong-password1").await.err().unwrap();
            assert_eq!(
                (e.status, e.json["code"].as_str()),
                (StatusCode::UNAUTHORIZED, Some("auth.bad_credentials"))
            );
        }
        let e = login(&app, "city", "wrong-password1").await.err().unwrap();
        assert_eq!(e.status, StatusCode::LOCKED);
        // The right password meets the same lock.
        let e = login(&app, "city", PASSWORD).await.err().unwrap();
        assert_eq!(
            (e.status, e.json["code"].as_str()),
            (StatusCode::LOCKED, Some("auth.locked")),
            "{}",
            db.name
        );
        assert!(e.json["message"].as_str().unwrap().contains("分钟后再试"));
        // Unknown users get the same answer as wrong passwords.
        let e = login(&app, "nobody", PASSWORD).await.err().unwrap();
        assert_eq!(e.json["code"].as_str(), Some("auth.bad_credentials"));
        // CSRF: a state-changing request without the token is refused.
        let s = login(&app, "county", PASSWORD).await.ok().unwrap();
        let no_csrf = Session {
            cookie: s.cookie.clone(),
            csrf: String::new(),
        };
        let r = call(
            &app,
            Method::POST,
            "/api/v1/organizations",
            Some(&no_csrf),
            Some(org_body("410883", 1, "甲")),
        )
        .await;
        assert_eq!(
            (r.status, r.json["code"].as_str()),
            (StatusCode::FORBIDDEN, Some("auth.csrf"))
        );
        // Me shows the scope.
        let r = call(&app, Method::GET, "/api/v1/auth/me", Some(&s), None).await;
        assert_eq!(r.json["user"]["region_code"], "410883");
        // The scope in words: the region's name, not its code.
        assert_eq!(r.json["scope"], "孟州市及下级");
        // Weak new password is refused; a good one works and ends the session.
        let r = call(
            &app,
            Method::POST,
            "/api/v1/auth/password",
            Some(&s),
            Some(json!({"old_password": PASSWORD, "new_password": "short"})),
        )
        .await;
        assert_eq!(r.json["fields"][0]["code"], "password.weak");
        let r = call(
            &app,
            Method::POST,
            "/api/v1/auth/password",
            Some(&s),
            Some(json!({"old_password": PASSWORD, "new_password": "NewPassw0rd9"})),
        )
        .await;
        assert_eq!(r.status, StatusCode::OK);
        let r = call(&app, Method::GET, "/api/v1/auth/me", Some(&s), None).await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
        assert!(login(&app, "county", "NewPassw0rd9").await.is_ok());
        // Logout ends the session.
        let s = login(&app, "leader", PASSWORD).await.ok().unwrap();
        assert_eq!(
            call(&app, Method::POST, "/api/v1/auth/logout", Some(&s), None)
                .await
                .status,
            StatusCode::OK
        );
        assert_eq!(
            call(&app, Method::GET, "/api/v1/auth/me", Some(&s), None)
                .await
                .status,
            StatusCode::UNAUTHORIZED
        );
        // Every scoped row written by this test has its audit entry.
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
async fn registry_endpoints_validate_and_scope() {
    for db in all().await {
        let app = setup(&db).await;
        let city = login(&app, "city", PASSWORD).await.ok().unwrap();
        let county = login(&app, "county", PASSWORD).await.ok().unwrap();
        let leader = login(&app, "leader", PASSWORD).await.ok().unwrap();
        // A wrong check character: 422 with a Chinese message and a stable code; nothing stored.
        let mut bad = org_body("419001", 1, "济源甲科技有限公司");
        let good_code = bad["credit_code"].as_str().unwrap().to_owned();
        let mut chars: Vec<char> = good_code.chars().collect();
        chars[17] = if chars[17] == '0' { '1' } else { '0' };
        bad["credit_code"] = json!(chars.iter().collect::<String>());
        let r = call(
            &app,
            Method::POST,
            "/api/v1/organizations",
            Some(&city),
            Some(bad),
        )
        .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.json);
        assert_eq!(r.json["code"], "validation");
        assert_eq!(r.json["fields"][0]["code"], "credit_code.check_char");
        assert!(r.json["message"].as_str().unwrap().contains("校验位错误"));
        let r = call(
            &app,
            Method::GET,
            "/api/v1/organizations",
            Some(&city),
            None,
        )
        .await;
        assert_eq!(r.json["total"], 0);
        // Several bad fields at once are all reported.
        let r = call(&app, Method::POST, "/api/v1/organizations", Some(&city),
            Some(json!({"credit_code": "123", "name": "", "kind": "公司", "region": "999999", "founded_on": "2999-01-01"}))).await;
        let codes: Vec<&str> = r.json["fields"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["code"].as_str().unwrap())
            .collect();
        assert_eq!(
            codes,
            [
                "credit_code.length",
                "name.required",
                "kind.unknown",
                "region.unknown",
                "date.future"
            ]
        );
        // Malformed JSON gets the uniform body too.
        let req = Request::post("/api/v1/organizations")
            .header(header::COOKIE, &city.cookie)
            .header("x-csrf-token", &city.csrf)
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from("{not json"))
            .unwrap();
        let r = send(&app, req).await;
        assert_eq!(
            (r.status, r.json["code"].as_str()),
            (StatusCode::BAD_REQUEST, Some("request.invalid"))
        );
        // Fixed: created.
        let r = call(
            &app,
            Method::POST,
            "/api/v1/organizations",
            Some(&city),
            Some(org_body("419001", 1, "济源甲科技有限公司")),
        )
        .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.json);
        let jy = r.json["id"].as_i64().unwrap();
        let r = call(
            &app,
            Method::POST,
            "/api/v1/organizations",
            Some(&county),
            Some(org_body("410883", 2, "孟州乙科技有限公司")),
        )
        .await;
        let mz = r.json["id"].as_i64().unwrap();
        // A duplicate is a 409 with its own code.
        let r = call(
            &app,
            Method::POST,
            "/api/v1/organizations",
            Some(&county),
            Some(org_body("410883", 2, "重复")),
        )
        .await;
        assert_eq!(
            (r.status, r.json["code"].as_str()),
            (StatusCode::CONFLICT, Some("credit_code.duplicate"))
        );
        // The county sees only its own; the other county's record is unreachable by URL.
        let r = call(
            &app,
            Method::GET,
            "/api/v1/organizations",
            Some(&county),
            None,
        )
        .await;
        assert_eq!(r.json["total"], 1);
        assert_eq!(r.json["items"][0]["id"], mz);
        for (m, body) in [
            (Method::GET, None),
            (Method::PUT, Some(org_body("419001", 1, "越权"))),
            (Method::DELETE, None),
        ] {
            let r = call(
                &app,
                m.clone(),
                &format!("/api/v1/organizations/{jy}"),
                Some(&county),
                body,
            )
            .await;
            assert_eq!(r.status, StatusCode::NOT_FOUND, "{m} {}", r.json);
        }
        // The province leader sees both, but may not write.
        let r = call(
            &app,
            Method::GET,
            "/api/v1/organizations?sort=name&order=asc",
            Some(&leader),
            None,
        )
        .await;
        assert_eq!(r.json["total"], 2);
        let r = call(
            &app,
            Method::POST,
            "/api/v1/organizations",
            Some(&leader),
            Some(org_body("419001", 3, "丙")),
        )
        .await;
        assert_eq!(
            (r.status, r.json["code"].as_str()),
            (StatusCode::FORBIDDEN, Some("auth.forbidden"))
        );
        // Filters, search and paging.
        let r = call(
            &app,
            Method::GET,
            "/api/v1/organizations?q=%E6%B5%8E%E6%BA%90&page=1&size=1",
            Some(&leader),
            None,
        )
        .await;
        assert_eq!(
            (
                r.json["total"].as_u64(),
                r.json["items"].as_array().unwrap().len()
            ),
            (Some(1), 1)
        );
        let r = call(
            &app,
            Method::GET,
            "/api/v1/organizations?region=410800",
            Some(&leader),
            None,
        )
        .await;
        assert_eq!(r.json["total"], 1);
        let r = call(
            &app,
            Method::GET,
            "/api/v1/organizations?sort=password",
            Some(&leader),
            None,
        )
        .await;
        assert_eq!(r.json["fields"][0]["code"], "sort.unknown");
        // Enterprise figures: tech staff above employees is refused with its code.
        let r = call(&app, Method::POST, "/api/v1/enterprise-years", Some(&city),
            Some(json!({"org_id": jy, "year": 2024, "figures": {"employees": 10, "tech_staff": 12, "revenue": "1000000.50"}}))).await;
        assert_eq!(
            r.json["fields"][0]["code"], "tech_staff.exceeds_employees",
            "{}",
            r.json
        );
        let r = call(&app, Method::POST, "/api/v1/enterprise-years", Some(&city),
            Some(json!({"org_id": jy, "year": 2024, "figures": {"employees": 10, "tech_staff": 3, "revenue": "1000000.50"}}))).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.json);
        assert_eq!(r.json["figures"]["revenue"], "1000000.5");
        let r = call(
            &app,
            Method::POST,
            "/api/v1/enterprise-years",
            Some(&county),
            Some(json!({"org_id": jy, "year": 2023, "figures": {"employees": 10}})),
        )
        .await;
        assert_eq!(
            r.status,
            StatusCode::NOT_FOUND,
            "another county's enterprise"
        );
        // An enterprise account sees only its own organization and figures.
        user(
            &db.store,
            "ent",
            "organization",
            "419001",
            Some(jy),
            &["enterprise"],
        )
        .await;
        let ent = login(&app, "ent", PASSWORD).await.ok().unwrap();
        let r = call(&app, Method::GET, "/api/v1/organizations", Some(&ent), None).await;
        assert_eq!(
            (r.json["total"].as_u64(), r.json["items"][0]["id"].as_i64()),
            (Some(1), Some(jy))
        );
        let r = call(
            &app,
            Method::GET,
            "/api/v1/enterprise-years",
            Some(&ent),
            None,
        )
        .await;
        assert_eq!(r.json["total"], 1);
        assert_eq!(
            call(
                &app,
                Method::GET,
                &format!("/api/v1/organizations/{mz}"),
                Some(&ent),
                None
            )
            .await
            .status,
            StatusCode::NOT_FOUND
        );
        let r = call(
            &app,
            Method::POST,
            "/api/v1/organizations",
            Some(&ent),
            Some(org_body("419001", 9, "企业自建")),
        )
        .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        // Platforms inherit the host's region; a county cannot host on another county's org.
        let p = json!({"name": "济源市材料重点实验室", "platform_type": "重点实验室", "level": "市级", "host_org_id": jy, "recognized_on": "2020-05-01"});
        let r = call(
            &app,
            Method::POST,
            "/api/v1/platforms",
            Some(&county),
            Some(p.clone()),
        )
        .await;
        assert_eq!(r.json["fields"][0]["code"], "host_org_id.unknown");
        let r = call(
            &app,
            Method::POST,
            "/api/v1/platforms",
            Some(&city),
            Some(p),
        )
        .await;
        assert_eq!(
            (
                r.status,
                r.json["region_code"].as_str(),
                r.json["level_label"].as_str()
            ),
            (StatusCode::CREATED, Some("419001"), Some("市级"))
        );
        // Persons: identity numbers are checked and never returned.
        let r = call(&app, Method::POST, "/api/v1/persons", Some(&city),
            Some(json!({"name": "李研究员", "org_id": jy, "is_expert": true, "id_number": "11010519491231002X", "disciplines": ["冶金工程"]}))).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.json);
        assert!(!String::from_utf8_lossy(&r.bytes).contains("11010519491231002X"));
        assert_eq!(r.json["has_id_number"], true);
        let r = call(
            &app,
            Method::POST,
            "/api/v1/persons",
            Some(&city),
            Some(json!({"name": "王", "org_id": jy, "id_number": "110105194912310021"})),
        )
        .await;
        assert_eq!(r.json["fields"][0]["code"], "id_number.check_char");
        // Regions.
        let r = call(
            &app,
            Method::GET,
            "/api/v1/regions?parent=410800",
            Some(&county),
            None,
        )
        .await;
        assert!(
            r.json
                .as_array()
                .unwrap()
                .iter()
                .any(|x| x["name"] == "孟州市")
        );
        let r = call(
            &app,
            Method::GET,
            "/api/v1/regions/419001",
            Some(&county),
            None,
        )
        .await;
        assert_eq!(r.json["full_name"], "河南省/省直辖县级行政区划/济源市");
        assert_eq!(
            call(
                &app,
                Method::GET,
                "/api/v1/regions/419999",
                Some(&county),
                None
            )
            .await
            .status,
            StatusCode::NOT_FOUND
        );
        // Every scoped row written by this test has its audit entry.
        assert_eq!(
            db.store.audit_coverage().await.unwrap(),
            vec![],
            "{}",
            db.name
        );
        db.drop_db().await;
    }
}

fn xlsx_of(rows: &[Vec<&str>]) -> Vec<u8> {
    let headers: Vec<&str> = rows[0].clone();
    tabular::write_xlsx(
        "导入",
        &headers,
        rows[1..].iter().map(|r| {
            r.iter()
                .map(|c| tabular::Cell::Text((*c).to_owned()))
                .collect()
        }),
    )
    .unwrap()
}

#[tokio::test]
async fn import_reports_every_bad_row_and_writes_nothing_then_exports() {
    for db in all().await {
        let app = setup(&db).await;
        let city = login(&app, "city", PASSWORD).await.ok().unwrap();
        let c1 = code("419001", 11);
        let c2 = code("419001", 12);
        let c3 = code("419001", 13);
        let mut broken = c3.clone();
        broken.replace_range(17..18, if c3.ends_with('0') { "1" } else { "0" });
        let header = vec![
            "统一社会信用代码",
            "单位名称",
            "单位类型",
            "行政区划代码",
            "行业代码",
            "成立日期",
            "序号",
        ];
        let bad = xlsx_of(&[
            header.clone(),
            vec![
                &c1,
                "济源一号科技有限公司",
                "企业",
                "419001",
                "C3985",
                "2010-01-01",
                "1",
            ],
            vec![
                &broken,
                "济源二号科技有限公司",
                "企业",
                "419001",
                "C3985",
                "2010-01-01",
                "2",
            ],
            vec![
                &c2,
                "济源三号科技有限公司",
                "企业",
                "410883",
                "C3985",
                "2010-01-01",
                "3",
            ],
        ]);
        let r = upload(
            &app,
            "/api/v1/organizations/import",
            &city,
            "orgs.xlsx",
            &bad,
        )
        .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.json);
        let problems = r.json["problems"].as_array().unwrap();
        assert_eq!(problems.len(), 1, "{}", r.json);
        assert_eq!(
            (
                problems[0]["row"].as_u64(),
                problems[0]["column"].as_str(),
                problems[0]["code"].as_str()
            ),
            (
                Some(3),
                Some("统一社会信用代码"),
                Some("credit_code.check_char")
            )
        );
        assert_eq!(
            call(
                &app,
                Method::GET,
                "/api/v1/organizations",
                Some(&city),
                None
            )
            .await
            .json["total"],
            0
        );
        // Fix the code: now the out-of-scope row (孟州 for a 济源 officer) is the problem.
        let bad2 = xlsx_of(&[
            header.clone(),
            vec![
                &c1,
                "济源一号科技有限公司",
                "企业",
                "419001",
                "C3985",
                "2010-01-01",
                "1",
            ],
            vec![
                &c3,
                "济源二号科技有限公司",
                "企业",
                "419001",
                "C3985",
                "2010-01-01",
                "2",
            ],
            vec![
                &c2,
                "济源三号科技有限公司",
                "企业",
                "410883",
                "C3985",
                "2010-01-01",
                "3",
            ],
        ]);
        let r = upload(
            &app,
            "/api/v1/organizations/import",
            &city,
            "orgs.xlsx",
            &bad2,
        )
        .await;
        assert_eq!(r.json["problems"][0]["row"], 4, "{}", r.json);
        assert_eq!(r.json["problems"][0]["code"], "scope.forbidden");
        assert_eq!(
            call(
                &app,
                Method::GET,
                "/api/v1/organizations",
                Some(&city),
                None
            )
            .await
            .json["total"],
            0
        );
        // Dry run, then real.
        let good = xlsx_of(&[
            header.clone(),
            vec![
                &c1,
                "济源一号科技有限公司",
                "企业",
                "419001",
                "C3985",
                "2010-01-01",
                "1",
            ],
            vec![
                &c3,
                "济源二号科技有限公司",
                "企业",
                "419001",
                "C3985",
                "2010-01-01",
                "2",
            ],
        ]);
        let r = upload(
            &app,
            "/api/v1/organizations/import?dry_run=true",
            &city,
            "orgs.xlsx",
            &good,
        )
        .await;
        assert_eq!(
            (r.status, r.json["inserted"].as_u64()),
            (StatusCode::OK, Some(2))
        );
        assert_eq!(
            call(
                &app,
                Method::GET,
                "/api/v1/organizations",
                Some(&city),
                None
            )
            .await
            .json["total"],
            0
        );
        let r = upload(
            &app,
            "/api/v1/organizations/import",
            &city,
            "orgs.xlsx",
            &good,
        )
        .await;
        assert_eq!(
            (r.status, r.json["inserted"].as_u64()),
            (StatusCode::OK, Some(2))
        );
        // Enterprise-year CSV with English headers; one row with tech staff above employees.
        let csv = format!(
            "credit_code,year,employees,tech_staff,revenue,rd_expense,hte_valid\n{c1},2024,100,20,5000000.00,300000,是\n{c3},2024,10,11,100,1,否\n"
        );
        let r = upload(
            &app,
            "/api/v1/enterprise-years/import",
            &city,
            "y.csv",
            csv.as_bytes(),
        )
        .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(
            (
                r.json["problems"][0]["row"].as_u64(),
                r.json["problems"][0]["column"].as_str()
            ),
            (Some(3), Some("tech_staff")),
            "{}",
            r.json
        );
        let csv = format!(
            "统一社会信用代码,年度,职工总数,科技人员数,销售收入,研发费用总额,高企资格有效\n{c1},2024,100,20,5000000.00,300000,是\n{c3},2024,10,2,100,1,否\n"
        );
        let r = upload(
            &app,
            "/api/v1/enterprise-years/import",
            &city,
            "y.csv",
            csv.as_bytes(),
        )
        .await;
        assert_eq!(
            (r.status, r.json["inserted"].as_u64()),
            (StatusCode::OK, Some(2)),
            "{}",
            r.json
        );
        // Export round-trips through the importer's reader.
        let r = call(
            &app,
            Method::GET,
            "/api/v1/organizations/export?sort=credit_code&order=asc",
            Some(&city),
            None,
        )
        .await;
        assert_eq!(r.status, StatusCode::OK);
        let t = tabular::read_table(&r.bytes).unwrap();
        assert_eq!(t.rows.len(), 2);
        assert_eq!(t.headers[0], "统一社会信用代码");
        let codes: Vec<&str> = t.rows.iter().map(|(_, r)| r[0].as_str()).collect();
        assert!(codes.contains(&c1.as_str()) && codes.contains(&c3.as_str()));
        let r = call(
            &app,
            Method::GET,
            "/api/v1/enterprise-years/export",
            Some(&city),
            None,
        )
        .await;
        let t = tabular::read_table(&r.bytes).unwrap();
        let rev = t.headers.iter().position(|h| h == "销售收入").unwrap();
        let row = t.rows.iter().find(|(_, r)| r[0] == c1).unwrap();
        assert_eq!(row.1[rev], "5000000");
        // The exported figures import back unchanged (update path).
        let r = upload(
            &app,
            "/api/v1/enterprise-years/import",
            &city,
            "y.xlsx",
            &r.bytes,
        )
        .await;
        assert_eq!(
            (r.status, r.json["updated"].as_u64()),
            (StatusCode::OK, Some(2)),
            "{}",
            r.json
        );
        // The county sees nothing of it.
        let county = login(&app, "county", PASSWORD).await.ok().unwrap();
        let r = call(
            &app,
            Method::GET,
            "/api/v1/organizations/export",
            Some(&county),
            None,
        )
        .await;
        assert_eq!(tabular::read_table(&r.bytes).unwrap().rows.len(), 0);
        // Every scoped row written by this test has its audit entry.
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
async fn admin_users_audit_and_openapi() {
    for db in all().await {
        let app = setup(&db).await;
        let root = login(&app, "root", PASSWORD).await.ok().unwrap();
        let city = login(&app, "city", PASSWORD).await.ok().unwrap();
        // Officers cannot administer users or read the audit log.
        assert_eq!(
            call(&app, Method::GET, "/api/v1/users", Some(&city), None)
                .await
                .status,
            StatusCode::FORBIDDEN
        );
        assert_eq!(
            call(&app, Method::GET, "/api/v1/audit", Some(&city), None)
                .await
                .status,
            StatusCode::FORBIDDEN
        );
        // A county security administrator sees only the county's accounts and cannot grant admin.
        user(&db.store, "sec", "region", "410883", None, &["security"]).await;
        let sec = login(&app, "sec", PASSWORD).await.ok().unwrap();
        let r = call(
            &app,
            Method::GET,
            "/api/v1/users?size=100",
            Some(&sec),
            None,
        )
        .await;
        let names: Vec<&str> = r.json["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|u| u["username"].as_str().unwrap())
            .collect();
        assert_eq!(names, ["county", "sec"], "{}", db.name);
        // 三员分立: one account never holds two management roles; the system administrator
        // grants business roles only, never a management role, and cannot change its own roles.
        let r = call(&app, Method::POST, "/api/v1/users", Some(&sec),
            Some(json!({"username": "boss", "display_name": "x", "password": "Passw0rd99x", "scope_kind": "region", "region": "410883", "roles": ["admin", "auditor"]}))).await;
        assert_eq!(
            (r.status, r.json["code"].as_str()),
            (StatusCode::UNPROCESSABLE_ENTITY, Some("validation"))
        );
        assert_eq!(r.json["fields"][0]["code"], "role.separation", "{}", r.json);
        let r = call(&app, Method::POST, "/api/v1/users", Some(&root),
            Some(json!({"username": "snoop", "display_name": "x", "password": "Passw0rd99x", "scope_kind": "all", "region": "419001", "roles": ["auditor"]}))).await;
        assert_eq!(
            (r.status, r.json["code"].as_str()),
            (StatusCode::FORBIDDEN, Some("role.escalation")),
            "{}",
            r.json
        );
        let root_id = user_id(&app, &root, "root").await;
        let r = call(
            &app,
            Method::PUT,
            &format!("/api/v1/users/{root_id}"),
            Some(&root),
            Some(
                json!({"display_name": "root", "status": "active", "roles": ["admin", "officer"]}),
            ),
        )
        .await;
        assert_eq!(r.json["code"], "role.self", "{}", r.json);
        // The system administrator reads neither business data nor the audit log.
        for path in [
            "/api/v1/organizations",
            "/api/v1/audit",
            "/api/v1/audit/verify",
            "/api/v1/applications",
        ] {
            let r = call(&app, Method::GET, path, Some(&root), None).await;
            assert_eq!(r.status, StatusCode::FORBIDDEN, "{path}: {}", r.json);
        }
        let r = call(&app, Method::POST, "/api/v1/users", Some(&sec),
            Some(json!({"username": "wide", "display_name": "x", "password": "Passw0rd99x", "scope_kind": "region", "region": "410000", "roles": ["security"]}))).await;
        assert_eq!(
            r.status,
            StatusCode::FORBIDDEN,
            "a county admin cannot create a province account"
        );
        let r = call(&app, Method::POST, "/api/v1/users", Some(&sec),
            Some(json!({"username": "clerk", "display_name": "办事员", "password": "Passw0rd99x", "scope_kind": "region", "region": "410883", "roles": ["security"]}))).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.json);
        assert_eq!(r.json["must_change_password"], true);
        // Root disables the city officer: the session dies at once.
        let city_id = user_id(&app, &root, "city").await;
        let r = call(
            &app,
            Method::PUT,
            &format!("/api/v1/users/{city_id}"),
            Some(&root),
            Some(json!({"display_name": "city", "status": "disabled", "roles": ["officer"]})),
        )
        .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.json);
        assert_eq!(
            call(
                &app,
                Method::GET,
                "/api/v1/organizations",
                Some(&city),
                None
            )
            .await
            .status,
            StatusCode::UNAUTHORIZED
        );
        assert_eq!(
            login(&app, "city", PASSWORD).await.err().unwrap().json["code"],
            "auth.disabled"
        );
        // The audit administrator sees the change with before/after, and the chain verifies.
        user(&db.store, "aud", "all", "419001", None, &["auditor"]).await;
        let aud = login(&app, "aud", PASSWORD).await.ok().unwrap();
        let r = call(
            &app,
            Method::GET,
            "/api/v1/audit?entity=user&action=update",
            Some(&aud),
            None,
        )
        .await;
        let e = &r.json["items"][0];
        assert!(e["before_json"].as_str().unwrap().contains("\"active\""));
        assert!(e["after_json"].as_str().unwrap().contains("\"disabled\""));
        assert_eq!(e["actor"], "root");
        let r = call(&app, Method::GET, "/api/v1/audit/verify", Some(&aud), None).await;
        assert_eq!(r.json["ok"], true, "{}", r.json);
        // A new account must change its password before anything else answers.
        let clerk = login(&app, "clerk", "Passw0rd99x").await.ok().unwrap();
        let r = call(&app, Method::GET, "/api/v1/users", Some(&clerk), None).await;
        assert_eq!(r.json["code"], "auth.must_change_password");
        let r = call(
            &app,
            Method::POST,
            "/api/v1/auth/password",
            Some(&clerk),
            Some(json!({"old_password": "Passw0rd99x", "new_password": "Kc2026Secure"})),
        )
        .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.json);
        let clerk = login(&app, "clerk", "Kc2026Secure").await.ok().unwrap();
        assert_eq!(
            call(&app, Method::GET, "/api/v1/users", Some(&clerk), None)
                .await
                .status,
            StatusCode::OK
        );
        // A county security administrator cannot take over or disable a global administrator,
        // even one whose home region lies in the county.
        user(&db.store, "root2", "all", "410883", None, &["admin"]).await;
        let root2_id = user_id(&app, &root, "root2").await;
        let r = call(
            &app,
            Method::POST,
            &format!("/api/v1/users/{root2_id}/password"),
            Some(&sec),
            Some(json!({"password": "Takeover123x"})),
        )
        .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.json);
        let r = call(
            &app,
            Method::PUT,
            &format!("/api/v1/users/{root2_id}"),
            Some(&sec),
            Some(json!({"display_name": "x", "status": "disabled", "roles": []})),
        )
        .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.json);
        assert!(login(&app, "root2", PASSWORD).await.is_ok());
        // The security role sees no business data.
        assert_eq!(
            call(
                &app,
                Method::GET,
                "/api/v1/stats/overview",
                Some(&sec),
                None
            )
            .await
            .status,
            StatusCode::FORBIDDEN
        );
        // OpenAPI lists the endpoints; unknown API paths answer in JSON.
        let r = call(&app, Method::GET, "/api/openapi.json", None, None).await;
        let paths = r.json["paths"].as_object().unwrap();
        for p in [
            "/api/v1/organizations",
            "/api/v1/organizations/import",
            "/api/v1/enterprise-years",
            "/api/v1/audit/verify",
            "/api/v1/auth/login",
        ] {
            assert!(paths.contains_key(p), "{p}");
        }
        let r = call(&app, Method::GET, "/api/v1/nope", Some(&root), None).await;
        assert_eq!(
            (r.status, r.json["code"].as_str()),
            (StatusCode::NOT_FOUND, Some("not_found"))
        );
        let r = call(&app, Method::GET, "/", None, None).await;
        assert!(String::from_utf8_lossy(&r.bytes).contains("科创"));
        // Every scoped row written by this test has its audit entry.
        assert_eq!(
            db.store.audit_coverage().await.unwrap(),
            vec![],
            "{}",
            db.name
        );
        db.drop_db().await;
    }
}
