//! The store's side of full-text search: the search document of each searchable record, the
//! records the audit log says changed since a sequence number, and keyset pages of every
//! record for a rebuild. The index follows the audit log because every write is audited: what
//! the log holds up to a sequence number, the index can reflect exactly.

use crate::Store;
use crate::achievements::Achievement;
use crate::error::{StoreError, StoreResult};
use crate::orgs::Organization;
use crate::persons::Person;
use crate::projects::Demand;
use crate::record::Record;
use crate::sql::{self, get};
use kechuang_domain::achievement::Status;
use kechuang_domain::search::{SearchDoc, SearchKind};
use sea_orm::sea_query::{Expr, ExprTrait, Order, Query};
use std::collections::BTreeSet;

pub use kechuang_domain::search::Mark as AuditMark;

fn join(parts: &[&str]) -> String {
    parts
        .iter()
        .map(|s| s.trim())
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join("；")
}

impl From<&Organization> for SearchDoc {
    fn from(o: &Organization) -> Self {
        SearchDoc {
            kind: SearchKind::Organization,
            id: o.id,
            title: o.name.clone(),
            body: join(&[
                &o.kind_label,
                &o.region_name,
                o.legal_representative.as_deref().unwrap_or_default(),
            ]),
            codes: vec![o.credit_code.clone()],
            region_path: Some(o.region_path.clone()),
            org_id: Some(o.id),
            owner_user_id: None,
            public: false,
            facets: vec![
                ("region", o.region_code.clone()),
                // for 对接: 高校院所 as partners of a demand, enterprises of an industry
                (
                    "role",
                    match o.kind.as_str() {
                        "university" | "institute" => "research",
                        k => k,
                    }
                    .to_owned(),
                ),
                (
                    "industry",
                    o.industry
                        .as_deref()
                        .map(|i| i.chars().take(3).collect())
                        .unwrap_or_default(),
                ),
            ],
        }
    }
}

impl From<&Person> for SearchDoc {
    fn from(p: &Person) -> Self {
        SearchDoc {
            kind: SearchKind::Person,
            id: p.id,
            title: p.name.clone(),
            body: join(&[
                p.org_name.as_deref().unwrap_or_default(),
                p.title.as_deref().unwrap_or_default(),
                &p.disciplines.join("、"),
                &p.keywords.join("、"),
                p.talent_programme.as_deref().unwrap_or_default(),
                if p.is_expert { "专家库专家" } else { "" },
            ]),
            codes: vec![],
            region_path: Some(p.region_path.clone()),
            org_id: p.org_id,
            owner_user_id: p.user_id,
            public: false,
            facets: vec![
                ("region", p.region_code.clone()),
                ("role", if p.is_expert { "expert" } else { "" }.to_owned()),
            ],
        }
    }
}

impl From<&Achievement> for SearchDoc {
    fn from(a: &Achievement) -> Self {
        let team: Vec<&str> = a.team.iter().map(|m| m.name.as_str()).collect();
        let mut facets = vec![
            ("area", a.area.clone()),
            ("trl", a.trl.to_string()),
            ("region", a.region_code.clone()),
        ];
        facets.extend(a.modes.iter().map(|m| ("mode", m.clone())));
        SearchDoc {
            kind: SearchKind::Achievement,
            id: a.id,
            title: a.title.clone(),
            body: join(&[
                &a.summary,
                &a.keywords.join("、"),
                &a.owner_name,
                &team.join("、"),
                &a.area_label,
                &a.mode_labels.join("、"),
            ]),
            codes: a.ip.iter().map(|i| i.number.clone()).collect(),
            region_path: Some(a.region_path.clone()),
            org_id: Some(a.owner_org_id),
            owner_user_id: None,
            public: a.status().is_some_and(|s| Status::PUBLIC.contains(&s)),
            facets,
        }
    }
}

impl From<&Demand> for SearchDoc {
    fn from(d: &Demand) -> Self {
        let mut facets = vec![("area", d.area.clone()), ("region", d.region_code.clone())];
        if let Some(t) = d.trl_min {
            facets.push(("trl", t.to_string()));
        }
        SearchDoc {
            kind: SearchKind::Demand,
            id: d.id,
            title: d.title.clone(),
            body: join(&[
                &d.description,
                &d.target,
                &d.keywords.join("、"),
                &d.org_name,
                &d.area_label,
            ]),
            codes: vec![],
            region_path: Some(d.region_path.clone()),
            org_id: Some(d.org_id),
            owner_user_id: None,
            public: matches!(d.status.as_str(), "open" | "matched"),
            facets,
        }
    }
}

/// Records of `R` by id (unscoped: the index is filtered per query), or the page after
/// `after` in id order.
async fn records<R: Record>(
    store: &Store,
    ids: Option<&[i64]>,
    after: i64,
    limit: u64,
) -> StoreResult<Vec<R>> {
    let t = R::KIND.table();
    let mut q = R::select();
    match ids {
        Some(ids) => {
            q.and_where(Expr::col((t, "id")).is_in(ids.iter().copied()));
        }
        None => {
            q.and_where(Expr::col((t, "id")).gt(after))
                .order_by((t, "id"), Order::Asc)
                .limit(limit);
        }
    }
    sql::fetch_all(&store.db, &q)
        .await?
        .iter()
        .map(R::from_row)
        .collect()
}

