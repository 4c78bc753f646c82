//! Batch mode for `kechuang assign solve`: CSV in, CSV rows + one JSON line out.

use std::collections::HashMap;
use std::io::{Read, Write};

use serde::Serialize;

use crate::affinity::{MAX_ABS_AFFINITY, Pairs, SCALE};
use crate::solve::{Options, Stats, solve};
use crate::{Error, Shortfall};

/// What [`solve_csv`] did; also printed (in part) as its last output line.
#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    /// Total affinity of the assignment, original units.
    pub objective: f64,
    /// Upper bound proved by the dual over every eligible pair, original units.
    pub bound: f64,
    /// Same in exact micro-units (affinity × 10^6, rounded half away from zero).
    pub objective_micro: i64,
    pub bound_micro: i64,
    pub gap_micro: i64,
    pub applications: usize,
    pub experts: usize,
    /// Rows of A.csv that became eligible pairs (after removing conflicts).
    pub eligible_pairs: usize,
    /// Rows of C.csv that removed a pair of A.csv.
    pub conflicts_applied: usize,
    pub assigned: usize,
    pub stats: Stats,
}

/// Parse an affinity cell into micro-units: plain decimals (`0.8731`, `-2`, `+.5`) are parsed
/// exactly and rounded half away from zero at the 6th decimal; forms with an exponent (`1e-3`)
/// go through `f64`. `|affinity| ≤ 10^6`.
pub fn parse_affinity(s: &str) -> Result<i64, String> {
    let t = s.trim();
    let bad = || format!("affinity {t:?} is not a number");
    let (neg, body) = match t.as_bytes().first() {
        Some(b'-') => (true, &t[1..]),
        Some(b'+') => (false, &t[1..]),
        _ => (false, t),
    };
    let value: i128 = if !body.is_empty() && body.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
        let (int, frac) = body.split_once('.').unwrap_or((body, ""));
        if (int.is_empty() && frac.is_empty()) || frac.contains('.') || int.len() > 12 {
            return Err(bad());
        }
        let mut v: i128 = 0;
        for b in int.bytes() {
            v = v * 10 + i128::from(b - b'0');
        }
        let mut f: i128 = 0;
        let fb = frac.as_bytes();
        for i in 0..6 {
            f = f * 10 + fb.get(i).map_or(0, |b| i128::from(b - b'0'));
        }
        if fb.get(6).is_some_and(|&b| b >= b'5') {
            f += 1;
        }
        let v = v * i128::from(SCALE) + f;
        if neg { -v } else { v }
    } else {
        let x: f64 = t.parse().map_err(|_| bad())?;
        if !x.is_finite() {
            return Err(bad());
        }
        let m = (x * SCALE as f64).round();
        if m.abs() > MAX_ABS_AFFINITY as f64 {
            return Err(format!("affinity {t:?} out of range (|affinity| ≤ 10^6)"));
        }
        m as i128
    };
    if value.abs() > i128::from(MAX_ABS_AFFINITY) {
        return Err(format!("affinity {t:?} out of range (|affinity| ≤ 10^6)"));
    }
    Ok(value as i64)
}

fn reader(r: impl Read) -> csv::Reader<impl Read> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(r)
}

fn csv_err(e: &csv::Error) -> Error {
    Error::Csv {
        line: e.position().map_or(0, |p| p.line()),
        message: e.to_string(),
    }
}

