//! Typed integer/flag path of [`Plan::evaluate_typed`]: the requested slots compiled to plain
//! loops over `i64` columns.
//!
//! # Design
//!
//! Before any row is read, the steps the requested slots depend on are compiled once into a
//! flat list of [`Op`]s over numbered `i64` registers (one column of [`CHUNK`](crate::CHUNK)
//! rows each): whole numbers are `i64`, flags are `0`/`1`. Everything that is the same for
//! every row — parameters, literals, inputs reported for no row ([`Column::Absent`]: their
//! default or `Missing`), and whatever depends only on those — is folded at compile time with
//! the exact evaluator itself, so e.g. `if present(total_cost) then … else rd_sales_points`
//! becomes `rd_sales_points` when no row reports `total_cost`. A plan the compiler does not
//! cover (a division other than the ratio of a scale, a non-integral amount in arithmetic,
//! `sum_present`, a condition that is `Missing` for every row, …) is not compiled, and the
//! general columnar path runs as before.
//!
//! A row is *bad* when one of its inputs is not reported or not a whole number (|x| ≤ 2^53
//! with scale 0) or flag, or when an operation could not be decided exactly in `i64`
//! (overflow, the negation of 0, which is `−0` in the decimal path). Values of bad rows are
//! never used: a chunk with a few bad rows re-evaluates them with the exact per-entity path
//! (`Plan::run`), a chunk with many goes through the general columnar path (which itself sends
//! what it cannot prove to the exact path). So missing inputs are reported per entity, exactly
//! as the exact path reports them, and nothing is guessed.
//!
//! Exactness on good rows: the exact path computes with decimals of scale 0 for whole-number
//! inputs, so `+ − ×`, `min`/`max`, `floor` and comparisons are the same in checked `i64`. A
//! comparison with a non-integral constant `d` is the integer comparison with `ceil(d)` or
//! `floor(d)`. A scale of `a / b` decides its band by the rational comparison `a·10^s ≥ m·b`
//! (i64 when it cannot overflow, else i128; see `columnar::FastStep` for why this equals the
//! decimal quotient's comparison when |b| ≤ 2^53); a zero denominator gives the lowest band,
//! as in the exact path. A scale of a whole number compares with the edges rounded to
//! integers. Band points must be whole numbers of scale 0, so the results are identical
//! (`Decimal::from(i64)`), not merely equal. The band/row of every scale and table is kept per
//! row, as in the exact path.

// Loops walk several parallel columns by row index.
#![allow(clippy::needless_range_loop)]

use crate::columnar::Column;
use crate::eval::{CExpr, Func, Plan, SlotKind, Value, eval};
use crate::parse::{BinOp, RuleKind};
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

/// Rows per chunk of the typed path: a few dozen registers of this many rows stay in the
/// second-level cache.
pub(crate) const TCHUNK: usize = 1024;
/// Inputs above this magnitude make the row bad (as in the general path's exact regime).
const LIM: u64 = 1 << 53;
/// A chunk with at most this many bad rows re-evaluates them one by one with the exact path;
/// more, and the whole chunk takes the general columnar path.
pub(crate) const FEW: usize = 24;

/// A compiled value: the same for every row, or a register of whole numbers or flags.
#[derive(Debug, Clone)]
enum T {
    K(Value),
    I(usize),
    B(usize),
}

/// An operand of an operation: a register or a constant.
#[derive(Debug, Clone, Copy)]
enum S {
    R(usize),
    K(i64),
}

#[derive(Debug, Clone, Copy)]
enum Ar {
    Add,
    Sub,
    Mul,
    Min,
    Max,
}

#[derive(Debug, Clone, Copy)]
enum Cm {
    Ge,
    Gt,
    Le,
    Lt,
    Eq,
    Ne,
}

#[derive(Debug, Clone)]
enum Op {
    LoadI {
        input: usize,
        dst: usize,
    },
    LoadB {
        input: usize,
        dst: usize,
    },
    Arith {
        op: Ar,
        a: S,
        b: S,
        dst: usize,
    },
    Cmp {
        op: Cm,
        a: S,
        b: S,
        dst: usize,
    },
    Logic {
        and: bool,
        a: S,
        b: S,
        dst: usize,
    },
    Not {
        a: usize,
        dst: usize,
    },
    Neg {
        a: usize,
        dst: usize,
    },
    Select {
        c: usize,
        a: usize,
        b: usize,
        dst: usize,
    },
    /// Scale of `a / b`: edges `(strict, m, p)` meaning `a/b ≥ m/p` (or `>`); `pts[0]` is the
    /// `else` value, `pts[k + 1]` the points of edge `k`.
    Ratio {
        a: usize,
        b: usize,
        edges: Vec<(bool, i64, i64)>,
        /// With every edge over a common power of ten `P ≤ 256` as `M/P` (|M| ≤ 256):
        /// `(P, M, strict)`. Then `a·P − M·b` cannot overflow i64 for |a|, |b| ≤ 2^53 and the
        /// edge holds when it is `≥ strict` (0 or 1).
        small: Option<(i64, Vec<i64>, Vec<i64>)>,
        /// Edges decreasing: the edges that hold are a suffix, so the band is found by counting
        /// (no branch per edge).
        monotone: bool,
        pts: Vec<i64>,
        dst: usize,
        aux: usize,
    },
    /// Scale of a whole number: band `k` when `x ≥ th[k]`; `pts` as in `Ratio`.
    Band {
        x: usize,
        th: Vec<i64>,
        monotone: bool,
        pts: Vec<i64>,
        dst: usize,
        aux: usize,
    },
    /// Table: the first row whose condition holds gives its value.
    Table {
        /// (condition, value, line of the table).
        rows: Vec<(usize, usize, i16)>,
        other: usize,
        dst: usize,
        aux: usize,
    },
}

/// The band/row of a step: the same for every row, or a recorded column.
#[derive(Debug, Clone, Copy)]
enum Aux {
    K(i16),
    R(usize),
}

