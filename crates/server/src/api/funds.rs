//! 资金与服务 endpoints: programmes, grants (notice, objections, approval, payment), the
//! ledger, innovation vouchers with providers and orders, shared instruments and bookings,
//! 科技贷 with 贴息 and the risk-compensation pool.
//!
//! Reading takes `funds:read` (the bureau) or `funds:apply` (an organization's own side); the
//! store scopes every read. The bureau's moves take `funds:manage`; an organization's moves
//! (apply for a voucher, order, book, confirm a service, record use of its instrument) take
//! `funds:apply` and act for the caller's own organization.

use crate::AppState;
use crate::api::io::{all_pages, export_sheet};
use crate::api::{DictItem, dict_item, today};
use crate::auth::Auth;
use crate::error::{ApiError, ApiResult};
use crate::extract::{Json, Path, Query};
use crate::funds_svc;
use crate::tabular::Cell;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use kechuang_domain::Invalid;
use kechuang_domain::funds::*;
use kechuang_domain::money::from_fen;
use kechuang_store::funds::finance::{Loan, LoanFilter, PoolEntry, PoolSummary};
use kechuang_store::funds::instruments::{
    Booking, BookingFilter, Instrument, InstrumentFilter, InstrumentYear, Slot,
};
use kechuang_store::funds::vouchers::{
    OrderFilter, Provider, ProviderFilter, Redemption, ServiceOrder, Voucher, VoucherFilter,
    VoucherStats,
};
use kechuang_store::funds::{
    BatchOutcome, Grant, GrantFilter, Ledger, NewGrant, Payment, PaymentFilter, Programme,
    ProgrammeFilter,
};
use kechuang_store::{DataScope, Page, PageRequest};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

fn read(a: &Auth) -> ApiResult<()> {
    a.require("funds:read")
        .or_else(|_| a.require("funds:apply"))
}

fn manages(a: &Auth) -> bool {
    a.require("funds:manage").is_ok()
}

/// The organization an organization-side caller acts for.
fn own_org(a: &Auth) -> ApiResult<i64> {
    match a.scope() {
        DataScope::Organization { org_id } => Ok(org_id),
        _ => Err(Invalid::one(
            "org_id",
            "funds.no_org",
            "此操作由单位账号办理（当前账号不属于某个单位）",
        )
        .into()),
    }
}

fn items<T: Copy>(all: &[T], v: fn(T) -> &'static str, l: fn(T) -> &'static str) -> Vec<DictItem> {
    all.iter().map(|x| dict_item(v(*x), l(*x))).collect()
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct FundsDicts {
    pub kinds: Vec<DictItem>,
    pub modes: Vec<DictItem>,
    pub programme_statuses: Vec<DictItem>,
    pub grant_statuses: Vec<DictItem>,
    pub services: Vec<DictItem>,
    pub provider_statuses: Vec<DictItem>,
    pub voucher_statuses: Vec<DictItem>,
    pub order_statuses: Vec<DictItem>,
    pub instrument_statuses: Vec<DictItem>,
    pub booking_statuses: Vec<DictItem>,
    pub loan_statuses: Vec<DictItem>,
    pub pool_kinds: Vec<DictItem>,
    pub insurance_products: Vec<DictItem>,
    /// The packs a programme may name.
    pub packs: Vec<DictItem>,
}

#[utoipa::path(get, path = "/api/v1/funds/dicts", tag = "funds",
    responses((status = 200, body = FundsDicts), (status = 403, body = crate::error::ErrorBody)))]
pub async fn dicts(a: Auth) -> ApiResult<axum::Json<FundsDicts>> {
    read(&a)?;
    Ok(axum::Json(FundsDicts {
        kinds: items(
            ProgrammeKind::ALL,
            ProgrammeKind::as_str,
            ProgrammeKind::label,
        ),
        modes: items(
            ProgrammeMode::ALL,
            ProgrammeMode::as_str,
            ProgrammeMode::label,
        ),
        programme_statuses: items(
            ProgrammeStatus::ALL,
            ProgrammeStatus::as_str,
            ProgrammeStatus::label,
        ),
        grant_statuses: items(GrantStatus::ALL, GrantStatus::as_str, GrantStatus::label),
        services: items(ServiceType::ALL, ServiceType::as_str, ServiceType::label),
        provider_statuses: items(
            ProviderStatus::ALL,
            ProviderStatus::as_str,
            ProviderStatus::label,
        ),
        voucher_statuses: items(
            VoucherStatus::ALL,
            VoucherStatus::as_str,
            VoucherStatus::label,
        ),
        order_statuses: items(OrderStatus::ALL, OrderStatus::as_str, OrderStatus::label),
        instrument_statuses: items(
            InstrumentStatus::ALL,
            InstrumentStatus::as_str,
            InstrumentStatus::label,
        ),
        booking_statuses: items(
            BookingStatus::ALL,
            BookingStatus::as_str,
            BookingStatus::label,
        ),
        loan_statuses: items(LoanStatus::ALL, LoanStatus::as_str, LoanStatus::label),
        pool_kinds: items(
            PoolEntryKind::ALL,
            PoolEntryKind::as_str,
            PoolEntryKind::label,
        ),
        insurance_products: items(
            InsuranceProduct::ALL,
            InsuranceProduct::as_str,
            InsuranceProduct::label,
        ),
        packs: funds_svc::PROGRAMME_PACKS
            .iter()
            .filter_map(|id| {
                funds_svc::pack(id)
                    .ok()
                    .map(|(p, _)| dict_item(id, &p.name))
            })
            .collect(),
    }))
}

// ---------------------------------------------------------------- programmes

#[utoipa::path(get, path = "/api/v1/funds/programmes", tag = "funds", params(ProgrammeFilter, PageRequest),
    responses((status = 200, body = Page<Programme>), (status = 403, body = crate::error::ErrorBody)))]
pub async fn list_programmes(
    State(st): State<AppState>,
    a: Auth,
    Query(f): Query<ProgrammeFilter>,
    Query(p): Query<PageRequest>,
) -> ApiResult<axum::Json<Page<Programme>>> {
    a.require("funds:read")?;
    Ok(axum::Json(
        st.store.list_programmes(&a.scope(), &f, p).await?,
    ))
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct PackBrief {
    pub id: String,
    pub name: String,
    pub source: String,
    pub version: String,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ProgrammeView {
    pub programme: Programme,
    pub pack: Option<PackBrief>,
    /// Grants by status.
    pub counts: BTreeMap<String, u64>,
}

#[utoipa::path(get, path = "/api/v1/funds/programmes/{id}", tag = "funds", params(("id" = i64, Path)),
    responses((status = 200, body = ProgrammeView), (status = 404, body = crate::error::ErrorBody)))]
pub async fn get_programme(
    State(st): State<AppState>,
    a: Auth,
    Path(id): Path<i64>,
) -> ApiResult<axum::Json<ProgrammeView>> {
    a.require("funds:read")?;
    let scope = a.scope();
    let programme = st.store.get_programme(&scope, id).await?;
    let pack = programme.pack.as_deref().and_then(|pid| {
        funds_svc::pack(pid).ok().map(|(p, v)| PackBrief {
            id: p.id.clone(),
            name: p.name.clone(),
            source: p.source.clone(),
            version: v.clone(),
        })
    });
    let mut counts = BTreeMap::new();
    for s in GrantStatus::ALL {
        let page = st
            .store
            .list_grants(
                &scope,
                &GrantFilter {
                    programme_id: Some(id),
                    status: Some(s.as_str().into()),
                    ..Default::default()
                },
                PageRequest::new(1, 1),
            )
            .await?;
        counts.insert(s.as_str().to_owned(), page.total);
    }
    Ok(axum::Json(ProgrammeView {
        programme,
        pack,
        counts,
    }))
}

