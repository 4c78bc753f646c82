//! 科技计划项目 endpoints: calls, applications and their state machine, integrity sanctions.
//! Who acts is derived from the permission: `project:manage` acts as the bureau's officer,
//! `project:apply` as the applicant.

use crate::AppState;
use crate::api::today;
use crate::auth::Auth;
use crate::error::{ApiError, ApiResult};
use crate::extract::{Json, Path};
use axum::extract::State;
use axum::http::StatusCode;
use kechuang_domain::project::{Actor, ApplicationInput, CallInput, NewCall};
use kechuang_store::projects::{
    Application, Call, Demand, Disbursement, MilestoneCheck, Sanction, TransitionRecord,
};
use serde::{Deserialize, Serialize};

#[utoipa::path(get, path = "/api/v1/calls", tag = "projects", responses((status = 200, body = Vec<Call>)))]
pub async fn calls(State(st): State<AppState>, a: Auth) -> ApiResult<axum::Json<Vec<Call>>> {
    a.require("project:read")?;
    Ok(axum::Json(st.store.list_calls(&a.scope()).await?))
}

#[utoipa::path(post, path = "/api/v1/calls", tag = "projects", request_body = CallInput,
    responses((status = 201, body = Call), (status = 422, body = crate::error::ErrorBody)))]
pub async fn create_call(
    State(st): State<AppState>,
    a: Auth,
    Json(i): Json<CallInput>,
) -> ApiResult<(StatusCode, axum::Json<Call>)> {
    a.require("project:manage")?;
    let c = NewCall::parse(&i)?;
    if let Some(e) = &c.eligibility
        && crate::rules_io::official_pack(&e.pack).is_none()
    {
        return Err(kechuang_domain::Invalid::one(
            "eligibility",
            "eligibility.pack",
            format!("没有名为“{}”的政策包", e.pack),
        )
        .into());
    }
    Ok((
        StatusCode::CREATED,
        axum::Json(st.store.create_call(&a.caller(), &c).await?),
    ))
}

#[utoipa::path(get, path = "/api/v1/applications", tag = "projects", responses((status = 200, body = Vec<Application>)))]
pub async fn applications(
    State(st): State<AppState>,
    a: Auth,
) -> ApiResult<axum::Json<Vec<Application>>> {
    a.require("project:read")?;
    Ok(axum::Json(st.store.list_applications(&a.scope()).await?))
}

/// An application with its recorded moves.
#[derive(Serialize, utoipa::ToSchema)]
pub struct ApplicationDetail {
    pub application: Application,
    pub history: Vec<TransitionRecord>,
    /// 里程碑考核
    pub milestone_checks: Vec<MilestoneCheck>,
    /// 经费拨付
    pub disbursements: Vec<Disbursement>,
    /// PDF attachments with their SHA-256.
    pub attachments: Vec<kechuang_store::applicant::Attachment>,
    /// The registry facts and attachment digests frozen at submission (一次报送).
    #[schema(value_type = Option<Object>)]
    pub submitted_snapshot: Option<serde_json::Value>,
    /// The call's extra items, to label the answers.
    pub call_form: Vec<kechuang_domain::project::FormField>,
}

#[utoipa::path(get, path = "/api/v1/applications/{id}", tag = "projects", params(("id" = i64, Path)),
    responses((status = 200, body = ApplicationDetail)))]
pub async fn application(
    State(st): State<AppState>,
    a: Auth,
    Path(id): Path<i64>,
) -> ApiResult<axum::Json<ApplicationDetail>> {
    a.require("project:read")?;
    let scope = a.scope();
    let (milestone_checks, disbursements) = st.store.execution_record(&scope, id).await?;
    let application = st.store.get_application(&scope, id).await?;
    let call_form = st
        .store
        .list_calls(&scope)
        .await?
        .into_iter()
        .find(|c| c.id == application.call_id)
        .map(|c| c.form)
        .unwrap_or_default();
    Ok(axum::Json(ApplicationDetail {
        call_form,
        application,
        history: st.store.application_history(&scope, id).await?,
        milestone_checks,
        disbursements,
        attachments: st.store.list_attachments(&scope, id).await?,
        submitted_snapshot: st.store.application_snapshot(&scope, id).await?,
    }))
}