/// A plan's requested slots compiled to typed loops.
#[derive(Debug, Clone)]
pub(crate) struct Prog {
    ops: Vec<Op>,
    regs: usize,
    /// Registers holding a constant (filled once per thread).
    consts: Vec<(usize, i64)>,
    auxes: usize,
    out: Vec<T>,
    /// Per step: the band/row, for the scales and tables compiled.
    step_aux: Vec<Option<Aux>>,
}

struct Cx<'a> {
    plan: &'a Plan,
    columns: &'a [Column<'a>],
    memo: Vec<Option<T>>,
    step_aux: Vec<Option<Aux>>,
    ops: Vec<Op>,
    regs: usize,
    consts: Vec<(usize, i64)>,
    auxes: usize,
}

fn int_of(d: &Decimal) -> Option<i64> {
    if d.scale() != 0 || (d.is_zero() && d.is_sign_negative()) {
        return None;
    }
    d.to_i64()
}

fn num_const(t: &T) -> Option<S> {
    match t {
        T::I(r) => Some(S::R(*r)),
        T::K(Value::Num(d)) => int_of(d).map(S::K),
        _ => None,
    }
}

fn bool_const(t: &T) -> Option<S> {
    match t {
        T::B(r) => Some(S::R(*r)),
        T::K(Value::Bool(b)) => Some(S::K(i64::from(*b))),
        _ => None,
    }
}

fn slot_expr(k: usize) -> Box<CExpr> {
    Box::new(CExpr::Slot(k as u32))
}

const TYPE_ERR: Value = Value::Undefined("类型错误");

