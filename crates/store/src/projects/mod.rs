//! 科技计划项目: calls (指南/榜单), applications moving through the state machine of
//! `kechuang_domain::project` (every move recorded with its actor and reason), and integrity
//! sanctions (科研诚信) checked at submission, approval and acceptance.
//!
//! Scoping: a call belongs to the organizing bureau's region; an organization sees the calls
//! of its region and the regions above it. An application belongs to its organization (and
//! that organization's region, for officers).

use crate::error::{StoreError, StoreResult};
use crate::orgs::{get_org, region_name, region_path};
use crate::record::{Record, RecordKind, Stamps, Values};
use crate::sql::{self, ScopeColumns, get, now_ms};
use crate::{Caller, DataScope, Store};
use kechuang_domain::project::{
    Actor, AppStatus, ApplicationInput, Eligibility, NewCall, is_active, transition,
};
use kechuang_domain::scope::RecordKeys;
use kechuang_domain::{FieldError, Invalid, RegionCode};
use sea_orm::sea_query::{Expr, ExprTrait, Order, Query};
use sea_orm::{ConnectionTrait, QueryResult};
use serde::{Deserialize, Serialize};

mod applications;
mod calls;
mod execution;
mod sanctions;

use sanctions::{active_sanctions, sanction_from_row};

const CALLS: ScopeColumns = ScopeColumns {
    table: "calls",
    region_path: Some("region_path"),
    org: None,
    owner: None,
};
const APPS: ScopeColumns = ScopeColumns {
    table: "applications",
    region_path: Some("region_path"),
    org: Some("org_id"),
    owner: None,
};
const DEMANDS: ScopeColumns = ScopeColumns {
    table: "demands",
    region_path: Some("region_path"),
    org: Some("org_id"),
    owner: None,
};
const SANCTIONS: ScopeColumns = ScopeColumns {
    table: "sanctions",
    region_path: Some("region_path"),
    org: None,
    owner: None,
};
pub(crate) const CALL_KIND: RecordKind = RecordKind::own(CALLS, "call", Stamps::NO_UPDATED_BY);
pub(crate) const APP_KIND: RecordKind = RecordKind::own(APPS, "application", Stamps::NO_UPDATED_BY);
pub(crate) const DEMAND_KIND: RecordKind =
    RecordKind::own(DEMANDS, "demand", Stamps::NO_UPDATED_BY);
pub(crate) const SANCTION_KIND: RecordKind =
    RecordKind::own(SANCTIONS, "sanction", Stamps::CREATED);

crate::record::impl_record!(Call, CALL_KIND, call_select, call_from_row, |s| {
    RecordKeys::region(&s.region_path)
});

crate::record::impl_record!(Application, APP_KIND, app_select, app_from_row, |s| {
    RecordKeys::org(&s.region_path, s.org_id)
});

crate::record::impl_record!(
    Demand,
    DEMAND_KIND,
    || {
        let mut q = Query::select();
        q.columns(
            [
                "id",
                "org_id",
                "region_path",
                "title",
                "description",
                "target",
                "budget_fen",
                "status",
                "call_id",
                "budget_min_fen",
                "deadline",
                "area",
                "keywords",
                "trl_min",
            ]
            .map(|c| ("demands", c)),
        )
        .expr_as(Expr::col(("organizations", "name")), "org_name")
        .expr_as(Expr::col(("organizations", "region_code")), "org_region")
        .from("demands")
        .inner_join(
            "organizations",
            Expr::col(("organizations", "id")).equals(("demands", "org_id")),
        );
        q
    },
    |r: &QueryResult| {
        Ok(Demand {
            id: get(r, "id")?,
            org_id: get(r, "org_id")?,
            org_name: get(r, "org_name")?,
            title: get(r, "title")?,
            description: get(r, "description")?,
            target: get(r, "target")?,
            budget: get::<Option<i64>>(r, "budget_fen")?.map(yuan),
            status_label: demand_status_label(&get::<String>(r, "status")?).into(),
            status: get(r, "status")?,
            call_id: get(r, "call_id")?,
            region_path: get(r, "region_path")?,
            budget_min: get::<Option<i64>>(r, "budget_min_fen")?.map(yuan),
            deadline: get(r, "deadline")?,
            area_label: get::<Option<String>>(r, "area")?
                .and_then(|a| kechuang_domain::achievement::Area::parse(&a).ok())
                .map(|a| a.label().to_owned())
                .unwrap_or_default(),
            area: get::<Option<String>>(r, "area")?.unwrap_or_default(),
            keywords: get::<Option<String>>(r, "keywords")?
                .and_then(|k| serde_json::from_str(&k).ok())
                .unwrap_or_default(),
            trl_min: get(r, "trl_min")?,
            region_code: get(r, "org_region")?,
        })
    },
    |s| RecordKeys::org(&s.region_path, s.org_id)
);

