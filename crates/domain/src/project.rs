//! 科技计划项目 (science-plan projects): calls (指南/榜单) with their organizing mode, and the
//! state machine of an application from draft to closure. The allowed transitions, and who
//! may take each, are data ([`TRANSITIONS`]); every other move is refused with the list of
//! what is allowed from where the application stands.

use crate::error::{Collector, FieldError, Invalid};
use crate::region::RegionCode;
use serde::{Deserialize, Serialize};

labeled_enum!(
    /// 组织方式.
    OrganizingMode, "mode", "组织方式", {
        OpenCompetition => ("open_competition", "公开竞争"),
        Directed => ("directed", "定向委托"),
        Challenge => ("challenge", "揭榜挂帅"),
        HorseRace => ("horse_race", "赛马"),
        Rolling => ("rolling", "滚动支持"),
    }
);

labeled_enum!(
    /// 申报与项目状态.
    AppStatus, "status", "项目状态", {
        Draft => ("draft", "草稿"),
        Submitted => ("submitted", "已提交"),
        FormalCheck => ("formal_check", "形式审查"),
        Returned => ("returned", "退回修改"),
        ExpertReview => ("expert_review", "专家评审"),
        Panel => ("panel", "会审决策"),
        Approved => ("approved", "已立项"),
        Rejected => ("rejected", "未立项"),
        Contracted => ("contracted", "已签任务书"),
        InProgress => ("in_progress", "执行中"),
        MidTerm => ("mid_term", "中期检查"),
        Acceptance => ("acceptance", "验收中"),
        Closed => ("closed", "已结题"),
        Withdrawn => ("withdrawn", "已撤回"),
        Terminated => ("terminated", "已终止"),
    }
);

labeled_enum!(
    /// Who acts on an application.
    Actor, "actor", "操作角色", {
        Applicant => ("applicant", "申报单位"),
        Officer => ("officer", "科技局业务人员"),
    }
);

use AppStatus as S;

/// One allowed move: from, action, to, who may take it, and its Chinese name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Transition {
    pub from: AppStatus,
    pub action: &'static str,
    pub to: AppStatus,
    pub actor: Actor,
    pub label: &'static str,
    /// The reason is required (returns, rejections, terminations, withdrawals).
    pub needs_reason: bool,
}

const fn t(
    from: AppStatus,
    action: &'static str,
    to: AppStatus,
    actor: Actor,
    label: &'static str,
    needs_reason: bool,
) -> Transition {
    Transition {
        from,
        action,
        to,
        actor,
        label,
        needs_reason,
    }
}

