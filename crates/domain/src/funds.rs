//! Public money to enterprises (资金与服务): one model of a funding programme (资金项目) and one
//! ledger of what each organization received, and the programmes the plans name on it —
//! 科技奖补 (免申即享), 科技创新券 with registered service providers, 大型科研仪器 open sharing,
//! 科技贷 with its 贴息 and risk-compensation pool.
//!
//! A programme decides per *matter* (事项: a reward item, a voucher order, a loan's interest
//! of a year): the decision is a grant (资金安排) with its amount, explanation and rule; a grant
//! is noticed (公示), approved and then paid (拨付) — the payments are the ledger. One matter is
//! paid once across every programme (同一事项不重复支持).
//!
//! This module is pure: the vocabularies, the parsing of what users type, and the checks a
//! voucher redemption and a booking must pass, each failing check with a stable code and a
//! Chinese sentence.

use crate::error::{Collector, FieldError, Invalid};
use crate::money::{check_yuan, parse_yuan, to_fen};
use crate::region::RegionCode;
use chrono::{NaiveDate, NaiveDateTime};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

labeled_enum!(
    /// 资金项目类别.
    ProgrammeKind, "kind", "资金项目类别", {
        Reward => ("reward", "科技奖补"),
        Voucher => ("voucher", "科技创新券"),
        Instrument => ("instrument", "仪器共享后补助"),
        Interest => ("interest", "科技贷贴息"),
        Insurance => ("insurance", "科技保险补贴"),
        Compensation => ("compensation", "科技贷风险补偿"),
        Commissioner => ("commissioner", "科技特派员工作经费"),
        Talent => ("talent", "人才补贴"),
        Other => ("other", "其他资金项目"),
    }
);

labeled_enum!(
    /// 支持方式: enterprises apply, or the bureau computes who is entitled.
    ProgrammeMode, "mode", "支持方式", {
        Apply => ("apply", "申报制"),
        Auto => ("auto", "免申即享"),
    }
);

labeled_enum!(
    ProgrammeStatus, "status", "项目状态", {
        Draft => ("draft", "筹备中"),
        Open => ("open", "实施中"),
        Closed => ("closed", "已结束"),
    }
);

labeled_enum!(
    /// 资金安排状态: proposed → noticed (公示) → approved → paid; refused at any step before
    /// payment.
    GrantStatus, "status", "资金安排状态", {
        Proposed => ("proposed", "拟支持"),
        Noticed => ("noticed", "公示中"),
        Approved => ("approved", "已批准"),
        Paid => ("paid", "已拨付"),
        Refused => ("refused", "不予支持"),
    }
);

labeled_enum!(
    /// 科技服务类型 (the voucher's service categories; 青海 2025 办法 and services.md §3).
    ServiceType, "service", "科技服务类型", {
        Testing => ("testing", "检验检测"),
        Research => ("research", "研究开发"),
        Design => ("design", "研发设计"),
        Ip => ("ip", "知识产权"),
        Transfer => ("transfer", "技术转移"),
        Consulting => ("consulting", "科技咨询"),
        Instrument => ("instrument", "大型仪器共享"),
        Computing => ("computing", "绿色算力"),
        Finance => ("finance", "科技金融服务"),
    }
);

impl ServiceType {
    /// The numeric code the voucher pack's `service` input uses (its label lists them).
    pub fn code(self) -> i64 {
        match self {
            ServiceType::Testing => 1,
            ServiceType::Research => 2,
            ServiceType::Design => 3,
            ServiceType::Ip => 4,
            ServiceType::Transfer => 5,
            ServiceType::Consulting => 6,
            ServiceType::Instrument => 7,
            ServiceType::Computing => 8,
            ServiceType::Finance => 9,
        }
    }
}

labeled_enum!(
    /// 科技保险险种 (济源“十四五”规划所列，加出口信用保险).
    InsuranceProduct, "product", "科技保险险种", {
        RdLiability => ("rd_liability", "研发责任保险"),
        KeyEquipment => ("key_equipment", "关键研发设备保险"),
        ProductQuality => ("product_quality", "产品质量保证保险"),
        LoanGuarantee => ("loan_guarantee", "小额贷款保证保险"),
        ExportCredit => ("export_credit", "出口信用保险"),
        Challenge => ("challenge", "揭榜险"),
        Other => ("other", "其他险种"),
    }
);

impl InsuranceProduct {
    /// The `product` code of the tech-insurance pack (its label lists them).
    pub fn code(self) -> i64 {
        match self {
            InsuranceProduct::RdLiability => 1,
            InsuranceProduct::KeyEquipment => 2,
            InsuranceProduct::ProductQuality => 3,
            InsuranceProduct::LoanGuarantee => 4,
            InsuranceProduct::ExportCredit => 5,
            InsuranceProduct::Challenge => 6,
            InsuranceProduct::Other => 0,
        }
    }
}

