//! Document structure shared by extraction and the ledger: lines with char offsets, numbered
//! headings (一、 (一) 1. （1） 第X章), quote masks, sentences and clauses, document context
//! (annual year, plan horizon, region).

use crate::numerals::{ascii_digit, is_chinese_numeral};

/// A line of the text, `[start, end)` in chars, without the line break.
#[derive(Debug, Clone)]
pub struct Line {
    pub start: usize,
    pub end: usize,
}

pub fn lines(chars: &[char]) -> Vec<Line> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, &c) in chars.iter().enumerate() {
        if c == '\n' || c == '\r' {
            out.push(Line { start, end: i });
            start = i + 1;
        }
    }
    out.push(Line {
        start,
        end: chars.len(),
    });
    out
}

/// A numbered heading at the start of a line: level (0 = 第X章, 1 = 一、, 2 = (一), 3 = 1.,
/// 4 = (1)) and the marker's length in chars (after leading whitespace).
#[derive(Debug, Clone, PartialEq)]
pub struct HeadingMark {
    pub level: u8,
    pub marker: String,
    /// Offset (chars from the line start) where the title begins.
    pub title_offset: usize,
}

fn is_cn_small(c: char) -> bool {
    matches!(
        c,
        '一' | '二' | '三' | '四' | '五' | '六' | '七' | '八' | '九' | '十' | '〇' | '零'
    )
}

pub fn heading_mark(line: &[char]) -> Option<HeadingMark> {
    let lead = line
        .iter()
        .take_while(|c| c.is_whitespace() || **c == '\u{3000}')
        .count();
    let s = &line[lead..];
    let mk = |level: u8, n: usize| {
        Some(HeadingMark {
            level,
            marker: s[..n].iter().collect::<String>().trim().to_string(),
            title_offset: lead + n,
        })
    };
    let first = *s.first()?;
    // 第X章 / 第X部分
    if first == '第' {
        let n = s[1..]
            .iter()
            .take_while(|&&c| is_chinese_numeral(c) || ascii_digit(c).is_some())
            .count();
        if n > 0 && matches!(s.get(1 + n), Some('章') | Some('部')) {
            let extra = if s.get(1 + n) == Some(&'部') && s.get(2 + n) == Some(&'分') {
                2
            } else {
                1
            };
            return mk(0, 1 + n + extra);
        }
        return None;
    }
    // 一、
    if is_cn_small(first) {
        let n = s.iter().take_while(|&&c| is_cn_small(c)).count();
        if n <= 3 && s.get(n) == Some(&'、') {
            return mk(1, n + 1);
        }
        return None;
    }
    // (一) / (1)
    if first == '(' || first == '（' {
        let n = s[1..].iter().take_while(|&&c| is_cn_small(c)).count();
        if n > 0 && n <= 3 && matches!(s.get(1 + n), Some(')') | Some('）')) {
            return mk(2, n + 2);
        }
        let n = s[1..]
            .iter()
            .take_while(|&&c| ascii_digit(c).is_some())
            .count();
        if n > 0 && n <= 2 && matches!(s.get(1 + n), Some(')') | Some('）')) {
            return mk(4, n + 2);
        }
        return None;
    }
    // 1. / 1、 / 1．  (not "1.5", not a year "2020年")
    if ascii_digit(first).is_some() {
        let n = s.iter().take_while(|&&c| ascii_digit(c).is_some()).count();
        if n <= 2
            && matches!(s.get(n), Some('.') | Some('．') | Some('、'))
            && s.get(n + 1).is_none_or(|&c| ascii_digit(c).is_none())
        {
            return mk(3, n + 1);
        }
        return None;
    }
    // ①
    if ('①'..='⑳').contains(&first) {
        return mk(5, 1);
    }
    None
}

/// `mask[i]` is true inside “…”, 《…》, 〔…〕, 【…】 (numbers there are names, not measures).
/// `book[i]` is true inside 《…》, 〔…〕 only. Both reset at line breaks.
pub fn masks(chars: &[char]) -> (Vec<bool>, Vec<bool>) {
    let mut mask = vec![false; chars.len()];
    let mut book = vec![false; chars.len()];
    let (mut quote, mut title, mut bracket) = (0i32, 0i32, 0i32);
    for (i, &c) in chars.iter().enumerate() {
        match c {
            '\n' | '\r' => {
                quote = 0;
                title = 0;
                bracket = 0;
            }
            '“' => quote += 1,
            '”' => quote = (quote - 1).max(0),
            '《' => title += 1,
            '》' => title = (title - 1).max(0),
            '〔' | '【' => bracket += 1,
            '〕' | '】' => bracket = (bracket - 1).max(0),
            _ => {}
        }
        mask[i] = quote > 0 || title > 0 || bracket > 0;
        book[i] = title > 0 || bracket > 0;
    }
    (mask, book)
}