#[utoipa::path(post, path = "/api/v1/funds/programmes", tag = "funds", request_body = ProgrammeInput,
    responses((status = 201, body = Programme), (status = 409, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn create_programme(
    State(st): State<AppState>,
    a: Auth,
    Json(i): Json<ProgrammeInput>,
) -> ApiResult<(StatusCode, axum::Json<Programme>)> {
    a.require("funds:manage")?;
    let p = NewProgramme::parse(&i, funds_svc::PROGRAMME_PACKS)?;
    Ok((
        StatusCode::CREATED,
        axum::Json(st.store.create_programme(&a.caller(), &p).await?),
    ))
}

#[utoipa::path(put, path = "/api/v1/funds/programmes/{id}", tag = "funds", params(("id" = i64, Path)), request_body = ProgrammeInput,
    responses((status = 200, body = Programme), (status = 409, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn update_programme(
    State(st): State<AppState>,
    a: Auth,
    Path(id): Path<i64>,
    Json(i): Json<ProgrammeInput>,
) -> ApiResult<axum::Json<Programme>> {
    a.require("funds:manage")?;
    let p = NewProgramme::parse(&i, funds_svc::PROGRAMME_PACKS)?;
    Ok(axum::Json(
        st.store.update_programme(&a.caller(), id, &p).await?,
    ))
}

/// 免申即享: the year's reward list from the registry through the programme's pack becomes
/// proposed grants — one per entitled item, with its explanation; items the pack does not
/// grant (同类取最高, 同级只奖一项) are reported as skipped with the reason. Items already
/// proposed (the same matter) are skipped.
#[utoipa::path(post, path = "/api/v1/funds/programmes/{id}/propose", tag = "funds", params(("id" = i64, Path)),
    responses((status = 200, body = BatchOutcome), (status = 409, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn propose(
    State(st): State<AppState>,
    a: Auth,
    Path(id): Path<i64>,
) -> ApiResult<axum::Json<BatchOutcome>> {
    a.require("funds:manage")?;
    let scope = a.scope();
    let p = st.store.get_programme(&scope, id).await?;
    let (grants, skipped) = match (p.mode.as_str(), p.kind.as_str()) {
        ("auto", "reward") => funds_svc::reward_grants(&st.store, &scope, &p).await?,
        ("auto", "instrument") => funds_svc::instrument_grants(&st.store, &scope, &p).await?,
        ("auto", "commissioner") => {
            crate::people_svc::commissioner_grants(&st.store, &scope, &p).await?
        }
        ("auto", "talent") => crate::people_svc::talent_grants(&st.store, &scope, &p).await?,
        _ => {
            return Err(Invalid::one(
                "programme",
                "funds.not_auto",
                "只有“免申即享”的科技奖补、仪器共享后补助、科技特派员工作经费和人才补贴项目可以由系统生成名单",
            )
            .into());
        }
    };
    let n = grants.len();
    st.store.propose_grants(&a.caller(), id, &grants).await?;
    Ok(axum::Json(BatchOutcome {
        changed: n,
        skipped,
    }))
}

#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct GrantInput {
    pub org_id: i64,
    /// 支持事项
    pub matter: String,
    /// 元
    pub amount: String,
    pub explanation: String,
}

/// 申报制: the bureau enters an item of a programme it decided on (with why).
#[utoipa::path(post, path = "/api/v1/funds/programmes/{id}/grants", tag = "funds", params(("id" = i64, Path)), request_body = GrantInput,
    responses((status = 201, body = Grant), (status = 409, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn add_grant(
    State(st): State<AppState>,
    a: Auth,
    Path(id): Path<i64>,
    Json(i): Json<GrantInput>,
) -> ApiResult<(StatusCode, axum::Json<Grant>)> {
    a.require("funds:manage")?;
    let matter = i.matter.trim();
    let explanation = i.explanation.trim();
    let mut c = Vec::new();
    if matter.is_empty() || matter.chars().count() > 200 {
        c.push(kechuang_domain::FieldError::new(
            "matter",
            "matter.required",
            "支持事项不能为空，且不超过200个字",
        ));
    }
    if explanation.is_empty() || explanation.chars().count() > 2000 {
        c.push(kechuang_domain::FieldError::new(
            "explanation",
            "explanation.required",
            "请写明支持理由（评审结论、文件依据），不超过2000字",
        ));
    }
    let amount = amount_fen("amount", "支持金额", &i.amount);
    if let Err(Invalid(es)) = &amount {
        c.extend(es.iter().cloned());
    }
    if !c.is_empty() {
        return Err(Invalid(c).into());
    }
    let p = st.store.get_programme(&a.scope(), id).await?;
    let g = NewGrant {
        org_id: i.org_id,
        matter_key: format!("programme:{}:{}:{}", p.id, i.org_id, matter),
        matter: matter.to_owned(),
        amount_fen: amount?,
        explanation: explanation.to_owned(),
        rule: format!("{}；依据：{}", p.name, p.basis),
    };
    let mut out = st.store.propose_grants(&a.caller(), id, &[g]).await?;
    let g = out.pop().ok_or_else(ApiError::internal)?;
    Ok((StatusCode::CREATED, axum::Json(g)))
}

#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct InsuranceInput {
    pub org_id: i64,
    /// 险种 (wire value or 中文)
    pub product: String,
    /// 保单号
    pub policy_no: String,
    /// 实际缴纳保费 (元)
    pub premium: String,
    /// 同一保单已获其他补贴 (元), if any
    pub other_subsidy: String,
}

/// 科技保险保费补贴申报: one policy of an enterprise becomes a proposed grant of an insurance
/// programme, with the pack's amount (its share, the enterprise's yearly room, and all
/// subsidies within half the premium). One policy is one matter.
#[utoipa::path(post, path = "/api/v1/funds/programmes/{id}/insurance", tag = "funds", params(("id" = i64, Path)), request_body = InsuranceInput,
    responses((status = 201, body = Grant), (status = 409, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn insurance_claim(
    State(st): State<AppState>,
    a: Auth,
    Path(id): Path<i64>,
    Json(i): Json<InsuranceInput>,
) -> ApiResult<(StatusCode, axum::Json<Grant>)> {
    a.require("funds:manage")?;
    let mut errs = Vec::new();
    let product = InsuranceProduct::parse(&i.product);
    if let Err(Invalid(es)) = &product {
        errs.extend(es.iter().cloned());
    }
    let policy = i.policy_no.trim();
    if policy.is_empty() || policy.chars().count() > 60 {
        errs.push(kechuang_domain::FieldError::new(
            "policy_no",
            "policy_no.required",
            "保单号不能为空，且不超过60个字符",
        ));
    }
    let premium = amount_fen("premium", "实际缴纳保费", &i.premium);
    if let Err(Invalid(es)) = &premium {
        errs.extend(es.iter().cloned());
    }
    let other = match i.other_subsidy.trim() {
        "" => Ok(0),
        s => kechuang_domain::money::parse_yuan("other_subsidy", "其他补贴", s, true)
            .map(|d| kechuang_domain::money::to_fen(d).unwrap_or(0)),
    };
    if let Err(Invalid(es)) = &other {
        errs.extend(es.iter().cloned());
    }
    if !errs.is_empty() {
        return Err(Invalid(errs).into());
    }
    let (product, premium, other) = (product?, premium?, other?);
    let p = st.store.get_programme(&a.scope(), id).await?;
    if p.kind != ProgrammeKind::Insurance.as_str() {
        return Err(Invalid::one(
            "programme",
            "insurance.programme",
            format!("“{}”不是科技保险补贴项目", p.name),
        )
        .into());
    }
    let titles = st.store.org_titles(i.org_id, p.year).await?;
    let received = st
        .store
        .kind_received(i.org_id, ProgrammeKind::Insurance, Some(p.year))
        .await?;
    let answer = funds_svc::insurance_subsidy(
        p.year,
        product,
        premium,
        titles.hnte || titles.tech_sme,
        received,
        other,
    )?;
    if answer.amount_fen <= 0 {
        return Err(Invalid::one(
            "premium",
            "insurance.none",
            format!("不予补贴：{}（{}）", answer.reason, titles.source),
        )
        .into());
    }
    let g = NewGrant {
        org_id: i.org_id,
        matter_key: format!("insurance:{}", policy.to_uppercase()),
        matter: format!(
            "{}保费补贴：保单{}（保费{}元）",
            product.label(),
            policy,
            from_fen(premium)
        ),
        amount_fen: answer.amount_fen,
        explanation: format!("{}（{}）", answer.reason, titles.source),
        rule: answer.rule,
    };
    let mut out = st.store.propose_grants(&a.caller(), id, &[g]).await?;
    let g = out.pop().ok_or_else(ApiError::internal)?;
    Ok((StatusCode::CREATED, axum::Json(g)))
}

#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct NoticeInput {
    /// YYYY-MM-DD; today when empty.
    pub start_on: String,
}

#[utoipa::path(post, path = "/api/v1/funds/programmes/{id}/notice", tag = "funds", params(("id" = i64, Path)), request_body = NoticeInput,
    responses((status = 200, body = BatchOutcome), (status = 409, body = crate::error::ErrorBody)))]
pub async fn notice(
    State(st): State<AppState>,
    a: Auth,
    Path(id): Path<i64>,
    Json(i): Json<NoticeInput>,
) -> ApiResult<axum::Json<BatchOutcome>> {
    a.require("funds:manage")?;
    let start = match i.start_on.trim() {
        "" => today(),
        s => chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|_| {
            Invalid::one("start_on", "date.format", "公示开始日期格式应为 YYYY-MM-DD")
        })?,
    };
    Ok(axum::Json(
        st.store.notice_grants(&a.caller(), id, start).await?,
    ))
}

#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct IdsInput {
    /// Empty: every grant of the programme that is ready.
    pub ids: Vec<i64>,
}

#[utoipa::path(post, path = "/api/v1/funds/programmes/{id}/approve", tag = "funds", params(("id" = i64, Path)), request_body = IdsInput,
    responses((status = 200, body = BatchOutcome), (status = 409, body = crate::error::ErrorBody)))]
pub async fn approve(
    State(st): State<AppState>,
    a: Auth,
    Path(id): Path<i64>,
    Json(i): Json<IdsInput>,
) -> ApiResult<axum::Json<BatchOutcome>> {
    a.require("funds:manage")?;
    let scope = a.scope();
    let ids = if i.ids.is_empty() {
        let mut ids = Vec::new();
        for s in ["noticed", "proposed"] {
            let f = GrantFilter {
                programme_id: Some(id),
                status: Some(s.into()),
                ..Default::default()
            };
            ids.extend(
                all_pages(|pg| st.store.list_grants(&scope, &f, pg))
                    .await?
                    .into_iter()
                    .map(|g| g.id),
            );
        }
        ids
    } else {
        i.ids
    };
    Ok(axum::Json(
        st.store
            .approve_grants(&a.caller(), id, &ids, today())
            .await?,
    ))
}

// ---------------------------------------------------------------- grants

#[utoipa::path(get, path = "/api/v1/funds/grants", tag = "funds", params(GrantFilter, PageRequest),
    responses((status = 200, body = Page<Grant>), (status = 403, body = crate::error::ErrorBody)))]
