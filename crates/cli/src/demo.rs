//! The demo region: 济源 (419001), consistent with the baselines its 14th Five-Year S&T plan
//! states for the end of the 13th plan (2020): 52 高新技术企业, 32 省级工程技术研究中心, 94 市级企业技术
//! (研究)中心, 38 市级重点实验室, 1 省级重点实验室, 4 省级新型研发机构, 3 国家级 and 9 省级星创天地,
//! 1 院士工作站. A neighbouring county-level city, 孟州市 (410883), gets a smaller population so a
//! county bureau account has data of its own and the scoping can be seen.
//!
//! Everything is drawn from a fixed-seed generator: the same command always produces the same
//! registry (ids and timestamps aside).

use anyhow::{Context, Result};
use chrono::NaiveDate;
use kechuang_domain::enterprise_year::Figures;
use kechuang_domain::organization::{IndustryCode, NewOrganization, OrgKind, SizeClass};
use kechuang_domain::person::{NewPerson, TitleLevel};
use kechuang_domain::platform::{NewPlatform, PlatformLevel, PlatformStatus, PlatformType};
use kechuang_domain::{CreditCode, RegionCode};
use kechuang_server::auth::hash_password;
use kechuang_store::accounts::NewUser;
use kechuang_store::{Caller, DataScope, PageRequest, Store};
use rust_decimal::Decimal;

/// SplitMix64: tiny, fast, and good enough for synthetic data.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Self(seed)
    }
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in [0, n).
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n.max(1)
    }
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
    pub fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len() as u64) as usize]
    }
}

const PREFIX: &[&str] = &[
    "豫光",
    "济钢",
    "中原",
    "王屋",
    "愚公",
    "沁园",
    "太行",
    "黄河",
    "济水",
    "丰田",
    "金利",
    "万洋",
    "联创",
    "博奥",
    "瑞特",
    "恒通",
    "鑫源",
    "华信",
    "天坛",
    "轵城",
    "承留",
    "梨林",
    "克井",
    "五龙",
    "坡头",
    "大峪",
    "思礼",
    "邵原",
    "下冶",
    "玉川",
    "济渎",
    "盘谷",
    "小浪底",
    "沁北",
    "虎岭",
    "荆梁",
    "北海",
    "天坛山",
    "宏达",
    "锦程",
    "卓越",
    "启明",
    "东方",
    "国泰",
    "同力",
    "信诚",
    "新天地",
    "金马",
    "蓝天",
    "绿源",
];
const MIDDLE: &[&str] = &[
    "科技",
    "新材料",
    "精密",
    "环保",
    "智能",
    "生物",
    "电子",
    "化工",
    "机械",
    "能源",
    "装备",
    "信息",
    "食品",
    "医药",
    "冶金",
];
const SUFFIX: &[&str] = &["有限公司", "股份有限公司", "有限责任公司"];

/// (GB/T 4754 class, weight) for 济源's industry mix: non-ferrous metals, steel, chemicals,
/// equipment, new materials, energy saving, food.
const INDUSTRIES: &[(&str, u64)] = &[
    ("C3211", 6),
    ("C3216", 4),
    ("C3110", 3),
    ("C3130", 3),
    ("C2614", 5),
    ("C2661", 4),
    ("C3985", 3),
    ("C3441", 4),
    ("C3599", 5),
    ("C3831", 3),
    ("C3011", 2),
    ("C1469", 3),
    ("C2710", 2),
    ("M7320", 4),
    ("I6513", 3),
    ("N7721", 2),
    ("C4220", 2),
    ("D4411", 2),
    ("C3360", 3),
    ("C2929", 2),
];

fn industry(rng: &mut Rng) -> &'static str {
    let total: u64 = INDUSTRIES.iter().map(|(_, w)| w).sum();
    let mut x = rng.below(total);
    for (code, w) in INDUSTRIES {
        if x < *w {
            return code;
        }
        x -= w;
    }
    INDUSTRIES[0].0
}

const CHARS: &[u8] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";

/// A valid credit code registered in `region` (登记管理机关行政区划码) with a unique serial.
pub(crate) fn credit_code(region: &str, serial: u64, kind: OrgKind) -> Result<CreditCode> {
    let head = match kind {
        OrgKind::Enterprise | OrgKind::Financial => "91",
        OrgKind::University | OrgKind::Institute | OrgKind::Hospital => "12",
        OrgKind::ServiceAgency | OrgKind::Other => "52",
    };
    let mut body = String::new();
    let mut s = serial.wrapping_mul(2_654_435_761).wrapping_add(97);
    for _ in 0..9 {
        body.push(CHARS[(s % 31) as usize] as char);
        s /= 31;
    }
    CreditCode::complete(&format!("{head}{region}{body}")).map_err(|e| anyhow::anyhow!("{e}"))
}

fn yuan(v: f64) -> Decimal {
    Decimal::from_f64_retain((v / 100.0).round() * 100.0)
        .unwrap_or_default()
        .round_dp(0)
}

/// Demo accounts: (username, display name, scope kind, region, roles).
pub const DEMO_USERS: &[(&str, &str, &str, &str, &[&str])] = &[
    (
        "henan",
        "河南省科技厅（只读）",
        "region",
        "410000",
        &["leader"],
    ),
    ("jiyuan", "济源市科技局", "region", "419001", &["officer"]),
    ("mengzhou", "孟州市科技局", "region", "410883", &["officer"]),
    (
        "dengji",
        "济源市技术合同登记站（登记员）",
        "region",
        "419001",
        &["registrar"],
    ),
    (
        "dengji2",
        "济源市技术合同登记站（复核员）",
        "region",
        "419001",
        &["registrar"],
    ),
    ("auditor", "审计管理员", "all", "419001", &["auditor"]),
];

pub struct DemoSummary {
    pub organizations: u64,
    pub enterprise_years: u64,
    pub platforms: usize,
    pub persons: usize,
    pub users: Vec<String>,
}

struct Ent {
    code: String,
    hnte_from: Option<i32>,
    employees: f64,
    growth: f64,
    tech_share: f64,
    rd_share: f64,
    founded: i32,
    /// Profiled as a 科技型中小企业 (tech staff, R&D and IP of the kind that scores ≥ 60).
    tech_sme: bool,
}

