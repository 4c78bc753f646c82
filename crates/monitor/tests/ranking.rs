#![allow(clippy::unwrap_used, clippy::expect_used)]

use kechuang_monitor::ranking::{PERCENT_OF_TARGET_CAP, competition_ranks};
use kechuang_monitor::*;

fn ri(key: &str, higher: bool, weight: f64) -> RankIndicator {
    RankIndicator {
        key: key.to_owned(),
        name_zh: key.to_owned(),
        unit: String::new(),
        higher_is_better: higher,
        weight,
    }
}

fn row(region: &str, values: &[Option<f64>]) -> RegionValues {
    RegionValues {
        region: region.to_owned(),
        name: format!("县{region}"),
        values: values.to_vec(),
        targets: Vec::new(),
    }
}

#[test]
fn competition_ranking_with_ties_and_direction() {
    let v = [Some(10.0), Some(20.0), Some(20.0), Some(5.0), None];
    assert_eq!(
        competition_ranks(&v, true),
        vec![Some(3), Some(1), Some(1), Some(4), None]
    );
    assert_eq!(
        competition_ranks(&v, false),
        vec![Some(2), Some(3), Some(3), Some(1), None]
    );
}

#[test]
fn table_sorted_by_rank_missing_last() {
    let t = rank(
        &[ri("hte", true, 0.0)],
        &[
            row("a", &[Some(10.0)]),
            row("b", &[None]),
            row("c", &[Some(20.0)]),
            row("d", &[Some(20.0)]),
        ],
        None,
    )
    .unwrap();
    let order: Vec<&str> = t.rows.iter().map(|r| r.region.as_str()).collect();
    assert_eq!(order, ["c", "d", "a", "b"]);
    let ranks: Vec<Option<usize>> = t.rows.iter().map(|r| r.cells[0].rank).collect();
    assert_eq!(ranks, [Some(1), Some(1), Some(3), None]);
    assert!(t.rows.iter().all(|r| r.composite.is_none()));
    let (header, body) = t.to_rows(&[Some(0)]);
    assert_eq!(header, ["区划代码", "地区", "hte", "排名"]);
    assert_eq!(body[0], ["c", "县c", "20", "1"]);
    assert_eq!(body[3], ["b", "县b", "无数据", "—"]);
}

#[test]
fn a_region_without_data_is_unranked_not_zero() {
    let t = rank(
        &[ri("hte", true, 1.0), ri("rd", true, 1.0)],
        &[
            row("a", &[Some(10.0), Some(2.0)]),
            row("b", &[None, None]),
            row("c", &[Some(0.0), None]),
        ],
        Some(Normalization::MinMax),
    )
    .unwrap();
    let order: Vec<(&str, Option<usize>)> = t
        .rows
        .iter()
        .map(|r| (r.region.as_str(), r.composite_rank))
        .collect();
    assert_eq!(order, [("a", Some(1)), ("c", Some(2)), ("b", None)]);
    let b = &t.rows[2];
    assert_eq!(b.composite, None);
    assert!(
        b.cells
            .iter()
            .all(|c| c.value.is_none() && c.rank.is_none())
    );
    // A real zero is a value and is ranked.
    assert_eq!(t.rows[1].cells[0].rank, Some(2));
    assert!(t.rows[1].incomplete);
}

