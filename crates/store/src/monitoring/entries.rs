//! Indicator values entered with source and date, and the registry's own measures.

use super::*;

impl Store {
    /// Enter (or correct) an indicator value with its source and date.
    pub async fn put_entry(&self, caller: &Caller, e: &Entry) -> StoreResult<Entry> {
        let mut c = kechuang_domain::error::Collector::default();
        let region = c.take(RegionCode::parse_known(&e.region));
        if e.element.trim().is_empty() || e.element.len() > 80 {
            c.push(FieldError::new(
                "element",
                "element.required",
                "请选择数据项",
            ));
        }
        if !(1990..=2100).contains(&e.year) {
            c.push(FieldError::new(
                "year",
                "year.range",
                "年份应在1990至2100之间",
            ));
        }
        if e.source.trim().is_empty() || e.source.chars().count() > 200 {
            c.push(FieldError::new(
                "source",
                "source.required",
                "请填写数据来源（不超过200字）",
            ));
        }
        if chrono::NaiveDate::parse_from_str(e.source_date.trim(), "%Y-%m-%d").is_err() {
            c.push(FieldError::new(
                "source_date",
                "source_date.format",
                "数据日期格式应为 YYYY-MM-DD",
            ));
        }
        if e.value.is_sign_negative() {
            c.push(FieldError::new("value", "value.negative", "数值不能为负"));
        }
        let region = match region {
            Some(r) if c.is_empty() => r,
            _ => return Err(c.finish().err().unwrap_or(Invalid(vec![])).into()),
        };
        let path = region_path(region)?;
        if !caller.scope.admits(RecordKeys::region(&path)) {
            return Err(StoreError::Forbidden("该地区不在您的管辖范围内".into()));
        }
        let mut tx = self.write(caller).await?;
        let mut q = <Entry as Record>::select();
        q.and_where(Expr::col("element").eq(e.element.trim()))
            .and_where(Expr::col("region_code").eq(region.to_string()))
            .and_where(Expr::col("year").eq(i64::from(e.year)));
        let existing = match sql::fetch_one(tx.conn(), &q).await? {
            Some(r) => Some(entry_from_row(&r)?),
            None => None,
        };
        let vals: Values = vec![
            ("value", e.value.normalize().to_string().into()),
            ("source", e.source.trim().into()),
            ("source_date", e.source_date.trim().into()),
        ];
        let after = match &existing {
            Some(old) => tx.update_as("update", old, vals).await?,
            None => {
                let mut vals = vals;
                vals.extend([
                    ("element", e.element.trim().into()),
                    ("region_code", region.to_string().into()),
                    ("region_path", path.into()),
                    ("year", i64::from(e.year).into()),
                ]);
                tx.create(vals).await?
            }
        };
        tx.commit().await?;
        Ok(after)
    }

    /// Entered values in the scope, optionally of one element.
    pub async fn list_entries(
        &self,
        scope: &DataScope,
        element: Option<&str>,
    ) -> StoreResult<Vec<Entry>> {
        let mut q = <Entry as Record>::select();
        q.cond_where(sql::scope_condition(scope, ENTRIES))
            .order_by("element", Order::Asc)
            .order_by("region_code", Order::Asc)
            .order_by("year", Order::Asc)
            .limit(20_000);
        if let Some(el) = element.filter(|s| !s.is_empty()) {
            q.and_where(Expr::col("element").eq(el));
        }
        sql::fetch_all(&self.db, &q)
            .await?
            .iter()
            .map(entry_from_row)
            .collect()
    }

