//! Assignments, the expert's side: scoring, declining with 递补, reminders.

use super::*;

pub(super) fn assignment_select() -> SelectStatement {
    let mut q = Query::select();
    q.columns(
        [
            "id",
            "round_id",
            "item_id",
            "expert_id",
            "expert_user_id",
            "region_path",
            "affinity",
            "method",
            "status",
            "decline_reason",
            "scores_json",
            "total",
            "comment",
            "reminded_at",
            "submitted_at",
            "draft_json",
            "draft_saved_at",
        ]
        .map(|c| ("review_assignments", c)),
    )
    .expr_as(Expr::col(("review_items", "object_ref")), "object_ref")
    .expr_as(Expr::col(("expert_org", "name")), "expert_org_name")
    .expr_as(Expr::col(("review_rounds", "title")), "round_title")
    .expr_as(Expr::col(("review_rounds", "status")), "round_status")
    .expr_as(Expr::col(("review_rounds", "due_on")), "due_on")
    .expr_as(Expr::col(("review_rounds", "form_json")), "form_json")
    .expr_as(Expr::col(("review_items", "title")), "item_title")
    .expr_as(Expr::col(("organizations", "name")), "item_org_name")
    .expr_as(Expr::col(("persons", "name")), "expert_name")
    .from("review_assignments")
    .inner_join(
        "review_rounds",
        Expr::col(("review_rounds", "id")).equals(("review_assignments", "round_id")),
    )
    .inner_join(
        "review_items",
        Expr::col(("review_items", "id")).equals(("review_assignments", "item_id")),
    )
    .inner_join(
        "persons",
        Expr::col(("persons", "id")).equals(("review_assignments", "expert_id")),
    )
    .left_join(
        "organizations",
        Expr::col(("organizations", "id")).equals(("review_items", "org_id")),
    )
    .join_as(
        sea_orm::sea_query::JoinType::LeftJoin,
        "organizations",
        "expert_org",
        Expr::col(("expert_org", "id")).equals(("persons", "org_id")),
    );
    q
}

pub(super) fn assignment_from_row(r: &QueryResult) -> StoreResult<Assignment> {
    let form: String = get(r, "form_json")?;
    let scores: Option<String> = get(r, "scores_json")?;
    Ok(Assignment {
        id: get(r, "id")?,
        round_id: get(r, "round_id")?,
        round_title: get(r, "round_title")?,
        round_status: get(r, "round_status")?,
        due_on: get(r, "due_on")?,
        form: serde_json::from_str(&form).map_err(StoreError::corrupt)?,
        item_id: get(r, "item_id")?,
        item_title: get(r, "item_title")?,
        item_org_name: get(r, "item_org_name")?,
        expert_id: get(r, "expert_id")?,
        expert_name: get(r, "expert_name")?,
        affinity: get::<i64>(r, "affinity")? as f64 / 1e6,
        method: get(r, "method")?,
        status: get(r, "status")?,
        decline_reason: get(r, "decline_reason")?,
        scores: scores
            .map(|s| serde_json::from_str(&s))
            .transpose()
            .map_err(StoreError::corrupt)?,
        total: get(r, "total")?,
        comment: get(r, "comment")?,
        reminded_at: get(r, "reminded_at")?,
        submitted_at: get(r, "submitted_at")?,
        draft: match (
            get::<Option<String>>(r, "draft_json")?,
            get::<Option<i64>>(r, "draft_saved_at")?,
        ) {
            (Some(d), Some(at)) => {
                let input: ScoreInput = serde_json::from_str(&d).map_err(StoreError::corrupt)?;
                Some(ScoreDraft {
                    scores: input.scores,
                    comment: input.comment,
                    saved_at: at,
                })
            }
            _ => None,
        },
        object_ref: get(r, "object_ref")?,
        expert_org_name: get(r, "expert_org_name")?,
        region_path: get(r, "region_path")?,
        expert_user_id: get(r, "expert_user_id")?,
    })
}

