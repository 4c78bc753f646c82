//! 人才: recognition applications (申报 → 提交, decided by the `talent-tiers` pack → 专家评审
//! through a review round → 认定 or 不予认定), recognised talents with their validity,
//! innovation teams, the experts of 院士工作站 / 中原学者工作站 (caps checked across every station
//! of the registry), and enterprises' talent demands.
//!
//! Private data of an application (phone, salary) is stored as given; the API masks it for
//! readers who do not need it. Identity numbers stay in the person registry, hashed.

use super::{Named, json_in, json_of, label, visible_person};
use crate::error::{StoreError, StoreResult};
use crate::funds::{invalid, refuse, visible_org, yuan};
use crate::orgs::region_name;
use crate::record::{ListFilter, RecordKind, Stamps, Values};
use crate::sql::{self, ScopeColumns, contains, get, i32_of};
use crate::{Caller, DataScope, Page, PageRequest, Store};
use kechuang_domain::people::{
    ApplicationStatus, DemandStatus, Education, Honour, NewDemand, NewStationExpert,
    NewTalentApplication, NewTeam, StationRole, TalentStatus, TalentTier,
};
use kechuang_domain::platform::{PlatformLevel, PlatformType};
use kechuang_domain::review::{ItemInput, NewRound, RoundStatus};
use kechuang_domain::scope::RecordKeys;
use sea_orm::QueryResult;
use sea_orm::sea_query::{Cond, Expr, ExprTrait, JoinType, Order, Query, SelectStatement};
use serde::{Deserialize, Serialize};

const AP: &str = "talent_applications";
const T: &str = "talents";
const TM: &str = "talent_teams";
const SE: &str = "station_experts";
const DM: &str = "talent_demands";

const fn org_kind(table: &'static str, entity: &'static str) -> RecordKind {
    RecordKind::own(
        ScopeColumns {
            table,
            region_path: Some("region_path"),
            org: Some("org_id"),
            owner: None,
        },
        entity,
        Stamps::ALL,
    )
}

pub(crate) const APPLICATION_KIND: RecordKind = org_kind(AP, "talent_application");
pub(crate) const TALENT_KIND: RecordKind = org_kind(T, "talent");
pub(crate) const TEAM_KIND: RecordKind = org_kind(TM, "talent_team");
pub(crate) const STATION_EXPERT_KIND: RecordKind = org_kind(SE, "station_expert");
pub(crate) const DEMAND_KIND: RecordKind = org_kind(DM, "talent_demand");

// ---------------------------------------------------------------------------------------------
// Applications
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct TalentApplication {
    pub id: i64,
    pub person_id: i64,
    pub person_name: String,
    pub title: Option<String>,
    pub disciplines: Vec<String>,
    pub org_id: i64,
    pub org_name: String,
    pub region_code: String,
    pub year: i32,
    pub claimed_tier: String,
    pub claimed_tier_label: String,
    pub birth_date: String,
    pub education: String,
    pub education_label: String,
    pub honours: Vec<String>,
    pub honour_labels: Vec<String>,
    pub evidence: String,
    pub full_time: bool,
    /// Unmasked here; the API masks it.
    pub phone: Option<String>,
    pub salary: Option<String>,
    pub status: String,
    pub status_label: String,
    /// 按认定条件可认定的层次 (the pack's answer at submission).
    pub matched_tier: Option<String>,
    pub matched_tier_label: Option<String>,
    pub explanation: String,
    pub rule: String,
    pub round_id: Option<i64>,
    pub round_title: Option<String>,
    pub round_status: Option<String>,
    /// 专家评审平均分.
    pub review_score: Option<String>,
    pub decision_note: Option<String>,
    pub decided_on: Option<String>,
    pub talent_id: Option<i64>,
    #[serde(skip)]
    pub region_path: String,
    pub updated_at: i64,
}

fn application_select() -> SelectStatement {
    let mut q = Query::select();
    q.columns(
        [
            "id",
            "person_id",
            "org_id",
            "region_path",
            "year",
            "claimed_tier",
            "birth_date",
            "education",
            "honours",
            "evidence",
            "full_time",
            "phone",
            "salary_fen",
            "status",
            "matched_tier",
            "explanation",
            "rule",
            "round_id",
            "review_score",
            "decision_note",
            "decided_on",
            "talent_id",
            "updated_at",
        ]
        .map(|c| (AP, c)),
    )
    .expr_as(Expr::col(("persons", "name")), "person_name")
    .expr_as(Expr::col(("persons", "title")), "person_title")
    .expr_as(Expr::col(("persons", "disciplines")), "disciplines")
    .expr_as(Expr::col(("organizations", "name")), "org_name")
    .expr_as(Expr::col(("organizations", "region_code")), "region_code")
    .expr_as(Expr::col(("review_rounds", "status")), "round_status")
    .expr_as(Expr::col(("review_rounds", "title")), "round_title")
    .from(AP)
    .inner_join(
        "persons",
        Expr::col(("persons", "id")).equals((AP, "person_id")),
    )
    .inner_join(
        "organizations",
        Expr::col(("organizations", "id")).equals((AP, "org_id")),
    )
    .left_join(
        "review_rounds",
        Expr::col(("review_rounds", "id")).equals((AP, "round_id")),
    );
    q
}

fn tier_label(t: &str) -> String {
    label(TalentTier::parse(t), TalentTier::label)
}

fn application_from_row(r: &QueryResult) -> StoreResult<TalentApplication> {
    let tier: String = get(r, "claimed_tier")?;
    let education: String = get(r, "education")?;
    let status: String = get(r, "status")?;
    let honours: Vec<String> = json_in(r, "honours")?;
    let matched: Option<String> = get(r, "matched_tier")?;
    let salary: Option<i64> = get(r, "salary_fen")?;
    Ok(TalentApplication {
        id: get(r, "id")?,
        person_id: get(r, "person_id")?,
        person_name: get(r, "person_name")?,
        title: get(r, "person_title")?,
        disciplines: json_in(r, "disciplines")?,
        org_id: get(r, "org_id")?,
        org_name: get(r, "org_name")?,
        region_code: get(r, "region_code")?,
        year: i32_of(r, "year")?,
        claimed_tier_label: tier_label(&tier),
        claimed_tier: tier,
        birth_date: get(r, "birth_date")?,
        education_label: label(Education::parse(&education), Education::label),
        education,
        honour_labels: honours
            .iter()
            .map(|h| label(Honour::parse(h), Honour::label))
            .collect(),
        honours,
        evidence: get(r, "evidence")?,
        full_time: get(r, "full_time")?,
        phone: get(r, "phone")?,
        salary: salary.map(yuan),
        status_label: label(ApplicationStatus::parse(&status), ApplicationStatus::label),
        status,
        matched_tier_label: matched.as_deref().map(tier_label),
        matched_tier: matched,
        explanation: get(r, "explanation")?,
        rule: get(r, "rule")?,
        round_id: get(r, "round_id")?,
        round_title: get(r, "round_title")?,
        round_status: get(r, "round_status")?,
        review_score: get(r, "review_score")?,
        decision_note: get(r, "decision_note")?,
        decided_on: get(r, "decided_on")?,
        talent_id: get(r, "talent_id")?,
        region_path: get(r, "region_path")?,
        updated_at: get(r, "updated_at")?,
    })
}

