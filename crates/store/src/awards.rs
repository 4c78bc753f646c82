//! 科学技术奖励.
//!
//! - `award_calls` — one award cycle of a bureau's region: 提名中 → 评审中 (a review round of the
//!   kind 奖励提名 over the nominations that passed 形式审查) → 公示中 (the panel's grades from
//!   the `science-award` pack; the notice period is the pack's) → 已授奖. A call is a public
//!   notice: every reader with `award:read` sees it.
//! - `award_nominations` — 提名 by a unit (its own achievement) or an expert (who must not be a
//!   completer nor of the completing unit: 回避). Scoped by the call's region, the completing
//!   organization and the nominating account.
//! - `award_objections` — 异议 during the notice, by any reader; the bureau decides; an upheld
//!   objection withdraws the nomination. Conferral waits for the notice's end and every
//!   objection's decision.
//! - `award_wins` — national and provincial awards won in the region: the basis of the
//!   matching reward (the `rewards` pack, category 4).

use crate::error::{StoreError, StoreResult};
use crate::funds::{invalid, refuse, yuan};
use crate::orgs::{Organization, region_name, region_path};
use crate::people::{Named, json_in, json_of};
use crate::persons::Person;
use crate::record::{ListFilter, RecordKind, Stamps};
use crate::sql::{self, ScopeColumns, contains, get, i32_of};
use crate::{Caller, DataScope, Page, PageRequest, Store};
use chrono::NaiveDate;
use kechuang_domain::award::{
    AwardCategory, AwardGrade, CallStatus, NewCall, NewNomination, NewWin, NominationStatus,
    NominatorKind, ObjectionStatus, WinLevel,
};
use kechuang_domain::review::{ItemInput, NewRound, RoundStatus};
use kechuang_domain::scope::RecordKeys;
use sea_orm::QueryResult;
use sea_orm::sea_query::{Expr, ExprTrait, Order, Query, SelectStatement};
use serde::{Deserialize, Serialize};

const CL: &str = "award_calls";
const NM: &str = "award_nominations";
const OB: &str = "award_objections";
const WN: &str = "award_wins";

pub(crate) const CALL_KIND: RecordKind = RecordKind::own(
    ScopeColumns {
        table: CL,
        region_path: Some("region_path"),
        org: None,
        owner: None,
    },
    "award_call",
    Stamps::ALL,
);
pub(crate) const NOMINATION_KIND: RecordKind = RecordKind::own(
    ScopeColumns {
        table: NM,
        region_path: Some("region_path"),
        org: Some("org_id"),
        owner: Some("nominator_user_id"),
    },
    "award_nomination",
    Stamps::ALL,
);
// An objection is the bureau's (region) and its filer's (account, or organization for an
// organization's account); the objected party does not see who objected.
pub(crate) const OBJECTION_KIND: RecordKind = RecordKind::own(
    ScopeColumns {
        table: OB,
        region_path: Some("region_path"),
        org: Some("filer_org_id"),
        owner: Some("filed_by"),
    },
    "award_objection",
    Stamps::ALL,
);
pub(crate) const WIN_KIND: RecordKind = RecordKind::own(
    ScopeColumns {
        table: WN,
        region_path: Some("region_path"),
        org: Some("org_id"),
        owner: None,
    },
    "award_win",
    Stamps::ALL,
);

fn label<T: Copy>(r: Result<T, kechuang_domain::Invalid>, f: fn(T) -> &'static str) -> String {
    r.map(f).unwrap_or_default().to_owned()
}

// ---------------------------------------------------------------------------------------------
// Calls
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct AwardCall {
    pub id: i64,
    pub year: i32,
    pub title: String,
    pub region_code: String,
    pub region_name: String,
    pub nominate_until: String,
    pub notice_days: i64,
    pub status: String,
    pub status_label: String,
    pub round_id: Option<i64>,
    pub round_status: Option<String>,
    pub notice_from: Option<String>,
    pub notice_until: Option<String>,
    pub conferred_on: Option<String>,
    /// 提名数 (not drafts)
    pub nominations: i64,
    pub note: String,
    #[serde(skip)]
    pub region_path: String,
    pub updated_at: i64,
}

fn call_select() -> SelectStatement {
    let mut q = Query::select();
    q.columns(
        [
            "id",
            "year",
            "title",
            "region_code",
            "region_path",
            "nominate_until",
            "notice_days",
            "status",
            "round_id",
            "notice_from",
            "notice_until",
            "conferred_on",
            "note",
            "updated_at",
        ]
        .map(|c| (CL, c)),
    )
    .expr_as(Expr::col(("review_rounds", "status")), "round_status")
    .expr_as(
        Expr::cust(
            "(SELECT COUNT(*) FROM award_nominations n WHERE n.call_id = award_calls.id AND n.status <> 'draft')",
        ),
        "nominations",
    )
    .from(CL)
    .left_join(
        "review_rounds",
        Expr::col(("review_rounds", "id")).equals((CL, "round_id")),
    );
    q
}

fn call_from_row(r: &QueryResult) -> StoreResult<AwardCall> {
    let s: String = get(r, "status")?;
    let code: String = get(r, "region_code")?;
    Ok(AwardCall {
        id: get(r, "id")?,
        year: i32_of(r, "year")?,
        title: get(r, "title")?,
        region_name: region_name(&code),
        region_code: code,
        nominate_until: get(r, "nominate_until")?,
        notice_days: get(r, "notice_days")?,
        status_label: label(CallStatus::parse(&s), CallStatus::label),
        status: s,
        round_id: get(r, "round_id")?,
        round_status: get(r, "round_status")?,
        notice_from: get(r, "notice_from")?,
        notice_until: get(r, "notice_until")?,
        conferred_on: get(r, "conferred_on")?,
        nominations: get(r, "nominations")?,
        note: get(r, "note")?,
        region_path: get(r, "region_path")?,
        updated_at: get(r, "updated_at")?,
    })
}