impl Cx<'_> {
    fn reg(&mut self) -> usize {
        self.regs += 1;
        self.regs - 1
    }

    /// An operand as a register (a constant gets a register of its own).
    fn kreg(&mut self, s: S) -> usize {
        match s {
            S::R(r) => r,
            S::K(k) => {
                if let Some((r, _)) = self.consts.iter().find(|c| c.1 == k) {
                    return *r;
                }
                let r = self.reg();
                self.consts.push((r, k));
                r
            }
        }
    }

    fn slot(&mut self, s: usize) -> Option<T> {
        if let Some(t) = &self.memo[s] {
            return Some(t.clone());
        }
        let plan = self.plan;
        let t = match &plan.slots[s].kind {
            SlotKind::Input { .. } => {
                let i = plan.input_slots.iter().position(|x| *x as usize == s)?;
                let flag = plan.input_is_flag(i);
                let col = self.columns.get(i).copied().unwrap_or(Column::Absent);
                // A column reported for no row is absent for every row.
                let none = match col {
                    Column::Values(c) => c.iter().all(Option::is_none),
                    Column::Ints(c) => c.iter().all(Option::is_none),
                    Column::Flags(c) => c.iter().all(Option::is_none),
                    Column::Absent => true,
                };
                match (col, flag) {
                    _ if none => T::K(plan.absent_input(s as u32)),
                    (Column::Ints(_), false) | (Column::Values(_), false) => {
                        let dst = self.reg();
                        self.ops.push(Op::LoadI { input: i, dst });
                        T::I(dst)
                    }
                    (Column::Flags(_), true) | (Column::Values(_), true) => {
                        let dst = self.reg();
                        self.ops.push(Op::LoadB { input: i, dst });
                        T::B(dst)
                    }
                    _ => return None,
                }
            }
            SlotKind::Param(_) => T::K(
                plan.consts
                    .iter()
                    .find(|(c, _)| *c as usize == s)
                    .map_or(Value::Undefined("未计算"), |(_, d)| Value::Num(*d)),
            ),
            SlotKind::Rule(si) => self.step(*si)?,
        };
        self.memo[s] = Some(t.clone());
        Some(t)
    }

    /// Fold a node whose operands are all constants with the exact evaluator.
    fn fold(node: CExpr, vals: &[Value]) -> T {
        T::K(eval(&node, vals))
    }

    fn expr(&mut self, e: &CExpr) -> Option<T> {
        Some(match e {
            CExpr::Num(d) => T::K(Value::Num(*d)),
            CExpr::Bool(b) => T::K(Value::Bool(*b)),
            CExpr::Unknown => T::K(Value::Unknown),
            CExpr::Slot(s) => self.slot(*s as usize)?,
            CExpr::Neg(a) => match self.expr(a)? {
                T::K(v) => Self::fold(CExpr::Neg(slot_expr(0)), &[v]),
                T::I(a) => {
                    let dst = self.reg();
                    self.ops.push(Op::Neg { a, dst });
                    T::I(dst)
                }
                T::B(_) => T::K(TYPE_ERR),
            },
            CExpr::Not(a) => match self.expr(a)? {
                T::K(v) => Self::fold(CExpr::Not(slot_expr(0)), &[v]),
                T::B(a) => {
                    let dst = self.reg();
                    self.ops.push(Op::Not { a, dst });
                    T::B(dst)
                }
                T::I(_) => T::K(TYPE_ERR),
            },
            CExpr::If(c, a, b) => match self.expr(c)? {
                T::K(v) => match v {
                    Value::Bool(true) => self.expr(a)?,
                    Value::Bool(false) | Value::Undefined(_) => self.expr(b)?,
                    Value::Num(_) => T::K(TYPE_ERR),
                    other => T::K(other),
                },
                T::I(_) => T::K(TYPE_ERR),
                T::B(c) => {
                    let (x, y) = (self.expr(a)?, self.expr(b)?);
                    let (a, b, int) = if let (Some(a), Some(b)) = (num_const(&x), num_const(&y)) {
                        (a, b, true)
                    } else if let (Some(a), Some(b)) = (bool_const(&x), bool_const(&y)) {
                        (a, b, false)
                    } else {
                        return None;
                    };
                    let (a, b) = (self.kreg(a), self.kreg(b));
                    let dst = self.reg();
                    self.ops.push(Op::Select { c, a, b, dst });
                    if int { T::I(dst) } else { T::B(dst) }
                }
            },
            CExpr::Bin(op, a, b) => {
                let (x, y) = (self.expr(a)?, self.expr(b)?);
                self.bin(*op, x, y)?
            }
            CExpr::Call(f, args) => self.call(*f, args)?,
        })
    }

    fn bin(&mut self, op: BinOp, x: T, y: T) -> Option<T> {
        if let (T::K(p), T::K(q)) = (&x, &y) {
            let node = CExpr::Bin(op, slot_expr(0), slot_expr(1));
            return Some(Self::fold(node, &[p.clone(), q.clone()]));
        }
        let dst = self.reg();
        if matches!(op, BinOp::And | BinOp::Or) {
            let and = matches!(op, BinOp::And);
            return Some(match (&x, &y) {
                (T::B(a), T::B(b)) => {
                    self.ops.push(Op::Logic {
                        and,
                        a: S::R(*a),
                        b: S::R(*b),
                        dst,
                    });
                    T::B(dst)
                }
                (T::B(r), T::K(v)) | (T::K(v), T::B(r)) => match (v, and) {
                    (Value::Bool(false), true) | (Value::Undefined(_), true) => {
                        T::K(Value::Bool(false))
                    }
                    (Value::Bool(true), false) => T::K(Value::Bool(true)),
                    (Value::Bool(true), true)
                    | (Value::Bool(false), false)
                    | (Value::Undefined(_), false) => T::B(*r),
                    _ => return None,
                },
                _ => return None,
            });
        }
        let cmp = match op {
            BinOp::Ge => Some(Cm::Ge),
            BinOp::Gt => Some(Cm::Gt),
            BinOp::Le => Some(Cm::Le),
            BinOp::Lt => Some(Cm::Lt),
            BinOp::Eq => Some(Cm::Eq),
            BinOp::Ne => Some(Cm::Ne),
            _ => None,
        };
        let ar = match op {
            BinOp::Add => Some(Ar::Add),
            BinOp::Sub => Some(Ar::Sub),
            BinOp::Mul => Some(Ar::Mul),
            _ => None,
        };
        // A constant that is absent decides for every (present) row, as in the exact path.
        for t in [&x, &y] {
            if let T::K(v @ (Value::Missing(_) | Value::Undefined(_) | Value::Unknown)) = t {
                return Some(match (cmp, v) {
                    (Some(_), Value::Undefined(_)) => T::K(Value::Bool(false)),
                    _ => T::K(v.clone()),
                });
            }
        }
        let is_num = |t: &T| matches!(t, T::I(_) | T::K(Value::Num(_)));
        let is_bool = |t: &T| matches!(t, T::B(_) | T::K(Value::Bool(_)));
        if (is_num(&x) && is_bool(&y)) || (is_bool(&x) && is_num(&y)) {
            return Some(T::K(TYPE_ERR));
        }
        if is_bool(&x) {
            // Flags: only `==` and `!=`.
            let (a, b) = (bool_const(&x)?, bool_const(&y)?);
            return Some(match cmp {
                Some(op @ (Cm::Eq | Cm::Ne)) => {
                    self.ops.push(Op::Cmp { op, a, b, dst });
                    T::B(dst)
                }
                _ => T::K(TYPE_ERR),
            });
        }
        if let Some(op) = ar {
            let (a, b) = (num_const(&x)?, num_const(&y)?);
            self.ops.push(Op::Arith { op, a, b, dst });
            return Some(T::I(dst));
        }
        let op = cmp?;
        // A register against a constant that may not be a whole number: compare with it
        // rounded (the register on the left).
        let (r, op, d) = match (&x, &y) {
            (T::I(a), T::I(b)) => {
                self.ops.push(Op::Cmp {
                    op,
                    a: S::R(*a),
                    b: S::R(*b),
                    dst,
                });
                return Some(T::B(dst));
            }
            (T::I(a), T::K(Value::Num(d))) => (*a, op, *d),
            (T::K(Value::Num(d)), T::I(b)) => (
                *b,
                match op {
                    Cm::Ge => Cm::Le,
                    Cm::Gt => Cm::Lt,
                    Cm::Le => Cm::Ge,
                    Cm::Lt => Cm::Gt,
                    o => o,
                },
                *d,
            ),
            _ => return None,
        };
        let (op, k) = if d.fract().is_zero() {
            (op, d.to_i64()?)
        } else {
            match op {
                Cm::Ge | Cm::Gt => (Cm::Ge, d.ceil().to_i64()?),
                Cm::Le | Cm::Lt => (Cm::Le, d.floor().to_i64()?),
                Cm::Eq => return Some(T::K(Value::Bool(false))),
                Cm::Ne => return Some(T::K(Value::Bool(true))),
            }
        };
        self.ops.push(Op::Cmp {
            op,
            a: S::R(r),
            b: S::K(k),
            dst,
        });
        Some(T::B(dst))
    }

    fn call(&mut self, f: Func, args: &[CExpr]) -> Option<T> {
        let vals: Vec<T> = args.iter().map(|a| self.expr(a)).collect::<Option<_>>()?;
        if vals.is_empty() {
            return None;
        }
        if vals.iter().all(|t| matches!(t, T::K(_))) {
            let consts: Vec<Value> = vals
                .iter()
                .map(|t| match t {
                    T::K(v) => v.clone(),
                    _ => Value::Unknown,
                })
                .collect();
            let node = CExpr::Call(f, (0..vals.len()).map(|k| *slot_expr(k)).collect());
            return Some(Self::fold(node, &consts));
        }
        Some(match f {
            // A register holds a reported value on every row that is not bad.
            Func::Present => T::K(Value::Bool(true)),
            Func::CountPresent => T::K(Value::Num(Decimal::from(
                vals.iter()
                    .filter(|t| !matches!(t, T::K(Value::Missing(_))))
                    .count(),
            ))),
            Func::IsTrue => match &vals[0] {
                T::B(r) => T::B(*r),
                _ => T::K(Value::Bool(false)),
            },
            Func::IsFalse => match &vals[0] {
                T::B(a) => {
                    let dst = self.reg();
                    self.ops.push(Op::Not { a: *a, dst });
                    T::B(dst)
                }
                _ => T::K(Value::Bool(false)),
            },
            Func::Floor => vals[0].clone(),
            Func::Min | Func::Max => {
                let op = if matches!(f, Func::Min) {
                    Ar::Min
                } else {
                    Ar::Max
                };
                let mut acc = num_const(&vals[0])?;
                for v in &vals[1..] {
                    let b = num_const(v)?;
                    let dst = self.reg();
                    self.ops.push(Op::Arith { op, a: acc, b, dst });
                    acc = S::R(dst);
                }
                match acc {
                    S::R(r) => T::I(r),
                    S::K(_) => return None,
                }
            }
            Func::SumPresent => return None,
        })
    }

    fn step(&mut self, si: usize) -> Option<T> {
        let plan = self.plan;
        let step = &plan.steps[si];
        Some(match &step.def.kind {
            RuleKind::Let(_) | RuleKind::Output(_) | RuleKind::Condition(_) => match &step.expr {
                Some(e) => self.expr(e)?,
                None => T::K(Value::Undefined("未计算")),
            },
            RuleKind::Scale {
                bands, otherwise, ..
            } => {
                let pts: Vec<i64> = bands
                    .iter()
                    .map(|b| int_of(&b.points))
                    .collect::<Option<_>>()?;
                let other = int_of(otherwise)?;
                let expr = step.expr.as_ref();
                // A ratio of two whole numbers, decided by rational comparison.
                let rational: Option<Vec<(bool, i64, i64)>> = bands
                    .iter()
                    .map(|b| {
                        (b.bound.scale() <= 8 && b.bound.mantissa().abs() <= 1_000_000_000).then(
                            || {
                                (
                                    b.strict,
                                    b.bound.mantissa() as i64,
                                    10i64.pow(b.bound.scale()),
                                )
                            },
                        )
                    })
                    .collect();
                if let (Some(edges), Some((a, b))) = (rational, expr.and_then(|e| plan.ratio_of(e)))
                {
                    let (ta, tb) = (self.slot(a)?, self.slot(b)?);
                    if let (Some(sa), Some(sb)) = (num_const(&ta), num_const(&tb))
                        && (matches!(sa, S::R(_)) || matches!(sb, S::R(_)))
                    {
                        let pmax = edges.iter().map(|e| e.2).max().unwrap_or(1).max(1);
                        let small = edges
                            .iter()
                            .map(|&(st, m, p)| {
                                let big_m = m.checked_mul(pmax / p)?;
                                (pmax % p == 0 && big_m.abs() <= 256)
                                    .then_some((big_m, i64::from(st)))
                            })
                            .collect::<Option<Vec<_>>>()
                            .filter(|_| pmax <= 256)
                            .map(|v| {
                                (
                                    pmax,
                                    v.iter().map(|x| x.0).collect(),
                                    v.iter().map(|x| x.1).collect(),
                                )
                            });
                        // Decreasing edges (an equal edge may follow only as `>=` after `>` or
                        // with the same strictness): then "edge k holds" implies "k + 1 holds".
                        let monotone = edges.windows(2).all(|w| {
                            let ((s0, m0, p0), (s1, m1, p1)) = (w[0], w[1]);
                            let (l, r) = (
                                i128::from(m0) * i128::from(p1),
                                i128::from(m1) * i128::from(p0),
                            );
                            l > r || (l == r && (s0 || !s1))
                        });
                        let (a, b) = (self.kreg(sa), self.kreg(sb));
                        let (dst, aux) = (self.reg(), self.auxes);
                        self.auxes += 1;
                        self.ops.push(Op::Ratio {
                            a,
                            b,
                            edges,
                            small,
                            monotone,
                            pts: std::iter::once(other).chain(pts).collect(),
                            dst,
                            aux,
                        });
                        self.step_aux[si] = Some(Aux::R(aux));
                        return Some(T::I(dst));
                    }
                }
                let x = match expr {
                    Some(e) => self.expr(e)?,
                    None => T::K(Value::Undefined("未计算")),
                };
                match x {
                    T::K(v) => {
                        let (v, h) = match v {
                            Value::Num(x) => {
                                let hit = bands.iter().position(|b| {
                                    if b.strict { x > b.bound } else { x >= b.bound }
                                });
                                (
                                    Value::Num(hit.map_or(*otherwise, |h| bands[h].points)),
                                    hit.map_or(-1, |h| h as i16),
                                )
                            }
                            Value::Undefined(_) => (Value::Num(*otherwise), -1),
                            Value::Bool(_) => (TYPE_ERR, -1),
                            other => (other, -1),
                        };
                        self.step_aux[si] = Some(Aux::K(h));
                        T::K(v)
                    }
                    T::B(_) => {
                        self.step_aux[si] = Some(Aux::K(-1));
                        T::K(TYPE_ERR)
                    }
                    T::I(x) => {
                        // x > d ⟺ x ≥ floor(d) + 1; x ≥ d ⟺ x ≥ ceil(d).
                        let th: Vec<i64> = bands
                            .iter()
                            .map(|b| {
                                if b.strict {
                                    b.bound.floor().to_i64()?.checked_add(1)
                                } else {
                                    b.bound.ceil().to_i64()
                                }
                            })
                            .collect::<Option<_>>()?;
                        let monotone = th.windows(2).all(|w| w[0] >= w[1]);
                        let (dst, aux) = (self.reg(), self.auxes);
                        self.auxes += 1;
                        self.ops.push(Op::Band {
                            x,
                            th,
                            monotone,
                            pts: std::iter::once(other).chain(pts).collect(),
                            dst,
                            aux,
                        });
                        self.step_aux[si] = Some(Aux::R(aux));
                        T::I(dst)
                    }
                }
            }
            RuleKind::Table { .. } => {
                let mut rows: Vec<(S, T)> = Vec::new();
                let mut firsts: Vec<i16> = Vec::new();
                let mut all_taken = false;
                for (ri, (c, val)) in step.table.iter().enumerate() {
                    let cond = match self.expr(c)? {
                        T::K(Value::Bool(true)) => S::K(1),
                        T::K(Value::Bool(false) | Value::Undefined(_)) => continue,
                        T::B(r) => S::R(r),
                        _ => return None,
                    };
                    rows.push((cond, self.expr(val)?));
                    firsts.push(ri as i16);
                    if matches!(cond, S::K(1)) {
                        all_taken = true;
                        break;
                    }
                }
                let other = if all_taken {
                    // Never used: the last row's condition holds on every row.
                    rows.last()?.1.clone()
                } else {
                    match &step.otherwise {
                        Some(e) => self.expr(e)?,
                        None => T::K(Value::Num(Decimal::ZERO)),
                    }
                };
                if rows.is_empty() {
                    self.step_aux[si] = Some(Aux::K(-1));
                    return Some(other);
                }
                if let (S::K(1), T::K(v)) = (&rows[0].0, &rows[0].1) {
                    self.step_aux[si] = Some(Aux::K(firsts[0]));
                    return Some(T::K(v.clone()));
                }
                // All values whole numbers, or all flags.
                let ints: Option<Vec<S>> = rows.iter().map(|r| num_const(&r.1)).collect();
                let flags: Option<Vec<S>> = rows.iter().map(|r| bool_const(&r.1)).collect();
                let (vals, oth, is_int) = match (ints, num_const(&other)) {
                    (Some(v), Some(o)) => (v, o, true),
                    _ => match (flags, bool_const(&other)) {
                        (Some(v), Some(o)) => (v, o, false),
                        _ => return None,
                    },
                };
                // The recorded row is the line of the table (lines whose condition folded to
                // false are skipped, so keep the original numbers).
                let rows: Vec<(usize, usize, i16)> = rows
                    .iter()
                    .zip(vals)
                    .zip(firsts)
                    .map(|((r, v), l)| (self.kreg(r.0), self.kreg(v), l))
                    .collect();
                let other = self.kreg(oth);
                let (dst, aux) = (self.reg(), self.auxes);
                self.auxes += 1;
                self.ops.push(Op::Table {
                    rows,
                    other,
                    dst,
                    aux,
                });
                self.step_aux[si] = Some(Aux::R(aux));
                if is_int { T::I(dst) } else { T::B(dst) }
            }
        })
    }
}

