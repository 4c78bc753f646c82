#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::{BTreeMap, BTreeSet};

use kechuang_monitor::indicators::keys as k;
use kechuang_monitor::*;
use rust_decimal::Decimal;

fn d(s: &str) -> Decimal {
    s.parse().unwrap()
}

fn ind(key: &str) -> &'static Indicator {
    indicator(key).expect(key)
}

#[test]
fn catalog_is_consistent() {
    let mut keys = BTreeSet::new();
    for i in INDICATORS {
        assert!(keys.insert(i.key), "duplicate indicator {}", i.key);
        for e in i.formula.elements() {
            assert!(data_element(e).is_some(), "{}: unknown element {e}", i.key);
        }
        // Ratios recompute from sums; everything else sums.
        let is_ratio = matches!(i.formula, Formula::Ratio { .. });
        assert_eq!(
            i.aggregation == AggregationKind::RatioOfSums,
            is_ratio,
            "{}",
            i.key
        );
        assert!(!i.name_zh.is_empty() && !i.definition_zh.is_empty() && !i.source.is_empty());
    }
    let mut els = BTreeSet::new();
    for e in DATA_ELEMENTS {
        assert!(els.insert(e.key), "duplicate element {}", e.key);
    }
    for key in [
        "high_tech_enterprise_count",
        "tech_sme_count",
        "rd_intensity",
        "technology_contract_turnover",
        "above_scale_industrial_enterprise_rd_activity_coverage_rate",
        "platform_count_city_and_above",
        "platform_count_provincial_and_above",
        "platform_count_national",
        "tech_commissioner_count",
        "invention_patents_per_10k_population",
    ] {
        assert!(indicator(key).is_some(), "{key}");
    }
    assert_eq!(
        ind("rd_intensity").name_zh,
        "研究与试验发展(R&D)经费投入强度"
    );
    assert!(indicator("nope").is_none());
}

#[test]
fn ratio_and_zero_denominator() {
    let v = DataValues::new()
        .with(k::RD_EXPENDITURE, d("6"))
        .with(k::GDP, d("300"));
    assert_eq!(compute(ind("rd_intensity"), &v).unwrap(), d("2"));

    let zero = DataValues::new()
        .with(k::RD_EXPENDITURE, d("6"))
        .with(k::GDP, d("0"));
    assert_eq!(
        compute(ind("rd_intensity"), &zero),
        Err(ComputeError::ZeroDenominator {
            element: k::GDP,
            name_zh: "地区生产总值"
        })
    );
    let missing = DataValues::new().with(k::RD_EXPENDITURE, d("6"));
    assert!(matches!(
        compute(ind("rd_intensity"), &missing),
        Err(ComputeError::Missing { element: "gdp", .. })
    ));
    // Registry counts: no registered enterprises → denominator 0, typed, not NaN.
    assert!(matches!(
        compute(
            ind("above_scale_industrial_enterprise_rd_activity_coverage_rate"),
            &DataValues::new()
        ),
        Err(ComputeError::ZeroDenominator { .. })
    ));
    let cov = DataValues::new()
        .with(k::ABOVE_SCALE_INDUSTRIAL_COUNT, d("40"))
        .with(k::ABOVE_SCALE_INDUSTRIAL_WITH_RD_COUNT, d("30"));
    assert_eq!(
        compute(
            ind("above_scale_industrial_enterprise_rd_activity_coverage_rate"),
            &cov
        )
        .unwrap(),
        d("75")
    );
    // Per 万人: 1200 patents / 60万人 = 20.
    let pat = DataValues::new()
        .with(k::VALID_INVENTION_PATENTS, d("1200"))
        .with(k::RESIDENT_POPULATION, d("60"));
    assert_eq!(
        compute(ind("invention_patents_per_10k_population"), &pat).unwrap(),
        d("20")
    );
}