crate::record::impl_record!(AwardCall, CALL_KIND, call_select, call_from_row, |s| {
    RecordKeys::region(&s.region_path)
});

#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
pub struct CallFilter {
    pub year: Option<i32>,
    pub status: Option<String>,
    #[serde(skip)]
    #[param(ignore)]
    pub home: Option<String>,
}

impl ListFilter for CallFilter {
    fn apply(&self, q: &mut SelectStatement) -> StoreResult<()> {
        if let Some(y) = self.year {
            q.and_where(Expr::col((CL, "year")).eq(y));
        }
        if let Some(s) = self.status.as_deref().filter(|s| !s.is_empty()) {
            q.and_where(Expr::col((CL, "status")).eq(CallStatus::parse(s)?.as_str()));
        }
        if let Some(home) = self.home.as_deref() {
            // The home region's ancestors ("/410000/", "/410000/419000/", …) and its subtree.
            let mut above = Vec::new();
            let mut at = 0;
            while let Some(i) = home[at + 1..].find('/') {
                at += i + 1;
                above.push(home[..=at].to_owned());
            }
            q.cond_where(
                sea_orm::sea_query::Cond::any()
                    .add(Expr::col((CL, "region_path")).is_in(above))
                    .add(sql::region_match((CL, "region_path"), home)),
            );
        }
        q.order_by((CL, "year"), Order::Desc)
            .order_by((CL, "id"), Order::Desc);
        Ok(())
    }
}

// ---------------------------------------------------------------------------------------------
// Nominations
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Nomination {
    pub id: i64,
    pub call_id: i64,
    pub call_title: String,
    pub year: i32,
    pub category: String,
    pub category_label: String,
    pub title: String,
    pub org_id: i64,
    pub org_name: String,
    pub region_code: String,
    /// 主要完成人, in order
    pub team: Vec<Named>,
    pub summary: String,
    pub nominator_kind: String,
    pub nominator_kind_label: String,
    pub nominator_name: String,
    #[serde(skip)]
    pub nominator_person_id: Option<i64>,
    #[serde(skip)]
    pub nominator_user_id: Option<i64>,
    pub status: String,
    pub status_label: String,
    pub check_note: Option<String>,
    pub round_id: Option<i64>,
    pub score: Option<String>,
    pub grade: Option<String>,
    pub grade_label: Option<String>,
    /// 奖金（元）
    pub prize: Option<String>,
    pub certificate_no: Option<String>,
    pub explanation: String,
    pub rule: String,
    /// 待处理的异议
    pub open_objections: i64,
    #[serde(skip)]
    pub region_path: String,
    pub updated_at: i64,
}

fn nomination_select() -> SelectStatement {
    let mut q = Query::select();
    q.columns(
        [
            "id",
            "call_id",
            "region_path",
            "org_id",
            "category",
            "title",
            "summary",
            "team",
            "nominator_kind",
            "nominator_org_id",
            "nominator_person_id",
            "nominator_user_id",
            "status",
            "check_note",
            "round_id",
            "score",
            "grade",
            "prize_fen",
            "certificate_no",
            "explanation",
            "rule",
            "updated_at",
        ]
        .map(|c| (NM, c)),
    )
    .expr_as(Expr::col((CL, "title")), "call_title")
    .expr_as(Expr::col((CL, "year")), "year")
    .expr_as(Expr::col(("organizations", "name")), "org_name")
    .expr_as(Expr::col(("organizations", "region_code")), "region_code")
    .expr_as(Expr::col(("nominator_org", "name")), "nominator_org_name")
    .expr_as(Expr::col(("persons", "name")), "nominator_person_name")
    .expr_as(
        Expr::cust(
            "(SELECT COUNT(*) FROM award_objections o WHERE o.nomination_id = award_nominations.id AND o.status = 'open')",
        ),
        "open_objections",
    )
    .from(NM)
    .inner_join(CL, Expr::col((CL, "id")).equals((NM, "call_id")))
    .inner_join(
        "organizations",
        Expr::col(("organizations", "id")).equals((NM, "org_id")),
    )
    .join_as(
        sea_orm::sea_query::JoinType::LeftJoin,
        "organizations",
        "nominator_org",
        Expr::col(("nominator_org", "id")).equals((NM, "nominator_org_id")),
    )
    .left_join(
        "persons",
        Expr::col(("persons", "id")).equals((NM, "nominator_person_id")),
    );
    q
}

fn nomination_from_row(r: &QueryResult) -> StoreResult<Nomination> {
    let c: String = get(r, "category")?;
    let k: String = get(r, "nominator_kind")?;
    let s: String = get(r, "status")?;
    let g: Option<String> = get(r, "grade")?;
    let person: Option<String> = get(r, "nominator_person_name")?;
    let org: Option<String> = get(r, "nominator_org_name")?;
    Ok(Nomination {
        id: get(r, "id")?,
        call_id: get(r, "call_id")?,
        call_title: get(r, "call_title")?,
        year: i32_of(r, "year")?,
        category_label: label(AwardCategory::parse(&c), AwardCategory::label),
        category: c,
        title: get(r, "title")?,
        org_id: get(r, "org_id")?,
        org_name: get(r, "org_name")?,
        region_code: get(r, "region_code")?,
        team: json_in(r, "team")?,
        summary: get(r, "summary")?,
        nominator_kind_label: label(NominatorKind::parse(&k), NominatorKind::label),
        nominator_name: if k == NominatorKind::Expert.as_str() {
            person.unwrap_or_default()
        } else {
            org.unwrap_or_default()
        },
        nominator_kind: k,
        nominator_person_id: get(r, "nominator_person_id")?,
        nominator_user_id: get(r, "nominator_user_id")?,
        status_label: label(NominationStatus::parse(&s), NominationStatus::label),
        status: s,
        check_note: get(r, "check_note")?,
        round_id: get(r, "round_id")?,
        score: get(r, "score")?,
        grade_label: g
            .as_deref()
            .map(|g| label(AwardGrade::parse(g), AwardGrade::label)),
        grade: g,
        prize: get::<Option<i64>>(r, "prize_fen")?.map(yuan),
        certificate_no: get(r, "certificate_no")?,
        explanation: get(r, "explanation")?,
        rule: get(r, "rule")?,
        open_objections: get(r, "open_objections")?,
        region_path: get(r, "region_path")?,
        updated_at: get(r, "updated_at")?,
    })
}

