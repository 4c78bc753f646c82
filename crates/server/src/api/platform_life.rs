//! 平台全生命周期 endpoints: 认定申报 and 认定 (with the platform's ladder), 年报, 绩效评价 through
//! a review round and 评定等级 by the `platform-evaluation` pack, 培育后备库 with the next
//! level's conditions, and the carriers' 在孵企业.
//!
//! Reading takes `platform:read`; an organization's own side (its platforms' applications,
//! reports and incubatees) `platform:apply`; the bureau's decisions `platform:evaluate`. The
//! store scopes every read and write by region and organization.

use crate::AppState;
use crate::api::today;
use crate::auth::Auth;
use crate::error::ApiResult;
use crate::extract::{Json, Path, Query};
use crate::platform_svc::{self, UpgradeAnswer};
use axum::extract::State;
use axum::http::StatusCode;
use kechuang_domain::Invalid;
use kechuang_domain::platform_life::*;
use kechuang_domain::review::{Criterion as FormItem, NewRound, ObjectKind, RoundInput};
use kechuang_store::carriers::{Carrier, Incubatee, IncubateeFilter};
use kechuang_store::platform_life::{
    PlatformReport, PoolEntry, PoolFilter, Recognition, RecognitionFilter, ReportFilter,
};
use kechuang_store::platforms::PlatformFilter;
use kechuang_store::{Page, PageRequest};
use serde::{Deserialize, Serialize};

fn applies(a: &Auth) -> ApiResult<()> {
    a.require("platform:apply")
        .or_else(|_| a.require("platform:evaluate"))
}

// ---------------------------------------------------------------- recognitions

#[utoipa::path(get, path = "/api/v1/platform-recognitions", tag = "platforms", params(RecognitionFilter, PageRequest),
    responses((status = 200, body = Page<Recognition>), (status = 403, body = crate::error::ErrorBody)))]
pub async fn list_recognitions(
    State(st): State<AppState>,
    a: Auth,
    Query(f): Query<RecognitionFilter>,
    Query(p): Query<PageRequest>,
) -> ApiResult<axum::Json<Page<Recognition>>> {
    a.require("platform:read")?;
    Ok(axum::Json(
        st.store.list_recognitions(&a.scope(), &f, p).await?,
    ))
}

/// 认定申报: an existing platform at a higher level, or a new platform (registered in 培育).
#[utoipa::path(post, path = "/api/v1/platform-recognitions", tag = "platforms", request_body = RecognitionInput,
    responses((status = 201, body = Recognition), (status = 409, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn apply_recognition(
    State(st): State<AppState>,
    a: Auth,
    Json(i): Json<RecognitionInput>,
) -> ApiResult<(StatusCode, axum::Json<Recognition>)> {
    applies(&a)?;
    let r = NewRecognition::parse(&i)?;
    Ok((
        StatusCode::CREATED,
        axum::Json(st.store.apply_recognition(&a.caller(), &r, today()).await?),
    ))
}

#[utoipa::path(post, path = "/api/v1/platform-recognitions/{id}/decide", tag = "platforms", params(("id" = i64, Path)), request_body = DecideRecognitionInput,
    responses((status = 200, body = Recognition), (status = 409, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn decide_recognition(
    State(st): State<AppState>,
    a: Auth,
    Path(id): Path<i64>,
    Json(i): Json<DecideRecognitionInput>,
) -> ApiResult<axum::Json<Recognition>> {
    a.require("platform:evaluate")?;
    let d = RecognitionDecision::parse(&i, today())?;
    Ok(axum::Json(
        st.store.decide_recognition(&a.caller(), id, &d).await?,
    ))
}

/// The platform's ladder: its recognitions, oldest first.
#[utoipa::path(get, path = "/api/v1/platforms/{id}/recognitions", tag = "platforms", params(("id" = i64, Path)),
    responses((status = 200, body = Vec<Recognition>), (status = 404, body = crate::error::ErrorBody)))]
pub async fn platform_history(
    State(st): State<AppState>,
    a: Auth,
    Path(id): Path<i64>,
) -> ApiResult<axum::Json<Vec<Recognition>>> {
    a.require("platform:read")?;
    Ok(axum::Json(st.store.platform_history(&a.scope(), id).await?))
}

// ---------------------------------------------------------------- reports

#[utoipa::path(get, path = "/api/v1/platform-reports", tag = "platforms", params(ReportFilter, PageRequest),
    responses((status = 200, body = Page<PlatformReport>), (status = 403, body = crate::error::ErrorBody)))]
