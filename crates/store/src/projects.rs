//! 科技计划项目: calls (指南/榜单), applications moving through the state machine of
//! `kechuang_domain::project` (every move recorded with its actor and reason), and integrity
//! sanctions (科研诚信) checked at submission, approval and acceptance.
//!
//! Scoping: a call belongs to the organizing bureau's region; an organization sees the calls
//! of its region and the regions above it. An application belongs to its organization (and
//! that organization's region, for officers).

use crate::audit::Change;
use crate::error::{StoreError, StoreResult};
use crate::orgs::{get_org, region_name, region_path};
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
    #[schema(value_type = Object)]
    pub budget: serde_json::Value,
    /// Total, yuan (decimal text).
    pub budget_total: String,
    #[schema(value_type = Object)]
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
    #[serde(skip)]
    pub region_path: String,
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
    /// open | adopted | closed
    #[serde(default)]
    pub status: String,
    /// The call (榜单) that adopted it.
    #[serde(default)]
    pub call_id: Option<i64>,
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
}

fn yuan(fen: i64) -> String {
    kechuang_domain::money::from_fen(fen)
        .normalize()
        .to_string()
}

fn call_select() -> sea_orm::sea_query::SelectStatement {
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
    ])
    .from("calls");
    q
}

fn call_from_row(r: &QueryResult) -> StoreResult<Call> {
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
        region_path: get(r, "region_path")?,
    })
}

pub(crate) async fn get_app<C: ConnectionTrait>(
    c: &C,
    scope: &DataScope,
    id: i64,
) -> StoreResult<Application> {
    let mut q = app_select();
    q.cond_where(sql::scope_condition(scope, APPS))
        .and_where(Expr::col(("applications", "id")).eq(id));
    let r = sql::fetch_one(c, &q).await?.ok_or(StoreError::NotFound)?;
    app_from_row(&r)
}

fn refuse(code: &str, msg: impl Into<String>) -> StoreError {
    StoreError::Conflict(FieldError::new("action", code, msg))
}

impl Store {
    pub async fn create_call(&self, caller: &Caller, c: &NewCall) -> StoreResult<Call> {
        self.create_call_from(caller, c, None).await
    }

    /// Create a call; with `demand`, the enterprise demand (企业出题) it answers is marked
    /// adopted and linked to it in the same transaction (政府立题 from 企业出题).
    pub async fn create_call_from(
        &self,
        caller: &Caller,
        c: &NewCall,
        demand: Option<i64>,
    ) -> StoreResult<Call> {
        let region = match (c.region, &caller.scope) {
            (Some(r), _) => r,
            (None, DataScope::Region { code, .. }) => RegionCode::parse_known(&code[..])?,
            (None, _) => {
                return Err(Invalid::one("region", "region.required", "请填写组织地区").into());
            }
        };
        let path = region_path(region)?;
        if !caller.scope.admits(RecordKeys {
            region_path: Some(&path),
            ..Default::default()
        }) {
            return Err(StoreError::Forbidden("组织地区不在您的管辖范围内".into()));
        }
        let mut tx = self.write(caller).await?;
        for &org_id in &c.designated_orgs {
            if let Err(e) = get_org(tx.conn(), &caller.scope, org_id).await {
                return Err(match e {
                    StoreError::NotFound => Invalid::one(
                        "designated_orgs",
                        "designated_orgs.unknown",
                        format!("指定的承担单位（编号{org_id}）不存在或不在您的管辖范围内"),
                    )
                    .into(),
                    e => e,
                });
            }
        }
        let id = tx.new_id();
        let now = now_ms();
        let mut ins = Query::insert();
        ins.into_table("calls")
            .columns([
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
                "created_at",
                "updated_at",
                "created_by",
            ])
            .values([
                id.into(),
                c.title.clone().into(),
                c.category.clone().into(),
                c.mode.as_str().into(),
                region.to_string().into(),
                path.clone().into(),
                c.budget_fen.into(),
                c.opens_on.to_string().into(),
                c.closes_on.to_string().into(),
                c.eligibility
                    .as_ref()
                    .map(|e| serde_json::to_string(e).unwrap_or_default())
                    .into(),
                c.challenge_target.clone().into(),
                c.challenge_reward_fen.into(),
                i64::from(c.max_active_per_leader).into(),
                Some(&c.designated_orgs)
                    .filter(|d| !d.is_empty())
                    .map(|d| serde_json::to_string(d).unwrap_or_default())
                    .into(),
                Some(&c.form)
                    .filter(|f| !f.is_empty())
                    .map(|f| serde_json::to_string(f).unwrap_or_default())
                    .into(),
                now.into(),
                now.into(),
                caller.user_id.into(),
            ])
            .map_err(StoreError::corrupt)?;
        tx.conn().execute(&ins).await?;
        let mut q = call_select();
        q.and_where(Expr::col("id").eq(id));
        let mut after = [call_from_row(
            &sql::fetch_one(tx.conn(), &q)
                .await?
                .ok_or(StoreError::NotFound)?,
        )?];
        name_designated(tx.conn(), &mut after).await?;
        let [after] = after;
        if let Some(d) = demand {
            let mut q = Query::select();
            q.columns(["id", "status", "title"])
                .from("demands")
                .cond_where(sql::scope_condition(&caller.scope, DEMANDS))
                .and_where(Expr::col("id").eq(d));
            let row = sql::fetch_one(tx.conn(), &q)
                .await?
                .ok_or(StoreError::NotFound)?;
            if get::<String>(&row, "status")? != "open" {
                return Err(refuse("demand.adopted", "该技术需求已被采纳或关闭"));
            }
            let mut up = Query::update();
            up.table("demands")
                .value("status", "adopted")
                .value("call_id", id)
                .value("updated_at", now)
                .and_where(Expr::col("id").eq(d));
            tx.conn().execute(&up).await?;
            tx.record(Change {
                action: "adopt",
                entity: "demand",
                entity_id: d.to_string(),
                region_path: Some(path.clone()),
                org_id: None,
                before: Some(serde_json::json!({"status": "open"})),
                after: Some(serde_json::json!({"status": "adopted", "call_id": id})),
            });
        }
        tx.record(Change {
            action: "create",
            entity: "call",
            entity_id: id.to_string(),
            region_path: Some(path),
            org_id: None,
            before: None,
            after: serde_json::to_value(&after).ok(),
        });
        tx.commit().await?;
        Ok(after)
    }

