//! 科技成果 endpoints: an organization publishes (草稿 → 提交), the bureau of its region reviews
//! and opens the public notice (公示), anyone on the market may object during the notice, the
//! bureau resolves objections and lists (挂牌) when the `tech-market` pack allows it, the owner
//! records the deal or withdraws. The 成果大厅 shows the public stages of every region.

use crate::AppState;
use crate::api::io::{all_pages, export_sheet};
use crate::api::{Done, today};
use crate::auth::Auth;
use crate::error::{ApiError, ApiResult};
use crate::extract::{Json, Path, Query};
use crate::tabular::Cell;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use chrono::Datelike;
use kechuang_domain::achievement::{
    AchievementInput, Area, IpKind, Mode, NewAchievement, Status, TRL,
};
use kechuang_domain::scope::RecordKeys;
use kechuang_domain::search::SearchKind;
use kechuang_domain::{DataScope, Invalid};
use kechuang_rules::{Entity, Value};
use kechuang_store::achievements::{Achievement, AchievementFilter, days_since};
use kechuang_store::{Page, PageRequest};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::sync::OnceLock;

/// What the `tech-market` pack says about listing an achievement today.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct NoticeCheck {
    pub notice_days: i64,
    pub listable: bool,
    pub days_left: i64,
    /// Why it cannot be listed yet, in Chinese, with the rule.
    pub reason: Option<String>,
}

fn pack() -> ApiResult<&'static kechuang_rules::Pack> {
    static PACK: OnceLock<Result<kechuang_rules::Pack, String>> = OnceLock::new();
    PACK.get_or_init(|| match kechuang_rules::official("tech-market") {
        Some(r) => r.map_err(|e| e.to_string()),
        None => Err("科技成果公示政策包缺失".into()),
    })
    .as_ref()
    .map_err(|e| {
        tracing::error!(error = %e, "tech-market pack");
        ApiError::internal()
    })
}

/// Evaluate the notice rules for a notice that started `days_elapsed` days ago.
pub fn notice_check(
    days_elapsed: i64,
    open_objections: i64,
    upheld: i64,
    year: i32,
) -> ApiResult<NoticeCheck> {
    let pack = pack()?;
    let plan = pack
        .compile(year)
        .map_err(|e| Invalid::one("year", "achievement.year", e.message))?;
    let mut values = vec![None; plan.inputs().len()];
    for (name, v) in [
        ("days_elapsed", days_elapsed),
        ("open_objections", open_objections),
        ("upheld_objections", upheld),
    ] {
        if let Some(i) = plan.inputs().iter().position(|(n, o)| n == name && *o == 0) {
            values[i] = Some(Value::Num(Decimal::from(v)));
        }
    }
    let ev = plan.evaluate(&Entity { values });
    let num = |n: &str| match plan.value(&ev, n) {
        Some(Value::Num(d)) => i64::try_from(d.trunc().mantissa()).unwrap_or_default(),
        _ => 0,
    };
    let flag = |n: &str| matches!(plan.value(&ev, n), Some(Value::Bool(true)));
    let listable = flag("listable");
    let reason = (!listable).then(|| {
        let mut why = plan.failed_conditions(&ev);
        if num("days_left") > 0 {
            why.insert(0, format!("距公示期满还有{}日", num("days_left")));
        }
        why.join("；")
    });
    Ok(NoticeCheck {
        notice_days: num("notice_period"),
        listable,
        days_left: num("days_left"),
        reason,
    })
}

/// An achievement with what the caller may do and, while in notice, whether it may be listed.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct AchievementView {
    #[serde(flatten)]
    pub achievement: Achievement,
    /// Why it cannot be listed yet (while 公示中).
    pub listable_reason: Option<String>,
    /// edit | delete | submit | review | object | resolve | list | deal | withdraw
    pub actions: Vec<String>,
}

fn upheld(a: &Achievement) -> i64 {
    a.objections
        .iter()
        .filter(|o| o.upheld == Some(true))
        .count() as i64
}

