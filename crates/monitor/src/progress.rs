//! Progress of one target: actual vs target, percent achieved, the required trajectory, two
//! forecasts, and a status with a Chinese explanation. The rules are documented in the crate
//! docs (`lib.rs`, "Progress"); the thresholds are the constants below.

use serde::{Deserialize, Serialize};

use crate::fmt::{num, pct};

/// Default tolerance of “左右” (about): ±5 % of the target value.
pub const DEFAULT_ABOUT_TOLERANCE: f64 = 0.05;
/// A forecast that misses the target by at most this share (of the target level, or of the
/// required increase for 新增/倍增) is 滞后; by more, 预警.
pub const LAG_THRESHOLD: f64 = 0.10;
/// With at least this many points both forecast methods are compared by in-sample RMSE; with
/// fewer, the linear one is used (two points are fitted exactly by both, so the error cannot
/// decide, and the straight line is the more conservative extrapolation of growth).
pub const MIN_POINTS_FOR_SELECTION: usize = 3;
/// Relative slack for float comparisons against a target or a trajectory value (so that
/// 150 vs a computed 149.99999999999997 counts as reached).
pub const EPSILON: f64 = 1e-9;

fn default_tolerance() -> f64 {
    DEFAULT_ABOUT_TOLERANCE
}

/// How the target sentence bounds the indicator.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Comparator {
    /// 达到 / 不低于 / 超过 / 以上 / 突破: `actual ≥ value`.
    AtLeast,
    /// 左右: a soft floor `actual ≥ value × (1 − tolerance)`; above `value × (1 + tolerance)` is
    /// reported as exceeded (still 达标: the catalog's indicators are higher-is-better).
    About {
        #[serde(default = "default_tolerance")]
        tolerance: f64,
    },
    /// 新增 N: `actual ≥ baseline + value`.
    IncreaseBy,
    /// 倍增 / 翻番 (`value` = the factor, 2 for 倍增): `actual ≥ value × baseline`.
    Multiply,
    /// 控制在 / 不超过 (lower is better): `actual ≤ value`.
    AtMost,
}

impl Comparator {
    pub fn label_zh(&self) -> &'static str {
        match self {
            Comparator::AtLeast => "不低于",
            Comparator::About { .. } => "左右",
            Comparator::IncreaseBy => "新增",
            Comparator::Multiply => "倍增",
            Comparator::AtMost => "不超过",
        }
    }
    fn lower_is_better(&self) -> bool {
        matches!(self, Comparator::AtMost)
    }
}

/// A target of one indicator for one region.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Target {
    pub comparator: Comparator,
    /// The number of the sentence: the level (达到/左右/不超过), N (新增 N) or the factor (倍增 = 2).
    pub value: f64,
    /// Upper bound of a range (“150–180家”): reported as `above_max`, never a failure.
    #[serde(default)]
    pub value_max: Option<f64>,
    pub baseline_year: i32,
    /// Baseline value; if absent, the history's value for `baseline_year` is used.
    #[serde(default)]
    pub baseline_value: Option<f64>,
    pub target_year: i32,
    /// Unit for the explanation (家, %, 万元 …).
    #[serde(default)]
    pub unit: String,
    /// Decimal places of the indicator (0 for counts): the explanation and the forecast are
    /// rounded to them; default: up to 2, trailing zeros trimmed, forecast unrounded.
    #[serde(default)]
    pub decimals: Option<u32>,
    /// The year of the evaluation. A target year before it has passed: nothing is forecast
    /// for it, and without its value the target cannot be judged (无数据).
    #[serde(default)]
    pub as_of_year: Option<i32>,
}

/// One yearly value.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Point {
    pub year: i32,
    pub value: f64,
}

impl Point {
    pub fn new(year: i32, value: f64) -> Self {
        Self { year, value }
    }
}

/// Why a quantity has no value. Typed, never NaN.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Undefined {
    /// A denominator is zero (target 0, 新增 0, baseline 0 for 倍增 …).
    ZeroDenominator,
    /// No actual value.
    NoData,
    /// No baseline value.
    NoBaseline,
    /// 不超过 with an actual ≤ 0: the ratio target/actual is meaningless.
    NonPositiveActual,
}

