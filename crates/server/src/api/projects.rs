//! 科技计划项目 endpoints: calls, applications and their state machine, integrity sanctions.
//! Who acts is derived from the permission: `project:manage` acts as the bureau's officer,
//! `project:apply` as the applicant.

use crate::AppState;
use crate::api::{today, wan};
use crate::auth::Auth;
use crate::error::{ApiError, ApiResult};
use crate::extract::{Json, Path, Query};
use crate::tabular::Cell;
use axum::extract::State;
use axum::http::StatusCode;
use kechuang_domain::project::{Actor, ApplicationInput, CallInput, NewCall};
use kechuang_store::projects::{
    Application, Call, CallFilter, Demand, Disbursement, MilestoneCheck, Sanction, TransitionRecord,
};
use kechuang_store::{Page, PageRequest};
use serde::{Deserialize, Serialize};

/// 项目指南: one page of the calls the caller may see, newest first.
#[utoipa::path(get, path = "/api/v1/calls", tag = "projects", params(CallFilter, PageRequest),
    responses((status = 200, body = Page<Call>), (status = 403, body = crate::error::ErrorBody)))]
pub async fn calls(
    State(st): State<AppState>,
    a: Auth,
    Query(f): Query<CallFilter>,
    Query(p): Query<PageRequest>,
) -> ApiResult<axum::Json<Page<Call>>> {
    a.require("project:read")?;
    Ok(axum::Json(st.store.page_calls(&a.scope(), &f, p).await?))
}

/// 发布指南: the call, published at once or kept as a draft (草稿) to preview and edit.
#[derive(Deserialize, utoipa::ToSchema)]
pub struct CreateCallRequest {
    #[serde(flatten)]
    pub call: CallInput,
    /// false: save as a draft (default true).
    #[serde(default = "yes")]
    pub publish: bool,
}

fn yes() -> bool {
    true
}

fn parse_call(i: &CallInput) -> ApiResult<NewCall> {
    let c = NewCall::parse(i)?;
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
    Ok(c)
}

#[utoipa::path(post, path = "/api/v1/calls", tag = "projects", request_body = CreateCallRequest,
    responses((status = 201, body = Call), (status = 422, body = crate::error::ErrorBody)))]
pub async fn create_call(
    State(st): State<AppState>,
    a: Auth,
    Json(r): Json<CreateCallRequest>,
) -> ApiResult<(StatusCode, axum::Json<Call>)> {
    a.require("project:manage")?;
    let c = parse_call(&r.call)?;
    Ok((
        StatusCode::CREATED,
        axum::Json(
            st.store
                .create_call_from(&a.caller(), &c, None, r.publish)
                .await?,
        ),
    ))
}

#[utoipa::path(get, path = "/api/v1/calls/export", tag = "projects",
    responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"), (status = 403, body = crate::error::ErrorBody)))]
pub async fn export_calls(
    State(st): State<AppState>,
    a: Auth,
) -> ApiResult<axum::response::Response> {
    a.require("project:read")?;
    a.require("export")?;
    let calls = st.store.list_calls(&a.scope()).await?;
    let rows = calls
        .iter()
        .map(|c| {
            vec![
                Cell::Text(c.title.clone()),
                Cell::Text(c.category.clone()),
                Cell::Text(
                    kechuang_domain::project::OrganizingMode::parse(&c.mode)
                        .map(|m| m.label().to_owned())
                        .unwrap_or_default(),
                ),
                Cell::Text(crate::api::region_label(&c.region_code)),
                Cell::Text(wan(&c.budget)),
                Cell::Text(c.opens_on.clone()),
                Cell::Text(c.closes_on.clone()),
                Cell::Text(c.status_label.clone()),
            ]
        })
        .collect();
    crate::api::io::export_sheet(
        &st,
        &a,
        "call",
        "calls",
        "项目指南",
        &[
            "指南名称",
            "计划类别",
            "组织方式",
            "组织地区",
            "总预算（万元）",
            "申报开始",
            "申报截止",
            "状态",
        ],
        rows,
    )
    .await
}

#[utoipa::path(get, path = "/api/v1/calls/{id}", tag = "projects", params(("id" = i64, Path)),
    responses((status = 200, body = Call), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody)))]