crate::record::impl_record!(
    Sanction,
    SANCTION_KIND,
    || {
        let mut q = Query::select();
        q.columns([
            "id",
            "person_id",
            "org_id",
            "region_path",
            "measure",
            "starts_on",
            "ends_on",
            "source_document",
        ])
        .from("sanctions");
        q
    },
    sanction_from_row,
    |s| RecordKeys::org(&s.region_path, s.org_id)
);

/// A call (指南/榜单).
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Call {
    pub id: i64,
    pub title: String,
    pub category: String,
    pub mode: String,
    pub region_code: String,
    pub region_name: String,
    /// Total budget, yuan (decimal text).
    pub budget: String,
    pub opens_on: String,
    pub closes_on: String,
    pub eligibility: Option<Eligibility>,
    pub challenge_target: Option<String>,
    pub challenge_reward: Option<String>,
    pub max_active_per_leader: i64,
    /// Extra items every application answers (指南要求的申报书栏目).
    pub form: Vec<kechuang_domain::project::FormField>,
    /// 定向委托: the organizations the call is addressed to (ids and names).
    pub designated_orgs: Vec<i64>,
    pub designated_org_names: Vec<String>,
    /// draft 草稿 | published 已发布 | withdrawn 已撤回. Applicants see published calls only.
    pub status: String,
    pub status_label: String,
    pub withdraw_reason: Option<String>,
    #[serde(skip)]
    pub region_path: String,
}

/// An application (申报书), later the project.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Application {
    pub id: i64,
    pub call_id: i64,
    pub call_title: String,
    /// The call's organizing mode (e.g. `challenge` for 揭榜挂帅).
    pub call_mode: String,
    pub org_id: i64,
    pub org_name: String,
    pub title: String,
    pub leader_id: i64,
    pub leader_name: String,
    pub team: Vec<i64>,
    pub lump_sum: bool,
    /// 预算明细: one object per line (科目, 金额).
    #[schema(value_type = Vec<Object>)]
    pub budget: serde_json::Value,
    /// Total, yuan (decimal text).
    pub budget_total: String,
    /// 里程碑: one object per line (title, target, due_on).
    #[schema(value_type = Vec<Object>)]
    pub milestones: serde_json::Value,
    pub disciplines: Vec<String>,
    pub keywords: Vec<String>,
    pub integrity_pledge: bool,
    pub ethics_required: bool,
    pub ethics_registration: Option<String>,
    pub status: String,
    pub status_label: String,
    /// 批准经费 (yuan), set by the panel decision.
    pub granted: Option<String>,
    /// 绩效评价: excellent 优秀 | good 良好 | pass 合格 | fail 不合格 (set at closure).
    pub rating: Option<String>,
    pub rating_note: Option<String>,
    /// The date of the rating.
    pub rated_on: Option<String>,
    /// 滚动支持: the earlier project this one follows on from.
    pub predecessor_id: Option<i64>,
    /// Answers to the call's extra items, by key.
    pub answers: std::collections::BTreeMap<String, String>,
    pub submitted_at: Option<i64>,
    pub updated_at: i64,
    /// What the caller may do now, from the state machine and the caller's role
    /// ([`Application::for_actor`]); the UI offers nothing else.
    pub actions: Vec<ActionView>,
    /// 经费拨付 is open to the caller at this stage.
    pub can_disburse: bool,
    /// 里程碑考核 is open to the caller at this stage.
    pub can_check_milestone: bool,
    #[serde(skip)]
    pub region_path: String,
}

/// 项目指南's filters.
#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
pub struct CallFilter {
    /// Title contains.
    pub q: Option<String>,
    /// draft | published | withdrawn
    pub status: Option<String>,
}

/// 项目管理's filters.
#[derive(Debug, Clone, Default)]
pub struct ApplicationFilter {
    /// Any of these statuses (none: all).
    pub statuses: Vec<String>,
    pub call_id: Option<i64>,
    /// Title, unit, call or leader contains.
    pub q: Option<String>,
}

