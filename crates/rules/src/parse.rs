//! The policy-pack language: a line-based text format. Top-level lines declare things;
//! indented lines belong to the declaration above them. `#` starts a comment.

use rust_decimal::Decimal;
use std::collections::{BTreeMap, HashMap, HashSet};

/// A pack that could not be loaded: which file, which line, and why (in Chinese).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}:{line}: {message}")]
pub struct PackError {
    pub file: String,
    pub line: usize,
    pub message: String,
}

/// A validity period, inclusive, as `yyyymmdd` numbers. A rule applies to year Y when it is in
/// force on 31 December of Y.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    pub from: u32,
    pub to: Option<u32>,
}

impl Period {
    pub const ALWAYS: Period = Period { from: 0, to: None };

    pub fn contains_year(self, year: i32) -> bool {
        // Wide arithmetic: any year a caller sends (schemathesis sent 429497) is an answer, not
        // an overflow.
        let d = i64::from(year.max(0)) * 10_000 + 1231;
        i64::from(self.from) <= d && self.to.is_none_or(|t| d <= i64::from(t))
    }

    fn overlaps(self, other: Period) -> bool {
        let a_to = self.to.unwrap_or(u32::MAX);
        let b_to = other.to.unwrap_or(u32::MAX);
        self.from <= b_to && other.from <= a_to
    }

