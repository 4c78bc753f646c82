//! 技术经纪人 and 对接活动 endpoints. Officers (market:manage) keep the broker registry and
//! record events and their outcomes; every market reader sees what its scope admits. A
//! broker's record shows what it brokered: the events it took part in, the achievements shown
//! there, and the contracts that followed or that name it as 技术中介方.

use crate::AppState;
use crate::api::io::{all_pages, export_sheet};
use crate::api::{DictItem, dict_item, today};
use crate::auth::Auth;
use crate::error::ApiResult;
use crate::extract::{Json, Path, Query};
use crate::tabular::Cell;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use kechuang_domain::brokerage::{
    BrokerInput, BrokerLevel, BrokerStatus, EventInput, EventKind, NewBroker, NewEvent, NewOutcome,
    Outcome, OutcomeInput,
};
use kechuang_domain::money::from_fen;
use kechuang_store::brokerage::{Broker, BrokerFilter, EventFilter, MatchEvent};
use kechuang_store::contracts::{Contract, ContractFilter};
use kechuang_store::{DataScope, Page, PageRequest, StoreError};
use serde::Serialize;
use std::collections::BTreeSet;

/// At most this many events are read for a broker's record.
const EVENTS_READ: u64 = 5_000;

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct BrokerageDicts {
    pub levels: Vec<DictItem>,
    pub statuses: Vec<DictItem>,
    pub kinds: Vec<DictItem>,
    pub outcomes: Vec<DictItem>,
}

#[utoipa::path(get, path = "/api/v1/brokerage/dicts", tag = "market",
    responses((status = 200, body = BrokerageDicts), (status = 403, body = crate::error::ErrorBody)))]
pub async fn dicts(a: Auth) -> ApiResult<axum::Json<BrokerageDicts>> {
    a.require("market:read")?;
    let tagged = |v: &str, l: &str, t: &str| DictItem {
        tag: Some(t.into()),
        ..dict_item(v, l)
    };
    Ok(axum::Json(BrokerageDicts {
        levels: BrokerLevel::ALL
            .iter()
            .map(|l| dict_item(l.as_str(), l.label()))
            .collect(),
        statuses: vec![
            tagged(
                BrokerStatus::Active.as_str(),
                BrokerStatus::Active.label(),
                "success",
            ),
            tagged(
                BrokerStatus::Suspended.as_str(),
                BrokerStatus::Suspended.label(),
                "info",
            ),
        ],
        kinds: EventKind::ALL
            .iter()
            .map(|k| dict_item(k.as_str(), k.label()))
            .collect(),
        outcomes: Outcome::ALL
            .iter()
            .map(|o| {
                let tag = match o {
                    Outcome::Pending => "info",
                    Outcome::None => "danger",
                    Outcome::Intent => "warning",
                    Outcome::Signed => "success",
                };
                tagged(o.as_str(), o.label(), tag)
            })
            .collect(),
    }))
}

// ---------------------------------------------------------------- brokers

