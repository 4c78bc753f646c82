//! Explanations: the tree of rules applied, with input and intermediate values, rendered as
//! Chinese text (e.g. "研发投入指标 40 分：研发费用占销售收入比例 5.2%，属于“不低于5%且低于6%”档").

use crate::eval::{Evaluation, Plan, SlotKind, Value};
use crate::parse::{Band, RuleKind, Show};
use rust_decimal::Decimal;
use serde::Serialize;

/// One node of an explanation.
#[derive(Debug, Clone, Serialize)]
pub struct Node {
    pub name: String,
    pub label: String,
    /// The value as shown (e.g. "12 分", "24%", "符合").
    pub value: String,
    /// One sentence in Chinese.
    pub text: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub children: Vec<Node>,
}

impl Node {
    /// Render as indented Chinese text, one line per node.
    pub fn render(&self) -> String {
        let mut out = String::new();
        self.render_into(0, &mut out);
        out
    }

    fn render_into(&self, depth: usize, out: &mut String) {
        out.push_str(&"  ".repeat(depth));
        out.push_str(&self.text);
        if let Some(s) = &self.source {
            out.push_str(&format!("〔依据：{s}〕"));
        }
        out.push('\n');
        for c in &self.children {
            c.render_into(depth + 1, out);
        }
    }
}

/// Yuan, shown in 万元 from 10,000 up.
pub fn money(d: Decimal) -> String {
    if d.abs() >= Decimal::from(10_000) {
        format!(
            "{} 万元",
            (d / Decimal::from(10_000)).round_dp(4).normalize()
        )
    } else {
        format!("{} 元", d.round_dp(2).normalize())
    }
}

fn percent(d: Decimal) -> String {
    format!("{}%", (d * Decimal::from(100)).round_dp(2).normalize())
}

pub(crate) fn show(v: &Value, how: Show) -> String {
    match v {
        Value::Num(n) => match how {
            Show::Percent => percent(*n),
            Show::Money => money(*n),
            Show::Points => format!("{} 分", n.normalize()),
            Show::Plain => n.normalize().to_string(),
        },
        Value::Bool(true) => "是".into(),
        Value::Bool(false) => "否".into(),
        Value::Missing(_) => "缺少数据".into(),
        Value::Undefined(why) => format!("无法计算（{why}）"),
        Value::Unknown => "待定（需专家评审）".into(),
    }
}

fn bound(b: &Band, how: Show) -> String {
    match how {
        Show::Percent => percent(b.bound),
        Show::Money => money(b.bound),
        _ => b.bound.normalize().to_string(),
    }
}

/// Band `i` of a descending scale in words, never interval notation: "30%及以上", "不低于20%且低于
/// 30%", "低于20%"; `i = -1` is the `else` band. A strict bound excludes its value ("高于30%").
fn interval(bands: &[Band], i: i16, how: Show) -> String {
    if i < 0 {
        return match bands.last() {
            Some(last) if last.strict => format!("{}及以下", bound(last, how)),
            Some(last) => format!("低于{}", bound(last, how)),
            None => "全部".into(),
        };
    }
    let b = &bands[i as usize];
    let lo = bound(b, how);
    if i == 0 {
        return if b.strict {
            format!("高于{lo}")
        } else {
            format!("{lo}及以上")
        };
    }
    let upper = &bands[i as usize - 1];
    let hi = bound(upper, how);
    match (b.strict, upper.strict) {
        (false, false) => format!("不低于{lo}且低于{hi}"),
        (false, true) => format!("不低于{lo}且不超过{hi}"),
        (true, false) => format!("高于{lo}且低于{hi}"),
        (true, true) => format!("高于{lo}且不超过{hi}"),
    }
}

pub(crate) fn tree(plan: &Plan, ev: &Evaluation) -> Node {
    let mut children = Vec::new();
    let mut seen = Vec::new();
    for step in &plan.steps {
        if matches!(step.def.kind, RuleKind::Output(_)) {
            children.push(node(plan, ev, step.slot, 0, &mut seen));
        }
    }
    Node {
        name: plan.pack_id.clone(),
        label: plan.pack_name.clone(),
        value: String::new(),
        text: format!("{}（{}年度）", plan.pack_name, plan.year),
        source: None,
        children,
    }
}