/// One move the caller may take, with its Chinese name.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct ActionView {
    pub action: String,
    pub label: String,
    pub needs_reason: bool,
}

impl Application {
    /// The milestones (0-based) without a passed check: 结题 waits for them.
    pub fn unchecked_milestones(&self, checks: &[MilestoneCheck]) -> Vec<i64> {
        (0..self.milestones.as_array().map_or(0, Vec::len) as i64)
            .filter(|m| !checks.iter().any(|c| c.milestone == *m && c.passed))
            .collect()
    }

    /// Fill what `actor` may do now. The panel stage's approve/reject are the 会审决策's,
    /// never a single application's button.
    pub fn for_actor(mut self, actor: Option<Actor>) -> Self {
        let status = AppStatus::parse(&self.status).ok();
        self.actions = match (status, actor) {
            (Some(s), Some(actor)) if s != AppStatus::Panel => {
                kechuang_domain::project::moves_from(s, actor)
                    .map(|t| ActionView {
                        action: t.action.to_owned(),
                        label: t.label.to_owned(),
                        needs_reason: t.needs_reason,
                    })
                    .collect()
            }
            _ => Vec::new(),
        };
        let officer = actor == Some(Actor::Officer);
        self.can_disburse = officer && status.is_some_and(kechuang_domain::project::may_disburse);
        self.can_check_milestone =
            officer && status.is_some_and(kechuang_domain::project::may_check_milestone);
        self
    }
}

/// One recorded move of an application.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct TransitionRecord {
    pub from_status: String,
    pub to_status: String,
    pub action: String,
    pub reason: Option<String>,
    pub actor: String,
    pub at: i64,
}

/// A technical demand posted by an enterprise (企业出题).
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, utoipa::ToSchema)]
pub struct Demand {
    #[serde(default)]
    pub id: i64,
    pub org_id: i64,
    #[serde(default)]
    pub org_name: String,
    pub title: String,
    pub description: String,
    /// 技术指标 to reach
    pub target: String,
    /// 拟投入经费 (yuan)
    #[serde(default)]
    pub budget: Option<String>,
    /// open 征集中 | matched 已对接 | adopted 已转为榜单 | closed 已关闭
    #[serde(default)]
    pub status: String,
    #[serde(default)]
    pub status_label: String,
    /// The call (榜单) that adopted it.
    #[serde(default)]
    pub call_id: Option<i64>,
    #[serde(skip)]
    pub region_path: String,
    /// 预算下限 (yuan); `budget` is the ceiling.
    #[serde(default)]
    pub budget_min: Option<String>,
    /// 截止日期
    #[serde(default)]
    pub deadline: Option<String>,
    /// 技术领域 (the eight areas)
    #[serde(default)]
    pub area: String,
    #[serde(default)]
    pub area_label: String,
    #[serde(default)]
    pub keywords: Vec<String>,
    /// 要求的最低技术就绪度
    #[serde(default)]
    pub trl_min: Option<i64>,
    /// The posting organization's region (GB/T 2260).
    #[serde(default)]
    pub region_code: String,
}

/// 需求状态 in Chinese.
pub fn demand_status_label(s: &str) -> &'static str {
    match s {
        "open" => "征集中",
        "matched" => "已对接",
        "adopted" => "已转为榜单",
        "closed" => "已关闭",
        _ => "",
    }
}

/// The check of one milestone (里程碑考核).
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, utoipa::ToSchema)]
pub struct MilestoneCheck {
    /// Index of the milestone in the application (0-based).
    pub milestone: i64,
    pub passed: bool,
    pub note: String,
    #[serde(default)]
    pub evidence_name: Option<String>,
    #[serde(default)]
    pub evidence_sha256: Option<String>,
    #[serde(default)]
    pub at: i64,
    #[serde(default)]
    pub by: String,
}

/// A disbursement of granted funds (经费拨付).
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, utoipa::ToSchema)]
pub struct Disbursement {
    /// The milestone it pays for, if any (it must have passed).
    #[serde(default)]
    pub milestone: Option<i64>,
    /// Yuan, decimal text.
    pub amount: String,
    #[serde(default)]
    pub note: String,
    #[serde(default)]
    pub at: i64,
    #[serde(default)]
    pub by: String,
}

