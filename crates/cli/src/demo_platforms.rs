//! 平台载体与科技奖励 demo for 济源: yearly reports 2021–2025 of a set of platforms and carriers,
//! evaluated each year through a real review round and graded by the `platform-evaluation`
//! pack (a 众创空间 failing twice and losing its status; an 优秀 feeding the 2025 科技奖补);
//! an upgrade from 市级 to 省级 (one platform, two recognitions); the demo enterprise's own
//! 市级工程技术研究中心 with its 2025 report in draft and a pending 认定申报; a reserve pool with
//! the gaps to 省级; carriers with their 在孵企业 (entered, graduated, exited); the 2025 city
//! science award conferred, the 2026 one at the end of its notice; provincial awards won in
//! 2025 (matched by the 2025 科技奖补). Figures and names are demonstration values.

use anyhow::{Context, Result};
use chrono::NaiveDate;
use kechuang_domain::award::{AwardCategory, NewCall, NewNomination, NewWin, WinLevel};
use kechuang_domain::organization::{NewOrganization, OrgKind};
use kechuang_domain::platform::{NewPlatform, PlatformLevel, PlatformStatus, PlatformType};
use kechuang_domain::platform_life::{
    Criterion, Leave, NewIncubatee, NewRecognition, NewReport, RecognitionDecision,
    RecognitionTarget,
};
use kechuang_domain::region::RegionCode;
use kechuang_domain::review::{NewRound, ObjectKind};
use kechuang_server::platform_svc;
use kechuang_store::platforms::{Platform, PlatformFilter};
use kechuang_store::review::ScoreInput;
use kechuang_store::{Caller, DataScope, Store};
use rust_decimal::Decimal;

fn d(s: &str) -> Result<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").context("demo date")
}

fn bad(e: kechuang_domain::Invalid) -> anyhow::Error {
    anyhow::anyhow!("{e}")
}

fn api(e: kechuang_server::error::ApiError) -> anyhow::Error {
    anyhow::anyhow!("{}", e.body.message)
}

/// Assign (optimal), publish, score every task at `share(object_ref)` per cent of each
/// criterion's maximum, close.
async fn run_round(
    store: &Store,
    caller: &Caller,
    round_id: i64,
    today: NaiveDate,
    share: impl Fn(&str) -> u32,
    comment: &str,
) -> Result<()> {
    let all = DataScope::All;
    let inputs = store.review_inputs(&all, round_id).await?;
    let (picks, _, summary) = kechuang_server::review_svc::assign(
        &inputs,
        &kechuang_server::review_svc::AssignRequest {
            mode: "optimal".into(),
            seed: None,
            fairness: false,
        },
        today,
    )
    .map_err(api)?;
    store
        .set_assignments(
            caller,
            round_id,
            kechuang_domain::review::AssignmentMethod::Optimal,
            &picks,
            summary,
        )
        .await?;
    store.publish_round(caller, round_id).await?;
    for a in store.list_assignments(&all, Some(round_id)).await? {
        let s = share(a.object_ref.as_deref().unwrap_or_default());
        store
            .submit_scores(
                caller,
                a.id,
                &ScoreInput {
                    scores: a
                        .form
                        .iter()
                        .map(|c| (c.key.clone(), f64::from(c.max * s / 100)))
                        .collect(),
                    comment: Some(comment.into()),
                },
            )
            .await?;
    }
    store.close_round(caller, round_id).await?;
    Ok(())
}

fn round(title: String, kind: ObjectKind, due: NaiveDate, today: NaiveDate) -> Result<NewRound> {
    Ok(NewRound {
        title,
        object_kind: kind,
        region: Some(RegionCode::parse("419001")?),
        reviewers_per_item: 3,
        max_load: 20,
        coauthor_years: 3,
        exclude_same_county: false,
        due_on: Some(due.min(today + chrono::Duration::days(7))),
        form: Vec::new(),
    })
}

