//! 技术合同认定登记: the contracts a seller submits and its region's registration office
//! decides. A contract lies in its seller's region and belongs to the seller organization; the
//! buyer may be anywhere (its region is kept for the 吸纳 statistics).
//!
//! The decision itself (registrable or not, 技术交易额, large-contract review) is computed by the
//! `tech-contract` policy pack in the server; the store keeps the state, the numbers and the
//! explanation, and allows only the moves of [`Status`].

use crate::audit::WriteTx;
use crate::error::{StoreError, StoreResult};
use crate::orgs::Organization;
use crate::record::{ListFilter, RecordKind, Stamps, Values};
use crate::sql::{self, ScopeColumns, contains, get};
use crate::{Caller, DataScope, Page, PageRequest, SortOrder, Store};
use chrono::NaiveDate;
use kechuang_domain::contract::{
    Category, Decision, Field, Findings, Form, IpKind, NewContract, Status,
};
use kechuang_domain::money::from_fen;
use kechuang_domain::scope::RecordKeys;
use kechuang_domain::{FieldError, Invalid, RegionCode};
use sea_orm::sea_query::{Expr, ExprTrait, Order, Query, SelectStatement};
use sea_orm::{ConnectionTrait, QueryResult};
use serde::{Deserialize, Serialize};

const T: &str = "tech_contracts";
pub(crate) const COLS: ScopeColumns = ScopeColumns {
    table: T,
    region_path: Some("region_path"),
    org: Some("seller_org_id"),
    owner: None,
};
pub(crate) const KIND: RecordKind = RecordKind::own(COLS, "tech_contract", Stamps::ALL);

/// A stored technology contract.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Contract {
    pub id: i64,
    /// 合同编号
    pub contract_no: String,
    /// 项目名称
    pub subject: String,
    /// 合同类别 (wire value), empty when the contract is not a technology contract
    pub category: String,
    pub category_label: String,
    /// The category as written by the applicant
    pub category_text: String,
    pub subcategory: String,
    pub subcategory_label: String,
    pub form: String,
    pub form_label: String,
    pub field: String,
    pub field_label: String,
    pub ip_kind: String,
    pub ip_kind_label: String,
    pub seller_org_id: i64,
    pub seller_name: String,
    pub seller_credit_code: String,
    pub seller_region_code: String,
    pub seller_region_name: String,
    pub buyer_name: String,
    pub buyer_credit_code: String,
    pub buyer_region_code: String,
    pub buyer_region_name: String,
    /// 合同成交总额 (元)
    pub total_amount: String,
    /// 非技术性费用 (元)
    pub non_tech_amount: String,
    /// 合理数量标的物的直接成本 (元)
    pub carrier_amount: String,
    /// 核定技术交易额 (元), once decided
    pub technical_amount: Option<String>,
    pub signed_on: String,
    pub valid_from: Option<String>,
    pub valid_to: Option<String>,
    pub status: String,
    pub status_label: String,
    /// 受理日期 (resets when a corrected contract is submitted again)
    pub submitted_on: Option<String>,
    /// 办结期限
    pub due_on: Option<String>,
    /// 登记（决定）日期
    pub decided_on: Option<String>,
    /// 登记编号
    pub registration_no: Option<String>,
    /// register | correct | refuse
    pub decision: Option<String>,
    /// The decision's reasons, in Chinese, with their rules
    pub reasons: Vec<String>,
    /// The rule tree of the decision
    pub explanation_text: Option<String>,
    /// 大额合同须复核
    pub second_review: bool,
    /// Was sent back for correction once (a second failure is refused)
    pub corrected: bool,
    /// The office's findings at the decision
    #[schema(value_type = Option<Object>)]
    pub findings: Option<serde_json::Value>,
    pub note: Option<String>,
    pub file_name: Option<String>,
    pub file_sha256: Option<String>,
    pub broker_name: Option<String>,
    #[serde(skip)]
    pub region_path: String,
    #[serde(skip)]
    pub first_reviewer: Option<i64>,
    pub updated_at: i64,
}

impl Contract {
    pub fn status(&self) -> Option<Status> {
        Status::parse(&self.status).ok()
    }

    pub fn total_fen(&self) -> i64 {
        fen_of(&self.total_amount)
    }
}

fn fen_of(yuan: &str) -> i64 {
    kechuang_domain::money::fen_of_text(yuan).unwrap_or_default()
}

