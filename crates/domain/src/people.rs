//! 人才与科技特派员 (people programmes): the vocabulary and the parsing of 科技特派员 (individuals,
//! service teams and legal-person commissioners), their dispatches (派驻) to a village, township,
//! cooperative or enterprise, service logs and the service object's rating; talent recognition
//! (人才认定) by tier, recognised talents, innovation teams (创新团队), the experts hosted by
//! 院士工作站 / 中原学者工作站, and enterprises' talent demands (人才需求) with their explained match.
//!
//! Numbers that come from a policy (the yearly duty, grades, tiers, age limits, station caps,
//! subsidies) are not here: they live in the packs `commissioner-assessment`, `talent-tiers` and
//! `work-stations`.

use crate::error::{Collector, FieldError, Invalid};
use crate::funds::{date, optional_fen, text};
use crate::region::RegionCode;
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

labeled_enum!(
    /// 科技特派员类型 (福建 "个人—团队—法人"; 粤府办〔2016〕101号).
    CommissionerKind, "kind", "科技特派员类型", {
        Individual => ("individual", "个人科技特派员"),
        Team => ("team", "科技特派员服务团"),
        Legal => ("legal", "法人科技特派员"),
    }
);

labeled_enum!(
    /// 资助类别 (河南 2024/2025 选派通知).
    Funding, "funding", "资助类别", {
        Provincial => ("provincial", "省资助"),
        CountyProvincial => ("county_provincial", "县选省资助"),
        CityCounty => ("city_county", "市县资助"),
        ThreeRegions => ("three_regions", "“三区”科技人才"),
    }
);

labeled_enum!(
    /// 特派员状态.
    CommissionerStatus, "status", "特派员状态", {
        Active => ("active", "在岗"),
        Ended => ("ended", "期满"),
        Revoked => ("revoked", "解聘"),
    }
);

labeled_enum!(
    /// 服务对象类型.
    TargetKind, "target_kind", "服务对象类型", {
        Village => ("village", "行政村"),
        Township => ("township", "乡镇"),
        Cooperative => ("cooperative", "农民合作社"),
        Enterprise => ("enterprise", "企业"),
    }
);

labeled_enum!(
    /// 派驻状态.
    DispatchStatus, "status", "派驻状态", {
        Active => ("active", "派驻中"),
        Ended => ("ended", "已结束"),
        Cancelled => ("cancelled", "已撤回"),
    }
);

labeled_enum!(
    /// 服务类型 of a service log.
    ServiceKind, "kind", "服务类型", {
        Guidance => ("guidance", "技术指导"),
        Training => ("training", "培训"),
        Demonstration => ("demonstration", "示范推广"),
        Startup => ("startup", "创业带动"),
    }
);

labeled_enum!(
    /// 年度考核等次.
    Grade, "grade", "考核等次", {
        Excellent => ("excellent", "优秀"),
        Qualified => ("qualified", "合格"),
        Failed => ("failed", "不合格"),
    }
);

impl Grade {
    /// The pack's numeric grade (3 优秀, 2 合格, 1 不合格).
    pub fn from_points(n: i64) -> Self {
        match n {
            3.. => Grade::Excellent,
            2 => Grade::Qualified,
            _ => Grade::Failed,
        }
    }
}

labeled_enum!(
    /// 学历.
    Education, "education", "学历", {
        Doctorate => ("doctorate", "博士研究生"),
        Master => ("master", "硕士研究生"),
        Bachelor => ("bachelor", "大学本科"),
        Other => ("other", "其他"),
    }
);

labeled_enum!(
    /// 人才层次 (A 顶尖 / B 国家级领军 / C 地方级领军 / D 青年拔尖; 郑州“黄河人才计划”与杭州等地
    /// A–E 目录的分层).
    TalentTier, "tier", "人才层次", {
        A => ("a", "A类 顶尖人才"),
        B => ("b", "B类 国家级领军人才"),
        C => ("c", "C类 地方级领军人才"),
        D => ("d", "D类 青年拔尖人才"),
    }
);

impl TalentTier {
    /// The pack's numeric tier (4 A … 1 D, 0 none).
    pub fn from_points(n: i64) -> Option<Self> {
        match n {
            4.. => Some(TalentTier::A),
            3 => Some(TalentTier::B),
            2 => Some(TalentTier::C),
            1 => Some(TalentTier::D),
            _ => None,
        }
    }

    pub fn points(self) -> i64 {
        match self {
            TalentTier::A => 4,
            TalentTier::B => 3,
            TalentTier::C => 2,
            TalentTier::D => 1,
        }
    }
}