/// A number that may be undefined.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Outcome {
    Value { value: f64 },
    Undefined { reason: Undefined },
}

impl Outcome {
    pub fn value(&self) -> Option<f64> {
        match *self {
            Outcome::Value { value } => Some(value),
            Outcome::Undefined { .. } => None,
        }
    }
    fn of(v: f64) -> Self {
        if v.is_finite() {
            Outcome::Value { value: v }
        } else {
            Outcome::Undefined {
                reason: Undefined::ZeroDenominator,
            }
        }
    }
    fn undefined(reason: Undefined) -> Self {
        Outcome::Undefined { reason }
    }
}

/// `numerator / denominator × 100`, typed when the denominator is zero.
fn percent(numerator: f64, denominator: f64) -> Outcome {
    if denominator == 0.0 {
        Outcome::undefined(Undefined::ZeroDenominator)
    } else {
        Outcome::of(numerator / denominator * 100.0)
    }
}

/// The shape of the required path from baseline to target.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PathKind {
    /// Equal yearly increments (counts, amounts, percentage points).
    Linear,
    /// Equal yearly growth rate (倍增 and other growth goals).
    Compound,
}

/// Expected values of one year on both paths.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct PathPoint {
    pub year: i32,
    pub linear: f64,
    /// Absent when baseline or target is ≤ 0 (no constant growth rate joins them).
    pub compound: Option<f64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ForecastMethod {
    /// Ordinary least squares line over the history.
    Linear,
    /// Compound annual growth rate from the first to the last positive value.
    Compound,
}

impl ForecastMethod {
    pub fn label_zh(&self) -> &'static str {
        match self {
            ForecastMethod::Linear => "线性趋势",
            ForecastMethod::Compound => "复合增长趋势",
        }
    }
}

/// OLS fit `value = intercept + slope × year`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct LinearFit {
    pub slope: f64,
    pub intercept: f64,
    pub points: usize,
    /// Root mean squared in-sample error.
    pub rmse: f64,
    /// Predicted value for the forecast year.
    pub forecast: f64,
}

/// CAGR fit `value = first × (1 + rate)^(year − first_year)`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct CompoundFit {
    /// Yearly growth rate (0.1 = 10 %).
    pub rate: f64,
    pub from: Point,
    pub to: Point,
    /// In-sample RMSE over all history points.
    pub rmse: f64,
    pub forecast: f64,
}

/// Both forecasts for `year` and the one used for the status.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Forecast {
    pub year: i32,
    pub linear: Option<LinearFit>,
    pub compound: Option<CompoundFit>,
    pub chosen: Option<ForecastMethod>,
    /// Why this method (Chinese).
    pub reason_zh: String,
}

impl Forecast {
    /// No forecast, with the reason.
    pub fn none(year: i32, reason_zh: String) -> Self {
        Self {
            year,
            linear: None,
            compound: None,
            chosen: None,
            reason_zh,
        }
    }

    /// The chosen forecast value.
    pub fn value(&self) -> Option<f64> {
        match self.chosen? {
            ForecastMethod::Linear => self.linear.map(|f| f.forecast),
            ForecastMethod::Compound => self.compound.map(|f| f.forecast),
        }
    }
}

/// 达标 / 正常 / 滞后 / 预警 / 未达标 / 无数据.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// 达标: the latest actual (up to the target year) already meets the target.
    Achieved,
    /// 正常: on or ahead of the required trajectory, or the forecast meets the target.
    OnTrack,
    /// 滞后: behind, and the forecast misses by at most [`LAG_THRESHOLD`].
    Lagging,
    /// 预警: the forecast misses by more, or too little data to forecast.
    Warning,
    /// 未达标: the target year's actual misses the target.
    Missed,
    /// 无数据: no actual at all, or the target year has passed without its value.
    NoData,
}

