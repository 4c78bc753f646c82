//! Plan monitoring: the glue between the store (registry measures, entered values, plans and
//! their reviewed targets) and the pure engines (`kechuang_plans` extraction,
//! `kechuang_monitor` indicators, aggregation, progress and ranking).

use crate::error::{ApiError, ApiResult};
use kechuang_domain::{DataScope, RegionCode, RegionTree};
use kechuang_monitor::aggregate::{Rollup, aggregate};
use kechuang_monitor::indicators::{DataValues, Indicator, indicator};
use kechuang_monitor::progress::{Comparator, Point, Progress, Target, evaluate};
use kechuang_store::Store;
use kechuang_store::monitoring::{Plan, PlanTarget, PlanTask};
use serde::Serialize;
use std::collections::BTreeMap;

/// Plan-extraction keys that name a library indicator under another key.
fn library_key(key: &str) -> &str {
    match key {
        "municipal_plus_rd_institution_count" => "platform_count_city_and_above",
        "provincial_rd_institution_count" => "platform_count_provincial_and_above",
        "national_rd_institution_count" => "platform_count_national",
        "invention_patents_per_10k" => "invention_patents_per_10k_population",
        k => k,
    }
}

/// Extracted targets and drafted tasks of a plan text, in the store's shapes.
pub fn extract(text: &str) -> (Vec<PlanTarget>, Vec<PlanTask>) {
    let targets = kechuang_plans::extract(text)
        .into_iter()
        .map(|e| PlanTarget {
            id: 0,
            plan_id: 0,
            indicator: e.indicator.chars().take(100).collect(),
            key: library_key(&e.key).chars().take(120).collect(),
            value: e.value,
            value_max: e.value_max,
            unit: e.unit.chars().take(10).collect(),
            comparator: e.comparator,
            year: e.year.filter(|y| (1990..=2100).contains(y)),
            kind: match e.kind {
                kechuang_plans::Kind::Target => "target",
                kechuang_plans::Kind::Baseline => "baseline",
            }
            .to_owned(),
            sentence: e.sentence,
            start: e.start as i64,
            end: e.end as i64,
            status: "proposed".into(),
            merged_into: None,
            note: None,
            region_path: String::new(),
        })
        .filter(|t| t.value.is_finite())
        .collect();
    let tasks = kechuang_plans::draft_ledger(text)
        .into_iter()
        .map(|t| PlanTask {
            id: 0,
            plan_id: 0,
            number: t.number,
            title: t.title.chars().take(300).collect(),
            level: i64::from(t.level),
            responsible_units: t
                .responsible_units
                .into_iter()
                .take(20)
                .map(|u| u.chars().take(50).collect())
                .collect(),
            deadline: t.deadline_year.map(|y| format!("{y}-12-31")),
            status: "todo".into(),
            progress: 0,
            updated_at: 0,
            region_path: String::new(),
        })
        .collect();
    (targets, tasks)
}

/// Base and target year of a plan from its title and text: "十四五" → 2020–2025, an annual
/// "2020年…工作要点" → 2019–2020, else the years the targets name.
pub fn plan_years(title: &str, text: &str, targets: &[PlanTarget]) -> (i32, i32) {
    let head: String = text.chars().take(200).collect();
    let probe = format!("{title}{head}");
    for (name, base) in [("十四五", 2020), ("十五五", 2025), ("十三五", 2015)] {
        if probe.contains(name) {
            return (base, base + 5);
        }
    }
    let year_in_title = probe
        .char_indices()
        .filter_map(|(i, _)| probe.get(i..i + 4).and_then(|s| s.parse::<i32>().ok()))
        .find(|y| (1990..=2100).contains(y));
    if let Some(y) = year_in_title {
        return (y - 1, y);
    }
    let max = targets
        .iter()
        .filter(|t| t.kind == "target")
        .filter_map(|t| t.year)
        .max();
    match max {
        Some(y) => (y - 5, y),
        None => {
            let y = chrono::Datelike::year(&crate::api::today());
            (y - 1, y)
        }
    }
}

