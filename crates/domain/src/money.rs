//! Amounts of money in yuan (元): exact decimals, never floats.
//!
//! Stored as integer fen (分) so that SQLite and PostgreSQL sum, sort and compare them exactly.

use crate::error::Invalid;
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

/// Parse a yuan amount: at most two decimal places, optionally required non-negative.
pub fn parse_yuan(
    field: &str,
    label: &str,
    s: &str,
    non_negative: bool,
) -> Result<Decimal, Invalid> {
    let t = s.trim().replace([',', '，'], "");
    let d: Decimal = t.parse().map_err(|_| {
        Invalid::one(
            field,
            "amount.format",
            format!("{label}“{}”不是有效金额", s.trim()),
        )
    })?;
    check_yuan(field, label, d, non_negative)
}

/// Check a yuan amount already parsed as a decimal.
pub fn check_yuan(
    field: &str,
    label: &str,
    d: Decimal,
    non_negative: bool,
) -> Result<Decimal, Invalid> {
    if non_negative && d.is_sign_negative() && !d.is_zero() {
        return Err(Invalid::one(
            field,
            "amount.negative",
            format!("{label}不能为负数"),
        ));
    }
    if d.normalize().scale() > 2 {
        return Err(Invalid::one(
            field,
            "amount.precision",
            format!("{label}最多保留两位小数（分）"),
        ));
    }
    if to_fen(d).is_none() {
        return Err(Invalid::one(
            field,
            "amount.range",
            format!("{label}超出允许范围"),
        ));
    }
    Ok(d.normalize())
}

/// Yuan written as decimal text (as stored records carry it) → fen; `None` when it is not an
/// amount.
pub fn fen_of_text(yuan: &str) -> Option<i64> {
    yuan.trim().parse::<Decimal>().ok().and_then(to_fen)
}

/// Yuan → fen, exact. `None` when out of the i64 range or finer than a fen.
pub fn to_fen(d: Decimal) -> Option<i64> {
    let f = d.checked_mul(Decimal::from(100))?;
    if f.fract() != Decimal::ZERO {
        return None;
    }
    f.to_i64()
}

/// Fen → yuan, exact.
pub fn from_fen(f: i64) -> Decimal {
    Decimal::new(f, 2).normalize()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_exactly() {
        let d = parse_yuan("revenue", "销售收入", "12,345,678.91", true).unwrap_or_default();
        assert_eq!(to_fen(d), Some(1_234_567_891));
        assert_eq!(from_fen(1_234_567_891).to_string(), "12345678.91");
        assert_eq!(from_fen(10).to_string(), "0.1");
    }

    #[test]
    fn rejects_bad_amounts() {
        let code = |r: Result<Decimal, Invalid>| r.err().map(|e| e.0[0].code.clone());
        assert_eq!(
            code(parse_yuan("r", "销售收入", "-1", true)).as_deref(),
            Some("amount.negative")
        );
        assert_eq!(
            code(parse_yuan("r", "销售收入", "1.001", true)).as_deref(),
            Some("amount.precision")
        );
        assert_eq!(
            code(parse_yuan("r", "销售收入", "abc", true)).as_deref(),
            Some("amount.format")
        );
        assert!(parse_yuan("r", "净资产", "-100.5", false).is_ok());
    }
}
