//! Stored evaluations: runs over the caller's registry and their results.

use super::*;

#[derive(Deserialize, utoipa::ToSchema)]
pub struct RunRequest {
    pub pack: String,
    pub year: i32,
    /// Only this region (GB/T 2260) within the caller's scope.
    pub region: Option<String>,
}

/// 运行评价: answers at once with the run (202), which goes on in the background; follow it
/// with `GET /rules/runs/{id}`. A run of the same pack, year and region already going on (on
/// any server) is answered instead of starting another.
#[utoipa::path(post, path = "/api/v1/rules/runs", tag = "rules", request_body = RunRequest,
    responses((status = 202, body = RuleRun), (status = 403, body = crate::error::ErrorBody),
        (status = 404, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn run(
    State(st): State<AppState>,
    a: Auth,
    Json(req): Json<RunRequest>,
) -> ApiResult<(StatusCode, axum::Json<RuleRun>)> {
    a.require("rules:run")?;
    let caller = a.caller();
    let started = crate::rules_io::start_run(
        &st.store,
        &caller,
        &req.pack,
        req.year,
        req.region.as_deref(),
    )
    .await?;
    let run = started.run.clone();
    if started.started {
        let (store, runs, id) = (st.store.clone(), st.runs.clone(), run.id);
        tokio::spawn(async move {
            // One run at a time per server; a queued run is reported alive while it waits.
            let beat = crate::rules_io::heartbeat(&store, id);
            let _turn = runs.acquire().await;
            beat.abort();
            if let Err(e) = crate::rules_io::execute_run(&store, &caller, started).await {
                tracing::warn!(run = id, "运行评价失败: {}", e.body.message);
            }
        });
    }
    Ok((StatusCode::ACCEPTED, axum::Json(run)))
}

#[utoipa::path(get, path = "/api/v1/rules/runs", tag = "rules", params(RuleRunFilter, PageRequest),
    responses((status = 200, body = Page<RuleRun>), (status = 403, body = crate::error::ErrorBody),
        (status = 422, body = crate::error::ErrorBody)))]
pub async fn runs(
    State(st): State<AppState>,
    a: Auth,
    Query(f): Query<RuleRunFilter>,
    Query(p): Query<PageRequest>,
) -> ApiResult<axum::Json<Page<RuleRun>>> {
    a.require("rules:read")?;
    Ok(axum::Json(
        st.store.list_rule_runs(&a.scope(), &f, p).await?,
    ))
}

/// One run with its progress (`done` of `total`) and, once done, its summary.
#[utoipa::path(get, path = "/api/v1/rules/runs/{id}", tag = "rules", params(("id" = i64, Path)),
    responses((status = 200, body = RuleRun), (status = 403, body = crate::error::ErrorBody),
        (status = 404, body = crate::error::ErrorBody)))]
pub async fn get_run(
    State(st): State<AppState>,
    a: Auth,
    Path(id): Path<i64>,
) -> ApiResult<axum::Json<RuleRun>> {
    a.require("rules:read")?;
    Ok(axum::Json(st.store.get_rule_run(&a.scope(), id).await?))
}

#[utoipa::path(get, path = "/api/v1/rules/results", tag = "rules", params(RuleResultFilter, PageRequest),
    responses((status = 200, body = Page<RuleResult>)))]
pub async fn results(
    State(st): State<AppState>,
    a: Auth,
    Query(f): Query<RuleResultFilter>,
    Query(p): Query<PageRequest>,
) -> ApiResult<axum::Json<Page<RuleResult>>> {
    a.require("rules:read")?;
    let mut page = st.store.list_rule_results(&a.scope(), &f, p).await?;
    crate::rules_io::complete_results(&st.store, &mut page.items).await?;
    Ok(axum::Json(page))
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct ResultKey {
    pub pack: String,
    pub year: i64,
}

#[utoipa::path(get, path = "/api/v1/rules/results/{org_id}", tag = "rules", params(("org_id" = i64, Path), ResultKey),
    responses((status = 200, body = RuleResult), (status = 404, body = crate::error::ErrorBody)))]
pub async fn result(
    State(st): State<AppState>,
    a: Auth,
    Path(org_id): Path<i64>,
    Query(k): Query<ResultKey>,
) -> ApiResult<axum::Json<RuleResult>> {
    a.require("rules:read")?;
    let mut r = st
        .store
        .get_rule_result(&a.scope(), &k.pack, k.year, org_id)
        .await?;
    crate::rules_io::complete_results(&st.store, std::slice::from_mut(&mut r)).await?;
    Ok(axum::Json(r))
}

#[utoipa::path(get, path = "/api/v1/rules/results/export", tag = "rules", params(RuleResultFilter),
    responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"), (status = 403, body = crate::error::ErrorBody)))]
pub async fn export_results(
    State(st): State<AppState>,
    a: Auth,
    Query(f): Query<RuleResultFilter>,
) -> ApiResult<axum::response::Response> {
    use crate::tabular::Cell;
    a.require("rules:read")?;
    a.require("export")?;
    let scope = a.scope();
    let mut all = crate::api::io::all_pages(|p| st.store.list_rule_results(&scope, &f, p)).await?;
    crate::rules_io::complete_results(&st.store, &mut all).await?;
    let rows: Vec<Vec<Cell>> = all
        .iter()
        .map(|r| {
            let pack = crate::rules_io::official_pack(&r.pack).map(|(p, _)| p);
            let label = |name: &str| {
                pack.as_ref()
                    .and_then(|p| p.rules.iter().find(|d| d.name == name))
                    .map_or_else(|| name.to_owned(), |d| d.label.clone())
            };
            vec![
                Cell::Text(r.credit_code.clone()),
                Cell::Text(r.org_name.clone()),
                Cell::Text(r.region_name.clone()),
                Cell::Number(r.year as f64),
                Cell::Text(
                    pack.as_ref()
                        .map_or_else(|| r.pack.clone(), |p| p.name.clone()),
                ),
                Cell::Text(
                    match r.qualified {
                        Some(true) => "符合",
                        Some(false) => "不符合",
                        None => "待定",
                    }
                    .into(),
                ),
                r.score.map_or(Cell::Empty, |s| Cell::Number(s as f64)),
                Cell::Text(
                    r.pools
                        .iter()
                        .map(|p| label(p))
                        .collect::<Vec<_>>()
                        .join("、"),
                ),
                Cell::Text(r.explanation.clone()),
            ]
        })
        .collect();
    crate::api::io::export_sheet(
        &st,
        &a,
        "rule_result",
        "rule-results",
        "评价结果",
        &[
            "统一社会信用代码",
            "单位名称",
            "所在地区",
            "年度",
            "政策",
            "结论",
            "得分",
            "培育库",
            "判定说明",
        ],
        rows,
    )
    .await
}
