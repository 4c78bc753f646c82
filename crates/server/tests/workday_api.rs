//! A working day through the API, on both backends: an enterprise saves an unfinished draft
//! and is told at submission everything that is missing; the officer drafts, edits, publishes
//! and withdraws a call, finds applications by stage, moves them in bulk (all or nothing) and
//! exports them; an expert reads the application and its PDF through the assignment, saves
//! scores before submitting, and downloads the 评审意见表; each role's home shows its own to-do.
//! Buttons follow finer permissions (an enterprise cannot add organizations).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use axum::http::StatusCode;
use common::{get_xlsx, login, req, send, upload, user};
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

#[tokio::test]
async fn a_working_day_of_officer_enterprise_and_expert() {
    for db in all().await {
        let s = &db.store;
        let sys = Caller::system("t");
        let ent = s
            .create_organization(&sys, &fixtures::org("419001", 41, "济源示范科技"))
            .await
            .unwrap();
        let other = s
            .create_organization(&sys, &fixtures::org("419001", 42, "济源另一科技"))
            .await
            .unwrap();
        let institute = s
            .create_organization(&sys, &fixtures::org("419001", 43, "济源研究院"))
            .await
            .unwrap();
        let staff = |org: i64, name: &str| {
            let mut p = fixtures::expert(org, name);
            p.is_expert = false;
            p
        };
        let leader = s
            .create_person(&sys, &staff(ent.id, "负责人甲"), b"k", None)
            .await
            .unwrap()
            .id;
        let leader2 = s
            .create_person(&sys, &staff(other.id, "负责人乙"), b"k", None)
            .await
            .unwrap()
            .id;
        user(s, "city", "region", "419001", None, "officer").await;
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
            "qiye2",
            "organization",
            "419001",
            Some(other.id),
            "enterprise",
        )
        .await;
        user(s, "audit", "all", "419001", None, "auditor").await;
        let mut expert_users = Vec::new();
        for n in 0..3 {
            let uid = user(s, &format!("exp{n}"), "self", "419001", None, "expert").await;
            let mut p = fixtures::expert(institute.id, &format!("专家{n}"));
            p.disciplines = vec!["冶金工程".into()];
            p.keywords = vec!["铅冶炼".into()];
            s.create_person(&sys, &p, b"k", Some(uid)).await.unwrap();
            expert_users.push(uid);
        }
        let app = app(s.clone(), Config::default());
        let city = login(&app, "city").await;
        let qiye = login(&app, "qiye").await;
        let qiye2 = login(&app, "qiye2").await;
        let today = kechuang_server::api::today();
        let call_body = |title: &str, publish: bool| {
            json!({
                "title": title, "category": "科技攻关", "mode": "公开竞争", "region": "419001",
                "budget": "1000000", "opens_on": (today - chrono::Duration::days(5)).to_string(),
                "closes_on": (today + chrono::Duration::days(30)).to_string(), "publish": publish
            })
        };

        // ---- 发布指南: draft, invisible to applicants, edited, published, withdrawn ----
        let (st, draft) = send(
            &app,
            req(
                "POST",
                "/api/v1/calls",
                &city,
                Some(call_body("指南草稿", false)),
            ),
        )
        .await;
        assert_eq!(
            (st, draft["status"].as_str()),
            (StatusCode::CREATED, Some("draft")),
            "{draft}"
        );
        let did = draft["id"].as_i64().unwrap();
        let (_, seen) = send(&app, req("GET", "/api/v1/calls", &qiye, None)).await;
        assert!(
            seen["items"]
                .as_array()
                .unwrap()
                .iter()
                .all(|c| c["id"] != did),
            "{seen}"
        );
        let (st, _) = send(
            &app,
            req("GET", &format!("/api/v1/calls/{did}"), &qiye, None),
        )
        .await;
        assert_eq!(st, StatusCode::NOT_FOUND);
        let mut edited = call_body("2026年度示范指南", false);
        edited.as_object_mut().unwrap().remove("publish");
        let (st, c) = send(
            &app,
            req(
                "PUT",
                &format!("/api/v1/calls/{did}"),
                &city,
                Some(edited.clone()),
            ),
        )
        .await;
        assert_eq!(
            (st, c["title"].as_str()),
            (StatusCode::OK, Some("2026年度示范指南")),
            "{c}"
        );
        let (st, c) = send(
            &app,
            req("POST", &format!("/api/v1/calls/{did}/publish"), &city, None),
        )
        .await;
        assert_eq!(
            (st, c["status_label"].as_str()),
            (StatusCode::OK, Some("已发布")),
            "{c}"
        );
        let (st, r) = send(
            &app,
            req("PUT", &format!("/api/v1/calls/{did}"), &city, Some(edited)),
        )
        .await;
        assert_eq!(
            (st, r["code"].as_str()),
            (StatusCode::CONFLICT, Some("call.not_draft")),
            "{r}"
        );
        let (st, c) = send(
            &app,
            req("GET", &format!("/api/v1/calls/{did}"), &qiye, None),
        )
        .await;
        assert_eq!(
            (st, c["status"].as_str()),
            (StatusCode::OK, Some("published")),
            "{c}"
        );
        let call_id = did;

        // ---- the enterprise: a draft saves unfinished, submission names what is missing ----
        let (st, a) = send(
            &app,
            req(
                "POST",
                "/api/v1/applications",
                &qiye,
                Some(json!({
                    "call_id": call_id, "title": "示范项目", "org_id": ent.id, "leader_id": leader,
                    "budget": [{"item": "设备费", "amount": ""}]
                })),
            ),
        )
        .await;
        assert_eq!(st, StatusCode::CREATED, "{a}");
        let id = a["id"].as_i64().unwrap();
        let labels: Vec<&str> = a["actions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x["label"].as_str().unwrap())
            .collect();
        assert!(labels.contains(&"提交申报（一次报送）"), "{labels:?}");
        let submit = |id: i64, who: &(String, String)| {
            req(
                "POST",
                &format!("/api/v1/applications/{id}/transition"),
                who,
                Some(json!({"action": "submit"})),
            )
        };
        let (st, r) = send(&app, submit(id, &qiye)).await;
        assert_eq!(
            (st, r["code"].as_str()),
            (
                StatusCode::UNPROCESSABLE_ENTITY,
                Some("application.incomplete")
            ),
            "{r}"
        );
        let fields: Vec<&str> = r["fields"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["field"].as_str().unwrap())
            .collect();
        for f in ["budget[0].amount", "milestones", "integrity_pledge"] {
            assert!(fields.contains(&f), "{f} in {fields:?}");
        }
        assert!(
            !r["message"].as_str().unwrap().contains("budget"),
            "no field keys for users: {r}"
        );
        let complete = |title: &str, org: i64, leader: i64| {
            json!({
                "call_id": call_id, "title": title, "org_id": org, "leader_id": leader,
                "budget": [{"item": "设备费", "amount": "300000"}],
                "milestones": [{"title": "样机", "due_on": "2027-06-30", "target": "样机1台"}],
                "integrity_pledge": true, "disciplines": ["冶金工程"], "keywords": ["铅冶炼"]
            })
        };
        let (st, r) = send(
            &app,
            req(
                "PUT",
                &format!("/api/v1/applications/{id}"),
                &qiye,
                Some(complete("示范项目", ent.id, leader)),
            ),
        )
        .await;
        assert_eq!(st, StatusCode::OK, "{r}");
        let (st, r) = send(
            &app,
            upload(
                &format!("/api/v1/applications/{id}/attachments"),
                &qiye,
                "可行性研究报告.pdf",
                &pdf("可研"),
            ),
        )
        .await;
        assert_eq!(st, StatusCode::CREATED, "{r}");
        let (st, r) = send(&app, submit(id, &qiye)).await;
        assert_eq!(st, StatusCode::OK, "{r}");
        let (st, b) = send(
            &app,
            req(
                "POST",
                "/api/v1/applications",
                &qiye2,
                Some(complete("另一项目", other.id, leader2)),
            ),
        )
        .await;
        assert_eq!(st, StatusCode::CREATED, "{b}");
        let id2 = b["id"].as_i64().unwrap();
        assert_eq!(send(&app, submit(id2, &qiye2)).await.0, StatusCode::OK);

        // ---- the officer: finds them by stage, moves them in bulk, all or nothing ----
        let (_, home) = send(&app, req("GET", "/api/v1/home", &city, None)).await;
        assert_eq!(home["view"], "officer");
        let todo = |h: &Value, key: &str| {
            h["todos"]
                .as_array()
                .unwrap()
                .iter()
                .find(|t| t["key"] == key)
                .cloned()
                .unwrap()
        };
        assert_eq!(todo(&home, "formal_check")["count"], 2, "{home}");
        assert_eq!(home["show_overview"], true);
        let (_, waiting) = send(
            &app,
            req("GET", "/api/v1/applications?status=submitted", &city, None),
        )
        .await;
        assert_eq!(waiting["items"].as_array().unwrap().len(), 2, "{waiting}");
        assert_eq!(waiting["total"], 2, "{waiting}");
        assert_eq!(
            waiting["items"][0]["actions"][0]["action"],
            "start_formal_check"
        );
        // The stage tabs' counts, by status, whatever the status asked for.
        let (_, counts) = send(
            &app,
            req(
                "GET",
                "/api/v1/applications/counts?status=submitted",
                &city,
                None,
            ),
        )
        .await;
        assert_eq!(counts["by_status"]["submitted"], 2, "{counts}");
        let listed: u64 = counts["by_status"]
            .as_object()
            .unwrap()
            .values()
            .map(|v| v.as_u64().unwrap())
            .sum();
        let (_, all) = send(&app, req("GET", "/api/v1/applications?size=1", &city, None)).await;
        assert_eq!(all["total"].as_u64(), Some(listed), "{all}");
        assert_eq!(all["items"].as_array().unwrap().len(), 1, "{all}");
        let batch = |ids: Vec<i64>, action: &str| {
            req(
                "POST",
                "/api/v1/applications/batch-transition",
                &city,
                Some(json!({"ids": ids, "action": action})),
            )
        };
        let (st, r) = send(&app, batch(vec![id, id2], "start_formal_check")).await;
        assert_eq!((st, r["moved"].as_i64()), (StatusCode::OK, Some(2)), "{r}");
        // One of them cannot pass yet (sent back first): neither moves.
        let (st, _) = send(
            &app,
            req(
                "POST",
                &format!("/api/v1/applications/{id2}/transition"),
                &city,
                Some(json!({"action": "return", "reason": "预算说明不完整"})),
            ),
        )
        .await;
        assert_eq!(st, StatusCode::OK);
        let (st, r) = send(&app, batch(vec![id, id2], "pass_formal_check")).await;
        assert_eq!(
            (st, r["code"].as_str()),
            (StatusCode::CONFLICT, Some("application.batch_refused")),
            "{r}"
        );
        assert!(r["message"].as_str().unwrap().contains("另一项目"), "{r}");
        let (_, a) = send(
            &app,
            req("GET", &format!("/api/v1/applications/{id}"), &city, None),
        )
        .await;
        assert_eq!(
            a["application"]["status"], "formal_check",
            "rolled back: {a}"
        );
        let (st, r) = send(&app, batch(vec![id], "pass_formal_check")).await;
        assert_eq!(st, StatusCode::OK, "{r}");
        let xlsx = get_xlsx(
            &app,
            "/api/v1/applications/export?status=expert_review,returned",
            &city,
        )
        .await;
        assert_eq!(&xlsx[..2], b"PK");
        // The enterprise's home shows its application's stage; the returned one is on qiye2's.
        let (_, h2) = send(&app, req("GET", "/api/v1/home", &qiye2, None)).await;
        assert_eq!(
            (h2["view"].as_str(), todo(&h2, "returned")["count"].as_i64()),
            (Some("enterprise"), Some(1)),
            "{h2}"
        );
        assert_eq!(h2["rows"][0]["status_label"], "退回修改");
        assert_eq!(h2["show_overview"], false);

        // ---- the review: the expert reads the application through the assignment ----
        let (st, round) = send(&app, req("POST", &format!("/api/v1/calls/{call_id}/review-round"), &city, Some(json!({
            "title": "示范评审", "object_kind": "application", "reviewers_per_item": 3, "max_load": 5,
            "form": [
                {"key": "innovation", "label": "技术创新性", "max": 60, "guide": "国内领先得50分以上"},
                {"key": "benefit", "label": "预期效益", "max": 40}
            ]
        })))).await;
        assert_eq!(st, StatusCode::CREATED, "{round}");
        let rid = round["id"].as_i64().unwrap();
        assert_eq!(round["form"][0]["guide"], "国内领先得50分以上");
        let (st, r) = send(
            &app,
            req(
                "POST",
                &format!("/api/v1/review/rounds/{rid}/assign"),
                &city,
                Some(json!({"mode": "optimal"})),
            ),
        )
        .await;
        assert_eq!(st, StatusCode::OK, "{r}");
        assert_eq!(
            send(
                &app,
                req(
                    "POST",
                    &format!("/api/v1/review/rounds/{rid}/publish"),
                    &city,
                    None
                )
            )
            .await
            .0,
            StatusCode::OK
        );
        let e0 = login(&app, "exp0").await;
        let e1 = login(&app, "exp1").await;
        let (_, mine) = send(&app, req("GET", "/api/v1/review/my", &e0, None)).await;
        let task = mine[0].clone();
        let tid = task["id"].as_i64().unwrap();
        assert_eq!(task["expert_org_name"], "济源研究院");
        let (_, h) = send(&app, req("GET", "/api/v1/home", &e0, None)).await;
        assert_eq!(
            (h["view"].as_str(), todo(&h, "pending")["count"].as_i64()),
            (Some("expert"), Some(1)),
            "{h}"
        );
        let (st, obj) = send(
            &app,
            req(
                "GET",
                &format!("/api/v1/review/assignments/{tid}/object"),
                &e0,
                None,
            ),
        )
        .await;
        assert_eq!(st, StatusCode::OK, "{obj}");
        assert_eq!(obj["application"]["title"], "示范项目");
        assert_eq!(obj["application"]["budget_total"], "300000");
        let att = obj["attachments"][0]["id"].as_i64().unwrap();
        let (st, bytes) = raw(
            &app,
            &format!("/api/v1/review/assignments/{tid}/attachments/{att}"),
            &e0,
        )
        .await;
        assert_eq!((st, &bytes[..5]), (StatusCode::OK, &b"%PDF-"[..]));
        // Another expert's task is not theirs to read.
        let (st, _) = send(
            &app,
            req(
                "GET",
                &format!("/api/v1/review/assignments/{tid}/object"),
                &e1,
                None,
            ),
        )
        .await;
        assert_eq!(st, StatusCode::NOT_FOUND);
        // 暂存: partial scores kept; out of range refused; submission clears the draft.
        let draft = |who: &(String, String), body: Value| {
            req(
                "PUT",
                &format!("/api/v1/review/assignments/{tid}/draft"),
                who,
                Some(body),
            )
        };
        let (st, r) = send(
            &app,
            draft(
                &e0,
                json!({"scores": {"innovation": 52}, "comment": "思路清楚"}),
            ),
        )
        .await;
        assert_eq!(
            (st, r["draft"]["scores"]["innovation"].as_f64()),
            (StatusCode::OK, Some(52.0)),
            "{r}"
        );
        let (st, r) = send(&app, draft(&e0, json!({"scores": {"benefit": 41}}))).await;
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{r}");
        let (_, mine) = send(&app, req("GET", "/api/v1/review/my", &e0, None)).await;
        assert_eq!(
            mine[0]["draft"]["comment"], "思路清楚",
            "the saved draft comes back: {mine}"
        );
        let (st, _) = raw(
            &app,
            &format!("/api/v1/review/assignments/{tid}/opinion.docx"),
            &e0,
        )
        .await;
        assert_eq!(st, StatusCode::CONFLICT, "no 评审意见表 before submission");
        let (st, r) = send(
            &app,
            req(
                "POST",
                &format!("/api/v1/review/assignments/{tid}/scores"),
                &e0,
                Some(json!({"scores": {"innovation": 52, "benefit": 30}, "comment": "建议支持"})),
            ),
        )
        .await;
        assert_eq!(
            (st, r["status"].as_str(), r["draft"].is_null()),
            (StatusCode::OK, Some("submitted"), true),
            "{r}"
        );
        let (st, r) = send(&app, draft(&e0, json!({"scores": {"innovation": 10}}))).await;
        assert_eq!(
            (st, r["code"].as_str()),
            (StatusCode::CONFLICT, Some("review.not_pending")),
            "{r}"
        );
        let (st, doc) = raw(
            &app,
            &format!("/api/v1/review/assignments/{tid}/opinion.docx"),
            &e0,
        )
        .await;
        assert_eq!(st, StatusCode::OK);
        let text = kechuang_plans::read_docx(&doc).unwrap();
        assert!(
            text.contains("示范项目") && text.contains("建议支持") && text.contains("济源研究院"),
            "{text}"
        );
        let summary = get_xlsx(
            &app,
            &format!("/api/v1/review/rounds/{rid}/results/export"),
            &city,
        )
        .await;
        assert_eq!(&summary[..2], b"PK");
        // After the round closes the material is no longer open.
        assert_eq!(
            send(
                &app,
                req(
                    "POST",
                    &format!("/api/v1/review/rounds/{rid}/close"),
                    &city,
                    None
                )
            )
            .await
            .0,
            StatusCode::OK
        );
        let (st, r) = send(
            &app,
            req(
                "GET",
                &format!("/api/v1/review/assignments/{tid}/object"),
                &e0,
                None,
            ),
        )
        .await;
        assert_eq!(
            (st, r["code"].as_str()),
            (StatusCode::CONFLICT, Some("review.object_closed")),
            "{r}"
        );

        // ---- withdrawing a call: a reason is required; drafts can no longer be submitted ----
        let (st, r) = send(
            &app,
            req(
                "POST",
                &format!("/api/v1/calls/{call_id}/withdraw"),
                &city,
                Some(json!({"reason": " "})),
            ),
        )
        .await;
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{r}");
        let (st, c) = send(
            &app,
            req(
                "POST",
                &format!("/api/v1/calls/{call_id}/withdraw"),
                &city,
                Some(json!({"reason": "预算调整，另行发布"})),
            ),
        )
        .await;
        assert_eq!(
            (st, c["status_label"].as_str()),
            (StatusCode::OK, Some("已撤回")),
            "{c}"
        );
        let (_, seen) = send(&app, req("GET", "/api/v1/calls", &qiye, None)).await;
        assert!(
            seen["items"]
                .as_array()
                .unwrap()
                .iter()
                .all(|c| c["id"] != call_id),
            "{seen}"
        );

        // ---- buttons follow permissions: adding an organization is the bureau's ----
        let (st, _) = send(&app, req("POST", "/api/v1/organizations", &qiye, Some(json!({
            "credit_code": fixtures::org("419001", 44, "x").credit_code.to_string(), "name": "新单位", "kind": "enterprise", "region": "419001"
        })))).await;
        assert_eq!(st, StatusCode::FORBIDDEN);
        let (_, me) = send(&app, req("GET", "/api/v1/auth/me", &qiye, None)).await;
        let perms = me["user"]["permissions"].as_array().unwrap();
        assert!(
            !perms.contains(&json!("org:add")) && perms.contains(&json!("org:write")),
            "{perms:?}"
        );
        assert_eq!(me["scope"], "本单位（济源示范科技）");

        // ---- the auditor's home and the labelled log ----
        let audit = login(&app, "audit").await;
        let (_, h) = send(&app, req("GET", "/api/v1/home", &audit, None)).await;
        assert_eq!(
            (h["view"].as_str(), h["rows_title"].as_str()),
            (Some("auditor"), Some("最近安全事件")),
            "{h}"
        );
        assert!(
            todo(&h, "export")["count"].as_i64().unwrap() >= 2,
            "the exports above: {h}"
        );
        let (_, log) = send(
            &app,
            req(
                "GET",
                "/api/v1/audit?entity=call&page=1&size=50",
                &audit,
                None,
            ),
        )
        .await;
        let withdraw = log["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["action"] == "withdraw")
            .unwrap();
        assert_eq!(
            (
                withdraw["entity_label"].as_str(),
                withdraw["action_label"].as_str()
            ),
            (Some("项目指南"), Some("撤回"))
        );
        let changed: Vec<&str> = withdraw["changes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["label"].as_str().unwrap())
            .collect();
        assert_eq!(changed, vec!["状态", "撤回理由"], "{withdraw}");

        // ---- every list exports as the user sees it, and each export is itself audited ----
        let sheet = |bytes: &[u8]| kechuang_server::tabular::read_table(bytes).unwrap();
        let calls = sheet(&get_xlsx(&app, "/api/v1/calls/export", &city).await);
        let row = calls
            .rows
            .iter()
            .find(|(_, r)| r[0] == "2026年度示范指南")
            .unwrap();
        assert_eq!(
            (row.1[4].as_str(), row.1[7].as_str()),
            ("100", "已撤回"),
            "{row:?}"
        );
        let experts = sheet(&get_xlsx(&app, "/api/v1/experts/export", &city).await);
        assert_eq!(experts.rows.len(), 3, "{:?}", experts.rows);
        assert!(experts.rows.iter().all(|(_, r)| r[1] == "济源研究院"));
        let (st, _) = raw(&app, "/api/v1/users/export", &city).await;
        assert_eq!(st, StatusCode::FORBIDDEN, "officers do not manage accounts");
        let users = sheet(&get_xlsx(&app, "/api/v1/users/export", &audit).await);
        assert!(
            users
                .rows
                .iter()
                .any(|(_, r)| r[0] == "qiye" && r[2] == "企业/单位用户"),
            "{:?}",
            users.rows
        );
        let log = sheet(&get_xlsx(&app, "/api/v1/audit/export?entity=call", &audit).await);
        assert!(
            log.rows
                .iter()
                .any(|(_, r)| r[3] == "撤回" && r[4] == "项目指南" && r[6].contains("撤回理由")),
            "{:?}",
            log.rows
        );
        let (_, exports) = send(
            &app,
            req(
                "GET",
                "/api/v1/audit?action=export&page=1&size=50",
                &audit,
                None,
            ),
        )
        .await;
        let entities: Vec<&str> = exports["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["entity"].as_str().unwrap())
            .collect();
        for e in ["call", "person", "user", "audit_log"] {
            assert!(entities.contains(&e), "{e} export audited: {entities:?}");
        }

        assert_eq!(
            db.store.audit_coverage().await.unwrap(),
            vec![],
            "{}",
            db.name
        );
        db.drop_db().await;
    }
}
