//! 人才 / 专家 registry. Identity numbers arrive hashed with the deployment key; the clear
//! number never reaches this crate's tables.

use crate::error::{StoreError, StoreResult};
use crate::orgs::{get_org, region_path};
use crate::record::{ListFilter, RecordKind, Stamps, Values};
use crate::sql::{self, ScopeColumns, contains, get};
use crate::{Caller, DataScope, Page, PageRequest, SortOrder, Store};
use kechuang_domain::person::{NewPerson, TitleLevel};
use kechuang_domain::scope::RecordKeys;
use kechuang_domain::{FieldError, RegionCode};
use sea_orm::QueryResult;
use sea_orm::sea_query::{Expr, ExprTrait, Order, Query, SelectStatement};
use serde::{Deserialize, Serialize};

const T: &str = "persons";
pub(crate) const COLS: ScopeColumns = ScopeColumns {
    table: T,
    region_path: Some("region_path"),
    org: Some("org_id"),
    owner: Some("user_id"),
};
pub(crate) const KIND: RecordKind = RecordKind::own(COLS, "person", Stamps::ALL);

/// A stored person. The identity hash is never serialized.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Person {
    pub id: i64,
    pub name: String,
    pub org_id: Option<i64>,
    pub org_name: Option<String>,
    pub region_code: String,
    pub region_name: String,
    /// 职称
    pub title: Option<String>,
    pub title_level: Option<String>,
    /// 学科领域
    pub disciplines: Vec<String>,
    /// 关键词
    pub keywords: Vec<String>,
    /// 专家库成员
    pub is_expert: bool,
    /// 人才计划
    pub talent_programme: Option<String>,
    /// Whether an identity number is on file (the number itself is not stored).
    pub has_id_number: bool,
    /// The account linked to this person (for 仅本人 scope).
    pub user_id: Option<i64>,
    #[serde(skip)]
    pub region_path: String,
    pub updated_at: i64,
}

fn select() -> SelectStatement {
    let mut q = Query::select();
    q.columns(
        [
            "id",
            "name",
            "org_id",
            "region_code",
            "region_path",
            "title",
            "title_level",
            "disciplines",
            "keywords",
            "is_expert",
            "talent_programme",
            "id_hash",
            "user_id",
            "updated_at",
        ]
        .map(|c| (T, c)),
    )
    .expr_as(Expr::col(("organizations", "name")), "org_name")
    .from(T)
    .left_join(
        "organizations",
        Expr::col(("organizations", "id")).equals((T, "org_id")),
    );
    q
}

fn list_of(r: &QueryResult, col: &str) -> StoreResult<Vec<String>> {
    let s: String = get(r, col)?;
    serde_json::from_str(&s).map_err(|e| StoreError::corrupt(format!("{col}: {e}")))
}

fn from_row(r: &QueryResult) -> StoreResult<Person> {
    let region_code: String = get(r, "region_code")?;
    Ok(Person {
        id: get(r, "id")?,
        name: get(r, "name")?,
        org_id: get(r, "org_id")?,
        org_name: get(r, "org_name")?,
        region_name: crate::orgs::region_name(&region_code),
        region_code,
        title: get(r, "title")?,
        title_level: get(r, "title_level")?,
        disciplines: list_of(r, "disciplines")?,
        keywords: list_of(r, "keywords")?,
        is_expert: get(r, "is_expert")?,
        talent_programme: get(r, "talent_programme")?,
        has_id_number: get::<Option<String>>(r, "id_hash")?.is_some(),
        user_id: get(r, "user_id")?,
        region_path: get(r, "region_path")?,
        updated_at: get(r, "updated_at")?,
    })
}

/// Filters of the person list.
#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
pub struct PersonFilter {
    /// Name, title or keyword contains.
    pub q: Option<String>,
    /// The ids a full-text search found for `q` (set by the server, never by the caller);
    /// when absent, `q` is a `LIKE` (no index).
    #[serde(skip)]
    #[param(ignore)]
    pub ids: Option<Vec<i64>>,
    pub org_id: Option<i64>,
    pub is_expert: Option<bool>,
    pub region: Option<String>,
    pub title_level: Option<String>,
    /// Sort column: name | updated_at.
    pub sort: Option<String>,
    pub order: Option<SortOrder>,
}