crate::record::impl_record!(
    TalentApplication,
    APPLICATION_KIND,
    application_select,
    application_from_row,
    |s| RecordKeys::org(&s.region_path, s.org_id),
    audit_json: |s| {
        // The audit trail keeps that private data changed, not the data itself.
        let mut v = serde_json::to_value(s).unwrap_or_default();
        if let Some(o) = v.as_object_mut() {
            for k in ["phone", "salary"] {
                if o.get(k).is_some_and(|x| !x.is_null()) {
                    o.insert(k.into(), serde_json::Value::String("已填写（不记入日志）".into()));
                }
            }
        }
        v
    }
);

#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
pub struct ApplicationFilter {
    pub year: Option<i32>,
    pub status: Option<String>,
    pub tier: Option<String>,
    pub org_id: Option<i64>,
    pub person_id: Option<i64>,
    /// Person or organization contains.
    pub q: Option<String>,
}

impl ListFilter for ApplicationFilter {
    fn apply(&self, q: &mut SelectStatement) -> StoreResult<()> {
        if let Some(v) = self.year {
            q.and_where(Expr::col((AP, "year")).eq(v));
        }
        if let Some(v) = self.status.as_deref().filter(|s| !s.is_empty()) {
            q.and_where(Expr::col((AP, "status")).eq(ApplicationStatus::parse(v)?.as_str()));
        }
        if let Some(v) = self.tier.as_deref().filter(|s| !s.is_empty()) {
            q.and_where(Expr::col((AP, "claimed_tier")).eq(TalentTier::parse(v)?.as_str()));
        }
        if let Some(v) = self.org_id {
            q.and_where(Expr::col((AP, "org_id")).eq(v));
        }
        if let Some(v) = self.person_id {
            q.and_where(Expr::col((AP, "person_id")).eq(v));
        }
        if let Some(t) = self.q.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            q.cond_where(
                Cond::any()
                    .add(Expr::col(("persons", "name")).like(contains(t)))
                    .add(Expr::col(("organizations", "name")).like(contains(t))),
            );
        }
        q.order_by((AP, "year"), Order::Desc)
            .order_by((AP, "id"), Order::Desc);
        Ok(())
    }
}

/// The pack's answer at submission, computed by the server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TierAnswer {
    pub tier: Option<TalentTier>,
    pub explanation: String,
    pub rule: String,
}

// ---------------------------------------------------------------------------------------------
// Talents
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Talent {
    pub id: i64,
    pub person_id: i64,
    pub person_name: String,
    pub title: Option<String>,
    pub disciplines: Vec<String>,
    pub application_id: Option<i64>,
    pub org_id: i64,
    pub org_name: String,
    pub region_code: String,
    pub region_name: String,
    pub tier: String,
    pub tier_label: String,
    pub year: i32,
    pub recognized_on: String,
    pub valid_until: String,
    pub certificate_no: String,
    pub status: String,
    pub status_label: String,
    #[serde(skip)]
    pub region_path: String,
    pub updated_at: i64,
}

fn talent_select() -> SelectStatement {
    let mut q = Query::select();
    q.columns(
        [
            "id",
            "person_id",
            "application_id",
            "org_id",
            "region_path",
            "tier",
            "year",
            "recognized_on",
            "valid_until",
            "certificate_no",
            "status",
            "updated_at",
        ]
        .map(|c| (T, c)),
    )
    .expr_as(Expr::col(("persons", "name")), "person_name")
    .expr_as(Expr::col(("persons", "title")), "person_title")
    .expr_as(Expr::col(("persons", "disciplines")), "disciplines")
    .expr_as(Expr::col(("organizations", "name")), "org_name")
    .expr_as(Expr::col(("organizations", "region_code")), "region_code")
    .from(T)
    .inner_join(
        "persons",
        Expr::col(("persons", "id")).equals((T, "person_id")),
    )
    .inner_join(
        "organizations",
        Expr::col(("organizations", "id")).equals((T, "org_id")),
    );
    q
}

fn talent_from_row(r: &QueryResult) -> StoreResult<Talent> {
    let tier: String = get(r, "tier")?;
    let mut status: String = get(r, "status")?;
    let region: String = get(r, "region_code")?;
    let valid_until: String = get(r, "valid_until")?;
    // A recognition lapses by the calendar: read as 已到期 once its validity has passed.
    if status == TalentStatus::Valid.as_str()
        && valid_until < crate::funds::vouchers::today_cn().to_string()
    {
        status = TalentStatus::Expired.as_str().into();
    }
    Ok(Talent {
        id: get(r, "id")?,
        person_id: get(r, "person_id")?,
        person_name: get(r, "person_name")?,
        title: get(r, "person_title")?,
        disciplines: json_in(r, "disciplines")?,
        application_id: get(r, "application_id")?,
        org_id: get(r, "org_id")?,
        org_name: get(r, "org_name")?,
        region_name: region_name(&region),
        region_code: region,
        tier_label: tier_label(&tier),
        tier,
        year: i32_of(r, "year")?,
        recognized_on: get(r, "recognized_on")?,
        valid_until,
        certificate_no: get(r, "certificate_no")?,
        status_label: label(TalentStatus::parse(&status), TalentStatus::label),
        status,
        region_path: get(r, "region_path")?,
        updated_at: get(r, "updated_at")?,
    })
}

crate::record::impl_record!(Talent, TALENT_KIND, talent_select, talent_from_row, |s| {
    RecordKeys::org(&s.region_path, s.org_id)
});

#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
pub struct TalentFilter {
    pub tier: Option<String>,
    pub status: Option<String>,
    pub year: Option<i32>,
    pub org_id: Option<i64>,
    pub person_id: Option<i64>,
    /// Person, organization or discipline contains.
    pub q: Option<String>,
}

