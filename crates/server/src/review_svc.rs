//! Expert review: the glue between the store's [`ReviewInputs`] and the pure assignment engine
//! (`kechuang_assignment`). Builds the engine's affinity graph and conflict list from the
//! registry, runs optimal or random assignment, explains every candidate, chooses replacements
//! (递补) and ranks the submitted scores.
//!
//! Eligibility of an (item, expert) pair: no conflict of interest (same organization,
//! co-membership or co-authorship within the round's window, declared avoidance, same county
//! when the round asks for it, or the expert is on the item's own team) and affinity > 0 (the
//! expert shares a discipline or keyword: 具备评审资格). An expert's capacity in a round is
//! `min(round max load, expert max load − tasks in other open rounds)`, 0 when the expert is
//! paused or unavailable during the round.

use crate::error::{ApiError, ApiResult};
use axum::http::StatusCode;
use kechuang_assignment::conflicts::{
    ApplicationRecord, Conflict, ConflictIndex, ExpertRecord, Involvement, Reason, Rules,
};
use kechuang_assignment::explain::Verdict;
use kechuang_assignment::scores::{Aggregate, Score};
use kechuang_assignment::{Affinity, Error as EngineError, Options, Pairs, Solution};
use kechuang_domain::review::{AssignmentMethod, affinity_micro};
use kechuang_store::review::{Assignment, Expert, Item, Pick, ReviewInputs, Round};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};

/// How to assign reviewers.
#[derive(Debug, Clone, Deserialize, Serialize, utoipa::ToSchema)]
pub struct AssignRequest {
    /// `optimal` (最优匹配, maximum total affinity, proven) or `random` (随机抽取).
    pub mode: String,
    /// Seed of a random draw; the same seed replays the same draw. Default: from the clock.
    #[serde(default)]
    pub seed: Option<u64>,
    /// Optimal mode only: first maximize the lowest affinity any item gets, then the total.
    #[serde(default)]
    pub fairness: bool,
}

/// The outcome of an assignment run.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct AssignOutcome {
    pub round: Round,
    pub assigned: usize,
    /// method, objective, bound, gap, seed, conflicts ... (as stored on the round)
    #[schema(value_type = Object)]
    pub summary: serde_json::Value,
}

/// One excluded (item, expert) pair with its reason (回避).
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Exclusion {
    pub item_id: i64,
    pub item_title: String,
    pub expert_id: i64,
    pub expert_name: String,
    /// The expert's unit: two experts of the same name are told apart by it.
    pub expert_org_name: Option<String>,
    /// `same_organization` | `co_member` | `co_author` | `declared_avoidance` | `same_county` |
    /// `team_member`
    pub code: String,
    pub reason: String,
}

/// Why an expert was or was not chosen for an item.
#[derive(Debug, Serialize, utoipa::ToSchema)]
#[schema(as = ReviewCandidate)]
pub struct Candidate {
    pub expert_id: i64,
    pub expert_name: String,
    pub org_name: Option<String>,
    /// Expertise affinity in [0, 1].
    pub affinity: f64,
    /// `assigned` | `conflict` | `unavailable` | `not_qualified` | `at_capacity` |
    /// `lower_affinity` | `not_drawn` | `declined`
    pub status: String,
    pub reason: String,
}