/// The state machine of a plan project, from application to closure.
pub const TRANSITIONS: &[Transition] = &[
    t(
        S::Draft,
        "submit",
        S::Submitted,
        Actor::Applicant,
        "提交申报（一次报送）",
        false,
    ),
    t(
        S::Returned,
        "submit",
        S::Submitted,
        Actor::Applicant,
        "修改后重新提交",
        false,
    ),
    t(
        S::Draft,
        "withdraw",
        S::Withdrawn,
        Actor::Applicant,
        "撤回",
        true,
    ),
    t(
        S::Submitted,
        "withdraw",
        S::Withdrawn,
        Actor::Applicant,
        "撤回",
        true,
    ),
    t(
        S::Returned,
        "withdraw",
        S::Withdrawn,
        Actor::Applicant,
        "撤回",
        true,
    ),
    t(
        S::Submitted,
        "start_formal_check",
        S::FormalCheck,
        Actor::Officer,
        "开始形式审查",
        false,
    ),
    t(
        S::FormalCheck,
        "return",
        S::Returned,
        Actor::Officer,
        "退回修改",
        true,
    ),
    t(
        S::FormalCheck,
        "pass_formal_check",
        S::ExpertReview,
        Actor::Officer,
        "形式审查通过，进入专家评审",
        false,
    ),
    t(
        S::FormalCheck,
        "reject",
        S::Rejected,
        Actor::Officer,
        "形式审查不通过",
        true,
    ),
    t(
        S::ExpertReview,
        "to_panel",
        S::Panel,
        Actor::Officer,
        "提交会审",
        false,
    ),
    t(
        S::Panel,
        "approve",
        S::Approved,
        Actor::Officer,
        "批准立项",
        false,
    ),
    t(
        S::Panel,
        "reject",
        S::Rejected,
        Actor::Officer,
        "不予立项",
        true,
    ),
    t(
        S::Approved,
        "sign_contract",
        S::Contracted,
        Actor::Officer,
        "签订任务书",
        false,
    ),
    t(
        S::Contracted,
        "start",
        S::InProgress,
        Actor::Officer,
        "启动实施",
        false,
    ),
    t(
        S::InProgress,
        "mid_term",
        S::MidTerm,
        Actor::Officer,
        "开展中期检查",
        false,
    ),
    t(
        S::MidTerm,
        "continue",
        S::InProgress,
        Actor::Officer,
        "中期检查通过，继续实施",
        false,
    ),
    t(
        S::InProgress,
        "request_acceptance",
        S::Acceptance,
        Actor::Applicant,
        "申请验收",
        false,
    ),
    t(
        S::Acceptance,
        "close",
        S::Closed,
        Actor::Officer,
        "验收通过，结题",
        false,
    ),
    t(
        S::Acceptance,
        "return_acceptance",
        S::InProgress,
        Actor::Officer,
        "验收不通过，限期整改",
        true,
    ),
    t(
        S::Contracted,
        "terminate",
        S::Terminated,
        Actor::Officer,
        "终止项目",
        true,
    ),
    t(
        S::InProgress,
        "terminate",
        S::Terminated,
        Actor::Officer,
        "终止项目",
        true,
    ),
    t(
        S::MidTerm,
        "terminate",
        S::Terminated,
        Actor::Officer,
        "终止项目",
        true,
    ),
    // 赛马: teams funded in parallel; the staged evaluation eliminates the weaker ones.
    t(
        S::MidTerm,
        "eliminate",
        S::Terminated,
        Actor::Officer,
        "赛马阶段评价淘汰",
        true,
    ),
];

/// The move `action` by `actor` from `from`, or why it is refused.
pub fn transition(
    from: AppStatus,
    action: &str,
    actor: Actor,
) -> Result<&'static Transition, Invalid> {
    if let Some(tr) = TRANSITIONS
        .iter()
        .find(|t| t.from == from && t.action == action && t.actor == actor)
    {
        return Ok(tr);
    }
    let allowed: Vec<String> = TRANSITIONS
        .iter()
        .filter(|t| t.from == from && t.actor == actor)
        .map(|t| t.label.to_owned())
        .collect();
    Err(Invalid::one(
        "action",
        "transition.not_allowed",
        if allowed.is_empty() {
            format!(
                "项目当前为“{}”，{}不能进行任何操作",
                from.label(),
                actor.label()
            )
        } else {
            format!(
                "项目当前为“{}”，{}不能执行“{}”；可执行：{}",
                from.label(),
                actor.label(),
                TRANSITIONS
                    .iter()
                    .find(|t| t.action == action)
                    .map_or("该操作", |t| t.label),
                allowed.join("、")
            )
        },
    ))
}

/// The moves `actor` may take from `from`: what the UI offers, nothing else.
pub fn moves_from(from: AppStatus, actor: Actor) -> impl Iterator<Item = &'static Transition> {
    TRANSITIONS
        .iter()
        .filter(move |t| t.from == from && t.actor == actor)
}

/// Money is paid out between the signed 任务书 and closure; a closed, terminated or rejected
/// project gets nothing more.
pub fn may_disburse(s: AppStatus) -> bool {
    matches!(
        s,
        S::Contracted | S::InProgress | S::MidTerm | S::Acceptance
    )
}

/// Milestones are checked while the project runs and at acceptance.
pub fn may_check_milestone(s: AppStatus) -> bool {
    matches!(s, S::InProgress | S::MidTerm | S::Acceptance)
}

