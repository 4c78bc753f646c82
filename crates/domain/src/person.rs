//! 人才 / 专家 (talents and experts). The identity number is never stored: only its keyed hash.

use crate::error::{Collector, FieldError, Invalid};
use crate::id_number::IdNumber;
use crate::region::RegionCode;
use serde::{Deserialize, Serialize};

labeled_enum!(
    /// 职称级别.
    TitleLevel, "title_level", "职称级别", {
        Senior => ("senior", "正高级"),
        AssociateSenior => ("associate_senior", "副高级"),
        Intermediate => ("intermediate", "中级"),
        Junior => ("junior", "初级"),
        None => ("none", "无"),
    }
);

impl TitleLevel {
    /// Higher is more senior (正高级 4 … 无 0).
    pub fn rank(self) -> u8 {
        match self {
            TitleLevel::Senior => 4,
            TitleLevel::AssociateSenior => 3,
            TitleLevel::Intermediate => 2,
            TitleLevel::Junior => 1,
            TitleLevel::None => 0,
        }
    }
}

/// A person as received on the wire.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
pub struct PersonInput {
    /// 姓名
    pub name: String,
    /// 所在单位 id
    #[serde(default)]
    pub org_id: Option<i64>,
    /// 所在行政区划代码; defaults to the organization's region.
    #[serde(default)]
    pub region: Option<String>,
    /// 职称, e.g. 教授级高级工程师
    #[serde(default)]
    pub title: Option<String>,
    /// 职称级别
    #[serde(default)]
    pub title_level: Option<String>,
    /// 学科领域
    #[serde(default)]
    pub disciplines: Vec<String>,
    /// 研究方向关键词
    #[serde(default)]
    pub keywords: Vec<String>,
    /// 是否入选专家库
    #[serde(default)]
    pub is_expert: bool,
    /// 人才计划 (e.g. 中原英才计划)
    #[serde(default)]
    pub talent_programme: Option<String>,
    /// 身份证号: hashed on arrival, never stored or returned.
    #[serde(default)]
    pub id_number: Option<String>,
}

#[derive(Debug, Clone)]
pub struct NewPerson {
    pub name: String,
    pub org_id: Option<i64>,
    pub region: Option<RegionCode>,
    pub title: Option<String>,
    pub title_level: Option<TitleLevel>,
    pub disciplines: Vec<String>,
    pub keywords: Vec<String>,
    pub is_expert: bool,
    pub talent_programme: Option<String>,
    pub id_number: Option<IdNumber>,
}

fn clean_list(field: &str, label: &str, v: &[String], c: &mut Collector) -> Vec<String> {
    let mut out: Vec<String> = v
        .iter()
        .map(|s| s.trim().to_owned())
        .filter(|s| !s.is_empty())
        .collect();
    out.dedup();
    if out.len() > 20 || out.iter().any(|s| s.chars().count() > 30) {
        c.push(FieldError::new(
            field,
            &format!("{field}.too_long"),
            format!("{label}最多20项，每项不超过30个字"),
        ));
    }
    out
}

impl NewPerson {
    pub fn parse(i: &PersonInput) -> Result<Self, Invalid> {
        let mut c = Collector::default();
        let name = i.name.trim().to_owned();
        if name.is_empty() || name.chars().count() > 50 {
            c.push(FieldError::new(
                "name",
                "name.required",
                "姓名不能为空且不超过50个字",
            ));
        }
        if let Some(e) = crate::text::check_name("name", "姓名", &name) {
            c.push(e);
        }
        let region = match i.region.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            Some(s) => c.take(RegionCode::parse_known(s)).map(Some),
            None => Some(None),
        };
        let title_level = match i
            .title_level
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            Some(s) => c.take(TitleLevel::parse(s)).map(Some),
            None => Some(None),
        };
        let id_number = match i
            .id_number
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            Some(s) => c.take(IdNumber::parse(s)).map(Some),
            None => Some(None),
        };
        if i.org_id.is_none() && region.as_ref().is_some_and(Option::is_none) {
            c.push(FieldError::new(
                "region",
                "region.required",
                "无所在单位时必须填写所在行政区划",
            ));
        }
        for (field, label, v) in [
            ("title", "职称", &i.title),
            ("talent_programme", "人才计划", &i.talent_programme),
        ] {
            if v.as_ref().is_some_and(|s| s.chars().count() > 100) {
                c.push(FieldError::new(
                    field,
                    &format!("{field}.too_long"),
                    format!("{label}不能超过100个字"),
                ));
            }
        }
        let disciplines = clean_list("disciplines", "学科领域", &i.disciplines, &mut c);
        let keywords = clean_list("keywords", "关键词", &i.keywords, &mut c);
        let opt = |s: &Option<String>| {
            s.as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
        };
        match (region, title_level, id_number) {
            (Some(region), Some(title_level), Some(id_number)) if c.is_empty() => Ok(Self {
                name,
                org_id: i.org_id,
                region,
                title: opt(&i.title),
                title_level,
                disciplines,
                keywords,
                is_expert: i.is_expert,
                talent_programme: opt(&i.talent_programme),
                id_number,
            }),
            _ => c.finish().and(Err(Invalid(vec![]))),
        }
    }
}