    pub async fn list_calls(&self, scope: &DataScope) -> StoreResult<Vec<Call>> {
        visible_calls(&self.db, scope).await
    }

    /// Save a draft application (create, or update while in draft / returned).
    pub async fn save_application(
        &self,
        caller: &Caller,
        id: Option<i64>,
        a: &ApplicationInput,
    ) -> StoreResult<Application> {
        let total = a.validate()?;
        let mut tx = self.write(caller).await?;
        let org = get_org(tx.conn(), &caller.scope, a.org_id)
            .await
            .map_err(|e| match e {
                StoreError::NotFound => {
                    Invalid::one("org_id", "org_id.unknown", "申报单位不存在或不在您的范围内")
                        .into()
                }
                e => e,
            })?;
        let calls = visible_calls(tx.conn(), &DataScope::Organization { org_id: org.id }).await?;
        let Some(call) = calls.iter().find(|c| c.id == a.call_id) else {
            return Err(Invalid::one(
                "call_id",
                "call_id.unknown",
                "该指南不存在、不面向本单位所在地区，或为定向委托其他单位的指南",
            )
            .into());
        };
        kechuang_domain::project::check_answers(&call.form, &a.answers, false)?;
        if let Some(p) = a.predecessor_id {
            if call.mode != "rolling" {
                return Err(Invalid::one(
                    "predecessor_id",
                    "predecessor.not_rolling",
                    "只有滚动支持类指南需要填写前期项目",
                )
                .into());
            }
            let prev = get_app(tx.conn(), &DataScope::All, p)
                .await
                .ok()
                .filter(|prev| prev.org_id == org.id);
            if prev.is_none() {
                return Err(Invalid::one(
                    "predecessor_id",
                    "predecessor.unknown",
                    "前期项目不存在或不是本单位承担的项目",
                )
                .into());
            }
        }
        let mut q = Query::select();
        q.column("id").from("persons").and_where(
            Expr::col("id").is_in(std::iter::once(a.leader_id).chain(a.team.iter().copied())),
        );
        let known = sql::fetch_all(tx.conn(), &q).await?.len();
        let mut wanted: Vec<i64> = std::iter::once(a.leader_id)
            .chain(a.team.iter().copied())
            .collect();
        wanted.sort_unstable();
        wanted.dedup();
        if known != wanted.len() {
            return Err(
                Invalid::one("team", "team.unknown", "项目负责人或成员未在人才库登记").into(),
            );
        }
        let before = match id {
            Some(id) => {
                let b = get_app(tx.conn(), &caller.scope, id).await?;
                if !matches!(b.status.as_str(), "draft" | "returned") {
                    return Err(refuse(
                        "application.locked",
                        format!("申报书已{}，不能修改", b.status_label),
                    ));
                }
                Some(b)
            }
            None => None,
        };
        let now = now_ms();
        let vals: Vec<(&str, sea_orm::sea_query::Expr)> = vec![
            ("call_id", a.call_id.into()),
            ("org_id", org.id.into()),
            ("region_path", org.region_path.clone().into()),
            ("title", a.title.trim().into()),
            ("leader_id", a.leader_id.into()),
            (
                "team_json",
                serde_json::to_string(&a.team)
                    .map_err(StoreError::corrupt)?
                    .into(),
            ),
            ("lump_sum", a.lump_sum.into()),
            (
                "budget_json",
                serde_json::to_string(&a.budget)
                    .map_err(StoreError::corrupt)?
                    .into(),
            ),
            ("budget_fen", total.into()),
            (
                "milestones_json",
                serde_json::to_string(&a.milestones)
                    .map_err(StoreError::corrupt)?
                    .into(),
            ),
            (
                "disciplines",
                serde_json::to_string(&a.disciplines)
                    .map_err(StoreError::corrupt)?
                    .into(),
            ),
            (
                "keywords",
                serde_json::to_string(&a.keywords)
                    .map_err(StoreError::corrupt)?
                    .into(),
            ),
            ("integrity_pledge", a.integrity_pledge.into()),
            ("ethics_required", a.ethics_required.into()),
            ("predecessor_id", a.predecessor_id.into()),
            (
                "answers_json",
                serde_json::to_string(&a.answers)
                    .map_err(StoreError::corrupt)?
                    .into(),
            ),
            (
                "ethics_registration",
                a.ethics_registration
                    .clone()
                    .filter(|s| !s.trim().is_empty())
                    .into(),
            ),
            ("updated_at", now.into()),
        ];
        let app_id = match id {
            Some(id) => {
                let mut up = Query::update();
                up.table("applications");
                for (c, v) in vals {
                    up.value(c, v);
                }
                up.and_where(Expr::col("id").eq(id));
                tx.conn().execute(&up).await?;
                id
            }
            None => {
                let id = tx.new_id();
                let mut ins = Query::insert();
                ins.into_table("applications")
                    .columns(vals.iter().map(|(c, _)| *c).chain([
                        "id",
                        "status",
                        "created_at",
                        "created_by",
                    ]))
                    .values(vals.into_iter().map(|(_, v)| v).chain([
                        id.into(),
                        AppStatus::Draft.as_str().into(),
                        now.into(),
                        caller.user_id.into(),
                    ]))
                    .map_err(StoreError::corrupt)?;
                tx.conn().execute(&ins).await?;
                id
            }
        };
        let after = get_app(tx.conn(), &DataScope::All, app_id).await?;
        tx.record(Change {
            action: if before.is_some() { "update" } else { "create" },
            entity: "application",
            entity_id: app_id.to_string(),
            region_path: Some(after.region_path.clone()),
            org_id: Some(after.org_id),
            before: before.and_then(|b| serde_json::to_value(b).ok()),
            after: serde_json::to_value(&after).ok(),
        });
        tx.commit().await?;
        Ok(after)
    }

    pub async fn list_applications(&self, scope: &DataScope) -> StoreResult<Vec<Application>> {
        let mut q = app_select();
        q.cond_where(sql::scope_condition(scope, APPS))
            .order_by(("applications", "id"), Order::Desc)
            .limit(5000);
        sql::fetch_all(&self.db, &q)
            .await?
            .iter()
            .map(app_from_row)
            .collect()
    }

    pub async fn get_application(&self, scope: &DataScope, id: i64) -> StoreResult<Application> {
        get_app(&self.db, scope, id).await
    }

