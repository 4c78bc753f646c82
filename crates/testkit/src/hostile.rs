//! Hostile uploads for the importers' limits (tests and `kechuang-bench uploads`): files that
//! are small on the wire and enormous once read.

use std::io::Write;
use zip::write::SimpleFileOptions;

const CONTENT_TYPES: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#;
const RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#;
const WORKBOOK: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>"#;
const WORKBOOK_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#;
const SHEET_HEAD: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>"#;
const SHEET_TAIL: &str = "</sheetData></worksheet>";

/// An xlsx whose sheet is `rows` (the `<row>` elements, written by `body`), deflated.
pub fn xlsx(body: impl FnOnce(&mut dyn Write)) -> Vec<u8> {
    let mut z = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let o = SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .large_file(true);
    for (name, text) in [
        ("[Content_Types].xml", CONTENT_TYPES),
        ("_rels/.rels", RELS),
        ("xl/workbook.xml", WORKBOOK),
        ("xl/_rels/workbook.xml.rels", WORKBOOK_RELS),
    ] {
        z.start_file(name, o).unwrap();
        z.write_all(text.as_bytes()).unwrap();
    }
    z.start_file("xl/worksheets/sheet1.xml", o).unwrap();
    z.write_all(SHEET_HEAD.as_bytes()).unwrap();
    body(&mut z);
    z.write_all(SHEET_TAIL.as_bytes()).unwrap();
    z.finish().unwrap().into_inner()
}

/// A header row and then `bytes` of identical rows: kilobytes on the wire per hundred
/// megabytes of sheet.
pub fn xlsx_bomb(bytes: usize) -> Vec<u8> {
    xlsx(|w| {
        w.write_all(br#"<row r="1"><c r="A1" t="inlineStr"><is><t>name</t></is></c></row>"#)
            .unwrap();
        let row = br#"<row><c t="inlineStr"><is><t>aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa</t></is></c></row>"#;
        let block: Vec<u8> = row.iter().copied().cycle().take(row.len() * 4096).collect();
        let mut written = 0;
        while written < bytes {
            w.write_all(&block).unwrap();
            written += block.len();
        }
    })
}

/// A header and one cell at (`row`, `col`) (0-based): a reader that allocates the sheet's
/// rectangle allocates rows × columns cells.
pub fn xlsx_far_cell(row: u32, col: u32) -> Vec<u8> {
    let mut name = String::new();
    let mut c = col + 1;
    while c > 0 {
        let d = (c - 1) % 26;
        name.insert(0, (b'A' + d as u8) as char);
        c = (c - 1) / 26;
    }
    let cell = format!(
        r#"<row r="1"><c r="A1" t="inlineStr"><is><t>name</t></is></c></row><row r="{r}"><c r="{name}{r}" t="inlineStr"><is><t>x</t></is></c></row>"#,
        r = row + 1
    );
    xlsx(|w| w.write_all(cell.as_bytes()).unwrap())
}

/// A CSV of a header and `rows` one-character rows.
pub fn csv_rows(rows: usize) -> Vec<u8> {
    let mut v = b"name\n".to_vec();
    v.extend(std::iter::repeat_n(*b"a\n", rows).flatten());
    v
}

/// A CSV of a header and one row `columns` wide.
pub fn csv_wide(columns: usize) -> Vec<u8> {
    let mut v = b"name\n".to_vec();
    v.extend(std::iter::repeat_n(*b"a,", columns).flatten());
    v.push(b'\n');
    v
}
