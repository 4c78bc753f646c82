//! Calls (指南/榜单) and the enterprise demands (企业出题) they may adopt.

use super::*;

impl Store {
    pub async fn create_call(&self, caller: &Caller, c: &NewCall) -> StoreResult<Call> {
        self.create_call_from(caller, c, None, true).await
    }

    /// Create a call; with `demand`, the enterprise demand (企业出题) it answers is marked
    /// adopted and linked to it in the same transaction (政府立题 from 企业出题). Without
    /// `publish` the call is a draft (草稿): officers see, edit and preview it; applicants do not.
    pub async fn create_call_from(
        &self,
        caller: &Caller,
        c: &NewCall,
        demand: Option<i64>,
        publish: bool,
    ) -> StoreResult<Call> {
        let region = match (c.region, &caller.scope) {
            (Some(r), _) => r,
            (None, DataScope::Region { code, .. }) => RegionCode::parse_known(&code[..])?,
            (None, _) => {
                return Err(Invalid::one("region", "region.required", "请填写组织地区").into());
            }
        };
        let path = region_path(region)?;
        if !caller.scope.admits(RecordKeys::region(&path)) {
            return Err(StoreError::Forbidden("组织地区不在您的管辖范围内".into()));
        }
        let mut tx = self.write(caller).await?;
        for &org_id in &c.designated_orgs {
            if let Err(e) = get_org(tx.conn(), &caller.scope, org_id).await {
                return Err(match e {
                    StoreError::NotFound => Invalid::one(
                        "designated_orgs",
                        "designated_orgs.unknown",
                        format!("指定的承担单位（编号{org_id}）不存在或不在您的管辖范围内"),
                    )
                    .into(),
                    e => e,
                });
            }
        }
        let mut vals = call_values(c, region, &path);
        vals.push(("status", if publish { "published" } else { "draft" }.into()));
        let created: Call = tx.create(vals).await?;
        let mut after = [created];
        name_designated(tx.conn(), &mut after).await?;
        let [after] = after;
        if let Some(d) = demand {
            let demand: Demand = tx.get(d).await?;
            if demand.status != "open" {
                return Err(refuse("demand.adopted", "该技术需求已被采纳或关闭"));
            }
            tx.update_as(
                "adopt",
                &demand,
                vec![("status", "adopted".into()), ("call_id", after.id.into())],
            )
            .await?;
        }
        tx.commit().await?;
        Ok(after)
    }

    pub async fn list_calls(&self, scope: &DataScope) -> StoreResult<Vec<Call>> {
        visible_calls(&self.db, scope).await
    }

    /// One call, as the caller may see it (applicants: published only).
    pub async fn get_call(&self, scope: &DataScope, id: i64) -> StoreResult<Call> {
        visible_calls(&self.db, scope)
            .await?
            .into_iter()
            .find(|c| c.id == id)
            .ok_or(StoreError::NotFound)
    }

    /// Edit a draft call (a published call is changed only by withdrawing it).
    pub async fn update_call(&self, caller: &Caller, id: i64, c: &NewCall) -> StoreResult<Call> {
        let mut tx = self.write(caller).await?;
        let before: Call = tx.get(id).await?;
        if before.status != "draft" {
            return Err(refuse(
                "call.not_draft",
                format!(
                    "指南已{}，不能修改；如需更正请撤回后重新发布",
                    before.status_label
                ),
            ));
        }
        let region = c
            .region
            .map_or_else(|| RegionCode::parse_known(&before.region_code), Ok)?;
        let path = region_path(region)?;
        for &org_id in &c.designated_orgs {
            if get_org(tx.conn(), &caller.scope, org_id).await.is_err() {
                return Err(Invalid::one(
                    "designated_orgs",
                    "designated_orgs.unknown",
                    format!("指定的承担单位（编号{org_id}）不存在或不在您的管辖范围内"),
                )
                .into());
            }
        }
        let after = tx
            .update_as("update", &before, call_values(c, region, &path))
            .await?;
        let mut named = [after];
        name_designated(tx.conn(), &mut named).await?;
        tx.commit().await?;
        let [after] = named;
        Ok(after)
    }

    /// 发布: a draft becomes visible to applicants.
    pub async fn publish_call(&self, caller: &Caller, id: i64) -> StoreResult<Call> {
        let mut tx = self.write(caller).await?;
        let before: Call = tx.get(id).await?;
        if before.status != "draft" {
            return Err(refuse(
                "call.not_draft",
                format!("指南已{}，不能再次发布", before.status_label),
            ));
        }
        let after = tx
            .update_as("publish", &before, vec![("status", "published".into())])
            .await?;
        tx.commit().await?;
        Ok(after)
    }

