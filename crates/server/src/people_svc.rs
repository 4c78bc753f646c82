//! 人才与科技特派员's decisions, computed by dated policy packs (no thresholds or amounts in
//! Rust): a commissioner's yearly grade, renewal and support (`commissioner-assessment`), the
//! number of service objects a commissioner may serve at once (the same pack), a talent's tier
//! and housing subsidy (`talent-tiers`), and whether an expert may join one more work station
//! (`work-stations`). Each answer carries the pack's sentences and the rule it applied.

use crate::funds_svc::{Run, fen_of, flag_of, rule_of, run, sentences};
use kechuang_domain::Invalid;
use kechuang_domain::people::{
    CommissionerKind, Education, Grade, Honour, StationRole, TalentTier, age_on, days_text,
};
use kechuang_rules::Value;
use kechuang_store::people::talents::{StationAnswer, StationLoad, TalentApplication, TierAnswer};
use kechuang_store::people::{AssessmentAnswer, YearFigures};
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use serde::Serialize;

pub const ASSESSMENT_PACK: &str = "commissioner-assessment";
pub const TIERS_PACK: &str = "talent-tiers";
pub const STATIONS_PACK: &str = "work-stations";

fn num(r: &Run, name: &str) -> Option<Decimal> {
    match r.plan.value(&r.ev, name) {
        Some(Value::Num(d)) => Some(d),
        _ => None,
    }
}

fn int(r: &Run, name: &str) -> i64 {
    num(r, name).and_then(|d| d.trunc().to_i64()).unwrap_or(0)
}

fn mean(v: &[i64]) -> Option<Decimal> {
    if v.is_empty() {
        None
    } else {
        Some(Decimal::from(v.iter().sum::<i64>()) / Decimal::from(v.len() as i64))
    }
}

fn figure_inputs(f: &YearFigures) -> Vec<(&'static str, Value)> {
    let mut v = vec![
        (
            "days",
            Value::Num(Decimal::from(f.half_days) / Decimal::TWO),
        ),
        ("visits", Value::Num(Decimal::from(f.visits))),
        ("households", Value::Num(Decimal::from(f.households))),
        ("people", Value::Num(Decimal::from(f.people))),
        ("rated", Value::Bool(!f.ratings.is_empty())),
    ];
    if let Some(m) = mean(&f.ratings) {
        v.push(("rating", Value::Num(m.round_dp(2))));
    }
    v
}

/// 年度考核 of one commissioner's year.
pub fn assess(f: &YearFigures) -> Result<AssessmentAnswer, Invalid> {
    let r = run(ASSESSMENT_PACK, f.year, &figure_inputs(f))?;
    let grade = Grade::from_points(int(&r, "grade"));
    let mut explanation = format!(
        "{}年经受援方确认的服务{}天、{}次（满1个工作日{}次），服务农户{}户、{}人次{}。{}",
        f.year,
        days_text(f.half_days),
        f.logs,
        f.visits,
        f.households,
        f.people,
        match mean(&f.ratings) {
            Some(m) => format!(
                "，服务对象满意度{}分（{}个评价）",
                m.round_dp(1).normalize(),
                f.ratings.len()
            ),
            None => "，服务对象尚未评价".into(),
        },
        sentences(
            &r,
            &[
                "duty_met",
                "rating_ok",
                "excellent_ok",
                "grade",
                "renew",
                "support"
            ]
        )
    );
    if f.unconfirmed > 0 {
        explanation.push_str(&format!(
            "。另有{}条服务日志未经受援方确认，未计入考核",
            f.unconfirmed
        ));
    }
    Ok(AssessmentAnswer {
        grade,
        renew: flag_of(&r, "renew"),
        support_fen: fen_of(&r, "support"),
        explanation,
        rule: rule_of(ASSESSMENT_PACK, f.year),
    })
}

/// 履职进度: the year so far against the yearly duty, and where the present pace leads.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct DutyProgress {
    pub year: i32,
    pub days: String,
    pub visits: i64,
    pub logs: i64,
    pub unconfirmed: i64,
    pub households: i64,
    pub min_days: String,
    pub min_visits: i64,
    /// 已达标.
    pub met: bool,
    /// 按当前进度全年预计天数.
    pub projected_days: String,
    pub projected_met: bool,
    pub sentence: String,
}

