//! 资金与服务: funding programmes and the one ledger of what each organization received.
//!
//! - `fund_programmes` — a programme (资金项目) of a year, in the region of the bureau that runs
//!   it, with its budget, source, mode, the policy pack that decides, and caps.
//! - `fund_grants` — one decision per organization and *matter* (事项): proposed, noticed
//!   (公示, with objections recorded on it), approved, paid, or refused. A matter key
//!   (`reward:hnte:…`, `voucher-order:17`, `loan-interest:5:2025`) is held by one live grant
//!   across every programme: 同一事项不重复支持.
//! - `fund_payments` — the ledger: each 拨付 of an approved grant with its date, amount and
//!   document number, in the organization's region. Budgets, caps and the approved amount are
//!   checked inside the write transaction (writes are serialized by the audit head), so two
//!   officers paying at once cannot overspend.
//!
//! Vouchers and providers (`vouchers`), instruments and bookings (`instruments`) and 科技贷
//! (`finance`) write their money through the grants and payments of this module.

pub mod finance;
pub mod instruments;
pub mod vouchers;

use crate::audit::WriteTx;
use crate::error::{StoreError, StoreResult};
use crate::orgs::{Organization, region_name, region_path};
use crate::record::{ListFilter, RecordKind, Stamps, Values};
use crate::sql::{self, ScopeColumns, contains, get};
use crate::{Caller, DataScope, Page, PageRequest, Store};
use kechuang_domain::FieldError;
use kechuang_domain::funds::{
    GrantStatus, NewPayment, NewProgramme, ProgrammeKind, ProgrammeMode, ProgrammeStatus,
};
use kechuang_domain::money::from_fen;
use kechuang_domain::scope::RecordKeys;
use sea_orm::QueryResult;
use sea_orm::sea_query::{Cond, Expr, ExprTrait, Func, Order, Query, SelectStatement};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

const P: &str = "fund_programmes";
const G: &str = "fund_grants";
const PAY: &str = "fund_payments";

pub(crate) const PROGRAMME_KIND: RecordKind = RecordKind::own(
    ScopeColumns {
        table: P,
        region_path: Some("region_path"),
        org: None,
        owner: None,
    },
    "fund_programme",
    Stamps::ALL,
);
pub(crate) const GRANT_KIND: RecordKind = RecordKind::own(
    ScopeColumns {
        table: G,
        region_path: Some("region_path"),
        org: Some("org_id"),
        owner: None,
    },
    "fund_grant",
    Stamps::ALL,
);
pub(crate) const PAYMENT_KIND: RecordKind = RecordKind::own(
    ScopeColumns {
        table: PAY,
        region_path: Some("region_path"),
        org: Some("org_id"),
        owner: None,
    },
    "fund_payment",
    Stamps::CREATED,
);

pub(crate) fn refuse(field: &str, code: &str, msg: impl Into<String>) -> StoreError {
    StoreError::Conflict(FieldError::new(field, code, msg.into()))
}

pub(crate) fn invalid(field: &str, code: &str, msg: impl Into<String>) -> StoreError {
    StoreError::Invalid(kechuang_domain::Invalid::one(field, code, msg.into()))
}

pub(crate) fn yuan(fen: i64) -> String {
    from_fen(fen).to_string()
}

fn label<T: Copy>(r: Result<T, kechuang_domain::Invalid>, f: fn(T) -> &'static str) -> String {
    r.map(f).unwrap_or_default().to_owned()
}

/// A funding programme with what it has committed and paid.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Programme {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub kind: String,
    pub kind_label: String,
    pub mode: String,
    pub mode_label: String,
    pub year: i32,
    pub region_code: String,
    pub region_name: String,
    /// 预算 (元, exact)
    pub budget: String,
    pub budget_fen: i64,
    pub fund_source: String,
    pub basis: String,
    pub pack: Option<String>,
    pub org_cap: Option<String>,
    pub org_cap_fen: Option<i64>,
    pub notice_days: i64,
    pub valid_days: Option<i64>,
    pub status: String,
    pub status_label: String,
    pub note: String,
    /// 已批准（含已拨付）
    pub committed_fen: i64,
    /// 已拨付
    pub paid_fen: i64,
    /// 预算余额 = 预算 − 已批准
    pub balance_fen: i64,
    #[serde(skip)]
    pub region_path: String,
    pub updated_at: i64,
}

const LIVE: [&str; 2] = ["approved", "paid"];

fn programme_select() -> SelectStatement {
    sql::columns_of(
        P,
        &[
            "id",
            "code",
            "name",
            "kind",
            "mode",
            "year",
            "region_code",
            "region_path",
            "budget_fen",
            "fund_source",
            "basis",
            "pack",
            "org_cap_fen",
            "notice_days",
            "valid_days",
            "status",
            "note",
            "committed_fen",
            "paid_fen",
            "updated_at",
        ],
    )
}

/// Keeps a programme's committed (approved or paid) and paid sums, in the transaction that
/// changes them: reading a programme never sums its grants (at province scale a programme has
/// 10^5 of them). The API tests check them against the rows (`sums_match`).
pub(crate) async fn bump(
    tx: &WriteTx,
    programme_id: i64,
    committed: i64,
    paid: i64,
) -> StoreResult<()> {
    use sea_orm::ConnectionTrait;
    let mut up = Query::update();
    up.table(P)
        .value("committed_fen", Expr::col("committed_fen").add(committed))
        .value("paid_fen", Expr::col("paid_fen").add(paid))
        .and_where(Expr::col("id").eq(programme_id));
    tx.conn().execute(&up).await?;
    Ok(())
}

fn sum_col(r: &QueryResult, col: &str) -> StoreResult<i64> {
    // A SUM is NUMERIC on PostgreSQL and INTEGER on SQLite.
    if let Ok(v) = r.try_get::<i64>("", col) {
        return Ok(v);
    }
    let d: rust_decimal::Decimal = get(r, col)?;
    i64::try_from(d.trunc().mantissa()).map_err(|_| StoreError::corrupt("金额合计超出范围"))
}

fn programme_from_row(r: &QueryResult) -> StoreResult<Programme> {
    let kind: String = get(r, "kind")?;
    let mode: String = get(r, "mode")?;
    let status: String = get(r, "status")?;
    let region: String = get(r, "region_code")?;
    let budget_fen: i64 = get(r, "budget_fen")?;
    let org_cap_fen: Option<i64> = get(r, "org_cap_fen")?;
    let committed_fen: i64 = get(r, "committed_fen")?;
    let year: i64 = get(r, "year")?;
    Ok(Programme {
        id: get(r, "id")?,
        code: get(r, "code")?,
        name: get(r, "name")?,
        kind_label: label(ProgrammeKind::parse(&kind), ProgrammeKind::label),
        kind,
        mode_label: label(ProgrammeMode::parse(&mode), ProgrammeMode::label),
        mode,
        year: year as i32,
        region_name: region_name(&region),
        region_code: region,
        budget: yuan(budget_fen),
        budget_fen,
        fund_source: get(r, "fund_source")?,
        basis: get(r, "basis")?,
        pack: get(r, "pack")?,
        org_cap: org_cap_fen.map(yuan),
        org_cap_fen,
        notice_days: get(r, "notice_days")?,
        valid_days: get(r, "valid_days")?,
        status_label: label(ProgrammeStatus::parse(&status), ProgrammeStatus::label),
        status,
        note: get(r, "note")?,
        committed_fen,
        paid_fen: get(r, "paid_fen")?,
        balance_fen: budget_fen - committed_fen,
        region_path: get(r, "region_path")?,
        updated_at: get(r, "updated_at")?,
    })
}

