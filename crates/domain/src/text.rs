//! Text hygiene for names people read and files people open: characters that make text
//! display differently from what it is (bidi overrides, zero-width joiners, private-use code
//! points, control characters) are refused in names, titles and file names, so a file named 报告, U+202E,
//! "fdp.exe" cannot pose as a PDF and two names that look alike are alike.

use crate::FieldError;

/// The first character of `s` that does not belong in a displayed name, if any.
pub fn deceptive_char(s: &str) -> Option<char> {
    s.chars().find(|c| {
        let u = *c as u32;
        c.is_control()
            || (0x200B..=0x200F).contains(&u) // zero-width space/joiners, LRM/RLM
            || (0x202A..=0x202E).contains(&u) // bidi embeddings and overrides
            || (0x2066..=0x2069).contains(&u) // bidi isolates
            || u == 0xFEFF
            || (0xE000..=0xF8FF).contains(&u) // private use
            || (0xF0000..=0x10FFFF).contains(&u)
    })
}

/// The error for a name with such a character, or none.
pub fn check_name(field: &str, label: &str, s: &str) -> Option<FieldError> {
    deceptive_char(s).map(|c| {
        FieldError::new(
            field,
            &format!("{field}.invisible_char"),
            format!(
                "{label}含有不可见或改变显示方向的字符（U+{:04X}），请删除后重新填写",
                c as u32
            ),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_tricks_are_found_and_ordinary_chinese_passes() {
        assert_eq!(deceptive_char("济源国泰环保有限责任公司（一期）"), None);
        assert_eq!(deceptive_char("报告\u{202E}fdp.exe"), Some('\u{202E}'));
        assert_eq!(deceptive_char("王\u{200B}振宇"), Some('\u{200B}'));
        assert_eq!(deceptive_char("a\u{E000}"), Some('\u{E000}'));
        assert_eq!(deceptive_char("tab\there"), Some('\t'));
        assert!(check_name("name", "单位名称", "正常名称").is_none());
    }
}
