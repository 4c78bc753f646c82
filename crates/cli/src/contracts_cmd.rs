//! `kechuang contracts assess`: the registration decision for every contract of a file, one
//! JSON object per line, by the same policy pack and code as the registration office's
//! workbench. A malformed row is reported as that row's error; the others go on.

use anyhow::{Context, Result, bail};
use chrono::Datelike;
use kechuang_domain::contract::{Category, ContractInput, Findings, NewContract};
use kechuang_domain::enterprise_year::parse_flag;
use kechuang_server::contracts_svc::{Facts, assess as assess_one};
use kechuang_server::tabular::{Table, read_table};
use std::io::Write;
use std::path::Path;

/// Column headers accepted for each field: Chinese as on the registration form, or the wire
/// name. Documented in the README.
const COLUMNS: &[(&str, &[&str])] = &[
    ("contract_no", &["合同编号", "contract_no"]),
    ("category", &["合同类别", "category"]),
    ("subcategory", &["合同子类", "子类", "subcategory"]),
    ("form", &["合同形式", "form"]),
    (
        "seller_credit_code",
        &["卖方统一社会信用代码", "seller_credit_code"],
    ),
    ("seller_name", &["卖方名称", "seller_name"]),
    (
        "buyer_credit_code",
        &["买方统一社会信用代码", "buyer_credit_code"],
    ),
    ("buyer_name", &["买方名称", "buyer_name"]),
    (
        "total_amount",
        &[
            "合同成交总额",
            "合同成交总额(元)",
            "合同成交总额（元）",
            "total_amount",
        ],
    ),
    (
        "non_tech_amount",
        &[
            "非技术性费用",
            "非技术性费用(元)",
            "非技术性费用（元）",
            "non_tech_amount",
        ],
    ),
    (
        "carrier_amount",
        &[
            "合理数量标的物费用",
            "合理数量标的物费用（元）",
            "carrier_amount",
        ],
    ),
    ("signed_on", &["签订日期", "signed_on"]),
    ("valid_from", &["有效期起", "valid_from"]),
    ("valid_to", &["有效期止", "valid_to"]),
    ("subject", &["项目名称", "subject"]),
    ("accepted_on", &["受理日期", "accepted_on"]),
    ("corrected", &["已补正", "corrected"]),
    ("parties_clear", &["主体明确", "parties_clear"]),
    ("subject_clear", &["标的明确", "subject_clear"]),
    ("price_clear", &["价款明确", "price_clear"]),
    ("name_matches", &["名称一致", "name_matches"]),
    ("seal_ok", &["印章一致", "seal_ok"]),
    ("documents_ok", &["证明文件齐全", "documents_ok"]),
    ("approval_ok", &["审批完备", "approval_ok"]),
    ("monopoly_clause", &["含垄断条款", "monopoly_clause"]),
];

const REQUIRED: &[&str] = &[
    "contract_no",
    "category",
    "form",
    "seller_credit_code",
    "buyer_credit_code",
    "total_amount",
    "non_tech_amount",
    "signed_on",
];

