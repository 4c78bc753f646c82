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
//! A row is *bad* when one of its inputs is not reported or not a whole number (scale 0, within
//! `i64`) or flag, or when an operation could not be decided exactly in `i64` (overflow, the
//! negation of 0, which is `−0` in the decimal path, an operand of a ratio beyond 2^53).
//! Values of bad rows are
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
//!
//! # Speed
//!
//! After compilation, [`fuse`] merges tests into their readers (a comparison with a constant
//! is a range test [`Cond`]; single-use `and`/`or` trees become one [`Op::Conj`]; a table tests
//! its conditions itself), so fewer passes run over the chunk. Each kind of operation runs as a
//! kernel of its own, not inlined into [`Prog::exec`], so that its constants stay in
//! registers; scales and tables with a few edges or rows pick a loop of that size once per
//! chunk, and choices that depend on the data are made without branches.

// Loops walk several parallel columns by row index.
#![allow(clippy::needless_range_loop)]

use crate::columnar::Column;
use crate::eval::{CExpr, Func, Plan, SlotKind, Value, eval};
use crate::parse::{BinOp, RuleKind};
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use std::hint::select_unpredictable;

/// Rows per chunk of the typed path: a few dozen registers of this many rows stay in the
/// second-level cache.
pub(crate) const TCHUNK: usize = 1024;
/// Operands of a ratio above this magnitude make the row bad (the decimal quotient and the
/// rational comparison agree below it; see `columnar::FastStep`).
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
        /// (condition, value, line of the table); at most 255 rows.
        rows: Vec<(Cond, usize, i16)>,
        other: usize,
        /// When every value is a constant: indexed by 0 (no row holds: `other`) or the row
        /// number + 1.
        konst: Option<Box<[i64; 256]>>,
        dst: usize,
        aux: usize,
    },
    /// The conjunction (`and`) or disjunction of tests of registers against constants: what a
    /// chain of `and`/`or` over comparisons with constants, flags and `not` compiles to.
    Conj {
        and: bool,
        terms: Vec<Cond>,
        dst: usize,
    },
}

/// A test of a register against constant bounds, `lo ≤ x ≤ hi`, negated when `neg`: every
/// comparison of a whole number with a constant is one, and a flag `f` (0/1) is `1 ≤ f ≤ 1`.
/// One unsigned comparison decides it: `x − lo ≤ hi − lo` (wrapping).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Cond {
    x: usize,
    lo: i64,
    hi: i64,
    neg: bool,
}

impl Cond {
    fn flag(x: usize) -> Cond {
        Cond {
            x,
            lo: 1,
            hi: 1,
            neg: false,
        }
    }

    /// `x op k`.
    fn cmp(x: usize, op: Cm, k: i64) -> Cond {
        let (lo, hi, neg) = match op {
            Cm::Ge => (k, i64::MAX, false),
            Cm::Le => (i64::MIN, k, false),
            // x > MAX and x < MIN never hold: the negation of the whole range.
            Cm::Gt => k
                .checked_add(1)
                .map_or((i64::MIN, i64::MAX, true), |l| (l, i64::MAX, false)),
            Cm::Lt => k
                .checked_sub(1)
                .map_or((i64::MIN, i64::MAX, true), |h| (i64::MIN, h, false)),
            Cm::Eq => (k, k, false),
            Cm::Ne => (k, k, true),
        };
        Cond { x, lo, hi, neg }
    }

    /// The unsigned form: `(lo, hi − lo, neg)`.
    fn span(&self) -> (i64, u64, bool) {
        (self.lo, self.hi.wrapping_sub(self.lo) as u64, self.neg)
    }
}

