//! 科技创新券: registered service providers (服务机构入库, with their catalogue and declared
//! related parties), vouchers of a voucher programme (申领 → 审核发放 with a number and an expiry
//! → 用完/过期), service orders between an enterprise and a provider (a two-party record: both
//! sides and the bureaus of both regions read it), and redemption (兑付), which runs every check
//! of [`kechuang_domain::funds::redemption_checks`] inside the write transaction and pays the
//! offset through the ledger (an approved grant and its payment).

use super::{G, Grant, NewGrant, Programme, invalid, refuse, sum_where, visible_org, yuan};
use crate::audit::WriteTx;
use crate::error::{StoreError, StoreResult};
use crate::orgs::{Organization, region_name};
use crate::record::{ListFilter, RecordKind, Stamps, Values};
use crate::sql::{self, ScopeColumns, contains, get};
use crate::{Caller, DataScope, Page, PageRequest, Store};
use chrono::NaiveDate;
use kechuang_domain::funds::{
    Check, GrantStatus, NewOrder, NewPayment, NewProvider, OrderStatus, Party, ProgrammeKind,
    ProviderStatus, RedemptionFacts, ServiceType, VoucherStatus, redemption_checks,
};
use kechuang_domain::scope::RecordKeys;
use sea_orm::QueryResult;
use sea_orm::sea_query::{Cond, Expr, ExprTrait, Order, Query, SelectStatement};
use serde::{Deserialize, Serialize};

const SP: &str = "service_providers";
const V: &str = "vouchers";
const O: &str = "voucher_orders";

pub(crate) const PROVIDER_KIND: RecordKind = RecordKind::own(
    ScopeColumns {
        table: SP,
        region_path: Some("region_path"),
        org: Some("org_id"),
        owner: None,
    },
    "service_provider",
    Stamps::ALL,
);
pub(crate) const VOUCHER_KIND: RecordKind = RecordKind::own(
    ScopeColumns {
        table: V,
        region_path: Some("region_path"),
        org: Some("org_id"),
        owner: None,
    },
    "voucher",
    Stamps::ALL,
);
pub(crate) const ORDER_KIND: RecordKind = RecordKind::own(
    ScopeColumns {
        table: O,
        region_path: Some("region_path"),
        org: Some("org_id"),
        owner: None,
    },
    "voucher_order",
    Stamps::ALL,
)
.with_party(ScopeColumns {
    table: O,
    region_path: Some("provider_region_path"),
    org: Some("provider_org_id"),
    owner: None,
});

fn labels<T: Copy>(
    v: &[String],
    parse: fn(&str) -> Result<T, kechuang_domain::Invalid>,
    f: fn(T) -> &'static str,
) -> Vec<String> {
    v.iter()
        .filter_map(|s| parse(s).ok().map(|x| f(x).to_owned()))
        .collect()
}

/// A registered provider of technology services.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Provider {
    pub id: i64,
    pub org_id: i64,
    pub org_name: String,
    pub credit_code: String,
    pub region_code: String,
    pub region_name: String,
    pub services: Vec<String>,
    pub service_labels: Vec<String>,
    pub qualifications: String,
    pub prices: String,
    pub contact: String,
    pub related_codes: Vec<String>,
    pub status: String,
    pub status_label: String,
    #[serde(skip)]
    pub region_path: String,
    pub updated_at: i64,
}

fn provider_select() -> SelectStatement {
    let mut q = Query::select();
    q.columns(
        [
            "id",
            "org_id",
            "region_path",
            "services",
            "qualifications",
            "prices",
            "contact",
            "related_codes",
            "status",
            "updated_at",
        ]
        .map(|c| (SP, c)),
    )
    .expr_as(Expr::col(("organizations", "name")), "org_name")
    .expr_as(Expr::col(("organizations", "credit_code")), "credit_code")
    .expr_as(Expr::col(("organizations", "region_code")), "region_code")
    .from(SP)
    .inner_join(
        "organizations",
        Expr::col(("organizations", "id")).equals((SP, "org_id")),
    );
    q
}

fn provider_from_row(r: &QueryResult) -> StoreResult<Provider> {
    let services: Vec<String> = sql::json_col(r, "services")?;
    let status: String = get(r, "status")?;
    let region: String = get(r, "region_code")?;
    Ok(Provider {
        id: get(r, "id")?,
        org_id: get(r, "org_id")?,
        org_name: get(r, "org_name")?,
        credit_code: get(r, "credit_code")?,
        region_name: region_name(&region),
        region_code: region,
        service_labels: labels(&services, ServiceType::parse, ServiceType::label),
        services,
        qualifications: get(r, "qualifications")?,
        prices: get(r, "prices")?,
        contact: get(r, "contact")?,
        related_codes: sql::json_col(r, "related_codes")?,
        status_label: ProviderStatus::parse(&status)
            .map(|s| s.label())
            .unwrap_or_default()
            .into(),
        status,
        region_path: get(r, "region_path")?,
        updated_at: get(r, "updated_at")?,
    })
}

crate::record::impl_record!(
    Provider,
    PROVIDER_KIND,
    provider_select,
    provider_from_row,
    |s| RecordKeys::org(&s.region_path, s.org_id)
);

/// Today in China (vouchers expire by the calendar of the bureau, not of the server).
pub fn today_cn() -> NaiveDate {
    (chrono::Utc::now() + chrono::Duration::hours(8)).date_naive()
}

/// The voucher's status on `day`: an issued voucher is expired after its expiry date (the read
/// status uses today; past steps of a record are judged on their own day).
fn status_on(v: &Voucher, day: NaiveDate) -> VoucherStatus {
    match v.status.as_str() {
        "issued" | "expired" => {
            if v.expires_on
                .as_deref()
                .is_some_and(|e| e < day.to_string().as_str())
            {
                VoucherStatus::Expired
            } else {
                VoucherStatus::Issued
            }
        }
        s => VoucherStatus::parse(s).unwrap_or(VoucherStatus::Refused),
    }
}

