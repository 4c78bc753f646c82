//! Aggregation of data elements up the region tree.
//!
//! Data elements are summed, indicators are then recomputed at every level with
//! [`crate::indicators::compute`] (ratio of sums, never mean of ratios).
//!
//! Rules, per data element and year:
//! - **Registry measures** ([`Origin::Registry`]): `value(R) = own(R) + Σ value(child)`, where
//!   `own(R)` counts the records attached to `R` itself (a city-level organization belongs to the
//!   city, not to any county). Absent means zero.
//! - **Entered values** ([`Origin::Entered`], and any key not in the catalog): a value entered for
//!   `R` itself is the official figure and is used as is ([`Basis::Reported`]) — a city's GDP
//!   from the 统计局 is not replaced by the sum of its counties (DHIS2's "aggregation levels").
//!   Otherwise, if **every** child has a value, `value(R) = Σ value(child)` ([`Basis::Summed`]);
//!   if only some have, `R` gets no value and the gap is listed in [`Rollup::incomplete`]:
//!   a city GDP summed from 3 of 4 counties would be silently wrong.

use std::collections::{BTreeMap, BTreeSet};

use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use serde::Serialize;

use crate::indicators::{self, ComputeError, DataValues, Indicator, Origin};
use crate::progress::Point;

/// A region code (GB/T 2260, as text).
pub type Region = String;

/// How an aggregated value was obtained.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Basis {
    /// Entered for this region itself.
    Reported,
    /// Sum over the children (for registry measures: own records plus the children).
    Summed { children: usize },
}

/// A parent whose entered value could not be summed because some children have none.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Incomplete {
    pub region: Region,
    pub year: i32,
    pub element: String,
    pub missing_children: Vec<Region>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum AggregateError {
    #[error("区划上下级关系存在循环：{region}")]
    Cycle { region: Region },
    #[error("汇总溢出：{region} {year}年 {element}")]
    Overflow {
        region: Region,
        year: i32,
        element: String,
    },
}

/// Aggregated data element values for every region of the tree and every year of the input.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Rollup {
    pub values: BTreeMap<(Region, i32), DataValues>,
    pub basis: BTreeMap<(Region, i32, String), Basis>,
    pub incomplete: Vec<Incomplete>,
}

impl Rollup {
    /// The aggregated values of one region-year (empty if none).
    pub fn get(&self, region: &str, year: i32) -> DataValues {
        self.values
            .get(&(region.to_owned(), year))
            .cloned()
            .unwrap_or_default()
    }

    /// Compute an indicator for one region-year from the aggregated values.
    pub fn indicator(
        &self,
        ind: &Indicator,
        region: &str,
        year: i32,
    ) -> Result<Decimal, ComputeError> {
        indicators::compute(ind, &self.get(region, year))
    }

    /// Whether the region has a figure for any of the indicator's data elements in `year`: a
    /// region-year without any is missing (无数据), not a count of zero.
    pub fn has_data(&self, ind: &Indicator, region: &str, year: i32) -> bool {
        self.values
            .get(&(region.to_owned(), year))
            .is_some_and(|v| ind.formula.elements().iter().any(|e| v.get(e).is_some()))
    }

    /// The indicator's yearly series for one region, as points for [`crate::progress::evaluate`]
    /// (years without a value — no figure for any of its elements, missing input, zero
    /// denominator — are left out).
    pub fn series(&self, ind: &Indicator, region: &str) -> Vec<Point> {
        self.values
            .iter()
            .filter(|((r, _), _)| r == region)
            .filter(|((_, year), _)| self.has_data(ind, region, *year))
            .filter_map(|((_, year), v)| {
                let d = indicators::compute(ind, v).ok()?;
                Some(Point::new(*year, d.to_f64()?))
            })
            .collect()
    }

    /// Compute an indicator for every region-year of the rollup.
    pub fn indicator_table(
        &self,
        ind: &Indicator,
    ) -> BTreeMap<(Region, i32), Result<Decimal, ComputeError>> {
        self.values
            .iter()
            .map(|(key, v)| (key.clone(), indicators::compute(ind, v)))
            .collect()
    }
}

