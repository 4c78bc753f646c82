//! 人才与科技特派员 demo for 济源. Three batches of 科技特派员 (2018–2020 under 济科〔2018〕37号,
//! 2021–2023, 2024–2026), dispatched to villages of 济源's towns, with service logs whose
//! 2018–2020 totals are the plan's “累计开展科技服务1842次，服务农户25800人”, the villages' ratings
//! and the yearly assessments computed by the pack; the commissioner account `tepai`. Talents:
//! the 2025 recognitions through a real review round, a 2026 application reviewed and awaiting
//! 认定, one submitted and one draft; innovation teams; the experts of the 院士工作站 and of a
//! 中原学者工作站; the 2025 support programmes (特派员工作经费, 人才购房补贴) paid, the 2026 ones
//! open. Names of people, villages' figures and document numbers are demonstration values.

use anyhow::{Context, Result};
use chrono::{Datelike, NaiveDate};
use kechuang_domain::funds::{NewProgramme, ProgrammeInput};
use kechuang_domain::organization::{NewOrganization, OrgKind};
use kechuang_domain::people::*;
use kechuang_domain::person::{NewPerson, TitleLevel};
use kechuang_domain::platform::{NewPlatform, PlatformLevel, PlatformStatus, PlatformType};
use kechuang_domain::region::RegionCode;
use kechuang_domain::review::{Criterion, NewRound, ObjectKind};
use kechuang_server::{funds_svc, people_svc};
use kechuang_store::accounts::NewUser;
use kechuang_store::funds::GrantFilter;
use kechuang_store::review::ScoreInput;
use kechuang_store::{Caller, DataScope, PageRequest, Store};

fn d(s: &str) -> Result<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").context("demo date")
}

fn bad(e: kechuang_domain::Invalid) -> anyhow::Error {
    anyhow::anyhow!("{e}")
}

fn api(e: kechuang_server::error::ApiError) -> anyhow::Error {
    anyhow::anyhow!("{}", e.body.message)
}

/// 济源's towns and one village each (GB/T 2260 stops at 419001; the place names the village).
const VILLAGES: &[&str] = &[
    "王屋镇愚公村",
    "邵原镇双房村",
    "大峪镇寺郎腰村",
    "坡头镇留庄村",
    "思礼镇水洪池村",
    "承留镇花石村",
    "下冶镇石槽沟村",
    "克井镇枣庙村",
    "梨林镇大许村",
    "五龙口镇南官庄村",
    "轵城镇西轵城村",
];

/// Commissioners' fields and what their logs say.
const FIELDS: &[(&str, &str)] = &[
    ("果树学", "薄皮核桃修剪与病虫害防治现场指导"),
    ("中药学", "冬凌草规范化种植与采收技术培训"),
    ("蔬菜学", "设施蔬菜水肥一体化示范推广"),
    ("畜牧学", "肉牛标准化养殖与疫病防控指导"),
    ("作物栽培学与耕作学", "小麦玉米绿色高产技术培训"),
    ("植物保护", "病虫害绿色防控与农药减量指导"),
    ("农业机械化工程", "丘陵山区小型农机使用与维修培训"),
    ("食品科学", "核桃、花椒初加工与电商创业带动"),
];

const GIVEN: &[&str] = &[
    "红梅", "建军", "秋菊", "保国", "春生", "玉霞", "海军", "桂芳", "新民", "爱华", "国庆", "小燕",
    "长青", "丽华", "振华", "淑珍", "卫东", "金凤", "德胜", "素琴", "旭东", "亚楠",
];
const SURNAMES: &[&str] = &[
    "原", "卫", "段", "苗", "贾", "翟", "冯", "郑", "史", "薛", "常",
];

async fn org(
    store: &Store,
    caller: &Caller,
    serial: u64,
    name: &str,
    kind: OrgKind,
    rep: &str,
    industry: &str,
) -> Result<i64> {
    let o = store
        .create_organization(
            caller,
            &NewOrganization {
                credit_code: crate::demo::credit_code("419001", serial, kind)?,
                name: name.into(),
                kind,
                region: RegionCode::parse("419001")?,
                industry: Some(kechuang_domain::organization::IndustryCode::parse(
                    industry,
                )?),
                founded_on: NaiveDate::from_ymd_opt(2008, 4, 16),
                legal_representative: Some(rep.into()),
                size_class: None,
            },
        )
        .await?;
    Ok(o.id)
}

struct Person<'a> {
    name: &'a str,
    org: i64,
    title: &'a str,
    level: TitleLevel,
    discipline: &'a str,
    keywords: &'a [&'a str],
    expert: bool,
}

