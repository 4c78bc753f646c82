//! The lexicons: units, comparators, verbs and modal words trimmed from indicator phrases, and
//! the indicator-key lexicon (synonyms → the keys of `monitoring.md` Part B, platform counts by
//! level × type, fallback `other:<indicator>`).

/// Units, longest first. The second element is the normalized unit.
pub const UNITS: &[(&str, &str)] = &[
    ("个百分点", "百分点"),
    ("万平方米", "万平方米"),
    ("平方米", "平方米"),
    ("百分点", "百分点"),
    ("亿美元", "亿美元"),
    ("万美元", "万美元"),
    ("亿元", "亿元"),
    ("万元", "万元"),
    ("千元", "千元"),
    ("人年", "人年"),
    ("人次", "人次"),
    ("万亩", "万亩"),
    // Weights (粮食总产614.9亿斤, 产量X万吨): the multiplier is read by the number parser.
    ("斤", "斤"),
    ("吨", "吨"),
    ("%", "%"),
    ("％", "%"),
    ("元", "元"),
    ("人", "人"),
    ("名", "名"),
    ("位", "位"),
    ("家", "家"),
    ("个", "个"),
    ("项", "项"),
    ("件", "件"),
    ("次", "次"),
    ("户", "户"),
    ("所", "所"),
    ("座", "座"),
    ("台", "台"),
    ("套", "套"),
    ("支", "支"),
    ("篇", "篇"),
    ("条", "条"),
    ("种", "种"),
    ("亩", "亩"),
    ("倍", "倍"),
];

/// Base units a written multiplier (万, 亿, 万亿 …) can stand before, beyond [`UNITS`]: a plan
/// writes "614.9亿斤", "万千瓦", and the multiplier belongs to the number, not to the unit.
const EXTRA_BASE_UNITS: &[&str] = &["斤", "吨", "千瓦", "千瓦时", "瓦", "辆", "册", "美元"];

/// Multipliers written as part of a unit, longest first.
const UNIT_MULTIPLIERS: &[(&str, f64)] = &[
    ("万亿", 1e12),
    ("千亿", 1e11),
    ("百亿", 1e10),
    ("亿", 1e8),
    ("千万", 1e7),
    ("百万", 1e6),
    ("万", 1e4),
];

/// `value unit` in a canonical form, so that equivalent ways of writing one quantity compare
/// equal: "4.6万亿元" = "46000亿元" = 4.6e12 元, "1万家" = "10000家", "12万平方米" = 1.2e6
/// 平方米, "614.9亿斤". The unit spelling is normalised too (％ → %, 个百分点 → 百分点).
/// A leading 万/亿/… is folded into the value only when what remains is itself a unit
/// (so 百分点 is never read as 百 × 分点). Returns (value, value_max, base unit).
pub fn canonical_quantity(
    value: f64,
    value_max: Option<f64>,
    unit: &str,
) -> (f64, Option<f64>, String) {
    let unit = match unit {
        "％" => "%",
        "个百分点" => "百分点",
        u => u,
    };
    let is_base = |u: &str| {
        !u.is_empty() && (UNITS.iter().any(|(w, _)| *w == u) || EXTRA_BASE_UNITS.contains(&u))
    };
    if is_base(unit) && !unit.starts_with('万') && !unit.starts_with('亿') {
        return (value, value_max, unit.to_string());
    }
    for (m, f) in UNIT_MULTIPLIERS {
        if let Some(rest) = unit.strip_prefix(m)
            && is_base(rest)
        {
            return (value * f, value_max.map(|x| x * f), rest.to_string());
        }
    }
    (value, value_max, unit.to_string())
}

/// Whether a unit starts with `c` (used for the 万/亿 multiplier check).
pub fn unit_at_char(c: char) -> bool {
    UNITS.iter().any(|(u, _)| u.starts_with(c)) && c != '元'
}

