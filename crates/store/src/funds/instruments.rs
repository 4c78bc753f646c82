//! 大型科研仪器开放共享: instruments in the registry of their host organization, a booking
//! calendar (a booking is a two-party record: the user's organization and the host; overlapping
//! bookings are refused inside the write transaction), usage records (hours, fee), and the
//! yearly open-sharing figures a 后补助 programme pays on (有效机时, 对外服务机时, 共享率,
//! 服务单位数, 服务收入 — the 实施细则's indicators, read from the records, not self-reported).
//!
//! Booking times are local wall-clock times (`YYYY-MM-DD HH:MM`, Asia/Shanghai): a calendar's
//! slots, compared as text like the store's dates, not instants.

use super::{invalid, refuse, visible_org, yuan};
use crate::error::{StoreError, StoreResult};
use crate::orgs::{Organization, region_name};
use crate::record::{ListFilter, RecordKind, Stamps, Values};
use crate::sql::{self, ScopeColumns, contains, get};
use crate::{Caller, DataScope, Page, PageRequest, Store};
use kechuang_domain::funds::{BookingStatus, InstrumentStatus, NewBooking, NewInstrument};
use kechuang_domain::scope::RecordKeys;
use sea_orm::QueryResult;
use sea_orm::sea_query::{Cond, Expr, ExprTrait, Order, Query, SelectStatement};
use serde::{Deserialize, Serialize};

const I: &str = "instruments";
const B: &str = "instrument_bookings";
const FMT: &str = "%Y-%m-%d %H:%M";

pub(crate) const INSTRUMENT_KIND: RecordKind = RecordKind::own(
    ScopeColumns {
        table: I,
        region_path: Some("region_path"),
        org: Some("org_id"),
        owner: None,
    },
    "instrument",
    Stamps::ALL,
);
pub(crate) const BOOKING_KIND: RecordKind = RecordKind::own(
    ScopeColumns {
        table: B,
        region_path: Some("region_path"),
        org: Some("org_id"),
        owner: None,
    },
    "instrument_booking",
    Stamps::ALL,
)
.with_party(ScopeColumns {
    table: B,
    region_path: Some("host_region_path"),
    org: Some("host_org_id"),
    owner: None,
});

#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Instrument {
    pub id: i64,
    pub name: String,
    pub model: String,
    pub category: String,
    pub original_value: String,
    pub original_value_fen: i64,
    pub host_org_id: i64,
    pub host_name: String,
    pub region_code: String,
    pub region_name: String,
    pub location: String,
    pub status: String,
    pub status_label: String,
    pub fee_per_hour: String,
    pub fee_per_hour_fen: i64,
    pub rated_hours: i64,
    pub manager: String,
    #[serde(skip)]
    pub region_path: String,
    pub updated_at: i64,
}

fn instrument_select() -> SelectStatement {
    let mut q = Query::select();
    q.columns(
        [
            "id",
            "name",
            "model",
            "category",
            "original_value_fen",
            "org_id",
            "region_path",
            "location",
            "status",
            "fee_per_hour_fen",
            "rated_hours",
            "manager",
            "updated_at",
        ]
        .map(|c| (I, c)),
    )
    .expr_as(Expr::col(("organizations", "name")), "host_name")
    .expr_as(Expr::col(("organizations", "region_code")), "region_code")
    .from(I)
    .inner_join(
        "organizations",
        Expr::col(("organizations", "id")).equals((I, "org_id")),
    );
    q
}

