//! Feature tests: numerals and mixed forms, ranges, years, comparators, baseline detection,
//! offsets, JSON shape, `.docx`, the ledger — mostly on invented sentences in the style of
//! other cities' plans (not from the seeds).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::Write;

use kechuang_plans::{
    Extracted, Kind, TaskSource, draft_ledger, extract, read_docx, to_json_lines,
};

fn one(text: &str) -> Extracted {
    let all = extract(text);
    assert_eq!(
        all.len(),
        1,
        "expected one extraction from {text:?}, got {all:#?}"
    );
    all.into_iter().next().unwrap()
}

fn seeds() -> Vec<String> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/seeds");
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap())
        .collect();
    v.sort();
    v
}

#[test]
fn offsets_are_char_indices_of_the_sentence() {
    let mut texts = seeds();
    texts.push("标题\n到2025年,全市高新技术企业达到300家。其中,临江高新区达到150家。".into());
    for text in texts {
        for x in extract(&text) {
            let s: String = text.chars().skip(x.start).take(x.end - x.start).collect();
            assert_eq!(s, x.sentence);
            assert!(x.start <= x.value_start && x.value_end <= x.end, "{x:?}");
        }
    }
}

#[test]
fn json_lines_have_the_cli_fields() {
    let text = "到2025年,全市高新技术企业数量突破300家,新建省级工程技术研究中心8-10家。";
    let out = to_json_lines(&extract(text));
    let lines: Vec<serde_json::Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2);
    for field in [
        "indicator",
        "key",
        "value",
        "unit",
        "comparator",
        "year",
        "kind",
        "sentence",
        "start",
        "end",
    ] {
        assert!(lines[0].get(field).is_some(), "missing {field}");
    }
    assert!(lines[0].get("value_max").is_none());
    assert_eq!(lines[0]["kind"], "target");
    assert_eq!(lines[0]["key"], "high_tech_enterprise_count");
    assert_eq!(lines[0]["value"], 300.0);
    assert_eq!(lines[1]["value"], 8.0);
    assert_eq!(lines[1]["value_max"], 10.0);
    assert_eq!(
        lines[1]["key"],
        "provincial_engineering_tech_research_center_count"
    );
    assert!(out.ends_with('\n'));
}

#[test]
fn numerals_and_mixed_forms() {
    let x = one("到2025年,引进高层次创新人才团队十个左右。");
    assert_eq!(
        (x.value, x.unit.as_str(), x.comparator.as_str()),
        (10.0, "个", "approximately")
    );
    let x = one("到2025年,每年选派科技特派员二百名以上。");
    assert_eq!(
        (x.value, x.unit.as_str(), x.comparator.as_str()),
        (200.0, "名", "per_year")
    );
    assert_eq!(x.key, "tech_commissioner_count");
    let x = one("到2025年,全市科技型中小企业达到１２００家。");
    assert_eq!(x.value, 1200.0);
    let x = one("到2025年,全市科技型中小企业达到1.2万家。");
    assert_eq!(x.value, 12000.0);
    let x = one("2024年,力争新建省级重点实验室1—2家。");
    assert_eq!((x.value, x.value_max), (1.0, Some(2.0)));
    assert_eq!(x.comparator, "new");
    let x = one("2024年,力争新建省级重点实验室二至三家。");
    assert_eq!((x.value, x.value_max), (2.0, Some(3.0)));
    let x = one("到2025年,建成市级新型研发机构8～10家。");
    assert_eq!(
        (x.value, x.value_max, x.comparator.as_str()),
        (8.0, Some(10.0), "range")
    );
    // Rhetorical 一/两 are not measures; names and document numbers are not either.
    assert!(
        extract(
            "编制一个规划,突出两个重点,落实“四个面向”,贯彻《2021年工作方案》(市政〔2021〕12号)。"
        )
        .is_empty()
    );
}

