//! 行政区划 lookups (GB/T 2260), served from the tree compiled into the binary.

use crate::auth::Auth;
use crate::error::{ApiError, ApiResult};
use crate::extract::{Path, Query};
use axum::Json;
use axum::http::StatusCode;
use kechuang_domain::region::Region;
use kechuang_domain::{RegionCode, RegionTree};
use serde::Deserialize;

#[derive(Deserialize, utoipa::IntoParams)]
pub struct ChildrenQuery {
    /// Parent code; omitted → the provinces.
    pub parent: Option<String>,
}

fn known(code: &str) -> ApiResult<RegionCode> {
    let c = RegionCode::parse(code)?;
    if RegionTree::shipped().get(c).is_none() {
        return Err(ApiError::new(
            StatusCode::NOT_FOUND,
            "region.unknown",
            format!("行政区划代码“{c}”不存在"),
        ));
    }
    Ok(c)
}

#[utoipa::path(get, path = "/api/v1/regions", tag = "regions", params(ChildrenQuery), responses((status = 200, body = Vec<Region>)))]
pub async fn children(_a: Auth, Query(q): Query<ChildrenQuery>) -> ApiResult<Json<Vec<Region>>> {
    let parent = match q.parent.as_deref().filter(|s| !s.is_empty()) {
        Some(p) => Some(known(p)?),
        None => None,
    };
    Ok(Json(
        RegionTree::shipped()
            .children(parent)
            .into_iter()
            .cloned()
            .collect(),
    ))
}

#[utoipa::path(get, path = "/api/v1/regions/{code}", tag = "regions", params(("code" = String, Path)), responses((status = 200, body = Region)))]
pub async fn one(_a: Auth, Path(code): Path<String>) -> ApiResult<Json<Region>> {
    let c = known(&code)?;
    RegionTree::shipped()
        .get(c)
        .cloned()
        .map(Json)
        .ok_or_else(|| ApiError::new(StatusCode::NOT_FOUND, "region.unknown", "行政区划不存在"))
}

#[utoipa::path(get, path = "/api/v1/regions/{code}/subtree", tag = "regions", params(("code" = String, Path)), responses((status = 200, body = Vec<Region>)))]
pub async fn subtree(_a: Auth, Path(code): Path<String>) -> ApiResult<Json<Vec<Region>>> {
    let c = known(&code)?;
    Ok(Json(
        RegionTree::shipped()
            .subtree(c)
            .into_iter()
            .cloned()
            .collect(),
    ))
}