    /// 撤回: a published call is taken down with a reason; applications already submitted
    /// stay where they are, drafts can no longer be submitted.
    pub async fn withdraw_call(&self, caller: &Caller, id: i64, reason: &str) -> StoreResult<Call> {
        let reason = reason.trim();
        if reason.is_empty() || reason.chars().count() > 500 {
            return Err(
                Invalid::one("reason", "reason.required", "请填写撤回理由（不超过500字）").into(),
            );
        }
        let mut tx = self.write(caller).await?;
        let before: Call = tx.get(id).await?;
        if before.status != "published" {
            return Err(refuse(
                "call.not_published",
                format!("指南为{}，只有已发布的指南可以撤回", before.status_label),
            ));
        }
        let after = tx
            .update_as(
                "withdraw",
                &before,
                vec![
                    ("status", "withdrawn".into()),
                    ("withdraw_reason", reason.into()),
                ],
            )
            .await?;
        tx.commit().await?;
        Ok(after)
    }

    /// 企业出题: an enterprise posts a technical demand for its own organization.
    pub async fn post_demand(&self, caller: &Caller, d: &Demand) -> StoreResult<Demand> {
        let mut c = kechuang_domain::error::Collector::default();
        if d.title.trim().is_empty() || d.title.chars().count() > 200 {
            c.push(FieldError::new(
                "title",
                "title.required",
                "需求名称不能为空且不超过200个字",
            ));
        }
        if d.description.trim().is_empty() || d.target.trim().is_empty() {
            c.push(FieldError::new(
                "target",
                "target.required",
                "请写明需求内容和要达到的技术指标",
            ));
        }
        let budget = match d.budget.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            Some(b) => match kechuang_domain::money::parse_yuan("budget", "拟投入经费", b, true)
            {
                Ok(v) => kechuang_domain::money::to_fen(v),
                Err(Invalid(es)) => {
                    for e in es {
                        c.push(e);
                    }
                    None
                }
            },
            None => None,
        };
        let budget_min = match d
            .budget_min
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            Some(b) => match kechuang_domain::money::parse_yuan("budget_min", "预算下限", b, true)
            {
                Ok(v) => kechuang_domain::money::to_fen(v),
                Err(Invalid(es)) => {
                    for e in es {
                        c.push(e);
                    }
                    None
                }
            },
            None => None,
        };
        if let (Some(lo), Some(hi)) = (budget_min, budget)
            && lo > hi
        {
            c.push(FieldError::new(
                "budget_min",
                "demand.budget_range",
                "预算下限不能高于拟投入经费（预算上限）",
            ));
        }
        let area = match d.area.trim() {
            "" => None,
            a => c
                .take(kechuang_domain::achievement::Area::parse(a))
                .map(|a| a.as_str()),
        };
        let keywords: Vec<String> = d
            .keywords
            .iter()
            .map(|k| k.trim().to_owned())
            .filter(|k| !k.is_empty())
            .collect();
        if keywords.len() > 5 || keywords.iter().any(|k| k.chars().count() > 20) {
            c.push(FieldError::new(
                "keywords",
                "keywords.count",
                "关键词最多5个，每个不超过20个字",
            ));
        }
        if d.trl_min.is_some_and(|t| !(1..=9).contains(&t)) {
            c.push(FieldError::new(
                "trl_min",
                "trl.range",
                "技术就绪度应为1至9级",
            ));
        }
        let deadline = match d
            .deadline
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            Some(t) => match chrono::NaiveDate::parse_from_str(t, "%Y-%m-%d") {
                Ok(day) => Some(day.to_string()),
                Err(_) => {
                    c.push(FieldError::new(
                        "deadline",
                        "date.format",
                        format!("截止日期“{t}”格式错误，应为 YYYY-MM-DD"),
                    ));
                    None
                }
            },
            None => None,
        };
        c.finish()?;
        let mut tx = self.write(caller).await?;
        let org = get_org(tx.conn(), &caller.scope, d.org_id).await?;
        let after = tx
            .create(vec![
                ("org_id", org.id.into()),
                ("region_path", org.region_path.clone().into()),
                ("title", d.title.trim().into()),
                ("description", d.description.trim().into()),
                ("target", d.target.trim().into()),
                ("budget_fen", budget.into()),
                ("status", "open".into()),
                ("budget_min_fen", budget_min.into()),
                ("deadline", deadline.into()),
                ("area", area.into()),
                (
                    "keywords",
                    serde_json::to_string(&keywords).unwrap_or_default().into(),
                ),
                ("trl_min", d.trl_min.into()),
            ])
            .await?;
        tx.commit().await?;
        Ok(after)
    }

    /// 需求大厅: open demands of every region, newest first, optionally matching `q`.
    pub async fn demand_hall(
        &self,
        q: Option<&str>,
        ids: Option<&[i64]>,
        area: Option<&str>,
        page: crate::PageRequest,
    ) -> StoreResult<crate::Page<Demand>> {
        let mut sel = <Demand as Record>::select();
        sel.and_where(Expr::col(("demands", "status")).is_in(["open", "matched"]));
        sql::text_match(&mut sel, ("demands", "id"), ids, q, |t| {
            sea_orm::sea_query::Cond::any()
                .add(Expr::col(("demands", "title")).like(sql::contains(t)))
                .add(Expr::col(("demands", "description")).like(sql::contains(t)))
                .add(Expr::col(("demands", "keywords")).like(sql::contains(t)))
        });
        if let Some(a) = area.filter(|s| !s.is_empty()) {
            sel.and_where(
                Expr::col(("demands", "area"))
                    .eq(kechuang_domain::achievement::Area::parse(a)?.as_str()),
            );
        }
        sel.order_by(("demands", "id"), Order::Desc);
        self.paged(sel, page, <Demand as Record>::from_row).await
    }

    /// One demand: in the caller's scope, or open on the market.
    pub async fn get_demand(&self, scope: &DataScope, id: i64) -> StoreResult<Demand> {
        match self.get_record::<Demand>(scope, id).await {
            Err(StoreError::NotFound) => {
                let d: Demand = self.get_record(&DataScope::All, id).await?;
                if matches!(d.status.as_str(), "open" | "matched") {
                    Ok(d)
                } else {
                    Err(StoreError::NotFound)
                }
            }
            r => r,
        }
    }

    /// One page of the calls the caller may see, newest first: a bureau its region's, an
    /// applicant the published ones of its region and above (directed ones only if designated).
    pub async fn page_calls(
        &self,
        scope: &DataScope,
        f: &CallFilter,
        page: crate::PageRequest,
    ) -> StoreResult<crate::Page<Call>> {
        let mut q = call_select();
        match scope {
            DataScope::Organization { org_id } => {
                let org = get_org(&self.db, scope, *org_id).await?;
                // Calls of the organization's region and of every region above it.
                let parts: Vec<&str> = org
                    .region_path
                    .split('/')
                    .filter(|p| !p.is_empty())
                    .collect();
                let ancestors: Vec<String> = (1..=parts.len())
                    .map(|n| format!("/{}/", parts[..n].join("/")))
                    .collect();
                // `designated_orgs` is a JSON array of ids without spaces: `[3,41]`.
                let designated = [
                    format!("[{org_id}]"),
                    format!("[{org_id},%"),
                    format!("%,{org_id},%"),
                    format!("%,{org_id}]"),
                ]
                .into_iter()
                .fold(
                    sea_orm::sea_query::Cond::any().add(Expr::col("mode").ne("directed")),
                    |c, p| c.add(Expr::col("designated_orgs").like(p)),
                );
                q.and_where(Expr::col("status").eq("published"))
                    .and_where(Expr::col("region_path").is_in(ancestors))
                    .cond_where(designated);
            }
            _ => {
                q.cond_where(sql::scope_condition(scope, CALLS));
            }
        }
        if let Some(t) = f.q.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
            q.and_where(Expr::col(("calls", "title")).like(sql::contains(t)));
        }
        if let Some(st) = f.status.as_deref().filter(|s| !s.is_empty()) {
            q.and_where(Expr::col(("calls", "status")).eq(st));
        }
        q.order_by(("calls", "id"), Order::Desc);
        let mut p = self.paged(q, page, call_from_row).await?;
        name_designated(&self.db, &mut p.items).await?;
        Ok(p)
    }

    /// One page of the 企业出题 demands in scope, newest first.
    pub async fn page_demands(
        &self,
        scope: &DataScope,
        page: crate::PageRequest,
    ) -> StoreResult<crate::Page<Demand>> {
        let mut q = <Demand as Record>::select();
        q.cond_where(sql::scope_condition(scope, DEMANDS))
            .order_by(("demands", "id"), Order::Desc);
        self.paged(q, page, Demand::from_row).await
    }
}