/// Sentences of a line: split at 。；;！!？? with surrounding whitespace trimmed.
pub fn sentences(chars: &[char], line: &Line) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = line.start;
    let push = |a: usize, b: usize, out: &mut Vec<(usize, usize)>| {
        let mut a = a;
        let mut b = b;
        while a < b && chars[a].is_whitespace() {
            a += 1;
        }
        while b > a && chars[b - 1].is_whitespace() {
            b -= 1;
        }
        if b > a {
            out.push((a, b));
        }
    };
    for (i, &c) in chars.iter().enumerate().take(line.end).skip(line.start) {
        if matches!(c, '。' | '；' | ';' | '！' | '!' | '？' | '?') {
            push(start, i + 1, &mut out);
            start = i + 1;
        }
    }
    push(start, line.end, &mut out);
    out
}

pub fn is_clause_delim(c: char) -> bool {
    matches!(
        c,
        ',' | '，' | ';' | '；' | ':' | '：' | '。' | '!' | '！' | '?' | '？'
    )
}

pub fn is_cjk(c: char) -> bool {
    ('\u{4e00}'..='\u{9fff}').contains(&c) || ('\u{3400}'..='\u{4dbf}').contains(&c)
}

/// Year of the end of the N-th five-year plan ("十四五" → 2025).
pub fn fyp_end_year(n: u32) -> i32 {
    2010 + 5 * (n as i32 - 11)
}

/// Parses 十X五 at `i` (X in 一…九): returns (end year, chars consumed).
pub fn fyp_at(chars: &[char], i: usize) -> Option<(i32, usize)> {
    if chars.get(i) != Some(&'十') || chars.get(i + 2) != Some(&'五') {
        return None;
    }
    let x = match chars.get(i + 1)? {
        '一' => 1,
        '二' => 2,
        '三' => 3,
        '四' => 4,
        '五' => 5,
        '六' => 6,
        _ => return None,
    };
    Some((fyp_end_year(10 + x), 3))
}

/// Parses a 4-digit year 19xx/20xx followed by 年 at `i`.
pub fn year_at(chars: &[char], i: usize) -> Option<i32> {
    let mut v = 0i32;
    for k in 0..4 {
        v = v * 10 + ascii_digit(*chars.get(i + k)?)? as i32;
    }
    if i > 0 && chars.get(i - 1).and_then(|&c| ascii_digit(c)).is_some() {
        return None;
    }
    if chars.get(i + 4) != Some(&'年') || !(1949..=2100).contains(&v) {
        return None;
    }
    Some(v)
}

/// What the document says about itself.
#[derive(Debug, Clone, Default)]
pub struct DocContext {
    /// For an annual work-points plan (工作要点/计划): its year; 年末/全年 resolve to it.
    pub annual_year: Option<i32>,
    /// For a multi-year plan: the end year (十四五 → 2025), the default target year.
    pub horizon: Option<i32>,
    /// The plan's base year (十四五 → 2020), the default year of a review section.
    pub base_year: Option<i32>,
    /// The plan's region from the title (or the most frequent place name).
    pub region: Option<String>,
    /// Where `annual_year` came from: "title" (工作要点/政府工作报告 with a year), "opening"
    /// ("2023年是…之年"), "去年" (inferred from the year given for 去年) — the last is a guess.
    pub year_source: &'static str,
}

