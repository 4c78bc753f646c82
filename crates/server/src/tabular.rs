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

/// What one upload may hold or expand to. A small hostile file must not exhaust memory (a
/// zip bomb, a cell at XFD1048576, a CSV of a million empty rows): every file is measured in a
/// first pass that keeps nothing, so a rejected file costs little more than its own bytes, and
/// only a file within these limits is read into rows.
pub const MAX_ROWS: usize = 200_000;
pub const MAX_COLUMNS: usize = 200;
/// Cells that hold something (4·10^6: 200,000 rows of 20 columns).
pub const MAX_CELLS: usize = 4_000_000;
/// The upload itself (checked while it arrives, see `api::io::file_bytes`).
pub const MAX_UPLOAD_BYTES: usize = 32 * 1024 * 1024;
/// One part of an xlsx, uncompressed (the sheet is streamed, never held whole).
const MAX_PART_BYTES: u64 = 256 * 1024 * 1024;
/// The shared strings are held in memory by the reader, so they get a smaller cap.
const MAX_SHARED_STRINGS_BYTES: u64 = 32 * 1024 * 1024;
/// Uncompressed ÷ compressed size of a part above 1 MiB: real sheets compress 5–30×, bombs
/// hundreds or thousands of times.
const MAX_RATIO: u64 = 100;

fn bad_file(msg: impl Into<String>) -> Invalid {
    Invalid::one("file", "import.file", msg)
}

fn too_large(msg: impl Into<String>) -> Invalid {
    Invalid::one("file", "import.too_large", msg)
}

/// Read the first sheet of an xlsx, or a csv. The format is recognized by content.
pub fn read_table(bytes: &[u8]) -> Result<Table, Invalid> {
    if bytes.is_empty() {
        return Err(bad_file("上传的文件为空"));
    }
    if bytes.len() > MAX_UPLOAD_BYTES {
        return Err(too_large(format!(
            "文件超过 {} MiB，请分批导入",
            MAX_UPLOAD_BYTES / 1024 / 1024
        )));
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
    Ok(t)
}

/// Counts of the first pass; a limit is checked as each row or cell arrives.
#[derive(Default)]
struct Measure {
    rows: usize,
    cells: usize,
}

impl Measure {
    /// One more row (the header counts as a row of the file, not of the import).
    fn row(&mut self) -> Result<(), Invalid> {
        self.rows += 1;
        if self.rows > MAX_ROWS + 1 {
            return Err(too_large(format!(
                "单次导入最多{MAX_ROWS}行，文件超过此行数，请分批导入"
            )));
        }
        Ok(())
    }

    /// `row` is the file's row number, for the message.
    fn cells(&mut self, row: usize, columns: usize, filled: usize) -> Result<(), Invalid> {
        if columns > MAX_COLUMNS {
            return Err(too_large(format!(
                "文件最多{MAX_COLUMNS}列，第{row}行有{columns}列"
            )));
        }
        self.cells += filled;
        if self.cells > MAX_CELLS {
            return Err(too_large(format!(
                "文件的非空单元格超过{MAX_CELLS}个，请分批导入"
            )));
        }
        Ok(())
    }
}

fn read_csv(bytes: &[u8]) -> Result<Table, Invalid> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text: std::borrow::Cow<'_, str> = match std::str::from_utf8(bytes) {
        Ok(s) => s.into(),
        Err(_) => {
            let (s, _, bad) = encoding_rs::GB18030.decode(bytes);
            if bad {
                return Err(bad_file("无法识别文件编码，请另存为 UTF-8 或 xlsx 格式"));
            }
            s
        }
    };
    let reader = || {
        csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(text.as_bytes())
    };
    let csv_error = |i: usize, e: csv::Error| {
        let why = match e.kind() {
            csv::ErrorKind::Utf8 { .. } => "含有无法识别的字符".to_owned(),
            _ => "引号或分隔符不匹配".to_owned(),
        };
        bad_file(format!("第{}行CSV格式错误：{why}", i + 1))
    };
    // First pass: one reused record, nothing kept.
    let mut m = Measure::default();
    let mut rdr = reader();
    let mut rec = csv::ByteRecord::new();
    loop {
        match rdr.read_byte_record(&mut rec) {
            Ok(true) => {
                m.row()?;
                let filled = rec.iter().filter(|f| !f.trim_ascii().is_empty()).count();
                m.cells(m.rows, rec.len(), filled)?;
            }
            Ok(false) => break,
            Err(e) => return Err(csv_error(m.rows, e)),
        }
    }
    let mut t = Table::default();
    for (i, rec) in reader().records().enumerate() {
        let rec = rec.map_err(|e| csv_error(i, e))?;
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

/// Refuse an archive whose parts would expand beyond the caps, by the sizes it declares (the
/// zip reader fails on a part that inflates past its declared size, so a lie is caught too).
fn check_parts(bytes: &[u8]) -> Result<(), Invalid> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|_| bad_file("无法读取 Excel 文件：文件已损坏或不是 xlsx 格式"))?;
    let mut total = 0u64;
    for i in 0..zip.len() {
        let part = zip
            .by_index_raw(i)
            .map_err(|_| bad_file("无法读取 Excel 文件：文件已损坏或不是 xlsx 格式"))?;
        let size = part.size();
        let packed = part.compressed_size().max(1);
        let name = part.name().map(|n| n.into_owned()).unwrap_or_default();
        let cap = if name.ends_with("sharedStrings.xml") {
            MAX_SHARED_STRINGS_BYTES
        } else {
            MAX_PART_BYTES
        };
        total = total.saturating_add(size);
        if size > cap || total > MAX_PART_BYTES {
            return Err(too_large(format!(
                "Excel 文件解压后过大（{} 解压后 {} MiB），请分批导入",
                name,
                size / 1024 / 1024
            )));
        }
        if size > 1024 * 1024 && size / packed > MAX_RATIO {
            return Err(too_large(format!(
                "Excel 文件的压缩比异常（{} 压缩 {} 倍），拒绝读取",
                name,
                size / packed
            )));
        }
    }
    Ok(())
}

