//! Store behaviour on both backends: scoped CRUD, validation, transactional imports,
//! the audit chain and its tamper detection.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use kechuang_domain::RegionCode;
use kechuang_domain::enterprise_year::Figures;
use kechuang_domain::organization::NewOrganization;
use kechuang_domain::person::NewPerson;
use kechuang_store::orgs::OrgFilter;
use kechuang_store::{Caller, DataScope, PageRequest, Store, StoreError};
use kechuang_testkit::all;
use kechuang_testkit::fixtures::org;
use rust_decimal::Decimal;

fn region_caller(code: &str) -> Caller {
    let path = kechuang_domain::RegionTree::shipped()
        .path(RegionCode::parse(code).unwrap())
        .unwrap();
    Caller {
        user_id: Some(1),
        username: format!("officer-{code}"),
        scope: DataScope::Region {
            code: code.into(),
            path,
        },
        address: None,
    }
}

async fn org_count(s: &Store) -> u64 {
    s.list_organizations(
        &DataScope::All,
        &OrgFilter::default(),
        PageRequest::new(1, 1),
    )
    .await
    .unwrap()
    .total
}

#[tokio::test]
async fn migrations_are_idempotent_and_refuse_nothing_twice() {
    for db in all().await {
        assert_eq!(db.store.migrate().await.unwrap(), 19, "{}", db.name);
        assert_eq!(db.store.list_roles().await.unwrap().len(), 9, "{}", db.name);
        db.drop_db().await;
    }
}

#[tokio::test]
async fn scoped_writes_and_audit_before_after() {
    for db in all().await {
        let s = &db.store;
        let jiyuan = region_caller("419001");
        let mengzhou = region_caller("410883");
        let a = s
            .create_organization(&jiyuan, &org("419001", 1, "甲公司"))
            .await
            .unwrap();
        // A county bureau cannot register an organization in another county.
        let err = s
            .create_organization(&mengzhou, &org("419001", 2, "乙公司"))
            .await
            .unwrap_err();
        assert!(
            matches!(err, StoreError::Forbidden(_)),
            "{}: {err:?}",
            db.name
        );
        // ...nor see, change or delete one there: it does not exist for them.
        assert!(matches!(
            s.get_organization(&mengzhou.scope, a.id).await,
            Err(StoreError::NotFound)
        ));
        let mut renamed = org("419001", 1, "甲公司（更名）");
        assert!(matches!(
            s.update_organization(&mengzhou, a.id, &renamed).await,
            Err(StoreError::NotFound)
        ));
        assert!(matches!(
            s.delete_organization(&mengzhou, a.id).await,
            Err(StoreError::NotFound)
        ));
        // Moving a record out of one's own scope is refused.
        renamed.region = RegionCode::parse("410883").unwrap();
        assert!(matches!(
            s.update_organization(&jiyuan, a.id, &renamed).await,
            Err(StoreError::Forbidden(_))
        ));
        renamed.region = RegionCode::parse("419001").unwrap();
        let b = s
            .update_organization(&jiyuan, a.id, &renamed)
            .await
            .unwrap();
        assert_eq!(b.name, "甲公司（更名）");
        // Duplicate credit code: a conflict, and nothing new stored.
        let dup = s
            .create_organization(&jiyuan, &org("419001", 1, "丙公司"))
            .await
            .unwrap_err();
        assert!(
            matches!(&dup, StoreError::Conflict(f) if f.code == "credit_code.duplicate"),
            "{dup:?}"
        );
        assert_eq!(org_count(s).await, 1);
        // The audit log holds the update with before and after.
        let log = s
            .list_audit(
                &DataScope::All,
                &Default::default(),
                PageRequest::new(1, 50),
            )
            .await
            .unwrap();
        let upd = log
            .items
            .iter()
            .find(|e| e.action == "update" && e.entity == "organization")
            .unwrap();
        assert!(upd.before_json.as_deref().unwrap().contains("甲公司\""));
        assert!(
            upd.after_json
                .as_deref()
                .unwrap()
                .contains("甲公司（更名）")
        );
        assert_eq!(upd.actor, "officer-419001");
        // The county's auditor-level view of the log is scoped too.
        let theirs = s
            .list_audit(
                &mengzhou.scope,
                &Default::default(),
                PageRequest::new(1, 50),
            )
            .await
            .unwrap();
        assert!(theirs.items.iter().all(|e| {
            e.region_path
                .as_deref()
                .is_some_and(|p| p.contains("410883"))
        }));
        db.drop_db().await;
    }
}