impl Status {
    pub fn label_zh(&self) -> &'static str {
        match self {
            Status::Achieved => "达标",
            Status::OnTrack => "正常",
            Status::Lagging => "滞后",
            Status::Warning => "预警",
            Status::Missed => "未达标",
            Status::NoData => "无数据",
        }
    }
}

#[derive(Debug, Clone, PartialEq, thiserror::Error, Serialize)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum ProgressError {
    #[error("{field}不是有限数值")]
    NonFinite { field: &'static str },
    #[error("目标年（{target_year}）应晚于基期年（{baseline_year}）")]
    TargetYearNotAfterBaseline {
        baseline_year: i32,
        target_year: i32,
    },
    #[error("“{comparator}”目标需要基期值")]
    MissingBaseline { comparator: &'static str },
    #[error("倍数应大于0")]
    InvalidFactor,
    #[error("“左右”的容差应在0到1之间")]
    InvalidTolerance,
    #[error("{year}年有多个实际值")]
    DuplicateYear { year: i32 },
}

/// The evaluation of one target against its history.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Progress {
    /// The level the indicator must reach in the target year (baseline + N for 新增,
    /// factor × baseline for 倍增).
    pub target_level: f64,
    pub baseline: Option<Point>,
    /// The latest actual of the history up to the target year (later years do not count).
    pub latest: Option<Point>,
    /// The latest actual meets the target.
    pub met: bool,
    /// Above `value_max` (or above the “左右” band).
    pub above_max: bool,
    /// Percent achieved, by comparator (crate docs).
    pub percent_achieved: Outcome,
    /// (actual − baseline) / (target level − baseline) × 100.
    pub progress_share: Outcome,
    /// (latest year − baseline year) / (target year − baseline year) × 100.
    pub elapsed_share: Outcome,
    /// The path the status is judged against.
    pub path_kind: PathKind,
    /// Expected values for every year from baseline to target (empty without a baseline).
    pub trajectory: Vec<PathPoint>,
    /// The required path's value for the latest year (the target level after the target year).
    pub expected: Option<f64>,
    /// actual − expected (negative = behind for higher-is-better).
    pub gap_to_trajectory: Option<f64>,
    pub on_trajectory: Option<bool>,
    pub forecast: Forecast,
    /// The chosen forecast rounded to the target's decimals (what the status is judged on).
    pub forecast_value: Option<f64>,
    /// How far the decisive value (forecast, or actual when the target year has passed, or the
    /// actual against the trajectory when no forecast exists) misses, in % of the base
    /// (target level; the required increase for 新增/倍增). Absent when nothing is missed.
    pub shortfall_percent: Option<f64>,
    pub status: Status,
    pub explanation_zh: String,
}

fn finite(field: &'static str, v: f64) -> Result<f64, ProgressError> {
    if v.is_finite() {
        Ok(v)
    } else {
        Err(ProgressError::NonFinite { field })
    }
}

fn ge(a: f64, b: f64) -> bool {
    a >= b - EPSILON * b.abs().max(1.0)
}

fn le(a: f64, b: f64) -> bool {
    a <= b + EPSILON * b.abs().max(1.0)
}

