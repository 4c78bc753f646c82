//! Constrained random draw (随机抽取), reproducible from its seed.

use serde::Serialize;

use crate::affinity::{Affinity, INELIGIBLE};
use crate::rng::SplitMix64;
use crate::{Error, Shortfall};

/// Result of [`draw`]: everything needed to replay and audit it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Draw {
    pub seed: u64,
    /// Per application, the drawn experts in draw order.
    pub assignment: Vec<Vec<u32>>,
    /// Per application, the size of the pool it was drawn from.
    pub pool_sizes: Vec<u32>,
    pub loads: Vec<u32>,
}

/// Draw `k` experts for every application, uniformly at random without replacement from its
/// pool: experts with an eligible (conflict-free, qualified) affinity `≥ min_affinity` and
/// remaining load (`load < cap`).
///
/// Order (fixed, so a seed replays exactly): applications in index order; the pool of an
/// application is listed in ascending expert index; draw `j = 0..k` swaps position `j` with a
/// uniform position in `j..pool.len()` (partial Fisher–Yates) using [`SplitMix64::below`]
/// from one generator seeded with `seed`; loads update after each application.
///
/// If a pool is smaller than `k` that application gets nobody, the draw continues with the
/// rest, and the result is [`Error::Infeasible`] listing every such application.
pub fn draw<A: Affinity>(
    aff: &A,
    cap: &[u32],
    k: u32,
    min_affinity: i64,
    seed: u64,
) -> Result<Draw, Error> {
    let (na, ne) = (aff.applications(), aff.experts());
    if cap.len() != ne {
        return Err(Error::CapacityLength {
            expected: ne,
            got: cap.len(),
        });
    }
    let mut rng = SplitMix64::new(seed);
    let mut load = vec![0u32; ne];
    let mut row = vec![INELIGIBLE; ne];
    let mut pool: Vec<u32> = Vec::new();
    let mut out = Draw {
        seed,
        assignment: Vec::with_capacity(na),
        pool_sizes: Vec::with_capacity(na),
        loads: Vec::new(),
    };
    let mut short = Vec::new();
    for a in 0..na {
        aff.fill_row(a, &mut row);
        pool.clear();
        pool.extend(
            (0..ne)
                .filter(|&e| row[e] != INELIGIBLE && row[e] >= min_affinity && load[e] < cap[e])
                .map(|e| e as u32),
        );
        out.pool_sizes.push(pool.len() as u32);
        if pool.len() < k as usize {
            short.push(Shortfall {
                application: a,
                id: format!("#{a}"),
                assigned: 0,
                required: k,
            });
            out.assignment.push(Vec::new());
            continue;
        }
        for j in 0..k as usize {
            let r = j + rng.below((pool.len() - j) as u64) as usize;
            pool.swap(j, r);
            load[pool[j] as usize] += 1;
        }
        out.assignment.push(pool[..k as usize].to_vec());
    }
    if !short.is_empty() {
        return Err(Error::Infeasible { shortfalls: short });
    }
    out.loads = load;
    Ok(out)
}