#[utoipa::path(post, path = "/api/v1/applications", tag = "projects", request_body = ApplicationInput,
    responses((status = 201, body = Application), (status = 422, body = crate::error::ErrorBody)))]
pub async fn create_application(
    State(st): State<AppState>,
    a: Auth,
    Json(i): Json<ApplicationInput>,
) -> ApiResult<(StatusCode, axum::Json<Application>)> {
    a.require("project:apply")?;
    Ok((
        StatusCode::CREATED,
        axum::Json(st.store.save_application(&a.caller(), None, &i).await?),
    ))
}

#[utoipa::path(put, path = "/api/v1/applications/{id}", tag = "projects", params(("id" = i64, Path)),
    request_body = ApplicationInput, responses((status = 200, body = Application)))]
pub async fn update_application(
    State(st): State<AppState>,
    a: Auth,
    Path(id): Path<i64>,
    Json(i): Json<ApplicationInput>,
) -> ApiResult<axum::Json<Application>> {
    a.require("project:apply")?;
    Ok(axum::Json(
        st.store.save_application(&a.caller(), Some(id), &i).await?,
    ))
}

#[derive(Deserialize, Serialize, utoipa::ToSchema)]
pub struct TransitionRequest {
    /// e.g. submit, withdraw, start_formal_check, return, pass_formal_check, to_panel, approve,
    /// reject, sign_contract, start, mid_term, continue, request_acceptance, close, terminate
    pub action: String,
    #[serde(default)]
    pub reason: Option<String>,
}

#[utoipa::path(post, path = "/api/v1/applications/{id}/transition", tag = "projects", params(("id" = i64, Path)),
    request_body = TransitionRequest, responses((status = 200, body = Application), (status = 409, body = crate::error::ErrorBody)))]
pub async fn transition(
    State(st): State<AppState>,
    a: Auth,
    Path(id): Path<i64>,
    Json(r): Json<TransitionRequest>,
) -> ApiResult<axum::Json<Application>> {
    let actor = if a.user.has_permission("project:manage") {
        Actor::Officer
    } else if a.user.has_permission("project:apply") {
        Actor::Applicant
    } else {
        return Err(ApiError::forbidden());
    };
    Ok(axum::Json(
        st.store
            .transition_application(
                &a.caller(),
                id,
                &r.action,
                actor,
                r.reason.as_deref(),
                today(),
            )
            .await?,
    ))
}

#[utoipa::path(get, path = "/api/v1/sanctions", tag = "projects", responses((status = 200, body = Vec<Sanction>)))]
pub async fn sanctions(
    State(st): State<AppState>,
    a: Auth,
) -> ApiResult<axum::Json<Vec<Sanction>>> {
    a.require("project:manage")?;
    Ok(axum::Json(st.store.list_sanctions(&a.scope()).await?))
}

#[utoipa::path(post, path = "/api/v1/sanctions", tag = "projects", request_body = Sanction,
    responses((status = 201, body = Sanction)))]
pub async fn create_sanction(
    State(st): State<AppState>,
    a: Auth,
    Json(s): Json<Sanction>,
) -> ApiResult<(StatusCode, axum::Json<Sanction>)> {
    a.require("project:manage")?;
    Ok((
        StatusCode::CREATED,
        axum::Json(st.store.create_sanction(&a.caller(), &s).await?),
    ))
}

#[derive(Deserialize, Serialize, utoipa::ToSchema)]
pub struct EthicsRequest {
    /// 伦理审查备案号
    pub registration: String,
}

