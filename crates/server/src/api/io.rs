//! 导入 / 导出: xlsx and csv in, xlsx out.

use crate::AppState;
use crate::api::today;
use crate::auth::Auth;
use crate::error::{ApiError, ApiResult};
use crate::extract::Multipart;
use crate::extract::Query;
use crate::import::{self, ImportReport};
use crate::tabular::{Cell, write_xlsx};
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use kechuang_domain::enterprise_year::{FIGURES, FigureValue};
use kechuang_domain::search::SearchKind;
use kechuang_store::orgs::OrgFilter;
use kechuang_store::persons::PersonFilter;
use kechuang_store::platforms::PlatformFilter;
use kechuang_store::years::YearFilter;
use kechuang_store::{DataScope, PageRequest, Store};
use rust_decimal::prelude::ToPrimitive;
use serde::Deserialize;

/// At most this many rows per export.
pub const EXPORT_LIMIT: u64 = 200_000;

#[derive(Deserialize, utoipa::IntoParams)]
pub struct ImportOptions {
    /// Validate only; write nothing.
    #[serde(default)]
    pub dry_run: bool,
    /// Update organizations that are already registered instead of reporting them.
    #[serde(default)]
    pub update_existing: bool,
}

/// An upload: `multipart/form-data` with the file in the field `file` (for the document).
#[derive(utoipa::ToSchema)]
#[allow(dead_code)]
pub struct FileUpload {
    #[schema(value_type = String, format = Binary)]
    pub file: Vec<u8>,
}

pub(crate) async fn file_bytes(mut m: Multipart) -> ApiResult<Vec<u8>> {
    while let Some(field) = m
        .next_field()
        .await
        .map_err(|e| ApiError::bad_request(format!("上传失败：{e}")))?
    {
        if field.name() == Some("file") {
            // Read as it arrives and stop at the cap, so an oversized upload is never held whole.
            let mut field = field;
            let mut bytes = Vec::new();
            while let Some(chunk) = field
                .chunk()
                .await
                .map_err(|e| ApiError::bad_request(format!("上传失败：{e}")))?
            {
                if bytes.len() + chunk.len() > crate::tabular::MAX_UPLOAD_BYTES {
                    return Err(ApiError::new(
                        StatusCode::PAYLOAD_TOO_LARGE,
                        "import.too_large",
                        format!(
                            "文件超过 {} MiB，请分批导入",
                            crate::tabular::MAX_UPLOAD_BYTES / 1024 / 1024
                        ),
                    ));
                }
                bytes.extend_from_slice(&chunk);
            }
            return Ok(bytes);
        }
    }
    // A request without its file is malformed (400); 422 is the row-by-row report.
    let mut e: ApiError = kechuang_domain::Invalid::one(
        "file",
        "import.no_file",
        "请选择要导入的文件（表单字段 file）",
    )
    .into();
    e.status = StatusCode::BAD_REQUEST;
    Err(e)
}

fn report_response(r: ImportReport) -> Response {
    let status = if r.ok {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    (status, axum::Json(r)).into_response()
}

#[utoipa::path(post, path = "/api/v1/organizations/import", tag = "import-export", params(ImportOptions),
    request_body(content_type = "multipart/form-data", content = crate::api::io::FileUpload, description = "field `file`: xlsx or csv"),
    responses((status = 200, body = ImportReport), (status = 422, body = ImportReport)))]
pub async fn import_organizations(
    State(st): State<AppState>,
    a: Auth,
    Query(o): Query<ImportOptions>,
    m: Multipart,
) -> ApiResult<Response> {
    a.require("import")?;
    a.require("org:add")?;
    let bytes = file_bytes(m).await?;
    let r = import::import_organizations(
        &st.store,
        &a.caller(),
        &bytes,
        o.update_existing,
        o.dry_run,
        today(),
    )
    .await?;
    Ok(report_response(r))
}

