//! Review rounds and their items; assignment runs, hand adjustments, publication and closing.

use super::*;

pub(super) const ITEM_COUNT: &str =
    "(SELECT COUNT(*) FROM review_items i WHERE i.round_id = review_rounds.id)";

pub(super) fn round_select() -> SelectStatement {
    let mut q = Query::select();
    q.columns(
        [
            "id",
            "title",
            "object_kind",
            "region_code",
            "region_path",
            "reviewers_per_item",
            "max_load",
            "coauthor_years",
            "exclude_same_county",
            "due_on",
            "form_json",
            "status",
            "assignment_json",
            "published_at",
            "updated_at",
        ]
        .map(|c| ("review_rounds", c)),
    )
    .expr_as(Expr::cust(ITEM_COUNT), "item_count")
    .from("review_rounds");
    q
}

pub(super) fn round_from_row(r: &QueryResult) -> StoreResult<Round> {
    let region_code: String = get(r, "region_code")?;
    let form: String = get(r, "form_json")?;
    let assignment: Option<String> = get(r, "assignment_json")?;
    Ok(Round {
        id: get(r, "id")?,
        title: get(r, "title")?,
        object_kind: get(r, "object_kind")?,
        region_name: region_name(&region_code),
        region_code,
        reviewers_per_item: get(r, "reviewers_per_item")?,
        max_load: get(r, "max_load")?,
        coauthor_years: get(r, "coauthor_years")?,
        exclude_same_county: get(r, "exclude_same_county")?,
        due_on: get(r, "due_on")?,
        form: serde_json::from_str(&form).map_err(StoreError::corrupt)?,
        status: get(r, "status")?,
        assignment: assignment
            .map(|s| serde_json::from_str(&s))
            .transpose()
            .map_err(StoreError::corrupt)?,
        published_at: get(r, "published_at")?,
        item_count: get(r, "item_count")?,
        updated_at: get(r, "updated_at")?,
        region_path: get(r, "region_path")?,
    })
}

pub(super) async fn get_round<C: ConnectionTrait>(
    c: &C,
    scope: &DataScope,
    id: i64,
) -> StoreResult<Round> {
    crate::record::get_in(c, scope, id).await
}

pub(super) fn item_select() -> SelectStatement {
    let mut q = Query::select();
    q.columns(
        [
            "id",
            "round_id",
            "title",
            "object_ref",
            "org_id",
            "applicant_region",
            "disciplines",
            "keywords",
            "team",
            "avoid",
        ]
        .map(|c| ("review_items", c)),
    )
    .expr_as(Expr::col(("organizations", "name")), "org_name")
    .from("review_items")
    .left_join(
        "organizations",
        Expr::col(("organizations", "id")).equals(("review_items", "org_id")),
    );
    q
}

pub(super) fn item_from_row(r: &QueryResult) -> StoreResult<Item> {
    Ok(Item {
        id: get(r, "id")?,
        round_id: get(r, "round_id")?,
        title: get(r, "title")?,
        object_ref: get(r, "object_ref")?,
        org_id: get(r, "org_id")?,
        org_name: get(r, "org_name")?,
        applicant_region: get(r, "applicant_region")?,
        disciplines: json_list(r, "disciplines")?,
        keywords: json_list(r, "keywords")?,
        team: json_list(r, "team")?,
        avoid: json_list(r, "avoid")?,
    })
}

pub(super) async fn items_of<C: ConnectionTrait>(c: &C, round_id: i64) -> StoreResult<Vec<Item>> {
    let mut q = item_select();
    q.and_where(Expr::col(("review_items", "round_id")).eq(round_id))
        .order_by(("review_items", "id"), Order::Asc);
    sql::fetch_all(c, &q)
        .await?
        .iter()
        .map(item_from_row)
        .collect()
}

pub(super) fn require_status(
    round: &Round,
    allowed: &[RoundStatus],
    what: &str,
) -> StoreResult<()> {
    let status = RoundStatus::parse(&round.status).map_err(StoreError::corrupt)?;
    if allowed.contains(&status) {
        Ok(())
    } else {
        Err(conflict(
            "status",
            "round.status",
            format!(
                "评审“{}”当前为“{}”，不能{what}",
                round.title,
                status.label()
            ),
        ))
    }
}

