//! Evaluation: a pack compiled for one year into a flat plan over numbered slots.

use crate::explain::{self, Node};
use crate::parse::{BinOp, Expr, InputKind, Pack, PackError, RuleDef, RuleKind, Show};
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use std::collections::HashMap;

/// A value during evaluation. Absent values are not zero: `Missing` names the input that was
/// not reported, `Undefined` says why a value cannot exist (a zero denominator), `Unknown` is a
/// decision left to experts.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Num(Decimal),
    Bool(bool),
    Missing(u32),
    Undefined(&'static str),
    Unknown,
}

#[derive(Debug, Clone)]
pub(crate) enum CExpr {
    Num(Decimal),
    Bool(bool),
    Unknown,
    Slot(u32),
    Neg(Box<CExpr>),
    Not(Box<CExpr>),
    Bin(BinOp, Box<CExpr>, Box<CExpr>),
    If(Box<CExpr>, Box<CExpr>, Box<CExpr>),
    Call(Func, Vec<CExpr>),
}

#[derive(Debug, Clone, Copy)]
pub(crate) enum Func {
    Min,
    Max,
    Present,
    SumPresent,
    CountPresent,
    Floor,
    IsTrue,
    IsFalse,
}

#[derive(Debug, Clone)]
pub(crate) enum SlotKind {
    Input {
        kind: InputKind,
        offset: i32,
        optional: bool,
        default: Option<Value>,
    },
    Param(Show),
    Rule(usize),
}

#[derive(Debug, Clone)]
pub(crate) struct SlotInfo {
    pub name: String,
    pub label: String,
    pub kind: SlotKind,
}

#[derive(Debug, Clone)]
pub(crate) struct Step {
    pub slot: u32,
    pub def: RuleDef,
    pub expr: Option<CExpr>,
    pub table: Vec<(CExpr, CExpr)>,
    pub otherwise: Option<CExpr>,
    /// Slots this rule reads directly (for explanations).
    pub reads: Vec<u32>,
}

/// A pack compiled for one year.
#[derive(Debug, Clone)]
pub struct Plan {
    pub pack_id: String,
    pub pack_name: String,
    pub year: i32,
    pub(crate) slots: Vec<SlotInfo>,
    pub(crate) consts: Vec<(u32, Decimal)>,
    /// Input slots, in the order of [`Plan::inputs`].
    pub(crate) input_slots: Vec<u32>,
    pub(crate) steps: Vec<Step>,
    pub(crate) goal: Option<u32>,
    pub(crate) adjusts: Vec<(u32, Decimal, Option<CExpr>, String)>,
}

/// One entity's input values, in the order of [`Plan::inputs`]. `None` = not reported.
#[derive(Debug, Clone, Default)]
pub struct Entity {
    pub values: Vec<Option<Value>>,
}

/// The value of every slot for one entity.
#[derive(Debug, Clone)]
pub struct Evaluation {
    pub(crate) values: Vec<Value>,
    /// For scales and tables: the band or row chosen (-1: the `else` line).
    pub(crate) aux: Vec<i16>,
}

/// An input that was needed and not reported, with the rules that needed it.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Missing {
    pub input: String,
    pub label: String,
    pub year_offset: i32,
    pub needed_by: Vec<String>,
}

/// The smallest change of one input that would reach the pack's goal, others unchanged.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Gap {
    pub input: String,
    pub label: String,
    pub current: String,
    pub increase: String,
    pub text: String,
}

fn compile_expr(e: &Expr, names: &HashMap<(String, i32), u32>) -> Result<CExpr, String> {
    Ok(match e {
        Expr::Num(n) => CExpr::Num(*n),
        Expr::Bool(b) => CExpr::Bool(*b),
        Expr::Unknown => CExpr::Unknown,
        Expr::Year => return Err("year".into()),
        Expr::Var { name, offset } => CExpr::Slot(
            *names
                .get(&(name.clone(), *offset))
                .ok_or_else(|| format!("规则“{name}”在本年度没有有效定义"))?,
        ),
        Expr::Neg(a) => CExpr::Neg(Box::new(compile_expr(a, names)?)),
        Expr::Not(a) => CExpr::Not(Box::new(compile_expr(a, names)?)),
        Expr::Bin(op, a, b) => CExpr::Bin(
            *op,
            Box::new(compile_expr(a, names)?),
            Box::new(compile_expr(b, names)?),
        ),
        Expr::If(a, b, c) => CExpr::If(
            Box::new(compile_expr(a, names)?),
            Box::new(compile_expr(b, names)?),
            Box::new(compile_expr(c, names)?),
        ),
        Expr::Call(f, args) => {
            let func = match f.as_str() {
                "min" => Func::Min,
                "max" => Func::Max,
                "present" => Func::Present,
                "sum_present" => Func::SumPresent,
                "count_present" => Func::CountPresent,
                "is_true" => Func::IsTrue,
                "is_false" => Func::IsFalse,
                _ => Func::Floor,
            };
            CExpr::Call(
                func,
                args.iter()
                    .map(|a| compile_expr(a, names))
                    .collect::<Result<_, _>>()?,
            )
        }
    })
}

