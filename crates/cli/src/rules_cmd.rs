//! `kechuang rules eval | test`: the rules engine over files or the registry.

use anyhow::{Context, Result, bail};
use kechuang_domain::enterprise_year::{FIGURES, FigureValue, figure_by_header, parse_flag};
use kechuang_rules::{Entity, Pack, Plan, Value, parse_cases, run_cases};
use kechuang_store::{DataScope, Store};
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

/// Load a pack: from `--policies DIR` when given, else the official packs compiled in.
pub fn load_pack(id: &str, dir: Option<&Path>) -> Result<Pack> {
    match dir {
        Some(d) => {
            let path = d.join(format!("{id}.policy"));
            let text = std::fs::read_to_string(&path)
                .with_context(|| format!("无法读取 {}", path.display()))?;
            Pack::parse(&path.display().to_string(), &text).map_err(|e| anyhow::anyhow!("{e}"))
        }
        None => match kechuang_rules::official(id) {
            Some(r) => r.map_err(|e| anyhow::anyhow!("{e}")),
            None => {
                let ids: Vec<&str> = kechuang_rules::OFFICIAL
                    .iter()
                    .map(|(i, _, _)| *i)
                    .collect();
                bail!("没有名为“{id}”的政策包，可选：{}", ids.join("、"))
            }
        },
    }
}

/// Rows of one enterprise: year → (input name → cell text).
type History = BTreeMap<i32, HashMap<String, String>>;

/// Read the interchange format (csv or xlsx) into histories by credit code.
fn read_file(path: &PathBuf, pack: &Pack) -> Result<(Vec<String>, HashMap<String, History>)> {
    let bytes = std::fs::read(path).with_context(|| format!("无法读取 {}", path.display()))?;
    let t = kechuang_server::tabular::read_table(&bytes)
        .map_err(|e| anyhow::anyhow!("{}", e.summary()))?;
    let code_col = t
        .column(&["credit_code", "统一社会信用代码"])
        .context("缺少“credit_code / 统一社会信用代码”列")?;
    let year_col = t.column(&["year", "年度"]).context("缺少“year / 年度”列")?;
    // Map headers to pack inputs: the input name, its label, or the interchange label.
    let mut cols: Vec<(usize, String)> = Vec::new();
    for (i, h) in t.headers.iter().enumerate() {
        let h = h.trim();
        let name = pack
            .inputs
            .iter()
            .find(|inp| inp.name == h || inp.label == h)
            .map(|inp| inp.name.clone())
            .or_else(|| {
                figure_by_header(h)
                    .map(|f| f.key.to_owned())
                    .filter(|k| pack.inputs.iter().any(|inp| &inp.name == k))
            });
        if let Some(n) = name {
            cols.push((i, n));
        }
    }
    let mut order = Vec::new();
    let mut out: HashMap<String, History> = HashMap::new();
    for (row, cells) in &t.rows {
        let code = cells
            .get(code_col)
            .map(|s| s.trim().to_ascii_uppercase())
            .unwrap_or_default();
        let year: i32 = cells
            .get(year_col)
            .and_then(|s| s.trim().parse().ok())
            .with_context(|| {
                format!(
                    "第{row}行：年度“{}”不是数字",
                    cells.get(year_col).map(String::as_str).unwrap_or("")
                )
            })?;
        if !out.contains_key(&code) {
            order.push(code.clone());
        }
        let entry = out.entry(code).or_default().entry(year).or_default();
        for (i, name) in &cols {
            if let Some(v) = cells.get(*i).filter(|v| !v.trim().is_empty()) {
                entry.insert(name.clone(), v.trim().to_owned());
            }
        }
    }
    Ok((order, out))
}

/// Histories from the registry: every enterprise in the region with figures for the year.
async fn read_registry(
    store: &Store,
    region: &str,
    plan: &Plan,
) -> Result<(Vec<String>, HashMap<String, History>)> {
    let min_offset = plan.inputs().iter().map(|(_, o)| *o).min().unwrap_or(0);
    let mut order = Vec::new();
    let mut out: HashMap<String, History> = HashMap::new();
    for y in (plan.year + min_offset)..=plan.year {
        let f = kechuang_store::years::YearFilter {
            year: Some(y),
            region: Some(region.to_owned()),
            ..Default::default()
        };
        for row in store
            .export_enterprise_years(&DataScope::All, &f, 10_000_000)
            .await?
        {
            if y == plan.year {
                order.push(row.credit_code.clone());
            }
            let e = out
                .entry(row.credit_code.clone())
                .or_default()
                .entry(y)
                .or_default();
            for spec in FIGURES {
                let text = match row.figures.get(spec.key) {
                    Some(FigureValue::Count(n)) => n.to_string(),
                    Some(FigureValue::Amount(d)) => d.to_string(),
                    Some(FigureValue::Flag(b)) => b.to_string(),
                    None => continue,
                };
                e.insert(spec.key.to_owned(), text);
            }
        }
    }
    Ok((order, out))
}

