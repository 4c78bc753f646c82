//! 平台全生命周期.
//!
//! - `platform_recognitions` — 认定申报 and 认定 of a platform at a level. Each recognized row is
//!   one rung of the platform's history (an upgraded platform stays one platform with two
//!   recognitions); a new platform applied for is a row of `platforms` in 培育 until recognized.
//! - `platform_reports` — the yearly report (年报) of a platform: staff, R&D spending, output;
//!   a carrier's report adds its incubation figures, counted from `incubatees` at submission.
//!   Submitted reports are evaluated in a review round (`platform_report:{id}` items); the grade
//!   and its consequence (整改, 摘牌) are the `platform-evaluation` pack's, applied here.
//! - `platform_pool` — 培育后备库: platforms the bureau cultivates toward the next level's pack.
//!
//! All are scoped like the platform: its region and its host organization.

use crate::audit::WriteTx;
use crate::error::StoreResult;
use crate::funds::{invalid, refuse, yuan};
use crate::platforms::Platform;
use crate::record::{ListFilter, RecordKind, Stamps, Values};
use crate::sql::{self, ScopeColumns, contains, get, i32_of};
use crate::{Caller, DataScope, Page, PageRequest, Store};
use kechuang_domain::platform::{PlatformLevel, PlatformStatus, PlatformType};
use kechuang_domain::platform_life::{
    NewRecognition, NewReport, PlatformGrade, PoolStatus, RecognitionDecision, RecognitionStatus,
    RecognitionTarget, ReportStatus, is_carrier,
};
use kechuang_domain::review::{ItemInput, NewRound, RoundStatus};
use kechuang_domain::scope::RecordKeys;
use sea_orm::QueryResult;
use sea_orm::sea_query::{Expr, ExprTrait, Order, Query, SelectStatement};
use serde::{Deserialize, Serialize};

const RC: &str = "platform_recognitions";
const RP: &str = "platform_reports";
const PL: &str = "platform_pool";

pub(crate) const fn platform_kind(table: &'static str, entity: &'static str) -> RecordKind {
    RecordKind::own(
        ScopeColumns {
            table,
            region_path: Some("region_path"),
            org: Some("host_org_id"),
            owner: None,
        },
        entity,
        Stamps::ALL,
    )
}

pub(crate) const RECOGNITION_KIND: RecordKind = platform_kind(RC, "platform_recognition");
pub(crate) const REPORT_KIND: RecordKind = platform_kind(RP, "platform_report");
pub(crate) const POOL_KIND: RecordKind = platform_kind(PL, "platform_pool");

fn label<T: Copy>(r: Result<T, kechuang_domain::Invalid>, f: fn(T) -> &'static str) -> String {
    r.map(f).unwrap_or_default().to_owned()
}

fn level_label(l: &str) -> String {
    label(PlatformLevel::parse(l), PlatformLevel::label)
}

fn type_label(t: &str) -> String {
    label(PlatformType::parse(t), PlatformType::label)
}

/// The platform's columns every record of this module shows beside its own.
fn join_platform(q: &mut SelectStatement, table: &'static str) {
    q.expr_as(Expr::col(("platforms", "name")), "platform_name")
        .expr_as(Expr::col(("platforms", "platform_type")), "platform_type")
        .expr_as(Expr::col(("platforms", "level")), "platform_level")
        .expr_as(Expr::col(("platforms", "region_code")), "region_code")
        .expr_as(Expr::col(("organizations", "name")), "host_org_name")
        .inner_join(
            "platforms",
            Expr::col(("platforms", "id")).equals((table, "platform_id")),
        )
        .inner_join(
            "organizations",
            Expr::col(("organizations", "id")).equals((table, "host_org_id")),
        );
}

// ---------------------------------------------------------------------------------------------
// 认定
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Recognition {
    pub id: i64,
    pub platform_id: i64,
    pub platform_name: String,
    pub platform_type: String,
    pub platform_type_label: String,
    pub host_org_id: i64,
    pub host_org_name: String,
    pub region_code: String,
    /// 申报（认定）级别
    pub level: String,
    pub level_label: String,
    /// 申报时的级别 (升级 from)
    pub from_level: Option<String>,
    pub from_level_label: Option<String>,
    pub status: String,
    pub status_label: String,
    pub applied_on: String,
    pub summary: String,
    /// 认定文件（批准文号）
    pub document: Option<String>,
    pub recognized_on: Option<String>,
    pub note: Option<String>,
    /// 一句话说明, e.g. “由市级升级为省级”.
    pub explanation: String,
    #[serde(skip)]
    pub region_path: String,
    pub updated_at: i64,
}

fn recognition_select() -> SelectStatement {
    let mut q = Query::select();
    q.columns(
        [
            "id",
            "platform_id",
            "host_org_id",
            "region_path",
            "level",
            "from_level",
            "status",
            "applied_on",
            "summary",
            "document",
            "recognized_on",
            "note",
            "updated_at",
        ]
        .map(|c| (RC, c)),
    )
    .from(RC);
    join_platform(&mut q, RC);
    q
}