fn view(a: &Auth, x: Achievement) -> ApiResult<axum::Json<AchievementView>> {
    let status = x.status();
    let owner = a.user.has_permission("market:publish")
        && matches!(a.scope(), DataScope::Organization { org_id } if org_id == x.owner_org_id);
    let bureau = a.user.has_permission("market:manage")
        && !matches!(a.scope(), DataScope::Organization { .. })
        && a.scope()
            .admits(RecordKeys::org(&x.region_path, x.owner_org_id));
    let mut actions = Vec::new();
    if owner && status.is_some_and(Status::editable) {
        actions.extend(["edit", "submit"]);
    }
    if owner && status == Some(Status::Draft) {
        actions.push("delete");
    }
    if bureau && status == Some(Status::Pending) {
        actions.push("review");
    }
    if status == Some(Status::Notice) && !owner && a.user.has_permission("market:read") {
        actions.push("object");
    }
    if bureau && x.open_objections > 0 {
        actions.push("resolve");
    }
    let mut listable_reason = None;
    if status == Some(Status::Notice) {
        let check = notice_check(
            days_since(x.notice_start.as_deref(), today()),
            x.open_objections,
            upheld(&x),
            today().year(),
        )?;
        if bureau && check.listable {
            actions.push("list");
        }
        listable_reason = check.reason;
    }
    if (owner || bureau) && status == Some(Status::Listed) {
        actions.push("deal");
    }
    if (owner || bureau) && matches!(status, Some(Status::Notice | Status::Listed)) {
        actions.push("withdraw");
    }
    Ok(axum::Json(AchievementView {
        achievement: x,
        listable_reason,
        actions: actions.into_iter().map(str::to_owned).collect(),
    }))
}

fn owner_of(a: &Auth) -> ApiResult<i64> {
    match a.scope() {
        DataScope::Organization { org_id } => Ok(org_id),
        _ => Err(Invalid::one(
            "owner_org_id",
            "achievement.owner_only",
            "科技成果由成果完成单位以本单位账号发布",
        )
        .into()),
    }
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct TrlItem {
    pub value: i64,
    pub label: String,
    pub description: String,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct AchievementDicts {
    pub areas: Vec<Dict>,
    pub trls: Vec<TrlItem>,
    pub modes: Vec<Dict>,
    pub ip_kinds: Vec<Dict>,
    pub statuses: Vec<Dict>,
}

use crate::api::{DictItem as Dict, dict_item as d};

#[utoipa::path(get, path = "/api/v1/achievements/dicts", tag = "market",
    responses((status = 200, body = AchievementDicts), (status = 403, body = crate::error::ErrorBody)))]
pub async fn dicts(a: Auth) -> ApiResult<axum::Json<AchievementDicts>> {
    a.require("market:read")?;
    Ok(axum::Json(AchievementDicts {
        areas: Area::ALL.iter().map(|x| d(x.as_str(), x.label())).collect(),
        trls: TRL
            .iter()
            .enumerate()
            .map(|(i, (name, desc))| TrlItem {
                value: i as i64 + 1,
                label: format!("TRL {} {name}", i + 1),
                description: (*desc).into(),
            })
            .collect(),
        modes: Mode::ALL.iter().map(|x| d(x.as_str(), x.label())).collect(),
        ip_kinds: IpKind::ALL
            .iter()
            .map(|x| d(x.as_str(), x.label()))
            .collect(),
        statuses: Status::ALL
            .iter()
            .map(|x| Dict {
                tag: Some(x.tag().into()),
                ..d(x.as_str(), x.label())
            })
            .collect(),
    }))
}

#[utoipa::path(get, path = "/api/v1/achievements", tag = "market", params(AchievementFilter, PageRequest),
    responses((status = 200, body = Page<Achievement>), (status = 403, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn list(
    State(st): State<AppState>,
    a: Auth,
    Query(mut f): Query<AchievementFilter>,
    Query(p): Query<PageRequest>,
) -> ApiResult<axum::Json<Page<Achievement>>> {
    a.require("market:read")?;
    f.ids = st
        .search
        .list_ids(&st.store, &a.user, SearchKind::Achievement, f.q.as_deref())
        .await;
    Ok(axum::Json(
        st.store.list_achievements(&a.scope(), &f, p).await?,
    ))
}

#[utoipa::path(get, path = "/api/v1/achievements/{id}", tag = "market", params(("id" = i64, Path)),
    responses((status = 200, body = AchievementView), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody)))]
