//! 资金与服务's decisions, computed by dated policy packs (no amounts in Rust): a voucher's
//! eligibility, face value and offset per service (`innovation-voucher`), a loan's interest
//! subsidy (`loan-interest`) and a defaulted loan's compensation (`loan-compensation`). Each
//! answer carries its explanation (the pack's rule tree in words) and the rule it applied
//! (pack, version, source), which the grant or pool entry keeps.

use kechuang_domain::Invalid;
use kechuang_domain::money::{from_fen, to_fen};
use kechuang_rules::{Entity, Node, Pack, Plan, Value};
use kechuang_store::funds::finance::{CompensationQuestion, PackAnswer};
use kechuang_store::funds::vouchers::{OffsetAnswer, OffsetQuestion, OrgTitles};
use rust_decimal::Decimal;
use std::collections::HashMap;
use std::sync::OnceLock;

pub const VOUCHER_PACK: &str = "innovation-voucher";
pub const INTEREST_PACK: &str = "loan-interest";
pub const COMPENSATION_PACK: &str = "loan-compensation";
pub const INSURANCE_PACK: &str = "tech-insurance";
pub const INSTRUMENT_PACK: &str = "instrument-subsidy";

/// The packs a programme may name.
pub const PROGRAMME_PACKS: &[&str] = &[
    "rewards",
    VOUCHER_PACK,
    INTEREST_PACK,
    COMPENSATION_PACK,
    INSURANCE_PACK,
    INSTRUMENT_PACK,
    crate::people_svc::ASSESSMENT_PACK,
    crate::people_svc::TIERS_PACK,
];

type Loaded = Result<(Pack, String), String>;

fn loaded() -> &'static HashMap<&'static str, Loaded> {
    static PACKS: OnceLock<HashMap<&'static str, Loaded>> = OnceLock::new();
    PACKS.get_or_init(|| {
        kechuang_rules::all_packs()
            .map(|(id, text, _)| {
                let r = kechuang_rules::Pack::parse(&format!("policies/{id}.policy"), text)
                    .map(|p| (p, crate::rules_io::pack_version(text)))
                    .map_err(|e| e.to_string());
                (*id, r)
            })
            .collect()
    })
}

/// A shipped pack and its version, or a clear error.
pub fn pack(id: &str) -> Result<&'static (Pack, String), Invalid> {
    match loaded().get(id) {
        Some(Ok(p)) => Ok(p),
        Some(Err(e)) => Err(Invalid::one("pack", "funds.pack", e.clone())),
        None => Err(Invalid::one(
            "pack",
            "funds.pack",
            format!("政策包“{id}”不存在"),
        )),
    }
}

/// How a rule is cited on a grant: pack name, id, version and its source.
pub fn rule_of(id: &str, year: i32) -> String {
    match pack(id) {
        Ok((p, v)) => format!(
            "{}（政策包 {} 版本 {}，{}年度参数）；依据：{}",
            p.name, p.id, v, year, p.source
        ),
        Err(_) => id.to_owned(),
    }
}

pub(crate) struct Run {
    pub(crate) plan: Plan,
    pub(crate) ev: kechuang_rules::Evaluation,
}

pub(crate) fn run(id: &str, year: i32, inputs: &[(&str, Value)]) -> Result<Run, Invalid> {
    let (p, _) = pack(id)?;
    let plan = p
        .compile(year)
        .map_err(|e| Invalid::one("year", "funds.pack_year", e.message))?;
    let values = plan
        .inputs()
        .iter()
        .map(|(n, off)| {
            if *off != 0 {
                return None;
            }
            inputs.iter().find(|(k, _)| k == n).map(|(_, v)| v.clone())
        })
        .collect();
    let ev = plan.evaluate(&Entity { values });
    Ok(Run { plan, ev })
}

pub(crate) fn money(fen: i64) -> Value {
    Value::Num(from_fen(fen))
}

pub(crate) fn fen_of(r: &Run, name: &str) -> i64 {
    match r.plan.value(&r.ev, name) {
        Some(Value::Num(d)) => to_fen(d.max(Decimal::ZERO).round_dp(2)).unwrap_or(0),
        _ => 0,
    }
}

pub(crate) fn flag_of(r: &Run, name: &str) -> bool {
    matches!(r.plan.value(&r.ev, name), Some(Value::Bool(true)))
}

