//! Target and baseline extraction. See the crate documentation for the design.

use serde::{Deserialize, Serialize};

use crate::lexicon::{self, cmp};
use crate::numerals::{self, ascii_digit, parse_number_at, starts_number};
use crate::structure::{self, DocContext, is_cjk, is_clause_delim};

/// Whether a statement is a goal or a reported (past) value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Target,
    Baseline,
}

/// One quantitative target or baseline found in a plan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Extracted {
    /// The measured thing as written (trimmed of time, region, verbs and comparator words).
    pub indicator: String,
    /// Normalized key (`monitoring.md` Part B keys, `{level}_{type}_count` for platforms,
    /// else `other:<indicator>`).
    pub key: String,
    pub value: f64,
    /// Upper end of a range ("8-10个" → value 8, value_max 10).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub value_max: Option<f64>,
    /// Normalized unit (家, 个, 项, 人, %, 百分点, 亿元, 万元, 倍 …).
    pub unit: String,
    /// Comparator code: reach, above, at_least, at_most, approximately, range, new, increase,
    /// per_year, multiply_by, maintain.
    pub comparator: String,
    /// The comparator words as written ("达到", "…以上", "新增…以上", "倍增").
    pub comparator_text: String,
    /// Target year, or the year a baseline refers to.
    pub year: Option<i32>,
    pub kind: Kind,
    /// The plan's region, or a more specific one named in the indicator (e.g. "临江高新区").
    pub region: Option<String>,
    /// The source sentence, exactly `text.chars().skip(start).take(end - start)`.
    pub sentence: String,
    /// Char (Unicode scalar value) offsets of the sentence in the input text.
    pub start: usize,
    pub end: usize,
    /// Char offsets of the number (and unit) inside the input text.
    pub value_start: usize,
    pub value_end: usize,
    /// Which rules fired, for explanation (e.g. `num+unit;ind=before;cmp=达到;year=到…`).
    pub rule: String,
    /// Set when a rule had to guess and the reading may be wrong: a unit the text leaves out
    /// ("100亿" read as 亿元), "增长N倍" read as N+1 times, or a year inferred from the text's
    /// 去年 rather than stated. Absent when the text states the tuple plainly.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub doubt: Option<String>,
}

#[derive(Debug, Clone)]
struct YearExpr {
    pos: usize,
    end: usize,
    year: i32,
    /// A comparison base ("较“十二五”期末", "比2020年") — not the statement's year.
    reference: bool,
    /// "由2015年的86家": the year of the number right after it.
    of_next_value: bool,
    text: String,
}

struct Doc<'a> {
    chars: &'a [char],
    mask: Vec<bool>,
    book: Vec<bool>,
    ctx: DocContext,
}

/// Extracts every quantitative target and baseline from a plan's text.
pub fn extract(text: &str) -> Vec<Extracted> {
    let chars: Vec<char> = text.chars().collect();
    let lines = structure::lines(&chars);
    let ctx = structure::doc_context(&chars, &lines);
    let (mask, book) = structure::masks(&chars);
    let doc = Doc {
        chars: &chars,
        mask,
        book,
        ctx,
    };
    let mut out = Vec::new();
    // Section classification by heading level: baseline (review) / target (goals) / neutral,
    // and the section's year (see `Section`).
    let mut stack: Vec<Section> = Vec::new();
    // The year stated before any heading ("到2023年,主要指标实现…" in an untitled excerpt).
    let mut root_year: Option<(i32, String)> = None;
    // Column years of the last table header seen ("指标 2020年 2025年 属性").
    let mut table_years: Vec<i32> = Vec::new();
    for line in &lines {
        let lc = &chars[line.start..line.end];
        if let Some(h) = structure::heading_mark(lc) {
            while stack.last().is_some_and(|x| x.level >= h.level) {
                stack.pop();
            }
            let title_chars = &lc[h.title_offset.min(lc.len())..];
            let title: String = title_chars.iter().take(30).collect();
            let class = if lexicon::BASELINE_HEADINGS.iter().any(|w| title.contains(w)) {
                Some(Kind::Baseline)
            } else if lexicon::TARGET_HEADINGS.iter().any(|w| title.contains(w)) {
                Some(Kind::Target)
            } else {
                None
            };
            // "一、2021年工作回顾": the heading dates its whole section.
            let year = (0..title_chars.len().min(30))
                .find_map(|i| structure::year_at(title_chars, i))
                .map(|y| (y, format!("heading:{y}年")));
            stack.push(Section {
                level: h.level,
                class,
                year,
            });
        }
        // A 主要指标 table flattened to text: the header names the columns' years, each row is
        // "指标 (单位) 基期值 目标值 属性". Rows are read as a table, never as sentences.
        if let Some(years) = table_header_years(lc) {
            table_years = years;
            continue;
        }
        if let Some(rows) = doc.table_row(line.start, line.end, &table_years) {
            out.extend(rows);
            continue;
        }
        let section = stack.iter().rev().find_map(|x| x.class);
        let section_year = stack
            .iter()
            .rev()
            .find_map(|x| x.year.clone())
            .or_else(|| root_year.clone());
        let mut carry_year: Option<(i32, String)> = None;
        let found_before = out.len();
        let sents = structure::sentences(&chars, line);
        let n = sents.len();
        for (k, (s, e)) in sents.into_iter().enumerate() {
            // "——创新平台集聚倍增。建设…": a short dash-bullet slogan heading whose measurable
            // statement follows in the same line is not itself a target.
            let slogan = k + 1 < n && chars[s] == '—' && e - s <= 14;
            if !slogan {
                doc.sentence(s, e, section, &section_year, &mut carry_year, &mut out);
            }
        }
        // "到2023年,主要科技创新指标实现“六个倍增”" followed by a "——" list or a 专栏 flattened
        // into lines: a target year stated with 到/至 in a lead-in paragraph (one without a
        // measure of its own) governs the rest of its section, not only its own paragraph. A
        // paragraph that states its own figures ("到2023年,新建…8~10家") is a milestone of
        // its own and dates nothing after it.
        if out.len() == found_before
            && let Some(y) = doc
                .years(line.start, line.end)
                .into_iter()
                .rfind(|y| !y.reference && y.pos > 0 && matches!(chars[y.pos - 1], '到' | '至'))
        {
            let carried = Some((y.year, format!("section:{}", y.text)));
            match stack.last_mut() {
                Some(top) => top.year = carried,
                None => root_year = carried,
            }
        }
    }
    out
}

/// The cells of a flattened table line: split at tabs, `|`, full-width spaces and runs of two
/// or more spaces (a single space can sit inside a name copied from a PDF).
fn table_cells(line: &[char]) -> Vec<String> {
    let text: String = line.iter().collect();
    let mut cells = Vec::new();
    for part in text.split(['\t', '|', '｜', '\u{3000}']) {
        for cell in part.split("  ") {
            let cell = cell.trim();
            if !cell.is_empty() {
                cells.push(cell.to_string());
            }
        }
    }
    cells
}

/// "指标名称  2020年  2025年  属性": a header line whose cells include two or more years.
fn table_header_years(line: &[char]) -> Option<Vec<i32>> {
    if line
        .iter()
        .any(|&c| matches!(c, '，' | ',' | '。' | '；' | ';'))
    {
        return None;
    }
    let cells = table_cells(line);
    let years: Vec<i32> = cells
        .iter()
        .filter_map(|c| {
            let cc: Vec<char> = c.chars().collect();
            structure::year_at(&cc, 0).filter(|_| cc.len() <= 8)
        })
        .collect();
    (years.len() >= 2 && cells.len() >= 3).then_some(years)
}