#[utoipa::path(post, path = "/api/v1/enterprise-years/import", tag = "import-export", params(ImportOptions),
    request_body(content_type = "multipart/form-data", content = crate::api::io::FileUpload, description = "field `file`: xlsx or csv in the enterprise-year interchange format"),
    responses((status = 200, body = ImportReport), (status = 422, body = ImportReport)))]
pub async fn import_enterprise_years(
    State(st): State<AppState>,
    a: Auth,
    Query(o): Query<ImportOptions>,
    m: Multipart,
) -> ApiResult<Response> {
    a.require("import")?;
    a.require("year:write")?;
    let bytes = file_bytes(m).await?;
    let r = import::import_enterprise_years(&st.store, &a.caller(), &bytes, o.dry_run).await?;
    Ok(report_response(r))
}

pub fn xlsx_response(name: &str, bytes: Vec<u8>) -> Response {
    (
        [
            (
                header::CONTENT_TYPE,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_owned(),
            ),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}.xlsx\""),
            ),
        ],
        bytes,
    )
        .into_response()
}

/// A stored file as a response: its type, its name (RFC 5987 for non-ASCII names, with an
/// ASCII `fallback`), `attachment` or `inline`, and the SHA-256 recorded at upload in
/// `X-Content-SHA256` so that a reader can prove what they received.
pub(crate) fn file_response(
    inline: bool,
    fallback: &str,
    name: &str,
    content_type: &str,
    sha256: &str,
    bytes: Vec<u8>,
) -> Response {
    let encoded: String = name
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    let how = if inline { "inline" } else { "attachment" };
    (
        [
            (header::CONTENT_TYPE, content_type.to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("{how}; filename=\"{fallback}\"; filename*=UTF-8''{encoded}"),
            ),
            (
                header::HeaderName::from_static("x-content-sha256"),
                sha256.to_owned(),
            ),
        ],
        bytes,
    )
        .into_response()
}

/// The most rows one export writes (the registries' import limit).
pub(crate) const MAX_EXPORT_ROWS: usize = crate::tabular::MAX_ROWS;

/// Every page of a paged list, up to [`MAX_EXPORT_ROWS`], for an export of "the list as filtered".
pub(crate) async fn all_pages<T, F, Fut>(mut fetch: F) -> ApiResult<Vec<T>>
where
    F: FnMut(PageRequest) -> Fut,
    Fut: std::future::Future<Output = Result<kechuang_store::Page<T>, kechuang_store::StoreError>>,
{
    let size = PageRequest::MAX_SIZE;
    let mut all = Vec::new();
    for page in 1.. {
        let p = fetch(PageRequest::new(page, size)).await?;
        let last = (p.items.len() as u64) < size;
        all.extend(p.items);
        if last || all.len() >= MAX_EXPORT_ROWS {
            break;
        }
    }
    all.truncate(MAX_EXPORT_ROWS);
    Ok(all)
}

/// One sheet as a download named `file`, recorded in the audit log as an export of `entity`.
pub(crate) async fn export_sheet(
    st: &AppState,
    a: &Auth,
    entity: &'static str,
    file: &str,
    sheet: &str,
    headers: &[&str],
    rows: Vec<Vec<Cell>>,
) -> ApiResult<Response> {
    let n = rows.len();
    let bytes = crate::tabular::write_xlsx(sheet, headers, rows.into_iter()).map_err(xlsx_error)?;
    audit_export(st, a, entity, n).await?;
    Ok(xlsx_response(file, bytes))
}

pub(crate) fn xlsx_error(e: rust_xlsxwriter::XlsxError) -> ApiError {
    tracing::error!(error = %e, "xlsx export failed");
    ApiError::internal()
}

/// Exports are recorded in the audit log; if that fails, the export is refused.
pub(crate) async fn audit_export(
    st: &AppState,
    a: &Auth,
    entity: &'static str,
    rows: usize,
) -> ApiResult<()> {
    let detail = serde_json::json!({ "rows": rows });
    st.store
        .audit_event(&a.caller(), "export", entity, "", Some(detail))
        .await?;
    Ok(())
}

#[utoipa::path(get, path = "/api/v1/organizations/export", tag = "import-export", params(OrgFilter),
    responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")))]
