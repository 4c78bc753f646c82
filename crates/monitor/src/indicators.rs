//! The indicator library: data elements (what is counted or entered) and indicators (formulas
//! over data elements), after DHIS2's split (monitoring.md A1/A2, C1).
//!
//! An indicator is never stored: it is computed from the data elements of one region-year by
//! [`compute`], at every level of the region tree from the *aggregated* data elements
//! ([`crate::aggregate`](mod@crate::aggregate)). That is how a city's R&D intensity becomes ΣR&D / ΣGDP and not the mean
//! of its counties' percentages.

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// Where the values of a data element come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Origin {
    /// Computed by the storage layer from Kechuang's own registries; `measure` says how.
    /// An absent registry value means zero (a count over no rows), see [`crate::aggregate`](mod@crate::aggregate).
    Registry { measure: &'static str },
    /// Entered by officers, with a source and a date (kept by the storage layer), usually the
    /// 统计局 / 知识产权局 / 科技局 figure. An absent entered value means "not reported".
    Entered { typical_source: &'static str },
}

/// Aggregation over time (monitoring.md C1). Yearly values only are handled here; the kind tells
/// the storage layer how to turn monthly/quarterly records into the yearly value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Temporal {
    /// Year-end stock: LAST value of the year (certificates valid at 31 Dec, platforms, patents
    /// in force, population).
    Stock,
    /// Flow: SUM over the months of the year (contract turnover, R&D spending, GDP).
    Flow,
}

/// A data element: one number per region and year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct DataElement {
    pub key: &'static str,
    pub name_zh: &'static str,
    pub unit: &'static str,
    pub origin: Origin,
    pub temporal: Temporal,
}

impl DataElement {
    /// True for registry measures (absent = 0).
    pub fn is_registry(&self) -> bool {
        matches!(self.origin, Origin::Registry { .. })
    }
}

/// How an indicator is computed from the data elements of one region-year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Formula {
    /// A count measured on the registry (one data element of [`Origin::Registry`]).
    Count { element: &'static str },
    /// A data element entered by officers, used as is.
    Entered { element: &'static str },
    /// The sum of several data elements (e.g. platforms of several levels).
    Sum { elements: &'static [&'static str] },
    /// `factor × numerator / denominator` (factor 100 for %, 1 for "per 万人" when the
    /// denominator is already in 万人).
    Ratio {
        numerator: &'static str,
        denominator: &'static str,
        factor: u32,
    },
}

impl Formula {
    /// The data elements the formula reads.
    pub fn elements(&self) -> Vec<&'static str> {
        match *self {
            Formula::Count { element } | Formula::Entered { element } => vec![element],
            Formula::Sum { elements } => elements.to_vec(),
            Formula::Ratio {
                numerator,
                denominator,
                ..
            } => vec![numerator, denominator],
        }
    }
}

/// How an indicator's value at a parent region relates to its children.
///
/// In both cases the *data elements* are summed up the tree and the formula is evaluated again at
/// the parent; the kind documents what that means for the indicator's value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AggregationKind {
    /// Counts and amounts: the parent's value is the sum of its children's values.
    Sum,
    /// Ratios: the parent's value is `factor × Σnumerator / Σdenominator`, recomputed from the
    /// summed numerator and denominator. Never the (unweighted) average of the children's
    /// percentages — a small county at 4 % and a large one at 2 % do not make a 3 % city
    /// (DHIS2: "indicators are calculated … based on the aggregated data values available at
    /// each level").
    RatioOfSums,
}

/// One indicator of the catalog.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Indicator {
    /// Stable key (monitoring.md Part B).
    pub key: &'static str,
    /// Official Chinese name.
    pub name_zh: &'static str,
    pub unit: &'static str,
    /// Definition (口径) in Chinese.
    pub definition_zh: &'static str,
    /// Authority document or statistics source.
    pub source: &'static str,
    pub formula: Formula,
    pub aggregation: AggregationKind,
    pub temporal: Temporal,
    /// Direction for rankings and default comparators.
    pub higher_is_better: bool,
    /// Decimal places for display.
    pub decimals: u32,
}

