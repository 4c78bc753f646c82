//! Scoring extractions against a hand-labelled gold list.
//!
//! **Matching rule.** A predicted item matches a gold item when all of:
//! - value and unit equal in canonical form ([`canonical_quantity`]): ％→%, 个百分点→百分点,
//!   and a multiplier written in the unit folded into the value, so "4.6万亿元" equals
//!   "46000亿元" and "1万家" equals "10000家" (`value` and `value_max` within 1e-9 relative);
//! - year equal (both absent, or the same year);
//! - indicator match: the same key, or the indicator texts (quotes and spaces removed) contain
//!   one another, or their character-bigram Dice coefficient is ≥ 0.5.
//!
//! Matching is one-to-one and greedy in document order (each gold item is used once).
//! Duplicates are collapsed first on both sides: items with the same (key, canonical value,
//! value_max, unit, year) count once (a plan repeating a target is one target). Precision = matched /
//! distinct predicted, recall = matched / distinct gold.

use serde::{Deserialize, Serialize};

use crate::Extracted;
use crate::lexicon::{canonical_quantity, slug};

/// One gold line: what a person labelled in the plan text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GoldItem {
    pub indicator: String,
    pub key: String,
    pub value: f64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value_max: Option<f64>,
    pub unit: String,
    pub year: Option<i32>,
    pub kind: crate::Kind,
    pub comparator: String,
}

/// Precision/recall of one comparison, with the unmatched items for inspection.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Score {
    pub predicted: usize,
    pub gold: usize,
    pub matched: usize,
    /// Of the matched pairs: how many also agree on kind (target/baseline), on the key, and on
    /// the comparator code. Reported, not part of the matching rule.
    pub same_kind: usize,
    pub same_key: usize,
    pub same_comparator: usize,
    /// Matched pairs that disagree on key, kind or comparator ("key pred≠gold …").
    pub disagreements: Vec<String>,
    pub missed: Vec<String>,
    pub spurious: Vec<String>,
}

impl Score {
    pub fn precision(&self) -> f64 {
        if self.predicted == 0 {
            1.0
        } else {
            self.matched as f64 / self.predicted as f64
        }
    }
    pub fn recall(&self) -> f64 {
        if self.gold == 0 {
            1.0
        } else {
            self.matched as f64 / self.gold as f64
        }
    }
    /// Adds another score (micro-average).
    pub fn add(&mut self, other: &Score) {
        self.predicted += other.predicted;
        self.gold += other.gold;
        self.matched += other.matched;
        self.same_kind += other.same_kind;
        self.same_key += other.same_key;
        self.same_comparator += other.same_comparator;
        self.disagreements
            .extend(other.disagreements.iter().cloned());
        self.missed.extend(other.missed.iter().cloned());
        self.spurious.extend(other.spurious.iter().cloned());
    }
}

/// Parses a gold `.jsonl` text (blank lines ignored).
pub fn parse_gold(jsonl: &str) -> Result<Vec<GoldItem>, crate::Error> {
    jsonl
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).map_err(|e| crate::Error::Gold(e.to_string())))
        .collect()
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0)
}

fn bigrams(s: &str) -> Vec<(char, char)> {
    let c: Vec<char> = slug(s).chars().collect();
    let mut v: Vec<(char, char)> = c.windows(2).map(|w| (w[0], w[1])).collect();
    v.sort();
    v.dedup();
    v
}

/// Whether two indicator texts name the same thing (containment or bigram Dice ≥ 0.5).
pub fn indicator_similar(a: &str, b: &str) -> bool {
    let (sa, sb) = (slug(a), slug(b));
    if sa.is_empty() || sb.is_empty() {
        return false;
    }
    if sa.contains(&sb) || sb.contains(&sa) {
        return true;
    }
    let (ba, bb) = (bigrams(a), bigrams(b));
    if ba.is_empty() || bb.is_empty() {
        return false;
    }
    let common = ba.iter().filter(|x| bb.contains(x)).count();
    2.0 * common as f64 / (ba.len() + bb.len()) as f64 >= 0.5
}

fn tuple_matches(p: &Extracted, g: &GoldItem) -> bool {
    // Value and unit are compared in canonical form: "4.6万亿元" and "46000亿元" are one
    // quantity, and so are "1万家" and "10000家" (see `lexicon::canonical_quantity`).
    let (pv, pmax, pu) = canonical_quantity(p.value, p.value_max, &p.unit);
    let (gv, gmax, gu) = canonical_quantity(g.value, g.value_max, &g.unit);
    close(pv, gv)
        && match (pmax, gmax) {
            (None, None) => true,
            (Some(a), Some(b)) => close(a, b),
            _ => false,
        }
        && pu == gu
        && p.year == g.year
        && (p.key == g.key || indicator_similar(&p.indicator, &g.indicator))
}

fn describe(ind: &str, v: f64, vmax: Option<f64>, unit: &str, year: Option<i32>) -> String {
    let range = vmax.map(|m| format!("-{m}")).unwrap_or_default();
    format!(
        "{ind} {v}{range}{unit} @{}",
        year.map(|y| y.to_string()).unwrap_or_else(|| "-".into())
    )
}

/// Scores predictions against gold under the matching rule above.
pub fn evaluate(predicted: &[Extracted], gold: &[GoldItem]) -> Score {
    let dedup_p = dedup(predicted, |p| {
        let (v, m, u) = canonical_quantity(p.value, p.value_max, &p.unit);
        (p.key.clone(), v, m, u, p.year)
    });
    let dedup_g = dedup(gold, |g| {
        let (v, m, u) = canonical_quantity(g.value, g.value_max, &g.unit);
        (g.key.clone(), v, m, u, g.year)
    });
    let mut used = vec![false; dedup_g.len()];
    let mut score = Score {
        predicted: dedup_p.len(),
        gold: dedup_g.len(),
        ..Score::default()
    };
    for p in &dedup_p {
        match (0..dedup_g.len()).find(|&i| !used[i] && tuple_matches(p, dedup_g[i])) {
            Some(i) => {
                used[i] = true;
                score.matched += 1;
                let g = dedup_g[i];
                score.same_kind += usize::from(p.kind == g.kind);
                score.same_key += usize::from(p.key == g.key);
                score.same_comparator += usize::from(p.comparator == g.comparator);
                if p.key != g.key || p.kind != g.kind || p.comparator != g.comparator {
                    score.disagreements.push(format!(
                        "{}: key {}|{} kind {:?}|{:?} cmp {}|{}",
                        p.indicator, p.key, g.key, p.kind, g.kind, p.comparator, g.comparator
                    ));
                }
            }
            None => score.spurious.push(describe(
                &p.indicator,
                p.value,
                p.value_max,
                &p.unit,
                p.year,
            )),
        }
    }
    for (i, g) in dedup_g.iter().enumerate() {
        if !used[i] {
            score.missed.push(describe(
                &g.indicator,
                g.value,
                g.value_max,
                &g.unit,
                g.year,
            ));
        }
    }
    score
}

type TupleKey = (String, f64, Option<f64>, String, Option<i32>);

fn dedup<T>(items: &[T], key: impl Fn(&T) -> TupleKey) -> Vec<&T> {
    let mut seen: Vec<TupleKey> = Vec::new();
    let mut out = Vec::new();
    for it in items {
        let k = key(it);
        if !seen
            .iter()
            .any(|s| s.0 == k.0 && close(s.1, k.1) && s.2 == k.2 && s.3 == k.3 && s.4 == k.4)
        {
            seen.push(k);
            out.push(it);
        }
    }
    out
}