/// The panel's ranked list.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Results {
    pub round: Round,
    /// `zscore` | `trimmed` | `mean`
    pub by: String,
    /// Tasks expected (items × reviewers, not declined) and submitted.
    pub expected: usize,
    pub submitted: usize,
    pub rows: Vec<ResultRow>,
    pub reviewers: Vec<ReviewerRow>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ResultRow {
    /// None until the item has a score.
    pub rank: Option<u32>,
    pub item_id: i64,
    pub title: String,
    pub org_name: Option<String>,
    pub value: Option<f64>,
    pub mean: Option<f64>,
    pub trimmed_mean: Option<f64>,
    pub normalized_mean: Option<f64>,
    pub reviews: Vec<ReviewScore>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ReviewScore {
    pub expert_id: i64,
    pub expert_name: String,
    pub raw: f64,
    pub normalized: f64,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ReviewerRow {
    pub expert_id: i64,
    pub expert_name: String,
    pub items: usize,
    pub mean: f64,
    pub sd: f64,
    /// false: one item or no spread, raw scores kept (not normalized).
    pub calibrated: bool,
}

fn engine_error(e: EngineError, items: &[Item]) -> ApiError {
    match e {
        EngineError::Infeasible { shortfalls } => {
            let names: Vec<String> = shortfalls
                .iter()
                .take(10)
                .map(|s| {
                    let title = items
                        .get(s.application)
                        .map_or(s.id.as_str(), |i| i.title.as_str());
                    format!("{title}（可分配{}名/需{}名）", s.assigned, s.required)
                })
                .collect();
            ApiError::new(
                StatusCode::CONFLICT,
                "review.infeasible",
                format!(
                    "{}个评审对象找不到足够的无回避冲突、专业匹配且有余量的专家：{}{}",
                    shortfalls.len(),
                    names.join("、"),
                    if shortfalls.len() > 10 { "等" } else { "" }
                ),
            )
        }
        e => {
            tracing::error!(error = %e, "assignment engine failed");
            ApiError::internal()
        }
    }
}

fn reason_text(r: &Reason, item: &Item, expert: &Expert) -> (String, String) {
    match r {
        Reason::SameOrganization => (
            "same_organization".into(),
            format!(
                "与申报单位为同一单位（{}）",
                expert.org_name.as_deref().unwrap_or("—")
            ),
        ),
        Reason::CoMember { project, year } => (
            "co_member".into(),
            format!("{year}年与项目组成员共同承担项目“{project}”"),
        ),
        Reason::CoAuthor { paper, year } => (
            "co_author".into(),
            format!("{year}年与项目组成员合作论文“{paper}”"),
        ),
        Reason::DeclaredAvoidance => ("declared_avoidance".into(), "申报单位申请回避".into()),
        Reason::SameCounty => (
            "same_county".into(),
            format!(
                "与申报单位同在{}（同县回避）",
                item.applicant_region
                    .as_deref()
                    .map(crate::api::region_label)
                    .unwrap_or_default()
            ),
        ),
    }
}

/// The round turned into engine input.
struct Prepared<'a> {
    inputs: &'a ReviewInputs,
    conflicts: Vec<Conflict>,
    index: ConflictIndex,
    /// (item index, expert index) pairs where the expert is on the item's own team.
    team: Vec<(usize, usize)>,
    /// Per expert: why it cannot take tasks in this round, if it cannot.
    unavailable: Vec<Option<String>>,
    caps: Vec<u32>,
    /// Raw affinity (micro) for every pair, before eligibility.
    raw: Vec<Vec<i64>>,
    pairs: Pairs,
}

fn current_year(today: chrono::NaiveDate) -> i32 {
    chrono::Datelike::year(&today)
}

fn prepare(inputs: &ReviewInputs, today: chrono::NaiveDate) -> ApiResult<Prepared<'_>> {
    let round = &inputs.round;
    let experts = &inputs.experts;
    let mut links: HashMap<i64, Vec<&kechuang_store::review::PersonLink>> = HashMap::new();
    for l in &inputs.links {
        links.entry(l.person_id).or_default().push(l);
    }
    let involvement = |pid: i64, kind: &str| -> Vec<Involvement> {
        links
            .get(&pid)
            .map(|ls| {
                ls.iter()
                    .filter(|l| l.kind == kind)
                    .map(|l| Involvement {
                        id: l.reference.clone(),
                        year: l.year,
                    })
                    .collect()
            })
            .unwrap_or_default()
    };
    let expert_records: Vec<ExpertRecord> = experts
        .iter()
        .map(|e| ExpertRecord {
            id: e.id.to_string(),
            organization: e.org_id.map(|o| o.to_string()).unwrap_or_default(),
            county: Some(e.region_code.clone()),
            projects: involvement(e.id, "project"),
            papers: involvement(e.id, "paper"),
        })
        .collect();
    let known: std::collections::HashSet<i64> = experts.iter().map(|e| e.id).collect();
    let app_records: Vec<ApplicationRecord> = inputs
        .items
        .iter()
        .map(|i| ApplicationRecord {
            id: i.id.to_string(),
            organization: i.org_id.map(|o| o.to_string()).unwrap_or_default(),
            county: i.applicant_region.clone(),
            team_projects: i
                .team
                .iter()
                .flat_map(|p| involvement(*p, "project"))
                .collect(),
            team_papers: i
                .team
                .iter()
                .flat_map(|p| involvement(*p, "paper"))
                .collect(),
            // An avoided expert outside the caller's pool cannot be drawn anyway.
            avoid: i
                .avoid
                .iter()
                .filter(|a| known.contains(a))
                .map(|a| a.to_string())
                .collect(),
        })
        .collect();
    let rules = Rules {
        current_year: current_year(today),
        window_years: i32::try_from(round.coauthor_years).unwrap_or(3),
        same_county: round.exclude_same_county,
    };
    let conflicts = kechuang_assignment::conflicts::detect(&app_records, &expert_records, &rules)
        .map_err(|e| engine_error(e, &inputs.items))?;
    let index = ConflictIndex::new(&conflicts);
    let pos: HashMap<i64, usize> = experts.iter().enumerate().map(|(n, e)| (e.id, n)).collect();
    let mut team = Vec::new();
    for (a, i) in inputs.items.iter().enumerate() {
        for p in &i.team {
            if let Some(&e) = pos.get(p) {
                team.push((a, e));
            }
        }
    }
    // Load in this round, to give back to each expert's open load.
    let mut this_round: HashMap<i64, i64> = HashMap::new();
    for a in &inputs.assignments {
        if a.status != "declined" {
            *this_round.entry(a.expert_id).or_default() += 1;
        }
    }
    let due = round
        .due_on
        .as_deref()
        .and_then(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
        .unwrap_or(today);
    let date = |s: &Option<String>| {
        s.as_deref()
            .and_then(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
    };
    let mut unavailable = Vec::with_capacity(experts.len());
    let mut caps = Vec::with_capacity(experts.len());
    for e in experts {
        let other = e.open_load - this_round.get(&e.id).copied().unwrap_or(0);
        let spare = (e.max_load - other).max(0);
        let why = if !e.active {
            Some("专家已暂停参评".to_owned())
        } else if date(&e.available_from).is_some_and(|f| f > due)
            || date(&e.available_to).is_some_and(|t| t < today)
        {
            Some(format!(
                "不在可参评时段（{}至{}）",
                e.available_from.as_deref().unwrap_or("…"),
                e.available_to.as_deref().unwrap_or("…")
            ))
        } else if spare == 0 {
            Some(format!(
                "评审任务已达上限（其他评审中已有{other}项，上限{}项）",
                e.max_load
            ))
        } else {
            None
        };
        caps.push(if why.is_some() {
            0
        } else {
            u32::try_from(spare.min(round.max_load)).unwrap_or(0)
        });
        unavailable.push(why);
    }
    let mut raw = Vec::with_capacity(inputs.items.len());
    let mut eligible = Vec::new();
    for (a, i) in inputs.items.iter().enumerate() {
        let row: Vec<i64> = experts
            .iter()
            .map(|e| affinity_micro(&i.disciplines, &i.keywords, &e.disciplines, &e.keywords))
            .collect();
        for (e, &w) in row.iter().enumerate() {
            if w > 0 && !index.contains(a, e) && !team.contains(&(a, e)) {
                eligible.push((a as u32, e as u32, w));
            }
        }
        raw.push(row);
    }
    let pairs = Pairs::new(inputs.items.len(), experts.len(), eligible)
        .map_err(|e| engine_error(e, &inputs.items))?;
    Ok(Prepared {
        inputs,
        conflicts,
        index,
        team,
        unavailable,
        caps,
        raw,
        pairs,
    })
}

/// Every excluded pair with its reason.
pub fn exclusions(inputs: &ReviewInputs, today: chrono::NaiveDate) -> ApiResult<Vec<Exclusion>> {
    let p = prepare(inputs, today)?;
    let mut out = Vec::with_capacity(p.conflicts.len() + p.team.len());
    for c in &p.conflicts {
        let (Some(item), Some(expert)) = (
            inputs.items.get(c.application),
            inputs.experts.get(c.expert),
        ) else {
            continue;
        };
        let (code, reason) = reason_text(&c.reason, item, expert);
        out.push(Exclusion {
            item_id: item.id,
            item_title: item.title.clone(),
            expert_id: expert.id,
            expert_name: expert.name.clone(),
            expert_org_name: expert.org_name.clone(),
            code,
            reason,
        });
    }
    for &(a, e) in &p.team {
        let (item, expert) = (&inputs.items[a], &inputs.experts[e]);
        out.push(Exclusion {
            item_id: item.id,
            item_title: item.title.clone(),
            expert_id: expert.id,
            expert_name: expert.name.clone(),
            expert_org_name: expert.org_name.clone(),
            code: "team_member".into(),
            reason: "本人为项目组成员".into(),
        });
    }
    out.sort_by_key(|x| (x.item_id, x.expert_id));
    Ok(out)
}

fn solve(p: &Prepared<'_>, fairness: bool) -> ApiResult<Solution> {
    let k = u32::try_from(p.inputs.round.reviewers_per_item).unwrap_or(0);
    let opts = Options::new(k);
    let r = if fairness {
        kechuang_assignment::solve_fair(&p.pairs, &p.caps, &opts)
    } else {
        kechuang_assignment::solve(&p.pairs, &p.caps, &opts)
    };
    r.map_err(|e| engine_error(e, &p.inputs.items))
}

/// Run optimal or random assignment: the picks, the method, and the summary to store.
pub fn assign(
    inputs: &ReviewInputs,
    req: &AssignRequest,
    today: chrono::NaiveDate,
) -> ApiResult<(Vec<Pick>, AssignmentMethod, serde_json::Value)> {
    if inputs.items.is_empty() {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            "round.empty",
            "评审中没有评审对象",
        ));
    }
    let p = prepare(inputs, today)?;
    let pick = |a: usize, e: u32| Pick {
        item_id: inputs.items[a].id,
        expert_id: inputs.experts[e as usize].id,
        affinity_micro: p.raw[a][e as usize],
    };
    let pool: u32 = p.caps.iter().filter(|c| **c > 0).count() as u32;
    match req.mode.as_str() {
        "optimal" => {
            let sol = solve(&p, req.fairness)?;
            let picks: Vec<Pick> = sol
                .assignment
                .iter()
                .enumerate()
                .flat_map(|(a, es)| es.iter().map(move |(e, _)| (a, *e)))
                .map(|(a, e)| pick(a, e))
                .collect();
            let scale = kechuang_assignment::SCALE as f64;
            let summary = serde_json::json!({
                "method": "optimal",
                "fairness": req.fairness,
                "objective": sol.objective as f64 / scale,
                "bound": sol.bound as f64 / scale,
                "gap": sol.gap() as f64 / scale,
                "min_affinity": sol.stats.fairness_threshold.map(|t| t as f64 / scale),
                "conflicts": p.conflicts.len() + p.team.len(),
                "available_experts": pool,
                "certified_pairs": sol.stats.checked_pairs,
            });
            Ok((picks, AssignmentMethod::Optimal, summary))
        }
        "random" => {
            let seed = req.seed.unwrap_or_else(|| {
                u64::try_from(chrono::Utc::now().timestamp_millis()).unwrap_or(1)
            });
            let k = u32::try_from(inputs.round.reviewers_per_item).unwrap_or(0);
            let d = kechuang_assignment::draw::draw(&p.pairs, &p.caps, k, 1, seed)
                .map_err(|e| engine_error(e, &inputs.items))?;
            let picks: Vec<Pick> = d
                .assignment
                .iter()
                .enumerate()
                .flat_map(|(a, es)| es.iter().map(move |e| (a, *e)))
                .map(|(a, e)| pick(a, e))
                .collect();
            let total: i64 = picks.iter().map(|x| x.affinity_micro).sum();
            let summary = serde_json::json!({
                "method": "random",
                "seed": seed.to_string(),
                "objective": total as f64 / kechuang_assignment::SCALE as f64,
                "conflicts": p.conflicts.len() + p.team.len(),
                "available_experts": pool,
                "pool_sizes": d.pool_sizes,
            });
            Ok((picks, AssignmentMethod::Random, summary))
        }
        other => Err(kechuang_domain::Invalid::one(
            "mode",
            "mode.unknown",
            format!("分配方式“{other}”无效，可选：optimal（最优匹配）、random（随机抽取）"),
        )
        .into()),
    }
}

