//! 规划监测 (plan monitoring): plan documents with their extracted targets (reviewed by an
//! officer before use), entered indicator values with source and date, registry measures per
//! region and year, and the task ledger (工作台账) with progress updates.
//!
//! Scoping: a plan belongs to its region (`region_path`); its targets and tasks inherit it.
//! Entered values are scoped by their own region.

use crate::error::{StoreError, StoreResult};
use crate::orgs::{region_name, region_path};
use crate::record::{Record, RecordKind, Stamps, Values};
use crate::sql::{self, ScopeColumns, get, now_ms};
use crate::{Caller, DataScope, Page, PageRequest, Store};
use kechuang_domain::scope::RecordKeys;
use kechuang_domain::{FieldError, Invalid, RegionCode};
use rust_decimal::Decimal;
use sea_orm::sea_query::{Expr, ExprTrait, Order, Query, SelectStatement};
use sea_orm::{ConnectionTrait, QueryResult};
use serde::{Deserialize, Serialize};

mod entries;
mod ledger;
mod plans;

const PLANS: ScopeColumns = ScopeColumns {
    table: "plans",
    region_path: Some("region_path"),
    org: None,
    owner: None,
};
const ENTRIES: ScopeColumns = ScopeColumns {
    table: "indicator_entries",
    region_path: Some("region_path"),
    org: None,
    owner: None,
};
/// Targets and tasks inherit their plan's region.
const fn plan_part(table: &'static str) -> ScopeColumns {
    ScopeColumns {
        table,
        region_path: Some("region_path"),
        org: None,
        owner: None,
    }
}
pub(crate) const PLAN_KIND: RecordKind = RecordKind::own(PLANS, "plan", Stamps::ALL);
pub(crate) const TARGET_KIND: RecordKind =
    RecordKind::own(plan_part("plan_targets"), "plan_target", Stamps::UPDATED);
pub(crate) const TASK_KIND: RecordKind =
    RecordKind::own(plan_part("plan_tasks"), "plan_task", Stamps::UPDATED);
pub(crate) const ENTRY_KIND: RecordKind =
    RecordKind::own(ENTRIES, "indicator_entry", Stamps::UPDATED);

crate::record::impl_record!(Plan, PLAN_KIND, plan_select, plan_from_row, |s| {
    RecordKeys::region(&s.region_path)
});

crate::record::impl_record!(
    PlanTarget,
    TARGET_KIND,
    || sql::columns_of("plan_targets", &TARGET_COLS),
    target_from_row,
    |s| RecordKeys::region(&s.region_path)
);

crate::record::impl_record!(
    PlanTask,
    TASK_KIND,
    || sql::columns_of("plan_tasks", &TASK_COLS),
    task_from_row,
    |s| RecordKeys::region(&s.region_path)
);

crate::record::impl_record!(
    Entry,
    ENTRY_KIND,
    || sql::columns_of("indicator_entries", &ENTRY_COLS),
    entry_from_row,
    |s| RecordKeys::region(&s.region_path)
);

const ENTRY_COLS: [&str; 9] = [
    "id",
    "element",
    "region_code",
    "region_path",
    "year",
    "value",
    "source",
    "source_date",
    "updated_at",
];

fn entry_from_row(r: &QueryResult) -> StoreResult<Entry> {
    let region: String = get(r, "region_code")?;
    let v: String = get(r, "value")?;
    Ok(Entry {
        id: get(r, "id")?,
        element: get(r, "element")?,
        region_name: region_name(&region),
        region,
        year: i32_of(r, "year")?,
        value: v.parse().map_err(StoreError::corrupt)?,
        source: get(r, "source")?,
        source_date: get(r, "source_date")?,
        updated_at: get(r, "updated_at")?,
        region_path: get(r, "region_path")?,
    })
}

