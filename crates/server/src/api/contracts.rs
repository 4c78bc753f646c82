//! 技术合同认定登记 endpoints: the seller applies (草稿 → 提交), the registration office of the
//! seller's region decides with the `tech-contract` pack (登记 / 退回补正 / 不予登记, 大额复核),
//! prints the 登记证明, and everyone who may read contracts sees the statistics.

use crate::AppState;
use crate::api::io::{all_pages, export_sheet};
use crate::api::{Done, region_label, today};
use crate::auth::Auth;
use crate::contracts_svc::{self, Assessment, Facts};
use crate::docs::{Document, Section, docx_response};
use crate::error::{ApiError, ApiResult};
use crate::extract::Multipart;
use crate::extract::{Json, Path, Query};
use crate::tabular::Cell;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use chrono::Datelike;
use kechuang_domain::attachment::check_pdf;
use kechuang_domain::contract::{
    Category, ContractInput, Field, Findings, Form, IpKind, NewContract, Status, due_date,
};
use kechuang_domain::money::from_fen;
use kechuang_domain::{DataScope, Invalid};
use kechuang_store::contracts::{Contract, ContractFilter, Ruling};
use kechuang_store::{Page, PageRequest};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A contract with the moves the caller may make on it.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ContractView {
    #[serde(flatten)]
    pub contract: Contract,
    /// edit | delete | upload | submit | decide | confirm | certificate
    pub actions: Vec<String>,
}

fn actions(a: &Auth, c: &Contract) -> Vec<String> {
    let status = c.status();
    let mut out = Vec::new();
    let seller = a.user.has_permission("contract:apply")
        && matches!(a.scope(), DataScope::Organization { org_id } if org_id == c.seller_org_id);
    if seller && status.is_some_and(Status::editable) {
        out.extend(["edit", "upload"]);
        if c.file_sha256.is_some() {
            out.push("submit");
        }
    }
    if seller && status == Some(Status::Draft) {
        out.push("delete");
    }
    if a.user.has_permission("contract:register") {
        if status == Some(Status::Submitted) {
            out.push("decide");
        }
        if status == Some(Status::SecondReview) && c.first_reviewer != Some(a.user.id) {
            out.push("confirm");
        }
    }
    if status == Some(Status::Registered) {
        out.push("certificate");
    }
    out.into_iter().map(str::to_owned).collect()
}

fn view(a: &Auth, c: Contract) -> axum::Json<ContractView> {
    axum::Json(ContractView {
        actions: actions(a, &c),
        contract: c,
    })
}

/// The seller is the caller's own organization: only enterprise, university and institute
/// accounts apply (the seller side applies, 2000年办法).
fn seller_of(a: &Auth) -> ApiResult<i64> {
    match a.scope() {
        DataScope::Organization { org_id } => Ok(org_id),
        _ => Err(Invalid::one(
            "seller_org_id",
            "contract.seller_only",
            "技术合同由卖方（研究开发方、让与方、许可方、受托方）以本单位账号申请登记",
        )
        .into()),
    }
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CategoryItem {
    pub value: String,
    pub label: String,
    pub subcategories: Vec<DictItem>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ContractDicts {
    pub categories: Vec<CategoryItem>,
    pub fields: Vec<DictItem>,
    pub ip_kinds: Vec<DictItem>,
    pub forms: Vec<DictItem>,
    pub statuses: Vec<DictItem>,
}

use crate::api::{DictItem, dict_item as item};

#[utoipa::path(get, path = "/api/v1/contracts/dicts", tag = "contracts",
    responses((status = 200, body = ContractDicts), (status = 403, body = crate::error::ErrorBody)))]
pub async fn dicts(a: Auth) -> ApiResult<axum::Json<ContractDicts>> {
    a.require("contract:read")?;
    Ok(axum::Json(ContractDicts {
        categories: Category::ALL
            .iter()
            .map(|c| CategoryItem {
                value: c.as_str().into(),
                label: c.label().into(),
                subcategories: c.subcategories().iter().map(|(v, l)| item(v, l)).collect(),
            })
            .collect(),
        fields: Field::ALL
            .iter()
            .map(|f| item(f.as_str(), f.label()))
            .collect(),
        ip_kinds: IpKind::ALL
            .iter()
            .map(|f| item(f.as_str(), f.label()))
            .collect(),
        forms: Form::ALL
            .iter()
            .map(|f| item(f.as_str(), f.label()))
            .collect(),
        statuses: Status::ALL
            .iter()
            .map(|s| DictItem {
                tag: Some(s.tag().into()),
                ..item(s.as_str(), s.label())
            })
            .collect(),
    }))
}