fn recognition_from_row(r: &QueryResult) -> StoreResult<Recognition> {
    let level: String = get(r, "level")?;
    let from: Option<String> = get(r, "from_level")?;
    let status: String = get(r, "status")?;
    let level_l = level_label(&level);
    let explanation = match (status.as_str(), from.as_deref()) {
        ("refused", _) => format!("申报{level_l}，不予认定"),
        (s, Some(f)) if f != "internal" => format!(
            "由{}{}为{level_l}",
            level_label(f),
            if s == "recognized" {
                "升级"
            } else {
                "申报升级"
            }
        ),
        ("recognized", _) => format!("认定为{level_l}"),
        _ => format!("申报{level_l}"),
    };
    let t: String = get(r, "platform_type")?;
    Ok(Recognition {
        id: get(r, "id")?,
        platform_id: get(r, "platform_id")?,
        platform_name: get(r, "platform_name")?,
        platform_type_label: type_label(&t),
        platform_type: t,
        host_org_id: get(r, "host_org_id")?,
        host_org_name: get(r, "host_org_name")?,
        region_code: get(r, "region_code")?,
        level_label: level_l,
        level,
        from_level_label: from.as_deref().map(level_label),
        from_level: from,
        status_label: label(RecognitionStatus::parse(&status), RecognitionStatus::label),
        status,
        applied_on: get(r, "applied_on")?,
        summary: get(r, "summary")?,
        document: get(r, "document")?,
        recognized_on: get(r, "recognized_on")?,
        note: get(r, "note")?,
        explanation,
        region_path: get(r, "region_path")?,
        updated_at: get(r, "updated_at")?,
    })
}

crate::record::impl_record!(
    Recognition,
    RECOGNITION_KIND,
    recognition_select,
    recognition_from_row,
    |s| RecordKeys::org(&s.region_path, s.host_org_id)
);

#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
pub struct RecognitionFilter {
    pub platform_id: Option<i64>,
    pub status: Option<String>,
    /// 平台名称
    pub q: Option<String>,
}

impl ListFilter for RecognitionFilter {
    fn apply(&self, q: &mut SelectStatement) -> StoreResult<()> {
        if let Some(id) = self.platform_id {
            q.and_where(Expr::col((RC, "platform_id")).eq(id));
        }
        if let Some(s) = self.status.as_deref().filter(|s| !s.is_empty()) {
            q.and_where(Expr::col((RC, "status")).eq(RecognitionStatus::parse(s)?.as_str()));
        }
        if let Some(t) = self.q.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            q.and_where(Expr::col(("platforms", "name")).like(contains(t)));
        }
        q.order_by((RC, "applied_on"), Order::Desc)
            .order_by((RC, "id"), Order::Desc);
        Ok(())
    }
}

/// The disciplines and keywords of an organization's registered staff (most frequent first, at
/// most five each): what the experts of its review should know.
pub(crate) async fn staff_fields(
    tx: &WriteTx,
    org_id: i64,
) -> StoreResult<(Vec<String>, Vec<String>)> {
    let mut q = Query::select();
    q.columns(["disciplines", "keywords"])
        .from("persons")
        .and_where(Expr::col("org_id").eq(org_id))
        .limit(200);
    let mut d: std::collections::BTreeMap<String, usize> = Default::default();
    let mut k: std::collections::BTreeMap<String, usize> = Default::default();
    for row in sql::fetch_all(tx.conn(), &q).await? {
        for x in sql::json_col::<Vec<String>>(&row, "disciplines")? {
            *d.entry(x).or_default() += 1;
        }
        for x in sql::json_col::<Vec<String>>(&row, "keywords")? {
            *k.entry(x).or_default() += 1;
        }
    }
    let top = |m: std::collections::BTreeMap<String, usize>| {
        let mut v: Vec<(String, usize)> = m.into_iter().collect();
        v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        v.into_iter().take(5).map(|x| x.0).collect::<Vec<_>>()
    };
    Ok((top(d), top(k)))
}

/// A platform that can still be changed: not 撤销.
pub(crate) fn live(p: &Platform, code: &str, what: &str) -> StoreResult<()> {
    if p.status == PlatformStatus::Revoked.as_str() {
        return Err(refuse(
            "platform_id",
            code,
            format!("{}已被撤销（摘牌），不能{what}", p.name),
        ));
    }
    Ok(())
}

