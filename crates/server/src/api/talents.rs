//! 人才与科技特派员 endpoints: commissioners, dispatches, service logs with evidence and the
//! service object's confirmation and rating, yearly assessments; talent applications through
//! expert review to recognition, recognised talents, the talent library, innovation teams,
//! work-station experts and enterprises' talent demands with the library's explained match.
//!
//! Reading takes `people:read` (the bureau), `people:apply` (an organization's own side: its
//! staff's applications, its demands, the commissioners serving it) or `people:serve` (a
//! commissioner's own records); the store scopes every read. The bureau's moves take
//! `people:manage`. Private data (a commissioner's or applicant's phone, an applicant's salary)
//! is shown in full only to the bureau's managers, the commissioner themself and the applying
//! unit; everyone else reads it masked.

use crate::AppState;
use crate::api::io::{all_pages, export_sheet};
use crate::api::{DictItem, dict_item, today};
use crate::auth::Auth;
use crate::error::{ApiError, ApiResult};
use crate::extract::Multipart;
use crate::extract::{Json, Path, Query};
use crate::people_svc::{self, DutyProgress};
use crate::tabular::Cell;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use kechuang_domain::Invalid;
use kechuang_domain::people::*;
use kechuang_domain::review::{NewRound, ObjectKind, RoundInput};
use kechuang_store::funds::{Grant, GrantFilter};
use kechuang_store::people::talents::{
    ApplicationFilter, Demand, DemandFilter, LibraryFilter, LibraryRow, StationExpert,
    StationFilter, Talent, TalentApplication, TalentFilter, Team, TeamFilter,
};
use kechuang_store::people::{
    Assessment, AssessmentFilter, Commissioner, CommissionerFilter, CountyCount, Dispatch,
    DispatchFilter, LogFilter, Rating, ServiceLog,
};
use kechuang_store::{DataScope, Page, PageRequest};
use serde::{Deserialize, Serialize};

fn read(a: &Auth) -> ApiResult<()> {
    a.require("people:read")
        .or_else(|_| a.require("people:apply"))
        .or_else(|_| a.require("people:serve"))
}

fn manages(a: &Auth) -> bool {
    a.require("people:manage").is_ok()
}

fn is_org(a: &Auth) -> bool {
    matches!(a.scope(), DataScope::Organization { .. })
}

fn mask(v: Option<String>, full: bool) -> Option<String> {
    if full { v } else { v.map(|p| mask_phone(&p)) }
}

fn items<T: Copy>(all: &[T], v: fn(T) -> &'static str, l: fn(T) -> &'static str) -> Vec<DictItem> {
    all.iter().map(|x| dict_item(v(*x), l(*x))).collect()
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct PeopleDicts {
    pub commissioner_kinds: Vec<DictItem>,
    pub fundings: Vec<DictItem>,
    pub commissioner_statuses: Vec<DictItem>,
    pub target_kinds: Vec<DictItem>,
    pub dispatch_statuses: Vec<DictItem>,
    pub service_kinds: Vec<DictItem>,
    pub grades: Vec<DictItem>,
    pub educations: Vec<DictItem>,
    pub tiers: Vec<DictItem>,
    pub honours: Vec<DictItem>,
    pub application_statuses: Vec<DictItem>,
    pub talent_statuses: Vec<DictItem>,
    pub station_roles: Vec<DictItem>,
    pub demand_statuses: Vec<DictItem>,
}

#[utoipa::path(get, path = "/api/v1/people/dicts", tag = "people",
    responses((status = 200, body = PeopleDicts), (status = 403, body = crate::error::ErrorBody)))]
pub async fn dicts(a: Auth) -> ApiResult<axum::Json<PeopleDicts>> {
    read(&a)?;
    Ok(axum::Json(PeopleDicts {
        commissioner_kinds: items(
            CommissionerKind::ALL,
            CommissionerKind::as_str,
            CommissionerKind::label,
        ),
        fundings: items(Funding::ALL, Funding::as_str, Funding::label),
        commissioner_statuses: items(
            CommissionerStatus::ALL,
            CommissionerStatus::as_str,
            CommissionerStatus::label,
        ),
        target_kinds: items(TargetKind::ALL, TargetKind::as_str, TargetKind::label),
        dispatch_statuses: items(
            DispatchStatus::ALL,
            DispatchStatus::as_str,
            DispatchStatus::label,
        ),
        service_kinds: items(ServiceKind::ALL, ServiceKind::as_str, ServiceKind::label),
        grades: items(Grade::ALL, Grade::as_str, Grade::label),
        educations: items(Education::ALL, Education::as_str, Education::label),
        tiers: items(TalentTier::ALL, TalentTier::as_str, TalentTier::label),
        honours: items(Honour::ALL, Honour::as_str, Honour::label),
        application_statuses: items(
            ApplicationStatus::ALL,
            ApplicationStatus::as_str,
            ApplicationStatus::label,
        ),
        talent_statuses: items(TalentStatus::ALL, TalentStatus::as_str, TalentStatus::label),
        station_roles: items(StationRole::ALL, StationRole::as_str, StationRole::label),
        demand_statuses: items(DemandStatus::ALL, DemandStatus::as_str, DemandStatus::label),
    }))
}

// ---------------------------------------------------------------- commissioners

fn show_commissioner(a: &Auth, mut c: Commissioner) -> Commissioner {
    let full = manages(a) || (c.user_id.is_some() && c.user_id == a.user.id.into());
    c.phone = mask(c.phone, full);
    c
}

#[utoipa::path(get, path = "/api/v1/people/commissioners", tag = "people", params(CommissionerFilter, PageRequest),
    responses((status = 200, body = Page<Commissioner>), (status = 403, body = crate::error::ErrorBody)))]
pub async fn list_commissioners(
    State(st): State<AppState>,
    a: Auth,
    Query(f): Query<CommissionerFilter>,
    Query(p): Query<PageRequest>,
) -> ApiResult<axum::Json<Page<Commissioner>>> {
    read(&a)?;
    let page = st.store.list_commissioners(&a.scope(), &f, p).await?;
    Ok(axum::Json(Page {
        items: page
            .items
            .into_iter()
            .map(|c| show_commissioner(&a, c))
            .collect(),
        total: page.total,
        total_estimated: page.total_estimated,
        page: page.page,
        size: page.size,
    }))
}