/// Replace `year` by the evaluation year before compiling.
fn bind_year(e: &Expr, year: i32) -> Expr {
    match e {
        Expr::Year => Expr::Num(Decimal::from(year)),
        Expr::Neg(a) => Expr::Neg(Box::new(bind_year(a, year))),
        Expr::Not(a) => Expr::Not(Box::new(bind_year(a, year))),
        Expr::Bin(op, a, b) => Expr::Bin(
            *op,
            Box::new(bind_year(a, year)),
            Box::new(bind_year(b, year)),
        ),
        Expr::If(a, b, c) => Expr::If(
            Box::new(bind_year(a, year)),
            Box::new(bind_year(b, year)),
            Box::new(bind_year(c, year)),
        ),
        Expr::Call(f, args) => {
            Expr::Call(f.clone(), args.iter().map(|a| bind_year(a, year)).collect())
        }
        other => other.clone(),
    }
}

impl Pack {
    /// Fix the rules and parameter values in force in `year` (on 31 December of that year).
    pub fn compile(&self, year: i32) -> Result<Plan, PackError> {
        let perr = |line: usize, m: String| PackError {
            file: self.file.clone(),
            line,
            message: m,
        };
        if !self.valid.contains_year(year) {
            return Err(perr(
                1,
                format!(
                    "政策包“{}”的适用期为{}，不适用于{year}年",
                    self.name,
                    self.valid.describe()
                ),
            ));
        }
        let mut slots = Vec::new();
        let mut names: HashMap<(String, i32), u32> = HashMap::new();
        // Inputs at every offset any rule reads.
        let mut offsets: HashMap<&str, Vec<i32>> = HashMap::new();
        for r in &self.rules {
            let mut vars = Vec::new();
            match &r.kind {
                RuleKind::Let(e) | RuleKind::Condition(e) | RuleKind::Output(e) => {
                    e.vars(&mut vars)
                }
                RuleKind::Scale { of, .. } => of.vars(&mut vars),
                RuleKind::Table { rows, otherwise } => {
                    rows.iter().for_each(|(c, v, _)| {
                        c.vars(&mut vars);
                        v.vars(&mut vars);
                    });
                    otherwise.vars(&mut vars);
                }
            }
            for (n, o) in vars {
                if let Some(i) = self.inputs.iter().find(|i| i.name == n) {
                    let v = offsets.entry(i.name.as_str()).or_default();
                    if !v.contains(&o) {
                        v.push(o);
                    }
                }
            }
        }
        let mut input_slots = Vec::new();
        for i in &self.inputs {
            let mut offs = offsets.get(i.name.as_str()).cloned().unwrap_or_default();
            if !offs.contains(&0) {
                offs.push(0);
            }
            offs.sort_by(|a, b| b.cmp(a));
            for o in offs {
                let slot = slots.len() as u32;
                let default = match &i.default {
                    Some(Expr::Num(n)) => Some(Value::Num(*n)),
                    Some(Expr::Bool(b)) => Some(Value::Bool(*b)),
                    _ => None,
                };
                slots.push(SlotInfo {
                    name: i.name.clone(),
                    label: i.label.clone(),
                    kind: SlotKind::Input {
                        kind: i.kind,
                        offset: o,
                        optional: i.optional,
                        default,
                    },
                });
                names.insert((i.name.clone(), o), slot);
                input_slots.push(slot);
            }
        }
        let mut consts = Vec::new();
        for p in &self.params {
            let Some((_, v, _)) = p.values.iter().find(|(per, _, _)| per.contains_year(year))
            else {
                continue;
            };
            let slot = slots.len() as u32;
            slots.push(SlotInfo {
                name: p.name.clone(),
                label: p.label.clone(),
                kind: SlotKind::Param(p.show),
            });
            names.insert((p.name.clone(), 0), slot);
            consts.push((slot, *v));
        }
        let mut steps = Vec::new();
        for name in &self.order {
            let Some(def) = self
                .rules
                .iter()
                .find(|r| &r.name == name && r.valid.contains_year(year))
            else {
                continue;
            };
            let slot = slots.len() as u32;
            slots.push(SlotInfo {
                name: def.name.clone(),
                label: def.label.clone(),
                kind: SlotKind::Rule(steps.len()),
            });
            let c =
                |e: &Expr| compile_expr(&bind_year(e, year), &names).map_err(|m| perr(def.line, m));
            let mut step = Step {
                slot,
                def: def.clone(),
                expr: None,
                table: Vec::new(),
                otherwise: None,
                reads: Vec::new(),
            };
            match &def.kind {
                RuleKind::Let(e) | RuleKind::Condition(e) | RuleKind::Output(e) => {
                    step.expr = Some(c(e)?)
                }
                RuleKind::Scale { of, .. } => step.expr = Some(c(of)?),
                RuleKind::Table { rows, otherwise } => {
                    for (cond, v, _) in rows {
                        step.table.push((c(cond)?, c(v)?));
                    }
                    step.otherwise = Some(c(otherwise)?);
                }
            }
            let mut reads = Vec::new();
            if let Some(e) = &step.expr {
                cslots(e, &mut reads);
            }
            for (a, b) in &step.table {
                cslots(a, &mut reads);
                cslots(b, &mut reads);
            }
            if let Some(e) = &step.otherwise {
                cslots(e, &mut reads);
            }
            reads.dedup();
            step.reads = reads;
            names.insert((def.name.clone(), 0), slot);
            steps.push(step);
        }
        let goal = self
            .goal
            .as_ref()
            .and_then(|g| names.get(&(g.clone(), 0)).copied());
        let mut adjusts = Vec::new();
        for a in &self.adjusts {
            if let Some(slot) = names.get(&(a.input.clone(), 0)) {
                let max = a
                    .max
                    .as_ref()
                    .map(|m| compile_expr(&bind_year(m, year), &names))
                    .transpose()
                    .map_err(|m| perr(a.line, m))?;
                adjusts.push((*slot, a.step, max, a.unit.clone()));
            }
        }
        Ok(Plan {
            pack_id: self.id.clone(),
            pack_name: self.name.clone(),
            year,
            slots,
            consts,
            input_slots,
            steps,
            goal,
            adjusts,
        })
    }
}