/// A table cell holding a plain value: "2.5", "≥2.5", ">300", "300以上", "[15]".
fn table_value(cell: &str) -> Option<(f64, &'static str)> {
    let (cell, code) = if let Some(r) = cell.strip_prefix(['≥', '>', '＞']) {
        (r, cmp::AT_LEAST)
    } else if let Some(r) = cell.strip_prefix(['≤', '<', '＜']) {
        (r, cmp::AT_MOST)
    } else if let Some(r) = cell.strip_suffix("以上") {
        (r, cmp::AT_LEAST)
    } else if let Some(r) = cell.strip_suffix("左右") {
        (r, cmp::APPROXIMATELY)
    } else {
        (cell, cmp::REACH)
    };
    let cell = cell.trim_matches(['[', ']', '〔', '〕', '(', ')', '（', '）']);
    let v: f64 = cell.parse().ok()?;
    Some((v, code))
}

impl Doc<'_> {
    /// One row of a flattened indicator table: "研发投入强度(%)  2.1  2.8  预期性" or
    /// "1  研发投入强度  %  2.1  2.8". The unit must be written (in parentheses after the name,
    /// or in a cell of its own) and the values must be bare numbers, so prose never reads as a
    /// row. Values take the header's years; without a header, two values are the plan's base
    /// year and horizon, one value the horizon.
    fn table_row(&self, start: usize, end: usize, header: &[i32]) -> Option<Vec<Extracted>> {
        let line = &self.chars[start..end];
        if line
            .iter()
            .any(|&c| matches!(c, '，' | ',' | '。' | '；' | ';' | '：' | ':'))
        {
            return None;
        }
        let mut cells = table_cells(line);
        if cells.len() < 3 {
            return None;
        }
        // A leading sequence number.
        if cells[0].chars().all(|c| c.is_ascii_digit()) {
            cells.remove(0);
        }
        let name_cell = cells.first()?.clone();
        if !name_cell.chars().any(is_cjk) {
            return None;
        }
        let (name, mut unit) = match name_cell.find(['(', '（']) {
            Some(p) if name_cell.ends_with([')', '）']) => {
                let open = name_cell[p..].chars().next().map_or(1, char::len_utf8);
                let close = name_cell.chars().last().map_or(1, char::len_utf8);
                let inner = &name_cell[p + open..name_cell.len() - close];
                (name_cell[..p].trim().to_string(), Some(inner.to_string()))
            }
            _ => (name_cell.trim().to_string(), None),
        };
        let mut rest = &cells[1..];
        if unit.is_none()
            && let Some(first) = rest.first()
            && table_value(first).is_none()
        {
            unit = Some(first.clone());
            rest = &rest[1..];
        }
        let unit = unit.filter(|u| !u.is_empty() && u.chars().count() <= 6)?;
        let unit_chars: Vec<char> = unit.chars().collect();
        let unit = match lexicon::unit_at(&unit_chars, 0) {
            Some((u, n)) if n == unit_chars.len() => u.to_string(),
            _ => unit,
        };
        let values: Vec<(f64, &'static str)> = rest.iter().map_while(|c| table_value(c)).collect();
        let tail_ok = rest[values.len()..]
            .iter()
            .all(|c| c.contains("预期") || c.contains("约束") || c.contains("性"));
        if values.is_empty() || !tail_ok || name.chars().count() < 2 {
            return None;
        }
        let years: Vec<Option<i32>> = if header.len() == values.len() {
            header.iter().map(|y| Some(*y)).collect()
        } else if values.len() == 2 {
            vec![
                self.ctx.base_year,
                self.ctx.horizon.or(self.ctx.annual_year),
            ]
        } else if values.len() == 1 {
            vec![self.ctx.horizon.or(self.ctx.annual_year)]
        } else {
            return None;
        };
        let sentence: String = line.iter().collect();
        let key = lexicon::indicator_key(&name);
        let rows = values
            .iter()
            .zip(years)
            .map(|(&(value, code), year)| {
                let kind = match (year, self.ctx.base_year) {
                    (Some(y), Some(b)) if y <= b => Kind::Baseline,
                    _ => Kind::Target,
                };
                Extracted {
                    indicator: name.clone(),
                    key: key.clone(),
                    value,
                    value_max: None,
                    unit: unit.clone(),
                    comparator: code.to_string(),
                    comparator_text: String::new(),
                    year,
                    kind,
                    region: self.ctx.region.clone(),
                    sentence: sentence.clone(),
                    start,
                    end,
                    value_start: start,
                    value_end: end,
                    rule: format!(
                        "table-row;year={}",
                        if header.len() == values.len() {
                            "header"
                        } else {
                            "base/horizon"
                        }
                    ),
                    // Without a header the column years are the plan's base and horizon: a
                    // guess when the table has other columns (e.g. a mid-term year).
                    doubt: (header.len() != values.len())
                        .then(|| "表格没有年份表头：各列按规划基期年和期末年理解".to_string()),
                }
            })
            .collect();
        Some(rows)
    }
}

/// An open heading: its level, its class (review → baseline, goals → target) and its year —
/// the year written in the heading ("2021年工作回顾"), or the last 到YYYY年 stated in its text.
/// A number without a year of its own and without one in its paragraph takes the section's
/// year before the document's default.
struct Section {
    level: u8,
    class: Option<Kind>,
    year: Option<(i32, String)>,
}

/// Serializes extractions as JSON lines (one object per line, each line ending in `\n`).
pub fn to_json_lines(items: &[Extracted]) -> String {
    let mut s = String::new();
    for it in items {
        if let Ok(line) = serde_json::to_string(it) {
            s.push_str(&line);
            s.push('\n');
        }
    }
    s
}

#[derive(Debug)]
struct Cand {
    num_start: usize,
    /// End of number + unit + post comparator.
    end: usize,
    value: f64,
    value_max: Option<f64>,
    unit: &'static str,
    post: Option<(&'static str, &'static str)>,
    special: Option<&'static str>,
    /// Why the reading may be wrong (see [`Extracted::doubt`]).
    doubt: Option<&'static str>,
}