const COLUMNS: &[&str] = &[
    "id",
    "contract_no",
    "subject",
    "category",
    "category_text",
    "subcategory",
    "form",
    "field",
    "ip_kind",
    "seller_org_id",
    "seller_name",
    "seller_credit_code",
    "region_code",
    "region_path",
    "buyer_name",
    "buyer_credit_code",
    "buyer_region_code",
    "total_fen",
    "non_tech_fen",
    "carrier_fen",
    "technical_fen",
    "signed_on",
    "valid_from",
    "valid_to",
    "status",
    "submitted_on",
    "due_on",
    "decided_on",
    "registration_no",
    "decision",
    "reasons",
    "explanation",
    "second_review",
    "corrected",
    "findings",
    "note",
    "file_name",
    "file_sha256",
    "broker_name",
    "first_reviewer",
    "updated_at",
];

fn select() -> SelectStatement {
    sql::columns_of(T, COLUMNS)
}

fn label<E>(
    v: &str,
    parse: impl Fn(&str) -> Result<E, Invalid>,
    l: impl Fn(E) -> &'static str,
) -> String {
    parse(v).map(l).unwrap_or_default().to_owned()
}

fn from_row(r: &QueryResult) -> StoreResult<Contract> {
    let category: Option<String> = get(r, "category")?;
    let category = category.unwrap_or_default();
    let cat = Category::parse(&category).ok();
    let sub: Option<String> = get(r, "subcategory")?;
    let sub = sub.unwrap_or_default();
    let form: String = get(r, "form")?;
    let field: Option<String> = get(r, "field")?;
    let field = field.unwrap_or_default();
    let ip: Option<String> = get(r, "ip_kind")?;
    let ip = ip.unwrap_or_default();
    let status: String = get(r, "status")?;
    let seller_region: String = get(r, "region_code")?;
    let buyer_region: String = get(r, "buyer_region_code")?;
    let reasons: Option<String> = get(r, "reasons")?;
    let findings: Option<String> = get(r, "findings")?;
    let technical: Option<i64> = get(r, "technical_fen")?;
    Ok(Contract {
        id: get(r, "id")?,
        contract_no: get(r, "contract_no")?,
        subject: get(r, "subject")?,
        category_label: cat.map(|c| c.label().to_owned()).unwrap_or_default(),
        subcategory_label: cat
            .and_then(|c| c.subcategory_label(&sub))
            .unwrap_or_default()
            .to_owned(),
        category,
        category_text: get(r, "category_text")?,
        subcategory: sub,
        form_label: label(&form, Form::parse, Form::label),
        form,
        field_label: label(&field, Field::parse, Field::label),
        field,
        ip_kind_label: label(&ip, IpKind::parse, IpKind::label),
        ip_kind: ip,
        seller_org_id: get(r, "seller_org_id")?,
        seller_name: get(r, "seller_name")?,
        seller_credit_code: get(r, "seller_credit_code")?,
        seller_region_name: crate::orgs::region_name(&seller_region),
        seller_region_code: seller_region,
        buyer_name: get(r, "buyer_name")?,
        buyer_credit_code: get(r, "buyer_credit_code")?,
        buyer_region_name: crate::orgs::region_name(&buyer_region),
        buyer_region_code: buyer_region,
        total_amount: from_fen(get(r, "total_fen")?).to_string(),
        non_tech_amount: from_fen(get(r, "non_tech_fen")?).to_string(),
        carrier_amount: from_fen(get(r, "carrier_fen")?).to_string(),
        technical_amount: technical.map(|f| from_fen(f).to_string()),
        signed_on: get(r, "signed_on")?,
        valid_from: get(r, "valid_from")?,
        valid_to: get(r, "valid_to")?,
        status_label: label(&status, Status::parse, Status::label),
        status,
        submitted_on: get(r, "submitted_on")?,
        due_on: get(r, "due_on")?,
        decided_on: get(r, "decided_on")?,
        registration_no: get(r, "registration_no")?,
        decision: get(r, "decision")?,
        reasons: reasons
            .and_then(|s| serde_json::from_str(&s).ok())
            .unwrap_or_default(),
        explanation_text: get(r, "explanation")?,
        second_review: get(r, "second_review")?,
        corrected: get(r, "corrected")?,
        findings: findings.and_then(|s| serde_json::from_str(&s).ok()),
        note: get(r, "note")?,
        file_name: get(r, "file_name")?,
        file_sha256: get(r, "file_sha256")?,
        broker_name: get(r, "broker_name")?,
        region_path: get(r, "region_path")?,
        first_reviewer: get(r, "first_reviewer")?,
        updated_at: get(r, "updated_at")?,
    })
}

