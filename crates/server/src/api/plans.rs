//! 规划监测 endpoints: upload a plan and review its extracted targets, the task ledger, the
//! indicator library with entered values, progress of a plan's targets, the indicator
//! dashboard and the ranking of a region's subdivisions.

use crate::AppState;
use crate::api::today;
use crate::auth::Auth;
use crate::error::{ApiError, ApiResult};
use crate::extract::Multipart;
use crate::extract::{Json, Path, Query};
use crate::monitor_svc::{self, IndicatorProgress, IndicatorSeries, Ranking};
use crate::tabular::{Cell, write_xlsx};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use kechuang_domain::{DataScope, Invalid, RegionCode};
use kechuang_store::monitoring::{
    Entry, NewPlan, Plan, PlanTarget, PlanTask, TargetPatch, TaskUpdate,
};
use kechuang_store::{Page, PageRequest};
use serde::{Deserialize, Serialize};

/// A plan with its text, targets and ledger.
#[derive(Serialize, utoipa::ToSchema)]
pub struct PlanDetail {
    pub plan: Plan,
    pub text: String,
    pub targets: Vec<PlanTarget>,
    pub tasks: Vec<PlanTask>,
    /// Tasks past their deadline and not done (逾期).
    pub overdue: Vec<i64>,
}

async fn detail(st: &AppState, scope: &DataScope, id: i64) -> ApiResult<PlanDetail> {
    let (plan, text, targets, tasks) = st.store.plan_with_parts(scope, id).await?;
    let today = today().to_string();
    let overdue = tasks
        .iter()
        .filter(|t| t.status != "done" && t.deadline.as_deref().is_some_and(|d| d < today.as_str()))
        .map(|t| t.id)
        .collect();
    Ok(PlanDetail {
        plan,
        text,
        targets,
        tasks,
        overdue,
    })
}

fn scope_region(a: &Auth) -> Option<String> {
    match a.scope() {
        DataScope::Region { code, .. } => Some(code),
        _ => None,
    }
}

/// A plan upload: the text in `file`, and what the text may not say itself.
#[derive(utoipa::ToSchema)]
#[allow(dead_code)]
pub struct PlanUpload {
    /// UTF-8 .txt or .docx
    #[schema(value_type = String, format = Binary)]
    pub file: Vec<u8>,
    pub title: Option<String>,
    /// GB/T 2260 code of the plan's region.
    pub region: Option<String>,
    pub base_year: Option<i32>,
    pub target_year: Option<i32>,
}

#[utoipa::path(post, path = "/api/v1/plans", tag = "plans",
    request_body(content_type = "multipart/form-data", content = crate::api::plans::PlanUpload, description = "fields: `file` (UTF-8 .txt or .docx), optional `title`, `region`, `base_year`, `target_year`"),
    responses((status = 201, body = PlanDetail), (status = 422, body = crate::error::ErrorBody)))]
