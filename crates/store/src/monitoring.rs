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

const TARGET_COLS: [&str; 17] = [
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

impl Store {
    /// Store an uploaded plan with its extracted targets (status `proposed`) and drafted tasks.
    pub async fn create_plan(
        &self,
        caller: &Caller,
        p: &NewPlan,
        targets: &[PlanTarget],
        tasks: &[PlanTask],
    ) -> StoreResult<Plan> {
        let mut c = kechuang_domain::error::Collector::default();
        if p.title.trim().is_empty() || p.title.chars().count() > 200 {
            c.push(FieldError::new(
                "title",
                "title.required",
                "规划名称不能为空且不超过200个字",
            ));
        }
        if !(1990..=2100).contains(&p.base_year) || p.target_year <= p.base_year {
            c.push(FieldError::new(
                "target_year",
                "target_year.range",
                "目标年须晚于基期年",
            ));
        }
        if p.text.trim().is_empty() || p.text.len() > 5_000_000 {
            c.push(FieldError::new(
                "file",
                "file.empty",
                "规划文本为空或超过5MB",
            ));
        }
        c.finish()?;
        for (n, t) in targets.iter().enumerate() {
            validate_target(t, &format!("targets[{n}]."))?;
        }
        let path = region_path(p.region)?;
        if !caller.scope.admits(RecordKeys::region(&path)) {
            return Err(StoreError::Forbidden(
                "规划所属地区不在您的管辖范围内".into(),
            ));
        }
        let mut tx = self.write(caller).await?;
        let after: Plan = tx
            .create(vec![
                ("title", p.title.trim().into()),
                ("region_code", p.region.to_string().into()),
                ("region_path", path.clone().into()),
                ("base_year", i64::from(p.base_year).into()),
                ("target_year", i64::from(p.target_year).into()),
                ("file_name", p.file_name.clone().into()),
                ("text", p.text.clone().into()),
                ("status", "draft".into()),
            ])
            .await?;
        let rows = targets
            .iter()
            .map(|t| (tx.new_id(), target_values(after.id, &path, t)))
            .collect();
        tx.create_many::<PlanTarget>(rows, "create").await?;
        let mut rows = Vec::with_capacity(tasks.len());
        for (n, t) in tasks.iter().enumerate() {
            rows.push((tx.new_id(), task_values(after.id, &path, t, n as i64)?));
        }
        tx.create_many::<PlanTask>(rows, "create").await?;
        tx.commit().await?;
        Ok(after)
    }

    pub async fn list_plans(
        &self,
        scope: &DataScope,
        page: PageRequest,
    ) -> StoreResult<Page<Plan>> {
        let mut q = plan_select();
        q.cond_where(sql::scope_condition(scope, PLANS))
            .order_by(("plans", "id"), Order::Desc);
        sql::paged(&self.db, q, page, plan_from_row).await
    }

    pub async fn get_plan(&self, scope: &DataScope, id: i64) -> StoreResult<Plan> {
        get_plan(&self.db, scope, id).await
    }

    /// A plan with its text, targets and tasks, after one scope check.
    pub async fn plan_with_parts(
        &self,
        scope: &DataScope,
        id: i64,
    ) -> StoreResult<(Plan, String, Vec<PlanTarget>, Vec<PlanTask>)> {
        let plan = get_plan(&self.db, scope, id).await?;
        let mut q = Query::select();
        q.column("text")
            .from("plans")
            .and_where(Expr::col("id").eq(id));
        let r = sql::fetch_one(&self.db, &q)
            .await?
            .ok_or(StoreError::NotFound)?;
        Ok((
            plan,
            get(&r, "text")?,
            targets_of(&self.db, id).await?,
            tasks_of(&self.db, id).await?,
        ))
    }

    pub async fn plan_targets(&self, scope: &DataScope, id: i64) -> StoreResult<Vec<PlanTarget>> {
        get_plan(&self.db, scope, id).await?;
        targets_of(&self.db, id).await
    }

    /// Correct, confirm or reject one target.
    pub async fn update_target(
        &self,
        caller: &Caller,
        plan_id: i64,
        target_id: i64,
        p: &TargetPatch,
    ) -> StoreResult<PlanTarget> {
        if !matches!(p.status.as_str(), "proposed" | "confirmed" | "rejected") {
            return Err(Invalid::one(
                "status",
                "status.unknown",
                "状态应为 proposed（待审核）、confirmed（确认）或 rejected（剔除）",
            )
            .into());
        }
        let mut tx = self.write(caller).await?;
        get_plan(tx.conn(), &caller.scope, plan_id).await?;
        let before = targets_of(tx.conn(), plan_id)
            .await?
            .into_iter()
            .find(|t| t.id == target_id)
            .ok_or(StoreError::NotFound)?;
        let mut after = before.clone();
        after.indicator = p.indicator.trim().to_owned();
        after.key = p.key.trim().to_owned();
        after.value = p.value;
        after.value_max = p.value_max;
        after.unit = p.unit.trim().to_owned();
        after.comparator = p.comparator.clone();
        after.year = p.year;
        after.kind = p.kind.clone();
        after.status = p.status.clone();
        after.merged_into = None;
        after.note = p.note.clone().filter(|s| !s.trim().is_empty());
        validate_target(&after, "")?;
        let after = tx
            .update_as(
                "update",
                &before,
                vec![
                    ("indicator", after.indicator.clone().into()),
                    ("ind_key", after.key.clone().into()),
                    ("value", after.value.into()),
                    ("value_max", after.value_max.into()),
                    ("unit", after.unit.clone().into()),
                    ("comparator", after.comparator.clone().into()),
                    ("year", after.year.map(i64::from).into()),
                    ("kind", after.kind.clone().into()),
                    ("status", after.status.clone().into()),
                    ("merged_into", None::<i64>.into()),
                    ("note", after.note.clone().into()),
                ],
            )
            .await?;
        tx.commit().await?;
        Ok(after)
    }

    /// Merge duplicates into one target (合并): the others are kept, marked `merged`.
    pub async fn merge_targets(
        &self,
        caller: &Caller,
        plan_id: i64,
        keep: i64,
        others: &[i64],
    ) -> StoreResult<Vec<PlanTarget>> {
        if others.is_empty() || others.contains(&keep) {
            return Err(
                Invalid::one("others", "others.invalid", "请选择要合并到该目标的其他目标").into(),
            );
        }
        let mut tx = self.write(caller).await?;
        get_plan(tx.conn(), &caller.scope, plan_id).await?;
        let all = targets_of(tx.conn(), plan_id).await?;
        for id in std::iter::once(&keep).chain(others) {
            if !all.iter().any(|t| t.id == *id) {
                return Err(StoreError::NotFound);
            }
        }
        for t in all.iter().filter(|t| others.contains(&t.id)) {
            tx.update_as(
                "merge",
                t,
                vec![("status", "merged".into()), ("merged_into", keep.into())],
            )
            .await?;
        }
        let after = targets_of(tx.conn(), plan_id).await?;
        tx.commit().await?;
        Ok(after)
    }

    /// 确认: every target still `proposed` is confirmed; the confirmed targets are the plan's
    /// target set from now on.
    pub async fn confirm_plan(&self, caller: &Caller, plan_id: i64) -> StoreResult<Plan> {
        let mut tx = self.write(caller).await?;
        let plan = get_plan(tx.conn(), &caller.scope, plan_id).await?;
        let all = targets_of(tx.conn(), plan_id).await?;
        if !all
            .iter()
            .any(|t| t.kind == "target" && matches!(t.status.as_str(), "proposed" | "confirmed"))
        {
            return Err(StoreError::Conflict(FieldError::new(
                "targets",
                "plan.no_targets",
                "没有可确认的目标：请至少保留一个目标",
            )));
        }
        for t in all.iter().filter(|t| t.status == "proposed") {
            tx.update_as("confirm", t, vec![("status", "confirmed".into())])
                .await?;
        }
        let after = tx
            .update_as(
                "confirm",
                &plan,
                vec![
                    ("status", "confirmed".into()),
                    ("confirmed_at", now_ms().into()),
                ],
            )
            .await?;
        tx.commit().await?;
        Ok(after)
    }

    /// Add a task to the ledger by hand.
    pub async fn add_task(
        &self,
        caller: &Caller,
        plan_id: i64,
        t: &PlanTask,
    ) -> StoreResult<PlanTask> {
        validate_task(t)?;
        let mut tx = self.write(caller).await?;
        let plan = get_plan(tx.conn(), &caller.scope, plan_id).await?;
        let pos = tasks_of(tx.conn(), plan_id).await?.len() as i64;
        let after = tx
            .create(task_values(plan_id, &plan.region_path, t, pos)?)
            .await?;
        tx.commit().await?;
        Ok(after)
    }

    /// Refine a task: title, responsible units, deadline, status.
    pub async fn update_task(
        &self,
        caller: &Caller,
        task_id: i64,
        t: &PlanTask,
    ) -> StoreResult<PlanTask> {
        validate_task(t)?;
        let mut tx = self.write(caller).await?;
        let (_, before) = task_in_scope(tx.conn(), &caller.scope, task_id).await?;
        let after = tx
            .update_as(
                "update",
                &before,
                vec![
                    ("title", t.title.trim().into()),
                    ("number", t.number.trim().into()),
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
                    ("status", task_status(&t.status, before.progress).into()),
                ],
            )
            .await?;
        tx.commit().await?;
        Ok(after)
    }

    /// Report progress on a task (进展报送), with evidence. 100 % marks it done.
    pub async fn add_task_update(
        &self,
        caller: &Caller,
        task_id: i64,
        u: &TaskUpdate,
    ) -> StoreResult<PlanTask> {
        let mut c = kechuang_domain::error::Collector::default();
        if !(0..=100).contains(&u.progress) {
            c.push(FieldError::new(
                "progress",
                "progress.range",
                "进度应在0至100之间",
            ));
        }
        if u.note.trim().is_empty() || u.note.chars().count() > 2000 {
            c.push(FieldError::new(
                "note",
                "note.required",
                "请填写进展情况（不超过2000字）",
            ));
        }
        if u.evidence_sha256
            .as_deref()
            .is_some_and(|h| h.len() != 64 || !h.bytes().all(|b| b.is_ascii_hexdigit()))
        {
            c.push(FieldError::new(
                "evidence_sha256",
                "evidence_sha256.format",
                "佐证材料的摘要应为64位十六进制SHA-256",
            ));
        }
        c.finish()?;
        let mut tx = self.write(caller).await?;
        let (_, before) = task_in_scope(tx.conn(), &caller.scope, task_id).await?;
        let id = tx.new_id();
        let now = now_ms();
        let mut ins = Query::insert();
        ins.into_table("task_updates")
            .columns([
                "id",
                "task_id",
                "progress",
                "note",
                "evidence_name",
                "evidence_sha256",
                "at",
                "by_user",
            ])
            .values([
                id.into(),
                task_id.into(),
                u.progress.into(),
                u.note.trim().into(),
                u.evidence_name.clone().into(),
                u.evidence_sha256
                    .clone()
                    .map(|h| h.to_ascii_lowercase())
                    .into(),
                now.into(),
                caller.username.clone().into(),
            ])
            .map_err(StoreError::corrupt)?;
        tx.conn().execute(&ins).await?;
        let status = if u.progress >= 100 {
            "done"
        } else if u.progress > 0 {
            "doing"
        } else {
            before.status.as_str()
        };
        let after = tx
            .update_as(
                "progress",
                &before,
                vec![("progress", u.progress.into()), ("status", status.into())],
            )
            .await?;
        tx.commit().await?;
        Ok(after)
    }

    pub async fn task_updates(
        &self,
        scope: &DataScope,
        task_id: i64,
    ) -> StoreResult<Vec<TaskUpdate>> {
        task_in_scope(&self.db, scope, task_id).await?;
        let mut q = Query::select();
        q.columns([
            "id",
            "task_id",
            "progress",
            "note",
            "evidence_name",
            "evidence_sha256",
            "at",
            "by_user",
        ])
        .from("task_updates")
        .and_where(Expr::col("task_id").eq(task_id))
        .order_by("id", Order::Desc);
        sql::fetch_all(&self.db, &q)
            .await?
            .iter()
            .map(|r| {
                Ok(TaskUpdate {
                    id: get(r, "id")?,
                    task_id: get(r, "task_id")?,
                    progress: get(r, "progress")?,
                    note: get(r, "note")?,
                    evidence_name: get(r, "evidence_name")?,
                    evidence_sha256: get(r, "evidence_sha256")?,
                    at: get(r, "at")?,
                    by: get(r, "by_user")?,
                })
            })
            .collect()
    }

    /// Enter (or correct) an indicator value with its source and date.
    pub async fn put_entry(&self, caller: &Caller, e: &Entry) -> StoreResult<Entry> {
        let mut c = kechuang_domain::error::Collector::default();
        let region = c.take(RegionCode::parse_known(&e.region));
        if e.element.trim().is_empty() || e.element.len() > 80 {
            c.push(FieldError::new(
                "element",
                "element.required",
                "请选择数据项",
            ));
        }
        if !(1990..=2100).contains(&e.year) {
            c.push(FieldError::new(
                "year",
                "year.range",
                "年份应在1990至2100之间",
            ));
        }
        if e.source.trim().is_empty() || e.source.chars().count() > 200 {
            c.push(FieldError::new(
                "source",
                "source.required",
                "请填写数据来源（不超过200字）",
            ));
        }
        if chrono::NaiveDate::parse_from_str(e.source_date.trim(), "%Y-%m-%d").is_err() {
            c.push(FieldError::new(
                "source_date",
                "source_date.format",
                "数据日期格式应为 YYYY-MM-DD",
            ));
        }
        if e.value.is_sign_negative() {
            c.push(FieldError::new("value", "value.negative", "数值不能为负"));
        }
        let region = match region {
            Some(r) if c.is_empty() => r,
            _ => return Err(c.finish().err().unwrap_or(Invalid(vec![])).into()),
        };
        let path = region_path(region)?;
        if !caller.scope.admits(RecordKeys::region(&path)) {
            return Err(StoreError::Forbidden("该地区不在您的管辖范围内".into()));
        }
        let mut tx = self.write(caller).await?;
        let mut q = <Entry as Record>::select();
        q.and_where(Expr::col("element").eq(e.element.trim()))
            .and_where(Expr::col("region_code").eq(region.to_string()))
            .and_where(Expr::col("year").eq(i64::from(e.year)));
        let existing = match sql::fetch_one(tx.conn(), &q).await? {
            Some(r) => Some(entry_from_row(&r)?),
            None => None,
        };
        let vals: Values = vec![
            ("value", e.value.normalize().to_string().into()),
            ("source", e.source.trim().into()),
            ("source_date", e.source_date.trim().into()),
        ];
        let after = match &existing {
            Some(old) => tx.update_as("update", old, vals).await?,
            None => {
                let mut vals = vals;
                vals.extend([
                    ("element", e.element.trim().into()),
                    ("region_code", region.to_string().into()),
                    ("region_path", path.into()),
                    ("year", i64::from(e.year).into()),
                ]);
                tx.create(vals).await?
            }
        };
        tx.commit().await?;
        Ok(after)
    }

    /// Entered values in the scope, optionally of one element.
    pub async fn list_entries(
        &self,
        scope: &DataScope,
        element: Option<&str>,
    ) -> StoreResult<Vec<Entry>> {
        let mut q = <Entry as Record>::select();
        q.cond_where(sql::scope_condition(scope, ENTRIES))
            .order_by("element", Order::Asc)
            .order_by("region_code", Order::Asc)
            .order_by("year", Order::Asc)
            .limit(20_000);
        if let Some(el) = element.filter(|s| !s.is_empty()) {
            q.and_where(Expr::col("element").eq(el));
        }
        sql::fetch_all(&self.db, &q)
            .await?
            .iter()
            .map(entry_from_row)
            .collect()
    }

    /// Registry measures (monitor data elements of origin Registry) per region of the records
    /// and year, within the scope, for `years`.
    pub async fn registry_measures(
        &self,
        scope: &DataScope,
        years: std::ops::RangeInclusive<i32>,
    ) -> StoreResult<Vec<Measure>> {
        let (y0, y1) = (i64::from(*years.start()), i64::from(*years.end()));
        let mut out = Vec::new();
        let region_of = |path: &str| {
            path.trim_end_matches('/')
                .rsplit('/')
                .next()
                .unwrap_or_default()
                .to_owned()
        };
        // Enterprise-year figures: valid 高企, 规上工业 (B/C/D, revenue ≥ 2000万元) with and
        // without R&D, R&D expense (fen → 万元).
        let mut q = Query::select();
        q.expr_as(Expr::col(("enterprise_years", "region_path")), "rp")
            .expr_as(Expr::col(("enterprise_years", "year")), "y")
            .expr_as(
                Expr::cust("CAST(SUM(CASE WHEN enterprise_years.hte_valid THEN 1 ELSE 0 END) AS BIGINT)"),
                "hte",
            )
            .expr_as(
                Expr::cust("CAST(SUM(CASE WHEN SUBSTR(organizations.industry, 1, 1) IN ('B', 'C', 'D') AND enterprise_years.revenue >= 2000000000 THEN 1 ELSE 0 END) AS BIGINT)"),
                "above",
            )
            .expr_as(
                Expr::cust("CAST(SUM(CASE WHEN SUBSTR(organizations.industry, 1, 1) IN ('B', 'C', 'D') AND enterprise_years.revenue >= 2000000000 AND enterprise_years.rd_expense > 0 THEN 1 ELSE 0 END) AS BIGINT)"),
                "above_rd",
            )
            .expr_as(
                Expr::cust("CAST(COALESCE(SUM(enterprise_years.rd_expense), 0) AS BIGINT)"),
                "rd",
            )
            .from("enterprise_years")
            .inner_join(
                "organizations",
                Expr::col(("organizations", "id")).equals(("enterprise_years", "org_id")),
            )
            .cond_where(sql::scope_condition(scope, crate::years::COLS))
            .and_where(Expr::col(("enterprise_years", "year")).between(y0, y1))
            .group_by_col(("enterprise_years", "region_path"))
            .group_by_col(("enterprise_years", "year"));
        use kechuang_monitor::indicators::keys as k;
        for r in sql::fetch_all(&self.db, &q).await? {
            let region = region_of(&get::<String>(&r, "rp")?);
            let year = i32_of(&r, "y")?;
            for (element, col) in [
                (k::HTE_VALID_COUNT, "hte"),
                (k::ABOVE_SCALE_INDUSTRIAL_COUNT, "above"),
                (k::ABOVE_SCALE_INDUSTRIAL_WITH_RD_COUNT, "above_rd"),
            ] {
                out.push(Measure {
                    region: region.clone(),
                    year,
                    element,
                    value: Decimal::from(get::<i64>(&r, col)?),
                });
            }
            out.push(Measure {
                region,
                year,
                element: k::ENTERPRISE_RD_EXPENSE,
                value: Decimal::new(get::<i64>(&r, "rd")?, 6),
            });
        }
        // 科技型中小企业: qualified by the stored tech-sme evaluation of that year.
        let mut q = Query::select();
        q.expr_as(Expr::col("region_path"), "rp")
            .expr_as(Expr::col("year"), "y")
            .expr_as(Expr::cust("COUNT(*)"), "n")
            .from("rule_results")
            .cond_where(sql::scope_condition(scope, crate::rule_results::COLS))
            .and_where(Expr::col("pack").eq("tech-sme"))
            .and_where(Expr::col("qualified").eq(true))
            .and_where(Expr::col("year").between(y0, y1))
            .group_by_col("region_path")
            .group_by_col("year");
        for r in sql::fetch_all(&self.db, &q).await? {
            out.push(Measure {
                region: region_of(&get::<String>(&r, "rp")?),
                year: i32_of(&r, "y")?,
                element: k::TECH_SME_COUNT,
                value: Decimal::from(get::<i64>(&r, "n")?),
            });
        }
        // Platforms active at the end of each year, by level.
        let mut q = Query::select();
        q.expr_as(Expr::col("region_path"), "rp")
            .expr_as(Expr::col("level"), "level")
            .expr_as(Expr::col("recognized_on"), "on")
            .from("platforms")
            .cond_where(sql::scope_condition(scope, crate::platforms::COLS))
            .and_where(Expr::col("status").eq("active"));
        let mut counts: std::collections::BTreeMap<(String, i32, &'static str), i64> =
            Default::default();
        for r in sql::fetch_all(&self.db, &q).await? {
            let element = match get::<String>(&r, "level")?.as_str() {
                "city" => k::PLATFORMS_CITY,
                "provincial" => k::PLATFORMS_PROVINCIAL,
                "national" => k::PLATFORMS_NATIONAL,
                _ => continue,
            };
            let since = get::<Option<String>>(&r, "on")?
                .and_then(|d| d.get(..4).and_then(|y| y.parse::<i32>().ok()))
                .unwrap_or(i32::MIN);
            let region = region_of(&get::<String>(&r, "rp")?);
            for year in years.clone() {
                if since <= year {
                    *counts.entry((region.clone(), year, element)).or_default() += 1;
                }
            }
        }
        for ((region, year, element), n) in counts {
            out.push(Measure {
                region,
                year,
                element,
                value: Decimal::from(n),
            });
        }
        Ok(out)
    }
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
