//! 对接 (matching) of technology demands and achievements: a pure, explained ranking. Each
//! suggestion carries its score and the reasons in Chinese — shared keywords and terms, the
//! technology field, maturity against what the demand asks, price against the budget, the
//! region — because no platform the bureaus know explains a match (services.md §2.4, §2.6).
//!
//! Terms are the keywords given on both sides plus the two-character words of the titles and
//! texts (a cheap stand-in for a Chinese tokenizer that needs no dictionary): enough to find
//! that “铅冶炼烟气” and “冶炼烟气脱硫” share 冶炼 and 烟气.

use std::collections::BTreeSet;

/// One side of a match, as the engine sees it.
#[derive(Debug, Clone, Default)]
pub struct Side<'a> {
    pub title: &'a str,
    pub text: &'a str,
    pub keywords: &'a [String],
    /// 技术领域 (wire value), empty when not given.
    pub area: &'a str,
    /// The achievement's TRL, or the lowest TRL the demand accepts.
    pub trl: Option<i64>,
    /// The asking price (achievement) or the budget ceiling (demand), in fen; None = 面议/不限.
    pub money_fen: Option<i64>,
    /// GB/T 2260 region code of the owner.
    pub region: &'a str,
}

/// A scored pair with why.
#[derive(Debug, Clone, PartialEq)]
pub struct Match {
    /// 0–100.
    pub score: u32,
    pub reasons: Vec<String>,
    pub shared: Vec<String>,
}

/// Weights (points out of 100); the split says what matters: what the technology is about
/// first, then whether it is mature and affordable enough, then proximity.
const KEYWORDS: u32 = 40;
const TERMS: u32 = 20;
const AREA: u32 = 15;
const TRL: u32 = 10;
const PRICE: u32 = 10;
const REGION: u32 = 5;

fn is_han(c: char) -> bool {
    ('\u{4e00}'..='\u{9fff}').contains(&c)
}

/// Two-character words of a text (Han characters only), without very common function words.
pub fn bigrams(text: &str) -> BTreeSet<String> {
    const STOP: &[&str] = &[
        "技术", "研究", "开发", "应用", "一种", "及其", "方法", "工艺", "系统", "提供", "企业",
        "我们", "需要", "进行",
    ];
    let mut out = BTreeSet::new();
    for run in text.split(|c: char| !is_han(c)) {
        let chars: Vec<char> = run.chars().collect();
        for w in chars.windows(2) {
            let s: String = w.iter().collect();
            if !STOP.contains(&s.as_str()) {
                out.insert(s);
            }
        }
    }
    out
}

fn terms(s: &Side) -> BTreeSet<String> {
    let mut t = bigrams(s.title);
    t.extend(bigrams(s.text));
    t
}

/// Score an achievement against a demand (symmetric but for TRL and money: the demand's TRL
/// is a floor and its money a ceiling).
pub fn score(demand: &Side, achievement: &Side) -> Match {
    let mut reasons = Vec::new();
    let mut total = 0u32;
    // Keywords: exact, or one containing the other (铅冶炼 ~ 冶炼).
    let mut shared: Vec<String> = Vec::new();
    for d in demand.keywords {
        for a in achievement.keywords {
            if !d.is_empty()
                && !a.is_empty()
                && (d == a || d.contains(a.as_str()) || a.contains(d.as_str()))
            {
                let k = if d.chars().count() <= a.chars().count() {
                    d
                } else {
                    a
                };
                if !shared.contains(k) {
                    shared.push(k.clone());
                }
            }
        }
    }
    if !shared.is_empty() {
        let p =
            (KEYWORDS * shared.len() as u32 / demand.keywords.len().max(1) as u32).min(KEYWORDS);
        total += p;
        reasons.push(format!("关键词相同：{}（{p}分）", shared.join("、")));
    }
    let (td, ta) = (terms(demand), terms(achievement));
    let common: Vec<String> = td.intersection(&ta).cloned().collect();
    if !common.is_empty() {
        let denom = td.len().min(ta.len()).max(1) as u32;
        let p = (TERMS * common.len() as u32 * 2 / denom).min(TERMS);
        if p > 0 {
            total += p;
            // Two-character windows also cross word boundaries (一体化技术 → 化技); show the
            // ones a keyword of either side contains, which are words, when there are any.
            let words: Vec<&str> = common
                .iter()
                .filter(|b| {
                    demand
                        .keywords
                        .iter()
                        .chain(achievement.keywords)
                        .any(|k| k.contains(b.as_str()))
                })
                .map(String::as_str)
                .collect();
            let shown: Vec<&str> = if words.is_empty() {
                common.iter().take(4).map(String::as_str).collect()
            } else {
                words.into_iter().take(6).collect()
            };
            reasons.push(format!("描述中的共同词：{}（{p}分）", shown.join("、")));
        }
    }
    if !demand.area.is_empty() && demand.area == achievement.area {
        total += AREA;
        reasons.push(format!("技术领域相同（{AREA}分）"));
    }
    match (demand.trl, achievement.trl) {
        (Some(want), Some(have)) if have >= want => {
            total += TRL;
            reasons.push(format!(
                "技术就绪度{have}级，达到需求要求的{want}级（{TRL}分）"
            ));
        }
        (Some(want), Some(have)) => {
            reasons.push(format!(
                "技术就绪度{have}级，低于需求要求的{want}级，需进一步开发（0分）"
            ));
        }
        (None, Some(have)) if have >= 7 => {
            total += TRL / 2;
            reasons.push(format!("技术就绪度{have}级，已接近产业化（{}分）", TRL / 2));
        }
        _ => {}
    }
    match (demand.money_fen, achievement.money_fen) {
        (Some(budget), Some(price)) if price <= budget => {
            total += PRICE;
            reasons.push(format!("挂牌价格在需求预算之内（{PRICE}分）"));
        }
        (Some(_), Some(_)) => reasons.push("挂牌价格高于需求预算（0分）".to_owned()),
        (_, None) => {
            total += PRICE / 2;
            reasons.push(format!("价格面议（{}分）", PRICE / 2));
        }
        (None, Some(_)) => {}
    }
    if !demand.region.is_empty() && demand.region == achievement.region {
        total += REGION;
        reasons.push(format!("同一地区，便于对接落地（{REGION}分）"));
    } else if demand.region.len() >= 2
        && achievement.region.len() >= 2
        && demand.region[..2] == achievement.region[..2]
    {
        total += REGION / 2 + 1;
        reasons.push(format!("同省，便于对接（{}分）", REGION / 2 + 1));
    }
    Match {
        score: total.min(100),
        reasons,
        shared,
    }
}

