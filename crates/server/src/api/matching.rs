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

/// A person or organization suggested for a demand or an achievement, with why.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Partner {
    /// expert | institution | enterprise
    pub kind: String,
    pub id: i64,
    pub name: String,
    /// The person's organization, or the organization's type.
    pub detail: String,
    /// 0–100, relative to the best suggestion.
    pub score: u32,
    pub reasons: Vec<String>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct DemandPartners {
    /// 专家库 experts whose fields and keywords share the demand's words (needs person:read).
    pub experts: Vec<Partner>,
    /// 高校院所 whose records share them (needs org:read).
    pub institutions: Vec<Partner>,
}

/// Words too common in titles and names to say two records belong together.
const COMMON: &[&str] = &[
    "技术",
    "研究",
    "开发",
    "研发",
    "应用",
    "工艺",
    "系统",
    "项目",
    "方法",
    "产品",
    "新型",
    "关键",
    "提升",
    "需求",
    "有限公司",
    "公司",
    "科技",
    "集团",
    "中心",
    "工程",
    "一体化",
    "综合",
    "新",
];

/// The words a record is matched by: its keywords whole and cut into the index's words (the
/// index holds 铅 and 冶炼, not 铅冶炼), then the words of its title; common words left out.
fn words_of(keywords: &[String], title: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let cut = keywords
        .iter()
        .flat_map(|k| std::iter::once(k.trim().to_owned()).chain(kechuang_search::query_words(k)))
        .chain(kechuang_search::query_words(title));
    for w in cut {
        if w.chars().count() >= 2 && !COMMON.contains(&w.as_str()) && !out.contains(&w) {
            out.push(w);
        }
    }
    out
}

fn relative(score: f32, best: f32) -> u32 {
    if best <= 0.0 {
        0
    } else {
        ((score / best) * 100.0).round().clamp(1.0, 100.0) as u32
    }
}

#[utoipa::path(get, path = "/api/v1/demands/{id}/partners", tag = "market", params(("id" = i64, Path)),
    responses((status = 200, body = DemandPartners), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody)))]
pub async fn demand_partners(
    State(st): State<AppState>,
    a: Auth,
    Path(id): Path<i64>,
) -> ApiResult<axum::Json<DemandPartners>> {
    a.require("market:read")?;
    let scope = a.scope();
    let d = st.store.get_demand(&scope, id).await?;
    let words = words_of(&d.keywords, &d.title);
    st.search.catch_up(&st.store).await?;
    let terms = kechuang_domain::search::caller_terms(&scope);
    let ix = st.search.index();
    // Experts who share the demand's words in what they know (keywords, disciplines, title),
    // never merely in the name of the place they work at; the institutions they work at are
    // suggested with them, as are 高校院所 whose own record shares the words.
    let mut matched_experts = Vec::new();
    if a.user.has_permission("person:read") {
        let found = ix.related(
            &[SearchKind::Person],
            &words,
            terms.clone(),
            vec![("role".into(), "expert".into())],
            LIMIT * 3,
        )?;
        for r in found {
            let p = st.store.get_person(&scope, r.id).await?;
            let own = format!(
                "{} {} {}",
                p.keywords.join(" "),
                p.disciplines.join(" "),
                p.title.as_deref().unwrap_or_default()
            )
            .to_lowercase();
            let shared: Vec<String> = r
                .matched
                .iter()
                .filter(|w| own.contains(w.as_str()))
                .cloned()
                .collect();
            if !shared.is_empty() {
                matched_experts.push((r.score, p, shared));
            }
        }
    }
    let best = matched_experts.first().map(|x| x.0).unwrap_or(0.0);
    let experts: Vec<Partner> = matched_experts
        .iter()
        .take(LIMIT)
        .map(|(score, p, shared)| {
            let mut reasons = vec![format!("与需求共同的词：{}", shared.join("、"))];
            if !p.disciplines.is_empty() {
                reasons.push(format!("学科领域：{}", p.disciplines.join("、")));
            }
            if let Some(t) = p.title.as_deref().filter(|t| !t.is_empty()) {
                reasons.push(format!("职称：{t}"));
            }
            Partner {
                kind: "expert".into(),
                id: p.id,
                name: p.name.clone(),
                detail: p.org_name.clone().unwrap_or_default(),
                score: relative(*score, best),
                reasons,
            }
        })
        .collect();
    let mut institutions = Vec::new();
    if a.user.has_permission("org:read") {
        // (org id) → (experts there with their shared words, the org's own matched words, score)
        let mut by_org: Vec<(i64, Vec<String>, Vec<String>, f32)> = Vec::new();
        for (_, p, shared) in &matched_experts {
            let Some(org) = p.org_id else { continue };
            let line = format!("{}（{}）", p.name, shared.join("、"));
            match by_org.iter_mut().find(|x| x.0 == org) {
                Some(x) => x.1.push(line),
                None => by_org.push((org, vec![line], vec![], 0.0)),
            }
        }
        for r in ix.related(
            &[SearchKind::Organization],
            &words,
            terms,
            vec![("role".into(), "research".into())],
            LIMIT,
        )? {
            match by_org.iter_mut().find(|x| x.0 == r.id) {
                Some(x) => {
                    x.2 = r.matched;
                    x.3 = r.score;
                }
                None => by_org.push((r.id, vec![], r.matched, r.score)),
            }
        }
        // More experts who fit first, then the better match of the name.
        by_org.sort_by(|a, b| {
            b.1.len()
                .cmp(&a.1.len())
                .then(b.3.partial_cmp(&a.3).unwrap_or(std::cmp::Ordering::Equal))
        });
        let top = by_org
            .first()
            .map(|x| x.1.len() as f32 * 10.0 + x.3)
            .unwrap_or(0.0);
        for (org, people, own_words, score) in by_org {
            let o = match st.store.get_organization(&scope, org).await {
                Ok(o) => o,
                Err(kechuang_store::StoreError::NotFound) => continue,
                Err(e) => return Err(e.into()),
            };
            if !matches!(o.kind.as_str(), "university" | "institute") {
                continue;
            }
            let mut reasons = Vec::new();
            if !people.is_empty() {
                reasons.push(format!("本单位专家：{}", people.join("；")));
            }
            if !own_words.is_empty() {
                reasons.push(format!("单位名称或简介含：{}", own_words.join("、")));
            }
            institutions.push(Partner {
                kind: "institution".into(),
                id: o.id,
                name: o.name,
                detail: format!("{}，{}", o.kind_label, o.region_name),
                score: relative(people.len() as f32 * 10.0 + score, top),
                reasons,
            });
            if institutions.len() >= LIMIT {
                break;
            }
        }
    }
    Ok(axum::Json(DemandPartners {
        experts,
        institutions,
    }))
}

