//! 企业年度数据 (enterprise-year figures): one row per enterprise per fiscal year.
//!
//! The columns are the enterprise-year interchange format (rules.md §9), described once in
//! [`FIGURES`]; import, export, storage and the rules engine all read that one table.
//! An absent value means "not reported", never zero.

use crate::error::{Collector, FieldError, Invalid};
use crate::money;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// How a figure is typed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FigureKind {
    /// A non-negative count (people, patents).
    Count,
    /// Yuan, non-negative.
    Amount,
    /// Yuan, may be negative (net assets).
    SignedAmount,
    /// Yes/no.
    Flag,
}

/// One column of the interchange format.
#[derive(Debug, Clone, Copy)]
pub struct FigureSpec {
    /// English header and database column.
    pub key: &'static str,
    /// Chinese header.
    pub label: &'static str,
    pub kind: FigureKind,
}

/// A typed figure value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum FigureValue {
    Count(i64),
    Amount(Decimal),
    Flag(bool),
}

macro_rules! figures {
    ($( $key:ident : $ty:ty = ($label:literal, $kind:ident) ),+ $(,)?) => {
        /// The figures of one enterprise-year. Every field is optional: `None` = not reported.
        #[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
        pub struct Figures {
            $( #[doc = $label] #[serde(default)] pub $key: Option<$ty>, )+
        }

        /// Every column of the interchange format after `credit_code` and `year`, in order.
        pub const FIGURES: &[FigureSpec] = &[
            $( FigureSpec { key: stringify!($key), label: $label, kind: FigureKind::$kind }, )+
        ];

        impl Figures {
            pub fn get(&self, key: &str) -> Option<FigureValue> {
                match key {
                    $( stringify!($key) => self.$key.map(|v| figures!(@wrap $kind, v)), )+
                    _ => None,
                }
            }

            /// Set a figure from a typed value; a wrong type for the key is ignored.
            pub fn set(&mut self, key: &str, v: Option<FigureValue>) {
                match key {
                    $( stringify!($key) => { self.$key = v.and_then(|v| figures!(@unwrap $kind, v)); } )+
                    _ => {}
                }
            }
        }
    };
    (@wrap Count, $v:expr) => { FigureValue::Count($v) };
    (@wrap Amount, $v:expr) => { FigureValue::Amount($v) };
    (@wrap SignedAmount, $v:expr) => { FigureValue::Amount($v) };
    (@wrap Flag, $v:expr) => { FigureValue::Flag($v) };
    (@unwrap Count, $v:expr) => { if let FigureValue::Count(x) = $v { Some(x) } else { None } };
    (@unwrap Amount, $v:expr) => { if let FigureValue::Amount(x) = $v { Some(x) } else { None } };
    (@unwrap SignedAmount, $v:expr) => { if let FigureValue::Amount(x) = $v { Some(x) } else { None } };
    (@unwrap Flag, $v:expr) => { if let FigureValue::Flag(x) = $v { Some(x) } else { None } };
}

figures! {
    employees: i64 = ("职工总数", Count),
    tech_staff: i64 = ("科技人员数", Count),
    revenue: Decimal = ("销售收入", Amount),
    total_income: Decimal = ("总收入", Amount),
    high_tech_revenue: Decimal = ("高新技术产品（服务）收入", Amount),
    total_assets: Decimal = ("资产总额", Amount),
    net_assets: Decimal = ("净资产", SignedAmount),
    total_cost: Decimal = ("成本费用支出总额", Amount),
    rd_expense: Decimal = ("研发费用总额", Amount),
    rd_expense_domestic: Decimal = ("境内研发费用", Amount),
    ip_class1: i64 = ("Ⅰ类知识产权数", Count),
    ip_class2: i64 = ("Ⅱ类知识产权数", Count),
    invention_patents: i64 = ("发明专利数", Count),
    utility_models: i64 = ("实用新型专利数", Count),
    software_copyrights: i64 = ("软件著作权数", Count),
    hte_valid: bool = ("高企资格有效", Flag),
    national_award_5y: bool = ("近五年国家级科技奖励(前三)", Flag),
    provincial_rd_institution: bool = ("省部级以上研发机构", Flag),
    standard_lead_5y: bool = ("近五年主导制定标准(前五)", Flag),
    serious_violation: bool = ("重大安全质量事故或严重违法失信", Flag),
}

/// Find a column by its English or Chinese header.
pub fn figure_by_header(h: &str) -> Option<&'static FigureSpec> {
    let t = h.trim();
    FIGURES.iter().find(|f| f.key == t || f.label == t)
}

