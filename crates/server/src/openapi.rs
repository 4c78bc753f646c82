//! The OpenAPI document, served at `/api/openapi.json`.

use crate::api;
use axum::Json;
use utoipa::OpenApi;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "科创 Kechuang API",
        description = "区域科技创新管理平台接口。错误统一为 {code, message, fields}，message 为中文。写操作须携带 X-CSRF-Token。"
    ),
    paths(
        api::session::login,
        api::session::logout,
        api::session::me,
        api::session::change_password,
        api::regions::children,
        api::regions::one,
        api::regions::subtree,
        api::orgs::list,
        api::orgs::get,
        api::orgs::create,
        api::orgs::update,
        api::orgs::delete,
        api::years::list,
        api::years::get,
        api::years::put,
        api::years::delete,
        api::platforms::list,
        api::platforms::get,
        api::platforms::create,
        api::platforms::update,
        api::platforms::delete,
        api::people::list,
        api::people::get,
        api::people::create,
        api::people::update,
        api::people::delete,
        api::admin::list_users,
        api::admin::get_user,
        api::admin::create_user,
        api::admin::update_user,
        api::admin::reset_password,
        api::admin::roles,
        api::admin::audit,
        api::admin::verify_audit,
        api::admin::overview,
        api::io::import_organizations,
        api::io::import_enterprise_years,
        api::io::export_organizations,
        api::io::export_enterprise_years,
        api::io::export_platforms,
        api::io::export_persons,
        api::rules::packs,
        api::rules::evaluate,
        api::rules::evaluate_batch,
        api::rules::run,
        api::rules::results,
        api::rules::result,
        api::review::experts,
        api::review::set_profile,
        api::review::links,
        api::review::add_link,
        api::review::rounds,
        api::review::create_round,
        api::review::round,
        api::review::add_items,
        api::review::exclusions,
        api::review::assign,
        api::review::explain,
        api::review::adjust,
        api::review::publish,
        api::review::close,
        api::review::remind,
        api::review::results,
        api::review::my_tasks,
        api::review::submit_scores,
        api::review::decline,
    ),
    components(schemas(crate::error::ErrorBody, kechuang_domain::FieldError))
)]
pub struct ApiDoc;

pub async fn serve() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}
