//! 专家评审 (expert review): review rounds that attach to any reviewable object, their scoring
//! forms, and the expert pool's own fields (load limit, availability, co-memberships for
//! 回避 / conflict-of-interest checks).

use crate::error::{Collector, FieldError, Invalid};
use crate::region::RegionCode;
use serde::{Deserialize, Serialize};

labeled_enum!(
    /// What a review round judges. Every later workflow reuses rounds with its own kind.
    ObjectKind, "object_kind", "评审对象类型", {
        Application => ("application", "项目申报书"),
        Acceptance => ("acceptance", "项目验收报告"),
        Award => ("award", "奖励提名"),
        PlatformEvaluation => ("platform_evaluation", "平台绩效评价"),
        TalentApplication => ("talent_application", "人才认定申请"),
        Other => ("other", "其他"),
    }
);

labeled_enum!(
    /// 评审轮次状态: 草稿 (items and assignment being prepared) → 已发布 (experts score) → 已结束.
    RoundStatus, "status", "评审状态", {
        Draft => ("draft", "准备中"),
        Published => ("published", "评审中"),
        Closed => ("closed", "已结束"),
    }
);

labeled_enum!(
    /// One reviewer's assignment.
    AssignmentStatus, "status", "评审任务状态", {
        Assigned => ("assigned", "待评审"),
        Submitted => ("submitted", "已提交"),
        Declined => ("declined", "已回避/拒绝"),
    }
);

labeled_enum!(
    /// How an assignment came about.
    AssignmentMethod, "method", "分配方式", {
        Optimal => ("optimal", "最优匹配"),
        Random => ("random", "随机抽取"),
        Manual => ("manual", "人工调整"),
        Replacement => ("replacement", "递补"),
    }
);

labeled_enum!(
    /// A past co-membership used for 回避: sharing a project or a paper within N years.
    LinkKind, "kind", "关联类型", {
        Project => ("project", "共同承担项目"),
        Paper => ("paper", "合作论文"),
    }
);

/// One criterion of a scoring form (评分表), e.g. 技术创新性, 0–30 分.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, utoipa::ToSchema)]
pub struct Criterion {
    /// Stable key, e.g. `innovation`.
    pub key: String,
    /// 指标名称
    pub label: String,
    /// 满分
    pub max: u32,
    /// 评分要点: what earns the points, shown to the expert beside the criterion.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub guide: Option<String>,
}

/// A review round as received on the wire.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
pub struct RoundInput {
    pub title: String,
    /// `application` | `acceptance` | `award` | `platform_evaluation` | `other` (or the Chinese label)
    pub object_kind: String,
    /// The organizing bureau's region (GB/T 2260); defaults to the caller's region.
    #[serde(default)]
    pub region: Option<String>,
    /// Reviewers per item (每项评审专家数).
    pub reviewers_per_item: u32,
    /// Most items one expert reviews in this round.
    pub max_load: u32,
    /// Co-authors / co-members within this many years are excluded (default 3).
    #[serde(default)]
    pub coauthor_years: Option<u32>,
    /// Exclude experts from the applicant's own county (同县回避).
    #[serde(default)]
    pub exclude_same_county: bool,
    /// Deadline for scores (YYYY-MM-DD).
    #[serde(default)]
    pub due_on: Option<String>,
    pub form: Vec<Criterion>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct NewRound {
    pub title: String,
    pub object_kind: ObjectKind,
    pub region: Option<RegionCode>,
    pub reviewers_per_item: u32,
    pub max_load: u32,
    pub coauthor_years: u32,
    pub exclude_same_county: bool,
    pub due_on: Option<chrono::NaiveDate>,
    pub form: Vec<Criterion>,
}

fn text(c: &mut Collector, field: &str, label: &str, v: &str, max: usize) -> String {
    let t = v.trim().to_owned();
    if t.is_empty() || t.chars().count() > max {
        c.push(FieldError::new(
            field,
            &format!("{field}.required"),
            format!("{label}不能为空且不超过{max}个字"),
        ));
    }
    t
}

fn date(c: &mut Collector, field: &str, v: &Option<String>) -> Option<chrono::NaiveDate> {
    let s = v.as_deref().map(str::trim).filter(|s| !s.is_empty())?;
    match chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        Ok(d) => Some(d),
        Err(_) => {
            c.push(FieldError::new(
                field,
                &format!("{field}.format"),
                format!("日期“{s}”格式应为 YYYY-MM-DD"),
            ));
            None
        }
    }
}

