//! 技术合同认定登记: the decision on one contract, computed by the dated `tech-contract`
//! policy pack (categories, 不予登记 grounds, 技术交易额, large-contract review, deadline) and
//! explained with the rule and source of each step. Used by the registration API and by
//! `kechuang contracts assess`.

use kechuang_domain::Invalid;
use kechuang_domain::contract::{Decision, Findings, Form};
use kechuang_domain::money::{from_fen, to_fen};
use kechuang_rules::{Entity, Node, Pack, Plan, Value};
use rust_decimal::Decimal;
use serde::Serialize;
use std::sync::OnceLock;

pub const PACK_ID: &str = "tech-contract";

/// The facts of a contract the pack reads (the rest is the office's findings).
#[derive(Debug, Clone, Copy)]
pub struct Facts {
    /// 1–5 for the five classes, 0 for any other contract
    pub category_code: i64,
    pub written: bool,
    pub total_fen: i64,
    pub non_tech_fen: i64,
    pub carrier_fen: i64,
    /// Was already sent back for correction once.
    pub corrected: bool,
}

impl Facts {
    pub fn of(c: &kechuang_domain::contract::NewContract, corrected: bool) -> Self {
        Self {
            category_code: c.category.map(|x| x.code()).unwrap_or(0),
            written: c.form == Form::Written,
            total_fen: c.total_fen,
            non_tech_fen: c.non_tech_fen,
            carrier_fen: c.carrier_fen,
            corrected,
        }
    }
}

/// The office's decision as the pack computes it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
#[schema(as = ContractAssessment)]
pub struct Assessment {
    pub decision: Decision,
    /// 予以登记 | 退回补正 | 不予登记
    pub decision_label: String,
    /// 核定技术交易额 (元)
    pub technical_amount: String,
    #[serde(skip)]
    pub technical_fen: i64,
    /// 大额合同须复核 (newer rules)
    pub second_review: bool,
    /// 办结时限
    pub deadline_days: u32,
    /// The deadline counts working days (newer rules) rather than calendar days.
    pub deadline_working: bool,
    /// The decision and each ground that fails, with its rule, in Chinese.
    pub reasons: Vec<String>,
    /// The whole rule tree.
    pub explanation_text: String,
    /// Which texts the decision applies.
    pub rules_label: String,
    pub pack_version: String,
}

fn pack() -> Result<&'static Pack, Invalid> {
    static PACK: OnceLock<Result<Pack, String>> = OnceLock::new();
    PACK.get_or_init(|| match kechuang_rules::official(PACK_ID) {
        Some(r) => r.map_err(|e| e.to_string()),
        None => Err("技术合同认定登记政策包缺失".into()),
    })
    .as_ref()
    .map_err(|e| Invalid::one("pack", "contract.pack", e.clone()))
}

fn pack_version() -> String {
    kechuang_rules::all_packs()
        .find(|(i, _, _)| *i == PACK_ID)
        .map(|(_, text, _)| crate::rules_io::pack_version(text))
        .unwrap_or_default()
}

/// The texts in force for a year of acceptance.
pub fn rules_label(year: i32) -> &'static str {
    if year >= 2026 {
        "工信部《技术合同认定登记管理办法》（2026）及所附登记规则（时限与大额复核按征求意见稿暂行）"
    } else {
        "《技术合同认定登记管理办法》（国科发政字〔2000〕063号）与《技术合同认定规则》（国科发政字〔2001〕253号）"
    }
}

fn num(plan: &Plan, ev: &kechuang_rules::Evaluation, name: &str) -> Option<Decimal> {
    match plan.value(ev, name) {
        Some(Value::Num(d)) => Some(d),
        _ => None,
    }
}

fn flag(plan: &Plan, ev: &kechuang_rules::Evaluation, name: &str) -> Option<bool> {
    match plan.value(ev, name) {
        Some(Value::Bool(b)) => Some(b),
        _ => None,
    }
}

fn find<'a>(n: &'a Node, name: &str) -> Option<&'a Node> {
    if n.name == name {
        return Some(n);
    }
    n.children.iter().find_map(|c| find(c, name))
}

