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
                // The list's q= and the full-text search answer from the index, which must
                // draw the same line (every name here holds the word).
                let text = match *coll {
                    "organizations" => Some(("%E5%8D%95%E4%BD%8D", "organization")),
                    "persons" => Some(("%E4%B8%93%E5%AE%B6", "person")),
                    _ => None,
                };
                if let Some((word, kind)) = text {
                    let (st, body, _) = call(
                        &app,
                        Method::GET,
                        &format!("/api/v1/{coll}?size=500&q={word}"),
                        &sess,
                        None,
                    )
                    .await;
                    assert_eq!(st, StatusCode::OK, "{tag} {coll} q");
                    assert_eq!(ids(&body), want, "{tag} list {coll} q=");
                    let (st, body, _) = call(
                        &app,
                        Method::GET,
                        &format!("/api/v1/search?size=50&kind={kind}&q={word}"),
                        &sess,
                        None,
                    )
                    .await;
                    assert_eq!(st, StatusCode::OK, "{tag} search {kind}");
                    let found: BTreeSet<i64> = body["rows"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .map(|x| x["id"].as_i64().unwrap())
                        .collect();
                    assert_eq!(found, want, "{tag} search {kind}");
                    assert_eq!(body["total"].as_u64().unwrap() as usize, want.len());
                }
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

/// The working-day endpoints (calls by id, application export and batch moves, the expert's
/// reading of what they review, the home page) by account: each reaches exactly what its
/// scope and role allow, and a refused write changes nothing.
#[tokio::test]
async fn working_day_endpoints_follow_scope_and_role() {
    for db in all().await {
        let s = &db.store;
        let sys = Caller::system("t");
        let ent = s
            .create_organization(&sys, &fixtures::org("419001", 61, "济源甲企业"))
            .await
            .unwrap();
        let county_ent = s
            .create_organization(&sys, &fixtures::org("410883", 62, "孟州乙企业"))
            .await
            .unwrap();
        let mut staff = fixtures::expert(ent.id, "负责人");
        staff.is_expert = false;
        let leader = s.create_person(&sys, &staff, b"k", None).await.unwrap().id;
        let hash = auth::hash_password(PASSWORD).unwrap();
        let mk = |name: &str, kind: &str, region: &str, org: Option<i64>, role: &str| NewUser {
            username: name.into(),
            display_name: name.into(),
            password_hash: hash.clone(),
            scope_kind: kind.into(),
            region: RegionCode::parse(region).unwrap(),
            org_id: org,
            roles: vec![role.into()],
            must_change_password: false,
        };
        let mut ids = Vec::new();
        for u in [
            mk("city", "region", "419001", None, "officer"),
            mk("county", "region", "410883", None, "officer"),
            mk("ent", "organization", "419001", Some(ent.id), "enterprise"),
            mk(
                "other",
                "organization",
                "410883",
                Some(county_ent.id),
                "enterprise",
            ),
            mk("exp1", "self", "419001", None, "expert"),
            mk("exp2", "self", "419001", None, "expert"),
            mk("exp3", "self", "419001", None, "expert"),
            mk("exp4", "self", "419001", None, "expert"),
        ] {
            ids.push(s.create_user(&sys, &u).await.unwrap().id);
        }
        let institute = s
            .create_organization(&sys, &fixtures::org("419001", 63, "济源研究院"))
            .await
            .unwrap();
        for (n, uid) in ids[4..].iter().enumerate() {
            let mut p = fixtures::expert(institute.id, &format!("专家{n}"));
            p.disciplines = vec!["冶金工程".into()];
            s.create_person(&sys, &p, b"k", Some(*uid)).await.unwrap();
        }
        let app = app(s.clone(), Config::default());
        let city = login(&app, "city").await;
        let today = kechuang_server::api::today();
        let (_, call_v, _) = call(
            &app,
            Method::POST,
            "/api/v1/calls",
            &city,
            Some(json!({
                "title": "矩阵指南", "category": "科技攻关", "mode": "公开竞争", "region": "419001",
                "budget": "1000000", "opens_on": (today - chrono::Duration::days(1)).to_string(),
                "closes_on": (today + chrono::Duration::days(9)).to_string()
            })),
        )
        .await;
        let call_id = call_v["id"].as_i64().unwrap();
        let entry = login(&app, "ent").await;
        let (_, a, _) = call(&app, Method::POST, "/api/v1/applications", &entry, Some(json!({
            "call_id": call_id, "title": "矩阵项目", "org_id": ent.id, "leader_id": leader,
            "budget": [{"item": "设备费", "amount": "1000"}], "disciplines": ["冶金工程"],
            "milestones": [{"title": "样机", "due_on": "2027-06-30", "target": "1台"}], "integrity_pledge": true
        }))).await;
        let app_id = a["id"].as_i64().unwrap();
        let mv = |action: &str| json!({"action": action});
        for (who, action) in [
            (&entry, "submit"),
            (&city, "start_formal_check"),
            (&city, "pass_formal_check"),
        ] {
            let (st, r, _) = call(
                &app,
                Method::POST,
                &format!("/api/v1/applications/{app_id}/transition"),
                who,
                Some(mv(action)),
            )
            .await;
            assert_eq!(st, StatusCode::OK, "{action}: {r}");
        }
        let (_, round, _) = call(&app, Method::POST, &format!("/api/v1/calls/{call_id}/review-round"), &city, Some(json!({
            "title": "矩阵评审", "object_kind": "application", "reviewers_per_item": 3, "max_load": 5,
            "form": [{"key": "merit", "label": "综合评价", "max": 100}]
        }))).await;
        let rid = round["id"].as_i64().unwrap();
        call(
            &app,
            Method::POST,
            &format!("/api/v1/review/rounds/{rid}/assign"),
            &city,
            Some(json!({"mode": "optimal"})),
        )
        .await;
        call(
            &app,
            Method::POST,
            &format!("/api/v1/review/rounds/{rid}/publish"),
            &city,
            None,
        )
        .await;
        let tasks = s
            .list_assignments(&DataScope::All, Some(rid))
            .await
            .unwrap();
        assert_eq!(tasks.len(), 3, "three of the four experts");
        let task = &tasks[0];
        let owner = ids[4..]
            .iter()
            .position(|u| Some(*u) == task.expert_user_id)
            .unwrap();
        let not_owner = (owner + 1) % 4;
        let exp_names = ["exp1", "exp2", "exp3", "exp4"];

        // (account, method, path, body, expected status)
        let cases: Vec<(&str, Method, String, Option<Value>, StatusCode)> = vec![
            (
                "city",
                Method::GET,
                format!("/api/v1/calls/{call_id}"),
                None,
                StatusCode::OK,
            ),
            (
                "county",
                Method::GET,
                format!("/api/v1/calls/{call_id}"),
                None,
                StatusCode::NOT_FOUND,
            ),
            (
                "ent",
                Method::GET,
                format!("/api/v1/calls/{call_id}"),
                None,
                StatusCode::OK,
            ),
            (
                "other",
                Method::GET,
                format!("/api/v1/calls/{call_id}"),
                None,
                StatusCode::NOT_FOUND,
            ),
            (
                "county",
                Method::POST,
                format!("/api/v1/calls/{call_id}/withdraw"),
                Some(json!({"reason": "越权"})),
                StatusCode::NOT_FOUND,
            ),
            (
                "ent",
                Method::POST,
                format!("/api/v1/calls/{call_id}/withdraw"),
                Some(json!({"reason": "越权"})),
                StatusCode::FORBIDDEN,
            ),
            (
                "county",
                Method::PUT,
                format!("/api/v1/calls/{call_id}"),
                Some(
                    json!({"title": "越权", "category": "x", "mode": "公开竞争", "budget": "1", "opens_on": "2026-01-01", "closes_on": "2026-02-01"}),
                ),
                StatusCode::NOT_FOUND,
            ),
            (
                "ent",
                Method::POST,
                "/api/v1/applications/batch-transition".into(),
                Some(json!({"ids": [app_id], "action": "to_panel"})),
                StatusCode::FORBIDDEN,
            ),
            (
                "county",
                Method::POST,
                "/api/v1/applications/batch-transition".into(),
                Some(json!({"ids": [app_id], "action": "to_panel"})),
                StatusCode::CONFLICT,
            ),
            (
                "city",
                Method::GET,
                format!("/api/v1/review/assignments/{}/object", task.id),
                None,
                StatusCode::FORBIDDEN,
            ),
            (
                exp_names[not_owner],
                Method::GET,
                format!("/api/v1/review/assignments/{}/object", task.id),
                None,
                StatusCode::NOT_FOUND,
            ),
            (
                exp_names[owner],
                Method::GET,
                format!("/api/v1/review/assignments/{}/object", task.id),
                None,
                StatusCode::OK,
            ),
            (
                exp_names[not_owner],
                Method::PUT,
                format!("/api/v1/review/assignments/{}/draft", task.id),
                Some(json!({"scores": {"merit": 1}})),
                StatusCode::NOT_FOUND,
            ),
            (
                "ent",
                Method::GET,
                format!("/api/v1/review/rounds/{rid}/results/export"),
                None,
                StatusCode::FORBIDDEN,
            ),
            (
                "county",
                Method::GET,
                format!("/api/v1/review/rounds/{rid}/results/export"),
                None,
                StatusCode::NOT_FOUND,
            ),
            (
                "other",
                Method::GET,
                format!("/api/v1/applications/{app_id}/task-book.docx"),
                None,
                StatusCode::NOT_FOUND,
            ),
            (
                "city",
                Method::GET,
                format!("/api/v1/calls/{call_id}/review-results"),
                None,
                StatusCode::OK,
            ),
            (
                "county",
                Method::GET,
                format!("/api/v1/calls/{call_id}/review-results"),
                None,
                StatusCode::NOT_FOUND,
            ),
            (
                "ent",
                Method::GET,
                format!("/api/v1/calls/{call_id}/review-results"),
                None,
                StatusCode::FORBIDDEN,
            ),
            (
                "exp1",
                Method::GET,
                "/api/v1/rules/results/export".into(),
                None,
                StatusCode::FORBIDDEN,
            ),
            (
                "county",
                Method::GET,
                "/api/v1/rules/results/export".into(),
                None,
                StatusCode::OK,
            ),
            (
                "county",
                Method::POST,
                format!("/api/v1/calls/{call_id}/publish"),
                None,
                StatusCode::NOT_FOUND,
            ),
            (
                "ent",
                Method::POST,
                format!("/api/v1/calls/{call_id}/publish"),
                None,
                StatusCode::FORBIDDEN,
            ),
            (
                exp_names[not_owner],
                Method::GET,
                format!("/api/v1/review/assignments/{}/attachments/1", task.id),
                None,
                StatusCode::NOT_FOUND,
            ),
            (
                exp_names[not_owner],
                Method::GET,
                format!("/api/v1/review/assignments/{}/opinion.docx", task.id),
                None,
                StatusCode::NOT_FOUND,
            ),
            (
                "ent",
                Method::GET,
                format!("/api/v1/review/assignments/{}/opinion.docx", task.id),
                None,
                StatusCode::FORBIDDEN,
            ),
            (
                "county",
                Method::GET,
                format!("/api/v1/review/assignments/{}/opinion.docx", task.id),
                None,
                StatusCode::NOT_FOUND,
            ),
        ];
        // One session per account (logins are throttled, as a real client's would be).
        let mut sessions = std::collections::HashMap::new();
        for who in [
            "city", "county", "ent", "other", "exp1", "exp2", "exp3", "exp4",
        ] {
            sessions.insert(who, login(&app, who).await);
        }
        for (who, m, path, body, want) in cases {
            let sess = &sessions[who];
            let (st, r, _) = call(&app, m.clone(), &path, sess, body).await;
            assert_eq!(st, want, "{} {who} {m} {path}: {r}", db.name);
        }
        // Exports and home pages hold only what the scope admits.
        for (who, rows) in [("city", 1usize), ("county", 0), ("ent", 1), ("other", 0)] {
            let sess = sessions[who].clone();
            let (st, _, bytes) = call(&app, Method::GET, "/api/v1/calls/export", &sess, None).await;
            assert_eq!(st, StatusCode::OK, "{who}");
            assert_eq!(
                tabular::read_table(&bytes).unwrap().rows.len(),
                rows,
                "{} {who} calls",
                db.name
            );
            let (st, _, bytes) = call(
                &app,
                Method::GET,
                "/api/v1/applications/export",
                &sess,
                None,
            )
            .await;
            assert_eq!(st, StatusCode::OK, "{who}");
            let sheet = tabular::read_table(&bytes).unwrap();
            assert_eq!(sheet.rows.len(), rows, "{} {who} export", db.name);
            let (st, home, _) = call(&app, Method::GET, "/api/v1/home", &sess, None).await;
            assert_eq!(st, StatusCode::OK, "{who}: {home}");
        }
        // Refused writes changed nothing: the call is still published, the application at review.
        let c = s.get_call(&DataScope::All, call_id).await.unwrap();
        assert_eq!(c.status, "published");
        let a = s.get_application(&DataScope::All, app_id).await.unwrap();
        assert_eq!(a.status, "expert_review");
        assert!(
            s.list_assignments(&DataScope::All, Some(rid))
                .await
                .unwrap()
                .iter()
                .all(|t| t.draft.is_none())
        );
        assert_eq!(
            db.store.audit_coverage().await.unwrap(),
            vec![],
            "{}",
            db.name
        );
        db.drop_db().await;
    }
}

/// 技术合同认定登记: every contracts endpoint × seller, other seller, the region's officer,
/// another region's officer and registrar, the region's registrar and an expert. Reads follow
/// the seller's region and organization; only the seller applies and only the seller region's
/// registrar decides; refused moves change nothing.
#[tokio::test]
async fn contract_endpoints_follow_scope_and_role() {
    for db in all().await {
        let s = &db.store;
        let sys = Caller::system("t");
        let ent = s
            .create_organization(&sys, &fixtures::org("419001", 71, "济源卖方"))
            .await
            .unwrap();
        let other = s
            .create_organization(&sys, &fixtures::org("410883", 72, "孟州卖方"))
            .await
            .unwrap();
        let hash = auth::hash_password(PASSWORD).unwrap();
        let mk = |name: &str, kind: &str, region: &str, org: Option<i64>, role: &str| NewUser {
            username: name.into(),
            display_name: name.into(),
            password_hash: hash.clone(),
            scope_kind: kind.into(),
            region: RegionCode::parse(region).unwrap(),
            org_id: org,
            roles: vec![role.into()],
            must_change_password: false,
        };
        for u in [
            mk("ent", "organization", "419001", Some(ent.id), "enterprise"),
            mk(
                "other",
                "organization",
                "410883",
                Some(other.id),
                "enterprise",
            ),
            mk("city", "region", "419001", None, "officer"),
            mk("county", "region", "410883", None, "officer"),
            mk("reg", "region", "419001", None, "registrar"),
            mk("regmz", "region", "410883", None, "registrar"),
            mk("exp", "self", "419001", None, "expert"),
        ] {
            s.create_user(&sys, &u).await.unwrap();
        }
        let app = app(s.clone(), Config::default());
        let mut sess = std::collections::BTreeMap::new();
        for who in ["ent", "other", "city", "county", "reg", "regmz", "exp"] {
            sess.insert(who, login(&app, who).await);
        }
        let buyer = fixtures::org("410100", 73, "x")
            .credit_code
            .as_str()
            .to_owned();
        let contract = |no: &str| {
            json!({
                "contract_no": no, "subject": "矩阵合同", "category": "技术开发", "subcategory": "委托开发",
                "form": "written", "field": "materials", "ip_kind": "none", "buyer_name": "郑州买方",
                "buyer_credit_code": buyer, "total_amount": "100000", "non_tech_amount": "0",
                "carrier_amount": "", "signed_on": "2026-01-05", "valid_from": "", "valid_to": "", "broker_name": ""
            })
        };
        let (st, c, _) = call(
            &app,
            Method::POST,
            "/api/v1/contracts",
            &sess["ent"],
            Some(contract("M-1")),
        )
        .await;
        assert_eq!(st, StatusCode::CREATED, "{c}");
        let id = c["id"].as_i64().unwrap();
        let pdf = b"%PDF-1.4\n% matrix\n%%EOF\n".to_vec();
        let boundary = "kcboundary";
        let mut form = format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"m.pdf\"\r\nContent-Type: application/pdf\r\n\r\n").into_bytes();
        form.extend_from_slice(&pdf);
        form.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
        let upload = |who: &(String, String)| {
            Request::post(format!("/api/v1/contracts/{id}/file"))
                .header(header::COOKIE, &who.0)
                .header("x-csrf-token", &who.1)
                .header(
                    header::CONTENT_TYPE,
                    format!("multipart/form-data; boundary={boundary}"),
                )
                .body(Body::from(form.clone()))
                .unwrap()
        };
        // Only the seller uploads the signed text.
        for (who, want) in [
            ("other", StatusCode::NOT_FOUND),
            ("city", StatusCode::FORBIDDEN),
            ("ent", StatusCode::OK),
        ] {
            let res = app.clone().oneshot(upload(&sess[who])).await.unwrap();
            assert_eq!(res.status(), want, "{who} upload");
        }
        let clean = json!({"findings": {"parties_clear": true, "subject_clear": true, "price_clear": true, "name_matches": true, "seal_ok": true, "documents_ok": true, "approval_ok": true, "monopoly_clause": false}});
        let p = |tail: &str| format!("/api/v1/contracts/{id}{tail}");
        // (account, method, path, body, expected status)
        let cases: Vec<(&str, Method, String, Option<Value>, StatusCode)> = vec![
            ("ent", Method::GET, p(""), None, StatusCode::OK),
            ("city", Method::GET, p(""), None, StatusCode::OK),
            ("reg", Method::GET, p(""), None, StatusCode::OK),
            ("other", Method::GET, p(""), None, StatusCode::NOT_FOUND),
            ("county", Method::GET, p(""), None, StatusCode::NOT_FOUND),
            ("regmz", Method::GET, p(""), None, StatusCode::NOT_FOUND),
            ("exp", Method::GET, p(""), None, StatusCode::FORBIDDEN),
            (
                "other",
                Method::GET,
                p("/file"),
                None,
                StatusCode::NOT_FOUND,
            ),
            ("exp", Method::GET, p("/file"), None, StatusCode::FORBIDDEN),
            ("city", Method::GET, p("/file"), None, StatusCode::OK),
            (
                "other",
                Method::PUT,
                p(""),
                Some(contract("M-1")),
                StatusCode::NOT_FOUND,
            ),
            (
                "city",
                Method::PUT,
                p(""),
                Some(contract("M-1")),
                StatusCode::FORBIDDEN,
            ),
            (
                "reg",
                Method::PUT,
                p(""),
                Some(contract("M-1")),
                StatusCode::FORBIDDEN,
            ),
            ("other", Method::DELETE, p(""), None, StatusCode::NOT_FOUND),
            ("city", Method::DELETE, p(""), None, StatusCode::FORBIDDEN),
            (
                "other",
                Method::POST,
                p("/submit"),
                None,
                StatusCode::NOT_FOUND,
            ),
            (
                "reg",
                Method::POST,
                p("/submit"),
                None,
                StatusCode::FORBIDDEN,
            ),
            ("ent", Method::POST, p("/submit"), None, StatusCode::OK),
            (
                "ent",
                Method::POST,
                p("/assess"),
                Some(clean["findings"].clone()),
                StatusCode::FORBIDDEN,
            ),
            (
                "city",
                Method::POST,
                p("/decide"),
                Some(clean.clone()),
                StatusCode::FORBIDDEN,
            ),
            (
                "regmz",
                Method::POST,
                p("/assess"),
                Some(clean["findings"].clone()),
                StatusCode::NOT_FOUND,
            ),
            (
                "regmz",
                Method::POST,
                p("/decide"),
                Some(clean.clone()),
                StatusCode::NOT_FOUND,
            ),
            (
                "regmz",
                Method::POST,
                p("/confirm"),
                Some(json!({})),
                StatusCode::NOT_FOUND,
            ),
            (
                "reg",
                Method::POST,
                p("/assess"),
                Some(clean["findings"].clone()),
                StatusCode::OK,
            ),
            (
                "reg",
                Method::POST,
                p("/confirm"),
                Some(json!({})),
                StatusCode::CONFLICT,
            ),
            (
                "ent",
                Method::GET,
                p("/certificate"),
                None,
                StatusCode::CONFLICT,
            ),
            (
                "reg",
                Method::POST,
                p("/decide"),
                Some(clean.clone()),
                StatusCode::OK,
            ),
            (
                "reg",
                Method::POST,
                p("/decide"),
                Some(clean.clone()),
                StatusCode::CONFLICT,
            ),
            (
                "other",
                Method::GET,
                p("/certificate"),
                None,
                StatusCode::NOT_FOUND,
            ),
            ("ent", Method::GET, p("/certificate"), None, StatusCode::OK),
            ("city", Method::GET, p("/certificate"), None, StatusCode::OK),
            ("ent", Method::DELETE, p(""), None, StatusCode::CONFLICT),
            (
                "exp",
                Method::GET,
                "/api/v1/contracts/stats".into(),
                None,
                StatusCode::FORBIDDEN,
            ),
            (
                "exp",
                Method::GET,
                "/api/v1/contracts/dicts".into(),
                None,
                StatusCode::FORBIDDEN,
            ),
            (
                "exp",
                Method::GET,
                "/api/v1/contracts/export".into(),
                None,
                StatusCode::FORBIDDEN,
            ),
            (
                "exp",
                Method::GET,
                "/api/v1/contracts/stats/export".into(),
                None,
                StatusCode::FORBIDDEN,
            ),
            (
                "ent",
                Method::GET,
                "/api/v1/contracts/stats/export".into(),
                None,
                StatusCode::OK,
            ),
            (
                "ent",
                Method::POST,
                "/api/v1/contracts".into(),
                Some(contract("M-1")),
                StatusCode::CONFLICT,
            ),
            (
                "reg",
                Method::POST,
                "/api/v1/contracts".into(),
                Some(contract("M-2")),
                StatusCode::FORBIDDEN,
            ),
            (
                "exp",
                Method::POST,
                "/api/v1/contracts".into(),
                Some(contract("M-3")),
                StatusCode::FORBIDDEN,
            ),
        ];
        for (who, m, path, body, want) in cases {
            let (st, v, _) = call(&app, m.clone(), &path, &sess[who], body).await;
            assert_eq!(st, want, "{} {who} {m} {path}: {v}", db.name);
        }
        // Lists, statistics and exports hold exactly what each scope admits.
        for (who, n) in [
            ("ent", 1),
            ("city", 1),
            ("reg", 1),
            ("other", 0),
            ("county", 0),
            ("regmz", 0),
        ] {
            let (st, v, _) = call(&app, Method::GET, "/api/v1/contracts", &sess[who], None).await;
            assert_eq!(st, StatusCode::OK, "{who}");
            assert_eq!(ids(&v).len(), n, "{} {who} list", db.name);
            let (_, stats, _) = call(
                &app,
                Method::GET,
                "/api/v1/contracts/stats",
                &sess[who],
                None,
            )
            .await;
            assert_eq!(
                stats["total"]["count"], n,
                "{} {who} stats: {stats}",
                db.name
            );
            if who != "other" && who != "county" && who != "regmz" {
                let (st, _, bytes) = call(
                    &app,
                    Method::GET,
                    "/api/v1/contracts/export",
                    &sess[who],
                    None,
                )
                .await;
                assert_eq!(st, StatusCode::OK, "{who} export");
                assert_eq!(
                    tabular::read_table(&bytes).unwrap().rows.len(),
                    n,
                    "{who} export"
                );
            }
        }
        // Refused moves changed nothing: registered once, by the region's registrar.
        let c = s.get_contract(&DataScope::All, id).await.unwrap();
        assert_eq!(c.status, "registered");
        assert_eq!(c.contract_no, "M-1");
        assert_eq!(
            db.store.audit_coverage().await.unwrap(),
            vec![],
            "{}",
            db.name
        );
        db.drop_db().await;
    }
}

