//! The rules endpoints on both backends: ad-hoc evaluation, a stored run over the caller's
//! registry with cultivation pools, and scoped results.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use axum::http::StatusCode;
use common::{get_xlsx, login, req, run_rules, send, upload, user};
use http_body_util::BodyExt;
use kechuang_domain::enterprise_year::Figures;
use kechuang_server::{Config, app};
use kechuang_store::{Caller, DataScope};
use kechuang_testkit::{all, fixtures};
use rust_decimal::Decimal;
use serde_json::{Value, json};
use tower::ServiceExt;

/// Officers `city` (济源 419001) and `county` (孟州 410883).
async fn officers(s: &kechuang_store::Store) {
    for (name, region) in [("city", "419001"), ("county", "410883")] {
        user(s, name, "region", region, None, "officer").await;
    }
}

#[tokio::test]
async fn evaluate_run_and_read_results_within_scope() {
    for db in all().await {
        let s = &db.store;
        let sys = Caller::system("t");
        // Three 济源 enterprises (qualifying, near miss at 58, failing) and one 孟州 enterprise.
        let mut ids = Vec::new();
        for (i, (region, tech, rd, ip2)) in [
            ("419001", 24, 300, 3),
            ("419001", 10, 40, 4),
            ("419001", 1, 0, 0),
            ("410883", 30, 100, 4),
        ]
        .iter()
        .enumerate()
        {
            let o = s
                .create_organization(
                    &sys,
                    &fixtures::org(region, 700 + i as u32, &format!("企业{i}")),
                )
                .await
                .unwrap();
            let f = Figures {
                employees: Some(100),
                tech_staff: Some(*tech),
                revenue: Some(Decimal::from(10_000_000)),
                total_assets: Some(Decimal::from(8_000_000)),
                rd_expense: Some(Decimal::from(rd * 10_000)),
                ip_class1: Some(0),
                ip_class2: Some(*ip2),
                serious_violation: Some(false),
                ..Default::default()
            };
            s.put_enterprise_year(&sys, o.id, 2024, &f).await.unwrap();
            ids.push(o.id);
        }
        officers(s).await;
        let app = app(s.clone(), Config::default());
        let city = login(&app, "city").await;
        // Packs are listed with their version.
        let (_, packs) = send(&app, req("GET", "/api/v1/rules/packs", &city, None)).await;
        assert!(
            packs
                .as_array()
                .unwrap()
                .iter()
                .any(|p| p["id"] == "tech-sme" && p["version"].as_str().unwrap().len() == 12)
        );
        // Ad hoc: rules.md C10.
        let body = json!({"pack": "tech-sme", "year": 2024, "figures": {"employees": "50", "tech_staff": "12", "revenue": "4000万", "total_assets": "3000万", "total_cost": "3500万", "rd_expense": "300万", "ip_class1": "0", "ip_class2": "3", "serious_violation": "否"}});
        let (st, r) = send(
            &app,
            req("POST", "/api/v1/rules/evaluate", &city, Some(body)),
        )
        .await;
        assert_eq!(st, StatusCode::OK, "{r}");
        assert_eq!(
            (
                r["outputs"]["score"].as_i64(),
                r["outputs"]["qualified"].as_bool()
            ),
            (Some(80), Some(true))
        );
        assert!(r["explanation_text"].as_str().unwrap().contains("属于“"));
        let (st, r) = send(&app, req("POST", "/api/v1/rules/evaluate", &city, Some(json!({"pack": "tech-sme", "year": 2024, "figures": {"employes": "5", "revenue": "abc"}})))).await;
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
        let codes: Vec<&str> = r["fields"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["code"].as_str().unwrap())
            .collect();
        assert!(
            codes.contains(&"rules.input_unknown") && codes.contains(&"number.format"),
            "{r}"
        );
        let (st, r) = send(
            &app,
            req(
                "POST",
                "/api/v1/rules/evaluate",
                &city,
                Some(json!({"pack": "tech-sme", "year": 2010})),
            ),
        )
        .await;
        assert_eq!(
            (st, r["fields"][0]["code"].as_str()),
            (StatusCode::UNPROCESSABLE_ENTITY, Some("rules.year"))
        );
        // A batch: the same C10 entity, a missing input, and a bad number.
        let c10 = json!({"employees": "50", "tech_staff": "12", "revenue": "4000万", "total_assets": "3000万", "rd_expense": "300万", "ip_class1": "0", "ip_class2": "3", "serious_violation": "否"});
        let body = json!({"pack": "tech-sme", "year": 2024, "entities": [
            {"id": "a", "figures": c10},
            {"id": "b", "figures": {"employees": "50", "tech_staff": "12"}},
            {"id": "c", "figures": {"employees": "x"}}
        ]});
        let (st, r) = send(
            &app,
            req("POST", "/api/v1/rules/evaluate-batch", &city, Some(body)),
        )
        .await;
        assert_eq!(st, StatusCode::OK, "{r}");
        assert_eq!(
            (r[0]["id"].as_str(), r[0]["outputs"]["score"].as_i64()),
            (Some("a"), Some(80))
        );
        assert!(
            r[1]["missing"]
                .as_array()
                .unwrap()
                .iter()
                .any(|m| m == "rd_expense")
        );
        assert_eq!(r[1]["outputs"]["qualified"], Value::Null);
        assert!(r[2]["problems"][0].as_str().unwrap().contains("格式错误"));
        // A stored run over the city's registry: 3 enterprises, one near miss in the pool.
        let run = run_rules(&app, &city, json!({"pack": "tech-sme", "year": 2024})).await;
        assert_eq!(run["status"], "done", "{run}");
        assert_eq!(
            (run["done"].as_u64(), run["total"].as_u64()),
            (Some(3), Some(3)),
            "{run}"
        );
        let sum = &run["summary"];
        assert_eq!(
            (sum["evaluated"].as_u64(), sum["qualified"].as_u64()),
            (Some(3), Some(1)),
            "{sum}"
        );
        assert_eq!(sum["pools"]["pool_near"], 1);
        let (_, page) = send(
            &app,
            req(
                "GET",
                "/api/v1/rules/results?pack=tech-sme&year=2024",
                &city,
                None,
            ),
        )
        .await;
        assert_eq!(page["total"], 3);
        assert_eq!(page["items"][0]["score"], 80, "sorted by score");
        let (_, pool) = send(
            &app,
            req(
                "GET",
                "/api/v1/rules/results?pack=tech-sme&year=2024&pool=pool_near",
                &city,
                None,
            ),
        )
        .await;
        assert_eq!(
            (pool["total"].as_u64(), pool["items"][0]["org_id"].as_i64()),
            (Some(1), Some(ids[1]))
        );
        assert!(
            pool["items"][0]["gaps"]
                .as_array()
                .unwrap()
                .iter()
                .any(|g| g["input"] == "tech_staff")
        );
        // The list exports as it is filtered, in words: the policy's name and the verdict.
        let xlsx = get_xlsx(
            &app,
            "/api/v1/rules/results/export?pack=tech-sme&year=2024&pool=pool_near",
            &city,
        )
        .await;
        let sheet = kechuang_server::tabular::read_table(&xlsx).unwrap();
        assert_eq!(sheet.rows.len(), 1);
        assert_eq!(sheet.headers[4], "政策");
        assert!(
            sheet.rows[0].1[4].contains("科技型中小企业"),
            "{:?}",
            sheet.rows[0]
        );
        assert!(
            matches!(sheet.rows[0].1[5].as_str(), "符合" | "不符合" | "待定"),
            "{:?}",
            sheet.rows[0]
        );
        // Scope: the county sees none of the city's results, and its own run covers only 孟州.
        let county = login(&app, "county").await;
        let (st, _) = send(
            &app,
            req(
                "GET",
                &format!("/api/v1/rules/results/{}?pack=tech-sme&year=2024", ids[0]),
                &county,
                None,
            ),
        )
        .await;
        assert_eq!(st, StatusCode::NOT_FOUND);
        let run = run_rules(&app, &county, json!({"pack": "tech-sme", "year": 2024})).await;
        assert_eq!(run["summary"]["evaluated"], 1);
        let all_results = s
            .list_rule_results(
                &DataScope::All,
                &Default::default(),
                kechuang_store::PageRequest::new(1, 50),
            )
            .await
            .unwrap();
        assert_eq!(all_results.total, 4);
        // Re-running replaces, not duplicates; the run is audited.
        run_rules(&app, &city, json!({"pack": "tech-sme", "year": 2024})).await;
        let all_results = s
            .list_rule_results(
                &DataScope::All,
                &Default::default(),
                kechuang_store::PageRequest::new(1, 50),
            )
            .await
            .unwrap();
        assert_eq!(all_results.total, 4);
        let log = s
            .list_audit(
                &DataScope::All,
                &kechuang_store::audit::AuditFilter {
                    action: Some("rules_run".into()),
                    ..Default::default()
                },
                kechuang_store::PageRequest::new(1, 10),
            )
            .await
            .unwrap();
        assert_eq!(log.total, 3);
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

/// 免申即享 from the registry: new 高企 (first time and again), platforms recognized in the year
/// (within a category only the highest level is paid), the caller's region only; bad requests
/// are refused with a code; the xlsx export carries the same list.
#[tokio::test]
async fn entitlements_follow_the_registry_within_scope() {
    use kechuang_domain::platform::PlatformLevel;
    for db in all().await {
        let s = &db.store;
        let sys = Caller::system("t");
        // (region, hte_valid in 2023, 2024, 2025)
        let mut ids = Vec::new();
        for (i, (region, valid)) in [
            ("419001", [false, false, true]), // A: first time in 2025
            ("419001", [true, false, true]),  // B: again in 2025
            ("419001", [false, true, true]),  // C: already valid in 2024
            ("410883", [false, false, true]), // E: first time, another county
        ]
        .iter()
        .enumerate()
        {
            let o = s
                .create_organization(
                    &sys,
                    &fixtures::org(region, 800 + i as u32, &format!("奖补企业{i}")),
                )
                .await
                .unwrap();
            for (y, v) in (2023..=2025).zip(valid) {
                let f = Figures {
                    employees: Some(100),
                    hte_valid: Some(*v),
                    ..Default::default()
                };
                s.put_enterprise_year(&sys, o.id, y, &f).await.unwrap();
            }
            ids.push(o.id);
        }
        // A's platforms: provincial and city in 2025 (one category: only the provincial one is
        // paid), and one from 2024 (not this year's list).
        for (name, level, day) in [
            ("省级重点实验室", PlatformLevel::Provincial, "2025-06-01"),
            ("市级重点实验室", PlatformLevel::City, "2025-03-01"),
            ("去年的实验室", PlatformLevel::Provincial, "2024-05-01"),
        ] {
            let mut p = fixtures::platform(ids[0], name);
            p.level = level;
            p.recognized_on = Some(day.parse().unwrap());
            s.create_platform(&sys, &p).await.unwrap();
        }
        officers(s).await;
        let app = app(s.clone(), Config::default());
        let city = login(&app, "city").await;
        let (st, l) = send(
            &app,
            req("GET", "/api/v1/rules/entitlements?year=2025", &city, None),
        )
        .await;
        assert_eq!(st, StatusCode::OK, "{l}");
        let mut items: Vec<(String, String, bool)> = l["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| {
                (
                    format!("{} {}", i["org_name"].as_str().unwrap(), i["item"]),
                    i["amount"].as_str().unwrap().to_owned(),
                    i["granted"].as_bool().unwrap(),
                )
            })
            .collect();
        items.sort();
        let a = |what: &str| format!("奖补企业0 \"{what}\"");
        assert_eq!(
            items,
            [
                (a("奖补企业0 认定为高新技术企业"), "200000".to_owned(), true),
                (
                    a("市级重点实验室（市级重点实验室）"),
                    "50000".to_owned(),
                    false
                ),
                (
                    a("省级重点实验室（省级重点实验室）"),
                    "300000".to_owned(),
                    true
                ),
                (
                    "奖补企业1 \"奖补企业1 认定为高新技术企业\"".to_owned(),
                    "100000".to_owned(),
                    true
                ),
            ]
        );
        let not_paid = l["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["granted"] == false)
            .unwrap();
        assert!(
            not_paid["reason"].as_str().unwrap().contains("省级"),
            "{not_paid}"
        );
        assert!(!not_paid["explanation_text"].as_str().unwrap().is_empty());
        assert_eq!(
            (l["total"].as_str(), l["entities"].as_u64()),
            (Some("600000"), Some(2))
        );
        assert_eq!(l["by_category"]["研发平台"], "300000");
        assert_eq!(l["by_category"]["高新技术企业认定"], "300000");
        // The other county sees only its own enterprise.
        let county = login(&app, "county").await;
        let (_, l) = send(
            &app,
            req("GET", "/api/v1/rules/entitlements?year=2025", &county, None),
        )
        .await;
        assert_eq!(l["items"].as_array().unwrap().len(), 1, "{l}");
        assert_eq!(l["items"][0]["org_name"], "奖补企业3");
        assert_eq!(l["total"], "200000");
        // A region outside the caller's scope gives nothing.
        let (_, l) = send(
            &app,
            req(
                "GET",
                "/api/v1/rules/entitlements?year=2025&region=419001",
                &county,
                None,
            ),
        )
        .await;
        assert_eq!(l["items"].as_array().unwrap().len(), 0, "{l}");
        // Bad requests.
        for (path, status, code) in [
            (
                "/api/v1/rules/entitlements?year=2025&pack=tech-sme",
                StatusCode::UNPROCESSABLE_ENTITY,
                "rules.not_reward_pack",
            ),
            (
                "/api/v1/rules/entitlements?year=2025&region=abc",
                StatusCode::UNPROCESSABLE_ENTITY,
                "region.format",
            ),
            (
                "/api/v1/rules/entitlements?year=2025&pack=nope",
                StatusCode::NOT_FOUND,
                "rules.pack_unknown",
            ),
        ] {
            let (st, e) = send(&app, req("GET", path, &city, None)).await;
            assert_eq!(st, status, "{path}: {e}");
            let got = e["fields"][0]["code"].as_str().or(e["code"].as_str());
            assert_eq!(got, Some(code), "{path}: {e}");
        }
        // The xlsx export.
        let bytes = get_xlsx(&app, "/api/v1/rules/entitlements/export?year=2025", &city).await;
        let sheet = kechuang_server::tabular::read_table(&bytes).unwrap();
        assert_eq!(sheet.rows.len(), 4);
    }
}

/// What a form needs: each pack's figures with their kinds, its outputs and pools with labels,
/// and the figures a pack reads for a year (earlier years' included); errors name the figure.
#[tokio::test]
async fn packs_describe_their_figures_outputs_and_pools() {
    for db in all().await {
        let s = &db.store;
        officers(s).await;
        let app = app(s.clone(), Config::default());
        let city = login(&app, "city").await;
        let (_, packs) = send(&app, req("GET", "/api/v1/rules/packs", &city, None)).await;
        let tech = packs
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["id"] == "tech-sme")
            .unwrap();
        let kind = |n: &str| {
            tech["inputs"]
                .as_array()
                .unwrap()
                .iter()
                .find(|i| i["name"] == n)
                .unwrap()["kind"]
                .clone()
        };
        assert_eq!(
            (
                kind("employees"),
                kind("revenue"),
                kind("serious_violation")
            ),
            (json!("count"), json!("money"), json!("flag"))
        );
        let label_of = |list: &str, n: &str| {
            tech[list]
                .as_array()
                .unwrap()
                .iter()
                .find(|o| o["name"] == n)
                .map(|o| o["label"].clone())
        };
        assert_eq!(
            label_of("outputs", "qualified"),
            Some(json!("是否符合科技型中小企业条件"))
        );
        assert_eq!(label_of("outputs", "size_ok"), Some(json!("规模条件")));
        // integrity_ok has two dated versions: listed once.
        let integrity = tech["outputs"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|o| o["name"] == "integrity_ok")
            .count();
        assert_eq!(integrity, 1);
        assert_eq!(
            label_of("pools", "pool_near"),
            Some(json!("培育库：综合评价50–59分"))
        );
        assert_eq!(label_of("outputs", "pool_near"), None);
        // 高企 reads earlier years' figures for its growth rates.
        let (st, inputs) = send(
            &app,
            req(
                "GET",
                "/api/v1/rules/packs/hnte/inputs?year=2024",
                &city,
                None,
            ),
        )
        .await;
        assert_eq!(st, StatusCode::OK, "{inputs}");
        let earlier: Vec<&Value> = inputs
            .as_array()
            .unwrap()
            .iter()
            .filter(|i| i["offset"] == -1)
            .collect();
        assert!(!earlier.is_empty(), "{inputs}");
        for i in &earlier {
            assert!(i["key"].as_str().unwrap().ends_with("@-1"), "{i}");
            assert!(
                i["label"].as_str().unwrap().ends_with("（上一年度）"),
                "{i}"
            );
        }
        // The keys are exactly what /rules/evaluate accepts.
        let figures: serde_json::Map<String, Value> = inputs
            .as_array()
            .unwrap()
            .iter()
            .map(|i| {
                let v = if i["kind"] == "flag" { "否" } else { "1" };
                (i["key"].as_str().unwrap().to_owned(), json!(v))
            })
            .collect();
        let (st, r) = send(
            &app,
            req(
                "POST",
                "/api/v1/rules/evaluate",
                &city,
                Some(json!({"pack": "hnte", "year": 2024, "figures": figures})),
            ),
        )
        .await;
        assert_eq!(st, StatusCode::OK, "{r}");
        // Bad figures are named by their label.
        let (st, e) = send(
            &app,
            req(
                "POST",
                "/api/v1/rules/evaluate",
                &city,
                Some(json!({"pack": "tech-sme", "year": 2024, "figures": {"employees": "五十人"}})),
            ),
        )
        .await;
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(e["fields"][0]["code"], "number.format");
        assert!(
            e["fields"][0]["message"]
                .as_str()
                .unwrap()
                .starts_with("职工总数："),
            "{e}"
        );
        for (path, status) in [
            (
                "/api/v1/rules/packs/nope/inputs?year=2024",
                StatusCode::NOT_FOUND,
            ),
            (
                "/api/v1/rules/packs/tech-sme/inputs?year=2010",
                StatusCode::UNPROCESSABLE_ENTITY,
            ),
        ] {
            let (st, e) = send(&app, req("GET", path, &city, None)).await;
            assert_eq!(st, status, "{path}: {e}");
        }
    }
}

/// 批量试算: a figures file evaluated without storing anything — results per enterprise in the
/// file's order, a bad cell reported and counted as missing, an enterprise without a row for
/// the year listed apart, the xlsx answer, and a file without a year column refused.
#[tokio::test]
async fn a_figures_file_is_evaluated_without_storing() {
    for db in all().await {
        let s = &db.store;
        officers(s).await;
        let app = app(s.clone(), Config::default());
        let city = login(&app, "city").await;
        // rules.md C10 (80 points, qualified), a bad 科技人员数 cell, and one with 2023 only.
        let csv = "统一社会信用代码,企业名称,年度,职工总数,科技人员数,销售收入,资产总额,成本费用支出总额,研发费用总额,Ⅰ类知识产权数,Ⅱ类知识产权数,重大安全质量事故或严重违法失信\n\
                   91419001MA00000011,甲公司,2024,50,12,4000万,3000万,3500万,300万,0,3,否\n\
                   91419001MA00000022,乙公司,2024,100,十个,10000000,8000000,,250000,0,3,否\n\
                   91419001MA00000033,丙公司,2023,100,40,10000000,8000000,,,1,0,否\n";
        let path = "/api/v1/rules/evaluate-file?pack=tech-sme&year=2024";
        let (st, r) = send(&app, upload(path, &city, "sme.csv", csv.as_bytes())).await;
        assert_eq!(st, StatusCode::OK, "{r}");
        assert_eq!(
            (r["evaluated"].as_u64(), r["qualified"].as_u64()),
            (Some(2), Some(1))
        );
        assert_eq!(r["without_year"], json!(["91419001MA00000033"]));
        let rows = r["rows"].as_array().unwrap();
        assert_eq!(
            (
                rows[0]["name"].as_str(),
                rows[0]["outputs"]["score"].as_i64()
            ),
            (Some("甲公司"), Some(80))
        );
        assert!(
            rows[0]["explanation_text"]
                .as_str()
                .unwrap()
                .contains("综合评价得分 80 分")
        );
        // 科技人员数 is not a number: missing, so the decision is open, not "no".
        assert_eq!(rows[1]["outputs"]["qualified"], Value::Null, "{}", rows[1]);
        // Named by the figure's label, as the file's header has it.
        assert_eq!(
            rows[1]["problems"],
            json!(["科技人员数（2024年）“十个”不是数字"])
        );
        assert!(
            rows[1]["missing"]
                .as_array()
                .unwrap()
                .iter()
                .any(|m| m["input"] == "tech_staff"),
            "{}",
            rows[1]
        );
        // Nothing stored.
        let (_, stored) = send(
            &app,
            req(
                "GET",
                "/api/v1/rules/results?pack=tech-sme&year=2024",
                &city,
                None,
            ),
        )
        .await;
        assert_eq!(stored["total"], 0, "{stored}");
        // The same as xlsx.
        let res = app
            .clone()
            .oneshot(upload(
                "/api/v1/rules/evaluate-file/export?pack=tech-sme&year=2024",
                &city,
                "sme.csv",
                csv.as_bytes(),
            ))
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::OK);
        let bytes = res.into_body().collect().await.unwrap().to_bytes();
        let sheet = kechuang_server::tabular::read_table(&bytes).unwrap();
        assert_eq!(sheet.rows.len(), 2);
        let col = |h: &str| sheet.headers.iter().position(|x| x == h).unwrap();
        assert_eq!(sheet.rows[0].1[col("综合评价得分")], "80");
        assert_eq!(sheet.rows[0].1[col("是否符合科技型中小企业条件")], "是");
        assert_eq!(
            sheet.rows[1].1[col("数据问题")],
            "科技人员数（2024年）“十个”不是数字"
        );
        // A file without a year column.
        let (st, e) = send(
            &app,
            upload(
                path,
                &city,
                "bad.csv",
                "统一社会信用代码,职工总数\nX,1\n".as_bytes(),
            ),
        )
        .await;
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(e["fields"][0]["code"], "rules.file");
        assert!(e["message"].as_str().unwrap().contains("年度"), "{e}");
    }
}

