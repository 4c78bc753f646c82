//! The rules endpoints on both backends: ad-hoc evaluation, a stored run over the caller's
//! registry with cultivation pools, and scoped results.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use kechuang_domain::RegionCode;
use kechuang_domain::enterprise_year::Figures;
use kechuang_server::{Config, app, auth};
use kechuang_store::accounts::NewUser;
use kechuang_store::{Caller, DataScope};
use kechuang_testkit::{all, fixtures};
use rust_decimal::Decimal;
use serde_json::{Value, json};
use tower::ServiceExt;

async fn send(app: &axum::Router, req: Request<Body>) -> (StatusCode, Value) {
    let res = app.clone().oneshot(req).await.unwrap();
    let st = res.status();
    let b = res.into_body().collect().await.unwrap().to_bytes();
    (st, serde_json::from_slice(&b).unwrap_or(Value::Null))
}

async fn login(app: &axum::Router, u: &str) -> (String, String) {
    let req = Request::post("/api/v1/auth/login")
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(
            json!({"username": u, "password": "Passw0rd2026"}).to_string(),
        ))
        .unwrap();
    let res = app.clone().oneshot(req).await.unwrap();
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

fn req(m: &str, path: &str, s: &(String, String), body: Option<Value>) -> Request<Body> {
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

#[tokio::test]
async fn evaluate_run_and_read_results_within_scope() {
    for db in all().await {
        let s = &db.store;
        let sys = Caller::system("t");
        // Three 济源 enterprises (qualifying, near miss at 58, failing) and one 孟州 enterprise.
        let mut ids = Vec::new();
        for (i, (region, tech, rd, ip2)) in [
            ("419001", 24, 300, 3),
            ("419001", 10, 40, 4),
            ("419001", 1, 0, 0),
            ("410883", 30, 100, 4),
        ]
        .iter()
        .enumerate()
        {
            let o = s
                .create_organization(
                    &sys,
                    &fixtures::org(region, 700 + i as u32, &format!("企业{i}")),
                )
                .await
                .unwrap();
            let f = Figures {
                employees: Some(100),
                tech_staff: Some(*tech),
                revenue: Some(Decimal::from(10_000_000)),
                total_assets: Some(Decimal::from(8_000_000)),
                rd_expense: Some(Decimal::from(rd * 10_000)),
                ip_class1: Some(0),
                ip_class2: Some(*ip2),
                serious_violation: Some(false),
                ..Default::default()
            };
            s.put_enterprise_year(&sys, o.id, 2024, &f).await.unwrap();
            ids.push(o.id);
        }
        for (name, region) in [("city", "419001"), ("county", "410883")] {
            s.create_user(
                &sys,
                &NewUser {
                    username: name.into(),
                    display_name: name.into(),
                    password_hash: auth::hash_password("Passw0rd2026").unwrap(),
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
        let app = app(s.clone(), Config::default());
        let city = login(&app, "city").await;
        // Packs are listed with their version.
        let (_, packs) = send(&app, req("GET", "/api/v1/rules/packs", &city, None)).await;
        assert!(
            packs
                .as_array()
                .unwrap()
                .iter()
                .any(|p| p["id"] == "tech-sme" && p["version"].as_str().unwrap().len() == 12)
        );
        // Ad hoc: rules.md C10.
        let body = json!({"pack": "tech-sme", "year": 2024, "figures": {"employees": "50", "tech_staff": "12", "revenue": "4000万", "total_assets": "3000万", "total_cost": "3500万", "rd_expense": "300万", "ip_class1": "0", "ip_class2": "3", "serious_violation": "否"}});
        let (st, r) = send(
            &app,
            req("POST", "/api/v1/rules/evaluate", &city, Some(body)),
        )
        .await;
        assert_eq!(st, StatusCode::OK, "{r}");
        assert_eq!(
            (
                r["outputs"]["score"].as_i64(),
                r["outputs"]["qualified"].as_bool()
            ),
            (Some(80), Some(true))
        );
        assert!(r["explanation_text"].as_str().unwrap().contains("落在"));
        let (st, r) = send(&app, req("POST", "/api/v1/rules/evaluate", &city, Some(json!({"pack": "tech-sme", "year": 2024, "figures": {"employes": "5", "revenue": "abc"}})))).await;
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
        let codes: Vec<&str> = r["fields"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["code"].as_str().unwrap())
            .collect();
        assert!(
            codes.contains(&"rules.input_unknown") && codes.contains(&"number.format"),
            "{r}"
        );
        let (st, r) = send(
            &app,
            req(
                "POST",
                "/api/v1/rules/evaluate",
                &city,
                Some(json!({"pack": "tech-sme", "year": 2010})),
            ),
        )
        .await;
        assert_eq!(
            (st, r["fields"][0]["code"].as_str()),
            (StatusCode::UNPROCESSABLE_ENTITY, Some("rules.year"))
        );
        // A batch: the same C10 entity, a missing input, and a bad number.
        let c10 = json!({"employees": "50", "tech_staff": "12", "revenue": "4000万", "total_assets": "3000万", "rd_expense": "300万", "ip_class1": "0", "ip_class2": "3", "serious_violation": "否"});
        let body = json!({"pack": "tech-sme", "year": 2024, "entities": [
            {"id": "a", "figures": c10},
            {"id": "b", "figures": {"employees": "50", "tech_staff": "12"}},
            {"id": "c", "figures": {"employees": "x"}}
        ]});
        let (st, r) = send(
            &app,
            req("POST", "/api/v1/rules/evaluate-batch", &city, Some(body)),
        )
        .await;
        assert_eq!(st, StatusCode::OK, "{r}");
        assert_eq!(
            (r[0]["id"].as_str(), r[0]["outputs"]["score"].as_i64()),
            (Some("a"), Some(80))
        );
        assert!(
            r[1]["missing"]
                .as_array()
                .unwrap()
                .iter()
                .any(|m| m == "rd_expense")
        );
        assert_eq!(r[1]["outputs"]["qualified"], Value::Null);
        assert!(r[2]["problems"][0].as_str().unwrap().contains("格式错误"));
        // A stored run over the city's registry: 3 enterprises, one near miss in the pool.
        let (st, sum) = send(
            &app,
            req(
                "POST",
                "/api/v1/rules/runs",
                &city,
                Some(json!({"pack": "tech-sme", "year": 2024})),
            ),
        )
        .await;
        assert_eq!(st, StatusCode::OK, "{sum}");
        assert_eq!(
            (sum["evaluated"].as_u64(), sum["qualified"].as_u64()),
            (Some(3), Some(1)),
            "{sum}"
        );
        assert_eq!(sum["pools"]["pool_near"], 1);
        let (_, page) = send(
            &app,
            req(
                "GET",
                "/api/v1/rules/results?pack=tech-sme&year=2024",
                &city,
                None,
            ),
        )
        .await;
        assert_eq!(page["total"], 3);
        assert_eq!(page["items"][0]["score"], 80, "sorted by score");
        let (_, pool) = send(
            &app,
            req(
                "GET",
                "/api/v1/rules/results?pack=tech-sme&year=2024&pool=pool_near",
                &city,
                None,
            ),
        )
        .await;
        assert_eq!(
            (pool["total"].as_u64(), pool["items"][0]["org_id"].as_i64()),
            (Some(1), Some(ids[1]))
        );
        assert!(
            pool["items"][0]["gaps"]
                .as_array()
                .unwrap()
                .iter()
                .any(|g| g["input"] == "tech_staff")
        );
        // Scope: the county sees none of the city's results, and its own run covers only 孟州.
        let county = login(&app, "county").await;
        let (st, _) = send(
            &app,
            req(
                "GET",
                &format!("/api/v1/rules/results/{}?pack=tech-sme&year=2024", ids[0]),
                &county,
                None,
            ),
        )
        .await;
        assert_eq!(st, StatusCode::NOT_FOUND);
        let (_, sum) = send(
            &app,
            req(
                "POST",
                "/api/v1/rules/runs",
                &county,
                Some(json!({"pack": "tech-sme", "year": 2024})),
            ),
        )
        .await;
        assert_eq!(sum["evaluated"], 1);
        let all_results = s
            .list_rule_results(
                &DataScope::All,
                &Default::default(),
                kechuang_store::PageRequest::new(1, 50),
            )
            .await
            .unwrap();
        assert_eq!(all_results.total, 4);
        // Re-running replaces, not duplicates; the run is audited.
        send(
            &app,
            req(
                "POST",
                "/api/v1/rules/runs",
                &city,
                Some(json!({"pack": "tech-sme", "year": 2024})),
            ),
        )
        .await;
        let all_results = s
            .list_rule_results(
                &DataScope::All,
                &Default::default(),
                kechuang_store::PageRequest::new(1, 50),
            )
            .await
            .unwrap();
        assert_eq!(all_results.total, 4);
        let log = s
            .list_audit(
                &DataScope::All,
                &kechuang_store::audit::AuditFilter {
                    action: Some("rules_run".into()),
                    ..Default::default()
                },
                kechuang_store::PageRequest::new(1, 10),
            )
            .await
            .unwrap();
        assert_eq!(log.total, 3);
        db.drop_db().await;
    }
}