pub async fn export_organizations(
    State(st): State<AppState>,
    a: Auth,
    Query(mut f): Query<OrgFilter>,
) -> ApiResult<Response> {
    a.require("export")?;
    a.require("org:read")?;
    f.ids = st
        .search
        .list_ids(&st.store, &a.user, SearchKind::Organization, f.q.as_deref())
        .await;
    let (n, bytes) = organizations_xlsx(&st.store, &a.scope(), &f).await?;
    audit_export(&st, &a, "organization", n).await?;
    Ok(xlsx_response("organizations", bytes))
}

/// The organization list as xlsx: (rows, bytes).
pub async fn organizations_xlsx(
    store: &Store,
    scope: &DataScope,
    f: &OrgFilter,
) -> ApiResult<(usize, Vec<u8>)> {
    let rows = store.export_organizations(scope, f, EXPORT_LIMIT).await?;
    let n = rows.len();
    let headers = import::ORG_COLUMNS
        .iter()
        .map(|(_, n)| n[0])
        .chain(["行政区划名称"])
        .collect::<Vec<_>>();
    let bytes = write_xlsx(
        "单位",
        &headers,
        rows.into_iter().map(|o| {
            vec![
                Cell::Text(o.credit_code),
                Cell::Text(o.name),
                Cell::Text(o.kind_label),
                Cell::Text(o.region_code),
                o.industry.into(),
                o.founded_on.into(),
                o.legal_representative.into(),
                o.size_class
                    .and_then(|s| kechuang_domain::organization::SizeClass::parse(&s).ok())
                    .map(|s| s.label().to_owned())
                    .into(),
                Cell::Text(o.region_name),
            ]
        }),
    )
    .map_err(xlsx_error)?;
    Ok((n, bytes))
}

#[utoipa::path(get, path = "/api/v1/enterprise-years/export", tag = "import-export", params(YearFilter),
    responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")))]
pub async fn export_enterprise_years(
    State(st): State<AppState>,
    a: Auth,
    Query(f): Query<YearFilter>,
) -> ApiResult<Response> {
    a.require("export")?;
    a.require("year:read")?;
    let (n, bytes) = enterprise_years_xlsx(&st.store, &a.scope(), &f).await?;
    audit_export(&st, &a, "enterprise_year", n).await?;
    Ok(xlsx_response("enterprise-years", bytes))
}

/// Enterprise-year figures as xlsx in the interchange format: (rows, bytes).
pub async fn enterprise_years_xlsx(
    store: &Store,
    scope: &DataScope,
    f: &YearFilter,
) -> ApiResult<(usize, Vec<u8>)> {
    let rows = store
        .export_enterprise_years(scope, f, EXPORT_LIMIT)
        .await?;
    let n = rows.len();
    let headers: Vec<&str> = ["统一社会信用代码", "年度"]
        .into_iter()
        .chain(FIGURES.iter().map(|f| f.label))
        .chain(["单位名称"])
        .collect();
    let bytes = write_xlsx(
        "企业年度数据",
        &headers,
        rows.into_iter().map(|y| {
            let mut cells = vec![
                Cell::Text(y.credit_code.clone()),
                Cell::Number(f64::from(y.year)),
            ];
            for spec in FIGURES {
                cells.push(match y.figures.get(spec.key) {
                    None => Cell::Empty,
                    Some(FigureValue::Count(n)) => Cell::Number(n as f64),
                    Some(FigureValue::Amount(d)) => Cell::Number(d.to_f64().unwrap_or_default()),
                    Some(FigureValue::Flag(b)) => Cell::Text(if b { "是" } else { "否" }.into()),
                });
            }
            cells.push(Cell::Text(y.org_name));
            cells
        }),
    )
    .map_err(xlsx_error)?;
    Ok((n, bytes))
}

#[utoipa::path(get, path = "/api/v1/platforms/export", tag = "import-export", params(PlatformFilter),
    responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")))]