/// Per-thread registers of a [`Prog`].
pub(crate) struct State {
    r: Vec<Vec<i64>>,
    aux: Vec<Vec<i16>>,
    bad: Vec<u8>,
}

#[inline(always)]
fn bin2(r: &[Vec<i64>], a: S, b: S, d: &mut [i64], f: impl Fn(i64, i64) -> i64) {
    let n = d.len();
    match (a, b) {
        (S::R(x), S::R(y)) => {
            let (x, y) = (&r[x][..n], &r[y][..n]);
            for i in 0..n {
                d[i] = f(x[i], y[i]);
            }
        }
        (S::R(x), S::K(k)) => {
            let x = &r[x][..n];
            for i in 0..n {
                d[i] = f(x[i], k);
            }
        }
        (S::K(k), S::R(y)) => {
            let y = &r[y][..n];
            for i in 0..n {
                d[i] = f(k, y[i]);
            }
        }
        (S::K(k), S::K(l)) => d.fill(f(k, l)),
    }
}

/// [`bin2`] for operations that can fail: `f` gives the result and whether the row is bad.
#[inline(always)]
fn bin2c(
    r: &[Vec<i64>],
    a: S,
    b: S,
    d: &mut [i64],
    bad: &mut [u8],
    f: impl Fn(i64, i64) -> (i64, bool),
) {
    let n = d.len();
    let bad = &mut bad[..n];
    macro_rules! go {
        ($x:expr, $y:expr) => {
            for i in 0..n {
                let (v, e) = f($x(i), $y(i));
                d[i] = v;
                bad[i] |= u8::from(e);
            }
        };
    }
    match (a, b) {
        (S::R(x), S::R(y)) => {
            let (x, y) = (&r[x][..n], &r[y][..n]);
            go!(|i| x[i], |i| y[i]);
        }
        (S::R(x), S::K(k)) => {
            let x = &r[x][..n];
            go!(|i| x[i], |_| k);
        }
        (S::K(k), S::R(y)) => {
            let y = &r[y][..n];
            go!(|_| k, |i| y[i]);
        }
        (S::K(k), S::K(l)) => go!(|_| k, |_| l),
    }
}

