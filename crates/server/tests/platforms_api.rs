//! 平台全生命周期与科学技术奖励 through the API, on both backends.
//!
//! - A platform: 认定申报 by its host (a new platform in 培育; no report before recognition),
//!   认定 with its document (its ladder), a second application at the same level refused; a
//!   yearly report (duplicate year, future year, edit after submission refused); 绩效评价 through
//!   a review round (the expert reads the report; grading refused while the round is open);
//!   the pack's grade — 不合格 → 整改, twice → 撤销 — after which a report, a pool entry and an
//!   incubatee are refused; the reserve pool with the next level's conditions and gaps (a
//!   second entry refused, exit with reason); the county bureau sees none of it.
//! - A carrier's 在孵企业: outside its region, in two carriers at once, too old at entry —
//!   refused; graduation; the carrier's report counts them.
//! - An award: a conflicted expert's nomination refused; 提名 → 形式审查 (review refused while a
//!   nomination is unchecked) → 专家评审 → 评审委员会审定 (refused while the round is open) →
//!   公示 with an objection → 授奖 refused during the notice and with an open objection, then
//!   conferred with certificate numbers; a provincial award won matched by the 科技奖补.
//! - Every write is audited.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use axum::http::StatusCode;
use common::{login, req, send, user};
use kechuang_server::{Config, app};
use kechuang_store::{Caller, DataScope};
use kechuang_testkit::{all, fixtures};
use serde_json::{Value, json};

fn codes(e: &Value) -> Vec<String> {
    e["fields"]
        .as_array()
        .filter(|a| !a.is_empty())
        .map(|a| {
            a.iter()
                .map(|f| f["code"].as_str().unwrap().to_owned())
                .collect()
        })
        .unwrap_or_else(|| vec![e["code"].as_str().unwrap_or_default().to_owned()])
}

type Session = (String, String);

async fn call(
    app: &axum::Router,
    m: &str,
    path: &str,
    s: &Session,
    body: Option<Value>,
) -> (StatusCode, Value) {
    send(app, req(m, path, s, body)).await
}

/// Assign, publish, let every expert score `pct` per cent of each criterion, close.
async fn review(
    app: &axum::Router,
    city: &Session,
    experts: &[String],
    rid: i64,
    pct: i64,
    object: &str,
) {
    let (st, v) = call(
        app,
        "POST",
        &format!("/api/v1/review/rounds/{rid}/assign"),
        city,
        Some(json!({"mode": "optimal"})),
    )
    .await;
    assert_eq!(st, StatusCode::OK, "{v}");
    let (st, v) = call(
        app,
        "POST",
        &format!("/api/v1/review/rounds/{rid}/publish"),
        city,
        None,
    )
    .await;
    assert_eq!(st, StatusCode::OK, "{v}");
    for name in experts {
        let es = login(app, name).await;
        let (_, mine) = call(app, "GET", "/api/v1/review/my", &es, None).await;
        for t in mine.as_array().unwrap() {
            if t["round_id"].as_i64() != Some(rid) || t["status"] != "assigned" {
                continue;
            }
            let tid = t["id"].as_i64().unwrap();
            let (st, o) = call(
                app,
                "GET",
                &format!("/api/v1/review/assignments/{tid}/{object}"),
                &es,
                None,
            )
            .await;
            assert_eq!(st, StatusCode::OK, "the expert reads what they score: {o}");
            let scores: serde_json::Map<String, Value> = t["form"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| {
                    (
                        c["key"].as_str().unwrap().to_owned(),
                        json!(c["max"].as_i64().unwrap() * pct / 100),
                    )
                })
                .collect();
            let (st, v) = call(
                app,
                "POST",
                &format!("/api/v1/review/assignments/{tid}/scores"),
                &es,
                Some(json!({"scores": scores})),
            )
            .await;
            assert_eq!(st, StatusCode::OK, "{v}");
        }
    }
    let (st, v) = call(
        app,
        "POST",
        &format!("/api/v1/review/rounds/{rid}/close"),
        city,
        None,
    )
    .await;
    assert_eq!(st, StatusCode::OK, "{v}");
}

fn report(pid: i64, year: i32) -> Value {
    json!({"platform_id": pid, "year": year, "staff": 18, "senior_staff": 3, "rd_staff": 12,
        "rd_spending": "2100000", "income": "9000000", "equipment_value": "3200000", "area": "260",
        "projects": 2, "patents": 4, "papers": 1, "standards": 0, "transfers": 1,
        "summary": "年度研发工作总结"})
}