#[test]
fn years() {
    assert_eq!(one("到2022年,高新技术企业达到80家。").year, Some(2022));
    assert_eq!(one("到“十四五”末,高新技术企业达到150家。").year, Some(2025));
    assert_eq!(one("十四五末,高新技术企业达到150家。").year, Some(2025));
    assert_eq!(
        one("到“十五五”期末,高新技术企业达到500家。").year,
        Some(2030)
    );
    // A comparison base is not the target year.
    let x = one("到2025年,高企数量较“十三五”末实现倍增。");
    assert_eq!(
        (x.year, x.value, x.unit.as_str(), x.comparator.as_str()),
        (Some(2025), 2.0, "倍", "multiply_by")
    );
    // Annual work points: 年末 / 全年 resolve to the plan's year.
    let text = "某市2023年科技工作要点\n一、主要目标\n年末有效发明专利达到3200件。\n全年技术合同成交额超过20亿元。";
    let all = extract(text);
    assert_eq!(all.len(), 2);
    assert!(
        all.iter()
            .all(|x| x.year == Some(2023) && x.kind == Kind::Target)
    );
    assert_eq!(all[1].key, "technology_contract_turnover");
    assert_eq!(all[1].comparator, "above");
    // A 十四五 plan: a sentence without a year defaults to the plan horizon.
    let text = "某市“十四五”科技创新规划\n二、重点任务\n培育“瞪羚”企业20家。";
    assert_eq!(one(text).year, Some(2025));
    // (2023—2027年) plans: horizon 2027.
    let text = "某区科技企业倍增行动方案(2023—2027年)\n全区科技型企业超过870家。";
    assert_eq!(one(text).year, Some(2027));
}

#[test]
fn comparators() {
    let c = |t: &str| one(t).comparator;
    assert_eq!(c("到2025年,技术合同成交额超过45亿元。"), "above");
    assert_eq!(c("到2025年,高新技术企业突破300家。"), "above");
    assert_eq!(c("到2025年,研发投入强度达到2.5%。"), "reach");
    assert_eq!(c("到2025年,研发投入强度不低于2.5%。"), "at_least");
    assert_eq!(c("到2025年,高新技术企业达到300家以上。"), "at_least");
    assert_eq!(c("到2025年,新增高新技术企业120家。"), "new");
    assert_eq!(c("到2025年,技术合同成交额年均增长15%。"), "per_year");
    assert_eq!(c("到2025年,研发投入强度保持在2.5%。"), "maintain");
    let x = one("到2025年,研发投入强度年均提高0.1个百分点。");
    assert_eq!(
        (x.unit.as_str(), x.comparator.as_str(), x.key.as_str()),
        ("百分点", "per_year", "rd_intensity")
    );
    let x = one("到2025年,规上工业企业研发活动实现全覆盖。");
    assert_eq!((x.value, x.unit.as_str()), (100.0, "%"));
    assert_eq!(
        x.key,
        "above_scale_industrial_enterprise_rd_activity_coverage_rate"
    );
}

#[test]
fn baselines() {
    let text = "某市“十四五”科技创新规划\n一、发展基础\n全市拥有省级以上重点实验室12家。\n二、主要目标\n到2025年,省级以上重点实验室达到20家。";
    let all = extract(text);
    assert_eq!(all.len(), 2);
    assert_eq!((all[0].kind, all[0].year), (Kind::Baseline, Some(2020)));
    assert_eq!((all[1].kind, all[1].year), (Kind::Target, Some(2025)));
    // No section heading: an explicit past year in a 十四五 plan is a baseline.
    let text = "某市“十四五”科技创新规划\n2020年,全社会研发经费支出达到38.6亿元。";
    let x = one(text);
    assert_eq!(
        (x.kind, x.key.as_str()),
        (Kind::Baseline, "rd_expenditure_total")
    );
    let all = extract("“十三五”期间,全市高新技术企业由2015年的86家增加到215家。");
    assert_eq!(all.len(), 2);
    assert_eq!((all[0].year, all[0].kind), (Some(2015), Kind::Baseline));
    assert_eq!(
        (all[1].year, all[1].value, all[1].indicator.as_str()),
        (Some(2020), 215.0, "高新技术企业")
    );
}

#[test]
fn lists_and_respectively() {
    let all = extract(
        "截至2020年底,建成市级企业技术中心94家、市级重点实验室38家,数量较2015年分别增加30家、21家。",
    );
    let v: Vec<(f64, &str)> = all.iter().map(|x| (x.value, x.key.as_str())).collect();
    assert_eq!(
        v,
        vec![
            (94.0, "municipal_enterprise_tech_center_count"),
            (38.0, "municipal_key_lab_count"),
            (30.0, "municipal_enterprise_tech_center_count"),
            (21.0, "municipal_key_lab_count"),
        ]
    );
    assert!(all.iter().all(|x| x.year == Some(2020)));
    assert_eq!(all[3].comparator, "new");
    let all = extract("2024年,引进3个高水平研发团队、注册落地5家企业、共建6个产业研发机构。");
    let v: Vec<(f64, &str)> = all
        .iter()
        .map(|x| (x.value, x.indicator.as_str()))
        .collect();
    assert_eq!(
        v,
        vec![
            (3.0, "高水平研发团队"),
            (5.0, "企业"),
            (6.0, "产业研发机构")
        ]
    );
}

