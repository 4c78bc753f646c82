//! The registry feeding the rules engine: enterprise-year figures (and founding years) become
//! engine inputs; results go back to the store with the version of the pack used.

use kechuang_domain::enterprise_year::FigureValue;
use kechuang_domain::enterprise_year::Figures;
use kechuang_rules::{Entity, Evaluation, Pack, Plan, Value};
use kechuang_store::orgs::OrgFilter;
use kechuang_store::rule_results::{
    NewRuleResult, RuleResult, RuleRun, RunCover, RunSpec, RunSummary,
};
use kechuang_store::years::OrgPage;
use kechuang_store::years::YearFilter;
use kechuang_store::{DataScope, Store, StoreResult};
use sha2::{Digest, Sha256};
use std::collections::HashMap;

/// One registry enterprise as engine input.
pub struct RegistryEntity {
    pub org_id: i64,
    pub credit_code: String,
    pub region_path: String,
    pub entity: Entity,
}

/// The version of a pack: the first 12 hex digits of the SHA-256 of its text.
pub fn pack_version(text: &str) -> String {
    hex::encode(Sha256::digest(text.as_bytes()))[..12].to_owned()
}

/// A pack from the official set with its version.
pub fn official_pack(id: &str) -> Option<(Pack, String)> {
    let (_, text, _) = kechuang_rules::OFFICIAL.iter().find(|(i, _, _)| *i == id)?;
    let pack = Pack::parse(&format!("policies/{id}.policy"), text).ok()?;
    Some((pack, pack_version(text)))
}

/// Every enterprise in `scope` (and `region`, if given) with figures for the plan's year.
pub async fn registry_entities(
    store: &Store,
    scope: &DataScope,
    region: Option<&str>,
    plan: &Plan,
) -> StoreResult<Vec<RegistryEntity>> {
    let inputs = plan.inputs();
    let min_offset = inputs.iter().map(|(_, o)| *o).min().unwrap_or(0);
    // credit code → (org id, region path, year → figures)
    let mut by_code: HashMap<
        String,
        (
            i64,
            String,
            HashMap<i32, kechuang_domain::enterprise_year::Figures>,
        ),
    > = HashMap::new();
    let mut order = Vec::new();
    for y in (plan.year + min_offset)..=plan.year {
        let f = YearFilter {
            year: Some(y),
            region: region.map(str::to_owned),
            ..Default::default()
        };
        for row in store.export_enterprise_years(scope, &f, 10_000_000).await? {
            if y == plan.year {
                order.push(row.credit_code.clone());
            }
            by_code
                .entry(row.credit_code.clone())
                .or_insert_with(|| (row.org_id, row.region_path.clone(), HashMap::new()))
                .2
                .insert(y, row.figures);
        }
    }
    let mut founded: HashMap<i64, i32> = HashMap::new();
    if inputs.iter().any(|(n, _)| n == "founded_year") {
        let f = OrgFilter {
            region: region.map(str::to_owned),
            ..Default::default()
        };
        for o in store.export_organizations(scope, &f, 10_000_000).await? {
            if let Some(y) = o
                .founded_on
                .as_deref()
                .and_then(|d| d.get(..4))
                .and_then(|y| y.parse().ok())
            {
                founded.insert(o.id, y);
            }
        }
    }
    let mut out = Vec::with_capacity(order.len());
    for code in order {
        let Some((org_id, path, years)) = by_code.remove(&code) else {
            continue;
        };
        let values = entity_values(plan, &years, founded.get(&org_id).copied());
        out.push(RegistryEntity {
            org_id,
            credit_code: code,
            region_path: path,
            entity: Entity { values },
        });
    }
    Ok(out)
}

