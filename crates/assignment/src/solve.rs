//! Optimal mode: candidate graph → min-cost flow → full-graph certificate → (re-solve).

use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use serde::Serialize;

use crate::affinity::{Affinity, INELIGIBLE};
use crate::flow::{Flow, Graph};
use crate::scaling::{self, Cold};
use crate::{Error, Shortfall};

/// Options of the optimal solver.
#[derive(Debug, Clone)]
pub struct Options {
    /// Reviewers per application (exactly this many, or [`Error::Infeasible`]).
    pub k: u32,
    /// Candidates kept per application in the first round (top by affinity). `0` = `max(8k, 24)`.
    pub candidates: usize,
    /// Worker threads for candidate generation and the certificate. `0` = all cores.
    pub threads: usize,
    /// Give up (with [`Error::NotConverged`]) after this many solve rounds.
    pub max_rounds: u32,
    /// How a round is solved from nothing (benchmarks and tests pin one; `Auto` otherwise).
    pub method: Method,
}

/// The cold solve of a candidate graph.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Method {
    /// Successive shortest paths while they stay cheap, cost scaling for tight loads or once
    /// the paths' budget is spent; feasibility questions by maximum flow.
    #[default]
    Auto,
    /// Successive shortest paths only (feasibility included).
    Paths,
    /// Maximum flow, then cost scaling.
    Scaling,
}

impl Options {
    pub fn new(k: u32) -> Self {
        Options {
            k,
            candidates: 0,
            threads: 0,
            max_rounds: 50,
            method: Method::Auto,
        }
    }
    fn threads(&self) -> usize {
        if self.threads > 0 {
            self.threads
        } else {
            std::thread::available_parallelism().map_or(1, |n| n.get())
        }
    }
    fn candidates(&self) -> usize {
        if self.candidates > 0 {
            self.candidates
        } else {
            (8 * self.k as usize).max(24)
        }
    }
}

/// Counters of one solve.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Stats {
    /// Flow solves (1 if the first candidate graph was already provably optimal).
    pub rounds: u32,
    /// Pairs in the final candidate graph.
    pub candidate_pairs: usize,
    /// Pairs added because the certificate found them violating (over all rounds).
    pub added_pairs: usize,
    /// Pairs looked at by the candidate scan (every pair of the full graph, once).
    pub scanned_pairs: u64,
    /// Rows proven without a rescan: the best affinity left out of the row by the candidate
    /// scan is ≤ u_a (all rounds).
    pub rows_bounded: u64,
    /// Pairs the optimality proof covers: every pair of the full graph (each examined once by
    /// the candidate scan, whose bound on excluded pairs the certificate uses).
    pub checked_pairs: u64,
    /// Pairs re-examined exactly by certificate rescans (all rounds).
    pub rescanned_pairs: u64,
    /// Shortest-path augmentations (all rounds).
    pub augmentations: u64,
    /// Nodes settled by Dijkstra (all rounds).
    pub settled: u64,
    /// Nodes settled by Dijkstra, per round.
    pub settled_per_round: Vec<u64>,
    /// Rounds that re-routed only the offending applications (warm start).
    pub warm_rounds: u32,
    /// Cold rounds solved by cost scaling (the others by successive shortest paths).
    pub scaled_rounds: u32,
    /// Rows rescanned by the certificate over all rounds (a warm round re-proves only rows whose
    /// dual fell).
    pub rows_checked: u64,
    /// Seconds: candidate generation, flow solves, certificate passes.
    pub candidates_s: f64,
    pub flow_s: f64,
    pub certify_s: f64,
    /// Fairness mode: the bottleneck threshold τ* (micro-units).
    pub fairness_threshold: Option<i64>,
}