pub(super) async fn assignments_where<C: ConnectionTrait>(
    c: &C,
    scope: &DataScope,
    round_id: Option<i64>,
    id: Option<i64>,
) -> StoreResult<Vec<Assignment>> {
    let mut q = assignment_select();
    q.cond_where(sql::scope_condition(scope, ASSIGN));
    if let Some(r) = round_id {
        q.and_where(Expr::col(("review_assignments", "round_id")).eq(r));
    }
    if let Some(id) = id {
        q.and_where(Expr::col(("review_assignments", "id")).eq(id));
    }
    q.order_by(("review_assignments", "item_id"), Order::Asc)
        .order_by(("review_assignments", "id"), Order::Asc);
    sql::fetch_all(c, &q)
        .await?
        .iter()
        .map(assignment_from_row)
        .collect()
}

/// The caller's task `id` while it is still to be done in a round under review; otherwise a
/// conflict `code` saying why not.
async fn pending_task<C: ConnectionTrait>(
    c: &C,
    scope: &DataScope,
    id: i64,
    code: &str,
    msg: &str,
) -> StoreResult<Assignment> {
    let task = assignments_where(c, scope, None, Some(id))
        .await?
        .into_iter()
        .next()
        .ok_or(StoreError::NotFound)?;
    if task.round_status != RoundStatus::Published.as_str()
        || task.status != AssignmentStatus::Assigned.as_str()
    {
        return Err(conflict("status", code, msg));
    }
    Ok(task)
}

/// An expert's answer on one task.
#[derive(Debug, Clone, Deserialize, Serialize, utoipa::ToSchema)]
pub struct ScoreInput {
    pub scores: BTreeMap<String, f64>,
    #[serde(default)]
    pub comment: Option<String>,
}

/// Scores saved before submission (暂存).
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct ScoreDraft {
    pub scores: BTreeMap<String, f64>,
    pub comment: Option<String>,
    pub saved_at: i64,
}

/// What an expert reads for one task: the application under review, its attachments, and
/// until when (the round's due date).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ReviewObject {
    pub application: crate::projects::Application,
    pub attachments: Vec<crate::applicant::Attachment>,
    pub open_until: Option<String>,
    /// The call's extra items, to label the answers.
    pub call_form: Vec<kechuang_domain::project::FormField>,
}

impl Store {
    /// The application a task reviews, read through the assignment: the expert's right to read
    /// it is the assignment (their own, of a published round), not their data scope, and it
    /// ends when the round closes.
    pub async fn review_object(&self, scope: &DataScope, id: i64) -> StoreResult<ReviewObject> {
        let (a, app_id) = self.reviewed_application(scope, id).await?;
        let application = crate::projects::get_app(&self.db, &DataScope::All, app_id).await?;
        let mut q = crate::projects::call_select();
        q.and_where(Expr::col("id").eq(application.call_id));
        let call_form = match sql::fetch_one(&self.db, &q).await? {
            Some(r) => crate::projects::call_from_row(&r)?.form,
            None => Vec::new(),
        };
        Ok(ReviewObject {
            attachments: crate::applicant::attachments_of(&self.db, app_id).await?,
            application,
            open_until: a.due_on,
            call_form,
        })
    }

    /// One attachment of the application a task reviews (see [`Store::review_object`]).
    pub async fn review_object_attachment(
        &self,
        scope: &DataScope,
        id: i64,
        attachment_id: i64,
    ) -> StoreResult<(crate::applicant::Attachment, Vec<u8>)> {
        let (_, app_id) = self.reviewed_application(scope, id).await?;
        self.attachment_content(&DataScope::All, app_id, attachment_id)
            .await
    }

    async fn reviewed_application(
        &self,
        scope: &DataScope,
        id: i64,
    ) -> StoreResult<(Assignment, i64)> {
        let a = self.get_assignment(scope, id).await?;
        if a.round_status == RoundStatus::Closed.as_str() {
            return Err(conflict(
                "status",
                "review.object_closed",
                "评审已结束，评审材料不再开放查阅",
            ));
        }
        let app_id = a
            .object_ref
            .as_deref()
            .and_then(|r| r.strip_prefix("application:"))
            .and_then(|n| n.parse::<i64>().ok())
            .ok_or_else(|| {
                conflict(
                    "object_ref",
                    "review.no_object",
                    "该评审对象不是系统中的申报书，没有可查阅的材料",
                )
            })?;
        Ok((a, app_id))
    }

