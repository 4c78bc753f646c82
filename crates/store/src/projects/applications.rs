//! Applications: drafts, submission with its checks, transitions and the panel decision.

use super::*;
use crate::{Page, PageRequest};
use sea_orm::sea_query::SelectStatement;

impl Store {
    /// Save a draft application (create, or update while in draft / returned).
    pub async fn save_application(
        &self,
        caller: &Caller,
        id: Option<i64>,
        a: &ApplicationInput,
    ) -> StoreResult<Application> {
        let total = a.validate_draft()?;
        let mut tx = self.write(caller).await?;
        let org = get_org(tx.conn(), &caller.scope, a.org_id)
            .await
            .map_err(|e| match e {
                StoreError::NotFound => {
                    Invalid::one("org_id", "org_id.unknown", "申报单位不存在或不在您的范围内")
                        .into()
                }
                e => e,
            })?;
        let calls = visible_calls(tx.conn(), &DataScope::Organization { org_id: org.id }).await?;
        let Some(call) = calls.iter().find(|c| c.id == a.call_id) else {
            return Err(Invalid::one(
                "call_id",
                "call_id.unknown",
                "该指南不存在、不面向本单位所在地区，或为定向委托其他单位的指南",
            )
            .into());
        };
        kechuang_domain::project::check_answers(&call.form, &a.answers, false)?;
        if let Some(p) = a.predecessor_id {
            if call.mode != "rolling" {
                return Err(Invalid::one(
                    "predecessor_id",
                    "predecessor.not_rolling",
                    "只有滚动支持类指南需要填写前期项目",
                )
                .into());
            }
            let prev = get_app(tx.conn(), &DataScope::All, p)
                .await
                .ok()
                .filter(|prev| prev.org_id == org.id);
            if prev.is_none() {
                return Err(Invalid::one(
                    "predecessor_id",
                    "predecessor.unknown",
                    "前期项目不存在或不是本单位承担的项目",
                )
                .into());
            }
        }
        let mut q = Query::select();
        q.column("id").from("persons").and_where(
            Expr::col("id").is_in(std::iter::once(a.leader_id).chain(a.team.iter().copied())),
        );
        let known = sql::fetch_all(tx.conn(), &q).await?.len();
        let mut wanted: Vec<i64> = std::iter::once(a.leader_id)
            .chain(a.team.iter().copied())
            .collect();
        wanted.sort_unstable();
        wanted.dedup();
        if known != wanted.len() {
            return Err(
                Invalid::one("team", "team.unknown", "项目负责人或成员未在人才库登记").into(),
            );
        }
        let before = match id {
            Some(id) => {
                let b = get_app(tx.conn(), &caller.scope, id).await?;
                if !matches!(b.status.as_str(), "draft" | "returned") {
                    return Err(refuse(
                        "application.locked",
                        format!("申报书已{}，不能修改", b.status_label),
                    ));
                }
                Some(b)
            }
            None => None,
        };
        let vals: Values = vec![
            ("call_id", a.call_id.into()),
            ("org_id", org.id.into()),
            ("region_path", org.region_path.clone().into()),
            ("title", a.title.trim().into()),
            ("leader_id", a.leader_id.into()),
            (
                "team_json",
                serde_json::to_string(&a.team)
                    .map_err(StoreError::corrupt)?
                    .into(),
            ),
            ("lump_sum", a.lump_sum.into()),
            (
                "budget_json",
                serde_json::to_string(&a.budget)
                    .map_err(StoreError::corrupt)?
                    .into(),
            ),
            ("budget_fen", total.into()),
            (
                "milestones_json",
                serde_json::to_string(&a.milestones)
                    .map_err(StoreError::corrupt)?
                    .into(),
            ),
            (
                "disciplines",
                serde_json::to_string(&a.disciplines)
                    .map_err(StoreError::corrupt)?
                    .into(),
            ),
            (
                "keywords",
                serde_json::to_string(&a.keywords)
                    .map_err(StoreError::corrupt)?
                    .into(),
            ),
            ("integrity_pledge", a.integrity_pledge.into()),
            ("ethics_required", a.ethics_required.into()),
            ("predecessor_id", a.predecessor_id.into()),
            (
                "answers_json",
                serde_json::to_string(&a.answers)
                    .map_err(StoreError::corrupt)?
                    .into(),
            ),
            (
                "ethics_registration",
                a.ethics_registration
                    .clone()
                    .filter(|s| !s.trim().is_empty())
                    .into(),
            ),
        ];
        let after = match &before {
            Some(b) => tx.update_as("update", b, vals).await?,
            None => {
                let mut vals = vals;
                vals.push(("status", AppStatus::Draft.as_str().into()));
                tx.create(vals).await?
            }
        };
        tx.commit().await?;
        Ok(after)
    }