impl ListFilter for TalentFilter {
    fn apply(&self, q: &mut SelectStatement) -> StoreResult<()> {
        if let Some(v) = self.tier.as_deref().filter(|s| !s.is_empty()) {
            q.and_where(Expr::col((T, "tier")).eq(TalentTier::parse(v)?.as_str()));
        }
        if let Some(v) = self.status.as_deref().filter(|s| !s.is_empty()) {
            q.and_where(Expr::col((T, "status")).eq(TalentStatus::parse(v)?.as_str()));
        }
        if let Some(v) = self.year {
            q.and_where(Expr::col((T, "year")).eq(v));
        }
        if let Some(v) = self.org_id {
            q.and_where(Expr::col((T, "org_id")).eq(v));
        }
        if let Some(v) = self.person_id {
            q.and_where(Expr::col((T, "person_id")).eq(v));
        }
        if let Some(t) = self.q.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            q.cond_where(
                Cond::any()
                    .add(Expr::col(("persons", "name")).like(contains(t)))
                    .add(Expr::col(("persons", "disciplines")).like(contains(t)))
                    .add(Expr::col(("organizations", "name")).like(contains(t))),
            );
        }
        q.order_by((T, "tier"), Order::Asc)
            .order_by((T, "recognized_on"), Order::Desc)
            .order_by((T, "id"), Order::Asc);
        Ok(())
    }
}

// ---------------------------------------------------------------------------------------------
// Teams
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Team {
    pub id: i64,
    pub name: String,
    pub org_id: i64,
    pub org_name: String,
    pub leader_id: i64,
    pub leader_name: String,
    pub members: Vec<Named>,
    pub field: String,
    pub year: i32,
    pub level: String,
    pub level_label: String,
    pub direction: String,
    pub status: String,
    #[serde(skip)]
    pub region_path: String,
    pub updated_at: i64,
}

fn team_select() -> SelectStatement {
    let mut q = Query::select();
    q.columns(
        [
            "id",
            "name",
            "org_id",
            "region_path",
            "leader_id",
            "members",
            "field",
            "year",
            "level",
            "direction",
            "status",
            "updated_at",
        ]
        .map(|c| (TM, c)),
    )
    .expr_as(Expr::col(("persons", "name")), "leader_name")
    .expr_as(Expr::col(("organizations", "name")), "org_name")
    .from(TM)
    .inner_join(
        "persons",
        Expr::col(("persons", "id")).equals((TM, "leader_id")),
    )
    .inner_join(
        "organizations",
        Expr::col(("organizations", "id")).equals((TM, "org_id")),
    );
    q
}

fn team_from_row(r: &QueryResult) -> StoreResult<Team> {
    let level: String = get(r, "level")?;
    Ok(Team {
        id: get(r, "id")?,
        name: get(r, "name")?,
        org_id: get(r, "org_id")?,
        org_name: get(r, "org_name")?,
        leader_id: get(r, "leader_id")?,
        leader_name: get(r, "leader_name")?,
        members: json_in(r, "members")?,
        field: get(r, "field")?,
        year: i32_of(r, "year")?,
        level_label: label(PlatformLevel::parse(&level), PlatformLevel::label),
        level,
        direction: get(r, "direction")?,
        status: get(r, "status")?,
        region_path: get(r, "region_path")?,
        updated_at: get(r, "updated_at")?,
    })
}

crate::record::impl_record!(Team, TEAM_KIND, team_select, team_from_row, |s| {
    RecordKeys::org(&s.region_path, s.org_id)
});

#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
pub struct TeamFilter {
    pub q: Option<String>,
    pub level: Option<String>,
    pub org_id: Option<i64>,
    /// Teams this person leads or belongs to.
    pub person_id: Option<i64>,
}

impl ListFilter for TeamFilter {
    fn apply(&self, q: &mut SelectStatement) -> StoreResult<()> {
        if let Some(t) = self.q.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            q.cond_where(
                Cond::any()
                    .add(Expr::col((TM, "name")).like(contains(t)))
                    .add(Expr::col((TM, "field")).like(contains(t)))
                    .add(Expr::col(("organizations", "name")).like(contains(t))),
            );
        }
        if let Some(v) = self.level.as_deref().filter(|s| !s.is_empty()) {
            q.and_where(Expr::col((TM, "level")).eq(PlatformLevel::parse(v)?.as_str()));
        }
        if let Some(v) = self.org_id {
            q.and_where(Expr::col((TM, "org_id")).eq(v));
        }
        if let Some(p) = self.person_id {
            q.cond_where(
                Cond::any()
                    .add(Expr::col((TM, "leader_id")).eq(p))
                    .add(Expr::col((TM, "members")).like(format!("%\"id\":{p},%"))),
            );
        }
        q.order_by((TM, "year"), Order::Desc)
            .order_by((TM, "id"), Order::Desc);
        Ok(())
    }
}

// ---------------------------------------------------------------------------------------------
// Work-station experts
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct StationExpert {
    pub id: i64,
    pub platform_id: i64,
    pub platform_name: String,
    pub platform_type: String,
    pub person_id: i64,
    pub person_name: String,
    pub role: String,
    pub role_label: String,
    pub contract_from: String,
    pub contract_to: String,
    pub onsite_days: i64,
    /// The pack's check when the expert joined.
    pub explanation: String,
    pub org_id: i64,
    pub org_name: String,
    #[serde(skip)]
    pub region_path: String,
    pub updated_at: i64,
}

fn station_select() -> SelectStatement {
    let mut q = Query::select();
    q.columns(
        [
            "id",
            "platform_id",
            "person_id",
            "role",
            "contract_from",
            "contract_to",
            "onsite_days",
            "explanation",
            "org_id",
            "region_path",
            "updated_at",
        ]
        .map(|c| (SE, c)),
    )
    .expr_as(Expr::col(("platforms", "name")), "platform_name")
    .expr_as(Expr::col(("platforms", "platform_type")), "platform_type")
    .expr_as(Expr::col(("persons", "name")), "person_name")
    .expr_as(Expr::col(("organizations", "name")), "org_name")
    .from(SE)
    .inner_join(
        "platforms",
        Expr::col(("platforms", "id")).equals((SE, "platform_id")),
    )
    .inner_join(
        "persons",
        Expr::col(("persons", "id")).equals((SE, "person_id")),
    )
    .inner_join(
        "organizations",
        Expr::col(("organizations", "id")).equals((SE, "org_id")),
    );
    q
}

