//! Helpers shared by the black-box API tests: send a request through the router, log in,
//! build JSON and multipart requests with the session cookie and CSRF token.

#![allow(clippy::unwrap_used, clippy::expect_used, dead_code)]

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use serde_json::{Value, json};
use tower::ServiceExt;

pub async fn send(app: &axum::Router, req: Request<Body>) -> (StatusCode, Value) {
    let res = app.clone().oneshot(req).await.unwrap();
    let st = res.status();
    let b = res.into_body().collect().await.unwrap().to_bytes();
    (st, serde_json::from_slice(&b).unwrap_or(Value::Null))
}

/// Log in with the test password; returns (cookie, csrf token).
pub async fn login(app: &axum::Router, u: &str) -> (String, String) {
    login_with(app, u, "Passw0rd2026").await
}

/// Log in with a password; returns (cookie, csrf token).
pub async fn login_with(app: &axum::Router, u: &str, password: &str) -> (String, String) {
    let req = Request::post("/api/v1/auth/login")
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(
            json!({"username": u, "password": password}).to_string(),
        ))
        .unwrap();
    let res = app.clone().oneshot(req).await.unwrap();
    assert_eq!(res.status(), StatusCode::OK, "login {u}");
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

pub fn req(m: &str, path: &str, s: &(String, String), body: Option<Value>) -> Request<Body> {
    let b = Request::builder()
        .method(m)
        .uri(path)
        .header(header::COOKIE, &s.0)
        .header("x-csrf-token", &s.1);
    match body {
        Some(v) => b
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(v.to_string()))
            .unwrap(),
        None => b.body(Body::empty()).unwrap(),
    }
}

/// GET an xlsx download: asserts 200 and the spreadsheet type; returns the file's bytes.
pub async fn get_xlsx(app: &axum::Router, path: &str, s: &(String, String)) -> Vec<u8> {
    let res = app
        .clone()
        .oneshot(req("GET", path, s, None))
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK, "{path}");
    let kind = res.headers()[header::CONTENT_TYPE]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(kind.contains("spreadsheetml"), "{path}: {kind}");
    res.into_body().collect().await.unwrap().to_bytes().to_vec()
}

/// A multipart upload with one `file` field.
pub fn upload(path: &str, s: &(String, String), name: &str, bytes: &[u8]) -> Request<Body> {
    let boundary = "XkcBOUNDARY";
    let mut body = Vec::new();
    body.extend_from_slice(
        format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
        )
        .as_bytes(),
    );
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    Request::post(path)
        .header(header::COOKIE, &s.0)
        .header("x-csrf-token", &s.1)
        .header(
            header::CONTENT_TYPE,
            format!("multipart/form-data; boundary={boundary}"),
        )
        .body(Body::from(body))
        .unwrap()
}

/// A user with the test password: `kind` is the scope (`region`, `organization`, `self`),
/// `org` the organization of an organization scope; returns the user's id.
pub async fn user(
    s: &kechuang_store::Store,
    name: &str,
    kind: &str,
    region: &str,
    org: Option<i64>,
    role: &str,
) -> i64 {
    s.create_user(
        &kechuang_store::Caller::system("t"),
        &kechuang_store::accounts::NewUser {
            username: name.into(),
            display_name: name.into(),
            password_hash: kechuang_server::auth::hash_password("Passw0rd2026").unwrap(),
            scope_kind: kind.into(),
            region: kechuang_domain::RegionCode::parse(region).unwrap(),
            org_id: org,
            roles: vec![role.into()],
            must_change_password: false,
        },
    )
    .await
    .unwrap()
    .id
}

/// 运行评价 through the API as the job the UI follows: POST answers 202 with the run at once;
/// poll it until it is no longer running. Returns the final run.
pub async fn run_rules(app: &axum::Router, s: &(String, String), body: Value) -> Value {
    let (st, run) = send(app, req("POST", "/api/v1/rules/runs", s, Some(body))).await;
    assert_eq!(st, StatusCode::ACCEPTED, "{run}");
    let id = run["id"].as_i64().unwrap();
    for _ in 0..3000 {
        let (st, now) = send(
            app,
            req("GET", &format!("/api/v1/rules/runs/{id}"), s, None),
        )
        .await;
        assert_eq!(st, StatusCode::OK, "{now}");
        if now["status"] != "running" {
            return now;
        }
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    panic!("run {id} did not finish");
}
