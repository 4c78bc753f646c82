//! 专家评审 (expert review): the expert pool's own fields, co-memberships for 回避, review rounds,
//! their items and reviewer assignments.
//!
//! Scoping: a round belongs to the organizing bureau's region (`review_rounds.region_path`);
//! items and assignments inherit it. An assignment is also visible to the expert it names, by
//! the expert's account (`expert_user_id`, the `SelfOnly` scope), which is how an expert's
//! workspace lists exactly their own tasks and nothing else.
//!
//! The store does not choose reviewers: the server runs the assignment engine on
//! [`Store::review_inputs`] and hands the chosen pairs to [`Store::set_assignments`].

use crate::audit::Change;
use crate::error::{StoreError, StoreResult};
use crate::orgs::{get_org, region_name, region_path};
use crate::record::{RecordKind, Stamps, Values};
use crate::sql::{self, ScopeColumns, contains, get, now_ms};
use crate::{Caller, DataScope, Page, PageRequest, Store};
use kechuang_domain::review::{
    AssignmentMethod, AssignmentStatus, Criterion, ItemInput, LinkKind, NewRound, RoundStatus,
};
use kechuang_domain::scope::RecordKeys;
use kechuang_domain::{FieldError, Invalid};
use sea_orm::sea_query::{Cond, Expr, ExprTrait, Order, Query, SelectStatement};
use sea_orm::{ConnectionTrait, QueryResult};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

mod assignments;
mod experts;
mod rounds;

pub use assignments::*;
pub use experts::*;
pub use rounds::*;

const ROUNDS: ScopeColumns = ScopeColumns {
    table: "review_rounds",
    region_path: Some("region_path"),
    org: None,
    owner: None,
};
const ASSIGN: ScopeColumns = ScopeColumns {
    table: "review_assignments",
    region_path: Some("region_path"),
    org: None,
    owner: Some("expert_user_id"),
};
pub(crate) const ROUND_KIND: RecordKind = RecordKind::own(ROUNDS, "review_round", Stamps::ALL);
/// Items are written as part of their round and recorded in the round's entries.
pub(crate) const ITEM_KIND: RecordKind = RecordKind {
    scope: ScopeColumns {
        table: "review_items",
        region_path: None,
        org: Some("org_id"),
        owner: None,
    },
    entity: "review_item",
    stamps: Stamps::CREATED,
    audit_key: "CAST(round_id AS TEXT)",
    audited_as: Some("review_round"),
    party: None,
};
/// Assignments are made by the round's assignment run (recorded on the round); an expert's
/// scoring and declining are recorded on the assignment itself.
pub(crate) const ASSIGNMENT_KIND: RecordKind = RecordKind {
    scope: ASSIGN,
    entity: "review_assignment",
    stamps: Stamps::TIMES,
    audit_key: "CAST(round_id AS TEXT)",
    audited_as: Some("review_round"),
    party: None,
};

crate::record::impl_record!(Round, ROUND_KIND, round_select, round_from_row, |s| {
    RecordKeys::region(&s.region_path)
});

crate::record::impl_record!(
    Assignment,
    ASSIGNMENT_KIND,
    assignment_select,
    assignment_from_row,
    |s| RecordKeys {
        region_path: Some(&s.region_path),
        org_id: None,
        owner_user_id: s.expert_user_id,
    }
);

/// Default load limit of an expert without a profile row.
pub const DEFAULT_MAX_LOAD: i64 = 10;

/// An expert of the pool (a person with 专家库成员 set) with the pool's own fields.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Expert {
    pub id: i64,
    pub name: String,
    pub org_id: Option<i64>,
    pub org_name: Option<String>,
    pub region_code: String,
    pub region_name: String,
    pub title: Option<String>,
    pub disciplines: Vec<String>,
    pub keywords: Vec<String>,
    pub user_id: Option<i64>,
    /// Most review tasks at a time (across open rounds).
    pub max_load: i64,
    /// 可参评时段
    pub available_from: Option<String>,
    pub available_to: Option<String>,
    /// In the pool and drawable (false: 暂停).
    pub active: bool,
    /// Tasks in rounds that are not closed, not declined.
    pub open_load: i64,
}

/// The pool fields of an expert, as received on the wire.
#[derive(Debug, Clone, Deserialize, Serialize, utoipa::ToSchema)]
pub struct ExpertProfileInput {
    pub max_load: i64,
    #[serde(default)]
    pub available_from: Option<String>,
    #[serde(default)]
    pub available_to: Option<String>,
    pub active: bool,
}

/// A past co-membership (shared project or paper) used for 回避.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct PersonLink {
    pub person_id: i64,
    /// `project` | `paper`
    pub kind: String,
    /// The shared project's number or paper's DOI/title.
    #[serde(rename = "ref")]
    pub reference: String,
    pub year: i32,
}

