//! Demo technology contracts (技术合同认定登记) of 济源, 2020 to this year.
//!
//! Every contract goes through the same store calls and policy pack as the office's workbench,
//! with the dates of its year. The yearly 成交额 of 济源's sellers (输出) equals the figures the
//! demo used to enter by hand for `technology_contract_turnover_amount` (2020–2024: 2.8, 4.1,
//! 5.6, 6.9, 8.3 亿元; 2025: 9.7 亿元), so the indicator keeps its history while being computed.
//! 孟州 sellers with 济源 buyers give the 吸纳 side; this year's open cases give the 登记员, the
//! enterprise account and the browser tests their working day.

use crate::demo::Rng;
use anyhow::{Context, Result};
use chrono::{Datelike, NaiveDate};
use kechuang_domain::contract::{ContractInput, Findings, NewContract, due_date};
use kechuang_domain::money::from_fen;
use kechuang_server::contracts_svc::{Facts, assess};
use kechuang_store::contracts::Ruling;
use kechuang_store::orgs::OrgFilter;
use kechuang_store::{Caller, DataScope, PageRequest, Store};

/// 济源 成交额 by year of registration, in 万元 (2020–2025).
pub const JIYUAN_TURNOVER_WAN: [(i32, i64); 6] = [
    (2020, 28_000),
    (2021, 41_000),
    (2022, 56_000),
    (2023, 69_000),
    (2024, 83_000),
    (2025, 97_000),
];

const SUBJECTS: &[(&str, &str, &str, &str)] = &[
    // (subject, category, subcategory, field)
    (
        "高纯铅电解精炼工艺优化",
        "技术开发",
        "委托开发",
        "materials",
    ),
    (
        "含铅烟尘资源化回收技术",
        "技术开发",
        "合作开发",
        "environment",
    ),
    (
        "特殊钢连铸过程控制模型",
        "技术开发",
        "委托开发",
        "manufacturing",
    ),
    (
        "锌冶炼渣有价金属综合回收",
        "技术开发",
        "合作开发",
        "environment",
    ),
    (
        "碳化硅功率器件封装工艺",
        "技术开发",
        "委托开发",
        "electronics",
    ),
    ("氢燃料电池双极板涂层", "技术开发", "合作开发", "energy"),
    (
        "冶炼车间智能巡检系统",
        "技术服务",
        "技术服务",
        "electronics",
    ),
    (
        "烟气脱硫系统运行诊断",
        "技术服务",
        "技术服务",
        "environment",
    ),
    (
        "冬凌草规范化种植技术培训",
        "技术服务",
        "技术培训",
        "agriculture",
    ),
    (
        "薄皮核桃丰产栽培技术服务",
        "技术服务",
        "技术服务",
        "agriculture",
    ),
    ("高端装备用轴承钢热处理咨询", "技术咨询", "", "materials"),
    ("园区循环化改造技术咨询", "技术咨询", "", "environment"),
    (
        "一种铅锑合金的制备方法专利",
        "技术转让",
        "专利权转让",
        "materials",
    ),
    (
        "锂电池正极材料前驱体技术秘密",
        "技术转让",
        "技术秘密转让",
        "energy",
    ),
    (
        "矿热炉余热发电控制软件",
        "技术许可",
        "其他知识产权许可",
        "energy",
    ),
    (
        "一种金属粉末雾化装置专利",
        "技术许可",
        "专利实施普通许可",
        "manufacturing",
    ),
];

/// Buyer regions outside 济源 (GB/T 2260): 郑州, 洛阳, 焦作, 太原, 西安, 上海.
const OUTSIDE: &[&str] = &["410100", "410300", "410800", "140100", "610100", "310000"];

async fn orgs_of(store: &Store, region: &str) -> Result<Vec<(i64, String)>> {
    let page = store
        .list_organizations(
            &DataScope::All,
            &OrgFilter {
                region: Some(region.into()),
                ..Default::default()
            },
            PageRequest::new(1, 200),
        )
        .await?;
    Ok(page
        .items
        .into_iter()
        .map(|o| (o.id, o.credit_code))
        .collect())
}