crate::record::impl_record!(
    Programme,
    PROGRAMME_KIND,
    programme_select,
    programme_from_row,
    |s| RecordKeys::region(&s.region_path),
    audit_json: |s| serde_json::json!({
        "code": s.code, "name": s.name, "kind": s.kind, "mode": s.mode, "year": s.year,
        "region_code": s.region_code, "budget_fen": s.budget_fen, "fund_source": s.fund_source,
        "basis": s.basis, "pack": s.pack, "org_cap_fen": s.org_cap_fen,
        "notice_days": s.notice_days, "valid_days": s.valid_days, "status": s.status, "note": s.note,
    })
);

/// An objection to a noticed grant (公示异议), kept on the grant.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[schema(as = FundsObjection)]
pub struct Objection {
    pub no: i64,
    pub at: i64,
    pub by_name: String,
    pub content: String,
    pub resolved: bool,
    pub upheld: Option<bool>,
    pub resolution: Option<String>,
}

/// One decision of a programme for one organization and matter.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Grant {
    pub id: i64,
    pub programme_id: i64,
    pub programme_name: String,
    pub programme_kind: String,
    pub year: i32,
    pub org_id: i64,
    pub org_name: String,
    pub credit_code: String,
    pub region_code: String,
    pub region_name: String,
    /// 同一事项的键 (unique among live grants of every programme).
    pub matter_key: String,
    /// 支持事项
    pub matter: String,
    pub amount: String,
    pub amount_fen: i64,
    pub paid_fen: i64,
    pub status: String,
    pub status_label: String,
    /// Why this amount, in Chinese (the pack's explanation).
    pub explanation: String,
    /// 依据: the pack and version, or the programme's basis.
    pub rule: String,
    pub notice_start: Option<String>,
    pub notice_end: Option<String>,
    pub objections: Vec<Objection>,
    pub refusal_reason: Option<String>,
    pub approved_on: Option<String>,
    #[serde(skip)]
    pub region_path: String,
    pub updated_at: i64,
}

fn grant_select() -> SelectStatement {
    let mut q = Query::select();
    q.columns(
        [
            "id",
            "programme_id",
            "org_id",
            "region_path",
            "matter_key",
            "matter",
            "amount_fen",
            "paid_fen",
            "status",
            "explanation",
            "rule",
            "notice_start",
            "notice_end",
            "objections",
            "refusal_reason",
            "approved_on",
            "updated_at",
        ]
        .map(|c| (G, c)),
    )
    .expr_as(Expr::col((P, "name")), "programme_name")
    .expr_as(Expr::col((P, "kind")), "programme_kind")
    .expr_as(Expr::col((P, "year")), "year")
    .expr_as(Expr::col(("organizations", "name")), "org_name")
    .expr_as(Expr::col(("organizations", "credit_code")), "credit_code")
    .expr_as(Expr::col(("organizations", "region_code")), "region_code")
    .from(G)
    .inner_join(P, Expr::col((P, "id")).equals((G, "programme_id")))
    .inner_join(
        "organizations",
        Expr::col(("organizations", "id")).equals((G, "org_id")),
    );
    q
}

fn grant_from_row(r: &QueryResult) -> StoreResult<Grant> {
    let status: String = get(r, "status")?;
    let region: String = get(r, "region_code")?;
    let amount_fen: i64 = get(r, "amount_fen")?;
    let year: i64 = get(r, "year")?;
    Ok(Grant {
        id: get(r, "id")?,
        programme_id: get(r, "programme_id")?,
        programme_name: get(r, "programme_name")?,
        programme_kind: get(r, "programme_kind")?,
        year: year as i32,
        org_id: get(r, "org_id")?,
        org_name: get(r, "org_name")?,
        credit_code: get(r, "credit_code")?,
        region_name: region_name(&region),
        region_code: region,
        matter_key: get(r, "matter_key")?,
        matter: get(r, "matter")?,
        amount: yuan(amount_fen),
        amount_fen,
        paid_fen: get(r, "paid_fen")?,
        status_label: label(GrantStatus::parse(&status), GrantStatus::label),
        status,
        explanation: get(r, "explanation")?,
        rule: get(r, "rule")?,
        notice_start: get(r, "notice_start")?,
        notice_end: get(r, "notice_end")?,
        objections: sql::json_col(r, "objections")?,
        refusal_reason: get(r, "refusal_reason")?,
        approved_on: get(r, "approved_on")?,
        region_path: get(r, "region_path")?,
        updated_at: get(r, "updated_at")?,
    })
}

crate::record::impl_record!(Grant, GRANT_KIND, grant_select, grant_from_row, |s| {
    RecordKeys::org(&s.region_path, s.org_id)
});

/// One payment of the ledger.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Payment {
    pub id: i64,
    pub grant_id: i64,
    pub programme_id: i64,
    pub programme_code: String,
    pub programme_name: String,
    pub programme_kind: String,
    pub programme_kind_label: String,
    pub year: i32,
    pub org_id: i64,
    pub org_name: String,
    pub credit_code: String,
    pub region_code: String,
    pub region_name: String,
    pub matter: String,
    pub paid_on: String,
    pub amount: String,
    pub amount_fen: i64,
    pub document_no: String,
    pub note: String,
    #[serde(skip)]
    pub region_path: String,
    pub created_at: i64,
}

fn payment_select() -> SelectStatement {
    let mut q = Query::select();
    q.columns(
        [
            "id",
            "grant_id",
            "programme_id",
            "org_id",
            "region_path",
            "year",
            "paid_on",
            "amount_fen",
            "document_no",
            "note",
            "created_at",
        ]
        .map(|c| (PAY, c)),
    )
    .expr_as(Expr::col((P, "code")), "programme_code")
    .expr_as(Expr::col((P, "name")), "programme_name")
    .expr_as(Expr::col((P, "kind")), "programme_kind")
    .expr_as(Expr::col((G, "matter")), "matter")
    .expr_as(Expr::col(("organizations", "name")), "org_name")
    .expr_as(Expr::col(("organizations", "credit_code")), "credit_code")
    .expr_as(Expr::col(("organizations", "region_code")), "region_code")
    .from(PAY)
    .inner_join(P, Expr::col((P, "id")).equals((PAY, "programme_id")))
    .inner_join(G, Expr::col((G, "id")).equals((PAY, "grant_id")))
    .inner_join(
        "organizations",
        Expr::col(("organizations", "id")).equals((PAY, "org_id")),
    );
    q
}