#[utoipa::path(post, path = "/api/v1/applications/{id}/ethics", tag = "projects", params(("id" = i64, Path)),
    request_body = EthicsRequest, responses((status = 200, body = Application)))]
pub async fn record_ethics(
    State(st): State<AppState>,
    a: Auth,
    Path(id): Path<i64>,
    Json(r): Json<EthicsRequest>,
) -> ApiResult<axum::Json<Application>> {
    if !a.user.has_permission("project:manage") && !a.user.has_permission("project:apply") {
        return Err(ApiError::forbidden());
    }
    Ok(axum::Json(
        st.store
            .record_ethics(&a.caller(), id, &r.registration)
            .await?,
    ))
}

#[derive(Deserialize, Serialize, utoipa::ToSchema)]
pub struct PanelRequest {
    pub decisions: Vec<kechuang_store::projects::PanelDecision>,
}

#[utoipa::path(post, path = "/api/v1/calls/{id}/panel", tag = "projects", params(("id" = i64, Path)),
    request_body = PanelRequest, responses((status = 200, body = Vec<Application>), (status = 409, body = crate::error::ErrorBody)))]
pub async fn panel(
    State(st): State<AppState>,
    a: Auth,
    Path(id): Path<i64>,
    Json(r): Json<PanelRequest>,
) -> ApiResult<axum::Json<Vec<Application>>> {
    a.require("project:manage")?;
    Ok(axum::Json(
        st.store
            .panel_decide(&a.caller(), id, &r.decisions, today())
            .await?,
    ))
}

#[utoipa::path(post, path = "/api/v1/calls/{id}/review-round", tag = "projects", params(("id" = i64, Path)),
    request_body = kechuang_domain::review::RoundInput, responses((status = 201, body = kechuang_store::review::Round)))]
pub async fn review_round(
    State(st): State<AppState>,
    a: Auth,
    Path(id): Path<i64>,
    Json(i): Json<kechuang_domain::review::RoundInput>,
) -> ApiResult<(StatusCode, axum::Json<kechuang_store::review::Round>)> {
    a.require("project:manage")?;
    a.require("review:manage")?;
    let r = kechuang_domain::review::NewRound::parse(&i)?;
    Ok((
        StatusCode::CREATED,
        axum::Json(st.store.review_round_for_call(&a.caller(), id, &r).await?),
    ))
}

#[utoipa::path(post, path = "/api/v1/applications/{id}/milestone-checks", tag = "projects", params(("id" = i64, Path)),
    request_body = MilestoneCheck, responses((status = 201, body = Vec<MilestoneCheck>)))]
pub async fn check_milestone(
    State(st): State<AppState>,
    a: Auth,
    Path(id): Path<i64>,
    Json(c): Json<MilestoneCheck>,
) -> ApiResult<(StatusCode, axum::Json<Vec<MilestoneCheck>>)> {
    a.require("project:manage")?;
    Ok((
        StatusCode::CREATED,
        axum::Json(st.store.check_milestone(&a.caller(), id, &c).await?),
    ))
}

#[utoipa::path(post, path = "/api/v1/applications/{id}/disbursements", tag = "projects", params(("id" = i64, Path)),
    request_body = Disbursement, responses((status = 201, body = Vec<Disbursement>)))]
pub async fn disburse(
    State(st): State<AppState>,
    a: Auth,
    Path(id): Path<i64>,
    Json(d): Json<Disbursement>,
) -> ApiResult<(StatusCode, axum::Json<Vec<Disbursement>>)> {
    a.require("project:manage")?;
    Ok((
        StatusCode::CREATED,
        axum::Json(st.store.disburse(&a.caller(), id, &d).await?),
    ))
}

#[derive(Deserialize, Serialize, utoipa::ToSchema)]
pub struct RatingRequest {
    /// excellent | good | pass | fail
    pub rating: String,
    #[serde(default)]
    pub note: String,
}

