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
use kechuang_store::rule_results::{RuleResult, RuleResultFilter, RunSummary};
use kechuang_store::{Page, PageRequest};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

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

#[derive(Deserialize, utoipa::ToSchema)]
pub struct RunRequest {
    pub pack: String,
    pub year: i32,
    /// Only this region (GB/T 2260) within the caller's scope.
    pub region: Option<String>,
}

#[utoipa::path(post, path = "/api/v1/rules/runs", tag = "rules", request_body = RunRequest,
    responses((status = 200, body = RunSummary)))]
pub async fn run(
    State(st): State<AppState>,
    a: Auth,
    Json(req): Json<RunRequest>,
) -> ApiResult<axum::Json<RunSummary>> {
    a.require("rules:run")?;
    Ok(axum::Json(
        crate::rules_io::run_pack(
            &st.store,
            &a.caller(),
            &req.pack,
            req.year,
            req.region.as_deref(),
        )
        .await?,
    ))
}

#[utoipa::path(get, path = "/api/v1/rules/results", tag = "rules", params(RuleResultFilter, PageRequest),
    responses((status = 200, body = Page<RuleResult>)))]
pub async fn results(
    State(st): State<AppState>,
    a: Auth,
    Query(f): Query<RuleResultFilter>,
    Query(p): Query<PageRequest>,
) -> ApiResult<axum::Json<Page<RuleResult>>> {
    a.require("rules:read")?;
    Ok(axum::Json(
        st.store.list_rule_results(&a.scope(), &f, p).await?,
    ))
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct ResultKey {
    pub pack: String,
    pub year: i64,
}

#[utoipa::path(get, path = "/api/v1/rules/results/{org_id}", tag = "rules", params(("org_id" = i64, Path), ResultKey),
    responses((status = 200, body = RuleResult), (status = 404, body = crate::error::ErrorBody)))]
pub async fn result(
    State(st): State<AppState>,
    a: Auth,
    Path(org_id): Path<i64>,
    Query(k): Query<ResultKey>,
) -> ApiResult<axum::Json<RuleResult>> {
    a.require("rules:read")?;
    Ok(axum::Json(
        st.store
            .get_rule_result(&a.scope(), &k.pack, k.year, org_id)
            .await?,
    ))
}

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
}

async fn entitlement_list(
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
    Ok(EntitlementList {
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
    Ok(super::io::xlsx_response(
        &format!("mianshen-{}", list.year),
        bytes,
    ))
}

/// Which pack and year a file is evaluated with.
#[derive(Deserialize, utoipa::IntoParams)]
pub struct FileQuery {
    pub pack: String,
    pub year: i32,
}

/// One enterprise of an evaluated file.
#[derive(Serialize, utoipa::ToSchema)]
pub struct FileRow {
    pub credit_code: String,
    /// From the file's 企业名称 column, if any.
    pub name: String,
    #[schema(value_type = Object)]
    pub outputs: serde_json::Map<String, serde_json::Value>,
    /// Names of the cultivation pools (labels: `/rules/packs`).
    pub pools: Vec<String>,
    #[schema(value_type = Object)]
    pub missing: serde_json::Value,
    #[schema(value_type = Object)]
    pub gaps: serde_json::Value,
    /// Cells that are not numbers (or not 是/否); such a figure counts as missing.
    pub problems: Vec<String>,
    pub explanation_text: String,
}

/// A figures file evaluated: nothing is stored.
#[derive(Serialize, utoipa::ToSchema)]
pub struct FileEvaluation {
    pub pack: String,
    pub version: String,
    pub year: i32,
    pub evaluated: usize,
    /// Enterprises whose `qualified` (or title) output is true.
    pub qualified: usize,
    /// Credit codes in the file without a row for the year.
    pub without_year: Vec<String>,
    pub rows: Vec<FileRow>,
}

/// The evaluation of a figures file, with the pack it used.
async fn evaluate_file_bytes(
    q: &FileQuery,
    bytes: &[u8],
) -> ApiResult<(FileEvaluation, kechuang_rules::Pack)> {
    let (pack, version) = pack_or_404(&q.pack)?;
    let plan = compile(&pack, q.year)?;
    let file = crate::rules_io::read_figures_file(bytes, &pack)
        .map_err(|m| kechuang_domain::Invalid::one("file", "rules.file", m))?;
    let ents = crate::rules_io::file_entities(&plan, &file);
    if ents.len() > MAX_BATCH {
        return Err(kechuang_domain::Invalid::one(
            "file",
            "rules.batch_too_large",
            format!("单次最多评价{MAX_BATCH}个主体"),
        )
        .into());
    }
    let without_year = file
        .order
        .iter()
        .filter(|c| !ents.iter().any(|e| &e.credit_code == *c))
        .cloned()
        .collect();
    let columns: Vec<Vec<Option<kechuang_rules::Value>>> = (0..plan.inputs().len())
        .map(|i| ents.iter().map(|e| e.entity.values[i].clone()).collect())
        .collect();
    let (plan, evs) = tokio::task::spawn_blocking(move || {
        let evs = plan.evaluate_batch(&columns);
        (plan, evs)
    })
    .await
    .map_err(|_| ApiError::internal())?;
    let rows: Vec<FileRow> = ents
        .into_iter()
        .zip(&evs)
        .map(|(e, ev)| FileRow {
            credit_code: e.credit_code,
            name: e.name,
            outputs: plan.outputs(ev),
            pools: plan.pools(ev).into_iter().map(|(n, _)| n).collect(),
            missing: serde_json::to_value(plan.missing(ev)).unwrap_or_default(),
            gaps: serde_json::to_value(plan.gaps(ev)).unwrap_or_default(),
            problems: e.problems,
            explanation_text: plan.explain(ev).render(),
        })
        .collect();
    let evaluation = FileEvaluation {
        pack: pack.id.clone(),
        version,
        year: q.year,
        evaluated: rows.len(),
        qualified: rows
            .iter()
            .filter(|r| r.outputs.get("qualified") == Some(&serde_json::Value::Bool(true)))
            .count(),
        without_year,
        rows,
    };
    Ok((evaluation, pack))
}

/// 批量试算: evaluate a figures file (xlsx or csv in the enterprise-year interchange format,
/// multipart field `file`; earlier years' rows give the growth figures) without storing
/// anything: outputs, pools, missing figures, gaps and the explanation per enterprise.
#[utoipa::path(post, path = "/api/v1/rules/evaluate-file", tag = "rules", params(FileQuery),
    request_body(content_type = "multipart/form-data", description = "field `file`: xlsx or csv"),
    responses((status = 200, body = FileEvaluation), (status = 404, body = crate::error::ErrorBody),
        (status = 422, body = crate::error::ErrorBody)))]