pub async fn list_grants(
    State(st): State<AppState>,
    a: Auth,
    Query(f): Query<GrantFilter>,
    Query(p): Query<PageRequest>,
) -> ApiResult<axum::Json<Page<Grant>>> {
    read(&a)?;
    Ok(axum::Json(st.store.list_grants(&a.scope(), &f, p).await?))
}

#[utoipa::path(get, path = "/api/v1/funds/grants/export", tag = "funds", params(GrantFilter),
    responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")))]
pub async fn export_grants(
    State(st): State<AppState>,
    a: Auth,
    Query(f): Query<GrantFilter>,
) -> ApiResult<Response> {
    a.require("export")?;
    read(&a)?;
    let rows = st.store.export_grants(&a.scope(), &f, 100_000).await?;
    export_sheet(
        &st,
        &a,
        "fund_grant",
        "grants",
        "资金安排",
        &[
            "资金项目",
            "年度",
            "单位",
            "统一社会信用代码",
            "所在地",
            "支持事项",
            "金额（元）",
            "已拨付（元）",
            "状态",
            "公示期",
            "理由",
            "依据",
        ],
        rows.into_iter()
            .map(|g| {
                vec![
                    Cell::Text(g.programme_name),
                    Cell::Text(g.year.to_string()),
                    Cell::Text(g.org_name),
                    Cell::Text(g.credit_code),
                    Cell::Text(g.region_name),
                    Cell::Text(g.matter),
                    Cell::Text(g.amount),
                    Cell::Text(from_fen(g.paid_fen).to_string()),
                    Cell::Text(g.status_label),
                    Cell::Text(match (g.notice_start, g.notice_end) {
                        (Some(s), Some(e)) => format!("{s} 至 {e}"),
                        _ => String::new(),
                    }),
                    Cell::Text(g.refusal_reason.unwrap_or(g.explanation)),
                    Cell::Text(g.rule),
                ]
            })
            .collect(),
    )
    .await
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct GrantView {
    pub grant: Grant,
    pub programme: Option<Programme>,
    pub payments: Vec<Payment>,
    /// What the caller may do now: object, resolve, approve, refuse, pay.
    pub actions: Vec<String>,
}

async fn grant_view(st: &AppState, a: &Auth, grant: Grant) -> ApiResult<GrantView> {
    let scope = a.scope();
    let programme = match st.store.get_programme(&scope, grant.programme_id).await {
        Ok(p) => Some(p),
        Err(kechuang_store::StoreError::NotFound) => None,
        Err(e) => return Err(e.into()),
    };
    let payments = st
        .store
        .list_payments(
            &scope,
            &PaymentFilter {
                org_id: Some(grant.org_id),
                programme_id: Some(grant.programme_id),
                ..Default::default()
            },
            PageRequest::new(1, 100),
        )
        .await?
        .items
        .into_iter()
        .filter(|p| p.grant_id == grant.id)
        .collect();
    let mut actions = Vec::new();
    let m = manages(a);
    match grant.status.as_str() {
        "noticed" => {
            let open = grant
                .notice_end
                .as_deref()
                .is_none_or(|e| e >= today().to_string().as_str());
            if open || m {
                actions.push("object".to_owned());
            }
            if m && grant.objections.iter().any(|o| !o.resolved) {
                actions.push("resolve".into());
            }
            if m {
                actions.push("approve".into());
                actions.push("refuse".into());
            }
        }
        "proposed" if m => {
            actions.push("approve".into());
            actions.push("refuse".into());
        }
        "approved" if m => {
            actions.push("pay".into());
            if grant.paid_fen == 0 {
                actions.push("refuse".into());
            }
        }
        _ => {}
    }
    Ok(GrantView {
        grant,
        programme,
        payments,
        actions,
    })
}

#[utoipa::path(get, path = "/api/v1/funds/grants/{id}", tag = "funds", params(("id" = i64, Path)),
    responses((status = 200, body = GrantView), (status = 404, body = crate::error::ErrorBody)))]
