//! Task-ledger (工作台账) draft: the sentences of a plan that assign work, not its headings.
//!
//! A sentence is drafted as a task when it lies in a work section (not 发展基础/形势/指导思想/
//! 基本原则/主要目标, not the preamble), is not itself a heading (a numbered line without body,
//! or a short one-sentence line such as "食品药品安全。"), contains an action verb, and the
//! action has something an officer can check:
//! - a **quantity** the extractor recognises ("新建…省级研发机构40家", "全覆盖");
//! - a **named object**: a “quoted” programme ("“春笋”计划", "“放管服”改革", "推行实施“揭榜挂帅”"),
//!   a programme set up or run ("实施…培育行动", "推进…倍增计划"), an organisation, fund or
//!   register set up ("组建济源科学院", "设立科创基金", "建立创新人才资源库"; never "一批…",
//!   "…等…", "省级…" kinds), a document issued ("制定…管理办法", "出台…政策"), or a named unit
//!   of the plan's own region ("济源职业技术学院");
//! - a **responsible unit** (责任单位/牵头单位…: or "(市科技局、市发改委)"). A numbered item that
//!   names its units is one task as a whole.
//!
//! Lines of a 专栏 task list (“重点任务清单”) are tasks as they stand. The draft never invents a
//! unit or a date: both come from the task's own text.

use serde::{Deserialize, Serialize};

use crate::structure::{self, heading_mark, is_cjk};

/// What produced a ledger row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TaskSource {
    /// A sentence that assigns work.
    Sentence,
    /// A numbered item (or paragraph) naming its responsible units: one task as a whole.
    Item,
    /// One line of a 专栏 task list.
    ColumnItem,
}

/// Why a sentence is a task (the first rule that holds).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TaskReason {
    /// A quantity to reach.
    Quantity,
    /// A named programme, organisation, fund, register or document.
    Named,
    /// Responsible units are written.
    Units,
    /// A line of a 专栏 task list.
    Listed,
}

/// One drafted task.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TaskDraft {
    /// The section's numbering and the task's place in it, e.g. "三、(二)-1" or "专栏16-3".
    pub number: String,
    /// The task as written (the sentence, or the item without its unit labels), at most 300
    /// characters.
    pub title: String,
    /// Depth of the section (1 = 一、 …).
    pub level: u8,
    pub source: TaskSource,
    pub reason: TaskReason,
    /// From 责任单位/牵头单位/配合单位: … or a trailing "(市科技局、市发改委)".
    pub responsible_units: Vec<String>,
    /// As written ("2024年底前"), when the task's text states one.
    pub deadline: Option<String>,
    pub deadline_year: Option<i32>,
    /// Char offsets of the task's text (the sentence, or the whole item).
    pub start: usize,
    pub end: usize,
}

/// Section headings whose subtree holds no tasks: the review of the past, the situation, the
/// guiding ideas, principles and goals.
const NO_TASK_HEADINGS: &[&str] = &[
    "发展基础",
    "工作基础",
    "现实基础",
    "发展现状",
    "现状",
    "成效",
    "成就",
    "回顾",
    "形势",
    "面临",
    "机遇",
    "指导思想",
    "基本原则",
    "总体思路",
    "总体要求",
    "主要目标",
    "发展目标",
    "总体目标",
    "预期目标",
    "发展愿景",
];