pub async fn get(
    State(st): State<AppState>,
    a: Auth,
    Path(id): Path<i64>,
) -> ApiResult<axum::Json<AchievementView>> {
    a.require("market:read")?;
    let x = st.store.get_achievement(&a.scope(), id).await?;
    view(&a, x)
}

#[utoipa::path(post, path = "/api/v1/achievements", tag = "market", request_body = AchievementInput,
    responses((status = 201, body = AchievementView), (status = 403, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn create(
    State(st): State<AppState>,
    a: Auth,
    Json(i): Json<AchievementInput>,
) -> ApiResult<(StatusCode, axum::Json<AchievementView>)> {
    a.require("market:publish")?;
    let owner = owner_of(&a)?;
    let x = NewAchievement::parse(&i)?;
    let saved = st.store.create_achievement(&a.caller(), owner, &x).await?;
    Ok((StatusCode::CREATED, view(&a, saved)?))
}

#[utoipa::path(put, path = "/api/v1/achievements/{id}", tag = "market", params(("id" = i64, Path)), request_body = AchievementInput,
    responses((status = 200, body = AchievementView), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn update(
    State(st): State<AppState>,
    a: Auth,
    Path(id): Path<i64>,
    Json(i): Json<AchievementInput>,
) -> ApiResult<axum::Json<AchievementView>> {
    a.require("market:publish")?;
    owner_of(&a)?;
    scoped(&st, &a, id).await?;
    let x = NewAchievement::parse(&i)?;
    let saved = st.store.update_achievement(&a.caller(), id, &x).await?;
    view(&a, saved)
}

/// The record if it is in the caller's own scope (public visibility is not a right to change).
async fn scoped(st: &AppState, a: &Auth, id: i64) -> ApiResult<Achievement> {
    let x = st.store.get_achievement(&a.scope(), id).await?;
    if !a
        .scope()
        .admits(RecordKeys::org(&x.region_path, x.owner_org_id))
    {
        return Err(ApiError::forbidden());
    }
    Ok(x)
}

#[utoipa::path(delete, path = "/api/v1/achievements/{id}", tag = "market", params(("id" = i64, Path)),
    responses((status = 200, body = Done), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody)))]
pub async fn delete(
    State(st): State<AppState>,
    a: Auth,
    Path(id): Path<i64>,
) -> ApiResult<axum::Json<Done>> {
    a.require("market:publish")?;
    owner_of(&a)?;
    st.store.delete_achievement(&a.caller(), id).await?;
    Ok(axum::Json(Done { ok: true }))
}

#[utoipa::path(post, path = "/api/v1/achievements/{id}/submit", tag = "market", params(("id" = i64, Path)),
    responses((status = 200, body = AchievementView), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody)))]