/// Statuses in which a project counts against its leader's limit of active projects.
pub fn is_active(s: AppStatus) -> bool {
    matches!(
        s,
        S::Approved | S::Contracted | S::InProgress | S::MidTerm | S::Acceptance
    )
}

/// Eligibility of a call, checked with the rules engine's stored results: the applicant must
/// be qualified by `pack` in the latest evaluated year up to the call's year.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, utoipa::ToSchema)]
pub struct Eligibility {
    /// e.g. `hnte` (高新技术企业认定) or `tech-sme`.
    pub pack: String,
    /// The boolean output that must hold (default `qualified`), e.g. `meets_measurable`.
    #[serde(default)]
    pub output: Option<String>,
    /// Text shown to applicants, e.g. "须为本市有效高新技术企业".
    pub description: String,
}

/// One extra item a call asks every application for (指南要求的申报书栏目), beyond the standard
/// form: e.g. 预期经济效益, 产学研合作情况.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, utoipa::ToSchema)]
pub struct FormField {
    /// Stable key of the answer (letters, digits, `_`; unique in the call).
    pub key: String,
    pub label: String,
    /// `text` (one line), `textarea` or `number`.
    #[serde(default = "text_kind")]
    pub kind: String,
    #[serde(default)]
    pub required: bool,
}

fn text_kind() -> String {
    "text".into()
}

/// The most extra items a call may ask for, and the longest answer.
pub const MAX_FORM_FIELDS: usize = 20;
pub const MAX_ANSWER_CHARS: usize = 2000;

fn check_form(c: &mut Collector, form: &[FormField]) {
    if form.len() > MAX_FORM_FIELDS {
        c.push(FieldError::new(
            "form",
            "form.too_many",
            format!("附加栏目最多{MAX_FORM_FIELDS}项"),
        ));
    }
    let mut seen = std::collections::HashSet::new();
    for (i, f) in form.iter().enumerate() {
        let field = format!("form[{i}]");
        let key_ok = !f.key.is_empty()
            && f.key.len() <= 40
            && f.key
                .chars()
                .all(|ch| ch.is_ascii_alphanumeric() || ch == '_');
        if !key_ok || !seen.insert(f.key.as_str()) {
            c.push(FieldError::new(
                &field,
                "form.key",
                format!("第{}项栏目的键须为字母、数字或下划线且不重复", i + 1),
            ));
        }
        if f.label.trim().is_empty() || f.label.chars().count() > 50 {
            c.push(FieldError::new(
                &field,
                "form.label",
                format!("第{}项栏目名称不能为空且不超过50个字", i + 1),
            ));
        }
        if !matches!(f.kind.as_str(), "text" | "textarea" | "number") {
            c.push(FieldError::new(
                &field,
                "form.kind",
                format!("第{}项栏目类型应为 text、textarea 或 number", i + 1),
            ));
        }
    }
}

/// Check answers against a call's extra items: no unknown keys, numbers are numbers, answers
/// not too long; with `complete`, every required item answered (at submission).
pub fn check_answers(
    form: &[FormField],
    answers: &std::collections::BTreeMap<String, String>,
    complete: bool,
) -> Result<(), Invalid> {
    let mut c = Collector::default();
    for (k, v) in answers {
        let field = format!("answers.{k}");
        let Some(f) = form.iter().find(|f| &f.key == k) else {
            c.push(FieldError::new(
                &field,
                "answers.unknown",
                format!("指南没有“{k}”这一栏目"),
            ));
            continue;
        };
        let v = v.trim();
        if v.chars().count() > MAX_ANSWER_CHARS {
            c.push(FieldError::new(
                &field,
                "answers.too_long",
                format!("“{}”不超过{MAX_ANSWER_CHARS}个字", f.label),
            ));
        }
        if f.kind == "number" && !v.is_empty() && v.parse::<rust_decimal::Decimal>().is_err() {
            c.push(FieldError::new(
                &field,
                "answers.number",
                format!("“{}”应填写数字", f.label),
            ));
        }
    }
    if complete {
        for f in form.iter().filter(|f| f.required) {
            if answers.get(&f.key).is_none_or(|v| v.trim().is_empty()) {
                c.push(FieldError::new(
                    &format!("answers.{}", f.key),
                    "answers.required",
                    format!("请填写“{}”（本指南要求）", f.label),
                ));
            }
        }
    }
    c.finish()
}