/// Every expert of the pool for one item: chosen or not, and why.
pub fn explain_item(
    inputs: &ReviewInputs,
    item_id: i64,
    today: chrono::NaiveDate,
) -> ApiResult<Vec<Candidate>> {
    let a = inputs
        .items
        .iter()
        .position(|i| i.id == item_id)
        .ok_or(kechuang_store::StoreError::NotFound)?;
    let p = prepare(inputs, today)?;
    let item = &inputs.items[a];
    let current: HashMap<i64, &Assignment> = inputs
        .assignments
        .iter()
        .filter(|x| x.item_id == item_id)
        .map(|x| (x.expert_id, x))
        .collect();
    let method = inputs
        .round
        .assignment
        .as_ref()
        .and_then(|s| s.get("method"))
        .and_then(|m| m.as_str())
        .unwrap_or("");
    // The optimal solution's duals say how much an unchosen pair would cost.
    let verdicts: Option<Vec<Verdict>> = if method == "optimal" {
        let fair = inputs
            .round
            .assignment
            .as_ref()
            .and_then(|s| s.get("fairness"))
            .and_then(|f| f.as_bool())
            .unwrap_or(false);
        solve(&p, fair).ok().map(|sol| {
            kechuang_assignment::explain::explain(&sol, &p.pairs, &p.caps, Some(&p.index), a)
                .into_iter()
                .map(|v| v.verdict)
                .collect()
        })
    } else {
        None
    };
    let in_round_load = |e: i64| {
        inputs
            .assignments
            .iter()
            .filter(|x| x.expert_id == e && x.status != "declined")
            .count() as u32
    };
    let scale = kechuang_assignment::SCALE as f64;
    let mut out = Vec::with_capacity(inputs.experts.len());
    for (e, expert) in inputs.experts.iter().enumerate() {
        let w = p.raw[a][e];
        let (status, reason) = if let Some(x) = current.get(&expert.id) {
            if x.status == "declined" {
                (
                    "declined".to_owned(),
                    format!(
                        "已拒绝或回避：{}",
                        x.decline_reason.as_deref().unwrap_or("")
                    ),
                )
            } else {
                let better = p.raw[a]
                    .iter()
                    .enumerate()
                    .filter(|(f, v)| **v > w && p.caps[*f] > 0 && !p.index.contains(a, *f))
                    .count();
                let how = kechuang_domain::review::AssignmentMethod::parse(&x.method)
                    .map(|m| m.label())
                    .unwrap_or("");
                (
                    "assigned".to_owned(),
                    format!(
                        "已分配（{how}）：匹配度{:.3}，在可选专家中排第{}",
                        w as f64 / scale,
                        better + 1
                    ),
                )
            }
        } else if let Some(rs) = p.index.reasons(a, e) {
            let texts: Vec<String> = rs.iter().map(|r| reason_text(r, item, expert).1).collect();
            ("conflict".to_owned(), format!("回避：{}", texts.join("；")))
        } else if p.team.contains(&(a, e)) {
            ("conflict".to_owned(), "回避：本人为项目组成员".to_owned())
        } else if let Some(why) = &p.unavailable[e] {
            ("unavailable".to_owned(), why.clone())
        } else if w <= 0 {
            (
                "not_qualified".to_owned(),
                "专业不匹配：学科和关键词均无交集".to_owned(),
            )
        } else if in_round_load(expert.id) >= p.caps[e] {
            (
                "at_capacity".to_owned(),
                format!("本轮已分配{}项，达到上限", in_round_load(expert.id)),
            )
        } else {
            match verdicts.as_ref().and_then(|v| v.get(e)) {
                Some(Verdict::AtCapacity { reduced_cost, .. }) => (
                    "at_capacity".to_owned(),
                    format!(
                        "该专家在其他项目上更匹配，改派到本项将使总匹配度至少降低{:.3}",
                        -(*reduced_cost as f64) / scale
                    ),
                ),
                Some(Verdict::LowerAffinity { reduced_cost, .. }) => (
                    "lower_affinity".to_owned(),
                    format!(
                        "匹配度{:.3}低于入选专家，改派将使总匹配度至少降低{:.3}",
                        w as f64 / scale,
                        -(*reduced_cost as f64) / scale
                    ),
                ),
                _ if method == "random" => ("not_drawn".to_owned(), "随机抽取未抽中".to_owned()),
                _ => (
                    "lower_affinity".to_owned(),
                    format!("匹配度{:.3}，未入选", w as f64 / scale),
                ),
            }
        };
        out.push(Candidate {
            expert_id: expert.id,
            expert_name: expert.name.clone(),
            org_name: expert.org_name.clone(),
            affinity: w as f64 / scale,
            status,
            reason,
        });
    }
    let order = |s: &str| match s {
        "assigned" => 0,
        "declined" => 1,
        "at_capacity" | "lower_affinity" | "not_drawn" => 2,
        "conflict" => 3,
        "unavailable" => 4,
        _ => 5,
    };
    out.sort_by(|x, y| {
        order(&x.status)
            .cmp(&order(&y.status))
            .then(y.affinity.total_cmp(&x.affinity))
            .then(x.expert_id.cmp(&y.expert_id))
    });
    Ok(out)
}