fn station_from_row(r: &QueryResult) -> StoreResult<StationExpert> {
    let role: String = get(r, "role")?;
    Ok(StationExpert {
        id: get(r, "id")?,
        platform_id: get(r, "platform_id")?,
        platform_name: get(r, "platform_name")?,
        platform_type: get(r, "platform_type")?,
        person_id: get(r, "person_id")?,
        person_name: get(r, "person_name")?,
        role_label: label(StationRole::parse(&role), StationRole::label),
        role,
        contract_from: get(r, "contract_from")?,
        contract_to: get(r, "contract_to")?,
        onsite_days: get(r, "onsite_days")?,
        explanation: get(r, "explanation")?,
        org_id: get(r, "org_id")?,
        org_name: get(r, "org_name")?,
        region_path: get(r, "region_path")?,
        updated_at: get(r, "updated_at")?,
    })
}

crate::record::impl_record!(
    StationExpert,
    STATION_EXPERT_KIND,
    station_select,
    station_from_row,
    |s| RecordKeys::org(&s.region_path, s.org_id)
);

#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
pub struct StationFilter {
    pub platform_id: Option<i64>,
    pub person_id: Option<i64>,
}

impl ListFilter for StationFilter {
    fn apply(&self, q: &mut SelectStatement) -> StoreResult<()> {
        if let Some(v) = self.platform_id {
            q.and_where(Expr::col((SE, "platform_id")).eq(v));
        }
        if let Some(v) = self.person_id {
            q.and_where(Expr::col((SE, "person_id")).eq(v));
        }
        q.order_by((SE, "contract_from"), Order::Desc)
            .order_by((SE, "id"), Order::Desc);
        Ok(())
    }
}

/// An expert's other stations over a contract's years, across the whole registry (the caps
/// are national and provincial, whichever bureau filed the other stations).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct StationLoad {
    /// Stations whose contract overlaps the new one.
    pub stations: Vec<String>,
    /// Of those, the ones whose contract began in the new one's first year.
    pub new_this_year: i64,
}

/// The pack's answer on a station expert, computed by the server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StationAnswer {
    pub allowed: bool,
    pub explanation: String,
}

// ---------------------------------------------------------------------------------------------
// Demands
// ---------------------------------------------------------------------------------------------

/// `TalentDemand` in the OpenAPI document (the projects module has its own `Demand`).
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
#[schema(as = TalentDemand)]
pub struct Demand {
    pub id: i64,
    pub org_id: i64,
    pub org_name: String,
    pub region_code: String,
    pub region_name: String,
    pub title: String,
    pub field: String,
    pub keywords: Vec<String>,
    pub education: Option<String>,
    pub education_label: Option<String>,
    pub title_level: Option<String>,
    pub title_level_label: Option<String>,
    pub count: i64,
    pub description: String,
    pub deadline: String,
    pub status: String,
    pub status_label: String,
    #[serde(skip)]
    pub region_path: String,
    pub updated_at: i64,
}

fn demand_select() -> SelectStatement {
    let mut q = Query::select();
    q.columns(
        [
            "id",
            "org_id",
            "region_path",
            "title",
            "field",
            "keywords",
            "education",
            "title_level",
            "head_count",
            "description",
            "deadline",
            "status",
            "updated_at",
        ]
        .map(|c| (DM, c)),
    )
    .expr_as(Expr::col(("organizations", "name")), "org_name")
    .expr_as(Expr::col(("organizations", "region_code")), "region_code")
    .from(DM)
    .inner_join(
        "organizations",
        Expr::col(("organizations", "id")).equals((DM, "org_id")),
    );
    q
}

fn demand_from_row(r: &QueryResult) -> StoreResult<Demand> {
    let education: Option<String> = get(r, "education")?;
    let title_level: Option<String> = get(r, "title_level")?;
    let status: String = get(r, "status")?;
    let region: String = get(r, "region_code")?;
    Ok(Demand {
        id: get(r, "id")?,
        org_id: get(r, "org_id")?,
        org_name: get(r, "org_name")?,
        region_name: region_name(&region),
        region_code: region,
        title: get(r, "title")?,
        field: get(r, "field")?,
        keywords: json_in(r, "keywords")?,
        education_label: education
            .as_deref()
            .map(|e| label(Education::parse(e), Education::label)),
        education,
        title_level_label: title_level.as_deref().map(|t| {
            label(
                kechuang_domain::person::TitleLevel::parse(t),
                kechuang_domain::person::TitleLevel::label,
            )
        }),
        title_level,
        count: get(r, "head_count")?,
        description: get(r, "description")?,
        deadline: get(r, "deadline")?,
        status_label: label(DemandStatus::parse(&status), DemandStatus::label),
        status,
        region_path: get(r, "region_path")?,
        updated_at: get(r, "updated_at")?,
    })
}

crate::record::impl_record!(Demand, DEMAND_KIND, demand_select, demand_from_row, |s| {
    RecordKeys::org(&s.region_path, s.org_id)
});

#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
pub struct DemandFilter {
    pub q: Option<String>,
    pub status: Option<String>,
    pub org_id: Option<i64>,
}

impl ListFilter for DemandFilter {
    fn apply(&self, q: &mut SelectStatement) -> StoreResult<()> {
        if let Some(t) = self.q.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            q.cond_where(
                Cond::any()
                    .add(Expr::col((DM, "title")).like(contains(t)))
                    .add(Expr::col((DM, "field")).like(contains(t)))
                    .add(Expr::col(("organizations", "name")).like(contains(t))),
            );
        }
        if let Some(v) = self.status.as_deref().filter(|s| !s.is_empty()) {
            q.and_where(Expr::col((DM, "status")).eq(DemandStatus::parse(v)?.as_str()));
        }
        if let Some(v) = self.org_id {
            q.and_where(Expr::col((DM, "org_id")).eq(v));
        }
        q.order_by((DM, "id"), Order::Desc);
        Ok(())
    }
}

/// A row of the talent library (人才资源库): a person of the registry with what marks them as a
/// talent — a valid recognition, teams, work stations, commissioner service.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct LibraryRow {
    pub person_id: i64,
    pub name: String,
    pub org_id: Option<i64>,
    pub org_name: Option<String>,
    pub region_code: String,
    pub region_name: String,
    pub title: Option<String>,
    pub title_level: Option<String>,
    pub disciplines: Vec<String>,
    pub keywords: Vec<String>,
    pub is_expert: bool,
    pub talent_programme: Option<String>,
    pub tier: Option<String>,
    pub tier_label: Option<String>,
    /// The valid recognition, if any (its page).
    pub talent_id: Option<i64>,
    pub valid_until: Option<String>,
    pub commissioner: bool,
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
pub struct LibraryFilter {
    /// Name, discipline, keyword or organization contains.
    pub q: Option<String>,
    pub tier: Option<String>,
    /// recognized | expert | commissioner
    pub kind: Option<String>,
    pub org_id: Option<i64>,
    pub region: Option<String>,
}

