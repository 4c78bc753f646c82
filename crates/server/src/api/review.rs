//! 专家评审 endpoints: the expert pool, review rounds (set-up, assignment with reasons, manual
//! adjustment, publication, reminders, results) and the expert's workspace (tasks, scoring,
//! decline / conflict declaration with automatic 递补).

use crate::AppState;
use crate::api::{Done, today};
use crate::auth::Auth;
use crate::error::ApiResult;
use crate::extract::{Json, Path, Query};
use crate::review_svc::{self, AssignOutcome, AssignRequest, Candidate, Exclusion, Results};
use axum::extract::State;
use axum::http::StatusCode;
use kechuang_domain::DataScope;
use kechuang_domain::review::{ItemInput, NewRound, RoundInput};
use kechuang_store::review::{
    Assignment, Expert, ExpertFilter, ExpertProfileInput, Item, ManualChange, PersonLink,
    ReviewObject, Round, ScoreInput,
};
use kechuang_store::{Page, PageRequest};
use serde::{Deserialize, Serialize};

#[utoipa::path(get, path = "/api/v1/experts", tag = "review", params(ExpertFilter, PageRequest),
    responses((status = 200, body = Page<Expert>)))]
pub async fn experts(
    State(st): State<AppState>,
    a: Auth,
    Query(f): Query<ExpertFilter>,
    Query(p): Query<PageRequest>,
) -> ApiResult<axum::Json<Page<Expert>>> {
    a.require("person:read")?;
    Ok(axum::Json(st.store.list_experts(&a.scope(), &f, p).await?))
}

#[utoipa::path(get, path = "/api/v1/experts/export", tag = "review", params(ExpertFilter),
    responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"), (status = 403, body = crate::error::ErrorBody)))]
pub async fn export_experts(
    State(st): State<AppState>,
    a: Auth,
    Query(f): Query<ExpertFilter>,
) -> ApiResult<axum::response::Response> {
    use crate::tabular::Cell;
    a.require("person:read")?;
    a.require("export")?;
    let scope = a.scope();
    let experts = crate::api::io::all_pages(|p| st.store.list_experts(&scope, &f, p)).await?;
    let rows = experts
        .iter()
        .map(|e| {
            vec![
                Cell::Text(e.name.clone()),
                Cell::Text(e.org_name.clone().unwrap_or_default()),
                Cell::Text(e.title.clone().unwrap_or_default()),
                Cell::Text(
                    e.region_name
                        .rsplit('/')
                        .next()
                        .unwrap_or_default()
                        .to_owned(),
                ),
                Cell::Text(e.disciplines.join("、")),
                Cell::Text(e.keywords.join("、")),
                Cell::Number(e.max_load as f64),
                Cell::Number(e.open_load as f64),
                Cell::Text(if e.active { "在库" } else { "暂停" }.into()),
            ]
        })
        .collect();
    crate::api::io::export_sheet(
        &st,
        &a,
        "person",
        "experts",
        "专家库",
        &[
            "姓名",
            "工作单位",
            "职称",
            "所在地区",
            "学科领域",
            "研究方向",
            "每轮最多评审",
            "在评任务",
            "状态",
        ],
        rows,
    )
    .await
}

#[utoipa::path(put, path = "/api/v1/experts/{id}/profile", tag = "review", params(("id" = i64, Path)),
    request_body = ExpertProfileInput, responses((status = 200, body = Expert)))]
pub async fn set_profile(
    State(st): State<AppState>,
    a: Auth,
    Path(id): Path<i64>,
    Json(i): Json<ExpertProfileInput>,
) -> ApiResult<axum::Json<Expert>> {
    a.require("person:write")?;
    a.require("review:manage")?;
    Ok(axum::Json(
        st.store.set_expert_profile(&a.caller(), id, &i).await?,
    ))
}