/// A hand-picked reviewer must be conflict-free and have spare load; returns the affinity.
pub fn check_manual(
    inputs: &ReviewInputs,
    item_id: i64,
    expert_id: i64,
    today: chrono::NaiveDate,
) -> ApiResult<i64> {
    let a = inputs
        .items
        .iter()
        .position(|i| i.id == item_id)
        .ok_or(kechuang_store::StoreError::NotFound)?;
    let e = inputs
        .experts
        .iter()
        .position(|x| x.id == expert_id)
        .ok_or(kechuang_store::StoreError::NotFound)?;
    let p = prepare(inputs, today)?;
    let refuse = |code: &str, msg: String| Err(ApiError::new(StatusCode::CONFLICT, code, msg));
    if let Some(rs) = p.index.reasons(a, e) {
        let texts: Vec<String> = rs
            .iter()
            .map(|r| reason_text(r, &inputs.items[a], &inputs.experts[e]).1)
            .collect();
        return refuse(
            "review.conflict",
            format!("{}须回避：{}", inputs.experts[e].name, texts.join("；")),
        );
    }
    if p.team.contains(&(a, e)) {
        return refuse(
            "review.conflict",
            format!("{}须回避：本人为项目组成员", inputs.experts[e].name),
        );
    }
    if let Some(why) = &p.unavailable[e] {
        return refuse(
            "review.unavailable",
            format!("{}不能参评：{why}", inputs.experts[e].name),
        );
    }
    let load = inputs
        .assignments
        .iter()
        .filter(|x| x.expert_id == expert_id && x.status != "declined")
        .count() as u32;
    if load >= p.caps[e] {
        return refuse(
            "review.at_capacity",
            format!("{}本轮已分配{load}项，达到上限", inputs.experts[e].name),
        );
    }
    Ok(p.raw[a][e])
}

