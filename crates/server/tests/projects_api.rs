//! Science-plan projects over HTTP, on both backends: a 揭榜挂帅 call with a rules-engine
//! eligibility condition, an enterprise's application refused for each reason a real bureau
//! refuses one (no pledge, not eligible, sanctioned leader, leader over the limit, call
//! closed), then moved through formal check, review, panel, approval (blocked without the
//! ethics registration), contract, execution and acceptance; illegal moves are refused with
//! what is allowed, and every move is recorded with its actor and reason.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use axum::http::StatusCode;
use common::{login, req, send, upload, user};
use kechuang_domain::enterprise_year::Figures;
use kechuang_server::{Config, app};
use kechuang_store::Caller;
use kechuang_store::rule_results::NewRuleResult;
use kechuang_testkit::{all, fixtures};
use serde_json::{Value, json};

/// A person (an expert) of organization `org`; returns the id.
async fn person(s: &kechuang_store::Store, org: i64, name: &str) -> i64 {
    s.create_person(
        &Caller::system("t"),
        &fixtures::expert(org, name),
        b"k",
        None,
    )
    .await
    .unwrap()
    .id
}

/// The officer `city` (济源) and the enterprise account `qiye` of organization `org`.
async fn city_and_qiye(s: &kechuang_store::Store, org: i64) {
    user(s, "city", "region", "419001", None, "officer").await;
    user(s, "qiye", "organization", "419001", Some(org), "enterprise").await;
}