#[test]
fn policy_rules_and_program_names_are_not_targets() {
    assert!(extract("允许科研团队所得比例不低于70%。").is_empty());
    assert!(extract("对新认定的高新技术企业给予20万元奖励。").is_empty());
    assert!(extract("实施高新技术企业倍增计划。").is_empty());
}

#[test]
fn region() {
    let text = "临江市“十四五”科技创新规划\n到2025年,全市高新技术企业达到300家。其中,临江高新区高新技术企业达到150家。";
    let all = extract(text);
    assert_eq!(all[0].region.as_deref(), Some("临江"));
    assert_eq!(all[1].region.as_deref(), Some("临江高新区"));
    assert_eq!(all[1].year, Some(2025), "year carried from the paragraph");
}

/// (sentence, value, value_max, unit, year, key)
type Case = (
    &'static str,
    f64,
    Option<f64>,
    &'static str,
    Option<i32>,
    &'static str,
);

/// Invented sentences in the style of other cities' plans, with the expected tuple.
#[test]
fn generalization_sentences() {
    let cases: &[Case] = &[
        (
            "到2025年,全市高新技术企业数量突破300家。",
            300.0,
            None,
            "家",
            Some(2025),
            "high_tech_enterprise_count",
        ),
        (
            "到2025年,科技型中小企业入库数达到1200家以上。",
            1200.0,
            None,
            "家",
            Some(2025),
            "tech_sme_count",
        ),
        (
            "到2025年,全社会R&D经费支出占地区生产总值比重达到3.2%。",
            3.2,
            None,
            "%",
            Some(2025),
            "rd_intensity",
        ),
        (
            "到2025年,每万人口高价值发明专利拥有量达到9.5件。",
            9.5,
            None,
            "件",
            Some(2025),
            "high_value_invention_patents_per_10k_population",
        ),
        (
            "到2025年,每万名就业人员中研发人员达到209人年以上。",
            209.0,
            None,
            "人年",
            Some(2025),
            "rd_personnel_per_10k_employed",
        ),
        (
            "到2023年,技术合同登记额达到50亿元。",
            50.0,
            None,
            "亿元",
            Some(2023),
            "technology_contract_turnover",
        ),
        (
            "到2025年,高新技术产业增加值占规上工业增加值比重达到48%。",
            48.0,
            None,
            "%",
            Some(2025),
            "high_tech_industry_value_added_share_of_industry",
        ),
        (
            "到2025年,科技服务业增加值占GDP比重达到2%。",
            2.0,
            None,
            "%",
            Some(2025),
            "sci_tech_service_industry_value_added_share_of_gdp",
        ),
        (
            "到2024年,新建国家级众创空间2—3家。",
            2.0,
            Some(3.0),
            "家",
            Some(2024),
            "national_maker_space_count",
        ),
        (
            "到2025年,省级以上星创天地达到15家。",
            15.0,
            None,
            "家",
            Some(2025),
            "provincial_plus_star_innovation_space_count",
        ),
        (
            "到2025年,市财政科技支出达到3.5亿元。",
            3.5,
            None,
            "亿元",
            Some(2025),
            "other:市财政科技支出",
        ),
        (
            "到2025年,累计培育专精特新企业五十家。",
            50.0,
            None,
            "家",
            Some(2025),
            "specialized_sme_count",
        ),
        (
            "到2025年,科技企业孵化器在孵企业达到800家。",
            800.0,
            None,
            "家",
            Some(2025),
            "incubator_count",
        ),
        (
            "到2025年,院士工作站达到6个。",
            6.0,
            None,
            "个",
            Some(2025),
            "academician_workstation_count",
        ),
        (
            "到2025年,全市“瞪羚”企业达到30家。",
            30.0,
            None,
            "家",
            Some(2025),
            "gazelle_enterprise_count",
        ),
        (
            "到2025年,高企数量实现翻一番。",
            2.0,
            None,
            "倍",
            Some(2025),
            "high_tech_enterprise_count",
        ),
    ];
    let mut ok = 0;
    for (text, v, vmax, unit, year, key) in cases {
        let x = one(text);
        let good = x.value == *v
            && x.value_max == *vmax
            && x.unit == *unit
            && x.year == *year
            && x.key == *key;
        if !good {
            println!(
                "MISMATCH {text}: got {} {:?} {} {:?} {}",
                x.value, x.value_max, x.unit, x.year, x.key
            );
        }
        ok += usize::from(good);
    }
    println!(
        "generalization sentences: {ok}/{} exact (value, range, unit, year, key)",
        cases.len()
    );
    assert!(ok >= cases.len() - 2, "{ok}/{}", cases.len());
}