labeled_enum!(
    /// 人才认定目录条目: what an applicant claims, each with its evidence. The pack decides
    /// which tier the claims reach.
    Honour, "honours", "认定条件", {
        Academician => ("academician", "中国科学院院士、中国工程院院士"),
        TopAward => ("top_award", "国家最高科学技术奖获得者"),
        NationalProgramme => ("national_programme", "国家级重大人才工程入选者（长江学者、国家杰出青年科学基金获得者等）"),
        NationalAward => ("national_award", "国家科学技术奖一、二等奖获奖项目主要完成人（前三）"),
        ProvincialProgramme => ("provincial_programme", "省级重大人才工程入选者（中原学者、中原英才计划等）"),
        ProvincialAward => ("provincial_award", "省科学技术奖一等奖获奖项目主要完成人（前三）"),
        CityProgramme => ("city_programme", "市级领军人才、市级创新创业团队带头人"),
        SeniorTitle => ("senior_title", "正高级专业技术职称"),
    }
);

labeled_enum!(
    /// 人才认定申请状态.
    ApplicationStatus, "status", "认定申请状态", {
        Draft => ("draft", "草稿"),
        Submitted => ("submitted", "待评审"),
        Reviewing => ("reviewing", "评审中"),
        Recognized => ("recognized", "已认定"),
        Refused => ("refused", "不予认定"),
    }
);

labeled_enum!(
    /// 认定人才状态.
    TalentStatus, "status", "人才状态", {
        Valid => ("valid", "有效"),
        Expired => ("expired", "已到期"),
        Revoked => ("revoked", "已撤销"),
    }
);

labeled_enum!(
    /// 进站专家身份 (院士工作站 / 中原学者工作站).
    StationRole, "role", "进站专家身份", {
        ActiveAcademician => ("active_academician", "院士（在职）"),
        RetiredAcademician => ("retired_academician", "院士（退休）"),
        Scholar => ("scholar", "中原学者"),
    }
);

labeled_enum!(
    /// 人才需求状态.
    DemandStatus, "status", "需求状态", {
        Open => ("open", "征集中"),
        Closed => ("closed", "已关闭"),
    }
);

fn year_of(c: &mut Collector, field: &str, y: i32) -> i32 {
    if !(2000..=2100).contains(&y) {
        c.push(FieldError::new(
            field,
            "year.range",
            "年度应在2000至2100之间",
        ));
    }
    y
}

fn list(c: &mut Collector, field: &str, label: &str, v: &[String], max: usize) -> Vec<String> {
    let out: Vec<String> = v
        .iter()
        .map(|s| s.trim().to_owned())
        .filter(|s| !s.is_empty())
        .collect();
    if out.len() > max {
        c.push(FieldError::new(
            field,
            &format!("{field}.too_many"),
            format!("{label}不超过{max}项"),
        ));
    }
    if out.iter().any(|s| s.chars().count() > 50) {
        c.push(FieldError::new(
            field,
            &format!("{field}.length"),
            format!("{label}每项不超过50个字"),
        ));
    }
    out
}

fn phone(c: &mut Collector, s: &str) -> Option<String> {
    let t: String = s
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .collect();
    if t.is_empty() {
        return None;
    }
    if !(t.len() == 11 && t.starts_with('1') && t.chars().all(|c| c.is_ascii_digit())) {
        c.push(FieldError::new(
            "phone",
            "phone.format",
            "手机号码应为以1开头的11位数字",
        ));
    }
    Some(t)
}

/// 手机号脱敏 (RuoYi `DesensitizedType.PHONE`): 138****5678.
pub fn mask_phone(p: &str) -> String {
    let chars: Vec<char> = p.chars().collect();
    if chars.len() < 7 {
        return "*".repeat(chars.len());
    }
    let head: String = chars[..3].iter().collect();
    let tail: String = chars[chars.len() - 4..].iter().collect();
    format!("{head}****{tail}")
}

/// Whole years of age on `on` for someone born on `birth`.
pub fn age_on(birth: NaiveDate, on: NaiveDate) -> i32 {
    let mut a = on.year() - birth.year();
    if (on.month(), on.day()) < (birth.month(), birth.day()) {
        a -= 1;
    }
    a
}

/// A duration typed in days (0.5, 1, 1.5 …) → half days; at least half a day, at most 31 days
/// in one log.
pub fn half_days(field: &str, s: &str) -> Result<i64, Invalid> {
    let t = s.trim();
    let d: rust_decimal::Decimal = t.parse().map_err(|_| {
        Invalid::one(
            field,
            "days.format",
            format!("服务天数“{t}”应为数字，以半天为单位（如 0.5、1、2）"),
        )
    })?;
    let halves = d * rust_decimal::Decimal::TWO;
    if halves.fract() != rust_decimal::Decimal::ZERO {
        return Err(Invalid::one(
            field,
            "days.granularity",
            "服务天数以半天为单位（如 0.5、1、1.5）",
        ));
    }
    use rust_decimal::prelude::ToPrimitive;
    let n = halves.to_i64().unwrap_or(i64::MAX);
    if !(1..=62).contains(&n) {
        return Err(Invalid::one(
            field,
            "days.range",
            "单条服务记录的天数应在0.5至31天之间",
        ));
    }
    Ok(n)
}

