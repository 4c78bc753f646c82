//! 平台载体与科技奖励's decisions, computed by dated policy packs: a report's grade and its
//! consequence (`platform-evaluation`), what a platform lacks for the next level
//! (`engineering-center`, `incubator-national`), a carrier's entry age and incubation period
//! (`incubator-national`), and a nomination's grade, prize and notice period (`science-award`).
//! Each answer carries the pack's sentences and the rule applied.

use crate::funds_svc::{Run, fen_of, money, rule_of, run, sentences};
use kechuang_domain::Invalid;
use kechuang_domain::award::AwardGrade;
use kechuang_domain::platform::{PlatformLevel, PlatformType};
use kechuang_domain::platform_life::{PlatformGrade, upgrade_pack};
use kechuang_rules::Value;
use kechuang_store::awards::{AwardCall, Nomination, PanelAnswer};
use kechuang_store::carriers::EntryLimits;
use kechuang_store::platform_life::{GradeAnswer, GradeInput, UpgradeFacts};
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use serde::Serialize;
use std::str::FromStr;

pub const EVALUATION_PACK: &str = "platform-evaluation";
pub const INCUBATOR_PACK: &str = "incubator-national";
pub const AWARD_PACK: &str = "science-award";

fn int(r: &Run, name: &str) -> i64 {
    match r.plan.value(&r.ev, name) {
        Some(Value::Num(d)) => d.trunc().to_i64().unwrap_or(0),
        _ => 0,
    }
}

fn num(v: i64) -> Value {
    Value::Num(Decimal::from(v))
}

/// 评定等级 of one report of a closed round.
pub fn grade(g: &GradeInput) -> Result<GradeAnswer, Invalid> {
    let Some(score) = g.score.as_deref() else {
        return Err(Invalid::one(
            "score",
            "platform.no_scores",
            format!(
                "{}的{}年度年报没有专家提交评分，不能评定等级",
                g.report.platform_name, g.report.year
            ),
        ));
    };
    let s = Decimal::from_str(score).unwrap_or_default();
    let r = run(
        EVALUATION_PACK,
        g.report.year,
        &[
            ("score", Value::Num(s)),
            ("fails_before", num(g.fails_before)),
        ],
    )?;
    let grade = PlatformGrade::from_points(int(&r, "grade"));
    let outcome = int(&r, "outcome");
    let consequence = match outcome {
        3 => Some(format!(
            "连续{}年评价不合格，取消平台资格（摘牌）",
            g.fails_before + 1
        )),
        2 => Some("评价不合格，限期整改，整改期间暂停奖补".to_owned()),
        1 => Some("评价优秀，纳入科技奖补（平台绩效评价优秀）".to_owned()),
        _ => None,
    };
    let explanation = format!(
        "{}{}年度年报经专家评审平均{}分，评为{}。{}{}",
        g.report.platform_name,
        g.report.year,
        score,
        grade.label(),
        sentences(
            &r,
            match outcome {
                3 => &["grade", "failed", "revoke"][..],
                2 => &["grade", "failed", "rectify"],
                1 => &["grade", "rewarded"],
                _ => &["grade"],
            }
        ),
        consequence
            .as_deref()
            .map(|c| format!("。结果运用：{c}"))
            .unwrap_or_default()
    );
    Ok(GradeAnswer {
        report_id: g.report.id,
        score: score.to_owned(),
        grade,
        outcome,
        consequence,
        explanation,
        rule: rule_of(EVALUATION_PACK, g.report.year),
    })
}

/// One condition of a next-level pack, met or not, with its sentence.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Condition {
    pub name: String,
    pub label: String,
    /// None: not known from the data.
    pub met: Option<bool>,
    pub value: String,
    pub text: String,
    pub source: Option<String>,
}

/// What a platform meets and lacks for the next level.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct UpgradeAnswer {
    pub platform_id: i64,
    pub pack: String,
    pub pack_name: String,
    pub source: String,
    pub target_label: String,
    /// The year of the report read (None: no report yet; the conditions are then unknown).
    pub report_year: Option<i32>,
    pub qualified: Option<bool>,
    pub met: usize,
    pub total: usize,
    pub conditions: Vec<Condition>,
    /// The smallest change of one figure that would qualify.
    pub gaps: Vec<String>,
    /// Figures the data lacks.
    pub missing: Vec<String>,
    pub rule: String,
}

impl UpgradeAnswer {
    /// One line per unmet condition, for a list.
    pub fn lacking(&self) -> String {
        self.conditions
            .iter()
            .filter(|c| c.met != Some(true))
            .map(|c| c.text.clone())
            .collect::<Vec<_>>()
            .join("；")
    }
}

fn years_between(from: &str, today: chrono::NaiveDate) -> Option<Decimal> {
    let d = chrono::NaiveDate::parse_from_str(from, "%Y-%m-%d").ok()?;
    let days = (today - d).num_days();
    Some((Decimal::from(days) / Decimal::from(365)).round_dp(1))
}