    pub fn describe(self) -> String {
        let d = |x: u32| format!("{}-{:02}-{:02}", x / 10_000, x / 100 % 100, x % 100);
        match (self.from, self.to) {
            (0, None) => "长期有效".into(),
            (f, None) => format!("{}起", d(f)),
            (0, Some(t)) => format!("至{}", d(t)),
            (f, Some(t)) => format!("{}至{}", d(f), d(t)),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputKind {
    Count,
    Money,
    Ratio,
    Flag,
    Number,
}

#[derive(Debug, Clone)]
pub struct InputDef {
    pub name: String,
    pub kind: InputKind,
    pub label: String,
    pub optional: bool,
    /// The value used when the input is not reported (declared with `default`).
    pub default: Option<Expr>,
    pub line: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BinOp {
    Add,
    Sub,
    Mul,
    Div,
    Ge,
    Gt,
    Le,
    Lt,
    Eq,
    Ne,
    And,
    Or,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    Num(Decimal),
    Bool(bool),
    Unknown,
    Year,
    Var { name: String, offset: i32 },
    Neg(Box<Expr>),
    Not(Box<Expr>),
    Bin(BinOp, Box<Expr>, Box<Expr>),
    If(Box<Expr>, Box<Expr>, Box<Expr>),
    Call(String, Vec<Expr>),
}

impl Expr {
    /// Names this expression reads, with their year offsets.
    pub fn vars(&self, out: &mut Vec<(String, i32)>) {
        match self {
            Expr::Var { name, offset } => out.push((name.clone(), *offset)),
            Expr::Neg(e) | Expr::Not(e) => e.vars(out),
            Expr::Bin(_, a, b) => {
                a.vars(out);
                b.vars(out);
            }
            Expr::If(a, b, c) => {
                a.vars(out);
                b.vars(out);
                c.vars(out);
            }
            Expr::Call(_, args) => args.iter().for_each(|a| a.vars(out)),
            Expr::Num(_) | Expr::Bool(_) | Expr::Unknown | Expr::Year => {}
        }
    }
}

/// One band of a point scale: `>= bound -> points`.
#[derive(Debug, Clone)]
pub struct Band {
    pub strict: bool,
    pub bound: Decimal,
    pub points: Decimal,
    pub label: Option<String>,
}

#[derive(Debug, Clone)]
pub enum RuleKind {
    Let(Expr),
    Condition(Expr),
    Output(Expr),
    Scale {
        of: Expr,
        bands: Vec<Band>,
        otherwise: Decimal,
    },
    Table {
        rows: Vec<(Expr, Expr, Option<String>)>,
        otherwise: Expr,
    },
}

/// How a value is shown in explanations.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Show {
    Plain,
    Percent,
    Money,
    Points,
}

#[derive(Debug, Clone)]
pub struct RuleDef {
    pub name: String,
    pub label: String,
    pub kind: RuleKind,
    pub source: Option<String>,
    pub valid: Period,
    pub show: Show,
    /// A cultivation pool (培育库): a condition whose true cases are listed as pool members.
    pub pool: bool,
    pub line: usize,
}

#[derive(Debug, Clone)]
pub struct ParamDef {
    pub name: String,
    pub label: String,
    pub show: Show,
    pub values: Vec<(Period, Decimal, usize)>,
    pub line: usize,
}

/// An input the enterprise can change, for gap analysis.
#[derive(Debug, Clone)]
pub struct Adjust {
    pub input: String,
    pub step: Decimal,
    pub max: Option<Expr>,
    pub unit: String,
    pub line: usize,
}

/// How reward items combine: per entity and `group` value, only the items of the highest
/// `rank` count, and of those only one (the largest `amount`).
#[derive(Debug, Clone)]
pub struct Entitle {
    pub group: String,
    pub rank: String,
    pub amount: String,
    pub line: usize,
}

/// A loaded, checked policy pack.
#[derive(Debug, Clone)]
pub struct Pack {
    pub id: String,
    pub name: String,
    pub source: String,
    pub file: String,
    pub valid: Period,
    pub inputs: Vec<InputDef>,
    pub params: Vec<ParamDef>,
    pub rules: Vec<RuleDef>,
    pub goal: Option<String>,
    pub adjusts: Vec<Adjust>,
    /// For reward packs: how items combine into an entitlement (`entitle group … rank … amount …`).
    pub entitle: Option<Entitle>,
    /// Rule names in dependency order.
    pub(crate) order: Vec<String>,
}

fn err(file: &str, line: usize, message: impl Into<String>) -> PackError {
    PackError {
        file: file.to_owned(),
        line,
        message: message.into(),
    }
}

/// A number literal: `12`, `0.5`, `30%`, `2亿`, `5000万`, `-3`.
pub fn parse_number(s: &str) -> Option<Decimal> {
    let t = s.trim();
    let (body, mult) = if let Some(b) = t.strip_suffix('%') {
        (b, Decimal::new(1, 2))
    } else if let Some(b) = t.strip_suffix('万') {
        (b, Decimal::from(10_000))
    } else if let Some(b) = t.strip_suffix('亿') {
        (b, Decimal::from(100_000_000))
    } else {
        (t, Decimal::ONE)
    };
    let body = body.replace('_', "");
    if body.is_empty()
        || !body
            .bytes()
            .all(|b| b.is_ascii_digit() || b == b'.' || b == b'-')
    {
        return None;
    }
    body.parse::<Decimal>()
        .ok()
        .and_then(|d| d.checked_mul(mult))
        .map(|d| d.normalize())
}

fn parse_date(s: &str) -> Option<u32> {
    let p: Vec<&str> = s.split('-').collect();
    if p.len() != 3 {
        return None;
    }
    let (y, m, d): (u32, u32, u32) = (p[0].parse().ok()?, p[1].parse().ok()?, p[2].parse().ok()?);
    ((1900..=2200).contains(&y) && (1..=12).contains(&m) && (1..=31).contains(&d))
        .then_some(y * 10_000 + m * 100 + d)
}

fn parse_period(s: &str) -> Option<Period> {
    let (a, b) = s.split_once("..")?;
    let from = if a.is_empty() { 0 } else { parse_date(a)? };
    let to = if b.is_empty() {
        None
    } else {
        Some(parse_date(b)?)
    };
    (to.is_none_or(|t| t >= from)).then_some(Period { from, to })
}

// ---------------------------------------------------------------- expressions

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Num(Decimal),
    Ident(String),
    At(i32),
    Op(&'static str),
}

fn lex(s: &str) -> Result<Vec<Tok>, String> {
    let cs: Vec<char> = s.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < cs.len() {
        let c = cs[i];
        if c.is_whitespace() {
            i += 1;
        } else if c.is_ascii_digit() {
            let st = i;
            while i < cs.len() && (cs[i].is_ascii_digit() || cs[i] == '.' || cs[i] == '_') {
                i += 1;
            }
            if i < cs.len() && matches!(cs[i], '%' | '万' | '亿') {
                i += 1;
            }
            let lit: String = cs[st..i].iter().collect();
            out.push(Tok::Num(
                parse_number(&lit).ok_or_else(|| format!("无法识别的数字“{lit}”"))?,
            ));
        } else if c.is_ascii_alphabetic() || c == '_' {
            let st = i;
            while i < cs.len() && (cs[i].is_ascii_alphanumeric() || cs[i] == '_') {
                i += 1;
            }
            out.push(Tok::Ident(cs[st..i].iter().collect()));
        } else if c == '@' {
            i += 1;
            let st = i;
            if i < cs.len() && cs[i] == '-' {
                i += 1;
            }
            while i < cs.len() && cs[i].is_ascii_digit() {
                i += 1;
            }
            let n: String = cs[st..i].iter().collect();
            let v: i32 = n
                .parse()
                .map_err(|_| "“@”后应为年度偏移，如 @-1".to_owned())?;
            if !(-9..=0).contains(&v) {
                return Err("年度偏移只能是 0 到 -9（往年数据）".into());
            }
            out.push(Tok::At(v));
        } else {
            let two: String = cs[i..(i + 2).min(cs.len())].iter().collect();
            let op = match two.as_str() {
                ">=" => Some(">="),
                "<=" => Some("<="),
                "==" => Some("=="),
                "!=" => Some("!="),
                _ => None,
            };
            if let Some(op) = op {
                out.push(Tok::Op(op));
                i += 2;
                continue;
            }
            let op = match c {
                '>' => ">",
                '<' => "<",
                '+' => "+",
                '-' => "-",
                '*' => "*",
                '/' => "/",
                '(' => "(",
                ')' => ")",
                ',' => ",",
                other => return Err(format!("无法识别的符号“{other}”")),
            };
            out.push(Tok::Op(op));
            i += 1;
        }
    }
    Ok(out)
}

struct P {
    toks: Vec<Tok>,
    pos: usize,
}

const FUNCTIONS: &[(&str, usize, usize)] = &[
    ("min", 1, 16),
    ("max", 1, 16),
    ("present", 1, 1),
    ("sum_present", 1, 16),
    ("count_present", 1, 16),
    ("floor", 1, 1),
    ("is_true", 1, 1),
    ("is_false", 1, 1),
];

impl P {
    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.pos)
    }
    fn is_op(&self, op: &str) -> bool {
        matches!(self.peek(), Some(Tok::Op(o)) if *o == op)
    }
    fn is_kw(&self, kw: &str) -> bool {
        matches!(self.peek(), Some(Tok::Ident(i)) if i == kw)
    }
    fn expect_op(&mut self, op: &str) -> Result<(), String> {
        if self.is_op(op) {
            self.pos += 1;
            Ok(())
        } else {
            Err(format!("此处应为“{op}”"))
        }
    }
    fn expect_kw(&mut self, kw: &str) -> Result<(), String> {
        if self.is_kw(kw) {
            self.pos += 1;
            Ok(())
        } else {
            Err(format!("此处应为“{kw}”"))
        }
    }
    fn expr(&mut self) -> Result<Expr, String> {
        if self.is_kw("if") {
            self.pos += 1;
            let c = self.expr()?;
            self.expect_kw("then")?;
            let a = self.expr()?;
            self.expect_kw("else")?;
            let b = self.expr()?;
            return Ok(Expr::If(Box::new(c), Box::new(a), Box::new(b)));
        }
        self.or()
    }
    fn or(&mut self) -> Result<Expr, String> {
        let mut l = self.and()?;
        while self.is_kw("or") {
            self.pos += 1;
            let r = self.and()?;
            l = Expr::Bin(BinOp::Or, Box::new(l), Box::new(r));
        }
        Ok(l)
    }
    fn and(&mut self) -> Result<Expr, String> {
        let mut l = self.not()?;
        while self.is_kw("and") {
            self.pos += 1;
            let r = self.not()?;
            l = Expr::Bin(BinOp::And, Box::new(l), Box::new(r));
        }
        Ok(l)
    }
    fn not(&mut self) -> Result<Expr, String> {
        if self.is_kw("not") {
            self.pos += 1;
            return Ok(Expr::Not(Box::new(self.not()?)));
        }
        self.cmp()
    }
    fn cmp(&mut self) -> Result<Expr, String> {
        let l = self.add()?;
        let op = match self.peek() {
            Some(Tok::Op(">=")) => BinOp::Ge,
            Some(Tok::Op(">")) => BinOp::Gt,
            Some(Tok::Op("<=")) => BinOp::Le,
            Some(Tok::Op("<")) => BinOp::Lt,
            Some(Tok::Op("==")) => BinOp::Eq,
            Some(Tok::Op("!=")) => BinOp::Ne,
            _ => return Ok(l),
        };
        self.pos += 1;
        let r = self.add()?;
        Ok(Expr::Bin(op, Box::new(l), Box::new(r)))
    }
    fn add(&mut self) -> Result<Expr, String> {
        let mut l = self.mul()?;
        loop {
            let op = if self.is_op("+") {
                BinOp::Add
            } else if self.is_op("-") {
                BinOp::Sub
            } else {
                return Ok(l);
            };
            self.pos += 1;
            let r = self.mul()?;
            l = Expr::Bin(op, Box::new(l), Box::new(r));
        }
    }
    fn mul(&mut self) -> Result<Expr, String> {
        let mut l = self.unary()?;
        loop {
            let op = if self.is_op("*") {
                BinOp::Mul
            } else if self.is_op("/") {
                BinOp::Div
            } else {
                return Ok(l);
            };
            self.pos += 1;
            let r = self.unary()?;
            l = Expr::Bin(op, Box::new(l), Box::new(r));
        }
    }
    fn unary(&mut self) -> Result<Expr, String> {
        if self.is_op("-") {
            self.pos += 1;
            return Ok(Expr::Neg(Box::new(self.unary()?)));
        }
        self.primary()
    }
    fn primary(&mut self) -> Result<Expr, String> {
        match self.toks.get(self.pos).cloned() {
            Some(Tok::Num(n)) => {
                self.pos += 1;
                Ok(Expr::Num(n))
            }
            Some(Tok::Op("(")) => {
                self.pos += 1;
                let e = self.expr()?;
                self.expect_op(")")?;
                Ok(e)
            }
            Some(Tok::Ident(id)) => {
                self.pos += 1;
                match id.as_str() {
                    "true" => return Ok(Expr::Bool(true)),
                    "false" => return Ok(Expr::Bool(false)),
                    "unknown" => return Ok(Expr::Unknown),
                    "year" => return Ok(Expr::Year),
                    "if" | "then" | "else" | "and" | "or" | "not" => {
                        return Err(format!("“{id}”位置不对"));
                    }
                    _ => {}
                }
                if self.is_op("(") {
                    let Some(&(_, lo, hi)) = FUNCTIONS.iter().find(|(f, _, _)| *f == id) else {
                        return Err(format!(
                            "未知函数“{id}”（可用：min、max、present、sum_present、count_present、floor、is_true、is_false）"
                        ));
                    };
                    self.pos += 1;
                    let mut args = Vec::new();
                    if !self.is_op(")") {
                        loop {
                            args.push(self.expr()?);
                            if self.is_op(",") {
                                self.pos += 1;
                            } else {
                                break;
                            }
                        }
                    }
                    self.expect_op(")")?;
                    if args.len() < lo || args.len() > hi {
                        return Err(format!("函数“{id}”的参数个数不对"));
                    }
                    return Ok(Expr::Call(id, args));
                }
                let offset = match self.peek() {
                    Some(Tok::At(o)) => {
                        let o = *o;
                        self.pos += 1;
                        o
                    }
                    _ => 0,
                };
                Ok(Expr::Var { name: id, offset })
            }
            Some(Tok::At(_)) => Err("“@”应紧跟在变量名之后".into()),
            Some(Tok::Op(o)) => Err(format!("此处不应出现“{o}”")),
            None => Err("表达式不完整".into()),
        }
    }
}

pub fn parse_expr(s: &str) -> Result<Expr, String> {
    let toks = lex(s)?;
    if toks.is_empty() {
        return Err("缺少表达式".into());
    }
    let mut p = P { toks, pos: 0 };
    let e = p.expr()?;
    if p.pos != p.toks.len() {
        return Err("表达式后有多余内容".into());
    }
    Ok(e)
}

// ---------------------------------------------------------------- pack files

/// Split `NAME LABEL = EXPR` → (name, label, expr text).
fn header_eq<'a>(
    rest: &'a str,
    file: &str,
    line: usize,
    what: &str,
) -> Result<(&'a str, &'a str, &'a str), PackError> {
    let (head, expr) = rest.split_once('=').ok_or_else(|| {
        err(
            file,
            line,
            format!("{what}应写作“{what} 名称 中文名 = 表达式”"),
        )
    })?;
    let mut it = head.split_whitespace();
    let (Some(name), Some(label), None) = (it.next(), it.next(), it.next()) else {
        return Err(err(
            file,
            line,
            format!("{what}应写作“{what} 名称 中文名 = 表达式”"),
        ));
    };
    Ok((name, label, expr.trim()))
}

