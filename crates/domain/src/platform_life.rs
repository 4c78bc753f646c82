//! 平台全生命周期: 认定申报 → 认定 (with its document; levels keep their history) → 年报 →
//! 绩效评价 (a review round; the grade and its consequence come from the `platform-evaluation`
//! pack) → 培育后备库 with the next level's conditions; 孵化载体 and their 在孵企业.

use crate::error::{Collector, FieldError, Invalid};
use crate::funds::{date, fen, text};
use crate::platform::{PlatformLevel, PlatformType};
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::str::FromStr;

labeled_enum!(
    /// 认定申报的状态.
    RecognitionStatus, "status", "认定状态", {
        Pending => ("pending", "待认定"),
        Recognized => ("recognized", "已认定"),
        Refused => ("refused", "不予认定"),
    }
);

labeled_enum!(
    /// 年报的状态.
    ReportStatus, "status", "年报状态", {
        Draft => ("draft", "草稿"),
        Submitted => ("submitted", "已提交"),
        Reviewing => ("reviewing", "评价中"),
        Graded => ("graded", "已定级"),
    }
);

labeled_enum!(
    /// 绩效评价等级, from the pack's points (4 优秀 … 1 不合格).
    PlatformGrade, "grade", "评价等级", {
        Excellent => ("excellent", "优秀"),
        Good => ("good", "良好"),
        Pass => ("pass", "合格"),
        Fail => ("fail", "不合格"),
    }
);

impl PlatformGrade {
    pub fn from_points(p: i64) -> Self {
        match p {
            4.. => Self::Excellent,
            3 => Self::Good,
            2 => Self::Pass,
            _ => Self::Fail,
        }
    }
}

labeled_enum!(
    /// 培育后备库的在库状态.
    PoolStatus, "status", "后备库状态", {
        In => ("in", "在库"),
        Out => ("out", "已出库"),
    }
);

labeled_enum!(
    /// 在孵企业的状态.
    IncubateeStatus, "status", "在孵状态", {
        Incubating => ("incubating", "在孵"),
        Graduated => ("graduated", "已毕业"),
        Exited => ("exited", "已退出"),
    }
);

labeled_enum!(
    /// 毕业条件 (国科发区〔2018〕300号: any one of them).
    Criterion, "criterion", "毕业条件", {
        Hnte => ("hnte", "经国家备案的高新技术企业"),
        Financing => ("financing", "累计获得天使或风险投资超过500万元"),
        Revenue => ("revenue", "连续2年营业收入累计超过1000万元"),
        Merger => ("merger", "被兼并、收购或在国内外资本市场挂牌上市"),
    }
);

/// The carrier types (孵化载体): their yearly report has the carrier's own figures and they
/// hold 在孵企业.
pub fn is_carrier(t: PlatformType) -> bool {
    matches!(
        t,
        PlatformType::Incubator
            | PlatformType::MakerSpace
            | PlatformType::StarInnovationBase
            | PlatformType::UniversitySciencePark
    )
}

/// The pack holding the conditions of the next level of a platform, if one is shipped:
/// (pack id, the target as users name it).
pub fn upgrade_pack(t: PlatformType, level: PlatformLevel) -> Option<(&'static str, &'static str)> {
    match (t, level) {
        (
            PlatformType::EngineeringResearchCenter,
            PlatformLevel::Internal | PlatformLevel::County | PlatformLevel::City,
        ) => Some(("engineering-center", "省级工程技术研究中心")),
        (PlatformType::Incubator, l) if l < PlatformLevel::National => {
            Some(("incubator-national", "国家级科技企业孵化器"))
        }
        (PlatformType::MakerSpace, l) if l < PlatformLevel::National => {
            Some(("maker-space-national", "国家备案众创空间"))
        }
        _ => None,
    }
}

// ---------------------------------------------------------------------------------------------
// 认定申报
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(default)]
pub struct RecognitionInput {
    /// An existing platform (认定 at a level, or 升级); absent: a new platform named below.
    pub platform_id: Option<i64>,
    pub name: String,
    pub platform_type: String,
    pub host_org_id: Option<i64>,
    /// 申报级别
    pub level: String,
    /// 申报说明
    pub summary: String,
}

