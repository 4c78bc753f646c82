//! 技术合同认定登记 through the API, on both backends: a seller applies with bad data (refused,
//! nothing stored), drafts, uploads the signed text and submits; the registration office sends
//! it back for correction, registers it after correction with its number, 技术交易额 and 登记证明;
//! a large contract needs a second reviewer; a sale contract is refused with its reason. The
//! plan indicator 技术合同成交额 rises by the registered 成交额, the statistics split 输出 and
//! 吸纳, and every read and move is scoped and audited.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use axum::http::StatusCode;
use common::{login, req, send, upload, user};
use kechuang_server::{Config, app};
use kechuang_store::Caller;
use kechuang_testkit::{all, fixtures};
use serde_json::{Value, json};

fn pdf(body: &str) -> Vec<u8> {
    format!("%PDF-1.4\n% {body}\n%%EOF\n").into_bytes()
}

async fn raw(app: &axum::Router, path: &str, s: &(String, String)) -> (StatusCode, Vec<u8>) {
    use http_body_util::BodyExt;
    use tower::ServiceExt;
    let res = app
        .clone()
        .oneshot(req("GET", path, s, None))
        .await
        .unwrap();
    let st = res.status();
    (
        st,
        res.into_body().collect().await.unwrap().to_bytes().to_vec(),
    )
}

fn code(region: &str, serial: u32) -> String {
    fixtures::org(region, serial, "x")
        .credit_code
        .as_str()
        .to_owned()
}

fn body(no: &str, buyer: &str, category: &str, sub: &str, total: &str, non_tech: &str) -> Value {
    json!({
        "contract_no": no, "subject": "高纯铅电解精炼工艺开发", "category": category,
        "subcategory": sub, "form": "written", "field": "materials", "ip_kind": "patent",
        "buyer_name": "买方单位", "buyer_credit_code": buyer,
        "total_amount": total, "non_tech_amount": non_tech, "carrier_amount": "",
        "signed_on": "2026-03-01", "valid_from": "2026-03-01", "valid_to": "2027-02-28",
        "broker_name": ""
    })
}

async fn turnover_2026(app: &axum::Router, s: &(String, String)) -> f64 {
    let (st, series) = send(
        app,
        req(
            "GET",
            "/api/v1/indicators/dashboard?region=419001&from=2026&to=2026",
            s,
            None,
        ),
    )
    .await;
    assert_eq!(st, StatusCode::OK, "{series}");
    let ind = series
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["key"] == "technology_contract_turnover")
        .expect("indicator");
    ind["points"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["year"] == 2026)
        .map(|p| p["value"].as_f64().unwrap())
        .unwrap_or(0.0)
}

