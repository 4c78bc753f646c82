//! 资金与服务 through the API, on both backends.
//!
//! - A programme and its ledger: bad input and a duplicate code refused with their codes; a
//!   申报制 item proposed, noticed, approved only after its notice period, an upheld objection
//!   refusing another; the same matter refused in a second programme (同一事项不重复支持);
//!   approval beyond the budget refused whole; payment beyond the approved amount refused,
//!   nothing stored; the ledger sums by organization and kind; enterprises see only their own.
//! - A voucher from application to redemption: the pack decides eligibility (an enterprise
//!   without a title is refused), the bureau issues it with a number and a face value from the
//!   pack, the enterprise orders a service, the provider confirms it, the bureau redeems the
//!   pack's offset through the ledger; an order with a related provider is refused with
//!   `voucher.related_party` and nothing is stored.
//! - An instrument booked; an overlapping and a past booking refused; usage with its fee.
//! - Every write is audited.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use axum::http::StatusCode;
use common::{login, req, send, user};
use kechuang_domain::enterprise_year::Figures;
use kechuang_domain::organization::NewOrganization;
use kechuang_server::{Config, app};
use kechuang_store::Caller;
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

fn today() -> chrono::NaiveDate {
    kechuang_server::api::today()
}

fn programme(code: &str, kind: &str, budget: &str, pack: &str, notice: i64) -> Value {
    json!({"code": code, "name": format!("测试项目{code}"), "kind": kind, "mode": "apply",
        "year": 2026, "region": "419001", "budget": budget, "fund_source": "市级科技专项资金",
        "basis": "济科〔2026〕1号", "pack": pack, "notice_days": notice, "valid_days": 90})
}