impl Doc<'_> {
    fn text(&self, a: usize, b: usize) -> String {
        self.chars[a.min(b)..b].iter().collect()
    }

    fn clause_start(&self, s: usize, i: usize) -> usize {
        let mut k = i;
        while k > s && !is_clause_delim(self.chars[k - 1]) {
            k -= 1;
        }
        k
    }

    fn clause_end(&self, i: usize, e: usize) -> usize {
        let mut k = i;
        while k < e && !is_clause_delim(self.chars[k]) {
            k += 1;
        }
        k
    }

    fn starts_with_at(&self, i: usize, w: &str) -> bool {
        (i..)
            .zip(w.chars())
            .all(|(k, c)| self.chars.get(k) == Some(&c))
    }

    /// 以上 / 左右 / 以下 … right after the unit: (the word and its comparator, end).
    fn post_comparator(&self, at: usize) -> (Option<(&'static str, &'static str)>, usize) {
        for (w, code) in lexicon::POST_COMPARATORS {
            if self.starts_with_at(at, w) {
                return (Some((*w, *code)), at + w.chars().count());
            }
        }
        (None, at)
    }

    /// Whether a comparator verb ends right before `i` ("突破", "超过", "达到", "逾", "近").
    fn after_comparator(&self, s: usize, i: usize) -> bool {
        let before = self.text(i.saturating_sub(2).max(s), i);
        ["突破", "超过", "超", "达到", "达", "逾", "近", "约"]
            .iter()
            .any(|w| before.ends_with(w))
    }

    /// "经费投入达100亿以上", "营收3.5万亿": 亿 / 万亿 after a number with no unit, in a clause
    /// about money (经费, 投入, 收入, 产值, …额 …), is 亿元 — plans drop the 元 when the noun
    /// is money. Returns (factor to 亿元, chars of the bare multiplier).
    fn bare_money_unit(&self, s: usize, i: usize, j: usize) -> Option<(f64, usize)> {
        let ch = self.chars;
        let (scale, len) = match (ch.get(j), ch.get(j + 1)) {
            (Some('万'), Some('亿')) => (1e4, 2),
            (Some('亿'), _) => (1.0, 1),
            _ => return None,
        };
        let after = ch.get(j + len).copied();
        // "100亿斤", "1亿人": a real unit follows; only 以上/左右/a delimiter/the end may.
        let free = after.is_none_or(|c| !is_cjk(c))
            || lexicon::POST_COMPARATORS
                .iter()
                .any(|(w, _)| self.starts_with_at(j + len, w));
        let cs = self.clause_start(s, i);
        let clause = self.text(cs, i);
        (free && lexicon::MONEY_NOUNS.iter().any(|w| clause.contains(w))).then_some((scale, len))
    }

    fn years(&self, s: usize, e: usize) -> Vec<YearExpr> {
        let ch = self.chars;
        let mut out = Vec::new();
        let mut i = s;
        while i < e {
            if self.book[i] {
                i += 1;
                continue;
            }
            let mut found: Option<(i32, usize)> = None;
            if let Some(y) = structure::year_at(ch, i) {
                // "2018—2020年": the first year of a year range is skipped with the range.
                let mut end = i + 5;
                for suf in ["年底", "年末", "底", "末"] {
                    if self.starts_with_at(end, suf) {
                        end += suf.chars().count();
                        break;
                    }
                }
                found = Some((y, end));
            } else if let Some((y, n)) = structure::fyp_at(ch, i) {
                let mut end = i + n;
                if ch.get(end) == Some(&'”') || ch.get(end) == Some(&'"') {
                    end += 1;
                }
                for suf in ["期末", "末", "期间", "时期", "时"] {
                    if self.starts_with_at(end, suf) {
                        end += suf.chars().count();
                        break;
                    }
                }
                found = Some((y, end));
            } else if let Some((y, n)) = self.retrospective_at(i) {
                found = Some((y, i + n));
            } else if let Some(y) = self.ctx.annual_year {
                // Relative years of a yearly document (work points, a government work report):
                // 今年 is its year, 去年/过去一年/上年 the one before (the review), 明年 the next.
                let relative: [(&str, i32); 11] = [
                    ("年末", 0),
                    ("年底", 0),
                    ("全年", 0),
                    ("今年", 0),
                    ("本年度", 0),
                    ("年内", 0),
                    ("过去一年", -1),
                    ("去年", -1),
                    ("上一年", -1),
                    ("上年", -1),
                    ("明年", 1),
                ];
                for (w, delta) in relative {
                    if self.starts_with_at(i, w)
                        && !(i > 0 && (ascii_digit(ch[i - 1]).is_some() || ch[i - 1] == '近'))
                    {
                        found = Some((y + delta, i + w.chars().count()));
                        break;
                    }
                }
            }
            let Some((year, end)) = found else {
                i += 1;
                continue;
            };
            // Reference: 较/比/相比/同比/由 shortly before (skipping quotes).
            let mut k = i;
            while k > s && matches!(ch[k - 1], '“' | '"') {
                k -= 1;
            }
            let before = self.text(k.saturating_sub(2).max(s), k);
            let reference = before.ends_with('较')
                || before.ends_with('比')
                || before.ends_with("相比")
                || before.ends_with('由')
                || before.ends_with('从')
                || before.ends_with("对比");
            // "是2015年的3.1倍", "在2022年的基础上": comparison bases too.
            let after: String = ch[end.min(e)..(end + 4).min(e)].iter().collect();
            // "同2017年相比", "与2015年相比较": the comparison word follows the year.
            let reference = reference
                || ["相比", "比较", "相较", "对比"]
                    .iter()
                    .any(|w| after.starts_with(w))
                || (before.ends_with('是') && ch.get(end) == Some(&'的'))
                || (before.ends_with('在')
                    && (after.starts_with("的基础") || after.starts_with("基础")))
                || self.is_period_served(k, s);
            // "由2015年的86家", "从2015年的2.41%": the year of the number right after.
            let of_next_value =
                (before.ends_with('由') || before.ends_with('从')) && ch.get(end) == Some(&'的');
            out.push(YearExpr {
                pos: k,
                end,
                year,
                reference,
                of_next_value,
                text: self.text(k, end),
            });
            i = end.max(i + 1);
        }
        out
    }

    /// "奠定了“十四五”科技创新的坚实基础", "为“十四五”高质量发展提供了坚实支撑": a period
    /// named as what a review's results serve (the object of 奠定/打下, or after 为) is the
    /// coming plan, not the date of the figures around it — it dates nothing, so a later
    /// sentence of the paragraph does not take it as its year.
    fn is_period_served(&self, k: usize, s: usize) -> bool {
        let before = self.text(k.saturating_sub(3).max(s), k);
        // After a bare 为 only a period name (十X五) counts: "为2025年…" may be a date.
        let period = matches!(self.chars.get(k), Some('“' | '"' | '十'));
        ["奠定了", "奠定", "打下了", "打下"]
            .iter()
            .any(|w| before.ends_with(w))
            || (period && before.ends_with('为'))
    }

    /// A look back over a span of years ("过去五年", "过去的5年", "近五年来", "五年来,…"): the
    /// figures that follow report the span, so they stand at its last year — the year before a
    /// yearly document, the base year of a multi-year plan. Returns (year, chars).
    fn retrospective_at(&self, i: usize) -> Option<(i32, usize)> {
        let ch = self.chars;
        let year = self.ctx.annual_year.map(|a| a - 1).or(self.ctx.base_year)?;
        // The count of years: one or two digits, or one Chinese numeral (两, 几 included).
        let count_len = |k: usize| -> usize {
            let digits = (k..(k + 2).min(ch.len()))
                .take_while(|&j| ch[j].is_ascii_digit())
                .count();
            if digits > 0 {
                digits
            } else if ch
                .get(k)
                .is_some_and(|&c| "一二三四五六七八九十两几".contains(c))
            {
                1
            } else {
                0
            }
        };
        let years_at = |k: usize| -> Option<usize> {
            let n = count_len(k);
            (n > 0 && ch.get(k + n) == Some(&'年')).then_some(n + 1)
        };
        if self.starts_with_at(i, "过去") {
            let k = if self.starts_with_at(i + 2, "的") {
                i + 3
            } else {
                i + 2
            };
            return years_at(k).map(|n| (year, k + n - i));
        }
        if ch[i] == '近'
            && let Some(n) = years_at(i + 1)
            && ch.get(i + 1 + n) == Some(&'来')
        {
            return Some((year, n + 2));
        }
        let opens_clause = i == 0 || is_clause_delim(ch[i - 1]) || ch[i - 1].is_whitespace();
        if opens_clause
            && let Some(n) = years_at(i)
            && ch.get(i + n) == Some(&'来')
        {
            return Some((year, n + 1));
        }
        None
    }

    fn candidates(&self, s: usize, e: usize) -> Vec<Cand> {
        let ch = self.chars;
        let mut out = Vec::new();
        let mut i = s;
        while i < e {
            // 倍增 / 翻一番 / 翻两番 and 全覆盖 are numbers too.
            // 翻番 / 翻了一番 are the same doubling as 翻一番.
            let specials: [(&'static str, f64, &'static str); 7] = [
                ("倍增", 2.0, "倍"),
                ("翻一番", 2.0, "倍"),
                ("翻了一番", 2.0, "倍"),
                ("翻番", 2.0, "倍"),
                ("翻两番", 4.0, "倍"),
                ("翻了两番", 4.0, "倍"),
                ("全覆盖", 100.0, "%"),
            ];
            let mut special_hit = false;
            for (w, v, unit) in specials {
                if !self.starts_with_at(i, w) {
                    continue;
                }
                let n = w.chars().count();
                let after = i + n;
                let mut a2 = after;
                if ch.get(a2) == Some(&'”') {
                    a2 += 1;
                }
                let next_ok = a2 >= e || is_clause_delim(ch[a2]) || ch[a2] == '的' && unit == "%";
                // Inside quotes only as a slogan of its own (“双倍增”), never “倍增计划”, and
                // never a count of doublings ("“六个倍增”" names six targets, given elsewhere).
                let counted = i > 0 && ch[i - 1] == '个';
                let masked = self.mask[i] && unit != "%" && (a2 <= after || counted);
                if next_ok && !masked {
                    out.push(Cand {
                        num_start: i,
                        end: a2,
                        value: v,
                        value_max: None,
                        unit,
                        post: None,
                        special: Some(w),
                        doubt: None,
                    });
                }
                i = after;
                special_hit = true;
                break;
            }
            if special_hit {
                continue;
            }
            let c = ch[i];
            // "突破万家", "超亿元": a bare 万/亿 after a comparator is one 万/亿 (no digit is
            // written before it). Elsewhere a lone 万 is a word ("万众创新"), never a number.
            if matches!(c, '万' | '亿') && !self.mask[i] && self.after_comparator(s, i) {
                let (value, unit_pos) = if lexicon::unit_at(ch, i).is_some() {
                    (1.0, i)
                } else {
                    (if c == '万' { 1e4 } else { 1e8 }, i + 1)
                };
                if let Some((unit, ulen)) = lexicon::unit_at(ch, unit_pos)
                    && unit_pos + ulen <= e
                {
                    let (post, end) = self.post_comparator(unit_pos + ulen);
                    out.push(Cand {
                        num_start: i,
                        end,
                        value,
                        value_max: None,
                        unit,
                        post,
                        special: None,
                        doubt: None,
                    });
                    i = end;
                    continue;
                }
            }
            if self.mask[i] || !starts_number(c) {
                i += 1;
                continue;
            }
            let prev = if i > 0 { Some(ch[i - 1]) } else { None };
            let bad_prev = prev.is_some_and(|p| {
                ascii_digit(p).is_some()
                    || p == '.'
                    || p.is_ascii_alphabetic()
                    || p == '第'
                    || (numerals::is_chinese_numeral(p) && ascii_digit(c).is_none())
            });
            let Some(num) = parse_number_at(ch, i) else {
                i += 1;
                continue;
            };
            let skip_to = num.end.max(i + 1);
            if bad_prev || num.end > e {
                i = skip_to;
                continue;
            }
            let j = num.end;
            if ch.get(j) == Some(&'年') {
                i = skip_to;
                continue;
            }
            let mut doubt = None;
            let mut value = num.value;
            let mut value_max = num.value_max;
            // "200余家", "300多项": more than the number (余/多 between number and unit).
            let mut more_than = false;
            let (unit, ulen) = match lexicon::unit_at(ch, j) {
                Some(u) => u,
                None if matches!(ch.get(j), Some('余' | '多'))
                    && lexicon::unit_at(ch, j + 1).is_some() =>
                {
                    more_than = true;
                    lexicon::unit_at(ch, j + 1).map_or(("", 0), |(u, n)| (u, n + 1))
                }
                None => match self.bare_money_unit(s, i, j) {
                    // "R&D经费投入达100亿以上": money written without 元.
                    Some((scale, ulen)) => {
                        value *= scale;
                        value_max = value_max.map(|m| m * scale);
                        doubt = Some("单位按“亿元”推断：原文只写“亿”，未写“元”");
                        ("亿元", ulen)
                    }
                    None => {
                        i = skip_to;
                        continue;
                    }
                },
            };
            // "增加一倍", "增长2倍": growth *by* N times is N+1 times the base (the 2021 plan's
            // "增加一倍" is a doubling, the same as 翻一番).
            let growth_by = unit == "倍" && {
                let before = self.text(i.saturating_sub(3).max(s), i);
                let before = before.trim_end_matches('了');
                ["增加", "增长", "提高", "提升", "扩大"]
                    .iter()
                    .any(|w| before.ends_with(w))
            };
            if growth_by {
                value += 1.0;
                value_max = value_max.map(|m| m + 1.0);
                if num.value != 1.0 {
                    doubt = Some("“增长N倍”按基数的N+1倍理解，也有文件指N倍");
                }
            }
            // Single-character 一/二/两 ("一个规划", "两个重点") are rhetoric, not measures.
            // Kept when the numeral closes the clause ("培育服务站一个") or counts 倍.
            let closes = j + ulen >= e || is_clause_delim(ch[j + ulen]);
            if num.chinese
                && num.width == 1
                && num.value <= 2.0
                && num.value_max.is_none()
                && !closes
                && unit != "倍"
            {
                i = skip_to;
                continue;
            }
            let (mut post, end) = self.post_comparator(j + ulen);
            if more_than && post.is_none() {
                post = Some(("余", cmp::ABOVE));
            }
            // "十二届五次全会", "第三次党代会": the ordinal of a meeting, not a count.
            if unit == "次"
                && (prev == Some('届')
                    || ["全会", "会议", "党代会", "常委会", "全体会议", "常务会议"]
                        .iter()
                        .any(|w| self.starts_with_at(end, w)))
            {
                i = skip_to.max(end);
                continue;
            }
            // "67项中" restates a total already given; "前3名" etc. are ranks.
            let restated = ch.get(end) == Some(&'中');
            let rank = prev == Some('前') || prev == Some('第');
            if !restated && !rank && end <= e {
                out.push(Cand {
                    num_start: i,
                    end,
                    value,
                    value_max,
                    unit,
                    post,
                    special: None,
                    doubt,
                });
            }
            i = end.max(skip_to);
        }
        out
    }

    #[allow(clippy::too_many_arguments)]
    fn sentence(
        &self,
        s: usize,
        e: usize,
        section: Option<Kind>,
        section_year: &Option<(i32, String)>,
        carry_year: &mut Option<(i32, String)>,
        out: &mut Vec<Extracted>,
    ) {
        let ch = self.chars;
        let years = self.years(s, e);
        let cands = self.candidates(s, e);
        let sentence_text = self.text(s, e);
        if let Some(y) = years.iter().rev().find(|y| !y.reference) {
            // Year carried to later sentences of the same paragraph is decided after this one.
            let _ = y;
        }
        let mut last_indicators: Vec<String> = Vec::new();
        // A leading verb's comparator ("新增A3家、B10家", "分别增加1家、1家") carries over the
        // clause's later numbers.
        let mut clause_cmp: Option<(usize, (&'static str, &'static str))> = None;
        let mut prev_end = s;
        let respectively = self.respectively(s, e, &cands);
        for (ci, c) in cands.iter().enumerate() {
            let cs = self.clause_start(s, c.num_start);
            let ce = self.clause_end(c.end, e);
            let clause = self.text(cs, ce);
            if lexicon::POLICY_WORDS.iter().any(|w| clause.contains(w)) {
                prev_end = c.end;
                continue;
            }
            let seg_start = cs.max(prev_end);
            let raw_before = self.text(seg_start, c.num_start);
            let pre_clause = self.text(cs, c.num_start);
            // "100亿元以上项目开工19个": a size class before the counted noun qualifies the
            // next number of the clause; it stays part of that number's indicator.
            let qualifier = matches!(c.post, Some(("以上" | "以下", _)))
                && ch.get(c.end).is_some_and(|&x| is_cjk(x))
                && cands.get(ci + 1).is_some_and(|n| n.num_start < ce);
            if qualifier {
                continue;
            }
            prev_end = c.end;
            if is_gap_to_other_place(&pre_clause) {
                continue;
            }
            if c.unit == "倍" && is_multiple_of_other_place(&raw_before) {
                continue;
            }
            if raw_before.ends_with('等') {
                continue;
            }
            // Following phrase (number-first: "引进3个高水平研发团队").
            let next_num = cands.get(ci + 1).map(|n| n.num_start).filter(|&n| n < ce);
            let mut fe = ce;
            if let Some(nn) = next_num {
                fe = (c.end..nn).rev().find(|&k| ch[k] == '、').unwrap_or(nn);
            }
            let mut following =
                if c.end < fe && (is_cjk(ch[c.end]) || ch[c.end] == '“') && c.special.is_none() {
                    self.text(c.end, fe)
                } else {
                    String::new()
                };
            let following_full = following.clone();
            if let Some(p) = following.rfind('的') {
                following = following[p + '的'.len_utf8()..].to_string();
            }
            // "六个目标", "三大任务": a count of the plan's own parts, not a measure.
            // "18项培育措施", "六个方面": the counted noun is the head at the phrase's end too.
            if lexicon::META_NOUNS.iter().any(|w| following.starts_with(w))
                || lexicon::META_HEADS.iter().any(|w| following.ends_with(w))
            {
                continue;
            }
            // "规划纲要共19篇": the parts of a document named right before, not a measure.
            if c.unit == "篇" && is_document_parts(&raw_before) {
                continue;
            }
            let mut rule = vec![
                if c.special.is_some() {
                    "special"
                } else {
                    "num+unit"
                }
                .to_string(),
            ];

            let cleaned = clean_before(&raw_before, self.ctx.region.as_deref());
            // Enumeration summary: "郑州、洛阳、新乡三个国家高新区".
            if !following.is_empty()
                && raw_before.matches('、').count() >= 2
                && !cleaned.text.is_empty()
            {
                continue;
            }
            let generic_words = ["数量", "总量", "总数", "数", "规模", "总额", "个数", "比重"];
            // A period qualifier ("两年平均", "三年累计", "年均") says how the measure is
            // taken, not what is measured: the subject comes from earlier in the sentence.
            let generic_owned: Vec<&str> = if is_period_qualifier(&cleaned.text) {
                vec![cleaned.text.as_str()]
            } else {
                Vec::new()
            };
            let generic: Vec<&str> = generic_words.iter().copied().chain(generic_owned).collect();
            let mut indicator;
            if let Some(names) = &respectively
                && let Some(pos) = names.0.iter().position(|&k| k == ci)
                && let Some(name) = names.1.get(pos)
            {
                indicator = name.clone();
                rule.push("ind=respectively".into());
            } else if cleaned.new_conjunct && !following.is_empty() {
                // A quantity before its noun in a list ("百余所省属高校院所、近2500户高新技术
                // 企业构筑了…"): the noun ends before the first 的 or 了 of what follows.
                let head: String = following_full
                    .chars()
                    .take_while(|&c| c != '的' && c != '了')
                    .collect();
                indicator = clean_after(&head);
                rule.push("ind=after-conjunct".into());
                prev_end = fe;
            } else if !cleaned.text.is_empty()
                && !generic.contains(&cleaned.text.as_str())
                && !cleaned.text.starts_with('占')
                && (!cleaned.trailing_verb || following.is_empty())
            {
                indicator = cleaned.text.clone();
                rule.push("ind=before".into());
            } else if !following.is_empty()
                && (cleaned.text.is_empty()
                    || cleaned.trailing_verb
                    || generic.contains(&cleaned.text.as_str()))
            {
                indicator = clean_after(&following);
                rule.push("ind=after".into());
                prev_end = fe;
            } else if let Some(prev) = last_indicators.last() {
                indicator = format!("{prev}{}", cleaned.text);
                rule.push("ind=carry".into());
            } else if !cleaned.text.is_empty() {
                indicator = cleaned.text.clone();
                rule.push("ind=before".into());
            } else if let Some(subject) = self.previous_clause_subject(s, cs, &cands) {
                // "争取上级资金支持,确保超过6000万元": the subject is the previous clause.
                indicator = subject;
                rule.push("ind=prev-clause".into());
            } else {
                continue;
            }
            // "国家级企业技术中心5家、省级20家": a level alone names the previous item's kind
            // at that level (the noun is left out, not the measure).
            if lexicon::level_prefix(&indicator) == Some(indicator.as_str())
                && let Some(prev) = last_indicators.last()
            {
                let rest = lexicon::level_prefix(prev).map_or(prev.as_str(), |l| &prev[l.len()..]);
                if !rest.is_empty() {
                    indicator = format!("{indicator}{rest}");
                    rule.push("ind=level-ellipsis".into());
                }
            }
            if c.special == Some("全覆盖") {
                indicator = indicator.replace("基本实现", "").replace("实现", "");
                if !indicator.ends_with("全覆盖") {
                    indicator.push_str("全覆盖");
                }
            }
            // Growth of a carried subject reads "X增长".
            let mut comparator = cleaned.cmp;
            // Only a bare list joiner ("分别超过90家和870家") inherits every comparator; otherwise
            // only the leading verbs 新增/每年/增长 carry.
            let bare = raw_before
                .trim_matches(|c: char| "、和及与 ".contains(c))
                .is_empty();
            match (comparator, clause_cmp) {
                (None, Some((start, inherited)))
                    if start == cs
                        && (bare
                            || matches!(inherited.1, cmp::NEW | cmp::PER_YEAR | cmp::INCREASE)) =>
                {
                    comparator = Some(inherited)
                }
                (Some(found), _) => clause_cmp = Some((cs, found)),
                _ => {}
            }
            let per_year_clause = pre_clause.contains("每年")
                || pre_clause.contains("年均")
                || pre_clause.contains("平均增长")
                || pre_clause.contains("平均增速");
            if matches!(
                comparator.map(|x| x.1),
                Some(cmp::INCREASE) | Some(cmp::PER_YEAR)
            ) && matches!(c.unit, "%" | "百分点")
                && rule.iter().any(|r| r == "ind=carry")
            {
                indicator.push_str("增长");
            }
            let indicator = indicator
                .trim_matches(|ch: char| is_clause_delim(ch) || ch.is_whitespace())
                .to_string();
            if indicator
                .chars()
                .filter(|&x| is_cjk(x) || x.is_ascii_alphabetic())
                .count()
                < 2
            {
                continue;
            }
            // "常住人口1200万人": the plan's setting, not a measure of its work.
            if lexicon::BACKGROUND_NOUNS
                .iter()
                .any(|w| indicator.ends_with(w))
            {
                continue;
            }
            // Region: a specific place at the start of the indicator.
            let (region_specific, indicator) = split_region(&indicator);
            // "A和B实现“双倍增”": one multiplication target per listed subject.
            let double =
                c.special == Some("倍增") && c.num_start > 0 && ch[c.num_start - 1] == '双';
            let indicators: Vec<String> = if double {
                let raw = raw_before
                    .trim_end_matches('双')
                    .trim_end_matches(['“', '"']);
                let base = clean_before(raw, self.ctx.region.as_deref()).text;
                base.split(['和', '、', '及'])
                    .map(str::to_string)
                    .filter(|p| !p.is_empty())
                    .collect()
            } else if matches!(c.unit, "%" | "百分点")
                && let Some(parts) = distribute_attributes(&indicator)
            {
                // A rate cannot be a sum: "产值、增加值增幅…11%" gives each attribute 11%.
                rule.push("ind=distributed".into());
                parts
            } else {
                vec![indicator]
            };

            // Comparator.
            if c.special.is_some_and(|w| w != "全覆盖") || c.unit == "倍" {
                comparator = Some((c.special.unwrap_or("倍"), cmp::MULTIPLY_BY));
            }
            let mut code = comparator.map(|x| x.1);
            let mut text = comparator.map(|x| x.0.to_string()).unwrap_or_default();
            if per_year_clause && code != Some(cmp::MULTIPLY_BY) {
                code = Some(cmp::PER_YEAR);
                if text.is_empty() {
                    text = "每年".into();
                }
            }
            if let Some((w, pc)) = c.post {
                text = if text.is_empty() {
                    format!("…{w}")
                } else {
                    format!("{text}…{w}")
                };
                if matches!(code, None | Some(cmp::REACH)) {
                    code = Some(pc);
                }
            }
            if code.is_none() && c.value_max.is_some() {
                code = Some(cmp::RANGE);
            }
            let code = code.unwrap_or(cmp::REACH);
            if !text.is_empty() {
                rule.push(format!("cmp={text}"));
            }

            // Year and kind.
            let (year, kind, year_rule) = self.year_kind(
                &years,
                c.num_start,
                section,
                carry_year.as_ref(),
                section_year.as_ref(),
                &sentence_text,
            );
            // A year resolved from the document's context is a guess when that context was
            // itself inferred (from the year given for 去年), not read from a title.
            let year_doubt = (self.ctx.year_source == "去年"
                && !year_rule.chars().any(|x| x.is_ascii_digit()))
            .then_some("年份由文中“去年”所指的年份推断，原文未直接写明");
            let doubt: Vec<&str> = c.doubt.into_iter().chain(year_doubt).collect();
            let doubt = (!doubt.is_empty()).then(|| doubt.join("；"));
            rule.push(year_rule);
            for indicator in indicators {
                // A carried subject is the thing itself, not its growth.
                last_indicators.push(indicator.trim_end_matches("增长").to_string());
                let mut key = lexicon::indicator_key(&indicator);
                // A share or coverage is not a count.
                if matches!(c.unit, "%" | "百分点") && key.ends_with("_count") {
                    key = format!("other:{}", lexicon::slug(&indicator));
                }
                out.push(Extracted {
                    key,
                    indicator,
                    value: c.value,
                    value_max: c.value_max,
                    unit: c.unit.to_string(),
                    comparator: code.to_string(),
                    comparator_text: text.clone(),
                    year,
                    kind,
                    region: region_specific.clone().or_else(|| self.ctx.region.clone()),
                    sentence: sentence_text.clone(),
                    start: s,
                    end: e,
                    value_start: c.num_start,
                    value_end: c.end,
                    rule: rule.join(";"),
                    doubt: doubt.clone(),
                });
            }
        }
        if let Some(y) = years.iter().rev().find(|y| !y.reference) {
            *carry_year = Some((y.year, y.text.clone()));
        }
    }

    /// The previous clause of the sentence, cleaned, when it holds no number of its own.
    fn previous_clause_subject(&self, s: usize, cs: usize, cands: &[Cand]) -> Option<String> {
        if cs <= s + 1 {
            return None;
        }
        let pcs = self.clause_start(s, cs - 1);
        if cands.iter().any(|c| c.num_start >= pcs && c.num_start < cs) {
            return None;
        }
        let t = clean_before(&self.text(pcs, cs - 1), self.ctx.region.as_deref()).text;
        (t.chars().count() >= 2).then_some(t)
    }

    fn year_kind(
        &self,
        years: &[YearExpr],
        pos: usize,
        section: Option<Kind>,
        carry: Option<&(i32, String)>,
        section_year: Option<&(i32, String)>,
        sentence: &str,
    ) -> (Option<i32>, Kind, String) {
        let ctx = &self.ctx;
        // "由2015年的86家".
        if let Some(y) = years.iter().find(|y| y.of_next_value && y.end + 1 == pos) {
            return (Some(y.year), Kind::Baseline, format!("year=由{}的", y.year));
        }
        let explicit = years
            .iter()
            .rfind(|y| !y.reference && y.end <= pos)
            .or_else(|| years.iter().find(|y| !y.reference && y.pos >= pos));
        let (year, rule) = match (explicit, carry.or(section_year)) {
            (Some(y), _) => (Some(y.year), format!("year={}", y.text)),
            (None, Some((y, t))) if carry.is_some() => (Some(*y), format!("year=paragraph:{t}")),
            (None, Some((y, t))) => (Some(*y), format!("year={t}")),
            (None, None) => match (section, ctx.annual_year, ctx.horizon) {
                (Some(Kind::Baseline), _, _) if ctx.base_year.is_some() => {
                    (ctx.base_year, "year=section-baseline".to_string())
                }
                // The rule names where the document's year came from; "去年" is a guess.
                (_, Some(a), _) => (Some(a), format!("year=annual-plan({})", ctx.year_source)),
                (_, _, Some(h)) => (Some(h), "year=plan-horizon".to_string()),
                _ => (None, "year=none".to_string()),
            },
        };
        let past_markers = ["截至", "截止", "已有", "现有", "已建成", "已达", "共拥有"];
        let target_markers = ["到20", "力争", "争取", "将", "预计", "目标"];
        let kind = if section == Some(Kind::Baseline) {
            Kind::Baseline
        } else if let Some(y) = year {
            let before_plan = match (ctx.annual_year, ctx.base_year) {
                (Some(a), _) => y < a,
                (None, Some(b)) => y <= b,
                _ => false,
            };
            if before_plan
                || (past_markers.iter().any(|m| sentence.contains(m))
                    && !target_markers.iter().any(|m| sentence.contains(m)))
            {
                Kind::Baseline
            } else {
                Kind::Target
            }
        } else {
            Kind::Target
        };
        (year, kind, rule)
    }

    /// "分别增加1家、1家、4家": pairs the numbers after 分别 with the listed subjects.
    /// Returns (candidate indices, names).
    fn respectively(
        &self,
        s: usize,
        e: usize,
        cands: &[Cand],
    ) -> Option<(Vec<usize>, Vec<String>)> {
        let text_chars = &self.chars[s..e];
        let pos = (0..text_chars.len().saturating_sub(1))
            .find(|&k| text_chars[k] == '分' && text_chars[k + 1] == '别')?
            + s;
        let cs = self.clause_start(s, pos);
        let ce = self.clause_end(pos, e);
        let idx: Vec<usize> = cands
            .iter()
            .enumerate()
            .filter(|(_, c)| c.num_start > pos && c.num_start < ce)
            .map(|(i, _)| i)
            .collect();
        if idx.len() < 2 {
            return None;
        }
        let split = |t: &str| -> Vec<String> {
            t.split(['、', '和', '及', '与'])
                .map(|p| clean_before(p, self.ctx.region.as_deref()).text)
                .filter(|p| !p.is_empty())
                .collect()
        };
        // Subject in the same clause before 分别.
        let own = clean_before(&self.text(cs, pos), self.ctx.region.as_deref());
        let generic = ["", "数量", "总量", "总数", "数"];
        let mut names: Vec<String> = Vec::new();
        if !generic.contains(&own.text.as_str()) {
            names = split(&own.text);
        }
        if names.len() != idx.len() && cs > s {
            // Previous clause: numbers there → their subjects; else a list cut at its verb.
            let pcs = self.clause_start(s, cs - 1);
            let prev_cands: Vec<&Cand> = cands
                .iter()
                .filter(|c| c.num_start >= pcs && c.num_start < cs && c.special.is_none())
                .collect();
            if prev_cands.len() == idx.len() {
                let mut start = pcs;
                names = prev_cands
                    .iter()
                    .map(|c| {
                        let n = clean_before(
                            &self.text(start, c.num_start),
                            self.ctx.region.as_deref(),
                        )
                        .text;
                        start = c.end;
                        format!("{n}{}", own.text)
                    })
                    .collect();
            } else if prev_cands.is_empty() {
                let prev = self.text(pcs, cs - 1);
                let cut = ["实现", "均", "达到", "取得", "完成", "分别"]
                    .iter()
                    .filter_map(|w| prev.find(w))
                    .min()
                    .unwrap_or(prev.len());
                names = split(&prev[..cut]);
            }
        }
        (names.len() == idx.len()).then_some((idx, names))
    }
}

