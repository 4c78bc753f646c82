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
