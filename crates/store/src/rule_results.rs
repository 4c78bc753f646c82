//! Stored rules-engine results (政策评价结果): one row per pack, year and enterprise, with the
//! version of the policy pack used, its outputs, cultivation pools, gaps and explanation.

use crate::error::{StoreError, StoreResult};
use crate::record::{ListFilter, RecordKind, Stamps, Values};
use crate::sql::{self, ScopeColumns, get};
use crate::{Caller, DataScope, Page, PageRequest, Store};
use kechuang_domain::scope::RecordKeys;
use sea_orm::sea_query::{Expr, ExprTrait, Order, Query, SelectStatement};
use sea_orm::{ConnectionTrait, QueryResult};
use serde::{Deserialize, Serialize};

const T: &str = "rule_results";
pub(crate) const COLS: ScopeColumns = ScopeColumns {
    table: T,
    region_path: Some("region_path"),
    org: Some("org_id"),
    owner: None,
};
/// A run's rows are recorded as one event keyed `pack:year`.
pub(crate) const KIND: RecordKind = RecordKind {
    scope: COLS,
    entity: "rule_result",
    stamps: Stamps::CREATED,
    audit_key: "pack || ':' || CAST(year AS TEXT)",
    audited_as: None,
    party: None,
};

/// One enterprise's result, ready to store.
#[derive(Debug, Clone)]
pub struct NewRuleResult {
    pub org_id: i64,
    pub region_path: String,
    pub qualified: Option<bool>,
    /// Whole points, for sorting; the exact value is in `outputs`.
    pub score: Option<i64>,
    pub pools: Vec<String>,
    pub outputs: serde_json::Value,
    pub missing: serde_json::Value,
    pub gaps: serde_json::Value,
    pub explanation: String,
    /// The engine inputs, when `missing`, `gaps` and `explanation` are left to be derived from
    /// them and the run's pack on reading (a registry-wide run).
    pub inputs: Option<serde_json::Value>,
}

/// A stored result.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct RuleResult {
    pub id: i64,
    pub pack: String,
    /// Content hash of the policy pack used.
    pub pack_version: String,
    pub year: i64,
    pub org_id: i64,
    pub org_name: String,
    pub credit_code: String,
    pub region_code: String,
    /// The region's name (GB/T 2260).
    pub region_name: String,
    pub qualified: Option<bool>,
    pub score: Option<i64>,
    /// Cultivation pools (培育库) the enterprise belongs to.
    pub pools: Vec<String>,
    #[schema(value_type = Object)]
    pub outputs: serde_json::Value,
    /// Inputs the pack needed and the data lacked (one object each).
    #[schema(value_type = Vec<Object>)]
    pub missing: serde_json::Value,
    /// The smallest change of one input that would qualify (one object each).
    #[schema(value_type = Vec<Object>)]
    pub gaps: serde_json::Value,
    pub explanation: String,
    pub created_at: i64,
    #[serde(skip)]
    pub region_path: String,
    /// The engine inputs, when the explanation is derived on reading (see [`NewRuleResult`]).
    #[serde(skip)]
    pub inputs: Option<serde_json::Value>,
    #[serde(skip)]
    pub run_id: i64,
}

/// Filters of the results list.
#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
pub struct RuleResultFilter {
    pub pack: Option<String>,
    pub year: Option<i64>,
    pub qualified: Option<bool>,
    /// Members of this cultivation pool (rule name, e.g. `pool_near`).
    pub pool: Option<String>,
    pub region: Option<String>,
}

fn from_row(r: &QueryResult) -> StoreResult<RuleResult> {
    let json = |c: &str| -> StoreResult<serde_json::Value> {
        let s: String = get(r, c)?;
        serde_json::from_str(&s).map_err(|e| StoreError::corrupt(format!("{c}: {e}")))
    };
    let pools: String = get(r, "pools")?;
    let region_code: String = get(r, "region_code")?;
    Ok(RuleResult {
        id: get(r, "id")?,
        pack: get(r, "pack")?,
        pack_version: get(r, "pack_version")?,
        year: get(r, "year")?,
        org_id: get(r, "org_id")?,
        org_name: get(r, "org_name")?,
        credit_code: get(r, "credit_code")?,
        region_name: crate::orgs::region_name(&region_code),
        region_code,
        qualified: get(r, "qualified")?,
        score: get(r, "score")?,
        pools: pools
            .split(',')
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect(),
        outputs: json("outputs_json")?,
        missing: json("missing_json")?,
        gaps: json("gaps_json")?,
        explanation: get(r, "explanation")?,
        created_at: get(r, "created_at")?,
        region_path: get(r, "region_path")?,
        inputs: get::<Option<String>>(r, "inputs_json")?
            .map(|s| serde_json::from_str(&s))
            .transpose()
            .map_err(|e| StoreError::corrupt(format!("inputs_json: {e}")))?,
        run_id: get(r, "run_id")?,
    })
}