fn payment_from_row(r: &QueryResult) -> StoreResult<Payment> {
    let kind: String = get(r, "programme_kind")?;
    let region: String = get(r, "region_code")?;
    let amount_fen: i64 = get(r, "amount_fen")?;
    let year: i64 = get(r, "year")?;
    Ok(Payment {
        id: get(r, "id")?,
        grant_id: get(r, "grant_id")?,
        programme_id: get(r, "programme_id")?,
        programme_code: get(r, "programme_code")?,
        programme_name: get(r, "programme_name")?,
        programme_kind_label: label(ProgrammeKind::parse(&kind), ProgrammeKind::label),
        programme_kind: kind,
        year: year as i32,
        org_id: get(r, "org_id")?,
        org_name: get(r, "org_name")?,
        credit_code: get(r, "credit_code")?,
        region_name: region_name(&region),
        region_code: region,
        matter: get(r, "matter")?,
        paid_on: get(r, "paid_on")?,
        amount: yuan(amount_fen),
        amount_fen,
        document_no: get(r, "document_no")?,
        note: get(r, "note")?,
        region_path: get(r, "region_path")?,
        created_at: get(r, "created_at")?,
    })
}

crate::record::impl_record!(
    Payment,
    PAYMENT_KIND,
    payment_select,
    payment_from_row,
    |s| RecordKeys::org(&s.region_path, s.org_id)
);

#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
pub struct ProgrammeFilter {
    /// Code or name contains.
    pub q: Option<String>,
    pub kind: Option<String>,
    pub year: Option<i32>,
    pub status: Option<String>,
}

impl ListFilter for ProgrammeFilter {
    fn apply(&self, q: &mut SelectStatement) -> StoreResult<()> {
        if let Some(t) = self.q.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            q.cond_where(
                Cond::any()
                    .add(Expr::col((P, "name")).like(contains(t)))
                    .add(Expr::col((P, "code")).like(contains(&t.to_uppercase()))),
            );
        }
        if let Some(v) = self.kind.as_deref().filter(|s| !s.is_empty()) {
            q.and_where(Expr::col((P, "kind")).eq(ProgrammeKind::parse(v)?.as_str()));
        }
        if let Some(y) = self.year {
            q.and_where(Expr::col((P, "year")).eq(y));
        }
        if let Some(v) = self.status.as_deref().filter(|s| !s.is_empty()) {
            q.and_where(Expr::col((P, "status")).eq(ProgrammeStatus::parse(v)?.as_str()));
        }
        q.order_by((P, "year"), Order::Desc)
            .order_by((P, "code"), Order::Asc);
        Ok(())
    }
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
pub struct GrantFilter {
    pub programme_id: Option<i64>,
    pub org_id: Option<i64>,
    pub status: Option<String>,
    pub year: Option<i32>,
    /// Organization name, credit code or matter contains.
    pub q: Option<String>,
    /// The matter a grant holds, exactly (e.g. `talent-housing:17`).
    pub matter_key: Option<String>,
}

impl ListFilter for GrantFilter {
    fn apply(&self, q: &mut SelectStatement) -> StoreResult<()> {
        if let Some(v) = self.matter_key.as_deref().filter(|s| !s.is_empty()) {
            q.and_where(Expr::col((G, "matter_key")).eq(v.trim()));
        }
        if let Some(v) = self.programme_id {
            q.and_where(Expr::col((G, "programme_id")).eq(v));
        }
        if let Some(v) = self.org_id {
            q.and_where(Expr::col((G, "org_id")).eq(v));
        }
        if let Some(v) = self.status.as_deref().filter(|s| !s.is_empty()) {
            q.and_where(Expr::col((G, "status")).eq(GrantStatus::parse(v)?.as_str()));
        }
        if let Some(y) = self.year {
            q.and_where(Expr::col((P, "year")).eq(y));
        }
        if let Some(t) = self.q.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            q.cond_where(
                Cond::any()
                    .add(Expr::col(("organizations", "name")).like(contains(t)))
                    .add(
                        Expr::col(("organizations", "credit_code"))
                            .like(contains(&t.to_uppercase())),
                    )
                    .add(Expr::col((G, "matter")).like(contains(t))),
            );
        }
        q.order_by((G, "programme_id"), Order::Desc)
            .order_by((G, "id"), Order::Asc);
        Ok(())
    }
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
pub struct PaymentFilter {
    pub year: Option<i32>,
    pub programme_id: Option<i64>,
    pub org_id: Option<i64>,
    pub kind: Option<String>,
    /// GB/T 2260 code: this region and below.
    pub region: Option<String>,
    /// Organization name or credit code contains.
    pub q: Option<String>,
}

impl PaymentFilter {
    fn cond(&self, q: &mut SelectStatement) -> StoreResult<()> {
        if let Some(y) = self.year {
            q.and_where(Expr::col((PAY, "year")).eq(y));
        }
        if let Some(v) = self.programme_id {
            q.and_where(Expr::col((PAY, "programme_id")).eq(v));
        }
        if let Some(v) = self.org_id {
            q.and_where(Expr::col((PAY, "org_id")).eq(v));
        }
        // Kind and name as subqueries, so that the ledger's sums read the payments alone.
        if let Some(v) = self.kind.as_deref().filter(|s| !s.is_empty()) {
            let kind = ProgrammeKind::parse(v)?;
            q.and_where(
                Expr::col((PAY, "programme_id")).in_subquery(
                    Query::select()
                        .column("id")
                        .from(P)
                        .and_where(Expr::col("kind").eq(kind.as_str()))
                        .to_owned(),
                ),
            );
        }
        if let Some(r) = self.region.as_deref().filter(|s| !s.is_empty()) {
            let code = kechuang_domain::region::RegionCode::parse_known(r)?;
            q.cond_where(sql::region_match((PAY, "region_path"), &region_path(code)?));
        }
        if let Some(t) = self.q.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            q.and_where(
                Expr::col((PAY, "org_id")).in_subquery(
                    Query::select()
                        .column("id")
                        .from("organizations")
                        .cond_where(
                            Cond::any()
                                .add(Expr::col("name").like(contains(t)))
                                .add(Expr::col("credit_code").like(contains(&t.to_uppercase()))),
                        )
                        .to_owned(),
                ),
            );
        }
        Ok(())
    }
}

impl ListFilter for PaymentFilter {
    fn apply(&self, q: &mut SelectStatement) -> StoreResult<()> {
        self.cond(q)?;
        q.order_by((PAY, "paid_on"), Order::Desc)
            .order_by((PAY, "id"), Order::Desc);
        Ok(())
    }
}

/// The ledger of one organization: every programme in one row, amounts by programme kind.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct LedgerRow {
    pub org_id: i64,
    pub org_name: String,
    pub credit_code: String,
    pub region_code: String,
    pub region_name: String,
    /// 元 by programme kind (reward, voucher, interest …).
    pub by_kind: BTreeMap<String, String>,
    pub payments: i64,
    pub total: String,
    pub total_fen: i64,
}