crate::record::impl_record!(Contract, KIND, select, from_row, |s| RecordKeys::org(
    &s.region_path,
    s.seller_org_id
));

/// Filters of the contract list.
#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
pub struct ContractFilter {
    /// Matches the contract number, subject, seller and buyer.
    pub q: Option<String>,
    pub status: Option<String>,
    pub category: Option<String>,
    /// Year of signing.
    pub year: Option<i32>,
    /// The 技术中介方 named on the contract (exact).
    pub broker: Option<String>,
    /// Sort column: updated_at | signed_on | total_amount | decided_on.
    pub sort: Option<String>,
    pub order: Option<SortOrder>,
}

impl ListFilter for ContractFilter {
    fn apply(&self, q: &mut SelectStatement) -> StoreResult<()> {
        if let Some(t) = self.q.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            q.cond_where(
                sea_orm::sea_query::Cond::any()
                    .add(Expr::col((T, "contract_no")).like(contains(t)))
                    .add(Expr::col((T, "subject")).like(contains(t)))
                    .add(Expr::col((T, "seller_name")).like(contains(t)))
                    .add(Expr::col((T, "buyer_name")).like(contains(t)))
                    .add(Expr::col((T, "registration_no")).like(contains(t))),
            );
        }
        if let Some(v) = self.status.as_deref().filter(|s| !s.is_empty()) {
            q.and_where(Expr::col((T, "status")).eq(Status::parse(v)?.as_str()));
        }
        if let Some(v) = self
            .broker
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            q.and_where(Expr::col((T, "broker_name")).eq(v));
        }
        if let Some(v) = self.category.as_deref().filter(|s| !s.is_empty()) {
            if v == "other" {
                q.and_where(Expr::col((T, "category")).is_null());
            } else {
                q.and_where(Expr::col((T, "category")).eq(Category::parse(v)?.as_str()));
            }
        }
        if let Some(y) = self.year {
            q.and_where(Expr::col((T, "signed_on")).gte(format!("{y:04}-01-01")))
                .and_where(Expr::col((T, "signed_on")).lte(format!("{y:04}-12-31")));
        }
        let col = match self.sort.as_deref().unwrap_or("updated_at") {
            "signed_on" => "signed_on",
            "total_amount" => "total_fen",
            "decided_on" => "decided_on",
            "updated_at" | "" => "updated_at",
            other => {
                return Err(StoreError::Invalid(Invalid::one(
                    "sort",
                    "sort.unknown",
                    format!("不支持按“{other}”排序"),
                )));
            }
        };
        q.order_by((T, col), self.order.unwrap_or(SortOrder::Desc).into())
            .order_by((T, "id"), Order::Asc);
        Ok(())
    }
}

/// What the office decided, as the policy pack computed it.
#[derive(Debug, Clone)]
pub struct Ruling {
    pub decision: Decision,
    pub technical_fen: i64,
    pub second_review: bool,
    pub reasons: Vec<String>,
    pub explanation: String,
    pub findings: Findings,
    pub note: Option<String>,
    pub today: NaiveDate,
}

fn conflict(field: &str, code: &str, msg: impl Into<String>) -> StoreError {
    StoreError::Conflict(FieldError::new(field, code, msg))
}

fn buyer_region_path(code: &str) -> Option<String> {
    RegionCode::parse_known(code)
        .ok()
        .and_then(|c| crate::orgs::region_path(c).ok())
}

