//! Request extractors whose rejections use the uniform error body (axum's defaults answer in
//! English plain text).

use crate::error::ApiError;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use serde::de::DeserializeOwned;

/// JSON body.
pub struct Json<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for Json<T> {
    type Rejection = ApiError;
    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        match axum::Json::<T>::from_request(req, state).await {
            Ok(axum::Json(v)) => Ok(Json(v)),
            Err(e) => Err(ApiError::bad_request(format!(
                "请求内容格式错误：{}",
                in_chinese(&e.body_text())
            ))),
        }
    }
}

/// A `multipart/form-data` upload (axum's rejection of another content type is English text).
pub struct Multipart(pub axum::extract::Multipart);

impl<S: Send + Sync> FromRequest<S> for Multipart {
    type Rejection = ApiError;
    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        axum::extract::Multipart::from_request(req, state)
            .await
            .map(Multipart)
            .map_err(|_| {
                ApiError::bad_request("请以 multipart/form-data 表单上传文件（字段 file）")
            })
    }
}

impl std::ops::Deref for Multipart {
    type Target = axum::extract::Multipart;
    fn deref(&self) -> &Self::Target {
        &self.0
    }
}

impl std::ops::DerefMut for Multipart {
    fn deref_mut(&mut self) -> &mut Self::Target {
        &mut self.0
    }
}

/// Query string.
pub struct Query<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequestParts<S> for Query<T> {
    type Rejection = ApiError;
    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        match axum::extract::Query::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Query(v)) => Ok(Query(v)),
            Err(e) => Err(ApiError::bad_request(format!(
                "查询参数错误：{}",
                in_chinese(&e.body_text())
            ))),
        }
    }
}

/// Path parameter.
pub struct Path<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned + Send> FromRequestParts<S> for Path<T> {
    type Rejection = ApiError;
    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        match axum::extract::Path::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Path(v)) => Ok(Path(v)),
            Err(_) => Err(ApiError::new(
                axum::http::StatusCode::NOT_FOUND,
                "not_found",
                "记录不存在或无权访问",
            )),
        }
    }
}

/// serde's and axum's English rejection text, said in Chinese: the field it concerns (by its
/// key, the only name the request itself uses) and what is wrong with it.
fn in_chinese(text: &str) -> String {
    // "Failed to deserialize the JSON body into the target type: budget[0].amount: invalid
    // type: floating point `1.5`, expected a string at line 1 column 40"
    let detail = ["target type: ", "query string: ", "as JSON: "]
        .iter()
        .find_map(|p| text.split_once(p).map(|(_, d)| d))
        .unwrap_or(text);
    let detail = detail
        .split_once(" at line ")
        .map_or(detail, |(d, _)| d)
        .trim();
    let (field, what) = match detail.split_once(": ") {
        Some((f, w)) if !f.contains(' ') => (Some(f), w),
        _ => (None, detail),
    };
    let between = |s: &str| s.split('`').nth(1).unwrap_or("").to_owned();
    let reason = if what.starts_with("missing field") {
        return format!("缺少必填字段“{}”", between(what));
    } else if what.starts_with("unknown field") {
        format!("不认识的字段“{}”", between(what))
    } else if what.starts_with("invalid type") {
        let expected = what.rsplit_once("expected ").map_or("", |(_, e)| e);
        let want = if expected.contains("string") {
            "文本"
        } else if expected.contains("integer")
            || expected.contains("i64")
            || expected.contains("u32")
        {
            "整数"
        } else if expected.contains("bool") {
            "是或否（true/false）"
        } else if expected.contains("sequence") {
            "列表"
        } else if expected.contains("map") || expected.contains("struct") {
            "对象"
        } else {
            "规定的类型"
        };
        format!("类型不对，应为{want}")
    } else if what.starts_with("invalid value") || what.starts_with("unknown variant") {
        "取值无效".to_owned()
    } else if what.contains("EOF") || what.contains("expected value") || what.contains("syntax") {
        "不是完整有效的JSON".to_owned()
    } else if text.contains("Content-Type") || text.contains("content type") {
        return "请以 JSON 格式提交（Content-Type: application/json）".to_owned();
    } else {
        "格式不正确".to_owned()
    };
    match field {
        Some(f) => format!("字段“{f}”{reason}"),
        None => reason,
    }
}

#[cfg(test)]
mod tests {
    use super::in_chinese;

    #[test]
    fn serde_rejections_are_said_in_chinese() {
        assert_eq!(
            in_chinese(
                "Failed to deserialize the JSON body into the target type: missing field `item_id` at line 1 column 2"
            ),
            "缺少必填字段“item_id”"
        );
        assert_eq!(
            in_chinese(
                "Failed to deserialize the JSON body into the target type: budget[0].amount: invalid type: floating point `1.5`, expected a string at line 1 column 40"
            ),
            "字段“budget[0].amount”类型不对，应为文本"
        );
        assert_eq!(
            in_chinese(
                "Failed to parse the request body as JSON: EOF while parsing an object at line 1 column 8"
            ),
            "不是完整有效的JSON"
        );
        assert_eq!(
            in_chinese("Expected request with `Content-Type: application/json`"),
            "请以 JSON 格式提交（Content-Type: application/json）"
        );
        assert_eq!(
            in_chinese("Failed to deserialize query string: year: invalid digit found in string"),
            "字段“year”格式不正确"
        );
    }
}