impl NewRound {
    pub fn parse(i: &RoundInput) -> Result<Self, Invalid> {
        let mut c = Collector::default();
        let title = text(&mut c, "title", "评审名称", &i.title, 100);
        let object_kind = c.take(ObjectKind::parse(&i.object_kind));
        let region = match i.region.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            Some(s) => c.take(RegionCode::parse_known(s)).map(Some),
            None => Some(None),
        };
        if !(1..=15).contains(&i.reviewers_per_item) {
            c.push(FieldError::new(
                "reviewers_per_item",
                "reviewers_per_item.range",
                "每项评审专家数应在1至15之间",
            ));
        }
        if !(1..=500).contains(&i.max_load) {
            c.push(FieldError::new(
                "max_load",
                "max_load.range",
                "每位专家评审数量上限应在1至500之间",
            ));
        }
        let coauthor_years = i.coauthor_years.unwrap_or(3);
        if coauthor_years > 20 {
            c.push(FieldError::new(
                "coauthor_years",
                "coauthor_years.range",
                "合作回避年限不超过20年",
            ));
        }
        let due_on = date(&mut c, "due_on", &i.due_on);
        if i.form.is_empty() || i.form.len() > 20 {
            c.push(FieldError::new(
                "form",
                "form.size",
                "评分表应有1至20项评分指标",
            ));
        }
        let mut keys = std::collections::BTreeSet::new();
        let mut form = Vec::with_capacity(i.form.len());
        for (n, cr) in i.form.iter().enumerate() {
            let field = format!("form[{n}]");
            let key = cr.key.trim().to_owned();
            let ok_key = !key.is_empty()
                && key.len() <= 40
                && key
                    .chars()
                    .all(|ch| ch.is_ascii_alphanumeric() || ch == '_');
            if !ok_key || !keys.insert(key.clone()) {
                c.push(FieldError::new(
                    &field,
                    "form.key",
                    format!(
                        "第{}项评分指标的标识须为不重复的英文字母、数字或下划线",
                        n + 1
                    ),
                ));
            }
            let label = text(&mut c, &field, "评分指标名称", &cr.label, 40);
            if !(1..=100).contains(&cr.max) {
                c.push(FieldError::new(
                    &field,
                    "form.max",
                    format!("第{}项评分指标的满分应在1至100之间", n + 1),
                ));
            }
            let guide = cr
                .guide
                .as_deref()
                .map(str::trim)
                .filter(|g| !g.is_empty())
                .map(str::to_owned);
            if guide.as_ref().is_some_and(|g| g.chars().count() > 500) {
                c.push(FieldError::new(
                    &field,
                    "form.guide",
                    format!("第{}项评分指标的评分要点不超过500字", n + 1),
                ));
            }
            form.push(Criterion {
                key,
                label,
                max: cr.max,
                guide,
            });
        }
        match (object_kind, region) {
            (Some(object_kind), Some(region)) if c.is_empty() => Ok(Self {
                title,
                object_kind,
                region,
                reviewers_per_item: i.reviewers_per_item,
                max_load: i.max_load,
                coauthor_years,
                exclude_same_county: i.exclude_same_county,
                due_on,
                form,
            }),
            _ => c.finish().and(Err(Invalid(vec![]))),
        }
    }
}

/// One object to review, as received on the wire.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
pub struct ItemInput {
    /// 名称 (e.g. the project title)
    pub title: String,
    /// The reviewed object's id in its own module (application number, nomination id ...).
    #[serde(default)]
    pub object_ref: Option<String>,
    /// 申报单位
    #[serde(default)]
    pub org_id: Option<i64>,
    /// 学科领域
    #[serde(default)]
    pub disciplines: Vec<String>,
    /// 关键词
    #[serde(default)]
    pub keywords: Vec<String>,
    /// Team members (person ids), for co-membership 回避.
    #[serde(default)]
    pub team: Vec<i64>,
    /// Experts the applicant asks to avoid (申请回避专家, at most 3, person ids).
    #[serde(default)]
    pub avoid: Vec<i64>,
}