    /// 暂存: keep the scores entered so far (any subset of the criteria, each within its
    /// range) without submitting them. Only the expert's own pending task of a published round.
    pub async fn save_score_draft(
        &self,
        caller: &Caller,
        id: i64,
        input: &ScoreInput,
    ) -> StoreResult<Assignment> {
        if input
            .comment
            .as_deref()
            .is_some_and(|c| c.chars().count() > 2000)
        {
            return Err(Invalid::one("comment", "comment.too_long", "评审意见不超过2000字").into());
        }
        let mut tx = self.write(caller).await?;
        let before = pending_task(
            tx.conn(),
            &caller.scope,
            id,
            "review.not_pending",
            "该评审任务已提交、已回避或评审未在进行中，不能暂存",
        )
        .await?;
        let mut errors = kechuang_domain::error::Collector::default();
        for (key, v) in &input.scores {
            match before.form.iter().find(|c| &c.key == key) {
                None => errors.push(kechuang_domain::FieldError::new(
                    &format!("scores.{key}"),
                    "score.unknown",
                    "评分表中没有该指标",
                )),
                Some(c) if !(v.is_finite() && *v >= 0.0 && *v <= f64::from(c.max)) => {
                    errors.push(kechuang_domain::FieldError::new(
                        &format!("scores.{key}"),
                        "score.range",
                        format!("“{}”的得分应在0至{}之间", c.label, c.max),
                    ));
                }
                Some(_) => {}
            }
        }
        errors.finish()?;
        let after = tx
            .update_as(
                "draft_scores",
                &before,
                vec![
                    ("draft_json", to_json(input)?.into()),
                    ("draft_saved_at", now_ms().into()),
                ],
            )
            .await?;
        tx.commit().await?;
        Ok(after)
    }

    /// Assignments visible in the scope: an officer's round, or an expert's own tasks
    /// (`SelfOnly`; rounds still in preparation are hidden from experts).
    pub async fn list_assignments(
        &self,
        scope: &DataScope,
        round_id: Option<i64>,
    ) -> StoreResult<Vec<Assignment>> {
        let mut all = assignments_where(&self.db, scope, round_id, None).await?;
        if matches!(scope, DataScope::SelfOnly { .. }) {
            all.retain(|a| a.round_status != RoundStatus::Draft.as_str());
        }
        Ok(all)
    }

    pub async fn get_assignment(&self, scope: &DataScope, id: i64) -> StoreResult<Assignment> {
        let a = assignments_where(&self.db, scope, None, Some(id))
            .await?
            .into_iter()
            .next()
            .ok_or(StoreError::NotFound)?;
        if matches!(scope, DataScope::SelfOnly { .. })
            && a.round_status == RoundStatus::Draft.as_str()
        {
            return Err(StoreError::NotFound);
        }
        Ok(a)
    }

