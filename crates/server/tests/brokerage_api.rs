//! 技术经纪人 and 对接活动 through the API, on both backends: a bureau registers a broker (bad
//! data and a duplicate certificate refused with their codes, nothing stored), records an event
//! linking a public achievement of another region and its own demand, records the outcome with
//! the contract that followed (a contract signed before the event refused), and the broker's
//! record shows the event, the achievement and both the event's contract and the contract that
//! names it as 中介方, with the registered 成交额. Other regions and enterprises are refused;
//! every write is audited.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use axum::http::StatusCode;
use chrono::NaiveDate;
use common::{login, req, send, user};
use kechuang_domain::contract::{ContractInput, Decision, Findings, NewContract};
use kechuang_server::{Config, app};
use kechuang_store::Caller;
use kechuang_store::contracts::Ruling;
use kechuang_testkit::{all, fixtures};
use serde_json::{Value, json};

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

/// A registered contract of `seller`, signed on `signed`, naming `broker` as 中介方.
async fn registered(
    s: &kechuang_store::Store,
    seller: i64,
    no: &str,
    signed: &str,
    total: &str,
    broker: &str,
) -> i64 {
    let sys = Caller::system("t");
    let input = ContractInput {
        contract_no: no.into(),
        subject: "铅冶炼烟气治理技术转让".into(),
        category: "技术转让".into(),
        subcategory: "专利权转让".into(),
        form: "书面".into(),
        field: "环境保护与资源综合利用".into(),
        ip_kind: "patent".into(),
        buyer_name: "孟州买方".into(),
        buyer_credit_code: fixtures::credit_code("410883", 77).as_str().to_owned(),
        total_amount: total.into(),
        non_tech_amount: "0".into(),
        signed_on: signed.into(),
        valid_from: signed.into(),
        valid_to: "2027-12-31".into(),
        broker_name: broker.into(),
        ..Default::default()
    };
    let c = NewContract::parse(&input, day("2026-12-01"), false).unwrap();
    let draft = s.create_contract(&sys, seller, &c).await.unwrap();
    let pdf = b"%PDF-1.4\n% contract\n%%EOF\n";
    let sha = kechuang_domain::attachment::check_pdf("合同.pdf", pdf)
        .unwrap()
        .sha256;
    s.attach_contract_file(&sys, draft.id, "合同.pdf", &sha, pdf)
        .await
        .unwrap();
    let accepted = day(signed) + chrono::Days::new(3);
    s.submit_contract(&sys, draft.id, accepted, accepted + chrono::Days::new(20))
        .await
        .unwrap();
    s.decide_contract(
        &sys,
        draft.id,
        &Ruling {
            decision: Decision::Register,
            technical_fen: c.total_fen,
            second_review: false,
            reasons: vec![],
            explanation: "测试".into(),
            findings: Findings::default(),
            note: None,
            today: accepted + chrono::Days::new(5),
        },
    )
    .await
    .unwrap();
    draft.id
}

fn codes(e: &Value) -> Vec<String> {
    e["fields"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|f| f["code"].as_str().unwrap().to_owned())
                .collect()
        })
        .unwrap_or_else(|| vec![e["code"].as_str().unwrap_or_default().to_owned()])
}