/// An innovation voucher.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Voucher {
    pub id: i64,
    pub programme_id: i64,
    pub programme_code: String,
    pub programme_name: String,
    pub year: i32,
    pub org_id: i64,
    pub org_name: String,
    pub credit_code: String,
    pub region_code: String,
    pub region_name: String,
    /// 创新券编号 (once issued)
    pub voucher_no: Option<String>,
    /// Stored status; an issued voucher past its expiry reads as `expired`.
    pub status: String,
    pub status_label: String,
    /// 面额 (元)
    pub face: String,
    pub face_fen: i64,
    /// 已抵扣
    pub used_fen: i64,
    /// 余额
    pub remaining_fen: i64,
    pub applied_on: String,
    pub issued_on: Option<String>,
    pub expires_on: Option<String>,
    /// The pack's eligibility decision at application, in Chinese.
    pub eligibility: String,
    pub refusal_reason: Option<String>,
    #[serde(skip)]
    pub region_path: String,
    pub updated_at: i64,
}

fn voucher_select() -> SelectStatement {
    let mut q = Query::select();
    q.columns(
        [
            "id",
            "programme_id",
            "org_id",
            "region_path",
            "voucher_no",
            "status",
            "face_fen",
            "used_fen",
            "applied_on",
            "issued_on",
            "expires_on",
            "eligibility",
            "refusal_reason",
            "updated_at",
        ]
        .map(|c| (V, c)),
    )
    .expr_as(Expr::col(("fund_programmes", "code")), "programme_code")
    .expr_as(Expr::col(("fund_programmes", "name")), "programme_name")
    .expr_as(Expr::col(("fund_programmes", "year")), "year")
    .expr_as(Expr::col(("organizations", "name")), "org_name")
    .expr_as(Expr::col(("organizations", "credit_code")), "credit_code")
    .expr_as(Expr::col(("organizations", "region_code")), "region_code")
    .from(V)
    .inner_join(
        "fund_programmes",
        Expr::col(("fund_programmes", "id")).equals((V, "programme_id")),
    )
    .inner_join(
        "organizations",
        Expr::col(("organizations", "id")).equals((V, "org_id")),
    );
    q
}

fn voucher_from_row(r: &QueryResult) -> StoreResult<Voucher> {
    let mut status: String = get(r, "status")?;
    let expires_on: Option<String> = get(r, "expires_on")?;
    if status == "issued"
        && expires_on
            .as_deref()
            .is_some_and(|e| e < today_cn().to_string().as_str())
    {
        status = VoucherStatus::Expired.as_str().to_owned();
    }
    let region: String = get(r, "region_code")?;
    let face_fen: i64 = get(r, "face_fen")?;
    let used_fen: i64 = get(r, "used_fen")?;
    let year: i64 = get(r, "year")?;
    Ok(Voucher {
        id: get(r, "id")?,
        programme_id: get(r, "programme_id")?,
        programme_code: get(r, "programme_code")?,
        programme_name: get(r, "programme_name")?,
        year: year as i32,
        org_id: get(r, "org_id")?,
        org_name: get(r, "org_name")?,
        credit_code: get(r, "credit_code")?,
        region_name: region_name(&region),
        region_code: region,
        voucher_no: get(r, "voucher_no")?,
        status_label: VoucherStatus::parse(&status)
            .map(|s| s.label())
            .unwrap_or_default()
            .into(),
        status,
        face: yuan(face_fen),
        face_fen,
        used_fen,
        remaining_fen: face_fen - used_fen,
        applied_on: get(r, "applied_on")?,
        issued_on: get(r, "issued_on")?,
        expires_on,
        eligibility: get(r, "eligibility")?,
        refusal_reason: get(r, "refusal_reason")?,
        region_path: get(r, "region_path")?,
        updated_at: get(r, "updated_at")?,
    })
}

crate::record::impl_record!(
    Voucher,
    VOUCHER_KIND,
    voucher_select,
    voucher_from_row,
    |s| RecordKeys::org(&s.region_path, s.org_id)
);

/// A service order paid (in part) with a voucher.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct ServiceOrder {
    pub id: i64,
    pub voucher_id: i64,
    pub voucher_no: Option<String>,
    pub programme_id: i64,
    pub org_id: i64,
    pub org_name: String,
    pub provider_id: i64,
    pub provider_org_id: i64,
    pub provider_name: String,
    pub service: String,
    pub service_label: String,
    pub contract_name: String,
    pub contract_no: String,
    pub fee: String,
    pub fee_fen: i64,
    pub signed_on: String,
    pub status: String,
    pub status_label: String,
    pub completed_on: Option<String>,
    /// 服务结果 (report number, what was delivered)
    pub evidence: Option<String>,
    /// 抵扣金额 once redeemed
    pub offset_fen: Option<i64>,
    pub grant_id: Option<i64>,
    #[serde(skip)]
    pub region_path: String,
    #[serde(skip)]
    pub provider_region_path: String,
    pub updated_at: i64,
}

fn order_select() -> SelectStatement {
    let mut q = Query::select();
    q.columns(
        [
            "id",
            "voucher_id",
            "programme_id",
            "org_id",
            "region_path",
            "provider_id",
            "provider_org_id",
            "provider_region_path",
            "service",
            "contract_name",
            "contract_no",
            "fee_fen",
            "signed_on",
            "status",
            "completed_on",
            "evidence",
            "offset_fen",
            "grant_id",
            "updated_at",
        ]
        .map(|c| (O, c)),
    )
    .expr_as(Expr::col((V, "voucher_no")), "voucher_no")
    .expr_as(Expr::col(("ent", "name")), "org_name")
    .expr_as(Expr::col(("prov", "name")), "provider_name")
    .from(O)
    .inner_join(V, Expr::col((V, "id")).equals((O, "voucher_id")))
    .join_as(
        sea_orm::sea_query::JoinType::InnerJoin,
        "organizations",
        "ent",
        Expr::col(("ent", "id")).equals((O, "org_id")),
    )
    .join_as(
        sea_orm::sea_query::JoinType::InnerJoin,
        "organizations",
        "prov",
        Expr::col(("prov", "id")).equals((O, "provider_org_id")),
    );
    q
}