/// 科技成果: every achievements endpoint × owner, another organization of the region, another
/// region's organization and bureau, the region's bureau and an expert. Drafts are private;
/// public stages are read by every market reader but changed only by their holder.
#[tokio::test]
async fn achievement_endpoints_follow_scope_and_role() {
    for db in all().await {
        let s = &db.store;
        let sys = Caller::system("t");
        let own = s
            .create_organization(&sys, &fixtures::org("419001", 91, "成果单位"))
            .await
            .unwrap();
        let peer = s
            .create_organization(&sys, &fixtures::org("419001", 92, "同城企业"))
            .await
            .unwrap();
        let far = s
            .create_organization(&sys, &fixtures::org("410883", 93, "外县企业"))
            .await
            .unwrap();
        let hash = auth::hash_password(PASSWORD).unwrap();
        let mk = |name: &str, kind: &str, region: &str, org: Option<i64>, role: &str| NewUser {
            username: name.into(),
            display_name: name.into(),
            password_hash: hash.clone(),
            scope_kind: kind.into(),
            region: RegionCode::parse(region).unwrap(),
            org_id: org,
            roles: vec![role.into()],
            must_change_password: false,
        };
        for u in [
            mk("own", "organization", "419001", Some(own.id), "enterprise"),
            mk(
                "peer",
                "organization",
                "419001",
                Some(peer.id),
                "enterprise",
            ),
            mk("far", "organization", "410883", Some(far.id), "enterprise"),
            mk("city", "region", "419001", None, "officer"),
            mk("county", "region", "410883", None, "officer"),
            mk("exp", "self", "419001", None, "expert"),
        ] {
            s.create_user(&sys, &u).await.unwrap();
        }
        let app = app(s.clone(), Config::default());
        let mut sess = std::collections::BTreeMap::new();
        for who in ["own", "peer", "far", "city", "county", "exp"] {
            sess.insert(who, login(&app, who).await);
        }
        let body = json!({
            "title": "矩阵成果", "area": "materials", "industry": "", "keywords": ["铅"], "summary": "简介",
            "trl": 5, "team": [], "ip": [], "modes": ["transfer"], "negotiable": true, "asking_price": "", "contact": ""
        });
        let (st, a, _) = call(
            &app,
            Method::POST,
            "/api/v1/achievements",
            &sess["own"],
            Some(body.clone()),
        )
        .await;
        assert_eq!(st, StatusCode::CREATED, "{a}");
        let id = a["id"].as_i64().unwrap();
        let p = |tail: &str| format!("/api/v1/achievements/{id}{tail}");
        let approve = json!({"approve": true});
        // (account, method, path, body, expected status), in order: the record moves on.
        let cases: Vec<(&str, Method, String, Option<Value>, StatusCode)> = vec![
            ("own", Method::GET, p(""), None, StatusCode::OK),
            ("city", Method::GET, p(""), None, StatusCode::OK),
            ("peer", Method::GET, p(""), None, StatusCode::NOT_FOUND),
            ("far", Method::GET, p(""), None, StatusCode::NOT_FOUND),
            ("county", Method::GET, p(""), None, StatusCode::NOT_FOUND),
            ("exp", Method::GET, p(""), None, StatusCode::FORBIDDEN),
            (
                "peer",
                Method::PUT,
                p(""),
                Some(body.clone()),
                StatusCode::NOT_FOUND,
            ),
            (
                "city",
                Method::PUT,
                p(""),
                Some(body.clone()),
                StatusCode::FORBIDDEN,
            ),
            (
                "peer",
                Method::POST,
                p("/submit"),
                None,
                StatusCode::NOT_FOUND,
            ),
            ("peer", Method::DELETE, p(""), None, StatusCode::NOT_FOUND),
            ("own", Method::POST, p("/submit"), None, StatusCode::OK),
            (
                "own",
                Method::POST,
                p("/review"),
                Some(approve.clone()),
                StatusCode::FORBIDDEN,
            ),
            (
                "county",
                Method::POST,
                p("/review"),
                Some(approve.clone()),
                StatusCode::NOT_FOUND,
            ),
            (
                "city",
                Method::POST,
                p("/review"),
                Some(approve.clone()),
                StatusCode::OK,
            ),
            ("far", Method::GET, p(""), None, StatusCode::OK),
            ("county", Method::GET, p(""), None, StatusCode::OK),
            (
                "far",
                Method::PUT,
                p(""),
                Some(body.clone()),
                StatusCode::FORBIDDEN,
            ),
            (
                "county",
                Method::POST,
                p("/list"),
                None,
                StatusCode::FORBIDDEN,
            ),
            (
                "county",
                Method::POST,
                p("/withdraw"),
                Some(json!({"reason": "越权"})),
                StatusCode::FORBIDDEN,
            ),
            (
                "far",
                Method::POST,
                p("/withdraw"),
                Some(json!({"reason": "越权"})),
                StatusCode::FORBIDDEN,
            ),
            (
                "exp",
                Method::POST,
                p("/objections"),
                Some(json!({"content": "x"})),
                StatusCode::FORBIDDEN,
            ),
            (
                "far",
                Method::POST,
                p("/objections"),
                Some(json!({"content": "异议"})),
                StatusCode::OK,
            ),
            (
                "far",
                Method::POST,
                p("/objections/1/resolve"),
                Some(json!({"upheld": false, "resolution": "x"})),
                StatusCode::FORBIDDEN,
            ),
            (
                "county",
                Method::POST,
                p("/objections/1/resolve"),
                Some(json!({"upheld": false, "resolution": "x"})),
                StatusCode::FORBIDDEN,
            ),
            (
                "city",
                Method::POST,
                p("/objections/9/resolve"),
                Some(json!({"upheld": false, "resolution": "x"})),
                StatusCode::NOT_FOUND,
            ),
            (
                "city",
                Method::POST,
                p("/objections/1/resolve"),
                Some(json!({"upheld": false, "resolution": "不成立"})),
                StatusCode::OK,
            ),
            ("city", Method::POST, p("/list"), None, StatusCode::CONFLICT),
            ("own", Method::DELETE, p(""), None, StatusCode::CONFLICT),
            (
                "exp",
                Method::GET,
                "/api/v1/achievements/dicts".into(),
                None,
                StatusCode::FORBIDDEN,
            ),
            (
                "exp",
                Method::GET,
                "/api/v1/achievements/export".into(),
                None,
                StatusCode::FORBIDDEN,
            ),
            (
                "own",
                Method::POST,
                p("/withdraw"),
                Some(json!({"reason": "转化方案调整"})),
                StatusCode::OK,
            ),
            // 成交 only from 挂牌 and only by its holder; withdrawn it is private again.
            (
                "far",
                Method::POST,
                p("/deal"),
                Some(json!({})),
                StatusCode::NOT_FOUND,
            ),
            (
                "peer",
                Method::POST,
                p("/deal"),
                Some(json!({})),
                StatusCode::NOT_FOUND,
            ),
            (
                "own",
                Method::POST,
                p("/deal"),
                Some(json!({})),
                StatusCode::CONFLICT,
            ),
            // Withdrawn is no longer public: its matches are its holders' only.
            (
                "far",
                Method::GET,
                p("/matches"),
                None,
                StatusCode::NOT_FOUND,
            ),
            ("own", Method::GET, p("/matches"), None, StatusCode::OK),
            ("city", Method::GET, p("/matches"), None, StatusCode::OK),
            (
                "far",
                Method::GET,
                p("/enterprises"),
                None,
                StatusCode::NOT_FOUND,
            ),
            ("own", Method::GET, p("/enterprises"), None, StatusCode::OK),
            ("city", Method::GET, p("/enterprises"), None, StatusCode::OK),
            (
                "exp",
                Method::GET,
                p("/enterprises"),
                None,
                StatusCode::FORBIDDEN,
            ),
            (
                "exp",
                Method::GET,
                p("/matches"),
                None,
                StatusCode::FORBIDDEN,
            ),
            (
                "exp",
                Method::GET,
                "/api/v1/demands/hall".into(),
                None,
                StatusCode::FORBIDDEN,
            ),
            (
                "exp",
                Method::GET,
                "/api/v1/demands/1/matches".into(),
                None,
                StatusCode::FORBIDDEN,
            ),
            (
                "far",
                Method::GET,
                "/api/v1/demands/hall".into(),
                None,
                StatusCode::OK,
            ),
        ];
        for (who, m, path, b, want) in cases {
            let (st, v, _) = call(&app, m.clone(), &path, &sess[who], b).await;
            assert_eq!(st, want, "{} {who} {m} {path}: {v}", db.name);
        }
        // Lists: own scope, and the hall (withdrawn is no longer public).
        for (who, mine) in [
            ("own", 1),
            ("city", 1),
            ("peer", 0),
            ("far", 0),
            ("county", 0),
        ] {
            let (st, v, _) =
                call(&app, Method::GET, "/api/v1/achievements", &sess[who], None).await;
            assert_eq!(st, StatusCode::OK);
            assert_eq!(ids(&v).len(), mine, "{} {who}", db.name);
            let (_, v, _) = call(
                &app,
                Method::GET,
                "/api/v1/achievements?hall=true",
                &sess[who],
                None,
            )
            .await;
            assert_eq!(ids(&v).len(), 0, "{} {who} hall", db.name);
        }
        let a = s.get_achievement(&DataScope::All, id).await.unwrap();
        assert_eq!(a.status, "withdrawn");
        assert_eq!(a.title, "矩阵成果");
        assert_eq!(
            db.store.audit_coverage().await.unwrap(),
            vec![],
            "{}",
            db.name
        );
        db.drop_db().await;
    }
}