/// Decide on a contract accepted in `year` with the office's `findings`.
pub fn assess(facts: Facts, findings: &Findings, year: i32) -> Result<Assessment, Invalid> {
    let pack = pack()?;
    let plan = pack
        .compile(year)
        .map_err(|e| Invalid::one("year", "contract.year", e.message))?;
    let mut values: Vec<Option<Value>> = vec![None; plan.inputs().len()];
    let mut set = |name: &str, v: Value| {
        if let Some(i) = plan
            .inputs()
            .iter()
            .position(|(n, off)| n == name && *off == 0)
            && let Some(slot) = values.get_mut(i)
        {
            *slot = Some(v);
        }
    };
    set("category", Value::Num(Decimal::from(facts.category_code)));
    set("written", Value::Bool(facts.written));
    set("total", Value::Num(from_fen(facts.total_fen)));
    set("non_tech", Value::Num(from_fen(facts.non_tech_fen)));
    set("carrier", Value::Num(from_fen(facts.carrier_fen)));
    set("corrected", Value::Bool(facts.corrected));
    for (name, v) in findings.inputs() {
        set(name, Value::Bool(v));
    }
    let ev = plan.evaluate(&Entity { values });
    let broken = || Invalid::one("pack", "contract.pack", "技术合同认定登记政策包未给出决定");
    let code = num(&plan, &ev, "decision").ok_or_else(broken)?;
    let decision = Decision::from_code(code.try_into().unwrap_or_default()).ok_or_else(broken)?;
    let technical = num(&plan, &ev, "technical_amount").unwrap_or_default();
    let technical_fen = to_fen(technical).ok_or_else(broken)?;
    let second_review = flag(&plan, &ev, "second_review").unwrap_or(false);
    let deadline_days = num(&plan, &ev, "deadline")
        .and_then(|d| u32::try_from(d.trunc().mantissa()).ok())
        .unwrap_or(30);
    let deadline_working = flag(&plan, &ev, "working_days").unwrap_or(false);
    let tree = plan.explain(&ev);
    let mut reasons = vec![
        // "登记决定 3：不予登记：非技术合同（…inputs…）" → the matched row's label.
        find(&tree, "decision")
            .and_then(|n| n.text.split_once('：'))
            .and_then(|(_, why)| why.split('（').next())
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .unwrap_or_else(|| decision.label().to_owned()),
    ];
    if decision != Decision::Register {
        // Every ground that fails, in the pack's order, with its rule.
        reasons.extend(plan.failed_conditions(&ev));
    } else {
        reasons.push(format!(
            "核定技术交易额 {} 元 = 合同成交总额 {} 元 − 应扣除的非技术性费用 {} 元",
            technical,
            from_fen(facts.total_fen),
            num(&plan, &ev, "deducted").unwrap_or_default()
        ));
        if second_review {
            reasons.push("技术交易额达到大额合同起点，须由另一名登记人员复核后登记".to_owned());
        }
    }
    Ok(Assessment {
        decision,
        decision_label: decision.label().to_owned(),
        technical_amount: technical.to_string(),
        technical_fen,
        second_review,
        deadline_days,
        deadline_working,
        reasons,
        explanation_text: tree.render(),
        rules_label: rules_label(year).to_owned(),
        pack_version: pack_version(),
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn facts(category_code: i64, total: i64, non_tech: i64) -> Facts {
        Facts {
            category_code,
            written: true,
            total_fen: total * 100,
            non_tech_fen: non_tech * 100,
            carrier_fen: 0,
            corrected: false,
        }
    }

    #[test]
    fn a_clean_development_contract_is_registered_with_its_technical_amount() {
        let a = assess(facts(1, 1_000_000, 200_000), &Findings::default(), 2024).unwrap();
        assert_eq!(a.decision, Decision::Register);
        assert_eq!(a.technical_fen, 80_000_000);
        assert_eq!(a.deadline_days, 30);
        assert!(!a.deadline_working);
        assert!(a.reasons[1].contains("800000"), "{:?}", a.reasons);
    }

    #[test]
    fn a_refusal_names_the_ground_and_its_rule() {
        let a = assess(facts(0, 500_000, 0), &Findings::default(), 2024).unwrap();
        assert_eq!(a.decision, Decision::Refuse);
        assert!(a.reasons[0].contains("非技术合同"), "{:?}", a.reasons);
        assert!(
            a.reasons
                .iter()
                .any(|r| r.contains("属于技术合同") && r.contains("第四条")),
            "{:?}",
            a.reasons
        );
        let f = Findings {
            price_clear: false,
            ..Findings::default()
        };
        let a = assess(facts(5, 150_000, 0), &f, 2024).unwrap();
        assert_eq!(a.decision, Decision::Correct);
        assert!(
            a.reasons.iter().any(|r| r.contains("价款")),
            "{:?}",
            a.reasons
        );
    }

    #[test]
    fn the_newer_rules_review_large_contracts_in_working_days() {
        let a = assess(facts(1, 6_500_000, 500_000), &Findings::default(), 2026).unwrap();
        assert_eq!(a.decision, Decision::Register);
        assert!(a.second_review);
        assert_eq!(a.deadline_days, 30);
        assert!(a.rules_label.contains("2026"));
        let a = assess(facts(1, 6_500_000, 500_000), &Findings::default(), 2025).unwrap();
        assert!(!a.second_review);
    }
}