#[derive(Debug, Clone, PartialEq)]
pub enum RecognitionTarget {
    Existing(i64),
    New {
        name: String,
        platform_type: PlatformType,
        host_org_id: i64,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub struct NewRecognition {
    pub target: RecognitionTarget,
    pub level: PlatformLevel,
    pub summary: String,
}

impl NewRecognition {
    pub fn parse(i: &RecognitionInput) -> Result<Self, Invalid> {
        let mut c = Collector::default();
        let level = c.take(PlatformLevel::parse(&i.level));
        let summary = text(&mut c, "summary", "申报说明", &i.summary, 2000, true);
        let target = match i.platform_id.filter(|id| *id > 0) {
            Some(id) => Some(RecognitionTarget::Existing(id)),
            None => {
                let name = text(&mut c, "name", "平台名称", &i.name, 100, true);
                let t = c.take(PlatformType::parse(&i.platform_type));
                let host = i.host_org_id.filter(|id| *id > 0);
                if host.is_none() {
                    c.push(FieldError::new(
                        "host_org_id",
                        "host_org_id.required",
                        "请选择依托单位",
                    ));
                }
                match (t, host) {
                    (Some(platform_type), Some(host_org_id)) => Some(RecognitionTarget::New {
                        name,
                        platform_type,
                        host_org_id,
                    }),
                    _ => None,
                }
            }
        };
        if level == Some(PlatformLevel::Internal) {
            c.push(FieldError::new(
                "level",
                "level.internal",
                "企业内部平台无需认定，请选择县级及以上级别",
            ));
        }
        c.finish()?;
        match (target, level) {
            (Some(target), Some(level)) => Ok(Self {
                target,
                level,
                summary,
            }),
            _ => Err(Invalid::one("level", "level.required", "请选择申报级别")),
        }
    }
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(default)]
pub struct DecideRecognitionInput {
    pub recognize: bool,
    /// 认定文件（批准文号）
    pub document: String,
    /// 认定日期
    pub recognized_on: String,
    /// 意见; required when not recognized
    pub note: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct RecognitionDecision {
    pub recognize: bool,
    pub document: String,
    pub recognized_on: Option<NaiveDate>,
    pub note: String,
}

impl RecognitionDecision {
    pub fn parse(i: &DecideRecognitionInput, today: NaiveDate) -> Result<Self, Invalid> {
        let mut c = Collector::default();
        let note = text(&mut c, "note", "认定意见", &i.note, 500, !i.recognize);
        let (document, recognized_on) = if i.recognize {
            let doc = text(
                &mut c,
                "document",
                "认定文件（批准文号）",
                &i.document,
                100,
                true,
            );
            let d = date(&mut c, "recognized_on", "认定日期", &i.recognized_on);
            if d.is_some_and(|d| d > today) {
                c.push(FieldError::new(
                    "recognized_on",
                    "recognized_on.future",
                    "认定日期不能晚于今天",
                ));
            }
            (doc, d)
        } else {
            (String::new(), None)
        };
        c.finish()?;
        Ok(Self {
            recognize: i.recognize,
            document,
            recognized_on,
            note,
        })
    }
}

// ---------------------------------------------------------------------------------------------
// 年报
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(default)]
pub struct ReportInput {
    pub platform_id: i64,
    pub year: i32,
    /// 固定人员（载体：运营机构总人数）
    pub staff: i64,
    /// 高级职称或博士
    pub senior_staff: i64,
    /// 研发人员
    pub rd_staff: i64,
    /// 研发投入（元）
    pub rd_spending: String,
    /// 收入（元）
    pub income: String,
    /// 仪器设备原值（元）
    pub equipment_value: String,
    /// 场地面积（平方米；载体：可自主支配的孵化场地）
    pub area: String,
    /// 承担科技项目
    pub projects: i64,
    /// 专利（件）
    pub patents: i64,
    pub papers: i64,
    pub standards: i64,
    /// 成果转化（项）
    pub transfers: i64,
    /// 年度工作总结
    pub summary: String,
    /// 载体：种子资金（元）
    pub seed_fund: Option<String>,
    /// 载体：创业导师
    pub mentors: Option<i64>,
    /// 载体：专业孵化服务人员
    pub service_staff: Option<i64>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct NewReport {
    pub platform_id: i64,
    pub year: i32,
    pub staff: i64,
    pub senior_staff: i64,
    pub rd_staff: i64,
    pub rd_spending_fen: i64,
    pub income_fen: i64,
    pub equipment_fen: i64,
    /// m², two decimals.
    pub area: Decimal,
    pub projects: i64,
    pub patents: i64,
    pub papers: i64,
    pub standards: i64,
    pub transfers: i64,
    pub summary: String,
    pub seed_fund_fen: Option<i64>,
    pub mentors: Option<i64>,
    pub service_staff: Option<i64>,
}

fn count(c: &mut Collector, field: &str, label: &str, v: i64) -> i64 {
    if !(0..=10_000_000).contains(&v) {
        c.push(FieldError::new(
            field,
            &format!("{field}.range"),
            format!("{label}应为0至一千万之间的整数"),
        ));
    }
    v
}

fn money0(c: &mut Collector, field: &str, label: &str, s: &str) -> i64 {
    if s.trim().is_empty() {
        return 0;
    }
    fen(c, field, label, s, false).unwrap_or(0).max(0)
}

impl NewReport {
    pub fn parse(i: &ReportInput, today: NaiveDate) -> Result<Self, Invalid> {
        use chrono::Datelike;
        let mut c = Collector::default();
        if !(2000..=today.year()).contains(&i.year) {
            c.push(FieldError::new(
                "year",
                "year.range",
                format!("年报年度应在2000至{}之间", today.year()),
            ));
        }
        if i.platform_id <= 0 {
            c.push(FieldError::new(
                "platform_id",
                "platform_id.required",
                "请选择平台",
            ));
        }
        let staff = count(&mut c, "staff", "固定人员", i.staff);
        let senior_staff = count(&mut c, "senior_staff", "高级职称或博士人员", i.senior_staff);
        let rd_staff = count(&mut c, "rd_staff", "研发人员", i.rd_staff);
        if senior_staff > staff || rd_staff > staff {
            c.push(FieldError::new(
                "senior_staff",
                "staff.parts",
                "高级职称或博士人员、研发人员不能多于固定人员",
            ));
        }
        let area = match Decimal::from_str(i.area.trim()) {
            Ok(d) if d >= Decimal::ZERO && d < Decimal::from(100_000_000) => d.round_dp(2),
            _ if i.area.trim().is_empty() => Decimal::ZERO,
            _ => {
                c.push(FieldError::new(
                    "area",
                    "area.format",
                    "场地面积应为不小于0的数（平方米）",
                ));
                Decimal::ZERO
            }
        };
        let out = Self {
            platform_id: i.platform_id,
            year: i.year,
            staff,
            senior_staff,
            rd_staff,
            rd_spending_fen: money0(&mut c, "rd_spending", "研发投入", &i.rd_spending),
            income_fen: money0(&mut c, "income", "收入", &i.income),
            equipment_fen: money0(
                &mut c,
                "equipment_value",
                "仪器设备原值",
                &i.equipment_value,
            ),
            area,
            projects: count(&mut c, "projects", "承担科技项目", i.projects),
            patents: count(&mut c, "patents", "专利", i.patents),
            papers: count(&mut c, "papers", "论文", i.papers),
            standards: count(&mut c, "standards", "标准", i.standards),
            transfers: count(&mut c, "transfers", "成果转化", i.transfers),
            summary: text(&mut c, "summary", "年度工作总结", &i.summary, 5000, true),
            seed_fund_fen: i
                .seed_fund
                .as_deref()
                .filter(|s| !s.trim().is_empty())
                .map(|s| money0(&mut c, "seed_fund", "种子资金", s)),
            mentors: i.mentors.map(|v| count(&mut c, "mentors", "创业导师", v)),
            service_staff: i
                .service_staff
                .map(|v| count(&mut c, "service_staff", "专业孵化服务人员", v)),
        };
        c.finish()?;
        Ok(out)
    }
}

// ---------------------------------------------------------------------------------------------
// 在孵企业
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(default)]
pub struct IncubateeInput {
    pub org_id: i64,
    /// 入孵日期
    pub entered_on: String,
    pub note: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct NewIncubatee {
    pub org_id: i64,
    pub entered_on: NaiveDate,
    pub note: String,
}

impl NewIncubatee {
    pub fn parse(i: &IncubateeInput, today: NaiveDate) -> Result<Self, Invalid> {
        let mut c = Collector::default();
        if i.org_id <= 0 {
            c.push(FieldError::new("org_id", "org_id.required", "请选择企业"));
        }
        let d = date(&mut c, "entered_on", "入孵日期", &i.entered_on);
        if d.is_some_and(|d| d > today) {
            c.push(FieldError::new(
                "entered_on",
                "entered_on.future",
                "入孵日期不能晚于今天",
            ));
        }
        let note = text(&mut c, "note", "备注", &i.note, 500, false);
        c.finish()?;
        match d {
            Some(entered_on) => Ok(Self {
                org_id: i.org_id,
                entered_on,
                note,
            }),
            None => Err(Invalid::one(
                "entered_on",
                "date.format",
                "入孵日期格式应为 YYYY-MM-DD",
            )),
        }
    }
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(default)]
pub struct LeaveInput {
    /// 毕业或退出日期
    pub on: String,
    /// 毕业条件 (for 毕业)
    pub criterion: String,
    /// 说明 (退出 requires it)
    pub reason: String,
    pub note: String,
}

/// 毕业 (with a criterion) or 退出 (with a reason).
#[derive(Debug, Clone, PartialEq)]
pub struct Leave {
    pub on: NaiveDate,
    pub criterion: Option<Criterion>,
    pub reason: String,
}

impl Leave {
    pub fn parse(i: &LeaveInput, graduate: bool, today: NaiveDate) -> Result<Self, Invalid> {
        let mut c = Collector::default();
        let on = date(&mut c, "on", "日期", &i.on);
        if on.is_some_and(|d| d > today) {
            c.push(FieldError::new("on", "on.future", "日期不能晚于今天"));
        }
        let criterion = if graduate {
            c.take(Criterion::parse(&i.criterion))
        } else {
            None
        };
        let reason_text = if i.reason.trim().is_empty() {
            &i.note
        } else {
            &i.reason
        };
        let reason = text(&mut c, "reason", "说明", reason_text, 500, !graduate);
        c.finish()?;
        match on {
            Some(on) => Ok(Self {
                on,
                criterion,
                reason,
            }),
            None => Err(Invalid::one("on", "date.format", "日期格式应为 YYYY-MM-DD")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, 6).unwrap_or_default()
    }

    #[test]
    fn a_new_platform_needs_its_type_and_host_and_internal_is_not_a_recognition() {
        let e = NewRecognition::parse(&RecognitionInput {
            name: "济源市钢构工程技术研究中心".into(),
            level: "企业内部".into(),
            summary: "申报".into(),
            ..Default::default()
        })
        .err()
        .map(|e| e.0.iter().map(|f| f.code.clone()).collect::<Vec<_>>())
        .unwrap_or_default();
        assert!(e.contains(&"host_org_id.required".to_owned()), "{e:?}");
        assert!(e.contains(&"level.internal".to_owned()), "{e:?}");
        assert!(
            e.contains(&"platform_type.unknown".to_owned())
                || e.iter().any(|c| c.starts_with("platform_type")),
            "{e:?}"
        );
        let ok = NewRecognition::parse(&RecognitionInput {
            platform_id: Some(9),
            level: "省级".into(),
            summary: "升级".into(),
            ..Default::default()
        });
        assert_eq!(
            ok.map(|r| (r.target, r.level)).ok(),
            Some((RecognitionTarget::Existing(9), PlatformLevel::Provincial))
        );
    }

    #[test]
    fn a_report_refuses_a_future_year_and_more_seniors_than_staff() {
        let i = ReportInput {
            platform_id: 1,
            year: 2027,
            staff: 10,
            senior_staff: 12,
            area: "-3".into(),
            summary: "总结".into(),
            ..Default::default()
        };
        let codes: Vec<String> = NewReport::parse(&i, today())
            .err()
            .map(|e| e.0.into_iter().map(|f| f.code).collect())
            .unwrap_or_default();
        assert_eq!(codes, vec!["year.range", "staff.parts", "area.format"]);
        let ok = NewReport::parse(
            &ReportInput {
                year: 2025,
                senior_staff: 3,
                area: "520.5".into(),
                rd_spending: "2100000".into(),
                seed_fund: Some("5000000".into()),
                ..i
            },
            today(),
        );
        assert_eq!(
            ok.map(|r| (r.rd_spending_fen, r.area.to_string(), r.seed_fund_fen))
                .ok(),
            Some((210_000_000, "520.5".into(), Some(500_000_000)))
        );
    }

    #[test]
    fn grades_and_upgrade_targets() {
        assert_eq!(PlatformGrade::from_points(4), PlatformGrade::Excellent);
        assert_eq!(PlatformGrade::from_points(1), PlatformGrade::Fail);
        assert_eq!(
            upgrade_pack(PlatformType::EngineeringResearchCenter, PlatformLevel::City).map(|p| p.0),
            Some("engineering-center")
        );
        assert_eq!(
            upgrade_pack(
                PlatformType::EngineeringResearchCenter,
                PlatformLevel::Provincial
            ),
            None
        );
        assert!(is_carrier(PlatformType::MakerSpace));
        assert!(!is_carrier(PlatformType::KeyLaboratory));
    }
}