/// The next level's conditions for one platform; `None` when no pack applies to its type and
/// level.
pub fn upgrade(
    f: &UpgradeFacts,
    today: chrono::NaiveDate,
) -> Result<Option<UpgradeAnswer>, Invalid> {
    let t = PlatformType::parse(&f.platform.platform_type)?;
    let l = PlatformLevel::parse(&f.platform.level)?;
    let Some((pack_id, target)) = upgrade_pack(t, l) else {
        return Ok(None);
    };
    let year = f
        .report
        .as_ref()
        .map(|r| r.year)
        .unwrap_or_else(|| chrono::Datelike::year(&today) - 1);
    let mut inputs: Vec<(&str, Value)> = Vec::new();
    if let Some(r) = &f.report {
        let area = Decimal::from_str(&r.area).unwrap_or_default();
        inputs.extend([
            ("staff", num(r.staff)),
            ("senior_staff", num(r.senior_staff)),
            ("equipment_value", money(r.equipment_fen)),
            ("area", Value::Num(area)),
            ("rd_spending", money(r.rd_spending_fen)),
            ("patents", num(r.patents)),
            ("seed_fund", money(r.seed_fund_fen.unwrap_or(0))),
            ("service_staff", num(r.service_staff.unwrap_or(0))),
            ("mentors", num(r.mentors.unwrap_or(0))),
        ]);
    }
    inputs.push(("enterprise", Value::Bool(f.host_is_enterprise)));
    if !f.revenues_fen.is_empty() {
        // To the 万元, as the condition reads.
        let avg = f.revenues_fen.iter().sum::<i64>() / f.revenues_fen.len() as i64;
        let avg = (avg + 500_000) / 1_000_000 * 1_000_000;
        inputs.push(("revenue_avg", money(avg)));
    }
    inputs.push(("incubating", num(f.incubating)));
    inputs.push(("graduated", num(f.graduated_total)));
    if let Some(y) = f
        .host_founded_on
        .as_deref()
        .and_then(|d| years_between(d, today))
    {
        inputs.push(("operating_years", Value::Num(y)));
    }
    let r = run(pack_id, year, &inputs)?;
    let (pack, _) = crate::funds_svc::pack(pack_id)?;
    let tree = r.plan.explain(&r.ev);
    let goal = tree
        .children
        .iter()
        .find(|n| n.name == "qualified")
        .or_else(|| (tree.name == "qualified").then_some(&tree));
    let conditions: Vec<Condition> = goal
        .map(|g| {
            g.children
                .iter()
                .map(|c| Condition {
                    met: match r.plan.value(&r.ev, &c.name) {
                        Some(Value::Bool(b)) => Some(b),
                        _ => None,
                    },
                    name: c.name.clone(),
                    label: c.label.clone(),
                    value: c.value.clone(),
                    text: c.text.clone(),
                    source: c.source.clone(),
                })
                .collect()
        })
        .unwrap_or_default();
    let qualified = match r.plan.value(&r.ev, "qualified") {
        Some(Value::Bool(b)) => Some(b),
        _ => None,
    };
    Ok(Some(UpgradeAnswer {
        platform_id: f.platform.id,
        pack: pack_id.to_owned(),
        pack_name: pack.name.clone(),
        source: pack.source.clone(),
        target_label: target.to_owned(),
        report_year: f.report.as_ref().map(|r| r.year),
        qualified: if f.report.is_none() { None } else { qualified },
        met: conditions.iter().filter(|c| c.met == Some(true)).count(),
        total: conditions.len(),
        gaps: r.plan.gaps(&r.ev).into_iter().map(|g| g.text).collect(),
        missing: r.plan.missing(&r.ev).into_iter().map(|m| m.label).collect(),
        conditions,
        rule: rule_of(pack_id, year),
    }))
}

/// The incubatee entry limits of the year.
pub fn entry_limits(year: i32) -> Result<EntryLimits, Invalid> {
    let r = run(INCUBATOR_PACK, year, &[])?;
    Ok(EntryLimits {
        max_founded_months: int(&r, "entry_months"),
        months_limit: int(&r, "period_months"),
    })
}

/// The notice period of the year's city award.
pub fn notice_days(year: i32) -> Result<i64, Invalid> {
    Ok(int(&run(AWARD_PACK, year, &[])?, "notice"))
}

/// 评审委员会审定: each nomination's grade and prize from its experts' mean.
pub fn panel(
    call: &AwardCall,
    rows: &[(Nomination, Option<String>)],
) -> Result<Vec<PanelAnswer>, Invalid> {
    let rule = rule_of(AWARD_PACK, call.year);
    rows.iter()
        .map(|(n, score)| {
            let Some(s) = score.as_deref() else {
                return Ok(PanelAnswer {
                    nomination_id: n.id,
                    score: None,
                    grade: None,
                    prize_fen: 0,
                    explanation: format!("{}没有专家提交评分，未获奖", n.title),
                    rule: rule.clone(),
                });
            };
            let r = run(
                AWARD_PACK,
                call.year,
                &[(
                    "score",
                    Value::Num(Decimal::from_str(s).unwrap_or_default()),
                )],
            )?;
            let grade = AwardGrade::from_points(int(&r, "grade"));
            Ok(PanelAnswer {
                nomination_id: n.id,
                score: Some(s.to_owned()),
                grade,
                prize_fen: fen_of(&r, "prize"),
                explanation: format!(
                    "{}经专家评审平均{}分，{}。{}",
                    n.title,
                    s,
                    grade
                        .map(|g| format!("评审委员会审定拟授予{}{}", n.category_label, g.label()))
                        .unwrap_or_else(|| "未达到授奖分数线".into()),
                    sentences(&r, &["grade", "prize"])
                ),
                rule: rule.clone(),
            })
        })
        .collect()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn the_entry_limits_and_notice_come_from_the_packs() {
        let l = entry_limits(2025).unwrap();
        assert_eq!((l.max_founded_months, l.months_limit), (24, 48));
        assert_eq!(notice_days(2025).unwrap(), 15);
    }
}