fn find<'a>(n: &'a Node, name: &str) -> Option<&'a Node> {
    if n.name == name {
        return Some(n);
    }
    n.children.iter().find_map(|c| find(c, name))
}

/// The sentences of the named rules, in order: "抵扣比例 80%：…；可抵扣金额 …".
pub(crate) fn sentences(r: &Run, names: &[&str]) -> String {
    let tree = r.plan.explain(&r.ev);
    names
        .iter()
        .filter_map(|n| find(&tree, n).map(|node| node.text.clone()))
        .filter(|t| !t.is_empty())
        .collect::<Vec<_>>()
        .join("；")
}

fn titles_inputs(t: &OrgTitles) -> Vec<(&'static str, Value)> {
    vec![
        ("hnte", Value::Bool(t.hnte)),
        ("tech_sme", Value::Bool(t.tech_sme)),
        ("in_incubator", Value::Bool(false)),
    ]
}

/// Whether an organization may apply for a voucher of `year`, and its annual quota.
pub fn voucher_eligibility(year: i32, t: &OrgTitles) -> Result<(bool, i64, String), Invalid> {
    let mut inputs = titles_inputs(t);
    inputs.push(("service", Value::Num(Decimal::ONE)));
    inputs.push(("fee", Value::Num(Decimal::ZERO)));
    let r = run(VOUCHER_PACK, year, &inputs)?;
    let eligible = flag_of(&r, "eligible");
    let cap = fen_of(&r, "annual_cap");
    let why = format!(
        "{}（{}）",
        sentences(&r, &["eligible", "annual_cap"]),
        t.source
    );
    Ok((eligible, cap, why))
}

/// The offset a redemption may pay, by the voucher pack of the programme's year.
pub fn voucher_offset(q: &OffsetQuestion) -> OffsetAnswer {
    let mut inputs = titles_inputs(&q.titles);
    inputs.push(("service", Value::Num(Decimal::from(q.service.code()))));
    inputs.push(("fee", money(q.fee_fen)));
    inputs.push(("used", money(q.used_fen)));
    match run(VOUCHER_PACK, q.year, &inputs) {
        Ok(r) => OffsetAnswer {
            offset_fen: fen_of(&r, "offset"),
            reason: sentences(&r, &["ratio", "by_ratio", "remaining", "offset"]),
            rule: rule_of(VOUCHER_PACK, q.year),
        },
        Err(e) => OffsetAnswer {
            offset_fen: 0,
            reason: e.to_string(),
            rule: VOUCHER_PACK.into(),
        },
    }
}

/// 贴息 of one period's interest.
pub fn interest_subsidy(
    year: i32,
    interest_fen: i64,
    on_time: bool,
    tech_firm: bool,
    received_fen: i64,
) -> Result<PackAnswer, Invalid> {
    let r = run(
        INTEREST_PACK,
        year,
        &[
            ("interest", money(interest_fen)),
            ("on_time", Value::Bool(on_time)),
            ("tech_firm", Value::Bool(tech_firm)),
            ("received", money(received_fen)),
        ],
    )?;
    Ok(PackAnswer {
        amount_fen: fen_of(&r, "subsidy"),
        reason: sentences(&r, &["eligible", "by_share", "room", "subsidy"]),
        rule: rule_of(INTEREST_PACK, year),
    })
}

/// 科技保险保费补贴 of one policy.
pub fn insurance_subsidy(
    year: i32,
    product: kechuang_domain::funds::InsuranceProduct,
    premium_fen: i64,
    tech_firm: bool,
    received_fen: i64,
    other_fen: i64,
) -> Result<PackAnswer, Invalid> {
    let r = run(
        INSURANCE_PACK,
        year,
        &[
            ("product", Value::Num(Decimal::from(product.code()))),
            ("premium", money(premium_fen)),
            ("tech_firm", Value::Bool(tech_firm)),
            ("received", money(received_fen)),
            ("other_subsidy", money(other_fen)),
        ],
    )?;
    Ok(PackAnswer {
        amount_fen: fen_of(&r, "subsidy"),
        reason: sentences(
            &r,
            &["eligible", "by_share", "room", "total_room", "subsidy"],
        ),
        rule: rule_of(INSURANCE_PACK, year),
    })
}

