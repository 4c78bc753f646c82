//! 技术经纪人 and 对接活动. A broker lies in its agency's region (or the region given when it
//! has no agency in the registry) and is scoped like the agency's records. An event lies in its
//! region; what it links (achievements, demands, brokers, organizations, and the contracts
//! that followed) must be visible to the officer who links it, and is kept as id lists on the
//! event, read and audited whole with it.

use crate::audit::WriteTx;
use crate::error::{StoreError, StoreResult};
use crate::orgs::{Organization, region_name, region_path};
use crate::record::{ListFilter, RecordKind, Stamps, Values};
use crate::sql::{self, ScopeColumns, contains, get};
use crate::{Caller, DataScope, Page, PageRequest, SortOrder, Store};
use kechuang_domain::FieldError;
use kechuang_domain::achievement::Area;
use kechuang_domain::brokerage::{
    BrokerLevel, BrokerStatus, EventKind, NewBroker, NewEvent, NewOutcome, Outcome,
};
use kechuang_domain::scope::RecordKeys;
use sea_orm::QueryResult;
use sea_orm::sea_query::{Expr, ExprTrait, Order, Query, SelectStatement};
use serde::{Deserialize, Serialize};

const B: &str = "tech_brokers";
const E: &str = "match_events";
pub(crate) const BROKER_KIND: RecordKind = RecordKind::own(
    ScopeColumns {
        table: B,
        region_path: Some("region_path"),
        org: Some("org_id"),
        owner: None,
    },
    "tech_broker",
    Stamps::ALL,
);
pub(crate) const EVENT_KIND: RecordKind = RecordKind::own(
    ScopeColumns {
        table: E,
        region_path: Some("region_path"),
        org: None,
        owner: None,
    },
    "match_event",
    Stamps::ALL,
);

/// A registered technology broker.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Broker {
    pub id: i64,
    pub name: String,
    /// 证书编号
    pub certificate_no: String,
    pub level: String,
    pub level_label: String,
    /// 所在服务机构
    pub org_id: Option<i64>,
    pub org_name: Option<String>,
    pub region_code: String,
    pub region_name: String,
    pub areas: Vec<String>,
    pub area_labels: Vec<String>,
    pub phone: Option<String>,
    pub status: String,
    pub status_label: String,
    #[serde(skip)]
    pub region_path: String,
    pub updated_at: i64,
}

fn broker_select() -> SelectStatement {
    let mut q = Query::select();
    q.columns(
        [
            "id",
            "name",
            "certificate_no",
            "level",
            "org_id",
            "region_code",
            "region_path",
            "areas",
            "phone",
            "status",
            "updated_at",
        ]
        .map(|c| (B, c)),
    )
    .expr_as(Expr::col(("organizations", "name")), "org_name")
    .from(B)
    .left_join(
        "organizations",
        Expr::col(("organizations", "id")).equals((B, "org_id")),
    );
    q
}

fn broker_from_row(r: &QueryResult) -> StoreResult<Broker> {
    let level: String = get(r, "level")?;
    let status: String = get(r, "status")?;
    let region: String = get(r, "region_code")?;
    let areas: Vec<String> = sql::json_col(r, "areas")?;
    Ok(Broker {
        id: get(r, "id")?,
        name: get(r, "name")?,
        certificate_no: get(r, "certificate_no")?,
        level_label: BrokerLevel::parse(&level)
            .map(|l| l.label())
            .unwrap_or_default()
            .into(),
        level,
        org_id: get(r, "org_id")?,
        org_name: get(r, "org_name")?,
        region_name: region_name(&region),
        region_code: region,
        area_labels: areas
            .iter()
            .filter_map(|a| Area::parse(a).ok().map(|a| a.label().to_owned()))
            .collect(),
        areas,
        phone: get(r, "phone")?,
        status_label: BrokerStatus::parse(&status)
            .map(|s| s.label())
            .unwrap_or_default()
            .into(),
        status,
        region_path: get(r, "region_path")?,
        updated_at: get(r, "updated_at")?,
    })
}

crate::record::impl_record!(Broker, BROKER_KIND, broker_select, broker_from_row, |s| {
    RecordKeys::org(&s.region_path, s.org_id)
});

/// A matchmaking event and its outcome.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct MatchEvent {
    pub id: i64,
    pub title: String,
    pub kind: String,
    pub kind_label: String,
    pub held_on: String,
    pub place: String,
    pub organizer: String,
    pub region_code: String,
    pub region_name: String,
    pub achievement_ids: Vec<i64>,
    pub demand_ids: Vec<i64>,
    pub broker_ids: Vec<i64>,
    pub org_ids: Vec<i64>,
    pub note: String,
    pub outcome: String,
    pub outcome_label: String,
    /// 达成意向数
    pub intents: i64,
    /// The contracts that followed.
    pub contract_ids: Vec<i64>,
    pub outcome_note: Option<String>,
    #[serde(skip)]
    pub region_path: String,
    pub updated_at: i64,
}

