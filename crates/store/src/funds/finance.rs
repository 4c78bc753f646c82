//! 科技金融: loans registered against a 科技贷 programme (a `compensation` programme whose
//! budget is the 风险补偿资金池), each with a snapshot of the borrower's titles at the loan date;
//! 贴息 claims that become grants of an `interest` programme (so they pass notice, approval and
//! payment like every other grant and land in the ledger); and the pool's entries (注资, 风险补偿,
//! 追偿回收) with its balance and leverage.

use super::{G, NewGrant, Programme, invalid, refuse, sum_col, sum_where, visible_org, yuan};
use crate::error::{StoreError, StoreResult};
use crate::orgs::{Organization, region_name};
use crate::record::{ListFilter, RecordKind, Stamps};
use crate::sql::{self, ScopeColumns, contains, get};
use crate::{Caller, DataScope, Page, PageRequest, Store};
use chrono::NaiveDate;
use kechuang_domain::funds::{GrantStatus, LoanStatus, NewLoan, PoolEntryKind, ProgrammeKind};
use kechuang_domain::scope::RecordKeys;
use sea_orm::QueryResult;
use sea_orm::sea_query::{Cond, Expr, ExprTrait, Order, Query, SelectStatement};
use serde::{Deserialize, Serialize};

const L: &str = "loans";
const E: &str = "pool_entries";

pub(crate) const LOAN_KIND: RecordKind = RecordKind::own(
    ScopeColumns {
        table: L,
        region_path: Some("region_path"),
        org: Some("org_id"),
        owner: None,
    },
    "loan",
    Stamps::ALL,
);
pub(crate) const POOL_KIND: RecordKind = RecordKind::own(
    ScopeColumns {
        table: E,
        region_path: Some("region_path"),
        org: None,
        owner: None,
    },
    "pool_entry",
    Stamps::CREATED,
);

#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Loan {
    pub id: i64,
    pub programme_id: i64,
    pub programme_name: String,
    pub org_id: i64,
    pub org_name: String,
    pub credit_code: String,
    pub region_code: String,
    pub region_name: String,
    pub bank_org_id: i64,
    pub bank_name: String,
    pub contract_no: String,
    pub amount: String,
    pub amount_fen: i64,
    /// 年利率 (%)
    pub rate: String,
    pub start_on: String,
    pub end_on: String,
    pub credit: bool,
    pub first_loan: bool,
    /// Whether the borrower was a 高企 or 科技型中小企业 at the loan date, and from what.
    pub tech_firm: bool,
    pub eligibility: String,
    pub status: String,
    pub status_label: String,
    #[serde(skip)]
    pub region_path: String,
    pub updated_at: i64,
}

fn loan_select() -> SelectStatement {
    let mut q = Query::select();
    q.columns(
        [
            "id",
            "programme_id",
            "org_id",
            "region_path",
            "bank_org_id",
            "contract_no",
            "amount_fen",
            "rate",
            "start_on",
            "end_on",
            "credit",
            "first_loan",
            "tech_firm",
            "eligibility",
            "status",
            "updated_at",
        ]
        .map(|c| (L, c)),
    )
    .expr_as(Expr::col(("fund_programmes", "name")), "programme_name")
    .expr_as(Expr::col(("b", "name")), "org_name")
    .expr_as(Expr::col(("b", "credit_code")), "credit_code")
    .expr_as(Expr::col(("b", "region_code")), "region_code")
    .expr_as(Expr::col(("k", "name")), "bank_name")
    .from(L)
    .inner_join(
        "fund_programmes",
        Expr::col(("fund_programmes", "id")).equals((L, "programme_id")),
    )
    .join_as(
        sea_orm::sea_query::JoinType::InnerJoin,
        "organizations",
        "b",
        Expr::col(("b", "id")).equals((L, "org_id")),
    )
    .join_as(
        sea_orm::sea_query::JoinType::InnerJoin,
        "organizations",
        "k",
        Expr::col(("k", "id")).equals((L, "bank_org_id")),
    );
    q
}

