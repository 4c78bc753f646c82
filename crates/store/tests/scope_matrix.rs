//! The data-scope matrix: users of every scope kind × records spread across regions and
//! organizations, on both backends. For every (scope, table) pair the store must return
//! exactly the records that `DataScope::admits` allows, and refuse to read, change or delete
//! any other record by id.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use kechuang_domain::enterprise_year::Figures;
use kechuang_domain::organization::{NewOrganization, OrgKind};
use kechuang_domain::scope::RecordKeys;
use kechuang_domain::{CreditCode, RegionCode, RegionTree};
use kechuang_store::{Caller, DataScope, PageRequest, StoreError};
use kechuang_testkit::{all, fixtures};
use std::collections::BTreeSet;

const REGIONS: &[&str] = &["419001", "410883", "410882", "410102", "420102"];

fn path(code: &str) -> String {
    RegionTree::shipped()
        .path(RegionCode::parse(code).unwrap())
        .unwrap()
}

fn region_scope(code: &str) -> DataScope {
    DataScope::Region {
        code: code.into(),
        path: path(code),
    }
}

#[tokio::test]
async fn every_scope_sees_exactly_its_records() {
    for db in all().await {
        let s = &db.store;
        let sys = Caller::system("t");
        // Records: 3 organizations per county, each with a year, a platform and a person.
        let mut orgs = Vec::new();
        for (ri, r) in REGIONS.iter().enumerate() {
            for k in 0..3u32 {
                let o = fixtures::org(r, ri as u32 * 10 + k, &format!("{r}-单位{k}"));
                let o = s.create_organization(&sys, &o).await.unwrap();
                s.put_enterprise_year(
                    &sys,
                    o.id,
                    2024,
                    &Figures {
                        employees: Some(10),
                        ..Default::default()
                    },
                )
                .await
                .unwrap();
                let p = fixtures::platform(o.id, &format!("{r}-平台{k}"));
                s.create_platform(&sys, &p).await.unwrap();
                let person = fixtures::expert(o.id, &format!("{r}-专家{k}"));
                // One person per county is owned by user 4242 (a 仅本人 expert account).
                let owner = (k == 0 && ri == 0).then_some(4242);
                s.create_person(&sys, &person, b"k", owner).await.unwrap();
                orgs.push(o);
            }
        }
        let all_orgs = s
            .export_organizations(&DataScope::All, &Default::default(), 1000)
            .await
            .unwrap();
        let all_years = s
            .export_enterprise_years(&DataScope::All, &Default::default(), 1000)
            .await
            .unwrap();
        let all_platforms = s
            .export_platforms(&DataScope::All, &Default::default(), 1000)
            .await
            .unwrap();
        let all_persons = s
            .export_persons(&DataScope::All, &Default::default(), 1000)
            .await
            .unwrap();
        assert_eq!(
            (
                all_orgs.len(),
                all_years.len(),
                all_platforms.len(),
                all_persons.len()
            ),
            (15, 15, 15, 15)
        );

        let mut scopes = vec![
            DataScope::All,
            DataScope::SelfOnly { user_id: 4242 },
            DataScope::SelfOnly { user_id: 1 },
        ];
        for r in REGIONS {
            scopes.push(region_scope(r));
        }
        for code in ["410000", "410800", "420000", "110000"] {
            scopes.push(region_scope(code));
        }
        scopes.push(DataScope::Organization { org_id: orgs[4].id });
        scopes.push(DataScope::Organization {
            org_id: orgs[11].id,
        });

        for scope in &scopes {
            let caller = Caller {
                user_id: Some(99),
                username: "m".into(),
                scope: scope.clone(),
                address: None,
            };
            // Organizations.
            let want: BTreeSet<i64> = all_orgs
                .iter()
                .filter(|o| {
                    scope.admits(RecordKeys {
                        region_path: Some(&o.region_path),
                        org_id: Some(o.id),
                        owner_user_id: None,
                    })
                })
                .map(|o| o.id)
                .collect();
            let got: BTreeSet<i64> = s
                .export_organizations(scope, &Default::default(), 1000)
                .await
                .unwrap()
                .iter()
                .map(|o| o.id)
                .collect();
            assert_eq!(got, want, "{} organizations {scope:?}", db.name);
            let page = s
                .list_organizations(scope, &Default::default(), PageRequest::new(1, 500))
                .await
                .unwrap();
            assert_eq!(page.total as usize, want.len());
            for o in &all_orgs {
                let visible = want.contains(&o.id);
                assert_eq!(s.get_organization(scope, o.id).await.is_ok(), visible);
                if !visible {
                    let same = NewOrganization {
                        credit_code: CreditCode::parse(&o.credit_code).unwrap(),
                        name: "越权修改".into(),
                        kind: OrgKind::Enterprise,
                        region: RegionCode::parse(&o.region_code).unwrap(),
                        industry: None,
                        founded_on: None,
                        legal_representative: None,
                        size_class: None,
                    };
                    assert!(matches!(
                        s.update_organization(&caller, o.id, &same).await,
                        Err(StoreError::NotFound)
                    ));
                    assert!(matches!(
                        s.delete_organization(&caller, o.id).await,
                        Err(StoreError::NotFound)
                    ));
                }
            }
            // Enterprise years.
            let want: BTreeSet<i64> = all_years
                .iter()
                .filter(|y| {
                    scope.admits(RecordKeys {
                        region_path: Some(&y.region_path),
                        org_id: Some(y.org_id),
                        owner_user_id: None,
                    })
                })
                .map(|y| y.id)
                .collect();
            let got: BTreeSet<i64> = s
                .export_enterprise_years(scope, &Default::default(), 1000)
                .await
                .unwrap()
                .iter()
                .map(|y| y.id)
                .collect();
            assert_eq!(got, want, "{} years {scope:?}", db.name);
            for y in &all_years {
                if !want.contains(&y.id) {
                    assert!(matches!(
                        s.get_enterprise_year(scope, y.id).await,
                        Err(StoreError::NotFound)
                    ));
                    assert!(matches!(
                        s.delete_enterprise_year(&caller, y.id).await,
                        Err(StoreError::NotFound)
                    ));
                    assert!(
                        s.put_enterprise_year(&caller, y.org_id, 2023, &Figures::default())
                            .await
                            .is_err()
                    );
                }
            }
            // Platforms.
            let want: BTreeSet<i64> = all_platforms
                .iter()
                .filter(|p| {
                    scope.admits(RecordKeys {
                        region_path: Some(&p.region_path),
                        org_id: Some(p.host_org_id),
                        owner_user_id: None,
                    })
                })
                .map(|p| p.id)
                .collect();
            let got: BTreeSet<i64> = s
                .export_platforms(scope, &Default::default(), 1000)
                .await
                .unwrap()
                .iter()
                .map(|p| p.id)
                .collect();
            assert_eq!(got, want, "{} platforms {scope:?}", db.name);
            for p in &all_platforms {
                if !want.contains(&p.id) {
                    assert!(matches!(
                        s.get_platform(scope, p.id).await,
                        Err(StoreError::NotFound)
                    ));
                    assert!(matches!(
                        s.delete_platform(&caller, p.id).await,
                        Err(StoreError::NotFound)
                    ));
                }
            }
            // Persons.
            let want: BTreeSet<i64> = all_persons
                .iter()
                .filter(|p| {
                    scope.admits(RecordKeys {
                        region_path: Some(&p.region_path),
                        org_id: p.org_id,
                        owner_user_id: p.user_id,
                    })
                })
                .map(|p| p.id)
                .collect();
            let got: BTreeSet<i64> = s
                .export_persons(scope, &Default::default(), 1000)
                .await
                .unwrap()
                .iter()
                .map(|p| p.id)
                .collect();
            assert_eq!(got, want, "{} persons {scope:?}", db.name);
            for p in &all_persons {
                if !want.contains(&p.id) {
                    assert!(matches!(
                        s.get_person(scope, p.id).await,
                        Err(StoreError::NotFound)
                    ));
                    assert!(matches!(
                        s.delete_person(&caller, p.id).await,
                        Err(StoreError::NotFound)
                    ));
                }
            }
            // The dashboard counts only what the scope sees.
            let ov = s.overview(scope).await.unwrap();
            let orgs_seen: i64 = ov.organizations_by_kind.iter().map(|c| c.count).sum();
            assert_eq!(
                orgs_seen as usize,
                s.export_organizations(scope, &Default::default(), 1000)
                    .await
                    .unwrap()
                    .len()
            );
        }
        // Nothing outside any scope was changed by the refused writes.
        let after = s
            .export_organizations(&DataScope::All, &Default::default(), 1000)
            .await
            .unwrap();
        assert!(after.iter().all(|o| o.name != "越权修改"));
        assert_eq!(
            s.export_enterprise_years(&DataScope::All, &Default::default(), 1000)
                .await
                .unwrap()
                .len(),
            15
        );
        // Sanity: the matrix is not trivial.
        let city = s
            .export_organizations(&region_scope("410800"), &Default::default(), 1000)
            .await
            .unwrap();
        assert_eq!(city.len(), 6, "焦作市 holds 孟州 and 沁阳");
        db.drop_db().await;
    }
}
