#![allow(clippy::unwrap_used, clippy::expect_used)]

use kechuang_monitor::progress::{Undefined, forecast, linear_fit};
use kechuang_monitor::*;

fn close(a: f64, b: f64) {
    assert!((a - b).abs() < 1e-9, "{a} != {b}");
}

fn target(comparator: Comparator, value: f64, base: Option<f64>) -> Target {
    Target {
        comparator,
        value,
        value_max: None,
        baseline_year: 2020,
        baseline_value: base,
        target_year: 2025,
        unit: "家".to_owned(),
        decimals: None,
        as_of_year: None,
    }
}

fn pts(v: &[(i32, f64)]) -> Vec<Point> {
    v.iter().map(|&(y, v)| Point::new(y, v)).collect()
}

#[test]
fn brief_example_sentence() {
    // A perfect line +21 a year: OLS forecast for 2025 is exactly 139.
    let h = pts(&[
        (2020, 34.0),
        (2021, 55.0),
        (2022, 76.0),
        (2023, 97.0),
        (2024, 118.0),
    ]);
    let p = evaluate(&target(Comparator::AtLeast, 150.0, None), &h).unwrap();
    assert_eq!(p.forecast.chosen, Some(ForecastMethod::Linear));
    let lin = p.forecast.linear.unwrap();
    close(lin.slope, 21.0);
    close(lin.forecast, 139.0);
    close(lin.rmse, 0.0);
    // Trajectory 34 → 150: 2024 expects 34 + 116 × 0.8 = 126.8.
    close(p.expected.unwrap(), 126.8);
    close(p.gap_to_trajectory.unwrap(), 118.0 - 126.8);
    assert_eq!(p.on_trajectory, Some(false));
    close(p.shortfall_percent.unwrap(), 11.0 / 150.0 * 100.0);
    assert_eq!(p.status, Status::Lagging);
    assert_eq!(
        p.explanation_zh,
        "2024年实际118家，按线性趋势预计2025年达到139家，低于目标150家（差7.3%），状态：滞后"
    );
    close(p.percent_achieved.value().unwrap(), 118.0 / 150.0 * 100.0);
    close(p.elapsed_share.value().unwrap(), 80.0);
    close(p.progress_share.value().unwrap(), 84.0 / 116.0 * 100.0);
    assert_eq!(p.trajectory.len(), 6);
    close(p.trajectory[5].linear, 150.0);
    close(p.trajectory[5].compound.unwrap(), 150.0);
}

#[test]
fn ols_and_cagr_exact_values_and_selection_by_error() {
    let h = pts(&[
        (2020, 100.0),
        (2021, 104.0),
        (2022, 109.0),
        (2023, 113.0),
        (2024, 118.0),
    ]);
    let f = forecast(&h, None, 2025);
    let l = f.linear.unwrap();
    // x̄ = 2022, ȳ = 108.8, Sxy = 45, Sxx = 10.
    close(l.slope, 4.5);
    close(l.intercept, 108.8 - 4.5 * 2022.0);
    close(l.forecast, 122.3);
    close(l.rmse, (0.30f64 / 5.0).sqrt());
    let c = f.compound.unwrap();
    close(c.rate, 1.18f64.powf(0.25) - 1.0);
    close(c.forecast, 118.0 * 1.18f64.powf(0.25));
    assert!((c.rmse - 0.217_290_750_151_327_87).abs() < 1e-9);
    // The compound fit has the smaller in-sample error here.
    assert_eq!(f.chosen, Some(ForecastMethod::Compound));
    assert!(
        f.value()
            .is_some_and(|v| (v - 122.985_102_983_845_89).abs() < 1e-9)
    );
    assert!(f.reason_zh.contains("复合增长"));
}

#[test]
fn two_points_use_linear_one_point_has_no_forecast() {
    let f = forecast(&pts(&[(2020, 50.0), (2024, 82.0)]), None, 2025);
    assert_eq!(f.chosen, Some(ForecastMethod::Linear));
    close(f.value().unwrap(), 90.0);
    let one = forecast(&pts(&[(2024, 82.0)]), None, 2025);
    assert_eq!(one.chosen, None);
    assert!(one.linear.is_none() && one.compound.is_none());
    assert!(linear_fit(&[], 2025).is_none());
}