pub async fn get_grant(
    State(st): State<AppState>,
    a: Auth,
    Path(id): Path<i64>,
) -> ApiResult<axum::Json<GrantView>> {
    read(&a)?;
    let g = st.store.get_grant(&a.scope(), id).await?;
    Ok(axum::Json(grant_view(&st, &a, g).await?))
}

#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
#[schema(as = FundsObjectionInput)]
pub struct ObjectionInput {
    pub by_name: String,
    pub content: String,
}

#[utoipa::path(post, path = "/api/v1/funds/grants/{id}/objections", tag = "funds", params(("id" = i64, Path)), request_body = ObjectionInput,
    responses((status = 200, body = Grant), (status = 409, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn object(
    State(st): State<AppState>,
    a: Auth,
    Path(id): Path<i64>,
    Json(i): Json<ObjectionInput>,
) -> ApiResult<axum::Json<Grant>> {
    read(&a)?;
    let by = if i.by_name.trim().is_empty() {
        a.user.display_name.clone()
    } else {
        i.by_name
    };
    Ok(axum::Json(
        st.store
            .object_to_grant(&a.caller(), id, &by, &i.content, today(), manages(&a))
            .await?,
    ))
}

#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
#[schema(as = FundsResolveInput)]
pub struct ResolveInput {
    pub upheld: bool,
    pub resolution: String,
}

#[utoipa::path(post, path = "/api/v1/funds/grants/{id}/objections/{no}/resolve", tag = "funds", params(("id" = i64, Path), ("no" = i64, Path)), request_body = ResolveInput,
    responses((status = 200, body = Grant), (status = 409, body = crate::error::ErrorBody)))]
pub async fn resolve(
    State(st): State<AppState>,
    a: Auth,
    Path((id, no)): Path<(i64, i64)>,
    Json(i): Json<ResolveInput>,
) -> ApiResult<axum::Json<Grant>> {
    a.require("funds:manage")?;
    Ok(axum::Json(
        st.store
            .resolve_grant_objection(&a.caller(), id, no, i.upheld, &i.resolution)
            .await?,
    ))
}

#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
#[schema(as = FundsReasonInput)]
pub struct ReasonInput {
    pub reason: String,
}

#[utoipa::path(post, path = "/api/v1/funds/grants/{id}/refuse", tag = "funds", params(("id" = i64, Path)), request_body = ReasonInput,
    responses((status = 200, body = Grant), (status = 409, body = crate::error::ErrorBody)))]
pub async fn refuse_grant(
    State(st): State<AppState>,
    a: Auth,
    Path(id): Path<i64>,
    Json(i): Json<ReasonInput>,
) -> ApiResult<axum::Json<Grant>> {
    a.require("funds:manage")?;
    Ok(axum::Json(
        st.store.refuse_grant(&a.caller(), id, &i.reason).await?,
    ))
}

#[utoipa::path(post, path = "/api/v1/funds/grants/{id}/payments", tag = "funds", params(("id" = i64, Path)), request_body = PaymentInput,
    responses((status = 201, body = Payment), (status = 409, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn pay(
    State(st): State<AppState>,
    a: Auth,
    Path(id): Path<i64>,
    Json(i): Json<PaymentInput>,
) -> ApiResult<(StatusCode, axum::Json<Payment>)> {
    a.require("funds:manage")?;
    let p = NewPayment::parse(&i)?;
    if p.paid_on > today() {
        return Err(Invalid::one("paid_on", "date.future", "拨付日期不能晚于今天").into());
    }
    Ok((
        StatusCode::CREATED,
        axum::Json(st.store.pay_grant(&a.caller(), id, &p).await?),
    ))
}

// ---------------------------------------------------------------- ledger

#[utoipa::path(get, path = "/api/v1/funds/payments", tag = "funds", params(PaymentFilter, PageRequest),
    responses((status = 200, body = Page<Payment>), (status = 403, body = crate::error::ErrorBody)))]
pub async fn list_payments(
    State(st): State<AppState>,
    a: Auth,
    Query(f): Query<PaymentFilter>,
    Query(p): Query<PageRequest>,
) -> ApiResult<axum::Json<Page<Payment>>> {
    read(&a)?;
    Ok(axum::Json(st.store.list_payments(&a.scope(), &f, p).await?))
}

#[utoipa::path(get, path = "/api/v1/funds/payments/export", tag = "funds", params(PaymentFilter),
    responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")))]
pub async fn export_payments(
    State(st): State<AppState>,
    a: Auth,
    Query(f): Query<PaymentFilter>,
) -> ApiResult<Response> {
    a.require("export")?;
    read(&a)?;
    let rows = st.store.export_payments(&a.scope(), &f, 100_000).await?;
    export_sheet(
        &st,
        &a,
        "fund_payment",
        "payments",
        "拨付明细",
        &[
            "拨付日期",
            "资金项目",
            "类别",
            "年度",
            "单位",
            "统一社会信用代码",
            "所在地",
            "支持事项",
            "金额（元）",
            "凭证号",
        ],
        rows.into_iter()
            .map(|p| {
                vec![
                    Cell::Text(p.paid_on),
                    Cell::Text(p.programme_name),
                    Cell::Text(p.programme_kind_label),
                    Cell::Text(p.year.to_string()),
                    Cell::Text(p.org_name),
                    Cell::Text(p.credit_code),
                    Cell::Text(p.region_name),
                    Cell::Text(p.matter),
                    Cell::Text(p.amount),
                    Cell::Text(p.document_no),
                ]
            })
            .collect(),
    )
    .await
}

#[utoipa::path(get, path = "/api/v1/funds/ledger", tag = "funds", params(PaymentFilter, PageRequest),
    responses((status = 200, body = Ledger), (status = 403, body = crate::error::ErrorBody)))]
pub async fn ledger(
    State(st): State<AppState>,
    a: Auth,
    Query(f): Query<PaymentFilter>,
    Query(p): Query<PageRequest>,
) -> ApiResult<axum::Json<Ledger>> {
    read(&a)?;
    Ok(axum::Json(st.store.ledger(&a.scope(), &f, p).await?))
}

#[utoipa::path(get, path = "/api/v1/funds/ledger/export", tag = "funds", params(PaymentFilter),
    responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")))]
pub async fn export_ledger(
    State(st): State<AppState>,
    a: Auth,
    Query(f): Query<PaymentFilter>,
) -> ApiResult<Response> {
    a.require("export")?;
    read(&a)?;
    let scope = a.scope();
    let mut rows = Vec::new();
    for page in 1.. {
        let l = st
            .store
            .ledger(&scope, &f, PageRequest::new(page, PageRequest::MAX_SIZE))
            .await?;
        let last = (l.items.len() as u64) < PageRequest::MAX_SIZE;
        rows.extend(l.items);
        if last || rows.len() >= 100_000 {
            break;
        }
    }
    let kinds = ProgrammeKind::ALL;
    let mut headers: Vec<&str> = vec!["单位", "统一社会信用代码", "所在地"];
    let labels: Vec<String> = kinds
        .iter()
        .map(|k| format!("{}（元）", k.label()))
        .collect();
    headers.extend(labels.iter().map(String::as_str));
    headers.extend(["合计（元）", "拨付笔数"]);
    export_sheet(
        &st,
        &a,
        "fund_payment",
        "ledger",
        "拨付台账",
        &headers,
        rows.into_iter()
            .map(|r| {
                let mut v = vec![
                    Cell::Text(r.org_name),
                    Cell::Text(r.credit_code),
                    Cell::Text(r.region_name),
                ];
                for k in kinds {
                    v.push(Cell::Text(
                        r.by_kind.get(k.as_str()).cloned().unwrap_or_default(),
                    ));
                }
                v.push(Cell::Text(r.total));
                v.push(Cell::Text(r.payments.to_string()));
                v
            })
            .collect(),
    )
    .await
}