/// Load the demo into an empty registry.
pub async fn load(store: &Store, password: &str, id_key: &[u8]) -> Result<DemoSummary> {
    let existing = store
        .list_organizations(&DataScope::All, &Default::default(), PageRequest::new(1, 1))
        .await?;
    if existing.total > 0 {
        anyhow::bail!(
            "数据库中已有 {} 个单位，演示数据只能载入空库",
            existing.total
        );
    }
    let caller = Caller::system("demo");
    let mut rng = Rng::new(0x4B45_4348_5541_4E47); // "KECHUANG"
    let jiyuan = RegionCode::parse("419001")?;
    let mengzhou = RegionCode::parse("410883")?;

    // ---- organizations ----
    let mut orgs: Vec<(usize, NewOrganization)> = Vec::new();
    let mut ents: Vec<Ent> = Vec::new();
    let mut names = std::collections::HashSet::new();
    let plan: [(RegionCode, &str, &str, usize); 2] = [
        (jiyuan, "419001", "济源", 2400),
        (mengzhou, "410883", "孟州", 400),
    ];
    let mut serial = 1u64;
    for (region, rc, place, n) in plan {
        for i in 0..n {
            let name = loop {
                let cand = format!(
                    "{}{}{}{}",
                    place,
                    rng.pick(PREFIX),
                    rng.pick(MIDDLE),
                    rng.pick(SUFFIX)
                );
                let cand = if names.contains(&cand) {
                    format!(
                        "{}{}{}分公司",
                        cand.trim_end_matches("有限公司"),
                        rng.below(90) + 10,
                        ""
                    )
                } else {
                    cand
                };
                if names.insert(cand.clone()) {
                    break cand;
                }
            };
            let code = credit_code(rc, serial, OrgKind::Enterprise)?;
            serial += 1;
            let founded = 1995 + rng.below(29) as i32;
            let employees = (8.0 * (1.0 + rng.unit() * 5.0).powf(2.6)).min(6000.0);
            let size = match employees as i64 {
                0..=19 => SizeClass::Micro,
                20..=299 => SizeClass::Small,
                300..=999 => SizeClass::Medium,
                _ => SizeClass::Large,
            };
            orgs.push((
                i + 2,
                NewOrganization {
                    credit_code: code.clone(),
                    name,
                    kind: OrgKind::Enterprise,
                    region,
                    industry: Some(IndustryCode::parse(industry(&mut rng))?),
                    founded_on: NaiveDate::from_ymd_opt(
                        founded,
                        1 + rng.below(12) as u32,
                        1 + rng.below(28) as u32,
                    ),
                    legal_representative: Some(format!(
                        "{}{}",
                        rng.pick(&[
                            "王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙",
                            "马", "朱", "胡", "郭", "何", "卫", "原", "贾"
                        ]),
                        rng.pick(&[
                            "伟", "敏", "静", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明",
                            "超", "霞", "平", "刚", "建国", "红梅", "志强", "海燕"
                        ])
                    )),
                    size_class: Some(size),
                },
            ));
            ents.push(Ent {
                code: code.as_str().to_owned(),
                hnte_from: None,
                employees,
                growth: 0.96 + rng.unit() * 0.16,
                tech_share: 0.04 + rng.unit() * 0.12,
                rd_share: 0.002 + rng.unit() * 0.025,
                founded,
                tech_sme: rng.below(100) < 6,
            });
        }
    }
    // Universities, institutes, hospitals, agencies of 济源.
    let others: &[(&str, OrgKind)] = &[
        ("济源职业技术学院", OrgKind::University),
        ("河南理工大学济源研究院", OrgKind::Institute),
        ("济源市农业科学研究所", OrgKind::Institute),
        ("济源市林业科学研究所", OrgKind::Institute),
        ("济源市产业技术研究院", OrgKind::Institute),
        ("济源市人民医院", OrgKind::Hospital),
        ("济源市第二人民医院", OrgKind::Hospital),
        ("济源市科技成果转移转化中心", OrgKind::ServiceAgency),
        ("济源市生产力促进中心", OrgKind::ServiceAgency),
        ("济源市知识产权服务中心", OrgKind::ServiceAgency),
        ("济源市检验检测认证中心", OrgKind::ServiceAgency),
        ("济源市科技企业孵化器管理中心", OrgKind::ServiceAgency),
    ];
    for (name, kind) in others {
        let code = credit_code("419001", serial, *kind)?;
        serial += 1;
        orgs.push((
            orgs.len() + 2,
            NewOrganization {
                credit_code: code,
                name: (*name).to_owned(),
                kind: *kind,
                region: jiyuan,
                industry: Some(IndustryCode::parse(match kind {
                    OrgKind::University => "P8341",
                    OrgKind::Hospital => "Q8411",
                    OrgKind::Institute => "M7320",
                    _ => "M7520",
                })?),
                founded_on: NaiveDate::from_ymd_opt(1980 + rng.below(35) as i32, 6, 1),
                legal_representative: None,
                size_class: None,
            },
        ));
    }

    // ---- 高新技术企业: 52 in Jiyuan at the end of 2020, growing to 132 by 2025 (short of the
    // plan's 150 for 2025: the monitoring pages show 未达标). 孟州: 9 → 21. ----
    let jiyuan_idx: Vec<usize> = (0..2400).collect();
    let mut by_size: Vec<usize> = jiyuan_idx.clone();
    by_size.sort_by(|a, b| ents[*b].employees.total_cmp(&ents[*a].employees));
    let hnte_counts = [
        (2020, 52usize),
        (2021, 68),
        (2022, 85),
        (2023, 101),
        (2024, 118),
        (2025, 132),
    ];
    // Candidates: the larger firms, in a shuffled order.
    let mut cands: Vec<usize> = by_size.into_iter().take(400).collect();
    for i in (1..cands.len()).rev() {
        let j = rng.below(i as u64 + 1) as usize;
        cands.swap(i, j);
    }
    let mut assigned = 0usize;
    for (year, count) in hnte_counts {
        while assigned < count {
            ents[cands[assigned]].hnte_from = Some(year);
            assigned += 1;
        }
    }
    let mz: Vec<usize> = (2400..2800).collect();
    for (k, idx) in mz.iter().take(21).enumerate() {
        ents[*idx].hnte_from = Some(if k < 9 {
            2020
        } else {
            2021 + (k as i32 - 9) / 3
        });
    }

    // Every 高企 existed before 2016, so it has figures for every demo year.
    for (i, e) in ents.iter_mut().enumerate() {
        if e.hnte_from.is_some() && e.founded > 2015 {
            e.founded = 2010 + (e.founded % 6);
            orgs[i].1.founded_on = NaiveDate::from_ymd_opt(e.founded, 3, 15);
        }
    }
    let rep = store
        .import_organizations(&caller, &orgs, false, false)
        .await?;
    let summary =
        rep.map_err(|p| anyhow::anyhow!("demo organizations rejected: {:?}", p.first()))?;

    // ---- enterprise-year figures 2020–2025 ----
    let mut year_rows = Vec::new();
    let mut row = 2usize;
    for e in &ents {
        for year in 2020..=2025 {
            if year < e.founded {
                continue;
            }
            let t = f64::from(year - 2020);
            let hnte = e.hnte_from.is_some_and(|y| y <= year);
            let emp = (e.employees * e.growth.powf(t)).round().max(3.0);
            let tech_share = if hnte {
                e.tech_share.max(0.11) + 0.02
            } else if e.tech_sme {
                0.16 + e.tech_share
            } else {
                e.tech_share
            };
            let tech = (emp * tech_share).round().min(emp);
            let revenue = emp * (280_000.0 + 900_000.0 * (e.growth - 0.9)) * (1.0 + 0.04 * t);
            let rd_share = if hnte {
                e.rd_share.max(0.031) + 0.01
            } else if e.tech_sme {
                0.03 + e.rd_share * 1.5
            } else {
                e.rd_share
            };
            let rd = revenue * rd_share;
            let total_income = revenue * 1.02;
            let ip1 = if hnte {
                1 + (emp / 120.0) as i64
            } else {
                i64::from(rng.below(10) == 0)
            };
            let inv = ip1.min(if hnte { 1 + (emp / 300.0) as i64 } else { ip1 });
            let f = Figures {
                employees: Some(emp as i64),
                tech_staff: Some(tech as i64),
                revenue: Some(yuan(revenue)),
                total_income: Some(yuan(total_income)),
                high_tech_revenue: Some(yuan(if hnte {
                    total_income * 0.68
                } else {
                    total_income * 0.1
                })),
                total_assets: Some(yuan(revenue * 1.3)),
                net_assets: Some(yuan(
                    revenue * (0.5 - 0.1 * (e.growth < 0.98) as i32 as f64),
                )),
                total_cost: Some(yuan(revenue * 0.9)),
                rd_expense: Some(yuan(rd)),
                rd_expense_domestic: Some(yuan(rd * 0.97)),
                ip_class1: Some(ip1),
                ip_class2: Some(if hnte {
                    4 + (emp / 40.0) as i64
                } else if e.tech_sme {
                    3 + rng.below(4) as i64
                } else {
                    rng.below(4) as i64
                }),
                invention_patents: Some(inv),
                utility_models: Some(if hnte {
                    3 + (emp / 50.0) as i64
                } else {
                    rng.below(3) as i64
                }),
                software_copyrights: Some(rng.below(3) as i64),
                hte_valid: Some(hnte),
                national_award_5y: Some(false),
                provincial_rd_institution: Some(false),
                standard_lead_5y: Some(hnte && rng.below(8) == 0),
                serious_violation: Some(false),
            };
            year_rows.push((row, e.code.clone(), year, f));
            row += 1;
        }
    }
    let yr = store
        .import_enterprise_years(&caller, &year_rows, false)
        .await?;
    let years = yr.map_err(|p| anyhow::anyhow!("demo figures rejected: {:?}", p.first()))?;

    // ---- platforms ----
    let org_page = store
        .export_organizations(&DataScope::All, &Default::default(), 10_000)
        .await?;
    let id_of: std::collections::HashMap<&str, i64> = org_page
        .iter()
        .map(|o| (o.credit_code.as_str(), o.id))
        .collect();
    let name_of: std::collections::HashMap<i64, &str> =
        org_page.iter().map(|o| (o.id, o.name.as_str())).collect();
    let hosts: Vec<i64> = cands
        .iter()
        .take(260)
        .filter_map(|i| id_of.get(ents[*i].code.as_str()).copied())
        .collect();
    let institute = org_page
        .iter()
        .find(|o| o.name == "河南理工大学济源研究院")
        .map(|o| o.id)
        .context("institute")?;
    let college = org_page
        .iter()
        .find(|o| o.name == "济源职业技术学院")
        .map(|o| o.id)
        .context("college")?;
    // (type, level, count recognized by 2020, added 2021–2025)
    let spec: &[(PlatformType, PlatformLevel, usize, usize)] = &[
        (
            PlatformType::EngineeringResearchCenter,
            PlatformLevel::Provincial,
            32,
            14,
        ),
        (
            PlatformType::EnterpriseTechCenter,
            PlatformLevel::City,
            94,
            41,
        ),
        (PlatformType::KeyLaboratory, PlatformLevel::City, 38, 17),
        (PlatformType::KeyLaboratory, PlatformLevel::Provincial, 1, 2),
        (
            PlatformType::NewRdInstitution,
            PlatformLevel::Provincial,
            4,
            3,
        ),
        (
            PlatformType::StarInnovationBase,
            PlatformLevel::National,
            3,
            0,
        ),
        (
            PlatformType::StarInnovationBase,
            PlatformLevel::Provincial,
            9,
            2,
        ),
        (
            PlatformType::AcademicianWorkstation,
            PlatformLevel::Provincial,
            1,
            1,
        ),
        (
            PlatformType::EngineeringResearchCenter,
            PlatformLevel::City,
            0,
            30,
        ),
        (PlatformType::Incubator, PlatformLevel::Provincial, 2, 1),
        (PlatformType::MakerSpace, PlatformLevel::City, 5, 4),
        (PlatformType::PilotBase, PlatformLevel::Provincial, 0, 2),
        (
            PlatformType::EnterpriseTechCenter,
            PlatformLevel::Internal,
            20,
            10,
        ),
    ];
    let mut n_platforms = 0usize;
    let mut h = 0usize;
    for (ptype, level, before, after) in spec {
        for k in 0..(before + after) {
            let host = match ptype {
                PlatformType::StarInnovationBase
                | PlatformType::Incubator
                | PlatformType::MakerSpace => {
                    if k % 2 == 0 {
                        institute
                    } else {
                        college
                    }
                }
                _ => {
                    h += 1;
                    hosts[h % hosts.len()]
                }
            };
            let year = if k < *before {
                2008 + (k as i32 * 7) % 13
            } else {
                2021 + ((k - before) as i32) % 5
            };
            let host_name = name_of.get(&host).copied().unwrap_or("济源");
            let short: String = host_name
                .trim_end_matches("股份有限公司")
                .trim_end_matches("有限责任公司")
                .trim_end_matches("有限公司")
                .to_owned();
            let label = match ptype {
                PlatformType::EnterpriseTechCenter if *level == PlatformLevel::Internal => {
                    "研发中心".to_owned()
                }
                _ => ptype.label().to_owned(),
            };
            let p = NewPlatform {
                name: format!("{}{}{}", level_prefix(*level), short, label)
                    + &if k > 0
                        && matches!(
                            ptype,
                            PlatformType::StarInnovationBase
                                | PlatformType::Incubator
                                | PlatformType::MakerSpace
                        )
                    {
                        format!("（{}）", k + 1)
                    } else {
                        String::new()
                    },
                platform_type: *ptype,
                level: *level,
                host_org_id: host,
                recognized_on: NaiveDate::from_ymd_opt(
                    year,
                    1 + (k as u32 * 5) % 12,
                    10 + (k as u32 % 15),
                ),
                approval_document: Some(format!(
                    "{}〔{year}〕{}号",
                    if *level >= PlatformLevel::Provincial {
                        "豫科"
                    } else {
                        "济科"
                    },
                    10 + k
                )),
                status: PlatformStatus::Active,
            };
            store.create_platform(&caller, &p).await?;
            n_platforms += 1;
        }
    }

    // ---- talents and experts ----
    let disciplines: &[(&str, &[&str])] = &[
        (
            "冶金工程",
            &["铅冶炼", "有色金属回收", "清洁冶炼", "稀贵金属"],
        ),
        (
            "材料科学与工程",
            &["纳米材料", "特种钢", "碳材料", "电池材料"],
        ),
        (
            "化学工程与技术",
            &["精细化工", "煤化工", "催化", "分离提纯"],
        ),
        ("机械工程", &["智能装备", "数控", "液压", "机器人"]),
        (
            "环境科学与工程",
            &["固废处理", "大气治理", "废水处理", "节能减排"],
        ),
        ("电子信息", &["工业互联网", "传感器", "嵌入式", "大数据"]),
        ("生物医药", &["中药", "生物制药", "医疗器械", "检验检测"]),
        ("农学", &["冬凌草", "薄皮核桃", "畜牧", "设施农业"]),
        (
            "管理科学与工程",
            &["技术转移", "科技金融", "知识产权", "创新管理"],
        ),
    ];
    let surnames = [
        "王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "段", "卫", "原", "贾", "郑",
        "冯", "苗", "翟",
    ];
    let given = [
        "建华", "志远", "晓东", "海峰", "丽娟", "文博", "国强", "春雨", "立新", "雪梅", "振宇",
        "玉兰", "宏伟", "慧敏", "俊杰", "秀英", "学军", "永刚",
    ];
    let titles = [
        ("正高级", TitleLevel::Senior, "教授级高级工程师"),
        ("正高级", TitleLevel::Senior, "研究员"),
        ("副高级", TitleLevel::AssociateSenior, "高级工程师"),
        ("副高级", TitleLevel::AssociateSenior, "副教授"),
        ("中级", TitleLevel::Intermediate, "工程师"),
    ];
    let mut n_persons = 0usize;
    // (person id, discipline index, is_expert) for the review demo.
    let mut people: Vec<(i64, usize, bool)> = Vec::new();
    for i in 0..360usize {
        let d_index = rng.below(disciplines.len() as u64) as usize;
        let (d, kws) = disciplines[d_index];
        let (_, level, title) = rng.pick(&titles);
        let org = match i % 6 {
            0 => Some(institute),
            1 => Some(college),
            _ => Some(hosts[(i * 7) % hosts.len()]),
        };
        let mut keywords: Vec<String> = Vec::new();
        for _ in 0..2 {
            let k = (*rng.pick(kws)).to_owned();
            if !keywords.contains(&k) {
                keywords.push(k);
            }
        }
        let id_number = kechuang_domain::id_number::IdNumber::complete(&format!(
            "419001{}{:02}{:02}{:03}",
            1960 + rng.below(35),
            1 + rng.below(12),
            1 + rng.below(28),
            i
        ));
        let p = NewPerson {
            name: format!("{}{}", rng.pick(&surnames), rng.pick(&given)),
            org_id: org,
            region: None,
            title: Some((*title).to_owned()),
            title_level: Some(*level),
            disciplines: vec![(*d).to_owned()],
            keywords,
            is_expert: i % 5 != 4,
            talent_programme: match i % 23 {
                0 => Some("中原英才计划".to_owned()),
                1 => Some("济源市创新创业领军人才".to_owned()),
                _ => None,
            },
            id_number,
        };
        let created = store.create_person(&caller, &p, id_key, None).await?;
        people.push((created.id, d_index, p.is_expert));
        n_persons += 1;
    }

    // ---- accounts ----
    let hash = hash_password(password).map_err(|e| anyhow::anyhow!("{}", e.body.message))?;
    let mut users = Vec::new();
    for (username, display, kind, region, roles) in DEMO_USERS {
        store
            .create_user(
                &caller,
                &NewUser {
                    username: (*username).to_owned(),
                    display_name: (*display).to_owned(),
                    password_hash: hash.clone(),
                    scope_kind: (*kind).to_owned(),
                    region: RegionCode::parse(region)?,
                    org_id: None,
                    roles: roles.iter().map(|r| (*r).to_owned()).collect(),
                    must_change_password: false,
                },
            )
            .await?;
        users.push((*username).to_owned());
    }
    // One enterprise account (the first 高企) and one expert account.
    let ent = &ents[cands[0]];
    let ent_id = *id_of.get(ent.code.as_str()).context("enterprise")?;
    store
        .create_user(
            &caller,
            &NewUser {
                username: "qiye".into(),
                display_name: format!(
                    "{}（企业用户）",
                    name_of.get(&ent_id).copied().unwrap_or("")
                ),
                password_hash: hash.clone(),
                scope_kind: "organization".into(),
                region: jiyuan,
                org_id: Some(ent_id),
                roles: vec!["enterprise".into()],
                must_change_password: false,
            },
        )
        .await?;
    users.push("qiye".into());
    let expert = store
        .create_user(
            &caller,
            &NewUser {
                username: "zhuanjia".into(),
                display_name: "卫建华（专家）".into(),
                password_hash: hash,
                scope_kind: "self".into(),
                region: jiyuan,
                org_id: None,
                roles: vec!["expert".into()],
                must_change_password: false,
            },
        )
        .await?;
    store
        .create_person(
            &caller,
            &NewPerson {
                name: "卫建华".into(),
                org_id: Some(institute),
                region: None,
                title: Some("研究员".into()),
                title_level: Some(TitleLevel::Senior),
                disciplines: vec!["冶金工程".into()],
                keywords: vec!["铅冶炼".into(), "清洁冶炼".into()],
                is_expert: true,
                talent_programme: None,
                id_number: None,
            },
            id_key,
            Some(expert.id),
        )
        .await?;
    users.push("zhuanjia".into());
    review_demo(store, &caller, &people).await?;
    monitoring_demo(store, &caller).await?;
    projects_demo(store, &caller, ent_id).await?;
    applications_2026_demo(store, &caller, &mut rng, disciplines, &hosts, ent_id).await?;
    crate::demo_contracts::load(
        store,
        &caller,
        ent_id,
        &demo_pdf("Technology contract (demo)"),
    )
    .await?;
    crate::demo_contracts::load_achievements(store, &caller, ent_id).await?;
    crate::demo_contracts::load_demands(store, &caller, ent_id).await?;
    crate::demo_contracts::load_brokerage(store, &caller).await?;
    crate::demo_platforms::load(store, &caller, ent_id).await?;
    let funds_hash = hash_password(password).map_err(|e| anyhow::anyhow!("{}", e.body.message))?;
    users.extend(crate::demo_funds::load(store, &caller, ent_id, &funds_hash).await?);
    users.extend(crate::demo_people::load(store, &caller, ent_id, id_key, &funds_hash).await?);
    crate::demo_platforms::load_incubatees(store, &caller).await?;
    Ok(DemoSummary {
        organizations: summary.inserted,
        enterprise_years: years.inserted,
        platforms: n_platforms,
        persons: n_persons + 1,
        users,
    })
}

