//! 单位 (organization): enterprises, universities, institutes, hospitals, service agencies.
//! Identified by the 统一社会信用代码; belongs to one GB/T 2260 region.

use crate::credit_code::CreditCode;
use crate::error::{Collector, Invalid};
use crate::region::RegionCode;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

labeled_enum!(
    /// 单位类型.
    OrgKind, "kind", "单位类型", {
        Enterprise => ("enterprise", "企业"),
        University => ("university", "高等院校"),
        Institute => ("institute", "科研院所"),
        Hospital => ("hospital", "医疗卫生机构"),
        ServiceAgency => ("service_agency", "科技服务机构"),
        Financial => ("financial", "金融机构"),
        Other => ("other", "其他"),
    }
);

labeled_enum!(
    /// 企业规模 (工信部联企业〔2011〕300号 / 国统字〔2017〕213号 大中小微型企业划分).
    SizeClass, "size_class", "企业规模", {
        Large => ("large", "大型"),
        Medium => ("medium", "中型"),
        Small => ("small", "小型"),
        Micro => ("micro", "微型"),
    }
);

/// 国民经济行业分类 (GB/T 4754-2017) code: a section letter A–T, optionally followed by the
/// 2-digit division, 3-digit group or 4-digit class (e.g. `C`, `C39`, `C398`, `C3985`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct IndustryCode(String);