pub fn doc_context(chars: &[char], lines: &[Line]) -> DocContext {
    let head_lines: Vec<&Line> = lines.iter().filter(|l| l.end > l.start).take(6).collect();
    let head: String = head_lines
        .iter()
        .flat_map(|l| chars[l.start..l.end].iter())
        .take(600)
        .collect();
    let head_chars: Vec<char> = head.chars().collect();
    let mut ctx = DocContext::default();
    let annual = [
        "政府工作报告",
        "工作报告",
        "工作要点",
        "工作计划",
        "工作安排",
        "年度计划",
        "工作方案",
        "重点工作",
    ];
    // "(2023—2027年)": a multi-year plan; its base year is the year before it starts.
    for i in 5..head_chars.len() {
        if let Some(y) = year_at(&head_chars, i)
            && matches!(head_chars[i - 1], '-' | '—' | '–' | '~' | '～' | '至')
            && let Some(start) = year_at(
                &{
                    let mut v = head_chars[i - 5..i - 1].to_vec();
                    v.push('年');
                    v
                },
                0,
            )
        {
            ctx.horizon = Some(y);
            ctx.base_year = Some(start - 1);
            break;
        }
    }
    if ctx.horizon.is_none() && annual.iter().any(|w| head.contains(w)) {
        ctx.annual_year = (0..head_chars.len()).find_map(|i| year_at(&head_chars, i));
        ctx.year_source = "title";
    }
    if ctx.horizon.is_none() && ctx.annual_year.is_none() {
        // 十X五 in the head.
        if let Some(y) = (0..head_chars.len()).find_map(|i| fyp_at(&head_chars, i).map(|(y, _)| y))
        {
            ctx.horizon = Some(y);
            ctx.base_year = Some(y - 5);
        }
    }
    if ctx.horizon.is_none() && ctx.annual_year.is_none() {
        // A yearly document that opens with "2023年是…之年" names its own year: Chinese work
        // points and reports habitually begin by characterising the current year.
        ctx.annual_year = opening_year(chars, lines);
        if ctx.annual_year.is_some() {
            ctx.year_source = "opening";
        }
    }
    if ctx.horizon.is_none() && ctx.annual_year.is_none() {
        ctx.annual_year = year_from_last_year(chars, lines);
        if ctx.annual_year.is_some() {
            ctx.year_source = "去年";
        }
    }
    // In a yearly document the review of the past (发展基础, 工作回顾, 去年) is the year before.
    if let Some(a) = ctx.annual_year {
        ctx.base_year = Some(a - 1);
    }
    ctx.region = title_region(chars, &head_lines).or_else(|| frequent_region(chars));
    ctx
}

/// "2023年是全面贯彻…的开局之年": a year that is the subject of the document's first sentence.
fn opening_year(chars: &[char], lines: &[Line]) -> Option<i32> {
    let first = lines.iter().find(|l| {
        chars[l.start..l.end]
            .iter()
            .any(|c| !c.is_whitespace() && *c != '\u{3000}')
    })?;
    let line = &chars[first.start..first.end];
    let lead = line
        .iter()
        .take_while(|c| c.is_whitespace() || **c == '\u{3000}')
        .count();
    let y = year_at(line, lead)?;
    let sentence_end = line[lead..]
        .iter()
        .position(|c| matches!(c, '。' | '!' | '！'))
        .map_or(line.len(), |p| lead + p);
    let sentence: String = line[lead..sentence_end].iter().collect();
    (line.get(lead + 5) == Some(&'是') && sentence.ends_with("之年")).then_some(y)
}

/// A report without a dated title that speaks of 去年 and 今年 (a news copy of a work
/// conference): 去年's figures are given with their year ("去年…。2019年,我省…达到52.8%"),
/// so the current year is the latest year written in the paragraph that mentions 去年 (or the
/// next one) plus one. Years after 到/至 are targets, not the past, and are ignored.
fn year_from_last_year(chars: &[char], lines: &[Line]) -> Option<i32> {
    let text: String = chars.iter().collect();
    if !text.contains("今年") || !text.contains("去年") {
        return None;
    }
    let mut best: Option<i32> = None;
    for (k, l) in lines.iter().enumerate() {
        let line: String = chars[l.start..l.end].iter().collect();
        if !line.contains("去年") {
            continue;
        }
        for m in lines.iter().skip(k).take(2) {
            for i in m.start..m.end {
                if let Some(y) = year_at(chars, i)
                    && !(i > 0 && matches!(chars[i - 1], '到' | '至'))
                {
                    best = Some(best.map_or(y, |b| b.max(y)));
                }
            }
        }
    }
    best.map(|y| y + 1)
}

const REGION_SUFFIXES: &[char] = &['省', '市', '县', '区', '州'];

