//! 人才 / 专家 endpoints. Identity numbers are hashed here with the deployment key and never
//! travel further.

use crate::AppState;
use crate::api::Done;
use crate::auth::Auth;
use crate::error::ApiResult;
use crate::extract::{Json, Path, Query};
use axum::extract::State;
use axum::http::StatusCode;
use kechuang_domain::person::{NewPerson, PersonInput};
use kechuang_domain::search::SearchKind;
use kechuang_store::persons::{Person, PersonFilter};
use kechuang_store::{DataScope, Page, PageRequest};

#[utoipa::path(get, path = "/api/v1/persons", tag = "persons", params(PersonFilter, PageRequest), responses((status = 200, body = Page<Person>)))]
pub async fn list(
    State(st): State<AppState>,
    a: Auth,
    Query(mut f): Query<PersonFilter>,
    Query(p): Query<PageRequest>,
) -> ApiResult<axum::Json<Page<Person>>> {
    a.require("person:read")?;
    f.ids = st
        .search
        .list_ids(&st.store, &a.user, SearchKind::Person, f.q.as_deref())
        .await;
    Ok(axum::Json(st.store.list_persons(&a.scope(), &f, p).await?))
}

#[utoipa::path(get, path = "/api/v1/persons/{id}", tag = "persons", params(("id" = i64, Path)), responses((status = 200, body = Person)))]
pub async fn get(
    State(st): State<AppState>,
    a: Auth,
    Path(id): Path<i64>,
) -> ApiResult<axum::Json<Person>> {
    a.require("person:read")?;
    Ok(axum::Json(st.store.get_person(&a.scope(), id).await?))
}

#[utoipa::path(post, path = "/api/v1/persons", tag = "persons", request_body = PersonInput,
    responses((status = 201, body = Person), (status = 422, body = crate::error::ErrorBody)))]
pub async fn create(
    State(st): State<AppState>,
    a: Auth,
    Json(i): Json<PersonInput>,
) -> ApiResult<(StatusCode, axum::Json<Person>)> {
    a.require("person:add")?;
    let p = NewPerson::parse(&i)?;
    // An expert account (仅本人) creates its own profile, linked to itself.
    let owner = matches!(a.scope(), DataScope::SelfOnly { .. }).then_some(a.user.id);
    Ok((
        StatusCode::CREATED,
        axum::Json(
            st.store
                .create_person(&a.caller(), &p, &st.config.id_hash_key, owner)
                .await?,
        ),
    ))
}

#[utoipa::path(put, path = "/api/v1/persons/{id}", tag = "persons", params(("id" = i64, Path)), request_body = PersonInput,
    responses((status = 200, body = Person)))]
pub async fn update(
    State(st): State<AppState>,
    a: Auth,
    Path(id): Path<i64>,
    Json(i): Json<PersonInput>,
) -> ApiResult<axum::Json<Person>> {
    a.require("person:write")?;
    // Out of scope reads as missing before the body is judged: a 422 would confirm the id.
    st.store.get_person(&a.scope(), id).await?;
    let p = NewPerson::parse(&i)?;
    Ok(axum::Json(
        st.store
            .update_person(&a.caller(), id, &p, &st.config.id_hash_key)
            .await?,
    ))
}

#[utoipa::path(delete, path = "/api/v1/persons/{id}", tag = "persons", params(("id" = i64, Path)), responses((status = 200, body = Done)))]
pub async fn delete(
    State(st): State<AppState>,
    a: Auth,
    Path(id): Path<i64>,
) -> ApiResult<axum::Json<Done>> {
    a.require("person:remove")?;
    st.store.delete_person(&a.caller(), id).await?;
    Ok(axum::Json(Done { ok: true }))
}
