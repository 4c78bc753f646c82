//! 人才与科技特派员.
//!
//! - `commissioners` — a 科技特派员 (a person, a service team with its leader and members, or a
//!   legal person), filed in the region of the bureau that selected it, under its sending
//!   organization, and owned by the commissioner's own account (仅本人 scope).
//! - `commissioner_dispatches` — 派驻 to a village or township (named within its county's
//!   GB/T 2260 code), a cooperative or an enterprise, for a term. A two-party record: the service
//!   object's county and organization, and the commissioner's side (the selecting bureau's
//!   region and the sending organization); the commissioner reads it as owner.
//! - `service_logs` — 服务日志 of a dispatch (date inside the term and not in the future, kind,
//!   half days, people and households served, place, content), with evidence files kept with
//!   their SHA-256 (`service_log_files`) and the service object's confirmation; scoped like the
//!   dispatch. Only confirmed logs count in the assessment.
//! - `dispatch_ratings` — the service object's yearly 满意度 of a dispatch, written as a part of
//!   the dispatch.
//! - `commissioner_assessments` — one per commissioner and year, computed by the
//!   `commissioner-assessment` pack from the confirmed logs and the ratings, with its
//!   explanation; a re-run replaces it.
//!
//! Talents (applications, recognitions, teams, work stations, demands) are in `talents`.

pub mod talents;

use crate::error::{StoreError, StoreResult};
use crate::funds::{invalid, refuse, visible_org};
use crate::orgs::{region_name, region_path};
use crate::persons::Person;
use crate::record::{ListFilter, RecordKind, Stamps, Values};
use crate::sql::{self, ScopeColumns, contains, get};
use crate::{Caller, DataScope, Page, PageRequest, Store};
use kechuang_domain::people::{
    CommissionerKind, CommissionerStatus, DispatchStatus, Funding, Grade, NewCommissioner,
    NewDispatch, NewLog, RatingInput, ServiceKind, TargetKind, days_text,
};
use kechuang_domain::scope::RecordKeys;
use sea_orm::sea_query::{Cond, Expr, ExprTrait, JoinType, Order, Query, SelectStatement};
use sea_orm::{ConnectionTrait, QueryResult};
use serde::{Deserialize, Serialize};

const C: &str = "commissioners";
const D: &str = "commissioner_dispatches";
const L: &str = "service_logs";
const A: &str = "commissioner_assessments";

pub(crate) const COMMISSIONER_KIND: RecordKind = RecordKind::own(
    ScopeColumns {
        table: C,
        region_path: Some("region_path"),
        org: Some("org_id"),
        owner: Some("user_id"),
    },
    "commissioner",
    Stamps::ALL,
);
pub(crate) const DISPATCH_KIND: RecordKind = RecordKind::own(
    ScopeColumns {
        table: D,
        region_path: Some("region_path"),
        org: Some("target_org_id"),
        owner: Some("user_id"),
    },
    "commissioner_dispatch",
    Stamps::ALL,
)
.with_party(ScopeColumns {
    table: D,
    region_path: Some("home_region_path"),
    org: Some("home_org_id"),
    owner: None,
});
pub(crate) const LOG_KIND: RecordKind = RecordKind::own(
    ScopeColumns {
        table: L,
        region_path: Some("region_path"),
        org: Some("target_org_id"),
        owner: Some("user_id"),
    },
    "service_log",
    Stamps::ALL,
)
.with_party(ScopeColumns {
    table: L,
    region_path: Some("home_region_path"),
    org: Some("home_org_id"),
    owner: None,
});
pub(crate) const ASSESSMENT_KIND: RecordKind = RecordKind::own(
    ScopeColumns {
        table: A,
        region_path: Some("region_path"),
        org: Some("org_id"),
        owner: Some("user_id"),
    },
    "commissioner_assessment",
    Stamps::ALL,
);

pub(crate) fn label<T: Copy>(
    r: Result<T, kechuang_domain::Invalid>,
    f: fn(T) -> &'static str,
) -> String {
    r.map(f).unwrap_or_default().to_owned()
}

pub(crate) fn json_of<T: Serialize>(v: &T) -> StoreResult<String> {
    serde_json::to_string(v).map_err(StoreError::corrupt)
}

pub(crate) fn json_in<T: serde::de::DeserializeOwned>(
    r: &QueryResult,
    col: &str,
) -> StoreResult<T> {
    let s: String = get(r, col)?;
    serde_json::from_str(&s).map_err(|e| StoreError::corrupt(format!("{col}: {e}")))
}

/// A person named on a record, with the name as it was when written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Named {
    pub id: i64,
    pub name: String,
}

/// A person of the registry the caller may see, for a record that names them.
pub(crate) async fn visible_person(
    tx: &crate::audit::WriteTx,
    field: &str,
    id: i64,
) -> StoreResult<Person> {
    tx.get::<Person>(id).await.map_err(|e| match e {
        StoreError::NotFound => invalid(
            field,
            "person.unknown",
            format!("人员（编号{id}）不在人才专家库中或不在您的管辖范围内"),
        ),
        e => e,
    })
}

// ---------------------------------------------------------------------------------------------
// Commissioners
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Commissioner {
    pub id: i64,
    pub kind: String,
    pub kind_label: String,
    pub person_id: Option<i64>,
    /// The person (个人) or the team's leader (团长), as the registry names them now.
    pub person_name: Option<String>,
    /// 个人: the person's name; 服务团 / 法人: the registered name.
    pub name: String,
    /// 派出单位 (or the legal-person commissioner itself).
    pub org_id: i64,
    pub org_name: String,
    pub region_code: String,
    pub region_name: String,
    /// The commissioner's account (仅本人).
    pub user_id: Option<i64>,
    pub members: Vec<Named>,
    pub funding: String,
    pub funding_label: String,
    pub field: String,
    pub year: i32,
    pub term_from: String,
    pub term_to: String,
    /// Unmasked here; the API masks it for readers who do not need it.
    pub phone: Option<String>,
    pub station_id: Option<i64>,
    pub station_name: Option<String>,
    pub status: String,
    pub status_label: String,
    #[serde(skip)]
    pub region_path: String,
    pub updated_at: i64,
}

fn commissioner_select() -> SelectStatement {
    let mut q = Query::select();
    q.columns(
        [
            "id",
            "kind",
            "person_id",
            "name",
            "org_id",
            "region_code",
            "region_path",
            "user_id",
            "members",
            "funding",
            "field",
            "year",
            "term_from",
            "term_to",
            "phone",
            "station_id",
            "status",
            "updated_at",
        ]
        .map(|c| (C, c)),
    )
    .expr_as(Expr::col(("organizations", "name")), "org_name")
    .expr_as(Expr::col(("platforms", "name")), "station_name")
    .expr_as(Expr::col(("persons", "name")), "person_name")
    .from(C)
    .inner_join(
        "organizations",
        Expr::col(("organizations", "id")).equals((C, "org_id")),
    )
    .left_join(
        "persons",
        Expr::col(("persons", "id")).equals((C, "person_id")),
    )
    .left_join(
        "platforms",
        Expr::col(("platforms", "id")).equals((C, "station_id")),
    );
    q
}

/// A serving record whose term has passed reads as 期满 (ended): the calendar ends it, no
/// officer has to.
fn lapsed(status: String, until: &str, active: &str, ended: &str) -> String {
    if status == active && until < crate::funds::vouchers::today_cn().to_string().as_str() {
        ended.to_owned()
    } else {
        status
    }
}

/// The filter matching [`lapsed`]: 在岗 is active with the term not passed; 期满 is ended, or
/// active with the term passed.
fn status_cond(
    status: (&'static str, &'static str),
    until: (&'static str, &'static str),
    want: &str,
    active: &str,
    ended: &str,
) -> Cond {
    let today = crate::funds::vouchers::today_cn().to_string();
    if want == active {
        Cond::all()
            .add(Expr::col(status).eq(active))
            .add(Expr::col(until).gte(today))
    } else if want == ended {
        Cond::any().add(Expr::col(status).eq(ended)).add(
            Cond::all()
                .add(Expr::col(status).eq(active))
                .add(Expr::col(until).lt(today)),
        )
    } else {
        Cond::all().add(Expr::col(status).eq(want.to_owned()))
    }
}