fn slot_text(plan: &Plan, ev: &Evaluation, slot: u32) -> String {
    let info = &plan.slots[slot as usize];
    let v = &ev.values[slot as usize];
    let year = match info.kind {
        SlotKind::Input { offset, .. } if offset != 0 => format!("（{}年）", plan.year + offset),
        _ => String::new(),
    };
    format!("{}{year} {}", info.label, show(v, plan.show_of(slot)))
}

/// A rule already explained higher up is shown once more without its subtree.
fn node(plan: &Plan, ev: &Evaluation, slot: u32, depth: usize, seen: &mut Vec<u32>) -> Node {
    let info = &plan.slots[slot as usize];
    let v = &ev.values[slot as usize];
    let how = plan.show_of(slot);
    let value = show(v, how);
    let SlotKind::Rule(si) = info.kind else {
        let text = match info.kind {
            SlotKind::Param(_) => format!("{}：{}", info.label, value),
            _ => slot_text(plan, ev, slot),
        };
        return Node {
            name: info.name.clone(),
            label: info.label.clone(),
            value,
            text,
            source: None,
            children: Vec::new(),
        };
    };
    let step = &plan.steps[si];
    let inputs: Vec<String> = step.reads.iter().map(|r| slot_text(plan, ev, *r)).collect();
    let text = match &step.def.kind {
        RuleKind::Scale { bands, .. } => {
            let of_how = step.reads.first().map_or(Show::Plain, |r| plan.show_of(*r));
            let basis = inputs.join("，");
            match v {
                Value::Num(_) => {
                    let i = ev.aux[si];
                    let band = if i >= 0 {
                        bands[i as usize].label.clone()
                    } else {
                        None
                    };
                    format!(
                        "{} {}：{}，属于“{}”档{}",
                        step.def.label,
                        value,
                        basis,
                        interval(bands, i, of_how),
                        band.map(|b| format!("（{b}）")).unwrap_or_default()
                    )
                }
                _ => format!("{}：{}（{}）", step.def.label, value, basis),
            }
        }
        RuleKind::Table { rows, .. } => {
            let i = ev.aux[si];
            let why = if i >= 0 {
                rows[i as usize]
                    .2
                    .clone()
                    .unwrap_or_else(|| "条件成立".into())
            } else {
                "以上条件均不满足".into()
            };
            format!(
                "{} {}：{}（{}）",
                step.def.label,
                value,
                why,
                inputs.join("，")
            )
        }
        RuleKind::Condition(_) => {
            let verdict = match v {
                Value::Bool(true) => "符合".to_owned(),
                Value::Bool(false) => "不符合".to_owned(),
                other => show(other, Show::Plain),
            };
            format!("{}：{}（{}）", step.def.label, verdict, inputs.join("，"))
        }
        RuleKind::Let(_) | RuleKind::Output(_) => {
            let value = match v {
                Value::Bool(true) => "是".to_owned(),
                Value::Bool(false) => "否".to_owned(),
                _ => value.clone(),
            };
            if inputs.is_empty() {
                format!("{} {}", step.def.label, value)
            } else {
                format!("{} {}（{}）", step.def.label, value, inputs.join("，"))
            }
        }
    };
    if seen.contains(&slot) {
        return Node {
            name: info.name.clone(),
            label: step.def.label.clone(),
            value,
            text: format!("{text}（见上）"),
            source: None,
            children: Vec::new(),
        };
    }
    seen.push(slot);
    let children = if depth < 12 {
        step.reads
            .iter()
            .filter(|r| matches!(plan.slots[**r as usize].kind, SlotKind::Rule(_)))
            .map(|r| node(plan, ev, *r, depth + 1, seen))
            .collect()
    } else {
        Vec::new()
    };
    Node {
        name: info.name.clone(),
        label: step.def.label.clone(),
        value,
        text,
        source: step.def.source.clone(),
        children,
    }
}
