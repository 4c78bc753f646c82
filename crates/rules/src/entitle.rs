//! Entitlement lists (免申即享): reward items evaluated one by one, then combined per entity by
//! the pack's `entitle` rule — within a category only the highest level counts, and within that
//! level only one item (the largest amount). Every excluded item says why.

use crate::eval::{Entity, Plan, Value};
use crate::parse::Pack;
use rust_decimal::Decimal;
use serde::Serialize;
use std::collections::BTreeMap;

/// One reward item: who, where, and the pack's inputs.
#[derive(Debug, Clone)]
pub struct Item {
    pub entity: String,
    pub region: String,
    pub description: String,
    pub inputs: Entity,
}

/// The decision on one item.
#[derive(Debug, Clone, Serialize)]
pub struct ItemDecision {
    pub entity: String,
    pub region: String,
    pub description: String,
    pub group: String,
    pub rank: String,
    /// Yuan, exact, as text.
    pub amount: String,
    pub granted: bool,
    /// Why it is granted or not, in Chinese.
    pub reason: String,
    pub explanation: String,
}

/// The entitlement list of a year, with totals.
#[derive(Debug, Clone, Serialize)]
pub struct Entitlements {
    pub items: Vec<ItemDecision>,
    pub total: String,
    pub by_group: BTreeMap<String, String>,
    pub by_region: BTreeMap<String, String>,
    pub entities: usize,
}

fn label_of(pack: &Pack, input: &str, v: &Value) -> String {
    // Labels of coded inputs are written in the input's Chinese name: "类别（1 称号、2 平台…）".
    let label = pack
        .inputs
        .iter()
        .find(|i| i.name == input)
        .map(|i| i.label.clone())
        .unwrap_or_default();
    let code = match v {
        Value::Num(n) => n.normalize().to_string(),
        other => format!("{other:?}"),
    };
    if let (Some(open), Some(close)) = (label.find('（'), label.rfind('）')) {
        let inner = &label[open + '（'.len_utf8()..close];
        for part in inner.split('、') {
            let part = part.trim();
            if let Some(rest) = part.strip_prefix(code.as_str()) {
                let name = rest.trim();
                if !name.is_empty() {
                    return name.to_owned();
                }
            }
        }
    }
    code
}

/// Evaluate every item and combine them per entity.
pub fn entitle(pack: &Pack, plan: &Plan, items: &[Item]) -> Result<Entitlements, String> {
    let rule = pack
        .entitle
        .as_ref()
        .ok_or_else(|| format!("政策包“{}”没有 entitle 声明，不是奖补政策包", pack.id))?;
    let (g, r, a) = (
        plan.slot(&rule.group).ok_or("group")?,
        plan.slot(&rule.rank).ok_or("rank")?,
        plan.slot(&rule.amount).ok_or("amount")?,
    );
    let columns: Vec<Vec<Option<Value>>> = (0..plan.inputs().len())
        .map(|i| {
            items
                .iter()
                .map(|it| it.inputs.values.get(i).cloned().flatten())
                .collect()
        })
        .collect();
    let evs = plan.evaluate_batch(&columns);
    struct Cand {
        idx: usize,
        rank: Decimal,
        amount: Decimal,
    }
    let mut decisions: Vec<ItemDecision> = Vec::with_capacity(items.len());
    let mut by_key: BTreeMap<(String, String), Vec<Cand>> = BTreeMap::new();
    for (idx, (item, ev)) in items.iter().zip(&evs).enumerate() {
        let group = plan.at(ev, g).cloned().unwrap_or(Value::Unknown);
        let rank_v = plan.at(ev, r).cloned().unwrap_or(Value::Unknown);
        let amount_v = plan.at(ev, a).cloned().unwrap_or(Value::Unknown);
        let explanation = plan.explain(ev).render();
        let mut d = ItemDecision {
            entity: item.entity.clone(),
            region: item.region.clone(),
            description: item.description.clone(),
            group: label_of(pack, &rule.group, &group),
            rank: label_of(pack, &rule.rank, &rank_v),
            amount: "0".into(),
            granted: false,
            reason: String::new(),
            explanation,
        };
        match (&rank_v, &amount_v) {
            (Value::Num(rank), Value::Num(amount)) if *amount > Decimal::ZERO => {
                d.amount = amount.normalize().to_string();
                by_key
                    .entry((item.entity.clone(), d.group.clone()))
                    .or_default()
                    .push(Cand {
                        idx,
                        rank: *rank,
                        amount: *amount,
                    });
            }
            (_, Value::Num(_)) => d.reason = "不符合奖励条件（金额为0）".into(),
            _ => d.reason = "数据不全，无法确定奖励金额".into(),
        }
        decisions.push(d);
    }
    for cands in by_key.values() {
        let top_rank = cands.iter().map(|c| c.rank).max().unwrap_or_default();
        // Highest level; among equals the largest amount, then the first listed.
        let winner = cands
            .iter()
            .filter(|c| c.rank == top_rank)
            .max_by(|x, y| x.amount.cmp(&y.amount).then(y.idx.cmp(&x.idx)))
            .map(|c| c.idx);
        for c in cands {
            let d = &mut decisions[c.idx];
            if Some(c.idx) == winner {
                d.granted = true;
                d.reason = if cands.len() > 1 {
                    format!("同类别{}项中级别最高、金额最大，予以奖励", cands.len())
                } else {
                    "符合条件，予以奖励".into()
                };
            } else if c.rank < top_rank {
                d.reason = format!(
                    "同一类别只奖励最高级别（{}），本项不重复奖励",
                    label_of(pack, &rule.rank, &Value::Num(top_rank))
                );
            } else {
                d.reason = "同一级别只奖励一项，本项不重复奖励".into();
            }
        }
    }
    let mut total = Decimal::ZERO;
    let mut by_group: BTreeMap<String, Decimal> = BTreeMap::new();
    let mut by_region: BTreeMap<String, Decimal> = BTreeMap::new();
    let mut entities = std::collections::BTreeSet::new();
    for d in decisions.iter().filter(|d| d.granted) {
        let amt: Decimal = d.amount.parse().unwrap_or_default();
        total += amt;
        *by_group.entry(d.group.clone()).or_default() += amt;
        *by_region.entry(d.region.clone()).or_default() += amt;
        entities.insert(d.entity.clone());
    }
    let fmt = |m: BTreeMap<String, Decimal>| {
        m.into_iter()
            .map(|(k, v)| (k, v.normalize().to_string()))
            .collect()
    };
    Ok(Entitlements {
        items: decisions,
        total: total.normalize().to_string(),
        by_group: fmt(by_group),
        by_region: fmt(by_region),
        entities: entities.len(),
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    #[test]
    fn labels_of_codes() {
        let pack = crate::Pack::parse(
            "t",
            "pack t\ninput level number 级别（5 国家级、4 省级）\noutput x 甲 = level\n",
        )
        .unwrap();
        assert_eq!(pack.inputs[0].label, "级别（5 国家级、4 省级）");
        assert_eq!(
            super::label_of(&pack, "level", &crate::Value::Num(4.into())),
            "省级"
        );
    }
}
