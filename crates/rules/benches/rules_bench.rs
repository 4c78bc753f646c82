//! `cargo bench -p kechuang-rules --bench rules-bench [-- N...]`
//!
//! Evaluates the 科技型中小企业 pack (score, title decision and a bracketed reward on R&D
//! expense from `policies/bench-rd-reward.fragment`, exact) over N synthetic enterprises
//! (default 10^5, 10^6 and 10^7), streaming in chunks of 2^16 through
//! [`kechuang_rules::Plan::evaluate_typed_compact_into`] on every core: the typed
//! integer/flag loops, with the general columnar path and exact decimals for the rows they
//! cannot decide (counted). The rows the typed path decides come back as plain integer and
//! flag columns (`ColumnResults::ints`), read without building a `Value`; the others as
//! `Value`s.
//!
//! Printed per size, with peak memory:
//! - end to end: generating the chunk's input columns (on every core) plus the engine's call
//!   plus reading its results (the caller's sums);
//! - from the columns to the results read, and the engine's call alone;
//! - the same rules written by hand over the same columns, on one core, and the ratio;
//! - the rules written by hand generating each row as they go (no columns), on one core.
//!
//! The qualified counts and the reward totals of the engine and both hand loops must be equal
//! (checked). Buffers are reused from chunk to chunk, as a service streaming a region would,
//! and one warm-up chunk runs first, not printed.
//!
//! Explanations recorded: per entity, besides `score`, `qualified` and `rd_reward`, the band of
//! each scale and the row of the table applied (`staff_points`, `rd_points`' scale
//! `rd_sales_points`, `ip_points`, `rd_reward_band`) are kept as compact `i16` columns
//! ([`ColumnResults::bands`]; requested as `explained`, so without their points as values).
//! With the entity's inputs they determine the explanation tree; the Chinese text is rendered
//! on demand (`Plan::explain` of that entity, printed for one sample row, whose exact
//! evaluation must choose the same bands).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use kechuang_rules::{Column, ColumnResults, Entity, Value};
use rust_decimal::Decimal;
use std::time::Instant;

fn peak_rss_mib() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
        })
        .map_or(0.0, |kb| kb / 1024.0)
}

/// Deterministic synthetic inputs for row `i`.
fn row(i: u64) -> [i64; 8] {
    let mut z = i.wrapping_mul(0x9E37_79B9_7F4A_7C15);
    let mut next = |m: u64| {
        z ^= z >> 31;
        z = z.wrapping_mul(0xBF58_476D_1CE4_E5B9);
        (z % m) as i64
    };
    let employees = 5 + next(600);
    let tech = next(employees as u64 + 1);
    let revenue = 1_000_000 + next(300_000_000);
    let assets = 1_000_000 + next(250_000_000);
    let rd = revenue / 1000 * next(90);
    [
        employees,
        tech,
        revenue,
        assets,
        rd,
        next(3) / 2,
        next(6),
        i64::from(next(50) == 0),
    ]
}

/// The rules written by hand (exact integer arithmetic): whether qualified, and the reward.
#[inline(always)]
fn by_hand([e, ts, rev, assets, rd, ip1, ip2, viol]: [i64; 8]) -> (bool, i64) {
    let staff = if e == 0 {
        0
    } else {
        [(30, 20), (25, 16), (20, 12), (15, 8), (10, 4)]
            .iter()
            .find(|(p, _)| ts * 100 >= p * e)
            .map_or(0, |x| x.1)
    };
    let rdp = if rev == 0 {
        0
    } else {
        [(6, 50), (5, 40), (4, 30), (3, 20), (2, 10)]
            .iter()
            .find(|(p, _)| rd * 100 >= p * rev)
            .map_or(0, |x| x.1)
    };
    let ipp = if ip1 >= 1 {
        30
    } else {
        [0, 6, 12, 18, 24][ip2.min(4) as usize]
    };
    let ok = e <= 500
        && rev <= 200_000_000
        && assets <= 200_000_000
        && viol == 0
        && staff + rdp + ipp >= 60
        && staff > 0;
    let reward = if ok {
        [
            (10_000_000, 500_000),
            (5_000_000, 200_000),
            (2_000_000, 100_000),
            (1_000_000, 50_000),
        ]
        .iter()
        .find(|(b, _)| rd >= *b)
        .map_or(0, |x| x.1)
    } else {
        0
    };
    (ok, reward)
}

