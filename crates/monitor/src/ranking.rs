//! Ranking regions (counties) on chosen indicators, with an optional weighted composite score.
//! Rules in the crate docs ("Ranking").

use serde::{Deserialize, Serialize};

use crate::fmt::num;

/// Percent-of-target scores are capped here, so over-achievement on one indicator cannot make up
/// for a shortfall on another.
pub const PERCENT_OF_TARGET_CAP: f64 = 100.0;
/// Composite scores are rounded to this many decimals before ranking, so float noise does not
/// break ties.
pub const COMPOSITE_RANK_DECIMALS: i32 = 6;

/// One ranked indicator (a column).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RankIndicator {
    pub key: String,
    pub name_zh: String,
    #[serde(default)]
    pub unit: String,
    pub higher_is_better: bool,
    /// Weight in the composite; 0 = shown and ranked but not scored.
    #[serde(default)]
    pub weight: f64,
}

impl RankIndicator {
    /// A column for a catalog indicator, with its name, unit and direction.
    pub fn from_indicator(ind: &crate::indicators::Indicator, weight: f64) -> Self {
        Self {
            key: ind.key.to_owned(),
            name_zh: ind.name_zh.to_owned(),
            unit: ind.unit.to_owned(),
            higher_is_better: ind.higher_is_better,
            weight,
        }
    }
}

/// The values of one region, one per indicator (in the order of the indicators).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RegionValues {
    pub region: String,
    pub name: String,
    pub values: Vec<Option<f64>>,
    /// Targets per indicator, for [`Normalization::PercentOfTarget`]; may be empty otherwise.
    #[serde(default)]
    pub targets: Vec<Option<f64>>,
}