impl ItemInput {
    pub fn validate(&self, row: usize) -> Result<(), Invalid> {
        let mut c = Collector::default();
        let f = |s: &str| format!("items[{row}].{s}");
        let t = self.title.trim();
        if t.is_empty() || t.chars().count() > 200 {
            c.push(FieldError::new(
                &f("title"),
                "title.required",
                "评审对象名称不能为空且不超过200个字",
            ));
        }
        if self.avoid.len() > 3 {
            c.push(FieldError::new(
                &f("avoid"),
                "avoid.too_many",
                "申请回避的专家最多3名",
            ));
        }
        if self.disciplines.len() + self.keywords.len() > 40 || self.team.len() > 50 {
            c.push(FieldError::new(
                &f("keywords"),
                "keywords.too_many",
                "学科和关键词合计不超过40项，团队成员不超过50人",
            ));
        }
        c.finish()
    }
}

/// Scores of one reviewer for one item, validated against the round's form.
pub fn validate_scores(
    form: &[Criterion],
    scores: &std::collections::BTreeMap<String, f64>,
) -> Result<f64, Invalid> {
    let mut c = Collector::default();
    let mut total = 0.0;
    for cr in form {
        match scores.get(&cr.key) {
            None => c.push(FieldError::new(
                &format!("scores.{}", cr.key),
                "scores.missing",
                format!("请为“{}”打分", cr.label),
            )),
            Some(v) if !v.is_finite() || *v < 0.0 || *v > f64::from(cr.max) => {
                c.push(FieldError::new(
                    &format!("scores.{}", cr.key),
                    "scores.range",
                    format!("“{}”的分数应在0至{}之间", cr.label, cr.max),
                ))
            }
            Some(v) if (v * 10.0).fract().abs() > 1e-9 => c.push(FieldError::new(
                &format!("scores.{}", cr.key),
                "scores.precision",
                format!("“{}”的分数最多保留一位小数", cr.label),
            )),
            Some(v) => total += v,
        }
    }
    for k in scores.keys() {
        if !form.iter().any(|cr| &cr.key == k) {
            c.push(FieldError::new(
                &format!("scores.{k}"),
                "scores.unknown",
                format!("评分表中没有“{k}”这一项"),
            ));
        }
    }
    c.finish()?;
    Ok((total * 10.0).round() / 10.0)
}

