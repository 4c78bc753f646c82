//! Execution: the review and acceptance rounds of a call, milestone checks, disbursements,
//! the 任务书, rating and the ethics registration.

use super::*;

impl Store {
    /// Send a call's applications at the expert-review stage to a review round (专家评审):
    /// one item per application, with its applicant, disciplines, keywords and team (leader
    /// and members) for 回避. The round and its items are created together.
    pub async fn review_round_for_call(
        &self,
        caller: &Caller,
        call_id: i64,
        round: &kechuang_domain::review::NewRound,
    ) -> StoreResult<crate::review::Round> {
        self.review_round_for_stage(caller, call_id, round, AppStatus::ExpertReview)
            .await
    }

    /// The same for the acceptance stage (验收评审): projects of the call awaiting acceptance.
    pub async fn acceptance_round_for_call(
        &self,
        caller: &Caller,
        call_id: i64,
        round: &kechuang_domain::review::NewRound,
    ) -> StoreResult<crate::review::Round> {
        self.review_round_for_stage(caller, call_id, round, AppStatus::Acceptance)
            .await
    }

    async fn review_round_for_stage(
        &self,
        caller: &Caller,
        call_id: i64,
        round: &kechuang_domain::review::NewRound,
        stage: AppStatus,
    ) -> StoreResult<crate::review::Round> {
        let call = visible_calls(&self.db, &caller.scope)
            .await?
            .into_iter()
            .find(|c| c.id == call_id)
            .ok_or(StoreError::NotFound)?;
        let apps: Vec<Application> = self
            .list_applications(&caller.scope)
            .await?
            .into_iter()
            .filter(|a| a.call_id == call.id && a.status == stage.as_str())
            .collect();
        if apps.is_empty() {
            return Err(refuse(
                "review.no_applications",
                format!("指南“{}”没有处于“{}”阶段的项目", call.title, stage.label()),
            ));
        }
        let kind = if stage == AppStatus::Acceptance {
            kechuang_domain::review::ObjectKind::Acceptance
        } else {
            kechuang_domain::review::ObjectKind::Application
        };
        // Projects already in a round of this kind are not put in another: a second round for
        // the call takes only those that reached the stage since.
        let refs: Vec<String> = apps
            .iter()
            .map(|a| format!("application:{}", a.id))
            .collect();
        let mut q = Query::select();
        q.column(("review_items", "object_ref"))
            .from("review_items")
            .inner_join(
                "review_rounds",
                Expr::col(("review_rounds", "id")).equals(("review_items", "round_id")),
            )
            .and_where(Expr::col(("review_rounds", "object_kind")).eq(kind.as_str()))
            .and_where(Expr::col(("review_items", "object_ref")).is_in(refs));
        let mut taken = std::collections::HashSet::new();
        for r in sql::fetch_all(&self.db, &q).await? {
            if let Some(x) = get::<Option<String>>(&r, "object_ref")? {
                taken.insert(x);
            }
        }
        let apps: Vec<Application> = apps
            .into_iter()
            .filter(|a| !taken.contains(&format!("application:{}", a.id)))
            .collect();
        if apps.is_empty() {
            return Err(refuse(
                "review.already_organized",
                format!(
                    "指南“{}”处于“{}”阶段的项目都已组织评审，不能重复组织",
                    call.title,
                    stage.label()
                ),
            ));
        }
        let items: Vec<kechuang_domain::review::ItemInput> = apps
            .iter()
            .map(|a| kechuang_domain::review::ItemInput {
                title: a.title.clone(),
                object_ref: Some(format!("application:{}", a.id)),
                org_id: Some(a.org_id),
                disciplines: a.disciplines.clone(),
                keywords: a.keywords.clone(),
                team: std::iter::once(a.leader_id)
                    .chain(a.team.iter().copied())
                    .collect(),
                avoid: Vec::new(),
            })
            .collect();
        let mut r = round.clone();
        r.object_kind = kind;
        if r.region.is_none() {
            r.region = Some(RegionCode::parse_known(&call.region_code)?);
        }
        self.create_round_with_items(caller, &r, &items).await
    }