/// Totals of a ledger query.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct LedgerTotals {
    pub total: String,
    pub organizations: u64,
    pub payments: u64,
    /// 元 by programme (code → amount) and its name.
    pub by_programme: Vec<ProgrammeTotal>,
    /// 元 by region code.
    pub by_region: BTreeMap<String, String>,
    pub region_names: BTreeMap<String, String>,
    pub by_kind: BTreeMap<String, String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct ProgrammeTotal {
    pub programme_id: i64,
    pub code: String,
    pub name: String,
    pub kind: String,
    pub budget: String,
    pub paid: String,
    /// 预算余额 (budget − approved)
    pub balance: String,
}

/// One page of the ledger by organization, with the totals of the whole query.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Ledger {
    pub items: Vec<LedgerRow>,
    pub total: u64,
    pub page: u64,
    pub size: u64,
    pub totals: LedgerTotals,
}

fn payments_base(scope: &DataScope, f: &PaymentFilter) -> StoreResult<SelectStatement> {
    let mut q = Query::select();
    q.from(PAY).cond_where(PAYMENT_KIND.condition(scope));
    f.cond(&mut q)?;
    Ok(q)
}

/// A grant to propose: who, which matter, how much and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewGrant {
    pub org_id: i64,
    pub matter_key: String,
    pub matter: String,
    pub amount_fen: i64,
    pub explanation: String,
    pub rule: String,
}

/// One past payment to bring into a programme (历史拨付导入): the grant and its payment are
/// written together, already paid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaidRow {
    pub org_id: i64,
    pub matter: String,
    pub amount_fen: i64,
    pub paid_on: chrono::NaiveDate,
    pub document_no: String,
}

/// How many grants a bulk move changed, and those it left with the reason.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
#[schema(as = FundsBatchOutcome)]
pub struct BatchOutcome {
    pub changed: usize,
    pub skipped: Vec<String>,
}

pub(crate) async fn visible_org(tx: &WriteTx, field: &str, id: i64) -> StoreResult<Organization> {
    tx.get::<Organization>(id).await.map_err(|e| match e {
        StoreError::NotFound => invalid(
            field,
            "org.unknown",
            format!("单位（编号{id}）不存在或不在您的管辖范围内"),
        ),
        e => e,
    })
}

/// Sum of `amount_fen` of `table` under a condition, read in the transaction.
pub(crate) async fn sum_where(
    tx: &WriteTx,
    table: &'static str,
    col: &'static str,
    cond: Cond,
) -> StoreResult<i64> {
    let mut q = Query::select();
    q.expr_as(
        Func::coalesce([Expr::col((table, col)).sum(), Expr::val(0i64)]),
        "s",
    )
    .from(table)
    .cond_where(cond);
    match sql::fetch_one(tx.conn(), &q).await? {
        Some(r) => sum_col(&r, "s"),
        None => Ok(0),
    }
}

fn programme_values(p: &NewProgramme) -> StoreResult<Values> {
    Ok(vec![
        ("code", p.code.clone().into()),
        ("name", p.name.clone().into()),
        ("kind", p.kind.as_str().into()),
        ("mode", p.mode.as_str().into()),
        ("year", i64::from(p.year).into()),
        ("region_code", p.region.to_string().into()),
        ("region_path", region_path(p.region)?.into()),
        ("budget_fen", p.budget_fen.into()),
        ("fund_source", p.fund_source.clone().into()),
        ("basis", p.basis.clone().into()),
        ("pack", p.pack.clone().into()),
        ("org_cap_fen", p.org_cap_fen.into()),
        ("notice_days", p.notice_days.into()),
        ("valid_days", p.valid_days.into()),
        ("status", p.status.as_str().into()),
        ("note", p.note.clone().into()),
    ])
}

fn dup_code(e: StoreError, code: &str) -> StoreError {
    match e {
        StoreError::Db(e) if sql::is_unique_violation(&e) => refuse(
            "code",
            "programme.duplicate",
            format!("项目编号“{code}”已存在"),
        ),
        e => e,
    }
}

impl Store {
    pub async fn list_programmes(
        &self,
        scope: &DataScope,
        f: &ProgrammeFilter,
        page: PageRequest,
    ) -> StoreResult<Page<Programme>> {
        self.list_records(scope, f, page).await
    }

    pub async fn get_programme(&self, scope: &DataScope, id: i64) -> StoreResult<Programme> {
        self.get_record(scope, id).await
    }

    /// Programmes an applicant may see: open ones of the regions above its own (a county
    /// enterprise sees the city's and the province's), read without the caller's scope because
    /// a programme is public once it is open.
    pub async fn open_programmes_for(
        &self,
        region_path: &str,
        kind: ProgrammeKind,
    ) -> StoreResult<Vec<Programme>> {
        let mut q = programme_select();
        q.and_where(Expr::col((P, "status")).eq(ProgrammeStatus::Open.as_str()))
            .and_where(Expr::col((P, "kind")).eq(kind.as_str()))
            .order_by((P, "year"), Order::Desc);
        let mut out = Vec::new();
        for r in sql::fetch_all(&self.db, &q).await? {
            let p = programme_from_row(&r)?;
            if region_path.starts_with(&p.region_path) {
                out.push(p);
            }
        }
        Ok(out)
    }

    /// A programme by id whatever the scope (the voucher and loan paths read the programme of
    /// a record already in scope).
    pub(crate) async fn programme_unscoped(tx: &WriteTx, id: i64) -> StoreResult<Programme> {
        crate::record::get_in(tx.conn(), &DataScope::All, id).await
    }

    pub async fn create_programme(
        &self,
        caller: &Caller,
        p: &NewProgramme,
    ) -> StoreResult<Programme> {
        let mut tx = self.write(caller).await?;
        let after = tx
            .create(programme_values(p)?)
            .await
            .map_err(|e| dup_code(e, &p.code))?;
        tx.commit().await?;
        Ok(after)
    }

    /// Change a programme. The budget cannot fall below what is already approved.
    pub async fn update_programme(
        &self,
        caller: &Caller,
        id: i64,
        p: &NewProgramme,
    ) -> StoreResult<Programme> {
        let mut tx = self.write(caller).await?;
        let before: Programme = tx.get(id).await?;
        if p.budget_fen < before.committed_fen {
            return Err(refuse(
                "budget",
                "programme.budget_below_committed",
                format!(
                    "预算 {} 元低于已批准的 {} 元，不能调减到已批准金额以下",
                    yuan(p.budget_fen),
                    yuan(before.committed_fen)
                ),
            ));
        }
        if p.kind.as_str() != before.kind && before.committed_fen > 0 {
            return Err(refuse(
                "kind",
                "programme.kind_fixed",
                "已有批准的资金安排，不能更改项目类别",
            ));
        }
        let after = tx
            .update_as("update", &before, programme_values(p)?)
            .await
            .map_err(|e| dup_code(e, &p.code))?;
        tx.commit().await?;
        Ok(after)
    }

    pub async fn list_grants(
        &self,
        scope: &DataScope,
        f: &GrantFilter,
        page: PageRequest,
    ) -> StoreResult<Page<Grant>> {
        self.list_records(scope, f, page).await
    }