fn instrument_from_row(r: &QueryResult) -> StoreResult<Instrument> {
    let status: String = get(r, "status")?;
    let region: String = get(r, "region_code")?;
    let ov: i64 = get(r, "original_value_fen")?;
    let fee: i64 = get(r, "fee_per_hour_fen")?;
    Ok(Instrument {
        id: get(r, "id")?,
        name: get(r, "name")?,
        model: get(r, "model")?,
        category: get(r, "category")?,
        original_value: yuan(ov),
        original_value_fen: ov,
        host_org_id: get(r, "org_id")?,
        host_name: get(r, "host_name")?,
        region_name: region_name(&region),
        region_code: region,
        location: get(r, "location")?,
        status_label: InstrumentStatus::parse(&status)
            .map(|s| s.label())
            .unwrap_or_default()
            .into(),
        status,
        fee_per_hour: yuan(fee),
        fee_per_hour_fen: fee,
        rated_hours: get(r, "rated_hours")?,
        manager: get(r, "manager")?,
        region_path: get(r, "region_path")?,
        updated_at: get(r, "updated_at")?,
    })
}

crate::record::impl_record!(
    Instrument,
    INSTRUMENT_KIND,
    instrument_select,
    instrument_from_row,
    |s| RecordKeys::org(&s.region_path, s.host_org_id)
);

#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Booking {
    pub id: i64,
    pub instrument_id: i64,
    pub instrument_name: String,
    pub org_id: i64,
    pub org_name: String,
    pub host_org_id: i64,
    pub host_name: String,
    pub starts_at: String,
    pub ends_at: String,
    pub purpose: String,
    pub status: String,
    pub status_label: String,
    /// 实际使用机时 (minutes), once used.
    pub used_minutes: Option<i64>,
    pub fee: Option<String>,
    pub fee_fen: Option<i64>,
    #[serde(skip)]
    pub region_path: String,
    #[serde(skip)]
    pub host_region_path: String,
    pub updated_at: i64,
}

fn booking_select() -> SelectStatement {
    let mut q = Query::select();
    q.columns(
        [
            "id",
            "instrument_id",
            "org_id",
            "region_path",
            "host_org_id",
            "host_region_path",
            "starts_at",
            "ends_at",
            "purpose",
            "status",
            "used_minutes",
            "fee_fen",
            "updated_at",
        ]
        .map(|c| (B, c)),
    )
    .expr_as(Expr::col((I, "name")), "instrument_name")
    .expr_as(Expr::col(("u", "name")), "org_name")
    .expr_as(Expr::col(("h", "name")), "host_name")
    .from(B)
    .inner_join(I, Expr::col((I, "id")).equals((B, "instrument_id")))
    .join_as(
        sea_orm::sea_query::JoinType::InnerJoin,
        "organizations",
        "u",
        Expr::col(("u", "id")).equals((B, "org_id")),
    )
    .join_as(
        sea_orm::sea_query::JoinType::InnerJoin,
        "organizations",
        "h",
        Expr::col(("h", "id")).equals((B, "host_org_id")),
    );
    q
}

fn booking_from_row(r: &QueryResult) -> StoreResult<Booking> {
    let status: String = get(r, "status")?;
    let fee_fen: Option<i64> = get(r, "fee_fen")?;
    Ok(Booking {
        id: get(r, "id")?,
        instrument_id: get(r, "instrument_id")?,
        instrument_name: get(r, "instrument_name")?,
        org_id: get(r, "org_id")?,
        org_name: get(r, "org_name")?,
        host_org_id: get(r, "host_org_id")?,
        host_name: get(r, "host_name")?,
        starts_at: get(r, "starts_at")?,
        ends_at: get(r, "ends_at")?,
        purpose: get(r, "purpose")?,
        status_label: BookingStatus::parse(&status)
            .map(|s| s.label())
            .unwrap_or_default()
            .into(),
        status,
        used_minutes: get(r, "used_minutes")?,
        fee: fee_fen.map(yuan),
        fee_fen,
        region_path: get(r, "region_path")?,
        host_region_path: get(r, "host_region_path")?,
        updated_at: get(r, "updated_at")?,
    })
}

crate::record::impl_record!(
    Booking,
    BOOKING_KIND,
    booking_select,
    booking_from_row,
    |s| RecordKeys::org(&s.region_path, s.org_id),
    party: |s| RecordKeys::org(&s.host_region_path, s.host_org_id)
);

