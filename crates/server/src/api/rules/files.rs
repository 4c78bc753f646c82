//! 批量试算: a figures file in the interchange format evaluated without storing, and its export.

use super::*;

/// Which pack and year a file is evaluated with.
#[derive(Deserialize, utoipa::IntoParams)]
pub struct FileQuery {
    pub pack: String,
    pub year: i32,
}

/// One enterprise of an evaluated file.
#[derive(Serialize, utoipa::ToSchema)]
pub struct FileRow {
    pub credit_code: String,
    /// From the file's 企业名称 column, if any.
    pub name: String,
    #[schema(value_type = Object)]
    pub outputs: serde_json::Map<String, serde_json::Value>,
    /// Names of the cultivation pools (labels: `/rules/packs`).
    pub pools: Vec<String>,
    #[schema(value_type = Object)]
    pub missing: serde_json::Value,
    #[schema(value_type = Object)]
    pub gaps: serde_json::Value,
    /// Cells that are not numbers (or not 是/否); such a figure counts as missing.
    pub problems: Vec<String>,
    pub explanation_text: String,
}

/// A figures file evaluated: nothing is stored.
#[derive(Serialize, utoipa::ToSchema)]
pub struct FileEvaluation {
    pub pack: String,
    pub version: String,
    pub year: i32,
    pub evaluated: usize,
    /// Enterprises whose `qualified` (or title) output is true.
    pub qualified: usize,
    /// Credit codes in the file without a row for the year.
    pub without_year: Vec<String>,
    pub rows: Vec<FileRow>,
}

/// The evaluation of a figures file, with the pack it used.
pub(super) async fn evaluate_file_bytes(
    q: &FileQuery,
    bytes: &[u8],
) -> ApiResult<(FileEvaluation, kechuang_rules::Pack)> {
    let (pack, version) = pack_or_404(&q.pack)?;
    let plan = compile(&pack, q.year)?;
    let file = crate::rules_io::read_figures_file(bytes, &pack)
        .map_err(|m| kechuang_domain::Invalid::one("file", "rules.file", m))?;
    let ents = crate::rules_io::file_entities(&plan, &file);
    if ents.len() > MAX_BATCH {
        return Err(kechuang_domain::Invalid::one(
            "file",
            "rules.batch_too_large",
            format!("单次最多评价{MAX_BATCH}个主体"),
        )
        .into());
    }
    let without_year = file
        .order
        .iter()
        .filter(|c| !ents.iter().any(|e| &e.credit_code == *c))
        .cloned()
        .collect();
    let columns: Vec<Vec<Option<kechuang_rules::Value>>> = (0..plan.inputs().len())
        .map(|i| ents.iter().map(|e| e.entity.values[i].clone()).collect())
        .collect();
    let (plan, evs) = tokio::task::spawn_blocking(move || {
        let evs = plan.evaluate_batch(&columns);
        (plan, evs)
    })
    .await
    .map_err(|_| ApiError::internal())?;
    let rows: Vec<FileRow> = ents
        .into_iter()
        .zip(&evs)
        .map(|(e, ev)| FileRow {
            credit_code: e.credit_code,
            name: e.name,
            outputs: plan.outputs(ev),
            pools: plan.pools(ev).into_iter().map(|(n, _)| n).collect(),
            missing: serde_json::to_value(plan.missing(ev)).unwrap_or_default(),
            gaps: serde_json::to_value(plan.gaps(ev)).unwrap_or_default(),
            problems: e.problems,
            explanation_text: plan.explain(ev).render(),
        })
        .collect();
    let evaluation = FileEvaluation {
        pack: pack.id.clone(),
        version,
        year: q.year,
        evaluated: rows.len(),
        qualified: rows
            .iter()
            .filter(|r| r.outputs.get("qualified") == Some(&serde_json::Value::Bool(true)))
            .count(),
        without_year,
        rows,
    };
    Ok((evaluation, pack))
}