#[test]
fn docx_round_trip() {
    let xml = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>
<w:p><w:r><w:t>临江市“十四五”科技创新规划</w:t></w:r></w:p>
<w:p><w:r><w:t xml:space="preserve">到2025年,全市高新技术企业</w:t></w:r><w:r><w:t>达到300家。</w:t></w:r></w:p>
</w:body></w:document>"#;
    let mut buf = std::io::Cursor::new(Vec::new());
    {
        let mut zw = zip::ZipWriter::new(&mut buf);
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        zw.start_file("[Content_Types].xml", opts).unwrap();
        zw.write_all(b"<Types/>").unwrap();
        zw.start_file("word/document.xml", opts).unwrap();
        zw.write_all(xml.as_bytes()).unwrap();
        zw.finish().unwrap();
    }
    let text = read_docx(buf.get_ref()).unwrap();
    assert_eq!(
        text,
        "临江市“十四五”科技创新规划\n到2025年,全市高新技术企业达到300家。"
    );
    let x = one(&text);
    assert_eq!(
        (x.value, x.year, x.region.as_deref()),
        (300.0, Some(2025), Some("临江"))
    );
    assert!(read_docx(b"not a zip").is_err());
}

#[test]
fn ledger_from_seeds() {
    let texts = seeds();
    let taian = texts.iter().find(|t| t.contains("泰安")).unwrap();
    let l = draft_ledger(taian);
    let titles: Vec<&str> = l.iter().map(|r| r.title.as_str()).collect();
    // Work items and the named work inside them; nothing of 总体思路 or 主要目标.
    assert_eq!(l[0].title, "编制“十四五”科技创新发展规划", "{titles:#?}");
    assert_eq!(l[0].number, "三、(一)1-1");
    assert!(
        titles
            .iter()
            .any(|t| t.contains("修订完善《泰安市技术市场管理办法》")),
        "{titles:#?}"
    );
    assert!(
        titles
            .iter()
            .any(|t| t.starts_with("建设泰安市技术交易中心")),
        "{titles:#?}"
    );
    assert!(
        titles
            .iter()
            .all(|t| !t.starts_with("——") && !t.contains("坚持“1261”"))
    );
    assert!(l.iter().all(|r| r.source == TaskSource::Sentence));
    let qinghai = texts.iter().find(|t| t.contains("青海")).unwrap();
    let l = draft_ledger(qinghai);
    let items: Vec<_> = l
        .iter()
        .filter(|r| r.source == TaskSource::ColumnItem)
        .collect();
    assert!(
        items
            .iter()
            .any(|r| r.title.starts_with("培育高质量创新主体"))
    );
    assert!(items.iter().any(|r| r.number == "专栏16-1"));
    assert!(
        l.iter().all(|r| !r.title.starts_with("专栏")),
        "box titles are headings"
    );
    // Offsets are char offsets of the row's own text.
    for text in [taian, qinghai] {
        let chars: Vec<char> = text.chars().collect();
        for r in draft_ledger(text) {
            let block: String = chars[r.start..r.end].iter().collect();
            assert!(
                block.contains(r.title.split('。').next().unwrap_or("")),
                "{r:?}"
            );
        }
    }
}

#[test]
fn ledger_units_and_deadlines() {
    let text = "三、重点任务\n(一)强化企业创新主体地位\n1.实施高新技术企业倍增计划。完善高企培育库。(责任单位:市科技局、市税务局)\n2.支持企业建设研发机构。牵头单位:市发展改革委;配合单位:市工业和信息化局。2024年底前完成。";
    let l = draft_ledger(text);
    assert_eq!(l.len(), 2, "{l:#?}");
    assert_eq!(l[0].title, "实施高新技术企业倍增计划。完善高企培育库");
    assert_eq!(l[0].number, "三、(一)1");
    assert_eq!(l[0].responsible_units, vec!["市科技局", "市税务局"]);
    assert_eq!(l[1].title, "支持企业建设研发机构");
    assert_eq!(
        l[1].responsible_units,
        vec!["市发展改革委", "市工业和信息化局"]
    );
    assert_eq!(l[1].deadline.as_deref(), Some("2024年底前"));
    assert_eq!(l[1].deadline_year, Some(2024));
    assert!(l.iter().all(|r| r.source == TaskSource::Item));
}

