//! 科学技术奖励 endpoints: calls, 提名 by units and experts, 形式审查, 专家评审 (a review round
//! of the kind 奖励提名), 评审委员会审定 by the `science-award` pack, 公示 with 异议, 授奖; and the
//! national and provincial awards won (their matching reward is paid by the 科技奖补 programme).
//!
//! `award:read` reads calls and the notice and files objections; `award:nominate` nominates;
//! `award:manage` is the bureau's. The store scopes nominations by region, completing unit and
//! nominating account.

use crate::AppState;
use crate::api::today;
use crate::auth::Auth;
use crate::error::ApiResult;
use crate::extract::{Json, Path, Query};
use crate::platform_svc;
use axum::extract::State;
use axum::http::StatusCode;
use kechuang_domain::award::*;
use kechuang_domain::review::{Criterion as FormItem, NewRound, ObjectKind, RoundInput};
use kechuang_store::awards::{
    AwardCall, AwardWin, CallFilter, Nomination, NominationFilter, Objection, ObjectionFilter,
    WinFilter,
};
use kechuang_store::{DataScope, Page, PageRequest};
use serde::{Deserialize, Serialize};

fn nominates(a: &Auth) -> ApiResult<()> {
    a.require("award:nominate")
        .or_else(|_| a.require("award:manage"))
}

#[utoipa::path(get, path = "/api/v1/awards/calls", tag = "awards", params(CallFilter, PageRequest),
    responses((status = 200, body = Page<AwardCall>), (status = 403, body = crate::error::ErrorBody)))]
pub async fn list_calls(
    State(st): State<AppState>,
    a: Auth,
    Query(f): Query<CallFilter>,
    Query(p): Query<PageRequest>,
) -> ApiResult<axum::Json<Page<AwardCall>>> {
    a.require("award:read")?;
    let home = home(&st, &a).await?;
    Ok(axum::Json(
        st.store.list_award_calls(home.as_deref(), &f, p).await?,
    ))
}

/// The region whose calls the caller sees: its own, those above it and those below it.
async fn home(st: &AppState, a: &Auth) -> ApiResult<Option<String>> {
    Ok(match a.scope() {
        DataScope::Region { path, .. } => Some(path),
        DataScope::Organization { org_id } => Some(
            st.store
                .get_organization(&DataScope::All, org_id)
                .await?
                .region_path,
        ),
        DataScope::SelfOnly { .. } | DataScope::All => None,
    })
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct PersonQuery {
    /// 姓名（至少2个字）
    pub q: String,
}

/// A registered person as a nominator sees them when naming a team: name, unit and title.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct TeamCandidate {
    pub id: i64,
    pub name: String,
    pub org_id: Option<i64>,
    pub org_name: Option<String>,
    pub title: Option<String>,
}

/// 主要完成人 candidates for a nominator (an expert's own scope holds only themself): at most
/// 20 persons whose name contains `q` (two characters or more), with public fields only.
#[utoipa::path(get, path = "/api/v1/awards/persons", tag = "awards", params(PersonQuery),
    responses((status = 200, body = Vec<TeamCandidate>), (status = 403, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn team_candidates(
    State(st): State<AppState>,
    a: Auth,
    Query(q): Query<PersonQuery>,
) -> ApiResult<axum::Json<Vec<TeamCandidate>>> {
    nominates(&a)?;
    let name = q.q.trim();
    if name.chars().count() < 2 {
        return Err(
            kechuang_domain::Invalid::one("q", "q.too_short", "请输入至少2个字的姓名").into(),
        );
    }
    let f = kechuang_store::persons::PersonFilter {
        q: Some(name.to_owned()),
        ..Default::default()
    };
    let page = st
        .store
        .list_persons(&DataScope::All, &f, PageRequest::new(1, 20))
        .await?;
    Ok(axum::Json(
        page.items
            .into_iter()
            .map(|p| TeamCandidate {
                id: p.id,
                name: p.name,
                org_id: p.org_id,
                org_name: p.org_name,
                title: p.title,
            })
            .collect(),
    ))
}

#[utoipa::path(get, path = "/api/v1/awards/calls/{id}", tag = "awards", params(("id" = i64, Path)),
    responses((status = 200, body = AwardCall), (status = 404, body = crate::error::ErrorBody)))]