fn library_select() -> SelectStatement {
    let mut q = Query::select();
    q.columns(
        [
            "id",
            "name",
            "org_id",
            "region_code",
            "title",
            "title_level",
            "disciplines",
            "keywords",
            "is_expert",
            "talent_programme",
        ]
        .map(|c| ("persons", c)),
    )
    .expr_as(Expr::col(("organizations", "name")), "org_name")
    .expr_as(Expr::col((T, "tier")), "tier")
    .expr_as(Expr::col((T, "id")), "talent_id")
    .expr_as(Expr::col((T, "valid_until")), "valid_until")
    .expr_as(
        Expr::cust(
            "(SELECT COUNT(*) FROM commissioners c WHERE c.person_id = persons.id AND c.status = 'active')",
        ),
        "serving",
    )
    .from("persons")
    .left_join(
        "organizations",
        Expr::col(("organizations", "id")).equals(("persons", "org_id")),
    )
    .join(
        JoinType::LeftJoin,
        T,
        Cond::all()
            .add(Expr::col((T, "person_id")).equals(("persons", "id")))
            .add(Expr::col((T, "status")).eq(TalentStatus::Valid.as_str()))
            .add(
                Expr::col((T, "valid_until"))
                    .gte(crate::funds::vouchers::today_cn().to_string()),
            ),
    );
    q
}

fn library_from_row(r: &QueryResult) -> StoreResult<LibraryRow> {
    let tier: Option<String> = get(r, "tier")?;
    let region: String = get(r, "region_code")?;
    Ok(LibraryRow {
        person_id: get(r, "id")?,
        name: get(r, "name")?,
        org_id: get(r, "org_id")?,
        org_name: get(r, "org_name")?,
        region_name: region_name(&region),
        region_code: region,
        title: get(r, "title")?,
        title_level: get(r, "title_level")?,
        disciplines: json_in(r, "disciplines")?,
        keywords: json_in(r, "keywords")?,
        is_expert: get(r, "is_expert")?,
        talent_programme: get(r, "talent_programme")?,
        tier_label: tier.as_deref().map(tier_label),
        tier,
        talent_id: get(r, "talent_id")?,
        valid_until: get(r, "valid_until")?,
        commissioner: get::<i64>(r, "serving")? > 0,
    })
}

fn application_values(a: &NewTalentApplication, region_path: &str) -> StoreResult<Values> {
    Ok(vec![
        ("person_id", a.person_id.into()),
        ("org_id", a.org_id.into()),
        ("region_path", region_path.to_owned().into()),
        ("year", a.year.into()),
        ("claimed_tier", a.claimed_tier.as_str().into()),
        ("birth_date", a.birth_date.to_string().into()),
        ("education", a.education.as_str().into()),
        (
            "honours",
            json_of(&a.honours.iter().map(|h| h.as_str()).collect::<Vec<_>>())?.into(),
        ),
        ("evidence", a.evidence.clone().into()),
        ("full_time", a.full_time.into()),
        ("phone", a.phone.clone().into()),
        ("salary_fen", a.salary_fen.into()),
    ])
}

async fn live_talent(tx: &crate::audit::WriteTx, person_id: i64) -> StoreResult<Option<Talent>> {
    let mut q = talent_select();
    q.and_where(Expr::col((T, "person_id")).eq(person_id))
        .and_where(Expr::col((T, "status")).eq(TalentStatus::Valid.as_str()))
        .and_where(
            Expr::col((T, "valid_until")).gte(crate::funds::vouchers::today_cn().to_string()),
        );
    match sql::fetch_one(tx.conn(), &q).await? {
        Some(r) => Ok(Some(talent_from_row(&r)?)),
        None => Ok(None),
    }
}

fn duplicate(t: &Talent) -> StoreError {
    refuse(
        "person_id",
        "talent.duplicate",
        format!(
            "{}已认定为{}（证书{}，有效期至{}），有效期内不重复认定",
            t.person_name, t.tier_label, t.certificate_no, t.valid_until
        ),
    )
}

impl Store {
    // --- applications ---------------------------------------------------------------------

    pub async fn list_talent_applications(
        &self,
        scope: &DataScope,
        f: &ApplicationFilter,
        page: PageRequest,
    ) -> StoreResult<Page<TalentApplication>> {
        self.list_records(scope, f, page).await
    }

    /// An application; once its review round has closed, the experts' mean score shows before
    /// the decision stores it.
    pub async fn get_talent_application(
        &self,
        scope: &DataScope,
        id: i64,
    ) -> StoreResult<TalentApplication> {
        let mut a: TalentApplication = self.get_record(scope, id).await?;
        if a.review_score.is_none()
            && a.round_status.as_deref() == Some(RoundStatus::Closed.as_str())
            && let Some(round) = a.round_id
        {
            a.review_score =
                crate::review::item_mean(&self.db, round, &format!("talent_application:{id}"))
                    .await?;
        }
        Ok(a)
    }

    /// A draft (申报单位 for its own staff, or the bureau). The person must work at the
    /// applying organization and hold no valid recognition.
    pub async fn create_talent_application(
        &self,
        caller: &Caller,
        a: &NewTalentApplication,
    ) -> StoreResult<TalentApplication> {
        let mut tx = self.write(caller).await?;
        let org = visible_org(&tx, "org_id", a.org_id).await?;
        let p = visible_person(&tx, "person_id", a.person_id).await?;
        if p.org_id != Some(org.id) {
            return Err(invalid(
                "person_id",
                "talent.employer",
                format!(
                    "{}不是{}的人员（人才专家库登记的单位不同）",
                    p.name, org.name
                ),
            ));
        }
        if let Some(t) = live_talent(&tx, p.id).await? {
            return Err(duplicate(&t));
        }
        let mut vals = application_values(a, &org.region_path)?;
        vals.extend([
            ("status", ApplicationStatus::Draft.as_str().into()),
            ("explanation", String::new().into()),
            ("rule", String::new().into()),
        ]);
        let after = tx.create(vals).await?;
        tx.commit().await?;
        Ok(after)
    }