    /// Submit (or, while the round is open, revise) the scores of one task.
    pub async fn submit_scores(
        &self,
        caller: &Caller,
        id: i64,
        input: &ScoreInput,
    ) -> StoreResult<Assignment> {
        let comment = input
            .comment
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty());
        if comment.is_some_and(|c| c.chars().count() > 2000) {
            return Err(Invalid::one("comment", "comment.too_long", "评审意见不超过2000字").into());
        }
        let mut tx = self.write(caller).await?;
        let before = assignments_where(tx.conn(), &caller.scope, None, Some(id))
            .await?
            .into_iter()
            .next()
            .ok_or(StoreError::NotFound)?;
        if before.round_status != RoundStatus::Published.as_str() {
            return Err(conflict(
                "status",
                "round.status",
                "评审未开始或已结束，不能提交评分",
            ));
        }
        if before.status == AssignmentStatus::Declined.as_str() {
            return Err(conflict(
                "status",
                "assignment.declined",
                "您已回避或拒绝此项评审",
            ));
        }
        let total = kechuang_domain::review::validate_scores(&before.form, &input.scores)?;
        let after = tx
            .update_as(
                "score",
                &before,
                vec![
                    ("scores_json", to_json(&input.scores)?.into()),
                    ("total", total.into()),
                    ("comment", comment.map(str::to_owned).into()),
                    ("status", AssignmentStatus::Submitted.as_str().into()),
                    ("submitted_at", now_ms().into()),
                    ("draft_json", Option::<String>::None.into()),
                    ("draft_saved_at", Option::<i64>::None.into()),
                ],
            )
            .await?;
        tx.commit().await?;
        Ok(after)
    }

    /// An expert declines a task (拒绝) or declares a conflict of interest (主动回避); the
    /// replacement chosen by the engine (递补: the next best conflict-free expert), if any,
    /// is assigned in the same transaction.
    pub async fn decline_assignment(
        &self,
        caller: &Caller,
        id: i64,
        reason: &str,
        replacement: Option<Pick>,
    ) -> StoreResult<Option<Assignment>> {
        let reason = reason.trim();
        if reason.is_empty() || reason.chars().count() > 200 {
            return Err(Invalid::one(
                "reason",
                "reason.required",
                "请说明拒绝或回避的理由（不超过200字）",
            )
            .into());
        }
        let mut tx = self.write(caller).await?;
        let before = pending_task(
            tx.conn(),
            &caller.scope,
            id,
            "assignment.status",
            "只有评审中的待评审任务可以拒绝或回避",
        )
        .await?;
        tx.update_as(
            "decline",
            &before,
            vec![
                ("status", AssignmentStatus::Declined.as_str().into()),
                ("decline_reason", reason.into()),
            ],
        )
        .await?;
        let round = get_round(tx.conn(), &DataScope::All, before.round_id).await?;
        let new_id = match replacement {
            Some(p) if p.item_id == before.item_id => {
                Some(insert_assignment(&mut tx, &round, p, AssignmentMethod::Replacement).await?)
            }
            Some(_) => return Err(StoreError::corrupt("递补专家与评审对象不符")),
            None => None,
        };
        if let Some(p) = replacement {
            tx.note_parts(
                "replace",
                &round,
                None,
                Some(serde_json::json!({
                    "declined_assignment": id,
                    "item_id": p.item_id,
                    "replacement_expert_id": p.expert_id,
                })),
            );
        }
        let replaced = match new_id {
            Some(n) => assignments_where(tx.conn(), &DataScope::All, None, Some(n))
                .await?
                .into_iter()
                .next(),
            None => None,
        };
        tx.commit().await?;
        Ok(replaced)
    }

    /// 催办: mark every unsubmitted task of a published round whose deadline is before `today`
    /// as reminded; the expert's workspace shows the reminder. Returns how many were reminded.
    pub async fn remind_overdue(
        &self,
        caller: &Caller,
        round_id: i64,
        today: chrono::NaiveDate,
    ) -> StoreResult<u64> {
        let mut tx = self.write(caller).await?;
        let round = get_round(tx.conn(), &caller.scope, round_id).await?;
        require_status(&round, &[RoundStatus::Published], "催办")?;
        let overdue = round
            .due_on
            .as_deref()
            .and_then(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
            .is_some_and(|d| d < today);
        if !overdue {
            return Ok(0);
        }
        let mut up = Query::update();
        up.table("review_assignments")
            .value("reminded_at", now_ms())
            .and_where(Expr::col("round_id").eq(round_id))
            .and_where(Expr::col("status").eq(AssignmentStatus::Assigned.as_str()));
        let n = tx.conn().execute(&up).await?.rows_affected();
        tx.note_parts(
            "remind",
            &round,
            None,
            Some(serde_json::json!({ "reminded": n })),
        );
        tx.commit().await?;
        Ok(n)
    }
}