/// Any of these makes a sentence an action (one of them must be present).
const ACTION_VERBS: &[&str] = &[
    "实施", "建设", "建立", "组建", "设立", "成立", "筹建", "制定", "出台", "修订", "编制", "开展",
    "举办", "组织", "培育", "培养", "引进", "推进", "推动", "推行", "打造", "创建", "争创", "搭建",
    "完成", "认定", "遴选", "新建", "启动", "落实", "实现", "申报", "召开", "发布", "升级", "深化",
    "完善", "支持", "加大", "引导", "鼓励", "参加", "参与", "共建", "承担", "建成", "研发", "攻克",
    "实行", "设置", "开发", "部署", "提升", "加强", "优化", "整合", "发挥", "做强", "对接", "简化",
    "助推",
];
/// Verbs that set something up; their object must be one specific thing.
const SETUP_VERBS: &[&str] = &[
    "建设", "建立", "组建", "设立", "成立", "筹建", "共建", "打造", "创建", "新建", "建成",
];
const DELIVERABLES: &[&str] = &[
    "研究院",
    "科学院",
    "实验室",
    "中心",
    "基地",
    "办公室",
    "集团",
    "基金",
    "资金池",
    "专项资金",
    "库",
    "大市场",
    "俱乐部",
    "大讲堂",
    "工作站",
    "开发区",
    "计划",
];
/// Verbs that run a programme, and the programme nouns.
const PROGRAMME_VERBS: &[&str] = &["实施", "落实", "推进", "启动", "设立", "开展"];
const PROGRAMMES: &[&str] = &["计划", "行动", "工程"];
/// Verbs that issue a document, and the documents.
const DOCUMENT_VERBS: &[&str] = &["制定", "出台", "修订", "编制", "印发"];
const DOCUMENTS: &[&str] = &[
    "办法", "政策", "措施", "意见", "细则", "方案", "规划", "条例", "清单", "指南",
];
/// A quoted name is a programme's when it contains, or is followed by, one of these.
const QUOTED_NAMES: &[&str] = &["计划", "系统", "贷", "险", "行动", "工程", "大会"];
const AFTER_QUOTE: &[&str] = &[
    "计划", "行动", "活动", "工程", "改革", "试点", "系统", "平台", "建设", "大会", "专项",
];
/// Verbs whose object may be a quoted name alone ("推行实施“揭榜挂帅”、…").
const QUOTE_VERBS: &[&str] = &["实施", "推行", "推进", "开展"];
/// Organisation nouns that make "<region>…" a named unit.
const UNIT_NOUNS: &[&str] = &[
    "学院",
    "大学",
    "科学院",
    "研究院",
    "研究所",
    "中心",
    "开发区",
    "大市场",
    "办公室",
    "集团",
    "基地",
    "实验室",
    "系统",
    "医院",
];
/// An object with one of these is a kind of thing, not one thing.
const GENERIC_ANYWHERE: &[&str] = &["等", "一批", "一支", "各类", "各种", "若干", "一些", "更多"];
const GENERIC_START: &[&str] = &[
    "一流",
    "一个",
    "省级",
    "市级",
    "县级",
    "国家级",
    "国家",
    "省",
    "市",
    "高水平",
    "高能级",
    "高端",
    "重大",
    "重点",
    "新型",
    "各级",
    "区域",
    "相关",
    "有关",
    "其",
];