    /// Change a draft.
    pub async fn update_talent_application(
        &self,
        caller: &Caller,
        id: i64,
        a: &NewTalentApplication,
    ) -> StoreResult<TalentApplication> {
        let mut tx = self.write(caller).await?;
        let before: TalentApplication = tx.get(id).await?;
        if before.status != ApplicationStatus::Draft.as_str() {
            return Err(refuse(
                "status",
                "talent.not_draft",
                format!("申请{}，不能修改", before.status_label),
            ));
        }
        if a.person_id != before.person_id || a.org_id != before.org_id {
            return Err(invalid(
                "person_id",
                "talent.fixed",
                "申报人和申报单位不能修改，请新建申请",
            ));
        }
        let vals = application_values(a, &before.region_path)?;
        let after = tx.update_as("update", &before, vals).await?;
        tx.commit().await?;
        Ok(after)
    }

    /// 提交: the pack's tier is kept with its explanation; a claim the pack finds no tier for
    /// is refused with the explanation, nothing changed.
    pub async fn submit_talent_application(
        &self,
        caller: &Caller,
        id: i64,
        answer: &TierAnswer,
    ) -> StoreResult<TalentApplication> {
        let mut tx = self.write(caller).await?;
        let before: TalentApplication = tx.get(id).await?;
        if before.status != ApplicationStatus::Draft.as_str() {
            return Err(refuse(
                "status",
                "talent.not_draft",
                format!("申请{}，不能再次提交", before.status_label),
            ));
        }
        if let Some(t) = live_talent(&tx, before.person_id).await? {
            return Err(duplicate(&t));
        }
        let Some(tier) = answer.tier else {
            return Err(refuse(
                "honours",
                "talent.not_qualified",
                format!("按所报条件不符合任何层次的认定条件：{}", answer.explanation),
            ));
        };
        let after = tx
            .update_as(
                "submit",
                &before,
                vec![
                    ("status", ApplicationStatus::Submitted.as_str().into()),
                    ("matched_tier", tier.as_str().into()),
                    ("explanation", answer.explanation.clone().into()),
                    ("rule", answer.rule.clone().into()),
                ],
            )
            .await?;
        tx.commit().await?;
        Ok(after)
    }

    /// 组织专家评审: a review round of the caller's region over submitted applications, each an
    /// item (`talent_application:{id}`) with the person's disciplines; the applications move to
    /// 评审中 in the same write. All or nothing.
    pub async fn start_talent_review(
        &self,
        caller: &Caller,
        round: &NewRound,
        ids: &[i64],
    ) -> StoreResult<crate::review::Round> {
        if ids.is_empty() {
            return Err(invalid(
                "application_ids",
                "review.no_items",
                "请选择要评审的申请",
            ));
        }
        let mut tx = self.write(caller).await?;
        let mut apps = Vec::with_capacity(ids.len());
        let mut items = Vec::with_capacity(ids.len());
        for id in ids {
            let a: TalentApplication = tx.get(*id).await?;
            if a.status != ApplicationStatus::Submitted.as_str() {
                return Err(refuse(
                    "application_ids",
                    "talent.not_submitted",
                    format!("{}的申请{}，不能组织评审", a.person_name, a.status_label),
                ));
            }
            let p: crate::persons::Person =
                crate::record::get_in(tx.conn(), &DataScope::All, a.person_id).await?;
            items.push(ItemInput {
                title: format!(
                    "{}（{}，申报{}）",
                    a.person_name, a.org_name, a.claimed_tier_label
                ),
                object_ref: Some(format!("talent_application:{}", a.id)),
                org_id: Some(a.org_id),
                disciplines: p.disciplines.clone(),
                keywords: p.keywords.clone(),
                team: vec![a.person_id],
                avoid: Vec::new(),
            });
            apps.push(a);
        }
        let r = Self::create_round_in(&mut tx, round, &items).await?;
        for a in &apps {
            tx.update_as(
                "review",
                a,
                vec![
                    ("status", ApplicationStatus::Reviewing.as_str().into()),
                    ("round_id", r.id.into()),
                ],
            )
            .await?;
        }
        tx.commit().await?;
        Ok(r)
    }

    /// The application a review task is about, read through the expert's assignment (their
    /// right to read it is the task, until the round closes). Private data is removed.
    pub async fn talent_for_review(
        &self,
        scope: &DataScope,
        assignment_id: i64,
    ) -> StoreResult<TalentApplication> {
        let id = self
            .assigned_object(scope, assignment_id, "talent_application:", "人才认定申请")
            .await?;
        let mut app: TalentApplication = self.get_record(&DataScope::All, id).await?;
        app.phone = None;
        app.salary = None;
        Ok(app)
    }

    /// 认定 or 不予认定, after the review round has closed. A recognition is a talent record
    /// of the pack's tier, valid for `valid_years`, with a certificate number counted in the
    /// write (`RC{year}{seq:04}`); a person holds one valid recognition at a time.
    pub async fn decide_talent_application(
        &self,
        caller: &Caller,
        id: i64,
        recognize: bool,
        note: &str,
        today: chrono::NaiveDate,
        valid_years: u32,
    ) -> StoreResult<TalentApplication> {
        let note = note.trim();
        if note.chars().count() > 500 {
            return Err(invalid("note", "note.length", "认定意见不超过500字"));
        }
        let mut tx = self.write(caller).await?;
        let before: TalentApplication = tx.get(id).await?;
        if before.status != ApplicationStatus::Reviewing.as_str() {
            return Err(refuse(
                "status",
                "talent.not_reviewed",
                format!(
                    "申请{}：须先组织专家评审，评审结束后才能认定",
                    before.status_label
                ),
            ));
        }
        let Some(round_id) = before.round_id else {
            return Err(refuse(
                "status",
                "talent.not_reviewed",
                "申请未组织专家评审",
            ));
        };
        if before.round_status.as_deref() != Some(RoundStatus::Closed.as_str()) {
            return Err(refuse(
                "status",
                "talent.review_open",
                "专家评审尚未结束，评审结束后才能认定",
            ));
        }
        let score =
            crate::review::item_mean(tx.conn(), round_id, &format!("talent_application:{id}"))
                .await?;
        if !recognize && note.is_empty() {
            return Err(invalid("note", "note.required", "不予认定须写明理由"));
        }
        let mut vals: Values = vec![
            ("review_score", score.clone().into()),
            ("decision_note", Some(note.to_owned()).into()),
            ("decided_on", today.to_string().into()),
        ];
        if recognize {
            if let Some(t) = live_talent(&tx, before.person_id).await? {
                return Err(duplicate(&t));
            }
            let tier = before
                .matched_tier
                .clone()
                .ok_or_else(|| StoreError::corrupt("已提交的申请没有认定层次"))?;
            let mut q = Query::select();
            q.expr_as(Expr::cust("COUNT(*)"), "n")
                .from(T)
                .and_where(Expr::col("year").eq(before.year));
            let seq: i64 = match sql::fetch_one(tx.conn(), &q).await? {
                Some(r) => get::<i64>(&r, "n")? + 1,
                None => 1,
            };
            let until = today
                .checked_add_months(chrono::Months::new(12 * valid_years))
                .and_then(|d| d.pred_opt())
                .unwrap_or(today);
            let talent: Talent = tx
                .create(vec![
                    ("person_id", before.person_id.into()),
                    ("application_id", before.id.into()),
                    ("org_id", before.org_id.into()),
                    ("region_path", before.region_path.clone().into()),
                    ("tier", tier.into()),
                    ("year", before.year.into()),
                    ("recognized_on", today.to_string().into()),
                    ("valid_until", until.to_string().into()),
                    (
                        "certificate_no",
                        format!("RC{}{seq:04}", before.year).into(),
                    ),
                    ("status", TalentStatus::Valid.as_str().into()),
                ])
                .await?;
            vals.push(("status", ApplicationStatus::Recognized.as_str().into()));
            vals.push(("talent_id", talent.id.into()));
        } else {
            vals.push(("status", ApplicationStatus::Refused.as_str().into()));
        }
        let after = tx.update_as("decide", &before, vals).await?;
        tx.commit().await?;
        Ok(after)
    }

