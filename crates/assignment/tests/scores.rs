#![allow(clippy::unwrap_used, clippy::expect_used)]

use kechuang_assignment::scores::{Aggregate, Score, mean, normalize, rank, trimmed_mean};

fn s(item: &str, reviewer: &str, score: f64) -> Score {
    Score {
        item: item.into(),
        reviewer: reviewer.into(),
        score,
    }
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-9
}

#[test]
fn means() {
    assert_eq!(mean(&[]), None);
    assert_eq!(mean(&[1.0, 2.0]), Some(1.5));
    assert_eq!(trimmed_mean(&[1.0, 2.0]), Some(1.5));
    // drop one 10 and one 1
    assert_eq!(trimmed_mean(&[10.0, 1.0, 4.0, 10.0, 1.0]), Some(5.0));
}

#[test]
fn z_score_hand_computed() {
    // Reviewer R1: 80, 90 on A, B → mean 85, sd 5. R2: 60, 70, 80 on A, B, C → mean 70,
    // sd √(200/3). R3: single item (fallback: raw).
    let scores = vec![
        s("A", "R1", 80.0),
        s("B", "R1", 90.0),
        s("A", "R2", 60.0),
        s("B", "R2", 70.0),
        s("C", "R2", 80.0),
        s("C", "R3", 75.0),
    ];
    let n = normalize(&scores).unwrap();
    // pooled: 80,90,60,70,80,75 → mean 455/6
    let pm = 455.0 / 6.0;
    let pv = [80.0, 90.0, 60.0, 70.0, 80.0, 75.0]
        .iter()
        .map(|x: &f64| (x - pm) * (x - pm))
        .sum::<f64>()
        / 6.0;
    let psd = pv.sqrt();
    assert!(close(n.pooled_mean, pm));
    assert!(close(n.pooled_sd, psd));
    // R1 A: z = -1 → pm - psd
    assert!(close(n.scores[0].normalized, pm - psd));
    assert!(close(n.scores[1].normalized, pm + psd));
    // R2 B: z = 0 → pm
    assert!(close(n.scores[3].normalized, pm));
    let sd2 = (200.0f64 / 3.0).sqrt();
    assert!(close(n.scores[4].normalized, pm + 10.0 / sd2 * psd));
    // R3 fallback
    assert_eq!(n.scores[5].normalized, 75.0);
    assert!(!n.reviewers[2].calibrated);

    let r = rank(&scores, Aggregate::Mean).unwrap();
    assert_eq!(r[0].item, "B");
    assert_eq!(r[0].value, 80.0);
    assert_eq!(r[1].item, "C");
    assert_eq!(r[1].rank, 2);
    assert_eq!(r[2].item, "A");
    assert_eq!(r[0].reviews.len(), 2);
    assert_eq!(r[0].reviews[0].raw, 90.0);

    assert!(normalize(&[s("A", "R1", 1.0), s("A", "R1", 2.0)]).is_err());
    assert!(normalize(&[s("A", "R1", f64::NAN)]).is_err());
}

#[test]
fn ties_share_rank() {
    let r = rank(
        &[s("A", "R", 5.0), s("B", "Q", 5.0), s("C", "R", 1.0)],
        Aggregate::Mean,
    )
    .unwrap();
    assert_eq!(r.iter().map(|x| x.rank).collect::<Vec<_>>(), vec![1, 1, 3]);
}
