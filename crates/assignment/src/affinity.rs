//! Where affinities come from: the [`Affinity`] trait (the *full* graph the certificate is
//! checked over) and two implementations, explicit [`Pairs`] and [`TopicAffinity`].

use crate::Error;

/// Marker for a pair that may not be assigned (conflict, not qualified, affinity unknown).
pub const INELIGIBLE: i64 = i64::MIN;

/// Affinities are integers in micro-units (`round(affinity × 10^6)`); their absolute value must
/// not exceed this (10^6 in original units), which keeps every path length of the flow
/// algorithm far inside `i64`.
pub const MAX_ABS_AFFINITY: i64 = 1_000_000_000_000;

/// Scale between original affinity units and the integer micro-units the solver works in.
pub const SCALE: i64 = 1_000_000;

/// The full bipartite graph of eligible (application, expert) pairs with integer affinities.
///
/// The solver works on a sparse candidate subgraph and then scans every row once (in parallel)
/// to prove that no pair outside it could improve the objective, so `fill_row` must be
/// deterministic and return exactly the values used for candidates.
pub trait Affinity: Sync {
    fn applications(&self) -> usize;
    fn experts(&self) -> usize;
    /// Write the affinity of application `a` to every expert into `row` (length
    /// [`Affinity::experts`]); [`INELIGIBLE`] for pairs that may not be assigned.
    fn fill_row(&self, a: usize, row: &mut [i64]);
    /// Eligible pairs of row `a` if the graph is stored sparsely (`None`: use `fill_row`).
    fn sparse_row(&self, _a: usize) -> Option<(&[u32], &[i64])> {
        None
    }
}

/// Explicit list of eligible pairs (the CSV case): pairs not listed are not eligible.
#[derive(Debug, Clone, Default)]
pub struct Pairs {
    applications: usize,
    experts: usize,
    offsets: Vec<usize>,
    expert: Vec<u32>,
    weight: Vec<i64>,
}

impl Pairs {
    /// Build from `(application, expert, affinity in micro-units)`. Duplicate pairs and
    /// out-of-range indices or affinities are errors.
    pub fn new(
        applications: usize,
        experts: usize,
        mut pairs: Vec<(u32, u32, i64)>,
    ) -> Result<Self, Error> {
        pairs.sort_unstable_by_key(|&(a, e, _)| (a, e));
        let mut offsets = vec![0usize; applications + 1];
        for w in pairs.windows(2) {
            if w[0].0 == w[1].0 && w[0].1 == w[1].1 {
                return Err(Error::DuplicatePair {
                    application: w[0].0 as usize,
                    expert: w[0].1 as usize,
                });
            }
        }
        for &(a, e, w) in &pairs {
            if a as usize >= applications || e as usize >= experts {
                return Err(Error::IndexOutOfRange);
            }
            if !(-MAX_ABS_AFFINITY..=MAX_ABS_AFFINITY).contains(&w) {
                return Err(Error::AffinityOutOfRange { value: w });
            }
            offsets[a as usize + 1] += 1;
        }
        for i in 0..applications {
            offsets[i + 1] += offsets[i];
        }
        Ok(Pairs {
            applications,
            experts,
            offsets,
            expert: pairs.iter().map(|p| p.1).collect(),
            weight: pairs.iter().map(|p| p.2).collect(),
        })
    }

    /// Number of eligible pairs.
    pub fn len(&self) -> usize {
        self.expert.len()
    }

    pub fn is_empty(&self) -> bool {
        self.expert.is_empty()
    }

    /// Affinity of a pair, `None` if not eligible.
    pub fn get(&self, a: usize, e: usize) -> Option<i64> {
        let (es, ws) = self.sparse_row(a)?;
        es.binary_search(&(e as u32)).ok().map(|i| ws[i])
    }
}

impl Affinity for Pairs {
    fn applications(&self) -> usize {
        self.applications
    }
    fn experts(&self) -> usize {
        self.experts
    }
    fn fill_row(&self, a: usize, row: &mut [i64]) {
        row.fill(INELIGIBLE);
        if let Some((es, ws)) = self.sparse_row(a) {
            for (&e, &w) in es.iter().zip(ws) {
                row[e as usize] = w;
            }
        }
    }
    fn sparse_row(&self, a: usize) -> Option<(&[u32], &[i64])> {
        let r = *self.offsets.get(a)?..*self.offsets.get(a + 1)?;
        Some((&self.expert[r.clone()], &self.weight[r]))
    }
}

/// Dimension of [`TopicAffinity`] vectors.
pub const TOPICS: usize = 16;