    // --- talents --------------------------------------------------------------------------

    pub async fn list_talents(
        &self,
        scope: &DataScope,
        f: &TalentFilter,
        page: PageRequest,
    ) -> StoreResult<Page<Talent>> {
        self.list_records(scope, f, page).await
    }

    pub async fn export_talents(
        &self,
        scope: &DataScope,
        f: &TalentFilter,
        limit: u64,
    ) -> StoreResult<Vec<Talent>> {
        self.export_records(scope, f, limit).await
    }

    pub async fn get_talent(&self, scope: &DataScope, id: i64) -> StoreResult<Talent> {
        self.get_record(scope, id).await
    }

    /// 撤销 a recognition (with the reason in the audit entry's note).
    pub async fn revoke_talent(&self, caller: &Caller, id: i64) -> StoreResult<Talent> {
        let mut tx = self.write(caller).await?;
        let before: Talent = tx.get(id).await?;
        if before.status != TalentStatus::Valid.as_str() {
            return Err(refuse(
                "status",
                "talent.not_valid",
                format!("该人才认定{}", before.status_label),
            ));
        }
        let after = tx
            .update_as(
                "revoke",
                &before,
                vec![("status", TalentStatus::Revoked.as_str().into())],
            )
            .await?;
        tx.commit().await?;
        Ok(after)
    }

    /// Recognitions granted in `year` in scope (the subsidy programme's list).
    pub async fn talents_of_year(&self, scope: &DataScope, year: i32) -> StoreResult<Vec<Talent>> {
        self.export_talents(
            scope,
            &TalentFilter {
                year: Some(year),
                status: Some("valid".into()),
                ..Default::default()
            },
            1_000_000,
        )
        .await
    }

    // --- library --------------------------------------------------------------------------