// ---------------------------------------------------------------------------------------------
// Data elements
// ---------------------------------------------------------------------------------------------

macro_rules! element_keys {
    ($($konst:ident = $key:literal),+ $(,)?) => {
        /// Data element keys, as constants for the storage layer.
        pub mod keys {
            $( pub const $konst: &str = $key; )+
        }
    };
}

element_keys!(
    HTE_VALID_COUNT = "hte_valid_count",
    TECH_SME_COUNT = "tech_sme_registered_count",
    PLATFORMS_CITY = "platforms_city",
    PLATFORMS_PROVINCIAL = "platforms_provincial",
    PLATFORMS_NATIONAL = "platforms_national",
    ABOVE_SCALE_INDUSTRIAL_COUNT = "above_scale_industrial_enterprise_count",
    ABOVE_SCALE_INDUSTRIAL_WITH_RD_COUNT = "above_scale_industrial_enterprise_with_rd_count",
    ENTERPRISE_RD_EXPENSE = "enterprise_rd_expense",
    GDP = "gdp",
    RD_EXPENDITURE = "rd_expenditure",
    TECH_CONTRACT_TURNOVER = "technology_contract_turnover_amount",
    TECH_COMMISSIONERS = "tech_commissioners",
    TECH_COMMISSIONER_SERVICES = "tech_commissioner_services",
    TECH_COMMISSIONER_HOUSEHOLDS = "tech_commissioner_households",
    VALID_INVENTION_PATENTS = "valid_invention_patents",
    HIGH_VALUE_INVENTION_PATENTS = "high_value_invention_patents",
    RESIDENT_POPULATION = "resident_population",
    RD_PERSONNEL_FTE = "rd_personnel_fte",
    EMPLOYED_PERSONS = "employed_persons",
    HIGH_TECH_INDUSTRY_VALUE_ADDED = "high_tech_industry_value_added",
    ABOVE_SCALE_INDUSTRY_VALUE_ADDED = "above_scale_industry_value_added",
);

use keys as k;

const STATS: &str = "统计局";