/// Arbitrary slices of the seeds (cut mid-sentence, mid-number, mid-quote) never panic and
/// keep the offset invariant; edge inputs are fine.
#[test]
fn robustness_on_slices() {
    for text in [
        "",
        " ",
        "\r\n",
        "1",
        "一",
        "达到",
        "倍增",
        "“全覆盖”",
        "(一)",
        "专栏",
        "2020年",
    ] {
        let _ = extract(text);
        let _ = draft_ledger(text);
    }
    for text in seeds() {
        let chars: Vec<char> = text.chars().collect();
        for start in (0..chars.len()).step_by(211) {
            for len in [1, 7, 60, 400] {
                let slice: String = chars[start..(start + len).min(chars.len())]
                    .iter()
                    .collect();
                for x in extract(&slice) {
                    let s: String = slice.chars().skip(x.start).take(x.end - x.start).collect();
                    assert_eq!(s, x.sentence);
                }
                let _ = draft_ledger(&slice);
            }
        }
    }
}

/// (indicator, value, unit, year, kind) of every extraction, for compact assertions.
fn tuples(text: &str) -> Vec<(String, f64, String, Option<i32>, Kind)> {
    extract(text)
        .into_iter()
        .map(|x| (x.indicator, x.value, x.unit, x.year, x.kind))
        .collect()
}

#[test]
fn years_of_reports_and_yearly_texts() {
    // A government work report: 过去一年 is the year before the report, 今年 its year; a
    // heading with a year dates its section.
    let text = "某市2024年政府工作报告\n一、2023年工作回顾\n过去一年,地区生产总值达到5200亿元。\n——创新动能增强。高新技术企业达到1050家。\n二、今年工作安排\n今年研发经费投入增长10%以上。";
    let all = extract(text);
    let v: Vec<(f64, Option<i32>, Kind)> = all.iter().map(|x| (x.value, x.year, x.kind)).collect();
    assert_eq!(
        v,
        vec![
            (5200.0, Some(2023), Kind::Baseline),
            (1050.0, Some(2023), Kind::Baseline),
            (10.0, Some(2024), Kind::Target),
        ]
    );
    assert!(
        all[1].rule.contains("year=heading:2023年"),
        "{}",
        all[1].rule
    );
    // "2023年是…之年" opening a yearly text names its year.
    let text = "2023年是全面落实规划的关键之年。\n主要预期目标是:高新技术企业数量达到2000家。";
    let x = one(text);
    assert_eq!((x.year, x.kind), (Some(2023), Kind::Target));
    // No date at all: 去年's figures carry their year, so 今年 is the year after — a guess,
    // and the output says so.
    let text = "去年全省科技工作成效显著。2019年,全省技术合同成交额达到180亿元。\n今年的目标是:技术合同交易额达到200亿元。";
    let all = extract(text);
    assert_eq!(
        all.iter().map(|x| (x.year, x.kind)).collect::<Vec<_>>(),
        vec![(Some(2019), Kind::Baseline), (Some(2020), Kind::Target)]
    );
    assert_eq!(all[0].doubt, None, "an explicit year is no guess");
    assert!(all[1].doubt.as_deref().is_some_and(|d| d.contains("去年")));
    // A five-year plan without a year in the sentence: its end year.
    let text = "某县“十四五”科技创新规划\n——创新主体壮大。科技型中小企业达到200家。";
    assert_eq!(one(text).year, Some(2025));
}

#[test]
fn a_lead_in_year_governs_its_section() {
    // "到2023年,…实现“六个倍增”" then a "——" list: the list's targets are for 2023.
    let text = "1.总体目标\n到2023年,主要科技创新指标实现“六个倍增”。\n“六个倍增”——高新技术企业数量增加一倍,达到2000家。\n二、主要任务";
    let all = extract(text);
    assert_eq!(all.len(), 2, "{all:#?}");
    assert!(all.iter().all(|x| x.year == Some(2023)));
    // A milestone stating its own figures dates nothing after it.
    let text = "某市“十四五”科技创新规划\n二、主要目标\n到2023年,新建市级重点实验室8家。\n科技服务业增加值占GDP比重达到2.1%。";
    let all = extract(text);
    assert_eq!(all[0].year, Some(2023));
    assert_eq!(all[1].year, Some(2025));
}

