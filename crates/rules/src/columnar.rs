//! Columnar fast path with exact fallback: [`Plan::evaluate_columns`].
//!
//! # Design
//!
//! [`Plan::evaluate_batch`] keeps its contract (every slot's exact [`Value`] and the band/row
//! chosen by every step, per entity) and its scalar decimal implementation: those full records
//! are what explanations, `missing()` and `gaps()` read, and intermediate ratios are almost never
//! exactly representable in binary floating point, so a fast path could not return them exactly.
//! Instead (design "b" of the issue) [`Plan::evaluate_columns`] returns only the slots a caller
//! asks for (e.g. `qualified` and `score`), exactly, per row.
//!
//! Rows are processed in chunks of [`CHUNK`] rows. Every slot of a chunk is a column of `f64`
//! values, an `f64` *error bound* and a `u8` tag (number, flag, missing, undefined, unknown);
//! parameters and literals stay scalars. Each step is evaluated over the whole chunk with one
//! tight loop per operator (the expression tree is walked once per chunk, not per row). Absent
//! values follow the scalar evaluator's rules exactly (which absence wins, Kleene `and`/`or`, a
//! comparison with an undefined value is false, a scale gives its lowest band for an undefined
//! ratio); the payload of an absent value (the missing slot, the reason of an undefined value)
//! is kept in the value column.
//!
//! # Exactness
//!
//! Every number carries a rigorous bound `e` on `|f64 value − exact decimal value|`, where the
//! exact value is what the scalar path (`rust_decimal`) computes:
//!
//! - `e == 0` only for integers below 2^53 (inputs and literals with scale 0, and sums,
//!   differences and products of such values that stay below 2^53 — those f64 operations are
//!   exact). Any other input or literal gets `e = |x|·2^-50 + 10^-27`.
//! - `+ − ×` propagate the bound (`ea + eb`, `|a|·eb + |b|·ea + ea·eb`) plus the rounding of the
//!   f64 result and of the decimal result (`|r|·2^-51 + 10^-27`, far above both).
//! - `/` decides "zero denominator" only for a divisor that is exactly 0 (`e == 0`); a divisor
//!   that is inexact and within twice its bound of 0, or nonzero and below 10^-9 in magnitude,
//!   marks the row. Otherwise the bound is `2(|a|·eb + |b|·ea)/b² + rounding`.
//! - A comparison or band edge between numbers that are not both exact marks the row when
//!   `|a − b| ≤ max(4(ea + eb), 10^-9·max(1, |a|, |b|))`; otherwise the f64 comparison has the
//!   same outcome as the decimal one. Comparisons of exact integers are decided directly.
//! - A scale of `a / b` (directly or through a `let` ratio) over a chunk where both columns hold
//!   exact integers decides its band exactly, without marking: `a/b >= m/10^s` is compared as
//!   `a·10^s >= m·b` (sign of `b` accounted) in i128 — rational comparison at the band edge, so
//!   an R&D ratio of exactly 6% scores 50. See `FastStep::ratio` for why this equals the
//!   decimal quotient's comparison.
//! - `floor` of an inexact number marks the row when the number is within its bound (or
//!   10^-9) of an integer; `min`/`max` are 1-Lipschitz, so their bound is the larger bound.
//! - Any magnitude above 10^26 marks the row (the scalar path may overflow there), as does an
//!   input `Undefined` with a reason this module does not know.
//!
//! Marked rows are re-evaluated with the scalar exact path ([`Plan::evaluate`]'s `run`). For an
//! unmarked row, a requested number is returned only when it is an exact integer whose decimal
//! representation is known to have scale 0 (so `Decimal::from(i64)` is identical, not merely
//! equal, to the scalar result); any other requested number (a ratio, a value derived from a
//! scaled input such as `5.00`) also sends the row to the exact path. Flags, missing inputs,
//! undefined values and `unknown` are returned from the fast path as they are.
//!
//! Only the steps a requested slot depends on are evaluated; a ratio `let` read only by a scale
//! that decides its bands from the ratio's operands is skipped. Requested columns are converted
//! to [`Value`]s column at a time. Chunks are split across
//! `std::thread::available_parallelism()` threads, as in [`Plan::evaluate_batch`].
//!
//! # Typed integer/flag path
//!
//! Before any of this, [`Plan::evaluate_typed`] tries the typed path (module `typed`): the
//! requested slots compiled to plain loops over `i64` columns (whole numbers, flags 0/1,
//! exact cross-multiplication at ratio band edges). Rows it cannot decide (a missing or
//! non-integral input, beyond 2^53, an overflow) are re-evaluated exactly when few in a chunk,
//! else the chunk goes through the general path described above; a plan it does not cover
//! uses the general path for every row. [`ColumnResults::fallback_rows`] counts those rows.
//!
//! # Entry points
//!
//! - [`Plan::evaluate_columns`]: the same `Vec<Option<Value>>` columns as `evaluate_batch`.
//! - [`Plan::evaluate_typed`] / [`Plan::evaluate_typed_into`]: typed [`Column`]s (whole
//!   numbers, flags, exact values, or an input absent for every row) without building a
//!   `Value` per cell; `_into` reuses the result's memory when streaming chunks. The number of
//!   rows is the length of the first column that is not [`Column::Absent`].
//! - [`Plan::evaluate_typed_explained_into`]: also the bands of further scales and tables,
//!   without their values (what an explanation needs).
//!
//! # Explanations
//!
//! For every requested scale or table, [`ColumnResults::bands`] records the band or row chosen
//! per row (the `aux` of the exact evaluation, checked by the tests): with the inputs it fixes
//! the explanation, which is rendered on demand ([`Plan::explain`] of that entity).
//! `missing()` and `gaps()` need the full [`crate::Evaluation`]; use [`Plan::evaluate`] or
//! [`Plan::evaluate_batch`] (unchanged) for those.

// Loops walk several parallel columns by row index.
#![allow(clippy::needless_range_loop)]

use crate::eval::{CExpr, Func, Plan, SlotKind, Value};
use crate::parse::{BinOp, RuleKind};
use crate::typed::{self, Prog};
use rust_decimal::Decimal;

/// Rows per chunk: small enough that a chunk's columns stay in cache.
pub const CHUNK: usize = 1024;

const NUM: u8 = 0;
const BOOL: u8 = 1;
const MISSING: u8 = 2;
const UNDEF: u8 = 3;
const UNKNOWN: u8 = 4;
const KIND: u8 = 7;
/// On a number: its decimal representation may have a nonzero scale (or a negative zero), so
/// the value cannot be rebuilt from the f64 without the exact path.
const LOOSE: u8 = 0x80;

/// Reasons of `Value::Undefined`, by code (the code is kept in the value column).
const REASONS: [&str; 4] = ["未计算", "分母为零", "类型错误", "数值溢出"];
const R_NOT_COMPUTED: f64 = 0.0;
const R_ZERO_DIV: f64 = 1.0;
const R_TYPE: f64 = 2.0;

const EXACT_LIMIT: f64 = 9_007_199_254_740_992.0; // 2^53
const HUGE: f64 = 1e26;

/// One value of the fast path: f64, error bound, tag.
#[derive(Debug, Clone, Copy)]
struct V {
    v: f64,
    e: f64,
    t: u8,
}

impl V {
    #[inline(always)]
    fn kind(self) -> u8 {
        self.t & KIND
    }
    #[inline(always)]
    fn rank(self) -> u8 {
        match self.kind() {
            MISSING => 3,
            UNDEF => 2,
            UNKNOWN => 1,
            _ => 0,
        }
    }
    #[inline(always)]
    fn is_true(self) -> bool {
        self.kind() == BOOL && self.v != 0.0
    }
    #[inline(always)]
    fn is_false(self) -> bool {
        self.kind() == BOOL && self.v == 0.0
    }
}

const FALSE: V = V {
    v: 0.0,
    e: 0.0,
    t: BOOL,
};
const TRUE: V = V {
    v: 1.0,
    e: 0.0,
    t: BOOL,
};
const UNKNOWN_V: V = V {
    v: 0.0,
    e: 0.0,
    t: UNKNOWN,
};

#[inline(always)]
fn undef(code: f64) -> V {
    V {
        v: code,
        e: 0.0,
        t: UNDEF,
    }
}

#[inline(always)]
fn boolv(b: bool) -> V {
    if b { TRUE } else { FALSE }
}

/// Rounding of an inexact result, in f64 and in the decimal path.
#[inline(always)]
fn rounding(r: f64) -> f64 {
    r.abs() * 4.5e-16 + 1e-27
}

/// Powers of ten, correctly rounded (exact up to 10^22).
const POW10: [f64; 29] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
    1e17, 1e18, 1e19, 1e20, 1e21, 1e22, 1e23, 1e24, 1e25, 1e26, 1e27, 1e28,
];

/// A decimal as a fast-path number.
fn from_decimal(d: Decimal) -> V {
    let u = d.unpack();
    if u.hi == 0 && u.mid < (1 << 21) && u.scale == 0 {
        // |mantissa| < 2^53: exact.
        let m = ((u64::from(u.mid) << 32) | u64::from(u.lo)) as f64;
        if m != 0.0 || !u.negative {
            return V {
                v: if u.negative { -m } else { m },
                e: 0.0,
                t: NUM,
            };
        }
    }
    let m = d.mantissa();
    let scale = d.scale();
    let mf = m as f64;
    let v = if scale == 0 {
        mf
    } else {
        mf / POW10[(scale as usize).min(28)]
    };
    if scale == 0 && m.unsigned_abs() <= 1 << 53 && !(m == 0 && d.is_sign_negative()) {
        V { v, e: 0.0, t: NUM }
    } else {
        V {
            v,
            e: v.abs() * 8.9e-16 + 1e-27,
            t: NUM | LOOSE,
        }
    }
}

fn from_value(x: &Value, mark: &mut bool) -> V {
    match x {
        Value::Num(d) => {
            let x = from_decimal(*d);
            if x.v.abs() > HUGE {
                *mark = true;
            }
            x
        }
        Value::Bool(b) => boolv(*b),
        Value::Missing(s) => V {
            v: f64::from(*s),
            e: 0.0,
            t: MISSING,
        },
        Value::Undefined(r) => match REASONS.iter().position(|x| x == r) {
            Some(c) => undef(c as f64),
            None => {
                *mark = true;
                undef(R_TYPE)
            }
        },
        Value::Unknown => UNKNOWN_V,
    }
}

/// The exact value of a fast-path result, when it can be rebuilt without the exact path.
fn to_value(x: V) -> Option<Value> {
    Some(match x.kind() {
        NUM => {
            if x.e != 0.0 || x.t & LOOSE != 0 || x.v.abs() > EXACT_LIMIT {
                return None;
            }
            Value::Num(Decimal::from(x.v as i64))
        }
        BOOL => Value::Bool(x.v != 0.0),
        MISSING => Value::Missing(x.v as u32),
        UNDEF => Value::Undefined(REASONS[x.v as usize]),
        _ => Value::Unknown,
    })
}

#[inline(always)]
fn first_absent(x: V, y: V) -> Option<V> {
    let (rx, ry) = (x.rank(), y.rank());
    if rx == 0 && ry == 0 {
        None
    } else if rx >= ry {
        Some(x)
    } else {
        Some(y)
    }
}

/// Whether two numbers are too close for the f64 comparison to be trusted.
#[inline(always)]
fn close(a: V, b: V) -> bool {
    let e = a.e + b.e;
    if e == 0.0 {
        return false;
    }
    let d = (a.v - b.v).abs();
    let tol = (4.0 * e).max(1e-9 * a.v.abs().max(b.v.abs()).max(1.0));
    d.is_nan() || d <= tol
}

#[inline(always)]
fn check_huge(r: V, mark: &mut bool) {
    if r.v.abs() > HUGE || r.v.is_nan() {
        *mark = true;
    }
}

#[inline(always)]
fn add(a: V, b: V, sub: bool, mark: &mut bool) -> V {
    let r = if sub { a.v - b.v } else { a.v + b.v };
    let mut flags = (a.t | b.t) & LOOSE;
    if r == 0.0 && (sub || a.v.is_sign_negative() || b.v.is_sign_negative()) {
        // The decimal sign of a zero difference is not tracked here.
        flags |= LOOSE;
    }
    let out = if a.e == 0.0 && b.e == 0.0 && r.abs() <= EXACT_LIMIT {
        V {
            v: r,
            e: 0.0,
            t: NUM | flags,
        }
    } else {
        V {
            v: r,
            e: (a.e + b.e) * (1.0 + 1e-15) + rounding(r),
            t: NUM | flags,
        }
    };
    check_huge(out, mark);
    out
}