#[utoipa::path(get, path = "/api/v1/brokers", tag = "market", params(BrokerFilter, PageRequest),
    responses((status = 200, body = Page<Broker>), (status = 403, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn list_brokers(
    State(st): State<AppState>,
    a: Auth,
    Query(f): Query<BrokerFilter>,
    Query(p): Query<PageRequest>,
) -> ApiResult<axum::Json<Page<Broker>>> {
    a.require("market:read")?;
    let mut page = st.store.list_brokers(&a.scope(), &f, p).await?;
    // 等保: personal data is masked in lists; the detail page shows the number to call.
    for b in &mut page.items {
        b.phone = b
            .phone
            .take()
            .map(|p| kechuang_domain::people::mask_phone(&p));
    }
    Ok(axum::Json(page))
}

#[utoipa::path(get, path = "/api/v1/brokers/export", tag = "market", params(BrokerFilter),
    responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"), (status = 403, body = crate::error::ErrorBody)))]
pub async fn export_brokers(
    State(st): State<AppState>,
    a: Auth,
    Query(f): Query<BrokerFilter>,
) -> ApiResult<Response> {
    a.require("export")?;
    a.require("market:read")?;
    let scope = a.scope();
    let rows = all_pages(|p| st.store.list_brokers(&scope, &f, p)).await?;
    // Full numbers only for the bureau that manages the market.
    let full = a.user.has_permission("market:manage");
    export_sheet(
        &st,
        &a,
        "tech_broker",
        "brokers",
        "技术经纪人",
        &[
            "姓名",
            "证书编号",
            "等级",
            "所在机构",
            "所在地",
            "服务领域",
            "联系电话",
            "状态",
        ],
        rows.into_iter()
            .map(|b| {
                vec![
                    Cell::Text(b.name),
                    Cell::Text(b.certificate_no),
                    Cell::Text(b.level_label),
                    Cell::Text(b.org_name.unwrap_or_default()),
                    Cell::Text(b.region_name),
                    Cell::Text(b.area_labels.join("、")),
                    Cell::Text(
                        b.phone
                            .map(|p| {
                                if full {
                                    p
                                } else {
                                    kechuang_domain::people::mask_phone(&p)
                                }
                            })
                            .unwrap_or_default(),
                    ),
                    Cell::Text(b.status_label),
                ]
            })
            .collect(),
    )
    .await
}

/// A brief of an event for a broker's record.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct EventBrief {
    pub id: i64,
    pub title: String,
    pub held_on: String,
    pub kind_label: String,
    pub outcome: String,
    pub outcome_label: String,
}

/// A linked record: its id, title and state; `visible` false when the reader may not open it.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct LinkBrief {
    pub id: i64,
    pub title: String,
    pub status_label: String,
    pub visible: bool,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ContractBrief {
    pub id: i64,
    pub contract_no: String,
    pub subject: String,
    pub seller_name: String,
    pub buyer_name: String,
    pub signed_on: String,
    /// 成交额 (元)
    pub total_amount: String,
    pub status: String,
    pub status_label: String,
    /// How it is tied: 对接活动 and/or 合同中介方.
    pub via: String,
}

fn contract_brief(c: &Contract, via: &str) -> ContractBrief {
    ContractBrief {
        id: c.id,
        contract_no: c.contract_no.clone(),
        subject: c.subject.clone(),
        seller_name: c.seller_name.clone(),
        buyer_name: c.buyer_name.clone(),
        signed_on: c.signed_on.clone(),
        total_amount: c.total_amount.clone(),
        status: c.status.clone(),
        status_label: c.status_label.clone(),
        via: via.into(),
    }
}

/// 成交额 of the registered contracts among these, in yuan.
fn registered_turnover(cs: &[(Contract, String)]) -> String {
    from_fen(
        cs.iter()
            .filter(|(c, _)| c.status == "registered")
            .map(|(c, _)| c.total_fen())
            .sum(),
    )
    .to_string()
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct BrokerView {
    #[serde(flatten)]
    pub broker: Broker,
    pub events: Vec<EventBrief>,
    pub achievements: Vec<LinkBrief>,
    pub contracts: Vec<ContractBrief>,
    /// 已登记合同成交额 (元)
    pub registered_turnover: String,
}

async fn contracts_of(
    st: &AppState,
    scope: &DataScope,
    ids: &BTreeSet<i64>,
) -> ApiResult<Vec<Contract>> {
    let mut out = Vec::new();
    for id in ids {
        match st.store.get_contract(scope, *id).await {
            Ok(c) => out.push(c),
            Err(StoreError::NotFound) => {}
            Err(e) => return Err(e.into()),
        }
    }
    Ok(out)
}

#[utoipa::path(get, path = "/api/v1/brokers/{id}", tag = "market", params(("id" = i64, Path)),
    responses((status = 200, body = BrokerView), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody)))]