fn order_from_row(r: &QueryResult) -> StoreResult<ServiceOrder> {
    let service: String = get(r, "service")?;
    let status: String = get(r, "status")?;
    let fee_fen: i64 = get(r, "fee_fen")?;
    Ok(ServiceOrder {
        id: get(r, "id")?,
        voucher_id: get(r, "voucher_id")?,
        voucher_no: get(r, "voucher_no")?,
        programme_id: get(r, "programme_id")?,
        org_id: get(r, "org_id")?,
        org_name: get(r, "org_name")?,
        provider_id: get(r, "provider_id")?,
        provider_org_id: get(r, "provider_org_id")?,
        provider_name: get(r, "provider_name")?,
        service_label: ServiceType::parse(&service)
            .map(|s| s.label())
            .unwrap_or_default()
            .into(),
        service,
        contract_name: get(r, "contract_name")?,
        contract_no: get(r, "contract_no")?,
        fee: yuan(fee_fen),
        fee_fen,
        signed_on: get(r, "signed_on")?,
        status_label: OrderStatus::parse(&status)
            .map(|s| s.label())
            .unwrap_or_default()
            .into(),
        status,
        completed_on: get(r, "completed_on")?,
        evidence: get(r, "evidence")?,
        offset_fen: get(r, "offset_fen")?,
        grant_id: get(r, "grant_id")?,
        region_path: get(r, "region_path")?,
        provider_region_path: get(r, "provider_region_path")?,
        updated_at: get(r, "updated_at")?,
    })
}

crate::record::impl_record!(
    ServiceOrder,
    ORDER_KIND,
    order_select,
    order_from_row,
    |s| RecordKeys::org(&s.region_path, s.org_id),
    party: |s| RecordKeys::org(&s.provider_region_path, s.provider_org_id)
);

#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
pub struct ProviderFilter {
    /// Name or credit code contains.
    pub q: Option<String>,
    pub service: Option<String>,
    pub status: Option<String>,
}

impl ListFilter for ProviderFilter {
    fn apply(&self, q: &mut SelectStatement) -> StoreResult<()> {
        if let Some(t) = self.q.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            q.cond_where(
                Cond::any()
                    .add(Expr::col(("organizations", "name")).like(contains(t)))
                    .add(
                        Expr::col(("organizations", "credit_code"))
                            .like(contains(&t.to_uppercase())),
                    ),
            );
        }
        if let Some(v) = self.service.as_deref().filter(|s| !s.is_empty()) {
            let s = ServiceType::parse(v)?;
            q.and_where(Expr::col((SP, "services")).like(contains(&format!("\"{}\"", s.as_str()))));
        }
        if let Some(v) = self.status.as_deref().filter(|s| !s.is_empty()) {
            q.and_where(Expr::col((SP, "status")).eq(ProviderStatus::parse(v)?.as_str()));
        }
        q.order_by((SP, "id"), Order::Asc);
        Ok(())
    }
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
pub struct VoucherFilter {
    pub programme_id: Option<i64>,
    pub status: Option<String>,
    pub year: Option<i32>,
    /// Organization name, credit code or voucher number contains.
    pub q: Option<String>,
}

impl ListFilter for VoucherFilter {
    fn apply(&self, q: &mut SelectStatement) -> StoreResult<()> {
        if let Some(v) = self.programme_id {
            q.and_where(Expr::col((V, "programme_id")).eq(v));
        }
        if let Some(v) = self.status.as_deref().filter(|s| !s.is_empty()) {
            let today = today_cn().to_string();
            match VoucherStatus::parse(v)? {
                VoucherStatus::Expired => {
                    q.and_where(Expr::col((V, "status")).eq("issued"))
                        .and_where(Expr::col((V, "expires_on")).lt(today));
                }
                VoucherStatus::Issued => {
                    q.and_where(Expr::col((V, "status")).eq("issued"))
                        .and_where(Expr::col((V, "expires_on")).gte(today));
                }
                s => {
                    q.and_where(Expr::col((V, "status")).eq(s.as_str()));
                }
            }
        }
        if let Some(y) = self.year {
            q.and_where(Expr::col(("fund_programmes", "year")).eq(y));
        }
        if let Some(t) = self.q.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            q.cond_where(
                Cond::any()
                    .add(Expr::col(("organizations", "name")).like(contains(t)))
                    .add(
                        Expr::col(("organizations", "credit_code"))
                            .like(contains(&t.to_uppercase())),
                    )
                    .add(Expr::col((V, "voucher_no")).like(contains(&t.to_uppercase()))),
            );
        }
        q.order_by((V, "id"), Order::Desc);
        Ok(())
    }
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
pub struct OrderFilter {
    pub voucher_id: Option<i64>,
    pub provider_id: Option<i64>,
    pub status: Option<String>,
    pub service: Option<String>,
    /// Contract name or number, enterprise or provider name contains.
    pub q: Option<String>,
}

impl ListFilter for OrderFilter {
    fn apply(&self, q: &mut SelectStatement) -> StoreResult<()> {
        if let Some(v) = self.voucher_id {
            q.and_where(Expr::col((O, "voucher_id")).eq(v));
        }
        if let Some(v) = self.provider_id {
            q.and_where(Expr::col((O, "provider_id")).eq(v));
        }
        if let Some(v) = self.status.as_deref().filter(|s| !s.is_empty()) {
            q.and_where(Expr::col((O, "status")).eq(OrderStatus::parse(v)?.as_str()));
        }
        if let Some(v) = self.service.as_deref().filter(|s| !s.is_empty()) {
            q.and_where(Expr::col((O, "service")).eq(ServiceType::parse(v)?.as_str()));
        }
        if let Some(t) = self.q.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            q.cond_where(
                Cond::any()
                    .add(Expr::col((O, "contract_name")).like(contains(t)))
                    .add(Expr::col((O, "contract_no")).like(contains(t)))
                    .add(Expr::col(("ent", "name")).like(contains(t)))
                    .add(Expr::col(("prov", "name")).like(contains(t))),
            );
        }
        q.order_by((O, "id"), Order::Desc);
        Ok(())
    }
}

