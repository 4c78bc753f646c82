//! 技术经纪人 and 对接活动: the people who broker deals on the technology market, and the
//! matchmaking events (成果路演, 供需对接会 …) a bureau holds, with their outcome linked to the
//! contracts that follow. A broker's record is its registration (证书编号, 等级, fields); what
//! it brokered is read from the events it took part in and the contracts naming it as 中介方.

use crate::achievement::Area;
use crate::error::{Collector, FieldError, Invalid};
use crate::region::RegionCode;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

labeled_enum!(
    /// 技术经纪人等级 (《国家技术转移专业人员能力等级培训大纲》: 初级、中级、高级).
    BrokerLevel, "level", "技术经纪人等级", {
        Junior => ("junior", "初级技术经纪人"),
        Intermediate => ("intermediate", "中级技术经纪人"),
        Senior => ("senior", "高级技术经纪人"),
    }
);

labeled_enum!(
    BrokerStatus, "status", "经纪人状态", {
        Active => ("active", "在册"),
        Suspended => ("suspended", "暂停"),
    }
);

labeled_enum!(
    /// 对接活动类型.
    EventKind, "kind", "活动类型", {
        Roadshow => ("roadshow", "成果路演"),
        Matchmaking => ("matchmaking", "供需对接会"),
        Challenge => ("challenge", "揭榜挂帅对接"),
        Online => ("online", "线上对接"),
        Visit => ("visit", "入企服务"),
    }
);

labeled_enum!(
    /// 对接成效.
    Outcome, "outcome", "对接成效", {
        Pending => ("pending", "待反馈"),
        None => ("none", "未达成"),
        Intent => ("intent", "达成意向"),
        Signed => ("signed", "签订合同"),
    }
);

#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(default)]
pub struct BrokerInput {
    pub name: String,
    /// 技术经纪人证书编号 / 登记号
    pub certificate_no: String,
    pub level: String,
    /// 所在服务机构 (an organization of the registry), if any.
    pub org_id: Option<i64>,
    /// 所在行政区划 (when no organization is given).
    pub region: String,
    /// 服务领域 (the eight areas).
    pub areas: Vec<String>,
    pub phone: String,
    pub status: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewBroker {
    pub name: String,
    pub certificate_no: String,
    pub level: BrokerLevel,
    pub org_id: Option<i64>,
    pub region: Option<RegionCode>,
    pub areas: Vec<Area>,
    pub phone: Option<String>,
    pub status: BrokerStatus,
}

fn phone_ok(s: &str) -> bool {
    let digits = s.chars().filter(char::is_ascii_digit).count();
    (7..=20).contains(&digits)
        && s.chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '-' | ' ' | '+' | '(' | ')'))
}