/// Drafts the task ledger: the work sentences of a plan, numbered items with their units, and
/// the lines of its 专栏 task lists.
pub fn draft_ledger(text: &str) -> Vec<TaskDraft> {
    let chars: Vec<char> = text.chars().collect();
    let lines = structure::lines(&chars);
    let ctx = structure::doc_context(&chars, &lines);
    let region: Vec<char> = ctx.region.as_deref().unwrap_or("").chars().collect();
    let quantities: Vec<usize> = crate::extract::extract(text)
        .iter()
        .map(|e| e.value_start)
        .collect();
    let has_headings = lines
        .iter()
        .any(|l| heading_mark(&chars[l.start..l.end]).is_some());
    let mut out: Vec<TaskDraft> = Vec::new();
    // (level, marker, no tasks in this subtree)
    let mut stack: Vec<(u8, String, bool)> = Vec::new();
    // (column number, item counter) of a 专栏 task list being read.
    let mut column: Option<(String, usize)> = None;
    let mut in_body = !has_headings;
    let mut first_line = true;
    for line in &lines {
        let lc = &chars[line.start..line.end];
        let trimmed: String = lc.iter().collect::<String>().trim().to_owned();
        if trimmed.is_empty() {
            continue;
        }
        // Without numbered headings the first line is the title.
        if std::mem::take(&mut first_line) && !has_headings {
            continue;
        }
        if let Some((col, title)) = column_mark(&trimmed) {
            column = is_task_list(&title).then_some((col, 0));
            continue;
        }
        let mark = heading_mark(lc);
        if let Some((col, n)) = column.as_mut()
            && mark.as_ref().is_none_or(|m| m.level > 2)
        {
            *n += 1;
            let from = mark.as_ref().map_or(0, |m| m.title_offset);
            let (s, e) = trim_span(&chars, line.start + from, line.end);
            if s < e {
                let block: String = chars[s..e].iter().collect();
                out.push(draft(
                    format!("{col}-{n}"),
                    clean_title(&block),
                    stack.len() as u8 + 1,
                    TaskSource::ColumnItem,
                    TaskReason::Listed,
                    &block,
                    s,
                    e,
                ));
            }
            continue;
        }
        let mut body_from = line.start;
        if let Some(m) = &mark {
            column = None;
            in_body = true;
            while stack.last().is_some_and(|(l, _, _)| *l >= m.level) {
                stack.pop();
            }
            let title: String = lc[m.title_offset.min(lc.len())..].iter().take(30).collect();
            let closed = stack.last().is_some_and(|s| s.2)
                || NO_TASK_HEADINGS.iter().any(|w| title.contains(w));
            stack.push((m.level, m.marker.clone(), closed));
            body_from = line.start + m.title_offset.min(lc.len());
        }
        if !in_body || stack.last().is_some_and(|s| s.2) {
            continue;
        }
        let path = section_number(&stack);
        let level = stack.len().max(1) as u8;
        let sents: Vec<(usize, usize)> = structure::sentences(
            &chars,
            &structure::Line {
                start: body_from,
                end: line.end,
            },
        );
        // A heading without body, or a one-sentence line of a few words without a number (the
        // title of the paragraph below: "食品药品安全。"), is a heading.
        let short_line = mark.is_none()
            && sents.len() == 1
            && sents[0].1 - sents[0].0 <= 21
            && !quantities
                .iter()
                .any(|q| (sents[0].0..sents[0].1).contains(q));
        if (mark.is_some() && sents.len() <= 1) || short_line {
            continue;
        }
        let line_text: String = chars[body_from..line.end].iter().collect();
        let units = responsible_units(&line_text);
        if !units.is_empty() && has_any(&line_text, ACTION_VERBS) {
            let title: Vec<String> = sents
                .iter()
                .map(|&(s, e)| chars[s..e].iter().collect::<String>())
                .filter(|s| !is_unit_or_deadline_note(s))
                .map(|s| s.trim_end_matches(['。', '；', ';']).to_owned())
                .collect();
            let (s, e) = trim_span(&chars, body_from, line.end);
            let number = if mark.is_some() {
                path.clone()
            } else {
                next_number(&out, &path)
            };
            out.push(draft(
                number,
                clean_title(&title.join("。")),
                level,
                TaskSource::Item,
                TaskReason::Units,
                &line_text,
                s,
                e,
            ));
            continue;
        }
        for (s, e) in sents {
            let sentence = &chars[s..e];
            if let Some(reason) = task_reason(sentence, s, &quantities, &region) {
                let text: String = sentence.iter().collect();
                let number = next_number(&out, &path);
                out.push(draft(
                    number,
                    clean_title(&text),
                    level,
                    TaskSource::Sentence,
                    reason,
                    &text,
                    s,
                    e,
                ));
            }
        }
    }
    out
}

#[allow(clippy::too_many_arguments)]
fn draft(
    number: String,
    title: String,
    level: u8,
    source: TaskSource,
    reason: TaskReason,
    block: &str,
    start: usize,
    end: usize,
) -> TaskDraft {
    let (deadline, deadline_year) = deadline(block);
    TaskDraft {
        number,
        title,
        level,
        source,
        reason,
        responsible_units: responsible_units(block),
        deadline,
        deadline_year,
        start,
        end,
    }
}