/// Half days → the decimal text shown (3 → "1.5").
pub fn days_text(halves: i64) -> String {
    if halves % 2 == 0 {
        (halves / 2).to_string()
    } else {
        format!("{}.5", halves / 2)
    }
}

/// The township part of a dispatch's place (“王屋镇愚公村” → “王屋镇”): the name up to the first
/// 镇, 乡 or 街道; the whole place when none is named.
pub fn town_of(place: &str) -> String {
    let p = place.trim();
    let cut = ["街道", "镇", "乡"]
        .iter()
        .filter_map(|m| p.find(m).map(|i| i + m.len()))
        .min();
    match cut {
        Some(i) => p[..i].to_owned(),
        None => p.to_owned(),
    }
}

// ---------------------------------------------------------------------------------------------
// 科技特派员
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(default)]
pub struct CommissionerInput {
    pub kind: String,
    /// 个人: the person; 服务团: its leader (团长). Not for a legal-person commissioner.
    pub person_id: Option<i64>,
    /// 服务团 name or 法人 commissioner's service name; a person's name is read from the registry.
    pub name: String,
    /// 派出单位 (个人/服务团) or the legal-person commissioner itself.
    pub org_id: i64,
    /// 服务团成员 (persons), leader excluded.
    pub members: Vec<i64>,
    pub funding: String,
    /// 专业领域 (GB/T 13745 学科, e.g. 果树学).
    pub field: String,
    /// 选派年度.
    pub year: i32,
    /// 服务期 YYYY-MM-DD.
    pub term_from: String,
    pub term_to: String,
    /// 管理区划 (the bureau that selected; defaults to the caller's region).
    pub region: Option<String>,
    /// 联系电话 (masked outside the bureau and the commissioner).
    pub phone: String,
    /// 科技特派员工作站 (a platform), if based at one.
    pub station_id: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewCommissioner {
    pub kind: CommissionerKind,
    pub person_id: Option<i64>,
    pub name: String,
    pub org_id: i64,
    pub members: Vec<i64>,
    pub funding: Funding,
    pub field: String,
    pub year: i32,
    pub term_from: NaiveDate,
    pub term_to: NaiveDate,
    pub region: Option<RegionCode>,
    pub phone: Option<String>,
    pub station_id: Option<i64>,
}

impl NewCommissioner {
    pub fn parse(i: &CommissionerInput) -> Result<Self, Invalid> {
        let mut c = Collector::default();
        let kind = c.take(CommissionerKind::parse(&i.kind));
        let funding = c.take(Funding::parse(&i.funding));
        let field = text(&mut c, "field", "专业领域", &i.field, 50, true);
        let year = year_of(&mut c, "year", i.year);
        let from = date(&mut c, "term_from", "服务期开始日期", &i.term_from);
        let to = date(&mut c, "term_to", "服务期结束日期", &i.term_to);
        let name = text(&mut c, "name", "名称", &i.name, 100, false);
        let phone = phone(&mut c, &i.phone);
        let region = match i.region.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            Some(r) => c.take(RegionCode::parse_known(r)),
            None => None,
        };
        if matches!(
            kind,
            Some(CommissionerKind::Individual | CommissionerKind::Team)
        ) && i.person_id.is_none()
        {
            c.push(FieldError::new(
                "person_id",
                "person_id.required",
                "个人科技特派员请选择本人，服务团请选择团长（从人才专家库中选择）",
            ));
        }
        match kind {
            Some(CommissionerKind::Team) if name.is_empty() => {
                c.push(FieldError::new("name", "name.required", "请填写服务团名称"))
            }
            Some(CommissionerKind::Legal) if name.is_empty() => c.push(FieldError::new(
                "name",
                "name.required",
                "请填写法人科技特派员的服务名称",
            )),
            Some(CommissionerKind::Individual) if !i.members.is_empty() => c.push(FieldError::new(
                "members",
                "members.individual",
                "个人科技特派员没有团队成员；团队请选择“科技特派员服务团”",
            )),
            _ => {}
        }
        if i.members.len() > 50 {
            c.push(FieldError::new(
                "members",
                "members.too_many",
                "服务团成员不超过50人",
            ));
        }
        if let (Some(f), Some(t)) = (from, to) {
            if t <= f {
                c.push(FieldError::new(
                    "term_to",
                    "term.order",
                    "服务期结束日期必须晚于开始日期",
                ));
            } else if t > f + chrono::Days::new(5 * 366) {
                c.push(FieldError::new(
                    "term_to",
                    "term.too_long",
                    "服务期不超过5年（国办发〔2016〕32号：保留人事关系5年内）",
                ));
            }
        }
        c.finish()?;
        let (Some(kind), Some(funding), Some(term_from), Some(term_to)) = (kind, funding, from, to)
        else {
            return Err(Invalid::one("kind", "kind.required", "请填写特派员类型"));
        };
        let mut members: Vec<i64> = i.members.clone();
        members.sort_unstable();
        members.dedup();
        members.retain(|m| Some(*m) != i.person_id);
        Ok(Self {
            kind,
            person_id: if kind == CommissionerKind::Legal {
                None
            } else {
                i.person_id
            },
            name,
            org_id: i.org_id,
            members,
            funding,
            field,
            year,
            term_from,
            term_to,
            region,
            phone,
            station_id: i.station_id,
        })
    }
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(default)]
pub struct DispatchInput {
    pub commissioner_id: i64,
    pub target_kind: String,
    /// 服务对象所在县级区划 (GB/T 2260).
    pub county: String,
    /// 乡镇、村名称 (e.g. 王屋镇 / 王屋镇愚公村): GB/T 2260 stops at the county.
    pub place: String,
    /// 合作社或企业 (a registered organization), for those kinds.
    pub target_org_id: Option<i64>,
    pub starts_on: String,
    pub ends_on: String,
    /// 三方协议编号 (派出单位、受援单位、管理部门).
    pub agreement_no: String,
    /// 服务目标与任务.
    pub tasks: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewDispatch {
    pub commissioner_id: i64,
    pub target_kind: TargetKind,
    pub county: RegionCode,
    pub place: String,
    pub target_org_id: Option<i64>,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub agreement_no: String,
    pub tasks: String,
}

impl NewDispatch {
    pub fn parse(i: &DispatchInput) -> Result<Self, Invalid> {
        let mut c = Collector::default();
        let kind = c.take(TargetKind::parse(&i.target_kind));
        let county = c.take(RegionCode::parse_known(i.county.trim()));
        let place = text(&mut c, "place", "服务地点（乡镇、村）", &i.place, 100, true);
        let from = date(&mut c, "starts_on", "派驻开始日期", &i.starts_on);
        let to = date(&mut c, "ends_on", "派驻结束日期", &i.ends_on);
        let agreement_no = text(
            &mut c,
            "agreement_no",
            "三方协议编号",
            &i.agreement_no,
            50,
            false,
        );
        let tasks = text(&mut c, "tasks", "服务目标与任务", &i.tasks, 1000, true);
        if let Some(county) = county
            && crate::RegionTree::shipped()
                .get(county)
                .is_some_and(|r| r.level != crate::RegionLevel::County)
        {
            c.push(FieldError::new(
                "county",
                "county.level",
                "服务对象所在区划应为县级（县、县级市、区）",
            ));
        }
        match kind {
            Some(TargetKind::Cooperative | TargetKind::Enterprise) if i.target_org_id.is_none() => {
                c.push(FieldError::new(
                    "target_org_id",
                    "target_org_id.required",
                    "服务对象为合作社或企业时，请选择已登记的单位",
                ))
            }
            _ => {}
        }
        if let (Some(f), Some(t)) = (from, to)
            && t < f
        {
            c.push(FieldError::new(
                "ends_on",
                "term.order",
                "派驻结束日期不能早于开始日期",
            ));
        }
        c.finish()?;
        let (Some(target_kind), Some(county), Some(starts_on), Some(ends_on)) =
            (kind, county, from, to)
        else {
            return Err(Invalid::one(
                "target_kind",
                "target_kind.required",
                "请填写服务对象类型",
            ));
        };
        Ok(Self {
            commissioner_id: i.commissioner_id,
            target_kind,
            county,
            place,
            target_org_id: match target_kind {
                TargetKind::Cooperative | TargetKind::Enterprise => i.target_org_id,
                _ => None,
            },
            starts_on,
            ends_on,
            agreement_no,
            tasks,
        })
    }
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(default)]
pub struct LogInput {
    pub dispatch_id: i64,
    pub served_on: String,
    pub kind: String,
    /// 服务天数, in half days (0.5, 1, 1.5 …).
    pub days: String,
    /// 服务（培训）人次.
    pub people: i64,
    /// 服务农户（户）.
    pub households: i64,
    pub place: String,
    pub content: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewLog {
    pub dispatch_id: i64,
    pub served_on: NaiveDate,
    pub kind: ServiceKind,
    pub half_days: i64,
    pub people: i64,
    pub households: i64,
    pub place: String,
    pub content: String,
}

impl NewLog {
    /// `today` is the local date: a log is never dated after it.
    pub fn parse(i: &LogInput, today: NaiveDate) -> Result<Self, Invalid> {
        let mut c = Collector::default();
        let served_on = date(&mut c, "served_on", "服务日期", &i.served_on);
        let kind = c.take(ServiceKind::parse(&i.kind));
        let halves = c.take(half_days("days", &i.days));
        let place = text(&mut c, "place", "服务地点", &i.place, 100, true);
        let content = text(&mut c, "content", "服务内容", &i.content, 2000, true);
        if let Some(d) = served_on
            && d > today
        {
            c.push(FieldError::new(
                "served_on",
                "log.future",
                format!("服务日期不能晚于今天（{today}），请在服务完成后填报"),
            ));
        }
        for (field, label, v) in [
            ("people", "服务人次", i.people),
            ("households", "服务农户数", i.households),
        ] {
            if !(0..=100_000).contains(&v) {
                c.push(FieldError::new(
                    field,
                    &format!("{field}.range"),
                    format!("{label}应在0至100000之间"),
                ));
            }
        }
        c.finish()?;
        let (Some(served_on), Some(kind), Some(half_days)) = (served_on, kind, halves) else {
            return Err(Invalid::one("served_on", "date.format", "服务日期不完整"));
        };
        Ok(Self {
            dispatch_id: i.dispatch_id,
            served_on,
            kind,
            half_days,
            people: i.people,
            households: i.households,
            place,
            content,
        })
    }

