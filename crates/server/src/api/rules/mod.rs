//! 政策评价: evaluate a pack for one enterprise, run it over the caller's registry for a year
//! (results stored with the pack version), and read results and cultivation pools.

use crate::AppState;
use crate::auth::Auth;
use crate::error::{ApiError, ApiResult};
use crate::extract::{Json, Path, Query};
pub use crate::rules_io::EntitlementItem;
use crate::rules_io::{entitlement_items, entitlements_xlsx, official_pack};
use axum::extract::State;
use axum::http::StatusCode;
use kechuang_rules::{Entity, Node};
use kechuang_store::rule_results::{RuleResult, RuleResultFilter, RuleRun, RuleRunFilter};
use kechuang_store::{Page, PageRequest};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

mod entitlements;
mod files;
mod stored;

pub use entitlements::*;
pub use files::*;
pub use stored::*;

/// A policy pack.
#[derive(Serialize, utoipa::ToSchema)]
pub struct PackInfo {
    pub id: String,
    pub name: String,
    pub source: String,
    /// e.g. "2017-05-03起".
    pub valid: String,
    pub version: String,
    pub inputs: Vec<PackInput>,
    /// The outputs and conditions results carry (`outputs` of a result), with their labels.
    pub outputs: Vec<NamedLabel>,
    /// The cultivation pools (培育库) the pack derives.
    pub pools: Vec<NamedLabel>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct PackInput {
    pub name: String,
    pub label: String,
    pub optional: bool,
    /// `count`, `money`, `ratio`, `flag` (是/否) or `number`.
    pub kind: String,
}

/// A rule's name and its Chinese label.
#[derive(Serialize, utoipa::ToSchema)]
pub struct NamedLabel {
    pub name: String,
    pub label: String,
}

/// One figure a pack reads for a year: `key` is what `/rules/evaluate` takes (`name` for the
/// year itself, `name@-1` for the year before).
#[derive(Serialize, utoipa::ToSchema)]
pub struct YearInput {
    pub key: String,
    pub name: String,
    pub label: String,
    pub kind: String,
    pub optional: bool,
    /// 0 for the year evaluated, -1 for the year before, …
    pub offset: i32,
}

fn kind_name(k: kechuang_rules::InputKind) -> &'static str {
    use kechuang_rules::InputKind;
    match k {
        InputKind::Count => "count",
        InputKind::Money => "money",
        InputKind::Ratio => "ratio",
        InputKind::Flag => "flag",
        InputKind::Number => "number",
    }
}

/// The label of a figure as the user knows it: "研发费用总额" or "研发费用总额（上一年度）".
fn figure_label(pack: &kechuang_rules::Pack, name: &str, offset: i32) -> String {
    let label = pack
        .inputs
        .iter()
        .find(|i| i.name == name)
        .map_or(name, |i| i.label.as_str());
    match offset {
        0 => label.to_owned(),
        -1 => format!("{label}（上一年度）"),
        o => format!("{label}（前{}年度）", -o),
    }
}

fn pack_or_404(id: &str) -> ApiResult<(kechuang_rules::Pack, String)> {
    official_pack(id).ok_or_else(|| {
        ApiError::new(
            StatusCode::NOT_FOUND,
            "rules.pack_unknown",
            format!("没有名为“{id}”的政策包"),
        )
    })
}

fn compile(pack: &kechuang_rules::Pack, year: i32) -> ApiResult<kechuang_rules::Plan> {
    pack.compile(year)
        .map_err(|e| kechuang_domain::Invalid::one("year", "rules.year", e.message).into())
}

#[utoipa::path(get, path = "/api/v1/rules/packs", tag = "rules", responses((status = 200, body = Vec<PackInfo>)))]
pub async fn packs(a: Auth) -> ApiResult<axum::Json<Vec<PackInfo>>> {
    a.require("rules:read")?;
    Ok(axum::Json(
        kechuang_rules::OFFICIAL
            .iter()
            .filter_map(|(id, _, _)| official_pack(id))
            .map(|(p, version)| PackInfo {
                id: p.id.clone(),
                name: p.name.clone(),
                source: p.source.clone(),
                valid: p.valid.describe(),
                version,
                inputs: p
                    .inputs
                    .iter()
                    .map(|i| PackInput {
                        name: i.name.clone(),
                        label: i.label.clone(),
                        optional: i.optional,
                        kind: kind_name(i.kind).to_owned(),
                    })
                    .collect(),
                outputs: output_labels(&p),
                pools: rule_labels(&p, |r| r.pool),
            })
            .collect(),
    ))
}

/// The outputs and conditions a result carries (not the pools), with their labels.
fn output_labels(p: &kechuang_rules::Pack) -> Vec<NamedLabel> {
    rule_labels(p, |r| {
        !r.pool
            && matches!(
                r.kind,
                kechuang_rules::RuleKind::Output(_) | kechuang_rules::RuleKind::Condition(_)
            )
    })
}

