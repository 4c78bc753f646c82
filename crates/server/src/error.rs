//! The one place where errors become HTTP responses: `{code, message, fields}`, messages in
//! Chinese, codes stable.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use kechuang_domain::{FieldError, Invalid};
use kechuang_store::StoreError;
use serde::Serialize;

/// The uniform error body.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    /// Stable machine-readable code, e.g. `validation`, `auth.required`, `credit_code.duplicate`.
    pub code: String,
    /// Message for the user, in Chinese.
    pub message: String,
    /// Field-level problems, when the request had bad fields.
    pub fields: Vec<FieldError>,
}

#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub body: ErrorBody,
}

impl ApiError {
    pub fn new(status: StatusCode, code: &str, message: impl Into<String>) -> Self {
        Self {
            status,
            body: ErrorBody {
                code: code.to_owned(),
                message: message.into(),
                fields: Vec::new(),
            },
        }
    }

    pub fn unauthorized() -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            "auth.required",
            "登录已失效，请重新登录",
        )
    }

    pub fn forbidden() -> Self {
        Self::new(
            StatusCode::FORBIDDEN,
            "auth.forbidden",
            "没有权限执行此操作",
        )
    }

    pub fn conflict(code: &str, message: impl Into<String>) -> Self {
        Self::new(StatusCode::CONFLICT, code, message)
    }

    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "request.invalid", message)
    }

    pub fn internal() -> Self {
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "服务器内部错误，请稍后重试或联系管理员",
        )
    }
}

impl From<Invalid> for ApiError {
    fn from(e: Invalid) -> Self {
        let message = match e.0.as_slice() {
            [one] => one.message.clone(),
            // Users read messages, never field keys: the fields are marked by the form.
            many => format!(
                "提交的数据有{}处错误：{}",
                many.len(),
                many.iter()
                    .map(|f| f.message.as_str())
                    .collect::<Vec<_>>()
                    .join("；")
            ),
        };
        Self {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            body: ErrorBody {
                code: "validation".into(),
                message,
                fields: e.0,
            },
        }
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => {
                Self::new(StatusCode::NOT_FOUND, "not_found", "记录不存在或无权访问")
            }
            StoreError::Forbidden(m) => Self::new(StatusCode::FORBIDDEN, "scope.forbidden", m),
            StoreError::Invalid(i) => i.into(),
            StoreError::Conflict(f) => Self {
                status: StatusCode::CONFLICT,
                body: ErrorBody {
                    code: f.code.clone(),
                    message: f.message.clone(),
                    fields: vec![f],
                },
            },
            other if other.is_contention() => {
                tracing::warn!(error = %other, "write aborted by a concurrent one");
                Self::new(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "db.contention",
                    "数据正被他人同时修改，本次操作未保存，请稍后重试",
                )
            }
            other => {
                tracing::error!(error = %other, "store failure");
                Self::internal()
            }
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (self.status, Json(self.body)).into_response()
    }
}

pub type ApiResult<T> = Result<T, ApiError>;

#[cfg(test)]
mod tests {
    use super::ApiError;
    use axum::http::StatusCode;
    use kechuang_store::StoreError;

    #[test]
    fn a_write_aborted_by_a_concurrent_one_is_a_503_to_retry_not_a_500() {
        let deadlock = StoreError::Db(sea_orm::DbErr::Custom(
            "error returned from database: deadlock detected".into(),
        ));
        let e = ApiError::from(deadlock);
        assert_eq!(e.status, StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(e.body.code, "db.contention");
        assert!(e.body.message.contains("请稍后重试"));
        let other = StoreError::Db(sea_orm::DbErr::Custom("relation does not exist".into()));
        assert_eq!(
            ApiError::from(other).status,
            StatusCode::INTERNAL_SERVER_ERROR
        );
    }
}
