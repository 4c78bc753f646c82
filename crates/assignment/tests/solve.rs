#![allow(clippy::unwrap_used, clippy::expect_used)]

use kechuang_assignment::conflicts::{
    ApplicationRecord, ConflictIndex, ExpertRecord, Involvement, Reason, Rules, detect,
};
use kechuang_assignment::draw::draw;
use kechuang_assignment::explain::{Verdict, explain};
use kechuang_assignment::rng::SplitMix64;
use kechuang_assignment::{
    Affinity, Error, INELIGIBLE, Method, Options, Pairs, Solution, solve, solve_csv, solve_fair,
};

/// Dense test instance: forces the candidate-graph + certificate path.
struct Dense {
    w: Vec<Vec<i64>>,
}

impl Affinity for Dense {
    fn applications(&self) -> usize {
        self.w.len()
    }
    fn experts(&self) -> usize {
        self.w.first().map_or(0, Vec::len)
    }
    fn fill_row(&self, a: usize, row: &mut [i64]) {
        row.copy_from_slice(&self.w[a]);
    }
}

fn random_instance(rng: &mut SplitMix64) -> (Vec<Vec<i64>>, Vec<u32>, u32) {
    let na = 1 + rng.below(4) as usize;
    let ne = 1 + rng.below(5) as usize;
    let k = 1 + rng.below(2) as u32;
    let w = (0..na)
        .map(|_| {
            (0..ne)
                .map(|_| {
                    if rng.below(5) == 0 {
                        INELIGIBLE
                    } else {
                        // few distinct values → many ties
                        rng.below(7) as i64 * 1000 - 1000
                    }
                })
                .collect()
        })
        .collect();
    let cap = (0..ne).map(|_| rng.below(4) as u32).collect();
    (w, cap, k)
}

/// Exhaustive search: best total and, for fairness, best (min pair, total) lexicographically.
fn brute(w: &[Vec<i64>], cap: &[u32], k: u32) -> Option<(i64, (i64, i64))> {
    #[allow(clippy::too_many_arguments)]
    fn rec(
        a: usize,
        w: &[Vec<i64>],
        load: &mut Vec<u32>,
        cap: &[u32],
        k: u32,
        total: i64,
        min: i64,
        best: &mut Option<(i64, (i64, i64))>,
    ) {
        if a == w.len() {
            let b = best.get_or_insert((total, (min, total)));
            b.0 = b.0.max(total);
            b.1 = b.1.max((min, total));
            return;
        }
        let ne = cap.len();
        for mask in 0u32..(1 << ne) {
            if mask.count_ones() != k {
                continue;
            }
            let es: Vec<usize> = (0..ne).filter(|e| mask & (1 << e) != 0).collect();
            if es
                .iter()
                .any(|&e| w[a][e] == INELIGIBLE || load[e] >= cap[e])
            {
                continue;
            }
            let mut t = total;
            let mut m = min;
            for &e in &es {
                load[e] += 1;
                t += w[a][e];
                m = m.min(w[a][e]);
            }
            rec(a + 1, w, load, cap, k, t, m, best);
            for &e in &es {
                load[e] -= 1;
            }
        }
    }
    let mut best = None;
    rec(
        0,
        w,
        &mut vec![0; cap.len()],
        cap,
        k,
        0,
        i64::MAX,
        &mut best,
    );
    best
}

fn check_feasible(sol: &Solution, w: &[Vec<i64>], cap: &[u32], k: u32) {
    let mut load = vec![0u32; cap.len()];
    let mut total = 0;
    for (a, r) in sol.assignment.iter().enumerate() {
        assert_eq!(r.len(), k as usize);
        let mut es: Vec<u32> = r.iter().map(|x| x.0).collect();
        es.sort_unstable();
        es.dedup();
        assert_eq!(es.len(), k as usize, "expert twice");
        for &(e, x) in r {
            assert_ne!(
                w[a][e as usize], INELIGIBLE,
                "ineligible/conflict pair assigned"
            );
            assert_eq!(w[a][e as usize], x);
            load[e as usize] += 1;
            total += x;
        }
    }
    for (l, c) in load.iter().zip(cap) {
        assert!(l <= c, "load cap exceeded");
    }
    assert_eq!(total, sol.objective);
}