/// How far a commissioner is with the year's duty on `today`; a past year is judged whole.
pub fn progress(f: &YearFigures, today: chrono::NaiveDate) -> Result<DutyProgress, Invalid> {
    use chrono::Datelike;
    let r = run(ASSESSMENT_PACK, f.year, &figure_inputs(f))?;
    let min_days = num(&r, "min_days").unwrap_or_default();
    let min_visits = int(&r, "min_visits");
    let met = flag_of(&r, "duty_met");
    let elapsed = if today.year() > f.year {
        Decimal::ONE
    } else if today.year() < f.year {
        Decimal::ZERO
    } else {
        Decimal::from(today.ordinal()) / Decimal::from(365)
    };
    let days = Decimal::from(f.half_days) / Decimal::TWO;
    let (pdays, pvisits) = if elapsed > Decimal::ZERO {
        (
            (days / elapsed).round_dp(0),
            (Decimal::from(f.visits) / elapsed).round_dp(0),
        )
    } else {
        (Decimal::ZERO, Decimal::ZERO)
    };
    let projected_met = met || pdays >= min_days || pvisits >= Decimal::from(min_visits);
    let need_days = (min_days - days).max(Decimal::ZERO);
    let need_visits = (min_visits - f.visits).max(0);
    let mut sentence = format!(
        "{}年已确认服务{}天、满1个工作日的服务{}次；年度要求{}天或{}次",
        f.year,
        days.normalize(),
        f.visits,
        min_days.normalize(),
        min_visits
    );
    if met {
        sentence.push_str("，已达标");
    } else {
        sentence.push_str(&format!(
            "，还差{}天或{}次",
            need_days.normalize(),
            need_visits
        ));
        if elapsed < Decimal::ONE && elapsed > Decimal::ZERO {
            sentence.push_str(&format!(
                "；按目前进度全年约{}天、{}次，{}",
                pdays.normalize(),
                pvisits.normalize(),
                if projected_met {
                    "可以达标"
                } else {
                    "难以达标，请尽早安排服务"
                }
            ));
        }
    }
    if f.unconfirmed > 0 {
        sentence.push_str(&format!(
            "（另有{}条日志待受援方确认，确认后计入）",
            f.unconfirmed
        ));
    }
    Ok(DutyProgress {
        year: f.year,
        days: days.normalize().to_string(),
        visits: f.visits,
        logs: f.logs,
        unconfirmed: f.unconfirmed,
        households: f.households,
        min_days: min_days.normalize().to_string(),
        min_visits,
        met,
        projected_days: pdays.normalize().to_string(),
        projected_met,
        sentence,
    })
}

/// How many service objects a commissioner of `kind` may serve at once (the pack's number).
pub fn max_concurrent(kind: &str, year: i32) -> Result<i64, Invalid> {
    let r = run(ASSESSMENT_PACK, year, &[])?;
    let k = CommissionerKind::parse(kind)?;
    Ok(int(
        &r,
        match k {
            CommissionerKind::Individual => "max_dispatch_individual",
            CommissionerKind::Team => "max_dispatch_team",
            CommissionerKind::Legal => "max_dispatch_legal",
        },
    ))
}

fn tier_inputs(
    a: &TalentApplication,
    today: chrono::NaiveDate,
) -> Result<Vec<(&'static str, Value)>, Invalid> {
    let birth = chrono::NaiveDate::parse_from_str(&a.birth_date, "%Y-%m-%d")
        .map_err(|_| Invalid::one("birth_date", "date.format", "出生日期格式应为 YYYY-MM-DD"))?;
    let has = |h: Honour| a.honours.iter().any(|x| x == h.as_str());
    Ok(vec![
        ("academician", Value::Bool(has(Honour::Academician))),
        ("top_award", Value::Bool(has(Honour::TopAward))),
        (
            "national_programme",
            Value::Bool(has(Honour::NationalProgramme)),
        ),
        ("national_award", Value::Bool(has(Honour::NationalAward))),
        (
            "provincial_programme",
            Value::Bool(has(Honour::ProvincialProgramme)),
        ),
        (
            "provincial_award",
            Value::Bool(has(Honour::ProvincialAward)),
        ),
        ("city_programme", Value::Bool(has(Honour::CityProgramme))),
        ("senior_title", Value::Bool(has(Honour::SeniorTitle))),
        (
            "doctorate",
            Value::Bool(a.education == Education::Doctorate.as_str()),
        ),
        ("age", Value::Num(Decimal::from(age_on(birth, today)))),
        ("full_time", Value::Bool(a.full_time)),
    ])
}