fn cslots(e: &CExpr, out: &mut Vec<u32>) {
    match e {
        CExpr::Slot(s) => {
            if !out.contains(s) {
                out.push(*s);
            }
        }
        CExpr::Neg(a) | CExpr::Not(a) => cslots(a, out),
        CExpr::Bin(_, a, b) => {
            cslots(a, out);
            cslots(b, out);
        }
        CExpr::If(a, b, c) => {
            cslots(a, out);
            cslots(b, out);
            cslots(c, out);
        }
        CExpr::Call(_, args) => args.iter().for_each(|a| cslots(a, out)),
        CExpr::Num(_) | CExpr::Bool(_) | CExpr::Unknown => {}
    }
}

fn first_absent<'a>(a: &'a Value, b: &'a Value) -> Option<&'a Value> {
    // Missing data outranks undefined arithmetic, which outranks expert judgement.
    let rank = |v: &Value| match v {
        Value::Missing(_) => 3,
        Value::Undefined(_) => 2,
        Value::Unknown => 1,
        _ => 0,
    };
    match (rank(a), rank(b)) {
        (0, 0) => None,
        (x, y) if x >= y => Some(a),
        _ => Some(b),
    }
}

pub(crate) fn eval(e: &CExpr, v: &[Value]) -> Value {
    match e {
        CExpr::Num(n) => Value::Num(*n),
        CExpr::Bool(b) => Value::Bool(*b),
        CExpr::Unknown => Value::Unknown,
        CExpr::Slot(s) => v[*s as usize].clone(),
        CExpr::Neg(a) => match eval(a, v) {
            Value::Num(n) => Value::Num(-n),
            Value::Bool(_) => Value::Undefined("类型错误"),
            other => other,
        },
        CExpr::Not(a) => match eval(a, v) {
            Value::Bool(b) => Value::Bool(!b),
            Value::Num(_) => Value::Undefined("类型错误"),
            other => other,
        },
        CExpr::If(c, a, b) => match eval(c, v) {
            Value::Bool(true) => eval(a, v),
            Value::Bool(false) => eval(b, v),
            Value::Undefined(_) => eval(b, v),
            Value::Num(_) => Value::Undefined("类型错误"),
            other => other,
        },
        CExpr::Bin(BinOp::And, a, b) => {
            let (x, y) = (eval(a, v), eval(b, v));
            match (&x, &y) {
                (Value::Bool(false), _) | (_, Value::Bool(false)) => Value::Bool(false),
                (Value::Undefined(_), _) | (_, Value::Undefined(_)) => Value::Bool(false),
                (Value::Bool(true), Value::Bool(true)) => Value::Bool(true),
                _ => first_absent(&x, &y)
                    .cloned()
                    .unwrap_or(Value::Undefined("类型错误")),
            }
        }
        CExpr::Bin(BinOp::Or, a, b) => {
            let (x, y) = (eval(a, v), eval(b, v));
            match (&x, &y) {
                (Value::Bool(true), _) | (_, Value::Bool(true)) => Value::Bool(true),
                (Value::Bool(false), Value::Bool(false)) => Value::Bool(false),
                (Value::Undefined(_), Value::Bool(false))
                | (Value::Bool(false), Value::Undefined(_)) => Value::Bool(false),
                (Value::Undefined(_), Value::Undefined(_)) => Value::Bool(false),
                _ => match first_absent(&x, &y) {
                    Some(Value::Undefined(_)) => Value::Bool(false),
                    Some(a) => a.clone(),
                    None => Value::Undefined("类型错误"),
                },
            }
        }
        CExpr::Bin(op, a, b) => {
            let (x, y) = (eval(a, v), eval(b, v));
            let is_cmp = matches!(
                op,
                BinOp::Ge | BinOp::Gt | BinOp::Le | BinOp::Lt | BinOp::Eq | BinOp::Ne
            );
            if let Some(abs) = first_absent(&x, &y) {
                // A comparison with a value that cannot exist (zero denominator) is false.
                return if is_cmp && matches!(abs, Value::Undefined(_)) {
                    Value::Bool(false)
                } else {
                    abs.clone()
                };
            }
            match (x, y) {
                (Value::Num(p), Value::Num(q)) => match op {
                    BinOp::Add => p
                        .checked_add(q)
                        .map_or(Value::Undefined("数值溢出"), Value::Num),
                    BinOp::Sub => p
                        .checked_sub(q)
                        .map_or(Value::Undefined("数值溢出"), Value::Num),
                    BinOp::Mul => p
                        .checked_mul(q)
                        .map_or(Value::Undefined("数值溢出"), Value::Num),
                    BinOp::Div => {
                        if q.is_zero() {
                            Value::Undefined("分母为零")
                        } else {
                            p.checked_div(q)
                                .map_or(Value::Undefined("数值溢出"), Value::Num)
                        }
                    }
                    BinOp::Ge => Value::Bool(p >= q),
                    BinOp::Gt => Value::Bool(p > q),
                    BinOp::Le => Value::Bool(p <= q),
                    BinOp::Lt => Value::Bool(p < q),
                    BinOp::Eq => Value::Bool(p == q),
                    BinOp::Ne => Value::Bool(p != q),
                    BinOp::And | BinOp::Or => Value::Undefined("类型错误"),
                },
                (Value::Bool(p), Value::Bool(q)) => match op {
                    BinOp::Eq => Value::Bool(p == q),
                    BinOp::Ne => Value::Bool(p != q),
                    _ => Value::Undefined("类型错误"),
                },
                _ => Value::Undefined("类型错误"),
            }
        }
        CExpr::Call(f, args) => {
            let vals: Vec<Value> = args.iter().map(|a| eval(a, v)).collect();
            match f {
                Func::Present => Value::Bool(!matches!(vals[0], Value::Missing(_))),
                Func::IsTrue => Value::Bool(vals[0] == Value::Bool(true)),
                Func::IsFalse => Value::Bool(vals[0] == Value::Bool(false)),
                Func::CountPresent => Value::Num(Decimal::from(
                    vals.iter()
                        .filter(|x| !matches!(x, Value::Missing(_)))
                        .count(),
                )),
                Func::SumPresent => {
                    let mut sum = Decimal::ZERO;
                    let mut any = false;
                    for x in &vals {
                        match x {
                            Value::Num(n) => {
                                sum += *n;
                                any = true;
                            }
                            Value::Missing(_) => {}
                            other => return other.clone(),
                        }
                    }
                    if any {
                        Value::Num(sum)
                    } else {
                        vals[0].clone()
                    }
                }
                Func::Min | Func::Max => {
                    let mut best: Option<Decimal> = None;
                    for x in &vals {
                        match x {
                            Value::Num(n) => {
                                best = Some(match (best, f) {
                                    (None, _) => *n,
                                    (Some(b), Func::Min) => b.min(*n),
                                    (Some(b), _) => b.max(*n),
                                })
                            }
                            other => return other.clone(),
                        }
                    }
                    best.map_or(Value::Undefined("类型错误"), Value::Num)
                }
                Func::Floor => match &vals[0] {
                    Value::Num(n) => Value::Num(n.floor()),
                    other => other.clone(),
                },
            }
        }
    }
}