/// A term `[from, to]` (date columns) that overlaps the year `y`: serving in that year.
fn serving_in(
    from: (&'static str, &'static str),
    to: (&'static str, &'static str),
    y: i32,
) -> Cond {
    Cond::all()
        .add(Expr::col(from).lte(format!("{y}-12-31")))
        .add(Expr::col(to).gte(format!("{y}-01-01")))
}

fn commissioner_from_row(r: &QueryResult) -> StoreResult<Commissioner> {
    let kind: String = get(r, "kind")?;
    let funding: String = get(r, "funding")?;
    let term_to: String = get(r, "term_to")?;
    let status = lapsed(
        get(r, "status")?,
        &term_to,
        CommissionerStatus::Active.as_str(),
        CommissionerStatus::Ended.as_str(),
    );
    let region: String = get(r, "region_code")?;
    Ok(Commissioner {
        id: get(r, "id")?,
        kind_label: label(CommissionerKind::parse(&kind), CommissionerKind::label),
        kind,
        person_id: get(r, "person_id")?,
        person_name: get(r, "person_name")?,
        name: get(r, "name")?,
        org_id: get(r, "org_id")?,
        org_name: get(r, "org_name")?,
        region_name: region_name(&region),
        region_code: region,
        user_id: get(r, "user_id")?,
        members: json_in(r, "members")?,
        funding_label: label(Funding::parse(&funding), Funding::label),
        funding,
        field: get(r, "field")?,
        year: crate::sql::i32_of(r, "year")?,
        term_from: get(r, "term_from")?,
        term_to,
        phone: get(r, "phone")?,
        station_id: get(r, "station_id")?,
        station_name: get(r, "station_name")?,
        status_label: label(
            CommissionerStatus::parse(&status),
            CommissionerStatus::label,
        ),
        status,
        region_path: get(r, "region_path")?,
        updated_at: get(r, "updated_at")?,
    })
}

crate::record::impl_record!(
    Commissioner,
    COMMISSIONER_KIND,
    commissioner_select,
    commissioner_from_row,
    |s| RecordKeys {
        region_path: Some(&s.region_path),
        org_id: Some(s.org_id),
        owner_user_id: s.user_id,
    }
);

#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
pub struct CommissionerFilter {
    /// Name, field or sending organization contains.
    pub q: Option<String>,
    pub kind: Option<String>,
    pub funding: Option<String>,
    pub status: Option<String>,
    pub year: Option<i32>,
    pub org_id: Option<i64>,
    /// Only this account's (the commissioner's own page).
    #[serde(skip)]
    #[param(ignore)]
    pub user_id: Option<i64>,
}

impl ListFilter for CommissionerFilter {
    fn apply(&self, q: &mut SelectStatement) -> StoreResult<()> {
        if let Some(t) = self.q.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            q.cond_where(
                Cond::any()
                    .add(Expr::col((C, "name")).like(contains(t)))
                    .add(Expr::col((C, "field")).like(contains(t)))
                    .add(Expr::col(("organizations", "name")).like(contains(t))),
            );
        }
        if let Some(v) = self.kind.as_deref().filter(|s| !s.is_empty()) {
            q.and_where(Expr::col((C, "kind")).eq(CommissionerKind::parse(v)?.as_str()));
        }
        if let Some(v) = self.funding.as_deref().filter(|s| !s.is_empty()) {
            q.and_where(Expr::col((C, "funding")).eq(Funding::parse(v)?.as_str()));
        }
        if let Some(v) = self.status.as_deref().filter(|s| !s.is_empty()) {
            q.cond_where(status_cond(
                (C, "status"),
                (C, "term_to"),
                CommissionerStatus::parse(v)?.as_str(),
                CommissionerStatus::Active.as_str(),
                CommissionerStatus::Ended.as_str(),
            ));
        }
        if let Some(y) = self.year {
            q.cond_where(serving_in((C, "term_from"), (C, "term_to"), y));
        }
        if let Some(v) = self.org_id {
            q.and_where(Expr::col((C, "org_id")).eq(v));
        }
        if let Some(v) = self.user_id {
            q.and_where(Expr::col((C, "user_id")).eq(v));
        }
        q.order_by((C, "year"), Order::Desc)
            .order_by((C, "id"), Order::Desc);
        Ok(())
    }
}

// ---------------------------------------------------------------------------------------------
// Dispatches
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Dispatch {
    pub id: i64,
    pub commissioner_id: i64,
    pub commissioner_name: String,
    pub commissioner_kind: String,
    pub target_kind: String,
    pub target_kind_label: String,
    pub county_code: String,
    pub county_name: String,
    pub place: String,
    pub target_org_id: Option<i64>,
    pub target_org_name: Option<String>,
    pub starts_on: String,
    pub ends_on: String,
    pub agreement_no: String,
    pub tasks: String,
    pub status: String,
    pub status_label: String,
    pub user_id: Option<i64>,
    pub home_org_id: i64,
    pub home_org_name: String,
    #[serde(skip)]
    pub region_path: String,
    #[serde(skip)]
    pub home_region_path: String,
    pub updated_at: i64,
}

fn dispatch_select() -> SelectStatement {
    let mut q = Query::select();
    q.columns(
        [
            "id",
            "commissioner_id",
            "target_kind",
            "county_code",
            "region_path",
            "place",
            "target_org_id",
            "starts_on",
            "ends_on",
            "agreement_no",
            "tasks",
            "status",
            "user_id",
            "home_region_path",
            "home_org_id",
            "updated_at",
        ]
        .map(|c| (D, c)),
    )
    .expr_as(Expr::col((C, "name")), "commissioner_name")
    .expr_as(Expr::col((C, "kind")), "commissioner_kind")
    .expr_as(Expr::col(("t", "name")), "target_org_name")
    .expr_as(Expr::col(("h", "name")), "home_org_name")
    .from(D)
    .inner_join(C, Expr::col((C, "id")).equals((D, "commissioner_id")))
    .join_as(
        JoinType::LeftJoin,
        "organizations",
        "t",
        Expr::col(("t", "id")).equals((D, "target_org_id")),
    )
    .join_as(
        JoinType::InnerJoin,
        "organizations",
        "h",
        Expr::col(("h", "id")).equals((D, "home_org_id")),
    );
    q
}

fn dispatch_from_row(r: &QueryResult) -> StoreResult<Dispatch> {
    let kind: String = get(r, "target_kind")?;
    let ends_on: String = get(r, "ends_on")?;
    let status = lapsed(
        get(r, "status")?,
        &ends_on,
        DispatchStatus::Active.as_str(),
        DispatchStatus::Ended.as_str(),
    );
    let county: String = get(r, "county_code")?;
    Ok(Dispatch {
        id: get(r, "id")?,
        commissioner_id: get(r, "commissioner_id")?,
        commissioner_name: get(r, "commissioner_name")?,
        commissioner_kind: get(r, "commissioner_kind")?,
        target_kind_label: label(TargetKind::parse(&kind), TargetKind::label),
        target_kind: kind,
        county_name: region_name(&county),
        county_code: county,
        place: get(r, "place")?,
        target_org_id: get(r, "target_org_id")?,
        target_org_name: get(r, "target_org_name")?,
        starts_on: get(r, "starts_on")?,
        ends_on,
        agreement_no: get(r, "agreement_no")?,
        tasks: get(r, "tasks")?,
        status_label: label(DispatchStatus::parse(&status), DispatchStatus::label),
        status,
        user_id: get(r, "user_id")?,
        home_org_id: get(r, "home_org_id")?,
        home_org_name: get(r, "home_org_name")?,
        region_path: get(r, "region_path")?,
        home_region_path: get(r, "home_region_path")?,
        updated_at: get(r, "updated_at")?,
    })
}

crate::record::impl_record!(
    Dispatch,
    DISPATCH_KIND,
    dispatch_select,
    dispatch_from_row,
    |s| RecordKeys {
        region_path: Some(&s.region_path),
        org_id: s.target_org_id,
        owner_user_id: s.user_id,
    },
    party: |s| RecordKeys::org(&s.home_region_path, s.home_org_id)
);