fn outside_code(region: &str, serial: u64) -> Result<String> {
    let chars = b"0123456789ABCDEFGHJKLMNPQRTUWXY";
    let mut body = String::new();
    let mut s = serial.wrapping_mul(2_654_435_761).wrapping_add(7);
    for _ in 0..9 {
        body.push(chars[(s % 31) as usize] as char);
        s /= 31;
    }
    Ok(
        kechuang_domain::CreditCode::complete(&format!("91{region}{body}"))
            .map_err(|e| anyhow::anyhow!("{e}"))?
            .as_str()
            .to_owned(),
    )
}

/// One of this year's open cases.
struct Open<'a>(
    i64,
    &'a str,
    usize,
    i64,
    Option<&'a str>,
    Findings,
    Option<NaiveDate>,
);

struct Case<'a> {
    seller: i64,
    buyer_code: String,
    buyer_name: String,
    no: String,
    subject: usize,
    total_fen: i64,
    signed: NaiveDate,
    findings: Findings,
    category_text: Option<&'a str>,
}

/// Create, attach, submit and (unless `decide_on` is None) decide one contract.
async fn run(
    store: &Store,
    caller: &Caller,
    c: Case<'_>,
    decide_on: Option<NaiveDate>,
    pdf: &[u8],
) -> Result<kechuang_store::contracts::Contract> {
    let (subject, category, sub, field) = SUBJECTS[c.subject % SUBJECTS.len()];
    let non_tech = if category == "技术开发" {
        c.total_fen / 10
    } else {
        0
    };
    let input = ContractInput {
        contract_no: c.no,
        subject: subject.into(),
        category: c.category_text.unwrap_or(category).into(),
        subcategory: if c.category_text.is_some() { "" } else { sub }.into(),
        form: "书面".into(),
        field: field.into(),
        ip_kind: match category {
            "技术转让" | "技术许可" => "patent",
            _ => "none",
        }
        .into(),
        buyer_name: c.buyer_name,
        buyer_credit_code: c.buyer_code,
        total_amount: from_fen(c.total_fen).to_string(),
        non_tech_amount: from_fen(non_tech).to_string(),
        signed_on: c.signed.to_string(),
        valid_from: c.signed.to_string(),
        valid_to: (c.signed + chrono::Days::new(365)).to_string(),
        // One contract in five names one of the demo's 济源 brokers as 技术中介方.
        broker_name: if c.subject % 5 == 1 {
            BROKERS[(c.subject / 5) % 3].0.into()
        } else {
            String::new()
        },
        ..Default::default()
    };
    let today = chrono::Utc::now().date_naive();
    let parsed = NewContract::parse(&input, today, false).map_err(|e| anyhow::anyhow!("{e}"))?;
    let draft = store.create_contract(caller, c.seller, &parsed).await?;
    store
        .attach_contract_file(
            caller,
            draft.id,
            "合同文本.pdf",
            &kechuang_domain::attachment::check_pdf("合同文本.pdf", pdf)?.sha256,
            pdf,
        )
        .await?;
    let accepted = c.signed + chrono::Days::new(7);
    let base = assess(
        Facts::of(&parsed, false),
        &Findings::default(),
        accepted.year(),
    )?;
    let submitted = store
        .submit_contract(
            caller,
            draft.id,
            accepted,
            due_date(accepted, base.deadline_days, base.deadline_working),
        )
        .await?;
    let Some(day) = decide_on else {
        return Ok(submitted);
    };
    let a = assess(Facts::of(&parsed, false), &c.findings, accepted.year())?;
    Ok(store
        .decide_contract(
            caller,
            draft.id,
            &Ruling {
                decision: a.decision,
                technical_fen: a.technical_fen,
                second_review: a.second_review,
                reasons: a.reasons,
                explanation: format!("适用：{}\n{}", a.rules_label, a.explanation_text),
                findings: c.findings,
                note: None,
                today: day,
            },
        )
        .await?)
}