pub async fn list_reports(
    State(st): State<AppState>,
    a: Auth,
    Query(f): Query<ReportFilter>,
    Query(p): Query<PageRequest>,
) -> ApiResult<axum::Json<Page<PlatformReport>>> {
    a.require("platform:read")?;
    Ok(axum::Json(
        st.store.list_platform_reports(&a.scope(), &f, p).await?,
    ))
}

#[utoipa::path(get, path = "/api/v1/platform-reports/{id}", tag = "platforms", params(("id" = i64, Path)),
    responses((status = 200, body = PlatformReport), (status = 404, body = crate::error::ErrorBody)))]
pub async fn get_report(
    State(st): State<AppState>,
    a: Auth,
    Path(id): Path<i64>,
) -> ApiResult<axum::Json<PlatformReport>> {
    a.require("platform:read")?;
    Ok(axum::Json(
        st.store.get_platform_report(&a.scope(), id).await?,
    ))
}

/// A platform's reports, newest year first.
#[utoipa::path(get, path = "/api/v1/platforms/{id}/reports", tag = "platforms", params(("id" = i64, Path)),
    responses((status = 200, body = Vec<PlatformReport>), (status = 404, body = crate::error::ErrorBody)))]
pub async fn platform_reports(
    State(st): State<AppState>,
    a: Auth,
    Path(id): Path<i64>,
) -> ApiResult<axum::Json<Vec<PlatformReport>>> {
    a.require("platform:read")?;
    st.store.get_platform(&a.scope(), id).await?;
    let f = ReportFilter {
        platform_id: Some(id),
        ..Default::default()
    };
    Ok(axum::Json(
        st.store
            .export_platform_reports(&a.scope(), &f, 200)
            .await?,
    ))
}

