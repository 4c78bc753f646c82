//! Plan monitoring: the glue between the store (registry measures, entered values, plans and
//! their reviewed targets) and the pure engines (`kechuang_plans` extraction,
//! `kechuang_monitor` indicators, aggregation, progress and ranking).

use crate::error::{ApiError, ApiResult};
use kechuang_domain::{DataScope, RegionCode, RegionTree};
use kechuang_monitor::aggregate::{Rollup, aggregate};
use kechuang_monitor::indicators::{DataValues, Indicator, indicator};
use kechuang_monitor::progress::{Comparator, Point, Progress, ProgressError, Target, evaluate};
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
            rule: e.rule,
            doubt: e.doubt,
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
    /// None with `problem` when it cannot be computed.
    #[schema(value_type = Object)]
    pub progress: Option<Progress>,
    /// Why it cannot be computed, in words fit for the leaders' report.
    pub problem: Option<String>,
    /// What the officer can correct in 目标审核; never printed or exported.
    pub review_hint: Option<String>,
    /// The target as the monitor evaluated it (for the report rows).
    #[serde(skip)]
    pub evaluated: Option<Target>,
}

/// One monitored indicator with every confirmed target set on it (two sentences naming the
/// same indicator are one row with two targets).
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct IndicatorProgress {
    /// The library key, or the targets' own key outside the library.
    pub key: String,
    /// The library's name, or the plan's wording.
    pub name: String,
    pub unit: String,
    /// Decimal places of the indicator (0 for counts).
    pub decimals: u32,
    pub in_library: bool,
    /// Actuals by year, in the indicator's unit.
    #[schema(value_type = Vec<Object>)]
    pub series: Vec<Point>,
    pub targets: Vec<TargetProgress>,
}

/// The monitoring target for a confirmed plan target, in the indicator's unit, or the reason
/// it cannot be (for the report) with the officer's fix.
fn to_target(
    plan: &Plan,
    t: &PlanTarget,
    baseline: Option<&PlanTarget>,
    ind: &Indicator,
    as_of_year: i32,
) -> Result<Target, (String, &'static str)> {
    // 倍增 states a factor (倍), not an amount in the indicator's unit.
    let f = if t.comparator == "multiply_by" {
        1.0
    } else {
        unit_factor(&t.unit, ind.unit).ok_or_else(|| {
            (
                format!(
                    "目标单位“{}”与指标单位“{}”不同，暂无法计算",
                    t.unit, ind.unit
                ),
                "请在“目标审核”中修正该目标的单位",
            )
        })?
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
        value: t.value * f,
        value_max: t.value_max.map(|v| v * f),
        baseline_year,
        baseline_value,
        target_year: t.year.unwrap_or(plan.target_year),
        unit: ind.unit.to_owned(),
        decimals: Some(ind.decimals),
        as_of_year: Some(as_of_year),
    })
}