async fn experts(s: &kechuang_store::Store, orgs: &[i64], field: &str) -> Vec<String> {
    let sys = Caller::system("t");
    let mut v = Vec::new();
    for (i, org) in orgs.iter().enumerate() {
        let name = format!("exp{i}");
        let u = user(s, &name, "self", "419001", None, "expert").await;
        let mut p = fixtures::expert(*org, &format!("专家{i}"));
        p.disciplines = vec![field.into()];
        s.create_person(&sys, &p, b"k", Some(u)).await.unwrap();
        v.push(name);
    }
    v
}

#[tokio::test]
async fn a_platform_from_recognition_through_two_failed_evaluations_to_revocation() {
    for db in all().await {
        let s = &db.store;
        let sys = Caller::system("t");
        let firm = s
            .create_organization(&sys, &fixtures::org("419001", 91, "济源甲新材料有限公司"))
            .await
            .unwrap();
        let mut others = Vec::new();
        for i in 0..3 {
            others.push(
                s.create_organization(
                    &sys,
                    &fixtures::org("419001", 92 + i, &format!("济源专家单位{i}")),
                )
                .await
                .unwrap()
                .id,
            );
        }
        user(s, "city", "region", "419001", None, "officer").await;
        user(s, "county", "region", "410883", None, "officer").await;
        user(
            s,
            "firm",
            "organization",
            "419001",
            Some(firm.id),
            "enterprise",
        )
        .await;
        let experts = experts(s, &others, "材料科学与工程").await;
        let mut staff = fixtures::expert(firm.id, "赵工");
        staff.is_expert = false;
        staff.disciplines = vec!["材料科学与工程".into()];
        s.create_person(&sys, &staff, b"k", None).await.unwrap();
        let app = app(s.clone(), Config::default());
        let city = login(&app, "city").await;
        let county = login(&app, "county").await;
        let fs = login(&app, "firm").await;

        // 认定申报 of a new platform: registered in 培育, no report before recognition.
        let (st, r) = call(
            &app,
            "POST",
            "/api/v1/platform-recognitions",
            &fs,
            Some(json!({
            "name": "济源市甲新材料工程技术研究中心", "platform_type": "工程技术研究中心",
            "host_org_id": firm.id, "level": "市级", "summary": "申请认定"})),
        )
        .await;
        assert_eq!(st, StatusCode::CREATED, "{r}");
        assert_eq!(
            (r["status"].as_str(), r["from_level"].as_str()),
            (Some("pending"), Some("internal"))
        );
        let pid = r["platform_id"].as_i64().unwrap();
        let (st, e) = call(
            &app,
            "POST",
            "/api/v1/platform-reports",
            &fs,
            Some(report(pid, 2025)),
        )
        .await;
        assert_eq!(
            (st, codes(&e)),
            (
                StatusCode::CONFLICT,
                vec!["report.not_recognized".to_owned()]
            ),
            "{e}"
        );
        let (st, e) = call(&app, "POST", &format!("/api/v1/platform-recognitions/{}/decide", r["id"]), &fs,
            Some(json!({"recognize": true, "document": "济科〔2026〕1号", "recognized_on": "2026-01-10"}))).await;
        assert_eq!(
            st,
            StatusCode::FORBIDDEN,
            "the host does not recognize itself: {e}"
        );
        let (st, v) = call(&app, "POST", &format!("/api/v1/platform-recognitions/{}/decide", r["id"]), &city,
            Some(json!({"recognize": true, "document": "济科〔2026〕1号", "recognized_on": "2026-01-10"}))).await;
        assert_eq!(st, StatusCode::OK, "{v}");
        let (_, p) = call(&app, "GET", &format!("/api/v1/platforms/{pid}"), &fs, None).await;
        assert_eq!(
            (
                p["level"].as_str(),
                p["status"].as_str(),
                p["approval_document"].as_str()
            ),
            (Some("city"), Some("active"), Some("济科〔2026〕1号")),
            "{p}"
        );
        let (_, h) = call(
            &app,
            "GET",
            &format!("/api/v1/platforms/{pid}/recognitions"),
            &fs,
            None,
        )
        .await;
        assert_eq!(h.as_array().unwrap().len(), 1);
        assert_eq!(h[0]["explanation"], "认定为市级");
        let (st, e) = call(
            &app,
            "POST",
            "/api/v1/platform-recognitions",
            &fs,
            Some(json!({"platform_id": pid, "level": "市级", "summary": "再次申报"})),
        )
        .await;
        assert_eq!(
            (st, codes(&e)),
            (
                StatusCode::CONFLICT,
                vec!["recognition.not_higher".to_owned()]
            ),
            "{e}"
        );

        // 年报: duplicate year, future year, edit after submission.
        let (st, r25) = call(
            &app,
            "POST",
            "/api/v1/platform-reports",
            &fs,
            Some(report(pid, 2025)),
        )
        .await;
        assert_eq!(st, StatusCode::CREATED, "{r25}");
        let rid25 = r25["id"].as_i64().unwrap();
        let (st, e) = call(
            &app,
            "POST",
            "/api/v1/platform-reports",
            &fs,
            Some(report(pid, 2025)),
        )
        .await;
        assert_eq!(
            (st, codes(&e)),
            (StatusCode::CONFLICT, vec!["report.duplicate".to_owned()]),
            "{e}"
        );
        let (st, e) = call(
            &app,
            "POST",
            "/api/v1/platform-reports",
            &fs,
            Some(report(pid, 2099)),
        )
        .await;
        assert_eq!(
            (st, codes(&e)),
            (
                StatusCode::UNPROCESSABLE_ENTITY,
                vec!["year.range".to_owned()]
            ),
            "{e}"
        );
        let (st, v) = call(
            &app,
            "POST",
            &format!("/api/v1/platform-reports/{rid25}/submit"),
            &fs,
            None,
        )
        .await;
        assert_eq!(
            (st, v["status"].as_str()),
            (StatusCode::OK, Some("submitted")),
            "{v}"
        );
        let (st, e) = call(
            &app,
            "PUT",
            &format!("/api/v1/platform-reports/{rid25}"),
            &fs,
            Some(report(pid, 2025)),
        )
        .await;
        assert_eq!(
            (st, codes(&e)),
            (StatusCode::CONFLICT, vec!["report.locked".to_owned()]),
            "{e}"
        );

        // The reserve pool: the next level's conditions with their gaps.
        let (st, u) = call(
            &app,
            "GET",
            &format!("/api/v1/platforms/{pid}/upgrade"),
            &fs,
            None,
        )
        .await;
        assert_eq!(st, StatusCode::OK, "{u}");
        assert_eq!(
            (
                u["pack"].as_str(),
                u["qualified"].as_bool(),
                u["total"].as_u64()
            ),
            (Some("engineering-center"), Some(false), Some(7)),
            "{u}"
        );
        let staff_c = u["conditions"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["name"] == "c_staff")
            .unwrap();
        assert_eq!(staff_c["met"], false);
        assert!(
            staff_c["text"].as_str().unwrap().contains("18"),
            "{staff_c}"
        );
        assert!(
            staff_c["text"].as_str().unwrap().contains("下限 30"),
            "what it lacks, with the line: {staff_c}"
        );
        let (st, e) = call(
            &app,
            "POST",
            "/api/v1/platform-pool",
            &fs,
            Some(json!({"platform_id": pid})),
        )
        .await;
        assert_eq!(st, StatusCode::FORBIDDEN, "{e}");
        let (st, pe) = call(
            &app,
            "POST",
            "/api/v1/platform-pool",
            &city,
            Some(json!({"platform_id": pid, "note": "重点培育"})),
        )
        .await;
        assert_eq!(st, StatusCode::CREATED, "{pe}");
        let (st, e) = call(
            &app,
            "POST",
            "/api/v1/platform-pool",
            &city,
            Some(json!({"platform_id": pid})),
        )
        .await;
        assert_eq!(
            (st, codes(&e)),
            (StatusCode::CONFLICT, vec!["pool.duplicate".to_owned()]),
            "{e}"
        );
        let (_, pool) = call(&app, "GET", "/api/v1/platform-pool", &city, None).await;
        assert_eq!(
            (pool["total"].as_i64(), pool["items"][0]["met"].as_u64()),
            (Some(1), u["met"].as_u64()),
            "{pool}"
        );
        assert!(
            pool["items"][0]["lacking"]
                .as_str()
                .unwrap()
                .contains("固定人员"),
            "{pool}"
        );
        let (st, e) = call(
            &app,
            "POST",
            &format!("/api/v1/platform-pool/{}/exit", pe["id"]),
            &city,
            Some(json!({"reason": ""})),
        )
        .await;
        assert_eq!(
            (st, codes(&e)),
            (
                StatusCode::UNPROCESSABLE_ENTITY,
                vec!["reason.required".to_owned()]
            ),
            "{e}"
        );
        let (st, v) = call(
            &app,
            "POST",
            &format!("/api/v1/platform-pool/{}/exit", pe["id"]),
            &city,
            Some(json!({"reason": "企业申请暂缓"})),
        )
        .await;
        assert_eq!(
            (st, v["status"].as_str()),
            (StatusCode::OK, Some("out")),
            "{v}"
        );

        // 绩效评价: grading refused while the round runs; 不合格 → 整改.
        let (st, round) = call(
            &app,
            "POST",
            "/api/v1/platform-evaluations",
            &city,
            Some(json!({"year": 2025, "report_ids": [rid25]})),
        )
        .await;
        assert_eq!(st, StatusCode::CREATED, "{round}");
        assert_eq!(round["object_kind"], "platform_evaluation");
        let round_id = round["id"].as_i64().unwrap();
        let (st, e) = call(
            &app,
            "POST",
            &format!("/api/v1/platform-evaluations/{round_id}/grade"),
            &city,
            None,
        )
        .await;
        assert_eq!(
            (st, codes(&e)),
            (
                StatusCode::CONFLICT,
                vec!["platform.review_open".to_owned()]
            ),
            "{e}"
        );
        review(&app, &city, &experts, round_id, 50, "platform-report").await;
        let (st, g) = call(
            &app,
            "POST",
            &format!("/api/v1/platform-evaluations/{round_id}/grade"),
            &city,
            None,
        )
        .await;
        assert_eq!(st, StatusCode::OK, "{g}");
        let graded = &g["reports"][0];
        assert_eq!(
            (graded["grade"].as_str(), graded["score"].as_str()),
            (Some("fail"), Some("49")),
            "{g}"
        );
        assert!(
            graded["consequence"].as_str().unwrap().contains("整改"),
            "{g}"
        );
        assert!(
            graded["rule"]
                .as_str()
                .unwrap()
                .contains("platform-evaluation"),
            "{g}"
        );
        let (_, p) = call(&app, "GET", &format!("/api/v1/platforms/{pid}"), &fs, None).await;
        assert_eq!(p["status"], "suspended");
        let (st, e) = call(
            &app,
            "POST",
            &format!("/api/v1/platform-evaluations/{round_id}/grade"),
            &city,
            None,
        )
        .await;
        assert_eq!(
            (st, codes(&e)),
            (
                StatusCode::CONFLICT,
                vec!["platform.not_reviewed".to_owned()]
            ),
            "graded once: {e}"
        );

        // The next year fails again: 撤销, and nothing more is accepted for it.
        let (_, r26) = call(
            &app,
            "POST",
            "/api/v1/platform-reports",
            &fs,
            Some(report(pid, 2026)),
        )
        .await;
        let rid26 = r26["id"].as_i64().unwrap();
        call(
            &app,
            "POST",
            &format!("/api/v1/platform-reports/{rid26}/submit"),
            &fs,
            None,
        )
        .await;
        let (_, round) = call(
            &app,
            "POST",
            "/api/v1/platform-evaluations",
            &city,
            Some(json!({"year": 2026, "report_ids": [rid26]})),
        )
        .await;
        let round_id = round["id"].as_i64().unwrap();
        review(&app, &city, &experts, round_id, 40, "platform-report").await;
        let (_, g) = call(
            &app,
            "POST",
            &format!("/api/v1/platform-evaluations/{round_id}/grade"),
            &city,
            None,
        )
        .await;
        assert!(
            g["reports"][0]["consequence"]
                .as_str()
                .unwrap()
                .contains("取消平台资格"),
            "{g}"
        );
        let (_, p) = call(&app, "GET", &format!("/api/v1/platforms/{pid}"), &fs, None).await;
        assert_eq!(p["status"], "revoked");
        let before = s
            .list_platform_reports(
                &DataScope::All,
                &Default::default(),
                kechuang_store::PageRequest::new(1, 10),
            )
            .await
            .unwrap()
            .total;
        let (st, e) = call(
            &app,
            "POST",
            "/api/v1/platform-reports",
            &fs,
            Some(report(pid, 2024)),
        )
        .await;
        assert_eq!(
            (st, codes(&e)),
            (StatusCode::CONFLICT, vec!["report.revoked".to_owned()]),
            "{e}"
        );
        let after = s
            .list_platform_reports(
                &DataScope::All,
                &Default::default(),
                kechuang_store::PageRequest::new(1, 10),
            )
            .await
            .unwrap()
            .total;
        assert_eq!(before, after, "nothing stored");
        let (st, e) = call(
            &app,
            "POST",
            "/api/v1/platform-pool",
            &city,
            Some(json!({"platform_id": pid})),
        )
        .await;
        assert_eq!(
            (st, codes(&e)),
            (StatusCode::CONFLICT, vec!["platform.revoked".to_owned()]),
            "{e}"
        );

        // The county bureau sees none of it.
        let (_, v) = call(&app, "GET", "/api/v1/platform-reports", &county, None).await;
        assert_eq!(v["total"], 0);
        let (st, _) = call(
            &app,
            "GET",
            &format!("/api/v1/platforms/{pid}/upgrade"),
            &county,
            None,
        )
        .await;
        assert_eq!(st, StatusCode::NOT_FOUND);
        let gaps = s.audit_coverage().await.unwrap();
        assert!(gaps.is_empty(), "every write audited: {gaps:?}");
    }
}

