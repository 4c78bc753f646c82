//! Validation errors: one [`FieldError`] per bad field, each with a stable machine-readable code
//! and a Chinese message for the user.

use serde::Serialize;

/// One rejected field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct FieldError {
    /// The field name as it appears on the wire (e.g. `credit_code`).
    pub field: String,
    /// Stable machine-readable code (e.g. `credit_code.check_char`).
    pub code: String,
    /// Human-readable message in Chinese.
    pub message: String,
}

impl FieldError {
    pub fn new(field: &str, code: &str, message: impl Into<String>) -> Self {
        Self {
            field: field.to_owned(),
            code: code.to_owned(),
            message: message.into(),
        }
    }
}

/// A value was rejected; every bad field is listed, not only the first.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", self.summary())]
pub struct Invalid(pub Vec<FieldError>);

impl Invalid {
    pub fn one(field: &str, code: &str, message: impl Into<String>) -> Self {
        Self(vec![FieldError::new(field, code, message)])
    }

    /// The messages joined, for logs and CLI output.
    pub fn summary(&self) -> String {
        self.0
            .iter()
            .map(|e| format!("{}: {}", e.field, e.message))
            .collect::<Vec<_>>()
            .join("；")
    }
}

/// Collects field errors while a value is parsed, so every problem is reported at once.
#[derive(Debug, Default)]
pub struct Collector(Vec<FieldError>);

impl Collector {
    pub fn push(&mut self, e: FieldError) {
        self.0.push(e);
    }

    /// Record the error of `r`, if any, and return its value.
    pub fn take<T>(&mut self, r: Result<T, Invalid>) -> Option<T> {
        match r {
            Ok(v) => Some(v),
            Err(Invalid(es)) => {
                self.0.extend(es);
                None
            }
        }
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn finish(self) -> Result<(), Invalid> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(Invalid(self.0))
        }
    }
}