fn apply_filter(q: &mut SelectStatement, f: &PersonFilter) -> StoreResult<()> {
    sql::text_match(q, (T, "id"), f.ids.as_deref(), f.q.as_deref(), |t| {
        sea_orm::sea_query::Cond::any()
            .add(Expr::col((T, "name")).like(contains(t)))
            .add(Expr::col((T, "title")).like(contains(t)))
            .add(Expr::col((T, "keywords")).like(contains(t)))
            .add(Expr::col((T, "disciplines")).like(contains(t)))
    });
    if let Some(id) = f.org_id {
        q.and_where(Expr::col((T, "org_id")).eq(id));
    }
    if let Some(b) = f.is_expert {
        q.and_where(Expr::col((T, "is_expert")).eq(b));
    }
    if let Some(v) = f.title_level.as_deref().filter(|s| !s.is_empty()) {
        q.and_where(Expr::col((T, "title_level")).eq(TitleLevel::parse(v)?.as_str()));
    }
    if let Some(r) = f.region.as_deref().filter(|s| !s.is_empty()) {
        let path = region_path(RegionCode::parse_known(r)?)?;
        q.cond_where(sql::region_match((T, "region_path"), &path));
    }
    let col = match f.sort.as_deref().unwrap_or("updated_at") {
        "name" => "name",
        "updated_at" | "" => "updated_at",
        other => {
            return Err(StoreError::Invalid(kechuang_domain::Invalid::one(
                "sort",
                "sort.unknown",
                format!("不支持按“{other}”排序"),
            )));
        }
    };
    q.order_by((T, col), f.order.unwrap_or(SortOrder::Desc).into())
        .order_by((T, "id"), Order::Asc);
    Ok(())
}

impl Store {
    pub async fn list_persons(
        &self,
        scope: &DataScope,
        f: &PersonFilter,
        page: PageRequest,
    ) -> StoreResult<Page<Person>> {
        self.list_records(scope, f, page).await
    }

    pub async fn export_persons(
        &self,
        scope: &DataScope,
        f: &PersonFilter,
        limit: u64,
    ) -> StoreResult<Vec<Person>> {
        self.export_records(scope, f, limit).await
    }

    pub async fn get_person(&self, scope: &DataScope, id: i64) -> StoreResult<Person> {
        self.get_record(scope, id).await
    }

    /// Create a person. `id_key` is the deployment's secret for hashing identity numbers.
    pub async fn create_person(
        &self,
        caller: &Caller,
        p: &NewPerson,
        id_key: &[u8],
        user_id: Option<i64>,
    ) -> StoreResult<Person> {
        self.save_person(caller, None, p, id_key, user_id).await
    }

    pub async fn update_person(
        &self,
        caller: &Caller,
        id: i64,
        p: &NewPerson,
        id_key: &[u8],
    ) -> StoreResult<Person> {
        self.save_person(caller, Some(id), p, id_key, None).await
    }

