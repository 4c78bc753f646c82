//! Successive shortest paths (Dijkstra with potentials, early stop) for the b-matching
//! `source → application (k) → expert (1 per pair) → sink (cap_e)` on a sparse candidate graph.
//!
//! Costs are `c = wmax − w ≥ 0`. Each augmentation starts at one application with remaining
//! demand and ends at the sink. Potentials `π` keep every residual reduced cost
//! `c(u,v) + π(u) − π(v)` non-negative; after a search that reached the sink at distance `D`,
//! only the settled nodes with `d(v) < D` move (`π(v) += d(v) − D`), so a short search costs
//! only what it touched. `π` never increases. Duals are read relative to `π(sink)`
//! (`u_a = wmax + π_a − π_t`, `p_e = max(0, π_t − π_e)`); a warm-start search that passes
//! through the sink may lower `π_t`, i.e. lower every price it did not touch, which the
//! incremental certificate accounts for.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

const FROM_SINK: u32 = u32::MAX;

#[derive(Debug, Clone, Copy, Default)]
struct Node {
    pi: i64,
    dist: i64,
    stamp: u32,
    done: u32,
    pred: u32,
}

/// Candidate graph in CSR form, rows = applications.
#[derive(Debug, Clone, Default)]
pub(crate) struct Graph {
    pub offsets: Vec<usize>,
    pub expert: Vec<u32>,
    pub weight: Vec<i64>,
}

impl Graph {
    pub fn applications(&self) -> usize {
        self.offsets.len().saturating_sub(1)
    }
    pub fn row(&self, a: usize) -> std::ops::Range<usize> {
        self.offsets[a]..self.offsets[a + 1]
    }
}

/// An application that could not get all its units, with the applications its last failed
/// search reached (a set whose eligible experts are all full).
#[derive(Debug, Clone)]
pub(crate) struct Short {
    pub application: usize,
    pub assigned: u32,
    pub reached: Vec<u32>,
}

pub(crate) struct Flow<'g> {
    g: &'g Graph,
    na: usize,
    ne: usize,
    cap: &'g [u32],
    wmax: i64,
    edge_app: Vec<u32>,
    on: Vec<bool>,
    load: Vec<u32>,
    /// Warm start: new candidate edges with negative reduced cost not yet inserted (not part
    /// of the residual graph until then).
    pending: Vec<bool>,
    /// Node that ends the current search besides the sink (`usize::MAX`: none).
    target: usize,
    /// Units the sink may still absorb (`u64::MAX` in a cold solve).
    t_demand: u64,
    /// Best tentative distance of a target in the current search.
    bound: i64,
    by_expert: Vec<Vec<u32>>,
    /// Per node (applications, experts, sink): potential and Dijkstra scratch, kept together
    /// so a relaxation touches one cache line.
    node: Vec<Node>,
    epoch: u32,
    heap: BinaryHeap<Reverse<(i64, u32)>>,
    visited: Vec<u32>,
    pub augmentations: u64,
    pub settled: u64,
}

impl<'g> Flow<'g> {
    /// `wmax` must be at least every weight of `g` (and stay the same across warm starts).
    pub fn new(g: &'g Graph, ne: usize, cap: &'g [u32], wmax: i64) -> Self {
        let na = g.applications();
        let wmax = g.weight.iter().copied().max().unwrap_or(0).max(wmax);
        let mut edge_app = vec![0u32; g.expert.len()];
        for a in 0..na {
            for i in g.row(a) {
                edge_app[i] = a as u32;
            }
        }
        let n = na + ne + 1;
        Flow {
            g,
            na,
            ne,
            cap,
            wmax,
            edge_app,
            on: vec![false; g.expert.len()],
            load: vec![0; ne],
            pending: vec![false; g.expert.len()],
            target: usize::MAX,
            t_demand: u64::MAX,
            bound: i64::MAX,
            by_expert: vec![Vec::new(); ne],
            node: vec![Node::default(); n],
            epoch: 0,
            heap: BinaryHeap::new(),
            visited: Vec::new(),
            augmentations: 0,
            settled: 0,
        }
    }

    /// Route `k` units from every application; returns the applications left short.
    pub fn run(&mut self, k: u32) -> Vec<Short> {
        self.run_within(k, u64::MAX).unwrap_or_default()
    }

    /// [`Flow::run`], giving up (`None`) once the searches have settled more than `budget`
    /// nodes: on congested instances each late search crosses most of the graph, and cost
    /// scaling is the better method.
    pub fn run_within(&mut self, k: u32, budget: u64) -> Option<Vec<Short>> {
        let mut short = Vec::new();
        for a in 0..self.na {
            if self.settled > budget {
                return None;
            }
            for got in 0..k {
                if let Err(reached) = self.augment(a) {
                    short.push(Short {
                        application: a,
                        assigned: got,
                        reached,
                    });
                    break;
                }
            }
        }
        Some(short)
    }

    fn next_epoch(&mut self) -> u32 {
        if self.epoch == u32::MAX {
            for x in &mut self.node {
                x.stamp = 0;
                x.done = 0;
            }
            self.epoch = 0;
        }
        self.epoch += 1;
        self.epoch
    }

