//! 数据权限 (data scope): which records a caller may see and change.
//!
//! Every store call takes a [`DataScope`]; there is no unscoped read or write. A scope is derived
//! once per request from the caller's account, never from request parameters.

use serde::Serialize;

/// The records a caller may reach.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum DataScope {
    /// Everything (the system administrator, and internal jobs such as the demo loader).
    All,
    /// A region subtree: a province, city or county bureau. `path` is the region's
    /// materialized path (`/410000/419000/419001/`).
    Region { code: String, path: String },
    /// One organization and what belongs to it: an enterprise or university account.
    Organization { org_id: i64 },
    /// Only records that belong to this user (an expert's own profile).
    SelfOnly { user_id: i64 },
}

/// The scoping keys of one record: where it is, whose it is, who it belongs to.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RecordKeys<'a> {
    pub region_path: Option<&'a str>,
    pub org_id: Option<i64>,
    pub owner_user_id: Option<i64>,
}

impl<'a> RecordKeys<'a> {
    /// A record placed by its region only (plans, rounds, calls).
    pub fn region(path: &'a str) -> Self {
        Self {
            region_path: Some(path),
            ..Default::default()
        }
    }

    /// A record of an organization, in that organization's region.
    pub fn org(path: &'a str, org_id: impl Into<Option<i64>>) -> Self {
        Self {
            region_path: Some(path),
            org_id: org_id.into(),
            owner_user_id: None,
        }
    }
}

impl DataScope {
    /// Whether a record with these keys lies inside the scope. The store's SQL filter is the
    /// same predicate; a test checks that both agree on every (scope, record) pair.
    pub fn admits(&self, r: RecordKeys<'_>) -> bool {
        match self {
            DataScope::All => true,
            DataScope::Region { path, .. } => {
                r.region_path.is_some_and(|p| p.starts_with(path.as_str()))
            }
            DataScope::Organization { org_id } => r.org_id == Some(*org_id),
            DataScope::SelfOnly { user_id } => r.owner_user_id == Some(*user_id),
        }
    }

    /// Human description for the UI header, e.g. `区域：/410000/419000/419001/`.
    pub fn describe(&self) -> String {
        match self {
            DataScope::All => "全部数据".to_owned(),
            DataScope::Region { code, .. } => format!("行政区划 {code} 及下级"),
            DataScope::Organization { org_id } => format!("本单位（{org_id}）"),
            DataScope::SelfOnly { .. } => "仅本人".to_owned(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subtree_prefix_does_not_leak_to_siblings() {
        let city = DataScope::Region {
            code: "410800".into(),
            path: "/410000/410800/".into(),
        };
        let inside = RecordKeys {
            region_path: Some("/410000/410800/410883/"),
            ..Default::default()
        };
        let sibling = RecordKeys {
            region_path: Some("/410000/419000/419001/"),
            ..Default::default()
        };
        assert!(city.admits(inside));
        assert!(!city.admits(sibling));
        assert!(!city.admits(RecordKeys::default()));
        let org = DataScope::Organization { org_id: 5 };
        assert!(org.admits(RecordKeys {
            org_id: Some(5),
            ..Default::default()
        }));
        assert!(!org.admits(RecordKeys {
            org_id: Some(6),
            region_path: Some("/410000/"),
            owner_user_id: None
        }));
    }
}