/// One panel decision (会审决定).
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, utoipa::ToSchema)]
pub struct PanelDecision {
    pub application_id: i64,
    pub approve: bool,
    /// 批准经费 (yuan) when approved.
    #[serde(default)]
    pub amount: Option<String>,
    /// 理由 when rejected.
    #[serde(default)]
    pub reason: Option<String>,
}

/// An integrity sanction (科研失信行为处理记录).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Sanction {
    #[serde(default)]
    pub id: i64,
    /// The sanctioned person, or
    #[serde(default)]
    pub person_id: Option<i64>,
    /// the sanctioned organization.
    #[serde(default)]
    pub org_id: Option<i64>,
    /// 处理措施, e.g. 取消项目申报资格3年
    pub measure: String,
    pub starts_on: String,
    pub ends_on: String,
    /// 处理决定文号
    pub source_document: String,
    #[serde(skip)]
    pub region_path: String,
}

fn yuan(fen: i64) -> String {
    kechuang_domain::money::from_fen(fen)
        .normalize()
        .to_string()
}

pub(crate) fn call_select() -> sea_orm::sea_query::SelectStatement {
    let mut q = Query::select();
    q.columns([
        "id",
        "title",
        "category",
        "mode",
        "region_code",
        "region_path",
        "budget_fen",
        "opens_on",
        "closes_on",
        "eligibility_json",
        "challenge_target",
        "challenge_reward_fen",
        "max_active_per_leader",
        "designated_orgs",
        "form_json",
        "status",
        "withdraw_reason",
    ])
    .from("calls");
    q
}

pub(crate) fn call_from_row(r: &QueryResult) -> StoreResult<Call> {
    let region_code: String = get(r, "region_code")?;
    let el: Option<String> = get(r, "eligibility_json")?;
    Ok(Call {
        id: get(r, "id")?,
        title: get(r, "title")?,
        category: get(r, "category")?,
        mode: get(r, "mode")?,
        region_name: region_name(&region_code),
        region_code,
        budget: yuan(get(r, "budget_fen")?),
        opens_on: get(r, "opens_on")?,
        closes_on: get(r, "closes_on")?,
        eligibility: el
            .map(|s| serde_json::from_str(&s))
            .transpose()
            .map_err(StoreError::corrupt)?,
        challenge_target: get(r, "challenge_target")?,
        challenge_reward: get::<Option<i64>>(r, "challenge_reward_fen")?.map(yuan),
        max_active_per_leader: get(r, "max_active_per_leader")?,
        designated_orgs: get::<Option<String>>(r, "designated_orgs")?
            .map(|s| serde_json::from_str(&s))
            .transpose()
            .map_err(StoreError::corrupt)?
            .unwrap_or_default(),
        designated_org_names: Vec::new(),
        form: get::<Option<String>>(r, "form_json")?
            .map(|s| serde_json::from_str(&s))
            .transpose()
            .map_err(StoreError::corrupt)?
            .unwrap_or_default(),
        status_label: match get::<String>(r, "status")?.as_str() {
            "draft" => "草稿",
            "withdrawn" => "已撤回",
            _ => "已发布",
        }
        .to_owned(),
        status: get(r, "status")?,
        withdraw_reason: get(r, "withdraw_reason")?,
        region_path: get(r, "region_path")?,
    })
}

/// Fill in the names of the designated organizations of directed calls.
async fn name_designated<C: ConnectionTrait>(c: &C, calls: &mut [Call]) -> StoreResult<()> {
    let ids: Vec<i64> = calls
        .iter()
        .flat_map(|x| x.designated_orgs.iter().copied())
        .collect();
    if ids.is_empty() {
        return Ok(());
    }
    let mut q = Query::select();
    q.columns(["id", "name"])
        .from("organizations")
        .and_where(Expr::col("id").is_in(ids));
    let mut names = std::collections::HashMap::new();
    for r in sql::fetch_all(c, &q).await? {
        names.insert(get::<i64>(&r, "id")?, get::<String>(&r, "name")?);
    }
    for call in calls {
        call.designated_org_names = call
            .designated_orgs
            .iter()
            .map(|id| names.get(id).cloned().unwrap_or_default())
            .collect();
    }
    Ok(())
}