/// The rules of a pack that `keep`, once per name (a rule may have several dated versions).
fn rule_labels(
    p: &kechuang_rules::Pack,
    keep: impl Fn(&kechuang_rules::RuleDef) -> bool,
) -> Vec<NamedLabel> {
    let mut out: Vec<NamedLabel> = Vec::new();
    for r in p.rules.iter().filter(|r| keep(r)) {
        if !out.iter().any(|o| o.name == r.name) {
            out.push(NamedLabel {
                name: r.name.clone(),
                label: r.label.clone(),
            });
        }
    }
    out
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct YearQuery {
    pub year: i32,
}

/// The figures a pack reads when evaluating `year` (the rules in force that year decide which,
/// including earlier years' figures for growth rates): what a form for `/rules/evaluate` asks.
#[utoipa::path(get, path = "/api/v1/rules/packs/{id}/inputs", tag = "rules",
    params(("id" = String, Path), YearQuery),
    responses((status = 200, body = Vec<YearInput>), (status = 404, body = crate::error::ErrorBody),
        (status = 422, body = crate::error::ErrorBody)))]
pub async fn pack_inputs(
    a: Auth,
    Path(id): Path<String>,
    Query(q): Query<YearQuery>,
) -> ApiResult<axum::Json<Vec<YearInput>>> {
    a.require("rules:read")?;
    let (pack, _) = pack_or_404(&id)?;
    let plan = compile(&pack, q.year)?;
    Ok(axum::Json(
        plan.inputs()
            .iter()
            .filter_map(|(name, offset)| {
                let def = pack.inputs.iter().find(|i| &i.name == name)?;
                Some(YearInput {
                    key: if *offset == 0 {
                        name.clone()
                    } else {
                        format!("{name}@{offset}")
                    },
                    name: name.clone(),
                    label: figure_label(&pack, name, *offset),
                    kind: kind_name(def.kind).to_owned(),
                    optional: def.optional || def.default.is_some(),
                    offset: *offset,
                })
            })
            .collect(),
    ))
}

/// Inputs for one ad-hoc evaluation: `name` for the year itself, `name@-1` for the year before.
#[derive(Deserialize, utoipa::ToSchema)]
pub struct EvaluateRequest {
    pub pack: String,
    pub year: i32,
    #[serde(default)]
    pub figures: BTreeMap<String, String>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct EvaluateResponse {
    #[schema(value_type = Object)]
    pub outputs: serde_json::Map<String, serde_json::Value>,
    /// The labels of the cultivation pools the entity belongs to (stored results, batches and
    /// `/rules/packs` give their names).
    pub pools: Vec<String>,
    #[schema(value_type = Object)]
    pub missing: serde_json::Value,
    #[schema(value_type = Object)]
    pub gaps: serde_json::Value,
    #[schema(value_type = Object)]
    pub explanation: Node,
    pub explanation_text: String,
}

#[utoipa::path(post, path = "/api/v1/rules/evaluate", tag = "rules", request_body = EvaluateRequest,
    responses((status = 200, body = EvaluateResponse), (status = 422, body = crate::error::ErrorBody)))]
pub async fn evaluate(
    a: Auth,
    Json(req): Json<EvaluateRequest>,
) -> ApiResult<axum::Json<EvaluateResponse>> {
    a.require("rules:read")?;
    let (pack, _) = pack_or_404(&req.pack)?;
    let plan = compile(&pack, req.year)?;
    let mut bad = Vec::new();
    let inputs = plan.inputs();
    for key in req.figures.keys() {
        let (name, off) = key
            .split_once('@')
            .map_or((key.as_str(), 0), |(n, o)| (n, o.parse().unwrap_or(99)));
        if !inputs.iter().any(|(n, o)| n == name && *o == off) {
            bad.push(kechuang_domain::FieldError::new(
                key,
                "rules.input_unknown",
                format!("“{key}”不是该政策包在{}年度评价所用的数据", req.year),
            ));
        }
    }
    let mut values = Vec::new();
    for (i, (name, off)) in inputs.iter().enumerate() {
        let key = if *off == 0 {
            name.clone()
        } else {
            format!("{name}@{off}")
        };
        let label = figure_label(&pack, name, *off);
        values.push(
            match req
                .figures
                .get(&key)
                .map(|s| s.trim())
                .filter(|s| !s.is_empty())
            {
                None => None,
                Some(t) if plan.input_is_flag(i) => {
                    match kechuang_domain::enterprise_year::parse_flag(t) {
                        Some(b) => Some(kechuang_rules::Value::Bool(b)),
                        None => {
                            bad.push(kechuang_domain::FieldError::new(
                                &key,
                                "flag.format",
                                format!("{label}：“{t}”应为 是/否"),
                            ));
                            None
                        }
                    }
                }
                Some(t) => match kechuang_rules::parse_value(t) {
                    Some(v @ kechuang_rules::Value::Num(_)) => Some(v),
                    _ => {
                        bad.push(kechuang_domain::FieldError::new(
                            &key,
                            "number.format",
                            format!("{label}：“{t}”不是数字"),
                        ));
                        None
                    }
                },
            },
        );
    }
    if !bad.is_empty() {
        return Err(kechuang_domain::Invalid(bad).into());
    }
    let entity = Entity { values };
    let ev = plan.evaluate(&entity);
    let explanation = plan.explain(&ev);
    Ok(axum::Json(EvaluateResponse {
        outputs: plan.outputs(&ev),
        pools: plan.pools(&ev).into_iter().map(|(_, l)| l).collect(),
        missing: serde_json::to_value(plan.missing(&ev)).unwrap_or_default(),
        gaps: serde_json::to_value(plan.gaps(&ev)).unwrap_or_default(),
        explanation_text: explanation.render(),
        explanation,
    }))
}