    /// 里程碑考核: record the check of one milestone (passed or not) with its evidence, while
    /// the project is running.
    pub async fn check_milestone(
        &self,
        caller: &Caller,
        id: i64,
        c: &MilestoneCheck,
    ) -> StoreResult<Vec<MilestoneCheck>> {
        let note = c.note.trim();
        if note.is_empty() || note.chars().count() > 2000 {
            return Err(
                Invalid::one("note", "note.required", "请填写考核意见（不超过2000字）").into(),
            );
        }
        if c.evidence_sha256
            .as_deref()
            .is_some_and(|h| h.len() != 64 || !h.bytes().all(|b| b.is_ascii_hexdigit()))
        {
            return Err(Invalid::one(
                "evidence_sha256",
                "evidence_sha256.format",
                "佐证材料的摘要应为64位十六进制SHA-256",
            )
            .into());
        }
        let mut tx = self.write(caller).await?;
        let app = get_app(tx.conn(), &caller.scope, id).await?;
        if !AppStatus::parse(&app.status).is_ok_and(kechuang_domain::project::may_check_milestone) {
            return Err(refuse(
                "milestone.status",
                format!("项目{}，不能进行里程碑考核", app.status_label),
            ));
        }
        let count = app.milestones.as_array().map_or(0, Vec::len) as i64;
        if !(0..count).contains(&c.milestone) {
            return Err(Invalid::one(
                "milestone",
                "milestone.unknown",
                format!("项目只有{count}个里程碑"),
            )
            .into());
        }
        let cid = tx.new_id().await?;
        let mut ins = Query::insert();
        ins.into_table("milestone_checks")
            .columns([
                "id",
                "application_id",
                "milestone",
                "passed",
                "note",
                "evidence_name",
                "evidence_sha256",
                "at",
                "by_user",
            ])
            .values([
                cid.into(),
                id.into(),
                c.milestone.into(),
                c.passed.into(),
                note.into(),
                c.evidence_name.clone().into(),
                c.evidence_sha256
                    .clone()
                    .map(|h| h.to_ascii_lowercase())
                    .into(),
                now_ms().into(),
                caller.username.clone().into(),
            ])
            .map_err(StoreError::corrupt)?;
        tx.conn().execute(&ins).await?;
        tx.note_parts("milestone_check", &app, None, serde_json::to_value(c).ok());
        let all = milestone_checks(tx.conn(), id).await?;
        tx.commit().await?;
        Ok(all)
    }

