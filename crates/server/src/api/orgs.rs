//! 单位 endpoints.

use crate::AppState;
use crate::api::{Done, today};
use crate::auth::Auth;
use crate::error::ApiResult;
use crate::extract::{Json, Path, Query};
use axum::extract::State;
use axum::http::StatusCode;
use kechuang_domain::organization::{NewOrganization, OrganizationInput};
use kechuang_domain::search::SearchKind;
use kechuang_store::orgs::{OrgFilter, Organization};
use kechuang_store::{Page, PageRequest};

#[utoipa::path(get, path = "/api/v1/organizations", tag = "organizations", params(OrgFilter, PageRequest),
    responses((status = 200, body = Page<Organization>)))]
pub async fn list(
    State(st): State<AppState>,
    a: Auth,
    Query(mut f): Query<OrgFilter>,
    Query(p): Query<PageRequest>,
) -> ApiResult<axum::Json<Page<Organization>>> {
    a.require("org:read")?;
    f.ids = st
        .search
        .list_ids(&st.store, &a.user, SearchKind::Organization, f.q.as_deref())
        .await;
    Ok(axum::Json(
        st.store.list_organizations(&a.scope(), &f, p).await?,
    ))
}

#[utoipa::path(get, path = "/api/v1/organizations/{id}", tag = "organizations", params(("id" = i64, Path)),
    responses((status = 200, body = Organization), (status = 404, body = crate::error::ErrorBody)))]
pub async fn get(
    State(st): State<AppState>,
    a: Auth,
    Path(id): Path<i64>,
) -> ApiResult<axum::Json<Organization>> {
    a.require("org:read")?;
    Ok(axum::Json(st.store.get_organization(&a.scope(), id).await?))
}

#[utoipa::path(post, path = "/api/v1/organizations", tag = "organizations", request_body = OrganizationInput,
    responses((status = 201, body = Organization), (status = 422, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody)))]
pub async fn create(
    State(st): State<AppState>,
    a: Auth,
    Json(i): Json<OrganizationInput>,
) -> ApiResult<(StatusCode, axum::Json<Organization>)> {
    a.require("org:add")?;
    let o = NewOrganization::parse(&i, today())?;
    Ok((
        StatusCode::CREATED,
        axum::Json(st.store.create_organization(&a.caller(), &o).await?),
    ))
}

#[utoipa::path(put, path = "/api/v1/organizations/{id}", tag = "organizations", params(("id" = i64, Path)), request_body = OrganizationInput,
    responses((status = 200, body = Organization), (status = 422, body = crate::error::ErrorBody)))]
pub async fn update(
    State(st): State<AppState>,
    a: Auth,
    Path(id): Path<i64>,
    Json(i): Json<OrganizationInput>,
) -> ApiResult<axum::Json<Organization>> {
    a.require("org:write")?;
    // Out of scope reads as missing before the body is judged: a 422 would confirm the id.
    st.store.get_organization(&a.scope(), id).await?;
    let o = NewOrganization::parse(&i, today())?;
    Ok(axum::Json(
        st.store.update_organization(&a.caller(), id, &o).await?,
    ))
}

#[utoipa::path(delete, path = "/api/v1/organizations/{id}", tag = "organizations", params(("id" = i64, Path)),
    responses((status = 200, body = Done), (status = 409, body = crate::error::ErrorBody)))]
pub async fn delete(
    State(st): State<AppState>,
    a: Auth,
    Path(id): Path<i64>,
) -> ApiResult<axum::Json<Done>> {
    a.require("org:remove")?;
    st.store.delete_organization(&a.caller(), id).await?;
    Ok(axum::Json(Done { ok: true }))
}