#[utoipa::path(get, path = "/api/v1/contracts", tag = "contracts", params(ContractFilter, PageRequest),
    responses((status = 200, body = Page<Contract>), (status = 403, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn list(
    State(st): State<AppState>,
    a: Auth,
    Query(f): Query<ContractFilter>,
    Query(p): Query<PageRequest>,
) -> ApiResult<axum::Json<Page<Contract>>> {
    a.require("contract:read")?;
    Ok(axum::Json(
        st.store.list_contracts(&a.scope(), &f, p).await?,
    ))
}

#[utoipa::path(get, path = "/api/v1/contracts/{id}", tag = "contracts", params(("id" = i64, Path)),
    responses((status = 200, body = ContractView), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody)))]
pub async fn get(
    State(st): State<AppState>,
    a: Auth,
    Path(id): Path<i64>,
) -> ApiResult<axum::Json<ContractView>> {
    a.require("contract:read")?;
    let c = st.store.get_contract(&a.scope(), id).await?;
    Ok(view(&a, c))
}

#[utoipa::path(post, path = "/api/v1/contracts", tag = "contracts", request_body = ContractInput,
    responses((status = 201, body = ContractView), (status = 403, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn create(
    State(st): State<AppState>,
    a: Auth,
    Json(i): Json<ContractInput>,
) -> ApiResult<(StatusCode, axum::Json<ContractView>)> {
    a.require("contract:apply")?;
    let seller = seller_of(&a)?;
    let c = NewContract::parse(&i, today(), false)?;
    let saved = st.store.create_contract(&a.caller(), seller, &c).await?;
    Ok((StatusCode::CREATED, view(&a, saved)))
}

#[utoipa::path(put, path = "/api/v1/contracts/{id}", tag = "contracts", params(("id" = i64, Path)), request_body = ContractInput,
    responses((status = 200, body = ContractView), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn update(
    State(st): State<AppState>,
    a: Auth,
    Path(id): Path<i64>,
    Json(i): Json<ContractInput>,
) -> ApiResult<axum::Json<ContractView>> {
    a.require("contract:apply")?;
    seller_of(&a)?;
    // Out of scope reads as missing before the body is judged: a 422 would confirm the id.
    st.store.get_contract(&a.scope(), id).await?;
    let c = NewContract::parse(&i, today(), false)?;
    let saved = st.store.update_contract(&a.caller(), id, &c).await?;
    Ok(view(&a, saved))
}

#[utoipa::path(delete, path = "/api/v1/contracts/{id}", tag = "contracts", params(("id" = i64, Path)),
    responses((status = 200, body = Done), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody)))]
pub async fn delete(
    State(st): State<AppState>,
    a: Auth,
    Path(id): Path<i64>,
) -> ApiResult<axum::Json<Done>> {
    a.require("contract:apply")?;
    seller_of(&a)?;
    st.store.delete_contract(&a.caller(), id).await?;
    Ok(axum::Json(Done { ok: true }))
}

#[utoipa::path(post, path = "/api/v1/contracts/{id}/file", tag = "contracts", params(("id" = i64, Path)),
    request_body(content_type = "multipart/form-data", content = crate::api::io::FileUpload, description = "合同文本 PDF，表单字段 file"),
    responses((status = 200, body = ContractView), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn upload(
    State(st): State<AppState>,
    a: Auth,
    Path(id): Path<i64>,
    mut m: Multipart,
) -> ApiResult<axum::Json<ContractView>> {
    a.require("contract:apply")?;
    seller_of(&a)?;
    st.store.get_contract(&a.scope(), id).await?;
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
        let saved = st
            .store
            .attach_contract_file(&a.caller(), id, &pdf.file_name, &pdf.sha256, &bytes)
            .await?;
        return Ok(view(&a, saved));
    }
    Err(Invalid::one(
        "file",
        "attachment.no_file",
        "请选择要上传的合同文本PDF文件（表单字段 file）",
    )
    .into())
}

/// The signed text; `X-Content-SHA256` carries the digest recorded at upload. Downloads are
/// audited.
#[utoipa::path(get, path = "/api/v1/contracts/{id}/file", tag = "contracts", params(("id" = i64, Path)),
    responses((status = 200, content_type = "application/pdf"), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody)))]