#[tokio::test]
async fn enterprise_years_are_exact_and_validated() {
    for db in all().await {
        let s = &db.store;
        let c = Caller::system("t");
        let o = s
            .create_organization(&c, &org("419001", 7, "丁公司"))
            .await
            .unwrap();
        let amount: Decimal = "12345678901.23".parse().unwrap();
        let f = Figures {
            employees: Some(100),
            tech_staff: Some(30),
            revenue: Some(amount),
            net_assets: Some("-5000.5".parse().unwrap()),
            hte_valid: Some(true),
            ..Default::default()
        };
        let y = s.put_enterprise_year(&c, o.id, 2024, &f).await.unwrap();
        assert_eq!(y.figures.revenue, Some(amount), "{}", db.name);
        assert_eq!(
            y.figures.net_assets.map(|d| d.to_string()).as_deref(),
            Some("-5000.5")
        );
        assert_eq!(y.figures.total_cost, None, "absent stays absent, not zero");
        // Replacing the same year updates the row.
        let f2 = Figures {
            employees: Some(120),
            tech_staff: Some(31),
            ..f.clone()
        };
        let y2 = s.put_enterprise_year(&c, o.id, 2024, &f2).await.unwrap();
        assert_eq!(y2.id, y.id);
        // Tech staff above employees and future years are refused, nothing changes.
        let bad = Figures {
            employees: Some(10),
            tech_staff: Some(11),
            ..Default::default()
        };
        let e = s
            .put_enterprise_year(&c, o.id, 2024, &bad)
            .await
            .unwrap_err();
        assert!(
            matches!(&e, StoreError::Invalid(i) if i.0[0].code == "tech_staff.exceeds_employees"),
            "{e:?}"
        );
        let e = s.put_enterprise_year(&c, o.id, 2099, &f).await.unwrap_err();
        assert!(matches!(&e, StoreError::Invalid(i) if i.0[0].code == "year.range"));
        let again = s.get_enterprise_year(&DataScope::All, y.id).await.unwrap();
        assert_eq!(again.figures.employees, Some(120));
        db.drop_db().await;
    }
}

#[tokio::test]
async fn imports_are_all_or_nothing() {
    for db in all().await {
        let s = &db.store;
        let c = Caller::system("t");
        s.create_organization(&c, &org("419001", 50, "已有公司"))
            .await
            .unwrap();
        let head_before = s.verify_audit().await.unwrap().records;
        // Row 4 repeats an existing code: the whole file is refused.
        let rows: Vec<(usize, NewOrganization)> = vec![
            (2, org("419001", 51, "新一")),
            (3, org("419001", 52, "新二")),
            (4, org("419001", 50, "重复")),
        ];
        let r = s
            .import_organizations(&c, &rows, false, false)
            .await
            .unwrap();
        let problems = r.unwrap_err();
        assert_eq!(problems.len(), 1);
        assert_eq!(
            (problems[0].row, problems[0].code.as_str()),
            (4, "credit_code.duplicate")
        );
        assert_eq!(
            org_count(s).await,
            1,
            "{}: nothing from the rejected file",
            db.name
        );
        // A failure in the middle of writing leaves the database as it was.
        let many: Vec<(usize, NewOrganization)> = (0..700)
            .map(|i| (i + 2, org("419001", 1000 + i as u32, &format!("批量{i}"))))
            .collect();
        let e = s
            .import_organizations_failing_after(&c, &many, 600)
            .await
            .unwrap_err();
        assert!(matches!(e, StoreError::Db(_)));
        assert_eq!(
            org_count(s).await,
            1,
            "{}: a crash mid-import rolls back",
            db.name
        );
        let v = s.verify_audit().await.unwrap();
        assert!(v.ok);
        assert_eq!(
            v.records, head_before,
            "no audit records from rolled-back imports"
        );
        // A dry run writes nothing; the real run writes all and audits each row.
        let ok = s
            .import_organizations(&c, &many, false, true)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(ok.inserted, 700);
        assert_eq!(org_count(s).await, 1);
        let ok = s
            .import_organizations(&c, &many, false, false)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(ok.inserted, 700);
        assert_eq!(org_count(s).await, 701);
        assert_eq!(s.verify_audit().await.unwrap().records, head_before + 700);
        // Update-existing mode updates instead of reporting.
        let upd = vec![(2, org("419001", 50, "已有公司（更新）"))];
        let r = s
            .import_organizations(&c, &upd, true, false)
            .await
            .unwrap()
            .unwrap();
        assert_eq!((r.inserted, r.updated), (0, 1));
        db.drop_db().await;
    }
}

