//! Two `kechuang serve` processes on one database, as a province runs them behind a load
//! balancer: each server here is its own store (connection pool, sealer, search index, count
//! cache) on the same database. A session made on one is accepted by the other; writes through
//! both at once keep one complete, valid audit chain; a record written through one is found by
//! the other's search at its next query; two 运行评价 of one pack and year, one per server,
//! take turns and leave one result per enterprise.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use axum::http::StatusCode;
use common::{login, req, send, user};
use kechuang_server::{Config, app};
use kechuang_store::{Caller, DataScope, PageRequest, Store};
use kechuang_testkit::{all, fixtures};
use serde_json::json;

#[tokio::test]
async fn two_servers_on_one_database_share_sessions_chain_and_search() {
    for db in all().await {
        user(&db.store, "city", "region", "419001", None, "officer").await;
        let second = Store::connect(&db.url).await.unwrap();
        let a = app(db.store.clone(), Config::default());
        let b = app(second.clone(), Config::default());
        let before = db.store.verify_audit().await.unwrap().records;

        // A session made on server A is accepted by server B.
        let s = login(&a, "city").await;
        let (st, me) = send(&b, req("GET", "/api/v1/auth/me", &s, None)).await;
        assert_eq!(st, StatusCode::OK, "{}: {me}", db.name);
        assert_eq!(me["user"]["username"], "city");

        // Forty creations, alternating servers, all in flight at once.
        let mut tasks = Vec::new();
        for i in 0..40u32 {
            let (app, s) = (if i % 2 == 0 { a.clone() } else { b.clone() }, s.clone());
            tasks.push(tokio::spawn(async move {
                let code = fixtures::credit_code("419001", 400_000 + i);
                let body = json!({"credit_code": code.as_str(), "name": format!("双机测试{i}号材料有限公司"),
                    "kind": "enterprise", "region": "419001"});
                send(&app, req("POST", "/api/v1/organizations", &s, Some(body))).await
            }));
        }
        for t in tasks {
            let (st, v) = t.await.unwrap();
            assert_eq!(st, StatusCode::CREATED, "{}: {v}", db.name);
        }
        let v = second.verify_audit().await.unwrap();
        assert!(v.ok, "{}: {:?}", db.name, v.reason);
        assert!(
            v.records >= before + 40,
            "{}: {} records",
            db.name,
            v.records
        );
        let created = db
            .store
            .list_audit(
                &DataScope::All,
                &kechuang_store::audit::AuditFilter {
                    entity: Some("organization".into()),
                    action: Some("create".into()),
                    ..Default::default()
                },
                PageRequest::new(1, 100),
            )
            .await
            .unwrap();
        assert_eq!(created.total, 40, "{}", db.name);

        // Written through A, found by B's search at its next query.
        let (st, _) = send(
            &b,
            req("GET", "/api/v1/search?q=%E6%9D%90%E6%96%99", &s, None),
        )
        .await;
        assert_eq!(st, StatusCode::OK);
        let code = fixtures::credit_code("419001", 499_999);
        let body = json!({"credit_code": code.as_str(), "name": "鹊桥新能源科技有限公司",
            "kind": "enterprise", "region": "419001"});
        let (st, v) = send(&a, req("POST", "/api/v1/organizations", &s, Some(body))).await;
        assert_eq!(st, StatusCode::CREATED, "{v}");
        let (st, found) = send(
            &b,
            req("GET", "/api/v1/search?q=%E9%B9%8A%E6%A1%A5", &s, None),
        )
        .await;
        assert_eq!(st, StatusCode::OK, "{found}");
        assert!(
            found["rows"]
                .as_array()
                .unwrap()
                .iter()
                .any(|r| r["title"] == "鹊桥新能源科技有限公司"),
            "{}: {found}",
            db.name
        );

        let orgs = db
            .store
            .export_organizations(&DataScope::All, &Default::default(), 1000)
            .await
            .unwrap();
        for o in &orgs {
            let f = kechuang_domain::enterprise_year::Figures {
                employees: Some(50),
                tech_staff: Some(10),
                ..Default::default()
            };
            db.store
                .put_enterprise_year(&Caller::system("t"), o.id, 2024, &f)
                .await
                .unwrap();
        }
        // One 运行评价 per server at once: they take turns, one result per enterprise.
        let run = json!({"pack": "tech-sme", "year": 2024, "region": "419001"});
        let (ra, rb) = tokio::join!(
            send(&a, req("POST", "/api/v1/rules/runs", &s, Some(run.clone()))),
            send(&b, req("POST", "/api/v1/rules/runs", &s, Some(run)))
        );
        assert_eq!(ra.0, StatusCode::ACCEPTED, "{}: {}", db.name, ra.1);
        assert_eq!(rb.0, StatusCode::ACCEPTED, "{}: {}", db.name, rb.1);
        // Asked of both servers at once: the run is started once when the second request
        // finds the first going on (both answer with it), and otherwise the two follow each
        // other; either way each ends done and one result per enterprise stands. (That a
        // running run is never started twice is tested on the store, deterministically.)
        for id in [&ra.1["id"], &rb.1["id"]] {
            let id = id.as_i64().unwrap();
            let mut done = serde_json::Value::Null;
            for _ in 0..3000 {
                let (_, r) = send(
                    &b,
                    req("GET", &format!("/api/v1/rules/runs/{id}"), &s, None),
                )
                .await;
                if r["status"] != "running" {
                    done = r;
                    break;
                }
                tokio::time::sleep(std::time::Duration::from_millis(10)).await;
            }
            assert_eq!(done["status"], "done", "{}: {done}", db.name);
            assert_eq!(done["summary"]["evaluated"], 41, "{}: {done}", db.name);
        }
        let results = db
            .store
            .list_rule_results(&DataScope::All, &Default::default(), PageRequest::new(1, 1))
            .await
            .unwrap();
        assert_eq!(results.total, orgs.len() as u64, "{}", db.name);
        assert_eq!(orgs.len(), 41);
        assert!(second.verify_audit().await.unwrap().ok);
        second.close().await.unwrap();
        db.drop_db().await;
    }
}