fn level_prefix(l: PlatformLevel) -> &'static str {
    match l {
        PlatformLevel::National => "国家",
        PlatformLevel::Provincial => "河南省",
        PlatformLevel::City => "济源市",
        PlatformLevel::County => "",
        PlatformLevel::Internal => "",
    }
}

/// The expert pool's demo: co-memberships that make some experts conflicted and a few pool
/// settings. The 2026 review round is the call's own (`applications_2026_demo`).
async fn review_demo(store: &Store, caller: &Caller, people: &[(i64, usize, bool)]) -> Result<()> {
    use kechuang_store::review::{ExpertProfileInput, PersonLink};
    let experts: Vec<_> = people.iter().filter(|p| p.2).collect();
    let members: Vec<_> = people.iter().filter(|p| !p.2).collect();
    // Experts who took part in 2024 projects or papers with applicants' team members.
    for (n, m) in members.iter().enumerate().take(40) {
        let e = experts[(n * 13) % experts.len()];
        for (pid, kind) in [(m.0, "project"), (e.0, "project")] {
            store
                .add_person_link(
                    caller,
                    &PersonLink {
                        person_id: pid,
                        kind: kind.into(),
                        reference: format!("济科攻〔{}〕{:03}号", 2022 + n % 4, n + 1),
                        year: 2022 + (n % 4) as i32,
                    },
                )
                .await?;
        }
    }
    for (n, e) in experts.iter().enumerate().filter(|(n, _)| n % 17 == 0) {
        store
            .set_expert_profile(
                caller,
                e.0,
                &ExpertProfileInput {
                    max_load: if n % 2 == 0 { 3 } else { 6 },
                    available_from: None,
                    available_to: None,
                    active: n % 34 != 0,
                },
            )
            .await?;
    }
    Ok(())
}