#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
pub struct InstrumentFilter {
    /// Name, model or host contains.
    pub q: Option<String>,
    pub category: Option<String>,
    pub status: Option<String>,
    pub host_org_id: Option<i64>,
}

impl ListFilter for InstrumentFilter {
    fn apply(&self, q: &mut SelectStatement) -> StoreResult<()> {
        if let Some(t) = self.q.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            q.cond_where(
                Cond::any()
                    .add(Expr::col((I, "name")).like(contains(t)))
                    .add(Expr::col((I, "model")).like(contains(t)))
                    .add(Expr::col(("organizations", "name")).like(contains(t))),
            );
        }
        if let Some(v) = self.category.as_deref().filter(|s| !s.is_empty()) {
            q.and_where(Expr::col((I, "category")).eq(v.trim()));
        }
        if let Some(v) = self.status.as_deref().filter(|s| !s.is_empty()) {
            q.and_where(Expr::col((I, "status")).eq(InstrumentStatus::parse(v)?.as_str()));
        }
        if let Some(v) = self.host_org_id {
            q.and_where(Expr::col((I, "org_id")).eq(v));
        }
        q.order_by((I, "id"), Order::Asc);
        Ok(())
    }
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
pub struct BookingFilter {
    pub instrument_id: Option<i64>,
    pub status: Option<String>,
    /// Bookings starting on or after this date (YYYY-MM-DD).
    pub from: Option<String>,
    /// Bookings starting before the end of this date.
    pub to: Option<String>,
}

impl ListFilter for BookingFilter {
    fn apply(&self, q: &mut SelectStatement) -> StoreResult<()> {
        if let Some(v) = self.instrument_id {
            q.and_where(Expr::col((B, "instrument_id")).eq(v));
        }
        if let Some(v) = self.status.as_deref().filter(|s| !s.is_empty()) {
            q.and_where(Expr::col((B, "status")).eq(BookingStatus::parse(v)?.as_str()));
        }
        if let Some(d) = self.from.as_deref().filter(|s| !s.is_empty()) {
            q.and_where(Expr::col((B, "starts_at")).gte(d.trim().to_owned()));
        }
        if let Some(d) = self.to.as_deref().filter(|s| !s.is_empty()) {
            q.and_where(Expr::col((B, "starts_at")).lt(format!("{} 99", d.trim())));
        }
        q.order_by((B, "starts_at"), Order::Desc)
            .order_by((B, "id"), Order::Desc);
        Ok(())
    }
}

/// A busy slot of an instrument's calendar: times only, and whether it is the caller's.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Slot {
    pub starts_at: String,
    pub ends_at: String,
    pub mine: bool,
}

/// The yearly open-sharing figures of one instrument.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct InstrumentYear {
    pub instrument_id: i64,
    pub name: String,
    pub host_org_id: i64,
    pub host_name: String,
    pub rated_hours: i64,
    /// 有效工作机时
    pub used_hours: String,
    /// 对外服务机时 (users other than the host)
    pub external_hours: String,
    /// 共享率 = 对外机时 / 有效机时, percent with one decimal ("—" without use)
    pub sharing_rate: String,
    /// 服务单位数 (external)
    pub users: i64,
    /// 服务收入 (元)
    pub income: String,
    pub bookings: i64,
}

fn instrument_values(i: &NewInstrument, org: &Organization) -> Values {
    vec![
        ("name", i.name.clone().into()),
        ("model", i.model.clone().into()),
        ("category", i.category.clone().into()),
        ("original_value_fen", i.original_value_fen.into()),
        ("org_id", org.id.into()),
        ("region_path", org.region_path.clone().into()),
        ("location", i.location.clone().into()),
        ("status", i.status.as_str().into()),
        ("fee_per_hour_fen", i.fee_per_hour_fen.into()),
        ("rated_hours", i.rated_hours.into()),
        ("manager", i.manager.clone().into()),
    ]
}

