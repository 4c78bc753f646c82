//! The task ledger (工作台账): tasks and their progress reports with evidence.

use super::*;

impl Store {
    /// Add a task to the ledger by hand.
    pub async fn add_task(
        &self,
        caller: &Caller,
        plan_id: i64,
        t: &PlanTask,
    ) -> StoreResult<PlanTask> {
        validate_task(t)?;
        let mut tx = self.write(caller).await?;
        let plan = get_plan(tx.conn(), &caller.scope, plan_id).await?;
        let pos = tasks_of(tx.conn(), plan_id).await?.len() as i64;
        let after = tx
            .create(task_values(plan_id, &plan.region_path, t, pos)?)
            .await?;
        tx.commit().await?;
        Ok(after)
    }

    /// Refine a task: title, responsible units, deadline, status.
    pub async fn update_task(
        &self,
        caller: &Caller,
        task_id: i64,
        t: &PlanTask,
    ) -> StoreResult<PlanTask> {
        validate_task(t)?;
        let mut tx = self.write(caller).await?;
        let (_, before) = task_in_scope(tx.conn(), &caller.scope, task_id).await?;
        let after = tx
            .update_as(
                "update",
                &before,
                vec![
                    ("title", t.title.trim().into()),
                    ("number", t.number.trim().into()),
                    (
                        "responsible_units",
                        serde_json::to_string(&t.responsible_units)
                            .map_err(StoreError::corrupt)?
                            .into(),
                    ),
                    (
                        "deadline",
                        t.deadline.clone().filter(|d| !d.is_empty()).into(),
                    ),
                    ("status", task_status(&t.status, before.progress).into()),
                ],
            )
            .await?;
        tx.commit().await?;
        Ok(after)
    }

    /// 批量删除: tasks of one plan, all or nothing. A task with progress reports keeps its
    /// evidence on record: the request is refused, naming it.
    pub async fn delete_tasks(
        &self,
        caller: &Caller,
        plan_id: i64,
        ids: &[i64],
    ) -> StoreResult<usize> {
        let mut tx = self.write(caller).await?;
        let tasks = tasks_for_change(tx.conn(), &caller.scope, plan_id, ids).await?;
        refuse_reported(tx.conn(), &tasks).await?;
        for t in &tasks {
            tx.delete::<PlanTask>(t.id).await?;
        }
        tx.commit().await?;
        Ok(tasks.len())
    }

    /// 合并: `others` are folded into `keep` — the title given (or the kept one's), the units of
    /// all, the earliest deadline — and deleted, in one transaction.
    pub async fn merge_tasks(
        &self,
        caller: &Caller,
        plan_id: i64,
        keep: i64,
        others: &[i64],
        title: Option<&str>,
    ) -> StoreResult<PlanTask> {
        if others.is_empty() || others.contains(&keep) {
            return Err(
                Invalid::one("others", "others.invalid", "请选择要并入该任务的其他任务").into(),
            );
        }
        let mut tx = self.write(caller).await?;
        let all: Vec<i64> = std::iter::once(keep)
            .chain(others.iter().copied())
            .collect();
        let tasks = tasks_for_change(tx.conn(), &caller.scope, plan_id, &all).await?;
        let (kept, folded): (Vec<PlanTask>, Vec<PlanTask>) =
            tasks.into_iter().partition(|t| t.id == keep);
        let kept = kept.into_iter().next().ok_or(StoreError::NotFound)?;
        refuse_reported(tx.conn(), &folded).await?;
        let mut merged = kept.clone();
        if let Some(t) = title.map(str::trim).filter(|t| !t.is_empty()) {
            merged.title = t.to_owned();
        }
        for t in &folded {
            for u in &t.responsible_units {
                if !merged.responsible_units.contains(u) {
                    merged.responsible_units.push(u.clone());
                }
            }
        }
        merged.deadline = kept
            .deadline
            .clone()
            .or_else(|| folded.iter().filter_map(|t| t.deadline.clone()).min());
        validate_task(&merged)?;
        for t in &folded {
            tx.delete::<PlanTask>(t.id).await?;
        }
        let after = tx
            .update_as(
                "merge",
                &kept,
                vec![
                    ("title", merged.title.trim().into()),
                    (
                        "responsible_units",
                        serde_json::to_string(&merged.responsible_units)
                            .map_err(StoreError::corrupt)?
                            .into(),
                    ),
                    ("deadline", merged.deadline.clone().into()),
                ],
            )
            .await?;
        tx.commit().await?;
        Ok(after)
    }