/// The unit at position `i` of `chars`: (normalized unit, chars consumed).
pub fn unit_at(chars: &[char], i: usize) -> Option<(&'static str, usize)> {
    for (written, norm) in UNITS {
        let n = written.chars().count();
        if chars.len() >= i + n && chars[i..i + n].iter().copied().eq(written.chars()) {
            // "个" followed by a non-unit word is still 个; "次" in "次年" is not a unit.
            if *written == "次" && chars.get(i + 1) == Some(&'年') {
                return None;
            }
            if *written == "名" && chars.get(i + 1).is_some_and(|&c| c == '单' || c == '录') {
                return None;
            }
            if *written == "位" && chars.get(i + 1).is_some_and(|&c| c == '次' || c == '置') {
                return None;
            }
            return Some((norm, n));
        }
    }
    None
}

/// Comparator codes (see `monitoring.md` C2): the wire value of [`crate::Extracted::comparator`].
pub mod cmp {
    pub const REACH: &str = "reach";
    pub const ABOVE: &str = "above";
    pub const AT_LEAST: &str = "at_least";
    pub const AT_MOST: &str = "at_most";
    pub const APPROXIMATELY: &str = "approximately";
    pub const RANGE: &str = "range";
    pub const NEW: &str = "new";
    pub const INCREASE: &str = "increase";
    pub const PER_YEAR: &str = "per_year";
    pub const MULTIPLY_BY: &str = "multiply_by";
    pub const MAINTAIN: &str = "maintain";
}

/// Words written just before the number, longest first, with their comparator.
pub const PRE_COMPARATORS: &[(&str, &str)] = &[
    ("年均增长", cmp::PER_YEAR),
    ("年均提高", cmp::PER_YEAR),
    ("年均提升", cmp::PER_YEAR),
    ("年均增速", cmp::PER_YEAR),
    ("同比增长", cmp::INCREASE),
    ("累计实现", cmp::REACH),
    ("提高到", cmp::REACH),
    ("提高至", cmp::REACH),
    ("提升到", cmp::REACH),
    ("提升至", cmp::REACH),
    ("增加到", cmp::REACH),
    ("增加至", cmp::REACH),
    ("增长到", cmp::REACH),
    ("增长至", cmp::REACH),
    ("发展到", cmp::REACH),
    ("不低于", cmp::AT_LEAST),
    ("不少于", cmp::AT_LEAST),
    ("不超过", cmp::AT_MOST),
    ("控制在", cmp::AT_MOST),
    ("保持在", cmp::MAINTAIN),
    ("稳定在", cmp::MAINTAIN),
    ("新建设", cmp::NEW),
    ("新认定", cmp::NEW),
    ("新培育", cmp::NEW),
    ("新引进", cmp::NEW),
    ("达到", cmp::REACH),
    ("突破", cmp::ABOVE),
    ("超过", cmp::ABOVE),
    ("高于", cmp::ABOVE),
    ("至少", cmp::AT_LEAST),
    ("低于", cmp::AT_MOST),
    ("保持", cmp::MAINTAIN),
    ("增长", cmp::INCREASE),
    ("提高", cmp::INCREASE),
    ("提升", cmp::INCREASE),
    ("增加", cmp::NEW),
    ("新增", cmp::NEW),
    ("新建", cmp::NEW),
    ("实现", cmp::REACH),
    // "约3%", "近百家", "逾千亿元": approximations and "more than" written before the number.
    ("约为", cmp::APPROXIMATELY),
    ("约", cmp::APPROXIMATELY),
    ("近", cmp::APPROXIMATELY),
    ("逾", cmp::ABOVE),
    ("达", cmp::REACH),
    ("超", cmp::ABOVE),
    ("为", cmp::REACH),
    ("是", cmp::REACH),
    ("到", cmp::REACH),
];

/// Words written just after the unit, with their comparator.
pub const POST_COMPARATORS: &[(&str, &str)] = &[
    ("以上", cmp::AT_LEAST),
    ("左右", cmp::APPROXIMATELY),
    ("上下", cmp::APPROXIMATELY),
    ("以下", cmp::AT_MOST),
    ("以内", cmp::AT_MOST),
];