/// Load the demo contracts. `ent_id` is the enterprise account's organization.
pub async fn load(store: &Store, caller: &Caller, ent_id: i64, pdf: &[u8]) -> Result<usize> {
    let mut rng = Rng::new(2020_1224);
    let jiyuan = orgs_of(store, "419001").await?;
    let mengzhou = orgs_of(store, "410883").await?;
    anyhow::ensure!(jiyuan.len() > 10, "济源演示单位不足");
    let sellers: Vec<(i64, String)> = jiyuan.iter().take(40).cloned().collect();
    let mut n = 0usize;
    let mut serial = 0u64;
    for (year, wan) in JIYUAN_TURNOVER_WAN {
        // Split the year's 成交额 into contracts of realistic sizes; the last takes the rest so
        // the sum is exact.
        let count = 30 + (year - 2020) as usize * 6;
        let total_fen = wan * 1_000_000;
        let weights: Vec<f64> = (0..count)
            .map(|_| {
                let u = rng.unit();
                0.2 + u * u * u * 8.0
            })
            .collect();
        let sum: f64 = weights.iter().sum();
        let mut left = total_fen;
        for (i, w) in weights.iter().enumerate() {
            let amount = if i + 1 == count {
                left
            } else {
                // Whole hundreds of yuan, as contracts are written.
                ((total_fen as f64 * w / sum) / 10_000.0).round() as i64 * 10_000
            };
            left -= amount;
            serial += 1;
            let seller = &sellers[rng.below(sellers.len() as u64) as usize];
            // Three in ten sold to 济源 buyers, the rest outside (输出 to other regions).
            let (buyer_code, buyer_name) = if rng.below(10) < 3 {
                let b = loop {
                    let b = &jiyuan[rng.below(jiyuan.len() as u64) as usize];
                    if b.0 != seller.0 {
                        break b;
                    }
                };
                (b.1.clone(), format!("济源买方单位{serial}"))
            } else {
                let r = OUTSIDE[rng.below(OUTSIDE.len() as u64) as usize];
                (outside_code(r, serial)?, format!("外地企业{serial}"))
            };
            let month = 1 + (i * 12 / count) as u32;
            let signed =
                NaiveDate::from_ymd_opt(year, month, 1 + rng.below(20) as u32).context("date")?;
            let decided = NaiveDate::from_ymd_opt(year, month, 25).context("date")?;
            run(
                store,
                caller,
                Case {
                    seller: seller.0,
                    buyer_code,
                    buyer_name,
                    no: format!("JY{year}-{:04}", i + 1),
                    subject: rng.below(SUBJECTS.len() as u64) as usize,
                    total_fen: amount,
                    signed,
                    findings: Findings::default(),
                    category_text: None,
                },
                Some(decided),
                pdf,
            )
            .await?;
            n += 1;
        }
        // 吸纳: 孟州 sellers, 济源 buyers (registered by 孟州's office).
        for i in 0..4 {
            serial += 1;
            let (Some(seller), Some(buyer)) = (
                mengzhou.get(i % mengzhou.len().max(1)),
                jiyuan.get(rng.below(jiyuan.len() as u64) as usize),
            ) else {
                break;
            };
            let signed = NaiveDate::from_ymd_opt(year, 3 + 2 * i as u32, 10).context("date")?;
            run(
                store,
                caller,
                Case {
                    seller: seller.0,
                    buyer_code: buyer.1.clone(),
                    buyer_name: format!("济源买方单位{serial}"),
                    no: format!("MZ{year}-{:03}", i + 1),
                    subject: rng.below(SUBJECTS.len() as u64) as usize,
                    total_fen: (200 + rng.below(1800) as i64) * 10_000 * 100,
                    signed,
                    findings: Findings::default(),
                    category_text: None,
                },
                Some(signed + chrono::Days::new(20)),
                pdf,
            )
            .await?;
            n += 1;
        }
    }
    // This year: the registrar's queue and the enterprise account's own cases.
    let today = chrono::Utc::now().date_naive();
    let this_year = today.year();
    let recent = |days: u64| today - chrono::Days::new(days);
    let buyer = |s: u64| outside_code("410100", 90_000 + s);
    let unclear_price = Findings {
        price_clear: false,
        ..Findings::default()
    };
    let clean = Findings::default();
    // (seller, contract number, subject, 成交额 in yuan, category text, findings, decided)
    let open = [
        // registered this year
        Open(
            ent_id,
            "QY-2026-001",
            0,
            3_800_000,
            None,
            clean,
            Some(recent(30)),
        ),
        // waiting for the registrar: a clean one, a large one (大额复核 under the newer rules)
        // and a sale contract the office must refuse
        Open(sellers[1].0, "JY2026-Q01", 6, 860_000, None, clean, None),
        Open(sellers[2].0, "JY2026-Q02", 1, 7_200_000, None, clean, None),
        Open(
            sellers[3].0,
            "JY2026-Q03",
            3,
            450_000,
            Some("设备买卖合同"),
            clean,
            None,
        ),
        // the enterprise's contract sent back for correction (价款约定不明确)
        Open(
            ent_id,
            "QY-2026-002",
            7,
            260_000,
            None,
            unclear_price,
            Some(recent(5)),
        ),
        // refused: a sale contract
        Open(
            sellers[4].0,
            "JY2026-R01",
            2,
            1_500_000,
            Some("买卖合同"),
            clean,
            Some(recent(12)),
        ),
    ];
    for (k, Open(seller, no, subject, yuan, text, findings, decided)) in
        open.into_iter().enumerate()
    {
        let signed = recent(40 + 3 * k as u64);
        let signed = if signed.year() < this_year {
            today
        } else {
            signed
        };
        run(
            store,
            caller,
            Case {
                seller,
                buyer_code: buyer(k as u64)?,
                buyer_name: format!("郑州合作企业{}", k + 1),
                no: no.into(),
                subject,
                total_fen: yuan * 100,
                signed,
                findings,
                category_text: text,
            },
            decided,
            pdf,
        )
        .await?;
        n += 1;
    }
    Ok(n)
}