#[utoipa::path(get, path = "/api/v1/people/commissioners/export", tag = "people", params(CommissionerFilter),
    responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")))]
pub async fn export_commissioners(
    State(st): State<AppState>,
    a: Auth,
    Query(f): Query<CommissionerFilter>,
) -> ApiResult<Response> {
    a.require("export")?;
    read(&a)?;
    let rows = st
        .store
        .export_commissioners(&a.scope(), &f, 100_000)
        .await?;
    export_sheet(
        &st,
        &a,
        "commissioner",
        "commissioners",
        "科技特派员",
        &[
            "类型",
            "名称",
            "派出单位",
            "专业领域",
            "资助类别",
            "选派年度",
            "服务期",
            "团队成员",
            "联系电话",
            "状态",
        ],
        rows.into_iter()
            .map(|c| {
                let c = show_commissioner(&a, c);
                vec![
                    Cell::Text(c.kind_label),
                    Cell::Text(c.name),
                    Cell::Text(c.org_name),
                    Cell::Text(c.field),
                    Cell::Text(c.funding_label),
                    Cell::Text(c.year.to_string()),
                    Cell::Text(format!("{} 至 {}", c.term_from, c.term_to)),
                    Cell::Text(
                        c.members
                            .iter()
                            .map(|m| m.name.as_str())
                            .collect::<Vec<_>>()
                            .join("、"),
                    ),
                    Cell::Text(c.phone.unwrap_or_default()),
                    Cell::Text(c.status_label),
                ]
            })
            .collect(),
    )
    .await
}

/// A commissioner with their dispatches, this year's duty progress and their assessments.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CommissionerView {
    pub commissioner: Commissioner,
    pub dispatches: Vec<Dispatch>,
    pub progress: DutyProgress,
    pub assessments: Vec<Assessment>,
    /// What the caller may do: update, end, revoke, dispatch, log.
    pub actions: Vec<String>,
}

async fn figures_of(
    st: &AppState,
    scope: &DataScope,
    c: &Commissioner,
    year: i32,
) -> ApiResult<kechuang_store::people::YearFigures> {
    // A commissioner's figures are read through the bureau's view of them: the logs and
    // ratings the caller may see are the ones that count for the caller.
    Ok(st
        .store
        .year_figures(scope, year)
        .await?
        .into_iter()
        .find(|f| f.commissioner_id == c.id)
        .unwrap_or(kechuang_store::people::YearFigures {
            commissioner_id: c.id,
            year,
            ..Default::default()
        }))
}

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
pub struct YearQuery {
    pub year: Option<i32>,
}

#[utoipa::path(get, path = "/api/v1/people/commissioners/{id}", tag = "people", params(("id" = i64, Path), YearQuery),
    responses((status = 200, body = CommissionerView), (status = 404, body = crate::error::ErrorBody)))]
pub async fn get_commissioner(
    State(st): State<AppState>,
    a: Auth,
    Path(id): Path<i64>,
    Query(y): Query<YearQuery>,
) -> ApiResult<axum::Json<CommissionerView>> {
    read(&a)?;
    let scope = a.scope();
    let c = st.store.get_commissioner(&scope, id).await?;
    let year = y.year.unwrap_or_else(|| {
        use chrono::Datelike;
        today().year()
    });
    let of_commissioner = DispatchFilter {
        commissioner_id: Some(id),
        ..Default::default()
    };
    let dispatches = all_pages(|pg| st.store.list_dispatches(&scope, &of_commissioner, pg)).await?;
    let f = figures_of(&st, &scope, &c, year).await?;
    let progress = people_svc::progress(&f, today())?;
    let assessed = AssessmentFilter {
        commissioner_id: Some(id),
        ..Default::default()
    };
    let assessments = all_pages(|pg| st.store.list_assessments(&scope, &assessed, pg)).await?;
    let mut actions = Vec::new();
    if manages(&a) && c.status == "active" {
        actions.extend(["update", "dispatch", "end", "revoke"].map(String::from));
    }
    if a.require("people:serve").is_ok() && c.status == "active" {
        actions.push("log".into());
    }
    Ok(axum::Json(CommissionerView {
        commissioner: show_commissioner(&a, c),
        dispatches,
        progress,
        assessments,
        actions,
    }))
}

#[utoipa::path(post, path = "/api/v1/people/commissioners", tag = "people", request_body = CommissionerInput,
    responses((status = 201, body = Commissioner), (status = 409, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn create_commissioner(
    State(st): State<AppState>,
    a: Auth,
    Json(i): Json<CommissionerInput>,
) -> ApiResult<(StatusCode, axum::Json<Commissioner>)> {
    a.require("people:manage")?;
    let c = NewCommissioner::parse(&i)?;
    Ok((
        StatusCode::CREATED,
        axum::Json(st.store.create_commissioner(&a.caller(), &c).await?),
    ))
}

#[utoipa::path(put, path = "/api/v1/people/commissioners/{id}", tag = "people", params(("id" = i64, Path)), request_body = CommissionerInput,
    responses((status = 200, body = Commissioner), (status = 404, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn update_commissioner(
    State(st): State<AppState>,
    a: Auth,
    Path(id): Path<i64>,
    Json(i): Json<CommissionerInput>,
) -> ApiResult<axum::Json<Commissioner>> {
    a.require("people:manage")?;
    let c = NewCommissioner::parse(&i)?;
    Ok(axum::Json(
        st.store.update_commissioner(&a.caller(), id, &c).await?,
    ))
}

#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct StatusInput {
    pub status: String,
}

#[utoipa::path(post, path = "/api/v1/people/commissioners/{id}/status", tag = "people", params(("id" = i64, Path)), request_body = StatusInput,
    responses((status = 200, body = Commissioner), (status = 404, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn commissioner_status(
    State(st): State<AppState>,
    a: Auth,
    Path(id): Path<i64>,
    Json(i): Json<StatusInput>,
) -> ApiResult<axum::Json<Commissioner>> {
    a.require("people:manage")?;
    let s = CommissionerStatus::parse(&i.status)?;
    Ok(axum::Json(
        st.store.set_commissioner_status(&a.caller(), id, s).await?,
    ))
}

// ---------------------------------------------------------------- dispatches

#[utoipa::path(get, path = "/api/v1/people/dispatches", tag = "people", params(DispatchFilter, PageRequest),
    responses((status = 200, body = Page<Dispatch>), (status = 403, body = crate::error::ErrorBody)))]
pub async fn list_dispatches(
    State(st): State<AppState>,
    a: Auth,
    Query(f): Query<DispatchFilter>,
    Query(p): Query<PageRequest>,
) -> ApiResult<axum::Json<Page<Dispatch>>> {
    read(&a)?;
    Ok(axum::Json(
        st.store.list_dispatches(&a.scope(), &f, p).await?,
    ))
}

/// A dispatch with its ratings and what the caller may do.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct DispatchView {
    pub dispatch: Dispatch,
    pub ratings: Vec<Rating>,
    /// log (the commissioner), rate (the service object or the bureau), end, cancel (the bureau)
    pub actions: Vec<String>,
}

#[utoipa::path(get, path = "/api/v1/people/dispatches/{id}", tag = "people", params(("id" = i64, Path)),
    responses((status = 200, body = DispatchView), (status = 404, body = crate::error::ErrorBody)))]