/// A plan document (规划/工作要点).
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Plan {
    pub id: i64,
    pub title: String,
    pub region_code: String,
    pub region_name: String,
    /// 基期 (e.g. 2020 for a 十四五 plan) and 目标年 (2025).
    pub base_year: i32,
    pub target_year: i32,
    pub file_name: Option<String>,
    /// `draft` (targets under review) | `confirmed`
    pub status: String,
    pub confirmed_at: Option<i64>,
    pub updated_at: i64,
    #[serde(skip)]
    pub region_path: String,
}

/// A new plan as the server hands it over (after extraction).
#[derive(Debug, Clone)]
pub struct NewPlan {
    pub title: String,
    pub region: RegionCode,
    pub base_year: i32,
    pub target_year: i32,
    pub file_name: Option<String>,
    pub text: String,
}

/// A quantitative target or baseline of a plan, linked to its sentence.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct PlanTarget {
    #[serde(default)]
    pub id: i64,
    #[serde(default)]
    pub plan_id: i64,
    /// 指标 as written.
    pub indicator: String,
    /// Normalized indicator key (the indicator library's key, or `other:…`).
    pub key: String,
    pub value: f64,
    #[serde(default)]
    pub value_max: Option<f64>,
    pub unit: String,
    /// Comparator code: reach | above | at_least | at_most | approximately | range | new |
    /// increase | per_year | multiply_by | maintain
    pub comparator: String,
    #[serde(default)]
    pub year: Option<i32>,
    /// `target` | `baseline`
    pub kind: String,
    #[serde(default)]
    pub sentence: String,
    /// Char offsets of the sentence in the plan text.
    #[serde(default)]
    pub start: i64,
    #[serde(default)]
    pub end: i64,
    /// `proposed` | `confirmed` | `rejected` | `merged`
    #[serde(default)]
    pub status: String,
    #[serde(default)]
    pub merged_into: Option<i64>,
    #[serde(default)]
    pub note: Option<String>,
    /// The extractor's rules that fired (`num+unit;ind=before;cmp=达到;year=到…`), kept as read
    /// even after an officer corrects the target.
    #[serde(default)]
    pub rule: String,
    /// Why the extractor was unsure, when a rule had to guess (absent when the text states the
    /// target plainly).
    #[serde(default)]
    pub doubt: Option<String>,
    #[serde(skip)]
    pub region_path: String,
}

/// A task of the ledger (工作台账).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct PlanTask {
    #[serde(default)]
    pub id: i64,
    #[serde(default)]
    pub plan_id: i64,
    /// 编号 as in the plan, e.g. "三、(二) 2."
    #[serde(default)]
    pub number: String,
    pub title: String,
    #[serde(default)]
    pub level: i64,
    /// 责任单位
    #[serde(default)]
    pub responsible_units: Vec<String>,
    /// 完成时限 (YYYY-MM-DD)
    #[serde(default)]
    pub deadline: Option<String>,
    /// `todo` | `doing` | `done`
    #[serde(default)]
    pub status: String,
    /// 0–100
    #[serde(default)]
    pub progress: i64,
    #[serde(default)]
    pub updated_at: i64,
    #[serde(skip)]
    pub region_path: String,
}

/// A progress report on a task, with its evidence (佐证材料).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct TaskUpdate {
    #[serde(default)]
    pub id: i64,
    #[serde(default)]
    pub task_id: i64,
    pub progress: i64,
    pub note: String,
    /// Evidence file name and its SHA-256 (the document itself is kept by the caller).
    #[serde(default)]
    pub evidence_name: Option<String>,
    #[serde(default)]
    pub evidence_sha256: Option<String>,
    #[serde(default)]
    pub at: i64,
    #[serde(default)]
    pub by: String,
}