fn as_pairs(w: &[Vec<i64>]) -> Pairs {
    let ne = w.first().map_or(0, Vec::len);
    let mut v = Vec::new();
    for (a, r) in w.iter().enumerate() {
        for (e, &x) in r.iter().enumerate() {
            if x != INELIGIBLE {
                v.push((a as u32, e as u32, x));
            }
        }
    }
    Pairs::new(w.len(), ne, v).unwrap()
}

#[test]
fn matches_brute_force_and_bound_equals_objective() {
    let mut rng = SplitMix64::new(42);
    let mut feasible = 0;
    let mut added = 0;
    let mut warm = 0;
    let mut scaled = 0;
    for _ in 0..600 {
        let (w, cap, k) = random_instance(&mut rng);
        let best = brute(&w, &cap, k);
        let dense = Dense { w: w.clone() };
        let mut opts = Options::new(k);
        opts.candidates = k as usize; // as small as possible: exercises the certificate loop
        let mut results = Vec::new();
        for method in [Method::Auto, Method::Paths, Method::Scaling] {
            opts.method = method;
            results.push(solve(&dense, &cap, &opts));
            results.push(solve(&as_pairs(&w), &cap, &opts));
        }
        for res in results {
            match (best, res) {
                (Some((opt, _)), Ok(sol)) => {
                    check_feasible(&sol, &w, &cap, k);
                    assert_eq!(sol.objective, opt, "{w:?} {cap:?} k={k}");
                    assert_eq!(sol.bound, opt);
                    assert_eq!(sol.gap(), 0);
                    feasible += 1;
                    added += sol.stats.added_pairs;
                    warm += sol.stats.warm_rounds;
                    scaled += sol.stats.scaled_rounds;
                }
                (None, Err(Error::Infeasible { shortfalls })) => assert!(!shortfalls.is_empty()),
                (b, r) => panic!("brute {b:?} vs solver {r:?} on {w:?} {cap:?} k={k}"),
            }
        }
    }
    assert!(feasible > 200);
    assert!(added > 0, "certificate never had to add a withheld pair");
    assert!(warm > 0, "warm start never used");
    assert!(scaled > 200, "cost scaling solved {scaled} rounds");
}

/// Topic vectors (4 draws of 16 topics, weights below 250) and 2 random conflicts per
/// application; the instance and its dense weight matrix.
fn topic_instance(
    rng: &mut SplitMix64,
    na: usize,
    ne: usize,
) -> (kechuang_assignment::TopicAffinity, Vec<Vec<i64>>) {
    use kechuang_assignment::{TOPICS, TopicAffinity};
    let vec = |rng: &mut SplitMix64| {
        let mut v = [0i16; TOPICS];
        for _ in 0..4 {
            v[rng.below(TOPICS as u64) as usize] += rng.below(250) as i16;
        }
        v
    };
    let apps: Vec<_> = (0..na).map(|_| vec(rng)).collect();
    let experts: Vec<_> = (0..ne).map(|_| vec(rng)).collect();
    let conflicts: Vec<Vec<u32>> = (0..na)
        .map(|_| (0..2).map(|_| rng.below(ne as u64) as u32).collect())
        .collect();
    let aff = TopicAffinity::new(apps, experts, conflicts).unwrap();
    let mut w = vec![vec![0i64; ne]; na];
    for (a, r) in w.iter_mut().enumerate() {
        aff.fill_row(a, r);
    }
    (aff, w)
}