pub async fn upload(
    State(st): State<AppState>,
    a: Auth,
    mut m: Multipart,
) -> ApiResult<(StatusCode, axum::Json<PlanDetail>)> {
    a.require("plan:write")?;
    let mut file: Option<(Option<String>, Vec<u8>)> = None;
    let mut fields = std::collections::HashMap::new();
    while let Some(field) = m
        .next_field()
        .await
        .map_err(|e| ApiError::bad_request(format!("上传失败：{e}")))?
    {
        let name = field.name().unwrap_or_default().to_owned();
        if name == "file" {
            let fname = field.file_name().map(str::to_owned);
            let bytes = field
                .bytes()
                .await
                .map_err(|e| ApiError::bad_request(format!("上传失败：{e}")))?;
            file = Some((fname, bytes.to_vec()));
        } else {
            let v = field
                .text()
                .await
                .map_err(|e| ApiError::bad_request(format!("上传失败：{e}")))?;
            fields.insert(name, v);
        }
    }
    let (file_name, bytes) = file
        .ok_or_else(|| Invalid::one("file", "file.required", "请选择规划文件（.txt 或 .docx）"))?;
    let is_docx = bytes.starts_with(b"PK")
        || file_name
            .as_deref()
            .is_some_and(|n| n.to_ascii_lowercase().ends_with(".docx"));
    let text = if is_docx {
        kechuang_plans::read_docx(&bytes)
            .map_err(|e| Invalid::one("file", "file.docx", format!("无法读取 Word 文档：{e}")))?
    } else {
        let t = String::from_utf8(bytes).map_err(|_| {
            Invalid::one(
                "file",
                "file.encoding",
                "文件不是 UTF-8 文本或 .docx 文档（.doc 和 PDF 请先另存为 .docx 或文本）",
            )
        })?;
        t.trim_start_matches('\u{feff}').to_owned()
    };
    let (targets, tasks) = monitor_svc::extract(&text);
    let title = fields
        .get("title")
        .map(|s| s.trim().to_owned())
        .filter(|s| !s.is_empty())
        .or_else(|| {
            text.lines()
                .map(str::trim)
                .find(|l| !l.is_empty())
                .map(|l| l.chars().take(200).collect())
        })
        .unwrap_or_else(|| "未命名规划".to_owned());
    let region_text = fields
        .get("region")
        .map(|s| s.trim().to_owned())
        .filter(|s| !s.is_empty())
        .or_else(|| scope_region(&a))
        .ok_or_else(|| Invalid::one("region", "region.required", "请选择规划所属地区"))?;
    let region = RegionCode::parse_known(&region_text)?;
    let (guess_base, guess_target) = monitor_svc::plan_years(&title, &text, &targets);
    let year = |k: &str, d: i32| -> ApiResult<i32> {
        match fields.get(k).map(|s| s.trim()).filter(|s| !s.is_empty()) {
            Some(s) => s
                .parse::<i32>()
                .map_err(|_| Invalid::one(k, &format!("{k}.format"), "年份应为4位数字").into()),
            None => Ok(d),
        }
    };
    let plan = NewPlan {
        title,
        region,
        base_year: year("base_year", guess_base)?,
        target_year: year("target_year", guess_target)?,
        file_name,
        text,
    };
    let created = st
        .store
        .create_plan(&a.caller(), &plan, &targets, &tasks)
        .await?;
    Ok((
        StatusCode::CREATED,
        axum::Json(detail(&st, &a.scope(), created.id).await?),
    ))
}

#[utoipa::path(get, path = "/api/v1/plans", tag = "plans", params(PageRequest), responses((status = 200, body = Page<Plan>)))]
pub async fn list(
    State(st): State<AppState>,
    a: Auth,
    Query(p): Query<PageRequest>,
) -> ApiResult<axum::Json<Page<Plan>>> {
    a.require("plan:read")?;
    Ok(axum::Json(st.store.list_plans(&a.scope(), p).await?))
}

#[utoipa::path(get, path = "/api/v1/plans/{id}", tag = "plans", params(("id" = i64, Path)), responses((status = 200, body = PlanDetail)))]
pub async fn get(
    State(st): State<AppState>,
    a: Auth,
    Path(id): Path<i64>,
) -> ApiResult<axum::Json<PlanDetail>> {
    a.require("plan:read")?;
    Ok(axum::Json(detail(&st, &a.scope(), id).await?))
}

#[utoipa::path(put, path = "/api/v1/plans/{id}/targets/{target_id}", tag = "plans",
    params(("id" = i64, Path), ("target_id" = i64, Path)), request_body = TargetPatch, responses((status = 200, body = PlanTarget)))]
pub async fn update_target(
    State(st): State<AppState>,
    a: Auth,
    Path((id, target_id)): Path<(i64, i64)>,
    Json(p): Json<TargetPatch>,
) -> ApiResult<axum::Json<PlanTarget>> {
    a.require("plan:write")?;
    Ok(axum::Json(
        st.store
            .update_target(&a.caller(), id, target_id, &p)
            .await?,
    ))
}

#[derive(Deserialize, Serialize, utoipa::ToSchema)]
pub struct MergeRequest {
    /// The target kept.
    pub keep: i64,
    /// Duplicates merged into it.
    pub others: Vec<i64>,
}

#[utoipa::path(post, path = "/api/v1/plans/{id}/targets/merge", tag = "plans", params(("id" = i64, Path)),
    request_body = MergeRequest, responses((status = 200, body = Vec<PlanTarget>)))]
pub async fn merge_targets(
    State(st): State<AppState>,
    a: Auth,
    Path(id): Path<i64>,
    Json(r): Json<MergeRequest>,
) -> ApiResult<axum::Json<Vec<PlanTarget>>> {
    a.require("plan:write")?;
    Ok(axum::Json(
        st.store
            .merge_targets(&a.caller(), id, r.keep, &r.others)
            .await?,
    ))
}

#[utoipa::path(post, path = "/api/v1/plans/{id}/confirm", tag = "plans", params(("id" = i64, Path)), responses((status = 200, body = Plan)))]
pub async fn confirm(
    State(st): State<AppState>,
    a: Auth,
    Path(id): Path<i64>,
) -> ApiResult<axum::Json<Plan>> {
    a.require("plan:write")?;
    Ok(axum::Json(st.store.confirm_plan(&a.caller(), id).await?))
}

