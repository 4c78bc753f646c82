//! The endpoint-level scope matrix: five accounts of different scopes × records in three
//! regions × every registry endpoint (list, export, get, update, delete). Each account must
//! reach exactly the records its scope admits, and every refused write must leave the record
//! untouched.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use axum::Router;
use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use http_body_util::BodyExt;
use kechuang_domain::RegionCode;
use kechuang_domain::enterprise_year::Figures;
use kechuang_domain::scope::RecordKeys;
use kechuang_server::{Config, app, auth, tabular};
use kechuang_store::accounts::NewUser;
use kechuang_store::{Caller, DataScope};
use kechuang_testkit::{all, fixtures};
use serde_json::{Value, json};
use std::collections::BTreeSet;
use tower::ServiceExt;

const PASSWORD: &str = "Passw0rd2026";

/// A record's id and scoping keys: (id, region path, organization, owner).
type Keys = (i64, String, Option<i64>, Option<i64>);

async fn call(
    app: &Router,
    m: Method,
    path: &str,
    s: &(String, String),
    body: Option<Value>,
) -> (StatusCode, Value, Vec<u8>) {
    let b = Request::builder()
        .method(m)
        .uri(path)
        .header(header::COOKIE, &s.0)
        .header("x-csrf-token", &s.1);
    let req = match body {
        Some(v) => b
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(v.to_string()))
            .unwrap(),
        None => b.body(Body::empty()).unwrap(),
    };
    let res = app.clone().oneshot(req).await.unwrap();
    let st = res.status();
    let bytes = res.into_body().collect().await.unwrap().to_bytes().to_vec();
    (
        st,
        serde_json::from_slice(&bytes).unwrap_or(Value::Null),
        bytes,
    )
}

async fn login(app: &Router, user: &str) -> (String, String) {
    let req = Request::post("/api/v1/auth/login")
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(
            json!({"username": user, "password": PASSWORD}).to_string(),
        ))
        .unwrap();
    let res = app.clone().oneshot(req).await.unwrap();
    assert_eq!(res.status(), StatusCode::OK, "{user}");
    let cookie = res.headers()[header::SET_COOKIE]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_owned();
    let body: Value =
        serde_json::from_slice(&res.into_body().collect().await.unwrap().to_bytes()).unwrap();
    (cookie, body["csrf_token"].as_str().unwrap().to_owned())
}