/// The plan-monitoring demo: 科技型中小企业 evaluated for 2021–2025 (the indicator counts the
/// qualified ones), a few statistics entered with their source, and the 济源 “十四五” plan
/// uploaded with its extracted targets awaiting review.
async fn monitoring_demo(store: &Store, caller: &Caller) -> Result<()> {
    use kechuang_store::monitoring::{Entry, NewPlan};
    for year in 2021..=2025 {
        kechuang_server::rules_io::run_pack(store, caller, "tech-sme", year, None)
            .await
            .map_err(|e| anyhow::anyhow!("{}", e.body.message))?;
    }
    // 高新技术企业认定 for the latest year: the eligibility of the 揭榜挂帅 demo call.
    kechuang_server::rules_io::run_pack(store, caller, "hnte", 2025, None)
        .await
        .map_err(|e| anyhow::anyhow!("{}", e.body.message))?;
    // 济源: GDP (亿元 → 万元) and R&D expenditure (万元). Technology-contract turnover is
    // computed from the registered contracts (demo_contracts.rs keeps its yearly figures).
    let stats: [(&str, [i64; 5]); 2] = [
        (
            "gdp",
            [7_039_000, 7_630_000, 7_722_000, 7_980_000, 8_320_000],
        ),
        (
            "rd_expenditure",
            [145_000, 161_000, 173_000, 182_000, 196_000],
        ),
    ];
    for (element, values) in stats {
        for (i, v) in values.iter().enumerate() {
            let year = 2020 + i as i32;
            store
                .put_entry(
                    caller,
                    &Entry {
                        id: 0,
                        region_path: String::new(),
                        element: element.into(),
                        region: "419001".into(),
                        region_name: String::new(),
                        year,
                        value: Decimal::from(*v),
                        source: format!("济源市{}年国民经济和社会发展统计公报（演示数据）", year),
                        source_date: format!("{}-03-31", year + 1),
                        updated_at: 0,
                    },
                )
                .await?;
        }
    }
    let text = include_str!("../../plans/tests/seeds/jiyuan-14th-fyp-sti-plan.txt");
    let (targets, tasks) = kechuang_server::monitor_svc::extract(text);
    store
        .create_plan(
            caller,
            &NewPlan {
                title: "济源“十四五”科技创新发展规划".into(),
                region: RegionCode::parse("419001")?,
                base_year: 2020,
                target_year: 2025,
                file_name: Some("济源十四五科技创新发展规划.txt".into()),
                text: text.to_owned(),
            },
            &targets,
            &tasks,
        )
        .await?;
    Ok(())
}