    pub async fn list_applications(&self, scope: &DataScope) -> StoreResult<Vec<Application>> {
        self.list_applications_where(scope, &ApplicationFilter::default())
            .await
    }

    /// Applications in scope, newest first, by status and call (at most 5,000: for exports and
    /// a call's own set; lists page through [`Store::page_applications`]).
    pub async fn list_applications_where(
        &self,
        scope: &DataScope,
        f: &ApplicationFilter,
    ) -> StoreResult<Vec<Application>> {
        let mut q = app_query(scope, f);
        q.limit(5000);
        sql::fetch_all(&self.db, &q)
            .await?
            .iter()
            .map(app_from_row)
            .collect()
    }

    /// One page of the applications in scope matching the filter, newest first.
    pub async fn page_applications(
        &self,
        scope: &DataScope,
        f: &ApplicationFilter,
        page: PageRequest,
    ) -> StoreResult<Page<Application>> {
        self.paged(app_query(scope, f), page, app_from_row).await
    }

    /// How many applications in scope match the filter's call and text, by status (the
    /// filter's statuses are ignored: these are the counts of the stage tabs).
    pub async fn count_applications_by_status(
        &self,
        scope: &DataScope,
        f: &ApplicationFilter,
    ) -> StoreResult<std::collections::BTreeMap<String, u64>> {
        let all = ApplicationFilter {
            statuses: Vec::new(),
            ..f.clone()
        };
        let mut q = app_query(scope, &all);
        q.clear_selects()
            .clear_order_by()
            .expr_as(Expr::col(("applications", "status")), "st")
            .expr_as(Expr::cust("COUNT(*)"), "n")
            .group_by_col(("applications", "status"));
        let mut out = std::collections::BTreeMap::new();
        for r in sql::fetch_all(&self.db, &q).await? {
            let n: i64 = get(&r, "n")?;
            out.insert(get(&r, "st")?, u64::try_from(n).unwrap_or(0));
        }
        Ok(out)
    }

    pub async fn get_application(&self, scope: &DataScope, id: i64) -> StoreResult<Application> {
        get_app(&self.db, scope, id).await
    }

    pub async fn application_history(
        &self,
        scope: &DataScope,
        id: i64,
    ) -> StoreResult<Vec<TransitionRecord>> {
        get_app(&self.db, scope, id).await?;
        let mut q = Query::select();
        q.columns([
            "from_status",
            "to_status",
            "action",
            "reason",
            "actor",
            "at",
        ])
        .from("app_transitions")
        .and_where(Expr::col("application_id").eq(id))
        .order_by("id", Order::Asc);
        sql::fetch_all(&self.db, &q)
            .await?
            .iter()
            .map(|r| {
                Ok(TransitionRecord {
                    from_status: get(r, "from_status")?,
                    to_status: get(r, "to_status")?,
                    action: get(r, "action")?,
                    reason: get(r, "reason")?,
                    actor: get(r, "actor")?,
                    at: get(r, "at")?,
                })
            })
            .collect()
    }

    /// Move an application through the state machine. Submission, approval and closure check
    /// integrity sanctions; submission also checks the call's dates, the pledge, eligibility
    /// (the rules engine's stored result), the leader's active projects and failed projects,
    /// and for 滚动支持 the predecessor, and freezes the registry facts and attachment digests
    /// into the application (一次报送); approval needs the ethics registration when the project
    /// requires one. All in one transaction, audited.
    pub async fn transition_application(
        &self,
        caller: &Caller,
        id: i64,
        action: &str,
        actor: Actor,
        reason: Option<&str>,
        today: chrono::NaiveDate,
    ) -> StoreResult<Application> {
        // The registry facts are read before the write begins (the attachments again inside).
        let snapshot = if action == "submit" {
            let app = get_app(&self.db, &caller.scope, id).await?;
            Some(self.submission_snapshot(&app).await?)
        } else {
            None
        };
        let mut tx = self.write(caller).await?;
        let after =
            transition_in(&mut tx, caller, id, action, actor, reason, today, snapshot).await?;
        tx.commit().await?;
        Ok(after)
    }

