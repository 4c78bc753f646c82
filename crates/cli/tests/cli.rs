//! The binary end to end: demo load, audit verification with tampering, import reports, and a
//! process killed in the middle of an import (the database must be as before).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use kechuang_store::{DataScope, PageRequest};
use kechuang_testkit::all;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_kechuang");

/// Where the audit anchors of the database at `url` go (never the working directory).
fn anchors(url: &str) -> std::path::PathBuf {
    let name: String = url
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    std::env::temp_dir().join(format!("kc-anchors-{name}.log"))
}

fn run(args: &[&str], url: &str) -> (i32, String, String) {
    let out = Command::new(BIN)
        .args(args)
        .env("KECHUANG_DATABASE_URL", url)
        .env("KECHUANG_AUDIT_ANCHORS", anchors(url))
        .env("KECHUANG_SECRET", "test-secret-0123456789")
        .env("KECHUANG_LOG", "warn")
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn code(serial: u32) -> String {
    kechuang_domain::CreditCode::complete(&format!("91419001{serial:09}"))
        .unwrap()
        .as_str()
        .to_owned()
}

#[tokio::test]
async fn demo_matches_the_plan_baselines_and_audit_verify_catches_tampering() {
    for db in all().await {
        let (rc, out, err) = run(&["demo", "--password", "DemoPassw0rd"], &db.url);
        assert_eq!(rc, 0, "{}: {out}{err}", db.name);
        assert!(out.contains("演示账号"), "{out}");
        let s = &db.store;
        // 2020 (end of the 13th plan): 52 高企 in 济源.
        let ov = s
            .overview(&DataScope::Region {
                code: "419001".into(),
                path: "/410000/419000/419001/".into(),
            })
            .await
            .unwrap();
        let hnte_2020 = ov
            .hnte_by_year
            .iter()
            .find(|c| c.key == "2020")
            .unwrap()
            .count;
        assert_eq!(hnte_2020, 52, "{}", db.name);
        assert_eq!(ov.hnte_by_year.len(), 6, "five years and more of figures");
        let plats = s
            .export_platforms(&DataScope::All, &Default::default(), 10_000)
            .await
            .unwrap();
        let count = |t: &str, l: &str| {
            plats
                .iter()
                .filter(|p| {
                    p.platform_type == t
                        && p.level == l
                        && p.recognized_on.as_deref().is_some_and(|d| d < "2021")
                })
                .count()
        };
        assert_eq!(count("engineering_research_center", "provincial"), 32);
        assert_eq!(count("enterprise_tech_center", "city"), 94);
        assert_eq!(count("key_laboratory", "city"), 38);
        // 科技特派员: the 十三五 services the plan reports (累计开展科技服务1842次，服务农户25800人),
        // read back from the confirmed logs of 2018–2020 as registry-computed indicators.
        let m = s
            .registry_measures(&DataScope::All, 2018..=2020)
            .await
            .unwrap();
        let total = |el: &str| {
            m.iter()
                .filter(|x| x.element == el)
                .map(|x| x.value)
                .sum::<rust_decimal::Decimal>()
        };
        assert_eq!(
            total("tech_commissioner_services"),
            1842.into(),
            "{}",
            db.name
        );
        assert_eq!(
            total("tech_commissioner_households"),
            25_800.into(),
            "{}",
            db.name
        );
        let orgs = s
            .list_organizations(&DataScope::All, &Default::default(), PageRequest::new(1, 1))
            .await
            .unwrap();
        assert!(orgs.total > 2000, "a few thousand enterprises");
        // A 2024 project closed and rated 优秀, the predecessor for the 2026 滚动支持 call.
        let apps = s.list_applications(&DataScope::All).await.unwrap();
        let done: Vec<_> = apps.iter().filter(|a| a.status == "closed").collect();
        assert_eq!(done.len(), 1, "{}", db.name);
        assert_eq!(
            (done[0].rating.as_deref(), done[0].granted.as_deref()),
            (Some("excellent"), Some("700000"))
        );
        let rec = s
            .track_record(&DataScope::All, Some(done[0].org_id), None)
            .await
            .unwrap();
        assert_eq!((rec.closed, rec.excellent), (1, 1));
        let calls = s.list_calls(&DataScope::All).await.unwrap();
        assert!(calls.iter().any(|c| c.mode == "rolling"), "a 滚动支持 call");
        // 平台载体与科技奖励: a maker space failed twice and lost its status; the 2024 优秀 and
        // the provincial awards won in 2025 are in the 2025 科技奖补; the 2025 city award
        // conferred three of four nominations, the 2026 one waits at the end of its notice.
        let revoked = s
            .export_platforms(
                &DataScope::All,
                &kechuang_store::platforms::PlatformFilter {
                    status: Some("revoked".into()),
                    ..Default::default()
                },
                100,
            )
            .await
            .unwrap();
        assert_eq!(revoked.len(), 1, "{}", db.name);
        assert_eq!(revoked[0].platform_type, "maker_space");
        let grants = s
            .list_grants(
                &DataScope::All,
                &kechuang_store::funds::GrantFilter::default(),
                PageRequest::new(1, 1000),
            )
            .await
            .unwrap()
            .items;
        let reward = |needle: &str| {
            grants
                .iter()
                .filter(|g| {
                    g.matter.contains(needle) && g.programme_name.starts_with("2025年度科技奖补")
                })
                .map(|g| g.amount.clone())
                .collect::<Vec<_>>()
        };
        assert_eq!(
            reward("绩效评价优秀"),
            vec!["50000".to_owned()],
            "{}",
            db.name
        );
        let mut matched = reward("配套奖励");
        matched.sort();
        assert_eq!(matched, vec!["25000".to_owned(), "50000".to_owned()]);
        let award_calls = s
            .list_award_calls(None, &Default::default(), PageRequest::new(1, 10))
            .await
            .unwrap()
            .items;
        let status: Vec<(i32, &str)> = award_calls
            .iter()
            .map(|c| (c.year, c.status.as_str()))
            .collect();
        assert_eq!(status, vec![(2026, "notice"), (2025, "conferred")]);
        let conferred = s
            .list_nominations(
                &DataScope::All,
                &kechuang_store::awards::NominationFilter {
                    status: Some("conferred".into()),
                    ..Default::default()
                },
                PageRequest::new(1, 10),
            )
            .await
            .unwrap();
        assert_eq!(conferred.total, 3, "{}", db.name);
        // Loading twice is refused.
        let (rc, _, err) = run(&["demo", "--password", "DemoPassw0rd"], &db.url);
        assert_ne!(rc, 0);
        assert!(err.contains("只能载入空库"), "{err}");
        // The chain verifies; then one edited record is caught, with exit code 1.
        let (rc, out, _) = run(&["audit", "verify"], &db.url);
        assert_eq!(rc, 0, "{out}");
        assert!(out.contains("校验通过"));
        // The demo writes every kind of scoped record through the store: each row is covered.
        assert!(out.contains("审计覆盖完整"), "{out}");
        assert!(s.audit_coverage().await.unwrap().is_empty());
        s.execute_unchecked("UPDATE audit_log SET actor = 'mallory' WHERE seq = 100")
            .await
            .unwrap();
        let (rc, out, _) = run(&["audit", "verify"], &db.url);
        assert_eq!(rc, 1, "{out}");
        assert!(out.contains("第 100 条"), "{out}");
        db.drop_db().await;
    }
}

/// 等保: the audit log's tail cut inside the database (rows deleted, `audit_head` rewritten)
/// passes the chain's own check, and is caught by the anchors kept outside it.
#[tokio::test]
async fn a_cut_audit_tail_is_caught_by_the_anchors_outside_the_database() {
    use kechuang_store::Caller;
    use kechuang_testkit::fixtures;
    for db in all().await {
        let _ = std::fs::remove_file(anchors(&db.url));
        let s = &db.store;
        let write = |range: std::ops::Range<u32>| async move {
            for i in range {
                s.create_organization(
                    &Caller::system("test"),
                    &fixtures::org("419001", 700 + i, &format!("锚点{i}号公司")),
                )
                .await
                .unwrap();
            }
        };
        write(0..4).await;
        // The verifier anchors what it verified.
        let (rc, out, _) = run(&["audit", "verify"], &db.url);
        assert_eq!(rc, 0, "{out}");
        assert!(out.contains("外部锚点：0 个锚点"), "{out}");
        let (anchored, _) = s.audit_head().await.unwrap();
        assert!(anchored >= 4);
        write(4..6).await;
        let (rc, out, _) = run(&["audit", "verify"], &db.url);
        assert_eq!(rc, 0, "{out}");
        assert!(out.contains("外部锚点：1 个锚点"), "{out}");
        let (head, _) = s.audit_head().await.unwrap();
        assert!(head > anchored);

        // Cut the newest records back to before the first anchor and rewrite the head.
        let keep = anchored - 1;
        let hash = s.audit_hash_at(keep).await.unwrap().unwrap();
        s.execute_unchecked(&format!("DELETE FROM audit_log WHERE seq > {keep}"))
            .await
            .unwrap();
        s.execute_unchecked(&format!(
            "UPDATE audit_head SET seq = {keep}, hash = '{hash}' WHERE id = 1"
        ))
        .await
        .unwrap();
        // The chain alone cannot tell.
        assert!(s.verify_audit().await.unwrap().ok, "{}", db.name);
        let (rc, out, _) = run(&["audit", "verify"], &db.url);
        assert_eq!(rc, 1, "{out}");
        assert!(out.contains("日志尾部被截断"), "{out}");
        assert!(out.contains(&format!("已有第 {head} 条")), "{out}");

        // A forged anchor line is refused as such.
        let mut text = std::fs::read_to_string(anchors(&db.url)).unwrap();
        text.push_str(&format!("{keep}\t{hash}\t1\t{}\n", "0".repeat(64)));
        std::fs::write(anchors(&db.url), text).unwrap();
        let (rc, out, _) = run(&["audit", "verify"], &db.url);
        assert_eq!(rc, 1, "{out}");
        assert!(out.contains("签名不符"), "{out}");
        let _ = std::fs::remove_file(anchors(&db.url));
        db.drop_db().await;
    }
}

#[tokio::test]
async fn import_reports_rows_and_a_killed_import_leaves_nothing() {
    for db in all().await {
        let dir = std::env::temp_dir().join(format!("kc-cli-{}-{}", std::process::id(), db.name));
        std::fs::create_dir_all(&dir).unwrap();
        // A file with a bad row: exit 2, the row named, nothing stored.
        let small = dir.join("small.csv");
        std::fs::write(&small, format!("统一社会信用代码,单位名称,单位类型,行政区划代码\n{},甲,企业,419001\n{},乙,企业,419099\n", code(1), code(2))).unwrap();
        let (rc, _, err) = run(
            &["import", "organizations", small.to_str().unwrap()],
            &db.url,
        );
        assert_eq!(rc, 2, "{err}");
        assert!(
            err.contains("第3行") && err.contains("region.unknown"),
            "{err}"
        );
        let count = || async {
            db.store
                .list_organizations(&DataScope::All, &Default::default(), PageRequest::new(1, 1))
                .await
                .unwrap()
                .total
        };
        assert_eq!(count().await, 0);
        // A large import killed with SIGKILL while it runs: the database is as it was.
        let big = dir.join("big.csv");
        let mut text = String::from("credit_code,name,kind,region\n");
        for i in 0..60_000u32 {
            text.push_str(&format!(
                "{},批量企业{i},enterprise,419001\n",
                code(10_000 + i)
            ));
        }
        std::fs::write(&big, text).unwrap();
        let audit_before = db.store.verify_audit().await.unwrap().records;
        let wal_baseline = db.wal_size() + 4 * 1024 * 1024;
        let mut child = Command::new(BIN)
            .args(["import", "organizations", big.to_str().unwrap()])
            .env("KECHUANG_DATABASE_URL", &db.url)
            .env("KECHUANG_LOG", "warn")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        // Kill it once it is writing: an open transaction with rows pending.
        let start = Instant::now();
        let mut writing = false;
        while start.elapsed() < Duration::from_secs(60) && child.try_wait().unwrap().is_none() {
            if db.write_in_progress(wal_baseline).await {
                writing = true;
                break;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        assert!(
            writing,
            "{}: never saw the import writing ({:?})",
            db.name,
            start.elapsed()
        );
        assert!(
            child.try_wait().unwrap().is_none(),
            "{}: the import finished before it could be killed",
            db.name
        );
        child.kill().unwrap();
        child.wait().unwrap();
        assert_eq!(
            count().await,
            0,
            "{}: nothing from the killed import",
            db.name
        );
        let v = db.store.verify_audit().await.unwrap();
        assert!(v.ok);
        assert_eq!(v.records, audit_before);
        // The same file imports completely when left to finish.
        let (rc, out, err) = run(&["import", "organizations", big.to_str().unwrap()], &db.url);
        assert_eq!(rc, 0, "{out}{err}");
        assert_eq!(count().await, 60_000);
        let _ = std::fs::remove_dir_all(&dir);
        db.drop_db().await;
    }
}

fn run_plain(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(BIN)
        .args(args)
        .env("KECHUANG_LOG", "warn")
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn json_lines(s: &str) -> Vec<serde_json::Value> {
    s.lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[test]
fn rules_eval_reads_the_interchange_format_and_explains() {
    let dir = std::env::temp_dir().join(format!("kc-rules-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    // 科技型中小企业: rules.md C10 and a failing enterprise, with Chinese headers.
    let f = dir.join("sme.csv");
    std::fs::write(
        &f,
        format!(
            "统一社会信用代码,年度,职工总数,科技人员数,销售收入,资产总额,成本费用支出总额,研发费用总额,Ⅰ类知识产权数,Ⅱ类知识产权数,重大安全质量事故或严重违法失信\n\
             {},2024,50,12,40000000,30000000,35000000,3000000,0,3,否\n\
             {},2024,100,10,10000000,8000000,,250000,0,3,否\n\
             {},2024,100,40,10000000,8000000,,,1,0,否\n",
            code(1),
            code(2),
            code(3)
        ),
    )
    .unwrap();
    let (rc, out, err) = run_plain(&[
        "rules",
        "eval",
        "--pack",
        "tech-sme",
        "--year",
        "2024",
        "--input",
        f.to_str().unwrap(),
    ]);
    assert_eq!(rc, 0, "{err}");
    let lines = json_lines(&out);
    assert_eq!(lines.len(), 3);
    assert_eq!(lines[0]["credit_code"], code(1));
    assert_eq!(
        (
            lines[0]["outputs"]["score"].as_i64(),
            lines[0]["outputs"]["qualified"].as_bool()
        ),
        (Some(80), Some(true))
    );
    assert!(
        lines[0]["explanation_text"]
            .as_str()
            .unwrap()
            .contains("属于“不低于20%且低于25%”档")
    );
    assert_eq!(lines[1]["outputs"]["qualified"], false);
    assert_eq!(lines[1]["gaps"][0]["text"], "研发费用总额需再增加 25 万元");
    // Missing R&D: reported, not counted as zero.
    assert_eq!(lines[2]["outputs"]["qualified"], serde_json::Value::Null);
    assert_eq!(lines[2]["missing"][0]["input"], "rd_expense");
    // 高企: three years of rows per enterprise.
    let f = dir.join("hnte.csv");
    let mut text = String::from(
        "credit_code,year,employees,tech_staff,revenue,total_income,high_tech_revenue,net_assets,rd_expense,rd_expense_domestic,ip_class1,ip_class2,serious_violation\n",
    );
    for (y, rev, na, rd) in [
        (2023, 80_000_000, 50_000_000, 4_000_000),
        (2024, 90_000_000, 60_000_000, 4_500_000),
        (2025, 100_000_000, 72_000_000, 5_000_000),
    ] {
        text.push_str(&format!(
            "{},{y},200,40,{rev},{},{},{na},{rd},{rd},1,6,false\n",
            code(5),
            rev + 2_000_000,
            rev * 7 / 10
        ));
    }
    std::fs::write(&f, text).unwrap();
    let (rc, out, err) = run_plain(&[
        "rules",
        "eval",
        "--pack",
        "hnte",
        "--year",
        "2025",
        "--input",
        f.to_str().unwrap(),
    ]);
    assert_eq!(rc, 0, "{err}");
    let l = &json_lines(&out)[0];
    assert_eq!(l["outputs"]["c5_rd_ratio"], true, "{l}");
    assert_eq!(l["outputs"]["c4_tech_staff"], true);
    assert_eq!(l["outputs"]["meets_measurable"], true);
    assert_eq!(
        l["outputs"]["qualified"],
        serde_json::Value::Null,
        "expert items pending"
    );
    // A year outside the pack is a clear error.
    let (rc, _, err) = run_plain(&[
        "rules",
        "eval",
        "--pack",
        "tech-sme",
        "--year",
        "2015",
        "--input",
        f.to_str().unwrap(),
    ]);
    assert_ne!(rc, 0);
    assert!(err.contains("不适用于2015年"), "{err}");
    // A broken pack is rejected with file and line.
    std::fs::write(
        dir.join("bad.policy"),
        "pack bad\ninput a count 甲\noutput x 乙 = a + b\n",
    )
    .unwrap();
    let (rc, _, err) = run_plain(&[
        "rules",
        "eval",
        "--pack",
        "bad",
        "--year",
        "2024",
        "--input",
        f.to_str().unwrap(),
        "--policies",
        dir.to_str().unwrap(),
    ]);
    assert_ne!(rc, 0);
    assert!(
        err.contains("bad.policy:3") && err.contains("未定义的变量“b”"),
        "{err}"
    );
    // The packs' own cases.
    let (rc, out, _) = run_plain(&["rules", "test"]);
    assert_eq!(rc, 0, "{out}");
    assert!(
        out.lines().last().unwrap().ends_with("passed, 0 failed"),
        "{out}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn rules_eval_over_the_registry() {
    let db = kechuang_testkit::sqlite().await;
    let (rc, _, err) = run(&["demo", "--password", "DemoPassw0rd"], &db.url);
    assert_eq!(rc, 0, "{err}");
    let out = Command::new(BIN)
        .args([
            "rules", "eval", "--pack", "tech-sme", "--year", "2025", "--region", "410883",
        ])
        .env("KECHUANG_DATABASE_URL", &db.url)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let lines = json_lines(&String::from_utf8_lossy(&out.stdout));
    let years = db
        .store
        .export_enterprise_years(
            &DataScope::All,
            &kechuang_store::years::YearFilter {
                year: Some(2025),
                region: Some("410883".into()),
                ..Default::default()
            },
            10_000,
        )
        .await
        .unwrap();
    assert_eq!(
        lines.len(),
        years.len(),
        "one line per 孟州 enterprise with 2025 figures"
    );
    let qualified: std::collections::HashSet<String> = lines
        .iter()
        .filter(|l| l["outputs"]["qualified"] == true)
        .map(|l| l["credit_code"].as_str().unwrap().to_owned())
        .collect();
    // 直通: every 高企 within the size limits qualifies; nobody above them does.
    let limit = rust_decimal::Decimal::from(200_000_000);
    let small = |y: &kechuang_store::years::EnterpriseYear| {
        y.figures.employees.unwrap_or(0) <= 500
            && y.figures.revenue.unwrap_or_default() <= limit
            && y.figures.total_assets.unwrap_or_default() <= limit
    };
    let direct: Vec<&str> = years
        .iter()
        .filter(|y| y.figures.hte_valid == Some(true) && small(y))
        .map(|y| y.credit_code.as_str())
        .collect();
    assert!(!direct.is_empty());
    assert!(
        direct.iter().all(|c| qualified.contains(*c)),
        "{} qualified",
        qualified.len()
    );
    assert!(
        years
            .iter()
            .filter(|y| !small(y))
            .all(|y| !qualified.contains(&y.credit_code))
    );
    assert!(qualified.len() > direct.len(), "others qualify by score");
    db.drop_db().await;
}

#[tokio::test]
async fn rules_entitle_from_a_file_and_from_the_registry() {
    let dir = std::env::temp_dir().join(format!("kc-entitle-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let f = dir.join("items.csv");
    std::fs::write(
        &f,
        format!(
            "统一社会信用代码,行政区划代码,事项,类别,级别,上级奖金\n\
             {a},419001,省级工程技术研究中心,3,4,\n\
             {a},419001,市级重点实验室,3,3,\n\
             {b},410883,国家科技进步二等奖,4,5,80万\n",
            a = code(1),
            b = code(2)
        ),
    )
    .unwrap();
    let xlsx = dir.join("list.xlsx");
    let (rc, out, err) = run_plain(&[
        "rules",
        "entitle",
        "--year",
        "2025",
        "--input",
        f.to_str().unwrap(),
        "--out",
        xlsx.to_str().unwrap(),
    ]);
    assert_eq!(rc, 0, "{err}");
    let lines = json_lines(&out);
    assert_eq!(lines.len(), 4);
    assert_eq!(
        (lines[0]["granted"].as_bool(), lines[0]["amount"].as_str()),
        (Some(true), Some("300000"))
    );
    assert_eq!(lines[1]["granted"], false);
    assert!(
        lines[1]["reason"]
            .as_str()
            .unwrap()
            .contains("同一类别只奖励最高级别")
    );
    assert_eq!(lines[3]["summary"]["total"], "1100000");
    assert_eq!(lines[3]["summary"]["by_region"]["410883"], "800000");
    let sheet = kechuang_server::tabular::read_table(&std::fs::read(&xlsx).unwrap()).unwrap();
    assert_eq!(
        (sheet.headers[0].as_str(), sheet.rows.len()),
        ("统一社会信用代码", 3)
    );
    // From the registry: the demo's 济源 enterprises that became 高企 in 2025 (118 → 132).
    let db = kechuang_testkit::sqlite().await;
    assert_eq!(run(&["demo", "--password", "DemoPassw0rd"], &db.url).0, 0);
    let out = Command::new(BIN)
        .args(["rules", "entitle", "--year", "2025", "--region", "419001"])
        .env("KECHUANG_DATABASE_URL", &db.url)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let lines = json_lines(&String::from_utf8_lossy(&out.stdout));
    let hnte = lines
        .iter()
        .filter(|l| l["category"] == "高新技术企业认定" && l["granted"] == true)
        .count();
    assert_eq!(hnte, 132 - 118);
    let summary = &lines.last().unwrap()["summary"];
    assert_eq!(summary["by_category"]["高新技术企业认定"], "2800000");
    db.drop_db().await;
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn assign_solve_prints_pairs_then_objective_and_bound() {
    let dir = std::env::temp_dir().join(format!("kc-assign-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let a = dir.join("a.csv");
    let c = dir.join("c.csv");
    // Two applications, three experts, k = 1, max load 1. a1 would rather have x (0.9), but
    // must avoid x, so a1 takes y (0.8) and a2 takes x (0.7) over z (0.65): 1.5.
    std::fs::write(
        &a,
        "application,expert,affinity\na1,x,0.9\na1,y,0.8\na2,x,0.7\na2,y,0.6\na2,z,0.65\n",
    )
    .unwrap();
    std::fs::write(&c, "application,expert\na1,x\n").unwrap();
    let (rc, out, err) = run_plain(&[
        "assign",
        "solve",
        "--affinity",
        a.to_str().unwrap(),
        "--conflicts",
        c.to_str().unwrap(),
        "--k",
        "1",
        "--max-load",
        "1",
    ]);
    assert_eq!(rc, 0, "{err}");
    let lines: Vec<&str> = out.lines().collect();
    let mut pairs: Vec<&str> = lines[..lines.len() - 1].to_vec();
    pairs.retain(|l| *l != "application,expert");
    pairs.sort_unstable();
    assert_eq!(pairs, ["a1,y", "a2,x"]);
    let last: serde_json::Value = serde_json::from_str(lines[lines.len() - 1]).unwrap();
    assert!(
        (last["objective"].as_f64().unwrap() - 1.5).abs() < 1e-9,
        "{last}"
    );
    assert_eq!(last["bound"], last["objective"]);

    // An application that cannot get k experts is an error naming it.
    let (rc, _, err) = run_plain(&[
        "assign",
        "solve",
        "--affinity",
        a.to_str().unwrap(),
        "--conflicts",
        c.to_str().unwrap(),
        "--k",
        "3",
        "--max-load",
        "1",
    ]);
    assert_ne!(rc, 0);
    assert!(err.contains("a1"), "{err}");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn plans_extract_prints_targets_with_offsets() {
    let dir = std::env::temp_dir().join(format!("kc-plans-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let f = dir.join("plan.txt");
    let text = "某市“十四五”科技创新规划\n到2025年，全市高新技术企业达到150家，研究与试验发展经费投入强度达到2.2%。";
    std::fs::write(&f, text).unwrap();
    let (rc, out, err) = run_plain(&["plans", "extract", f.to_str().unwrap(), "--json"]);
    assert_eq!(rc, 0, "{err}");
    let rows = json_lines(&out);
    let hte = rows
        .iter()
        .find(|r| r["key"] == "high_tech_enterprise_count")
        .unwrap_or_else(|| panic!("{out}"));
    assert_eq!(
        (hte["value"].as_f64(), hte["unit"].as_str()),
        (Some(150.0), Some("家"))
    );
    assert_eq!(
        (hte["year"].as_i64(), hte["kind"].as_str()),
        (Some(2025), Some("target"))
    );
    let chars: Vec<char> = text.chars().collect();
    let (s, e) = (
        hte["start"].as_u64().unwrap() as usize,
        hte["end"].as_u64().unwrap() as usize,
    );
    assert_eq!(
        chars[s..e].iter().collect::<String>(),
        hte["sentence"].as_str().unwrap()
    );
    let rd = rows
        .iter()
        .find(|r| r["key"] == "rd_intensity")
        .unwrap_or_else(|| panic!("{out}"));
    assert_eq!(
        (rd["value"].as_f64(), rd["unit"].as_str()),
        (Some(2.2), Some("%"))
    );
    // Not a plan: a clear error.
    std::fs::write(&f, [0xff, 0xfe, 0x00]).unwrap();
    let (rc, _, err) = run_plain(&["plans", "extract", f.to_str().unwrap(), "--json"]);
    assert_ne!(rc, 0);
    assert!(err.contains("UTF-8"), "{err}");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn contracts_assess_decides_every_row_and_reports_malformed_ones() {
    let dir = std::env::temp_dir().join(format!("kc-contracts-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let f = dir.join("contracts.csv");
    let (s, b) = (code(11), code(12));
    let mut wrong = b.clone();
    let last = wrong.pop().unwrap();
    wrong.push(if last == '0' { '1' } else { '0' });
    std::fs::write(
        &f,
        format!(
            "合同编号,合同类别,合同子类,合同形式,卖方统一社会信用代码,买方统一社会信用代码,合同成交总额（元）,非技术性费用（元）,合理数量标的物费用,签订日期,价款明确,受理日期\n\
             D-1,技术开发,委托开发,书面,{s},{b},1000000,200000,50000,2025-03-01,,\n\
             D-2,买卖合同,,书面,{s},{b},500000,0,,2025-03-02,,\n\
             D-3,技术服务,技术培训,口头,{s},{b},80000,0,,2025-03-03,,\n\
             D-4,技术咨询,,书面,{s},{b},100,300,,2025-03-04,,\n\
             D-5,技术许可,专利实施普通许可,书面,{s},{wrong},300000,0,,2025-03-05,,\n\
             D-6,技术服务,技术服务,书面,{s},{b},150000,0,,2025-03-06,否,\n\
             D-7,技术开发,合作开发,书面,{s},{b},6500000,500000,,2025-12-20,,2026-01-10\n\
             D-8,技术开发,专利权转让,书面,{s},{b},100,0,,2025-03-08,,\n"
        ),
    )
    .unwrap();
    let (rc, out, err) = run_plain(&["contracts", "assess", "--input", f.to_str().unwrap()]);
    assert_eq!(rc, 0, "{err}");
    let lines = json_lines(&out);
    assert_eq!(lines.len(), 8, "{out}");
    let by = |no: &str| {
        lines
            .iter()
            .find(|l| l["contract_no"] == no)
            .unwrap()
            .clone()
    };
    let d1 = by("D-1");
    assert_eq!(
        (
            d1["category"].as_str(),
            d1["decision"].as_str(),
            d1["technical_amount"].as_str()
        ),
        (Some("development"), Some("register"), Some("850000")),
        "the carrier allowance is not deducted: {d1}"
    );
    let d2 = by("D-2");
    assert_eq!(
        (d2["category"].as_str(), d2["decision"].as_str()),
        (Some("other"), Some("refuse"))
    );
    assert!(
        d2["reasons"][0].as_str().unwrap().contains("非技术合同"),
        "{d2}"
    );
    assert_eq!(by("D-3")["decision"], "refuse");
    assert!(by("D-3")["reasons"][0].as_str().unwrap().contains("口头"));
    assert_eq!(
        by("D-4")["error"]["fields"][0]["code"],
        "contract.non_tech_exceeds"
    );
    assert_eq!(
        by("D-5")["error"]["fields"][0]["code"],
        "credit_code.check_char"
    );
    assert_eq!(by("D-6")["decision"], "correct");
    let d7 = by("D-7");
    assert_eq!(
        (d7["decision"].as_str(), d7["second_review"].as_bool()),
        (Some("register"), Some(true)),
        "{d7}"
    );
    assert_eq!(
        by("D-8")["error"]["fields"][0]["code"],
        "contract.subcategory.unknown"
    );
    assert!(err.contains("3 行数据有误"), "{err}");
    // A file without the required columns is refused as a whole.
    std::fs::write(&f, "合同编号,合同类别\nX,技术开发\n").unwrap();
    let (rc, _, err) = run_plain(&["contracts", "assess", "--input", f.to_str().unwrap()]);
    assert_ne!(rc, 0);
    assert!(err.contains("缺少必需的列"), "{err}");
}

/// One HTTP/1.1 exchange over a fresh connection: (status, headers and body as text).
fn http(
    addr: &str,
    method: &str,
    path: &str,
    cookie: &str,
    csrf: &str,
    body: &str,
) -> Option<(u16, String)> {
    use std::io::{Read, Write};
    let mut s = std::net::TcpStream::connect(addr).ok()?;
    s.set_read_timeout(Some(Duration::from_secs(30))).ok()?;
    let req = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Type: application/json\r\nCookie: {cookie}\r\nX-CSRF-Token: {csrf}\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    s.write_all(req.as_bytes()).ok()?;
    let mut buf = Vec::new();
    s.read_to_end(&mut buf).ok()?;
    let text = String::from_utf8_lossy(&buf).into_owned();
    let status = text.get(9..12)?.parse().ok()?;
    Some((status, text))
}

/// 等保 / issue 21: a server killed with SIGKILL while four clients write loses no write it
/// acknowledged, leaves no half-written record (every row has its audit entry) and keeps the
/// audit chain valid, on both backends.
#[tokio::test]
async fn a_server_killed_under_concurrent_writes_loses_no_acknowledged_write() {
    use std::sync::{Arc, Mutex};
    for db in all().await {
        officer(&db.store, "writer").await;
        let (mut child, addr, search) = serve(&db.url, "kill");
        let (cookie, csrf) = http_login(&addr, "writer");
        let acked = Arc::new(Mutex::new(Vec::<String>::new()));
        let clients: Vec<_> = (0..4u32)
            .map(|c| {
                let (addr, cookie, csrf, acked) = (addr.clone(), cookie.clone(), csrf.clone(), acked.clone());
                std::thread::spawn(move || {
                    for n in 0..5_000u32 {
                        let cc = code(200_000 + c * 10_000 + n);
                        let body = format!(
                            r#"{{"credit_code":"{cc}","name":"压测{c}号{n}公司","kind":"enterprise","region":"419001"}}"#
                        );
                        match http(&addr, "POST", "/api/v1/organizations", &cookie, &csrf, &body) {
                            Some((201, _)) => acked.lock().unwrap().push(cc),
                            Some((st, t)) => panic!("unexpected answer {st}: {t}"),
                            None => return,
                        }
                    }
                })
            })
            .collect();
        let start = Instant::now();
        while acked.lock().unwrap().len() < 60 && start.elapsed() < Duration::from_secs(120) {
            std::thread::sleep(Duration::from_millis(10));
        }
        child.kill().unwrap();
        child.wait().unwrap();
        for c in clients {
            c.join().unwrap();
        }
        let acked = acked.lock().unwrap().clone();
        assert!(
            acked.len() >= 60,
            "{}: only {} writes before the kill",
            db.name,
            acked.len()
        );
        let mut stored = std::collections::BTreeSet::new();
        for page in 1.. {
            let p = db
                .store
                .list_organizations(
                    &DataScope::All,
                    &Default::default(),
                    PageRequest::new(page, 500),
                )
                .await
                .unwrap();
            if p.items.is_empty() {
                break;
            }
            stored.extend(p.items.into_iter().map(|o| o.credit_code));
        }
        let lost: Vec<&String> = acked.iter().filter(|c| !stored.contains(*c)).collect();
        assert!(
            lost.is_empty(),
            "{}: acknowledged and lost: {lost:?}",
            db.name
        );
        assert!(stored.len() >= acked.len());
        assert!(
            db.store.audit_coverage().await.unwrap().is_empty(),
            "{}: a row without its audit entry",
            db.name
        );
        let v = db.store.verify_audit().await.unwrap();
        assert!(v.ok, "{}: {v:?}", db.name);
        let _ = std::fs::remove_dir_all(&search);
        let _ = std::fs::remove_file(anchors(&db.url).with_extension("kill.log"));
        db.drop_db().await;
    }
}

/// An officer of 济源 (419001) with the password `Passw0rd2026`.
async fn officer(store: &kechuang_store::Store, username: &str) {
    store
        .create_user(
            &kechuang_store::Caller::system("test"),
            &kechuang_store::accounts::NewUser {
                username: username.into(),
                display_name: username.into(),
                password_hash: kechuang_server::auth::hash_password("Passw0rd2026").unwrap(),
                scope_kind: "region".into(),
                region: kechuang_domain::RegionCode::parse("419001").unwrap(),
                org_id: None,
                roles: vec!["officer".into()],
                must_change_password: false,
            },
        )
        .await
        .unwrap();
}

/// A `kechuang serve` process on `url` at a free loopback port, with its own search index and
/// audit anchors (as each server of a deployment has); waits until it answers.
fn serve(url: &str, tag: &str) -> (std::process::Child, String, std::path::PathBuf) {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let addr = format!("127.0.0.1:{port}");
    let search = std::env::temp_dir().join(format!("kc-two-{}-{tag}-{port}", std::process::id()));
    let anchors = anchors(url).with_extension(format!("{tag}.log"));
    let child = Command::new(BIN)
        .args(["serve", "--listen", &addr])
        .env("KECHUANG_DATABASE_URL", url)
        .env("KECHUANG_SECRET", "test-secret-0123456789")
        .env("KECHUANG_AUDIT_ANCHORS", &anchors)
        .env("KECHUANG_SEARCH_DIR", &search)
        .env("KECHUANG_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let start = Instant::now();
    while std::net::TcpStream::connect(&addr).is_err() {
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "the server did not start"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    (child, addr, search)
}

/// Log in over HTTP as `username` (password `Passw0rd2026`): the session cookie and CSRF token.
fn http_login(addr: &str, username: &str) -> (String, String) {
    let body = format!(r#"{{"username":"{username}","password":"Passw0rd2026"}}"#);
    let (st, text) = http(addr, "POST", "/api/v1/auth/login", "", "", &body).unwrap();
    assert_eq!(st, 200, "{text}");
    let cookie = text
        .lines()
        .find_map(|l| {
            l.strip_prefix("set-cookie: ")
                .or_else(|| l.strip_prefix("Set-Cookie: "))
        })
        .and_then(|c| c.split(';').next())
        .unwrap()
        .to_owned();
    let csrf = json_body(&text)["csrf_token"].as_str().unwrap().to_owned();
    (cookie, csrf)
}

fn json_body(text: &str) -> serde_json::Value {
    let body = &text[text.find("\r\n\r\n").unwrap() + 4..];
    serde_json::from_str(body).unwrap_or(serde_json::Value::Null)
}

/// Issue 19, item 6: two real `kechuang serve` processes on one database, as a province runs
/// them behind a load balancer. A session made on one is accepted by the other; writes through
/// both at once keep one complete, valid audit chain; a record written through one is found by
/// the other's search at its next query; one 运行评价 asked of both at once ends with one
/// result per enterprise.
#[tokio::test]
async fn two_server_processes_share_sessions_chain_search_and_runs() {
    use kechuang_store::Caller;
    for db in all().await {
        officer(&db.store, "city").await;
        let before = db.store.verify_audit().await.unwrap().records;
        let (mut a, addr_a, search_a) = serve(&db.url, "a");
        let (mut b, addr_b, search_b) = serve(&db.url, "b");

        // A session made on server A is accepted by server B.
        let (cookie, csrf) = http_login(&addr_a, "city");
        let (st, text) = http(&addr_b, "GET", "/api/v1/auth/me", &cookie, "", "").unwrap();
        assert_eq!(st, 200, "{}: {text}", db.name);
        assert_eq!(json_body(&text)["user"]["username"], "city");

        // Four clients, two per server, writing at once.
        let clients: Vec<_> = (0..4u32)
            .map(|c| {
                let addr = if c % 2 == 0 { &addr_a } else { &addr_b }.clone();
                let (cookie, csrf) = (cookie.clone(), csrf.clone());
                std::thread::spawn(move || {
                    for n in 0..15u32 {
                        let cc = code(300_000 + c * 1_000 + n);
                        let body = format!(
                            r#"{{"credit_code":"{cc}","name":"双机{c}号{n}材料公司","kind":"enterprise","region":"419001"}}"#
                        );
                        let (st, t) =
                            http(&addr, "POST", "/api/v1/organizations", &cookie, &csrf, &body)
                                .unwrap();
                        assert_eq!(st, 201, "{t}");
                    }
                })
            })
            .collect();
        for c in clients {
            c.join().unwrap();
        }

        // Written through A, found by B's search at its next query (B has answered a search
        // before, so its index is built and has to catch up).
        let (st, _) = http(
            &addr_b,
            "GET",
            "/api/v1/search?q=%E6%9D%90%E6%96%99",
            &cookie,
            "",
            "",
        )
        .unwrap();
        assert_eq!(st, 200);
        let body = format!(
            r#"{{"credit_code":"{}","name":"鹊桥新能源科技有限公司","kind":"enterprise","region":"419001"}}"#,
            code(399_999)
        );
        let (st, t) = http(
            &addr_a,
            "POST",
            "/api/v1/organizations",
            &cookie,
            &csrf,
            &body,
        )
        .unwrap();
        assert_eq!(st, 201, "{t}");
        let (st, t) = http(
            &addr_b,
            "GET",
            "/api/v1/search?q=%E9%B9%8A%E6%A1%A5",
            &cookie,
            "",
            "",
        )
        .unwrap();
        assert_eq!(st, 200, "{t}");
        assert!(
            json_body(&t)["rows"]
                .as_array()
                .unwrap()
                .iter()
                .any(|r| r["title"] == "鹊桥新能源科技有限公司"),
            "{}: {t}",
            db.name
        );

        // One 运行评价 asked of both servers at once.
        let orgs = db
            .store
            .export_organizations(&DataScope::All, &Default::default(), 1000)
            .await
            .unwrap();
        assert_eq!(orgs.len(), 61, "{}", db.name);
        for o in &orgs {
            let f = kechuang_domain::enterprise_year::Figures {
                employees: Some(50),
                tech_staff: Some(10),
                ..Default::default()
            };
            db.store
                .put_enterprise_year(&Caller::system("t"), o.id, 2024, &f)
                .await
                .unwrap();
        }
        let run = r#"{"pack":"tech-sme","year":2024,"region":"419001"}"#;
        let asks: Vec<_> = [&addr_a, &addr_b]
            .into_iter()
            .map(|addr| {
                let (addr, cookie, csrf) = (addr.clone(), cookie.clone(), csrf.clone());
                std::thread::spawn(move || {
                    http(&addr, "POST", "/api/v1/rules/runs", &cookie, &csrf, run).unwrap()
                })
            })
            .collect();
        let mut ids = Vec::new();
        for t in asks {
            let (st, text) = t.join().unwrap();
            assert_eq!(st, 202, "{}: {text}", db.name);
            ids.push(json_body(&text)["id"].as_i64().unwrap());
        }
        for (i, id) in ids.iter().enumerate() {
            // Followed through the other server than the one that answered.
            let addr = if i == 0 { &addr_b } else { &addr_a };
            let start = Instant::now();
            let done = loop {
                let (_, t) = http(
                    addr,
                    "GET",
                    &format!("/api/v1/rules/runs/{id}"),
                    &cookie,
                    "",
                    "",
                )
                .unwrap();
                let r = json_body(&t);
                if r["status"] != "running" {
                    break r;
                }
                assert!(
                    start.elapsed() < Duration::from_secs(60),
                    "{}: run {id} still running",
                    db.name
                );
                std::thread::sleep(Duration::from_millis(20));
            };
            assert_eq!(done["status"], "done", "{}: {done}", db.name);
            assert_eq!(done["summary"]["evaluated"], 61, "{}: {done}", db.name);
        }
        let results = db
            .store
            .list_rule_results(&DataScope::All, &Default::default(), PageRequest::new(1, 1))
            .await
            .unwrap();
        assert_eq!(results.total, 61, "{}: one result per enterprise", db.name);

        a.kill().unwrap();
        b.kill().unwrap();
        a.wait().unwrap();
        b.wait().unwrap();
        let created = db
            .store
            .list_audit(
                &DataScope::All,
                &kechuang_store::audit::AuditFilter {
                    entity: Some("organization".into()),
                    action: Some("create".into()),
                    ..Default::default()
                },
                PageRequest::new(1, 100),
            )
            .await
            .unwrap();
        assert_eq!(created.total, 61, "{}", db.name);
        let v = db.store.verify_audit().await.unwrap();
        assert!(v.ok, "{}: {v:?}", db.name);
        assert!(v.records > before + 61);
        assert!(
            db.store.audit_coverage().await.unwrap().is_empty(),
            "{}: a row without its audit entry",
            db.name
        );
        for p in [search_a, search_b] {
            let _ = std::fs::remove_dir_all(p);
        }
        for tag in ["a", "b"] {
            let _ = std::fs::remove_file(anchors(&db.url).with_extension(format!("{tag}.log")));
        }
        db.drop_db().await;
    }
}