/// The engine inputs of one enterprise: its figures by year and its founding year.
fn entity_values(
    plan: &Plan,
    years: &HashMap<i32, Figures>,
    founded: Option<i32>,
) -> Vec<Option<Value>> {
    plan.inputs()
        .iter()
        .map(|(name, off)| {
            if name == "founded_year" {
                return founded.map(|y| Value::Num(y.into()));
            }
            years
                .get(&(plan.year + off))
                .and_then(|f| f.get(name))
                .map(|v| match v {
                    FigureValue::Count(n) => Value::Num(n.into()),
                    FigureValue::Amount(d) => Value::Num(d),
                    FigureValue::Flag(b) => Value::Bool(b),
                })
        })
        .collect()
}

/// What is stored for one evaluated enterprise: its outputs, pools and engine inputs. The
/// explanation, gaps and missing figures (several kilobytes, and most of the engine's time) are
/// derived from the inputs when the result is read ([`complete_results`]).
pub fn result_row(plan: &Plan, e: &RegistryEntity, ev: &Evaluation) -> NewRuleResult {
    let outputs = plan.outputs(ev);
    let score = outputs
        .get("score")
        .and_then(serde_json::Value::as_f64)
        .map(|s| s.floor() as i64);
    NewRuleResult {
        org_id: e.org_id,
        region_path: e.region_path.clone(),
        qualified: outputs
            .get("qualified")
            .and_then(serde_json::Value::as_bool),
        score,
        pools: plan.pools(ev).into_iter().map(|(n, _)| n).collect(),
        outputs: serde_json::Value::Object(outputs),
        missing: serde_json::Value::Array(Vec::new()),
        gaps: serde_json::Value::Array(Vec::new()),
        explanation: String::new(),
        inputs: Some(encode_inputs(&e.entity.values)),
    }
}

/// Engine inputs as stored: in the plan's input order, numbers as exact decimal strings.
fn encode_inputs(values: &[Option<Value>]) -> serde_json::Value {
    values
        .iter()
        .map(|v| match v {
            Some(Value::Num(d)) => serde_json::Value::String(d.to_string()),
            Some(Value::Bool(b)) => serde_json::Value::Bool(*b),
            _ => serde_json::Value::Null,
        })
        .collect()
}

fn decode_inputs(v: &serde_json::Value) -> Option<Vec<Option<Value>>> {
    v.as_array()?
        .iter()
        .map(|x| match x {
            serde_json::Value::String(s) => s.parse().ok().map(|d| Some(Value::Num(d))),
            serde_json::Value::Bool(b) => Some(Some(Value::Bool(*b))),
            serde_json::Value::Null => Some(None),
            _ => None,
        })
        .collect()
}

type PlanKey = (String, String, i32);

/// Compiled plans by (pack, version, year): versions are content hashes, so an entry never
/// goes stale; there are a few packs times a few years.
fn plans() -> &'static std::sync::Mutex<HashMap<PlanKey, std::sync::Arc<Plan>>> {
    static PLANS: std::sync::OnceLock<std::sync::Mutex<HashMap<PlanKey, std::sync::Arc<Plan>>>> =
        std::sync::OnceLock::new();
    PLANS.get_or_init(Default::default)
}

/// The plan a stored result was evaluated with: the official pack when its version is the
/// stored one, otherwise the text kept with the result's run.
async fn plan_of(store: &Store, r: &RuleResult) -> StoreResult<Option<std::sync::Arc<Plan>>> {
    let Ok(year) = i32::try_from(r.year) else {
        return Ok(None);
    };
    let key = (r.pack.clone(), r.pack_version.clone(), year);
    if let Some(p) = plans().lock().ok().and_then(|m| m.get(&key).cloned()) {
        return Ok(Some(p));
    }
    let pack = match official_pack(&r.pack) {
        Some((p, v)) if v == r.pack_version => Some(p),
        _ => store
            .rule_run_pack_text(r.run_id)
            .await?
            .and_then(|t| Pack::parse(&format!("policies/{}.policy", r.pack), &t).ok()),
    };
    let Some(plan) = pack
        .and_then(|p| p.compile(year).ok())
        .map(std::sync::Arc::new)
    else {
        return Ok(None);
    };
    if let Ok(mut m) = plans().lock() {
        m.insert(key, plan.clone());
    }
    Ok(Some(plan))
}