    pub async fn export_grants(
        &self,
        scope: &DataScope,
        f: &GrantFilter,
        limit: u64,
    ) -> StoreResult<Vec<Grant>> {
        self.export_records(scope, f, limit).await
    }

    pub async fn get_grant(&self, scope: &DataScope, id: i64) -> StoreResult<Grant> {
        self.get_record(scope, id).await
    }

    /// The live grant (any programme) that already holds a matter, if any.
    pub(crate) async fn matter_holder(
        tx: &WriteTx,
        matter_key: &str,
        except: Option<i64>,
    ) -> StoreResult<Option<Grant>> {
        let mut q = grant_select();
        q.and_where(Expr::col((G, "matter_key")).eq(matter_key))
            .and_where(Expr::col((G, "status")).ne(GrantStatus::Refused.as_str()));
        if let Some(id) = except {
            q.and_where(Expr::col((G, "id")).ne(id));
        }
        match sql::fetch_one(tx.conn(), &q).await? {
            Some(r) => Ok(Some(grant_from_row(&r)?)),
            None => Ok(None),
        }
    }

    /// Add a proposed grant (inside a transaction): the organization must be in the caller's
    /// scope and the matter not held by another live grant.
    pub(crate) async fn propose_in(
        tx: &mut WriteTx,
        programme: &Programme,
        g: &NewGrant,
        status: GrantStatus,
    ) -> StoreResult<Grant> {
        let org = visible_org(tx, "org_id", g.org_id).await?;
        if let Some(h) = Self::matter_holder(tx, &g.matter_key, None).await? {
            return Err(refuse(
                "matter",
                "funds.duplicate_matter",
                format!(
                    "同一事项不重复支持：“{}”已由{}（{}）{}",
                    g.matter,
                    h.programme_name,
                    h.year,
                    if h.status == "paid" {
                        "拨付"
                    } else {
                        "安排"
                    }
                ),
            ));
        }
        if g.amount_fen <= 0 {
            return Err(invalid("amount", "amount.positive", "支持金额必须大于零"));
        }
        if matches!(status, GrantStatus::Approved | GrantStatus::Paid) {
            bump(tx, programme.id, g.amount_fen, 0).await?;
        }
        tx.create(vec![
            ("programme_id", programme.id.into()),
            ("org_id", org.id.into()),
            ("region_path", org.region_path.clone().into()),
            ("matter_key", g.matter_key.clone().into()),
            ("matter", g.matter.clone().into()),
            ("amount_fen", g.amount_fen.into()),
            ("paid_fen", 0i64.into()),
            ("status", status.as_str().into()),
            ("explanation", g.explanation.clone().into()),
            ("rule", g.rule.clone().into()),
            ("objections", "[]".into()),
        ])
        .await
    }

    /// Propose grants of a programme (申报制 items entered by the bureau, or a 免申即享 list):
    /// all or nothing. A programme in preparation or closed takes none.
    pub async fn propose_grants(
        &self,
        caller: &Caller,
        programme_id: i64,
        grants: &[NewGrant],
    ) -> StoreResult<Vec<Grant>> {
        let mut tx = self.write(caller).await?;
        let p: Programme = tx.get(programme_id).await?;
        if p.status != ProgrammeStatus::Open.as_str() {
            return Err(refuse(
                "programme",
                "programme.not_open",
                format!("资金项目“{}”{}，不能新增资金安排", p.name, p.status_label),
            ));
        }
        let mut out = Vec::with_capacity(grants.len());
        for g in grants {
            out.push(Self::propose_in(&mut tx, &p, g, GrantStatus::Proposed).await?);
        }
        tx.commit().await?;
        Ok(out)
    }

    /// Put every proposed grant of a programme on public notice from `start` for the
    /// programme's notice period. Returns how many.
    pub async fn notice_grants(
        &self,
        caller: &Caller,
        programme_id: i64,
        start: chrono::NaiveDate,
    ) -> StoreResult<BatchOutcome> {
        let mut tx = self.write(caller).await?;
        let p: Programme = tx.get(programme_id).await?;
        let end = start + chrono::Duration::days(std::cmp::max(p.notice_days, 0));
        let ids = Self::grant_ids(&tx, programme_id, GrantStatus::Proposed).await?;
        if ids.is_empty() {
            return Err(refuse(
                "programme",
                "funds.nothing_to_notice",
                "没有“拟支持”状态的资金安排可以公示",
            ));
        }
        for id in &ids {
            let before: Grant = tx.get(*id).await?;
            tx.update_as(
                "notice",
                &before,
                vec![
                    ("status", GrantStatus::Noticed.as_str().into()),
                    ("notice_start", start.to_string().into()),
                    ("notice_end", end.to_string().into()),
                ],
            )
            .await?;
        }
        tx.commit().await?;
        Ok(BatchOutcome {
            changed: ids.len(),
            skipped: vec![],
        })
    }

    async fn grant_ids(tx: &WriteTx, programme_id: i64, s: GrantStatus) -> StoreResult<Vec<i64>> {
        let mut q = Query::select();
        q.column((G, "id"))
            .from(G)
            .cond_where(GRANT_KIND.condition(&tx.caller().scope))
            .and_where(Expr::col((G, "programme_id")).eq(programme_id))
            .and_where(Expr::col((G, "status")).eq(s.as_str()))
            .order_by((G, "id"), Order::Asc);
        sql::fetch_all(tx.conn(), &q)
            .await?
            .iter()
            .map(|r| get::<i64>(r, "id"))
            .collect()
    }

    /// Record an objection to a grant in notice (`late_ok`: the bureau recording one received
    /// during the period).
    pub async fn object_to_grant(
        &self,
        caller: &Caller,
        id: i64,
        by_name: &str,
        content: &str,
        today: chrono::NaiveDate,
        late_ok: bool,
    ) -> StoreResult<Grant> {
        let content = content.trim();
        if content.is_empty() || content.chars().count() > 1000 {
            return Err(invalid(
                "content",
                "objection.content",
                "异议内容不能为空，且不超过1000个字",
            ));
        }
        let mut tx = self.write(caller).await?;
        let before: Grant = tx.get(id).await?;
        if before.status != GrantStatus::Noticed.as_str() {
            return Err(refuse(
                "status",
                "funds.not_in_notice",
                format!(
                    "资金安排当前为“{}”，只能对公示中的事项提出异议",
                    before.status_label
                ),
            ));
        }
        // After the period the public may no longer object; the bureau still records an
        // objection it received in time (a letter that arrives late to the desk).
        if let Some(end) = before
            .notice_end
            .as_deref()
            .filter(|e| !late_ok && *e < today.to_string().as_str())
        {
            return Err(refuse(
                "status",
                "funds.notice_over",
                format!("公示期已于{end}结束，不再受理异议"),
            ));
        }
        let mut obj = before.objections.clone();
        obj.push(Objection {
            no: obj.len() as i64 + 1,
            at: sql::now_ms(),
            by_name: by_name.trim().chars().take(50).collect(),
            content: content.to_owned(),
            resolved: false,
            upheld: None,
            resolution: None,
        });
        let after = tx
            .update_as(
                "object",
                &before,
                vec![("objections", sql::json_text(&obj).into())],
            )
            .await?;
        tx.commit().await?;
        Ok(after)
    }