#[utoipa::path(get, path = "/api/v1/persons/{id}/links", tag = "review", params(("id" = i64, Path)),
    responses((status = 200, body = Vec<PersonLink>)))]
pub async fn links(
    State(st): State<AppState>,
    a: Auth,
    Path(id): Path<i64>,
) -> ApiResult<axum::Json<Vec<PersonLink>>> {
    a.require("person:read")?;
    // A person outside the scope is missing, not a person without links.
    st.store.get_person(&a.scope(), id).await?;
    Ok(axum::Json(
        st.store.list_person_links(&a.scope(), &[id]).await?,
    ))
}

#[utoipa::path(post, path = "/api/v1/persons/links", tag = "review", request_body = PersonLink,
    responses((status = 201, body = Done)))]
pub async fn add_link(
    State(st): State<AppState>,
    a: Auth,
    Json(l): Json<PersonLink>,
) -> ApiResult<(StatusCode, axum::Json<Done>)> {
    a.require("person:write")?;
    st.store.add_person_link(&a.caller(), &l).await?;
    Ok((StatusCode::CREATED, axum::Json(Done { ok: true })))
}

#[utoipa::path(get, path = "/api/v1/review/rounds", tag = "review", params(PageRequest),
    responses((status = 200, body = Page<Round>)))]
pub async fn rounds(
    State(st): State<AppState>,
    a: Auth,
    Query(p): Query<PageRequest>,
) -> ApiResult<axum::Json<Page<Round>>> {
    a.require("review:read")?;
    Ok(axum::Json(st.store.list_rounds(&a.scope(), p).await?))
}

#[utoipa::path(post, path = "/api/v1/review/rounds", tag = "review", request_body = RoundInput,
    responses((status = 201, body = Round), (status = 422, body = crate::error::ErrorBody)))]
pub async fn create_round(
    State(st): State<AppState>,
    a: Auth,
    Json(i): Json<RoundInput>,
) -> ApiResult<(StatusCode, axum::Json<Round>)> {
    a.require("review:manage")?;
    let r = NewRound::parse(&i)?;
    Ok((
        StatusCode::CREATED,
        axum::Json(st.store.create_round(&a.caller(), &r).await?),
    ))
}

/// A round with its items and every assignment.
#[derive(Serialize, utoipa::ToSchema)]
pub struct RoundDetail {
    pub round: Round,
    pub items: Vec<Item>,
    pub assignments: Vec<Assignment>,
}

#[utoipa::path(get, path = "/api/v1/review/rounds/{id}", tag = "review", params(("id" = i64, Path)),
    responses((status = 200, body = RoundDetail)))]
pub async fn round(
    State(st): State<AppState>,
    a: Auth,
    Path(id): Path<i64>,
) -> ApiResult<axum::Json<RoundDetail>> {
    a.require("review:read")?;
    let scope = a.scope();
    let round = st.store.get_round(&scope, id).await?;
    let items = st.store.list_items(&scope, id).await?;
    let assignments = st.store.list_assignments(&scope, Some(id)).await?;
    Ok(axum::Json(RoundDetail {
        round,
        items,
        assignments,
    }))
}

#[derive(Deserialize, Serialize, utoipa::ToSchema)]
pub struct ItemsRequest {
    pub items: Vec<ItemInput>,
}

#[utoipa::path(post, path = "/api/v1/review/rounds/{id}/items", tag = "review", params(("id" = i64, Path)),
    request_body = ItemsRequest, responses((status = 201, body = Vec<Item>)))]
pub async fn add_items(
    State(st): State<AppState>,
    a: Auth,
    Path(id): Path<i64>,
    Json(r): Json<ItemsRequest>,
) -> ApiResult<(StatusCode, axum::Json<Vec<Item>>)> {
    a.require("review:manage")?;
    Ok((
        StatusCode::CREATED,
        axum::Json(st.store.add_items(&a.caller(), id, &r.items).await?),
    ))
}

