//! 行政区划 (administrative divisions), GB/T 2260: province → prefecture-level city → county.
//!
//! The full tree ships with the product in `data/regions.csv` (see `data/README.md` for its
//! source) and is compiled into the binary, so lookups never touch the database.

use crate::error::Invalid;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::fmt;
use std::sync::OnceLock;

/// A six-digit GB/T 2260 code (e.g. `419001` 济源市). Only the format is checked here;
/// [`RegionTree::get`] tells whether the code exists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RegionCode(u32);

impl RegionCode {
    pub fn parse(s: &str) -> Result<Self, Invalid> {
        let t = s.trim();
        if t.len() != 6 || !t.bytes().all(|b| b.is_ascii_digit()) || t.starts_with('0') {
            return Err(Invalid::one(
                "region",
                "region.format",
                format!("行政区划代码“{t}”格式错误，应为6位数字（GB/T 2260）"),
            ));
        }
        t.parse::<u32>()
            .map(Self)
            .map_err(|_| Invalid::one("region", "region.format", "行政区划代码格式错误"))
    }

    /// Parse and require that the code exists in the shipped tree.
    pub fn parse_known(s: &str) -> Result<Self, Invalid> {
        let c = Self::parse(s)?;
        if RegionTree::shipped().get(c).is_none() {
            return Err(Invalid::one(
                "region",
                "region.unknown",
                format!("行政区划代码“{c}”不存在"),
            ));
        }
        Ok(c)
    }

    pub fn value(self) -> u32 {
        self.0
    }
}

impl fmt::Display for RegionCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:06}", self.0)
    }
}

impl Serialize for RegionCode {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for RegionCode {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Self::parse(&s).map_err(serde::de::Error::custom)
    }
}

/// 省级 / 地级 / 县级.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RegionLevel {
    Province,
    City,
    County,
}

impl RegionLevel {
    pub fn label(self) -> &'static str {
        match self {
            Self::Province => "省级",
            Self::City => "地级",
            Self::County => "县级",
        }
    }
}

/// One division of the tree.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Region {
    #[schema(value_type = String, example = "419001")]
    pub code: RegionCode,
    pub name: String,
    #[schema(value_type = Option<String>)]
    pub parent: Option<RegionCode>,
    pub level: RegionLevel,
    /// Full name from the province down, e.g. `河南省/省直辖县级行政区划/济源市`.
    pub full_name: String,
}

/// The region tree with lookups by code, parent and subtree.
#[derive(Debug)]
pub struct RegionTree {
    by_code: HashMap<RegionCode, Region>,
    children: HashMap<Option<RegionCode>, Vec<RegionCode>>,
}

static SHIPPED: OnceLock<RegionTree> = OnceLock::new();
const SHIPPED_CSV: &str = include_str!("../../../data/regions.csv");