pub async fn get_dispatch(
    State(st): State<AppState>,
    a: Auth,
    Path(id): Path<i64>,
) -> ApiResult<axum::Json<DispatchView>> {
    read(&a)?;
    let scope = a.scope();
    let d = st.store.get_dispatch(&scope, id).await?;
    let ratings = st.store.dispatch_ratings(&scope, id).await?;
    let mut actions = Vec::new();
    if d.status != "cancelled" {
        if a.require("people:serve").is_ok() || manages(&a) {
            actions.push("log".into());
        }
        if manages(&a) || (is_org(&a) && a.require("people:apply").is_ok()) {
            actions.push("rate".into());
        }
        if manages(&a) && d.status == "active" {
            actions.extend(["end", "cancel"].map(String::from));
        }
    }
    Ok(axum::Json(DispatchView {
        dispatch: d,
        ratings,
        actions,
    }))
}

#[utoipa::path(post, path = "/api/v1/people/dispatches", tag = "people", request_body = DispatchInput,
    responses((status = 201, body = Dispatch), (status = 409, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn create_dispatch(
    State(st): State<AppState>,
    a: Auth,
    Json(i): Json<DispatchInput>,
) -> ApiResult<(StatusCode, axum::Json<Dispatch>)> {
    a.require("people:manage")?;
    let d = NewDispatch::parse(&i)?;
    let c = st
        .store
        .get_commissioner(&a.scope(), d.commissioner_id)
        .await
        .map_err(|e| match e {
            kechuang_store::StoreError::NotFound => ApiError::from(Invalid::one(
                "commissioner_id",
                "commissioner.unknown",
                "科技特派员不存在或不在您的管辖范围内",
            )),
            e => e.into(),
        })?;
    use chrono::Datelike;
    let max = people_svc::max_concurrent(&c.kind, d.starts_on.year())?;
    Ok((
        StatusCode::CREATED,
        axum::Json(st.store.create_dispatch(&a.caller(), &d, max).await?),
    ))
}

#[utoipa::path(post, path = "/api/v1/people/dispatches/{id}/status", tag = "people", params(("id" = i64, Path)), request_body = StatusInput,
    responses((status = 200, body = Dispatch), (status = 404, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn dispatch_status(
    State(st): State<AppState>,
    a: Auth,
    Path(id): Path<i64>,
    Json(i): Json<StatusInput>,
) -> ApiResult<axum::Json<Dispatch>> {
    a.require("people:manage")?;
    let s = DispatchStatus::parse(&i.status)?;
    Ok(axum::Json(
        st.store.set_dispatch_status(&a.caller(), id, s).await?,
    ))
}

/// 满意度评价: the service object (its organization account) or the bureau recording a
/// village's rating.
#[utoipa::path(post, path = "/api/v1/people/dispatches/{id}/rating", tag = "people", params(("id" = i64, Path)), request_body = RatingInput,
    responses((status = 200, body = Rating), (status = 404, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn rate_dispatch(
    State(st): State<AppState>,
    a: Auth,
    Path(id): Path<i64>,
    Json(i): Json<RatingInput>,
) -> ApiResult<axum::Json<Rating>> {
    let by = if manages(&a) {
        format!("{}（科技局代录）", a.user.display_name)
    } else {
        a.require("people:apply")?;
        if !is_org(&a) {
            return Err(ApiError::forbidden());
        }
        format!("{}（受援单位）", a.user.display_name)
    };
    Ok(axum::Json(
        st.store.rate_dispatch(&a.caller(), id, &i, &by).await?,
    ))
}

#[utoipa::path(get, path = "/api/v1/people/dispatch-map", tag = "people", params(YearQuery),
    responses((status = 200, body = Vec<CountyCount>), (status = 403, body = crate::error::ErrorBody)))]
pub async fn dispatch_map(
    State(st): State<AppState>,
    a: Auth,
    Query(y): Query<YearQuery>,
) -> ApiResult<axum::Json<Vec<CountyCount>>> {
    a.require("people:read")?;
    use chrono::Datelike;
    let year = y.year.unwrap_or_else(|| today().year());
    Ok(axum::Json(st.store.dispatch_map(&a.scope(), year).await?))
}

// ---------------------------------------------------------------- logs

#[utoipa::path(get, path = "/api/v1/people/logs", tag = "people", params(LogFilter, PageRequest),
    responses((status = 200, body = Page<ServiceLog>), (status = 403, body = crate::error::ErrorBody)))]
pub async fn list_logs(
    State(st): State<AppState>,
    a: Auth,
    Query(f): Query<LogFilter>,
    Query(p): Query<PageRequest>,
) -> ApiResult<axum::Json<Page<ServiceLog>>> {
    read(&a)?;
    let mut page = st.store.list_logs(&a.scope(), &f, p).await?;
    for l in &mut page.items {
        l.actions = log_actions(&a, l);
    }
    Ok(axum::Json(page))
}

#[utoipa::path(get, path = "/api/v1/people/logs/export", tag = "people", params(LogFilter),
    responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")))]
pub async fn export_logs(
    State(st): State<AppState>,
    a: Auth,
    Query(f): Query<LogFilter>,
) -> ApiResult<Response> {
    a.require("export")?;
    read(&a)?;
    let rows = st.store.export_logs(&a.scope(), &f, 100_000).await?;
    export_sheet(
        &st,
        &a,
        "service_log",
        "service-logs",
        "服务日志",
        &[
            "服务日期",
            "科技特派员",
            "服务类型",
            "天数",
            "服务人次",
            "服务农户",
            "县（区）",
            "地点",
            "服务内容",
            "佐证材料",
            "受援方确认",
        ],
        rows.into_iter()
            .map(|l| {
                vec![
                    Cell::Text(l.served_on),
                    Cell::Text(l.commissioner_name),
                    Cell::Text(l.kind_label),
                    Cell::Text(l.days),
                    Cell::Number(l.people as f64),
                    Cell::Number(l.households as f64),
                    Cell::Text(l.county_name),
                    Cell::Text(l.place),
                    Cell::Text(l.content),
                    Cell::Text(
                        l.evidence
                            .iter()
                            .map(|e| format!("{}（SHA-256 {}）", e.name, e.sha256))
                            .collect::<Vec<_>>()
                            .join("；"),
                    ),
                    Cell::Text(match (l.confirmed_on, l.confirmed_by) {
                        (Some(d), Some(b)) => format!("{d} {b}"),
                        _ => "待确认".into(),
                    }),
                ]
            })
            .collect(),
    )
    .await
}

/// A log with what the caller may do: delete and attach (its author while unconfirmed),
/// confirm (the service object, or the bureau for a village).
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct LogView {
    pub log: ServiceLog,
    pub actions: Vec<String>,
}

fn log_actions(a: &Auth, l: &ServiceLog) -> Vec<String> {
    let mut out = Vec::new();
    if l.confirmed_on.is_none() {
        let author = l.user_id.is_some() && l.user_id == a.user.id.into();
        if author || manages(a) {
            out.extend(["attach", "delete"].map(String::from));
        }
        if manages(a)
            || (is_org(a) && a.require("people:apply").is_ok() && l.target_org_id.is_some())
        {
            out.push("confirm".into());
        }
    }
    out
}

#[utoipa::path(get, path = "/api/v1/people/logs/{id}", tag = "people", params(("id" = i64, Path)),
    responses((status = 200, body = LogView), (status = 404, body = crate::error::ErrorBody)))]