    /// 批量办理 (批量形式审查 …): the same move for many applications, all or nothing. Every
    /// refusal is collected and reported together, naming each application.
    pub async fn transition_many(
        &self,
        caller: &Caller,
        ids: &[i64],
        action: &str,
        actor: Actor,
        reason: Option<&str>,
        today: chrono::NaiveDate,
    ) -> StoreResult<Vec<Application>> {
        if ids.is_empty() || ids.len() > 500 {
            return Err(Invalid::one("ids", "ids.count", "请选择1至500个项目").into());
        }
        if action == "submit" {
            return Err(refuse(
                "batch.submit",
                "申报书须由申报单位逐一提交，不能批量提交",
            ));
        }
        let mut tx = self.write(caller).await?;
        let mut done = Vec::new();
        let mut refused = Vec::new();
        for id in ids {
            match transition_in(&mut tx, caller, *id, action, actor, reason, today, None).await {
                Ok(a) => done.push(a),
                Err(StoreError::NotFound) => {
                    refused.push(format!("编号{id}：记录不存在或无权访问"))
                }
                Err(StoreError::Invalid(e)) => {
                    let why: Vec<String> = e.0.iter().map(|f| f.message.clone()).collect();
                    refused.push(format!(
                        "{}：{}",
                        named(&mut tx, caller, *id).await,
                        why.join("；")
                    ));
                }
                Err(StoreError::Conflict(f)) => {
                    refused.push(format!(
                        "{}：{}",
                        named(&mut tx, caller, *id).await,
                        f.message
                    ));
                }
                Err(e) => return Err(e),
            }
        }
        if !refused.is_empty() {
            // Dropping the transaction rolls back the moves already made.
            return Err(refuse(
                "application.batch_refused",
                format!(
                    "{}个项目不能办理，全部未办理：{}",
                    refused.len(),
                    refused.join("；")
                ),
            ));
        }
        tx.commit().await?;
        Ok(done)
    }
}

/// An application as a refusal names it: its title, or its number when it cannot be read.
async fn named(tx: &mut crate::audit::WriteTx, caller: &Caller, id: i64) -> String {
    get_app(tx.conn(), &caller.scope, id)
        .await
        .map_or_else(|_| format!("编号{id}"), |a| format!("“{}”", a.title))
}