#[test]
fn sums_and_counts_treat_absent_registry_measures_as_zero() {
    let v = DataValues::new()
        .with(k::PLATFORMS_CITY, d("3"))
        .with(k::PLATFORMS_PROVINCIAL, d("2"));
    assert_eq!(
        compute(ind("platform_count_city_and_above"), &v).unwrap(),
        d("5")
    );
    assert_eq!(
        compute(ind("platform_count_provincial_and_above"), &v).unwrap(),
        d("2")
    );
    assert_eq!(compute(ind("platform_count_national"), &v).unwrap(), d("0"));
    // An entered element that is absent is missing, not zero.
    assert!(matches!(
        compute(ind("rd_expenditure_total"), &v),
        Err(ComputeError::Missing { .. })
    ));
}

fn tree() -> BTreeMap<String, String> {
    // 410000 省 → 410800 市 → 410882, 410883 县
    [
        ("410800", "410000"),
        ("410882", "410800"),
        ("410883", "410800"),
    ]
    .into_iter()
    .map(|(c, p)| (c.to_owned(), p.to_owned()))
    .collect()
}

#[test]
fn ratio_aggregation_is_ratio_of_sums_not_mean_of_ratios() {
    let mut own = BTreeMap::new();
    // County A: 2 % of a GDP of 300; county B: 4 % of a GDP of 100.
    own.insert(
        ("410882".to_owned(), 2024),
        DataValues::new()
            .with(k::RD_EXPENDITURE, d("6"))
            .with(k::GDP, d("300")),
    );
    own.insert(
        ("410883".to_owned(), 2024),
        DataValues::new()
            .with(k::RD_EXPENDITURE, d("4"))
            .with(k::GDP, d("100")),
    );
    let r = aggregate(&own, &tree()).unwrap();
    let ri = ind("rd_intensity");
    assert_eq!(r.indicator(ri, "410882", 2024).unwrap(), d("2"));
    assert_eq!(r.indicator(ri, "410883", 2024).unwrap(), d("4"));
    // 10 / 400 = 2.5 %, not (2 + 4) / 2 = 3 %.
    assert_eq!(r.indicator(ri, "410800", 2024).unwrap(), d("2.5"));
    assert_eq!(r.indicator(ri, "410000", 2024).unwrap(), d("2.5"));
    assert_eq!(
        r.basis.get(&("410800".to_owned(), 2024, k::GDP.to_owned())),
        Some(&Basis::Summed { children: 2 })
    );
    let table = r.indicator_table(ri);
    assert_eq!(table.len(), 4);
}

#[test]
fn entered_parent_value_wins_and_partial_sums_are_refused() {
    let mut own = BTreeMap::new();
    own.insert(
        ("410882".to_owned(), 2024),
        DataValues::new()
            .with(k::GDP, d("300"))
            .with(k::RD_EXPENDITURE, d("50"))
            .with(k::HTE_VALID_COUNT, d("10")),
    );
    own.insert(
        ("410883".to_owned(), 2024),
        DataValues::new()
            .with(k::GDP, d("100"))
            .with(k::HTE_VALID_COUNT, d("5")),
    );
    // The city's official GDP (统计局) differs from the sum of its counties; it has 2 HTEs of its
    // own (city-level organizations).
    own.insert(
        ("410800".to_owned(), 2024),
        DataValues::new()
            .with(k::GDP, d("420"))
            .with(k::HTE_VALID_COUNT, d("2")),
    );
    let r = aggregate(&own, &tree()).unwrap();
    let city = r.get("410800", 2024);
    assert_eq!(city.get(k::GDP), Some(d("420")));
    assert_eq!(
        r.basis.get(&("410800".to_owned(), 2024, k::GDP.to_owned())),
        Some(&Basis::Reported)
    );
    // Registry: own + children.
    assert_eq!(city.get(k::HTE_VALID_COUNT), Some(d("17")));
    assert_eq!(
        r.indicator(ind("high_tech_enterprise_count"), "410000", 2024)
            .unwrap(),
        d("17")
    );
    // R&D expenditure (entered) only from one of two counties: no city value, reported as incomplete.
    assert_eq!(city.get(k::RD_EXPENDITURE), None);
    assert_eq!(
        r.incomplete,
        vec![Incomplete {
            region: "410800".to_owned(),
            year: 2024,
            element: k::RD_EXPENDITURE.to_owned(),
            missing_children: vec!["410883".to_owned()],
        }]
    );
    assert!(matches!(
        r.indicator(ind("rd_expenditure_total"), "410800", 2024),
        Err(ComputeError::Missing { .. })
    ));
    // The province has one child (the city) whose GDP is known: summed from it.
    assert_eq!(r.get("410000", 2024).get(k::GDP), Some(d("420")));
}

