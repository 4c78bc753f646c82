//! 技术合同认定登记 (technology-contract registration): the contract as the seller submits it,
//! the official classification, the office's findings, the states and the registration number.
//!
//! What is decided (registrable or not, the 技术交易额, large-contract review, deadlines) is not
//! here: it is the `tech-contract` policy pack, dated, with its sources. This module only checks
//! that the data are well formed, so a malformed contract never reaches a decision.

use crate::credit_code::CreditCode;
use crate::error::{Collector, FieldError, Invalid};
use crate::money::{check_yuan, to_fen};
use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

labeled_enum!(
    /// 合同类别: the five classes of 民法典第八百六十二条 as the statistics count them.
    Category, "category", "合同类别", {
        Development => ("development", "技术开发"),
        Transfer => ("transfer", "技术转让"),
        License => ("license", "技术许可"),
        Consulting => ("consulting", "技术咨询"),
        Service => ("service", "技术服务"),
    }
);

impl Category {
    /// The pack's category code (1–5; 0 is any other contract).
    pub fn code(self) -> i64 {
        match self {
            Category::Development => 1,
            Category::Transfer => 2,
            Category::License => 3,
            Category::Consulting => 4,
            Category::Service => 5,
        }
    }

    /// Subcategories `(wire, 中文)`; 技术咨询 has none.
    pub fn subcategories(self) -> &'static [(&'static str, &'static str)] {
        match self {
            Category::Development => &[("entrusted", "委托开发"), ("cooperative", "合作开发")],
            Category::Transfer => &[
                ("patent", "专利权转让"),
                ("patent_application", "专利申请权转让"),
                ("know_how", "技术秘密转让"),
                ("other_ip", "其他知识产权转让"),
            ],
            Category::License => &[
                ("patent_exclusive", "专利实施独占许可"),
                ("patent_sole", "专利实施排他许可"),
                ("patent_ordinary", "专利实施普通许可"),
                ("know_how", "技术秘密使用许可"),
                ("other_ip", "其他知识产权许可"),
            ],
            Category::Consulting => &[],
            Category::Service => &[
                ("service", "技术服务"),
                ("training", "技术培训"),
                ("intermediary", "技术中介"),
            ],
        }
    }

    pub fn subcategory_label(self, wire: &str) -> Option<&'static str> {
        self.subcategories()
            .iter()
            .find(|(w, l)| *w == wire || *l == wire)
            .map(|(_, l)| *l)
    }

    fn subcategory_wire(self, s: &str) -> Option<&'static str> {
        self.subcategories()
            .iter()
            .find(|(w, l)| *w == s || *l == s)
            .map(|(w, _)| *w)
    }
}

labeled_enum!(
    /// 合同形式.
    Form, "form", "合同形式", {
        Written => ("written", "书面"),
        Oral => ("oral", "口头"),
    }
);

labeled_enum!(
    /// 技术领域: the eleven fields of the national technology-market statistics
    /// (services.md §1.4).
    Field, "field", "技术领域", {
        Electronics => ("electronics", "电子信息"),
        Aerospace => ("aerospace", "航空航天"),
        Manufacturing => ("manufacturing", "先进制造"),
        Biomedicine => ("biomedicine", "生物医药和医疗器械"),
        Materials => ("materials", "新材料及其应用"),
        Energy => ("energy", "新能源与高效节能"),
        Environment => ("environment", "环境保护与资源综合利用"),
        Nuclear => ("nuclear", "核应用技术"),
        Agriculture => ("agriculture", "农业"),
        Transport => ("transport", "现代交通"),
        Urban => ("urban", "城市建设与社会发展"),
    }
);

labeled_enum!(
    /// 知识产权类型 of the registration form.
    IpKind, "ip_kind", "知识产权类型", {
        None => ("none", "不涉及知识产权"),
        Patent => ("patent", "专利"),
        KnowHow => ("know_how", "技术秘密"),
        Software => ("software", "计算机软件著作权"),
        IcLayout => ("ic_layout", "集成电路布图设计"),
        PlantVariety => ("plant_variety", "植物新品种"),
        Biomed => ("biomed", "生物医药新品种"),
        Other => ("other", "其他知识产权"),
    }
);

