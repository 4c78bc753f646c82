//! Number parsing over `char` slices: Arabic and full-width digits with decimals, Chinese
//! numerals (一二三…十百千万亿, 两, 〇/零, 点 for decimals), a 万/亿 multiplier after an Arabic
//! number ("1.2万家"), and ranges ("1—2", "8-10", "8至10", "8～10", "二至三").

/// A parsed number: `value`, optional upper end of a range, and the char span `[start, end)`
/// in the slice it was parsed from.
#[derive(Debug, Clone, PartialEq)]
pub struct Number {
    pub value: f64,
    pub value_max: Option<f64>,
    pub start: usize,
    pub end: usize,
    /// Written with Chinese numeral characters.
    pub chinese: bool,
    /// Number of characters of the (first) number as written.
    pub width: usize,
}

/// Maps a full-width digit to its ASCII digit.
pub fn ascii_digit(c: char) -> Option<u32> {
    match c {
        '0'..='9' => c.to_digit(10),
        '０'..='９' => Some(c as u32 - '０' as u32),
        _ => None,
    }
}

fn chinese_digit(c: char) -> Option<u32> {
    Some(match c {
        '〇' | '零' => 0,
        '一' => 1,
        '二' | '两' => 2,
        '三' => 3,
        '四' => 4,
        '五' => 5,
        '六' => 6,
        '七' => 7,
        '八' => 8,
        '九' => 9,
        _ => return None,
    })
}

fn chinese_unit(c: char) -> Option<f64> {
    match c {
        '十' => Some(10.0),
        '百' => Some(100.0),
        '千' => Some(1000.0),
        _ => None,
    }
}

/// Whether `c` can be part of a Chinese numeral.
pub fn is_chinese_numeral(c: char) -> bool {
    chinese_digit(c).is_some() || chinese_unit(c).is_some() || c == '万' || c == '亿'
}

/// Whether a number can start at `c`.
pub fn starts_number(c: char) -> bool {
    ascii_digit(c).is_some() || (is_chinese_numeral(c) && c != '万' && c != '亿')
}

fn is_decimal_point(c: char) -> bool {
    c == '.' || c == '．'
}

/// Parses an Arabic number (digits, optional decimal part) at `i`.
fn parse_arabic(chars: &[char], i: usize) -> Option<(f64, usize)> {
    let mut j = i;
    let mut s = String::new();
    while let Some(d) = chars.get(j).and_then(|&c| ascii_digit(c)) {
        s.push(char::from_digit(d, 10)?);
        j += 1;
    }
    if j == i {
        return None;
    }
    if chars.get(j).is_some_and(|&c| is_decimal_point(c))
        && chars.get(j + 1).and_then(|&c| ascii_digit(c)).is_some()
    {
        s.push('.');
        j += 1;
        while let Some(d) = chars.get(j).and_then(|&c| ascii_digit(c)) {
            s.push(char::from_digit(d, 10)?);
            j += 1;
        }
    }
    let v = s.parse::<f64>().ok()?;
    Some((v, j))
}

/// Parses a Chinese numeral at `i`. A trailing 万/亿 directly followed by 元 is left unparsed
/// (it belongs to the unit 万元/亿元).
fn parse_chinese(chars: &[char], i: usize) -> Option<(f64, usize)> {
    let mut total = 0.0_f64;
    let mut section = 0.0_f64;
    let mut digit: Option<f64> = None;
    let mut j = i;
    let mut decimal: Option<(f64, f64)> = None; // (accumulated fraction, scale)
    while let Some(&c) = chars.get(j) {
        if let Some((frac, scale)) = decimal {
            match chinese_digit(c) {
                Some(d) => {
                    decimal = Some((frac + f64::from(d) * scale, scale / 10.0));
                    j += 1;
                    continue;
                }
                None => break,
            }
        }
        if (c == '零' || c == '〇') && j > i && digit.is_none() {
            // 一百零五: 零 only marks a skipped place.
            j += 1;
            continue;
        }
        if let Some(d) = chinese_digit(c) {
            if digit.is_some() {
                // Two digits in a row ("一二") is not a numeral we understand: stop.
                break;
            }
            digit = Some(f64::from(d));
        } else if let Some(u) = chinese_unit(c) {
            let d = digit.take().unwrap_or(1.0);
            section += d * u;
        } else if c == '万' || c == '亿' {
            if chars.get(j + 1) == Some(&'元') || j == i {
                break;
            }
            let scale = if c == '万' { 1e4 } else { 1e8 };
            let part = section + digit.take().unwrap_or(0.0);
            if c == '亿' {
                total = (total + part) * scale;
            } else {
                total += part * scale;
            }
            section = 0.0;
        } else if c == '点'
            && digit.is_some()
            && chars.get(j + 1).and_then(|&n| chinese_digit(n)).is_some()
        {
            section += digit.take().unwrap_or(0.0);
            decimal = Some((0.0, 0.1));
        } else {
            break;
        }
        j += 1;
    }
    if j == i {
        return None;
    }
    let mut v = total + section + digit.unwrap_or(0.0);
    if let Some((frac, _)) = decimal {
        v += frac;
    }
    Some((v, j))
}