/// Parse one cell of the interchange format. Empty means "not reported".
pub fn parse_cell(spec: &FigureSpec, cell: &str) -> Result<Option<FigureValue>, Invalid> {
    let t = cell.trim();
    if t.is_empty() {
        return Ok(None);
    }
    let v = match spec.kind {
        FigureKind::Count => {
            let n: i64 = t
                .parse()
                .or_else(|_| {
                    t.parse::<f64>()
                        .ok()
                        .filter(|f| f.fract() == 0.0 && f.abs() < 1e15)
                        .map(|f| f as i64)
                        .ok_or(())
                })
                .map_err(|_| {
                    Invalid::one(
                        spec.key,
                        "count.format",
                        format!("{}“{t}”应为整数", spec.label),
                    )
                })?;
            FigureValue::Count(n)
        }
        FigureKind::Amount => {
            FigureValue::Amount(money::parse_yuan(spec.key, spec.label, t, true)?)
        }
        FigureKind::SignedAmount => {
            FigureValue::Amount(money::parse_yuan(spec.key, spec.label, t, false)?)
        }
        FigureKind::Flag => FigureValue::Flag(parse_flag(t).ok_or_else(|| {
            Invalid::one(
                spec.key,
                "flag.format",
                format!("{}“{t}”应为 是/否、true/false 或 1/0", spec.label),
            )
        })?),
    };
    Ok(Some(v))
}

pub fn parse_flag(t: &str) -> Option<bool> {
    match t.trim().to_ascii_lowercase().as_str() {
        "true" | "是" | "1" | "yes" | "y" => Some(true),
        "false" | "否" | "0" | "no" | "n" => Some(false),
        _ => None,
    }
}

/// The largest count (staff, patents …) an enterprise-year accepts.
pub const MAX_COUNT: i64 = 10_000_000;

