//! 科技成果 (technology achievements) offered on the technology market: field, maturity,
//! intellectual property, transfer modes, price, and the lifecycle 草稿 → 待审核 → 公示中 →
//! 挂牌中 → 已成交 / 已下架 (services.md §2). The notice period and when a listing may follow are
//! the `tech-market` policy pack's, not here.

use crate::error::{Collector, FieldError, Invalid};
use crate::money::{check_yuan, to_fen};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

labeled_enum!(
    /// 技术领域: the eight areas of 国家重点支持的高新技术领域 (国科发火〔2016〕32号 附件).
    Area, "area", "技术领域", {
        Electronics => ("electronics", "电子信息"),
        Biomedicine => ("biomedicine", "生物与新医药"),
        Aerospace => ("aerospace", "航空航天"),
        Materials => ("materials", "新材料"),
        HiTechService => ("hi_tech_service", "高技术服务"),
        Energy => ("energy", "新能源与节能"),
        Environment => ("environment", "资源与环境"),
        Manufacturing => ("manufacturing", "先进制造与自动化"),
    }
);

labeled_enum!(
    /// 转化方式 (《促进科技成果转化法》第十六条).
    Mode, "modes", "转化方式", {
        Transfer => ("transfer", "转让"),
        LicenseExclusive => ("license_exclusive", "独占许可"),
        LicenseSole => ("license_sole", "排他许可"),
        LicenseOrdinary => ("license_ordinary", "普通许可"),
        Equity => ("equity", "作价投资"),
        Cooperative => ("cooperative", "合作开发"),
        Service => ("service", "技术服务"),
    }
);

labeled_enum!(
    /// 知识产权类型.
    IpKind, "ip", "知识产权类型", {
        InventionPatent => ("invention_patent", "发明专利"),
        UtilityModel => ("utility_model", "实用新型专利"),
        Design => ("design", "外观设计专利"),
        Software => ("software", "软件著作权"),
        PlantVariety => ("plant_variety", "植物新品种"),
        IcLayout => ("ic_layout", "集成电路布图设计"),
        KnowHow => ("know_how", "技术秘密"),
    }
);

labeled_enum!(
    /// 成果状态.
    Status, "status", "成果状态", {
        Draft => ("draft", "草稿"),
        Pending => ("pending", "待审核"),
        Notice => ("notice", "公示中"),
        Listed => ("listed", "挂牌中"),
        Dealt => ("dealt", "已成交"),
        Withdrawn => ("withdrawn", "已下架"),
        Returned => ("returned", "退回修改"),
    }
);

impl Status {
    pub fn tag(self) -> &'static str {
        match self {
            Status::Draft | Status::Withdrawn => "info",
            Status::Pending => "warning",
            Status::Notice => "primary",
            Status::Listed | Status::Dealt => "success",
            Status::Returned => "danger",
        }
    }

    /// Shown in the 成果大厅 to every market reader.
    pub fn public(self) -> bool {
        matches!(self, Status::Notice | Status::Listed | Status::Dealt)
    }

    pub fn editable(self) -> bool {
        matches!(self, Status::Draft | Status::Returned)
    }

    pub const PUBLIC: [Status; 3] = [Status::Notice, Status::Listed, Status::Dealt];
}

/// 技术就绪度, nine levels. The working names follow the scale of GB/T 22900's informative
/// annex as reproduced by secondary sources (services.md §2.1: the 2022 edition's exact wording
/// was not read).
pub const TRL: [(&str, &str); 9] = [
    ("基本原理发现", "发现基本原理或看到基本原理的报道"),
    ("技术概念形成", "形成技术概念或应用设想"),
    ("关键功能实验室验证", "关键功能和特性在实验室得到验证"),
    ("实验室原型", "研制出实验室原理样机并通过验证"),
    ("相关环境验证", "部件或样机在相关环境中得到验证"),
    ("相关环境演示", "系统或子系统原型在相关环境中演示"),
    ("实际环境原型", "系统原型在实际使用环境中演示"),
    ("系统完成并鉴定", "实际系统完成并通过试验和鉴定"),
    ("实际应用", "实际系统通过成功应用得到验证"),
];

pub fn trl_label(level: i64) -> String {
    usize::try_from(level)
        .ok()
        .and_then(|l| l.checked_sub(1))
        .and_then(|i| TRL.get(i))
        .map(|(n, _)| format!("TRL {level} {n}"))
        .unwrap_or_default()
}

/// The check digit of a Chinese patent application number (GB/T 18810 / 专利申请号标准):
/// 12-digit numbers (from 2003) weigh their digits 2,3,4,5,6,7,8,9,2,3,4,5; 8-digit numbers
/// 2…9; the sum mod 11, with 10 written X.
pub fn patent_check_digit(digits: &str) -> Option<char> {
    let weights: &[u32] = match digits.len() {
        12 => &[2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5],
        8 => &[2, 3, 4, 5, 6, 7, 8, 9],
        _ => return None,
    };
    let mut sum = 0u32;
    for (c, w) in digits.chars().zip(weights) {
        sum += c.to_digit(10)? * w;
    }
    Some(match sum % 11 {
        10 => 'X',
        v => char::from_digit(v, 10)?,
    })
}

