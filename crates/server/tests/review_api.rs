//! Expert review end to end over HTTP, on both backends: a round is set up, conflicts of
//! interest are found with their reasons, optimal assignment reaches the hand-derived optimum
//! with a matching bound, random draws replay by seed, hand adjustments refuse conflicts, the
//! round is published, an expert scores and another declines (递补), and the panel's ranked
//! list shows raw and normalized scores. Scope and state rules are checked along the way.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use axum::http::StatusCode;
use common::{login, req, send, upload, user};
use kechuang_domain::review::affinity_micro;
use kechuang_server::{Config, app};
use kechuang_store::review::PersonLink;
use kechuang_store::{Caller, Store};
use kechuang_testkit::{all, fixtures};
use serde_json::{Value, json};
use std::collections::{BTreeMap, BTreeSet};

fn strings(xs: &[&str]) -> Vec<String> {
    xs.iter().map(|s| (*s).to_owned()).collect()
}

struct World {
    experts: BTreeMap<&'static str, i64>,
    member: i64,
    orgs: Vec<i64>,
}

/// Five organizations in 济源, six experts (two with accounts), one applicant team member with
/// a recent project shared with e2 and an old one shared with e5.
async fn world(s: &Store) -> World {
    let sys = Caller::system("t");
    let mut orgs = Vec::new();
    for i in 0..5u32 {
        orgs.push(
            s.create_organization(&sys, &fixtures::org("419001", 900 + i, &format!("单位{i}")))
                .await
                .unwrap()
                .id,
        );
    }
    let e4_user = user(s, "exp4", "self", "419001", None, "expert").await;
    let e5_user = user(s, "exp5", "self", "419001", None, "expert").await;
    let specs: [(&str, usize, &[&str], Option<i64>); 6] = [
        ("e1", 0, &["高温合金", "粉末冶金"], None),
        ("e2", 1, &["高温合金"], None),
        ("e3", 2, &["粉末冶金"], None),
        ("e4", 3, &["电池材料", "纳米材料"], Some(e4_user)),
        (
            "e5",
            2,
            &["高温合金", "粉末冶金", "电池材料"],
            Some(e5_user),
        ),
        ("e6", 3, &["纳米材料"], None),
    ];
    let mut experts = BTreeMap::new();
    for (name, org, kws, account) in specs {
        let mut p = fixtures::expert(orgs[org], name);
        p.disciplines = strings(&["材料科学"]);
        p.keywords = strings(kws);
        let id = s.create_person(&sys, &p, b"k", account).await.unwrap().id;
        experts.insert(name, id);
    }
    let mut m = fixtures::expert(orgs[0], "组员");
    m.is_expert = false;
    let member = s.create_person(&sys, &m, b"k", None).await.unwrap().id;
    let year = chrono::Datelike::year(&kechuang_server::api::today());
    for (pid, r, y) in [
        (member, "P-RECENT", year - 1),
        (experts["e2"], "P-RECENT", year - 1),
        (member, "P-OLD", year - 8),
        (experts["e5"], "P-OLD", year - 8),
    ] {
        s.add_person_link(
            &sys,
            &PersonLink {
                person_id: pid,
                kind: "project".into(),
                reference: r.into(),
                year: y,
            },
        )
        .await
        .unwrap();
    }
    World {
        experts,
        member,
        orgs,
    }
}

fn pairs(detail: &Value) -> BTreeSet<(i64, i64)> {
    detail["assignments"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["status"] != "declined")
        .map(|a| {
            (
                a["item_id"].as_i64().unwrap(),
                a["expert_id"].as_i64().unwrap(),
            )
        })
        .collect()
}

