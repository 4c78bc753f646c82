//! 需求大厅 and 匹配推荐: open demands of every region, and for a demand the achievements on the
//! market ranked with their reasons, for an achievement the open demands. The ranking is the
//! pure `domain::matching` engine; only public records (公示中/挂牌中 achievements, open
//! demands) are ever suggested, whoever asks.

use crate::AppState;
use crate::api::io::all_pages;
use crate::auth::Auth;
use crate::error::ApiResult;
use crate::extract::{Path, Query};
use axum::extract::State;
use kechuang_domain::DataScope;
use kechuang_domain::matching::{Side, rank};
use kechuang_domain::money::fen_of_text;
use kechuang_domain::search::SearchKind;
use kechuang_store::achievements::AchievementFilter;
use kechuang_store::projects::Demand;
use kechuang_store::{Page, PageRequest};
use serde::{Deserialize, Serialize};

/// At most this many suggestions.
const LIMIT: usize = 10;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct HallQuery {
    pub q: Option<String>,
    pub area: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/demands/hall", tag = "market", params(HallQuery, PageRequest),
    responses((status = 200, body = Page<Demand>), (status = 403, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn hall(
    State(st): State<AppState>,
    a: Auth,
    Query(h): Query<HallQuery>,
    Query(p): Query<PageRequest>,
) -> ApiResult<axum::Json<Page<Demand>>> {
    a.require("market:read")?;
    let ids = st
        .search
        .list_ids(&st.store, &a.user, SearchKind::Demand, h.q.as_deref())
        .await;
    Ok(axum::Json(
        st.store
            .demand_hall(h.q.as_deref(), ids.as_deref(), h.area.as_deref(), p)
            .await?,
    ))
}

/// One suggestion with its score and why.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Suggestion {
    /// achievement | demand
    pub kind: String,
    pub id: i64,
    pub title: String,
    pub owner: String,
    pub region_code: String,
    /// 0–100
    pub score: u32,
    /// Why, in Chinese (shared keywords and terms, field, maturity, price, region).
    pub reasons: Vec<String>,
}

fn fen(y: Option<&str>) -> Option<i64> {
    y.and_then(fen_of_text)
}

fn demand_side(d: &Demand) -> Side<'_> {
    Side {
        title: &d.title,
        text: &d.description,
        keywords: &d.keywords,
        area: &d.area,
        trl: d.trl_min,
        money_fen: fen(d.budget.as_deref()),
        region: &d.region_code,
    }
}

async fn market_achievements(
    st: &AppState,
) -> ApiResult<Vec<kechuang_store::achievements::Achievement>> {
    let f = AchievementFilter {
        hall: true,
        ..Default::default()
    };
    let all = all_pages(|p| st.store.list_achievements(&DataScope::All, &f, p)).await?;
    Ok(all.into_iter().filter(|x| x.status != "dealt").collect())
}

#[utoipa::path(get, path = "/api/v1/demands/{id}/matches", tag = "market", params(("id" = i64, Path)),
    responses((status = 200, body = Vec<Suggestion>), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody)))]
pub async fn for_demand(
    State(st): State<AppState>,
    a: Auth,
    Path(id): Path<i64>,
) -> ApiResult<axum::Json<Vec<Suggestion>>> {
    a.require("market:read")?;
    let d = st.store.get_demand(&a.scope(), id).await?;
    let pool = market_achievements(&st).await?;
    let ranked = rank(
        &demand_side(&d),
        pool.iter().map(|x| {
            (
                x,
                Side {
                    title: &x.title,
                    text: &x.summary,
                    keywords: &x.keywords,
                    area: &x.area,
                    trl: Some(x.trl),
                    money_fen: fen(x.asking_price.as_deref()),
                    region: &x.region_code,
                },
            )
        }),
        true,
        LIMIT,
    );
    Ok(axum::Json(
        ranked
            .into_iter()
            .map(|(x, m)| Suggestion {
                kind: "achievement".into(),
                id: x.id,
                title: x.title.clone(),
                owner: x.owner_name.clone(),
                region_code: x.region_code.clone(),
                score: m.score,
                reasons: m.reasons,
            })
            .collect(),
    ))
}

#[utoipa::path(get, path = "/api/v1/achievements/{id}/matches", tag = "market", params(("id" = i64, Path)),
    responses((status = 200, body = Vec<Suggestion>), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody)))]
pub async fn for_achievement(
    State(st): State<AppState>,
    a: Auth,
    Path(id): Path<i64>,
) -> ApiResult<axum::Json<Vec<Suggestion>>> {
    a.require("market:read")?;
    let x = st.store.get_achievement(&a.scope(), id).await?;
    let mut demands = Vec::new();
    for page in 1.. {
        let p = st
            .store
            .demand_hall(
                None,
                None,
                None,
                PageRequest::new(page, PageRequest::MAX_SIZE),
            )
            .await?;
        let last = (p.items.len() as u64) < PageRequest::MAX_SIZE;
        demands.extend(p.items);
        if last || demands.len() >= 20_000 {
            break;
        }
    }
    let side = Side {
        title: &x.title,
        text: &x.summary,
        keywords: &x.keywords,
        area: &x.area,
        trl: Some(x.trl),
        money_fen: fen(x.asking_price.as_deref()),
        region: &x.region_code,
    };
    let ranked = rank(
        &side,
        demands.iter().map(|d| (d, demand_side(d))),
        false,
        LIMIT,
    );
    Ok(axum::Json(
        ranked
            .into_iter()
            .map(|(d, m)| Suggestion {
                kind: "demand".into(),
                id: d.id,
                title: d.title.clone(),
                owner: d.org_name.clone(),
                region_code: d.region_code.clone(),
                score: m.score,
                reasons: m.reasons,
            })
            .collect(),
    ))
}