#[inline(always)]
fn mul(a: V, b: V, mark: &mut bool) -> V {
    let r = a.v * b.v;
    let flags = (a.t | b.t) & LOOSE;
    let out = if a.e == 0.0 && b.e == 0.0 && r.abs() <= EXACT_LIMIT {
        V {
            v: r,
            e: 0.0,
            t: NUM | flags,
        }
    } else {
        V {
            v: r,
            e: (a.v.abs() * b.e + b.v.abs() * a.e + a.e * b.e) * (1.0 + 1e-15) + rounding(r),
            t: NUM | flags | LOOSE,
        }
    };
    check_huge(out, mark);
    out
}

#[inline(always)]
fn div(a: V, b: V, mark: &mut bool) -> V {
    if b.v == 0.0 && b.e == 0.0 {
        return undef(R_ZERO_DIV);
    }
    let bb = b.v.abs();
    if bb <= 2.0 * b.e || bb < 1e-9 {
        *mark = true;
        return V {
            v: 0.0,
            e: f64::INFINITY,
            t: NUM | LOOSE,
        };
    }
    let r = a.v / b.v;
    let out = V {
        v: r,
        e: 2.0 * (a.v.abs() * b.e + bb * a.e) / (bb * bb) * (1.0 + 1e-15) + rounding(r),
        t: NUM | LOOSE,
    };
    check_huge(out, mark);
    out
}

/// Arithmetic and comparisons other than `and`/`or`, as in the scalar `eval`.
#[inline(always)]
fn binary(op: BinOp, x: V, y: V, mark: &mut bool) -> V {
    let is_cmp = matches!(
        op,
        BinOp::Ge | BinOp::Gt | BinOp::Le | BinOp::Lt | BinOp::Eq | BinOp::Ne
    );
    if let Some(abs) = first_absent(x, y) {
        return if is_cmp && abs.kind() == UNDEF {
            FALSE
        } else {
            abs
        };
    }
    match (x.kind(), y.kind()) {
        (NUM, NUM) => {
            if is_cmp && close(x, y) {
                *mark = true;
            }
            match op {
                BinOp::Add => add(x, y, false, mark),
                BinOp::Sub => add(x, y, true, mark),
                BinOp::Mul => mul(x, y, mark),
                BinOp::Div => div(x, y, mark),
                BinOp::Ge => boolv(x.v >= y.v),
                BinOp::Gt => boolv(x.v > y.v),
                BinOp::Le => boolv(x.v <= y.v),
                BinOp::Lt => boolv(x.v < y.v),
                BinOp::Eq => boolv(x.v == y.v),
                BinOp::Ne => boolv(x.v != y.v),
                BinOp::And | BinOp::Or => undef(R_TYPE),
            }
        }
        (BOOL, BOOL) => match op {
            BinOp::Eq => boolv(x.v == y.v),
            BinOp::Ne => boolv(x.v != y.v),
            _ => undef(R_TYPE),
        },
        _ => undef(R_TYPE),
    }
}

#[inline(always)]
fn and(x: V, y: V) -> V {
    if x.is_false() || y.is_false() {
        return FALSE;
    }
    if x.kind() == UNDEF || y.kind() == UNDEF {
        return FALSE;
    }
    if x.is_true() && y.is_true() {
        return TRUE;
    }
    first_absent(x, y).unwrap_or(undef(R_TYPE))
}

#[inline(always)]
fn or(x: V, y: V) -> V {
    if x.is_true() || y.is_true() {
        return TRUE;
    }
    let (kx, ky) = (x.kind(), y.kind());
    if kx == BOOL && ky == BOOL {
        return FALSE;
    }
    if (kx == UNDEF || x.is_false()) && (ky == UNDEF || y.is_false()) {
        return FALSE;
    }
    match first_absent(x, y) {
        Some(a) if a.kind() == UNDEF => FALSE,
        Some(a) => a,
        None => undef(R_TYPE),
    }
}

/// A chunk column.
#[derive(Debug, Default, Clone)]
struct Col {
    v: Vec<f64>,
    e: Vec<f64>,
    t: Vec<u8>,
    /// Cached [`Chunk::summary`], reset whenever the column is refilled.
    summ: std::cell::Cell<Option<(u8, bool)>>,
}

impl Col {
    fn with_len(n: usize) -> Col {
        Col {
            v: vec![0.0; n],
            e: vec![0.0; n],
            t: vec![0; n],
            summ: std::cell::Cell::new(None),
        }
    }
    #[inline(always)]
    fn set(&mut self, i: usize, x: V) {
        self.v[i] = x.v;
        self.e[i] = x.e;
        self.t[i] = x.t;
    }
    #[inline(always)]
    fn get(&self, i: usize) -> V {
        V {
            v: self.v[i],
            e: self.e[i],
            t: self.t[i],
        }
    }
}

/// The result of an expression over a chunk: a scalar, a slot's column or a temporary.
enum Opnd {
    Scalar(V),
    Slot(usize),
    Tmp(Col),
}

/// Read access to an operand.
#[derive(Clone, Copy)]
enum View<'a> {
    S(V),
    C(&'a Col),
}

impl View<'_> {
    #[inline(always)]
    fn at(&self, i: usize) -> V {
        match self {
            View::S(x) => *x,
            View::C(c) => c.get(i),
        }
    }
}

fn view<'a>(consts: &'a [Option<V>], cols: &'a [Col], o: &'a Opnd) -> View<'a> {
    match o {
        Opnd::Scalar(x) => View::S(*x),
        Opnd::Slot(s) => match consts[*s] {
            Some(x) => View::S(x),
            None => View::C(&cols[*s]),
        },
        Opnd::Tmp(c) => View::C(c),
    }
}

/// Per-thread state: a chunk's slot columns, marks and a pool of temporaries.
struct Chunk<'p> {
    plan: &'p Plan,
    n: usize,
    consts: &'p [Option<V>],
    cols: Vec<Col>,
    mark: Vec<bool>,
    pool: Vec<Col>,
    /// Per step: the band or row chosen for each row of the chunk (scales and tables).
    aux: Vec<Vec<i16>>,
}