impl NewBroker {
    pub fn parse(i: &BrokerInput) -> Result<Self, Invalid> {
        let mut c = Collector::default();
        let name = i.name.trim();
        if name.is_empty() || name.chars().count() > 30 {
            c.push(FieldError::new(
                "name",
                "name.required",
                "姓名不能为空，且不超过30个字",
            ));
        }
        if let Some(e) = crate::text::check_name("name", "姓名", name) {
            c.push(e);
        }
        let cert = i.certificate_no.trim().to_uppercase();
        if cert.is_empty()
            || cert.chars().count() > 40
            || !cert
                .chars()
                .all(|ch| ch.is_ascii_alphanumeric() || ch == '-')
        {
            c.push(FieldError::new(
                "certificate_no",
                "certificate_no.format",
                "证书编号不能为空，由字母、数字和“-”组成，不超过40个字符",
            ));
        }
        let level = c.take(BrokerLevel::parse(&i.level));
        let region = match (i.org_id, i.region.trim()) {
            (Some(_), _) => None,
            (None, "") => {
                c.push(FieldError::new(
                    "region",
                    "region.required",
                    "未填写所在机构时，请选择所在行政区划",
                ));
                None
            }
            (None, r) => c.take(RegionCode::parse_known(r)),
        };
        let mut areas = Vec::new();
        for a in &i.areas {
            if let Some(a) = c.take(Area::parse(a))
                && !areas.contains(&a)
            {
                areas.push(a);
            }
        }
        let phone = match i.phone.trim() {
            "" => None,
            p if phone_ok(p) => Some(p.to_owned()),
            p => {
                c.push(FieldError::new(
                    "phone",
                    "phone.format",
                    format!("联系电话“{p}”格式错误"),
                ));
                None
            }
        };
        let status = match i.status.trim() {
            "" => Some(BrokerStatus::Active),
            s => c.take(BrokerStatus::parse(s)),
        };
        c.finish()?;
        let missing = || Invalid::one("broker", "broker.internal", "经纪人数据不完整");
        Ok(Self {
            name: name.to_owned(),
            certificate_no: cert,
            level: level.ok_or_else(missing)?,
            org_id: i.org_id,
            region,
            areas,
            phone,
            status: status.ok_or_else(missing)?,
        })
    }
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(default)]
pub struct EventInput {
    pub title: String,
    pub kind: String,
    /// YYYY-MM-DD
    pub held_on: String,
    pub place: String,
    /// 主办单位 (text: a bureau, a park, an agency).
    pub organizer: String,
    /// 所在行政区划
    pub region: String,
    pub achievement_ids: Vec<i64>,
    pub demand_ids: Vec<i64>,
    pub broker_ids: Vec<i64>,
    /// 参会单位
    pub org_ids: Vec<i64>,
    pub note: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewEvent {
    pub title: String,
    pub kind: EventKind,
    pub held_on: NaiveDate,
    pub place: String,
    pub organizer: String,
    pub region: RegionCode,
    pub achievement_ids: Vec<i64>,
    pub demand_ids: Vec<i64>,
    pub broker_ids: Vec<i64>,
    pub org_ids: Vec<i64>,
    pub note: String,
}

fn dedup(v: &[i64]) -> Vec<i64> {
    let mut out: Vec<i64> = Vec::new();
    for x in v {
        if !out.contains(x) {
            out.push(*x);
        }
    }
    out
}

impl NewEvent {
    pub fn parse(i: &EventInput) -> Result<Self, Invalid> {
        let mut c = Collector::default();
        let title = i.title.trim();
        if title.is_empty() || title.chars().count() > 100 {
            c.push(FieldError::new(
                "title",
                "title.required",
                "活动名称不能为空，且不超过100个字",
            ));
        }
        let kind = c.take(EventKind::parse(&i.kind));
        let held_on = match NaiveDate::parse_from_str(i.held_on.trim(), "%Y-%m-%d") {
            Ok(d) => Some(d),
            Err(_) => {
                c.push(FieldError::new(
                    "held_on",
                    "date.format",
                    "活动日期格式应为 YYYY-MM-DD",
                ));
                None
            }
        };
        let region = c.take(RegionCode::parse_known(i.region.trim()));
        for (field, label, s, max) in [
            ("place", "活动地点", i.place.trim(), 100),
            ("organizer", "主办单位", i.organizer.trim(), 100),
            ("note", "活动说明", i.note.trim(), 2000),
        ] {
            if s.chars().count() > max {
                c.push(FieldError::new(
                    field,
                    &format!("{field}.length"),
                    format!("{label}不超过{max}个字"),
                ));
            }
        }
        if i.achievement_ids.is_empty() && i.demand_ids.is_empty() {
            c.push(FieldError::new(
                "achievement_ids",
                "event.subject",
                "请至少关联一项科技成果或技术需求（对接的对象）",
            ));
        }
        if i.achievement_ids.len() + i.demand_ids.len() + i.broker_ids.len() + i.org_ids.len() > 200
        {
            c.push(FieldError::new(
                "achievement_ids",
                "event.too_many",
                "一次活动关联的成果、需求、经纪人和单位合计不超过200项",
            ));
        }
        c.finish()?;
        let missing = || Invalid::one("event", "event.internal", "活动数据不完整");
        Ok(Self {
            title: title.to_owned(),
            kind: kind.ok_or_else(missing)?,
            held_on: held_on.ok_or_else(missing)?,
            place: i.place.trim().to_owned(),
            organizer: i.organizer.trim().to_owned(),
            region: region.ok_or_else(missing)?,
            achievement_ids: dedup(&i.achievement_ids),
            demand_ids: dedup(&i.demand_ids),
            broker_ids: dedup(&i.broker_ids),
            org_ids: dedup(&i.org_ids),
            note: i.note.trim().to_owned(),
        })
    }
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(default)]
pub struct OutcomeInput {
    pub outcome: String,
    /// 达成意向数
    pub intents: i64,
    /// The contracts that followed (技术合同, by id).
    pub contract_ids: Vec<i64>,
    pub note: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewOutcome {
    pub outcome: Outcome,
    pub intents: i64,
    pub contract_ids: Vec<i64>,
    pub note: String,
}

impl NewOutcome {
    /// An outcome is recorded once the event has been held (`held_on` not after `today`); a
    /// 签订合同 outcome names at least one contract, and contracts are named only then.
    pub fn parse(i: &OutcomeInput, held_on: NaiveDate, today: NaiveDate) -> Result<Self, Invalid> {
        let mut c = Collector::default();
        let outcome = c.take(Outcome::parse(&i.outcome));
        if held_on > today {
            c.push(FieldError::new(
                "outcome",
                "event.not_held",
                format!("活动定于{held_on}举办，举办后才能登记对接成效"),
            ));
        }
        if !(0..=10_000).contains(&i.intents) {
            c.push(FieldError::new(
                "intents",
                "intents.range",
                "意向数应为0至10000",
            ));
        }
        match outcome {
            Some(Outcome::Signed) if i.contract_ids.is_empty() => c.push(FieldError::new(
                "contract_ids",
                "outcome.contract_required",
                "成效为“签订合同”时，请关联至少一份技术合同",
            )),
            Some(o) if o != Outcome::Signed && !i.contract_ids.is_empty() => {
                c.push(FieldError::new(
                    "contract_ids",
                    "outcome.contract_unexpected",
                    format!(
                        "成效为“{}”时不能关联合同；已签合同请选择“签订合同”",
                        o.label()
                    ),
                ))
            }
            _ => {}
        }
        if i.note.trim().chars().count() > 2000 {
            c.push(FieldError::new(
                "note",
                "note.length",
                "成效说明不超过2000个字",
            ));
        }
        c.finish()?;
        Ok(Self {
            outcome: outcome.unwrap_or(Outcome::Pending),
            intents: i.intents,
            contract_ids: dedup(&i.contract_ids),
            note: i.note.trim().to_owned(),
        })
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn broker() -> BrokerInput {
        BrokerInput {
            name: "王立新".into(),
            certificate_no: "jy-2024-0012".into(),
            level: "中级技术经纪人".into(),
            region: "419001".into(),
            areas: vec!["materials".into(), "新材料".into()],
            phone: "0391-6633123".into(),
            ..Default::default()
        }
    }

    #[test]
    fn a_broker_parses_with_its_labels_and_normalized_certificate() {
        let b = NewBroker::parse(&broker()).unwrap();
        assert_eq!(b.certificate_no, "JY-2024-0012");
        assert_eq!(b.level, BrokerLevel::Intermediate);
        assert_eq!(b.areas, vec![Area::Materials]);
        assert_eq!(b.status, BrokerStatus::Active);
    }

    #[test]
    fn every_broker_problem_is_reported_at_once() {
        let mut i = broker();
        i.certificate_no = "证书".into();
        i.level = "特级".into();
        i.region = String::new();
        i.phone = "abc".into();
        let e = NewBroker::parse(&i).unwrap_err();
        let codes: Vec<&str> = e.0.iter().map(|f| f.code.as_str()).collect();
        assert_eq!(
            codes,
            vec![
                "certificate_no.format",
                "level.unknown",
                "region.required",
                "phone.format"
            ]
        );
    }

    fn event() -> EventInput {
        EventInput {
            title: "济源市新材料成果路演".into(),
            kind: "成果路演".into(),
            held_on: "2026-05-20".into(),
            region: "419001".into(),
            achievement_ids: vec![3, 3, 4],
            ..Default::default()
        }
    }

    #[test]
    fn an_event_needs_a_subject_and_a_date() {
        let e = NewEvent::parse(&event()).unwrap();
        assert_eq!(e.achievement_ids, vec![3, 4]);
        let mut i = event();
        i.achievement_ids.clear();
        i.held_on = "2026/05/20".into();
        let codes: Vec<String> = NewEvent::parse(&i)
            .unwrap_err()
            .0
            .into_iter()
            .map(|f| f.code)
            .collect();
        assert_eq!(codes, vec!["date.format", "event.subject"]);
    }

    #[test]
    fn outcomes_follow_the_event_and_name_contracts_only_when_signed() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        let i = |o: &str, ids: Vec<i64>| OutcomeInput {
            outcome: o.into(),
            contract_ids: ids,
            intents: 2,
            ..Default::default()
        };
        let ok =
            NewOutcome::parse(&i("signed", vec![9, 9]), d("2026-05-20"), d("2026-06-01")).unwrap();
        assert_eq!((ok.outcome, ok.contract_ids), (Outcome::Signed, vec![9]));
        let code = |r: Result<NewOutcome, Invalid>| r.unwrap_err().0[0].code.clone();
        assert_eq!(
            code(NewOutcome::parse(
                &i("signed", vec![]),
                d("2026-05-20"),
                d("2026-06-01")
            )),
            "outcome.contract_required"
        );
        assert_eq!(
            code(NewOutcome::parse(
                &i("intent", vec![1]),
                d("2026-05-20"),
                d("2026-06-01")
            )),
            "outcome.contract_unexpected"
        );
        assert_eq!(
            code(NewOutcome::parse(
                &i("intent", vec![]),
                d("2026-07-01"),
                d("2026-06-01")
            )),
            "event.not_held"
        );
    }
}
