//! File imports: a spreadsheet becomes validated domain rows, then one all-or-nothing store
//! import. The report lists every problem by row and column; nothing is written unless there
//! are none.

use crate::tabular::{Table, read_table};
use chrono::NaiveDate;
use kechuang_domain::Invalid;
use kechuang_domain::enterprise_year::{FIGURES, Figures, figure_by_header, parse_cell};
use kechuang_domain::organization::{NewOrganization, OrganizationInput};
use kechuang_store::years::YearRow;
use kechuang_store::{Caller, Store, StoreError};
use serde::Serialize;

/// One problem in an imported file.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ReportRow {
    /// Row number in the file; the header is row 1.
    pub row: usize,
    /// The column as headed in the file (or the expected header when it is missing).
    pub column: String,
    pub field: String,
    pub code: String,
    pub message: String,
}

/// The outcome of an import.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ImportReport {
    /// True when the file was accepted (and, unless `dry_run`, stored).
    pub ok: bool,
    pub dry_run: bool,
    /// Data rows read from the file.
    pub rows: usize,
    pub inserted: u64,
    pub updated: u64,
    pub problems: Vec<ReportRow>,
}

/// Organization columns: field, accepted headers (first is the template's Chinese header).
pub const ORG_COLUMNS: &[(&str, &[&str])] = &[
    ("credit_code", &["统一社会信用代码", "credit_code"]),
    ("name", &["单位名称", "name"]),
    ("kind", &["单位类型", "kind"]),
    ("region", &["行政区划代码", "region", "所在地区代码"]),
    ("industry", &["行业代码", "industry"]),
    ("founded_on", &["成立日期", "founded_on"]),
    (
        "legal_representative",
        &["法定代表人", "legal_representative"],
    ),
    ("size_class", &["企业规模", "size_class"]),
];

const REQUIRED_ORG: &[&str] = &["credit_code", "name", "kind", "region"];

fn header_of(t: &Table, idx: Option<usize>, fallback: &str) -> String {
    idx.and_then(|i| t.headers.get(i).cloned())
        .unwrap_or_else(|| fallback.to_owned())
}

fn problems_from(row: usize, e: Invalid, column_of: &dyn Fn(&str) -> String) -> Vec<ReportRow> {
    e.0.into_iter()
        .map(|f| ReportRow {
            row,
            column: column_of(&f.field),
            field: f.field,
            code: f.code,
            message: f.message,
        })
        .collect()
}

/// Parse organization rows; every bad cell is reported.
pub fn parse_organizations(
    t: &Table,
    today: NaiveDate,
) -> (Vec<(usize, NewOrganization)>, Vec<ReportRow>) {
    let idx: Vec<(&str, Option<usize>)> = ORG_COLUMNS
        .iter()
        .map(|(f, names)| (*f, t.column(names)))
        .collect();
    let column_of = |field: &str| {
        let entry = ORG_COLUMNS.iter().position(|(f, _)| *f == field);
        match entry {
            Some(i) => header_of(t, idx[i].1, ORG_COLUMNS[i].1[0]),
            None => field.to_owned(),
        }
    };
    let mut problems = Vec::new();
    for (f, i) in &idx {
        if i.is_none() && REQUIRED_ORG.contains(f) {
            problems.push(ReportRow {
                row: 1,
                column: column_of(f),
                field: (*f).to_owned(),
                code: "import.missing_column".into(),
                message: format!("缺少必填列“{}”", column_of(f)),
            });
        }
    }
    if !problems.is_empty() {
        return (Vec::new(), problems);
    }
    let mut out = Vec::with_capacity(t.rows.len());
    for (row, cells) in &t.rows {
        let get = |field: &str| -> String {
            idx.iter()
                .find(|(f, _)| *f == field)
                .and_then(|(_, i)| *i)
                .and_then(|i| cells.get(i).cloned())
                .unwrap_or_default()
        };
        let opt = |field: &str| Some(get(field)).filter(|s| !s.trim().is_empty());
        let input = OrganizationInput {
            credit_code: get("credit_code"),
            name: get("name"),
            kind: get("kind"),
            region: get("region"),
            industry: opt("industry"),
            founded_on: opt("founded_on"),
            legal_representative: opt("legal_representative"),
            size_class: opt("size_class"),
        };
        match NewOrganization::parse(&input, today) {
            Ok(o) => out.push((*row, o)),
            Err(e) => problems.extend(problems_from(*row, e, &column_of)),
        }
    }
    (out, problems)
}