/// Loads at exactly the average and at 1.1 ×: cost scaling (chosen by `Auto` for such tight
/// loads) and successive shortest paths reach the same optimum, each proved by its duals, and
/// the `Auto` solve did use cost scaling.
#[test]
fn tight_loads_cost_scaling_matches_shortest_paths() {
    let mut rng = SplitMix64::new(11);
    for cap_each in [12u32, 13] {
        let (na, ne, k) = (600usize, 150usize, 3u32);
        let (aff, w) = topic_instance(&mut rng, na, ne);
        let cap = vec![cap_each; ne]; // 1800 units; 1800 or 1950 slots
        let mut objectives = Vec::new();
        for method in [Method::Auto, Method::Paths, Method::Scaling] {
            let mut opts = Options::new(k);
            opts.candidates = 4;
            opts.method = method;
            let s = solve(&aff, &cap, &opts).unwrap();
            check_feasible(&s, &w, &cap, k);
            assert_eq!(s.bound, s.objective, "{method:?}: {:?}", s.stats);
            if method != Method::Paths {
                assert!(s.stats.scaled_rounds >= 1, "{method:?}: {:?}", s.stats);
            } else {
                assert_eq!(s.stats.scaled_rounds, 0);
            }
            objectives.push(s.objective);
        }
        assert!(
            objectives.windows(2).all(|w| w[0] == w[1]),
            "{objectives:?}"
        );
    }
}

#[test]
fn fairness_is_lexicographic_optimum() {
    let mut rng = SplitMix64::new(7);
    for _ in 0..300 {
        let (w, cap, k) = random_instance(&mut rng);
        let best = brute(&w, &cap, k);
        let mut opts = Options::new(k);
        opts.candidates = 1;
        match (best, solve_fair(&Dense { w: w.clone() }, &cap, &opts)) {
            (Some((_, (min, total))), Ok(sol)) => {
                check_feasible(&sol, &w, &cap, k);
                if !w.is_empty() && k > 0 {
                    assert_eq!(sol.stats.fairness_threshold, Some(min), "{w:?} {cap:?} {k}");
                }
                assert_eq!(sol.objective, total);
                assert_eq!(sol.gap(), 0);
            }
            (None, Err(Error::Infeasible { .. })) => {}
            (b, r) => panic!("brute {b:?} vs solver {r:?}"),
        }
    }
}

#[test]
fn certificate_catches_withheld_pair() {
    // Application 1's best expert (0) is popular; with one candidate per row the first graph
    // gives application 0 expert 1 only… the certificate must find the better pair.
    let w = vec![vec![10, 9, 0], vec![10, 1, 0], vec![5, 0, 6]];
    let cap = vec![1, 1, 1];
    let mut opts = Options::new(1);
    opts.candidates = 1;
    let sol = solve(&Dense { w: w.clone() }, &cap, &opts).unwrap();
    assert_eq!(sol.objective, 9 + 10 + 6);
    assert_eq!(sol.bound, sol.objective);
    assert!(sol.stats.added_pairs > 0 || sol.stats.rounds > 1);
    check_feasible(&sol, &w, &cap, 1);
}

#[test]
fn infeasible_names_applications() {
    // Experts 0 and 1 only, capacity 1 each, three applications want one each.
    let w = vec![vec![1, 1], vec![2, 2], vec![3, INELIGIBLE]];
    let err = solve(&Dense { w }, &[1, 1], &Options::new(1)).unwrap_err();
    match err {
        Error::Infeasible { shortfalls } => {
            assert_eq!(shortfalls.len(), 1);
            assert_eq!(shortfalls[0].required, 1);
            assert_eq!(shortfalls[0].assigned, 0);
        }
        e => panic!("{e}"),
    }
}

#[test]
fn random_draw_reproducible() {
    let mut rng = SplitMix64::new(3);
    let w: Vec<Vec<i64>> = (0..20)
        .map(|_| (0..30).map(|_| rng.below(100) as i64).collect())
        .collect();
    let mut w2 = w.clone();
    w2[0][5] = INELIGIBLE;
    let d = Dense { w: w2.clone() };
    let cap = vec![3; 30];
    let a = draw(&d, &cap, 3, 20, 99).unwrap();
    let b = draw(&d, &cap, 3, 20, 99).unwrap();
    let c = draw(&d, &cap, 3, 20, 100).unwrap();
    assert_eq!(a, b);
    assert_ne!(a.assignment, c.assignment);
    let mut load = [0; 30];
    for (app, r) in a.assignment.iter().enumerate() {
        assert_eq!(r.len(), 3);
        for &e in r {
            assert!(w2[app][e as usize] >= 20 && w2[app][e as usize] != INELIGIBLE);
            load[e as usize] += 1;
        }
    }
    assert!(load.iter().all(|&l| l <= 3));
    assert!(matches!(
        draw(&d, &[0; 30], 1, 0, 1),
        Err(Error::Infeasible { .. })
    ));
}

