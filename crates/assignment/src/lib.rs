//! Expert-review assignment (评审专家分配). Pure library, no I/O except the reader/writer passed
//! to [`solve_csv`].
//!
//! DESIGN_PLACEHOLDER

mod affinity;
pub mod conflicts;
mod csvio;
pub mod draw;
pub mod explain;
mod flow;
pub mod rng;
pub mod scores;
mod solve;

pub use affinity::{Affinity, INELIGIBLE, MAX_ABS_AFFINITY, Pairs, SCALE, TOPICS, TopicAffinity};
pub use csvio::{Summary, parse_affinity, solve_csv};
pub use solve::{Options, Solution, Stats, solve, solve_fair};

use serde::Serialize;

/// An application that cannot get its `required` reviewers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Shortfall {
    /// Application index.
    pub application: usize,
    /// Application id (the CSV id, or `#index`).
    pub id: String,
    /// Reviewers it got in a maximum assignment.
    pub assigned: u32,
    pub required: u32,
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// No assignment gives every application `k` conflict-free experts within the loads. The
    /// listed applications are those left short by a *maximum* assignment (a maximum flow over
    /// the full graph; another maximum assignment may short different applications, but never
    /// fewer units in total).
    #[error("infeasible: {} application(s) cannot get enough conflict-free experts within the load limits: {}", .shortfalls.len(), shortfall_list(.shortfalls))]
    Infeasible { shortfalls: Vec<Shortfall> },
    #[error("line {line}: {message}")]
    Csv { line: u64, message: String },
    #[error("duplicate pair (application {application}, expert {expert})")]
    DuplicatePair { application: usize, expert: usize },
    #[error("index out of range")]
    IndexOutOfRange,
    #[error("affinity {value} (micro-units) out of range (|affinity| ≤ 10^6)")]
    AffinityOutOfRange { value: i64 },
    #[error("capacity list has {got} entries, expected {expected}")]
    CapacityLength { expected: usize, got: usize },
    #[error("no certificate after {rounds} rounds")]
    NotConverged { rounds: u32 },
    #[error("application {application} declares {count} experts to avoid (at most 3)")]
    TooManyAvoidances { application: String, count: usize },
    #[error("application {application} declares unknown expert {expert} to avoid")]
    UnknownExpert { application: String, expert: String },
    #[error("scores: {0}")]
    Scores(String),
    #[error("write: {0}")]
    Io(#[from] std::io::Error),
}

fn shortfall_list(s: &[Shortfall]) -> String {
    let mut out = String::new();
    for (i, x) in s.iter().enumerate() {
        if i == 20 {
            out.push_str(&format!(", … ({} more)", s.len() - 20));
            break;
        }
        if i > 0 {
            out.push_str(", ");
        }
        out.push_str(&format!("{} ({}/{})", x.id, x.assigned, x.required));
    }
    out
}
