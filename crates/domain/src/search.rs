//! What full-text search indexes and who may find it: one document per searchable record, and
//! the scope terms that make the index answer [`DataScope::admits`] exactly as the store's SQL
//! filter does. The index itself (tantivy) lives in `kechuang-search`; this is plain data.

use crate::scope::{DataScope, RecordKeys};

crate::labeled_enum!(
    /// The kinds of record the search covers.
    SearchKind, "kind", "检索类别", {
        Achievement => ("achievement", "科技成果"),
        Demand => ("demand", "技术需求"),
        Organization => ("organization", "单位"),
        Person => ("person", "人才专家"),
    }
);

impl SearchKind {
    /// The entity name its writes carry in the audit log.
    pub fn entity(self) -> &'static str {
        match self {
            SearchKind::Achievement => "achievement",
            SearchKind::Demand => "demand",
            SearchKind::Organization => "organization",
            SearchKind::Person => "person",
        }
    }

    pub fn of_entity(entity: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|k| k.entity() == entity)
    }

    /// The permission a caller needs to search this kind at all; records are then filtered
    /// by the caller's data scope.
    pub fn permission(self) -> &'static str {
        match self {
            SearchKind::Achievement | SearchKind::Demand => "market:read",
            SearchKind::Organization => "org:read",
            SearchKind::Person => "person:read",
        }
    }
}

/// A point in the audit chain: its sequence number and that record's hash. An index records
/// the mark it reflects; the hash ties it to one database (another database reaches the same
/// sequence numbers with other hashes).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Mark {
    pub seq: i64,
    pub hash: String,
}

/// The facets a document carries and a query can count and filter on.
pub const FACETS: &[&str] = &["kind", "area", "trl", "region", "mode"];

/// One searchable record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchDoc {
    pub kind: SearchKind,
    pub id: i64,
    /// Ranked highest; shown as the hit's title.
    pub title: String,
    /// Everything else worth finding it by (summary, keywords, owner, disciplines …).
    pub body: String,
    /// Exact identifiers (统一社会信用代码), matched whole and case-insensitively.
    pub codes: Vec<String>,
    /// Where it lies and whose it is, as the store scopes it.
    pub region_path: Option<String>,
    pub org_id: Option<i64>,
    pub owner_user_id: Option<i64>,
    /// Visible to every caller who may search its kind (the 成果大厅 and 需求大厅).
    pub public: bool,
    /// `(facet, value)`, facet one of [`FACETS`] except `kind`, which is implied.
    pub facets: Vec<(&'static str, String)>,
}

impl SearchDoc {
    /// The document's unique key in the index.
    pub fn key(&self) -> String {
        doc_key(self.kind, self.id)
    }

    /// The scope terms the document is filed under: `public`, every ancestor path of its
    /// region (`r:/410000/`, `r:/410000/419000/` …), `o:{org}` and `u:{user}`.
    pub fn scope_terms(&self) -> Vec<String> {
        let mut out = Vec::new();
        if self.public {
            out.push("public".to_owned());
        }
        if let Some(p) = &self.region_path {
            let mut end = 0;
            for (i, ch) in p.char_indices() {
                if ch == '/' && i > 0 {
                    end = i + 1;
                    out.push(format!("r:{}", &p[..end]));
                }
            }
            if end < p.len() {
                out.push(format!("r:{p}"));
            }
        }
        if let Some(o) = self.org_id {
            out.push(format!("o:{o}"));
        }
        if let Some(u) = self.owner_user_id {
            out.push(format!("u:{u}"));
        }
        out
    }

    pub fn keys(&self) -> RecordKeys<'_> {
        RecordKeys {
            region_path: self.region_path.as_deref(),
            org_id: self.org_id,
            owner_user_id: self.owner_user_id,
        }
    }
}

pub fn doc_key(kind: SearchKind, id: i64) -> String {
    format!("{}:{id}", kind.as_str())
}

/// The scope terms of which a document needs one to be visible to a caller with this scope;
/// `None` when the scope admits everything.
pub fn caller_terms(scope: &DataScope) -> Option<Vec<String>> {
    let own = match scope {
        DataScope::All => return None,
        DataScope::Region { path, .. } => format!("r:{path}"),
        DataScope::Organization { org_id } => format!("o:{org_id}"),
        DataScope::SelfOnly { user_id } => format!("u:{user_id}"),
    };
    Some(vec!["public".to_owned(), own])
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn doc(path: Option<&str>, org: Option<i64>, user: Option<i64>, public: bool) -> SearchDoc {
        SearchDoc {
            kind: SearchKind::Organization,
            id: 1,
            title: String::new(),
            body: String::new(),
            codes: vec![],
            region_path: path.map(str::to_owned),
            org_id: org,
            owner_user_id: user,
            public,
            facets: vec![],
        }
    }

    fn visible(scope: &DataScope, d: &SearchDoc) -> bool {
        match caller_terms(scope) {
            None => true,
            Some(t) => d.scope_terms().iter().any(|s| t.contains(s)),
        }
    }

    /// The index's rule is the store's rule: for every scope and every non-public record,
    /// visible by terms ⇔ `DataScope::admits`; a public record is visible to every scope.
    #[test]
    fn scope_terms_agree_with_admits() {
        let paths = [
            None,
            Some("/410000/"),
            Some("/410000/419000/"),
            Some("/410000/419000/419001/"),
            Some("/410000/410800/410883/"),
            Some("/410000/4100001/"),
        ];
        let scopes = {
            let mut v = vec![DataScope::All];
            for p in paths.iter().flatten() {
                v.push(DataScope::Region {
                    code: String::new(),
                    path: (*p).to_owned(),
                });
            }
            v.extend([
                DataScope::Organization { org_id: 7 },
                DataScope::Organization { org_id: 8 },
                DataScope::SelfOnly { user_id: 3 },
            ]);
            v
        };
        let mut checked = 0;
        for p in paths {
            for org in [None, Some(7), Some(9)] {
                for user in [None, Some(3), Some(4)] {
                    for s in &scopes {
                        let d = doc(p, org, user, false);
                        assert_eq!(
                            visible(s, &d),
                            s.admits(d.keys()),
                            "{s:?} {p:?} {org:?} {user:?}"
                        );
                        assert!(visible(s, &doc(p, org, user, true)));
                        checked += 1;
                    }
                }
            }
        }
        assert_eq!(checked, 6 * 3 * 3 * scopes.len());
    }

    #[test]
    fn sibling_prefix_is_not_an_ancestor() {
        let d = doc(Some("/410000/4100001/"), None, None, false);
        assert!(!d.scope_terms().contains(&"r:/410000/410000/".to_owned()));
        assert!(d.scope_terms().contains(&"r:/410000/".to_owned()));
    }
}