/// The tier an application's claims reach on `today`. Claiming an age-limited tier beyond its
/// limit is refused with `talent.age_limit` (the pack's limit and the applicant's age).
pub fn tier(a: &TalentApplication, today: chrono::NaiveDate) -> Result<TierAnswer, Invalid> {
    let r = run(TIERS_PACK, a.year, &tier_inputs(a, today)?)?;
    let claimed = TalentTier::parse(&a.claimed_tier)?;
    if claimed == TalentTier::D && !flag_of(&r, "young") {
        let limit = num(&r, "youth_max_age").unwrap_or_default();
        let age = num(&r, "age").unwrap_or_default();
        return Err(Invalid::one(
            "birth_date",
            "talent.age_limit",
            format!(
                "{}须在{}周岁以下，申报人{}周岁，不能申报该层次",
                TalentTier::D.label(),
                limit.normalize(),
                age.normalize()
            ),
        ));
    }
    let got = TalentTier::from_points(int(&r, "tier"));
    let mut explanation = sentences(
        &r,
        &[
            "employed", "a_ok", "b_ok", "c_ok", "young", "d_ok", "tier", "housing",
        ],
    );
    if let Some(g) = got
        && g.points() < claimed.points()
    {
        explanation = format!(
            "申报{}，按所报条件可认定为{}。{explanation}",
            claimed.label(),
            g.label()
        );
    }
    Ok(TierAnswer {
        tier: got,
        explanation,
        rule: rule_of(TIERS_PACK, a.year),
    })
}

/// The housing subsidy of a recognised application and the years a recognition is valid.
pub fn housing(a: &TalentApplication, on: chrono::NaiveDate) -> Result<(i64, String), Invalid> {
    let r = run(TIERS_PACK, a.year, &tier_inputs(a, on)?)?;
    Ok((fen_of(&r, "housing"), sentences(&r, &["tier", "housing"])))
}

pub fn valid_years(year: i32) -> Result<u32, Invalid> {
    let r = run(TIERS_PACK, year, &[])?;
    Ok(u32::try_from(int(&r, "valid_years")).unwrap_or(5).max(1))
}

/// Whether an expert may join one more station, with the pack's reasons.
pub fn station(
    role: StationRole,
    load: &StationLoad,
    age: Option<i32>,
    onsite_days: i64,
    year: i32,
) -> Result<StationAnswer, Invalid> {
    let mut inputs = vec![
        (
            "academician",
            Value::Bool(matches!(
                role,
                StationRole::ActiveAcademician | StationRole::RetiredAcademician
            )),
        ),
        (
            "retired",
            Value::Bool(role == StationRole::RetiredAcademician),
        ),
        ("scholar", Value::Bool(role == StationRole::Scholar)),
        (
            "stations",
            Value::Num(Decimal::from(load.stations.len() as i64)),
        ),
        (
            "new_this_year",
            Value::Num(Decimal::from(load.new_this_year)),
        ),
        ("onsite_days", Value::Num(Decimal::from(onsite_days))),
    ];
    if let Some(a) = age {
        inputs.push(("age", Value::Num(Decimal::from(a))));
    } else {
        inputs.push(("age", Value::Num(Decimal::ZERO)));
    }
    let r = run(STATIONS_PACK, year, &inputs)?;
    let mut explanation = sentences(
        &r,
        &[
            "academician_room",
            "academician_time",
            "scholar_room",
            "scholar_age",
            "allowed",
        ],
    );
    if !load.stations.is_empty() {
        explanation = format!(
            "协议期内已在{}个工作站（{}）。{explanation}",
            load.stations.len(),
            load.stations.join("、")
        );
    }
    Ok(StationAnswer {
        allowed: flag_of(&r, "allowed"),
        explanation,
    })
}

/// 科技特派员工作经费: each assessment of the programme's year with support, as a grant to the
/// sending organization (one matter per commissioner and year).
pub async fn commissioner_grants(
    store: &kechuang_store::Store,
    scope: &kechuang_store::DataScope,
    p: &kechuang_store::funds::Programme,
) -> crate::error::ApiResult<(Vec<kechuang_store::funds::NewGrant>, Vec<String>)> {
    use kechuang_store::funds::NewGrant;
    let of_year = kechuang_store::people::AssessmentFilter {
        year: Some(p.year),
        ..Default::default()
    };
    let rows = crate::api::io::all_pages(|pg| store.list_assessments(scope, &of_year, pg)).await?;
    let existing = crate::funds_svc::matters_of(store, scope, p.id).await?;
    let mut grants = Vec::new();
    let mut skipped = Vec::new();
    for a in rows {
        let key = format!("commissioner:{}:{}", a.commissioner_id, a.year);
        if a.support_fen <= 0 {
            skipped.push(format!(
                "{}：考核{}，不安排工作经费",
                a.commissioner_name, a.grade_label
            ));
            continue;
        }
        if existing.contains(&key) {
            skipped.push(format!("{}：已在名单中", a.commissioner_name));
            continue;
        }
        grants.push(NewGrant {
            org_id: a.org_id,
            matter_key: key,
            matter: format!(
                "{}年度科技特派员工作经费（{}，考核{}）",
                a.year, a.commissioner_name, a.grade_label
            ),
            amount_fen: a.support_fen,
            explanation: a.explanation.clone(),
            rule: a.rule.clone(),
        });
    }
    Ok((grants, skipped))
}