/// Check a patent number (`ZL202010123456.X`, `CN2020101234567`, `202010123456X` …) and return
/// it normalized as `ZL` + digits + `.` + check digit.
pub fn check_patent_number(field: &str, s: &str) -> Result<String, Invalid> {
    let t: String = s
        .trim()
        .to_ascii_uppercase()
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    let body = t
        .strip_prefix("ZL")
        .or_else(|| t.strip_prefix("CN"))
        .unwrap_or(&t)
        .replace('.', "");
    let bad = || {
        Invalid::one(
            field,
            "ip.number",
            format!(
                "专利号“{}”格式错误，应为 ZL + 12位申请号 + . + 校验位（如 ZL202010123456.X）",
                s.trim()
            ),
        )
    };
    if body.len() != 13 && body.len() != 9 {
        return Err(bad());
    }
    let (digits, check) = body.split_at(body.len() - 1);
    if !digits.chars().all(|c| c.is_ascii_digit()) {
        return Err(bad());
    }
    let want = patent_check_digit(digits).ok_or_else(bad)?;
    if !check.starts_with(want) {
        return Err(Invalid::one(
            field,
            "ip.number",
            format!(
                "专利号“{}”校验位错误：按申请号计算应为“{want}”，请核对",
                s.trim()
            ),
        ));
    }
    Ok(format!("ZL{digits}.{want}"))
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(default)]
pub struct IpInput {
    pub kind: String,
    pub number: String,
}

/// An achievement as received on the wire.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(default)]
pub struct AchievementInput {
    pub title: String,
    pub area: String,
    /// GB/T 4754 industry code (optional)
    pub industry: String,
    pub keywords: Vec<String>,
    /// 成果简介 (public)
    pub summary: String,
    pub trl: i64,
    /// Person ids of the registry
    pub team: Vec<i64>,
    pub ip: Vec<IpInput>,
    pub modes: Vec<String>,
    /// 面议
    pub negotiable: bool,
    /// 挂牌价格 (元)
    pub asking_price: String,
    pub contact: String,
}

/// One intellectual-property item, checked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Ip {
    pub kind: String,
    pub kind_label: String,
    pub number: String,
}

/// A well-formed achievement.
#[derive(Debug, Clone, PartialEq)]
pub struct NewAchievement {
    pub title: String,
    pub area: Area,
    pub industry: Option<String>,
    pub keywords: Vec<String>,
    pub summary: String,
    pub trl: i64,
    pub team: Vec<i64>,
    pub ip: Vec<Ip>,
    pub modes: Vec<Mode>,
    pub asking_fen: Option<i64>,
    pub contact: String,
}

