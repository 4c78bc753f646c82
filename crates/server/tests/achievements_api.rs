//! 科技成果 through the API, on both backends: an institute publishes (bad data refused with
//! the field and nothing stored), the bureau of its region reviews and opens the 15-day public
//! notice, an enterprise of another region objects from the 成果大厅, listing is refused with
//! the rule's reason until the objection is resolved and the period is over, then the
//! achievement is listed and dealt. Drafts stay private; every move is scoped and audited.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use axum::http::StatusCode;
use common::{login, req, send, user};
use kechuang_server::{Config, app};
use kechuang_store::Caller;
use kechuang_testkit::{all, fixtures};
use serde_json::{Value, json};

fn body(title: &str, patent: &str) -> Value {
    json!({
        "title": title, "area": "materials", "industry": "C3240", "keywords": ["铅冶炼", "清洁生产"],
        "summary": "高纯铅电解精炼的连续化工艺，能耗降低12%。", "trl": 6, "team": [],
        "ip": [{"kind": "invention_patent", "number": patent}], "modes": ["transfer", "license_ordinary"],
        "negotiable": false, "asking_price": "1200000", "contact": "张工 0391-6600000"
    })
}

fn ids(v: &Value) -> Vec<i64> {
    v["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["id"].as_i64().unwrap())
        .collect()
}

#[tokio::test]
async fn an_achievement_from_draft_through_notice_and_objection_to_a_deal() {
    for db in all().await {
        let s = &db.store;
        let sys = Caller::system("t");
        let inst = s
            .create_organization(&sys, &fixtures::org("419001", 81, "济源研究院"))
            .await
            .unwrap();
        let other = s
            .create_organization(&sys, &fixtures::org("419001", 82, "济源企业"))
            .await
            .unwrap();
        let mz = s
            .create_organization(&sys, &fixtures::org("410883", 83, "孟州企业"))
            .await
            .unwrap();
        user(
            s,
            "yuan",
            "organization",
            "419001",
            Some(inst.id),
            "enterprise",
        )
        .await;
        user(
            s,
            "qiye",
            "organization",
            "419001",
            Some(other.id),
            "enterprise",
        )
        .await;
        user(
            s,
            "qiyemz",
            "organization",
            "410883",
            Some(mz.id),
            "enterprise",
        )
        .await;
        user(s, "city", "region", "419001", None, "officer").await;
        user(s, "county", "region", "410883", None, "officer").await;
        user(s, "exp", "self", "419001", None, "expert").await;
        let app = app(s.clone(), Config::default());
        let yuan = login(&app, "yuan").await;
        let qiye = login(&app, "qiye").await;
        let qiyemz = login(&app, "qiyemz").await;
        let city = login(&app, "city").await;
        let county = login(&app, "county").await;
        let exp = login(&app, "exp").await;

        // ---- bad data: the field and a stable code, nothing stored ----
        let (st, e) = send(
            &app,
            req(
                "POST",
                "/api/v1/achievements",
                &yuan,
                Some(body("坏专利号", "ZL201910123456.3")),
            ),
        )
        .await;
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
        assert_eq!(e["fields"][0]["field"], "ip.0");
        assert_eq!(e["fields"][0]["code"], "ip.number");
        assert!(e["message"].as_str().unwrap().contains("“X”"), "{e}");
        let mut b = body("无方式", "ZL201910123456.X");
        b["modes"] = json!([]);
        b["trl"] = json!(10);
        let (st, e) = send(&app, req("POST", "/api/v1/achievements", &yuan, Some(b))).await;
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
        let codes: Vec<&str> = e["fields"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["code"].as_str().unwrap())
            .collect();
        assert!(
            codes.contains(&"modes.required") && codes.contains(&"trl.range"),
            "{codes:?}"
        );
        let (_, l) = send(&app, req("GET", "/api/v1/achievements", &yuan, None)).await;
        assert_eq!(l["total"], 0);
        let (st, _) = send(
            &app,
            req(
                "POST",
                "/api/v1/achievements",
                &city,
                Some(body("局", "ZL201910123456.X")),
            ),
        )
        .await;
        assert_eq!(st, StatusCode::FORBIDDEN, "only an organization publishes");
        let (st, _) = send(&app, req("GET", "/api/v1/achievements", &exp, None)).await;
        assert_eq!(st, StatusCode::FORBIDDEN);

        // ---- draft: private to its owner and its region's bureau ----
        let (st, a) = send(
            &app,
            req(
                "POST",
                "/api/v1/achievements",
                &yuan,
                Some(body("高纯铅连续电解精炼技术", "201910123456x")),
            ),
        )
        .await;
        assert_eq!(st, StatusCode::CREATED, "{a}");
        let id = a["id"].as_i64().unwrap();
        assert_eq!(a["ip"][0]["number"], "ZL201910123456.X");
        assert_eq!(a["trl_label"], "TRL 6 相关环境演示");
        assert_eq!(a["asking_price"], "1200000");
        assert_eq!(a["actions"], json!(["edit", "submit", "delete"]));
        for who in [&qiye, &qiyemz, &county] {
            let (st, _) = send(
                &app,
                req("GET", &format!("/api/v1/achievements/{id}"), who, None),
            )
            .await;
            assert_eq!(st, StatusCode::NOT_FOUND);
        }
        let (_, hall) = send(
            &app,
            req("GET", "/api/v1/achievements?hall=true", &qiyemz, None),
        )
        .await;
        assert!(ids(&hall).is_empty(), "drafts are not in the hall: {hall}");

        // ---- submit, review ----
        let (_, a) = send(
            &app,
            req(
                "POST",
                &format!("/api/v1/achievements/{id}/submit"),
                &yuan,
                None,
            ),
        )
        .await;
        assert_eq!(a["status"], "pending", "{a}");
        let (st, _) = send(
            &app,
            req(
                "POST",
                &format!("/api/v1/achievements/{id}/review"),
                &county,
                Some(json!({"approve": true})),
            ),
        )
        .await;
        assert_eq!(st, StatusCode::NOT_FOUND, "another region's bureau");
        let (st, e) = send(
            &app,
            req(
                "POST",
                &format!("/api/v1/achievements/{id}/review"),
                &city,
                Some(json!({"approve": false})),
            ),
        )
        .await;
        assert_eq!(
            st,
            StatusCode::UNPROCESSABLE_ENTITY,
            "a return needs its reason: {e}"
        );
        let (st, a) = send(
            &app,
            req(
                "POST",
                &format!("/api/v1/achievements/{id}/review"),
                &city,
                Some(json!({"approve": true})),
            ),
        )
        .await;
        assert_eq!(
            (st, a["status"].as_str()),
            (StatusCode::OK, Some("notice")),
            "{a}"
        );
        let today = kechuang_server::api::today();
        assert_eq!(a["notice_days"], 15);
        assert_eq!(a["notice_end"], (today + chrono::Days::new(15)).to_string());
        assert!(
            a["listable_reason"]
                .as_str()
                .unwrap()
                .contains("距公示期满还有15日"),
            "{a}"
        );
        assert!(!a["actions"].as_array().unwrap().contains(&json!("list")));

        // ---- the hall, an objection from another region ----
        let (_, hall) = send(
            &app,
            req(
                "GET",
                "/api/v1/achievements?hall=true&area=materials&trl_min=5&mode=transfer",
                &qiyemz,
                None,
            ),
        )
        .await;
        assert_eq!(ids(&hall), vec![id], "{hall}");
        let (_, hall) = send(
            &app,
            req(
                "GET",
                "/api/v1/achievements?hall=true&trl_min=7",
                &qiyemz,
                None,
            ),
        )
        .await;
        assert!(ids(&hall).is_empty());
        let (_, mine) = send(&app, req("GET", "/api/v1/achievements", &qiyemz, None)).await;
        assert!(ids(&mine).is_empty(), "its own list holds only its own");
        let (st, seen) = send(
            &app,
            req("GET", &format!("/api/v1/achievements/{id}"), &qiyemz, None),
        )
        .await;
        assert_eq!(st, StatusCode::OK);
        assert_eq!(seen["actions"], json!(["object"]), "{seen}");
        let (st, _) = send(
            &app,
            req(
                "PUT",
                &format!("/api/v1/achievements/{id}"),
                &qiyemz,
                Some(body("改", "ZL201910123456.X")),
            ),
        )
        .await;
        assert_eq!(st, StatusCode::FORBIDDEN, "seeing is not changing");
        let (st, a) = send(
            &app,
            req(
                "POST",
                &format!("/api/v1/achievements/{id}/objections"),
                &qiyemz,
                Some(json!({"content": "该工艺与我公司在先专利ZL201810000000权利要求重叠"})),
            ),
        )
        .await;
        assert_eq!(st, StatusCode::OK, "{a}");
        assert_eq!(a["open_objections"], 1);
        let (st, e) = send(
            &app,
            req(
                "POST",
                &format!("/api/v1/achievements/{id}/list"),
                &city,
                None,
            ),
        )
        .await;
        assert_eq!(
            (st, e["code"].as_str()),
            (StatusCode::CONFLICT, Some("achievement.not_listable")),
            "{e}"
        );
        assert!(
            e["message"].as_str().unwrap().contains("异议均已处理"),
            "{e}"
        );
        // The notice started 20 days ago: only the objection holds it back now.
        let start = (today - chrono::Days::new(20)).to_string();
        db.execute(&format!(
            "UPDATE achievements SET notice_start = '{start}' WHERE id = {id}"
        ))
        .await;
        let (_, e) = send(
            &app,
            req(
                "POST",
                &format!("/api/v1/achievements/{id}/list"),
                &city,
                None,
            ),
        )
        .await;
        assert!(
            !e["message"].as_str().unwrap().contains("距公示期满"),
            "{e}"
        );
        let (st, a) = send(
            &app,
            req(
                "POST",
                &format!("/api/v1/achievements/{id}/objections/1/resolve"),
                &city,
                Some(json!({"upheld": false, "resolution": "经核查，权利要求不重叠"})),
            ),
        )
        .await;
        assert_eq!(
            (st, a["open_objections"].as_i64()),
            (StatusCode::OK, Some(0)),
            "{a}"
        );
        assert_eq!(a["objections"][0]["resolved"], true);
        assert!(
            a["actions"].as_array().unwrap().contains(&json!("list")),
            "{a}"
        );
        let (st, a) = send(
            &app,
            req(
                "POST",
                &format!("/api/v1/achievements/{id}/list"),
                &city,
                None,
            ),
        )
        .await;
        assert_eq!(
            (st, a["status"].as_str()),
            (StatusCode::OK, Some("listed")),
            "{a}"
        );
        let (st, _) = send(
            &app,
            req(
                "POST",
                &format!("/api/v1/achievements/{id}/deal"),
                &qiye,
                Some(json!({})),
            ),
        )
        .await;
        assert_eq!(
            st,
            StatusCode::FORBIDDEN,
            "only its holder records the deal"
        );
        let (st, a) = send(
            &app,
            req(
                "POST",
                &format!("/api/v1/achievements/{id}/deal"),
                &yuan,
                Some(json!({"note": "转让给济源企业"})),
            ),
        )
        .await;
        assert_eq!(
            (st, a["status"].as_str()),
            (StatusCode::OK, Some("dealt")),
            "{a}"
        );

        // ---- an upheld objection sends a second achievement back ----
        let (_, b2) = send(
            &app,
            req(
                "POST",
                "/api/v1/achievements",
                &yuan,
                Some(body("锌渣综合回收技术", "ZL201910123456.X")),
            ),
        )
        .await;
        let id2 = b2["id"].as_i64().unwrap();
        send(
            &app,
            req(
                "POST",
                &format!("/api/v1/achievements/{id2}/submit"),
                &yuan,
                None,
            ),
        )
        .await;
        send(
            &app,
            req(
                "POST",
                &format!("/api/v1/achievements/{id2}/review"),
                &city,
                Some(json!({"approve": true})),
            ),
        )
        .await;
        send(
            &app,
            req(
                "POST",
                &format!("/api/v1/achievements/{id2}/objections"),
                &qiye,
                Some(json!({"content": "权属存在争议"})),
            ),
        )
        .await;
        let (_, a) = send(
            &app,
            req(
                "POST",
                &format!("/api/v1/achievements/{id2}/objections/1/resolve"),
                &city,
                Some(json!({"upheld": true, "resolution": "权属待确认"})),
            ),
        )
        .await;
        assert_eq!(a["status"], "returned", "{a}");
        assert!(a["return_reason"].as_str().unwrap().contains("权属待确认"));
        let (st, _) = send(
            &app,
            req("GET", &format!("/api/v1/achievements/{id2}"), &qiyemz, None),
        )
        .await;
        assert_eq!(st, StatusCode::NOT_FOUND, "back to private");

        // Audited, and every row has its entry.
        let entries = s
            .list_audit(
                &kechuang_store::DataScope::All,
                &kechuang_store::audit::AuditFilter {
                    entity: Some("achievement".into()),
                    ..Default::default()
                },
                kechuang_store::PageRequest::new(1, 100),
            )
            .await
            .unwrap()
            .items;
        let actions: Vec<&str> = entries.iter().map(|e| e.action.as_str()).collect();
        for x in [
            "create", "submit", "publish", "object", "resolve", "list", "deal",
        ] {
            assert!(actions.contains(&x), "{x} missing from {actions:?}");
        }
        assert_eq!(s.audit_coverage().await.unwrap(), vec![], "{}", db.name);
        db.drop_db().await;
    }
}

/// 技术需求 on the market: an enterprise posts a demand with its range, field, keywords and
/// maturity (bad ranges refused); the 需求大厅 shows open demands of every region; matching
/// ranks achievements on the market for the demand and demands for an achievement, each with
/// its reasons, and never suggests a draft.
#[tokio::test]
async fn demands_are_posted_shown_in_the_hall_and_matched_with_reasons() {
    for db in all().await {
        let s = &db.store;
        let sys = Caller::system("t");
        let inst = s
            .create_organization(&sys, &fixtures::org("419001", 84, "济源研究院"))
            .await
            .unwrap();
        let ent = s
            .create_organization(&sys, &fixtures::org("410883", 85, "孟州冶炼企业"))
            .await
            .unwrap();
        user(
            s,
            "yuan",
            "organization",
            "419001",
            Some(inst.id),
            "enterprise",
        )
        .await;
        user(
            s,
            "qiye",
            "organization",
            "410883",
            Some(ent.id),
            "enterprise",
        )
        .await;
        user(s, "city", "region", "419001", None, "officer").await;
        user(s, "exp", "self", "419001", None, "expert").await;
        let app = app(s.clone(), Config::default());
        let yuan = login(&app, "yuan").await;
        let qiye = login(&app, "qiye").await;
        let city = login(&app, "city").await;
        let exp = login(&app, "exp").await;
        // Two achievements on the market, one draft that must never be suggested.
        let mut listed = Vec::new();
        for (title, kw, area, trl, public) in [
            (
                "冶炼烟气脱硫脱硝一体化技术",
                vec!["冶炼", "烟气脱硫"],
                "environment",
                7,
                true,
            ),
            (
                "碳化硅功率模块封装工艺",
                vec!["碳化硅", "封装"],
                "electronics",
                4,
                true,
            ),
            (
                "冶炼烟气余热回收技术（草稿）",
                vec!["冶炼", "烟气"],
                "environment",
                8,
                false,
            ),
        ] {
            let mut b = body(title, "ZL201910123456.X");
            b["keywords"] = json!(kw);
            b["area"] = json!(area);
            b["trl"] = json!(trl);
            b["summary"] = json!(if area == "environment" {
                format!("{title}，适用于铅锌冶炼烟气治理")
            } else {
                format!("{title}，用于新能源汽车电驱")
            });
            let (_, a) = send(&app, req("POST", "/api/v1/achievements", &yuan, Some(b))).await;
            let id = a["id"].as_i64().unwrap();
            if public {
                send(
                    &app,
                    req(
                        "POST",
                        &format!("/api/v1/achievements/{id}/submit"),
                        &yuan,
                        None,
                    ),
                )
                .await;
                let (_, r) = send(
                    &app,
                    req(
                        "POST",
                        &format!("/api/v1/achievements/{id}/review"),
                        &city,
                        Some(json!({"approve": true})),
                    ),
                )
                .await;
                assert_eq!(r["status"], "notice", "{r}");
            }
            listed.push(id);
        }
        // A demand with a bad budget range is refused on its field, nothing stored.
        let demand = json!({
            "org_id": ent.id, "title": "铅冶炼烟气深度脱硫技术需求", "description": "降低冶炼烟气二氧化硫排放，稳定达到超低排放",
            "target": "二氧化硫排放浓度低于35毫克每立方米", "budget": "2000000", "budget_min": "500000",
            "deadline": "2027-06-30", "area": "environment", "keywords": ["铅冶炼", "烟气脱硫"], "trl_min": 6
        });
        let mut bad = demand.clone();
        bad["budget_min"] = json!("3000000");
        let (st, e) = send(&app, req("POST", "/api/v1/demands", &qiye, Some(bad))).await;
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
        assert_eq!(e["fields"][0]["code"], "demand.budget_range");
        let (st, d) = send(&app, req("POST", "/api/v1/demands", &qiye, Some(demand))).await;
        assert_eq!(st, StatusCode::CREATED, "{d}");
        let did = d["id"].as_i64().unwrap();
        assert_eq!(d["keywords"], json!(["铅冶炼", "烟气脱硫"]));
        assert_eq!(d["status_label"], "征集中");
        // The hall: every region's open demands, for every market reader.
        let (st, hall) = send(&app, req("GET", "/api/v1/demands/hall?q=脱硫", &yuan, None)).await;
        assert_eq!(st, StatusCode::OK, "{hall}");
        assert_eq!(ids(&hall), vec![did]);
        let (_, hall) = send(
            &app,
            req("GET", "/api/v1/demands/hall?area=electronics", &yuan, None),
        )
        .await;
        assert!(ids(&hall).is_empty());
        let (st, _) = send(&app, req("GET", "/api/v1/demands/hall", &exp, None)).await;
        assert_eq!(st, StatusCode::FORBIDDEN);
        // Matches for the demand: the close achievement first, with its reasons; no draft.
        let (st, m) = send(
            &app,
            req(
                "GET",
                &format!("/api/v1/demands/{did}/matches"),
                &yuan,
                None,
            ),
        )
        .await;
        assert_eq!(st, StatusCode::OK, "{m}");
        let got: Vec<i64> = m
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x["id"].as_i64().unwrap())
            .collect();
        assert_eq!(got, vec![listed[0]], "{m}");
        let reasons = m[0]["reasons"].to_string();
        assert!(
            reasons.contains("关键词相同")
                && reasons.contains("技术领域相同")
                && reasons.contains("达到需求要求的6级"),
            "{reasons}"
        );
        assert!(m[0]["score"].as_u64().unwrap() >= 50, "{m}");
        // Matches for the achievement: the demand, from another region.
        let (_, m) = send(
            &app,
            req(
                "GET",
                &format!("/api/v1/achievements/{}/matches", listed[0]),
                &qiye,
                None,
            ),
        )
        .await;
        assert_eq!(m[0]["id"], did, "{m}");
        assert_eq!(m[0]["kind"], "demand");
        // A draft achievement is not readable outside its scope, so it has no matches to show.
        let (st, _) = send(
            &app,
            req(
                "GET",
                &format!("/api/v1/achievements/{}/matches", listed[2]),
                &qiye,
                None,
            ),
        )
        .await;
        assert_eq!(st, StatusCode::NOT_FOUND);
        assert_eq!(s.audit_coverage().await.unwrap(), vec![], "{}", db.name);
        db.drop_db().await;
    }
}