/// A run stores each result's engine inputs, not its explanation; reading a result derives the
/// explanation and gaps with the pack version that made it, even after the pack has changed
/// (the run keeps the pack's text).
#[tokio::test]
async fn results_are_explained_with_the_pack_version_that_made_them() {
    use kechuang_server::rules_io::{official_pack, registry_entities, result_row};
    use kechuang_store::rule_results::{RunCover, RunSpec, RunSummary};
    for db in all().await {
        let s = &db.store;
        let sys = Caller::system("t");
        officers(s).await;
        let o = s
            .create_organization(&sys, &fixtures::org("419001", 801, "版本企业"))
            .await
            .unwrap();
        let f = Figures {
            employees: Some(100),
            tech_staff: Some(24),
            revenue: Some(Decimal::from(10_000_000)),
            total_assets: Some(Decimal::from(8_000_000)),
            rd_expense: Some(Decimal::from(3_000_000)),
            ip_class1: Some(0),
            ip_class2: Some(3),
            serious_violation: Some(false),
            ..Default::default()
        };
        s.put_enterprise_year(&sys, o.id, 2024, &f).await.unwrap();
        let app = app(s.clone(), Config::default());
        let city = login(&app, "city").await;
        let run = run_rules(&app, &city, json!({"pack": "tech-sme", "year": 2024})).await;
        assert_eq!(run["summary"]["qualified"], 1, "{run}");
        let detail = |app: axum::Router| {
            let city = city.clone();
            async move {
                let (st, r) = send(
                    &app,
                    req(
                        "GET",
                        &format!("/api/v1/rules/results/{}?pack=tech-sme&year=2024", o.id),
                        &city,
                        None,
                    ),
                )
                .await;
                assert_eq!(st, StatusCode::OK, "{r}");
                r
            }
        };
        let now = detail(app.clone()).await;
        let text = now["explanation"].as_str().unwrap().to_owned();
        assert!(text.contains("职工总数上限 500，"), "{text}");
        assert!(text.contains("规模条件：符合"), "{text}");

        // An earlier version of the pack, with a head-count limit of 50: its run's result is
        // explained by that version (100 employees fail it), not by today's pack.
        let official = kechuang_rules::OFFICIAL
            .iter()
            .find(|(i, _, _)| *i == "tech-sme")
            .unwrap()
            .1;
        let old = official.replacen("  2017-05-03.. 500", "  2017-05-03.. 50", 1);
        assert_ne!(old, official);
        let pack = kechuang_rules::Pack::parse("policies/tech-sme.policy", &old).unwrap();
        let plan = pack.compile(2024).unwrap();
        let ents = registry_entities(s, &DataScope::All, None, &plan)
            .await
            .unwrap();
        let rows: Vec<_> = ents
            .iter()
            .map(|e| result_row(&plan, e, &plan.evaluate(&e.entity)))
            .collect();
        assert_eq!(rows.len(), 1);
        let spec = RunSpec {
            pack: "tech-sme",
            pack_version: "0ld0ld0ld0ld",
            pack_text: &old,
            year: 2024,
        };
        let (r, _) = s
            .begin_rule_run(
                &sys,
                &spec,
                &RunCover::of(&DataScope::All, None).unwrap(),
                1,
            )
            .await
            .unwrap();
        s.add_rule_results(&sys, &r, &rows).await.unwrap();
        s.finish_rule_run(&sys, &r, &RunSummary::default())
            .await
            .unwrap();
        let then = detail(app.clone()).await;
        assert_eq!(then["pack_version"], "0ld0ld0ld0ld");
        assert_eq!(then["qualified"], false, "{then}");
        let old_text = then["explanation"].as_str().unwrap();
        assert!(old_text.contains("职工总数上限 50，"), "{old_text}");
        assert!(old_text.contains("规模条件：不符合"), "{old_text}");
        assert_ne!(then["explanation"], now["explanation"]);
        // Today's pack again: today's explanation.
        run_rules(&app, &city, json!({"pack": "tech-sme", "year": 2024})).await;
        let again = detail(app.clone()).await;
        assert_eq!(again["pack_version"], official_pack("tech-sme").unwrap().1);
        assert_eq!(again["explanation"], now["explanation"]);
        db.drop_db().await;
    }
}