#[test]
fn explanations_follow_duals() {
    let w = vec![vec![10, 9, INELIGIBLE, 1], vec![10, 2, 3, 1]];
    let cap = vec![1, 1, 1, 0];
    let d = Dense { w };
    let sol = solve(&d, &cap, &Options::new(1)).unwrap();
    assert_eq!(sol.objective, 19); // app1→0 (10) + app0→1 (9)
    let conflicts = ConflictIndex::new(&[kechuang_assignment::conflicts::Conflict {
        application: 0,
        expert: 2,
        reason: Reason::SameOrganization,
    }]);
    let v = explain(&sol, &d, &cap, Some(&conflicts), 0);
    assert!(matches!(
        v[1].verdict,
        Verdict::Assigned {
            affinity: 9,
            rank: 2
        }
    ));
    assert!(matches!(v[2].verdict, Verdict::Conflict { .. }));
    assert!(matches!(v[3].verdict, Verdict::Unavailable));
    match &v[0].verdict {
        Verdict::AtCapacity { reduced_cost, .. } | Verdict::LowerAffinity { reduced_cost, .. } => {
            assert!(*reduced_cost <= 0)
        }
        x => panic!("{x:?}"),
    }
}

#[test]
fn conflict_detection() {
    let inv = |id: &str, year| Involvement {
        id: id.into(),
        year,
    };
    let experts = vec![
        ExpertRecord {
            id: "E1".into(),
            organization: "O1".into(),
            county: Some("330106".into()),
            ..Default::default()
        },
        ExpertRecord {
            id: "E2".into(),
            organization: "O2".into(),
            projects: vec![inv("P1", 2024), inv("P0", 2015)],
            papers: vec![inv("D1", 2023)],
            ..Default::default()
        },
        ExpertRecord {
            id: "E3".into(),
            organization: "O3".into(),
            county: Some("330106".into()),
            ..Default::default()
        },
    ];
    let apps = vec![ApplicationRecord {
        id: "A1".into(),
        organization: "O1".into(),
        county: Some("330106".into()),
        team_projects: vec![inv("P1", 2022), inv("P0", 2016)],
        team_papers: vec![inv("D1", 2023)],
        avoid: vec!["E3".into()],
    }];
    let rules = Rules {
        current_year: 2026,
        window_years: 5,
        same_county: true,
    };
    let c = detect(&apps, &experts, &rules).unwrap();
    let got: Vec<(usize, Reason)> = c.iter().map(|c| (c.expert, c.reason.clone())).collect();
    assert!(got.contains(&(0, Reason::SameOrganization)));
    assert!(got.contains(&(0, Reason::SameCounty)));
    assert!(got.contains(&(
        1,
        Reason::CoMember {
            project: "P1".into(),
            year: 2022
        }
    )));
    assert!(got.contains(&(
        1,
        Reason::CoAuthor {
            paper: "D1".into(),
            year: 2023
        }
    )));
    assert!(got.contains(&(2, Reason::DeclaredAvoidance)));
    assert!(got.contains(&(2, Reason::SameCounty)));
    assert!(
        !got.iter()
            .any(|g| matches!(&g.1, Reason::CoMember { project, .. } if project == "P0"))
    );
    assert_eq!(got.len(), 6);

    let mut too_many = apps.clone();
    too_many[0].avoid = vec!["E1".into(), "E2".into(), "E3".into(), "E1".into()];
    assert!(matches!(
        detect(&too_many, &experts, &rules),
        Err(Error::TooManyAvoidances { .. })
    ));
}