const EVENT_COLUMNS: &[&str] = &[
    "id",
    "title",
    "kind",
    "held_on",
    "place",
    "organizer",
    "region_code",
    "region_path",
    "achievement_ids",
    "demand_ids",
    "broker_ids",
    "org_ids",
    "note",
    "outcome",
    "intents",
    "contract_ids",
    "outcome_note",
    "updated_at",
];

fn event_from_row(r: &QueryResult) -> StoreResult<MatchEvent> {
    let kind: String = get(r, "kind")?;
    let outcome: String = get(r, "outcome")?;
    let region: String = get(r, "region_code")?;
    Ok(MatchEvent {
        id: get(r, "id")?,
        title: get(r, "title")?,
        kind_label: EventKind::parse(&kind)
            .map(|k| k.label())
            .unwrap_or_default()
            .into(),
        kind,
        held_on: get(r, "held_on")?,
        place: get(r, "place")?,
        organizer: get(r, "organizer")?,
        region_name: region_name(&region),
        region_code: region,
        achievement_ids: sql::json_col(r, "achievement_ids")?,
        demand_ids: sql::json_col(r, "demand_ids")?,
        broker_ids: sql::json_col(r, "broker_ids")?,
        org_ids: sql::json_col(r, "org_ids")?,
        note: get(r, "note")?,
        outcome_label: Outcome::parse(&outcome)
            .map(|o| o.label())
            .unwrap_or_default()
            .into(),
        outcome,
        intents: get(r, "intents")?,
        contract_ids: sql::json_col(r, "contract_ids")?,
        outcome_note: get(r, "outcome_note")?,
        region_path: get(r, "region_path")?,
        updated_at: get(r, "updated_at")?,
    })
}

crate::record::impl_record!(
    MatchEvent,
    EVENT_KIND,
    || sql::columns_of(E, EVENT_COLUMNS),
    event_from_row,
    |s| RecordKeys::region(&s.region_path)
);

#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
pub struct BrokerFilter {
    /// Name or certificate number contains.
    pub q: Option<String>,
    pub level: Option<String>,
    pub status: Option<String>,
    pub area: Option<String>,
}

impl ListFilter for BrokerFilter {
    fn apply(&self, q: &mut SelectStatement) -> StoreResult<()> {
        if let Some(t) = self.q.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            q.cond_where(
                sea_orm::sea_query::Cond::any()
                    .add(Expr::col((B, "name")).like(contains(t)))
                    .add(Expr::col((B, "certificate_no")).like(contains(&t.to_uppercase())))
                    .add(Expr::col(("organizations", "name")).like(contains(t))),
            );
        }
        if let Some(v) = self.level.as_deref().filter(|s| !s.is_empty()) {
            q.and_where(Expr::col((B, "level")).eq(BrokerLevel::parse(v)?.as_str()));
        }
        if let Some(v) = self.status.as_deref().filter(|s| !s.is_empty()) {
            q.and_where(Expr::col((B, "status")).eq(BrokerStatus::parse(v)?.as_str()));
        }
        if let Some(v) = self.area.as_deref().filter(|s| !s.is_empty()) {
            let a = Area::parse(v)?;
            q.and_where(Expr::col((B, "areas")).like(contains(&format!("\"{}\"", a.as_str()))));
        }
        q.order_by((B, "updated_at"), Order::Desc)
            .order_by((B, "id"), Order::Asc);
        Ok(())
    }
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
pub struct EventFilter {
    /// Title, place or organizer contains.
    pub q: Option<String>,
    pub kind: Option<String>,
    pub outcome: Option<String>,
    /// 举办年度
    pub year: Option<i32>,
    pub order: Option<SortOrder>,
}

impl ListFilter for EventFilter {
    fn apply(&self, q: &mut SelectStatement) -> StoreResult<()> {
        if let Some(t) = self.q.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            q.cond_where(
                sea_orm::sea_query::Cond::any()
                    .add(Expr::col((E, "title")).like(contains(t)))
                    .add(Expr::col((E, "place")).like(contains(t)))
                    .add(Expr::col((E, "organizer")).like(contains(t))),
            );
        }
        if let Some(v) = self.kind.as_deref().filter(|s| !s.is_empty()) {
            q.and_where(Expr::col((E, "kind")).eq(EventKind::parse(v)?.as_str()));
        }
        if let Some(v) = self.outcome.as_deref().filter(|s| !s.is_empty()) {
            q.and_where(Expr::col((E, "outcome")).eq(Outcome::parse(v)?.as_str()));
        }
        if let Some(y) = self.year {
            q.and_where(Expr::col((E, "held_on")).like(format!("{y}-%")));
        }
        q.order_by((E, "held_on"), self.order.unwrap_or(SortOrder::Desc).into())
            .order_by((E, "id"), Order::Desc);
        Ok(())
    }
}