pub async fn get_call(
    State(st): State<AppState>,
    a: Auth,
    Path(id): Path<i64>,
) -> ApiResult<axum::Json<AwardCall>> {
    a.require("award:read")?;
    let home = home(&st, &a).await?;
    Ok(axum::Json(
        st.store.get_award_call(home.as_deref(), id).await?,
    ))
}

/// A call of the bureau's region; its notice period is the `science-award` pack's.
#[utoipa::path(post, path = "/api/v1/awards/calls", tag = "awards", request_body = CallInput,
    responses((status = 201, body = AwardCall), (status = 409, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn create_call(
    State(st): State<AppState>,
    a: Auth,
    Json(i): Json<CallInput>,
) -> ApiResult<(StatusCode, axum::Json<AwardCall>)> {
    a.require("award:manage")?;
    let c = NewCall::parse(&i, today())?;
    let days = platform_svc::notice_days(c.year)?;
    Ok((
        StatusCode::CREATED,
        axum::Json(st.store.create_award_call(&a.caller(), &c, days).await?),
    ))
}

#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct AwardReviewInput {
    pub reviewers_per_item: Option<u32>,
    pub due_on: Option<String>,
}

fn award_form() -> Vec<FormItem> {
    [
        (
            "innovation",
            "创新性",
            30,
            "主要科技创新的原创性、先进性与技术难度",
        ),
        (
            "level",
            "技术水平",
            25,
            "与国内外同类技术相比的水平，知识产权与标准",
        ),
        (
            "benefit",
            "经济社会效益",
            30,
            "近三年的应用规模、新增销售收入与利润、社会效益",
        ),
        ("prospect", "推广应用前景", 15, "对行业和区域产业的带动作用"),
    ]
    .into_iter()
    .map(|(k, l, m, g)| FormItem {
        key: k.into(),
        label: l.into(),
        max: m,
        guide: Some(g.into()),
    })
    .collect()
}

/// 组织专家评审 over the nominations that passed 形式审查 (every submitted nomination must
/// have been checked first).
#[utoipa::path(post, path = "/api/v1/awards/calls/{id}/review", tag = "awards", params(("id" = i64, Path)), request_body = AwardReviewInput,
    responses((status = 201, body = kechuang_store::review::Round), (status = 409, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn start_review(
    State(st): State<AppState>,
    a: Auth,
    Path(id): Path<i64>,
    Json(i): Json<AwardReviewInput>,
) -> ApiResult<(StatusCode, axum::Json<kechuang_store::review::Round>)> {
    a.require("award:manage")?;
    a.require("review:manage")?;
    let call = st
        .store
        .get_award_call(home(&st, &a).await?.as_deref(), id)
        .await?;
    let r = NewRound::parse(&RoundInput {
        title: format!("{}专家评审", call.title),
        object_kind: ObjectKind::Award.as_str().into(),
        region: None,
        reviewers_per_item: i.reviewers_per_item.unwrap_or(3),
        max_load: 20,
        coauthor_years: None,
        exclude_same_county: false,
        due_on: i.due_on.clone().filter(|s| !s.trim().is_empty()),
        form: award_form(),
    })?;
    Ok((
        StatusCode::CREATED,
        axum::Json(st.store.start_award_review(&a.caller(), id, &r).await?),
    ))
}

/// 评审委员会审定: grades and prizes from the experts' means; the call goes to 公示.
#[utoipa::path(post, path = "/api/v1/awards/calls/{id}/panel", tag = "awards", params(("id" = i64, Path)),
    responses((status = 200, body = AwardCall), (status = 409, body = crate::error::ErrorBody)))]
pub async fn panel(
    State(st): State<AppState>,
    a: Auth,
    Path(id): Path<i64>,
) -> ApiResult<axum::Json<AwardCall>> {
    a.require("award:manage")?;
    let (call, rows) = st.store.panel_inputs(&a.scope(), id).await?;
    let answers = platform_svc::panel(&call, &rows)?;
    Ok(axum::Json(
        st.store
            .apply_panel(&a.caller(), id, &answers, today())
            .await?,
    ))
}

/// 授奖: after the notice's last day, with every objection decided.
#[utoipa::path(post, path = "/api/v1/awards/calls/{id}/confer", tag = "awards", params(("id" = i64, Path)),
    responses((status = 200, body = AwardCall), (status = 409, body = crate::error::ErrorBody)))]