    /// The dispatch's term must contain the log's date.
    pub fn check_term(&self, starts_on: NaiveDate, ends_on: NaiveDate) -> Result<(), Invalid> {
        if self.served_on < starts_on || self.served_on > ends_on {
            return Err(Invalid::one(
                "served_on",
                "log.outside_term",
                format!(
                    "服务日期 {} 不在派驻期（{starts_on} 至 {ends_on}）内",
                    self.served_on
                ),
            ));
        }
        Ok(())
    }
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(default)]
pub struct RatingInput {
    pub year: i32,
    /// 1–5 (非常满意 5 … 不满意 1).
    pub score: i64,
    pub comment: String,
}

impl RatingInput {
    pub fn check(&self) -> Result<(), Invalid> {
        let mut c = Collector::default();
        year_of(&mut c, "year", self.year);
        if !(1..=5).contains(&self.score) {
            c.push(FieldError::new(
                "score",
                "score.range",
                "满意度评分为1至5分（5分非常满意，1分不满意）",
            ));
        }
        text(&mut c, "comment", "评价意见", &self.comment, 500, false);
        c.finish()
    }
}

// ---------------------------------------------------------------------------------------------
// 人才
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(default)]
pub struct TalentApplicationInput {
    pub person_id: i64,
    /// 申报单位 (the employer).
    pub org_id: i64,
    pub year: i32,
    /// 申报层次 (A–D).
    pub claimed_tier: String,
    pub birth_date: String,
    pub education: String,
    /// 认定条件 claimed (catalogue items).
    pub honours: Vec<String>,
    /// 佐证说明 (evidence described: certificate numbers, award documents).
    pub evidence: String,
    /// 在本单位全职工作（缴纳社保）.
    pub full_time: bool,
    pub phone: String,
    /// 年薪 (元), private.
    pub salary: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewTalentApplication {
    pub person_id: i64,
    pub org_id: i64,
    pub year: i32,
    pub claimed_tier: TalentTier,
    pub birth_date: NaiveDate,
    pub education: Education,
    pub honours: Vec<Honour>,
    pub evidence: String,
    pub full_time: bool,
    pub phone: Option<String>,
    pub salary_fen: Option<i64>,
}

impl NewTalentApplication {
    pub fn parse(i: &TalentApplicationInput, today: NaiveDate) -> Result<Self, Invalid> {
        let mut c = Collector::default();
        let year = year_of(&mut c, "year", i.year);
        let tier = c.take(TalentTier::parse(&i.claimed_tier));
        let birth = date(&mut c, "birth_date", "出生日期", &i.birth_date);
        let education = c.take(Education::parse(&i.education));
        let mut honours = Vec::new();
        for h in &i.honours {
            if let Some(h) = c.take(Honour::parse(h))
                && !honours.contains(&h)
            {
                honours.push(h);
            }
        }
        let evidence = text(&mut c, "evidence", "佐证材料说明", &i.evidence, 2000, false);
        if !honours.is_empty() && evidence.is_empty() {
            c.push(FieldError::new(
                "evidence",
                "evidence.required",
                "申报认定条件时请说明佐证材料（证书编号、获奖文件等）",
            ));
        }
        let phone = phone(&mut c, &i.phone);
        let salary_fen = optional_fen(&mut c, "salary", "年薪", &i.salary);
        if let Some(b) = birth
            && (b > today || age_on(b, today) > 100)
        {
            c.push(FieldError::new(
                "birth_date",
                "birth_date.range",
                "出生日期不合理，请核对",
            ));
        }
        c.finish()?;
        let (Some(claimed_tier), Some(birth_date), Some(education)) = (tier, birth, education)
        else {
            return Err(Invalid::one(
                "claimed_tier",
                "tier.required",
                "请填写申报层次",
            ));
        };
        Ok(Self {
            person_id: i.person_id,
            org_id: i.org_id,
            year,
            claimed_tier,
            birth_date,
            education,
            honours,
            evidence,
            full_time: i.full_time,
            phone,
            salary_fen,
        })
    }
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(default)]
pub struct TeamInput {
    pub name: String,
    /// 依托单位.
    pub host_org_id: i64,
    /// 团队带头人.
    pub leader_id: i64,
    pub members: Vec<i64>,
    pub field: String,
    /// 认定年度.
    pub year: i32,
    /// 级别: 市级 / 省级.
    pub level: String,
    pub direction: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewTeam {
    pub name: String,
    pub host_org_id: i64,
    pub leader_id: i64,
    pub members: Vec<i64>,
    pub field: String,
    pub year: i32,
    pub level: crate::platform::PlatformLevel,
    pub direction: String,
}

impl NewTeam {
    pub fn parse(i: &TeamInput) -> Result<Self, Invalid> {
        let mut c = Collector::default();
        let name = text(&mut c, "name", "团队名称", &i.name, 100, true);
        let field = text(&mut c, "field", "技术领域", &i.field, 50, true);
        let direction = text(&mut c, "direction", "研究方向", &i.direction, 500, false);
        let year = year_of(&mut c, "year", i.year);
        let level = c.take(crate::platform::PlatformLevel::parse(&i.level));
        if i.leader_id <= 0 {
            c.push(FieldError::new(
                "leader_id",
                "leader_id.required",
                "请选择团队带头人",
            ));
        }
        if i.members.len() > 100 {
            c.push(FieldError::new(
                "members",
                "members.too_many",
                "团队成员不超过100人",
            ));
        }
        c.finish()?;
        let Some(level) = level else {
            return Err(Invalid::one("level", "level.required", "请填写团队级别"));
        };
        let mut members = i.members.clone();
        members.sort_unstable();
        members.dedup();
        members.retain(|m| *m != i.leader_id);
        Ok(Self {
            name,
            host_org_id: i.host_org_id,
            leader_id: i.leader_id,
            members,
            field,
            year,
            level,
            direction,
        })
    }
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(default)]
pub struct StationExpertInput {
    pub person_id: i64,
    pub role: String,
    /// 合作协议期限.
    pub contract_from: String,
    pub contract_to: String,
    /// 进站专家出生日期 (the 中原学者 age limit).
    pub birth_date: String,
    /// 承诺年度进站工作天数.
    pub onsite_days: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewStationExpert {
    pub person_id: i64,
    pub role: StationRole,
    pub contract_from: NaiveDate,
    pub contract_to: NaiveDate,
    pub birth_date: Option<NaiveDate>,
    pub onsite_days: i64,
}

impl NewStationExpert {
    pub fn parse(i: &StationExpertInput) -> Result<Self, Invalid> {
        let mut c = Collector::default();
        let role = c.take(StationRole::parse(&i.role));
        let from = date(&mut c, "contract_from", "协议开始日期", &i.contract_from);
        let to = date(&mut c, "contract_to", "协议结束日期", &i.contract_to);
        let birth = if i.birth_date.trim().is_empty() {
            None
        } else {
            date(&mut c, "birth_date", "出生日期", &i.birth_date)
        };
        if !(0..=366).contains(&i.onsite_days) {
            c.push(FieldError::new(
                "onsite_days",
                "onsite_days.range",
                "年度进站工作天数应在0至366之间",
            ));
        }
        if let (Some(f), Some(t)) = (from, to)
            && t <= f
        {
            c.push(FieldError::new(
                "contract_to",
                "term.order",
                "协议结束日期必须晚于开始日期",
            ));
        }
        if role == Some(StationRole::Scholar) && birth.is_none() && c.is_empty() {
            c.push(FieldError::new(
                "birth_date",
                "birth_date.required",
                "中原学者进站须填写出生日期（年龄上限见中原学者工作站管理办法）",
            ));
        }
        c.finish()?;
        let (Some(role), Some(contract_from), Some(contract_to)) = (role, from, to) else {
            return Err(Invalid::one("role", "role.required", "请填写进站专家身份"));
        };
        Ok(Self {
            person_id: i.person_id,
            role,
            contract_from,
            contract_to,
            birth_date: birth,
            onsite_days: i.onsite_days,
        })
    }
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(default)]
pub struct DemandInput {
    /// 需求单位 (an organization account posts for itself).
    pub org_id: i64,
    pub title: String,
    /// 专业领域.
    pub field: String,
    pub keywords: Vec<String>,
    /// 最低学历 (optional).
    pub education: String,
    /// 职称要求 (正高级 / 副高级 / 中级 / 初级, optional).
    pub title_level: String,
    pub count: i64,
    pub description: String,
    /// 截止日期.
    pub deadline: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewDemand {
    pub org_id: i64,
    pub title: String,
    pub field: String,
    pub keywords: Vec<String>,
    pub education: Option<Education>,
    pub title_level: Option<crate::person::TitleLevel>,
    pub count: i64,
    pub description: String,
    pub deadline: NaiveDate,
}

impl NewDemand {
    pub fn parse(i: &DemandInput, today: NaiveDate) -> Result<Self, Invalid> {
        let mut c = Collector::default();
        let title = text(&mut c, "title", "需求名称", &i.title, 100, true);
        let field = text(&mut c, "field", "专业领域", &i.field, 50, true);
        let keywords = list(&mut c, "keywords", "关键词", &i.keywords, 10);
        let description = text(
            &mut c,
            "description",
            "需求说明",
            &i.description,
            2000,
            true,
        );
        let education = match i.education.trim() {
            "" => None,
            e => c.take(Education::parse(e)),
        };
        let title_level = match i.title_level.trim() {
            "" => None,
            t => c.take(crate::person::TitleLevel::parse(t)),
        };
        if !(1..=1000).contains(&i.count) {
            c.push(FieldError::new(
                "count",
                "count.range",
                "需求人数应在1至1000之间",
            ));
        }
        let deadline = date(&mut c, "deadline", "截止日期", &i.deadline);
        if let Some(d) = deadline
            && d < today
        {
            c.push(FieldError::new(
                "deadline",
                "deadline.past",
                "截止日期不能早于今天",
            ));
        }
        c.finish()?;
        let Some(deadline) = deadline else {
            return Err(Invalid::one("deadline", "date.format", "请填写截止日期"));
        };
        Ok(Self {
            org_id: i.org_id,
            title,
            field,
            keywords,
            education,
            title_level,
            count: i.count,
            description,
            deadline,
        })
    }
}

/// One person the talent library offers for a demand.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[schema(as = PeopleCandidate)]
pub struct Candidate {
    pub person_id: i64,
    pub name: String,
    pub org_name: Option<String>,
    pub title: Option<String>,
    pub title_level: Option<String>,
    pub disciplines: Vec<String>,
    pub keywords: Vec<String>,
    /// 认定人才层次, if recognised.
    pub tier: Option<String>,
    pub region_code: String,
}

/// A suggestion with its points and the reasons that earned them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct TalentMatch {
    pub person_id: i64,
    pub name: String,
    pub org_name: Option<String>,
    pub score: i64,
    pub reasons: Vec<String>,
}

fn shares(a: &str, b: &str) -> bool {
    let (a, b) = (a.trim(), b.trim());
    !a.is_empty() && !b.is_empty() && (a.contains(b) || b.contains(a))
}

/// The talent library against a demand, explained: field against disciplines (40), each shared
/// keyword (15, at most 45), the title level asked for (15), a recognised tier (10), the same
/// county (5). Only candidates sharing the field or a keyword are suggested; best first, then
/// by id.
pub fn match_demand(d: &NewDemand, region_code: &str, people: &[Candidate]) -> Vec<TalentMatch> {
    let mut out = Vec::new();
    for p in people {
        let mut score = 0;
        let mut reasons = Vec::new();
        if let Some(disc) = p.disciplines.iter().find(|x| shares(x, &d.field)) {
            score += 40;
            reasons.push(format!("专业领域相符：需求“{}”，人才“{disc}”", d.field));
        }
        let mut kw = Vec::new();
        for k in &d.keywords {
            if p.keywords
                .iter()
                .chain(&p.disciplines)
                .any(|x| shares(x, k))
            {
                kw.push(k.clone());
            }
        }
        if score == 0 && kw.is_empty() {
            continue;
        }
        if !kw.is_empty() {
            score += (15 * kw.len() as i64).min(45);
            reasons.push(format!("关键词相符：{}", kw.join("、")));
        }
        if let Some(want) = d.title_level {
            let have = p
                .title_level
                .as_deref()
                .and_then(|t| crate::person::TitleLevel::parse(t).ok());
            match have {
                Some(h) if h.rank() >= want.rank() => {
                    score += 15;
                    reasons.push(format!("职称满足要求（{}）", h.label()));
                }
                _ => reasons.push(format!("职称未达要求（需{}）", want.label())),
            }
        }
        if let Some(t) = &p.tier {
            score += 10;
            reasons.push(format!("已认定人才：{t}"));
        }
        if p.region_code == region_code {
            score += 5;
            reasons.push("同一县（市、区）".into());
        }
        out.push(TalentMatch {
            person_id: p.person_id,
            name: p.name.clone(),
            org_name: p.org_name.clone(),
            score,
            reasons,
        });
    }
    out.sort_by(|a, b| b.score.cmp(&a.score).then(a.person_id.cmp(&b.person_id)));
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn half_days_accept_halves_only() {
        assert_eq!(half_days("days", "1").unwrap(), 2);
        assert_eq!(half_days("days", "0.5").unwrap(), 1);
        assert_eq!(half_days("days", "2.5").unwrap(), 5);
        assert_eq!(
            half_days("days", "0.3").unwrap_err().0[0].code,
            "days.granularity"
        );
        assert_eq!(half_days("days", "0").unwrap_err().0[0].code, "days.range");
        assert_eq!(half_days("days", "40").unwrap_err().0[0].code, "days.range");
        assert_eq!(
            half_days("days", "一天").unwrap_err().0[0].code,
            "days.format"
        );
        assert_eq!(days_text(5), "2.5");
        assert_eq!(days_text(4), "2");
    }

    #[test]
    fn a_log_is_neither_in_the_future_nor_outside_its_term() {
        let i = LogInput {
            dispatch_id: 1,
            served_on: "2026-12-07".into(),
            kind: "技术指导".into(),
            days: "1".into(),
            people: 10,
            households: 5,
            place: "愚公村".into(),
            content: "冬季修剪".into(),
        };
        let e = NewLog::parse(&i, day("2026-12-06")).unwrap_err();
        assert_eq!(e.0[0].code, "log.future");
        let l = NewLog::parse(
            &LogInput {
                served_on: "2026-03-01".into(),
                ..i
            },
            day("2026-12-06"),
        )
        .unwrap();
        assert_eq!(
            l.check_term(day("2026-04-01"), day("2026-12-31"))
                .unwrap_err()
                .0[0]
                .code,
            "log.outside_term"
        );
        l.check_term(day("2026-01-01"), day("2026-12-31")).unwrap();
    }

    #[test]
    fn towns_are_read_from_the_place() {
        assert_eq!(town_of("王屋镇愚公村"), "王屋镇");
        assert_eq!(town_of("天坛街道办事处"), "天坛街道");
        assert_eq!(town_of("济源国泰环保"), "济源国泰环保");
    }

    #[test]
    fn ages_count_whole_years() {
        assert_eq!(age_on(day("1981-12-07"), day("2026-12-06")), 44);
        assert_eq!(age_on(day("1981-12-06"), day("2026-12-06")), 45);
    }

    #[test]
    fn phones_are_masked_like_ruoyi() {
        assert_eq!(mask_phone("13812345678"), "138****5678");
        assert_eq!(mask_phone("123"), "***");
    }

    #[test]
    fn a_commissioner_names_its_person_or_team() {
        let e = NewCommissioner::parse(&CommissionerInput {
            kind: "team".into(),
            org_id: 1,
            funding: "省资助".into(),
            field: "果树学".into(),
            year: 2026,
            term_from: "2026-01-01".into(),
            term_to: "2025-12-31".into(),
            ..Default::default()
        })
        .unwrap_err();
        let codes: Vec<&str> = e.0.iter().map(|f| f.code.as_str()).collect();
        assert!(codes.contains(&"person_id.required"), "{codes:?}");
        assert!(codes.contains(&"name.required"), "{codes:?}");
        assert!(codes.contains(&"term.order"), "{codes:?}");
    }

    #[test]
    fn the_match_explains_itself_and_skips_strangers() {
        let d = NewDemand {
            org_id: 1,
            title: "新材料研发工程师".into(),
            field: "材料科学".into(),
            keywords: vec!["稀土".into(), "合金".into()],
            education: None,
            title_level: Some(crate::person::TitleLevel::Senior),
            count: 1,
            description: "x".into(),
            deadline: day("2027-01-01"),
        };
        let people = vec![
            Candidate {
                person_id: 1,
                name: "甲".into(),
                org_name: None,
                title: Some("教授".into()),
                title_level: Some("senior".into()),
                disciplines: vec!["材料科学与工程".into()],
                keywords: vec!["稀土合金".into()],
                tier: Some("C类 地方级领军人才".into()),
                region_code: "419001".into(),
            },
            Candidate {
                person_id: 2,
                name: "乙".into(),
                org_name: None,
                title: None,
                title_level: None,
                disciplines: vec!["果树学".into()],
                keywords: vec![],
                tier: None,
                region_code: "419001".into(),
            },
        ];
        let m = match_demand(&d, "419001", &people);
        assert_eq!(m.len(), 1);
        assert_eq!(m[0].person_id, 1);
        assert_eq!(m[0].score, 40 + 30 + 15 + 10 + 5);
        assert!(
            m[0].reasons.iter().any(|r| r.contains("稀土")),
            "{:?}",
            m[0].reasons
        );
    }
}
