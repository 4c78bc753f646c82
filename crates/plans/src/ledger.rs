//! Task-ledger (工作台账) draft: one row per numbered heading (第X章, 一、 (一) 1. （1） ①) and per
//! 专栏 and its items, with the responsible units and deadlines written in the task's own text.
//! A draft to refine by hand: it never invents a unit or a date.

use serde::{Deserialize, Serialize};

use crate::structure::{self, heading_mark, is_cjk};

/// What produced a ledger row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TaskSource {
    /// A numbered heading (一、 (一) 1. （1） ① 第X章).
    Heading,
    /// A 专栏 box title ("专栏16:…重点任务清单").
    Column,
    /// One line of a 专栏 box.
    ColumnItem,
}

/// One drafted task.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TaskDraft {
    /// The numbering path, e.g. "三、(二) 2." or "专栏16 3".
    pub number: String,
    pub title: String,
    /// 0 = 第X章, 1 = 一、, 2 = (一), 3 = 1., 4 = (1), 5 = ①; a 专栏 is one below its
    /// heading and its items one below it.
    pub level: u8,
    pub source: TaskSource,
    /// From 责任单位/牵头单位/配合单位: … or a trailing "(市科技局、市发改委)".
    pub responsible_units: Vec<String>,
    /// As written ("2024年底前"), when the task's text states one.
    pub deadline: Option<String>,
    pub deadline_year: Option<i32>,
    /// Char offsets of the task's block: its heading line through the line before the next
    /// heading (or 专栏 item).
    pub start: usize,
    pub end: usize,
}

/// Drafts the task ledger from a plan's numbered headings and 专栏 lists.
pub fn draft_ledger(text: &str) -> Vec<TaskDraft> {
    let chars: Vec<char> = text.chars().collect();
    let lines = structure::lines(&chars);
    let mut out: Vec<TaskDraft> = Vec::new();
    let mut stack: Vec<(u8, String)> = Vec::new();
    // (column number, level of the column, item counter)
    let mut column: Option<(String, u8, usize)> = None;
    for line in &lines {
        let lc = &chars[line.start..line.end];
        let body: String = lc.iter().collect();
        let trimmed = body.trim();
        if trimmed.is_empty() {
            continue;
        }
        if let Some(col) = column_mark(trimmed) {
            let level = stack.last().map(|(l, _)| l + 1).unwrap_or(1);
            let title = trimmed
                .chars()
                .skip(col.chars().count())
                .collect::<String>();
            let title = title
                .trim_start_matches([':', '：', ' '])
                .trim()
                .to_string();
            out.push(new_row(
                col.clone(),
                title,
                level,
                TaskSource::Column,
                line.start,
                line.end,
            ));
            column = Some((col, level, 0));
            continue;
        }
        let mark = heading_mark(lc);
        let ends_column = mark.as_ref().is_some_and(|m| m.level <= 2);
        if let Some((col, level, n)) = column.as_mut()
            && !ends_column
        {
            *n += 1;
            let text_start = mark.as_ref().map(|m| m.title_offset).unwrap_or(0);
            let item: String = lc[text_start.min(lc.len())..].iter().collect();
            let title = item_title(&item);
            let number = format!("{col} {n}");
            out.push(new_row(
                number,
                title,
                *level + 1,
                TaskSource::ColumnItem,
                line.start,
                line.end,
            ));
            continue;
        }
        if let Some(m) = mark {
            column = None;
            while stack.last().is_some_and(|(l, _)| *l >= m.level) {
                stack.pop();
            }
            stack.push((m.level, m.marker.clone()));
            let number = stack
                .iter()
                .map(|(_, s)| s.as_str())
                .collect::<Vec<_>>()
                .join(" ");
            let rest: String = lc[m.title_offset.min(lc.len())..].iter().collect();
            out.push(new_row(
                number,
                heading_title(&rest),
                m.level,
                TaskSource::Heading,
                line.start,
                line.end,
            ));
            continue;
        }
        // Body line: extends the current row.
        if let Some(last) = out.last_mut() {
            last.end = line.end;
        }
    }
    for row in &mut out {
        let block: String = chars[row.start..row.end].iter().collect();
        row.responsible_units = responsible_units(&block);
        let (d, y) = deadline(&block);
        row.deadline = d;
        row.deadline_year = y;
    }
    out
}

