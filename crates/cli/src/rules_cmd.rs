//! `kechuang rules eval | test`: the rules engine over files or the registry.

use anyhow::{Context, Result, bail};
use kechuang_domain::enterprise_year::parse_flag;
use kechuang_rules::{Entity, Pack, Plan, Value, parse_cases, run_cases};
use kechuang_store::{DataScope, Store};
use std::collections::HashMap;
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
                let ids: Vec<&str> = kechuang_rules::all_packs().map(|(i, _, _)| *i).collect();
                bail!("没有名为“{id}”的政策包，可选：{}", ids.join("、"))
            }
        },
    }
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
    // (credit code, inputs, problems) from the file or from the registry.
    let rows: Vec<(String, Entity, Vec<String>)> = match (input, region, store) {
        (Some(path), None, _) => {
            let bytes =
                std::fs::read(&path).with_context(|| format!("无法读取 {}", path.display()))?;
            let file = kechuang_server::rules_io::read_figures_file(&bytes, &pack)
                .map_err(|e| anyhow::anyhow!(e))?;
            kechuang_server::rules_io::file_entities(&plan, &file)
                .into_iter()
                .map(|r| (r.credit_code, r.entity, r.problems))
                .collect()
        }
        (None, Some(region), Some(store)) => kechuang_server::rules_io::registry_entities(
            &store,
            &DataScope::All,
            Some(&region),
            &plan,
        )
        .await?
        .into_iter()
        .map(|r| (r.credit_code, r.entity, Vec::new()))
        .collect(),
        _ => bail!("请指定 --input 文件 或 --region 行政区划代码（二选一）"),
    };
    let entities: Vec<&Entity> = rows.iter().map(|(_, e, _)| e).collect();
    // Columns for the batch path (the same code path as single-entity evaluation).
    let columns: Vec<Vec<Option<Value>>> = (0..plan.inputs().len())
        .map(|i| entities.iter().map(|e| e.values[i].clone()).collect())
        .collect();
    let results = plan.evaluate_batch(&columns);
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    use std::io::Write;
    for ((code, _, problems), ev) in rows.iter().zip(&results) {
        let explanation = plan.explain(ev);
        let line = serde_json::json!({
            "credit_code": code,
            "year": year,
            "pack": plan.pack_id,
            "outputs": plan.outputs(ev),
            "missing": plan.missing(ev),
            "problems": problems,
            "gaps": plan.gaps(ev),
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
        kechuang_rules::all_packs()
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
                kechuang_rules::all_packs()
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

/// Items from a file: credit_code, region, description (事项) and the pack's inputs by name or
/// by the Chinese label (the part before "（").
fn file_items(path: &PathBuf, plan: &Plan, pack: &Pack) -> Result<Vec<kechuang_rules::Item>> {
    let bytes = std::fs::read(path).with_context(|| format!("无法读取 {}", path.display()))?;
    let t = kechuang_server::tabular::read_table(&bytes)
        .map_err(|e| anyhow::anyhow!("{}", e.summary()))?;
    let code_col = t
        .column(&["credit_code", "统一社会信用代码"])
        .context("缺少“credit_code / 统一社会信用代码”列")?;
    let region_col = t.column(&["region", "行政区划代码"]);
    let desc_col = t.column(&["description", "事项"]);
    let cols: Vec<(usize, Option<usize>)> = plan
        .inputs()
        .iter()
        .map(|(n, _)| {
            let label = pack
                .inputs
                .iter()
                .find(|i| &i.name == n)
                .map(|i| i.label.clone())
                .unwrap_or_default();
            let short = label.split('（').next().unwrap_or("").to_owned();
            (0, t.column(&[n.as_str(), label.as_str(), short.as_str()]))
        })
        .collect();
    let mut items = Vec::new();
    for (row, cells) in &t.rows {
        let cell = |i: Option<usize>| {
            i.and_then(|i| cells.get(i))
                .map(|s| s.trim().to_owned())
                .unwrap_or_default()
        };
        let mut values = Vec::new();
        for (i, (_, col)) in cols.iter().enumerate() {
            let text = cell(*col);
            values.push(if text.is_empty() {
                None
            } else if plan.input_is_flag(i) {
                Some(Value::Bool(
                    parse_flag(&text).with_context(|| format!("第{row}行：“{text}”应为 是/否"))?,
                ))
            } else {
                Some(
                    kechuang_rules::parse_value(&text)
                        .with_context(|| format!("第{row}行：“{text}”不是数字"))?,
                )
            });
        }
        items.push(kechuang_rules::Item {
            entity: cell(Some(code_col)).to_ascii_uppercase(),
            region: cell(region_col),
            description: cell(desc_col),
            inputs: Entity { values },
        });
    }
    Ok(items)
}

/// The 免申即享 entitlement list of a year.
pub async fn entitle(
    pack_id: &str,
    year: i32,
    input: Option<PathBuf>,
    region: Option<String>,
    store: Option<Store>,
    out: Option<PathBuf>,
    dir: Option<&Path>,
) -> Result<()> {
    let pack = load_pack(pack_id, dir)?;
    let plan = pack
        .compile(year)
        .map_err(|e| anyhow::anyhow!("{}", e.message))?;
    // Items, and the names of their enterprises when they come from the registry.
    let (items, names) = match (input, region, store) {
        (Some(path), None, _) => (file_items(&path, &plan, &pack)?, HashMap::new()),
        (None, Some(region), Some(store)) => {
            let rows = kechuang_server::rules_io::registry_reward_items(
                &store,
                &DataScope::All,
                Some(&region),
                &plan,
            )
            .await?;
            kechuang_server::rules_io::split_reward_items(rows)
        }
        _ => bail!("请指定 --input 文件 或 --region 行政区划代码（二选一）"),
    };
    let e = kechuang_rules::entitle(&pack, &plan, &items).map_err(|m| anyhow::anyhow!(m))?;
    let list = kechuang_server::rules_io::entitlement_items(e.items, &names);
    use std::io::Write;
    let mut w = std::io::BufWriter::new(std::io::stdout().lock());
    for d in &list {
        writeln!(w, "{}", serde_json::to_string(d)?)?;
    }
    writeln!(
        w,
        "{}",
        serde_json::json!({"summary": {"year": year, "pack": plan.pack_id, "entities": e.entities, "total": e.total, "by_category": e.by_group, "by_region": e.by_region}})
    )?;
    w.flush()?;
    if let Some(out) = out {
        let bytes = kechuang_server::rules_io::entitlements_xlsx(&list)
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        std::fs::write(&out, bytes).with_context(|| format!("无法写入 {}", out.display()))?;
    }
    Ok(())
}