fn parent_chain(code: &str, parents: &mut BTreeMap<String, String>) {
    let tree = RegionTree::shipped();
    let mut cur = RegionCode::parse(code).ok();
    while let Some(c) = cur {
        let p = tree.get(c).and_then(|r| r.parent);
        if let Some(p) = p
            && parents.insert(c.to_string(), p.to_string()).is_some()
        {
            break;
        }
        cur = p;
    }
}

/// Years in which some data element has data at all, per element: a year without registry
/// figures or entered values for any of an indicator's elements is not a year of zeros.
pub struct DataYears(BTreeMap<String, std::collections::BTreeSet<i32>>);

impl DataYears {
    /// Whether the indicator has any input data in `year`.
    pub fn has(&self, ind: &Indicator, year: i32) -> bool {
        ind.formula
            .elements()
            .iter()
            .any(|e| self.0.get(*e).is_some_and(|ys| ys.contains(&year)))
    }
}

/// Every data element per region and year in the scope, summed up the region tree, with the
/// years each element has data for.
pub async fn rollup(
    store: &Store,
    scope: &DataScope,
    years: std::ops::RangeInclusive<i32>,
    extra_regions: &[&str],
) -> ApiResult<(Rollup, DataYears)> {
    let measures = store.registry_measures(scope, years.clone()).await?;
    let entries = store.list_entries(scope, None).await?;
    let mut own: BTreeMap<(String, i32), DataValues> = BTreeMap::new();
    for m in measures {
        let v = own.entry((m.region, m.year)).or_default();
        let sum = v.get(m.element).unwrap_or_default() + m.value;
        v.set(m.element, sum);
    }
    for e in entries.into_iter().filter(|e| years.contains(&e.year)) {
        own.entry((e.region, e.year))
            .or_default()
            .set(&e.element, e.value);
    }
    let mut data_years: BTreeMap<String, std::collections::BTreeSet<i32>> = BTreeMap::new();
    for ((_, y), v) in &own {
        for k in v.0.keys() {
            data_years.entry(k.clone()).or_default().insert(*y);
        }
    }
    let data_years = DataYears(data_years);
    let mut parents = BTreeMap::new();
    let regions: Vec<String> = own
        .keys()
        .map(|(r, _)| r.clone())
        .chain(extra_regions.iter().map(|r| (*r).to_owned()))
        .collect();
    for r in &regions {
        parent_chain(r, &mut parents);
    }
    // Every subdivision of every region on those chains belongs to the tree, so an entered
    // figure (GDP …) is summed for a parent only when all its subdivisions reported one.
    let tree = RegionTree::shipped();
    let ancestors: std::collections::BTreeSet<String> = parents.values().cloned().collect();
    for p in ancestors {
        if let Ok(code) = RegionCode::parse(&p) {
            for c in tree.children(Some(code)) {
                parents
                    .entry(c.code.to_string())
                    .or_insert_with(|| p.clone());
            }
        }
    }
    let roll = aggregate(&own, &parents).map_err(|e| {
        tracing::error!(error = %e, "aggregation failed");
        ApiError::internal()
    })?;
    Ok((roll, data_years))
}

/// Factor from a target's unit to the indicator's unit (亿元 → 万元 is 10 000).
fn unit_factor(from: &str, to: &str) -> Option<f64> {
    let scale = |u: &str| match u {
        "元" => Some(("money", 1e-4)),
        "万元" => Some(("money", 1.0)),
        "亿元" => Some(("money", 1e4)),
        "人" => Some(("people", 1.0)),
        "万人" => Some(("people", 1e4)),
        _ => None,
    };
    if from == to || from.is_empty() {
        return Some(1.0);
    }
    match (scale(from), scale(to)) {
        (Some((a, x)), Some((b, y))) if a == b => Some(x / y),
        _ => match (from, to) {
            ("家" | "个" | "项" | "件" | "所" | "名", "家" | "个" | "项" | "件" | "所" | "名") => {
                Some(1.0)
            }
            _ => None,
        },
    }
}

fn comparator(code: &str) -> Comparator {
    match code {
        "approximately" => Comparator::About {
            tolerance: kechuang_monitor::progress::DEFAULT_ABOUT_TOLERANCE,
        },
        "new" | "increase" => Comparator::IncreaseBy,
        "multiply_by" => Comparator::Multiply,
        "at_most" => Comparator::AtMost,
        _ => Comparator::AtLeast,
    }
}