/// An indicator value entered by an officer (data elements the registry does not hold).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Entry {
    #[serde(default)]
    pub id: i64,
    /// Data element key (e.g. `gdp`, `rd_expenditure`).
    pub element: String,
    pub region: String,
    #[serde(default)]
    pub region_name: String,
    pub year: i32,
    /// Exact decimal, in the element's unit (万元, 万人, 项 …).
    #[schema(value_type = String)]
    pub value: Decimal,
    /// 数据来源 (e.g. 济源市统计局《2024年国民经济和社会发展统计公报》)
    pub source: String,
    /// 数据日期 (YYYY-MM-DD)
    pub source_date: String,
    #[serde(default)]
    pub updated_at: i64,
    #[serde(skip)]
    pub region_path: String,
}

/// One registry measure for one region (the region of the records themselves) and year.
#[derive(Debug, Clone, PartialEq)]
pub struct Measure {
    pub region: String,
    pub year: i32,
    pub element: &'static str,
    pub value: Decimal,
}

fn plan_select() -> SelectStatement {
    let mut q = Query::select();
    q.columns(
        [
            "id",
            "title",
            "region_code",
            "region_path",
            "base_year",
            "target_year",
            "file_name",
            "status",
            "confirmed_at",
            "updated_at",
        ]
        .map(|c| ("plans", c)),
    )
    .from("plans");
    q
}

fn i32_of(r: &QueryResult, c: &str) -> StoreResult<i32> {
    i32::try_from(get::<i64>(r, c)?).map_err(StoreError::corrupt)
}

fn plan_from_row(r: &QueryResult) -> StoreResult<Plan> {
    let region_code: String = get(r, "region_code")?;
    Ok(Plan {
        id: get(r, "id")?,
        title: get(r, "title")?,
        region_name: region_name(&region_code),
        region_code,
        base_year: i32_of(r, "base_year")?,
        target_year: i32_of(r, "target_year")?,
        file_name: get(r, "file_name")?,
        status: get(r, "status")?,
        confirmed_at: get(r, "confirmed_at")?,
        updated_at: get(r, "updated_at")?,
        region_path: get(r, "region_path")?,
    })
}

async fn get_plan<C: ConnectionTrait>(c: &C, scope: &DataScope, id: i64) -> StoreResult<Plan> {
    crate::record::get_in(c, scope, id).await
}

const TARGET_COLS: [&str; 19] = [
    "id",
    "region_path",
    "plan_id",
    "indicator",
    "ind_key",
    "value",
    "value_max",
    "unit",
    "comparator",
    "year",
    "kind",
    "sentence",
    "start_pos",
    "end_pos",
    "status",
    "merged_into",
    "note",
    "rule",
    "doubt",
];

fn target_from_row(r: &QueryResult) -> StoreResult<PlanTarget> {
    Ok(PlanTarget {
        id: get(r, "id")?,
        plan_id: get(r, "plan_id")?,
        indicator: get(r, "indicator")?,
        key: get(r, "ind_key")?,
        value: get(r, "value")?,
        value_max: get(r, "value_max")?,
        unit: get(r, "unit")?,
        comparator: get(r, "comparator")?,
        year: get::<Option<i64>>(r, "year")?.and_then(|y| i32::try_from(y).ok()),
        kind: get(r, "kind")?,
        sentence: get(r, "sentence")?,
        start: get(r, "start_pos")?,
        end: get(r, "end_pos")?,
        status: get(r, "status")?,
        merged_into: get(r, "merged_into")?,
        note: get(r, "note")?,
        rule: get(r, "rule")?,
        doubt: get(r, "doubt")?,
        region_path: get(r, "region_path")?,
    })
}

async fn targets_of<C: ConnectionTrait>(c: &C, plan_id: i64) -> StoreResult<Vec<PlanTarget>> {
    let mut q = Query::select();
    q.columns(TARGET_COLS)
        .from("plan_targets")
        .and_where(Expr::col("plan_id").eq(plan_id))
        .order_by("start_pos", Order::Asc)
        .order_by("id", Order::Asc);
    sql::fetch_all(c, &q)
        .await?
        .iter()
        .map(target_from_row)
        .collect()
}

