//! Plan monitoring over HTTP, on both backends: a plan is uploaded and its targets extracted
//! with their sentences, reviewed (corrected, rejected, merged) and confirmed; progress is
//! computed from the registry and entered values; ratio indicators are recomputed from summed
//! parts up the region tree; subdivisions are ranked; the task ledger takes progress reports.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use axum::http::StatusCode;
use common::{get_xlsx, login, req, send, upload, user};
use kechuang_domain::enterprise_year::Figures;
use kechuang_server::{Config, app};
use kechuang_store::Caller;
use kechuang_testkit::{all, fixtures};
use serde_json::{Value, json};

const PLAN: &str = "济源市“十四五”科技创新规划\n\
一、发展目标\n\
到2025年，全市高新技术企业达到4家，研究与试验发展经费投入强度达到2.5%。\n\
“十四五”期间，新增高新技术企业3家。\n\
二、重点任务\n\
（一）培育科技企业。实施高新技术企业倍增计划。（责任单位：市科技局）\n\
（二）建设创新平台。新建省级以上研发平台。（责任单位：市发改委、市科技局）\n";

#[tokio::test]
async fn a_plan_from_upload_to_progress_ranking_and_ledger() {
    for db in all().await {
        let s = &db.store;
        let sys = Caller::system("t");
        // 高企 in 济源: one in 2023, two in 2024 and 2025, five in 2026; one in 孟州 in 2024.
        for (i, (region, years)) in [
            ("419001", &[2023, 2024, 2025, 2026][..]),
            ("419001", &[2024, 2025, 2026][..]),
            ("419001", &[2026][..]),
            ("419001", &[2026][..]),
            ("419001", &[2026][..]),
            ("410883", &[2024][..]),
        ]
        .iter()
        .enumerate()
        {
            let o = s
                .create_organization(
                    &sys,
                    &fixtures::org(region, 500 + i as u32, &format!("企业{i}")),
                )
                .await
                .unwrap();
            for y in *years {
                let f = Figures {
                    hte_valid: Some(true),
                    ..Default::default()
                };
                s.put_enterprise_year(&sys, o.id, *y, &f).await.unwrap();
            }
        }
        user(s, "city", "region", "419001", None, "officer").await;
        user(s, "county", "region", "410883", None, "officer").await;
        user(s, "province", "region", "410000", None, "officer").await;
        let app = app(s.clone(), Config::default());
        let city = login(&app, "city").await;

        // Not text: refused with a clear code, nothing stored.
        let (st, r) = send(
            &app,
            upload(
                "/api/v1/plans",
                &city,
                "plan.doc",
                &[0xd0, 0xcf, 0x11, 0xe0, 0xff],
            ),
        )
        .await;
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{r}");
        assert_eq!(r["fields"][0]["code"], "file.encoding");

        let (st, d) = send(
            &app,
            upload("/api/v1/plans", &city, "plan.txt", PLAN.as_bytes()),
        )
        .await;
        assert_eq!(st, StatusCode::CREATED, "{d}");
        let pid = d["plan"]["id"].as_i64().unwrap();
        assert_eq!(
            (
                d["plan"]["base_year"].as_i64(),
                d["plan"]["target_year"].as_i64()
            ),
            (Some(2020), Some(2025))
        );
        assert_eq!(d["plan"]["status"], "draft");
        let targets = d["targets"].as_array().unwrap();
        let hte = targets
            .iter()
            .find(|t| t["key"] == "high_tech_enterprise_count")
            .unwrap_or_else(|| panic!("{d}"));
        assert_eq!(
            (hte["value"].as_f64(), hte["year"].as_i64()),
            (Some(4.0), Some(2025))
        );
        let chars: Vec<char> = PLAN.chars().collect();
        let (a, b) = (
            hte["start"].as_u64().unwrap() as usize,
            hte["end"].as_u64().unwrap() as usize,
        );
        assert_eq!(
            chars[a..b].iter().collect::<String>(),
            hte["sentence"].as_str().unwrap()
        );
        let rd = targets.iter().find(|t| t["key"] == "rd_intensity").unwrap();
        // The ledger is drafted from the numbered tasks, with their responsible units.
        let tasks = d["tasks"].as_array().unwrap();
        let t2 = tasks
            .iter()
            .find(|t| t["title"].as_str().unwrap().contains("建设创新平台"))
            .unwrap_or_else(|| panic!("{d}"));
        assert_eq!(t2["responsible_units"], json!(["市发改委", "市科技局"]));

        // Another county sees nothing of it.
        let county = login(&app, "county").await;
        let (st, _) = send(
            &app,
            req("GET", &format!("/api/v1/plans/{pid}"), &county, None),
        )
        .await;
        assert_eq!(st, StatusCode::NOT_FOUND);

        // Review: a bad correction is refused; the R&D target is rejected; the rest confirmed.
        let rid = rd["id"].as_i64().unwrap();
        let mut patch = json!({
            "indicator": rd["indicator"], "key": rd["key"], "value": 2.5, "unit": "%",
            "comparator": "roughly", "year": 2025, "kind": "target", "status": "rejected"
        });
        let (st, r) = send(
            &app,
            req(
                "PUT",
                &format!("/api/v1/plans/{pid}/targets/{rid}"),
                &city,
                Some(patch.clone()),
            ),
        )
        .await;
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{r}");
        assert_eq!(r["fields"][0]["code"], "comparator.unknown");
        patch["comparator"] = json!("reach");
        let (st, r) = send(
            &app,
            req(
                "PUT",
                &format!("/api/v1/plans/{pid}/targets/{rid}"),
                &city,
                Some(patch),
            ),
        )
        .await;
        assert_eq!(st, StatusCode::OK, "{r}");
        let (st, plan) = send(
            &app,
            req("POST", &format!("/api/v1/plans/{pid}/confirm"), &city, None),
        )
        .await;
        assert_eq!(st, StatusCode::OK, "{plan}");
        assert_eq!(plan["status"], "confirmed");
        let (_, d) = send(
            &app,
            req("GET", &format!("/api/v1/plans/{pid}"), &city, None),
        )
        .await;
        let status_of = |id: i64| {
            d["targets"]
                .as_array()
                .unwrap()
                .iter()
                .find(|t| t["id"] == id)
                .unwrap()["status"]
                .clone()
        };
        assert_eq!(status_of(rid), "rejected");
        assert_eq!(status_of(hte["id"].as_i64().unwrap()), "confirmed");

        // Progress from the registry: 1 in 2023, 2 in 2024 and 2025, 5 in 2026; target 4 in
        // 2025. The target is judged on 2025's value (2026's 5 does not count): 未达标, and no
        // forecast for a year that has passed.
        let (st, pr) = send(
            &app,
            req("GET", &format!("/api/v1/plans/{pid}/progress"), &city, None),
        )
        .await;
        assert_eq!(st, StatusCode::OK, "{pr}");
        let rows = pr.as_array().unwrap();
        assert!(
            rows.iter().all(|r| r["key"] != "rd_intensity"),
            "rejected target left out"
        );
        // Both 高企 targets are one indicator row.
        let hte_rows: Vec<&Value> = rows
            .iter()
            .filter(|r| r["key"] == "high_tech_enterprise_count")
            .collect();
        assert_eq!(hte_rows.len(), 1, "{pr}");
        let h = hte_rows[0];
        assert_eq!(
            (h["name"].as_str(), h["decimals"].as_u64()),
            (Some("高新技术企业数"), Some(0))
        );
        assert_eq!(
            h["series"],
            json!([{"year": 2023, "value": 1.0}, {"year": 2024, "value": 2.0}, {"year": 2025, "value": 2.0}, {"year": 2026, "value": 5.0}])
        );
        let targets = h["targets"].as_array().unwrap();
        assert_eq!(targets.len(), 2, "{h}");
        let p = &targets[0]["progress"];
        assert_eq!(targets[0]["target"]["value"].as_f64(), Some(4.0));
        assert_eq!(p["status"], "missed", "{p}");
        assert_eq!(p["latest"], json!({"year": 2025, "value": 2.0}));
        assert_eq!(p["forecast"]["chosen"], Value::Null);
        assert_eq!(p["forecast_value"], Value::Null);
        assert_eq!(
            p["explanation_zh"],
            "2025年实际2家，低于目标4家（差50.0%），状态：未达标"
        );
        // 新增 without a base value: a plain reason for the report, the fix for the officer.
        assert_eq!(targets[1]["progress"], Value::Null);
        assert_eq!(targets[1]["problem"], "“新增”目标需要基期值");
        assert!(
            targets[1]["review_hint"]
                .as_str()
                .unwrap()
                .contains("目标审核"),
            "{h}"
        );
        // The leaders' report carries neither review hints nor a row per duplicate.
        let bytes = get_xlsx(&app, &format!("/api/v1/plans/{pid}/progress/export"), &city).await;
        let sheet = kechuang_server::tabular::read_table(&bytes).unwrap();
        let cells: Vec<String> = sheet
            .rows
            .iter()
            .flat_map(|(_, r)| r.iter().cloned())
            .collect();
        assert!(cells.iter().all(|c| !c.contains("请在")), "{cells:?}");
        assert_eq!(
            cells
                .iter()
                .filter(|c| c.starts_with("高新技术企业数"))
                .count(),
            1,
            "{cells:?}"
        );
        assert!(cells.iter().any(|c| c == "未达标"), "{cells:?}");

        // Entered values: bad input refused; R&D intensity is recomputed from summed parts.
        let (st, r) = send(&app, req("PUT", "/api/v1/indicators/entries", &city, Some(json!({
            "element": "gdp", "region": "419001", "year": 2024, "value": "800000", "source": "统计公报", "source_date": "2025/3/1"
        })))).await;
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{r}");
        assert_eq!(r["fields"][0]["code"], "source_date.format");
        let (st, r) = send(&app, req("PUT", "/api/v1/indicators/entries", &county, Some(json!({
            "element": "gdp", "region": "419001", "year": 2024, "value": "1", "source": "x", "source_date": "2025-03-01"
        })))).await;
        assert_eq!(st, StatusCode::FORBIDDEN, "{r}");
        for (region, who, gdp, rd) in [
            ("419001", &city, "800000", "16000"),
            ("410883", &county, "200000", "8000"),
        ] {
            for (el, v) in [("gdp", gdp), ("rd_expenditure", rd)] {
                let (st, r) = send(&app, req("PUT", "/api/v1/indicators/entries", who, Some(json!({
                    "element": el, "region": region, "year": 2024, "value": v, "source": "统计公报", "source_date": "2025-03-01"
                })))).await;
                assert_eq!(st, StatusCode::OK, "{r}");
            }
        }
        let (_, dash) = send(
            &app,
            req(
                "GET",
                "/api/v1/indicators/dashboard?from=2023&to=2024",
                &city,
                None,
            ),
        )
        .await;
        let series = |d: &Value, k: &str| {
            d.as_array()
                .unwrap()
                .iter()
                .find(|s| s["key"] == k)
                .unwrap()["points"]
                .clone()
        };
        assert_eq!(
            series(&dash, "rd_intensity"),
            json!([{"year": 2024, "value": 2.0}])
        );
        assert_eq!(
            series(&dash, "high_tech_enterprise_count"),
            json!([{"year": 2023, "value": 1.0}, {"year": 2024, "value": 2.0}])
        );
        // The province: entered figures are summed only when every city has one; otherwise the
        // ratio is reported missing, never computed from a partial sum.
        let province = login(&app, "province").await;
        let (_, dash) = send(
            &app,
            req(
                "GET",
                "/api/v1/indicators/dashboard?from=2024&to=2024",
                &province,
                None,
            ),
        )
        .await;
        assert_eq!(series(&dash, "rd_intensity"), json!([]));
        let rdi = dash
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["key"] == "rd_intensity")
            .unwrap();
        assert!(!rdi["missing"].as_array().unwrap().is_empty(), "{rdi}");

        // Ranking the province's cities on 高企 count.
        let (st, rk) = send(
            &app,
            req(
                "GET",
                "/api/v1/indicators/ranking?keys=high_tech_enterprise_count&year=2024",
                &province,
                None,
            ),
        )
        .await;
        assert_eq!(st, StatusCode::OK, "{rk}");
        let top: Vec<(String, f64, i64)> = rk["table"]["rows"].as_array().unwrap()[..2]
            .iter()
            .map(|r| {
                (
                    r["region"].as_str().unwrap().to_owned(),
                    r["cells"][0]["value"].as_f64().unwrap(),
                    r["cells"][0]["rank"].as_i64().unwrap(),
                )
            })
            .collect();
        // 济源 is ranked by its own name (not “省直辖县级行政区划”); cities without data have
        // no value and no rank, and come last.
        assert_eq!(
            top,
            [("419001".to_owned(), 2.0, 1), ("410800".to_owned(), 1.0, 2)]
        );
        assert_eq!(rk["mode"], "regions");
        assert_eq!(rk["rows"], Value::Null);
        let last = rk["table"]["rows"]
            .as_array()
            .unwrap()
            .last()
            .unwrap()
            .clone();
        assert_eq!(
            (
                last["cells"][0]["value"].clone(),
                last["cells"][0]["rank"].clone()
            ),
            (Value::Null, Value::Null),
            "{last}"
        );
        // 济源 has no subdivisions: its officer is told so and gets its own years.
        let (st, own) = send(
            &app,
            req(
                "GET",
                "/api/v1/indicators/ranking?keys=high_tech_enterprise_count&year=2024",
                &city,
                None,
            ),
        )
        .await;
        assert_eq!(st, StatusCode::OK, "{own}");
        assert_eq!(own["mode"], "years");
        assert_eq!(own["parent"]["name"], "济源市");
        assert!(
            own["notice"]
                .as_str()
                .unwrap()
                .contains("济源市没有下辖县（市、区）"),
            "{own}"
        );
        assert_eq!(own["peers"], Value::Null, "a city does not see its peers");
        let years: Vec<(i64, Value, Value)> = own["years"]
            .as_array()
            .unwrap()
            .iter()
            .map(|y| {
                (
                    y["year"].as_i64().unwrap(),
                    y["values"][0].clone(),
                    y["changes"][0].clone(),
                )
            })
            .collect();
        assert_eq!(
            years[..3],
            [
                (2024, json!(2.0), json!(1.0)),
                (2023, json!(1.0), Value::Null),
                (2022, Value::Null, Value::Null)
            ]
        );
        let (_, theirs) = send(
            &app,
            req(
                "GET",
                "/api/v1/indicators/ranking?keys=high_tech_enterprise_count&year=2024&parent=419001",
                &province,
                None,
            ),
        )
        .await;
        assert_eq!(theirs["peers"]["code"], "410000", "{theirs}");
        let (st, _) = send(
            &app,
            req(
                "GET",
                "/api/v1/indicators/ranking?keys=high_tech_enterprise_count&parent=410000",
                &city,
                None,
            ),
        )
        .await;
        assert_eq!(st, StatusCode::NOT_FOUND, "a city cannot rank the province");

        // The ledger: progress reports with evidence; 100 % is done.
        let tid = t2["id"].as_i64().unwrap();
        let (st, r) = send(&app, req("POST", &format!("/api/v1/plans/tasks/{tid}/updates"), &city, Some(json!({
            "progress": 60, "note": "已认定省级工程技术研究中心3家", "evidence_name": "认定文件.pdf", "evidence_sha256": "abc"
        })))).await;
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{r}");
        let sha = "a".repeat(64);
        let (st, r) = send(&app, req("POST", &format!("/api/v1/plans/tasks/{tid}/updates"), &city, Some(json!({
            "progress": 100, "note": "已认定省级工程技术研究中心3家", "evidence_name": "认定文件.pdf", "evidence_sha256": sha
        })))).await;
        assert_eq!(st, StatusCode::CREATED, "{r}");
        assert_eq!(
            (r["status"].as_str(), r["progress"].as_i64()),
            (Some("done"), Some(100))
        );
        let (st, r) = send(&app, req("POST", &format!("/api/v1/plans/{pid}/tasks"), &city, Some(json!({
            "title": "开展科技特派员服务", "responsible_units": ["市科技局"], "deadline": "2020-12-31"
        })))).await;
        assert_eq!(st, StatusCode::CREATED, "{r}");
        let new_task = r["id"].as_i64().unwrap();
        let (_, d) = send(
            &app,
            req("GET", &format!("/api/v1/plans/{pid}"), &city, None),
        )
        .await;
        assert!(d["overdue"].as_array().unwrap().contains(&json!(new_task)));
        assert!(!d["overdue"].as_array().unwrap().contains(&json!(tid)));
        let (_, ups) = send(
            &app,
            req(
                "GET",
                &format!("/api/v1/plans/tasks/{tid}/updates"),
                &city,
                None,
            ),
        )
        .await;
        assert_eq!(ups[0]["evidence_sha256"], sha);

        // Bulk clean-up of the ledger: merge two tasks into one, delete another; a task with
        // progress reports is kept, and a refused request changes nothing.
        let t1 = tasks
            .iter()
            .find(|t| t["title"].as_str().unwrap().contains("培育科技企业"))
            .unwrap()["id"]
            .as_i64()
            .unwrap();
        let (st, merged) = send(
            &app,
            req(
                "POST",
                &format!("/api/v1/plans/{pid}/tasks/merge"),
                &city,
                Some(json!({
                    "keep": t1, "others": [new_task], "title": "培育科技企业，开展科技特派员服务"
                })),
            ),
        )
        .await;
        assert_eq!(st, StatusCode::OK, "{merged}");
        assert_eq!(merged["title"], "培育科技企业，开展科技特派员服务");
        assert_eq!(merged["responsible_units"], json!(["市科技局"]));
        assert_eq!(merged["deadline"], "2020-12-31");
        // The ledger exports as the officer sees it, in words.
        let bytes = get_xlsx(&app, &format!("/api/v1/plans/{pid}/tasks/export"), &city).await;
        let sheet = kechuang_server::tabular::read_table(&bytes).unwrap();
        let row = sheet
            .rows
            .iter()
            .find(|(_, r)| r[1] == "培育科技企业，开展科技特派员服务")
            .unwrap();
        assert_eq!(
            (row.1[2].as_str(), row.1[3].as_str()),
            ("市科技局", "2020-12-31")
        );
        assert!(
            matches!(row.1[4].as_str(), "未开始" | "推进中" | "已完成"),
            "{row:?}"
        );
        let (st, _) = send(
            &app,
            req(
                "GET",
                &format!("/api/v1/plans/{pid}/tasks/export"),
                &county,
                None,
            ),
        )
        .await;
        assert_eq!(
            st,
            StatusCode::NOT_FOUND,
            "another county's ledger is not exported"
        );
        let (st, r) = send(
            &app,
            req(
                "POST",
                &format!("/api/v1/plans/{pid}/tasks/batch-delete"),
                &city,
                Some(json!({
                    "ids": [t1, tid]
                })),
            ),
        )
        .await;
        assert_eq!(st, StatusCode::CONFLICT, "{r}");
        assert_eq!(r["code"], "plan.task_reported");
        let (st, r) = send(
            &app,
            req(
                "POST",
                &format!("/api/v1/plans/{pid}/tasks/batch-delete"),
                &county,
                Some(json!({
                    "ids": [t1]
                })),
            ),
        )
        .await;
        assert_eq!(st, StatusCode::NOT_FOUND, "{r}");
        let (st, r) = send(
            &app,
            req(
                "POST",
                &format!("/api/v1/plans/{pid}/tasks/batch-delete"),
                &city,
                Some(json!({
                    "ids": []
                })),
            ),
        )
        .await;
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{r}");
        let (_, d) = send(
            &app,
            req("GET", &format!("/api/v1/plans/{pid}"), &city, None),
        )
        .await;
        let ids: Vec<i64> = d["tasks"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["id"].as_i64().unwrap())
            .collect();
        assert!(ids.contains(&t1) && ids.contains(&tid) && !ids.contains(&new_task));
        let (st, r) = send(
            &app,
            req(
                "POST",
                &format!("/api/v1/plans/{pid}/tasks/batch-delete"),
                &city,
                Some(json!({
                    "ids": [t1]
                })),
            ),
        )
        .await;
        assert_eq!(
            (st, r["deleted"].as_i64()),
            (StatusCode::OK, Some(1)),
            "{r}"
        );
        let (_, d) = send(
            &app,
            req("GET", &format!("/api/v1/plans/{pid}"), &city, None),
        )
        .await;
        assert_eq!(d["tasks"].as_array().unwrap().len(), 1, "{d}");

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

/// Issue 20: the review page shows what the extractor read and how sure it was. Each target
/// carries the rules that fired; a reading the extractor had to guess (a sum of money written
/// without 元) carries its doubt, a plainly stated one none; both survive an officer's
/// correction.
#[tokio::test]
async fn extracted_targets_carry_their_rule_and_doubt() {
    for db in all().await {
        user(&db.store, "city", "region", "419001", None, "officer").await;
        let app = app(db.store.clone(), Config::default());
        let city = login(&app, "city").await;
        let text = "济源市“十四五”科技创新规划\n一、发展目标\n\
            到2025年，全市高新技术企业达到4家，技术合同成交额突破20亿。\n";
        let (st, d) = send(
            &app,
            upload("/api/v1/plans", &city, "plan.txt", text.as_bytes()),
        )
        .await;
        assert_eq!(st, StatusCode::CREATED, "{}: {d}", db.name);
        let targets = d["targets"].as_array().unwrap();
        let hte = targets
            .iter()
            .find(|t| t["key"] == "high_tech_enterprise_count")
            .unwrap_or_else(|| panic!("{d}"));
        assert!(
            hte["rule"].as_str().unwrap().contains("cmp=达到"),
            "{}: {hte}",
            db.name
        );
        assert!(hte["doubt"].is_null(), "{hte}");
        let money = targets
            .iter()
            .find(|t| t["value"] == 20.0)
            .unwrap_or_else(|| panic!("{d}"));
        assert_eq!(money["unit"], "亿元", "{money}");
        let doubt = money["doubt"].as_str().unwrap_or_else(|| panic!("{money}"));
        assert!(!doubt.is_empty());

        // Corrected by an officer: the extractor's reading stays beside the correction.
        let pid = d["plan"]["id"].as_i64().unwrap();
        let mid = money["id"].as_i64().unwrap();
        let patch = json!({
            "indicator": money["indicator"], "key": money["key"], "value": 20.0, "unit": "亿元",
            "comparator": money["comparator"], "year": 2025, "kind": "target",
            "status": "confirmed"
        });
        let (st, r) = send(
            &app,
            req(
                "PUT",
                &format!("/api/v1/plans/{pid}/targets/{mid}"),
                &city,
                Some(patch),
            ),
        )
        .await;
        assert_eq!(st, StatusCode::OK, "{r}");
        let (_, again) = send(
            &app,
            req("GET", &format!("/api/v1/plans/{pid}"), &city, None),
        )
        .await;
        let m = again["targets"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["id"] == mid)
            .unwrap()
            .clone();
        assert_eq!(m["status"], "confirmed");
        assert_eq!(m["doubt"], money["doubt"]);
        assert_eq!(m["rule"], money["rule"]);
        db.drop_db().await;
    }
}