/// The recognition row a registry entry of an already recognized platform stands for.
pub(crate) async fn record_initial_recognition(tx: &mut WriteTx, p: &Platform) -> StoreResult<()> {
    if p.status != PlatformStatus::Active.as_str() || p.level == PlatformLevel::Internal.as_str() {
        return Ok(());
    }
    let Some(on) = p.recognized_on.clone() else {
        return Ok(());
    };
    tx.create::<Recognition>(vec![
        ("platform_id", p.id.into()),
        ("host_org_id", p.host_org_id.into()),
        ("region_path", p.region_path.clone().into()),
        ("level", p.level.clone().into()),
        ("from_level", Option::<String>::None.into()),
        ("status", RecognitionStatus::Recognized.as_str().into()),
        ("applied_on", on.clone().into()),
        ("summary", "平台登记时录入的认定".to_owned().into()),
        ("document", p.approval_document.clone().into()),
        ("recognized_on", Some(on).into()),
        ("note", Option::<String>::None.into()),
    ])
    .await?;
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// 年报
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct PlatformReport {
    pub id: i64,
    pub platform_id: i64,
    pub platform_name: String,
    pub platform_type: String,
    pub platform_type_label: String,
    pub level: String,
    pub level_label: String,
    pub host_org_id: i64,
    pub host_org_name: String,
    pub region_code: String,
    pub year: i32,
    pub staff: i64,
    pub senior_staff: i64,
    pub rd_staff: i64,
    /// 元
    pub rd_spending: String,
    pub income: String,
    pub equipment_value: String,
    /// 平方米
    pub area: String,
    pub projects: i64,
    pub patents: i64,
    pub papers: i64,
    pub standards: i64,
    pub transfers: i64,
    pub summary: String,
    /// 孵化载体 (the next fields apply).
    pub carrier: bool,
    /// 年末在孵企业数 (counted from the incubatee records at submission).
    pub incubating: Option<i64>,
    /// 当年毕业企业数.
    pub graduated: Option<i64>,
    pub seed_fund: Option<String>,
    pub mentors: Option<i64>,
    pub service_staff: Option<i64>,
    pub status: String,
    pub status_label: String,
    pub submitted_on: Option<String>,
    pub round_id: Option<i64>,
    pub round_title: Option<String>,
    pub round_status: Option<String>,
    /// 专家评审平均分
    pub score: Option<String>,
    pub grade: Option<String>,
    pub grade_label: Option<String>,
    /// 结果运用: 整改, 取消资格, 纳入奖补.
    pub consequence: Option<String>,
    pub explanation: String,
    pub rule: String,
    pub graded_on: Option<String>,
    #[serde(skip)]
    pub region_path: String,
    #[serde(skip)]
    pub rd_spending_fen: i64,
    #[serde(skip)]
    pub equipment_fen: i64,
    #[serde(skip)]
    pub seed_fund_fen: Option<i64>,
    pub updated_at: i64,
}

fn report_select() -> SelectStatement {
    let mut q = Query::select();
    q.columns(
        [
            "id",
            "platform_id",
            "host_org_id",
            "region_path",
            "year",
            "staff",
            "senior_staff",
            "rd_staff",
            "rd_spending_fen",
            "income_fen",
            "equipment_fen",
            "area",
            "projects",
            "patents",
            "papers",
            "standards",
            "transfers",
            "summary",
            "seed_fund_fen",
            "mentors",
            "service_staff",
            "incubating",
            "graduated",
            "status",
            "submitted_on",
            "round_id",
            "score",
            "grade",
            "consequence",
            "explanation",
            "rule",
            "graded_on",
            "updated_at",
        ]
        .map(|c| (RP, c)),
    )
    .expr_as(Expr::col(("review_rounds", "title")), "round_title")
    .expr_as(Expr::col(("review_rounds", "status")), "round_status")
    .from(RP)
    .left_join(
        "review_rounds",
        Expr::col(("review_rounds", "id")).equals((RP, "round_id")),
    );
    join_platform(&mut q, RP);
    q
}

fn report_from_row(r: &QueryResult) -> StoreResult<PlatformReport> {
    let t: String = get(r, "platform_type")?;
    let l: String = get(r, "platform_level")?;
    let s: String = get(r, "status")?;
    let g: Option<String> = get(r, "grade")?;
    let seed: Option<i64> = get(r, "seed_fund_fen")?;
    let rd: i64 = get(r, "rd_spending_fen")?;
    let eq: i64 = get(r, "equipment_fen")?;
    Ok(PlatformReport {
        id: get(r, "id")?,
        platform_id: get(r, "platform_id")?,
        platform_name: get(r, "platform_name")?,
        carrier: PlatformType::parse(&t).is_ok_and(is_carrier),
        platform_type_label: type_label(&t),
        platform_type: t,
        level_label: level_label(&l),
        level: l,
        host_org_id: get(r, "host_org_id")?,
        host_org_name: get(r, "host_org_name")?,
        region_code: get(r, "region_code")?,
        year: i32_of(r, "year")?,
        staff: get(r, "staff")?,
        senior_staff: get(r, "senior_staff")?,
        rd_staff: get(r, "rd_staff")?,
        rd_spending: yuan(rd),
        income: yuan(get(r, "income_fen")?),
        equipment_value: yuan(eq),
        area: get(r, "area")?,
        projects: get(r, "projects")?,
        patents: get(r, "patents")?,
        papers: get(r, "papers")?,
        standards: get(r, "standards")?,
        transfers: get(r, "transfers")?,
        summary: get(r, "summary")?,
        incubating: get(r, "incubating")?,
        graduated: get(r, "graduated")?,
        seed_fund: seed.map(yuan),
        mentors: get(r, "mentors")?,
        service_staff: get(r, "service_staff")?,
        status_label: label(ReportStatus::parse(&s), ReportStatus::label),
        status: s,
        submitted_on: get(r, "submitted_on")?,
        round_id: get(r, "round_id")?,
        round_title: get(r, "round_title")?,
        round_status: get(r, "round_status")?,
        score: get(r, "score")?,
        grade_label: g
            .as_deref()
            .map(|g| label(PlatformGrade::parse(g), PlatformGrade::label)),
        grade: g,
        consequence: get(r, "consequence")?,
        explanation: get(r, "explanation")?,
        rule: get(r, "rule")?,
        graded_on: get(r, "graded_on")?,
        region_path: get(r, "region_path")?,
        rd_spending_fen: rd,
        equipment_fen: eq,
        seed_fund_fen: seed,
        updated_at: get(r, "updated_at")?,
    })
}

crate::record::impl_record!(
    PlatformReport,
    REPORT_KIND,
    report_select,
    report_from_row,
    |s| RecordKeys::org(&s.region_path, s.host_org_id)
);

#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
pub struct ReportFilter {
    pub year: Option<i32>,
    pub platform_id: Option<i64>,
    pub status: Option<String>,
    pub grade: Option<String>,
    pub round_id: Option<i64>,
    /// 平台名称
    pub q: Option<String>,
    /// 评定年度: reports graded in this year (the rewards programme's).
    #[serde(skip)]
    pub graded_year: Option<i32>,
}

impl ListFilter for ReportFilter {
    fn apply(&self, q: &mut SelectStatement) -> StoreResult<()> {
        if let Some(y) = self.year {
            q.and_where(Expr::col((RP, "year")).eq(y));
        }
        if let Some(id) = self.platform_id {
            q.and_where(Expr::col((RP, "platform_id")).eq(id));
        }
        if let Some(id) = self.round_id {
            q.and_where(Expr::col((RP, "round_id")).eq(id));
        }
        if let Some(s) = self.status.as_deref().filter(|s| !s.is_empty()) {
            q.and_where(Expr::col((RP, "status")).eq(ReportStatus::parse(s)?.as_str()));
        }
        if let Some(g) = self.grade.as_deref().filter(|s| !s.is_empty()) {
            q.and_where(Expr::col((RP, "grade")).eq(PlatformGrade::parse(g)?.as_str()));
        }
        if let Some(y) = self.graded_year {
            q.and_where(Expr::col((RP, "graded_on")).like(format!("{y}-%")));
        }
        if let Some(t) = self.q.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            q.and_where(Expr::col(("platforms", "name")).like(contains(t)));
        }
        q.order_by((RP, "year"), Order::Desc)
            .order_by((RP, "id"), Order::Asc);
        Ok(())
    }
}