fn values(c: &NewContract) -> Values {
    vec![
        ("contract_no", c.contract_no.clone().into()),
        ("subject", c.subject.clone().into()),
        ("category", c.category.map(|x| x.as_str()).into()),
        ("category_text", c.category_text.clone().into()),
        ("subcategory", c.subcategory.into()),
        ("form", c.form.as_str().into()),
        ("field", c.field.map(|x| x.as_str()).into()),
        ("ip_kind", c.ip_kind.map(|x| x.as_str()).into()),
        ("buyer_name", c.buyer_name.clone().into()),
        (
            "buyer_credit_code",
            c.buyer_credit_code.as_str().to_owned().into(),
        ),
        ("buyer_region_code", c.buyer_region_code.clone().into()),
        (
            "buyer_region_path",
            buyer_region_path(&c.buyer_region_code).into(),
        ),
        ("total_fen", c.total_fen.into()),
        ("non_tech_fen", c.non_tech_fen.into()),
        ("carrier_fen", c.carrier_fen.into()),
        ("signed_on", c.signed_on.to_string().into()),
        ("valid_from", sql::date_text(c.valid_from).into()),
        ("valid_to", sql::date_text(c.valid_to).into()),
        ("broker_name", c.broker_name.clone().into()),
    ]
}

async fn check_duplicate(
    tx: &WriteTx,
    seller_code: &str,
    c: &NewContract,
    except: Option<i64>,
) -> StoreResult<()> {
    let mut q = Query::select();
    q.column("id")
        .from(T)
        .and_where(Expr::col("seller_credit_code").eq(seller_code))
        .and_where(Expr::col("buyer_credit_code").eq(c.buyer_credit_code.as_str()))
        .and_where(Expr::col("contract_no").eq(c.contract_no.as_str()));
    if let Some(id) = except {
        q.and_where(Expr::col("id").ne(id));
    }
    if sql::fetch_one(tx.conn(), &q).await?.is_some() {
        return Err(conflict(
            "contract_no",
            "contract.duplicate",
            format!(
                "同一买卖双方的合同“{}”已提交过登记申请，请勿重复申请",
                c.contract_no
            ),
        ));
    }
    Ok(())
}

fn state_error(c: &Contract, what: &str) -> StoreError {
    conflict(
        "status",
        "contract.state",
        format!("合同当前为“{}”，不能{what}", c.status_label),
    )
}

impl Store {
    pub async fn list_contracts(
        &self,
        scope: &DataScope,
        f: &ContractFilter,
        page: PageRequest,
    ) -> StoreResult<Page<Contract>> {
        self.list_records(scope, f, page).await
    }

    pub async fn export_contracts(
        &self,
        scope: &DataScope,
        f: &ContractFilter,
        limit: u64,
    ) -> StoreResult<Vec<Contract>> {
        self.export_records(scope, f, limit).await
    }

    pub async fn get_contract(&self, scope: &DataScope, id: i64) -> StoreResult<Contract> {
        self.get_record(scope, id).await
    }

    /// A seller's application, saved as a draft. The seller is an organization of the
    /// registry the caller may act for.
    pub async fn create_contract(
        &self,
        caller: &Caller,
        seller_org_id: i64,
        c: &NewContract,
    ) -> StoreResult<Contract> {
        let mut tx = self.write(caller).await?;
        let seller: Organization = tx.get(seller_org_id).await.map_err(|e| match e {
            StoreError::NotFound => StoreError::Invalid(Invalid::one(
                "seller_org_id",
                "seller_org_id.unknown",
                "卖方单位不存在或不在您的管辖范围内",
            )),
            e => e,
        })?;
        if seller.credit_code == c.buyer_credit_code.as_str() {
            return Err(StoreError::Invalid(Invalid::one(
                "buyer_credit_code",
                "contract.same_party",
                "买方与卖方不能是同一单位",
            )));
        }
        check_duplicate(&tx, &seller.credit_code, c, None).await?;
        let mut vals = values(c);
        vals.extend([
            ("seller_org_id", seller.id.into()),
            ("seller_name", seller.name.clone().into()),
            ("seller_credit_code", seller.credit_code.clone().into()),
            ("region_code", seller.region_code.clone().into()),
            ("region_path", seller.region_path.clone().into()),
            ("status", Status::Draft.as_str().into()),
            ("second_review", false.into()),
            ("corrected", false.into()),
        ]);
        let after = tx.create(vals).await?;
        tx.commit().await?;
        Ok(after)
    }

    pub async fn update_contract(
        &self,
        caller: &Caller,
        id: i64,
        c: &NewContract,
    ) -> StoreResult<Contract> {
        let mut tx = self.write(caller).await?;
        let before: Contract = tx.get(id).await?;
        if !before.status().is_some_and(Status::editable) {
            return Err(state_error(&before, "修改"));
        }
        if before.seller_credit_code == c.buyer_credit_code.as_str() {
            return Err(StoreError::Invalid(Invalid::one(
                "buyer_credit_code",
                "contract.same_party",
                "买方与卖方不能是同一单位",
            )));
        }
        check_duplicate(&tx, &before.seller_credit_code, c, Some(id)).await?;
        let after = tx.update_as("update", &before, values(c)).await?;
        tx.commit().await?;
        Ok(after)
    }

