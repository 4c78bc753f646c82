//! Spreadsheet I/O: read an uploaded xlsx or csv (UTF-8, or GB18030 as saved by Chinese Excel)
//! into text rows, and write lists to xlsx.

use calamine::{Data, Reader};
use kechuang_domain::Invalid;
use rust_xlsxwriter::{Format, Workbook};
use std::io::Cursor;

/// A sheet as text. `rows` carry their 1-based row number in the file (the header is row 1).
#[derive(Debug, Clone, Default)]
pub struct Table {
    pub headers: Vec<String>,
    pub rows: Vec<(usize, Vec<String>)>,
}

impl Table {
    /// Index of the column whose header is one of `names`.
    pub fn column(&self, names: &[&str]) -> Option<usize> {
        self.headers
            .iter()
            .position(|h| names.iter().any(|n| h.trim().eq_ignore_ascii_case(n)))
    }
}

pub const MAX_ROWS: usize = 200_000;

fn bad_file(msg: impl Into<String>) -> Invalid {
    Invalid::one("file", "import.file", msg)
}

/// Read the first sheet of an xlsx, or a csv. The format is recognized by content.
pub fn read_table(bytes: &[u8]) -> Result<Table, Invalid> {
    if bytes.is_empty() {
        return Err(bad_file("上传的文件为空"));
    }
    let mut t = if bytes.starts_with(b"PK\x03\x04") {
        read_xlsx(bytes)?
    } else {
        read_csv(bytes)?
    };
    // Drop fully blank rows (Excel leaves them behind).
    t.rows
        .retain(|(_, r)| r.iter().any(|c| !c.trim().is_empty()));
    if t.headers.iter().all(|h| h.trim().is_empty()) {
        return Err(bad_file("文件没有表头行"));
    }
    if t.rows.len() > MAX_ROWS {
        return Err(bad_file(format!(
            "单次导入最多{MAX_ROWS}行，文件有{}行",
            t.rows.len()
        )));
    }
    Ok(t)
}

fn read_csv(bytes: &[u8]) -> Result<Table, Invalid> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = match std::str::from_utf8(bytes) {
        Ok(s) => s.to_owned(),
        Err(_) => {
            let (s, _, bad) = encoding_rs::GB18030.decode(bytes);
            if bad {
                return Err(bad_file("无法识别文件编码，请另存为 UTF-8 或 xlsx 格式"));
            }
            s.into_owned()
        }
    };
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut t = Table::default();
    for (i, rec) in rdr.records().enumerate() {
        let rec = rec.map_err(|e| bad_file(format!("第{}行CSV格式错误：{e}", i + 1)))?;
        let row: Vec<String> = rec.iter().map(|s| s.trim().to_owned()).collect();
        if i == 0 {
            t.headers = row;
        } else {
            t.rows.push((i + 1, row));
        }
    }
    Ok(t)
}

fn cell_text(c: &Data) -> String {
    match c {
        Data::Empty => String::new(),
        Data::String(s) => s.trim().to_owned(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) => {
            if f.fract() == 0.0 && f.abs() < 1e15 {
                format!("{}", *f as i64)
            } else {
                // Shortest representation that round-trips (e.g. 1234.56, not 1234.5600000001).
                format!("{f}")
            }
        }
        Data::Bool(b) => b.to_string(),
        Data::DateTime(d) => {
            let days = d.as_f64().floor() as i64;
            chrono::NaiveDate::from_ymd_opt(1899, 12, 30)
                .and_then(|e| {
                    chrono::TimeDelta::try_days(days).and_then(|d| e.checked_add_signed(d))
                })
                .map(|d| d.format("%Y-%m-%d").to_string())
                .unwrap_or_default()
        }
        Data::DateTimeIso(s) => s.get(..10).unwrap_or(s).to_owned(),
        Data::DurationIso(s) => s.clone(),
        Data::Error(e) => format!("#ERR {e:?}"),
    }
}