labeled_enum!(
    /// 登记状态 (services.md §1.3).
    Status, "status", "登记状态", {
        Draft => ("draft", "草稿"),
        Submitted => ("submitted", "待登记"),
        Correcting => ("correcting", "退回补正"),
        SecondReview => ("second_review", "大额复核"),
        Registered => ("registered", "已登记"),
        Refused => ("refused", "不予登记"),
    }
);

impl Status {
    /// Element Plus tag type for the dictionary.
    pub fn tag(self) -> &'static str {
        match self {
            Status::Draft => "info",
            Status::Submitted => "warning",
            Status::Correcting | Status::Refused => "danger",
            Status::SecondReview => "primary",
            Status::Registered => "success",
        }
    }

    /// The seller may still change the contract.
    pub fn editable(self) -> bool {
        matches!(self, Status::Draft | Status::Correcting)
    }
}

/// The office's decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    Register,
    Correct,
    Refuse,
}

impl Decision {
    /// From the pack's `decision` output (1 予以登记, 2 退回补正, 3 不予登记).
    pub fn from_code(code: i64) -> Option<Self> {
        match code {
            1 => Some(Decision::Register),
            2 => Some(Decision::Correct),
            3 => Some(Decision::Refuse),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Decision::Register => "register",
            Decision::Correct => "correct",
            Decision::Refuse => "refuse",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Decision::Register => "予以登记",
            Decision::Correct => "退回补正",
            Decision::Refuse => "不予登记",
        }
    }
}

/// What the registration officer found on reading the contract (the 不予登记 grounds that
/// need a person's judgement). The clean state is all true except `monopoly_clause`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Findings {
    pub parties_clear: bool,
    pub subject_clear: bool,
    pub price_clear: bool,
    pub name_matches: bool,
    pub seal_ok: bool,
    pub documents_ok: bool,
    pub approval_ok: bool,
    pub monopoly_clause: bool,
}

impl Default for Findings {
    fn default() -> Self {
        Self {
            parties_clear: true,
            subject_clear: true,
            price_clear: true,
            name_matches: true,
            seal_ok: true,
            documents_ok: true,
            approval_ok: true,
            monopoly_clause: false,
        }
    }
}