impl Chunk<'_> {
    fn tmp(&mut self) -> Col {
        let mut c = self.pool.pop().unwrap_or_default();
        c.summ.set(None);
        c.v.resize(self.n, 0.0);
        c.e.resize(self.n, 0.0);
        c.t.resize(self.n, 0);
        c
    }

    fn release(&mut self, o: Opnd) {
        if let Opnd::Tmp(c) = o {
            self.pool.push(c);
        }
    }

    fn view<'a>(&'a self, o: &'a Opnd) -> View<'a> {
        view(self.consts, &self.cols, o)
    }

    fn map1(&mut self, a: Opnd, f: impl Fn(V, &mut bool) -> V) -> Opnd {
        if let Opnd::Scalar(x) = a {
            let mut m = false;
            let r = f(x, &mut m);
            if !m {
                return Opnd::Scalar(r);
            }
        }
        let mut out = self.tmp();
        {
            let n = self.n;
            let va = view(self.consts, &self.cols, &a);
            let mark = &mut self.mark[..n];
            let (ov, oe, ot) = (&mut out.v[..n], &mut out.e[..n], &mut out.t[..n]);
            match va {
                View::C(ca) => {
                    let (av, ae, at) = (&ca.v[..n], &ca.e[..n], &ca.t[..n]);
                    for i in 0..n {
                        let x = V {
                            v: av[i],
                            e: ae[i],
                            t: at[i],
                        };
                        let r = f(x, &mut mark[i]);
                        (ov[i], oe[i], ot[i]) = (r.v, r.e, r.t);
                    }
                }
                View::S(x) => {
                    for i in 0..n {
                        let r = f(x, &mut mark[i]);
                        (ov[i], oe[i], ot[i]) = (r.v, r.e, r.t);
                    }
                }
            }
        }
        self.release(a);
        Opnd::Tmp(out)
    }

    fn map2(&mut self, a: Opnd, b: Opnd, f: impl Fn(V, V, &mut bool) -> V) -> Opnd {
        if let (Opnd::Scalar(x), Opnd::Scalar(y)) = (&a, &b) {
            let mut m = false;
            let r = f(*x, *y, &mut m);
            if !m {
                return Opnd::Scalar(r);
            }
        }
        let mut out = self.tmp();
        {
            let n = self.n;
            let (va, vb) = (
                view(self.consts, &self.cols, &a),
                view(self.consts, &self.cols, &b),
            );
            let mark = &mut self.mark[..n];
            let (ov, oe, ot) = (&mut out.v[..n], &mut out.e[..n], &mut out.t[..n]);
            match (va, vb) {
                (View::C(ca), View::S(y)) => {
                    let (av, ae, at) = (&ca.v[..n], &ca.e[..n], &ca.t[..n]);
                    for i in 0..n {
                        let x = V {
                            v: av[i],
                            e: ae[i],
                            t: at[i],
                        };
                        let r = f(x, y, &mut mark[i]);
                        (ov[i], oe[i], ot[i]) = (r.v, r.e, r.t);
                    }
                }
                (View::S(x), View::C(cb)) => {
                    let (bv, be, bt) = (&cb.v[..n], &cb.e[..n], &cb.t[..n]);
                    for i in 0..n {
                        let y = V {
                            v: bv[i],
                            e: be[i],
                            t: bt[i],
                        };
                        let r = f(x, y, &mut mark[i]);
                        (ov[i], oe[i], ot[i]) = (r.v, r.e, r.t);
                    }
                }
                (View::C(ca), View::C(cb)) => {
                    let (av, ae, at) = (&ca.v[..n], &ca.e[..n], &ca.t[..n]);
                    let (bv, be, bt) = (&cb.v[..n], &cb.e[..n], &cb.t[..n]);
                    for i in 0..n {
                        let x = V {
                            v: av[i],
                            e: ae[i],
                            t: at[i],
                        };
                        let y = V {
                            v: bv[i],
                            e: be[i],
                            t: bt[i],
                        };
                        let r = f(x, y, &mut mark[i]);
                        (ov[i], oe[i], ot[i]) = (r.v, r.e, r.t);
                    }
                }
                (View::S(x), View::S(y)) => {
                    for i in 0..n {
                        let r = f(x, y, &mut mark[i]);
                        (ov[i], oe[i], ot[i]) = (r.v, r.e, r.t);
                    }
                }
            }
        }
        self.release(a);
        self.release(b);
        Opnd::Tmp(out)
    }

    fn map3(&mut self, a: Opnd, b: Opnd, c: Opnd, f: impl Fn(V, V, V) -> V) -> Opnd {
        if let (Opnd::Scalar(x), Opnd::Scalar(y), Opnd::Scalar(z)) = (&a, &b, &c) {
            return Opnd::Scalar(f(*x, *y, *z));
        }
        let mut out = self.tmp();
        {
            let (va, vb, vc) = (self.view(&a), self.view(&b), self.view(&c));
            for i in 0..self.n {
                out.set(i, f(va.at(i), vb.at(i), vc.at(i)));
            }
        }
        self.release(a);
        self.release(b);
        self.release(c);
        Opnd::Tmp(out)
    }

    fn eval(&mut self, e: &CExpr) -> Opnd {
        match e {
            CExpr::Num(d) => {
                let x = from_decimal(*d);
                if x.v.abs() > HUGE {
                    // Not representable with a trustworthy bound: every row takes the exact path.
                    self.mark.iter_mut().for_each(|m| *m = true);
                }
                Opnd::Scalar(x)
            }
            CExpr::Bool(b) => Opnd::Scalar(boolv(*b)),
            CExpr::Unknown => Opnd::Scalar(UNKNOWN_V),
            CExpr::Slot(s) => match self.consts[*s as usize] {
                Some(x) => Opnd::Scalar(x),
                None => Opnd::Slot(*s as usize),
            },
            CExpr::Neg(a) => {
                let a = self.eval(a);
                self.map1(a, |x, _| match x.kind() {
                    NUM => V {
                        v: -x.v,
                        e: x.e,
                        t: if x.v == 0.0 { x.t | LOOSE } else { x.t },
                    },
                    BOOL => undef(R_TYPE),
                    _ => x,
                })
            }
            CExpr::Not(a) => {
                let a = self.eval(a);
                self.map1(a, |x, _| match x.kind() {
                    BOOL => boolv(x.v == 0.0),
                    NUM => undef(R_TYPE),
                    _ => x,
                })
            }
            CExpr::If(c, a, b) => {
                let (c, a, b) = (self.eval(c), self.eval(a), self.eval(b));
                // A condition that is the same for every row picks a branch as a whole.
                if let Opnd::Scalar(x) = c {
                    match x.kind() {
                        BOOL if x.v != 0.0 => {
                            self.release(b);
                            return a;
                        }
                        BOOL | UNDEF => {
                            self.release(a);
                            return b;
                        }
                        _ => {}
                    }
                }
                self.map3(c, a, b, |c, a, b| match c.kind() {
                    BOOL => {
                        if c.v != 0.0 {
                            a
                        } else {
                            b
                        }
                    }
                    UNDEF => b,
                    NUM => undef(R_TYPE),
                    _ => c,
                })
            }
            CExpr::Bin(op, a, b) => {
                let (a, b) = (self.eval(a), self.eval(b));
                self.bin(*op, a, b)
            }
            CExpr::Call(f, args) => self.call(*f, args),
        }
    }

    /// Kinds present (bit `1 << kind`) and whether any number carries an error bound.
    fn summary(&self, o: &Opnd) -> (u8, bool) {
        match view(self.consts, &self.cols, o) {
            View::S(x) => (1 << x.kind(), x.e != 0.0),
            View::C(c) => {
                if let Some(s) = c.summ.get() {
                    return s;
                }
                // All numbers: every kind is 0. All flags: every kind is 1 (kinds are 0..=4).
                let (or, and) = c.t[..self.n]
                    .iter()
                    .fold((0u8, KIND), |(o, a), t| (o | (t & KIND), a & t));
                let kinds = match (or, and & KIND) {
                    (0, _) => 1 << NUM,
                    (1, 1) => 1 << BOOL,
                    _ => 0xff,
                };
                // Any nonzero bit pattern (a bound, NaN, −0) counts as inexact.
                let bits = c.e[..self.n].iter().fold(0u64, |b, e| b | e.to_bits());
                c.summ.set(Some((kinds, bits != 0)));
                (kinds, bits != 0)
            }
        }
    }

    /// A binary operator; chunks of plain numbers or plain flags take branch-free loops.
    fn bin(&mut self, op: BinOp, a: Opnd, b: Opnd) -> Opnd {
        const N: u8 = 1 << NUM;
        const B: u8 = 1 << BOOL;
        let (ka, ea) = self.summary(&a);
        let (kb, eb) = self.summary(&b);
        let inexact = ea || eb;
        macro_rules! cmp {
            ($op:tt) => {
                if inexact {
                    self.map2(a, b, |x, y, m| {
                        if close(x, y) {
                            *m = true;
                        }
                        boolv(x.v $op y.v)
                    })
                } else {
                    self.map2(a, b, |x, y, _| V {
                        v: f64::from(u8::from(x.v $op y.v)),
                        e: 0.0,
                        t: BOOL,
                    })
                }
            };
        }
        if ka == N && kb == N {
            return match op {
                BinOp::Add => self.map2(a, b, |x, y, m| add(x, y, false, m)),
                BinOp::Sub => self.map2(a, b, |x, y, m| add(x, y, true, m)),
                BinOp::Mul => self.map2(a, b, mul),
                BinOp::Div => self.map2(a, b, div),
                BinOp::Ge => cmp!(>=),
                BinOp::Gt => cmp!(>),
                BinOp::Le => cmp!(<=),
                BinOp::Lt => cmp!(<),
                BinOp::Eq => cmp!(==),
                BinOp::Ne => cmp!(!=),
                BinOp::And | BinOp::Or => self.map2(a, b, |_, _, _| undef(R_TYPE)),
            };
        }
        if ka == B && kb == B {
            match op {
                BinOp::And => {
                    return self.map2(a, b, |x, y, _| V {
                        v: x.v.min(y.v),
                        e: 0.0,
                        t: BOOL,
                    });
                }
                BinOp::Or => {
                    return self.map2(a, b, |x, y, _| V {
                        v: x.v.max(y.v),
                        e: 0.0,
                        t: BOOL,
                    });
                }
                _ => {}
            }
        }
        match op {
            BinOp::And => self.map2(a, b, |x, y, _| and(x, y)),
            BinOp::Or => self.map2(a, b, |x, y, _| or(x, y)),
            BinOp::Add => self.map2(a, b, |x, y, m| binary(BinOp::Add, x, y, m)),
            BinOp::Sub => self.map2(a, b, |x, y, m| binary(BinOp::Sub, x, y, m)),
            BinOp::Mul => self.map2(a, b, |x, y, m| binary(BinOp::Mul, x, y, m)),
            BinOp::Div => self.map2(a, b, |x, y, m| binary(BinOp::Div, x, y, m)),
            BinOp::Ge => self.map2(a, b, |x, y, m| binary(BinOp::Ge, x, y, m)),
            BinOp::Gt => self.map2(a, b, |x, y, m| binary(BinOp::Gt, x, y, m)),
            BinOp::Le => self.map2(a, b, |x, y, m| binary(BinOp::Le, x, y, m)),
            BinOp::Lt => self.map2(a, b, |x, y, m| binary(BinOp::Lt, x, y, m)),
            BinOp::Eq => self.map2(a, b, |x, y, m| binary(BinOp::Eq, x, y, m)),
            BinOp::Ne => self.map2(a, b, |x, y, m| binary(BinOp::Ne, x, y, m)),
        }
    }

    fn call(&mut self, f: Func, args: &[CExpr]) -> Opnd {
        match f {
            Func::Present | Func::IsTrue | Func::IsFalse | Func::Floor => {
                let Some(arg) = args.first() else {
                    return Opnd::Scalar(undef(R_TYPE));
                };
                let a = self.eval(arg);
                match f {
                    Func::Present => self.map1(a, |x, _| boolv(x.kind() != MISSING)),
                    Func::IsTrue => self.map1(a, |x, _| boolv(x.is_true())),
                    Func::IsFalse => self.map1(a, |x, _| boolv(x.is_false())),
                    _ => self.map1(a, floor),
                }
            }
            Func::CountPresent | Func::SumPresent | Func::Min | Func::Max => {
                // Fold left to right with a per-row "decided" state kept in the accumulator:
                // `acc` holds the running result and `state` whether a non-number ended it.
                let n = self.n;
                let mut acc = self.tmp();
                let mut state = vec![0u8; n]; // 0: none yet, 1: have number, 2: decided
                let mut first = self.tmp();
                for (k, arg) in args.iter().enumerate() {
                    let a = self.eval(arg);
                    {
                        let va = view(self.consts, &self.cols, &a);
                        let mark = &mut self.mark;
                        for i in 0..n {
                            let x = va.at(i);
                            if k == 0 {
                                first.set(i, x);
                            }
                            match f {
                                Func::CountPresent => {
                                    let c = if k == 0 { 0.0 } else { acc.v[i] };
                                    let c = c + f64::from(u8::from(x.kind() != MISSING));
                                    acc.set(
                                        i,
                                        V {
                                            v: c,
                                            e: 0.0,
                                            t: NUM,
                                        },
                                    );
                                }
                                Func::SumPresent => {
                                    if state[i] == 2 {
                                        continue;
                                    }
                                    match x.kind() {
                                        NUM => {
                                            let s = if state[i] == 0 {
                                                V {
                                                    v: 0.0,
                                                    e: 0.0,
                                                    t: NUM,
                                                }
                                            } else {
                                                acc.get(i)
                                            };
                                            acc.set(i, add(s, x, false, &mut mark[i]));
                                            state[i] = 1;
                                        }
                                        MISSING => {}
                                        _ => {
                                            acc.set(i, x);
                                            state[i] = 2;
                                        }
                                    }
                                }
                                _ => {
                                    if state[i] == 2 {
                                        continue;
                                    }
                                    if x.kind() == NUM {
                                        if state[i] == 0 {
                                            acc.set(i, x);
                                        } else {
                                            let b = acc.get(i);
                                            let pick_x = if matches!(f, Func::Min) {
                                                x.v < b.v
                                            } else {
                                                x.v > b.v
                                            };
                                            let e = x.e.max(b.e);
                                            let t = NUM | ((x.t | b.t) & LOOSE);
                                            let v = if pick_x { x.v } else { b.v };
                                            acc.set(i, V { v, e, t });
                                        }
                                        state[i] = 1;
                                    } else {
                                        acc.set(i, x);
                                        state[i] = 2;
                                    }
                                }
                            }
                        }
                    }
                    self.release(a);
                }
                for i in 0..n {
                    match f {
                        Func::CountPresent => {
                            if args.is_empty() {
                                acc.set(
                                    i,
                                    V {
                                        v: 0.0,
                                        e: 0.0,
                                        t: NUM,
                                    },
                                );
                            }
                        }
                        Func::SumPresent => {
                            if state[i] == 0 {
                                let x = if args.is_empty() {
                                    undef(R_TYPE)
                                } else {
                                    first.get(i)
                                };
                                acc.set(i, x);
                            }
                        }
                        _ => {
                            if state[i] == 0 {
                                acc.set(i, undef(R_TYPE));
                            }
                        }
                    }
                }
                self.pool.push(first);
                Opnd::Tmp(acc)
            }
        }
    }

    /// Evaluate every step over the chunk into the slot columns.
    fn run(&mut self, steps: &[FastStep]) {
        let plan = self.plan;
        for (si, (step, fast)) in plan.steps.iter().zip(steps).enumerate() {
            if !fast.needed {
                continue;
            }
            let slot = step.slot as usize;
            let result = match &step.def.kind {
                RuleKind::Let(_) | RuleKind::Output(_) | RuleKind::Condition(_) => {
                    match &step.expr {
                        Some(e) => self.eval(e),
                        None => Opnd::Scalar(undef(R_NOT_COMPUTED)),
                    }
                }
                RuleKind::Scale { .. } => {
                    let n = self.n;
                    let mut aux = std::mem::take(&mut self.aux[si]);
                    aux.clear();
                    aux.resize(n, -1);
                    let (bands, otherwise) = (&fast.bands, fast.otherwise);
                    // A ratio of two exact integer columns: compare x·10^s with m·y exactly.
                    let fused = fast.ratio.filter(|(a, b)| {
                        const N: u8 = 1 << NUM;
                        self.summary(&Opnd::Slot(*a)) == (N, false)
                            && self.summary(&Opnd::Slot(*b)) == (N, false)
                    });
                    let mut out = self.tmp();
                    if let Some((a, b)) = fused {
                        let (oa, ob) = (Opnd::Slot(a), Opnd::Slot(b));
                        let (va, vb) = (
                            view(self.consts, &self.cols, &oa),
                            view(self.consts, &self.cols, &ob),
                        );
                        let rat = &fast.rational;
                        for i in 0..n {
                            // Exact integers below 2^53 (summary: numbers, no bound).
                            let (x, y) = (va.at(i).v as i64, vb.at(i).v as i64);
                            let h = if y == 0 {
                                -1
                            } else {
                                let (x, y) = if y < 0 {
                                    (-i128::from(x), -i128::from(y))
                                } else {
                                    (i128::from(x), i128::from(y))
                                };
                                rat.iter()
                                    .position(|&(strict, m, p)| {
                                        let (l, r) = (x * p, m * y);
                                        if strict { l > r } else { l >= r }
                                    })
                                    .map_or(-1, |h| h as i16)
                            };
                            aux[i] = h;
                            out.set(
                                i,
                                if h < 0 {
                                    otherwise
                                } else {
                                    bands[h as usize].2
                                },
                            );
                        }
                    } else {
                        let x = match (&step.expr, fast.ratio) {
                            // The ratio `let` was skipped: evaluate its `a / b` here.
                            (Some(CExpr::Slot(_)), Some((a, b))) => {
                                self.bin(BinOp::Div, Opnd::Slot(a), Opnd::Slot(b))
                            }
                            (Some(e), _) => self.eval(e),
                            (None, _) => Opnd::Scalar(undef(R_NOT_COMPUTED)),
                        };
                        {
                            let vx = view(self.consts, &self.cols, &x);
                            let mark = &mut self.mark[..n];
                            for i in 0..n {
                                let x = vx.at(i);
                                let r = match x.kind() {
                                    NUM => {
                                        let hit = bands.iter().position(|(strict, bound, _)| {
                                            if *strict {
                                                x.v > bound.v
                                            } else {
                                                x.v >= bound.v
                                            }
                                        });
                                        if bands.iter().any(|b| close(x, b.1)) {
                                            mark[i] = true;
                                        }
                                        aux[i] = hit.map_or(-1, |h| h as i16);
                                        hit.map_or(otherwise, |h| bands[h].2)
                                    }
                                    UNDEF => otherwise,
                                    BOOL => undef(R_TYPE),
                                    _ => x,
                                };
                                out.set(i, r);
                            }
                        }
                        self.release(x);
                    }
                    self.aux[si] = aux;
                    Opnd::Tmp(out)
                }
                RuleKind::Table { .. } => {
                    let n = self.n;
                    let mut out = self.tmp();
                    let mut done = vec![false; n];
                    let mut aux = std::mem::take(&mut self.aux[si]);
                    aux.clear();
                    aux.resize(n, -1);
                    for (ri, (c, val)) in step.table.iter().enumerate() {
                        let (c, val) = (self.eval(c), self.eval(val));
                        {
                            let (vc, vv) = (self.view(&c), self.view(&val));
                            for i in 0..n {
                                if done[i] {
                                    continue;
                                }
                                let x = vc.at(i);
                                match x.kind() {
                                    BOOL if x.v != 0.0 => {
                                        out.set(i, vv.at(i));
                                        aux[i] = ri as i16;
                                        done[i] = true;
                                    }
                                    BOOL | UNDEF => {}
                                    _ => {
                                        out.set(i, x);
                                        done[i] = true;
                                    }
                                }
                            }
                        }
                        self.release(c);
                        self.release(val);
                    }
                    let other = match &step.otherwise {
                        Some(e) => self.eval(e),
                        None => Opnd::Scalar(V {
                            v: 0.0,
                            e: 0.0,
                            t: NUM,
                        }),
                    };
                    {
                        let vo = self.view(&other);
                        for i in 0..n {
                            if !done[i] {
                                out.set(i, vo.at(i));
                            }
                        }
                    }
                    self.release(other);
                    self.aux[si] = aux;
                    Opnd::Tmp(out)
                }
            };
            self.store(slot, result);
        }
    }

    fn store(&mut self, slot: usize, o: Opnd) {
        match o {
            Opnd::Tmp(c) => {
                let old = std::mem::replace(&mut self.cols[slot], c);
                self.pool.push(old);
            }
            other => {
                let mut c = std::mem::take(&mut self.cols[slot]);
                c.summ.set(None);
                c.v.resize(self.n, 0.0);
                c.e.resize(self.n, 0.0);
                c.t.resize(self.n, 0);
                {
                    let v = self.view(&other);
                    for i in 0..self.n {
                        c.set(i, v.at(i));
                    }
                }
                self.cols[slot] = c;
            }
        }
    }
}