#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
pub struct DispatchFilter {
    pub commissioner_id: Option<i64>,
    /// County (GB/T 2260) of the service object, or a city/province above it.
    pub region: Option<String>,
    pub target_kind: Option<String>,
    pub status: Option<String>,
    /// Serving in this year (the term overlaps it).
    pub year: Option<i32>,
    /// Place, commissioner or service object contains.
    pub q: Option<String>,
}

impl ListFilter for DispatchFilter {
    fn apply(&self, q: &mut SelectStatement) -> StoreResult<()> {
        if let Some(v) = self.commissioner_id {
            q.and_where(Expr::col((D, "commissioner_id")).eq(v));
        }
        if let Some(r) = self.region.as_deref().filter(|s| !s.is_empty()) {
            let path = region_path(kechuang_domain::RegionCode::parse_known(r)?)?;
            q.cond_where(sql::region_match((D, "region_path"), &path));
        }
        if let Some(v) = self.target_kind.as_deref().filter(|s| !s.is_empty()) {
            q.and_where(Expr::col((D, "target_kind")).eq(TargetKind::parse(v)?.as_str()));
        }
        if let Some(v) = self.status.as_deref().filter(|s| !s.is_empty()) {
            q.cond_where(status_cond(
                (D, "status"),
                (D, "ends_on"),
                DispatchStatus::parse(v)?.as_str(),
                DispatchStatus::Active.as_str(),
                DispatchStatus::Ended.as_str(),
            ));
        }
        if let Some(y) = self.year {
            q.cond_where(serving_in((D, "starts_on"), (D, "ends_on"), y));
        }
        if let Some(t) = self.q.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            q.cond_where(
                Cond::any()
                    .add(Expr::col((D, "place")).like(contains(t)))
                    .add(Expr::col((C, "name")).like(contains(t)))
                    .add(Expr::col(("t", "name")).like(contains(t))),
            );
        }
        q.order_by((D, "starts_on"), Order::Desc)
            .order_by((D, "id"), Order::Desc);
        Ok(())
    }
}

/// A dispatch's rating of a year by its service object.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Rating {
    pub dispatch_id: i64,
    pub year: i32,
    pub score: i64,
    pub comment: String,
    /// Who rated: the service object's account, or the bureau recording a village's rating.
    pub rated_by: String,
    pub rated_at: i64,
}

/// Dispatches, commissioners, confirmed services and households of one township (乡镇) of a
/// county in a year, for the dispatch map.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct CountyCount {
    pub county_code: String,
    pub county_name: String,
    /// 乡镇 (read from the dispatch's place).
    pub town: String,
    pub dispatches: i64,
    pub commissioners: i64,
    pub logs: i64,
    pub households: i64,
}

// ---------------------------------------------------------------------------------------------
// Service logs
// ---------------------------------------------------------------------------------------------

/// An evidence file of a log (photo or PDF), kept with its digest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Evidence {
    pub id: i64,
    pub name: String,
    pub content_type: String,
    pub size_bytes: i64,
    pub sha256: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct ServiceLog {
    pub id: i64,
    pub dispatch_id: i64,
    pub commissioner_id: i64,
    pub commissioner_name: String,
    pub served_on: String,
    pub year: i32,
    pub kind: String,
    pub kind_label: String,
    /// 服务天数 (0.5 steps).
    pub days: String,
    pub half_days: i64,
    pub people: i64,
    pub households: i64,
    pub place: String,
    pub content: String,
    pub evidence: Vec<Evidence>,
    /// 受援方确认.
    pub confirmed_on: Option<String>,
    pub confirmed_by: Option<String>,
    pub county_name: String,
    pub target_org_id: Option<i64>,
    pub user_id: Option<i64>,
    pub home_org_id: i64,
    /// What the caller may do with it (filled by the API: attach, delete, confirm).
    pub actions: Vec<String>,
    #[serde(skip)]
    pub region_path: String,
    #[serde(skip)]
    pub home_region_path: String,
    pub updated_at: i64,
}

fn log_select() -> SelectStatement {
    let mut q = Query::select();
    q.columns(
        [
            "id",
            "dispatch_id",
            "commissioner_id",
            "served_on",
            "year",
            "kind",
            "half_days",
            "people",
            "households",
            "place",
            "content",
            "evidence",
            "confirmed_on",
            "confirmed_by",
            "region_path",
            "target_org_id",
            "user_id",
            "home_region_path",
            "home_org_id",
            "updated_at",
        ]
        .map(|c| (L, c)),
    )
    .expr_as(Expr::col((C, "name")), "commissioner_name")
    .expr_as(Expr::col((D, "county_code")), "county_code")
    .from(L)
    .inner_join(C, Expr::col((C, "id")).equals((L, "commissioner_id")))
    .inner_join(D, Expr::col((D, "id")).equals((L, "dispatch_id")));
    q
}

fn log_from_row(r: &QueryResult) -> StoreResult<ServiceLog> {
    let kind: String = get(r, "kind")?;
    let halves: i64 = get(r, "half_days")?;
    Ok(ServiceLog {
        id: get(r, "id")?,
        dispatch_id: get(r, "dispatch_id")?,
        commissioner_id: get(r, "commissioner_id")?,
        commissioner_name: get(r, "commissioner_name")?,
        served_on: get(r, "served_on")?,
        year: crate::sql::i32_of(r, "year")?,
        kind_label: label(ServiceKind::parse(&kind), ServiceKind::label),
        kind,
        days: days_text(halves),
        half_days: halves,
        people: get(r, "people")?,
        households: get(r, "households")?,
        place: get(r, "place")?,
        content: get(r, "content")?,
        evidence: json_in(r, "evidence")?,
        confirmed_on: get(r, "confirmed_on")?,
        confirmed_by: get(r, "confirmed_by")?,
        county_name: region_name(&get::<String>(r, "county_code")?),
        target_org_id: get(r, "target_org_id")?,
        user_id: get(r, "user_id")?,
        home_org_id: get(r, "home_org_id")?,
        actions: Vec::new(),
        region_path: get(r, "region_path")?,
        home_region_path: get(r, "home_region_path")?,
        updated_at: get(r, "updated_at")?,
    })
}

crate::record::impl_record!(
    ServiceLog,
    LOG_KIND,
    log_select,
    log_from_row,
    |s| RecordKeys {
        region_path: Some(&s.region_path),
        org_id: s.target_org_id,
        owner_user_id: s.user_id,
    },
    party: |s| RecordKeys::org(&s.home_region_path, s.home_org_id)
);

#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
pub struct LogFilter {
    pub commissioner_id: Option<i64>,
    pub dispatch_id: Option<i64>,
    pub year: Option<i32>,
    pub kind: Option<String>,
    /// confirmed | pending
    pub confirmed: Option<String>,
    pub region: Option<String>,
    /// Place or content contains.
    pub q: Option<String>,
}

impl ListFilter for LogFilter {
    fn apply(&self, q: &mut SelectStatement) -> StoreResult<()> {
        if let Some(v) = self.commissioner_id {
            q.and_where(Expr::col((L, "commissioner_id")).eq(v));
        }
        if let Some(v) = self.dispatch_id {
            q.and_where(Expr::col((L, "dispatch_id")).eq(v));
        }
        if let Some(v) = self.year {
            q.and_where(Expr::col((L, "year")).eq(v));
        }
        if let Some(v) = self.kind.as_deref().filter(|s| !s.is_empty()) {
            q.and_where(Expr::col((L, "kind")).eq(ServiceKind::parse(v)?.as_str()));
        }
        match self.confirmed.as_deref() {
            Some("confirmed") => {
                q.and_where(Expr::col((L, "confirmed_on")).is_not_null());
            }
            Some("pending") => {
                q.and_where(Expr::col((L, "confirmed_on")).is_null());
            }
            Some("") | None => {}
            Some(other) => {
                return Err(invalid(
                    "confirmed",
                    "confirmed.unknown",
                    format!("确认状态“{other}”无效，可选值：confirmed、pending"),
                ));
            }
        }
        if let Some(r) = self.region.as_deref().filter(|s| !s.is_empty()) {
            let path = region_path(kechuang_domain::RegionCode::parse_known(r)?)?;
            q.cond_where(sql::region_match((L, "region_path"), &path));
        }
        if let Some(t) = self.q.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            q.cond_where(
                Cond::any()
                    .add(Expr::col((L, "place")).like(contains(t)))
                    .add(Expr::col((L, "content")).like(contains(t))),
            );
        }
        q.order_by((L, "served_on"), Order::Desc)
            .order_by((L, "id"), Order::Desc);
        Ok(())
    }
}