#[test]
fn cagr_skips_zero_and_negative_end_points() {
    let h = pts(&[(2020, 0.0), (2021, 10.0), (2022, 20.0), (2023, 40.0)]);
    let c = forecast(&h, None, 2025).compound.unwrap();
    close(c.rate, 1.0);
    assert_eq!(c.from, Point::new(2021, 10.0));
    close(c.forecast, 160.0);
    // No two positive values: no CAGR; linear only.
    let f = forecast(&pts(&[(2020, -5.0), (2021, 0.0), (2022, 3.0)]), None, 2025);
    assert!(f.compound.is_none());
    assert_eq!(f.chosen, Some(ForecastMethod::Linear));
    // Declining series: negative growth.
    let d = forecast(&pts(&[(2020, 100.0), (2022, 81.0)]), None, 2024)
        .compound
        .unwrap();
    close(d.rate, -0.1);
    close(d.forecast, 65.61);
}

/// Baseline 2020 = 50, target ≥ 100 in 2025, one actual in 2024. With the baseline, two points:
/// linear forecast = 50 + 1.25 (x − 50); the trajectory expects 90 in 2024.
fn at_least_2024(x: f64) -> Progress {
    evaluate(
        &target(Comparator::AtLeast, 100.0, Some(50.0)),
        &pts(&[(2024, x)]),
    )
    .unwrap()
}

#[test]
fn status_boundaries() {
    assert_eq!(at_least_2024(100.0).status, Status::Achieved);
    assert_eq!(at_least_2024(90.0).status, Status::OnTrack);
    assert_eq!(at_least_2024(90.0).on_trajectory, Some(true));
    let p = at_least_2024(89.9);
    assert_eq!(p.status, Status::Lagging);
    close(p.forecast.value().unwrap(), 99.875);
    // Forecast 90 → misses by exactly 10 %: still 滞后 (inclusive).
    let p = at_least_2024(82.0);
    close(p.forecast.value().unwrap(), 90.0);
    close(p.shortfall_percent.unwrap(), 10.0);
    assert_eq!(p.status, Status::Lagging);
    // Forecast 89.875 → 10.125 %: 预警.
    let p = at_least_2024(81.9);
    assert_eq!(p.status, Status::Warning);
    assert!(
        p.explanation_zh.ends_with("（差10.1%），状态：预警"),
        "{}",
        p.explanation_zh
    );
}

