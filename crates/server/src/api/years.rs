//! 企业年度数据 endpoints.

use crate::AppState;
use crate::api::Done;
use crate::auth::Auth;
use crate::error::ApiResult;
use crate::extract::{Json, Path, Query};
use axum::extract::State;
use kechuang_domain::enterprise_year::Figures;
use kechuang_store::years::{EnterpriseYear, YearFilter};
use kechuang_store::{Page, PageRequest};
use serde::Deserialize;

/// The figures of one enterprise for one year (create or replace).
#[derive(Deserialize, utoipa::ToSchema)]
pub struct PutYear {
    pub org_id: i64,
    pub year: i32,
    #[serde(default)]
    pub figures: Figures,
}

#[utoipa::path(get, path = "/api/v1/enterprise-years", tag = "enterprise-years", params(YearFilter, PageRequest),
    responses((status = 200, body = Page<EnterpriseYear>)))]
pub async fn list(
    State(st): State<AppState>,
    a: Auth,
    Query(f): Query<YearFilter>,
    Query(p): Query<PageRequest>,
) -> ApiResult<axum::Json<Page<EnterpriseYear>>> {
    a.require("year:read")?;
    Ok(axum::Json(
        st.store.list_enterprise_years(&a.scope(), &f, p).await?,
    ))
}

#[utoipa::path(get, path = "/api/v1/enterprise-years/{id}", tag = "enterprise-years", params(("id" = i64, Path)),
    responses((status = 200, body = EnterpriseYear)))]
pub async fn get(
    State(st): State<AppState>,
    a: Auth,
    Path(id): Path<i64>,
) -> ApiResult<axum::Json<EnterpriseYear>> {
    a.require("year:read")?;
    Ok(axum::Json(
        st.store.get_enterprise_year(&a.scope(), id).await?,
    ))
}

#[utoipa::path(post, path = "/api/v1/enterprise-years", tag = "enterprise-years", request_body = PutYear,
    responses((status = 200, body = EnterpriseYear), (status = 422, body = crate::error::ErrorBody)))]
pub async fn put(
    State(st): State<AppState>,
    a: Auth,
    Json(b): Json<PutYear>,
) -> ApiResult<axum::Json<EnterpriseYear>> {
    a.require("year:write")?;
    Ok(axum::Json(
        st.store
            .put_enterprise_year(&a.caller(), b.org_id, b.year, &b.figures)
            .await?,
    ))
}

#[utoipa::path(delete, path = "/api/v1/enterprise-years/{id}", tag = "enterprise-years", params(("id" = i64, Path)),
    responses((status = 200, body = Done)))]
pub async fn delete(
    State(st): State<AppState>,
    a: Auth,
    Path(id): Path<i64>,
) -> ApiResult<axum::Json<Done>> {
    a.require("year:write")?;
    st.store.delete_enterprise_year(&a.caller(), id).await?;
    Ok(axum::Json(Done { ok: true }))
}