// ---------------------------------------------------------------------------------------------
// Assessments
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
#[schema(as = CommissionerAssessment)]
pub struct Assessment {
    pub id: i64,
    pub commissioner_id: i64,
    pub commissioner_name: String,
    pub commissioner_kind: String,
    pub org_name: String,
    pub year: i32,
    pub grade: String,
    pub grade_label: String,
    /// 经确认的服务天数.
    pub days: String,
    /// 满1个工作日的服务次数.
    pub visits: i64,
    pub logs: i64,
    /// 未经确认、未计入的日志数.
    pub unconfirmed: i64,
    pub households: i64,
    pub people: i64,
    /// 满意度 (average, one decimal), if rated.
    pub rating: Option<String>,
    /// 续聘.
    pub renew: bool,
    /// 工作经费 (元).
    pub support: String,
    pub support_fen: i64,
    pub explanation: String,
    pub rule: String,
    pub org_id: i64,
    pub user_id: Option<i64>,
    #[serde(skip)]
    pub region_path: String,
    pub updated_at: i64,
}

fn assessment_select() -> SelectStatement {
    let mut q = Query::select();
    q.columns(
        [
            "id",
            "commissioner_id",
            "year",
            "grade",
            "half_days",
            "visits",
            "logs",
            "unconfirmed",
            "households",
            "people",
            "rating",
            "renew",
            "support_fen",
            "explanation",
            "rule",
            "region_path",
            "org_id",
            "user_id",
            "updated_at",
        ]
        .map(|c| (A, c)),
    )
    .expr_as(Expr::col((C, "name")), "commissioner_name")
    .expr_as(Expr::col((C, "kind")), "commissioner_kind")
    .expr_as(Expr::col(("organizations", "name")), "org_name")
    .from(A)
    .inner_join(C, Expr::col((C, "id")).equals((A, "commissioner_id")))
    .inner_join(
        "organizations",
        Expr::col(("organizations", "id")).equals((A, "org_id")),
    );
    q
}

fn assessment_from_row(r: &QueryResult) -> StoreResult<Assessment> {
    let grade: String = get(r, "grade")?;
    let support: i64 = get(r, "support_fen")?;
    Ok(Assessment {
        id: get(r, "id")?,
        commissioner_id: get(r, "commissioner_id")?,
        commissioner_name: get(r, "commissioner_name")?,
        commissioner_kind: get(r, "commissioner_kind")?,
        org_name: get(r, "org_name")?,
        year: crate::sql::i32_of(r, "year")?,
        grade_label: label(Grade::parse(&grade), Grade::label),
        grade,
        days: days_text(get(r, "half_days")?),
        visits: get(r, "visits")?,
        logs: get(r, "logs")?,
        unconfirmed: get(r, "unconfirmed")?,
        households: get(r, "households")?,
        people: get(r, "people")?,
        rating: get(r, "rating")?,
        renew: get(r, "renew")?,
        support: crate::funds::yuan(support),
        support_fen: support,
        explanation: get(r, "explanation")?,
        rule: get(r, "rule")?,
        org_id: get(r, "org_id")?,
        user_id: get(r, "user_id")?,
        region_path: get(r, "region_path")?,
        updated_at: get(r, "updated_at")?,
    })
}

crate::record::impl_record!(
    Assessment,
    ASSESSMENT_KIND,
    assessment_select,
    assessment_from_row,
    |s| RecordKeys {
        region_path: Some(&s.region_path),
        org_id: Some(s.org_id),
        owner_user_id: s.user_id,
    }
);

#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
pub struct AssessmentFilter {
    pub year: Option<i32>,
    pub grade: Option<String>,
    pub commissioner_id: Option<i64>,
    /// Commissioner or sending organization contains.
    pub q: Option<String>,
}

impl ListFilter for AssessmentFilter {
    fn apply(&self, q: &mut SelectStatement) -> StoreResult<()> {
        if let Some(v) = self.year {
            q.and_where(Expr::col((A, "year")).eq(v));
        }
        if let Some(v) = self.grade.as_deref().filter(|s| !s.is_empty()) {
            q.and_where(Expr::col((A, "grade")).eq(Grade::parse(v)?.as_str()));
        }
        if let Some(v) = self.commissioner_id {
            q.and_where(Expr::col((A, "commissioner_id")).eq(v));
        }
        if let Some(t) = self.q.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            q.cond_where(
                Cond::any()
                    .add(Expr::col((C, "name")).like(contains(t)))
                    .add(Expr::col(("organizations", "name")).like(contains(t))),
            );
        }
        q.order_by((A, "year"), Order::Desc)
            .order_by((A, "grade"), Order::Asc)
            .order_by((A, "id"), Order::Asc);
        Ok(())
    }
}

/// What a commissioner did in a year, read from the logs and ratings: the assessment's input.
#[derive(Debug, Clone, Default, PartialEq, Serialize, utoipa::ToSchema)]
pub struct YearFigures {
    pub commissioner_id: i64,
    pub year: i32,
    /// Confirmed half days.
    pub half_days: i64,
    /// Confirmed logs of at least one working day.
    pub visits: i64,
    /// Confirmed logs.
    pub logs: i64,
    pub unconfirmed: i64,
    pub households: i64,
    pub people: i64,
    /// Ratings of the year's dispatches (1–5), each dispatch once.
    pub ratings: Vec<i64>,
}

/// The pack's answer for one commissioner's year, computed by the server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AssessmentAnswer {
    pub grade: Grade,
    pub renew: bool,
    pub support_fen: i64,
    pub explanation: String,
    pub rule: String,
}

fn log_scope_values(d: &Dispatch) -> Values {
    vec![
        ("region_path", d.region_path.clone().into()),
        ("target_org_id", d.target_org_id.into()),
        ("user_id", d.user_id.into()),
        ("home_region_path", d.home_region_path.clone().into()),
        ("home_org_id", d.home_org_id.into()),
    ]
}

/// A log's row for its dispatch: the date checked against the dispatch's term, the scope
/// columns copied from the dispatch, confirmed when `confirmed_by` names who confirmed it.
fn log_values(d: &Dispatch, l: &NewLog, confirmed_by: Option<&str>) -> StoreResult<Values> {
    let (Ok(s), Ok(e)) = (
        chrono::NaiveDate::parse_from_str(&d.starts_on, "%Y-%m-%d"),
        chrono::NaiveDate::parse_from_str(&d.ends_on, "%Y-%m-%d"),
    ) else {
        return Err(StoreError::corrupt("派驻日期格式错误"));
    };
    l.check_term(s, e)?;
    use chrono::Datelike;
    let mut vals: Values = vec![
        ("dispatch_id", d.id.into()),
        ("commissioner_id", d.commissioner_id.into()),
        ("served_on", l.served_on.to_string().into()),
        ("year", l.served_on.year().into()),
        ("kind", l.kind.as_str().into()),
        ("half_days", l.half_days.into()),
        ("people", l.people.into()),
        ("households", l.households.into()),
        ("place", l.place.clone().into()),
        ("content", l.content.clone().into()),
        ("evidence", "[]".into()),
        (
            "confirmed_on",
            confirmed_by.map(|_| l.served_on.to_string()).into(),
        ),
        ("confirmed_by", confirmed_by.map(str::to_owned).into()),
    ];
    vals.extend(log_scope_values(d));
    Ok(vals)
}

