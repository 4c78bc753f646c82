//! The expert pool: profiles, co-memberships for 回避, and the pool import.

use super::*;

pub(super) const OPEN_LOAD: &str = "(SELECT COUNT(*) FROM review_assignments a JOIN review_rounds r ON r.id = a.round_id WHERE a.expert_id = persons.id AND a.status <> 'declined' AND r.status <> 'closed')";

pub(super) fn expert_select() -> SelectStatement {
    let mut q = Query::select();
    q.columns(
        [
            "id",
            "name",
            "org_id",
            "region_code",
            "title",
            "disciplines",
            "keywords",
            "user_id",
        ]
        .map(|c| ("persons", c)),
    )
    .columns(
        ["max_load", "available_from", "available_to", "active"].map(|c| ("expert_profiles", c)),
    )
    .expr_as(Expr::col(("organizations", "name")), "org_name")
    .expr_as(Expr::cust(OPEN_LOAD), "open_load")
    .from("persons")
    .left_join(
        "organizations",
        Expr::col(("organizations", "id")).equals(("persons", "org_id")),
    )
    .left_join(
        "expert_profiles",
        Expr::col(("expert_profiles", "person_id")).equals(("persons", "id")),
    )
    .and_where(Expr::col(("persons", "is_expert")).eq(true));
    q
}

pub(super) fn expert_from_row(r: &QueryResult) -> StoreResult<Expert> {
    let region_code: String = get(r, "region_code")?;
    Ok(Expert {
        id: get(r, "id")?,
        name: get(r, "name")?,
        org_id: get(r, "org_id")?,
        org_name: get(r, "org_name")?,
        region_name: region_name(&region_code),
        region_code,
        title: get(r, "title")?,
        disciplines: json_list(r, "disciplines")?,
        keywords: json_list(r, "keywords")?,
        user_id: get(r, "user_id")?,
        max_load: get::<Option<i64>>(r, "max_load")?.unwrap_or(DEFAULT_MAX_LOAD),
        available_from: get(r, "available_from")?,
        available_to: get(r, "available_to")?,
        active: get::<Option<bool>>(r, "active")?.unwrap_or(true),
        open_load: get(r, "open_load")?,
    })
}

/// Filters of the expert pool list.
#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
pub struct ExpertFilter {
    /// Name, discipline or keyword contains.
    pub q: Option<String>,
    pub active: Option<bool>,
}

