//! Plans and their extracted targets: upload, review (correct, merge, reject) and confirmation.

use super::*;

impl Store {
    /// Store an uploaded plan with its extracted targets (status `proposed`) and drafted tasks.
    pub async fn create_plan(
        &self,
        caller: &Caller,
        p: &NewPlan,
        targets: &[PlanTarget],
        tasks: &[PlanTask],
    ) -> StoreResult<Plan> {
        let mut c = kechuang_domain::error::Collector::default();
        if p.title.trim().is_empty() || p.title.chars().count() > 200 {
            c.push(FieldError::new(
                "title",
                "title.required",
                "规划名称不能为空且不超过200个字",
            ));
        }
        if !(1990..=2100).contains(&p.base_year) || p.target_year <= p.base_year {
            c.push(FieldError::new(
                "target_year",
                "target_year.range",
                "目标年须晚于基期年",
            ));
        }
        if p.text.trim().is_empty() || p.text.len() > 5_000_000 {
            c.push(FieldError::new(
                "file",
                "file.empty",
                "规划文本为空或超过5MB",
            ));
        }
        c.finish()?;
        for (n, t) in targets.iter().enumerate() {
            validate_target(t, &format!("targets[{n}]."))?;
        }
        let path = region_path(p.region)?;
        if !caller.scope.admits(RecordKeys::region(&path)) {
            return Err(StoreError::Forbidden(
                "规划所属地区不在您的管辖范围内".into(),
            ));
        }
        let mut tx = self.write(caller).await?;
        let after: Plan = tx
            .create(vec![
                ("title", p.title.trim().into()),
                ("region_code", p.region.to_string().into()),
                ("region_path", path.clone().into()),
                ("base_year", i64::from(p.base_year).into()),
                ("target_year", i64::from(p.target_year).into()),
                ("file_name", p.file_name.clone().into()),
                ("text", p.text.clone().into()),
                ("status", "draft".into()),
            ])
            .await?;
        let rows = targets
            .iter()
            .map(|t| target_values(after.id, &path, t))
            .collect();
        let rows = tx.number(rows).await?;
        tx.create_many::<PlanTarget>(rows, "create").await?;
        let mut rows = Vec::with_capacity(tasks.len());
        for (n, t) in tasks.iter().enumerate() {
            rows.push(task_values(after.id, &path, t, n as i64)?);
        }
        let rows = tx.number(rows).await?;
        tx.create_many::<PlanTask>(rows, "create").await?;
        tx.commit().await?;
        Ok(after)
    }

    pub async fn list_plans(
        &self,
        scope: &DataScope,
        page: PageRequest,
    ) -> StoreResult<Page<Plan>> {
        let mut q = plan_select();
        q.cond_where(sql::scope_condition(scope, PLANS))
            .order_by(("plans", "id"), Order::Desc);
        self.paged(q, page, plan_from_row).await
    }

    pub async fn get_plan(&self, scope: &DataScope, id: i64) -> StoreResult<Plan> {
        get_plan(&self.db, scope, id).await
    }

    /// A plan with its text, targets and tasks, after one scope check.
    pub async fn plan_with_parts(
        &self,
        scope: &DataScope,
        id: i64,
    ) -> StoreResult<(Plan, String, Vec<PlanTarget>, Vec<PlanTask>)> {
        let plan = get_plan(&self.db, scope, id).await?;
        let mut q = Query::select();
        q.column("text")
            .from("plans")
            .and_where(Expr::col("id").eq(id));
        let r = sql::fetch_one(&self.db, &q)
            .await?
            .ok_or(StoreError::NotFound)?;
        Ok((
            plan,
            get(&r, "text")?,
            targets_of(&self.db, id).await?,
            tasks_of(&self.db, id).await?,
        ))
    }

    /// A plan's ledger tasks, without its text and targets (the home page, the ledger export).
    pub async fn plan_tasks(
        &self,
        scope: &DataScope,
        id: i64,
    ) -> StoreResult<(Plan, Vec<PlanTask>)> {
        let plan = get_plan(&self.db, scope, id).await?;
        Ok((plan, tasks_of(&self.db, id).await?))
    }

    pub async fn plan_targets(&self, scope: &DataScope, id: i64) -> StoreResult<Vec<PlanTarget>> {
        get_plan(&self.db, scope, id).await?;
        targets_of(&self.db, id).await
    }