/// Whether an organization holds the titles a voucher pack asks about, read from the registry
/// as of a year: 高企 from its enterprise-year figures (资格有效), 科技型中小企业 from the stored
/// evaluation of the `tech-sme` pack.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct OrgTitles {
    pub hnte: bool,
    pub tech_sme: bool,
    /// Where each came from, in Chinese.
    pub source: String,
}

/// What redemption asks the voucher pack: the service, the fee and what was already used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OffsetQuestion {
    pub year: i32,
    pub service: ServiceType,
    pub fee_fen: i64,
    pub used_fen: i64,
    pub titles: OrgTitles,
}

/// The pack's answer: the offset (fen), its explanation, and the rule it names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OffsetAnswer {
    pub offset_fen: i64,
    pub reason: String,
    pub rule: String,
}

/// A redemption's checks and, when they all pass, the offset.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Redemption {
    pub checks: Vec<Check>,
    pub passed: bool,
    pub offset: String,
    pub offset_fen: i64,
    pub rule: String,
}

pub(crate) async fn titles_at<C: sea_orm::ConnectionTrait>(
    c: &C,
    org_id: i64,
    year: i32,
) -> StoreResult<OrgTitles> {
    let mut q = Query::select();
    q.columns(["year", "hte_valid"])
        .from("enterprise_years")
        .and_where(Expr::col("org_id").eq(org_id))
        .and_where(Expr::col("year").lte(i64::from(year)))
        .and_where(Expr::col("year").gte(i64::from(year) - 1))
        .order_by("year", Order::Desc)
        .limit(1);
    let (hnte, hsrc) = match sql::fetch_one(c, &q).await? {
        Some(r) => {
            let y: i64 = get(&r, "year")?;
            let v: Option<bool> = get(&r, "hte_valid")?;
            (
                v == Some(true),
                format!(
                    "{y}年度数据：高企资格{}",
                    match v {
                        Some(true) => "有效",
                        Some(false) => "无效",
                        None => "未填报",
                    }
                ),
            )
        }
        None => (false, format!("{}—{year}年度无企业年度数据", year - 1)),
    };
    let mut q = Query::select();
    q.columns(["year", "qualified"])
        .from("rule_results")
        .and_where(crate::rule_results::current())
        .and_where(Expr::col("org_id").eq(org_id))
        .and_where(Expr::col("pack").eq("tech-sme"))
        .and_where(Expr::col("year").lte(i64::from(year)))
        .and_where(Expr::col("year").gte(i64::from(year) - 1))
        .order_by("year", Order::Desc)
        .limit(1);
    let (tech_sme, tsrc) = match sql::fetch_one(c, &q).await? {
        Some(r) => {
            let y: i64 = get(&r, "year")?;
            let v: Option<bool> = get(&r, "qualified")?;
            (
                v == Some(true),
                format!(
                    "{y}年度科技型中小企业评价：{}",
                    if v == Some(true) {
                        "符合"
                    } else {
                        "不符合"
                    }
                ),
            )
        }
        None => (false, "无科技型中小企业评价结果".to_owned()),
    };
    Ok(OrgTitles {
        hnte,
        tech_sme,
        source: format!("{hsrc}；{tsrc}"),
    })
}

/// The matter a voucher redemption pays: the service contract of the enterprise.
fn contract_matter(ent: &Organization, o: &ServiceOrder) -> String {
    format!("contract:{}:{}", ent.credit_code, o.contract_no.trim())
}

fn party_of(o: &Organization) -> Party {
    Party {
        org_id: o.id,
        name: o.name.clone(),
        credit_code: o.credit_code.clone(),
        legal_representative: o.legal_representative.clone(),
    }
}

fn provider_values(p: &NewProvider, org: &Organization) -> Values {
    vec![
        ("org_id", org.id.into()),
        ("region_path", org.region_path.clone().into()),
        (
            "services",
            sql::json_text(&p.services.iter().map(|s| s.as_str()).collect::<Vec<_>>()).into(),
        ),
        ("qualifications", p.qualifications.clone().into()),
        ("prices", p.prices.clone().into()),
        ("contact", p.contact.clone().into()),
        ("related_codes", sql::json_text(&p.related_codes).into()),
        ("status", p.status.as_str().into()),
    ]
}

impl Store {
    pub async fn org_titles(&self, org_id: i64, year: i32) -> StoreResult<OrgTitles> {
        titles_at(&self.db, org_id, year).await
    }

    pub async fn list_providers(
        &self,
        scope: &DataScope,
        f: &ProviderFilter,
        page: PageRequest,
    ) -> StoreResult<Page<Provider>> {
        self.list_records(scope, f, page).await
    }

    /// The public catalogue: every registered provider (an enterprise chooses among them),
    /// whatever the caller's scope — the catalogue is published.
    pub async fn provider_catalogue(
        &self,
        f: &ProviderFilter,
        page: PageRequest,
    ) -> StoreResult<Page<Provider>> {
        let mut q = provider_select();
        q.and_where(Expr::col((SP, "status")).eq(ProviderStatus::Registered.as_str()));
        f.apply(&mut q)?;
        self.paged(q, page, provider_from_row).await
    }

    /// A provider in the caller's scope, or one of the catalogue every enterprise reads (the
    /// same rule as [`Store::provider_catalogue`], so what a list shows its detail opens).
    pub async fn get_provider(&self, scope: &DataScope, id: i64) -> StoreResult<Provider> {
        match self.get_record::<Provider>(scope, id).await {
            Err(StoreError::NotFound) => {
                let p: Provider = self.get_record(&DataScope::All, id).await?;
                if p.status == ProviderStatus::Registered.as_str() {
                    Ok(p)
                } else {
                    Err(StoreError::NotFound)
                }
            }
            other => other,
        }
    }