fn select() -> SelectStatement {
    let mut q = Query::select();
    q.columns(
        [
            "id",
            "pack",
            "pack_version",
            "year",
            "org_id",
            "qualified",
            "score",
            "pools",
            "outputs_json",
            "missing_json",
            "gaps_json",
            "explanation",
            "created_at",
            "region_path",
            "inputs_json",
            "run_id",
        ]
        .map(|c| (T, c)),
    )
    .expr_as(Expr::col(("organizations", "name")), "org_name")
    .expr_as(Expr::col(("organizations", "credit_code")), "credit_code")
    .expr_as(Expr::col(("organizations", "region_code")), "region_code")
    .from(T)
    .inner_join(
        "organizations",
        Expr::col(("organizations", "id")).equals((T, "org_id")),
    )
    .and_where(current());
    q
}

/// The condition that keeps a `rule_results` row among the current results: its run is done
/// (results of a run still going or failed are not shown), and no later finished run covers
/// it (what a re-run replaced, until collected). Every reader of the table uses it.
pub(crate) fn current() -> Expr {
    Expr::cust(
        "NOT EXISTS (SELECT 1 FROM rule_runs rr WHERE rr.pack = rule_results.pack \
         AND rr.year = rule_results.year AND ((rr.id = rule_results.run_id AND rr.status <> 'done') \
         OR (rr.id > rule_results.run_id AND rr.status = 'done' \
         AND (rr.org_id IS NULL OR rr.org_id = rule_results.org_id) \
         AND substr(rule_results.region_path, 1, length(rr.region_path)) = rr.region_path)))",
    )
}

impl ListFilter for RuleResultFilter {
    fn apply(&self, q: &mut SelectStatement) -> StoreResult<()> {
        let f = self;
        if let Some(p) = f.pack.as_deref().filter(|s| !s.is_empty()) {
            q.and_where(Expr::col((T, "pack")).eq(p));
        }
        if let Some(y) = f.year {
            q.and_where(Expr::col((T, "year")).eq(y));
        }
        if let Some(b) = f.qualified {
            q.and_where(Expr::col((T, "qualified")).eq(b));
        }
        if let Some(p) = f.pool.as_deref().filter(|s| !s.is_empty()) {
            q.and_where(
                Expr::col((T, "pools")).like(
                    sea_orm::sea_query::LikeExpr::new(format!("%,{},%", sql::escape_like(p)))
                        .escape('\\'),
                ),
            );
        }
        if let Some(r) = f.region.as_deref().filter(|s| !s.is_empty()) {
            let path = crate::orgs::region_path(kechuang_domain::RegionCode::parse_known(r)?)?;
            q.cond_where(sql::region_match((T, "region_path"), &path));
        }
        q.order_by((T, "score"), Order::Desc)
            .order_by((T, "id"), Order::Asc);
        Ok(())
    }
}

crate::record::impl_record!(RuleResult, KIND, select, from_row, |s| RecordKeys::org(
    &s.region_path,
    s.org_id
));

/// Summary of a stored run.
#[derive(Debug, Clone, Default, Serialize, Deserialize, utoipa::ToSchema)]
pub struct RunSummary {
    pub pack: String,
    pub pack_version: String,
    pub year: i64,
    pub evaluated: u64,
    pub qualified: u64,
    pub undetermined: u64,
    /// Members per cultivation pool.
    pub pools: std::collections::BTreeMap<String, u64>,
}

/// What a run replaces: the results of its pack and year in this region subtree (`path`,
/// empty for everywhere), and of only this organization when `org_id` is set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunCover {
    pub path: String,
    pub org_id: Option<i64>,
    /// The region asked for, if any (GB/T 2260), shown with the run.
    pub region_code: Option<String>,
}