    pub async fn delete_contract(&self, caller: &Caller, id: i64) -> StoreResult<()> {
        let mut tx = self.write(caller).await?;
        let before: Contract = tx.get(id).await?;
        if before.status() != Some(Status::Draft) {
            return Err(state_error(&before, "删除"));
        }
        let mut del = Query::delete();
        del.from_table("tech_contract_files")
            .and_where(Expr::col("contract_id").eq(id));
        tx.conn().execute(&del).await?;
        tx.delete::<Contract>(id).await?;
        tx.commit().await
    }

    /// The signed text (PDF, already checked), replacing any earlier one.
    pub async fn attach_contract_file(
        &self,
        caller: &Caller,
        id: i64,
        file_name: &str,
        sha256: &str,
        bytes: &[u8],
    ) -> StoreResult<Contract> {
        let mut tx = self.write(caller).await?;
        let before: Contract = tx.get(id).await?;
        if !before.status().is_some_and(Status::editable) {
            return Err(state_error(&before, "更换合同文本"));
        }
        let mut del = Query::delete();
        del.from_table("tech_contract_files")
            .and_where(Expr::col("contract_id").eq(id));
        tx.conn().execute(&del).await?;
        let mut ins = Query::insert();
        ins.into_table("tech_contract_files")
            .columns(["contract_id", "content"])
            .values([id.into(), bytes.to_vec().into()])
            .map_err(StoreError::corrupt)?;
        tx.conn().execute(&ins).await?;
        let after = tx
            .update_as(
                "attach",
                &before,
                vec![
                    ("file_name", file_name.to_owned().into()),
                    ("file_sha256", sha256.to_owned().into()),
                ],
            )
            .await?;
        tx.commit().await?;
        Ok(after)
    }

    /// The signed text, if the caller may see the contract.
    pub async fn contract_file(
        &self,
        scope: &DataScope,
        id: i64,
    ) -> StoreResult<(Contract, Vec<u8>)> {
        let c = self.get_contract(scope, id).await?;
        let mut q = Query::select();
        q.column("content")
            .from("tech_contract_files")
            .and_where(Expr::col("contract_id").eq(id));
        let row = sql::fetch_one(&self.db, &q)
            .await?
            .ok_or(StoreError::NotFound)?;
        Ok((c, get(&row, "content")?))
    }

    /// 提交登记: the acceptance date is today (again, after a correction) and the deadline
    /// runs from it.
    pub async fn submit_contract(
        &self,
        caller: &Caller,
        id: i64,
        today: NaiveDate,
        due: NaiveDate,
    ) -> StoreResult<Contract> {
        let mut tx = self.write(caller).await?;
        let before: Contract = tx.get(id).await?;
        if !before.status().is_some_and(Status::editable) {
            return Err(state_error(&before, "提交"));
        }
        if before.file_sha256.is_none() {
            return Err(StoreError::Invalid(Invalid::one(
                "file",
                "contract.file_required",
                "请先上传双方签章的合同文本（PDF），再提交登记",
            )));
        }
        let after = tx
            .update_as(
                "submit",
                &before,
                vec![
                    ("status", Status::Submitted.as_str().into()),
                    ("submitted_on", today.to_string().into()),
                    ("due_on", due.to_string().into()),
                ],
            )
            .await?;
        tx.commit().await?;
        Ok(after)
    }