/// The operands and outputs of a ratio scale over one chunk.
struct RatioIo<'a> {
    a: &'a [i64],
    b: &'a [i64],
    bad: &'a mut [u8],
    aux: &'a mut [i16],
    d: &'a mut [i64],
}

/// A ratio scale with `N` monotone edges with small factors (`held_ratio`), the choice of
/// loop made once per chunk: the same bands, points and bad rows as the general loop in
/// `Prog::exec`. `false` (nothing done) when the edges are not `N`.
#[inline(always)]
fn ratio_fixed<const N: usize>(io: RatioIo, p: i64, ms: &[i64], ss: &[i64], pts: &[i64]) -> bool {
    let (Ok(ms), Ok(ss)) = (<&[i64; N]>::try_from(ms), <&[i64; N]>::try_from(ss)) else {
        return false;
    };
    let n = io.d.len();
    let (a, b, bad, aux) = (&io.a[..n], &io.b[..n], &mut io.bad[..n], &mut io.aux[..n]);
    let Some(pts) = pts.get(..=N) else {
        return false;
    };
    let ne = N as i16;
    for i in 0..n {
        let (x, y) = (a[i], b[i]);
        let big = x.unsigned_abs() > LIM || y.unsigned_abs() > LIM;
        bad[i] |= u8::from(big);
        let (x, y) = if big { (0, 1) } else { (x, y) };
        let (x, y) = if y < 0 { (-x, -y) } else { (x, y) };
        let l = x * p;
        let mut held = 0i16;
        for k in 0..N {
            held += i16::from(l - ms[k] * y >= ss[k]);
        }
        let h = if held == 0 { -1 } else { ne - held };
        let h = if y == 0 { -1 } else { h };
        aux[i] = h;
        io.d[i] = pts[(h + 1) as usize];
    }
    true
}

