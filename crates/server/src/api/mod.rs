//! `/api/v1` routes. One module per resource; handlers are thin: check the permission string,
//! parse input into domain types, call the store with the caller's scope.

pub mod achievements;
pub mod admin;
pub mod applicant;
pub mod awards;
pub mod brokerage;
pub mod contracts;
pub mod funds;
pub mod home;
pub mod io;
pub mod matching;
pub mod orgs;
pub mod people;
pub mod plans;
pub mod platform_life;
pub mod platforms;
pub mod projects;
pub mod regions;
pub mod review;
pub mod rules;
pub mod search;
pub mod session;
pub mod talents;
pub mod years;

use crate::AppState;
use axum::Router;
use axum::routing::{get, post};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/auth/login", post(session::login))
        .route("/auth/logout", post(session::logout))
        .route("/auth/me", get(session::me))
        .route("/auth/password", post(session::change_password))
        .route("/regions", get(regions::children))
        .route("/regions/{code}", get(regions::one))
        .route("/regions/{code}/subtree", get(regions::subtree))
        .route("/organizations", get(orgs::list).post(orgs::create))
        .route("/organizations/export", get(io::export_organizations))
        .route("/organizations/import", post(io::import_organizations))
        .route(
            "/organizations/{id}",
            get(orgs::get).put(orgs::update).delete(orgs::delete),
        )
        .route("/enterprise-years", get(years::list).post(years::put))
        .route("/enterprise-years/export", get(io::export_enterprise_years))
        .route(
            "/enterprise-years/import",
            post(io::import_enterprise_years),
        )
        .route(
            "/enterprise-years/{id}",
            get(years::get).delete(years::delete),
        )
        .route("/platforms", get(platforms::list).post(platforms::create))
        .route("/platforms/export", get(io::export_platforms))
        .route(
            "/platforms/{id}",
            get(platforms::get)
                .put(platforms::update)
                .delete(platforms::delete),
        )
        .route("/persons", get(people::list).post(people::create))
        .route("/persons/export", get(io::export_persons))
        .route(
            "/persons/{id}",
            get(people::get).put(people::update).delete(people::delete),
        )
        .route("/users", get(admin::list_users).post(admin::create_user))
        .route("/users/{id}", get(admin::get_user).put(admin::update_user))
        .route("/users/{id}/password", post(admin::reset_password))
        .route("/roles", get(admin::roles))
        .route("/audit", get(admin::audit))
        .route("/audit/export", get(admin::export_audit))
        .route("/users/export", get(admin::export_users))
        .route("/audit/verify", get(admin::verify_audit))
        .route("/stats/overview", get(admin::overview))
        .route("/home", get(home::home))
        .route("/rules/packs", get(rules::packs))
        .route("/rules/packs/{id}/inputs", get(rules::pack_inputs))
        .route("/rules/evaluate", post(rules::evaluate))
        .route("/rules/evaluate-batch", post(rules::evaluate_batch))
        .route("/rules/evaluate-file", post(rules::evaluate_file))
        .route(
            "/rules/evaluate-file/export",
            post(rules::export_file_evaluation),
        )
        .route("/rules/runs", post(rules::run).get(rules::runs))
        .route("/rules/runs/{id}", get(rules::get_run))
        .route("/rules/results", get(rules::results))
        .route("/rules/results/export", get(rules::export_results))
        .route("/rules/results/{org_id}", get(rules::result))
        .route("/rules/entitlements", get(rules::entitlements))
        .route(
            "/rules/entitlements/export",
            get(rules::export_entitlements),
        )
        .route("/experts", get(review::experts))
        .route("/experts/export", get(review::export_experts))
        .route("/experts/import", post(io::import_experts))
        .route(
            "/experts/{id}/profile",
            axum::routing::put(review::set_profile),
        )
        .route("/persons/links", post(review::add_link))
        .route("/persons/{id}/links", get(review::links))
        .route(
            "/review/rounds",
            get(review::rounds).post(review::create_round),
        )
        .route("/review/rounds/{id}", get(review::round))
        .route("/review/rounds/{id}/items", post(review::add_items))
        .route("/review/rounds/{id}/exclusions", get(review::exclusions))
        .route("/review/rounds/{id}/assign", post(review::assign))
        .route("/review/rounds/{id}/explain", get(review::explain))
        .route("/review/rounds/{id}/adjust", post(review::adjust))
        .route("/review/rounds/{id}/publish", post(review::publish))
        .route("/review/rounds/{id}/close", post(review::close))
        .route("/review/rounds/{id}/remind", post(review::remind))
        .route("/review/rounds/{id}/results", get(review::results))
        .route("/review/my", get(review::my_tasks))
        .route(
            "/review/assignments/{id}/scores",
            post(review::submit_scores),
        )
        .route("/review/assignments/{id}/decline", post(review::decline))
        .route(
            "/review/assignments/{id}/draft",
            axum::routing::put(review::save_draft),
        )
        .route("/review/assignments/{id}/object", get(review::object))
        .route(
            "/review/assignments/{id}/attachments/{attachment_id}",
            get(review::object_attachment),
        )
        .route(
            "/review/assignments/{id}/opinion.docx",
            get(review::opinion),
        )
        .route(
            "/review/rounds/{id}/results/export",
            get(review::export_results),
        )
        .route("/plans", get(plans::list).post(plans::upload))
        .route("/plans/{id}", get(plans::get))
        .route("/plans/{id}/targets/merge", post(plans::merge_targets))
        .route(
            "/plans/{id}/targets/{target_id}",
            axum::routing::put(plans::update_target),
        )
        .route("/plans/{id}/confirm", post(plans::confirm))
        .route("/plans/{id}/progress", get(plans::progress))
        .route("/plans/{id}/progress/export", get(plans::export_progress))
        .route("/plans/{id}/tasks/export", get(plans::export_tasks))
        .route("/plans/{id}/tasks", post(plans::add_task))
        .route("/plans/{id}/tasks/batch-delete", post(plans::delete_tasks))
        .route("/plans/{id}/tasks/merge", post(plans::merge_tasks))
        .route(
            "/plans/tasks/{task_id}",
            axum::routing::put(plans::update_task),
        )
        .route(
            "/plans/tasks/{task_id}/updates",
            get(plans::task_updates).post(plans::add_task_update),
        )
        .route("/indicators", get(plans::library))
        .route("/indicators/dashboard", get(plans::dashboard))
        .route(
            "/indicators/entries",
            get(plans::entries).put(plans::put_entry),
        )
        .route("/indicators/ranking", get(plans::ranking))
        .route("/calls", get(projects::calls).post(projects::create_call))
        .route("/calls/export", get(projects::export_calls))
        .route(
            "/calls/{id}",
            get(projects::call).put(projects::update_call),
        )
        .route("/calls/{id}/publish", post(projects::publish_call))
        .route("/calls/{id}/withdraw", post(projects::withdraw_call))
        .route("/calls/{id}/panel", post(projects::panel))
        .route("/calls/{id}/review-results", get(projects::review_results))
        .route(
            "/demands",
            get(projects::demands).post(projects::post_demand),
        )
        .route("/demands/{id}/adopt", post(projects::adopt_demand))
        .route("/calls/{id}/review-round", post(projects::review_round))
        .route(
            "/calls/{id}/acceptance-round",
            post(projects::acceptance_round),
        )
        .route(
            "/applications",
            get(projects::applications).post(projects::create_application),
        )
        .route("/applications/export", get(projects::export_applications))
        .route("/applications/counts", get(projects::application_counts))
        .route(
            "/applications/batch-transition",
            post(projects::batch_transition),
        )
        .route(
            "/applications/{id}",
            get(projects::application).put(projects::update_application),
        )
        .route("/applications/{id}/transition", post(projects::transition))
        .route("/applications/{id}/ethics", post(projects::record_ethics))
        .route(
            "/applications/{id}/milestone-checks",
            post(projects::check_milestone),
        )
        .route("/applications/{id}/disbursements", post(projects::disburse))
        .route("/applications/{id}/rating", post(projects::rate))
        .route(
            "/applications/{id}/task-book.docx",
            get(projects::task_book),
        )
        .route(
            "/applications/{id}/attachments",
            get(applicant::attachments).post(applicant::upload),
        )
        .route(
            "/applications/{id}/attachments/{attachment_id}",
            get(applicant::download).delete(applicant::remove),
        )
        .route(
            "/achievements",
            get(achievements::list).post(achievements::create),
        )
        .route("/achievements/dicts", get(achievements::dicts))
        .route("/achievements/{id}/matches", get(matching::for_achievement))
        .route("/demands/hall", get(matching::hall))
        .route("/search", get(search::search))
        .route("/funds/dicts", get(funds::dicts))
        .route(
            "/funds/programmes",
            get(funds::list_programmes).post(funds::create_programme),
        )
        .route(
            "/funds/programmes/{id}",
            get(funds::get_programme).put(funds::update_programme),
        )
        .route("/funds/programmes/{id}/propose", post(funds::propose))
        .route("/funds/programmes/{id}/grants", post(funds::add_grant))
        .route(
            "/funds/programmes/{id}/insurance",
            post(funds::insurance_claim),
        )
        .route("/funds/programmes/{id}/notice", post(funds::notice))
        .route("/funds/programmes/{id}/approve", post(funds::approve))
        .route("/funds/grants", get(funds::list_grants))
        .route("/funds/grants/export", get(funds::export_grants))
        .route("/funds/grants/{id}", get(funds::get_grant))
        .route("/funds/grants/{id}/objections", post(funds::object))
        .route(
            "/funds/grants/{id}/objections/{no}/resolve",
            post(funds::resolve),
        )
        .route("/funds/grants/{id}/refuse", post(funds::refuse_grant))
        .route("/funds/grants/{id}/payments", post(funds::pay))
        .route("/funds/payments", get(funds::list_payments))
        .route("/funds/payments/export", get(funds::export_payments))
        .route("/funds/ledger", get(funds::ledger))
        .route("/funds/ledger/export", get(funds::export_ledger))
        .route(
            "/funds/providers",
            get(funds::list_providers).post(funds::create_provider),
        )
        .route(
            "/funds/providers/{id}",
            get(funds::get_provider).put(funds::update_provider),
        )
        .route("/funds/vouchers", get(funds::list_vouchers))
        .route("/funds/vouchers/programmes", get(funds::voucher_programmes))
        .route("/funds/vouchers/apply", post(funds::apply_voucher))
        .route("/funds/vouchers/stats", get(funds::voucher_stats))
        .route("/funds/vouchers/{id}", get(funds::get_voucher))
        .route("/funds/vouchers/{id}/issue", post(funds::issue_voucher))
        .route("/funds/vouchers/{id}/refuse", post(funds::refuse_voucher))
        .route(
            "/funds/orders",
            get(funds::list_orders).post(funds::place_order),
        )
        .route("/funds/orders/{id}", get(funds::get_order))
        .route("/funds/orders/{id}/complete", post(funds::complete_order))
        .route("/funds/orders/{id}/redeem", post(funds::redeem_order))
        .route(
            "/funds/instruments",
            get(funds::list_instruments).post(funds::create_instrument),
        )
        .route("/funds/instruments/stats", get(funds::instrument_stats))
        .route(
            "/funds/instruments/{id}",
            get(funds::get_instrument).put(funds::update_instrument),
        )
        .route("/funds/instruments/{id}/slots", get(funds::slots))
        .route("/funds/instruments/{id}/bookings", post(funds::book))
        .route("/funds/bookings", get(funds::list_bookings))
        .route("/funds/bookings/{id}/cancel", post(funds::cancel_booking))
        .route("/funds/bookings/{id}/usage", post(funds::record_usage))
        .route(
            "/funds/loans",
            get(funds::list_loans).post(funds::register_loan),
        )
        .route("/funds/loans/{id}", get(funds::get_loan))
        .route("/funds/loans/{id}/interest", post(funds::claim_interest))
        .route("/funds/loans/{id}/compensate", post(funds::compensate))
        .route("/funds/loans/{id}/repay", post(funds::repay))
        .route("/funds/pool/{id}", get(funds::pool))
        .route("/funds/pool/{id}/entries", post(funds::pool_entry))
        .route(
            "/platform-recognitions",
            get(platform_life::list_recognitions).post(platform_life::apply_recognition),
        )
        .route(
            "/platform-recognitions/{id}/decide",
            post(platform_life::decide_recognition),
        )
        .route(
            "/platforms/{id}/recognitions",
            get(platform_life::platform_history),
        )
        .route(
            "/platforms/{id}/reports",
            get(platform_life::platform_reports),
        )
        .route("/platforms/{id}/upgrade", get(platform_life::upgrade))
        .route(
            "/platforms/{id}/incubatees",
            post(platform_life::add_incubatee),
        )
        .route(
            "/platform-reports",
            get(platform_life::list_reports).post(platform_life::create_report),
        )
        .route(
            "/platform-reports/{id}",
            get(platform_life::get_report).put(platform_life::update_report),
        )
        .route(
            "/platform-reports/{id}/submit",
            post(platform_life::submit_report),
        )
        .route(
            "/platform-evaluations",
            post(platform_life::start_evaluation),
        )
        .route(
            "/platform-evaluations/{round_id}/grade",
            post(platform_life::grade_round),
        )
        .route(
            "/review/assignments/{id}/platform-report",
            get(platform_life::review_report),
        )
        .route(
            "/platform-pool",
            get(platform_life::list_pool).post(platform_life::enter_pool),
        )
        .route("/platform-pool/{id}/exit", post(platform_life::exit_pool))
        .route("/carriers", get(platform_life::list_carriers))
        .route("/incubatees", get(platform_life::list_incubatees))
        .route(
            "/incubatees/{id}/graduate",
            post(platform_life::graduate_incubatee),
        )
        .route("/incubatees/{id}/exit", post(platform_life::exit_incubatee))
        .route(
            "/awards/calls",
            get(awards::list_calls).post(awards::create_call),
        )
        .route("/awards/calls/{id}", get(awards::get_call))
        .route("/awards/calls/{id}/review", post(awards::start_review))
        .route("/awards/calls/{id}/panel", post(awards::panel))
        .route("/awards/calls/{id}/confer", post(awards::confer))
        .route(
            "/awards/nominations",
            get(awards::list_nominations).post(awards::create_nomination),
        )
        .route(
            "/awards/nominations/{id}",
            get(awards::get_nomination).put(awards::update_nomination),
        )
        .route(
            "/awards/nominations/{id}/submit",
            post(awards::submit_nomination),
        )
        .route(
            "/awards/nominations/{id}/check",
            post(awards::check_nomination),
        )
        .route(
            "/awards/nominations/{id}/objections",
            post(awards::file_objection),
        )
        .route("/awards/notice", get(awards::notice))
        .route("/awards/persons", get(awards::team_candidates))
        .route("/awards/objections", get(awards::list_objections))
        .route(
            "/awards/objections/{id}/resolve",
            post(awards::resolve_objection),
        )
        .route(
            "/review/assignments/{id}/nomination",
            get(awards::review_nomination),
        )
        .route(
            "/awards/wins",
            get(awards::list_wins).post(awards::create_win),
        )
        .route(
            "/review/assignments/{id}/talent",
            get(talents::review_talent),
        )
        .route("/people/dicts", get(talents::dicts))
        .route(
            "/people/commissioners",
            get(talents::list_commissioners).post(talents::create_commissioner),
        )
        .route(
            "/people/commissioners/export",
            get(talents::export_commissioners),
        )
        .route(
            "/people/commissioners/{id}",
            get(talents::get_commissioner).put(talents::update_commissioner),
        )
        .route(
            "/people/commissioners/{id}/status",
            post(talents::commissioner_status),
        )
        .route(
            "/people/dispatches",
            get(talents::list_dispatches).post(talents::create_dispatch),
        )
        .route("/people/dispatches/{id}", get(talents::get_dispatch))
        .route(
            "/people/dispatches/{id}/status",
            post(talents::dispatch_status),
        )
        .route(
            "/people/dispatches/{id}/rating",
            post(talents::rate_dispatch),
        )
        .route("/people/dispatch-map", get(talents::dispatch_map))
        .route(
            "/people/logs",
            get(talents::list_logs).post(talents::create_log),
        )
        .route("/people/logs/export", get(talents::export_logs))
        .route(
            "/people/logs/{id}",
            get(talents::get_log).delete(talents::delete_log),
        )
        .route("/people/logs/{id}/confirm", post(talents::confirm_log))
        .route("/people/logs/{id}/evidence", post(talents::upload_evidence))
        .route(
            "/people/logs/{id}/evidence/{file_id}",
            get(talents::download_evidence),
        )
        .route("/people/assessments", get(talents::list_assessments))
        .route("/people/assessments/run", post(talents::run_assessments))
        .route(
            "/people/assessments/export",
            get(talents::export_assessments),
        )
        .route("/people/assessments/{id}", get(talents::get_assessment))
        .route(
            "/people/talent-applications",
            get(talents::list_applications).post(talents::create_application),
        )
        .route(
            "/people/talent-applications/review",
            post(talents::start_review),
        )
        .route(
            "/people/talent-applications/{id}",
            get(talents::get_application).put(talents::update_application),
        )
        .route(
            "/people/talent-applications/{id}/submit",
            post(talents::submit_application),
        )
        .route(
            "/people/talent-applications/{id}/decide",
            post(talents::decide_application),
        )
        .route("/people/talents", get(talents::list_talents))
        .route("/people/talents/export", get(talents::export_talents))
        .route("/people/talents/{id}", get(talents::get_talent))
        .route("/people/talents/{id}/revoke", post(talents::revoke_talent))
        .route("/people/library", get(talents::library))
        .route(
            "/people/teams",
            get(talents::list_teams).post(talents::create_team),
        )
        .route("/people/teams/{id}", get(talents::get_team))
        .route(
            "/people/station-experts",
            get(talents::list_station_experts),
        )
        .route(
            "/people/stations/{id}/experts",
            post(talents::add_station_expert),
        )
        .route(
            "/people/demands",
            get(talents::list_demands).post(talents::create_demand),
        )
        .route("/people/demands/{id}", get(talents::get_demand))
        .route("/people/demands/{id}/close", post(talents::close_demand))
        .route("/people/demands/{id}/matches", get(talents::demand_matches))
        .route("/brokerage/dicts", get(brokerage::dicts))
        .route(
            "/brokers",
            get(brokerage::list_brokers).post(brokerage::create_broker),
        )
        .route("/brokers/export", get(brokerage::export_brokers))
        .route(
            "/brokers/{id}",
            get(brokerage::get_broker).put(brokerage::update_broker),
        )
        .route(
            "/events",
            get(brokerage::list_events).post(brokerage::create_event),
        )
        .route("/events/export", get(brokerage::export_events))
        .route(
            "/events/{id}",
            get(brokerage::get_event).put(brokerage::update_event),
        )
        .route("/events/{id}/outcome", post(brokerage::record_outcome))
        .route("/demands/{id}/matches", get(matching::for_demand))
        .route("/demands/{id}/partners", get(matching::demand_partners))
        .route(
            "/achievements/{id}/enterprises",
            get(matching::achievement_enterprises),
        )
        .route("/achievements/export", get(achievements::export))
        .route(
            "/achievements/{id}",
            get(achievements::get)
                .put(achievements::update)
                .delete(achievements::delete),
        )
        .route("/achievements/{id}/submit", post(achievements::submit))
        .route("/achievements/{id}/review", post(achievements::review))
        .route("/achievements/{id}/objections", post(achievements::object))
        .route(
            "/achievements/{id}/objections/{no}/resolve",
            post(achievements::resolve),
        )
        .route(
            "/achievements/{id}/list",
            post(achievements::list_on_market),
        )
        .route("/achievements/{id}/deal", post(achievements::deal))
        .route("/achievements/{id}/withdraw", post(achievements::withdraw))
        .route("/contracts", get(contracts::list).post(contracts::create))
        .route("/contracts/dicts", get(contracts::dicts))
        .route("/contracts/export", get(contracts::export))
        .route("/contracts/stats", get(contracts::stats))
        .route("/contracts/stats/export", get(contracts::export_stats))
        .route(
            "/contracts/{id}",
            get(contracts::get)
                .put(contracts::update)
                .delete(contracts::delete),
        )
        .route(
            "/contracts/{id}/file",
            get(contracts::download).post(contracts::upload),
        )
        .route("/contracts/{id}/submit", post(contracts::submit))
        .route("/contracts/{id}/assess", post(contracts::assess))
        .route("/contracts/{id}/decide", post(contracts::decide))
        .route("/contracts/{id}/confirm", post(contracts::confirm))
        .route("/contracts/{id}/certificate", get(contracts::certificate))
        .route("/applicant-profile", get(applicant::profile))
        .route("/track-record", get(applicant::track_record))
        .route(
            "/sanctions",
            get(projects::sanctions).post(projects::create_sanction),
        )
}