#[utoipa::path(get, path = "/api/v1/plans/{id}/progress", tag = "plans", params(("id" = i64, Path)), responses((status = 200, body = Vec<IndicatorProgress>)))]
pub async fn progress(
    State(st): State<AppState>,
    a: Auth,
    Path(id): Path<i64>,
) -> ApiResult<axum::Json<Vec<IndicatorProgress>>> {
    a.require("plan:read")?;
    let scope = a.scope();
    let plan = st.store.get_plan(&scope, id).await?;
    let targets = st.store.plan_targets(&scope, id).await?;
    Ok(axum::Json(
        monitor_svc::plan_progress(&st.store, &scope, &plan, &targets).await?,
    ))
}

#[utoipa::path(get, path = "/api/v1/plans/{id}/tasks/export", tag = "plans", params(("id" = i64, Path)),
    responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody)))]
pub async fn export_tasks(
    State(st): State<AppState>,
    a: Auth,
    Path(id): Path<i64>,
) -> ApiResult<Response> {
    use crate::tabular::Cell;
    a.require("plan:read")?;
    a.require("export")?;
    let (plan, tasks) = st.store.plan_tasks(&a.scope(), id).await?;
    let rows = tasks
        .iter()
        .map(|t| {
            vec![
                Cell::Text(t.number.clone()),
                Cell::Text(t.title.clone()),
                Cell::Text(if t.responsible_units.is_empty() {
                    "未明确".to_owned()
                } else {
                    t.responsible_units.join("、")
                }),
                Cell::Text(t.deadline.clone().unwrap_or_default()),
                Cell::Text(
                    match t.status.as_str() {
                        "done" => "已完成",
                        "doing" => "推进中",
                        _ => "未开始",
                    }
                    .into(),
                ),
                Cell::Number(t.progress as f64),
            ]
        })
        .collect();
    crate::api::io::export_sheet(
        &st,
        &a,
        "plan_task",
        "plan-tasks",
        &format!("{}工作台账", plan.title)
            .chars()
            .take(31)
            .collect::<String>(),
        &["编号", "任务", "责任单位", "完成时限", "状态", "进度（%）"],
        rows,
    )
    .await
}

#[utoipa::path(get, path = "/api/v1/plans/{id}/progress/export", tag = "plans", params(("id" = i64, Path)),
    responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")))]
pub async fn export_progress(
    State(st): State<AppState>,
    a: Auth,
    Path(id): Path<i64>,
) -> ApiResult<Response> {
    a.require("plan:read")?;
    a.require("export")?;
    let scope = a.scope();
    let plan = st.store.get_plan(&scope, id).await?;
    let targets = st.store.plan_targets(&scope, id).await?;
    let rows = monitor_svc::plan_progress(&st.store, &scope, &plan, &targets).await?;
    // The leaders' report: one indicator with its targets below it; officers' review hints
    // stay on the screen.
    let mut header = vec!["指标", "规划目标", "规划原句"];
    header.extend(kechuang_monitor::progress::REPORT_HEADER);
    let mut lines: Vec<Vec<Cell>> = Vec::new();
    for r in &rows {
        for (k, t) in r.targets.iter().enumerate() {
            let mut v = vec![
                if k == 0 {
                    Cell::Text(format!("{}（{}）", r.name, r.unit))
                } else {
                    Cell::Empty
                },
                Cell::Text(t.target.indicator.clone()),
                Cell::Text(t.target.sentence.clone()),
            ];
            match (&t.progress, &t.evaluated) {
                (Some(p), Some(target)) => {
                    v.extend(p.report_row(target).into_iter().map(Cell::Text));
                }
                _ => {
                    let n = kechuang_monitor::progress::REPORT_HEADER.len();
                    v.extend((0..n - 2).map(|_| Cell::Empty));
                    v.push(Cell::Text("无法计算".to_owned()));
                    v.push(t.problem.clone().into());
                }
            }
            lines.push(v);
        }
    }
    let count = lines.len();
    let bytes = write_xlsx("目标进展", &header, lines.into_iter()).map_err(|e| {
        tracing::error!(error = %e, "xlsx");
        ApiError::internal()
    })?;
    st.store
        .audit_event(
            &a.caller(),
            "export",
            "plan_progress",
            &id.to_string(),
            Some(serde_json::json!({ "rows": count })),
        )
        .await?;
    Ok(crate::api::io::xlsx_response("plan-progress", bytes))
}