pub(super) fn validate_items(items: &[ItemInput]) -> StoreResult<()> {
    let mut errors = Vec::new();
    for (n, i) in items.iter().enumerate() {
        if let Err(Invalid(es)) = i.validate(n) {
            errors.extend(es);
        }
    }
    if items.is_empty() || items.len() > 5000 {
        errors.push(FieldError::new(
            "items",
            "items.size",
            "每次添加1至5000个评审对象",
        ));
    }
    if !errors.is_empty() {
        return Err(Invalid(errors).into());
    }
    Ok(())
}

pub(super) async fn insert_items(
    tx: &mut crate::audit::WriteTx,
    scope: &DataScope,
    round_id: i64,
    items: &[ItemInput],
) -> StoreResult<Vec<i64>> {
    let mut ids = Vec::with_capacity(items.len());
    for (n, i) in items.iter().enumerate() {
        let applicant_region = match i.org_id {
            Some(org) => Some(
                get_org(tx.conn(), scope, org)
                    .await
                    .map_err(|e| match e {
                        StoreError::NotFound => StoreError::Invalid(Invalid::one(
                            &format!("items[{n}].org_id"),
                            "org_id.unknown",
                            "申报单位不存在或不在您的管辖范围内",
                        )),
                        e => e,
                    })?
                    .region_code,
            ),
            None => None,
        };
        let id = tx.new_id().await?;
        let mut ins = Query::insert();
        ins.into_table("review_items")
            .columns([
                "id",
                "round_id",
                "title",
                "object_ref",
                "org_id",
                "applicant_region",
                "disciplines",
                "keywords",
                "team",
                "avoid",
                "created_at",
            ])
            .values([
                id.into(),
                round_id.into(),
                i.title.trim().into(),
                i.object_ref.clone().into(),
                i.org_id.into(),
                applicant_region.into(),
                to_json(&i.disciplines)?.into(),
                to_json(&i.keywords)?.into(),
                to_json(&i.team)?.into(),
                to_json(&i.avoid)?.into(),
                now_ms().into(),
            ])
            .map_err(StoreError::corrupt)?;
        tx.conn().execute(&ins).await?;
        ids.push(id);
    }
    Ok(ids)
}

impl Store {
    pub async fn create_round(&self, caller: &Caller, r: &NewRound) -> StoreResult<Round> {
        self.create_round_with_items(caller, r, &[]).await
    }

    /// Create a round and its items in one transaction (a round built from a call's
    /// applications, say): both are stored or neither.
    pub async fn create_round_with_items(
        &self,
        caller: &Caller,
        r: &NewRound,
        items: &[ItemInput],
    ) -> StoreResult<Round> {
        let mut tx = self.write(caller).await?;
        let after = Self::create_round_in(&mut tx, r, items).await?;
        tx.commit().await?;
        Ok(after)
    }

    /// [`Store::create_round_with_items`] inside a transaction another module started (a
    /// round built from its own records, whose states change in the same write).
    pub(crate) async fn create_round_in(
        tx: &mut crate::audit::WriteTx,
        r: &NewRound,
        items: &[ItemInput],
    ) -> StoreResult<Round> {
        if !items.is_empty() {
            validate_items(items)?;
        }
        let scope = tx.caller().scope.clone();
        let region = match (r.region, &scope) {
            (Some(code), _) => code,
            (None, DataScope::Region { code, .. }) => {
                kechuang_domain::RegionCode::parse_known(code)?
            }
            (None, _) => {
                return Err(
                    Invalid::one("region", "region.required", "请填写组织评审的地区").into(),
                );
            }
        };
        let path = region_path(region)?;
        if !scope.admits(RecordKeys::region(&path)) {
            return Err(StoreError::Forbidden(
                "组织评审的地区不在您的管辖范围内".into(),
            ));
        }
        let round: Round = tx
            .create(vec![
                ("title", r.title.clone().into()),
                ("object_kind", r.object_kind.as_str().into()),
                ("region_code", region.to_string().into()),
                ("region_path", path.into()),
                ("reviewers_per_item", i64::from(r.reviewers_per_item).into()),
                ("max_load", i64::from(r.max_load).into()),
                ("coauthor_years", i64::from(r.coauthor_years).into()),
                ("exclude_same_county", r.exclude_same_county.into()),
                ("due_on", sql::date_text(r.due_on).into()),
                ("form_json", to_json(&r.form)?.into()),
                ("status", RoundStatus::Draft.as_str().into()),
            ])
            .await?;
        if !items.is_empty() {
            insert_items(tx, &scope, round.id, items).await?;
            tx.note_parts("add_items", &round, None, serde_json::to_value(items).ok());
        }
        get_round(tx.conn(), &DataScope::All, round.id).await
    }