pub async fn get_broker(
    State(st): State<AppState>,
    a: Auth,
    Path(id): Path<i64>,
) -> ApiResult<axum::Json<BrokerView>> {
    a.require("market:read")?;
    let scope = a.scope();
    let broker = st.store.get_broker(&scope, id).await?;
    let events: Vec<MatchEvent> = st
        .store
        .all_events(&scope, EVENTS_READ)
        .await?
        .into_iter()
        .filter(|e| e.broker_ids.contains(&id))
        .collect();
    let mut achievement_ids = BTreeSet::new();
    let mut via_event = BTreeSet::new();
    for e in &events {
        achievement_ids.extend(e.achievement_ids.iter().copied());
        via_event.extend(e.contract_ids.iter().copied());
    }
    let by_name = ContractFilter {
        broker: Some(broker.name.clone()),
        ..Default::default()
    };
    let named = all_pages(|p| st.store.list_contracts(&scope, &by_name, p)).await?;
    let named_ids: BTreeSet<i64> = named.iter().map(|c| c.id).collect();
    let mut contracts: Vec<(Contract, String)> = Vec::new();
    for c in contracts_of(&st, &scope, &via_event).await? {
        let via = if named_ids.contains(&c.id) {
            "对接活动、合同中介方"
        } else {
            "对接活动"
        };
        contracts.push((c, via.into()));
    }
    for c in named {
        if !via_event.contains(&c.id) {
            contracts.push((c, "合同中介方".into()));
        }
    }
    contracts.sort_by(|a, b| b.0.signed_on.cmp(&a.0.signed_on));
    let achievement_ids: Vec<i64> = achievement_ids.into_iter().collect();
    let achievements = links(&achievement_ids, |id| {
        let scope = &scope;
        let st = &st;
        async move {
            st.store
                .get_achievement(scope, id)
                .await
                .map(|x| (x.title, x.status_label))
        }
    })
    .await?;
    Ok(axum::Json(BrokerView {
        registered_turnover: registered_turnover(&contracts),
        broker,
        events: events
            .into_iter()
            .map(|e| EventBrief {
                id: e.id,
                title: e.title,
                held_on: e.held_on,
                kind_label: e.kind_label,
                outcome: e.outcome,
                outcome_label: e.outcome_label,
            })
            .collect(),
        achievements,
        contracts: contracts
            .iter()
            .map(|(c, via)| contract_brief(c, via))
            .collect(),
    }))
}

/// Linked records as briefs: `read` gives a record's title and state in the reader's scope;
/// one it may not read (or that is gone) stays in the list, greyed, without its title.
async fn links<F, Fut>(ids: &[i64], read: F) -> ApiResult<Vec<LinkBrief>>
where
    F: Fn(i64) -> Fut,
    Fut: std::future::Future<Output = Result<(String, String), StoreError>>,
{
    let mut out = Vec::with_capacity(ids.len());
    for id in ids {
        out.push(match read(*id).await {
            Ok((title, status_label)) => LinkBrief {
                id: *id,
                title,
                status_label,
                visible: true,
            },
            Err(StoreError::NotFound) => hidden(*id),
            Err(e) => return Err(e.into()),
        });
    }
    Ok(out)
}

fn hidden(id: i64) -> LinkBrief {
    LinkBrief {
        id,
        title: "（无权查看或已删除）".into(),
        status_label: String::new(),
        visible: false,
    }
}