#[tokio::test]
async fn a_contract_from_application_to_registration_and_statistics() {
    for db in all().await {
        let s = &db.store;
        let sys = Caller::system("t");
        let seller = s
            .create_organization(&sys, &fixtures::org("419001", 61, "济源研究院"))
            .await
            .unwrap();
        let mz = s
            .create_organization(&sys, &fixtures::org("410883", 62, "孟州科技"))
            .await
            .unwrap();
        let buyer_jy = code("419001", 63);
        let buyer_zz = code("410100", 64);
        user(
            s,
            "qiye",
            "organization",
            "419001",
            Some(seller.id),
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
        user(s, "dengji", "region", "419001", None, "registrar").await;
        user(s, "dengji2", "region", "419001", None, "registrar").await;
        user(s, "dengjimz", "region", "410883", None, "registrar").await;
        user(s, "city", "region", "419001", None, "officer").await;
        let app = app(s.clone(), Config::default());
        let qiye = login(&app, "qiye").await;
        let qiyemz = login(&app, "qiyemz").await;
        let dengji = login(&app, "dengji").await;
        let dengji2 = login(&app, "dengji2").await;
        let dengjimz = login(&app, "dengjimz").await;
        let city = login(&app, "city").await;
        let before = turnover_2026(&app, &city).await;

        // ---- bad input: a clear code on its field, nothing stored ----
        let bad = [
            (
                body("B1", &buyer_zz, "技术开发", "委托开发", "-5", "0"),
                "amount.negative",
            ),
            (
                body("B2", &buyer_zz, "技术开发", "委托开发", "100", "200"),
                "contract.non_tech_exceeds",
            ),
            (
                body("B3", &buyer_zz, "技术开发", "专利权转让", "100", "0"),
                "contract.subcategory.unknown",
            ),
            (
                {
                    let mut b = body("B4", &buyer_zz, "技术开发", "委托开发", "100", "0");
                    b["valid_to"] = json!("2025-01-01");
                    b
                },
                "contract.dates_order",
            ),
            (
                {
                    let mut c = buyer_zz.clone();
                    let last = c.pop().unwrap();
                    c.push(if last == 'A' { 'B' } else { 'A' });
                    body("B5", &c, "技术开发", "委托开发", "100", "0")
                },
                "credit_code.check_char",
            ),
        ];
        for (b, code) in bad {
            let (st, e) = send(&app, req("POST", "/api/v1/contracts", &qiye, Some(b))).await;
            assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{code}: {e}");
            assert!(
                e["fields"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|f| f["code"] == code),
                "{code}: {e}"
            );
        }
        let (_, list) = send(&app, req("GET", "/api/v1/contracts", &qiye, None)).await;
        assert_eq!(list["total"], 0, "{list}");
        // Only a seller account applies.
        let (st, _) = send(
            &app,
            req(
                "POST",
                "/api/v1/contracts",
                &city,
                Some(body("C0", &buyer_zz, "技术开发", "委托开发", "100", "0")),
            ),
        )
        .await;
        assert_eq!(st, StatusCode::FORBIDDEN);

        // ---- draft, duplicate, upload, submit ----
        let (st, c) = send(
            &app,
            req(
                "POST",
                "/api/v1/contracts",
                &qiye,
                Some(body(
                    "HT-1",
                    &buyer_jy,
                    "技术开发",
                    "委托开发",
                    "1000000",
                    "200000",
                )),
            ),
        )
        .await;
        assert_eq!(st, StatusCode::CREATED, "{c}");
        let id = c["id"].as_i64().unwrap();
        assert_eq!(c["status"], "draft");
        assert_eq!(c["seller_name"], "济源研究院");
        assert_eq!(c["buyer_region_code"], "419001");
        assert_eq!(c["actions"], json!(["edit", "upload", "delete"]), "{c}");
        let (st, e) = send(
            &app,
            req(
                "POST",
                "/api/v1/contracts",
                &qiye,
                Some(body("HT-1", &buyer_jy, "技术服务", "技术服务", "5000", "0")),
            ),
        )
        .await;
        assert_eq!(
            (st, e["code"].as_str()),
            (StatusCode::CONFLICT, Some("contract.duplicate"))
        );
        let (st, e) = send(
            &app,
            req(
                "POST",
                &format!("/api/v1/contracts/{id}/submit"),
                &qiye,
                None,
            ),
        )
        .await;
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
        assert_eq!(e["fields"][0]["code"], "contract.file_required");
        let text = pdf("contract HT-1");
        let (st, c) = send(
            &app,
            upload(
                &format!("/api/v1/contracts/{id}/file"),
                &qiye,
                "合同.pdf",
                &text,
            ),
        )
        .await;
        assert_eq!(st, StatusCode::OK, "{c}");
        use sha2::Digest;
        assert_eq!(c["file_sha256"], hex::encode(sha2::Sha256::digest(&text)));
        assert!(c["actions"].as_array().unwrap().contains(&json!("submit")));
        // Another region's registrar and another seller do not see it.
        for who in [&dengjimz, &qiyemz] {
            let (st, _) = send(
                &app,
                req("GET", &format!("/api/v1/contracts/{id}"), who, None),
            )
            .await;
            assert_eq!(st, StatusCode::NOT_FOUND);
        }
        let (st, c) = send(
            &app,
            req(
                "POST",
                &format!("/api/v1/contracts/{id}/submit"),
                &qiye,
                None,
            ),
        )
        .await;
        assert_eq!(
            (st, c["status"].as_str()),
            (StatusCode::OK, Some("submitted")),
            "{c}"
        );
        let today = kechuang_server::api::today();
        let working = chrono::Datelike::year(&today) >= 2026;
        let due =
            kechuang_domain::contract::due_date(today, if working { 15 } else { 30 }, working);
        assert_eq!(c["due_on"], due.to_string());
        // The seller can no longer change it; the officer reads but does not decide.
        let (st, _) = send(
            &app,
            req(
                "PUT",
                &format!("/api/v1/contracts/{id}"),
                &qiye,
                Some(body(
                    "HT-1",
                    &buyer_jy,
                    "技术开发",
                    "委托开发",
                    "1000000",
                    "100000",
                )),
            ),
        )
        .await;
        assert_eq!(st, StatusCode::CONFLICT);
        let (st, _) = send(
            &app,
            req(
                "POST",
                &format!("/api/v1/contracts/{id}/decide"),
                &city,
                Some(json!({"findings": {"parties_clear": true, "subject_clear": true, "price_clear": true, "name_matches": true, "seal_ok": true, "documents_ok": true, "approval_ok": true, "monopoly_clause": false}})),
            ),
        )
        .await;
        assert_eq!(st, StatusCode::FORBIDDEN);

        // ---- 退回补正, then registered ----
        let clean = json!({"parties_clear": true, "subject_clear": true, "price_clear": true, "name_matches": true, "seal_ok": true, "documents_ok": true, "approval_ok": true, "monopoly_clause": false});
        let mut unclear = clean.clone();
        unclear["price_clear"] = json!(false);
        let (st, a) = send(
            &app,
            req(
                "POST",
                &format!("/api/v1/contracts/{id}/assess"),
                &dengji,
                Some(unclear.clone()),
            ),
        )
        .await;
        assert_eq!(
            (st, a["decision"].as_str()),
            (StatusCode::OK, Some("correct")),
            "{a}"
        );
        let (_, c) = send(
            &app,
            req("GET", &format!("/api/v1/contracts/{id}"), &qiye, None),
        )
        .await;
        assert_eq!(c["status"], "submitted", "assess writes nothing");
        let (st, c) = send(
            &app,
            req(
                "POST",
                &format!("/api/v1/contracts/{id}/decide"),
                &dengji,
                Some(json!({"findings": unclear, "note": "请明确技术服务费的支付方式"})),
            ),
        )
        .await;
        assert_eq!(
            (st, c["status"].as_str()),
            (StatusCode::OK, Some("correcting")),
            "{c}"
        );
        assert!(
            c["reasons"]
                .as_array()
                .unwrap()
                .iter()
                .any(|r| r.as_str().unwrap().contains("价款")),
            "{c}"
        );
        let (_, home) = send(&app, req("GET", "/api/v1/home", &qiye, None)).await;
        let todo = home["todos"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["key"] == "contracts_returned")
            .cloned()
            .unwrap();
        assert_eq!(todo["count"], 1, "{home}");
        let (st, c) = send(
            &app,
            req(
                "PUT",
                &format!("/api/v1/contracts/{id}"),
                &qiye,
                Some(body(
                    "HT-1",
                    &buyer_jy,
                    "技术开发",
                    "委托开发",
                    "1000000",
                    "200000",
                )),
            ),
        )
        .await;
        assert_eq!(st, StatusCode::OK, "{c}");
        let (_, c) = send(
            &app,
            req(
                "POST",
                &format!("/api/v1/contracts/{id}/submit"),
                &qiye,
                None,
            ),
        )
        .await;
        assert_eq!(c["status"], "submitted");
        assert_eq!(c["corrected"], true);
        let (st, c) = send(
            &app,
            req(
                "POST",
                &format!("/api/v1/contracts/{id}/decide"),
                &dengji,
                Some(json!({"findings": clean})),
            ),
        )
        .await;
        assert_eq!(
            (st, c["status"].as_str()),
            (StatusCode::OK, Some("registered")),
            "{c}"
        );
        assert_eq!(c["technical_amount"], "800000");
        let regno = c["registration_no"].as_str().unwrap().to_owned();
        let yy = format!("{:02}", chrono::Datelike::year(&today) % 100);
        assert_eq!(regno, format!("{yy}419001000001"));
        assert!(
            c["actions"]
                .as_array()
                .unwrap()
                .contains(&json!("certificate"))
        );
        let (st, doc) = raw(&app, &format!("/api/v1/contracts/{id}/certificate"), &qiye).await;
        assert_eq!(st, StatusCode::OK);
        assert_eq!(&doc[..2], b"PK");

        // ---- a large contract waits for a second reviewer (newer rules) ----
        let (_, big) = send(
            &app,
            req(
                "POST",
                "/api/v1/contracts",
                &qiye,
                Some(body(
                    "HT-2",
                    &buyer_zz,
                    "技术开发",
                    "合作开发",
                    "7200000",
                    "700000",
                )),
            ),
        )
        .await;
        let bid = big["id"].as_i64().unwrap();
        send(
            &app,
            upload(
                &format!("/api/v1/contracts/{bid}/file"),
                &qiye,
                "b.pdf",
                &pdf("b"),
            ),
        )
        .await;
        send(
            &app,
            req(
                "POST",
                &format!("/api/v1/contracts/{bid}/submit"),
                &qiye,
                None,
            ),
        )
        .await;
        let (_, c) = send(
            &app,
            req(
                "POST",
                &format!("/api/v1/contracts/{bid}/decide"),
                &dengji,
                Some(json!({"findings": clean})),
            ),
        )
        .await;
        if working {
            assert_eq!(c["status"], "second_review", "{c}");
            let (st, e) = send(
                &app,
                req(
                    "POST",
                    &format!("/api/v1/contracts/{bid}/confirm"),
                    &dengji,
                    Some(json!({})),
                ),
            )
            .await;
            assert_eq!(
                (st, e["code"].as_str()),
                (StatusCode::CONFLICT, Some("contract.same_reviewer"))
            );
            let (st, c) = send(
                &app,
                req(
                    "POST",
                    &format!("/api/v1/contracts/{bid}/confirm"),
                    &dengji2,
                    Some(json!({"note": "复核无误"})),
                ),
            )
            .await;
            assert_eq!(
                (st, c["status"].as_str()),
                (StatusCode::OK, Some("registered")),
                "{c}"
            );
            assert_eq!(c["registration_no"], format!("{yy}419001000002"));
        }

        // ---- a sale contract is refused with its reason ----
        let (_, sale) = send(
            &app,
            req(
                "POST",
                "/api/v1/contracts",
                &qiye,
                Some(body("HT-3", &buyer_zz, "设备买卖合同", "", "300000", "0")),
            ),
        )
        .await;
        let sid = sale["id"].as_i64().unwrap();
        assert_eq!(sale["category"], "");
        send(
            &app,
            upload(
                &format!("/api/v1/contracts/{sid}/file"),
                &qiye,
                "s.pdf",
                &pdf("s"),
            ),
        )
        .await;
        send(
            &app,
            req(
                "POST",
                &format!("/api/v1/contracts/{sid}/submit"),
                &qiye,
                None,
            ),
        )
        .await;
        let (_, c) = send(
            &app,
            req(
                "POST",
                &format!("/api/v1/contracts/{sid}/decide"),
                &dengji,
                Some(json!({"findings": clean})),
            ),
        )
        .await;
        assert_eq!(c["status"], "refused");
        assert_eq!(c["reasons"][0], "不予登记：非技术合同", "{c}");
        let (st, _) = send(
            &app,
            req(
                "GET",
                &format!("/api/v1/contracts/{sid}/certificate"),
                &qiye,
                None,
            ),
        )
        .await;
        assert_eq!(st, StatusCode::CONFLICT);

        // ---- the indicator and the statistics follow the registrations ----
        // 成交额, not 技术交易额: HT-1 100万元 and HT-2 720万元.
        let registered_wan = 820.0;
        let after = turnover_2026(&app, &city).await;
        if chrono::Datelike::year(&today) == 2026 {
            assert!(
                (after - before - registered_wan).abs() < 1e-6,
                "{before} → {after}"
            );
        }
        let y = chrono::Datelike::year(&today);
        let (st, stats) = send(
            &app,
            req(
                "GET",
                &format!("/api/v1/contracts/stats?year_from={y}&year_to={y}"),
                &city,
                None,
            ),
        )
        .await;
        assert_eq!(st, StatusCode::OK, "{stats}");
        assert_eq!(stats["total"]["count"], 2, "{stats}");
        assert_eq!(stats["total"]["turnover"], "8200000");
        assert_eq!(stats["total"]["technical"], "7300000");
        // 吸纳: only HT-1 was bought by a 济源 organization.
        let (_, absorbed) = send(
            &app,
            req(
                "GET",
                &format!("/api/v1/contracts/stats?year_from={y}&year_to={y}&direction=input"),
                &city,
                None,
            ),
        )
        .await;
        assert_eq!(absorbed["total"]["turnover"], "1000000", "{absorbed}");
        let (st, _) = send(
            &app,
            req(
                "GET",
                "/api/v1/contracts/stats?direction=sideways",
                &city,
                None,
            ),
        )
        .await;
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
        // 孟州's registrar sees none of it.
        let (_, list) = send(&app, req("GET", "/api/v1/contracts", &dengjimz, None)).await;
        assert_eq!(list["total"], 0);
        // The registrar's home lists what waits.
        let (_, home) = send(&app, req("GET", "/api/v1/home", &dengji, None)).await;
        assert_eq!(home["view"], "registrar", "{home}");

        // Every state change is audited; every row has its audit entry.
        let entries = s
            .list_audit(
                &kechuang_store::DataScope::All,
                &kechuang_store::audit::AuditFilter {
                    entity: Some("tech_contract".into()),
                    ..Default::default()
                },
                kechuang_store::PageRequest::new(1, 100),
            )
            .await
            .unwrap()
            .items;
        let actions: Vec<&str> = entries.iter().map(|e| e.action.as_str()).collect();
        for a in [
            "create", "attach", "submit", "return", "update", "register", "refuse", "download",
        ] {
            assert!(actions.contains(&a), "{a} missing from {actions:?}");
        }
        assert_eq!(s.audit_coverage().await.unwrap(), vec![], "{}", db.name);
        db.drop_db().await;
    }
}