/// Evaluate a target against a yearly history of actuals (any order; one value per year).
pub fn evaluate(target: &Target, history: &[Point]) -> Result<Progress, ProgressError> {
    let t = target;
    finite("目标值", t.value)?;
    if let Some(m) = t.value_max {
        finite("目标上限", m)?;
    }
    if let Some(b) = t.baseline_value {
        finite("基期值", b)?;
    }
    for p in history {
        finite("实际值", p.value)?;
    }
    if t.target_year <= t.baseline_year {
        return Err(ProgressError::TargetYearNotAfterBaseline {
            baseline_year: t.baseline_year,
            target_year: t.target_year,
        });
    }
    let tolerance = match t.comparator {
        Comparator::About { tolerance } => {
            if !(0.0..1.0).contains(&tolerance) {
                return Err(ProgressError::InvalidTolerance);
            }
            tolerance
        }
        _ => 0.0,
    };
    let mut hist: Vec<Point> = history.to_vec();
    hist.sort_by_key(|p| p.year);
    for w in hist.windows(2) {
        if let [a, b] = w
            && a.year == b.year
        {
            return Err(ProgressError::DuplicateYear { year: a.year });
        }
    }
    // A target for a year is judged on that year's value: later years do not count.
    hist.retain(|p| p.year <= t.target_year);
    let passed = t.as_of_year.is_some_and(|y| y > t.target_year);
    let baseline_value = t.baseline_value.or_else(|| {
        hist.iter()
            .find(|p| p.year == t.baseline_year)
            .map(|p| p.value)
    });
    let baseline = baseline_value.map(|v| Point::new(t.baseline_year, v));

    let need_baseline =
        |c: &'static str| baseline_value.ok_or(ProgressError::MissingBaseline { comparator: c });
    let target_level = match t.comparator {
        Comparator::AtLeast | Comparator::About { .. } | Comparator::AtMost => t.value,
        Comparator::IncreaseBy => need_baseline("新增")? + t.value,
        Comparator::Multiply => {
            if t.value <= 0.0 {
                return Err(ProgressError::InvalidFactor);
            }
            need_baseline("倍增")? * t.value
        }
    };
    finite("目标水平", target_level)?;
    // The base of relative misses: the level, or the required increase.
    let miss_base = match t.comparator {
        Comparator::IncreaseBy | Comparator::Multiply => {
            target_level - baseline_value.unwrap_or(0.0)
        }
        _ => target_level,
    }
    .abs();

    let meets = |a: f64| match t.comparator {
        Comparator::AtMost => le(a, target_level),
        Comparator::About { .. } => ge(a, target_level * (1.0 - tolerance)),
        _ => ge(a, target_level),
    };
    // Signed amount by which `a` misses the target (> 0 = missed).
    let miss = |a: f64| match t.comparator {
        Comparator::AtMost => a - target_level,
        Comparator::About { .. } => target_level * (1.0 - tolerance) - a,
        _ => target_level - a,
    };

    // Trajectory.
    let path_kind = match t.comparator {
        Comparator::Multiply => PathKind::Compound,
        _ => PathKind::Linear,
    };
    let span = f64::from(t.target_year - t.baseline_year);
    let path_at = |b: f64, year: i32| -> PathPoint {
        let s = f64::from(year - t.baseline_year) / span;
        let linear = b + (target_level - b) * s;
        let compound = if b > 0.0 && target_level > 0.0 {
            Some(b * (target_level / b).powf(s)).filter(|v| v.is_finite())
        } else {
            None
        };
        PathPoint {
            year,
            linear,
            compound,
        }
    };
    let trajectory: Vec<PathPoint> = match baseline_value {
        Some(b) => (t.baseline_year..=t.target_year)
            .map(|y| path_at(b, y))
            .collect(),
        None => Vec::new(),
    };
    // Compound path, falling back to linear when it does not exist.
    let expected_of = |p: &PathPoint| match path_kind {
        PathKind::Compound => p.compound.unwrap_or(p.linear),
        PathKind::Linear => p.linear,
    };

    let latest = hist.last().copied();
    let forecast = match latest {
        Some(l) if l.year >= t.target_year => Forecast::none(
            t.target_year,
            format!("已有{}年实际数据，不作预测", t.target_year),
        ),
        _ if passed => Forecast::none(
            t.target_year,
            format!("目标年{}年已过，不作预测", t.target_year),
        ),
        _ => forecast(&hist, baseline, t.target_year),
    };
    let round = |v: f64| match t.decimals {
        Some(d) => {
            let scale = 10f64.powi(d.min(10) as i32);
            (v * scale).round() / scale
        }
        None => v,
    };
    let forecast_value = forecast.value().map(round);

    let mut progress = Progress {
        target_level,
        baseline,
        latest,
        met: false,
        above_max: false,
        percent_achieved: Outcome::undefined(Undefined::NoData),
        progress_share: Outcome::undefined(Undefined::NoData),
        elapsed_share: Outcome::undefined(Undefined::NoData),
        path_kind,
        trajectory,
        expected: None,
        gap_to_trajectory: None,
        on_trajectory: None,
        forecast,
        forecast_value,
        shortfall_percent: None,
        status: Status::Warning,
        explanation_zh: String::new(),
    };
    let f = |v: f64| num(v, t.decimals);
    let unit = t.unit.as_str();

    let Some(now) = latest else {
        progress.status = Status::NoData;
        progress.explanation_zh = if passed {
            format!("目标年{}年已过，暂无实际数据，状态：无数据", t.target_year)
        } else {
            "暂无实际数据，状态：无数据".to_owned()
        };
        return Ok(progress);
    };
    let a = now.value;
    progress.met = meets(a);
    progress.above_max = match (t.comparator, t.value_max) {
        (_, Some(m)) => a > m,
        (Comparator::About { .. }, None) => a > target_level * (1.0 + tolerance),
        _ => false,
    };
    progress.percent_achieved = match t.comparator {
        Comparator::AtLeast | Comparator::About { .. } => percent(a, target_level),
        Comparator::IncreaseBy | Comparator::Multiply => match baseline_value {
            Some(b) => percent(a - b, target_level - b),
            None => Outcome::undefined(Undefined::NoBaseline),
        },
        Comparator::AtMost => {
            if a <= 0.0 {
                Outcome::undefined(Undefined::NonPositiveActual)
            } else {
                percent(target_level, a)
            }
        }
    };
    progress.progress_share = match baseline_value {
        Some(b) => percent(a - b, target_level - b),
        None => Outcome::undefined(Undefined::NoBaseline),
    };
    progress.elapsed_share = percent(f64::from(now.year - t.baseline_year), span);
    progress.expected = if now.year > t.target_year {
        Some(target_level)
    } else {
        progress
            .trajectory
            .iter()
            .find(|p| p.year == now.year)
            .map(expected_of)
    };
    if let Some(e) = progress.expected {
        progress.gap_to_trajectory = Some(a - e);
        progress.on_trajectory = Some(match t.comparator {
            Comparator::AtMost => le(a, e),
            Comparator::About { .. } => ge(a, e * (1.0 - tolerance)),
            _ => ge(a, e),
        });
    }
    let relative = |m: f64| -> Option<f64> {
        if miss_base == 0.0 {
            None
        } else {
            Some(m / miss_base * 100.0)
        }
    };
    let head = format!("{}年实际{}{unit}", now.year, f(a));
    let target_text = format!("目标{}{unit}", f(target_level));
    let short_text = |s: Option<f64>| match s {
        Some(s) => format!("（差{}%）", pct(s)),
        None => String::new(),
    };
    let worse = if t.comparator.lower_is_better() {
        "高于"
    } else {
        "低于"
    };

    // 1. 达标
    if progress.met {
        progress.status = Status::Achieved;
        let done = match progress.percent_achieved.value() {
            Some(p) => format!("（完成{}%）", pct(p)),
            None => String::new(),
        };
        progress.explanation_zh = format!(
            "{head}，已达到{target_text}{done}，状态：{}",
            Status::Achieved.label_zh()
        );
        return Ok(progress);
    }
    // 2. The target year's value misses the target.
    if now.year >= t.target_year {
        let s = relative(miss(a));
        progress.shortfall_percent = s;
        progress.status = Status::Missed;
        progress.explanation_zh = format!(
            "{head}，{worse}{target_text}{}，状态：{}",
            short_text(s),
            Status::Missed.label_zh()
        );
        return Ok(progress);
    }
    // 3. The target year has passed and its value is not in.
    if passed {
        progress.status = Status::NoData;
        progress.explanation_zh = format!(
            "目标年{ty}年已过，尚无{ty}年实际数据（最近为{head}），无法判定是否达标，状态：{}",
            Status::NoData.label_zh(),
            ty = t.target_year,
        );
        return Ok(progress);
    }
    // 4. On the required trajectory.
    if progress.on_trajectory == Some(true)
        && let Some(e) = progress.expected
    {
        progress.status = Status::OnTrack;
        progress.explanation_zh = format!(
            "{head}，达到{}年进度要求{}{unit}，状态：{}",
            now.year,
            f(e),
            Status::OnTrack.label_zh()
        );
        return Ok(progress);
    }
    // 5. Forecast.
    if let (Some(fv), Some(method)) = (progress.forecast_value, progress.forecast.chosen) {
        let lead = format!(
            "{head}，按{}预计{}年达到{}{unit}",
            method.label_zh(),
            t.target_year,
            f(fv)
        );
        if meets(fv) {
            progress.status = Status::OnTrack;
            progress.explanation_zh = format!(
                "{lead}，可达到{target_text}，状态：{}",
                Status::OnTrack.label_zh()
            );
        } else {
            let s = relative(miss(fv));
            progress.shortfall_percent = s;
            progress.status = match s {
                Some(s) if s <= LAG_THRESHOLD * 100.0 + EPSILON => Status::Lagging,
                _ => Status::Warning,
            };
            progress.explanation_zh = format!(
                "{lead}，{worse}{target_text}{}，状态：{}",
                short_text(s),
                progress.status.label_zh()
            );
        }
        return Ok(progress);
    }
    // 6. No forecast: judge the actual against the trajectory alone.
    let Some(e) = progress.expected else {
        progress.status = Status::Warning;
        progress.explanation_zh = format!(
            "{head}，数据不足，无法判断进度和预测，状态：{}",
            Status::Warning.label_zh()
        );
        return Ok(progress);
    };
    let behind = match t.comparator {
        Comparator::AtMost => a - e,
        _ => e - a,
    };
    let s = if e == 0.0 {
        None
    } else {
        Some(behind / e.abs() * 100.0)
    };
    progress.shortfall_percent = s;
    progress.status = match s {
        Some(s) if s <= LAG_THRESHOLD * 100.0 + EPSILON => Status::Lagging,
        _ => Status::Warning,
    };
    progress.explanation_zh = format!(
        "{head}，数据不足无法预测，{worse}{}年进度要求{}{unit}{}，状态：{}",
        now.year,
        f(e),
        short_text(s),
        progress.status.label_zh()
    );
    Ok(progress)
}