/// Fill in the explanation, gaps and missing figures of results stored with their inputs, by
/// evaluating the inputs again with the pack version that produced them.
pub async fn complete_results(store: &Store, rows: &mut [RuleResult]) -> StoreResult<()> {
    for r in rows.iter_mut() {
        let Some(values) = r.inputs.as_ref().and_then(decode_inputs) else {
            continue;
        };
        let Some(plan) = plan_of(store, r).await? else {
            r.explanation = format!(
                "评价所用政策包版本 {} 已无法读取，请重新运行评价",
                r.pack_version
            );
            continue;
        };
        if values.len() != plan.inputs().len() {
            continue;
        }
        let ev = plan.evaluate(&Entity { values });
        r.missing = serde_json::to_value(plan.missing(&ev)).unwrap_or_default();
        r.gaps = serde_json::to_value(plan.gaps(&ev)).unwrap_or_default();
        r.explanation = plan.explain(&ev).render();
    }
    Ok(())
}

/// Enterprises evaluated and stored per transaction of a run: memory stays bounded by this,
/// whatever the size of the registry, and each transaction is short.
const RUN_CHUNK: u64 = 5_000;

/// A run that was asked for: the run (started now, or the one of the same pack, year and cover
/// already going on) and what evaluating it needs.
pub struct StartedRun {
    pub run: RuleRun,
    /// False: the same run was already going on (on this server or another); nothing new
    /// was started.
    pub started: bool,
    plan: Plan,
}

/// Start a run of a pack over the caller's registry (of `region`, if given) for a year: check
/// the pack and the year, count the enterprises, and record the run. [`execute_run`] does it.
pub async fn start_run(
    store: &Store,
    caller: &kechuang_store::Caller,
    pack_id: &str,
    year: i32,
    region: Option<&str>,
) -> crate::error::ApiResult<StartedRun> {
    use crate::error::ApiError;
    let (pack, version) = official_pack(pack_id).ok_or_else(|| {
        ApiError::new(
            axum::http::StatusCode::NOT_FOUND,
            "rules.pack_unknown",
            format!("没有名为“{pack_id}”的政策包"),
        )
    })?;
    let plan = pack
        .compile(year)
        .map_err(|e| kechuang_domain::Invalid::one("year", "rules.year", e.message))?;
    let region = match region.filter(|r| !r.is_empty()) {
        Some(code) => {
            let path =
                kechuang_store::orgs::region_path(kechuang_domain::RegionCode::parse_known(code)?)?;
            Some((code.to_owned(), path))
        }
        None => None,
    };
    let cover = RunCover::of(
        &caller.scope,
        region.as_ref().map(|(c, p)| (c.as_str(), p.as_str())),
    )?;
    let total = store
        .count_enterprise_years(&caller.scope, year, &cover.path)
        .await?;
    let text = kechuang_rules::OFFICIAL
        .iter()
        .find(|(i, _, _)| *i == pack_id)
        .map_or("", |(_, t, _)| *t);
    let spec = RunSpec {
        pack: &pack.id,
        pack_version: &version,
        pack_text: text,
        year: i64::from(year),
    };
    let (run, started) = store.begin_rule_run(caller, &spec, &cover, total).await?;
    Ok(StartedRun { run, started, plan })
}