pub async fn evaluate_file(
    a: Auth,
    Query(q): Query<FileQuery>,
    m: axum::extract::Multipart,
) -> ApiResult<axum::Json<FileEvaluation>> {
    a.require("rules:read")?;
    let bytes = super::io::file_bytes(m).await?;
    Ok(axum::Json(evaluate_file_bytes(&q, &bytes).await?.0))
}

/// [`evaluate_file`] with the answer as an xlsx sheet: one row per enterprise with its
/// outputs (by label), pools, missing figures, gaps and problems.
#[utoipa::path(post, path = "/api/v1/rules/evaluate-file/export", tag = "rules", params(FileQuery),
    request_body(content_type = "multipart/form-data", description = "field `file`: xlsx or csv"),
    responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        (status = 422, body = crate::error::ErrorBody)))]
pub async fn export_file_evaluation(
    a: Auth,
    Query(q): Query<FileQuery>,
    m: axum::extract::Multipart,
) -> ApiResult<axum::response::Response> {
    use crate::tabular::{Cell, write_xlsx};
    a.require("rules:read")?;
    let bytes = super::io::file_bytes(m).await?;
    let (r, pack) = evaluate_file_bytes(&q, &bytes).await?;
    let outputs = output_labels(&pack);
    let pools = rule_labels(&pack, |d| d.pool);
    let mut headers: Vec<&str> = vec!["统一社会信用代码", "企业名称"];
    headers.extend(outputs.iter().map(|o| o.label.as_str()));
    headers.extend(["培育库", "缺少数据", "差距分析", "数据问题"]);
    let texts = |v: &serde_json::Value, key: &str| -> String {
        v.as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|x| x[key].as_str())
                    .collect::<Vec<_>>()
                    .join("；")
            })
            .unwrap_or_default()
    };
    let xlsx = write_xlsx(
        "批量试算",
        &headers,
        r.rows.iter().map(|row| {
            let mut cells = vec![
                Cell::Text(row.credit_code.clone()),
                Cell::Text(row.name.clone()),
            ];
            for o in &outputs {
                cells.push(match row.outputs.get(&o.name) {
                    Some(serde_json::Value::Bool(b)) => {
                        Cell::Text(if *b { "是" } else { "否" }.into())
                    }
                    Some(serde_json::Value::Number(n)) => Cell::Number(n.as_f64().unwrap_or(0.0)),
                    Some(serde_json::Value::String(s)) => Cell::Text(s.clone()),
                    _ => Cell::Text("待定".into()),
                });
            }
            let pool_labels: Vec<&str> = row
                .pools
                .iter()
                .map(|p| {
                    pools
                        .iter()
                        .find(|l| &l.name == p)
                        .map_or(p.as_str(), |l| l.label.as_str())
                })
                .collect();
            cells.push(Cell::Text(pool_labels.join("；")));
            cells.push(Cell::Text(texts(&row.missing, "label")));
            cells.push(Cell::Text(texts(&row.gaps, "text")));
            cells.push(Cell::Text(row.problems.join("；")));
            cells
        }),
    )
    .map_err(|_| ApiError::internal())?;
    Ok(super::io::xlsx_response(
        &format!("shisuan-{}-{}", r.pack, r.year),
        xlsx,
    ))
}
