//! 科技成果 on the technology market. An achievement lies in its owner organization's region.
//! Its owner and the region's bureau see it at every stage; once public (公示中, 挂牌中, 已成交)
//! every market reader sees it in the 成果大厅, and may raise an objection during the notice
//! period. Objections are rows of their own, recorded on the achievement's audit trail.

use crate::audit::WriteTx;
use crate::error::{StoreError, StoreResult};
use crate::orgs::Organization;
use crate::record::{ListFilter, RecordKind, Stamps, Values, get_in};
use crate::sql::{self, ScopeColumns, contains, get};
use crate::{Caller, DataScope, Page, PageRequest, SortOrder, Store};
use chrono::NaiveDate;
use kechuang_domain::achievement::{Area, Ip, Mode, NewAchievement, Status, trl_label};
use kechuang_domain::money::from_fen;
use kechuang_domain::scope::RecordKeys;
use kechuang_domain::{FieldError, Invalid};
use sea_orm::sea_query::{Expr, ExprTrait, Order, Query, SelectStatement};
use sea_orm::{ConnectionTrait, QueryResult};
use serde::{Deserialize, Serialize};

const T: &str = "achievements";
pub(crate) const COLS: ScopeColumns = ScopeColumns {
    table: T,
    region_path: Some("region_path"),
    org: Some("owner_org_id"),
    owner: None,
};
pub(crate) const KIND: RecordKind = RecordKind::own(COLS, "achievement", Stamps::ALL);

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct TeamMember {
    pub person_id: i64,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[schema(as = AchievementObjection)]
pub struct Objection {
    pub no: i64,
    /// YYYY-MM-DD HH:mm (Beijing time)
    pub at: String,
    pub by: String,
    pub content: String,
    pub resolved: bool,
    pub upheld: Option<bool>,
    pub resolution: Option<String>,
}

/// A stored achievement.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Achievement {
    pub id: i64,
    pub title: String,
    pub owner_org_id: i64,
    pub owner_name: String,
    pub region_code: String,
    pub region_name: String,
    pub area: String,
    pub area_label: String,
    pub industry: String,
    pub keywords: Vec<String>,
    pub summary: String,
    pub trl: i64,
    pub trl_label: String,
    pub team: Vec<TeamMember>,
    pub ip: Vec<Ip>,
    pub modes: Vec<String>,
    pub mode_labels: Vec<String>,
    pub negotiable: bool,
    /// 挂牌价格 (元)
    pub asking_price: Option<String>,
    pub contact: String,
    pub status: String,
    pub status_label: String,
    pub submitted_on: Option<String>,
    pub notice_start: Option<String>,
    pub notice_end: Option<String>,
    pub notice_days: Option<i64>,
    pub listed_on: Option<String>,
    pub closed_on: Option<String>,
    pub return_reason: Option<String>,
    /// Filled by [`Store::get_achievement`] and the moves; empty in lists.
    pub objections: Vec<Objection>,
    pub open_objections: i64,
    #[serde(skip)]
    pub region_path: String,
    pub updated_at: i64,
}

impl Achievement {
    pub fn status(&self) -> Option<Status> {
        Status::parse(&self.status).ok()
    }
}

const COLUMNS: &[&str] = &[
    "id",
    "title",
    "owner_org_id",
    "region_code",
    "region_path",
    "area",
    "industry",
    "keywords",
    "summary",
    "trl",
    "team",
    "ip",
    "modes",
    "asking_fen",
    "contact",
    "status",
    "submitted_on",
    "notice_start",
    "notice_end",
    "notice_days",
    "listed_on",
    "closed_on",
    "return_reason",
    "open_objections",
    "updated_at",
];

fn select() -> SelectStatement {
    let mut q = Query::select();
    q.columns(COLUMNS.iter().map(|c| (T, *c)))
        .expr_as(Expr::col(("organizations", "name")), "owner_name")
        .from(T)
        .inner_join(
            "organizations",
            Expr::col(("organizations", "id")).equals((T, "owner_org_id")),
        );
    q
}