/// How indicator values become 0–100 scores for the composite.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Normalization {
    /// `(v − min) / (max − min) × 100` over the ranked regions (reversed when lower is better);
    /// 100 for everybody when all values are equal.
    MinMax,
    /// Completion rate `v / target × 100` (`target / v × 100` when lower is better), capped at
    /// [`PERCENT_OF_TARGET_CAP`].
    PercentOfTarget,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct RankCell {
    pub value: Option<f64>,
    /// Competition rank (1, 2, 2, 4); absent for a missing value (listed last).
    pub rank: Option<usize>,
    /// Normalized score 0–100 (only when a composite is requested).
    pub score: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RankRow {
    pub region: String,
    pub name: String,
    pub cells: Vec<RankCell>,
    /// Absent when the region has no value at all (无数据: unranked, listed last).
    pub composite: Option<f64>,
    pub composite_rank: Option<usize>,
    /// A weighted indicator had no score (counted as 0 in the composite).
    pub incomplete: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RankingTable {
    pub indicators: Vec<RankIndicator>,
    pub normalization: Option<Normalization>,
    /// Sorted by composite rank when there is a composite, else by the first indicator's rank;
    /// then by region code.
    pub rows: Vec<RankRow>,
}

#[derive(Debug, Clone, PartialEq, thiserror::Error, Serialize)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum RankingError {
    #[error("{region}的数值个数（{got}）与指标个数（{expected}）不一致")]
    WrongWidth {
        region: String,
        expected: usize,
        got: usize,
    },
    #[error("{region}的数值不是有限数")]
    NonFinite { region: String },
    #[error("权重应为非负有限数且合计大于0")]
    InvalidWeights,
}

/// Competition ranks ("1224"): rank = 1 + number of strictly better values; missing → `None`.
pub fn competition_ranks(values: &[Option<f64>], higher_is_better: bool) -> Vec<Option<usize>> {
    values
        .iter()
        .map(|v| {
            let v = (*v)?;
            let better = values
                .iter()
                .flatten()
                .filter(|o| if higher_is_better { **o > v } else { **o < v })
                .count();
            Some(better + 1)
        })
        .collect()
}

fn min_max_scores(values: &[Option<f64>], higher_is_better: bool) -> Vec<Option<f64>> {
    let present = values.iter().flatten();
    let min = present.clone().copied().fold(f64::INFINITY, f64::min);
    let max = present.copied().fold(f64::NEG_INFINITY, f64::max);
    values
        .iter()
        .map(|v| {
            let v = (*v)?;
            let spread = max - min;
            if spread <= 0.0 {
                return Some(100.0);
            }
            let s = if higher_is_better {
                (v - min) / spread
            } else {
                (max - v) / spread
            };
            Some(s * 100.0)
        })
        .collect()
}

fn percent_of_target(v: f64, t: f64, higher_is_better: bool) -> f64 {
    let s = if t <= 0.0 {
        // No meaningful ratio: full marks when the bound is respected.
        let ok = if higher_is_better { v >= t } else { v <= t };
        if ok { 100.0 } else { 0.0 }
    } else if higher_is_better {
        v / t * 100.0
    } else if v <= 0.0 {
        100.0
    } else {
        t / v * 100.0
    };
    s.clamp(0.0, PERCENT_OF_TARGET_CAP)
}

/// Rank `rows` on every indicator and, with `composite`, by the weighted mean of the normalized
/// scores `Σ wᵢ·sᵢ / Σ wᵢ` (a missing score counts 0 and flags the row `incomplete`).
pub fn rank(
    indicators: &[RankIndicator],
    rows: &[RegionValues],
    composite: Option<Normalization>,
) -> Result<RankingTable, RankingError> {
    for r in rows {
        if r.values.len() != indicators.len() {
            return Err(RankingError::WrongWidth {
                region: r.region.clone(),
                expected: indicators.len(),
                got: r.values.len(),
            });
        }
        if r.values.iter().flatten().any(|v| !v.is_finite())
            || r.targets.iter().flatten().any(|v| !v.is_finite())
        {
            return Err(RankingError::NonFinite {
                region: r.region.clone(),
            });
        }
    }
    let total_weight: f64 = indicators.iter().map(|i| i.weight).sum();
    if composite.is_some()
        && (indicators
            .iter()
            .any(|i| !i.weight.is_finite() || i.weight < 0.0)
            || !(total_weight > 0.0 && total_weight.is_finite()))
    {
        return Err(RankingError::InvalidWeights);
    }

    let mut out: Vec<RankRow> = rows
        .iter()
        .map(|r| RankRow {
            region: r.region.clone(),
            name: r.name.clone(),
            cells: Vec::with_capacity(indicators.len()),
            composite: None,
            composite_rank: None,
            incomplete: false,
        })
        .collect();
    for (j, ind) in indicators.iter().enumerate() {
        let column: Vec<Option<f64>> = rows
            .iter()
            .map(|r| r.values.get(j).copied().flatten())
            .collect();
        let ranks = competition_ranks(&column, ind.higher_is_better);
        let scores: Vec<Option<f64>> = match composite {
            None => vec![None; rows.len()],
            Some(Normalization::MinMax) => min_max_scores(&column, ind.higher_is_better),
            Some(Normalization::PercentOfTarget) => rows
                .iter()
                .zip(&column)
                .map(|(r, v)| {
                    let t = r.targets.get(j).copied().flatten()?;
                    Some(percent_of_target((*v)?, t, ind.higher_is_better))
                })
                .collect(),
        };
        for (i, row) in out.iter_mut().enumerate() {
            row.cells.push(RankCell {
                value: column.get(i).copied().flatten(),
                rank: ranks.get(i).copied().flatten(),
                score: scores.get(i).copied().flatten(),
            });
        }
    }
    if composite.is_some() {
        for row in out
            .iter_mut()
            .filter(|r| r.cells.iter().any(|c| c.value.is_some()))
        {
            let mut sum = 0.0;
            for (cell, ind) in row.cells.iter().zip(indicators) {
                if ind.weight > 0.0 {
                    match cell.score {
                        Some(s) => sum += ind.weight * s,
                        None => row.incomplete = true,
                    }
                }
            }
            let scale = 10f64.powi(COMPOSITE_RANK_DECIMALS);
            row.composite = Some((sum / total_weight * scale).round() / scale);
        }
        let composites: Vec<Option<f64>> = out.iter().map(|r| r.composite).collect();
        for (row, r) in out.iter_mut().zip(competition_ranks(&composites, true)) {
            row.composite_rank = r;
        }
    }
    let key = |r: &RankRow| {
        let rank = if composite.is_some() {
            r.composite_rank
        } else {
            r.cells.first().and_then(|c| c.rank)
        };
        rank.unwrap_or(usize::MAX)
    };
    out.sort_by(|a, b| key(a).cmp(&key(b)).then_with(|| a.region.cmp(&b.region)));
    Ok(RankingTable {
        indicators: indicators.to_vec(),
        normalization: composite,
        rows: out,
    })
}

impl RankingTable {
    /// Header and text rows for a table / xlsx sheet: 区划代码, 地区, then per indicator
    /// “名称（单位）” and “排名”, then 综合得分 and 综合排名 when there is a composite.
    /// `decimals` gives the places per indicator (default: up to 2). A missing value reads
    /// “无数据” and has no rank (“—”).
    pub fn to_rows(&self, decimals: &[Option<u32>]) -> (Vec<String>, Vec<Vec<String>>) {
        let mut header = vec!["区划代码".to_owned(), "地区".to_owned()];
        for ind in &self.indicators {
            header.push(if ind.unit.is_empty() {
                ind.name_zh.clone()
            } else {
                format!("{}（{}）", ind.name_zh, ind.unit)
            });
            header.push("排名".to_owned());
        }
        if self.normalization.is_some() {
            header.push("综合得分".to_owned());
            header.push("综合排名".to_owned());
        }
        let text =
            |v: Option<f64>, d: Option<u32>| v.map_or_else(|| "无数据".to_owned(), |v| num(v, d));
        let rank = |r: Option<usize>| r.map_or_else(|| "—".to_owned(), |r| r.to_string());
        let body = self
            .rows
            .iter()
            .map(|row| {
                let mut cells = vec![row.region.clone(), row.name.clone()];
                for (j, c) in row.cells.iter().enumerate() {
                    cells.push(text(c.value, decimals.get(j).copied().flatten()));
                    cells.push(rank(c.rank));
                }
                if self.normalization.is_some() {
                    cells.push(text(row.composite, Some(1)));
                    cells.push(rank(row.composite_rank));
                }
                cells
            })
            .collect();
        (header, body)
    }
}
