//! Plan monitoring (issue items 3 and 4): the indicator library, aggregation up the region tree,
//! progress / forecast / status of targets, and county rankings. Pure: no I/O, no async; the
//! storage layer supplies numbers, the HTTP/UI layers render the results (the structs serialize
//! to JSON; [`ranking::RankingTable::to_rows`] gives text rows for xlsx and printable reports).
//! Design background: `shared/design/monitoring.md` (DHIS2's data model, Part B indicators).
//!
//! # Indicators ([`indicators`])
//!
//! DHIS2's split: **data elements** are the numbers (one per region and year), **indicators**
//! are formulas over them and are never stored.
//!
//! - [`indicators::DATA_ELEMENTS`]: each element is either a **registry measure**
//!   ([`indicators::Origin::Registry`], computed by storage from Kechuang's registries, e.g. the
//!   number of enterprises whose 高企资格 is valid, platforms by level, 规上工业企业 with R&D
//!   activity, enterprise R&D expense) or **entered** ([`indicators::Origin::Entered`]: GDP,
//!   R&D经费, 技术合同成交额, 科技特派员, patents, population … with source and date kept by
//!   storage). Keys are in [`indicators::keys`]. Amounts are 万元, populations 万人.
//! - [`indicators::INDICATORS`]: key (monitoring.md Part B), official name, unit, definition,
//!   source document, [`indicators::Formula`] (`Count` | `Entered` | `Sum` | `Ratio{numerator,
//!   denominator, factor}`), [`indicators::AggregationKind`], time aggregation (stock/flow),
//!   direction, display decimals.
//! - [`indicators::compute`] evaluates one indicator for one region-year, exactly (decimal).
//!   Missing entered inputs and a zero denominator are typed errors
//!   ([`indicators::ComputeError`]), never NaN. An absent registry measure is 0 (a count over no
//!   rows).
//!
//! # Aggregation up the region tree ([`aggregate`](mod@aggregate))
//!
//! **Data elements are summed; indicators are recomputed at every level.** A city's R&D
//! intensity is `100 × ΣR&D / ΣGDP`, *never the mean of the counties' percentages*: counties at
//! 2 % (GDP 300亿) and 4 % (GDP 100亿) make a city at 2.5 %, not 3 %. This is DHIS2's lesson
//! ("indicators are calculated at any level … based on the aggregated data values available at
//! each level"); averaging percentages weights a small county like a large one.
//! [`aggregate::aggregate`] takes each region's *own* values per year and a child → parent map:
//! registry measures add the region's own records to its children's sums; an entered value for
//! the parent itself is its official figure and wins over the children's sum; otherwise entered
//! values are summed only when **every** child has one (a partial sum is reported in
//! [`aggregate::Rollup::incomplete`], not used). Cycles in the parent map are an error.
//! Targets are never aggregated. [`aggregate::Rollup::series`] turns a region's values into the
//! yearly points that [`progress::evaluate`] takes.
//!
//! # Progress ([`progress`])
//!
//! [`progress::evaluate`] takes a [`progress::Target`] and the yearly actuals and reports, for the
//! latest year with data **up to the target year** (a target for 2025 is judged on 2025's value;
//! 2026's does not count):
//!
//! **Target level `L`** and **percent achieved** (actual `a`, baseline `b`, sentence number `v`):
//!
//! | comparator | plan wording | `L` | met when | percent achieved |
//! |---|---|---|---|---|
//! | `AtLeast` | 达到/不低于/超过/以上/突破 | `v` | `a ≥ L` | `a / L × 100` |
//! | `About{tolerance}` | 左右 | `v` | `a ≥ L × (1 − tol)`, tol default 5 % ([`progress::DEFAULT_ABOUT_TOLERANCE`]); above `L × (1 + tol)` flagged `above_max` | `a / L × 100` |
//! | `IncreaseBy` | 新增 N | `b + N` | `a ≥ L` | `(a − b) / N × 100` |
//! | `Multiply` | 倍增 (v = 2) / 翻番 | `v × b` | `a ≥ L` | `(a − b) / (L − b) × 100` (progress on the required increase, as for 新增) |
//! | `AtMost` | 控制在/不超过 (lower is better) | `v` | `a ≤ L` | `L / a × 100` (≥ 100 = within the cap; undefined for `a ≤ 0`) |
//!
//! A zero denominator gives [`progress::Outcome::Undefined`] with a reason. `value_max` (a range)
//! only sets `above_max`. Also reported: `progress_share = (a − b)/(L − b)` against
//! `elapsed_share = (year − base year)/(target year − base year)` (monitoring.md C3).
//!
//! **Required trajectory:** for every year from the baseline year to the target year, the
//! straight line `b + (L − b)·s` and the constant-growth path `b·(L/b)^s`, `s = (year − base
//! year)/(target year − base year)` (the latter only when `b, L > 0`). The status is judged
//! against the constant-growth path for 倍增 (a growth goal) and the straight line otherwise;
//! `gap_to_trajectory = a − expected`. After the target year the expected value is `L`.
//!
//! **Forecast to the target year**, only while the target year has neither its value nor passed
//! (`as_of_year`, the year of the evaluation, after it): both methods computed over the history
//! (the baseline point is added when the history lacks the baseline year; the caller chooses the
//! window), the chosen value rounded to the target's `decimals` (a count is forecast as a whole
//! number, [`progress::Progress::forecast_value`]) before it is judged:
//! - linear: ordinary least squares `value = intercept + slope × year`;
//! - compound: CAGR from the first to the last *positive* value (zero and negative values cannot
//!   carry a growth rate and are skipped as end points), extrapolated from the last one.
//!
//! The **method used for the status** is the one with the smaller in-sample RMSE when there are
//! at least [`progress::MIN_POINTS_FOR_SELECTION`] (3) points; with 2 points both fit exactly,
//! so the linear one is used (the more conservative extrapolation of growth); ties go to linear;
//! when no two positive values exist only the linear one exists. [`progress::Forecast::reason_zh`]
//! states the choice.
//!
//! **Status**, decided in this order:
//! 1. no actual value → **无数据** (“暂无实际数据”);
//! 2. the latest actual meets the target → **达标**;
//! 3. the latest year is the target year and the target is not met → **未达标**;
//! 4. the target year has passed without its value → **无数据** (no forecast for a past year);
//! 5. the latest actual is on or ahead of the required trajectory → **正常**;
//! 6. the chosen forecast meets the target → **正常**; it misses by at most
//!    [`progress::LAG_THRESHOLD`] (10 %) → **滞后**; by more → **预警**. The miss is relative to
//!    `L` for 达到/左右/不超过 and to the required increase `L − b` for 新增/倍增 (a 10 % miss of a
//!    level can be half of the increase); when that base is 0 any miss is 预警;
//! 7. no forecast (one point, no baseline pairing): behind the trajectory by at most 10 % of the
//!    expected value → **滞后**, otherwise (or no trajectory) → **预警**.
//!
//! Comparisons allow a relative slack of [`progress::EPSILON`] (1e-9) for float noise. Each result
//! carries a Chinese sentence, e.g. “2024年实际118家，按线性趋势预计2025年达到139家，低于目标150家
//! （差7.3%），状态：滞后”. [`progress::Progress::report_row`] gives the cells of a progress
//! table under [`progress::REPORT_HEADER`] (xlsx sheet or printable report).
//!
//! # Ranking ([`ranking`])
//!
//! [`ranking::rank`] ranks regions on each chosen indicator in its direction with **competition
//! ranking** (ties share a rank, the next rank skips: 1, 2, 2, 4); missing values get no rank and
//! are listed last. The optional **composite score** is the weighted mean `Σ wᵢ·sᵢ / Σ wᵢ` of
//! 0–100 scores, by either
//! - min–max normalization over the ranked regions (`(v − min)/(max − min) × 100`, reversed when
//!   lower is better; 100 for all when all are equal), or
//! - percent of target (completion rate, capped at [`ranking::PERCENT_OF_TARGET_CAP`] = 100 so
//!   over-achievement on one indicator does not offset another).
//!
//! A missing score counts 0 and flags the row `incomplete`; a region without any value has no
//! composite and no rank (无数据, listed last). Composite scores are rounded to 6
//! decimals before ranking. Rank counties on intensities and completion rates rather than raw
//! counts where sizes differ (monitoring.md C6).

pub mod aggregate;
mod fmt;
pub mod indicators;
pub mod progress;
pub mod ranking;

pub use aggregate::{AggregateError, Basis, Incomplete, Rollup, aggregate};
pub use fmt::num as format_number;
pub use indicators::{
    AggregationKind, ComputeError, DATA_ELEMENTS, DataElement, DataValues, Formula, INDICATORS,
    Indicator, Origin, Temporal, compute, data_element, indicator,
};
pub use progress::{
    Comparator, Forecast, ForecastMethod, Outcome, PathKind, Point, Progress, ProgressError,
    Status, Target, evaluate,
};
pub use ranking::{Normalization, RankIndicator, RankingError, RankingTable, RegionValues, rank};