    pub async fn application_history(
        &self,
        scope: &DataScope,
        id: i64,
    ) -> StoreResult<Vec<TransitionRecord>> {
        get_app(&self.db, scope, id).await?;
        let mut q = Query::select();
        q.columns([
            "from_status",
            "to_status",
            "action",
            "reason",
            "actor",
            "at",
        ])
        .from("app_transitions")
        .and_where(Expr::col("application_id").eq(id))
        .order_by("id", Order::Asc);
        sql::fetch_all(&self.db, &q)
            .await?
            .iter()
            .map(|r| {
                Ok(TransitionRecord {
                    from_status: get(r, "from_status")?,
                    to_status: get(r, "to_status")?,
                    action: get(r, "action")?,
                    reason: get(r, "reason")?,
                    actor: get(r, "actor")?,
                    at: get(r, "at")?,
                })
            })
            .collect()
    }

    /// Move an application through the state machine. Submission, approval and closure check
    /// integrity sanctions; submission also checks the call's dates, the pledge, eligibility
    /// (the rules engine's stored result), the leader's active projects and failed projects,
    /// and for 滚动支持 the predecessor, and freezes the registry facts and attachment digests
    /// into the application (一次报送); approval needs the ethics registration when the project
    /// requires one. All in one transaction, audited.
    pub async fn transition_application(
        &self,
        caller: &Caller,
        id: i64,
        action: &str,
        actor: Actor,
        reason: Option<&str>,
        today: chrono::NaiveDate,
    ) -> StoreResult<Application> {
        // The registry facts are read before the write begins (the attachments again inside).
        let snapshot = if action == "submit" {
            let app = get_app(&self.db, &caller.scope, id).await?;
            Some(self.submission_snapshot(&app).await?)
        } else {
            None
        };
        let mut tx = self.write(caller).await?;
        let app = get_app(tx.conn(), &caller.scope, id).await?;
        let from = AppStatus::parse(&app.status).map_err(StoreError::corrupt)?;
        let tr = transition(from, action, actor)?;
        if from == AppStatus::Panel {
            return Err(refuse(
                "panel.required",
                "立项或不予立项须通过会审决策办理（写明批准经费或理由）",
            ));
        }
        let reason = reason.map(str::trim).filter(|s| !s.is_empty());
        if tr.needs_reason && reason.is_none() {
            return Err(Invalid::one(
                "reason",
                "reason.required",
                format!("“{}”须填写理由", tr.label),
            )
            .into());
        }
        let mut q = call_select();
        q.and_where(Expr::col("id").eq(app.call_id));
        let call = call_from_row(
            &sql::fetch_one(tx.conn(), &q)
                .await?
                .ok_or(StoreError::NotFound)?,
        )?;
        if action == "close" && call.mode == "challenge" && reason.is_none() {
            return Err(Invalid::one(
                "reason",
                "reason.challenge_verdict",
                format!(
                    "揭榜挂帅项目结题须写明验收结论：是否达到揭榜目标（{}）",
                    call.challenge_target.as_deref().unwrap_or("见榜单")
                ),
            )
            .into());
        }
        if action == "eliminate" && call.mode != "horse_race" {
            return Err(refuse(
                "eliminate.not_horse_race",
                "只有赛马制项目可以按阶段评价淘汰",
            ));
        }
        let today_s = today.to_string();
        if matches!(action, "submit" | "close") {
            let sanctioned = active_sanctions(tx.conn(), &app, &today_s).await?;
            if let Some((who, s)) = sanctioned.first() {
                return Err(refuse(
                    "integrity.sanctioned",
                    format!(
                        "{who}存在有效的科研失信处理记录（{}，{}至{}，{}），不能{}",
                        s.measure, s.starts_on, s.ends_on, s.source_document, tr.label
                    ),
                ));
            }
        }
        if action == "submit" {
            let mut named = [call];
            name_designated(tx.conn(), &mut named).await?;
            let [call] = named;
            if let Some(msg) = designated_refusal(&call, app.org_id) {
                return Err(refuse("call.not_designated", msg));
            }
            if today_s < call.opens_on || today_s > call.closes_on {
                return Err(refuse(
                    "call.closed",
                    format!(
                        "指南“{}”的申报时间为{}至{}，当前不在申报期内",
                        call.title, call.opens_on, call.closes_on
                    ),
                ));
            }
            if !app.integrity_pledge {
                return Err(refuse("integrity.pledge", "提交前须签署科研诚信承诺书"));
            }
            kechuang_domain::project::check_answers(&call.form, &app.answers, true)?;
            if app.ethics_required && app.ethics_registration.is_none() {
                // Allowed at submission; approval needs it. Nothing to do here.
            }
            if let Some(el) = &call.eligibility {
                let mut q = Query::select();
                q.columns(["year", "qualified", "outputs_json"])
                    .from("rule_results")
                    .and_where(Expr::col("pack").eq(el.pack.clone()))
                    .and_where(Expr::col("org_id").eq(app.org_id))
                    .and_where(Expr::col("year").lte(i64::from(chrono::Datelike::year(&today))))
                    .order_by("year", Order::Desc)
                    .limit(1);
                let ok = match sql::fetch_one(tx.conn(), &q).await? {
                    Some(r) => match el.output.as_deref().filter(|o| *o != "qualified") {
                        None => get::<Option<bool>>(&r, "qualified")?.unwrap_or(false),
                        Some(o) => {
                            let outputs: serde_json::Value =
                                serde_json::from_str(&get::<String>(&r, "outputs_json")?)
                                    .map_err(StoreError::corrupt)?;
                            outputs.get(o).and_then(serde_json::Value::as_bool) == Some(true)
                        }
                    },
                    None => false,
                };
                if !ok {
                    return Err(refuse(
                        "call.ineligible",
                        format!(
                            "不符合申报条件：{}（依据“{}”政策包的最新评价结果）",
                            el.description, el.pack
                        ),
                    ));
                }
            }
            if call.mode == "rolling" {
                check_predecessor(tx.conn(), &app).await?;
            }
            check_failed_projects(tx.conn(), &app, today).await?;
            let mut q = Query::select();
            q.columns(["id", "status"])
                .from("applications")
                .and_where(Expr::col("leader_id").eq(app.leader_id))
                .and_where(Expr::col("id").ne(app.id));
            let mut active = 0;
            for r in sql::fetch_all(tx.conn(), &q).await? {
                let s: String = get(&r, "status")?;
                if AppStatus::parse(&s).is_ok_and(is_active) {
                    active += 1;
                }
            }
            if active >= call.max_active_per_leader {
                return Err(refuse(
                    "leader.too_many",
                    format!(
                        "项目负责人{}已主持{}项在研项目，达到本指南上限{}项",
                        app.leader_name, active, call.max_active_per_leader
                    ),
                ));
            }
        }
        if let Some(mut snap) = snapshot {
            let files = crate::applicant::attachments_of(tx.conn(), app.id).await?;
            snap["attachments"] = files
                .iter()
                .map(|a| {
                    serde_json::json!({
                        "file_name": a.file_name, "sha256": a.sha256,
                        "size_bytes": a.size_bytes, "kind": a.kind,
                    })
                })
                .collect();
            let mut up = Query::update();
            up.table("applications")
                .value("registry_snapshot", snap.to_string())
                .and_where(Expr::col("id").eq(app.id));
            tx.conn().execute(&up).await?;
        }
        apply_move(
            &mut tx,
            &app,
            Move {
                from,
                to: tr.to,
                action,
                reason: reason.map(str::to_owned),
                granted_fen: None,
                audit: "transition",
            },
        )
        .await?;
        let after = get_app(tx.conn(), &DataScope::All, id).await?;
        tx.commit().await?;
        Ok(after)
    }

