//! 资金与服务 demo for 济源: 2024–2026 programmes with their lists, notices and payments
//! (科技奖补 免申即享 from the registry, 科技创新券, 科技贷贴息, the 科技贷 risk-compensation pool),
//! registered service providers, two shared instruments with a year of use, and loans. Every
//! record goes through the store and the packs, as an officer's work would; past steps carry
//! their past dates. Budgets and document numbers are demonstration values.

use anyhow::{Context, Result};
use chrono::NaiveDate;
use kechuang_domain::funds::*;
use kechuang_domain::organization::{NewOrganization, OrgKind};
use kechuang_domain::region::RegionCode;
use kechuang_server::funds_svc;
use kechuang_store::accounts::NewUser;
use kechuang_store::funds::GrantFilter;
use kechuang_store::{Caller, DataScope, PageRequest, Store};

fn d(s: &str) -> Result<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").context("demo date")
}

fn bad(e: kechuang_domain::Invalid) -> anyhow::Error {
    anyhow::anyhow!("{e}")
}

/// A 济源 programme: the fields given, the region, source, status and note of the demo.
fn programme(i: ProgrammeInput) -> Result<NewProgramme> {
    NewProgramme::parse(
        &ProgrammeInput {
            region: "419001".into(),
            fund_source: "济源示范区本级科技专项资金（示范数据）".into(),
            status: "open".into(),
            note: "示范数据：预算与文号为演示取值".into(),
            ..i
        },
        funds_svc::PROGRAMME_PACKS,
    )
    .map_err(bad)
}

fn pay(on: &str, amount_fen: i64, doc: &str) -> Result<NewPayment> {
    Ok(NewPayment {
        paid_on: d(on)?,
        amount_fen,
        document_no: doc.into(),
        note: String::new(),
    })
}

/// Pays every approved grant of a programme in full on `on`.
pub(crate) async fn pay_all(
    store: &Store,
    caller: &Caller,
    programme_id: i64,
    on: &str,
    doc: &str,
) -> Result<()> {
    let grants = store
        .list_grants(
            &DataScope::All,
            &GrantFilter {
                programme_id: Some(programme_id),
                status: Some("approved".into()),
                ..Default::default()
            },
            PageRequest::new(1, 500),
        )
        .await?
        .items;
    for (i, g) in grants.iter().enumerate() {
        store
            .pay_grant(
                caller,
                g.id,
                &pay(
                    on,
                    g.amount_fen - g.paid_fen,
                    &format!("{doc}-{:03}", i + 1),
                )?,
            )
            .await?;
    }
    Ok(())
}

async fn new_org(
    store: &Store,
    caller: &Caller,
    serial: u64,
    name: &str,
    kind: OrgKind,
    rep: &str,
    industry: &str,
) -> Result<i64> {
    let region = RegionCode::parse("419001")?;
    let o = store
        .create_organization(
            caller,
            &NewOrganization {
                credit_code: crate::demo::credit_code("419001", serial, kind)?,
                name: name.into(),
                kind,
                region,
                industry: Some(kechuang_domain::organization::IndustryCode::parse(
                    industry,
                )?),
                founded_on: NaiveDate::from_ymd_opt(2012, 5, 18),
                legal_representative: Some(rep.into()),
                size_class: None,
            },
        )
        .await?;
    Ok(o.id)
}