fn run_csv(a: &str, c: &str, k: u32, max_load: u32) -> Result<(String, f64, f64), Error> {
    let mut out = Vec::new();
    let s = solve_csv(a.as_bytes(), c.as_bytes(), k, max_load, &mut out)?;
    Ok((String::from_utf8(out).unwrap(), s.objective, s.bound))
}

#[test]
fn csv_round_trip() {
    let body = "p1,x,0.8731\np1,y,0.5\np1,z,0.9\np2,x,0.7\np2,y,0.6\np2,z,0.1\n";
    let with_header = format!("application,expert,affinity\n{body}");
    let conflicts = "application,expert\np1,z\n";
    let (out1, obj, bound) = run_csv(body, conflicts, 1, 1).unwrap();
    let (out2, _, _) = run_csv(&with_header, conflicts, 1, 1).unwrap();
    assert_eq!(out1, out2);
    let lines: Vec<&str> = out1.lines().collect();
    // p1 cannot have z (conflict): p1→x 0.8731 + p2→y 0.6 = 1.4731 beats p1→y 0.5 + p2→x 0.7.
    assert_eq!(lines[..2], ["p1,x", "p2,y"]);
    let json: serde_json::Value = serde_json::from_str(lines[2]).unwrap();
    assert_eq!(json["objective"], 1.4731);
    assert_eq!(json["bound"], 1.4731);
    assert_eq!(obj, 1.4731);
    assert_eq!(bound, obj);

    let bad = "application,expert,affinity\np1,x,0.5\np1,y,abc\n";
    match run_csv(bad, "", 1, 1) {
        Err(Error::Csv { line, .. }) => assert_eq!(line, 3),
        r => panic!("{r:?}"),
    }
    match run_csv("p1,x,0.5\np1,x,0.6\n", "", 1, 1) {
        Err(Error::Csv { line, .. }) => assert_eq!(line, 2),
        r => panic!("{r:?}"),
    }
    match run_csv(body, conflicts, 3, 1) {
        Err(Error::Infeasible { shortfalls }) => {
            assert!(shortfalls.iter().any(|s| s.id == "p1" || s.id == "p2"))
        }
        r => panic!("{r:?}"),
    }
    assert_eq!(kechuang_assignment::parse_affinity("0.8731"), Ok(873_100));
    assert_eq!(
        kechuang_assignment::parse_affinity("-1.0000005"),
        Ok(-1_000_001)
    );
    assert_eq!(kechuang_assignment::parse_affinity("2e-3"), Ok(2_000));
    assert!(kechuang_assignment::parse_affinity("NaN").is_err());
    assert!(kechuang_assignment::parse_affinity("1.2.3").is_err());
}