impl Findings {
    /// `(pack input, value)` pairs.
    pub fn inputs(&self) -> [(&'static str, bool); 8] {
        [
            ("parties_clear", self.parties_clear),
            ("subject_clear", self.subject_clear),
            ("price_clear", self.price_clear),
            ("name_matches", self.name_matches),
            ("seal_ok", self.seal_ok),
            ("documents_ok", self.documents_ok),
            ("approval_ok", self.approval_ok),
            ("monopoly_clause", self.monopoly_clause),
        ]
    }
}

/// A contract as received on the wire (or a file row): text, not yet trusted.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(default)]
pub struct ContractInput {
    /// 合同编号 (the parties' own number)
    pub contract_no: String,
    /// 项目名称
    pub subject: String,
    /// 合同类别: a technology-contract class (wire value or Chinese), or any other text.
    pub category: String,
    /// 合同子类
    pub subcategory: String,
    /// 合同形式: written | oral (书面 | 口头)
    pub form: String,
    /// 技术领域
    pub field: String,
    /// 知识产权类型
    pub ip_kind: String,
    /// 卖方统一社会信用代码 (files only; through the API the seller is the caller's organization)
    pub seller_credit_code: String,
    pub seller_name: String,
    pub buyer_name: String,
    pub buyer_credit_code: String,
    /// 买方行政区划代码 (GB/T 2260); empty → taken from the credit code.
    pub buyer_region_code: String,
    /// 合同成交总额 (元)
    pub total_amount: String,
    /// 非技术性费用 (元)
    pub non_tech_amount: String,
    /// 合理数量标的物的直接成本 (元), included in the non-technical costs but not deducted.
    pub carrier_amount: String,
    pub signed_on: String,
    pub valid_from: String,
    pub valid_to: String,
    /// 技术经纪人
    pub broker_name: String,
}

/// A well-formed contract.
#[derive(Debug, Clone, PartialEq)]
pub struct NewContract {
    pub contract_no: String,
    pub subject: String,
    /// `None`: not a technology contract; `category_text` says what it is.
    pub category: Option<Category>,
    pub category_text: String,
    pub subcategory: Option<&'static str>,
    pub form: Form,
    pub field: Option<Field>,
    pub ip_kind: Option<IpKind>,
    pub seller_credit_code: Option<CreditCode>,
    pub seller_name: String,
    pub buyer_name: String,
    pub buyer_credit_code: CreditCode,
    pub buyer_region_code: String,
    pub total_fen: i64,
    pub non_tech_fen: i64,
    pub carrier_fen: i64,
    pub signed_on: NaiveDate,
    pub valid_from: Option<NaiveDate>,
    pub valid_to: Option<NaiveDate>,
    pub broker_name: Option<String>,
}

impl NewContract {
    pub fn total(&self) -> Decimal {
        crate::money::from_fen(self.total_fen)
    }
}

fn refield(field: &str, r: Result<CreditCode, Invalid>) -> Result<CreditCode, Invalid> {
    r.map_err(|Invalid(es)| {
        Invalid(
            es.into_iter()
                .map(|e| FieldError {
                    field: field.to_owned(),
                    ..e
                })
                .collect(),
        )
    })
}

fn text(c: &mut Collector, field: &str, label: &str, s: &str, max: usize) -> Option<String> {
    let t = s.trim();
    if t.is_empty() {
        c.push(FieldError::new(
            field,
            &format!("{field}.required"),
            format!("{label}不能为空"),
        ));
        return None;
    }
    if t.chars().count() > max {
        c.push(FieldError::new(
            field,
            &format!("{field}.length"),
            format!("{label}不能超过{max}个字"),
        ));
        return None;
    }
    if let Some(e) = crate::text::check_name(field, label, t) {
        c.push(e);
        return None;
    }
    Some(t.to_owned())
}

fn amount(c: &mut Collector, field: &str, label: &str, s: &str, default_zero: bool) -> Option<i64> {
    let t = s.trim().replace([',', '，'], "");
    if t.is_empty() {
        if default_zero {
            return Some(0);
        }
        c.push(FieldError::new(
            field,
            "amount.required",
            format!("{label}不能为空"),
        ));
        return None;
    }
    let d: Decimal = match t.parse() {
        Ok(d) => d,
        Err(_) => {
            c.push(FieldError::new(
                field,
                "amount.format",
                format!("{label}“{}”不是有效金额（元）", s.trim()),
            ));
            return None;
        }
    };
    c.take(check_yuan(field, label, d, true)).and_then(to_fen)
}

fn date(c: &mut Collector, field: &str, label: &str, s: &str, required: bool) -> Option<NaiveDate> {
    let t = s.trim();
    if t.is_empty() {
        if required {
            c.push(FieldError::new(
                field,
                "date.required",
                format!("{label}不能为空"),
            ));
        }
        return None;
    }
    match NaiveDate::parse_from_str(t, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(t, "%Y/%m/%d"))
    {
        Ok(d) => Some(d),
        Err(_) => {
            c.push(FieldError::new(
                field,
                "date.format",
                format!("{label}“{t}”格式错误，应为 YYYY-MM-DD"),
            ));
            None
        }
    }
}

impl NewContract {
    /// Check a contract. `seller_required`: a file row names its seller; through the API the
    /// seller is the caller's organization and the row's seller fields are ignored.
    pub fn parse(
        i: &ContractInput,
        today: NaiveDate,
        seller_required: bool,
    ) -> Result<Self, Invalid> {
        let mut c = Collector::default();
        let contract_no = text(&mut c, "contract_no", "合同编号", &i.contract_no, 64);
        let subject = if seller_required && i.subject.trim().is_empty() {
            Some(String::new())
        } else {
            text(&mut c, "subject", "项目名称", &i.subject, 200)
        };
        let category_text = i.category.trim().to_owned();
        if category_text.is_empty() {
            c.push(FieldError::new(
                "category",
                "category.required",
                "合同类别不能为空",
            ));
        }
        // Any other text is a contract of another kind: the pack refuses it (非技术合同).
        let category = Category::parse(&category_text).ok();
        let sub = i.subcategory.trim();
        let subcategory = match (category, sub.is_empty()) {
            (_, true) | (None, _) => None,
            (Some(cat), false) => match cat.subcategory_wire(sub) {
                Some(w) => Some(w),
                None => {
                    let allowed: Vec<&str> = cat.subcategories().iter().map(|(_, l)| *l).collect();
                    c.push(FieldError::new(
                        "subcategory",
                        "contract.subcategory.unknown",
                        if allowed.is_empty() {
                            format!("{}合同不分子类，“{sub}”无效", cat.label())
                        } else {
                            format!(
                                "{}合同的子类“{sub}”无效，可选：{}",
                                cat.label(),
                                allowed.join("、")
                            )
                        },
                    ));
                    None
                }
            },
        };
        let form = c.take(Form::parse(if i.form.trim().is_empty() {
            "written"
        } else {
            i.form.as_str()
        }));
        let field = match i.field.trim() {
            "" => None,
            f => c.take(Field::parse(f)),
        };
        let ip_kind = match i.ip_kind.trim() {
            "" => None,
            k => c.take(IpKind::parse(k)),
        };
        let seller_credit_code = if seller_required {
            c.take(refield(
                "seller_credit_code",
                CreditCode::parse(&i.seller_credit_code),
            ))
        } else {
            None
        };
        let buyer_credit_code = c.take(refield(
            "buyer_credit_code",
            CreditCode::parse(&i.buyer_credit_code),
        ));
        let buyer_name = if seller_required && i.buyer_name.trim().is_empty() {
            Some(String::new())
        } else {
            text(&mut c, "buyer_name", "买方名称", &i.buyer_name, 100)
        };
        if let (Some(s), Some(b)) = (&seller_credit_code, &buyer_credit_code)
            && s == b
        {
            c.push(FieldError::new(
                "buyer_credit_code",
                "contract.same_party",
                "买方与卖方不能是同一单位",
            ));
        }
        let buyer_region_code = match (i.buyer_region_code.trim(), &buyer_credit_code) {
            ("", Some(b)) => b.registration_region().to_owned(),
            ("", None) => String::new(),
            (r, _) => match crate::RegionCode::parse_known(r) {
                Ok(code) => code.to_string(),
                Err(Invalid(es)) => {
                    for e in es {
                        c.push(FieldError {
                            field: "buyer_region_code".into(),
                            ..e
                        });
                    }
                    String::new()
                }
            },
        };
        let total = amount(
            &mut c,
            "total_amount",
            "合同成交总额",
            &i.total_amount,
            false,
        );
        let non_tech = amount(
            &mut c,
            "non_tech_amount",
            "非技术性费用",
            &i.non_tech_amount,
            true,
        );
        let carrier = amount(
            &mut c,
            "carrier_amount",
            "合理数量标的物的直接成本",
            &i.carrier_amount,
            true,
        );
        if total == Some(0) {
            c.push(FieldError::new(
                "total_amount",
                "contract.total_zero",
                "合同成交总额应大于0",
            ));
        }
        if let (Some(t), Some(n)) = (total, non_tech)
            && n > t
        {
            c.push(FieldError::new(
                "non_tech_amount",
                "contract.non_tech_exceeds",
                "非技术性费用不能超过合同成交总额",
            ));
        }
        if let (Some(n), Some(k)) = (non_tech, carrier)
            && k > n
        {
            c.push(FieldError::new(
                "carrier_amount",
                "contract.carrier_exceeds",
                "合理数量标的物的直接成本是非技术性费用的一部分，不能超过非技术性费用",
            ));
        }
        let signed_on = date(&mut c, "signed_on", "签订日期", &i.signed_on, true);
        let valid_from = date(&mut c, "valid_from", "有效期起", &i.valid_from, false);
        let valid_to = date(&mut c, "valid_to", "有效期止", &i.valid_to, false);
        if let Some(s) = signed_on
            && s > today
        {
            c.push(FieldError::new(
                "signed_on",
                "contract.signed_future",
                "签订日期不能晚于今天",
            ));
        }
        if let Some(s) = signed_on
            && s.year() < 1990
        {
            c.push(FieldError::new(
                "signed_on",
                "contract.signed_range",
                "签订日期早于1990年，请核对",
            ));
        }
        if let (Some(f), Some(t)) = (valid_from, valid_to)
            && f > t
        {
            c.push(FieldError::new(
                "valid_to",
                "contract.dates_order",
                "有效期止不能早于有效期起",
            ));
        }
        if let (Some(s), Some(t)) = (signed_on, valid_to)
            && s > t
        {
            c.push(FieldError::new(
                "valid_to",
                "contract.dates_order",
                "有效期止不能早于签订日期",
            ));
        }
        let seller_name = i.seller_name.trim().to_owned();
        if let Some(e) = crate::text::check_name("seller_name", "卖方名称", &seller_name) {
            c.push(e);
        }
        let broker = i.broker_name.trim();
        if broker.chars().count() > 50 {
            c.push(FieldError::new(
                "broker_name",
                "broker_name.length",
                "技术经纪人不能超过50个字",
            ));
        }
        c.finish()?;
        // Every field was checked above; a missing value here is a bug, not bad input.
        let missing = || Invalid::one("contract", "contract.internal", "合同数据不完整");
        Ok(NewContract {
            contract_no: contract_no.ok_or_else(missing)?,
            subject: subject.ok_or_else(missing)?,
            category,
            category_text: category
                .map(|c| c.label().to_owned())
                .unwrap_or(category_text),
            subcategory,
            form: form.ok_or_else(missing)?,
            field,
            ip_kind,
            seller_credit_code,
            seller_name,
            buyer_name: buyer_name.ok_or_else(missing)?,
            buyer_credit_code: buyer_credit_code.ok_or_else(missing)?,
            buyer_region_code,
            total_fen: total.ok_or_else(missing)?,
            non_tech_fen: non_tech.ok_or_else(missing)?,
            carrier_fen: carrier.ok_or_else(missing)?,
            signed_on: signed_on.ok_or_else(missing)?,
            valid_from,
            valid_to,
            broker_name: (!broker.is_empty()).then(|| broker.to_owned()),
        })
    }
}

/// The registration number in the layout of the 技术合同登记 填写说明: two digits of the year,
/// the province's and the city's two digits of GB/T 2260, the office's two digits and a
/// six-digit sequence (14 digits; services.md §1.3).
pub fn registration_no(year: i32, region_code: &str, office: u32, seq: u32) -> Option<String> {
    let r = region_code.as_bytes();
    if r.len() != 6 || !r.iter().all(u8::is_ascii_digit) || office > 99 || seq > 999_999 {
        return None;
    }
    Some(format!(
        "{:02}{}{:02}{:06}",
        year.rem_euclid(100),
        &region_code[..4],
        office,
        seq
    ))
}

/// The day a deadline of `days` falls on: calendar days, or working days (Monday to Friday;
/// public holidays are not in the calendar, so the office may have a day or two more).
pub fn due_date(from: NaiveDate, days: u32, working: bool) -> NaiveDate {
    if !working {
        return from + chrono::Days::new(u64::from(days));
    }
    let mut d = from;
    let mut left = days;
    while left > 0 {
        d = d.succ_opt().unwrap_or(d);
        if d.weekday().num_days_from_monday() < 5 {
            left -= 1;
        }
    }
    d
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn input() -> ContractInput {
        ContractInput {
            contract_no: "JY-2025-001".into(),
            subject: "高纯铅电解精炼工艺开发".into(),
            category: "技术开发".into(),
            subcategory: "委托开发".into(),
            form: "书面".into(),
            field: "新材料及其应用".into(),
            ip_kind: "patent".into(),
            seller_credit_code: "91419001MA44TJ0F4X".into(),
            buyer_name: "河南豫光金铅股份有限公司".into(),
            buyer_credit_code: "91410000706784652H".into(),
            total_amount: "1000000".into(),
            non_tech_amount: "200000".into(),
            signed_on: "2025-03-01".into(),
            valid_from: "2025-03-01".into(),
            valid_to: "2026-02-28".into(),
            ..Default::default()
        }
    }

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2025, 12, 1).unwrap()
    }

    fn codes(i: &ContractInput) -> Vec<String> {
        match NewContract::parse(i, today(), false) {
            Ok(_) => vec![],
            Err(Invalid(es)) => es.into_iter().map(|e| e.code).collect(),
        }
    }

    #[test]
    fn a_good_contract_parses_with_its_classification() {
        let c = NewContract::parse(&input(), today(), false).unwrap();
        assert_eq!(c.category, Some(Category::Development));
        assert_eq!(c.subcategory, Some("entrusted"));
        assert_eq!(c.total_fen, 100_000_000);
        assert_eq!(c.non_tech_fen, 20_000_000);
        assert_eq!(c.buyer_region_code, "410000");
    }

    #[test]
    fn another_kind_of_contract_is_kept_for_the_decision_not_rejected() {
        let mut i = input();
        i.category = "买卖合同".into();
        i.subcategory = "anything".into();
        let c = NewContract::parse(&i, today(), false).unwrap();
        assert_eq!(c.category, None);
        assert_eq!(c.category_text, "买卖合同");
    }

    #[test]
    fn bad_input_names_every_problem() {
        let mut i = input();
        i.total_amount = "-5".into();
        assert!(codes(&i).contains(&"amount.negative".to_owned()));
        let mut i = input();
        i.non_tech_amount = "1000001".into();
        assert_eq!(codes(&i), ["contract.non_tech_exceeds"]);
        let mut i = input();
        i.subcategory = "专利权转让".into();
        assert_eq!(codes(&i), ["contract.subcategory.unknown"]);
        let mut i = input();
        i.valid_to = "2024-01-01".into();
        assert!(codes(&i).contains(&"contract.dates_order".to_owned()));
        let mut i = input();
        i.buyer_credit_code = "91410000706784652J".into();
        assert_eq!(codes(&i), ["credit_code.check_char"]);
        let mut i = input();
        i.carrier_amount = "300000".into();
        assert_eq!(codes(&i), ["contract.carrier_exceeds"]);
        let mut i = input();
        i.signed_on = "2026-01-01".into();
        assert_eq!(codes(&i), ["contract.signed_future"]);
    }

    #[test]
    fn registration_numbers_follow_the_fourteen_digit_layout() {
        assert_eq!(
            registration_no(2025, "419001", 1, 37).as_deref(),
            Some("25419001000037")
        );
        assert_eq!(registration_no(2025, "41900", 1, 1), None);
    }

    #[test]
    fn working_days_skip_weekends() {
        // Friday 2025-03-07 + 15 working days = Friday 2025-03-28.
        let fri = NaiveDate::from_ymd_opt(2025, 3, 7).unwrap();
        assert_eq!(
            due_date(fri, 15, true),
            NaiveDate::from_ymd_opt(2025, 3, 28).unwrap()
        );
        assert_eq!(
            due_date(fri, 30, false),
            NaiveDate::from_ymd_opt(2025, 4, 6).unwrap()
        );
    }
}