#[inline(always)]
fn floor(x: V, mark: &mut bool) -> V {
    if x.kind() != NUM {
        return x;
    }
    if x.e == 0.0 {
        // An exact integer; `Decimal::floor` of it has scale 0.
        return V {
            v: x.v,
            e: 0.0,
            t: NUM | (x.t & LOOSE),
        };
    }
    let f = x.v.floor();
    let tol = x.e.max(1e-9 * x.v.abs().max(1.0));
    if x.v - f <= tol || f + 1.0 - x.v <= tol || f.abs() > EXACT_LIMIT || f.is_nan() {
        *mark = true;
    }
    // `Decimal::floor` returns scale 0; only a zero may carry a negative sign.
    V {
        v: f,
        e: 0.0,
        t: if f == 0.0 { NUM | LOOSE } else { NUM },
    }
}

/// Scale bands as fast-path constants.
struct FastStep {
    bands: Vec<(bool, V, V)>,
    otherwise: V,
    /// For a scale of `a / b` (directly or through a `let`): the slots `a` and `b`, and every
    /// band edge as `(strict, m, 10^s)` with edge = m / 10^s, |m| ≤ 10^9 and s ≤ 8. When both
    /// columns of a chunk hold exact integers, the band is decided by comparing `a·10^s` with
    /// `m·b` in i128, which is what the decimal quotient gives: with |b| < 2^53, a quotient
    /// that is not equal to an edge is at least 1/(10^s·|b|) > 10^-25 away from it, far more
    /// than the rounding of a 28-digit decimal quotient near the edge.
    ratio: Option<(usize, usize)>,
    rational: Vec<(bool, i128, i128)>,
    /// Whether a requested slot depends on this step (others are skipped).
    needed: bool,
}