fn check_name(file: &str, line: usize, name: &str) -> Result<(), PackError> {
    let ok = name.chars().next().is_some_and(|c| c.is_ascii_lowercase())
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        && !matches!(
            name,
            "if" | "then" | "else" | "and" | "or" | "not" | "true" | "false" | "unknown" | "year"
        );
    if ok {
        Ok(())
    } else {
        Err(err(
            file,
            line,
            format!("名称“{name}”不合法：应为小写字母开头的英文标识符"),
        ))
    }
}

impl Pack {
    /// Parse and check a pack. `file` names it in errors.
    pub fn parse(file: &str, text: &str) -> Result<Pack, PackError> {
        let mut pack = Pack {
            id: String::new(),
            name: String::new(),
            source: String::new(),
            file: file.to_owned(),
            valid: Period::ALWAYS,
            inputs: Vec::new(),
            params: Vec::new(),
            rules: Vec::new(),
            goal: None,
            adjusts: Vec::new(),
            entitle: None,
            order: Vec::new(),
        };
        enum Cur {
            None,
            Param,
            Rule,
        }
        let mut cur = Cur::None;
        let mut goal_line = 0;
        for (idx, raw) in text.lines().enumerate() {
            let line = idx + 1;
            let no_comment = raw.split_once('#').map_or(raw, |(a, _)| a);
            if no_comment.trim().is_empty() {
                continue;
            }
            let indented = no_comment.starts_with(' ') || no_comment.starts_with('\t');
            let t = no_comment.trim();
            let (kw, rest) = t
                .split_once(char::is_whitespace)
                .map_or((t, ""), |(a, b)| (a, b.trim()));
            if indented {
                match cur {
                    Cur::Param => {
                        let (p, v) = rest_pair(t).ok_or_else(|| {
                            err(file, line, "参数取值应写作“起始日期..截止日期 数值”")
                        })?;
                        let period = parse_period(p).ok_or_else(|| err(file, line, format!("有效期“{p}”格式错误，应如 2017-05-03.. 或 2017-05-03..2022-12-31")))?;
                        let value = parse_number(v)
                            .ok_or_else(|| err(file, line, format!("参数值“{v}”不是数字")))?;
                        if let Some(param) = pack.params.last_mut() {
                            param.values.push((period, value, line));
                        }
                    }
                    Cur::Rule => {
                        let Some(rule) = pack.rules.last_mut() else {
                            continue;
                        };
                        match kw {
                            "source" => rule.source = Some(rest.to_owned()),
                            "valid" => {
                                rule.valid = parse_period(rest).ok_or_else(|| {
                                    err(file, line, format!("有效期“{rest}”格式错误"))
                                })?;
                            }
                            "show" => {
                                rule.show = match rest {
                                    "percent" => Show::Percent,
                                    "money" => Show::Money,
                                    "points" => Show::Points,
                                    "plain" => Show::Plain,
                                    _ => {
                                        return Err(err(
                                            file,
                                            line,
                                            "show 只能是 percent、money、points 或 plain",
                                        ));
                                    }
                                }
                            }
                            _ => match &mut rule.kind {
                                RuleKind::Scale {
                                    bands, otherwise, ..
                                } => {
                                    let (cond, res) = t.split_once("->").ok_or_else(|| {
                                        err(
                                            file,
                                            line,
                                            "分档应写作“>= 下限 -> 分值”或“else -> 分值”",
                                        )
                                    })?;
                                    let (res, label) = split_label(res);
                                    let points = parse_number(res).ok_or_else(|| {
                                        err(file, line, format!("分值“{res}”不是数字"))
                                    })?;
                                    let cond = cond.trim();
                                    if cond == "else" {
                                        *otherwise = points;
                                    } else {
                                        let (strict, b) = if let Some(b) = cond.strip_prefix(">=") {
                                            (false, b)
                                        } else if let Some(b) = cond.strip_prefix('>') {
                                            (true, b)
                                        } else {
                                            return Err(err(
                                                file,
                                                line,
                                                "分档只支持 >= 或 >（从高到低排列）",
                                            ));
                                        };
                                        let bound = parse_number(b).ok_or_else(|| {
                                            err(
                                                file,
                                                line,
                                                format!("分档下限“{}”不是数字", b.trim()),
                                            )
                                        })?;
                                        if let Some(prev) = bands.last()
                                            && (bound > prev.bound
                                                || (bound == prev.bound && strict == prev.strict))
                                        {
                                            return Err(err(
                                                file,
                                                line,
                                                "分档下限应从高到低排列且不重复",
                                            ));
                                        }
                                        bands.push(Band {
                                            strict,
                                            bound,
                                            points,
                                            label,
                                        });
                                    }
                                }
                                RuleKind::Table { rows, otherwise } => {
                                    let (cond, res) = t.split_once("->").ok_or_else(|| {
                                        err(
                                            file,
                                            line,
                                            "条件表应写作“when 条件 -> 值”或“else -> 值”",
                                        )
                                    })?;
                                    let (res, label) = split_label(res);
                                    let value = parse_expr(res).map_err(|m| err(file, line, m))?;
                                    let cond = cond.trim();
                                    if cond == "else" {
                                        *otherwise = value;
                                    } else if let Some(c) = cond.strip_prefix("when") {
                                        rows.push((
                                            parse_expr(c).map_err(|m| err(file, line, m))?,
                                            value,
                                            label,
                                        ));
                                    } else {
                                        return Err(err(
                                            file,
                                            line,
                                            "条件表的行应以 when 或 else 开头",
                                        ));
                                    }
                                }
                                _ => return Err(err(file, line, format!("无法识别的内容“{t}”"))),
                            },
                        }
                    }
                    Cur::None => return Err(err(file, line, "缩进行不属于任何声明")),
                }
                continue;
            }
            cur = Cur::None;
            match kw {
                "pack" => pack.id = rest.to_owned(),
                "name" => pack.name = rest.to_owned(),
                "source" => pack.source = rest.to_owned(),
                "valid" => {
                    pack.valid = parse_period(rest)
                        .ok_or_else(|| err(file, line, format!("有效期“{rest}”格式错误")))?
                }
                "input" => {
                    // input NAME KIND LABEL… [optional | default VALUE]; the label may contain spaces.
                    let parts: Vec<&str> = rest.split_whitespace().collect();
                    let n = parts.len();
                    let (label_end, optional, default_text) =
                        if n >= 4 && parts[n - 1] == "optional" {
                            (n - 1, true, None)
                        } else if n >= 5 && parts[n - 2] == "default" {
                            (n - 2, true, Some(parts[n - 1]))
                        } else {
                            (n, false, None)
                        };
                    if n < 3 || label_end < 3 {
                        return Err(err(
                            file,
                            line,
                            "输入应写作“input 名称 类型 中文名 [optional | default 值]”",
                        ));
                    }
                    let label = parts[2..label_end].join(" ");
                    let default = match default_text {
                        Some(t) => Some(
                            parse_expr(t)
                                .ok()
                                .filter(|e| matches!(e, Expr::Num(_) | Expr::Bool(_)))
                                .ok_or_else(|| {
                                    err(file, line, format!("默认值“{t}”应为数字或 true/false"))
                                })?,
                        ),
                        None => None,
                    };
                    check_name(file, line, parts[0])?;
                    let kind = match parts[1] {
                        "count" => InputKind::Count,
                        "money" => InputKind::Money,
                        "ratio" => InputKind::Ratio,
                        "flag" => InputKind::Flag,
                        "number" => InputKind::Number,
                        other => {
                            return Err(err(
                                file,
                                line,
                                format!(
                                    "输入类型“{other}”无效（count、money、ratio、flag、number）"
                                ),
                            ));
                        }
                    };
                    pack.inputs.push(InputDef {
                        name: parts[0].into(),
                        kind,
                        label,
                        optional,
                        default,
                        line,
                    });
                }
                "param" => {
                    let mut it = rest.split_whitespace();
                    let (Some(name), Some(label), kind, None) =
                        (it.next(), it.next(), it.next(), it.next())
                    else {
                        return Err(err(
                            file,
                            line,
                            "参数应写作“param 名称 中文名 [money|percent]”，取值写在下方缩进行",
                        ));
                    };
                    check_name(file, line, name)?;
                    let show = match kind {
                        None => Show::Plain,
                        Some("money") => Show::Money,
                        Some("percent") => Show::Percent,
                        Some(other) => {
                            return Err(err(
                                file,
                                line,
                                format!("参数显示方式“{other}”无效（money、percent）"),
                            ));
                        }
                    };
                    pack.params.push(ParamDef {
                        name: name.into(),
                        label: label.into(),
                        show,
                        values: Vec::new(),
                        line,
                    });
                    cur = Cur::Param;
                }
                "let" | "condition" | "output" | "pool" => {
                    let (name, label, expr) = header_eq(rest, file, line, kw)?;
                    check_name(file, line, name)?;
                    let e = parse_expr(expr).map_err(|m| err(file, line, m))?;
                    let kind = match kw {
                        "let" => RuleKind::Let(e),
                        "condition" | "pool" => RuleKind::Condition(e),
                        _ => RuleKind::Output(e),
                    };
                    pack.rules.push(RuleDef {
                        name: name.into(),
                        label: label.into(),
                        kind,
                        source: None,
                        valid: Period::ALWAYS,
                        pool: kw == "pool",
                        show: Show::Plain,
                        line,
                    });
                    cur = Cur::Rule;
                }
                "scale" => {
                    let (head, of) = rest.split_once(" of ").ok_or_else(|| {
                        err(file, line, "分档应写作“scale 名称 中文名 of 表达式”")
                    })?;
                    let mut it = head.split_whitespace();
                    let (Some(name), Some(label), None) = (it.next(), it.next(), it.next()) else {
                        return Err(err(file, line, "分档应写作“scale 名称 中文名 of 表达式”"));
                    };
                    check_name(file, line, name)?;
                    let of = parse_expr(of).map_err(|m| err(file, line, m))?;
                    pack.rules.push(RuleDef {
                        name: name.into(),
                        label: label.into(),
                        kind: RuleKind::Scale {
                            of,
                            bands: Vec::new(),
                            otherwise: Decimal::ZERO,
                        },
                        source: None,
                        valid: Period::ALWAYS,
                        pool: false,
                        show: Show::Points,
                        line,
                    });
                    cur = Cur::Rule;
                }
                "table" => {
                    let mut it = rest.split_whitespace();
                    let (Some(name), Some(label), None) = (it.next(), it.next(), it.next()) else {
                        return Err(err(file, line, "条件表应写作“table 名称 中文名”"));
                    };
                    check_name(file, line, name)?;
                    pack.rules.push(RuleDef {
                        name: name.into(),
                        label: label.into(),
                        kind: RuleKind::Table {
                            rows: Vec::new(),
                            otherwise: Expr::Num(Decimal::ZERO),
                        },
                        source: None,
                        valid: Period::ALWAYS,
                        pool: false,
                        show: Show::Points,
                        line,
                    });
                    cur = Cur::Rule;
                }
                "goal" => {
                    pack.goal = Some(rest.to_owned());
                    goal_line = line;
                }
                "entitle" => {
                    let p: Vec<&str> = rest.split_whitespace().collect();
                    if p.len() != 6 || p[0] != "group" || p[2] != "rank" || p[4] != "amount" {
                        return Err(err(
                            file,
                            line,
                            "应写作“entitle group 类别输入 rank 级别输入 amount 金额输出”",
                        ));
                    }
                    pack.entitle = Some(Entitle {
                        group: p[1].into(),
                        rank: p[3].into(),
                        amount: p[5].into(),
                        line,
                    });
                }
                "adjust" => {
                    // adjust INPUT up step N [max EXPR] unit TEXT
                    let parts: Vec<&str> = rest.split_whitespace().collect();
                    let bad = || {
                        err(
                            file,
                            line,
                            "应写作“adjust 输入 up step 步长 [max 表达式] unit 单位”",
                        )
                    };
                    if parts.len() < 6 || parts[1] != "up" || parts[2] != "step" {
                        return Err(bad());
                    }
                    let step = parse_number(parts[3])
                        .filter(|s| *s > Decimal::ZERO)
                        .ok_or_else(bad)?;
                    let unit_pos = parts.iter().rposition(|p| *p == "unit").ok_or_else(bad)?;
                    let unit = parts.get(unit_pos + 1).ok_or_else(bad)?.to_string();
                    let max = if parts[4] == "max" {
                        Some(
                            parse_expr(&parts[5..unit_pos].join(" "))
                                .map_err(|m| err(file, line, m))?,
                        )
                    } else {
                        None
                    };
                    pack.adjusts.push(Adjust {
                        input: parts[0].into(),
                        step,
                        max,
                        unit,
                        line,
                    });
                }
                other => return Err(err(file, line, format!("无法识别的声明“{other}”"))),
            }
        }
        if pack.id.is_empty() {
            return Err(err(file, 1, "缺少“pack 名称”声明"));
        }
        pack.check(goal_line)?;
        Ok(pack)
    }