/// Leading words trimmed from an indicator phrase: time, modality, scope, connectives.
pub const LEADING_NOISE: &[&str] = &[
    "——",
    "—",
    "-",
    "、",
    "和",
    "及",
    "与",
    "并",
    "其中",
    "力争",
    "争取",
    "努力",
    "确保",
    "全力",
    "基本",
    "进一步",
    "不断",
    "持续",
    "稳步",
    "逐步",
    "累计",
    "共计",
    "共",
    "总计",
    "全市",
    "全省",
    "全县",
    "全区",
    "全州",
    "我市",
    "我省",
    "我县",
    "我区",
    "本市",
    "届时",
    "全年",
    "年末",
    "年底",
    "今年",
    "当年",
    "每年",
    "此外",
    "同时",
    "以及",
    "大力",
    "积极",
    "着力",
    "加快",
    "将",
    "已",
    "先后",
    "率先",
    "在全省",
    "在全市",
    "在全国",
    "通过",
    "依托",
    "分别",
    "年内",
    "期间",
    "期末",
    ",",
    ",",
    " ",
];

/// Leading verbs trimmed from an indicator phrase (the action, not the measured thing).
pub const LEADING_VERBS: &[&str] = &[
    "新建设",
    "新认定",
    "新培育",
    "新引进",
    "新增",
    "新建",
    "建设",
    "建成",
    "打造",
    "引进",
    "引育",
    "培育",
    "培养",
    "遴选",
    "认定",
    "实施",
    "承担",
    "完成",
    "开展",
    "申报",
    "推荐",
    "入选",
    "评选",
    "组建",
    "共建",
    "拥有",
    "吸引",
    "转移转化",
    "转化",
    "攻克",
    "推广",
    "孵化",
    "培训",
    "注册",
    "落地",
    "争创",
    "创建",
    "获批",
    "授予",
    "选派",
    "实现",
    "推进",
    "推动",
    "支持",
    "设立",
    "布局",
    "发展",
    "壮大",
    "认定登记",
    "备案",
    "搭建",
    "形成",
    "突破",
    "达到",
    "扶持",
    "带动",
    "集聚",
    "聚集",
    "新设",
    "设置",
    "举办",
    "组织",
    "安排",
    "获得",
    "取得",
];

/// Nouns of money: a clause about one of these that writes "100亿" means 亿元.
pub const MONEY_NOUNS: &[&str] = &[
    "经费",
    "投入",
    "资金",
    "收入",
    "营收",
    "产值",
    "总值",
    "生产总值",
    "GDP",
    "成交额",
    "交易额",
    "金额",
    "规模",
    "融资",
    "投资",
    "支出",
    "税",
    "效益",
    "销售额",
];

/// A comparison with another place's figure ("高于全国平均水平0.6个百分点", "比全省高1.2个
/// 百分点") states a gap, not the plan's own target or baseline: the word of comparison, then
/// one of the places below, before the number.
pub const GAP_COMPARISONS: &[&str] = &[
    "高于", "低于", "快于", "慢于", "超过", "超出", "高出", "领先", "好于", "比", "较",
];
pub const GAP_PLACES: &[&str] = &[
    "全国",
    "全省",
    "全市",
    "全区",
    "国家平均",
    "平均水平",
    "东部",
    "中部",
    "西部",
];

/// Policy clauses (a subsidy rate, a permitted share) are rules, not targets: skipped.
pub const POLICY_WORDS: &[&str] = &[
    "允许",
    "给予",
    "补助",
    "补贴",
    "资助",
    "奖补",
    "最高",
    "一次性",
];

/// Nouns after a number that count the plan's own parts ("六个目标", "三大任务").
pub const META_NOUNS: &[&str] = &[
    "目标", "任务", "方面", "行动", "举措", "措施", "环节", "阶段", "步骤", "原则", "意识", "自信",
    "维护", "面向", "体系", "机制", "战略", "板块", "篇章", "部分",
];

