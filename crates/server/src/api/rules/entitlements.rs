//! 免申即享: the year's reward list from the registry, and its xlsx export.

use super::*;

/// Which entitlement list: a reward pack (default `rewards`), a year, and optionally a region
/// within the caller's scope.
#[derive(Deserialize, utoipa::IntoParams)]
pub struct EntitlementQuery {
    pub pack: Option<String>,
    pub year: i32,
    /// GB/T 2260 code: only this region (and its subdivisions) within the caller's scope.
    pub region: Option<String>,
}

/// The 免申即享 list of a year: every item, paid or not, and the totals of the paid ones (yuan,
/// exact).
#[derive(Serialize, utoipa::ToSchema)]
pub struct EntitlementList {
    pub pack: String,
    pub version: String,
    pub year: i32,
    pub items: Vec<EntitlementItem>,
    /// Enterprises with at least one granted item.
    pub entities: usize,
    pub total: String,
    pub by_category: BTreeMap<String, String>,
    pub by_region: BTreeMap<String, String>,
    /// The names of the regions of `by_region` and of the items, by code.
    pub region_names: BTreeMap<String, String>,
}

pub(super) async fn entitlement_list(
    st: &AppState,
    a: &Auth,
    q: &EntitlementQuery,
) -> ApiResult<EntitlementList> {
    a.require("rules:read")?;
    let pack_id = q.pack.as_deref().unwrap_or("rewards");
    let (pack, version) = pack_or_404(pack_id)?;
    if pack.entitle.is_none() {
        return Err(kechuang_domain::Invalid::one(
            "pack",
            "rules.not_reward_pack",
            format!("政策包“{pack_id}”不是奖补政策包，没有免申即享清单"),
        )
        .into());
    }
    if let Some(r) = &q.region {
        kechuang_domain::region::RegionCode::parse(r)?;
    }
    let plan = compile(&pack, q.year)?;
    let rows =
        crate::rules_io::registry_reward_items(&st.store, &a.scope(), q.region.as_deref(), &plan)
            .await?;
    let (items, names) = crate::rules_io::split_reward_items(rows);
    let e = kechuang_rules::entitle(&pack, &plan, &items)
        .map_err(|m| kechuang_domain::Invalid::one("pack", "rules.entitle", m))?;
    let region_names = e
        .by_region
        .keys()
        .map(|code| (code.clone(), crate::api::region_label(code)))
        .collect();
    Ok(EntitlementList {
        region_names,
        pack: pack.id.clone(),
        version,
        year: q.year,
        items: entitlement_items(e.items, &names),
        entities: e.entities,
        total: e.total,
        by_category: e.by_group,
        by_region: e.by_region,
    })
}

/// 免申即享: the rewards each enterprise in the caller's scope is entitled to for a year,
/// derived from the registry (new 高企, platforms recognized that year) by a reward pack,
/// without an application.
#[utoipa::path(get, path = "/api/v1/rules/entitlements", tag = "rules", params(EntitlementQuery),
    responses((status = 200, body = EntitlementList), (status = 404, body = crate::error::ErrorBody),
        (status = 422, body = crate::error::ErrorBody)))]
pub async fn entitlements(
    State(st): State<AppState>,
    a: Auth,
    Query(q): Query<EntitlementQuery>,
) -> ApiResult<axum::Json<EntitlementList>> {
    Ok(axum::Json(entitlement_list(&st, &a, &q).await?))
}

/// The 免申即享 list as an xlsx file (one row per item, granted or not, with the reason).
#[utoipa::path(get, path = "/api/v1/rules/entitlements/export", tag = "rules", params(EntitlementQuery),
    responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")))]
pub async fn export_entitlements(
    State(st): State<AppState>,
    a: Auth,
    Query(q): Query<EntitlementQuery>,
) -> ApiResult<axum::response::Response> {
    let list = entitlement_list(&st, &a, &q).await?;
    let bytes = entitlements_xlsx(&list.items).map_err(|_| ApiError::internal())?;
    Ok(crate::api::io::xlsx_response(
        &format!("mianshen-{}", list.year),
        bytes,
    ))
}