pub async fn get_log(
    State(st): State<AppState>,
    a: Auth,
    Path(id): Path<i64>,
) -> ApiResult<axum::Json<LogView>> {
    read(&a)?;
    let mut log = st.store.get_log(&a.scope(), id).await?;
    log.actions = log_actions(&a, &log);
    Ok(axum::Json(LogView {
        actions: log.actions.clone(),
        log,
    }))
}

/// 填报服务日志: the commissioner for their own dispatch (or the bureau on their behalf).
#[utoipa::path(post, path = "/api/v1/people/logs", tag = "people", request_body = LogInput,
    responses((status = 201, body = ServiceLog), (status = 409, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn create_log(
    State(st): State<AppState>,
    a: Auth,
    Json(i): Json<LogInput>,
) -> ApiResult<(StatusCode, axum::Json<ServiceLog>)> {
    a.require("people:serve")
        .or_else(|_| a.require("people:manage"))?;
    let l = NewLog::parse(&i, today())?;
    Ok((
        StatusCode::CREATED,
        axum::Json(st.store.create_log(&a.caller(), &l).await?),
    ))
}

#[utoipa::path(delete, path = "/api/v1/people/logs/{id}", tag = "people", params(("id" = i64, Path)),
    responses((status = 204), (status = 404, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody)))]
pub async fn delete_log(
    State(st): State<AppState>,
    a: Auth,
    Path(id): Path<i64>,
) -> ApiResult<StatusCode> {
    a.require("people:serve")
        .or_else(|_| a.require("people:manage"))?;
    st.store.delete_log(&a.caller(), id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(post, path = "/api/v1/people/logs/{id}/confirm", tag = "people", params(("id" = i64, Path)),
    responses((status = 200, body = ServiceLog), (status = 404, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody)))]
pub async fn confirm_log(
    State(st): State<AppState>,
    a: Auth,
    Path(id): Path<i64>,
) -> ApiResult<axum::Json<ServiceLog>> {
    let by = if manages(&a) {
        format!("{}（科技局代村委会确认）", a.user.display_name)
    } else {
        a.require("people:apply")?;
        if !is_org(&a) {
            return Err(ApiError::forbidden());
        }
        format!("{}（受援单位）", a.user.display_name)
    };
    Ok(axum::Json(
        st.store.confirm_log(&a.caller(), id, &by, today()).await?,
    ))
}

/// 上传佐证材料 (照片 JPEG/PNG 或 PDF, ≤10 MB, ≤9 per log), kept with its SHA-256.
#[utoipa::path(post, path = "/api/v1/people/logs/{id}/evidence", tag = "people", params(("id" = i64, Path)),
    responses((status = 200, body = ServiceLog), (status = 404, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn upload_evidence(
    State(st): State<AppState>,
    a: Auth,
    Path(id): Path<i64>,
    mut m: Multipart,
) -> ApiResult<axum::Json<ServiceLog>> {
    a.require("people:serve")
        .or_else(|_| a.require("people:manage"))?;
    st.store.get_log(&a.scope(), id).await?;
    while let Some(field) = m
        .next_field()
        .await
        .map_err(|e| ApiError::bad_request(format!("上传失败：{e}")))?
    {
        if field.name() != Some("file") {
            continue;
        }
        let name = field.file_name().unwrap_or_default().to_owned();
        let bytes = field
            .bytes()
            .await
            .map_err(|e| ApiError::bad_request(format!("上传失败：{e}")))?;
        let ev = kechuang_domain::attachment::check_evidence(
            &name,
            &bytes,
            kechuang_store::people::MAX_EVIDENCE_BYTES,
        )?;
        let saved = st
            .store
            .attach_evidence(
                &a.caller(),
                id,
                &ev.file_name,
                ev.content_type,
                &ev.sha256,
                &bytes,
            )
            .await?;
        return Ok(axum::Json(saved));
    }
    Err(Invalid::one(
        "file",
        "attachment.no_file",
        "请选择要上传的照片或PDF文件（表单字段 file）",
    )
    .into())
}

/// A log's evidence file; `X-Content-SHA256` carries the digest recorded at upload. Downloads
/// are audited.
#[utoipa::path(get, path = "/api/v1/people/logs/{id}/evidence/{file_id}", tag = "people", params(("id" = i64, Path), ("file_id" = i64, Path)),
    responses((status = 200, content_type = "application/octet-stream"), (status = 404, body = crate::error::ErrorBody)))]
pub async fn download_evidence(
    State(st): State<AppState>,
    a: Auth,
    Path((id, file_id)): Path<(i64, i64)>,
) -> ApiResult<Response> {
    read(&a)?;
    let (ev, bytes) = st.store.evidence_file(&a.scope(), id, file_id).await?;
    st.store
        .audit_event(
            &a.caller(),
            "download",
            "service_log",
            &id.to_string(),
            Some(serde_json::json!({ "file": ev.name, "sha256": ev.sha256 })),
        )
        .await?;
    Ok(crate::api::io::file_response(
        true,
        "evidence",
        &ev.name,
        &ev.content_type,
        &ev.sha256,
        bytes,
    ))
}

// ---------------------------------------------------------------- assessments

#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct RunInput {
    pub year: i32,
}