    /// Report progress on a task (进展报送), with evidence. 100 % marks it done.
    pub async fn add_task_update(
        &self,
        caller: &Caller,
        task_id: i64,
        u: &TaskUpdate,
    ) -> StoreResult<PlanTask> {
        let mut c = kechuang_domain::error::Collector::default();
        if !(0..=100).contains(&u.progress) {
            c.push(FieldError::new(
                "progress",
                "progress.range",
                "进度应在0至100之间",
            ));
        }
        if u.note.trim().is_empty() || u.note.chars().count() > 2000 {
            c.push(FieldError::new(
                "note",
                "note.required",
                "请填写进展情况（不超过2000字）",
            ));
        }
        if u.evidence_sha256
            .as_deref()
            .is_some_and(|h| h.len() != 64 || !h.bytes().all(|b| b.is_ascii_hexdigit()))
        {
            c.push(FieldError::new(
                "evidence_sha256",
                "evidence_sha256.format",
                "佐证材料的摘要应为64位十六进制SHA-256",
            ));
        }
        c.finish()?;
        let mut tx = self.write(caller).await?;
        let (_, before) = task_in_scope(tx.conn(), &caller.scope, task_id).await?;
        let id = tx.new_id().await?;
        let now = now_ms();
        let mut ins = Query::insert();
        ins.into_table("task_updates")
            .columns([
                "id",
                "task_id",
                "progress",
                "note",
                "evidence_name",
                "evidence_sha256",
                "at",
                "by_user",
            ])
            .values([
                id.into(),
                task_id.into(),
                u.progress.into(),
                u.note.trim().into(),
                u.evidence_name.clone().into(),
                u.evidence_sha256
                    .clone()
                    .map(|h| h.to_ascii_lowercase())
                    .into(),
                now.into(),
                caller.username.clone().into(),
            ])
            .map_err(StoreError::corrupt)?;
        tx.conn().execute(&ins).await?;
        let status = if u.progress >= 100 {
            "done"
        } else if u.progress > 0 {
            "doing"
        } else {
            before.status.as_str()
        };
        let after = tx
            .update_as(
                "progress",
                &before,
                vec![("progress", u.progress.into()), ("status", status.into())],
            )
            .await?;
        tx.commit().await?;
        Ok(after)
    }

    pub async fn task_updates(
        &self,
        scope: &DataScope,
        task_id: i64,
    ) -> StoreResult<Vec<TaskUpdate>> {
        task_in_scope(&self.db, scope, task_id).await?;
        let mut q = Query::select();
        q.columns([
            "id",
            "task_id",
            "progress",
            "note",
            "evidence_name",
            "evidence_sha256",
            "at",
            "by_user",
        ])
        .from("task_updates")
        .and_where(Expr::col("task_id").eq(task_id))
        .order_by("id", Order::Desc);
        sql::fetch_all(&self.db, &q)
            .await?
            .iter()
            .map(|r| {
                Ok(TaskUpdate {
                    id: get(r, "id")?,
                    task_id: get(r, "task_id")?,
                    progress: get(r, "progress")?,
                    note: get(r, "note")?,
                    evidence_name: get(r, "evidence_name")?,
                    evidence_sha256: get(r, "evidence_sha256")?,
                    at: get(r, "at")?,
                    by: get(r, "by_user")?,
                })
            })
            .collect()
    }
}

/// The tasks `ids` of a plan in the caller's scope, in the ledger's order; every id must be one.
async fn tasks_for_change<C: ConnectionTrait>(
    c: &C,
    scope: &DataScope,
    plan_id: i64,
    ids: &[i64],
) -> StoreResult<Vec<PlanTask>> {
    let mut distinct = ids.to_vec();
    distinct.sort_unstable();
    distinct.dedup();
    if distinct.is_empty() || distinct.len() != ids.len() || ids.len() > 1000 {
        return Err(Invalid::one("ids", "ids.invalid", "请选择任务（不重复，至多1000项）").into());
    }
    get_plan(c, scope, plan_id).await?;
    let tasks: Vec<PlanTask> = tasks_of(c, plan_id)
        .await?
        .into_iter()
        .filter(|t| distinct.binary_search(&t.id).is_ok())
        .collect();
    if tasks.len() != distinct.len() {
        return Err(StoreError::NotFound);
    }
    Ok(tasks)
}

/// Refuse when a task has progress reports (its evidence stays on record).
async fn refuse_reported<C: ConnectionTrait>(c: &C, tasks: &[PlanTask]) -> StoreResult<()> {
    if tasks.is_empty() {
        return Ok(());
    }
    let mut q = Query::select();
    q.column("task_id")
        .from("task_updates")
        .and_where(Expr::col("task_id").is_in(tasks.iter().map(|t| t.id)));
    let reported: Vec<i64> = sql::fetch_all(c, &q)
        .await?
        .iter()
        .map(|r| get::<i64>(r, "task_id"))
        .collect::<StoreResult<_>>()?;
    let names: Vec<String> = tasks
        .iter()
        .filter(|t| reported.contains(&t.id))
        .map(|t| format!("“{}”", t.title.chars().take(20).collect::<String>()))
        .collect();
    if names.is_empty() {
        return Ok(());
    }
    Err(StoreError::Conflict(FieldError::new(
        "ids",
        "plan.task_reported",
        format!(
            "任务{}已有进展报送记录，不能删除或并入其他任务；请取消选择后重试",
            names.join("、")
        ),
    )))
}