/// 技术经纪人 and 对接活动: every endpoint × the region's bureau, another region's bureau, an
/// enterprise of the region (the broker's agency and another), a leader and an expert. The
/// bureau of the region reads and writes; the leader reads; an agency reads its own brokers;
/// everyone else sees nothing and changes nothing.
#[tokio::test]
async fn brokerage_endpoints_follow_scope_and_role() {
    for db in all().await {
        let s = &db.store;
        let sys = Caller::system("t");
        let agency = s
            .create_organization(&sys, &fixtures::org("419001", 71, "转移中心"))
            .await
            .unwrap();
        let other = s
            .create_organization(&sys, &fixtures::org("419001", 72, "同城企业"))
            .await
            .unwrap();
        let hash = auth::hash_password(PASSWORD).unwrap();
        let mk = |name: &str, kind: &str, region: &str, org: Option<i64>, role: &str| NewUser {
            username: name.into(),
            display_name: name.into(),
            password_hash: hash.clone(),
            scope_kind: kind.into(),
            region: RegionCode::parse(region).unwrap(),
            org_id: org,
            roles: vec![role.into()],
            must_change_password: false,
        };
        for u in [
            mk("city", "region", "419001", None, "officer"),
            mk("county", "region", "410883", None, "officer"),
            mk("lead", "region", "419001", None, "leader"),
            mk(
                "agency",
                "organization",
                "419001",
                Some(agency.id),
                "enterprise",
            ),
            mk(
                "other",
                "organization",
                "419001",
                Some(other.id),
                "enterprise",
            ),
            mk("exp", "self", "419001", None, "expert"),
        ] {
            s.create_user(&sys, &u).await.unwrap();
        }
        let app = app(s.clone(), Config::default());
        let mut sess = std::collections::BTreeMap::new();
        for who in ["city", "county", "lead", "agency", "other", "exp"] {
            sess.insert(who, login(&app, who).await);
        }
        let broker = json!({"name": "王立新", "certificate_no": "M-1", "level": "junior", "org_id": agency.id});
        let (st, b, _) = call(
            &app,
            Method::POST,
            "/api/v1/brokers",
            &sess["city"],
            Some(broker.clone()),
        )
        .await;
        assert_eq!(st, StatusCode::CREATED, "{b}");
        let bid = b["id"].as_i64().unwrap();
        let (st, d, _) = call(
            &app,
            Method::POST,
            "/api/v1/demands",
            &sess["other"],
            Some(json!({"org_id": other.id, "title": "矩阵需求", "description": "说明", "target": "指标", "budget": "100000", "area": "materials", "keywords": ["铅"]})),
        )
        .await;
        assert_eq!(st, StatusCode::CREATED, "{d}");
        let event = json!({"title": "矩阵活动", "kind": "roadshow", "held_on": "2026-01-05", "region": "419001",
            "demand_ids": [d["id"]], "broker_ids": [bid]});
        let (st, e, _) = call(
            &app,
            Method::POST,
            "/api/v1/events",
            &sess["city"],
            Some(event.clone()),
        )
        .await;
        assert_eq!(st, StatusCode::CREATED, "{e}");
        let eid = e["id"].as_i64().unwrap();
        let outcome = json!({"outcome": "intent", "intents": 1});
        let b_ = |tail: &str| format!("/api/v1/brokers{tail}");
        let e_ = |tail: &str| format!("/api/v1/events{tail}");
        let ok = StatusCode::OK;
        let nf = StatusCode::NOT_FOUND;
        let fb = StatusCode::FORBIDDEN;
        let cases: Vec<(&str, Method, String, Option<Value>, StatusCode)> = vec![
            ("city", Method::GET, b_(&format!("/{bid}")), None, ok),
            ("lead", Method::GET, b_(&format!("/{bid}")), None, ok),
            ("agency", Method::GET, b_(&format!("/{bid}")), None, ok),
            ("other", Method::GET, b_(&format!("/{bid}")), None, nf),
            ("county", Method::GET, b_(&format!("/{bid}")), None, nf),
            ("exp", Method::GET, b_(&format!("/{bid}")), None, fb),
            (
                "lead",
                Method::PUT,
                b_(&format!("/{bid}")),
                Some(broker.clone()),
                fb,
            ),
            (
                "agency",
                Method::PUT,
                b_(&format!("/{bid}")),
                Some(broker.clone()),
                fb,
            ),
            (
                "county",
                Method::PUT,
                b_(&format!("/{bid}")),
                Some(broker.clone()),
                fb,
            ),
            (
                "city",
                Method::PUT,
                b_(&format!("/{bid}")),
                Some(broker.clone()),
                ok,
            ),
            ("agency", Method::POST, b_(""), Some(broker.clone()), fb),
            ("exp", Method::GET, b_(""), None, fb),
            ("exp", Method::GET, b_("/export"), None, fb),
            ("city", Method::GET, e_(&format!("/{eid}")), None, ok),
            ("lead", Method::GET, e_(&format!("/{eid}")), None, ok),
            ("county", Method::GET, e_(&format!("/{eid}")), None, nf),
            ("agency", Method::GET, e_(&format!("/{eid}")), None, nf),
            ("exp", Method::GET, e_(&format!("/{eid}")), None, fb),
            (
                "lead",
                Method::PUT,
                e_(&format!("/{eid}")),
                Some(event.clone()),
                fb,
            ),
            (
                "county",
                Method::PUT,
                e_(&format!("/{eid}")),
                Some(event.clone()),
                fb,
            ),
            ("other", Method::POST, e_(""), Some(event.clone()), fb),
            (
                "county",
                Method::POST,
                e_(&format!("/{eid}/outcome")),
                Some(outcome.clone()),
                fb,
            ),
            (
                "lead",
                Method::POST,
                e_(&format!("/{eid}/outcome")),
                Some(outcome.clone()),
                fb,
            ),
            ("exp", Method::GET, e_(""), None, fb),
            (
                "exp",
                Method::GET,
                "/api/v1/brokerage/dicts".into(),
                None,
                fb,
            ),
            // 对接 suggestions for an open demand: every market reader, each in its own scope
            (
                "exp",
                Method::GET,
                format!("/api/v1/demands/{}/partners", d["id"]),
                None,
                fb,
            ),
            (
                "county",
                Method::GET,
                format!("/api/v1/demands/{}/partners", d["id"]),
                None,
                ok,
            ),
            (
                "agency",
                Method::GET,
                format!("/api/v1/demands/{}/partners", d["id"]),
                None,
                ok,
            ),
            (
                "city",
                Method::POST,
                e_(&format!("/{eid}/outcome")),
                Some(outcome.clone()),
                ok,
            ),
            (
                "city",
                Method::PUT,
                e_(&format!("/{eid}")),
                Some(event.clone()),
                ok,
            ),
        ];
        for (who, m, path, body, want) in cases {
            let (st, v, _) = call(&app, m.clone(), &path, &sess[who], body).await;
            if who == "county" && want == fb && st == nf {
                // out of scope reads as missing before the role is judged
                continue;
            }
            assert_eq!(st, want, "{} {who} {m} {path}: {v}", db.name);
        }
        // lists: what each account sees
        for (who, brokers, events) in [
            ("city", 1, 1),
            ("lead", 1, 1),
            ("agency", 1, 0),
            ("other", 0, 0),
            ("county", 0, 0),
        ] {
            let (_, l, _) = call(&app, Method::GET, &b_(""), &sess[who], None).await;
            assert_eq!(l["total"], brokers, "{who} brokers");
            let (_, l, _) = call(&app, Method::GET, &e_(""), &sess[who], None).await;
            assert_eq!(l["total"], events, "{who} events");
        }
        // nothing refused changed the records
        let after = s.get_event(&DataScope::All, eid).await.unwrap();
        assert_eq!(after.outcome, "intent");
        db.drop_db().await;
    }
}