/// The outcome of an assessment run: how many were assessed, by grade.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct RunOutcome {
    pub assessed: usize,
    pub excellent: usize,
    pub qualified: usize,
    pub failed: usize,
}

/// 运行年度考核 over every commissioner of the caller's region serving in the year: the
/// confirmed logs and the ratings through the pack; a re-run replaces each year's result.
#[utoipa::path(post, path = "/api/v1/people/assessments/run", tag = "people", request_body = RunInput,
    responses((status = 200, body = RunOutcome), (status = 403, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn run_assessments(
    State(st): State<AppState>,
    a: Auth,
    Json(i): Json<RunInput>,
) -> ApiResult<axum::Json<RunOutcome>> {
    a.require("people:manage")?;
    use chrono::Datelike;
    if !(2000..=today().year()).contains(&i.year) {
        return Err(Invalid::one(
            "year",
            "year.range",
            format!("考核年度应在2000至{}之间", today().year()),
        )
        .into());
    }
    let scope = a.scope();
    let figures = st.store.year_figures(&scope, i.year).await?;
    let mut rows = Vec::with_capacity(figures.len());
    for f in figures {
        let ans = people_svc::assess(&f)?;
        rows.push((f, ans));
    }
    let count = |g: Grade| rows.iter().filter(|(_, a)| a.grade == g).count();
    let out = RunOutcome {
        assessed: rows.len(),
        excellent: count(Grade::Excellent),
        qualified: count(Grade::Qualified),
        failed: count(Grade::Failed),
    };
    st.store
        .save_assessments(&a.caller(), i.year, &rows)
        .await?;
    Ok(axum::Json(out))
}

#[utoipa::path(get, path = "/api/v1/people/assessments", tag = "people", params(AssessmentFilter, PageRequest),
    responses((status = 200, body = Page<Assessment>), (status = 403, body = crate::error::ErrorBody)))]
pub async fn list_assessments(
    State(st): State<AppState>,
    a: Auth,
    Query(f): Query<AssessmentFilter>,
    Query(p): Query<PageRequest>,
) -> ApiResult<axum::Json<Page<Assessment>>> {
    read(&a)?;
    Ok(axum::Json(
        st.store.list_assessments(&a.scope(), &f, p).await?,
    ))
}

#[utoipa::path(get, path = "/api/v1/people/assessments/export", tag = "people", params(AssessmentFilter),
    responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")))]
pub async fn export_assessments(
    State(st): State<AppState>,
    a: Auth,
    Query(f): Query<AssessmentFilter>,
) -> ApiResult<Response> {
    a.require("export")?;
    read(&a)?;
    let rows = st.store.export_assessments(&a.scope(), &f, 100_000).await?;
    export_sheet(
        &st,
        &a,
        "commissioner_assessment",
        "assessments",
        "科技特派员年度考核",
        &[
            "年度",
            "科技特派员",
            "派出单位",
            "等次",
            "服务天数",
            "服务次数（满1个工作日）",
            "服务农户",
            "满意度",
            "续聘",
            "工作经费（元）",
            "说明",
            "依据",
        ],
        rows.into_iter()
            .map(|x| {
                vec![
                    Cell::Text(x.year.to_string()),
                    Cell::Text(x.commissioner_name),
                    Cell::Text(x.org_name),
                    Cell::Text(x.grade_label),
                    Cell::Text(x.days),
                    Cell::Number(x.visits as f64),
                    Cell::Number(x.households as f64),
                    Cell::Text(x.rating.unwrap_or_else(|| "未评价".into())),
                    Cell::Text(if x.renew { "是" } else { "否" }.into()),
                    Cell::Text(x.support),
                    Cell::Text(x.explanation),
                    Cell::Text(x.rule),
                ]
            })
            .collect(),
    )
    .await
}

#[utoipa::path(get, path = "/api/v1/people/assessments/{id}", tag = "people", params(("id" = i64, Path)),
    responses((status = 200, body = Assessment), (status = 404, body = crate::error::ErrorBody)))]
pub async fn get_assessment(
    State(st): State<AppState>,
    a: Auth,
    Path(id): Path<i64>,
) -> ApiResult<axum::Json<Assessment>> {
    read(&a)?;
    Ok(axum::Json(st.store.get_assessment(&a.scope(), id).await?))
}

// ---------------------------------------------------------------- talent applications

fn show_application(a: &Auth, mut x: TalentApplication) -> TalentApplication {
    let full = manages(a) || is_org(a);
    x.phone = mask(x.phone, full);
    if !full {
        x.salary = x.salary.map(|_| "***".into());
    }
    x
}

#[utoipa::path(get, path = "/api/v1/people/talent-applications", tag = "people", params(ApplicationFilter, PageRequest),
    responses((status = 200, body = Page<TalentApplication>), (status = 403, body = crate::error::ErrorBody)))]
pub async fn list_applications(
    State(st): State<AppState>,
    a: Auth,
    Query(f): Query<ApplicationFilter>,
    Query(p): Query<PageRequest>,
) -> ApiResult<axum::Json<Page<TalentApplication>>> {
    read(&a)?;
    let page = st.store.list_talent_applications(&a.scope(), &f, p).await?;
    Ok(axum::Json(Page {
        items: page
            .items
            .into_iter()
            .map(|x| show_application(&a, x))
            .collect(),
        total: page.total,
        total_estimated: page.total_estimated,
        page: page.page,
        size: page.size,
    }))
}