/// Affinity as the integer dot product of small topic vectors (each component in
/// `-1000..=1000`, so for unit vectors quantised at scale 1000 the affinity is
/// `cosine × 10^6` in micro-units). Conflicts are per-application sorted expert lists.
///
/// Stored for speed: expert vectors by topic (one contiguous column per topic), application
/// vectors as their non-zero components; a row is computed in blocks of `i32` accumulators
/// (exact: |Σ| ≤ 16 × 10^6), so `fill_row` runs at memory speed and gives exactly
/// [`TopicAffinity::pair`] for every pair.
#[derive(Debug, Clone)]
pub struct TopicAffinity {
    apps: Vec<[i16; TOPICS]>,
    app_nz: Vec<Vec<(u8, i32)>>,
    experts: usize,
    columns: Vec<i16>,
    conflict_offsets: Vec<usize>,
    conflicts: Vec<u32>,
}

impl TopicAffinity {
    /// `conflicts[a]` lists the experts application `a` may not get (any order, duplicates ok).
    pub fn new(
        apps: Vec<[i16; TOPICS]>,
        experts: Vec<[i16; TOPICS]>,
        conflicts: Vec<Vec<u32>>,
    ) -> Result<Self, Error> {
        if conflicts.len() != apps.len() {
            return Err(Error::IndexOutOfRange);
        }
        let ok = |v: &[i16; TOPICS]| v.iter().all(|&x| (-1000..=1000).contains(&x));
        if !apps.iter().all(ok) || !experts.iter().all(ok) {
            return Err(Error::AffinityOutOfRange { value: 1001 });
        }
        let mut conflict_offsets = Vec::with_capacity(apps.len() + 1);
        conflict_offsets.push(0);
        let mut flat = Vec::new();
        for mut c in conflicts {
            c.sort_unstable();
            c.dedup();
            if c.last().is_some_and(|&e| e as usize >= experts.len()) {
                return Err(Error::IndexOutOfRange);
            }
            flat.extend_from_slice(&c);
            conflict_offsets.push(flat.len());
        }
        let ne = experts.len();
        let mut columns = vec![0i16; TOPICS * ne];
        for (e, v) in experts.iter().enumerate() {
            for t in 0..TOPICS {
                columns[t * ne + e] = v[t];
            }
        }
        let app_nz = apps
            .iter()
            .map(|v| {
                (0..TOPICS)
                    .filter(|&t| v[t] != 0)
                    .map(|t| (t as u8, i32::from(v[t])))
                    .collect()
            })
            .collect();
        Ok(TopicAffinity {
            apps,
            app_nz,
            experts: ne,
            columns,
            conflict_offsets,
            conflicts: flat,
        })
    }

    /// Number of conflicting pairs.
    pub fn conflict_count(&self) -> usize {
        self.conflicts.len()
    }

    /// Experts application `a` conflicts with (sorted).
    pub fn conflicts_of(&self, a: usize) -> &[u32] {
        match (
            self.conflict_offsets.get(a),
            self.conflict_offsets.get(a + 1),
        ) {
            (Some(&s), Some(&t)) => &self.conflicts[s..t],
            _ => &[],
        }
    }

    /// Affinity of one pair ([`INELIGIBLE`] on conflict or out of range).
    pub fn pair(&self, a: usize, e: usize) -> i64 {
        let Some(v) = self.apps.get(a) else {
            return INELIGIBLE;
        };
        if e >= self.experts || self.conflicts_of(a).binary_search(&(e as u32)).is_ok() {
            return INELIGIBLE;
        }
        let mut s = 0i32;
        for (t, &x) in v.iter().enumerate() {
            s += i32::from(x) * i32::from(self.columns[t * self.experts + e]);
        }
        i64::from(s)
    }
}

impl Affinity for TopicAffinity {
    fn applications(&self) -> usize {
        self.apps.len()
    }
    fn experts(&self) -> usize {
        self.experts
    }
    fn fill_row(&self, a: usize, row: &mut [i64]) {
        const B: usize = 1024;
        let ne = self.experts;
        let Some(nz) = self.app_nz.get(a) else {
            row.fill(INELIGIBLE);
            return;
        };
        let mut acc = [0i32; B];
        let mut start = 0;
        while start < ne {
            let end = (start + B).min(ne);
            let acc = &mut acc[..end - start];
            acc.fill(0);
            for &(t, x) in nz {
                let base = t as usize * ne;
                for (s, &c) in acc.iter_mut().zip(&self.columns[base + start..base + end]) {
                    *s += x * i32::from(c);
                }
            }
            for (r, &s) in row[start..end].iter_mut().zip(acc.iter()) {
                *r = i64::from(s);
            }
            start = end;
        }
        for &e in self.conflicts_of(a) {
            row[e as usize] = INELIGIBLE;
        }
    }
}