#[tokio::test]
async fn a_review_round_from_set_up_to_ranked_list() {
    for db in all().await {
        let s = &db.store;
        let w = world(s).await;
        let e = |n: &str| w.experts[n];
        user(s, "city", "region", "419001", None, "officer").await;
        user(s, "county", "region", "410883", None, "officer").await;
        let app = app(s.clone(), Config::default());
        let city = login(&app, "city").await;

        // Bad input: every problem reported at once.
        let (st, r) = send(
            &app,
            req(
                "POST",
                "/api/v1/review/rounds",
                &city,
                Some(json!({"title": "", "object_kind": "评审", "reviewers_per_item": 0, "max_load": 2, "form": []})),
            ),
        )
        .await;
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{r}");
        let codes: Vec<&str> = r["fields"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["code"].as_str().unwrap())
            .collect();
        for c in [
            "title.required",
            "object_kind.unknown",
            "reviewers_per_item.range",
            "form.size",
        ] {
            assert!(codes.contains(&c), "{c} in {codes:?}");
        }

        let (st, round) = send(
            &app,
            req(
                "POST",
                "/api/v1/review/rounds",
                &city,
                Some(json!({
                    "title": "新材料专项评审", "object_kind": "项目申报书", "reviewers_per_item": 2,
                    "max_load": 2, "due_on": "2020-01-31",
                    "form": [{"key": "innovation", "label": "创新性", "max": 60}, {"key": "feasibility", "label": "可行性", "max": 40}]
                })),
            ),
        )
        .await;
        assert_eq!(st, StatusCode::CREATED, "{round}");
        let rid = round["id"].as_i64().unwrap();
        assert_eq!(round["status"], "draft");

        let (st, items) = send(
            &app,
            req(
                "POST",
                &format!("/api/v1/review/rounds/{rid}/items"),
                &city,
                Some(json!({"items": [
                    {"title": "高温合金粉末制备", "org_id": w.orgs[0], "disciplines": ["材料科学"],
                     "keywords": ["高温合金", "粉末冶金"], "team": [w.member], "avoid": [e("e3")]},
                    {"title": "固态电池正极材料", "org_id": w.orgs[4], "disciplines": ["材料科学"],
                     "keywords": ["电池材料", "纳米材料"]}
                ]})),
            ),
        )
        .await;
        assert_eq!(st, StatusCode::CREATED, "{items}");
        let item1 = items[0]["id"].as_i64().unwrap();
        let item2 = items[1]["id"].as_i64().unwrap();

        // A county officer sees nothing of the city's round.
        let county = login(&app, "county").await;
        let (st, _) = send(
            &app,
            req(
                "GET",
                &format!("/api/v1/review/rounds/{rid}"),
                &county,
                None,
            ),
        )
        .await;
        assert_eq!(st, StatusCode::NOT_FOUND);
        let (st, _) = send(
            &app,
            req(
                "POST",
                &format!("/api/v1/review/rounds/{rid}/assign"),
                &county,
                Some(json!({"mode": "optimal"})),
            ),
        )
        .await;
        assert_eq!(st, StatusCode::NOT_FOUND);

        // Conflicts of interest, each with its reason; the 8-year-old project is outside the
        // 3-year window.
        let (st, ex) = send(
            &app,
            req(
                "GET",
                &format!("/api/v1/review/rounds/{rid}/exclusions"),
                &city,
                None,
            ),
        )
        .await;
        assert_eq!(st, StatusCode::OK, "{ex}");
        let found: BTreeSet<(i64, i64, String)> = ex
            .as_array()
            .unwrap()
            .iter()
            .map(|x| {
                (
                    x["item_id"].as_i64().unwrap(),
                    x["expert_id"].as_i64().unwrap(),
                    x["code"].as_str().unwrap().to_owned(),
                )
            })
            .collect();
        let want: BTreeSet<(i64, i64, String)> = [
            (item1, e("e1"), "same_organization"),
            (item1, e("e2"), "co_member"),
            (item1, e("e3"), "declared_avoidance"),
        ]
        .into_iter()
        .map(|(a, b, c)| (a, b, c.to_owned()))
        .collect();
        assert_eq!(found, want);
        assert!(
            ex.as_array()
                .unwrap()
                .iter()
                .any(|x| x["reason"].as_str().unwrap().contains("P-RECENT"))
        );

        // Optimal assignment: the optimum worked out by hand, proven by an equal bound.
        let (st, out) = send(
            &app,
            req(
                "POST",
                &format!("/api/v1/review/rounds/{rid}/assign"),
                &city,
                Some(json!({"mode": "optimal"})),
            ),
        )
        .await;
        assert_eq!(st, StatusCode::OK, "{out}");
        let a = |i: &[&str], x: &[&str]| {
            affinity_micro(
                &strings(&["材料科学"]),
                &strings(i),
                &strings(&["材料科学"]),
                &strings(x),
            )
        };
        let item1_kw = ["高温合金", "粉末冶金"];
        let item2_kw = ["电池材料", "纳米材料"];
        // item 1 may only have e4, e5, e6; e5 is best, e4 and e6 tie. item 2 takes e4 and e6.
        let optimum = a(&item1_kw, &["高温合金", "粉末冶金", "电池材料"])
            + a(&item1_kw, &["纳米材料"])
            + a(&item2_kw, &["电池材料", "纳米材料"])
            + a(&item2_kw, &["纳米材料"]);
        let objective = out["summary"]["objective"].as_f64().unwrap();
        assert!((objective - optimum as f64 / 1e6).abs() < 1e-9, "{out}");
        assert_eq!(out["summary"]["bound"], out["summary"]["objective"]);
        assert_eq!(out["summary"]["gap"].as_f64(), Some(0.0));
        assert_eq!(out["assigned"], 4);
        let (_, detail) = send(
            &app,
            req("GET", &format!("/api/v1/review/rounds/{rid}"), &city, None),
        )
        .await;
        let p = pairs(&detail);
        assert!(p.contains(&(item1, e("e5"))) && p.contains(&(item2, e("e4"))));
        assert!(p.contains(&(item2, e("e6"))));
        for conflicted in ["e1", "e2", "e3"] {
            assert!(!p.contains(&(item1, e(conflicted))));
        }

        // Why each expert was or was not chosen.
        let (_, why) = send(
            &app,
            req(
                "GET",
                &format!("/api/v1/review/rounds/{rid}/explain?item_id={item1}"),
                &city,
                None,
            ),
        )
        .await;
        let status_of = |id: i64| {
            why.as_array()
                .unwrap()
                .iter()
                .find(|c| c["expert_id"] == id)
                .map(|c| {
                    (
                        c["status"].as_str().unwrap().to_owned(),
                        c["reason"].as_str().unwrap().to_owned(),
                    )
                })
                .unwrap()
        };
        assert_eq!(status_of(e("e5")).0, "assigned");
        let (st1, r1) = status_of(e("e1"));
        assert_eq!(st1, "conflict");
        assert!(r1.contains("同一单位"), "{r1}");
        assert!(status_of(e("e3")).1.contains("申请回避"));

        // Random draws replay by seed and never pick a conflicted expert.
        let mut draws = Vec::new();
        for _ in 0..2 {
            let (st, out) = send(
                &app,
                req(
                    "POST",
                    &format!("/api/v1/review/rounds/{rid}/assign"),
                    &city,
                    Some(json!({"mode": "random", "seed": 42})),
                ),
            )
            .await;
            assert_eq!(st, StatusCode::OK, "{out}");
            assert_eq!(out["summary"]["seed"], "42");
            let (_, d) = send(
                &app,
                req("GET", &format!("/api/v1/review/rounds/{rid}"), &city, None),
            )
            .await;
            let p = pairs(&d);
            for conflicted in ["e1", "e2", "e3"] {
                assert!(!p.contains(&(item1, e(conflicted))));
            }
            assert!(
                d["assignments"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .all(|x| x["method"] == "random")
            );
            draws.push(p);
        }
        assert_eq!(draws[0], draws[1]);
        let (st, bad) = send(
            &app,
            req(
                "POST",
                &format!("/api/v1/review/rounds/{rid}/assign"),
                &city,
                Some(json!({"mode": "lottery"})),
            ),
        )
        .await;
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(bad["fields"][0]["code"], "mode.unknown");

        // Back to the optimum; hand adjustments refuse conflicts and need a reason.
        send(
            &app,
            req(
                "POST",
                &format!("/api/v1/review/rounds/{rid}/assign"),
                &city,
                Some(json!({"mode": "optimal"})),
            ),
        )
        .await;
        let (st, r) = send(
            &app,
            req(
                "POST",
                &format!("/api/v1/review/rounds/{rid}/adjust"),
                &city,
                Some(json!({"item_id": item1, "expert_id": e("e2"), "reason": "点名"})),
            ),
        )
        .await;
        assert_eq!(st, StatusCode::CONFLICT, "{r}");
        assert_eq!(r["code"], "review.conflict");
        assert!(r["message"].as_str().unwrap().contains("P-RECENT"));
        let (st, r) = send(
            &app,
            req(
                "POST",
                &format!("/api/v1/review/rounds/{rid}/adjust"),
                &city,
                Some(
                    json!({"item_id": item2, "expert_id": e("e6"), "remove": true, "reason": " "}),
                ),
            ),
        )
        .await;
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{r}");

        // Experts see nothing before publication.
        let e4 = login(&app, "exp4").await;
        let (st, mine) = send(&app, req("GET", "/api/v1/review/my", &e4, None)).await;
        assert_eq!(st, StatusCode::OK);
        assert_eq!(mine.as_array().unwrap().len(), 0);

        let (st, r) = send(
            &app,
            req(
                "POST",
                &format!("/api/v1/review/rounds/{rid}/publish"),
                &city,
                None,
            ),
        )
        .await;
        assert_eq!(st, StatusCode::OK, "{r}");
        assert_eq!(r["status"], "published");
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
        assert_eq!(
            (st, r["code"].as_str()),
            (StatusCode::CONFLICT, Some("round.status"))
        );

        // The expert scores: out-of-range refused, then accepted.
        let (_, mine) = send(&app, req("GET", "/api/v1/review/my", &e4, None)).await;
        let task = mine
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["item_id"] == item2)
            .unwrap()
            .clone();
        assert!(
            mine.as_array()
                .unwrap()
                .iter()
                .all(|t| t["expert_id"] == e("e4"))
        );
        let tid = task["id"].as_i64().unwrap();
        let (st, r) = send(
            &app,
            req(
                "POST",
                &format!("/api/v1/review/assignments/{tid}/scores"),
                &e4,
                Some(json!({"scores": {"innovation": 61, "feasibility": 30}})),
            ),
        )
        .await;
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(r["fields"][0]["code"], "scores.range");
        let (st, r) = send(
            &app,
            req(
                "POST",
                &format!("/api/v1/review/assignments/{tid}/scores"),
                &e4,
                Some(json!({"scores": {"innovation": 50, "feasibility": 32.5}, "comment": "路线清晰"})),
            ),
        )
        .await;
        assert_eq!(st, StatusCode::OK, "{r}");
        assert_eq!(r["total"].as_f64(), Some(82.5));
        // Another expert cannot touch e4's task.
        let e5 = login(&app, "exp5").await;
        let (st, _) = send(
            &app,
            req(
                "POST",
                &format!("/api/v1/review/assignments/{tid}/scores"),
                &e5,
                Some(json!({"scores": {"innovation": 1, "feasibility": 1}})),
            ),
        )
        .await;
        assert_eq!(st, StatusCode::NOT_FOUND);

        // e5 declares a conflict on item 1: the best free expert takes over (递补).
        let (_, mine5) = send(&app, req("GET", "/api/v1/review/my", &e5, None)).await;
        let t5 = mine5
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["item_id"] == item1)
            .unwrap()["id"]
            .as_i64()
            .unwrap();
        let (st, r) = send(
            &app,
            req(
                "POST",
                &format!("/api/v1/review/assignments/{t5}/decline"),
                &e5,
                Some(json!({"reason": "与申报人有师生关系", "conflict": true})),
            ),
        )
        .await;
        assert_eq!(st, StatusCode::OK, "{r}");
        let repl = r["replacement"]["expert_id"].as_i64().unwrap();
        let (_, detail) = send(
            &app,
            req("GET", &format!("/api/v1/review/rounds/{rid}"), &city, None),
        )
        .await;
        let p = pairs(&detail);
        assert!(p.contains(&(item1, repl)) && !p.contains(&(item1, e("e5"))));
        assert!([e("e4"), e("e6")].contains(&repl));
        assert_eq!(p.iter().filter(|(i, _)| *i == item1).count(), 2);
        let declined = detail["assignments"]
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["id"] == t5)
            .unwrap();
        assert_eq!(declined["status"], "declined");
        assert!(
            declined["decline_reason"]
                .as_str()
                .unwrap()
                .contains("申明回避")
        );

        // Overdue reminders (the due date is in the past) reach every unsubmitted task.
        let (st, r) = send(
            &app,
            req(
                "POST",
                &format!("/api/v1/review/rounds/{rid}/remind"),
                &city,
                None,
            ),
        )
        .await;
        assert_eq!(st, StatusCode::OK);
        assert_eq!(r["reminded"], 3);

        // The ranked list carries each reviewer's raw and normalized score.
        let (st, res) = send(
            &app,
            req(
                "GET",
                &format!("/api/v1/review/rounds/{rid}/results?by=mean"),
                &city,
                None,
            ),
        )
        .await;
        assert_eq!(st, StatusCode::OK, "{res}");
        assert_eq!(
            (res["submitted"].as_u64(), res["expected"].as_u64()),
            (Some(1), Some(4))
        );
        assert_eq!(res["rows"][0]["item_id"], item2);
        assert_eq!(res["rows"][0]["rank"], 1);
        assert_eq!(res["rows"][0]["reviews"][0]["raw"].as_f64(), Some(82.5));
        assert!(res["rows"][1]["rank"].is_null());

        // Every step is in the audit chain.
        let v = s.verify_audit().await.unwrap();
        assert!(v.ok, "{v:?}");
        let entries = s
            .list_audit(
                &kechuang_store::DataScope::All,
                &Default::default(),
                kechuang_store::PageRequest::new(1, 500),
            )
            .await
            .unwrap();
        let actions: BTreeSet<String> = entries
            .items
            .iter()
            .filter(|e| e.entity.starts_with("review"))
            .map(|e| e.action.clone())
            .collect();
        for a in ["create", "assign", "publish", "score", "decline", "remind"] {
            assert!(actions.contains(a), "{a} not audited: {actions:?}");
        }
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
async fn the_expert_pool_imports_from_a_sheet_all_or_nothing() {
    for db in all().await {
        let s = &db.store;
        let org = s
            .create_organization(
                &Caller::system("t"),
                &fixtures::org("419001", 77, "济源研究院"),
            )
            .await
            .unwrap();
        user(s, "city", "region", "419001", None, "officer").await;
        let app = app(s.clone(), Config::default());
        let city = login(&app, "city").await;
        let code = fixtures::credit_code("419001", 77);
        let good = format!(
            "姓名,所在单位统一社会信用代码,行政区划代码,职称,学科领域,研究方向关键词,评审数量上限,共同承担项目\n\
             张三,{code},,研究员,材料科学,高温合金、粉末冶金,6,济科攻〔2024〕012号@2024\n\
             李四,,419001,教授,化学工程,催化,,\n"
        );
        let bad = format!("{good}王五,91419001000000000X,,,,,0,项目A\n");
        let (st, r) = send(
            &app,
            upload(
                "/api/v1/experts/import",
                &city,
                "experts.csv",
                bad.as_bytes(),
            ),
        )
        .await;
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{r}");
        let codes: BTreeSet<&str> = r["problems"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["code"].as_str().unwrap())
            .collect();
        assert!(codes.contains("org.unknown"), "{r}");
        assert_eq!(r["problems"][0]["row"], 4);
        let (_, pool) = send(&app, req("GET", "/api/v1/experts", &city, None)).await;
        assert_eq!(pool["total"], 0, "nothing stored");
        let bad_link = good.replace("@2024", "2024");
        let (st, r) = send(
            &app,
            upload(
                "/api/v1/experts/import",
                &city,
                "experts.csv",
                bad_link.as_bytes(),
            ),
        )
        .await;
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(r["problems"][0]["code"], "projects.format");

        let (st, r) = send(
            &app,
            upload(
                "/api/v1/experts/import",
                &city,
                "experts.csv",
                good.as_bytes(),
            ),
        )
        .await;
        assert_eq!(st, StatusCode::OK, "{r}");
        assert_eq!(r["inserted"], 2);
        let (_, pool) = send(&app, req("GET", "/api/v1/experts?q=高温合金", &city, None)).await;
        let z = &pool["items"][0];
        assert_eq!(
            (
                z["name"].as_str(),
                z["org_id"].as_i64(),
                z["max_load"].as_i64()
            ),
            (Some("张三"), Some(org.id), Some(6))
        );
        let (_, links) = send(
            &app,
            req(
                "GET",
                &format!("/api/v1/persons/{}/links", z["id"]),
                &city,
                None,
            ),
        )
        .await;
        assert_eq!(links[0]["ref"], "济科攻〔2024〕012号");
        assert_eq!(links[0]["year"], 2024);
        let (_, pool) = send(&app, req("GET", "/api/v1/experts?q=李四", &city, None)).await;
        assert_eq!(pool["items"][0]["max_load"], 10);
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