/// The plan-project demo: a 揭榜挂帅 call and a 公开竞争 call of 济源, open from a month ago to
/// two months ahead; and the enterprise account's organization with a 2024 project taken from
/// application to 已结题 and rated 优秀 (its 履约记录, and the predecessor a 滚动支持 call of
/// 2026 can follow on from).
async fn projects_demo(store: &Store, caller: &Caller, ent_id: i64) -> Result<()> {
    use kechuang_domain::project::{CallInput, Eligibility, NewCall};
    let today = chrono::Utc::now().date_naive();
    let (open, close) = (
        (today - chrono::Duration::days(30)).to_string(),
        (today + chrono::Duration::days(60)).to_string(),
    );
    for input in [
        CallInput {
            title: "2026年度济源市铅冶炼烟气深度治理“揭榜挂帅”项目".into(),
            category: "重大科技专项".into(),
            mode: "揭榜挂帅".into(),
            region: Some("419001".into()),
            budget: "5000000".into(),
            opens_on: open.clone(),
            closes_on: close.clone(),
            eligibility: Some(Eligibility {
                pack: "hnte".into(),
                output: Some("meets_measurable".into()),
                description: "须满足高新技术企业认定的各项可量化条件".into(),
            }),
            challenge_target: Some("烟气二氧化硫排放浓度≤35mg/m³，系统连续稳定运行720小时".into()),
            challenge_reward: Some("2000000".into()),
            max_active_per_leader: Some(2),
            designated_orgs: Vec::new(),
            form: Vec::new(),
        },
        CallInput {
            title: "2026年度济源市科技攻关计划（公开竞争）".into(),
            category: "科技攻关".into(),
            mode: "公开竞争".into(),
            region: Some("419001".into()),
            budget: "3000000".into(),
            opens_on: open.clone(),
            closes_on: close.clone(),
            eligibility: None,
            challenge_target: None,
            challenge_reward: None,
            max_active_per_leader: Some(2),
            designated_orgs: Vec::new(),
            form: Vec::new(),
        },
        CallInput {
            title: "2026年度济源市科技攻关计划（滚动支持）".into(),
            category: "科技攻关".into(),
            mode: "滚动支持".into(),
            region: Some("419001".into()),
            budget: "1000000".into(),
            opens_on: open.clone(),
            closes_on: close.clone(),
            eligibility: None,
            challenge_target: None,
            challenge_reward: None,
            max_active_per_leader: Some(2),
            designated_orgs: Vec::new(),
            form: Vec::new(),
        },
    ] {
        let call = NewCall::parse(&input).map_err(|e| anyhow::anyhow!("{e}"))?;
        store.create_call(caller, &call).await?;
    }
    closed_project_demo(store, caller, ent_id).await
}