/// A review round.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Round {
    pub id: i64,
    pub title: String,
    pub object_kind: String,
    pub region_code: String,
    pub region_name: String,
    pub reviewers_per_item: i64,
    pub max_load: i64,
    pub coauthor_years: i64,
    pub exclude_same_county: bool,
    pub due_on: Option<String>,
    pub form: Vec<Criterion>,
    pub status: String,
    /// The last assignment run: method, objective, bound, seed (JSON).
    #[schema(value_type = Object)]
    pub assignment: Option<serde_json::Value>,
    pub published_at: Option<i64>,
    pub item_count: i64,
    pub updated_at: i64,
    #[serde(skip)]
    pub region_path: String,
}

/// One object under review in a round.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Item {
    pub id: i64,
    pub round_id: i64,
    pub title: String,
    pub object_ref: Option<String>,
    pub org_id: Option<i64>,
    pub org_name: Option<String>,
    /// The applicant organization's region code (for 同县回避).
    pub applicant_region: Option<String>,
    pub disciplines: Vec<String>,
    pub keywords: Vec<String>,
    pub team: Vec<i64>,
    pub avoid: Vec<i64>,
}

/// One reviewer's task: an item of a round assigned to an expert, with the scores once given.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Assignment {
    pub id: i64,
    pub round_id: i64,
    pub round_title: String,
    pub round_status: String,
    pub due_on: Option<String>,
    pub form: Vec<Criterion>,
    pub item_id: i64,
    pub item_title: String,
    pub item_org_name: Option<String>,
    pub expert_id: i64,
    pub expert_name: String,
    /// Expertise affinity in [0, 1] used when the expert was chosen.
    pub affinity: f64,
    pub method: String,
    pub status: String,
    pub decline_reason: Option<String>,
    pub scores: Option<BTreeMap<String, f64>>,
    pub total: Option<f64>,
    pub comment: Option<String>,
    pub reminded_at: Option<i64>,
    pub submitted_at: Option<i64>,
    /// Scores saved but not yet submitted (暂存).
    pub draft: Option<assignments::ScoreDraft>,
    /// What is reviewed, e.g. `application:42` for a project application.
    pub object_ref: Option<String>,
    /// The expert's unit.
    pub expert_org_name: Option<String>,
    #[serde(skip)]
    pub region_path: String,
    #[serde(skip)]
    pub expert_user_id: Option<i64>,
}

/// Everything the assignment engine needs for one round.
#[derive(Debug, Clone)]
pub struct ReviewInputs {
    pub round: Round,
    pub items: Vec<Item>,
    /// Active experts of the round's region (and above it: a province's experts may review a
    /// city's round only if the caller's scope sees them; the pool is the caller's scope).
    pub experts: Vec<Expert>,
    /// Co-memberships of the experts and of every item's team members.
    pub links: Vec<PersonLink>,
    /// Current assignments of the round (all statuses).
    pub assignments: Vec<Assignment>,
}

/// A chosen reviewer, ready to store. `affinity` is in millionths.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pick {
    pub item_id: i64,
    pub expert_id: i64,
    pub affinity_micro: i64,
}

fn json_list<T: serde::de::DeserializeOwned>(r: &QueryResult, col: &str) -> StoreResult<Vec<T>> {
    let s: String = get(r, col)?;
    serde_json::from_str(&s).map_err(|e| StoreError::corrupt(format!("{col}: {e}")))
}

fn to_json<T: Serialize>(v: &T) -> StoreResult<String> {
    serde_json::to_string(v).map_err(StoreError::corrupt)
}

fn conflict(field: &str, code: &str, msg: impl Into<String>) -> StoreError {
    StoreError::Conflict(FieldError::new(field, code, msg))
}

/// The mean of the submitted totals of one item of a round (found by its `object_ref`), to
/// one decimal; `None` before any expert submitted. Exact: the totals are summed as decimals.
pub(crate) async fn item_mean<C: ConnectionTrait>(
    db: &C,
    round_id: i64,
    object_ref: &str,
) -> StoreResult<Option<String>> {
    let mut q = Query::select();
    q.column(("review_assignments", "total"))
        .from("review_assignments")
        .inner_join(
            "review_items",
            Expr::col(("review_items", "id")).equals(("review_assignments", "item_id")),
        )
        .and_where(Expr::col(("review_items", "round_id")).eq(round_id))
        .and_where(Expr::col(("review_items", "object_ref")).eq(object_ref))
        .and_where(Expr::col(("review_assignments", "status")).eq("submitted"));
    let totals: Vec<f64> = sql::fetch_all(db, &q)
        .await?
        .iter()
        .filter_map(|r| get::<Option<f64>>(r, "total").ok().flatten())
        .collect();
    if totals.is_empty() {
        return Ok(None);
    }
    let sum: rust_decimal::Decimal = totals
        .iter()
        .filter_map(|t| rust_decimal::Decimal::from_f64_retain(*t))
        .sum();
    Ok(Some(
        (sum / rust_decimal::Decimal::from(totals.len() as i64))
            .round_dp(1)
            .normalize()
            .to_string(),
    ))
}