pub async fn download(
    State(st): State<AppState>,
    a: Auth,
    Path(id): Path<i64>,
) -> ApiResult<Response> {
    a.require("contract:read")?;
    let (c, bytes) = st.store.contract_file(&a.scope(), id).await?;
    st.store
        .audit_event(
            &a.caller(),
            "download",
            "tech_contract",
            &id.to_string(),
            Some(serde_json::json!({ "file": c.file_name, "sha256": c.file_sha256 })),
        )
        .await?;
    Ok(crate::api::io::file_response(
        false,
        "contract.pdf",
        &c.file_name.unwrap_or_default(),
        "application/pdf",
        &c.file_sha256.unwrap_or_default(),
        bytes,
    ))
}

/// The pack's view of a stored contract.
fn facts(c: &Contract) -> Facts {
    Facts {
        category_code: Category::parse(&c.category).map(|x| x.code()).unwrap_or(0),
        written: c.form == Form::Written.as_str(),
        total_fen: c.total_fen(),
        non_tech_fen: fen(&c.non_tech_amount),
        carrier_fen: fen(&c.carrier_amount),
        corrected: c.corrected,
    }
}

fn fen(yuan: &str) -> i64 {
    kechuang_domain::money::fen_of_text(yuan).unwrap_or_default()
}

/// The year whose rules apply: the year the contract was accepted (today for a draft).
fn rule_year(c: &Contract) -> i32 {
    c.submitted_on
        .as_deref()
        .and_then(|d| d.get(..4))
        .and_then(|y| y.parse().ok())
        .unwrap_or_else(|| today().year())
}

