//! Cold solves of the candidate graph for congested instances: a maximum flow (Dinic) decides
//! feasibility, then cost scaling (Goldberg–Tarjan push-relabel with ε-scaling) finds the
//! min-cost flow, and one shortest-path pass turns its scaled prices into exact integer
//! potentials in the convention of [`crate::flow::Flow`].
//!
//! Why: successive shortest paths route one unit per Dijkstra search. When every expert's cap
//! is near the average load, the last units must travel across most of the graph, so each of
//! the last searches settles most nodes (10^5 × 3·10^4 × 3 at caps equal to the average did
//! not finish in 200 s). Cost scaling moves every unit at once by local pushes, and its work
//! per phase does not grow with congestion in the same way.
//!
//! Exactness: costs `c = (wmax − w)·S` with `S = n + 1` (n nodes); a flow that is ε-optimal for
//! ε = 1 in scaled units is optimal for the integer costs (Goldberg–Tarjan). Its prices are
//! then rounded down to original units, where every residual reduced cost is ≥ −1, and a
//! label-correcting pass (no negative cycle exists, the flow being optimal) lowers them to
//! potentials with every residual reduced cost ≥ 0. The certificate in `solve` checks the
//! result as it checks any flow's duals.

use std::collections::VecDeque;

use crate::flow::{Graph, Short};

/// Outcome of a cold solve.
pub(crate) enum Cold {
    /// Optimal flow: experts per application and potentials (applications, experts, sink).
    Optimal {
        assigned: Vec<Vec<u32>>,
        pi: Vec<i64>,
    },
    /// Feasible (asked for feasibility only).
    Feasible,
    /// Infeasible on this graph: the applications left short (the first carries the set of
    /// applications reachable from the short ones in the residual graph, a Hall violator of
    /// the candidate graph).
    Short(Vec<Short>),
    /// Cost range too wide to scale inside i64, or the work guard tripped: use successive
    /// shortest paths.
    Unsupported,
}

/// ε shrinks by this factor per refine.
const ALPHA: i64 = 3;

/// Nodes with excess, first in first out, each queued once.
struct Active {
    queued: Vec<bool>,
    queue: VecDeque<usize>,
}

impl Active {
    fn new(n: usize) -> Self {
        Active {
            queued: vec![false; n],
            queue: VecDeque::new(),
        }
    }
    fn push(&mut self, v: usize) {
        if !self.queued[v] {
            self.queued[v] = true;
            self.queue.push_back(v);
        }
    }
    fn pop(&mut self) -> Option<usize> {
        let v = self.queue.pop_front()?;
        self.queued[v] = false;
        Some(v)
    }
}

struct Net<'g> {
    g: &'g Graph,
    na: usize,
    ne: usize,
    cap: &'g [u32],
    edge_app: Vec<u32>,
    /// CSR: the edges of each expert.
    ex_off: Vec<usize>,
    ex_edges: Vec<u32>,
    on: Vec<bool>,
    load: Vec<u32>,
    /// Units assigned per application.
    fa: Vec<u32>,
}

impl<'g> Net<'g> {
    fn new(g: &'g Graph, ne: usize, cap: &'g [u32]) -> Self {
        let na = g.applications();
        let m = g.expert.len();
        let mut edge_app = vec![0u32; m];
        let mut ex_off = vec![0usize; ne + 1];
        for a in 0..na {
            for i in g.row(a) {
                edge_app[i] = a as u32;
                ex_off[g.expert[i] as usize + 1] += 1;
            }
        }
        for e in 0..ne {
            ex_off[e + 1] += ex_off[e];
        }
        let mut fill = ex_off.clone();
        let mut ex_edges = vec![0u32; m];
        for (i, &e) in g.expert.iter().enumerate() {
            ex_edges[fill[e as usize]] = i as u32;
            fill[e as usize] += 1;
        }
        Net {
            g,
            na,
            ne,
            cap,
            edge_app,
            ex_off,
            ex_edges,
            on: vec![false; m],
            load: vec![0; ne],
            fa: vec![0; na],
        }
    }

    fn expert_edges(&self, e: usize) -> &[u32] {
        &self.ex_edges[self.ex_off[e]..self.ex_off[e + 1]]
    }