    /// 拨付: record a disbursement, optionally against a passed milestone; the total never
    /// exceeds the amount granted.
    pub async fn disburse(
        &self,
        caller: &Caller,
        id: i64,
        d: &Disbursement,
    ) -> StoreResult<Vec<Disbursement>> {
        let fen = kechuang_domain::money::parse_yuan("amount", "拨付金额", &d.amount, true)
            .ok()
            .and_then(kechuang_domain::money::to_fen)
            .filter(|f| *f > 0)
            .ok_or_else(|| {
                Invalid::one("amount", "amount.invalid", "拨付金额应为大于0的金额（元）")
            })?;
        let mut tx = self.write(caller).await?;
        let app = get_app(tx.conn(), &caller.scope, id).await?;
        if !AppStatus::parse(&app.status).is_ok_and(kechuang_domain::project::may_disburse) {
            return Err(refuse(
                "disbursement.status",
                format!("项目{}，不能拨付经费", app.status_label),
            ));
        }
        if let Some(m) = d.milestone {
            let passed = milestone_checks(tx.conn(), id)
                .await?
                .iter()
                .any(|c| c.milestone == m && c.passed);
            if !passed {
                return Err(refuse(
                    "disbursement.milestone",
                    format!("第{}个里程碑尚未考核通过，不能按该里程碑拨付", m + 1),
                ));
            }
        }
        let granted = app
            .granted
            .as_deref()
            .and_then(|g| g.parse().ok())
            .and_then(kechuang_domain::money::to_fen)
            .unwrap_or(0);
        let paid: i64 = disbursements(tx.conn(), id)
            .await?
            .iter()
            .filter_map(|x| {
                x.amount
                    .parse()
                    .ok()
                    .and_then(kechuang_domain::money::to_fen)
            })
            .sum();
        if paid + fen > granted {
            return Err(refuse(
                "disbursement.over_grant",
                format!(
                    "拨付合计{}元将超过批准经费{}元（已拨付{}元）",
                    yuan(paid + fen),
                    yuan(granted),
                    yuan(paid)
                ),
            ));
        }
        let did = tx.new_id().await?;
        let mut ins = Query::insert();
        ins.into_table("disbursements")
            .columns([
                "id",
                "application_id",
                "milestone",
                "amount_fen",
                "note",
                "at",
                "by_user",
            ])
            .values([
                did.into(),
                id.into(),
                d.milestone.into(),
                fen.into(),
                d.note.trim().into(),
                now_ms().into(),
                caller.username.clone().into(),
            ])
            .map_err(StoreError::corrupt)?;
        tx.conn().execute(&ins).await?;
        tx.note_parts(
            "disburse",
            &app,
            Some(serde_json::json!({"paid": yuan(paid)})),
            Some(serde_json::json!({"paid": yuan(paid + fen), "milestone": d.milestone})),
        );
        let all = disbursements(tx.conn(), id).await?;
        tx.commit().await?;
        Ok(all)
    }

    /// 任务书: the contract generated from the approved application, as label/value rows
    /// (basic data, grant, budget, team, milestones with their measurable targets).
    pub async fn task_book(
        &self,
        scope: &DataScope,
        id: i64,
    ) -> StoreResult<Vec<(String, String)>> {
        let app = get_app(&self.db, scope, id).await?;
        if !matches!(
            app.status.as_str(),
            "approved" | "contracted" | "in_progress" | "mid_term" | "acceptance" | "closed"
        ) {
            return Err(refuse(
                "task_book.status",
                format!("项目{}，尚未立项，不能生成任务书", app.status_label),
            ));
        }
        let mut q = call_select();
        q.and_where(Expr::col("id").eq(app.call_id));
        let call = call_from_row(
            &sql::fetch_one(&self.db, &q)
                .await?
                .ok_or(StoreError::NotFound)?,
        )?;
        let mut q = Query::select();
        q.column("name")
            .from("persons")
            .and_where(Expr::col("id").is_in(app.team.iter().copied()));
        let team: Vec<String> = sql::fetch_all(&self.db, &q)
            .await?
            .iter()
            .map(|r| get::<String>(r, "name"))
            .collect::<StoreResult<_>>()?;
        let mode = kechuang_domain::project::OrganizingMode::parse(&call.mode)
            .map(|m| m.label().to_owned())
            .unwrap_or_default();
        let mut rows = vec![
            ("项目名称".to_owned(), app.title.clone()),
            ("项目编号".to_owned(), format!("{}-{}", call.id, app.id)),
            ("计划类别".to_owned(), call.category.clone()),
            ("组织方式".to_owned(), mode),
            ("所属指南".to_owned(), call.title.clone()),
            ("承担单位".to_owned(), app.org_name.clone()),
            ("项目负责人".to_owned(), app.leader_name.clone()),
            ("项目组成员".to_owned(), team.join("、")),
            (
                "批准经费（元）".to_owned(),
                app.granted.clone().unwrap_or_default(),
            ),
            (
                "经费管理方式".to_owned(),
                if app.lump_sum {
                    "包干制"
                } else {
                    "预算制"
                }
                .to_owned(),
            ),
        ];
        if let Some(t) = &call.challenge_target {
            rows.push(("揭榜技术指标".to_owned(), t.clone()));
        }
        for line in app.budget.as_array().into_iter().flatten() {
            rows.push((
                format!("预算：{}", line["item"].as_str().unwrap_or_default()),
                line["amount"].as_str().unwrap_or_default().to_owned(),
            ));
        }
        for (n, m) in app.milestones.as_array().into_iter().flatten().enumerate() {
            rows.push((
                format!(
                    "里程碑{}：{}（{}）",
                    n + 1,
                    m["title"].as_str().unwrap_or_default(),
                    m["due_on"].as_str().unwrap_or_default()
                ),
                m["target"].as_str().unwrap_or_default().to_owned(),
            ));
        }
        rows.push((
            "科研诚信".to_owned(),
            "承担单位和项目组成员已签署科研诚信承诺书，违反承诺的按科研失信行为处理".to_owned(),
        ));
        if app.ethics_required {
            rows.push((
                "伦理审查备案号".to_owned(),
                app.ethics_registration.clone().unwrap_or_default(),
            ));
        }
        Ok(rows)
    }