const TASK_COLS: [&str; 11] = [
    "id",
    "region_path",
    "plan_id",
    "number",
    "title",
    "level",
    "responsible_units",
    "deadline",
    "status",
    "progress",
    "updated_at",
];

fn task_from_row(r: &QueryResult) -> StoreResult<PlanTask> {
    let units: String = get(r, "responsible_units")?;
    Ok(PlanTask {
        id: get(r, "id")?,
        plan_id: get(r, "plan_id")?,
        number: get(r, "number")?,
        title: get(r, "title")?,
        level: get(r, "level")?,
        responsible_units: serde_json::from_str(&units).map_err(StoreError::corrupt)?,
        deadline: get(r, "deadline")?,
        status: get(r, "status")?,
        progress: get(r, "progress")?,
        updated_at: get(r, "updated_at")?,
        region_path: get(r, "region_path")?,
    })
}

async fn tasks_of<C: ConnectionTrait>(c: &C, plan_id: i64) -> StoreResult<Vec<PlanTask>> {
    let mut q = Query::select();
    q.columns(TASK_COLS)
        .from("plan_tasks")
        .and_where(Expr::col("plan_id").eq(plan_id))
        .order_by("position", Order::Asc)
        .order_by("id", Order::Asc);
    sql::fetch_all(c, &q)
        .await?
        .iter()
        .map(task_from_row)
        .collect()
}

const COMPARATORS: &[&str] = &[
    "reach",
    "above",
    "at_least",
    "at_most",
    "approximately",
    "range",
    "new",
    "increase",
    "per_year",
    "multiply_by",
    "maintain",
];

fn validate_target(t: &PlanTarget, row: &str) -> Result<(), Invalid> {
    let mut c = kechuang_domain::error::Collector::default();
    let f = |s: &str| format!("{row}{s}");
    if t.indicator.trim().is_empty() || t.indicator.chars().count() > 100 {
        c.push(FieldError::new(
            &f("indicator"),
            "indicator.required",
            "指标名称不能为空且不超过100个字",
        ));
    }
    if t.key.trim().is_empty() || t.key.chars().count() > 120 {
        c.push(FieldError::new(
            &f("key"),
            "key.required",
            "指标标识不能为空",
        ));
    }
    if !t.value.is_finite() || t.value_max.is_some_and(|m| !m.is_finite() || m < t.value) {
        c.push(FieldError::new(
            &f("value"),
            "value.range",
            "目标值须为数字，区间上限不小于下限",
        ));
    }
    if t.unit.chars().count() > 10 {
        c.push(FieldError::new(
            &f("unit"),
            "unit.too_long",
            "单位不超过10个字",
        ));
    }
    if !COMPARATORS.contains(&t.comparator.as_str()) {
        c.push(FieldError::new(
            &f("comparator"),
            "comparator.unknown",
            format!("比较方式“{}”无效", t.comparator),
        ));
    }
    if t.year.is_some_and(|y| !(1990..=2100).contains(&y)) {
        c.push(FieldError::new(
            &f("year"),
            "year.range",
            "年份应在1990至2100之间",
        ));
    }
    if !matches!(t.kind.as_str(), "target" | "baseline") {
        c.push(FieldError::new(
            &f("kind"),
            "kind.unknown",
            "类型应为 target（目标）或 baseline（基数）",
        ));
    }
    c.finish()
}

/// Corrections to one extracted target (review before use).
#[derive(Debug, Clone, Deserialize, Serialize, utoipa::ToSchema)]
pub struct TargetPatch {
    pub indicator: String,
    pub key: String,
    pub value: f64,
    #[serde(default)]
    pub value_max: Option<f64>,
    pub unit: String,
    pub comparator: String,
    #[serde(default)]
    pub year: Option<i32>,
    pub kind: String,
    /// `proposed` | `confirmed` | `rejected`
    pub status: String,
    #[serde(default)]
    pub note: Option<String>,
}