pub async fn call(
    State(st): State<AppState>,
    a: Auth,
    Path(id): Path<i64>,
) -> ApiResult<axum::Json<Call>> {
    a.require("project:read")?;
    Ok(axum::Json(st.store.get_call(&a.scope(), id).await?))
}

#[utoipa::path(put, path = "/api/v1/calls/{id}", tag = "projects", params(("id" = i64, Path)),
    request_body = CallInput, responses((status = 200, body = Call), (status = 409, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn update_call(
    State(st): State<AppState>,
    a: Auth,
    Path(id): Path<i64>,
    Json(i): Json<CallInput>,
) -> ApiResult<axum::Json<Call>> {
    a.require("project:manage")?;
    let c = parse_call(&i)?;
    Ok(axum::Json(st.store.update_call(&a.caller(), id, &c).await?))
}

#[utoipa::path(post, path = "/api/v1/calls/{id}/publish", tag = "projects", params(("id" = i64, Path)),
    responses((status = 200, body = Call), (status = 409, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody)))]
pub async fn publish_call(
    State(st): State<AppState>,
    a: Auth,
    Path(id): Path<i64>,
) -> ApiResult<axum::Json<Call>> {
    a.require("project:manage")?;
    Ok(axum::Json(st.store.publish_call(&a.caller(), id).await?))
}

#[derive(Deserialize, Serialize, utoipa::ToSchema)]
pub struct ReasonRequest {
    pub reason: String,
}

#[utoipa::path(post, path = "/api/v1/calls/{id}/withdraw", tag = "projects", params(("id" = i64, Path)),
    request_body = ReasonRequest, responses((status = 200, body = Call), (status = 409, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn withdraw_call(
    State(st): State<AppState>,
    a: Auth,
    Path(id): Path<i64>,
    Json(r): Json<ReasonRequest>,
) -> ApiResult<axum::Json<Call>> {
    a.require("project:manage")?;
    Ok(axum::Json(
        st.store.withdraw_call(&a.caller(), id, &r.reason).await?,
    ))
}

/// Who the caller acts as on an application: `project:manage` is the bureau's officer,
/// `project:apply` the applicant; anyone else only reads.
fn actor_of(a: &Auth) -> Option<Actor> {
    if a.user.has_permission("project:manage") {
        Some(Actor::Officer)
    } else if a.user.has_permission("project:apply") {
        Some(Actor::Applicant)
    } else {
        None
    }
}

/// 项目管理's filters.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
pub struct ApplicationQuery {
    /// One status (e.g. `submitted` 待形式审查) or several, comma-separated.
    #[serde(default)]
    pub status: Option<String>,
    #[serde(default)]
    pub call_id: Option<i64>,
    /// Title, unit, call or leader contains.
    #[serde(default)]
    pub q: Option<String>,
}

impl ApplicationQuery {
    fn filter(&self) -> kechuang_store::projects::ApplicationFilter {
        kechuang_store::projects::ApplicationFilter {
            statuses: self
                .status
                .as_deref()
                .map(|s| {
                    s.split(',')
                        .map(str::trim)
                        .filter(|s| !s.is_empty())
                        .map(str::to_owned)
                        .collect()
                })
                .unwrap_or_default(),
            call_id: self.call_id,
            q: self.q.clone(),
        }
    }
}

/// 项目管理: one page of the applications in scope, newest first.
#[utoipa::path(get, path = "/api/v1/applications", tag = "projects", params(ApplicationQuery, PageRequest),
    responses((status = 200, body = Page<Application>), (status = 403, body = crate::error::ErrorBody)))]
pub async fn applications(
    State(st): State<AppState>,
    a: Auth,
    Query(q): Query<ApplicationQuery>,
    Query(p): Query<PageRequest>,
) -> ApiResult<axum::Json<Page<Application>>> {
    a.require("project:read")?;
    let actor = actor_of(&a);
    let page = st
        .store
        .page_applications(&a.scope(), &q.filter(), p)
        .await?;
    Ok(axum::Json(Page {
        items: page.items.into_iter().map(|x| x.for_actor(actor)).collect(),
        ..page
    }))
}

/// The counts of the stage tabs: applications in scope matching the call and text, by status.
#[derive(Serialize, utoipa::ToSchema)]
pub struct ApplicationCounts {
    pub by_status: std::collections::BTreeMap<String, u64>,
}