/// Demo achievements (科技成果) of 济源's institutes and enterprises at every stage: listed,
/// in notice (one with an objection the bureau has to resolve), waiting for review, dealt, and
/// the enterprise account's own draft and returned one.
pub async fn load_achievements(store: &Store, caller: &Caller, ent_id: i64) -> Result<usize> {
    use kechuang_domain::achievement::{AchievementInput, IpInput, NewAchievement, Status};
    let jiyuan = orgs_of(store, "419001").await?;
    let today = chrono::Utc::now().date_naive();
    let day = |back: u64| (today - chrono::Days::new(back)).to_string();
    // Valid 12-digit patent application numbers with their check digit.
    let patent = |n: u64| -> String {
        let d = format!("2021{:08}", 10_000_000 + n);
        let c = kechuang_domain::achievement::patent_check_digit(&d).unwrap_or('0');
        format!("ZL{d}.{c}")
    };
    // (title, area, keywords, trl, modes, price yuan (0 = 面议), stage)
    type Item<'a> = (
        &'a str,
        &'a str,
        &'a [&'a str],
        i64,
        &'a [&'a str],
        i64,
        &'a str,
    );
    let items: [Item; 9] = [
        (
            "高纯铅连续电解精炼技术",
            "materials",
            &["铅冶炼", "电解精炼"],
            7,
            &["transfer", "license_ordinary"],
            1_200_000,
            "listed",
        ),
        (
            "冶炼烟气深度脱硫脱硝一体化技术",
            "environment",
            &["烟气治理", "脱硫脱硝"],
            6,
            &["license_ordinary", "service"],
            0,
            "listed",
        ),
        (
            "特殊钢连铸坯质量在线判定系统",
            "manufacturing",
            &["连铸", "质量判定"],
            8,
            &["transfer"],
            800_000,
            "listed",
        ),
        (
            "锌冶炼渣有价金属综合回收工艺",
            "environment",
            &["锌渣", "资源回收"],
            5,
            &["cooperative"],
            0,
            "notice",
        ),
        (
            "冬凌草高产栽培与加工技术",
            "biomedicine",
            &["冬凌草", "栽培"],
            8,
            &["transfer", "service"],
            300_000,
            "notice_objected",
        ),
        (
            "碳化硅功率模块低应力封装工艺",
            "electronics",
            &["碳化硅", "封装"],
            4,
            &["cooperative", "equity"],
            0,
            "pending",
        ),
        (
            "矿热炉余热梯级利用技术",
            "energy",
            &["余热", "节能"],
            9,
            &["license_exclusive"],
            2_000_000,
            "dealt",
        ),
        (
            "铅酸电池再生铅短流程工艺",
            "materials",
            &["再生铅", "短流程"],
            6,
            &["transfer"],
            1_500_000,
            "ent_returned",
        ),
        (
            "冶炼车间智能巡检机器人",
            "manufacturing",
            &["巡检机器人", "智能制造"],
            5,
            &["cooperative"],
            0,
            "ent_draft",
        ),
    ];
    let mut n = 0;
    for (k, (title, area, keywords, trl, modes, price, stage)) in items.into_iter().enumerate() {
        let owner = if stage.starts_with("ent_") {
            ent_id
        } else {
            jiyuan[(k * 7 + 3) % jiyuan.len()].0
        };
        let input = AchievementInput {
            title: title.into(),
            area: area.into(),
            // GB/T 4754-2017 classes of the achievements, in order (铅锌冶炼, 大气污染治理,
            // 炼钢, 铅锌冶炼, 中药材种植, 半导体分立器件, 余热利用 in 炼铁, 铅锌冶炼, 特殊作业机器人).
            industry: [
                "C3212", "N7722", "C3120", "C3212", "A0170", "C3972", "C3110", "C3212", "C3491",
            ][k]
                .into(),
            keywords: keywords.iter().map(|s| (*s).to_owned()).collect(),
            summary: format!(
                "{title}：面向济源有色金属、钢铁和特色农业产业的应用成果，已在本地企业开展验证，可提供技术资料与现场指导。"
            ),
            trl,
            team: Vec::new(),
            ip: vec![IpInput {
                kind: "invention_patent".into(),
                number: patent(k as u64 + 1),
            }],
            modes: modes.iter().map(|s| (*s).to_owned()).collect(),
            negotiable: price == 0,
            asking_price: if price == 0 {
                String::new()
            } else {
                price.to_string()
            },
            contact: "技术转移办公室 0391-6632000".into(),
        };
        let parsed = NewAchievement::parse(&input).map_err(|e| anyhow::anyhow!("{e}"))?;
        let a = store.create_achievement(caller, owner, &parsed).await?;
        n += 1;
        if stage == "ent_draft" {
            continue;
        }
        store
            .move_achievement(
                caller,
                a.id,
                "submit",
                &[Status::Draft],
                vec![
                    ("status", Status::Pending.as_str().into()),
                    ("submitted_on", day(40).into()),
                ],
                "提交审核",
            )
            .await?;
        if stage == "pending" {
            continue;
        }
        if stage == "ent_returned" {
            store
                .move_achievement(
                    caller,
                    a.id,
                    "return",
                    &[Status::Pending],
                    vec![
                        ("status", Status::Returned.as_str().into()),
                        (
                            "return_reason",
                            "请补充与现有工艺的性能对比数据和专利权属证明".into(),
                        ),
                    ],
                    "审核",
                )
                .await?;
            continue;
        }
        // In notice since 30 days ago (listed ones) or 5 days ago (still in notice).
        let back: u64 = if stage.starts_with("notice") { 5 } else { 30 };
        store
            .move_achievement(
                caller,
                a.id,
                "publish",
                &[Status::Pending],
                vec![
                    ("status", Status::Notice.as_str().into()),
                    ("notice_start", day(back).into()),
                    (
                        "notice_end",
                        (today - chrono::Days::new(back) + chrono::Days::new(15))
                            .to_string()
                            .into(),
                    ),
                    ("notice_days", 15i64.into()),
                ],
                "审核",
            )
            .await?;
        if stage == "notice_objected" {
            store
                .object_to_achievement(
                    caller,
                    "济源市某农业合作社",
                    a.id,
                    "该栽培技术的部分内容与本社已公开的技术规程相同，请核实权属",
                )
                .await?;
            continue;
        }
        if stage == "notice" {
            continue;
        }
        store
            .move_achievement(
                caller,
                a.id,
                "list",
                &[Status::Notice],
                vec![
                    ("status", Status::Listed.as_str().into()),
                    ("listed_on", day(14).into()),
                ],
                "挂牌",
            )
            .await?;
        if stage == "dealt" {
            store
                .move_achievement(
                    caller,
                    a.id,
                    "deal",
                    &[Status::Listed],
                    vec![
                        ("status", Status::Dealt.as_str().into()),
                        ("closed_on", day(3).into()),
                    ],
                    "登记成交",
                )
                .await?;
        }
    }
    Ok(n)
}