    fn check(&mut self, goal_line: usize) -> Result<(), PackError> {
        let file = self.file.clone();
        // Unique declarations; same-name rules may only differ in non-overlapping periods.
        let mut seen: HashMap<&str, usize> = HashMap::new();
        for i in &self.inputs {
            if let Some(l) = seen.insert(&i.name, i.line) {
                return Err(err(
                    &file,
                    i.line,
                    format!("“{}”重复定义（第{l}行）", i.name),
                ));
            }
        }
        for p in &self.params {
            if let Some(l) = seen.insert(&p.name, p.line) {
                return Err(err(
                    &file,
                    p.line,
                    format!("“{}”重复定义（第{l}行）", p.name),
                ));
            }
            if p.values.is_empty() {
                return Err(err(&file, p.line, format!("参数“{}”没有取值", p.name)));
            }
            for (a, (pa, _, la)) in p.values.iter().enumerate() {
                for (pb, _, lb) in &p.values[a + 1..] {
                    if pa.overlaps(*pb) {
                        return Err(err(
                            &file,
                            *lb,
                            format!("参数“{}”的有效期与第{la}行重叠", p.name),
                        ));
                    }
                }
            }
        }
        let mut by_name: BTreeMap<&str, Vec<&RuleDef>> = BTreeMap::new();
        for r in &self.rules {
            if let Some(l) = seen.get(r.name.as_str()) {
                return Err(err(
                    &file,
                    r.line,
                    format!("“{}”与第{l}行的输入或参数重名", r.name),
                ));
            }
            let defs = by_name.entry(&r.name).or_default();
            for d in defs.iter() {
                if d.valid.overlaps(r.valid) {
                    return Err(err(
                        &file,
                        r.line,
                        format!("规则“{}”的有效期与第{}行的同名规则重叠", r.name, d.line),
                    ));
                }
            }
            defs.push(r);
            if let RuleKind::Scale { bands, .. } = &r.kind
                && bands.is_empty()
            {
                return Err(err(&file, r.line, format!("分档“{}”没有任何档位", r.name)));
            }
        }
        // Every name read must exist.
        let known: HashSet<&str> = self
            .inputs
            .iter()
            .map(|i| i.name.as_str())
            .chain(self.params.iter().map(|p| p.name.as_str()))
            .chain(self.rules.iter().map(|r| r.name.as_str()))
            .collect();
        let inputs: HashSet<&str> = self.inputs.iter().map(|i| i.name.as_str()).collect();
        let mut deps: BTreeMap<String, (usize, BTreeSet<String>)> = BTreeMap::new();
        for r in &self.rules {
            let mut vars = Vec::new();
            rule_vars(r, &mut vars);
            for (v, off) in &vars {
                if !known.contains(v.as_str()) {
                    return Err(err(&file, r.line, format!("引用了未定义的变量“{v}”")));
                }
                if *off != 0 && !inputs.contains(v.as_str()) {
                    return Err(err(
                        &file,
                        r.line,
                        format!("只有输入可以引用往年数据（“{v}@{off}”）"),
                    ));
                }
            }
            let entry = deps
                .entry(r.name.clone())
                .or_insert((r.line, BTreeSet::new()));
            for (v, _) in vars {
                if by_name.contains_key(v.as_str()) {
                    entry.1.insert(v);
                }
            }
        }
        for a in &self.adjusts {
            if !inputs.contains(a.input.as_str()) {
                return Err(err(
                    &file,
                    a.line,
                    format!("adjust 引用了未定义的输入“{}”", a.input),
                ));
            }
            if let Some(m) = &a.max {
                let mut vars = Vec::new();
                m.vars(&mut vars);
                if let Some((v, _)) = vars.iter().find(|(v, _)| !known.contains(v.as_str())) {
                    return Err(err(&file, a.line, format!("引用了未定义的变量“{v}”")));
                }
            }
        }
        if let Some(e) = &self.entitle {
            for n in [&e.group, &e.rank] {
                if !inputs.contains(n.as_str()) {
                    return Err(err(
                        &file,
                        e.line,
                        format!("entitle 引用了未定义的输入“{n}”"),
                    ));
                }
            }
            if !by_name.contains_key(e.amount.as_str()) {
                return Err(err(
                    &file,
                    e.line,
                    format!("entitle 引用了未定义的规则“{}”", e.amount),
                ));
            }
        }
        if let Some(g) = &self.goal
            && !by_name.contains_key(g.as_str())
        {
            return Err(err(
                &file,
                goal_line,
                format!("goal 引用了未定义的规则“{g}”"),
            ));
        }
        // Dependency order; a cycle is reported at one of its rules.
        let mut order = Vec::new();
        let mut state: HashMap<String, u8> = HashMap::new();
        fn visit(
            n: &str,
            deps: &BTreeMap<String, (usize, BTreeSet<String>)>,
            state: &mut HashMap<String, u8>,
            order: &mut Vec<String>,
            path: &mut Vec<String>,
        ) -> Result<(), (usize, String)> {
            match state.get(n) {
                Some(2) => return Ok(()),
                Some(1) => {
                    let start = path.iter().position(|p| p == n).unwrap_or(0);
                    let mut cyc = path[start..].to_vec();
                    cyc.push(n.to_owned());
                    let line = deps.get(n).map_or(0, |d| d.0);
                    return Err((line, format!("规则之间存在循环依赖：{}", cyc.join(" → "))));
                }
                _ => {}
            }
            state.insert(n.to_owned(), 1);
            path.push(n.to_owned());
            if let Some((_, ds)) = deps.get(n) {
                for d in ds {
                    visit(d, deps, state, order, path)?;
                }
            }
            path.pop();
            state.insert(n.to_owned(), 2);
            order.push(n.to_owned());
            Ok(())
        }
        for n in deps.keys() {
            visit(n, &deps, &mut state, &mut order, &mut Vec::new())
                .map_err(|(l, m)| err(&file, l, m))?;
        }
        self.order = order;
        Ok(())
    }
}