/// Check the cross-field invariants and each field's sign and precision.
pub fn validate(year: i32, f: &Figures, current_year: i32) -> Result<(), Invalid> {
    let mut c = Collector::default();
    if !(1978..=current_year).contains(&year) {
        c.push(FieldError::new(
            "year",
            "year.range",
            format!("年度应在1978至{current_year}之间，不能是未来年度"),
        ));
    }
    for spec in FIGURES {
        match (spec.kind, f.get(spec.key)) {
            (FigureKind::Count, Some(FigureValue::Count(n))) if n < 0 => {
                c.push(FieldError::new(
                    spec.key,
                    "count.negative",
                    format!("{}不能为负数", spec.label),
                ));
            }
            // No enterprise has ten million staff or patents: a larger count is a typo (or a
            // probe) that would distort every sum it enters.
            (FigureKind::Count, Some(FigureValue::Count(n))) if n > MAX_COUNT => {
                c.push(FieldError::new(
                    spec.key,
                    "count.too_large",
                    format!("{}（{n}）超出合理范围（不超过{MAX_COUNT}）", spec.label),
                ));
            }
            (FigureKind::Amount, Some(FigureValue::Amount(d))) => {
                c.take(money::check_yuan(spec.key, spec.label, d, true));
            }
            (FigureKind::SignedAmount, Some(FigureValue::Amount(d))) => {
                c.take(money::check_yuan(spec.key, spec.label, d, false));
            }
            _ => {}
        }
    }
    if let (Some(t), Some(e)) = (f.tech_staff, f.employees)
        && t > e
    {
        c.push(FieldError::new(
            "tech_staff",
            "tech_staff.exceeds_employees",
            format!("科技人员数（{t}）不能大于职工总数（{e}）"),
        ));
    }
    if let (Some(d), Some(t)) = (f.rd_expense_domestic, f.rd_expense)
        && d > t
    {
        c.push(FieldError::new(
            "rd_expense_domestic",
            "rd_expense_domestic.exceeds_total",
            "境内研发费用不能大于研发费用总额",
        ));
    }
    if let (Some(h), Some(t)) = (f.high_tech_revenue, f.total_income)
        && h > t
    {
        c.push(FieldError::new(
            "high_tech_revenue",
            "high_tech_revenue.exceeds_total_income",
            "高新技术产品（服务）收入不能大于总收入",
        ));
    }
    if let (Some(i1), Some(inv)) = (f.ip_class1, f.invention_patents)
        && inv > i1
    {
        c.push(FieldError::new(
            "invention_patents",
            "invention_patents.exceeds_class1",
            "发明专利数不能大于Ⅰ类知识产权数",
        ));
    }
    c.finish()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn figures_table_matches_struct() {
        let mut f = Figures::default();
        for spec in FIGURES {
            let v = match spec.kind {
                FigureKind::Count => FigureValue::Count(3),
                FigureKind::Amount | FigureKind::SignedAmount => {
                    FigureValue::Amount(Decimal::new(125, 1))
                }
                FigureKind::Flag => FigureValue::Flag(true),
            };
            f.set(spec.key, Some(v));
            assert_eq!(f.get(spec.key), Some(v), "{}", spec.key);
        }
        assert_eq!(FIGURES.len(), 20);
        assert_eq!(
            figure_by_header("科技人员数").map(|s| s.key),
            Some("tech_staff")
        );
    }

    #[test]
    fn cross_field_rules() {
        let f = Figures {
            employees: Some(10),
            tech_staff: Some(11),
            ..Default::default()
        };
        let codes: Vec<String> = validate(2024, &f, 2026)
            .err()
            .map(|e| e.0.into_iter().map(|x| x.code).collect())
            .unwrap_or_default();
        assert_eq!(codes, ["tech_staff.exceeds_employees"]);
        let f = Figures {
            revenue: Some(Decimal::new(-5, 0)),
            net_assets: Some(Decimal::new(-5, 0)),
            ..Default::default()
        };
        let codes: Vec<String> = validate(2027, &f, 2026)
            .err()
            .map(|e| e.0.into_iter().map(|x| x.code).collect())
            .unwrap_or_default();
        assert_eq!(codes, ["year.range", "amount.negative"]);
    }

    #[test]
    fn counts_stay_within_reason() {
        let f = Figures {
            employees: Some(i64::MAX),
            ..Figures::default()
        };
        let e = validate(2024, &f, 2025).unwrap_err();
        assert_eq!(e.0[0].code, "count.too_large");
        let ok = Figures {
            employees: Some(MAX_COUNT),
            ..Figures::default()
        };
        assert!(validate(2024, &ok, 2025).is_ok());
    }

    #[test]
    fn cells() {
        let spec = figure_by_header("hte_valid").copied();
        let spec = spec.unwrap_or(FIGURES[0]);
        assert_eq!(
            parse_cell(&spec, "是").ok(),
            Some(Some(FigureValue::Flag(true)))
        );
        assert_eq!(parse_cell(&spec, "").ok(), Some(None));
        assert!(parse_cell(&FIGURES[0], "3.5").is_err());
        assert_eq!(
            parse_cell(&FIGURES[0], "12").ok(),
            Some(Some(FigureValue::Count(12)))
        );
    }
}
