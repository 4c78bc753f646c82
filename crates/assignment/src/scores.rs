//! Score aggregation for review rounds.
//!
//! * [`mean`]: arithmetic mean.
//! * [`trimmed_mean`]: with 3 or more scores, drop exactly one highest and one lowest score
//!   (one copy each, even if tied) and average the rest; with fewer than 3, the plain mean.
//! * [`normalize`]: per-reviewer z-scores mapped back to the pool scale. For reviewer `r` with
//!   items `i`: `z = (x − mean_r) / sd_r`, `normalized = pooled_mean + z × pooled_sd`, where
//!   `sd` is the population standard deviation (divide by n) and the pooled figures are over
//!   every raw score of the round. **Fallback:** a reviewer with a single item or `sd_r = 0`
//!   cannot be calibrated and keeps the raw score (`calibrated = false` in [`ReviewerStats`]).
//! * [`rank`]: items ordered by the chosen aggregate (descending; ties share a rank,
//!   competition style 1,2,2,4; equal values listed by item id), each with every reviewer's raw
//!   and normalized score.

use std::collections::{BTreeMap, HashSet};

use serde::{Deserialize, Serialize};

use crate::Error;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Score {
    pub item: String,
    pub reviewer: String,
    pub score: f64,
}

pub fn mean(xs: &[f64]) -> Option<f64> {
    if xs.is_empty() {
        None
    } else {
        Some(xs.iter().sum::<f64>() / xs.len() as f64)
    }
}

pub fn trimmed_mean(xs: &[f64]) -> Option<f64> {
    if xs.len() < 3 {
        return mean(xs);
    }
    let mut v = xs.to_vec();
    v.sort_by(f64::total_cmp);
    mean(&v[1..v.len() - 1])
}

fn sd(xs: &[f64], m: f64) -> f64 {
    (xs.iter().map(|x| (x - m) * (x - m)).sum::<f64>() / xs.len() as f64).sqrt()
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReviewerStats {
    pub reviewer: String,
    pub items: usize,
    pub mean: f64,
    pub sd: f64,
    pub calibrated: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NormalizedScore {
    pub item: String,
    pub reviewer: String,
    pub raw: f64,
    pub normalized: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Normalized {
    pub pooled_mean: f64,
    pub pooled_sd: f64,
    /// Sorted by reviewer id.
    pub reviewers: Vec<ReviewerStats>,
    /// Same order as the input.
    pub scores: Vec<NormalizedScore>,
}

fn validate(scores: &[Score]) -> Result<(), Error> {
    let mut seen = HashSet::new();
    for s in scores {
        if !s.score.is_finite() {
            return Err(Error::Scores(format!(
                "score of {} by {} is not a finite number",
                s.item, s.reviewer
            )));
        }
        if !seen.insert((s.item.as_str(), s.reviewer.as_str())) {
            return Err(Error::Scores(format!(
                "{} scored {} twice",
                s.reviewer, s.item
            )));
        }
    }
    Ok(())
}

pub fn normalize(scores: &[Score]) -> Result<Normalized, Error> {
    validate(scores)?;
    let all: Vec<f64> = scores.iter().map(|s| s.score).collect();
    let pooled_mean = mean(&all).unwrap_or(0.0);
    let pooled_sd = if all.is_empty() {
        0.0
    } else {
        sd(&all, pooled_mean)
    };
    let mut by: BTreeMap<&str, Vec<f64>> = BTreeMap::new();
    for s in scores {
        by.entry(s.reviewer.as_str()).or_default().push(s.score);
    }
    let reviewers: Vec<ReviewerStats> = by
        .iter()
        .map(|(r, xs)| {
            let m = mean(xs).unwrap_or(0.0);
            let d = sd(xs, m);
            ReviewerStats {
                reviewer: (*r).to_string(),
                items: xs.len(),
                mean: m,
                sd: d,
                calibrated: xs.len() >= 2 && d > 0.0,
            }
        })
        .collect();
    let stats: BTreeMap<&str, &ReviewerStats> =
        reviewers.iter().map(|r| (r.reviewer.as_str(), r)).collect();
    let scores = scores
        .iter()
        .map(|s| {
            let normalized = match stats.get(s.reviewer.as_str()) {
                Some(r) if r.calibrated => pooled_mean + (s.score - r.mean) / r.sd * pooled_sd,
                _ => s.score,
            };
            NormalizedScore {
                item: s.item.clone(),
                reviewer: s.reviewer.clone(),
                raw: s.score,
                normalized,
            }
        })
        .collect();
    Ok(Normalized {
        pooled_mean,
        pooled_sd,
        reviewers,
        scores,
    })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Aggregate {
    Mean,
    TrimmedMean,
    NormalizedMean,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Review {
    pub reviewer: String,
    pub raw: f64,
    pub normalized: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RankedItem {
    pub rank: u32,
    pub item: String,
    /// The aggregate ranked by.
    pub value: f64,
    pub mean: f64,
    pub trimmed_mean: f64,
    pub normalized_mean: f64,
    /// Sorted by reviewer id.
    pub reviews: Vec<Review>,
}

pub fn rank(scores: &[Score], by: Aggregate) -> Result<Vec<RankedItem>, Error> {
    let n = normalize(scores)?;
    let mut items: BTreeMap<&str, Vec<Review>> = BTreeMap::new();
    for s in &n.scores {
        items.entry(s.item.as_str()).or_default().push(Review {
            reviewer: s.reviewer.clone(),
            raw: s.raw,
            normalized: s.normalized,
        });
    }
    let mut out: Vec<RankedItem> = items
        .into_iter()
        .map(|(item, mut reviews)| {
            reviews.sort_by(|x, y| x.reviewer.cmp(&y.reviewer));
            let raw: Vec<f64> = reviews.iter().map(|r| r.raw).collect();
            let norm: Vec<f64> = reviews.iter().map(|r| r.normalized).collect();
            let mean_v = mean(&raw).unwrap_or(0.0);
            let trimmed = trimmed_mean(&raw).unwrap_or(0.0);
            let nm = mean(&norm).unwrap_or(0.0);
            RankedItem {
                rank: 0,
                item: item.to_string(),
                value: match by {
                    Aggregate::Mean => mean_v,
                    Aggregate::TrimmedMean => trimmed,
                    Aggregate::NormalizedMean => nm,
                },
                mean: mean_v,
                trimmed_mean: trimmed,
                normalized_mean: nm,
                reviews,
            }
        })
        .collect();
    out.sort_by(|x, y| {
        y.value
            .total_cmp(&x.value)
            .then_with(|| x.item.cmp(&y.item))
    });
    for i in 0..out.len() {
        out[i].rank = if i > 0 && out[i].value == out[i - 1].value {
            out[i - 1].rank
        } else {
            i as u32 + 1
        };
    }
    Ok(out)
}
