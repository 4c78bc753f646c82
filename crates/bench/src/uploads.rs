//! `kechuang-bench uploads`: peak memory of reading hostile uploads, above the idle process.
//!
//! Linux only: `/proc/self/clear_refs` (5) resets the peak resident size, `VmHWM` reads it, so
//! each file is measured in the same process without the others' peaks. The anchor is the
//! naive read the importer used before (calamine's `worksheet_range`, which allocates the
//! sheet's whole rectangle), on a far-cell file small enough not to exhaust the machine.

use calamine::Reader;
use kechuang_server::tabular::{MAX_COLUMNS, MAX_ROWS, read_table};
use kechuang_testkit::hostile;

fn kib(field: &str) -> u64 {
    let s = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    s.lines()
        .find(|l| l.starts_with(field))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

/// Peak resident MiB above the resident size before `f` ran.
fn peak_above_idle(f: impl FnOnce() -> String) -> (f64, String) {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
    let idle = kib("VmRSS:");
    let out = f();
    let peak = kib("VmHWM:");
    (peak.saturating_sub(idle) as f64 / 1024.0, out)
}

fn outcome(bytes: &[u8]) -> String {
    match read_table(bytes) {
        Ok(t) => format!("accepted, {} rows", t.rows.len()),
        Err(e) => format!("refused: {} {}", e.0[0].code, e.0[0].message),
    }
}

pub fn run() {
    println!(
        "uploads: peak resident memory above idle while reading (MiB); goal < 100 for any refused file"
    );
    let files: Vec<(&str, Vec<u8>)> = vec![
        ("xlsx zip bomb (1 GiB sheet)", hostile::xlsx_bomb(1 << 30)),
        (
            "xlsx one cell at XFD1048576",
            hostile::xlsx_far_cell(1_048_575, 16_383),
        ),
        (
            "xlsx one cell at column XFD, row 6",
            hostile::xlsx_far_cell(5, 16_383),
        ),
        (
            "csv 20 MiB of one-character rows",
            hostile::csv_rows(10 << 20),
        ),
        ("csv one row of 10^6 columns", hostile::csv_wide(1_000_000)),
        ("csv at the limit (accepted)", hostile::csv_rows(MAX_ROWS)),
        ("csv 200 columns × 12,000 rows (accepted)", {
            let mut v = Vec::new();
            for r in 0..12_001 {
                let row: Vec<String> = (0..MAX_COLUMNS).map(|c| format!("r{r}c{c}")).collect();
                v.extend_from_slice(row.join(",").as_bytes());
                v.push(b'\n');
            }
            v
        }),
    ];
    for (name, bytes) in &files {
        let (mib, out) = peak_above_idle(|| outcome(bytes));
        println!(
            "  {name:<42} file {:>9.2} MiB  peak +{mib:>7.1} MiB  {out}",
            bytes.len() as f64 / (1 << 20) as f64
        );
    }
    // The anchor: the naive reader on a far cell at row 10,000, column 1,000 (10^7 cells).
    let far = hostile::xlsx_far_cell(9_999, 999);
    let (naive, cells) = peak_above_idle(|| {
        let mut wb =
            calamine::open_workbook_auto_from_rs(std::io::Cursor::new(far.clone())).unwrap();
        let r = wb.worksheet_range_at(0).unwrap().unwrap();
        format!("{} cells", r.get_size().0 * r.get_size().1)
    });
    let (ours, out) = peak_above_idle(|| outcome(&far));
    println!(
        "  anchor: calamine worksheet_range on a far cell (10,000 × 1,000): peak +{naive:.1} MiB ({cells}); read_table: +{ours:.1} MiB ({out})"
    );
}