/// Writers append audit records without a global lock and a sealer chains them: two store
/// handles on one database (two servers), each with twenty concurrent writers and a
/// 2,000-row import running beside them, lose no record, chain every one exactly once, and
/// hand out unique ids; a record written but not yet sealed is already in the audit list.
#[tokio::test]
async fn concurrent_writers_through_two_handles_keep_one_complete_chain() {
    for db in all().await {
        let other = Store::connect(&db.url).await.unwrap();
        let before = db.store.verify_audit().await.unwrap().records;
        let import: Vec<(usize, NewOrganization)> = (0..2000u32)
            .map(|i| {
                (
                    i as usize + 2,
                    org("410883", 700_000 + i, &format!("批量{i}")),
                )
            })
            .collect();
        let importer = {
            let s = db.store.clone();
            tokio::spawn(async move {
                s.import_organizations(&Caller::system("imp"), &import, false, false)
                    .await
                    .unwrap()
                    .unwrap()
                    .inserted
            })
        };
        let mut tasks = Vec::new();
        for w in 0..40u32 {
            let s = if w % 2 == 0 {
                db.store.clone()
            } else {
                other.clone()
            };
            tasks.push(tokio::spawn(async move {
                let c = Caller::system(&format!("w{w}"));
                let mut ids = Vec::new();
                for k in 0..5u32 {
                    let o = s
                        .create_organization(
                            &c,
                            &org("419001", 800_000 + w * 10 + k, &format!("并发{w}-{k}")),
                        )
                        .await
                        .unwrap();
                    ids.push(o.id);
                }
                ids
            }));
        }
        let mut ids = Vec::new();
        for t in tasks {
            ids.extend(t.await.unwrap());
        }
        assert_eq!(importer.await.unwrap(), 2000);
        let mut unique = ids.clone();
        unique.sort_unstable();
        unique.dedup();
        assert_eq!(unique.len(), 200, "{}: ids are unique", db.name);
        // Sealed or not, the newest write is in the list at once.
        let newest = db
            .store
            .list_audit(&DataScope::All, &Default::default(), PageRequest::new(1, 1))
            .await
            .unwrap();
        assert_eq!(newest.total as i64, before + 2200, "{}", db.name);
        let v = other.verify_audit().await.unwrap();
        assert!(v.ok, "{}: {:?}", db.name, v.reason);
        assert_eq!(v.records, before + 2200, "{}", db.name);
        // Each creation is chained exactly once.
        for id in [unique[0], unique[199]] {
            let f = kechuang_store::audit::AuditFilter {
                entity: Some("organization".into()),
                entity_id: Some(id.to_string()),
                ..Default::default()
            };
            let page = db
                .store
                .list_audit(&DataScope::All, &f, PageRequest::new(1, 10))
                .await
                .unwrap();
            assert_eq!(page.total, 1, "{}: organization {id}", db.name);
        }
        other.close().await.unwrap();
        db.drop_db().await;
    }
}

#[tokio::test]
async fn audit_chain_detects_edits_deletions_and_truncation() {
    for db in all().await {
        let s = &db.store;
        let c = Caller::system("t");
        for i in 0..5 {
            s.create_organization(&c, &org("419001", 200 + i, &format!("链{i}")))
                .await
                .unwrap();
        }
        let v = s.verify_audit().await.unwrap();
        assert!(v.ok, "{}", db.name);
        let n = v.records;
        // Edit one record's content.
        let target = n - 2;
        s.execute_unchecked(&format!(
            "UPDATE audit_log SET after_json = '{{\"name\":\"伪造\"}}' WHERE seq = {target}"
        ))
        .await
        .unwrap();
        let v = s.verify_audit().await.unwrap();
        assert!(!v.ok);
        assert_eq!(v.first_bad_seq, Some(target), "{}: {:?}", db.name, v.reason);
        db.drop_db().await;
    }
    for db in all().await {
        let s = &db.store;
        let c = Caller::system("t");
        for i in 0..5 {
            s.create_organization(&c, &org("419001", 300 + i, &format!("链{i}")))
                .await
                .unwrap();
        }
        let n = s.verify_audit().await.unwrap().records;
        // Delete a middle record.
        s.execute_unchecked(&format!("DELETE FROM audit_log WHERE seq = {}", n - 1))
            .await
            .unwrap();
        let v = s.verify_audit().await.unwrap();
        assert_eq!((v.ok, v.first_bad_seq), (false, Some(n - 1)), "{}", db.name);
        // Delete the tail too: the head still remembers it.
        s.execute_unchecked(&format!("DELETE FROM audit_log WHERE seq >= {}", n - 1))
            .await
            .unwrap();
        let v = s.verify_audit().await.unwrap();
        assert!(!v.ok, "{}: truncation must be detected", db.name);
        assert!(v.reason.unwrap().contains("截断"));
        db.drop_db().await;
    }
}