#[utoipa::path(get, path = "/api/v1/review/rounds/{id}/exclusions", tag = "review", params(("id" = i64, Path)),
    responses((status = 200, body = Vec<Exclusion>)))]
pub async fn exclusions(
    State(st): State<AppState>,
    a: Auth,
    Path(id): Path<i64>,
) -> ApiResult<axum::Json<Vec<Exclusion>>> {
    a.require("review:manage")?;
    let inputs = st.store.review_inputs(&a.scope(), id).await?;
    Ok(axum::Json(review_svc::exclusions(&inputs, today())?))
}

#[utoipa::path(post, path = "/api/v1/review/rounds/{id}/assign", tag = "review", params(("id" = i64, Path)),
    request_body = AssignRequest, responses((status = 200, body = AssignOutcome), (status = 409, body = crate::error::ErrorBody)))]
pub async fn assign(
    State(st): State<AppState>,
    a: Auth,
    Path(id): Path<i64>,
    Json(r): Json<AssignRequest>,
) -> ApiResult<axum::Json<AssignOutcome>> {
    a.require("review:manage")?;
    let inputs = st.store.review_inputs(&a.scope(), id).await?;
    let (picks, method, summary) = review_svc::assign(&inputs, &r, today())?;
    let round = st
        .store
        .set_assignments(&a.caller(), id, method, &picks, summary.clone())
        .await?;
    Ok(axum::Json(AssignOutcome {
        round,
        assigned: picks.len(),
        summary,
    }))
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct ExplainQuery {
    pub item_id: i64,
}

#[utoipa::path(get, path = "/api/v1/review/rounds/{id}/explain", tag = "review", params(("id" = i64, Path), ExplainQuery),
    responses((status = 200, body = Vec<Candidate>)))]
pub async fn explain(
    State(st): State<AppState>,
    a: Auth,
    Path(id): Path<i64>,
    Query(q): Query<ExplainQuery>,
) -> ApiResult<axum::Json<Vec<Candidate>>> {
    a.require("review:manage")?;
    let inputs = st.store.review_inputs(&a.scope(), id).await?;
    Ok(axum::Json(review_svc::explain_item(
        &inputs,
        q.item_id,
        today(),
    )?))
}

#[utoipa::path(post, path = "/api/v1/review/rounds/{id}/adjust", tag = "review", params(("id" = i64, Path)),
    request_body = ManualChange, responses((status = 200, body = Vec<Assignment>)))]
pub async fn adjust(
    State(st): State<AppState>,
    a: Auth,
    Path(id): Path<i64>,
    Json(c): Json<ManualChange>,
) -> ApiResult<axum::Json<Vec<Assignment>>> {
    a.require("review:manage")?;
    let inputs = st.store.review_inputs(&a.scope(), id).await?;
    let affinity = if c.remove {
        0
    } else {
        review_svc::check_manual(&inputs, c.item_id, c.expert_id, today())?
    };
    Ok(axum::Json(
        st.store
            .adjust_assignment(&a.caller(), id, &c, affinity)
            .await?,
    ))
}

#[utoipa::path(post, path = "/api/v1/review/rounds/{id}/publish", tag = "review", params(("id" = i64, Path)),
    responses((status = 200, body = Round)))]
pub async fn publish(
    State(st): State<AppState>,
    a: Auth,
    Path(id): Path<i64>,
) -> ApiResult<axum::Json<Round>> {
    a.require("review:manage")?;
    Ok(axum::Json(st.store.publish_round(&a.caller(), id).await?))
}

#[utoipa::path(post, path = "/api/v1/review/rounds/{id}/close", tag = "review", params(("id" = i64, Path)),
    responses((status = 200, body = Round)))]