/// A provably optimal assignment.
#[derive(Debug, Clone, Serialize)]
pub struct Solution {
    pub k: u32,
    /// Per application: `(expert, affinity)` sorted by affinity descending, then expert.
    pub assignment: Vec<Vec<(u32, i64)>>,
    /// Reviews per expert.
    pub loads: Vec<u32>,
    /// Σ affinity of assigned pairs (micro-units).
    pub objective: i64,
    /// Dual objective over the full graph: an upper bound on any assignment (micro-units).
    pub bound: i64,
    /// Dual `u_a` per application.
    pub app_dual: Vec<i64>,
    /// Dual price `p_e ≥ 0` per expert (0 when it has spare capacity; unavailable experts
    /// (capacity 0) are reported as 0 and left out of the certificate: their price may be
    /// taken arbitrarily high at no cost in the bound).
    pub expert_price: Vec<i64>,
    pub stats: Stats,
}

impl Solution {
    /// `bound − objective` (0 = proven optimal).
    pub fn gap(&self) -> i64 {
        self.bound - self.objective
    }
    /// Whether expert `e` is assigned to application `a`.
    pub fn is_assigned(&self, a: usize, e: usize) -> bool {
        self.assignment
            .get(a)
            .is_some_and(|r| r.iter().any(|&(x, _)| x as usize == e))
    }
}

/// Run `f(range, scratch_row)` over chunks of applications on `threads` threads; results in
/// application order.
pub(crate) fn par_chunks<T: Send>(
    n: usize,
    width: usize,
    threads: usize,
    f: impl Fn(std::ops::Range<usize>, &mut Vec<i64>) -> T + Sync,
) -> Vec<T> {
    const CHUNK: usize = 64;
    let chunks = n.div_ceil(CHUNK);
    let next = AtomicUsize::new(0);
    let out: Mutex<Vec<(usize, T)>> = Mutex::new(Vec::with_capacity(chunks));
    std::thread::scope(|s| {
        for _ in 0..threads.clamp(1, chunks.max(1)) {
            s.spawn(|| {
                let mut row = vec![0i64; width];
                let mut local = Vec::new();
                loop {
                    let c = next.fetch_add(1, Ordering::Relaxed);
                    if c >= chunks {
                        break;
                    }
                    let r = c * CHUNK..((c + 1) * CHUNK).min(n);
                    local.push((c, f(r, &mut row)));
                }
                if let Ok(mut o) = out.lock() {
                    o.extend(local);
                }
            });
        }
    });
    let mut v = out.into_inner().unwrap_or_default();
    v.sort_unstable_by_key(|x| x.0);
    v.into_iter().map(|x| x.1).collect()
}

/// Visit the eligible, available experts of row `a`.
#[inline]
fn scan_row<A: Affinity>(
    aff: &A,
    a: usize,
    cap: &[u32],
    row: &mut [i64],
    mut visit: impl FnMut(u32, i64),
) {
    if let Some((es, ws)) = aff.sparse_row(a) {
        for (&e, &w) in es.iter().zip(ws) {
            if w != INELIGIBLE && cap[e as usize] > 0 {
                visit(e, w);
            }
        }
    } else {
        aff.fill_row(a, row);
        for (e, &w) in row.iter().enumerate() {
            if w != INELIGIBLE && cap[e] > 0 {
                visit(e as u32, w);
            }
        }
    }
}

/// Keep the `l` best `(w, e)` (ties: lower expert index first).
fn top_l(buf: &mut Vec<(i64, u32)>, l: usize) {
    if buf.len() > l {
        buf.select_nth_unstable_by(l - 1, |x, y| y.0.cmp(&x.0).then(x.1.cmp(&y.1)));
        buf.truncate(l);
    }
}

struct Rows {
    rows: Vec<Vec<(u32, i64)>>,
    /// Largest eligible affinity anywhere in the full graph.
    wmax: i64,
    /// Row holds every eligible available expert of its application.
    complete: Vec<bool>,
    /// Every eligible available pair of the row *outside* its candidates has affinity at most
    /// this (`i64::MIN` for a complete row). Recorded by the scan that chose the candidates.
    excluded_max: Vec<i64>,
}