    /// 会审决策: approve applications with the amount granted to each, or reject them with a
    /// reason, for one call, in one transaction. The amounts granted in the call, with those
    /// already approved, stay within the call's budget; each application must be at the panel
    /// stage; approval still needs the ethics registration where one is required.
    pub async fn panel_decide(
        &self,
        caller: &Caller,
        call_id: i64,
        decisions: &[PanelDecision],
        today: chrono::NaiveDate,
    ) -> StoreResult<Vec<Application>> {
        if decisions.is_empty() {
            return Err(Invalid::one(
                "decisions",
                "decisions.required",
                "请至少对一个项目作出决定",
            )
            .into());
        }
        let mut c = kechuang_domain::error::Collector::default();
        let mut grants = Vec::with_capacity(decisions.len());
        for (n, d) in decisions.iter().enumerate() {
            let f = format!("decisions[{n}]");
            if d.approve {
                match kechuang_domain::money::parse_yuan(
                    &f,
                    "批准经费",
                    d.amount.as_deref().unwrap_or(""),
                    true,
                )
                .ok()
                .and_then(kechuang_domain::money::to_fen)
                {
                    Some(v) if v > 0 => grants.push(v),
                    _ => {
                        grants.push(0);
                        c.push(FieldError::new(
                            &f,
                            "amount.required",
                            format!("第{}项：批准立项须填写大于0的批准经费（元）", n + 1),
                        ));
                    }
                }
            } else {
                grants.push(0);
                if d.reason.as_deref().map(str::trim).unwrap_or("").is_empty() {
                    c.push(FieldError::new(
                        &f,
                        "reason.required",
                        format!("第{}项：不予立项须填写理由", n + 1),
                    ));
                }
            }
        }
        c.finish()?;
        let mut tx = self.write(caller).await?;
        let mut q = call_select();
        q.cond_where(sql::scope_condition(&caller.scope, CALLS))
            .and_where(Expr::col("id").eq(call_id));
        let call = call_from_row(
            &sql::fetch_one(tx.conn(), &q)
                .await?
                .ok_or(StoreError::NotFound)?,
        )?;
        let mut q = Query::select();
        q.expr_as(
            Expr::cust("CAST(COALESCE(SUM(granted_fen), 0) AS BIGINT)"),
            "g",
        )
        .from("applications")
        .and_where(Expr::col("call_id").eq(call_id));
        let already: i64 = get(
            &sql::fetch_one(tx.conn(), &q)
                .await?
                .ok_or(StoreError::NotFound)?,
            "g",
        )?;
        let budget =
            kechuang_domain::money::to_fen(call.budget.parse().map_err(StoreError::corrupt)?)
                .ok_or_else(|| StoreError::corrupt("budget"))?;
        let asked: i64 = grants.iter().sum();
        if already + asked > budget {
            return Err(refuse(
                "panel.over_budget",
                format!(
                    "批准经费合计{}元，加上已批准的{}元，超出指南总预算{}元",
                    yuan(asked),
                    yuan(already),
                    call.budget
                ),
            ));
        }
        let mut out = Vec::new();
        for (d, grant) in decisions.iter().zip(&grants) {
            let app = get_app(tx.conn(), &caller.scope, d.application_id).await?;
            if app.call_id != call_id {
                return Err(Invalid::one(
                    "application_id",
                    "application.other_call",
                    format!("项目“{}”不属于该指南", app.title),
                )
                .into());
            }
            let from = AppStatus::parse(&app.status).map_err(StoreError::corrupt)?;
            let action = if d.approve { "approve" } else { "reject" };
            let tr = transition(from, action, Actor::Officer)?;
            if d.approve && app.ethics_required && app.ethics_registration.is_none() {
                return Err(refuse(
                    "ethics.required",
                    format!(
                        "项目“{}”涉及伦理审查，须先完成伦理审查备案才能立项",
                        app.title
                    ),
                ));
            }
            if d.approve {
                let sanctioned = active_sanctions(tx.conn(), &app, &today.to_string()).await?;
                if let Some((who, s)) = sanctioned.first() {
                    return Err(refuse(
                        "integrity.sanctioned",
                        format!(
                            "项目“{}”的{who}存在有效的科研失信处理记录（{}，{}），不能立项",
                            app.title, s.measure, s.source_document
                        ),
                    ));
                }
            }
            let reason = if d.approve {
                Some(format!("批准经费{}元", yuan(*grant)))
            } else {
                d.reason.as_deref().map(|r| r.trim().to_owned())
            };
            apply_move(
                &mut tx,
                &app,
                Move {
                    from,
                    to: tr.to,
                    action,
                    reason,
                    granted_fen: Some(d.approve.then_some(*grant)),
                    audit: "panel",
                },
            )
            .await?;
            out.push(app.id);
        }
        let mut after = Vec::with_capacity(out.len());
        for id in out {
            after.push(get_app(tx.conn(), &DataScope::All, id).await?);
        }
        tx.commit().await?;
        Ok(after)
    }

    /// Send a call's applications at the expert-review stage to a review round (专家评审):
    /// one item per application, with its applicant, disciplines, keywords and team (leader
    /// and members) for 回避. The round and its items are created together.
    pub async fn review_round_for_call(
        &self,
        caller: &Caller,
        call_id: i64,
        round: &kechuang_domain::review::NewRound,
    ) -> StoreResult<crate::review::Round> {
        self.review_round_for_stage(caller, call_id, round, AppStatus::ExpertReview)
            .await
    }