fn new_row(
    number: String,
    title: String,
    level: u8,
    source: TaskSource,
    start: usize,
    end: usize,
) -> TaskDraft {
    TaskDraft {
        number,
        title,
        level,
        source,
        responsible_units: Vec::new(),
        deadline: None,
        deadline_year: None,
        start,
        end,
    }
}

fn column_mark(line: &str) -> Option<String> {
    let rest = line.strip_prefix("专栏")?;
    let n: String = rest
        .chars()
        .take_while(|c| c.is_ascii_digit() || crate::numerals::is_chinese_numeral(*c))
        .collect();
    Some(format!("专栏{n}"))
}

/// Heading title: up to the first 。 (a "1.编制规划。立足…" line carries body text).
fn heading_title(rest: &str) -> String {
    let t = rest.split(['。', ';', '；']).next().unwrap_or(rest);
    t.trim().to_string()
}

/// 专栏 item title: the label before ":" when short, else the first sentence.
fn item_title(item: &str) -> String {
    if let Some(p) = item.find([':', '：'])
        && item[..p].chars().count() <= 24
    {
        return item[..p].trim().to_string();
    }
    heading_title(item)
}

const UNIT_LABELS: &[&str] = &[
    "责任单位",
    "牵头单位",
    "配合单位",
    "责任部门",
    "牵头部门",
    "配合部门",
    "参与单位",
    "主责单位",
    "协办单位",
    "承办单位",
];
const ORG_ENDINGS: &[&str] = &[
    "局",
    "委",
    "办",
    "厅",
    "部",
    "院",
    "中心",
    "政府",
    "公司",
    "会",
    "处",
    "站",
    "所",
    "委员会",
    "集团",
    "园区",
    "管委会",
    "行",
];

fn split_units(s: &str) -> Vec<String> {
    s.split(['、', ',', '，', '/', ' ', '；', ';'])
        .map(|u| {
            let mut u = u.trim().to_string();
            for w in ["牵头", "负责", "配合", "等", "按职责分工", "分别"] {
                if let Some(r) = u.strip_suffix(w) {
                    u = r.to_string();
                }
            }
            u
        })
        .filter(|u| !u.is_empty() && u.chars().count() <= 20)
        .collect()
}

fn looks_like_org(u: &str) -> bool {
    ORG_ENDINGS.iter().any(|e| u.ends_with(e))
        && u.chars().all(|c| is_cjk(c) || c.is_ascii_alphanumeric())
}

/// Responsible units written in a task block.
pub fn responsible_units(block: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let push = |u: String, out: &mut Vec<String>| {
        if !out.contains(&u) {
            out.push(u);
        }
    };
    for label in UNIT_LABELS {
        let mut rest = block;
        while let Some(p) = rest.find(label) {
            let after = &rest[p + label.len()..];
            let after = after.trim_start_matches([':', '：', ' ']);
            let end = after
                .find([')', '）', '。', '\n', '；', ';'])
                .unwrap_or(after.len());
            // Stop at the next label ("牵头单位:A;配合单位:B").
            let mut seg = &after[..end];
            for l2 in UNIT_LABELS {
                if let Some(q) = seg.find(l2) {
                    seg = &seg[..q];
                }
            }
            for u in split_units(seg) {
                push(u, &mut out);
            }
            rest = &after[end.min(after.len())..];
        }
    }
    // Trailing parenthetical list of organizations: "(市科技局、市发改委)".
    let chars: Vec<char> = block.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        if matches!(chars[i], '(' | '（')
            && let Some(len) = chars[i + 1..].iter().position(|&c| matches!(c, ')' | '）'))
        {
            let inner: String = chars[i + 1..i + 1 + len].iter().collect();
            let units = split_units(&inner);
            if !units.is_empty() && units.iter().all(|u| looks_like_org(u)) {
                for u in units {
                    push(u, &mut out);
                }
            }
            i += len + 1;
        }
        i += 1;
    }
    out
}