/// The best `l` eligible available experts of row `a` (ties: lower index first), the bound on
/// the rest (`i64::MIN` if none was left out) and the number of pairs looked at.
fn top_row<A: Affinity>(
    aff: &A,
    a: usize,
    cap: &[u32],
    blocked: &[u32],
    row: &mut [i64],
    buf: &mut Vec<(i64, u32)>,
    l: usize,
) -> (Vec<(u32, i64)>, i64, u64) {
    let l = l.max(1);
    buf.clear();
    let mut truncated = false;
    let scanned;
    if let Some((es, ws)) = aff.sparse_row(a) {
        for (&e, &w) in es.iter().zip(ws) {
            if w != INELIGIBLE && cap[e as usize] > 0 {
                buf.push((w, e));
            }
        }
        scanned = es.len() as u64;
    } else {
        aff.fill_row(a, row);
        for &e in blocked {
            row[e as usize] = INELIGIBLE;
        }
        let mut thr = INELIGIBLE + 1;
        for (e, &w) in row.iter().enumerate() {
            if w >= thr {
                buf.push((w, e as u32));
                if buf.len() >= 4 * l {
                    top_l(buf, l);
                    truncated = true;
                    thr = buf.iter().map(|x| x.0).min().unwrap_or(thr);
                }
            }
        }
        scanned = row.len() as u64;
    }
    let before = buf.len();
    top_l(buf, l);
    let excluded = if truncated || buf.len() < before {
        buf.iter().map(|x| x.0).min().unwrap_or(i64::MAX)
    } else {
        i64::MIN
    };
    (
        buf.iter().map(|&(w, e)| (e, w)).collect(),
        excluded,
        scanned,
    )
}

fn blocked(cap: &[u32]) -> Vec<u32> {
    (0..cap.len())
        .filter(|&e| cap[e] == 0)
        .map(|e| e as u32)
        .collect()
}

fn initial_rows<A: Affinity>(aff: &A, cap: &[u32], l: usize, threads: usize) -> (Rows, u64) {
    let blocked = blocked(cap);
    let parts = par_chunks(aff.applications(), aff.experts(), threads, |r, row| {
        let mut out = Vec::with_capacity(r.len());
        let mut buf: Vec<(i64, u32)> = Vec::with_capacity(4 * l + 4);
        let mut wmax = i64::MIN;
        let mut scanned = 0;
        for a in r {
            let (cand, excluded, n) = top_row(aff, a, cap, &blocked, row, &mut buf, l);
            scanned += n;
            wmax = wmax.max(cand.iter().map(|x| x.1).max().unwrap_or(i64::MIN));
            out.push((cand, excluded));
        }
        (out, wmax, scanned)
    });
    let mut rows = Rows {
        rows: Vec::with_capacity(aff.applications()),
        wmax: 0,
        complete: Vec::with_capacity(aff.applications()),
        excluded_max: Vec::with_capacity(aff.applications()),
    };
    let mut scanned = 0;
    for (part, w, n) in parts {
        rows.wmax = rows.wmax.max(w);
        scanned += n;
        for (r, x) in part {
            rows.rows.push(r);
            rows.complete.push(x == i64::MIN);
            rows.excluded_max.push(x);
        }
    }
    (rows, scanned)
}

/// Grow the rows `todo` to twice their candidates (at least 8 more), keeping pairs already
/// added; rows are scanned in parallel (a proof of infeasibility may need every reached row
/// complete, and fairness probes grow 10^5 rows at a time).
fn grow_rows<A: Affinity>(aff: &A, todo: &[usize], cap: &[u32], threads: usize, rows: &mut Rows) {
    let blocked = blocked(cap);
    let lens: Vec<usize> = todo.iter().map(|&a| rows.rows[a].len()).collect();
    let parts = par_chunks(todo.len(), aff.experts(), threads, |r, row| {
        let mut buf = Vec::new();
        r.map(|j| {
            let m = (2 * lens[j]).max(lens[j] + 8);
            let (cand, excluded, _) = top_row(aff, todo[j], cap, &blocked, row, &mut buf, m);
            (cand, excluded)
        })
        .collect::<Vec<_>>()
    });
    for (&a, (cand, excluded)) in todo.iter().zip(parts.into_iter().flatten()) {
        rows.rows[a].extend(cand);
        rows.complete[a] = excluded == i64::MIN;
        rows.excluded_max[a] = excluded;
    }
}