impl RunCover {
    /// The cover of a run by a caller with `scope`, of `region` (its path) if given: the
    /// smaller of the two; a region outside the scope is refused.
    pub fn of(scope: &DataScope, region: Option<(&str, &str)>) -> StoreResult<Self> {
        let outside = || StoreError::Forbidden("所选地区不在您的管辖范围内".into());
        let (scope_path, org_id) = match scope {
            DataScope::All => (String::new(), None),
            DataScope::Region { path, .. } => (path.clone(), None),
            DataScope::Organization { org_id } => (String::new(), Some(*org_id)),
            DataScope::SelfOnly { .. } => return Err(outside()),
        };
        let Some((code, path)) = region else {
            return Ok(Self {
                path: scope_path,
                org_id,
                region_code: None,
            });
        };
        let path = if path.starts_with(&scope_path) {
            path.to_owned()
        } else if scope_path.starts_with(path) {
            scope_path
        } else {
            return Err(outside());
        };
        Ok(Self {
            path,
            org_id,
            region_code: Some(code.to_owned()),
        })
    }
}

/// What a run evaluates: a pack (its id, version and text) for a year.
#[derive(Debug, Clone, Copy)]
pub struct RunSpec<'a> {
    pub pack: &'a str,
    pub pack_version: &'a str,
    /// The pack's text, kept with the run so its results can be explained after the pack
    /// changes.
    pub pack_text: &'a str,
    pub year: i64,
}

/// A run's state.
pub const RUN_RUNNING: &str = "running";
pub const RUN_DONE: &str = "done";
pub const RUN_FAILED: &str = "failed";
/// A running run whose server has not reported for this long is taken as stopped (its
/// server died or restarted): another run of the same pack, year and cover may start.
pub const RUN_STALE_MS: i64 = 60_000;

const RUNS: &str = "rule_runs";
pub(crate) const RUN_COLS: ScopeColumns = ScopeColumns {
    table: RUNS,
    region_path: Some("region_path"),
    org: Some("org_id"),
    owner: None,
};
pub(crate) const RUN_KIND: RecordKind = RecordKind::own(RUN_COLS, "rule_run", Stamps::CREATED);

/// A 运行评价 job: one pack over a registry for one year, with its progress.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct RuleRun {
    pub id: i64,
    pub pack: String,
    pub pack_version: String,
    pub year: i64,
    /// The region asked for (GB/T 2260), if any; otherwise the caller's whole scope.
    pub region_code: Option<String>,
    /// running | done | failed
    pub status: String,
    /// Enterprises to evaluate.
    pub total: u64,
    /// Enterprises evaluated so far.
    pub done: u64,
    /// The result, once done.
    pub summary: Option<RunSummary>,
    /// Why it failed (Chinese), if it did.
    pub error: Option<String>,
    pub created_at: i64,
    pub finished_at: Option<i64>,
    #[serde(skip)]
    pub region_path: String,
    #[serde(skip)]
    pub org_id: Option<i64>,
    #[serde(skip)]
    pub heartbeat_at: i64,
}

fn run_select() -> SelectStatement {
    sql::columns_of(
        RUNS,
        &[
            "id",
            "pack",
            "pack_version",
            "year",
            "region_path",
            "org_id",
            "region_code",
            "status",
            "total",
            "done",
            "summary_json",
            "error",
            "created_at",
            "heartbeat_at",
            "finished_at",
        ],
    )
}

fn run_from_row(r: &QueryResult) -> StoreResult<RuleRun> {
    let summary: Option<String> = get(r, "summary_json")?;
    let mut status: String = get(r, "status")?;
    let mut error: Option<String> = get(r, "error")?;
    let heartbeat_at: i64 = get(r, "heartbeat_at")?;
    if status == RUN_RUNNING && sql::now_ms() - heartbeat_at > RUN_STALE_MS {
        status = RUN_FAILED.into();
        error = Some("运行中断（服务器重启或故障），结果未替换，请重新运行".into());
    }
    Ok(RuleRun {
        id: get(r, "id")?,
        pack: get(r, "pack")?,
        pack_version: get(r, "pack_version")?,
        year: get(r, "year")?,
        region_code: get(r, "region_code")?,
        status,
        total: u64::try_from(get::<i64>(r, "total")?).unwrap_or(0),
        done: u64::try_from(get::<i64>(r, "done")?).unwrap_or(0),
        summary: summary
            .map(|s| serde_json::from_str(&s))
            .transpose()
            .map_err(StoreError::corrupt)?,
        error,
        created_at: get(r, "created_at")?,
        finished_at: get(r, "finished_at")?,
        region_path: get(r, "region_path")?,
        org_id: get(r, "org_id")?,
        heartbeat_at,
    })
}