impl Store {
    /// The expert pool (专家库) within the scope.
    pub async fn list_experts(
        &self,
        scope: &DataScope,
        f: &ExpertFilter,
        page: PageRequest,
    ) -> StoreResult<Page<Expert>> {
        let mut q = expert_select();
        q.cond_where(sql::scope_condition(scope, crate::persons::COLS));
        if let Some(t) = f.q.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            q.cond_where(
                Cond::any()
                    .add(Expr::col(("persons", "name")).like(contains(t)))
                    .add(Expr::col(("persons", "keywords")).like(contains(t)))
                    .add(Expr::col(("persons", "disciplines")).like(contains(t))),
            );
        }
        if let Some(a) = f.active {
            let c = Expr::col(("expert_profiles", "active"));
            q.cond_where(if a {
                Cond::any().add(c.clone().is_null()).add(c.eq(true))
            } else {
                Cond::all().add(c.eq(false))
            });
        }
        q.order_by(("persons", "name"), Order::Asc)
            .order_by(("persons", "id"), Order::Asc);
        self.paged(q, page, expert_from_row).await
    }

    /// Set an expert's pool fields (load limit, availability, active).
    pub async fn set_expert_profile(
        &self,
        caller: &Caller,
        person_id: i64,
        p: &ExpertProfileInput,
    ) -> StoreResult<Expert> {
        let mut c = kechuang_domain::error::Collector::default();
        if !(1..=500).contains(&p.max_load) {
            c.push(FieldError::new(
                "max_load",
                "max_load.range",
                "评审数量上限应在1至500之间",
            ));
        }
        let mut dates = Vec::new();
        for (field, v) in [
            ("available_from", &p.available_from),
            ("available_to", &p.available_to),
        ] {
            let v = v.as_deref().map(str::trim).filter(|s| !s.is_empty());
            match v.map(|s| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d")) {
                Some(Err(_)) => c.push(FieldError::new(
                    field,
                    &format!("{field}.format"),
                    "日期格式应为 YYYY-MM-DD",
                )),
                Some(Ok(d)) => dates.push(Some(d)),
                None => dates.push(None),
            }
        }
        if let [Some(a), Some(b)] = dates[..]
            && a > b
        {
            c.push(FieldError::new(
                "available_to",
                "available_to.before_from",
                "可参评截止日期不能早于开始日期",
            ));
        }
        c.finish()?;
        let mut tx = self.write(caller).await?;
        let before = get_expert(tx.conn(), &caller.scope, person_id).await?;
        let mut del = Query::delete();
        del.from_table("expert_profiles")
            .and_where(Expr::col("person_id").eq(person_id));
        tx.conn().execute(&del).await?;
        let d = |i: usize| dates.get(i).copied().flatten().map(|d| d.to_string());
        let mut ins = Query::insert();
        ins.into_table("expert_profiles")
            .columns([
                "person_id",
                "max_load",
                "available_from",
                "available_to",
                "active",
                "updated_at",
                "updated_by",
            ])
            .values([
                person_id.into(),
                p.max_load.into(),
                d(0).into(),
                d(1).into(),
                p.active.into(),
                now_ms().into(),
                caller.user_id.into(),
            ])
            .map_err(StoreError::corrupt)?;
        tx.conn().execute(&ins).await?;
        let after = get_expert(tx.conn(), &DataScope::All, person_id).await?;
        tx.record(Change {
            action: "update",
            entity: "expert_profile",
            entity_id: person_id.to_string(),
            region_path: Some(region_path_of_person(tx.conn(), person_id).await?),
            org_id: before.org_id,
            before: serde_json::to_value(&before).ok(),
            after: serde_json::to_value(&after).ok(),
        });
        tx.commit().await?;
        Ok(after)
    }

    /// Record a co-membership (shared project or paper) of a person, for 回避.
    pub async fn add_person_link(&self, caller: &Caller, link: &PersonLink) -> StoreResult<()> {
        let kind = LinkKind::parse(&link.kind)?;
        let reference = link.reference.trim();
        if reference.is_empty() || reference.chars().count() > 200 {
            return Err(Invalid::one(
                "ref",
                "ref.required",
                "项目编号或论文不能为空且不超过200个字",
            )
            .into());
        }
        if !(1950..=2100).contains(&link.year) {
            return Err(Invalid::one("year", "year.range", "年份应在1950至2100之间").into());
        }
        let mut tx = self.write(caller).await?;
        let path = region_path_in_scope(tx.conn(), &caller.scope, link.person_id).await?;
        let id = tx.new_id().await?;
        let mut ins = Query::insert();
        ins.into_table("person_links")
            .columns([
                "id",
                "person_id",
                "kind",
                "ref",
                "year",
                "created_at",
                "created_by",
            ])
            .values([
                id.into(),
                link.person_id.into(),
                kind.as_str().into(),
                reference.into(),
                i64::from(link.year).into(),
                now_ms().into(),
                caller.user_id.into(),
            ])
            .map_err(StoreError::corrupt)?;
        tx.conn().execute(&ins).await?;
        tx.record(Change {
            action: "create",
            entity: "person_link",
            entity_id: id.to_string(),
            region_path: Some(path),
            org_id: None,
            before: None,
            after: serde_json::to_value(link).ok(),
        });
        tx.commit().await
    }

    /// Co-memberships of persons in the scope.
    pub async fn list_person_links(
        &self,
        scope: &DataScope,
        person_ids: &[i64],
    ) -> StoreResult<Vec<PersonLink>> {
        links_of(&self.db, scope, person_ids).await
    }
}

pub(super) async fn links_of<C: ConnectionTrait>(
    c: &C,
    scope: &DataScope,
    person_ids: &[i64],
) -> StoreResult<Vec<PersonLink>> {
    let mut out = Vec::new();
    for chunk in person_ids.chunks(500) {
        let mut q = Query::select();
        q.columns(["person_id", "kind", "ref", "year"].map(|c| ("person_links", c)))
            .from("person_links")
            .inner_join(
                "persons",
                Expr::col(("persons", "id")).equals(("person_links", "person_id")),
            )
            .cond_where(sql::scope_condition(scope, crate::persons::COLS))
            .and_where(Expr::col(("person_links", "person_id")).is_in(chunk.iter().copied()))
            .order_by(("person_links", "id"), Order::Asc);
        for r in sql::fetch_all(c, &q).await? {
            out.push(PersonLink {
                person_id: get(&r, "person_id")?,
                kind: get(&r, "kind")?,
                reference: get(&r, "ref")?,
                year: i32::try_from(get::<i64>(&r, "year")?).map_err(StoreError::corrupt)?,
            });
        }
    }
    Ok(out)
}