/// How many edges `a/b ≥ M/P` hold, given `l = a·P` and `b` (`≥ s`: 1 for a strict edge).
/// Scales have a handful of bands: fixed sizes are unrolled, without bounds checks.
#[inline(always)]
fn held_ratio(l: i64, y: i64, ms: &[i64], ss: &[i64]) -> i16 {
    #[inline(always)]
    fn fixed<const N: usize>(l: i64, y: i64, ms: &[i64], ss: &[i64]) -> i16 {
        match (<&[i64; N]>::try_from(ms), <&[i64; N]>::try_from(ss)) {
            (Ok(ms), Ok(ss)) => {
                let mut held = 0i16;
                for k in 0..N {
                    held += i16::from(l - ms[k] * y >= ss[k]);
                }
                held
            }
            _ => 0,
        }
    }
    match ms.len() {
        1 => fixed::<1>(l, y, ms, ss),
        2 => fixed::<2>(l, y, ms, ss),
        3 => fixed::<3>(l, y, ms, ss),
        4 => fixed::<4>(l, y, ms, ss),
        5 => fixed::<5>(l, y, ms, ss),
        6 => fixed::<6>(l, y, ms, ss),
        _ => ms
            .iter()
            .zip(ss)
            .map(|(m, s)| i16::from(l - m * y >= *s))
            .sum(),
    }
}

/// How many thresholds `x ≥ t` hold (see [`held_ratio`]).
#[inline(always)]
fn held_band(x: i64, th: &[i64]) -> i16 {
    #[inline(always)]
    fn fixed<const N: usize>(x: i64, th: &[i64]) -> i16 {
        match <&[i64; N]>::try_from(th) {
            Ok(th) => th.iter().map(|t| i16::from(x >= *t)).sum(),
            _ => 0,
        }
    }
    match th.len() {
        1 => fixed::<1>(x, th),
        2 => fixed::<2>(x, th),
        3 => fixed::<3>(x, th),
        4 => fixed::<4>(x, th),
        5 => fixed::<5>(x, th),
        6 => fixed::<6>(x, th),
        _ => th.iter().map(|t| i16::from(x >= *t)).sum(),
    }
}

/// A monotone whole-number scale with `N` thresholds (`held_band`) over one chunk: the same
/// bands and points as the general loop in `Prog::exec`. `false` (nothing done) when the
/// thresholds are not `N`.
#[inline(always)]
fn band_fixed<const N: usize>(
    x: &[i64],
    th: &[i64],
    pts: &[i64],
    aux: &mut [i16],
    d: &mut [i64],
) -> bool {
    let Ok(th) = <&[i64; N]>::try_from(th) else {
        return false;
    };
    let Some(pts) = pts.get(..=N) else {
        return false;
    };
    let n = d.len();
    let (x, aux) = (&x[..n], &mut aux[..n]);
    for i in 0..n {
        let held: i16 = th.iter().map(|t| i16::from(x[i] >= *t)).sum();
        let h = if held == 0 { -1 } else { N as i16 - held };
        aux[i] = h;
        d[i] = pts[(h + 1) as usize];
    }
    true
}

impl Prog {
    pub(crate) fn state(&self) -> State {
        let mut r = vec![vec![0; TCHUNK]; self.regs];
        for (reg, k) in &self.consts {
            r[*reg].fill(*k);
        }
        State {
            r,
            aux: vec![vec![-1; TCHUNK]; self.auxes],
            bad: vec![0; TCHUNK],
        }
    }

