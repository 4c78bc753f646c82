//! Application-generated 64-bit ids (no sequences: they are a hot spot on distributed
//! PostgreSQL). `(milliseconds since 2024-01-01) << 12 | counter`, strictly increasing within a
//! process and below 2^53, so JavaScript clients read them exactly.

use std::sync::atomic::{AtomicI64, Ordering};

const EPOCH_MS: i64 = 1_704_067_200_000;
static LAST: AtomicI64 = AtomicI64::new(0);

pub fn next_id() -> i64 {
    let candidate = (crate::sql::now_ms() - EPOCH_MS).max(0) << 12;
    let mut last = LAST.load(Ordering::Relaxed);
    loop {
        let next = candidate.max(last + 1);
        match LAST.compare_exchange_weak(last, next, Ordering::Relaxed, Ordering::Relaxed) {
            Ok(_) => return next,
            Err(actual) => last = actual,
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn increasing_and_js_safe() {
        let a = super::next_id();
        let b = super::next_id();
        assert!(b > a);
        assert!(b < (1i64 << 53));
    }
}