    pub async fn list_rounds(
        &self,
        scope: &DataScope,
        page: PageRequest,
    ) -> StoreResult<Page<Round>> {
        let mut q = round_select();
        q.cond_where(sql::scope_condition(scope, ROUNDS))
            .order_by(("review_rounds", "id"), Order::Desc);
        self.paged(q, page, round_from_row).await
    }

    pub async fn get_round(&self, scope: &DataScope, id: i64) -> StoreResult<Round> {
        get_round(&self.db, scope, id).await
    }

    /// Add objects to a round in preparation. All or nothing.
    pub async fn add_items(
        &self,
        caller: &Caller,
        round_id: i64,
        items: &[ItemInput],
    ) -> StoreResult<Vec<Item>> {
        validate_items(items)?;
        let mut tx = self.write(caller).await?;
        let round = get_round(tx.conn(), &caller.scope, round_id).await?;
        require_status(&round, &[RoundStatus::Draft], "添加评审对象")?;
        let ids = insert_items(&mut tx, &caller.scope, round_id, items).await?;
        tx.note_parts("add_items", &round, None, serde_json::to_value(items).ok());
        let all = items_of(tx.conn(), round_id).await?;
        tx.commit().await?;
        Ok(all.into_iter().filter(|i| ids.contains(&i.id)).collect())
    }

    pub async fn list_items(&self, scope: &DataScope, round_id: i64) -> StoreResult<Vec<Item>> {
        get_round(&self.db, scope, round_id).await?;
        items_of(&self.db, round_id).await
    }

    /// The round, its items, the scope's active expert pool, co-memberships and current
    /// assignments: the assignment engine's input.
    pub async fn review_inputs(
        &self,
        scope: &DataScope,
        round_id: i64,
    ) -> StoreResult<ReviewInputs> {
        let round = get_round(&self.db, scope, round_id).await?;
        let items = items_of(&self.db, round_id).await?;
        let mut q = expert_select();
        q.cond_where(sql::scope_condition(scope, crate::persons::COLS))
            .order_by(("persons", "id"), Order::Asc)
            .limit(200_000);
        let experts = sql::fetch_all(&self.db, &q)
            .await?
            .iter()
            .map(expert_from_row)
            .collect::<StoreResult<Vec<_>>>()?;
        let mut people: Vec<i64> = experts.iter().map(|e| e.id).collect();
        people.extend(items.iter().flat_map(|i| i.team.iter().copied()));
        people.sort_unstable();
        people.dedup();
        let links = links_of(&self.db, &DataScope::All, &people).await?;
        let assignments = assignments_where(&self.db, scope, Some(round_id), None).await?;
        Ok(ReviewInputs {
            round,
            items,
            experts,
            links,
            assignments,
        })
    }