    /// Maximum flow (every application asks `k`). `Ok(())` if every application gets `k`,
    /// otherwise the applications reachable from the short ones (the source side of a minimum
    /// cut).
    fn max_flow(&mut self, k: u32) -> Result<(), Vec<u32>> {
        let (na, g) = (self.na, self.g);
        // Greedy start: rows are sorted by affinity, so this is also a good cost start.
        for a in 0..na {
            for i in g.row(a) {
                if self.fa[a] == k {
                    break;
                }
                let e = g.expert[i] as usize;
                if self.load[e] < self.cap[e] {
                    self.on[i] = true;
                    self.load[e] += 1;
                    self.fa[a] += 1;
                }
            }
        }
        let n = na + self.ne;
        let mut level = vec![u32::MAX; n];
        let mut cur = vec![0usize; n];
        let mut queue = VecDeque::new();
        loop {
            level.fill(u32::MAX);
            queue.clear();
            for a in (0..na).filter(|&a| self.fa[a] < k) {
                level[a] = 0;
                queue.push_back(a);
            }
            if queue.is_empty() {
                return Ok(());
            }
            let mut sink_level = u32::MAX;
            while let Some(v) = queue.pop_front() {
                let lv = level[v];
                if lv + 1 >= sink_level {
                    continue;
                }
                if v < na {
                    for i in g.row(v) {
                        let w = na + g.expert[i] as usize;
                        if !self.on[i] && level[w] == u32::MAX {
                            level[w] = lv + 1;
                            queue.push_back(w);
                        }
                    }
                } else {
                    let e = v - na;
                    if self.load[e] < self.cap[e] {
                        sink_level = sink_level.min(lv + 1);
                        continue;
                    }
                    for &i in self.expert_edges(e) {
                        let i = i as usize;
                        let a = self.edge_app[i] as usize;
                        if self.on[i] && level[a] == u32::MAX {
                            level[a] = lv + 1;
                            queue.push_back(a);
                        }
                    }
                }
            }
            if sink_level == u32::MAX {
                return Err((0..na)
                    .filter(|&a| level[a] != u32::MAX)
                    .map(|a| a as u32)
                    .collect());
            }
            // Blocking flow along level-increasing arcs (iterative DFS, current-arc pointers).
            cur[..na].copy_from_slice(&g.offsets[..na]);
            cur[na..na + self.ne].copy_from_slice(&self.ex_off[..self.ne]);
            let mut path: Vec<(usize, usize)> = Vec::new(); // (node, edge used to leave it)
            for a0 in 0..na {
                while self.fa[a0] < k && level[a0] == 0 {
                    path.clear();
                    let mut v = a0;
                    let found = loop {
                        if v >= na {
                            let e = v - na;
                            if level[v] + 1 == sink_level && self.load[e] < self.cap[e] {
                                break true;
                            }
                        }
                        // Next admissible arc of v.
                        let mut next = None;
                        if v < na {
                            while cur[v] < g.offsets[v + 1] {
                                let i = cur[v];
                                let w = na + g.expert[i] as usize;
                                if !self.on[i] && level[w] == level[v] + 1 {
                                    next = Some((i, w));
                                    break;
                                }
                                cur[v] += 1;
                            }
                        } else {
                            let e = v - na;
                            while cur[v] < self.ex_off[e + 1] {
                                let i = self.ex_edges[cur[v]] as usize;
                                let w = self.edge_app[i] as usize;
                                if self.on[i] && level[w] == level[v] + 1 {
                                    next = Some((i, w));
                                    break;
                                }
                                cur[v] += 1;
                            }
                        }
                        match next {
                            Some((i, w)) => {
                                path.push((v, i));
                                v = w;
                            }
                            None => {
                                // Dead end: never enter v again in this phase.
                                level[v] = u32::MAX - 1;
                                match path.pop() {
                                    Some((u, _)) => v = u,
                                    None => break false,
                                }
                            }
                        }
                    };
                    if !found {
                        break;
                    }
                    let e_end = v - na;
                    self.load[e_end] += 1;
                    self.fa[a0] += 1;
                    for &(u, i) in &path {
                        // Leaving an application: a forward arc goes on; leaving an expert: a
                        // reverse arc takes the unit back.
                        self.on[i] = u < na;
                    }
                }
            }
        }
    }

    fn assigned(&self) -> Vec<Vec<u32>> {
        let mut v = vec![Vec::new(); self.na];
        for (i, &on) in self.on.iter().enumerate() {
            if on {
                v[self.edge_app[i] as usize].push(self.g.expert[i]);
            }
        }
        v
    }

