//! 科学技术奖励: a city award's call (提名 → 形式审查 → 专家评审 → 评审委员会审定 → 公示 with
//! 异议 → 授奖), and the national and provincial awards won in the region, whose matching
//! reward is paid through the 科技奖补 programme (`rewards` pack, category 4).

use crate::error::{Collector, FieldError, Invalid};
use crate::funds::{date, fen, text};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

labeled_enum!(
    /// 奖励年度（评审批次）的状态.
    CallStatus, "status", "奖励评审状态", {
        Open => ("open", "提名中"),
        Reviewing => ("reviewing", "评审中"),
        Notice => ("notice", "公示中"),
        Conferred => ("conferred", "已授奖"),
    }
);

labeled_enum!(
    NominationStatus, "status", "提名状态", {
        Draft => ("draft", "草稿"),
        Submitted => ("submitted", "已提交"),
        Returned => ("returned", "退回修改"),
        Accepted => ("accepted", "形式审查通过"),
        Reviewing => ("reviewing", "评审中"),
        Proposed => ("proposed", "拟授奖"),
        NotAwarded => ("not_awarded", "未获奖"),
        Withdrawn => ("withdrawn", "已撤销"),
        Conferred => ("conferred", "已授奖"),
    }
);

labeled_enum!(
    /// 奖种.
    AwardCategory, "category", "奖种", {
        Natural => ("natural", "自然科学奖"),
        Invention => ("invention", "技术发明奖"),
        Progress => ("progress", "科学技术进步奖"),
    }
);

labeled_enum!(
    AwardGrade, "grade", "奖励等级", {
        First => ("first", "一等奖"),
        Second => ("second", "二等奖"),
        Third => ("third", "三等奖"),
    }
);

impl AwardGrade {
    /// The `science-award` pack's points (3 一等 … 1 三等; 0 none).
    pub fn from_points(p: i64) -> Option<Self> {
        match p {
            3.. => Some(Self::First),
            2 => Some(Self::Second),
            1 => Some(Self::Third),
            _ => None,
        }
    }
}

labeled_enum!(
    NominatorKind, "nominator_kind", "提名方式", {
        Unit => ("unit", "单位提名"),
        Expert => ("expert", "专家提名"),
    }
);

labeled_enum!(
    ObjectionStatus, "status", "异议状态", {
        Open => ("open", "待处理"),
        Upheld => ("upheld", "异议成立"),
        Dismissed => ("dismissed", "异议不成立"),
    }
);

labeled_enum!(
    /// 上级科技奖励的级别.
    WinLevel, "level", "奖励级别", {
        National => ("national", "国家级"),
        Provincial => ("provincial", "省级"),
    }
);