/// Evaluate a started run, [`RUN_CHUNK`] enterprises at a time (read their figures, evaluate,
/// store the results with their explanations and the progress), then make its results the
/// current ones in one step. On failure the run is marked failed and the results stay as they
/// were.
pub async fn execute_run(
    store: &Store,
    caller: &kechuang_store::Caller,
    started: StartedRun,
) -> crate::error::ApiResult<RuleRun> {
    let StartedRun { run, plan, .. } = started;
    let beat = heartbeat(store, run.id);
    let done = evaluate_chunks(store, caller, &run, plan).await;
    beat.abort();
    match done {
        Ok(summary) => Ok(store.finish_rule_run(caller, &run, &summary).await?),
        Err(e) => {
            let why = if e.status.is_server_error() {
                "评价过程中出现系统错误，结果未替换，请重新运行".to_owned()
            } else {
                e.body.message.clone()
            };
            if let Err(f) = store.fail_rule_run(caller, &run, &why).await {
                tracing::error!(run = run.id, "marking the run failed: {f}");
            }
            Err(e)
        }
    }
}

/// Keep a run reported alive every 10 s until aborted (other servers take a run that has not
/// reported for [`kechuang_store::rule_results::RUN_STALE_MS`] as stopped).
pub fn heartbeat(store: &Store, id: i64) -> tokio::task::JoinHandle<()> {
    let store = store.clone();
    tokio::spawn(async move {
        loop {
            tokio::time::sleep(std::time::Duration::from_secs(10)).await;
            if let Err(e) = store.touch_rule_run(id).await {
                tracing::warn!(run = id, "heartbeat: {e}");
            }
        }
    })
}

async fn evaluate_chunks(
    store: &Store,
    caller: &kechuang_store::Caller,
    run: &RuleRun,
    plan: Plan,
) -> crate::error::ApiResult<RunSummary> {
    use crate::error::ApiError;
    let year = plan.year;
    let inputs = plan.inputs().to_vec();
    let min_offset = inputs.iter().map(|(_, o)| *o).min().unwrap_or(0);
    let wants_founded = inputs.iter().any(|(n, _)| n == "founded_year");
    let plan = std::sync::Arc::new(plan);
    let mut summary = RunSummary {
        pack: run.pack.clone(),
        pack_version: run.pack_version.clone(),
        year: run.year,
        ..Default::default()
    };
    let mut after = i64::MIN;
    let mut writing: Option<tokio::task::JoinHandle<StoreResult<()>>> = None;
    loop {
        let this_year = store
            .enterprise_years_by_org(
                &caller.scope,
                year..=year,
                &run.region_path,
                OrgPage::After(after, RUN_CHUNK),
            )
            .await?;
        let Some(last) = this_year.last() else {
            break;
        };
        after = last.org_id;
        let ids: Vec<i64> = this_year.iter().map(|r| r.org_id).collect();
        let earlier = if min_offset < 0 {
            store
                .enterprise_years_by_org(
                    &caller.scope,
                    (year + min_offset)..=(year - 1),
                    &run.region_path,
                    OrgPage::These(&ids),
                )
                .await?
        } else {
            Vec::new()
        };
        let founded = if wants_founded {
            store.founded_years(&ids).await?
        } else {
            HashMap::new()
        };
        let plan2 = plan.clone();
        let rows = tokio::task::spawn_blocking(move || {
            let mut by_org: HashMap<i64, HashMap<i32, Figures>> = HashMap::new();
            for r in earlier {
                by_org
                    .entry(r.org_id)
                    .or_default()
                    .insert(r.year, r.figures);
            }
            let ents: Vec<RegistryEntity> = this_year
                .into_iter()
                .map(|r| {
                    let mut years = by_org.remove(&r.org_id).unwrap_or_default();
                    years.insert(r.year, r.figures);
                    RegistryEntity {
                        org_id: r.org_id,
                        entity: Entity {
                            values: entity_values(&plan2, &years, founded.get(&r.org_id).copied()),
                        },
                        credit_code: r.credit_code,
                        region_path: r.region_path,
                    }
                })
                .collect();
            let columns: Vec<Vec<Option<Value>>> = (0..plan2.inputs().len())
                .map(|i| ents.iter().map(|e| e.entity.values[i].clone()).collect())
                .collect();
            let evs = plan2.evaluate_batch(&columns);
            ents.iter()
                .zip(&evs)
                .map(|(e, ev)| result_row(&plan2, e, ev))
                .collect::<Vec<_>>()
        })
        .await
        .map_err(|_| ApiError::internal())?;
        summary.add(&rows);
        // The next batch is read and evaluated while this one is written: two in flight at
        // most, written in order.
        if let Some(w) = writing.take() {
            w.await.map_err(|_| ApiError::internal())??;
        }
        let (store, caller, run) = (store.clone(), caller.clone(), run.clone());
        writing = Some(tokio::spawn(async move {
            store.add_rule_results(&caller, &run, &rows).await
        }));
    }
    if let Some(w) = writing.take() {
        w.await.map_err(|_| ApiError::internal())??;
    }
    Ok(summary)
}