/// A programme's kept sums equal its rows: committed = approved and paid grants, paid = payments.
async fn sums_match(app: &axum::Router, s: &(String, String), pid: i64) {
    let (_, v) = send(
        app,
        req("GET", &format!("/api/v1/funds/programmes/{pid}"), s, None),
    )
    .await;
    let (_, g) = send(
        app,
        req(
            "GET",
            &format!("/api/v1/funds/grants?programme_id={pid}&size=100"),
            s,
            None,
        ),
    )
    .await;
    let (_, p) = send(
        app,
        req(
            "GET",
            &format!("/api/v1/funds/payments?programme_id={pid}&size=100"),
            s,
            None,
        ),
    )
    .await;
    let live: i64 = g["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|g| g["status"] == "approved" || g["status"] == "paid")
        .map(|g| g["amount_fen"].as_i64().unwrap())
        .sum();
    let paid: i64 = p["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["amount_fen"].as_i64().unwrap())
        .sum();
    assert_eq!(v["programme"]["committed_fen"].as_i64(), Some(live), "{v}");
    assert_eq!(v["programme"]["paid_fen"].as_i64(), Some(paid), "{v}");
}

fn with_rep(mut o: NewOrganization, rep: &str) -> NewOrganization {
    o.legal_representative = Some(rep.into());
    o
}

#[tokio::test]
async fn a_programme_its_notice_approval_payments_and_the_ledger() {
    for db in all().await {
        let s = &db.store;
        let sys = Caller::system("t");
        let a = s
            .create_organization(&sys, &fixtures::org("419001", 71, "济源甲科技有限公司"))
            .await
            .unwrap();
        let b = s
            .create_organization(&sys, &fixtures::org("419001", 72, "济源乙材料有限公司"))
            .await
            .unwrap();
        user(s, "city", "region", "419001", None, "officer").await;
        user(s, "county", "region", "410883", None, "officer").await;
        user(
            s,
            "qiyea",
            "organization",
            "419001",
            Some(a.id),
            "enterprise",
        )
        .await;
        let app = app(s.clone(), Config::default());
        let city = login(&app, "city").await;
        let county = login(&app, "county").await;
        let qa = login(&app, "qiyea").await;

        let (st, e) = send(
            &app,
            req(
                "POST",
                "/api/v1/funds/programmes",
                &city,
                Some(json!({"code": "甲", "kind": "x", "mode": "apply", "year": 2026, "region": "419001", "budget": "-1"})),
            ),
        )
        .await;
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
        assert_eq!(
            codes(&e),
            [
                "code.format",
                "name.required",
                "kind.unknown",
                "amount.negative",
                "fund_source.required",
                "basis.required"
            ]
        );
        let (st, _) = send(
            &app,
            req(
                "POST",
                "/api/v1/funds/programmes",
                &qa,
                Some(programme("JY-T-1", "other", "100000", "", 7)),
            ),
        )
        .await;
        assert_eq!(st, StatusCode::FORBIDDEN, "an enterprise runs no programme");
        let (st, p) = send(
            &app,
            req(
                "POST",
                "/api/v1/funds/programmes",
                &city,
                Some(programme("JY-T-1", "other", "100000", "", 7)),
            ),
        )
        .await;
        assert_eq!(st, StatusCode::CREATED, "{p}");
        let pid = p["id"].as_i64().unwrap();
        let (st, e) = send(
            &app,
            req(
                "POST",
                "/api/v1/funds/programmes",
                &city,
                Some(programme("jy-t-1", "other", "100000", "", 7)),
            ),
        )
        .await;
        assert_eq!(
            (st, codes(&e)),
            (StatusCode::CONFLICT, vec!["programme.duplicate".to_owned()])
        );
        let (st, _) = send(
            &app,
            req(
                "GET",
                &format!("/api/v1/funds/programmes/{pid}"),
                &county,
                None,
            ),
        )
        .await;
        assert_eq!(
            st,
            StatusCode::NOT_FOUND,
            "another county's bureau does not see it"
        );

        // Two items: A 60,000, B 50,000 of a 100,000 budget.
        let item = |org: i64, amount: &str| json!({"org_id": org, "matter": "研发平台建设补助", "amount": amount, "explanation": "专家评审通过（测试）"});
        let add = |body: Value| {
            req(
                "POST",
                &format!("/api/v1/funds/programmes/{pid}/grants"),
                &city,
                Some(body),
            )
        };
        let (st, ga) = send(&app, add(item(a.id, "60000"))).await;
        assert_eq!(st, StatusCode::CREATED, "{ga}");
        let (st, gb) = send(&app, add(item(b.id, "50000"))).await;
        assert_eq!(st, StatusCode::CREATED, "{gb}");
        let (st, e) = send(&app, add(item(b.id, "1"))).await;
        assert_eq!(
            (st, codes(&e)),
            (
                StatusCode::CONFLICT,
                vec!["funds.duplicate_matter".to_owned()]
            ),
            "{e}"
        );
        let (gaid, gbid) = (ga["id"].as_i64().unwrap(), gb["id"].as_i64().unwrap());

        // Notice from today: approval waits for the period to end.
        let (st, n) = send(
            &app,
            req(
                "POST",
                &format!("/api/v1/funds/programmes/{pid}/notice"),
                &city,
                Some(json!({})),
            ),
        )
        .await;
        assert_eq!(
            (st, n["changed"].as_i64()),
            (StatusCode::OK, Some(2)),
            "{n}"
        );
        let (st, r) = send(
            &app,
            req(
                "POST",
                &format!("/api/v1/funds/programmes/{pid}/approve"),
                &city,
                Some(json!({"ids": []})),
            ),
        )
        .await;
        assert_eq!(st, StatusCode::OK, "{r}");
        assert_eq!(r["changed"], 0);
        assert!(r["skipped"][0].as_str().unwrap().contains("未满"), "{r}");
        // An objection to B, upheld: B is refused with the resolution.
        let (st, g) = send(
            &app,
            req(
                "POST",
                &format!("/api/v1/funds/grants/{gbid}/objections"),
                &qa,
                Some(json!({"content": "乙公司平台未建成"})),
            ),
        )
        .await;
        assert_eq!(
            st,
            StatusCode::NOT_FOUND,
            "an enterprise objects only to what it can see: {g}"
        );
        let (st, g) = send(
            &app,
            req(
                "POST",
                &format!("/api/v1/funds/grants/{gbid}/objections"),
                &city,
                Some(json!({"by_name": "群众来信", "content": "乙公司平台未建成"})),
            ),
        )
        .await;
        assert_eq!(st, StatusCode::OK, "{g}");
        let (st, g) = send(
            &app,
            req(
                "POST",
                &format!("/api/v1/funds/grants/{gbid}/objections/1/resolve"),
                &city,
                Some(json!({"upheld": true, "resolution": "经核查属实"})),
            ),
        )
        .await;
        assert_eq!(st, StatusCode::OK, "{g}");
        assert_eq!(g["status"], "refused");
        assert!(g["refusal_reason"].as_str().unwrap().contains("经核查属实"));
        // Restart A's notice in the past (a new notice of the proposed items is refused:
        // none is proposed any more), so approve through the store with a later day.
        let caller = Caller {
            user_id: None,
            username: "city".into(),
            scope: kechuang_domain::scope::DataScope::Region {
                code: "419001".into(),
                path: "/410000/419000/419001/".into(),
            },
            address: None,
        };
        let later = today() + chrono::Days::new(8);
        let r = s
            .approve_grants(&caller, pid, &[gaid], later)
            .await
            .unwrap();
        assert_eq!(r.changed, 1);

        // Payment: beyond the approved amount refused, nothing stored; then two payments.
        let pay = |amount: &str, doc: &str| {
            req(
                "POST",
                &format!("/api/v1/funds/grants/{gaid}/payments"),
                &city,
                Some(json!({"paid_on": today().to_string(), "amount": amount, "document_no": doc})),
            )
        };
        let (st, e) = send(&app, pay("60000.01", "济科拨〔2026〕1号")).await;
        assert_eq!(
            (st, codes(&e)),
            (StatusCode::CONFLICT, vec!["funds.over_approved".to_owned()]),
            "{e}"
        );
        let (st, e) = send(&app, pay("1", "")).await;
        assert_eq!(
            (st, codes(&e)),
            (
                StatusCode::UNPROCESSABLE_ENTITY,
                vec!["document_no.required".to_owned()]
            )
        );
        let (st, p1) = send(&app, pay("40000", "济科拨〔2026〕1号")).await;
        assert_eq!(st, StatusCode::CREATED, "{p1}");
        let (st, p2) = send(&app, pay("20000", "济科拨〔2026〕2号")).await;
        assert_eq!(st, StatusCode::CREATED, "{p2}");
        let (_, g) = send(
            &app,
            req("GET", &format!("/api/v1/funds/grants/{gaid}"), &city, None),
        )
        .await;
        assert_eq!(g["grant"]["status"], "paid");
        assert_eq!(g["payments"].as_array().unwrap().len(), 2);
        let (st, e) = send(&app, pay("1", "济科拨〔2026〕3号")).await;
        assert_eq!(
            (st, codes(&e)),
            (StatusCode::CONFLICT, vec!["funds.not_approved".to_owned()])
        );

        // The ledger: A has 60,000 under 其他资金项目; the programme's balance is 40,000.
        let (_, l) = send(
            &app,
            req("GET", "/api/v1/funds/ledger?year=2026", &city, None),
        )
        .await;
        assert_eq!(l["total"], 1, "{l}");
        assert_eq!(l["items"][0]["org_id"], a.id);
        assert_eq!(l["items"][0]["by_kind"]["other"], "60000");
        assert_eq!(l["totals"]["total"], "60000");
        assert_eq!(l["totals"]["by_programme"][0]["balance"], "40000");
        let (_, l) = send(&app, req("GET", "/api/v1/funds/ledger", &county, None)).await;
        assert_eq!(l["total"], 0, "another county sees none");
        let (_, mine) = send(&app, req("GET", "/api/v1/funds/payments", &qa, None)).await;
        assert_eq!(mine["total"], 2, "the enterprise sees its payments: {mine}");
        let (st, _) = send(
            &app,
            req("GET", &format!("/api/v1/funds/grants/{gbid}"), &qa, None),
        )
        .await;
        assert_eq!(st, StatusCode::NOT_FOUND, "and not another's grant");

        // Over budget: a new item of 50,000 on a balance of 40,000 is refused whole.
        let (_, gc) = send(&app, add(json!({"org_id": b.id, "matter": "中试基地补助", "amount": "50000", "explanation": "评审通过"}))).await;
        let gcid = gc["id"].as_i64().unwrap();
        s.notice_grants(&caller, pid, today()).await.unwrap();
        let e = s
            .approve_grants(&caller, pid, &[gcid], later)
            .await
            .unwrap_err();
        assert!(e.to_string().contains("超过项目预算"), "{e}");
        let (_, g) = send(
            &app,
            req("GET", &format!("/api/v1/funds/grants/{gcid}"), &city, None),
        )
        .await;
        assert_eq!(g["grant"]["status"], "noticed", "nothing approved");
        // After the notice period the public's objection is refused (the bureau may still
        // record one it received in time).
        let (_, gd) = send(&app, add(json!({"org_id": a.id, "matter": "后补助", "amount": "100", "explanation": "评审通过"}))).await;
        let gdid = gd["id"].as_i64().unwrap();
        s.notice_grants(&caller, pid, today() - chrono::Days::new(30))
            .await
            .unwrap();
        let (st, e) = send(
            &app,
            req(
                "POST",
                &format!("/api/v1/funds/grants/{gdid}/objections"),
                &qa,
                Some(json!({"content": "迟到的异议"})),
            ),
        )
        .await;
        assert_eq!(
            (st, codes(&e)),
            (StatusCode::CONFLICT, vec!["funds.notice_over".to_owned()]),
            "{e}"
        );
        let (_, g) = send(
            &app,
            req("GET", &format!("/api/v1/funds/grants/{gdid}"), &qa, None),
        )
        .await;
        assert!(
            !g["actions"]
                .as_array()
                .unwrap()
                .iter()
                .any(|x| x == "object"),
            "{g}"
        );

        sums_match(&app, &city, pid).await;
        // Every write is in the audit log, and covered.
        assert!(s.audit_coverage().await.unwrap().is_empty());
        assert!(s.verify_audit().await.unwrap().ok);
    }
}

#[tokio::test]
async fn a_voucher_from_application_to_redemption_and_a_related_party_refused() {
    for db in all().await {
        let s = &db.store;
        let sys = Caller::system("t");
        let ent = s
            .create_organization(
                &sys,
                &with_rep(fixtures::org("419001", 81, "济源丙科技有限公司"), "张三"),
            )
            .await
            .unwrap();
        let plain = s
            .create_organization(&sys, &fixtures::org("419001", 82, "济源丁商贸有限公司"))
            .await
            .unwrap();
        let lab = s
            .create_organization(
                &sys,
                &with_rep(fixtures::org("419001", 83, "济源检测中心"), "李四"),
            )
            .await
            .unwrap();
        let related = s
            .create_organization(
                &sys,
                &with_rep(fixtures::org("419001", 84, "济源关联研发有限公司"), "张三"),
            )
            .await
            .unwrap();
        // 丙 is a 高企 in 2025; 丁 has no title.
        let figures = Figures {
            hte_valid: Some(true),
            ..Default::default()
        };
        s.put_enterprise_year(&sys, ent.id, 2025, &figures)
            .await
            .unwrap();
        user(s, "city", "region", "419001", None, "officer").await;
        user(
            s,
            "bing",
            "organization",
            "419001",
            Some(ent.id),
            "enterprise",
        )
        .await;
        user(
            s,
            "ding",
            "organization",
            "419001",
            Some(plain.id),
            "enterprise",
        )
        .await;
        user(
            s,
            "lab",
            "organization",
            "419001",
            Some(lab.id),
            "enterprise",
        )
        .await;
        let app = app(s.clone(), Config::default());
        let city = login(&app, "city").await;
        let bing = login(&app, "bing").await;
        let ding = login(&app, "ding").await;
        let labs = login(&app, "lab").await;

        let (st, p) = send(
            &app,
            req(
                "POST",
                "/api/v1/funds/programmes",
                &city,
                Some(programme(
                    "JY-CXQ-T",
                    "voucher",
                    "1000000",
                    "innovation-voucher",
                    0,
                )),
            ),
        )
        .await;
        assert_eq!(st, StatusCode::CREATED, "{p}");
        let pid = p["id"].as_i64().unwrap();
        for (org, services) in [
            (lab.id, json!(["testing", "instrument"])),
            (related.id, json!(["research"])),
        ] {
            let (st, pr) = send(
                &app,
                req(
                    "POST",
                    "/api/v1/funds/providers",
                    &city,
                    Some(json!({"org_id": org, "services": services, "qualifications": "CMA"})),
                ),
            )
            .await;
            assert_eq!(st, StatusCode::CREATED, "{pr}");
        }
        let (_, provs) = send(&app, req("GET", "/api/v1/funds/providers", &bing, None)).await;
        assert_eq!(provs["total"], 2, "the enterprise sees the catalogue");
        let provider_of = |org: i64| {
            provs["items"]
                .as_array()
                .unwrap()
                .iter()
                .find(|p| p["org_id"] == org)
                .unwrap()["id"]
                .as_i64()
                .unwrap()
        };

        // Eligibility by the pack.
        let (_, open) = send(
            &app,
            req("GET", "/api/v1/funds/vouchers/programmes", &bing, None),
        )
        .await;
        assert_eq!(open[0]["eligible"], true, "{open}");
        assert_eq!(open[0]["quota"], "200000");
        let apply = |who| {
            req(
                "POST",
                "/api/v1/funds/vouchers/apply",
                who,
                Some(json!({"programme_id": pid})),
            )
        };
        let (st, e) = send(&app, apply(&ding)).await;
        assert_eq!(
            (st, codes(&e)),
            (
                StatusCode::CONFLICT,
                vec!["voucher.not_eligible".to_owned()]
            ),
            "{e}"
        );
        assert!(e["message"].as_str().unwrap().contains("申领资格"), "{e}");
        let (st, v) = send(&app, apply(&bing)).await;
        assert_eq!(st, StatusCode::CREATED, "{v}");
        assert_eq!(v["status"], "applied");
        let vid = v["id"].as_i64().unwrap();
        let (st, e) = send(&app, apply(&bing)).await;
        assert_eq!(
            (st, codes(&e)),
            (StatusCode::CONFLICT, vec!["voucher.duplicate".to_owned()])
        );
        let (st, _) = send(
            &app,
            req(
                "POST",
                &format!("/api/v1/funds/vouchers/{vid}/issue"),
                &bing,
                Some(json!({})),
            ),
        )
        .await;
        assert_eq!(st, StatusCode::FORBIDDEN);
        let (st, v) = send(
            &app,
            req(
                "POST",
                &format!("/api/v1/funds/vouchers/{vid}/issue"),
                &city,
                Some(json!({})),
            ),
        )
        .await;
        assert_eq!(st, StatusCode::OK, "{v}");
        assert_eq!(v["voucher_no"], "JY-CXQ-T-0001");
        assert_eq!(v["face"], "200000", "the pack's annual cap for a 高企");

        // An order at the lab (fee 100,000 → 80% = 80,000) and one with the related provider.
        let signed = today().to_string();
        let order = |provider: i64, service: &str, no: &str| {
            req(
                "POST",
                "/api/v1/funds/orders",
                &bing,
                Some(json!({"voucher_id": vid, "provider_id": provider,
                "service": service, "contract_name": "材料检测", "contract_no": no, "fee": "100000", "signed_on": signed})),
            )
        };
        let (st, e) = send(&app, order(provider_of(lab.id), "research", "C-0")).await;
        assert_eq!(
            (st, codes(&e)),
            (StatusCode::CONFLICT, vec!["voucher.provider".to_owned()]),
            "the lab offers no 研究开发"
        );
        let (st, o) = send(&app, order(provider_of(lab.id), "testing", "C-1")).await;
        assert_eq!(st, StatusCode::CREATED, "{o}");
        let oid = o["id"].as_i64().unwrap();
        let (st, o2) = send(&app, order(provider_of(related.id), "research", "C-2")).await;
        assert_eq!(st, StatusCode::CREATED, "{o2}");
        let o2id = o2["id"].as_i64().unwrap();
        // The provider sees the order and confirms it; the buyer cannot.
        let (_, lab_orders) = send(&app, req("GET", "/api/v1/funds/orders", &labs, None)).await;
        assert_eq!(
            lab_orders["total"], 1,
            "the provider sees its own order only: {lab_orders}"
        );
        let complete = |who, id: i64| {
            req(
                "POST",
                &format!("/api/v1/funds/orders/{id}/complete"),
                who,
                Some(json!({"completed_on": today().to_string(), "evidence": "检测报告 BG-001"})),
            )
        };
        let (st, _) = send(&app, complete(&bing, oid)).await;
        assert_eq!(
            st,
            StatusCode::FORBIDDEN,
            "the buyer does not confirm its own service"
        );
        let (st, o) = send(&app, complete(&labs, oid)).await;
        assert_eq!(st, StatusCode::OK, "{o}");
        let (st, _) = send(&app, complete(&city, o2id)).await;
        assert_eq!(st, StatusCode::OK);

        // Redemption: the preview shows the checks; the related one is refused, nothing stored.
        let (_, view) = send(
            &app,
            req("GET", &format!("/api/v1/funds/orders/{o2id}"), &city, None),
        )
        .await;
        let failed: Vec<&str> = view["redemption"]["checks"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|c| c["passed"] == false)
            .map(|c| c["code"].as_str().unwrap())
            .collect();
        assert_eq!(failed, ["voucher.related_party"], "{view}");
        let redeem = |id: i64, amount: &str| {
            req(
                "POST",
                &format!("/api/v1/funds/orders/{id}/redeem"),
                &city,
                Some(
                    json!({"paid_on": today().to_string(), "amount": amount, "document_no": "济科券兑〔2026〕1号"}),
                ),
            )
        };
        let (st, e) = send(&app, redeem(o2id, "80000")).await;
        assert_eq!(
            (st, codes(&e)),
            (
                StatusCode::CONFLICT,
                vec!["voucher.related_party".to_owned()]
            ),
            "{e}"
        );
        assert!(
            e["message"]
                .as_str()
                .unwrap()
                .contains("法定代表人相同（张三）"),
            "{e}"
        );
        let (_, view) = send(
            &app,
            req("GET", &format!("/api/v1/funds/orders/{o2id}"), &city, None),
        )
        .await;
        assert_eq!(view["order"]["status"], "completed", "nothing stored");
        let (st, e) = send(&app, redeem(oid, "80000.01")).await;
        assert_eq!(
            (st, codes(&e)),
            (
                StatusCode::UNPROCESSABLE_ENTITY,
                vec!["voucher.amount_mismatch".to_owned()]
            )
        );
        let (st, r) = send(&app, redeem(oid, "80000")).await;
        assert_eq!(st, StatusCode::OK, "{r}");
        assert_eq!(r["order"]["status"], "redeemed");
        assert_eq!(r["grant"]["status"], "paid");
        assert!(
            r["grant"]["rule"]
                .as_str()
                .unwrap()
                .contains("innovation-voucher")
        );
        let (_, v) = send(
            &app,
            req("GET", &format!("/api/v1/funds/vouchers/{vid}"), &bing, None),
        )
        .await;
        assert_eq!(v["voucher"]["used_fen"], 8_000_000);
        let (_, mine) = send(&app, req("GET", "/api/v1/funds/payments", &bing, None)).await;
        assert_eq!(mine["items"][0]["programme_kind"], "voucher");
        assert_eq!(mine["items"][0]["amount"], "80000");
        // The same order cannot be redeemed twice.
        let (st, _) = send(&app, redeem(oid, "80000")).await;
        assert_eq!(st, StatusCode::CONFLICT);
        sums_match(&app, &city, pid).await;
        let (_, stats) = send(
            &app,
            req("GET", "/api/v1/funds/vouchers/stats?year=2026", &city, None),
        )
        .await;
        assert_eq!(
            (stats["issued"].as_i64(), stats["used"].as_str()),
            (Some(1), Some("80000")),
            "{stats}"
        );
        assert!(s.audit_coverage().await.unwrap().is_empty());
    }
}

#[tokio::test]
async fn an_instrument_booked_overlaps_and_the_past_refused_and_its_use_charged() {
    for db in all().await {
        let s = &db.store;
        let sys = Caller::system("t");
        let host = s
            .create_organization(&sys, &fixtures::org("419001", 91, "济源仪器中心"))
            .await
            .unwrap();
        let a = s
            .create_organization(&sys, &fixtures::org("419001", 92, "济源戊科技有限公司"))
            .await
            .unwrap();
        let b = s
            .create_organization(&sys, &fixtures::org("410883", 93, "孟州己科技有限公司"))
            .await
            .unwrap();
        user(s, "city", "region", "419001", None, "officer").await;
        user(
            s,
            "host",
            "organization",
            "419001",
            Some(host.id),
            "enterprise",
        )
        .await;
        user(
            s,
            "wuco",
            "organization",
            "419001",
            Some(a.id),
            "enterprise",
        )
        .await;
        user(
            s,
            "jico",
            "organization",
            "410883",
            Some(b.id),
            "enterprise",
        )
        .await;
        let app = app(s.clone(), Config::default());
        let city = login(&app, "city").await;
        let hosts = login(&app, "host").await;
        let wu = login(&app, "wuco").await;
        let ji = login(&app, "jico").await;
        let ins = json!({"name": "扫描电子显微镜", "model": "Sigma 300", "category": "电子光学仪器",
            "original_value": "950000", "host_org_id": host.id, "location": "实验楼3层", "fee_per_hour": "280", "rated_hours": 1600});
        let (st, _) = send(
            &app,
            req("POST", "/api/v1/funds/instruments", &wu, Some(ins.clone())),
        )
        .await;
        assert_eq!(
            st,
            StatusCode::FORBIDDEN,
            "only its host or the bureau registers an instrument"
        );
        let (st, i) = send(
            &app,
            req("POST", "/api/v1/funds/instruments", &hosts, Some(ins)),
        )
        .await;
        assert_eq!(st, StatusCode::CREATED, "{i}");
        let iid = i["id"].as_i64().unwrap();
        let (_, cat) = send(
            &app,
            req("GET", "/api/v1/funds/instruments?catalogue=true", &ji, None),
        )
        .await;
        assert_eq!(
            cat["total"], 1,
            "another county's enterprise finds it in the catalogue"
        );
        let day = today() + chrono::Days::new(2);
        let book = |who, s: &str, e: &str| {
            req(
                "POST",
                &format!("/api/v1/funds/instruments/{iid}/bookings"),
                who,
                Some(
                    json!({"starts_at": format!("{day} {s}"), "ends_at": format!("{day} {e}"), "purpose": "送样测试"}),
                ),
            )
        };
        let (st, bk) = send(&app, book(&ji, "09:00", "12:00")).await;
        assert_eq!(st, StatusCode::CREATED, "{bk}");
        let (st, e) = send(&app, book(&wu, "11:30", "13:00")).await;
        assert_eq!(
            (st, codes(&e)),
            (StatusCode::CONFLICT, vec!["booking.overlap".to_owned()]),
            "{e}"
        );
        assert!(e["message"].as_str().unwrap().contains("09:00"), "{e}");
        let (st, ok) = send(&app, book(&wu, "12:00", "13:00")).await;
        assert_eq!(
            st,
            StatusCode::CREATED,
            "back to back is not an overlap: {ok}"
        );
        let past = today() - chrono::Days::new(1);
        let (st, e) = send(
            &app,
            req("POST", &format!("/api/v1/funds/instruments/{iid}/bookings"), &wu,
                Some(json!({"starts_at": format!("{past} 09:00"), "ends_at": format!("{past} 10:00"), "purpose": "x"}))),
        )
        .await;
        assert_eq!(
            (st, codes(&e)),
            (
                StatusCode::UNPROCESSABLE_ENTITY,
                vec!["booking.past".to_owned()]
            )
        );
        // The slots show both, the caller's own marked.
        let (_, v) = send(
            &app,
            req(
                "GET",
                &format!("/api/v1/funds/instruments/{iid}"),
                &wu,
                None,
            ),
        )
        .await;
        let mine: Vec<bool> = v["slots"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["mine"].as_bool().unwrap())
            .collect();
        assert_eq!(mine, [false, true], "{v}");
        // The host records 150 minutes of the county enterprise's booking: 280 × 2.5 = 700.
        let bid = bk["id"].as_i64().unwrap();
        let (st, _) = send(
            &app,
            req(
                "POST",
                &format!("/api/v1/funds/bookings/{bid}/usage"),
                &ji,
                Some(json!({"minutes": 150})),
            ),
        )
        .await;
        assert_eq!(
            st,
            StatusCode::FORBIDDEN,
            "the user does not record its own use"
        );
        let (st, e) = send(
            &app,
            req(
                "POST",
                &format!("/api/v1/funds/bookings/{bid}/usage"),
                &hosts,
                Some(json!({"minutes": 200})),
            ),
        )
        .await;
        assert_eq!(
            (st, codes(&e)),
            (
                StatusCode::UNPROCESSABLE_ENTITY,
                vec!["usage.minutes".to_owned()]
            )
        );
        let (st, used) = send(
            &app,
            req(
                "POST",
                &format!("/api/v1/funds/bookings/{bid}/usage"),
                &hosts,
                Some(json!({"minutes": 150})),
            ),
        )
        .await;
        assert_eq!(st, StatusCode::OK, "{used}");
        assert_eq!(used["fee"], "700");
        let (_, stats) = send(
            &app,
            req(
                "GET",
                &format!(
                    "/api/v1/funds/instruments/stats?year={}",
                    chrono::Datelike::year(&day)
                ),
                &city,
                None,
            ),
        )
        .await;
        assert_eq!(stats[0]["external_hours"], "2.5", "{stats}");
        assert_eq!(stats[0]["sharing_rate"], "100%");
        assert_eq!(stats[0]["users"], 1);
        // Cancelling the used booking is refused; the other is cancelled and frees its slot.
        let (st, _) = send(
            &app,
            req(
                "POST",
                &format!("/api/v1/funds/bookings/{bid}/cancel"),
                &ji,
                Some(json!({})),
            ),
        )
        .await;
        assert_eq!(st, StatusCode::CONFLICT);
        assert!(s.audit_coverage().await.unwrap().is_empty());
    }
}

#[tokio::test]
async fn loans_their_interest_subsidy_and_the_risk_pool() {
    for db in all().await {
        let s = &db.store;
        let sys = Caller::system("t");
        let ent = s
            .create_organization(&sys, &fixtures::org("419001", 101, "济源庚科技有限公司"))
            .await
            .unwrap();
        let plain = s
            .create_organization(&sys, &fixtures::org("419001", 102, "济源辛商贸有限公司"))
            .await
            .unwrap();
        let mut bank = fixtures::org("419001", 103, "测试银行济源分行");
        bank.kind = kechuang_domain::organization::OrgKind::Financial;
        let bank = s.create_organization(&sys, &bank).await.unwrap();
        let figures = Figures {
            hte_valid: Some(true),
            revenue: Some(rust_decimal::Decimal::from(30_000_000)), // 3,000万元
            ..Default::default()
        };
        s.put_enterprise_year(&sys, ent.id, 2025, &figures)
            .await
            .unwrap();
        user(s, "city", "region", "419001", None, "officer").await;
        let app = app(s.clone(), Config::default());
        let city = login(&app, "city").await;
        let post = |path: String, body: Value| req("POST", &path, &city, Some(body));
        let mut prog = programme(
            "JY-KJD-T",
            "compensation",
            "20000000",
            "loan-compensation",
            0,
        );
        prog["year"] = json!(2025);
        let (_, pool) = send(&app, post("/api/v1/funds/programmes".into(), prog)).await;
        let poolid = pool["id"].as_i64().unwrap();
        let mut tx = programme("JY-TX-T", "interest", "100000", "loan-interest", 0);
        tx["year"] = json!(2025);
        let (_, txp) = send(&app, post("/api/v1/funds/programmes".into(), tx)).await;
        let txid = txp["id"].as_i64().unwrap();
        let loan = |org: i64, b: i64, no: &str| {
            json!({"programme_id": poolid, "org_id": org, "bank_org_id": b, "contract_no": no,
                "amount": "5000000", "rate": "3.65", "start_on": "2025-03-01", "end_on": "2027-02-28"})
        };
        let (st, e) = send(
            &app,
            post("/api/v1/funds/loans".into(), loan(ent.id, plain.id, "L-0")),
        )
        .await;
        assert_eq!(
            (st, codes(&e)),
            (
                StatusCode::UNPROCESSABLE_ENTITY,
                vec!["bank.kind".to_owned()]
            )
        );
        let (st, l) = send(
            &app,
            post("/api/v1/funds/loans".into(), loan(ent.id, bank.id, "L-1")),
        )
        .await;
        assert_eq!(st, StatusCode::CREATED, "{l}");
        assert_eq!(l["tech_firm"], true, "a 高企 at the loan date: {l}");
        let (_, l2) = send(
            &app,
            post("/api/v1/funds/loans".into(), loan(plain.id, bank.id, "L-2")),
        )
        .await;
        assert_eq!(l2["tech_firm"], false);
        let (st, e) = send(
            &app,
            post("/api/v1/funds/loans".into(), loan(plain.id, bank.id, "L-2")),
        )
        .await;
        assert_eq!(
            (st, codes(&e)),
            (StatusCode::CONFLICT, vec!["loan.duplicate".to_owned()])
        );
        let (lid, l2id) = (l["id"].as_i64().unwrap(), l2["id"].as_i64().unwrap());

        // 贴息: 40% of 182,500 = 73,000, a proposed grant; none for a borrower without a title.
        let claim = |id: i64| {
            post(
                format!("/api/v1/funds/loans/{id}/interest"),
                json!({"programme_id": txid, "year": 2025, "interest": "182500", "on_time": true}),
            )
        };
        let (st, g) = send(&app, claim(lid)).await;
        assert_eq!(st, StatusCode::CREATED, "{g}");
        assert_eq!(
            (g["amount"].as_str(), g["status"].as_str()),
            (Some("73000"), Some("proposed"))
        );
        assert!(g["explanation"].as_str().unwrap().contains("40%"), "{g}");
        let (st, e) = send(&app, claim(lid)).await;
        assert_eq!(
            (st, codes(&e)),
            (
                StatusCode::CONFLICT,
                vec!["funds.duplicate_matter".to_owned()]
            )
        );
        let (st, e) = send(&app, claim(l2id)).await;
        assert_eq!(
            (st, codes(&e)),
            (StatusCode::CONFLICT, vec!["interest.none".to_owned()]),
            "{e}"
        );

        // The pool: compensation beyond the balance refused; a deposit, then 50% of the loss
        // (营收 3,000万 → the 2000万–5000万 tier of 豫科〔2025〕45号) within the bank's yearly
        // room of 2% of its loans outstanding at the end of 2025 (1,000万 → 20万).
        let comp = |loss: &str| {
            post(
                format!("/api/v1/funds/loans/{lid}/compensate"),
                json!({"loss": loss, "on": "2026-01-15", "document_no": "偿-1"}),
            )
        };
        let (st, e) = send(&app, comp("1000000")).await;
        assert_eq!(
            (st, codes(&e)),
            (StatusCode::CONFLICT, vec!["pool.insufficient".to_owned()]),
            "{e}"
        );
        let (st, e) = send(&app, comp("6000000")).await;
        assert_eq!(
            (st, codes(&e)),
            (
                StatusCode::UNPROCESSABLE_ENTITY,
                vec!["loan.loss_over_principal".to_owned()]
            )
        );
        let (st, d) = send(&app, post(format!("/api/v1/funds/pool/{poolid}/entries"), json!({"kind": "deposit", "amount": "2000000", "on": "2025-03-01", "document_no": "注-1"}))).await;
        assert_eq!(st, StatusCode::CREATED, "{d}");
        let (st, c) = send(&app, comp("1000000")).await;
        assert_eq!(st, StatusCode::OK, "{c}");
        assert_eq!(c["entry"]["amount"], "-200000", "{c}");
        let why = c["entry"]["explanation"].as_str().unwrap();
        assert!(why.contains("50%") && why.contains("2%"), "{why}");
        assert_eq!(c["loan"]["status"], "defaulted");
        let (_, p) = send(
            &app,
            req("GET", &format!("/api/v1/funds/pool/{poolid}"), &city, None),
        )
        .await;
        assert_eq!(
            (
                p["balance"].as_str(),
                p["outstanding"].as_str(),
                p["leverage"].as_str()
            ),
            (Some("1800000"), Some("5000000"), Some("2.78")),
            "{p}"
        );
        assert!(s.audit_coverage().await.unwrap().is_empty());
    }
}

#[tokio::test]
async fn insurance_premiums_and_the_instrument_subsidy_by_their_packs() {
    for db in all().await {
        let s = &db.store;
        let sys = Caller::system("t");
        let ent = s
            .create_organization(&sys, &fixtures::org("419001", 111, "济源壬科技有限公司"))
            .await
            .unwrap();
        let plain = s
            .create_organization(&sys, &fixtures::org("419001", 112, "济源癸商贸有限公司"))
            .await
            .unwrap();
        let host = s
            .create_organization(&sys, &fixtures::org("419001", 113, "济源共享仪器中心"))
            .await
            .unwrap();
        let figures = Figures {
            hte_valid: Some(true),
            ..Default::default()
        };
        s.put_enterprise_year(&sys, ent.id, 2025, &figures)
            .await
            .unwrap();
        user(s, "city", "region", "419001", None, "officer").await;
        user(
            s,
            "hosts",
            "organization",
            "419001",
            Some(host.id),
            "enterprise",
        )
        .await;
        user(
            s,
            "renke",
            "organization",
            "419001",
            Some(ent.id),
            "enterprise",
        )
        .await;
        let app = app(s.clone(), Config::default());
        let city = login(&app, "city").await;
        let hosts = login(&app, "hosts").await;
        let renke = login(&app, "renke").await;
        let (_, p) = send(
            &app,
            req(
                "POST",
                "/api/v1/funds/programmes",
                &city,
                Some(programme(
                    "JY-BX-T",
                    "insurance",
                    "1000000",
                    "tech-insurance",
                    7,
                )),
            ),
        )
        .await;
        let pid = p["id"].as_i64().unwrap();
        let claim = |org: i64, policy: &str, premium: &str| {
            req(
                "POST",
                &format!("/api/v1/funds/programmes/{pid}/insurance"),
                &city,
                Some(
                    json!({"org_id": org, "product": "研发责任保险", "policy_no": policy, "premium": premium}),
                ),
            )
        };
        let (st, e) = send(
            &app,
            req(
                "POST",
                &format!("/api/v1/funds/programmes/{pid}/insurance"),
                &city,
                Some(json!({"org_id": ent.id, "product": "车险", "premium": "-1"})),
            ),
        )
        .await;
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
        assert_eq!(
            codes(&e),
            ["product.unknown", "policy_no.required", "amount.negative"]
        );
        let (st, g) = send(&app, claim(ent.id, "PDZA2026-001", "80000")).await;
        assert_eq!(st, StatusCode::CREATED, "{g}");
        assert_eq!(
            (g["amount"].as_str(), g["status"].as_str()),
            (Some("20000"), Some("proposed")),
            "25% of the premium"
        );
        assert!(g["rule"].as_str().unwrap().contains("tech-insurance"));
        let (st, e) = send(&app, claim(ent.id, "pdza2026-001", "80000")).await;
        assert_eq!(
            (st, codes(&e)),
            (
                StatusCode::CONFLICT,
                vec!["funds.duplicate_matter".to_owned()]
            ),
            "one policy is one matter"
        );
        let (st, e) = send(&app, claim(plain.id, "PDZA2026-002", "80000")).await;
        assert_eq!(
            (st, codes(&e)),
            (
                StatusCode::UNPROCESSABLE_ENTITY,
                vec!["insurance.none".to_owned()]
            ),
            "{e}"
        );
        // The yearly room: 20万 per enterprise; 19万 more premium-worth of claims leaves 0 room.
        let (_, g2) = send(&app, claim(ent.id, "PDZA2026-003", "720000")).await;
        assert_eq!(g2["amount"], "180000", "{g2}");
        let (st, e) = send(&app, claim(ent.id, "PDZA2026-004", "80000")).await;
        assert_eq!(
            (st, codes(&e)),
            (
                StatusCode::UNPROCESSABLE_ENTITY,
                vec!["insurance.none".to_owned()]
            ),
            "{e}"
        );

        // 仪器共享后补助 from the booking records: 20% of the external income.
        let ins = json!({"name": "透射电镜", "model": "T-1", "category": "电子光学仪器", "original_value": "3000000",
            "host_org_id": host.id, "location": "一楼", "fee_per_hour": "400", "rated_hours": 1600});
        let (_, i) = send(
            &app,
            req("POST", "/api/v1/funds/instruments", &hosts, Some(ins)),
        )
        .await;
        let iid = i["id"].as_i64().unwrap();
        let day = today() + chrono::Days::new(1);
        let (_, b) = send(&app, req("POST", &format!("/api/v1/funds/instruments/{iid}/bookings"), &renke,
            Some(json!({"starts_at": format!("{day} 09:00"), "ends_at": format!("{day} 12:00"), "purpose": "送样"})))).await;
        let (st, u) = send(
            &app,
            req(
                "POST",
                &format!("/api/v1/funds/bookings/{}/usage", b["id"]),
                &hosts,
                Some(json!({"minutes": 180})),
            ),
        )
        .await;
        assert_eq!(
            (st, u["fee"].as_str()),
            (StatusCode::OK, Some("1200")),
            "{u}"
        );
        let mut yq = programme("JY-YQ-T", "instrument", "1000000", "instrument-subsidy", 7);
        yq["mode"] = json!("auto");
        yq["year"] = json!(chrono::Datelike::year(&day));
        let (_, p) = send(
            &app,
            req("POST", "/api/v1/funds/programmes", &city, Some(yq)),
        )
        .await;
        let yid = p["id"].as_i64().unwrap();
        let (st, r) = send(
            &app,
            req(
                "POST",
                &format!("/api/v1/funds/programmes/{yid}/propose"),
                &city,
                Some(json!({})),
            ),
        )
        .await;
        assert_eq!(
            (st, r["changed"].as_i64()),
            (StatusCode::OK, Some(1)),
            "{r}"
        );
        let (_, l) = send(
            &app,
            req(
                "GET",
                &format!("/api/v1/funds/grants?programme_id={yid}"),
                &city,
                None,
            ),
        )
        .await;
        assert_eq!(l["items"][0]["org_id"], host.id);
        assert_eq!(l["items"][0]["amount"], "240", "20% of 1,200 元: {l}");
        let (_, r) = send(
            &app,
            req(
                "POST",
                &format!("/api/v1/funds/programmes/{yid}/propose"),
                &city,
                Some(json!({})),
            ),
        )
        .await;
        assert_eq!(r["changed"], 0, "a second run proposes nothing twice: {r}");
        assert!(s.audit_coverage().await.unwrap().is_empty());
    }
}