    /// The same for the acceptance stage (验收评审): projects of the call awaiting acceptance.
    pub async fn acceptance_round_for_call(
        &self,
        caller: &Caller,
        call_id: i64,
        round: &kechuang_domain::review::NewRound,
    ) -> StoreResult<crate::review::Round> {
        self.review_round_for_stage(caller, call_id, round, AppStatus::Acceptance)
            .await
    }

    async fn review_round_for_stage(
        &self,
        caller: &Caller,
        call_id: i64,
        round: &kechuang_domain::review::NewRound,
        stage: AppStatus,
    ) -> StoreResult<crate::review::Round> {
        let call = visible_calls(&self.db, &caller.scope)
            .await?
            .into_iter()
            .find(|c| c.id == call_id)
            .ok_or(StoreError::NotFound)?;
        let apps: Vec<Application> = self
            .list_applications(&caller.scope)
            .await?
            .into_iter()
            .filter(|a| a.call_id == call.id && a.status == stage.as_str())
            .collect();
        if apps.is_empty() {
            return Err(refuse(
                "review.no_applications",
                format!("指南“{}”没有处于“{}”阶段的项目", call.title, stage.label()),
            ));
        }
        let kind = if stage == AppStatus::Acceptance {
            kechuang_domain::review::ObjectKind::Acceptance
        } else {
            kechuang_domain::review::ObjectKind::Application
        };
        // Projects already in a round of this kind are not put in another: a second round for
        // the call takes only those that reached the stage since.
        let refs: Vec<String> = apps
            .iter()
            .map(|a| format!("application:{}", a.id))
            .collect();
        let mut q = Query::select();
        q.column(("review_items", "object_ref"))
            .from("review_items")
            .inner_join(
                "review_rounds",
                Expr::col(("review_rounds", "id")).equals(("review_items", "round_id")),
            )
            .and_where(Expr::col(("review_rounds", "object_kind")).eq(kind.as_str()))
            .and_where(Expr::col(("review_items", "object_ref")).is_in(refs));
        let mut taken = std::collections::HashSet::new();
        for r in sql::fetch_all(&self.db, &q).await? {
            if let Some(x) = get::<Option<String>>(&r, "object_ref")? {
                taken.insert(x);
            }
        }
        let apps: Vec<Application> = apps
            .into_iter()
            .filter(|a| !taken.contains(&format!("application:{}", a.id)))
            .collect();
        if apps.is_empty() {
            return Err(refuse(
                "review.already_organized",
                format!(
                    "指南“{}”处于“{}”阶段的项目都已组织评审，不能重复组织",
                    call.title,
                    stage.label()
                ),
            ));
        }
        let items: Vec<kechuang_domain::review::ItemInput> = apps
            .iter()
            .map(|a| kechuang_domain::review::ItemInput {
                title: a.title.clone(),
                object_ref: Some(format!("application:{}", a.id)),
                org_id: Some(a.org_id),
                disciplines: a.disciplines.clone(),
                keywords: a.keywords.clone(),
                team: std::iter::once(a.leader_id)
                    .chain(a.team.iter().copied())
                    .collect(),
                avoid: Vec::new(),
            })
            .collect();
        let mut r = round.clone();
        r.object_kind = kind;
        if r.region.is_none() {
            r.region = Some(RegionCode::parse_known(&call.region_code)?);
        }
        self.create_round_with_items(caller, &r, &items).await
    }

    /// 里程碑考核: record the check of one milestone (passed or not) with its evidence, while
    /// the project is running.
    pub async fn check_milestone(
        &self,
        caller: &Caller,
        id: i64,
        c: &MilestoneCheck,
    ) -> StoreResult<Vec<MilestoneCheck>> {
        let note = c.note.trim();
        if note.is_empty() || note.chars().count() > 2000 {
            return Err(
                Invalid::one("note", "note.required", "请填写考核意见（不超过2000字）").into(),
            );
        }
        if c.evidence_sha256
            .as_deref()
            .is_some_and(|h| h.len() != 64 || !h.bytes().all(|b| b.is_ascii_hexdigit()))
        {
            return Err(Invalid::one(
                "evidence_sha256",
                "evidence_sha256.format",
                "佐证材料的摘要应为64位十六进制SHA-256",
            )
            .into());
        }
        let mut tx = self.write(caller).await?;
        let app = get_app(tx.conn(), &caller.scope, id).await?;
        if !matches!(
            app.status.as_str(),
            "in_progress" | "mid_term" | "acceptance"
        ) {
            return Err(refuse(
                "milestone.status",
                format!("项目{}，不能进行里程碑考核", app.status_label),
            ));
        }
        let count = app.milestones.as_array().map_or(0, Vec::len) as i64;
        if !(0..count).contains(&c.milestone) {
            return Err(Invalid::one(
                "milestone",
                "milestone.unknown",
                format!("项目只有{count}个里程碑"),
            )
            .into());
        }
        let cid = tx.new_id();
        let mut ins = Query::insert();
        ins.into_table("milestone_checks")
            .columns([
                "id",
                "application_id",
                "milestone",
                "passed",
                "note",
                "evidence_name",
                "evidence_sha256",
                "at",
                "by_user",
            ])
            .values([
                cid.into(),
                id.into(),
                c.milestone.into(),
                c.passed.into(),
                note.into(),
                c.evidence_name.clone().into(),
                c.evidence_sha256
                    .clone()
                    .map(|h| h.to_ascii_lowercase())
                    .into(),
                now_ms().into(),
                caller.username.clone().into(),
            ])
            .map_err(StoreError::corrupt)?;
        tx.conn().execute(&ins).await?;
        tx.record(Change {
            action: "milestone_check",
            entity: "application",
            entity_id: id.to_string(),
            region_path: Some(app.region_path.clone()),
            org_id: Some(app.org_id),
            before: None,
            after: serde_json::to_value(c).ok(),
        });
        let all = milestone_checks(tx.conn(), id).await?;
        tx.commit().await?;
        Ok(all)
    }