/// A call (指南/榜单) as received on the wire.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[schema(as = ProjectCallInput)]
pub struct CallInput {
    pub title: String,
    /// 计划类别, e.g. 科技攻关, 重大科技专项
    pub category: String,
    pub mode: String,
    /// Organizing region (default: the caller's).
    #[serde(default)]
    pub region: Option<String>,
    /// Total budget in yuan (decimal text).
    pub budget: String,
    pub opens_on: String,
    pub closes_on: String,
    #[serde(default)]
    pub eligibility: Option<Eligibility>,
    /// 揭榜挂帅: the posted technical target and the reward (yuan).
    #[serde(default)]
    pub challenge_target: Option<String>,
    #[serde(default)]
    pub challenge_reward: Option<String>,
    /// Most active projects one leader may hold (default 2).
    #[serde(default)]
    pub max_active_per_leader: Option<u32>,
    /// 定向委托: the organizations the call is addressed to (required for that mode only).
    #[serde(default)]
    pub designated_orgs: Vec<i64>,
    /// Extra items every application must answer.
    #[serde(default)]
    pub form: Vec<FormField>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct NewCall {
    pub title: String,
    pub category: String,
    pub mode: OrganizingMode,
    pub region: Option<RegionCode>,
    pub budget_fen: i64,
    pub opens_on: chrono::NaiveDate,
    pub closes_on: chrono::NaiveDate,
    pub eligibility: Option<Eligibility>,
    pub challenge_target: Option<String>,
    pub challenge_reward_fen: Option<i64>,
    pub max_active_per_leader: u32,
    /// 定向委托: the designated organizations (empty for every other mode).
    pub designated_orgs: Vec<i64>,
    pub form: Vec<FormField>,
}

fn money(c: &mut Collector, field: &str, label: &str, v: &str) -> Option<i64> {
    match crate::money::parse_yuan(field, label, v, true) {
        Ok(d) => match crate::money::to_fen(d) {
            Some(f) if f >= 0 => Some(f),
            _ => {
                c.push(FieldError::new(
                    field,
                    &format!("{field}.range"),
                    format!("{label}超出范围"),
                ));
                None
            }
        },
        Err(Invalid(es)) => {
            for e in es {
                c.push(e);
            }
            None
        }
    }
}

fn date(c: &mut Collector, field: &str, label: &str, v: &str) -> Option<chrono::NaiveDate> {
    match chrono::NaiveDate::parse_from_str(v.trim(), "%Y-%m-%d") {
        Ok(d) => Some(d),
        Err(_) => {
            c.push(FieldError::new(
                field,
                &format!("{field}.format"),
                format!("{label}格式应为 YYYY-MM-DD"),
            ));
            None
        }
    }
}

impl NewCall {
    pub fn parse(i: &CallInput) -> Result<Self, Invalid> {
        let mut c = Collector::default();
        let title = i.title.trim().to_owned();
        if title.is_empty() || title.chars().count() > 200 {
            c.push(FieldError::new(
                "title",
                "title.required",
                "指南名称不能为空且不超过200个字",
            ));
        }
        let category = i.category.trim().to_owned();
        if category.is_empty() || category.chars().count() > 50 {
            c.push(FieldError::new(
                "category",
                "category.required",
                "计划类别不能为空且不超过50个字",
            ));
        }
        let mode = c.take(OrganizingMode::parse(&i.mode));
        let region = match i.region.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            Some(s) => c.take(RegionCode::parse_known(s)).map(Some),
            None => Some(None),
        };
        let budget_fen = money(&mut c, "budget", "总预算", &i.budget);
        let opens_on = date(&mut c, "opens_on", "申报开始日期", &i.opens_on);
        let closes_on = date(&mut c, "closes_on", "申报截止日期", &i.closes_on);
        if let (Some(a), Some(b)) = (opens_on, closes_on)
            && b < a
        {
            c.push(FieldError::new(
                "closes_on",
                "closes_on.before_opens",
                "截止日期不能早于开始日期",
            ));
        }
        let challenge_target = i
            .challenge_target
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned);
        let challenge_reward_fen = match i
            .challenge_reward
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            Some(v) => money(&mut c, "challenge_reward", "揭榜奖励", v),
            None => None,
        };
        if mode == Some(OrganizingMode::Challenge) && challenge_target.is_none() {
            c.push(FieldError::new(
                "challenge_target",
                "challenge_target.required",
                "揭榜挂帅须写明榜单的技术指标（揭榜目标）",
            ));
        }
        if let Some(e) = &i.eligibility
            && e.pack.trim().is_empty()
        {
            c.push(FieldError::new(
                "eligibility",
                "eligibility.pack",
                "请选择资格条件所用的政策包",
            ));
        }
        let mut designated_orgs = i.designated_orgs.clone();
        designated_orgs.sort_unstable();
        designated_orgs.dedup();
        match (mode, designated_orgs.is_empty()) {
            (Some(OrganizingMode::Directed), true) => c.push(FieldError::new(
                "designated_orgs",
                "designated_orgs.required",
                "定向委托须指定承担单位",
            )),
            (Some(m), false) if m != OrganizingMode::Directed => c.push(FieldError::new(
                "designated_orgs",
                "designated_orgs.not_directed",
                "只有定向委托指南可以指定承担单位",
            )),
            _ => {}
        }
        check_form(&mut c, &i.form);
        let max_active_per_leader = i.max_active_per_leader.unwrap_or(2);
        if !(1..=10).contains(&max_active_per_leader) {
            c.push(FieldError::new(
                "max_active_per_leader",
                "max_active_per_leader.range",
                "负责人在研项目上限应在1至10之间",
            ));
        }
        match (mode, region, budget_fen, opens_on, closes_on) {
            (Some(mode), Some(region), Some(budget_fen), Some(opens_on), Some(closes_on))
                if c.is_empty() =>
            {
                Ok(Self {
                    title,
                    category,
                    mode,
                    region,
                    budget_fen,
                    opens_on,
                    closes_on,
                    eligibility: i.eligibility.clone(),
                    challenge_target,
                    challenge_reward_fen,
                    max_active_per_leader,
                    designated_orgs,
                    form: i.form.clone(),
                })
            }
            _ => c.finish().and(Err(Invalid(vec![]))),
        }
    }
}