    pub async fn create_provider(&self, caller: &Caller, p: &NewProvider) -> StoreResult<Provider> {
        let mut tx = self.write(caller).await?;
        let org = visible_org(&tx, "org_id", p.org_id).await?;
        let after = tx
            .create(provider_values(p, &org))
            .await
            .map_err(|e| match e {
                StoreError::Db(e) if sql::is_unique_violation(&e) => refuse(
                    "org_id",
                    "provider.duplicate",
                    format!("{}已是入库服务机构", org.name),
                ),
                e => e,
            })?;
        tx.commit().await?;
        Ok(after)
    }

    pub async fn update_provider(
        &self,
        caller: &Caller,
        id: i64,
        p: &NewProvider,
    ) -> StoreResult<Provider> {
        let mut tx = self.write(caller).await?;
        let before: Provider = tx.get(id).await?;
        if p.org_id != before.org_id {
            return Err(invalid(
                "org_id",
                "provider.org_fixed",
                "不能更改服务机构对应的单位",
            ));
        }
        let org = visible_org(&tx, "org_id", p.org_id).await?;
        let after = tx
            .update_as("update", &before, provider_values(p, &org))
            .await?;
        tx.commit().await?;
        Ok(after)
    }

    pub async fn list_vouchers(
        &self,
        scope: &DataScope,
        f: &VoucherFilter,
        page: PageRequest,
    ) -> StoreResult<Page<Voucher>> {
        self.list_records(scope, f, page).await
    }

    pub async fn get_voucher(&self, scope: &DataScope, id: i64) -> StoreResult<Voucher> {
        self.get_record(scope, id).await
    }

    /// 申领: an enterprise applies to a voucher programme open for its region. `eligible`
    /// and `eligibility` are the pack's decision; an ineligible application is refused and
    /// nothing is stored. One application per enterprise and programme, unless refused.
    pub async fn apply_voucher(
        &self,
        caller: &Caller,
        programme: &Programme,
        org_id: i64,
        eligible: bool,
        eligibility: &str,
        today: NaiveDate,
    ) -> StoreResult<Voucher> {
        let mut tx = self.write(caller).await?;
        let org = visible_org(&tx, "org_id", org_id).await?;
        if programme.kind != ProgrammeKind::Voucher.as_str() || programme.status != "open" {
            return Err(refuse(
                "programme_id",
                "voucher.programme_closed",
                format!("“{}”不是正在受理的创新券项目", programme.name),
            ));
        }
        if !org.region_path.starts_with(&programme.region_path) {
            return Err(refuse(
                "programme_id",
                "voucher.other_region",
                format!("“{}”只受理{}的企业", programme.name, programme.region_name),
            ));
        }
        if !eligible {
            return Err(refuse(
                "org_id",
                "voucher.not_eligible",
                format!("不符合申领条件：{eligibility}"),
            ));
        }
        let mut q = Query::select();
        q.column("id")
            .from(V)
            .and_where(Expr::col("programme_id").eq(programme.id))
            .and_where(Expr::col("org_id").eq(org_id))
            .and_where(Expr::col("status").ne(VoucherStatus::Refused.as_str()));
        if sql::fetch_one(tx.conn(), &q).await?.is_some() {
            return Err(refuse(
                "programme_id",
                "voucher.duplicate",
                format!("{}已申领“{}”，不能重复申领", org.name, programme.name),
            ));
        }
        let after = tx
            .create(vec![
                ("programme_id", programme.id.into()),
                ("org_id", org.id.into()),
                ("region_path", org.region_path.clone().into()),
                ("status", VoucherStatus::Applied.as_str().into()),
                ("face_fen", 0i64.into()),
                ("used_fen", 0i64.into()),
                ("applied_on", today.to_string().into()),
                ("eligibility", eligibility.to_owned().into()),
            ])
            .await?;
        tx.commit().await?;
        Ok(after)
    }

    /// 审核发放: issue an applied voucher with a number, a face value (`face_fen`: the pack's
    /// annual cap for the enterprise, at most the programme's per-enterprise cap) and an expiry.
    /// The faces issued never exceed the programme's budget.
    pub async fn issue_voucher(
        &self,
        caller: &Caller,
        id: i64,
        face_fen: i64,
        today: NaiveDate,
    ) -> StoreResult<Voucher> {
        let mut tx = self.write(caller).await?;
        let before: Voucher = tx.get(id).await?;
        if before.status != "applied" {
            return Err(refuse(
                "status",
                "voucher.not_applied",
                format!(
                    "创新券当前为“{}”，只有待审核的申领可以发放",
                    before.status_label
                ),
            ));
        }
        let p = Self::programme_unscoped(&tx, before.programme_id).await?;
        let face = match p.org_cap_fen {
            Some(cap) => std::cmp::min(face_fen, cap),
            None => face_fen,
        };
        if face <= 0 {
            return Err(refuse(
                "face",
                "voucher.no_quota",
                "按政策包该企业无可用额度，不能发放",
            ));
        }
        let issued = sum_where(
            &tx,
            V,
            "face_fen",
            Cond::all()
                .add(Expr::col((V, "programme_id")).eq(p.id))
                .add(Expr::col((V, "status")).is_in(["issued", "used"])),
        )
        .await?;
        if issued + face > p.budget_fen {
            return Err(refuse(
                "face",
                "funds.over_budget",
                format!(
                    "已发放面额 {} 元，再发放 {} 元将超过项目预算 {} 元",
                    yuan(issued),
                    yuan(face),
                    p.budget
                ),
            ));
        }
        let mut q = Query::select();
        q.expr_as(Expr::cust("COUNT(*)"), "n")
            .from(V)
            .and_where(Expr::col("programme_id").eq(p.id))
            .and_where(Expr::col("voucher_no").is_not_null());
        let n: i64 = match sql::fetch_one(tx.conn(), &q).await? {
            Some(r) => get(&r, "n")?,
            None => 0,
        };
        let no = format!("{}-{:04}", p.code, n + 1);
        let days = p.valid_days.unwrap_or(90);
        let after = tx
            .update_as(
                "issue",
                &before,
                vec![
                    ("status", VoucherStatus::Issued.as_str().into()),
                    ("voucher_no", no.into()),
                    ("face_fen", face.into()),
                    ("issued_on", today.to_string().into()),
                    (
                        "expires_on",
                        (today + chrono::Duration::days(days)).to_string().into(),
                    ),
                ],
            )
            .await?;
        tx.commit().await?;
        Ok(after)
    }