fn from_row(r: &QueryResult) -> StoreResult<Achievement> {
    let area: String = get(r, "area")?;
    let status: String = get(r, "status")?;
    let trl: i64 = get(r, "trl")?;
    let modes: Vec<String> = sql::json_col(r, "modes")?;
    let asking: Option<i64> = get(r, "asking_fen")?;
    let region: String = get(r, "region_code")?;
    let industry: Option<String> = get(r, "industry")?;
    Ok(Achievement {
        id: get(r, "id")?,
        title: get(r, "title")?,
        owner_org_id: get(r, "owner_org_id")?,
        owner_name: get(r, "owner_name")?,
        region_name: crate::orgs::region_name(&region),
        region_code: region,
        area_label: Area::parse(&area)
            .map(|a| a.label())
            .unwrap_or_default()
            .into(),
        area,
        industry: industry.unwrap_or_default(),
        keywords: sql::json_col(r, "keywords")?,
        summary: get(r, "summary")?,
        trl_label: trl_label(trl),
        trl,
        team: sql::json_col(r, "team")?,
        ip: sql::json_col(r, "ip")?,
        mode_labels: modes
            .iter()
            .filter_map(|m| Mode::parse(m).ok().map(|m| m.label().to_owned()))
            .collect(),
        modes,
        negotiable: asking.is_none(),
        asking_price: asking.map(|f| from_fen(f).to_string()),
        contact: get(r, "contact")?,
        status_label: Status::parse(&status)
            .map(|s| s.label())
            .unwrap_or_default()
            .into(),
        status,
        submitted_on: get(r, "submitted_on")?,
        notice_start: get(r, "notice_start")?,
        notice_end: get(r, "notice_end")?,
        notice_days: get(r, "notice_days")?,
        listed_on: get(r, "listed_on")?,
        closed_on: get(r, "closed_on")?,
        return_reason: get(r, "return_reason")?,
        objections: Vec::new(),
        open_objections: get(r, "open_objections")?,
        region_path: get(r, "region_path")?,
        updated_at: get(r, "updated_at")?,
    })
}

crate::record::impl_record!(Achievement, KIND, select, from_row, |s| RecordKeys::org(
    &s.region_path,
    s.owner_org_id
));

/// Filters of the achievement lists.
#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
pub struct AchievementFilter {
    /// The 成果大厅: public achievements of every region.
    #[serde(default)]
    pub hall: bool,
    /// Matches the title, summary, keywords and owner.
    pub q: Option<String>,
    /// The ids a full-text search found for `q` (set by the server, never by the caller);
    /// when absent, `q` is a `LIKE` (no index).
    #[serde(skip)]
    #[param(ignore)]
    pub ids: Option<Vec<i64>>,
    pub status: Option<String>,
    pub area: Option<String>,
    /// Lowest 技术就绪度.
    pub trl_min: Option<i64>,
    /// One 转化方式.
    pub mode: Option<String>,
    /// updated_at | trl | asking_price | notice_start
    pub sort: Option<String>,
    pub order: Option<SortOrder>,
}