/// Forecast `year` from the history (plus the baseline point when the history lacks that year)
/// by OLS and by CAGR, and choose one (crate docs, "Forecast").
pub fn forecast(history: &[Point], baseline: Option<Point>, year: i32) -> Forecast {
    let mut pts: Vec<Point> = history
        .iter()
        .copied()
        .filter(|p| p.value.is_finite())
        .collect();
    if let Some(b) = baseline
        && b.value.is_finite()
        && !pts.iter().any(|p| p.year == b.year)
    {
        pts.push(b);
    }
    pts.sort_by_key(|p| p.year);
    pts.dedup_by_key(|p| p.year);

    let linear = linear_fit(&pts, year);
    let compound = compound_fit(&pts, year);
    let (chosen, reason_zh) = match (linear, compound) {
        (None, None) => (None, "少于两个年度数据，无法预测".to_owned()),
        (Some(_), None) => (
            Some(ForecastMethod::Linear),
            "正值数据不足两个，无法计算复合增长率，采用线性趋势".to_owned(),
        ),
        (None, Some(_)) => (
            Some(ForecastMethod::Compound),
            "仅能计算复合增长率".to_owned(),
        ),
        (Some(l), Some(c)) => {
            if pts.len() < MIN_POINTS_FOR_SELECTION {
                (
                    Some(ForecastMethod::Linear),
                    format!(
                        "仅{}个年度数据，两种方法均完全拟合，采用较稳健的线性趋势",
                        pts.len()
                    ),
                )
            } else if c.rmse < l.rmse - EPSILON * l.rmse.max(1.0) {
                (
                    Some(ForecastMethod::Compound),
                    format!(
                        "复合增长拟合误差（{}）小于线性拟合误差（{}），采用复合增长趋势",
                        num(c.rmse, Some(2)),
                        num(l.rmse, Some(2))
                    ),
                )
            } else {
                (
                    Some(ForecastMethod::Linear),
                    format!(
                        "线性拟合误差（{}）不大于复合增长拟合误差（{}），采用线性趋势",
                        num(l.rmse, Some(2)),
                        num(c.rmse, Some(2))
                    ),
                )
            }
        }
    };
    Forecast {
        year,
        linear,
        compound,
        chosen,
        reason_zh,
    }
}