/// Progress of one confirmed target.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct TargetProgress {
    pub target: PlanTarget,
    /// The indicator library's name and unit, when the key is in the library.
    pub indicator_name: Option<String>,
    pub indicator_unit: Option<String>,
    /// Actuals by year, in the indicator's unit.
    #[schema(value_type = Vec<Object>)]
    pub series: Vec<Point>,
    /// None with `problem` when it cannot be computed.
    #[schema(value_type = Object)]
    pub progress: Option<Progress>,
    pub problem: Option<String>,
    /// The target as the monitor evaluated it (for the report rows).
    #[serde(skip)]
    pub evaluated: Option<Target>,
}

/// The monitoring target for a confirmed plan target, in the indicator's unit.
fn to_target(
    plan: &Plan,
    t: &PlanTarget,
    baseline: Option<&PlanTarget>,
    ind: &Indicator,
) -> Result<Target, String> {
    let f = unit_factor(&t.unit, ind.unit).ok_or_else(|| {
        format!(
            "目标单位“{}”与指标单位“{}”不一致，请在审核时修正",
            t.unit, ind.unit
        )
    })?;
    // 新增/倍增 values are amounts or factors; levels are converted like the indicator.
    let conv = |v: f64| {
        if t.comparator == "multiply_by" {
            v
        } else {
            v * f
        }
    };
    let (baseline_year, baseline_value) = match baseline {
        Some(b) => {
            let bf = unit_factor(&b.unit, ind.unit).unwrap_or(1.0);
            (b.year.unwrap_or(plan.base_year), Some(b.value * bf))
        }
        None => (plan.base_year, None),
    };
    Ok(Target {
        comparator: comparator(&t.comparator),
        value: conv(t.value),
        value_max: t.value_max.map(conv),
        baseline_year,
        baseline_value,
        target_year: t.year.unwrap_or(plan.target_year),
        unit: ind.unit.to_owned(),
        decimals: Some(ind.decimals),
    })
}

/// Progress of every confirmed target of a plan, for the plan's region.
pub async fn plan_progress(
    store: &Store,
    scope: &DataScope,
    plan: &Plan,
    targets: &[PlanTarget],
) -> ApiResult<Vec<TargetProgress>> {
    let now = chrono::Datelike::year(&crate::api::today());
    let first = plan.base_year.min(now) - 1;
    let (roll, data_years) =
        rollup(store, scope, first..=now, &[plan.region_code.as_str()]).await?;
    let confirmed: Vec<&PlanTarget> = targets.iter().filter(|t| t.status == "confirmed").collect();
    let mut out = Vec::new();
    for t in confirmed.iter().filter(|t| t.kind == "target") {
        let Some(ind) = indicator(&t.key) else {
            out.push(TargetProgress {
                target: (*t).clone(),
                indicator_name: None,
                indicator_unit: None,
                series: Vec::new(),
                progress: None,
                evaluated: None,
                problem: Some(format!(
                    "指标“{}”不在指标库中，无法自动计算；请在审核时选择对应的库内指标",
                    t.indicator
                )),
            });
            continue;
        };
        let series: Vec<Point> = roll
            .series(ind, &plan.region_code)
            .into_iter()
            .filter(|p| p.year <= now && data_years.has(ind, p.year))
            .collect();
        let baseline = confirmed
            .iter()
            .find(|b| b.kind == "baseline" && b.key == t.key)
            .copied();
        let (progress, problem, evaluated) = match to_target(plan, t, baseline, ind) {
            Ok(target) => match evaluate(&target, &series) {
                Ok(p) => (Some(p), None, Some(target)),
                Err(e) => (None, Some(e.to_string()), None),
            },
            Err(e) => (None, Some(e), None),
        };
        out.push(TargetProgress {
            target: (*t).clone(),
            indicator_name: Some(ind.name_zh.to_owned()),
            indicator_unit: Some(ind.unit.to_owned()),
            series,
            progress,
            problem,
            evaluated,
        });
    }
    Ok(out)
}