labeled_enum!(
    ProviderStatus, "status", "服务机构状态", {
        Registered => ("registered", "已入库"),
        Suspended => ("suspended", "暂停服务"),
    }
);

labeled_enum!(
    /// 创新券状态.
    VoucherStatus, "status", "创新券状态", {
        Applied => ("applied", "待审核"),
        Issued => ("issued", "已发放"),
        Refused => ("refused", "未通过"),
        Used => ("used", "已用完"),
        Expired => ("expired", "已过期"),
    }
);

labeled_enum!(
    /// 服务订单状态.
    OrderStatus, "status", "服务订单状态", {
        Placed => ("placed", "服务中"),
        Completed => ("completed", "待兑付"),
        Redeemed => ("redeemed", "已兑付"),
        Cancelled => ("cancelled", "已取消"),
    }
);

labeled_enum!(
    /// 仪器开放状态.
    InstrumentStatus, "status", "开放状态", {
        Open => ("open", "对外开放"),
        Internal => ("internal", "仅内部使用"),
        Repair => ("repair", "维修中"),
        Retired => ("retired", "已报废"),
    }
);

labeled_enum!(
    BookingStatus, "status", "预约状态", {
        Booked => ("booked", "已预约"),
        Used => ("used", "已使用"),
        Cancelled => ("cancelled", "已取消"),
    }
);

labeled_enum!(
    LoanStatus, "status", "贷款状态", {
        Active => ("active", "在贷"),
        Repaid => ("repaid", "已结清"),
        Defaulted => ("defaulted", "已代偿"),
    }
);

labeled_enum!(
    /// 风险补偿资金池收支.
    PoolEntryKind, "kind", "资金池收支类别", {
        Deposit => ("deposit", "财政注资"),
        Compensation => ("compensation", "风险补偿"),
        Recovery => ("recovery", "追偿回收"),
    }
);

pub(crate) fn date(c: &mut Collector, field: &str, label: &str, s: &str) -> Option<NaiveDate> {
    match NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d") {
        Ok(d) => Some(d),
        Err(_) => {
            c.push(FieldError::new(
                field,
                "date.format",
                format!("{label}格式应为 YYYY-MM-DD"),
            ));
            None
        }
    }
}

pub(crate) fn text(
    c: &mut Collector,
    field: &str,
    label: &str,
    s: &str,
    max: usize,
    required: bool,
) -> String {
    let t = s.trim();
    if required && t.is_empty() {
        c.push(FieldError::new(
            field,
            &format!("{field}.required"),
            format!("{label}不能为空"),
        ));
    } else if t.chars().count() > max {
        c.push(FieldError::new(
            field,
            &format!("{field}.length"),
            format!("{label}不超过{max}个字"),
        ));
    }
    t.to_owned()
}

/// A yuan amount typed by a user → fen; positive when `positive`.
pub(crate) fn fen(
    c: &mut Collector,
    field: &str,
    label: &str,
    s: &str,
    positive: bool,
) -> Option<i64> {
    let d = c.take(parse_yuan(field, label, s, true))?;
    if positive && d <= Decimal::ZERO {
        c.push(FieldError::new(
            field,
            "amount.positive",
            format!("{label}必须大于零"),
        ));
        return None;
    }
    to_fen(d)
}