/// OLS over the points (distinct years); `None` with fewer than two points.
pub fn linear_fit(pts: &[Point], year: i32) -> Option<LinearFit> {
    if pts.len() < 2 {
        return None;
    }
    let n = pts.len() as f64;
    let mx = pts.iter().map(|p| f64::from(p.year)).sum::<f64>() / n;
    let my = pts.iter().map(|p| p.value).sum::<f64>() / n;
    let sxx: f64 = pts.iter().map(|p| (f64::from(p.year) - mx).powi(2)).sum();
    let sxy: f64 = pts
        .iter()
        .map(|p| (f64::from(p.year) - mx) * (p.value - my))
        .sum();
    if sxx == 0.0 {
        return None;
    }
    let slope = sxy / sxx;
    let at = |y: i32| my + slope * (f64::from(y) - mx);
    let intercept = my - slope * mx;
    let rmse = (pts
        .iter()
        .map(|p| (p.value - at(p.year)).powi(2))
        .sum::<f64>()
        / n)
        .sqrt();
    let forecast = at(year);
    [slope, intercept, rmse, forecast]
        .iter()
        .all(|v| v.is_finite())
        .then_some(LinearFit {
            slope,
            intercept,
            points: pts.len(),
            rmse,
            forecast,
        })
}

/// CAGR from the first to the last positive value (zero and negative values have no growth rate
/// and are skipped as end points, but count in the RMSE); `None` without two positive values in
/// different years.
pub fn compound_fit(pts: &[Point], year: i32) -> Option<CompoundFit> {
    let first = pts.iter().find(|p| p.value > 0.0)?;
    let last = pts.iter().rev().find(|p| p.value > 0.0)?;
    if last.year <= first.year {
        return None;
    }
    let rate = (last.value / first.value).powf(1.0 / f64::from(last.year - first.year)) - 1.0;
    let at = |y: i32| first.value * (1.0 + rate).powf(f64::from(y - first.year));
    let rmse = (pts
        .iter()
        .map(|p| (p.value - at(p.year)).powi(2))
        .sum::<f64>()
        / pts.len() as f64)
        .sqrt();
    let forecast = last.value * (1.0 + rate).powf(f64::from(year - last.year));
    [rate, rmse, forecast]
        .iter()
        .all(|v| v.is_finite())
        .then_some(CompoundFit {
            rate,
            from: *first,
            to: *last,
            rmse,
            forecast,
        })
}