fn loan_from_row(r: &QueryResult) -> StoreResult<Loan> {
    let status: String = get(r, "status")?;
    let region: String = get(r, "region_code")?;
    let amount_fen: i64 = get(r, "amount_fen")?;
    Ok(Loan {
        id: get(r, "id")?,
        programme_id: get(r, "programme_id")?,
        programme_name: get(r, "programme_name")?,
        org_id: get(r, "org_id")?,
        org_name: get(r, "org_name")?,
        credit_code: get(r, "credit_code")?,
        region_name: region_name(&region),
        region_code: region,
        bank_org_id: get(r, "bank_org_id")?,
        bank_name: get(r, "bank_name")?,
        contract_no: get(r, "contract_no")?,
        amount: yuan(amount_fen),
        amount_fen,
        rate: get(r, "rate")?,
        start_on: get(r, "start_on")?,
        end_on: get(r, "end_on")?,
        credit: get(r, "credit")?,
        first_loan: get(r, "first_loan")?,
        tech_firm: get(r, "tech_firm")?,
        eligibility: get(r, "eligibility")?,
        status_label: LoanStatus::parse(&status)
            .map(|s| s.label())
            .unwrap_or_default()
            .into(),
        status,
        region_path: get(r, "region_path")?,
        updated_at: get(r, "updated_at")?,
    })
}

crate::record::impl_record!(Loan, LOAN_KIND, loan_select, loan_from_row, |s| {
    RecordKeys::org(&s.region_path, s.org_id)
});

#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
#[schema(as = FundsPoolEntry)]
pub struct PoolEntry {
    pub id: i64,
    pub programme_id: i64,
    pub kind: String,
    pub kind_label: String,
    /// Positive into the pool, negative out of it (元).
    pub amount: String,
    pub amount_fen: i64,
    pub entry_on: String,
    pub loan_id: Option<i64>,
    pub bank_org_id: Option<i64>,
    pub explanation: String,
    pub document_no: String,
    #[serde(skip)]
    pub region_path: String,
    pub created_at: i64,
}

const POOL_COLUMNS: &[&str] = &[
    "id",
    "programme_id",
    "kind",
    "amount_fen",
    "entry_on",
    "loan_id",
    "bank_org_id",
    "explanation",
    "document_no",
    "region_path",
    "created_at",
];

fn pool_from_row(r: &QueryResult) -> StoreResult<PoolEntry> {
    let kind: String = get(r, "kind")?;
    let amount_fen: i64 = get(r, "amount_fen")?;
    Ok(PoolEntry {
        id: get(r, "id")?,
        programme_id: get(r, "programme_id")?,
        kind_label: PoolEntryKind::parse(&kind)
            .map(|k| k.label())
            .unwrap_or_default()
            .into(),
        kind,
        amount: yuan(amount_fen),
        amount_fen,
        entry_on: get(r, "entry_on")?,
        loan_id: get(r, "loan_id")?,
        bank_org_id: get(r, "bank_org_id")?,
        explanation: get(r, "explanation")?,
        document_no: get(r, "document_no")?,
        region_path: get(r, "region_path")?,
        created_at: get(r, "created_at")?,
    })
}

crate::record::impl_record!(
    PoolEntry,
    POOL_KIND,
    || sql::columns_of(E, POOL_COLUMNS),
    pool_from_row,
    |s| RecordKeys::region(&s.region_path)
);

#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
pub struct LoanFilter {
    pub programme_id: Option<i64>,
    pub bank_org_id: Option<i64>,
    pub status: Option<String>,
    /// Borrower, bank or contract number contains.
    pub q: Option<String>,
}

impl ListFilter for LoanFilter {
    fn apply(&self, q: &mut SelectStatement) -> StoreResult<()> {
        if let Some(v) = self.programme_id {
            q.and_where(Expr::col((L, "programme_id")).eq(v));
        }
        if let Some(v) = self.bank_org_id {
            q.and_where(Expr::col((L, "bank_org_id")).eq(v));
        }
        if let Some(v) = self.status.as_deref().filter(|s| !s.is_empty()) {
            q.and_where(Expr::col((L, "status")).eq(LoanStatus::parse(v)?.as_str()));
        }
        if let Some(t) = self.q.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            q.cond_where(
                Cond::any()
                    .add(Expr::col(("b", "name")).like(contains(t)))
                    .add(Expr::col(("k", "name")).like(contains(t)))
                    .add(Expr::col((L, "contract_no")).like(contains(t))),
            );
        }
        q.order_by((L, "start_on"), Order::Desc)
            .order_by((L, "id"), Order::Desc);
        Ok(())
    }
}