    /// Relax `node` to distance `nd`. Pushes nothing at or beyond `self.bound`, the best
    /// tentative distance of a target found so far: such a node cannot lie on a shorter path
    /// to a target (reduced costs are non-negative), and it will not be settled before the
    /// target, so potentials are unaffected.
    #[inline]
    fn relax(&mut self, node: usize, nd: i64, via: u32, ep: u32) {
        if nd >= self.bound {
            return;
        }
        let x = &mut self.node[node];
        if x.done == ep {
            return;
        }
        if x.stamp != ep || nd < x.dist {
            x.stamp = ep;
            x.dist = nd;
            x.pred = via;
            self.heap.push(Reverse((nd, node as u32)));
            let t = self.na + self.ne;
            if node == self.target || (node == t && self.t_demand > 0) {
                self.bound = nd;
            }
        }
    }

    /// Dijkstra from `source` over the residual graph (reduced costs), stopping at the first
    /// target popped: the sink while `t_demand > 0`, or `self.target`. Nothing at distance
    /// `≥ radius` is explored. Potentials of settled nodes closer than the stopping distance
    /// `D` (the target's, or `radius` if none was reached) move by `d(v) − D`. Returns the
    /// target reached.
    fn search(&mut self, source: usize, radius: i64) -> Option<usize> {
        let ep = self.next_epoch();
        let (na, t) = (self.na, self.na + self.ne);
        let g = self.g;
        self.visited.clear();
        self.heap.clear();
        self.bound = radius;
        self.node[source].stamp = ep;
        self.node[source].dist = 0;
        self.heap.push(Reverse((0, source as u32)));
        let mut found = None;
        while let Some(Reverse((d, v))) = self.heap.pop() {
            let v = v as usize;
            if self.node[v].done == ep || d > self.node[v].dist {
                continue;
            }
            self.node[v].done = ep;
            self.visited.push(v as u32);
            if v == self.target || (v == t && self.t_demand > 0) {
                found = Some((d, v));
                break;
            }
            if v == t {
                // Sink as a pass-through node: `t → e` moves a sink slot away from an expert
                // that has one.
                let pt = self.node[t].pi;
                for e in 0..self.ne {
                    if self.load[e] > 0 {
                        let node = na + e;
                        let rc = pt - self.node[node].pi;
                        debug_assert!(rc >= 0);
                        self.relax(node, d + rc, FROM_SINK, ep);
                    }
                }
                continue;
            }
            if v < na {
                let pa = self.node[v].pi;
                for i in g.row(v) {
                    if self.on[i] || self.pending[i] {
                        continue;
                    }
                    let node = na + g.expert[i] as usize;
                    let rc = self.wmax - g.weight[i] + pa - self.node[node].pi;
                    debug_assert!(rc >= 0, "negative reduced cost {rc}");
                    self.relax(node, d + rc, i as u32, ep);
                }
            } else {
                let e = v - na;
                let pe = self.node[v].pi;
                if self.load[e] < self.cap[e] {
                    let rc = pe - self.node[t].pi;
                    debug_assert!(rc >= 0);
                    self.relax(t, d + rc, e as u32, ep);
                }
                for j in 0..self.by_expert[e].len() {
                    let i = self.by_expert[e][j] as usize;
                    let a = self.edge_app[i] as usize;
                    let rc = -(self.wmax - g.weight[i]) + pe - self.node[a].pi;
                    debug_assert!(rc >= 0, "negative reverse reduced cost {rc}");
                    self.relax(a, d + rc, i as u32, ep);
                }
            }
        }
        self.settled += self.visited.len() as u64;
        let big_d = match found {
            Some((d, _)) => d,
            None if radius < i64::MAX => radius,
            None => return None,
        };
        for &v in &self.visited {
            let v = v as usize;
            if self.node[v].dist < big_d {
                self.node[v].pi += self.node[v].dist - big_d;
            }
        }
        found.map(|f| f.1)
    }

    /// Flip the search-tree path that ends at expert `e` (reached from an application by a
    /// forward edge, or from the sink) back to `stop` (an expert, or the source application).
    fn flip_from_expert(&mut self, mut e: usize, stop_expert: usize, source_app: usize) {
        let (na, t) = (self.na, self.na + self.ne);
        let g = self.g;
        loop {
            if e == stop_expert {
                return;
            }
            let p = self.node[na + e].pred;
            if p == FROM_SINK {
                // e gave its sink slot to the expert that reached the sink.
                self.load[e] -= 1;
                e = self.node[t].pred as usize;
                self.load[e] += 1;
                continue;
            }
            let i = p as usize;
            self.on[i] = true;
            self.by_expert[e].push(i as u32);
            let a = self.edge_app[i] as usize;
            if a == source_app {
                return;
            }
            let back = self.node[a].pred as usize;
            self.on[back] = false;
            let e2 = g.expert[back] as usize;
            if let Some(pos) = self.by_expert[e2].iter().position(|&x| x as usize == back) {
                self.by_expert[e2].swap_remove(pos);
            }
            e = e2;
        }
    }