#[utoipa::path(get, path = "/api/v1/achievements/{id}/enterprises", tag = "market", params(("id" = i64, Path)),
    responses((status = 200, body = Vec<Partner>), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody)))]
pub async fn achievement_enterprises(
    State(st): State<AppState>,
    a: Auth,
    Path(id): Path<i64>,
) -> ApiResult<axum::Json<Vec<Partner>>> {
    a.require("market:read")?;
    a.require("org:read")?;
    let scope = a.scope();
    let x = st.store.get_achievement(&scope, id).await?;
    // Enterprises of the achievement's industry (its GB/T 4754 大类), ranked by the words they
    // share with it and then by their latest R&D spending; without an industry, by words only.
    let major: String = x.industry.chars().take(3).collect();
    st.search.catch_up(&st.store).await?;
    let terms = kechuang_domain::search::caller_terms(&scope);
    let mut filters = vec![("role".to_owned(), "enterprise".to_owned())];
    if major.len() == 3 {
        filters.push(("industry".to_owned(), major.clone()));
    }
    let mut words = words_of(&x.keywords, &x.title);
    if words.is_empty() {
        words.push(x.area_label.clone());
    }
    let mut found = st.search.index().related(
        &[SearchKind::Organization],
        &words,
        terms.clone(),
        filters.clone(),
        LIMIT * 3,
    )?;
    if major.len() == 3 {
        // Without a shared word, the industry alone still says who could use it.
        let same = kechuang_store::orgs::OrgFilter {
            industry: Some(major.clone()),
            kind: Some("enterprise".into()),
            ..Default::default()
        };
        let more = st
            .store
            .list_organizations(&scope, &same, PageRequest::new(1, (LIMIT * 3) as u64))
            .await?
            .items;
        for o in more {
            if !found.iter().any(|r| r.id == o.id) {
                found.push(kechuang_search::Related {
                    kind: SearchKind::Organization,
                    id: o.id,
                    title: o.name,
                    score: 0.0,
                    matched: vec![],
                });
            }
        }
    }
    let mut out = Vec::new();
    for r in found {
        let o = st.store.get_organization(&scope, r.id).await?;
        let mut reasons = Vec::new();
        if major.len() == 3 {
            reasons.push(format!(
                "同属行业大类 {major}（本单位行业代码 {}）",
                o.industry.clone().unwrap_or_default()
            ));
        }
        if !r.matched.is_empty() {
            reasons.push(format!("单位名称或简介含：{}", r.matched.join("、")));
        }
        let years = st
            .store
            .list_enterprise_years(
                &scope,
                &kechuang_store::years::YearFilter {
                    org_id: Some(o.id),
                    ..Default::default()
                },
                PageRequest::new(1, 20),
            )
            .await?
            .items;
        let latest = years.iter().max_by_key(|y| y.year);
        let rd = latest.and_then(|y| y.figures.rd_expense);
        if let (Some(y), Some(rd)) = (latest, rd) {
            reasons.push(format!(
                "{}年研发费用 {:.1} 万元",
                y.year,
                rd / rust_decimal::Decimal::from(10_000)
            ));
        }
        out.push((r.score, rd.unwrap_or_default(), o, reasons));
    }
    // Shared words first, then R&D spending: an enterprise that spends on R&D can take a
    // technology up.
    out.sort_by(|a, b| {
        b.0.partial_cmp(&a.0)
            .unwrap_or(std::cmp::Ordering::Equal)
            .then_with(|| b.1.cmp(&a.1))
    });
    out.truncate(LIMIT);
    let best = out.first().map(|x| x.0).unwrap_or(0.0);
    Ok(axum::Json(
        out.into_iter()
            .enumerate()
            .map(|(i, (score, _, o, reasons))| Partner {
                kind: "enterprise".into(),
                id: o.id,
                name: o.name,
                detail: o.region_name,
                score: if best > 0.0 {
                    relative(score, best)
                } else {
                    (100 - 5 * i as u32).max(1)
                },
                reasons,
            })
            .collect(),
    ))
}