impl ListFilter for AchievementFilter {
    fn apply(&self, q: &mut SelectStatement) -> StoreResult<()> {
        if self.hall {
            q.and_where(Expr::col((T, "status")).is_in(Status::PUBLIC.iter().map(|s| s.as_str())));
        }
        sql::text_match(q, (T, "id"), self.ids.as_deref(), self.q.as_deref(), |t| {
            sea_orm::sea_query::Cond::any()
                .add(Expr::col((T, "title")).like(contains(t)))
                .add(Expr::col((T, "summary")).like(contains(t)))
                .add(Expr::col((T, "keywords")).like(contains(t)))
                .add(Expr::col(("organizations", "name")).like(contains(t)))
        });
        if let Some(v) = self.status.as_deref().filter(|s| !s.is_empty()) {
            q.and_where(Expr::col((T, "status")).eq(Status::parse(v)?.as_str()));
        }
        if let Some(v) = self.area.as_deref().filter(|s| !s.is_empty()) {
            q.and_where(Expr::col((T, "area")).eq(Area::parse(v)?.as_str()));
        }
        if let Some(n) = self.trl_min {
            q.and_where(Expr::col((T, "trl")).gte(n));
        }
        if let Some(v) = self.mode.as_deref().filter(|s| !s.is_empty()) {
            let m = Mode::parse(v)?;
            q.and_where(Expr::col((T, "modes")).like(contains(&format!("\"{}\"", m.as_str()))));
        }
        let col = match self.sort.as_deref().unwrap_or("updated_at") {
            "trl" => "trl",
            "asking_price" => "asking_fen",
            "notice_start" => "notice_start",
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

fn conflict(code: &str, msg: impl Into<String>) -> StoreError {
    StoreError::Conflict(FieldError::new("status", code, msg))
}

fn state_error(a: &Achievement, what: &str) -> StoreError {
    conflict(
        "achievement.state",
        format!("成果当前为“{}”，不能{what}", a.status_label),
    )
}

async fn team_of(tx: &WriteTx, ids: &[i64]) -> StoreResult<Vec<TeamMember>> {
    let mut out = Vec::new();
    for id in ids {
        let p: crate::persons::Person = tx.get(*id).await.map_err(|e| match e {
            StoreError::NotFound => StoreError::Invalid(Invalid::one(
                "team",
                "team.unknown",
                format!("团队成员（编号{id}）不存在或不在您的管辖范围内"),
            )),
            e => e,
        })?;
        out.push(TeamMember {
            person_id: p.id,
            name: p.name,
        });
    }
    Ok(out)
}

fn values(a: &NewAchievement, team: &[TeamMember]) -> Values {
    vec![
        ("title", a.title.clone().into()),
        ("area", a.area.as_str().into()),
        ("industry", a.industry.clone().into()),
        ("keywords", sql::json_text(&a.keywords).into()),
        ("summary", a.summary.clone().into()),
        ("trl", a.trl.into()),
        ("team", sql::json_text(team).into()),
        ("ip", sql::json_text(&a.ip).into()),
        (
            "modes",
            sql::json_text(&a.modes.iter().map(|m| m.as_str()).collect::<Vec<_>>()).into(),
        ),
        ("asking_fen", a.asking_fen.into()),
        ("contact", a.contact.clone().into()),
    ]
}

/// JSON text of a value (the JSON columns).
async fn objections_of<C: ConnectionTrait>(db: &C, id: i64) -> StoreResult<Vec<Objection>> {
    let mut q = Query::select();
    q.columns([
        "no",
        "at",
        "by_name",
        "content",
        "resolved",
        "upheld",
        "resolution",
    ])
    .from("achievement_objections")
    .and_where(Expr::col("achievement_id").eq(id))
    .order_by("no", Order::Asc);
    sql::fetch_all(db, &q)
        .await?
        .iter()
        .map(|r| {
            Ok(Objection {
                no: get(r, "no")?,
                at: beijing(get(r, "at")?),
                by: get(r, "by_name")?,
                content: get(r, "content")?,
                resolved: get(r, "resolved")?,
                upheld: get(r, "upheld")?,
                resolution: get(r, "resolution")?,
            })
        })
        .collect()
}

fn beijing(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms)
        .map(|t| {
            (t + chrono::Duration::hours(8))
                .format("%Y-%m-%d %H:%M")
                .to_string()
        })
        .unwrap_or_default()
}

impl Store {
    pub async fn list_achievements(
        &self,
        scope: &DataScope,
        f: &AchievementFilter,
        page: PageRequest,
    ) -> StoreResult<Page<Achievement>> {
        // The hall is public: every reader sees the public stages of every region.
        let scope = if f.hall { &DataScope::All } else { scope };
        self.list_records(scope, f, page).await
    }

    pub async fn export_achievements(
        &self,
        scope: &DataScope,
        f: &AchievementFilter,
        limit: u64,
    ) -> StoreResult<Vec<Achievement>> {
        let scope = if f.hall { &DataScope::All } else { scope };
        self.export_records(scope, f, limit).await
    }

    /// An achievement in the caller's scope, or any public one; with its objections.
    pub async fn get_achievement(&self, scope: &DataScope, id: i64) -> StoreResult<Achievement> {
        let mut a: Achievement = match self.get_record(scope, id).await {
            Ok(a) => a,
            Err(StoreError::NotFound) => {
                let a: Achievement = self.get_record(&DataScope::All, id).await?;
                if !a.status().is_some_and(Status::public) {
                    return Err(StoreError::NotFound);
                }
                a
            }
            Err(e) => return Err(e),
        };
        a.objections = objections_of(&self.db, id).await?;
        Ok(a)
    }

    pub async fn create_achievement(
        &self,
        caller: &Caller,
        owner_org_id: i64,
        a: &NewAchievement,
    ) -> StoreResult<Achievement> {
        let mut tx = self.write(caller).await?;
        let owner: Organization = tx.get(owner_org_id).await?;
        let team = team_of(&tx, &a.team).await?;
        let mut vals = values(a, &team);
        vals.extend([
            ("owner_org_id", owner.id.into()),
            ("region_code", owner.region_code.clone().into()),
            ("region_path", owner.region_path.clone().into()),
            ("status", Status::Draft.as_str().into()),
            ("open_objections", 0i64.into()),
        ]);
        let after = tx.create(vals).await?;
        tx.commit().await?;
        Ok(after)
    }

    pub async fn update_achievement(
        &self,
        caller: &Caller,
        id: i64,
        a: &NewAchievement,
    ) -> StoreResult<Achievement> {
        let mut tx = self.write(caller).await?;
        let before: Achievement = tx.get(id).await?;
        if !before.status().is_some_and(Status::editable) {
            return Err(state_error(&before, "修改"));
        }
        let team = team_of(&tx, &a.team).await?;
        let after = tx.update_as("update", &before, values(a, &team)).await?;
        tx.commit().await?;
        Ok(after)
    }

    pub async fn delete_achievement(&self, caller: &Caller, id: i64) -> StoreResult<()> {
        let mut tx = self.write(caller).await?;
        let before: Achievement = tx.get(id).await?;
        if before.status() != Some(Status::Draft) {
            return Err(state_error(&before, "删除"));
        }
        tx.delete::<Achievement>(id).await?;
        tx.commit().await
    }

    /// A status move of an achievement in the caller's scope, allowed from `from`.
    pub async fn move_achievement(
        &self,
        caller: &Caller,
        id: i64,
        action: &'static str,
        from: &[Status],
        vals: Values,
        what: &str,
    ) -> StoreResult<Achievement> {
        let mut tx = self.write(caller).await?;
        let before: Achievement = tx.get(id).await?;
        if !before.status().is_some_and(|s| from.contains(&s)) {
            return Err(state_error(&before, what));
        }
        let mut after = tx.update_as(action, &before, vals).await?;
        after.objections = objections_of(tx.conn(), id).await?;
        tx.commit().await?;
        Ok(after)
    }

    /// 异议: any market reader, while the achievement is 公示中.
    pub async fn object_to_achievement(
        &self,
        caller: &Caller,
        by_name: &str,
        id: i64,
        content: &str,
    ) -> StoreResult<Achievement> {
        let mut tx = self.write(caller).await?;
        let before: Achievement = get_in(tx.conn(), &DataScope::All, id).await?;
        if !before.status().is_some_and(Status::public) {
            // Not public: as missing as to anyone outside its scope.
            if !tx
                .caller()
                .scope
                .admits(crate::record::Record::keys(&before))
            {
                return Err(StoreError::NotFound);
            }
        }
        if before.status() != Some(Status::Notice) {
            return Err(state_error(&before, "提出异议（只在公示期内受理）"));
        }
        let mut q = Query::select();
        q.expr_as(Expr::cust("COALESCE(MAX(no), 0)"), "n")
            .from("achievement_objections")
            .and_where(Expr::col("achievement_id").eq(id));
        let n: i64 = match sql::fetch_one(tx.conn(), &q).await? {
            Some(r) => get(&r, "n")?,
            None => 0,
        };
        let mut ins = Query::insert();
        ins.into_table("achievement_objections")
            .columns([
                "achievement_id",
                "no",
                "at",
                "by_user",
                "by_name",
                "content",
                "resolved",
            ])
            .values([
                id.into(),
                (n + 1).into(),
                sql::now_ms().into(),
                caller.user_id.into(),
                by_name.to_owned().into(),
                content.to_owned().into(),
                false.into(),
            ])
            .map_err(StoreError::corrupt)?;
        tx.conn().execute(&ins).await?;
        let mut up = Query::update();
        up.table(T)
            .value("open_objections", before.open_objections + 1)
            .and_where(Expr::col("id").eq(id));
        tx.conn().execute(&up).await?;
        let mut after: Achievement = get_in(tx.conn(), &DataScope::All, id).await?;
        tx.note_parts(
            "object",
            &after,
            None,
            Some(serde_json::json!({ "objection": n + 1, "content": content })),
        );
        after.objections = objections_of(tx.conn(), id).await?;
        tx.commit().await?;
        Ok(after)
    }

    /// The bureau resolves an objection; an upheld one sends the achievement back to its owner.
    pub async fn resolve_objection(
        &self,
        caller: &Caller,
        id: i64,
        no: i64,
        upheld: bool,
        resolution: &str,
    ) -> StoreResult<Achievement> {
        let mut tx = self.write(caller).await?;
        let before: Achievement = tx.get(id).await?;
        let objections = objections_of(tx.conn(), id).await?;
        let Some(o) = objections.iter().find(|o| o.no == no) else {
            return Err(StoreError::NotFound);
        };
        if o.resolved {
            return Err(conflict("objection.resolved", "该异议已处理"));
        }
        let mut up = Query::update();
        up.table("achievement_objections")
            .value("resolved", true)
            .value("upheld", upheld)
            .value("resolution", resolution.to_owned())
            .and_where(Expr::col("achievement_id").eq(id))
            .and_where(Expr::col("no").eq(no));
        tx.conn().execute(&up).await?;
        let mut vals: Values = vec![(
            "open_objections",
            Ord::max(before.open_objections - 1, 0).into(),
        )];
        if upheld {
            vals.push(("status", Status::Returned.as_str().into()));
            vals.push((
                "return_reason",
                format!("公示异议成立：{resolution}").into(),
            ));
        }
        let mut after = tx.update_as("resolve", &before, vals).await?;
        after.objections = objections_of(tx.conn(), id).await?;
        tx.commit().await?;
        Ok(after)
    }
}

/// Today's day count since the notice started (0 on the first day).
pub fn days_since(start: Option<&str>, today: NaiveDate) -> i64 {
    start
        .and_then(|s| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok())
        .map(|d| Ord::max((today - d).num_days(), 0))
        .unwrap_or(0)
}
