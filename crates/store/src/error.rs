use kechuang_domain::{FieldError, Invalid};

/// Everything the store can refuse or fail with. Mapped once to HTTP at the server edge.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The record does not exist *or is outside the caller's scope*: the two are
    /// indistinguishable on purpose, so a scope probe learns nothing.
    #[error("记录不存在或无权访问")]
    NotFound,
    /// The write would put a record outside the caller's scope.
    #[error("无权在此范围内操作：{0}")]
    Forbidden(String),
    /// Input failed validation.
    #[error("{0}")]
    Invalid(#[from] Invalid),
    /// A uniqueness or state conflict (duplicate credit code, stale version...).
    #[error("{}", .0.message)]
    Conflict(FieldError),
    #[error("配置错误：{0}")]
    Config(String),
    #[error("数据库错误：{0}")]
    Db(#[from] sea_orm::DbErr),
    #[error("数据损坏：{0}")]
    Corrupt(String),
}

pub type StoreResult<T> = Result<T, StoreError>;

impl StoreError {
    /// The write lost a race the database resolved by aborting it (PostgreSQL deadlock or
    /// serialization failure, SQLite busy past its timeout): it was rolled back whole, and the
    /// same request may simply be sent again. Without the audit chain's global lock, writes
    /// lock the rows they decide on, and two of them can meet in opposite order.
    pub fn is_contention(&self) -> bool {
        let StoreError::Db(e) = self else {
            return false;
        };
        let m = e.to_string();
        [
            "deadlock detected",
            "could not serialize",
            "database is locked",
            "40P01",
            "40001",
        ]
        .iter()
        .any(|k| m.contains(k))
    }

    pub(crate) fn corrupt(what: impl std::fmt::Display) -> Self {
        StoreError::Corrupt(what.to_string())
    }
}