/// A directed call (定向委托) admits only its designated organizations.
fn designated_refusal(call: &Call, org_id: i64) -> Option<String> {
    (call.mode == "directed" && !call.designated_orgs.contains(&org_id)).then(|| {
        format!(
            "指南“{}”为定向委托，仅面向指定单位：{}",
            call.title,
            call.designated_org_names.join("、")
        )
    })
}

/// Calls visible in a scope: a region's own and below; an organization sees the calls of its
/// region and of every region above it, except directed calls (定向委托) addressed to others.
async fn visible_calls<C: ConnectionTrait>(c: &C, scope: &DataScope) -> StoreResult<Vec<Call>> {
    let mut calls = visible_calls_unnamed(c, scope).await?;
    name_designated(c, &mut calls).await?;
    Ok(calls)
}

async fn visible_calls_unnamed<C: ConnectionTrait>(
    c: &C,
    scope: &DataScope,
) -> StoreResult<Vec<Call>> {
    let mut q = call_select();
    match scope {
        DataScope::Organization { org_id } => {
            let org = get_org(c, scope, *org_id).await?;
            q.order_by("id", Order::Desc);
            Ok(sql::fetch_all(c, &q)
                .await?
                .iter()
                .map(call_from_row)
                .collect::<StoreResult<Vec<_>>>()?
                .into_iter()
                .filter(|call| call.status == "published")
                .filter(|call| org.region_path.starts_with(&call.region_path))
                .filter(|call| call.mode != "directed" || call.designated_orgs.contains(&org.id))
                .collect())
        }
        _ => {
            q.cond_where(sql::scope_condition(scope, CALLS))
                .order_by("id", Order::Desc);
            sql::fetch_all(c, &q)
                .await?
                .iter()
                .map(call_from_row)
                .collect()
        }
    }
}

const APP_COLS: [&str; 25] = [
    "id",
    "call_id",
    "org_id",
    "region_path",
    "title",
    "leader_id",
    "team_json",
    "lump_sum",
    "budget_json",
    "budget_fen",
    "milestones_json",
    "disciplines",
    "keywords",
    "integrity_pledge",
    "ethics_required",
    "ethics_registration",
    "status",
    "granted_fen",
    "rating",
    "rating_note",
    "rated_on",
    "predecessor_id",
    "answers_json",
    "submitted_at",
    "updated_at",
];

pub(crate) fn app_select() -> sea_orm::sea_query::SelectStatement {
    let mut q = Query::select();
    q.columns(APP_COLS.map(|c| ("applications", c)))
        .expr_as(Expr::col(("calls", "title")), "call_title")
        .expr_as(Expr::col(("calls", "mode")), "call_mode")
        .expr_as(Expr::col(("organizations", "name")), "org_name")
        .expr_as(Expr::col(("persons", "name")), "leader_name")
        .from("applications")
        .inner_join(
            "calls",
            Expr::col(("calls", "id")).equals(("applications", "call_id")),
        )
        .inner_join(
            "organizations",
            Expr::col(("organizations", "id")).equals(("applications", "org_id")),
        )
        .inner_join(
            "persons",
            Expr::col(("persons", "id")).equals(("applications", "leader_id")),
        );
    q
}

fn json_of(r: &QueryResult, c: &str) -> StoreResult<serde_json::Value> {
    let s: String = get(r, c)?;
    serde_json::from_str(&s).map_err(StoreError::corrupt)
}

pub(crate) fn app_from_row(r: &QueryResult) -> StoreResult<Application> {
    let status: String = get(r, "status")?;
    Ok(Application {
        id: get(r, "id")?,
        call_id: get(r, "call_id")?,
        call_title: get(r, "call_title")?,
        call_mode: get(r, "call_mode")?,
        org_id: get(r, "org_id")?,
        org_name: get(r, "org_name")?,
        title: get(r, "title")?,
        leader_id: get(r, "leader_id")?,
        leader_name: get(r, "leader_name")?,
        team: serde_json::from_value(json_of(r, "team_json")?).map_err(StoreError::corrupt)?,
        lump_sum: get(r, "lump_sum")?,
        budget: json_of(r, "budget_json")?,
        budget_total: yuan(get(r, "budget_fen")?),
        milestones: json_of(r, "milestones_json")?,
        disciplines: serde_json::from_value(json_of(r, "disciplines")?)
            .map_err(StoreError::corrupt)?,
        keywords: serde_json::from_value(json_of(r, "keywords")?).map_err(StoreError::corrupt)?,
        integrity_pledge: get(r, "integrity_pledge")?,
        ethics_required: get(r, "ethics_required")?,
        ethics_registration: get(r, "ethics_registration")?,
        status_label: AppStatus::parse(&status)
            .map(|s| s.label().to_owned())
            .unwrap_or_default(),
        status,
        granted: get::<Option<i64>>(r, "granted_fen")?.map(yuan),
        rating: get(r, "rating")?,
        rating_note: get(r, "rating_note")?,
        rated_on: get(r, "rated_on")?,
        predecessor_id: get(r, "predecessor_id")?,
        answers: get::<Option<String>>(r, "answers_json")?
            .map(|s| serde_json::from_str(&s))
            .transpose()
            .map_err(StoreError::corrupt)?
            .unwrap_or_default(),
        submitted_at: get(r, "submitted_at")?,
        updated_at: get(r, "updated_at")?,
        actions: Vec::new(),
        can_disburse: false,
        can_check_milestone: false,
        region_path: get(r, "region_path")?,
    })
}