/// One input column for [`Plan::evaluate_typed`].
#[derive(Debug, Clone, Copy)]
pub enum Column<'a> {
    /// Exact values; `None` = not reported.
    Values(&'a [Option<Value>]),
    /// Whole numbers (counts, amounts in yuan); `None` = not reported.
    Ints(&'a [Option<i64>]),
    /// Flags (是/否); `None` = not reported.
    Flags(&'a [Option<bool>]),
    /// Not reported for any row.
    Absent,
}

impl Column<'_> {
    fn len(&self) -> Option<usize> {
        match self {
            Column::Values(c) => Some(c.len()),
            Column::Ints(c) => Some(c.len()),
            Column::Flags(c) => Some(c.len()),
            Column::Absent => None,
        }
    }

    /// The exact value of `row` (`None`: not reported).
    fn value(&self, row: usize) -> Option<Value> {
        match self {
            Column::Values(c) => c.get(row).cloned().flatten(),
            Column::Ints(c) => c
                .get(row)
                .copied()
                .flatten()
                .map(|x| Value::Num(Decimal::from(x))),
            Column::Flags(c) => c.get(row).copied().flatten().map(Value::Bool),
            Column::Absent => None,
        }
    }
}

/// The requested slots of every row, exactly as [`Plan::evaluate_batch`] would give them.
#[derive(Debug, Clone, Default)]
pub struct ColumnResults {
    /// The requested slots, in request order.
    pub slots: Vec<usize>,
    /// `values[k][row]`: the value of `slots[k]` for `row`.
    pub values: Vec<Vec<Value>>,
    /// Rows that were re-evaluated with the exact scalar path.
    pub exact_rows: usize,
    /// Rows the typed integer/flag path did not decide (a missing or non-integral input, an
    /// overflow, …, or every row when the plan is not covered by it): they went through the
    /// general columnar path or, when few in a chunk, the exact path. Includes `exact_rows`
    /// that came from the typed path.
    pub fallback_rows: usize,
    /// `bands[k][row]`: for a requested scale or table, the band or row chosen for `row`
    /// (0 = the first line, -1 = the `else` line or no band), as in the exact evaluation; the
    /// explanation of that rule can be rendered from it and the inputs. Empty for other slots.
    pub bands: Vec<Vec<i16>>,
    /// Only from [`Plan::evaluate_typed_compact_into`] (empty otherwise): `ints[k][row]` is the
    /// value of `slots[k]` (`k` < the number of `wanted` slots) as a whole number, a flag as
    /// 1 (是) or 0 (否), for the rows whose `typed_rows[row]` is true; the other rows' values
    /// are in `values` (see [`ColumnResults::int`]).
    pub ints: Vec<Vec<i64>>,
    /// Per row, with `ints`: whether the row's requested values are in `ints` (decided by
    /// the typed path) rather than in `values` (whose entry for such a row is stale).
    pub typed_rows: Vec<bool>,
}

impl ColumnResults {
    /// The value of the `k`-th requested slot for `row`.
    pub fn get(&self, k: usize, row: usize) -> Option<&Value> {
        self.values.get(k).and_then(|c| c.get(row))
    }

    /// The value of the `k`-th requested slot for `row` as a whole number (a flag as 1 or 0)
    /// when it is in [`ColumnResults::ints`]; `None`: read it with [`ColumnResults::get`].
    pub fn int(&self, k: usize, row: usize) -> Option<i64> {
        if *self.typed_rows.get(row)? {
            self.ints.get(k)?.get(row).copied()
        } else {
            None
        }
    }

    /// The band or table row chosen for the `k`-th requested slot (a scale or table) in `row`.
    pub fn band(&self, k: usize, row: usize) -> Option<i16> {
        self.bands.get(k).and_then(|c| c.get(row)).copied()
    }

    /// Number of rows.
    pub fn len(&self) -> usize {
        match self.values.first() {
            Some(v) => v.len(),
            None => self.bands.iter().map(Vec::len).max().unwrap_or(0),
        }
    }

    /// Whether there are no rows.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl Plan {
    /// Evaluate many entities given as columns (one per input, in the order of
    /// [`Plan::inputs`]) and return only the `wanted` slots (see [`Plan::slot`]) of each row,
    /// exactly as [`Plan::evaluate_batch`] would. Uses the columnar fast path and re-evaluates
    /// with exact decimals every row whose result the fast path cannot prove (see the module
    /// documentation of `columnar`).
    pub fn evaluate_columns(
        &self,
        columns: &[Vec<Option<Value>>],
        wanted: &[usize],
    ) -> ColumnResults {
        let cols: Vec<Column> = columns.iter().map(|c| Column::Values(c)).collect();
        self.evaluate_typed(&cols, wanted)
    }

    /// [`Plan::evaluate_columns`] over typed columns (whole numbers and flags need no decimal
    /// conversion). Every column that is not [`Column::Absent`] must have the same length.
    pub fn evaluate_typed(&self, columns: &[Column], wanted: &[usize]) -> ColumnResults {
        let mut out = ColumnResults::default();
        self.evaluate_typed_into(columns, wanted, &mut out);
        out
    }

    /// [`Plan::evaluate_typed`] into `out`, reusing its memory (for streaming many chunks).
    pub fn evaluate_typed_into(
        &self,
        columns: &[Column],
        wanted: &[usize],
        out: &mut ColumnResults,
    ) {
        self.evaluate_typed_explained_into(columns, wanted, &[], out);
    }

    /// [`Plan::evaluate_typed_into`], and for the scales and tables in `explained` only the
    /// band or row chosen per row (what the explanation needs; the value follows from it):
    /// they come after `wanted` in [`ColumnResults::slots`] and [`ColumnResults::bands`],
    /// without a column in [`ColumnResults::values`] (`get` gives `None`).
    pub fn evaluate_typed_explained_into(
        &self,
        columns: &[Column],
        wanted: &[usize],
        explained: &[usize],
        out: &mut ColumnResults,
    ) {
        self.typed_results_into(columns, wanted, explained, false, out);
    }

    /// [`Plan::evaluate_typed_explained_into`], but the rows the typed path decides get their
    /// values as plain whole numbers and flags in [`ColumnResults::ints`] (marked in
    /// [`ColumnResults::typed_rows`]), without building a [`Value`] for them; the other rows
    /// (not decided by the typed path, or a requested value that is not a whole number or
    /// flag) are in [`ColumnResults::values`] as before. Read with [`ColumnResults::int`],
    /// then [`ColumnResults::get`].
    pub fn evaluate_typed_compact_into(
        &self,
        columns: &[Column],
        wanted: &[usize],
        explained: &[usize],
        out: &mut ColumnResults,
    ) {
        self.typed_results_into(columns, wanted, explained, true, out);
    }

    fn typed_results_into(
        &self,
        columns: &[Column],
        wanted: &[usize],
        explained: &[usize],
        compact: bool,
        out: &mut ColumnResults,
    ) {
        let n = columns.iter().find_map(Column::len).unwrap_or(0);
        let valid = |w: &&usize| **w < self.slots.len();
        let n_values = wanted.iter().filter(valid).count();
        // Every requested slot (the columns of `out.values` are the first `n_values`).
        let all: Vec<usize> = wanted
            .iter()
            .filter(valid)
            .chain(explained.iter().filter(valid))
            .copied()
            .collect();
        let wanted = &all[..n_values];
        out.values.resize_with(n_values, Vec::new);
        // Every row of every requested column is written below: keep the memory (and the old
        // contents) instead of clearing it first.
        for v in &mut out.values {
            v.truncate(n);
            v.resize(n, Value::Unknown);
        }
        if compact {
            out.ints.resize_with(n_values, Vec::new);
            for v in &mut out.ints {
                v.truncate(n);
                v.resize(n, 0);
            }
            out.typed_rows.clear();
            out.typed_rows.resize(n, false);
        } else {
            out.ints.clear();
            out.typed_rows.clear();
        }
        // The step whose band is recorded for each requested slot.
        let band_step: Vec<Option<usize>> = all
            .iter()
            .map(|w| match self.slots[*w].kind {
                SlotKind::Rule(i)
                    if matches!(
                        self.steps[i].def.kind,
                        RuleKind::Scale { .. } | RuleKind::Table { .. }
                    ) =>
                {
                    Some(i)
                }
                _ => None,
            })
            .collect();
        out.bands.resize_with(all.len(), Vec::new);
        for (b, st) in out.bands.iter_mut().zip(&band_step) {
            if st.is_some() {
                b.truncate(n);
                b.resize(n, -1);
            } else {
                b.clear();
            }
        }
        let mut consts: Vec<Option<V>> = vec![None; self.slots.len()];
        for (slot, d) in &self.consts {
            consts[*slot as usize] = Some(from_decimal(*d));
        }
        let fast: Vec<FastStep> = self
            .steps
            .iter()
            .map(|s| match &s.def.kind {
                RuleKind::Scale {
                    bands, otherwise, ..
                } => {
                    let rational: Vec<(bool, i128, i128)> = bands
                        .iter()
                        .filter(|b| {
                            b.bound.scale() <= 8 && b.bound.mantissa().abs() <= 1_000_000_000
                        })
                        .map(|b| (b.strict, b.bound.mantissa(), 10i128.pow(b.bound.scale())))
                        .collect();
                    let ratio = (rational.len() == bands.len())
                        .then(|| self.ratio_of(s.expr.as_ref()?))
                        .flatten();
                    let bands: Vec<(bool, V, V)> = bands
                        .iter()
                        .map(|b| (b.strict, from_decimal(b.bound), from_decimal(b.points)))
                        .collect();
                    FastStep {
                        bands,
                        otherwise: from_decimal(*otherwise),
                        ratio,
                        rational,
                        needed: false,
                    }
                }
                _ => FastStep {
                    bands: Vec::new(),
                    otherwise: FALSE,
                    ratio: None,
                    rational: Vec::new(),
                    needed: false,
                },
            })
            .collect();
        let mut fast = fast;
        // Only the steps the requested slots depend on. A scale of a ratio `let` reads the
        // ratio's operands instead (it evaluates `a / b` itself when the chunk is not exact
        // integers), so the `let` is skipped unless something else needs it.
        let mut need_slot = vec![false; self.slots.len()];
        all.iter().for_each(|w| need_slot[*w] = true);
        for (si, step) in self.steps.iter().enumerate().rev() {
            if !need_slot[step.slot as usize] {
                continue;
            }
            fast[si].needed = true;
            match (fast[si].ratio, &step.expr) {
                (Some((a, b)), Some(CExpr::Slot(_))) => {
                    need_slot[a] = true;
                    need_slot[b] = true;
                }
                _ => step
                    .reads
                    .iter()
                    .for_each(|r| need_slot[*r as usize] = true),
            }
        }
        let threads = std::thread::available_parallelism()
            .map_or(1, |t| t.get())
            .clamp(1, 16);
        let per = n.div_ceil(threads).max(1);
        let (mut exact_rows, mut fallback_rows) = (0, 0);
        // The typed integer/flag path, when it covers the requested slots (`typed`).
        let prog = self.typed_prog(columns, &all);
        std::thread::scope(|s| {
            let mut parts: Vec<_> = out.values.iter_mut().map(|v| v.chunks_mut(per)).collect();
            let mut int_parts: Vec<_> = out.ints.iter_mut().map(|v| v.chunks_mut(per)).collect();
            let mut typed_parts = out.typed_rows.chunks_mut(per);
            let mut band_parts: Vec<_> = out
                .bands
                .iter_mut()
                .zip(&band_step)
                .filter(|(_, st)| st.is_some())
                .map(|(b, st)| (*st, b.chunks_mut(per)))
                .collect();
            let handles: Vec<_> = (0..n)
                .step_by(per)
                .map(|start| {
                    let end = (start + per).min(n);
                    let mut mine: Vec<&mut [Value]> =
                        parts.iter_mut().filter_map(Iterator::next).collect();
                    let mut my_bands: Vec<(usize, &mut [i16])> = band_parts
                        .iter_mut()
                        .filter_map(|(st, it)| Some(((*st)?, it.next()?)))
                        .collect();
                    let mut my_ints: Vec<&mut [i64]> =
                        int_parts.iter_mut().filter_map(Iterator::next).collect();
                    let my_typed = typed_parts.next();
                    let (consts, fast, prog) = (&consts, &fast, &prog);
                    s.spawn(move || match prog {
                        Some(prog) => self.typed_range(
                            prog,
                            columns,
                            start..end,
                            (consts, fast),
                            wanted,
                            &mut mine,
                            &mut my_bands,
                            my_typed.map(|t| (&mut my_ints[..], t)),
                        ),
                        None => {
                            let exact = self.columns_range(
                                columns,
                                start..end,
                                (consts, fast),
                                wanted,
                                &mut mine,
                                &mut my_bands,
                            );
                            (exact, end - start)
                        }
                    })
                })
                .collect();
            for h in handles {
                let (e, f) = h.join().unwrap_or_default();
                exact_rows += e;
                fallback_rows += f;
            }
        });
        out.slots = all;
        out.exact_rows = exact_rows;
        out.fallback_rows = fallback_rows;
    }

    /// `a / b` of two slots, directly or through the `let` of another slot.
    pub(crate) fn ratio_of(&self, e: &CExpr) -> Option<(usize, usize)> {
        match e {
            CExpr::Bin(BinOp::Div, a, b) => match (a.as_ref(), b.as_ref()) {
                (CExpr::Slot(a), CExpr::Slot(b)) => Some((*a as usize, *b as usize)),
                _ => None,
            },
            CExpr::Slot(s) => match self.slots[*s as usize].kind {
                SlotKind::Rule(i) => match (&self.steps[i].def.kind, &self.steps[i].expr) {
                    (RuleKind::Let(_), Some(CExpr::Bin(BinOp::Div, a, b))) => {
                        match (a.as_ref(), b.as_ref()) {
                            (CExpr::Slot(a), CExpr::Slot(b)) => Some((*a as usize, *b as usize)),
                            _ => None,
                        }
                    }
                    _ => None,
                },
                _ => None,
            },
            _ => None,
        }
    }

    fn columns_range(
        &self,
        columns: &[Column],
        rows: std::ops::Range<usize>,
        (consts, fast): (&[Option<V>], &[FastStep]),
        wanted: &[usize],
        out: &mut [&mut [Value]],
        bands: &mut [(usize, &mut [i16])],
    ) -> usize {
        let (start, end) = (rows.start, rows.end);
        let mut exact_rows = 0;
        let absent: Vec<V> = self
            .input_slots
            .iter()
            .map(|s| {
                let mut m = false;
                from_value(&self.absent_input(*s), &mut m)
            })
            .collect();
        // An input absent for every row is a scalar (its default or `Missing`), like a
        // parameter: the rules that read only such inputs and parameters stay scalars.
        let mut local: Vec<Option<V>> = consts.to_vec();
        for (i, slot) in self.input_slots.iter().enumerate() {
            let mut m = false;
            let x = from_value(&self.absent_input(*slot), &mut m);
            if !m
                && matches!(
                    columns.get(i).copied().unwrap_or(Column::Absent),
                    Column::Absent
                )
            {
                local[*slot as usize] = Some(x);
            }
        }
        let consts = &local[..];
        let mut chunk = Chunk {
            plan: self,
            n: 0,
            consts,
            cols: vec![Col::default(); self.slots.len()],
            mark: Vec::new(),
            pool: Vec::new(),
            aux: vec![Vec::new(); self.steps.len()],
        };
        let mut row0 = start;
        while row0 < end {
            let n = CHUNK.min(end - row0);
            chunk.n = n;
            chunk.mark.clear();
            chunk.mark.resize(n, false);
            for (i, slot) in self.input_slots.iter().enumerate() {
                let slot = *slot as usize;
                if consts[slot].is_some() {
                    continue;
                }
                let mut c = std::mem::take(&mut chunk.cols[slot]);
                if c.v.len() != n {
                    c = Col::with_len(n);
                }
                c.summ.set(None);
                match columns.get(i).copied().unwrap_or(Column::Absent) {
                    Column::Values(col) => {
                        for (r, x) in col[row0..row0 + n].iter().enumerate() {
                            let x = match x {
                                Some(v) => from_value(v, &mut chunk.mark[r]),
                                None => absent[i],
                            };
                            c.set(r, x);
                        }
                    }
                    Column::Ints(col) => {
                        for (r, x) in col[row0..row0 + n].iter().enumerate() {
                            let x = match x {
                                Some(v) if v.unsigned_abs() <= 1 << 53 => V {
                                    v: *v as f64,
                                    e: 0.0,
                                    t: NUM,
                                },
                                Some(v) => from_decimal(Decimal::from(*v)),
                                None => absent[i],
                            };
                            c.set(r, x);
                        }
                    }
                    Column::Flags(col) => {
                        for (r, x) in col[row0..row0 + n].iter().enumerate() {
                            let x = match x {
                                Some(b) => boolv(*b),
                                None => absent[i],
                            };
                            c.set(r, x);
                        }
                    }
                    Column::Absent => {
                        for r in 0..n {
                            c.set(r, absent[i]);
                        }
                    }
                }
                chunk.cols[slot] = c;
            }
            chunk.run(fast);
            // Column at a time: convert each requested column, marking the rows whose value
            // cannot be rebuilt without the exact path; then re-evaluate the marked rows.
            let at0 = row0 - start;
            for (k, &w) in wanted.iter().enumerate() {
                let o = &mut out[k][at0..at0 + n];
                let mark = &mut chunk.mark[..n];
                match consts[w] {
                    Some(x) => match to_value(x) {
                        Some(v) => o.iter_mut().for_each(|c| *c = v.clone()),
                        None => mark.iter_mut().for_each(|m| *m = true),
                    },
                    None => {
                        let c = &chunk.cols[w];
                        let (cv, ce, ct) = (&c.v[..n], &c.e[..n], &c.t[..n]);
                        for r in 0..n {
                            let (v, e, t) = (cv[r], ce[r], ct[r]);
                            if t == NUM && e == 0.0 && v.abs() <= EXACT_LIMIT {
                                o[r] = Value::Num(Decimal::from(v as i64));
                            } else if t == BOOL {
                                o[r] = Value::Bool(v != 0.0);
                            } else {
                                match to_value(V { v, e, t }) {
                                    Some(x) => o[r] = x,
                                    None => mark[r] = true,
                                }
                            }
                        }
                    }
                }
            }
            for (si, b) in bands.iter_mut() {
                b[at0..at0 + n].copy_from_slice(&chunk.aux[*si][..n]);
            }
            for r in 0..n {
                if chunk.mark[r] {
                    exact_rows += 1;
                    self.exact_row(columns, row0 + r, wanted, out, bands, at0 + r);
                }
            }
            row0 += n;
        }
        exact_rows
    }

    /// Evaluate `row` with the exact scalar path into position `at` of `out` and `bands`.
    fn exact_row(
        &self,
        columns: &[Column],
        row: usize,
        wanted: &[usize],
        out: &mut [&mut [Value]],
        bands: &mut [(usize, &mut [i16])],
        at: usize,
    ) {
        let mut values = vec![Value::Undefined("未计算"); self.slots.len()];
        for (i, slot) in self.input_slots.iter().enumerate() {
            values[*slot as usize] = columns
                .get(i)
                .and_then(|c| c.value(row))
                .unwrap_or_else(|| self.absent_input(*slot));
        }
        let ev = self.run(values);
        for (k, &w) in wanted.iter().enumerate() {
            out[k][at] = ev.values[w].clone();
        }
        for (si, b) in bands.iter_mut() {
            b[at] = ev.aux[*si];
        }
    }

    /// The typed integer/flag path over `rows` (see `typed`), chunk by chunk: a chunk with a
    /// few rows it cannot decide re-evaluates them exactly, one with many takes the general
    /// columnar path. Returns (rows evaluated exactly, rows not decided by the typed path).
    #[allow(clippy::too_many_arguments)]
    fn typed_range(
        &self,
        prog: &Prog,
        columns: &[Column],
        rows: std::ops::Range<usize>,
        general: (&[Option<V>], &[FastStep]),
        wanted: &[usize],
        out: &mut [&mut [Value]],
        bands: &mut [(usize, &mut [i16])],
        mut compact: Option<(&mut [&mut [i64]], &mut [bool])>,
    ) -> (usize, usize) {
        let (start, end) = (rows.start, rows.end);
        let (mut exact_rows, mut fallback_rows) = (0, 0);
        let mut st = prog.state();
        let mut row0 = start;
        while row0 < end {
            let n = typed::TCHUNK.min(end - row0);
            let at0 = row0 - start;
            let mut sub: Vec<&mut [Value]> = out.iter_mut().map(|o| &mut o[at0..at0 + n]).collect();
            let mut sub_bands: Vec<(usize, &mut [i16])> = bands
                .iter_mut()
                .map(|(si, b)| (*si, &mut b[at0..at0 + n]))
                .collect();
            let bad = prog.exec(columns, row0, n, &mut st);
            if bad > typed::FEW {
                fallback_rows += n;
                exact_rows += self.columns_range(
                    columns,
                    row0..row0 + n,
                    general,
                    wanted,
                    &mut sub,
                    &mut sub_bands,
                );
            } else {
                // With `compact`, the values as whole numbers and flags when they all are.
                let as_ints = match compact.as_mut() {
                    Some((ints, typed)) => {
                        let mut sub_ints: Vec<&mut [i64]> =
                            ints.iter_mut().map(|o| &mut o[at0..at0 + n]).collect();
                        let ok = prog.write_ints(&st, n, &mut sub_ints);
                        typed[at0..at0 + n].fill(ok);
                        ok
                    }
                    None => false,
                };
                if as_ints {
                    prog.write(&st, n, &mut [], &mut sub_bands);
                } else {
                    prog.write(&st, n, &mut sub, &mut sub_bands);
                }
                if bad > 0 {
                    for r in 0..n {
                        if Prog::is_bad(&st, r) {
                            if let Some((_, typed)) = compact.as_mut() {
                                typed[at0 + r] = false;
                            }
                            fallback_rows += 1;
                            exact_rows += 1;
                            self.exact_row(columns, row0 + r, wanted, &mut sub, &mut sub_bands, r);
                        }
                    }
                }
            }
            row0 += n;
        }
        (exact_rows, fallback_rows)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use crate::Entity;

    /// Percentages that include every band edge and threshold of the official packs.
    const EDGES: [i64; 32] = [
        0, 1, 2, 3, 4, 5, 6, 10, 12, 15, 16, 20, 24, 25, 30, 35, 40, 45, 50, 55, 60, 65, 70, 71,
        75, 80, 100, 105, 110, 115, 125, 135,
    ];

    struct Rng(u64);
    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = self.0;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            z ^ (z >> 31)
        }
        fn below(&mut self, n: u64) -> u64 {
            self.next() % n
        }
    }

    /// Deterministic pseudo-random columns: values at exact percentages of a shared base (so
    /// ratios and growth rates land exactly on band edges), zeros (zero denominators), missing
    /// inputs, flags, scaled decimals and large or odd numbers.
    fn columns(plan: &Plan, n: usize, seed: u64) -> Vec<Vec<Option<Value>>> {
        let inputs = plan.inputs();
        let mut rng = Rng(seed);
        let mut cols: Vec<Vec<Option<Value>>> =
            (0..inputs.len()).map(|_| Vec::with_capacity(n)).collect();
        for _ in 0..n {
            let base = match rng.below(4) {
                0 => 100 * (1 + rng.below(5) as i64),
                1 => 100 * (1 + rng.below(1000) as i64),
                2 => 100_000 * (1 + rng.below(3000) as i64),
                _ => 1_000_000 * (1 + rng.below(300) as i64),
            };
            for (i, (name, _)) in inputs.iter().enumerate() {
                let v = if plan.input_is_flag(i) {
                    match rng.below(5) {
                        0 => None,
                        1 | 2 => Some(Value::Bool(true)),
                        _ => Some(Value::Bool(false)),
                    }
                } else if name == "founded_year" {
                    match rng.below(3) {
                        0 => None,
                        _ => Some(Value::Num(Decimal::from(2018 + rng.below(10) as i64))),
                    }
                } else {
                    let r = rng.below(100);
                    match r {
                        0..=5 => None,
                        6..=11 => Some(Value::Num(Decimal::ZERO)),
                        12..=66 => {
                            let p = EDGES[rng.below(EDGES.len() as u64) as usize];
                            Some(Value::Num(Decimal::from(base * p / 100)))
                        }
                        67..=74 => Some(Value::Num(Decimal::from(rng.below(12) as i64))),
                        75..=84 => Some(Value::Num(Decimal::from(rng.below(1_000_000_000) as i64))),
                        85..=89 => {
                            // A scaled decimal, sometimes integral (5.00), sometimes exactly
                            // at an edge of the base (0.06 of 7.00 = 0.4200).
                            let p = EDGES[rng.below(EDGES.len() as u64) as usize];
                            let b = Decimal::new(base, 2);
                            Some(Value::Num(b * Decimal::new(p, 2)))
                        }
                        90..=92 => Some(Value::Num(Decimal::new(rng.below(10_000) as i64, 3))),
                        93..=94 => Some(Value::Num(-Decimal::from(rng.below(1000) as i64))),
                        95 => Some(Value::Unknown),
                        96 => Some(Value::Undefined("分母为零")),
                        97 => Some(Value::Num(Decimal::from(rng.next() >> 8))),
                        98 => Some(Value::Num(Decimal::new(rng.next() as i64 >> 1, 7))),
                        _ => Some(Value::Num(Decimal::from(base))),
                    }
                };
                cols[i].push(v);
            }
        }
        cols
    }

    fn output_slots(plan: &Plan) -> Vec<usize> {
        plan.steps
            .iter()
            .filter(|s| {
                s.def.pool || matches!(s.def.kind, RuleKind::Output(_) | RuleKind::Condition(_))
            })
            .map(|s| s.slot as usize)
            .collect()
    }

    /// Compare with the exact scalar path, representation included (`Debug` shows the scale).
    fn check(plan: &Plan, cols: &[Vec<Option<Value>>], wanted: &[usize]) -> ColumnResults {
        let fast = plan.evaluate_columns(cols, wanted);
        let exact = plan.evaluate_batch(cols);
        assert_eq!(fast.len(), exact.len());
        assert_eq!(fast.slots, wanted);
        for (row, ev) in exact.iter().enumerate() {
            for (k, w) in wanted.iter().enumerate() {
                let (f, x) = (fast.get(k, row).unwrap(), &ev.values[*w]);
                assert_eq!(
                    format!("{f:?}"),
                    format!("{x:?}"),
                    "{} row {row} slot {} ({})",
                    plan.pack_id,
                    w,
                    plan.slots[*w].name
                );
            }
        }
        // Recorded bands equal the exact evaluation's.
        for (k, w) in wanted.iter().enumerate() {
            if let crate::eval::SlotKind::Rule(si) = plan.slots[*w].kind
                && !fast.bands[k].is_empty()
            {
                for (row, ev) in exact.iter().enumerate() {
                    assert_eq!(fast.band(k, row), Some(ev.aux[si]), "row {row} slot {w}");
                }
            }
        }
        // The scalar path on a single entity agrees too.
        for row in (0..exact.len()).step_by(97) {
            let ev = plan.evaluate(&Entity {
                values: cols.iter().map(|c| c[row].clone()).collect(),
            });
            for (k, w) in wanted.iter().enumerate() {
                assert_eq!(fast.get(k, row), Some(&ev.values[*w]));
            }
        }
        fast
    }

    /// Every official pack, tech-sme also under its 2017 rules.
    const PACK_YEARS: [(&str, i32); 7] = [
        ("tech-sme", 2024),
        ("tech-sme", 2019),
        ("hnte", 2024),
        ("innovative-sme", 2024),
        ("zjtx-sme", 2024),
        ("rd-deduction", 2024),
        ("rewards", 2024),
    ];

    #[test]
    fn fast_path_equals_exact_path_on_random_and_edge_rows() {
        for (id, year) in PACK_YEARS {
            let plan = crate::official(id).unwrap().unwrap().compile(year).unwrap();
            let cols = columns(&plan, 20_000, 7 + year as u64);
            let wanted = output_slots(&plan);
            assert!(!wanted.is_empty());
            let fast = check(&plan, &cols, &wanted);
            // The fast path must carry most rows; the exact path only a minority.
            assert!(
                fast.exact_rows < fast.len() * 9 / 10,
                "{id}: {} of {} rows took the exact path",
                fast.exact_rows,
                fast.len()
            );
            // Every slot (ratios included, which mostly take the exact path).
            let all: Vec<usize> = (0..plan.slots.len()).collect();
            check(&plan, &cols[..], &all);
        }
    }

    #[test]
    fn fast_path_is_used_for_ordinary_integer_rows() {
        let plan = crate::official("tech-sme")
            .unwrap()
            .unwrap()
            .compile(2024)
            .unwrap();
        let inputs = plan.inputs();
        let n = 5000;
        let mut rng = Rng(1);
        let mut cols: Vec<Vec<Option<Value>>> = vec![Vec::new(); inputs.len()];
        for _ in 0..n {
            for (i, (name, _)) in inputs.iter().enumerate() {
                let v = match name.as_str() {
                    "employees" => Some(Value::Num(Decimal::from(5 + rng.below(600) as i64))),
                    "tech_staff" => Some(Value::Num(Decimal::from(rng.below(200) as i64))),
                    "revenue" | "total_assets" => Some(Value::Num(Decimal::from(
                        1_000_000 + rng.below(300_000_000) as i64,
                    ))),
                    "rd_expense" => Some(Value::Num(Decimal::from(rng.below(20_000_000) as i64))),
                    "ip_class1" | "ip_class2" => {
                        Some(Value::Num(Decimal::from(rng.below(5) as i64)))
                    }
                    "serious_violation" => Some(Value::Bool(rng.below(50) == 0)),
                    _ => None,
                };
                cols[i].push(v);
            }
        }
        let wanted = [plan.slot("qualified").unwrap(), plan.slot("score").unwrap()];
        let fast = check(&plan, &cols, &wanted);
        assert!(fast.exact_rows * 50 < n, "{} exact rows", fast.exact_rows);
        // Inputs reported for no row as `Column::Absent` (scalars in the fast path) and whole
        // numbers as `Column::Ints`: the same results, bands included.
        let ints: Vec<Option<Vec<Option<i64>>>> = cols
            .iter()
            .map(|c| {
                c.iter()
                    .map(|v| match v {
                        Some(Value::Num(d)) => Some(Some(i64::try_from(*d).ok()?)),
                        None => Some(None),
                        _ => None,
                    })
                    .collect()
            })
            .collect();
        let typed: Vec<Column> = cols
            .iter()
            .zip(&ints)
            .map(|(c, i)| {
                if c.iter().all(Option::is_none) {
                    Column::Absent
                } else if let Some(i) = i {
                    Column::Ints(i)
                } else {
                    Column::Values(c)
                }
            })
            .collect();
        assert!(typed.iter().any(|c| matches!(c, Column::Absent)));
        let mut all: Vec<usize> = (0..plan.slots.len()).collect();
        all.extend(&wanted);
        let t = plan.evaluate_typed(&typed, &all);
        let v = plan.evaluate_columns(&cols, &all);
        assert_eq!(format!("{:?}", t.values), format!("{:?}", v.values));
        assert_eq!(t.bands, v.bands);
        let exact = plan.evaluate_batch(&cols);
        for (row, ev) in exact.iter().enumerate() {
            for (k, w) in all.iter().enumerate() {
                assert_eq!(t.get(k, row), Some(&ev.values[*w]), "row {row} slot {w}");
            }
        }
    }

    #[test]
    fn integer_ratios_at_band_edges_are_decided_exactly_without_the_exact_path() {
        let pack = crate::Pack::parse("synth.policy", SYNTH).unwrap();
        for plan in [
            crate::official("tech-sme")
                .unwrap()
                .unwrap()
                .compile(2024)
                .unwrap(),
            pack.compile(2024).unwrap(),
        ] {
            let inputs = plan.inputs();
            let mut rng = Rng(5);
            let n = 20_000;
            let mut cols: Vec<Vec<Option<Value>>> = vec![Vec::new(); inputs.len()];
            for _ in 0..n {
                // Every number of a row is a whole multiple of an edge percentage of one base,
                // so ratios land exactly on band edges; zeros and negatives included.
                let base = match rng.below(3) {
                    0 => 100 * rng.below(8) as i64,
                    1 => 100 * (1 + rng.below(1000) as i64),
                    _ => -100 * (1 + rng.below(50) as i64),
                };
                for (i, _) in inputs.iter().enumerate() {
                    let v = if plan.input_is_flag(i) {
                        Value::Bool(rng.below(3) == 0)
                    } else {
                        let p = EDGES[rng.below(EDGES.len() as u64) as usize];
                        Value::Num(Decimal::from(base * p / 100 + rng.below(2) as i64))
                    };
                    cols[i].push(Some(v));
                }
            }
            let scales: Vec<usize> = plan
                .steps
                .iter()
                .filter(|s| matches!(s.def.kind, RuleKind::Scale { .. } | RuleKind::Table { .. }))
                .map(|s| s.slot as usize)
                .collect();
            let fast = check(&plan, &cols, &scales);
            if plan.pack_id == "tech-sme" {
                assert_eq!(fast.exact_rows, 0, "band edges of integer ratios are exact");
            }
            let mut wanted = output_slots(&plan);
            wanted.extend(&scales);
            check(&plan, &cols, &wanted);
        }
    }

    fn one(plan: &Plan, data: &[(&str, i32, Value)], wanted: &str) -> (Value, usize) {
        let cols: Vec<Vec<Option<Value>>> = plan
            .inputs()
            .iter()
            .map(|(n, o)| {
                vec![
                    data.iter()
                        .find(|(dn, dof, _)| dn == n && dof == o)
                        .map(|(_, _, v)| v.clone()),
                ]
            })
            .collect();
        let r = plan.evaluate_columns(&cols, &[plan.slot(wanted).unwrap()]);
        (r.get(0, 0).unwrap().clone(), r.exact_rows)
    }

    fn num(s: &str) -> Value {
        Value::Num(s.parse().unwrap())
    }

    #[test]
    fn rd_ratio_of_exactly_six_percent_scores_50() {
        let plan = crate::official("tech-sme")
            .unwrap()
            .unwrap()
            .compile(2024)
            .unwrap();
        for (rd, revenue) in [
            ("600000", "10000000"),
            ("3", "50"),
            ("0.42", "7"),
            ("0.042", "0.7"),
            ("6000000.06", "100000001"),
            ("1.8", "30"),
        ] {
            let base = [
                ("employees", 0, num("50")),
                ("tech_staff", 0, num("12")),
                ("revenue", 0, num(revenue)),
                ("total_assets", 0, num("8000000")),
                ("rd_expense", 0, num(rd)),
                ("ip_class1", 0, num("0")),
                ("ip_class2", 0, num("3")),
                ("serious_violation", 0, Value::Bool(false)),
            ];
            let (points, _) = one(&plan, &base, "rd_sales_points");
            assert_eq!(points, num("50"), "{rd} / {revenue}");
            // 12 (staff 24%) + 50 + 18 = 80.
            let (score, _) = one(&plan, &base, "score");
            assert_eq!(score, num("80"), "{rd} / {revenue}");
        }
        // Just below 6% scores 40.
        let below = [
            ("employees", 0, num("50")),
            ("tech_staff", 0, num("12")),
            ("revenue", 0, num("100000000")),
            ("total_assets", 0, num("8000000")),
            ("rd_expense", 0, num("5999999.99")),
            ("ip_class1", 0, num("0")),
            ("ip_class2", 0, num("3")),
            ("serious_violation", 0, Value::Bool(false)),
        ];
        assert_eq!(one(&plan, &below, "rd_sales_points").0, num("40"));
    }

    #[test]
    fn growth_of_exactly_fifteen_percent_scores_20_although_f64_says_otherwise() {
        // In binary floating point 115/100 − 1 < 0.15: a naive evaluator would give 15 points.
        let (now, before) = (
            std::hint::black_box(115.0f64),
            std::hint::black_box(100.0f64),
        );
        assert!(now / before - 1.0 < 0.15);
        let plan = crate::official("innovative-sme")
            .unwrap()
            .unwrap()
            .compile(2024)
            .unwrap();
        let data = [
            ("main_revenue", 0, num("115")),
            ("main_revenue", -1, num("100")),
        ];
        let (points, exact_rows) = one(&plan, &data, "growth_points");
        assert_eq!(points, num("20"));
        assert_eq!(exact_rows, 1, "the edge must be decided by the exact path");
    }

    #[test]
    fn zero_denominators_missing_inputs_and_flags_keep_their_meaning() {
        let plan = crate::official("tech-sme")
            .unwrap()
            .unwrap()
            .compile(2024)
            .unwrap();
        // No employees: the staff ratio cannot exist, the scale gives 0 points.
        let data = [
            ("employees", 0, num("0")),
            ("tech_staff", 0, num("0")),
            ("revenue", 0, num("0")),
            ("total_assets", 0, num("100")),
            ("rd_expense", 0, num("0")),
            ("ip_class1", 0, num("1")),
            ("ip_class2", 0, num("0")),
            ("serious_violation", 0, Value::Bool(false)),
        ];
        assert_eq!(one(&plan, &data, "score"), (num("30"), 0));
        assert_eq!(one(&plan, &data, "qualified"), (Value::Bool(false), 0));
        // A missing input stays missing, with the slot that was missing.
        let (v, _) = one(&plan, &data[1..], "size_ok");
        assert_eq!(v, Value::Missing(plan.slot("employees").unwrap() as u32));
        // One false condition decides despite missing inputs (Kleene logic).
        let mut d2 = data[1..].to_vec();
        d2.retain(|(n, _, _)| *n != "serious_violation");
        d2.push(("total_assets", 0, num("300000000")));
        d2.retain(|(n, _, v)| *n != "total_assets" || *v == num("300000000"));
        assert_eq!(one(&plan, &d2, "qualified").0, Value::Bool(false));
    }

    const SYNTH: &str = "pack synth
name 合成测试
valid 2020-01-01..
input a number 甲 optional
input b number 乙 optional
input c number 丙 optional
input f flag 丁 optional
input g flag 戊 default false
param k 系数
  2020-01-01.. 0.5
output neg 负 = -(a - b) + -(c * 0)
output fl 取整 = floor(a / 2) + floor(c / b) + floor(-a)
output mn 极值 = min(a, b, c) + max(a * k, c, 1)
output mb 极值标志 = min(a, f)
output sp 求和 = sum_present(a, b@-1, c)
output sf 求和标志 = sum_present(a, f)
output cp 计数 = count_present(a, b, f)
output q 商 = a / (b - c)
output q2 商二 = a / (b / c - 1)
condition eq 等 = a == b or b != c and not f
condition lt 小于 = a < c or is_true(f) and is_false(g)
condition bt 类型 = (a and f) or (f == g) or (a + f > 1)
output iff 条件 = if f then a else if present(c) then c * 2 else unknown
output ifu 条件二 = if a then b else if a / b then c else 1
scale s 档 of a / b
  > 1 -> 3
  >= 50% -> 2
  > 0 -> 1
  else -> 0
table t 表
  when f -> a
  when c > 3 -> 7
  when a / c >= 1 -> 8
  else -> b
output tot 总 = s + t
";

    #[test]
    fn every_operator_agrees_with_the_exact_path() {
        let pack = crate::Pack::parse("synth.policy", SYNTH).unwrap();
        let plan = pack.compile(2024).unwrap();
        let inputs = plan.inputs();
        let mut rng = Rng(99);
        let n = 30_000;
        let mut cols: Vec<Vec<Option<Value>>> = vec![Vec::new(); inputs.len()];
        let smalls = [
            "0",
            "1",
            "2",
            "3",
            "-1",
            "-2",
            "0.5",
            "1.5",
            "2.00",
            "-0.5",
            "4",
            "0.3",
            "0.1",
            "0.2",
            "3.0000000001",
        ];
        for _ in 0..n {
            for (i, _) in inputs.iter().enumerate() {
                let v = if plan.input_is_flag(i) {
                    match rng.below(4) {
                        0 => None,
                        1 => Some(Value::Bool(true)),
                        2 => Some(Value::Unknown),
                        _ => Some(Value::Bool(false)),
                    }
                } else {
                    match rng.below(20) {
                        0 => None,
                        1 => Some(Value::Unknown),
                        2 => Some(Value::Bool(true)),
                        3 => Some(Value::Undefined("分母为零")),
                        4 => Some(Value::Num(Decimal::new(
                            rng.next() as i64 >> 10,
                            rng.below(12) as u32,
                        ))),
                        _ => Some(num(smalls[rng.below(smalls.len() as u64) as usize])),
                    }
                };
                cols[i].push(v);
            }
        }
        let all: Vec<usize> = (0..plan.slots.len()).collect();
        check(&plan, &cols, &all);
        let fast = check(&plan, &cols, &output_slots(&plan));
        assert!(fast.exact_rows < n, "{}", fast.exact_rows);
    }

    /// Integer-only packs' rules in the typed path: arithmetic, `min`/`max`/`floor`, `if`,
    /// flags, comparisons with non-integral constants, `count_present`/`present` of an input
    /// reported for no row, scales of whole numbers and of ratios (strict edges), tables with
    /// number and flag values.
    const SYNTH_INT: &str = "pack synthint
name 整数合成
valid 2020-01-01..
input a number 甲
input b number 乙
input c number 丙 optional
input f flag 丁
input g flag 戊 default false
input h number 己 optional
param k 系数
  2020-01-01.. 3
param half 半
  2020-01-01.. 2.5
output ar 算术 = (a - b) * k + c
output ng 负 = -(a * 2 + 1) + 1
output mm 极值 = min(a, b, 7) + max(c, -3) + floor(a)
condition cmp1 比较 = a >= half or b < -half or c == half or c != 2.5 and a <= 4.5
condition c2 条件 = (a == b or b != c) and not f and is_false(g) or is_true(f) and f != g
output iff 选择 = if f then a else b * 2
condition fl 标志选择 = if a > b then f else g
output cnt 计数 = count_present(a, h) + (if present(h) then 1 else 0)
scale s1 整数档 of a
  > 2.5 -> 3
  >= -1 -> 2
  else -> 1
scale s2 比例档 of a / b
  > 1 -> 3
  >= 50% -> 2
  > 0 -> 1
  else -> 0
scale s3 严格 of c / b
  > 20% -> 2
  >= 10% -> 1
  else -> 0
table t 表
  when f -> a
  when c > 3 -> 7
  when b >= 2 -> b
  else -> 0
table tf 标志表
  when a > 0 -> f
  else -> g
table big 长表
  when a >= 100 -> 9
  when b < -3 -> 8
  when c != 0 and not f -> 7
  when a == 5 -> 6
  when b <= 2 or g -> 5
  when c > 1000 -> 4
  when a < 0 -> 3
  when f -> 2
  when b >= 10 -> 1
  else -> 0
output tot 总 = s1 + s2 + s3 + t + big
";

    /// Whole-number and flag rows as typed columns (an input with no value in any row is
    /// `Column::Absent`), and the same rows as `Value`s.
    type IntRows = (
        Vec<Vec<Option<i64>>>,
        Vec<Vec<Option<bool>>>,
        Vec<Vec<Option<Value>>>,
    );

    fn int_rows(plan: &Plan, n: usize, seed: u64, missing_every: Option<u64>) -> IntRows {
        let inputs = plan.inputs();
        let mut rng = Rng(seed);
        let mut ints = vec![Vec::new(); inputs.len()];
        let mut flags = vec![Vec::new(); inputs.len()];
        let mut values = vec![Vec::new(); inputs.len()];
        for row in 0..n as u64 {
            // Every number of a row is a whole multiple of an edge percentage of one base, so
            // ratios land exactly on band edges; zeros, negatives and beyond 2^53 included.
            let base = match rng.below(6) {
                0 => 100 * rng.below(8) as i64,
                1 | 2 => 100 * (1 + rng.below(1000) as i64),
                3 => 1_000_000 * (1 + rng.below(300) as i64),
                4 => -100 * (1 + rng.below(50) as i64),
                _ => rng.below(12) as i64,
            };
            for (i, (name, _)) in inputs.iter().enumerate() {
                let gone = missing_every.is_some_and(|m| (row * 7 + i as u64).is_multiple_of(m));
                if plan.input_is_flag(i) {
                    let v = (!gone).then(|| rng.below(3) == 0);
                    flags[i].push(v);
                    values[i].push(v.map(Value::Bool));
                } else {
                    let p = EDGES[rng.below(EDGES.len() as u64) as usize];
                    let mut x = base * p / 100 + rng.below(2) as i64;
                    if rng.below(500) == 0 {
                        x = (1 << 53) + rng.below(1 << 20) as i64;
                    }
                    if name == "founded_year" {
                        x = 2015 + rng.below(12) as i64;
                    }
                    let v = (!gone).then_some(x);
                    ints[i].push(v);
                    values[i].push(v.map(|x| Value::Num(Decimal::from(x))));
                }
            }
        }
        (ints, flags, values)
    }

    fn typed_columns<'a>(plan: &Plan, rows: &'a IntRows, absent: &[&str]) -> Vec<Column<'a>> {
        let inputs = plan.inputs();
        (0..inputs.len())
            .map(|i| {
                if absent.contains(&inputs[i].0.as_str()) {
                    Column::Absent
                } else if plan.input_is_flag(i) {
                    Column::Flags(&rows.1[i])
                } else {
                    Column::Ints(&rows.0[i])
                }
            })
            .collect()
    }

    /// The typed path (typed columns and `Value` columns) against the exact path, values
    /// (representation included) and bands; returns the typed columns' results.
    fn check_typed(
        plan: &Plan,
        rows: &IntRows,
        absent: &[&str],
        wanted: &[usize],
    ) -> ColumnResults {
        let typed = typed_columns(plan, rows, absent);
        let values: Vec<Vec<Option<Value>>> = rows
            .2
            .iter()
            .zip(&typed)
            .map(|(v, c)| match c {
                Column::Absent => vec![None; v.len()],
                _ => v.clone(),
            })
            .collect();
        let exact = plan.evaluate_batch(&values);
        let fast = plan.evaluate_typed(&typed, wanted);
        let via_values = plan.evaluate_columns(&values, wanted);
        // Compact results (plain integers for the typed rows), into reused memory.
        let mut compact = ColumnResults::default();
        plan.evaluate_typed_compact_into(&typed, wanted, &[], &mut compact);
        plan.evaluate_typed_compact_into(&typed, wanted, &[], &mut compact);
        assert_eq!(compact.bands, fast.bands);
        assert_eq!(compact.fallback_rows, fast.fallback_rows);
        assert_eq!(compact.len(), exact.len());
        assert_eq!(fast.len(), exact.len());
        for (row, ev) in exact.iter().enumerate() {
            for (k, w) in wanted.iter().enumerate() {
                let x = format!("{:?}", ev.values[*w]);
                let ctx = || format!("{} row {row} slot {}", plan.pack_id, plan.slots[*w].name);
                assert_eq!(format!("{:?}", fast.get(k, row).unwrap()), x, "{}", ctx());
                match (compact.int(k, row), &ev.values[*w]) {
                    (Some(i), Value::Num(d)) => {
                        assert_eq!(
                            format!("{:?}", Value::Num(Decimal::from(i))),
                            x,
                            "{}",
                            ctx()
                        );
                        assert_eq!(Decimal::from(i), *d);
                    }
                    (Some(i), Value::Bool(b)) => assert_eq!(i, i64::from(*b), "{}", ctx()),
                    (Some(i), v) => panic!("{}: int {i} for {v:?}", ctx()),
                    (None, _) => {
                        assert_eq!(
                            format!("{:?}", compact.get(k, row).unwrap()),
                            x,
                            "{}",
                            ctx()
                        );
                    }
                }
                assert_eq!(
                    format!("{:?}", via_values.get(k, row).unwrap()),
                    x,
                    "{}",
                    ctx()
                );
                if let SlotKind::Rule(si) = plan.slots[*w].kind
                    && !fast.bands[k].is_empty()
                {
                    assert_eq!(fast.band(k, row), Some(ev.aux[si]), "{} band", ctx());
                    assert_eq!(via_values.band(k, row), Some(ev.aux[si]), "{} band", ctx());
                }
            }
        }
        fast
    }

    fn scales_and_outputs(plan: &Plan) -> Vec<usize> {
        let mut wanted = output_slots(plan);
        wanted.extend(
            plan.steps
                .iter()
                .filter(|s| matches!(s.def.kind, RuleKind::Scale { .. } | RuleKind::Table { .. }))
                .map(|s| s.slot as usize),
        );
        wanted
    }

    #[test]
    fn typed_path_equals_exact_path_on_integer_rows() {
        let synth = crate::Pack::parse("synthint.policy", SYNTH_INT)
            .unwrap()
            .compile(2024)
            .unwrap();
        let wanted = scales_and_outputs(&synth);
        let one = int_rows(&synth, 1, 1, None);
        let typed = typed_columns(&synth, &one, &["h"]);
        assert!(
            synth.typed_prog(&typed, &wanted).is_some(),
            "the integer pack is covered by the typed path"
        );
        let rows = int_rows(&synth, 30_000, 3, None);
        let r = check_typed(&synth, &rows, &["h"], &wanted);
        // Only rows beyond 2^53 or with a possibly negative zero leave the typed path.
        assert!(
            r.fallback_rows < r.len() / 4,
            "{} fallback rows",
            r.fallback_rows
        );
        // Every slot.
        let all: Vec<usize> = (0..synth.slots.len()).collect();
        check_typed(&synth, &rows, &["h"], &all);
        for (id, year) in PACK_YEARS {
            let plan = crate::official(id).unwrap().unwrap().compile(year).unwrap();
            let rows = int_rows(&plan, 20_000, 11 + year as u64, None);
            let wanted = scales_and_outputs(&plan);
            // With and without the optional inputs reported.
            for absent in [&[][..], &["total_cost", "hte_valid", "founded_year"][..]] {
                let r = check_typed(&plan, &rows, absent, &wanted);
                if id == "tech-sme" {
                    assert!(
                        plan.typed_prog(&typed_columns(&plan, &rows, absent), &wanted)
                            .is_some()
                    );
                    // Only the rows beyond 2^53 are left to the other paths.
                    assert!(r.fallback_rows * 50 < r.len(), "{}", r.fallback_rows);
                }
            }
        }
    }

    #[test]
    fn typed_path_reports_missing_inputs_per_entity() {
        let plan = crate::official("tech-sme")
            .unwrap()
            .unwrap()
            .compile(2024)
            .unwrap();
        let wanted = scales_and_outputs(&plan);
        // A few missing values per chunk (re-evaluated one by one), then many (the general
        // columnar path for the chunk).
        for every in [997, 5] {
            let rows = int_rows(&plan, 10_000, 17, Some(every));
            let r = check_typed(&plan, &rows, &["total_cost"], &wanted);
            assert!(r.fallback_rows > 0);
            let q = wanted
                .iter()
                .position(|w| *w == plan.slot("size_ok").unwrap())
                .unwrap();
            let employees = plan.slot("employees").unwrap() as u32;
            let missing = (0..r.len())
                .filter(|row| r.get(q, *row) == Some(&Value::Missing(employees)))
                .count();
            assert!(missing > 0, "a missing input stays missing, per entity");
        }
    }

    #[test]
    fn typed_path_decides_band_edges_exactly() {
        let plan = crate::official("tech-sme")
            .unwrap()
            .unwrap()
            .compile(2024)
            .unwrap();
        let inputs = plan.inputs();
        // R&D exactly 6%, just below, staff exactly 10%, zero revenue and zero employees.
        let cases: [(i64, i64, i64, i64, i64); 5] = [
            (600_000, 10_000_000, 50, 12, 80),
            (599_999, 10_000_000, 50, 12, 70),
            (600_000, 10_000_000, 50, 5, 72),
            (600_000, 0, 50, 12, 30),
            (600_000, 10_000_000, 0, 0, 68),
        ];
        let mut ints = vec![Vec::new(); inputs.len()];
        let mut flags = vec![Vec::new(); inputs.len()];
        for (rd, revenue, employees, tech, _) in cases {
            for (i, (name, _)) in inputs.iter().enumerate() {
                let v = match name.as_str() {
                    "rd_expense" => rd,
                    "revenue" => revenue,
                    "employees" => employees,
                    "tech_staff" => tech,
                    "total_assets" => 8_000_000,
                    "ip_class2" => 3,
                    _ => 0,
                };
                ints[i].push(Some(v));
                flags[i].push(Some(false));
            }
        }
        let cols: Vec<Column> = (0..inputs.len())
            .map(|i| match inputs[i].0.as_str() {
                "total_cost" => Column::Absent,
                _ if plan.input_is_flag(i) => Column::Flags(&flags[i]),
                _ => Column::Ints(&ints[i]),
            })
            .collect();
        let score = plan.slot("score").unwrap();
        let r = plan.evaluate_typed(&cols, &[score, plan.slot("rd_sales_points").unwrap()]);
        assert_eq!((r.exact_rows, r.fallback_rows), (0, 0));
        for (row, case) in cases.iter().enumerate() {
            assert_eq!(
                r.get(0, row),
                Some(&Value::Num(Decimal::from(case.4))),
                "{case:?}"
            );
        }
        // Bands only (for explanations), without the scales' values: the same bands.
        let mut e = ColumnResults::default();
        let rd = plan.slot("rd_sales_points").unwrap();
        plan.evaluate_typed_explained_into(&cols, &[score], &[rd], &mut e);
        assert_eq!(
            (e.slots.clone(), e.len(), e.values.len()),
            (vec![score, rd], 5, 1)
        );
        assert_eq!(e.bands[1], r.bands[1]);
        assert_eq!(e.values[0], r.values[0]);
        assert_eq!(e.get(1, 0), None);
        plan.evaluate_typed_explained_into(&cols, &[], &[rd], &mut e);
        assert_eq!((e.len(), &e.bands[0]), (5, &r.bands[1]));
        assert_eq!(r.band(1, 0), Some(0), "6% is the first band (50 points)");
        assert_eq!(r.band(1, 1), Some(1));
        assert_eq!(r.band(1, 3), Some(-1), "zero revenue: the lowest band");
    }

    #[test]
    fn kernels_mark_what_they_cannot_decide() {
        let exact = |v: f64| V { v, e: 0.0, t: NUM };
        let loose = |v: f64, e: f64| V {
            v,
            e,
            t: NUM | LOOSE,
        };
        let mut m = false;
        // Exactly zero divisor: undefined, decided.
        assert_eq!(div(exact(1.0), exact(0.0), &mut m).kind(), UNDEF);
        assert!(!m);
        // A divisor that may be zero, or is tiny: the exact path decides.
        div(exact(1.0), loose(0.0, 1e-16), &mut m);
        assert!(m);
        m = false;
        div(exact(1.0), loose(1e-12, 1e-20), &mut m);
        assert!(m);
        m = false;
        div(exact(1.0), exact(1e-10), &mut m);
        assert!(m);
        // Floor near an integer.
        m = false;
        floor(loose(2.0 - 1e-15, 1e-14), &mut m);
        assert!(m);
        m = false;
        assert_eq!(floor(loose(2.5, 1e-14), &mut m).v, 2.0);
        assert!(!m);
        // Comparisons: exact integers are decided; near-equal inexact values are not.
        m = false;
        binary(BinOp::Ge, exact(5.0), exact(5.0), &mut m);
        assert!(!m);
        binary(BinOp::Ge, loose(0.06, 1e-17), loose(0.06, 1e-17), &mut m);
        assert!(m);
        m = false;
        binary(
            BinOp::Lt,
            loose(0.06 + 1e-10, 1e-17),
            loose(0.06, 1e-17),
            &mut m,
        );
        assert!(m, "within 1e-9 relative");
        // Huge values may overflow decimals.
        m = false;
        add(exact(9e26), exact(9e26), false, &mut m);
        assert!(m);
        // Only exact integers with scale 0 come back without the exact path.
        assert_eq!(to_value(exact(7.0)), Some(Value::Num(Decimal::from(7))));
        assert_eq!(to_value(loose(7.0, 0.0)), None);
        assert_eq!(to_value(loose(7.0, 1e-15)), None);
        assert_eq!(
            to_value(V {
                v: 7.0,
                e: 1e-15,
                t: NUM
            }),
            None
        );
        assert_eq!(
            to_value(from_decimal(-Decimal::ZERO)),
            None,
            "a negative zero is not rebuilt"
        );
        assert_eq!(to_value(from_decimal(Decimal::new(500, 2))), None);
    }
}