/// Allowed evidence: photos and PDFs, at most 10 MiB each, 9 per log.
pub const MAX_EVIDENCE_BYTES: usize = 10 * 1024 * 1024;
pub const MAX_EVIDENCE_FILES: usize = 9;

impl Store {
    // --- commissioners --------------------------------------------------------------------

    pub async fn list_commissioners(
        &self,
        scope: &DataScope,
        f: &CommissionerFilter,
        page: PageRequest,
    ) -> StoreResult<Page<Commissioner>> {
        self.list_records(scope, f, page).await
    }

    pub async fn export_commissioners(
        &self,
        scope: &DataScope,
        f: &CommissionerFilter,
        limit: u64,
    ) -> StoreResult<Vec<Commissioner>> {
        self.export_records(scope, f, limit).await
    }

    pub async fn get_commissioner(&self, scope: &DataScope, id: i64) -> StoreResult<Commissioner> {
        self.get_record(scope, id).await
    }

    /// 选派登记. The person (or team leader and members) and the sending organization must be
    /// in the caller's registry; a person is registered once while serving (no second live
    /// registration over an overlapping term); a station must be a 科技特派员工作站.
    pub async fn create_commissioner(
        &self,
        caller: &Caller,
        c: &NewCommissioner,
    ) -> StoreResult<Commissioner> {
        let mut tx = self.write(caller).await?;
        let vals = self.commissioner_values(&tx, caller, c, None).await?;
        let after = tx.create(vals).await?;
        tx.commit().await?;
        Ok(after)
    }

    pub async fn update_commissioner(
        &self,
        caller: &Caller,
        id: i64,
        c: &NewCommissioner,
    ) -> StoreResult<Commissioner> {
        let mut tx = self.write(caller).await?;
        let before: Commissioner = tx.get(id).await?;
        let vals = self.commissioner_values(&tx, caller, c, Some(id)).await?;
        let after = tx.update_as("update", &before, vals).await?;
        tx.commit().await?;
        Ok(after)
    }

    async fn commissioner_values(
        &self,
        tx: &crate::audit::WriteTx,
        caller: &Caller,
        c: &NewCommissioner,
        except: Option<i64>,
    ) -> StoreResult<Values> {
        let org = visible_org(tx, "org_id", c.org_id).await?;
        let region = match (c.region, &caller.scope) {
            (Some(r), _) => r,
            (None, DataScope::Region { code, .. }) => {
                kechuang_domain::RegionCode::parse_known(code)?
            }
            (None, _) => kechuang_domain::RegionCode::parse_known(&org.region_code)?,
        };
        let path = region_path(region)?;
        let (name, user_id) = match c.person_id {
            Some(pid) => {
                let p = visible_person(tx, "person_id", pid).await?;
                let name = if c.kind == CommissionerKind::Individual {
                    p.name.clone()
                } else {
                    c.name.clone()
                };
                // 同一人同一时期只登记一次.
                let mut q = commissioner_select();
                q.and_where(Expr::col((C, "person_id")).eq(pid))
                    .and_where(Expr::col((C, "status")).ne(CommissionerStatus::Revoked.as_str()))
                    .and_where(Expr::col((C, "term_from")).lte(c.term_to.to_string()))
                    .and_where(Expr::col((C, "term_to")).gte(c.term_from.to_string()));
                if let Some(id) = except {
                    q.and_where(Expr::col((C, "id")).ne(id));
                }
                if let Some(r) = sql::fetch_one(tx.conn(), &q).await? {
                    let other = commissioner_from_row(&r)?;
                    return Err(refuse(
                        "person_id",
                        "commissioner.duplicate",
                        format!(
                            "{}已登记为科技特派员（{}，服务期{}至{}），同一时期不重复选派",
                            p.name, other.kind_label, other.term_from, other.term_to
                        ),
                    ));
                }
                (name, p.user_id)
            }
            None => (c.name.clone(), None),
        };
        let mut members = Vec::with_capacity(c.members.len());
        for m in &c.members {
            let p = visible_person(tx, "members", *m).await?;
            members.push(Named {
                id: p.id,
                name: p.name,
            });
        }
        if let Some(sid) = c.station_id {
            let st: crate::platforms::Platform = tx.get(sid).await.map_err(|e| match e {
                StoreError::NotFound => invalid(
                    "station_id",
                    "station.unknown",
                    "工作站不存在或不在您的管辖范围内",
                ),
                e => e,
            })?;
            if st.platform_type
                != kechuang_domain::platform::PlatformType::CommissionerStation.as_str()
            {
                return Err(invalid(
                    "station_id",
                    "station.type",
                    format!(
                        "“{}”是{}，不是科技特派员工作站",
                        st.name, st.platform_type_label
                    ),
                ));
            }
        }
        Ok(vec![
            ("kind", c.kind.as_str().into()),
            ("person_id", c.person_id.into()),
            ("name", name.into()),
            ("org_id", org.id.into()),
            ("region_code", region.to_string().into()),
            ("region_path", path.into()),
            ("user_id", user_id.into()),
            ("members", json_of(&members)?.into()),
            ("funding", c.funding.as_str().into()),
            ("field", c.field.clone().into()),
            ("year", c.year.into()),
            ("term_from", c.term_from.to_string().into()),
            ("term_to", c.term_to.to_string().into()),
            ("phone", c.phone.clone().into()),
            ("station_id", c.station_id.into()),
            ("status", CommissionerStatus::Active.as_str().into()),
        ])
    }

    /// 期满 or 解聘 (the move is recorded in the audit entry).
    pub async fn set_commissioner_status(
        &self,
        caller: &Caller,
        id: i64,
        status: CommissionerStatus,
    ) -> StoreResult<Commissioner> {
        self.set_status(caller, id, status.as_str()).await
    }

    /// A record's `status` column set to `status`, audited as `set_status`.
    async fn set_status<R: crate::record::Record>(
        &self,
        caller: &Caller,
        id: i64,
        status: &'static str,
    ) -> StoreResult<R> {
        let mut tx = self.write(caller).await?;
        let before: R = tx.get(id).await?;
        let after = tx
            .update_as("set_status", &before, vec![("status", status.into())])
            .await?;
        tx.commit().await?;
        Ok(after)
    }

    // --- dispatches -----------------------------------------------------------------------

    pub async fn list_dispatches(
        &self,
        scope: &DataScope,
        f: &DispatchFilter,
        page: PageRequest,
    ) -> StoreResult<Page<Dispatch>> {
        self.list_records(scope, f, page).await
    }

    pub async fn get_dispatch(&self, scope: &DataScope, id: i64) -> StoreResult<Dispatch> {
        self.get_record(scope, id).await
    }