    /// Correct, confirm or reject one target.
    pub async fn update_target(
        &self,
        caller: &Caller,
        plan_id: i64,
        target_id: i64,
        p: &TargetPatch,
    ) -> StoreResult<PlanTarget> {
        if !matches!(p.status.as_str(), "proposed" | "confirmed" | "rejected") {
            return Err(Invalid::one(
                "status",
                "status.unknown",
                "状态应为 proposed（待审核）、confirmed（确认）或 rejected（剔除）",
            )
            .into());
        }
        let mut tx = self.write(caller).await?;
        get_plan(tx.conn(), &caller.scope, plan_id).await?;
        let before = targets_of(tx.conn(), plan_id)
            .await?
            .into_iter()
            .find(|t| t.id == target_id)
            .ok_or(StoreError::NotFound)?;
        let mut after = before.clone();
        after.indicator = p.indicator.trim().to_owned();
        after.key = p.key.trim().to_owned();
        after.value = p.value;
        after.value_max = p.value_max;
        after.unit = p.unit.trim().to_owned();
        after.comparator = p.comparator.clone();
        after.year = p.year;
        after.kind = p.kind.clone();
        after.status = p.status.clone();
        after.merged_into = None;
        after.note = p.note.clone().filter(|s| !s.trim().is_empty());
        validate_target(&after, "")?;
        let after = tx
            .update_as(
                "update",
                &before,
                vec![
                    ("indicator", after.indicator.clone().into()),
                    ("ind_key", after.key.clone().into()),
                    ("value", after.value.into()),
                    ("value_max", after.value_max.into()),
                    ("unit", after.unit.clone().into()),
                    ("comparator", after.comparator.clone().into()),
                    ("year", after.year.map(i64::from).into()),
                    ("kind", after.kind.clone().into()),
                    ("status", after.status.clone().into()),
                    ("merged_into", None::<i64>.into()),
                    ("note", after.note.clone().into()),
                ],
            )
            .await?;
        tx.commit().await?;
        Ok(after)
    }

    /// Merge duplicates into one target (合并): the others are kept, marked `merged`.
    pub async fn merge_targets(
        &self,
        caller: &Caller,
        plan_id: i64,
        keep: i64,
        others: &[i64],
    ) -> StoreResult<Vec<PlanTarget>> {
        if others.is_empty() || others.contains(&keep) {
            return Err(
                Invalid::one("others", "others.invalid", "请选择要合并到该目标的其他目标").into(),
            );
        }
        let mut tx = self.write(caller).await?;
        get_plan(tx.conn(), &caller.scope, plan_id).await?;
        let all = targets_of(tx.conn(), plan_id).await?;
        for id in std::iter::once(&keep).chain(others) {
            if !all.iter().any(|t| t.id == *id) {
                return Err(StoreError::NotFound);
            }
        }
        for t in all.iter().filter(|t| others.contains(&t.id)) {
            tx.update_as(
                "merge",
                t,
                vec![("status", "merged".into()), ("merged_into", keep.into())],
            )
            .await?;
        }
        let after = targets_of(tx.conn(), plan_id).await?;
        tx.commit().await?;
        Ok(after)
    }

    /// 确认: every target still `proposed` is confirmed; the confirmed targets are the plan's
    /// target set from now on.
    pub async fn confirm_plan(&self, caller: &Caller, plan_id: i64) -> StoreResult<Plan> {
        let mut tx = self.write(caller).await?;
        let plan = get_plan(tx.conn(), &caller.scope, plan_id).await?;
        let all = targets_of(tx.conn(), plan_id).await?;
        if !all
            .iter()
            .any(|t| t.kind == "target" && matches!(t.status.as_str(), "proposed" | "confirmed"))
        {
            return Err(StoreError::Conflict(FieldError::new(
                "targets",
                "plan.no_targets",
                "没有可确认的目标：请至少保留一个目标",
            )));
        }
        for t in all.iter().filter(|t| t.status == "proposed") {
            tx.update_as("confirm", t, vec![("status", "confirmed".into())])
                .await?;
        }
        let after = tx
            .update_as(
                "confirm",
                &plan,
                vec![
                    ("status", "confirmed".into()),
                    ("confirmed_at", now_ms().into()),
                ],
            )
            .await?;
        tx.commit().await?;
        Ok(after)
    }
}