    /// Cost scaling from the current feasible flow; exact potentials in original units, or
    /// `None` when the cost range does not fit or the work guard trips.
    fn cost_scale(&mut self, wmax: i64) -> Option<Vec<i64>> {
        let (na, ne, g) = (self.na, self.ne, self.g);
        let t = na + ne;
        let n = t + 1;
        let s = n as i64 + 1;
        let wmin = g.weight.iter().copied().min().unwrap_or(wmax);
        let range = i128::from(wmax) - i128::from(wmin);
        // Prices fall by at most 3nε per refine and the ε sum to < 2·ε₀: stay far inside i64.
        if (range + 1) * i128::from(s) * 8 * n as i128 >= i128::from(i64::MAX) {
            return None;
        }
        let cost: Vec<i64> = g.weight.iter().map(|&w| (wmax - w) * s).collect();
        let cmax = cost.iter().copied().max().unwrap_or(0);
        let mut p = vec![0i64; n];
        let mut ex = vec![0i64; n];
        let mut active = Active::new(n);
        let mut eps = (cmax / ALPHA).max(1);
        // The units each expert holds (its residual arcs back to applications).
        let mut held: Vec<Vec<u32>> = vec![Vec::new(); ne];
        // Experts with units at the sink, by price (max-heap, stale entries skipped): the sink's
        // residual arcs, so that discharging the sink does not scan every expert.
        let mut loaded: std::collections::BinaryHeap<(i64, u32)> =
            std::collections::BinaryHeap::new();
        // Relabels allowed per refine before giving up on this method (the bound for a
        // feasible problem is O(n²); in practice a few per node).
        let guard = 400 * n as u64 + 1_000_000;
        loop {
            // Saturate every arc with negative reduced cost: the flow becomes 0-optimal.
            for (i, &c) in cost.iter().enumerate() {
                let a = self.edge_app[i] as usize;
                let e = na + g.expert[i] as usize;
                let rc = c + p[a] - p[e];
                if !self.on[i] && rc < 0 {
                    self.on[i] = true;
                    ex[a] -= 1;
                    ex[e] += 1;
                } else if self.on[i] && rc > 0 {
                    self.on[i] = false;
                    ex[e] -= 1;
                    ex[a] += 1;
                }
            }
            for e in 0..ne {
                let rc = p[na + e] - p[t];
                if rc < 0 && self.load[e] < self.cap[e] {
                    let d = i64::from(self.cap[e] - self.load[e]);
                    self.load[e] = self.cap[e];
                    ex[na + e] -= d;
                    ex[t] += d;
                } else if rc > 0 && self.load[e] > 0 {
                    let d = i64::from(self.load[e]);
                    self.load[e] = 0;
                    ex[t] -= d;
                    ex[na + e] += d;
                }
            }
            for h in &mut held {
                h.clear();
            }
            for (i, &on) in self.on.iter().enumerate() {
                if on {
                    held[g.expert[i] as usize].push(i as u32);
                }
            }
            loaded.clear();
            for e in 0..ne {
                if self.load[e] > 0 {
                    loaded.push((p[na + e], e as u32));
                }
            }
            for (v, &x) in ex.iter().enumerate() {
                if x > 0 {
                    active.push(v);
                }
            }
            let mut relabels = 0u64;
            while let Some(v) = active.pop() {
                while ex[v] > 0 {
                    // One pass over v's residual arcs: push along admissible ones, and note
                    // the best `p(w) − c(v,w)` among arcs still residual (the relabel).
                    let mut best = i64::MIN;
                    if v < na {
                        for i in g.row(v) {
                            if self.on[i] {
                                continue;
                            }
                            let w = na + g.expert[i] as usize;
                            let val = p[w] - cost[i];
                            if ex[v] > 0 && val > p[v] {
                                self.on[i] = true;
                                held[w - na].push(i as u32);
                                ex[v] -= 1;
                                ex[w] += 1;
                                if ex[w] > 0 {
                                    active.push(w);
                                }
                            } else {
                                best = best.max(val);
                            }
                        }
                    } else if v < t {
                        let e = v - na;
                        if self.load[e] < self.cap[e] {
                            if p[t] > p[v] {
                                let d = ex[v].min(i64::from(self.cap[e] - self.load[e]));
                                if self.load[e] == 0 {
                                    loaded.push((p[v], e as u32));
                                }
                                self.load[e] += d as u32;
                                ex[v] -= d;
                                ex[t] += d;
                                if ex[t] > 0 {
                                    active.push(t);
                                }
                            }
                            if self.load[e] < self.cap[e] {
                                best = best.max(p[t]);
                            }
                        }
                        let mut j = 0;
                        while j < held[e].len() {
                            let i = held[e][j] as usize;
                            let a = self.edge_app[i] as usize;
                            let val = p[a] + cost[i];
                            if ex[v] > 0 && val > p[v] {
                                self.on[i] = false;
                                held[e].swap_remove(j);
                                ex[v] -= 1;
                                ex[a] += 1;
                                if ex[a] > 0 {
                                    active.push(a);
                                }
                            } else {
                                best = best.max(val);
                                j += 1;
                            }
                        }
                    } else {
                        while ex[v] > 0 {
                            let Some(&(pe, e)) = loaded.peek() else {
                                break;
                            };
                            let (e, w) = (e as usize, na + e as usize);
                            if self.load[e] == 0 || p[w] != pe {
                                loaded.pop();
                                continue;
                            }
                            if pe <= p[v] {
                                best = pe;
                                break;
                            }
                            let d = ex[v].min(i64::from(self.load[e]));
                            self.load[e] -= d as u32;
                            ex[v] -= d;
                            ex[w] += d;
                            if self.load[e] == 0 {
                                loaded.pop();
                            }
                            if ex[w] > 0 {
                                active.push(w);
                            }
                        }
                    }
                    if ex[v] > 0 {
                        if best == i64::MIN {
                            // No residual arc left with excess to move: cannot happen on a
                            // feasible problem.
                            return None;
                        }
                        p[v] = best - eps;
                        if v >= na && v < t && self.load[v - na] > 0 {
                            loaded.push((p[v], (v - na) as u32));
                        }
                        relabels += 1;
                        if relabels > guard {
                            return None;
                        }
                    }
                }
            }
            if eps == 1 {
                break;
            }
            eps = (eps / ALPHA).max(1);
        }
        self.exact_potentials(&p, s, wmax)
    }