async fn person(
    store: &Store,
    caller: &Caller,
    id_key: &[u8],
    p: Person<'_>,
    user: Option<i64>,
) -> Result<i64> {
    Ok(store
        .create_person(
            caller,
            &NewPerson {
                name: p.name.into(),
                org_id: Some(p.org),
                region: None,
                title: Some(p.title.into()),
                title_level: Some(p.level),
                disciplines: vec![p.discipline.into()],
                keywords: p.keywords.iter().map(|k| (*k).to_owned()).collect(),
                is_expert: p.expert,
                talent_programme: None,
                id_number: None,
            },
            id_key,
            user,
        )
        .await?
        .id)
}

/// A demo talent: name, employer, title, level, discipline, keywords, birth date, education,
/// the honours claimed and the tier applied for.
type TalentRow<'a> = (
    &'a str,
    i64,
    &'a str,
    TitleLevel,
    &'a str,
    &'a [&'a str],
    &'a str,
    Education,
    &'a [Honour],
    TalentTier,
);

/// One commissioner of a batch and their dispatch.
struct Served {
    dispatch: i64,
    field: usize,
}

/// The demo's “today” for the logs of the current year: the day before yesterday, so nothing
/// is dated in the future whenever the demo is loaded.
fn last_log_day() -> NaiveDate {
    kechuang_server::api::today() - chrono::Duration::days(2)
}

/// Logs of one commissioner's year: `n` logs spread over the year (from `from` to `until`),
/// each of `halves(k)` half days, with the households and people given per log.
fn year_logs(
    s: &Served,
    year: i32,
    from: NaiveDate,
    until: NaiveDate,
    n: usize,
    halves: impl Fn(usize) -> i64,
    households: impl Fn(usize) -> i64,
) -> Vec<NewLog> {
    if n == 0 || until < from {
        return Vec::new();
    }
    let span = (until - from).num_days().max(1);
    let (_, content) = FIELDS[s.field % FIELDS.len()];
    let kinds = [
        ServiceKind::Guidance,
        ServiceKind::Training,
        ServiceKind::Guidance,
        ServiceKind::Demonstration,
        ServiceKind::Guidance,
        ServiceKind::Startup,
    ];
    (0..n)
        .map(|k| {
            let day = from + chrono::Duration::days(span * k as i64 / n as i64);
            let h = households(k);
            NewLog {
                dispatch_id: s.dispatch,
                served_on: day,
                kind: kinds[k % kinds.len()],
                half_days: halves(k),
                people: h * 2 + 3,
                households: h,
                place: format!("{year}年服务点"),
                content: content.into(),
            }
        })
        .collect()
}