fn is_registry(element: &str) -> bool {
    indicators::data_element(element).is_some_and(|e| matches!(e.origin, Origin::Registry { .. }))
}

/// Aggregate `own` values (per region and year: the values of records attached to that region
/// itself, or entered for it) up the tree given by `parents` (child → parent; roots have no
/// entry). The tree should list every region of the subtree, including those without data, so
/// that missing children of entered values are detected.
pub fn aggregate(
    own: &BTreeMap<(Region, i32), DataValues>,
    parents: &BTreeMap<Region, Region>,
) -> Result<Rollup, AggregateError> {
    let mut universe: BTreeSet<&str> = BTreeSet::new();
    for (c, p) in parents {
        universe.insert(c);
        universe.insert(p);
    }
    for (r, _) in own.keys() {
        universe.insert(r);
    }
    let mut children: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for (c, p) in parents {
        children.entry(p.as_str()).or_default().push(c.as_str());
    }
    // Depth of each region; a walk longer than the universe is a cycle.
    let mut order: Vec<(usize, &str)> = Vec::with_capacity(universe.len());
    for &r in &universe {
        let mut depth = 0usize;
        let mut cur = r;
        while let Some(p) = parents.get(cur) {
            depth += 1;
            if depth > universe.len() {
                return Err(AggregateError::Cycle {
                    region: r.to_owned(),
                });
            }
            cur = p;
        }
        order.push((depth, r));
    }
    // Deepest first, so that children are done before their parent.
    order.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(b.1)));

    let years: BTreeSet<i32> = own.keys().map(|(_, y)| *y).collect();
    let mut out = Rollup::default();
    for &year in &years {
        let elements: BTreeSet<&str> = own
            .iter()
            .filter(|((_, y), _)| *y == year)
            .flat_map(|(_, v)| v.0.keys().map(String::as_str))
            .collect();
        for &(_, region) in &order {
            let key = (region.to_owned(), year);
            let mine = own.get(&key);
            let kids: &[&str] = children.get(region).map_or(&[], Vec::as_slice);
            let mut values = DataValues::new();
            for &element in &elements {
                let own_v = mine.and_then(|m| m.get(element));
                let kid_vals: Vec<Option<Decimal>> = kids
                    .iter()
                    .map(|c| {
                        out.values
                            .get(&((*c).to_owned(), year))
                            .and_then(|v| v.get(element))
                    })
                    .collect();
                let overflow = || AggregateError::Overflow {
                    region: region.to_owned(),
                    year,
                    element: element.to_owned(),
                };
                let result = if is_registry(element) {
                    if own_v.is_none() && kid_vals.iter().all(Option::is_none) {
                        None
                    } else {
                        let mut sum = own_v.unwrap_or(Decimal::ZERO);
                        for v in kid_vals.iter().flatten() {
                            sum = sum.checked_add(*v).ok_or_else(overflow)?;
                        }
                        Some((
                            sum,
                            Basis::Summed {
                                children: kids.len(),
                            },
                        ))
                    }
                } else if let Some(v) = own_v {
                    Some((v, Basis::Reported))
                } else if kids.is_empty() || kid_vals.iter().all(Option::is_none) {
                    None
                } else if kid_vals.iter().all(Option::is_some) {
                    let mut sum = Decimal::ZERO;
                    for v in kid_vals.iter().flatten() {
                        sum = sum.checked_add(*v).ok_or_else(overflow)?;
                    }
                    Some((
                        sum,
                        Basis::Summed {
                            children: kids.len(),
                        },
                    ))
                } else {
                    out.incomplete.push(Incomplete {
                        region: region.to_owned(),
                        year,
                        element: element.to_owned(),
                        missing_children: kids
                            .iter()
                            .zip(&kid_vals)
                            .filter(|(_, v)| v.is_none())
                            .map(|(c, _)| (*c).to_owned())
                            .collect(),
                    });
                    None
                };
                if let Some((v, basis)) = result {
                    values.set(element, v);
                    out.basis
                        .insert((region.to_owned(), year, element.to_owned()), basis);
                }
            }
            out.values.insert(key, values);
        }
    }
    Ok(out)
}