fn ids(v: &Value) -> BTreeSet<i64> {
    v["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["id"].as_i64().unwrap())
        .collect()
}

#[tokio::test]
async fn no_endpoint_returns_or_changes_anything_outside_the_scope() {
    for db in all().await {
        let s = &db.store;
        let sys = Caller::system("t");
        let mut org_ids = Vec::new();
        for (ri, r) in ["419001", "410883", "420102"].iter().enumerate() {
            for k in 0..2u32 {
                let o = s
                    .create_organization(
                        &sys,
                        &fixtures::org(r, ri as u32 * 10 + k, &format!("{r}单位{k}")),
                    )
                    .await
                    .unwrap();
                s.put_enterprise_year(
                    &sys,
                    o.id,
                    2024,
                    &Figures {
                        employees: Some(5),
                        ..Default::default()
                    },
                )
                .await
                .unwrap();
                s.create_platform(&sys, &fixtures::platform(o.id, &format!("{r}平台{k}")))
                    .await
                    .unwrap();
                org_ids.push(o.id);
            }
        }
        let hash = auth::hash_password(PASSWORD).unwrap();
        let mk = |name: &str, kind: &str, region: &str, org: Option<i64>, roles: &[&str]| NewUser {
            username: name.into(),
            display_name: name.into(),
            password_hash: hash.clone(),
            scope_kind: kind.into(),
            region: RegionCode::parse(region).unwrap(),
            org_id: org,
            roles: roles.iter().map(|r| (*r).to_owned()).collect(),
            must_change_password: false,
        };
        let accounts = [
            mk("province", "region", "410000", None, &["officer"]),
            mk("city", "region", "419001", None, &["officer"]),
            mk("county", "region", "410883", None, &["officer"]),
            mk(
                "ent",
                "organization",
                "410883",
                Some(org_ids[2]),
                &["enterprise"],
            ),
            mk("expert", "self", "419001", None, &["expert", "officer"]),
        ];
        let mut users = Vec::new();
        for a in &accounts {
            users.push(s.create_user(&sys, a).await.unwrap());
        }
        // The expert owns one person record in Hubei; others belong to organizations.
        for (i, oid) in org_ids.iter().enumerate() {
            let p = fixtures::expert(*oid, &format!("专家{i}"));
            s.create_person(&sys, &p, b"k", (i == 5).then_some(users[4].id))
                .await
                .unwrap();
        }
        // A plan with a drafted ledger in each region (规划监测: the task bulk actions).
        let mut plan_tasks: Vec<(i64, String, Vec<i64>)> = Vec::new();
        for r in ["419001", "410883", "420102"] {
            let text = "某地“十四五”科技创新规划\n一、重点任务\n(一)培育企业\n1.实施“春笋”计划。(责任单位:市科技局)\n2.组建科学院。(责任单位:市科技局)\n";
            let (targets, tasks) = kechuang_server::monitor_svc::extract(text);
            let plan = s
                .create_plan(
                    &sys,
                    &kechuang_store::monitoring::NewPlan {
                        title: format!("{r}规划"),
                        region: RegionCode::parse(r).unwrap(),
                        base_year: 2020,
                        target_year: 2025,
                        file_name: None,
                        text: text.into(),
                    },
                    &targets,
                    &tasks,
                )
                .await
                .unwrap();
            let (_, _, _, tasks) = s.plan_with_parts(&DataScope::All, plan.id).await.unwrap();
            assert_eq!(tasks.len(), 2, "{tasks:?}");
            plan_tasks.push((
                plan.id,
                plan.region_path.clone(),
                tasks.iter().map(|t| t.id).collect(),
            ));
        }
        let app = app(s.clone(), Config::default());
        let all_orgs = s
            .export_organizations(&DataScope::All, &Default::default(), 100)
            .await
            .unwrap();
        let all_years = s
            .export_enterprise_years(&DataScope::All, &Default::default(), 100)
            .await
            .unwrap();
        let all_plats = s
            .export_platforms(&DataScope::All, &Default::default(), 100)
            .await
            .unwrap();
        let all_people = s
            .export_persons(&DataScope::All, &Default::default(), 100)
            .await
            .unwrap();

        for u in &users {
            let scope = u.scope();
            let sess = login(&app, &u.username).await;
            let tag = format!("{} {}", db.name, u.username);
            // (collection, records with their keys)
            let sets: [(&str, Vec<Keys>); 4] = [
                (
                    "organizations",
                    all_orgs
                        .iter()
                        .map(|o| (o.id, o.region_path.clone(), Some(o.id), None))
                        .collect(),
                ),
                (
                    "enterprise-years",
                    all_years
                        .iter()
                        .map(|y| (y.id, y.region_path.clone(), Some(y.org_id), None))
                        .collect(),
                ),
                (
                    "platforms",
                    all_plats
                        .iter()
                        .map(|p| (p.id, p.region_path.clone(), Some(p.host_org_id), None))
                        .collect(),
                ),
                (
                    "persons",
                    all_people
                        .iter()
                        .map(|p| (p.id, p.region_path.clone(), p.org_id, p.user_id))
                        .collect(),
                ),
            ];
            for (coll, records) in &sets {
                let want: BTreeSet<i64> = records
                    .iter()
                    .filter(|(_, path, org, owner)| {
                        scope.admits(RecordKeys {
                            region_path: Some(path),
                            org_id: *org,
                            owner_user_id: *owner,
                        })
                    })
                    .map(|(id, ..)| *id)
                    .collect();
                let (st, body, _) = call(
                    &app,
                    Method::GET,
                    &format!("/api/v1/{coll}?size=500"),
                    &sess,
                    None,
                )
                .await;
                assert_eq!(st, StatusCode::OK, "{tag} {coll}");
                assert_eq!(ids(&body), want, "{tag} list {coll}");
                let (st, _, bytes) = call(
                    &app,
                    Method::GET,
                    &format!("/api/v1/{coll}/export"),
                    &sess,
                    None,
                )
                .await;
                if st == StatusCode::OK {
                    assert_eq!(
                        tabular::read_table(&bytes).unwrap().rows.len(),
                        want.len(),
                        "{tag} export {coll}"
                    );
                }
                for (id, ..) in records {
                    let (st, _, _) = call(
                        &app,
                        Method::GET,
                        &format!("/api/v1/{coll}/{id}"),
                        &sess,
                        None,
                    )
                    .await;
                    assert_eq!(
                        st == StatusCode::OK,
                        want.contains(id),
                        "{tag} get {coll}/{id}"
                    );
                    if !want.contains(id) {
                        let (st, _, _) = call(
                            &app,
                            Method::DELETE,
                            &format!("/api/v1/{coll}/{id}"),
                            &sess,
                            None,
                        )
                        .await;
                        assert!(
                            matches!(st, StatusCode::NOT_FOUND | StatusCode::FORBIDDEN),
                            "{tag} delete {coll}/{id}: {st}"
                        );
                    }
                }
            }
            // Updates of out-of-scope organizations and platforms are refused.
            for o in &all_orgs {
                if !scope.admits(RecordKeys {
                    region_path: Some(&o.region_path),
                    org_id: Some(o.id),
                    owner_user_id: None,
                }) {
                    let body = json!({"credit_code": o.credit_code, "name": "越权", "kind": "enterprise", "region": o.region_code});
                    let (st, _, _) = call(
                        &app,
                        Method::PUT,
                        &format!("/api/v1/organizations/{}", o.id),
                        &sess,
                        Some(body),
                    )
                    .await;
                    assert!(
                        matches!(st, StatusCode::NOT_FOUND | StatusCode::FORBIDDEN),
                        "{tag} put org: {st}"
                    );
                    let body = json!({"org_id": o.id, "year": 2023, "figures": {"employees": 1}});
                    let (st, _, _) = call(
                        &app,
                        Method::POST,
                        "/api/v1/enterprise-years",
                        &sess,
                        Some(body),
                    )
                    .await;
                    assert!(
                        matches!(st, StatusCode::NOT_FOUND | StatusCode::FORBIDDEN),
                        "{tag} put year: {st}"
                    );
                }
            }
            // The ledger's bulk delete and merge refuse plans outside the scope (or the role).
            for (pid, path, tasks) in &plan_tasks {
                if scope.admits(RecordKeys::region(path)) {
                    continue;
                }
                for (url, body) in [
                    ("batch-delete", json!({"ids": [tasks[0]]})),
                    ("merge", json!({"keep": tasks[0], "others": [tasks[1]]})),
                ] {
                    let (st, _, _) = call(
                        &app,
                        Method::POST,
                        &format!("/api/v1/plans/{pid}/tasks/{url}"),
                        &sess,
                        Some(body),
                    )
                    .await;
                    assert!(
                        matches!(st, StatusCode::NOT_FOUND | StatusCode::FORBIDDEN),
                        "{tag} {url} plan {pid}: {st}"
                    );
                }
            }
            // Dashboard counts follow the scope.
            let (_, ov, _) = call(&app, Method::GET, "/api/v1/stats/overview", &sess, None).await;
            let n: i64 = ov["organizations_by_kind"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| c["count"].as_i64().unwrap())
                .sum();
            let want = all_orgs
                .iter()
                .filter(|o| {
                    scope.admits(RecordKeys {
                        region_path: Some(&o.region_path),
                        org_id: Some(o.id),
                        owner_user_id: None,
                    })
                })
                .count();
            assert_eq!(n as usize, want, "{tag} overview");
        }
        // Nothing changed: same records, same names, same years.
        let after = s
            .export_organizations(&DataScope::All, &Default::default(), 100)
            .await
            .unwrap();
        assert_eq!(after.len(), 6);
        assert!(after.iter().all(|o| o.name != "越权"));
        assert_eq!(
            s.export_enterprise_years(&DataScope::All, &Default::default(), 100)
                .await
                .unwrap()
                .len(),
            6
        );
        assert_eq!(
            s.export_platforms(&DataScope::All, &Default::default(), 100)
                .await
                .unwrap()
                .len(),
            6
        );
        assert_eq!(
            s.export_persons(&DataScope::All, &Default::default(), 100)
                .await
                .unwrap()
                .len(),
            6
        );
        for (pid, _, tasks) in &plan_tasks {
            let (_, _, _, now) = s.plan_with_parts(&DataScope::All, *pid).await.unwrap();
            assert_eq!(
                now.iter().map(|t| t.id).collect::<Vec<_>>(),
                *tasks,
                "plan {pid} untouched"
            );
        }
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