/// One move inside the caller's transaction (see [`Store::transition_application`]).
#[allow(clippy::too_many_arguments)]
async fn transition_in(
    tx: &mut crate::audit::WriteTx,
    caller: &Caller,
    id: i64,
    action: &str,
    actor: Actor,
    reason: Option<&str>,
    today: chrono::NaiveDate,
    snapshot: Option<serde_json::Value>,
) -> StoreResult<Application> {
    {
        let app = get_app(tx.conn(), &caller.scope, id).await?;
        let from = AppStatus::parse(&app.status).map_err(StoreError::corrupt)?;
        let tr = transition(from, action, actor)?;
        if from == AppStatus::Panel {
            return Err(refuse(
                "panel.required",
                "立项或不予立项须通过会审决策办理（写明批准经费或理由）",
            ));
        }
        let reason = reason.map(str::trim).filter(|s| !s.is_empty());
        if tr.needs_reason && reason.is_none() {
            return Err(Invalid::one(
                "reason",
                "reason.required",
                format!("“{}”须填写理由", tr.label),
            )
            .into());
        }
        let mut q = call_select();
        q.and_where(Expr::col("id").eq(app.call_id));
        let call = call_from_row(
            &sql::fetch_one(tx.conn(), &q)
                .await?
                .ok_or(StoreError::NotFound)?,
        )?;
        if action == "close" && call.mode == "challenge" && reason.is_none() {
            return Err(Invalid::one(
                "reason",
                "reason.challenge_verdict",
                format!(
                    "揭榜挂帅项目结题须写明验收结论：是否达到揭榜目标（{}）",
                    call.challenge_target.as_deref().unwrap_or("见榜单")
                ),
            )
            .into());
        }
        if action == "close" {
            let checks = milestone_checks(tx.conn(), app.id).await?;
            let open: Vec<String> = app
                .unchecked_milestones(&checks)
                .iter()
                .map(|m| format!("第{}个", m + 1))
                .collect();
            if !open.is_empty() {
                return Err(refuse(
                    "acceptance.milestones_open",
                    format!(
                        "{}里程碑尚未考核通过，不能结题验收：请先完成里程碑考核，或办理终止",
                        open.join("、")
                    ),
                ));
            }
        }
        if action == "eliminate" && call.mode != "horse_race" {
            return Err(refuse(
                "eliminate.not_horse_race",
                "只有赛马制项目可以按阶段评价淘汰",
            ));
        }
        let today_s = today.to_string();
        if matches!(action, "submit" | "close") {
            let sanctioned = active_sanctions(tx.conn(), &app, &today_s).await?;
            if let Some((who, s)) = sanctioned.first() {
                return Err(refuse(
                    "integrity.sanctioned",
                    format!(
                        "{who}存在有效的科研失信处理记录（{}，{}至{}，{}），不能{}",
                        s.measure, s.starts_on, s.ends_on, s.source_document, tr.label
                    ),
                ));
            }
        }
        if action == "submit" {
            submission_input(&app)?.validate_for_submission()?;
            if call.status != "published" {
                return Err(refuse(
                    "call.withdrawn",
                    format!("指南“{}”已{}，不能提交", call.title, call.status_label),
                ));
            }
            let mut named = [call];
            name_designated(tx.conn(), &mut named).await?;
            let [call] = named;
            if let Some(msg) = designated_refusal(&call, app.org_id) {
                return Err(refuse("call.not_designated", msg));
            }
            if today_s < call.opens_on || today_s > call.closes_on {
                return Err(refuse(
                    "call.closed",
                    format!(
                        "指南“{}”的申报时间为{}至{}，当前不在申报期内",
                        call.title, call.opens_on, call.closes_on
                    ),
                ));
            }
            kechuang_domain::project::check_answers(&call.form, &app.answers, true)?;
            if app.ethics_required && app.ethics_registration.is_none() {
                // Allowed at submission; approval needs it. Nothing to do here.
            }
            if let Some(el) = &call.eligibility {
                let mut q = Query::select();
                q.columns(["year", "qualified", "outputs_json"])
                    .from("rule_results")
                    .and_where(crate::rule_results::current())
                    .and_where(Expr::col("pack").eq(el.pack.clone()))
                    .and_where(Expr::col("org_id").eq(app.org_id))
                    .and_where(Expr::col("year").lte(i64::from(chrono::Datelike::year(&today))))
                    .order_by("year", Order::Desc)
                    .limit(1);
                let ok = match sql::fetch_one(tx.conn(), &q).await? {
                    Some(r) => match el.output.as_deref().filter(|o| *o != "qualified") {
                        None => get::<Option<bool>>(&r, "qualified")?.unwrap_or(false),
                        Some(o) => {
                            let outputs: serde_json::Value =
                                serde_json::from_str(&get::<String>(&r, "outputs_json")?)
                                    .map_err(StoreError::corrupt)?;
                            outputs.get(o).and_then(serde_json::Value::as_bool) == Some(true)
                        }
                    },
                    None => false,
                };
                if !ok {
                    return Err(refuse(
                        "call.ineligible",
                        format!(
                            "不符合申报条件：{}（依据“{}”政策包的最新评价结果）",
                            el.description, el.pack
                        ),
                    ));
                }
            }
            if call.mode == "rolling" {
                check_predecessor(tx.conn(), &app).await?;
            }
            check_failed_projects(tx.conn(), &app, today).await?;
            let mut q = Query::select();
            q.columns(["id", "status"])
                .from("applications")
                .and_where(Expr::col("leader_id").eq(app.leader_id))
                .and_where(Expr::col("id").ne(app.id));
            let mut active = 0;
            for r in sql::fetch_all(tx.conn(), &q).await? {
                let s: String = get(&r, "status")?;
                if AppStatus::parse(&s).is_ok_and(is_active) {
                    active += 1;
                }
            }
            if active >= call.max_active_per_leader {
                return Err(refuse(
                    "leader.too_many",
                    format!(
                        "项目负责人{}已主持{}项在研项目，达到本指南上限{}项",
                        app.leader_name, active, call.max_active_per_leader
                    ),
                ));
            }
        }
        if let Some(mut snap) = snapshot {
            let files = crate::applicant::attachments_of(tx.conn(), app.id).await?;
            snap["attachments"] = files
                .iter()
                .map(|a| {
                    serde_json::json!({
                        "file_name": a.file_name, "sha256": a.sha256,
                        "size_bytes": a.size_bytes, "kind": a.kind,
                    })
                })
                .collect();
            let mut up = Query::update();
            up.table("applications")
                .value("registry_snapshot", snap.to_string())
                .and_where(Expr::col("id").eq(app.id));
            tx.conn().execute(&up).await?;
        }
        apply_move(
            tx,
            &app,
            Move {
                from,
                to: tr.to,
                action,
                reason: reason.map(str::to_owned),
                granted_fen: None,
                audit: "transition",
            },
        )
        .await?;
        get_app(tx.conn(), &DataScope::All, id).await
    }
}