pub async fn close(
    State(st): State<AppState>,
    a: Auth,
    Path(id): Path<i64>,
) -> ApiResult<axum::Json<Round>> {
    a.require("review:manage")?;
    Ok(axum::Json(st.store.close_round(&a.caller(), id).await?))
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct Reminded {
    pub reminded: u64,
}

#[utoipa::path(post, path = "/api/v1/review/rounds/{id}/remind", tag = "review", params(("id" = i64, Path)),
    responses((status = 200, body = Reminded)))]
pub async fn remind(
    State(st): State<AppState>,
    a: Auth,
    Path(id): Path<i64>,
) -> ApiResult<axum::Json<Reminded>> {
    a.require("review:manage")?;
    let reminded = st.store.remind_overdue(&a.caller(), id, today()).await?;
    Ok(axum::Json(Reminded { reminded }))
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct ResultsQuery {
    /// Ranking by `zscore` (default), `trimmed` or `mean`.
    pub by: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/review/rounds/{id}/results", tag = "review", params(("id" = i64, Path), ResultsQuery),
    responses((status = 200, body = Results)))]
pub async fn results(
    State(st): State<AppState>,
    a: Auth,
    Path(id): Path<i64>,
    Query(q): Query<ResultsQuery>,
) -> ApiResult<axum::Json<Results>> {
    a.require("review:read")?;
    let scope = a.scope();
    let round = st.store.get_round(&scope, id).await?;
    let items = st.store.list_items(&scope, id).await?;
    let assignments = st.store.list_assignments(&scope, Some(id)).await?;
    Ok(axum::Json(review_svc::results(
        round,
        &items,
        &assignments,
        q.by.as_deref().unwrap_or("zscore"),
    )?))
}

// ----- the expert's workspace -----

#[utoipa::path(get, path = "/api/v1/review/my", tag = "review", responses((status = 200, body = Vec<Assignment>)))]
pub async fn my_tasks(
    State(st): State<AppState>,
    a: Auth,
) -> ApiResult<axum::Json<Vec<Assignment>>> {
    a.require("review:score")?;
    Ok(axum::Json(
        st.store.list_assignments(&a.own_scope(), None).await?,
    ))
}

#[utoipa::path(post, path = "/api/v1/review/assignments/{id}/scores", tag = "review", params(("id" = i64, Path)),
    request_body = ScoreInput, responses((status = 200, body = Assignment), (status = 422, body = crate::error::ErrorBody)))]
pub async fn submit_scores(
    State(st): State<AppState>,
    a: Auth,
    Path(id): Path<i64>,
    Json(s): Json<ScoreInput>,
) -> ApiResult<axum::Json<Assignment>> {
    a.require("review:score")?;
    let mut caller = a.caller();
    caller.scope = a.own_scope();
    Ok(axum::Json(st.store.submit_scores(&caller, id, &s).await?))
}

#[utoipa::path(put, path = "/api/v1/review/assignments/{id}/draft", tag = "review", params(("id" = i64, Path)),
    request_body = ScoreInput, responses((status = 200, body = Assignment), (status = 409, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn save_draft(
    State(st): State<AppState>,
    a: Auth,
    Path(id): Path<i64>,
    Json(s): Json<ScoreInput>,
) -> ApiResult<axum::Json<Assignment>> {
    a.require("review:score")?;
    let mut caller = a.caller();
    caller.scope = a.own_scope();
    Ok(axum::Json(
        st.store.save_score_draft(&caller, id, &s).await?,
    ))
}

#[utoipa::path(get, path = "/api/v1/review/assignments/{id}/object", tag = "review", params(("id" = i64, Path)),
    responses((status = 200, body = ReviewObject), (status = 409, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody)))]
pub async fn object(
    State(st): State<AppState>,
    a: Auth,
    Path(id): Path<i64>,
) -> ApiResult<axum::Json<ReviewObject>> {
    a.require("review:score")?;
    Ok(axum::Json(
        st.store.review_object(&a.own_scope(), id).await?,
    ))
}