/// Column headers of [`Progress::report_row`], for a progress table, an xlsx sheet or a
/// printable report (the caller prepends region and indicator columns).
pub const REPORT_HEADER: [&str; 13] = [
    "基期年",
    "基期值",
    "目标年",
    "目标值",
    "最新年度",
    "实际值",
    "完成率(%)",
    "进度要求",
    "与进度差",
    "预测方法",
    "预测值",
    "状态",
    "说明",
];

impl Progress {
    /// The cells of one report row, matching [`REPORT_HEADER`]; “—” for absent values.
    pub fn report_row(&self, target: &Target) -> Vec<String> {
        let dash = || "—".to_owned();
        let f = |v: Option<f64>| v.map_or_else(dash, |v| num(v, target.decimals));
        vec![
            target.baseline_year.to_string(),
            f(self.baseline.map(|p| p.value)),
            target.target_year.to_string(),
            f(Some(self.target_level)),
            self.latest.map_or_else(dash, |p| p.year.to_string()),
            f(self.latest.map(|p| p.value)),
            self.percent_achieved.value().map_or_else(dash, pct),
            f(self.expected),
            f(self.gap_to_trajectory),
            self.forecast
                .chosen
                .map_or_else(dash, |m| m.label_zh().to_owned()),
            f(self.forecast_value),
            self.status.label_zh().to_owned(),
            self.explanation_zh.clone(),
        ]
    }
}