pub async fn confer(
    State(st): State<AppState>,
    a: Auth,
    Path(id): Path<i64>,
) -> ApiResult<axum::Json<AwardCall>> {
    a.require("award:manage")?;
    Ok(axum::Json(
        st.store.confer_awards(&a.caller(), id, today()).await?,
    ))
}

#[utoipa::path(get, path = "/api/v1/awards/nominations", tag = "awards", params(NominationFilter, PageRequest),
    responses((status = 200, body = Page<Nomination>), (status = 403, body = crate::error::ErrorBody)))]
pub async fn list_nominations(
    State(st): State<AppState>,
    a: Auth,
    Query(f): Query<NominationFilter>,
    Query(p): Query<PageRequest>,
) -> ApiResult<axum::Json<Page<Nomination>>> {
    a.require("award:read")?;
    Ok(axum::Json(
        st.store.list_nominations(&a.scope(), &f, p).await?,
    ))
}

#[utoipa::path(get, path = "/api/v1/awards/nominations/{id}", tag = "awards", params(("id" = i64, Path)),
    responses((status = 200, body = Nomination), (status = 404, body = crate::error::ErrorBody)))]
pub async fn get_nomination(
    State(st): State<AppState>,
    a: Auth,
    Path(id): Path<i64>,
) -> ApiResult<axum::Json<Nomination>> {
    a.require("award:read")?;
    Ok(axum::Json(st.store.get_nomination(&a.scope(), id).await?))
}