crate::record::impl_record!(
    Nomination,
    NOMINATION_KIND,
    nomination_select,
    nomination_from_row,
    |s| RecordKeys {
        region_path: Some(&s.region_path),
        org_id: Some(s.org_id),
        owner_user_id: s.nominator_user_id,
    }
);

#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
pub struct NominationFilter {
    pub call_id: Option<i64>,
    pub status: Option<String>,
    pub category: Option<String>,
    /// 项目名称或完成单位
    pub q: Option<String>,
}

impl ListFilter for NominationFilter {
    fn apply(&self, q: &mut SelectStatement) -> StoreResult<()> {
        if let Some(id) = self.call_id {
            q.and_where(Expr::col((NM, "call_id")).eq(id));
        }
        if let Some(s) = self.status.as_deref().filter(|s| !s.is_empty()) {
            q.and_where(Expr::col((NM, "status")).eq(NominationStatus::parse(s)?.as_str()));
        }
        if let Some(c) = self.category.as_deref().filter(|s| !s.is_empty()) {
            q.and_where(Expr::col((NM, "category")).eq(AwardCategory::parse(c)?.as_str()));
        }
        if let Some(t) = self.q.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            q.cond_where(
                sea_orm::sea_query::Cond::any()
                    .add(Expr::col((NM, "title")).like(contains(t)))
                    .add(Expr::col(("organizations", "name")).like(contains(t))),
            );
        }
        q.order_by((NM, "call_id"), Order::Desc)
            .order_by((NM, "id"), Order::Asc);
        Ok(())
    }
}

// ---------------------------------------------------------------------------------------------
// Objections and wins
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
#[schema(as = AwardObjection)]
pub struct Objection {
    pub id: i64,
    pub nomination_id: i64,
    pub nomination_title: String,
    pub call_id: i64,
    pub content: String,
    pub filed_by_name: String,
    pub status: String,
    pub status_label: String,
    pub resolution: Option<String>,
    pub filed_at: i64,
    pub resolved_at: Option<i64>,
    #[serde(skip)]
    pub filed_by: Option<i64>,
    #[serde(skip)]
    pub filer_org_id: Option<i64>,
    #[serde(skip)]
    pub region_path: String,
    pub updated_at: i64,
}

fn objection_select() -> SelectStatement {
    let mut q = Query::select();
    q.columns(
        [
            "id",
            "nomination_id",
            "call_id",
            "region_path",
            "content",
            "filed_by",
            "filer_org_id",
            "filed_by_name",
            "status",
            "resolution",
            "resolved_at",
            "created_at",
            "updated_at",
        ]
        .map(|c| (OB, c)),
    )
    .expr_as(Expr::col((NM, "title")), "nomination_title")
    .from(OB)
    .inner_join(NM, Expr::col((NM, "id")).equals((OB, "nomination_id")));
    q
}

fn objection_from_row(r: &QueryResult) -> StoreResult<Objection> {
    let s: String = get(r, "status")?;
    Ok(Objection {
        id: get(r, "id")?,
        nomination_id: get(r, "nomination_id")?,
        nomination_title: get(r, "nomination_title")?,
        call_id: get(r, "call_id")?,
        content: get(r, "content")?,
        filed_by_name: get(r, "filed_by_name")?,
        status_label: label(ObjectionStatus::parse(&s), ObjectionStatus::label),
        status: s,
        resolution: get(r, "resolution")?,
        filed_at: get(r, "created_at")?,
        resolved_at: get(r, "resolved_at")?,
        filed_by: get(r, "filed_by")?,
        filer_org_id: get(r, "filer_org_id")?,
        region_path: get(r, "region_path")?,
        updated_at: get(r, "updated_at")?,
    })
}

crate::record::impl_record!(
    Objection,
    OBJECTION_KIND,
    objection_select,
    objection_from_row,
    |s| RecordKeys {
        region_path: Some(&s.region_path),
        org_id: s.filer_org_id,
        owner_user_id: s.filed_by,
    }
);

#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
pub struct ObjectionFilter {
    pub call_id: Option<i64>,
    pub nomination_id: Option<i64>,
    pub status: Option<String>,
}