/// Evaluate a pack over the caller's registry for a year and store the results, waiting for
/// the run to finish (the demo loader and the CLI; the API answers at once with the job).
pub async fn run_pack(
    store: &Store,
    caller: &kechuang_store::Caller,
    pack_id: &str,
    year: i32,
    region: Option<&str>,
) -> crate::error::ApiResult<RunSummary> {
    let mut started = start_run(store, caller, pack_id, year, region).await?;
    // The same run going on elsewhere: wait for it, then run again on the figures as they are.
    while !started.started {
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
        started = start_run(store, caller, pack_id, year, region).await?;
    }
    let run = execute_run(store, caller, started).await?;
    Ok(run.summary.unwrap_or_default())
}

/// A reward item from the registry, with the name of the enterprise it goes to.
pub struct RewardItem {
    pub item: kechuang_rules::Item,
    pub org_name: String,
}

/// The items for `kechuang_rules::entitle`, and the names of their enterprises by credit code
/// (for [`entitlement_items`]).
pub fn split_reward_items(
    rows: Vec<RewardItem>,
) -> (Vec<kechuang_rules::Item>, HashMap<String, String>) {
    let names = rows
        .iter()
        .map(|r| (r.item.entity.clone(), r.org_name.clone()))
        .collect();
    (rows.into_iter().map(|r| r.item).collect(), names)
}