#[tokio::test]
async fn a_challenge_call_from_application_to_closure() {
    for db in all().await {
        let s = &db.store;
        let sys = Caller::system("t");
        let ent = s
            .create_organization(&sys, &fixtures::org("419001", 31, "豫光科技"))
            .await
            .unwrap();
        let leader = person(s, ent.id, "负责人甲").await;
        let member = person(s, ent.id, "成员乙").await;
        s.put_enterprise_year(&sys, ent.id, 2025, &Figures::default())
            .await
            .unwrap();
        city_and_qiye(s, ent.id).await;
        let app = app(s.clone(), Config::default());
        let city = login(&app, "city").await;
        let qiye = login(&app, "qiye").await;
        let today = kechuang_server::api::today();
        let (open, close) = (
            (today - chrono::Duration::days(10)).to_string(),
            (today + chrono::Duration::days(10)).to_string(),
        );

        // 企业出题: the enterprise posts a demand; the bureau turns it into this call (below).
        let (st, demand) = send(&app, req("POST", "/api/v1/demands", &qiye, Some(json!({
            "org_id": ent.id, "title": "铅冶炼烟气深度治理", "description": "现有脱硫工艺排放偏高",
            "target": "二氧化硫排放浓度≤35mg/m³", "budget": "800000"
        })))).await;
        assert_eq!(st, StatusCode::CREATED, "{demand}");
        let (st, _) = send(
            &app,
            req(
                "POST",
                "/api/v1/demands",
                &city,
                Some(json!({
                    "org_id": ent.id, "title": "x", "description": "x", "target": "x"
                })),
            ),
        )
        .await;
        assert_eq!(st, StatusCode::FORBIDDEN, "only applicants post demands");
        // 揭榜挂帅 without a posted target is refused; with one it is created.
        let mut call = json!({
            "title": "铅冶炼烟气深度治理揭榜挂帅", "category": "重大科技专项", "mode": "揭榜挂帅",
            "budget": "5000000", "opens_on": open, "closes_on": close,
            "eligibility": {"pack": "hnte", "description": "须为有效高新技术企业"},
            "challenge_reward": "2000000", "max_active_per_leader": 1
        });
        let (st, r) = send(
            &app,
            req("POST", "/api/v1/calls", &city, Some(call.clone())),
        )
        .await;
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{r}");
        assert_eq!(r["fields"][0]["code"], "challenge_target.required");
        call["challenge_target"] = json!("二氧化硫排放浓度≤35mg/m³，连续运行720小时");
        let (st, c) = send(
            &app,
            req(
                "POST",
                &format!("/api/v1/demands/{}/adopt", demand["id"]),
                &city,
                Some(call.clone()),
            ),
        )
        .await;
        assert_eq!(st, StatusCode::CREATED, "{c}");
        let (_, ds) = send(&app, req("GET", "/api/v1/demands", &city, None)).await;
        let ds = &ds["items"];
        assert_eq!(
            (ds[0]["status"].as_str(), ds[0]["call_id"].as_i64()),
            (Some("adopted"), c["id"].as_i64())
        );
        let (st, r) = send(
            &app,
            req(
                "POST",
                &format!("/api/v1/demands/{}/adopt", demand["id"]),
                &city,
                Some(call.clone()),
            ),
        )
        .await;
        assert_eq!(
            (st, r["code"].as_str()),
            (StatusCode::CONFLICT, Some("demand.adopted")),
            "{r}"
        );
        let call_id = c["id"].as_i64().unwrap();
        // The enterprise sees the city's call.
        let (_, calls) = send(&app, req("GET", "/api/v1/calls", &qiye, None)).await;
        assert_eq!(calls["items"][0]["id"], call_id, "{calls}");
        assert_eq!(calls["total"], 1, "{calls}");

        let body = |pledge: bool| {
            json!({
                "call_id": call_id, "title": "铅冶炼烟气二氧化硫深度治理技术", "org_id": ent.id,
                "leader_id": leader, "team": [member], "lump_sum": true,
                "budget": [{"item": "包干经费", "amount": "1500000"}],
                "milestones": [{"title": "中试", "due_on": "2027-06-30", "target": "排放≤50mg/m³"}],
                "integrity_pledge": pledge, "ethics_required": true
            })
        };
        let (st, a) = send(
            &app,
            req("POST", "/api/v1/applications", &qiye, Some(body(false))),
        )
        .await;
        assert_eq!(st, StatusCode::CREATED, "{a}");
        let id = a["id"].as_i64().unwrap();
        assert_eq!(
            (a["status"].as_str(), a["budget_total"].as_str()),
            (Some("draft"), Some("1500000"))
        );
        let act = |who: &(String, String), action: &str, reason: Option<&str>| {
            req(
                "POST",
                &format!("/api/v1/applications/{id}/transition"),
                who,
                Some(json!({"action": action, "reason": reason})),
            )
        };
        let code = |r: &Value| r["code"].as_str().unwrap_or_default().to_owned();

        // Refusals at submission, each with its reason.
        let (st, r) = send(&app, act(&qiye, "submit", None)).await;
        assert_eq!(
            (st, code(&r)),
            (
                StatusCode::UNPROCESSABLE_ENTITY,
                "application.incomplete".into()
            ),
            "{r}"
        );
        assert_eq!(r["fields"][0]["field"], "integrity_pledge", "{r}");
        send(
            &app,
            req(
                "PUT",
                &format!("/api/v1/applications/{id}"),
                &qiye,
                Some(body(true)),
            ),
        )
        .await;
        let (st, r) = send(&app, act(&qiye, "submit", None)).await;
        assert_eq!(
            (st, code(&r)),
            (StatusCode::CONFLICT, "call.ineligible".into()),
            "{r}"
        );
        assert!(r["message"].as_str().unwrap().contains("高新技术企业"));
        s.save_rule_results(
            &sys,
            "hnte",
            "v",
            2025,
            &[NewRuleResult {
                org_id: ent.id,
                region_path: ent.region_path.clone(),
                qualified: Some(true),
                score: None,
                pools: vec![],
                outputs: json!({}),
                missing: json!([]),
                gaps: json!([]),
                explanation: String::new(),
                inputs: None,
            }],
        )
        .await
        .unwrap();
        let (st, r) = send(&app, req("POST", "/api/v1/sanctions", &city, Some(json!({
            "person_id": member, "measure": "取消项目申报资格3年", "starts_on": "2025-01-01",
            "ends_on": "2027-12-31", "source_document": "济科诚〔2025〕3号"
        })))).await;
        assert_eq!(st, StatusCode::CREATED, "{r}");
        let (st, r) = send(&app, act(&qiye, "submit", None)).await;
        assert_eq!(
            (st, code(&r)),
            (StatusCode::CONFLICT, "integrity.sanctioned".into()),
            "{r}"
        );
        assert!(r["message"].as_str().unwrap().contains("济科诚〔2025〕3号"));
        // Without the sanctioned member the submission goes through.
        let mut b = body(true);
        b["team"] = json!([]);
        send(
            &app,
            req("PUT", &format!("/api/v1/applications/{id}"), &qiye, Some(b)),
        )
        .await;
        let (st, r) = send(&app, act(&qiye, "submit", None)).await;
        assert_eq!(st, StatusCode::OK, "{r}");
        assert_eq!(r["status"], "submitted");
        // Submitted: no more edits, and the enterprise cannot approve itself.
        let (st, r) = send(
            &app,
            req(
                "PUT",
                &format!("/api/v1/applications/{id}"),
                &qiye,
                Some(body(true)),
            ),
        )
        .await;
        assert_eq!(
            (st, code(&r)),
            (StatusCode::CONFLICT, "application.locked".into())
        );
        let (st, r) = send(&app, act(&qiye, "approve", None)).await;
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(r["fields"][0]["code"], "transition.not_allowed");
        assert!(r["message"].as_str().unwrap().contains("撤回"), "{r}");

        // The officer's path; a return needs a reason; approval needs the ethics registration.
        for (action, reason) in [
            ("start_formal_check", None),
            ("return", Some("预算说明不完整")),
        ] {
            let (st, r) = send(&app, act(&city, action, reason)).await;
            assert_eq!(st, StatusCode::OK, "{action}: {r}");
        }
        let (st, r) = send(&app, act(&qiye, "submit", None)).await;
        assert_eq!(st, StatusCode::OK, "{r}");
        let (st, r) = send(&app, act(&city, "reject", None)).await;
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{r}");
        assert_eq!(r["fields"][0]["code"], "transition.not_allowed");
        for action in ["start_formal_check", "pass_formal_check", "to_panel"] {
            let (st, r) = send(&app, act(&city, action, None)).await;
            assert_eq!(st, StatusCode::OK, "{action}: {r}");
        }
        let (st, r) = send(&app, act(&city, "approve", None)).await;
        assert_eq!(
            (st, code(&r)),
            (StatusCode::CONFLICT, "panel.required".into()),
            "{r}"
        );
        let panel = |amount: &str| {
            req(
                "POST",
                &format!("/api/v1/calls/{call_id}/panel"),
                &city,
                Some(
                    json!({"decisions": [{"application_id": id, "approve": true, "amount": amount}]}),
                ),
            )
        };
        let (st, r) = send(&app, panel("1500000")).await;
        assert_eq!(
            (st, code(&r)),
            (StatusCode::CONFLICT, "ethics.required".into()),
            "{r}"
        );
        let (st, r) = send(
            &app,
            req(
                "POST",
                &format!("/api/v1/applications/{id}/ethics"),
                &qiye,
                Some(json!({"registration": "JY-ETH-2026-07"})),
            ),
        )
        .await;
        assert_eq!(
            (st, r["ethics_registration"].as_str()),
            (StatusCode::OK, Some("JY-ETH-2026-07")),
            "{r}"
        );
        let (st, r) = send(&app, panel("1500000")).await;
        assert_eq!(st, StatusCode::OK, "{r}");
        assert_eq!(
            (r[0]["status"].as_str(), r[0]["granted"].as_str()),
            (Some("approved"), Some("1500000"))
        );
        let res = tower::ServiceExt::oneshot(
            app.clone(),
            req(
                "GET",
                &format!("/api/v1/applications/{id}/task-book.docx"),
                &qiye,
                None,
            ),
        )
        .await
        .unwrap();
        assert_eq!(res.status(), StatusCode::OK);
        let bytes = http_body_util::BodyExt::collect(res.into_body())
            .await
            .unwrap()
            .to_bytes();
        // A Word document to sign, with the grant and the measurable targets in it.
        let text = kechuang_plans::read_docx(&bytes).unwrap();
        assert!(text.contains("科技计划项目任务书"), "{text}");
        assert!(text.contains("150万元"), "{text}");
        assert!(text.contains("项目承担单位（盖章）"), "{text}");
        for action in ["sign_contract", "start", "mid_term"] {
            let (st, r) = send(&app, act(&city, action, None)).await;
            assert_eq!(st, StatusCode::OK, "{action}: {r}");
        }
        // Elimination is for 赛马 calls only.
        let (st, r) = send(&app, act(&city, "eliminate", Some("阶段评价靠后"))).await;
        assert_eq!(
            (st, code(&r)),
            (StatusCode::CONFLICT, "eliminate.not_horse_race".into()),
            "{r}"
        );
        let (st, r) = send(&app, act(&city, "continue", None)).await;
        assert_eq!(st, StatusCode::OK, "{r}");
        // Execution: a milestone is checked, funds follow passed milestones within the grant.
        let post = |path: &str, body: Value| {
            req(
                "POST",
                &format!("/api/v1/applications/{id}/{path}"),
                &city,
                Some(body),
            )
        };
        let (st, r) = send(
            &app,
            post(
                "disbursements",
                json!({"milestone": 0, "amount": "500000", "note": "首笔"}),
            ),
        )
        .await;
        assert_eq!(
            (st, code(&r)),
            (StatusCode::CONFLICT, "disbursement.milestone".into()),
            "{r}"
        );
        let (st, r) = send(&app, post("milestone-checks", json!({"milestone": 0, "passed": true, "note": "中试排放38mg/m³", "evidence_name": "检测报告.pdf", "evidence_sha256": "b".repeat(64)}))).await;
        assert_eq!(st, StatusCode::CREATED, "{r}");
        let (st, r) = send(
            &app,
            post(
                "disbursements",
                json!({"milestone": 0, "amount": "1000000", "note": "首笔"}),
            ),
        )
        .await;
        assert_eq!(st, StatusCode::CREATED, "{r}");
        let (st, r) = send(
            &app,
            post("disbursements", json!({"amount": "600000", "note": "超额"})),
        )
        .await;
        assert_eq!(
            (st, code(&r)),
            (StatusCode::CONFLICT, "disbursement.over_grant".into()),
            "{r}"
        );
        let (st, r) = send(&app, act(&qiye, "request_acceptance", None)).await;
        assert_eq!(st, StatusCode::OK, "{r}");
        // Acceptance is judged by experts through the same review module.
        let (st, round) = send(&app, req("POST", &format!("/api/v1/calls/{call_id}/acceptance-round"), &city, Some(json!({
            "title": "揭榜挂帅项目验收评审", "object_kind": "other", "reviewers_per_item": 3, "max_load": 5,
            "form": [{"key": "target_met", "label": "揭榜指标完成情况", "max": 100}]
        })))).await;
        assert_eq!(st, StatusCode::CREATED, "{round}");
        assert_eq!(
            (round["object_kind"].as_str(), round["item_count"].as_i64()),
            (Some("acceptance"), Some(1))
        );
        // 揭榜挂帅 is judged against the posted target: closing needs the verdict.
        let (st, r) = send(&app, act(&city, "close", None)).await;
        assert_eq!(
            (st, r["fields"][0]["code"].as_str()),
            (
                StatusCode::UNPROCESSABLE_ENTITY,
                Some("reason.challenge_verdict")
            ),
            "{r}"
        );
        assert!(
            r["fields"][0]["message"]
                .as_str()
                .unwrap()
                .contains("连续运行720小时"),
            "the posted target is quoted: {r}"
        );
        let verdict = "经验收，二氧化硫排放浓度28mg/m³，连续运行720小时，达到揭榜目标";
        let (st, r) = send(&app, act(&city, "close", Some(verdict))).await;
        assert_eq!(
            (st, r["status"].as_str(), r["call_mode"].as_str()),
            (StatusCode::OK, Some("closed"), Some("challenge")),
            "{r}"
        );
        let (st, r) = send(
            &app,
            req(
                "POST",
                &format!("/api/v1/applications/{id}/rating"),
                &city,
                Some(json!({"rating": "excellent", "note": "超额完成揭榜指标"})),
            ),
        )
        .await;
        assert_eq!(
            (st, r["rating"].as_str()),
            (StatusCode::OK, Some("excellent")),
            "{r}"
        );
        let (_, d) = send(
            &app,
            req("GET", &format!("/api/v1/applications/{id}"), &city, None),
        )
        .await;
        assert_eq!(d["disbursements"][0]["amount"], "1000000");
        assert_eq!(d["milestone_checks"][0]["passed"], true);
        let (st, r) = send(&app, act(&city, "terminate", Some("x"))).await;
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{r}");
        assert_eq!(r["fields"][0]["code"], "transition.not_allowed");

        // A second application by the same leader: over the limit of one active project? The
        // first one is closed, so it is allowed; its history lists every move with its actor.
        let (_, d) = send(
            &app,
            req("GET", &format!("/api/v1/applications/{id}"), &city, None),
        )
        .await;
        let moves: Vec<(&str, &str)> = d["history"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| (h["action"].as_str().unwrap(), h["actor"].as_str().unwrap()))
            .collect();
        assert_eq!(moves.len(), 14, "{moves:?}");
        assert_eq!(moves[0], ("submit", "qiye"));
        assert_eq!(moves[2], ("return", "city"));
        assert_eq!(d["history"][2]["reason"], "预算说明不完整");
        assert!(s.verify_audit().await.unwrap().ok);
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
async fn a_leader_over_the_limit_and_a_closed_call_are_refused() {
    for db in all().await {
        let s = &db.store;
        let sys = Caller::system("t");
        let ent = s
            .create_organization(&sys, &fixtures::org("419001", 32, "济源装备"))
            .await
            .unwrap();
        let leader = person(s, ent.id, "负责人丙").await;
        city_and_qiye(s, ent.id).await;
        let app = app(s.clone(), Config::default());
        let city = login(&app, "city").await;
        let qiye = login(&app, "qiye").await;
        let today = kechuang_server::api::today();
        let mut ids = Vec::new();
        let mut call_ids = Vec::new();
        for (n, (open, close)) in [(-5, 5), (-5, 5), (-30, -1)].iter().enumerate() {
            let (st, c) = send(&app, req("POST", "/api/v1/calls", &city, Some(json!({
                "title": format!("指南{n}"), "category": "科技攻关", "mode": "公开竞争", "budget": "100000",
                "opens_on": (today + chrono::Duration::days(*open)).to_string(),
                "closes_on": (today + chrono::Duration::days(*close)).to_string(),
                "max_active_per_leader": 1
            })))).await;
            assert_eq!(st, StatusCode::CREATED, "{c}");
            call_ids.push(c["id"].as_i64().unwrap());
            let (st, a) = send(&app, req("POST", "/api/v1/applications", &qiye, Some(json!({
                "call_id": c["id"], "title": format!("项目{n}"), "org_id": ent.id, "leader_id": leader,
                "budget": [{"item": "设备费", "amount": "50000"}], "milestones": [{"title": "样机", "due_on": "2027-06-30", "target": "样机1台"}], "integrity_pledge": true
            })))).await;
            assert_eq!(st, StatusCode::CREATED, "{a}");
            ids.push(a["id"].as_i64().unwrap());
        }
        let go = |id: i64, who: &(String, String), action: &str| {
            req(
                "POST",
                &format!("/api/v1/applications/{id}/transition"),
                who,
                Some(json!({"action": action})),
            )
        };
        send(&app, go(ids[0], &qiye, "submit")).await;
        for action in ["start_formal_check", "pass_formal_check", "to_panel"] {
            let (st, r) = send(&app, go(ids[0], &city, action)).await;
            assert_eq!(st, StatusCode::OK, "{action}: {r}");
        }
        let (st, r) = send(
            &app,
            req(
                "POST",
                &format!("/api/v1/calls/{}/panel", call_ids[0]),
                &city,
                Some(json!({
                    "decisions": [{"application_id": ids[0], "approve": true, "amount": "100000"}]
                })),
            ),
        )
        .await;
        assert_eq!(st, StatusCode::OK, "{r}");
        let (st, r) = send(&app, go(ids[1], &qiye, "submit")).await;
        assert_eq!(
            (st, r["code"].as_str()),
            (StatusCode::CONFLICT, Some("leader.too_many")),
            "{r}"
        );
        let (st, r) = send(&app, go(ids[2], &qiye, "submit")).await;
        assert_eq!(
            (st, r["code"].as_str()),
            (StatusCode::CONFLICT, Some("call.closed")),
            "{r}"
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
async fn the_panel_grants_within_the_call_budget() {
    for db in all().await {
        let s = &db.store;
        let sys = Caller::system("t");
        let ent = s
            .create_organization(&sys, &fixtures::org("419001", 33, "济源新材"))
            .await
            .unwrap();
        city_and_qiye(s, ent.id).await;
        let app = app(s.clone(), Config::default());
        let city = login(&app, "city").await;
        let qiye = login(&app, "qiye").await;
        let today = kechuang_server::api::today();
        let (_, c) = send(&app, req("POST", "/api/v1/calls", &city, Some(json!({
            "title": "赛马制项目", "category": "科技攻关", "mode": "赛马", "budget": "300000",
            "opens_on": (today - chrono::Duration::days(1)).to_string(),
            "closes_on": (today + chrono::Duration::days(1)).to_string(), "max_active_per_leader": 3
        })))).await;
        let call_id = c["id"].as_i64().unwrap();
        let mut ids = Vec::new();
        for n in 0..2 {
            let leader = s
                .create_person(
                    &sys,
                    &fixtures::expert(ent.id, &format!("负责人{n}")),
                    b"k",
                    None,
                )
                .await
                .unwrap()
                .id;
            let (_, a) = send(&app, req("POST", "/api/v1/applications", &qiye, Some(json!({
                "call_id": call_id, "title": format!("团队{n}"), "org_id": ent.id, "leader_id": leader,
                "budget": [{"item": "包干", "amount": "200000"}], "lump_sum": true, "milestones": [{"title": "样机", "due_on": "2027-06-30", "target": "样机1台"}], "integrity_pledge": true
            })))).await;
            let id = a["id"].as_i64().unwrap();
            let go = |who: &(String, String), action: &str| {
                req(
                    "POST",
                    &format!("/api/v1/applications/{id}/transition"),
                    who,
                    Some(json!({"action": action})),
                )
            };
            let (st, r) = send(&app, go(&qiye, "submit")).await;
            assert_eq!(st, StatusCode::OK, "{r}");
            for action in ["start_formal_check", "pass_formal_check"] {
                let (st, r) = send(&app, go(&city, action)).await;
                assert_eq!(st, StatusCode::OK, "{action}: {r}");
            }
            ids.push(id);
        }
        // Both applications go to one expert-review round, with their teams for 回避.
        let (st, round) = send(&app, req("POST", &format!("/api/v1/calls/{call_id}/review-round"), &city, Some(json!({
            "title": "赛马制项目评审", "object_kind": "other", "reviewers_per_item": 3, "max_load": 5,
            "form": [{"key": "merit", "label": "综合评价", "max": 100}]
        })))).await;
        assert_eq!(st, StatusCode::CREATED, "{round}");
        assert_eq!(
            (round["item_count"].as_i64(), round["object_kind"].as_str()),
            (Some(2), Some("application"))
        );
        let (_, detail) = send(
            &app,
            req(
                "GET",
                &format!("/api/v1/review/rounds/{}", round["id"]),
                &city,
                None,
            ),
        )
        .await;
        let refs: Vec<&str> = detail["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["object_ref"].as_str().unwrap())
            .collect();
        assert!(
            refs.contains(&format!("application:{}", ids[0]).as_str()),
            "{refs:?}"
        );
        assert_eq!(detail["items"][0]["team"].as_array().unwrap().len(), 1);
        // Organized once: a second round for the same projects is refused.
        let (st, r) = send(&app, req("POST", &format!("/api/v1/calls/{call_id}/review-round"), &city, Some(json!({
            "title": "重复组织", "object_kind": "other", "reviewers_per_item": 3, "max_load": 5,
            "form": [{"key": "merit", "label": "综合评价", "max": 100}]
        })))).await;
        assert_eq!(
            (st, r["code"].as_str()),
            (StatusCode::CONFLICT, Some("review.already_organized")),
            "{r}"
        );
        for id in &ids {
            let (st, r) = send(
                &app,
                req(
                    "POST",
                    &format!("/api/v1/applications/{id}/transition"),
                    &city,
                    Some(json!({"action": "to_panel"})),
                ),
            )
            .await;
            assert_eq!(st, StatusCode::OK, "{r}");
        }
        // Nothing left at the review stage: a second round has nothing to take.
        let (st, r) = send(
            &app,
            req(
                "POST",
                &format!("/api/v1/calls/{call_id}/review-round"),
                &city,
                Some(json!({
                    "title": "x", "object_kind": "other", "reviewers_per_item": 3, "max_load": 5,
                    "form": [{"key": "merit", "label": "综合评价", "max": 100}]
                })),
            ),
        )
        .await;
        assert_eq!(
            (st, r["code"].as_str()),
            (StatusCode::CONFLICT, Some("review.no_applications")),
            "{r}"
        );
        let decide = |d: Value| {
            req(
                "POST",
                &format!("/api/v1/calls/{call_id}/panel"),
                &city,
                Some(json!({"decisions": d})),
            )
        };
        // Over the call's budget: refused, nothing changed.
        let (st, r) = send(
            &app,
            decide(json!([
                {"application_id": ids[0], "approve": true, "amount": "200000"},
                {"application_id": ids[1], "approve": true, "amount": "200000"}
            ])),
        )
        .await;
        assert_eq!(
            (st, r["code"].as_str()),
            (StatusCode::CONFLICT, Some("panel.over_budget")),
            "{r}"
        );
        // A rejection needs its reason; an approval its amount.
        let (st, r) = send(
            &app,
            decide(json!([
                {"application_id": ids[0], "approve": true},
                {"application_id": ids[1], "approve": false}
            ])),
        )
        .await;
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{r}");
        let codes: Vec<&str> = r["fields"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["code"].as_str().unwrap())
            .collect();
        assert_eq!(codes, ["amount.required", "reason.required"]);
        let (_, a0) = send(
            &app,
            req(
                "GET",
                &format!("/api/v1/applications/{}", ids[0]),
                &city,
                None,
            ),
        )
        .await;
        assert_eq!(a0["application"]["status"], "panel");
        let (st, r) = send(
            &app,
            decide(json!([
                {"application_id": ids[0], "approve": true, "amount": "200000"},
                {"application_id": ids[1], "approve": false, "reason": "赛马第一阶段评价排名靠后"}
            ])),
        )
        .await;
        assert_eq!(st, StatusCode::OK, "{r}");
        assert_eq!(
            (r[0]["status"].as_str(), r[0]["granted"].as_str()),
            (Some("approved"), Some("200000"))
        );
        assert_eq!(
            (r[1]["status"].as_str(), r[1]["granted"].as_str()),
            (Some("rejected"), None)
        );
        // Decided once: a second decision is an illegal move.
        let (st, r) = send(
            &app,
            decide(json!([{"application_id": ids[1], "approve": true, "amount": "1"}])),
        )
        .await;
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{r}");
        assert_eq!(r["fields"][0]["code"], "transition.not_allowed");
        // 滚动支持 needs a closed project rated 优秀 or 良好: this enterprise has none.
        let (_, c2) = send(&app, req("POST", "/api/v1/calls", &city, Some(json!({
            "title": "滚动支持", "category": "科技攻关", "mode": "滚动支持", "budget": "100000",
            "opens_on": (today - chrono::Duration::days(1)).to_string(),
            "closes_on": (today + chrono::Duration::days(1)).to_string(), "max_active_per_leader": 3
        })))).await;
        let leader = person(s, ent.id, "负责人R").await;
        let (_, a) = send(&app, req("POST", "/api/v1/applications", &qiye, Some(json!({
            "call_id": c2["id"], "title": "续研", "org_id": ent.id, "leader_id": leader,
            "budget": [{"item": "包干", "amount": "50000"}], "lump_sum": true, "milestones": [{"title": "样机", "due_on": "2027-06-30", "target": "样机1台"}], "integrity_pledge": true
        })))).await;
        let (st, r) = send(
            &app,
            req(
                "POST",
                &format!("/api/v1/applications/{}/transition", a["id"]),
                &qiye,
                Some(json!({"action": "submit"})),
            ),
        )
        .await;
        assert_eq!(
            (st, r["code"].as_str()),
            (StatusCode::CONFLICT, Some("call.rolling")),
            "{r}"
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

/// A minimal well-formed PDF with `body` as its only content.
fn pdf(body: &str) -> Vec<u8> {
    format!("%PDF-1.7\n1 0 obj << /Title ({body}) >> endobj\ntrailer << >>\n%%EOF\n").into_bytes()
}

/// The applicant's side: the form pre-filled from the registry, PDF attachments with their
/// digests frozen at submission, the track record of the organization and its people, 滚动支持
/// tied to one predecessor, and a leader barred after a project rated 不合格.
#[tokio::test]
async fn prefill_attachments_track_record_and_rolling_support() {
    use sha2::Digest;
    for db in all().await {
        let s = &db.store;
        let sys = Caller::system("t");
        let ent = s
            .create_organization(&sys, &fixtures::org("419001", 41, "济源中原特钢"))
            .await
            .unwrap();
        let other = s
            .create_organization(&sys, &fixtures::org("419001", 42, "济源其他公司"))
            .await
            .unwrap();
        let leader = person(s, ent.id, "负责人丙").await;
        let member = person(s, ent.id, "成员丁").await;
        let leader2 = person(s, ent.id, "负责人戊").await;
        let figures = |staff: i64| Figures {
            employees: Some(staff),
            ..Figures::default()
        };
        s.put_enterprise_year(&sys, ent.id, 2024, &figures(120))
            .await
            .unwrap();
        s.put_enterprise_year(&sys, ent.id, 2025, &figures(150))
            .await
            .unwrap();
        s.create_platform(
            &sys,
            &fixtures::platform(ent.id, "特种钢材工程技术研究中心"),
        )
        .await
        .unwrap();
        city_and_qiye(s, ent.id).await;
        let app = app(s.clone(), Config::default());
        let city = login(&app, "city").await;
        let qiye = login(&app, "qiye").await;
        let today = kechuang_server::api::today();
        let call = |title: &str, mode: &str| {
            json!({
                "title": title, "category": "科技攻关", "mode": mode, "budget": "3000000",
                "opens_on": (today - chrono::Duration::days(5)).to_string(),
                "closes_on": (today + chrono::Duration::days(5)).to_string(),
                "max_active_per_leader": 3
            })
        };
        let (st, c1) = send(
            &app,
            req(
                "POST",
                "/api/v1/calls",
                &city,
                Some(call("特钢材料攻关", "公开竞争")),
            ),
        )
        .await;
        assert_eq!(st, StatusCode::CREATED, "{c1}");

        // 预填: the enterprise's own organization without naming it.
        let (st, p) = send(&app, req("GET", "/api/v1/applicant-profile", &qiye, None)).await;
        assert_eq!(st, StatusCode::OK, "{p}");
        assert_eq!(p["org"]["name"], "济源中原特钢");
        assert_eq!(
            (
                p["latest_year"]["year"].as_i64(),
                p["latest_year"]["figures"]["employees"].as_i64()
            ),
            (Some(2025), Some(150)),
            "the latest year, not the first"
        );
        assert_eq!(p["platforms"][0]["name"], "特种钢材工程技术研究中心");
        let names: Vec<&str> = p["persons"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x["name"].as_str().unwrap())
            .collect();
        assert!(
            names.contains(&"负责人丙") && names.contains(&"成员丁"),
            "{names:?}"
        );
        // Another organization's profile is out of the enterprise's scope.
        let (st, _) = send(
            &app,
            req(
                "GET",
                &format!("/api/v1/applicant-profile?org_id={}", other.id),
                &qiye,
                None,
            ),
        )
        .await;
        assert_eq!(st, StatusCode::NOT_FOUND);

        let body = |call_id: &Value, title: &str, leader: i64, pred: Option<i64>| {
            json!({
                "call_id": call_id, "title": title, "org_id": ent.id, "leader_id": leader,
                "team": [member], "lump_sum": true,
                "budget": [{"item": "包干经费", "amount": "500000"}],
                "milestones": [{"title": "样品", "due_on": "2027-06-30", "target": "强度≥1500MPa"}],
                "integrity_pledge": true, "predecessor_id": pred
            })
        };
        let (st, a) = send(
            &app,
            req(
                "POST",
                "/api/v1/applications",
                &qiye,
                Some(body(&c1["id"], "高强特种钢研发", leader, None)),
            ),
        )
        .await;
        assert_eq!(st, StatusCode::CREATED, "{a}");
        let id = a["id"].as_i64().unwrap();
        let files = format!("/api/v1/applications/{id}/attachments");

        // Attachments: a PDF is kept with its digest; the same file twice, a Word file and a
        // truncated PDF are refused.
        let report = pdf("可行性研究报告");
        let (st, att) = send(&app, upload(&files, &qiye, "可行性研究报告.pdf", &report)).await;
        assert_eq!(st, StatusCode::CREATED, "{att}");
        let digest = hex::encode(sha2::Sha256::digest(&report));
        assert_eq!(
            (att["sha256"].as_str(), att["kind"].as_str()),
            (Some(digest.as_str()), Some("application"))
        );
        let (st, r) = send(&app, upload(&files, &qiye, "副本.pdf", &report)).await;
        assert_eq!(
            (st, r["code"].as_str()),
            (StatusCode::CONFLICT, Some("attachment.duplicate")),
            "{r}"
        );
        let (st, r) = send(&app, upload(&files, &qiye, "说明.docx", b"PK\x03\x04")).await;
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{r}");
        assert_eq!(r["fields"][0]["code"], "attachment.not_pdf");
        let (st, r) = send(
            &app,
            upload(&files, &qiye, "残缺.pdf", b"%PDF-1.4\n1 0 obj"),
        )
        .await;
        assert_eq!(
            (st, r["fields"][0]["code"].as_str()),
            (StatusCode::UNPROCESSABLE_ENTITY, Some("attachment.not_pdf"))
        );
        let (st, r) = send(&app, upload(&files, &city, "x.pdf", &pdf("x"))).await;
        assert_eq!(st, StatusCode::FORBIDDEN, "officers do not upload: {r}");
        let extra = pdf("预算说明");
        let (_, att2) = send(&app, upload(&files, &qiye, "预算说明.pdf", &extra)).await;
        let (st, _) = send(
            &app,
            req("DELETE", &format!("{files}/{}", att2["id"]), &qiye, None),
        )
        .await;
        assert_eq!(st, StatusCode::OK, "a draft's material can be removed");
        // The bureau does not see a draft's material before submission.
        let (st, _) = send(
            &app,
            req("GET", &format!("{files}/{}", att["id"]), &city, None),
        )
        .await;
        assert_eq!(st, StatusCode::NOT_FOUND);
        // Download: the same bytes, and the digest in a header.
        let res = tower::ServiceExt::oneshot(
            app.clone(),
            req("GET", &format!("{files}/{}", att["id"]), &qiye, None),
        )
        .await
        .unwrap();
        assert_eq!(res.status(), StatusCode::OK);
        assert_eq!(res.headers()["x-content-sha256"], digest.as_str());
        assert_eq!(res.headers()["content-type"], "application/pdf");
        let got = http_body_util::BodyExt::collect(res.into_body())
            .await
            .unwrap()
            .to_bytes();
        assert_eq!(&got[..], &report[..]);

        // 一次报送: submission freezes the registry facts and the attachment digests.
        let act = |id: i64, who: &(String, String), action: &str| {
            req(
                "POST",
                &format!("/api/v1/applications/{id}/transition"),
                who,
                Some(json!({"action": action})),
            )
        };
        let (st, r) = send(&app, act(id, &qiye, "submit")).await;
        assert_eq!(st, StatusCode::OK, "{r}");
        // A later change in the registry does not change what was submitted.
        s.put_enterprise_year(&sys, ent.id, 2025, &figures(999))
            .await
            .unwrap();
        let (_, d) = send(
            &app,
            req("GET", &format!("/api/v1/applications/{id}"), &city, None),
        )
        .await;
        let snap = &d["submitted_snapshot"];
        assert_eq!(snap["org"]["credit_code"], ent.credit_code.as_str());
        assert_eq!(snap["latest_year"]["figures"]["employees"], 150);
        assert_eq!(snap["platforms"][0]["name"], "特种钢材工程技术研究中心");
        assert_eq!(
            (
                snap["team"][0]["name"].as_str(),
                snap["team"][0]["role"].as_str()
            ),
            (Some("负责人丙"), Some("负责人"))
        );
        assert_eq!(snap["attachments"].as_array().unwrap().len(), 1);
        assert_eq!(snap["attachments"][0]["sha256"], digest.as_str());
        assert_eq!(d["attachments"].as_array().unwrap().len(), 1);
        let (st, r) = send(&app, upload(&files, &qiye, "补充.pdf", &pdf("补充"))).await;
        assert_eq!(
            (st, r["code"].as_str()),
            (StatusCode::CONFLICT, Some("attachment.frozen")),
            "{r}"
        );
        let (st, r) = send(
            &app,
            req("DELETE", &format!("{files}/{}", att["id"]), &qiye, None),
        )
        .await;
        assert_eq!(
            (st, r["code"].as_str()),
            (StatusCode::CONFLICT, Some("attachment.frozen"))
        );

        // Through review, panel, contract and acceptance to 已结题.
        for action in ["start_formal_check", "pass_formal_check", "to_panel"] {
            let (st, r) = send(&app, act(id, &city, action)).await;
            assert_eq!(st, StatusCode::OK, "{action}: {r}");
        }
        let (st, r) = send(
            &app,
            req(
                "POST",
                &format!("/api/v1/calls/{}/panel", c1["id"]),
                &city,
                Some(json!({"decisions": [{"application_id": id, "approve": true, "amount": "400000"}]})),
            ),
        )
        .await;
        assert_eq!(st, StatusCode::OK, "{r}");
        for (who, action) in [
            (&city, "sign_contract"),
            (&city, "start"),
            (&qiye, "request_acceptance"),
        ] {
            let (st, r) = send(&app, act(id, who, action)).await;
            assert_eq!(st, StatusCode::OK, "{action}: {r}");
        }
        // 验收材料 can be added at acceptance.
        let (st, r) = send(
            &app,
            upload(&files, &qiye, "验收报告.pdf", &pdf("验收报告")),
        )
        .await;
        assert_eq!(
            (st, r["kind"].as_str()),
            (StatusCode::CREATED, Some("acceptance")),
            "{r}"
        );
        // Acceptance is refused while a milestone is unchecked: the state machine, not the UI.
        let (st, r) = send(&app, act(id, &city, "close")).await;
        assert_eq!(
            (st, r["code"].as_str()),
            (StatusCode::CONFLICT, Some("acceptance.milestones_open")),
            "{r}"
        );
        let (st, r) = send(
            &app,
            req(
                "POST",
                &format!("/api/v1/applications/{id}/milestone-checks"),
                &city,
                Some(json!({"milestone": 0, "passed": true, "note": "样品强度1620MPa，达到指标"})),
            ),
        )
        .await;
        assert_eq!(st, StatusCode::CREATED, "{r}");
        let (st, r) = send(&app, act(id, &city, "close")).await;
        assert_eq!(st, StatusCode::OK, "{r}");
        // A closed project gets no more money and offers no move.
        let (st, r) = send(
            &app,
            req(
                "POST",
                &format!("/api/v1/applications/{id}/disbursements"),
                &city,
                Some(json!({"amount": "1000"})),
            ),
        )
        .await;
        assert_eq!(
            (st, r["code"].as_str()),
            (StatusCode::CONFLICT, Some("disbursement.status")),
            "{r}"
        );
        let (_, r) = send(
            &app,
            req("GET", &format!("/api/v1/applications/{id}"), &city, None),
        )
        .await;
        assert_eq!(r["application"]["can_disburse"], false, "{r}");
        assert_eq!(r["application"]["actions"], json!([]), "{r}");
        let rate = |r: &str| {
            req(
                "POST",
                &format!("/api/v1/applications/{id}/rating"),
                &city,
                Some(json!({"rating": r, "note": "按期完成"})),
            )
        };
        let (st, r) = send(&app, rate("good")).await;
        assert_eq!(st, StatusCode::OK, "{r}");
        assert_eq!(r["rated_on"].as_str().map(str::len), Some(10));

        // 履约记录: the organization, the leader and the member.
        let track = |q: String| req("GET", &format!("/api/v1/track-record?{q}"), &city, None);
        let (_, t) = send(&app, track(format!("org_id={}", ent.id))).await;
        assert_eq!(
            (
                t["closed"].as_i64(),
                t["good"].as_i64(),
                t["active"].as_i64()
            ),
            (Some(1), Some(1), Some(0)),
            "{t}"
        );
        assert_eq!(t["items"][0]["rating_label"], "良好");
        assert_eq!(t["items"][0]["granted"], "400000");
        let (_, t) = send(&app, track(format!("person_id={leader}"))).await;
        assert_eq!(t["items"][0]["role"], "负责人");
        let (_, t) = send(&app, track(format!("person_id={member}"))).await;
        assert_eq!(t["items"][0]["role"], "成员");
        let (_, t) = send(&app, track(format!("person_id={leader2}"))).await;
        assert_eq!(t["items"].as_array().unwrap().len(), 0);
        let (st, r) = send(&app, track(String::new())).await;
        assert_eq!(
            (st, r["fields"][0]["code"].as_str()),
            (
                StatusCode::UNPROCESSABLE_ENTITY,
                Some("track_record.subject")
            )
        );
        let (_, p) = send(&app, req("GET", "/api/v1/applicant-profile", &qiye, None)).await;
        assert_eq!(p["track_record"]["good"], 1);

        // 滚动支持 follows on from one named predecessor.
        let (_, c2) = send(
            &app,
            req(
                "POST",
                "/api/v1/calls",
                &city,
                Some(call("特钢滚动支持", "滚动支持")),
            ),
        )
        .await;
        let (st, r) = send(
            &app,
            req(
                "POST",
                "/api/v1/applications",
                &qiye,
                Some(body(&c1["id"], "非滚动", leader2, Some(id))),
            ),
        )
        .await;
        assert_eq!(
            (st, r["fields"][0]["code"].as_str()),
            (
                StatusCode::UNPROCESSABLE_ENTITY,
                Some("predecessor.not_rolling")
            ),
            "{r}"
        );
        let (_, none) = send(
            &app,
            req(
                "POST",
                "/api/v1/applications",
                &qiye,
                Some(body(&c2["id"], "续研（未选前期）", leader2, None)),
            ),
        )
        .await;
        let (st, r) = send(&app, act(none["id"].as_i64().unwrap(), &qiye, "submit")).await;
        assert_eq!(
            (st, r["code"].as_str()),
            (StatusCode::CONFLICT, Some("call.rolling")),
            "{r}"
        );
        let (st, r1) = send(
            &app,
            req(
                "POST",
                "/api/v1/applications",
                &qiye,
                Some(body(
                    &c2["id"],
                    "高强特种钢产业化（滚动）",
                    leader2,
                    Some(id),
                )),
            ),
        )
        .await;
        assert_eq!(st, StatusCode::CREATED, "{r1}");
        assert_eq!(r1["predecessor_id"], id);
        let (st, r) = send(&app, act(r1["id"].as_i64().unwrap(), &qiye, "submit")).await;
        assert_eq!(st, StatusCode::OK, "{r}");
        let (_, r2) = send(
            &app,
            req(
                "POST",
                "/api/v1/applications",
                &qiye,
                Some(body(&c2["id"], "再次滚动", leader, Some(id))),
            ),
        )
        .await;
        let (st, r) = send(&app, act(r2["id"].as_i64().unwrap(), &qiye, "submit")).await;
        assert_eq!(
            (st, r["code"].as_str()),
            (StatusCode::CONFLICT, Some("rolling.used")),
            "{r}"
        );

        // Rated 不合格 on review: the leader may not lead a new application for 3 years; another
        // leader of the same organization may.
        let (st, _) = send(&app, rate("fail")).await;
        assert_eq!(st, StatusCode::OK);
        let (_, b) = send(
            &app,
            req(
                "POST",
                "/api/v1/applications",
                &qiye,
                Some(body(&c1["id"], "新项目", leader, None)),
            ),
        )
        .await;
        let (st, r) = send(&app, act(b["id"].as_i64().unwrap(), &qiye, "submit")).await;
        assert_eq!(
            (st, r["code"].as_str()),
            (StatusCode::CONFLICT, Some("leader.failed_project")),
            "{r}"
        );
        assert!(r["message"].as_str().unwrap().contains("3年内"), "{r}");
        send(
            &app,
            req(
                "PUT",
                &format!("/api/v1/applications/{}", b["id"]),
                &qiye,
                Some(body(&c1["id"], "新项目", leader2, None)),
            ),
        )
        .await;
        let (st, r) = send(&app, act(b["id"].as_i64().unwrap(), &qiye, "submit")).await;
        assert_eq!(st, StatusCode::OK, "{r}");

        // A call's own items: required ones must be answered before submission.
        let mut with_form = call("产学研合作专项", "公开竞争");
        with_form["form"] = json!([
            {"key": "benefit", "label": "预期新增销售收入（万元）", "kind": "number", "required": true},
            {"key": "partner", "label": "合作高校院所", "kind": "text"}
        ]);
        let (st, cf) = send(&app, req("POST", "/api/v1/calls", &city, Some(with_form))).await;
        assert_eq!(st, StatusCode::CREATED, "{cf}");
        assert_eq!(cf["form"][0]["label"], "预期新增销售收入（万元）");
        let mut fb = body(&cf["id"], "产学研项目", leader2, None);
        fb["answers"] = json!({"benefit": "约五百万"});
        let (st, r) = send(
            &app,
            req("POST", "/api/v1/applications", &qiye, Some(fb.clone())),
        )
        .await;
        assert_eq!(
            (st, r["fields"][0]["code"].as_str()),
            (StatusCode::UNPROCESSABLE_ENTITY, Some("answers.number")),
            "{r}"
        );
        fb["answers"] = json!({"partner": "郑州大学"});
        let (st, fa) = send(
            &app,
            req("POST", "/api/v1/applications", &qiye, Some(fb.clone())),
        )
        .await;
        assert_eq!(
            st,
            StatusCode::CREATED,
            "a draft may leave items open: {fa}"
        );
        let fid = fa["id"].as_i64().unwrap();
        let (st, r) = send(&app, act(fid, &qiye, "submit")).await;
        assert_eq!(
            (
                st,
                r["fields"][0]["field"].as_str(),
                r["fields"][0]["code"].as_str()
            ),
            (
                StatusCode::UNPROCESSABLE_ENTITY,
                Some("answers.benefit"),
                Some("answers.required")
            ),
            "{r}"
        );
        fb["answers"] = json!({"partner": "郑州大学", "benefit": "500"});
        let (st, r) = send(
            &app,
            req(
                "PUT",
                &format!("/api/v1/applications/{fid}"),
                &qiye,
                Some(fb),
            ),
        )
        .await;
        assert_eq!(r["answers"]["benefit"], "500", "{r}");
        assert_eq!(st, StatusCode::OK);
        let (st, r) = send(&app, act(fid, &qiye, "submit")).await;
        assert_eq!(st, StatusCode::OK, "{r}");

        // 定向委托: addressed to named organizations only.
        let directed = |orgs: Value| {
            let mut c = call("钢渣综合利用定向委托", "定向委托");
            c["designated_orgs"] = orgs;
            req("POST", "/api/v1/calls", &city, Some(c))
        };
        let (st, r) = send(&app, directed(json!([]))).await;
        assert_eq!(
            (st, r["fields"][0]["code"].as_str()),
            (
                StatusCode::UNPROCESSABLE_ENTITY,
                Some("designated_orgs.required")
            )
        );
        let (st, r) = send(&app, directed(json!([999_999]))).await;
        assert_eq!(
            (st, r["fields"][0]["code"].as_str()),
            (
                StatusCode::UNPROCESSABLE_ENTITY,
                Some("designated_orgs.unknown")
            )
        );
        let (st, to_other) = send(&app, directed(json!([other.id]))).await;
        assert_eq!(st, StatusCode::CREATED, "{to_other}");
        assert_eq!(to_other["designated_org_names"], json!(["济源其他公司"]));
        let (_, to_us) = send(&app, directed(json!([ent.id, other.id]))).await;
        let (_, seen) = send(&app, req("GET", "/api/v1/calls", &qiye, None)).await;
        let seen: Vec<i64> = seen["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["id"].as_i64().unwrap())
            .collect();
        assert!(seen.contains(&to_us["id"].as_i64().unwrap()), "{seen:?}");
        assert!(
            !seen.contains(&to_other["id"].as_i64().unwrap()),
            "{seen:?}"
        );
        let (st, r) = send(
            &app,
            req(
                "POST",
                "/api/v1/applications",
                &qiye,
                Some(body(&to_other["id"], "不请自来", leader2, None)),
            ),
        )
        .await;
        assert_eq!(
            (st, r["fields"][0]["code"].as_str()),
            (StatusCode::UNPROCESSABLE_ENTITY, Some("call_id.unknown")),
            "{r}"
        );
        let (st, d) = send(
            &app,
            req(
                "POST",
                "/api/v1/applications",
                &qiye,
                Some(body(&to_us["id"], "钢渣微粉制备", leader2, None)),
            ),
        )
        .await;
        assert_eq!(st, StatusCode::CREATED, "{d}");
        let (st, r) = send(&app, act(d["id"].as_i64().unwrap(), &qiye, "submit")).await;
        assert_eq!(st, StatusCode::OK, "{r}");
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