#[test]
fn topic_affinity_sparse_candidates_match_full_graph() {
    use kechuang_assignment::{TOPICS, TopicAffinity};
    let mut rng = SplitMix64::new(11);
    let (mut added, mut warm) = (0, 0);
    for round in 0..9 {
        let (na, ne, k) = (300, 120, 3u32);
        let vec = |rng: &mut SplitMix64| {
            let mut v = [0i16; TOPICS];
            for _ in 0..3 {
                v[rng.below(TOPICS as u64) as usize] = rng.below(700) as i16 - 100;
            }
            v
        };
        let apps: Vec<_> = (0..na).map(|_| vec(&mut rng)).collect();
        let experts: Vec<_> = (0..ne).map(|_| vec(&mut rng)).collect();
        let conflicts: Vec<Vec<u32>> = (0..na)
            .map(|_| (0..3).map(|_| rng.below(ne as u64) as u32).collect())
            .collect();
        let aff = TopicAffinity::new(apps, experts, conflicts).unwrap();
        let mut w = vec![vec![0i64; ne]; na];
        for (a, r) in w.iter_mut().enumerate() {
            aff.fill_row(a, r);
            for (e, &x) in r.iter().enumerate() {
                assert_eq!(x, aff.pair(a, e));
            }
        }
        // Tight loads: 300·3 = 900 units over 120 experts (cap 8 = 960).
        let cap: Vec<u32> = (0..ne)
            .map(|e| {
                if e % 17 == 0 {
                    0
                } else {
                    [8, 10, 12][round % 3]
                }
            })
            .collect();
        let mut opts = Options::new(k);
        opts.candidates = 4;
        opts.threads = 2;
        let sparse = solve(&aff, &cap, &opts);
        let full = solve(&as_pairs(&w), &cap, &Options::new(k));
        match (sparse, full) {
            (Ok(s), Ok(f)) => {
                check_feasible(&s, &w, &cap, k);
                assert_eq!(s.objective, f.objective);
                assert_eq!(s.bound, s.objective);
                assert_eq!(f.bound, f.objective);
                eprintln!("{:?}", s.stats);
                assert!(s.stats.rounds > 1);
                added += s.stats.added_pairs;
                warm += s.stats.warm_rounds;
            }
            (
                Err(Error::Infeasible { shortfalls: a }),
                Err(Error::Infeasible { shortfalls: b }),
            ) => {
                assert_eq!(a.len(), b.len())
            }
            (s, f) => panic!("{s:?} vs {f:?}"),
        }
    }
    assert!(added > 0 && warm > 0, "added {added} warm {warm}");
}

/// Tight loads and tiny candidate rows: many certificate rounds with warm starts whose
/// searches pass through the sink (moving every price). Regression test for an unsound
/// incremental certificate; compared against the plain solve over all pairs.
#[test]
fn tight_loads_warm_rounds_match_full_graph() {
    let mut rng = SplitMix64::new(5);
    let mut rounds = 0;
    for _ in 0..4 {
        let (na, ne, k) = (600usize, 150usize, 3u32);
        let (aff, w) = topic_instance(&mut rng, na, ne);
        let cap = vec![14u32; ne]; // 1800 units, 2100 slots
        let mut opts = Options::new(k);
        opts.candidates = 3;
        let s = solve(&aff, &cap, &opts).unwrap();
        let f = solve(&as_pairs(&w), &cap, &Options::new(k)).unwrap();
        check_feasible(&s, &w, &cap, k);
        assert_eq!(s.objective, f.objective, "{:?}", s.stats);
        assert_eq!(s.bound, s.objective);
        assert_eq!(f.bound, f.objective);
        rounds += s.stats.warm_rounds;
    }
    assert!(rounds > 0);
}

/// The bench generator at 5,000 × 1,500 with loads at 1.1 × average: the optimum must not
/// depend on how many candidates the first round keeps (an unsound incremental certificate
/// once "proved" a worse assignment with 4 candidates).
#[test]
fn objective_independent_of_candidate_count() {
    use kechuang_assignment::{TOPICS, TopicAffinity};
    let (na, ne, k) = (5_000usize, 1_500usize, 3u32);
    let mut rng = SplitMix64::new(0x5eed_0000 + na as u64);
    let vector = |rng: &mut SplitMix64| {
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
    };
    let apps: Vec<_> = (0..na).map(|_| vector(&mut rng)).collect();
    let experts: Vec<_> = (0..ne).map(|_| vector(&mut rng)).collect();
    let conflicts: Vec<Vec<u32>> = (0..na)
        .map(|_| (0..ne / 100).map(|_| rng.below(ne as u64) as u32).collect())
        .collect();
    let aff = TopicAffinity::new(apps, experts, conflicts).unwrap();
    let cap = vec![11u32; ne];
    let mut objectives = Vec::new();
    for l in [4, 12, 48] {
        let mut opts = Options::new(k);
        opts.candidates = l;
        let s = solve(&aff, &cap, &opts).unwrap();
        assert_eq!(s.bound, s.objective);
        objectives.push(s.objective);
    }
    assert_eq!(objectives, vec![objectives[0]; 3]);
    assert_eq!(objectives[0], 13_622_480_812);
}