/// Every data element the indicators read. Amounts are in 万元 throughout (the storage layer
/// converts registry fen to 万元); populations in 万人.
pub static DATA_ELEMENTS: &[DataElement] = &[
    DataElement {
        key: k::HTE_VALID_COUNT,
        name_zh: "有效高新技术企业数",
        unit: "家",
        origin: Origin::Registry {
            measure: "单位登记中当年企业年度数据“高企资格有效”为是（或持有有效期覆盖12月31日的高新技术企业证书）的企业数，按单位所在区划",
        },
        temporal: Temporal::Stock,
    },
    DataElement {
        key: k::TECH_SME_COUNT,
        name_zh: "科技型中小企业入库数",
        unit: "家",
        origin: Origin::Registry {
            measure: "当年通过科技型中小企业评价并取得入库登记编号的企业数（评价结果来自规则引擎科技型中小企业评价包或科技局入库名单）",
        },
        temporal: Temporal::Stock,
    },
    DataElement {
        key: k::PLATFORMS_CITY,
        name_zh: "市级研发平台数",
        unit: "个",
        origin: Origin::Registry {
            measure: "平台登记中级别为“市级”、年末状态为有效（认定日期不晚于12月31日）的平台数，按依托单位所在区划",
        },
        temporal: Temporal::Stock,
    },
    DataElement {
        key: k::PLATFORMS_PROVINCIAL,
        name_zh: "省级研发平台数",
        unit: "个",
        origin: Origin::Registry {
            measure: "平台登记中级别为“省级”、年末状态为有效的平台数，按依托单位所在区划",
        },
        temporal: Temporal::Stock,
    },
    DataElement {
        key: k::PLATFORMS_NATIONAL,
        name_zh: "国家级研发平台数",
        unit: "个",
        origin: Origin::Registry {
            measure: "平台登记中级别为“国家级”、年末状态为有效的平台数，按依托单位所在区划",
        },
        temporal: Temporal::Stock,
    },
    DataElement {
        key: k::ABOVE_SCALE_INDUSTRIAL_COUNT,
        name_zh: "规模以上工业企业数",
        unit: "家",
        origin: Origin::Registry {
            measure: "行业门类为B/C/D（采矿业、制造业、电力热力燃气及水生产和供应业）且当年主营业务收入（销售收入）2000万元及以上的企业数",
        },
        temporal: Temporal::Stock,
    },
    DataElement {
        key: k::ABOVE_SCALE_INDUSTRIAL_WITH_RD_COUNT,
        name_zh: "有研发活动的规模以上工业企业数",
        unit: "家",
        origin: Origin::Registry {
            measure: "上述规模以上工业企业中当年研发费用总额大于0（或报告研发人员）的企业数",
        },
        temporal: Temporal::Stock,
    },
    DataElement {
        key: k::ENTERPRISE_RD_EXPENSE,
        name_zh: "登记企业研发费用总额",
        unit: "万元",
        origin: Origin::Registry {
            measure: "企业年度数据“研发费用总额”之和（分换算为万元）",
        },
        temporal: Temporal::Flow,
    },
    DataElement {
        key: k::GDP,
        name_zh: "地区生产总值",
        unit: "万元",
        origin: Origin::Entered {
            typical_source: STATS,
        },
        temporal: Temporal::Flow,
    },
    DataElement {
        key: k::RD_EXPENDITURE,
        name_zh: "全社会研究与试验发展(R&D)经费内部支出",
        unit: "万元",
        origin: Origin::Entered {
            typical_source: "统计局、科技局（全国科技经费投入统计）",
        },
        temporal: Temporal::Flow,
    },
    DataElement {
        key: k::TECH_CONTRACT_TURNOVER,
        name_zh: "技术合同成交额（登记，输出）",
        unit: "万元",
        origin: Origin::Registry {
            measure: "技术合同登记中当年（按登记日期）予以登记的合同成交额之和，按卖方所在区划（输出口径；规划目标“技术合同成交额”计成交额，不是技术交易额）",
        },
        temporal: Temporal::Flow,
    },
    DataElement {
        key: k::TECH_COMMISSIONERS,
        name_zh: "科技特派员人数",
        unit: "人",
        origin: Origin::Registry {
            measure: "科技特派员登记中服务期覆盖当年12月31日、未解聘的特派员人数（个人计1人，服务团计团长与成员，法人科技特派员不计人数），按选派科技局所在区划",
        },
        temporal: Temporal::Stock,
    },
    DataElement {
        key: k::TECH_COMMISSIONER_SERVICES,
        name_zh: "科技特派员服务次数",
        unit: "次",
        origin: Origin::Registry {
            measure: "科技特派员服务日志中当年经受援方确认的服务记录条数，按服务对象所在县（区）",
        },
        temporal: Temporal::Flow,
    },
    DataElement {
        key: k::TECH_COMMISSIONER_HOUSEHOLDS,
        name_zh: "科技特派员服务农户数",
        unit: "户",
        origin: Origin::Registry {
            measure: "科技特派员服务日志中当年经受援方确认的服务农户数之和，按服务对象所在县（区）（各次服务分别计数，同一农户多次服务计多次）",
        },
        temporal: Temporal::Flow,
    },
    DataElement {
        key: k::VALID_INVENTION_PATENTS,
        name_zh: "年末有效发明专利拥有量",
        unit: "件",
        origin: Origin::Entered {
            typical_source: "知识产权局",
        },
        temporal: Temporal::Stock,
    },
    DataElement {
        key: k::HIGH_VALUE_INVENTION_PATENTS,
        name_zh: "年末高价值发明专利拥有量",
        unit: "件",
        origin: Origin::Entered {
            typical_source: "知识产权局",
        },
        temporal: Temporal::Stock,
    },
    DataElement {
        key: k::RESIDENT_POPULATION,
        name_zh: "年末常住人口",
        unit: "万人",
        origin: Origin::Entered {
            typical_source: STATS,
        },
        temporal: Temporal::Stock,
    },
    DataElement {
        key: k::RD_PERSONNEL_FTE,
        name_zh: "研发人员全时当量",
        unit: "人年",
        origin: Origin::Entered {
            typical_source: STATS,
        },
        temporal: Temporal::Flow,
    },
    DataElement {
        key: k::EMPLOYED_PERSONS,
        name_zh: "年末就业人员",
        unit: "万人",
        origin: Origin::Entered {
            typical_source: STATS,
        },
        temporal: Temporal::Stock,
    },
    DataElement {
        key: k::HIGH_TECH_INDUSTRY_VALUE_ADDED,
        name_zh: "规模以上高新技术产业增加值",
        unit: "万元",
        origin: Origin::Entered {
            typical_source: "统计局（按本省高新技术产业统计目录，须注明分类标准）",
        },
        temporal: Temporal::Flow,
    },
    DataElement {
        key: k::ABOVE_SCALE_INDUSTRY_VALUE_ADDED,
        name_zh: "规模以上工业增加值",
        unit: "万元",
        origin: Origin::Entered {
            typical_source: STATS,
        },
        temporal: Temporal::Flow,
    },
];