#[tokio::test]
async fn funds_endpoints_follow_scope_and_role() {
    for db in all().await {
        let s = &db.store;
        let sys = Caller::system("t");
        let ent = s
            .create_organization(&sys, &fixtures::org("419001", 81, "资金企业"))
            .await
            .unwrap();
        let other = s
            .create_organization(&sys, &fixtures::org("419001", 82, "同城另一企业"))
            .await
            .unwrap();
        let mut bank = fixtures::org("419001", 83, "矩阵银行");
        bank.kind = kechuang_domain::organization::OrgKind::Financial;
        let bank = s.create_organization(&sys, &bank).await.unwrap();
        let hash = auth::hash_password(PASSWORD).unwrap();
        let mk = |name: &str, kind: &str, region: &str, org: Option<i64>, role: &str| NewUser {
            username: name.into(),
            display_name: name.into(),
            password_hash: hash.clone(),
            scope_kind: kind.into(),
            region: RegionCode::parse(region).unwrap(),
            org_id: org,
            roles: vec![role.into()],
            must_change_password: false,
        };
        for u in [
            mk("city", "region", "419001", None, "officer"),
            mk("county", "region", "410883", None, "officer"),
            mk("lead", "region", "419001", None, "leader"),
            mk("ent", "organization", "419001", Some(ent.id), "enterprise"),
            mk(
                "other",
                "organization",
                "419001",
                Some(other.id),
                "enterprise",
            ),
            mk("exp", "self", "419001", None, "expert"),
        ] {
            s.create_user(&sys, &u).await.unwrap();
        }
        let app = app(s.clone(), Config::default());
        let mut sess = std::collections::BTreeMap::new();
        for who in ["city", "county", "lead", "ent", "other", "exp"] {
            sess.insert(who, login(&app, who).await);
        }
        let prog = |code: &str, kind: &str, notice: i64| {
            json!({"code": code, "name": code, "kind": kind, "mode": "apply", "year": 2026, "region": "419001",
                "budget": "1000000", "fund_source": "市级", "basis": "文件", "notice_days": notice})
        };
        let (st, p, _) = call(
            &app,
            Method::POST,
            "/api/v1/funds/programmes",
            &sess["city"],
            Some(prog("M-1", "other", 0)),
        )
        .await;
        assert_eq!(st, StatusCode::CREATED, "{p}");
        let pid = p["id"].as_i64().unwrap();
        let (st, g, _) = call(&app, Method::POST, &format!("/api/v1/funds/programmes/{pid}/grants"), &sess["city"],
            Some(json!({"org_id": ent.id, "matter": "矩阵事项", "amount": "1000", "explanation": "评审通过"}))).await;
        assert_eq!(st, StatusCode::CREATED, "{g}");
        let gid = g["id"].as_i64().unwrap();
        let (st, r, _) = call(
            &app,
            Method::POST,
            &format!("/api/v1/funds/programmes/{pid}/approve"),
            &sess["city"],
            Some(json!({"ids": [gid]})),
        )
        .await;
        assert_eq!(
            (st, r["changed"].as_i64()),
            (StatusCode::OK, Some(1)),
            "{r}"
        );
        let pay = json!({"paid_on": "2026-01-05", "amount": "400", "document_no": "M-拨-1"});
        let (st, _, _) = call(
            &app,
            Method::POST,
            &format!("/api/v1/funds/grants/{gid}/payments"),
            &sess["city"],
            Some(pay.clone()),
        )
        .await;
        assert_eq!(st, StatusCode::CREATED);
        let (st, pool, _) = call(
            &app,
            Method::POST,
            "/api/v1/funds/programmes",
            &sess["city"],
            Some(prog("M-KJD", "compensation", 0)),
        )
        .await;
        assert_eq!(st, StatusCode::CREATED, "{pool}");
        let poolid = pool["id"].as_i64().unwrap();
        let loan = json!({"programme_id": poolid, "org_id": ent.id, "bank_org_id": bank.id, "contract_no": "L-1",
            "amount": "1000000", "rate": "3.65", "start_on": "2026-01-10", "end_on": "2027-01-09"});
        let (st, l, _) = call(
            &app,
            Method::POST,
            "/api/v1/funds/loans",
            &sess["city"],
            Some(loan.clone()),
        )
        .await;
        assert_eq!(st, StatusCode::CREATED, "{l}");
        let lid = l["id"].as_i64().unwrap();
        let ins = json!({"name": "仪器", "model": "M", "category": "分析仪器", "original_value": "600000",
            "host_org_id": ent.id, "location": "一楼", "fee_per_hour": "100", "rated_hours": 1000});
        let (st, i, _) = call(
            &app,
            Method::POST,
            "/api/v1/funds/instruments",
            &sess["ent"],
            Some(ins.clone()),
        )
        .await;
        assert_eq!(st, StatusCode::CREATED, "{i}");
        let iid = i["id"].as_i64().unwrap();

        let f = |tail: &str| format!("/api/v1/funds{tail}");
        let ok = StatusCode::OK;
        let nf = StatusCode::NOT_FOUND;
        let fb = StatusCode::FORBIDDEN;
        let cases: Vec<(&str, Method, String, Option<Value>, StatusCode)> = vec![
            (
                "city",
                Method::GET,
                f(&format!("/programmes/{pid}")),
                None,
                ok,
            ),
            (
                "lead",
                Method::GET,
                f(&format!("/programmes/{pid}")),
                None,
                ok,
            ),
            (
                "county",
                Method::GET,
                f(&format!("/programmes/{pid}")),
                None,
                nf,
            ),
            (
                "ent",
                Method::GET,
                f(&format!("/programmes/{pid}")),
                None,
                fb,
            ),
            ("exp", Method::GET, f("/programmes"), None, fb),
            (
                "lead",
                Method::POST,
                f("/programmes"),
                Some(prog("M-2", "other", 0)),
                fb,
            ),
            (
                "ent",
                Method::POST,
                f("/programmes"),
                Some(prog("M-2", "other", 0)),
                fb,
            ),
            (
                "county",
                Method::PUT,
                f(&format!("/programmes/{pid}")),
                Some(prog("M-1", "other", 0)),
                nf,
            ),
            (
                "lead",
                Method::POST,
                f(&format!("/programmes/{pid}/notice")),
                Some(json!({})),
                fb,
            ),
            (
                "ent",
                Method::POST,
                f(&format!("/programmes/{pid}/approve")),
                Some(json!({"ids": []})),
                fb,
            ),
            ("city", Method::GET, f(&format!("/grants/{gid}")), None, ok),
            ("lead", Method::GET, f(&format!("/grants/{gid}")), None, ok),
            ("ent", Method::GET, f(&format!("/grants/{gid}")), None, ok),
            ("other", Method::GET, f(&format!("/grants/{gid}")), None, nf),
            (
                "county",
                Method::GET,
                f(&format!("/grants/{gid}")),
                None,
                nf,
            ),
            ("exp", Method::GET, f(&format!("/grants/{gid}")), None, fb),
            (
                "lead",
                Method::POST,
                f(&format!("/grants/{gid}/payments")),
                Some(pay.clone()),
                fb,
            ),
            (
                "ent",
                Method::POST,
                f(&format!("/grants/{gid}/payments")),
                Some(pay.clone()),
                fb,
            ),
            (
                "county",
                Method::POST,
                f(&format!("/grants/{gid}/payments")),
                Some(pay.clone()),
                nf,
            ),
            (
                "ent",
                Method::POST,
                f(&format!("/grants/{gid}/refuse")),
                Some(json!({"reason": "x"})),
                fb,
            ),
            ("exp", Method::GET, f("/ledger"), None, fb),
            ("exp", Method::GET, f("/dicts"), None, fb),
            ("ent", Method::GET, f(&format!("/loans/{lid}")), None, ok),
            ("other", Method::GET, f(&format!("/loans/{lid}")), None, nf),
            ("ent", Method::GET, f(&format!("/pool/{poolid}")), None, fb),
            (
                "county",
                Method::GET,
                f(&format!("/pool/{poolid}")),
                None,
                nf,
            ),
            ("county", Method::GET, f(&format!("/loans/{lid}")), None, nf),
            ("lead", Method::POST, f("/loans"), Some(loan.clone()), fb),
            (
                "city",
                Method::POST,
                f("/vouchers/apply"),
                Some(json!({"programme_id": pid})),
                fb,
            ),
            (
                "lead",
                Method::POST,
                f(&format!("/instruments/{iid}/bookings")),
                Some(json!({})),
                fb,
            ),
            (
                "other",
                Method::PUT,
                f(&format!("/instruments/{iid}")),
                Some(ins.clone()),
                fb,
            ),
            (
                "county",
                Method::PUT,
                f(&format!("/instruments/{iid}")),
                Some(ins.clone()),
                nf,
            ),
            (
                "other",
                Method::GET,
                f(&format!("/instruments/{iid}")),
                None,
                ok,
            ),
            ("lead", Method::GET, f(&format!("/loans/{lid}")), None, ok),
        ];
        for (who, m, path, body, want) in cases {
            let (st, v, _) = call(&app, m.clone(), &path, &sess[who], body).await;
            if who == "county" && want == nf && st == fb {
                continue;
            }
            assert_eq!(st, want, "{} {who} {m} {path}: {v}", db.name);
        }
        // lists: what each account sees (ledger organizations, payments, grants, instruments)
        for (who, ledger, payments, grants, instruments) in [
            ("city", 1, 1, 1, 1),
            ("lead", 1, 1, 1, 1),
            ("ent", 1, 1, 1, 1),
            ("other", 0, 0, 0, 0),
            ("county", 0, 0, 0, 0),
        ] {
            for (path, n) in [
                (f("/ledger"), ledger),
                (f("/payments"), payments),
                (f("/grants"), grants),
                (f("/instruments"), instruments),
            ] {
                let (_, l, _) = call(&app, Method::GET, &path, &sess[who], None).await;
                assert_eq!(l["total"], n, "{} {who} {path}: {l}", db.name);
            }
        }
        // nothing refused changed the records
        let g = s.get_grant(&DataScope::All, gid).await.unwrap();
        assert_eq!((g.paid_fen, g.status.as_str()), (40_000, "approved"));
        db.drop_db().await;
    }
}