impl ListFilter for ObjectionFilter {
    fn apply(&self, q: &mut SelectStatement) -> StoreResult<()> {
        if let Some(id) = self.call_id {
            q.and_where(Expr::col((OB, "call_id")).eq(id));
        }
        if let Some(id) = self.nomination_id {
            q.and_where(Expr::col((OB, "nomination_id")).eq(id));
        }
        if let Some(s) = self.status.as_deref().filter(|s| !s.is_empty()) {
            q.and_where(Expr::col((OB, "status")).eq(ObjectionStatus::parse(s)?.as_str()));
        }
        q.order_by((OB, "id"), Order::Desc);
        Ok(())
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct AwardWin {
    pub id: i64,
    pub org_id: i64,
    pub org_name: String,
    pub credit_code: String,
    pub region_code: String,
    pub level: String,
    pub level_label: String,
    pub award_name: String,
    pub grade: String,
    pub year: i32,
    /// 上级奖金（元）
    pub prize: String,
    pub document: String,
    #[serde(skip)]
    pub prize_fen: i64,
    #[serde(skip)]
    pub region_path: String,
    pub updated_at: i64,
}

fn win_select() -> SelectStatement {
    let mut q = Query::select();
    q.columns(
        [
            "id",
            "org_id",
            "region_path",
            "region_code",
            "level",
            "award_name",
            "grade",
            "year",
            "prize_fen",
            "document",
            "updated_at",
        ]
        .map(|c| (WN, c)),
    )
    .expr_as(Expr::col(("organizations", "name")), "org_name")
    .expr_as(Expr::col(("organizations", "credit_code")), "credit_code")
    .from(WN)
    .inner_join(
        "organizations",
        Expr::col(("organizations", "id")).equals((WN, "org_id")),
    );
    q
}

fn win_from_row(r: &QueryResult) -> StoreResult<AwardWin> {
    let l: String = get(r, "level")?;
    let fen: i64 = get(r, "prize_fen")?;
    Ok(AwardWin {
        id: get(r, "id")?,
        org_id: get(r, "org_id")?,
        org_name: get(r, "org_name")?,
        credit_code: get(r, "credit_code")?,
        region_code: get(r, "region_code")?,
        level_label: label(WinLevel::parse(&l), WinLevel::label),
        level: l,
        award_name: get(r, "award_name")?,
        grade: get(r, "grade")?,
        year: i32_of(r, "year")?,
        prize: yuan(fen),
        prize_fen: fen,
        document: get(r, "document")?,
        region_path: get(r, "region_path")?,
        updated_at: get(r, "updated_at")?,
    })
}

crate::record::impl_record!(AwardWin, WIN_KIND, win_select, win_from_row, |s| {
    RecordKeys::org(&s.region_path, s.org_id)
});

#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
pub struct WinFilter {
    pub year: Option<i32>,
    pub level: Option<String>,
    pub q: Option<String>,
    #[serde(skip)]
    pub region: Option<String>,
}

impl ListFilter for WinFilter {
    fn apply(&self, q: &mut SelectStatement) -> StoreResult<()> {
        if let Some(y) = self.year {
            q.and_where(Expr::col((WN, "year")).eq(y));
        }
        if let Some(l) = self.level.as_deref().filter(|s| !s.is_empty()) {
            q.and_where(Expr::col((WN, "level")).eq(WinLevel::parse(l)?.as_str()));
        }
        if let Some(t) = self.q.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            q.and_where(Expr::col(("organizations", "name")).like(contains(t)));
        }
        if let Some(r) = self.region.as_deref().filter(|s| !s.is_empty()) {
            let path = region_path(kechuang_domain::RegionCode::parse_known(r)?)?;
            q.cond_where(sql::region_match((WN, "region_path"), &path));
        }
        q.order_by((WN, "year"), Order::Desc)
            .order_by((WN, "id"), Order::Asc);
        Ok(())
    }
}

/// The panel's answer for one nomination, from the `science-award` pack.
#[derive(Debug, Clone, PartialEq)]
pub struct PanelAnswer {
    pub nomination_id: i64,
    pub score: Option<String>,
    pub grade: Option<AwardGrade>,
    pub prize_fen: i64,
    pub explanation: String,
    pub rule: String,
}

fn call_refusal(c: &AwardCall, code: &str, msg: impl Into<String>) -> crate::error::StoreError {
    refuse(
        "call_id",
        code,
        format!("{}{}：{}", c.title, c.status_label, msg.into()),
    )
}

impl Store {
    // --- calls ----------------------------------------------------------------------------

    /// Calls are public notices: listed for every reader of awards whose region they concern
    /// — the calls of `home`'s region, of the regions above it and below it (`home` the
    /// caller's region path; `None` for an account tied to no region, which sees all).
    pub async fn list_award_calls(
        &self,
        home: Option<&str>,
        f: &CallFilter,
        page: PageRequest,
    ) -> StoreResult<Page<AwardCall>> {
        let f = CallFilter {
            home: home.map(str::to_owned),
            ..f.clone()
        };
        self.list_records(&DataScope::All, &f, page).await
    }

    /// One call, as [`Store::list_award_calls`] shows it to `home` (`None`: every call, for
    /// the caller's own later checks): a call of another branch of the region tree is missing.
    pub async fn get_award_call(&self, home: Option<&str>, id: i64) -> StoreResult<AwardCall> {
        let c: AwardCall = self.get_record(&DataScope::All, id).await?;
        match home {
            Some(h) if !(h.starts_with(&c.region_path) || c.region_path.starts_with(h)) => {
                Err(StoreError::NotFound)
            }
            _ => Ok(c),
        }
    }

    pub async fn create_award_call(
        &self,
        caller: &Caller,
        c: &NewCall,
        notice_days: i64,
    ) -> StoreResult<AwardCall> {
        let DataScope::Region { code, path } = caller.scope.clone() else {
            return Err(refuse(
                "region",
                "award.bureau_only",
                "奖励评审由科技局组织",
            ));
        };
        let mut tx = self.write(caller).await?;
        let after = tx
            .create(vec![
                ("region_code", code.into()),
                ("region_path", path.into()),
                ("year", c.year.into()),
                ("title", c.title.clone().into()),
                ("nominate_until", c.nominate_until.to_string().into()),
                ("notice_days", notice_days.into()),
                ("status", CallStatus::Open.as_str().into()),
                ("round_id", Option::<i64>::None.into()),
                ("notice_from", Option::<String>::None.into()),
                ("notice_until", Option::<String>::None.into()),
                ("conferred_on", Option::<String>::None.into()),
                ("note", c.note.clone().into()),
            ])
            .await?;
        tx.commit().await?;
        Ok(after)
    }

    // --- nominations ----------------------------------------------------------------------

    pub async fn list_nominations(
        &self,
        scope: &DataScope,
        f: &NominationFilter,
        page: PageRequest,
    ) -> StoreResult<Page<Nomination>> {
        self.list_records(scope, f, page).await
    }