    /// 拨付: record a disbursement, optionally against a passed milestone; the total never
    /// exceeds the amount granted.
    pub async fn disburse(
        &self,
        caller: &Caller,
        id: i64,
        d: &Disbursement,
    ) -> StoreResult<Vec<Disbursement>> {
        let fen = kechuang_domain::money::parse_yuan("amount", "拨付金额", &d.amount, true)
            .ok()
            .and_then(kechuang_domain::money::to_fen)
            .filter(|f| *f > 0)
            .ok_or_else(|| {
                Invalid::one("amount", "amount.invalid", "拨付金额应为大于0的金额（元）")
            })?;
        let mut tx = self.write(caller).await?;
        let app = get_app(tx.conn(), &caller.scope, id).await?;
        if !matches!(
            app.status.as_str(),
            "contracted" | "in_progress" | "mid_term" | "acceptance" | "closed"
        ) {
            return Err(refuse(
                "disbursement.status",
                format!("项目{}，不能拨付经费", app.status_label),
            ));
        }
        if let Some(m) = d.milestone {
            let passed = milestone_checks(tx.conn(), id)
                .await?
                .iter()
                .any(|c| c.milestone == m && c.passed);
            if !passed {
                return Err(refuse(
                    "disbursement.milestone",
                    format!("第{}个里程碑尚未考核通过，不能按该里程碑拨付", m + 1),
                ));
            }
        }
        let granted = app
            .granted
            .as_deref()
            .and_then(|g| g.parse().ok())
            .and_then(kechuang_domain::money::to_fen)
            .unwrap_or(0);
        let paid: i64 = disbursements(tx.conn(), id)
            .await?
            .iter()
            .filter_map(|x| {
                x.amount
                    .parse()
                    .ok()
                    .and_then(kechuang_domain::money::to_fen)
            })
            .sum();
        if paid + fen > granted {
            return Err(refuse(
                "disbursement.over_grant",
                format!(
                    "拨付合计{}元将超过批准经费{}元（已拨付{}元）",
                    yuan(paid + fen),
                    yuan(granted),
                    yuan(paid)
                ),
            ));
        }
        let did = tx.new_id();
        let mut ins = Query::insert();
        ins.into_table("disbursements")
            .columns([
                "id",
                "application_id",
                "milestone",
                "amount_fen",
                "note",
                "at",
                "by_user",
            ])
            .values([
                did.into(),
                id.into(),
                d.milestone.into(),
                fen.into(),
                d.note.trim().into(),
                now_ms().into(),
                caller.username.clone().into(),
            ])
            .map_err(StoreError::corrupt)?;
        tx.conn().execute(&ins).await?;
        tx.record(Change {
            action: "disburse",
            entity: "application",
            entity_id: id.to_string(),
            region_path: Some(app.region_path.clone()),
            org_id: Some(app.org_id),
            before: Some(serde_json::json!({"paid": yuan(paid)})),
            after: Some(serde_json::json!({"paid": yuan(paid + fen), "milestone": d.milestone})),
        });
        let all = disbursements(tx.conn(), id).await?;
        tx.commit().await?;
        Ok(all)
    }

    /// 任务书: the contract generated from the approved application, as label/value rows
    /// (basic data, grant, budget, team, milestones with their measurable targets).
    pub async fn task_book(
        &self,
        scope: &DataScope,
        id: i64,
    ) -> StoreResult<Vec<(String, String)>> {
        let app = get_app(&self.db, scope, id).await?;
        if !matches!(
            app.status.as_str(),
            "approved" | "contracted" | "in_progress" | "mid_term" | "acceptance" | "closed"
        ) {
            return Err(refuse(
                "task_book.status",
                format!("项目{}，尚未立项，不能生成任务书", app.status_label),
            ));
        }
        let mut q = call_select();
        q.and_where(Expr::col("id").eq(app.call_id));
        let call = call_from_row(
            &sql::fetch_one(&self.db, &q)
                .await?
                .ok_or(StoreError::NotFound)?,
        )?;
        let mut q = Query::select();
        q.column("name")
            .from("persons")
            .and_where(Expr::col("id").is_in(app.team.iter().copied()));
        let team: Vec<String> = sql::fetch_all(&self.db, &q)
            .await?
            .iter()
            .map(|r| get::<String>(r, "name"))
            .collect::<StoreResult<_>>()?;
        let mode = kechuang_domain::project::OrganizingMode::parse(&call.mode)
            .map(|m| m.label().to_owned())
            .unwrap_or_default();
        let mut rows = vec![
            ("项目名称".to_owned(), app.title.clone()),
            ("项目编号".to_owned(), format!("{}-{}", call.id, app.id)),
            ("计划类别".to_owned(), call.category.clone()),
            ("组织方式".to_owned(), mode),
            ("所属指南".to_owned(), call.title.clone()),
            ("承担单位".to_owned(), app.org_name.clone()),
            ("项目负责人".to_owned(), app.leader_name.clone()),
            ("项目组成员".to_owned(), team.join("、")),
            (
                "批准经费（元）".to_owned(),
                app.granted.clone().unwrap_or_default(),
            ),
            (
                "经费管理方式".to_owned(),
                if app.lump_sum {
                    "包干制"
                } else {
                    "预算制"
                }
                .to_owned(),
            ),
        ];
        if let Some(t) = &call.challenge_target {
            rows.push(("揭榜技术指标".to_owned(), t.clone()));
        }
        for line in app.budget.as_array().into_iter().flatten() {
            rows.push((
                format!("预算：{}", line["item"].as_str().unwrap_or_default()),
                line["amount"].as_str().unwrap_or_default().to_owned(),
            ));
        }
        for (n, m) in app.milestones.as_array().into_iter().flatten().enumerate() {
            rows.push((
                format!(
                    "里程碑{}：{}（{}）",
                    n + 1,
                    m["title"].as_str().unwrap_or_default(),
                    m["due_on"].as_str().unwrap_or_default()
                ),
                m["target"].as_str().unwrap_or_default().to_owned(),
            ));
        }
        rows.push((
            "科研诚信".to_owned(),
            "承担单位和项目组成员已签署科研诚信承诺书，违反承诺的按科研失信行为处理".to_owned(),
        ));
        if app.ethics_required {
            rows.push((
                "伦理审查备案号".to_owned(),
                app.ethics_registration.clone().unwrap_or_default(),
            ));
        }
        Ok(rows)
    }