async fn docs_of<R: Record>(
    store: &Store,
    ids: Option<&[i64]>,
    after: i64,
    limit: u64,
) -> StoreResult<Vec<SearchDoc>>
where
    for<'a> SearchDoc: From<&'a R>,
{
    Ok(records::<R>(store, ids, after, limit)
        .await?
        .iter()
        .map(SearchDoc::from)
        .collect())
}

/// What changed since a mark: the keys to re-read, and the newest mark.
#[derive(Debug, Clone, Default)]
pub struct SearchChanges {
    pub keys: BTreeSet<(SearchKind, i64)>,
    /// Organizations whose name other documents carry (their achievements, demands, persons).
    pub orgs: BTreeSet<i64>,
    pub entries: usize,
}

impl Store {
    /// The head of the audit chain.
    pub async fn audit_mark(&self) -> StoreResult<AuditMark> {
        self.seal_audit().await?;
        let mut q = Query::select();
        q.columns(["seq", "hash"])
            .from("audit_head")
            .and_where(Expr::col("id").eq(1));
        let row = sql::fetch_one(&self.db, &q)
            .await?
            .ok_or_else(|| StoreError::corrupt("audit_head 缺失"))?;
        Ok(AuditMark {
            seq: get(&row, "seq")?,
            hash: get(&row, "hash")?,
        })
    }

    /// Whether the audit record `seq` carries this hash (an index's mark belongs to this
    /// database and its history was not rewritten).
    pub async fn audit_mark_holds(&self, mark: &AuditMark) -> StoreResult<bool> {
        if mark.seq == 0 {
            return Ok(true);
        }
        let mut q = Query::select();
        q.column("hash")
            .from("audit_log")
            .and_where(Expr::col("seq").eq(mark.seq));
        Ok(match sql::fetch_one(&self.db, &q).await? {
            Some(r) => get::<String>(&r, "hash")? == mark.hash,
            None => false,
        })
    }

    /// The searchable records the audit log shows changed after `after` up to `upto`.
    pub async fn search_changes(&self, after: i64, upto: i64) -> StoreResult<SearchChanges> {
        let entities: Vec<&str> = SearchKind::ALL.iter().map(|k| k.entity()).collect();
        let mut out = SearchChanges::default();
        let mut from = after;
        loop {
            let mut q = Query::select();
            q.columns(["seq", "entity", "entity_id"])
                .from("audit_log")
                .and_where(Expr::col("seq").gt(from))
                .and_where(Expr::col("seq").lte(upto))
                .and_where(Expr::col("entity").is_in(entities.iter().copied()))
                .order_by("seq", Order::Asc)
                .limit(5_000);
            let rows = sql::fetch_all(&self.db, &q).await?;
            if rows.is_empty() {
                break;
            }
            for r in &rows {
                from = get(r, "seq")?;
                let entity: String = get(r, "entity")?;
                let id: String = get(r, "entity_id")?;
                let (Some(kind), Ok(id)) = (SearchKind::of_entity(&entity), id.parse::<i64>())
                else {
                    continue;
                };
                out.entries += 1;
                out.keys.insert((kind, id));
                if kind == SearchKind::Organization {
                    out.orgs.insert(id);
                }
            }
        }
        Ok(out)
    }

    /// The documents of these records and the keys of those that no longer exist; records
    /// of the organizations in `orgs` (which show the organization's name) are added.
    pub async fn search_docs(
        &self,
        changes: &SearchChanges,
    ) -> StoreResult<(Vec<SearchDoc>, Vec<(SearchKind, i64)>)> {
        let mut keys = changes.keys.clone();
        if !changes.orgs.is_empty() {
            let orgs: Vec<i64> = changes.orgs.iter().copied().collect();
            for (table, col, kind) in [
                ("achievements", "owner_org_id", SearchKind::Achievement),
                ("demands", "org_id", SearchKind::Demand),
                ("persons", "org_id", SearchKind::Person),
            ] {
                for chunk in orgs.chunks(500) {
                    let mut q = Query::select();
                    q.column("id")
                        .from(table)
                        .and_where(Expr::col(col).is_in(chunk.iter().copied()));
                    for r in sql::fetch_all(&self.db, &q).await? {
                        keys.insert((kind, get(&r, "id")?));
                    }
                }
            }
        }
        let mut docs = Vec::new();
        for kind in SearchKind::ALL {
            let ids: Vec<i64> = keys
                .iter()
                .filter(|(k, _)| k == kind)
                .map(|(_, id)| *id)
                .collect();
            for chunk in ids.chunks(500) {
                docs.extend(self.search_docs_of(*kind, Some(chunk), 0, 0).await?);
            }
        }
        let found: BTreeSet<(SearchKind, i64)> = docs.iter().map(|d| (d.kind, d.id)).collect();
        let gone = keys.into_iter().filter(|k| !found.contains(k)).collect();
        Ok((docs, gone))
    }

    /// The documents of one kind: these ids, or the `limit` after id `after` (a rebuild's
    /// keyset page).
    pub async fn search_docs_of(
        &self,
        kind: SearchKind,
        ids: Option<&[i64]>,
        after: i64,
        limit: u64,
    ) -> StoreResult<Vec<SearchDoc>> {
        match kind {
            SearchKind::Organization => docs_of::<Organization>(self, ids, after, limit).await,
            SearchKind::Person => docs_of::<Person>(self, ids, after, limit).await,
            SearchKind::Achievement => docs_of::<Achievement>(self, ids, after, limit).await,
            SearchKind::Demand => docs_of::<Demand>(self, ids, after, limit).await,
        }
    }
}