    /// 登记、退回补正 or 不予登记, as ruled. A large contract under the newer rules waits for
    /// a second reviewer; a registration takes the next number of the seller's region.
    pub async fn decide_contract(
        &self,
        caller: &Caller,
        id: i64,
        r: &Ruling,
    ) -> StoreResult<Contract> {
        let mut tx = self.write(caller).await?;
        let before: Contract = tx.get(id).await?;
        if before.status() != Some(Status::Submitted) {
            return Err(state_error(&before, "审核"));
        }
        let (status, corrected) = match (r.decision, r.second_review) {
            (Decision::Register, true) => (Status::SecondReview, before.corrected),
            (Decision::Register, false) => (Status::Registered, before.corrected),
            (Decision::Correct, _) => (Status::Correcting, true),
            (Decision::Refuse, _) => (Status::Refused, before.corrected),
        };
        let mut vals: Values = vec![
            ("status", status.as_str().into()),
            ("decision", r.decision.as_str().into()),
            (
                "reasons",
                serde_json::to_string(&r.reasons).unwrap_or_default().into(),
            ),
            ("explanation", r.explanation.clone().into()),
            (
                "findings",
                serde_json::to_string(&r.findings)
                    .unwrap_or_default()
                    .into(),
            ),
            ("note", r.note.clone().into()),
            ("second_review", r.second_review.into()),
            ("corrected", corrected.into()),
            ("first_reviewer", caller.user_id.into()),
        ];
        match status {
            Status::Registered => {
                vals.push(("technical_fen", r.technical_fen.into()));
                vals.push(("decided_on", r.today.to_string().into()));
                let no = next_registration_no(&tx, &before, r.today).await?;
                vals.push(("registration_no", no.into()));
            }
            Status::SecondReview => vals.push(("technical_fen", r.technical_fen.into())),
            Status::Refused => vals.push(("decided_on", r.today.to_string().into())),
            _ => {}
        }
        let action = match status {
            Status::Registered => "register",
            Status::SecondReview => "first_review",
            Status::Correcting => "return",
            _ => "refuse",
        };
        let after = tx.update_as(action, &before, vals).await?;
        tx.commit().await?;
        Ok(after)
    }

    /// 大额复核: a second officer, not the first one, confirms the registration.
    pub async fn confirm_contract(
        &self,
        caller: &Caller,
        id: i64,
        note: Option<String>,
        today: NaiveDate,
    ) -> StoreResult<Contract> {
        let mut tx = self.write(caller).await?;
        let before: Contract = tx.get(id).await?;
        if before.status() != Some(Status::SecondReview) {
            return Err(state_error(&before, "复核"));
        }
        if before.first_reviewer.is_some() && before.first_reviewer == caller.user_id {
            return Err(conflict(
                "status",
                "contract.same_reviewer",
                "大额合同须由另一名登记人员复核，初审人不能复核自己审核的合同",
            ));
        }
        let no = next_registration_no(&tx, &before, today).await?;
        let note = match (before.note.as_deref(), note.as_deref()) {
            (Some(a), Some(b)) if !b.trim().is_empty() => Some(format!("{a}\n复核：{b}")),
            (None, Some(b)) if !b.trim().is_empty() => Some(format!("复核：{b}")),
            (a, _) => a.map(str::to_owned),
        };
        let after = tx
            .update_as(
                "confirm",
                &before,
                vec![
                    ("status", Status::Registered.as_str().into()),
                    ("decided_on", today.to_string().into()),
                    ("registration_no", no.into()),
                    ("note", note.into()),
                ],
            )
            .await?;
        tx.commit().await?;
        Ok(after)
    }