/// 人才首次购房补贴: each recognition of the programme's year, as a grant to the employer
/// (paid on to the talent; one matter per recognition), the amount from the tier pack.
pub async fn talent_grants(
    store: &kechuang_store::Store,
    scope: &kechuang_store::DataScope,
    p: &kechuang_store::funds::Programme,
) -> crate::error::ApiResult<(Vec<kechuang_store::funds::NewGrant>, Vec<String>)> {
    use kechuang_store::funds::NewGrant;
    let existing = crate::funds_svc::matters_of(store, scope, p.id).await?;
    let mut grants = Vec::new();
    let mut skipped = Vec::new();
    for t in store.talents_of_year(scope, p.year).await? {
        let key = format!("talent-housing:{}", t.id);
        if existing.contains(&key) {
            skipped.push(format!("{}：已在名单中", t.person_name));
            continue;
        }
        let Some(app_id) = t.application_id else {
            skipped.push(format!("{}：无认定申请，无法核算补贴", t.person_name));
            continue;
        };
        let app = store.get_talent_application(scope, app_id).await?;
        let on = chrono::NaiveDate::parse_from_str(&t.recognized_on, "%Y-%m-%d")
            .unwrap_or_else(|_| crate::api::today());
        let (amount, why) = housing(&app, on)?;
        if amount <= 0 {
            skipped.push(format!("{}：{why}", t.person_name));
            continue;
        }
        grants.push(NewGrant {
            org_id: t.org_id,
            matter_key: key,
            matter: format!(
                "{}（{}，证书{}）首次购房补贴",
                t.person_name, t.tier_label, t.certificate_no
            ),
            amount_fen: amount,
            explanation: why,
            rule: rule_of(TIERS_PACK, p.year),
        });
    }
    Ok((grants, skipped))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn figures(half_days: i64, visits: i64, ratings: Vec<i64>) -> YearFigures {
        YearFigures {
            commissioner_id: 1,
            year: 2025,
            half_days,
            visits,
            logs: visits,
            unconfirmed: 2,
            households: 100,
            people: 200,
            ratings,
        }
    }

    #[test]
    fn the_assessment_follows_the_pack_and_says_why() {
        let a = assess(&figures(64, 32, vec![4])).unwrap();
        assert_eq!(a.grade, Grade::Qualified);
        assert!(a.renew);
        assert_eq!(a.support_fen, 1_000_000);
        assert!(a.explanation.contains("32天"), "{}", a.explanation);
        assert!(a.explanation.contains("未计入"), "{}", a.explanation);
        assert!(a.rule.contains("河南"), "{}", a.rule);
        let a = assess(&figures(20, 8, vec![5])).unwrap();
        assert_eq!(a.grade, Grade::Failed);
        assert!(!a.renew);
        assert_eq!(a.support_fen, 0);
        let a = assess(&figures(130, 40, vec![5, 4])).unwrap();
        assert_eq!(a.grade, Grade::Excellent, "{}", a.explanation);
    }

    #[test]
    fn progress_projects_the_pace() {
        let day = chrono::NaiveDate::from_ymd_opt(2025, 7, 2).unwrap();
        let p = progress(&figures(20, 6, vec![]), day).unwrap();
        assert!(!p.met);
        assert!(p.projected_met, "{}", p.sentence);
        assert!(p.sentence.contains("还差20天或6次"), "{}", p.sentence);
        let p = progress(&figures(6, 2, vec![]), day).unwrap();
        assert!(!p.projected_met, "{}", p.sentence);
    }

    #[test]
    fn dispatch_caps_come_from_the_pack() {
        assert_eq!(max_concurrent("individual", 2025).unwrap(), 3);
        assert_eq!(max_concurrent("法人科技特派员", 2025).unwrap(), 10);
    }
}