#[test]
fn years_are_independent_and_cycles_are_rejected() {
    let mut own = BTreeMap::new();
    own.insert(
        ("410882".to_owned(), 2023),
        DataValues::new().with(k::HTE_VALID_COUNT, d("7")),
    );
    own.insert(
        ("410882".to_owned(), 2024),
        DataValues::new().with(k::HTE_VALID_COUNT, d("9")),
    );
    let r = aggregate(&own, &tree()).unwrap();
    assert_eq!(r.get("410000", 2023).get(k::HTE_VALID_COUNT), Some(d("7")));
    assert_eq!(r.get("410000", 2024).get(k::HTE_VALID_COUNT), Some(d("9")));

    let mut cyc = tree();
    cyc.insert("410000".to_owned(), "410882".to_owned());
    assert!(matches!(
        aggregate(&own, &cyc),
        Err(AggregateError::Cycle { .. })
    ));
}

mod props {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// A parent's ratio lies between its children's ratios (a weighted mean), whatever the
        /// sizes.
        #[test]
        fn parent_ratio_between_children(
            counties in proptest::collection::vec((0u32..10_000, 1u32..100_000), 1..8)
        ) {
            let mut parents = BTreeMap::new();
            let mut own = BTreeMap::new();
            let mut ratios = Vec::new();
            for (i, (num, den)) in counties.iter().enumerate() {
                let code = format!("c{i}");
                parents.insert(code.clone(), "city".to_owned());
                let v = DataValues::new()
                    .with(k::RD_EXPENDITURE, Decimal::from(*num))
                    .with(k::GDP, Decimal::from(*den));
                ratios.push(compute(ind("rd_intensity"), &v).unwrap());
                own.insert((code, 2024), v);
            }
            let r = aggregate(&own, &parents).unwrap();
            let city = r.indicator(ind("rd_intensity"), "city", 2024).unwrap();
            let min = ratios.iter().min().copied().unwrap();
            let max = ratios.iter().max().copied().unwrap();
            let slack = d("0.000000001");
            prop_assert!(city >= min - slack && city <= max + slack);
        }
    }
}

#[test]
fn series_and_display() {
    let mut own = BTreeMap::new();
    for (year, rd, gdp) in [(2022, "5", "250"), (2023, "6", "0"), (2024, "7.35", "300")] {
        own.insert(
            ("410882".to_owned(), year),
            DataValues::new()
                .with(k::RD_EXPENDITURE, d(rd))
                .with(k::GDP, d(gdp)),
        );
    }
    let r = aggregate(&own, &tree()).unwrap();
    let ri = ind("rd_intensity");
    // 2023 has a zero GDP: left out of the series.
    assert_eq!(
        r.series(ri, "410882"),
        vec![Point::new(2022, 2.0), Point::new(2024, 2.45)]
    );
    // The other county reported nothing: the city has no GDP, hence no series.
    assert!(r.series(ri, "410800").is_empty());
    // A region without any registry figure has no count, not a count of zero.
    let hte = ind("high_tech_enterprise_count");
    let mut own = BTreeMap::new();
    own.insert(
        ("410882".to_owned(), 2024),
        DataValues::new().with(k::HTE_VALID_COUNT, d("0")),
    );
    own.insert(("410883".to_owned(), 2024), DataValues::new());
    let r = aggregate(&own, &tree()).unwrap();
    assert!(r.has_data(hte, "410882", 2024));
    assert_eq!(r.series(hte, "410882"), vec![Point::new(2024, 0.0)]);
    assert!(!r.has_data(hte, "410883", 2024));
    assert!(r.series(hte, "410883").is_empty());
    assert_eq!(ri.display(d("2.4567")), "2.46");
    let col = RankIndicator::from_indicator(ri, 1.0);
    assert_eq!(col.unit, "%");
    assert!(col.higher_is_better);
}
