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
        let id = tx.new_id();
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