fn to_graph(rows: &mut [Vec<(u32, i64)>]) -> Graph {
    let mut g = Graph {
        offsets: Vec::with_capacity(rows.len() + 1),
        ..Graph::default()
    };
    g.offsets.push(0);
    for r in rows.iter_mut() {
        r.sort_unstable_by(|x, y| y.1.cmp(&x.1).then(x.0.cmp(&y.0)));
        r.dedup_by_key(|x| x.0);
        for &(e, w) in r.iter() {
            g.expert.push(e);
            g.weight.push(w);
        }
        g.offsets.push(g.expert.len());
    }
    g
}

struct Check {
    checked: u64,
    violations: Vec<(u32, Vec<(u32, i64)>)>,
}

/// One parallel pass over the rows with `todo[a]`: every eligible pair outside the candidate
/// graph must satisfy `w ≤ u_a + p_e`; offenders are returned (each application's `l` worst).
#[allow(clippy::too_many_arguments)]
fn certify<A: Affinity>(
    aff: &A,
    cap: &[u32],
    g: &Graph,
    u: &[i64],
    p: &[i64],
    todo: &[bool],
    l: usize,
    threads: usize,
) -> Check {
    // Unavailable experts may be priced arbitrarily high at no cost: never violating.
    let pen: Vec<i64> = p
        .iter()
        .zip(cap)
        .map(|(&x, &c)| if c == 0 { i64::MAX / 4 } else { x })
        .collect();
    let parts = par_chunks(aff.applications(), aff.experts(), threads, |r, row| {
        let mut c = Check {
            checked: 0,
            violations: Vec::new(),
        };
        for a in r.filter(|&a| todo[a]) {
            let ua = u[a];
            let cand = &g.expert[g.row(a)];
            let mut viol: Vec<(u32, i64)> = Vec::new();
            if let Some((es, ws)) = aff.sparse_row(a) {
                for (&e, &w) in es.iter().zip(ws) {
                    if w != INELIGIBLE && w - pen[e as usize] > ua && !cand.contains(&e) {
                        viol.push((e, w));
                    }
                }
                c.checked += es.len() as u64;
            } else {
                aff.fill_row(a, row);
                for &e in cand {
                    row[e as usize] = INELIGIBLE;
                }
                // Branch-free scan (vectorises); the slow path only for offending rows.
                let mut worst = i64::MIN;
                let mut n = 0u64;
                for (&w, &pe) in row.iter().zip(&pen) {
                    let ok = w != INELIGIBLE;
                    n += u64::from(ok);
                    worst = worst.max(if ok { w - pe } else { i64::MIN });
                }
                c.checked += n + cand.len() as u64;
                if worst > ua {
                    for (e, (&w, &pe)) in row.iter().zip(&pen).enumerate() {
                        if w != INELIGIBLE && w - pe > ua {
                            viol.push((e as u32, w));
                        }
                    }
                }
            }
            if !viol.is_empty() {
                viol.sort_unstable_by_key(|&(e, w)| std::cmp::Reverse(w - p[e as usize]));
                viol.truncate(l);
                c.violations.push((a as u32, viol));
            }
        }
        c
    });
    let mut all = Check {
        checked: 0,
        violations: Vec::new(),
    };
    for c in parts {
        all.checked += c.checked;
        all.violations.extend(c.violations);
    }
    all
}

enum Outcome {
    Solved(Box<Solution>),
    Infeasible(Vec<Shortfall>),
}

/// Previous assignment (experts per application), potentials, applications to re-route.
type WarmState = (Vec<Vec<u32>>, Vec<i64>, Vec<bool>);

/// Nodes the successive-shortest-path searches of a cold solve may settle, per node of the
/// graph, before the solve switches to cost scaling. Measured on 10^5 × 3·10^4 × 3 (topic
/// instances of the benchmark): caps at 1.5 × the average load settle 15 per node (1.5 s; cost
/// scaling: 10 s), at 1.2 × 35 per node (3.9 s); at 1.1 × they need ≈ 37 s against 10 s of cost
/// scaling, and at 1.0 × they did not finish in 200 s.
const SSP_BUDGET_PER_NODE: u64 = 40;