fn hours(minutes: i64) -> String {
    (rust_decimal::Decimal::from(minutes) / rust_decimal::Decimal::from(60))
        .round_dp(1)
        .normalize()
        .to_string()
}

impl Store {
    pub async fn list_instruments(
        &self,
        scope: &DataScope,
        f: &InstrumentFilter,
        page: PageRequest,
    ) -> StoreResult<Page<Instrument>> {
        self.list_records(scope, f, page).await
    }

    /// The shared-instrument catalogue: every instrument open to outside users, whatever the
    /// caller's scope (the platform publishes it).
    pub async fn instrument_catalogue(
        &self,
        f: &InstrumentFilter,
        page: PageRequest,
    ) -> StoreResult<Page<Instrument>> {
        let mut q = instrument_select();
        q.and_where(Expr::col((I, "status")).eq(InstrumentStatus::Open.as_str()));
        f.apply(&mut q)?;
        self.paged(q, page, instrument_from_row).await
    }

    /// An instrument in the caller's scope, or open to outside users.
    pub async fn get_instrument(&self, scope: &DataScope, id: i64) -> StoreResult<Instrument> {
        match self.get_record::<Instrument>(scope, id).await {
            Err(StoreError::NotFound) => {
                let i: Instrument = self.get_record(&DataScope::All, id).await?;
                if i.status == "open" {
                    Ok(i)
                } else {
                    Err(StoreError::NotFound)
                }
            }
            r => r,
        }
    }

    pub async fn create_instrument(
        &self,
        caller: &Caller,
        i: &NewInstrument,
    ) -> StoreResult<Instrument> {
        let mut tx = self.write(caller).await?;
        let org = visible_org(&tx, "host_org_id", i.host_org_id).await?;
        let after = tx.create(instrument_values(i, &org)).await?;
        tx.commit().await?;
        Ok(after)
    }

    pub async fn update_instrument(
        &self,
        caller: &Caller,
        id: i64,
        i: &NewInstrument,
    ) -> StoreResult<Instrument> {
        let mut tx = self.write(caller).await?;
        let before: Instrument = tx.get(id).await?;
        let org = visible_org(&tx, "host_org_id", i.host_org_id).await?;
        let after = tx
            .update_as("update", &before, instrument_values(i, &org))
            .await?;
        tx.commit().await?;
        Ok(after)
    }

    /// The busy slots of an instrument from `from` (YYYY-MM-DD) for `days` days.
    pub async fn instrument_slots(
        &self,
        scope: &DataScope,
        id: i64,
        from: chrono::NaiveDate,
        days: i64,
    ) -> StoreResult<Vec<Slot>> {
        self.get_instrument(scope, id).await?;
        let to = from + chrono::Duration::days(days.clamp(1, 62));
        let mut q = Query::select();
        q.columns(["starts_at", "ends_at", "org_id", "region_path"])
            .from(B)
            .and_where(Expr::col("instrument_id").eq(id))
            .and_where(Expr::col("status").ne(BookingStatus::Cancelled.as_str()))
            .and_where(Expr::col("ends_at").gt(format!("{from} 00:00")))
            .and_where(Expr::col("starts_at").lt(format!("{to} 00:00")))
            .order_by("starts_at", Order::Asc);
        sql::fetch_all(&self.db, &q)
            .await?
            .iter()
            .map(|r| {
                let org: i64 = get(r, "org_id")?;
                let path: String = get(r, "region_path")?;
                Ok(Slot {
                    starts_at: get(r, "starts_at")?,
                    ends_at: get(r, "ends_at")?,
                    mine: matches!(scope, DataScope::Organization { org_id } if *org_id == org)
                        && scope.admits(RecordKeys::org(&path, org)),
                })
            })
            .collect()
    }