/// Attributes a subject has in economic statistics ("高新技术产业产值、增加值"): a 、-list of
/// these shares the subject written before the first one.
pub const ATTRIBUTE_NOUNS: &[&str] = &[
    "产值",
    "增加值",
    "营业收入",
    "主营业务收入",
    "收入",
    "利润",
    "利税",
    "税收",
    "出口额",
    "出口",
    "投资",
    "规模",
    "数量",
];

/// Words of a rate that close such a list and apply to each item ("…增幅连续5年保持11%").
pub const RATE_WORDS: &[&str] = &["增幅", "增速", "增长率", "占比", "比重", "增长"];

/// Head nouns that, ending the phrase after a count ("18项培育措施", "六个重点方面"), make it a
/// count of the document's own parts — never a measure of the region.
pub const META_HEADS: &[&str] = &[
    "措施", "举措", "方面", "原则", "环节", "步骤", "板块", "篇章", "部分", "意见",
    // "列出了20项主要指标", "完成23项共性指标": a count of indicators is the plan's (or an
    // assessment's) own frame, never a measure of the region.
    "指标",
];

/// Names of documents: a count of 篇 right after one ("规划纲要共19篇") counts its parts.
pub const DOCUMENT_NOUNS: &[&str] = &["纲要", "规划", "方案", "意见", "报告", "计划"];

/// Background facts that frame a plan rather than measure its work: a number whose indicator
/// ends with one of these ("常住人口1200万人") is context, neither target nor baseline.
pub const BACKGROUND_NOUNS: &[&str] = &["常住人口", "户籍人口", "总人口", "人口"];

/// Headings whose section reports past achievements: numbers there are baselines.
pub const BASELINE_HEADINGS: &[&str] = &[
    "发展基础",
    "工作基础",
    "现实基础",
    "发展现状",
    "现状",
    "取得成效",
    "主要成效",
    "成效",
    "主要成就",
    "成就",
    "回顾",
    "进展情况",
    "工作成绩",
    "取得的成绩",
];

/// Headings of goal sections.
pub const TARGET_HEADINGS: &[&str] = &["目标", "指标"];

/// Phrases after which a number is a program name rather than a measure (e.g. "倍增计划").
pub const PROGRAM_WORDS: &[&str] = &[
    "计划", "行动", "工程", "目标", "专项", "提质", "战略", "工作",
];

const LEVELS: &[(&str, &str)] = &[
    ("国家级", "national"),
    ("国家", "national"),
    ("省级及以上", "provincial_plus"),
    ("省级以上", "provincial_plus"),
    ("省部级", "provincial"),
    ("省级", "provincial"),
    ("省", "provincial"),
    ("市级及以上", "municipal_plus"),
    ("市级以上", "municipal_plus"),
    ("市级", "municipal"),
    ("县级", "county"),
];

const PLATFORM_TYPES: &[(&str, &str)] = &[
    ("工程技术研究中心", "engineering_tech_research_center"),
    ("工程研究中心", "engineering_research_center"),
    ("国际联合实验室", "international_joint_lab"),
    ("重点实验室", "key_lab"),
    ("新型研发机构", "new_rd_institution"),
    ("星创天地", "star_innovation_space"),
    ("众创空间", "maker_space"),
    ("孵化器", "incubator"),
    ("院士工作站", "academician_workstation"),
    ("企业技术研究中心", "enterprise_tech_center"),
    ("企业技术中心", "enterprise_tech_center"),
    ("技术创新中心", "tech_innovation_center"),
    ("产业研究院", "industrial_research_institute"),
    ("中试基地", "pilot_base"),
    ("引智基地", "talent_introduction_base"),
    ("研发平台", "rd_platform"),
    ("研发中心", "rd_center"),
    ("创新平台", "innovation_platform"),
    ("科技创新机构", "rd_institution"),
    ("研发机构", "rd_institution"),
];

