//! 创新平台 endpoints.

use crate::AppState;
use crate::api::{Done, today};
use crate::auth::Auth;
use crate::error::ApiResult;
use crate::extract::{Json, Path, Query};
use axum::extract::State;
use axum::http::StatusCode;
use kechuang_domain::platform::{NewPlatform, PlatformInput};
use kechuang_store::platforms::{Platform, PlatformFilter};
use kechuang_store::{Page, PageRequest};

#[utoipa::path(get, path = "/api/v1/platforms", tag = "platforms", params(PlatformFilter, PageRequest),
    responses((status = 200, body = Page<Platform>)))]
pub async fn list(
    State(st): State<AppState>,
    a: Auth,
    Query(f): Query<PlatformFilter>,
    Query(p): Query<PageRequest>,
) -> ApiResult<axum::Json<Page<Platform>>> {
    a.require("platform:read")?;
    Ok(axum::Json(
        st.store.list_platforms(&a.scope(), &f, p).await?,
    ))
}

#[utoipa::path(get, path = "/api/v1/platforms/{id}", tag = "platforms", params(("id" = i64, Path)), responses((status = 200, body = Platform)))]
pub async fn get(
    State(st): State<AppState>,
    a: Auth,
    Path(id): Path<i64>,
) -> ApiResult<axum::Json<Platform>> {
    a.require("platform:read")?;
    Ok(axum::Json(st.store.get_platform(&a.scope(), id).await?))
}

#[utoipa::path(post, path = "/api/v1/platforms", tag = "platforms", request_body = PlatformInput,
    responses((status = 201, body = Platform), (status = 422, body = crate::error::ErrorBody)))]
pub async fn create(
    State(st): State<AppState>,
    a: Auth,
    Json(i): Json<PlatformInput>,
) -> ApiResult<(StatusCode, axum::Json<Platform>)> {
    a.require("platform:add")?;
    let p = NewPlatform::parse(&i, today())?;
    Ok((
        StatusCode::CREATED,
        axum::Json(st.store.create_platform(&a.caller(), &p).await?),
    ))
}

#[utoipa::path(put, path = "/api/v1/platforms/{id}", tag = "platforms", params(("id" = i64, Path)), request_body = PlatformInput,
    responses((status = 200, body = Platform)))]
pub async fn update(
    State(st): State<AppState>,
    a: Auth,
    Path(id): Path<i64>,
    Json(i): Json<PlatformInput>,
) -> ApiResult<axum::Json<Platform>> {
    a.require("platform:write")?;
    // Out of scope reads as missing before the body is judged: a 422 would confirm the id.
    st.store.get_platform(&a.scope(), id).await?;
    let p = NewPlatform::parse(&i, today())?;
    Ok(axum::Json(
        st.store.update_platform(&a.caller(), id, &p).await?,
    ))
}

#[utoipa::path(delete, path = "/api/v1/platforms/{id}", tag = "platforms", params(("id" = i64, Path)), responses((status = 200, body = Done)))]
pub async fn delete(
    State(st): State<AppState>,
    a: Auth,
    Path(id): Path<i64>,
) -> ApiResult<axum::Json<Done>> {
    a.require("platform:remove")?;
    st.store.delete_platform(&a.caller(), id).await?;
    Ok(axum::Json(Done { ok: true }))
}
