//! 公民身份号码 (resident identity number), GB 11643-1999: 17 digits and a check character
//! (ISO 7064 MOD 11-2). The number itself is never stored: the store keeps a keyed hash
//! ([`IdNumber::keyed_hash`]) that lets the same person be matched across imports.

use crate::error::Invalid;
use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK: &[u8; 11] = b"10X98765432";

/// A verified identity number. Deliberately not `Serialize` and not `Display`.
#[derive(Clone, PartialEq, Eq)]
pub struct IdNumber(String);

impl std::fmt::Debug for IdNumber {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("IdNumber(***)")
    }
}

impl IdNumber {
    pub fn parse(s: &str) -> Result<Self, Invalid> {
        const F: &str = "id_number";
        let t = s.trim().to_ascii_uppercase();
        let b = t.as_bytes();
        if b.len() != 18 || !b[..17].iter().all(u8::is_ascii_digit) {
            return Err(Invalid::one(
                F,
                "id_number.format",
                "身份证号码应为18位，前17位为数字",
            ));
        }
        let sum: u32 = b[..17]
            .iter()
            .zip(WEIGHTS)
            .map(|(c, w)| u32::from(c - b'0') * w)
            .sum();
        let expected = CHECK[(sum % 11) as usize];
        if b[17] != expected {
            return Err(Invalid::one(
                F,
                "id_number.check_char",
                "身份证号码校验位错误，请核对",
            ));
        }
        Ok(Self(t))
    }

    /// HMAC-SHA256 of the number under the deployment's secret key, hex-encoded.
    pub fn keyed_hash(&self, key: &[u8]) -> String {
        let mut m = <Hmac<Sha256> as KeyInit>::new_from_slice(key).unwrap_or_else(|_| {
            // HMAC accepts keys of any length; this branch is unreachable.
            <Hmac<Sha256> as KeyInit>::new_from_slice(b"kechuang")
                .unwrap_or_else(|_| unreachable!())
        });
        m.update(self.0.as_bytes());
        hex::encode(m.finalize().into_bytes())
    }

    /// Complete 17 digits with the check character (demo data and tests).
    pub fn complete(first17: &str) -> Option<Self> {
        let b = first17.as_bytes();
        if b.len() != 17 || !b.iter().all(u8::is_ascii_digit) {
            return None;
        }
        let sum: u32 = b
            .iter()
            .zip(WEIGHTS)
            .map(|(c, w)| u32::from(c - b'0') * w)
            .sum();
        Self::parse(&format!("{first17}{}", CHECK[(sum % 11) as usize] as char)).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn check_char_and_hash() {
        // The example number of GB 11643-1999 appendix.
        assert!(IdNumber::parse("11010519491231002X").is_ok());
        assert_eq!(
            IdNumber::parse("110105194912310021")
                .err()
                .map(|e| e.0[0].code.clone())
                .as_deref(),
            Some("id_number.check_char")
        );
        let a = IdNumber::parse("11010519491231002x")
            .map(|i| i.keyed_hash(b"k1"))
            .unwrap_or_default();
        let b = IdNumber::parse("11010519491231002X")
            .map(|i| i.keyed_hash(b"k1"))
            .unwrap_or_default();
        let c = IdNumber::parse("11010519491231002X")
            .map(|i| i.keyed_hash(b"k2"))
            .unwrap_or_default();
        assert_eq!(a, b);
        assert_ne!(a, c);
        assert!(!a.contains("1101051949"));
        assert_eq!(
            format!("{:?}", IdNumber::parse("11010519491231002X").ok()),
            "Some(IdNumber(***))"
        );
    }
}