/// Many entities at once: one object of figures per entity (same keys as `/rules/evaluate`).
#[derive(Deserialize, utoipa::ToSchema)]
pub struct BatchRequest {
    pub pack: String,
    pub year: i32,
    pub entities: Vec<BatchEntity>,
    /// Also return each entity's explanation text (larger answers).
    #[serde(default)]
    pub explain: bool,
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct BatchEntity {
    /// Your identifier (e.g. the credit code), echoed back.
    pub id: String,
    #[serde(default)]
    pub figures: BTreeMap<String, String>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct BatchResult {
    pub id: String,
    #[schema(value_type = Object)]
    pub outputs: serde_json::Map<String, serde_json::Value>,
    /// The names of the cultivation pools the entity belongs to (labels: `/rules/packs`).
    pub pools: Vec<String>,
    /// Names of missing inputs.
    pub missing: Vec<String>,
    /// Problems with this entity's figures (bad numbers, unknown keys).
    pub problems: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub explanation_text: Option<String>,
}

/// At most this many entities per batch request.
pub const MAX_BATCH: usize = 100_000;

#[utoipa::path(post, path = "/api/v1/rules/evaluate-batch", tag = "rules", request_body = BatchRequest,
    responses((status = 200, body = Vec<BatchResult>)))]
pub async fn evaluate_batch(
    a: Auth,
    Json(req): Json<BatchRequest>,
) -> ApiResult<axum::Json<Vec<BatchResult>>> {
    a.require("rules:read")?;
    if req.entities.len() > MAX_BATCH {
        return Err(ApiError::bad_request(format!(
            "单次最多评价{MAX_BATCH}个主体"
        )));
    }
    let (pack, _) = pack_or_404(&req.pack)?;
    let plan = compile(&pack, req.year)?;
    let out = tokio::task::spawn_blocking(move || {
        let inputs = plan.inputs();
        let keys: Vec<String> = inputs
            .iter()
            .map(|(n, o)| {
                if *o == 0 {
                    n.clone()
                } else {
                    format!("{n}@{o}")
                }
            })
            .collect();
        let mut problems: Vec<Vec<String>> = Vec::with_capacity(req.entities.len());
        let mut columns: Vec<Vec<Option<kechuang_rules::Value>>> =
            vec![Vec::with_capacity(req.entities.len()); inputs.len()];
        for e in &req.entities {
            let mut p = Vec::new();
            for k in e.figures.keys() {
                if !keys.contains(k) {
                    p.push(format!("“{k}”不是该政策包的输入"));
                }
            }
            for (i, key) in keys.iter().enumerate() {
                let v = e
                    .figures
                    .get(key)
                    .map(|s| s.trim())
                    .filter(|s| !s.is_empty())
                    .and_then(|t| {
                        let v = if plan.input_is_flag(i) {
                            kechuang_domain::enterprise_year::parse_flag(t)
                                .map(kechuang_rules::Value::Bool)
                        } else {
                            kechuang_rules::parse_value(t)
                                .filter(|v| matches!(v, kechuang_rules::Value::Num(_)))
                        };
                        if v.is_none() {
                            p.push(format!("{key}：“{t}”格式错误"));
                        }
                        v
                    });
                columns[i].push(v);
            }
            problems.push(p);
        }
        let evs = plan.evaluate_batch(&columns);
        req.entities
            .iter()
            .zip(evs.iter())
            .zip(problems)
            .map(|((e, ev), problems)| BatchResult {
                id: e.id.clone(),
                outputs: plan.outputs(ev),
                pools: plan.pools(ev).into_iter().map(|(n, _)| n).collect(),
                missing: plan
                    .missing(ev)
                    .into_iter()
                    .map(|m| {
                        if m.year_offset == 0 {
                            m.input
                        } else {
                            format!("{}@{}", m.input, m.year_offset)
                        }
                    })
                    .collect(),
                problems,
                explanation_text: req.explain.then(|| plan.explain(ev).render()),
            })
            .collect::<Vec<_>>()
    })
    .await
    .map_err(|_| ApiError::internal())?;
    Ok(axum::Json(out))
}