crate::record::impl_record!(RuleRun, RUN_KIND, run_select, run_from_row, |s| {
    RecordKeys {
        region_path: Some(&s.region_path),
        org_id: s.org_id,
        owner_user_id: None,
    }
});

/// Filters of the runs list.
#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
pub struct RuleRunFilter {
    pub pack: Option<String>,
    pub year: Option<i64>,
    /// running | done | failed
    pub status: Option<String>,
}

impl ListFilter for RuleRunFilter {
    fn apply(&self, q: &mut SelectStatement) -> StoreResult<()> {
        if let Some(p) = self.pack.as_deref().filter(|s| !s.is_empty()) {
            q.and_where(Expr::col((RUNS, "pack")).eq(p));
        }
        if let Some(y) = self.year {
            q.and_where(Expr::col((RUNS, "year")).eq(y));
        }
        match self.status.as_deref().filter(|s| !s.is_empty()) {
            None => {}
            Some(s @ (RUN_RUNNING | RUN_DONE | RUN_FAILED)) => {
                q.and_where(Expr::col((RUNS, "status")).eq(s));
            }
            Some(other) => {
                return Err(StoreError::Invalid(kechuang_domain::Invalid::one(
                    "status",
                    "rules.run_status",
                    format!("没有“{other}”这种运行状态"),
                )));
            }
        }
        q.order_by((RUNS, "id"), Order::Desc);
        Ok(())
    }
}

/// The key two runs that replace the same results serialize on.
fn run_key(pack: &str, year: i64) -> String {
    format!("rule_results:{pack}:{year}")
}

fn result_values(run_id: i64, pack: &str, version: &str, year: i64, r: &NewRuleResult) -> Values {
    vec![
        ("pack", pack.into()),
        ("pack_version", version.into()),
        ("year", year.into()),
        ("run_id", run_id.into()),
        ("org_id", r.org_id.into()),
        ("region_path", r.region_path.clone().into()),
        ("qualified", r.qualified.into()),
        ("score", r.score.into()),
        ("pools", format!(",{},", r.pools.join(",")).into()),
        ("outputs_json", r.outputs.to_string().into()),
        ("missing_json", r.missing.to_string().into()),
        ("gaps_json", r.gaps.to_string().into()),
        ("explanation", r.explanation.clone().into()),
        (
            "inputs_json",
            r.inputs.as_ref().map(ToString::to_string).into(),
        ),
    ]
}

impl RunSummary {
    /// Count these results into the summary.
    pub fn add(&mut self, rows: &[NewRuleResult]) {
        for r in rows {
            self.evaluated += 1;
            match r.qualified {
                Some(true) => self.qualified += 1,
                None => self.undetermined += 1,
                Some(false) => {}
            }
            for p in &r.pools {
                *self.pools.entry(p.clone()).or_default() += 1;
            }
        }
    }
}