/// "高于全国平均水平0.6个百分点", "比全省高1.2个百分点": the clause before the number compares
/// with another place's figure, so the number is a gap, not the plan's own measure. The last
/// comparison word (not the 比 of 比重/比例/比率) must be followed by a place of comparison.
fn is_gap_to_other_place(pre_clause: &str) -> bool {
    let last = lexicon::GAP_COMPARISONS
        .iter()
        .flat_map(|w| pre_clause.match_indices(w).map(|(p, m)| p + m.len()))
        .filter(|&p| !matches!(pre_clause[p..].chars().next(), Some('重' | '例' | '率')))
        .max();
    last.is_some_and(|p| {
        lexicon::GAP_PLACES
            .iter()
            .any(|w| pre_clause[p..].contains(w))
    })
}

/// "为全市平均水平的2倍、全国平均水平的1.7倍": a multiple *of another place's level* (the
/// place, then 的, right before the number) compares the plan's figure with that place; it is
/// no growth of the region's own measure ("同2017年相比实现翻番", "是2015年的3.1倍" stay).
fn is_multiple_of_other_place(raw_before: &str) -> bool {
    raw_before.ends_with('的') && lexicon::GAP_PLACES.iter().any(|w| raw_before.contains(w))
}

/// "规划纲要共19篇", "本规划分为12篇": the text before a count of 篇 names a document (after
/// 共/分为/包括), so the number counts that document's parts ("发表论文100篇" stays).
fn is_document_parts(raw_before: &str) -> bool {
    let t = raw_before.trim_end_matches(['共', '分', '为', '包', '括', '含']);
    lexicon::DOCUMENT_NOUNS.iter().any(|w| t.ends_with(w))
}