#[utoipa::path(post, path = "/api/v1/platform-reports", tag = "platforms", request_body = ReportInput,
    responses((status = 201, body = PlatformReport), (status = 409, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn create_report(
    State(st): State<AppState>,
    a: Auth,
    Json(i): Json<ReportInput>,
) -> ApiResult<(StatusCode, axum::Json<PlatformReport>)> {
    applies(&a)?;
    let r = NewReport::parse(&i, today())?;
    Ok((
        StatusCode::CREATED,
        axum::Json(st.store.create_platform_report(&a.caller(), &r).await?),
    ))
}

#[utoipa::path(put, path = "/api/v1/platform-reports/{id}", tag = "platforms", params(("id" = i64, Path)), request_body = ReportInput,
    responses((status = 200, body = PlatformReport), (status = 409, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn update_report(
    State(st): State<AppState>,
    a: Auth,
    Path(id): Path<i64>,
    Json(i): Json<ReportInput>,
) -> ApiResult<axum::Json<PlatformReport>> {
    applies(&a)?;
    st.store.get_platform_report(&a.scope(), id).await?;
    let r = NewReport::parse(&i, today())?;
    Ok(axum::Json(
        st.store.update_platform_report(&a.caller(), id, &r).await?,
    ))
}

#[utoipa::path(post, path = "/api/v1/platform-reports/{id}/submit", tag = "platforms", params(("id" = i64, Path)),
    responses((status = 200, body = PlatformReport), (status = 409, body = crate::error::ErrorBody)))]
pub async fn submit_report(
    State(st): State<AppState>,
    a: Auth,
    Path(id): Path<i64>,
) -> ApiResult<axum::Json<PlatformReport>> {
    applies(&a)?;
    Ok(axum::Json(
        st.store
            .submit_platform_report(&a.caller(), id, today())
            .await?,
    ))
}

#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct EvaluationInput {
    /// 评审名称
    pub title: String,
    pub year: i32,
    pub report_ids: Vec<i64>,
    /// 每份年报的评审专家数 (default 3)
    pub reviewers_per_item: Option<u32>,
    /// 评审截止日期
    pub due_on: Option<String>,
    /// 评审专业: fields every report's experts may come from, beside its host staff's fields.
    pub disciplines: Vec<String>,
}

/// The scoring form of a platform evaluation (the bureau's usual four parts).
fn evaluation_form() -> Vec<FormItem> {
    [
        (
            "conditions",
            "研发条件与投入",
            25,
            "研发人员、研发投入、仪器设备与场地的规模和增长",
        ),
        ("output", "研发产出", 30, "承担项目、专利、论文、标准等成果"),
        (
            "service",
            "成果转化与服务",
            25,
            "成果转化、对外服务、在孵企业培育（载体）",
        ),
        ("management", "运行管理", 20, "管理制度、开放共享、年报质量"),
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

/// 组织绩效评价: a review round over submitted reports (the experts then score in 评审).
#[utoipa::path(post, path = "/api/v1/platform-evaluations", tag = "platforms", request_body = EvaluationInput,
    responses((status = 201, body = kechuang_store::review::Round), (status = 409, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn start_evaluation(
    State(st): State<AppState>,
    a: Auth,
    Json(i): Json<EvaluationInput>,
) -> ApiResult<(StatusCode, axum::Json<kechuang_store::review::Round>)> {
    a.require("platform:evaluate")?;
    a.require("review:manage")?;
    let title = if i.title.trim().is_empty() {
        format!("{}年度创新平台绩效评价", i.year)
    } else {
        i.title.clone()
    };
    let r = NewRound::parse(&RoundInput {
        title,
        object_kind: ObjectKind::PlatformEvaluation.as_str().into(),
        region: None,
        reviewers_per_item: i.reviewers_per_item.unwrap_or(3),
        max_load: 20,
        coauthor_years: None,
        exclude_same_county: false,
        due_on: i.due_on.clone().filter(|s| !s.trim().is_empty()),
        form: evaluation_form(),
    })?;
    Ok((
        StatusCode::CREATED,
        axum::Json(
            st.store
                .start_platform_evaluation(&a.caller(), &r, &i.report_ids, &i.disciplines)
                .await?,
        ),
    ))
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct GradeOutcome {
    pub graded: usize,
    pub reports: Vec<PlatformReport>,
}

/// 评定等级: every report of a closed round graded by the pack, with its consequence.
#[utoipa::path(post, path = "/api/v1/platform-evaluations/{round_id}/grade", tag = "platforms", params(("round_id" = i64, Path)),
    responses((status = 200, body = GradeOutcome), (status = 409, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn grade_round(
    State(st): State<AppState>,
    a: Auth,
    Path(round_id): Path<i64>,
) -> ApiResult<axum::Json<GradeOutcome>> {
    a.require("platform:evaluate")?;
    let inputs = st.store.grade_inputs(&a.scope(), round_id).await?;
    let answers = inputs
        .iter()
        .map(platform_svc::grade)
        .collect::<Result<Vec<_>, Invalid>>()?;
    let reports = st
        .store
        .apply_grades(&a.caller(), round_id, &answers, today())
        .await?;
    Ok(axum::Json(GradeOutcome {
        graded: reports.len(),
        reports,
    }))
}

/// The report a review task is about (the expert reads what they score).
#[utoipa::path(get, path = "/api/v1/review/assignments/{id}/platform-report", tag = "review", params(("id" = i64, Path)),
    responses((status = 200, body = PlatformReport), (status = 404, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody)))]
pub async fn review_report(
    State(st): State<AppState>,
    a: Auth,
    Path(id): Path<i64>,
) -> ApiResult<axum::Json<PlatformReport>> {
    a.require("review:score")?;
    Ok(axum::Json(
        st.store.report_for_review(&a.scope(), id).await?,
    ))
}

// ---------------------------------------------------------------- upgrade and pool

/// What the platform meets and lacks for the next level (422 `upgrade.no_pack` when no pack
/// applies to its type and level).
#[utoipa::path(get, path = "/api/v1/platforms/{id}/upgrade", tag = "platforms", params(("id" = i64, Path)),
    responses((status = 200, body = UpgradeAnswer), (status = 404, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn upgrade(
    State(st): State<AppState>,
    a: Auth,
    Path(id): Path<i64>,
) -> ApiResult<axum::Json<UpgradeAnswer>> {
    a.require("platform:read")?;
    let facts = st.store.upgrade_facts(&a.scope(), id).await?;
    match platform_svc::upgrade(&facts, today())? {
        Some(u) => Ok(axum::Json(u)),
        None => Err(Invalid::one(
            "platform_id",
            "upgrade.no_pack",
            format!(
                "{}（{}{}）暂无上一级认定条件的政策包",
                facts.platform.name, facts.platform.level_label, facts.platform.platform_type_label
            ),
        )
        .into()),
    }
}

#[utoipa::path(get, path = "/api/v1/platform-pool", tag = "platforms", params(PoolFilter, PageRequest),
    responses((status = 200, body = Page<PoolEntry>), (status = 403, body = crate::error::ErrorBody)))]
pub async fn list_pool(
    State(st): State<AppState>,
    a: Auth,
    Query(f): Query<PoolFilter>,
    Query(p): Query<PageRequest>,
) -> ApiResult<axum::Json<Page<PoolEntry>>> {
    a.require("platform:read")?;
    let mut page = st.store.list_pool(&a.scope(), &f, p).await?;
    for e in &mut page.items {
        let facts = st.store.upgrade_facts(&a.scope(), e.platform_id).await?;
        if let Some(u) = platform_svc::upgrade(&facts, today())? {
            e.qualified = u.qualified;
            e.met = u.met;
            e.total = u.total;
            e.lacking = u.lacking();
        }
    }
    Ok(axum::Json(page))
}

#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
#[schema(as = PlatformPoolInput)]
pub struct PoolInput {
    pub platform_id: i64,
    pub note: String,
}

#[utoipa::path(post, path = "/api/v1/platform-pool", tag = "platforms", request_body = PoolInput,
    responses((status = 201, body = PoolEntry), (status = 409, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn enter_pool(
    State(st): State<AppState>,
    a: Auth,
    Json(i): Json<PoolInput>,
) -> ApiResult<(StatusCode, axum::Json<PoolEntry>)> {
    a.require("platform:evaluate")?;
    let p = st.store.get_platform(&a.scope(), i.platform_id).await?;
    let t = kechuang_domain::platform::PlatformType::parse(&p.platform_type)?;
    let l = kechuang_domain::platform::PlatformLevel::parse(&p.level)?;
    let Some((pack, target)) = upgrade_pack(t, l) else {
        return Err(Invalid::one(
            "platform_id",
            "upgrade.no_pack",
            format!(
                "{}（{}{}）暂无上一级认定条件的政策包，不能按条件培育",
                p.name, p.level_label, p.platform_type_label
            ),
        )
        .into());
    };
    Ok((
        StatusCode::CREATED,
        axum::Json(
            st.store
                .enter_pool(&a.caller(), p.id, pack, target, &i.note, today())
                .await?,
        ),
    ))
}

#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
#[schema(as = PlatformReasonInput)]
pub struct ReasonInput {
    pub reason: String,
}

#[utoipa::path(post, path = "/api/v1/platform-pool/{id}/exit", tag = "platforms", params(("id" = i64, Path)), request_body = ReasonInput,
    responses((status = 200, body = PoolEntry), (status = 409, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn exit_pool(
    State(st): State<AppState>,
    a: Auth,
    Path(id): Path<i64>,
    Json(i): Json<ReasonInput>,
) -> ApiResult<axum::Json<PoolEntry>> {
    a.require("platform:evaluate")?;
    st.store.get_pool_entry(&a.scope(), id).await?;
    Ok(axum::Json(
        st.store
            .exit_pool(&a.caller(), id, &i.reason, today())
            .await?,
    ))
}

// ---------------------------------------------------------------- carriers

#[utoipa::path(get, path = "/api/v1/carriers", tag = "platforms", params(PlatformFilter, PageRequest),
    responses((status = 200, body = Page<Carrier>), (status = 403, body = crate::error::ErrorBody)))]
pub async fn list_carriers(
    State(st): State<AppState>,
    a: Auth,
    Query(f): Query<PlatformFilter>,
    Query(p): Query<PageRequest>,
) -> ApiResult<axum::Json<Page<Carrier>>> {
    a.require("platform:read")?;
    Ok(axum::Json(st.store.list_carriers(&a.scope(), &f, p).await?))
}

#[utoipa::path(get, path = "/api/v1/incubatees", tag = "platforms", params(IncubateeFilter, PageRequest),
    responses((status = 200, body = Page<Incubatee>), (status = 403, body = crate::error::ErrorBody)))]
pub async fn list_incubatees(
    State(st): State<AppState>,
    a: Auth,
    Query(f): Query<IncubateeFilter>,
    Query(p): Query<PageRequest>,
) -> ApiResult<axum::Json<Page<Incubatee>>> {
    a.require("platform:read")?;
    Ok(axum::Json(
        st.store.list_incubatees(&a.scope(), &f, p).await?,
    ))
}

/// 入孵: inside the carrier's region, in no other carrier, young enough (the pack's limits).
#[utoipa::path(post, path = "/api/v1/platforms/{id}/incubatees", tag = "platforms", params(("id" = i64, Path)), request_body = IncubateeInput,
    responses((status = 201, body = Incubatee), (status = 409, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn add_incubatee(
    State(st): State<AppState>,
    a: Auth,
    Path(id): Path<i64>,
    Json(i): Json<IncubateeInput>,
) -> ApiResult<(StatusCode, axum::Json<Incubatee>)> {
    applies(&a)?;
    st.store.get_platform(&a.scope(), id).await?;
    let n = NewIncubatee::parse(&i, today())?;
    let limits = platform_svc::entry_limits(chrono::Datelike::year(&n.entered_on))?;
    Ok((
        StatusCode::CREATED,
        axum::Json(st.store.add_incubatee(&a.caller(), id, &n, limits).await?),
    ))
}

#[utoipa::path(post, path = "/api/v1/incubatees/{id}/graduate", tag = "platforms", params(("id" = i64, Path)), request_body = LeaveInput,
    responses((status = 200, body = Incubatee), (status = 409, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn graduate_incubatee(
    State(st): State<AppState>,
    a: Auth,
    Path(id): Path<i64>,
    Json(i): Json<LeaveInput>,
) -> ApiResult<axum::Json<Incubatee>> {
    applies(&a)?;
    let l = Leave::parse(&i, true, today())?;
    Ok(axum::Json(
        st.store.leave_incubatee(&a.caller(), id, &l).await?,
    ))
}

#[utoipa::path(post, path = "/api/v1/incubatees/{id}/exit", tag = "platforms", params(("id" = i64, Path)), request_body = LeaveInput,
    responses((status = 200, body = Incubatee), (status = 409, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn exit_incubatee(
    State(st): State<AppState>,
    a: Auth,
    Path(id): Path<i64>,
    Json(i): Json<LeaveInput>,
) -> ApiResult<axum::Json<Incubatee>> {
    applies(&a)?;
    let l = Leave::parse(&i, false, today())?;
    Ok(axum::Json(
        st.store.leave_incubatee(&a.caller(), id, &l).await?,
    ))
}