#[utoipa::path(post, path = "/api/v1/applications/{id}/rating", tag = "projects", params(("id" = i64, Path)),
    request_body = RatingRequest, responses((status = 200, body = Application)))]
pub async fn rate(
    State(st): State<AppState>,
    a: Auth,
    Path(id): Path<i64>,
    Json(r): Json<RatingRequest>,
) -> ApiResult<axum::Json<Application>> {
    a.require("project:manage")?;
    Ok(axum::Json(
        st.store
            .rate_project(&a.caller(), id, &r.rating, &r.note, today())
            .await?,
    ))
}

#[utoipa::path(post, path = "/api/v1/calls/{id}/acceptance-round", tag = "projects", params(("id" = i64, Path)),
    request_body = kechuang_domain::review::RoundInput, responses((status = 201, body = kechuang_store::review::Round)))]
pub async fn acceptance_round(
    State(st): State<AppState>,
    a: Auth,
    Path(id): Path<i64>,
    Json(i): Json<kechuang_domain::review::RoundInput>,
) -> ApiResult<(StatusCode, axum::Json<kechuang_store::review::Round>)> {
    a.require("project:manage")?;
    a.require("review:manage")?;
    let r = kechuang_domain::review::NewRound::parse(&i)?;
    Ok((
        StatusCode::CREATED,
        axum::Json(
            st.store
                .acceptance_round_for_call(&a.caller(), id, &r)
                .await?,
        ),
    ))
}

#[utoipa::path(get, path = "/api/v1/demands", tag = "projects", responses((status = 200, body = Vec<Demand>)))]
pub async fn demands(State(st): State<AppState>, a: Auth) -> ApiResult<axum::Json<Vec<Demand>>> {
    a.require("project:read")?;
    Ok(axum::Json(st.store.list_demands(&a.scope()).await?))
}

#[utoipa::path(post, path = "/api/v1/demands", tag = "projects", request_body = Demand, responses((status = 201, body = Demand)))]
pub async fn post_demand(
    State(st): State<AppState>,
    a: Auth,
    Json(d): Json<Demand>,
) -> ApiResult<(StatusCode, axum::Json<Demand>)> {
    a.require("project:apply")?;
    Ok((
        StatusCode::CREATED,
        axum::Json(st.store.post_demand(&a.caller(), &d).await?),
    ))
}

#[utoipa::path(post, path = "/api/v1/demands/{id}/adopt", tag = "projects", params(("id" = i64, Path)),
    request_body = CallInput, responses((status = 201, body = Call)))]
pub async fn adopt_demand(
    State(st): State<AppState>,
    a: Auth,
    Path(id): Path<i64>,
    Json(i): Json<CallInput>,
) -> ApiResult<(StatusCode, axum::Json<Call>)> {
    a.require("project:manage")?;
    let c = NewCall::parse(&i)?;
    Ok((
        StatusCode::CREATED,
        axum::Json(st.store.create_call_from(&a.caller(), &c, Some(id)).await?),
    ))
}

#[utoipa::path(get, path = "/api/v1/applications/{id}/task-book", tag = "projects", params(("id" = i64, Path)),
    responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")))]
pub async fn task_book(
    State(st): State<AppState>,
    a: Auth,
    Path(id): Path<i64>,
) -> ApiResult<axum::response::Response> {
    a.require("project:read")?;
    let rows = st.store.task_book(&a.scope(), id).await?;
    let bytes = crate::tabular::write_xlsx(
        "项目任务书",
        &["项目", "内容"],
        rows.into_iter()
            .map(|(k, v)| vec![crate::tabular::Cell::Text(k), crate::tabular::Cell::Text(v)]),
    )
    .map_err(|e| {
        tracing::error!(error = %e, "xlsx");
        ApiError::internal()
    })?;
    Ok(crate::api::io::xlsx_response("task-book", bytes))
}