/// One budget line (预算科目).
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, utoipa::ToSchema)]
pub struct BudgetLine {
    pub item: String,
    /// Yuan, decimal text.
    pub amount: String,
}

/// One milestone with a measurable target (里程碑).
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, utoipa::ToSchema)]
pub struct Milestone {
    pub title: String,
    pub due_on: String,
    /// 可考核指标
    pub target: String,
}

/// An application as received on the wire (saved as a draft; checked fully at submission).
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
pub struct ApplicationInput {
    pub call_id: i64,
    pub title: String,
    /// The applying organization (an enterprise account's own).
    pub org_id: i64,
    /// 项目负责人 (person id)
    pub leader_id: i64,
    #[serde(default)]
    pub team: Vec<i64>,
    /// 包干制: one lump sum instead of itemized lines.
    #[serde(default)]
    pub lump_sum: bool,
    #[serde(default)]
    pub budget: Vec<BudgetLine>,
    #[serde(default)]
    pub milestones: Vec<Milestone>,
    /// 学科领域 and 关键词, for matching reviewers.
    #[serde(default)]
    pub disciplines: Vec<String>,
    #[serde(default)]
    pub keywords: Vec<String>,
    /// 科研诚信承诺
    #[serde(default)]
    pub integrity_pledge: bool,
    /// Human subjects, animals or genetic resources involved (需伦理审查).
    #[serde(default)]
    pub ethics_required: bool,
    /// 伦理审查备案号
    #[serde(default)]
    pub ethics_registration: Option<String>,
    /// 滚动支持: the earlier project of the same organization this one follows on from (closed,
    /// rated 优秀 or 良好).
    #[serde(default)]
    pub predecessor_id: Option<i64>,
    /// Answers to the call's extra items, by key.
    #[serde(default)]
    pub answers: std::collections::BTreeMap<String, String>,
}