#[utoipa::path(post, path = "/api/v1/plans/{id}/tasks", tag = "plans", params(("id" = i64, Path)), request_body = PlanTask,
    responses((status = 201, body = PlanTask)))]
pub async fn add_task(
    State(st): State<AppState>,
    a: Auth,
    Path(id): Path<i64>,
    Json(t): Json<PlanTask>,
) -> ApiResult<(StatusCode, axum::Json<PlanTask>)> {
    a.require("plan:write")?;
    Ok((
        StatusCode::CREATED,
        axum::Json(st.store.add_task(&a.caller(), id, &t).await?),
    ))
}

#[derive(Deserialize, Serialize, utoipa::ToSchema)]
pub struct TaskIds {
    pub ids: Vec<i64>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct Deleted {
    pub deleted: usize,
}

#[utoipa::path(post, path = "/api/v1/plans/{id}/tasks/batch-delete", tag = "plans", params(("id" = i64, Path)),
    request_body = TaskIds, responses((status = 200, body = Deleted), (status = 409, body = crate::error::ErrorBody)))]
pub async fn delete_tasks(
    State(st): State<AppState>,
    a: Auth,
    Path(id): Path<i64>,
    Json(r): Json<TaskIds>,
) -> ApiResult<axum::Json<Deleted>> {
    a.require("plan:write")?;
    Ok(axum::Json(Deleted {
        deleted: st.store.delete_tasks(&a.caller(), id, &r.ids).await?,
    }))
}

#[derive(Deserialize, Serialize, utoipa::ToSchema)]
pub struct TaskMerge {
    /// The task kept.
    pub keep: i64,
    /// Tasks folded into it and deleted.
    pub others: Vec<i64>,
    /// The merged task's title (default: the kept one's).
    #[serde(default)]
    pub title: Option<String>,
}

#[utoipa::path(post, path = "/api/v1/plans/{id}/tasks/merge", tag = "plans", params(("id" = i64, Path)),
    request_body = TaskMerge, responses((status = 200, body = PlanTask), (status = 409, body = crate::error::ErrorBody)))]
pub async fn merge_tasks(
    State(st): State<AppState>,
    a: Auth,
    Path(id): Path<i64>,
    Json(r): Json<TaskMerge>,
) -> ApiResult<axum::Json<PlanTask>> {
    a.require("plan:write")?;
    Ok(axum::Json(
        st.store
            .merge_tasks(&a.caller(), id, r.keep, &r.others, r.title.as_deref())
            .await?,
    ))
}

#[utoipa::path(put, path = "/api/v1/plans/tasks/{task_id}", tag = "plans", params(("task_id" = i64, Path)), request_body = PlanTask,
    responses((status = 200, body = PlanTask)))]
pub async fn update_task(
    State(st): State<AppState>,
    a: Auth,
    Path(task_id): Path<i64>,
    Json(t): Json<PlanTask>,
) -> ApiResult<axum::Json<PlanTask>> {
    a.require("plan:write")?;
    Ok(axum::Json(
        st.store.update_task(&a.caller(), task_id, &t).await?,
    ))
}

#[utoipa::path(get, path = "/api/v1/plans/tasks/{task_id}/updates", tag = "plans", params(("task_id" = i64, Path)),
    responses((status = 200, body = Vec<TaskUpdate>)))]
pub async fn task_updates(
    State(st): State<AppState>,
    a: Auth,
    Path(task_id): Path<i64>,
) -> ApiResult<axum::Json<Vec<TaskUpdate>>> {
    a.require("plan:read")?;
    Ok(axum::Json(
        st.store.task_updates(&a.scope(), task_id).await?,
    ))
}

#[utoipa::path(post, path = "/api/v1/plans/tasks/{task_id}/updates", tag = "plans", params(("task_id" = i64, Path)),
    request_body = TaskUpdate, responses((status = 201, body = PlanTask)))]
pub async fn add_task_update(
    State(st): State<AppState>,
    a: Auth,
    Path(task_id): Path<i64>,
    Json(u): Json<TaskUpdate>,
) -> ApiResult<(StatusCode, axum::Json<PlanTask>)> {
    a.require("plan:write")?;
    Ok((
        StatusCode::CREATED,
        axum::Json(st.store.add_task_update(&a.caller(), task_id, &u).await?),
    ))
}

/// The indicator library: indicators and the data elements they read.
#[derive(Serialize, utoipa::ToSchema)]
pub struct Library {
    #[schema(value_type = Vec<Object>)]
    pub indicators: serde_json::Value,
    #[schema(value_type = Vec<Object>)]
    pub elements: serde_json::Value,
}