/// 开放共享后补助: each host organization's external service of the programme's year, read
/// from the booking records in the caller's scope, through the instrument-subsidy pack.
pub async fn instrument_grants(
    store: &kechuang_store::Store,
    scope: &kechuang_store::DataScope,
    p: &kechuang_store::funds::Programme,
) -> crate::error::ApiResult<(Vec<kechuang_store::funds::NewGrant>, Vec<String>)> {
    use kechuang_store::funds::NewGrant;
    let mut by_host: std::collections::BTreeMap<i64, (String, i64, Decimal, i64)> =
        Default::default();
    for y in store.instrument_year(scope, p.year).await? {
        let e = by_host
            .entry(y.host_org_id)
            .or_insert_with(|| (y.host_name.clone(), 0, Decimal::ZERO, 0));
        e.1 += kechuang_domain::money::fen_of_text(&y.income).unwrap_or(0);
        e.2 += y.external_hours.parse::<Decimal>().unwrap_or_default();
        e.3 += 1;
    }
    let pack_id = p.pack.clone().unwrap_or_else(|| INSTRUMENT_PACK.into());
    let existing = matters_of(store, scope, p.id).await?;
    let mut grants = Vec::new();
    let mut skipped = Vec::new();
    for (host, (name, income, hours, n)) in by_host {
        let r = run(
            &pack_id,
            p.year,
            &[
                ("income", money(income)),
                ("hours", Value::Num(hours)),
                ("instruments", Value::Num(Decimal::from(n))),
            ],
        )?;
        let amount = fen_of(&r, "subsidy");
        let why = sentences(&r, &["shared", "by_share", "subsidy"]);
        let key = format!("instrument-subsidy:{}:{host}", p.year);
        if amount <= 0 {
            skipped.push(format!("{name}：{why}"));
            continue;
        }
        if existing.contains(&key) {
            skipped.push(format!("{name}：已在名单中"));
            continue;
        }
        grants.push(NewGrant {
            org_id: host,
            matter_key: key,
            matter: format!(
                "{}年度大型科研仪器开放共享后补助（{n}台套，对外服务{}小时，收入{}元）",
                p.year,
                hours.normalize(),
                from_fen(income)
            ),
            amount_fen: amount,
            explanation: why,
            rule: rule_of(&pack_id, p.year),
        });
    }
    Ok((grants, skipped))
}

/// 风险补偿 of a defaulted loan.
pub fn compensation(q: &CompensationQuestion) -> PackAnswer {
    let mut inputs = vec![
        ("loss", money(q.loss_fen)),
        ("credit", Value::Bool(q.credit)),
        ("research_coop", Value::Bool(false)),
        ("bank_balance", money(q.bank_balance_fen)),
        ("bank_paid", money(q.bank_paid_fen)),
    ];
    if let Some(r) = q.revenue_fen {
        inputs.push(("revenue", money(r)));
    }
    match run(COMPENSATION_PACK, q.year, &inputs) {
        Ok(r) => {
            let amount = fen_of(&r, "compensation");
            let mut reason = sentences(
                &r,
                &[
                    "revenue_share",
                    "credit_share",
                    "share",
                    "by_share",
                    "bank_room",
                    "compensation",
                ],
            );
            if q.revenue_fen.is_none() {
                reason = format!(
                    "借款企业{}年度营业收入未填报，无法确定补偿档次；{reason}",
                    q.year - 1
                );
            }
            PackAnswer {
                amount_fen: amount,
                reason,
                rule: rule_of(COMPENSATION_PACK, q.year),
            }
        }
        Err(e) => PackAnswer {
            amount_fen: 0,
            reason: e.to_string(),
            rule: COMPENSATION_PACK.into(),
        },
    }
}

/// The matters a programme already holds (a second run of a list proposes nothing twice).
pub(crate) async fn matters_of(
    store: &kechuang_store::Store,
    scope: &kechuang_store::DataScope,
    programme_id: i64,
) -> crate::error::ApiResult<std::collections::HashSet<String>> {
    let of_programme = kechuang_store::funds::GrantFilter {
        programme_id: Some(programme_id),
        ..Default::default()
    };
    Ok(
        crate::api::io::all_pages(|pg| store.list_grants(scope, &of_programme, pg))
            .await?
            .into_iter()
            .map(|g| g.matter_key)
            .collect(),
    )
}