/// The pool of a 科技贷 programme.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct PoolSummary {
    pub programme_id: i64,
    pub deposits: String,
    pub compensations: String,
    pub recoveries: String,
    pub balance: String,
    pub balance_fen: i64,
    /// 在贷余额
    pub outstanding: String,
    pub loans_active: i64,
    /// 放大倍数 = 在贷余额 ÷ 资金池余额 ("—" when the pool is empty)
    pub leverage: String,
    pub entries: Vec<PoolEntry>,
}

/// Money into a pool: a deposit (注资) or a recovery (追偿回收).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PoolReceipt {
    pub kind: PoolEntryKind,
    pub amount_fen: i64,
    pub on: NaiveDate,
    pub document_no: String,
    pub note: String,
}

/// What the compensation pack is asked about a defaulted loan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompensationQuestion {
    pub year: i32,
    pub loss_fen: i64,
    pub revenue_fen: Option<i64>,
    pub credit: bool,
    pub bank_balance_fen: i64,
    pub bank_paid_fen: i64,
}

/// The pack's answer for a question (interest subsidy or compensation): fen, why, which rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PackAnswer {
    pub amount_fen: i64,
    pub reason: String,
    pub rule: String,
}

impl Store {
    pub async fn list_loans(
        &self,
        scope: &DataScope,
        f: &LoanFilter,
        page: PageRequest,
    ) -> StoreResult<Page<Loan>> {
        self.list_records(scope, f, page).await
    }

    pub async fn get_loan(&self, scope: &DataScope, id: i64) -> StoreResult<Loan> {
        self.get_record(scope, id).await
    }

    /// 贷款备案: a loan of a cooperating bank to an enterprise of the programme's region, with
    /// the borrower's titles at the loan date.
    pub async fn register_loan(&self, caller: &Caller, l: &NewLoan) -> StoreResult<Loan> {
        let mut tx = self.write(caller).await?;
        let p: Programme = tx.get(l.programme_id).await.map_err(|e| match e {
            StoreError::NotFound => {
                invalid("programme_id", "programme.unknown", "科技贷资金项目不存在")
            }
            e => e,
        })?;
        if p.kind != ProgrammeKind::Compensation.as_str() {
            return Err(invalid(
                "programme_id",
                "loan.programme_kind",
                format!("“{}”不是科技贷（风险补偿）项目", p.name),
            ));
        }
        let org = visible_org(&tx, "org_id", l.org_id).await?;
        let bank: Organization = crate::record::get_in(tx.conn(), &DataScope::All, l.bank_org_id)
            .await
            .map_err(|e| match e {
                StoreError::NotFound => invalid("bank_org_id", "bank.unknown", "合作银行不存在"),
                e => e,
            })?;
        if bank.kind != "financial" {
            return Err(invalid(
                "bank_org_id",
                "bank.kind",
                format!("{}不是金融机构，不能作为合作银行", bank.name),
            ));
        }
        let year: i32 = chrono::Datelike::year(&l.start_on);
        let titles = super::vouchers::titles_at(tx.conn(), org.id, year).await?;
        let tech_firm = titles.hnte || titles.tech_sme;
        let eligibility = format!(
            "放款日（{}）{}：{}",
            l.start_on,
            if tech_firm {
                "为科技企业"
            } else {
                "不是高新技术企业或科技型中小企业"
            },
            titles.source
        );
        let mut dup = Query::select();
        dup.column("id")
            .from(L)
            .and_where(Expr::col("bank_org_id").eq(bank.id))
            .and_where(Expr::col("contract_no").eq(l.contract_no.clone()));
        if sql::fetch_one(tx.conn(), &dup).await?.is_some() {
            return Err(refuse(
                "contract_no",
                "loan.duplicate",
                format!("{}的借款合同“{}”已备案", bank.name, l.contract_no),
            ));
        }
        let after = tx
            .create(vec![
                ("programme_id", p.id.into()),
                ("org_id", org.id.into()),
                ("region_path", org.region_path.clone().into()),
                ("bank_org_id", bank.id.into()),
                ("contract_no", l.contract_no.clone().into()),
                ("amount_fen", l.amount_fen.into()),
                ("rate", l.rate.to_string().into()),
                ("start_on", l.start_on.to_string().into()),
                ("end_on", l.end_on.to_string().into()),
                ("credit", l.credit.into()),
                ("first_loan", l.first_loan.into()),
                ("tech_firm", tech_firm.into()),
                ("eligibility", eligibility.into()),
                ("status", LoanStatus::Active.as_str().into()),
            ])
            .await?;
        tx.commit().await?;
        Ok(after)
    }

