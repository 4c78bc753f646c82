//! Why each expert was or was not chosen for an application, read off the LP duals.

use serde::Serialize;

use crate::affinity::{Affinity, INELIGIBLE};
use crate::conflicts::{ConflictIndex, Reason};
use crate::solve::Solution;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "verdict", rename_all = "snake_case")]
pub enum Verdict {
    /// Chosen; `rank` = 1 + number of eligible available experts with strictly higher affinity.
    Assigned { affinity: i64, rank: u32 },
    /// Excluded by conflict of interest.
    Conflict { reasons: Vec<Reason> },
    /// Expert has capacity 0 (unavailable, or load limit 0).
    Unavailable,
    /// No affinity for this pair (not qualified / unknown), without a recorded conflict.
    NotEligible,
    /// The expert is full and its dual price `price` exceeds what the pair would add over the
    /// application's marginal value: forcing the pair in lowers the total by at least
    /// `-reduced_cost`.
    AtCapacity {
        affinity: i64,
        price: i64,
        reduced_cost: i64,
    },
    /// Not worth it: forcing the pair in lowers the total by at least `-reduced_cost`
    /// (`reduced_cost = affinity − u_a − p_e ≤ 0`).
    LowerAffinity { affinity: i64, reduced_cost: i64 },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExpertVerdict {
    pub expert: u32,
    #[serde(flatten)]
    pub verdict: Verdict,
}

/// Verdict for every expert for application `a` (ascending expert index). `aff` and `cap` must
/// be those the solution was computed with; `conflicts` supplies reasons for pairs `aff` marks
/// ineligible.
pub fn explain<A: Affinity>(
    sol: &Solution,
    aff: &A,
    cap: &[u32],
    conflicts: Option<&ConflictIndex>,
    a: usize,
) -> Vec<ExpertVerdict> {
    let ne = aff.experts();
    let mut row = vec![INELIGIBLE; ne];
    aff.fill_row(a, &mut row);
    let ua = sol.app_dual.get(a).copied().unwrap_or(0);
    let cap_of = |e: usize| cap.get(e).copied().unwrap_or(0);
    (0..ne)
        .map(|e| {
            let w = row[e];
            let verdict = if let Some(r) = conflicts.and_then(|c| c.reasons(a, e)) {
                Verdict::Conflict {
                    reasons: r.to_vec(),
                }
            } else if cap_of(e) == 0 {
                Verdict::Unavailable
            } else if w == INELIGIBLE {
                Verdict::NotEligible
            } else if sol.is_assigned(a, e) {
                let better = (0..ne)
                    .filter(|&x| row[x] != INELIGIBLE && cap_of(x) > 0 && row[x] > w)
                    .count();
                Verdict::Assigned {
                    affinity: w,
                    rank: better as u32 + 1,
                }
            } else {
                let pe = sol.expert_price.get(e).copied().unwrap_or(0);
                let rc = w - ua - pe;
                let full = sol.loads.get(e).copied().unwrap_or(0) >= cap_of(e);
                if full && pe > 0 && w - ua > 0 {
                    Verdict::AtCapacity {
                        affinity: w,
                        price: pe,
                        reduced_cost: rc,
                    }
                } else {
                    Verdict::LowerAffinity {
                        affinity: w,
                        reduced_cost: rc,
                    }
                }
            };
            ExpertVerdict {
                expert: e as u32,
                verdict,
            }
        })
        .collect()
}