fn parse_single(chars: &[char], i: usize) -> Option<(f64, usize, bool)> {
    let c = *chars.get(i)?;
    if ascii_digit(c).is_some() {
        let (mut v, mut j) = parse_arabic(chars, i)?;
        // "1.2万家", "3亿人次": a multiplier not followed by 元.
        if let Some(&m) = chars.get(j)
            && (m == '万' || m == '亿')
            && chars.get(j + 1) != Some(&'元')
            && chars
                .get(j + 1)
                .is_some_and(|&n| crate::lexicon::unit_at_char(n))
        {
            v *= if m == '万' { 1e4 } else { 1e8 };
            j += 1;
        }
        Some((v, j, false))
    } else if starts_number(c) {
        let (v, j) = parse_chinese(chars, i)?;
        Some((v, j, true))
    } else {
        None
    }
}

const RANGE_JOINERS: &[char] = &['-', '—', '–', '~', '～', '至', '到', '－', '〜'];

/// Parses a number or range starting exactly at `i`.
pub fn parse_number_at(chars: &[char], i: usize) -> Option<Number> {
    let (value, end, chinese) = parse_single(chars, i)?;
    let mut number = Number {
        value,
        value_max: None,
        start: i,
        end,
        chinese,
        width: end - i,
    };
    // Range: joiner (possibly doubled, e.g. "——") then a second number of the same script.
    let mut k = end;
    let mut joiners = 0;
    while chars.get(k).is_some_and(|c| RANGE_JOINERS.contains(c)) && joiners < 2 {
        k += 1;
        joiners += 1;
    }
    if joiners > 0
        && let Some((v2, end2, chinese2)) = parse_single(chars, k)
        && chinese2 == chinese
        && v2 > value
        // A year range like 2018—2020年 is not a value range.
        && chars.get(end2) != Some(&'年')
    {
        number.value_max = Some(v2);
        number.end = end2;
    }
    Some(number)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    fn p(s: &str) -> Number {
        let chars: Vec<char> = s.chars().collect();
        parse_number_at(&chars, 0).expect("number")
    }

    #[test]
    fn arabic_and_fullwidth() {
        assert_eq!(p("45亿元").value, 45.0);
        assert_eq!(p("2.2%").value, 2.2);
        assert_eq!(p("１２０家").value, 120.0);
        assert_eq!(p("62.0%").value, 62.0);
        assert_eq!(p("1.2万家").value, 12000.0);
        assert_eq!(p("5000万元").value, 5000.0);
        assert_eq!(p("5000万元").end, 4);
    }

    #[test]
    fn chinese_numerals() {
        assert_eq!(p("二百名").value, 200.0);
        assert_eq!(p("十个").value, 10.0);
        assert_eq!(p("二十家").value, 20.0);
        assert_eq!(p("一千二百家").value, 1200.0);
        assert_eq!(p("三万五千人").value, 35000.0);
        assert_eq!(p("两家").value, 2.0);
        assert_eq!(p("五十家").value, 50.0);
        assert_eq!(p("三千万元").value, 3000.0);
        assert_eq!(p("三千万元").end, 2);
        assert_eq!(p("二点五亿元").value, 2.5);
        assert_eq!(p("一百零五项").value, 105.0);
    }

    #[test]
    fn ranges() {
        let n = p("1—2家");
        assert_eq!((n.value, n.value_max, n.end), (1.0, Some(2.0), 3));
        let n = p("8-10个");
        assert_eq!((n.value, n.value_max), (8.0, Some(10.0)));
        let n = p("8至10个");
        assert_eq!((n.value, n.value_max), (8.0, Some(10.0)));
        let n = p("8～10个");
        assert_eq!((n.value, n.value_max), (8.0, Some(10.0)));
        let n = p("二至三家");
        assert_eq!((n.value, n.value_max), (2.0, Some(3.0)));
        let n = p("3——5家");
        assert_eq!((n.value, n.value_max), (3.0, Some(5.0)));
        // A year range is not a value range.
        assert_eq!(p("2018—2020年").value_max, None);
    }
}