/// Items for the reward pack from the registry, within `scope` (and `region`, if given):
/// enterprises that became 高企 in the plan's year (first time or again within three years),
/// and platforms recognized in that year (national, provincial, city, county), by credit code.
pub async fn registry_reward_items(
    store: &Store,
    scope: &DataScope,
    region: Option<&str>,
    plan: &Plan,
) -> StoreResult<Vec<RewardItem>> {
    let year = plan.year;
    let mut items = Vec::new();
    let mut valid: HashMap<(String, i32), bool> = HashMap::new();
    let mut region_of: HashMap<String, String> = HashMap::new();
    let mut name_of: HashMap<String, String> = HashMap::new();
    for y in (year - 3)..=year {
        let f = kechuang_store::years::YearFilter {
            year: Some(y),
            region: region.map(str::to_owned),
            ..Default::default()
        };
        for row in store.export_enterprise_years(scope, &f, 10_000_000).await? {
            valid.insert(
                (row.credit_code.clone(), y),
                row.figures.hte_valid == Some(true),
            );
            name_of.insert(row.credit_code.clone(), row.org_name.clone());
        }
    }
    let orgs = store
        .export_organizations(
            scope,
            &OrgFilter {
                region: region.map(str::to_owned),
                ..Default::default()
            },
            10_000_000,
        )
        .await?;
    let mut org_of_id = HashMap::new();
    for o in &orgs {
        region_of.insert(o.credit_code.clone(), o.region_code.clone());
        org_of_id.insert(o.id, (o.credit_code.clone(), o.name.clone()));
    }
    let input = |pairs: &[(&str, &str)]| -> Entity {
        Entity {
            values: plan
                .inputs()
                .iter()
                .map(|(n, o)| {
                    if *o != 0 {
                        None
                    } else {
                        pairs
                            .iter()
                            .find(|(k, _)| k == n)
                            .and_then(|(_, v)| kechuang_rules::parse_value(v))
                    }
                })
                .collect(),
        }
    };
    let mut codes: Vec<&String> = name_of.keys().collect();
    codes.sort();
    for code in codes {
        let now = valid.get(&(code.clone(), year)).copied().unwrap_or(false);
        let before = valid
            .get(&(code.clone(), year - 1))
            .copied()
            .unwrap_or(false);
        if now && !before {
            let first = !((year - 3)..year)
                .any(|y| valid.get(&(code.clone(), y)).copied().unwrap_or(false));
            let org_name = name_of.get(code).cloned().unwrap_or_default();
            items.push(RewardItem {
                item: kechuang_rules::Item {
                    entity: code.clone(),
                    region: region_of.get(code).cloned().unwrap_or_default(),
                    description: format!("{org_name} 认定为高新技术企业"),
                    inputs: input(&[
                        ("category", "1"),
                        ("level", "5"),
                        ("first_time", if first { "true" } else { "false" }),
                    ]),
                },
                org_name,
            });
        }
    }
    let f = kechuang_store::platforms::PlatformFilter {
        region: region.map(str::to_owned),
        ..Default::default()
    };
    for p in store.export_platforms(scope, &f, 10_000_000).await? {
        let in_year = p
            .recognized_on
            .as_deref()
            .is_some_and(|d| d.starts_with(&format!("{year}-")));
        let level = match p.level.as_str() {
            "national" => "5",
            "provincial" => "4",
            "city" => "3",
            "county" => "2",
            _ => continue,
        };
        // The reward goes to the host enterprise (one outside the scope is not listed).
        if let (true, Some((code, org_name))) = (
            in_year && p.status == "active",
            org_of_id.get(&p.host_org_id),
        ) {
            items.push(RewardItem {
                item: kechuang_rules::Item {
                    entity: code.clone(),
                    region: p.region_code.clone(),
                    description: format!(
                        "{}（{}{}）",
                        p.name, p.level_label, p.platform_type_label
                    ),
                    inputs: input(&[("category", "3"), ("level", level)]),
                },
                org_name: org_name.clone(),
            });
        }
    }
    // 平台绩效评价优秀 of the year (graded in it) and the national and provincial awards won in
    // it (the matching reward), both to the host or winning organization.
    for r in store.excellent_reports(scope, region, year).await? {
        let level = match r.level.as_str() {
            "national" => "5",
            "provincial" => "4",
            "city" => "3",
            "county" => "2",
            _ => continue,
        };
        if let Some((code, org_name)) = org_of_id.get(&r.host_org_id) {
            items.push(RewardItem {
                item: kechuang_rules::Item {
                    entity: code.clone(),
                    region: r.region_code.clone(),
                    description: format!(
                        "{}{}年度绩效评价优秀（{}）",
                        r.platform_name, r.year, r.level_label
                    ),
                    inputs: input(&[("category", "5"), ("level", level)]),
                },
                org_name: org_name.clone(),
            });
        }
    }
    let wins = kechuang_store::awards::WinFilter {
        year: Some(year),
        region: region.map(str::to_owned),
        ..Default::default()
    };
    for w in store.export_award_wins(scope, &wins).await? {
        let level = if w.level == "national" { "5" } else { "4" };
        let prize = kechuang_domain::money::from_fen(w.prize_fen).to_string();
        items.push(RewardItem {
            item: kechuang_rules::Item {
                entity: w.credit_code.clone(),
                region: w.region_code.clone(),
                description: format!("{}{}（{}）配套奖励", w.award_name, w.grade, w.document),
                inputs: input(&[
                    ("category", "4"),
                    ("level", level),
                    ("award_amount", prize.as_str()),
                ]),
            },
            org_name: w.org_name.clone(),
        });
    }
    Ok(items)
}