    /// Registered contracts: 成交额 and 技术交易额 by year, category, field, month and region,
    /// by the seller's region (输出) or the buyer's (吸纳).
    pub async fn contract_stats(
        &self,
        scope: &DataScope,
        years: std::ops::RangeInclusive<i32>,
        absorbed: bool,
    ) -> StoreResult<Vec<StatRow>> {
        let mut q = Query::select();
        q.expr_as(Expr::cust("SUBSTR(decided_on, 1, 7)"), "month")
            .expr_as(Expr::col("category"), "category")
            .expr_as(Expr::col("field"), "field")
            .expr_as(
                Expr::col(if absorbed {
                    "buyer_region_code"
                } else {
                    "region_code"
                }),
                "region",
            )
            .expr_as(Expr::cust("COUNT(*)"), "n")
            .expr_as(Expr::cust("CAST(SUM(total_fen) AS BIGINT)"), "turnover")
            .expr_as(
                Expr::cust("CAST(SUM(technical_fen) AS BIGINT)"),
                "technical",
            )
            .from(T)
            .and_where(Expr::col("status").eq(Status::Registered.as_str()))
            .and_where(Expr::col("decided_on").gte(format!("{:04}-01-01", years.start())))
            .and_where(Expr::col("decided_on").lte(format!("{:04}-12-31", years.end())))
            .group_by_col("month")
            .group_by_col("category")
            .group_by_col("field")
            .group_by_col("region");
        // 吸纳 counts contracts whose buyer lies in the caller's region, whoever sold them;
        // only the sums leave the store, never another region's contracts.
        let cols = ScopeColumns {
            region_path: Some(if absorbed {
                "buyer_region_path"
            } else {
                "region_path"
            }),
            org: if absorbed {
                None
            } else {
                Some("seller_org_id")
            },
            ..COLS
        };
        if absorbed && matches!(scope, DataScope::Organization { .. }) {
            // An organization sees what it sold; what it bought is not a region statistic.
            q.and_where(Expr::cust("1 = 0"));
        } else {
            q.cond_where(sql::scope_condition(scope, cols));
        }
        let mut out = Vec::new();
        for r in sql::fetch_all(&self.db, &q).await? {
            let month: Option<String> = get(&r, "month")?;
            let category: Option<String> = get(&r, "category")?;
            let field: Option<String> = get(&r, "field")?;
            let region: Option<String> = get(&r, "region")?;
            out.push(StatRow {
                month: month.unwrap_or_default(),
                category: category.unwrap_or_default(),
                field: field.unwrap_or_default(),
                region: region.unwrap_or_default(),
                count: get(&r, "n")?,
                turnover_fen: get::<Option<i64>>(&r, "turnover")?.unwrap_or_default(),
                technical_fen: get::<Option<i64>>(&r, "technical")?.unwrap_or_default(),
            });
        }
        Ok(out)
    }
}

/// One group of registered contracts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatRow {
    /// `YYYY-MM` of registration
    pub month: String,
    pub category: String,
    pub field: String,
    pub region: String,
    pub count: i64,
    pub turnover_fen: i64,
    pub technical_fen: i64,
}

/// The next number of the seller's region in the year. Writes are serialized by the audit
/// chain, so counting inside the transaction cannot hand out a number twice (and a unique
/// index backs it).
async fn next_registration_no(tx: &WriteTx, c: &Contract, today: NaiveDate) -> StoreResult<String> {
    use chrono::Datelike;
    let prefix =
        kechuang_domain::contract::registration_no(today.year(), &c.seller_region_code, 1, 0)
            .map(|s| s[..8].to_owned())
            .ok_or_else(|| StoreError::corrupt("卖方区划代码无效"))?;
    let mut q = Query::select();
    q.expr_as(Expr::cust("COUNT(*)"), "n")
        .from(T)
        .and_where(Expr::col("registration_no").like(format!("{prefix}%")));
    let n: i64 = match sql::fetch_one(tx.conn(), &q).await? {
        Some(r) => get(&r, "n")?,
        None => 0,
    };
    kechuang_domain::contract::registration_no(
        today.year(),
        &c.seller_region_code,
        1,
        u32::try_from(n + 1).unwrap_or(u32::MAX),
    )
    .ok_or_else(|| StoreError::corrupt("登记序号已用完"))
}

/// Registered contracts' 成交额 (fen) by the seller's region and year of registration, for the
/// indicator `technology_contract_turnover_amount`.
pub(crate) async fn turnover_by_region<C: ConnectionTrait>(
    db: &C,
    scope: &DataScope,
    years: std::ops::RangeInclusive<i32>,
) -> StoreResult<Vec<(String, i32, i64)>> {
    let mut q = Query::select();
    q.expr_as(Expr::col("region_path"), "rp")
        .expr_as(Expr::cust("SUBSTR(decided_on, 1, 4)"), "y")
        .expr_as(Expr::cust("CAST(SUM(total_fen) AS BIGINT)"), "turnover")
        .from(T)
        .cond_where(sql::scope_condition(scope, COLS))
        .and_where(Expr::col("status").eq(Status::Registered.as_str()))
        .and_where(Expr::col("decided_on").gte(format!("{:04}-01-01", years.start())))
        .and_where(Expr::col("decided_on").lte(format!("{:04}-12-31", years.end())))
        .group_by_col("rp")
        .group_by_col("y");
    let mut out = Vec::new();
    for r in sql::fetch_all(db, &q).await? {
        let y: String = get(&r, "y")?;
        out.push((
            get(&r, "rp")?,
            y.parse().unwrap_or_default(),
            get::<Option<i64>>(&r, "turnover")?.unwrap_or_default(),
        ));
    }
    Ok(out)
}