struct Cleaned {
    text: String,
    cmp: Option<(&'static str, &'static str)>,
    /// A verb was removed from the end ("在新材料领域建设" → the counted thing follows).
    trailing_verb: bool,
    /// The number opens a new conjunct ("…省属高校院所、近2500户高新技术企业", "…中直机构和
    /// 百余所省属高校院所"): what precedes the joiner names the previous item, and the counted
    /// thing is the noun right after the unit.
    new_conjunct: bool,
}

fn strip_time_prefix(s: &str) -> Option<String> {
    let chars: Vec<char> = s.chars().collect();
    let mut i = 0;
    for p in ["截止到", "截至", "截止", "到", "至", "在", "于"] {
        if s.starts_with(p) {
            i = p.chars().count();
            break;
        }
    }
    if matches!(chars.get(i), Some('“') | Some('"')) {
        i += 1;
    }
    let mut matched = false;
    if let Some((_, n)) = structure::fyp_at(&chars, i) {
        i += n;
        matched = true;
    } else if structure::year_at(&chars, i).is_some() {
        i += 5;
        matched = true;
    }
    if !matched {
        return None;
    }
    if matches!(chars.get(i), Some('”') | Some('"')) {
        i += 1;
    }
    let rest: String = chars[i..].iter().collect();
    for suf in [
        "度",
        "年底前",
        "年底",
        "年末",
        "期末",
        "末",
        "底",
        "期间",
        "时期",
        "前",
        "内",
        "初",
    ] {
        if let Some(r) = rest.strip_prefix(suf) {
            return Some(r.to_string());
        }
    }
    Some(rest)
}