fn has(s: &str, words: &[&str]) -> bool {
    words.iter().any(|w| s.contains(w))
}

/// The normalized key of an indicator phrase, and which lexicon entry produced it.
pub fn indicator_key(indicator: &str) -> String {
    let s = indicator;
    let rd_money = [
        "研究开发投入",
        "研发经费",
        "研发投入",
        "研究与试验发展",
        "R&D",
        "研究与开发",
        "研发支出",
    ];
    if has(
        s,
        &[
            "研发投入强度",
            "研发经费投入强度",
            "R&D经费投入强度",
            "研究与试验发展经费投入强度",
        ],
    ) || (has(s, &rd_money)
        && has(
            s,
            &[
                "占GDP",
                "占地区生产总值",
                "占生产总值",
                "占全市生产总值",
                "强度",
            ],
        ))
    {
        return "rd_intensity".into();
    }
    // R&D *personnel* per 10,000 employed ("每万名就业人员中R&D人员数", "每万人就业人员中研发
    // 人员数"): decided before the money words, since "R&D" alone would read as expenditure.
    if has(s, &["研发人员", "R&D人员", "研究与试验发展人员"]) && has(s, &["万名就业", "万人就业"])
    {
        return "rd_personnel_per_10k_employed".into();
    }
    if has(s, &rd_money) && !has(s, &["企业"]) && !s.contains('占') {
        return "rd_expenditure_total".into();
    }
    // The library's share is of *industry* (工业增加值/产值); a share of GDP
    // ("占GDP的比重", "占地区生产总值比重") is another measure and stays `other:`.
    let of_gdp = has(s, &["GDP", "生产总值"]);
    if has(s, &["高新技术产业", "高技术产业"])
        && s.contains("增加值")
        && s.contains('占')
        && !of_gdp
    {
        return "high_tech_industry_value_added_share_of_industry".into();
    }
    if has(s, &["高新技术产业", "高技术产业"]) && s.contains("产值") && s.contains('占') && !of_gdp
    {
        return "high_tech_industry_output_share_of_industry".into();
    }
    if s.contains("科技服务业增加值") && s.contains('占') {
        return "sci_tech_service_industry_value_added_share_of_gdp".into();
    }
    if s.contains("技术合同") && has(s, &["成交额", "交易额", "成交金额", "登记额"])
    {
        return "technology_contract_turnover".into();
    }
    if s.contains("发明专利") && has(s, &["万人"]) {
        if s.contains("高价值") {
            return "high_value_invention_patents_per_10k_population".into();
        }
        return "invention_patents_per_10k_population".into();
    }
    if has(s, &["规上工业企业", "规模以上工业企业", "规上企业"]) {
        if has(s, &["研发机构", "研发中心", "研发平台", "技术中心"]) {
            return "above_scale_industrial_enterprise_rd_institution_coverage_rate".into();
        }
        if has(s, &["研发活动", "研发覆盖"]) {
            return "above_scale_industrial_enterprise_rd_activity_coverage_rate".into();
        }
    }
    // A count key only when the enterprises themselves are counted: "高新技术企业营业收入",
    // "…有效发明专利拥有量", "…数量占…比重" measure something the enterprises have.
    let attribute = has(
        s,
        &[
            "收入",
            "营收",
            "产值",
            "专利",
            "利润",
            "税",
            "增加值",
            "研发机构",
            "占",
            "比重",
            "率",
            "投入",
            "经费",
        ],
    );
    if s.contains("科技型中小企业") && !attribute {
        return "tech_sme_count".into();
    }
    if (s.contains("高新技术企业") || s.contains("高企")) && !s.contains("产业") && !attribute
    {
        return "high_tech_enterprise_count".into();
    }
    if s.contains("科技特派员")
        && has(s, &["员", "人数", "数量", "队伍"])
        && !has(s, &["站", "基地"])
    {
        return "tech_commissioner_count".into();
    }
    // A combined count of several enterprise classes ("雏鹰瞪羚独角兽企业", "种子企业、瞪羚
    // 企业、领军企业") is not the count of gazelles.
    if s.contains("瞪羚") && !has(s, &["雏鹰", "独角兽", "种子", "领军", "、"]) {
        return "gazelle_enterprise_count".into();
    }
    if s.contains("专精特新") {
        return with_level(s, s, "specialized_sme");
    }
    // Platforms: the head noun after the last 等 wins ("X、Y等省级各类研发机构").
    let head = s.rsplit('等').next().unwrap_or(s);
    for part in [head, s] {
        if let Some(t) = first_type(part) {
            let level_src = if level_of(head).is_some() { head } else { s };
            return with_level(level_src, s, t);
        }
    }
    format!("other:{}", slug(s))
}