fn read_xlsx(bytes: &[u8]) -> Result<Table, Invalid> {
    let mut wb = calamine::open_workbook_auto_from_rs(Cursor::new(bytes.to_vec()))
        .map_err(|e| bad_file(format!("无法读取 Excel 文件：{e}")))?;
    let range = wb
        .worksheet_range_at(0)
        .ok_or_else(|| bad_file("Excel 文件中没有工作表"))?
        .map_err(|e| bad_file(format!("无法读取工作表：{e}")))?;
    let mut t = Table::default();
    for (i, row) in range.rows().enumerate() {
        let cells: Vec<String> = row.iter().map(cell_text).collect();
        if i == 0 {
            t.headers = cells;
        } else {
            t.rows.push((i + 1, cells));
        }
    }
    Ok(t)
}

/// A typed cell for export.
pub enum Cell {
    Text(String),
    Number(f64),
    Empty,
}

impl From<String> for Cell {
    fn from(s: String) -> Self {
        Cell::Text(s)
    }
}

impl From<Option<String>> for Cell {
    fn from(s: Option<String>) -> Self {
        s.map_or(Cell::Empty, Cell::Text)
    }
}

/// Write one sheet with a bold, frozen header row.
pub fn write_xlsx(
    sheet: &str,
    headers: &[&str],
    rows: impl Iterator<Item = Vec<Cell>>,
) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name(sheet)?;
    let bold = Format::new().set_bold();
    let money = Format::new().set_num_format("#,##0.00");
    for (c, h) in headers.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, *h, &bold)?;
    }
    for (r, row) in rows.enumerate() {
        let r = r as u32 + 1;
        for (c, cell) in row.into_iter().enumerate() {
            match cell {
                Cell::Text(s) => {
                    // Excel's cell limit; longer text is cut rather than failing the export. Text
                    // a spreadsheet could take for a formula (= + - @, or a leading tab/CR) is
                    // kept as text with a leading apostrophe (OWASP: CSV/formula injection).
                    let s: String = s.chars().take(32_766).collect();
                    let s = if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
                        format!("'{s}")
                    } else {
                        s
                    };
                    ws.write_string(r, c as u16, s)?;
                }
                Cell::Number(n) => {
                    if n.fract() == 0.0 {
                        ws.write_number(r, c as u16, n)?;
                    } else {
                        ws.write_number_with_format(r, c as u16, n, &money)?;
                    }
                }
                Cell::Empty => {}
            }
        }
    }
    ws.set_freeze_panes(1, 0)?;
    ws.autofit();
    wb.save_to_buffer()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_utf8_bom_and_gbk() {
        let t = read_table(
            "\u{feff}统一社会信用代码,单位名称\n91350100M000100Y43,甲公司\n\n".as_bytes(),
        )
        .unwrap_or_default();
        assert_eq!(t.headers, ["统一社会信用代码", "单位名称"]);
        assert_eq!(
            t.rows,
            vec![(
                2,
                vec!["91350100M000100Y43".to_owned(), "甲公司".to_owned()]
            )]
        );
        let (gbk, _, _) = encoding_rs::GB18030.encode("单位名称\n乙公司\n");
        let t = read_table(&gbk).unwrap_or_default();
        assert_eq!(t.headers, ["单位名称"]);
        assert_eq!(t.rows[0].1, ["乙公司"]);
    }

    #[test]
    fn xlsx_round_trip() {
        let bytes = write_xlsx(
            "单位",
            &["统一社会信用代码", "金额"],
            vec![vec![
                Cell::Text("91350100M000100Y43".into()),
                Cell::Number(1234.5),
            ]]
            .into_iter(),
        )
        .unwrap_or_default();
        let t = read_table(&bytes).unwrap_or_default();
        assert_eq!(t.headers, ["统一社会信用代码", "金额"]);
        assert_eq!(
            t.rows,
            vec![(
                2,
                vec!["91350100M000100Y43".to_owned(), "1234.5".to_owned()]
            )]
        );
    }
}