/// 人才与特派员: seven accounts over commissioners, dispatches, logs, assessments, talent
/// applications, talents, teams, demands and the library; refused writes change nothing.
#[tokio::test]
async fn people_endpoints_follow_scope_and_role() {
    for db in all().await {
        let s = &db.store;
        let sys = Caller::system("t");
        let sender = s
            .create_organization(&sys, &fixtures::org("419001", 84, "派出单位"))
            .await
            .unwrap();
        let ent = s
            .create_organization(&sys, &fixtures::org("419001", 85, "受援企业"))
            .await
            .unwrap();
        let other = s
            .create_organization(&sys, &fixtures::org("419001", 86, "同城另一企业"))
            .await
            .unwrap();
        let hash = auth::hash_password(PASSWORD).unwrap();
        let mk = |name: &str, kind: &str, region: &str, org: Option<i64>, role: &str| NewUser {
            username: name.into(),
            display_name: name.into(),
            password_hash: hash.clone(),
            scope_kind: kind.into(),
            region: RegionCode::parse(region).unwrap(),
            org_id: org,
            roles: vec![role.into()],
            must_change_password: false,
        };
        let mut ids = std::collections::BTreeMap::new();
        for u in [
            mk("city", "region", "419001", None, "officer"),
            mk("county", "region", "410883", None, "officer"),
            mk("lead", "region", "419001", None, "leader"),
            mk("ent", "organization", "419001", Some(ent.id), "enterprise"),
            mk(
                "other",
                "organization",
                "419001",
                Some(other.id),
                "enterprise",
            ),
            mk("exp", "self", "419001", None, "expert"),
            mk("tepai", "self", "419001", None, "commissioner"),
            mk("tepai2", "self", "419001", None, "commissioner"),
        ] {
            let created = s.create_user(&sys, &u).await.unwrap();
            ids.insert(u.username.clone(), created.id);
        }
        let mut p = fixtures::expert(sender.id, "特派员甲");
        p.is_expert = false;
        let p1 = s
            .create_person(&sys, &p, b"k", Some(ids["tepai"]))
            .await
            .unwrap();
        let mut p = fixtures::expert(ent.id, "企业人才");
        p.is_expert = false;
        let staff = s.create_person(&sys, &p, b"k", None).await.unwrap();
        let app = app(s.clone(), Config::default());
        let mut sess = std::collections::BTreeMap::new();
        for who in [
            "city", "county", "lead", "ent", "other", "exp", "tepai", "tepai2",
        ] {
            sess.insert(who, login(&app, who).await);
        }
        let comm = json!({"kind": "individual", "person_id": p1.id, "org_id": sender.id, "funding": "省资助",
            "field": "果树学", "year": 2025, "term_from": "2025-01-01", "term_to": "2026-12-31"});
        let (st, c, _) = call(
            &app,
            Method::POST,
            "/api/v1/people/commissioners",
            &sess["city"],
            Some(comm.clone()),
        )
        .await;
        assert_eq!(st, StatusCode::CREATED, "{c}");
        let cid = c["id"].as_i64().unwrap();
        let disp = json!({"commissioner_id": cid, "target_kind": "enterprise", "county": "419001", "place": "轵城镇",
            "target_org_id": ent.id, "starts_on": "2025-01-01", "ends_on": "2026-12-31", "tasks": "技术指导"});
        let (st, d, _) = call(
            &app,
            Method::POST,
            "/api/v1/people/dispatches",
            &sess["city"],
            Some(disp.clone()),
        )
        .await;
        assert_eq!(st, StatusCode::CREATED, "{d}");
        let did = d["id"].as_i64().unwrap();
        let log = json!({"dispatch_id": did, "served_on": "2025-05-06", "kind": "guidance", "days": "1",
            "people": 5, "households": 0, "place": "车间", "content": "工艺指导"});
        let (st, l, _) = call(
            &app,
            Method::POST,
            "/api/v1/people/logs",
            &sess["tepai"],
            Some(log.clone()),
        )
        .await;
        assert_eq!(st, StatusCode::CREATED, "{l}");
        let lid = l["id"].as_i64().unwrap();
        let (st, r, _) = call(
            &app,
            Method::POST,
            "/api/v1/people/assessments/run",
            &sess["city"],
            Some(json!({"year": 2025})),
        )
        .await;
        assert_eq!(st, StatusCode::OK, "{r}");
        let (_, al, _) = call(
            &app,
            Method::GET,
            "/api/v1/people/assessments",
            &sess["city"],
            None,
        )
        .await;
        let aid = al["items"][0]["id"].as_i64().unwrap();
        let tapp = json!({"person_id": staff.id, "org_id": ent.id, "year": 2026, "claimed_tier": "d",
            "birth_date": "1990-01-01", "education": "doctorate", "honours": ["senior_title"], "evidence": "证书",
            "full_time": true, "phone": "13800000000", "salary": "100000"});
        let (st, a, _) = call(
            &app,
            Method::POST,
            "/api/v1/people/talent-applications",
            &sess["ent"],
            Some(tapp.clone()),
        )
        .await;
        assert_eq!(st, StatusCode::CREATED, "{a}");
        let aid2 = a["id"].as_i64().unwrap();
        let dem = json!({"title": "工程师", "field": "材料", "keywords": [], "count": 1, "description": "招聘",
            "deadline": (kechuang_server::api::today() + chrono::Duration::days(10)).to_string()});
        let (st, dm, _) = call(
            &app,
            Method::POST,
            "/api/v1/people/demands",
            &sess["ent"],
            Some(dem.clone()),
        )
        .await;
        assert_eq!(st, StatusCode::CREATED, "{dm}");
        let dmid = dm["id"].as_i64().unwrap();

        let f = |tail: &str| format!("/api/v1/people{tail}");
        let (ok, nf, fb) = (StatusCode::OK, StatusCode::NOT_FOUND, StatusCode::FORBIDDEN);
        let cases: Vec<(&str, Method, String, Option<Value>, StatusCode)> = vec![
            (
                "city",
                Method::GET,
                f(&format!("/commissioners/{cid}")),
                None,
                ok,
            ),
            (
                "lead",
                Method::GET,
                f(&format!("/commissioners/{cid}")),
                None,
                ok,
            ),
            (
                "tepai",
                Method::GET,
                f(&format!("/commissioners/{cid}")),
                None,
                ok,
            ),
            (
                "tepai2",
                Method::GET,
                f(&format!("/commissioners/{cid}")),
                None,
                nf,
            ),
            (
                "county",
                Method::GET,
                f(&format!("/commissioners/{cid}")),
                None,
                nf,
            ),
            (
                "other",
                Method::GET,
                f(&format!("/commissioners/{cid}")),
                None,
                nf,
            ),
            (
                "exp",
                Method::GET,
                f(&format!("/commissioners/{cid}")),
                None,
                fb,
            ),
            (
                "lead",
                Method::POST,
                f("/commissioners"),
                Some(comm.clone()),
                fb,
            ),
            (
                "tepai",
                Method::POST,
                f("/commissioners"),
                Some(comm.clone()),
                fb,
            ),
            (
                "county",
                Method::PUT,
                f(&format!("/commissioners/{cid}")),
                Some(comm.clone()),
                nf,
            ),
            (
                "tepai",
                Method::POST,
                f(&format!("/commissioners/{cid}/status")),
                Some(json!({"status": "revoked"})),
                fb,
            ),
            (
                "ent",
                Method::GET,
                f(&format!("/dispatches/{did}")),
                None,
                ok,
            ),
            (
                "other",
                Method::GET,
                f(&format!("/dispatches/{did}")),
                None,
                nf,
            ),
            (
                "tepai2",
                Method::GET,
                f(&format!("/dispatches/{did}")),
                None,
                nf,
            ),
            (
                "lead",
                Method::POST,
                f("/dispatches"),
                Some(disp.clone()),
                fb,
            ),
            (
                "ent",
                Method::POST,
                f("/dispatches"),
                Some(disp.clone()),
                fb,
            ),
            (
                "other",
                Method::POST,
                f(&format!("/dispatches/{did}/rating")),
                Some(json!({"year": 2025, "score": 1})),
                nf,
            ),
            (
                "tepai",
                Method::POST,
                f(&format!("/dispatches/{did}/rating")),
                Some(json!({"year": 2025, "score": 5})),
                fb,
            ),
            (
                "tepai2",
                Method::POST,
                f("/logs"),
                Some(log.clone()),
                StatusCode::UNPROCESSABLE_ENTITY,
            ),
            ("ent", Method::POST, f("/logs"), Some(log.clone()), fb),
            ("lead", Method::POST, f("/logs"), Some(log.clone()), fb),
            ("ent", Method::GET, f(&format!("/logs/{lid}")), None, ok),
            ("other", Method::GET, f(&format!("/logs/{lid}")), None, nf),
            (
                "tepai2",
                Method::DELETE,
                f(&format!("/logs/{lid}")),
                None,
                nf,
            ),
            (
                "other",
                Method::POST,
                f(&format!("/logs/{lid}/confirm")),
                None,
                nf,
            ),
            (
                "tepai",
                Method::POST,
                f(&format!("/logs/{lid}/confirm")),
                None,
                fb,
            ),
            (
                "lead",
                Method::POST,
                f(&format!("/logs/{lid}/confirm")),
                None,
                fb,
            ),
            (
                "lead",
                Method::POST,
                f("/assessments/run"),
                Some(json!({"year": 2025})),
                fb,
            ),
            (
                "tepai",
                Method::POST,
                f("/assessments/run"),
                Some(json!({"year": 2025})),
                fb,
            ),
            (
                "tepai",
                Method::GET,
                f(&format!("/assessments/{aid}")),
                None,
                ok,
            ),
            (
                "tepai2",
                Method::GET,
                f(&format!("/assessments/{aid}")),
                None,
                nf,
            ),
            (
                "county",
                Method::GET,
                f(&format!("/assessments/{aid}")),
                None,
                nf,
            ),
            ("lead", Method::GET, f("/dispatch-map"), None, ok),
            ("ent", Method::GET, f("/dispatch-map"), None, fb),
            ("ent", Method::GET, f("/library"), None, fb),
            ("exp", Method::GET, f("/library"), None, fb),
            (
                "city",
                Method::GET,
                f(&format!("/talent-applications/{aid2}")),
                None,
                ok,
            ),
            (
                "other",
                Method::GET,
                f(&format!("/talent-applications/{aid2}")),
                None,
                nf,
            ),
            (
                "county",
                Method::GET,
                f(&format!("/talent-applications/{aid2}")),
                None,
                nf,
            ),
            (
                "tepai",
                Method::GET,
                f(&format!("/talent-applications/{aid2}")),
                None,
                nf,
            ),
            (
                "other",
                Method::PUT,
                f(&format!("/talent-applications/{aid2}")),
                Some(tapp.clone()),
                nf,
            ),
            (
                "other",
                Method::POST,
                f(&format!("/talent-applications/{aid2}/submit")),
                None,
                nf,
            ),
            (
                "lead",
                Method::POST,
                f(&format!("/talent-applications/{aid2}/submit")),
                None,
                fb,
            ),
            (
                "ent",
                Method::POST,
                f(&format!("/talent-applications/{aid2}/decide")),
                Some(json!({"recognize": true})),
                fb,
            ),
            (
                "ent",
                Method::POST,
                f("/talent-applications/review"),
                Some(
                    json!({"application_ids": [aid2], "round": {"title": "评审", "object_kind": "other", "reviewers_per_item": 1, "max_load": 1, "form": []}}),
                ),
                fb,
            ),
            ("lead", Method::POST, f("/teams"), Some(json!({})), fb),
            ("ent", Method::POST, f("/teams"), Some(json!({})), fb),
            (
                "other",
                Method::GET,
                f(&format!("/demands/{dmid}")),
                None,
                nf,
            ),
            (
                "city",
                Method::GET,
                f(&format!("/demands/{dmid}/matches")),
                None,
                ok,
            ),
            (
                "other",
                Method::POST,
                f(&format!("/demands/{dmid}/close")),
                None,
                nf,
            ),
            ("exp", Method::GET, f("/dicts"), None, fb),
            ("tepai", Method::GET, f("/dicts"), None, ok),
            (
                "lead",
                Method::POST,
                f(&format!("/dispatches/{did}/status")),
                Some(json!({"status": "ended"})),
                fb,
            ),
            (
                "county",
                Method::POST,
                f(&format!("/dispatches/{did}/status")),
                Some(json!({"status": "ended"})),
                nf,
            ),
            (
                "other",
                Method::GET,
                f(&format!("/logs/{lid}/evidence/1")),
                None,
                nf,
            ),
            ("exp", Method::GET, f("/logs/export"), None, fb),
            ("tepai", Method::GET, f("/commissioners/export"), None, fb),
            ("ent", Method::POST, f("/talents/1/revoke"), None, fb),
            (
                "lead",
                Method::POST,
                f("/stations/1/experts"),
                Some(json!({})),
                fb,
            ),
            ("ent", Method::GET, f("/station-experts"), None, ok),
            ("exp", Method::GET, f("/teams"), None, fb),
            ("exp", Method::GET, f("/talents"), None, fb),
        ];
        for (who, m, path, body, want) in cases {
            let (st, v, _) = call(&app, m.clone(), &path, &sess[who], body).await;
            if who == "county" && want == nf && st == fb {
                continue;
            }
            assert_eq!(st, want, "{} {who} {m} {path}: {v}", db.name);
        }
        // lists: what each account sees
        for (who, commissioners, dispatches, logs, apps, demands) in [
            ("city", 1, 1, 1, 1, 1),
            ("lead", 1, 1, 1, 1, 1),
            ("tepai", 1, 1, 1, 0, 0),
            ("tepai2", 0, 0, 0, 0, 0),
            ("ent", 0, 1, 1, 1, 1),
            ("other", 0, 0, 0, 0, 0),
            ("county", 0, 0, 0, 0, 0),
        ] {
            for (path, n) in [
                (f("/commissioners"), commissioners),
                (f("/dispatches"), dispatches),
                (f("/logs"), logs),
                (f("/talent-applications"), apps),
                (f("/demands"), demands),
            ] {
                let (_, l, _) = call(&app, Method::GET, &path, &sess[who], None).await;
                assert_eq!(l["total"], n, "{} {who} {path}: {l}", db.name);
            }
        }
        // nothing refused changed the records
        let l = s.get_log(&DataScope::All, lid).await.unwrap();
        assert!(l.confirmed_on.is_none());
        let c = s.get_commissioner(&DataScope::All, cid).await.unwrap();
        assert_eq!(c.status, "active");
        let a = s
            .get_talent_application(&DataScope::All, aid2)
            .await
            .unwrap();
        assert_eq!(a.status, "draft");
        assert!(s.audit_coverage().await.unwrap().is_empty());
        db.drop_db().await;
    }
}