pub async fn submit(
    State(st): State<AppState>,
    a: Auth,
    Path(id): Path<i64>,
) -> ApiResult<axum::Json<AchievementView>> {
    a.require("market:publish")?;
    owner_of(&a)?;
    scoped(&st, &a, id).await?;
    let saved = st
        .store
        .move_achievement(
            &a.caller(),
            id,
            "submit",
            &[Status::Draft, Status::Returned],
            vec![
                ("status", Status::Pending.as_str().into()),
                ("submitted_on", today().to_string().into()),
            ],
            "提交审核",
        )
        .await?;
    view(&a, saved)
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct ReviewInput {
    pub approve: bool,
    #[serde(default)]
    pub reason: Option<String>,
}

fn text_of(field: &str, label: &str, s: Option<&str>, required: bool) -> ApiResult<String> {
    let t = s.unwrap_or_default().trim().to_owned();
    if required && t.is_empty() {
        return Err(Invalid::one(
            field,
            &format!("{field}.required"),
            format!("请填写{label}"),
        )
        .into());
    }
    if t.chars().count() > 1000 {
        return Err(Invalid::one(
            field,
            &format!("{field}.length"),
            format!("{label}不能超过1000字"),
        )
        .into());
    }
    Ok(t)
}

#[utoipa::path(post, path = "/api/v1/achievements/{id}/review", tag = "market", params(("id" = i64, Path)), request_body = ReviewInput,
    responses((status = 200, body = AchievementView), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn review(
    State(st): State<AppState>,
    a: Auth,
    Path(id): Path<i64>,
    Json(i): Json<ReviewInput>,
) -> ApiResult<axum::Json<AchievementView>> {
    a.require("market:manage")?;
    scoped(&st, &a, id).await?;
    let day = today();
    let saved = if i.approve {
        let check = notice_check(0, 0, 0, day.year())?;
        let end = day + chrono::Days::new(u64::try_from(check.notice_days).unwrap_or(15));
        st.store
            .move_achievement(
                &a.caller(),
                id,
                "publish",
                &[Status::Pending],
                vec![
                    ("status", Status::Notice.as_str().into()),
                    ("notice_start", day.to_string().into()),
                    ("notice_end", end.to_string().into()),
                    ("notice_days", check.notice_days.into()),
                    ("return_reason", Option::<String>::None.into()),
                ],
                "审核",
            )
            .await?
    } else {
        let reason = text_of("reason", "退回理由", i.reason.as_deref(), true)?;
        st.store
            .move_achievement(
                &a.caller(),
                id,
                "return",
                &[Status::Pending],
                vec![
                    ("status", Status::Returned.as_str().into()),
                    ("return_reason", reason.into()),
                ],
                "审核",
            )
            .await?
    };
    view(&a, saved)
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[schema(as = AchievementObjectionInput)]
pub struct ObjectionInput {
    pub content: String,
}

#[utoipa::path(post, path = "/api/v1/achievements/{id}/objections", tag = "market", params(("id" = i64, Path)), request_body = ObjectionInput,
    responses((status = 200, body = AchievementView), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn object(
    State(st): State<AppState>,
    a: Auth,
    Path(id): Path<i64>,
    Json(i): Json<ObjectionInput>,
) -> ApiResult<axum::Json<AchievementView>> {
    a.require("market:read")?;
    let content = text_of("content", "异议内容", Some(&i.content), true)?;
    let saved = st
        .store
        .object_to_achievement(&a.caller(), &a.user.display_name, id, &content)
        .await?;
    view(&a, saved)
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[schema(as = AchievementResolveInput)]
pub struct ResolveInput {
    pub upheld: bool,
    pub resolution: String,
}

#[utoipa::path(post, path = "/api/v1/achievements/{id}/objections/{no}/resolve", tag = "market", params(("id" = i64, Path), ("no" = i64, Path)), request_body = ResolveInput,
    responses((status = 200, body = AchievementView), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn resolve(
    State(st): State<AppState>,
    a: Auth,
    Path((id, no)): Path<(i64, i64)>,
    Json(i): Json<ResolveInput>,
) -> ApiResult<axum::Json<AchievementView>> {
    a.require("market:manage")?;
    scoped(&st, &a, id).await?;
    let resolution = text_of("resolution", "处理意见", Some(&i.resolution), true)?;
    let saved = st
        .store
        .resolve_objection(&a.caller(), id, no, i.upheld, &resolution)
        .await?;
    view(&a, saved)
}

#[utoipa::path(post, path = "/api/v1/achievements/{id}/list", tag = "market", params(("id" = i64, Path)),
    responses((status = 200, body = AchievementView), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody)))]
pub async fn list_on_market(
    State(st): State<AppState>,
    a: Auth,
    Path(id): Path<i64>,
) -> ApiResult<axum::Json<AchievementView>> {
    a.require("market:manage")?;
    let x = scoped(&st, &a, id).await?;
    if x.status() == Some(Status::Notice) {
        let check = notice_check(
            days_since(x.notice_start.as_deref(), today()),
            x.open_objections,
            upheld(&x),
            today().year(),
        )?;
        if !check.listable {
            return Err(ApiError::conflict(
                "achievement.not_listable",
                format!(
                    "暂不能挂牌：{}",
                    check.reason.unwrap_or_else(|| "公示条件未满足".into())
                ),
            ));
        }
    }
    let saved = st
        .store
        .move_achievement(
            &a.caller(),
            id,
            "list",
            &[Status::Notice],
            vec![
                ("status", Status::Listed.as_str().into()),
                ("listed_on", today().to_string().into()),
            ],
            "挂牌",
        )
        .await?;
    view(&a, saved)
}

#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
pub struct CloseInput {
    #[serde(default)]
    pub note: Option<String>,
    #[serde(default)]
    pub reason: Option<String>,
}

/// The owner or the bureau may act on a public record they hold.
async fn holder(st: &AppState, a: &Auth, id: i64) -> ApiResult<()> {
    if !(a.user.has_permission("market:publish") || a.user.has_permission("market:manage")) {
        return Err(ApiError::forbidden());
    }
    scoped(st, a, id).await.map(|_| ())
}

#[utoipa::path(post, path = "/api/v1/achievements/{id}/deal", tag = "market", params(("id" = i64, Path)), request_body = CloseInput,
    responses((status = 200, body = AchievementView), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody)))]