/// An application with what the caller may do: update/submit (a draft, the unit or the
/// bureau), review (submitted, the bureau), decide (under review with the round closed).
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ApplicationView {
    pub application: TalentApplication,
    pub actions: Vec<String>,
}

#[utoipa::path(get, path = "/api/v1/people/talent-applications/{id}", tag = "people", params(("id" = i64, Path)),
    responses((status = 200, body = ApplicationView), (status = 404, body = crate::error::ErrorBody)))]
pub async fn get_application(
    State(st): State<AppState>,
    a: Auth,
    Path(id): Path<i64>,
) -> ApiResult<axum::Json<ApplicationView>> {
    read(&a)?;
    let x = st.store.get_talent_application(&a.scope(), id).await?;
    let writer = manages(&a) || (is_org(&a) && a.require("people:apply").is_ok());
    let mut actions = Vec::new();
    match x.status.as_str() {
        "draft" if writer => actions.extend(["update", "submit"].map(String::from)),
        "submitted" if manages(&a) => actions.push("review".into()),
        "reviewing" if manages(&a) && x.round_status.as_deref() == Some("closed") => {
            actions.push("decide".into())
        }
        _ => {}
    }
    Ok(axum::Json(ApplicationView {
        application: show_application(&a, x),
        actions,
    }))
}

fn applicant(a: &Auth, i: &mut TalentApplicationInput) -> ApiResult<()> {
    if manages(a) {
        return Ok(());
    }
    a.require("people:apply")?;
    match a.scope() {
        DataScope::Organization { org_id } => {
            i.org_id = org_id;
            Ok(())
        }
        _ => Err(ApiError::forbidden()),
    }
}