#[tokio::test]
async fn a_broker_an_event_its_outcome_and_what_the_broker_brokered() {
    for db in all().await {
        let s = &db.store;
        let sys = Caller::system("t");
        let agency = s
            .create_organization(
                &sys,
                &fixtures::org("419001", 61, "济源市科技成果转移转化中心"),
            )
            .await
            .unwrap();
        let ent = s
            .create_organization(&sys, &fixtures::org("419001", 62, "济源金利冶炼有限公司"))
            .await
            .unwrap();
        let mz_inst = s
            .create_organization(&sys, &fixtures::org("410883", 63, "孟州研究院"))
            .await
            .unwrap();
        user(s, "city", "region", "419001", None, "officer").await;
        user(s, "county", "region", "410883", None, "officer").await;
        user(
            s,
            "qiye",
            "organization",
            "419001",
            Some(ent.id),
            "enterprise",
        )
        .await;
        user(
            s,
            "mzyuan",
            "organization",
            "410883",
            Some(mz_inst.id),
            "enterprise",
        )
        .await;
        let app = app(s.clone(), Config::default());
        let city = login(&app, "city").await;
        let county = login(&app, "county").await;
        let qiye = login(&app, "qiye").await;
        let mzyuan = login(&app, "mzyuan").await;

        // ---- the broker registry ----
        let broker = json!({"name": "王立新", "certificate_no": "jy-tb-2021-0003", "level": "高级技术经纪人",
            "org_id": agency.id, "areas": ["materials"], "phone": "0391-6633000"});
        let (st, e) = send(
            &app,
            req(
                "POST",
                "/api/v1/brokers",
                &city,
                Some(json!({"name": "", "certificate_no": "编号", "level": "特级", "phone": "x"})),
            ),
        )
        .await;
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
        assert_eq!(
            codes(&e),
            vec![
                "name.required",
                "certificate_no.format",
                "level.unknown",
                "region.required",
                "phone.format"
            ]
        );
        let (st, _) = send(
            &app,
            req("POST", "/api/v1/brokers", &qiye, Some(broker.clone())),
        )
        .await;
        assert_eq!(
            st,
            StatusCode::FORBIDDEN,
            "an enterprise keeps no broker registry"
        );
        let (st, b) = send(
            &app,
            req("POST", "/api/v1/brokers", &city, Some(broker.clone())),
        )
        .await;
        assert_eq!(st, StatusCode::CREATED, "{b}");
        assert_eq!(b["certificate_no"], "JY-TB-2021-0003");
        assert_eq!(b["region_code"], "419001", "in its agency's region");
        let bid = b["id"].as_i64().unwrap();
        let (st, e) = send(
            &app,
            req("POST", "/api/v1/brokers", &city, Some(broker.clone())),
        )
        .await;
        assert_eq!(st, StatusCode::CONFLICT, "{e}");
        assert_eq!(codes(&e), vec!["certificate_no.duplicate"]);
        let (_, l) = send(&app, req("GET", "/api/v1/brokers", &city, None)).await;
        assert_eq!(l["total"], 1, "the duplicate stored nothing");
        // 等保: the list masks the phone; the detail shows the number to call.
        assert_eq!(l["items"][0]["phone"], "039****3000", "{l}");
        let (_, d) = send(
            &app,
            req("GET", &format!("/api/v1/brokers/{bid}"), &city, None),
        )
        .await;
        assert!(d.to_string().contains("0391-6633000"), "{d}");
        let (st, _) = send(
            &app,
            req("GET", &format!("/api/v1/brokers/{bid}"), &county, None),
        )
        .await;
        assert_eq!(st, StatusCode::NOT_FOUND, "another region's bureau");
        let (_, l) = send(&app, req("GET", "/api/v1/brokers", &county, None)).await;
        assert_eq!(l["total"], 0);

        // ---- an event: a public achievement of 孟州 and 济源's own demand ----
        let (st, a) = send(
            &app,
            req(
                "POST",
                "/api/v1/achievements",
                &mzyuan,
                Some(json!({"title": "铅烟气深度净化技术", "area": "environment", "industry": "C3240",
                    "keywords": ["烟气治理"], "summary": "铅冶炼烟气中重金属的深度净化。", "trl": 7, "team": [],
                    "ip": [], "modes": ["transfer"], "negotiable": true, "contact": "李工"})),
            ),
        )
        .await;
        assert_eq!(st, StatusCode::CREATED, "{a}");
        let aid = a["id"].as_i64().unwrap();
        let ev = json!({"title": "2026年铅锌冶炼成果路演", "kind": "roadshow", "held_on": "2026-03-10",
            "place": "济源市科技馆", "organizer": "济源市科学技术局", "region": "419001",
            "achievement_ids": [aid], "broker_ids": [bid], "org_ids": [ent.id]});
        let (st, e) = send(&app, req("POST", "/api/v1/events", &city, Some(ev.clone()))).await;
        assert_eq!(
            st,
            StatusCode::UNPROCESSABLE_ENTITY,
            "a draft of 孟州 is not 济源's to show: {e}"
        );
        assert_eq!(codes(&e), vec!["achievement.unknown"]);
        send(
            &app,
            req(
                "POST",
                &format!("/api/v1/achievements/{aid}/submit"),
                &mzyuan,
                None,
            ),
        )
        .await;
        let (st, r) = send(
            &app,
            req(
                "POST",
                &format!("/api/v1/achievements/{aid}/review"),
                &county,
                Some(json!({"approve": true})),
            ),
        )
        .await;
        assert_eq!(st, StatusCode::OK, "{r}");
        let (st, e) = send(
            &app,
            req(
                "POST",
                "/api/v1/events",
                &city,
                Some(json!({"title": "", "kind": "x", "held_on": "2026/3/10", "region": "419001"})),
            ),
        )
        .await;
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(
            codes(&e),
            vec![
                "title.required",
                "kind.unknown",
                "date.format",
                "event.subject"
            ]
        );
        let mut elsewhere = ev.clone();
        elsewhere["region"] = json!("410883");
        let (st, _) = send(&app, req("POST", "/api/v1/events", &city, Some(elsewhere))).await;
        assert_eq!(
            st,
            StatusCode::FORBIDDEN,
            "an event outside the bureau's region"
        );
        let (st, _) = send(&app, req("POST", "/api/v1/events", &qiye, Some(ev.clone()))).await;
        assert_eq!(st, StatusCode::FORBIDDEN);
        let (st, v) = send(&app, req("POST", "/api/v1/events", &city, Some(ev.clone()))).await;
        assert_eq!(st, StatusCode::CREATED, "{v}");
        let eid = v["id"].as_i64().unwrap();
        assert_eq!(v["outcome"], "pending");
        assert_eq!(v["achievements"][0]["title"], "铅烟气深度净化技术");
        assert_eq!(v["brokers"][0]["title"], "王立新");
        assert_eq!(v["actions"], json!(["edit", "outcome"]));
        let (st, _) = send(
            &app,
            req("GET", &format!("/api/v1/events/{eid}"), &county, None),
        )
        .await;
        assert_eq!(st, StatusCode::NOT_FOUND);
        let (_, l) = send(&app, req("GET", "/api/v1/events", &qiye, None)).await;
        assert_eq!(l["total"], 0, "events are the bureau's records");

        // ---- the outcome: the contract that followed ----
        let before = registered(s, ent.id, "HT-2026-001", "2026-02-01", "800000", "").await;
        let after = registered(s, ent.id, "HT-2026-002", "2026-04-15", "1500000", "").await;
        let named = registered(s, ent.id, "HT-2026-003", "2026-05-20", "600000", "王立新").await;
        let outcome = |o: &str, ids: Vec<i64>| json!({"outcome": o, "intents": 2, "contract_ids": ids, "note": "签约"});
        let path = format!("/api/v1/events/{eid}/outcome");
        let (st, e) = send(
            &app,
            req("POST", &path, &city, Some(outcome("signed", vec![]))),
        )
        .await;
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(codes(&e), vec!["outcome.contract_required"]);
        let (st, e) = send(
            &app,
            req("POST", &path, &city, Some(outcome("signed", vec![before]))),
        )
        .await;
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(codes(&e), vec!["contract.before_event"]);
        assert!(
            e["message"].as_str().unwrap().contains("早于活动日期"),
            "{e}"
        );
        let (st, _) = send(
            &app,
            req("POST", &path, &county, Some(outcome("signed", vec![after]))),
        )
        .await;
        assert_eq!(st, StatusCode::NOT_FOUND);
        let (st, v) = send(
            &app,
            req("POST", &path, &city, Some(outcome("signed", vec![after]))),
        )
        .await;
        assert_eq!(st, StatusCode::OK, "{v}");
        assert_eq!(v["outcome_label"], "签订合同");
        assert_eq!(v["contracts"][0]["contract_no"], "HT-2026-002");
        assert_eq!(v["registered_turnover"], "1500000");

        // ---- what the broker brokered ----
        let (_, bv) = send(
            &app,
            req("GET", &format!("/api/v1/brokers/{bid}"), &city, None),
        )
        .await;
        assert_eq!(bv["events"][0]["id"], eid, "{bv}");
        assert_eq!(bv["achievements"][0]["id"], aid);
        let contracts: Vec<(i64, String)> = bv["contracts"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| {
                (
                    c["id"].as_i64().unwrap(),
                    c["via"].as_str().unwrap().to_owned(),
                )
            })
            .collect();
        assert_eq!(
            contracts,
            vec![
                (named, "合同中介方".to_owned()),
                (after, "对接活动".to_owned())
            ]
        );
        assert_eq!(bv["registered_turnover"], "2100000");

        // ---- audited ----
        let log = s
            .list_audit(
                &kechuang_store::DataScope::All,
                &kechuang_store::audit::AuditFilter {
                    entity: Some("match_event".into()),
                    entity_id: Some(eid.to_string()),
                    ..Default::default()
                },
                kechuang_store::PageRequest::new(1, 50),
            )
            .await
            .unwrap();
        let actions: Vec<&str> = log.items.iter().map(|x| x.action.as_str()).collect();
        assert!(
            actions.contains(&"create") && actions.contains(&"outcome"),
            "{actions:?}"
        );
        db.drop_db().await;
    }
}
