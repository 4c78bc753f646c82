//! 全文检索 through the API, on both backends: words found inside compounds, every record
//! filtered by the caller's scope and kinds by the caller's role, the public market visible
//! across regions, facets and snippets, the index in step with every write (create, rename,
//! delete), the registry lists' `q=` answered by the index, bad parameters refused with a code,
//! and an index left behind by a crash, or belonging to another database, caught up on start.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use axum::http::StatusCode;
use common::{login, req, send, user};
use kechuang_server::search_svc::{CatchUp, Search};
use kechuang_server::{Config, app};
use kechuang_store::Caller;
use kechuang_testkit::{all, fixtures};
use serde_json::{Value, json};

fn enc(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn hits(v: &Value) -> Vec<(String, String)> {
    v["rows"]
        .as_array()
        .unwrap_or_else(|| panic!("{v}"))
        .iter()
        .map(|r| {
            (
                r["kind"].as_str().unwrap().to_owned(),
                r["title"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

fn titles(v: &Value) -> Vec<String> {
    let mut t: Vec<String> = hits(v).into_iter().map(|(_, t)| t).collect();
    t.sort();
    t
}

fn facet(v: &Value, name: &str, value: &str) -> Option<u64> {
    v["facets"][name]
        .as_array()?
        .iter()
        .find(|f| f["value"] == value)
        .and_then(|f| f["count"].as_u64())
}

fn achievement(title: &str, summary: &str) -> Value {
    json!({
        "title": title, "area": "materials", "industry": "C3240", "keywords": ["轻量化"],
        "summary": summary, "trl": 6, "team": [],
        "ip": [], "modes": ["transfer"], "negotiable": true, "contact": "张工 0391-6600000"
    })
}

#[tokio::test]
async fn search_is_scoped_faceted_and_in_step_with_every_write() {
    for db in all().await {
        let s = &db.store;
        let sys = Caller::system("t");
        let jy = s
            .create_organization(
                &sys,
                &fixtures::org("419001", 91, "济源市新材料科技有限公司"),
            )
            .await
            .unwrap();
        s.create_organization(&sys, &fixtures::org("419001", 92, "济源钢铁集团有限公司"))
            .await
            .unwrap();
        let mz = s
            .create_organization(
                &sys,
                &fixtures::org("410883", 93, "孟州市新材料装备有限公司"),
            )
            .await
            .unwrap();
        user(s, "city", "region", "419001", None, "officer").await;
        user(s, "county", "region", "410883", None, "officer").await;
        user(
            s,
            "yuan",
            "organization",
            "419001",
            Some(jy.id),
            "enterprise",
        )
        .await;
        user(
            s,
            "mzqy",
            "organization",
            "410883",
            Some(mz.id),
            "enterprise",
        )
        .await;
        user(s, "djy", "region", "419001", None, "registrar").await;
        let app = app(s.clone(), Config::default());
        let city = login(&app, "city").await;
        let county = login(&app, "county").await;
        let yuan = login(&app, "yuan").await;
        let mzqy = login(&app, "mzqy").await;
        let dj = login(&app, "djy").await;
        let search = |q: &str, extra: &str| format!("/api/v1/search?q={}{extra}", enc(q));

        // ---- a word inside a compound, in the caller's region only ----
        let (st, v) = send(&app, req("GET", &search("材料", ""), &city, None)).await;
        assert_eq!(st, StatusCode::OK, "{v}");
        assert_eq!(titles(&v), vec!["济源市新材料科技有限公司"], "{v}");
        assert_eq!(v["total"], 1);
        assert!(
            v["rows"][0]["snippet"].as_str().unwrap().contains("<em>")
                || v["rows"][0]["title"].as_str().unwrap().contains("材料"),
            "{v}"
        );
        let (_, v) = send(&app, req("GET", &search("材料", ""), &county, None)).await;
        assert_eq!(titles(&v), vec!["孟州市新材料装备有限公司"]);
        // an enterprise finds itself, never another organization
        let (_, v) = send(
            &app,
            req(
                "GET",
                &search("有限公司", "&kind=organization"),
                &yuan,
                None,
            ),
        )
        .await;
        assert_eq!(titles(&v), vec!["济源市新材料科技有限公司"]);
        // the credit code, whole
        let code = jy.credit_code.clone();
        let (_, v) = send(
            &app,
            req("GET", &search(&code.to_lowercase(), ""), &city, None),
        )
        .await;
        assert_eq!(titles(&v), vec!["济源市新材料科技有限公司"], "{v}");
        // a kind the role may not read is refused, not silently emptied
        let (st, _) = send(&app, req("GET", &search("材料", "&kind=person"), &dj, None)).await;
        assert_eq!(st, StatusCode::FORBIDDEN);

        // ---- the registry list's q= is the index: 新材料 found by 材料, scope kept ----
        let (_, l) = send(
            &app,
            req(
                "GET",
                &format!("/api/v1/organizations?q={}", enc("材料")),
                &city,
                None,
            ),
        )
        .await;
        assert_eq!(l["total"], 1, "{l}");
        assert_eq!(l["items"][0]["id"], jy.id);
        let (_, l) = send(
            &app,
            req(
                "GET",
                &format!("/api/v1/organizations?q={}", enc("钢铁 集团")),
                &city,
                None,
            ),
        )
        .await;
        assert_eq!(l["total"], 1, "{l}");

        // ---- in step with writes: a draft is private, a public one is seen everywhere ----
        let (st, a) = send(
            &app,
            req(
                "POST",
                "/api/v1/achievements",
                &mzqy,
                Some(achievement(
                    "碳纤维复合材料轻量化车身",
                    "车身减重30%的碳纤维复合材料成型工艺",
                )),
            ),
        )
        .await;
        assert_eq!(st, StatusCode::CREATED, "{a}");
        let aid = a["id"].as_i64().unwrap();
        let (_, v) = send(&app, req("GET", &search("碳纤维", ""), &mzqy, None)).await;
        assert_eq!(
            titles(&v),
            vec!["碳纤维复合材料轻量化车身"],
            "the owner finds its draft at once"
        );
        let (_, v) = send(&app, req("GET", &search("碳纤维", ""), &city, None)).await;
        assert!(hits(&v).is_empty(), "a draft of 孟州 is not 济源's: {v}");
        // the county reviews it into public notice: now every market reader finds it
        let (st, r) = send(
            &app,
            req(
                "POST",
                &format!("/api/v1/achievements/{aid}/submit"),
                &mzqy,
                None,
            ),
        )
        .await;
        assert_eq!(st, StatusCode::OK, "{r}");
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
        assert_eq!(r["status"], "notice", "{r}");
        let (_, v) = send(&app, req("GET", &search("碳纤维 车身", ""), &city, None)).await;
        assert_eq!(
            hits(&v),
            vec![(
                "achievement".to_owned(),
                "碳纤维复合材料轻量化车身".to_owned()
            )]
        );
        assert_eq!(facet(&v, "kind", "achievement"), Some(1), "{v}");
        assert_eq!(facet(&v, "area", "materials"), Some(1), "{v}");
        assert_eq!(facet(&v, "trl", "6"), Some(1), "{v}");
        assert_eq!(facet(&v, "region", "410883"), Some(1), "{v}");
        let label = v["facets"]["region"][0]["label"].as_str().unwrap();
        assert!(label.contains("孟州"), "{label}");
        // facet filters narrow; a filter that excludes it empties the page
        let (_, v) = send(
            &app,
            req(
                "GET",
                &search("碳纤维", "&trl=6&mode=transfer"),
                &city,
                None,
            ),
        )
        .await;
        assert_eq!(v["total"], 1);
        let (_, v) = send(&app, req("GET", &search("碳纤维", "&trl=7"), &city, None)).await;
        assert_eq!(v["total"], 0);
        // the 成果大厅 list's q= finds it across regions
        let (_, l) = send(
            &app,
            req(
                "GET",
                &format!("/api/v1/achievements?hall=true&q={}", enc("碳纤维")),
                &yuan,
                None,
            ),
        )
        .await;
        assert_eq!(l["total"], 1, "{l}");

        // rename and delete follow at once
        let (_, l) = send(
            &app,
            req(
                "GET",
                &format!("/api/v1/organizations?q={}", enc("钢铁")),
                &city,
                None,
            ),
        )
        .await;
        let steel = l["items"][0]["id"].as_i64().unwrap();
        let (st, o) = send(
            &app,
            req(
                "PUT",
                &format!("/api/v1/organizations/{steel}"),
                &city,
                Some(
                    json!({"credit_code": fixtures::credit_code("419001", 92).to_string(),
                    "name": "济源精密铸造有限公司", "kind": "enterprise", "region": "419001"}),
                ),
            ),
        )
        .await;
        assert_eq!(st, StatusCode::OK, "{o}");
        let (_, v) = send(&app, req("GET", &search("钢铁", ""), &city, None)).await;
        assert!(hits(&v).is_empty(), "{v}");
        let (_, v) = send(&app, req("GET", &search("铸造", ""), &city, None)).await;
        assert_eq!(titles(&v), vec!["济源精密铸造有限公司"]);
        let (st, _) = send(
            &app,
            req(
                "DELETE",
                &format!("/api/v1/organizations/{steel}"),
                &city,
                None,
            ),
        )
        .await;
        assert_eq!(st, StatusCode::OK);
        let (_, v) = send(&app, req("GET", &search("铸造", ""), &city, None)).await;
        assert!(hits(&v).is_empty(), "{v}");

        // ---- bad parameters: a code, never a 500 ----
        for (q, code) in [
            ("&trl=12", "trl.range"),
            ("&kind=contract", "kind.unknown"),
            ("&area=xyz", "area.unknown"),
            ("&page=2000&size=10", "search.page_too_deep"),
            ("&size=500", "page.size"),
        ] {
            let (st, e) = send(&app, req("GET", &search("材料", q), &city, None)).await;
            assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{q}: {e}");
            let got = e["fields"][0]["code"]
                .as_str()
                .unwrap_or(e["code"].as_str().unwrap());
            assert_eq!(got, code, "{q}: {e}");
        }
        db.drop_db().await;
    }
}

#[tokio::test]
async fn an_index_behind_or_from_another_database_is_caught_up_on_start() {
    for db in all().await {
        let s = &db.store;
        let sys = Caller::system("t");
        let dir =
            std::env::temp_dir().join(format!("kc-search-{}-{}", std::process::id(), db.name));
        let _ = std::fs::remove_dir_all(&dir);
        s.create_organization(
            &sys,
            &fixtures::org("419001", 1, "济源市新材料科技有限公司"),
        )
        .await
        .unwrap();
        let first = Search::open(Some(&dir)).unwrap();
        assert_eq!(
            first.catch_up(s).await.unwrap(),
            CatchUp::Rebuilt { documents: 1 }
        );
        assert_eq!(first.catch_up(s).await.unwrap(), CatchUp::Fresh);
        drop(first);
        // writes while no server runs (a crash before indexing, a CLI import) …
        let o = s
            .create_organization(&sys, &fixtures::org("419001", 2, "济源钢铁集团有限公司"))
            .await
            .unwrap();
        s.create_organization(&sys, &fixtures::org("419001", 3, "济源市铝业有限公司"))
            .await
            .unwrap();
        s.delete_organization(&sys, o.id).await.unwrap();
        // … are replayed from the audit log on the next start, not rebuilt
        let second = Search::open(Some(&dir)).unwrap();
        assert_eq!(
            second.catch_up(s).await.unwrap(),
            CatchUp::Replayed { records: 2 }
        );
        assert_eq!(second.index().num_docs(), 2);
        let ids = second
            .index()
            .ids(
                kechuang_domain::search::SearchKind::Organization,
                "钢铁",
                None,
            )
            .unwrap();
        assert!(ids.is_empty());
        drop(second);
        // the same directory opened on another database is rebuilt from that database
        let other = kechuang_testkit::sqlite().await;
        other
            .store
            .create_organization(&sys, &fixtures::org("410883", 5, "孟州市皮毛有限公司"))
            .await
            .unwrap();
        let third = Search::open(Some(&dir)).unwrap();
        assert_eq!(
            third.catch_up(&other.store).await.unwrap(),
            CatchUp::Rebuilt { documents: 1 }
        );
        other.drop_db().await;
        let _ = std::fs::remove_dir_all(&dir);
        db.drop_db().await;
    }
}

#[tokio::test]
async fn a_demand_finds_experts_and_institutions_and_an_achievement_finds_enterprises() {
    use kechuang_domain::organization::{IndustryCode, OrgKind};
    for db in all().await {
        let s = &db.store;
        let sys = Caller::system("t");
        let mut uni = fixtures::org("419001", 11, "济源职业技术学院冶炼技术研究所");
        uni.kind = OrgKind::University;
        let uni = s.create_organization(&sys, &uni).await.unwrap();
        let mut smelter = fixtures::org("419001", 12, "济源市金利冶炼有限公司");
        smelter.industry = Some(IndustryCode::parse("C3240").unwrap());
        let smelter = s.create_organization(&sys, &smelter).await.unwrap();
        let mut other = fixtures::org("419001", 13, "济源市铅业科技有限公司");
        other.industry = Some(IndustryCode::parse("C3250").unwrap());
        let other = s.create_organization(&sys, &other).await.unwrap();
        let mut bakery = fixtures::org("419001", 14, "济源市烘焙食品有限公司");
        bakery.industry = Some(IndustryCode::parse("C1411").unwrap());
        s.create_organization(&sys, &bakery).await.unwrap();
        s.put_enterprise_year(
            &sys,
            other.id,
            2025,
            &kechuang_domain::enterprise_year::Figures {
                rd_expense: Some(rust_decimal::Decimal::from(3_500_000)),
                ..Default::default()
            },
        )
        .await
        .unwrap();
        let mut expert = fixtures::expert(uni.id, "李冶金");
        expert.keywords = vec!["铅冶炼".into(), "烟气脱硫".into()];
        expert.disciplines = vec!["冶金工程".into()];
        s.create_person(&sys, &expert, b"k", None).await.unwrap();
        let mut cook = fixtures::expert(uni.id, "王烹饪");
        cook.keywords = vec!["面点".into()];
        s.create_person(&sys, &cook, b"k", None).await.unwrap();
        let mut not_expert = fixtures::expert(uni.id, "赵铅冶炼");
        not_expert.is_expert = false;
        not_expert.keywords = vec!["铅冶炼".into()];
        s.create_person(&sys, &not_expert, b"k", None)
            .await
            .unwrap();
        user(s, "city", "region", "419001", None, "officer").await;
        user(
            s,
            "qiye",
            "organization",
            "419001",
            Some(smelter.id),
            "enterprise",
        )
        .await;
        let app = app(s.clone(), Config::default());
        let city = login(&app, "city").await;
        let qiye = login(&app, "qiye").await;
        let (st, d) = send(
            &app,
            req(
                "POST",
                "/api/v1/demands",
                &qiye,
                Some(json!({"org_id": smelter.id, "title": "铅冶炼烟气深度脱硫", "description": "降低二氧化硫排放",
                    "target": "低于35毫克", "budget": "2000000", "area": "environment", "keywords": ["铅冶炼", "烟气脱硫"]})),
            ),
        )
        .await;
        assert_eq!(st, StatusCode::CREATED, "{d}");
        let did = d["id"].as_i64().unwrap();
        let (st, p) = send(
            &app,
            req(
                "GET",
                &format!("/api/v1/demands/{did}/partners"),
                &city,
                None,
            ),
        )
        .await;
        assert_eq!(st, StatusCode::OK, "{p}");
        let names = |v: &Value| -> Vec<String> {
            v.as_array()
                .unwrap()
                .iter()
                .map(|x| x["name"].as_str().unwrap().to_owned())
                .collect()
        };
        assert_eq!(
            names(&p["experts"]),
            vec!["李冶金"],
            "only 专家库 experts sharing a word: {p}"
        );
        let why = p["experts"][0]["reasons"][0].as_str().unwrap();
        assert!(why.contains("铅冶炼") && why.contains("烟气脱硫"), "{why}");
        assert_eq!(
            names(&p["institutions"]),
            vec!["济源职业技术学院冶炼技术研究所"],
            "{p}"
        );
        let why = p["institutions"][0]["reasons"][0].as_str().unwrap();
        assert!(why.starts_with("本单位专家：李冶金（铅冶炼"), "{why}");
        // the enterprise that posted it sees no other organization's experts
        let (_, p) = send(
            &app,
            req(
                "GET",
                &format!("/api/v1/demands/{did}/partners"),
                &qiye,
                None,
            ),
        )
        .await;
        assert!(p["experts"].as_array().unwrap().is_empty(), "{p}");
        assert!(p["institutions"].as_array().unwrap().is_empty(), "{p}");

        // an achievement of the C32 大类: its enterprises, by shared words then R&D spending
        let (st, a) = send(
            &app,
            req(
                "POST",
                "/api/v1/achievements",
                &qiye,
                Some(json!({"title": "铅冶炼烟气制酸新工艺", "area": "environment", "industry": "C3240",
                    "keywords": ["制酸"], "summary": "冶炼烟气制取硫酸。", "trl": 6, "team": [], "ip": [],
                    "modes": ["transfer"], "negotiable": true, "contact": "张工"})),
            ),
        )
        .await;
        assert_eq!(st, StatusCode::CREATED, "{a}");
        let aid = a["id"].as_i64().unwrap();
        let (st, e) = send(
            &app,
            req(
                "GET",
                &format!("/api/v1/achievements/{aid}/enterprises"),
                &city,
                None,
            ),
        )
        .await;
        assert_eq!(st, StatusCode::OK, "{e}");
        let got = names(&e);
        assert!(
            !got.contains(&"济源市烘焙食品有限公司".to_owned()),
            "another industry: {e}"
        );
        assert_eq!(
            got,
            vec!["济源市金利冶炼有限公司", "济源市铅业科技有限公司"],
            "{e}"
        );
        let reasons: Vec<String> = e[1]["reasons"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r.as_str().unwrap().to_owned())
            .collect();
        assert!(
            reasons.iter().any(|r| r.contains("同属行业大类 C32")),
            "{reasons:?}"
        );
        assert!(
            reasons
                .iter()
                .any(|r| r.contains("2025年研发费用 350.0 万元")),
            "{reasons:?}"
        );
        db.drop_db().await;
    }
}