// ---------------------------------------------------------------- providers

#[utoipa::path(get, path = "/api/v1/funds/providers", tag = "funds", params(ProviderFilter, PageRequest),
    responses((status = 200, body = Page<Provider>)))]
pub async fn list_providers(
    State(st): State<AppState>,
    a: Auth,
    Query(f): Query<ProviderFilter>,
    Query(p): Query<PageRequest>,
) -> ApiResult<axum::Json<Page<Provider>>> {
    read(&a)?;
    if a.require("funds:read").is_ok() {
        Ok(axum::Json(
            st.store.list_providers(&a.scope(), &f, p).await?,
        ))
    } else {
        Ok(axum::Json(st.store.provider_catalogue(&f, p).await?))
    }
}

#[utoipa::path(get, path = "/api/v1/funds/providers/{id}", tag = "funds", params(("id" = i64, Path)),
    responses((status = 200, body = Provider), (status = 404, body = crate::error::ErrorBody)))]
pub async fn get_provider(
    State(st): State<AppState>,
    a: Auth,
    Path(id): Path<i64>,
) -> ApiResult<axum::Json<Provider>> {
    read(&a)?;
    Ok(axum::Json(st.store.get_provider(&a.scope(), id).await?))
}

#[utoipa::path(post, path = "/api/v1/funds/providers", tag = "funds", request_body = ProviderInput,
    responses((status = 201, body = Provider), (status = 409, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn create_provider(
    State(st): State<AppState>,
    a: Auth,
    Json(i): Json<ProviderInput>,
) -> ApiResult<(StatusCode, axum::Json<Provider>)> {
    a.require("funds:manage")?;
    let p = NewProvider::parse(&i)?;
    Ok((
        StatusCode::CREATED,
        axum::Json(st.store.create_provider(&a.caller(), &p).await?),
    ))
}

#[utoipa::path(put, path = "/api/v1/funds/providers/{id}", tag = "funds", params(("id" = i64, Path)), request_body = ProviderInput,
    responses((status = 200, body = Provider), (status = 422, body = crate::error::ErrorBody)))]
pub async fn update_provider(
    State(st): State<AppState>,
    a: Auth,
    Path(id): Path<i64>,
    Json(i): Json<ProviderInput>,
) -> ApiResult<axum::Json<Provider>> {
    a.require("funds:manage")?;
    let p = NewProvider::parse(&i)?;
    Ok(axum::Json(
        st.store.update_provider(&a.caller(), id, &p).await?,
    ))
}

// ---------------------------------------------------------------- vouchers

#[utoipa::path(get, path = "/api/v1/funds/vouchers", tag = "funds", params(VoucherFilter, PageRequest),
    responses((status = 200, body = Page<Voucher>)))]
pub async fn list_vouchers(
    State(st): State<AppState>,
    a: Auth,
    Query(f): Query<VoucherFilter>,
    Query(p): Query<PageRequest>,
) -> ApiResult<axum::Json<Page<Voucher>>> {
    read(&a)?;
    Ok(axum::Json(st.store.list_vouchers(&a.scope(), &f, p).await?))
}

/// Voucher programmes open to the caller's organization, with its quota and why.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct OpenVoucherProgramme {
    #[serde(flatten)]
    pub programme: Programme,
    pub eligible: bool,
    /// 年度抵扣上限 for this organization (元)
    pub quota: String,
    pub eligibility: String,
}

#[utoipa::path(get, path = "/api/v1/funds/vouchers/programmes", tag = "funds",
    responses((status = 200, body = Vec<OpenVoucherProgramme>)))]
pub async fn voucher_programmes(
    State(st): State<AppState>,
    a: Auth,
) -> ApiResult<axum::Json<Vec<OpenVoucherProgramme>>> {
    a.require("funds:apply")?;
    let org_id = own_org(&a)?;
    let org = st.store.get_organization(&a.scope(), org_id).await?;
    let mut out = Vec::new();
    for p in st
        .store
        .open_programmes_for(&org.region_path, ProgrammeKind::Voucher)
        .await?
    {
        let titles = st.store.org_titles(org_id, p.year).await?;
        let (eligible, cap, why) = funds_svc::voucher_eligibility(p.year, &titles)?;
        let quota = match p.org_cap_fen {
            Some(c) => cap.min(c),
            None => cap,
        };
        out.push(OpenVoucherProgramme {
            programme: p,
            eligible,
            quota: from_fen(quota).to_string(),
            eligibility: why,
        });
    }
    Ok(axum::Json(out))
}

#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct ApplyVoucherInput {
    pub programme_id: i64,
}

#[utoipa::path(post, path = "/api/v1/funds/vouchers/apply", tag = "funds", request_body = ApplyVoucherInput,
    responses((status = 201, body = Voucher), (status = 409, body = crate::error::ErrorBody)))]
pub async fn apply_voucher(
    State(st): State<AppState>,
    a: Auth,
    Json(i): Json<ApplyVoucherInput>,
) -> ApiResult<(StatusCode, axum::Json<Voucher>)> {
    a.require("funds:apply")?;
    let org_id = own_org(&a)?;
    let org = st.store.get_organization(&a.scope(), org_id).await?;
    let p = st
        .store
        .open_programmes_for(&org.region_path, ProgrammeKind::Voucher)
        .await?
        .into_iter()
        .find(|p| p.id == i.programme_id)
        .ok_or_else(|| {
            Invalid::one(
                "programme_id",
                "voucher.programme_closed",
                "该创新券项目不存在或未在受理",
            )
        })?;
    let titles = st.store.org_titles(org_id, p.year).await?;
    let (eligible, _, why) = funds_svc::voucher_eligibility(p.year, &titles)?;
    let v = st
        .store
        .apply_voucher(&a.caller(), &p, org_id, eligible, &why, today())
        .await?;
    Ok((StatusCode::CREATED, axum::Json(v)))
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct VoucherView {
    pub voucher: Voucher,
    pub orders: Vec<ServiceOrder>,
    /// issue, refuse (bureau), order (the holder)
    pub actions: Vec<String>,
}

#[utoipa::path(get, path = "/api/v1/funds/vouchers/{id}", tag = "funds", params(("id" = i64, Path)),
    responses((status = 200, body = VoucherView), (status = 404, body = crate::error::ErrorBody)))]
pub async fn get_voucher(
    State(st): State<AppState>,
    a: Auth,
    Path(id): Path<i64>,
) -> ApiResult<axum::Json<VoucherView>> {
    read(&a)?;
    let scope = a.scope();
    let voucher = st.store.get_voucher(&scope, id).await?;
    let orders = st
        .store
        .list_orders(
            &scope,
            &OrderFilter {
                voucher_id: Some(id),
                ..Default::default()
            },
            PageRequest::new(1, 100),
        )
        .await?
        .items;
    let mut actions = Vec::new();
    if voucher.status == "applied" && manages(&a) {
        actions.extend(["issue".to_owned(), "refuse".to_owned()]);
    }
    if voucher.status == "issued"
        && a.require("funds:apply").is_ok()
        && matches!(scope, DataScope::Organization { org_id } if org_id == voucher.org_id)
    {
        actions.push("order".into());
    }
    Ok(axum::Json(VoucherView {
        voucher,
        orders,
        actions,
    }))
}

#[utoipa::path(post, path = "/api/v1/funds/vouchers/{id}/issue", tag = "funds", params(("id" = i64, Path)),
    responses((status = 200, body = Voucher), (status = 409, body = crate::error::ErrorBody)))]
