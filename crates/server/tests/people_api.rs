//! 人才与科技特派员 through the API, on both backends.
//!
//! - 科技特派员: registration (bad input and a second registration of the same person over the
//!   same period refused), dispatches (beyond the pack's number at once, outside the term, an
//!   enterprise outside the county: refused, nothing stored), service logs (future dates and
//!   dates outside the term refused), evidence with its SHA-256, the service object's
//!   confirmation and rating, the yearly assessment computed and explained by the pack from
//!   confirmed logs only, the commissioner's own view, the county bureau seeing nothing, and the
//!   registry-computed indicators.
//! - Talents: an application refused for an age-limited tier and for no tier at all, then
//!   submitted with the pack's tier; recognition refused before the review round closes; the
//!   expert reads the application (no phone, no salary) and scores; recognition with a
//!   certificate and validity; a second recognition refused; the housing subsidy proposed from
//!   a talent programme and visible to the employer; private data masked for the leader.
//! - Every write is audited.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use axum::http::StatusCode;
use common::{login, req, send, upload, user};
use kechuang_domain::person::NewPerson;
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

fn person(org: i64, name: &str) -> NewPerson {
    let mut p = fixtures::expert(org, name);
    p.is_expert = false;
    p
}

async fn count(app: &axum::Router, s: &(String, String), path: &str) -> i64 {
    let (st, v) = send(app, req("GET", path, s, None)).await;
    assert_eq!(st, StatusCode::OK, "{path}: {v}");
    v["total"].as_i64().unwrap()
}

