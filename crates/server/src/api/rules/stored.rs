//! Stored evaluations: runs over the caller's registry and their results.

use super::*;

#[derive(Deserialize, utoipa::ToSchema)]
pub struct RunRequest {
    pub pack: String,
    pub year: i32,
    /// Only this region (GB/T 2260) within the caller's scope.
    pub region: Option<String>,
}

#[utoipa::path(post, path = "/api/v1/rules/runs", tag = "rules", request_body = RunRequest,
    responses((status = 200, body = RunSummary)))]
pub async fn run(
    State(st): State<AppState>,
    a: Auth,
    Json(req): Json<RunRequest>,
) -> ApiResult<axum::Json<RunSummary>> {
    a.require("rules:run")?;
    let _turn = st
        .runs
        .acquire()
        .await
        .map_err(|_| crate::error::ApiError::internal())?;
    Ok(axum::Json(
        crate::rules_io::run_pack(
            &st.store,
            &a.caller(),
            &req.pack,
            req.year,
            req.region.as_deref(),
        )
        .await?,
    ))
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
    Ok(axum::Json(
        st.store.list_rule_results(&a.scope(), &f, p).await?,
    ))
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
    Ok(axum::Json(
        st.store
            .get_rule_result(&a.scope(), &k.pack, k.year, org_id)
            .await?,
    ))
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
    let all = crate::api::io::all_pages(|p| st.store.list_rule_results(&scope, &f, p)).await?;
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