fn unknown(field: &str, code: &str, msg: String) -> StoreError {
    StoreError::Invalid(kechuang_domain::Invalid::one(field, code, msg))
}

async fn visible_org(tx: &WriteTx, field: &str, id: i64) -> StoreResult<Organization> {
    tx.get::<Organization>(id).await.map_err(|e| match e {
        StoreError::NotFound => unknown(
            field,
            "org.unknown",
            format!("单位（编号{id}）不存在或不在您的管辖范围内"),
        ),
        e => e,
    })
}

fn broker_values(b: &NewBroker, region_code: &str, path: &str) -> Values {
    vec![
        ("name", b.name.clone().into()),
        ("certificate_no", b.certificate_no.clone().into()),
        ("level", b.level.as_str().into()),
        ("org_id", b.org_id.into()),
        ("region_code", region_code.to_owned().into()),
        ("region_path", path.to_owned().into()),
        (
            "areas",
            sql::json_text(&b.areas.iter().map(|a| a.as_str()).collect::<Vec<_>>()).into(),
        ),
        ("phone", b.phone.clone().into()),
        ("status", b.status.as_str().into()),
    ]
}

fn dup_certificate(e: StoreError, cert: &str) -> StoreError {
    match e {
        StoreError::Db(e) if sql::is_unique_violation(&e) => StoreError::Conflict(FieldError::new(
            "certificate_no",
            "certificate_no.duplicate",
            format!("证书编号“{cert}”已登记"),
        )),
        e => e,
    }
}

impl Store {
    pub async fn list_brokers(
        &self,
        scope: &DataScope,
        f: &BrokerFilter,
        page: PageRequest,
    ) -> StoreResult<Page<Broker>> {
        self.list_records(scope, f, page).await
    }

    pub async fn get_broker(&self, scope: &DataScope, id: i64) -> StoreResult<Broker> {
        self.get_record(scope, id).await
    }

    async fn broker_place(tx: &WriteTx, b: &NewBroker) -> StoreResult<(String, String)> {
        match (b.org_id, b.region) {
            (Some(o), _) => {
                let org = visible_org(tx, "org_id", o).await?;
                Ok((org.region_code, org.region_path))
            }
            (None, Some(r)) => Ok((r.to_string(), region_path(r)?)),
            (None, None) => Err(unknown(
                "region",
                "region.required",
                "未填写所在机构时，请选择所在行政区划".into(),
            )),
        }
    }

    pub async fn create_broker(&self, caller: &Caller, b: &NewBroker) -> StoreResult<Broker> {
        let mut tx = self.write(caller).await?;
        let (code, path) = Self::broker_place(&tx, b).await?;
        let after = tx
            .create(broker_values(b, &code, &path))
            .await
            .map_err(|e| dup_certificate(e, &b.certificate_no))?;
        tx.commit().await?;
        Ok(after)
    }

    pub async fn update_broker(
        &self,
        caller: &Caller,
        id: i64,
        b: &NewBroker,
    ) -> StoreResult<Broker> {
        let mut tx = self.write(caller).await?;
        let before: Broker = tx.get(id).await?;
        let (code, path) = Self::broker_place(&tx, b).await?;
        let after = tx
            .update_as("update", &before, broker_values(b, &code, &path))
            .await
            .map_err(|e| dup_certificate(e, &b.certificate_no))?;
        tx.commit().await?;
        Ok(after)
    }

    pub async fn list_events(
        &self,
        scope: &DataScope,
        f: &EventFilter,
        page: PageRequest,
    ) -> StoreResult<Page<MatchEvent>> {
        self.list_records(scope, f, page).await
    }

    /// Every event in the scope (at most `limit`), newest first: for a broker's record and the
    /// yearly figures.
    pub async fn all_events(&self, scope: &DataScope, limit: u64) -> StoreResult<Vec<MatchEvent>> {
        self.export_records(scope, &EventFilter::default(), limit)
            .await
    }

    pub async fn get_event(&self, scope: &DataScope, id: i64) -> StoreResult<MatchEvent> {
        self.get_record(scope, id).await
    }