    pub async fn list_bookings(
        &self,
        scope: &DataScope,
        f: &BookingFilter,
        page: PageRequest,
    ) -> StoreResult<Page<Booking>> {
        self.list_records(scope, f, page).await
    }

    pub async fn get_booking(&self, scope: &DataScope, id: i64) -> StoreResult<Booking> {
        self.get_record(scope, id).await
    }

    /// 预约: the user's organization books an open instrument; a slot that overlaps another
    /// live booking is refused, naming the slot it meets.
    pub async fn book_instrument(
        &self,
        caller: &Caller,
        instrument_id: i64,
        org_id: i64,
        b: &NewBooking,
    ) -> StoreResult<Booking> {
        let mut tx = self.write(caller).await?;
        let user = visible_org(&tx, "org_id", org_id).await?;
        let ins: Instrument =
            crate::record::get_in(tx.conn(), &DataScope::All, instrument_id).await?;
        let own = ins.host_org_id == user.id;
        if ins.status != "open" && !(own && ins.status == "internal") {
            return Err(refuse(
                "instrument_id",
                "booking.not_open",
                format!("仪器“{}”当前为“{}”，不接受预约", ins.name, ins.status_label),
            ));
        }
        let s = b.starts_at.format(FMT).to_string();
        let e = b.ends_at.format(FMT).to_string();
        let mut q = Query::select();
        q.columns(["starts_at", "ends_at"])
            .from(B)
            .and_where(Expr::col("instrument_id").eq(instrument_id))
            .and_where(Expr::col("status").ne(BookingStatus::Cancelled.as_str()))
            .and_where(Expr::col("starts_at").lt(e.clone()))
            .and_where(Expr::col("ends_at").gt(s.clone()))
            .limit(1);
        if let Some(r) = sql::fetch_one(tx.conn(), &q).await? {
            let (os, oe): (String, String) = (get(&r, "starts_at")?, get(&r, "ends_at")?);
            return Err(refuse(
                "starts_at",
                "booking.overlap",
                format!("该时段与已有预约（{os} 至 {oe}）重叠，请选择其他时间"),
            ));
        }
        let after = tx
            .create(vec![
                ("instrument_id", instrument_id.into()),
                ("org_id", user.id.into()),
                ("region_path", user.region_path.clone().into()),
                ("host_org_id", ins.host_org_id.into()),
                ("host_region_path", ins.region_path.clone().into()),
                ("starts_at", s.into()),
                ("ends_at", e.into()),
                ("purpose", b.purpose.clone().into()),
                ("status", BookingStatus::Booked.as_str().into()),
            ])
            .await?;
        tx.commit().await?;
        Ok(after)
    }

    /// Cancel a booking not yet used (either side may).
    pub async fn cancel_booking(&self, caller: &Caller, id: i64) -> StoreResult<Booking> {
        let mut tx = self.write(caller).await?;
        let before: Booking = tx.get(id).await?;
        if before.status != "booked" {
            return Err(refuse(
                "status",
                "booking.not_booked",
                format!("预约当前为“{}”，不能取消", before.status_label),
            ));
        }
        let after = tx
            .update_as(
                "cancel",
                &before,
                vec![("status", BookingStatus::Cancelled.as_str().into())],
            )
            .await?;
        tx.commit().await?;
        Ok(after)
    }