/// The figures of platform `k` in `year`; `weak` keeps them below the provincial lines.
fn report(platform_id: i64, k: i64, year: i32, carrier: bool, weak: bool) -> NewReport {
    let t = i64::from(year - 2021);
    let staff = if weak { 16 + t * 2 } else { 24 + k * 3 + t * 2 };
    NewReport {
        platform_id,
        year,
        staff,
        senior_staff: if weak { 3 } else { staff / 4 },
        rd_staff: staff * 6 / 10,
        rd_spending_fen: if weak {
            (150 + t * 15) * 1_000_000
        } else {
            (220 + k * 35 + t * 30) * 1_000_000
        },
        income_fen: (900 + k * 120 + t * 80) * 1_000_000,
        equipment_fen: if weak { 300 } else { 380 + k * 60 } * 1_000_000,
        area: Decimal::from(if carrier {
            16_500
        } else if weak {
            240
        } else {
            280 + k * 40
        }),
        projects: 2 + (k + t) % 4,
        patents: 3 + k % 5 + t,
        papers: 2 + (k * 3 + t) % 6,
        standards: (k + t) % 3,
        transfers: 1 + (k + t) % 4,
        summary: format!(
            "{year}年度围绕主攻方向开展研发和成果转化，研发投入、人员和产出情况见年报各项数据。"
        ),
        seed_fund_fen: carrier.then_some(600 * 1_000_000),
        mentors: carrier.then_some(5),
        service_staff: carrier.then_some(10),
    }
}