impl Plan {
    /// Inputs the plan reads: (name, year offset). Year offset 0 is the evaluated year, -1 the
    /// year before, and so on.
    pub fn inputs(&self) -> Vec<(String, i32)> {
        self.input_slots
            .iter()
            .map(|s| {
                let info = &self.slots[*s as usize];
                match info.kind {
                    SlotKind::Input { offset, .. } => (info.name.clone(), offset),
                    _ => (info.name.clone(), 0),
                }
            })
            .collect()
    }

    /// The value of an input that was not reported: its declared default, else `Missing`.
    pub(crate) fn absent_input(&self, slot: u32) -> Value {
        match &self.slots[slot as usize].kind {
            SlotKind::Input {
                default: Some(d), ..
            } => d.clone(),
            _ => Value::Missing(slot),
        }
    }

    /// Whether an input is a flag (是/否) rather than a number.
    pub fn input_is_flag(&self, i: usize) -> bool {
        matches!(
            self.slots[self.input_slots[i] as usize].kind,
            SlotKind::Input {
                kind: InputKind::Flag,
                ..
            }
        )
    }

    /// Evaluate one entity.
    pub fn evaluate(&self, e: &Entity) -> Evaluation {
        let mut values = vec![Value::Undefined("未计算"); self.slots.len()];
        for (i, slot) in self.input_slots.iter().enumerate() {
            values[*slot as usize] = e
                .values
                .get(i)
                .cloned()
                .flatten()
                .unwrap_or_else(|| self.absent_input(*slot));
        }
        self.run(values)
    }