    /// Run over rows `row0..row0 + n` (n ≤ CHUNK); returns the number of bad rows.
    pub(crate) fn exec(&self, columns: &[Column], row0: usize, n: usize, st: &mut State) -> usize {
        let bad = &mut st.bad[..n];
        bad.fill(0);
        for op in &self.ops {
            let dst = match op {
                Op::LoadI { dst, .. }
                | Op::LoadB { dst, .. }
                | Op::Arith { dst, .. }
                | Op::Cmp { dst, .. }
                | Op::Logic { dst, .. }
                | Op::Not { dst, .. }
                | Op::Neg { dst, .. }
                | Op::Select { dst, .. }
                | Op::Ratio { dst, .. }
                | Op::Band { dst, .. }
                | Op::Table { dst, .. } => *dst,
            };
            // Registers are written once: the destination is never an operand.
            let mut dcol = std::mem::take(&mut st.r[dst]);
            let d = &mut dcol[..n];
            let r = &st.r[..];
            match op {
                Op::LoadI { input, .. } => match columns.get(*input) {
                    Some(Column::Ints(c)) => {
                        for (i, x) in c[row0..row0 + n].iter().enumerate() {
                            // Not reported, or beyond 2^53 (i64::MIN is): the row is bad.
                            let v = x.unwrap_or(i64::MIN);
                            d[i] = v;
                            bad[i] |= u8::from(v.unsigned_abs() > LIM);
                        }
                    }
                    Some(Column::Values(c)) => {
                        for (i, x) in c[row0..row0 + n].iter().enumerate() {
                            let v = match x {
                                Some(Value::Num(d)) => {
                                    int_of(d).filter(|v| v.unsigned_abs() <= LIM)
                                }
                                _ => None,
                            };
                            d[i] = v.unwrap_or(0);
                            bad[i] |= u8::from(v.is_none());
                        }
                    }
                    _ => bad.fill(1),
                },
                Op::LoadB { input, .. } => match columns.get(*input) {
                    Some(Column::Flags(c)) => {
                        for (i, x) in c[row0..row0 + n].iter().enumerate() {
                            d[i] = i64::from(x.unwrap_or(false));
                            bad[i] |= u8::from(x.is_none());
                        }
                    }
                    Some(Column::Values(c)) => {
                        for (i, x) in c[row0..row0 + n].iter().enumerate() {
                            let v = match x {
                                Some(Value::Bool(b)) => Some(*b),
                                _ => None,
                            };
                            d[i] = i64::from(v.unwrap_or(false));
                            bad[i] |= u8::from(v.is_none());
                        }
                    }
                    _ => bad.fill(1),
                },
                // Decimal `+ − ×` of whole numbers give a zero without sign (5 − 5, −5 × 0:
                // `0`); only a negation gives `−0` (see `Neg`). Overflow: the exact path.
                Op::Arith { op, a, b, .. } => match op {
                    Ar::Add => bin2c(r, *a, *b, d, bad, |x, y| match x.checked_add(y) {
                        Some(v) => (v, false),
                        None => (0, true),
                    }),
                    Ar::Sub => bin2c(r, *a, *b, d, bad, |x, y| match x.checked_sub(y) {
                        Some(v) => (v, false),
                        None => (0, true),
                    }),
                    Ar::Mul => bin2c(r, *a, *b, d, bad, |x, y| match x.checked_mul(y) {
                        Some(v) => (v, false),
                        None => (0, true),
                    }),
                    Ar::Min => bin2(r, *a, *b, d, i64::min),
                    Ar::Max => bin2(r, *a, *b, d, i64::max),
                },
                Op::Cmp { op, a, b, .. } => match op {
                    Cm::Ge => bin2(r, *a, *b, d, |x, y| i64::from(x >= y)),
                    Cm::Gt => bin2(r, *a, *b, d, |x, y| i64::from(x > y)),
                    Cm::Le => bin2(r, *a, *b, d, |x, y| i64::from(x <= y)),
                    Cm::Lt => bin2(r, *a, *b, d, |x, y| i64::from(x < y)),
                    Cm::Eq => bin2(r, *a, *b, d, |x, y| i64::from(x == y)),
                    Cm::Ne => bin2(r, *a, *b, d, |x, y| i64::from(x != y)),
                },
                Op::Logic { and, a, b, .. } => {
                    if *and {
                        bin2(r, *a, *b, d, |x, y| x & y);
                    } else {
                        bin2(r, *a, *b, d, |x, y| x | y);
                    }
                }
                Op::Not { a, .. } => {
                    let x = &r[*a][..n];
                    for i in 0..n {
                        d[i] = x[i] ^ 1;
                    }
                }
                // The negation of 0 is `−0` in the decimal path: left to the exact path.
                Op::Neg { a, .. } => {
                    let x = &r[*a][..n];
                    for i in 0..n {
                        let (v, e) = match x[i].checked_neg() {
                            Some(v) => (v, v == 0),
                            None => (0, true),
                        };
                        d[i] = v;
                        bad[i] |= u8::from(e);
                    }
                }
                Op::Select { c, a, b, .. } => {
                    let (c, a, b) = (&r[*c][..n], &r[*a][..n], &r[*b][..n]);
                    for i in 0..n {
                        d[i] = if c[i] != 0 { a[i] } else { b[i] };
                    }
                }
                Op::Ratio {
                    a,
                    b,
                    edges,
                    small,
                    monotone,
                    pts,
                    aux,
                    ..
                } => {
                    let aux = &mut st.aux[*aux][..n];
                    let (a, b) = (&r[*a][..n], &r[*b][..n]);
                    let ne = edges.len() as i16;
                    // The usual case (a few monotone edges with small factors): one loop per
                    // number of edges, with the choice made once per chunk.
                    let done = match (small, monotone) {
                        (Some((p, ms, ss)), true) => {
                            let io = RatioIo {
                                a,
                                b,
                                bad: &mut *bad,
                                aux: &mut *aux,
                                d: &mut *d,
                            };
                            match ms.len() {
                                1 => ratio_fixed::<1>(io, *p, ms, ss, pts),
                                2 => ratio_fixed::<2>(io, *p, ms, ss, pts),
                                3 => ratio_fixed::<3>(io, *p, ms, ss, pts),
                                4 => ratio_fixed::<4>(io, *p, ms, ss, pts),
                                5 => ratio_fixed::<5>(io, *p, ms, ss, pts),
                                6 => ratio_fixed::<6>(io, *p, ms, ss, pts),
                                _ => false,
                            }
                        }
                        _ => false,
                    };
                    for i in (0..n).filter(|_| !done) {
                        let (x, y) = (a[i], b[i]);
                        // Beyond 2^53 the exact path decides (see `columnar::FastStep`); such a
                        // row's values here are never used.
                        let big = x.unsigned_abs() > LIM || y.unsigned_abs() > LIM;
                        bad[i] |= u8::from(big);
                        let (x, y) = if big { (0, 1) } else { (x, y) };
                        let (x, y) = if y < 0 { (-x, -y) } else { (x, y) };
                        let h = match (small, monotone) {
                            (Some((p, ms, ss)), true) => {
                                let held = held_ratio(x * p, y, ms, ss);
                                if held == 0 { -1 } else { ne - held }
                            }
                            _ => edges
                                .iter()
                                .position(|&(s, m, p)| {
                                    let (l, q) = (
                                        i128::from(x) * i128::from(p),
                                        i128::from(m) * i128::from(y),
                                    );
                                    if s { l > q } else { l >= q }
                                })
                                .map_or(-1, |h| h as i16),
                        };
                        // Zero denominator: the ratio is undefined, the lowest band.
                        let h = if y == 0 { -1 } else { h };
                        aux[i] = h;
                        d[i] = pts[(h + 1) as usize];
                    }
                }
                Op::Band {
                    x,
                    th,
                    monotone,
                    pts,
                    aux,
                    ..
                } => {
                    let aux = &mut st.aux[*aux][..n];
                    let x = &r[*x][..n];
                    let nt = th.len() as i16;
                    // Monotone with a few thresholds: one loop per count, chosen per chunk.
                    let done = *monotone
                        && match th.len() {
                            1 => band_fixed::<1>(x, th, pts, &mut *aux, &mut *d),
                            2 => band_fixed::<2>(x, th, pts, &mut *aux, &mut *d),
                            3 => band_fixed::<3>(x, th, pts, &mut *aux, &mut *d),
                            4 => band_fixed::<4>(x, th, pts, &mut *aux, &mut *d),
                            5 => band_fixed::<5>(x, th, pts, &mut *aux, &mut *d),
                            6 => band_fixed::<6>(x, th, pts, &mut *aux, &mut *d),
                            _ => false,
                        };
                    for i in (0..n).filter(|_| !done) {
                        let h = if *monotone {
                            let held = held_band(x[i], th);
                            if held == 0 { -1 } else { nt - held }
                        } else {
                            th.iter().position(|t| x[i] >= *t).map_or(-1, |h| h as i16)
                        };
                        aux[i] = h;
                        d[i] = pts[(h + 1) as usize];
                    }
                }
                Op::Table {
                    rows, other, aux, ..
                } => {
                    let aux = &mut st.aux[*aux][..n];
                    aux.fill(-1);
                    d.copy_from_slice(&r[*other][..n]);
                    for (c, v, line) in rows {
                        let (c, v) = (&r[*c][..n], &r[*v][..n]);
                        for i in 0..n {
                            let take = (aux[i] < 0) & (c[i] != 0);
                            d[i] = if take { v[i] } else { d[i] };
                            aux[i] = if take { *line } else { aux[i] };
                        }
                    }
                }
            }
            st.r[dst] = dcol;
        }
        bad.iter().filter(|b| **b != 0).count()
    }