    /// Registry measures (monitor data elements of origin Registry) per region of the records
    /// and year, within the scope, for `years`.
    pub async fn registry_measures(
        &self,
        scope: &DataScope,
        years: std::ops::RangeInclusive<i32>,
    ) -> StoreResult<Vec<Measure>> {
        let (y0, y1) = (i64::from(*years.start()), i64::from(*years.end()));
        let mut out = Vec::new();
        let region_of = |path: &str| {
            path.trim_end_matches('/')
                .rsplit('/')
                .next()
                .unwrap_or_default()
                .to_owned()
        };
        // Enterprise-year figures: valid 高企, 规上工业 (B/C/D, revenue ≥ 2000万元) with and
        // without R&D, R&D expense (fen → 万元).
        let mut q = Query::select();
        q.expr_as(Expr::col(("enterprise_years", "region_path")), "rp")
            .expr_as(Expr::col(("enterprise_years", "year")), "y")
            .expr_as(
                Expr::cust("CAST(SUM(CASE WHEN enterprise_years.hte_valid THEN 1 ELSE 0 END) AS BIGINT)"),
                "hte",
            )
            .expr_as(
                Expr::cust("CAST(SUM(CASE WHEN SUBSTR(organizations.industry, 1, 1) IN ('B', 'C', 'D') AND enterprise_years.revenue >= 2000000000 THEN 1 ELSE 0 END) AS BIGINT)"),
                "above",
            )
            .expr_as(
                Expr::cust("CAST(SUM(CASE WHEN SUBSTR(organizations.industry, 1, 1) IN ('B', 'C', 'D') AND enterprise_years.revenue >= 2000000000 AND enterprise_years.rd_expense > 0 THEN 1 ELSE 0 END) AS BIGINT)"),
                "above_rd",
            )
            .expr_as(
                Expr::cust("CAST(COALESCE(SUM(enterprise_years.rd_expense), 0) AS BIGINT)"),
                "rd",
            )
            .from("enterprise_years")
            .inner_join(
                "organizations",
                Expr::col(("organizations", "id")).equals(("enterprise_years", "org_id")),
            )
            .cond_where(sql::scope_condition(scope, crate::years::COLS))
            .and_where(Expr::col(("enterprise_years", "year")).between(y0, y1))
            .group_by_col(("enterprise_years", "region_path"))
            .group_by_col(("enterprise_years", "year"));
        use kechuang_monitor::indicators::keys as k;
        for r in sql::fetch_all(&self.db, &q).await? {
            let region = region_of(&get::<String>(&r, "rp")?);
            let year = i32_of(&r, "y")?;
            for (element, col) in [
                (k::HTE_VALID_COUNT, "hte"),
                (k::ABOVE_SCALE_INDUSTRIAL_COUNT, "above"),
                (k::ABOVE_SCALE_INDUSTRIAL_WITH_RD_COUNT, "above_rd"),
            ] {
                out.push(Measure {
                    region: region.clone(),
                    year,
                    element,
                    value: Decimal::from(get::<i64>(&r, col)?),
                });
            }
            out.push(Measure {
                region,
                year,
                element: k::ENTERPRISE_RD_EXPENSE,
                value: Decimal::new(get::<i64>(&r, "rd")?, 6),
            });
        }
        // 科技型中小企业: qualified by the stored tech-sme evaluation of that year.
        let mut q = Query::select();
        q.expr_as(Expr::col("region_path"), "rp")
            .expr_as(Expr::col("year"), "y")
            .expr_as(Expr::cust("COUNT(*)"), "n")
            .from("rule_results")
            .and_where(crate::rule_results::current())
            .cond_where(sql::scope_condition(scope, crate::rule_results::COLS))
            .and_where(Expr::col("pack").eq("tech-sme"))
            .and_where(Expr::col("qualified").eq(true))
            .and_where(Expr::col("year").between(y0, y1))
            .group_by_col("region_path")
            .group_by_col("year");
        for r in sql::fetch_all(&self.db, &q).await? {
            out.push(Measure {
                region: region_of(&get::<String>(&r, "rp")?),
                year: i32_of(&r, "y")?,
                element: k::TECH_SME_COUNT,
                value: Decimal::from(get::<i64>(&r, "n")?),
            });
        }
        // Platforms active at the end of each year, by level.
        let mut q = Query::select();
        q.expr_as(Expr::col("region_path"), "rp")
            .expr_as(Expr::col("level"), "level")
            .expr_as(Expr::col("recognized_on"), "on")
            .from("platforms")
            .cond_where(sql::scope_condition(scope, crate::platforms::COLS))
            .and_where(Expr::col("status").eq("active"));
        let mut counts: std::collections::BTreeMap<(String, i32, &'static str), i64> =
            Default::default();
        for r in sql::fetch_all(&self.db, &q).await? {
            let element = match get::<String>(&r, "level")?.as_str() {
                "city" => k::PLATFORMS_CITY,
                "provincial" => k::PLATFORMS_PROVINCIAL,
                "national" => k::PLATFORMS_NATIONAL,
                _ => continue,
            };
            let since = get::<Option<String>>(&r, "on")?
                .and_then(|d| d.get(..4).and_then(|y| y.parse::<i32>().ok()))
                .unwrap_or(i32::MIN);
            let region = region_of(&get::<String>(&r, "rp")?);
            for year in years.clone() {
                if since <= year {
                    *counts.entry((region.clone(), year, element)).or_default() += 1;
                }
            }
        }
        for ((region, year, element), n) in counts {
            out.push(Measure {
                region,
                year,
                element,
                value: Decimal::from(n),
            });
        }
        // 技术合同成交额: registered contracts by the seller's region (输出), fen → 万元.
        for (rp, year, fen) in
            crate::contracts::turnover_by_region(&self.db, scope, years.clone()).await?
        {
            out.push(Measure {
                region: region_of(&rp),
                year,
                element: k::TECH_CONTRACT_TURNOVER,
                value: Decimal::new(fen, 6),
            });
        }
        // 科技特派员: persons serving at the year's end, confirmed services and households.
        for (region, year, element, n) in self.commissioner_measures(scope, years).await? {
            out.push(Measure {
                region,
                year,
                element,
                value: Decimal::from(n),
            });
        }
        Ok(out)
    }
}