/// Demo technical demands (技术需求) of 济源 and 孟州 enterprises, worded so the matching finds
/// the demo achievements they fit (and one that nothing on the market fits yet).
pub async fn load_demands(store: &Store, caller: &Caller, ent_id: i64) -> Result<usize> {
    use kechuang_store::projects::Demand;
    let jiyuan = orgs_of(store, "419001").await?;
    let mengzhou = orgs_of(store, "410883").await?;
    let today = chrono::Utc::now().date_naive();
    let deadline = |days: u64| (today + chrono::Days::new(days)).to_string();
    // (org, title, description, target, budget min, max (万元), area, keywords, trl)
    type Row<'a> = (
        i64,
        &'a str,
        &'a str,
        &'a str,
        i64,
        i64,
        &'a str,
        &'a [&'a str],
        i64,
    );
    let rows: [Row; 5] = [
        (
            ent_id,
            "铅冶炼烟气深度脱硫脱硝技术需求",
            "现有冶炼烟气脱硫系统难以稳定达到超低排放，需引进脱硫脱硝一体化技术",
            "二氧化硫排放浓度稳定低于35毫克每立方米",
            100,
            300,
            "environment",
            &["烟气脱硫", "冶炼"],
            6,
        ),
        (
            jiyuan[5].0,
            "高纯铅连续精炼工艺提升",
            "电解精炼能耗偏高，寻求连续化电解精炼工艺及装备",
            "吨铅直流电耗下降10%以上",
            80,
            150,
            "materials",
            &["电解精炼", "铅冶炼"],
            6,
        ),
        (
            jiyuan[9].0,
            "钢铁连铸坯质量在线检测",
            "需要连铸坯表面和内部质量的在线判定系统",
            "判定准确率95%以上",
            50,
            100,
            "manufacturing",
            &["连铸", "质量判定"],
            7,
        ),
        (
            mengzhou.first().map(|o| o.0).unwrap_or(ent_id),
            "冶炼废渣中有价金属回收",
            "锌冶炼渣堆存量大，寻求综合回收有价金属的工艺",
            "锌、铟回收率85%以上",
            0,
            500,
            "environment",
            &["锌渣", "资源回收"],
            5,
        ),
        (
            jiyuan[12].0,
            "食用菌工厂化栽培环境控制",
            "需要食用菌工厂化栽培的温湿度与二氧化碳智能控制方案",
            "单产提高15%",
            20,
            60,
            "biomedicine",
            &["食用菌", "环境控制"],
            5,
        ),
    ];
    let mut n = 0;
    for (k, (org, title, description, target, lo, hi, area, keywords, trl)) in
        rows.into_iter().enumerate()
    {
        store
            .post_demand(
                caller,
                &Demand {
                    id: 0,
                    org_id: org,
                    org_name: String::new(),
                    title: title.into(),
                    description: description.into(),
                    target: target.into(),
                    budget: Some((hi * 10_000).to_string()),
                    status: String::new(),
                    status_label: String::new(),
                    call_id: None,
                    region_path: String::new(),
                    budget_min: (lo > 0).then(|| (lo * 10_000).to_string()),
                    deadline: Some(deadline(60 + 30 * k as u64)),
                    area: area.into(),
                    area_label: String::new(),
                    keywords: keywords.iter().map(|s| (*s).to_owned()).collect(),
                    trl_min: Some(trl),
                    region_code: String::new(),
                },
            )
            .await?;
        n += 1;
    }
    Ok(n)
}

