//! Running a pack's test cases (inputs → expected outputs), for `kechuang rules test` and the
//! test suite.

use crate::eval::{Entity, Value};
use crate::parse::{Case, Pack, parse_number};

/// The outcome of one case.
#[derive(Debug, Clone, serde::Serialize)]
pub struct CaseResult {
    pub name: String,
    pub description: String,
    pub passed: bool,
    /// One line per mismatch: `score: expected 80, got 78`.
    pub failures: Vec<String>,
}

/// A cell of a case or a file: numbers (with `%`, `万`, `亿`), true/false, 是/否.
pub fn parse_value(s: &str) -> Option<Value> {
    match s.trim() {
        "true" | "是" => Some(Value::Bool(true)),
        "false" | "否" => Some(Value::Bool(false)),
        t => parse_number(t).map(Value::Num),
    }
}

fn describe(v: &Value) -> String {
    match v {
        Value::Num(n) => n.normalize().to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Missing(_) => "missing".into(),
        Value::Undefined(w) => format!("undefined({w})"),
        Value::Unknown => "unknown".into(),
    }
}

/// Run every case against the pack.
pub fn run_cases(pack: &Pack, cases: &[Case]) -> Vec<CaseResult> {
    cases
        .iter()
        .map(|c| {
            let mut failures = Vec::new();
            match pack.compile(c.year) {
                Err(e) => failures.push(format!("无法编译：{e}")),
                Ok(plan) => {
                    let mut entity = Entity::default();
                    for (name, off) in plan.inputs() {
                        let v = c
                            .data
                            .iter()
                            .find(|(n, o, _)| *n == name && *o == off)
                            .map(|(_, _, v)| v.as_str());
                        entity.values.push(match v {
                            Some(v) => match parse_value(v) {
                                Some(x) => Some(x),
                                None => {
                                    failures.push(format!("{name}: 无法解析的值“{v}”"));
                                    None
                                }
                            },
                            None => None,
                        });
                    }
                    for (name, _, _) in &c.data {
                        if !plan.inputs().iter().any(|(n, _)| n == name) {
                            failures.push(format!("{name}: 不是本政策包的输入"));
                        }
                    }
                    let ev = plan.evaluate(&entity);
                    for (name, want) in &c.expect {
                        let Some(got) = plan.value(&ev, name) else {
                            failures.push(format!("{name}: 没有这个规则"));
                            continue;
                        };
                        let ok = match (want.as_str(), &got) {
                            ("missing", Value::Missing(_))
                            | ("unknown", Value::Unknown)
                            | ("undefined", Value::Undefined(_)) => true,
                            (w, g) => parse_value(w).is_some_and(|w| &w == g),
                        };
                        if !ok {
                            failures.push(format!("{name}: 期望 {want}，实际 {}", describe(&got)));
                        }
                    }
                }
            }
            CaseResult {
                name: c.name.clone(),
                description: c.description.clone(),
                passed: failures.is_empty(),
                failures,
            }
        })
        .collect()
}