fn open_xlsx(bytes: &[u8]) -> Result<calamine::Xlsx<Cursor<&[u8]>>, Invalid> {
    calamine::Xlsx::new(Cursor::new(bytes))
        .map_err(|_| bad_file("无法读取 Excel 文件：文件已损坏或不是 xlsx 格式"))
}

/// calamine on a damaged file can panic (an overlong cell reference overflowed its column
/// arithmetic under the fuzzer); a file is refused, never a request crashed.
fn read_xlsx(bytes: &[u8]) -> Result<Table, Invalid> {
    std::panic::catch_unwind(|| read_xlsx_unguarded(bytes))
        .unwrap_or_else(|_| Err(bad_file("无法读取 Excel 文件：文件已损坏或不是 xlsx 格式")))
}

fn read_xlsx_unguarded(bytes: &[u8]) -> Result<Table, Invalid> {
    check_parts(bytes)?;
    let mut wb = open_xlsx(bytes)?;
    let sheet = wb
        .sheet_names()
        .into_iter()
        .next()
        .ok_or_else(|| bad_file("Excel 文件中没有工作表"))?;
    let sheet_error = |_| bad_file("无法读取工作表：文件已损坏");
    // First pass: positions only. Cells arrive row by row, so a row is counted when it starts.
    {
        let mut cells = wb.worksheet_cells_reader(&sheet).map_err(sheet_error)?;
        let mut m = Measure::default();
        let mut row = None;
        while let Some(c) = cells.next_cell().map_err(sheet_error)? {
            let (r, col) = c.get_position();
            if row != Some(r) {
                row = Some(r);
                m.row()?;
                if r as usize > MAX_ROWS + 1 {
                    return Err(too_large(format!(
                        "单次导入最多{MAX_ROWS}行，文件的数据到第{}行",
                        r as usize + 1
                    )));
                }
            }
            let filled = usize::from(!matches!(c.get_value(), calamine::DataRef::Empty));
            m.cells(r as usize + 1, col as usize + 1, filled)?;
        }
    }
    let mut cells = wb.worksheet_cells_reader(&sheet).map_err(sheet_error)?;
    let mut t = Table::default();
    let mut current: Option<(u32, Vec<String>)> = None;
    let push = |t: &mut Table, r: u32, row: Vec<String>| {
        if t.headers.is_empty() && t.rows.is_empty() {
            t.headers = row;
        } else {
            t.rows.push((r as usize + 1, row));
        }
    };
    while let Some(c) = cells.next_cell().map_err(sheet_error)? {
        let (r, col) = c.get_position();
        if current.as_ref().is_some_and(|(cr, _)| *cr != r)
            && let Some((cr, row)) = current.take()
        {
            push(&mut t, cr, row);
        }
        let (_, row) = current.get_or_insert_with(|| (r, Vec::new()));
        let col = col as usize;
        if row.len() <= col {
            row.resize(col + 1, String::new());
        }
        row[col] = cell_text(&Data::from(c.get_value().clone()));
    }
    if let Some((cr, row)) = current {
        push(&mut t, cr, row);
    }
    // Rows are as wide as their last cell; the header decides how many columns there are.
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

    fn code(r: Result<Table, Invalid>) -> (String, String) {
        match r {
            Ok(t) => panic!("accepted a hostile file: {} rows", t.rows.len()),
            Err(e) => (e.0[0].code.clone(), e.0[0].message.clone()),
        }
    }

    #[test]
    fn hostile_files_are_refused_before_they_are_read_into_memory() {
        use kechuang_testkit::hostile;
        // 64 MiB of sheet in a few hundred KiB: refused by the compression ratio.
        let bomb = hostile::xlsx_bomb(64 << 20);
        assert!(bomb.len() < 1 << 20, "bomb is {} bytes", bomb.len());
        let (c, m) = code(read_table(&bomb));
        assert_eq!(c, "import.too_large");
        assert!(m.contains("压缩比异常"), "{m}");
        // One cell at XFD1048576 (a rectangle of 1.7·10^10 cells to a naive reader).
        let (c, m) = code(read_table(&hostile::xlsx_far_cell(1_048_575, 16_383)));
        assert_eq!(c, "import.too_large");
        assert!(m.contains("1048576"), "{m}");
        // Within the rows, beyond the columns.
        let (c, m) = code(read_table(&hostile::xlsx_far_cell(5, 16_383)));
        assert_eq!(c, "import.too_large");
        assert!(m.contains("第6行有16384列"), "{m}");
        // CSV: rows and columns.
        let (c, m) = code(read_table(&hostile::csv_rows(MAX_ROWS + 1)));
        assert_eq!(c, "import.too_large");
        assert!(m.contains("200000行"), "{m}");
        let (c, _) = code(read_table(&hostile::csv_wide(MAX_COLUMNS + 1)));
        assert_eq!(c, "import.too_large");
        // At the limits, accepted.
        assert_eq!(
            read_table(&hostile::csv_rows(MAX_ROWS))
                .map(|t| t.rows.len())
                .ok(),
            Some(MAX_ROWS)
        );
        let t = read_table(&hostile::xlsx_far_cell(3, 4)).unwrap_or_default();
        assert_eq!(t.headers, ["name"]);
        assert_eq!(
            t.rows,
            vec![(
                4,
                vec![
                    String::new(),
                    String::new(),
                    String::new(),
                    String::new(),
                    "x".to_owned()
                ]
            )]
        );
        // Too big on the wire.
        let (c, _) = code(read_table(&vec![b'a'; MAX_UPLOAD_BYTES + 1]));
        assert_eq!(c, "import.too_large");
        // Not an xlsx at all, in Chinese.
        let (c, m) = code(read_table(b"PK\x03\x04garbage"));
        assert_eq!(c, "import.file");
        assert!(m.contains("已损坏"), "{m}");
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