    /// Write the requested values and bands of rows `0..n` of the chunk (bad rows included;
    /// the caller overwrites them).
    pub(crate) fn write(
        &self,
        st: &State,
        n: usize,
        out: &mut [&mut [Value]],
        bands: &mut [(usize, &mut [i16])],
    ) {
        for (o, t) in out.iter_mut().zip(&self.out) {
            let o = &mut o[..n];
            match t {
                T::I(r) => {
                    for (o, x) in o.iter_mut().zip(&st.r[*r][..n]) {
                        *o = Value::Num(Decimal::from(*x));
                    }
                }
                T::B(r) => {
                    for (o, x) in o.iter_mut().zip(&st.r[*r][..n]) {
                        *o = Value::Bool(*x != 0);
                    }
                }
                T::K(v) => o.fill(v.clone()),
            }
        }
        for (si, b) in bands.iter_mut() {
            let b = &mut b[..n];
            match self.step_aux.get(*si).copied().flatten() {
                Some(Aux::R(a)) => b.copy_from_slice(&st.aux[a][..n]),
                Some(Aux::K(h)) => b.fill(h),
                None => b.fill(-1),
            }
        }
    }

    /// Write the requested values of rows `0..n` of the chunk as whole numbers (flags as 0/1)
    /// into `out`, when every requested value is one; `false` (nothing written) otherwise.
    pub(crate) fn write_ints(&self, st: &State, n: usize, out: &mut [&mut [i64]]) -> bool {
        let konst = |v: &Value| match v {
            Value::Num(d) => int_of(d),
            Value::Bool(b) => Some(i64::from(*b)),
            _ => None,
        };
        if self
            .out
            .iter()
            .any(|t| matches!(t, T::K(v) if konst(v).is_none()))
        {
            return false;
        }
        for (o, t) in out.iter_mut().zip(&self.out) {
            let o = &mut o[..n];
            match t {
                T::I(r) => o.copy_from_slice(&st.r[*r][..n]),
                T::B(r) => {
                    for (o, x) in o.iter_mut().zip(&st.r[*r][..n]) {
                        *o = i64::from(*x != 0);
                    }
                }
                T::K(v) => o.fill(konst(v).unwrap_or_default()),
            }
        }
        true
    }

    /// Whether row `i` of the last chunk is bad.
    pub(crate) fn is_bad(st: &State, i: usize) -> bool {
        st.bad[i] != 0
    }
}

impl Plan {
    /// Compile the `wanted` slots for these columns, or `None` when the typed path does not
    /// cover them (the general columnar path is used).
    pub(crate) fn typed_prog(&self, columns: &[Column], wanted: &[usize]) -> Option<Prog> {
        let mut cx = Cx {
            plan: self,
            columns,
            memo: vec![None; self.slots.len()],
            step_aux: vec![None; self.steps.len()],
            ops: Vec::new(),
            regs: 0,
            consts: Vec::new(),
            auxes: 0,
        };
        let out: Vec<T> = wanted.iter().map(|w| cx.slot(*w)).collect::<Option<_>>()?;
        // Every requested scale or table must have its band recorded.
        for w in wanted {
            if let SlotKind::Rule(si) = self.slots[*w].kind
                && matches!(
                    self.steps[si].def.kind,
                    RuleKind::Scale { .. } | RuleKind::Table { .. }
                )
                && cx.step_aux[si].is_none()
            {
                return None;
            }
        }
        Some(Prog {
            ops: cx.ops,
            regs: cx.regs,
            consts: cx.consts,
            auxes: cx.auxes,
            out,
            step_aux: cx.step_aux,
        })
    }
}