/// Rank candidates for one side; only pairs that share something about the technology
/// (keywords, terms or field) are suggested, best first, at most `limit`.
pub fn rank<'a, T>(
    anchor: &Side,
    candidates: impl IntoIterator<Item = (T, Side<'a>)>,
    anchor_is_demand: bool,
    limit: usize,
) -> Vec<(T, Match)> {
    let mut out: Vec<(T, Match)> = candidates
        .into_iter()
        .map(|(t, c)| {
            let m = if anchor_is_demand {
                score(anchor, &c)
            } else {
                score(&c, anchor)
            };
            (t, m)
        })
        .filter(|(_, m)| {
            m.reasons.iter().any(|r| {
                r.starts_with("关键词") || r.starts_with("描述中") || r.starts_with("技术领域")
            })
        })
        .collect();
    out.sort_by_key(|m| std::cmp::Reverse(m.1.score));
    out.truncate(limit);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kw(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn a_close_achievement_outranks_a_far_one_and_says_why() {
        let dk = kw(&["铅冶炼", "烟气脱硫"]);
        let demand = Side {
            title: "铅冶炼烟气深度脱硫技术需求",
            text: "降低冶炼烟气二氧化硫排放",
            keywords: &dk,
            area: "environment",
            trl: Some(6),
            money_fen: Some(200_000_000),
            region: "419001",
        };
        let ck = kw(&["冶炼", "脱硫脱硝"]);
        let close = Side {
            title: "冶炼烟气脱硫脱硝一体化技术",
            text: "适用于铅锌冶炼烟气",
            keywords: &ck,
            area: "environment",
            trl: Some(7),
            money_fen: Some(120_000_000),
            region: "419001",
        };
        let fk = kw(&["碳化硅"]);
        let far = Side {
            title: "碳化硅功率模块封装",
            text: "低应力封装",
            keywords: &fk,
            area: "electronics",
            trl: Some(4),
            money_fen: None,
            region: "410100",
        };
        let ranked = rank(
            &demand,
            vec![("far", far), ("close", close.clone())],
            true,
            10,
        );
        assert_eq!(
            ranked.len(),
            1,
            "the far one shares nothing about the technology"
        );
        assert_eq!(ranked[0].0, "close");
        let m = score(&demand, &close);
        assert!(m.score >= 60, "{m:?}");
        let terms = m
            .reasons
            .iter()
            .find(|r| r.starts_with("描述中"))
            .cloned()
            .unwrap_or_default();
        assert!(
            terms.contains("冶炼") && !terms.contains("炼烟"),
            "words, not windows: {terms}"
        );
        assert!(
            m.reasons
                .iter()
                .any(|r| r.contains("关键词相同：铅冶炼") || r.contains("冶炼")),
            "{m:?}"
        );
        assert!(m.reasons.iter().any(|r| r.contains("就绪度7级")), "{m:?}");
        assert!(m.reasons.iter().any(|r| r.contains("预算之内")), "{m:?}");
        // Too immature and too dear: the reasons say so and the score drops.
        let immature = Side {
            trl: Some(3),
            money_fen: Some(900_000_000),
            ..close
        };
        let m2 = score(&demand, &immature);
        assert!(m2.score < m.score);
        assert!(m2.reasons.iter().any(|r| r.contains("低于需求要求")));
        assert!(m2.reasons.iter().any(|r| r.contains("高于需求预算")));
    }

    #[test]
    fn bigrams_skip_latin_and_common_words() {
        let b = bigrams("铅冶炼ABC技术");
        assert!(b.contains("铅冶") && b.contains("冶炼"));
        assert!(!b.contains("技术"));
    }
}