impl Store {
    /// Start a run of `pack` for `year` over `cover`, or, when one with the same pack, year and
    /// cover is already running (on this server or another), that one: `(run, started)`.
    /// Recorded in the audit log as the run's creation and as the start of the replacement of
    /// the pack's results for the year.
    pub async fn begin_rule_run(
        &self,
        caller: &Caller,
        spec: &RunSpec<'_>,
        cover: &RunCover,
        total: u64,
    ) -> StoreResult<(RuleRun, bool)> {
        let &RunSpec {
            pack,
            pack_version,
            pack_text,
            year,
        } = spec;
        let mut tx = self.write(caller).await?;
        tx.serialize_on(&run_key(pack, year)).await?;
        let mut q = run_select();
        q.and_where(Expr::col("pack").eq(pack))
            .and_where(Expr::col("year").eq(year))
            .and_where(Expr::col("status").eq(RUN_RUNNING))
            .and_where(Expr::col("region_path").eq(cover.path.as_str()))
            .and_where(match cover.org_id {
                Some(o) => Expr::col("org_id").eq(o),
                None => Expr::col("org_id").is_null(),
            })
            .order_by("id", Order::Desc)
            .limit(1);
        if let Some(r) = sql::fetch_one(tx.conn(), &q).await? {
            let run = run_from_row(&r)?;
            if run.status == RUN_RUNNING {
                return Ok((run, false));
            }
            // Its server stopped: mark it failed so its results are collected.
            let mut up = Query::update();
            up.table(RUNS)
                .value("status", RUN_FAILED)
                .value("error", run.error.clone())
                .value("finished_at", sql::now_ms())
                .and_where(Expr::col("id").eq(run.id));
            tx.conn().execute(&up).await?;
        }
        let now = sql::now_ms();
        let run: RuleRun = tx
            .create(vec![
                ("pack", pack.into()),
                ("pack_version", pack_version.into()),
                ("year", year.into()),
                ("region_path", cover.path.clone().into()),
                ("org_id", cover.org_id.into()),
                ("region_code", cover.region_code.clone().into()),
                ("status", RUN_RUNNING.into()),
                ("total", i64::try_from(total).unwrap_or(i64::MAX).into()),
                ("done", 0i64.into()),
                ("heartbeat_at", now.into()),
                ("pack_text", pack_text.into()),
            ])
            .await?;
        tx.note_run::<RuleResult>(
            "rules_run_start",
            format!("{pack}:{year}"),
            serde_json::json!({"run": run.id, "pack_version": pack_version, "total": total}),
        );
        tx.commit().await?;
        Ok((run, true))
    }

    /// Store one batch of a running run's results (not shown until the run is done) and its
    /// progress. Every result must lie in the run's cover and the caller's scope.
    pub async fn add_rule_results(
        &self,
        caller: &Caller,
        run: &RuleRun,
        rows: &[NewRuleResult],
    ) -> StoreResult<()> {
        if let Some(r) = rows.iter().find(|r| {
            !caller
                .scope
                .admits(RecordKeys::org(&r.region_path, r.org_id))
                || !r.region_path.starts_with(&run.region_path)
                || run.org_id.is_some_and(|o| o != r.org_id)
        }) {
            return Err(StoreError::Forbidden(format!(
                "单位 {} 不在您的管辖范围内",
                r.org_id
            )));
        }
        let mut tx = self.write(caller).await?;
        let vals = rows
            .iter()
            .map(|r| result_values(run.id, &run.pack, &run.pack_version, run.year, r))
            .collect();
        let vals = tx.number(vals).await?;
        tx.insert_rows::<RuleResult>(vals).await?;
        let mut up = Query::update();
        up.table(RUNS)
            .value(
                "done",
                Expr::col("done").add(i64::try_from(rows.len()).unwrap_or(i64::MAX)),
            )
            .value("heartbeat_at", sql::now_ms())
            .and_where(Expr::col("id").eq(run.id))
            .and_where(Expr::col("status").eq(RUN_RUNNING));
        if tx.conn().execute(&up).await?.rows_affected() != 1 {
            return Err(StoreError::Conflict(kechuang_domain::FieldError::new(
                "run",
                "rules.run_stopped",
                "本次评价已中止",
            )));
        }
        tx.commit().await
    }

    /// Finish a run: one short transaction marks it done, which makes its results the current
    /// ones and the older results it covers invisible at once; those are then deleted in
    /// batches.
    pub async fn finish_rule_run(
        &self,
        caller: &Caller,
        run: &RuleRun,
        summary: &RunSummary,
    ) -> StoreResult<RuleRun> {
        let mut tx = self.write(caller).await?;
        tx.serialize_on(&run_key(&run.pack, run.year)).await?;
        let before: RuleRun = tx.get(run.id).await?;
        if before.status != RUN_RUNNING {
            return Err(StoreError::Conflict(kechuang_domain::FieldError::new(
                "run",
                "rules.run_stopped",
                "本次评价已中止，结果未替换",
            )));
        }
        let now = sql::now_ms();
        let after = tx
            .update_as(
                "finish",
                &before,
                vec![
                    ("status", RUN_DONE.into()),
                    (
                        "summary_json",
                        serde_json::to_string(summary)
                            .map_err(StoreError::corrupt)?
                            .into(),
                    ),
                    (
                        "done",
                        i64::try_from(summary.evaluated).unwrap_or(i64::MAX).into(),
                    ),
                    ("heartbeat_at", now.into()),
                    ("finished_at", now.into()),
                ],
            )
            .await?;
        tx.note_run::<RuleResult>(
            "rules_run",
            format!("{}:{}", run.pack, run.year),
            serde_json::to_value(summary).unwrap_or_default(),
        );
        tx.commit().await?;
        self.collect_rule_results(&run.pack, run.year).await?;
        Ok(after)
    }