#[test]
fn units_with_multipliers_compare_equal() {
    use kechuang_plans::eval::{evaluate, parse_gold};
    use kechuang_plans::lexicon::canonical_quantity;
    assert_eq!(
        canonical_quantity(4.6, None, "万亿元"),
        canonical_quantity(46000.0, None, "亿元")
    );
    assert_eq!(
        canonical_quantity(1.0, None, "万家"),
        (10000.0, None, "家".to_string())
    );
    assert_eq!(
        canonical_quantity(12.0, Some(15.0), "万平方米"),
        (120000.0, Some(150000.0), "平方米".to_string())
    );
    // 百分点 is not 百 × 分点.
    assert_eq!(
        canonical_quantity(0.6, None, "个百分点"),
        (0.6, None, "百分点".to_string())
    );
    // The extractor writes "4.6万亿元" as 46000 亿元; gold written 4.6 万亿元 matches it.
    let x = one("2021年,实现地区生产总值4.6万亿元。");
    assert_eq!((x.value, x.unit.as_str()), (46000.0, "亿元"));
    let gold = parse_gold(r#"{"indicator":"地区生产总值","key":"other:地区生产总值","value":4.6,"unit":"万亿元","year":2021,"kind":"baseline","comparator":"reach"}"#).unwrap();
    assert_eq!(evaluate(&[x], &gold).matched, 1);
    // A bare 万 after a comparator, and weights with a multiplier.
    let x = one("2021年,高新技术企业突破万家。");
    assert_eq!(
        (x.value, x.unit.as_str(), x.comparator.as_str()),
        (10000.0, "家", "above")
    );
    let x = one("2021年,粮食总产达614.9亿斤。");
    assert_eq!((x.value, x.unit.as_str()), (614.9e8, "斤"));
    // Money written without 元 is read as 亿元, and flagged as a guess.
    let x = one("2023年,全社会研发经费投入达100亿以上。");
    assert_eq!(
        (x.value, x.unit.as_str(), x.comparator.as_str()),
        (100.0, "亿元", "at_least")
    );
    assert!(x.doubt.is_some());
    // Not when the noun is not money.
    assert!(extract("2023年,服务人群达1亿以上。").is_empty());
}

#[test]
fn period_qualifiers_and_years_inside_the_indicator() {
    // "两年平均增长": the 均 of 平均 stays, and the subject comes from the sentence.
    let all = extract("2021年,地区生产总值增长7.7%,两年平均增长5.7%。");
    assert_eq!(all[1].indicator, "地区生产总值两年平均增长");
    assert_eq!(all[1].comparator, "per_year");
    // "同2017年相比实现翻番": the comparison base is not the indicator.
    let all = extract("2020年,有效高新技术企业总数达247家,同2017年相比实现翻番。");
    assert_eq!(all[1].indicator, "有效高新技术企业总数");
    assert_eq!((all[1].value, all[1].unit.as_str()), (2.0, "倍"));
    // "从2015年的A提升到2020年的B": each value takes its own year.
    let all = extract("研发经费支出占GDP比重从2015年的2.41%提升到2020年的2.85%。");
    assert_eq!(
        all.iter()
            .map(|x| (x.indicator.as_str(), x.year))
            .collect::<Vec<_>>(),
        vec![
            ("研发经费支出占GDP比重", Some(2015)),
            ("研发经费支出占GDP比重", Some(2020))
        ]
    );
    // "2020年度众创空间…", "…增幅连续5年保持11%以上": 年度 and 连续N年 are not the name.
    assert_eq!(
        one("2020年度众创空间获评省级优秀4家。").indicator,
        "众创空间获评省级优秀"
    );
}

#[test]
fn gaps_to_other_places_are_not_targets() {
    let all = tuples("2021年,地区生产总值增长7.7%,高于全国平均水平0.6个百分点。");
    assert_eq!(all.len(), 1, "{all:?}");
    assert!(extract("2021年,研发投入强度比全省高0.3个百分点。").is_empty());
    // A share (比重) is not a comparison.
    assert_eq!(one("到2025年,数字经济占GDP比重达50%。").value, 50.0);
}

#[test]
fn multiples_and_relative_targets() {
    let x = one("到2023年,高新技术企业数量增加一倍。");
    assert_eq!(
        (x.value, x.unit.as_str(), x.comparator.as_str()),
        (2.0, "倍", "multiply_by")
    );
    assert_eq!(x.doubt, None);
    let x = one("到2025年,技术合同成交额增长2倍。");
    assert_eq!(x.value, 3.0);
    assert!(x.doubt.is_some(), "增长N倍 is ambiguous");
    let x = one("到2025年,高企数量实现翻番。");
    assert_eq!((x.value, x.unit.as_str()), (2.0, "倍"));
    let x = one("到2025年,研发投入强度提高0.5个百分点。");
    assert_eq!(
        (x.value, x.unit.as_str(), x.comparator.as_str()),
        (0.5, "百分点", "increase")
    );
}

#[test]
fn approximations_and_more_than() {
    let x = one("到2025年,技术合同成交额约120亿元。");
    assert_eq!(x.comparator, "approximately");
    let x = one("到2025年,服务科技企业200余家。");
    assert_eq!(
        (x.value, x.unit.as_str(), x.comparator.as_str()),
        (200.0, "家", "above")
    );
    let x = one("到2025年,新增省级重点实验室3—5家。");
    assert_eq!((x.value, x.value_max), (3.0, Some(5.0)));
}

#[test]
fn numbers_that_are_not_targets() {
    // Meeting ordinals, background population, counts of the document's own measures.
    assert!(extract("落实市委十二届五次全会精神,召开第三次党代会。").is_empty());
    assert!(extract("2020年,全市常住人口达到860万人。").is_empty());
    assert!(extract("方案从六个方面研究提出了18项培育措施。").is_empty());
    // "100亿元以上项目开工19个": the size class qualifies the counted projects.
    let x = one("2021年,100亿元以上项目开工19个。");
    assert_eq!((x.value, x.unit.as_str()), (19.0, "个"));
    assert!(x.indicator.contains("100亿元以上项目"), "{}", x.indicator);
    // A count key only for the enterprises themselves, not for what they have.
    let all = extract("到2023年,高新技术企业数量达到2000家,高新技术企业营业收入达到1600亿元。");
    assert_eq!(all[0].key, "high_tech_enterprise_count");
    assert_eq!(all[1].key, "other:高新技术企业营业收入");
}

#[test]
fn attribute_lists_share_a_rate() {
    let all = tuples("2020年,高新技术产业产值、增加值增幅连续5年保持11%以上。");
    let names: Vec<&str> = all.iter().map(|x| x.0.as_str()).collect();
    assert_eq!(
        names,
        vec!["高新技术产业产值增幅", "高新技术产业增加值增幅"]
    );
    // A combined count stays one tuple.
    let x = one("到2025年,市级以上众创空间、孵化器达200家。");
    assert_eq!(x.indicator, "市级以上众创空间、孵化器");
}

#[test]
fn flattened_indicator_tables() {
    let text = "某县“十四五”科技创新规划\n专栏1 主要指标\n指标名称  2020年  2025年  属性\n研发经费投入强度(%)  1.9  2.4  预期性\n高新技术企业数(家)  120  240  预期性";
    let all = tuples(text);
    assert_eq!(
        all,
        vec![
            (
                "研发经费投入强度".into(),
                1.9,
                "%".into(),
                Some(2020),
                Kind::Baseline
            ),
            (
                "研发经费投入强度".into(),
                2.4,
                "%".into(),
                Some(2025),
                Kind::Target
            ),
            (
                "高新技术企业数".into(),
                120.0,
                "家".into(),
                Some(2020),
                Kind::Baseline
            ),
            (
                "高新技术企业数".into(),
                240.0,
                "家".into(),
                Some(2025),
                Kind::Target
            ),
        ]
    );
    // Without a header the two columns are the base year and the horizon, flagged as a guess.
    let all = extract("某县“十四五”科技创新规划\n1  每万人发明专利拥有量  件  8  12  预期性");
    assert_eq!(
        all.iter().map(|x| (x.value, x.year)).collect::<Vec<_>>(),
        vec![(8.0, Some(2020)), (12.0, Some(2025))]
    );
    assert!(all.iter().all(|x| x.doubt.is_some()));
}

/// "过去五年", "近五年来", "五年来,": a look back over a span of years reports the span's last
/// year — the base year of a multi-year plan — as a baseline.
#[test]
fn retrospective_spans_date_their_figures_at_the_base_year() {
    let all = extract(
        "临江市“十四五”科技创新规划\n记者获悉,过去五年,全市科技进步贡献率提高7个百分点。到2025年,高新技术企业达到300家。",
    );
    let got: Vec<_> = all.iter().map(|x| (x.value, x.year, x.kind)).collect();
    assert_eq!(
        got,
        vec![
            (7.0, Some(2020), Kind::Baseline),
            (300.0, Some(2025), Kind::Target)
        ]
    );
    let x = one("临江市“十四五”科技创新规划\n近五年来,全市新增省级重点实验室12家。");
    assert_eq!((x.year, x.kind), (Some(2020), Kind::Baseline));
    // A yearly document: the span ends the year before.
    let x = one("临江市2023年科技工作要点\n五年来,全市技术合同成交额达到45亿元。");
    assert_eq!(x.year, Some(2022));
}

/// A number right after a list joiner (、 和 及) opens a new item: the counted thing is the noun
/// after the unit, not the previous item's name ("…和12所省属高校院所、近2500户高新技术企业").
#[test]
fn quantities_opening_a_list_item_count_the_noun_after_them() {
    let all = extract(
        "某省科技创新规划\n一、发展基础\n一汽集团等中直机构和12所省属高校院所、近2500户高新技术企业构筑了区域创新网络。",
    );
    let got: Vec<_> = all
        .iter()
        .map(|x| (x.indicator.as_str(), x.value, x.key.as_str()))
        .collect();
    assert_eq!(
        got,
        vec![
            ("省属高校院所", 12.0, "other:省属高校院所"),
            ("高新技术企业构筑", 2500.0, "high_tech_enterprise_count"),
        ]
    );
}

/// "促成了30项成果实现产业化": a verb closed by the particle 了 governs the noun after the
/// number; the verb is not the indicator.
#[test]
fn verbs_closed_by_le_take_the_noun_after_the_number() {
    let all = extract(
        "某省科技创新规划\n一、发展基础\n通过实施联合基金,促成了30项成果实现产业化,储备了50余项前沿科技成果。",
    );
    let got: Vec<_> = all
        .iter()
        .map(|x| (x.indicator.as_str(), x.value))
        .collect();
    assert_eq!(got, vec![("成果实现产业化", 30.0), ("前沿科技成果", 50.0)]);
}

/// "国家级企业技术中心5家、省级20家": a level alone names the previous item at that level.
#[test]
fn a_level_alone_repeats_the_previous_item() {
    let all = extract("某市科技创新规划\n一、发展基础\n全市国家级企业技术中心5家、省级20家。");
    let keys: Vec<_> = all.iter().map(|x| x.key.as_str()).collect();
    assert_eq!(
        keys,
        vec![
            "national_enterprise_tech_center_count",
            "provincial_enterprise_tech_center_count"
        ]
    );
    assert_eq!(all[1].indicator, "省级企业技术中心");
}

/// Library keys: a share of GDP is not the share of industry; R&D *personnel* per 10,000
/// employed is not R&D expenditure; a combined count of enterprise classes is not gazelles.
#[test]
fn keys_for_gdp_shares_personnel_and_combined_classes() {
    use kechuang_plans::lexicon::indicator_key;
    assert_eq!(
        indicator_key("高新技术产业增加值占GDP的比重"),
        "other:高新技术产业增加值占GDP的比重"
    );
    assert_eq!(
        indicator_key("高新技术产业增加值占规上工业增加值比重"),
        "high_tech_industry_value_added_share_of_industry"
    );
    assert_eq!(
        indicator_key("每万名就业人员中R&D人员数"),
        "rd_personnel_per_10k_employed"
    );
    assert_eq!(
        indicator_key("每万人就业人员中研发人员数"),
        "rd_personnel_per_10k_employed"
    );
    assert_eq!(
        indicator_key("雏鹰瞪羚独角兽企业"),
        "other:雏鹰瞪羚独角兽企业"
    );
    assert_eq!(indicator_key("“瞪羚”企业"), "gazelle_enterprise_count");
}

/// A period named as what a review's results serve ("奠定了“十四五”…的坚实基础") dates
/// nothing: a later sentence of the paragraph keeps the review's year, not the plan's horizon.
#[test]
fn a_period_served_by_a_review_dates_nothing() {
    let all = extract(
        "某区“十四五”科技创新规划\n“十三五”期间,全区科技创新能力持续提升,奠定了“十四五”科技创新的坚实基础。研发投入强度提高至3.98%。",
    );
    assert_eq!(all.len(), 1);
    assert_eq!((all[0].value, all[0].year), (3.98, Some(2020)));
}

/// A multiple of another place's level ("为全市平均水平的2倍") is a comparison, not a growth
/// of the region's own measure; a multiple of an earlier year still counts.
#[test]
fn multiples_of_another_places_level_are_comparisons() {
    let all = extract(
        "某区“十四五”科技创新规划\n2020年研发投入强度达到3.98%,为全市平均水平的2倍、全国平均水平的1.7倍。",
    );
    let values: Vec<_> = all.iter().map(|x| (x.value, x.unit.as_str())).collect();
    assert_eq!(values, vec![(3.98, "%")]);
    let own = extract("某区“十四五”科技创新规划\n2020年高新技术企业数量是2015年的3倍。");
    assert!(own.iter().any(|x| x.unit == "倍"));
}

/// Counts of a document's parts and of its indicators ("规划纲要共19篇", "列出了20项主要指标")
/// are the document's frame, not measures; "发表论文100篇" stays a measure.
#[test]
fn counts_of_document_parts_and_indicators_are_not_measures() {
    let all = extract(
        "规划纲要共19篇,列出了“十四五”经济社会发展20项主要指标。规划纲要提出,到2025年每万人口高价值发明专利拥有量达12件。",
    );
    let values: Vec<_> = all.iter().map(|x| (x.value, x.unit.as_str())).collect();
    assert_eq!(values, vec![(12.0, "件")]);
    let papers = extract("某市“十四五”科技创新规划\n到2025年,发表高水平论文100篇。");
    assert!(papers.iter().any(|x| x.value == 100.0 && x.unit == "篇"));
}