    /// 绩效评价 of a closed project, kept for later calls (滚动支持 needs 优秀 or 良好).
    pub async fn rate_project(
        &self,
        caller: &Caller,
        id: i64,
        rating: &str,
        note: &str,
        today: chrono::NaiveDate,
    ) -> StoreResult<Application> {
        if !matches!(rating, "excellent" | "good" | "pass" | "fail") {
            return Err(Invalid::one(
                "rating",
                "rating.unknown",
                "绩效评价应为 excellent（优秀）、good（良好）、pass（合格）或 fail（不合格）",
            )
            .into());
        }
        let mut tx = self.write(caller).await?;
        let app = get_app(tx.conn(), &caller.scope, id).await?;
        if app.status != "closed" {
            return Err(refuse("rating.status", "只有已结题的项目可以进行绩效评价"));
        }
        let mut up = Query::update();
        up.table("applications")
            .value("rating", rating)
            .value("rated_on", today.to_string())
            .value(
                "rating_note",
                Some(note.trim().to_owned()).filter(|s| !s.is_empty()),
            )
            .value("updated_at", now_ms())
            .and_where(Expr::col("id").eq(id));
        tx.conn().execute(&up).await?;
        tx.record(Change {
            action: "rate",
            entity: "application",
            entity_id: id.to_string(),
            region_path: Some(app.region_path.clone()),
            org_id: Some(app.org_id),
            before: Some(serde_json::json!({"rating": app.rating})),
            after: Some(serde_json::json!({"rating": rating, "note": note})),
        });
        let after = get_app(tx.conn(), &DataScope::All, id).await?;
        tx.commit().await?;
        Ok(after)
    }

    /// Milestone checks and disbursements of a project.
    pub async fn execution_record(
        &self,
        scope: &DataScope,
        id: i64,
    ) -> StoreResult<(Vec<MilestoneCheck>, Vec<Disbursement>)> {
        get_app(&self.db, scope, id).await?;
        Ok((
            milestone_checks(&self.db, id).await?,
            disbursements(&self.db, id).await?,
        ))
    }

    /// Record the ethics review registration (伦理审查备案号) of an application that needs one,
    /// at any time before approval.
    pub async fn record_ethics(
        &self,
        caller: &Caller,
        id: i64,
        registration: &str,
    ) -> StoreResult<Application> {
        let registration = registration.trim();
        if registration.is_empty() || registration.chars().count() > 100 {
            return Err(Invalid::one(
                "registration",
                "registration.required",
                "请填写伦理审查备案号（不超过100字）",
            )
            .into());
        }
        let mut tx = self.write(caller).await?;
        let before = get_app(tx.conn(), &caller.scope, id).await?;
        let status = AppStatus::parse(&before.status).map_err(StoreError::corrupt)?;
        if !matches!(
            status,
            AppStatus::Draft
                | AppStatus::Submitted
                | AppStatus::FormalCheck
                | AppStatus::Returned
                | AppStatus::ExpertReview
                | AppStatus::Panel
        ) {
            return Err(refuse(
                "ethics.too_late",
                format!("项目已{}，不能再登记伦理审查备案", before.status_label),
            ));
        }
        let mut up = Query::update();
        up.table("applications")
            .value("ethics_registration", registration)
            .value("updated_at", now_ms())
            .and_where(Expr::col("id").eq(id));
        tx.conn().execute(&up).await?;
        tx.record(Change {
            action: "ethics",
            entity: "application",
            entity_id: id.to_string(),
            region_path: Some(before.region_path.clone()),
            org_id: Some(before.org_id),
            before: Some(serde_json::json!({"ethics_registration": before.ethics_registration})),
            after: Some(serde_json::json!({"ethics_registration": registration})),
        });
        let after = get_app(tx.conn(), &DataScope::All, id).await?;
        tx.commit().await?;
        Ok(after)
    }