#[tokio::test]
async fn carriers_and_an_award_from_nomination_to_conferral() {
    for db in all().await {
        let s = &db.store;
        let sys = Caller::system("t");
        let host = s
            .create_organization(
                &sys,
                &fixtures::org("419001", 71, "济源创业服务中心有限公司"),
            )
            .await
            .unwrap();
        let host2 = s
            .create_organization(
                &sys,
                &fixtures::org("419001", 72, "济源众创空间运营有限公司"),
            )
            .await
            .unwrap();
        let mut young = fixtures::org("419001", 73, "济源乙科技有限公司");
        young.founded_on = chrono::NaiveDate::from_ymd_opt(2025, 1, 1);
        let young = s.create_organization(&sys, &young).await.unwrap();
        let mut old = fixtures::org("419001", 74, "济源丙机械有限公司");
        old.founded_on = chrono::NaiveDate::from_ymd_opt(2015, 1, 1);
        let old = s.create_organization(&sys, &old).await.unwrap();
        let far = s
            .create_organization(&sys, &fixtures::org("410883", 75, "孟州丁科技有限公司"))
            .await
            .unwrap();
        let mut others = Vec::new();
        for i in 0..3 {
            others.push(
                s.create_organization(
                    &sys,
                    &fixtures::org("419001", 80 + i, &format!("济源评审单位{i}")),
                )
                .await
                .unwrap()
                .id,
            );
        }
        user(s, "city", "region", "419001", None, "officer").await;
        user(
            s,
            "firm",
            "organization",
            "419001",
            Some(young.id),
            "enterprise",
        )
        .await;
        let experts = experts(s, &others, "冶金工程").await;
        let mut lead = fixtures::expert(young.id, "钱工");
        lead.is_expert = false;
        lead.disciplines = vec!["冶金工程".into()];
        let lead = s.create_person(&sys, &lead, b"k", None).await.unwrap();
        let app = app(s.clone(), Config::default());
        let city = login(&app, "city").await;
        let fs = login(&app, "firm").await;

        // 在孵企业.
        let mk = |host: i64, name: &str, t: &str| json!({"name": name, "platform_type": t, "level": "省级", "host_org_id": host, "recognized_on": "2020-05-01", "approval_document": "豫科〔2020〕5号"});
        let (_, c1) = call(
            &app,
            "POST",
            "/api/v1/platforms",
            &city,
            Some(mk(host.id, "济源创业孵化器", "科技企业孵化器")),
        )
        .await;
        let (_, c2) = call(
            &app,
            "POST",
            "/api/v1/platforms",
            &city,
            Some(mk(host2.id, "济源众创空间", "众创空间")),
        )
        .await;
        let (c1, c2) = (c1["id"].as_i64().unwrap(), c2["id"].as_i64().unwrap());
        let entry = |org: i64| json!({"org_id": org, "entered_on": "2025-06-01"});
        let (st, i1) = call(
            &app,
            "POST",
            &format!("/api/v1/platforms/{c1}/incubatees"),
            &city,
            Some(entry(young.id)),
        )
        .await;
        assert_eq!(st, StatusCode::CREATED, "{i1}");
        assert_eq!(
            (i1["months_limit"].as_i64(), i1["due_on"].as_str()),
            (Some(48), Some("2029-06-01")),
            "{i1}"
        );
        for (c, org, code) in [
            (c2, young.id, "incubatee.duplicate"),
            (c1, far.id, "incubatee.region"),
            (c1, old.id, "incubatee.too_old"),
        ] {
            let (st, e) = call(
                &app,
                "POST",
                &format!("/api/v1/platforms/{c}/incubatees"),
                &city,
                Some(entry(org)),
            )
            .await;
            assert_eq!(
                (st, codes(&e)),
                (StatusCode::CONFLICT, vec![code.to_owned()]),
                "{e}"
            );
        }
        let (_, list) = call(&app, "GET", "/api/v1/incubatees", &city, None).await;
        assert_eq!(list["total"], 1, "nothing stored by the refusals");
        let (_, carriers) = call(&app, "GET", "/api/v1/carriers", &city, None).await;
        let row = carriers["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["id"] == c1)
            .unwrap()
            .clone();
        assert_eq!(row["incubating"], 1);
        let (st, e) = call(
            &app,
            "POST",
            &format!("/api/v1/incubatees/{}/graduate", i1["id"]),
            &city,
            Some(json!({"on": "2026-01-10", "criterion": "bogus"})),
        )
        .await;
        assert_eq!(
            (st, codes(&e)),
            (
                StatusCode::UNPROCESSABLE_ENTITY,
                vec!["criterion.unknown".to_owned()]
            ),
            "{e}"
        );
        let (st, g) = call(
            &app,
            "POST",
            &format!("/api/v1/incubatees/{}/graduate", i1["id"]),
            &city,
            Some(json!({"on": "2026-01-10", "criterion": "hnte"})),
        )
        .await;
        assert_eq!(
            (st, g["status"].as_str(), g["criterion_label"].as_str()),
            (
                StatusCode::OK,
                Some("graduated"),
                Some("经国家备案的高新技术企业")
            ),
            "{g}"
        );
        let mut rep = report(c1, 2025);
        rep["seed_fund"] = json!("6000000");
        rep["mentors"] = json!(3);
        rep["service_staff"] = json!(8);
        let (_, r) = call(&app, "POST", "/api/v1/platform-reports", &city, Some(rep)).await;
        let (_, r) = call(
            &app,
            "POST",
            &format!("/api/v1/platform-reports/{}/submit", r["id"]),
            &city,
            None,
        )
        .await;
        assert_eq!(
            (
                r["carrier"].as_bool(),
                r["incubating"].as_i64(),
                r["graduated"].as_i64()
            ),
            (Some(true), Some(1), Some(0)),
            "in at 2025's end, graduated in 2026: {r}"
        );
        let (_, u) = call(
            &app,
            "GET",
            &format!("/api/v1/platforms/{c1}/upgrade"),
            &city,
            None,
        )
        .await;
        assert_eq!(u["pack"], "incubator-national", "{u}");
        let inc = u["conditions"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["name"] == "c_incubating")
            .unwrap();
        assert_eq!(inc["met"], false, "{u}");

        // An award: the conflicted expert is refused.
        let (st, callv) = call(&app, "POST", "/api/v1/awards/calls", &city, Some(json!({"year": 2026, "title": "2026年度济源市科学技术奖", "nominate_until": (kechuang_server::api::today() + chrono::Duration::days(30)).to_string()}))).await;
        assert_eq!(
            (st, callv["notice_days"].as_i64()),
            (StatusCode::CREATED, Some(15)),
            "{callv}"
        );
        let cid = callv["id"].as_i64().unwrap();
        let exp0 = login(&app, &experts[0]).await;
        let nomination = |org: i64, team: Vec<i64>, title: &str| json!({"call_id": cid, "category": "科学技术进步奖", "title": title, "org_id": org, "team": team, "summary": "主要创新与应用效益"});
        let (_, me) = call(&app, "GET", "/api/v1/persons?q=专家0", &city, None).await;
        let me_id = me["items"][0]["id"].as_i64().unwrap();
        let (st, e) = call(
            &app,
            "POST",
            "/api/v1/awards/nominations",
            &exp0,
            Some(nomination(young.id, vec![lead.id, me_id], "清洁冶炼技术")),
        )
        .await;
        assert_eq!(
            (st, codes(&e)),
            (StatusCode::CONFLICT, vec!["nomination.conflict".to_owned()]),
            "{e}"
        );
        let (st, n1) = call(
            &app,
            "POST",
            "/api/v1/awards/nominations",
            &fs,
            Some(nomination(
                young.id,
                vec![lead.id],
                "高纯铅清洁冶炼关键技术",
            )),
        )
        .await;
        assert_eq!(
            (st, n1["nominator_kind"].as_str()),
            (StatusCode::CREATED, Some("unit")),
            "{n1}"
        );
        let (st, n2) = call(
            &app,
            "POST",
            "/api/v1/awards/nominations",
            &exp0,
            Some(nomination(young.id, vec![lead.id], "再生铅资源化利用")),
        )
        .await;
        assert_eq!(
            (st, n2["nominator_kind"].as_str()),
            (StatusCode::CREATED, Some("expert")),
            "{n2}"
        );
        for n in [&n1, &n2] {
            let who = if n["nominator_kind"] == "unit" {
                &fs
            } else {
                &exp0
            };
            let (st, v) = call(
                &app,
                "POST",
                &format!("/api/v1/awards/nominations/{}/submit", n["id"]),
                who,
                None,
            )
            .await;
            assert_eq!(st, StatusCode::OK, "{v}");
        }
        let (st, v) = call(
            &app,
            "POST",
            &format!("/api/v1/awards/nominations/{}/check", n1["id"]),
            &city,
            Some(json!({"pass": true, "note": "材料齐全"})),
        )
        .await;
        assert_eq!(
            (st, v["status"].as_str()),
            (StatusCode::OK, Some("accepted")),
            "{v}"
        );
        let (st, e) = call(
            &app,
            "POST",
            &format!("/api/v1/awards/calls/{cid}/review"),
            &city,
            Some(json!({})),
        )
        .await;
        assert_eq!(
            (st, codes(&e)),
            (StatusCode::CONFLICT, vec!["award.unchecked".to_owned()]),
            "{e}"
        );
        let (st, v) = call(
            &app,
            "POST",
            &format!("/api/v1/awards/nominations/{}/check", n2["id"]),
            &city,
            Some(json!({"pass": false, "note": "缺少应用证明"})),
        )
        .await;
        assert_eq!(
            (st, v["status"].as_str()),
            (StatusCode::OK, Some("returned")),
            "{v}"
        );
        let (st, round) = call(
            &app,
            "POST",
            &format!("/api/v1/awards/calls/{cid}/review"),
            &city,
            Some(json!({})),
        )
        .await;
        assert_eq!(
            (st, round["object_kind"].as_str()),
            (StatusCode::CREATED, Some("award")),
            "{round}"
        );
        let rid = round["id"].as_i64().unwrap();
        let (st, e) = call(
            &app,
            "POST",
            &format!("/api/v1/awards/calls/{cid}/panel"),
            &city,
            None,
        )
        .await;
        assert_eq!(
            (st, codes(&e)),
            (StatusCode::CONFLICT, vec!["award.review_open".to_owned()]),
            "{e}"
        );
        review(&app, &city, &experts, rid, 85, "nomination").await;
        let (st, c) = call(
            &app,
            "POST",
            &format!("/api/v1/awards/calls/{cid}/panel"),
            &city,
            None,
        )
        .await;
        assert_eq!(
            (st, c["status"].as_str()),
            (StatusCode::OK, Some("notice")),
            "{c}"
        );
        let (_, n) = call(
            &app,
            "GET",
            &format!("/api/v1/awards/nominations/{}", n1["id"]),
            &city,
            None,
        )
        .await;
        assert_eq!(
            (
                n["status"].as_str(),
                n["grade"].as_str(),
                n["prize"].as_str()
            ),
            (Some("proposed"), Some("second"), Some("50000")),
            "{n}"
        );
        assert!(n["explanation"].as_str().unwrap().contains("二等奖"), "{n}");

        // 公示 and 异议; 授奖 waits for both.
        let (_, notice) = call(&app, "GET", "/api/v1/awards/notice", &fs, None).await;
        assert_eq!(notice["items"].as_array().unwrap().len(), 1, "{notice}");
        assert_eq!(notice["total"], 1, "{notice}");
        let (st, e) = call(
            &app,
            "POST",
            &format!("/api/v1/awards/nominations/{}/objections", n1["id"]),
            &fs,
            Some(json!({"content": "短"})),
        )
        .await;
        assert_eq!(
            (st, codes(&e)),
            (
                StatusCode::UNPROCESSABLE_ENTITY,
                vec!["content.length".to_owned()]
            ),
            "{e}"
        );
        let (st, o) = call(
            &app,
            "POST",
            &format!("/api/v1/awards/nominations/{}/objections", n1["id"]),
            &fs,
            Some(json!({"content": "该项目的核心专利申请人与完成单位不一致，请核实。"})),
        )
        .await;
        assert_eq!(st, StatusCode::CREATED, "{o}");
        let (st, e) = call(
            &app,
            "POST",
            &format!("/api/v1/awards/calls/{cid}/confer"),
            &city,
            None,
        )
        .await;
        assert_eq!(
            (st, codes(&e)),
            (StatusCode::CONFLICT, vec!["award.notice_open".to_owned()]),
            "{e}"
        );
        let later = kechuang_server::api::today() + chrono::Duration::days(16);
        let city_caller = Caller {
            user_id: None,
            username: "city".into(),
            scope: DataScope::All,
            address: None,
        };
        let err = s.confer_awards(&city_caller, cid, later).await.unwrap_err();
        assert!(
            format!("{err:?}").contains("award.objection_open"),
            "{err:?}"
        );
        // The objector's organization sees its objection; an expert nominator sees none of it.
        let (_, mine) = call(&app, "GET", "/api/v1/awards/objections", &fs, None).await;
        assert_eq!(mine.as_array().unwrap().len(), 1, "{mine}");
        let (_, theirs) = call(&app, "GET", "/api/v1/awards/objections", &exp0, None).await;
        assert_eq!(theirs.as_array().unwrap().len(), 0, "{theirs}");
        // Experts find completers by name through the nominators' search (public fields only).
        let (st, found) = call(
            &app,
            "GET",
            "/api/v1/awards/persons?q=%E9%92%B1%E5%B7%A5",
            &exp0,
            None,
        )
        .await;
        assert_eq!(st, StatusCode::OK, "{found}");
        assert_eq!(found[0]["name"], "钱工");
        assert!(found[0].get("has_id_number").is_none(), "{found}");
        let (st, e) = call(
            &app,
            "GET",
            "/api/v1/awards/persons?q=%E9%92%B1",
            &exp0,
            None,
        )
        .await;
        assert_eq!(
            (st, codes(&e)),
            (
                StatusCode::UNPROCESSABLE_ENTITY,
                vec!["q.too_short".to_owned()]
            ),
            "{e}"
        );
        let (_, objections) = call(
            &app,
            "GET",
            &format!("/api/v1/awards/objections?call_id={cid}"),
            &city,
            None,
        )
        .await;
        assert_eq!(objections.as_array().unwrap().len(), 1);
        let (st, v) = call(
            &app,
            "POST",
            &format!("/api/v1/awards/objections/{}/resolve", o["id"]),
            &city,
            Some(
                json!({"upheld": false, "resolution": "经核查，专利已转让至完成单位，异议不成立"}),
            ),
        )
        .await;
        assert_eq!(
            (st, v["status"].as_str()),
            (StatusCode::OK, Some("dismissed")),
            "{v}"
        );
        let done = s.confer_awards(&city_caller, cid, later).await.unwrap();
        assert_eq!(done.status, "conferred");
        let (_, n) = call(
            &app,
            "GET",
            &format!("/api/v1/awards/nominations/{}", n1["id"]),
            &fs,
            None,
        )
        .await;
        assert_eq!(
            (n["status"].as_str(), n["certificate_no"].as_str()),
            (Some("conferred"), Some("KJJ2026-001")),
            "{n}"
        );

        // A provincial award won, matched by the 科技奖补 (50%, ≤20万).
        let (st, w) = call(&app, "POST", "/api/v1/awards/wins", &city, Some(json!({"org_id": young.id, "level": "省级", "award_name": "河南省科学技术进步奖", "grade": "二等奖", "year": 2026, "prize": "60000", "document": "豫政〔2026〕3号"}))).await;
        assert_eq!(st, StatusCode::CREATED, "{w}");
        let (st, p) = call(&app, "POST", "/api/v1/funds/programmes", &city, Some(json!({"code": "JY-JB-T", "name": "科技奖补", "kind": "reward", "mode": "auto",
            "year": 2026, "region": "419001", "budget": "1000000", "fund_source": "市级科技专项资金", "basis": "济科〔2026〕1号", "pack": "rewards", "notice_days": 7, "valid_days": 0}))).await;
        assert_eq!(st, StatusCode::CREATED, "{p}");
        let (st, v) = call(
            &app,
            "POST",
            &format!("/api/v1/funds/programmes/{}/propose", p["id"]),
            &city,
            None,
        )
        .await;
        assert_eq!(st, StatusCode::OK, "{v}");
        let (_, grants) = call(
            &app,
            "GET",
            &format!("/api/v1/funds/grants?programme_id={}", p["id"]),
            &city,
            None,
        )
        .await;
        let g = grants["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|g| {
                g["matter"]
                    .as_str()
                    .unwrap()
                    .contains("河南省科学技术进步奖")
            })
            .cloned()
            .unwrap_or_else(|| panic!("{grants}"));
        assert_eq!(g["amount"].as_str(), Some("30000"), "{g}");
        let gaps = s.audit_coverage().await.unwrap();
        assert!(gaps.is_empty(), "every write audited: {gaps:?}");
    }
}