#[utoipa::path(get, path = "/api/v1/review/assignments/{id}/attachments/{attachment_id}", tag = "review",
    params(("id" = i64, Path), ("attachment_id" = i64, Path)),
    responses((status = 200, content_type = "application/pdf"), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody)))]
pub async fn object_attachment(
    State(st): State<AppState>,
    a: Auth,
    Path((id, attachment_id)): Path<(i64, i64)>,
) -> ApiResult<axum::response::Response> {
    a.require("review:score")?;
    let (att, bytes) = st
        .store
        .review_object_attachment(&a.own_scope(), id, attachment_id)
        .await?;
    Ok(crate::api::applicant::pdf_response(att, bytes))
}

#[utoipa::path(get, path = "/api/v1/review/assignments/{id}/opinion.docx", tag = "review", params(("id" = i64, Path)),
    responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody)))]
pub async fn opinion(
    State(st): State<AppState>,
    a: Auth,
    Path(id): Path<i64>,
) -> ApiResult<axum::response::Response> {
    use crate::docs::{Document, Section};
    // The expert's own, or any of a round the officer can read.
    let scope = if a.user.has_permission("review:read") {
        a.scope()
    } else {
        a.require("review:score")?;
        a.own_scope()
    };
    let t = st.store.get_assignment(&scope, id).await?;
    let Some(scores) = t.scores.as_ref().filter(|_| t.status == "submitted") else {
        return Err(crate::error::ApiError::new(
            StatusCode::CONFLICT,
            "review.not_submitted",
            "该评审任务尚未提交评分，没有评审意见表",
        ));
    };
    let fmt = |v: f64| {
        let s = format!("{v:.1}");
        s.strip_suffix(".0").map(str::to_owned).unwrap_or(s)
    };
    let mut rows: Vec<(String, String)> = t
        .form
        .iter()
        .map(|c| {
            (
                format!("{}（满分{}）", c.label, c.max),
                scores.get(&c.key).map(|v| fmt(*v)).unwrap_or_default(),
            )
        })
        .collect();
    let max: u32 = t.form.iter().map(|c| c.max).sum();
    rows.push((
        format!("合计（满分{max}）"),
        t.total.map(fmt).unwrap_or_default(),
    ));
    let doc = Document {
        title: "专家评审意见表".into(),
        subtitle: Some(t.round_title.clone()),
        sections: vec![
            Section {
                heading: "一、评审对象".into(),
                rows: vec![
                    ("项目名称".into(), t.item_title.clone()),
                    (
                        "申报单位".into(),
                        t.item_org_name.clone().unwrap_or_default(),
                    ),
                ],
            },
            Section {
                heading: "二、评分".into(),
                rows,
            },
            Section {
                heading: "三、评审意见".into(),
                rows: vec![("意见".into(), t.comment.clone().unwrap_or_default())],
            },
            Section {
                heading: "四、评审专家".into(),
                rows: vec![
                    ("姓名".into(), t.expert_name.clone()),
                    (
                        "工作单位".into(),
                        t.expert_org_name.clone().unwrap_or_default(),
                    ),
                    ("提交时间".into(), crate::api::beijing_time(t.submitted_at)),
                ],
            },
        ],
        signatures: vec![
            "本人承诺：与评审对象无利益关系，独立、客观、公正地提出评审意见，并对评审内容保密。"
                .into(),
            "评审专家（签字）：                        日期：    年  月  日".into(),
        ],
    };
    let bytes = doc.to_docx().map_err(|e| {
        tracing::error!(error = %e, "docx");
        crate::error::ApiError::internal()
    })?;
    Ok(crate::docs::docx_response(
        &format!("评审意见表-{}-{}", t.item_title, t.expert_name),
        bytes,
    ))
}

#[utoipa::path(get, path = "/api/v1/review/rounds/{id}/results/export", tag = "review", params(("id" = i64, Path), ResultsQuery),
    responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody)))]