/// The applications `scope` may see. A bureau (a region scope) sees an application once it has
/// been submitted: an enterprise's unsubmitted draft and its attachments are its own.
pub(crate) fn app_scope(scope: &DataScope) -> sea_orm::sea_query::Condition {
    let c = sql::scope_condition(scope, APPS);
    match scope {
        DataScope::Region { .. } => sea_orm::sea_query::Cond::all()
            .add(c)
            .add(Expr::col(("applications", "submitted_at")).is_not_null()),
        _ => c,
    }
}

pub(crate) async fn get_app<C: ConnectionTrait>(
    c: &C,
    scope: &DataScope,
    id: i64,
) -> StoreResult<Application> {
    let mut q = app_select();
    q.cond_where(app_scope(scope))
        .and_where(Expr::col(("applications", "id")).eq(id));
    let r = sql::fetch_one(c, &q).await?.ok_or(StoreError::NotFound)?;
    app_from_row(&r)
}

fn refuse(code: &str, msg: impl Into<String>) -> StoreError {
    StoreError::Conflict(FieldError::new("action", code, msg))
}

async fn milestone_checks<C: ConnectionTrait>(c: &C, id: i64) -> StoreResult<Vec<MilestoneCheck>> {
    let mut q = Query::select();
    q.columns([
        "milestone",
        "passed",
        "note",
        "evidence_name",
        "evidence_sha256",
        "at",
        "by_user",
    ])
    .from("milestone_checks")
    .and_where(Expr::col("application_id").eq(id))
    .order_by("id", Order::Asc);
    sql::fetch_all(c, &q)
        .await?
        .iter()
        .map(|r| {
            Ok(MilestoneCheck {
                milestone: get(r, "milestone")?,
                passed: get(r, "passed")?,
                note: get(r, "note")?,
                evidence_name: get(r, "evidence_name")?,
                evidence_sha256: get(r, "evidence_sha256")?,
                at: get(r, "at")?,
                by: get(r, "by_user")?,
            })
        })
        .collect()
}

async fn disbursements<C: ConnectionTrait>(c: &C, id: i64) -> StoreResult<Vec<Disbursement>> {
    let mut q = Query::select();
    q.columns(["milestone", "amount_fen", "note", "at", "by_user"])
        .from("disbursements")
        .and_where(Expr::col("application_id").eq(id))
        .order_by("id", Order::Asc);
    sql::fetch_all(c, &q)
        .await?
        .iter()
        .map(|r| {
            Ok(Disbursement {
                milestone: get(r, "milestone")?,
                amount: yuan(get(r, "amount_fen")?),
                note: get(r, "note")?,
                at: get(r, "at")?,
                by: get(r, "by_user")?,
            })
        })
        .collect()
}

/// One move of an application through the state machine.
struct Move<'a> {
    from: AppStatus,
    to: AppStatus,
    action: &'a str,
    reason: Option<String>,
    /// `Some` sets the amount granted (the panel decision), `None` leaves it.
    granted_fen: Option<Option<i64>>,
    /// The audit action: `transition` or `panel`.
    audit: &'static str,
}