    /// 使用记录: the host records the hours used; the fee is the instrument's hourly fee for
    /// outside users (its own use is free).
    pub async fn record_usage(
        &self,
        caller: &Caller,
        id: i64,
        minutes: i64,
    ) -> StoreResult<Booking> {
        let mut tx = self.write(caller).await?;
        let before: Booking = tx.get(id).await?;
        if !caller.scope.admits(RecordKeys::org(
            &before.host_region_path,
            before.host_org_id,
        )) {
            return Err(StoreError::Forbidden(
                "只有仪器所属单位或主管部门可以登记使用机时".into(),
            ));
        }
        if before.status != "booked" {
            return Err(refuse(
                "status",
                "booking.not_booked",
                format!("预约当前为“{}”，不能登记使用", before.status_label),
            ));
        }
        let window = chrono::NaiveDateTime::parse_from_str(&before.ends_at, FMT)
            .and_then(|e| {
                chrono::NaiveDateTime::parse_from_str(&before.starts_at, FMT)
                    .map(|s| (e - s).num_minutes())
            })
            .map_err(StoreError::corrupt)?;
        if minutes <= 0 || minutes > window {
            return Err(invalid(
                "minutes",
                "usage.minutes",
                format!("使用机时应大于0且不超过预约时长（{}小时）", hours(window)),
            ));
        }
        let ins: Instrument =
            crate::record::get_in(tx.conn(), &DataScope::All, before.instrument_id).await?;
        let fee = if before.org_id == before.host_org_id {
            0
        } else {
            // Whole fen, rounded half up: fee per hour × minutes / 60.
            (ins.fee_per_hour_fen * minutes + 30) / 60
        };
        let after = tx
            .update_as(
                "use",
                &before,
                vec![
                    ("status", BookingStatus::Used.as_str().into()),
                    ("used_minutes", minutes.into()),
                    ("fee_fen", fee.into()),
                ],
            )
            .await?;
        tx.commit().await?;
        Ok(after)
    }

    /// The open-sharing figures of a year for the instruments in the caller's scope.
    pub async fn instrument_year(
        &self,
        scope: &DataScope,
        year: i32,
    ) -> StoreResult<Vec<InstrumentYear>> {
        let ins = self
            .export_records::<Instrument, _>(scope, &InstrumentFilter::default(), 100_000)
            .await?;
        let mut out = Vec::with_capacity(ins.len());
        let mut q = Query::select();
        q.columns([
            "instrument_id",
            "org_id",
            "host_org_id",
            "used_minutes",
            "fee_fen",
        ])
        .from(B)
        .and_where(Expr::col("status").eq(BookingStatus::Used.as_str()))
        .and_where(Expr::col("starts_at").like(format!("{year}-%")));
        let mut by: std::collections::HashMap<i64, Vec<(i64, bool, i64, i64)>> = Default::default();
        for r in sql::fetch_all(&self.db, &q).await? {
            let org: i64 = get(&r, "org_id")?;
            let host: i64 = get(&r, "host_org_id")?;
            by.entry(get(&r, "instrument_id")?).or_default().push((
                org,
                org != host,
                get::<Option<i64>>(&r, "used_minutes")?.unwrap_or(0),
                get::<Option<i64>>(&r, "fee_fen")?.unwrap_or(0),
            ));
        }
        for i in ins {
            let uses = by.remove(&i.id).unwrap_or_default();
            let used: i64 = uses.iter().map(|u| u.2).sum();
            let ext: i64 = uses.iter().filter(|u| u.1).map(|u| u.2).sum();
            let mut users: Vec<i64> = uses.iter().filter(|u| u.1).map(|u| u.0).collect();
            users.sort_unstable();
            users.dedup();
            out.push(InstrumentYear {
                instrument_id: i.id,
                name: i.name,
                host_org_id: i.host_org_id,
                host_name: i.host_name,
                rated_hours: i.rated_hours,
                used_hours: hours(used),
                external_hours: hours(ext),
                sharing_rate: if used == 0 {
                    "—".into()
                } else {
                    format!(
                        "{}%",
                        (rust_decimal::Decimal::from(ext * 100)
                            / rust_decimal::Decimal::from(used))
                        .round_dp(1)
                        .normalize()
                    )
                },
                users: users.len() as i64,
                income: yuan(uses.iter().filter(|u| u.1).map(|u| u.3).sum()),
                bookings: uses.len() as i64,
            });
        }
        Ok(out)
    }
}