/// The demo's 技术经纪人: (name, certificate, level, agency name or "" for none, region).
const BROKERS: [(&str, &str, &str, &str, &str); 4] = [
    (
        "王立新",
        "JY-TB-2021-0003",
        "senior",
        "济源市科技成果转移转化中心",
        "419001",
    ),
    (
        "赵雅琴",
        "JY-TB-2022-0011",
        "intermediate",
        "济源市生产力促进中心",
        "419001",
    ),
    (
        "孙浩然",
        "JY-TB-2024-0027",
        "junior",
        "济源市知识产权服务中心",
        "419001",
    ),
    ("刘晓峰", "MZ-TB-2023-0005", "intermediate", "", "410883"),
];

/// Load the demo brokers and 对接活动: four brokers (three at 济源's service agencies, one in
/// 孟州), and four events: a 2025 roadshow whose outcome links the contracts signed after it,
/// a 2025 供需对接会 with intents, a 2026 揭榜挂帅 对接 without a result, and one still to come.
pub async fn load_brokerage(store: &Store, caller: &Caller) -> Result<usize> {
    use kechuang_domain::brokerage::{
        BrokerInput, EventInput, NewBroker, NewEvent, NewOutcome, OutcomeInput,
    };
    use kechuang_store::achievements::AchievementFilter;
    use kechuang_store::contracts::ContractFilter;
    let all = kechuang_store::DataScope::All;
    let jiyuan = orgs_of(store, "419001").await?;
    let agency = |name: &str| jiyuan.iter().find(|(_, n)| n == name).map(|(id, _)| *id);
    let mut brokers = Vec::new();
    for (name, cert, level, org, region) in BROKERS {
        let b = NewBroker::parse(&BrokerInput {
            name: name.into(),
            certificate_no: cert.into(),
            level: level.into(),
            org_id: agency(org),
            region: region.into(),
            areas: vec!["materials".into(), "energy".into()],
            phone: "0391-6633000".into(),
            status: String::new(),
        })
        .map_err(|e| anyhow::anyhow!("{e}"))?;
        brokers.push(store.create_broker(caller, &b).await?.id);
    }
    let hall = store
        .list_achievements(
            &all,
            &AchievementFilter {
                hall: true,
                ..Default::default()
            },
            kechuang_store::PageRequest::new(1, 20),
        )
        .await?
        .items;
    let demands = store
        .demand_hall(None, None, None, kechuang_store::PageRequest::new(1, 20))
        .await?
        .items;
    let today = chrono::Utc::now().date_naive();
    let events = [
        (
            "2025年济源市新材料科技成果路演",
            "roadshow",
            "2025-04-18".to_owned(),
            "济源市科技馆报告厅",
            hall.iter().take(2).map(|a| a.id).collect::<Vec<_>>(),
            vec![],
            vec![brokers[0], brokers[1]],
        ),
        (
            "济源—郑州高校院所供需对接会",
            "matchmaking",
            "2025-09-12".to_owned(),
            "济源市产业集聚区管委会",
            hall.iter().skip(2).take(2).map(|a| a.id).collect(),
            demands.iter().take(2).map(|d| d.id).collect(),
            vec![brokers[1], brokers[2]],
        ),
        (
            "2026年揭榜挂帅技术难题对接会",
            "challenge",
            "2026-03-20".to_owned(),
            "济源市科学技术局",
            vec![],
            demands.iter().skip(2).take(2).map(|d| d.id).collect(),
            vec![brokers[0]],
        ),
        (
            "2026年秋季技术转移对接周",
            "matchmaking",
            (today + chrono::Days::new(20)).to_string(),
            "济源市科技成果转移转化中心",
            hall.iter().take(3).map(|a| a.id).collect(),
            demands.iter().take(1).map(|d| d.id).collect(),
            vec![brokers[2]],
        ),
    ];
    let mut ids = Vec::new();
    for (title, kind, held_on, place, achievement_ids, demand_ids, broker_ids) in events {
        let e = NewEvent::parse(&EventInput {
            title: title.into(),
            kind: kind.into(),
            held_on,
            place: place.into(),
            organizer: "济源市科学技术局".into(),
            region: "419001".into(),
            achievement_ids,
            demand_ids,
            broker_ids,
            org_ids: vec![],
            note: String::new(),
        })
        .map_err(|e| anyhow::anyhow!("{e}"))?;
        ids.push((store.create_event(caller, &e).await?, e.held_on));
    }
    // The roadshow's outcome: two registered 2025 contracts of 济源 sellers signed after it.
    let jiyuan_scope = kechuang_store::DataScope::Region {
        code: "419001".into(),
        path: "/410000/419000/419001/".into(),
    };
    let after_roadshow: Vec<i64> = store
        .list_contracts(
            &jiyuan_scope,
            &ContractFilter {
                year: Some(2025),
                status: Some("registered".into()),
                ..Default::default()
            },
            kechuang_store::PageRequest::new(1, 200),
        )
        .await?
        .items
        .into_iter()
        .filter(|c| c.signed_on.as_str() >= "2025-04-18")
        .map(|c| c.id)
        .take(2)
        .collect();
    let outcomes = [
        (
            "signed",
            3,
            after_roadshow,
            "路演后两家企业与成果完成单位签订技术转让合同",
        ),
        (
            "intent",
            3,
            vec![],
            "三家企业与高校院所达成合作意向，待签约",
        ),
        (
            "none",
            0,
            vec![],
            "两项难题暂无合适的揭榜方，转入下一批榜单",
        ),
    ];
    for ((e, held), (outcome, intents, contract_ids, note)) in ids.iter().zip(outcomes) {
        let o = NewOutcome::parse(
            &OutcomeInput {
                outcome: outcome.into(),
                intents,
                contract_ids,
                note: note.into(),
            },
            *held,
            today,
        )
        .map_err(|e| anyhow::anyhow!("{e}"))?;
        store.record_outcome(caller, e.id, &o).await?;
    }
    Ok(brokers.len() + ids.len())
}