#[utoipa::path(get, path = "/api/v1/applications/counts", tag = "projects", params(ApplicationQuery),
    responses((status = 200, body = ApplicationCounts), (status = 403, body = crate::error::ErrorBody)))]
pub async fn application_counts(
    State(st): State<AppState>,
    a: Auth,
    Query(q): Query<ApplicationQuery>,
) -> ApiResult<axum::Json<ApplicationCounts>> {
    a.require("project:read")?;
    Ok(axum::Json(ApplicationCounts {
        by_status: st
            .store
            .count_applications_by_status(&a.scope(), &q.filter())
            .await?,
    }))
}

#[utoipa::path(get, path = "/api/v1/applications/export", tag = "projects", params(ApplicationQuery),
    responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"), (status = 403, body = crate::error::ErrorBody)))]
pub async fn export_applications(
    State(st): State<AppState>,
    a: Auth,
    Query(q): Query<ApplicationQuery>,
) -> ApiResult<axum::response::Response> {
    a.require("project:read")?;
    a.require("export")?;
    let apps = st
        .store
        .list_applications_where(&a.scope(), &q.filter())
        .await?;
    let rows: Vec<Vec<Cell>> = apps
        .iter()
        .map(|x| {
            vec![
                Cell::Text(format!("{}-{}", x.call_id, x.id)),
                Cell::Text(x.title.clone()),
                Cell::Text(x.call_title.clone()),
                Cell::Text(x.org_name.clone()),
                Cell::Text(x.leader_name.clone()),
                Cell::Text(wan(&x.budget_total)),
                Cell::Text(x.granted.as_deref().map(wan).unwrap_or_default()),
                Cell::Text(x.status_label.clone()),
                Cell::Text(crate::api::beijing_time(x.submitted_at)),
            ]
        })
        .collect();
    crate::api::io::export_sheet(
        &st,
        &a,
        "application",
        "applications",
        "项目管理",
        &[
            "项目编号",
            "项目名称",
            "所属指南",
            "申报单位",
            "项目负责人",
            "申请经费（万元）",
            "批准经费（万元）",
            "状态",
            "提交时间",
        ],
        rows,
    )
    .await
}

#[derive(Deserialize, Serialize, utoipa::ToSchema)]
pub struct BatchTransitionRequest {
    pub ids: Vec<i64>,
    pub action: String,
    #[serde(default)]
    pub reason: Option<String>,
}

#[derive(Serialize, utoipa::ToSchema)]
#[schema(as = ProjectBatchOutcome)]
pub struct BatchOutcome {
    pub moved: usize,
    pub applications: Vec<Application>,
}