/// 批量试算: evaluate a figures file (xlsx or csv in the enterprise-year interchange format,
/// multipart field `file`; earlier years' rows give the growth figures) without storing
/// anything: outputs, pools, missing figures, gaps and the explanation per enterprise.
#[utoipa::path(post, path = "/api/v1/rules/evaluate-file", tag = "rules", params(FileQuery),
    request_body(content_type = "multipart/form-data", content = crate::api::io::FileUpload, description = "field `file`: xlsx or csv"),
    responses((status = 200, body = FileEvaluation), (status = 404, body = crate::error::ErrorBody),
        (status = 422, body = crate::error::ErrorBody)))]
pub async fn evaluate_file(
    a: Auth,
    Query(q): Query<FileQuery>,
    m: crate::extract::Multipart,
) -> ApiResult<axum::Json<FileEvaluation>> {
    a.require("rules:read")?;
    let bytes = crate::api::io::file_bytes(m).await?;
    Ok(axum::Json(evaluate_file_bytes(&q, &bytes).await?.0))
}

/// [`evaluate_file`] with the answer as an xlsx sheet: one row per enterprise with its
/// outputs (by label), pools, missing figures, gaps and problems.
#[utoipa::path(post, path = "/api/v1/rules/evaluate-file/export", tag = "rules", params(FileQuery),
    request_body(content_type = "multipart/form-data", content = crate::api::io::FileUpload, description = "field `file`: xlsx or csv"),
    responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        (status = 422, body = crate::error::ErrorBody)))]
pub async fn export_file_evaluation(
    a: Auth,
    Query(q): Query<FileQuery>,
    m: crate::extract::Multipart,
) -> ApiResult<axum::response::Response> {
    use crate::tabular::{Cell, write_xlsx};
    a.require("rules:read")?;
    let bytes = crate::api::io::file_bytes(m).await?;
    let (r, pack) = evaluate_file_bytes(&q, &bytes).await?;
    let outputs = output_labels(&pack);
    let pools = rule_labels(&pack, |d| d.pool);
    let mut headers: Vec<&str> = vec!["统一社会信用代码", "企业名称"];
    headers.extend(outputs.iter().map(|o| o.label.as_str()));
    headers.extend(["培育库", "缺少数据", "差距分析", "数据问题"]);
    let texts = |v: &serde_json::Value, key: &str| -> String {
        v.as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|x| x[key].as_str())
                    .collect::<Vec<_>>()
                    .join("；")
            })
            .unwrap_or_default()
    };
    let xlsx = write_xlsx(
        "批量试算",
        &headers,
        r.rows.iter().map(|row| {
            let mut cells = vec![
                Cell::Text(row.credit_code.clone()),
                Cell::Text(row.name.clone()),
            ];
            for o in &outputs {
                cells.push(match row.outputs.get(&o.name) {
                    Some(serde_json::Value::Bool(b)) => {
                        Cell::Text(if *b { "是" } else { "否" }.into())
                    }
                    Some(serde_json::Value::Number(n)) => Cell::Number(n.as_f64().unwrap_or(0.0)),
                    Some(serde_json::Value::String(s)) => Cell::Text(s.clone()),
                    _ => Cell::Text("待定".into()),
                });
            }
            let pool_labels: Vec<&str> = row
                .pools
                .iter()
                .map(|p| {
                    pools
                        .iter()
                        .find(|l| &l.name == p)
                        .map_or(p.as_str(), |l| l.label.as_str())
                })
                .collect();
            cells.push(Cell::Text(pool_labels.join("；")));
            cells.push(Cell::Text(texts(&row.missing, "label")));
            cells.push(Cell::Text(texts(&row.gaps, "text")));
            cells.push(Cell::Text(row.problems.join("；")));
            cells
        }),
    )
    .map_err(|_| ApiError::internal())?;
    Ok(crate::api::io::xlsx_response(
        &format!("shisuan-{}-{}", r.pack, r.year),
        xlsx,
    ))
}