fn report_values(r: &NewReport) -> Values {
    vec![
        ("staff", r.staff.into()),
        ("senior_staff", r.senior_staff.into()),
        ("rd_staff", r.rd_staff.into()),
        ("rd_spending_fen", r.rd_spending_fen.into()),
        ("income_fen", r.income_fen.into()),
        ("equipment_fen", r.equipment_fen.into()),
        ("area", r.area.normalize().to_string().into()),
        ("projects", r.projects.into()),
        ("patents", r.patents.into()),
        ("papers", r.papers.into()),
        ("standards", r.standards.into()),
        ("transfers", r.transfers.into()),
        ("summary", r.summary.clone().into()),
        ("seed_fund_fen", r.seed_fund_fen.into()),
        ("mentors", r.mentors.into()),
        ("service_staff", r.service_staff.into()),
    ]
}

/// What the `platform-evaluation` pack decided for one report.
#[derive(Debug, Clone, PartialEq)]
pub struct GradeAnswer {
    pub report_id: i64,
    pub score: String,
    pub grade: PlatformGrade,
    /// 3 取消资格, 2 限期整改, 1 纳入奖补, 0 none.
    pub outcome: i64,
    pub consequence: Option<String>,
    pub explanation: String,
    pub rule: String,
}

/// One report of a closed round, ready for the pack.
#[derive(Debug, Clone, PartialEq)]
pub struct GradeInput {
    pub report: PlatformReport,
    pub score: Option<String>,
    /// 此前连续不合格的年度数.
    pub fails_before: i64,
}

// ---------------------------------------------------------------------------------------------
// 培育后备库
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
#[schema(as = PlatformPoolEntry)]
pub struct PoolEntry {
    pub id: i64,
    pub platform_id: i64,
    pub platform_name: String,
    pub platform_type: String,
    pub platform_type_label: String,
    pub level: String,
    pub level_label: String,
    pub host_org_id: i64,
    pub host_org_name: String,
    pub region_code: String,
    /// The pack of the target level.
    pub pack: String,
    pub target_label: String,
    pub entered_on: String,
    pub status: String,
    pub status_label: String,
    pub exited_on: Option<String>,
    pub exit_reason: Option<String>,
    pub note: String,
    /// Filled by the server from the pack: whether it meets the target's conditions now.
    pub qualified: Option<bool>,
    pub met: usize,
    pub total: usize,
    /// 差距, one line per unmet condition.
    pub lacking: String,
    #[serde(skip)]
    pub region_path: String,
    pub updated_at: i64,
}

fn pool_select() -> SelectStatement {
    let mut q = Query::select();
    q.columns(
        [
            "id",
            "platform_id",
            "host_org_id",
            "region_path",
            "pack",
            "target_label",
            "entered_on",
            "status",
            "exited_on",
            "exit_reason",
            "note",
            "updated_at",
        ]
        .map(|c| (PL, c)),
    )
    .from(PL);
    join_platform(&mut q, PL);
    q
}

fn pool_from_row(r: &QueryResult) -> StoreResult<PoolEntry> {
    let t: String = get(r, "platform_type")?;
    let l: String = get(r, "platform_level")?;
    let s: String = get(r, "status")?;
    Ok(PoolEntry {
        id: get(r, "id")?,
        platform_id: get(r, "platform_id")?,
        platform_name: get(r, "platform_name")?,
        platform_type_label: type_label(&t),
        platform_type: t,
        level_label: level_label(&l),
        level: l,
        host_org_id: get(r, "host_org_id")?,
        host_org_name: get(r, "host_org_name")?,
        region_code: get(r, "region_code")?,
        pack: get(r, "pack")?,
        target_label: get(r, "target_label")?,
        entered_on: get(r, "entered_on")?,
        status_label: label(PoolStatus::parse(&s), PoolStatus::label),
        status: s,
        exited_on: get(r, "exited_on")?,
        exit_reason: get(r, "exit_reason")?,
        note: get(r, "note")?,
        qualified: None,
        met: 0,
        total: 0,
        lacking: String::new(),
        region_path: get(r, "region_path")?,
        updated_at: get(r, "updated_at")?,
    })
}

crate::record::impl_record!(PoolEntry, POOL_KIND, pool_select, pool_from_row, |s| {
    RecordKeys::org(&s.region_path, s.host_org_id)
});

#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
pub struct PoolFilter {
    pub status: Option<String>,
    pub q: Option<String>,
}

impl ListFilter for PoolFilter {
    fn apply(&self, q: &mut SelectStatement) -> StoreResult<()> {
        if let Some(s) = self.status.as_deref().filter(|s| !s.is_empty()) {
            q.and_where(Expr::col((PL, "status")).eq(PoolStatus::parse(s)?.as_str()));
        }
        if let Some(t) = self.q.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            q.and_where(Expr::col(("platforms", "name")).like(contains(t)));
        }
        q.order_by((PL, "status"), Order::Asc)
            .order_by((PL, "entered_on"), Order::Desc)
            .order_by((PL, "id"), Order::Asc);
        Ok(())
    }
}

/// The facts a next-level pack reads for one platform: its newest submitted report, its host's
/// founding date and the host's last three years of revenue, and a carrier's counts.
#[derive(Debug, Clone, PartialEq)]
pub struct UpgradeFacts {
    pub platform: Platform,
    pub report: Option<PlatformReport>,
    pub host_founded_on: Option<String>,
    pub host_is_enterprise: bool,
    /// 近三年营业收入 (fen) of the years reported.
    pub revenues_fen: Vec<i64>,
    pub incubating: i64,
    pub graduated_total: i64,
}