    /// Round the scaled prices down to original units (residual reduced costs ≥ −1), then
    /// lower them by shortest distances over the residual graph (label correcting; the flow is
    /// optimal, so there is no negative cycle) until every reduced cost is ≥ 0.
    fn exact_potentials(&self, p: &[i64], s: i64, wmax: i64) -> Option<Vec<i64>> {
        let (na, ne, g) = (self.na, self.ne, self.g);
        let t = na + ne;
        let n = t + 1;
        let mut pi: Vec<i64> = p.iter().map(|&x| x.div_euclid(s)).collect();
        let mut queue = Active::new(n);
        for v in 0..n {
            queue.push(v);
        }
        let mut steps = 0u64;
        let guard = 200 * (g.expert.len() as u64 + n as u64) + 1_000_000;
        // π(w) ≤ π(v) + c(v,w) on every residual arc (v,w).
        while let Some(v) = queue.pop() {
            let mut lower = |w: usize, bound: i64, pi: &mut Vec<i64>| {
                if pi[w] > bound {
                    pi[w] = bound;
                    queue.push(w);
                }
            };
            if v < na {
                for i in g.row(v) {
                    if !self.on[i] {
                        let bound = pi[v] + (wmax - g.weight[i]);
                        lower(na + g.expert[i] as usize, bound, &mut pi);
                    }
                }
            } else if v < t {
                let e = v - na;
                if self.load[e] < self.cap[e] {
                    let bound = pi[v];
                    lower(t, bound, &mut pi);
                }
                for j in self.ex_off[e]..self.ex_off[e + 1] {
                    let i = self.ex_edges[j] as usize;
                    if self.on[i] {
                        let bound = pi[v] - (wmax - g.weight[i]);
                        lower(self.edge_app[i] as usize, bound, &mut pi);
                    }
                }
            } else {
                for e in 0..ne {
                    if self.load[e] > 0 {
                        let bound = pi[t];
                        lower(na + e, bound, &mut pi);
                    }
                }
            }
            steps += 1;
            if steps > guard {
                return None;
            }
        }
        Some(pi)
    }
}

/// Solve the candidate graph `g` from nothing: feasibility by maximum flow, then (unless
/// `feasibility_only`) the min-cost flow by cost scaling. `wmax` as in [`crate::flow::Flow`].
pub(crate) fn cold(
    g: &Graph,
    ne: usize,
    cap: &[u32],
    wmax: i64,
    k: u32,
    feasibility_only: bool,
) -> Cold {
    let mut net = Net::new(g, ne, cap);
    if let Err(reached) = net.max_flow(k) {
        let mut first = Some(reached);
        return Cold::Short(
            (0..net.na)
                .filter(|&a| net.fa[a] < k)
                .map(|a| Short {
                    application: a,
                    assigned: net.fa[a],
                    reached: first.take().unwrap_or_default(),
                })
                .collect(),
        );
    }
    if feasibility_only {
        return Cold::Feasible;
    }
    match net.cost_scale(wmax) {
        Some(pi) => Cold::Optimal {
            assigned: net.assigned(),
            pi,
        },
        None => Cold::Unsupported,
    }
}