pub async fn export_platforms(
    State(st): State<AppState>,
    a: Auth,
    Query(f): Query<PlatformFilter>,
) -> ApiResult<Response> {
    a.require("export")?;
    a.require("platform:read")?;
    let (n, bytes) = platforms_xlsx(&st.store, &a.scope(), &f).await?;
    audit_export(&st, &a, "platform", n).await?;
    Ok(xlsx_response("platforms", bytes))
}

/// The platform list as xlsx: (rows, bytes).
pub async fn platforms_xlsx(
    store: &Store,
    scope: &DataScope,
    f: &PlatformFilter,
) -> ApiResult<(usize, Vec<u8>)> {
    let rows = store.export_platforms(scope, f, EXPORT_LIMIT).await?;
    let n = rows.len();
    let bytes = write_xlsx(
        "创新平台",
        &[
            "平台名称",
            "平台类型",
            "平台级别",
            "依托单位",
            "行政区划代码",
            "认定日期",
            "批准文号",
            "状态",
        ],
        rows.into_iter().map(|p| {
            vec![
                Cell::Text(p.name),
                Cell::Text(p.platform_type_label),
                Cell::Text(p.level_label),
                Cell::Text(p.host_org_name),
                Cell::Text(p.region_code),
                p.recognized_on.into(),
                p.approval_document.into(),
                Cell::Text(p.status_label),
            ]
        }),
    )
    .map_err(xlsx_error)?;
    Ok((n, bytes))
}

#[utoipa::path(get, path = "/api/v1/persons/export", tag = "import-export", params(PersonFilter),
    responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")))]
pub async fn export_persons(
    State(st): State<AppState>,
    a: Auth,
    Query(mut f): Query<PersonFilter>,
) -> ApiResult<Response> {
    a.require("export")?;
    a.require("person:read")?;
    f.ids = st
        .search
        .list_ids(&st.store, &a.user, SearchKind::Person, f.q.as_deref())
        .await;
    let (n, bytes) = persons_xlsx(&st.store, &a.scope(), &f).await?;
    audit_export(&st, &a, "person", n).await?;
    Ok(xlsx_response("persons", bytes))
}

/// The person list as xlsx: (rows, bytes).
pub async fn persons_xlsx(
    store: &Store,
    scope: &DataScope,
    f: &PersonFilter,
) -> ApiResult<(usize, Vec<u8>)> {
    let rows = store.export_persons(scope, f, EXPORT_LIMIT).await?;
    let n = rows.len();
    let bytes = write_xlsx(
        "人才专家",
        &[
            "姓名",
            "所在单位",
            "行政区划",
            "职称",
            "学科领域",
            "关键词",
            "专家库",
            "人才计划",
        ],
        rows.into_iter().map(|p| {
            vec![
                Cell::Text(p.name),
                p.org_name.into(),
                Cell::Text(p.region_name),
                p.title.into(),
                Cell::Text(p.disciplines.join("、")),
                Cell::Text(p.keywords.join("、")),
                Cell::Text(if p.is_expert { "是" } else { "否" }.into()),
                p.talent_programme.into(),
            ]
        }),
    )
    .map_err(xlsx_error)?;
    Ok((n, bytes))
}

#[utoipa::path(post, path = "/api/v1/experts/import", tag = "import-export", params(ImportOptions),
    request_body(content_type = "multipart/form-data", content = crate::api::io::FileUpload, description = "field `file`: xlsx or csv with 姓名, 所在单位统一社会信用代码, 行政区划代码, 职称, 职称级别, 学科领域, 研究方向关键词, 评审数量上限, 可参评开始日期, 可参评截止日期, 共同承担项目, 合作论文"),
    responses((status = 200, body = ImportReport), (status = 422, body = ImportReport)))]
pub async fn import_experts(
    State(st): State<AppState>,
    a: Auth,
    Query(o): Query<ImportOptions>,
    m: Multipart,
) -> ApiResult<Response> {
    a.require("import")?;
    a.require("person:add")?;
    let bytes = file_bytes(m).await?;
    let r = import::import_experts(&st.store, &a.caller(), &bytes, o.dry_run).await?;
    Ok(report_response(r))
}