    /// Interest subsidies already granted to an organization (every interest programme).
    pub async fn interest_received(&self, org_id: i64) -> StoreResult<i64> {
        self.kind_received(org_id, ProgrammeKind::Interest, None)
            .await
    }

    /// What an organization was granted (not refused) by programmes of a kind, in a year or
    /// in all years: the 已获 of a per-enterprise cap.
    pub async fn kind_received(
        &self,
        org_id: i64,
        kind: ProgrammeKind,
        year: Option<i32>,
    ) -> StoreResult<i64> {
        let mut q = Query::select();
        q.expr_as(Expr::col((G, "amount_fen")).sum(), "s")
            .from(G)
            .inner_join(
                "fund_programmes",
                Expr::col(("fund_programmes", "id")).equals((G, "programme_id")),
            )
            .and_where(Expr::col((G, "org_id")).eq(org_id))
            .and_where(Expr::col(("fund_programmes", "kind")).eq(kind.as_str()))
            .and_where(Expr::col((G, "status")).ne("refused"));
        if let Some(y) = year {
            q.and_where(Expr::col(("fund_programmes", "year")).eq(i64::from(y)));
        }
        match sql::fetch_one(&self.db, &q).await? {
            Some(r) => Ok(sum_col(&r, "s").unwrap_or(0)),
            None => Ok(0),
        }
    }

    /// 贴息申请: a claim for the interest a borrower paid in `period` becomes a proposed grant of
    /// an interest programme (matter `loan-interest:{loan}:{period}`), with the pack's amount.
    pub async fn claim_interest(
        &self,
        caller: &Caller,
        loan_id: i64,
        programme_id: i64,
        period: i32,
        answer: &PackAnswer,
    ) -> StoreResult<super::Grant> {
        let mut tx = self.write(caller).await?;
        let loan: Loan = tx.get(loan_id).await?;
        let p: Programme = tx.get(programme_id).await.map_err(|e| match e {
            StoreError::NotFound => {
                invalid("programme_id", "programme.unknown", "贴息资金项目不存在")
            }
            e => e,
        })?;
        if p.kind != ProgrammeKind::Interest.as_str() || p.status != "open" {
            return Err(refuse(
                "programme_id",
                "interest.programme",
                format!("“{}”不是正在实施的贴息项目", p.name),
            ));
        }
        if answer.amount_fen <= 0 {
            return Err(refuse(
                "interest",
                "interest.none",
                format!("不予贴息：{}", answer.reason),
            ));
        }
        let g = Self::propose_in(
            &mut tx,
            &p,
            &NewGrant {
                org_id: loan.org_id,
                matter_key: format!("loan-interest:{}:{period}", loan.id),
                matter: format!(
                    "{}年度科技贷贴息：{}借款合同{}（{}万元，年利率{}%）",
                    period,
                    loan.bank_name,
                    loan.contract_no,
                    kechuang_domain::money::from_fen(loan.amount_fen)
                        / rust_decimal::Decimal::from(10_000),
                    loan.rate
                ),
                amount_fen: answer.amount_fen,
                explanation: answer.reason.clone(),
                rule: answer.rule.clone(),
            },
            GrantStatus::Proposed,
        )
        .await?;
        tx.commit().await?;
        Ok(g)
    }