/// An empty success body.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct Done {
    pub ok: bool,
}

/// One entry of a dictionary the UI shows (value, Chinese label, tag colour, description).
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct DictItem {
    pub value: String,
    pub label: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tag: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

pub fn dict_item(value: &str, label: &str) -> DictItem {
    DictItem {
        value: value.into(),
        label: label.into(),
        tag: None,
        description: None,
    }
}

pub fn today() -> chrono::NaiveDate {
    (chrono::Utc::now() + chrono::Duration::hours(8)).date_naive()
}

/// An instant (epoch ms) as "YYYY-MM-DD HH:MM" in Beijing time, as documents and exports show it;
/// empty for none.
pub fn beijing_time(ms: Option<i64>) -> String {
    ms.and_then(chrono::DateTime::from_timestamp_millis)
        .map(|t| {
            (t + chrono::Duration::hours(8))
                .format("%Y-%m-%d %H:%M")
                .to_string()
        })
        .unwrap_or_default()
}

/// 万元 from a yuan decimal text ("1234500" → "123.45"), as bureaus list amounts.
pub fn wan(yuan: &str) -> String {
    yuan.parse::<rust_decimal::Decimal>()
        .map(|d| {
            (d / rust_decimal::Decimal::from(10_000))
                .normalize()
                .to_string()
        })
        .unwrap_or_else(|_| yuan.to_owned())
}

/// The full name of a GB/T 2260 region code, or the code itself when unknown.
pub fn region_label(code: &str) -> String {
    kechuang_domain::RegionCode::parse(code)
        .ok()
        .and_then(|c| kechuang_domain::RegionTree::shipped().get(c))
        .map_or_else(|| code.to_owned(), |r| r.full_name.clone())
}