#[utoipa::path(post, path = "/api/v1/brokers", tag = "market", request_body = BrokerInput,
    responses((status = 201, body = Broker), (status = 403, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn create_broker(
    State(st): State<AppState>,
    a: Auth,
    Json(i): Json<BrokerInput>,
) -> ApiResult<(StatusCode, axum::Json<Broker>)> {
    a.require("market:manage")?;
    let b = NewBroker::parse(&i)?;
    Ok((
        StatusCode::CREATED,
        axum::Json(st.store.create_broker(&a.caller(), &b).await?),
    ))
}

#[utoipa::path(put, path = "/api/v1/brokers/{id}", tag = "market", params(("id" = i64, Path)), request_body = BrokerInput,
    responses((status = 200, body = Broker), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn update_broker(
    State(st): State<AppState>,
    a: Auth,
    Path(id): Path<i64>,
    Json(i): Json<BrokerInput>,
) -> ApiResult<axum::Json<Broker>> {
    a.require("market:manage")?;
    // Out of scope reads as missing before the body is judged.
    st.store.get_broker(&a.scope(), id).await?;
    let b = NewBroker::parse(&i)?;
    Ok(axum::Json(
        st.store.update_broker(&a.caller(), id, &b).await?,
    ))
}

// ---------------------------------------------------------------- events

#[utoipa::path(get, path = "/api/v1/events", tag = "market", params(EventFilter, PageRequest),
    responses((status = 200, body = Page<MatchEvent>), (status = 403, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn list_events(
    State(st): State<AppState>,
    a: Auth,
    Query(f): Query<EventFilter>,
    Query(p): Query<PageRequest>,
) -> ApiResult<axum::Json<Page<MatchEvent>>> {
    a.require("market:read")?;
    Ok(axum::Json(st.store.list_events(&a.scope(), &f, p).await?))
}

#[utoipa::path(get, path = "/api/v1/events/export", tag = "market", params(EventFilter),
    responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"), (status = 403, body = crate::error::ErrorBody)))]
pub async fn export_events(
    State(st): State<AppState>,
    a: Auth,
    Query(f): Query<EventFilter>,
) -> ApiResult<Response> {
    a.require("export")?;
    a.require("market:read")?;
    let scope = a.scope();
    let rows = all_pages(|p| st.store.list_events(&scope, &f, p)).await?;
    export_sheet(
        &st,
        &a,
        "match_event",
        "events",
        "对接活动",
        &[
            "活动名称",
            "类型",
            "日期",
            "地点",
            "主办单位",
            "所在地",
            "对接成果数",
            "对接需求数",
            "对接成效",
            "意向数",
            "签约合同数",
        ],
        rows.into_iter()
            .map(|e| {
                vec![
                    Cell::Text(e.title),
                    Cell::Text(e.kind_label),
                    Cell::Text(e.held_on),
                    Cell::Text(e.place),
                    Cell::Text(e.organizer),
                    Cell::Text(e.region_name),
                    Cell::Number(e.achievement_ids.len() as f64),
                    Cell::Number(e.demand_ids.len() as f64),
                    Cell::Text(e.outcome_label),
                    Cell::Number(e.intents as f64),
                    Cell::Number(e.contract_ids.len() as f64),
                ]
            })
            .collect(),
    )
    .await
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct EventView {
    #[serde(flatten)]
    pub event: MatchEvent,
    pub achievements: Vec<LinkBrief>,
    pub demands: Vec<LinkBrief>,
    pub brokers: Vec<LinkBrief>,
    pub orgs: Vec<LinkBrief>,
    pub contracts: Vec<ContractBrief>,
    /// 签约合同中已登记的成交额 (元)
    pub registered_turnover: String,
    /// What the caller may do: edit, outcome.
    pub actions: Vec<String>,
}

async fn event_view(st: &AppState, a: &Auth, e: MatchEvent) -> ApiResult<EventView> {
    let scope = a.scope();
    let scope = &scope;
    let achievements = links(&e.achievement_ids, |id| async move {
        st.store
            .get_achievement(scope, id)
            .await
            .map(|x| (x.title, x.status_label))
    })
    .await?;
    let demands = links(&e.demand_ids, |id| async move {
        st.store
            .get_demand(scope, id)
            .await
            .map(|x| (x.title, x.status_label))
    })
    .await?;
    let brokers = links(&e.broker_ids, |id| async move {
        st.store
            .get_broker(scope, id)
            .await
            .map(|x| (x.name, x.level_label))
    })
    .await?;
    let orgs = links(&e.org_ids, |id| async move {
        st.store
            .get_organization(scope, id)
            .await
            .map(|x| (x.name, x.kind_label))
    })
    .await?;
    let ids: BTreeSet<i64> = e.contract_ids.iter().copied().collect();
    let contracts: Vec<(Contract, String)> = contracts_of(st, scope, &ids)
        .await?
        .into_iter()
        .map(|c| (c, "对接活动".to_owned()))
        .collect();
    let mut actions = Vec::new();
    if a.user.has_permission("market:manage") {
        actions.push("edit".to_owned());
        if e.held_on.as_str() <= today().to_string().as_str() {
            actions.push("outcome".to_owned());
        }
    }
    Ok(EventView {
        registered_turnover: registered_turnover(&contracts),
        contracts: contracts
            .iter()
            .map(|(c, via)| contract_brief(c, via))
            .collect(),
        achievements,
        demands,
        brokers,
        orgs,
        actions,
        event: e,
    })
}

#[utoipa::path(get, path = "/api/v1/events/{id}", tag = "market", params(("id" = i64, Path)),
    responses((status = 200, body = EventView), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody)))]
pub async fn get_event(
    State(st): State<AppState>,
    a: Auth,
    Path(id): Path<i64>,
) -> ApiResult<axum::Json<EventView>> {
    a.require("market:read")?;
    let e = st.store.get_event(&a.scope(), id).await?;
    Ok(axum::Json(event_view(&st, &a, e).await?))
}

#[utoipa::path(post, path = "/api/v1/events", tag = "market", request_body = EventInput,
    responses((status = 201, body = EventView), (status = 403, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn create_event(
    State(st): State<AppState>,
    a: Auth,
    Json(i): Json<EventInput>,
) -> ApiResult<(StatusCode, axum::Json<EventView>)> {
    a.require("market:manage")?;
    let e = NewEvent::parse(&i)?;
    let e = st.store.create_event(&a.caller(), &e).await?;
    Ok((
        StatusCode::CREATED,
        axum::Json(event_view(&st, &a, e).await?),
    ))
}

#[utoipa::path(put, path = "/api/v1/events/{id}", tag = "market", params(("id" = i64, Path)), request_body = EventInput,
    responses((status = 200, body = EventView), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn update_event(
    State(st): State<AppState>,
    a: Auth,
    Path(id): Path<i64>,
    Json(i): Json<EventInput>,
) -> ApiResult<axum::Json<EventView>> {
    a.require("market:manage")?;
    st.store.get_event(&a.scope(), id).await?;
    let e = NewEvent::parse(&i)?;
    let e = st.store.update_event(&a.caller(), id, &e).await?;
    Ok(axum::Json(event_view(&st, &a, e).await?))
}

#[utoipa::path(post, path = "/api/v1/events/{id}/outcome", tag = "market", params(("id" = i64, Path)), request_body = OutcomeInput,
    responses((status = 200, body = EventView), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn record_outcome(
    State(st): State<AppState>,
    a: Auth,
    Path(id): Path<i64>,
    Json(i): Json<OutcomeInput>,
) -> ApiResult<axum::Json<EventView>> {
    a.require("market:manage")?;
    let e = st.store.get_event(&a.scope(), id).await?;
    let held = chrono::NaiveDate::parse_from_str(&e.held_on, "%Y-%m-%d")
        .map_err(|_| crate::error::ApiError::internal())?;
    let o = NewOutcome::parse(&i, held, today())?;
    let e = st.store.record_outcome(&a.caller(), id, &o).await?;
    Ok(axum::Json(event_view(&st, &a, e).await?))
}