impl NewAchievement {
    pub fn parse(i: &AchievementInput) -> Result<Self, Invalid> {
        let mut c = Collector::default();
        let title = i.title.trim();
        if title.is_empty() || title.chars().count() > 100 {
            c.push(FieldError::new(
                "title",
                "title.required",
                "成果名称不能为空，且不超过100个字",
            ));
        }
        if let Some(e) = crate::text::check_name("title", "成果名称", title) {
            c.push(e);
        }
        let area = c.take(Area::parse(&i.area));
        let industry = match i.industry.trim() {
            "" => None,
            s if s.len() <= 5
                && s.chars().next().is_some_and(|ch| ch.is_ascii_uppercase())
                && s.chars().skip(1).all(|ch| ch.is_ascii_digit()) =>
            {
                Some(s.to_owned())
            }
            s => {
                c.push(FieldError::new(
                    "industry",
                    "industry.format",
                    format!("国民经济行业代码“{s}”格式错误，应为 GB/T 4754 代码（如 C3240）"),
                ));
                None
            }
        };
        let keywords: Vec<String> = i
            .keywords
            .iter()
            .map(|k| k.trim().to_owned())
            .filter(|k| !k.is_empty())
            .collect();
        if keywords.is_empty()
            || keywords.len() > 5
            || keywords.iter().any(|k| k.chars().count() > 20)
        {
            c.push(FieldError::new(
                "keywords",
                "keywords.count",
                "关键词1至5个，每个不超过20个字",
            ));
        }
        let summary = i.summary.trim();
        if summary.is_empty() || summary.chars().count() > 2000 {
            c.push(FieldError::new(
                "summary",
                "summary.required",
                "成果简介不能为空，且不超过2000个字",
            ));
        }
        if !(1..=9).contains(&i.trl) {
            c.push(FieldError::new("trl", "trl.range", "技术就绪度应为1至9级"));
        }
        let mut ip = Vec::new();
        for (n, item) in i.ip.iter().enumerate() {
            let f = format!("ip.{n}");
            let Some(kind) = c.take(IpKind::parse(&item.kind)) else {
                continue;
            };
            let number = match kind {
                IpKind::InventionPatent | IpKind::UtilityModel | IpKind::Design => {
                    c.take(check_patent_number(&f, &item.number))
                }
                IpKind::KnowHow => Some(item.number.trim().to_owned()),
                _ => {
                    let t = item.number.trim();
                    if t.is_empty() || t.chars().count() > 40 {
                        c.push(FieldError::new(
                            &f,
                            "ip.number",
                            format!("{}的登记号不能为空，且不超过40个字符", kind.label()),
                        ));
                        None
                    } else {
                        Some(t.to_owned())
                    }
                }
            };
            if let Some(number) = number {
                ip.push(Ip {
                    kind: kind.as_str().into(),
                    kind_label: kind.label().into(),
                    number,
                });
            }
        }
        let mut modes = Vec::new();
        for m in &i.modes {
            if let Some(m) = c.take(Mode::parse(m))
                && !modes.contains(&m)
            {
                modes.push(m);
            }
        }
        if i.modes.is_empty() {
            c.push(FieldError::new(
                "modes",
                "modes.required",
                "请至少选择一种转化方式",
            ));
        }
        let asking_fen = if i.negotiable {
            None
        } else if i.asking_price.trim().is_empty() {
            c.push(FieldError::new(
                "asking_price",
                "asking_price.required",
                "请填写挂牌价格，或选择“面议”",
            ));
            None
        } else {
            match i
                .asking_price
                .trim()
                .replace([',', '，'], "")
                .parse::<Decimal>()
            {
                Ok(d) => c
                    .take(check_yuan("asking_price", "挂牌价格", d, true))
                    .and_then(to_fen),
                Err(_) => {
                    c.push(FieldError::new(
                        "asking_price",
                        "amount.format",
                        "挂牌价格不是有效金额（元）",
                    ));
                    None
                }
            }
        };
        let contact = i.contact.trim();
        if contact.chars().count() > 100 {
            c.push(FieldError::new(
                "contact",
                "contact.length",
                "联系方式不超过100个字",
            ));
        }
        c.finish()?;
        let missing = || Invalid::one("achievement", "achievement.internal", "成果数据不完整");
        Ok(Self {
            title: title.to_owned(),
            area: area.ok_or_else(missing)?,
            industry,
            keywords,
            summary: summary.to_owned(),
            trl: i.trl,
            team: i.team.clone(),
            ip,
            modes,
            asking_fen,
            contact: contact.to_owned(),
        })
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn patent_numbers_are_checked_by_their_check_digit() {
        // 2 0 1 9 1 0 1 2 3 4 5 6 · 2 3 4 5 6 7 8 9 2 3 4 5
        // = 4+0+4+45+6+0+8+18+6+12+20+30 = 153; 153 mod 11 = 10 → X
        assert_eq!(patent_check_digit("201910123456"), Some('X'));
        assert_eq!(
            check_patent_number("ip.0", "ZL201910123456.X").unwrap(),
            "ZL201910123456.X"
        );
        assert_eq!(
            check_patent_number("ip.0", "201910123456x").unwrap(),
            "ZL201910123456.X"
        );
        let e = check_patent_number("ip.0", "ZL201910123456.3").unwrap_err();
        assert_eq!(e.0[0].code, "ip.number");
        assert!(e.0[0].message.contains("应为“X”"), "{}", e.0[0].message);
        // 8-digit form: 9 3 1 0 0 0 4 2 · 2..9 = 18+9+4+0+0+0+32+18 = 81; 81 mod 11 = 4
        assert_eq!(patent_check_digit("93100042"), Some('4'));
        assert!(check_patent_number("ip.0", "93100042.4").is_ok());
        assert!(check_patent_number("ip.0", "ZL2019").is_err());
    }

    #[test]
    fn an_achievement_names_every_problem() {
        let i = AchievementInput {
            title: " ".into(),
            area: "量子".into(),
            trl: 12,
            modes: vec![],
            ip: vec![IpInput {
                kind: "invention_patent".into(),
                number: "ZL201910123456.1".into(),
            }],
            ..Default::default()
        };
        let codes: Vec<String> = NewAchievement::parse(&i)
            .unwrap_err()
            .0
            .into_iter()
            .map(|e| e.code)
            .collect();
        for c in [
            "title.required",
            "area.unknown",
            "keywords.count",
            "summary.required",
            "trl.range",
            "ip.number",
            "modes.required",
            "asking_price.required",
        ] {
            assert!(codes.contains(&c.to_owned()), "{c} missing from {codes:?}");
        }
    }
}