impl Store {
    /// 会审决策: approve applications with the amount granted to each, or reject them with a
    /// reason, for one call, in one transaction. The amounts granted in the call, with those
    /// already approved, stay within the call's budget; each application must be at the panel
    /// stage; approval still needs the ethics registration where one is required.
    pub async fn panel_decide(
        &self,
        caller: &Caller,
        call_id: i64,
        decisions: &[PanelDecision],
        today: chrono::NaiveDate,
    ) -> StoreResult<Vec<Application>> {
        if decisions.is_empty() {
            return Err(Invalid::one(
                "decisions",
                "decisions.required",
                "请至少对一个项目作出决定",
            )
            .into());
        }
        let mut c = kechuang_domain::error::Collector::default();
        let mut grants = Vec::with_capacity(decisions.len());
        for (n, d) in decisions.iter().enumerate() {
            let f = format!("decisions[{n}]");
            if d.approve {
                match kechuang_domain::money::parse_yuan(
                    &f,
                    "批准经费",
                    d.amount.as_deref().unwrap_or(""),
                    true,
                )
                .ok()
                .and_then(kechuang_domain::money::to_fen)
                {
                    Some(v) if v > 0 => grants.push(v),
                    _ => {
                        grants.push(0);
                        c.push(FieldError::new(
                            &f,
                            "amount.required",
                            format!("第{}项：批准立项须填写大于0的批准经费（元）", n + 1),
                        ));
                    }
                }
            } else {
                grants.push(0);
                if d.reason.as_deref().map(str::trim).unwrap_or("").is_empty() {
                    c.push(FieldError::new(
                        &f,
                        "reason.required",
                        format!("第{}项：不予立项须填写理由", n + 1),
                    ));
                }
            }
        }
        c.finish()?;
        let mut tx = self.write(caller).await?;
        let mut q = call_select();
        q.cond_where(sql::scope_condition(&caller.scope, CALLS))
            .and_where(Expr::col("id").eq(call_id));
        let call = call_from_row(
            &sql::fetch_one(tx.conn(), &q)
                .await?
                .ok_or(StoreError::NotFound)?,
        )?;
        let mut q = Query::select();
        q.expr_as(
            Expr::cust("CAST(COALESCE(SUM(granted_fen), 0) AS BIGINT)"),
            "g",
        )
        .from("applications")
        .and_where(Expr::col("call_id").eq(call_id));
        let already: i64 = get(
            &sql::fetch_one(tx.conn(), &q)
                .await?
                .ok_or(StoreError::NotFound)?,
            "g",
        )?;
        let budget =
            kechuang_domain::money::to_fen(call.budget.parse().map_err(StoreError::corrupt)?)
                .ok_or_else(|| StoreError::corrupt("budget"))?;
        let asked: i64 = grants.iter().sum();
        if already + asked > budget {
            return Err(refuse(
                "panel.over_budget",
                format!(
                    "批准经费合计{}元，加上已批准的{}元，超出指南总预算{}元",
                    yuan(asked),
                    yuan(already),
                    call.budget
                ),
            ));
        }
        let mut out = Vec::new();
        for (d, grant) in decisions.iter().zip(&grants) {
            let app = get_app(tx.conn(), &caller.scope, d.application_id).await?;
            if app.call_id != call_id {
                return Err(Invalid::one(
                    "application_id",
                    "application.other_call",
                    format!("项目“{}”不属于该指南", app.title),
                )
                .into());
            }
            let from = AppStatus::parse(&app.status).map_err(StoreError::corrupt)?;
            let action = if d.approve { "approve" } else { "reject" };
            let tr = transition(from, action, Actor::Officer)?;
            if d.approve && app.ethics_required && app.ethics_registration.is_none() {
                return Err(refuse(
                    "ethics.required",
                    format!(
                        "项目“{}”涉及伦理审查，须先完成伦理审查备案才能立项",
                        app.title
                    ),
                ));
            }
            if d.approve {
                let sanctioned = active_sanctions(tx.conn(), &app, &today.to_string()).await?;
                if let Some((who, s)) = sanctioned.first() {
                    return Err(refuse(
                        "integrity.sanctioned",
                        format!(
                            "项目“{}”的{who}存在有效的科研失信处理记录（{}，{}），不能立项",
                            app.title, s.measure, s.source_document
                        ),
                    ));
                }
            }
            let reason = if d.approve {
                Some(format!("批准经费{}元", yuan(*grant)))
            } else {
                d.reason.as_deref().map(|r| r.trim().to_owned())
            };
            apply_move(
                &mut tx,
                &app,
                Move {
                    from,
                    to: tr.to,
                    action,
                    reason,
                    granted_fen: Some(d.approve.then_some(*grant)),
                    audit: "panel",
                },
            )
            .await?;
            out.push(app.id);
        }
        let mut after = Vec::with_capacity(out.len());
        for id in out {
            after.push(get_app(tx.conn(), &DataScope::All, id).await?);
        }
        tx.commit().await?;
        Ok(after)
    }
}