/// Platforms' lives and the awards, loaded before the funds demo so that the 2024 and 2025
/// 科技奖补 lists include the upgrade, the 优秀 grades and the provincial awards won.
pub async fn load(store: &Store, admin: &Caller, ent_id: i64) -> Result<()> {
    let all = DataScope::All;
    let today = kechuang_server::api::today();
    let ent = store.get_organization(&all, ent_id).await?;
    let caller = Caller {
        user_id: admin.user_id,
        username: admin.username.clone(),
        scope: DataScope::Region {
            code: "419001".into(),
            path: ent.region_path.clone(),
        },
        address: None,
    };
    let caller = &caller;
    let plats = |t: PlatformType, l: PlatformLevel| PlatformFilter {
        platform_type: Some(t.as_str().into()),
        level: Some(l.as_str().into()),
        sort: Some("recognized_on".into()),
        order: Some(kechuang_store::SortOrder::Asc),
        ..Default::default()
    };
    let city_ercs: Vec<Platform> = store
        .export_platforms(
            &all,
            &plats(PlatformType::EngineeringResearchCenter, PlatformLevel::City),
            1000,
        )
        .await?;
    let labs = store
        .export_platforms(
            &all,
            &plats(PlatformType::KeyLaboratory, PlatformLevel::City),
            1000,
        )
        .await?;
    let incubators = store
        .export_platforms(
            &all,
            &plats(PlatformType::Incubator, PlatformLevel::Provincial),
            10,
        )
        .await?;
    let spaces = store
        .export_platforms(
            &all,
            &plats(PlatformType::MakerSpace, PlatformLevel::City),
            20,
        )
        .await?;
    // The demo enterprise's own 市级工程技术研究中心 (recognized 2023).
    let short = ent
        .name
        .trim_end_matches("股份有限公司")
        .trim_end_matches("有限责任公司")
        .trim_end_matches("有限公司")
        .to_owned();
    let own = store
        .create_platform(
            caller,
            &NewPlatform {
                name: format!("济源市{short}工程技术研究中心"),
                platform_type: PlatformType::EngineeringResearchCenter,
                level: PlatformLevel::City,
                host_org_id: ent_id,
                recognized_on: Some(d("2023-05-18")?),
                approval_document: Some("济科〔2023〕21号".into()),
                status: PlatformStatus::Active,
            },
        )
        .await?;
    // (platform, k, carrier, weak, first year)
    let mut set: Vec<(Platform, i64, bool, bool, i32)> = Vec::new();
    for (k, p) in city_ercs.iter().take(5).enumerate() {
        set.push((p.clone(), k as i64, false, k >= 3, 2021));
    }
    for (k, p) in labs.iter().rev().take(2).enumerate() {
        set.push((p.clone(), 5 + k as i64, false, false, 2021));
    }
    for (k, p) in incubators.iter().enumerate() {
        set.push((p.clone(), 7 + k as i64, true, false, 2021));
    }
    let failing = spaces.first().cloned().context("demo maker space")?;
    set.push((failing.clone(), 10, true, true, 2021));
    set.push((own.clone(), 11, false, true, 2023));
    // The first city ERC is upgraded to 省级 in 2024: apply in March, recognized in October.
    let upgraded = set[0].0.clone();
    let r = store
        .apply_recognition(
            caller,
            &NewRecognition {
                target: RecognitionTarget::Existing(upgraded.id),
                level: PlatformLevel::Provincial,
                summary: "对照河南省工程技术研究中心认定条件，固定人员、研发投入、仪器设备和场地均已达标，申请升级为省级。"
                    .into(),
            },
            d("2024-03-15")?,
        )
        .await?;
    store
        .decide_recognition(
            caller,
            r.id,
            &RecognitionDecision {
                recognize: true,
                document: "豫科〔2024〕156号".into(),
                recognized_on: Some(d("2024-10-20")?),
                note: "经省科技厅组织评审，认定为河南省工程技术研究中心".into(),
            },
        )
        .await?;
    // Scores: mostly 良好/合格, the second ERC 优秀 in 2024 (→ the 2025 奖补), the maker space
    // failing 2022 (整改) and 2023 (摘牌).
    let share = |k: i64, year: i32| -> u32 {
        match (k, year) {
            (10, 2022) => 55,
            (10, 2023) => 52,
            (1, 2024) => 95,
            _ => 68 + ((k as u32) * 7 + (year as u32) * 3) % 24,
        }
    };
    let mut report_k: std::collections::HashMap<String, (i64, i32)> = Default::default();
    for year in 2021..=2025 {
        let mut ids = Vec::new();
        for (p, k, carrier, weak, first) in &set {
            if year < *first {
                continue;
            }
            let current: Platform = store.get_platform(&all, p.id).await?;
            if current.status == PlatformStatus::Revoked.as_str() {
                continue;
            }
            let r = store
                .create_platform_report(caller, &report(p.id, *k, year, *carrier, *weak))
                .await?;
            report_k.insert(format!("platform_report:{}", r.id), (*k, year));
            if year == 2025 && p.id == own.id {
                continue; // the demo enterprise's 2025 report stays a draft
            }
            store
                .submit_platform_report(caller, r.id, d(&format!("{}-01-20", year + 1))?)
                .await?;
            ids.push(r.id);
        }
        if year == 2025 {
            break; // 2025 reports wait for this year's evaluation
        }
        let on = d(&format!("{}-03-10", year + 1))?;
        let rd = store
            .start_platform_evaluation(
                caller,
                &NewRound {
                    form: vec![
                        criterion("conditions", "研发条件与投入", 25),
                        criterion("output", "研发产出", 30),
                        criterion("service", "成果转化与服务", 25),
                        criterion("management", "运行管理", 20),
                    ],
                    ..round(
                        format!("{year}年度创新平台绩效评价"),
                        ObjectKind::PlatformEvaluation,
                        on + chrono::Duration::days(20),
                        today,
                    )?
                },
                &ids,
                &["管理科学与工程".to_owned(), "材料科学与工程".to_owned()],
            )
            .await?;
        run_round(
            store,
            caller,
            rd.id,
            today,
            |r| report_k.get(r).map(|(k, y)| share(*k, *y)).unwrap_or(80),
            "年报数据完整，研发投入与产出与上年相比有变化，已按评分要点打分。",
        )
        .await?;
        let inputs = store.grade_inputs(&all, rd.id).await?;
        let answers = inputs
            .iter()
            .map(platform_svc::grade)
            .collect::<Result<Vec<_>, _>>()
            .map_err(bad)?;
        store
            .apply_grades(caller, rd.id, &answers, d(&format!("{}-04-15", year + 1))?)
            .await?;
    }
    // A pending 认定申报 of the demo enterprise: its 研发中心 as a 市级企业技术中心.
    store
        .apply_recognition(
            caller,
            &NewRecognition {
                target: RecognitionTarget::New {
                    name: format!("济源市{short}企业技术中心"),
                    platform_type: PlatformType::EnterpriseTechCenter,
                    host_org_id: ent_id,
                },
                level: PlatformLevel::City,
                summary: "企业研发中心运行三年，研发人员28人，年研发投入460万元，申请认定为市级企业技术中心。".into(),
            },
            today - chrono::Duration::days(12),
        )
        .await?;
    // 培育后备库: toward 省级工程技术研究中心 and 国家级孵化器; the upgraded one has left.
    let e = store
        .enter_pool(
            caller,
            upgraded.id,
            "engineering-center",
            "省级工程技术研究中心",
            "2022年入库培育",
            d("2022-03-01")?,
        )
        .await?;
    store
        .exit_pool(
            caller,
            e.id,
            "已于2024年10月认定为河南省工程技术研究中心（豫科〔2024〕156号）",
            d("2024-10-25")?,
        )
        .await?;
    for (p, note) in [
        (&own, "企业主动申请，对照省级条件逐项补短板"),
        (&set[1].0, "2024年度绩效评价优秀，重点培育"),
        (&set[3].0, "研发投入偏低，需加大投入"),
    ] {
        store
            .enter_pool(
                caller,
                p.id,
                "engineering-center",
                "省级工程技术研究中心",
                note,
                d("2025-04-20")?,
            )
            .await?;
    }
    if let Some(inc) = incubators.first() {
        store
            .enter_pool(
                caller,
                inc.id,
                "incubator-national",
                "国家级科技企业孵化器",
                "争创国家级科技企业孵化器",
                d("2025-04-20")?,
            )
            .await?;
    }
    awards(store, caller, &ent, today).await?;
    Ok(())
}

