//! 科研诚信: integrity sanctions and the check of those in force.

use super::*;

impl Store {
    /// Record an integrity sanction (officers, within their region).
    pub async fn create_sanction(&self, caller: &Caller, s: &Sanction) -> StoreResult<Sanction> {
        let mut c = kechuang_domain::error::Collector::default();
        if s.person_id.is_some() == s.org_id.is_some() {
            c.push(FieldError::new(
                "person_id",
                "subject.required",
                "请指定被处理的人员或单位（二选一）",
            ));
        }
        if s.measure.trim().is_empty() || s.source_document.trim().is_empty() {
            c.push(FieldError::new(
                "measure",
                "measure.required",
                "请填写处理措施和处理决定文号",
            ));
        }
        let d = |v: &str| chrono::NaiveDate::parse_from_str(v.trim(), "%Y-%m-%d").ok();
        match (d(&s.starts_on), d(&s.ends_on)) {
            (Some(a), Some(b)) if a <= b => {}
            _ => c.push(FieldError::new(
                "ends_on",
                "period.invalid",
                "处理期限应为 YYYY-MM-DD，且结束不早于开始",
            )),
        }
        c.finish()?;
        let mut tx = self.write(caller).await?;
        let path = match (s.person_id, s.org_id) {
            (Some(p), _) => {
                let mut q = Query::select();
                q.column("region_path")
                    .from("persons")
                    .cond_where(sql::scope_condition(&caller.scope, crate::persons::COLS))
                    .and_where(Expr::col("id").eq(p));
                get::<String>(
                    &sql::fetch_one(tx.conn(), &q)
                        .await?
                        .ok_or(StoreError::NotFound)?,
                    "region_path",
                )?
            }
            (None, Some(o)) => get_org(tx.conn(), &caller.scope, o).await?.region_path,
            (None, None) => return Err(StoreError::NotFound),
        };
        let after = tx
            .create(vec![
                ("person_id", s.person_id.into()),
                ("org_id", s.org_id.into()),
                ("region_path", path.into()),
                ("measure", s.measure.trim().into()),
                ("starts_on", s.starts_on.trim().into()),
                ("ends_on", s.ends_on.trim().into()),
                ("source_document", s.source_document.trim().into()),
            ])
            .await?;
        tx.commit().await?;
        Ok(after)
    }

    /// One page of the sanctions in scope, newest first.
    pub async fn list_sanctions(
        &self,
        scope: &DataScope,
        page: crate::PageRequest,
    ) -> StoreResult<crate::Page<Sanction>> {
        let mut q = <Sanction as Record>::select();
        q.cond_where(sql::scope_condition(scope, SANCTIONS))
            .order_by("id", Order::Desc);
        self.paged(q, page, sanction_from_row).await
    }
}

pub(super) fn sanction_from_row(r: &QueryResult) -> StoreResult<Sanction> {
    Ok(Sanction {
        id: get(r, "id")?,
        person_id: get(r, "person_id")?,
        org_id: get(r, "org_id")?,
        measure: get(r, "measure")?,
        starts_on: get(r, "starts_on")?,
        ends_on: get(r, "ends_on")?,
        source_document: get(r, "source_document")?,
        region_path: get(r, "region_path")?,
    })
}

/// Sanctions in force today on the applicant organization, the leader or a team member, with
/// who they name.
pub(super) async fn active_sanctions<C: ConnectionTrait>(
    c: &C,
    app: &Application,
    today: &str,
) -> StoreResult<Vec<(String, Sanction)>> {
    let people: Vec<i64> = std::iter::once(app.leader_id)
        .chain(app.team.iter().copied())
        .collect();
    let mut q = <Sanction as Record>::select();
    q.cond_where(
        sea_orm::sea_query::Cond::any()
            .add(Expr::col("org_id").eq(app.org_id))
            .add(Expr::col("person_id").is_in(people)),
    )
    .and_where(Expr::col("starts_on").lte(today))
    .and_where(Expr::col("ends_on").gte(today));
    let mut out = Vec::new();
    for r in sql::fetch_all(c, &q).await? {
        let s = sanction_from_row(&r)?;
        let who = match s.person_id {
            Some(p) if p == app.leader_id => format!("项目负责人{}", app.leader_name),
            Some(_) => "项目组成员".to_owned(),
            None => format!("申报单位{}", app.org_name),
        };
        out.push((who, s));
    }
    Ok(out)
}