/// 滚动支持: the application names a predecessor of the same organization, closed and rated
/// 优秀 or 良好, that no other live application already follows on from.
async fn check_predecessor<C: ConnectionTrait>(c: &C, app: &Application) -> StoreResult<()> {
    let Some(pid) = app.predecessor_id else {
        return Err(refuse(
            "call.rolling",
            "滚动支持须选择本单位已结题且绩效评价为优秀或良好的前期项目",
        ));
    };
    let prev = get_app(c, &DataScope::All, pid).await?;
    if prev.org_id != app.org_id {
        return Err(refuse("call.rolling", "前期项目须为本单位承担的项目"));
    }
    if prev.status != "closed" || !matches!(prev.rating.as_deref(), Some("excellent" | "good")) {
        let rating = prev
            .rating
            .as_deref()
            .map(crate::applicant::rating_label)
            .filter(|s| !s.is_empty())
            .unwrap_or("未评价");
        return Err(refuse(
            "call.rolling",
            format!(
                "前期项目“{}”为{}，绩效评价{}：滚动支持须以已结题且评价为优秀或良好的项目为基础",
                prev.title, prev.status_label, rating
            ),
        ));
    }
    let mut q = Query::select();
    q.columns(["id", "title"])
        .from("applications")
        .and_where(Expr::col("predecessor_id").eq(pid))
        .and_where(Expr::col("id").ne(app.id))
        .and_where(Expr::col("status").is_not_in(["draft", "withdrawn", "rejected"]));
    if let Some(r) = sql::fetch_one(c, &q).await? {
        return Err(refuse(
            "rolling.used",
            format!(
                "前期项目“{}”已有后续滚动支持申报“{}”",
                prev.title,
                get::<String>(&r, "title")?
            ),
        ));
    }
    Ok(())
}

/// A leader whose project was rated 不合格 may not lead a new application for
/// [`FAILED_PROJECT_BAR_YEARS`] years from the rating (the usual clause of the provincial
/// 科技计划项目管理办法: 验收不通过的项目负责人三年内不得申报).
async fn check_failed_projects<C: ConnectionTrait>(
    c: &C,
    app: &Application,
    today: chrono::NaiveDate,
) -> StoreResult<()> {
    let since = today
        .checked_sub_months(chrono::Months::new(12 * FAILED_PROJECT_BAR_YEARS))
        .unwrap_or(today)
        .to_string();
    let mut q = Query::select();
    q.columns(["title", "rated_on"])
        .from("applications")
        .and_where(Expr::col("leader_id").eq(app.leader_id))
        .and_where(Expr::col("rating").eq("fail"))
        .and_where(Expr::col("rated_on").gt(since))
        .order_by("rated_on", Order::Desc);
    if let Some(r) = sql::fetch_one(c, &q).await? {
        let rated_on: String = get(&r, "rated_on")?;
        return Err(refuse(
            "leader.failed_project",
            format!(
                "项目负责人{}主持的项目“{}”于{}绩效评价为不合格，{}年内不得作为负责人申报",
                app.leader_name,
                get::<String>(&r, "title")?,
                rated_on,
                FAILED_PROJECT_BAR_YEARS
            ),
        ));
    }
    Ok(())
}

/// Years a leader is barred after a project rated 不合格.
pub const FAILED_PROJECT_BAR_YEARS: u32 = 3;

/// Apply a move: the new status (with `submitted_at` on submission and the grant at the
/// panel), its record in the history with actor and reason, and the audit entry — the one
/// place every status change of an application goes through.
async fn apply_move(
    tx: &mut crate::audit::WriteTx,
    app: &Application,
    m: Move<'_>,
) -> StoreResult<()> {
    let now = now_ms();
    let mut vals: Values = vec![("status", m.to.as_str().into())];
    if m.action == "submit" {
        vals.push(("submitted_at", now.into()));
    }
    if let Some(g) = m.granted_fen {
        vals.push(("granted_fen", g.into()));
    }
    tx.update_as(m.audit, app, vals).await?;
    let tid = tx.new_id().await?;
    let actor = tx.actor().to_owned();
    let mut ins = Query::insert();
    ins.into_table("app_transitions")
        .columns([
            "id",
            "application_id",
            "from_status",
            "to_status",
            "action",
            "reason",
            "actor",
            "at",
        ])
        .values([
            tid.into(),
            app.id.into(),
            m.from.as_str().into(),
            m.to.as_str().into(),
            m.action.into(),
            m.reason.clone().into(),
            actor.into(),
            now.into(),
        ])
        .map_err(StoreError::corrupt)?;
    tx.conn().execute(&ins).await?;
    Ok(())
}