    pub async fn refuse_voucher(
        &self,
        caller: &Caller,
        id: i64,
        reason: &str,
    ) -> StoreResult<Voucher> {
        let reason = reason.trim();
        if reason.is_empty() || reason.chars().count() > 500 {
            return Err(invalid(
                "reason",
                "reason.required",
                "不予发放须填写理由（不超过500字）",
            ));
        }
        let mut tx = self.write(caller).await?;
        let before: Voucher = tx.get(id).await?;
        if before.status != "applied" {
            return Err(refuse(
                "status",
                "voucher.not_applied",
                format!(
                    "创新券当前为“{}”，只有待审核的申领可以不予发放",
                    before.status_label
                ),
            ));
        }
        let after = tx
            .update_as(
                "refuse",
                &before,
                vec![
                    ("status", VoucherStatus::Refused.as_str().into()),
                    ("refusal_reason", reason.to_owned().into()),
                ],
            )
            .await?;
        tx.commit().await?;
        Ok(after)
    }

    pub async fn list_orders(
        &self,
        scope: &DataScope,
        f: &OrderFilter,
        page: PageRequest,
    ) -> StoreResult<Page<ServiceOrder>> {
        self.list_records(scope, f, page).await
    }

    pub async fn get_order(&self, scope: &DataScope, id: i64) -> StoreResult<ServiceOrder> {
        self.get_record(scope, id).await
    }

    /// 下单: the enterprise holding an issued, unexpired voucher orders a service from a
    /// registered provider that offers it.
    pub async fn place_order(
        &self,
        caller: &Caller,
        o: &NewOrder,
        today: NaiveDate,
    ) -> StoreResult<ServiceOrder> {
        let mut tx = self.write(caller).await?;
        let v: Voucher = tx.get(o.voucher_id).await.map_err(|e| match e {
            StoreError::NotFound => invalid(
                "voucher_id",
                "voucher.unknown",
                "创新券不存在或不属于本单位",
            ),
            e => e,
        })?;
        if status_on(&v, o.signed_on) != VoucherStatus::Issued {
            return Err(refuse(
                "voucher_id",
                "voucher.not_usable",
                format!(
                    "创新券{}当前为“{}”，不能使用",
                    v.voucher_no.as_deref().unwrap_or(""),
                    v.status_label
                ),
            ));
        }
        if v.expires_on
            .as_deref()
            .is_some_and(|e| e < o.signed_on.to_string().as_str())
        {
            return Err(refuse(
                "signed_on",
                "voucher.expired",
                format!(
                    "合同签订日期{}晚于创新券有效期{}",
                    o.signed_on,
                    v.expires_on.as_deref().unwrap_or("")
                ),
            ));
        }
        if o.signed_on > today {
            return Err(invalid(
                "signed_on",
                "date.future",
                "合同签订日期不能晚于今天",
            ));
        }
        let p: Provider = crate::record::get_in(tx.conn(), &DataScope::All, o.provider_id)
            .await
            .map_err(|e| match e {
                StoreError::NotFound => {
                    invalid("provider_id", "provider.unknown", "服务机构不存在")
                }
                e => e,
            })?;
        if p.status != "registered" || !p.services.iter().any(|s| s == o.service.as_str()) {
            return Err(refuse(
                "service",
                "voucher.provider",
                format!(
                    "{}未登记“{}”服务或已暂停服务",
                    p.org_name,
                    o.service.label()
                ),
            ));
        }
        let after = tx
            .create(vec![
                ("voucher_id", v.id.into()),
                ("programme_id", v.programme_id.into()),
                ("org_id", v.org_id.into()),
                ("region_path", v.region_path.clone().into()),
                ("provider_id", p.id.into()),
                ("provider_org_id", p.org_id.into()),
                ("provider_region_path", p.region_path.clone().into()),
                ("service", o.service.as_str().into()),
                ("contract_name", o.contract_name.clone().into()),
                ("contract_no", o.contract_no.clone().into()),
                ("fee_fen", o.fee_fen.into()),
                ("signed_on", o.signed_on.to_string().into()),
                ("status", OrderStatus::Placed.as_str().into()),
            ])
            .await?;
        tx.commit().await?;
        Ok(after)
    }

    /// 服务完成: the provider (or the bureau) records the service result.
    pub async fn complete_order(
        &self,
        caller: &Caller,
        id: i64,
        completed_on: NaiveDate,
        evidence: &str,
        today: NaiveDate,
    ) -> StoreResult<ServiceOrder> {
        let evidence = evidence.trim();
        if evidence.is_empty() || evidence.chars().count() > 1000 {
            return Err(invalid(
                "evidence",
                "evidence.required",
                "请填写服务结果（报告编号、交付内容），不超过1000字",
            ));
        }
        if completed_on > today {
            return Err(invalid(
                "completed_on",
                "date.future",
                "完成日期不能晚于今天",
            ));
        }
        let mut tx = self.write(caller).await?;
        let before: ServiceOrder = tx.get(id).await?;
        let provider_side = caller.scope.admits(RecordKeys::org(
            &before.provider_region_path,
            before.provider_org_id,
        ));
        if !provider_side {
            return Err(StoreError::Forbidden(
                "只有服务机构或主管部门可以确认服务完成".into(),
            ));
        }
        if before.status != "placed" {
            return Err(refuse(
                "status",
                "order.not_placed",
                format!("订单当前为“{}”，不能确认完成", before.status_label),
            ));
        }
        if completed_on.to_string().as_str() < before.signed_on.as_str() {
            return Err(invalid(
                "completed_on",
                "order.before_signed",
                "完成日期不能早于合同签订日期",
            ));
        }
        let after = tx
            .update_as(
                "complete",
                &before,
                vec![
                    ("status", OrderStatus::Completed.as_str().into()),
                    ("completed_on", completed_on.to_string().into()),
                    ("evidence", evidence.to_owned().into()),
                ],
            )
            .await?;
        tx.commit().await?;
        Ok(after)
    }