    /// 派驻. The commissioner must be in the caller's scope and serving over the whole
    /// dispatch term; a cooperative or enterprise must be registered in the dispatch's county;
    /// the number of the commissioner's dispatches overlapping the term may not exceed
    /// `max_concurrent` (the pack's number for the commissioner's kind).
    pub async fn create_dispatch(
        &self,
        caller: &Caller,
        d: &NewDispatch,
        max_concurrent: i64,
    ) -> StoreResult<Dispatch> {
        let mut tx = self.write(caller).await?;
        let c: Commissioner = tx.get(d.commissioner_id).await.map_err(|e| match e {
            StoreError::NotFound => invalid(
                "commissioner_id",
                "commissioner.unknown",
                "科技特派员不存在或不在您的管辖范围内",
            ),
            e => e,
        })?;
        // A term that has simply passed may still take the dispatches it had (history entered
        // late); one revoked or ended early may not.
        let lapsed = c.status == CommissionerStatus::Ended.as_str()
            && c.term_to < crate::funds::vouchers::today_cn().to_string();
        if c.status != CommissionerStatus::Active.as_str() && !lapsed {
            return Err(refuse(
                "commissioner_id",
                "commissioner.not_active",
                format!("{}的状态为“{}”，不能派驻", c.name, c.status_label),
            ));
        }
        let (from, to) = (d.starts_on.to_string(), d.ends_on.to_string());
        if from < c.term_from || to > c.term_to {
            return Err(invalid(
                "ends_on",
                "dispatch.outside_term",
                format!(
                    "派驻期（{from} 至 {to}）超出{}的服务期（{} 至 {}）",
                    c.name, c.term_from, c.term_to
                ),
            ));
        }
        let county_path = region_path(d.county)?;
        if let Some(oid) = d.target_org_id {
            let o: crate::orgs::Organization =
                crate::record::get_in(tx.conn(), &DataScope::All, oid)
                    .await
                    .map_err(|e| match e {
                        StoreError::NotFound => invalid(
                            "target_org_id",
                            "org.unknown",
                            format!("单位（编号{oid}）不存在"),
                        ),
                        e => e,
                    })?;
            if !o.region_path.starts_with(&county_path) {
                return Err(invalid(
                    "target_org_id",
                    "dispatch.org_region",
                    format!(
                        "{}登记在{}，不在所选县（{}）",
                        o.name,
                        region_name(&o.region_code),
                        region_name(&d.county.to_string())
                    ),
                ));
            }
        }
        let mut q = Query::select();
        q.expr_as(Expr::cust("COUNT(*)"), "n")
            .from(D)
            .and_where(Expr::col("commissioner_id").eq(c.id))
            .and_where(Expr::col("status").ne(DispatchStatus::Cancelled.as_str()))
            .and_where(Expr::col("starts_on").lte(to.clone()))
            .and_where(Expr::col("ends_on").gte(from.clone()));
        let overlapping: i64 = match sql::fetch_one(tx.conn(), &q).await? {
            Some(r) => get(&r, "n")?,
            None => 0,
        };
        if overlapping >= max_concurrent {
            return Err(refuse(
                "commissioner_id",
                "dispatch.too_many",
                format!(
                    "{}在{from}至{to}期间已有{overlapping}项派驻，{}同一时期最多派驻{max_concurrent}个服务对象",
                    c.name, c.kind_label
                ),
            ));
        }
        let after = tx
            .create(vec![
                ("commissioner_id", c.id.into()),
                ("target_kind", d.target_kind.as_str().into()),
                ("county_code", d.county.to_string().into()),
                ("region_path", county_path.into()),
                ("place", d.place.clone().into()),
                ("target_org_id", d.target_org_id.into()),
                ("starts_on", from.into()),
                ("ends_on", to.into()),
                ("agreement_no", d.agreement_no.clone().into()),
                ("tasks", d.tasks.clone().into()),
                ("status", DispatchStatus::Active.as_str().into()),
                ("user_id", c.user_id.into()),
                ("home_region_path", c.region_path.clone().into()),
                ("home_org_id", c.org_id.into()),
            ])
            .await?;
        tx.commit().await?;
        Ok(after)
    }

    /// 结束 or 撤回 a dispatch (a cancelled one takes no more logs).
    pub async fn set_dispatch_status(
        &self,
        caller: &Caller,
        id: i64,
        status: DispatchStatus,
    ) -> StoreResult<Dispatch> {
        self.set_status(caller, id, status.as_str()).await
    }

    /// The service object's 满意度 of a year (one per dispatch and year; a second replaces the
    /// first, both recorded).
    pub async fn rate_dispatch(
        &self,
        caller: &Caller,
        id: i64,
        r: &RatingInput,
        rated_by: &str,
    ) -> StoreResult<Rating> {
        r.check()?;
        let mut tx = self.write(caller).await?;
        let d: Dispatch = tx.get(id).await?;
        let (y0, y1) = (
            d.starts_on.get(..4).and_then(|y| y.parse::<i32>().ok()),
            d.ends_on.get(..4).and_then(|y| y.parse::<i32>().ok()),
        );
        if y0.is_some_and(|y| r.year < y) || y1.is_some_and(|y| r.year > y) {
            return Err(invalid(
                "year",
                "rating.year",
                format!(
                    "派驻期为{}至{}，不能评价{}年度",
                    d.starts_on, d.ends_on, r.year
                ),
            ));
        }
        let before = ratings_of(tx.conn(), &[id])
            .await?
            .into_iter()
            .find(|x| x.year == r.year);
        let mut del = Query::delete();
        del.from_table("dispatch_ratings")
            .and_where(Expr::col("dispatch_id").eq(id))
            .and_where(Expr::col("year").eq(r.year));
        tx.conn().execute(&del).await?;
        let now = crate::sql::now_ms();
        let mut ins = Query::insert();
        ins.into_table("dispatch_ratings")
            .columns([
                "dispatch_id",
                "year",
                "score",
                "comment",
                "rated_by",
                "rated_at",
            ])
            .values([
                id.into(),
                r.year.into(),
                r.score.into(),
                r.comment.trim().to_owned().into(),
                rated_by.to_owned().into(),
                now.into(),
            ])
            .map_err(StoreError::corrupt)?;
        tx.conn().execute(&ins).await?;
        let after = Rating {
            dispatch_id: id,
            year: r.year,
            score: r.score,
            comment: r.comment.trim().to_owned(),
            rated_by: rated_by.to_owned(),
            rated_at: now,
        };
        tx.note_parts(
            "rate",
            &d,
            before.and_then(|b| serde_json::to_value(b).ok()),
            serde_json::to_value(&after).ok(),
        );
        tx.commit().await?;
        Ok(after)
    }

    pub async fn dispatch_ratings(&self, scope: &DataScope, id: i64) -> StoreResult<Vec<Rating>> {
        self.get_dispatch(scope, id).await?;
        ratings_of(&self.db, &[id]).await
    }

    /// Dispatches, commissioners, confirmed logs and households per county and township of
    /// service, in scope: the dispatch map.
    pub async fn dispatch_map(
        &self,
        scope: &DataScope,
        year: i32,
    ) -> StoreResult<Vec<CountyCount>> {
        let mut q = Query::select();
        q.expr_as(Expr::col((D, "id")), "id")
            .expr_as(Expr::col((D, "county_code")), "county")
            .expr_as(Expr::col((D, "place")), "place")
            .expr_as(Expr::col((D, "commissioner_id")), "cid")
            .from(D)
            .cond_where(DISPATCH_KIND.condition(scope))
            .and_where(Expr::col((D, "status")).ne(DispatchStatus::Cancelled.as_str()))
            .cond_where(serving_in((D, "starts_on"), (D, "ends_on"), year));
        let mut key_of: std::collections::HashMap<i64, (String, String)> = Default::default();
        let mut out: std::collections::BTreeMap<
            (String, String),
            (CountyCount, std::collections::BTreeSet<i64>),
        > = Default::default();
        for r in sql::fetch_all(&self.db, &q).await? {
            let county: String = get(&r, "county")?;
            let town = kechuang_domain::people::town_of(&get::<String>(&r, "place")?);
            key_of.insert(get(&r, "id")?, (county.clone(), town.clone()));
            let e = out
                .entry((county.clone(), town.clone()))
                .or_insert_with(|| {
                    (
                        CountyCount {
                            county_name: region_name(&county),
                            county_code: county,
                            town,
                            dispatches: 0,
                            commissioners: 0,
                            logs: 0,
                            households: 0,
                        },
                        Default::default(),
                    )
                });
            e.0.dispatches += 1;
            e.1.insert(get(&r, "cid")?);
        }
        let mut q = Query::select();
        q.expr_as(Expr::col((L, "dispatch_id")), "did")
            .expr_as(Expr::cust("COUNT(*)"), "n")
            .expr_as(
                Expr::cust("CAST(COALESCE(SUM(service_logs.households), 0) AS BIGINT)"),
                "h",
            )
            .from(L)
            .cond_where(LOG_KIND.condition(scope))
            .and_where(Expr::col((L, "year")).eq(year))
            .and_where(Expr::col((L, "confirmed_on")).is_not_null())
            .group_by_col((L, "dispatch_id"));
        for r in sql::fetch_all(&self.db, &q).await? {
            let Some(k) = key_of.get(&get::<i64>(&r, "did")?) else {
                continue;
            };
            if let Some(e) = out.get_mut(k) {
                e.0.logs += get::<i64>(&r, "n")?;
                e.0.households += get::<i64>(&r, "h")?;
            }
        }
        Ok(out
            .into_values()
            .map(|(mut c, ids)| {
                c.commissioners = ids.len() as i64;
                c
            })
            .collect())
    }