/// 递补: the best conflict-free, qualified expert with spare load who is not yet on the item.
pub fn replacement(
    inputs: &ReviewInputs,
    task: &Assignment,
    today: chrono::NaiveDate,
) -> ApiResult<Option<Pick>> {
    let Some(a) = inputs.items.iter().position(|i| i.id == task.item_id) else {
        return Ok(None);
    };
    let p = prepare(inputs, today)?;
    let mut load: HashMap<i64, u32> = HashMap::new();
    for x in &inputs.assignments {
        if x.status != "declined" {
            *load.entry(x.expert_id).or_default() += 1;
        }
    }
    let taken: std::collections::HashSet<i64> = inputs
        .assignments
        .iter()
        .filter(|x| x.item_id == task.item_id)
        .map(|x| x.expert_id)
        .collect();
    let mut row = vec![kechuang_assignment::INELIGIBLE; p.pairs.experts()];
    p.pairs.fill_row(a, &mut row);
    let best = row
        .iter()
        .enumerate()
        .filter(|(e, w)| {
            let id = inputs.experts[*e].id;
            **w != kechuang_assignment::INELIGIBLE
                && id != task.expert_id
                && !taken.contains(&id)
                && load.get(&id).copied().unwrap_or(0) < p.caps[*e]
        })
        .max_by(|(e1, w1), (e2, w2)| w1.cmp(w2).then(e2.cmp(e1)))
        .map(|(e, w)| Pick {
            item_id: task.item_id,
            expert_id: inputs.experts[e].id,
            affinity_micro: *w,
        });
    Ok(best)
}