#[tokio::test]
async fn identity_numbers_are_hashed_and_matched() {
    for db in all().await {
        let s = &db.store;
        let c = Caller::system("t");
        let o = s
            .create_organization(&c, &org("419001", 400, "院所"))
            .await
            .unwrap();
        let input = kechuang_domain::person::PersonInput {
            name: "张专家".into(),
            org_id: Some(o.id),
            disciplines: vec!["冶金工程".into()],
            is_expert: true,
            id_number: Some("11010519491231002X".into()),
            ..Default::default()
        };
        let p = NewPerson::parse(&input).unwrap();
        let person = s
            .create_person(&c, &p, b"secret-key-for-tests", None)
            .await
            .unwrap();
        assert!(person.has_id_number);
        assert_eq!(
            person.region_code, "419001",
            "a person inherits the organization's region"
        );
        let json = serde_json::to_string(&person).unwrap();
        assert!(!json.contains("1101051949"));
        let dup = s
            .create_person(&c, &p, b"secret-key-for-tests", None)
            .await
            .unwrap_err();
        assert!(matches!(&dup, StoreError::Conflict(f) if f.code == "id_number.duplicate"));
        let dump = s
            .list_audit(
                &DataScope::All,
                &Default::default(),
                PageRequest::new(1, 100),
            )
            .await
            .unwrap();
        assert!(dump.items.iter().all(|e| {
            !e.after_json
                .clone()
                .unwrap_or_default()
                .contains("1101051949")
        }));
        db.drop_db().await;
    }
}

#[tokio::test]
async fn account_managers_cannot_widen_scope_and_lockout_counts_parallel_failures() {
    for db in all().await {
        let s = &db.store;
        let sys = Caller::system("t");
        let o = s
            .create_organization(&sys, &org("410883", 500, "企业甲"))
            .await
            .unwrap();
        let new = |name: &str, kind: &str, region: &str, org_id: Option<i64>| {
            kechuang_store::accounts::NewUser {
                username: name.into(),
                display_name: name.into(),
                password_hash: "x".into(),
                scope_kind: kind.into(),
                region: RegionCode::parse(region).unwrap(),
                org_id,
                roles: vec![],
                must_change_password: false,
            }
        };
        // An organization account may not mint a region-wide account.
        let org_caller = Caller {
            user_id: Some(7),
            username: "org-admin".into(),
            scope: DataScope::Organization { org_id: o.id },
            address: None,
        };
        let e = s
            .create_user(&org_caller, &new("wide", "region", "410000", Some(o.id)))
            .await
            .unwrap_err();
        assert!(
            matches!(e, StoreError::Invalid(_) | StoreError::Forbidden(_)),
            "{e:?}"
        );
        let e = s
            .create_user(&org_caller, &new("wide2", "region", "410883", None))
            .await
            .unwrap_err();
        assert!(matches!(e, StoreError::Forbidden(_)), "{e:?}");
        assert!(
            s.create_user(
                &org_caller,
                &new("staff", "organization", "410883", Some(o.id))
            )
            .await
            .is_ok()
        );
        // A county manager may not reset or disable a global account homed in the county.
        let root = s
            .create_user(&sys, &new("root", "all", "410883", None))
            .await
            .unwrap();
        let county = region_caller("410883");
        assert!(matches!(
            s.set_password(&county, root.id, "h", false).await,
            Err(StoreError::Forbidden(_))
        ));
        assert!(matches!(
            s.update_user(&county, root.id, "x", "disabled", &[]).await,
            Err(StoreError::Forbidden(_))
        ));
        // Ten parallel wrong guesses, all read before any was counted, still lock the account.
        let target = s
            .create_user(&sys, &new("target", "region", "410883", None))
            .await
            .unwrap();
        let rec = s.login_record("target").await.unwrap().unwrap();
        let mut handles = Vec::new();
        for _ in 0..10 {
            let (st, r) = (s.clone(), rec.clone());
            handles.push(tokio::spawn(async move {
                st.record_login_failure(&r, 5, 600_000, None).await.unwrap()
            }));
        }
        let mut locks = 0;
        for h in handles {
            locks += usize::from(h.await.unwrap().is_some());
        }
        assert!(locks >= 1, "{}: parallel failures must lock", db.name);
        let after = s.login_record("target").await.unwrap().unwrap();
        assert!(after.locked_until.is_some());
        assert!(matches!(
            s.open_session(&rec, "th", "csrf", 60_000, None).await,
            Err(StoreError::Forbidden(_))
        ));
        let _ = target;
        db.drop_db().await;
    }
}