    /// Resolve an objection; an upheld objection refuses the grant with its resolution.
    pub async fn resolve_grant_objection(
        &self,
        caller: &Caller,
        id: i64,
        no: i64,
        upheld: bool,
        resolution: &str,
    ) -> StoreResult<Grant> {
        let resolution = resolution.trim();
        if resolution.is_empty() || resolution.chars().count() > 1000 {
            return Err(invalid(
                "resolution",
                "objection.resolution",
                "处理意见不能为空，且不超过1000个字",
            ));
        }
        let mut tx = self.write(caller).await?;
        let before: Grant = tx.get(id).await?;
        let mut obj = before.objections.clone();
        let Some(o) = obj.iter_mut().find(|o| o.no == no && !o.resolved) else {
            return Err(refuse(
                "no",
                "objection.unknown",
                format!("第{no}条异议不存在或已处理"),
            ));
        };
        o.resolved = true;
        o.upheld = Some(upheld);
        o.resolution = Some(resolution.to_owned());
        let mut vals: Values = vec![("objections", sql::json_text(&obj).into())];
        if upheld {
            vals.push(("status", GrantStatus::Refused.as_str().into()));
            vals.push((
                "refusal_reason",
                format!("公示异议成立：{resolution}").into(),
            ));
        }
        let after = tx.update_as("resolve_objection", &before, vals).await?;
        tx.commit().await?;
        Ok(after)
    }

    /// Approve grants: those in notice whose period is over without open objections (or, for a
    /// programme without notice, proposed ones). The programme's budget must hold them all and
    /// each organization stay within the programme's cap; otherwise nothing is approved.
    pub async fn approve_grants(
        &self,
        caller: &Caller,
        programme_id: i64,
        ids: &[i64],
        today: chrono::NaiveDate,
    ) -> StoreResult<BatchOutcome> {
        let mut tx = self.write(caller).await?;
        let p: Programme = tx.get(programme_id).await?;
        let mut committed = p.committed_fen;
        let mut skipped = Vec::new();
        let mut changed = 0;
        for id in ids {
            let before: Grant = tx.get(*id).await?;
            if before.programme_id != programme_id {
                return Err(refuse(
                    "ids",
                    "funds.other_programme",
                    format!("资金安排（编号{id}）不属于本项目"),
                ));
            }
            let ready = match before.status.as_str() {
                "noticed" => {
                    let over = before
                        .notice_end
                        .as_deref()
                        .is_some_and(|e| e < today.to_string().as_str());
                    if !over {
                        skipped.push(format!(
                            "{}：公示期至{}，未满",
                            before.org_name,
                            before.notice_end.as_deref().unwrap_or("")
                        ));
                        false
                    } else if before.objections.iter().any(|o| !o.resolved) {
                        skipped.push(format!("{}：有未处理的公示异议", before.org_name));
                        false
                    } else {
                        true
                    }
                }
                "proposed" if p.notice_days == 0 => true,
                "proposed" => {
                    skipped.push(format!("{}：尚未公示", before.org_name));
                    false
                }
                _ => {
                    skipped.push(format!(
                        "{}：状态为“{}”",
                        before.org_name, before.status_label
                    ));
                    false
                }
            };
            if !ready {
                continue;
            }
            committed += before.amount_fen;
            if committed > p.budget_fen {
                return Err(refuse(
                    "budget",
                    "funds.over_budget",
                    format!(
                        "批准后合计 {} 元将超过项目预算 {} 元（余额 {} 元），本次未批准任何事项",
                        yuan(committed),
                        yuan(p.budget_fen),
                        yuan(p.balance_fen)
                    ),
                ));
            }
            if let Some(cap) = p.org_cap_fen {
                let org_total = sum_where(
                    &tx,
                    G,
                    "amount_fen",
                    Cond::all()
                        .add(Expr::col((G, "programme_id")).eq(programme_id))
                        .add(Expr::col((G, "org_id")).eq(before.org_id))
                        .add(Expr::col((G, "status")).is_in(LIVE)),
                )
                .await?;
                if org_total + before.amount_fen > cap {
                    return Err(refuse(
                        "org_cap",
                        "funds.over_org_cap",
                        format!(
                            "{}在本项目已批准 {} 元，再批准 {} 元将超过单个企业上限 {} 元",
                            before.org_name,
                            yuan(org_total),
                            yuan(before.amount_fen),
                            yuan(cap)
                        ),
                    ));
                }
            }
            tx.update_as(
                "approve",
                &before,
                vec![
                    ("status", GrantStatus::Approved.as_str().into()),
                    ("approved_on", today.to_string().into()),
                ],
            )
            .await?;
            bump(&tx, programme_id, before.amount_fen, 0).await?;
            changed += 1;
        }
        tx.commit().await?;
        Ok(BatchOutcome { changed, skipped })
    }

    /// Refuse a grant not yet paid, with the reason.
    pub async fn refuse_grant(&self, caller: &Caller, id: i64, reason: &str) -> StoreResult<Grant> {
        let reason = reason.trim();
        if reason.is_empty() || reason.chars().count() > 500 {
            return Err(invalid(
                "reason",
                "reason.required",
                "不予支持须填写理由（不超过500字）",
            ));
        }
        let mut tx = self.write(caller).await?;
        let before: Grant = tx.get(id).await?;
        if before.paid_fen > 0 || before.status == "refused" {
            return Err(refuse(
                "status",
                "funds.cannot_refuse",
                format!("资金安排当前为“{}”，不能改为不予支持", before.status_label),
            ));
        }
        let after = tx
            .update_as(
                "refuse",
                &before,
                vec![
                    ("status", GrantStatus::Refused.as_str().into()),
                    ("refusal_reason", reason.to_owned().into()),
                ],
            )
            .await?;
        if before.status == GrantStatus::Approved.as_str() {
            bump(&tx, before.programme_id, -before.amount_fen, 0).await?;
        }
        tx.commit().await?;
        Ok(after)
    }