struct Columns(Vec<(&'static str, usize)>);

impl Columns {
    fn of(t: &Table) -> Result<Self> {
        let found: Vec<(&'static str, usize)> = COLUMNS
            .iter()
            .filter_map(|(k, names)| t.column(names).map(|i| (*k, i)))
            .collect();
        let missing: Vec<&str> = REQUIRED
            .iter()
            .filter(|k| !found.iter().any(|(f, _)| f == *k))
            .map(|k| {
                COLUMNS
                    .iter()
                    .find(|(c, _)| c == k)
                    .map(|(_, n)| n[0])
                    .unwrap_or(k)
            })
            .collect();
        if !missing.is_empty() {
            bail!("文件缺少必需的列：{}", missing.join("、"));
        }
        Ok(Self(found))
    }

    fn get<'a>(&self, row: &'a [String], key: &str) -> &'a str {
        self.0
            .iter()
            .find(|(k, _)| *k == key)
            .and_then(|(_, i)| row.get(*i))
            .map(|s| s.trim())
            .unwrap_or_default()
    }
}

fn flag(cols: &Columns, row: &[String], key: &str, default: bool) -> Result<bool, String> {
    let v = cols.get(row, key);
    if v.is_empty() {
        return Ok(default);
    }
    parse_flag(v).ok_or_else(|| format!("“{v}”不是有效的是/否值"))
}

/// Assess every row; prints one JSON line per row. Returns the number of malformed rows.
pub fn assess(path: &Path, today: chrono::NaiveDate) -> Result<usize> {
    let bytes = std::fs::read(path).with_context(|| format!("无法读取 {}", path.display()))?;
    let table = read_table(&bytes).map_err(|e| anyhow::anyhow!("{}", e.summary()))?;
    let cols = Columns::of(&table)?;
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let mut errors = 0;
    for (line, row) in &table.rows {
        let no = cols.get(row, "contract_no").to_owned();
        let input = ContractInput {
            contract_no: no.clone(),
            subject: cols.get(row, "subject").into(),
            category: cols.get(row, "category").into(),
            subcategory: cols.get(row, "subcategory").into(),
            form: cols.get(row, "form").into(),
            seller_credit_code: cols.get(row, "seller_credit_code").into(),
            seller_name: cols.get(row, "seller_name").into(),
            buyer_credit_code: cols.get(row, "buyer_credit_code").into(),
            buyer_name: cols.get(row, "buyer_name").into(),
            total_amount: cols.get(row, "total_amount").into(),
            non_tech_amount: cols.get(row, "non_tech_amount").into(),
            carrier_amount: cols.get(row, "carrier_amount").into(),
            signed_on: cols.get(row, "signed_on").into(),
            valid_from: cols.get(row, "valid_from").into(),
            valid_to: cols.get(row, "valid_to").into(),
            ..Default::default()
        };
        let result = NewContract::parse(&input, today, true)
            .map_err(|e| {
                serde_json::json!({
                    "code": e.0.first().map(|f| f.code.clone()).unwrap_or_default(),
                    "message": e.summary(),
                    "fields": e.0,
                })
            })
            .and_then(|c| {
                let mut f = Findings::default();
                let mut bad = Vec::new();
                for (key, slot, default) in [
                    ("parties_clear", &mut f.parties_clear, true),
                    ("subject_clear", &mut f.subject_clear, true),
                    ("price_clear", &mut f.price_clear, true),
                    ("name_matches", &mut f.name_matches, true),
                    ("seal_ok", &mut f.seal_ok, true),
                    ("documents_ok", &mut f.documents_ok, true),
                    ("approval_ok", &mut f.approval_ok, true),
                    ("monopoly_clause", &mut f.monopoly_clause, false),
                ] {
                    match flag(&cols, row, key, default) {
                        Ok(v) => *slot = v,
                        Err(m) => bad.push(serde_json::json!({"field": key, "code": "flag.format", "message": m})),
                    }
                }
                let corrected = match flag(&cols, row, "corrected", false) {
                    Ok(v) => v,
                    Err(m) => {
                        bad.push(serde_json::json!({"field": "corrected", "code": "flag.format", "message": m}));
                        false
                    }
                };
                let accepted = cols.get(row, "accepted_on");
                let year = if accepted.is_empty() {
                    Ok(c.signed_on.year())
                } else {
                    chrono::NaiveDate::parse_from_str(accepted, "%Y-%m-%d")
                        .map(|d| d.year())
                        .map_err(|_| accepted.to_owned())
                };
                let year = match year {
                    Ok(y) => y,
                    Err(v) => {
                        bad.push(serde_json::json!({"field": "accepted_on", "code": "date.format", "message": format!("受理日期“{v}”格式错误，应为 YYYY-MM-DD")}));
                        0
                    }
                };
                if !bad.is_empty() {
                    return Err(serde_json::json!({
                        "code": bad[0]["code"].clone(),
                        "message": bad.iter().filter_map(|b| b["message"].as_str()).collect::<Vec<_>>().join("；"),
                        "fields": bad,
                    }));
                }
                assess_one(Facts::of(&c, corrected), &f, year)
                    .map(|a| (c, a))
                    .map_err(|e| serde_json::json!({"code": "contract.pack", "message": e.summary()}))
            });
        let line_json = match result {
            Ok((c, a)) => serde_json::json!({
                "row": line,
                "contract_no": no,
                "category": c.category.map(Category::as_str).unwrap_or("other"),
                "category_label": c.category_text,
                "decision": a.decision,
                "technical_amount": a.technical_amount,
                "second_review": a.second_review,
                "reasons": a.reasons,
                "rules": a.rules_label,
            }),
            Err(e) => {
                errors += 1;
                serde_json::json!({ "row": line, "contract_no": no, "error": e })
            }
        };
        writeln!(out, "{line_json}")?;
    }
    out.flush()?;
    Ok(errors)
}