/// Whether `x` passes a test in its unsigned form ([`Cond::span`]).
#[inline(always)]
fn holds(x: i64, (lo, span, neg): (i64, u64, bool)) -> bool {
    ((x.wrapping_sub(lo) as u64) <= span) != neg
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
                if rows.len() > 255 {
                    return None;
                }
                let konst = match (vals.iter().all(|v| matches!(v, S::K(_))), oth) {
                    (true, S::K(o)) => {
                        let mut k = Box::new([0i64; 256]);
                        k[0] = o;
                        for (i, v) in vals.iter().enumerate() {
                            if let S::K(v) = v {
                                k[i + 1] = *v;
                            }
                        }
                        Some(k)
                    }
                    _ => None,
                };
                let rows: Vec<(Cond, usize, i16)> = rows
                    .iter()
                    .zip(vals)
                    .zip(firsts)
                    .map(|((r, v), l)| (Cond::flag(self.kreg(r.0)), self.kreg(v), l))
                    .collect();
                let other = self.kreg(oth);
                let (dst, aux) = (self.reg(), self.auxes);
                self.auxes += 1;
                self.ops.push(Op::Table {
                    rows,
                    other,
                    konst,
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
    /// Scratch of a table: the row taken, + 1 (0: none).
    idx: Vec<u8>,
}

#[inline(never)]
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
#[inline(never)]
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
///
/// A kernel of its own (not inlined into `Prog::exec`), so that the edges stay in registers.
#[inline(never)]
fn ratio_fixed<const N: usize>(io: RatioIo, p: i64, ms: &[i64], ss: &[i64], pts: &[i64]) -> bool {
    let (Ok(ms), Ok(ss)) = (<[i64; N]>::try_from(ms), <[i64; N]>::try_from(ss)) else {
        return false;
    };
    if pts.len() != N + 1 || N >= 8 {
        return false;
    }
    // The points padded to 8, so that the lookup needs no bounds check.
    let mut pts8 = [0i64; 8];
    pts8[..=N].copy_from_slice(pts);
    let n = io.d.len();
    let (a, b, bad, aux, d) = (
        &io.a[..n],
        &io.b[..n],
        &mut io.bad[..n],
        &mut io.aux[..n],
        &mut io.d[..n],
    );
    // Usually every numerator is in −2^53..2^53 and every denominator in 0..2^53: one loop
    // without the checks (`x·P − M·y` stays within 2^62). Tested with shifts and `or`, which
    // vectorise: x + 2^53 < 2^54 and y < 2^53 as unsigned numbers.
    let out_of_range = a.iter().zip(b).fold(0u64, |acc, (x, y)| {
        acc | (x.wrapping_add(1 << 53) as u64 >> 54) | (*y as u64 >> 53)
    });
    // One loop for the edges' strictness `ss` (constant zeros when none is strict).
    #[inline(always)]
    fn plain<const N: usize>(
        (a, b, aux, d): (&[i64], &[i64], &mut [i16], &mut [i64]),
        p: i64,
        ms: [i64; N],
        ss: [i64; N],
        pts8: &[i64; 8],
    ) {
        for (((x, y), aux), d) in a.iter().zip(b).zip(aux).zip(d) {
            let (x, y) = (*x, *y);
            let l = x * p;
            let mut held = 0usize;
            for k in 0..N {
                held += usize::from(l - ms[k] * y >= ss[k]);
            }
            // Band `N − held` when some edge holds and the denominator is not zero; else the
            // lowest band (index 0 of the points).
            let idx = select_unpredictable(held == 0 || y == 0, 0, N + 1 - held);
            *aux = idx as i16 - 1;
            *d = pts8[idx & 7];
        }
    }
    if out_of_range == 0 {
        let io = (a, b, &mut aux[..], &mut d[..]);
        if ss == [0; N] {
            plain(io, p, ms, [0; N], &pts8);
        } else {
            plain(io, p, ms, ss, &pts8);
        }
        return true;
    }
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
        d[i] = pts8[((h + 1) as usize) & 7];
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
#[inline(never)]
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

/// [`table`] with `N` rows (fewer than 8) whose values are constants: in one pass, each row's
/// conditions tested in registers. `false` (nothing done) when the rows are not `N`.
#[inline(never)]
fn table_fixed<const N: usize>(
    r: &[Vec<i64>],
    rows: &[(Cond, usize, i16)],
    konst: &[i64; 256],
    aux: &mut [i16],
    d: &mut [i64],
) -> bool {
    let Ok(rows) = <&[(Cond, usize, i16); N]>::try_from(rows) else {
        return false;
    };
    if N >= 8 {
        return false;
    }
    let n = d.len();
    let aux = &mut aux[..n];
    let xs: [&[i64]; N] = std::array::from_fn(|k| &r[rows[k].0.x][..n]);
    let ts: [(i64, u64, bool); N] = std::array::from_fn(|k| rows[k].0.span());
    // Indexed by the row taken + 1 (0: none), padded to 8 so that no lookup is checked.
    let (mut lines, mut vals) = ([-1i16; 8], [0i64; 8]);
    vals[0] = konst[0];
    for k in 0..N {
        lines[k + 1] = rows[k].2;
        vals[k + 1] = konst[k + 1];
    }
    for i in 0..n {
        let mut idx = 0usize;
        for k in (0..N).rev() {
            idx = select_unpredictable(holds(xs[k][i], ts[k]), k + 1, idx);
        }
        aux[i] = lines[idx & 7];
        d[i] = vals[idx & 7];
    }
    true
}

/// A table over one chunk: the first row whose condition holds gives its value and its line
/// (`aux`); none, `other` and `-1`.
#[inline(never)]
fn table(
    r: &[Vec<i64>],
    rows: &[(Cond, usize, i16)],
    other: &[i64],
    konst: Option<&[i64; 256]>,
    idx: &mut [u8],
    aux: &mut [i16],
    d: &mut [i64],
) {
    let n = d.len();
    if let Some(k) = konst {
        let done = match rows.len() {
            1 => table_fixed::<1>(r, rows, k, aux, d),
            2 => table_fixed::<2>(r, rows, k, aux, d),
            3 => table_fixed::<3>(r, rows, k, aux, d),
            4 => table_fixed::<4>(r, rows, k, aux, d),
            5 => table_fixed::<5>(r, rows, k, aux, d),
            6 => table_fixed::<6>(r, rows, k, aux, d),
            7 => table_fixed::<7>(r, rows, k, aux, d),
            _ => false,
        };
        if done {
            return;
        }
    }
    idx.fill(0);
    // From the last row to the first, each row that holds overwrites what a later one wrote:
    // the first that holds wins, without a branch on the data.
    for (k, (c, _, _)) in rows.iter().enumerate().rev() {
        let x = &r[c.x][..n];
        let (t, take) = (c.span(), k as u8 + 1);
        for (j, x) in idx.iter_mut().zip(x) {
            *j = select_unpredictable(holds(*x, t), take, *j);
        }
    }
    let mut lines = [-1i16; 256];
    for (k, (_, _, line)) in rows.iter().enumerate() {
        lines[k + 1] = *line;
    }
    for (a, j) in aux.iter_mut().zip(&*idx) {
        *a = lines[usize::from(*j)];
    }
    match konst {
        Some(k) => {
            for (d, j) in d.iter_mut().zip(&*idx) {
                *d = k[usize::from(*j)];
            }
        }
        None => {
            d.copy_from_slice(other);
            for (k, (_, v, _)) in rows.iter().enumerate() {
                let (v, take) = (&r[*v][..n], k as u8 + 1);
                for ((d, v), j) in d.iter_mut().zip(v).zip(&*idx) {
                    *d = select_unpredictable(*j == take, *v, *d);
                }
            }
        }
    }
}

/// Load a typed input column into a register; a row that does not report it is bad.
#[inline(never)]
fn load<T: Copy>(c: &[Option<T>], d: &mut [i64], bad: &mut [u8], f: impl Fn(Option<T>) -> i64) {
    for ((d, b), x) in d.iter_mut().zip(bad.iter_mut()).zip(c) {
        *d = f(*x);
        *b |= u8::from(x.is_none());
    }
}

/// A conjunction or disjunction of tests over one chunk (flags 0/1 in `d`).
#[inline(never)]
fn conj(r: &[Vec<i64>], and: bool, terms: &[Cond], d: &mut [i64]) {
    let n = d.len();
    let Some((first, rest)) = terms.split_first() else {
        d.fill(i64::from(and));
        return;
    };
    let (x, t) = (&r[first.x][..n], first.span());
    for i in 0..n {
        d[i] = i64::from(holds(x[i], t));
    }
    for c in rest {
        let (x, t) = (&r[c.x][..n], c.span());
        if and {
            for i in 0..n {
                d[i] &= i64::from(holds(x[i], t));
            }
        } else {
            for i in 0..n {
                d[i] |= i64::from(holds(x[i], t));
            }
        }
    }
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
            idx: vec![0; TCHUNK],
        }
    }

    /// Run over rows `row0..row0 + n` (n ≤ CHUNK); returns the number of bad rows.
    pub(crate) fn exec(&self, columns: &[Column], row0: usize, n: usize, st: &mut State) -> usize {
        let bad = &mut st.bad[..n];
        bad.fill(0);
        for op in &self.ops {
            let dst = op.dst();
            // Registers are written once: the destination is never an operand.
            let mut dcol = std::mem::take(&mut st.r[dst]);
            let d = &mut dcol[..n];
            let r = &st.r[..];
            match op {
                Op::LoadI { input, .. } => match columns.get(*input) {
                    Some(Column::Ints(c)) => load(&c[row0..row0 + n], d, bad, |x| x.unwrap_or(0)),
                    Some(Column::Values(c)) => {
                        for (i, x) in c[row0..row0 + n].iter().enumerate() {
                            let v = match x {
                                Some(Value::Num(d)) => int_of(d),
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
                        load(&c[row0..row0 + n], d, bad, |x| {
                            i64::from(x.unwrap_or(false))
                        });
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
                    rows,
                    other,
                    konst,
                    aux,
                    ..
                } => table(
                    r,
                    rows,
                    &r[*other][..n],
                    konst.as_deref(),
                    &mut st.idx[..n],
                    &mut st.aux[*aux][..n],
                    d,
                ),
                Op::Conj { and, terms, .. } => conj(r, *and, terms, d),
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

impl Op {
    fn dst(&self) -> usize {
        match self {
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
            | Op::Table { dst, .. }
            | Op::Conj { dst, .. } => *dst,
        }
    }

    /// The registers the operation reads.
    fn reads(&self, f: &mut impl FnMut(usize)) {
        let mut s = |x: &S| {
            if let S::R(r) = x {
                f(*r);
            }
        };
        match self {
            Op::LoadI { .. } | Op::LoadB { .. } => {}
            Op::Arith { a, b, .. } | Op::Cmp { a, b, .. } | Op::Logic { a, b, .. } => {
                s(a);
                s(b);
            }
            Op::Not { a, .. } | Op::Neg { a, .. } => f(*a),
            Op::Select { c, a, b, .. } => {
                f(*c);
                f(*a);
                f(*b);
            }
            Op::Ratio { a, b, .. } => {
                f(*a);
                f(*b);
            }
            Op::Band { x, .. } => f(*x),
            Op::Table { rows, other, .. } => {
                for (c, v, _) in rows {
                    f(c.x);
                    f(*v);
                }
                f(*other);
            }
            Op::Conj { terms, .. } => terms.iter().for_each(|t| f(t.x)),
        }
    }
}

/// Fuse tests into their consumers: a comparison of a register with a constant, or a `not`,
/// whose only reader is an `and`/`or` or a table's condition becomes a [`Cond`] of that
/// reader, and a tree of `and` (or of `or`) whose inner results are read only by the tree
/// becomes one [`Op::Conj`]. Fewer passes over the chunk, and no intermediate columns.
/// The operations left without a reader (and not requested) are dropped.
fn fuse(mut ops: Vec<Op>, out: &[T], regs: usize) -> Vec<Op> {
    let mut def: Vec<Option<usize>> = vec![None; regs];
    let mut uses = vec![0usize; regs];
    for (i, op) in ops.iter().enumerate() {
        def[op.dst()] = Some(i);
        op.reads(&mut |r| uses[r] += 1);
    }
    for t in out {
        if let T::I(r) | T::B(r) = t {
            uses[*r] += 1;
        }
    }
    let mut dead = vec![false; ops.len()];
    // The test a flag register stands for, absorbing its single-use definition.
    let leaf = |r: usize, ops: &[Op], dead: &mut [bool]| -> Cond {
        let Some(i) = def[r].filter(|_| uses[r] == 1) else {
            return Cond::flag(r);
        };
        let flip = |op: Cm| match op {
            Cm::Ge => Cm::Le,
            Cm::Gt => Cm::Lt,
            Cm::Le => Cm::Ge,
            Cm::Lt => Cm::Gt,
            o => o,
        };
        let c = match ops[i] {
            Op::Cmp {
                op,
                a: S::R(x),
                b: S::K(k),
                ..
            } => Cond::cmp(x, op, k),
            Op::Cmp {
                op,
                a: S::K(k),
                b: S::R(x),
                ..
            } => Cond::cmp(x, flip(op), k),
            // Flags are 0/1: `not f` is `f = 0`.
            Op::Not { a, .. } => Cond {
                x: a,
                lo: 0,
                hi: 0,
                neg: false,
            },
            _ => return Cond::flag(r),
        };
        dead[i] = true;
        c
    };
    for i in (0..ops.len()).rev() {
        if dead[i] {
            continue;
        }
        match &ops[i] {
            Op::Table { rows, .. } => {
                let conds: Vec<Cond> = rows
                    .iter()
                    .map(|(c, _, _)| {
                        if *c == Cond::flag(c.x) {
                            leaf(c.x, &ops, &mut dead)
                        } else {
                            *c
                        }
                    })
                    .collect();
                if let Op::Table { rows, .. } = &mut ops[i] {
                    rows.iter_mut().zip(conds).for_each(|(r, c)| r.0 = c);
                }
            }
            Op::Logic {
                and,
                a: S::R(a),
                b: S::R(b),
                dst,
            } => {
                let (and, dst) = (*and, *dst);
                // Depth first through the single-use `and`s (or `or`s) of the tree.
                let (mut terms, mut todo) = (Vec::new(), vec![*b, *a]);
                while let Some(r) = todo.pop() {
                    match def[r].filter(|_| uses[r] == 1).map(|j| (j, &ops[j])) {
                        Some((
                            j,
                            Op::Logic {
                                and: inner,
                                a: S::R(x),
                                b: S::R(y),
                                ..
                            },
                        )) if *inner == and => {
                            dead[j] = true;
                            todo.push(*y);
                            todo.push(*x);
                        }
                        _ => terms.push(leaf(r, &ops, &mut dead)),
                    }
                }
                ops[i] = Op::Conj { and, terms, dst };
            }
            _ => {}
        }
    }
    ops.into_iter()
        .zip(dead)
        .filter_map(|(op, d)| (!d).then_some(op))
        .collect()
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
        let ops = fuse(cx.ops, &out, cx.regs);
        Some(Prog {
            ops,
            regs: cx.regs,
            consts: cx.consts,
            auxes: cx.auxes,
            out,
            step_aux: cx.step_aux,
        })
    }
}
#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    /// The tests of 科技型中小企业 fuse: the size, integrity and score conditions of `qualified`
    /// become one conjunction read straight from the inputs, the 科技成果 table tests its
    /// inputs itself, and no comparison, `and` or `not` is left as a pass of its own.
    #[test]
    fn conditions_fuse_into_their_readers() {
        let plan = crate::official("tech-sme")
            .unwrap()
            .unwrap()
            .compile(2024)
            .unwrap();
        let ints: Vec<Option<i64>> = vec![Some(1); 4];
        let flags: Vec<Option<bool>> = vec![Some(false); 4];
        let cols: Vec<Column> = plan
            .inputs()
            .iter()
            .enumerate()
            .map(|(i, (name, _))| match name.as_str() {
                "serious_violation" => Column::Flags(&flags),
                _ if plan.input_is_flag(i) || name == "total_cost" => Column::Absent,
                _ => Column::Ints(&ints),
            })
            .collect();
        let wanted: Vec<usize> = ["qualified", "score", "ip_points"]
            .iter()
            .map(|s| plan.slot(s).unwrap())
            .collect();
        let prog = plan.typed_prog(&cols, &wanted).unwrap();
        assert!(
            !prog
                .ops
                .iter()
                .any(|op| matches!(op, Op::Cmp { .. } | Op::Logic { .. } | Op::Not { .. })),
            "{:?}",
            prog.ops
        );
        let conj: Vec<&Vec<Cond>> = prog
            .ops
            .iter()
            .filter_map(|op| match op {
                Op::Conj {
                    and: true, terms, ..
                } => Some(terms),
                _ => None,
            })
            .collect();
        // employees ≤ 500, revenue ≤ 2亿, assets ≤ 2亿, not serious_violation, score ≥ 60,
        // staff_points > 0.
        assert_eq!(conj.len(), 1);
        assert_eq!(conj[0].len(), 6);
        assert!(conj[0].contains(&Cond {
            x: conj[0][0].x,
            lo: i64::MIN,
            hi: 500,
            neg: false
        }));
        let table_conds: Vec<Cond> = prog
            .ops
            .iter()
            .find_map(|op| match op {
                Op::Table { rows, konst, .. } => {
                    assert!(konst.is_some(), "the points are constants");
                    Some(rows.iter().map(|r| r.0).collect())
                }
                _ => None,
            })
            .unwrap();
        // ip_class1 ≥ 1, then ip_class2 ≥ 4, 3, 2, 1.
        let lows: Vec<i64> = table_conds.iter().map(|c| c.lo).collect();
        assert_eq!(lows, [1, 4, 3, 2, 1]);
        assert!(table_conds.iter().all(|c| c.hi == i64::MAX && !c.neg));
    }

    /// Every comparison with a constant is the range test it claims, at and around its edge
    /// and at the ends of `i64`.
    #[test]
    fn comparisons_are_range_tests() {
        let xs = [
            i64::MIN,
            i64::MIN + 1,
            -7,
            -1,
            0,
            1,
            6,
            7,
            8,
            i64::MAX - 1,
            i64::MAX,
        ];
        for k in [i64::MIN, -1, 0, 7, i64::MAX] {
            for (op, f) in [
                (Cm::Ge, (|x, k| x >= k) as fn(i64, i64) -> bool),
                (Cm::Gt, |x, k| x > k),
                (Cm::Le, |x, k| x <= k),
                (Cm::Lt, |x, k| x < k),
                (Cm::Eq, |x, k| x == k),
                (Cm::Ne, |x, k| x != k),
            ] {
                let c = Cond::cmp(0, op, k);
                for x in xs {
                    assert_eq!(holds(x, c.span()), f(x, k), "{x} {op:?} {k}");
                }
            }
        }
        for f in [0, 1] {
            assert_eq!(holds(f, Cond::flag(0).span()), f == 1);
        }
    }
}
