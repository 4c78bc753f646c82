//! Number formatting for the Chinese explanations.

/// `v` with `decimals` places; without, up to 2 places with trailing zeros trimmed.
pub fn num(v: f64, decimals: Option<u32>) -> String {
    let places = decimals.unwrap_or(2).min(10) as usize;
    let mut s = format!("{v:.places$}");
    if decimals.is_none() && s.contains('.') {
        while s.ends_with('0') {
            s.pop();
        }
        if s.ends_with('.') {
            s.pop();
        }
    }
    if s.starts_with('-') && s[1..].chars().all(|c| c == '0' || c == '.') {
        s.remove(0);
    }
    s
}

/// A percentage with one decimal place.
pub fn pct(v: f64) -> String {
    num(v, Some(1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats() {
        assert_eq!(num(139.0, None), "139");
        assert_eq!(num(138.6, None), "138.6");
        assert_eq!(num(2.456, None), "2.46");
        assert_eq!(num(138.6, Some(0)), "139");
        assert_eq!(num(-0.001, None), "0");
        assert_eq!(pct(7.3333), "7.3");
    }
}