#[utoipa::path(post, path = "/api/v1/applications/batch-transition", tag = "projects",
    request_body = BatchTransitionRequest,
    responses((status = 200, body = BatchOutcome), (status = 409, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn batch_transition(
    State(st): State<AppState>,
    a: Auth,
    Json(r): Json<BatchTransitionRequest>,
) -> ApiResult<axum::Json<BatchOutcome>> {
    a.require("project:manage")?;
    let moved = st
        .store
        .transition_many(
            &a.caller(),
            &r.ids,
            &r.action,
            Actor::Officer,
            r.reason.as_deref(),
            today(),
        )
        .await?;
    Ok(axum::Json(BatchOutcome {
        moved: moved.len(),
        applications: moved
            .into_iter()
            .map(|x| x.for_actor(Some(Actor::Officer)))
            .collect(),
    }))
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
    /// Moves the stage allows but something blocks, with what to do first (not in `actions`).
    pub held: Vec<HeldAction>,
}

/// A move held back, and why.
#[derive(Serialize, utoipa::ToSchema)]
pub struct HeldAction {
    pub action: String,
    pub label: String,
    pub reason: String,
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
    let mut application = st
        .store
        .get_application(&scope, id)
        .await?
        .for_actor(actor_of(&a));
    // 结题 needs every milestone passed: the store refuses it, and the page does not offer it.
    let mut held = Vec::new();
    let open: Vec<String> = application
        .unchecked_milestones(&milestone_checks)
        .iter()
        .map(|m| format!("第{}个", m + 1))
        .collect();
    if !open.is_empty() {
        application.actions.retain(|x| {
            if x.action != "close" {
                return true;
            }
            held.push(HeldAction {
                action: x.action.clone(),
                label: x.label.clone(),
                reason: format!("{}里程碑尚未考核通过，请先完成里程碑考核", open.join("、")),
            });
            false
        });
    }
    let call_form = st
        .store
        .list_calls(&scope)
        .await?
        .into_iter()
        .find(|c| c.id == application.call_id)
        .map(|c| c.form)
        .unwrap_or_default();
    Ok(axum::Json(ApplicationDetail {
        held,
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
    let saved = st.store.save_application(&a.caller(), None, &i).await?;
    Ok((
        StatusCode::CREATED,
        axum::Json(saved.for_actor(actor_of(&a))),
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
    let saved = st.store.save_application(&a.caller(), Some(id), &i).await?;
    Ok(axum::Json(saved.for_actor(actor_of(&a))))
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
    let actor = actor_of(&a).ok_or_else(ApiError::forbidden)?;
    let moved = st
        .store
        .transition_application(
            &a.caller(),
            id,
            &r.action,
            actor,
            r.reason.as_deref(),
            today(),
        )
        .await
        .map_err(|e| {
            let mut e = ApiError::from(e);
            // A submission missing something: one code the form knows, every field marked.
            if r.action == "submit" && e.status == StatusCode::UNPROCESSABLE_ENTITY {
                e.body.code = "application.incomplete".into();
            }
            e
        })?;
    Ok(axum::Json(moved.for_actor(Some(actor))))
}

/// 科研诚信: one page of the sanctions in scope, newest first.
#[utoipa::path(get, path = "/api/v1/sanctions", tag = "projects", params(PageRequest),
    responses((status = 200, body = Page<Sanction>), (status = 403, body = crate::error::ErrorBody)))]
pub async fn sanctions(
    State(st): State<AppState>,
    a: Auth,
    Query(p): Query<PageRequest>,
) -> ApiResult<axum::Json<Page<Sanction>>> {
    a.require("project:manage")?;
    Ok(axum::Json(st.store.list_sanctions(&a.scope(), p).await?))
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

/// One application's expert-review result, for the panel (会审决策).
#[derive(Serialize, utoipa::ToSchema)]
pub struct ReviewResultRow {
    pub application_id: i64,
    pub round_id: i64,
    pub round_title: String,
    /// Rank within its round (by normalized mean); none until scored.
    pub rank: Option<u32>,
    pub mean: Option<f64>,
    pub trimmed_mean: Option<f64>,
    pub normalized_mean: Option<f64>,
    /// Scores submitted and expected (declined tasks not counted).
    pub submitted: usize,
    pub expected: usize,
}

#[utoipa::path(get, path = "/api/v1/calls/{id}/review-results", tag = "projects", params(("id" = i64, Path)),
    responses((status = 200, body = Vec<ReviewResultRow>), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody)))]
pub async fn review_results(
    State(st): State<AppState>,
    a: Auth,
    Path(id): Path<i64>,
) -> ApiResult<axum::Json<Vec<ReviewResultRow>>> {
    a.require("project:read")?;
    a.require("review:read")?;
    let scope = a.scope();
    let call = st.store.get_call(&scope, id).await?;
    let apps: std::collections::HashSet<String> = st
        .store
        .list_applications_where(
            &scope,
            &kechuang_store::projects::ApplicationFilter {
                call_id: Some(call.id),
                ..Default::default()
            },
        )
        .await?
        .iter()
        .map(|x| format!("application:{}", x.id))
        .collect();
    // Rounds newest first: an application's latest round is the one that counts.
    let rounds = st
        .store
        .list_rounds(&scope, kechuang_store::PageRequest::new(1, 200))
        .await?;
    let mut out: Vec<ReviewResultRow> = Vec::new();
    for round in rounds
        .items
        .into_iter()
        .filter(|r| r.object_kind == "application")
    {
        let items = st.store.list_items(&scope, round.id).await?;
        let ours: Vec<_> = items
            .iter()
            .filter(|i| i.object_ref.as_ref().is_some_and(|r| apps.contains(r)))
            .collect();
        if ours.is_empty() {
            continue;
        }
        let tasks = st.store.list_assignments(&scope, Some(round.id)).await?;
        let (round_id, round_title) = (round.id, round.title.clone());
        let results = crate::review_svc::results(round, &items, &tasks, "zscore")?;
        for item in ours {
            let Some(app_id) = item
                .object_ref
                .as_deref()
                .and_then(|r| r.strip_prefix("application:"))
                .and_then(|n| n.parse::<i64>().ok())
            else {
                continue;
            };
            if out.iter().any(|r| r.application_id == app_id) {
                continue;
            }
            let live: Vec<_> = tasks
                .iter()
                .filter(|t| t.item_id == item.id && t.status != "declined")
                .collect();
            let row = results.rows.iter().find(|r| r.item_id == item.id);
            out.push(ReviewResultRow {
                application_id: app_id,
                round_id,
                round_title: round_title.clone(),
                rank: row.and_then(|r| r.rank),
                mean: row.and_then(|r| r.mean),
                trimmed_mean: row.and_then(|r| r.trimmed_mean),
                normalized_mean: row.and_then(|r| r.normalized_mean),
                submitted: live.iter().filter(|t| t.status == "submitted").count(),
                expected: live.len(),
            });
        }
    }
    Ok(axum::Json(out))
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

/// 企业出题: one page of the demands in scope, newest first.
#[utoipa::path(get, path = "/api/v1/demands", tag = "projects", params(PageRequest),
    responses((status = 200, body = Page<Demand>), (status = 403, body = crate::error::ErrorBody)))]
pub async fn demands(
    State(st): State<AppState>,
    a: Auth,
    Query(p): Query<PageRequest>,
) -> ApiResult<axum::Json<Page<Demand>>> {
    a.require("project:read")?;
    Ok(axum::Json(st.store.page_demands(&a.scope(), p).await?))
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
        axum::Json(
            st.store
                .create_call_from(&a.caller(), &c, Some(id), true)
                .await?,
        ),
    ))
}