/// Progress of every confirmed target of a plan, for the plan's region, one row per indicator.
pub async fn plan_progress(
    store: &Store,
    scope: &DataScope,
    plan: &Plan,
    targets: &[PlanTarget],
) -> ApiResult<Vec<IndicatorProgress>> {
    let now = chrono::Datelike::year(&crate::api::today());
    let first = plan.base_year.min(now) - 1;
    let (roll, data_years) =
        rollup(store, scope, first..=now, &[plan.region_code.as_str()]).await?;
    let confirmed: Vec<&PlanTarget> = targets.iter().filter(|t| t.status == "confirmed").collect();
    let mut out: Vec<IndicatorProgress> = Vec::new();
    for t in confirmed.iter().filter(|t| t.kind == "target") {
        let ind = indicator(&t.key);
        let key = ind.map_or_else(|| t.key.clone(), |i| i.key.to_owned());
        let at = match out.iter().position(|r| r.key == key) {
            Some(i) => i,
            None => {
                out.push(IndicatorProgress {
                    name: ind.map_or_else(|| t.indicator.clone(), |i| i.name_zh.to_owned()),
                    unit: ind.map_or_else(|| t.unit.clone(), |i| i.unit.to_owned()),
                    decimals: ind.map_or(2, |i| i.decimals),
                    in_library: ind.is_some(),
                    series: ind.map_or_else(Vec::new, |ind| {
                        roll.series(ind, &plan.region_code)
                            .into_iter()
                            .filter(|p| p.year <= now && data_years.has(ind, p.year))
                            .collect()
                    }),
                    key,
                    targets: Vec::new(),
                });
                out.len() - 1
            }
        };
        let row = &mut out[at];
        let Some(ind) = ind else {
            row.targets.push(TargetProgress {
                target: (*t).clone(),
                progress: None,
                evaluated: None,
                problem: Some("该指标不在指标库中，暂无法自动监测".to_owned()),
                review_hint: Some("请在“目标审核”中为该目标选择对应的库内指标".to_owned()),
            });
            continue;
        };
        let baseline = confirmed
            .iter()
            .find(|b| b.kind == "baseline" && b.key == t.key)
            .copied();
        let (progress, problem, review_hint, evaluated) =
            match to_target(plan, t, baseline, ind, now) {
                Ok(target) => match evaluate(&target, &row.series) {
                    Ok(p) => (Some(p), None, None, Some(target)),
                    Err(e) => {
                        let hint = matches!(e, ProgressError::MissingBaseline { .. })
                            .then(|| "请在“目标审核”中补充该指标的基数（基期值）".to_owned());
                        (None, Some(e.to_string()), hint, None)
                    }
                },
                Err((problem, hint)) => (None, Some(problem), Some(hint.to_owned()), None),
            };
        row.targets.push(TargetProgress {
            target: (*t).clone(),
            progress,
            problem,
            review_hint,
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

/// A region by code and name.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct RegionRef {
    pub code: String,
    pub name: String,
}

/// One year of a region's own values (the comparison a region without subdivisions can make).
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct YearRow {
    pub year: i32,
    /// Per indicator; absent = 无数据.
    pub values: Vec<Option<f64>>,
    /// Change from the year before, per indicator.
    pub changes: Vec<Option<f64>>,
}

/// The ranking page: the subdivisions of a region ranked, or, for a region without any, its own
/// years side by side.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Ranking {
    pub parent: RegionRef,
    /// `regions` (subdivisions ranked) | `years` (the region has none: its own years)
    pub mode: String,
    /// Said plainly when there is nothing to rank.
    pub notice: Option<String>,
    #[schema(value_type = Object)]
    pub table: kechuang_monitor::ranking::RankingTable,
    /// Years mode: the region's values, newest year first.
    pub years: Vec<YearRow>,
    /// The region one level up when the caller may rank its subdivisions (the region's peers).
    pub peers: Option<RegionRef>,
}

/// The name a user knows a region by (济源市, not 河南省/省直辖县级行政区划/济源市).
fn region_ref(code: RegionCode) -> RegionRef {
    RegionRef {
        code: code.to_string(),
        name: RegionTree::shipped()
            .get(code)
            .map_or_else(|| code.to_string(), |r| r.name.clone()),
    }
}

/// GB/T 2260 files cities directly under a province (济源) under a “省直辖县级行政区划” entry:
/// not a place of its own.
fn is_grouping(code: RegionCode) -> bool {
    RegionTree::shipped()
        .get(code)
        .is_some_and(|r| r.name.contains("直辖县级"))
}

/// The regions ranked under `parent`: its subdivisions, a grouping entry replaced by the
/// cities it files.
fn ranked_children(parent: RegionCode) -> Vec<&'static kechuang_domain::region::Region> {
    let tree = RegionTree::shipped();
    tree.children(Some(parent))
        .into_iter()
        .flat_map(|r| {
            if is_grouping(r.code) {
                tree.children(Some(r.code))
            } else {
                vec![r]
            }
        })
        .collect()
}

/// The parent a region is compared under (skipping a grouping entry).
fn peer_parent(code: RegionCode) -> Option<RegionCode> {
    let tree = RegionTree::shipped();
    let mut p = tree.get(code)?.parent?;
    while is_grouping(p) {
        p = tree.get(p)?.parent?;
    }
    Some(p)
}

fn value_of(roll: &Rollup, ind: &Indicator, region: &str, year: i32) -> Option<f64> {
    if !roll.has_data(ind, region, year) {
        return None;
    }
    roll.indicator(ind, region, year)
        .ok()
        .and_then(|v| rust_decimal::prelude::ToPrimitive::to_f64(&v))
}

/// Rank the subdivisions of `parent` on the chosen indicators for a year; a region without any
/// gets its own last five years instead, and is told so.
pub async fn ranking(
    store: &Store,
    scope: &DataScope,
    parent: RegionCode,
    year: i32,
    keys: &[String],
    composite: bool,
) -> ApiResult<Ranking> {
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
    let cols: Vec<_> = inds
        .iter()
        .map(|i| kechuang_monitor::ranking::RankIndicator::from_indicator(i, 1.0))
        .collect();
    let me = region_ref(parent);
    let peers = peer_parent(parent)
        .filter(|p| {
            let path = RegionTree::shipped().path(*p).unwrap_or_default();
            scope.admits(kechuang_domain::scope::RecordKeys::region(&path))
        })
        .map(region_ref);
    let children = ranked_children(parent);
    if children.is_empty() {
        let from = year - 4;
        let code = parent.to_string();
        let (roll, _) = rollup(store, scope, from - 1..=year, &[code.as_str()]).await?;
        let at = |y: i32| -> Vec<Option<f64>> {
            inds.iter().map(|i| value_of(&roll, i, &code, y)).collect()
        };
        let years = (from..=year)
            .rev()
            .map(|y| {
                let values = at(y);
                let changes = values
                    .iter()
                    .zip(at(y - 1))
                    .map(|(v, before)| Some((*v)? - before?))
                    .collect();
                YearRow {
                    year: y,
                    values,
                    changes,
                }
            })
            .collect();
        let elsewhere = match &peers {
            Some(p) => format!("可查看{}各地区排名。", p.name),
            None => "与同级地区的横向比较由上级科技部门查看。".to_owned(),
        };
        return Ok(Ranking {
            notice: Some(format!(
                "{}没有下辖县（市、区），无法进行下辖地区排名；以下为{}{from}—{year}年各指标的逐年对比。{elsewhere}",
                me.name, me.name
            )),
            parent: me,
            mode: "years".to_owned(),
            table: kechuang_monitor::ranking::rank(&cols, &[], None).map_err(|e| {
                kechuang_domain::Invalid::one("keys", "ranking.invalid", e.to_string())
            })?,
            years,
            peers,
        });
    }
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
                .map(|ind| value_of(&roll, ind, &r.code.to_string(), year))
                .collect(),
            targets: Vec::new(),
        })
        .collect();
    let table = kechuang_monitor::ranking::rank(
        &cols,
        &rows,
        composite.then_some(kechuang_monitor::ranking::Normalization::MinMax),
    )
    .map_err(|e| kechuang_domain::Invalid::one("keys", "ranking.invalid", e.to_string()))?;
    let notice = table
        .rows
        .iter()
        .all(|r| r.cells.iter().all(|c| c.value.is_none()))
        .then(|| format!("{}下辖地区{year}年均无数据。", me.name));
    Ok(Ranking {
        parent: me,
        mode: "regions".to_owned(),
        notice,
        table,
        years: Vec::new(),
        peers,
    })
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