    /// One shortest augmenting path from application `a0` to the sink.
    fn augment(&mut self, a0: usize) -> Result<(), Vec<u32>> {
        let na = self.na;
        let t = na + self.ne;
        if self.search(a0, i64::MAX).is_none() {
            return Err(self
                .visited
                .iter()
                .copied()
                .filter(|&v| (v as usize) < na)
                .collect());
        }
        let e = self.node[t].pred as usize;
        self.load[e] += 1;
        self.flip_from_expert(e, usize::MAX, a0);
        self.augmentations += 1;
        Ok(())
    }

    /// Add candidate edge `i0` (application a → expert e) whose reduced cost is negative,
    /// keeping the flow optimal: search from `e` back to `a` within radius `δ = −rc`; if `a` is
    /// closer than `δ` the cycle `a → e ⇝ a` has negative cost and one unit goes round it,
    /// otherwise the potential update alone makes the edge's reduced cost 0.
    fn insert(&mut self, i0: usize) {
        let na = self.na;
        let g = self.g;
        let a = self.edge_app[i0] as usize;
        let e = g.expert[i0] as usize;
        let rc = self.wmax - g.weight[i0] + self.node[a].pi - self.node[na + e].pi;
        self.pending[i0] = false;
        if rc >= 0 {
            return;
        }
        let saved = self.t_demand;
        self.t_demand = 0;
        self.target = a;
        let reached = self.search(na + e, -rc);
        self.target = usize::MAX;
        self.t_demand = saved;
        if reached == Some(a) {
            // a reached by a reverse edge (a assigned to some expert): walk the cycle.
            let back = self.node[a].pred as usize;
            self.on[back] = false;
            let e2 = g.expert[back] as usize;
            if let Some(pos) = self.by_expert[e2].iter().position(|&x| x as usize == back) {
                self.by_expert[e2].swap_remove(pos);
            }
            self.flip_from_expert(e2, e, usize::MAX);
            self.on[i0] = true;
            self.by_expert[e].push(i0 as u32);
            self.augmentations += 1;
        }
    }

    /// Warm start on a graph whose rows only grew for the applications in `redo`: restore the
    /// previous optimal assignment and potentials, then insert the new edges with negative
    /// reduced cost one at a time ([`Flow::insert`]). Potentials only fall, so prices never
    /// fall. `false` if the previous state does not fit the graph (then solve cold).
    pub fn warm(&mut self, assigned: &[Vec<u32>], pi: &[i64], redo: &[bool]) -> bool {
        let na = self.na;
        let g = self.g;
        if pi.len() != self.node.len() || assigned.len() != na || redo.len() != na {
            return false;
        }
        for (x, &p) in self.node.iter_mut().zip(pi) {
            x.pi = p;
        }
        for (a, experts) in assigned.iter().enumerate() {
            for &e in experts {
                let Some(i) = g.row(a).find(|&i| g.expert[i] == e) else {
                    return false;
                };
                self.on[i] = true;
                self.by_expert[e as usize].push(i as u32);
                self.load[e as usize] += 1;
            }
        }
        let mut todo = Vec::new();
        for a in (0..na).filter(|&a| redo[a]) {
            for i in g.row(a) {
                let node = na + g.expert[i] as usize;
                if !self.on[i] && self.wmax - g.weight[i] + self.node[a].pi - self.node[node].pi < 0
                {
                    self.pending[i] = true;
                    todo.push(i);
                }
            }
        }
        for i in todo {
            self.insert(i);
        }
        true
    }

    pub fn wmax(&self) -> i64 {
        self.wmax
    }

    /// Experts assigned to each application.
    pub fn assigned_per_app(&self) -> Vec<Vec<u32>> {
        let mut v = vec![Vec::new(); self.na];
        for i in self.assigned_edges() {
            v[self.edge_app[i] as usize].push(self.g.expert[i]);
        }
        v
    }

    pub fn potentials(&self) -> Vec<i64> {
        self.node.iter().map(|x| x.pi).collect()
    }

    /// Assigned edges (indices into the graph).
    pub fn assigned_edges(&self) -> impl Iterator<Item = usize> + '_ {
        self.on
            .iter()
            .enumerate()
            .filter(|(_, on)| **on)
            .map(|(i, _)| i)
    }

    pub fn loads(&self) -> &[u32] {
        &self.load
    }

    /// LP duals of the max-affinity problem: `u_a` (free, one per application) and
    /// `p_e ≥ 0` (zero for experts with spare capacity) with `w ≤ u_a + p_e` on every
    /// unassigned candidate pair and `w ≥ u_a + p_e` on every assigned one.
    pub fn duals(&self) -> (Vec<i64>, Vec<i64>) {
        let t = self.na + self.ne;
        let pt = self.node[t].pi;
        let u = (0..self.na)
            .map(|a| self.wmax + self.node[a].pi - pt)
            .collect();
        let p = (0..self.ne)
            .map(|e| (pt - self.node[self.na + e].pi).max(0))
            .collect();
        (u, p)
    }
}