    /// Pay (part of) an approved grant inside a transaction: never more than approved, never
    /// past the programme's budget.
    pub(crate) async fn pay_in(
        tx: &mut WriteTx,
        before: &Grant,
        p: &NewPayment,
    ) -> StoreResult<Payment> {
        if !matches!(before.status.as_str(), "approved") {
            return Err(refuse(
                "status",
                "funds.not_approved",
                format!(
                    "资金安排当前为“{}”，只有已批准且未付清的事项可以拨付",
                    before.status_label
                ),
            ));
        }
        let left = before.amount_fen - before.paid_fen;
        if p.amount_fen > left {
            return Err(refuse(
                "amount",
                "funds.over_approved",
                format!(
                    "拨付 {} 元超过批准金额的未拨付部分 {} 元（批准 {} 元，已拨付 {} 元）",
                    yuan(p.amount_fen),
                    yuan(left),
                    before.amount,
                    yuan(before.paid_fen)
                ),
            ));
        }
        let prog = Self::programme_unscoped(tx, before.programme_id).await?;
        if prog.paid_fen + p.amount_fen > prog.budget_fen {
            return Err(refuse(
                "amount",
                "funds.over_budget",
                format!(
                    "拨付后项目累计拨付 {} 元将超过预算 {} 元",
                    yuan(prog.paid_fen + p.amount_fen),
                    prog.budget
                ),
            ));
        }
        let paid = before.paid_fen + p.amount_fen;
        let mut vals: Values = vec![("paid_fen", paid.into())];
        if paid == before.amount_fen {
            vals.push(("status", GrantStatus::Paid.as_str().into()));
        }
        tx.update_as("pay", before, vals).await?;
        bump(tx, before.programme_id, 0, p.amount_fen).await?;
        tx.create(vec![
            ("grant_id", before.id.into()),
            ("programme_id", before.programme_id.into()),
            ("org_id", before.org_id.into()),
            ("region_path", before.region_path.clone().into()),
            ("year", i64::from(prog.year).into()),
            ("paid_on", p.paid_on.to_string().into()),
            ("amount_fen", p.amount_fen.into()),
            ("document_no", p.document_no.clone().into()),
            ("note", p.note.clone().into()),
        ])
        .await
    }

    /// 拨付: one payment of an approved grant.
    pub async fn pay_grant(
        &self,
        caller: &Caller,
        id: i64,
        p: &NewPayment,
    ) -> StoreResult<Payment> {
        let mut tx = self.write(caller).await?;
        let before: Grant = tx.get(id).await?;
        let out = Self::pay_in(&mut tx, &before, p).await?;
        tx.commit().await?;
        Ok(out)
    }

    /// 历史拨付导入: past payments of a programme, each a paid grant with its payment, all or
    /// nothing. Every organization must be in the caller's scope, every matter new, and the
    /// programme's budget must hold them.
    pub async fn import_paid(
        &self,
        caller: &Caller,
        programme_id: i64,
        rows: &[PaidRow],
    ) -> StoreResult<usize> {
        let mut tx = self.write(caller).await?;
        let p: Programme = tx.get(programme_id).await?;
        let total: i64 = rows.iter().map(|r| r.amount_fen).sum();
        if p.committed_fen + total > p.budget_fen {
            return Err(refuse(
                "amount",
                "funds.over_budget",
                format!(
                    "导入合计 {} 元，加上已批准的 {} 元将超过项目预算 {} 元",
                    yuan(total),
                    yuan(p.committed_fen),
                    p.budget
                ),
            ));
        }
        // The organizations, in scope, with their regions.
        let mut region_of = std::collections::HashMap::new();
        let ids: Vec<i64> = rows.iter().map(|r| r.org_id).collect();
        for chunk in ids.chunks(1000) {
            let mut q = Query::select();
            q.columns([("organizations", "id"), ("organizations", "region_path")])
                .from("organizations")
                .cond_where(crate::orgs::KIND.condition(&tx.caller().scope))
                .and_where(Expr::col(("organizations", "id")).is_in(chunk.iter().copied()));
            for r in sql::fetch_all(tx.conn(), &q).await? {
                region_of.insert(get::<i64>(&r, "id")?, get::<String>(&r, "region_path")?);
            }
        }
        let mut keys = std::collections::HashSet::new();
        let mut grants = Vec::with_capacity(rows.len());
        let mut pays = Vec::with_capacity(rows.len());
        for (i, r) in rows.iter().enumerate() {
            let line = i + 1;
            let Some(path) = region_of.get(&r.org_id) else {
                return Err(invalid(
                    "org_id",
                    "org.unknown",
                    format!(
                        "第{line}行：单位（编号{}）不存在或不在您的管辖范围内",
                        r.org_id
                    ),
                ));
            };
            if r.amount_fen <= 0 || r.document_no.trim().is_empty() || r.matter.trim().is_empty() {
                return Err(invalid(
                    "amount",
                    "funds.import_row",
                    format!("第{line}行：支持事项、金额（大于零）和凭证号均须填写"),
                ));
            }
            let key = format!("import:{}:{}:{}", p.id, r.org_id, r.matter.trim());
            if !keys.insert(key.clone()) {
                return Err(refuse(
                    "matter",
                    "funds.duplicate_matter",
                    format!("第{line}行：同一单位的同一事项重复"),
                ));
            }
            let gid = tx.new_id().await?;
            grants.push((
                gid,
                vec![
                    ("programme_id", p.id.into()),
                    ("org_id", r.org_id.into()),
                    ("region_path", path.clone().into()),
                    ("matter_key", key.into()),
                    ("matter", r.matter.trim().to_owned().into()),
                    ("amount_fen", r.amount_fen.into()),
                    ("paid_fen", r.amount_fen.into()),
                    ("status", GrantStatus::Paid.as_str().into()),
                    ("explanation", "历史拨付导入".to_owned().into()),
                    ("rule", format!("{}；依据：{}", p.name, p.basis).into()),
                    ("notice_start", Option::<String>::None.into()),
                    ("notice_end", Option::<String>::None.into()),
                    ("objections", "[]".to_owned().into()),
                    ("refusal_reason", Option::<String>::None.into()),
                    ("approved_on", Some(r.paid_on.to_string()).into()),
                ] as Values,
            ));
            let pid = tx.new_id().await?;
            pays.push((
                pid,
                vec![
                    ("grant_id", gid.into()),
                    ("programme_id", p.id.into()),
                    ("org_id", r.org_id.into()),
                    ("region_path", path.clone().into()),
                    ("year", i64::from(p.year).into()),
                    ("paid_on", r.paid_on.to_string().into()),
                    ("amount_fen", r.amount_fen.into()),
                    ("document_no", r.document_no.trim().to_owned().into()),
                    ("note", String::new().into()),
                ] as Values,
            ));
        }
        // A matter already held by a live grant of this programme.
        let mut q = Query::select();
        q.column("matter_key")
            .from(G)
            .and_where(Expr::col("programme_id").eq(p.id))
            .and_where(Expr::col("matter_key").like("import:%"));
        for r in sql::fetch_all(tx.conn(), &q).await? {
            let k: String = get(&r, "matter_key")?;
            if keys.contains(&k) {
                return Err(refuse(
                    "matter",
                    "funds.duplicate_matter",
                    format!("同一事项不重复支持：{k} 已在本项目中"),
                ));
            }
        }
        let n = grants.len();
        tx.create_many::<Grant>(grants, "import").await?;
        tx.create_many::<Payment>(pays, "import").await?;
        bump(&tx, p.id, total, total).await?;
        tx.commit().await?;
        self.analyze_after_bulk("fund_grants", n).await?;
        self.analyze_after_bulk("fund_payments", n).await?;
        Ok(n)
    }

    pub async fn list_payments(
        &self,
        scope: &DataScope,
        f: &PaymentFilter,
        page: PageRequest,
    ) -> StoreResult<Page<Payment>> {
        self.list_records(scope, f, page).await
    }