/// The section's markers run together, without the trailing 、 or . ("三、(二)1.") → "三、(二)1".
fn section_number(stack: &[(u8, String, bool)]) -> String {
    let s: String = stack.iter().map(|(_, m, _)| m.as_str()).collect();
    s.trim_end_matches(['、', '.', '．', ' ']).to_owned()
}

/// "<section>-<n>" (or "<n>" outside any section), n counting the tasks already drafted there.
fn next_number(out: &[TaskDraft], path: &str) -> String {
    let prefix = if path.is_empty() {
        String::new()
    } else {
        format!("{path}-")
    };
    let n = out
        .iter()
        .filter(|t| {
            t.number
                .strip_prefix(&prefix)
                .is_some_and(|r| !r.is_empty() && r.chars().all(|c| c.is_ascii_digit()))
        })
        .count();
    format!("{prefix}{}", n + 1)
}

fn trim_span(chars: &[char], mut s: usize, mut e: usize) -> (usize, usize) {
    while s < e && (chars[s].is_whitespace() || chars[s] == '\u{3000}') {
        s += 1;
    }
    while e > s && (chars[e - 1].is_whitespace() || chars[e - 1] == '\u{3000}') {
        e -= 1;
    }
    (s, e)
}

/// A title: trimmed, without the final 。/；, at most 300 characters.
fn clean_title(s: &str) -> String {
    s.trim()
        .trim_end_matches(['。', '；', ';'])
        .trim()
        .chars()
        .take(300)
        .collect()
}

fn has_any(s: &str, words: &[&str]) -> bool {
    words.iter().any(|w| s.contains(w))
}

/// A sentence that only names units or a deadline ("(责任单位:市科技局)", "2024年底前完成。").
fn is_unit_or_deadline_note(s: &str) -> bool {
    let t = s.trim();
    has_any(t, UNIT_LABELS)
        || (!responsible_units(t).is_empty() && t.starts_with(['(', '（']))
        || (deadline(t).0.is_some() && t.chars().count() <= 12)
}

/// "专栏16:…清单" → ("专栏16", "…清单").
fn column_mark(line: &str) -> Option<(String, String)> {
    let rest = line.strip_prefix("专栏")?;
    let n: String = rest
        .chars()
        .take_while(|c| c.is_ascii_digit() || crate::numerals::is_chinese_numeral(*c))
        .collect();
    let title = rest[n.len()..]
        .trim_start_matches([':', '：', ' '])
        .to_owned();
    Some((format!("专栏{n}"), title))
}

/// A 专栏 is a task list when its title says so (not a box of indicators or examples).
fn is_task_list(title: &str) -> bool {
    has_any(title, &["任务", "工程", "项目", "行动", "清单", "重点"])
}

/// Char positions where `needle` starts in `hay`.
fn find_all(hay: &[char], needle: &str) -> Vec<usize> {
    let n: Vec<char> = needle.chars().collect();
    if n.is_empty() || hay.len() < n.len() {
        return Vec::new();
    }
    (0..=hay.len() - n.len())
        .filter(|&i| hay[i..i + n.len()] == n[..])
        .collect()
}

/// The object of a verb: from `at` to the next clause delimiter.
fn object_at(s: &[char], at: usize) -> String {
    s[at.min(s.len())..]
        .iter()
        .take_while(|c| {
            !matches!(
                c,
                ',' | '，' | ';' | '；' | '。' | ':' | '：' | '!' | '！' | '?' | '？'
            )
        })
        .collect()
}

/// Whether some `verb` in `s` has an object accepted by `accept`.
fn verb_object(s: &[char], verbs: &[&str], accept: impl Fn(&str) -> bool) -> bool {
    verbs.iter().any(|v| {
        find_all(s, v)
            .into_iter()
            .any(|i| accept(&object_at(s, i + v.chars().count())))
    })
}