/// Look up a data element by key.
pub fn data_element(key: &str) -> Option<&'static DataElement> {
    DATA_ELEMENTS.iter().find(|e| e.key == key)
}

// ---------------------------------------------------------------------------------------------
// Indicators
// ---------------------------------------------------------------------------------------------

/// The indicator catalog.
pub static INDICATORS: &[Indicator] = &[
    Indicator {
        key: "high_tech_enterprise_count",
        name_zh: "高新技术企业数",
        unit: "家",
        definition_zh: "年末持有有效高新技术企业证书的企业数（存量，证书有效期三年）。",
        source: "《高新技术企业认定管理办法》（国科发火〔2016〕32号）；科技局认定名单",
        formula: Formula::Count {
            element: k::HTE_VALID_COUNT,
        },
        aggregation: AggregationKind::Sum,
        temporal: Temporal::Stock,
        higher_is_better: true,
        decimals: 0,
    },
    Indicator {
        key: "tech_sme_count",
        name_zh: "科技型中小企业数",
        unit: "家",
        definition_zh: "当年通过科技型中小企业评价并入库的企业数。",
        source: "《科技型中小企业评价办法》（国科发区〔2022〕67号）；全国科技型中小企业信息服务平台",
        formula: Formula::Count {
            element: k::TECH_SME_COUNT,
        },
        aggregation: AggregationKind::Sum,
        temporal: Temporal::Stock,
        higher_is_better: true,
        decimals: 0,
    },
    Indicator {
        key: "platform_count_city_and_above",
        name_zh: "市级以上研发平台数",
        unit: "个",
        definition_zh: "年末有效的市级、省级和国家级研发平台（重点实验室、工程技术研究中心、企业技术中心、新型研发机构等）数之和。",
        source: "科技局平台认定文件；本系统平台登记",
        formula: Formula::Sum {
            elements: &[
                k::PLATFORMS_CITY,
                k::PLATFORMS_PROVINCIAL,
                k::PLATFORMS_NATIONAL,
            ],
        },
        aggregation: AggregationKind::Sum,
        temporal: Temporal::Stock,
        higher_is_better: true,
        decimals: 0,
    },
    Indicator {
        key: "platform_count_provincial_and_above",
        name_zh: "省级以上研发平台数",
        unit: "个",
        definition_zh: "年末有效的省级和国家级研发平台数之和。",
        source: "省科技厅、国家部委平台认定文件；本系统平台登记",
        formula: Formula::Sum {
            elements: &[k::PLATFORMS_PROVINCIAL, k::PLATFORMS_NATIONAL],
        },
        aggregation: AggregationKind::Sum,
        temporal: Temporal::Stock,
        higher_is_better: true,
        decimals: 0,
    },
    Indicator {
        key: "platform_count_national",
        name_zh: "国家级研发平台数",
        unit: "个",
        definition_zh: "年末有效的国家级研发平台数。",
        source: "国家部委平台认定文件；本系统平台登记",
        formula: Formula::Count {
            element: k::PLATFORMS_NATIONAL,
        },
        aggregation: AggregationKind::Sum,
        temporal: Temporal::Stock,
        higher_is_better: true,
        decimals: 0,
    },
    Indicator {
        key: "rd_intensity",
        name_zh: "研究与试验发展(R&D)经费投入强度",
        unit: "%",
        definition_zh: "全社会研究与试验发展(R&D)经费内部支出与地区生产总值之比×100%。上级区域按ΣR&D经费/ΣGDP重新计算，不取下级比值的平均。当年数为预计数，终值次年公布。",
        source: "国家统计局、科技部、财政部《全国科技经费投入统计公报》",
        formula: Formula::Ratio {
            numerator: k::RD_EXPENDITURE,
            denominator: k::GDP,
            factor: 100,
        },
        aggregation: AggregationKind::RatioOfSums,
        temporal: Temporal::Flow,
        higher_is_better: true,
        decimals: 2,
    },
    Indicator {
        key: "rd_expenditure_total",
        name_zh: "全社会研究与试验发展(R&D)经费支出",
        unit: "万元",
        definition_zh: "全社会研究与试验发展(R&D)经费内部支出。",
        source: "国家统计局、科技部、财政部《全国科技经费投入统计公报》；统计局",
        formula: Formula::Entered {
            element: k::RD_EXPENDITURE,
        },
        aggregation: AggregationKind::Sum,
        temporal: Temporal::Flow,
        higher_is_better: true,
        decimals: 0,
    },
    Indicator {
        key: "technology_contract_turnover",
        name_zh: "技术合同成交额",
        unit: "万元",
        definition_zh: "经技术合同认定登记机构认定登记的技术开发、技术转让、技术许可、技术咨询、技术服务合同成交额之和，按卖方所在地计（输出口径），由本系统技术合同登记自动汇总。",
        source: "《技术合同认定规则》（国科发政字〔2001〕253号）；技术合同认定登记（本系统）",
        formula: Formula::Count {
            element: k::TECH_CONTRACT_TURNOVER,
        },
        aggregation: AggregationKind::Sum,
        temporal: Temporal::Flow,
        higher_is_better: true,
        decimals: 0,
    },
    Indicator {
        key: "tech_commissioner_count",
        name_zh: "科技特派员人数",
        unit: "人",
        definition_zh: "年末在岗服务的各级选派科技特派员人数，由本系统科技特派员选派登记自动统计。",
        source: "《关于深入推行科技特派员制度的若干意见》（国办发〔2016〕32号）；科技特派员选派登记（本系统）",
        formula: Formula::Count {
            element: k::TECH_COMMISSIONERS,
        },
        aggregation: AggregationKind::Sum,
        temporal: Temporal::Stock,
        higher_is_better: true,
        decimals: 0,
    },
    Indicator {
        key: "tech_commissioner_service_count",
        name_zh: "科技特派员服务次数",
        unit: "次",
        definition_zh: "当年科技特派员经受援方确认的服务次数，由本系统服务日志自动统计（济源“十三五”累计1842次）。",
        source: "济源市科技特派员助力脱贫攻坚实施方案（济科〔2018〕37号）；科技特派员服务日志（本系统）",
        formula: Formula::Count {
            element: k::TECH_COMMISSIONER_SERVICES,
        },
        aggregation: AggregationKind::Sum,
        temporal: Temporal::Flow,
        higher_is_better: true,
        decimals: 0,
    },
    Indicator {
        key: "tech_commissioner_households_served",
        name_zh: "科技特派员服务农户数",
        unit: "户",
        definition_zh: "当年科技特派员经受援方确认的服务农户数（按次累计），由本系统服务日志自动统计（济源“十三五”累计服务农户25800人）。",
        source: "济源市科技特派员助力脱贫攻坚实施方案（济科〔2018〕37号）；科技特派员服务日志（本系统）",
        formula: Formula::Count {
            element: k::TECH_COMMISSIONER_HOUSEHOLDS,
        },
        aggregation: AggregationKind::Sum,
        temporal: Temporal::Flow,
        higher_is_better: true,
        decimals: 0,
    },
    Indicator {
        key: "above_scale_industrial_enterprise_rd_activity_coverage_rate",
        name_zh: "规模以上工业企业研发活动覆盖率",
        unit: "%",
        definition_zh: "当年有研发活动（报告研发费用或研发人员）的规模以上工业企业数÷规模以上工业企业数×100%。规划“全覆盖”即100%。（口径为统计常用口径，未见权威文件原文。）",
        source: "统计局规模以上工业企业研发活动统计；本系统企业年度数据",
        formula: Formula::Ratio {
            numerator: k::ABOVE_SCALE_INDUSTRIAL_WITH_RD_COUNT,
            denominator: k::ABOVE_SCALE_INDUSTRIAL_COUNT,
            factor: 100,
        },
        aggregation: AggregationKind::RatioOfSums,
        temporal: Temporal::Stock,
        higher_is_better: true,
        decimals: 1,
    },
    Indicator {
        key: "invention_patents_per_10k_population",
        name_zh: "每万人口发明专利拥有量",
        unit: "件",
        definition_zh: "年末有效发明专利拥有量÷年末常住人口（万人）。",
        source: "国家知识产权局专利统计；统计局常住人口",
        formula: Formula::Ratio {
            numerator: k::VALID_INVENTION_PATENTS,
            denominator: k::RESIDENT_POPULATION,
            factor: 1,
        },
        aggregation: AggregationKind::RatioOfSums,
        temporal: Temporal::Stock,
        higher_is_better: true,
        decimals: 2,
    },
    Indicator {
        key: "high_value_invention_patents_per_10k_population",
        name_zh: "每万人口高价值发明专利拥有量",
        unit: "件",
        definition_zh: "年末有效高价值发明专利拥有量÷年末常住人口（万人）。高价值口径以国家知识产权局统计口径为准。",
        source: "国家知识产权局；《“十四五”国家知识产权保护和运用规划》",
        formula: Formula::Ratio {
            numerator: k::HIGH_VALUE_INVENTION_PATENTS,
            denominator: k::RESIDENT_POPULATION,
            factor: 1,
        },
        aggregation: AggregationKind::RatioOfSums,
        temporal: Temporal::Stock,
        higher_is_better: true,
        decimals: 2,
    },
    Indicator {
        key: "rd_personnel_per_10k_employed",
        name_zh: "每万名就业人员中研发人员",
        unit: "人年",
        definition_zh: "研发人员全时当量÷年末就业人员（万人）。",
        source: "统计局科技统计",
        formula: Formula::Ratio {
            numerator: k::RD_PERSONNEL_FTE,
            denominator: k::EMPLOYED_PERSONS,
            factor: 1,
        },
        aggregation: AggregationKind::RatioOfSums,
        temporal: Temporal::Flow,
        higher_is_better: true,
        decimals: 1,
    },
    Indicator {
        key: "high_tech_industry_value_added_share_of_industry",
        name_zh: "高新技术产业增加值占规模以上工业增加值比重",
        unit: "%",
        definition_zh: "规模以上高新技术产业增加值÷规模以上工业增加值×100%。高新技术产业为省级分类，跨省不可比，须注明分类标准。",
        source: "统计局（本省高新技术产业统计目录）",
        formula: Formula::Ratio {
            numerator: k::HIGH_TECH_INDUSTRY_VALUE_ADDED,
            denominator: k::ABOVE_SCALE_INDUSTRY_VALUE_ADDED,
            factor: 100,
        },
        aggregation: AggregationKind::RatioOfSums,
        temporal: Temporal::Flow,
        higher_is_better: true,
        decimals: 1,
    },
];