/// The carriers' 在孵企业 (new young enterprises), loaded after the funds demo, whose choice
/// of enterprises reads the newest registrations.
pub async fn load_incubatees(store: &Store, admin: &Caller) -> Result<()> {
    let all = DataScope::All;
    let f = |t: PlatformType, l: PlatformLevel| PlatformFilter {
        platform_type: Some(t.as_str().into()),
        level: Some(l.as_str().into()),
        sort: Some("recognized_on".into()),
        order: Some(kechuang_store::SortOrder::Asc),
        ..Default::default()
    };
    let incubators = store
        .export_platforms(
            &all,
            &f(PlatformType::Incubator, PlatformLevel::Provincial),
            10,
        )
        .await?;
    let spaces = store
        .export_platforms(&all, &f(PlatformType::MakerSpace, PlatformLevel::City), 20)
        .await?;
    incubatees(store, admin, &incubators, &spaces).await
}

fn criterion(key: &str, label: &str, max: u32) -> kechuang_domain::review::Criterion {
    kechuang_domain::review::Criterion {
        key: key.into(),
        label: label.into(),
        max,
        guide: None,
    }
}

const STARTUPS: &[&str] = &[
    "济源市纳研新材料科技有限公司",
    "济源市锂源储能科技有限公司",
    "济源市智造云工业软件有限公司",
    "济源市冬凌生物科技有限公司",
    "济源市合金谷检测技术有限公司",
    "济源市光伏智联科技有限公司",
    "济源市绿冶环保科技有限公司",
    "济源市数智农服科技有限公司",
    "济源市精密传感技术有限公司",
    "济源市氢能装备科技有限公司",
    "济源市微纳粉体材料有限公司",
    "济源市康源医疗器械有限公司",
    "济源市碳谷新能源科技有限公司",
    "济源市云帆电子商务有限公司",
    "济源市晶硅材料科技有限公司",
    "济源市机器人系统集成有限公司",
    "济源市易检仪器科技有限公司",
    "济源市核桃深加工科技有限公司",
    "济源市工业互联网科技有限公司",
    "济源市环宇节能科技有限公司",
    "济源市特钢焊材科技有限公司",
    "济源市绿源农业科技有限公司",
];