#[tokio::test]
async fn platform_and_award_endpoints_follow_scope_and_role() {
    for db in all().await {
        let s = &db.store;
        let sys = Caller::system("t");
        let ent = s
            .create_organization(&sys, &fixtures::org("419001", 87, "平台依托企业"))
            .await
            .unwrap();
        let other = s
            .create_organization(&sys, &fixtures::org("419001", 88, "同城另一企业"))
            .await
            .unwrap();
        let hash = auth::hash_password(PASSWORD).unwrap();
        let mk = |name: &str, kind: &str, region: &str, org: Option<i64>, role: &str| NewUser {
            username: name.into(),
            display_name: name.into(),
            password_hash: hash.clone(),
            scope_kind: kind.into(),
            region: RegionCode::parse(region).unwrap(),
            org_id: org,
            roles: vec![role.into()],
            must_change_password: false,
        };
        for u in [
            mk("city", "region", "419001", None, "officer"),
            mk("county", "region", "410883", None, "officer"),
            mk("lead", "region", "419001", None, "leader"),
            mk("ent", "organization", "419001", Some(ent.id), "enterprise"),
            mk(
                "other",
                "organization",
                "419001",
                Some(other.id),
                "enterprise",
            ),
            mk("exp", "self", "419001", None, "expert"),
        ] {
            s.create_user(&sys, &u).await.unwrap();
        }
        let mut p = fixtures::expert(ent.id, "完成人");
        p.is_expert = false;
        let staff = s.create_person(&sys, &p, b"k", None).await.unwrap();
        let app = app(s.clone(), Config::default());
        let mut sess = std::collections::BTreeMap::new();
        for who in ["city", "county", "lead", "ent", "other", "exp"] {
            sess.insert(who, login(&app, who).await);
        }
        let post = |who: &'static str, path: String, body: Value| {
            let app = app.clone();
            let se = sess[who].clone();
            async move {
                let (st, v, _) = call(&app, Method::POST, &path, &se, Some(body)).await;
                assert_eq!(st, StatusCode::CREATED, "{path}: {v}");
                v["id"].as_i64().unwrap()
            }
        };
        let plat = |name: &str, t: &str, host: i64| {
            json!({"name": name, "platform_type": t, "level": "市级",
            "host_org_id": host, "recognized_on": "2021-05-01", "approval_document": "济科〔2021〕1号"})
        };
        let pid = post(
            "city",
            "/api/v1/platforms".into(),
            plat("平台甲", "工程技术研究中心", ent.id),
        )
        .await;
        let cid = post(
            "city",
            "/api/v1/platforms".into(),
            plat("载体甲", "众创空间", ent.id),
        )
        .await;
        let rep = json!({"platform_id": pid, "year": 2025, "staff": 10, "senior_staff": 2, "rd_staff": 5,
            "rd_spending": "100000", "area": "100", "summary": "总结"});
        let rid = post("ent", "/api/v1/platform-reports".into(), rep.clone()).await;
        let recid = post(
            "ent",
            "/api/v1/platform-recognitions".into(),
            json!({"platform_id": pid, "level": "省级", "summary": "申请升级"}),
        )
        .await;
        let poolid = post(
            "city",
            "/api/v1/platform-pool".into(),
            json!({"platform_id": pid}),
        )
        .await;
        let mut young = fixtures::org("419001", 89, "在孵企业");
        young.founded_on = chrono::NaiveDate::from_ymd_opt(2025, 1, 1);
        let young = s.create_organization(&sys, &young).await.unwrap();
        let iid = post(
            "ent",
            format!("/api/v1/platforms/{cid}/incubatees"),
            json!({"org_id": young.id, "entered_on": "2025-03-01"}),
        )
        .await;
        let until = (kechuang_server::api::today() + chrono::Duration::days(30)).to_string();
        let callid = post(
            "city",
            "/api/v1/awards/calls".into(),
            json!({"year": 2026, "title": "科学技术奖", "nominate_until": until}),
        )
        .await;
        let nom = json!({"call_id": callid, "category": "progress", "title": "项目甲", "org_id": ent.id,
            "team": [staff.id], "summary": "简介"});
        let nid = post("ent", "/api/v1/awards/nominations".into(), nom.clone()).await;
        post(
            "city",
            "/api/v1/awards/wins".into(),
            json!({"org_id": ent.id, "level": "provincial", "award_name": "河南省科学技术进步奖", "grade": "二等奖",
                "year": 2025, "prize": "50000", "document": "豫政〔2025〕1号"}),
        )
        .await;

        let (ok, nf, fb) = (StatusCode::OK, StatusCode::NOT_FOUND, StatusCode::FORBIDDEN);
        let decide = json!({"recognize": true, "document": "豫科〔2026〕1号", "recognized_on": "2026-01-01"});
        let cases: Vec<(&str, Method, String, Option<Value>, StatusCode)> = vec![
            (
                "exp",
                Method::GET,
                "/api/v1/platform-recognitions".into(),
                None,
                fb,
            ),
            (
                "lead",
                Method::POST,
                "/api/v1/platform-recognitions".into(),
                Some(json!({"platform_id": pid, "level": "省级", "summary": "x"})),
                fb,
            ),
            (
                "other",
                Method::POST,
                "/api/v1/platform-recognitions".into(),
                Some(json!({"platform_id": pid, "level": "省级", "summary": "x"})),
                nf,
            ),
            (
                "ent",
                Method::POST,
                format!("/api/v1/platform-recognitions/{recid}/decide"),
                Some(decide.clone()),
                fb,
            ),
            (
                "county",
                Method::POST,
                format!("/api/v1/platform-recognitions/{recid}/decide"),
                Some(decide.clone()),
                nf,
            ),
            (
                "other",
                Method::GET,
                format!("/api/v1/platforms/{pid}/recognitions"),
                None,
                nf,
            ),
            (
                "other",
                Method::GET,
                format!("/api/v1/platform-reports/{rid}"),
                None,
                nf,
            ),
            (
                "county",
                Method::GET,
                format!("/api/v1/platform-reports/{rid}"),
                None,
                nf,
            ),
            (
                "lead",
                Method::GET,
                format!("/api/v1/platform-reports/{rid}"),
                None,
                ok,
            ),
            (
                "other",
                Method::PUT,
                format!("/api/v1/platform-reports/{rid}"),
                Some(rep.clone()),
                nf,
            ),
            (
                "other",
                Method::POST,
                format!("/api/v1/platform-reports/{rid}/submit"),
                None,
                nf,
            ),
            (
                "lead",
                Method::POST,
                "/api/v1/platform-reports".into(),
                Some(rep.clone()),
                fb,
            ),
            (
                "other",
                Method::GET,
                format!("/api/v1/platforms/{pid}/reports"),
                None,
                nf,
            ),
            (
                "ent",
                Method::POST,
                "/api/v1/platform-evaluations".into(),
                Some(json!({"year": 2025, "report_ids": [rid]})),
                fb,
            ),
            (
                "lead",
                Method::POST,
                "/api/v1/platform-evaluations/1/grade".into(),
                None,
                fb,
            ),
            (
                "ent",
                Method::GET,
                "/api/v1/review/assignments/1/platform-report".into(),
                None,
                fb,
            ),
            (
                "exp",
                Method::GET,
                "/api/v1/review/assignments/999999/platform-report".into(),
                None,
                nf,
            ),
            (
                "other",
                Method::GET,
                format!("/api/v1/platforms/{pid}/upgrade"),
                None,
                nf,
            ),
            (
                "county",
                Method::GET,
                format!("/api/v1/platforms/{pid}/upgrade"),
                None,
                nf,
            ),
            (
                "ent",
                Method::POST,
                "/api/v1/platform-pool".into(),
                Some(json!({"platform_id": pid})),
                fb,
            ),
            (
                "county",
                Method::POST,
                format!("/api/v1/platform-pool/{poolid}/exit"),
                Some(json!({"reason": "x"})),
                nf,
            ),
            (
                "ent",
                Method::POST,
                format!("/api/v1/platform-pool/{poolid}/exit"),
                Some(json!({"reason": "x"})),
                fb,
            ),
            (
                "other",
                Method::POST,
                format!("/api/v1/platforms/{cid}/incubatees"),
                Some(json!({"org_id": other.id, "entered_on": "2025-03-01"})),
                nf,
            ),
            (
                "lead",
                Method::POST,
                format!("/api/v1/platforms/{cid}/incubatees"),
                Some(json!({"org_id": other.id, "entered_on": "2025-03-01"})),
                fb,
            ),
            (
                "other",
                Method::POST,
                format!("/api/v1/incubatees/{iid}/graduate"),
                Some(json!({"on": "2026-01-01", "criterion": "hnte"})),
                nf,
            ),
            ("exp", Method::GET, "/api/v1/incubatees".into(), None, fb),
            ("exp", Method::GET, "/api/v1/awards/calls".into(), None, ok),
            (
                "other",
                Method::GET,
                format!("/api/v1/awards/calls/{callid}"),
                None,
                ok,
            ),
            (
                "lead",
                Method::POST,
                "/api/v1/awards/calls".into(),
                Some(json!({"year": 2026, "title": "x", "nominate_until": "2026-12-31"})),
                fb,
            ),
            (
                "ent",
                Method::POST,
                "/api/v1/awards/calls".into(),
                Some(json!({"year": 2026, "title": "x", "nominate_until": "2026-12-31"})),
                fb,
            ),
            (
                "other",
                Method::GET,
                format!("/api/v1/awards/nominations/{nid}"),
                None,
                nf,
            ),
            (
                "county",
                Method::GET,
                format!("/api/v1/awards/nominations/{nid}"),
                None,
                nf,
            ),
            (
                "exp",
                Method::GET,
                format!("/api/v1/awards/nominations/{nid}"),
                None,
                nf,
            ),
            (
                "other",
                Method::PUT,
                format!("/api/v1/awards/nominations/{nid}"),
                Some(nom.clone()),
                nf,
            ),
            (
                "other",
                Method::POST,
                format!("/api/v1/awards/nominations/{nid}/submit"),
                None,
                nf,
            ),
            (
                "lead",
                Method::POST,
                "/api/v1/awards/nominations".into(),
                Some(nom.clone()),
                fb,
            ),
            (
                "ent",
                Method::POST,
                format!("/api/v1/awards/nominations/{nid}/check"),
                Some(json!({"pass": true})),
                fb,
            ),
            (
                "ent",
                Method::POST,
                format!("/api/v1/awards/calls/{callid}/review"),
                Some(json!({})),
                fb,
            ),
            (
                "ent",
                Method::POST,
                format!("/api/v1/awards/calls/{callid}/panel"),
                None,
                fb,
            ),
            (
                "ent",
                Method::POST,
                format!("/api/v1/awards/calls/{callid}/confer"),
                None,
                fb,
            ),
            (
                "ent",
                Method::POST,
                "/api/v1/awards/objections/1/resolve".into(),
                Some(json!({"upheld": true, "resolution": "x"})),
                fb,
            ),
            (
                "ent",
                Method::GET,
                "/api/v1/review/assignments/1/nomination".into(),
                None,
                fb,
            ),
            (
                "exp",
                Method::POST,
                "/api/v1/awards/wins".into(),
                Some(json!({})),
                fb,
            ),
            (
                "lead",
                Method::GET,
                "/api/v1/awards/notice".into(),
                None,
                ok,
            ),
        ];
        for (who, m, path, body, want) in cases {
            let (st, v, _) = call(&app, m.clone(), &path, &sess[who], body).await;
            if who == "county" && want == nf && st == fb {
                continue;
            }
            assert_eq!(st, want, "{} {who} {m} {path}: {v}", db.name);
        }
        for (who, reports, recognitions, pool, incubatees, nominations, wins) in [
            ("city", 1, 3, 1, 1, 1, 1),
            ("lead", 1, 3, 1, 1, 1, 1),
            ("ent", 1, 3, 1, 1, 1, 1),
            ("other", 0, 0, 0, 0, 0, 0),
            ("county", 0, 0, 0, 0, 0, 0),
        ] {
            for (path, n) in [
                ("/api/v1/platform-reports", reports),
                ("/api/v1/platform-recognitions", recognitions),
                ("/api/v1/platform-pool", pool),
                ("/api/v1/incubatees", incubatees),
                ("/api/v1/awards/nominations", nominations),
                ("/api/v1/awards/wins", wins),
            ] {
                let (_, l, _) = call(&app, Method::GET, path, &sess[who], None).await;
                assert_eq!(l["total"], n, "{} {who} {path}: {l}", db.name);
            }
        }
        // a call is a notice for its region and the regions above and below it
        for (who, n) in [("city", 1), ("ent", 1), ("exp", 1), ("county", 0)] {
            let (_, l, _) = call(&app, Method::GET, "/api/v1/awards/calls", &sess[who], None).await;
            assert_eq!(l["total"], n, "{} {who} calls: {l}", db.name);
        }
        // nothing refused changed the records
        let r = s.get_platform_report(&DataScope::All, rid).await.unwrap();
        assert_eq!(r.status, "draft");
        let n = s.get_nomination(&DataScope::All, nid).await.unwrap();
        assert_eq!(n.status, "draft");
        let p = s.get_platform(&DataScope::All, pid).await.unwrap();
        assert_eq!(p.level, "city");
        assert!(s.audit_coverage().await.unwrap().is_empty());
        db.drop_db().await;
    }
}