pub async fn issue_voucher(
    State(st): State<AppState>,
    a: Auth,
    Path(id): Path<i64>,
) -> ApiResult<axum::Json<Voucher>> {
    a.require("funds:manage")?;
    let v = st.store.get_voucher(&a.scope(), id).await?;
    let titles = st.store.org_titles(v.org_id, v.year).await?;
    let (eligible, cap, why) = funds_svc::voucher_eligibility(v.year, &titles)?;
    if !eligible {
        return Err(Invalid::one(
            "voucher",
            "voucher.not_eligible",
            format!("不符合申领条件：{why}"),
        )
        .into());
    }
    Ok(axum::Json(
        st.store
            .issue_voucher(&a.caller(), id, cap, today())
            .await?,
    ))
}

#[utoipa::path(post, path = "/api/v1/funds/vouchers/{id}/refuse", tag = "funds", params(("id" = i64, Path)), request_body = ReasonInput,
    responses((status = 200, body = Voucher), (status = 409, body = crate::error::ErrorBody)))]
pub async fn refuse_voucher(
    State(st): State<AppState>,
    a: Auth,
    Path(id): Path<i64>,
    Json(i): Json<ReasonInput>,
) -> ApiResult<axum::Json<Voucher>> {
    a.require("funds:manage")?;
    Ok(axum::Json(
        st.store.refuse_voucher(&a.caller(), id, &i.reason).await?,
    ))
}

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
pub struct YearQuery {
    pub year: Option<i32>,
}

#[utoipa::path(get, path = "/api/v1/funds/vouchers/stats", tag = "funds", params(YearQuery),
    responses((status = 200, body = VoucherStats)))]
pub async fn voucher_stats(
    State(st): State<AppState>,
    a: Auth,
    Query(q): Query<YearQuery>,
) -> ApiResult<axum::Json<VoucherStats>> {
    read(&a)?;
    let year = q.year.unwrap_or_else(|| chrono::Datelike::year(&today()));
    Ok(axum::Json(st.store.voucher_stats(&a.scope(), year).await?))
}

// ---------------------------------------------------------------- orders

#[utoipa::path(get, path = "/api/v1/funds/orders", tag = "funds", params(OrderFilter, PageRequest),
    responses((status = 200, body = Page<ServiceOrder>)))]
pub async fn list_orders(
    State(st): State<AppState>,
    a: Auth,
    Query(f): Query<OrderFilter>,
    Query(p): Query<PageRequest>,
) -> ApiResult<axum::Json<Page<ServiceOrder>>> {
    read(&a)?;
    Ok(axum::Json(st.store.list_orders(&a.scope(), &f, p).await?))
}

#[utoipa::path(post, path = "/api/v1/funds/orders", tag = "funds", request_body = OrderInput,
    responses((status = 201, body = ServiceOrder), (status = 409, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn place_order(
    State(st): State<AppState>,
    a: Auth,
    Json(i): Json<OrderInput>,
) -> ApiResult<(StatusCode, axum::Json<ServiceOrder>)> {
    a.require("funds:apply")?;
    let o = NewOrder::parse(&i)?;
    Ok((
        StatusCode::CREATED,
        axum::Json(st.store.place_order(&a.caller(), &o, today()).await?),
    ))
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct OrderView {
    pub order: ServiceOrder,
    /// The redemption's checks now (the bureau, once the service is completed).
    pub redemption: Option<Redemption>,
    /// complete (the provider), redeem (the bureau)
    pub actions: Vec<String>,
}

#[utoipa::path(get, path = "/api/v1/funds/orders/{id}", tag = "funds", params(("id" = i64, Path)),
    responses((status = 200, body = OrderView), (status = 404, body = crate::error::ErrorBody)))]
pub async fn get_order(
    State(st): State<AppState>,
    a: Auth,
    Path(id): Path<i64>,
) -> ApiResult<axum::Json<OrderView>> {
    read(&a)?;
    let scope = a.scope();
    let order = st.store.get_order(&scope, id).await?;
    let mut actions = Vec::new();
    let provider_side =
        matches!(scope, DataScope::Organization { org_id } if org_id == order.provider_org_id);
    if order.status == "placed"
        && ((provider_side && a.require("funds:apply").is_ok()) || manages(&a))
    {
        actions.push("complete".to_owned());
    }
    let redemption = if order.status == "completed" && manages(&a) {
        actions.push("redeem".into());
        Some(
            st.store
                .redemption_preview(&a.caller(), id, today(), &funds_svc::voucher_offset)
                .await?,
        )
    } else {
        None
    };
    Ok(axum::Json(OrderView {
        order,
        redemption,
        actions,
    }))
}

#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct CompleteInput {
    pub completed_on: String,
    pub evidence: String,
}

#[utoipa::path(post, path = "/api/v1/funds/orders/{id}/complete", tag = "funds", params(("id" = i64, Path)), request_body = CompleteInput,
    responses((status = 200, body = ServiceOrder), (status = 409, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn complete_order(
    State(st): State<AppState>,
    a: Auth,
    Path(id): Path<i64>,
    Json(i): Json<CompleteInput>,
) -> ApiResult<axum::Json<ServiceOrder>> {
    if !manages(&a) {
        a.require("funds:apply")?;
    }
    let on = chrono::NaiveDate::parse_from_str(i.completed_on.trim(), "%Y-%m-%d")
        .map_err(|_| Invalid::one("completed_on", "date.format", "完成日期格式应为 YYYY-MM-DD"))?;
    Ok(axum::Json(
        st.store
            .complete_order(&a.caller(), id, on, &i.evidence, today())
            .await?,
    ))
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Redeemed {
    pub order: ServiceOrder,
    pub grant: Grant,
}

#[utoipa::path(post, path = "/api/v1/funds/orders/{id}/redeem", tag = "funds", params(("id" = i64, Path)), request_body = PaymentInput,
    responses((status = 200, body = Redeemed), (status = 409, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn redeem_order(
    State(st): State<AppState>,
    a: Auth,
    Path(id): Path<i64>,
    Json(i): Json<PaymentInput>,
) -> ApiResult<axum::Json<Redeemed>> {
    a.require("funds:manage")?;
    let p = NewPayment::parse(&i)?;
    if p.paid_on > today() {
        return Err(Invalid::one("paid_on", "date.future", "拨付日期不能晚于今天").into());
    }
    let (order, grant) = st
        .store
        .redeem_order(&a.caller(), id, today(), &p, &funds_svc::voucher_offset)
        .await?;
    Ok(axum::Json(Redeemed { order, grant }))
}

// ---------------------------------------------------------------- instruments

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
pub struct CatalogueQuery {
    /// Every instrument open to outside users, whatever the scope.
    pub catalogue: Option<bool>,
}

#[utoipa::path(get, path = "/api/v1/funds/instruments", tag = "funds", params(InstrumentFilter, CatalogueQuery, PageRequest),
    responses((status = 200, body = Page<Instrument>)))]
pub async fn list_instruments(
    State(st): State<AppState>,
    a: Auth,
    Query(f): Query<InstrumentFilter>,
    Query(c): Query<CatalogueQuery>,
    Query(p): Query<PageRequest>,
) -> ApiResult<axum::Json<Page<Instrument>>> {
    read(&a)?;
    if c.catalogue == Some(true) {
        Ok(axum::Json(st.store.instrument_catalogue(&f, p).await?))
    } else {
        Ok(axum::Json(
            st.store.list_instruments(&a.scope(), &f, p).await?,
        ))
    }
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct InstrumentView {
    pub instrument: Instrument,
    /// Busy slots of the next 14 days.
    pub slots: Vec<Slot>,
    pub can_edit: bool,
    pub can_book: bool,
}

#[utoipa::path(get, path = "/api/v1/funds/instruments/{id}", tag = "funds", params(("id" = i64, Path)),
    responses((status = 200, body = InstrumentView), (status = 404, body = crate::error::ErrorBody)))]
pub async fn get_instrument(
    State(st): State<AppState>,
    a: Auth,
    Path(id): Path<i64>,
) -> ApiResult<axum::Json<InstrumentView>> {
    read(&a)?;
    let scope = a.scope();
    let instrument = st.store.get_instrument(&scope, id).await?;
    let slots = st.store.instrument_slots(&scope, id, today(), 14).await?;
    let own =
        matches!(scope, DataScope::Organization { org_id } if org_id == instrument.host_org_id);
    let in_scope = st
        .store
        .list_instruments(
            &scope,
            &InstrumentFilter {
                host_org_id: Some(instrument.host_org_id),
                ..Default::default()
            },
            PageRequest::new(1, 1),
        )
        .await?
        .total
        > 0;
    let can_edit = in_scope && (manages(&a) || (a.require("funds:apply").is_ok() && own));
    let can_book = a.require("funds:apply").is_ok()
        && matches!(scope, DataScope::Organization { .. })
        && (instrument.status == "open" || (own && instrument.status == "internal"));
    Ok(axum::Json(InstrumentView {
        instrument,
        slots,
        can_edit,
        can_book,
    }))
}

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
pub struct SlotQuery {
    pub from: Option<String>,
    pub days: Option<i64>,
}

#[utoipa::path(get, path = "/api/v1/funds/instruments/{id}/slots", tag = "funds", params(("id" = i64, Path), SlotQuery),
    responses((status = 200, body = Vec<Slot>)))]