/// One item of the 免申即享 list: what the enterprise gets (or why not), with the explanation.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct EntitlementItem {
    pub credit_code: String,
    pub org_name: String,
    pub region: String,
    /// 事项, e.g. "某公司 认定为高新技术企业" or a platform with its level.
    pub item: String,
    /// 类别 and 级别 as the pack names them.
    pub category: String,
    pub level: String,
    /// Yuan, exact, as text.
    pub amount: String,
    /// Whether it is paid: within a category only the highest level, within a level one item.
    pub granted: bool,
    pub reason: String,
    pub explanation_text: String,
}

/// The items of an entitlement list with the names of their enterprises (`names`: credit code
/// → name; an unknown code gets an empty name).
pub fn entitlement_items(
    decisions: Vec<kechuang_rules::ItemDecision>,
    names: &HashMap<String, String>,
) -> Vec<EntitlementItem> {
    decisions
        .into_iter()
        .map(|d| EntitlementItem {
            org_name: names.get(&d.entity).cloned().unwrap_or_default(),
            credit_code: d.entity,
            region: d.region,
            item: d.description,
            category: d.group,
            level: d.rank,
            amount: d.amount,
            granted: d.granted,
            reason: d.reason,
            explanation_text: d.explanation,
        })
        .collect()
}

/// The 免申即享 list as one xlsx sheet (one row per item, granted or not, with the reason).
pub fn entitlements_xlsx(items: &[EntitlementItem]) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    use crate::tabular::{Cell, write_xlsx};
    write_xlsx(
        "免申即享清单",
        &[
            "统一社会信用代码",
            "单位名称",
            "行政区划",
            "事项",
            "类别",
            "级别",
            "金额（元）",
            "是否兑现",
            "说明",
        ],
        items.iter().map(|d| {
            vec![
                Cell::Text(d.credit_code.clone()),
                Cell::Text(d.org_name.clone()),
                Cell::Text(d.region.clone()),
                Cell::Text(d.item.clone()),
                Cell::Text(d.category.clone()),
                Cell::Text(d.level.clone()),
                Cell::Number(d.amount.parse::<f64>().unwrap_or(0.0)),
                Cell::Text(if d.granted { "是" } else { "否" }.into()),
                Cell::Text(d.reason.clone()),
            ]
        }),
    )
}

/// The figures of one enterprise from a file: year → (input name → cell text).
pub type History = std::collections::BTreeMap<i32, HashMap<String, String>>;

/// A figures file in the enterprise-year interchange format (rules.md §9), by credit code.
pub struct FiguresFile {
    /// Credit codes in the order of the file.
    pub order: Vec<String>,
    /// Names from a 企业名称 / 单位名称 / name column, where the file has one.
    pub names: HashMap<String, String>,
    /// The pack's input labels by input name (for the problems of cells).
    pub labels: HashMap<String, String>,
    pub histories: HashMap<String, History>,
}

/// One enterprise of a file as engine input, with the problems of its cells.
pub struct FileEntity {
    pub credit_code: String,
    pub name: String,
    pub entity: Entity,
    /// Cells that are not numbers (or not 是/否), in Chinese; such a figure counts as missing.
    pub problems: Vec<String>,
}