    pub async fn get_nomination(&self, scope: &DataScope, id: i64) -> StoreResult<Nomination> {
        self.get_record(scope, id).await
    }

    /// The 公示: the proposed nominations of every call in notice (public by nature).
    pub async fn award_notice(
        &self,
        page: crate::PageRequest,
    ) -> StoreResult<crate::Page<Nomination>> {
        let mut q = nomination_select();
        q.and_where(Expr::col((CL, "status")).eq(CallStatus::Notice.as_str()))
            .and_where(Expr::col((NM, "status")).eq(NominationStatus::Proposed.as_str()))
            .order_by((NM, "call_id"), Order::Desc)
            .order_by((NM, "grade"), Order::Asc)
            .order_by((NM, "id"), Order::Asc);
        self.paged(q, page, nomination_from_row).await
    }

    /// Who nominates and the checks of 提名: the call is open, the completing unit is inside the
    /// call's region, the team are registered persons; an expert is neither a completer nor of
    /// the completing unit (回避).
    async fn nomination_values(
        &self,
        tx: &crate::audit::WriteTx,
        n: &NewNomination,
        today: NaiveDate,
    ) -> StoreResult<(AwardCall, crate::record::Values)> {
        let call: AwardCall = crate::record::get_in(tx.conn(), &DataScope::All, n.call_id)
            .await
            .map_err(|_| invalid("call_id", "call.unknown", "奖励年度不存在"))?;
        if call.status != CallStatus::Open.as_str() || today.to_string() > call.nominate_until {
            return Err(call_refusal(
                &call,
                "award.call_closed",
                format!("提名已于{}截止", call.nominate_until),
            ));
        }
        let org: Organization = match &tx.caller().scope {
            DataScope::SelfOnly { .. } => {
                crate::record::get_in(tx.conn(), &DataScope::All, n.org_id)
                    .await
                    .map_err(|_| invalid("org_id", "org.unknown", "完成单位不存在"))?
            }
            _ => crate::funds::visible_org(tx, "org_id", n.org_id).await?,
        };
        if !org.region_path.starts_with(&call.region_path) {
            return Err(refuse(
                "org_id",
                "nomination.region",
                format!(
                    "{}不在{}的范围（{}）内",
                    org.name, call.title, call.region_name
                ),
            ));
        }
        let mut team = Vec::with_capacity(n.team.len());
        for id in &n.team {
            let p: Person = crate::record::get_in(tx.conn(), &DataScope::All, *id)
                .await
                .map_err(|_| {
                    invalid(
                        "team",
                        "person.unknown",
                        format!("完成人（编号{id}）不存在"),
                    )
                })?;
            team.push(Named {
                id: p.id,
                name: p.name,
            });
        }
        let (kind, nominator_org, nominator_person) = match &tx.caller().scope {
            DataScope::SelfOnly { user_id } => {
                let mut q = Query::select();
                q.column("id")
                    .from("persons")
                    .and_where(Expr::col("user_id").eq(*user_id));
                let Some(row) = sql::fetch_one(tx.conn(), &q).await? else {
                    return Err(refuse(
                        "nominator",
                        "nomination.no_person",
                        "您的账号未关联专家信息，不能以专家身份提名",
                    ));
                };
                let pid: i64 = get(&row, "id")?;
                let me: Person = crate::record::get_in(tx.conn(), &DataScope::All, pid).await?;
                if n.team.contains(&me.id) || me.org_id == Some(org.id) {
                    return Err(refuse(
                        "team",
                        "nomination.conflict",
                        format!(
                            "提名专家{}{}，与被提名项目存在利害关系，应当回避，不能提名",
                            me.name,
                            if n.team.contains(&me.id) {
                                "是该项目的完成人"
                            } else {
                                "与第一完成单位为同一单位"
                            }
                        ),
                    ));
                }
                (NominatorKind::Expert, None, Some(me.id))
            }
            _ => (NominatorKind::Unit, Some(org.id), None),
        };
        let vals = vec![
            ("call_id", call.id.into()),
            ("region_path", call.region_path.clone().into()),
            ("org_id", org.id.into()),
            ("category", n.category.as_str().into()),
            ("title", n.title.clone().into()),
            ("summary", n.summary.clone().into()),
            ("team", json_of(&team)?.into()),
            ("nominator_kind", kind.as_str().into()),
            ("nominator_org_id", nominator_org.into()),
            ("nominator_person_id", nominator_person.into()),
        ];
        Ok((call, vals))
    }

    pub async fn create_nomination(
        &self,
        caller: &Caller,
        n: &NewNomination,
        today: NaiveDate,
    ) -> StoreResult<Nomination> {
        let mut tx = self.write(caller).await?;
        let (_, mut vals) = self.nomination_values(&tx, n, today).await?;
        vals.extend([
            ("nominator_user_id", caller.user_id.into()),
            ("status", NominationStatus::Draft.as_str().into()),
            ("explanation", String::new().into()),
            ("rule", String::new().into()),
        ]);
        let after = tx.create(vals).await?;
        tx.commit().await?;
        Ok(after)
    }

    pub async fn update_nomination(
        &self,
        caller: &Caller,
        id: i64,
        n: &NewNomination,
        today: NaiveDate,
    ) -> StoreResult<Nomination> {
        let mut tx = self.write(caller).await?;
        let before: Nomination = tx.get(id).await?;
        if ![
            NominationStatus::Draft.as_str(),
            NominationStatus::Returned.as_str(),
        ]
        .contains(&before.status.as_str())
        {
            return Err(refuse(
                "status",
                "nomination.locked",
                format!("提名{}，不能修改", before.status_label),
            ));
        }
        if n.call_id != before.call_id {
            return Err(invalid(
                "call_id",
                "nomination.call",
                "提名的奖励年度不能修改",
            ));
        }
        let (_, vals) = self.nomination_values(&tx, n, today).await?;
        let after = tx.update_as("update", &before, vals).await?;
        tx.commit().await?;
        Ok(after)
    }