async fn incubatees(
    store: &Store,
    caller: &Caller,
    incubators: &[Platform],
    spaces: &[Platform],
) -> Result<()> {
    let limits = platform_svc::entry_limits(2025).map_err(bad)?;
    let carriers: Vec<&Platform> = incubators.iter().chain(spaces.iter().skip(1)).collect();
    for (i, name) in STARTUPS.iter().enumerate() {
        let i = i as u32;
        let founded = NaiveDate::from_ymd_opt(2020 + (i % 5) as i32, 1 + i % 12, 8 + i % 20)
            .context("founded")?;
        let o = store
            .create_organization(
                caller,
                &NewOrganization {
                    credit_code: crate::demo::credit_code(
                        "419001",
                        991_000 + u64::from(i),
                        OrgKind::Enterprise,
                    )?,
                    name: (*name).into(),
                    kind: OrgKind::Enterprise,
                    region: RegionCode::parse("419001")?,
                    industry: Some(kechuang_domain::organization::IndustryCode::parse("M7340")?),
                    founded_on: Some(founded),
                    legal_representative: Some("王振宇".into()),
                    size_class: None,
                },
            )
            .await?;
        // Most in the first incubator; a few in the second and a maker space.
        let carrier = match i {
            0..=15 => carriers[0],
            16..=19 => carriers[1.min(carriers.len() - 1)],
            _ => carriers[carriers.len() - 1],
        };
        let entered = founded + chrono::Duration::days(120 + i64::from(i % 7) * 40);
        let inc = store
            .add_incubatee(
                caller,
                carrier.id,
                &NewIncubatee {
                    org_id: o.id,
                    entered_on: entered,
                    note: String::new(),
                },
                limits,
            )
            .await?;
        // Two in three of those in for 900 days have graduated; one left early.
        let left = entered + chrono::Duration::days(900);
        if i % 3 != 1 && left < kechuang_server::api::today() {
            store
                .leave_incubatee(
                    caller,
                    inc.id,
                    &Leave {
                        on: left,
                        criterion: Some(if i.is_multiple_of(2) {
                            Criterion::Hnte
                        } else {
                            Criterion::Revenue
                        }),
                        reason: "经认定为高新技术企业，办理毕业".into(),
                    },
                )
                .await?;
        } else if i == 7 {
            store
                .leave_incubatee(
                    caller,
                    inc.id,
                    &Leave {
                        on: entered + chrono::Duration::days(400),
                        criterion: None,
                        reason: "企业迁出济源，退出孵化".into(),
                    },
                )
                .await?;
        }
    }
    Ok(())
}