    // --- logs -----------------------------------------------------------------------------

    pub async fn list_logs(
        &self,
        scope: &DataScope,
        f: &LogFilter,
        page: PageRequest,
    ) -> StoreResult<Page<ServiceLog>> {
        self.list_records(scope, f, page).await
    }

    pub async fn export_logs(
        &self,
        scope: &DataScope,
        f: &LogFilter,
        limit: u64,
    ) -> StoreResult<Vec<ServiceLog>> {
        self.export_records(scope, f, limit).await
    }

    pub async fn get_log(&self, scope: &DataScope, id: i64) -> StoreResult<ServiceLog> {
        self.get_record(scope, id).await
    }

    /// 填报服务日志: the dispatch must be the caller's (or in the bureau's scope), active, and
    /// its term must contain the date.
    pub async fn create_log(&self, caller: &Caller, l: &NewLog) -> StoreResult<ServiceLog> {
        let mut tx = self.write(caller).await?;
        let d: Dispatch = tx.get(l.dispatch_id).await.map_err(|e| match e {
            StoreError::NotFound => invalid(
                "dispatch_id",
                "dispatch.unknown",
                "派驻记录不存在或不是您的派驻",
            ),
            e => e,
        })?;
        if d.status == DispatchStatus::Cancelled.as_str() {
            return Err(refuse(
                "dispatch_id",
                "dispatch.cancelled",
                "该派驻已撤回，不能填报服务日志",
            ));
        }
        let vals = log_values(&d, l, None)?;
        let after = tx.create(vals).await?;
        tx.commit().await?;
        Ok(after)
    }

    /// Many logs at once (the demo's history and imports): all or nothing, each checked like
    /// [`Store::create_log`]; `confirmed` marks them confirmed by the named party on their date.
    pub async fn import_logs(
        &self,
        caller: &Caller,
        logs: &[NewLog],
        confirmed_by: Option<&str>,
    ) -> StoreResult<usize> {
        let mut tx = self.write(caller).await?;
        let mut dispatches: std::collections::HashMap<i64, Dispatch> = Default::default();
        let mut rows = Vec::with_capacity(logs.len());
        for l in logs {
            if !dispatches.contains_key(&l.dispatch_id) {
                let d: Dispatch = tx.get(l.dispatch_id).await?;
                dispatches.insert(d.id, d);
            }
            let Some(d) = dispatches.get(&l.dispatch_id) else {
                continue;
            };
            let vals = log_values(d, l, confirmed_by)?;
            rows.push(vals);
        }
        let rows = tx.number(rows).await?;
        let n = rows.len();
        tx.create_many::<ServiceLog>(rows, "import").await?;
        tx.commit().await?;
        Ok(n)
    }

    /// 受援方确认 of a log: by the service object's account, or the bureau for a village.
    pub async fn confirm_log(
        &self,
        caller: &Caller,
        id: i64,
        by: &str,
        today: chrono::NaiveDate,
    ) -> StoreResult<ServiceLog> {
        let mut tx = self.write(caller).await?;
        let before: ServiceLog = tx.get(id).await?;
        if before.confirmed_on.is_some() {
            return Err(refuse("confirmed_on", "log.confirmed", "该服务日志已确认"));
        }
        let after = tx
            .update_as(
                "confirm",
                &before,
                vec![
                    ("confirmed_on", today.to_string().into()),
                    ("confirmed_by", by.to_owned().into()),
                ],
            )
            .await?;
        tx.commit().await?;
        Ok(after)
    }

    /// A log's author removes it while it is unconfirmed (a confirmed log is evidence).
    pub async fn delete_log(&self, caller: &Caller, id: i64) -> StoreResult<ServiceLog> {
        let mut tx = self.write(caller).await?;
        let before: ServiceLog = tx.get(id).await?;
        if before.confirmed_on.is_some() {
            return Err(refuse(
                "confirmed_on",
                "log.confirmed",
                "已确认的服务日志是考核依据，不能删除",
            ));
        }
        let mut del = Query::delete();
        del.from_table("service_log_files")
            .and_where(Expr::col("log_id").eq(id));
        tx.conn().execute(&del).await?;
        let gone: ServiceLog = tx.delete(id).await?;
        tx.commit().await?;
        Ok(gone)
    }

    /// Attach an evidence file (checked by the caller: type, size) with its SHA-256.
    pub async fn attach_evidence(
        &self,
        caller: &Caller,
        id: i64,
        name: &str,
        content_type: &str,
        sha256: &str,
        bytes: &[u8],
    ) -> StoreResult<ServiceLog> {
        let mut tx = self.write(caller).await?;
        let before: ServiceLog = tx.get(id).await?;
        if before.confirmed_on.is_some() {
            return Err(refuse(
                "file",
                "log.confirmed",
                "服务日志已确认，不能再添加佐证材料",
            ));
        }
        if before.evidence.len() >= MAX_EVIDENCE_FILES {
            return Err(invalid(
                "file",
                "evidence.too_many",
                format!("每条服务日志最多{MAX_EVIDENCE_FILES}个佐证文件"),
            ));
        }
        let fid = tx.new_id().await?;
        let mut ins = Query::insert();
        ins.into_table("service_log_files")
            .columns([
                "id",
                "log_id",
                "name",
                "content_type",
                "size_bytes",
                "sha256",
                "content",
                "created_at",
            ])
            .values([
                fid.into(),
                id.into(),
                name.to_owned().into(),
                content_type.to_owned().into(),
                (bytes.len() as i64).into(),
                sha256.to_owned().into(),
                bytes.to_vec().into(),
                crate::sql::now_ms().into(),
            ])
            .map_err(StoreError::corrupt)?;
        tx.conn().execute(&ins).await?;
        let mut evidence = before.evidence.clone();
        evidence.push(Evidence {
            id: fid,
            name: name.to_owned(),
            content_type: content_type.to_owned(),
            size_bytes: bytes.len() as i64,
            sha256: sha256.to_owned(),
        });
        let after = tx
            .update_as(
                "attach",
                &before,
                vec![("evidence", json_of(&evidence)?.into())],
            )
            .await?;
        tx.commit().await?;
        Ok(after)
    }

    /// An evidence file of a log the caller may read, with its bytes.
    pub async fn evidence_file(
        &self,
        scope: &DataScope,
        id: i64,
        file_id: i64,
    ) -> StoreResult<(Evidence, Vec<u8>)> {
        let log = self.get_log(scope, id).await?;
        let Some(ev) = log.evidence.into_iter().find(|e| e.id == file_id) else {
            return Err(StoreError::NotFound);
        };
        let mut q = Query::select();
        q.column("content")
            .from("service_log_files")
            .and_where(Expr::col("id").eq(file_id))
            .and_where(Expr::col("log_id").eq(id));
        let Some(r) = sql::fetch_one(&self.db, &q).await? else {
            return Err(StoreError::NotFound);
        };
        Ok((ev, get(&r, "content")?))
    }

    // --- assessments ----------------------------------------------------------------------