pub async fn deal(
    State(st): State<AppState>,
    a: Auth,
    Path(id): Path<i64>,
    Json(i): Json<CloseInput>,
) -> ApiResult<axum::Json<AchievementView>> {
    holder(&st, &a, id).await?;
    let note = text_of("note", "成交说明", i.note.as_deref(), false)?;
    let saved = st
        .store
        .move_achievement(
            &a.caller(),
            id,
            "deal",
            &[Status::Listed],
            vec![
                ("status", Status::Dealt.as_str().into()),
                ("closed_on", today().to_string().into()),
                ("return_reason", (!note.is_empty()).then_some(note).into()),
            ],
            "登记成交",
        )
        .await?;
    view(&a, saved)
}

#[utoipa::path(post, path = "/api/v1/achievements/{id}/withdraw", tag = "market", params(("id" = i64, Path)), request_body = CloseInput,
    responses((status = 200, body = AchievementView), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn withdraw(
    State(st): State<AppState>,
    a: Auth,
    Path(id): Path<i64>,
    Json(i): Json<CloseInput>,
) -> ApiResult<axum::Json<AchievementView>> {
    holder(&st, &a, id).await?;
    let reason = text_of("reason", "下架理由", i.reason.as_deref(), true)?;
    let saved = st
        .store
        .move_achievement(
            &a.caller(),
            id,
            "withdraw",
            &[Status::Notice, Status::Listed],
            vec![
                ("status", Status::Withdrawn.as_str().into()),
                ("closed_on", today().to_string().into()),
                ("return_reason", reason.into()),
            ],
            "下架",
        )
        .await?;
    view(&a, saved)
}

#[utoipa::path(get, path = "/api/v1/achievements/export", tag = "market", params(AchievementFilter),
    responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"), (status = 403, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn export(
    State(st): State<AppState>,
    a: Auth,
    Query(mut f): Query<AchievementFilter>,
) -> ApiResult<Response> {
    a.require("export")?;
    a.require("market:read")?;
    f.ids = st
        .search
        .list_ids(&st.store, &a.user, SearchKind::Achievement, f.q.as_deref())
        .await;
    let scope = a.scope();
    let rows = all_pages(|p| st.store.list_achievements(&scope, &f, p)).await?;
    export_sheet(
        &st,
        &a,
        "achievement",
        "achievements",
        "科技成果",
        &[
            "成果名称",
            "成果完成单位",
            "所在地",
            "技术领域",
            "技术就绪度",
            "关键词",
            "知识产权",
            "转化方式",
            "挂牌价格（元）",
            "状态",
            "公示期",
        ],
        rows.into_iter()
            .map(|x| {
                vec![
                    Cell::Text(x.title),
                    Cell::Text(x.owner_name),
                    Cell::Text(x.region_name),
                    Cell::Text(x.area_label),
                    Cell::Text(x.trl_label),
                    Cell::Text(x.keywords.join("、")),
                    Cell::Text(
                        x.ip.iter()
                            .map(|i| format!("{} {}", i.kind_label, i.number))
                            .collect::<Vec<_>>()
                            .join("；"),
                    ),
                    Cell::Text(x.mode_labels.join("、")),
                    Cell::Text(x.asking_price.unwrap_or_else(|| "面议".into())),
                    Cell::Text(x.status_label),
                    Cell::Text(match (x.notice_start, x.notice_end) {
                        (Some(s), Some(e)) => format!("{s} 至 {e}"),
                        _ => String::new(),
                    }),
                ]
            })
            .collect(),
    )
    .await
}