#[utoipa::path(post, path = "/api/v1/people/talent-applications", tag = "people", request_body = TalentApplicationInput,
    responses((status = 201, body = TalentApplication), (status = 409, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn create_application(
    State(st): State<AppState>,
    a: Auth,
    Json(mut i): Json<TalentApplicationInput>,
) -> ApiResult<(StatusCode, axum::Json<TalentApplication>)> {
    applicant(&a, &mut i)?;
    let x = NewTalentApplication::parse(&i, today())?;
    Ok((
        StatusCode::CREATED,
        axum::Json(show_application(
            &a,
            st.store.create_talent_application(&a.caller(), &x).await?,
        )),
    ))
}

#[utoipa::path(put, path = "/api/v1/people/talent-applications/{id}", tag = "people", params(("id" = i64, Path)), request_body = TalentApplicationInput,
    responses((status = 200, body = TalentApplication), (status = 409, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn update_application(
    State(st): State<AppState>,
    a: Auth,
    Path(id): Path<i64>,
    Json(mut i): Json<TalentApplicationInput>,
) -> ApiResult<axum::Json<TalentApplication>> {
    applicant(&a, &mut i)?;
    let x = NewTalentApplication::parse(&i, today())?;
    Ok(axum::Json(show_application(
        &a,
        st.store
            .update_talent_application(&a.caller(), id, &x)
            .await?,
    )))
}

/// 提交: the tier pack decides what the claims reach (an age-limited tier beyond its limit, or
/// no tier at all, is refused with the reason and nothing changes).
#[utoipa::path(post, path = "/api/v1/people/talent-applications/{id}/submit", tag = "people", params(("id" = i64, Path)),
    responses((status = 200, body = TalentApplication), (status = 409, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn submit_application(
    State(st): State<AppState>,
    a: Auth,
    Path(id): Path<i64>,
) -> ApiResult<axum::Json<TalentApplication>> {
    if !manages(&a) {
        a.require("people:apply")?;
    }
    let x = st.store.get_talent_application(&a.scope(), id).await?;
    let answer = people_svc::tier(&x, today())?;
    Ok(axum::Json(show_application(
        &a,
        st.store
            .submit_talent_application(&a.caller(), id, &answer)
            .await?,
    )))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct TalentReviewInput {
    pub application_ids: Vec<i64>,
    /// The review round (its object kind is set to 人才认定申请).
    pub round: RoundInput,
}

/// 组织专家评审: a review round over submitted applications; experts are then assigned,
/// published and closed in 评审轮次 as for any round.
#[utoipa::path(post, path = "/api/v1/people/talent-applications/review", tag = "people", request_body = TalentReviewInput,
    responses((status = 201, body = kechuang_store::review::Round), (status = 409, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn start_review(
    State(st): State<AppState>,
    a: Auth,
    Json(mut i): Json<TalentReviewInput>,
) -> ApiResult<(StatusCode, axum::Json<kechuang_store::review::Round>)> {
    a.require("people:manage")?;
    a.require("review:manage")?;
    i.round.object_kind = ObjectKind::TalentApplication.as_str().into();
    let r = NewRound::parse(&i.round)?;
    Ok((
        StatusCode::CREATED,
        axum::Json(
            st.store
                .start_talent_review(&a.caller(), &r, &i.application_ids)
                .await?,
        ),
    ))
}

#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
#[schema(as = TalentDecideInput)]
pub struct DecideInput {
    /// 认定 (true) or 不予认定 (false).
    pub recognize: bool,
    /// 认定意见 (required when not recognised).
    pub note: String,
}

#[utoipa::path(post, path = "/api/v1/people/talent-applications/{id}/decide", tag = "people", params(("id" = i64, Path)), request_body = DecideInput,
    responses((status = 200, body = TalentApplication), (status = 409, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn decide_application(
    State(st): State<AppState>,
    a: Auth,
    Path(id): Path<i64>,
    Json(i): Json<DecideInput>,
) -> ApiResult<axum::Json<TalentApplication>> {
    a.require("people:manage")?;
    let x = st.store.get_talent_application(&a.scope(), id).await?;
    let years = people_svc::valid_years(x.year)?;
    Ok(axum::Json(show_application(
        &a,
        st.store
            .decide_talent_application(&a.caller(), id, i.recognize, &i.note, today(), years)
            .await?,
    )))
}

/// The application a review task is about (the expert's view: no phone, no salary).
#[utoipa::path(get, path = "/api/v1/review/assignments/{id}/talent", tag = "review", params(("id" = i64, Path)),
    responses((status = 200, body = TalentApplication), (status = 404, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody)))]
pub async fn review_talent(
    State(st): State<AppState>,
    a: Auth,
    Path(id): Path<i64>,
) -> ApiResult<axum::Json<TalentApplication>> {
    a.require("review:score")?;
    Ok(axum::Json(
        st.store.talent_for_review(&a.scope(), id).await?,
    ))
}

// ---------------------------------------------------------------- talents

#[utoipa::path(get, path = "/api/v1/people/talents", tag = "people", params(TalentFilter, PageRequest),
    responses((status = 200, body = Page<Talent>), (status = 403, body = crate::error::ErrorBody)))]
pub async fn list_talents(
    State(st): State<AppState>,
    a: Auth,
    Query(f): Query<TalentFilter>,
    Query(p): Query<PageRequest>,
) -> ApiResult<axum::Json<Page<Talent>>> {
    read(&a)?;
    Ok(axum::Json(st.store.list_talents(&a.scope(), &f, p).await?))
}

#[utoipa::path(get, path = "/api/v1/people/talents/export", tag = "people", params(TalentFilter),
    responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")))]
pub async fn export_talents(
    State(st): State<AppState>,
    a: Auth,
    Query(f): Query<TalentFilter>,
) -> ApiResult<Response> {
    a.require("export")?;
    read(&a)?;
    let rows = st.store.export_talents(&a.scope(), &f, 100_000).await?;
    export_sheet(
        &st,
        &a,
        "talent",
        "talents",
        "认定人才",
        &[
            "证书编号",
            "姓名",
            "层次",
            "工作单位",
            "学科领域",
            "认定日期",
            "有效期至",
            "状态",
        ],
        rows.into_iter()
            .map(|t| {
                vec![
                    Cell::Text(t.certificate_no),
                    Cell::Text(t.person_name),
                    Cell::Text(t.tier_label),
                    Cell::Text(t.org_name),
                    Cell::Text(t.disciplines.join("、")),
                    Cell::Text(t.recognized_on),
                    Cell::Text(t.valid_until),
                    Cell::Text(t.status_label),
                ]
            })
            .collect(),
    )
    .await
}

/// A recognised talent with the support they received (the ledger's grants of their matters),
/// their teams and work stations.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct TalentView {
    pub talent: Talent,
    pub grants: Vec<Grant>,
    pub teams: Vec<Team>,
    pub stations: Vec<StationExpert>,
    pub actions: Vec<String>,
}

#[utoipa::path(get, path = "/api/v1/people/talents/{id}", tag = "people", params(("id" = i64, Path)),
    responses((status = 200, body = TalentView), (status = 404, body = crate::error::ErrorBody)))]
pub async fn get_talent(
    State(st): State<AppState>,
    a: Auth,
    Path(id): Path<i64>,
) -> ApiResult<axum::Json<TalentView>> {
    read(&a)?;
    let scope = a.scope();
    let t = st.store.get_talent(&scope, id).await?;
    let housing = GrantFilter {
        matter_key: Some(format!("talent-housing:{id}")),
        ..Default::default()
    };
    let grants = if a.require("funds:read").is_ok() || a.require("funds:apply").is_ok() {
        all_pages(|pg| st.store.list_grants(&scope, &housing, pg)).await?
    } else {
        Vec::new()
    };
    let in_teams = TeamFilter {
        person_id: Some(t.person_id),
        ..Default::default()
    };
    let teams = all_pages(|pg| st.store.list_teams(&scope, &in_teams, pg)).await?;
    let at_stations = StationFilter {
        person_id: Some(t.person_id),
        ..Default::default()
    };
    let stations = all_pages(|pg| st.store.list_station_experts(&scope, &at_stations, pg)).await?;
    let actions = if manages(&a) && t.status == "valid" {
        vec!["revoke".to_owned()]
    } else {
        Vec::new()
    };
    Ok(axum::Json(TalentView {
        talent: t,
        grants,
        teams,
        stations,
        actions,
    }))
}

#[utoipa::path(post, path = "/api/v1/people/talents/{id}/revoke", tag = "people", params(("id" = i64, Path)),
    responses((status = 200, body = Talent), (status = 404, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody)))]
pub async fn revoke_talent(
    State(st): State<AppState>,
    a: Auth,
    Path(id): Path<i64>,
) -> ApiResult<axum::Json<Talent>> {
    a.require("people:manage")?;
    Ok(axum::Json(st.store.revoke_talent(&a.caller(), id).await?))
}

#[utoipa::path(get, path = "/api/v1/people/library", tag = "people", params(LibraryFilter, PageRequest),
    responses((status = 200, body = Page<LibraryRow>), (status = 403, body = crate::error::ErrorBody)))]
pub async fn library(
    State(st): State<AppState>,
    a: Auth,
    Query(f): Query<LibraryFilter>,
    Query(p): Query<PageRequest>,
) -> ApiResult<axum::Json<Page<LibraryRow>>> {
    a.require("people:read")?;
    Ok(axum::Json(
        st.store.talent_library(&a.scope(), &f, p).await?,
    ))
}

// ---------------------------------------------------------------- teams and stations

#[utoipa::path(get, path = "/api/v1/people/teams", tag = "people", params(TeamFilter, PageRequest),
    responses((status = 200, body = Page<Team>), (status = 403, body = crate::error::ErrorBody)))]
pub async fn list_teams(
    State(st): State<AppState>,
    a: Auth,
    Query(f): Query<TeamFilter>,
    Query(p): Query<PageRequest>,
) -> ApiResult<axum::Json<Page<Team>>> {
    read(&a)?;
    Ok(axum::Json(st.store.list_teams(&a.scope(), &f, p).await?))
}

#[utoipa::path(get, path = "/api/v1/people/teams/{id}", tag = "people", params(("id" = i64, Path)),
    responses((status = 200, body = Team), (status = 404, body = crate::error::ErrorBody)))]
pub async fn get_team(
    State(st): State<AppState>,
    a: Auth,
    Path(id): Path<i64>,
) -> ApiResult<axum::Json<Team>> {
    read(&a)?;
    Ok(axum::Json(st.store.get_team(&a.scope(), id).await?))
}