impl Indicator {
    /// The value rounded to the indicator's display decimals, as text (e.g. “2.45”).
    pub fn display(&self, v: Decimal) -> String {
        v.round_dp(self.decimals).to_string()
    }
}

/// Look up an indicator by key.
pub fn indicator(key: &str) -> Option<&'static Indicator> {
    INDICATORS.iter().find(|i| i.key == key)
}

// ---------------------------------------------------------------------------------------------
// Computation
// ---------------------------------------------------------------------------------------------

/// The data element values of one region-year (absent = not available).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct DataValues(pub BTreeMap<String, Decimal>);

impl DataValues {
    pub fn new() -> Self {
        Self::default()
    }
    pub fn with(mut self, key: &str, v: Decimal) -> Self {
        self.0.insert(key.to_owned(), v);
        self
    }
    pub fn set(&mut self, key: &str, v: Decimal) {
        self.0.insert(key.to_owned(), v);
    }
    pub fn get(&self, key: &str) -> Option<Decimal> {
        self.0.get(key).copied()
    }
}

/// Why an indicator has no value for a region-year. Typed, never a NaN.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum ComputeError {
    #[error("缺少数据项“{name_zh}”（{element}）")]
    Missing {
        element: &'static str,
        name_zh: &'static str,
    },
    #[error("分母“{name_zh}”（{element}）为0，比值无意义")]
    ZeroDenominator {
        element: &'static str,
        name_zh: &'static str,
    },
    #[error("计算溢出")]
    Overflow,
}

