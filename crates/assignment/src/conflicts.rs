//! Conflict-of-interest detection (回避) from expert and application records.

use std::collections::{HashMap, HashSet};

use serde::{Deserialize, Serialize};

use crate::Error;

/// A project or paper someone took part in, with the last year of that involvement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Involvement {
    pub id: String,
    pub year: i32,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ExpertRecord {
    pub id: String,
    pub organization: String,
    /// County-level region code (GB/T 2260, 6 digits).
    pub county: Option<String>,
    pub projects: Vec<Involvement>,
    pub papers: Vec<Involvement>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ApplicationRecord {
    pub id: String,
    /// The applying organization.
    pub organization: String,
    pub county: Option<String>,
    /// Projects and papers of the application's team members.
    pub team_projects: Vec<Involvement>,
    pub team_papers: Vec<Involvement>,
    /// Expert ids the applicant asks to avoid (at most [`MAX_AVOIDANCES`]).
    pub avoid: Vec<String>,
}

pub const MAX_AVOIDANCES: usize = 3;

#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
pub struct Rules {
    /// The year of the review round.
    pub current_year: i32,
    /// Co-membership / co-authorship counts if its year is ≥ `current_year − window_years`.
    pub window_years: i32,
    /// Also exclude experts from the applicant's county.
    pub same_county: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Reason {
    SameOrganization,
    /// Shared project; `year` = the last year both were on it (min of the two records).
    CoMember {
        project: String,
        year: i32,
    },
    CoAuthor {
        paper: String,
        year: i32,
    },
    DeclaredAvoidance,
    SameCounty,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Conflict {
    pub application: usize,
    pub expert: usize,
    pub reason: Reason,
}

fn index(items: impl Iterator<Item = (usize, String)>) -> HashMap<String, Vec<usize>> {
    let mut m: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, k) in items {
        m.entry(k).or_default().push(i);
    }
    m
}

/// Every excluded (application, expert) pair with its reason; a pair with several reasons
/// appears once per reason. Sorted by application, expert. Empty organization or county
/// strings never match. Errors: more than 3 avoidances, or an avoided expert id that is not
/// in `experts`.
pub fn detect(
    apps: &[ApplicationRecord],
    experts: &[ExpertRecord],
    rules: &Rules,
) -> Result<Vec<Conflict>, Error> {
    let by_id: HashMap<&str, usize> = experts
        .iter()
        .enumerate()
        .map(|(i, e)| (e.id.as_str(), i))
        .collect();
    let by_org = index(
        experts
            .iter()
            .enumerate()
            .filter(|(_, e)| !e.organization.is_empty())
            .map(|(i, e)| (i, e.organization.clone())),
    );
    let by_county = index(
        experts
            .iter()
            .enumerate()
            .filter_map(|(i, e)| Some((i, e.county.clone().filter(|c| !c.is_empty())?))),
    );
    let from = rules.current_year - rules.window_years;
    let mut proj: HashMap<&str, Vec<(usize, i32)>> = HashMap::new();
    let mut pap: HashMap<&str, Vec<(usize, i32)>> = HashMap::new();
    for (i, e) in experts.iter().enumerate() {
        for p in e.projects.iter().filter(|p| p.year >= from) {
            proj.entry(p.id.as_str()).or_default().push((i, p.year));
        }
        for p in e.papers.iter().filter(|p| p.year >= from) {
            pap.entry(p.id.as_str()).or_default().push((i, p.year));
        }
    }
    let mut out = Vec::new();
    for (a, app) in apps.iter().enumerate() {
        if app.avoid.len() > MAX_AVOIDANCES {
            return Err(Error::TooManyAvoidances {
                application: app.id.clone(),
                count: app.avoid.len(),
            });
        }
        let mut found: HashSet<(usize, Reason)> = HashSet::new();
        if let Some(v) = by_org.get(&app.organization) {
            for &e in v {
                found.insert((e, Reason::SameOrganization));
            }
        }
        if rules.same_county
            && let Some(v) = app.county.as_ref().and_then(|c| by_county.get(c))
        {
            for &e in v {
                found.insert((e, Reason::SameCounty));
            }
        }
        for x in app.avoid.iter() {
            let Some(&e) = by_id.get(x.as_str()) else {
                return Err(Error::UnknownExpert {
                    application: app.id.clone(),
                    expert: x.clone(),
                });
            };
            found.insert((e, Reason::DeclaredAvoidance));
        }
        for p in app.team_projects.iter().filter(|p| p.year >= from) {
            for &(e, y) in proj.get(p.id.as_str()).into_iter().flatten() {
                let year = y.min(p.year);
                if year >= from {
                    found.insert((
                        e,
                        Reason::CoMember {
                            project: p.id.clone(),
                            year,
                        },
                    ));
                }
            }
        }
        for p in app.team_papers.iter().filter(|p| p.year >= from) {
            for &(e, y) in pap.get(p.id.as_str()).into_iter().flatten() {
                let year = y.min(p.year);
                if year >= from {
                    found.insert((
                        e,
                        Reason::CoAuthor {
                            paper: p.id.clone(),
                            year,
                        },
                    ));
                }
            }
        }
        let mut v: Vec<_> = found.into_iter().collect();
        v.sort_unstable();
        out.extend(v.into_iter().map(|(expert, reason)| Conflict {
            application: a,
            expert,
            reason,
        }));
    }
    Ok(out)
}

/// Conflicts by pair, for filtering eligibility and for explanations.
#[derive(Debug, Clone, Default)]
pub struct ConflictIndex(HashMap<(u32, u32), Vec<Reason>>);

impl ConflictIndex {
    pub fn new(conflicts: &[Conflict]) -> Self {
        let mut m: HashMap<(u32, u32), Vec<Reason>> = HashMap::new();
        for c in conflicts {
            m.entry((c.application as u32, c.expert as u32))
                .or_default()
                .push(c.reason.clone());
        }
        ConflictIndex(m)
    }
    pub fn reasons(&self, application: usize, expert: usize) -> Option<&[Reason]> {
        self.0
            .get(&(application as u32, expert as u32))
            .map(Vec::as_slice)
    }
    pub fn contains(&self, application: usize, expert: usize) -> bool {
        self.0.contains_key(&(application as u32, expert as u32))
    }
    pub fn len(&self) -> usize {
        self.0.len()
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}