#[test]
fn about_is_a_soft_floor() {
    let mut t = target(
        Comparator::About {
            tolerance: progress::DEFAULT_ABOUT_TOLERANCE,
        },
        2.5,
        Some(2.0),
    );
    t.unit = "%".to_owned();
    let p = evaluate(&t, &pts(&[(2024, 2.4)])).unwrap();
    assert_eq!(p.status, Status::Achieved);
    close(p.percent_achieved.value().unwrap(), 96.0);
    assert!(!p.above_max);
    let p = evaluate(&t, &pts(&[(2024, 2.7)])).unwrap();
    assert!(p.met && p.above_max);
    let p = evaluate(&t, &pts(&[(2024, 2.3)])).unwrap();
    assert!(!p.met);
    // Trajectory 2.0 → 2.5 expects 2.4 in 2024; 2.3 ≥ 2.4 × 0.95 = 2.28 → on the path.
    assert_eq!(p.status, Status::OnTrack);
    // Serde default tolerance.
    let c: Comparator = serde_json::from_str(r#"{"kind":"about"}"#).unwrap();
    assert_eq!(c, Comparator::About { tolerance: 0.05 });
}

#[test]
fn increase_by() {
    let t = target(Comparator::IncreaseBy, 50.0, Some(200.0));
    let p = evaluate(&t, &pts(&[(2023, 230.0)])).unwrap();
    close(p.target_level, 250.0);
    // (230 − 200) / 50 = 60 %.
    close(p.percent_achieved.value().unwrap(), 60.0);
    close(p.expected.unwrap(), 230.0);
    assert_eq!(p.status, Status::OnTrack);
    let p = evaluate(&t, &pts(&[(2024, 251.0)])).unwrap();
    assert_eq!(p.status, Status::Achieved);
    // 新增 needs a baseline.
    assert_eq!(
        evaluate(&target(Comparator::IncreaseBy, 50.0, None), &[]),
        Err(ProgressError::MissingBaseline {
            comparator: "新增"
        })
    );
    // The baseline may come from the history.
    let p = evaluate(
        &target(Comparator::IncreaseBy, 50.0, None),
        &pts(&[(2020, 200.0), (2023, 230.0)]),
    )
    .unwrap();
    close(p.target_level, 250.0);
    // 新增 0: percent achieved undefined, not NaN.
    let p = evaluate(
        &target(Comparator::IncreaseBy, 0.0, Some(200.0)),
        &pts(&[(2023, 190.0)]),
    )
    .unwrap();
    assert_eq!(
        p.percent_achieved,
        Outcome::Undefined {
            reason: Undefined::ZeroDenominator
        }
    );
    // Base of the miss is 0 → any miss is 预警 (the target year has not passed, forecast misses).
    assert_eq!(p.status, Status::Warning);
}

#[test]
fn multiply_uses_the_compound_path_and_the_increase_as_base() {
    let t = target(Comparator::Multiply, 2.0, Some(100.0));
    let p = evaluate(&t, &pts(&[(2023, 150.0)])).unwrap();
    close(p.target_level, 200.0);
    assert_eq!(p.path_kind, PathKind::Compound);
    close(p.expected.unwrap(), 100.0 * 2f64.powf(0.6));
    assert_eq!(p.on_trajectory, Some(false));
    // (150 − 100) / (200 − 100) = 50 %.
    close(p.percent_achieved.value().unwrap(), 50.0);
    // Linear over (2020, 100), (2023, 150): 2025 → 183.33; misses 16.67 of an increase of 100.
    close(p.forecast.value().unwrap(), 150.0 + 100.0 / 3.0);
    close(p.shortfall_percent.unwrap(), 100.0 / 6.0);
    assert_eq!(p.status, Status::Warning);
    // Baseline 0: no compound path, percent undefined.
    let p = evaluate(
        &target(Comparator::Multiply, 2.0, Some(0.0)),
        &pts(&[(2023, 5.0)]),
    )
    .unwrap();
    assert!(p.trajectory.iter().all(|x| x.compound.is_none()));
    assert_eq!(p.status, Status::Achieved);
    assert_eq!(
        evaluate(&target(Comparator::Multiply, 0.0, Some(10.0)), &[]),
        Err(ProgressError::InvalidFactor)
    );
}

#[test]
fn at_most_is_lower_is_better() {
    let t = target(Comparator::AtMost, 50.0, Some(80.0));
    let p = evaluate(&t, &pts(&[(2024, 55.0)])).unwrap();
    // Trajectory 80 → 50 expects 56 in 2024.
    close(p.expected.unwrap(), 56.0);
    assert_eq!(p.status, Status::OnTrack);
    close(p.percent_achieved.value().unwrap(), 50.0 / 55.0 * 100.0);
    let p = evaluate(&t, &pts(&[(2024, 48.0)])).unwrap();
    assert_eq!(p.status, Status::Achieved);
    // 80 → 60 over 4 years: 2025 forecast 55, 10 % above the cap.
    let p = evaluate(&t, &pts(&[(2024, 60.0)])).unwrap();
    close(p.forecast.value().unwrap(), 55.0);
    close(p.shortfall_percent.unwrap(), 10.0);
    assert_eq!(p.status, Status::Lagging);
    assert!(
        p.explanation_zh.contains("高于目标50家"),
        "{}",
        p.explanation_zh
    );
    let p = evaluate(&t, &pts(&[(2024, 0.0)])).unwrap();
    assert_eq!(p.status, Status::Achieved);
    assert_eq!(
        p.percent_achieved,
        Outcome::Undefined {
            reason: Undefined::NonPositiveActual
        }
    );
}

#[test]
fn no_data_one_point_and_passed_target_year() {
    let t = target(Comparator::AtLeast, 100.0, Some(50.0));
    let p = evaluate(&t, &[]).unwrap();
    assert_eq!(p.status, Status::NoData);
    assert_eq!(p.explanation_zh, "暂无实际数据，状态：无数据");
    assert!(p.latest.is_none());

    // No baseline value anywhere and one point: no trajectory, no forecast.
    let p = evaluate(
        &target(Comparator::AtLeast, 100.0, None),
        &pts(&[(2024, 90.0)]),
    )
    .unwrap();
    assert!(p.trajectory.is_empty());
    assert_eq!(p.forecast.chosen, None);
    assert_eq!(p.status, Status::Warning);
    assert!(p.explanation_zh.contains("数据不足"));

    // A value of a later year does not judge an earlier target.
    let mut t2 = target(Comparator::AtLeast, 100.0, None);
    t2.target_year = 2023;
    let p = evaluate(&t2, &pts(&[(2024, 90.0)])).unwrap();
    assert_eq!(p.status, Status::NoData);
    assert!(p.latest.is_none());
}

/// 高企: 52 in 2020, target 150 in 2025, 132 reached in 2025 and 160 in 2026.
fn hte_history() -> Vec<Point> {
    pts(&[
        (2020, 52.0),
        (2021, 68.0),
        (2022, 85.0),
        (2023, 101.0),
        (2024, 118.0),
        (2025, 132.0),
        (2026, 160.0),
    ])
}

#[test]
fn a_passed_target_year_is_judged_on_its_own_value() {
    let mut t = target(Comparator::AtLeast, 150.0, Some(52.0));
    t.decimals = Some(0);
    t.as_of_year = Some(2026);
    let p = evaluate(&t, &hte_history()).unwrap();
    // 2026's 160 does not count for a 2025 target: 2025's 132 misses it.
    assert_eq!(p.latest, Some(Point::new(2025, 132.0)));
    assert_eq!(p.status, Status::Missed);
    assert_eq!(
        p.explanation_zh,
        "2025年实际132家，低于目标150家（差12.0%），状态：未达标"
    );
    assert_eq!(p.forecast.chosen, None);
    assert_eq!(p.forecast_value, None);
    assert_eq!(Status::Missed.label_zh(), "未达标");
    // Reached in the target year: 达标, whatever the later years.
    let mut h = hte_history();
    h[5].value = 151.0;
    h[6].value = 120.0;
    assert_eq!(evaluate(&t, &h).unwrap().status, Status::Achieved);
}

#[test]
fn a_passed_target_year_without_its_value_is_not_forecast() {
    let mut t = target(Comparator::AtLeast, 150.0, Some(52.0));
    t.decimals = Some(0);
    t.as_of_year = Some(2026);
    let p = evaluate(&t, &hte_history()[..5]).unwrap();
    assert_eq!(p.status, Status::NoData);
    assert_eq!(p.forecast.chosen, None);
    assert_eq!(p.forecast_value, None);
    assert_eq!(
        p.explanation_zh,
        "目标年2025年已过，尚无2025年实际数据（最近为2024年实际118家），无法判定是否达标，状态：无数据"
    );
    // In the target year itself the forecast still runs.
    t.as_of_year = Some(2025);
    let p = evaluate(&t, &hte_history()[..5]).unwrap();
    assert!(p.forecast.chosen.is_some());
}

#[test]
fn forecasts_are_rounded_to_the_indicator_unit() {
    // OLS over 2021–2024 gives 300.25 for 2025; a count is forecast as 300.
    let h = pts(&[(2021, 270.1), (2022, 277.7), (2023, 285.3), (2024, 293.0)]);
    let mut t = target(Comparator::AtLeast, 400.0, None);
    t.decimals = Some(0);
    t.unit = "个".to_owned();
    let p = evaluate(&t, &h).unwrap();
    let raw = p.forecast.value().unwrap();
    assert!((raw - raw.round()).abs() > 0.01, "{raw}");
    assert_eq!(p.forecast_value, Some(raw.round()));
    assert!(
        p.explanation_zh
            .contains(&format!("预计2025年达到{}个", raw.round())),
        "{}",
        p.explanation_zh
    );
    assert_eq!(p.report_row(&t)[10], format!("{}", raw.round()));
}

#[test]
fn invalid_input_is_a_typed_error() {
    let mut t = target(Comparator::AtLeast, 100.0, Some(50.0));
    assert_eq!(
        evaluate(&t, &pts(&[(2024, 1.0), (2024, 2.0)])),
        Err(ProgressError::DuplicateYear { year: 2024 })
    );
    assert!(matches!(
        evaluate(&t, &pts(&[(2024, f64::NAN)])),
        Err(ProgressError::NonFinite { .. })
    ));
    t.target_year = 2020;
    assert!(matches!(
        evaluate(&t, &[]),
        Err(ProgressError::TargetYearNotAfterBaseline { .. })
    ));
    let bad = target(Comparator::About { tolerance: 1.5 }, 1.0, None);
    assert_eq!(evaluate(&bad, &[]), Err(ProgressError::InvalidTolerance));
    // A target of 0: percent achieved undefined.
    let p = evaluate(
        &target(Comparator::AtLeast, 0.0, None),
        &pts(&[(2024, 3.0)]),
    )
    .unwrap();
    assert_eq!(p.status, Status::Achieved);
    assert!(p.percent_achieved.value().is_none());
}

#[test]
fn results_serialize() {
    let p = at_least_2024(82.0);
    let j = serde_json::to_value(&p).unwrap();
    assert_eq!(j["status"], "lagging");
    assert_eq!(j["forecast"]["chosen"], "linear");
    assert_eq!(Status::Lagging.label_zh(), "滞后");
    let t: Target = serde_json::from_str(
        r#"{"comparator":{"kind":"multiply"},"value":2,"baseline_year":2020,"baseline_value":52,"target_year":2025}"#,
    )
    .unwrap();
    assert_eq!(t.comparator, Comparator::Multiply);
}

mod props {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// Any finite input gives a result with finite numbers and a sentence, never a panic.
        #[test]
        fn never_panics_or_nans(
            values in proptest::collection::vec(-1e6f64..1e6, 0..8),
            value in -1e6f64..1e6,
            base in proptest::option::of(-1e6f64..1e6),
            kind in 0usize..5,
        ) {
            let comparator = [
                Comparator::AtLeast,
                Comparator::About { tolerance: 0.05 },
                Comparator::IncreaseBy,
                Comparator::Multiply,
                Comparator::AtMost,
            ][kind];
            let t = target(comparator, value, base);
            let h: Vec<Point> = values
                .iter()
                .enumerate()
                .map(|(i, v)| Point::new(2018 + i as i32, *v))
                .collect();
            if let Ok(p) = evaluate(&t, &h) {
                prop_assert!(!p.explanation_zh.is_empty());
                for v in [p.expected, p.gap_to_trajectory, p.shortfall_percent, p.forecast.value(),
                          p.percent_achieved.value(), p.progress_share.value()].into_iter().flatten() {
                    prop_assert!(v.is_finite());
                }
            }
        }
    }
}

#[test]
fn report_row_matches_header() {
    let t = target(Comparator::AtLeast, 100.0, Some(50.0));
    let p = evaluate(&t, &pts(&[(2024, 82.0)])).unwrap();
    let row = p.report_row(&t);
    assert_eq!(row.len(), progress::REPORT_HEADER.len());
    assert_eq!(
        &row[..12],
        [
            "2020",
            "50",
            "2025",
            "100",
            "2024",
            "82",
            "82.0",
            "90",
            "-8",
            "线性趋势",
            "90",
            "滞后"
        ]
    );
    let empty = evaluate(&t, &[]).unwrap().report_row(&t);
    assert_eq!(empty[4], "—");
    assert_eq!(empty[11], "无数据");
}