/// Parse enterprise-year rows in the interchange format (rules.md §9).
pub fn parse_enterprise_years(t: &Table) -> (Vec<YearRow>, Vec<ReportRow>) {
    let code_idx = t.column(&["credit_code", "统一社会信用代码"]);
    let year_idx = t.column(&["year", "年度"]);
    let mut problems = Vec::new();
    for (i, name) in [(code_idx, "统一社会信用代码"), (year_idx, "年度")] {
        if i.is_none() {
            problems.push(ReportRow {
                row: 1,
                column: name.into(),
                field: if name == "年度" {
                    "year".into()
                } else {
                    "credit_code".into()
                },
                code: "import.missing_column".into(),
                message: format!("缺少必填列“{name}”"),
            });
        }
    }
    let (Some(code_idx), Some(year_idx)) = (code_idx, year_idx) else {
        return (Vec::new(), problems);
    };
    let figure_cols: Vec<(usize, &'static kechuang_domain::enterprise_year::FigureSpec)> = t
        .headers
        .iter()
        .enumerate()
        .filter_map(|(i, h)| figure_by_header(h).map(|s| (i, s)))
        .collect();
    if figure_cols.is_empty() {
        problems.push(ReportRow {
            row: 1,
            column: String::new(),
            field: "figures".into(),
            code: "import.no_figures".into(),
            message: format!(
                "没有可识别的指标列，可用列：{}",
                FIGURES
                    .iter()
                    .map(|f| f.label)
                    .collect::<Vec<_>>()
                    .join("、")
            ),
        });
        return (Vec::new(), problems);
    }
    let mut out = Vec::with_capacity(t.rows.len());
    for (row, cells) in &t.rows {
        let cell = |i: usize| cells.get(i).map(String::as_str).unwrap_or("");
        let mut row_ok = true;
        let code = match kechuang_domain::CreditCode::parse(cell(code_idx)) {
            Ok(c) => c.as_str().to_owned(),
            Err(e) => {
                row_ok = false;
                problems.extend(problems_from(*row, e, &|_| {
                    header_of(t, Some(code_idx), "统一社会信用代码")
                }));
                String::new()
            }
        };
        let year = match cell(year_idx).trim().parse::<i32>() {
            Ok(y) => y,
            Err(_) => {
                row_ok = false;
                problems.push(ReportRow {
                    row: *row,
                    column: header_of(t, Some(year_idx), "年度"),
                    field: "year".into(),
                    code: "year.format".into(),
                    message: format!("年度“{}”应为四位数字", cell(year_idx)),
                });
                0
            }
        };
        let mut figures = Figures::default();
        for (i, spec) in &figure_cols {
            match parse_cell(spec, cell(*i)) {
                Ok(v) => figures.set(spec.key, v),
                Err(e) => {
                    row_ok = false;
                    problems.extend(problems_from(*row, e, &|_| {
                        header_of(t, Some(*i), spec.label)
                    }));
                }
            }
        }
        if row_ok {
            out.push((*row, code, year, figures));
        }
    }
    (out, problems)
}

fn store_problems(
    t: &Table,
    ps: Vec<kechuang_store::orgs::RowProblem>,
    column_of: &dyn Fn(&Table, &str) -> String,
) -> Vec<ReportRow> {
    ps.into_iter()
        .map(|p| ReportRow {
            row: p.row,
            column: column_of(t, &p.field),
            field: p.field,
            code: p.code,
            message: p.message,
        })
        .collect()
}

fn org_column(t: &Table, field: &str) -> String {
    ORG_COLUMNS
        .iter()
        .find(|(f, _)| *f == field)
        .map(|(_, names)| header_of(t, t.column(names), names[0]))
        .unwrap_or_else(|| field.to_owned())
}

fn year_column(t: &Table, field: &str) -> String {
    match field {
        "credit_code" => header_of(
            t,
            t.column(&["credit_code", "统一社会信用代码"]),
            "统一社会信用代码",
        ),
        "year" => header_of(t, t.column(&["year", "年度"]), "年度"),
        other => FIGURES
            .iter()
            .find(|f| f.key == other)
            .map(|f| header_of(t, t.column(&[f.key, f.label]), f.label))
            .unwrap_or_else(|| other.to_owned()),
    }
}

/// Import organizations from file bytes.
pub async fn import_organizations(
    store: &Store,
    caller: &Caller,
    bytes: &[u8],
    update_existing: bool,
    dry_run: bool,
    today: NaiveDate,
) -> Result<ImportReport, ImportError> {
    let t = read_table(bytes)?;
    let (rows, problems) = parse_organizations(&t, today);
    let mut report = ImportReport {
        ok: false,
        dry_run,
        rows: t.rows.len(),
        inserted: 0,
        updated: 0,
        problems,
    };
    if !report.problems.is_empty() {
        return Ok(report);
    }
    match store
        .import_organizations(caller, &rows, update_existing, dry_run)
        .await?
    {
        Ok(s) => {
            report.ok = true;
            report.inserted = s.inserted;
            report.updated = s.updated;
        }
        Err(ps) => report.problems = store_problems(&t, ps, &org_column),
    }
    Ok(report)
}

/// Import enterprise-year figures from file bytes.
pub async fn import_enterprise_years(
    store: &Store,
    caller: &Caller,
    bytes: &[u8],
    dry_run: bool,
) -> Result<ImportReport, ImportError> {
    let t = read_table(bytes)?;
    let (rows, problems) = parse_enterprise_years(&t);
    let mut report = ImportReport {
        ok: false,
        dry_run,
        rows: t.rows.len(),
        inserted: 0,
        updated: 0,
        problems,
    };
    if !report.problems.is_empty() {
        return Ok(report);
    }
    match store
        .import_enterprise_years(caller, &rows, dry_run)
        .await?
    {
        Ok(s) => {
            report.ok = true;
            report.inserted = s.inserted;
            report.updated = s.updated;
        }
        Err(ps) => report.problems = store_problems(&t, ps, &year_column),
    }
    Ok(report)
}

/// An import that could not run at all (unreadable file, database failure).
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("{0}")]
    File(#[from] Invalid),
    #[error("{0}")]
    Store(#[from] StoreError),
}

impl From<ImportError> for crate::error::ApiError {
    fn from(e: ImportError) -> Self {
        match e {
            // A file that cannot be read at all is a bad request (400, the error shape); 422
            // is the row-by-row report.
            ImportError::File(i) => {
                let mut e: crate::error::ApiError = i.into();
                e.status = axum::http::StatusCode::BAD_REQUEST;
                e
            }
            ImportError::Store(s) => s.into(),
        }
    }
}

/// Expert-pool columns (专家库导入模板): field, accepted headers.
pub const EXPERT_COLUMNS: &[(&str, &[&str])] = &[
    ("name", &["姓名", "name"]),
    (
        "org",
        &[
            "所在单位统一社会信用代码",
            "统一社会信用代码",
            "org_credit_code",
        ],
    ),
    ("region", &["行政区划代码", "region"]),
    ("title", &["职称", "title"]),
    ("title_level", &["职称级别", "title_level"]),
    ("disciplines", &["学科领域", "disciplines"]),
    ("keywords", &["研究方向关键词", "关键词", "keywords"]),
    ("max_load", &["评审数量上限", "max_load"]),
    ("available_from", &["可参评开始日期", "available_from"]),
    ("available_to", &["可参评截止日期", "available_to"]),
    ("projects", &["共同承担项目", "projects"]),
    ("papers", &["合作论文", "papers"]),
];

fn split_list(s: &str) -> Vec<String> {
    s.split(['、', '，', ',', '；', ';', '\n'])
        .map(|x| x.trim().to_owned())
        .filter(|x| !x.is_empty())
        .collect()
}

/// Import the expert pool: every bad cell is reported by row and column; nothing is stored
/// unless there are none. Co-memberships are written `编号@年份`, separated by 、.
pub async fn import_experts(
    store: &Store,
    caller: &Caller,
    bytes: &[u8],
    dry_run: bool,
) -> Result<ImportReport, ImportError> {
    use kechuang_domain::person::{NewPerson, PersonInput};
    use kechuang_domain::review::LinkKind;
    use kechuang_store::review::ExpertImportRow;
    let t = read_table(bytes)?;
    let idx: Vec<(&str, Option<usize>)> = EXPERT_COLUMNS
        .iter()
        .map(|(f, names)| (*f, t.column(names)))
        .collect();
    let column_of = |field: &str| {
        let base = field.split('.').next().unwrap_or(field);
        match EXPERT_COLUMNS.iter().position(|(f, _)| *f == base) {
            Some(i) => header_of(&t, idx[i].1, EXPERT_COLUMNS[i].1[0]),
            None => field.to_owned(),
        }
    };
    let mut report = ImportReport {
        ok: false,
        dry_run,
        rows: t.rows.len(),
        inserted: 0,
        updated: 0,
        problems: Vec::new(),
    };
    if idx[0].1.is_none() {
        report.problems.push(ReportRow {
            row: 1,
            column: "姓名".into(),
            field: "name".into(),
            code: "import.missing_column".into(),
            message: "缺少必填列“姓名”".into(),
        });
        return Ok(report);
    }
    let cell = |cells: &[String], field: &str| -> String {
        idx.iter()
            .find(|(f, _)| *f == field)
            .and_then(|(_, i)| *i)
            .and_then(|i| cells.get(i).cloned())
            .unwrap_or_default()
            .trim()
            .to_owned()
    };
    let codes: Vec<String> = t
        .rows
        .iter()
        .map(|(_, c)| cell(c, "org").to_ascii_uppercase())
        .filter(|c| !c.is_empty())
        .collect();
    let orgs = store.org_ids_by_credit_code(&caller.scope, &codes).await?;
    let mut rows = Vec::with_capacity(t.rows.len());
    for (row, cells) in &t.rows {
        let mut bad = |field: &str, code: &str, message: String| {
            report.problems.push(ReportRow {
                row: *row,
                column: column_of(field),
                field: field.to_owned(),
                code: code.to_owned(),
                message,
            })
        };
        let code = cell(cells, "org").to_ascii_uppercase();
        let org_id = if code.is_empty() {
            None
        } else {
            match orgs.get(&code) {
                Some((id, _)) => Some(*id),
                None => {
                    bad(
                        "org",
                        "org.unknown",
                        format!("所在单位“{code}”未登记或不在您的管辖范围内"),
                    );
                    continue;
                }
            }
        };
        let opt = |f: &str| Some(cell(cells, f)).filter(|s| !s.is_empty());
        let input = PersonInput {
            name: cell(cells, "name"),
            org_id,
            region: opt("region"),
            title: opt("title"),
            title_level: opt("title_level"),
            disciplines: split_list(&cell(cells, "disciplines")),
            keywords: split_list(&cell(cells, "keywords")),
            is_expert: true,
            talent_programme: None,
            id_number: None,
        };
        let person = match NewPerson::parse(&input) {
            Ok(p) => Some(p),
            Err(e) => {
                report
                    .problems
                    .extend(problems_from(*row, e, &|f: &str| column_of(f)));
                None
            }
        };
        let max_load = match opt("max_load") {
            None => kechuang_store::review::DEFAULT_MAX_LOAD,
            Some(s) => match s.parse::<i64>() {
                Ok(n) if (1..=500).contains(&n) => n,
                _ => {
                    report.problems.push(ReportRow {
                        row: *row,
                        column: column_of("max_load"),
                        field: "max_load".into(),
                        code: "max_load.range".into(),
                        message: format!("评审数量上限“{s}”应为1至500的整数"),
                    });
                    continue;
                }
            },
        };
        let mut dates = [None, None];
        let mut ok = true;
        for (i, f) in ["available_from", "available_to"].iter().enumerate() {
            if let Some(s) = opt(f) {
                match NaiveDate::parse_from_str(&s, "%Y-%m-%d") {
                    Ok(d) => dates[i] = Some(d.to_string()),
                    Err(_) => {
                        ok = false;
                        report.problems.push(ReportRow {
                            row: *row,
                            column: column_of(f),
                            field: (*f).into(),
                            code: format!("{f}.format"),
                            message: format!("日期“{s}”格式应为 YYYY-MM-DD"),
                        });
                    }
                }
            }
        }
        let mut links = Vec::new();
        for (f, kind) in [("projects", LinkKind::Project), ("papers", LinkKind::Paper)] {
            for item in split_list(&cell(cells, f)) {
                let parsed = item.rsplit_once('@').and_then(|(r, y)| {
                    y.trim()
                        .parse::<i32>()
                        .ok()
                        .filter(|y| (1950..=2100).contains(y))
                        .map(|y| (r.trim().to_owned(), y))
                });
                match parsed {
                    Some((r, y)) if !r.is_empty() && r.chars().count() <= 200 => {
                        links.push((kind, r, y))
                    }
                    _ => {
                        ok = false;
                        report.problems.push(ReportRow {
                            row: *row,
                            column: column_of(f),
                            field: f.into(),
                            code: format!("{f}.format"),
                            message: format!(
                                "“{item}”格式应为 编号@年份（如 济科攻〔2024〕012号@2024）"
                            ),
                        });
                    }
                }
            }
        }
        if let (Some(person), true) = (person, ok) {
            let [available_from, available_to] = dates;
            rows.push(ExpertImportRow {
                person,
                max_load,
                available_from,
                available_to,
                links,
            });
        }
    }
    if !report.problems.is_empty() {
        return Ok(report);
    }
    match store.import_experts(caller, &rows, dry_run).await {
        Ok(n) => {
            report.ok = true;
            report.inserted = n;
        }
        Err(StoreError::Forbidden(m)) => report.problems.push(ReportRow {
            row: 1,
            column: String::new(),
            field: "scope".into(),
            code: "import.forbidden".into(),
            message: m,
        }),
        Err(e) => return Err(e.into()),
    }
    Ok(report)
}