impl RegionTree {
    /// The tree shipped in `data/regions.csv` (3,348 divisions).
    pub fn shipped() -> &'static RegionTree {
        SHIPPED.get_or_init(|| match Self::from_csv(SHIPPED_CSV) {
            Ok(t) => t,
            // The file is part of the build and tested; an empty tree would reject every code.
            Err(_) => RegionTree {
                by_code: HashMap::new(),
                children: HashMap::new(),
            },
        })
    }

    /// Parse `code,name,parent,level` rows (header first).
    pub fn from_csv(text: &str) -> Result<Self, String> {
        let mut raw = Vec::new();
        for (n, line) in text.lines().enumerate().skip(1) {
            if line.trim().is_empty() {
                continue;
            }
            let cols: Vec<&str> = line.split(',').collect();
            if cols.len() != 4 {
                return Err(format!("line {}: expected 4 columns", n + 1));
            }
            let code = RegionCode::parse(cols[0]).map_err(|e| format!("line {}: {e}", n + 1))?;
            let parent = if cols[2].is_empty() {
                None
            } else {
                Some(RegionCode::parse(cols[2]).map_err(|e| format!("line {}: {e}", n + 1))?)
            };
            let level = match cols[3] {
                "1" => RegionLevel::Province,
                "2" => RegionLevel::City,
                "3" => RegionLevel::County,
                other => return Err(format!("line {}: bad level {other}", n + 1)),
            };
            raw.push((code, cols[1].to_owned(), parent, level));
        }
        let mut by_code = HashMap::with_capacity(raw.len());
        let mut children: HashMap<Option<RegionCode>, Vec<RegionCode>> = HashMap::new();
        for (code, name, parent, level) in &raw {
            by_code.insert(
                *code,
                Region {
                    code: *code,
                    name: name.clone(),
                    parent: *parent,
                    level: *level,
                    full_name: String::new(),
                },
            );
            children.entry(*parent).or_default().push(*code);
        }
        for v in children.values_mut() {
            v.sort();
        }
        let codes: Vec<RegionCode> = by_code.keys().copied().collect();
        for code in codes {
            let mut names = Vec::new();
            let mut cur = Some(code);
            let mut guard = 0;
            while let Some(c) = cur {
                let r = by_code
                    .get(&c)
                    .ok_or_else(|| format!("{code}: parent {c} missing"))?;
                names.push(r.name.clone());
                cur = r.parent;
                guard += 1;
                if guard > 4 {
                    return Err(format!("{code}: parent cycle"));
                }
            }
            names.reverse();
            if let Some(r) = by_code.get_mut(&code) {
                r.full_name = names.join("/");
            }
        }
        Ok(Self { by_code, children })
    }

    pub fn len(&self) -> usize {
        self.by_code.len()
    }

    pub fn is_empty(&self) -> bool {
        self.by_code.is_empty()
    }

    pub fn get(&self, code: RegionCode) -> Option<&Region> {
        self.by_code.get(&code)
    }

    /// Direct children; `None` gives the provinces.
    pub fn children(&self, parent: Option<RegionCode>) -> Vec<&Region> {
        self.children
            .get(&parent)
            .map(|v| v.iter().filter_map(|c| self.by_code.get(c)).collect())
            .unwrap_or_default()
    }

    /// The code and all its descendants, in pre-order.
    pub fn subtree(&self, code: RegionCode) -> Vec<&Region> {
        let mut out = Vec::new();
        let mut stack = vec![code];
        while let Some(c) = stack.pop() {
            if let Some(r) = self.by_code.get(&c) {
                out.push(r);
                if let Some(kids) = self.children.get(&Some(c)) {
                    stack.extend(kids.iter().rev());
                }
            }
        }
        out
    }

    /// Ancestors from the province down to `code` itself.
    pub fn lineage(&self, code: RegionCode) -> Vec<RegionCode> {
        let mut out = Vec::new();
        let mut cur = Some(code);
        while let Some(c) = cur {
            match self.by_code.get(&c) {
                Some(r) => {
                    out.push(c);
                    cur = r.parent;
                }
                None => break,
            }
        }
        out.reverse();
        out
    }

    /// The materialized path used for subtree scoping, e.g. `/410000/419000/419001/`.
    /// A record of region R is inside the subtree of S iff `path(R)` starts with `path(S)`.
    pub fn path(&self, code: RegionCode) -> Option<String> {
        let l = self.lineage(code);
        if l.is_empty() {
            return None;
        }
        let mut s = String::from("/");
        for c in l {
            s.push_str(&c.to_string());
            s.push('/');
        }
        Some(s)
    }

    /// Whether `code` is `ancestor` or below it.
    pub fn contains(&self, ancestor: RegionCode, code: RegionCode) -> bool {
        self.lineage(code).contains(&ancestor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(s: &str) -> RegionCode {
        RegionCode::parse(s).unwrap_or(RegionCode(0))
    }

    #[test]
    fn shipped_tree_is_complete() {
        let t = RegionTree::shipped();
        assert_eq!(t.len(), 3348);
        assert_eq!(t.children(None).len(), 31);
        let jy = t.get(code("419001")).map(|r| r.full_name.clone());
        assert_eq!(jy.as_deref(), Some("河南省/省直辖县级行政区划/济源市"));
        assert_eq!(
            t.path(code("419001")).as_deref(),
            Some("/410000/419000/419001/")
        );
        let henan = t.subtree(code("410000"));
        assert_eq!(henan[0].name, "河南省");
        assert!(henan.iter().any(|r| r.code == code("410883")));
        assert!(!henan.iter().any(|r| r.code == code("420100")));
        assert!(t.contains(code("410800"), code("410883")));
        assert!(!t.contains(code("410800"), code("419001")));
        let counties = t.children(Some(code("410800")));
        assert!(
            counties
                .iter()
                .all(|r| r.level == RegionLevel::County && r.parent == Some(code("410800")))
        );
    }

    #[test]
    fn bad_codes_rejected() {
        assert_eq!(
            RegionCode::parse("41900")
                .err()
                .map(|e| e.0[0].code.clone())
                .as_deref(),
            Some("region.format")
        );
        assert_eq!(
            RegionCode::parse("41900a")
                .err()
                .map(|e| e.0[0].code.clone())
                .as_deref(),
            Some("region.format")
        );
        assert_eq!(
            RegionCode::parse_known("419999")
                .err()
                .map(|e| e.0[0].code.clone())
                .as_deref(),
            Some("region.unknown")
        );
    }
}