fn entity(plan: &Plan, h: &History, problems: &mut Vec<String>) -> Entity {
    let mut values = Vec::new();
    for (i, (name, off)) in plan.inputs().iter().enumerate() {
        let cell = h.get(&(plan.year + off)).and_then(|r| r.get(name));
        let v = match cell {
            None => None,
            Some(text) if plan.input_is_flag(i) => match parse_flag(text) {
                Some(b) => Some(Value::Bool(b)),
                None => {
                    problems.push(format!("{name}（{}年）“{text}”应为 是/否", plan.year + off));
                    None
                }
            },
            Some(text) => match kechuang_rules::parse_value(&text.replace(',', "")) {
                Some(v @ Value::Num(_)) => Some(v),
                _ => {
                    problems.push(format!("{name}（{}年）“{text}”不是数字", plan.year + off));
                    None
                }
            },
        };
        values.push(v);
    }
    Entity { values }
}

/// Evaluate and print one JSON object per enterprise.
pub async fn eval(
    pack_id: &str,
    year: i32,
    input: Option<PathBuf>,
    region: Option<String>,
    store: Option<Store>,
    dir: Option<&Path>,
) -> Result<()> {
    let pack = load_pack(pack_id, dir)?;
    let plan = pack
        .compile(year)
        .map_err(|e| anyhow::anyhow!("{}", e.message))?;
    let (order, histories) = match (input, region, store) {
        (Some(path), None, _) => read_file(&path, &pack)?,
        (None, Some(region), Some(store)) => read_registry(&store, &region, &plan).await?,
        _ => bail!("请指定 --input 文件 或 --region 行政区划代码（二选一）"),
    };
    let empty = History::new();
    let mut problems_by = Vec::new();
    let entities: Vec<Entity> = order
        .iter()
        .map(|code| {
            let mut p = Vec::new();
            let e = entity(&plan, histories.get(code).unwrap_or(&empty), &mut p);
            problems_by.push(p);
            e
        })
        .collect();
    // Columns for the batch path (the same code path as single-entity evaluation).
    let columns: Vec<Vec<Option<Value>>> = (0..plan.inputs().len())
        .map(|i| entities.iter().map(|e| e.values[i].clone()).collect())
        .collect();
    let results = plan.evaluate_batch(&columns);
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    use std::io::Write;
    for ((code, ev), (entity, problems)) in order
        .iter()
        .zip(&results)
        .zip(entities.iter().zip(&problems_by))
    {
        if !histories.get(code).is_some_and(|h| h.contains_key(&year)) {
            continue;
        }
        let explanation = plan.explain(ev);
        let line = serde_json::json!({
            "credit_code": code,
            "year": year,
            "pack": plan.pack_id,
            "outputs": plan.outputs(ev),
            "missing": plan.missing(ev),
            "problems": problems,
            "gaps": plan.gaps(entity, ev),
            "explanation": explanation,
            "explanation_text": explanation.render(),
        });
        writeln!(out, "{line}")?;
    }
    Ok(())
}

/// Run every case of the named packs (all official packs by default). Returns failures.
pub fn test(ids: &[String], dir: Option<&Path>) -> Result<usize> {
    let ids: Vec<String> = if ids.is_empty() {
        kechuang_rules::OFFICIAL
            .iter()
            .map(|(i, _, _)| (*i).to_owned())
            .collect()
    } else {
        ids.to_vec()
    };
    let (mut passed, mut failed) = (0usize, 0usize);
    for id in &ids {
        let pack = load_pack(id, dir)?;
        let (file, text) = match dir {
            Some(d) => {
                let p = d.join(format!("{id}.cases"));
                (
                    p.display().to_string(),
                    std::fs::read_to_string(&p)
                        .with_context(|| format!("无法读取 {}", p.display()))?,
                )
            }
            None => (
                format!("policies/{id}.cases"),
                kechuang_rules::OFFICIAL
                    .iter()
                    .find(|(i, _, _)| i == id)
                    .map(|(_, _, c)| (*c).to_owned())
                    .unwrap_or_default(),
            ),
        };
        let cases = parse_cases(&file, &text).map_err(|e| anyhow::anyhow!("{e}"))?;
        for r in run_cases(&pack, &cases) {
            if r.passed {
                passed += 1;
                println!("ok    {id} {} {}", r.name, r.description);
            } else {
                failed += 1;
                println!(
                    "FAIL  {id} {} {}: {}",
                    r.name,
                    r.description,
                    r.failures.join("；")
                );
            }
        }
    }
    println!("{passed} passed, {failed} failed");
    Ok(failed)
}