async fn awards(
    store: &Store,
    caller: &Caller,
    ent: &kechuang_store::orgs::Organization,
    today: NaiveDate,
) -> Result<()> {
    let all = DataScope::All;
    let orgs = store
        .list_organizations(
            &all,
            &kechuang_store::orgs::OrgFilter {
                region: Some("419001".into()),
                kind: Some("enterprise".into()),
                ..Default::default()
            },
            kechuang_store::PageRequest::new(1, 40),
        )
        .await?
        .items;
    let persons = store
        .list_persons(
            &all,
            &kechuang_store::persons::PersonFilter::default(),
            kechuang_store::PageRequest::new(1, 400),
        )
        .await?
        .items;
    let team_of = |org: i64, n: usize| -> Vec<i64> {
        let mut v: Vec<i64> = persons
            .iter()
            .filter(|p| p.org_id == Some(org) && !p.is_expert)
            .map(|p| p.id)
            .take(n)
            .collect();
        if v.is_empty() {
            v = persons
                .iter()
                .filter(|p| !p.is_expert)
                .map(|p| p.id)
                .take(n)
                .collect();
        }
        v
    };
    let titles = [
        (
            "高纯铅绿色冶炼关键技术研发与产业化",
            AwardCategory::Progress,
        ),
        ("高强耐磨特种钢短流程制备技术", AwardCategory::Invention),
        (
            "冬凌草规范化种植与有效成分提取技术",
            AwardCategory::Progress,
        ),
        ("有色冶炼烟气深度治理与资源化利用", AwardCategory::Progress),
        ("纳米氧化锌可控制备及应用", AwardCategory::Invention),
        (
            "工业互联网平台在冶金企业的集成应用",
            AwardCategory::Progress,
        ),
    ];
    for (year, nominate_until, notice_on, confer_on) in [
        (2025, "2025-06-30", Some("2025-11-10"), Some("2025-12-18")),
        (2026, "2026-07-15", None, None),
    ] {
        let call = store
            .create_award_call(
                caller,
                &NewCall {
                    year,
                    title: format!("{year}年度济源市科学技术奖"),
                    nominate_until: d(nominate_until)?,
                    note: "奖励在济源市科学技术进步、技术发明和自然科学研究中作出突出贡献的单位和个人。".into(),
                },
                platform_svc::notice_days(year).map_err(bad)?,
            )
            .await?;
        let on = d(&format!("{year}-05-20"))?;
        let mut share = std::collections::HashMap::new();
        let n = if year == 2025 { 4 } else { 3 };
        for k in 0..n {
            let (title, category) = titles[(k + if year == 2025 { 0 } else { 3 }) % titles.len()];
            let org = if year == 2026 && k == 0 {
                ent.id
            } else {
                orgs.get(k * 3 + year as usize % 5)
                    .map(|o| o.id)
                    .unwrap_or(ent.id)
            };
            let nm = store
                .create_nomination(
                    caller,
                    &NewNomination {
                        call_id: call.id,
                        category,
                        title: title.into(),
                        org_id: org,
                        team: team_of(org, 3),
                        summary: format!("{title}：项目围绕济源主导产业的关键技术开展攻关，形成自主知识产权并实现应用，近三年新增销售收入和利润显著。"),
                    },
                    on,
                )
                .await?;
            store.submit_nomination(caller, nm.id, on).await?;
            store
                .check_nomination(caller, nm.id, true, "材料齐全，符合提名要求")
                .await?;
            share.insert(
                format!("award_nomination:{}", nm.id),
                [93u32, 84, 73, 61][k % 4],
            );
        }
        let rd = store
            .start_award_review(
                caller,
                call.id,
                &NewRound {
                    form: vec![
                        criterion("innovation", "创新性", 30),
                        criterion("level", "技术水平", 25),
                        criterion("benefit", "经济社会效益", 30),
                        criterion("prospect", "推广应用前景", 15),
                    ],
                    ..round(
                        format!("{year}年度济源市科学技术奖专家评审"),
                        ObjectKind::Award,
                        d(&format!("{year}-09-30"))?,
                        today,
                    )?
                },
            )
            .await?;
        run_round(
            store,
            caller,
            rd.id,
            today,
            |r| share.get(r).copied().unwrap_or(75),
            "创新点明确，应用效益有据可查，已按评分要点打分。",
        )
        .await?;
        let (c, rows) = store.panel_inputs(&all, call.id).await?;
        let answers = platform_svc::panel(&c, &rows).map_err(bad)?;
        // 2026: the notice ended yesterday, waiting for 授奖.
        let notice = match notice_on {
            Some(s) => d(s)?,
            None => today - chrono::Duration::days(platform_svc::notice_days(year).map_err(bad)?),
        };
        store.apply_panel(caller, call.id, &answers, notice).await?;
        if let Some(s) = confer_on {
            store.confer_awards(caller, call.id, d(s)?).await?;
        }
    }
    // Provincial awards won in 2025: the 2025 科技奖补 matches them (rewards pack category 4).
    for (k, (name, grade, prize, doc)) in [
        (
            "河南省科学技术进步奖",
            "一等奖",
            "100000",
            "豫政〔2025〕12号",
        ),
        (
            "河南省科学技术进步奖",
            "二等奖",
            "50000",
            "豫政〔2025〕12号",
        ),
    ]
    .into_iter()
    .enumerate()
    {
        store
            .create_award_win(
                caller,
                &NewWin {
                    org_id: orgs.get(k + 1).map(|o| o.id).unwrap_or(ent.id),
                    level: WinLevel::Provincial,
                    award_name: name.into(),
                    grade: grade.into(),
                    year: 2025,
                    prize_fen: prize.parse::<i64>()? * 100,
                    document: doc.into(),
                },
            )
            .await?;
    }
    Ok(())
}