#[utoipa::path(post, path = "/api/v1/contracts/{id}/submit", tag = "contracts", params(("id" = i64, Path)),
    responses((status = 200, body = ContractView), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn submit(
    State(st): State<AppState>,
    a: Auth,
    Path(id): Path<i64>,
) -> ApiResult<axum::Json<ContractView>> {
    a.require("contract:apply")?;
    seller_of(&a)?;
    let c = st.store.get_contract(&a.scope(), id).await?;
    let day = today();
    // The deadline of the rules in force on the day of acceptance, for a clean contract.
    let base = contracts_svc::assess(facts(&c), &Findings::default(), day.year())?;
    let due = due_date(day, base.deadline_days, base.deadline_working);
    let saved = st.store.submit_contract(&a.caller(), id, day, due).await?;
    Ok(view(&a, saved))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[schema(as = ContractDecideInput)]
pub struct DecideInput {
    pub findings: Findings,
    #[serde(default)]
    pub note: Option<String>,
}

#[utoipa::path(post, path = "/api/v1/contracts/{id}/assess", tag = "contracts", params(("id" = i64, Path)), request_body = Findings,
    responses((status = 200, body = Assessment), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn assess(
    State(st): State<AppState>,
    a: Auth,
    Path(id): Path<i64>,
    Json(f): Json<Findings>,
) -> ApiResult<axum::Json<Assessment>> {
    a.require("contract:register")?;
    let c = st.store.get_contract(&a.scope(), id).await?;
    Ok(axum::Json(contracts_svc::assess(
        facts(&c),
        &f,
        rule_year(&c),
    )?))
}

fn note_of(n: Option<String>) -> ApiResult<Option<String>> {
    let n = n.map(|s| s.trim().to_owned()).filter(|s| !s.is_empty());
    if n.as_ref().is_some_and(|s| s.chars().count() > 1000) {
        return Err(Invalid::one("note", "note.length", "审核意见不能超过1000字").into());
    }
    Ok(n)
}

#[utoipa::path(post, path = "/api/v1/contracts/{id}/decide", tag = "contracts", params(("id" = i64, Path)), request_body = DecideInput,
    responses((status = 200, body = ContractView), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn decide(
    State(st): State<AppState>,
    a: Auth,
    Path(id): Path<i64>,
    Json(i): Json<DecideInput>,
) -> ApiResult<axum::Json<ContractView>> {
    a.require("contract:register")?;
    let c = st.store.get_contract(&a.scope(), id).await?;
    let note = note_of(i.note)?;
    let r = contracts_svc::assess(facts(&c), &i.findings, rule_year(&c))?;
    let saved = st
        .store
        .decide_contract(
            &a.caller(),
            id,
            &Ruling {
                decision: r.decision,
                technical_fen: r.technical_fen,
                second_review: r.second_review,
                reasons: r.reasons,
                explanation: format!("适用：{}\n{}", r.rules_label, r.explanation_text),
                findings: i.findings,
                note,
                today: today(),
            },
        )
        .await?;
    Ok(view(&a, saved))
}

#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
pub struct ConfirmInput {
    #[serde(default)]
    pub note: Option<String>,
}

#[utoipa::path(post, path = "/api/v1/contracts/{id}/confirm", tag = "contracts", params(("id" = i64, Path)), request_body = ConfirmInput,
    responses((status = 200, body = ContractView), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn confirm(
    State(st): State<AppState>,
    a: Auth,
    Path(id): Path<i64>,
    Json(i): Json<ConfirmInput>,
) -> ApiResult<axum::Json<ContractView>> {
    a.require("contract:register")?;
    st.store.get_contract(&a.scope(), id).await?;
    let note = note_of(i.note)?;
    let saved = st
        .store
        .confirm_contract(&a.caller(), id, note, today())
        .await?;
    Ok(view(&a, saved))
}

/// 技术合同登记证明 as a Word document: both amounts (成交额 and 核定技术交易额), as the newer
/// rules require and the 2000 办法's 技术性收入 implies.
#[utoipa::path(get, path = "/api/v1/contracts/{id}/certificate", tag = "contracts", params(("id" = i64, Path)),
    responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody)))]
pub async fn certificate(
    State(st): State<AppState>,
    a: Auth,
    Path(id): Path<i64>,
) -> ApiResult<Response> {
    a.require("contract:read")?;
    let c = st.store.get_contract(&a.scope(), id).await?;
    if c.status() != Some(Status::Registered) {
        return Err(ApiError::conflict(
            "contract.not_registered",
            format!("合同当前为“{}”，尚未登记，不能出具登记证明", c.status_label),
        ));
    }
    let regno = c.registration_no.clone().unwrap_or_default();
    let doc = Document {
        title: "技术合同登记证明".into(),
        subtitle: Some(format!("登记编号：{regno}")),
        sections: vec![
            Section {
                heading: "一、合同".into(),
                rows: vec![
                    ("项目名称".into(), c.subject.clone()),
                    ("合同编号".into(), c.contract_no.clone()),
                    (
                        "合同类别".into(),
                        format!("{} {}", c.category_label, c.subcategory_label)
                            .trim()
                            .to_owned(),
                    ),
                    ("技术领域".into(), c.field_label.clone()),
                    ("签订日期".into(), c.signed_on.clone()),
                    (
                        "有效期限".into(),
                        format!(
                            "{} 至 {}",
                            c.valid_from.clone().unwrap_or_default(),
                            c.valid_to.clone().unwrap_or_default()
                        ),
                    ),
                ],
            },
            Section {
                heading: "二、当事人".into(),
                rows: vec![
                    (
                        "卖方".into(),
                        format!("{}（{}）", c.seller_name, c.seller_credit_code),
                    ),
                    ("卖方所在地".into(), region_label(&c.seller_region_code)),
                    (
                        "买方".into(),
                        format!("{}（{}）", c.buyer_name, c.buyer_credit_code),
                    ),
                    ("买方所在地".into(), region_label(&c.buyer_region_code)),
                ],
            },
            Section {
                heading: "三、金额（元）".into(),
                rows: vec![
                    ("合同成交额".into(), c.total_amount.clone()),
                    ("非技术性费用".into(), c.non_tech_amount.clone()),
                    (
                        "核定技术交易额".into(),
                        c.technical_amount.clone().unwrap_or_default(),
                    ),
                ],
            },
            Section {
                heading: "四、认定登记".into(),
                rows: vec![
                    ("登记日期".into(), c.decided_on.clone().unwrap_or_default()),
                    ("认定依据".into(), c.reasons.join("；")),
                ],
            },
        ],
        signatures: vec![
            "技术合同认定登记机构（盖章）：".into(),
            format!("日期：{}", c.decided_on.clone().unwrap_or_default()),
        ],
    };
    let bytes = doc.to_docx().map_err(|e| {
        tracing::error!(error = %e, "certificate docx failed");
        ApiError::internal()
    })?;
    st.store
        .audit_event(
            &a.caller(),
            "download",
            "tech_contract",
            &id.to_string(),
            Some(serde_json::json!({ "document": "登记证明", "registration_no": regno })),
        )
        .await?;
    Ok(docx_response(&format!("技术合同登记证明-{regno}"), bytes))
}

#[utoipa::path(get, path = "/api/v1/contracts/export", tag = "contracts", params(ContractFilter),
    responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"), (status = 403, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn export(
    State(st): State<AppState>,
    a: Auth,
    Query(f): Query<ContractFilter>,
) -> ApiResult<Response> {
    a.require("export")?;
    a.require("contract:read")?;
    let scope = a.scope();
    let rows = all_pages(|p| st.store.list_contracts(&scope, &f, p)).await?;
    let money = |s: &str| {
        s.parse::<f64>()
            .map(Cell::Number)
            .unwrap_or_else(|_| Cell::Text(s.to_owned()))
    };
    export_sheet(
        &st,
        &a,
        "tech_contract",
        "contracts",
        "技术合同",
        &[
            "登记编号",
            "合同编号",
            "项目名称",
            "合同类别",
            "子类",
            "技术领域",
            "卖方",
            "卖方所在地",
            "买方",
            "买方所在地",
            "合同成交额（元）",
            "非技术性费用（元）",
            "核定技术交易额（元）",
            "签订日期",
            "状态",
            "登记日期",
        ],
        rows.into_iter()
            .map(|c| {
                vec![
                    c.registration_no.clone().into(),
                    Cell::Text(c.contract_no.clone()),
                    Cell::Text(c.subject.clone()),
                    Cell::Text(if c.category_label.is_empty() {
                        c.category_text.clone()
                    } else {
                        c.category_label.clone()
                    }),
                    Cell::Text(c.subcategory_label.clone()),
                    Cell::Text(c.field_label.clone()),
                    Cell::Text(c.seller_name.clone()),
                    Cell::Text(c.seller_region_name.clone()),
                    Cell::Text(c.buyer_name.clone()),
                    Cell::Text(c.buyer_region_name.clone()),
                    money(&c.total_amount),
                    money(&c.non_tech_amount),
                    c.technical_amount.as_deref().map_or(Cell::Empty, money),
                    Cell::Text(c.signed_on.clone()),
                    Cell::Text(c.status_label.clone()),
                    c.decided_on.clone().into(),
                ]
            })
            .collect(),
    )
    .await
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct StatsQuery {
    pub year_from: Option<i32>,
    pub year_to: Option<i32>,
    /// output (输出, by the seller's region: the plan targets' 口径) | input (吸纳, by the buyer's)
    pub direction: Option<String>,
}

#[derive(Debug, Default, Serialize, utoipa::ToSchema)]
pub struct StatItem {
    pub key: String,
    pub label: String,
    pub count: i64,
    /// 成交额 (元)
    pub turnover: String,
    /// 技术交易额 (元)
    pub technical: String,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ContractStats {
    pub direction: String,
    pub year_from: i32,
    pub year_to: i32,
    pub total: StatItem,
    pub years: Vec<StatItem>,
    pub categories: Vec<StatItem>,
    pub fields: Vec<StatItem>,
    /// Months of `year_to`.
    pub months: Vec<StatItem>,
    pub regions: Vec<StatItem>,
}

#[derive(Default)]
struct Acc(i64, i64, i64);

fn items(m: BTreeMap<String, Acc>, label: impl Fn(&str) -> String) -> Vec<StatItem> {
    m.into_iter()
        .map(|(k, a)| StatItem {
            label: label(&k),
            key: k,
            count: a.0,
            turnover: from_fen(a.1).to_string(),
            technical: from_fen(a.2).to_string(),
        })
        .collect()
}

#[utoipa::path(get, path = "/api/v1/contracts/stats", tag = "contracts", params(StatsQuery),
    responses((status = 200, body = ContractStats), (status = 403, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn stats(
    State(st): State<AppState>,
    a: Auth,
    Query(q): Query<StatsQuery>,
) -> ApiResult<axum::Json<ContractStats>> {
    a.require("contract:read")?;
    Ok(axum::Json(compute_stats(&st, &a, &q).await?))
}

/// 技术合同统计 as xlsx: the totals by year, category, field, month and region, both amounts.
#[utoipa::path(get, path = "/api/v1/contracts/stats/export", tag = "contracts", params(StatsQuery),
    responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"), (status = 403, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn export_stats(
    State(st): State<AppState>,
    a: Auth,
    Query(q): Query<StatsQuery>,
) -> ApiResult<Response> {
    a.require("export")?;
    a.require("contract:read")?;
    let s = compute_stats(&st, &a, &q).await?;
    let direction = if s.direction == "input" {
        "吸纳（按买方所在地）"
    } else {
        "输出（按卖方所在地）"
    };
    let money = |v: &str| {
        v.parse::<f64>()
            .map(|y| Cell::Number(y / 10_000.0))
            .unwrap_or(Cell::Empty)
    };
    let mut rows = vec![vec![
        Cell::Text("统计口径".into()),
        Cell::Text(format!("{}—{}年登记，{direction}", s.year_from, s.year_to)),
        Cell::Empty,
        Cell::Empty,
        Cell::Empty,
    ]];
    for (group, items) in [
        ("合计", std::slice::from_ref(&s.total)),
        ("年度", s.years.as_slice()),
        ("合同类别", s.categories.as_slice()),
        ("技术领域", s.fields.as_slice()),
        ("月份", s.months.as_slice()),
        ("地区", s.regions.as_slice()),
    ] {
        for i in items {
            rows.push(vec![
                Cell::Text(group.into()),
                Cell::Text(i.label.clone()),
                Cell::Number(i.count as f64),
                money(&i.turnover),
                money(&i.technical),
            ]);
        }
    }
    export_sheet(
        &st,
        &a,
        "tech_contract_stats",
        "contract-stats",
        "技术合同统计",
        &[
            "分组",
            "项目",
            "合同数（项）",
            "成交额（万元）",
            "技术交易额（万元）",
        ],
        rows,
    )
    .await
}

async fn compute_stats(st: &AppState, a: &Auth, q: &StatsQuery) -> ApiResult<ContractStats> {
    let this = today().year();
    let year_to = q.year_to.unwrap_or(this);
    let year_from = q.year_from.unwrap_or(year_to - 5);
    if !(1990..=this + 1).contains(&year_to) || year_from > year_to || year_to - year_from > 30 {
        return Err(Invalid::one(
            "year_from",
            "stats.years",
            "统计年份范围无效（起止年份应在1990年以后，起不晚于止，跨度不超过30年）",
        )
        .into());
    }
    let absorbed = match q.direction.as_deref().unwrap_or("output") {
        "output" | "" => false,
        "input" => true,
        other => {
            return Err(Invalid::one(
                "direction",
                "stats.direction",
                format!("统计口径“{other}”无效，可选：output（输出）、input（吸纳）"),
            )
            .into());
        }
    };
    let rows = st
        .store
        .contract_stats(&a.scope(), year_from..=year_to, absorbed)
        .await?;
    let (mut years, mut cats, mut fields, mut months, mut regions) = (
        BTreeMap::<String, Acc>::new(),
        BTreeMap::<String, Acc>::new(),
        BTreeMap::<String, Acc>::new(),
        BTreeMap::<String, Acc>::new(),
        BTreeMap::<String, Acc>::new(),
    );
    for y in year_from..=year_to {
        years.insert(y.to_string(), Acc::default());
    }
    for m in 1..=12 {
        months.insert(format!("{year_to:04}-{m:02}"), Acc::default());
    }
    let mut total = Acc::default();
    for r in &rows {
        let year = r.month.get(..4).unwrap_or_default().to_owned();
        for (map, key) in [
            (&mut years, year.clone()),
            (&mut cats, r.category.clone()),
            (&mut fields, r.field.clone()),
            (&mut regions, r.region.clone()),
        ] {
            let e = map.entry(key).or_default();
            e.0 += r.count;
            e.1 += r.turnover_fen;
            e.2 += r.technical_fen;
        }
        if year == year_to.to_string() {
            let e = months.entry(r.month.clone()).or_default();
            e.0 += r.count;
            e.1 += r.turnover_fen;
            e.2 += r.technical_fen;
        }
        total.0 += r.count;
        total.1 += r.turnover_fen;
        total.2 += r.technical_fen;
    }
    Ok(ContractStats {
        direction: if absorbed { "input" } else { "output" }.into(),
        year_from,
        year_to,
        total: StatItem {
            key: "total".into(),
            label: "合计".into(),
            count: total.0,
            turnover: from_fen(total.1).to_string(),
            technical: from_fen(total.2).to_string(),
        },
        years: items(years, |k| format!("{k}年")),
        categories: items(cats, |k| {
            Category::parse(k)
                .map(|c| c.label().to_owned())
                .unwrap_or_else(|_| "其他".into())
        }),
        fields: items(fields, |k| {
            Field::parse(k)
                .map(|c| c.label().to_owned())
                .unwrap_or_else(|_| "未填技术领域".into())
        }),
        months: items(months, |k| format!("{}月", k.get(5..).unwrap_or(k))),
        regions: items(regions, region_label),
    })
}