    /// Report a running run as alive (its server's heartbeat while it waits its turn or works
    /// through a long batch). Bookkeeping, not audited.
    pub async fn touch_rule_run(&self, id: i64) -> StoreResult<()> {
        let tx = self.write(&Caller::system("rules")).await?;
        let mut up = Query::update();
        up.table(RUNS)
            .value("heartbeat_at", sql::now_ms())
            .and_where(Expr::col("id").eq(id))
            .and_where(Expr::col("status").eq(RUN_RUNNING));
        tx.conn().execute(&up).await?;
        tx.commit().await
    }

    /// Mark a run failed (its results are never shown, and are deleted).
    pub async fn fail_rule_run(
        &self,
        caller: &Caller,
        run: &RuleRun,
        why: &str,
    ) -> StoreResult<()> {
        let mut tx = self.write(caller).await?;
        let before: RuleRun = tx.get(run.id).await?;
        if before.status == RUN_RUNNING {
            tx.update_as(
                "fail",
                &before,
                vec![
                    ("status", RUN_FAILED.into()),
                    ("error", why.into()),
                    ("finished_at", sql::now_ms().into()),
                ],
            )
            .await?;
        }
        tx.commit().await?;
        self.collect_rule_results(&run.pack, run.year).await?;
        Ok(())
    }

    /// Delete results no reader shows any more, for one pack and year: those of failed runs,
    /// and those of earlier runs (finished, going on or failed: none can be shown again) that a
    /// finished run covers. In transactions of at most 5,000 rows, walking each earlier run's
    /// rows in id order, so writers are not held up and nothing is scanned twice. Returns how
    /// many were deleted. Housekeeping: what made them invisible was audited.
    pub async fn collect_rule_results(&self, pack: &str, year: i64) -> StoreResult<u64> {
        let mut q = run_select();
        q.and_where(Expr::col("pack").eq(pack))
            .and_where(Expr::col("year").eq(year))
            .order_by("id", Order::Asc);
        let runs: Vec<RuleRun> = sql::fetch_all(&self.db, &q)
            .await?
            .iter()
            .map(run_from_row)
            .collect::<StoreResult<_>>()?;
        let mut deleted = 0;
        for (i, r) in runs.iter().enumerate() {
            if r.status == RUN_FAILED {
                deleted += self.delete_run_rows(pack, year, r.id, None).await?;
            } else if r.status == RUN_DONE {
                // Legacy results (run 0) and every earlier run's, within this run's cover.
                for older in std::iter::once(0).chain(runs[..i].iter().map(|o| o.id)) {
                    deleted += self.delete_run_rows(pack, year, older, Some(r)).await?;
                }
            }
        }
        Ok(deleted)
    }

    /// Delete the rows of one run of a pack and year (within `cover`'s cover, if given).
    async fn delete_run_rows(
        &self,
        pack: &str,
        year: i64,
        run_id: i64,
        cover: Option<&RuleRun>,
    ) -> StoreResult<u64> {
        let mut deleted = 0;
        let mut after = i64::MIN;
        loop {
            let mut ids = Query::select();
            ids.column("id")
                .from(T)
                .and_where(Expr::col("pack").eq(pack))
                .and_where(Expr::col("year").eq(year))
                .and_where(Expr::col("run_id").eq(run_id))
                .and_where(Expr::col("id").gt(after))
                .order_by("id", Order::Asc)
                .limit(5_000);
            if let Some(c) = cover {
                if !c.region_path.is_empty() {
                    ids.cond_where(sql::region_match((T, "region_path"), &c.region_path));
                }
                if let Some(o) = c.org_id {
                    ids.and_where(Expr::col("org_id").eq(o));
                }
            }
            // Found outside the write: the rows are invisible to every reader; one an earlier
            // run adds meanwhile is found by the next batch or the next collection.
            let found: Vec<i64> = sql::fetch_all(&self.db, &ids)
                .await?
                .iter()
                .map(|r| get(r, "id"))
                .collect::<StoreResult<_>>()?;
            let Some(&last) = found.last() else {
                return Ok(deleted);
            };
            after = last;
            let tx = self.write(&Caller::system("rules")).await?;
            let mut del = Query::delete();
            del.from_table(T)
                .and_where(Expr::col("id").is_in(found.iter().copied()));
            tx.conn().execute(&del).await?;
            tx.commit().await?;
            deleted += found.len() as u64;
        }
    }