    pub(crate) fn run(&self, mut values: Vec<Value>) -> Evaluation {
        for (slot, v) in &self.consts {
            values[*slot as usize] = Value::Num(*v);
        }
        let mut aux = vec![-1i16; self.steps.len()];
        for (si, step) in self.steps.iter().enumerate() {
            let v = match &step.def.kind {
                RuleKind::Let(_) | RuleKind::Output(_) | RuleKind::Condition(_) => step
                    .expr
                    .as_ref()
                    .map_or(Value::Undefined("未计算"), |e| eval(e, &values)),
                RuleKind::Scale {
                    bands, otherwise, ..
                } => {
                    match step
                        .expr
                        .as_ref()
                        .map_or(Value::Undefined("未计算"), |e| eval(e, &values))
                    {
                        Value::Num(x) => {
                            let hit = bands
                                .iter()
                                .position(|b| if b.strict { x > b.bound } else { x >= b.bound });
                            aux[si] = hit.map_or(-1, |h| h as i16);
                            Value::Num(hit.map_or(*otherwise, |h| bands[h].points))
                        }
                        // A ratio that cannot exist (no employees, no revenue) scores the lowest band.
                        Value::Undefined(_) => Value::Num(*otherwise),
                        Value::Bool(_) => Value::Undefined("类型错误"),
                        other => other,
                    }
                }
                RuleKind::Table { .. } => {
                    let mut out = None;
                    for (ri, (c, val)) in step.table.iter().enumerate() {
                        match eval(c, &values) {
                            Value::Bool(true) => {
                                aux[si] = ri as i16;
                                out = Some(eval(val, &values));
                                break;
                            }
                            Value::Bool(false) | Value::Undefined(_) => {}
                            other => {
                                out = Some(other);
                                break;
                            }
                        }
                    }
                    out.unwrap_or_else(|| {
                        step.otherwise
                            .as_ref()
                            .map_or(Value::Num(Decimal::ZERO), |e| eval(e, &values))
                    })
                }
            };
            values[step.slot as usize] = v;
        }
        Evaluation { values, aux }
    }