impl Store {
    // --- recognitions ---------------------------------------------------------------------

    pub async fn list_recognitions(
        &self,
        scope: &DataScope,
        f: &RecognitionFilter,
        page: PageRequest,
    ) -> StoreResult<Page<Recognition>> {
        self.list_records(scope, f, page).await
    }

    /// A platform's recognitions, oldest first (its ladder).
    pub async fn platform_history(
        &self,
        scope: &DataScope,
        platform_id: i64,
    ) -> StoreResult<Vec<Recognition>> {
        let _: Platform = self.get_record(scope, platform_id).await?;
        let mut v: Vec<Recognition> = self
            .export_records(
                scope,
                &RecognitionFilter {
                    platform_id: Some(platform_id),
                    ..Default::default()
                },
                1000,
            )
            .await?;
        v.reverse();
        Ok(v)
    }

    /// 认定申报: for an existing platform, a level above its present one; for a new platform,
    /// the platform is registered (培育, 企业内部) with the application. One pending
    /// application per platform.
    pub async fn apply_recognition(
        &self,
        caller: &Caller,
        r: &NewRecognition,
        today: chrono::NaiveDate,
    ) -> StoreResult<Recognition> {
        let mut tx = self.write(caller).await?;
        let platform: Platform = match &r.target {
            RecognitionTarget::Existing(id) => {
                let p: Platform = tx.get(*id).await?;
                live(&p, "platform.revoked", "申报认定")?;
                let current = PlatformLevel::parse(&p.level)?;
                if p.status == PlatformStatus::Active.as_str() && r.level <= current {
                    return Err(refuse(
                        "level",
                        "recognition.not_higher",
                        format!("{}已是{}，申报级别须高于现有级别", p.name, p.level_label),
                    ));
                }
                p
            }
            RecognitionTarget::New {
                name,
                platform_type,
                host_org_id,
            } => {
                let host = crate::funds::visible_org(&tx, "host_org_id", *host_org_id).await?;
                tx.create::<Platform>(vec![
                    ("name", name.clone().into()),
                    ("platform_type", platform_type.as_str().into()),
                    ("level", PlatformLevel::Internal.as_str().into()),
                    ("host_org_id", host.id.into()),
                    ("region_code", host.region_code.clone().into()),
                    ("region_path", host.region_path.clone().into()),
                    ("recognized_on", Option::<String>::None.into()),
                    ("approval_document", Option::<String>::None.into()),
                    ("status", PlatformStatus::Cultivating.as_str().into()),
                ])
                .await?
            }
        };
        let pending = vec![
            ("platform_id", platform.id.into()),
            ("status", RecognitionStatus::Pending.as_str().into()),
        ];
        if sql::exists(tx.conn(), RC, pending).await? {
            return Err(refuse(
                "platform_id",
                "recognition.pending",
                format!("{}已有待认定的申报，请等待认定结果", platform.name),
            ));
        }
        let after = tx
            .create(vec![
                ("platform_id", platform.id.into()),
                ("host_org_id", platform.host_org_id.into()),
                ("region_path", platform.region_path.clone().into()),
                ("level", r.level.as_str().into()),
                ("from_level", Some(platform.level.clone()).into()),
                ("status", RecognitionStatus::Pending.as_str().into()),
                ("applied_on", today.to_string().into()),
                ("summary", r.summary.clone().into()),
                ("document", Option::<String>::None.into()),
                ("recognized_on", Option::<String>::None.into()),
                ("note", Option::<String>::None.into()),
            ])
            .await?;
        tx.commit().await?;
        Ok(after)
    }

    /// 认定 (the platform takes the level, the document and the date; its history keeps the
    /// earlier rungs) or 不予认定 (a new platform stays in 培育).
    pub async fn decide_recognition(
        &self,
        caller: &Caller,
        id: i64,
        d: &RecognitionDecision,
    ) -> StoreResult<Recognition> {
        let mut tx = self.write(caller).await?;
        let before: Recognition = tx.get(id).await?;
        if before.status != RecognitionStatus::Pending.as_str() {
            return Err(refuse(
                "status",
                "recognition.decided",
                format!("该申报{}，不能重复认定", before.status_label),
            ));
        }
        let platform: Platform = tx.get(before.platform_id).await?;
        live(&platform, "platform.revoked", "认定")?;
        let mut vals: Values = vec![("note", Some(d.note.clone()).into())];
        if d.recognize {
            let on = sql::date_text(d.recognized_on);
            vals.push(("status", RecognitionStatus::Recognized.as_str().into()));
            vals.push(("document", Some(d.document.clone()).into()));
            vals.push(("recognized_on", on.clone().into()));
            tx.update_as(
                "recognize",
                &platform,
                vec![
                    ("level", before.level.clone().into()),
                    ("status", PlatformStatus::Active.as_str().into()),
                    ("recognized_on", on.into()),
                    ("approval_document", Some(d.document.clone()).into()),
                ],
            )
            .await?;
        } else {
            vals.push(("status", RecognitionStatus::Refused.as_str().into()));
        }
        let after = tx.update_as("decide", &before, vals).await?;
        tx.commit().await?;
        Ok(after)
    }

    // --- reports --------------------------------------------------------------------------

    pub async fn list_platform_reports(
        &self,
        scope: &DataScope,
        f: &ReportFilter,
        page: PageRequest,
    ) -> StoreResult<Page<PlatformReport>> {
        self.list_records(scope, f, page).await
    }

    pub async fn export_platform_reports(
        &self,
        scope: &DataScope,
        f: &ReportFilter,
        limit: u64,
    ) -> StoreResult<Vec<PlatformReport>> {
        self.export_records(scope, f, limit).await
    }