/// Expertise affinity (专业匹配度) of an expert for an item, in millionths of [0, 1].
///
/// `0.4 × discipline overlap + 0.6 × keyword overlap`, where discipline overlap is the share of
/// the item's disciplines the expert has, and keyword overlap is the set cosine
/// `|K_item ∩ K_expert| / sqrt(|K_item| · |K_expert|)`. Two terms match when equal, or count
/// half when one contains the other (新材料 / 新材料制备). An expert with affinity 0 shares no
/// discipline and no keyword: not qualified (不具备评审资格) for the item.
pub fn affinity_micro(
    item_disciplines: &[String],
    item_keywords: &[String],
    expert_disciplines: &[String],
    expert_keywords: &[String],
) -> i64 {
    fn matched(a: &str, bs: &[String]) -> f64 {
        let a = a.trim();
        if a.is_empty() {
            return 0.0;
        }
        let mut best: f64 = 0.0;
        for b in bs {
            let b = b.trim();
            if b.is_empty() {
                continue;
            }
            if a == b {
                return 1.0;
            }
            if a.contains(b) || b.contains(a) {
                best = best.max(0.5);
            }
        }
        best
    }
    let d = if item_disciplines.is_empty() {
        0.0
    } else {
        item_disciplines
            .iter()
            .map(|x| matched(x, expert_disciplines))
            .sum::<f64>()
            / item_disciplines.len() as f64
    };
    let k = if item_keywords.is_empty() || expert_keywords.is_empty() {
        0.0
    } else {
        item_keywords
            .iter()
            .map(|x| matched(x, expert_keywords))
            .sum::<f64>()
            / ((item_keywords.len() * expert_keywords.len()) as f64).sqrt()
    };
    let v = (0.4 * d + 0.6 * k.min(1.0)).clamp(0.0, 1.0);
    (v * 1e6).round() as i64
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn input() -> RoundInput {
        RoundInput {
            title: "2026年度重点研发专项评审".into(),
            object_kind: "项目申报书".into(),
            region: Some("419001".into()),
            reviewers_per_item: 3,
            max_load: 8,
            coauthor_years: None,
            exclude_same_county: false,
            due_on: Some("2026-12-31".into()),
            form: vec![
                Criterion {
                    key: "innovation".into(),
                    label: "技术创新性".into(),
                    max: 40,
                    guide: None,
                },
                Criterion {
                    key: "feasibility".into(),
                    label: "可行性".into(),
                    max: 60,
                    guide: None,
                },
            ],
        }
    }

    #[test]
    fn parses_a_round_with_chinese_labels_and_defaults() {
        let r = NewRound::parse(&input()).unwrap();
        assert_eq!(r.object_kind, ObjectKind::Application);
        assert_eq!(r.coauthor_years, 3);
        assert_eq!(r.due_on.unwrap().to_string(), "2026-12-31");
    }

    #[test]
    fn reports_every_bad_field() {
        let mut i = input();
        i.title = " ".into();
        i.reviewers_per_item = 0;
        i.max_load = 0;
        i.due_on = Some("2026/12/31".into());
        i.form[1].key = "innovation".into();
        i.form[0].max = 0;
        let e = NewRound::parse(&i).unwrap_err();
        let codes: Vec<&str> = e.0.iter().map(|f| f.code.as_str()).collect();
        for want in [
            "title.required",
            "reviewers_per_item.range",
            "max_load.range",
            "due_on.format",
            "form.key",
            "form.max",
        ] {
            assert!(codes.contains(&want), "{want} missing in {codes:?}");
        }
    }

    #[test]
    fn scores_are_checked_against_the_form() {
        let form = input().form;
        let mut s = std::collections::BTreeMap::new();
        s.insert("innovation".to_owned(), 35.5);
        s.insert("feasibility".to_owned(), 50.0);
        assert_eq!(validate_scores(&form, &s).unwrap(), 85.5);
        s.insert("feasibility".to_owned(), 61.0);
        s.insert("extra".to_owned(), 1.0);
        s.insert("innovation".to_owned(), 1.25);
        let e = validate_scores(&form, &s).unwrap_err();
        let codes: Vec<&str> = e.0.iter().map(|f| f.code.as_str()).collect();
        assert_eq!(
            codes,
            ["scores.precision", "scores.range", "scores.unknown"]
        );
        s.remove("innovation");
        let e = validate_scores(&form, &s).unwrap_err();
        assert!(e.0.iter().any(|f| f.code == "scores.missing"));
    }

    #[test]
    fn affinity_rewards_shared_disciplines_and_keywords() {
        let v = |x: &[&str]| x.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
        let item_d = v(&["材料科学"]);
        let item_k = v(&["高温合金", "粉末冶金", "增材制造", "热处理"]);
        // Same discipline, 2 of 4 keywords equal, expert has 4 keywords: 0.4 + 0.6 * 2/4.
        let full = affinity_micro(
            &item_d,
            &item_k,
            &v(&["材料科学"]),
            &v(&["高温合金", "粉末冶金", "锂电池", "光伏"]),
        );
        assert_eq!(full, 700_000);
        // A containing keyword counts half: 0.6 * 0.5 / sqrt(4 * 1).
        let partial = affinity_micro(&item_d, &item_k, &v(&["化学"]), &v(&["高温合金材料"]));
        assert_eq!(partial, 150_000);
        assert_eq!(
            affinity_micro(&item_d, &item_k, &v(&["农学"]), &v(&["小麦育种"])),
            0
        );
        assert_eq!(affinity_micro(&[], &[], &v(&["农学"]), &v(&["小麦"])), 0);
    }

    #[test]
    fn at_most_three_avoided_experts() {
        let i = ItemInput {
            title: "x".into(),
            avoid: vec![1, 2, 3, 4],
            ..Default::default()
        };
        assert_eq!(i.validate(0).unwrap_err().0[0].code, "avoid.too_many");
    }
}