    /// 企业出题: an enterprise posts a technical demand for its own organization.
    pub async fn post_demand(&self, caller: &Caller, d: &Demand) -> StoreResult<Demand> {
        let mut c = kechuang_domain::error::Collector::default();
        if d.title.trim().is_empty() || d.title.chars().count() > 200 {
            c.push(FieldError::new(
                "title",
                "title.required",
                "需求名称不能为空且不超过200个字",
            ));
        }
        if d.description.trim().is_empty() || d.target.trim().is_empty() {
            c.push(FieldError::new(
                "target",
                "target.required",
                "请写明需求内容和要达到的技术指标",
            ));
        }
        let budget = match d.budget.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            Some(b) => match kechuang_domain::money::parse_yuan("budget", "拟投入经费", b, true)
            {
                Ok(v) => kechuang_domain::money::to_fen(v),
                Err(Invalid(es)) => {
                    for e in es {
                        c.push(e);
                    }
                    None
                }
            },
            None => None,
        };
        c.finish()?;
        let mut tx = self.write(caller).await?;
        let org = get_org(tx.conn(), &caller.scope, d.org_id).await?;
        let id = tx.new_id();
        let now = now_ms();
        let mut ins = Query::insert();
        ins.into_table("demands")
            .columns([
                "id",
                "org_id",
                "region_path",
                "title",
                "description",
                "target",
                "budget_fen",
                "status",
                "created_at",
                "updated_at",
                "created_by",
            ])
            .values([
                id.into(),
                org.id.into(),
                org.region_path.clone().into(),
                d.title.trim().into(),
                d.description.trim().into(),
                d.target.trim().into(),
                budget.into(),
                "open".into(),
                now.into(),
                now.into(),
                caller.user_id.into(),
            ])
            .map_err(StoreError::corrupt)?;
        tx.conn().execute(&ins).await?;
        let mut after = d.clone();
        after.id = id;
        after.org_name = org.name.clone();
        after.status = "open".into();
        tx.record(Change {
            action: "create",
            entity: "demand",
            entity_id: id.to_string(),
            region_path: Some(org.region_path.clone()),
            org_id: Some(org.id),
            before: None,
            after: serde_json::to_value(&after).ok(),
        });
        tx.commit().await?;
        Ok(after)
    }

    pub async fn list_demands(&self, scope: &DataScope) -> StoreResult<Vec<Demand>> {
        let mut q = Query::select();
        q.columns(
            [
                "id",
                "org_id",
                "title",
                "description",
                "target",
                "budget_fen",
                "status",
                "call_id",
            ]
            .map(|c| ("demands", c)),
        )
        .expr_as(Expr::col(("organizations", "name")), "org_name")
        .from("demands")
        .inner_join(
            "organizations",
            Expr::col(("organizations", "id")).equals(("demands", "org_id")),
        )
        .cond_where(sql::scope_condition(scope, DEMANDS))
        .order_by(("demands", "id"), Order::Desc);
        sql::fetch_all(&self.db, &q)
            .await?
            .iter()
            .map(|r| {
                Ok(Demand {
                    id: get(r, "id")?,
                    org_id: get(r, "org_id")?,
                    org_name: get(r, "org_name")?,
                    title: get(r, "title")?,
                    description: get(r, "description")?,
                    target: get(r, "target")?,
                    budget: get::<Option<i64>>(r, "budget_fen")?.map(yuan),
                    status: get(r, "status")?,
                    call_id: get(r, "call_id")?,
                })
            })
            .collect()
    }

    /// Record an integrity sanction (officers, within their region).
    pub async fn create_sanction(&self, caller: &Caller, s: &Sanction) -> StoreResult<Sanction> {
        let mut c = kechuang_domain::error::Collector::default();
        if s.person_id.is_some() == s.org_id.is_some() {
            c.push(FieldError::new(
                "person_id",
                "subject.required",
                "请指定被处理的人员或单位（二选一）",
            ));
        }
        if s.measure.trim().is_empty() || s.source_document.trim().is_empty() {
            c.push(FieldError::new(
                "measure",
                "measure.required",
                "请填写处理措施和处理决定文号",
            ));
        }
        let d = |v: &str| chrono::NaiveDate::parse_from_str(v.trim(), "%Y-%m-%d").ok();
        match (d(&s.starts_on), d(&s.ends_on)) {
            (Some(a), Some(b)) if a <= b => {}
            _ => c.push(FieldError::new(
                "ends_on",
                "period.invalid",
                "处理期限应为 YYYY-MM-DD，且结束不早于开始",
            )),
        }
        c.finish()?;
        let mut tx = self.write(caller).await?;
        let path = match (s.person_id, s.org_id) {
            (Some(p), _) => {
                let mut q = Query::select();
                q.column("region_path")
                    .from("persons")
                    .cond_where(sql::scope_condition(&caller.scope, crate::persons::COLS))
                    .and_where(Expr::col("id").eq(p));
                get::<String>(
                    &sql::fetch_one(tx.conn(), &q)
                        .await?
                        .ok_or(StoreError::NotFound)?,
                    "region_path",
                )?
            }
            (None, Some(o)) => get_org(tx.conn(), &caller.scope, o).await?.region_path,
            (None, None) => return Err(StoreError::NotFound),
        };
        let id = tx.new_id();
        let mut ins = Query::insert();
        ins.into_table("sanctions")
            .columns([
                "id",
                "person_id",
                "org_id",
                "region_path",
                "measure",
                "starts_on",
                "ends_on",
                "source_document",
                "created_at",
                "created_by",
            ])
            .values([
                id.into(),
                s.person_id.into(),
                s.org_id.into(),
                path.clone().into(),
                s.measure.trim().into(),
                s.starts_on.trim().into(),
                s.ends_on.trim().into(),
                s.source_document.trim().into(),
                now_ms().into(),
                caller.user_id.into(),
            ])
            .map_err(StoreError::corrupt)?;
        tx.conn().execute(&ins).await?;
        let mut after = s.clone();
        after.id = id;
        tx.record(Change {
            action: "create",
            entity: "sanction",
            entity_id: id.to_string(),
            region_path: Some(path),
            org_id: s.org_id,
            before: None,
            after: serde_json::to_value(&after).ok(),
        });
        tx.commit().await?;
        Ok(after)
    }

    pub async fn list_sanctions(&self, scope: &DataScope) -> StoreResult<Vec<Sanction>> {
        let mut q = Query::select();
        q.columns([
            "id",
            "person_id",
            "org_id",
            "measure",
            "starts_on",
            "ends_on",
            "source_document",
        ])
        .from("sanctions")
        .cond_where(sql::scope_condition(scope, SANCTIONS))
        .order_by("id", Order::Desc);
        sql::fetch_all(&self.db, &q)
            .await?
            .iter()
            .map(sanction_from_row)
            .collect()
    }
}

fn sanction_from_row(r: &QueryResult) -> StoreResult<Sanction> {
    Ok(Sanction {
        id: get(r, "id")?,
        person_id: get(r, "person_id")?,
        org_id: get(r, "org_id")?,
        measure: get(r, "measure")?,
        starts_on: get(r, "starts_on")?,
        ends_on: get(r, "ends_on")?,
        source_document: get(r, "source_document")?,
    })
}

/// Sanctions in force today on the applicant organization, the leader or a team member, with
/// who they name.
async fn active_sanctions<C: ConnectionTrait>(
    c: &C,
    app: &Application,
    today: &str,
) -> StoreResult<Vec<(String, Sanction)>> {
    let people: Vec<i64> = std::iter::once(app.leader_id)
        .chain(app.team.iter().copied())
        .collect();
    let mut q = Query::select();
    q.columns([
        "id",
        "person_id",
        "org_id",
        "measure",
        "starts_on",
        "ends_on",
        "source_document",
    ])
    .from("sanctions")
    .cond_where(
        sea_orm::sea_query::Cond::any()
            .add(Expr::col("org_id").eq(app.org_id))
            .add(Expr::col("person_id").is_in(people)),
    )
    .and_where(Expr::col("starts_on").lte(today))
    .and_where(Expr::col("ends_on").gte(today));
    let mut out = Vec::new();
    for r in sql::fetch_all(c, &q).await? {
        let s = sanction_from_row(&r)?;
        let who = match s.person_id {
            Some(p) if p == app.leader_id => format!("项目负责人{}", app.leader_name),
            Some(_) => "项目组成员".to_owned(),
            None => format!("申报单位{}", app.org_name),
        };
        out.push((who, s));
    }
    Ok(out)
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
    let mut up = Query::update();
    up.table("applications")
        .value("status", m.to.as_str())
        .value("updated_at", now)
        .and_where(Expr::col("id").eq(app.id));
    if m.action == "submit" {
        up.value("submitted_at", now);
    }
    if let Some(g) = m.granted_fen {
        up.value("granted_fen", g);
    }
    tx.conn().execute(&up).await?;
    let tid = tx.new_id();
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
    tx.record(Change {
        action: m.audit,
        entity: "application",
        entity_id: app.id.to_string(),
        region_path: Some(app.region_path.clone()),
        org_id: Some(app.org_id),
        before: Some(serde_json::json!({"status": m.from.as_str()})),
        after: Some(serde_json::json!({
            "status": m.to.as_str(),
            "action": m.action,
            "reason": m.reason,
            "granted": m.granted_fen.flatten().map(yuan),
        })),
    });
    Ok(())
}