fn validate_task(t: &PlanTask) -> Result<(), Invalid> {
    let mut c = kechuang_domain::error::Collector::default();
    if t.title.trim().is_empty() || t.title.chars().count() > 300 {
        c.push(FieldError::new(
            "title",
            "title.required",
            "任务名称不能为空且不超过300个字",
        ));
    }
    if t.responsible_units.len() > 20 || t.responsible_units.iter().any(|u| u.chars().count() > 50)
    {
        c.push(FieldError::new(
            "responsible_units",
            "responsible_units.too_long",
            "责任单位最多20个，每个不超过50字",
        ));
    }
    if let Some(d) = t.deadline.as_deref().filter(|d| !d.is_empty())
        && chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").is_err()
    {
        c.push(FieldError::new(
            "deadline",
            "deadline.format",
            "完成时限格式应为 YYYY-MM-DD",
        ));
    }
    if !matches!(t.status.as_str(), "" | "todo" | "doing" | "done") {
        c.push(FieldError::new(
            "status",
            "status.unknown",
            "状态应为 todo、doing 或 done",
        ));
    }
    c.finish()
}

fn task_status(s: &str, progress: i64) -> &'static str {
    match s {
        "done" => "done",
        "doing" => "doing",
        "todo" => "todo",
        _ if progress >= 100 => "done",
        _ if progress > 0 => "doing",
        _ => "todo",
    }
}

async fn task_in_scope<C: ConnectionTrait>(
    c: &C,
    scope: &DataScope,
    task_id: i64,
) -> StoreResult<(Plan, PlanTask)> {
    let mut q = Query::select();
    q.column("plan_id")
        .from("plan_tasks")
        .and_where(Expr::col("id").eq(task_id));
    let r = sql::fetch_one(c, &q).await?.ok_or(StoreError::NotFound)?;
    let plan = get_plan(c, scope, get(&r, "plan_id")?).await?;
    let task = tasks_of(c, plan.id)
        .await?
        .into_iter()
        .find(|t| t.id == task_id)
        .ok_or(StoreError::NotFound)?;
    Ok((plan, task))
}

fn target_values(plan_id: i64, path: &str, t: &PlanTarget) -> Values {
    vec![
        ("plan_id", plan_id.into()),
        ("region_path", path.into()),
        ("indicator", t.indicator.clone().into()),
        ("ind_key", t.key.clone().into()),
        ("value", t.value.into()),
        ("value_max", t.value_max.into()),
        ("unit", t.unit.clone().into()),
        ("comparator", t.comparator.clone().into()),
        ("year", t.year.map(i64::from).into()),
        ("kind", t.kind.clone().into()),
        ("sentence", t.sentence.clone().into()),
        ("start_pos", t.start.into()),
        ("end_pos", t.end.into()),
        ("status", "proposed".into()),
        ("rule", t.rule.chars().take(300).collect::<String>().into()),
        (
            "doubt",
            t.doubt
                .as_ref()
                .map(|d| d.chars().take(300).collect::<String>())
                .into(),
        ),
    ]
}

fn task_values(plan_id: i64, path: &str, t: &PlanTask, position: i64) -> StoreResult<Values> {
    Ok(vec![
        ("plan_id", plan_id.into()),
        ("region_path", path.into()),
        ("number", t.number.clone().into()),
        ("title", t.title.trim().into()),
        ("level", t.level.into()),
        (
            "responsible_units",
            serde_json::to_string(&t.responsible_units)
                .map_err(StoreError::corrupt)?
                .into(),
        ),
        (
            "deadline",
            t.deadline.clone().filter(|d| !d.is_empty()).into(),
        ),
        ("status", task_status(&t.status, t.progress).into()),
        ("progress", t.progress.clamp(0, 100).into()),
        ("position", position.into()),
    ])
}