pub async fn slots(
    State(st): State<AppState>,
    a: Auth,
    Path(id): Path<i64>,
    Query(q): Query<SlotQuery>,
) -> ApiResult<axum::Json<Vec<Slot>>> {
    read(&a)?;
    let from = match q.from.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => today(),
        Some(s) => chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d")
            .map_err(|_| Invalid::one("from", "date.format", "日期格式应为 YYYY-MM-DD"))?,
    };
    Ok(axum::Json(
        st.store
            .instrument_slots(&a.scope(), id, from, q.days.unwrap_or(14))
            .await?,
    ))
}

fn can_write_instrument(a: &Auth, host: i64) -> ApiResult<()> {
    if manages(a) {
        return Ok(());
    }
    a.require("funds:apply")?;
    if own_org(a)? == host {
        Ok(())
    } else {
        Err(ApiError::forbidden())
    }
}

#[utoipa::path(post, path = "/api/v1/funds/instruments", tag = "funds", request_body = InstrumentInput,
    responses((status = 201, body = Instrument), (status = 422, body = crate::error::ErrorBody)))]
pub async fn create_instrument(
    State(st): State<AppState>,
    a: Auth,
    Json(i): Json<InstrumentInput>,
) -> ApiResult<(StatusCode, axum::Json<Instrument>)> {
    let n = NewInstrument::parse(&i)?;
    can_write_instrument(&a, n.host_org_id)?;
    Ok((
        StatusCode::CREATED,
        axum::Json(st.store.create_instrument(&a.caller(), &n).await?),
    ))
}

#[utoipa::path(put, path = "/api/v1/funds/instruments/{id}", tag = "funds", params(("id" = i64, Path)), request_body = InstrumentInput,
    responses((status = 200, body = Instrument), (status = 422, body = crate::error::ErrorBody)))]
pub async fn update_instrument(
    State(st): State<AppState>,
    a: Auth,
    Path(id): Path<i64>,
    Json(i): Json<InstrumentInput>,
) -> ApiResult<axum::Json<Instrument>> {
    let n = NewInstrument::parse(&i)?;
    can_write_instrument(&a, n.host_org_id)?;
    Ok(axum::Json(
        st.store.update_instrument(&a.caller(), id, &n).await?,
    ))
}

#[utoipa::path(post, path = "/api/v1/funds/instruments/{id}/bookings", tag = "funds", params(("id" = i64, Path)), request_body = BookingInput,
    responses((status = 201, body = Booking), (status = 409, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn book(
    State(st): State<AppState>,
    a: Auth,
    Path(id): Path<i64>,
    Json(i): Json<BookingInput>,
) -> ApiResult<(StatusCode, axum::Json<Booking>)> {
    a.require("funds:apply")?;
    let org = own_org(&a)?;
    let now = (chrono::Utc::now() + chrono::Duration::hours(8)).naive_utc();
    let b = NewBooking::parse(&i, now)?;
    Ok((
        StatusCode::CREATED,
        axum::Json(st.store.book_instrument(&a.caller(), id, org, &b).await?),
    ))
}

#[utoipa::path(get, path = "/api/v1/funds/bookings", tag = "funds", params(BookingFilter, PageRequest),
    responses((status = 200, body = Page<Booking>)))]
pub async fn list_bookings(
    State(st): State<AppState>,
    a: Auth,
    Query(f): Query<BookingFilter>,
    Query(p): Query<PageRequest>,
) -> ApiResult<axum::Json<Page<Booking>>> {
    read(&a)?;
    Ok(axum::Json(st.store.list_bookings(&a.scope(), &f, p).await?))
}

#[utoipa::path(post, path = "/api/v1/funds/bookings/{id}/cancel", tag = "funds", params(("id" = i64, Path)),
    responses((status = 200, body = Booking), (status = 409, body = crate::error::ErrorBody)))]
pub async fn cancel_booking(
    State(st): State<AppState>,
    a: Auth,
    Path(id): Path<i64>,
) -> ApiResult<axum::Json<Booking>> {
    if !manages(&a) {
        a.require("funds:apply")?;
    }
    Ok(axum::Json(st.store.cancel_booking(&a.caller(), id).await?))
}

#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct UsageInput {
    pub minutes: i64,
}

#[utoipa::path(post, path = "/api/v1/funds/bookings/{id}/usage", tag = "funds", params(("id" = i64, Path)), request_body = UsageInput,
    responses((status = 200, body = Booking), (status = 409, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn record_usage(
    State(st): State<AppState>,
    a: Auth,
    Path(id): Path<i64>,
    Json(i): Json<UsageInput>,
) -> ApiResult<axum::Json<Booking>> {
    if !manages(&a) {
        a.require("funds:apply")?;
    }
    Ok(axum::Json(
        st.store.record_usage(&a.caller(), id, i.minutes).await?,
    ))
}

#[utoipa::path(get, path = "/api/v1/funds/instruments/stats", tag = "funds", params(YearQuery),
    responses((status = 200, body = Vec<InstrumentYear>)))]
pub async fn instrument_stats(
    State(st): State<AppState>,
    a: Auth,
    Query(q): Query<YearQuery>,
) -> ApiResult<axum::Json<Vec<InstrumentYear>>> {
    read(&a)?;
    let year = q.year.unwrap_or_else(|| chrono::Datelike::year(&today()));
    Ok(axum::Json(
        st.store.instrument_year(&a.scope(), year).await?,
    ))
}

// ---------------------------------------------------------------- finance

#[utoipa::path(get, path = "/api/v1/funds/loans", tag = "funds", params(LoanFilter, PageRequest),
    responses((status = 200, body = Page<Loan>)))]
pub async fn list_loans(
    State(st): State<AppState>,
    a: Auth,
    Query(f): Query<LoanFilter>,
    Query(p): Query<PageRequest>,
) -> ApiResult<axum::Json<Page<Loan>>> {
    read(&a)?;
    Ok(axum::Json(st.store.list_loans(&a.scope(), &f, p).await?))
}