impl IndustryCode {
    pub fn parse(s: &str) -> Result<Self, Invalid> {
        let t = s.trim().to_ascii_uppercase();
        let b = t.as_bytes();
        let ok = !b.is_empty()
            && (b'A'..=b'T').contains(&b[0])
            && matches!(b.len(), 1 | 3 | 4 | 5)
            && b[1..].iter().all(u8::is_ascii_digit);
        if !ok {
            return Err(Invalid::one(
                "industry",
                "industry.format",
                format!(
                    "行业代码“{t}”格式错误，应为门类字母加2至4位数字（GB/T 4754-2017，如 C3985）"
                ),
            ));
        }
        Ok(Self(t))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for IndustryCode {
    type Error = Invalid;
    fn try_from(s: String) -> Result<Self, Invalid> {
        Self::parse(&s)
    }
}

impl From<IndustryCode> for String {
    fn from(c: IndustryCode) -> String {
        c.0
    }
}

/// An organization as received on the wire or from an import row: all text, not yet trusted.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
pub struct OrganizationInput {
    /// 统一社会信用代码
    pub credit_code: String,
    /// 单位名称
    pub name: String,
    /// 单位类型: enterprise | university | institute | hospital | service_agency | other (或中文)
    pub kind: String,
    /// 所在行政区划代码 (GB/T 2260)
    pub region: String,
    /// 行业代码 (GB/T 4754-2017)
    #[serde(default)]
    pub industry: Option<String>,
    /// 成立日期 YYYY-MM-DD
    #[serde(default)]
    pub founded_on: Option<String>,
    /// 法定代表人
    #[serde(default)]
    pub legal_representative: Option<String>,
    /// 企业规模: large | medium | small | micro (或中文)
    #[serde(default)]
    pub size_class: Option<String>,
}

/// A validated organization, ready to store.
#[derive(Debug, Clone, PartialEq)]
pub struct NewOrganization {
    pub credit_code: CreditCode,
    pub name: String,
    pub kind: OrgKind,
    pub region: RegionCode,
    pub industry: Option<IndustryCode>,
    pub founded_on: Option<NaiveDate>,
    pub legal_representative: Option<String>,
    pub size_class: Option<SizeClass>,
}

fn blank_to_none(s: &Option<String>) -> Option<&str> {
    s.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

/// Parse a `YYYY-MM-DD` date that may not lie after `today`.
pub fn parse_past_date(
    field: &str,
    label: &str,
    s: &str,
    today: NaiveDate,
) -> Result<NaiveDate, Invalid> {
    let t = s.trim();
    let d = NaiveDate::parse_from_str(t, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(t, "%Y/%m/%d"))
        .map_err(|_| {
            Invalid::one(
                field,
                "date.format",
                format!("{label}“{t}”格式错误，应为 YYYY-MM-DD"),
            )
        })?;
    if d > today {
        return Err(Invalid::one(
            field,
            "date.future",
            format!("{label}不能晚于今天（{today}）"),
        ));
    }
    if d < NaiveDate::from_ymd_opt(1800, 1, 1).unwrap_or(d) {
        return Err(Invalid::one(
            field,
            "date.range",
            format!("{label}早于1800年，请核对"),
        ));
    }
    Ok(d)
}

impl NewOrganization {
    /// Validate every field; all problems are reported together.
    pub fn parse(i: &OrganizationInput, today: NaiveDate) -> Result<Self, Invalid> {
        let mut c = Collector::default();
        let credit_code = c.take(CreditCode::parse(&i.credit_code));
        let name = i.name.trim().to_owned();
        let name_len = name.chars().count();
        if name_len == 0 {
            c.push(crate::FieldError::new(
                "name",
                "name.required",
                "单位名称不能为空",
            ));
        } else if name_len > 100 {
            c.push(crate::FieldError::new(
                "name",
                "name.too_long",
                "单位名称不能超过100个字",
            ));
        }
        if let Some(e) = crate::text::check_name("name", "单位名称", &name) {
            c.push(e);
        }
        let kind = c.take(OrgKind::parse(&i.kind));
        let region = c.take(RegionCode::parse_known(&i.region));
        let industry = match blank_to_none(&i.industry) {
            Some(s) => c.take(IndustryCode::parse(s)).map(Some),
            None => Some(None),
        };
        let founded_on = match blank_to_none(&i.founded_on) {
            Some(s) => c
                .take(parse_past_date("founded_on", "成立日期", s, today))
                .map(Some),
            None => Some(None),
        };
        let size_class = match blank_to_none(&i.size_class) {
            Some(s) => c.take(SizeClass::parse(s)).map(Some),
            None => Some(None),
        };
        let legal_representative = blank_to_none(&i.legal_representative).map(str::to_owned);
        if legal_representative
            .as_ref()
            .is_some_and(|s| s.chars().count() > 50)
        {
            c.push(crate::FieldError::new(
                "legal_representative",
                "legal_representative.too_long",
                "法定代表人不能超过50个字",
            ));
        }
        match (credit_code, kind, region, industry, founded_on, size_class) {
            (
                Some(credit_code),
                Some(kind),
                Some(region),
                Some(industry),
                Some(founded_on),
                Some(size_class),
            ) if c.is_empty() => Ok(Self {
                credit_code,
                name,
                kind,
                region,
                industry,
                founded_on,
                legal_representative,
                size_class,
            }),
            _ => c.finish().and(Err(Invalid(vec![]))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 23).unwrap_or_default()
    }

    fn good() -> OrganizationInput {
        OrganizationInput {
            credit_code: "91350100M000100Y43".into(),
            name: "济源示例科技有限公司".into(),
            kind: "企业".into(),
            region: "419001".into(),
            industry: Some("C3985".into()),
            founded_on: Some("2015-03-01".into()),
            legal_representative: Some("张三".into()),
            size_class: Some("small".into()),
        }
    }

    #[test]
    fn parses_good_input() {
        let o = NewOrganization::parse(&good(), today());
        assert_eq!(o.as_ref().map(|o| o.kind).ok(), Some(OrgKind::Enterprise));
        assert_eq!(
            o.as_ref().map(|o| o.region.to_string()).ok().as_deref(),
            Some("419001")
        );
    }

    #[test]
    fn reports_every_bad_field() {
        let mut i = good();
        i.credit_code = "91350100M000100Y44".into();
        i.region = "419999".into();
        i.founded_on = Some("2030-01-01".into());
        i.kind = "公司".into();
        i.industry = Some("3985".into());
        let codes: Vec<String> = NewOrganization::parse(&i, today())
            .err()
            .map(|e| e.0.into_iter().map(|f| f.code).collect())
            .unwrap_or_default();
        assert_eq!(
            codes,
            [
                "credit_code.check_char",
                "kind.unknown",
                "region.unknown",
                "industry.format",
                "date.future"
            ]
        );
    }
}