/// "…提升到2020年的" / "…连续5年": a year or a period written right before the number belongs
/// to the number (its date or its duration), not to the indicator's name: cut from the end.
fn strip_year_of_value(s: &str) -> Option<String> {
    let chars: Vec<char> = s.chars().collect();
    let mut n = chars.len();
    if chars.last() == Some(&'的') {
        n -= 1;
    }
    let mut k = n;
    for suf in ["年底", "年末", "年"] {
        let sc: Vec<char> = suf.chars().collect();
        if k >= sc.len() && chars[k - sc.len()..k] == sc[..] {
            k -= sc.len();
            break;
        }
    }
    if k == n {
        return None;
    }
    // A four-digit year, or a count of years after 连续 ("连续5年", "连续三年").
    let digits = chars[..k]
        .iter()
        .rev()
        .take_while(|c| ascii_digit(**c).is_some() || "一二两三四五六七八九十".contains(**c))
        .count();
    let start = k - digits;
    let is_year = digits == 4 && chars[start..k].iter().all(|c| ascii_digit(*c).is_some());
    let is_run = digits > 0 && start >= 2 && chars[start - 2..start] == ['连', '续'];
    if is_year {
        // "提升到" stays: it is the comparator, stripped as such.
        Some(chars[..start].iter().collect())
    } else if is_run {
        Some(chars[..start - 2].iter().collect())
    } else {
        None
    }
}

