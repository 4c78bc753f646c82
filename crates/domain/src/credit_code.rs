//! 统一社会信用代码 (unified social credit code), GB 32100-2015.
//!
//! 18 characters: 登记管理部门代码 (1), 机构类别代码 (1), 登记管理机关行政区划码 (6),
//! 主体标识码 (9, GB 11714 organization code), 校验码 (1). The character set is the digits and the
//! upper-case letters without I, O, Z, S, V. The check character is
//! `C18 = 31 − (Σ Ci·Wi mod 31)` (31 maps to 0) with weights `3^(i−1) mod 31`.

use crate::error::Invalid;
use serde::{Deserialize, Serialize};
use std::fmt;

const CHARSET: &[u8; 31] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";
const WEIGHTS: [u32; 17] = [
    1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
];

/// A unified social credit code whose format and check character have been verified.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct CreditCode(String);

fn value_of(c: u8) -> Option<u32> {
    CHARSET.iter().position(|&x| x == c).map(|p| p as u32)
}

/// The check character for the first 17 characters, or `None` if one is outside the charset.
pub fn check_char(first17: &[u8]) -> Option<char> {
    if first17.len() != 17 {
        return None;
    }
    let mut sum = 0u32;
    for (c, w) in first17.iter().zip(WEIGHTS) {
        sum += value_of(*c)? * w;
    }
    let v = (31 - sum % 31) % 31;
    Some(CHARSET[v as usize] as char)
}

impl CreditCode {
    /// Parse and verify a code. Lower-case letters and surrounding blanks are accepted and
    /// normalized; anything else that is wrong is rejected with a Chinese message.
    pub fn parse(input: &str) -> Result<Self, Invalid> {
        const F: &str = "credit_code";
        let s = input.trim().to_ascii_uppercase();
        if s.is_empty() {
            return Err(Invalid::one(
                F,
                "credit_code.required",
                "统一社会信用代码不能为空",
            ));
        }
        if s.chars().count() != 18 {
            return Err(Invalid::one(
                F,
                "credit_code.length",
                format!("统一社会信用代码应为18位，实际为{}位", s.chars().count()),
            ));
        }
        let b = s.as_bytes();
        if let Some((i, c)) = s
            .chars()
            .enumerate()
            .find(|(_, c)| !c.is_ascii() || value_of(*c as u8).is_none())
        {
            return Err(Invalid::one(
                F,
                "credit_code.charset",
                format!(
                    "统一社会信用代码第{}位“{}”不是合法字符（不使用 I、O、Z、S、V）",
                    i + 1,
                    c
                ),
            ));
        }
        if !b[2..8].iter().all(u8::is_ascii_digit) {
            return Err(Invalid::one(
                F,
                "credit_code.region",
                "统一社会信用代码第3至8位应为登记管理机关行政区划码（6位数字）",
            ));
        }
        let expected = check_char(&b[..17]).unwrap_or('?');
        if b[17] as char != expected {
            return Err(Invalid::one(
                F,
                "credit_code.check_char",
                format!(
                    "统一社会信用代码校验位错误：第18位应为“{}”，实际为“{}”，请核对",
                    expected, b[17] as char
                ),
            ));
        }
        Ok(Self(s))
    }

    /// Build a valid code from 17 leading characters by appending the check character.
    /// Used by the demo generator and tests.
    pub fn complete(first17: &str) -> Result<Self, Invalid> {
        let c = check_char(first17.as_bytes()).ok_or_else(|| {
            Invalid::one("credit_code", "credit_code.charset", "前17位含非法字符")
        })?;
        Self::parse(&format!("{first17}{c}"))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// 登记管理机关行政区划码: digits 3–8.
    pub fn registration_region(&self) -> &str {
        &self.0[2..8]
    }
}

impl fmt::Display for CreditCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for CreditCode {
    type Error = Invalid;
    fn try_from(s: String) -> Result<Self, Invalid> {
        Self::parse(&s)
    }
}

impl From<CreditCode> for String {
    fn from(c: CreditCode) -> String {
        c.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn accepts_published_codes() {
        // Codes printed on public business licences.
        for c in [
            "91350100M000100Y43",
            "91110000802100433B",
            "91440300708461136T",
        ] {
            assert!(CreditCode::parse(c).is_ok(), "{c}");
        }
        assert_eq!(
            CreditCode::parse(" 91350100m000100y43 ")
                .map(String::from)
                .ok()
                .as_deref(),
            Some("91350100M000100Y43")
        );
    }

    #[test]
    fn rejects_with_reason() {
        let e = CreditCode::parse("91350100M000100Y44")
            .err()
            .map(|e| e.0[0].code.clone());
        assert_eq!(e.as_deref(), Some("credit_code.check_char"));
        let e = CreditCode::parse("9135").err().map(|e| e.0[0].code.clone());
        assert_eq!(e.as_deref(), Some("credit_code.length"));
        let e = CreditCode::parse("91350100I000100Y43")
            .err()
            .map(|e| e.0[0].code.clone());
        assert_eq!(e.as_deref(), Some("credit_code.charset"));
        let msg = CreditCode::parse("91350100M000100Y44")
            .err()
            .map(|e| e.0[0].message.clone())
            .unwrap_or_default();
        assert!(msg.contains("第18位应为“3”"), "{msg}");
    }

    proptest! {
        #[test]
        fn completed_codes_parse_and_any_single_change_is_caught(
            body in proptest::collection::vec(0usize..31, 17),
            pos in 0usize..18, delta in 1usize..31,
        ) {
            let mut first: Vec<u8> = body.iter().map(|&i| CHARSET[i]).collect();
            for b in &mut first[2..8] { if !b.is_ascii_digit() { *b = b'4'; } }
            let s = String::from_utf8(first).unwrap_or_default();
            let code = CreditCode::complete(&s);
            prop_assert!(code.is_ok());
            let code = code.map(String::from).unwrap_or_default();
            let mut bytes = code.into_bytes();
            if (2..8).contains(&pos) { return Ok(()); }
            let v = value_of(bytes[pos]).unwrap_or(0) as usize;
            bytes[pos] = CHARSET[(v + delta) % 31];
            let changed = String::from_utf8(bytes).unwrap_or_default();
            prop_assert!(CreditCode::parse(&changed).is_err());
        }
    }
}