    /// Evaluate many entities given as columns (one column per input, in the order of
    /// [`Plan::inputs`]), on every core. Results are in entity order.
    pub fn evaluate_batch(&self, columns: &[Vec<Option<Value>>]) -> Vec<Evaluation> {
        let n = columns.first().map_or(0, Vec::len);
        let threads = std::thread::available_parallelism()
            .map_or(1, |t| t.get())
            .clamp(1, 16);
        let chunk = n.div_ceil(threads).max(1);
        let mut out: Vec<Vec<Evaluation>> = Vec::new();
        std::thread::scope(|s| {
            let handles: Vec<_> = (0..n)
                .step_by(chunk)
                .map(|start| {
                    let end = (start + chunk).min(n);
                    s.spawn(move || {
                        (start..end)
                            .map(|row| {
                                let mut values =
                                    vec![Value::Undefined("未计算"); self.slots.len()];
                                for (i, slot) in self.input_slots.iter().enumerate() {
                                    values[*slot as usize] = columns
                                        .get(i)
                                        .and_then(|c| c[row].clone())
                                        .unwrap_or_else(|| self.absent_input(*slot));
                                }
                                self.run(values)
                            })
                            .collect::<Vec<_>>()
                    })
                })
                .collect();
            for h in handles {
                out.push(h.join().unwrap_or_default());
            }
        });
        out.into_iter().flatten().collect()
    }

    /// The pack's outputs and conditions by name (JSON: number, boolean, or null when absent).
    pub fn outputs(&self, ev: &Evaluation) -> serde_json::Map<String, serde_json::Value> {
        let mut m = serde_json::Map::new();
        for step in &self.steps {
            if matches!(step.def.kind, RuleKind::Output(_) | RuleKind::Condition(_)) {
                m.insert(
                    step.def.name.clone(),
                    to_json(&ev.values[step.slot as usize]),
                );
            }
        }
        m
    }

    /// The slot of a rule, input (offset 0) or parameter, for repeated reads with [`Plan::at`].
    pub fn slot(&self, name: &str) -> Option<usize> {
        self.slots.iter().position(|s| {
            s.name == name && !matches!(s.kind, SlotKind::Input { offset, .. } if offset != 0)
        })
    }