    async fn save_person(
        &self,
        caller: &Caller,
        id: Option<i64>,
        p: &NewPerson,
        id_key: &[u8],
        user_id: Option<i64>,
    ) -> StoreResult<Person> {
        let mut tx = self.write(caller).await?;
        let before = match id {
            Some(id) => Some(tx.get::<Person>(id).await?),
            None => None,
        };
        let (region_code, path) = match p.org_id {
            Some(org_id) => {
                let org = get_org(tx.conn(), &caller.scope, org_id)
                    .await
                    .map_err(|e| match e {
                        StoreError::NotFound => StoreError::Invalid(kechuang_domain::Invalid::one(
                            "org_id",
                            "org_id.unknown",
                            "所在单位不存在或不在您的管辖范围内",
                        )),
                        e => e,
                    })?;
                match p.region {
                    Some(r) => (r.to_string(), region_path(r)?),
                    None => (org.region_code, org.region_path),
                }
            }
            None => match p.region {
                Some(r) => (r.to_string(), region_path(r)?),
                None => {
                    return Err(StoreError::Invalid(kechuang_domain::Invalid::one(
                        "region",
                        "region.required",
                        "请填写所在行政区划",
                    )));
                }
            },
        };
        let owner = before.as_ref().and_then(|b| b.user_id).or(user_id);
        if !caller.scope.admits(RecordKeys {
            region_path: Some(&path),
            org_id: p.org_id,
            owner_user_id: owner,
        }) {
            return Err(StoreError::Forbidden(
                "人员所在单位或地区不在您的管辖范围内".into(),
            ));
        }
        let id_hash = p.id_number.as_ref().map(|n| n.keyed_hash(id_key));
        if let Some(h) = &id_hash {
            let mut q = Query::select();
            q.column("id")
                .from(T)
                .and_where(Expr::col("id_hash").eq(h.clone()));
            if let Some(id) = id {
                q.and_where(Expr::col("id").ne(id));
            }
            if sql::fetch_one(tx.conn(), &q).await?.is_some() {
                return Err(StoreError::Conflict(FieldError::new(
                    "id_number",
                    "id_number.duplicate",
                    "该身份证号码对应的人员已登记",
                )));
            }
        }
        let mut vals: Values = vec![
            ("name", p.name.clone().into()),
            ("org_id", p.org_id.into()),
            ("region_code", region_code.into()),
            ("region_path", path.clone().into()),
            ("title", p.title.clone().into()),
            (
                "title_level",
                p.title_level.map(|t| t.as_str().to_owned()).into(),
            ),
            (
                "disciplines",
                serde_json::to_string(&p.disciplines)
                    .unwrap_or_else(|_| "[]".into())
                    .into(),
            ),
            (
                "keywords",
                serde_json::to_string(&p.keywords)
                    .unwrap_or_else(|_| "[]".into())
                    .into(),
            ),
            ("is_expert", p.is_expert.into()),
            ("talent_programme", p.talent_programme.clone().into()),
        ];
        // An update without a new identity number keeps the one on file.
        if id_hash.is_some() || id.is_none() {
            vals.push(("id_hash", id_hash.into()));
        }
        let after = match &before {
            Some(b) => tx.update_as("update", b, vals).await?,
            None => {
                vals.push(("user_id", user_id.into()));
                tx.create(vals).await?
            }
        };
        tx.commit().await?;
        Ok(after)
    }

    /// Delete a person no review task or project names; one still referenced is refused with
    /// what refers to it (their record is history: 回避 and 履约 depend on it).
    pub async fn delete_person(&self, caller: &Caller, id: i64) -> StoreResult<()> {
        let mut tx = self.write(caller).await?;
        let person: Person = tx.get(id).await?;
        let mut uses = Vec::new();
        for (table, col, what) in [
            ("review_assignments", "expert_id", "评审任务"),
            ("applications", "leader_id", "项目（负责人）"),
            ("person_links", "person_id", "合作关系记录"),
            ("expert_profiles", "person_id", "专家库设置"),
            ("sanctions", "person_id", "科研失信处理记录"),
        ] {
            let mut q = Query::select();
            q.expr_as(Expr::col(col).count(), "n")
                .from(table)
                .and_where(Expr::col(col).eq(id));
            let n: i64 = match sql::fetch_one(tx.conn(), &q).await? {
                Some(r) => get(&r, "n")?,
                None => 0,
            };
            if n > 0 {
                uses.push(format!("{n}条{what}"));
            }
        }
        if !uses.is_empty() {
            return Err(StoreError::Conflict(kechuang_domain::FieldError::new(
                "id",
                "person.in_use",
                format!(
                    "“{}”已有{}，不能删除；如不再参与，可在专家库中停用",
                    person.name,
                    uses.join("、")
                ),
            )));
        }
        tx.delete::<Person>(id).await?;
        tx.commit().await
    }
}

crate::record::impl_record!(Person, KIND, select, from_row, |s| RecordKeys {
    region_path: Some(&s.region_path),
    org_id: s.org_id,
    owner_user_id: s.user_id,
});

impl ListFilter for PersonFilter {
    fn apply(&self, q: &mut SelectStatement) -> StoreResult<()> {
        apply_filter(q, self)
    }
}
