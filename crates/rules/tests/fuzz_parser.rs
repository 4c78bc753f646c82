//! The policy parser under a fuzzer (issue 21): arbitrary text, and the official packs with
//! random damage, must parse or be refused with a message naming the file and line, never
//! panic. Bounded in the suite (`PROPTEST_CASES`); the long run is
//! `PROPTEST_CASES=1000000 cargo test --release -p kechuang-rules --test fuzz_parser`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use kechuang_rules::Pack;
use proptest::prelude::*;
use std::path::PathBuf;

fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1000)
}

fn official() -> Vec<String> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../policies");
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "policy"))
        .map(|p| std::fs::read_to_string(p).unwrap())
        .collect();
    v.sort();
    v
}

fn judge(text: &str) -> Result<(), TestCaseError> {
    if let Err(e) = Pack::parse("fuzz.policy", text) {
        let m = e.to_string();
        prop_assert!(m.contains("fuzz.policy"), "{m}");
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_text(text in "\\PC{0,400}") {
        judge(&text)?;
    }

    #[test]
    fn damaged_official_packs(which in any::<prop::sample::Index>(), edits in proptest::collection::vec((any::<prop::sample::Index>(), "[ -~\u{4e00}-\u{4e10}\n]{0,6}"), 1..6)) {
        let packs = official();
        let mut chars: Vec<char> = packs[which.index(packs.len())].chars().collect();
        for (at, insert) in edits {
            let i = at.index(chars.len().max(1)).min(chars.len());
            let end = (i + insert.chars().count().min(3)).min(chars.len());
            chars.splice(i..end, insert.chars());
        }
        judge(&chars.into_iter().collect::<String>())?;
    }
}

#[test]
fn every_official_pack_parses() {
    let packs = official();
    assert!(packs.len() >= 10, "{} packs", packs.len());
    for p in &packs {
        assert!(Pack::parse("official.policy", p).is_ok());
    }
}

/// Found by schemathesis (`GET /rules/packs/tech-sme/inputs?year=429497` panicked): any year is
/// an answer.
#[test]
fn every_year_is_an_answer() {
    let p = kechuang_rules::Period {
        from: 20_240_101,
        to: None,
    };
    assert!(!p.contains_year(2023));
    assert!(p.contains_year(2024));
    for y in [429_497, i32::MAX, i32::MIN, -1] {
        let _ = p.contains_year(y);
    }
    assert!(p.contains_year(i32::MAX));
    assert!(!p.contains_year(i32::MIN));
}