    /// The value in a slot found with [`Plan::slot`].
    pub fn at<'a>(&self, ev: &'a Evaluation, slot: usize) -> Option<&'a Value> {
        ev.values.get(slot)
    }

    /// The conditions in force that this entity fails, in the pack's order, each as
    /// “名称：不符合（依据：来源）” — the reasons of a refusal.
    pub fn failed_conditions(&self, ev: &Evaluation) -> Vec<String> {
        self.steps
            .iter()
            .filter(|s| {
                matches!(s.def.kind, crate::parse::RuleKind::Condition(_))
                    && !s.def.pool
                    && ev.values[s.slot as usize] == Value::Bool(false)
            })
            .map(|s| match &s.def.source {
                Some(src) => format!("{}：不符合（依据：{src}）", s.def.label),
                None => format!("{}：不符合", s.def.label),
            })
            .collect()
    }

    /// The cultivation pools (培育库) this entity belongs to: (name, label).
    pub fn pools(&self, ev: &Evaluation) -> Vec<(String, String)> {
        self.steps
            .iter()
            .filter(|s| s.def.pool && ev.values[s.slot as usize] == Value::Bool(true))
            .map(|s| (s.def.name.clone(), s.def.label.clone()))
            .collect()
    }

    /// The value of any rule, input or parameter by name (offset 0).
    pub fn value(&self, ev: &Evaluation, name: &str) -> Option<Value> {
        self.slots
            .iter()
            .position(|s| {
                s.name == name && !matches!(s.kind, SlotKind::Input { offset, .. } if offset != 0)
            })
            .map(|i| ev.values[i].clone())
    }

    /// Inputs that were needed and missing, with the rules that needed them.
    pub fn missing(&self, ev: &Evaluation) -> Vec<Missing> {
        let mut out: Vec<Missing> = Vec::new();
        for step in &self.steps {
            for r in &step.reads {
                if let (
                    SlotKind::Input {
                        offset,
                        optional: false,
                        ..
                    },
                    Value::Missing(_),
                ) = (&self.slots[*r as usize].kind, &ev.values[*r as usize])
                {
                    let info = &self.slots[*r as usize];
                    match out
                        .iter_mut()
                        .find(|m| m.input == info.name && m.year_offset == *offset)
                    {
                        Some(m) => {
                            if !m.needed_by.contains(&step.def.label) {
                                m.needed_by.push(step.def.label.clone());
                            }
                        }
                        None => out.push(Missing {
                            input: info.name.clone(),
                            label: info.label.clone(),
                            year_offset: *offset,
                            needed_by: vec![step.def.label.clone()],
                        }),
                    }
                }
            }
        }
        out
    }

    /// The explanation tree of every output.
    pub fn explain(&self, ev: &Evaluation) -> Node {
        explain::tree(self, ev)
    }

    /// For a failed goal: per adjustable input, the smallest increase that reaches it.
    pub fn gaps(&self, ev: &Evaluation) -> Vec<Gap> {
        let Some(goal) = self.goal else {
            return Vec::new();
        };
        if ev.values[goal as usize] != Value::Bool(false) {
            return Vec::new();
        }
        let mut out = Vec::new();
        for (slot, step, max, unit) in &self.adjusts {
            let Value::Num(current) = ev.values[*slot as usize] else {
                continue;
            };
            let limit = match max.as_ref().map(|m| eval(m, &ev.values)) {
                Some(Value::Num(m)) => m,
                Some(_) => continue,
                None => current + Decimal::from(1_000_000_000_000i64),
            };
            if limit <= current {
                continue;
            }
            let max_k = ((limit - current) / step)
                .floor()
                .to_u64()
                .unwrap_or(0)
                .min(1 << 40);
            let reaches = |k: u64| -> bool {
                let mut values = ev.values.clone();
                values[*slot as usize] = Value::Num(current + *step * Decimal::from(k));
                // `run` recomputes every rule from the inputs.
                self.run(values).values[goal as usize] == Value::Bool(true)
            };
            if max_k == 0 || !reaches(max_k) {
                continue;
            }
            let (mut lo, mut hi) = (0u64, max_k);
            while hi - lo > 1 {
                let mid = lo + (hi - lo) / 2;
                if reaches(mid) {
                    hi = mid;
                } else {
                    lo = mid;
                }
            }
            let delta = *step * Decimal::from(hi);
            let info = &self.slots[*slot as usize];
            let money = matches!(
                info.kind,
                SlotKind::Input {
                    kind: InputKind::Money,
                    ..
                }
            );
            let amount = if money {
                explain::money(delta)
            } else {
                format!("{} {unit}", delta.normalize())
            };
            let current_s = if money {
                explain::money(current)
            } else {
                format!("{} {unit}", current.normalize())
            };
            out.push(Gap {
                input: info.name.clone(),
                label: info.label.clone(),
                current: current_s,
                increase: amount.clone(),
                text: format!("{}需再增加 {amount}", info.label),
            });
        }
        out
    }

    pub(crate) fn show_of(&self, slot: u32) -> Show {
        match &self.slots[slot as usize].kind {
            SlotKind::Input {
                kind: InputKind::Money,
                ..
            } => Show::Money,
            SlotKind::Input {
                kind: InputKind::Ratio,
                ..
            } => Show::Percent,
            SlotKind::Param(show) => *show,
            SlotKind::Input { .. } => Show::Plain,
            SlotKind::Rule(i) => self.steps[*i].def.show,
        }
    }
}

pub(crate) fn to_json(v: &Value) -> serde_json::Value {
    match v {
        Value::Num(n) => {
            let n = n.normalize();
            if n.fract().is_zero() {
                n.to_i64().map_or_else(
                    || serde_json::Value::String(n.to_string()),
                    serde_json::Value::from,
                )
            } else {
                serde_json::Number::from_f64(n.to_f64().unwrap_or(0.0))
                    .map_or(serde_json::Value::Null, serde_json::Value::Number)
            }
        }
        Value::Bool(b) => serde_json::Value::Bool(*b),
        _ => serde_json::Value::Null,
    }
}