#[test]
fn min_max_composite() {
    // Second indicator is lower-is-better.
    let inds = [ri("x", true, 1.0), ri("y", false, 1.0)];
    let t = rank(
        &inds,
        &[
            row("A", &[Some(10.0), Some(3.0)]),
            row("B", &[Some(20.0), Some(1.0)]),
            row("C", &[Some(15.0), Some(2.0)]),
        ],
        Some(Normalization::MinMax),
    )
    .unwrap();
    let got: Vec<(&str, Option<f64>, Option<usize>)> = t
        .rows
        .iter()
        .map(|r| (r.region.as_str(), r.composite, r.composite_rank))
        .collect();
    assert_eq!(
        got,
        [
            ("B", Some(100.0), Some(1)),
            ("C", Some(50.0), Some(2)),
            ("A", Some(0.0), Some(3)),
        ]
    );
    let (header, _) = t.to_rows(&[]);
    assert_eq!(header.last().unwrap(), "综合排名");

    // Weighted 3:1, and a missing value counts 0 and flags the row.
    let inds = [ri("x", true, 3.0), ri("y", true, 1.0)];
    let t = rank(
        &inds,
        &[
            row("A", &[Some(0.0), Some(10.0)]),
            row("B", &[Some(10.0), None]),
            row("C", &[Some(5.0), Some(0.0)]),
        ],
        Some(Normalization::MinMax),
    )
    .unwrap();
    let b = t.rows.iter().find(|r| r.region == "B").unwrap();
    assert_eq!(b.composite, Some(75.0));
    assert!(b.incomplete);
    let c = t.rows.iter().find(|r| r.region == "C").unwrap();
    assert_eq!(c.composite, Some(37.5));
    let a = t.rows.iter().find(|r| r.region == "A").unwrap();
    assert_eq!(a.composite, Some(25.0));
    // All equal: everybody scores 100.
    let t = rank(
        &[ri("x", true, 1.0)],
        &[row("A", &[Some(5.0)]), row("B", &[Some(5.0)])],
        Some(Normalization::MinMax),
    )
    .unwrap();
    assert!(
        t.rows
            .iter()
            .all(|r| r.composite == Some(100.0) && r.composite_rank == Some(1))
    );
}

#[test]
fn percent_of_target_composite_is_capped() {
    let inds = [ri("x", true, 1.0), ri("y", false, 1.0)];
    let mut a = row("A", &[Some(150.0), Some(40.0)]);
    a.targets = vec![Some(100.0), Some(50.0)];
    let mut b = row("B", &[Some(80.0), Some(100.0)]);
    b.targets = vec![Some(100.0), Some(50.0)];
    let t = rank(&inds, &[a, b], Some(Normalization::PercentOfTarget)).unwrap();
    let a = t.rows.iter().find(|r| r.region == "A").unwrap();
    // 150 % capped at 100; 40 ≤ 50 under a cap → 100 (capped).
    assert_eq!(a.cells[0].score, Some(PERCENT_OF_TARGET_CAP));
    assert_eq!(a.composite, Some(100.0));
    let b = t.rows.iter().find(|r| r.region == "B").unwrap();
    // 80 % and 50 / 100 = 50 %.
    assert_eq!(b.composite, Some(65.0));
    assert_eq!(b.composite_rank, Some(2));
}

#[test]
fn invalid_input() {
    assert!(matches!(
        rank(&[ri("x", true, 1.0)], &[row("A", &[])], None),
        Err(RankingError::WrongWidth { .. })
    ));
    assert!(matches!(
        rank(
            &[ri("x", true, 0.0)],
            &[row("A", &[Some(1.0)])],
            Some(Normalization::MinMax)
        ),
        Err(RankingError::InvalidWeights)
    ));
    assert!(matches!(
        rank(&[ri("x", true, 1.0)], &[row("A", &[Some(f64::NAN)])], None),
        Err(RankingError::NonFinite { .. })
    ));
    // No rows is fine.
    assert!(
        rank(&[ri("x", true, 1.0)], &[], Some(Normalization::MinMax))
            .unwrap()
            .rows
            .is_empty()
    );
}

mod props {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn rank_is_one_plus_strictly_better(
            v in proptest::collection::vec(proptest::option::of(-100i32..100), 0..20)
        ) {
            let v: Vec<Option<f64>> = v.into_iter().map(|x| x.map(f64::from)).collect();
            let r = competition_ranks(&v, true);
            for (x, rk) in v.iter().zip(&r) {
                match x {
                    None => prop_assert!(rk.is_none()),
                    Some(x) => {
                        let better = v.iter().flatten().filter(|o| **o > *x).count();
                        prop_assert_eq!(*rk, Some(better + 1));
                    }
                }
            }
        }
    }
}