pub(super) async fn get_expert<C: ConnectionTrait>(
    c: &C,
    scope: &DataScope,
    person_id: i64,
) -> StoreResult<Expert> {
    let mut q = expert_select();
    q.cond_where(sql::scope_condition(scope, crate::persons::COLS))
        .and_where(Expr::col(("persons", "id")).eq(person_id));
    let r = sql::fetch_one(c, &q).await?.ok_or(StoreError::NotFound)?;
    expert_from_row(&r)
}

pub(super) async fn region_path_in_scope<C: ConnectionTrait>(
    c: &C,
    scope: &DataScope,
    person_id: i64,
) -> StoreResult<String> {
    let mut q = Query::select();
    q.column("region_path")
        .from("persons")
        .cond_where(sql::scope_condition(scope, crate::persons::COLS))
        .and_where(Expr::col("id").eq(person_id));
    let r = sql::fetch_one(c, &q).await?.ok_or(StoreError::NotFound)?;
    get(&r, "region_path")
}

pub(super) async fn region_path_of_person<C: ConnectionTrait>(
    c: &C,
    person_id: i64,
) -> StoreResult<String> {
    region_path_in_scope(c, &DataScope::All, person_id).await
}

/// One row of an expert-pool import (专家库导入), validated by the caller.
#[derive(Debug, Clone)]
pub struct ExpertImportRow {
    pub person: kechuang_domain::person::NewPerson,
    pub max_load: i64,
    pub available_from: Option<String>,
    pub available_to: Option<String>,
    /// Co-memberships: (kind `project`|`paper`, reference, year).
    pub links: Vec<(LinkKind, String, i32)>,
}

impl Store {
    /// Import experts with their pool fields and co-memberships: one transaction, all or
    /// nothing, one audit record. Every row must lie in the caller's scope.
    pub async fn import_experts(
        &self,
        caller: &Caller,
        rows: &[ExpertImportRow],
        dry_run: bool,
    ) -> StoreResult<u64> {
        let mut tx = self.write(caller).await?;
        let now = now_ms();
        for (n, r) in rows.iter().enumerate() {
            let p = &r.person;
            let (region_code, path) = match (p.org_id, p.region) {
                (_, Some(code)) => (code.to_string(), region_path(code)?),
                (Some(org), None) => {
                    let o = get_org(tx.conn(), &caller.scope, org).await?;
                    (o.region_code, o.region_path)
                }
                (None, None) => {
                    return Err(Invalid::one(
                        &format!("rows[{n}].region"),
                        "region.required",
                        "无所在单位时必须填写行政区划",
                    )
                    .into());
                }
            };
            if !caller.scope.admits(RecordKeys::org(&path, p.org_id)) {
                return Err(StoreError::Forbidden(format!(
                    "第{}行专家“{}”不在您的管辖范围内",
                    n + 2,
                    p.name
                )));
            }
            let id = tx.new_id().await?;
            tx.create_with_id::<crate::persons::Person>(
                id,
                vec![
                    ("name", p.name.clone().into()),
                    ("org_id", p.org_id.into()),
                    ("region_code", region_code.into()),
                    ("region_path", path.into()),
                    ("title", p.title.clone().into()),
                    (
                        "title_level",
                        p.title_level.map(|t| t.as_str().to_owned()).into(),
                    ),
                    ("disciplines", to_json(&p.disciplines)?.into()),
                    ("keywords", to_json(&p.keywords)?.into()),
                    ("is_expert", true.into()),
                ],
                "import",
            )
            .await?;
            let mut ins = Query::insert();
            ins.into_table("expert_profiles")
                .columns([
                    "person_id",
                    "max_load",
                    "available_from",
                    "available_to",
                    "active",
                    "updated_at",
                    "updated_by",
                ])
                .values([
                    id.into(),
                    r.max_load.into(),
                    r.available_from.clone().into(),
                    r.available_to.clone().into(),
                    true.into(),
                    now.into(),
                    caller.user_id.into(),
                ])
                .map_err(StoreError::corrupt)?;
            tx.conn().execute(&ins).await?;
            for (kind, reference, year) in &r.links {
                let lid = tx.new_id().await?;
                let mut ins = Query::insert();
                ins.into_table("person_links")
                    .columns([
                        "id",
                        "person_id",
                        "kind",
                        "ref",
                        "year",
                        "created_at",
                        "created_by",
                    ])
                    .values([
                        lid.into(),
                        id.into(),
                        kind.as_str().into(),
                        reference.clone().into(),
                        i64::from(*year).into(),
                        now.into(),
                        caller.user_id.into(),
                    ])
                    .map_err(StoreError::corrupt)?;
                tx.conn().execute(&ins).await?;
            }
        }
        if dry_run {
            // Dropping the transaction rolls everything back.
            return Ok(rows.len() as u64);
        }
        tx.commit().await?;
        Ok(rows.len() as u64)
    }
}