#[tokio::test]
async fn a_commissioner_from_selection_to_the_yearly_assessment() {
    for db in all().await {
        let s = &db.store;
        let sys = Caller::system("t");
        let sender = s
            .create_organization(&sys, &fixtures::org("419001", 81, "济源农科所"))
            .await
            .unwrap();
        let firm = s
            .create_organization(&sys, &fixtures::org("419001", 82, "济源甲食品有限公司"))
            .await
            .unwrap();
        let far = s
            .create_organization(&sys, &fixtures::org("410883", 83, "孟州乙农业有限公司"))
            .await
            .unwrap();
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
        let tp = user(s, "tepai", "self", "419001", None, "commissioner").await;
        let p1 = s
            .create_person(&sys, &person(sender.id, "原红梅"), b"k", Some(tp))
            .await
            .unwrap();
        let app = app(s.clone(), Config::default());
        let city = login(&app, "city").await;
        let county = login(&app, "county").await;
        let firm_s = login(&app, "firm").await;
        let tps = login(&app, "tepai").await;

        let (st, e) = send(
            &app,
            req(
                "POST",
                "/api/v1/people/commissioners",
                &city,
                Some(json!({"kind": "team", "org_id": sender.id, "funding": "省资助", "field": "",
                    "year": 2025, "term_from": "2025-01-01", "term_to": "2024-12-31", "phone": "123"})),
            ),
        )
        .await;
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
        let c = codes(&e);
        for code in [
            "field.required",
            "phone.format",
            "person_id.required",
            "name.required",
            "term.order",
        ] {
            assert!(c.contains(&code.to_owned()), "{code} in {c:?}");
        }
        let body = json!({"kind": "individual", "person_id": p1.id, "org_id": sender.id,
            "funding": "省资助", "field": "果树学", "year": 2025, "term_from": "2025-01-01",
            "term_to": "2026-12-31", "phone": "13903911200"});
        let (st, c) = send(
            &app,
            req(
                "POST",
                "/api/v1/people/commissioners",
                &firm_s,
                Some(body.clone()),
            ),
        )
        .await;
        assert_eq!(
            st,
            StatusCode::FORBIDDEN,
            "an enterprise selects no commissioner: {c}"
        );
        let (st, c) = send(
            &app,
            req(
                "POST",
                "/api/v1/people/commissioners",
                &city,
                Some(body.clone()),
            ),
        )
        .await;
        assert_eq!(st, StatusCode::CREATED, "{c}");
        let cid = c["id"].as_i64().unwrap();
        assert_eq!(
            c["user_id"].as_i64(),
            Some(tp),
            "the person's account owns it"
        );
        let mut again = body.clone();
        again["term_from"] = json!("2026-06-01");
        again["term_to"] = json!("2027-12-31");
        let (st, e) = send(
            &app,
            req("POST", "/api/v1/people/commissioners", &city, Some(again)),
        )
        .await;
        assert_eq!(
            (st, codes(&e)),
            (
                StatusCode::CONFLICT,
                vec!["commissioner.duplicate".to_owned()]
            ),
            "{e}"
        );
        let (st, _) = send(
            &app,
            req(
                "GET",
                &format!("/api/v1/people/commissioners/{cid}"),
                &county,
                None,
            ),
        )
        .await;
        assert_eq!(
            st,
            StatusCode::NOT_FOUND,
            "another county's bureau cannot see it"
        );

        // Dispatches: three at once is the pack's limit for a person.
        let dispatch = |place: &str, kind: &str, org: Option<i64>, from: &str, to: &str| {
            json!({"commissioner_id": cid, "target_kind": kind, "county": "419001", "place": place,
                "target_org_id": org, "starts_on": from, "ends_on": to, "agreement_no": "济科特派〔2025〕1号",
                "tasks": "核桃修剪与病虫害防治"})
        };
        let (st, e) = send(
            &app,
            req(
                "POST",
                "/api/v1/people/dispatches",
                &city,
                Some(dispatch(
                    "王屋镇愚公村",
                    "village",
                    None,
                    "2024-06-01",
                    "2025-12-31",
                )),
            ),
        )
        .await;
        assert_eq!(
            (st, codes(&e)),
            (
                StatusCode::UNPROCESSABLE_ENTITY,
                vec!["dispatch.outside_term".to_owned()]
            ),
            "{e}"
        );
        let (st, e) = send(
            &app,
            req(
                "POST",
                "/api/v1/people/dispatches",
                &city,
                Some(dispatch(
                    "化工园区",
                    "enterprise",
                    Some(far.id),
                    "2025-01-01",
                    "2025-12-31",
                )),
            ),
        )
        .await;
        assert_eq!(
            (st, codes(&e)),
            (
                StatusCode::UNPROCESSABLE_ENTITY,
                vec!["dispatch.org_region".to_owned()]
            ),
            "{e}"
        );
        let (st, v) = send(
            &app,
            req(
                "POST",
                "/api/v1/people/dispatches",
                &city,
                Some(dispatch(
                    "王屋镇愚公村",
                    "village",
                    None,
                    "2025-01-01",
                    "2026-12-31",
                )),
            ),
        )
        .await;
        assert_eq!(st, StatusCode::CREATED, "{v}");
        let village = v["id"].as_i64().unwrap();
        let (st, v) = send(
            &app,
            req(
                "POST",
                "/api/v1/people/dispatches",
                &city,
                Some(dispatch(
                    "轵城镇",
                    "enterprise",
                    Some(firm.id),
                    "2025-01-01",
                    "2025-12-31",
                )),
            ),
        )
        .await;
        assert_eq!(st, StatusCode::CREATED, "{v}");
        let plant = v["id"].as_i64().unwrap();
        let (st, _) = send(
            &app,
            req(
                "POST",
                "/api/v1/people/dispatches",
                &city,
                Some(dispatch(
                    "邵原镇双房村",
                    "village",
                    None,
                    "2025-03-01",
                    "2025-10-31",
                )),
            ),
        )
        .await;
        assert_eq!(st, StatusCode::CREATED);
        let (st, e) = send(
            &app,
            req(
                "POST",
                "/api/v1/people/dispatches",
                &city,
                Some(dispatch(
                    "大峪镇寺郎腰村",
                    "village",
                    None,
                    "2025-05-01",
                    "2025-06-30",
                )),
            ),
        )
        .await;
        assert_eq!(
            (st, codes(&e)),
            (StatusCode::CONFLICT, vec!["dispatch.too_many".to_owned()]),
            "{e}"
        );
        assert!(
            e["message"].as_str().unwrap().contains("最多派驻3个"),
            "{e}"
        );
        assert_eq!(
            count(&app, &city, "/api/v1/people/dispatches").await,
            3,
            "nothing stored"
        );

        // Logs by the commissioner: the future and outside the term refused, nothing stored.
        let log = |d: i64, on: &str, days: &str| {
            json!({"dispatch_id": d, "served_on": on, "kind": "技术指导", "days": days, "people": 30,
                "households": 12, "place": "愚公村核桃园", "content": "冬季修剪现场指导"})
        };
        let tomorrow = (kechuang_server::api::today() + chrono::Duration::days(1)).to_string();
        let (st, e) = send(
            &app,
            req(
                "POST",
                "/api/v1/people/logs",
                &tps,
                Some(log(village, &tomorrow, "1")),
            ),
        )
        .await;
        assert_eq!(
            (st, codes(&e)),
            (
                StatusCode::UNPROCESSABLE_ENTITY,
                vec!["log.future".to_owned()]
            ),
            "{e}"
        );
        let (st, e) = send(
            &app,
            req(
                "POST",
                "/api/v1/people/logs",
                &tps,
                Some(log(plant, "2024-12-30", "1")),
            ),
        )
        .await;
        assert_eq!(
            (st, codes(&e)),
            (
                StatusCode::UNPROCESSABLE_ENTITY,
                vec!["log.outside_term".to_owned()]
            ),
            "{e}"
        );
        let (st, e) = send(
            &app,
            req(
                "POST",
                "/api/v1/people/logs",
                &firm_s,
                Some(log(plant, "2025-03-01", "1")),
            ),
        )
        .await;
        assert_eq!(st, StatusCode::FORBIDDEN, "{e}");
        assert_eq!(count(&app, &city, "/api/v1/people/logs").await, 0);
        let mut ids = Vec::new();
        for m in 1..=11 {
            let (st, l) = send(
                &app,
                req(
                    "POST",
                    "/api/v1/people/logs",
                    &tps,
                    Some(log(village, &format!("2025-{m:02}-10"), "1")),
                ),
            )
            .await;
            assert_eq!(st, StatusCode::CREATED, "{l}");
            ids.push(l["id"].as_i64().unwrap());
        }
        let (st, l) = send(
            &app,
            req(
                "POST",
                "/api/v1/people/logs",
                &tps,
                Some(log(plant, "2025-12-01", "1.5")),
            ),
        )
        .await;
        assert_eq!(st, StatusCode::CREATED, "{l}");
        let plant_log = l["id"].as_i64().unwrap();
        // One log the village never confirms: it does not count.
        let (st, l) = send(
            &app,
            req(
                "POST",
                "/api/v1/people/logs",
                &tps,
                Some(log(village, "2025-12-20", "2")),
            ),
        )
        .await;
        assert_eq!(st, StatusCode::CREATED, "{l}");

        // Evidence: a photo kept with its digest; a GIF refused.
        let png = [
            &[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A][..],
            b"demo-pixels",
        ]
        .concat();
        let (st, l) = send(
            &app,
            upload(
                &format!("/api/v1/people/logs/{}/evidence", ids[0]),
                &tps,
                "现场.png",
                &png,
            ),
        )
        .await;
        assert_eq!(st, StatusCode::OK, "{l}");
        use sha2::Digest;
        let digest = hex::encode(sha2::Sha256::digest(&png));
        assert_eq!(l["evidence"][0]["sha256"].as_str(), Some(digest.as_str()));
        let (st, e) = send(
            &app,
            upload(
                &format!("/api/v1/people/logs/{}/evidence", ids[0]),
                &tps,
                "x.gif",
                b"GIF89a....",
            ),
        )
        .await;
        assert_eq!(
            (st, codes(&e)),
            (
                StatusCode::UNPROCESSABLE_ENTITY,
                vec!["evidence.type".to_owned()]
            ),
            "{e}"
        );

        // Confirmation: the firm confirms what it received; the bureau records the village's.
        let (st, v) = send(
            &app,
            req(
                "POST",
                &format!("/api/v1/people/logs/{}/confirm", ids[0]),
                &firm_s,
                None,
            ),
        )
        .await;
        assert_eq!(
            st,
            StatusCode::NOT_FOUND,
            "the firm is not that village: {v}"
        );
        let (st, v) = send(
            &app,
            req(
                "POST",
                &format!("/api/v1/people/logs/{plant_log}/confirm"),
                &firm_s,
                None,
            ),
        )
        .await;
        assert_eq!(st, StatusCode::OK, "{v}");
        assert!(v["confirmed_by"].as_str().unwrap().contains("受援单位"));
        for id in &ids {
            let (st, v) = send(
                &app,
                req(
                    "POST",
                    &format!("/api/v1/people/logs/{id}/confirm"),
                    &city,
                    None,
                ),
            )
            .await;
            assert_eq!(st, StatusCode::OK, "{v}");
        }
        let (st, e) = send(
            &app,
            req(
                "DELETE",
                &format!("/api/v1/people/logs/{}", ids[1]),
                &tps,
                None,
            ),
        )
        .await;
        assert_eq!(
            (st, codes(&e)),
            (StatusCode::CONFLICT, vec!["log.confirmed".to_owned()])
        );
        let (st, v) = send(
            &app,
            req(
                "POST",
                &format!("/api/v1/people/dispatches/{plant}/rating"),
                &firm_s,
                Some(json!({"year": 2025, "score": 5, "comment": "解决了杀菌工艺问题"})),
            ),
        )
        .await;
        assert_eq!(st, StatusCode::OK, "{v}");
        let (st, e) = send(
            &app,
            req(
                "POST",
                &format!("/api/v1/people/dispatches/{village}/rating"),
                &city,
                Some(json!({"year": 2025, "score": 6})),
            ),
        )
        .await;
        assert_eq!(
            (st, codes(&e)),
            (
                StatusCode::UNPROCESSABLE_ENTITY,
                vec!["score.range".to_owned()]
            )
        );

        // The assessment: 12 confirmed services of at least a day → 合格 by the visit count,
        // explained, the unconfirmed log left out.
        let (st, r) = send(
            &app,
            req(
                "POST",
                "/api/v1/people/assessments/run",
                &city,
                Some(json!({"year": 2025})),
            ),
        )
        .await;
        assert_eq!(st, StatusCode::OK, "{r}");
        assert_eq!(
            (r["assessed"].as_i64(), r["qualified"].as_i64()),
            (Some(1), Some(1)),
            "{r}"
        );
        let (_, list) = send(
            &app,
            req("GET", "/api/v1/people/assessments?year=2025", &tps, None),
        )
        .await;
        let a = &list["items"][0];
        assert_eq!(a["grade"], "qualified", "{a}");
        assert_eq!(
            (a["visits"].as_i64(), a["days"].as_str()),
            (Some(12), Some("12.5")),
            "{a}"
        );
        assert_eq!(a["unconfirmed"].as_i64(), Some(1));
        let why = a["explanation"].as_str().unwrap();
        assert!(
            why.contains("履职达标：符合") && why.contains("未计入考核"),
            "{why}"
        );
        assert!(a["rule"].as_str().unwrap().contains("河南"), "{a}");
        assert_eq!(count(&app, &county, "/api/v1/people/assessments").await, 0);
        // A re-run replaces the year's result, it does not add one.
        send(
            &app,
            req(
                "POST",
                "/api/v1/people/assessments/run",
                &city,
                Some(json!({"year": 2025})),
            ),
        )
        .await;
        assert_eq!(
            count(&app, &city, "/api/v1/people/assessments?year=2025").await,
            1
        );

        // The commissioner sees their own record with the phone; the county nothing; progress.
        let (_, mine) = send(&app, req("GET", "/api/v1/people/commissioners", &tps, None)).await;
        assert_eq!(mine["total"].as_i64(), Some(1));
        assert_eq!(mine["items"][0]["phone"], "13903911200");
        let (_, d) = send(
            &app,
            req(
                "GET",
                &format!("/api/v1/people/commissioners/{cid}?year=2025"),
                &city,
                None,
            ),
        )
        .await;
        assert!(d["progress"]["met"].as_bool().unwrap(), "{}", d["progress"]);
        assert!(
            d["progress"]["sentence"]
                .as_str()
                .unwrap()
                .contains("已达标")
        );

        // Registry-computed indicators: one person serving at the end of 2025, 12 services.
        let m = s
            .registry_measures(&DataScope::All, 2025..=2025)
            .await
            .unwrap();
        let val = |el: &str| {
            m.iter()
                .filter(|x| x.element == el)
                .map(|x| x.value)
                .sum::<rust_decimal::Decimal>()
        };
        assert_eq!(val("tech_commissioners"), 1.into());
        assert_eq!(val("tech_commissioner_services"), 12.into());
        assert_eq!(val("tech_commissioner_households"), (12 * 12).into());

        let gaps = s.audit_coverage().await.unwrap();
        assert!(gaps.is_empty(), "{gaps:?}");
        db.drop_db().await;
    }
}