/// Loads the funds demo. `ent_id` is the demo enterprise account's organization (`qiye`).
pub async fn load(
    store: &Store,
    caller: &Caller,
    ent_id: i64,
    password_hash: &str,
) -> Result<Vec<String>> {
    let all = DataScope::All;
    let ent = store.get_organization(&all, ent_id).await?;
    // A second 高企 of 济源 (another enterprise than qiye's) for the related-party case.
    let others = store
        .list_organizations(
            &all,
            &kechuang_store::orgs::OrgFilter {
                region: Some("419001".into()),
                kind: Some("enterprise".into()),
                ..Default::default()
            },
            PageRequest::new(1, 50),
        )
        .await?
        .items;
    let mut other = None;
    for o in others
        .iter()
        .filter(|o| o.id != ent_id && o.legal_representative.is_some())
    {
        let t = store.org_titles(o.id, 2026).await?;
        if t.hnte || t.tech_sme {
            other = Some(o);
            break;
        }
    }
    let other = other.context("a second enterprise with a title")?;
    let other_rep = other.legal_representative.clone().unwrap_or_default();

    // ---- providers, a bank, and their accounts ----
    let lab = new_org(
        store,
        caller,
        990_001,
        "济源市产品质量检验检测中心",
        OrgKind::ServiceAgency,
        "王立新",
        "M7452",
    )
    .await?;
    let design = new_org(
        store,
        caller,
        990_002,
        "济源中原工业设计研究院有限公司",
        OrgKind::ServiceAgency,
        "赵文博",
        "M7491",
    )
    .await?;
    let related = new_org(
        store,
        caller,
        990_003,
        "济源科润研发服务有限公司",
        OrgKind::ServiceAgency,
        &other_rep,
        "M7320",
    )
    .await?;
    let bank = new_org(
        store,
        caller,
        990_004,
        "中原银行济源分行",
        OrgKind::Financial,
        "李建华",
        "J6621",
    )
    .await?;
    let bank2 = new_org(
        store,
        caller,
        990_005,
        "济源农村商业银行",
        OrgKind::Financial,
        "周志强",
        "J6621",
    )
    .await?;
    store
        .create_user(
            caller,
            &NewUser {
                username: "fuwu".into(),
                display_name: "济源市产品质量检验检测中心（服务机构用户）".into(),
                password_hash: password_hash.into(),
                scope_kind: "organization".into(),
                region: RegionCode::parse("419001")?,
                org_id: Some(lab),
                roles: vec!["enterprise".into()],
                must_change_password: false,
            },
        )
        .await?;
    for (org, services, quals, related_codes) in [
        (
            lab,
            vec!["testing", "instrument", "consulting"],
            "CMA 计量认证（证书编号 2017160356U，示范）；CNAS 实验室认可 L5321（示范）",
            vec![],
        ),
        (
            design,
            vec!["design", "research", "consulting"],
            "河南省级工业设计中心（示范）",
            vec![],
        ),
        (
            related,
            vec!["research", "testing"],
            "研发服务机构备案（示范）",
            vec![],
        ),
    ] {
        let p = NewProvider::parse(&ProviderInput {
            org_id: org,
            services: services.iter().map(|s| (*s).to_owned()).collect(),
            qualifications: quals.into(),
            prices: "按国家和河南省相关收费标准执行，仪器共享按机时收费".into(),
            contact: "0391-6630000".into(),
            related_codes,
            status: String::new(),
        })
        .map_err(bad)?;
        store.create_provider(caller, &p).await?;
    }
    let providers = store
        .list_providers(&all, &Default::default(), PageRequest::new(1, 10))
        .await?
        .items;
    let provider_of = |org: i64| providers.iter().find(|p| p.org_id == org).map(|p| p.id);
    let lab_provider = provider_of(lab).context("lab provider")?;
    let related_provider = provider_of(related).context("related provider")?;

    // qiye's city engineering centre is recognized at provincial level in 2025 (so the 2025
    // 免申即享 list rewards it, from the registry like every other item).
    store
        .create_platform(
            caller,
            &kechuang_domain::platform::NewPlatform {
                name: format!(
                    "河南省{}工程技术研究中心",
                    ent.name
                        .trim_end_matches("有限责任公司")
                        .trim_end_matches("有限公司")
                ),
                platform_type: kechuang_domain::platform::PlatformType::EngineeringResearchCenter,
                level: kechuang_domain::platform::PlatformLevel::Provincial,
                host_org_id: ent_id,
                recognized_on: Some(d("2025-09-18")?),
                approval_document: Some("豫科〔2025〕126号（示范）".into()),
                status: kechuang_domain::platform::PlatformStatus::Active,
            },
        )
        .await?;

    // ---- 科技奖补（免申即享） 2024, 2025: the registry's list through the rewards pack ----
    for (year, budget, notice_on, pay_on) in [
        (2024, "8000000", "2024-04-08", "2024-05-20"),
        (2025, "8000000", "2025-12-01", "2025-12-22"),
    ] {
        let p = store
            .create_programme(
                caller,
                &programme(ProgrammeInput {
                code: (&format!("JY-JB-{year}")).into(),
                name: (&format!("{year}年度科技奖补（免申即享）")).into(),
                kind: "reward".into(),
                mode: "auto".into(),
                year,
                budget: budget.into(),
                basis: "济源示范区“十四五”科技创新规划：对科研平台建设、科技创新等方面做出突出贡献的单位进行奖励（示范参数见 rewards 政策包）".into(),
                pack: "rewards".into(),
                notice_days: 7,
                valid_days: 0,
                ..Default::default()
            })?,
            )
            .await?;
        let (grants, _) = funds_svc::reward_grants(store, &all, &p)
            .await
            .map_err(|e| anyhow::anyhow!("{}", e.body.message))?;
        store.propose_grants(caller, p.id, &grants).await?;
        store.notice_grants(caller, p.id, d(notice_on)?).await?;
        let ids: Vec<i64> = store
            .list_grants(
                &all,
                &GrantFilter {
                    programme_id: Some(p.id),
                    ..Default::default()
                },
                PageRequest::new(1, 500),
            )
            .await?
            .items
            .iter()
            .map(|g| g.id)
            .collect();
        store
            .approve_grants(caller, p.id, &ids, d(pay_on)? - chrono::Duration::days(5))
            .await?;
        pay_all(
            store,
            caller,
            p.id,
            pay_on,
            &format!("济科财〔{year}〕奖补"),
        )
        .await?;
    }

    // ---- 科技创新券 2025 (closed) and 2026 (open) ----
    let v25 = store
        .create_programme(
            caller,
            &programme(ProgrammeInput {
                code: ("JY-CXQ-2025").into(),
                name: ("2025年度科技创新券").into(),
                kind: "voucher".into(),
                mode: "apply".into(),
                year: 2025,
                budget: "3000000".into(),
                basis:
                    "济源示范区科技创新券实施细则（示范）；参照《青海省科技创新券管理办法》（2025）"
                        .into(),
                pack: "innovation-voucher".into(),
                notice_days: 0,
                valid_days: 180,
                ..Default::default()
            })?,
        )
        .await?;
    let v26 = store
        .create_programme(
            caller,
            &programme(ProgrammeInput {
                code: ("JY-CXQ-2026").into(),
                name: ("2026年度科技创新券").into(),
                kind: "voucher".into(),
                mode: "apply".into(),
                year: 2026,
                budget: "3000000".into(),
                basis:
                    "济源示范区科技创新券实施细则（示范）；参照《青海省科技创新券管理办法》（2025）"
                        .into(),
                pack: "innovation-voucher".into(),
                notice_days: 0,
                valid_days: 365,
                ..Default::default()
            })?,
        )
        .await?;
    let ent_caller = Caller {
        user_id: None,
        username: "demo-enterprise".into(),
        scope: DataScope::Organization { org_id: ent_id },
        address: None,
    };
    // 2025: qiye's voucher used for a test at the lab, redeemed and paid.
    let titles = store.org_titles(ent_id, 2025).await?;
    let (ok, cap, why) = funds_svc::voucher_eligibility(2025, &titles).map_err(bad)?;
    if ok {
        let v = store
            .apply_voucher(&ent_caller, &v25, ent_id, true, &why, d("2025-03-10")?)
            .await?;
        store
            .issue_voucher(caller, v.id, cap, d("2025-03-14")?)
            .await?;
        let o = NewOrder::parse(&OrderInput {
            voucher_id: v.id,
            provider_id: lab_provider,
            service: "testing".into(),
            contract_name: "铅合金材料成分与力学性能检测".into(),
            contract_no: "JYZJ-2025-0412".into(),
            fee: "62000".into(),
            signed_on: "2025-04-12".into(),
        })
        .map_err(bad)?;
        let o = store.place_order(&ent_caller, &o, d("2025-04-12")?).await?;
        store
            .complete_order(
                caller,
                o.id,
                d("2025-05-09")?,
                "检验报告 JYZJ-BG-2025-0877（示范）",
                d("2025-05-09")?,
            )
            .await?;
        let r = store
            .redemption_preview(caller, o.id, d("2025-05-20")?, &funds_svc::voucher_offset)
            .await?;
        store
            .redeem_order(
                caller,
                o.id,
                d("2025-05-20")?,
                &pay("2025-05-28", r.offset_fen, "济科券兑〔2025〕01")?,
                &funds_svc::voucher_offset,
            )
            .await?;
    }
    // 2026: the second enterprise holds a voucher; its order with a provider whose legal
    // representative is its own is completed and awaits redemption — which must be refused.
    let other_caller = Caller {
        user_id: None,
        username: "demo-enterprise-2".into(),
        scope: DataScope::Organization { org_id: other.id },
        address: None,
    };
    let t2 = store.org_titles(other.id, 2026).await?;
    let (_, cap2, why2) = funds_svc::voucher_eligibility(2026, &t2).map_err(bad)?;
    let v2 = store
        .apply_voucher(&other_caller, &v26, other.id, true, &why2, d("2026-10-09")?)
        .await?;
    store
        .issue_voucher(caller, v2.id, cap2, d("2026-10-15")?)
        .await?;
    let o2 = NewOrder::parse(&OrderInput {
        voucher_id: v2.id,
        provider_id: related_provider,
        service: "research".into(),
        contract_name: "新型耐蚀合金配方研究开发".into(),
        contract_no: "KR-2026-031".into(),
        fee: "150000".into(),
        signed_on: "2026-10-20".into(),
    })
    .map_err(bad)?;
    let o2 = store
        .place_order(&other_caller, &o2, d("2026-10-20")?)
        .await?;
    store
        .complete_order(
            caller,
            o2.id,
            d("2026-11-25")?,
            "研究报告《新型耐蚀合金配方》及配方样品（示范）",
            d("2026-11-25")?,
        )
        .await?;

    // ---- shared instruments at the lab, with a year of use ----
    let mut ins_ids = Vec::new();
    for (name, model, cat, value, fee) in [
        (
            "液相色谱-质谱联用仪",
            "Agilent 6470B",
            "分析仪器",
            "1860000",
            "350",
        ),
        (
            "扫描电子显微镜",
            "ZEISS Sigma 300",
            "电子光学仪器",
            "950000",
            "280",
        ),
    ] {
        let i = NewInstrument::parse(&InstrumentInput {
            name: name.into(),
            model: model.into(),
            category: cat.into(),
            original_value: value.into(),
            host_org_id: lab,
            location: "济源市产品质量检验检测中心 实验楼3层".into(),
            status: "open".into(),
            fee_per_hour: fee.into(),
            rated_hours: 1600,
            manager: "王立新".into(),
        })
        .map_err(bad)?;
        ins_ids.push(store.create_instrument(caller, &i).await?.id);
    }
    let lab_caller = Caller {
        user_id: None,
        username: "demo-lab".into(),
        scope: DataScope::Organization { org_id: lab },
        address: None,
    };
    for month in 1..=11u32 {
        for (k, (who, who_caller)) in [
            (ent_id, &ent_caller),
            (other.id, &other_caller),
            (lab, &lab_caller),
        ]
        .into_iter()
        .enumerate()
        {
            let day = 3 + 7 * k as u32;
            let starts = NaiveDate::from_ymd_opt(2026, month, day)
                .and_then(|x| x.and_hms_opt(9, 0, 0))
                .context("slot")?;
            let b = NewBooking {
                starts_at: starts,
                ends_at: starts + chrono::Duration::hours(4),
                purpose: if who == lab {
                    "本单位检测任务"
                } else {
                    "送样检测"
                }
                .into(),
            };
            let ins = ins_ids[(month as usize + k) % ins_ids.len()];
            let booked = store.book_instrument(who_caller, ins, who, &b).await?;
            store
                .record_usage(&lab_caller, booked.id, 210 + 10 * k as i64)
                .await?;
        }
    }
    // A future booking by the second enterprise, for the overlap the calendar must refuse.
    let tomorrow = kechuang_server::api::today() + chrono::Duration::days(1);
    let starts = tomorrow.and_hms_opt(9, 0, 0).context("slot")?;
    store
        .book_instrument(
            &other_caller,
            ins_ids[0],
            other.id,
            &NewBooking {
                starts_at: starts,
                ends_at: starts + chrono::Duration::hours(3),
                purpose: "送样检测：合金成分分析".into(),
            },
        )
        .await?;

    // ---- 2026: 仪器共享后补助 (免申即享, from the year's booking records) and 科技保险 ----
    store
        .create_programme(
            caller,
            &programme(ProgrammeInput {
                code: "JY-YQ-2026".into(),
                name: "2026年度大型科研仪器开放共享后补助".into(),
                kind: "instrument".into(),
                mode: "auto".into(),
                year: 2026,
                budget: "1000000".into(),
                basis: "国科办基〔2022〕93号实施细则（2026年修订）：评价良好以上给予后补助；比例与上限见 instrument-subsidy 政策包".into(),
                pack: "instrument-subsidy".into(),
                notice_days: 7,
                ..Default::default()
            })?,
        )
        .await?;
    store
        .create_programme(
            caller,
            &programme(ProgrammeInput {
                code: "JY-BX-2026".into(),
                name: "2026年度科技保险保费补贴".into(),
                kind: "insurance".into(),
                mode: "apply".into(),
                year: 2026,
                budget: "1000000".into(),
                basis: "济源示范区“十四五”科技创新规划：对研发责任保险、关键研发设备保险、产品质量保证保险、小额贷款保证保险、“揭榜险”给予保费补贴（比例与上限见 tech-insurance 政策包）".into(),
                pack: "tech-insurance".into(),
                notice_days: 7,
                ..Default::default()
            })?,
        )
        .await?;

    // ---- 科技贷: the pool (2024–), loans, one default; 贴息 of 2025 ----
    let pool = store
        .create_programme(
            caller,
            &programme(ProgrammeInput {
                code: ("JY-KJD-2024").into(),
                name: ("济源示范区科技贷风险补偿资金池").into(),
                kind: "compensation".into(),
                mode: "apply".into(),
                year: 2024,
                budget: "20000000".into(),
                basis: "济源示范区“十四五”科技创新规划：设立科技贷风险补偿资金池；豫科〔2025〕45号（补偿比例与上限见 loan-compensation 政策包）".into(),
                pack: "loan-compensation".into(),
                notice_days: 0,
                valid_days: 0,
                ..Default::default()
            })?,
        )
        .await?;
    store
        .pool_receipt(
            caller,
            pool.id,
            &kechuang_store::funds::finance::PoolReceipt {
                kind: PoolEntryKind::Deposit,
                amount_fen: 1_000_000_000,
                on: d("2024-03-01")?,
                document_no: "济财预〔2024〕12号（示范）".into(),
                note: "首期注资".into(),
            },
        )
        .await?;
    store
        .pool_receipt(
            caller,
            pool.id,
            &kechuang_store::funds::finance::PoolReceipt {
                kind: PoolEntryKind::Deposit,
                amount_fen: 500_000_000,
                on: d("2025-03-03")?,
                document_no: "济财预〔2025〕09号（示范）".into(),
                note: "追加注资".into(),
            },
        )
        .await?;
    let mut loans = Vec::new();
    for (org, b, no, amount, rate, s, e, credit) in [
        (
            ent_id,
            bank,
            "ZYJY-KJD-2024-018",
            "5000000",
            "3.65",
            "2024-06-01",
            "2026-05-31",
            false,
        ),
        (
            other.id,
            bank,
            "ZYJY-KJD-2024-025",
            "3000000",
            "3.45",
            "2024-08-15",
            "2027-08-14",
            true,
        ),
        (
            others
                .iter()
                .find(|o| o.id != ent_id && o.id != other.id)
                .map(|o| o.id)
                .unwrap_or(other.id),
            bank2,
            "JYNS-KJD-2024-006",
            "2000000",
            "4.15",
            "2024-09-20",
            "2025-09-19",
            false,
        ),
    ] {
        let l = NewLoan::parse(&LoanInput {
            programme_id: pool.id,
            org_id: org,
            bank_org_id: b,
            contract_no: no.into(),
            amount: amount.into(),
            rate: rate.into(),
            start_on: s.into(),
            end_on: e.into(),
            credit,
            first_loan: false,
        })
        .map_err(bad)?;
        loans.push(store.register_loan(caller, &l).await?);
    }
    store
        .compensate_loan(
            caller,
            loans[2].id,
            120_000_000,
            d("2025-11-20")?,
            "济科贷偿〔2025〕03号（示范）",
            &funds_svc::compensation,
        )
        .await?;
    let tx25 = store
        .create_programme(
            caller,
            &programme(ProgrammeInput {
                code: ("JY-TX-2025").into(),
                name: ("2025年度科技贷贴息").into(),
                kind: "interest".into(),
                mode: "apply".into(),
                year: 2025,
                budget: "2000000".into(),
                basis: "济源示范区“十四五”科技创新规划：落实科技贷、贷款贴息（比例与上限见 loan-interest 政策包）".into(),
                pack: "loan-interest".into(),
                notice_days: 7,
                valid_days: 0,
                ..Default::default()
            })?,
        )
        .await?;
    for l in &loans[..2] {
        let received = store.interest_received(l.org_id).await?;
        let interest = l.amount_fen * 365 / 10_000; // 3.65% of the principal for the year
        let a = funds_svc::interest_subsidy(2025, interest, true, l.tech_firm, received)
            .map_err(bad)?;
        if a.amount_fen > 0 {
            store
                .claim_interest(caller, l.id, tx25.id, 2025, &a)
                .await?;
        }
    }
    store
        .notice_grants(caller, tx25.id, d("2025-12-01")?)
        .await?;
    let ids: Vec<i64> = store
        .list_grants(
            &all,
            &GrantFilter {
                programme_id: Some(tx25.id),
                ..Default::default()
            },
            PageRequest::new(1, 50),
        )
        .await?
        .items
        .iter()
        .map(|g| g.id)
        .collect();
    store
        .approve_grants(caller, tx25.id, &ids, d("2025-12-10")?)
        .await?;
    pay_all(store, caller, tx25.id, "2025-12-18", "济科财〔2025〕贴息").await?;
    // This year's 贴息 programme, open for claims.
    store
        .create_programme(
            caller,
            &programme(ProgrammeInput {
                code: "JY-TX-2026".into(),
                name: "2026年度科技贷贴息".into(),
                kind: "interest".into(),
                mode: "apply".into(),
                year: 2026,
                budget: "2000000".into(),
                basis: "济源示范区“十四五”科技创新规划：落实科技贷、贷款贴息（比例与上限见 loan-interest 政策包）".into(),
                pack: "loan-interest".into(),
                notice_days: 7,
                ..Default::default()
            })?,
        )
        .await?;
    Ok(vec!["fuwu".into()])
}