/// Removes "较“十二五”期末", "比2020年", "由2015年的" comparison phrases.
fn strip_reference(s: &str) -> String {
    let mut s = s.to_string();
    // "在2022年的基础上" / "在“十三五”基础上".
    while let Some(p) = s.find("基础上") {
        let head = &s[..p];
        let cut = head.rfind('在').filter(|&q| {
            let between = &head[q..];
            between.chars().any(|c| c.is_ascii_digit() || c == '十')
                && between.chars().count() <= 12
        });
        match cut {
            Some(q) => s = format!("{}{}", &s[..q], &s[p + "基础上".len()..]),
            None => break,
        }
    }
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let base_follows = chars.get(i + 1).is_some_and(|&n| {
            n == '“' || n == '"' || n == '十' || ascii_digit(n).is_some() || n == '上'
        });
        // 较/由/从/是/比 + base ("由2015年的", "从2015年的"); 同/与/和 + base only when 相比 /
        // 比较 / 相较 closes the phrase ("同2017年相比", "与2015年相比").
        let leads = c == '较'
            || c == '由'
            || c == '从'
            || c == '是'
            || (c == '比' && !matches!(chars.get(i + 1), Some('重') | Some('例')));
        let with_closer = matches!(c, '同' | '与' | '和');
        if (leads || with_closer) && base_follows {
            let lim = (i + 14).min(chars.len());
            let end = (i + 1..lim).find(|&k| {
                matches!(chars[k], '末' | '年' | '初' | '期')
                    && !matches!(chars.get(k + 1), Some('末') | Some('底'))
            });
            if let Some(k) = end {
                let mut j = k + 1;
                let rest: String = chars[j..].iter().take(2).collect();
                let closer = ["相比", "比较", "相较"].contains(&rest.as_str());
                if closer {
                    j += 2;
                }
                if leads || closer {
                    i = j;
                    if chars.get(i) == Some(&'的') {
                        i += 1;
                    }
                    continue;
                }
            }
        }
        out.push(c);
        i += 1;
    }
    out
}

