//! Rules as code (政策规则引擎). No I/O.
//!
//! A policy pack is a text file (`policies/*.policy`) that a policy officer can read and review:
//! inputs, dated parameters, derived values (`let`), point scales (`scale`), condition tables
//! (`table`), conditions, outputs, the official source of each rule, a goal for gap analysis and
//! the inputs an enterprise can change (`adjust`). See `policies/README.md` for the format.
//!
//! - [`Pack::parse`] checks the whole file: unknown names, cycles and overlapping validity
//!   periods are rejected with the file, line and reason.
//! - [`Pack::compile`] fixes the rules in force in a year into a [`Plan`]: a flat list of steps
//!   over numbered slots, evaluated per entity with exact decimals ([`Plan::evaluate`]) or over
//!   many entities on every core ([`Plan::evaluate_batch`]). One code path for both.
//! - Every [`Evaluation`] carries the value of every rule, the missing inputs, an explanation
//!   tree renderable as Chinese text, and for a failed goal the smallest single-input changes
//!   that would reach it.

mod cases;
mod columnar;
mod entitle;
mod eval;
mod explain;
mod parse;
mod typed;

pub use cases::{CaseResult, parse_value, run_cases};
pub use columnar::{CHUNK, Column, ColumnResults};
pub use entitle::{Entitlements, Item, ItemDecision, entitle};
pub use eval::{Entity, Evaluation, Gap, Missing, Plan, Value};
pub use explain::Node;
pub use parse::{Case, InputKind, Pack, PackError, Period, RuleDef, RuleKind, parse_cases};

/// The official packs shipped with Kechuang, compiled in: `(id, policy text, cases text)`.
macro_rules! packs {
    ($($id:literal),+ $(,)?) => {
        &[$(($id, include_str!(concat!("../../../policies/", $id, ".policy")), include_str!(concat!("../../../policies/", $id, ".cases")))),+]
    };
}

pub const OFFICIAL: &[(&str, &str, &str)] = packs![
    "tech-sme",
    "hnte",
    "rd-deduction",
    "innovative-sme",
    "zjtx-sme",
    "rewards"
];

/// Packs over other subjects than an enterprise-year, kept out of the enterprise evaluation
/// pages: technology-contract registration (技术合同认定登记) decides on one contract; the
/// market's notice rules (科技成果公示与挂牌) on one achievement.
pub const SUBJECT_PACKS: &[(&str, &str, &str)] = packs![
    "tech-contract",
    "tech-market",
    "innovation-voucher",
    "loan-interest",
    "loan-compensation",
    "tech-insurance",
    "instrument-subsidy",
    "commissioner-assessment",
    "talent-tiers",
    "work-stations",
    "platform-evaluation",
    "engineering-center",
    "incubator-national",
    "maker-space-national",
    "science-award"
];

/// Every shipped pack, enterprise packs first.
pub fn all_packs() -> impl Iterator<Item = &'static (&'static str, &'static str, &'static str)> {
    OFFICIAL.iter().chain(SUBJECT_PACKS)
}

/// Load a shipped pack by id.
pub fn official(id: &str) -> Option<Result<Pack, PackError>> {
    all_packs()
        .find(|(i, _, _)| *i == id)
        .map(|(i, text, _)| Pack::parse(&format!("policies/{i}.policy"), text))
}