    pub async fn submit_nomination(
        &self,
        caller: &Caller,
        id: i64,
        today: NaiveDate,
    ) -> StoreResult<Nomination> {
        let mut tx = self.write(caller).await?;
        let before: Nomination = tx.get(id).await?;
        if ![
            NominationStatus::Draft.as_str(),
            NominationStatus::Returned.as_str(),
        ]
        .contains(&before.status.as_str())
        {
            return Err(refuse(
                "status",
                "nomination.locked",
                format!("提名{}，不能重复提交", before.status_label),
            ));
        }
        let call: AwardCall =
            crate::record::get_in(tx.conn(), &DataScope::All, before.call_id).await?;
        if call.status != CallStatus::Open.as_str() || today.to_string() > call.nominate_until {
            return Err(call_refusal(
                &call,
                "award.call_closed",
                format!("提名已于{}截止", call.nominate_until),
            ));
        }
        let after = tx
            .update_as(
                "submit",
                &before,
                vec![("status", NominationStatus::Submitted.as_str().into())],
            )
            .await?;
        tx.commit().await?;
        Ok(after)
    }

    /// 形式审查: 通过, or 退回修改 with what to correct.
    pub async fn check_nomination(
        &self,
        caller: &Caller,
        id: i64,
        pass: bool,
        note: &str,
    ) -> StoreResult<Nomination> {
        let note = note.trim();
        if (!pass && note.is_empty()) || note.chars().count() > 500 {
            return Err(invalid(
                "note",
                "note.required",
                "退回修改须写明需要补正的内容，不超过500字",
            ));
        }
        let mut tx = self.write(caller).await?;
        let before: Nomination = tx.get(id).await?;
        if before.status != NominationStatus::Submitted.as_str() {
            return Err(refuse(
                "status",
                "nomination.not_submitted",
                format!("提名{}，不能进行形式审查", before.status_label),
            ));
        }
        let status = if pass {
            NominationStatus::Accepted
        } else {
            NominationStatus::Returned
        };
        let after = tx
            .update_as(
                "check",
                &before,
                vec![
                    ("status", status.as_str().into()),
                    ("check_note", Some(note.to_owned()).into()),
                ],
            )
            .await?;
        tx.commit().await?;
        Ok(after)
    }

    /// 组织专家评审: one round of the kind 奖励提名 over the accepted nominations (team and
    /// completing unit as the items' 回避 data; the expert nominator avoided too).
    pub async fn start_award_review(
        &self,
        caller: &Caller,
        call_id: i64,
        round: &NewRound,
    ) -> StoreResult<crate::review::Round> {
        let mut tx = self.write(caller).await?;
        let call: AwardCall = tx.get(call_id).await?;
        if call.status != CallStatus::Open.as_str() {
            return Err(call_refusal(&call, "award.not_open", "不能再组织评审"));
        }
        let all: Vec<Nomination> = {
            let mut q = nomination_select();
            q.and_where(Expr::col((NM, "call_id")).eq(call.id));
            sql::fetch_all(tx.conn(), &q)
                .await?
                .iter()
                .map(nomination_from_row)
                .collect::<StoreResult<_>>()?
        };
        let unchecked = all
            .iter()
            .filter(|n| n.status == NominationStatus::Submitted.as_str())
            .count();
        if unchecked > 0 {
            return Err(call_refusal(
                &call,
                "award.unchecked",
                format!("尚有{unchecked}项提名未完成形式审查"),
            ));
        }
        let accepted: Vec<&Nomination> = all
            .iter()
            .filter(|n| n.status == NominationStatus::Accepted.as_str())
            .collect();
        if accepted.is_empty() {
            return Err(call_refusal(
                &call,
                "award.no_nominations",
                "没有通过形式审查的提名",
            ));
        }
        let mut items: Vec<ItemInput> = Vec::with_capacity(accepted.len());
        for n in &accepted {
            // The completers' fields, else their unit's staff's: what the experts should know.
            let mut disciplines = Vec::new();
            let mut keywords = Vec::new();
            for m in &n.team {
                let p: Person = crate::record::get_in(tx.conn(), &DataScope::All, m.id).await?;
                disciplines.extend(p.disciplines);
                keywords.extend(p.keywords);
            }
            if disciplines.is_empty() {
                (disciplines, keywords) = crate::platform_life::staff_fields(&tx, n.org_id).await?;
            }
            disciplines.dedup();
            keywords.dedup();
            items.push(ItemInput {
                title: format!("{}（{}，{}）", n.title, n.category_label, n.org_name),
                object_ref: Some(format!("award_nomination:{}", n.id)),
                org_id: Some(n.org_id),
                disciplines,
                keywords,
                team: n.team.iter().map(|p| p.id).collect(),
                avoid: n.nominator_person_id.into_iter().collect(),
            });
        }
        let r = Self::create_round_in(&mut tx, round, &items).await?;
        for n in accepted {
            tx.update_as(
                "review",
                n,
                vec![
                    ("status", NominationStatus::Reviewing.as_str().into()),
                    ("round_id", r.id.into()),
                ],
            )
            .await?;
        }
        tx.update_as(
            "review",
            &call,
            vec![
                ("status", CallStatus::Reviewing.as_str().into()),
                ("round_id", r.id.into()),
            ],
        )
        .await?;
        tx.commit().await?;
        Ok(r)
    }