    /// Rows stored for a pack and year, shown or not (what collection has left behind).
    pub async fn stored_rule_results(&self, pack: &str, year: i64) -> StoreResult<u64> {
        let mut q = Query::select();
        q.column("id")
            .from(T)
            .and_where(Expr::col("pack").eq(pack))
            .and_where(Expr::col("year").eq(year));
        sql::count(&self.db, &q).await
    }

    /// The text of the policy pack a run used (to explain its results when the pack has
    /// changed since).
    pub async fn rule_run_pack_text(&self, run_id: i64) -> StoreResult<Option<String>> {
        let mut q = Query::select();
        q.column("pack_text")
            .from(RUNS)
            .and_where(Expr::col("id").eq(run_id));
        match sql::fetch_one(&self.db, &q).await? {
            Some(r) => Ok(Some(get(&r, "pack_text")?).filter(|t: &String| !t.is_empty())),
            None => Ok(None),
        }
    }

    pub async fn get_rule_run(&self, scope: &DataScope, id: i64) -> StoreResult<RuleRun> {
        self.get_record(scope, id).await
    }

    pub async fn list_rule_runs(
        &self,
        scope: &DataScope,
        f: &RuleRunFilter,
        page: PageRequest,
    ) -> StoreResult<Page<RuleRun>> {
        self.list_records(scope, f, page).await
    }

    /// Replace the results of `pack` for `year` for these enterprises (all inside the caller's
    /// scope) as one run over the caller's scope: the whole of a small run at once.
    pub async fn save_rule_results(
        &self,
        caller: &Caller,
        pack: &str,
        pack_version: &str,
        year: i64,
        rows: &[NewRuleResult],
    ) -> StoreResult<RunSummary> {
        let cover = RunCover::of(&caller.scope, None)?;
        // A run of the same cover going on: wait for it, then replace its results.
        let run = loop {
            let (run, started) = self
                .begin_rule_run(
                    caller,
                    &RunSpec {
                        pack,
                        pack_version,
                        pack_text: "",
                        year,
                    },
                    &cover,
                    rows.len() as u64,
                )
                .await?;
            if started {
                break run;
            }
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        };
        let mut summary = RunSummary {
            pack: pack.to_owned(),
            pack_version: pack_version.to_owned(),
            year,
            ..Default::default()
        };
        summary.add(rows);
        let saved = async {
            self.add_rule_results(caller, &run, rows).await?;
            self.finish_rule_run(caller, &run, &summary).await
        }
        .await;
        if let Err(e) = saved {
            self.fail_rule_run(caller, &run, "保存评价结果失败")
                .await
                .ok();
            return Err(e);
        }
        Ok(summary)
    }

    pub async fn list_rule_results(
        &self,
        scope: &DataScope,
        f: &RuleResultFilter,
        page: PageRequest,
    ) -> StoreResult<Page<RuleResult>> {
        self.list_records(scope, f, page).await
    }

    pub async fn get_rule_result(
        &self,
        scope: &DataScope,
        pack: &str,
        year: i64,
        org_id: i64,
    ) -> StoreResult<RuleResult> {
        let mut q = select();
        q.cond_where(sql::scope_condition(scope, COLS))
            .and_where(Expr::col((T, "pack")).eq(pack))
            .and_where(Expr::col((T, "year")).eq(year))
            .and_where(Expr::col((T, "org_id")).eq(org_id));
        let row = sql::fetch_one(&self.db, &q)
            .await?
            .ok_or(StoreError::NotFound)?;
        from_row(&row)
    }
}
