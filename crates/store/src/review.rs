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
};
/// Assignments are made by the round's assignment run (recorded on the round); an expert's
/// scoring and declining are recorded on the assignment itself.
pub(crate) const ASSIGNMENT_KIND: RecordKind = RecordKind {
    scope: ASSIGN,
    entity: "review_assignment",
    stamps: Stamps::TIMES,
    audit_key: "CAST(round_id AS TEXT)",
    audited_as: Some("review_round"),
};

crate::record::impl_record!(Round, ROUND_KIND, round_select, round_from_row, |s| {
    RecordKeys {
        region_path: Some(&s.region_path),
        ..Default::default()
    }
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

// ---------------------------------------------------------------------------------------------
// Experts

const OPEN_LOAD: &str = "(SELECT COUNT(*) FROM review_assignments a JOIN review_rounds r ON r.id = a.round_id WHERE a.expert_id = persons.id AND a.status <> 'declined' AND r.status <> 'closed')";

fn expert_select() -> SelectStatement {
    let mut q = Query::select();
    q.columns(
        [
            "id",
            "name",
            "org_id",
            "region_code",
            "title",
            "disciplines",
            "keywords",
            "user_id",
        ]
        .map(|c| ("persons", c)),
    )
    .columns(
        ["max_load", "available_from", "available_to", "active"].map(|c| ("expert_profiles", c)),
    )
    .expr_as(Expr::col(("organizations", "name")), "org_name")
    .expr_as(Expr::cust(OPEN_LOAD), "open_load")
    .from("persons")
    .left_join(
        "organizations",
        Expr::col(("organizations", "id")).equals(("persons", "org_id")),
    )
    .left_join(
        "expert_profiles",
        Expr::col(("expert_profiles", "person_id")).equals(("persons", "id")),
    )
    .and_where(Expr::col(("persons", "is_expert")).eq(true));
    q
}

fn expert_from_row(r: &QueryResult) -> StoreResult<Expert> {
    let region_code: String = get(r, "region_code")?;
    Ok(Expert {
        id: get(r, "id")?,
        name: get(r, "name")?,
        org_id: get(r, "org_id")?,
        org_name: get(r, "org_name")?,
        region_name: region_name(&region_code),
        region_code,
        title: get(r, "title")?,
        disciplines: json_list(r, "disciplines")?,
        keywords: json_list(r, "keywords")?,
        user_id: get(r, "user_id")?,
        max_load: get::<Option<i64>>(r, "max_load")?.unwrap_or(DEFAULT_MAX_LOAD),
        available_from: get(r, "available_from")?,
        available_to: get(r, "available_to")?,
        active: get::<Option<bool>>(r, "active")?.unwrap_or(true),
        open_load: get(r, "open_load")?,
    })
}

/// Filters of the expert pool list.
#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
pub struct ExpertFilter {
    /// Name, discipline or keyword contains.
    pub q: Option<String>,
    pub active: Option<bool>,
}

impl Store {
    /// The expert pool (专家库) within the scope.
    pub async fn list_experts(
        &self,
        scope: &DataScope,
        f: &ExpertFilter,
        page: PageRequest,
    ) -> StoreResult<Page<Expert>> {
        let mut q = expert_select();
        q.cond_where(sql::scope_condition(scope, crate::persons::COLS));
        if let Some(t) = f.q.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            q.cond_where(
                Cond::any()
                    .add(Expr::col(("persons", "name")).like(contains(t)))
                    .add(Expr::col(("persons", "keywords")).like(contains(t)))
                    .add(Expr::col(("persons", "disciplines")).like(contains(t))),
            );
        }
        if let Some(a) = f.active {
            let c = Expr::col(("expert_profiles", "active"));
            q.cond_where(if a {
                Cond::any().add(c.clone().is_null()).add(c.eq(true))
            } else {
                Cond::all().add(c.eq(false))
            });
        }
        q.order_by(("persons", "name"), Order::Asc)
            .order_by(("persons", "id"), Order::Asc);
        sql::paged(&self.db, q, page, expert_from_row).await
    }

    /// Set an expert's pool fields (load limit, availability, active).
    pub async fn set_expert_profile(
        &self,
        caller: &Caller,
        person_id: i64,
        p: &ExpertProfileInput,
    ) -> StoreResult<Expert> {
        let mut c = kechuang_domain::error::Collector::default();
        if !(1..=500).contains(&p.max_load) {
            c.push(FieldError::new(
                "max_load",
                "max_load.range",
                "评审数量上限应在1至500之间",
            ));
        }
        let mut dates = Vec::new();
        for (field, v) in [
            ("available_from", &p.available_from),
            ("available_to", &p.available_to),
        ] {
            let v = v.as_deref().map(str::trim).filter(|s| !s.is_empty());
            match v.map(|s| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d")) {
                Some(Err(_)) => c.push(FieldError::new(
                    field,
                    &format!("{field}.format"),
                    "日期格式应为 YYYY-MM-DD",
                )),
                Some(Ok(d)) => dates.push(Some(d)),
                None => dates.push(None),
            }
        }
        if let [Some(a), Some(b)] = dates[..]
            && a > b
        {
            c.push(FieldError::new(
                "available_to",
                "available_to.before_from",
                "可参评截止日期不能早于开始日期",
            ));
        }
        c.finish()?;
        let mut tx = self.write(caller).await?;
        let before = get_expert(tx.conn(), &caller.scope, person_id).await?;
        let mut del = Query::delete();
        del.from_table("expert_profiles")
            .and_where(Expr::col("person_id").eq(person_id));
        tx.conn().execute(&del).await?;
        let d = |i: usize| dates.get(i).copied().flatten().map(|d| d.to_string());
        let mut ins = Query::insert();
        ins.into_table("expert_profiles")
            .columns([
                "person_id",
                "max_load",
                "available_from",
                "available_to",
                "active",
                "updated_at",
                "updated_by",
            ])
            .values([
                person_id.into(),
                p.max_load.into(),
                d(0).into(),
                d(1).into(),
                p.active.into(),
                now_ms().into(),
                caller.user_id.into(),
            ])
            .map_err(StoreError::corrupt)?;
        tx.conn().execute(&ins).await?;
        let after = get_expert(tx.conn(), &DataScope::All, person_id).await?;
        tx.record(Change {
            action: "update",
            entity: "expert_profile",
            entity_id: person_id.to_string(),
            region_path: Some(region_path_of_person(tx.conn(), person_id).await?),
            org_id: before.org_id,
            before: serde_json::to_value(&before).ok(),
            after: serde_json::to_value(&after).ok(),
        });
        tx.commit().await?;
        Ok(after)
    }

    /// Record a co-membership (shared project or paper) of a person, for 回避.
    pub async fn add_person_link(&self, caller: &Caller, link: &PersonLink) -> StoreResult<()> {
        let kind = LinkKind::parse(&link.kind)?;
        let reference = link.reference.trim();
        if reference.is_empty() || reference.chars().count() > 200 {
            return Err(Invalid::one(
                "ref",
                "ref.required",
                "项目编号或论文不能为空且不超过200个字",
            )
            .into());
        }
        if !(1950..=2100).contains(&link.year) {
            return Err(Invalid::one("year", "year.range", "年份应在1950至2100之间").into());
        }
        let mut tx = self.write(caller).await?;
        let path = region_path_in_scope(tx.conn(), &caller.scope, link.person_id).await?;
        let id = tx.new_id();
        let mut ins = Query::insert();
        ins.into_table("person_links")
            .columns([
                "id",
                "person_id",
                "kind",
                "ref",
                "year",
                "created_at",
                "created_by",
            ])
            .values([
                id.into(),
                link.person_id.into(),
                kind.as_str().into(),
                reference.into(),
                i64::from(link.year).into(),
                now_ms().into(),
                caller.user_id.into(),
            ])
            .map_err(StoreError::corrupt)?;
        tx.conn().execute(&ins).await?;
        tx.record(Change {
            action: "create",
            entity: "person_link",
            entity_id: id.to_string(),
            region_path: Some(path),
            org_id: None,
            before: None,
            after: serde_json::to_value(link).ok(),
        });
        tx.commit().await
    }

    /// Co-memberships of persons in the scope.
    pub async fn list_person_links(
        &self,
        scope: &DataScope,
        person_ids: &[i64],
    ) -> StoreResult<Vec<PersonLink>> {
        links_of(&self.db, scope, person_ids).await
    }
}

async fn links_of<C: ConnectionTrait>(
    c: &C,
    scope: &DataScope,
    person_ids: &[i64],
) -> StoreResult<Vec<PersonLink>> {
    let mut out = Vec::new();
    for chunk in person_ids.chunks(500) {
        let mut q = Query::select();
        q.columns(["person_id", "kind", "ref", "year"].map(|c| ("person_links", c)))
            .from("person_links")
            .inner_join(
                "persons",
                Expr::col(("persons", "id")).equals(("person_links", "person_id")),
            )
            .cond_where(sql::scope_condition(scope, crate::persons::COLS))
            .and_where(Expr::col(("person_links", "person_id")).is_in(chunk.iter().copied()))
            .order_by(("person_links", "id"), Order::Asc);
        for r in sql::fetch_all(c, &q).await? {
            out.push(PersonLink {
                person_id: get(&r, "person_id")?,
                kind: get(&r, "kind")?,
                reference: get(&r, "ref")?,
                year: i32::try_from(get::<i64>(&r, "year")?).map_err(StoreError::corrupt)?,
            });
        }
    }
    Ok(out)
}

async fn get_expert<C: ConnectionTrait>(
    c: &C,
    scope: &DataScope,
    person_id: i64,
) -> StoreResult<Expert> {
    let mut q = expert_select();
    q.cond_where(sql::scope_condition(scope, crate::persons::COLS))
        .and_where(Expr::col(("persons", "id")).eq(person_id));
    let r = sql::fetch_one(c, &q).await?.ok_or(StoreError::NotFound)?;
    expert_from_row(&r)
}

async fn region_path_in_scope<C: ConnectionTrait>(
    c: &C,
    scope: &DataScope,
    person_id: i64,
) -> StoreResult<String> {
    let mut q = Query::select();
    q.column("region_path")
        .from("persons")
        .cond_where(sql::scope_condition(scope, crate::persons::COLS))
        .and_where(Expr::col("id").eq(person_id));
    let r = sql::fetch_one(c, &q).await?.ok_or(StoreError::NotFound)?;
    get(&r, "region_path")
}

async fn region_path_of_person<C: ConnectionTrait>(c: &C, person_id: i64) -> StoreResult<String> {
    region_path_in_scope(c, &DataScope::All, person_id).await
}

// ---------------------------------------------------------------------------------------------
// Rounds and items

const ITEM_COUNT: &str =
    "(SELECT COUNT(*) FROM review_items i WHERE i.round_id = review_rounds.id)";

fn round_select() -> SelectStatement {
    let mut q = Query::select();
    q.columns(
        [
            "id",
            "title",
            "object_kind",
            "region_code",
            "region_path",
            "reviewers_per_item",
            "max_load",
            "coauthor_years",
            "exclude_same_county",
            "due_on",
            "form_json",
            "status",
            "assignment_json",
            "published_at",
            "updated_at",
        ]
        .map(|c| ("review_rounds", c)),
    )
    .expr_as(Expr::cust(ITEM_COUNT), "item_count")
    .from("review_rounds");
    q
}

fn round_from_row(r: &QueryResult) -> StoreResult<Round> {
    let region_code: String = get(r, "region_code")?;
    let form: String = get(r, "form_json")?;
    let assignment: Option<String> = get(r, "assignment_json")?;
    Ok(Round {
        id: get(r, "id")?,
        title: get(r, "title")?,
        object_kind: get(r, "object_kind")?,
        region_name: region_name(&region_code),
        region_code,
        reviewers_per_item: get(r, "reviewers_per_item")?,
        max_load: get(r, "max_load")?,
        coauthor_years: get(r, "coauthor_years")?,
        exclude_same_county: get(r, "exclude_same_county")?,
        due_on: get(r, "due_on")?,
        form: serde_json::from_str(&form).map_err(StoreError::corrupt)?,
        status: get(r, "status")?,
        assignment: assignment
            .map(|s| serde_json::from_str(&s))
            .transpose()
            .map_err(StoreError::corrupt)?,
        published_at: get(r, "published_at")?,
        item_count: get(r, "item_count")?,
        updated_at: get(r, "updated_at")?,
        region_path: get(r, "region_path")?,
    })
}

async fn get_round<C: ConnectionTrait>(c: &C, scope: &DataScope, id: i64) -> StoreResult<Round> {
    crate::record::get_in(c, scope, id).await
}

fn item_select() -> SelectStatement {
    let mut q = Query::select();
    q.columns(
        [
            "id",
            "round_id",
            "title",
            "object_ref",
            "org_id",
            "applicant_region",
            "disciplines",
            "keywords",
            "team",
            "avoid",
        ]
        .map(|c| ("review_items", c)),
    )
    .expr_as(Expr::col(("organizations", "name")), "org_name")
    .from("review_items")
    .left_join(
        "organizations",
        Expr::col(("organizations", "id")).equals(("review_items", "org_id")),
    );
    q
}

fn item_from_row(r: &QueryResult) -> StoreResult<Item> {
    Ok(Item {
        id: get(r, "id")?,
        round_id: get(r, "round_id")?,
        title: get(r, "title")?,
        object_ref: get(r, "object_ref")?,
        org_id: get(r, "org_id")?,
        org_name: get(r, "org_name")?,
        applicant_region: get(r, "applicant_region")?,
        disciplines: json_list(r, "disciplines")?,
        keywords: json_list(r, "keywords")?,
        team: json_list(r, "team")?,
        avoid: json_list(r, "avoid")?,
    })
}

async fn items_of<C: ConnectionTrait>(c: &C, round_id: i64) -> StoreResult<Vec<Item>> {
    let mut q = item_select();
    q.and_where(Expr::col(("review_items", "round_id")).eq(round_id))
        .order_by(("review_items", "id"), Order::Asc);
    sql::fetch_all(c, &q)
        .await?
        .iter()
        .map(item_from_row)
        .collect()
}

fn require_status(round: &Round, allowed: &[RoundStatus], what: &str) -> StoreResult<()> {
    let status = RoundStatus::parse(&round.status).map_err(StoreError::corrupt)?;
    if allowed.contains(&status) {
        Ok(())
    } else {
        Err(conflict(
            "status",
            "round.status",
            format!(
                "评审“{}”当前为“{}”，不能{what}",
                round.title,
                status.label()
            ),
        ))
    }
}

fn validate_items(items: &[ItemInput]) -> StoreResult<()> {
    let mut errors = Vec::new();
    for (n, i) in items.iter().enumerate() {
        if let Err(Invalid(es)) = i.validate(n) {
            errors.extend(es);
        }
    }
    if items.is_empty() || items.len() > 5000 {
        errors.push(FieldError::new(
            "items",
            "items.size",
            "每次添加1至5000个评审对象",
        ));
    }
    if !errors.is_empty() {
        return Err(Invalid(errors).into());
    }
    Ok(())
}

async fn insert_items(
    tx: &mut crate::audit::WriteTx,
    scope: &DataScope,
    round_id: i64,
    items: &[ItemInput],
) -> StoreResult<Vec<i64>> {
    let mut ids = Vec::with_capacity(items.len());
    for (n, i) in items.iter().enumerate() {
        let applicant_region = match i.org_id {
            Some(org) => Some(
                get_org(tx.conn(), scope, org)
                    .await
                    .map_err(|e| match e {
                        StoreError::NotFound => StoreError::Invalid(Invalid::one(
                            &format!("items[{n}].org_id"),
                            "org_id.unknown",
                            "申报单位不存在或不在您的管辖范围内",
                        )),
                        e => e,
                    })?
                    .region_code,
            ),
            None => None,
        };
        let id = tx.new_id();
        let mut ins = Query::insert();
        ins.into_table("review_items")
            .columns([
                "id",
                "round_id",
                "title",
                "object_ref",
                "org_id",
                "applicant_region",
                "disciplines",
                "keywords",
                "team",
                "avoid",
                "created_at",
            ])
            .values([
                id.into(),
                round_id.into(),
                i.title.trim().into(),
                i.object_ref.clone().into(),
                i.org_id.into(),
                applicant_region.into(),
                to_json(&i.disciplines)?.into(),
                to_json(&i.keywords)?.into(),
                to_json(&i.team)?.into(),
                to_json(&i.avoid)?.into(),
                now_ms().into(),
            ])
            .map_err(StoreError::corrupt)?;
        tx.conn().execute(&ins).await?;
        ids.push(id);
    }
    Ok(ids)
}

impl Store {
    pub async fn create_round(&self, caller: &Caller, r: &NewRound) -> StoreResult<Round> {
        self.create_round_with_items(caller, r, &[]).await
    }

    /// Create a round and its items in one transaction (a round built from a call's
    /// applications, say): both are stored or neither.
    pub async fn create_round_with_items(
        &self,
        caller: &Caller,
        r: &NewRound,
        items: &[ItemInput],
    ) -> StoreResult<Round> {
        if !items.is_empty() {
            validate_items(items)?;
        }
        let region = match (r.region, &caller.scope) {
            (Some(code), _) => code,
            (None, DataScope::Region { code, .. }) => {
                kechuang_domain::RegionCode::parse_known(code)?
            }
            (None, _) => {
                return Err(
                    Invalid::one("region", "region.required", "请填写组织评审的地区").into(),
                );
            }
        };
        let path = region_path(region)?;
        if !caller.scope.admits(RecordKeys {
            region_path: Some(&path),
            ..Default::default()
        }) {
            return Err(StoreError::Forbidden(
                "组织评审的地区不在您的管辖范围内".into(),
            ));
        }
        let mut tx = self.write(caller).await?;
        let round: Round = tx
            .create(vec![
                ("title", r.title.clone().into()),
                ("object_kind", r.object_kind.as_str().into()),
                ("region_code", region.to_string().into()),
                ("region_path", path.into()),
                ("reviewers_per_item", i64::from(r.reviewers_per_item).into()),
                ("max_load", i64::from(r.max_load).into()),
                ("coauthor_years", i64::from(r.coauthor_years).into()),
                ("exclude_same_county", r.exclude_same_county.into()),
                ("due_on", sql::date_text(r.due_on).into()),
                ("form_json", to_json(&r.form)?.into()),
                ("status", RoundStatus::Draft.as_str().into()),
            ])
            .await?;
        if !items.is_empty() {
            insert_items(&mut tx, &caller.scope, round.id, items).await?;
            tx.note_parts("add_items", &round, None, serde_json::to_value(items).ok());
        }
        let after = get_round(tx.conn(), &DataScope::All, round.id).await?;
        tx.commit().await?;
        Ok(after)
    }

    pub async fn list_rounds(
        &self,
        scope: &DataScope,
        page: PageRequest,
    ) -> StoreResult<Page<Round>> {
        let mut q = round_select();
        q.cond_where(sql::scope_condition(scope, ROUNDS))
            .order_by(("review_rounds", "id"), Order::Desc);
        sql::paged(&self.db, q, page, round_from_row).await
    }

    pub async fn get_round(&self, scope: &DataScope, id: i64) -> StoreResult<Round> {
        get_round(&self.db, scope, id).await
    }

    /// Add objects to a round in preparation. All or nothing.
    pub async fn add_items(
        &self,
        caller: &Caller,
        round_id: i64,
        items: &[ItemInput],
    ) -> StoreResult<Vec<Item>> {
        validate_items(items)?;
        let mut tx = self.write(caller).await?;
        let round = get_round(tx.conn(), &caller.scope, round_id).await?;
        require_status(&round, &[RoundStatus::Draft], "添加评审对象")?;
        let ids = insert_items(&mut tx, &caller.scope, round_id, items).await?;
        tx.note_parts("add_items", &round, None, serde_json::to_value(items).ok());
        let all = items_of(tx.conn(), round_id).await?;
        tx.commit().await?;
        Ok(all.into_iter().filter(|i| ids.contains(&i.id)).collect())
    }

    pub async fn list_items(&self, scope: &DataScope, round_id: i64) -> StoreResult<Vec<Item>> {
        get_round(&self.db, scope, round_id).await?;
        items_of(&self.db, round_id).await
    }

    /// The round, its items, the scope's active expert pool, co-memberships and current
    /// assignments: the assignment engine's input.
    pub async fn review_inputs(
        &self,
        scope: &DataScope,
        round_id: i64,
    ) -> StoreResult<ReviewInputs> {
        let round = get_round(&self.db, scope, round_id).await?;
        let items = items_of(&self.db, round_id).await?;
        let mut q = expert_select();
        q.cond_where(sql::scope_condition(scope, crate::persons::COLS))
            .order_by(("persons", "id"), Order::Asc)
            .limit(200_000);
        let experts = sql::fetch_all(&self.db, &q)
            .await?
            .iter()
            .map(expert_from_row)
            .collect::<StoreResult<Vec<_>>>()?;
        let mut people: Vec<i64> = experts.iter().map(|e| e.id).collect();
        people.extend(items.iter().flat_map(|i| i.team.iter().copied()));
        people.sort_unstable();
        people.dedup();
        let links = links_of(&self.db, &DataScope::All, &people).await?;
        let assignments = assignments_where(&self.db, scope, Some(round_id), None).await?;
        Ok(ReviewInputs {
            round,
            items,
            experts,
            links,
            assignments,
        })
    }

    /// Replace a round's assignment (while in preparation) by the engine's picks. `summary`
    /// records the method, objective, bound and seed for the round page and the audit log.
    pub async fn set_assignments(
        &self,
        caller: &Caller,
        round_id: i64,
        method: AssignmentMethod,
        picks: &[Pick],
        summary: serde_json::Value,
    ) -> StoreResult<Round> {
        let mut tx = self.write(caller).await?;
        let round = get_round(tx.conn(), &caller.scope, round_id).await?;
        require_status(&round, &[RoundStatus::Draft], "重新分配专家")?;
        let before = assignments_where(tx.conn(), &DataScope::All, Some(round_id), None).await?;
        let mut del = Query::delete();
        del.from_table("review_assignments")
            .and_where(Expr::col("round_id").eq(round_id));
        tx.conn().execute(&del).await?;
        for p in picks {
            insert_assignment(&mut tx, &round, *p, method).await?;
        }
        let pairs = |a: &[(i64, i64)]| serde_json::json!(a);
        tx.note_parts(
            "assign",
            &round,
            Some(pairs(
                &before
                    .iter()
                    .map(|a| (a.item_id, a.expert_id))
                    .collect::<Vec<_>>(),
            )),
            Some(serde_json::json!({
                "method": method.as_str(),
                "pairs": picks.iter().map(|p| (p.item_id, p.expert_id)).collect::<Vec<_>>(),
            })),
        );
        let after = tx
            .update_as(
                "assign",
                &round,
                vec![("assignment_json", summary.to_string().into())],
            )
            .await?;
        tx.commit().await?;
        Ok(after)
    }

    /// A hand adjustment (人工调整): add or remove one reviewer of one item, with the reason.
    pub async fn adjust_assignment(
        &self,
        caller: &Caller,
        round_id: i64,
        change: &ManualChange,
        affinity_micro: i64,
    ) -> StoreResult<Vec<Assignment>> {
        let reason = change.reason.trim();
        if reason.is_empty() || reason.chars().count() > 200 {
            return Err(Invalid::one(
                "reason",
                "reason.required",
                "人工调整须填写理由（不超过200字）",
            )
            .into());
        }
        let mut tx = self.write(caller).await?;
        let round = get_round(tx.conn(), &caller.scope, round_id).await?;
        require_status(
            &round,
            &[RoundStatus::Draft, RoundStatus::Published],
            "调整专家",
        )?;
        let items = items_of(tx.conn(), round_id).await?;
        if !items.iter().any(|i| i.id == change.item_id) {
            return Err(StoreError::NotFound);
        }
        let existing = assignments_where(tx.conn(), &DataScope::All, Some(round_id), None).await?;
        let pair = existing
            .iter()
            .find(|a| a.item_id == change.item_id && a.expert_id == change.expert_id);
        if change.remove {
            let a = pair.ok_or(StoreError::NotFound)?;
            if a.status == AssignmentStatus::Submitted.as_str() {
                return Err(conflict(
                    "expert_id",
                    "assignment.submitted",
                    "该专家已提交评分，不能移除",
                ));
            }
            let mut del = Query::delete();
            del.from_table("review_assignments")
                .and_where(Expr::col("id").eq(a.id));
            tx.conn().execute(&del).await?;
        } else {
            if pair.is_some() {
                return Err(conflict(
                    "expert_id",
                    "assignment.duplicate",
                    "该专家已分配到此评审对象",
                ));
            }
            get_expert(tx.conn(), &caller.scope, change.expert_id).await?;
            insert_assignment(
                &mut tx,
                &round,
                Pick {
                    item_id: change.item_id,
                    expert_id: change.expert_id,
                    affinity_micro,
                },
                AssignmentMethod::Manual,
            )
            .await?;
        }
        tx.note_parts(
            if change.remove {
                "unassign"
            } else {
                "assign_manual"
            },
            &round,
            None,
            serde_json::to_value(change).ok(),
        );
        let after = assignments_where(tx.conn(), &DataScope::All, Some(round_id), None).await?;
        tx.commit().await?;
        Ok(after)
    }

    /// 发布: experts can see and score their items. Every item must have its full reviewer count.
    pub async fn publish_round(&self, caller: &Caller, round_id: i64) -> StoreResult<Round> {
        self.set_round_status(caller, round_id, RoundStatus::Published)
            .await
    }

    /// 结束评审: no more scores; the ranked list is final.
    pub async fn close_round(&self, caller: &Caller, round_id: i64) -> StoreResult<Round> {
        self.set_round_status(caller, round_id, RoundStatus::Closed)
            .await
    }

    async fn set_round_status(
        &self,
        caller: &Caller,
        round_id: i64,
        to: RoundStatus,
    ) -> StoreResult<Round> {
        let mut tx = self.write(caller).await?;
        let round = get_round(tx.conn(), &caller.scope, round_id).await?;
        let from = match to {
            RoundStatus::Published => RoundStatus::Draft,
            RoundStatus::Closed => RoundStatus::Published,
            RoundStatus::Draft => {
                return Err(conflict("status", "round.status", "不能退回准备状态"));
            }
        };
        require_status(&round, &[from], to.label())?;
        if to == RoundStatus::Published {
            let items = items_of(tx.conn(), round_id).await?;
            if items.is_empty() {
                return Err(conflict("items", "round.empty", "评审中没有评审对象"));
            }
            let active =
                assignments_where(tx.conn(), &DataScope::All, Some(round_id), None).await?;
            let short: Vec<&str> = items
                .iter()
                .filter(|i| {
                    active
                        .iter()
                        .filter(|a| a.item_id == i.id && a.status != "declined")
                        .count()
                        < usize::try_from(round.reviewers_per_item).unwrap_or(usize::MAX)
                })
                .map(|i| i.title.as_str())
                .collect();
            if !short.is_empty() {
                return Err(conflict(
                    "assignments",
                    "round.understaffed",
                    format!(
                        "以下评审对象的专家不足{}名，不能发布：{}",
                        round.reviewers_per_item,
                        short.join("、")
                    ),
                ));
            }
        }
        let mut vals: Values = vec![("status", to.as_str().into())];
        if to == RoundStatus::Published {
            vals.push(("published_at", now_ms().into()));
        }
        let action = if to == RoundStatus::Published {
            "publish"
        } else {
            "close"
        };
        let after = tx.update_as(action, &round, vals).await?;
        tx.commit().await?;
        Ok(after)
    }
}

/// One hand adjustment of a round's assignment.
#[derive(Debug, Clone, Deserialize, Serialize, utoipa::ToSchema)]
pub struct ManualChange {
    pub item_id: i64,
    pub expert_id: i64,
    /// true: remove this reviewer; false: add.
    #[serde(default)]
    pub remove: bool,
    /// 调整理由 (audited)
    pub reason: String,
}

async fn insert_assignment(
    tx: &mut crate::audit::WriteTx,
    round: &Round,
    p: Pick,
    method: AssignmentMethod,
) -> StoreResult<i64> {
    let mut q = Query::select();
    q.column("user_id")
        .from("persons")
        .and_where(Expr::col("id").eq(p.expert_id));
    let user: Option<i64> = match sql::fetch_one(tx.conn(), &q).await? {
        Some(r) => get(&r, "user_id")?,
        None => {
            return Err(Invalid::one("expert_id", "expert.unknown", "专家不存在").into());
        }
    };
    let id = tx.new_id();
    let now = now_ms();
    let mut ins = Query::insert();
    ins.into_table("review_assignments")
        .columns([
            "id",
            "round_id",
            "item_id",
            "expert_id",
            "expert_user_id",
            "region_path",
            "affinity",
            "method",
            "status",
            "created_at",
            "updated_at",
        ])
        .values([
            id.into(),
            round.id.into(),
            p.item_id.into(),
            p.expert_id.into(),
            user.into(),
            round.region_path.clone().into(),
            p.affinity_micro.into(),
            method.as_str().into(),
            AssignmentStatus::Assigned.as_str().into(),
            now.into(),
            now.into(),
        ])
        .map_err(StoreError::corrupt)?;
    tx.conn().execute(&ins).await.map_err(|e| {
        if sql::is_unique_violation(&e) {
            conflict(
                "expert_id",
                "assignment.duplicate",
                "该专家已分配到此评审对象",
            )
        } else {
            e.into()
        }
    })?;
    Ok(id)
}

// ---------------------------------------------------------------------------------------------
// Assignments: the expert's side

fn assignment_select() -> SelectStatement {
    let mut q = Query::select();
    q.columns(
        [
            "id",
            "round_id",
            "item_id",
            "expert_id",
            "expert_user_id",
            "region_path",
            "affinity",
            "method",
            "status",
            "decline_reason",
            "scores_json",
            "total",
            "comment",
            "reminded_at",
            "submitted_at",
        ]
        .map(|c| ("review_assignments", c)),
    )
    .expr_as(Expr::col(("review_rounds", "title")), "round_title")
    .expr_as(Expr::col(("review_rounds", "status")), "round_status")
    .expr_as(Expr::col(("review_rounds", "due_on")), "due_on")
    .expr_as(Expr::col(("review_rounds", "form_json")), "form_json")
    .expr_as(Expr::col(("review_items", "title")), "item_title")
    .expr_as(Expr::col(("organizations", "name")), "item_org_name")
    .expr_as(Expr::col(("persons", "name")), "expert_name")
    .from("review_assignments")
    .inner_join(
        "review_rounds",
        Expr::col(("review_rounds", "id")).equals(("review_assignments", "round_id")),
    )
    .inner_join(
        "review_items",
        Expr::col(("review_items", "id")).equals(("review_assignments", "item_id")),
    )
    .inner_join(
        "persons",
        Expr::col(("persons", "id")).equals(("review_assignments", "expert_id")),
    )
    .left_join(
        "organizations",
        Expr::col(("organizations", "id")).equals(("review_items", "org_id")),
    );
    q
}

fn assignment_from_row(r: &QueryResult) -> StoreResult<Assignment> {
    let form: String = get(r, "form_json")?;
    let scores: Option<String> = get(r, "scores_json")?;
    Ok(Assignment {
        id: get(r, "id")?,
        round_id: get(r, "round_id")?,
        round_title: get(r, "round_title")?,
        round_status: get(r, "round_status")?,
        due_on: get(r, "due_on")?,
        form: serde_json::from_str(&form).map_err(StoreError::corrupt)?,
        item_id: get(r, "item_id")?,
        item_title: get(r, "item_title")?,
        item_org_name: get(r, "item_org_name")?,
        expert_id: get(r, "expert_id")?,
        expert_name: get(r, "expert_name")?,
        affinity: get::<i64>(r, "affinity")? as f64 / 1e6,
        method: get(r, "method")?,
        status: get(r, "status")?,
        decline_reason: get(r, "decline_reason")?,
        scores: scores
            .map(|s| serde_json::from_str(&s))
            .transpose()
            .map_err(StoreError::corrupt)?,
        total: get(r, "total")?,
        comment: get(r, "comment")?,
        reminded_at: get(r, "reminded_at")?,
        submitted_at: get(r, "submitted_at")?,
        region_path: get(r, "region_path")?,
        expert_user_id: get(r, "expert_user_id")?,
    })
}

async fn assignments_where<C: ConnectionTrait>(
    c: &C,
    scope: &DataScope,
    round_id: Option<i64>,
    id: Option<i64>,
) -> StoreResult<Vec<Assignment>> {
    let mut q = assignment_select();
    q.cond_where(sql::scope_condition(scope, ASSIGN));
    if let Some(r) = round_id {
        q.and_where(Expr::col(("review_assignments", "round_id")).eq(r));
    }
    if let Some(id) = id {
        q.and_where(Expr::col(("review_assignments", "id")).eq(id));
    }
    q.order_by(("review_assignments", "item_id"), Order::Asc)
        .order_by(("review_assignments", "id"), Order::Asc);
    sql::fetch_all(c, &q)
        .await?
        .iter()
        .map(assignment_from_row)
        .collect()
}

/// An expert's answer on one task.
#[derive(Debug, Clone, Deserialize, Serialize, utoipa::ToSchema)]
pub struct ScoreInput {
    pub scores: BTreeMap<String, f64>,
    #[serde(default)]
    pub comment: Option<String>,
}

impl Store {
    /// Assignments visible in the scope: an officer's round, or an expert's own tasks
    /// (`SelfOnly`; rounds still in preparation are hidden from experts).
    pub async fn list_assignments(
        &self,
        scope: &DataScope,
        round_id: Option<i64>,
    ) -> StoreResult<Vec<Assignment>> {
        let mut all = assignments_where(&self.db, scope, round_id, None).await?;
        if matches!(scope, DataScope::SelfOnly { .. }) {
            all.retain(|a| a.round_status != RoundStatus::Draft.as_str());
        }
        Ok(all)
    }

    pub async fn get_assignment(&self, scope: &DataScope, id: i64) -> StoreResult<Assignment> {
        let a = assignments_where(&self.db, scope, None, Some(id))
            .await?
            .into_iter()
            .next()
            .ok_or(StoreError::NotFound)?;
        if matches!(scope, DataScope::SelfOnly { .. })
            && a.round_status == RoundStatus::Draft.as_str()
        {
            return Err(StoreError::NotFound);
        }
        Ok(a)
    }

    /// Submit (or, while the round is open, revise) the scores of one task.
    pub async fn submit_scores(
        &self,
        caller: &Caller,
        id: i64,
        input: &ScoreInput,
    ) -> StoreResult<Assignment> {
        let comment = input
            .comment
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty());
        if comment.is_some_and(|c| c.chars().count() > 2000) {
            return Err(Invalid::one("comment", "comment.too_long", "评审意见不超过2000字").into());
        }
        let mut tx = self.write(caller).await?;
        let before = assignments_where(tx.conn(), &caller.scope, None, Some(id))
            .await?
            .into_iter()
            .next()
            .ok_or(StoreError::NotFound)?;
        if before.round_status != RoundStatus::Published.as_str() {
            return Err(conflict(
                "status",
                "round.status",
                "评审未开始或已结束，不能提交评分",
            ));
        }
        if before.status == AssignmentStatus::Declined.as_str() {
            return Err(conflict(
                "status",
                "assignment.declined",
                "您已回避或拒绝此项评审",
            ));
        }
        let total = kechuang_domain::review::validate_scores(&before.form, &input.scores)?;
        let after = tx
            .update_as(
                "score",
                &before,
                vec![
                    ("scores_json", to_json(&input.scores)?.into()),
                    ("total", total.into()),
                    ("comment", comment.map(str::to_owned).into()),
                    ("status", AssignmentStatus::Submitted.as_str().into()),
                    ("submitted_at", now_ms().into()),
                ],
            )
            .await?;
        tx.commit().await?;
        Ok(after)
    }

    /// An expert declines a task (拒绝) or declares a conflict of interest (主动回避); the
    /// replacement chosen by the engine (递补: the next best conflict-free expert), if any,
    /// is assigned in the same transaction.
    pub async fn decline_assignment(
        &self,
        caller: &Caller,
        id: i64,
        reason: &str,
        replacement: Option<Pick>,
    ) -> StoreResult<Option<Assignment>> {
        let reason = reason.trim();
        if reason.is_empty() || reason.chars().count() > 200 {
            return Err(Invalid::one(
                "reason",
                "reason.required",
                "请说明拒绝或回避的理由（不超过200字）",
            )
            .into());
        }
        let mut tx = self.write(caller).await?;
        let before = assignments_where(tx.conn(), &caller.scope, None, Some(id))
            .await?
            .into_iter()
            .next()
            .ok_or(StoreError::NotFound)?;
        if before.round_status != RoundStatus::Published.as_str()
            || before.status != AssignmentStatus::Assigned.as_str()
        {
            return Err(conflict(
                "status",
                "assignment.status",
                "只有评审中的待评审任务可以拒绝或回避",
            ));
        }
        tx.update_as(
            "decline",
            &before,
            vec![
                ("status", AssignmentStatus::Declined.as_str().into()),
                ("decline_reason", reason.into()),
            ],
        )
        .await?;
        let round = get_round(tx.conn(), &DataScope::All, before.round_id).await?;
        let new_id = match replacement {
            Some(p) if p.item_id == before.item_id => {
                Some(insert_assignment(&mut tx, &round, p, AssignmentMethod::Replacement).await?)
            }
            Some(_) => return Err(StoreError::corrupt("递补专家与评审对象不符")),
            None => None,
        };
        if let Some(p) = replacement {
            tx.note_parts(
                "replace",
                &round,
                None,
                Some(serde_json::json!({
                    "declined_assignment": id,
                    "item_id": p.item_id,
                    "replacement_expert_id": p.expert_id,
                })),
            );
        }
        let replaced = match new_id {
            Some(n) => assignments_where(tx.conn(), &DataScope::All, None, Some(n))
                .await?
                .into_iter()
                .next(),
            None => None,
        };
        tx.commit().await?;
        Ok(replaced)
    }

    /// 催办: mark every unsubmitted task of a published round whose deadline is before `today`
    /// as reminded; the expert's workspace shows the reminder. Returns how many were reminded.
    pub async fn remind_overdue(
        &self,
        caller: &Caller,
        round_id: i64,
        today: chrono::NaiveDate,
    ) -> StoreResult<u64> {
        let mut tx = self.write(caller).await?;
        let round = get_round(tx.conn(), &caller.scope, round_id).await?;
        require_status(&round, &[RoundStatus::Published], "催办")?;
        let overdue = round
            .due_on
            .as_deref()
            .and_then(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
            .is_some_and(|d| d < today);
        if !overdue {
            return Ok(0);
        }
        let mut up = Query::update();
        up.table("review_assignments")
            .value("reminded_at", now_ms())
            .and_where(Expr::col("round_id").eq(round_id))
            .and_where(Expr::col("status").eq(AssignmentStatus::Assigned.as_str()));
        let n = tx.conn().execute(&up).await?.rows_affected();
        tx.note_parts(
            "remind",
            &round,
            None,
            Some(serde_json::json!({ "reminded": n })),
        );
        tx.commit().await?;
        Ok(n)
    }
}

/// One row of an expert-pool import (专家库导入), validated by the caller.
#[derive(Debug, Clone)]
pub struct ExpertImportRow {
    pub person: kechuang_domain::person::NewPerson,
    pub max_load: i64,
    pub available_from: Option<String>,
    pub available_to: Option<String>,
    /// Co-memberships: (kind `project`|`paper`, reference, year).
    pub links: Vec<(LinkKind, String, i32)>,
}

impl Store {
    /// Import experts with their pool fields and co-memberships: one transaction, all or
    /// nothing, one audit record. Every row must lie in the caller's scope.
    pub async fn import_experts(
        &self,
        caller: &Caller,
        rows: &[ExpertImportRow],
        dry_run: bool,
    ) -> StoreResult<u64> {
        let mut tx = self.write(caller).await?;
        let now = now_ms();
        for (n, r) in rows.iter().enumerate() {
            let p = &r.person;
            let (region_code, path) = match (p.org_id, p.region) {
                (_, Some(code)) => (code.to_string(), region_path(code)?),
                (Some(org), None) => {
                    let o = get_org(tx.conn(), &caller.scope, org).await?;
                    (o.region_code, o.region_path)
                }
                (None, None) => {
                    return Err(Invalid::one(
                        &format!("rows[{n}].region"),
                        "region.required",
                        "无所在单位时必须填写行政区划",
                    )
                    .into());
                }
            };
            if !caller.scope.admits(RecordKeys {
                region_path: Some(&path),
                org_id: p.org_id,
                owner_user_id: None,
            }) {
                return Err(StoreError::Forbidden(format!(
                    "第{}行专家“{}”不在您的管辖范围内",
                    n + 2,
                    p.name
                )));
            }
            let id = tx.new_id();
            tx.create_with_id::<crate::persons::Person>(
                id,
                vec![
                    ("name", p.name.clone().into()),
                    ("org_id", p.org_id.into()),
                    ("region_code", region_code.into()),
                    ("region_path", path.into()),
                    ("title", p.title.clone().into()),
                    (
                        "title_level",
                        p.title_level.map(|t| t.as_str().to_owned()).into(),
                    ),
                    ("disciplines", to_json(&p.disciplines)?.into()),
                    ("keywords", to_json(&p.keywords)?.into()),
                    ("is_expert", true.into()),
                ],
                "import",
            )
            .await?;
            let mut ins = Query::insert();
            ins.into_table("expert_profiles")
                .columns([
                    "person_id",
                    "max_load",
                    "available_from",
                    "available_to",
                    "active",
                    "updated_at",
                    "updated_by",
                ])
                .values([
                    id.into(),
                    r.max_load.into(),
                    r.available_from.clone().into(),
                    r.available_to.clone().into(),
                    true.into(),
                    now.into(),
                    caller.user_id.into(),
                ])
                .map_err(StoreError::corrupt)?;
            tx.conn().execute(&ins).await?;
            for (kind, reference, year) in &r.links {
                let lid = tx.new_id();
                let mut ins = Query::insert();
                ins.into_table("person_links")
                    .columns([
                        "id",
                        "person_id",
                        "kind",
                        "ref",
                        "year",
                        "created_at",
                        "created_by",
                    ])
                    .values([
                        lid.into(),
                        id.into(),
                        kind.as_str().into(),
                        reference.clone().into(),
                        i64::from(*year).into(),
                        now.into(),
                        caller.user_id.into(),
                    ])
                    .map_err(StoreError::corrupt)?;
                tx.conn().execute(&ins).await?;
            }
        }
        if dry_run {
            // Dropping the transaction rolls everything back.
            return Ok(rows.len() as u64);
        }
        tx.commit().await?;
        Ok(rows.len() as u64)
    }
}