fn need(values: &DataValues, element: &'static str) -> Result<Decimal, ComputeError> {
    match values.get(element) {
        Some(v) => Ok(v),
        None => match data_element(element) {
            // Registry measures are counts over rows: no rows means zero.
            Some(e) if e.is_registry() => Ok(Decimal::ZERO),
            e => Err(ComputeError::Missing {
                element,
                name_zh: e.map_or(element, |e| e.name_zh),
            }),
        },
    }
}

/// Compute one indicator for one region-year from its (aggregated) data element values.
///
/// The result is exact (decimal arithmetic); round with [`Indicator::decimals`] only for display.
pub fn compute(ind: &Indicator, values: &DataValues) -> Result<Decimal, ComputeError> {
    match ind.formula {
        Formula::Count { element } | Formula::Entered { element } => need(values, element),
        Formula::Sum { elements } => elements.iter().try_fold(Decimal::ZERO, |acc, e| {
            acc.checked_add(need(values, e)?)
                .ok_or(ComputeError::Overflow)
        }),
        Formula::Ratio {
            numerator,
            denominator,
            factor,
        } => {
            let n = need(values, numerator)?;
            let d = need(values, denominator)?;
            if d.is_zero() {
                return Err(ComputeError::ZeroDenominator {
                    element: denominator,
                    name_zh: data_element(denominator).map_or(denominator, |e| e.name_zh),
                });
            }
            n.checked_mul(Decimal::from(factor))
                .and_then(|x| x.checked_div(d))
                .ok_or(ComputeError::Overflow)
        }
    }
}