    /// The nominations under review with their experts' mean score, once the round closed.
    pub async fn panel_inputs(
        &self,
        scope: &DataScope,
        call_id: i64,
    ) -> StoreResult<(AwardCall, Vec<(Nomination, Option<String>)>)> {
        let call: AwardCall = self.get_record(scope, call_id).await?;
        if call.status != CallStatus::Reviewing.as_str() {
            return Err(call_refusal(&call, "award.not_reviewing", "不在评审阶段"));
        }
        let Some(round_id) = call.round_id else {
            return Err(call_refusal(
                &call,
                "award.not_reviewing",
                "尚未组织专家评审",
            ));
        };
        if call.round_status.as_deref() != Some(RoundStatus::Closed.as_str()) {
            return Err(call_refusal(
                &call,
                "award.review_open",
                "专家评审尚未结束，评审结束后才能由评审委员会审定",
            ));
        }
        let mut q = nomination_select();
        q.and_where(Expr::col((NM, "call_id")).eq(call.id))
            .and_where(Expr::col((NM, "status")).eq(NominationStatus::Reviewing.as_str()));
        let mut out = Vec::new();
        for row in sql::fetch_all(&self.db, &q).await? {
            let n = nomination_from_row(&row)?;
            let score =
                crate::review::item_mean(&self.db, round_id, &format!("award_nomination:{}", n.id))
                    .await?;
            out.push((n, score));
        }
        Ok((call, out))
    }

    /// 评审委员会审定: grades and prizes in one write; the call goes to 公示 for its days.
    pub async fn apply_panel(
        &self,
        caller: &Caller,
        call_id: i64,
        answers: &[PanelAnswer],
        today: NaiveDate,
    ) -> StoreResult<AwardCall> {
        let mut tx = self.write(caller).await?;
        let call: AwardCall = tx.get(call_id).await?;
        if call.status != CallStatus::Reviewing.as_str()
            || call.round_status.as_deref() != Some(RoundStatus::Closed.as_str())
        {
            return Err(call_refusal(
                &call,
                "award.review_open",
                "专家评审尚未结束，评审结束后才能由评审委员会审定",
            ));
        }
        for a in answers {
            let before: Nomination = tx.get(a.nomination_id).await?;
            if before.call_id != call.id || before.status != NominationStatus::Reviewing.as_str() {
                return Err(refuse(
                    "nomination_id",
                    "award.not_reviewing",
                    format!("{}不在本次评审中", before.title),
                ));
            }
            let status = if a.grade.is_some() {
                NominationStatus::Proposed
            } else {
                NominationStatus::NotAwarded
            };
            tx.update_as(
                "panel",
                &before,
                vec![
                    ("status", status.as_str().into()),
                    ("score", a.score.clone().into()),
                    ("grade", a.grade.map(|g| g.as_str().to_owned()).into()),
                    ("prize_fen", a.grade.map(|_| a.prize_fen).into()),
                    ("explanation", a.explanation.clone().into()),
                    ("rule", a.rule.clone().into()),
                ],
            )
            .await?;
        }
        let until = today + chrono::Duration::days(std::cmp::max(call.notice_days, 1) - 1);
        let after = tx
            .update_as(
                "notice",
                &call,
                vec![
                    ("status", CallStatus::Notice.as_str().into()),
                    ("notice_from", Some(today.to_string()).into()),
                    ("notice_until", Some(until.to_string()).into()),
                ],
            )
            .await?;
        tx.commit().await?;
        Ok(after)
    }

    /// 异议: during the notice, on a proposed nomination, by any reader (named in the record).
    pub async fn file_award_objection(
        &self,
        caller: &Caller,
        nomination_id: i64,
        content: &str,
        today: NaiveDate,
    ) -> StoreResult<Objection> {
        let content = content.trim();
        if content.chars().count() < 10 || content.chars().count() > 2000 {
            return Err(invalid(
                "content",
                "content.length",
                "异议内容须写明事实和理由，10至2000字",
            ));
        }
        let mut tx = self.write(caller).await?;
        let n: Nomination =
            crate::record::get_in(tx.conn(), &DataScope::All, nomination_id).await?;
        let call: AwardCall = crate::record::get_in(tx.conn(), &DataScope::All, n.call_id).await?;
        let in_notice = call.status == CallStatus::Notice.as_str()
            && call
                .notice_until
                .as_deref()
                .is_some_and(|u| today.to_string().as_str() <= u);
        if !in_notice || n.status != NominationStatus::Proposed.as_str() {
            return Err(refuse(
                "nomination_id",
                "award.notice_over",
                format!("{}不在公示期内，不能提出异议", n.title),
            ));
        }
        let after = tx
            .create(vec![
                ("nomination_id", n.id.into()),
                ("call_id", call.id.into()),
                ("region_path", call.region_path.clone().into()),
                (
                    "filer_org_id",
                    match caller.scope {
                        DataScope::Organization { org_id } => Some(org_id),
                        _ => None,
                    }
                    .into(),
                ),
                ("content", content.to_owned().into()),
                ("filed_by", caller.user_id.into()),
                ("filed_by_name", caller.username.clone().into()),
                ("status", ObjectionStatus::Open.as_str().into()),
                ("resolution", Option::<String>::None.into()),
                ("resolved_at", Option::<i64>::None.into()),
            ])
            .await?;
        tx.commit().await?;
        Ok(after)
    }

    pub async fn list_award_objections(
        &self,
        scope: &DataScope,
        f: &ObjectionFilter,
    ) -> StoreResult<Vec<Objection>> {
        self.export_records(scope, f, 10_000).await
    }