    pub async fn get_platform_report(
        &self,
        scope: &DataScope,
        id: i64,
    ) -> StoreResult<PlatformReport> {
        self.get_record(scope, id).await
    }

    /// A draft report; one per platform and year, never for a revoked platform.
    pub async fn create_platform_report(
        &self,
        caller: &Caller,
        r: &NewReport,
    ) -> StoreResult<PlatformReport> {
        let mut tx = self.write(caller).await?;
        let p: Platform = tx.get(r.platform_id).await?;
        live(&p, "report.revoked", "填报年报")?;
        if p.status == PlatformStatus::Cultivating.as_str() && p.level == "internal" {
            return Err(refuse(
                "platform_id",
                "report.not_recognized",
                format!("{}尚未认定，认定后按年度填报年报", p.name),
            ));
        }
        let same = vec![("platform_id", p.id.into()), ("year", r.year.into())];
        if sql::exists(tx.conn(), RP, same).await? {
            return Err(refuse(
                "year",
                "report.duplicate",
                format!("{}已有{}年度的年报，请修改该年报", p.name, r.year),
            ));
        }
        let mut vals = report_values(r);
        vals.extend([
            ("platform_id", p.id.into()),
            ("host_org_id", p.host_org_id.into()),
            ("region_path", p.region_path.clone().into()),
            ("year", r.year.into()),
            ("status", ReportStatus::Draft.as_str().into()),
            ("explanation", String::new().into()),
            ("rule", String::new().into()),
        ]);
        let after = tx.create(vals).await?;
        tx.commit().await?;
        Ok(after)
    }

    pub async fn update_platform_report(
        &self,
        caller: &Caller,
        id: i64,
        r: &NewReport,
    ) -> StoreResult<PlatformReport> {
        let mut tx = self.write(caller).await?;
        let before: PlatformReport = tx.get(id).await?;
        if before.status != ReportStatus::Draft.as_str() {
            return Err(refuse(
                "status",
                "report.locked",
                format!("年报{}，不能再修改", before.status_label),
            ));
        }
        if r.platform_id != before.platform_id || r.year != before.year {
            return Err(invalid(
                "year",
                "report.identity",
                "年报的平台和年度不能修改",
            ));
        }
        let after = tx.update_as("update", &before, report_values(r)).await?;
        tx.commit().await?;
        Ok(after)
    }

    /// 提交: a carrier's incubation figures are counted from its incubatee records (在孵 at the
    /// year's end, 毕业 in the year) in the same write.
    pub async fn submit_platform_report(
        &self,
        caller: &Caller,
        id: i64,
        today: chrono::NaiveDate,
    ) -> StoreResult<PlatformReport> {
        let mut tx = self.write(caller).await?;
        let before: PlatformReport = tx.get(id).await?;
        if before.status != ReportStatus::Draft.as_str() {
            return Err(refuse(
                "status",
                "report.locked",
                format!("年报{}，不能重复提交", before.status_label),
            ));
        }
        let p: Platform = tx.get(before.platform_id).await?;
        live(&p, "report.revoked", "提交年报")?;
        let mut vals: Values = vec![
            ("status", ReportStatus::Submitted.as_str().into()),
            ("submitted_on", today.to_string().into()),
        ];
        if before.carrier {
            let (incubating, graduated) =
                crate::carriers::year_counts(tx.conn(), p.id, before.year).await?;
            vals.push(("incubating", incubating.into()));
            vals.push(("graduated", graduated.into()));
        }
        let after = tx.update_as("submit", &before, vals).await?;
        tx.commit().await?;
        Ok(after)
    }

    /// 组织绩效评价: a review round of the caller's region over submitted reports, each an item
    /// (`platform_report:{id}`); the reports move to 评价中 in the same write.
    ///
    /// An item's fields (for matching experts) are those of the host's registered staff and
    /// `fallback`, the fields the bureau chose for the whole evaluation (e.g. 管理科学与工程).
    pub async fn start_platform_evaluation(
        &self,
        caller: &Caller,
        round: &NewRound,
        ids: &[i64],
        fallback: &[String],
    ) -> StoreResult<crate::review::Round> {
        if ids.is_empty() {
            return Err(invalid(
                "report_ids",
                "review.no_items",
                "请选择要评价的年报",
            ));
        }
        let mut tx = self.write(caller).await?;
        let mut reports = Vec::with_capacity(ids.len());
        let mut items = Vec::with_capacity(ids.len());
        for id in ids {
            let r: PlatformReport = tx.get(*id).await?;
            if r.status != ReportStatus::Submitted.as_str() {
                return Err(refuse(
                    "report_ids",
                    "report.not_submitted",
                    format!(
                        "{}的{}年度年报{}，不能组织评价",
                        r.platform_name, r.year, r.status_label
                    ),
                ));
            }
            let (mut disciplines, mut keywords) = staff_fields(&tx, r.host_org_id).await?;
            for d in fallback {
                if !disciplines.contains(d) {
                    disciplines.push(d.clone());
                }
            }
            keywords.push(r.platform_type_label.clone());
            items.push(ItemInput {
                title: format!(
                    "{}（{}{}，{}年度）",
                    r.platform_name, r.level_label, r.platform_type_label, r.year
                ),
                object_ref: Some(format!("platform_report:{}", r.id)),
                org_id: Some(r.host_org_id),
                disciplines,
                keywords,
                team: Vec::new(),
                avoid: Vec::new(),
            });
            reports.push(r);
        }
        let round = Self::create_round_in(&mut tx, round, &items).await?;
        for r in &reports {
            tx.update_as(
                "evaluate",
                r,
                vec![
                    ("status", ReportStatus::Reviewing.as_str().into()),
                    ("round_id", round.id.into()),
                ],
            )
            .await?;
        }
        tx.commit().await?;
        Ok(round)
    }