#[tokio::test]
async fn a_talent_from_application_through_review_to_recognition_and_subsidy() {
    for db in all().await {
        let s = &db.store;
        let sys = Caller::system("t");
        let firm = s
            .create_organization(&sys, &fixtures::org("419001", 91, "济源丙环保有限公司"))
            .await
            .unwrap();
        let mut orgs = Vec::new();
        for i in 0..3u32 {
            orgs.push(
                s.create_organization(
                    &sys,
                    &fixtures::org("419001", 92 + i, &format!("评审单位{i}")),
                )
                .await
                .unwrap()
                .id,
            );
        }
        user(s, "city", "region", "419001", None, "officer").await;
        user(s, "boss", "region", "419001", None, "leader").await;
        user(
            s,
            "firm",
            "organization",
            "419001",
            Some(firm.id),
            "enterprise",
        )
        .await;
        let mut experts = Vec::new();
        for (i, org) in orgs.iter().enumerate() {
            let u = user(s, &format!("exp{i}"), "self", "419001", None, "expert").await;
            let mut p = fixtures::expert(*org, &format!("专家{i}"));
            p.disciplines = vec!["环境科学与工程".into()];
            s.create_person(&sys, &p, b"k", Some(u)).await.unwrap();
            experts.push(format!("exp{i}"));
        }
        let mut p = person(firm.id, "李慧敏");
        p.disciplines = vec!["环境科学与工程".into()];
        let young = s.create_person(&sys, &p, b"k", None).await.unwrap();
        let old = s
            .create_person(&sys, &person(firm.id, "孙国强"), b"k", None)
            .await
            .unwrap();
        let app = app(s.clone(), Config::default());
        let city = login(&app, "city").await;
        let boss = login(&app, "boss").await;
        let fs = login(&app, "firm").await;

        let application = |pid: i64, tier: &str, birth: &str, honours: Value| {
            json!({"person_id": pid, "org_id": 0, "year": 2026, "claimed_tier": tier, "birth_date": birth,
                "education": "博士研究生", "honours": honours, "evidence": "证书编号（测试）",
                "full_time": true, "phone": "13838913001", "salary": "360000"})
        };
        // An over-age applicant for the age-limited tier: refused at submission, nothing changed.
        let (st, a) = send(
            &app,
            req(
                "POST",
                "/api/v1/people/talent-applications",
                &fs,
                Some(application(
                    old.id,
                    "d",
                    "1975-03-08",
                    json!(["senior_title"]),
                )),
            ),
        )
        .await;
        assert_eq!(st, StatusCode::CREATED, "{a}");
        let old_app = a["id"].as_i64().unwrap();
        let (st, e) = send(
            &app,
            req(
                "POST",
                &format!("/api/v1/people/talent-applications/{old_app}/submit"),
                &fs,
                None,
            ),
        )
        .await;
        assert_eq!(
            (st, codes(&e)),
            (
                StatusCode::UNPROCESSABLE_ENTITY,
                vec!["talent.age_limit".to_owned()]
            ),
            "{e}"
        );
        assert!(e["message"].as_str().unwrap().contains("45周岁以下"), "{e}");
        let (_, v) = send(
            &app,
            req(
                "GET",
                &format!("/api/v1/people/talent-applications/{old_app}"),
                &fs,
                None,
            ),
        )
        .await;
        assert_eq!(v["application"]["status"], "draft");
        // No honours that reach a tier: refused with the pack's reasons.
        let (_, a) = send(
            &app,
            req(
                "POST",
                "/api/v1/people/talent-applications",
                &fs,
                Some(application(young.id, "c", "1990-09-03", json!([]))),
            ),
        )
        .await;
        let app_id = a["id"].as_i64().unwrap();
        let (st, e) = send(
            &app,
            req(
                "POST",
                &format!("/api/v1/people/talent-applications/{app_id}/submit"),
                &fs,
                None,
            ),
        )
        .await;
        assert_eq!(
            (st, codes(&e)),
            (
                StatusCode::CONFLICT,
                vec!["talent.not_qualified".to_owned()]
            ),
            "{e}"
        );
        let mut fixed = application(
            young.id,
            "c",
            "1990-09-03",
            json!(["provincial_programme", "senior_title"]),
        );
        fixed["org_id"] = json!(firm.id);
        let (st, v) = send(
            &app,
            req(
                "PUT",
                &format!("/api/v1/people/talent-applications/{app_id}"),
                &fs,
                Some(fixed),
            ),
        )
        .await;
        assert_eq!(st, StatusCode::OK, "{v}");
        let (st, v) = send(
            &app,
            req(
                "POST",
                &format!("/api/v1/people/talent-applications/{app_id}/submit"),
                &fs,
                None,
            ),
        )
        .await;
        assert_eq!(st, StatusCode::OK, "{v}");
        assert_eq!(v["matched_tier"], "c", "{v}");
        assert!(
            v["explanation"].as_str().unwrap().contains("C类条件：符合"),
            "{v}"
        );
        // The leader reads private data masked; the unit in full.
        let (_, v) = send(
            &app,
            req(
                "GET",
                &format!("/api/v1/people/talent-applications/{app_id}"),
                &boss,
                None,
            ),
        )
        .await;
        assert_eq!(
            (
                v["application"]["phone"].as_str(),
                v["application"]["salary"].as_str()
            ),
            (Some("138****3001"), Some("***"))
        );
        let (_, v) = send(
            &app,
            req(
                "GET",
                &format!("/api/v1/people/talent-applications/{app_id}"),
                &fs,
                None,
            ),
        )
        .await;
        assert_eq!(v["application"]["phone"], "13838913001");

        // Recognition needs a closed review round.
        let (st, e) = send(
            &app,
            req(
                "POST",
                &format!("/api/v1/people/talent-applications/{app_id}/decide"),
                &city,
                Some(json!({"recognize": true})),
            ),
        )
        .await;
        assert_eq!(
            (st, codes(&e)),
            (StatusCode::CONFLICT, vec!["talent.not_reviewed".to_owned()]),
            "{e}"
        );
        let form = json!([{"key": "level", "label": "学术水平", "max": 50}, {"key": "contribution", "label": "贡献预期", "max": 50}]);
        let (st, r) = send(&app, req("POST", "/api/v1/people/talent-applications/review", &city,
            Some(json!({"application_ids": [app_id], "round": {"title": "2026年人才认定评审", "object_kind": "other",
                "reviewers_per_item": 3, "max_load": 3, "form": form}})))).await;
        assert_eq!(st, StatusCode::CREATED, "{r}");
        let rid = r["id"].as_i64().unwrap();
        assert_eq!(r["object_kind"], "talent_application");
        let (st, v) = send(
            &app,
            req(
                "POST",
                &format!("/api/v1/review/rounds/{rid}/assign"),
                &city,
                Some(json!({"mode": "optimal"})),
            ),
        )
        .await;
        assert_eq!(st, StatusCode::OK, "{v}");
        send(
            &app,
            req(
                "POST",
                &format!("/api/v1/review/rounds/{rid}/publish"),
                &city,
                None,
            ),
        )
        .await;
        let (st, e) = send(
            &app,
            req(
                "POST",
                &format!("/api/v1/people/talent-applications/{app_id}/decide"),
                &city,
                Some(json!({"recognize": true})),
            ),
        )
        .await;
        assert_eq!(
            (st, codes(&e)),
            (StatusCode::CONFLICT, vec!["talent.review_open".to_owned()]),
            "{e}"
        );
        for (i, name) in experts.iter().enumerate() {
            let es = login(&app, name).await;
            let (_, mine) = send(&app, req("GET", "/api/v1/review/my", &es, None)).await;
            let tid = mine[0]["id"].as_i64().unwrap();
            let (st, t) = send(
                &app,
                req(
                    "GET",
                    &format!("/api/v1/review/assignments/{tid}/talent"),
                    &es,
                    None,
                ),
            )
            .await;
            assert_eq!(st, StatusCode::OK, "{t}");
            assert_eq!(t["person_name"], "李慧敏");
            assert!(
                t["phone"].is_null() && t["salary"].is_null(),
                "no private data for the expert: {t}"
            );
            let (st, v) = send(
                &app,
                req(
                    "POST",
                    &format!("/api/v1/review/assignments/{tid}/scores"),
                    &es,
                    Some(json!({"scores": {"level": 40 + i as i64, "contribution": 42}})),
                ),
            )
            .await;
            assert_eq!(st, StatusCode::OK, "{v}");
        }
        send(
            &app,
            req(
                "POST",
                &format!("/api/v1/review/rounds/{rid}/close"),
                &city,
                None,
            ),
        )
        .await;
        let (st, v) = send(
            &app,
            req(
                "POST",
                &format!("/api/v1/people/talent-applications/{app_id}/decide"),
                &city,
                Some(json!({"recognize": true, "note": "予以认定"})),
            ),
        )
        .await;
        assert_eq!(st, StatusCode::OK, "{v}");
        assert_eq!(
            (v["status"].as_str(), v["review_score"].as_str()),
            (Some("recognized"), Some("83")),
            "{v}"
        );
        let tid = v["talent_id"].as_i64().unwrap();
        let (_, t) = send(
            &app,
            req("GET", &format!("/api/v1/people/talents/{tid}"), &fs, None),
        )
        .await;
        assert_eq!(t["talent"]["tier"], "c");
        assert_eq!(t["talent"]["certificate_no"], "RC20260001");
        let until = (kechuang_server::api::today() + chrono::Months::new(60)
            - chrono::Duration::days(1))
        .to_string();
        assert_eq!(t["talent"]["valid_until"].as_str(), Some(until.as_str()));
        // A second application for a recognised person is refused.
        let mut twice = application(young.id, "b", "1990-09-03", json!(["national_programme"]));
        twice["org_id"] = json!(firm.id);
        let (st, e) = send(
            &app,
            req(
                "POST",
                "/api/v1/people/talent-applications",
                &fs,
                Some(twice),
            ),
        )
        .await;
        assert_eq!(
            (st, codes(&e)),
            (StatusCode::CONFLICT, vec!["talent.duplicate".to_owned()]),
            "{e}"
        );

        // The housing subsidy from a talent programme, in the employer's record.
        let (st, p) = send(&app, req("POST", "/api/v1/funds/programmes", &city, Some(json!({"code": "JY-RC-T",
            "name": "人才购房补贴", "kind": "talent", "mode": "auto", "year": 2026, "region": "419001",
            "budget": "2000000", "fund_source": "人才专项", "basis": "测试", "pack": "talent-tiers",
            "notice_days": 0, "valid_days": 0, "status": "open"})))).await;
        assert_eq!(st, StatusCode::CREATED, "{p}");
        let pid = p["id"].as_i64().unwrap();
        let (st, o) = send(
            &app,
            req(
                "POST",
                &format!("/api/v1/funds/programmes/{pid}/propose"),
                &city,
                None,
            ),
        )
        .await;
        assert_eq!(
            (st, o["changed"].as_i64()),
            (StatusCode::OK, Some(1)),
            "{o}"
        );
        let (_, t) = send(
            &app,
            req("GET", &format!("/api/v1/people/talents/{tid}"), &fs, None),
        )
        .await;
        assert_eq!(
            t["grants"][0]["amount_fen"].as_i64(),
            Some(100_000_000),
            "C 100万: {t}"
        );
        assert_eq!(t["grants"][0]["org_id"].as_i64(), Some(firm.id));
        let (_, o) = send(
            &app,
            req(
                "POST",
                &format!("/api/v1/funds/programmes/{pid}/propose"),
                &city,
                None,
            ),
        )
        .await;
        assert_eq!(
            o["changed"].as_i64(),
            Some(0),
            "a second run proposes nothing twice"
        );

        // A demand and its explained matches (professional fields only).
        let (st, d) = send(&app, req("POST", "/api/v1/people/demands", &fs, Some(json!({"org_id": 0,
            "title": "催化材料工程师", "field": "环境科学", "keywords": ["催化"], "count": 1,
            "description": "研发", "deadline": (kechuang_server::api::today() + chrono::Duration::days(30)).to_string()})))).await;
        assert_eq!(st, StatusCode::CREATED, "{d}");
        assert_eq!(
            d["org_id"].as_i64(),
            Some(firm.id),
            "the unit posts for itself"
        );
        let (_, m) = send(
            &app,
            req(
                "GET",
                &format!("/api/v1/people/demands/{}/matches", d["id"]),
                &fs,
                None,
            ),
        )
        .await;
        let first = &m[0];
        assert!(
            first["reasons"][0]
                .as_str()
                .unwrap()
                .contains("专业领域相符"),
            "{m}"
        );
        assert!(first.get("phone").is_none());

        let gaps = s.audit_coverage().await.unwrap();
        assert!(gaps.is_empty(), "{gaps:?}");
        db.drop_db().await;
    }
}