#[tokio::test]
async fn moving_an_organization_moves_what_hangs_off_it() {
    for db in all().await {
        let s = &db.store;
        let sys = Caller::system("t");
        let o = s
            .create_organization(&sys, &org("410883", 600, "迁移企业"))
            .await
            .unwrap();
        let y = s
            .put_enterprise_year(
                &sys,
                o.id,
                2024,
                &Figures {
                    employees: Some(3),
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        let p = s
            .create_platform(
                &sys,
                &kechuang_testkit::fixtures::platform(o.id, "迁移平台"),
            )
            .await
            .unwrap();
        let e = s
            .create_person(
                &sys,
                &kechuang_testkit::fixtures::expert(o.id, "迁移专家"),
                b"k",
                None,
            )
            .await
            .unwrap();
        // The organization account cannot move itself.
        let own = Caller {
            user_id: Some(9),
            username: "own".into(),
            scope: DataScope::Organization { org_id: o.id },
            address: None,
        };
        let mut moved = org("410883", 600, "迁移企业");
        moved.region = RegionCode::parse("410882").unwrap();
        assert!(matches!(
            s.update_organization(&own, o.id, &moved).await,
            Err(StoreError::Forbidden(_))
        ));
        // The city bureau (焦作) moves it from 孟州 to 沁阳: everything follows.
        s.update_organization(&region_caller("410800"), o.id, &moved)
            .await
            .unwrap();
        let mengzhou = region_caller("410883").scope;
        let qinyang = region_caller("410882").scope;
        assert!(
            matches!(
                s.get_enterprise_year(&mengzhou, y.id).await,
                Err(StoreError::NotFound)
            ),
            "{}",
            db.name
        );
        assert!(s.get_enterprise_year(&qinyang, y.id).await.is_ok());
        assert!(matches!(
            s.get_platform(&mengzhou, p.id).await,
            Err(StoreError::NotFound)
        ));
        assert_eq!(
            s.get_platform(&qinyang, p.id).await.unwrap().region_code,
            "410882"
        );
        assert!(matches!(
            s.get_person(&mengzhou, e.id).await,
            Err(StoreError::NotFound)
        ));
        assert!(s.get_person(&qinyang, e.id).await.is_ok());
        let log = s
            .list_audit(
                &DataScope::All,
                &kechuang_store::audit::AuditFilter {
                    action: Some("move_region".into()),
                    ..Default::default()
                },
                PageRequest::new(1, 10),
            )
            .await
            .unwrap();
        assert_eq!(log.total, 3, "years, platforms and persons moved");
        db.drop_db().await;
    }
}

/// The audit coverage check finds a scoped row written around the store, and a scoped table
/// that was never declared as a record kind; rows written through the store are covered.
#[tokio::test]
async fn audit_coverage_finds_rows_written_around_the_store() {
    for db in all().await {
        let s = &db.store;
        let jiyuan = region_caller("419001");
        let o = s
            .create_organization(&jiyuan, &org("419001", 7, "覆盖检查公司"))
            .await
            .unwrap();
        let p = kechuang_domain::platform::NewPlatform {
            name: "覆盖检查工程技术研究中心".into(),
            platform_type: kechuang_domain::platform::PlatformType::parse("工程技术研究中心")
                .unwrap(),
            level: kechuang_domain::platform::PlatformLevel::parse("市级").unwrap(),
            host_org_id: o.id,
            recognized_on: None,
            approval_document: None,
            status: kechuang_domain::platform::PlatformStatus::parse("active").unwrap(),
        };
        s.create_platform(&jiyuan, &p).await.unwrap();
        assert_eq!(s.audit_coverage().await.unwrap(), vec![], "{}", db.name);

        // A platform inserted with raw SQL has no audit entry.
        s.execute_unchecked(&format!(
            "INSERT INTO platforms (id, name, platform_type, level, host_org_id, region_code, region_path, status, created_at, updated_at) VALUES (990000001, '旁路平台', 'engineering_research_center', 'city', {}, '419001', '{}', 'active', 0, 0)",
            o.id, o.region_path
        ))
        .await
        .unwrap();
        let gaps = s.audit_coverage().await.unwrap();
        assert_eq!(gaps.len(), 1, "{}: {gaps:?}", db.name);
        assert_eq!(gaps[0].table, "platforms");
        assert_eq!(gaps[0].rows, 1);

        // A new table with scoping columns that no record kind declares.
        s.execute_unchecked(
            "CREATE TABLE stray_records (id BIGINT PRIMARY KEY, region_path TEXT NOT NULL)",
        )
        .await
        .unwrap();
        let gaps = s.audit_coverage().await.unwrap();
        assert!(
            gaps.iter()
                .any(|g| g.table == "stray_records" && g.problem.contains("没有登记为记录类型")),
            "{}: {gaps:?}",
            db.name
        );
        db.drop_db().await;
    }
}

/// SQLite's write-ahead log is copied into the database and cut back by `checkpoint`, even
/// while another connection reads (its passive auto-checkpoints starve under load); PostgreSQL
/// has nothing to do.
#[tokio::test]
async fn a_checkpoint_empties_the_sqlite_write_ahead_log() {
    for db in all().await {
        let s = &db.store;
        let sys = Caller::system("t");
        for i in 0..300u32 {
            s.create_organization(&sys, &org("419001", 5000 + i, &format!("检查点企业{i}")))
                .await
                .unwrap();
        }
        let Some(path) = db.url.strip_prefix("sqlite://") else {
            assert_eq!(s.checkpoint().await.unwrap(), 0, "{}", db.name);
            continue;
        };
        let wal = format!("{}-wal", path.split('?').next().unwrap());
        let before = std::fs::metadata(&wal).map(|m| m.len()).unwrap_or(0);
        assert!(before > 0, "writes went to the log first");
        // A reader busy on another connection does not stop the checkpoint.
        let reader = org_count(s);
        let (n, left) = tokio::join!(reader, s.checkpoint());
        assert_eq!(n, 300);
        assert_eq!(left.unwrap(), 0, "every frame copied");
        let after = std::fs::metadata(&wal).map(|m| m.len()).unwrap_or(0);
        assert_eq!(after, 0, "the log truncated from {before} bytes");
        assert_eq!(org_count(s).await, 300, "nothing lost");
    }
}

/// Demo accounts sharing one password are made to change it (one audited write), and the
/// replaced password joins the history.
#[tokio::test]
async fn accounts_can_be_made_to_change_their_password_and_history_is_kept() {
    for db in all().await {
        let s = &db.store;
        let sys = Caller::system("t");
        let mut ids = Vec::new();
        for name in ["demo1", "demo2"] {
            let u = s
                .create_user(
                    &sys,
                    &kechuang_store::accounts::NewUser {
                        username: name.into(),
                        display_name: name.into(),
                        password_hash: format!("hash-of-{name}"),
                        scope_kind: "region".into(),
                        region: RegionCode::parse("419001").unwrap(),
                        org_id: None,
                        roles: vec![],
                        must_change_password: false,
                    },
                )
                .await
                .unwrap();
            assert!(u.password_changed_at.is_some());
            ids.push(u.id);
        }
        s.require_password_change(&sys, &ids).await.unwrap();
        for id in &ids {
            assert!(
                s.get_user(&DataScope::All, *id)
                    .await
                    .unwrap()
                    .must_change_password
            );
        }
        let log = s
            .list_audit(
                &DataScope::All,
                &kechuang_store::audit::AuditFilter {
                    action: Some("password".into()),
                    ..Default::default()
                },
                PageRequest::new(1, 10),
            )
            .await
            .unwrap();
        assert_eq!(log.total, 2, "{}", db.name);
        s.set_password(&sys, ids[0], "second", false).await.unwrap();
        // Newest first by the change's millisecond.
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
        s.set_password(&sys, ids[0], "third", false).await.unwrap();
        assert_eq!(
            s.password_history(ids[0], 5).await.unwrap(),
            ["second", "hash-of-demo1"]
        );
        assert!(s.password_history(ids[1], 5).await.unwrap().is_empty());
        assert!(s.verify_audit().await.unwrap().ok);
        db.drop_db().await;
    }
}

/// Without the chain's global lock, two runs of one pack and year would delete the same rows
/// and both insert them (a unique violation on PostgreSQL); they take turns instead, and the
/// last run's results stand, once per enterprise.
#[tokio::test]
async fn concurrent_runs_of_one_pack_and_year_replace_results_in_turn() {
    use kechuang_store::rule_results::NewRuleResult;
    for db in all().await {
        let c = Caller::system("t");
        let mut rows = Vec::new();
        for i in 0..300u32 {
            let o = db
                .store
                .create_organization(&c, &org("419001", 900_000 + i, &format!("评价{i}")))
                .await
                .unwrap();
            rows.push(NewRuleResult {
                org_id: o.id,
                region_path: o.region_path.clone(),
                qualified: Some(i % 2 == 0),
                score: Some(i64::from(i)),
                pools: vec![],
                outputs: serde_json::json!({}),
                missing: serde_json::json!([]),
                gaps: serde_json::json!([]),
                explanation: "测试".into(),
                inputs: None,
            });
        }
        let rows = std::sync::Arc::new(rows);
        let runs: Vec<_> = (0..4)
            .map(|_| {
                let (s, r, c) = (db.store.clone(), rows.clone(), c.clone());
                tokio::spawn(
                    async move { s.save_rule_results(&c, "tech-sme", "v", 2024, &r).await },
                )
            })
            .collect();
        for r in runs {
            assert_eq!(r.await.unwrap().unwrap().evaluated, 300, "{}", db.name);
        }
        let page = db
            .store
            .list_rule_results(&DataScope::All, &Default::default(), PageRequest::new(1, 1))
            .await
            .unwrap();
        assert_eq!(page.total, 300, "{}", db.name);
        db.drop_db().await;
    }
}

/// 运行评价 as a job: a run's results stay invisible while it goes on (readers see the previous
/// ones), become the current ones at once when it finishes, and replace only what it covers (a
/// county's run leaves the rest of the city's results); a failed run changes nothing; a second
/// request for a run going on gets that run instead of starting another.
#[tokio::test]
async fn a_run_replaces_results_atomically_and_only_what_it_covers() {
    use kechuang_store::rule_results::{
        NewRuleResult, RuleResultFilter, RuleRunFilter, RunCover, RunSpec, RunSummary,
    };
    for db in all().await {
        let s = &db.store;
        let c = Caller::system("t");
        let mut orgs = Vec::new();
        for (i, region) in ["419001", "419001", "410883", "410883"].iter().enumerate() {
            orgs.push(
                s.create_organization(&c, &org(region, 910_000 + i as u32, &format!("作业{i}")))
                    .await
                    .unwrap(),
            );
        }
        let rows = |score: i64, which: &[usize]| -> Vec<NewRuleResult> {
            which
                .iter()
                .map(|&i| NewRuleResult {
                    org_id: orgs[i].id,
                    region_path: orgs[i].region_path.clone(),
                    qualified: Some(true),
                    score: Some(score),
                    pools: vec![],
                    outputs: serde_json::json!({}),
                    missing: serde_json::json!([]),
                    gaps: serde_json::json!([]),
                    explanation: format!("第{score}次"),
                    inputs: None,
                })
                .collect()
        };
        let scores = || async {
            let page = s
                .list_rule_results(
                    &DataScope::All,
                    &RuleResultFilter {
                        pack: Some("tech-sme".into()),
                        year: Some(2024),
                        ..Default::default()
                    },
                    PageRequest::new(1, 50),
                )
                .await
                .unwrap();
            let mut v: Vec<(i64, i64)> = page
                .items
                .iter()
                .map(|r| (r.org_id, r.score.unwrap()))
                .collect();
            v.sort();
            v
        };
        let ids: Vec<i64> = orgs.iter().map(|o| o.id).collect();
        s.save_rule_results(&c, "tech-sme", "v", 2024, &rows(1, &[0, 1, 2, 3]))
            .await
            .unwrap();
        assert_eq!(
            scores().await,
            ids.iter().map(|&i| (i, 1)).collect::<Vec<_>>()
        );

        // A whole-registry run in progress: half its results stored, none shown.
        let spec = RunSpec {
            pack: "tech-sme",
            pack_version: "v2",
            pack_text: "",
            year: 2024,
        };
        let all_cover = RunCover::of(&DataScope::All, None).unwrap();
        let (run, started) = s.begin_rule_run(&c, &spec, &all_cover, 4).await.unwrap();
        assert!(started);
        s.add_rule_results(&c, &run, &rows(2, &[0, 1]))
            .await
            .unwrap();
        assert_eq!(
            scores().await,
            ids.iter().map(|&i| (i, 1)).collect::<Vec<_>>(),
            "{}",
            db.name
        );
        // Asked again while it goes on: the same run, nothing new started.
        let (again, started) = s.begin_rule_run(&c, &spec, &all_cover, 4).await.unwrap();
        assert_eq!((again.id, started), (run.id, false), "{}", db.name);
        let progress = s.get_rule_run(&DataScope::All, run.id).await.unwrap();
        assert_eq!(
            (progress.status.as_str(), progress.done, progress.total),
            ("running", 2, 4)
        );
        s.add_rule_results(&c, &run, &rows(2, &[2, 3]))
            .await
            .unwrap();
        let mut sum = RunSummary::default();
        sum.add(&rows(2, &[0, 1, 2, 3]));
        let done = s.finish_rule_run(&c, &run, &sum).await.unwrap();
        assert_eq!((done.status.as_str(), done.done), ("done", 4));
        assert_eq!(
            scores().await,
            ids.iter().map(|&i| (i, 2)).collect::<Vec<_>>(),
            "{}",
            db.name
        );

        // A county's run replaces the county's results only.
        let path = kechuang_store::orgs::region_path(RegionCode::parse("410883").unwrap()).unwrap();
        let county = RunCover::of(&DataScope::All, Some(("410883", &path))).unwrap();
        let (run, _) = s.begin_rule_run(&c, &spec, &county, 2).await.unwrap();
        // A result outside what the run covers is refused.
        assert!(s.add_rule_results(&c, &run, &rows(3, &[0])).await.is_err());
        s.add_rule_results(&c, &run, &rows(3, &[2, 3]))
            .await
            .unwrap();
        s.finish_rule_run(&c, &run, &sum).await.unwrap();
        assert_eq!(
            scores().await,
            vec![(ids[0], 2), (ids[1], 2), (ids[2], 3), (ids[3], 3)],
            "{}",
            db.name
        );

        // A failed run changes nothing, and its stored results are deleted.
        let (run, _) = s.begin_rule_run(&c, &spec, &all_cover, 4).await.unwrap();
        s.add_rule_results(&c, &run, &rows(4, &[0, 1, 2]))
            .await
            .unwrap();
        // The results of a run going on are not collected.
        assert_eq!(s.collect_rule_results("tech-sme", 2024).await.unwrap(), 0);
        assert_eq!(
            s.stored_rule_results("tech-sme", 2024).await.unwrap(),
            7,
            "{}",
            db.name
        );
        s.fail_rule_run(&c, &run, "测试中止").await.unwrap();
        assert_eq!(
            scores().await,
            vec![(ids[0], 2), (ids[1], 2), (ids[2], 3), (ids[3], 3)],
            "{}",
            db.name
        );
        let failed = s.get_rule_run(&DataScope::All, run.id).await.unwrap();
        assert_eq!(
            (failed.status.as_str(), failed.error.as_deref()),
            ("failed", Some("测试中止"))
        );
        // Replaced and failed results are gone from the table, not only hidden.
        assert_eq!(s.collect_rule_results("tech-sme", 2024).await.unwrap(), 0);
        assert_eq!(
            s.stored_rule_results("tech-sme", 2024).await.unwrap(),
            4,
            "{}",
            db.name
        );

        // Runs are listed newest first; a county officer sees its county's run only.
        let runs = s
            .list_rule_runs(
                &DataScope::All,
                &RuleRunFilter::default(),
                PageRequest::new(1, 10),
            )
            .await
            .unwrap();
        assert_eq!(runs.total, 4);
        assert_eq!(runs.items[0].status, "failed");
        let officer = DataScope::Region {
            code: "410883".into(),
            path: path.clone(),
        };
        let theirs = s
            .list_rule_runs(&officer, &RuleRunFilter::default(), PageRequest::new(1, 10))
            .await
            .unwrap();
        assert_eq!(theirs.total, 1);
        assert_eq!(theirs.items[0].region_code.as_deref(), Some("410883"));
        assert!(s.verify_audit().await.unwrap().ok);
        assert!(s.audit_coverage().await.unwrap().is_empty(), "{}", db.name);
        db.drop_db().await;
    }
}

/// A list's total is exact up to `EXACT_COUNT_LIMIT`; above it, it is the exact count taken at
/// most `COUNT_TTL` ago, marked as an estimate (the UI's “约”), per scope and filter.
#[tokio::test]
async fn large_totals_are_recent_counts_marked_as_estimates() {
    use kechuang_store::EXACT_COUNT_LIMIT;
    for db in all().await {
        let s = &db.store;
        let c = Caller::system("t");
        let n = EXACT_COUNT_LIMIT as u32 + 50;
        let rows: Vec<(usize, NewOrganization)> = (0..n)
            .map(|i| {
                (
                    i as usize + 2,
                    org("410883", 600_000 + i, &format!("大量{i}")),
                )
            })
            .collect();
        s.import_organizations(&c, &rows, false, false)
            .await
            .unwrap()
            .unwrap();
        let county = region_caller("410883");
        let list = |scope: DataScope| async move {
            s.list_organizations(&scope, &OrgFilter::default(), PageRequest::new(3, 20))
                .await
                .unwrap()
        };
        let first = list(county.scope.clone()).await;
        assert_eq!(
            (first.total, first.total_estimated),
            (n as u64, false),
            "{}",
            db.name
        );
        assert_eq!(first.items.len(), 20);
        s.create_organization(&c, &org("410883", 690_000, "新增一家"))
            .await
            .unwrap();
        let again = list(county.scope.clone()).await;
        assert_eq!(
            (again.total, again.total_estimated),
            (n as u64, true),
            "{}",
            db.name
        );
        // Sorted by name, a large scope pages through the name index (SQLite: the plan is
        // steered); the page is the same as a sort of the whole scope.
        let f = OrgFilter {
            sort: Some("name".into()),
            order: Some(kechuang_store::SortOrder::Asc),
            ..Default::default()
        };
        let page = s
            .list_organizations(&county.scope, &f, PageRequest::new(2, 5))
            .await
            .unwrap();
        let got: Vec<String> = page.items.iter().map(|o| o.name.clone()).collect();
        if db.name == "sqlite" {
            // SQLite compares text as UTF-8 bytes, as Rust does.
            let mut all: Vec<String> = (0..n).map(|i| format!("大量{i}")).collect();
            all.push("新增一家".into());
            all.sort();
            assert_eq!(got, all[5..10].to_vec());
        } else {
            assert_eq!(got.len(), 5);
        }
        // Another scope is counted on its own, and a small total is always exact.
        let city = list(region_caller("419001").scope).await;
        assert_eq!(
            (city.total, city.total_estimated),
            (0, false),
            "{}",
            db.name
        );
        s.create_organization(&c, &org("419001", 690_001, "济源一家"))
            .await
            .unwrap();
        let city = list(region_caller("419001").scope).await;
        assert_eq!(
            (city.total, city.total_estimated),
            (1, false),
            "{}",
            db.name
        );
        db.drop_db().await;
    }
}