/// The stored columns of a call (without its status).
fn call_values(c: &NewCall, region: RegionCode, path: &str) -> Values {
    vec![
        ("title", c.title.clone().into()),
        ("category", c.category.clone().into()),
        ("mode", c.mode.as_str().into()),
        ("region_code", region.to_string().into()),
        ("region_path", path.to_owned().into()),
        ("budget_fen", c.budget_fen.into()),
        ("opens_on", c.opens_on.to_string().into()),
        ("closes_on", c.closes_on.to_string().into()),
        (
            "eligibility_json",
            c.eligibility
                .as_ref()
                .map(|e| serde_json::to_string(e).unwrap_or_default())
                .into(),
        ),
        ("challenge_target", c.challenge_target.clone().into()),
        ("challenge_reward_fen", c.challenge_reward_fen.into()),
        (
            "max_active_per_leader",
            i64::from(c.max_active_per_leader).into(),
        ),
        (
            "designated_orgs",
            Some(&c.designated_orgs)
                .filter(|d| !d.is_empty())
                .map(|d| serde_json::to_string(d).unwrap_or_default())
                .into(),
        ),
        (
            "form_json",
            Some(&c.form)
                .filter(|f| !f.is_empty())
                .map(|f| serde_json::to_string(f).unwrap_or_default())
                .into(),
        ),
    ]
}