/// `kechuang assign solve` in one call.
///
/// * `affinity`: rows `application,expert,affinity`. A pair absent from it is not eligible.
///   A header is optional: the first row is skipped if its third field is not a number. Blank
///   ids, a bad or missing affinity or a repeated pair is an error naming the line.
/// * `conflicts`: rows `application,expert[,…]` (extra columns, e.g. a reason, are ignored).
///   Each removes that pair. Rows naming an application or expert that does not occur in
///   `affinity` are ignored (such a pair is not eligible anyway), so a header row needs no
///   special handling.
/// * every expert gets capacity `max_load`; every application needs exactly `k` experts.
///
/// Writes one row `application,expert` per assigned pair (no header; applications in order of
/// first appearance in `affinity`, each one's experts by affinity descending), then one JSON
/// line `{"objective":…,"bound":…,"gap":…,"applications":…,"assigned":…}` in original units.
///
/// If some application cannot get `k` experts, nothing is written and
/// [`Error::Infeasible`] lists the applications (by CSV id) left short by a maximum
/// assignment: the choice is all-or-nothing, because a partial assignment silently changes the
/// review rules; relax `k`, `max_load` or the conflicts and rerun.
pub fn solve_csv(
    affinity: impl Read,
    conflicts: impl Read,
    k: u32,
    max_load: u32,
    mut out: impl Write,
) -> Result<Summary, Error> {
    let mut apps: Vec<String> = Vec::new();
    let mut experts: Vec<String> = Vec::new();
    let mut app_ix: HashMap<String, u32> = HashMap::new();
    let mut exp_ix: HashMap<String, u32> = HashMap::new();
    let mut pairs: HashMap<(u32, u32), (i64, u64)> = HashMap::new();
    let mut first = true;
    for rec in reader(affinity).records() {
        let rec = rec.map_err(|e| csv_err(&e))?;
        let line = rec.position().map_or(0, |p| p.line());
        if rec.len() == 1 && rec.get(0).is_some_and(str::is_empty) {
            continue;
        }
        let third = rec.get(2);
        if first {
            first = false;
            if third.is_none_or(|t| parse_affinity(t).is_err()) {
                continue;
            }
        }
        let (Some(a), Some(e), Some(w)) = (rec.get(0), rec.get(1), third) else {
            return Err(Error::Csv {
                line,
                message: format!(
                    "expected application,expert,affinity; got {} field(s)",
                    rec.len()
                ),
            });
        };
        if a.is_empty() || e.is_empty() {
            return Err(Error::Csv {
                line,
                message: "empty application or expert id".into(),
            });
        }
        let w = parse_affinity(w).map_err(|message| Error::Csv { line, message })?;
        let ai = *app_ix.entry(a.to_string()).or_insert_with(|| {
            apps.push(a.to_string());
            (apps.len() - 1) as u32
        });
        let ei = *exp_ix.entry(e.to_string()).or_insert_with(|| {
            experts.push(e.to_string());
            (experts.len() - 1) as u32
        });
        if let Some((_, prev)) = pairs.insert((ai, ei), (w, line)) {
            return Err(Error::Csv {
                line,
                message: format!("pair ({a}, {e}) repeats line {prev}"),
            });
        }
    }
    let mut conflicts_applied = 0;
    for rec in reader(conflicts).records() {
        let rec = rec.map_err(|e| csv_err(&e))?;
        let line = rec.position().map_or(0, |p| p.line());
        if rec.len() == 1 && rec.get(0).is_some_and(str::is_empty) {
            continue;
        }
        let (Some(a), Some(e)) = (rec.get(0), rec.get(1)) else {
            return Err(Error::Csv {
                line,
                message: "conflicts: expected application,expert".into(),
            });
        };
        if let (Some(&ai), Some(&ei)) = (app_ix.get(a), exp_ix.get(e))
            && pairs.remove(&(ai, ei)).is_some()
        {
            conflicts_applied += 1;
        }
    }
    let list: Vec<(u32, u32, i64)> = pairs.iter().map(|(&(a, e), &(w, _))| (a, e, w)).collect();
    let pairs = Pairs::new(apps.len(), experts.len(), list)?;
    let cap = vec![max_load; experts.len()];
    let sol = match solve(&pairs, &cap, &Options::new(k)) {
        Ok(s) => s,
        Err(Error::Infeasible { shortfalls }) => {
            return Err(Error::Infeasible {
                shortfalls: shortfalls
                    .into_iter()
                    .map(|s| Shortfall {
                        id: apps.get(s.application).cloned().unwrap_or(s.id),
                        ..s
                    })
                    .collect(),
            });
        }
        Err(e) => return Err(e),
    };
    let mut w = csv::WriterBuilder::new()
        .has_headers(false)
        .from_writer(Vec::new());
    let mut assigned = 0;
    for (a, row) in sol.assignment.iter().enumerate() {
        for &(e, _) in row {
            w.write_record([&apps[a], &experts[e as usize]])
                .map_err(|e| Error::Io(std::io::Error::other(e)))?;
            assigned += 1;
        }
    }
    let buf = w
        .into_inner()
        .map_err(|e| Error::Io(std::io::Error::other(e.to_string())))?;
    out.write_all(&buf)?;
    let micro = |x: i64| x as f64 / SCALE as f64;
    let summary = Summary {
        objective: micro(sol.objective),
        bound: micro(sol.bound),
        objective_micro: sol.objective,
        bound_micro: sol.bound,
        gap_micro: sol.gap(),
        applications: apps.len(),
        experts: experts.len(),
        eligible_pairs: pairs.len(),
        conflicts_applied,
        assigned,
        stats: sol.stats,
    };
    let line = serde_json::json!({
        "objective": summary.objective,
        "bound": summary.bound,
        "gap": micro(summary.gap_micro),
        "applications": summary.applications,
        "assigned": summary.assigned,
    });
    writeln!(out, "{line}")?;
    Ok(summary)
}
