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