/// Read a figures file (xlsx or csv, UTF-8 or GB18030): a credit code and a year per row, and
/// the pack's figures under their names, their Chinese labels or the interchange headers.
/// Errors (a missing column, a year that is not a number) in Chinese.
pub fn read_figures_file(bytes: &[u8], pack: &Pack) -> Result<FiguresFile, String> {
    let t = crate::tabular::read_table(bytes).map_err(|e| e.summary())?;
    let code_col = t
        .column(&["credit_code", "统一社会信用代码"])
        .ok_or("缺少“credit_code / 统一社会信用代码”列")?;
    let year_col = t.column(&["year", "年度"]).ok_or("缺少“year / 年度”列")?;
    let name_col = t.column(&["name", "企业名称", "单位名称"]);
    // Map headers to pack inputs: the input name, its label, or the interchange label.
    let mut cols: Vec<(usize, String)> = Vec::new();
    for (i, h) in t.headers.iter().enumerate() {
        let h = h.trim();
        let name = pack
            .inputs
            .iter()
            .find(|inp| inp.name == h || inp.label == h)
            .map(|inp| inp.name.clone())
            .or_else(|| {
                kechuang_domain::enterprise_year::figure_by_header(h)
                    .map(|f| f.key.to_owned())
                    .filter(|k| pack.inputs.iter().any(|inp| &inp.name == k))
            });
        if let Some(n) = name {
            cols.push((i, n));
        }
    }
    let mut file = FiguresFile {
        order: Vec::new(),
        names: HashMap::new(),
        labels: pack
            .inputs
            .iter()
            .map(|i| (i.name.clone(), i.label.clone()))
            .collect(),
        histories: HashMap::new(),
    };
    for (row, cells) in &t.rows {
        let code = cells
            .get(code_col)
            .map(|s| s.trim().to_ascii_uppercase())
            .unwrap_or_default();
        let year_text = cells.get(year_col).map(String::as_str).unwrap_or("");
        let year: i32 = year_text
            .trim()
            .parse()
            .map_err(|_| format!("第{row}行：年度“{year_text}”不是数字"))?;
        if !file.histories.contains_key(&code) {
            file.order.push(code.clone());
        }
        if let Some(n) = name_col
            .and_then(|c| cells.get(c))
            .map(|s| s.trim())
            .filter(|s| !s.is_empty())
        {
            file.names.insert(code.clone(), n.to_owned());
        }
        let entry = file
            .histories
            .entry(code)
            .or_default()
            .entry(year)
            .or_default();
        for (i, name) in &cols {
            if let Some(v) = cells.get(*i).filter(|v| !v.trim().is_empty()) {
                entry.insert(name.clone(), v.trim().to_owned());
            }
        }
    }
    Ok(file)
}

/// The enterprises of a file that have a row for the plan's year, as engine inputs (earlier
/// years' rows give `name@-1` …), in the order of the file.
pub fn file_entities(plan: &Plan, file: &FiguresFile) -> Vec<FileEntity> {
    file.order
        .iter()
        .filter_map(|code| {
            let h = file
                .histories
                .get(code)
                .filter(|h| h.contains_key(&plan.year))?;
            let mut problems = Vec::new();
            let entity = history_entity(plan, h, &file.labels, &mut problems);
            Some(FileEntity {
                credit_code: code.clone(),
                name: file.names.get(code).cloned().unwrap_or_default(),
                entity,
                problems,
            })
        })
        .collect()
}

fn history_entity(
    plan: &Plan,
    h: &History,
    labels: &HashMap<String, String>,
    problems: &mut Vec<String>,
) -> Entity {
    let mut values = Vec::new();
    for (i, (name, off)) in plan.inputs().iter().enumerate() {
        let cell = h.get(&(plan.year + off)).and_then(|r| r.get(name));
        // Problems name the figure as the file does: by its Chinese label.
        let name = labels.get(name).unwrap_or(name);
        let v = match cell {
            None => None,
            Some(text) if plan.input_is_flag(i) => {
                match kechuang_domain::enterprise_year::parse_flag(text) {
                    Some(b) => Some(Value::Bool(b)),
                    None => {
                        problems.push(format!("{name}（{}年）“{text}”应为 是/否", plan.year + off));
                        None
                    }
                }
            }
            Some(text) => match kechuang_rules::parse_value(&text.replace(',', "")) {
                Some(v @ Value::Num(_)) => Some(v),
                _ => {
                    problems.push(format!("{name}（{}年）“{text}”不是数字", plan.year + off));
                    None
                }
            },
        };
        values.push(v);
    }
    Entity { values }
}