    async fn redemption_in(
        tx: &WriteTx,
        order: &ServiceOrder,
        today: NaiveDate,
        offset: &(dyn Fn(&OffsetQuestion) -> OffsetAnswer + Sync),
    ) -> StoreResult<(Redemption, Voucher, Programme)> {
        let v: Voucher =
            crate::record::get_in(tx.conn(), &DataScope::All, order.voucher_id).await?;
        let prog = Self::programme_unscoped(tx, v.programme_id).await?;
        let ent: Organization =
            crate::record::get_in(tx.conn(), &DataScope::All, order.org_id).await?;
        let pv: Provider =
            crate::record::get_in(tx.conn(), &DataScope::All, order.provider_id).await?;
        let porg: Organization =
            crate::record::get_in(tx.conn(), &DataScope::All, order.provider_org_id).await?;
        // A person of the registry at one side who is the other side's legal representative.
        let mut linked = Vec::new();
        for (at, other) in [(&ent, &porg), (&porg, &ent)] {
            if let Some(rep) = other
                .legal_representative
                .as_deref()
                .filter(|s| !s.trim().is_empty())
            {
                let mut q = Query::select();
                q.column("name")
                    .from("persons")
                    .and_where(Expr::col("org_id").eq(at.id))
                    .and_where(Expr::col("name").eq(rep.trim()))
                    .limit(1);
                if sql::fetch_one(tx.conn(), &q).await?.is_some() {
                    linked.push(format!(
                        "{}（{}人员，{}法定代表人）",
                        rep.trim(),
                        at.name,
                        other.name
                    ));
                }
            }
        }
        // 同一事项不重复支持: the order's contract (by the enterprise's credit code and the
        // contract number) is one matter for every programme.
        let mut already = Vec::new();
        if let Some(h) = Self::matter_holder(tx, &contract_matter(&ent, order), None).await? {
            already.push(format!(
                "{}（合同{}，{}）",
                h.programme_name, order.contract_no, h.status_label
            ));
        }
        let used = sum_where(
            tx,
            G,
            "amount_fen",
            Cond::all()
                .add(Expr::col((G, "org_id")).eq(order.org_id))
                .add(Expr::col((G, "status")).is_in(["approved", "paid"]))
                .add(
                    Expr::col((G, "programme_id")).in_subquery(
                        Query::select()
                            .column("id")
                            .from("fund_programmes")
                            .and_where(Expr::col("kind").eq("voucher"))
                            .and_where(Expr::col("year").eq(i64::from(prog.year)))
                            .to_owned(),
                    ),
                ),
        )
        .await?;
        let service = ServiceType::parse(&order.service)?;
        let titles = titles_at(tx.conn(), order.org_id, prog.year).await?;
        let a = offset(&OffsetQuestion {
            year: prog.year,
            service,
            fee_fen: order.fee_fen,
            used_fen: used,
            titles,
        });
        let offset_fen = match prog.org_cap_fen {
            Some(cap) => std::cmp::min(a.offset_fen, std::cmp::max(cap - used, 0)),
            None => a.offset_fen,
        };
        let reason = if offset_fen < a.offset_fen {
            format!(
                "{}；本批次单个企业上限 {} 元",
                a.reason,
                prog.org_cap.clone().unwrap_or_default()
            )
        } else {
            a.reason.clone()
        };
        let status = status_on(&v, today);
        let facts = RedemptionFacts {
            today,
            voucher_status: status,
            voucher_no: v.voucher_no.clone().unwrap_or_default(),
            expires_on: v
                .expires_on
                .as_deref()
                .and_then(|e| NaiveDate::parse_from_str(e, "%Y-%m-%d").ok())
                .unwrap_or(today),
            signed_on: NaiveDate::parse_from_str(&order.signed_on, "%Y-%m-%d")
                .map_err(StoreError::corrupt)?,
            remaining_fen: v.remaining_fen,
            enterprise: party_of(&ent),
            provider: party_of(&porg),
            provider_registered: pv.status == "registered",
            provider_services: pv
                .services
                .iter()
                .filter_map(|s| ServiceType::parse(s).ok())
                .collect(),
            service,
            declared_related: pv.related_codes.clone(),
            linked_persons: linked,
            already_paid: already,
            offset_fen,
            offset_reason: reason,
        };
        let checks = redemption_checks(&facts);
        let passed = checks.iter().all(|c| c.passed);
        Ok((
            Redemption {
                passed,
                offset: yuan(offset_fen),
                offset_fen,
                rule: a.rule,
                checks,
            },
            v,
            prog,
        ))
    }

    /// The checks a redemption of this order would face now (the officer's preview).
    pub async fn redemption_preview(
        &self,
        caller: &Caller,
        id: i64,
        today: NaiveDate,
        offset: &(dyn Fn(&OffsetQuestion) -> OffsetAnswer + Sync),
    ) -> StoreResult<Redemption> {
        // A write transaction so the figures are those a redemption would read; rolled back.
        let tx = self.write(caller).await?;
        let order: ServiceOrder = tx.get(id).await?;
        let (r, _, _) = Self::redemption_in(&tx, &order, today, offset).await?;
        Ok(r)
    }