#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(default)]
#[schema(as = AwardCallInput)]
pub struct CallInput {
    pub year: i32,
    pub title: String,
    /// 提名截止日期
    pub nominate_until: String,
    pub note: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct NewCall {
    pub year: i32,
    pub title: String,
    pub nominate_until: NaiveDate,
    pub note: String,
}

impl NewCall {
    pub fn parse(i: &CallInput, today: NaiveDate) -> Result<Self, Invalid> {
        use chrono::Datelike;
        let mut c = Collector::default();
        if !(2000..=today.year() + 1).contains(&i.year) {
            c.push(FieldError::new(
                "year",
                "year.range",
                format!("奖励年度应在2000至{}之间", today.year() + 1),
            ));
        }
        let title = text(&mut c, "title", "名称", &i.title, 100, true);
        let until = date(&mut c, "nominate_until", "提名截止日期", &i.nominate_until);
        let note = text(&mut c, "note", "说明", &i.note, 2000, false);
        c.finish()?;
        match until {
            Some(nominate_until) => Ok(Self {
                year: i.year,
                title,
                nominate_until,
                note,
            }),
            None => Err(Invalid::one(
                "nominate_until",
                "date.format",
                "提名截止日期格式应为 YYYY-MM-DD",
            )),
        }
    }
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(default)]
pub struct NominationInput {
    pub call_id: i64,
    pub category: String,
    /// 项目名称
    pub title: String,
    /// 第一完成单位
    pub org_id: i64,
    /// 主要完成人 (persons), in order
    pub team: Vec<i64>,
    /// 项目简介（主要科技创新、应用及效益）
    pub summary: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct NewNomination {
    pub call_id: i64,
    pub category: AwardCategory,
    pub title: String,
    pub org_id: i64,
    pub team: Vec<i64>,
    pub summary: String,
}

impl NewNomination {
    pub fn parse(i: &NominationInput) -> Result<Self, Invalid> {
        let mut c = Collector::default();
        let category = c.take(AwardCategory::parse(&i.category));
        let title = text(&mut c, "title", "项目名称", &i.title, 100, true);
        let summary = text(&mut c, "summary", "项目简介", &i.summary, 5000, true);
        if i.call_id <= 0 {
            c.push(FieldError::new(
                "call_id",
                "call_id.required",
                "请选择奖励年度",
            ));
        }
        if i.org_id <= 0 {
            c.push(FieldError::new(
                "org_id",
                "org_id.required",
                "请选择第一完成单位",
            ));
        }
        let mut team = Vec::new();
        for p in &i.team {
            if !team.contains(p) {
                team.push(*p);
            }
        }
        if team.is_empty() || team.len() > 15 {
            c.push(FieldError::new("team", "team.size", "主要完成人为1至15人"));
        }
        c.finish()?;
        match category {
            Some(category) => Ok(Self {
                call_id: i.call_id,
                category,
                title,
                org_id: i.org_id,
                team,
                summary,
            }),
            None => Err(Invalid::one("category", "category.unknown", "请选择奖种")),
        }
    }
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(default)]
pub struct WinInput {
    pub org_id: i64,
    pub level: String,
    /// 奖励名称, e.g. 河南省科学技术进步奖
    pub award_name: String,
    /// 等级, e.g. 二等奖
    pub grade: String,
    pub year: i32,
    /// 上级奖金（元）
    pub prize: String,
    /// 授奖文件
    pub document: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct NewWin {
    pub org_id: i64,
    pub level: WinLevel,
    pub award_name: String,
    pub grade: String,
    pub year: i32,
    pub prize_fen: i64,
    pub document: String,
}

impl NewWin {
    pub fn parse(i: &WinInput, today: NaiveDate) -> Result<Self, Invalid> {
        use chrono::Datelike;
        let mut c = Collector::default();
        let level = c.take(WinLevel::parse(&i.level));
        let award_name = text(&mut c, "award_name", "奖励名称", &i.award_name, 100, true);
        let grade = text(&mut c, "grade", "等级", &i.grade, 20, true);
        let document = text(&mut c, "document", "授奖文件", &i.document, 100, true);
        if !(2000..=today.year()).contains(&i.year) {
            c.push(FieldError::new(
                "year",
                "year.range",
                format!("获奖年度应在2000至{}之间", today.year()),
            ));
        }
        if i.org_id <= 0 {
            c.push(FieldError::new(
                "org_id",
                "org_id.required",
                "请选择获奖单位",
            ));
        }
        let prize = fen(&mut c, "prize", "上级奖金", &i.prize, false);
        c.finish()?;
        match (level, prize) {
            (Some(level), Some(prize_fen)) => Ok(Self {
                org_id: i.org_id,
                level,
                award_name,
                grade,
                year: i.year,
                prize_fen: prize_fen.max(0),
                document,
            }),
            _ => Err(Invalid::one("level", "level.unknown", "请选择奖励级别")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_nomination_needs_a_team_and_keeps_its_order_without_repeats() {
        let i = NominationInput {
            call_id: 1,
            category: "科学技术进步奖".into(),
            title: "高强钢绿色制造".into(),
            org_id: 3,
            team: vec![5, 2, 5],
            summary: "简介".into(),
        };
        let n = NewNomination::parse(&i);
        assert_eq!(
            n.map(|n| (n.category, n.team)).ok(),
            Some((AwardCategory::Progress, vec![5, 2]))
        );
        let e = NewNomination::parse(&NominationInput { team: vec![], ..i })
            .err()
            .map(|e| e.0[0].code.clone());
        assert_eq!(e.as_deref(), Some("team.size"));
        assert_eq!(AwardGrade::from_points(2), Some(AwardGrade::Second));
        assert_eq!(AwardGrade::from_points(0), None);
    }
}