fn strip_region_suffix(s: &str) -> String {
    let s = s.trim_end_matches("自治区").trim_end_matches("自治州");
    let mut v: Vec<char> = s.chars().collect();
    if v.len() > 2 && v.last().is_some_and(|c| REGION_SUFFIXES.contains(c)) {
        v.pop();
    }
    v.into_iter().collect()
}

/// The place name right before 十X五 / YYYY年 in a title line ("济源“十四五”…", "青海省十四五…").
fn title_region(chars: &[char], head: &[&Line]) -> Option<String> {
    for l in head {
        let line = &chars[l.start..l.end];
        for i in 0..line.len() {
            let quoted = i > 0 && matches!(line[i - 1], '“' | '"');
            let at = if quoted { i - 1 } else { i };
            if fyp_at(line, i).is_none() && year_at(line, i).is_none() {
                continue;
            }
            let run: Vec<char> = line[..at]
                .iter()
                .rev()
                .take_while(|&&c| is_cjk(c))
                .copied()
                .collect();
            let run: String = run.into_iter().rev().collect();
            let n = run.chars().count();
            if !(2..=7).contains(&n) {
                continue;
            }
            let ends_place = run
                .chars()
                .last()
                .is_some_and(|c| REGION_SUFFIXES.contains(&c));
            if ends_place || (quoted && n <= 4) {
                let r = strip_region_suffix(&run);
                if !r.starts_with('全') && !r.starts_with('我') {
                    return Some(r);
                }
            }
        }
    }
    None
}

/// The most frequent "XX市/XX省/XX县" in the text (a title-less text such as a news copy).
fn frequent_region(chars: &[char]) -> Option<String> {
    let stop = [
        "全", "我", "本", "各", "该", "城", "县", "区", "省", "地", "都", "州", "两", "京", "沪",
    ];
    let mut counts: Vec<(String, usize, usize)> = Vec::new();
    for i in 2..chars.len() {
        let c = chars[i];
        if !matches!(c, '市' | '省') || chars.get(i + 1) == Some(&'场') {
            continue;
        }
        let (a, b) = (chars[i - 2], chars[i - 1]);
        if !is_cjk(a) || !is_cjk(b) {
            continue;
        }
        let name: String = [a, b].iter().collect();
        if stop
            .iter()
            .any(|s| name.ends_with(s) || name.starts_with(s))
        {
            continue;
        }
        match counts.iter_mut().find(|(n, _, _)| *n == name) {
            Some(e) => e.1 += 1,
            None => counts.push((name, 1, i)),
        }
    }
    counts
        .into_iter()
        .filter(|(_, n, _)| *n >= 3)
        .max_by(|a, b| a.1.cmp(&b.1).then(b.2.cmp(&a.2)))
        .map(|(n, _, _)| n)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hm(s: &str) -> Option<(u8, String)> {
        let c: Vec<char> = s.chars().collect();
        heading_mark(&c).map(|h| (h.level, h.marker))
    }

    #[test]
    fn headings() {
        assert_eq!(hm("一、总体思路"), Some((1, "一、".into())));
        assert_eq!(hm("(一)编制一个规划"), Some((2, "(一)".into())));
        assert_eq!(hm("（二）突出"), Some((2, "（二）".into())));
        assert_eq!(hm("12.实施科技特派员"), Some((3, "12.".into())));
        assert_eq!(hm("(1)某事"), Some((4, "(1)".into())));
        assert_eq!(hm("第五章打造"), Some((0, "第五章".into())));
        assert_eq!(hm("2020年,是"), None);
        assert_eq!(hm("1.5倍"), None);
        assert_eq!(hm("一是加强"), None);
    }

    #[test]
    fn region_and_years() {
        let t: Vec<char> = "济源“十四五”科技创新发展规划\n正文".chars().collect();
        let l = lines(&t);
        let c = doc_context(&t, &l);
        assert_eq!(c.region.as_deref(), Some("济源"));
        assert_eq!(c.horizon, Some(2025));
        assert_eq!(c.base_year, Some(2020));
        let t: Vec<char> = "临江市2023年全市科技工作要点\n".chars().collect();
        let c = doc_context(&t, &lines(&t));
        assert_eq!(c.region.as_deref(), Some("临江"));
        assert_eq!(c.annual_year, Some(2023));
        assert_eq!(c.horizon, None);
    }
}