#[utoipa::path(get, path = "/api/v1/indicators", tag = "plans", responses((status = 200, body = Library)))]
pub async fn library(a: Auth) -> ApiResult<axum::Json<Library>> {
    a.require("plan:read")?;
    Ok(axum::Json(Library {
        indicators: serde_json::to_value(kechuang_monitor::indicators::INDICATORS)
            .unwrap_or_default(),
        elements: serde_json::to_value(kechuang_monitor::indicators::DATA_ELEMENTS)
            .unwrap_or_default(),
    }))
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct DashboardQuery {
    /// Region (default: the caller's region).
    pub region: Option<String>,
    pub from: Option<i32>,
    pub to: Option<i32>,
}

fn region_in_scope(a: &Auth, region: Option<&str>) -> ApiResult<RegionCode> {
    let code = region
        .map(str::to_owned)
        .filter(|s| !s.trim().is_empty())
        .or_else(|| scope_region(a))
        .ok_or_else(|| Invalid::one("region", "region.required", "请选择地区"))?;
    let code = RegionCode::parse_known(code.trim())?;
    let path = kechuang_domain::RegionTree::shipped()
        .path(code)
        .unwrap_or_default();
    if !a.scope().admits(kechuang_domain::scope::RecordKeys {
        region_path: Some(&path),
        ..Default::default()
    }) {
        return Err(kechuang_store::StoreError::NotFound.into());
    }
    Ok(code)
}

#[utoipa::path(get, path = "/api/v1/indicators/dashboard", tag = "plans", params(DashboardQuery),
    responses((status = 200, body = Vec<IndicatorSeries>)))]
pub async fn dashboard(
    State(st): State<AppState>,
    a: Auth,
    Query(q): Query<DashboardQuery>,
) -> ApiResult<axum::Json<Vec<IndicatorSeries>>> {
    a.require("plan:read")?;
    let region = region_in_scope(&a, q.region.as_deref())?;
    let now = chrono::Datelike::year(&today());
    let to = q.to.unwrap_or(now).clamp(1990, 2100);
    let from = q.from.unwrap_or(to - 5).clamp(1990, to);
    Ok(axum::Json(
        monitor_svc::dashboard(&st.store, &a.scope(), &region.to_string(), from..=to).await?,
    ))
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct EntryQuery {
    pub element: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/indicators/entries", tag = "plans", params(EntryQuery), responses((status = 200, body = Vec<Entry>)))]
pub async fn entries(
    State(st): State<AppState>,
    a: Auth,
    Query(q): Query<EntryQuery>,
) -> ApiResult<axum::Json<Vec<Entry>>> {
    a.require("plan:read")?;
    Ok(axum::Json(
        st.store
            .list_entries(&a.scope(), q.element.as_deref())
            .await?,
    ))
}

#[utoipa::path(put, path = "/api/v1/indicators/entries", tag = "plans", request_body = Entry, responses((status = 200, body = Entry)))]
pub async fn put_entry(
    State(st): State<AppState>,
    a: Auth,
    Json(e): Json<Entry>,
) -> ApiResult<axum::Json<Entry>> {
    a.require("plan:write")?;
    if kechuang_monitor::indicators::data_element(e.element.trim()).is_none() {
        return Err(Invalid::one(
            "element",
            "element.unknown",
            format!("数据项“{}”不在指标库中", e.element),
        )
        .into());
    }
    Ok(axum::Json(st.store.put_entry(&a.caller(), &e).await?))
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct RankingQuery {
    /// Rank the subdivisions of this region (default: the caller's region).
    pub parent: Option<String>,
    pub year: Option<i32>,
    /// Comma-separated indicator keys.
    pub keys: String,
    /// Also rank by a composite of min–max scores (equal weights).
    #[serde(default)]
    pub composite: bool,
}

#[utoipa::path(get, path = "/api/v1/indicators/ranking", tag = "plans", params(RankingQuery),
    responses((status = 200, body = Ranking)))]
pub async fn ranking(
    State(st): State<AppState>,
    a: Auth,
    Query(q): Query<RankingQuery>,
) -> ApiResult<axum::Json<Ranking>> {
    a.require("plan:read")?;
    let parent = region_in_scope(&a, q.parent.as_deref())?;
    let keys: Vec<String> = q
        .keys
        .split(',')
        .map(|s| s.trim().to_owned())
        .filter(|s| !s.is_empty())
        .collect();
    let year = q.year.unwrap_or_else(|| chrono::Datelike::year(&today()));
    Ok(axum::Json(
        monitor_svc::ranking(&st.store, &a.scope(), parent, year, &keys, q.composite).await?,
    ))
}