    pub async fn talent_library(
        &self,
        scope: &DataScope,
        f: &LibraryFilter,
        page: PageRequest,
    ) -> StoreResult<Page<LibraryRow>> {
        let mut q = library_select();
        q.cond_where(sql::scope_condition(scope, crate::persons::COLS));
        if let Some(t) = f.q.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            q.cond_where(
                Cond::any()
                    .add(Expr::col(("persons", "name")).like(contains(t)))
                    .add(Expr::col(("persons", "disciplines")).like(contains(t)))
                    .add(Expr::col(("persons", "keywords")).like(contains(t)))
                    .add(Expr::col(("organizations", "name")).like(contains(t))),
            );
        }
        if let Some(v) = f.tier.as_deref().filter(|s| !s.is_empty()) {
            q.and_where(Expr::col((T, "tier")).eq(TalentTier::parse(v)?.as_str()));
        }
        match f.kind.as_deref().unwrap_or("") {
            "" => {}
            "recognized" => {
                q.and_where(Expr::col((T, "id")).is_not_null());
            }
            "expert" => {
                q.and_where(Expr::col(("persons", "is_expert")).eq(true));
            }
            "commissioner" => {
                q.and_where(Expr::cust(
                    "EXISTS (SELECT 1 FROM commissioners c WHERE c.person_id = persons.id AND c.status = 'active')",
                ));
            }
            other => {
                return Err(invalid(
                    "kind",
                    "kind.unknown",
                    format!("人才类别“{other}”无效，可选值：recognized、expert、commissioner"),
                ));
            }
        }
        if let Some(v) = f.org_id {
            q.and_where(Expr::col(("persons", "org_id")).eq(v));
        }
        if let Some(r) = f.region.as_deref().filter(|s| !s.is_empty()) {
            let path = crate::orgs::region_path(kechuang_domain::RegionCode::parse_known(r)?)?;
            q.cond_where(sql::region_match(("persons", "region_path"), &path));
        }
        q.order_by_expr(
            Expr::cust("CASE WHEN talents.tier IS NULL THEN 1 ELSE 0 END"),
            Order::Asc,
        )
        .order_by((T, "tier"), Order::Asc)
        .order_by(("persons", "id"), Order::Asc);
        self.paged(q, page, library_from_row).await
    }

    /// The library's candidates for a demand: persons of the demand's city (the region two
    /// levels above a county) with their professional fields only — no contact or identity
    /// data leaves the registry this way.
    pub async fn demand_candidates(
        &self,
        region_path: &str,
    ) -> StoreResult<Vec<kechuang_domain::people::Candidate>> {
        let city: String = {
            let parts: Vec<&str> = region_path.trim_matches('/').split('/').collect();
            format!("/{}/", parts[..parts.len().min(2)].join("/"))
        };
        let mut q = library_select();
        q.cond_where(sql::region_match(("persons", "region_path"), &city))
            .order_by(("persons", "id"), Order::Asc)
            .limit(50_000);
        sql::fetch_all(&self.db, &q)
            .await?
            .iter()
            .map(|r| {
                let row = library_from_row(r)?;
                Ok(kechuang_domain::people::Candidate {
                    person_id: row.person_id,
                    name: row.name,
                    org_name: row.org_name,
                    title: row.title,
                    title_level: row.title_level,
                    disciplines: row.disciplines,
                    keywords: row.keywords,
                    tier: row.tier_label,
                    region_code: row.region_code,
                })
            })
            .collect()
    }

    // --- teams ----------------------------------------------------------------------------

    pub async fn list_teams(
        &self,
        scope: &DataScope,
        f: &TeamFilter,
        page: PageRequest,
    ) -> StoreResult<Page<Team>> {
        self.list_records(scope, f, page).await
    }

    pub async fn get_team(&self, scope: &DataScope, id: i64) -> StoreResult<Team> {
        self.get_record(scope, id).await
    }

    pub async fn create_team(&self, caller: &Caller, t: &NewTeam) -> StoreResult<Team> {
        let mut tx = self.write(caller).await?;
        let org = visible_org(&tx, "host_org_id", t.host_org_id).await?;
        let leader = visible_person(&tx, "leader_id", t.leader_id).await?;
        let mut members = Vec::with_capacity(t.members.len());
        for m in &t.members {
            let p = visible_person(&tx, "members", *m).await?;
            members.push(Named {
                id: p.id,
                name: p.name,
            });
        }
        let after = tx
            .create(vec![
                ("name", t.name.clone().into()),
                ("org_id", org.id.into()),
                ("region_path", org.region_path.clone().into()),
                ("leader_id", leader.id.into()),
                ("members", json_of(&members)?.into()),
                ("field", t.field.clone().into()),
                ("year", t.year.into()),
                ("level", t.level.as_str().into()),
                ("direction", t.direction.clone().into()),
                ("status", "active".into()),
            ])
            .await?;
        tx.commit().await?;
        Ok(after)
    }

    // --- work stations --------------------------------------------------------------------

    pub async fn list_station_experts(
        &self,
        scope: &DataScope,
        f: &StationFilter,
        page: PageRequest,
    ) -> StoreResult<Page<StationExpert>> {
        self.list_records(scope, f, page).await
    }

    /// The person's other stations overlapping `[from, to]`, across the registry.
    pub async fn station_load(
        &self,
        person_id: i64,
        from: chrono::NaiveDate,
        to: chrono::NaiveDate,
    ) -> StoreResult<StationLoad> {
        let mut q = station_select();
        q.and_where(Expr::col((SE, "person_id")).eq(person_id))
            .and_where(Expr::col((SE, "contract_from")).lte(to.to_string()))
            .and_where(Expr::col((SE, "contract_to")).gte(from.to_string()));
        let mut load = StationLoad::default();
        use chrono::Datelike;
        let year = from.year().to_string();
        for r in sql::fetch_all(&self.db, &q).await? {
            let s = station_from_row(&r)?;
            if s.contract_from.starts_with(&year) {
                load.new_this_year += 1;
            }
            load.stations.push(s.platform_name);
        }
        Ok(load)
    }

    /// 进站: the platform must be a 院士工作站 (academicians) or 中原学者工作站 (scholars) in the
    /// caller's scope; `answer` is the work-stations pack's, computed on [`Store::station_load`].
    pub async fn add_station_expert(
        &self,
        caller: &Caller,
        platform_id: i64,
        e: &NewStationExpert,
        answer: &StationAnswer,
    ) -> StoreResult<StationExpert> {
        let mut tx = self.write(caller).await?;
        let p: crate::platforms::Platform = tx.get(platform_id).await?;
        let want = match e.role {
            StationRole::Scholar => PlatformType::ScholarWorkstation,
            _ => PlatformType::AcademicianWorkstation,
        };
        if p.platform_type != want.as_str() {
            return Err(invalid(
                "role",
                "station.type",
                format!(
                    "“{}”是{}，{}应进{}",
                    p.name,
                    p.platform_type_label,
                    e.role.label(),
                    want.label()
                ),
            ));
        }
        let person = visible_person(&tx, "person_id", e.person_id).await?;
        if !answer.allowed {
            return Err(refuse(
                "person_id",
                "station.cap",
                format!("{}不能进站：{}", person.name, answer.explanation),
            ));
        }
        let after = tx
            .create(vec![
                ("platform_id", p.id.into()),
                ("person_id", person.id.into()),
                ("role", e.role.as_str().into()),
                ("contract_from", e.contract_from.to_string().into()),
                ("contract_to", e.contract_to.to_string().into()),
                ("birth_date", sql::date_text(e.birth_date).into()),
                ("onsite_days", e.onsite_days.into()),
                ("explanation", answer.explanation.clone().into()),
                ("org_id", p.host_org_id.into()),
                ("region_path", p.region_path.clone().into()),
            ])
            .await?;
        tx.commit().await?;
        Ok(after)
    }

    // --- demands --------------------------------------------------------------------------

    pub async fn list_talent_demands(
        &self,
        scope: &DataScope,
        f: &DemandFilter,
        page: PageRequest,
    ) -> StoreResult<Page<Demand>> {
        self.list_records(scope, f, page).await
    }

    pub async fn get_talent_demand(&self, scope: &DataScope, id: i64) -> StoreResult<Demand> {
        self.get_record(scope, id).await
    }

    pub async fn create_talent_demand(
        &self,
        caller: &Caller,
        d: &NewDemand,
    ) -> StoreResult<Demand> {
        let mut tx = self.write(caller).await?;
        let org = visible_org(&tx, "org_id", d.org_id).await?;
        let after = tx
            .create(vec![
                ("org_id", org.id.into()),
                ("region_path", org.region_path.clone().into()),
                ("title", d.title.clone().into()),
                ("field", d.field.clone().into()),
                ("keywords", json_of(&d.keywords)?.into()),
                (
                    "education",
                    d.education.map(|e| e.as_str().to_owned()).into(),
                ),
                (
                    "title_level",
                    d.title_level.map(|t| t.as_str().to_owned()).into(),
                ),
                ("head_count", d.count.into()),
                ("description", d.description.clone().into()),
                ("deadline", d.deadline.to_string().into()),
                ("status", DemandStatus::Open.as_str().into()),
            ])
            .await?;
        tx.commit().await?;
        Ok(after)
    }

    pub async fn close_talent_demand(&self, caller: &Caller, id: i64) -> StoreResult<Demand> {
        let mut tx = self.write(caller).await?;
        let before: Demand = tx.get(id).await?;
        if before.status == DemandStatus::Closed.as_str() {
            return Err(refuse("status", "demand.closed", "该需求已关闭"));
        }
        let after = tx
            .update_as(
                "close",
                &before,
                vec![("status", DemandStatus::Closed.as_str().into())],
            )
            .await?;
        tx.commit().await?;
        Ok(after)
    }
}