    /// What each commissioner in scope serving in `year` did that year: confirmed logs only
    /// count; ratings of the year's dispatches.
    pub async fn year_figures(
        &self,
        scope: &DataScope,
        year: i32,
    ) -> StoreResult<Vec<YearFigures>> {
        let list = self
            .export_commissioners(
                scope,
                &CommissionerFilter {
                    year: Some(year),
                    ..Default::default()
                },
                10_000_000,
            )
            .await?;
        let mut by: std::collections::BTreeMap<i64, YearFigures> = list
            .iter()
            .filter(|c| c.status != CommissionerStatus::Revoked.as_str())
            .map(|c| {
                (
                    c.id,
                    YearFigures {
                        commissioner_id: c.id,
                        year,
                        ..Default::default()
                    },
                )
            })
            .collect();
        if by.is_empty() {
            return Ok(Vec::new());
        }
        let ids: Vec<i64> = by.keys().copied().collect();
        for chunk in ids.chunks(500) {
            let mut q = Query::select();
            q.columns([
                "commissioner_id",
                "half_days",
                "households",
                "people",
                "confirmed_on",
            ])
            .from(L)
            .and_where(Expr::col("commissioner_id").is_in(chunk.to_vec()))
            .and_where(Expr::col("year").eq(year));
            for r in sql::fetch_all(&self.db, &q).await? {
                let cid: i64 = get(&r, "commissioner_id")?;
                let Some(f) = by.get_mut(&cid) else { continue };
                if get::<Option<String>>(&r, "confirmed_on")?.is_none() {
                    f.unconfirmed += 1;
                    continue;
                }
                let h: i64 = get(&r, "half_days")?;
                f.logs += 1;
                f.half_days += h;
                if h >= 2 {
                    f.visits += 1;
                }
                f.households += get::<i64>(&r, "households")?;
                f.people += get::<i64>(&r, "people")?;
            }
            let mut q = Query::select();
            q.expr_as(Expr::col((D, "commissioner_id")), "cid")
                .expr_as(Expr::col(("dispatch_ratings", "score")), "score")
                .from("dispatch_ratings")
                .inner_join(
                    D,
                    Expr::col((D, "id")).equals(("dispatch_ratings", "dispatch_id")),
                )
                .and_where(Expr::col((D, "commissioner_id")).is_in(chunk.to_vec()))
                .and_where(Expr::col(("dispatch_ratings", "year")).eq(year));
            for r in sql::fetch_all(&self.db, &q).await? {
                let cid: i64 = get(&r, "cid")?;
                if let Some(f) = by.get_mut(&cid) {
                    f.ratings.push(get(&r, "score")?);
                }
            }
        }
        Ok(by.into_values().collect())
    }

    /// Store the year's assessments (one per commissioner and year; a re-run replaces each,
    /// before and after audited). All or nothing.
    pub async fn save_assessments(
        &self,
        caller: &Caller,
        year: i32,
        rows: &[(YearFigures, AssessmentAnswer)],
    ) -> StoreResult<usize> {
        let mut tx = self.write(caller).await?;
        for (f, a) in rows {
            let c: Commissioner = tx.get(f.commissioner_id).await?;
            let rating = if f.ratings.is_empty() {
                None
            } else {
                let sum: i64 = f.ratings.iter().sum();
                Some(
                    (rust_decimal::Decimal::from(sum)
                        / rust_decimal::Decimal::from(f.ratings.len() as i64))
                    .round_dp(1)
                    .normalize()
                    .to_string(),
                )
            };
            let vals: Values = vec![
                ("commissioner_id", c.id.into()),
                ("year", year.into()),
                ("grade", a.grade.as_str().into()),
                ("half_days", f.half_days.into()),
                ("visits", f.visits.into()),
                ("logs", f.logs.into()),
                ("unconfirmed", f.unconfirmed.into()),
                ("households", f.households.into()),
                ("people", f.people.into()),
                ("rating", rating.into()),
                ("renew", a.renew.into()),
                ("support_fen", a.support_fen.into()),
                ("explanation", a.explanation.clone().into()),
                ("rule", a.rule.clone().into()),
                ("region_path", c.region_path.clone().into()),
                ("org_id", c.org_id.into()),
                ("user_id", c.user_id.into()),
            ];
            let mut q = Query::select();
            q.column("id")
                .from(A)
                .and_where(Expr::col("commissioner_id").eq(c.id))
                .and_where(Expr::col("year").eq(year));
            match sql::fetch_one(tx.conn(), &q).await? {
                Some(r) => {
                    let before: Assessment = tx.get(get(&r, "id")?).await?;
                    tx.update_as("assess", &before, vals).await?;
                }
                None => {
                    let id = tx.new_id().await?;
                    tx.create_with_id::<Assessment>(id, vals, "assess").await?;
                }
            }
        }
        tx.commit().await?;
        Ok(rows.len())
    }

    pub async fn list_assessments(
        &self,
        scope: &DataScope,
        f: &AssessmentFilter,
        page: PageRequest,
    ) -> StoreResult<Page<Assessment>> {
        self.list_records(scope, f, page).await
    }

    pub async fn export_assessments(
        &self,
        scope: &DataScope,
        f: &AssessmentFilter,
        limit: u64,
    ) -> StoreResult<Vec<Assessment>> {
        self.export_records(scope, f, limit).await
    }

    pub async fn get_assessment(&self, scope: &DataScope, id: i64) -> StoreResult<Assessment> {
        self.get_record(scope, id).await
    }

    /// 年末在岗科技特派员人数 (persons: an individual 1, a team its leader and members; a
    /// legal-person commissioner is not a person) by the selecting bureau's region, and the
    /// confirmed services and households served by the county served, for `years`.
    pub async fn commissioner_measures(
        &self,
        scope: &DataScope,
        years: std::ops::RangeInclusive<i32>,
    ) -> StoreResult<Vec<(String, i32, &'static str, i64)>> {
        use kechuang_monitor::indicators::keys as k;
        let region_of = |path: &str| {
            path.trim_end_matches('/')
                .rsplit('/')
                .next()
                .unwrap_or_default()
                .to_owned()
        };
        let mut out = Vec::new();
        let mut q = commissioner_select();
        q.cond_where(COMMISSIONER_KIND.condition(scope))
            .and_where(Expr::col((C, "status")).ne(CommissionerStatus::Revoked.as_str()));
        let mut counts: std::collections::BTreeMap<(String, i32), i64> = Default::default();
        for r in sql::fetch_all(&self.db, &q).await? {
            let c = commissioner_from_row(&r)?;
            let persons = match c.kind.as_str() {
                "individual" => 1,
                "team" => 1 + c.members.len() as i64,
                _ => 0,
            };
            for y in years.clone() {
                let end = format!("{y}-12-31");
                if c.term_from <= end && c.term_to >= end {
                    *counts.entry((region_of(&c.region_path), y)).or_default() += persons;
                }
            }
        }
        for ((region, y), n) in counts {
            out.push((region, y, k::TECH_COMMISSIONERS, n));
        }
        let mut q = Query::select();
        q.expr_as(Expr::col((L, "region_path")), "rp")
            .expr_as(Expr::col((L, "year")), "y")
            .expr_as(Expr::cust("COUNT(*)"), "n")
            .expr_as(
                Expr::cust("CAST(COALESCE(SUM(service_logs.households), 0) AS BIGINT)"),
                "h",
            )
            .from(L)
            .cond_where(LOG_KIND.condition(scope))
            .and_where(Expr::col((L, "confirmed_on")).is_not_null())
            .and_where(Expr::col((L, "year")).between(*years.start(), *years.end()))
            .group_by_col((L, "region_path"))
            .group_by_col((L, "year"));
        for r in sql::fetch_all(&self.db, &q).await? {
            let region = region_of(&get::<String>(&r, "rp")?);
            let y = crate::sql::i32_of(&r, "y")?;
            out.push((
                region.clone(),
                y,
                k::TECH_COMMISSIONER_SERVICES,
                get(&r, "n")?,
            ));
            out.push((region, y, k::TECH_COMMISSIONER_HOUSEHOLDS, get(&r, "h")?));
        }
        Ok(out)
    }
}

async fn ratings_of<Cn: sea_orm::ConnectionTrait>(
    db: &Cn,
    ids: &[i64],
) -> StoreResult<Vec<Rating>> {
    let mut q = Query::select();
    q.columns([
        "dispatch_id",
        "year",
        "score",
        "comment",
        "rated_by",
        "rated_at",
    ])
    .from("dispatch_ratings")
    .and_where(Expr::col("dispatch_id").is_in(ids.to_vec()))
    .order_by("year", Order::Desc);
    sql::fetch_all(db, &q)
        .await?
        .iter()
        .map(|r| {
            Ok(Rating {
                dispatch_id: get(r, "dispatch_id")?,
                year: crate::sql::i32_of(r, "year")?,
                score: get(r, "score")?,
                comment: get(r, "comment")?,
                rated_by: get(r, "rated_by")?,
                rated_at: get(r, "rated_at")?,
            })
        })
        .collect()
}