    /// 异议处理: 成立 withdraws the nomination (its explanation says why); 不成立 keeps it.
    pub async fn resolve_award_objection(
        &self,
        caller: &Caller,
        id: i64,
        upheld: bool,
        resolution: &str,
    ) -> StoreResult<Objection> {
        let resolution = resolution.trim();
        if resolution.is_empty() || resolution.chars().count() > 1000 {
            return Err(invalid(
                "resolution",
                "resolution.required",
                "请写明核查情况和处理意见，不超过1000字",
            ));
        }
        let mut tx = self.write(caller).await?;
        let before: Objection = tx.get(id).await?;
        if before.status != ObjectionStatus::Open.as_str() {
            return Err(refuse(
                "status",
                "objection.resolved",
                format!("该异议{}，不能重复处理", before.status_label),
            ));
        }
        let status = if upheld {
            ObjectionStatus::Upheld
        } else {
            ObjectionStatus::Dismissed
        };
        let after = tx
            .update_as(
                "resolve",
                &before,
                vec![
                    ("status", status.as_str().into()),
                    ("resolution", Some(resolution.to_owned()).into()),
                    ("resolved_at", sql::now_ms().into()),
                ],
            )
            .await?;
        if upheld {
            let n: Nomination = tx.get(before.nomination_id).await?;
            if n.status == NominationStatus::Proposed.as_str() {
                tx.update_as(
                    "withdraw",
                    &n,
                    vec![
                        ("status", NominationStatus::Withdrawn.as_str().into()),
                        (
                            "explanation",
                            format!(
                                "{}。公示期间异议成立，撤销拟授奖：{resolution}",
                                n.explanation
                            )
                            .into(),
                        ),
                    ],
                )
                .await?;
            }
        }
        tx.commit().await?;
        Ok(after)
    }

    /// 授奖: after the notice's last day and with every objection decided; certificate numbers
    /// are counted in the write (`KJJ{year}-{seq:03}`).
    pub async fn confer_awards(
        &self,
        caller: &Caller,
        call_id: i64,
        today: NaiveDate,
    ) -> StoreResult<AwardCall> {
        let mut tx = self.write(caller).await?;
        let call: AwardCall = tx.get(call_id).await?;
        if call.status != CallStatus::Notice.as_str() {
            return Err(call_refusal(
                &call,
                "award.not_notice",
                "尚未公示，不能授奖",
            ));
        }
        let until = call.notice_until.clone().unwrap_or_default();
        if today.to_string() <= until {
            return Err(call_refusal(
                &call,
                "award.notice_open",
                format!("公示期至{until}，公示期满后才能授奖"),
            ));
        }
        let mut q = Query::select();
        q.expr_as(Expr::cust("COUNT(*)"), "n")
            .from(OB)
            .and_where(Expr::col("call_id").eq(call.id))
            .and_where(Expr::col("status").eq(ObjectionStatus::Open.as_str()));
        let open: i64 = match sql::fetch_one(tx.conn(), &q).await? {
            Some(r) => get(&r, "n")?,
            None => 0,
        };
        if open > 0 {
            return Err(call_refusal(
                &call,
                "award.objection_open",
                format!("尚有{open}项异议未处理，处理完毕后才能授奖"),
            ));
        }
        let mut q = nomination_select();
        q.and_where(Expr::col((NM, "call_id")).eq(call.id))
            .and_where(Expr::col((NM, "status")).eq(NominationStatus::Proposed.as_str()))
            .order_by((NM, "grade"), Order::Asc)
            .order_by((NM, "id"), Order::Asc);
        let proposed: Vec<Nomination> = sql::fetch_all(tx.conn(), &q)
            .await?
            .iter()
            .map(nomination_from_row)
            .collect::<StoreResult<_>>()?;
        for (i, n) in proposed.iter().enumerate() {
            tx.update_as(
                "confer",
                n,
                vec![
                    ("status", NominationStatus::Conferred.as_str().into()),
                    (
                        "certificate_no",
                        Some(format!("KJJ{}-{:03}", call.year, i + 1)).into(),
                    ),
                ],
            )
            .await?;
        }
        let after = tx
            .update_as(
                "confer",
                &call,
                vec![
                    ("status", CallStatus::Conferred.as_str().into()),
                    ("conferred_on", Some(today.to_string()).into()),
                ],
            )
            .await?;
        tx.commit().await?;
        Ok(after)
    }

    /// The nomination a review task is about, through the expert's assignment.
    pub async fn nomination_for_review(
        &self,
        scope: &DataScope,
        assignment_id: i64,
    ) -> StoreResult<Nomination> {
        let id = self
            .assigned_object(scope, assignment_id, "award_nomination:", "奖励提名")
            .await?;
        self.get_record(&DataScope::All, id).await
    }

    // --- wins -----------------------------------------------------------------------------

    pub async fn list_award_wins(
        &self,
        scope: &DataScope,
        f: &WinFilter,
        page: PageRequest,
    ) -> StoreResult<Page<AwardWin>> {
        self.list_records(scope, f, page).await
    }

    pub async fn export_award_wins(
        &self,
        scope: &DataScope,
        f: &WinFilter,
    ) -> StoreResult<Vec<AwardWin>> {
        self.export_records(scope, f, 1_000_000).await
    }

    pub async fn create_award_win(&self, caller: &Caller, w: &NewWin) -> StoreResult<AwardWin> {
        let mut tx = self.write(caller).await?;
        let org = crate::funds::visible_org(&tx, "org_id", w.org_id).await?;
        let same = vec![
            ("org_id", org.id.into()),
            ("document", w.document.clone().into()),
            ("award_name", w.award_name.clone().into()),
        ];
        if sql::exists(tx.conn(), WN, same).await? {
            return Err(refuse(
                "document",
                "win.duplicate",
                format!("{}的{}（{}）已登记", org.name, w.award_name, w.document),
            ));
        }
        let after = tx
            .create(vec![
                ("org_id", org.id.into()),
                ("region_path", org.region_path.clone().into()),
                ("region_code", org.region_code.clone().into()),
                ("level", w.level.as_str().into()),
                ("award_name", w.award_name.clone().into()),
                ("grade", w.grade.clone().into()),
                ("year", w.year.into()),
                ("prize_fen", w.prize_fen.into()),
                ("document", w.document.clone().into()),
            ])
            .await?;
        tx.commit().await?;
        Ok(after)
    }
}