    /// The report a review task is about, read through the expert's assignment until the round
    /// closes.
    pub async fn report_for_review(
        &self,
        scope: &DataScope,
        assignment_id: i64,
    ) -> StoreResult<PlatformReport> {
        let id = self
            .assigned_object(scope, assignment_id, "platform_report:", "平台年报")
            .await?;
        self.get_record(&DataScope::All, id).await
    }

    /// The reports of a round to grade, with their mean score and the platform's consecutive
    /// failures before the report's year. Refused unless the round has closed.
    pub async fn grade_inputs(
        &self,
        scope: &DataScope,
        round_id: i64,
    ) -> StoreResult<Vec<GradeInput>> {
        let round = self.get_round(scope, round_id).await?;
        if round.status != RoundStatus::Closed.as_str() {
            return Err(refuse(
                "round_id",
                "platform.review_open",
                "绩效评价的专家评审尚未结束，评审结束后才能评定等级",
            ));
        }
        let reports: Vec<PlatformReport> = self
            .export_records(
                scope,
                &ReportFilter {
                    round_id: Some(round_id),
                    status: Some(ReportStatus::Reviewing.as_str().into()),
                    ..Default::default()
                },
                100_000,
            )
            .await?;
        if reports.is_empty() {
            return Err(refuse(
                "round_id",
                "platform.not_reviewed",
                "该评审轮次没有待评定等级的年报",
            ));
        }
        let mut out = Vec::with_capacity(reports.len());
        for r in reports {
            let score =
                crate::review::item_mean(&self.db, round_id, &format!("platform_report:{}", r.id))
                    .await?;
            let fails_before = self.fails_before(r.platform_id, r.year).await?;
            out.push(GradeInput {
                report: r,
                score,
                fails_before,
            });
        }
        Ok(out)
    }

    async fn fails_before(&self, platform_id: i64, year: i32) -> StoreResult<i64> {
        let mut q = Query::select();
        q.columns(["year", "grade"])
            .from(RP)
            .and_where(Expr::col("platform_id").eq(platform_id))
            .and_where(Expr::col("year").lt(year))
            .and_where(Expr::col("status").eq(ReportStatus::Graded.as_str()))
            .order_by("year", Order::Desc);
        let mut n = 0;
        let mut expect = year - 1;
        for row in sql::fetch_all(&self.db, &q).await? {
            let y = i32_of(&row, "year")?;
            let g: Option<String> = get(&row, "grade")?;
            if y != expect || g.as_deref() != Some(PlatformGrade::Fail.as_str()) {
                break;
            }
            n += 1;
            expect -= 1;
        }
        Ok(n)
    }

    /// 评定等级: every answer in one write, with the platform's consequence (不合格 → 整改,
    /// twice → 撤销). The round is checked closed again inside the write.
    pub async fn apply_grades(
        &self,
        caller: &Caller,
        round_id: i64,
        answers: &[GradeAnswer],
        today: chrono::NaiveDate,
    ) -> StoreResult<Vec<PlatformReport>> {
        let mut tx = self.write(caller).await?;
        let round: crate::review::Round = tx.get(round_id).await?;
        if round.status != RoundStatus::Closed.as_str() {
            return Err(refuse(
                "round_id",
                "platform.review_open",
                "绩效评价的专家评审尚未结束，评审结束后才能评定等级",
            ));
        }
        let mut out = Vec::with_capacity(answers.len());
        for a in answers {
            let before: PlatformReport = tx.get(a.report_id).await?;
            if before.round_id != Some(round_id)
                || before.status != ReportStatus::Reviewing.as_str()
            {
                return Err(refuse(
                    "report_ids",
                    "platform.not_reviewed",
                    format!("{}的年报不在本轮评价中", before.platform_name),
                ));
            }
            let after: PlatformReport = tx
                .update_as(
                    "grade",
                    &before,
                    vec![
                        ("status", ReportStatus::Graded.as_str().into()),
                        ("score", Some(a.score.clone()).into()),
                        ("grade", a.grade.as_str().into()),
                        ("consequence", a.consequence.clone().into()),
                        ("explanation", a.explanation.clone().into()),
                        ("rule", a.rule.clone().into()),
                        ("graded_on", today.to_string().into()),
                    ],
                )
                .await?;
            let status = match a.outcome {
                3 => Some(PlatformStatus::Revoked),
                2 => Some(PlatformStatus::Suspended),
                _ => None,
            };
            if let Some(s) = status {
                let p: Platform = tx.get(before.platform_id).await?;
                if p.status != s.as_str() {
                    tx.update_as(
                        if s == PlatformStatus::Revoked {
                            "revoke"
                        } else {
                            "suspend"
                        },
                        &p,
                        vec![("status", s.as_str().into())],
                    )
                    .await?;
                }
            } else {
                // A pass after 整改 restores the platform.
                let p: Platform = tx.get(before.platform_id).await?;
                if p.status == PlatformStatus::Suspended.as_str() {
                    tx.update_as(
                        "restore",
                        &p,
                        vec![("status", PlatformStatus::Active.as_str().into())],
                    )
                    .await?;
                }
            }
            out.push(after);
        }
        tx.commit().await?;
        Ok(out)
    }

    // --- pool and upgrade -----------------------------------------------------------------

    pub async fn list_pool(
        &self,
        scope: &DataScope,
        f: &PoolFilter,
        page: PageRequest,
    ) -> StoreResult<Page<PoolEntry>> {
        self.list_records(scope, f, page).await
    }

    pub async fn get_pool_entry(&self, scope: &DataScope, id: i64) -> StoreResult<PoolEntry> {
        self.get_record(scope, id).await
    }