    /// Checks that every linked record is one the caller may link: achievements and demands in
    /// its scope or public on the market, brokers and organizations in its scope.
    async fn check_links(&self, tx: &WriteTx, e: &NewEvent) -> StoreResult<()> {
        let scope = tx.caller().scope.clone();
        for id in &e.achievement_ids {
            if let Err(StoreError::NotFound) = self.get_achievement(&scope, *id).await {
                return Err(unknown(
                    "achievement_ids",
                    "achievement.unknown",
                    format!("科技成果（编号{id}）不存在或您无权查看"),
                ));
            }
        }
        for id in &e.demand_ids {
            if let Err(StoreError::NotFound) = self.get_demand(&scope, *id).await {
                return Err(unknown(
                    "demand_ids",
                    "demand.unknown",
                    format!("技术需求（编号{id}）不存在或您无权查看"),
                ));
            }
        }
        for id in &e.broker_ids {
            if let Err(StoreError::NotFound) = tx.get::<Broker>(*id).await {
                return Err(unknown(
                    "broker_ids",
                    "broker.unknown",
                    format!("技术经纪人（编号{id}）不存在或不在您的管辖范围内"),
                ));
            }
        }
        for id in &e.org_ids {
            visible_org(tx, "org_ids", *id).await?;
        }
        Ok(())
    }

    fn event_values(e: &NewEvent) -> StoreResult<Values> {
        Ok(vec![
            ("title", e.title.clone().into()),
            ("kind", e.kind.as_str().into()),
            ("held_on", e.held_on.to_string().into()),
            ("place", e.place.clone().into()),
            ("organizer", e.organizer.clone().into()),
            ("region_code", e.region.to_string().into()),
            ("region_path", region_path(e.region)?.into()),
            ("achievement_ids", sql::json_text(&e.achievement_ids).into()),
            ("demand_ids", sql::json_text(&e.demand_ids).into()),
            ("broker_ids", sql::json_text(&e.broker_ids).into()),
            ("org_ids", sql::json_text(&e.org_ids).into()),
            ("note", e.note.clone().into()),
        ])
    }

    pub async fn create_event(&self, caller: &Caller, e: &NewEvent) -> StoreResult<MatchEvent> {
        let mut tx = self.write(caller).await?;
        self.check_links(&tx, e).await?;
        let mut vals = Self::event_values(e)?;
        vals.extend([
            ("outcome", Outcome::Pending.as_str().into()),
            ("intents", 0i64.into()),
            ("contract_ids", "[]".into()),
        ]);
        let after = tx.create(vals).await?;
        tx.commit().await?;
        Ok(after)
    }

    pub async fn update_event(
        &self,
        caller: &Caller,
        id: i64,
        e: &NewEvent,
    ) -> StoreResult<MatchEvent> {
        let mut tx = self.write(caller).await?;
        let before: MatchEvent = tx.get(id).await?;
        self.check_links(&tx, e).await?;
        let after = tx
            .update_as("update", &before, Self::event_values(e)?)
            .await?;
        tx.commit().await?;
        Ok(after)
    }

    /// Records what an event achieved. The contracts must be in the caller's scope and signed
    /// on or after the event (a contract signed before cannot have followed from it).
    pub async fn record_outcome(
        &self,
        caller: &Caller,
        id: i64,
        o: &NewOutcome,
    ) -> StoreResult<MatchEvent> {
        let mut tx = self.write(caller).await?;
        let before: MatchEvent = tx.get(id).await?;
        for cid in &o.contract_ids {
            let c = self
                .get_contract(&caller.scope, *cid)
                .await
                .map_err(|e| match e {
                    StoreError::NotFound => unknown(
                        "contract_ids",
                        "contract.unknown",
                        format!("技术合同（编号{cid}）不存在或不在您的管辖范围内"),
                    ),
                    e => e,
                })?;
            if c.signed_on.as_str() < before.held_on.as_str() {
                return Err(unknown(
                    "contract_ids",
                    "contract.before_event",
                    format!(
                        "合同“{}”签订于{}，早于活动日期{}，不能算作本次对接的成果",
                        c.contract_no, c.signed_on, before.held_on
                    ),
                ));
            }
        }
        let after = tx
            .update_as(
                "outcome",
                &before,
                vec![
                    ("outcome", o.outcome.as_str().into()),
                    ("intents", o.intents.into()),
                    ("contract_ids", sql::json_text(&o.contract_ids).into()),
                    (
                        "outcome_note",
                        Some(o.note.clone()).filter(|s| !s.is_empty()).into(),
                    ),
                ],
            )
            .await?;
        tx.commit().await?;
        Ok(after)
    }
}