    /// 绩效评价 of a closed project, kept for later calls (滚动支持 needs 优秀 or 良好).
    pub async fn rate_project(
        &self,
        caller: &Caller,
        id: i64,
        rating: &str,
        note: &str,
        today: chrono::NaiveDate,
    ) -> StoreResult<Application> {
        if !matches!(rating, "excellent" | "good" | "pass" | "fail") {
            return Err(Invalid::one(
                "rating",
                "rating.unknown",
                "绩效评价应为 excellent（优秀）、good（良好）、pass（合格）或 fail（不合格）",
            )
            .into());
        }
        let mut tx = self.write(caller).await?;
        let app = get_app(tx.conn(), &caller.scope, id).await?;
        if app.status != "closed" {
            return Err(refuse("rating.status", "只有已结题的项目可以进行绩效评价"));
        }
        let after = tx
            .update_as(
                "rate",
                &app,
                vec![
                    ("rating", rating.into()),
                    ("rated_on", today.to_string().into()),
                    (
                        "rating_note",
                        Some(note.trim().to_owned())
                            .filter(|s| !s.is_empty())
                            .into(),
                    ),
                ],
            )
            .await?;
        tx.commit().await?;
        Ok(after)
    }

    /// Milestone checks and disbursements of a project.
    pub async fn execution_record(
        &self,
        scope: &DataScope,
        id: i64,
    ) -> StoreResult<(Vec<MilestoneCheck>, Vec<Disbursement>)> {
        get_app(&self.db, scope, id).await?;
        Ok((
            milestone_checks(&self.db, id).await?,
            disbursements(&self.db, id).await?,
        ))
    }

    /// Record the ethics review registration (伦理审查备案号) of an application that needs one,
    /// at any time before approval.
    pub async fn record_ethics(
        &self,
        caller: &Caller,
        id: i64,
        registration: &str,
    ) -> StoreResult<Application> {
        let registration = registration.trim();
        if registration.is_empty() || registration.chars().count() > 100 {
            return Err(Invalid::one(
                "registration",
                "registration.required",
                "请填写伦理审查备案号（不超过100字）",
            )
            .into());
        }
        let mut tx = self.write(caller).await?;
        let before = get_app(tx.conn(), &caller.scope, id).await?;
        let status = AppStatus::parse(&before.status).map_err(StoreError::corrupt)?;
        if !matches!(
            status,
            AppStatus::Draft
                | AppStatus::Submitted
                | AppStatus::FormalCheck
                | AppStatus::Returned
                | AppStatus::ExpertReview
                | AppStatus::Panel
        ) {
            return Err(refuse(
                "ethics.too_late",
                format!("项目已{}，不能再登记伦理审查备案", before.status_label),
            ));
        }
        let after = tx
            .update_as(
                "ethics",
                &before,
                vec![("ethics_registration", registration.into())],
            )
            .await?;
        tx.commit().await?;
        Ok(after)
    }
}