    /// 入库 toward `pack` (the next level's conditions); a platform is in the pool once.
    pub async fn enter_pool(
        &self,
        caller: &Caller,
        platform_id: i64,
        pack: &str,
        target_label: &str,
        note: &str,
        today: chrono::NaiveDate,
    ) -> StoreResult<PoolEntry> {
        let note = note.trim();
        if note.chars().count() > 500 {
            return Err(invalid("note", "note.length", "备注不超过500字"));
        }
        let mut tx = self.write(caller).await?;
        let p: Platform = tx.get(platform_id).await?;
        live(&p, "platform.revoked", "入库培育")?;
        let inside = vec![
            ("platform_id", p.id.into()),
            ("status", PoolStatus::In.as_str().into()),
        ];
        if sql::exists(tx.conn(), PL, inside).await? {
            return Err(refuse(
                "platform_id",
                "pool.duplicate",
                format!("{}已在培育后备库中", p.name),
            ));
        }
        let after = tx
            .create(vec![
                ("platform_id", p.id.into()),
                ("host_org_id", p.host_org_id.into()),
                ("region_path", p.region_path.clone().into()),
                ("pack", pack.to_owned().into()),
                ("target_label", target_label.to_owned().into()),
                ("entered_on", today.to_string().into()),
                ("status", PoolStatus::In.as_str().into()),
                ("exited_on", Option::<String>::None.into()),
                ("exit_reason", Option::<String>::None.into()),
                ("note", note.to_owned().into()),
            ])
            .await?;
        tx.commit().await?;
        Ok(after)
    }

    pub async fn exit_pool(
        &self,
        caller: &Caller,
        id: i64,
        reason: &str,
        today: chrono::NaiveDate,
    ) -> StoreResult<PoolEntry> {
        let reason = reason.trim();
        if reason.is_empty() || reason.chars().count() > 500 {
            return Err(invalid(
                "reason",
                "reason.required",
                "请写明出库原因（如已认定为上一级、不再具备培育条件），不超过500字",
            ));
        }
        let mut tx = self.write(caller).await?;
        let before: PoolEntry = tx.get(id).await?;
        if before.status != PoolStatus::In.as_str() {
            return Err(refuse("status", "pool.out", "该平台已出库"));
        }
        let after = tx
            .update_as(
                "exit",
                &before,
                vec![
                    ("status", PoolStatus::Out.as_str().into()),
                    ("exited_on", today.to_string().into()),
                    ("exit_reason", Some(reason.to_owned()).into()),
                ],
            )
            .await?;
        tx.commit().await?;
        Ok(after)
    }

    /// What a next-level pack reads for one platform.
    pub async fn upgrade_facts(
        &self,
        scope: &DataScope,
        platform_id: i64,
    ) -> StoreResult<UpgradeFacts> {
        let platform: Platform = self.get_record(scope, platform_id).await?;
        let reports: Vec<PlatformReport> = self
            .export_records(
                &DataScope::All,
                &ReportFilter {
                    platform_id: Some(platform_id),
                    ..Default::default()
                },
                100,
            )
            .await?;
        let report = reports
            .into_iter()
            .find(|r| r.status != ReportStatus::Draft.as_str());
        let host: crate::orgs::Organization =
            crate::record::get_in(&self.db, &DataScope::All, platform.host_org_id).await?;
        let mut q = Query::select();
        q.column("revenue")
            .from("enterprise_years")
            .and_where(Expr::col("org_id").eq(host.id))
            .order_by("year", Order::Desc)
            .limit(3);
        let mut revenues_fen = Vec::new();
        for row in sql::fetch_all(&self.db, &q).await? {
            if let Some(v) = get::<Option<i64>>(&row, "revenue")? {
                revenues_fen.push(v);
            }
        }
        let (incubating, graduated_total) =
            if PlatformType::parse(&platform.platform_type).is_ok_and(is_carrier) {
                crate::carriers::live_counts(&self.db, platform.id).await?
            } else {
                (0, 0)
            };
        Ok(UpgradeFacts {
            report,
            host_founded_on: host.founded_on.clone(),
            host_is_enterprise: host.kind == "enterprise",
            revenues_fen,
            incubating,
            graduated_total,
            platform,
        })
    }

    /// The platforms whose reports were graded 优秀 in `year`, for the rewards programme.
    pub async fn excellent_reports(
        &self,
        scope: &DataScope,
        region: Option<&str>,
        year: i32,
    ) -> StoreResult<Vec<PlatformReport>> {
        let mut v: Vec<PlatformReport> = self
            .export_records(
                scope,
                &ReportFilter {
                    grade: Some(PlatformGrade::Excellent.as_str().into()),
                    graded_year: Some(year),
                    ..Default::default()
                },
                100_000,
            )
            .await?;
        if let Some(code) = region.filter(|s| !s.is_empty()) {
            let path = crate::orgs::region_path(kechuang_domain::RegionCode::parse_known(code)?)?;
            v.retain(|r| r.region_path.starts_with(&path));
        }
        Ok(v)
    }

    /// The id behind a review task's `object_ref` with `prefix`, readable while the round runs.
    pub(crate) async fn assigned_object(
        &self,
        scope: &DataScope,
        assignment_id: i64,
        prefix: &str,
        what: &str,
    ) -> StoreResult<i64> {
        let a = self.get_assignment(scope, assignment_id).await?;
        if a.round_status == RoundStatus::Closed.as_str() {
            return Err(refuse(
                "status",
                "review.object_closed",
                "评审已结束，评审材料不再开放查阅",
            ));
        }
        a.object_ref
            .as_deref()
            .and_then(|r| r.strip_prefix(prefix))
            .and_then(|n| n.parse::<i64>().ok())
            .ok_or_else(|| {
                refuse(
                    "object_ref",
                    "review.no_object",
                    format!("该评审对象不是{what}"),
                )
            })
    }
}