/// 免申即享: the year's reward items from the registry (new 高企, platforms recognized that
/// year) in the programme's region and the caller's scope, combined by the programme's reward
/// pack (同类取最高, 同级只奖一项). Granted items become grants to propose (one matter per
/// item, with the pack's explanation); the others come back as sentences saying why not.
/// Items the programme already holds are left out.
pub async fn reward_grants(
    store: &kechuang_store::Store,
    scope: &kechuang_store::DataScope,
    p: &kechuang_store::funds::Programme,
) -> crate::error::ApiResult<(Vec<kechuang_store::funds::NewGrant>, Vec<String>)> {
    use kechuang_store::funds::NewGrant;
    let pack_id = p.pack.clone().unwrap_or_else(|| "rewards".into());
    let (pack, _) = pack(&pack_id)?;
    let plan = pack
        .compile(p.year)
        .map_err(|e| Invalid::one("year", "funds.pack_year", e.message))?;
    let rows =
        crate::rules_io::registry_reward_items(store, scope, Some(p.region_code.as_str()), &plan)
            .await?;
    let (items, names) = crate::rules_io::split_reward_items(rows);
    let e = kechuang_rules::entitle(pack, &plan, &items)
        .map_err(|m| Invalid::one("pack", "rules.entitle", m))?;
    let orgs = store
        .export_organizations(
            scope,
            &kechuang_store::orgs::OrgFilter {
                region: Some(p.region_code.clone()),
                ..Default::default()
            },
            10_000_000,
        )
        .await?;
    let org_of: HashMap<&str, i64> = orgs
        .iter()
        .map(|o| (o.credit_code.as_str(), o.id))
        .collect();
    let existing = matters_of(store, scope, p.id).await?;
    let rule = rule_of(&pack_id, p.year);
    let mut grants = Vec::new();
    let mut skipped = Vec::new();
    for d in e.items {
        let name = names
            .get(&d.entity)
            .cloned()
            .unwrap_or_else(|| d.entity.clone());
        if !d.granted {
            skipped.push(format!("{name}：{}（{}）", d.description, d.reason));
            continue;
        }
        let Some(org_id) = org_of.get(d.entity.as_str()) else {
            continue;
        };
        let key = format!("reward:{}:{}:{}", p.year, d.entity, d.description);
        if existing.contains(&key) {
            skipped.push(format!("{name}：{}（已在名单中）", d.description));
            continue;
        }
        let amount = kechuang_domain::money::fen_of_text(&d.amount).unwrap_or(0);
        if amount <= 0 {
            continue;
        }
        grants.push(NewGrant {
            org_id: *org_id,
            matter_key: key,
            matter: d.description.clone(),
            amount_fen: amount,
            explanation: format!("{}。{}", d.reason, d.explanation),
            rule: rule.clone(),
        });
    }
    Ok((grants, skipped))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use kechuang_domain::funds::ServiceType;

    fn titles(hnte: bool) -> OrgTitles {
        OrgTitles {
            hnte,
            tech_sme: false,
            source: "测试".into(),
        }
    }

    #[test]
    fn the_voucher_pack_gives_the_ratio_of_the_service_within_the_year_s_room() {
        let a = voucher_offset(&OffsetQuestion {
            year: 2025,
            service: ServiceType::Testing,
            fee_fen: 10_000_000,
            used_fen: 0,
            titles: titles(true),
        });
        assert_eq!(a.offset_fen, 8_000_000);
        assert!(a.reason.contains("80%"), "{}", a.reason);
        assert!(a.rule.contains("青海"), "{}", a.rule);
        let a = voucher_offset(&OffsetQuestion {
            year: 2025,
            service: ServiceType::Instrument,
            fee_fen: 15_000_000,
            used_fen: 8_000_000,
            titles: titles(true),
        });
        assert_eq!(a.offset_fen, 12_000_000, "{}", a.reason);
        let (ok, cap, why) = voucher_eligibility(2025, &titles(false)).unwrap();
        assert!(!ok && cap == 0, "{why}");
    }

    #[test]
    fn interest_and_compensation_follow_their_packs() {
        let a = interest_subsidy(2025, 10_000_000, true, true, 0).unwrap();
        assert_eq!(a.amount_fen, 4_000_000);
        let a = interest_subsidy(2025, 10_000_000, false, true, 0).unwrap();
        assert_eq!(a.amount_fen, 0);
        let c = compensation(&CompensationQuestion {
            year: 2025,
            loss_fen: 100_000_000,
            revenue_fen: Some(20_000_000_000),
            credit: false,
            bank_balance_fen: 100_000_000_000,
            bank_paid_fen: 0,
        });
        assert_eq!(c.amount_fen, 30_000_000, "营收1亿元以上 30%: {}", c.reason);
    }
}