fn first_type(s: &str) -> Option<&'static str> {
    PLATFORM_TYPES
        .iter()
        .filter_map(|(w, t)| s.find(w).map(|pos| (pos, *t)))
        .min_by_key(|(pos, _)| *pos)
        .map(|(_, t)| t)
}

/// The level word an indicator starts with ("省级", "国家级", "市级以上" …), longest first.
pub fn level_prefix(s: &str) -> Option<&'static str> {
    LEVELS
        .iter()
        .filter(|(w, _)| s.starts_with(w))
        .max_by_key(|(w, _)| w.len())
        .map(|(w, _)| *w)
}

fn level_of(s: &str) -> Option<&'static str> {
    LEVELS
        .iter()
        .filter_map(|(w, l)| s.find(w).map(|pos| (pos, w.len(), *l)))
        // Earliest level word; at equal positions the longest ("省级以上" over "省级").
        .min_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)))
        .map(|(_, _, l)| l)
}

fn with_level(level_src: &str, _full: &str, ty: &str) -> String {
    match level_of(level_src) {
        Some(l) => format!("{l}_{ty}_count"),
        None => format!("{ty}_count"),
    }
}

/// A stable slug for the fallback key: the indicator without quotes, brackets and spaces.
pub fn slug(s: &str) -> String {
    s.chars()
        .filter(|c| {
            !matches!(
                c,
                '“' | '”' | '"' | '\'' | '‘' | '’' | ' ' | '　' | '《' | '》'
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys() {
        assert_eq!(indicator_key("高企数量"), "high_tech_enterprise_count");
        assert_eq!(indicator_key("研究与试验发展经费投入强度"), "rd_intensity");
        assert_eq!(
            indicator_key("R&D经费支出占地区生产总值比重"),
            "rd_intensity"
        );
        assert_eq!(indicator_key("全社会研发经费支出"), "rd_expenditure_total");
        assert_eq!(
            indicator_key("登记技术合同成交额"),
            "technology_contract_turnover"
        );
        assert_eq!(
            indicator_key("每万人发明专利拥有量"),
            "invention_patents_per_10k_population"
        );
        assert_eq!(
            indicator_key("省级工程技术研究中心"),
            "provincial_engineering_tech_research_center_count"
        );
        assert_eq!(
            indicator_key("工程技术研究中心、新型研发机构等省级各类研发机构"),
            "provincial_rd_institution_count"
        );
        assert_eq!(
            indicator_key("省级以上重点实验室"),
            "provincial_plus_key_lab_count"
        );
        assert_eq!(indicator_key("科技型中小企业入库数"), "tech_sme_count");
        assert_eq!(
            indicator_key("高新技术产业增加值占规上工业增加值比重"),
            "high_tech_industry_value_added_share_of_industry"
        );
        assert_eq!(indicator_key("某某指标"), "other:某某指标");
    }

    #[test]
    fn units() {
        let c: Vec<char> = "个百分点".chars().collect();
        assert_eq!(unit_at(&c, 0), Some(("百分点", 4)));
        let c: Vec<char> = "亿元".chars().collect();
        assert_eq!(unit_at(&c, 0), Some(("亿元", 2)));
    }
}
