//! The binary end to end: demo load, audit verification with tampering, import reports, and a
//! process killed in the middle of an import (the database must be as before).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use kechuang_store::{DataScope, PageRequest};
use kechuang_testkit::all;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_kechuang");

fn run(args: &[&str], url: &str) -> (i32, String, String) {
    let out = Command::new(BIN)
        .args(args)
        .env("KECHUANG_DATABASE_URL", url)
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
        let orgs = s
            .list_organizations(&DataScope::All, &Default::default(), PageRequest::new(1, 1))
            .await
            .unwrap();
        assert!(orgs.total > 2000, "a few thousand enterprises");
        // Loading twice is refused.
        let (rc, _, err) = run(&["demo", "--password", "DemoPassw0rd"], &db.url);
        assert_ne!(rc, 0);
        assert!(err.contains("只能载入空库"), "{err}");
        // The chain verifies; then one edited record is caught, with exit code 1.
        let (rc, out, _) = run(&["audit", "verify"], &db.url);
        assert_eq!(rc, 0, "{out}");
        assert!(out.contains("校验通过"));
        s.execute_unchecked("UPDATE audit_log SET actor = 'mallory' WHERE seq = 100")
            .await
            .unwrap();
        let (rc, out, _) = run(&["audit", "verify"], &db.url);
        assert_eq!(rc, 1, "{out}");
        assert!(out.contains("第 100 条"), "{out}");
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