/// The ranked list: every item with each reviewer's raw and normalized score.
pub fn results(
    round: Round,
    items: &[Item],
    assignments: &[Assignment],
    by: &str,
) -> ApiResult<Results> {
    let aggregate = match by {
        "zscore" => Aggregate::NormalizedMean,
        "trimmed" => Aggregate::TrimmedMean,
        "mean" => Aggregate::Mean,
        other => {
            return Err(kechuang_domain::Invalid::one(
                "by",
                "by.unknown",
                format!("排序方式“{other}”无效，可选：zscore、trimmed、mean"),
            )
            .into());
        }
    };
    let names: BTreeMap<i64, &str> = assignments
        .iter()
        .map(|x| (x.expert_id, x.expert_name.as_str()))
        .collect();
    let scores: Vec<Score> = assignments
        .iter()
        .filter_map(|x| {
            x.total.filter(|_| x.status == "submitted").map(|t| Score {
                item: x.item_id.to_string(),
                reviewer: x.expert_id.to_string(),
                score: t,
            })
        })
        .collect();
    let ranked = kechuang_assignment::scores::rank(&scores, aggregate).map_err(|e| {
        tracing::error!(error = %e, "score aggregation failed");
        ApiError::internal()
    })?;
    let normalized = kechuang_assignment::scores::normalize(&scores).map_err(|e| {
        tracing::error!(error = %e, "score normalization failed");
        ApiError::internal()
    })?;
    let id = |s: &str| s.parse::<i64>().unwrap_or_default();
    let by_item: HashMap<i64, &Item> = items.iter().map(|i| (i.id, i)).collect();
    let mut rows: Vec<ResultRow> = ranked
        .iter()
        .map(|r| {
            let item_id = id(&r.item);
            let item = by_item.get(&item_id);
            ResultRow {
                rank: Some(r.rank),
                item_id,
                title: item.map(|i| i.title.clone()).unwrap_or_default(),
                org_name: item.and_then(|i| i.org_name.clone()),
                value: Some(r.value),
                mean: Some(r.mean),
                trimmed_mean: Some(r.trimmed_mean),
                normalized_mean: Some(r.normalized_mean),
                reviews: r
                    .reviews
                    .iter()
                    .map(|v| ReviewScore {
                        expert_id: id(&v.reviewer),
                        expert_name: names.get(&id(&v.reviewer)).copied().unwrap_or("").into(),
                        raw: v.raw,
                        normalized: v.normalized,
                    })
                    .collect(),
            }
        })
        .collect();
    for i in items {
        if !rows.iter().any(|r| r.item_id == i.id) {
            rows.push(ResultRow {
                rank: None,
                item_id: i.id,
                title: i.title.clone(),
                org_name: i.org_name.clone(),
                value: None,
                mean: None,
                trimmed_mean: None,
                normalized_mean: None,
                reviews: Vec::new(),
            });
        }
    }
    let reviewers = normalized
        .reviewers
        .iter()
        .map(|r| ReviewerRow {
            expert_id: id(&r.reviewer),
            expert_name: names.get(&id(&r.reviewer)).copied().unwrap_or("").into(),
            items: r.items,
            mean: r.mean,
            sd: r.sd,
            calibrated: r.calibrated,
        })
        .collect();
    Ok(Results {
        expected: assignments
            .iter()
            .filter(|x| x.status != "declined")
            .count(),
        submitted: scores.len(),
        by: by.to_owned(),
        round,
        rows,
        reviewers,
    })
}