    pub async fn pool(&self, scope: &DataScope, programme_id: i64) -> StoreResult<PoolSummary> {
        let p: Programme = self.get_record(scope, programme_id).await?;
        let mut q = sql::columns_of(E, POOL_COLUMNS);
        q.and_where(Expr::col("programme_id").eq(p.id))
            .order_by("entry_on", Order::Desc)
            .order_by("id", Order::Desc);
        let entries: Vec<PoolEntry> = sql::fetch_all(&self.db, &q)
            .await?
            .iter()
            .map(pool_from_row)
            .collect::<StoreResult<_>>()?;
        let sum = |k: &str| -> i64 {
            entries
                .iter()
                .filter(|e| e.kind == k)
                .map(|e| e.amount_fen)
                .sum()
        };
        let (d, c, r) = (sum("deposit"), sum("compensation"), sum("recovery"));
        let balance = d + c + r;
        let mut lq = Query::select();
        lq.expr_as(Expr::col("amount_fen").sum(), "s")
            .expr_as(Expr::cust("COUNT(*)"), "n")
            .from(L)
            .and_where(Expr::col("programme_id").eq(p.id))
            .and_where(Expr::col("status").eq("active"));
        let (outstanding, n) = match sql::fetch_one(&self.db, &lq).await? {
            Some(row) => (sum_col(&row, "s").unwrap_or(0), get::<i64>(&row, "n")?),
            None => (0, 0),
        };
        Ok(PoolSummary {
            programme_id: p.id,
            deposits: yuan(d),
            compensations: yuan(-c),
            recoveries: yuan(r),
            balance: yuan(balance),
            balance_fen: balance,
            outstanding: yuan(outstanding),
            loans_active: n,
            leverage: if balance > 0 {
                format!(
                    "{}",
                    (rust_decimal::Decimal::from(outstanding)
                        / rust_decimal::Decimal::from(balance))
                    .round_dp(2)
                    .normalize()
                )
            } else {
                "—".into()
            },
            entries,
        })
    }

    /// 注资 or 追偿回收 into a pool.
    pub async fn pool_receipt(
        &self,
        caller: &Caller,
        programme_id: i64,
        r: &PoolReceipt,
    ) -> StoreResult<PoolEntry> {
        let (kind, amount_fen, on) = (r.kind, r.amount_fen, r.on);
        let (document_no, note) = (r.document_no.as_str(), r.note.as_str());
        if kind == PoolEntryKind::Compensation {
            return Err(invalid(
                "kind",
                "pool.kind",
                "风险补偿须通过贷款的代偿补偿登记",
            ));
        }
        let document_no = document_no.trim();
        if document_no.is_empty() || document_no.chars().count() > 60 {
            return Err(invalid(
                "document_no",
                "document_no.required",
                "请填写凭证号（不超过60个字符）",
            ));
        }
        let mut tx = self.write(caller).await?;
        let p: Programme = tx.get(programme_id).await?;
        if p.kind != ProgrammeKind::Compensation.as_str() {
            return Err(invalid(
                "programme_id",
                "pool.programme",
                "只有科技贷风险补偿项目有资金池",
            ));
        }
        let after = tx
            .create(vec![
                ("programme_id", p.id.into()),
                ("region_path", p.region_path.clone().into()),
                ("kind", kind.as_str().into()),
                ("amount_fen", amount_fen.into()),
                ("entry_on", on.to_string().into()),
                ("loan_id", Option::<i64>::None.into()),
                ("bank_org_id", Option::<i64>::None.into()),
                (
                    "explanation",
                    note.trim().chars().take(500).collect::<String>().into(),
                ),
                ("document_no", document_no.to_owned().into()),
            ])
            .await?;
        tx.commit().await?;
        Ok(after)
    }