use std::collections::BTreeSet;

fn rule_vars(r: &RuleDef, out: &mut Vec<(String, i32)>) {
    match &r.kind {
        RuleKind::Let(e) | RuleKind::Condition(e) | RuleKind::Output(e) => e.vars(out),
        RuleKind::Scale { of, .. } => of.vars(out),
        RuleKind::Table { rows, otherwise } => {
            for (c, v, _) in rows {
                c.vars(out);
                v.vars(out);
            }
            otherwise.vars(out);
        }
    }
}

fn rest_pair(t: &str) -> Option<(&str, &str)> {
    let mut it = t.split_whitespace();
    let a = it.next()?;
    let b = it.next()?;
    it.next().is_none().then_some((a, b))
}

/// `value | 标签` → (value, Some(标签)).
fn split_label(s: &str) -> (&str, Option<String>) {
    match s.split_once('|') {
        Some((v, l)) => (v.trim(), Some(l.trim().to_owned())),
        None => (s.trim(), None),
    }
}

// ---------------------------------------------------------------- test cases

/// A test case of a pack: inputs by year offset, and the expected outputs.
#[derive(Debug, Clone)]
pub struct Case {
    pub name: String,
    pub description: String,
    pub year: i32,
    pub data: Vec<(String, i32, String)>,
    pub expect: Vec<(String, String)>,
    pub line: usize,
}