pub async fn export_results(
    State(st): State<AppState>,
    a: Auth,
    Path(id): Path<i64>,
    Query(q): Query<ResultsQuery>,
) -> ApiResult<axum::response::Response> {
    use crate::tabular::Cell;
    a.require("review:read")?;
    a.require("export")?;
    let scope = a.scope();
    let round = st.store.get_round(&scope, id).await?;
    let items = st.store.list_items(&scope, id).await?;
    let assignments = st.store.list_assignments(&scope, Some(id)).await?;
    let r = review_svc::results(
        round,
        &items,
        &assignments,
        q.by.as_deref().unwrap_or("zscore"),
    )?;
    let num = |v: Option<f64>| v.map_or(Cell::Empty, |v| Cell::Number((v * 100.0).round() / 100.0));
    let mut rows = Vec::new();
    for row in &r.rows {
        let opinions: Vec<String> = assignments
            .iter()
            .filter(|x| x.item_id == row.item_id && x.status == "submitted")
            .map(|x| {
                format!(
                    "{}（{}）：{}分。{}",
                    x.expert_name,
                    x.expert_org_name.as_deref().unwrap_or("单位未登记"),
                    x.total.map(|t| format!("{t}")).unwrap_or_default(),
                    x.comment.as_deref().unwrap_or("")
                )
            })
            .collect();
        rows.push(vec![
            row.rank.map_or(Cell::Text("未评分".into()), |n| {
                Cell::Number(f64::from(n))
            }),
            Cell::Text(row.title.clone()),
            Cell::Text(row.org_name.clone().unwrap_or_default()),
            num(row.mean),
            num(row.trimmed_mean),
            num(row.normalized_mean),
            Cell::Number(row.reviews.len() as f64),
            Cell::Text(opinions.join("\n")),
        ]);
    }
    crate::api::io::export_sheet(
        &st,
        &a,
        "review_round",
        "review-results",
        "评审意见汇总表",
        &[
            "排名",
            "项目名称",
            "申报单位",
            "平均分",
            "去掉最高最低后平均分",
            "标准化得分",
            "已评专家数",
            "专家评审意见",
        ],
        rows,
    )
    .await
}

#[derive(Deserialize, Serialize, utoipa::ToSchema)]
pub struct DeclineRequest {
    /// 理由
    pub reason: String,
    /// true: a declared conflict of interest (主动申明回避); false: unable to review (拒绝).
    #[serde(default)]
    pub conflict: bool,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct DeclineOutcome {
    /// The expert who takes over (递补), if a conflict-free one with spare load exists.
    pub replacement: Option<Assignment>,
}

#[utoipa::path(post, path = "/api/v1/review/assignments/{id}/decline", tag = "review", params(("id" = i64, Path)),
    request_body = DeclineRequest, responses((status = 200, body = DeclineOutcome)))]
pub async fn decline(
    State(st): State<AppState>,
    a: Auth,
    Path(id): Path<i64>,
    Json(r): Json<DeclineRequest>,
) -> ApiResult<axum::Json<DeclineOutcome>> {
    a.require("review:score")?;
    let own = a.own_scope();
    let task = st.store.get_assignment(&own, id).await?;
    // The replacement is chosen from the round's own pool: the organizing bureau's region.
    let round_scope = DataScope::Region {
        code: String::new(),
        path: task.region_path.clone(),
    };
    let inputs = st.store.review_inputs(&round_scope, task.round_id).await?;
    let replacement = review_svc::replacement(&inputs, &task, today())?;
    let reason = if r.conflict {
        format!("申明回避：{}", r.reason.trim())
    } else {
        r.reason.trim().to_owned()
    };
    let mut caller = a.caller();
    caller.scope = own;
    let replaced = st
        .store
        .decline_assignment(&caller, id, &reason, replacement)
        .await?;
    Ok(axum::Json(DeclineOutcome {
        replacement: replaced,
    }))
}