/// Total capacity below this percentage of the demand counts as tight from the start: cost
/// scaling without trying successive shortest paths first (which would spend their budget,
/// ≈ 5 s at the size above, and then switch).
const TIGHT_PERCENT: u128 = 115;

fn secs(t: Instant) -> f64 {
    t.elapsed().as_secs_f64()
}

fn run<A: Affinity>(
    aff: &A,
    cap: &[u32],
    opts: &Options,
    feasibility_only: bool,
) -> Result<Outcome, Error> {
    let (na, ne) = (aff.applications(), aff.experts());
    if cap.len() != ne {
        return Err(Error::CapacityLength {
            expected: ne,
            got: cap.len(),
        });
    }
    let threads = opts.threads();
    let l = opts.candidates().max(opts.k as usize);
    let t0 = Instant::now();
    let (mut rows, scanned) = initial_rows(aff, cap, l, threads);
    let mut stats = Stats {
        candidates_s: secs(t0),
        scanned_pairs: scanned,
        checked_pairs: scanned,
        ..Stats::default()
    };
    // Row a was proven (no pair outside its candidates violates) at duals
    // (u_checked[a], p_hist[checked_at[a]]). With current duals (u, p), every such pair has
    // w − u_a − p_e ≤ (u_checked[a] − u_a) + max_e (p_hist[r]_e − p_e), so the row stays
    // proven while u_a ≥ u_checked[a] + drop[r].
    let mut checked = vec![false; na];
    let mut u_checked = vec![0i64; na];
    let mut checked_at = vec![0usize; na];
    let mut p_hist: Vec<Vec<i64>> = Vec::new();
    // Warm start state: previous assignment, potentials, applications to redo. Warm rounds
    // insert the few violating pairs by bounded searches, whichever method solved cold.
    let mut warm: Option<WarmState> = None;
    // Successive shortest paths ran out of budget once: do not try them again in this solve.
    let mut congested = false;
    // Loads near the average from the start: go straight to cost scaling (measured below).
    let demand = na as u64 * u64::from(opts.k);
    let supply: u64 = cap.iter().map(|&c| u64::from(c)).sum();
    let tight = u128::from(supply) * 100 < u128::from(demand) * TIGHT_PERCENT;
    loop {
        stats.rounds += 1;
        if stats.rounds > opts.max_rounds {
            return Err(Error::NotConverged {
                rounds: opts.max_rounds,
            });
        }
        let t1 = Instant::now();
        let g = to_graph(&mut rows.rows);
        let mut flow = Flow::new(&g, ne, cap, rows.wmax);
        let mut short = Vec::new();
        let warmed = match warm.take() {
            Some((assigned, pi, redo)) => flow.warm(&assigned, &pi, &redo),
            None => false,
        };
        if warmed {
            stats.warm_rounds += 1;
        } else {
            flow = Flow::new(&g, ne, cap, rows.wmax);
            // Successive shortest paths while they stay cheap (loose caps: a few nodes per
            // search); past the budget, or for a feasibility question, maximum flow and cost
            // scaling.
            let paths = match opts.method {
                Method::Paths => true,
                Method::Scaling => false,
                Method::Auto => !feasibility_only && !congested && !tight,
            };
            let ssp = if !paths {
                None
            } else if opts.method == Method::Paths {
                Some(flow.run(opts.k))
            } else {
                flow.run_within(opts.k, SSP_BUDGET_PER_NODE * (na + ne) as u64)
            };
            short = if let Some(s) = ssp {
                s
            } else {
                if !feasibility_only {
                    congested = true;
                }
                stats.settled += flow.settled;
                flow = Flow::new(&g, ne, cap, rows.wmax);
                match scaling::cold(&g, ne, cap, flow.wmax(), opts.k, feasibility_only) {
                    Cold::Optimal { assigned, pi } => {
                        if flow.warm(&assigned, &pi, &vec![false; na]) {
                            stats.scaled_rounds += 1;
                            Vec::new()
                        } else {
                            flow = Flow::new(&g, ne, cap, rows.wmax);
                            flow.run(opts.k)
                        }
                    }
                    Cold::Feasible => Vec::new(),
                    Cold::Short(s) => s,
                    Cold::Unsupported => flow.run(opts.k),
                }
            };
            // A cold solve may lower prices: every row must be proven again.
            checked.fill(false);
        }
        stats.flow_s += secs(t1);
        stats.augmentations += flow.augmentations;
        stats.settled += flow.settled;
        stats.settled_per_round.push(flow.settled);
        stats.candidate_pairs = g.expert.len();
        if !short.is_empty() {
            // Infeasible on the candidate graph. Proven over the full graph only if every
            // application the failed searches reached already has its complete row.
            let mut grow = vec![false; na];
            for s in &short {
                for &a in s
                    .reached
                    .iter()
                    .chain(std::iter::once(&(s.application as u32)))
                {
                    grow[a as usize] = !rows.complete[a as usize];
                }
            }
            let todo: Vec<usize> = (0..na).filter(|&a| grow[a]).collect();
            if !todo.is_empty() {
                grow_rows(aff, &todo, cap, threads, &mut rows);
                continue;
            }
            return Ok(Outcome::Infeasible(
                short
                    .iter()
                    .map(|s| Shortfall {
                        application: s.application,
                        id: format!("#{}", s.application),
                        assigned: s.assigned,
                        required: opts.k,
                    })
                    .collect(),
            ));
        }
        if feasibility_only {
            return Ok(Outcome::Solved(Box::new(Solution {
                k: opts.k,
                assignment: Vec::new(),
                loads: Vec::new(),
                objective: 0,
                bound: 0,
                app_dual: Vec::new(),
                expert_price: Vec::new(),
                stats,
            })));
        }
        let (u, p) = flow.duals();
        // A row needs proof if it was never proven at a dual ≤ the current one. The scan that
        // chose its candidates already bounds every other pair by `excluded_max` (and prices
        // are ≥ 0), so only rows where that bound exceeds u_a are rescanned.
        let drop: Vec<i64> = p_hist
            .iter()
            .map(|old| {
                old.iter()
                    .zip(&p)
                    .map(|(&o, &n)| (o - n).max(0))
                    .max()
                    .unwrap_or(0)
            })
            .collect();
        let round = p_hist.len();
        let mut todo = vec![false; na];
        for a in 0..na {
            if checked[a] && u[a] >= u_checked[a].saturating_add(drop[checked_at[a]]) {
                continue;
            }
            checked_at[a] = round;
            if rows.excluded_max[a] <= u[a] {
                stats.rows_bounded += 1;
                checked[a] = true;
                u_checked[a] = u[a];
            } else {
                todo[a] = true;
            }
        }
        let t2 = Instant::now();
        let check = certify(aff, cap, &g, &u, &p, &todo, l, threads);
        stats.certify_s += secs(t2);
        stats.rescanned_pairs += check.checked;
        stats.rows_checked += todo.iter().filter(|&&x| x).count() as u64;
        for a in (0..na).filter(|&a| todo[a]) {
            checked[a] = true;
            u_checked[a] = u[a];
        }
        p_hist.push(p.clone());
        if !check.violations.is_empty() {
            let mut redo = vec![false; na];
            for (a, v) in check.violations {
                stats.added_pairs += v.len();
                rows.rows[a as usize].extend(v);
                redo[a as usize] = true;
                checked[a as usize] = false;
            }
            warm = Some((flow.assigned_per_app(), flow.potentials(), redo));
            continue;
        }
        let mut assignment = vec![Vec::with_capacity(opts.k as usize); na];
        let mut objective = 0i64;
        let mut z = 0i128;
        for (a, &ua) in u.iter().enumerate() {
            for i in g.row(a) {
                let rc = g.weight[i] - ua - p[g.expert[i] as usize];
                if rc > 0 {
                    z += i128::from(rc);
                }
            }
        }
        let mut edge_app = vec![0usize; g.expert.len()];
        for a in 0..na {
            for i in g.row(a) {
                edge_app[i] = a;
            }
        }
        for i in flow.assigned_edges() {
            assignment[edge_app[i]].push((g.expert[i], g.weight[i]));
            objective += g.weight[i];
        }
        for r in &mut assignment {
            r.sort_unstable_by(|x, y| y.1.cmp(&x.1).then(x.0.cmp(&y.0)));
        }
        let mut bound = z;
        bound += u.iter().map(|&x| i128::from(x)).sum::<i128>() * i128::from(opts.k);
        bound += p
            .iter()
            .zip(cap)
            .map(|(&x, &c)| i128::from(x) * i128::from(c))
            .sum::<i128>();
        let bound = i64::try_from(bound).map_err(|_| Error::Overflow)?;
        return Ok(Outcome::Solved(Box::new(Solution {
            k: opts.k,
            assignment,
            loads: flow.loads().to_vec(),
            objective,
            bound,
            app_dual: u,
            expert_price: p,
            stats,
        })));
    }
}