/// A 2024 公开竞争 project of `ent_id`, through every stage to 已结题, rated 优秀.
async fn closed_project_demo(store: &Store, caller: &Caller, ent_id: i64) -> Result<()> {
    use kechuang_domain::project::{
        Actor, ApplicationInput, BudgetLine, CallInput, Milestone, NewCall,
    };
    use kechuang_store::persons::PersonFilter;
    use kechuang_store::projects::{Disbursement, MilestoneCheck, PanelDecision};
    let day = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").context("date");
    let call = NewCall::parse(&CallInput {
        title: "2024年度济源市科技攻关计划（公开竞争）".into(),
        category: "科技攻关".into(),
        mode: "公开竞争".into(),
        region: Some("419001".into()),
        budget: "3000000".into(),
        opens_on: "2024-03-01".into(),
        closes_on: "2024-04-30".into(),
        max_active_per_leader: Some(2),
        ..CallInput::default()
    })
    .map_err(|e| anyhow::anyhow!("{e}"))?;
    let call = store.create_call(caller, &call).await?;
    let persons = store
        .list_persons(
            &DataScope::All,
            &PersonFilter {
                org_id: Some(ent_id),
                ..PersonFilter::default()
            },
            PageRequest::new(1, 2),
        )
        .await?
        .items;
    let leader = persons.first().context("the enterprise has people")?.id;
    let app = store
        .save_application(
            caller,
            None,
            &ApplicationInput {
                call_id: call.id,
                title: "含铅废气协同脱硫除尘中试研究".into(),
                org_id: ent_id,
                leader_id: leader,
                team: persons.iter().skip(1).map(|p| p.id).collect(),
                lump_sum: true,
                budget: vec![BudgetLine {
                    item: "包干总额".into(),
                    amount: "800000".into(),
                }],
                milestones: vec![Milestone {
                    title: "中试装置建成".into(),
                    due_on: "2025-06-30".into(),
                    target: "出口二氧化硫≤50mg/m³，连续运行500小时".into(),
                }],
                disciplines: vec!["环境工程".into()],
                keywords: vec!["烟气脱硫".into(), "除尘".into()],
                integrity_pledge: true,
                ..ApplicationInput::default()
            },
        )
        .await?;
    // Each move on its date; "panel" is the 会审决策 granting 70万元.
    let steps: [(&str, Actor, Option<&str>, &str); 9] = [
        ("submit", Actor::Applicant, None, "2024-04-10"),
        ("start_formal_check", Actor::Officer, None, "2024-05-06"),
        ("pass_formal_check", Actor::Officer, None, "2024-05-08"),
        ("to_panel", Actor::Officer, None, "2024-06-03"),
        ("panel", Actor::Officer, None, "2024-06-20"),
        ("sign_contract", Actor::Officer, None, "2024-07-01"),
        ("start", Actor::Officer, None, "2024-07-02"),
        ("request_acceptance", Actor::Applicant, None, "2025-09-15"),
        (
            "close",
            Actor::Officer,
            Some("验收通过：出口二氧化硫38mg/m³，中试装置连续运行620小时"),
            "2025-10-20",
        ),
    ];
    for (action, actor, reason, on) in steps {
        if action == "panel" {
            let approve = PanelDecision {
                application_id: app.id,
                approve: true,
                amount: Some("700000".into()),
                reason: None,
            };
            store
                .panel_decide(caller, call.id, &[approve], day(on)?)
                .await?;
        } else {
            if action == "close" {
                store
                    .check_milestone(
                        caller,
                        app.id,
                        &MilestoneCheck {
                            milestone: 0,
                            passed: true,
                            note: "现场核查：中试装置连续运行620小时，出口二氧化硫38mg/m³".into(),
                            evidence_name: None,
                            evidence_sha256: None,
                            at: 0,
                            by: String::new(),
                        },
                    )
                    .await?;
                for (amount, note) in [
                    ("350000", "任务书签订后首期拨付"),
                    ("350000", "里程碑考核通过后拨付"),
                ] {
                    store
                        .disburse(
                            caller,
                            app.id,
                            &Disbursement {
                                milestone: (note.starts_with('里')).then_some(0),
                                amount: amount.into(),
                                note: note.into(),
                                at: 0,
                                by: String::new(),
                            },
                        )
                        .await?;
                }
            }
            store
                .transition_application(caller, app.id, action, actor, reason, day(on)?)
                .await?;
        }
    }
    store
        .rate_project(
            caller,
            app.id,
            "excellent",
            "指标全部完成，成果已在本企业应用",
            day("2025-11-05")?,
        )
        .await?;
    Ok(())
}

