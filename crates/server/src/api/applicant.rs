//! The applicant side of 科技计划项目: the registry's facts for the form (预填), PDF
//! attachments with their SHA-256, and track records (履约记录).

use crate::AppState;
use crate::api::Done;
use crate::auth::Auth;
use crate::error::{ApiError, ApiResult};
use crate::extract::Multipart;
use crate::extract::{Path, Query};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use kechuang_domain::Invalid;
use kechuang_domain::attachment::check_pdf;
use kechuang_store::DataScope;
use kechuang_store::applicant::{ApplicantProfile, Attachment, TrackRecord};
use serde::Deserialize;

#[derive(Deserialize, utoipa::IntoParams)]
pub struct ProfileQuery {
    /// The applying organization; an enterprise account may leave it out (its own).
    pub org_id: Option<i64>,
}

fn org_of(a: &Auth, org_id: Option<i64>) -> ApiResult<i64> {
    match (org_id, a.scope()) {
        (Some(id), _) => Ok(id),
        (None, DataScope::Organization { org_id }) => Ok(org_id),
        (None, _) => Err(Invalid::one("org_id", "org_id.required", "请指定申报单位").into()),
    }
}

/// 预填: what the registry knows about the applying organization (its record, latest yearly
/// figures, platforms, people, titles and track record), so the form never asks for it again.
#[utoipa::path(get, path = "/api/v1/applicant-profile", tag = "projects", params(ProfileQuery),
    responses((status = 200, body = ApplicantProfile)))]
pub async fn profile(
    State(st): State<AppState>,
    a: Auth,
    Query(q): Query<ProfileQuery>,
) -> ApiResult<axum::Json<ApplicantProfile>> {
    a.require("project:read")?;
    let org = org_of(&a, q.org_id)?;
    Ok(axum::Json(
        st.store.applicant_profile(&a.scope(), org).await?,
    ))
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct TrackQuery {
    pub org_id: Option<i64>,
    pub person_id: Option<i64>,
}

/// 履约记录 of an organization or a person: projects with status, grant and rating.
#[utoipa::path(get, path = "/api/v1/track-record", tag = "projects", params(TrackQuery),
    responses((status = 200, body = TrackRecord)))]
pub async fn track_record(
    State(st): State<AppState>,
    a: Auth,
    Query(q): Query<TrackQuery>,
) -> ApiResult<axum::Json<TrackRecord>> {
    a.require("project:read")?;
    Ok(axum::Json(
        st.store
            .track_record(&a.scope(), q.org_id, q.person_id)
            .await?,
    ))
}

#[utoipa::path(get, path = "/api/v1/applications/{id}/attachments", tag = "projects",
    params(("id" = i64, Path)), responses((status = 200, body = Vec<Attachment>)))]
pub async fn attachments(
    State(st): State<AppState>,
    a: Auth,
    Path(id): Path<i64>,
) -> ApiResult<axum::Json<Vec<Attachment>>> {
    a.require("project:read")?;
    Ok(axum::Json(st.store.list_attachments(&a.scope(), id).await?))
}

/// Upload a PDF (multipart field `file`). Checked as a PDF (header and end marker, at most
/// 20 MiB) and stored with its SHA-256.
#[utoipa::path(post, path = "/api/v1/applications/{id}/attachments", tag = "projects",
    params(("id" = i64, Path)),
    request_body(content_type = "multipart/form-data", content = crate::api::io::FileUpload, description = "field `file`: a PDF"),
    responses((status = 201, body = Attachment), (status = 422, body = crate::error::ErrorBody),
        (status = 409, body = crate::error::ErrorBody)))]
pub async fn upload(
    State(st): State<AppState>,
    a: Auth,
    Path(id): Path<i64>,
    mut m: Multipart,
) -> ApiResult<(StatusCode, axum::Json<Attachment>)> {
    a.require("project:apply")?;
    while let Some(field) = m
        .next_field()
        .await
        .map_err(|e| ApiError::bad_request(format!("上传失败：{e}")))?
    {
        if field.name() != Some("file") {
            continue;
        }
        let name = field.file_name().unwrap_or_default().to_owned();
        let bytes = field
            .bytes()
            .await
            .map_err(|e| ApiError::bad_request(format!("上传失败：{e}")))?;
        let pdf = check_pdf(&name, &bytes)?;
        let att = st
            .store
            .add_attachment(&a.caller(), id, &pdf, &bytes)
            .await?;
        return Ok((StatusCode::CREATED, axum::Json(att)));
    }
    Err(Invalid::one(
        "file",
        "attachment.no_file",
        "请选择要上传的PDF文件（表单字段 file）",
    )
    .into())
}

/// Download an attachment; `X-Content-SHA256` carries the digest recorded at upload.
#[utoipa::path(get, path = "/api/v1/applications/{id}/attachments/{attachment_id}", tag = "projects",
    params(("id" = i64, Path), ("attachment_id" = i64, Path)),
    responses((status = 200, content_type = "application/pdf")))]
pub async fn download(
    State(st): State<AppState>,
    a: Auth,
    Path((id, attachment_id)): Path<(i64, i64)>,
) -> ApiResult<Response> {
    a.require("project:read")?;
    let (att, bytes) = st
        .store
        .attachment_content(&a.scope(), id, attachment_id)
        .await?;
    st.store
        .audit_event(
            &a.caller(),
            "download",
            "attachment",
            &attachment_id.to_string(),
            Some(serde_json::json!({
                "application_id": id,
                "file": att.file_name,
                "sha256": att.sha256,
            })),
        )
        .await?;
    Ok(pdf_response(att, bytes))
}

/// A stored PDF as a download, with its SHA-256 in `X-Content-SHA256`.
pub(crate) fn pdf_response(att: kechuang_store::applicant::Attachment, bytes: Vec<u8>) -> Response {
    crate::api::io::file_response(
        false,
        "attachment.pdf",
        &att.file_name,
        "application/pdf",
        &att.sha256,
        bytes,
    )
}

#[utoipa::path(delete, path = "/api/v1/applications/{id}/attachments/{attachment_id}", tag = "projects",
    params(("id" = i64, Path), ("attachment_id" = i64, Path)),
    responses((status = 200, body = Done), (status = 409, body = crate::error::ErrorBody)))]
pub async fn remove(
    State(st): State<AppState>,
    a: Auth,
    Path((id, attachment_id)): Path<(i64, i64)>,
) -> ApiResult<axum::Json<Done>> {
    a.require("project:apply")?;
    st.store
        .remove_attachment(&a.caller(), id, attachment_id)
        .await?;
    Ok(axum::Json(Done { ok: true }))
}