    /// 代偿补偿: a defaulted loan's principal loss compensated from the pool at the pack's
    /// share within its caps (`answer` is computed from [`CompensationQuestion`] inside this
    /// transaction), never beyond the pool's balance.
    pub async fn compensate_loan(
        &self,
        caller: &Caller,
        loan_id: i64,
        loss_fen: i64,
        on: NaiveDate,
        document_no: &str,
        answer: &(dyn Fn(&CompensationQuestion) -> PackAnswer + Sync),
    ) -> StoreResult<(Loan, PoolEntry)> {
        let document_no = document_no.trim();
        if document_no.is_empty() || document_no.chars().count() > 60 {
            return Err(invalid(
                "document_no",
                "document_no.required",
                "请填写凭证号（不超过60个字符）",
            ));
        }
        let mut tx = self.write(caller).await?;
        let loan: Loan = tx.get(loan_id).await?;
        if loan.status != "active" {
            return Err(refuse(
                "status",
                "loan.not_active",
                format!("贷款当前为“{}”，不能申请风险补偿", loan.status_label),
            ));
        }
        if loss_fen > loan.amount_fen {
            return Err(invalid(
                "loss",
                "loan.loss_over_principal",
                format!("本金损失不能超过贷款金额 {} 元", loan.amount),
            ));
        }
        let p = Self::programme_unscoped(&tx, loan.programme_id).await?;
        let year = chrono::Datelike::year(&on);
        let prior_end = format!("{}-12-31", year - 1);
        let mut bq = Query::select();
        bq.expr_as(Expr::col("amount_fen").sum(), "s")
            .from(L)
            .and_where(Expr::col("bank_org_id").eq(loan.bank_org_id))
            .and_where(Expr::col("start_on").lte(prior_end.clone()))
            .and_where(Expr::col("end_on").gt(prior_end));
        let bank_balance = match sql::fetch_one(tx.conn(), &bq).await? {
            Some(r) => sum_col(&r, "s").unwrap_or(0),
            None => 0,
        };
        let bank_paid = -sum_where(
            &tx,
            E,
            "amount_fen",
            Cond::all()
                .add(Expr::col((E, "bank_org_id")).eq(loan.bank_org_id))
                .add(Expr::col((E, "kind")).eq("compensation"))
                .add(Expr::col((E, "entry_on")).like(format!("{year}-%"))),
        )
        .await?;
        let mut rq = Query::select();
        rq.column("revenue")
            .from("enterprise_years")
            .and_where(Expr::col("org_id").eq(loan.org_id))
            .and_where(Expr::col("year").eq(i64::from(year - 1)));
        let revenue_fen = match sql::fetch_one(tx.conn(), &rq).await? {
            Some(r) => get::<Option<i64>>(&r, "revenue")?,
            None => None,
        };
        let a = answer(&CompensationQuestion {
            year,
            loss_fen,
            revenue_fen,
            credit: loan.credit,
            bank_balance_fen: bank_balance,
            bank_paid_fen: bank_paid,
        });
        if a.amount_fen <= 0 {
            return Err(refuse(
                "loss",
                "compensation.none",
                format!("不予补偿：{}", a.reason),
            ));
        }
        let balance = sum_where(
            &tx,
            E,
            "amount_fen",
            Cond::all().add(Expr::col((E, "programme_id")).eq(p.id)),
        )
        .await?;
        if a.amount_fen > balance {
            return Err(refuse(
                "loss",
                "pool.insufficient",
                format!(
                    "应补偿 {} 元，但资金池余额只有 {} 元，请先注资",
                    yuan(a.amount_fen),
                    yuan(balance)
                ),
            ));
        }
        let entry = tx
            .create(vec![
                ("programme_id", p.id.into()),
                ("region_path", p.region_path.clone().into()),
                ("kind", PoolEntryKind::Compensation.as_str().into()),
                ("amount_fen", (-a.amount_fen).into()),
                ("entry_on", on.to_string().into()),
                ("loan_id", Some(loan.id).into()),
                ("bank_org_id", Some(loan.bank_org_id).into()),
                (
                    "explanation",
                    format!("{}（依据：{}）", a.reason, a.rule).into(),
                ),
                ("document_no", document_no.to_owned().into()),
            ])
            .await?;
        let after = tx
            .update_as(
                "default",
                &loan,
                vec![("status", LoanStatus::Defaulted.as_str().into())],
            )
            .await?;
        tx.commit().await?;
        Ok((after, entry))
    }

    /// Mark a loan repaid.
    pub async fn repay_loan(&self, caller: &Caller, id: i64) -> StoreResult<Loan> {
        let mut tx = self.write(caller).await?;
        let before: Loan = tx.get(id).await?;
        if before.status != "active" {
            return Err(refuse(
                "status",
                "loan.not_active",
                format!("贷款当前为“{}”，不能登记结清", before.status_label),
            ));
        }
        let after = tx
            .update_as(
                "repay",
                &before,
                vec![("status", LoanStatus::Repaid.as_str().into())],
            )
            .await?;
        tx.commit().await?;
        Ok(after)
    }
}