#[utoipa::path(get, path = "/api/v1/applications/{id}/task-book.docx", tag = "projects", params(("id" = i64, Path)),
    responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"), (status = 404, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody)))]
pub async fn task_book(
    State(st): State<AppState>,
    a: Auth,
    Path(id): Path<i64>,
) -> ApiResult<axum::response::Response> {
    use crate::docs::{Document, Section};
    a.require("project:read")?;
    let rows = st.store.task_book(&a.scope(), id).await?;
    st.store
        .audit_event(&a.caller(), "download", "task_book", &id.to_string(), None)
        .await?;
    let mut basic = Vec::new();
    let mut budget = Vec::new();
    let mut targets = Vec::new();
    let mut duties = Vec::new();
    for (k, v) in rows {
        if let Some(item) = k.strip_prefix("预算：") {
            budget.push((item.to_owned(), format!("{}万元", wan(&v))));
        } else if k.starts_with("里程碑") {
            targets.push((k, v));
        } else if k == "科研诚信" || k == "伦理审查备案号" {
            duties.push((k, v));
        } else if k == "批准经费（元）" {
            basic.push(("批准经费".to_owned(), format!("{}万元", wan(&v))));
        } else {
            basic.push((k, v));
        }
    }
    let title = basic
        .iter()
        .find(|(k, _)| k == "项目名称")
        .map(|(_, v)| v.clone())
        .unwrap_or_default();
    let number = basic
        .iter()
        .find(|(k, _)| k == "项目编号")
        .map(|(_, v)| v.clone())
        .unwrap_or_default();
    let doc = Document {
        title: "科技计划项目任务书".into(),
        subtitle: Some(format!("项目编号：{number}")),
        sections: vec![
            Section {
                heading: "一、基本信息".into(),
                rows: basic,
            },
            Section {
                heading: "二、经费预算".into(),
                rows: budget,
            },
            Section {
                heading: "三、里程碑与考核指标".into(),
                rows: targets,
            },
            Section {
                heading: "四、承诺与责任".into(),
                rows: duties,
            },
        ],
        signatures: vec![
            "项目承担单位（盖章）：                    法定代表人（签字）：".into(),
            "项目负责人（签字）：                      日期：    年  月  日".into(),
            "科技主管部门（盖章）：                    日期：    年  月  日".into(),
        ],
    };
    let bytes = doc.to_docx().map_err(|e| {
        tracing::error!(error = %e, "docx");
        ApiError::internal()
    })?;
    Ok(crate::docs::docx_response(
        &format!("任务书-{title}"),
        bytes,
    ))
}