#[utoipa::path(post, path = "/api/v1/people/teams", tag = "people", request_body = TeamInput,
    responses((status = 201, body = Team), (status = 422, body = crate::error::ErrorBody)))]
pub async fn create_team(
    State(st): State<AppState>,
    a: Auth,
    Json(i): Json<TeamInput>,
) -> ApiResult<(StatusCode, axum::Json<Team>)> {
    a.require("people:manage")?;
    let t = NewTeam::parse(&i)?;
    Ok((
        StatusCode::CREATED,
        axum::Json(st.store.create_team(&a.caller(), &t).await?),
    ))
}

#[utoipa::path(get, path = "/api/v1/people/station-experts", tag = "people", params(StationFilter, PageRequest),
    responses((status = 200, body = Page<StationExpert>), (status = 403, body = crate::error::ErrorBody)))]
pub async fn list_station_experts(
    State(st): State<AppState>,
    a: Auth,
    Query(f): Query<StationFilter>,
    Query(p): Query<PageRequest>,
) -> ApiResult<axum::Json<Page<StationExpert>>> {
    read(&a)?;
    Ok(axum::Json(
        st.store.list_station_experts(&a.scope(), &f, p).await?,
    ))
}

/// 进站: the work-stations pack decides on the expert's stations across the whole registry.
#[utoipa::path(post, path = "/api/v1/people/stations/{id}/experts", tag = "people", params(("id" = i64, Path)), request_body = StationExpertInput,
    responses((status = 201, body = StationExpert), (status = 409, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn add_station_expert(
    State(st): State<AppState>,
    a: Auth,
    Path(id): Path<i64>,
    Json(i): Json<StationExpertInput>,
) -> ApiResult<(StatusCode, axum::Json<StationExpert>)> {
    a.require("people:manage")?;
    let e = NewStationExpert::parse(&i)?;
    let load = st
        .store
        .station_load(e.person_id, e.contract_from, e.contract_to)
        .await?;
    use chrono::Datelike;
    let age = e.birth_date.map(|b| age_on(b, e.contract_from));
    let answer = people_svc::station(e.role, &load, age, e.onsite_days, e.contract_from.year())?;
    Ok((
        StatusCode::CREATED,
        axum::Json(
            st.store
                .add_station_expert(&a.caller(), id, &e, &answer)
                .await?,
        ),
    ))
}

// ---------------------------------------------------------------- demands

#[utoipa::path(get, path = "/api/v1/people/demands", tag = "people", params(DemandFilter, PageRequest),
    responses((status = 200, body = Page<Demand>), (status = 403, body = crate::error::ErrorBody)))]
pub async fn list_demands(
    State(st): State<AppState>,
    a: Auth,
    Query(f): Query<DemandFilter>,
    Query(p): Query<PageRequest>,
) -> ApiResult<axum::Json<Page<Demand>>> {
    read(&a)?;
    Ok(axum::Json(
        st.store.list_talent_demands(&a.scope(), &f, p).await?,
    ))
}

#[utoipa::path(get, path = "/api/v1/people/demands/{id}", tag = "people", params(("id" = i64, Path)),
    responses((status = 200, body = Demand), (status = 404, body = crate::error::ErrorBody)))]
pub async fn get_demand(
    State(st): State<AppState>,
    a: Auth,
    Path(id): Path<i64>,
) -> ApiResult<axum::Json<Demand>> {
    read(&a)?;
    Ok(axum::Json(
        st.store.get_talent_demand(&a.scope(), id).await?,
    ))
}

#[utoipa::path(post, path = "/api/v1/people/demands", tag = "people", request_body = DemandInput,
    responses((status = 201, body = Demand), (status = 422, body = crate::error::ErrorBody)))]
pub async fn create_demand(
    State(st): State<AppState>,
    a: Auth,
    Json(mut i): Json<DemandInput>,
) -> ApiResult<(StatusCode, axum::Json<Demand>)> {
    if !manages(&a) {
        a.require("people:apply")?;
        match a.scope() {
            DataScope::Organization { org_id } => i.org_id = org_id,
            _ => return Err(ApiError::forbidden()),
        }
    }
    let d = NewDemand::parse(&i, today())?;
    Ok((
        StatusCode::CREATED,
        axum::Json(st.store.create_talent_demand(&a.caller(), &d).await?),
    ))
}

#[utoipa::path(post, path = "/api/v1/people/demands/{id}/close", tag = "people", params(("id" = i64, Path)),
    responses((status = 200, body = Demand), (status = 404, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody)))]
pub async fn close_demand(
    State(st): State<AppState>,
    a: Auth,
    Path(id): Path<i64>,
) -> ApiResult<axum::Json<Demand>> {
    if !manages(&a) {
        a.require("people:apply")?;
    }
    Ok(axum::Json(
        st.store.close_talent_demand(&a.caller(), id).await?,
    ))
}

/// 匹配推荐: the talent library of the demand's city against the demand, each suggestion with
/// its points and reasons (professional fields only; no contact or identity data).
#[utoipa::path(get, path = "/api/v1/people/demands/{id}/matches", tag = "people", params(("id" = i64, Path)),
    responses((status = 200, body = Vec<TalentMatch>), (status = 404, body = crate::error::ErrorBody)))]
pub async fn demand_matches(
    State(st): State<AppState>,
    a: Auth,
    Path(id): Path<i64>,
) -> ApiResult<axum::Json<Vec<TalentMatch>>> {
    read(&a)?;
    let d = st.store.get_talent_demand(&a.scope(), id).await?;
    let candidates = st.store.demand_candidates(&d.region_path).await?;
    let nd = NewDemand {
        org_id: d.org_id,
        title: d.title.clone(),
        field: d.field.clone(),
        keywords: d.keywords.clone(),
        education: d
            .education
            .as_deref()
            .and_then(|e| Education::parse(e).ok()),
        title_level: d
            .title_level
            .as_deref()
            .and_then(|t| kechuang_domain::person::TitleLevel::parse(t).ok()),
        count: d.count,
        description: d.description.clone(),
        deadline: chrono::NaiveDate::parse_from_str(&d.deadline, "%Y-%m-%d")
            .unwrap_or_else(|_| today()),
    };
    let mut m = match_demand(&nd, &d.region_code, &candidates);
    m.truncate(20);
    Ok(axum::Json(m))
}