fn is_generic(object: &str, allow_generic_start: bool) -> bool {
    has_any(object, GENERIC_ANYWHERE)
        || (!allow_generic_start && GENERIC_START.iter().any(|w| object.starts_with(w)))
}

/// Ends with one of `nouns` after at least two characters of name.
fn named_with<'a>(object: &str, nouns: &'a [&'a str]) -> Option<&'a str> {
    let o = object.trim_end_matches(['》', '”', '"']);
    nouns
        .iter()
        .find(|n| o.ends_with(**n) && o.chars().count() >= n.chars().count() + 2)
        .copied()
}

/// A “quoted” programme name: “X”计划, “X”改革, “…系统”, or a quoted object standing alone.
fn quoted_programme(s: &[char]) -> bool {
    let mut i = 0;
    while i < s.len() {
        if s[i] != '“' {
            i += 1;
            continue;
        }
        let Some(len) = s[i + 1..].iter().position(|&c| c == '”') else {
            return false;
        };
        let inner: String = s[i + 1..i + 1 + len].iter().collect();
        let after_at = i + 2 + len;
        let after: String = object_at(s, after_at)
            .chars()
            .take_while(|c| !matches!(c, '、' | '“'))
            .take(6)
            .collect();
        let before: String = s[..i].iter().collect();
        let alone = after.is_empty() && QUOTE_VERBS.iter().any(|v| before.ends_with(v));
        if has_any(&inner, QUOTED_NAMES)
            || (!after.starts_with('的') && has_any(&after, AFTER_QUOTE))
            || alone
        {
            return true;
        }
        i = after_at;
    }
    false
}

/// "<region>…<organisation noun>": a named unit of the plan's own region.
fn regional_unit(s: &[char], region: &[char]) -> bool {
    if region.len() < 2 {
        return false;
    }
    (0..s.len().saturating_sub(region.len() - 1))
        .filter(|&i| s[i..i + region.len()] == region[..])
        .any(|i| {
            let run: String = s[i..]
                .iter()
                .take_while(|&&c| {
                    (is_cjk(c) || matches!(c, '(' | ')' | '（' | '）'))
                        && !matches!(c, '与' | '和' | '及' | '等' | '的')
                })
                .collect();
            let min = region.len() + 2;
            run.char_indices().any(|(b, c)| {
                let head = &run[..b + c.len_utf8()];
                head.chars().count() >= min && UNIT_NOUNS.iter().any(|n| head.ends_with(n))
            })
        })
}

/// Why a sentence is a task, or `None` (module docs). `start` is its char offset in the text,
/// `quantities` the offsets of the numbers the extractor found.
fn task_reason(
    s: &[char],
    start: usize,
    quantities: &[usize],
    region: &[char],
) -> Option<TaskReason> {
    let text: String = s.iter().collect();
    // Permissions are policy, not work ("允许高等院校…比例不低于70%").
    if text.trim_start().starts_with("允许") || !has_any(&text, ACTION_VERBS) {
        return None;
    }
    let end = start + s.len();
    if quantities.iter().any(|q| (start..end).contains(q)) || text.contains("全覆盖") {
        return Some(TaskReason::Quantity);
    }
    let named = quoted_programme(s)
        || verb_object(s, SETUP_VERBS, |o| match named_with(o, DELIVERABLES) {
            Some(noun) => !is_generic(o, noun == "库"),
            None => false,
        })
        || verb_object(s, PROGRAMME_VERBS, |o| {
            named_with(o, PROGRAMMES).is_some()
                && !GENERIC_START.iter().any(|w| o.starts_with(w))
                && !o.starts_with("更")
        })
        || verb_object(s, DOCUMENT_VERBS, |o| {
            named_with(o, DOCUMENTS).is_some() && !is_generic(o, true)
        })
        || verb_object(s, &["完善"], |o| {
            named_with(o, &["办法", "条例", "细则"]).is_some() && !is_generic(o, true)
        })
        || regional_unit(s, region);
    if named {
        return Some(TaskReason::Named);
    }
    if !responsible_units(&text).is_empty() {
        return Some(TaskReason::Units);
    }
    None
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
    // A parenthetical list of organizations standing after a sentence at the end of the block:
    // "…。(市科技局、市发改委)". Inside a sentence it is an alias ("研究院(山东…泰安分院)").
    let chars: Vec<char> = block.chars().collect();
    let ends = |c: &char| c.is_whitespace() || matches!(c, '。' | '；' | ';' | '.');
    let mut i = 0;
    while i < chars.len() {
        if matches!(chars[i], '(' | '（')
            && let Some(len) = chars[i + 1..].iter().position(|&c| matches!(c, ')' | '）'))
            && chars[i + 2 + len..].iter().all(ends)
            && chars[..i]
                .iter()
                .rev()
                .find(|c| !c.is_whitespace())
                .is_none_or(|c| matches!(c, '。' | '；' | ';'))
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
    fn work_sentences_not_headings() {
        let t = "临江市“十四五”科技创新规划\n一、发展基础\n建成省级平台32家，实施了倍增计划。\n二、重点任务\n(一)强化企业主体地位\n实施科技型中小企业“春笋”计划，完善服务体系。加强部门协同，提升服务水平。到2025年，高新技术企业达到150家。\n食品药品安全。\n“十四五”期间，新建省级研发机构40家。\n1.组建平台。组建临江科学院。(责任单位:市科技局)\n专栏1:重大平台建设清单\n1.临江实验室。\n2.中试基地。\n(二)平台";
        let l = draft_ledger(t);
        let rows: Vec<(&str, &str, TaskReason)> = l
            .iter()
            .map(|r| (r.number.as_str(), r.title.as_str(), r.reason))
            .collect();
        assert_eq!(
            rows,
            vec![
                (
                    "二、(一)-1",
                    "实施科技型中小企业“春笋”计划，完善服务体系",
                    TaskReason::Named
                ),
                (
                    "二、(一)-2",
                    "“十四五”期间，新建省级研发机构40家",
                    TaskReason::Quantity
                ),
                ("二、(一)1", "组建平台。组建临江科学院", TaskReason::Units),
                ("专栏1-1", "临江实验室", TaskReason::Listed),
                ("专栏1-2", "中试基地", TaskReason::Listed),
            ]
        );
        assert_eq!(l[2].responsible_units, vec!["市科技局"]);
        assert_eq!(l[2].source, TaskSource::Item);
        assert_eq!(l[3].source, TaskSource::ColumnItem);
    }

    #[test]
    fn named_objects() {
        let region: Vec<char> = "济源".chars().collect();
        let reason = |s: &str| {
            let c: Vec<char> = s.chars().collect();
            task_reason(&c, 0, &[], &region)
        };
        for named in [
            "组建济源科学院，深化体制机制改革",
            "设立科技贷风险补偿资金池和科创基金",
            "建立创新人才资源库",
            "大力推进高新技术企业倍增计划",
            "制定完善市级平台管理办法",
            "推行实施“揭榜挂帅”、首席科学家制等科研项目组织方式",
            "深化“放管服”改革",
            "加大对济源职业技术学院提质培优建设支持力度",
        ] {
            assert_eq!(reason(named), Some(TaskReason::Named), "{named}");
        }
        for generic in [
            "谋划建设一批市级技术创新平台",
            "共同建设重点实验室、工程研究中心等各类省级及以上研究平台",
            "打造“研发+产业+应用”技术转化链条",
            "建立“应评尽评、应入尽入”的入库机制",
            "坚持“四个面向”，深化体制机制改革",
            "到2025年，济源高新技术企业达到150家",
            "修订制定一批科技投入等方面的政策制度",
        ] {
            assert_eq!(reason(generic), None, "{generic}");
        }
    }
}