/// A deadline written in a task block: "2024年底前", "2023年6月底前", "完成时限:…".
pub fn deadline(block: &str) -> (Option<String>, Option<i32>) {
    let chars: Vec<char> = block.chars().collect();
    for label in ["完成时限", "时间节点", "完成时间", "时限要求"] {
        if let Some(p) = block.find(label) {
            let after = block[p + label.len()..].trim_start_matches([':', '：', ' ']);
            let end = after
                .find([')', '）', '。', '\n', '；', ';', ',', '，'])
                .unwrap_or(after.len());
            let d = after[..end].trim().to_string();
            let dc: Vec<char> = d.chars().collect();
            let y = (0..dc.len()).find_map(|i| structure::year_at(&dc, i));
            if !d.is_empty() {
                return (Some(d), y);
            }
        }
    }
    for i in 0..chars.len() {
        let Some(y) = structure::year_at(&chars, i) else {
            continue;
        };
        let mut j = i + 5;
        // optional month
        let m: usize = chars[j..].iter().take_while(|c| c.is_ascii_digit()).count();
        if m > 0 && chars.get(j + m) == Some(&'月') {
            j += m + 1;
        }
        let tail: String = chars[j..(j + 2).min(chars.len())].iter().collect();
        let end = if tail.starts_with("底前") || tail.starts_with("末前") {
            j + 2
        } else if tail.starts_with('前') {
            j + 1
        } else {
            continue;
        };
        return (Some(chars[i..end].iter().collect()), Some(y));
    }
    (None, None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units_and_deadlines() {
        assert_eq!(
            responsible_units("1.实施高企倍增计划。(责任单位:市科技局、市税务局)"),
            vec!["市科技局", "市税务局"]
        );
        assert_eq!(
            responsible_units("牵头单位:市发展改革委;配合单位:市工业和信息化局。"),
            vec!["市发展改革委", "市工业和信息化局"]
        );
        assert_eq!(
            responsible_units("开展行动。(市科技局牵头)"),
            vec!["市科技局"]
        );
        assert!(responsible_units("编制规划(备案)").is_empty());
        assert_eq!(
            deadline("争创国家级平台。2024年底前完成。"),
            (Some("2024年底前".into()), Some(2024))
        );
        assert_eq!(
            deadline("2023年6月底前完成"),
            (Some("2023年6月底前".into()), Some(2023))
        );
        assert_eq!(
            deadline("完成时限:2025年12月"),
            (Some("2025年12月".into()), Some(2025))
        );
        assert_eq!(deadline("到2025年,高企达到300家"), (None, None));
    }

    #[test]
    fn ledger_numbers() {
        let t = "三、重点任务\n(一)强化企业\n1.实施高企计划。完善培育库。(责任单位:市科技局)\n2.支持研发。\n专栏1:重大平台\n1.临江实验室。\n2.中试基地。\n(二)平台";
        let l = draft_ledger(t);
        let nums: Vec<&str> = l.iter().map(|r| r.number.as_str()).collect();
        assert_eq!(
            nums,
            vec![
                "三、",
                "三、 (一)",
                "三、 (一) 1.",
                "三、 (一) 2.",
                "专栏1",
                "专栏1 1",
                "专栏1 2",
                "三、 (二)"
            ]
        );
        assert_eq!(l[2].title, "实施高企计划");
        assert_eq!(l[2].responsible_units, vec!["市科技局"]);
        assert_eq!(l[5].title, "临江实验室");
        assert_eq!(l[5].source, TaskSource::ColumnItem);
    }
}