fn clean_before(raw: &str, region: Option<&str>) -> Cleaned {
    let mut s = strip_reference(raw.trim());
    let mut cmp_found: Option<(&'static str, &'static str)> = None;
    let mut trailing_verb = false;
    // The aspect particle 了 closes a verb ("促成了30项成果", "增长了15%"): dropped, and when
    // no comparator stands before it the verb governs the noun after the number.
    let mut verb_le = false;
    if let Some(r) = s.strip_suffix('了') {
        s = r.to_string();
        verb_le = !lexicon::PRE_COMPARATORS.iter().any(|(w, _)| s.ends_with(w));
    }
    let mut pre: Vec<(&'static str, &'static str)> = lexicon::PRE_COMPARATORS.to_vec();
    pre.sort_by_key(|(w, _)| std::cmp::Reverse(w.chars().count()));
    let mut lead: Vec<&'static str> = lexicon::LEADING_NOISE
        .iter()
        .chain(lexicon::LEADING_VERBS)
        .copied()
        .collect();
    lead.sort_by_key(|w| std::cmp::Reverse(w.chars().count()));
    let region_words: Vec<String> = region
        .map(|r| {
            vec![
                format!("{r}市"),
                format!("{r}省"),
                format!("{r}县"),
                format!("{r}区"),
                r.to_string(),
            ]
        })
        .unwrap_or_default();
    // "…院所、近2500户", "…机构和12所": a joiner right before the number or its comparator.
    let head = pre
        .iter()
        .find_map(|(w, _)| s.strip_suffix(w))
        .unwrap_or(&s);
    let new_conjunct = ends_with_joiner(head);
    for _ in 0..12 {
        let before = s.clone();
        s = s
            .trim_matches(|c: char| c.is_whitespace() || c == '“' || c == '"' || c == '、')
            .to_string();
        // Trailing comparator words (closest to the number first).
        for (w, code) in &pre {
            if let Some(r) = s.strip_suffix(w) {
                if cmp_found.is_none() {
                    cmp_found = Some((w, code));
                }
                s = r.to_string();
                break;
            }
        }

        // A short leading parenthetical: "(备案)工程技术研究中心".
        if s.starts_with(['(', '（'])
            && let Some(q) = s.find([')', '）'])
            && s[..q].chars().count() <= 5
        {
            let close_len = s[q..].chars().next().map_or(1, char::len_utf8);
            s = s[q + close_len..].to_string();
        }
        // "一是…", "二是…" enumerators.
        let n_enum = s
            .chars()
            .take_while(|&c| "一二三四五六七八九十".contains(c))
            .count();
        if n_enum > 0 && s.chars().nth(n_enum) == Some('是') {
            s = s.chars().skip(n_enum + 1).collect();
        }
        for w in [
            "分别", "均", "累计", "共", "已", "要", "将", "力争", "争取", "确保", "努力",
        ] {
            // The 均 of 平均/年均 ("两年平均增长") is part of the measure, not "all".
            if w == "均" && (s.ends_with("平均") || s.ends_with("年均")) {
                continue;
            }
            if let Some(r) = s.strip_suffix(w) {
                s = r.to_string();
            }
        }
        if let Some(r) = strip_time_prefix(&s) {
            s = r;
        }
        if let Some(r) = strip_year_of_value(&s) {
            s = r;
        }
        for r in &region_words {
            if let Some(rest) = s.strip_prefix(r.as_str()) {
                // Keep "临江高新区…": a more specific place, split off later.
                let sub = ["高新区", "开发区", "经开区", "新区", "园区"];
                if !sub.iter().any(|w| rest.starts_with(w)) {
                    s = rest.to_string();
                }
            }
        }
        for w in &lead {
            if let Some(rest) = s.strip_prefix(w) {
                if cmp_found.is_none()
                    && let Some((pw, code)) = pre.iter().find(|(pw, c)| pw == w && *c == cmp::NEW)
                {
                    cmp_found = Some((pw, code));
                }
                s = rest.to_string();
                break;
            }
        }
        if s == before {
            break;
        }
    }
    // A trailing verb: the counted thing follows the number ("在新材料领域建设3个中试基地").
    for w in lexicon::LEADING_VERBS {
        if w.chars().count() >= 2
            && let Some(r) = s.strip_suffix(w)
        {
            s = r.to_string();
            trailing_verb = true;
            break;
        }
    }
    let s = s
        .trim_matches(|c: char| c.is_whitespace() || c == '“' || c == '、' || c == '的')
        .to_string();
    // A short remainder before 了 is the verb itself ("促成了", "储备了").
    if verb_le && s.chars().count() <= 2 {
        trailing_verb = true;
    }
    Cleaned {
        new_conjunct,
        text: s,
        cmp: cmp_found,
        trailing_verb,
    }
}

/// Whether a phrase ends with a list joiner (、 和 及), so that a number after it opens a new
/// item. 总和 and 普及 end with the same characters but are words.
fn ends_with_joiner(s: &str) -> bool {
    let s = s.trim_end();
    (s.ends_with('、') || s.ends_with('和') || s.ends_with('及'))
        && !s.ends_with("总和")
        && !s.ends_with("普及")
        && !s.ends_with("以及")
}

/// "高新技术产业产值、增加值增幅" → 高新技术产业产值增幅, 高新技术产业增加值增幅: parallel
/// attributes of one subject sharing one rate word. The subject is what precedes the first
/// item's attribute noun, the rate word what follows the last item's; both must be found, or
/// the list is left whole (a combined count such as "众创空间、孵化器" is not split).
fn distribute_attributes(ind: &str) -> Option<Vec<String>> {
    let parts: Vec<&str> = ind.split('、').collect();
    if parts.len() < 2 {
        return None;
    }
    let first = parts[0];
    let last = parts[parts.len() - 1];
    let attr_of = |p: &str, at_end: bool| {
        lexicon::ATTRIBUTE_NOUNS
            .iter()
            .filter(|a| {
                if at_end {
                    p.ends_with(*a)
                } else {
                    p.starts_with(*a)
                }
            })
            .max_by_key(|a| a.len())
            .copied()
    };
    let subject = &first[..first.len() - attr_of(first, true)?.len()];
    let rate = lexicon::RATE_WORDS.iter().find(|w| last.ends_with(*w))?;
    let mut out = Vec::new();
    for (k, p) in parts.iter().enumerate() {
        let p = if k + 1 == parts.len() {
            p.strip_suffix(rate)?
        } else {
            p
        };
        let p = if k == 0 {
            p.to_string()
        } else {
            attr_of(p, false).filter(|a| a.len() == p.len())?;
            format!("{subject}{p}")
        };
        out.push(format!("{p}{rate}"));
    }
    (!subject.is_empty()).then_some(out)
}

/// "两年平均", "三年累计", "年均", "五年内", "平均": a period and how it is taken.
fn is_period_qualifier(t: &str) -> bool {
    let rest =
        t.trim_start_matches(|c: char| "一二两三四五六七八九十".contains(c) || c.is_ascii_digit());
    let rest = rest.strip_prefix('年').unwrap_or(rest);
    !t.is_empty()
        && (rest.len() < t.len() || rest == "平均")
        && ["", "平均", "累计", "内", "均", "来"].contains(&rest)
}

fn clean_after(s: &str) -> String {
    let mut s = s.trim().to_string();
    for w in ["等", "的"] {
        if let Some(r) = s.strip_prefix(w) {
            s = r.to_string();
        }
    }
    s
}

/// A place name at the start of an indicator ("临江高新区高新技术企业").
fn split_region(ind: &str) -> (Option<String>, String) {
    let chars: Vec<char> = ind.chars().collect();
    let stop = [
        "全", "各", "本", "我", "城", "园", "示范", "功能", "地", "省级", "国家", "市级", "重点",
        "自贸", "开发",
    ];
    for suf in ["高新区", "开发区", "经开区", "自治县", "县", "区"] {
        let sc: Vec<char> = suf.chars().collect();
        for n in 2..=4 {
            if chars.len() > n + sc.len() + 1 && chars[n..n + sc.len()] == sc[..] {
                let name: String = chars[..n].iter().collect();
                if stop.iter().any(|s| name.starts_with(s))
                    || !chars[..n].iter().all(|&c| is_cjk(c))
                {
                    continue;
                }
                let region: String = chars[..n + sc.len()].iter().collect();
                let rest: String = chars[n + sc.len()..].iter().collect();
                return (Some(region), rest);
            }
        }
    }
    (None, ind.to_string())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    #[test]
    fn cleaning() {
        assert_eq!(
            clean_before("到2025年,全市高新技术企业数量突破", None).text,
            "高新技术企业数量"
        );
        let c = clean_before("新增高新技术企业", None);
        assert_eq!(c.text, "高新技术企业");
        assert_eq!(c.cmp.map(|x| x.1), Some(cmp::NEW));
        assert_eq!(clean_before("数量较“十二五”期末增加", None).text, "数量");
        assert_eq!(
            clean_before("济源高新技术企业达到", Some("济源")).text,
            "高新技术企业"
        );
        assert_eq!(
            clean_before("到“十四五”末,济源科技型中小企业达到", Some("济源")).text,
            "科技型中小企业"
        );
        assert!(clean_before("引进", None).text.is_empty());
    }

    #[test]
    fn region_split() {
        assert_eq!(
            split_region("临江高新区高新技术企业").0.as_deref(),
            Some("临江高新区")
        );
        assert_eq!(split_region("省级以上重点实验室").0, None);
    }
}