    /// Replace a round's assignment (while in preparation) by the engine's picks. `summary`
    /// records the method, objective, bound and seed for the round page and the audit log.
    pub async fn set_assignments(
        &self,
        caller: &Caller,
        round_id: i64,
        method: AssignmentMethod,
        picks: &[Pick],
        summary: serde_json::Value,
    ) -> StoreResult<Round> {
        let mut tx = self.write(caller).await?;
        let round = get_round(tx.conn(), &caller.scope, round_id).await?;
        require_status(&round, &[RoundStatus::Draft], "重新分配专家")?;
        let before = assignments_where(tx.conn(), &DataScope::All, Some(round_id), None).await?;
        let mut del = Query::delete();
        del.from_table("review_assignments")
            .and_where(Expr::col("round_id").eq(round_id));
        tx.conn().execute(&del).await?;
        for p in picks {
            insert_assignment(&mut tx, &round, *p, method).await?;
        }
        let pairs = |a: &[(i64, i64)]| serde_json::json!(a);
        tx.note_parts(
            "assign",
            &round,
            Some(pairs(
                &before
                    .iter()
                    .map(|a| (a.item_id, a.expert_id))
                    .collect::<Vec<_>>(),
            )),
            Some(serde_json::json!({
                "method": method.as_str(),
                "pairs": picks.iter().map(|p| (p.item_id, p.expert_id)).collect::<Vec<_>>(),
            })),
        );
        let after = tx
            .update_as(
                "assign",
                &round,
                vec![("assignment_json", summary.to_string().into())],
            )
            .await?;
        tx.commit().await?;
        Ok(after)
    }

    /// A hand adjustment (人工调整): add or remove one reviewer of one item, with the reason.
    pub async fn adjust_assignment(
        &self,
        caller: &Caller,
        round_id: i64,
        change: &ManualChange,
        affinity_micro: i64,
    ) -> StoreResult<Vec<Assignment>> {
        let reason = change.reason.trim();
        if reason.is_empty() || reason.chars().count() > 200 {
            return Err(Invalid::one(
                "reason",
                "reason.required",
                "人工调整须填写理由（不超过200字）",
            )
            .into());
        }
        let mut tx = self.write(caller).await?;
        let round = get_round(tx.conn(), &caller.scope, round_id).await?;
        require_status(
            &round,
            &[RoundStatus::Draft, RoundStatus::Published],
            "调整专家",
        )?;
        let items = items_of(tx.conn(), round_id).await?;
        if !items.iter().any(|i| i.id == change.item_id) {
            return Err(StoreError::NotFound);
        }
        let existing = assignments_where(tx.conn(), &DataScope::All, Some(round_id), None).await?;
        let pair = existing
            .iter()
            .find(|a| a.item_id == change.item_id && a.expert_id == change.expert_id);
        if change.remove {
            let a = pair.ok_or(StoreError::NotFound)?;
            if a.status == AssignmentStatus::Submitted.as_str() {
                return Err(conflict(
                    "expert_id",
                    "assignment.submitted",
                    "该专家已提交评分，不能移除",
                ));
            }
            let mut del = Query::delete();
            del.from_table("review_assignments")
                .and_where(Expr::col("id").eq(a.id));
            tx.conn().execute(&del).await?;
        } else {
            if pair.is_some() {
                return Err(conflict(
                    "expert_id",
                    "assignment.duplicate",
                    "该专家已分配到此评审对象",
                ));
            }
            get_expert(tx.conn(), &caller.scope, change.expert_id).await?;
            insert_assignment(
                &mut tx,
                &round,
                Pick {
                    item_id: change.item_id,
                    expert_id: change.expert_id,
                    affinity_micro,
                },
                AssignmentMethod::Manual,
            )
            .await?;
        }
        tx.note_parts(
            if change.remove {
                "unassign"
            } else {
                "assign_manual"
            },
            &round,
            None,
            serde_json::to_value(change).ok(),
        );
        // The solver's certificate (最优 · 上界 · 差距) was about its own assignment; after a
        // hand change it no longer describes the round, and the summary says so.
        if let Some(mut summary) = round.assignment.clone().filter(|s| s.is_object()) {
            let n = summary["manual_changes"].as_i64().unwrap_or(0) + 1;
            summary["manual_changes"] = n.into();
            summary["adjusted"] = true.into();
            let mut up = Query::update();
            up.table("review_rounds")
                .value("assignment_json", summary.to_string())
                .and_where(Expr::col("id").eq(round_id));
            tx.conn().execute(&up).await?;
        }
        let after = assignments_where(tx.conn(), &DataScope::All, Some(round_id), None).await?;
        tx.commit().await?;
        Ok(after)
    }

    /// 发布: experts can see and score their items. Every item must have its full reviewer count.
    pub async fn publish_round(&self, caller: &Caller, round_id: i64) -> StoreResult<Round> {
        self.set_round_status(caller, round_id, RoundStatus::Published)
            .await
    }

