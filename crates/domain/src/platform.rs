//! 创新平台 (innovation platforms): type × level, on the ladder 企业内部 → 县级 → 市级 → 省级 → 国家级.

use crate::error::{Collector, FieldError, Invalid};
use crate::organization::parse_past_date;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

labeled_enum!(
    /// 平台类型.
    PlatformType, "platform_type", "平台类型", {
        KeyLaboratory => ("key_laboratory", "重点实验室"),
        EngineeringResearchCenter => ("engineering_research_center", "工程技术研究中心"),
        EnterpriseTechCenter => ("enterprise_tech_center", "企业技术中心"),
        NewRdInstitution => ("new_rd_institution", "新型研发机构"),
        PilotBase => ("pilot_base", "中试基地"),
        TechInnovationCenter => ("tech_innovation_center", "技术创新中心"),
        IndustryResearchInstitute => ("industry_research_institute", "产业研究院"),
        Incubator => ("incubator", "科技企业孵化器"),
        MakerSpace => ("maker_space", "众创空间"),
        StarInnovationBase => ("star_innovation_base", "星创天地"),
        UniversitySciencePark => ("university_science_park", "大学科技园"),
        AcademicianWorkstation => ("academician_workstation", "院士工作站"),
        ScholarWorkstation => ("scholar_workstation", "中原学者工作站"),
        CommissionerStation => ("commissioner_station", "科技特派员工作站"),
        IndustryAlliance => ("industry_alliance", "产业技术创新战略联盟"),
        InternationalCooperationBase => ("international_cooperation_base", "国际科技合作基地"),
        PostdoctoralStation => ("postdoctoral_station", "博士后科研工作站"),
        Other => ("other", "其他"),
    }
);

labeled_enum!(
    /// 平台级别, ordered from the bottom of the ladder.
    PlatformLevel, "level", "平台级别", {
        Internal => ("internal", "企业内部"),
        County => ("county", "县级"),
        City => ("city", "市级"),
        Provincial => ("provincial", "省级"),
        National => ("national", "国家级"),
    }
);

impl PlatformLevel {
    /// The next rung up, if any (the upgrade ladder 企业→市级→省级→国家).
    pub fn next(self) -> Option<Self> {
        let i = Self::ALL.iter().position(|l| *l == self)?;
        Self::ALL.get(i + 1).copied()
    }
}

labeled_enum!(
    /// 平台状态.
    PlatformStatus, "status", "平台状态", {
        Active => ("active", "有效"),
        Cultivating => ("cultivating", "培育"),
        Suspended => ("suspended", "整改"),
        Revoked => ("revoked", "撤销"),
    }
);

/// A platform as received on the wire: text, not yet trusted.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
pub struct PlatformInput {
    /// 平台名称
    pub name: String,
    /// 平台类型 (wire value or 中文)
    pub platform_type: String,
    /// 平台级别 (wire value or 中文)
    pub level: String,
    /// 依托单位 id
    pub host_org_id: i64,
    /// 认定日期 YYYY-MM-DD
    #[serde(default)]
    pub recognized_on: Option<String>,
    /// 批准文号
    #[serde(default)]
    pub approval_document: Option<String>,
    /// 状态 (default active)
    #[serde(default)]
    pub status: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct NewPlatform {
    pub name: String,
    pub platform_type: PlatformType,
    pub level: PlatformLevel,
    pub host_org_id: i64,
    pub recognized_on: Option<NaiveDate>,
    pub approval_document: Option<String>,
    pub status: PlatformStatus,
}

impl NewPlatform {
    pub fn parse(i: &PlatformInput, today: NaiveDate) -> Result<Self, Invalid> {
        let mut c = Collector::default();
        let name = i.name.trim().to_owned();
        if name.is_empty() || name.chars().count() > 100 {
            c.push(FieldError::new(
                "name",
                "name.required",
                "平台名称不能为空且不超过100个字",
            ));
        }
        let platform_type = c.take(PlatformType::parse(&i.platform_type));
        let level = c.take(PlatformLevel::parse(&i.level));
        let recognized_on = match i
            .recognized_on
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            Some(s) => c
                .take(parse_past_date("recognized_on", "认定日期", s, today))
                .map(Some),
            None => Some(None),
        };
        let status = match i.status.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            Some(s) => c.take(PlatformStatus::parse(s)),
            None => Some(PlatformStatus::Active),
        };
        if i.approval_document
            .as_ref()
            .is_some_and(|s| s.chars().count() > 100)
        {
            c.push(FieldError::new(
                "approval_document",
                "approval_document.too_long",
                "批准文号不能超过100个字",
            ));
        }
        if i.host_org_id <= 0 {
            c.push(FieldError::new(
                "host_org_id",
                "host_org_id.required",
                "请选择依托单位",
            ));
        }
        match (platform_type, level, recognized_on, status) {
            (Some(platform_type), Some(level), Some(recognized_on), Some(status))
                if c.is_empty() =>
            {
                Ok(Self {
                    name,
                    platform_type,
                    level,
                    host_org_id: i.host_org_id,
                    recognized_on,
                    approval_document: i
                        .approval_document
                        .as_deref()
                        .map(str::trim)
                        .filter(|s| !s.is_empty())
                        .map(str::to_owned),
                    status,
                })
            }
            _ => c.finish().and(Err(Invalid(vec![]))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ladder_and_parsing() {
        assert_eq!(PlatformLevel::City.next(), Some(PlatformLevel::Provincial));
        assert_eq!(PlatformLevel::National.next(), None);
        assert!(PlatformLevel::Provincial > PlatformLevel::City);
        let i = PlatformInput {
            name: "济源市钢铁新材料重点实验室".into(),
            platform_type: "重点实验室".into(),
            level: "市级".into(),
            host_org_id: 7,
            ..Default::default()
        };
        let today = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap_or_default();
        let p = NewPlatform::parse(&i, today);
        assert_eq!(
            p.as_ref()
                .map(|p| (p.platform_type, p.level, p.status))
                .ok(),
            Some((
                PlatformType::KeyLaboratory,
                PlatformLevel::City,
                PlatformStatus::Active
            ))
        );
        let bad = PlatformInput {
            level: "乡级".into(),
            ..i
        };
        assert_eq!(
            NewPlatform::parse(&bad, today)
                .err()
                .map(|e| e.0[0].code.clone())
                .as_deref(),
            Some("level.unknown")
        );
    }
}