/// Loads the people demo. `ent_id` is the demo enterprise account's organization (`qiye`).
pub async fn load(
    store: &Store,
    caller: &Caller,
    ent_id: i64,
    id_key: &[u8],
    password_hash: &str,
) -> Result<Vec<String>> {
    let all = DataScope::All;
    let jiyuan = RegionCode::parse("419001")?;
    let today = kechuang_server::api::today();
    let orgs = store
        .list_organizations(
            &all,
            &kechuang_store::orgs::OrgFilter {
                region: Some("419001".into()),
                ..Default::default()
            },
            PageRequest::new(1, 5000),
        )
        .await?
        .items;
    let find = |name: &str| {
        orgs.iter()
            .find(|o| o.name == name)
            .map(|o| o.id)
            .with_context(|| format!("demo organization {name}"))
    };
    let institute = find("河南理工大学济源研究院")?;
    let college = find("济源职业技术学院")?;
    let agri = org(
        store,
        caller,
        990_101,
        "济源市农业科学研究所",
        OrgKind::Institute,
        "贾春生",
        "M7340",
    )
    .await?;
    let coop = org(
        store,
        caller,
        990_102,
        "济源市王屋山冬凌草种植专业合作社",
        OrgKind::Other,
        "原保国",
        "A0171",
    )
    .await?;
    let coop2 = org(
        store,
        caller,
        990_103,
        "济源市邵原镇薄皮核桃专业合作社",
        OrgKind::Other,
        "史新民",
        "A0151",
    )
    .await?;

    // ---- 科技特派员工作站 (platforms) ----
    let mut stations = Vec::new();
    for (name, on) in [
        ("济源市王屋镇科技特派员工作站", "2019-05-20"),
        ("济源市邵原镇科技特派员工作站", "2021-04-12"),
    ] {
        let p = store
            .create_platform(
                caller,
                &NewPlatform {
                    name: name.into(),
                    platform_type: PlatformType::CommissionerStation,
                    level: PlatformLevel::City,
                    host_org_id: agri,
                    recognized_on: Some(d(on)?),
                    approval_document: Some("济科〔2019〕21号（示范）".into()),
                    status: PlatformStatus::Active,
                },
            )
            .await?;
        stations.push(p.id);
    }

    // ---- commissioners' persons, and the commissioner account ----
    let hash = password_hash.to_owned();
    let tepai = store
        .create_user(
            caller,
            &NewUser {
                username: "tepai".into(),
                display_name: "原红梅（科技特派员）".into(),
                password_hash: hash,
                scope_kind: "self".into(),
                region: jiyuan,
                org_id: None,
                roles: vec!["commissioner".into()],
                must_change_password: false,
            },
        )
        .await?;
    let senders = [agri, institute, college];
    let mut people = Vec::new();
    for i in 0..22usize {
        let name = if i == 0 {
            "原红梅".to_owned()
        } else {
            format!("{}{}", SURNAMES[i % SURNAMES.len()], GIVEN[i % GIVEN.len()])
        };
        let (field, _) = FIELDS[i % FIELDS.len()];
        let (title, level) = match i % 3 {
            0 => ("高级农艺师", TitleLevel::AssociateSenior),
            1 => ("推广研究员", TitleLevel::Senior),
            _ => ("农艺师", TitleLevel::Intermediate),
        };
        let id = person(
            store,
            caller,
            id_key,
            Person {
                name: &name,
                org: senders[i % senders.len()],
                title,
                level,
                discipline: "农学",
                keywords: &[field],
                expert: false,
            },
            (i == 0).then_some(tepai.id),
        )
        .await?;
        people.push((id, name, i % FIELDS.len(), senders[i % senders.len()]));
    }

    // ---- three batches: individuals, service teams, a legal-person commissioner ----
    let batches: [(i32, &str, &str, usize); 3] = [
        (2018, "2018-03-01", "2020-12-31", 14),
        (2021, "2021-03-01", "2023-12-31", 16),
        (2024, "2024-03-01", "2026-12-31", 18),
    ];
    let mut served: Vec<(i32, Vec<Served>)> = Vec::new();
    for (b, (year, from, to, individuals)) in batches.iter().enumerate() {
        let mut list = Vec::new();
        let mut plan: Vec<(NewCommissioner, usize, usize)> = Vec::new();
        for k in 0..*individuals {
            let (pid, _, field, sender) = &people[k];
            plan.push((
                NewCommissioner {
                    kind: CommissionerKind::Individual,
                    person_id: Some(*pid),
                    name: String::new(),
                    org_id: *sender,
                    members: Vec::new(),
                    funding: match k % 4 {
                        0 => Funding::Provincial,
                        1 => Funding::CountyProvincial,
                        _ => Funding::CityCounty,
                    },
                    field: FIELDS[*field].0.into(),
                    year: *year,
                    term_from: d(from)?,
                    term_to: d(to)?,
                    region: Some(jiyuan),
                    phone: Some(format!("1390391{:04}", 1000 + b * 100 + k)),
                    station_id: (b > 0 && k < 4).then(|| stations[k % 2]),
                },
                (k + b) % VILLAGES.len(),
                *field,
            ));
        }
        let teams = if b == 2 { 3 } else { 2 };
        for t in 0..teams {
            let lead = (*individuals + t).min(people.len() - 1);
            let (pid, _, _, sender) = &people[lead];
            let members: Vec<i64> = (0..3)
                .map(|m| people[(lead + 1 + m + t * 3) % people.len()].0)
                .filter(|m| m != pid)
                .collect();
            plan.push((
                NewCommissioner {
                    kind: CommissionerKind::Team,
                    person_id: Some(*pid),
                    name: format!(
                        "济源市{}产业科技特派员服务团",
                        ["冬凌草", "薄皮核桃", "设施蔬菜"][t]
                    ),
                    org_id: *sender,
                    members,
                    funding: Funding::Provincial,
                    field: FIELDS[[1, 0, 2][t]].0.into(),
                    year: *year,
                    term_from: d(from)?,
                    term_to: d(to)?,
                    region: Some(jiyuan),
                    phone: Some(format!("1373891{:04}", 2000 + b * 10 + t)),
                    station_id: None,
                },
                (t * 5 + b + 3) % VILLAGES.len(),
                [1, 0, 2][t],
            ));
        }
        if b == 2 {
            plan.push((
                NewCommissioner {
                    kind: CommissionerKind::Legal,
                    person_id: None,
                    name: "济源职业技术学院农业技术服务".into(),
                    org_id: college,
                    members: Vec::new(),
                    funding: Funding::CityCounty,
                    field: "农业机械化工程".into(),
                    year: *year,
                    term_from: d(from)?,
                    term_to: d(to)?,
                    region: Some(jiyuan),
                    phone: None,
                    station_id: None,
                },
                usize::MAX,
                6,
            ));
        }
        for (c, village, field) in plan {
            let created = store.create_commissioner(caller, &c).await?;
            let (kind, place, target) = if village == usize::MAX {
                (TargetKind::Cooperative, "邵原镇".to_owned(), Some(coop2))
            } else if c.kind == CommissionerKind::Team && field == 1 {
                (TargetKind::Cooperative, "王屋镇".to_owned(), Some(coop))
            } else {
                (TargetKind::Village, VILLAGES[village].to_owned(), None)
            };
            let disp = store
                .create_dispatch(
                    caller,
                    &NewDispatch {
                        commissioner_id: created.id,
                        target_kind: kind,
                        county: jiyuan,
                        place,
                        target_org_id: target,
                        starts_on: c.term_from,
                        ends_on: c.term_to,
                        agreement_no: format!("济科特派〔{year}〕{:03}号", created.id % 1000),
                        tasks: format!(
                            "围绕{}开展技术指导、培训和示范推广，每年实地服务不少于30天或12次，带动农户增收",
                            c.field
                        ),
                    },
                    people_svc::max_concurrent(c.kind.as_str(), *year).map_err(bad)?,
                )
                .await?;
            list.push(Served {
                dispatch: disp.id,
                field,
            });
        }
        served.push((*year, list));
    }
    // An enterprise served by a commissioner: the demo enterprise account (qiye) confirms the
    // services it received and rates them.
    let (pid, _, field, sender) = &people[21];
    let serving = store
        .create_commissioner(
            caller,
            &NewCommissioner {
                kind: CommissionerKind::Individual,
                person_id: Some(*pid),
                name: String::new(),
                org_id: *sender,
                members: Vec::new(),
                funding: Funding::CityCounty,
                field: "环境工程".into(),
                year: 2024,
                term_from: d("2024-03-01")?,
                term_to: d("2026-12-31")?,
                region: Some(jiyuan),
                phone: Some("13903912100".into()),
                station_id: None,
            },
        )
        .await?;
    let ent = store.get_organization(&all, ent_id).await?;
    let to_firm = store
        .create_dispatch(
            caller,
            &NewDispatch {
                commissioner_id: serving.id,
                target_kind: TargetKind::Enterprise,
                county: jiyuan,
                place: format!("轵城镇{}厂区", ent.name),
                target_org_id: Some(ent_id),
                starts_on: d("2024-03-01")?,
                ends_on: d("2026-12-31")?,
                agreement_no: "济科特派〔2024〕企字001号".into(),
                tasks: "冶炼烟气脱硫工艺优化与环保设施运行指导，每年实地服务不少于30天或12次"
                    .into(),
            },
            people_svc::max_concurrent("individual", 2024).map_err(bad)?,
        )
        .await?;
    let firm_served = Served {
        dispatch: to_firm.id,
        field: *field,
    };

    // ---- service logs ----
    let confirmed = "村委会（示范数据，按服务记录确认）";
    let last = last_log_day();
    // 2018–2020: 1842 services and 25800 households in all (the plan's 十三五 figures).
    let (b1_year, b1) = &served[0];
    let slots: Vec<(usize, i32)> = (0..b1.len())
        .flat_map(|c| (*b1_year..*b1_year + 3).map(move |y| (c, y)))
        .collect();
    let (base, extra) = (1842 / slots.len(), 1842 % slots.len());
    let mut logs = Vec::new();
    for (n, (c, y)) in slots.iter().enumerate() {
        let count = base + usize::from(n < extra);
        let from = if *y == 2018 {
            d("2018-03-05")?
        } else {
            d(&format!("{y}-01-06"))?
        };
        let strong = *c < 2;
        logs.extend(year_logs(
            &b1[*c],
            *y,
            from,
            d(&format!("{y}-12-20"))?,
            count,
            |k| {
                if strong {
                    4
                } else {
                    [2, 2, 2, 1, 2, 4, 2, 2][k % 8]
                }
            },
            |_| 14,
        ));
    }
    // 25800 households: 14 each, and one more on the first twelve.
    for l in logs.iter_mut().take(25_800 - 14 * 1842) {
        l.households += 1;
    }
    store.import_logs(caller, &logs, Some(confirmed)).await?;
    // 2021–2026.
    // The later batches (the first one's logs are the plan's 十三五 totals, written above).
    for (batch_year, list) in &served[1..] {
        let mut logs = Vec::new();
        for (c, s) in list.iter().enumerate() {
            for y in *batch_year..*batch_year + 3 {
                let from = d(&format!("{y}-01-08"))?.max(d(&format!("{batch_year}-03-05"))?);
                let until = d(&format!("{y}-12-18"))?.min(last);
                if y > last.year() {
                    continue;
                }
                let current = y == today.year();
                // The 2025 laggard, the commissioner account's own pace this year.
                let n = if y == 2025 && c == 5 {
                    8
                } else if current && c == 0 {
                    9
                } else {
                    22 + (c * 7 + y as usize * 5 + c * y as usize) % 11
                };
                let strong = c == 1 || c == 2;
                logs.extend(year_logs(
                    s,
                    y,
                    from,
                    until,
                    n,
                    |k| if strong { 4 } else { [2, 2, 1, 2, 3, 2][k % 6] },
                    |k| 6 + (k as i64 % 5),
                ));
            }
        }
        store.import_logs(caller, &logs, Some(confirmed)).await?;
    }
    // The firm's services, confirmed by the firm but for the latest.
    let firm_by = format!("{}（受援单位）", ent.name);
    let mut firm_logs = Vec::new();
    for y in 2024..=last.year().min(2026) {
        let from = d(&format!("{y}-03-10"))?;
        let until = d(&format!("{y}-12-15"))?.min(last);
        for mut l in year_logs(&firm_served, y, from, until, 14, |_| 2, |_| 0) {
            l.content = "脱硫塔运行参数诊断与工艺优化现场指导".into();
            l.place = "厂区环保车间".into();
            l.people = 8;
            firm_logs.push(l);
        }
    }
    // The latest three wait for the firm's confirmation.
    let waiting = firm_logs.split_off(firm_logs.len().saturating_sub(3));
    store
        .import_logs(caller, &firm_logs, Some(&firm_by))
        .await?;
    store.import_logs(caller, &waiting, None).await?;
    for y in 2024..last.year().min(2026) {
        store
            .rate_dispatch(
                caller,
                to_firm.id,
                &RatingInput {
                    year: y,
                    score: 5,
                    comment: "脱硫工艺优化后排放稳定达标，服务到位".into(),
                },
                &firm_by,
            )
            .await?;
    }
    // This year's last two logs of the commissioner account wait for the village's confirmation.
    if let Some((_, list)) = served.last()
        && let Some(s) = list.first()
        && last.year() <= 2026
    {
        for (k, back) in [(0, 1), (1, 0)] {
            let day = last - chrono::Duration::days(back);
            store
                .create_log(
                    &Caller {
                        user_id: Some(tepai.id),
                        username: "tepai".into(),
                        scope: DataScope::SelfOnly { user_id: tepai.id },
                        address: None,
                    },
                    &NewLog {
                        dispatch_id: s.dispatch,
                        served_on: day,
                        kind: [ServiceKind::Guidance, ServiceKind::Training][k],
                        half_days: 2,
                        people: 26,
                        households: 11,
                        place: format!("{}核桃园", VILLAGES[2]),
                        content: ["冬季修剪与清园技术现场指导", "核桃园冬季管理技术培训"][k].into(),
                    },
                )
                .await?;
        }
    }

    // ---- ratings (the bureau records the villages' 满意度) and assessments ----
    for (batch_year, list) in &served {
        for (c, s) in list.iter().enumerate() {
            for y in *batch_year..(*batch_year + 3).min(today.year()) {
                let score = if y == 2022 && c == 7 {
                    2
                } else if c == 1 || c == 2 || c % 3 == 0 {
                    5
                } else {
                    4
                };
                store
                    .rate_dispatch(
                        caller,
                        s.dispatch,
                        &RatingInput {
                            year: y,
                            score,
                            comment: if score >= 4 {
                                "服务及时，技术实用，群众满意".into()
                            } else {
                                "到村服务次数少，技术问题解决不及时".into()
                            },
                        },
                        "济源示范区科技局（代录村委会评价）",
                    )
                    .await?;
            }
        }
    }
    for y in 2018..=2025.min(today.year() - 1) {
        let figures = store.year_figures(&all, y).await?;
        let mut rows = Vec::new();
        for f in figures {
            let a = people_svc::assess(&f).map_err(bad)?;
            rows.push((f, a));
        }
        store.save_assessments(caller, y, &rows).await?;
    }

    // ---- talents ----
    let talents: [TalentRow; 7] = [
        (
            "张立群",
            institute,
            "研究员",
            TitleLevel::Senior,
            "材料科学与工程",
            &["稀土合金", "电池材料"],
            "1976-05-12",
            Education::Doctorate,
            &[Honour::NationalProgramme, Honour::SeniorTitle],
            TalentTier::B,
        ),
        (
            "李慧敏",
            ent_id,
            "教授级高级工程师",
            TitleLevel::Senior,
            "环境科学与工程",
            &["催化", "大气治理"],
            "1980-09-03",
            Education::Doctorate,
            &[Honour::ProvincialProgramme, Honour::SeniorTitle],
            TalentTier::C,
        ),
        (
            "王晓东",
            college,
            "教授",
            TitleLevel::Senior,
            "机械工程",
            &["智能装备", "机器人"],
            "1987-02-21",
            Education::Doctorate,
            &[Honour::SeniorTitle],
            TalentTier::D,
        ),
        (
            "赵建国",
            ent_id,
            "教授级高级工程师",
            TitleLevel::Senior,
            "化学工程与技术",
            &["催化", "分离提纯"],
            "1978-11-30",
            Education::Doctorate,
            &[Honour::ProvincialAward, Honour::SeniorTitle],
            TalentTier::C,
        ),
        (
            "周雪梅",
            agri,
            "研究员",
            TitleLevel::Senior,
            "农学",
            &["冬凌草", "中药"],
            "1984-07-15",
            Education::Doctorate,
            &[Honour::CityProgramme, Honour::SeniorTitle],
            TalentTier::D,
        ),
        (
            "孙国强",
            ent_id,
            "教授级高级工程师",
            TitleLevel::Senior,
            "材料科学与工程",
            &["催化", "碳材料"],
            "1975-03-08",
            Education::Doctorate,
            &[],
            TalentTier::D,
        ),
        (
            "陈俊杰",
            ent_id,
            "高级工程师",
            TitleLevel::AssociateSenior,
            "环境科学与工程",
            &["固废处理"],
            "1991-06-19",
            Education::Master,
            &[],
            TalentTier::D,
        ),
    ];
    let mut tp = Vec::new();
    for (name, org_id, title, level, disc, kws, ..) in &talents {
        tp.push(
            person(
                store,
                caller,
                id_key,
                Person {
                    name,
                    org: *org_id,
                    title,
                    level: *level,
                    discipline: disc,
                    keywords: kws,
                    expert: false,
                },
                None,
            )
            .await?,
        );
    }
    let apply = |k: usize, year: i32| -> Result<NewTalentApplication> {
        let (_, org_id, _, _, _, _, birth, edu, honours, tier) = &talents[k];
        Ok(NewTalentApplication {
            person_id: tp[k],
            org_id: *org_id,
            year,
            claimed_tier: *tier,
            birth_date: d(birth)?,
            education: *edu,
            honours: honours.to_vec(),
            evidence: if honours.is_empty() {
                String::new()
            } else {
                "入选文件、获奖证书及职称证书复印件（示范：证书编号见附件）".into()
            },
            full_time: true,
            phone: Some(format!("1383891{:04}", 3000 + k)),
            salary_fen: Some(36_000_000 + k as i64 * 1_000_000),
        })
    };
    let form = vec![
        criterion("level", "学术水平与业内影响", 30),
        criterion("results", "代表性成果", 30),
        criterion("contribution", "对本地产业的贡献预期", 25),
        criterion("conditions", "团队与工作条件", 15),
    ];
    // 2025: three recognitions through a review round; 2026: one reviewed, awaiting 认定.
    for (year, ks, recognize_on) in [
        (2025, vec![0usize, 1, 2], Some("2025-11-20")),
        (2026, vec![3], None),
    ] {
        let mut ids = Vec::new();
        for k in &ks {
            let a = store
                .create_talent_application(caller, &apply(*k, year)?)
                .await?;
            let on = d(&format!("{year}-06-15"))?;
            let answer = people_svc::tier(&a, on).map_err(bad)?;
            store
                .submit_talent_application(caller, a.id, &answer)
                .await?;
            ids.push(a.id);
        }
        let round = store
            .start_talent_review(
                caller,
                &NewRound {
                    title: format!("{year}年度济源市高层次人才认定评审"),
                    object_kind: ObjectKind::TalentApplication,
                    region: Some(jiyuan),
                    reviewers_per_item: 3,
                    max_load: 3,
                    coauthor_years: 3,
                    exclude_same_county: false,
                    due_on: Some(
                        d(&format!("{year}-07-31"))?.min(today + chrono::Duration::days(7)),
                    ),
                    form: form.clone(),
                },
                &ids,
            )
            .await?;
        let inputs = store.review_inputs(&all, round.id).await?;
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
                round.id,
                kechuang_domain::review::AssignmentMethod::Optimal,
                &picks,
                summary,
            )
            .await?;
        store.publish_round(caller, round.id).await?;
        for (n, a) in store
            .list_assignments(&all, Some(round.id))
            .await?
            .into_iter()
            .enumerate()
        {
            let share = 78 + (n as u32 * 5) % 17;
            store
                .submit_scores(
                    caller,
                    a.id,
                    &ScoreInput {
                        scores: a
                            .form
                            .iter()
                            .map(|c| (c.key.clone(), f64::from(c.max * share / 100)))
                            .collect(),
                        comment: Some("业绩与所报层次相符，引进后对本地产业带动作用明显。".into()),
                    },
                )
                .await?;
        }
        store.close_round(caller, round.id).await?;
        if let Some(on) = recognize_on {
            let years = people_svc::valid_years(year).map_err(bad)?;
            for id in ids {
                store
                    .decide_talent_application(
                        caller,
                        id,
                        true,
                        "经专家评审，予以认定",
                        d(on)?,
                        years,
                    )
                    .await?;
            }
        }
    }
    // Submitted (awaiting review) and a draft at the enterprise.
    let a = store
        .create_talent_application(caller, &apply(4, 2026)?)
        .await?;
    let answer = people_svc::tier(&a, d("2026-09-10")?).map_err(bad)?;
    store
        .submit_talent_application(caller, a.id, &answer)
        .await?;
    store
        .create_talent_application(caller, &apply(6, 2026)?)
        .await?;

    // ---- innovation teams ----
    for (name, host, leader, members, field, year, level, direction) in [
        (
            "环保催化材料创新团队",
            ent_id,
            tp[1],
            vec![tp[3], tp[5]],
            "环境科学与工程",
            2023,
            PlatformLevel::City,
            "有色冶炼烟气脱硫脱硝催化材料",
        ),
        (
            "稀土功能材料创新团队",
            institute,
            tp[0],
            vec![people[3].0],
            "材料科学与工程",
            2025,
            PlatformLevel::Provincial,
            "稀土合金与储能材料",
        ),
        (
            "冬凌草资源开发创新团队",
            agri,
            tp[4],
            vec![people[1].0, people[9].0],
            "农学",
            2022,
            PlatformLevel::City,
            "冬凌草良种选育与精深加工",
        ),
    ] {
        store
            .create_team(
                caller,
                &NewTeam {
                    name: name.into(),
                    host_org_id: host,
                    leader_id: leader,
                    members,
                    field: field.into(),
                    year,
                    level,
                    direction: direction.into(),
                },
            )
            .await?;
    }

    // ---- work stations: the 院士工作站's academician, a 中原学者工作站 and its scholar ----
    let academician_station = store
        .export_platforms(
            &all,
            &kechuang_store::platforms::PlatformFilter {
                platform_type: Some("academician_workstation".into()),
                ..Default::default()
            },
            10,
        )
        .await?
        .into_iter()
        .next()
        .context("the demo's 院士工作站")?;
    let scholar_station = store
        .create_platform(
            caller,
            &NewPlatform {
                name: "河南理工大学济源研究院中原学者工作站".into(),
                platform_type: PlatformType::ScholarWorkstation,
                level: PlatformLevel::Provincial,
                host_org_id: institute,
                recognized_on: Some(d("2020-11-26")?),
                approval_document: Some("豫科〔2020〕180号（示范）".into()),
                status: PlatformStatus::Active,
            },
        )
        .await?;
    for (name, org_id, role, station, from, to, birth, days) in [
        (
            "钱正华",
            institute,
            StationRole::ActiveAcademician,
            academician_station.id,
            "2024-01-01",
            "2026-12-31",
            "1962-04-18",
            100,
        ),
        (
            "孙立德",
            institute,
            StationRole::Scholar,
            scholar_station.id,
            "2023-06-01",
            "2026-05-31",
            "1968-10-09",
            60,
        ),
    ] {
        let pid = person(
            store,
            caller,
            id_key,
            Person {
                name,
                org: org_id,
                title: "研究员",
                level: TitleLevel::Senior,
                discipline: "冶金工程",
                keywords: &["清洁冶炼", "有色金属回收"],
                expert: false,
            },
            None,
        )
        .await?;
        let e = NewStationExpert {
            person_id: pid,
            role,
            contract_from: d(from)?,
            contract_to: d(to)?,
            birth_date: Some(d(birth)?),
            onsite_days: days,
        };
        let load = store
            .station_load(pid, e.contract_from, e.contract_to)
            .await?;
        let answer = people_svc::station(
            role,
            &load,
            Some(age_on(d(birth)?, e.contract_from)),
            days,
            e.contract_from.year(),
        )
        .map_err(bad)?;
        store
            .add_station_expert(caller, station, &e, &answer)
            .await?;
    }

    // ---- the enterprise's talent demand ----
    store
        .create_talent_demand(
            caller,
            &NewDemand {
                org_id: ent_id,
                title: "环保催化材料研发工程师".into(),
                field: "材料科学".into(),
                keywords: vec!["催化".into(), "脱硫".into()],
                education: Some(Education::Master),
                title_level: Some(TitleLevel::AssociateSenior),
                count: 2,
                description: "负责有色冶炼烟气脱硫脱硝催化材料的研发与中试，能长期在济源工作。"
                    .into(),
                deadline: today + chrono::Duration::days(60),
            },
        )
        .await?;

    // ---- support programmes: 2025 paid, 2026 open ----
    let programme =
        |code: &str, name: &str, kind: &str, year: i32, budget: &str, pack: &str, basis: &str| {
            NewProgramme::parse(
                &ProgrammeInput {
                    code: code.into(),
                    name: name.into(),
                    kind: kind.into(),
                    mode: "auto".into(),
                    year,
                    region: "419001".into(),
                    budget: budget.into(),
                    fund_source: "济源示范区本级人才发展专项资金（示范数据）".into(),
                    basis: basis.into(),
                    pack: pack.into(),
                    notice_days: 7,
                    valid_days: 0,
                    status: "open".into(),
                    note: "示范数据：预算与文号为演示取值".into(),
                    ..Default::default()
                },
                funds_svc::PROGRAMME_PACKS,
            )
            .map_err(bad)
        };
    let tp25 = store
        .create_programme(
            caller,
            &programme(
                "JY-TPY-2025",
                "2025年度科技特派员工作经费",
                "commissioner",
                2025,
                "600000",
                "commissioner-assessment",
                "济科〔2018〕37号：对考核合格的科技特派员给予工作经费支持（金额为示范参数）",
            )?,
        )
        .await?;
    let rc25 = store
        .create_programme(
            caller,
            &programme(
                "JY-RC-2025",
                "2025年度高层次人才首次购房补贴",
                "talent",
                2025,
                "5000000",
                "talent-tiers",
                "济源示范区“十四五”科技创新规划：实施“高层次人才双引双培”计划，加大对引进人才的扶持力度（分类与金额为示范参数）",
            )?,
        )
        .await?;
    for p in [&tp25, &rc25] {
        let (grants, _) = if p.kind == "commissioner" {
            people_svc::commissioner_grants(store, &all, p)
                .await
                .map_err(api)?
        } else {
            people_svc::talent_grants(store, &all, p)
                .await
                .map_err(api)?
        };
        store.propose_grants(caller, p.id, &grants).await?;
        store.notice_grants(caller, p.id, d("2026-01-05")?).await?;
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
            .approve_grants(caller, p.id, &ids, d("2026-01-20")?)
            .await?;
        crate::demo_funds::pay_all(
            store,
            caller,
            p.id,
            "2026-02-10",
            &format!("济科财〔2026〕{}", p.code),
        )
        .await?;
    }
    for (code, name, kind, budget, pack, basis) in [
        (
            "JY-TPY-2026",
            "2026年度科技特派员工作经费",
            "commissioner",
            "600000",
            "commissioner-assessment",
            "济科〔2018〕37号：对考核合格的科技特派员给予工作经费支持（金额为示范参数）",
        ),
        (
            "JY-RC-2026",
            "2026年度高层次人才首次购房补贴",
            "talent",
            "5000000",
            "talent-tiers",
            "济源示范区“十四五”科技创新规划：实施“高层次人才双引双培”计划（分类与金额为示范参数）",
        ),
    ] {
        store
            .create_programme(
                caller,
                &programme(code, name, kind, 2026, budget, pack, basis)?,
            )
            .await?;
    }
    Ok(vec!["tepai".into()])
}

fn criterion(key: &str, label: &str, max: u32) -> Criterion {
    Criterion {
        key: key.into(),
        label: label.into(),
        max,
        guide: None,
    }
}