/// Parse a `.cases` file:
/// ```text
/// case C10 描述
///   year 2024
///   data employees=50 tech_staff=12
///   data@-1 revenue=3000万
///   expect score=80 qualified=true
/// ```
pub fn parse_cases(file: &str, text: &str) -> Result<Vec<Case>, PackError> {
    let mut out: Vec<Case> = Vec::new();
    for (idx, raw) in text.lines().enumerate() {
        let line = idx + 1;
        let t = raw.split_once('#').map_or(raw, |(a, _)| a).trim();
        if t.is_empty() {
            continue;
        }
        let (kw, rest) = t
            .split_once(char::is_whitespace)
            .map_or((t, ""), |(a, b)| (a, b.trim()));
        if kw == "case" {
            let (name, desc) = rest.split_once(char::is_whitespace).unwrap_or((rest, ""));
            out.push(Case {
                name: name.into(),
                description: desc.trim().into(),
                year: 0,
                data: Vec::new(),
                expect: Vec::new(),
                line,
            });
            continue;
        }
        let c = out
            .last_mut()
            .ok_or_else(|| err(file, line, "应先写“case 名称”"))?;
        let pairs = || -> Result<Vec<(String, String)>, PackError> {
            rest.split_whitespace()
                .map(|kv| {
                    kv.split_once('=')
                        .map(|(k, v)| (k.to_owned(), v.to_owned()))
                        .ok_or_else(|| err(file, line, format!("“{kv}”应写作 名称=值")))
                })
                .collect()
        };
        if kw == "year" {
            c.year = rest
                .parse()
                .map_err(|_| err(file, line, "year 后应为年度"))?;
        } else if kw == "expect" {
            c.expect.extend(pairs()?);
        } else if let Some(off) = kw.strip_prefix("data") {
            let offset: i32 = if off.is_empty() {
                0
            } else {
                off.trim_start_matches('@')
                    .parse()
                    .map_err(|_| err(file, line, "data@偏移 格式错误"))?
            };
            for (k, v) in pairs()? {
                // `name@-1=value` names a previous year directly.
                match k.split_once('@') {
                    Some((n, o)) => {
                        let o: i32 = o
                            .parse()
                            .map_err(|_| err(file, line, format!("“{k}”的年度偏移格式错误")))?;
                        c.data.push((n.to_owned(), o, v));
                    }
                    None => c.data.push((k, offset, v)),
                }
            }
        } else {
            return Err(err(file, line, format!("无法识别的内容“{kw}”")));
        }
    }
    Ok(out)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn numbers_and_periods() {
        assert_eq!(parse_number("30%"), Some(Decimal::new(3, 1)));
        assert_eq!(parse_number("2亿"), Some(Decimal::from(200_000_000)));
        assert_eq!(parse_number("12.5万"), Some(Decimal::from(125_000)));
        assert!(
            Period {
                from: 20170503,
                to: None
            }
            .contains_year(2017)
        );
        assert!(
            !Period {
                from: 20170503,
                to: None
            }
            .contains_year(2016)
        );
        assert!(
            Period {
                from: 0,
                to: Some(20221231)
            }
            .contains_year(2022)
        );
        assert!(
            !Period {
                from: 0,
                to: Some(20221230)
            }
            .contains_year(2022)
        );
    }

    fn load(text: &str) -> Result<Pack, PackError> {
        Pack::parse("t.policy", text)
    }

    #[test]
    fn rejects_unknown_names_cycles_and_overlaps_with_line() {
        let e = load("pack t\ninput a count 甲\nlet b 乙 = a + c\n").unwrap_err();
        assert_eq!(
            (e.line, e.message.contains("未定义的变量“c”")),
            (3, true),
            "{e}"
        );
        let e = load("pack t\ninput a count 甲\nlet b 乙 = c + a\nlet c 丙 = b * 2\n").unwrap_err();
        assert!(e.message.contains("循环依赖"), "{e}");
        assert!(e.line == 3 || e.line == 4);
        let e = load("pack t\nparam p 参数\n  2017-01-01.. 5\n  2020-01-01..2021-12-31 6\n")
            .unwrap_err();
        assert_eq!((e.line, e.message.contains("重叠")), (4, true), "{e}");
        let e = load("pack t\ninput a count 甲\noutput x 甲 = a\n  valid 2017-01-01..\noutput x 甲 = a * 2\n  valid 2020-01-01..\n").unwrap_err();
        assert_eq!(e.line, 5);
        let e = load("pack t\ninput a count 甲\nlet b 乙 = (a + 1\n").unwrap_err();
        assert_eq!((e.file.as_str(), e.line), ("t.policy", 3));
        let e = load("pack t\ninput a count 甲\nscale s 分 of a\n  >= 10 -> 5\n  >= 20 -> 8\n")
            .unwrap_err();
        assert!(e.message.contains("从高到低"), "{e}");
    }
}