/// The stored application as the input it was saved from, for the submission check.
fn submission_input(app: &Application) -> StoreResult<ApplicationInput> {
    Ok(ApplicationInput {
        call_id: app.call_id,
        title: app.title.clone(),
        org_id: app.org_id,
        leader_id: app.leader_id,
        team: app.team.clone(),
        lump_sum: app.lump_sum,
        budget: serde_json::from_value(app.budget.clone()).map_err(StoreError::corrupt)?,
        milestones: serde_json::from_value(app.milestones.clone()).map_err(StoreError::corrupt)?,
        disciplines: app.disciplines.clone(),
        keywords: app.keywords.clone(),
        integrity_pledge: app.integrity_pledge,
        ethics_required: app.ethics_required,
        ethics_registration: app.ethics_registration.clone(),
        predecessor_id: app.predecessor_id,
        answers: app.answers.clone(),
    })
}

/// The applications in scope matching a filter, newest first.
fn app_query(scope: &DataScope, f: &ApplicationFilter) -> SelectStatement {
    let mut q = app_select();
    q.cond_where(app_scope(scope));
    if !f.statuses.is_empty() {
        q.and_where(Expr::col(("applications", "status")).is_in(f.statuses.clone()));
    }
    if let Some(c) = f.call_id {
        q.and_where(Expr::col(("applications", "call_id")).eq(c));
    }
    if let Some(text) = f.q.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        q.cond_where(
            sea_orm::sea_query::Cond::any()
                .add(Expr::col(("applications", "title")).like(sql::contains(text)))
                .add(Expr::col(("organizations", "name")).like(sql::contains(text)))
                .add(Expr::col(("calls", "title")).like(sql::contains(text)))
                .add(Expr::col(("persons", "name")).like(sql::contains(text))),
        );
    }
    q.order_by(("applications", "id"), Order::Desc);
    q
}