#[utoipa::path(post, path = "/api/v1/funds/loans", tag = "funds", request_body = LoanInput,
    responses((status = 201, body = Loan), (status = 409, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn register_loan(
    State(st): State<AppState>,
    a: Auth,
    Json(i): Json<LoanInput>,
) -> ApiResult<(StatusCode, axum::Json<Loan>)> {
    a.require("funds:manage")?;
    let l = NewLoan::parse(&i)?;
    Ok((
        StatusCode::CREATED,
        axum::Json(st.store.register_loan(&a.caller(), &l).await?),
    ))
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct LoanView {
    pub loan: Loan,
    /// Its 贴息 grants.
    pub grants: Vec<Grant>,
    /// Its pool entries (compensation).
    pub entries: Vec<PoolEntry>,
    pub actions: Vec<String>,
}

#[utoipa::path(get, path = "/api/v1/funds/loans/{id}", tag = "funds", params(("id" = i64, Path)),
    responses((status = 200, body = LoanView), (status = 404, body = crate::error::ErrorBody)))]
pub async fn get_loan(
    State(st): State<AppState>,
    a: Auth,
    Path(id): Path<i64>,
) -> ApiResult<axum::Json<LoanView>> {
    read(&a)?;
    let scope = a.scope();
    let loan = st.store.get_loan(&scope, id).await?;
    let prefix = format!("loan-interest:{id}:");
    let of_org = GrantFilter {
        org_id: Some(loan.org_id),
        ..Default::default()
    };
    let grants = all_pages(|p| st.store.list_grants(&scope, &of_org, p))
        .await?
        .into_iter()
        .filter(|g| g.matter_key.starts_with(&prefix))
        .collect();
    let entries = match st.store.pool(&scope, loan.programme_id).await {
        Ok(p) => p
            .entries
            .into_iter()
            .filter(|e| e.loan_id == Some(id))
            .collect(),
        Err(kechuang_store::StoreError::NotFound) => Vec::new(),
        Err(e) => return Err(e.into()),
    };
    let mut actions = Vec::new();
    if manages(&a) {
        actions.push("interest".to_owned());
        if loan.status == "active" {
            actions.extend(["compensate".to_owned(), "repay".to_owned()]);
        }
    }
    Ok(axum::Json(LoanView {
        loan,
        grants,
        entries,
        actions,
    }))
}

#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct InterestInput {
    /// The 贴息 programme.
    pub programme_id: i64,
    /// 付息年度
    pub year: i32,
    /// 本期实际支付利息 (元)
    pub interest: String,
    pub on_time: bool,
}

#[utoipa::path(post, path = "/api/v1/funds/loans/{id}/interest", tag = "funds", params(("id" = i64, Path)), request_body = InterestInput,
    responses((status = 201, body = Grant), (status = 409, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn claim_interest(
    State(st): State<AppState>,
    a: Auth,
    Path(id): Path<i64>,
    Json(i): Json<InterestInput>,
) -> ApiResult<(StatusCode, axum::Json<Grant>)> {
    a.require("funds:manage")?;
    let interest = amount_fen("interest", "实际支付利息", &i.interest)?;
    let loan = st.store.get_loan(&a.scope(), id).await?;
    if !(2000..=2100).contains(&i.year)
        || i.year
            < chrono::Datelike::year(
                &chrono::NaiveDate::parse_from_str(&loan.start_on, "%Y-%m-%d").unwrap_or(today()),
            )
    {
        return Err(Invalid::one("year", "interest.year", "付息年度不能早于放款年度").into());
    }
    let received = st.store.interest_received(loan.org_id).await?;
    let answer =
        funds_svc::interest_subsidy(i.year, interest, i.on_time, loan.tech_firm, received)?;
    let g = st
        .store
        .claim_interest(&a.caller(), id, i.programme_id, i.year, &answer)
        .await?;
    Ok((StatusCode::CREATED, axum::Json(g)))
}

#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct CompensateInput {
    /// 本金损失 (元)
    pub loss: String,
    pub on: String,
    pub document_no: String,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Compensated {
    pub loan: Loan,
    pub entry: PoolEntry,
}

#[utoipa::path(post, path = "/api/v1/funds/loans/{id}/compensate", tag = "funds", params(("id" = i64, Path)), request_body = CompensateInput,
    responses((status = 200, body = Compensated), (status = 409, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn compensate(
    State(st): State<AppState>,
    a: Auth,
    Path(id): Path<i64>,
    Json(i): Json<CompensateInput>,
) -> ApiResult<axum::Json<Compensated>> {
    a.require("funds:manage")?;
    let loss = amount_fen("loss", "本金损失", &i.loss)?;
    let on = chrono::NaiveDate::parse_from_str(i.on.trim(), "%Y-%m-%d")
        .map_err(|_| Invalid::one("on", "date.format", "补偿日期格式应为 YYYY-MM-DD"))?;
    if on > today() {
        return Err(Invalid::one("on", "date.future", "补偿日期不能晚于今天").into());
    }
    let (loan, entry) = st
        .store
        .compensate_loan(
            &a.caller(),
            id,
            loss,
            on,
            &i.document_no,
            &funds_svc::compensation,
        )
        .await?;
    Ok(axum::Json(Compensated { loan, entry }))
}

#[utoipa::path(post, path = "/api/v1/funds/loans/{id}/repay", tag = "funds", params(("id" = i64, Path)),
    responses((status = 200, body = Loan), (status = 409, body = crate::error::ErrorBody)))]
pub async fn repay(
    State(st): State<AppState>,
    a: Auth,
    Path(id): Path<i64>,
) -> ApiResult<axum::Json<Loan>> {
    a.require("funds:manage")?;
    Ok(axum::Json(st.store.repay_loan(&a.caller(), id).await?))
}

#[utoipa::path(get, path = "/api/v1/funds/pool/{id}", tag = "funds", params(("id" = i64, Path)),
    responses((status = 200, body = PoolSummary), (status = 404, body = crate::error::ErrorBody)))]
pub async fn pool(
    State(st): State<AppState>,
    a: Auth,
    Path(id): Path<i64>,
) -> ApiResult<axum::Json<PoolSummary>> {
    a.require("funds:read")?;
    Ok(axum::Json(st.store.pool(&a.scope(), id).await?))
}

#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
#[schema(as = FundsPoolInput)]
pub struct PoolInput {
    /// deposit | recovery
    pub kind: String,
    pub amount: String,
    pub on: String,
    pub document_no: String,
    pub note: String,
}

#[utoipa::path(post, path = "/api/v1/funds/pool/{id}/entries", tag = "funds", params(("id" = i64, Path)), request_body = PoolInput,
    responses((status = 201, body = PoolEntry), (status = 422, body = crate::error::ErrorBody)))]
pub async fn pool_entry(
    State(st): State<AppState>,
    a: Auth,
    Path(id): Path<i64>,
    Json(i): Json<PoolInput>,
) -> ApiResult<(StatusCode, axum::Json<PoolEntry>)> {
    a.require("funds:manage")?;
    let kind = PoolEntryKind::parse(&i.kind)?;
    let amount = amount_fen("amount", "金额", &i.amount)?;
    let on = chrono::NaiveDate::parse_from_str(i.on.trim(), "%Y-%m-%d")
        .map_err(|_| Invalid::one("on", "date.format", "日期格式应为 YYYY-MM-DD"))?;
    if on > today() {
        return Err(Invalid::one("on", "date.future", "日期不能晚于今天").into());
    }
    Ok((
        StatusCode::CREATED,
        axum::Json(
            st.store
                .pool_receipt(
                    &a.caller(),
                    id,
                    &kechuang_store::funds::finance::PoolReceipt {
                        kind,
                        amount_fen: amount,
                        on,
                        document_no: i.document_no,
                        note: i.note,
                    },
                )
                .await?,
        ),
    ))
}