fn main() {
    let args: Vec<u64> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let sizes = if args.is_empty() {
        vec![100_000, 1_000_000, 10_000_000]
    } else {
        args
    };
    let text = kechuang_rules::OFFICIAL
        .iter()
        .find(|p| p.0 == "tech-sme")
        .unwrap()
        .1
        .to_string()
        + include_str!("../../../policies/bench-rd-reward.fragment");
    let pack =
        kechuang_rules::Pack::parse("policies/tech-sme.policy+bench-rd-reward", &text).unwrap();
    let plan = pack.compile(2024).unwrap();
    let names = plan.inputs();
    let col_of = |n: &str| names.iter().position(|(x, o)| x == n && *o == 0);
    let cols = [
        "employees",
        "tech_staff",
        "revenue",
        "total_assets",
        "rd_expense",
        "ip_class1",
        "ip_class2",
        "serious_violation",
    ]
    .map(|n| col_of(n).unwrap());
    let (score_slot, qualified_slot) =
        (plan.slot("score").unwrap(), plan.slot("qualified").unwrap());
    const CHUNK: u64 = 1 << 16;
    let threads = std::thread::available_parallelism().map_or(1, |t| t.get());
    let reward_slot = plan.slot("rd_reward").unwrap();
    let band_names = [
        "staff_points",
        "rd_sales_points",
        "ip_points",
        "rd_reward_band",
    ];
    let wanted = [qualified_slot, score_slot, reward_slot];
    // Bands only: the explanation needs the band chosen, the points follow from it.
    let explained = band_names.map(|b| plan.slot(b).unwrap());
    let mut first = true;
    // The chunk's input columns and results, reused from chunk to chunk and size to size.
    let mut ints: Vec<Vec<Option<i64>>> =
        (0..7).map(|_| Vec::with_capacity(CHUNK as usize)).collect();
    let mut flags: Vec<Option<bool>> = Vec::with_capacity(CHUNK as usize);
    let mut res = ColumnResults::default();
    // A warm-up run of one chunk first, not printed: the first size would otherwise pay for
    // the first touch of every buffer (page faults), which a running service has paid once.
    for (n, warm_up) in std::iter::once((CHUNK, true)).chain(sizes.into_iter().map(|n| (n, false)))
    {
        let (mut qualified, mut score_sum, mut exact_rows) = (0u64, Decimal::ZERO, 0usize);
        let mut fallback_rows = 0usize;
        let (mut reward_sum, mut band_sum) = (Decimal::ZERO, 0i64);
        let mut sample: Option<(Vec<Option<Value>>, Vec<i16>)> = None;
        let (mut engine_secs, mut gen_secs, mut cols_secs, mut hand_cols_secs) =
            (0.0, 0.0, 0.0, 0.0);
        let (mut hand_cols_q, mut hand_cols_reward) = (0u64, 0i64);
        let mut start = 0;
        while start < n {
            let end = (start + CHUNK).min(n);
            // Generate the chunk's columns on every core too (part of the end-to-end time).
            let tg = Instant::now();
            let len = (end - start) as usize;
            ints.iter_mut().for_each(|c| c.resize(len, None));
            flags.resize(len, None);
            let part = len.div_ceil(threads).max(1);
            std::thread::scope(|s| {
                let mut int_parts: Vec<_> = ints.iter_mut().map(|c| c.chunks_mut(part)).collect();
                let flag_parts = flags.chunks_mut(part);
                for (t, f) in flag_parts.enumerate() {
                    let mut mine: Vec<&mut [Option<i64>]> =
                        int_parts.iter_mut().filter_map(Iterator::next).collect();
                    let first = start + (t * part) as u64;
                    s.spawn(move || {
                        for (j, flag) in f.iter_mut().enumerate() {
                            let r = row(first + j as u64);
                            for (k, c) in mine.iter_mut().enumerate() {
                                c[j] = Some(r[k]);
                            }
                            *flag = Some(r[7] == 1);
                        }
                    });
                }
            });
            let mut columns = vec![Column::Absent; names.len()];
            for (k, c) in cols.iter().enumerate() {
                columns[*c] = if k == 7 {
                    Column::Flags(&flags)
                } else {
                    Column::Ints(&ints[k])
                };
            }
            gen_secs += tg.elapsed().as_secs_f64();
            // From the columns to the results read: the engine's call and the caller's sums.
            let te = Instant::now();
            plan.evaluate_typed_compact_into(&columns, &wanted, &explained, &mut res);
            engine_secs += te.elapsed().as_secs_f64();
            exact_rows += res.exact_rows;
            fallback_rows += res.fallback_rows;
            let (mut sc, mut rw) = (0i64, 0i64);
            // Rows the typed path decided: plain integers (flags 1/0) in `ints`.
            if let [q, s, r] = &res.ints[..] {
                for (row, typed) in res.typed_rows.iter().enumerate() {
                    if *typed {
                        qualified += u64::from(q[row] != 0);
                        sc += s[row];
                        rw += r[row];
                    }
                }
            }
            for k in 3..7 {
                band_sum += match res.bands.get(k).filter(|b| b.len() == res.len()) {
                    Some(b) => b.iter().map(|x| i64::from(*x)).sum::<i64>(),
                    None => -(res.len() as i64),
                };
            }
            for row in 0..res.len() {
                if res.typed_rows.get(row) == Some(&true) {
                    continue;
                }
                if res.get(0, row) == Some(&Value::Bool(true)) {
                    qualified += 1;
                }
                // Whole numbers (scale 0) add as integers; anything else as decimals.
                for (k, acc, total) in [(1, &mut sc, &mut score_sum), (2, &mut rw, &mut reward_sum)]
                {
                    if let Some(Value::Num(s)) = res.get(k, row) {
                        match i64::try_from(s.mantissa()) {
                            Ok(m) if s.scale() == 0 => *acc += m,
                            _ => *total += *s,
                        }
                    }
                }
            }
            score_sum += Decimal::from(sc);
            reward_sum += Decimal::from(rw);
            cols_secs += te.elapsed().as_secs_f64();
            // The same rules written by hand over the same columns (one core).
            let th = Instant::now();
            let (ints, flags) = (&ints, &flags);
            for j in 0..len {
                let r: [i64; 8] = std::array::from_fn(|k| match k {
                    7 => i64::from(flags[j].unwrap_or(false)),
                    k => ints[k][j].unwrap_or(0),
                });
                let (ok, reward) = by_hand(r);
                hand_cols_q += u64::from(ok);
                hand_cols_reward += reward;
            }
            hand_cols_secs += th.elapsed().as_secs_f64();
            if sample.is_none() {
                let row = (0..res.len())
                    .find(|r| match res.int(0, *r) {
                        Some(q) => q == 1,
                        None => res.get(0, *r) == Some(&Value::Bool(true)),
                    })
                    .unwrap_or(0);
                let values = columns
                    .iter()
                    .map(|c| match c {
                        Column::Ints(v) => v[row].map(|x| Value::Num(Decimal::from(x))),
                        Column::Flags(v) => v[row].map(Value::Bool),
                        _ => None,
                    })
                    .collect();
                sample = Some((
                    values,
                    (3..7).map(|k| res.band(k, row).unwrap_or(-1)).collect(),
                ));
            }
            start = end;
        }
        // End to end: generating the inputs, the engine and reading its results.
        let secs = gen_secs + cols_secs;
        if warm_up {
            continue;
        }
        println!(
            "tech-sme engine (columnar fast path, score + title + bracketed reward + bands): {n} enterprises in {secs:.3} s end to end = {:.0} entities/s = {:.3} s per 10^6 (generating the inputs {gen_secs:.3} s; from the columns to the results read {cols_secs:.3} s = {:.3} s per 10^6, of which in evaluate_typed_compact_into {engine_secs:.3} s); qualified {qualified}; mean score {:.2}; rewards {reward_sum} 元; band checksum {band_sum}; rows not decided by the typed path {fallback_rows}, re-evaluated exactly {exact_rows}; peak RSS (VmHWM) {:.0} MiB",
            n as f64 / secs,
            secs * 1e6 / n as f64,
            cols_secs * 1e6 / n as f64,
            score_sum / Decimal::from(n),
            peak_rss_mib()
        );
        assert_eq!(
            hand_cols_q, qualified,
            "qualified: hand loop and engine differ"
        );
        assert_eq!(
            Decimal::from(hand_cols_reward),
            reward_sum,
            "rewards: hand loop and engine differ"
        );
        println!(
            "hand-written loop over the same columns (one core): {n} enterprises in {hand_cols_secs:.3} s = {:.3} s per 10^6; engine/hand (columns to results) {:.2}",
            hand_cols_secs * 1e6 / n as f64,
            cols_secs / hand_cols_secs
        );
        if let Some((values, bands)) = sample.as_ref().filter(|_| first) {
            first = false;
            // The explanation of one entity, rendered on demand from its inputs; the exact
            // evaluation must choose the bands the fast path recorded.
            let ev = plan.evaluate(&Entity {
                values: values.clone(),
            });
            let text = plan.explain(&ev).render();
            println!(
                "  recorded bands {bands:?}; explanation:\n{}",
                text.lines()
                    .take(12)
                    .map(|l| format!("    {l}"))
                    .collect::<Vec<_>>()
                    .join("\n")
            );
        }
        // The same rules written by hand, generating each row as it goes (one core).
        let t = Instant::now();
        let (mut hand_q, mut hand_reward) = (0u64, 0i64);
        for i in 0..n {
            let (ok, reward) = by_hand(row(i));
            hand_q += u64::from(ok);
            hand_reward += reward;
        }
        let hs = t.elapsed().as_secs_f64();
        assert_eq!(hand_q, qualified, "qualified: hand loop and engine differ");
        assert_eq!(
            Decimal::from(hand_reward),
            reward_sum,
            "rewards: hand loop and engine differ"
        );
        println!(
            "hand-written loop generating its rows (one core): {n} enterprises in {hs:.3} s = {:.0} entities/s = {:.3} s per 10^6; qualified {hand_q}, rewards {hand_reward} 元 (equal to the engine's); engine/hand (end to end) {:.2}",
            n as f64 / hs,
            hs * 1e6 / n as f64,
            secs / hs
        );
    }
}