pub(crate) fn optional_fen(c: &mut Collector, field: &str, label: &str, s: &str) -> Option<i64> {
    if s.trim().is_empty() {
        None
    } else {
        fen(c, field, label, s, true)
    }
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(default)]
pub struct ProgrammeInput {
    /// 项目编号, e.g. JY-CXQ-2025.
    pub code: String,
    pub name: String,
    pub kind: String,
    pub mode: String,
    pub year: i32,
    /// 实施区域 (the bureau's region).
    pub region: String,
    /// 预算 (元).
    pub budget: String,
    /// 资金来源, e.g. 市级科技专项资金.
    pub fund_source: String,
    /// 政策依据 (文件名称及文号).
    pub basis: String,
    /// The policy pack that decides eligibility and amounts (a shipped pack id).
    pub pack: String,
    /// 单个企业年度支持上限 (元), when the batch sets one below the pack's.
    pub org_cap: String,
    /// 公示期 (日).
    pub notice_days: i64,
    /// 创新券有效期 (日), for a voucher batch.
    pub valid_days: i64,
    pub status: String,
    pub note: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewProgramme {
    pub code: String,
    pub name: String,
    pub kind: ProgrammeKind,
    pub mode: ProgrammeMode,
    pub year: i32,
    pub region: RegionCode,
    pub budget_fen: i64,
    pub fund_source: String,
    pub basis: String,
    pub pack: Option<String>,
    pub org_cap_fen: Option<i64>,
    pub notice_days: i64,
    pub valid_days: Option<i64>,
    pub status: ProgrammeStatus,
    pub note: String,
}

impl NewProgramme {
    /// `packs` are the shipped pack ids a programme may name.
    pub fn parse(i: &ProgrammeInput, packs: &[&str]) -> Result<Self, Invalid> {
        let mut c = Collector::default();
        let code = i.code.trim().to_uppercase();
        if code.is_empty()
            || code.chars().count() > 40
            || !code
                .chars()
                .all(|ch| ch.is_ascii_alphanumeric() || ch == '-')
        {
            c.push(FieldError::new(
                "code",
                "code.format",
                "项目编号不能为空，由字母、数字和“-”组成，不超过40个字符",
            ));
        }
        let name = text(&mut c, "name", "项目名称", &i.name, 100, true);
        let kind = c.take(ProgrammeKind::parse(&i.kind));
        let mode = c.take(ProgrammeMode::parse(&i.mode));
        if !(2000..=2100).contains(&i.year) {
            c.push(FieldError::new(
                "year",
                "year.range",
                "年度应在2000至2100之间",
            ));
        }
        let region = c.take(RegionCode::parse_known(i.region.trim()));
        let budget_fen = fen(&mut c, "budget", "预算", &i.budget, true);
        let fund_source = text(&mut c, "fund_source", "资金来源", &i.fund_source, 100, true);
        let basis = text(&mut c, "basis", "政策依据", &i.basis, 300, true);
        let pack = match i.pack.trim() {
            "" => None,
            p if packs.contains(&p) => Some(p.to_owned()),
            p => {
                c.push(FieldError::new(
                    "pack",
                    "pack.unknown",
                    format!("政策包“{p}”不存在，可选：{}", packs.join("、")),
                ));
                None
            }
        };
        let org_cap_fen = optional_fen(&mut c, "org_cap", "单个企业支持上限", &i.org_cap);
        if !(0..=90).contains(&i.notice_days) {
            c.push(FieldError::new(
                "notice_days",
                "notice_days.range",
                "公示期应在0至90日之间",
            ));
        }
        let valid_days = match kind {
            Some(ProgrammeKind::Voucher) => {
                if !(1..=730).contains(&i.valid_days) {
                    c.push(FieldError::new(
                        "valid_days",
                        "valid_days.range",
                        "创新券有效期应在1至730日之间",
                    ));
                }
                Some(i.valid_days)
            }
            _ => None,
        };
        if kind == Some(ProgrammeKind::Voucher) && pack.is_none() {
            c.push(FieldError::new(
                "pack",
                "pack.required",
                "科技创新券须指定决定资格和抵扣比例的政策包",
            ));
        }
        let status = match i.status.trim() {
            "" => Some(ProgrammeStatus::Open),
            s => c.take(ProgrammeStatus::parse(s)),
        };
        let note = text(&mut c, "note", "说明", &i.note, 2000, false);
        c.finish()?;
        let missing = || Invalid::one("programme", "programme.internal", "资金项目数据不完整");
        Ok(Self {
            code,
            name,
            kind: kind.ok_or_else(missing)?,
            mode: mode.ok_or_else(missing)?,
            year: i.year,
            region: region.ok_or_else(missing)?,
            budget_fen: budget_fen.ok_or_else(missing)?,
            fund_source,
            basis,
            pack,
            org_cap_fen,
            notice_days: i.notice_days,
            valid_days,
            status: status.ok_or_else(missing)?,
            note,
        })
    }
}

/// A payment (拨付) of an approved grant.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(default)]
pub struct PaymentInput {
    /// YYYY-MM-DD
    pub paid_on: String,
    /// 元
    pub amount: String,
    /// 拨付凭证号 / 文号
    pub document_no: String,
    pub note: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewPayment {
    pub paid_on: NaiveDate,
    pub amount_fen: i64,
    pub document_no: String,
    pub note: String,
}

impl NewPayment {
    pub fn parse(i: &PaymentInput) -> Result<Self, Invalid> {
        let mut c = Collector::default();
        let paid_on = date(&mut c, "paid_on", "拨付日期", &i.paid_on);
        let amount_fen = fen(&mut c, "amount", "拨付金额", &i.amount, true);
        let document_no = text(
            &mut c,
            "document_no",
            "拨付凭证号",
            &i.document_no,
            60,
            true,
        );
        let note = text(&mut c, "note", "备注", &i.note, 500, false);
        c.finish()?;
        let missing = || Invalid::one("payment", "payment.internal", "拨付数据不完整");
        Ok(Self {
            paid_on: paid_on.ok_or_else(missing)?,
            amount_fen: amount_fen.ok_or_else(missing)?,
            document_no,
            note,
        })
    }
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(default)]
pub struct ProviderInput {
    /// The organization of the registry that provides the services.
    pub org_id: i64,
    pub services: Vec<String>,
    /// 资质 (CMA/CNAS 证书、备案等).
    pub qualifications: String,
    /// 收费标准
    pub prices: String,
    pub contact: String,
    /// 申报的关联单位 (统一社会信用代码: shareholders, subsidiaries), refused as voucher
    /// counterparties.
    pub related_codes: Vec<String>,
    pub status: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewProvider {
    pub org_id: i64,
    pub services: Vec<ServiceType>,
    pub qualifications: String,
    pub prices: String,
    pub contact: String,
    pub related_codes: Vec<String>,
    pub status: ProviderStatus,
}

impl NewProvider {
    pub fn parse(i: &ProviderInput) -> Result<Self, Invalid> {
        let mut c = Collector::default();
        if i.org_id <= 0 {
            c.push(FieldError::new(
                "org_id",
                "org.required",
                "请选择服务机构（登记的单位）",
            ));
        }
        let mut services = Vec::new();
        for s in &i.services {
            if let Some(s) = c.take(ServiceType::parse(s))
                && !services.contains(&s)
            {
                services.push(s);
            }
        }
        if services.is_empty() {
            c.push(FieldError::new(
                "services",
                "services.required",
                "请至少选择一项服务类型",
            ));
        }
        let qualifications = text(
            &mut c,
            "qualifications",
            "资质",
            &i.qualifications,
            500,
            true,
        );
        let prices = text(&mut c, "prices", "收费标准", &i.prices, 1000, false);
        let contact = text(&mut c, "contact", "联系方式", &i.contact, 100, false);
        let mut related_codes = Vec::new();
        for code in &i.related_codes {
            let t = code.trim();
            if t.is_empty() {
                continue;
            }
            if let Some(cc) = c.take(crate::credit_code::CreditCode::parse(t)) {
                let s = cc.as_str().to_owned();
                if !related_codes.contains(&s) {
                    related_codes.push(s);
                }
            }
        }
        let status = match i.status.trim() {
            "" => Some(ProviderStatus::Registered),
            s => c.take(ProviderStatus::parse(s)),
        };
        c.finish()?;
        Ok(Self {
            org_id: i.org_id,
            services,
            qualifications,
            prices,
            contact,
            related_codes,
            status: status.unwrap_or(ProviderStatus::Registered),
        })
    }
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(default)]
pub struct InstrumentInput {
    pub name: String,
    pub model: String,
    /// 分类 (大型科学仪器设备分类: 分析仪器、物理性能测试仪器 …).
    pub category: String,
    /// 原值 (元)
    pub original_value: String,
    /// 所属单位 (an organization of the registry).
    pub host_org_id: i64,
    pub location: String,
    pub status: String,
    /// 对外收费 (元/小时)
    pub fee_per_hour: String,
    /// 年额定机时
    pub rated_hours: i64,
    pub manager: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewInstrument {
    pub name: String,
    pub model: String,
    pub category: String,
    pub original_value_fen: i64,
    pub host_org_id: i64,
    pub location: String,
    pub status: InstrumentStatus,
    pub fee_per_hour_fen: i64,
    pub rated_hours: i64,
    pub manager: String,
}

impl NewInstrument {
    pub fn parse(i: &InstrumentInput) -> Result<Self, Invalid> {
        let mut c = Collector::default();
        let name = text(&mut c, "name", "仪器名称", &i.name, 100, true);
        let model = text(&mut c, "model", "规格型号", &i.model, 100, true);
        let category = text(&mut c, "category", "仪器分类", &i.category, 50, true);
        let original_value_fen = fen(&mut c, "original_value", "原值", &i.original_value, true);
        if i.host_org_id <= 0 {
            c.push(FieldError::new(
                "host_org_id",
                "org.required",
                "请选择所属单位",
            ));
        }
        let location = text(&mut c, "location", "安放地点", &i.location, 200, true);
        let status = match i.status.trim() {
            "" => Some(InstrumentStatus::Open),
            s => c.take(InstrumentStatus::parse(s)),
        };
        let fee_per_hour_fen = fen(&mut c, "fee_per_hour", "对外收费", &i.fee_per_hour, false);
        if !(0..=8784).contains(&i.rated_hours) {
            c.push(FieldError::new(
                "rated_hours",
                "rated_hours.range",
                "年额定机时应在0至8784小时之间",
            ));
        }
        let manager = text(&mut c, "manager", "负责人", &i.manager, 30, false);
        c.finish()?;
        let missing = || Invalid::one("instrument", "instrument.internal", "仪器数据不完整");
        Ok(Self {
            name,
            model,
            category,
            original_value_fen: original_value_fen.ok_or_else(missing)?,
            host_org_id: i.host_org_id,
            location,
            status: status.ok_or_else(missing)?,
            fee_per_hour_fen: fee_per_hour_fen.ok_or_else(missing)?,
            rated_hours: i.rated_hours,
            manager,
        })
    }
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(default)]
pub struct BookingInput {
    /// YYYY-MM-DD HH:MM (Asia/Shanghai)
    pub starts_at: String,
    pub ends_at: String,
    pub purpose: String,
    /// 送样 or 自测 is said in the purpose; the service type of the voucher it may use.
    pub service: String,
}

/// A booking's time window, in minutes of local time; whole or half hours only.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewBooking {
    pub starts_at: NaiveDateTime,
    pub ends_at: NaiveDateTime,
    pub purpose: String,
}

fn datetime(c: &mut Collector, field: &str, label: &str, s: &str) -> Option<NaiveDateTime> {
    let t = s.trim().replace('T', " ");
    match NaiveDateTime::parse_from_str(&t, "%Y-%m-%d %H:%M")
        .or_else(|_| NaiveDateTime::parse_from_str(&t, "%Y-%m-%d %H:%M:%S"))
    {
        Ok(d) => Some(d),
        Err(_) => {
            c.push(FieldError::new(
                field,
                "datetime.format",
                format!("{label}格式应为 YYYY-MM-DD HH:MM"),
            ));
            None
        }
    }
}

impl NewBooking {
    /// `now` is local time (Asia/Shanghai); a booking must start after it.
    pub fn parse(i: &BookingInput, now: NaiveDateTime) -> Result<Self, Invalid> {
        let mut c = Collector::default();
        let s = datetime(&mut c, "starts_at", "开始时间", &i.starts_at);
        let e = datetime(&mut c, "ends_at", "结束时间", &i.ends_at);
        let purpose = text(&mut c, "purpose", "用途（测试内容）", &i.purpose, 200, true);
        c.finish()?;
        let (Some(s), Some(e)) = (s, e) else {
            return Err(Invalid::one(
                "starts_at",
                "datetime.format",
                "预约时间不完整",
            ));
        };
        if e <= s {
            return Err(Invalid::one(
                "ends_at",
                "booking.order",
                "结束时间必须晚于开始时间",
            ));
        }
        if s <= now {
            return Err(Invalid::one(
                "starts_at",
                "booking.past",
                format!(
                    "不能预约已过去的时间（开始时间 {} 早于当前时间 {}）",
                    s.format("%Y-%m-%d %H:%M"),
                    now.format("%Y-%m-%d %H:%M")
                ),
            ));
        }
        if (e - s).num_hours() > 72 {
            return Err(Invalid::one(
                "ends_at",
                "booking.too_long",
                "单次预约不超过72小时，更长的使用请分次预约",
            ));
        }
        use chrono::Timelike;
        if s.minute() % 30 != 0 || e.minute() % 30 != 0 {
            return Err(Invalid::one(
                "starts_at",
                "booking.granularity",
                "预约时间以半小时为单位（整点或半点）",
            ));
        }
        Ok(Self {
            starts_at: s,
            ends_at: e,
            purpose,
        })
    }
}

/// Two half-open windows `[a0, a1)` and `[b0, b1)` share a moment.
pub fn overlaps<T: PartialOrd>(a0: T, a1: T, b0: T, b1: T) -> bool {
    a0 < b1 && b0 < a1
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(default)]
pub struct OrderInput {
    pub voucher_id: i64,
    /// 服务机构 (a registered provider)
    pub provider_id: i64,
    pub service: String,
    /// 合同名称
    pub contract_name: String,
    /// 合同编号
    pub contract_no: String,
    /// 合同金额 (服务费, 元)
    pub fee: String,
    /// 签订日期
    pub signed_on: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewOrder {
    pub voucher_id: i64,
    pub provider_id: i64,
    pub service: ServiceType,
    pub contract_name: String,
    pub contract_no: String,
    pub fee_fen: i64,
    pub signed_on: NaiveDate,
}

impl NewOrder {
    pub fn parse(i: &OrderInput) -> Result<Self, Invalid> {
        let mut c = Collector::default();
        if i.voucher_id <= 0 {
            c.push(FieldError::new(
                "voucher_id",
                "voucher.required",
                "请选择创新券",
            ));
        }
        if i.provider_id <= 0 {
            c.push(FieldError::new(
                "provider_id",
                "provider.required",
                "请选择服务机构",
            ));
        }
        let service = c.take(ServiceType::parse(&i.service));
        let contract_name = text(
            &mut c,
            "contract_name",
            "合同名称",
            &i.contract_name,
            100,
            true,
        );
        let contract_no = text(&mut c, "contract_no", "合同编号", &i.contract_no, 60, true);
        let fee_fen = fen(&mut c, "fee", "合同金额", &i.fee, true);
        let signed_on = date(&mut c, "signed_on", "签订日期", &i.signed_on);
        c.finish()?;
        let missing = || Invalid::one("order", "order.internal", "订单数据不完整");
        Ok(Self {
            voucher_id: i.voucher_id,
            provider_id: i.provider_id,
            service: service.ok_or_else(missing)?,
            contract_name,
            contract_no,
            fee_fen: fee_fen.ok_or_else(missing)?,
            signed_on: signed_on.ok_or_else(missing)?,
        })
    }
}

/// The two sides of a voucher order, as the registry knows them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Party {
    pub org_id: i64,
    pub name: String,
    pub credit_code: String,
    pub legal_representative: Option<String>,
}

/// What a redemption (兑付) is checked on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RedemptionFacts {
    pub today: NaiveDate,
    pub voucher_status: VoucherStatus,
    pub voucher_no: String,
    pub expires_on: NaiveDate,
    /// The order's contract date: the voucher must have been valid then.
    pub signed_on: NaiveDate,
    /// The voucher's remaining value (fen).
    pub remaining_fen: i64,
    pub enterprise: Party,
    pub provider: Party,
    pub provider_registered: bool,
    pub provider_services: Vec<ServiceType>,
    pub service: ServiceType,
    /// 服务机构申报的关联单位
    pub declared_related: Vec<String>,
    /// Persons of the registry working at one side whose name is the other side's legal
    /// representative.
    pub linked_persons: Vec<String>,
    /// The programmes and grants that already paid this order or its contract number.
    pub already_paid: Vec<String>,
    /// The pack's decision: the offset it allows (fen) and its explanation.
    pub offset_fen: i64,
    pub offset_reason: String,
}

/// One check of a redemption, passed or failed, with its stable code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Check {
    pub code: String,
    pub label: String,
    pub passed: bool,
    pub detail: String,
}

fn check(code: &str, label: &str, passed: bool, detail: String) -> Check {
    Check {
        code: code.to_owned(),
        label: label.to_owned(),
        passed,
        detail,
    }
}

/// Every check a voucher redemption must pass, in the order an officer reads them. The order
/// may be redeemed iff all pass; the first failing one is the refusal.
pub fn redemption_checks(f: &RedemptionFacts) -> Vec<Check> {
    let yuan = |x: i64| crate::money::from_fen(x).to_string();
    let mut out = vec![check(
        "voucher.valid",
        "创新券有效",
        matches!(f.voucher_status, VoucherStatus::Issued)
            && f.signed_on <= f.expires_on
            && f.today <= f.expires_on,
        if !matches!(f.voucher_status, VoucherStatus::Issued) {
            format!(
                "创新券{}状态为“{}”，不能兑付",
                f.voucher_no,
                f.voucher_status.label()
            )
        } else if f.signed_on > f.expires_on || f.today > f.expires_on {
            format!(
                "创新券{}已于{}过期（合同签订于{}）",
                f.voucher_no, f.expires_on, f.signed_on
            )
        } else {
            format!("创新券{}有效期至{}", f.voucher_no, f.expires_on)
        },
    )];
    out.push(check(
        "voucher.provider",
        "服务机构已入库且登记了该服务",
        f.provider_registered && f.provider_services.contains(&f.service),
        if !f.provider_registered {
            format!("{}不是已入库的创新券服务机构", f.provider.name)
        } else if !f.provider_services.contains(&f.service) {
            format!("{}未登记“{}”服务", f.provider.name, f.service.label())
        } else {
            format!(
                "{}已入库，登记了“{}”服务",
                f.provider.name,
                f.service.label()
            )
        },
    ));
    let e = &f.enterprise;
    let p = &f.provider;
    let same_code = e.credit_code == p.credit_code;
    let same_rep = matches!((&e.legal_representative, &p.legal_representative),
        (Some(a), Some(b)) if !a.trim().is_empty() && a.trim() == b.trim());
    let declared = f.declared_related.contains(&e.credit_code);
    let related = same_code || same_rep || declared || !f.linked_persons.is_empty();
    out.push(check(
        "voucher.related_party",
        "服务机构与企业无关联关系",
        !related,
        if same_code {
            format!(
                "服务机构与企业是同一单位（统一社会信用代码 {}）",
                e.credit_code
            )
        } else if same_rep {
            format!(
                "服务机构与企业的法定代表人相同（{}），属关联方",
                e.legal_representative.as_deref().unwrap_or_default()
            )
        } else if declared {
            format!("{}在服务机构申报的关联单位（股东/投资企业）名单中", e.name)
        } else if let Some(n) = f.linked_persons.first() {
            format!("{n}同时任职于一方并担任另一方的法定代表人，属关联方")
        } else {
            "统一社会信用代码、法定代表人、人员任职和申报的关联单位均无关联".to_owned()
        },
    ));
    out.push(check(
        "voucher.duplicate",
        "同一服务未获其他资金支持",
        f.already_paid.is_empty(),
        if f.already_paid.is_empty() {
            "该订单及其合同未在任何资金项目中获得支持".to_owned()
        } else {
            format!("同一事项不重复支持：已由{}支持", f.already_paid.join("、"))
        },
    ));
    out.push(check(
        "voucher.amount",
        "抵扣金额在比例、上限和余额之内",
        f.offset_fen > 0 && f.offset_fen <= f.remaining_fen,
        if f.offset_fen <= 0 {
            format!("按政策包无可抵扣金额：{}", f.offset_reason)
        } else if f.offset_fen > f.remaining_fen {
            format!(
                "抵扣 {} 元超过创新券余额 {} 元",
                yuan(f.offset_fen),
                yuan(f.remaining_fen)
            )
        } else {
            format!(
                "抵扣 {} 元（{}），创新券余额 {} 元",
                yuan(f.offset_fen),
                f.offset_reason,
                yuan(f.remaining_fen)
            )
        },
    ));
    out
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(default)]
pub struct LoanInput {
    /// The 科技贷 programme the loan is registered against.
    pub programme_id: i64,
    pub org_id: i64,
    /// 合作银行 (an organization of the registry).
    pub bank_org_id: i64,
    pub contract_no: String,
    /// 元
    pub amount: String,
    /// 年利率 (%), e.g. 3.65
    pub rate: String,
    pub start_on: String,
    pub end_on: String,
    /// 信用贷款 (无抵质押、无担保)
    pub credit: bool,
    /// 首贷
    pub first_loan: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewLoan {
    pub programme_id: i64,
    pub org_id: i64,
    pub bank_org_id: i64,
    pub contract_no: String,
    pub amount_fen: i64,
    /// Percent, exact.
    pub rate: Decimal,
    pub start_on: NaiveDate,
    pub end_on: NaiveDate,
    pub credit: bool,
    pub first_loan: bool,
}

impl NewLoan {
    pub fn parse(i: &LoanInput) -> Result<Self, Invalid> {
        let mut c = Collector::default();
        if i.programme_id <= 0 {
            c.push(FieldError::new(
                "programme_id",
                "programme.required",
                "请选择科技贷资金项目",
            ));
        }
        if i.org_id <= 0 {
            c.push(FieldError::new("org_id", "org.required", "请选择借款企业"));
        }
        if i.bank_org_id <= 0 {
            c.push(FieldError::new(
                "bank_org_id",
                "bank.required",
                "请选择合作银行",
            ));
        }
        let contract_no = text(
            &mut c,
            "contract_no",
            "借款合同编号",
            &i.contract_no,
            60,
            true,
        );
        let amount_fen = fen(&mut c, "amount", "贷款金额", &i.amount, true);
        let rate = match i.rate.trim().trim_end_matches('%').parse::<Decimal>() {
            Ok(r) if r > Decimal::ZERO && r < Decimal::from(36) && r.normalize().scale() <= 4 => {
                Some(r.normalize())
            }
            _ => {
                c.push(FieldError::new(
                    "rate",
                    "rate.format",
                    "年利率应为大于0、小于36的百分数，最多4位小数（如 3.65）",
                ));
                None
            }
        };
        let s = date(&mut c, "start_on", "放款日期", &i.start_on);
        let e = date(&mut c, "end_on", "到期日期", &i.end_on);
        if let (Some(s), Some(e)) = (s, e)
            && e <= s
        {
            c.push(FieldError::new(
                "end_on",
                "loan.dates",
                "到期日期必须晚于放款日期",
            ));
        }
        c.finish()?;
        let missing = || Invalid::one("loan", "loan.internal", "贷款数据不完整");
        Ok(Self {
            programme_id: i.programme_id,
            org_id: i.org_id,
            bank_org_id: i.bank_org_id,
            contract_no,
            amount_fen: amount_fen.ok_or_else(missing)?,
            rate: rate.ok_or_else(missing)?,
            start_on: s.ok_or_else(missing)?,
            end_on: e.ok_or_else(missing)?,
            credit: i.credit,
            first_loan: i.first_loan,
        })
    }
}

/// A yuan amount typed for a decision (an interest paid, a loss, a deposit).
pub fn amount_fen(field: &str, label: &str, s: &str) -> Result<i64, Invalid> {
    let d = parse_yuan(field, label, s, true)?;
    let d = check_yuan(field, label, d, true)?;
    if d <= Decimal::ZERO {
        return Err(Invalid::one(
            field,
            "amount.positive",
            format!("{label}必须大于零"),
        ));
    }
    to_fen(d).ok_or_else(|| Invalid::one(field, "amount.range", format!("{label}超出允许范围")))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn party(id: i64, code: &str, rep: &str) -> Party {
        Party {
            org_id: id,
            name: format!("单位{id}"),
            credit_code: code.into(),
            legal_representative: Some(rep.into()),
        }
    }

    fn facts() -> RedemptionFacts {
        RedemptionFacts {
            today: NaiveDate::from_ymd_opt(2025, 6, 1).unwrap(),
            voucher_status: VoucherStatus::Issued,
            voucher_no: "JY-CXQ-2025-0001".into(),
            expires_on: NaiveDate::from_ymd_opt(2025, 9, 30).unwrap(),
            signed_on: NaiveDate::from_ymd_opt(2025, 5, 1).unwrap(),
            remaining_fen: 10_000_000,
            enterprise: party(1, "A", "张三"),
            provider: party(2, "B", "李四"),
            provider_registered: true,
            provider_services: vec![ServiceType::Testing],
            service: ServiceType::Testing,
            declared_related: vec![],
            linked_persons: vec![],
            already_paid: vec![],
            offset_fen: 8_000_000,
            offset_reason: "检验检测 80%".into(),
        }
    }

    fn failing(f: &RedemptionFacts) -> Vec<String> {
        redemption_checks(f)
            .into_iter()
            .filter(|c| !c.passed)
            .map(|c| c.code)
            .collect()
    }

    #[test]
    fn a_clean_order_passes_every_check() {
        assert!(failing(&facts()).is_empty());
    }

    #[test]
    fn each_kind_of_relation_is_refused_with_its_reason() {
        let mut f = facts();
        f.provider.legal_representative = Some("张三".into());
        let c = redemption_checks(&f);
        let r = c
            .iter()
            .find(|c| c.code == "voucher.related_party")
            .unwrap();
        assert!(!r.passed);
        assert!(r.detail.contains("法定代表人相同（张三）"), "{}", r.detail);

        let mut f = facts();
        f.declared_related = vec!["A".into()];
        assert_eq!(failing(&f), ["voucher.related_party"]);
        let mut f = facts();
        f.provider.credit_code = "A".into();
        assert_eq!(failing(&f), ["voucher.related_party"]);
        let mut f = facts();
        f.linked_persons = vec!["王五".into()];
        assert_eq!(failing(&f), ["voucher.related_party"]);
    }

    #[test]
    fn expiry_amount_provider_and_duplicates_fail_on_their_own_code() {
        let mut f = facts();
        f.today = NaiveDate::from_ymd_opt(2025, 10, 1).unwrap();
        assert_eq!(failing(&f), ["voucher.valid"]);
        let mut f = facts();
        f.remaining_fen = 7_999_999;
        assert_eq!(failing(&f), ["voucher.amount"]);
        let mut f = facts();
        f.provider_services = vec![ServiceType::Ip];
        assert_eq!(failing(&f), ["voucher.provider"]);
        let mut f = facts();
        f.already_paid = vec!["2025年科技奖补".into()];
        assert_eq!(failing(&f), ["voucher.duplicate"]);
    }

    #[test]
    fn bookings_refuse_the_past_reversed_and_odd_minutes() {
        let now = NaiveDate::from_ymd_opt(2025, 6, 1)
            .unwrap()
            .and_hms_opt(9, 0, 0)
            .unwrap();
        let b = |s: &str, e: &str| {
            NewBooking::parse(
                &BookingInput {
                    starts_at: s.into(),
                    ends_at: e.into(),
                    purpose: "送样测试".into(),
                    service: String::new(),
                },
                now,
            )
        };
        assert!(b("2025-06-02 09:00", "2025-06-02 11:30").is_ok());
        let code = |r: Result<NewBooking, Invalid>| r.unwrap_err().0[0].code.clone();
        assert_eq!(
            code(b("2025-06-01 08:00", "2025-06-01 10:00")),
            "booking.past"
        );
        assert_eq!(
            code(b("2025-06-02 11:00", "2025-06-02 10:00")),
            "booking.order"
        );
        assert_eq!(
            code(b("2025-06-02 09:10", "2025-06-02 10:00")),
            "booking.granularity"
        );
        assert!(overlaps(1, 3, 2, 4));
        assert!(
            !overlaps(1, 2, 2, 4),
            "back-to-back bookings do not overlap"
        );
    }
}