    pub async fn export_payments(
        &self,
        scope: &DataScope,
        f: &PaymentFilter,
        limit: u64,
    ) -> StoreResult<Vec<Payment>> {
        self.export_records(scope, f, limit).await
    }

    /// The ledger: payments summed per organization (a page, largest total first), with the
    /// totals of the whole query by programme, region and kind.
    pub async fn ledger(
        &self,
        scope: &DataScope,
        f: &PaymentFilter,
        page: PageRequest,
    ) -> StoreResult<Ledger> {
        let page = page.normalized();
        // Organizations of the page, and how many there are (a window count over the groups,
        // so the payments are aggregated once).
        let mut orgs = payments_base(scope, f)?;
        orgs.column((PAY, "org_id"))
            .expr_as(Expr::cust("COUNT(*) OVER ()"), "n")
            .group_by_col((PAY, "org_id"))
            .order_by_expr(Expr::col((PAY, "amount_fen")).sum(), Order::Desc)
            .order_by((PAY, "org_id"), Order::Asc)
            .limit(page.size)
            .offset(page.offset());
        let found = sql::fetch_all(&self.db, &orgs).await?;
        let total: i64 = match found.first() {
            Some(r) => get(r, "n")?,
            None if page.page > 1 => {
                let mut groups = payments_base(scope, f)?;
                groups.column((PAY, "org_id")).group_by_col((PAY, "org_id"));
                let mut count = Query::select();
                count
                    .expr_as(Expr::cust("COUNT(*)"), "n")
                    .from_subquery(groups, "x");
                match sql::fetch_one(&self.db, &count).await? {
                    Some(r) => get(&r, "n")?,
                    None => 0,
                }
            }
            None => 0,
        };
        let ids: Vec<i64> = found
            .iter()
            .map(|r| get::<i64>(r, "org_id"))
            .collect::<StoreResult<_>>()?;
        // Their amounts by kind.
        let mut rows: Vec<LedgerRow> = Vec::with_capacity(ids.len());
        if !ids.is_empty() {
            let mut q = payments_base(scope, f)?;
            q.inner_join(P, Expr::col((P, "id")).equals((PAY, "programme_id")))
                .inner_join(
                    "organizations",
                    Expr::col(("organizations", "id")).equals((PAY, "org_id")),
                )
                .column((PAY, "org_id"))
                .expr_as(Expr::col(("organizations", "name")), "org_name")
                .expr_as(Expr::col(("organizations", "credit_code")), "credit_code")
                .expr_as(Expr::col(("organizations", "region_code")), "region_code")
                .expr_as(Expr::col((P, "kind")), "kind")
                .expr_as(Expr::col((PAY, "amount_fen")).sum(), "t")
                .expr_as(Expr::cust("COUNT(*)"), "n")
                .and_where(Expr::col((PAY, "org_id")).is_in(ids.iter().copied()))
                .group_by_col((PAY, "org_id"))
                .group_by_col(("organizations", "name"))
                .group_by_col(("organizations", "credit_code"))
                .group_by_col(("organizations", "region_code"))
                .group_by_col((P, "kind"));
            let mut by_org: BTreeMap<i64, LedgerRow> = BTreeMap::new();
            for r in sql::fetch_all(&self.db, &q).await? {
                let org_id: i64 = get(&r, "org_id")?;
                let t = sum_col(&r, "t")?;
                let n: i64 = get(&r, "n")?;
                let kind: String = get(&r, "kind")?;
                let region: String = get(&r, "region_code")?;
                let row = match by_org.entry(org_id) {
                    std::collections::btree_map::Entry::Occupied(e) => e.into_mut(),
                    std::collections::btree_map::Entry::Vacant(e) => e.insert(LedgerRow {
                        org_id,
                        org_name: get(&r, "org_name")?,
                        credit_code: get(&r, "credit_code")?,
                        region_name: region_name(&region),
                        region_code: region,
                        by_kind: BTreeMap::new(),
                        payments: 0,
                        total: String::new(),
                        total_fen: 0,
                    }),
                };
                row.by_kind.insert(kind, yuan(t));
                row.payments += n;
                row.total_fen += t;
            }
            for id in &ids {
                if let Some(mut r) = by_org.remove(id) {
                    r.total = yuan(r.total_fen);
                    rows.push(r);
                }
            }
        }
        let totals = self.ledger_totals(scope, f, total as u64).await?;
        Ok(Ledger {
            items: rows,
            total: total as u64,
            page: page.page,
            size: page.size,
            totals,
        })
    }

    async fn ledger_totals(
        &self,
        scope: &DataScope,
        f: &PaymentFilter,
        organizations: u64,
    ) -> StoreResult<LedgerTotals> {
        let mut q = payments_base(scope, f)?;
        q.column((PAY, "programme_id"))
            .column((PAY, "region_path"))
            .expr_as(Expr::col((PAY, "amount_fen")).sum(), "t")
            .expr_as(Expr::cust("COUNT(*)"), "n")
            .group_by_col((PAY, "programme_id"))
            .group_by_col((PAY, "region_path"));
        let mut by_prog: BTreeMap<i64, i64> = BTreeMap::new();
        let mut by_region: BTreeMap<String, i64> = BTreeMap::new();
        let mut total = 0i64;
        let mut payments = 0u64;
        for r in sql::fetch_all(&self.db, &q).await? {
            let t = sum_col(&r, "t")?;
            let n: i64 = get(&r, "n")?;
            *by_prog.entry(get(&r, "programme_id")?).or_default() += t;
            // The path's last segment is the organization's region code.
            let path: String = get(&r, "region_path")?;
            let code = path
                .trim_end_matches('/')
                .rsplit('/')
                .next()
                .unwrap_or_default()
                .to_owned();
            *by_region.entry(code).or_default() += t;
            total += t;
            payments += n as u64;
        }
        let mut by_programme = Vec::new();
        let mut by_kind: BTreeMap<String, i64> = BTreeMap::new();
        for (id, t) in &by_prog {
            let mut pq = programme_select();
            pq.and_where(Expr::col((P, "id")).eq(*id));
            if let Some(r) = sql::fetch_one(&self.db, &pq).await? {
                let p = programme_from_row(&r)?;
                *by_kind.entry(p.kind.clone()).or_default() += t;
                by_programme.push(ProgrammeTotal {
                    programme_id: p.id,
                    code: p.code,
                    name: p.name,
                    kind: p.kind,
                    budget: p.budget,
                    paid: yuan(*t),
                    balance: yuan(p.balance_fen),
                });
            }
        }
        by_programme.sort_by(|a, b| a.code.cmp(&b.code));
        Ok(LedgerTotals {
            total: yuan(total),
            organizations,
            payments,
            by_programme,
            region_names: by_region
                .keys()
                .map(|c| (c.clone(), region_name(c)))
                .collect(),
            by_region: by_region.into_iter().map(|(k, v)| (k, yuan(v))).collect(),
            by_kind: by_kind.into_iter().map(|(k, v)| (k, yuan(v))).collect(),
        })
    }
}