    /// 结束评审: no more scores; the ranked list is final.
    pub async fn close_round(&self, caller: &Caller, round_id: i64) -> StoreResult<Round> {
        self.set_round_status(caller, round_id, RoundStatus::Closed)
            .await
    }

    async fn set_round_status(
        &self,
        caller: &Caller,
        round_id: i64,
        to: RoundStatus,
    ) -> StoreResult<Round> {
        let mut tx = self.write(caller).await?;
        let round = get_round(tx.conn(), &caller.scope, round_id).await?;
        let from = match to {
            RoundStatus::Published => RoundStatus::Draft,
            RoundStatus::Closed => RoundStatus::Published,
            RoundStatus::Draft => {
                return Err(conflict("status", "round.status", "不能退回准备状态"));
            }
        };
        require_status(&round, &[from], to.label())?;
        if to == RoundStatus::Published {
            let items = items_of(tx.conn(), round_id).await?;
            if items.is_empty() {
                return Err(conflict("items", "round.empty", "评审中没有评审对象"));
            }
            let active =
                assignments_where(tx.conn(), &DataScope::All, Some(round_id), None).await?;
            let short: Vec<&str> = items
                .iter()
                .filter(|i| {
                    active
                        .iter()
                        .filter(|a| a.item_id == i.id && a.status != "declined")
                        .count()
                        < usize::try_from(round.reviewers_per_item).unwrap_or(usize::MAX)
                })
                .map(|i| i.title.as_str())
                .collect();
            if !short.is_empty() {
                return Err(conflict(
                    "assignments",
                    "round.understaffed",
                    format!(
                        "以下评审对象的专家不足{}名，不能发布：{}",
                        round.reviewers_per_item,
                        short.join("、")
                    ),
                ));
            }
        }
        let mut vals: Values = vec![("status", to.as_str().into())];
        if to == RoundStatus::Published {
            vals.push(("published_at", now_ms().into()));
        }
        let action = if to == RoundStatus::Published {
            "publish"
        } else {
            "close"
        };
        let after = tx.update_as(action, &round, vals).await?;
        tx.commit().await?;
        Ok(after)
    }
}

/// One hand adjustment of a round's assignment.
#[derive(Debug, Clone, Deserialize, Serialize, utoipa::ToSchema)]
pub struct ManualChange {
    pub item_id: i64,
    pub expert_id: i64,
    /// true: remove this reviewer; false: add.
    #[serde(default)]
    pub remove: bool,
    /// 调整理由 (audited)
    pub reason: String,
}

pub(super) async fn insert_assignment(
    tx: &mut crate::audit::WriteTx,
    round: &Round,
    p: Pick,
    method: AssignmentMethod,
) -> StoreResult<i64> {
    let mut q = Query::select();
    q.column("user_id")
        .from("persons")
        .and_where(Expr::col("id").eq(p.expert_id));
    let user: Option<i64> = match sql::fetch_one(tx.conn(), &q).await? {
        Some(r) => get(&r, "user_id")?,
        None => {
            return Err(Invalid::one("expert_id", "expert.unknown", "专家不存在").into());
        }
    };
    let id = tx.new_id().await?;
    let now = now_ms();
    let mut ins = Query::insert();
    ins.into_table("review_assignments")
        .columns([
            "id",
            "round_id",
            "item_id",
            "expert_id",
            "expert_user_id",
            "region_path",
            "affinity",
            "method",
            "status",
            "created_at",
            "updated_at",
        ])
        .values([
            id.into(),
            round.id.into(),
            p.item_id.into(),
            p.expert_id.into(),
            user.into(),
            round.region_path.clone().into(),
            p.affinity_micro.into(),
            method.as_str().into(),
            AssignmentStatus::Assigned.as_str().into(),
            now.into(),
            now.into(),
        ])
        .map_err(StoreError::corrupt)?;
    tx.conn().execute(&ins).await.map_err(|e| {
        if sql::is_unique_violation(&e) {
            conflict(
                "expert_id",
                "assignment.duplicate",
                "该专家已分配到此评审对象",
            )
        } else {
            e.into()
        }
    })?;
    Ok(id)
}
