//! 全文检索: one search over achievements, demands, organizations and persons, ranked, with
//! facets and highlighted snippets. A caller searches only the kinds its role may read, and
//! only the records its data scope admits (plus what the market shows everyone).

use crate::AppState;
use crate::auth::Auth;
use crate::error::{ApiError, ApiResult};
use crate::extract::Query;
use crate::search_svc::Search;
use axum::extract::State;
use kechuang_domain::achievement::{Area, Mode, trl_label};
use kechuang_domain::search::{SearchKind, caller_terms};
use kechuang_domain::{Invalid, RegionCode, RegionTree};
use kechuang_search::SearchQuery;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The deepest a search pages (as the national portals do: refine the words instead).
const MAX_OFFSET: u64 = 10_000;
const MAX_SIZE: u64 = 50;

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[serde(default)]
pub struct SearchParams {
    /// The words; empty lists everything visible.
    pub q: Option<String>,
    /// achievement | demand | organization | person, comma-separated; all the caller may read
    /// when absent.
    pub kind: Option<String>,
    /// 技术领域 (the eight areas).
    pub area: Option<String>,
    /// 技术就绪度 1–9.
    pub trl: Option<i64>,
    /// A region code (the record's own region).
    pub region: Option<String>,
    /// 转化方式.
    pub mode: Option<String>,
    pub page: Option<u64>,
    pub size: Option<u64>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SearchRow {
    pub kind: String,
    pub kind_label: String,
    pub id: i64,
    pub title: String,
    /// HTML-escaped text; the matched words are wrapped in `<em>`.
    pub snippet: String,
    pub score: f32,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct FacetValue {
    pub value: String,
    pub label: String,
    pub count: u64,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SearchPage {
    pub total: u64,
    pub rows: Vec<SearchRow>,
    /// kind, area, trl, region, mode → values with their counts over every hit.
    pub facets: BTreeMap<String, Vec<FacetValue>>,
}

fn invalid(field: &str, code: &str, msg: String) -> ApiError {
    Invalid::one(field, code, msg).into()
}

fn facet_label(facet: &str, value: &str) -> String {
    match facet {
        "kind" => SearchKind::parse(value).map(|k| k.label().to_owned()).ok(),
        "area" => Area::parse(value).map(|a| a.label().to_owned()).ok(),
        "trl" => value.parse().ok().map(trl_label),
        "mode" => Mode::parse(value).map(|m| m.label().to_owned()).ok(),
        "region" => RegionCode::parse(value)
            .ok()
            .and_then(|c| RegionTree::shipped().get(c).map(|r| r.name.clone())),
        _ => None,
    }
    .unwrap_or_else(|| value.to_owned())
}

#[utoipa::path(get, path = "/api/v1/search", tag = "search", params(SearchParams),
    responses((status = 200, body = SearchPage), (status = 403, body = crate::error::ErrorBody),
        (status = 422, body = crate::error::ErrorBody), (status = 503, body = crate::error::ErrorBody)))]
pub async fn search(
    State(st): State<AppState>,
    a: Auth,
    Query(p): Query<SearchParams>,
) -> ApiResult<axum::Json<SearchPage>> {
    let allowed = Search::kinds_for(&a.user);
    if allowed.is_empty() {
        return Err(ApiError::forbidden());
    }
    let kinds = match p.kind.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => allowed,
        Some(list) => {
            let mut v = Vec::new();
            for k in list.split(',') {
                let k = SearchKind::parse(k)?;
                if !allowed.contains(&k) {
                    return Err(ApiError::forbidden());
                }
                v.push(k);
            }
            v
        }
    };
    let mut filters = Vec::new();
    if let Some(v) = p.area.as_deref().filter(|s| !s.is_empty()) {
        filters.push(("area".to_owned(), Area::parse(v)?.as_str().to_owned()));
    }
    if let Some(t) = p.trl {
        if !(1..=9).contains(&t) {
            return Err(invalid("trl", "trl.range", "技术就绪度应为1至9级".into()));
        }
        filters.push(("trl".to_owned(), t.to_string()));
    }
    if let Some(v) = p.region.as_deref().filter(|s| !s.is_empty()) {
        filters.push(("region".to_owned(), RegionCode::parse_known(v)?.to_string()));
    }
    if let Some(v) = p.mode.as_deref().filter(|s| !s.is_empty()) {
        filters.push(("mode".to_owned(), Mode::parse(v)?.as_str().to_owned()));
    }
    let size = p.size.unwrap_or(10);
    let page = p.page.unwrap_or(1);
    if !(1..=MAX_SIZE).contains(&size) {
        return Err(invalid(
            "size",
            "page.size",
            format!("每页条数应为1至{MAX_SIZE}"),
        ));
    }
    let offset = page.saturating_sub(1).saturating_mul(size);
    if page == 0 || offset >= MAX_OFFSET {
        return Err(invalid(
            "page",
            "search.page_too_deep",
            format!("检索结果最多浏览前{MAX_OFFSET}条，请增加检索词缩小范围"),
        ));
    }
    st.search.catch_up(&st.store).await?;
    let found = st.search.index().search(&SearchQuery {
        text: p.q.unwrap_or_default(),
        kinds,
        scope_terms: caller_terms(&a.scope()),
        filters,
        offset: offset as usize,
        limit: size as usize,
        facets: true,
        snippets: true,
    })?;
    let mut facets: BTreeMap<String, Vec<FacetValue>> = BTreeMap::new();
    for c in found.facets {
        facets.entry(c.facet.clone()).or_default().push(FacetValue {
            label: facet_label(&c.facet, &c.value),
            value: c.value,
            count: c.count,
        });
    }
    for values in facets.values_mut() {
        values.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.value.cmp(&b.value)));
    }
    Ok(axum::Json(SearchPage {
        total: found.total as u64,
        rows: found
            .hits
            .into_iter()
            .map(|h| SearchRow {
                kind: h.kind.as_str().to_owned(),
                kind_label: h.kind.label().to_owned(),
                id: h.id,
                title: h.title,
                snippet: h.snippet,
                score: h.score,
            })
            .collect(),
        facets,
    }))
}