#[utoipa::path(post, path = "/api/v1/awards/nominations", tag = "awards", request_body = NominationInput,
    responses((status = 201, body = Nomination), (status = 409, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn create_nomination(
    State(st): State<AppState>,
    a: Auth,
    Json(i): Json<NominationInput>,
) -> ApiResult<(StatusCode, axum::Json<Nomination>)> {
    nominates(&a)?;
    let n = NewNomination::parse(&i)?;
    Ok((
        StatusCode::CREATED,
        axum::Json(st.store.create_nomination(&a.caller(), &n, today()).await?),
    ))
}

#[utoipa::path(put, path = "/api/v1/awards/nominations/{id}", tag = "awards", params(("id" = i64, Path)), request_body = NominationInput,
    responses((status = 200, body = Nomination), (status = 409, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn update_nomination(
    State(st): State<AppState>,
    a: Auth,
    Path(id): Path<i64>,
    Json(i): Json<NominationInput>,
) -> ApiResult<axum::Json<Nomination>> {
    nominates(&a)?;
    st.store.get_nomination(&a.scope(), id).await?;
    let n = NewNomination::parse(&i)?;
    Ok(axum::Json(
        st.store
            .update_nomination(&a.caller(), id, &n, today())
            .await?,
    ))
}

#[utoipa::path(post, path = "/api/v1/awards/nominations/{id}/submit", tag = "awards", params(("id" = i64, Path)),
    responses((status = 200, body = Nomination), (status = 409, body = crate::error::ErrorBody)))]
pub async fn submit_nomination(
    State(st): State<AppState>,
    a: Auth,
    Path(id): Path<i64>,
) -> ApiResult<axum::Json<Nomination>> {
    nominates(&a)?;
    Ok(axum::Json(
        st.store.submit_nomination(&a.caller(), id, today()).await?,
    ))
}

#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct CheckInput {
    pub pass: bool,
    pub note: String,
}

#[utoipa::path(post, path = "/api/v1/awards/nominations/{id}/check", tag = "awards", params(("id" = i64, Path)), request_body = CheckInput,
    responses((status = 200, body = Nomination), (status = 409, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn check_nomination(
    State(st): State<AppState>,
    a: Auth,
    Path(id): Path<i64>,
    Json(i): Json<CheckInput>,
) -> ApiResult<axum::Json<Nomination>> {
    a.require("award:manage")?;
    st.store.get_nomination(&a.scope(), id).await?;
    Ok(axum::Json(
        st.store
            .check_nomination(&a.caller(), id, i.pass, &i.note)
            .await?,
    ))
}

/// The 公示: proposed awards of every call in notice.
#[utoipa::path(get, path = "/api/v1/awards/notice", tag = "awards", params(PageRequest),
    responses((status = 200, body = Page<Nomination>), (status = 403, body = crate::error::ErrorBody)))]
pub async fn notice(
    State(st): State<AppState>,
    a: Auth,
    Query(p): Query<PageRequest>,
) -> ApiResult<axum::Json<Page<Nomination>>> {
    a.require("award:read")?;
    Ok(axum::Json(st.store.award_notice(p).await?))
}

#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
#[schema(as = AwardObjectionInput)]
pub struct ObjectionInput {
    /// 异议的事实和理由
    pub content: String,
}

#[utoipa::path(post, path = "/api/v1/awards/nominations/{id}/objections", tag = "awards", params(("id" = i64, Path)), request_body = ObjectionInput,
    responses((status = 201, body = Objection), (status = 409, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn file_objection(
    State(st): State<AppState>,
    a: Auth,
    Path(id): Path<i64>,
    Json(i): Json<ObjectionInput>,
) -> ApiResult<(StatusCode, axum::Json<Objection>)> {
    a.require("award:read")?;
    Ok((
        StatusCode::CREATED,
        axum::Json(
            st.store
                .file_award_objection(&a.caller(), id, &i.content, today())
                .await?,
        ),
    ))
}

#[utoipa::path(get, path = "/api/v1/awards/objections", tag = "awards", params(ObjectionFilter),
    responses((status = 200, body = Vec<Objection>), (status = 403, body = crate::error::ErrorBody)))]
pub async fn list_objections(
    State(st): State<AppState>,
    a: Auth,
    Query(f): Query<ObjectionFilter>,
) -> ApiResult<axum::Json<Vec<Objection>>> {
    a.require("award:read")?;
    Ok(axum::Json(
        st.store.list_award_objections(&a.scope(), &f).await?,
    ))
}

#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
#[schema(as = AwardResolveInput)]
pub struct ResolveInput {
    pub upheld: bool,
    pub resolution: String,
}

#[utoipa::path(post, path = "/api/v1/awards/objections/{id}/resolve", tag = "awards", params(("id" = i64, Path)), request_body = ResolveInput,
    responses((status = 200, body = Objection), (status = 409, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn resolve_objection(
    State(st): State<AppState>,
    a: Auth,
    Path(id): Path<i64>,
    Json(i): Json<ResolveInput>,
) -> ApiResult<axum::Json<Objection>> {
    a.require("award:manage")?;
    Ok(axum::Json(
        st.store
            .resolve_award_objection(&a.caller(), id, i.upheld, &i.resolution)
            .await?,
    ))
}

/// The nomination a review task is about (the expert reads what they score).
#[utoipa::path(get, path = "/api/v1/review/assignments/{id}/nomination", tag = "review", params(("id" = i64, Path)),
    responses((status = 200, body = Nomination), (status = 404, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody)))]
pub async fn review_nomination(
    State(st): State<AppState>,
    a: Auth,
    Path(id): Path<i64>,
) -> ApiResult<axum::Json<Nomination>> {
    a.require("review:score")?;
    Ok(axum::Json(
        st.store.nomination_for_review(&a.scope(), id).await?,
    ))
}

#[utoipa::path(get, path = "/api/v1/awards/wins", tag = "awards", params(WinFilter, PageRequest),
    responses((status = 200, body = Page<AwardWin>), (status = 403, body = crate::error::ErrorBody)))]
pub async fn list_wins(
    State(st): State<AppState>,
    a: Auth,
    Query(f): Query<WinFilter>,
    Query(p): Query<PageRequest>,
) -> ApiResult<axum::Json<Page<AwardWin>>> {
    a.require("award:read")?;
    Ok(axum::Json(
        st.store.list_award_wins(&a.scope(), &f, p).await?,
    ))
}

/// 上级科技奖励: basis of the matching reward (科技奖补, category 4 of the `rewards` pack).
#[utoipa::path(post, path = "/api/v1/awards/wins", tag = "awards", request_body = WinInput,
    responses((status = 201, body = AwardWin), (status = 409, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn create_win(
    State(st): State<AppState>,
    a: Auth,
    Json(i): Json<WinInput>,
) -> ApiResult<(StatusCode, axum::Json<AwardWin>)> {
    a.require("award:manage")?;
    let w = NewWin::parse(&i, today())?;
    Ok((
        StatusCode::CREATED,
        axum::Json(st.store.create_award_win(&a.caller(), &w).await?),
    ))
}
