//! The upload readers under a fuzzer (issue 21): arbitrary bytes, CSV-shaped text and damaged
//! xlsx files must each end in a table within the limits or a refusal with a stable code, never
//! a panic, a hang or an unbounded allocation. The suite runs a bounded number of cases
//! (`PROPTEST_CASES`, default below); `PROPTEST_CASES=1000000 cargo test --release --test
//! fuzz_readers` is the long run.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use kechuang_server::tabular::{Cell, MAX_COLUMNS, MAX_ROWS, read_table, write_xlsx};
use proptest::prelude::*;

fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1500)
}

/// The outcome must be a bounded table or a refusal with one of the readers' codes.
fn judge(bytes: &[u8]) -> Result<(), TestCaseError> {
    match read_table(bytes) {
        Ok(t) => {
            prop_assert!(t.rows.len() <= MAX_ROWS);
            prop_assert!(t.headers.len() <= MAX_COLUMNS);
            prop_assert!(t.rows.iter().all(|(_, r)| r.len() <= MAX_COLUMNS));
        }
        Err(e) => {
            let code = e.0[0].code.as_str();
            prop_assert!(
                matches!(code, "import.file" | "import.too_large"),
                "code {code}"
            );
            prop_assert!(!e.0[0].message.is_empty());
            // Users read Chinese: the message is not a library's English.
            prop_assert!(
                e.0[0]
                    .message
                    .chars()
                    .any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
                "{}",
                e.0[0].message
            );
        }
    }
    Ok(())
}

fn sample_xlsx() -> Vec<u8> {
    write_xlsx(
        "单位",
        &["统一社会信用代码", "单位名称", "金额"],
        (0..20).map(|i| {
            vec![
                Cell::Text(format!("9141900100000{i:04}X")),
                Cell::Text(format!("第{i}号公司")),
                Cell::Number(f64::from(i) * 1.5),
            ]
        }),
    )
    .unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..4096)) {
        judge(&bytes)?;
    }

    #[test]
    fn arbitrary_bytes_behind_a_zip_signature(bytes in proptest::collection::vec(any::<u8>(), 0..4096)) {
        let mut v = b"PK\x03\x04".to_vec();
        v.extend(bytes);
        judge(&v)?;
    }

    #[test]
    fn csv_shaped_text(cells in proptest::collection::vec("[a-z0-9,\"\n\r \t=+@\u{4e00}-\u{4e20}\u{feff}]{0,12}", 0..200)) {
        judge(cells.concat().as_bytes())?;
    }

    #[test]
    fn damaged_xlsx(flips in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..12), cut in any::<prop::sample::Index>(), truncate in any::<bool>()) {
        let mut v = sample_xlsx();
        for (i, b) in flips {
            let i = i.index(v.len());
            v[i] = b;
        }
        if truncate {
            let n = cut.index(v.len()).max(4);
            v.truncate(n);
        }
        judge(&v)?;
    }
}

#[test]
fn the_sample_reads_back() {
    let t = read_table(&sample_xlsx()).unwrap();
    assert_eq!(t.rows.len(), 20);
    assert_eq!(t.headers[1], "单位名称");
}