impl ApplicationInput {
    /// What a draft must satisfy: only the limits of what can be stored. A draft saves whatever
    /// has been entered (an empty budget, an amount not yet typed); completeness is
    /// [`ApplicationInput::validate`]'s, at submission. Returns the budget total in fen of the
    /// amounts that are valid so far.
    pub fn validate_draft(&self) -> Result<i64, Invalid> {
        let mut c = Collector::default();
        if self.title.trim().chars().count() > 200 {
            c.push(FieldError::new(
                "title",
                "title.too_long",
                "项目名称不超过200个字",
            ));
        }
        if self.team.len() > 50 {
            c.push(FieldError::new(
                "team",
                "team.too_many",
                "项目组成员不超过50人",
            ));
        }
        if self.budget.len() > 30 {
            c.push(FieldError::new(
                "budget",
                "budget.too_many",
                "预算不超过30项",
            ));
        }
        if self.milestones.len() > 20 {
            c.push(FieldError::new(
                "milestones",
                "milestones.too_many",
                "里程碑不超过20个",
            ));
        }
        if self.disciplines.len() + self.keywords.len() > 30 {
            c.push(FieldError::new(
                "keywords",
                "keywords.too_many",
                "学科和关键词合计不超过30项",
            ));
        }
        let too_long = self
            .budget
            .iter()
            .any(|l| l.item.chars().count() > 100 || l.amount.chars().count() > 40)
            || self.milestones.iter().any(|m| {
                m.title.chars().count() > 200
                    || m.target.chars().count() > 1000
                    || m.due_on.chars().count() > 20
            });
        if too_long {
            c.push(FieldError::new(
                "budget",
                "draft.too_long",
                "预算科目或里程碑内容过长",
            ));
        }
        c.finish()?;
        Ok(self
            .budget
            .iter()
            .filter_map(|l| {
                let mut scratch = Collector::default();
                money(&mut scratch, "amount", "预算金额", &l.amount)
            })
            .fold(0i64, i64::saturating_add))
    }

    /// Everything a submission needs, each problem on its field (`title`, `leader_id`,
    /// `budget[0].amount`, `milestones`, `integrity_pledge` …): the form can mark and scroll
    /// to every one at once.
    pub fn validate_for_submission(&self) -> Result<i64, Invalid> {
        let mut c = Collector::default();
        let total = c.take(self.validate());
        if self.leader_id <= 0 {
            c.push(FieldError::new(
                "leader_id",
                "leader.required",
                "请选择项目负责人",
            ));
        }
        if self.milestones.is_empty() {
            c.push(FieldError::new(
                "milestones",
                "milestones.required",
                "请至少填写一个里程碑及其可考核指标",
            ));
        }
        if !self.integrity_pledge {
            c.push(FieldError::new(
                "integrity_pledge",
                "integrity.pledge",
                "提交前须签署科研诚信承诺书",
            ));
        }
        c.finish()?;
        Ok(total.unwrap_or(0))
    }