/// The 2026 公开竞争 call's applications, one consistent story from submission to the review
/// panel: 24 enterprises apply, each with an itemized budget, milestones and a PDF 可行性研究报告;
/// three wait for the formal check (待形式审查), one was returned for correction, and twenty
/// passed it and form the call's expert-review round. The round is assigned by the optimal
/// solver and published; every expert but the demo expert account (卫建华) has scored, so his
/// tasks are what remains before the round can close and the panel decide.
async fn applications_2026_demo(
    store: &Store,
    caller: &Caller,
    rng: &mut Rng,
    disciplines: &[(&str, &[&str])],
    hosts: &[i64],
    ent_id: i64,
) -> Result<()> {
    use kechuang_domain::project::{Actor, ApplicationInput, BudgetLine, Milestone};
    use kechuang_domain::review::AssignmentMethod;
    use kechuang_domain::review::{Criterion, NewRound};
    use kechuang_store::persons::PersonFilter;
    use kechuang_store::review::ScoreInput;
    let today = chrono::Utc::now().date_naive();
    let call = store
        .list_calls(&DataScope::All)
        .await?
        .into_iter()
        .find(|c| c.title == "2026年度济源市科技攻关计划（公开竞争）")
        .context("the 2026 call")?;
    // (title, discipline index into `disciplines`, keywords): each application reads as its
    // subject, so the expert matching of the demo round is meaningful.
    let topics: [(&str, usize, [&str; 2]); 24] = [
        ("高纯铅清洁冶炼关键技术研究", 0, ["铅冶炼", "清洁冶炼"]),
        (
            "废旧锂电池有色金属回收工艺",
            0,
            ["有色金属回收", "清洁冶炼"],
        ),
        ("稀贵金属综合回收技术开发", 0, ["稀贵金属", "有色金属回收"]),
        ("特种钢材热处理工艺优化", 1, ["特种钢", "纳米材料"]),
        ("纳米碳材料规模化制备", 1, ["碳材料", "纳米材料"]),
        ("高性能电池正极材料研制", 1, ["电池材料", "纳米材料"]),
        ("煤化工副产品精细化利用", 2, ["煤化工", "精细化工"]),
        ("高效脱硝催化剂开发与应用", 2, ["催化", "精细化工"]),
        ("智能数控装备研制", 3, ["数控", "智能装备"]),
        ("液压系统故障智能诊断", 3, ["液压", "智能装备"]),
        ("工业固废资源化处理", 4, ["固废处理", "节能减排"]),
        ("焦化废水深度处理与回用", 4, ["废水处理", "节能减排"]),
        ("工业互联网平台应用示范", 5, ["工业互联网", "大数据"]),
        ("嵌入式传感器国产化", 5, ["传感器", "嵌入式"]),
        ("冬凌草有效成分提取工艺", 6, ["中药", "检验检测"]),
        ("生物制药中试工艺开发", 6, ["生物制药", "检验检测"]),
        ("薄皮核桃优良品种选育", 7, ["薄皮核桃", "设施农业"]),
        ("设施农业智能控制系统", 7, ["设施农业", "畜牧"]),
        ("铅锌冶炼渣有价元素提取", 0, ["铅冶炼", "稀贵金属"]),
        ("机器人焊接工作站研制", 3, ["机器人", "智能装备"]),
        ("大气污染物协同治理技术", 4, ["大气治理", "节能减排"]),
        ("工业大数据分析平台", 5, ["大数据", "工业互联网"]),
        ("医疗器械检验检测方法研究", 6, ["医疗器械", "检验检测"]),
        ("科技成果转移转化服务模式研究", 8, ["技术转移", "知识产权"]),
    ];
    // The words of `MIDDLE` that name an enterprise of each discipline's trade: the applicant
    // of a metallurgy project is a 冶金 or 环保 company, not a food maker.
    let trades: [&[&str]; 9] = [
        &["冶金", "环保"],
        &["新材料", "精密"],
        &["化工"],
        &["机械", "装备", "精密"],
        &["环保", "能源"],
        &["电子", "信息", "智能"],
        &["医药", "生物"],
        &["食品", "生物"],
        &["科技", "信息"],
    ];
    let mut used_orgs = vec![ent_id];
    let mut apps = Vec::new();
    for (n, (title, d, kws)) in topics.iter().enumerate() {
        // An enterprise of the subject's trade by its name (not the demo enterprise account's)
        // with a registered person to lead; any enterprise with staff if none is left.
        let mut chosen = None;
        for strict in [true, false] {
            for org in hosts.iter().filter(|o| !used_orgs.contains(o)) {
                if strict {
                    let o = store.get_organization(&DataScope::All, *org).await?;
                    if o.name.contains("分公司") || !trades[*d].iter().any(|w| o.name.contains(w))
                    {
                        continue;
                    }
                }
                let people = store
                    .list_persons(
                        &DataScope::All,
                        &PersonFilter {
                            org_id: Some(*org),
                            ..PersonFilter::default()
                        },
                        PageRequest::new(1, 3),
                    )
                    .await?
                    .items;
                if !people.is_empty() {
                    chosen = Some((*org, people));
                    break;
                }
            }
            if chosen.is_some() {
                break;
            }
        }
        let (org_id, people) = chosen.context("an enterprise with staff")?;
        used_orgs.push(org_id);
        let discipline = disciplines[*d].0;
        let wan = 30 + rng.below(71) as i64; // 30–100万元 asked
        let budget = [("设备费", 40), ("业务费", 35), ("劳务费", 25)]
            .iter()
            .map(|(item, pct)| BudgetLine {
                item: (*item).into(),
                amount: (wan * 100 * pct).to_string(),
            })
            .collect();
        let year = chrono::Datelike::year(&today);
        let input = ApplicationInput {
            call_id: call.id,
            title: (*title).into(),
            org_id,
            leader_id: people[0].id,
            team: people.iter().skip(1).map(|p| p.id).collect(),
            lump_sum: false,
            budget,
            milestones: vec![
                Milestone {
                    title: "关键技术攻关完成".into(),
                    due_on: format!("{}-06-30", year + 1),
                    target: "完成小试，形成工艺包1套，申请发明专利1项".into(),
                },
                Milestone {
                    title: "中试验证与应用".into(),
                    due_on: format!("{}-12-31", year + 1),
                    target: "中试装置稳定运行300小时，主要指标达到任务书要求".into(),
                },
            ],
            disciplines: vec![discipline.into()],
            keywords: kws.iter().map(|k| (*k).to_owned()).collect(),
            integrity_pledge: true,
            ..ApplicationInput::default()
        };
        let app = store.save_application(caller, None, &input).await?;
        let pdf = demo_pdf(&format!("JYKJ-2026-{:03} feasibility study", n + 1));
        let name = format!("可行性研究报告-{}.pdf", title);
        let checked = kechuang_domain::attachment::check_pdf(&name, &pdf)
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        store.add_attachment(caller, app.id, &checked, &pdf).await?;
        let submitted_on = today - chrono::Duration::days(20 - (n as i64 % 10));
        store
            .transition_application(
                caller,
                app.id,
                "submit",
                Actor::Applicant,
                None,
                submitted_on,
            )
            .await?;
        apps.push(app.id);
    }
    // The last three await the formal check and the one before was returned; the first
    // twenty passed to expert review.
    let checked_on = today - chrono::Duration::days(8);
    for (n, id) in apps.iter().enumerate().take(21) {
        store
            .transition_application(
                caller,
                *id,
                "start_formal_check",
                Actor::Officer,
                None,
                checked_on,
            )
            .await?;
        if n == 20 {
            store
                .transition_application(
                    caller,
                    *id,
                    "return",
                    Actor::Officer,
                    Some(
                        "预算说明不完整：设备费未列明购置设备的名称、数量和单价，请补充后重新提交",
                    ),
                    checked_on,
                )
                .await?;
        } else {
            store
                .transition_application(
                    caller,
                    *id,
                    "pass_formal_check",
                    Actor::Officer,
                    None,
                    checked_on,
                )
                .await?;
        }
    }
    let c = |key: &str, label: &str, max: u32, guide: &str| Criterion {
        key: key.into(),
        label: label.into(),
        max,
        guide: Some(guide.into()),
    };
    let round = store
        .review_round_for_call(
            caller,
            call.id,
            &NewRound {
                title: "2026年度济源市科技攻关计划（公开竞争）项目评审".into(),
                object_kind: kechuang_domain::review::ObjectKind::Application,
                region: None,
                reviewers_per_item: 3,
                max_load: 5,
                coauthor_years: 3,
                exclude_same_county: false,
                due_on: Some(today + chrono::Duration::days(14)),
                form: vec![
                    c("innovation", "技术创新性", 30, "核心技术的先进性和自主知识产权。26–30分：国内领先，有发明专利支撑；18–25分：省内先进；18分以下：创新点不明确"),
                    c("feasibility", "技术路线可行性", 25, "技术路线、研究方法和进度安排是否合理可行，里程碑指标是否可考核。21–25分：路线清晰、指标可测；15–20分：基本可行；15分以下：路线不清"),
                    c("team", "团队与条件保障", 20, "负责人和团队的研究基础、依托平台、配套资金和设备条件。17–20分：基础扎实、条件完备；12–16分：基本具备；12分以下：条件不足"),
                    c("benefit", "预期经济社会效益", 25, "新增产值、节能减排、带动就业等效益是否明确、测算是否有依据。21–25分：效益显著且有测算；15–20分：效益较好；15分以下：效益不明确"),
                ],
            },
        )
        .await?;
    let inputs = store.review_inputs(&DataScope::All, round.id).await?;
    let (picks, _, summary) = kechuang_server::review_svc::assign(
        &inputs,
        &kechuang_server::review_svc::AssignRequest {
            mode: "optimal".into(),
            seed: None,
            fairness: false,
        },
        today,
    )
    .map_err(|e| anyhow::anyhow!("{}", e.body.message))?;
    store
        .set_assignments(caller, round.id, AssignmentMethod::Optimal, &picks, summary)
        .await?;
    // The demo expert account reviews three items (the solver may have preferred others): he
    // takes the place of each item's least suited reviewer, as an officer would by hand.
    let inputs = store.review_inputs(&DataScope::All, round.id).await?;
    let wei = inputs
        .experts
        .iter()
        .find(|e| e.name == "卫建华" && e.user_id.is_some())
        .context("the demo expert")?
        .id;
    if !inputs.assignments.iter().any(|a| a.expert_id == wei) {
        let mut fits: Vec<(i64, i64)> = inputs
            .items
            .iter()
            .filter_map(|i| {
                kechuang_server::review_svc::check_manual(&inputs, i.id, wei, today)
                    .ok()
                    .map(|aff| (aff, i.id))
            })
            .collect();
        fits.sort_by(|x, y| y.cmp(x));
        for (aff, item_id) in fits.into_iter().take(3) {
            let weakest = inputs
                .assignments
                .iter()
                .filter(|a| a.item_id == item_id)
                .min_by(|x, y| x.affinity.total_cmp(&y.affinity))
                .context("an assigned item")?;
            for (expert_id, remove, affinity) in [(weakest.expert_id, true, 0), (wei, false, aff)] {
                store
                    .adjust_assignment(
                        caller,
                        round.id,
                        &kechuang_store::review::ManualChange {
                            item_id,
                            expert_id,
                            remove,
                            reason: "按专家研究方向调整（冶金工程、铅冶炼）".into(),
                        },
                        affinity,
                    )
                    .await?;
            }
        }
    }
    store.publish_round(caller, round.id).await?;
    let comments = [
        "技术路线清晰，里程碑指标可考核，建议支持。",
        "创新性较好，但经济效益测算依据不足，建议补充市场分析。",
        "团队基础扎实，依托平台条件完备，预算编制基本合理。",
        "研究内容与企业主营业务结合紧密，成果转化前景较好。",
    ];
    for a in store
        .list_assignments(&DataScope::All, Some(round.id))
        .await?
    {
        if a.expert_name == "卫建华" {
            continue;
        }
        let scores = a
            .form
            .iter()
            .map(|c| {
                let share = 60 + rng.below(36) as u32; // 60%–95% of the maximum
                (c.key.clone(), f64::from(c.max * share / 100))
            })
            .collect();
        store
            .submit_scores(
                caller,
                a.id,
                &ScoreInput {
                    scores,
                    comment: Some(comments[rng.below(comments.len() as u64) as usize].into()),
                },
            )
            .await?;
    }
    Ok(())
}

/// A small well-formed one-page PDF whose page says `text` (ASCII), for demo attachments.
fn demo_pdf(text: &str) -> Vec<u8> {
    let stream = format!("BT /F1 14 Tf 72 760 Td ({text}) Tj ET");
    let objs = [
        "<< /Type /Catalog /Pages 2 0 R >>".to_owned(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_owned(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>".to_owned(),
        format!("<< /Length {} >>\nstream\n{stream}\nendstream", stream.len()),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_owned(),
    ];
    let mut body = String::from("%PDF-1.4\n");
    let mut offsets = Vec::new();
    for (i, o) in objs.iter().enumerate() {
        offsets.push(body.len());
        body.push_str(&format!("{} 0 obj {o} endobj\n", i + 1));
    }
    let xref = body.len();
    body.push_str(&format!(
        "xref\n0 {}\n0000000000 65535 f \n",
        objs.len() + 1
    ));
    for o in offsets {
        body.push_str(&format!("{o:010} 00000 n \n"));
    }
    body.push_str(&format!(
        "trailer << /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
        objs.len() + 1
    ));
    body.into_bytes()
}