/// Maximize total affinity with exactly `k` experts per application, at most `cap[e]` per
/// expert, over every eligible pair of `aff`; returns the assignment with a bound proved over
/// the full graph.
pub fn solve<A: Affinity>(aff: &A, cap: &[u32], opts: &Options) -> Result<Solution, Error> {
    match run(aff, cap, opts, false)? {
        Outcome::Solved(s) => Ok(*s),
        Outcome::Infeasible(s) => Err(Error::Infeasible { shortfalls: s }),
    }
}

/// Pairs of `inner` with affinity at least `tau`.
struct AtLeast<'a, A> {
    inner: &'a A,
    tau: i64,
}

impl<A: Affinity> Affinity for AtLeast<'_, A> {
    fn applications(&self) -> usize {
        self.inner.applications()
    }
    fn experts(&self) -> usize {
        self.inner.experts()
    }
    fn fill_row(&self, a: usize, row: &mut [i64]) {
        self.inner.fill_row(a, row);
        for w in row.iter_mut() {
            if *w < self.tau {
                *w = INELIGIBLE;
            }
        }
    }
}

/// Fairness mode (lexicographic, exact):
/// 1. τ* = the largest threshold such that a complete assignment (k per application, loads
///    respected) exists using only pairs with affinity ≥ τ*, found by binary search over the
///    integer affinity range with an exact feasibility oracle (max-flow over the full graph);
///    τ* + 1 is proven infeasible.
/// 2. Among assignments whose every pair has affinity ≥ τ*, the total affinity is maximized
///    and certified exactly like [`solve`].
///
/// So the worst pair any application receives is as good as possible, and nothing is given up
/// in total beyond what that guarantee forces. Intended for round-sized instances (each probe is
/// one flow solve).
pub fn solve_fair<A: Affinity>(aff: &A, cap: &[u32], opts: &Options) -> Result<Solution, Error> {
    let (mut lo, mut hi) = (i64::MAX, i64::MIN);
    let rows = par_chunks(
        aff.applications(),
        aff.experts(),
        opts.threads(),
        |r, row| {
            let (mut lo, mut hi) = (i64::MAX, i64::MIN);
            for a in r {
                scan_row(aff, a, cap, row, |_, w| {
                    lo = lo.min(w);
                    hi = hi.max(w);
                });
            }
            (lo, hi)
        },
    );
    for (l, h) in rows {
        lo = lo.min(l);
        hi = hi.max(h);
    }
    if lo > hi {
        // No eligible pair at all: plain solve reports the shortfall (or k = 0 succeeds).
        return solve(aff, cap, opts);
    }
    // Invariant: lo feasible (checked), hi + 1 infeasible.
    if let Outcome::Infeasible(s) = run(aff, cap, opts, true)? {
        return Err(Error::Infeasible { shortfalls: s });
    }
    while lo < hi {
        let mid = lo + (hi - lo + 1) / 2;
        let probe = AtLeast {
            inner: aff,
            tau: mid,
        };
        match run(&probe, cap, opts, true)? {
            Outcome::Solved(_) => lo = mid,
            Outcome::Infeasible(_) => hi = mid - 1,
        }
    }
    let mut s = solve(
        &AtLeast {
            inner: aff,
            tau: lo,
        },
        cap,
        opts,
    )?;
    s.stats.fairness_threshold = Some(lo);
    Ok(s)
}