    /// Checks that do not need the database; returns the total budget in fen.
    pub fn validate(&self) -> Result<i64, Invalid> {
        let mut c = Collector::default();
        let t = self.title.trim();
        if t.is_empty() || t.chars().count() > 200 {
            c.push(FieldError::new(
                "title",
                "title.required",
                "项目名称不能为空且不超过200个字",
            ));
        }
        if self.team.len() > 50 {
            c.push(FieldError::new(
                "team",
                "team.too_many",
                "项目组成员不超过50人",
            ));
        }
        let mut total = 0i64;
        if self.budget.is_empty() || self.budget.len() > 30 {
            c.push(FieldError::new(
                "budget",
                "budget.required",
                "请填写预算（1至30项）",
            ));
        }
        if self.lump_sum && self.budget.len() > 1 {
            c.push(FieldError::new(
                "budget",
                "budget.lump_sum",
                "包干制只填一项总额",
            ));
        }
        for (n, l) in self.budget.iter().enumerate() {
            if l.item.trim().is_empty() {
                c.push(FieldError::new(
                    &format!("budget[{n}].item"),
                    "budget.item",
                    format!("第{}项预算科目不能为空", n + 1),
                ));
            }
            let label = format!("第{}项预算金额", n + 1);
            let field = format!("budget[{n}].amount");
            if l.amount.trim().is_empty() {
                c.push(FieldError::new(
                    &field,
                    "budget.amount_required",
                    format!("{label}未填写"),
                ));
            } else if let Some(v) = money(&mut c, &field, &label, &l.amount) {
                total = total.saturating_add(v);
            }
        }
        if self.disciplines.len() + self.keywords.len() > 30 {
            c.push(FieldError::new(
                "keywords",
                "keywords.too_many",
                "学科和关键词合计不超过30项",
            ));
        }
        if self.milestones.len() > 20 {
            c.push(FieldError::new(
                "milestones",
                "milestones.too_many",
                "里程碑不超过20个",
            ));
        }
        for (n, m) in self.milestones.iter().enumerate() {
            let f = format!("milestones[{n}]");
            if m.title.trim().is_empty() || m.target.trim().is_empty() {
                c.push(FieldError::new(
                    &f,
                    "milestone.required",
                    format!("第{}个里程碑须有名称和可考核指标", n + 1),
                ));
            }
            date(&mut c, &f, "里程碑日期", &m.due_on);
        }
        c.finish()?;
        Ok(total)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn every_status_but_the_final_ones_has_a_way_out() {
        for s in AppStatus::ALL {
            let finals = [S::Closed, S::Rejected, S::Withdrawn, S::Terminated];
            let out = TRANSITIONS.iter().any(|t| t.from == *s);
            assert_eq!(out, !finals.contains(s), "{s}");
        }
        // Every status is reachable from a draft.
        let mut seen = vec![S::Draft];
        let mut i = 0;
        while i < seen.len() {
            let cur = seen[i];
            for t in TRANSITIONS.iter().filter(|t| t.from == cur) {
                if !seen.contains(&t.to) {
                    seen.push(t.to);
                }
            }
            i += 1;
        }
        assert_eq!(seen.len(), AppStatus::ALL.len());
    }

    #[test]
    fn illegal_moves_say_what_is_allowed() {
        assert_eq!(
            transition(S::Draft, "submit", Actor::Applicant).unwrap().to,
            S::Submitted
        );
        let e = transition(S::Draft, "approve", Actor::Officer).unwrap_err();
        assert_eq!(e.0[0].code, "transition.not_allowed");
        let e = transition(S::Submitted, "approve", Actor::Applicant).unwrap_err();
        assert!(e.0[0].message.contains("撤回"), "{}", e.0[0].message);
        assert!(transition(S::Panel, "approve", Actor::Applicant).is_err());
    }

    #[test]
    fn a_call_s_extra_items_are_checked_and_answered() {
        let f = |key: &str, kind: &str, required: bool| FormField {
            key: key.into(),
            label: format!("栏目{key}"),
            kind: kind.into(),
            required,
        };
        let mut i = CallInput {
            title: "t".into(),
            category: "c".into(),
            mode: "公开竞争".into(),
            budget: "1".into(),
            opens_on: "2026-01-01".into(),
            closes_on: "2026-02-01".into(),
            form: vec![f("benefit", "number", true), f("benefit", "date", false)],
            ..Default::default()
        };
        let codes: Vec<String> = NewCall::parse(&i)
            .unwrap_err()
            .0
            .into_iter()
            .map(|e| e.code)
            .collect();
        assert_eq!(codes, ["form.key", "form.kind"]);
        i.form = vec![f("benefit", "number", true), f("coop", "textarea", false)];
        let form = NewCall::parse(&i).unwrap().form;
        let answers = |kv: &[(&str, &str)]| -> std::collections::BTreeMap<String, String> {
            kv.iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect()
        };
        // A draft may leave required items empty; submission may not.
        assert!(check_answers(&form, &answers(&[("coop", "与郑州大学合作")]), false).is_ok());
        let e = check_answers(&form, &answers(&[("coop", "x")]), true).unwrap_err();
        assert_eq!(
            (e.0[0].field.as_str(), e.0[0].code.as_str()),
            ("answers.benefit", "answers.required")
        );
        let e = check_answers(
            &form,
            &answers(&[("benefit", "约五百万"), ("x", "y")]),
            false,
        )
        .unwrap_err();
        let codes: Vec<&str> = e.0.iter().map(|e| e.code.as_str()).collect();
        assert_eq!(codes, ["answers.number", "answers.unknown"]);
        assert!(check_answers(&form, &answers(&[("benefit", "500.5")]), true).is_ok());
    }

    #[test]
    fn calls_and_applications_are_validated_whole() {
        let mut i = CallInput {
            title: "2026年揭榜挂帅项目".into(),
            category: "重大科技专项".into(),
            mode: "揭榜挂帅".into(),
            region: Some("419001".into()),
            budget: "5000000".into(),
            opens_on: "2026-03-01".into(),
            closes_on: "2026-02-01".into(),
            ..Default::default()
        };
        let e = NewCall::parse(&i).unwrap_err();
        let codes: Vec<&str> = e.0.iter().map(|f| f.code.as_str()).collect();
        assert!(
            codes.contains(&"closes_on.before_opens")
                && codes.contains(&"challenge_target.required"),
            "{codes:?}"
        );
        i.closes_on = "2026-04-30".into();
        i.challenge_target = Some("铅冶炼烟气二氧化硫排放浓度≤50mg/m³".into());
        let c = NewCall::parse(&i).unwrap();
        assert_eq!(c.budget_fen, 500_000_000);
        // 定向委托 names its organizations; no other mode may.
        i.designated_orgs = vec![7, 7];
        let e = NewCall::parse(&i).unwrap_err();
        assert_eq!(e.0[0].code, "designated_orgs.not_directed");
        i.mode = "定向委托".into();
        assert_eq!(NewCall::parse(&i).unwrap().designated_orgs, [7]);
        i.designated_orgs.clear();
        let e = NewCall::parse(&i).unwrap_err();
        assert_eq!(e.0[0].code, "designated_orgs.required");
        let a = ApplicationInput {
            title: "x".into(),
            lump_sum: true,
            budget: vec![
                BudgetLine {
                    item: "设备费".into(),
                    amount: "100000".into(),
                },
                BudgetLine {
                    item: "材料费".into(),
                    amount: "abc".into(),
                },
            ],
            ..Default::default()
        };
        let e = a.validate().unwrap_err();
        let codes: Vec<&str> = e.0.iter().map(|f| f.code.as_str()).collect();
        assert!(codes.contains(&"budget.lump_sum"), "{codes:?}");
        assert!(e.0.iter().any(|f| f.field == "budget[1].amount"), "{e:?}");
        // A draft keeps what was typed: the unfinished amount is no error yet, the valid one
        // counts; the submission check names every missing piece on its field.
        assert_eq!(a.validate_draft().unwrap(), 10_000_000);
        let e = a.validate_for_submission().unwrap_err();
        let fields: Vec<&str> = e.0.iter().map(|f| f.field.as_str()).collect();
        for f in [
            "budget[1].amount",
            "leader_id",
            "milestones",
            "integrity_pledge",
        ] {
            assert!(fields.contains(&f), "{f} in {fields:?}");
        }
        let empty = ApplicationInput {
            budget: vec![BudgetLine {
                item: "设备费".into(),
                amount: " ".into(),
            }],
            ..Default::default()
        };
        assert_eq!(empty.validate_draft().unwrap(), 0);
        let e = empty.validate_for_submission().unwrap_err();
        assert!(
            e.0.iter()
                .any(|f| f.field == "budget[0].amount" && f.message == "第1项预算金额未填写"),
            "{e:?}"
        );
    }
}