    /// 兑付: every check must pass; then the offset is an approved grant of the voucher's
    /// programme (its matter is the service contract), paid at once with the payment given, and taken
    /// off the voucher. A failing check refuses with its code and sentence; nothing is stored.
    pub async fn redeem_order(
        &self,
        caller: &Caller,
        id: i64,
        today: NaiveDate,
        payment: &NewPayment,
        offset: &(dyn Fn(&OffsetQuestion) -> OffsetAnswer + Sync),
    ) -> StoreResult<(ServiceOrder, Grant)> {
        let mut tx = self.write(caller).await?;
        let before: ServiceOrder = tx.get(id).await?;
        if before.status != "completed" {
            return Err(refuse(
                "status",
                "order.not_completed",
                format!("订单当前为“{}”，服务完成后才能兑付", before.status_label),
            ));
        }
        let (r, v, prog) = Self::redemption_in(&tx, &before, today, offset).await?;
        if let Some(c) = r.checks.iter().find(|c| !c.passed) {
            return Err(refuse(
                "order",
                &c.code,
                format!("不予兑付：{}。{}", c.label, c.detail),
            ));
        }
        if payment.amount_fen != r.offset_fen {
            return Err(invalid(
                "amount",
                "voucher.amount_mismatch",
                format!("兑付金额应为核定的抵扣金额 {} 元", r.offset),
            ));
        }
        let ent: Organization =
            crate::record::get_in(tx.conn(), &DataScope::All, before.org_id).await?;
        let explanation = r
            .checks
            .iter()
            .map(|c| format!("{}：{}", c.label, c.detail))
            .collect::<Vec<_>>()
            .join("；");
        let grant = Self::propose_in(
            &mut tx,
            &prog,
            &NewGrant {
                org_id: before.org_id,
                matter_key: contract_matter(&ent, &before),
                matter: format!(
                    "创新券{}兑付：{}（{}，合同{}）",
                    v.voucher_no.as_deref().unwrap_or(""),
                    before.contract_name,
                    before.provider_name,
                    before.contract_no
                ),
                amount_fen: r.offset_fen,
                explanation,
                rule: r.rule.clone(),
            },
            GrantStatus::Approved,
        )
        .await?;
        let committed = sum_where(
            &tx,
            G,
            "amount_fen",
            Cond::all()
                .add(Expr::col((G, "programme_id")).eq(prog.id))
                .add(Expr::col((G, "status")).is_in(["approved", "paid"])),
        )
        .await?;
        if committed > prog.budget_fen {
            return Err(refuse(
                "amount",
                "funds.over_budget",
                format!(
                    "兑付后项目累计 {} 元将超过预算 {} 元",
                    yuan(committed),
                    prog.budget
                ),
            ));
        }
        let grant = tx
            .update_as(
                "approve",
                &grant,
                vec![("approved_on", today.to_string().into())],
            )
            .await?;
        Self::pay_in(&mut tx, &grant, payment).await?;
        let used = v.used_fen + r.offset_fen;
        let mut vvals: Values = vec![("used_fen", used.into())];
        if used >= v.face_fen {
            vvals.push(("status", VoucherStatus::Used.as_str().into()));
        }
        tx.update_as("use", &v, vvals).await?;
        let after = tx
            .update_as(
                "redeem",
                &before,
                vec![
                    ("status", OrderStatus::Redeemed.as_str().into()),
                    ("offset_fen", r.offset_fen.into()),
                    ("grant_id", grant.id.into()),
                ],
            )
            .await?;
        let grant: Grant = tx.get(grant.id).await?;
        tx.commit().await?;
        Ok((after, grant))
    }

    /// Voucher statistics of a year in the scope: issued, used, expired; by provider and
    /// service type.
    pub async fn voucher_stats(&self, scope: &DataScope, year: i32) -> StoreResult<VoucherStats> {
        let vs = self
            .export_records::<Voucher, _>(
                scope,
                &VoucherFilter {
                    year: Some(year),
                    ..Default::default()
                },
                1_000_000,
            )
            .await?;
        let mut s = VoucherStats::default();
        for v in &vs {
            match v.status.as_str() {
                "applied" => s.applied += 1,
                "refused" => s.refused += 1,
                "expired" => {
                    s.expired += 1;
                    s.issued += 1;
                    s.face_fen += v.face_fen;
                    s.lapsed_fen += v.remaining_fen;
                }
                _ => {
                    s.issued += 1;
                    s.face_fen += v.face_fen;
                }
            }
            s.used_fen += v.used_fen;
        }
        let mut q = order_select();
        q.cond_where(ORDER_KIND.condition(scope))
            .and_where(Expr::col((O, "status")).eq("redeemed"))
            .and_where(
                Expr::col((O, "programme_id")).in_subquery(
                    Query::select()
                        .column("id")
                        .from("fund_programmes")
                        .and_where(Expr::col("year").eq(i64::from(year)))
                        .to_owned(),
                ),
            );
        let mut by_provider: std::collections::BTreeMap<String, (i64, i64)> = Default::default();
        let mut by_service: std::collections::BTreeMap<String, (i64, i64)> = Default::default();
        for r in sql::fetch_all(&self.db, &q).await? {
            let o = order_from_row(&r)?;
            let off = o.offset_fen.unwrap_or(0);
            let e = by_provider.entry(o.provider_name.clone()).or_default();
            e.0 += 1;
            e.1 += off;
            let e = by_service.entry(o.service_label.clone()).or_default();
            e.0 += 1;
            e.1 += off;
        }
        s.by_provider = by_provider
            .into_iter()
            .map(|(k, (n, f))| StatLine {
                name: k,
                orders: n,
                amount: yuan(f),
            })
            .collect();
        s.by_service = by_service
            .into_iter()
            .map(|(k, (n, f))| StatLine {
                name: k,
                orders: n,
                amount: yuan(f),
            })
            .collect();
        s.face = yuan(s.face_fen);
        s.used = yuan(s.used_fen);
        s.lapsed = yuan(s.lapsed_fen);
        Ok(s)
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, utoipa::ToSchema)]
pub struct StatLine {
    pub name: String,
    pub orders: i64,
    pub amount: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, utoipa::ToSchema)]
pub struct VoucherStats {
    pub applied: i64,
    pub issued: i64,
    pub refused: i64,
    pub expired: i64,
    pub face: String,
    pub used: String,
    /// 过期未用的面额
    pub lapsed: String,
    #[serde(skip)]
    pub face_fen: i64,
    #[serde(skip)]
    pub used_fen: i64,
    #[serde(skip)]
    pub lapsed_fen: i64,
    pub by_provider: Vec<StatLine>,
    pub by_service: Vec<StatLine>,
}