/// One indicator's yearly values for one region.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct IndicatorSeries {
    pub key: String,
    pub name: String,
    pub unit: String,
    #[schema(value_type = Vec<Object>)]
    pub points: Vec<Point>,
    /// Why some years have no value (missing entered data, zero denominator).
    pub missing: Vec<String>,
}

/// Every library indicator for a region over the years (the dashboard).
pub async fn dashboard(
    store: &Store,
    scope: &DataScope,
    region: &str,
    years: std::ops::RangeInclusive<i32>,
) -> ApiResult<Vec<IndicatorSeries>> {
    let (roll, data_years) = rollup(store, scope, years.clone(), &[region]).await?;
    Ok(kechuang_monitor::indicators::INDICATORS
        .iter()
        .map(|ind| {
            let mut points = Vec::new();
            let mut missing = Vec::new();
            for y in years.clone().filter(|y| data_years.has(ind, *y)) {
                match roll.indicator(ind, region, y) {
                    Ok(v) => {
                        if let Some(f) = rust_decimal::prelude::ToPrimitive::to_f64(&v) {
                            points.push(Point::new(y, f));
                        }
                    }
                    Err(e) => missing.push(format!("{y}年：{e}")),
                }
            }
            IndicatorSeries {
                key: ind.key.to_owned(),
                name: ind.name_zh.to_owned(),
                unit: ind.unit.to_owned(),
                points,
                missing,
            }
        })
        .collect())
}

/// Rank the children of `parent` on the chosen indicators for a year.
pub async fn ranking(
    store: &Store,
    scope: &DataScope,
    parent: RegionCode,
    year: i32,
    keys: &[String],
    composite: bool,
) -> ApiResult<kechuang_monitor::ranking::RankingTable> {
    let mut inds = Vec::new();
    for k in keys {
        let ind = indicator(k).ok_or_else(|| {
            kechuang_domain::Invalid::one("keys", "keys.unknown", format!("指标“{k}”不在指标库中"))
        })?;
        inds.push(ind);
    }
    if inds.is_empty() {
        return Err(
            kechuang_domain::Invalid::one("keys", "keys.required", "请选择排名指标").into(),
        );
    }
    let children = RegionTree::shipped().children(Some(parent));
    let codes: Vec<String> = children.iter().map(|r| r.code.to_string()).collect();
    let code_refs: Vec<&str> = codes.iter().map(String::as_str).collect();
    let (roll, _) = rollup(store, scope, year..=year, &code_refs).await?;
    let rows: Vec<kechuang_monitor::ranking::RegionValues> = children
        .iter()
        .map(|r| kechuang_monitor::ranking::RegionValues {
            region: r.code.to_string(),
            name: r.name.clone(),
            values: inds
                .iter()
                .map(|ind| {
                    roll.indicator(ind, &r.code.to_string(), year)
                        .ok()
                        .and_then(|v| rust_decimal::prelude::ToPrimitive::to_f64(&v))
                })
                .collect(),
            targets: Vec::new(),
        })
        .collect();
    let cols: Vec<_> = inds
        .iter()
        .map(|i| kechuang_monitor::ranking::RankIndicator::from_indicator(i, 1.0))
        .collect();
    kechuang_monitor::ranking::rank(
        &cols,
        &rows,
        composite.then_some(kechuang_monitor::ranking::Normalization::MinMax),
    )
    .map_err(|e| kechuang_domain::Invalid::one("keys", "ranking.invalid", e.to_string()).into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units_convert_within_a_dimension_only() {
        assert_eq!(unit_factor("亿元", "万元"), Some(10_000.0));
        assert_eq!(unit_factor("家", "个"), Some(1.0));
        assert_eq!(unit_factor("%", "%"), Some(1.0));
        assert_eq!(unit_factor("亿元", "家"), None);
    }

    #[test]
    fn plan_years_from_title_and_text() {
        assert_eq!(
            plan_years("济源市“十四五”科技创新规划", "", &[]),
            (2020, 2025)
        );
        assert_eq!(
            plan_years("泰安市2020年科技工作要点", "", &[]),
            (2019, 2020)
        );
    }
}
