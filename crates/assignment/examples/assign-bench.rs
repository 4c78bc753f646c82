//! Benchmark of the optimal solver on synthetic topic-vector instances.
//!
//! `cargo run --release -p kechuang-assignment --example assign-bench [small|medium|large|all] [threads] [slack]`
//! (`METHOD=paths|scaling` pins the cold solve; `FAIR=1` runs `solve_fair`, printing τ*)
//!
//! Instance: topic vectors (16 topics, 4 drawn per vector, unit length quantised at 1000, so
//! affinity = cosine × 10^6), 1% random conflicts per application, every expert capped at
//! `ceil(slack × average load)` (slack 1.5 unless given).
//!
//! Each size runs in its own process (so the peak-memory figure, VmHWM, is per size).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::Instant;

use kechuang_assignment::rng::SplitMix64;
use kechuang_assignment::{
    Affinity, INELIGIBLE, Method, Options, SCALE, TOPICS, TopicAffinity, solve, solve_fair,
};

fn vector(rng: &mut SplitMix64) -> [i16; TOPICS] {
    // 4 random topics with random weights, unit length, quantised at 1000.
    let mut w = [0f64; TOPICS];
    for _ in 0..4 {
        w[rng.below(TOPICS as u64) as usize] += 0.05 + rng.unit();
    }
    let norm = w.iter().map(|x| x * x).sum::<f64>().sqrt();
    let mut v = [0i16; TOPICS];
    for i in 0..TOPICS {
        v[i] = (w[i] / norm * 1000.0).round() as i16;
    }
    v
}

fn vm_hwm_mib() -> f64 {
    let s = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    s.lines()
        .find(|l| l.starts_with("VmHWM:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|kb| kb.parse::<f64>().ok())
        .map_or(f64::NAN, |kb| kb / 1024.0)
}

fn run(na: usize, ne: usize, k: u32, threads: usize, slack: f64) {
    let mut rng = SplitMix64::new(0x5eed_0000 + na as u64);
    let t0 = Instant::now();
    let apps: Vec<_> = (0..na).map(|_| vector(&mut rng)).collect();
    let experts: Vec<_> = (0..ne).map(|_| vector(&mut rng)).collect();
    let per_app = ne / 100; // 1% random conflicts
    let conflicts: Vec<Vec<u32>> = (0..na)
        .map(|_| (0..per_app).map(|_| rng.below(ne as u64) as u32).collect())
        .collect();
    let aff = TopicAffinity::new(apps, experts, conflicts).unwrap();
    let max_load = ((na * k as usize) as f64 * slack / ne as f64).ceil() as u32;
    let cap = vec![max_load; ne];
    let gen_s = t0.elapsed().as_secs_f64();

    let t1 = Instant::now();
    let mut opts = Options::new(k);
    opts.threads = threads;
    opts.candidates = std::env::var("CANDIDATES")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    opts.method = match std::env::var("METHOD").as_deref() {
        Ok("paths") => Method::Paths,
        Ok("scaling") => Method::Scaling,
        _ => Method::Auto,
    };
    let fair = std::env::var_os("FAIR").is_some();
    let sol = if fair {
        solve_fair(&aff, &cap, &opts).unwrap()
    } else {
        solve(&aff, &cap, &opts).unwrap()
    };
    let wall = t1.elapsed().as_secs_f64();
    let hwm = vm_hwm_mib();

    // Independent feasibility check of the result.
    let mut load = vec![0u32; ne];
    let mut row = vec![0i64; ne];
    let mut objective = 0i64;
    for (a, r) in sol.assignment.iter().enumerate() {
        assert_eq!(r.len(), k as usize, "application {a}");
        aff.fill_row(a, &mut row);
        for &(e, w) in r {
            assert_ne!(row[e as usize], INELIGIBLE, "conflict assigned");
            assert_eq!(row[e as usize], w);
            load[e as usize] += 1;
            objective += w;
        }
    }
    assert!(load.iter().all(|&l| l <= max_load));
    assert_eq!(objective, sol.objective);

    let s = &sol.stats;
    println!(
        "{na:>7} × {ne:>6} × k={k} max_load={max_load:<3} {:?}{} conflicts={:<9} | wall {wall:>7.3} s  peak {hwm:>7.1} MiB | objective {:.6}  bound {:.6}  gap {} (micro-units) | rounds {} (warm {}, scaled {}) candidates {} added {} scanned pairs {} rows proven by scan bound {} rescanned rows {} (pairs {}) augmentations {} settled {} {:?} | phases: candidates {:.2} s, flow {:.2} s, certificate {:.2} s | instance generation {gen_s:.2} s | fairness threshold τ* {:?}",
        opts.method,
        if fair { " fair" } else { "" },
        aff.conflict_count(),
        sol.objective as f64 / SCALE as f64,
        sol.bound as f64 / SCALE as f64,
        sol.gap(),
        s.rounds,
        s.warm_rounds,
        s.scaled_rounds,
        s.candidate_pairs,
        s.added_pairs,
        s.scanned_pairs,
        s.rows_bounded,
        s.rows_checked,
        s.rescanned_pairs,
        s.augmentations,
        s.settled,
        s.settled_per_round,
        s.candidates_s,
        s.flow_s,
        s.certify_s,
        s.fairness_threshold,
    );
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let which = args.get(1).map_or("all", String::as_str);
    let threads: usize = args.get(2).and_then(|t| t.parse().ok()).unwrap_or(0);
    // Load cap = ceil(slack × average load); 1.5 by default.
    let slack: f64 = args.get(3).and_then(|t| t.parse().ok()).unwrap_or(1.5);
    match which {
        "small" => run(1_000, 600, 3, threads, slack),
        "medium" => run(4_000, 2_400, 3, threads, slack),
        "large" => run(100_000, 30_000, 3, threads, slack),
        custom if custom.contains('x') => {
            // e.g. `20000x6000`
            let (a, e) = custom.split_once('x').unwrap();
            run(a.parse().unwrap(), e.parse().unwrap(), 3, threads, slack)
        }
        _ => {
            let exe = std::env::current_exe().unwrap();
            for size in ["small", "medium", "large"] {
                let st = std::process::Command::new(&exe)
                    .arg(size)
                    .arg(threads.to_string())
                    .arg(slack.to_string())
                    .status()
                    .unwrap();
                assert!(st.success());
            }
        }
    }
}
