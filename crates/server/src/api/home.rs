//! 首页: each role's own to-do centre, built from what the system already knows. An officer
//! sees what waits on the bureau (待形式审查, 评审进度, 待会审, 逾期任务); an enterprise its own
//! applications and their deadlines; an expert their review tasks; the auditor recent security
//! events. Nothing here needs a permission of its own: every count is read within the caller's
//! scope and the permissions the caller already has.

use crate::AppState;
use crate::api::{today, wan};
use crate::auth::Auth;
use crate::error::ApiResult;
use axum::extract::State;
use kechuang_store::PageRequest;
use kechuang_store::audit::AuditFilter;
use serde::Serialize;

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct HomeTodo {
    pub key: String,
    pub label: String,
    pub count: i64,
    pub detail: String,
    /// The page that handles it (a web route path).
    pub path: String,
    /// danger | warning | primary | info | success
    #[serde(rename = "type")]
    pub kind: String,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct HomeRow {
    pub title: String,
    pub subtitle: String,
    pub status_label: String,
    pub status_type: String,
    pub due_on: Option<String>,
    pub path: String,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Home {
    /// officer | leader | enterprise | expert | auditor | registrar | commissioner | admin
    pub view: String,
    pub title: String,
    pub todos: Vec<HomeTodo>,
    pub rows_title: String,
    pub rows: Vec<HomeRow>,
    /// The caller may read the region overview (`/stats/overview`).
    pub show_overview: bool,
}

fn todo(key: &str, label: &str, count: i64, detail: String, path: &str, kind: &str) -> HomeTodo {
    HomeTodo {
        key: key.into(),
        label: label.into(),
        count,
        detail,
        path: path.into(),
        kind: if count == 0 { "info" } else { kind }.into(),
    }
}

/// A display name without its trailing role note ("卫建华（专家）" → "卫建华").
fn short(name: &str) -> &str {
    match name.strip_suffix('）').and_then(|n| n.rfind('（')) {
        Some(i) if i > 0 => &name[..i],
        _ => name,
    }
}

fn status_type(status: &str) -> &'static str {
    match status {
        "draft" => "info",
        "returned" | "rejected" | "terminated" => "danger",
        "submitted" | "formal_check" | "expert_review" | "panel" => "warning",
        "closed" => "success",
        "withdrawn" => "info",
        _ => "primary",
    }
}

#[utoipa::path(get, path = "/api/v1/home", tag = "home", responses((status = 200, body = Home)))]
pub async fn home(State(st): State<AppState>, a: Auth) -> ApiResult<axum::Json<Home>> {
    let u = &a.user;
    let all = u.has_permission("*");
    let view = if all {
        "admin"
    } else if u.has_permission("project:manage") {
        "officer"
    } else if u.has_permission("project:apply") {
        "enterprise"
    } else if u.has_permission("review:score") {
        "expert"
    } else if u.has_permission("audit:read") {
        "auditor"
    } else if u.has_permission("contract:register") {
        "registrar"
    } else if u.has_permission("project:read") || u.has_permission("plan:read") {
        "leader"
    } else if u.has_permission("people:serve") {
        "commissioner"
    } else {
        "admin"
    };
    let show_overview =
        u.has_permission("org:read") && matches!(view, "officer" | "leader" | "admin");
    let home = match view {
        "officer" | "leader" | "admin" if u.has_permission("project:read") => {
            bureau(&st, &a, view).await?
        }
        "enterprise" => enterprise(&st, &a).await?,
        "expert" => expert(&st, &a).await?,
        "auditor" => auditor(&st, &a).await?,
        "registrar" => registrar(&st, &a).await?,
        "commissioner" => commissioner(&st, &a).await?,
        _ if u.has_permission("user:read") => accounts(&st, &a, view).await?,
        _ => Home {
            view: view.into(),
            title: format!("{} · 工作台", short(&u.display_name)),
            todos: Vec::new(),
            rows_title: "待办事项".into(),
            rows: Vec::new(),
            show_overview,
        },
    };
    Ok(axum::Json(Home {
        show_overview,
        ..home
    }))
}

/// How many contracts of a status the caller sees.
async fn contracts_in(st: &AppState, a: &Auth, status: &str) -> ApiResult<i64> {
    let f = kechuang_store::contracts::ContractFilter {
        status: Some(status.into()),
        ..Default::default()
    };
    let page = st
        .store
        .list_contracts(&a.scope(), &f, PageRequest::new(1, 1))
        .await?;
    Ok(i64::try_from(page.total).unwrap_or(i64::MAX))
}

/// How many of the caller's own achievements are in a status.
async fn achievements_in(st: &AppState, a: &Auth, status: &str) -> ApiResult<i64> {
    let f = kechuang_store::achievements::AchievementFilter {
        status: Some(status.into()),
        ..Default::default()
    };
    let page = st
        .store
        .list_achievements(&a.scope(), &f, PageRequest::new(1, 1))
        .await?;
    Ok(i64::try_from(page.total).unwrap_or(i64::MAX))
}

/// 人才与特派员 to-dos: the bureau's (applications waiting for review or for 认定 after a closed
/// round, service logs waiting for a village's confirmation) or an organization's (services it
/// received waiting for its confirmation, its draft applications).
/// 平台载体与科技奖励: the bureau's decisions waiting, an organization's drafts and returns.
async fn platform_todos(st: &AppState, a: &Auth, todos: &mut Vec<HomeTodo>) -> ApiResult<()> {
    use kechuang_store::awards::{CallFilter, NominationFilter, ObjectionFilter};
    use kechuang_store::platform_life::{RecognitionFilter, ReportFilter};
    let scope = a.scope();
    let one = PageRequest::new(1, 1);
    let reports = |s: &str| ReportFilter {
        status: Some(s.into()),
        ..Default::default()
    };
    let nominations = |s: &str| NominationFilter {
        status: Some(s.into()),
        ..Default::default()
    };
    if a.user.has_permission("platform:evaluate") {
        let pending = RecognitionFilter {
            status: Some("pending".into()),
            ..Default::default()
        };
        let n = st
            .store
            .list_recognitions(&scope, &pending, one)
            .await?
            .total;
        todos.push(todo(
            "recognitions_pending",
            "平台认定申报待认定",
            n as i64,
            "依托单位已提交的认定申报（新平台或升级），待认定或不予认定".into(),
            "/platform-recognitions",
            "warning",
        ));
        let n = st
            .store
            .list_platform_reports(&scope, &reports("submitted"), one)
            .await?
            .total;
        let under = reports("reviewing");
        let reviewing =
            crate::api::io::all_pages(|pg| st.store.list_platform_reports(&scope, &under, pg))
                .await?;
        let ready = reviewing
            .iter()
            .filter(|r| r.round_status.as_deref() == Some("closed"))
            .count();
        todos.push(todo(
            "reports_to_evaluate",
            "平台年报待评价",
            (n as usize + ready) as i64,
            format!("已提交待组织绩效评价{n}份；专家评审已结束、待评定等级{ready}份"),
            "/platform-reports",
            "primary",
        ));
    } else if a.user.has_permission("platform:apply") {
        let n = st
            .store
            .list_platform_reports(&scope, &reports("draft"), one)
            .await?
            .total;
        if n > 0 {
            todos.push(todo(
                "reports_draft",
                "平台年报待提交",
                n as i64,
                "本单位平台的年度报告尚未提交".into(),
                "/platform-reports",
                "warning",
            ));
        }
    }
    if a.user.has_permission("award:manage") {
        let n = st
            .store
            .list_nominations(&scope, &nominations("submitted"), one)
            .await?
            .total;
        let open = ObjectionFilter {
            status: Some("open".into()),
            ..Default::default()
        };
        let objections = st.store.list_award_objections(&scope, &open).await?.len();
        let in_notice = CallFilter {
            status: Some("notice".into()),
            ..Default::default()
        };
        let today = crate::api::today().to_string();
        let ready = st
            .store
            .list_award_calls(None, &in_notice, PageRequest::new(1, 100))
            .await?
            .items
            .iter()
            .filter(|c| {
                scope.admits(kechuang_domain::scope::RecordKeys::region(&c.region_path))
                    && c.notice_until
                        .as_deref()
                        .is_some_and(|u| u < today.as_str())
            })
            .count();
        todos.push(todo(
            "nominations_to_check",
            "科技奖励待处理",
            (n as usize + objections + ready) as i64,
            format!(
                "待形式审查的提名{n}项；公示期间待处理的异议{objections}项；公示期满待授奖{ready}批"
            ),
            "/awards/calls",
            "warning",
        ));
    } else if a.user.has_permission("award:nominate") {
        let n = st
            .store
            .list_nominations(&scope, &nominations("returned"), one)
            .await?
            .total;
        if n > 0 {
            todos.push(todo(
                "nominations_returned",
                "科技奖励提名退回修改",
                n as i64,
                "形式审查退回的提名，请按意见修改后重新提交".into(),
                "/awards/nominations",
                "danger",
            ));
        }
    }
    Ok(())
}

async fn people_todos(st: &AppState, a: &Auth, todos: &mut Vec<HomeTodo>) -> ApiResult<()> {
    use kechuang_store::people::LogFilter;
    use kechuang_store::people::talents::ApplicationFilter;
    let scope = a.scope();
    let one = PageRequest::new(1, 1);
    let apps = |s: &str| ApplicationFilter {
        status: Some(s.into()),
        ..Default::default()
    };
    let pending = LogFilter {
        confirmed: Some("pending".into()),
        ..Default::default()
    };
    if a.user.has_permission("people:manage") {
        let n = st
            .store
            .list_talent_applications(&scope, &apps("submitted"), one)
            .await?
            .total;
        todos.push(todo(
            "talent_submitted",
            "人才认定待评审",
            n as i64,
            "单位已提交、政策包已给出可认定层次，待组织专家评审的申请".into(),
            "/people/applications?status=submitted",
            "warning",
        ));
        let under_review = apps("reviewing");
        let reviewing = crate::api::io::all_pages(|pg| {
            st.store.list_talent_applications(&scope, &under_review, pg)
        })
        .await?;
        let ready = reviewing
            .iter()
            .filter(|x| x.round_status.as_deref() == Some("closed"))
            .count();
        todos.push(todo(
            "talent_decide",
            "人才认定待决定",
            ready as i64,
            format!(
                "专家评审已结束，待认定的申请（评审中{}项）",
                reviewing.len()
            ),
            "/people/applications?status=reviewing",
            "danger",
        ));
        let n = st.store.list_logs(&scope, &pending, one).await?.total;
        todos.push(todo(
            "logs_pending",
            "服务日志待确认",
            n as i64,
            "科技特派员已填报、受援方尚未确认的服务日志（确认后计入考核）".into(),
            "/people/logs?confirmed=pending",
            "primary",
        ));
    } else if a.user.has_permission("people:apply") {
        let n = st.store.list_logs(&scope, &pending, one).await?.total;
        if n > 0 {
            todos.push(todo(
                "logs_to_confirm",
                "特派员服务待确认",
                n as i64,
                "科技特派员为本单位提供的服务，请核实后确认".into(),
                "/people/logs?confirmed=pending",
                "warning",
            ));
        }
        let n = st
            .store
            .list_talent_applications(&scope, &apps("draft"), one)
            .await?
            .total;
        if n > 0 {
            todos.push(todo(
                "talent_drafts",
                "人才认定申报草稿",
                n as i64,
                "尚未提交的人才认定申请".into(),
                "/people/applications?status=draft",
                "primary",
            ));
        }
    }
    Ok(())
}

/// 科技特派员: this year's duty against the requirement, logs waiting for confirmation, and
/// their dispatches.
async fn commissioner(st: &AppState, a: &Auth) -> ApiResult<Home> {
    use chrono::Datelike;
    use kechuang_store::people::{CommissionerFilter, DispatchFilter, LogFilter};
    let scope = a.scope();
    let year = today().year();
    let mine = st
        .store
        .list_commissioners(
            &scope,
            &CommissionerFilter {
                year: Some(year),
                status: Some("active".into()),
                ..Default::default()
            },
            PageRequest::new(1, 10),
        )
        .await?
        .items;
    let mut todos = Vec::new();
    let figures = st.store.year_figures(&scope, year).await?;
    for c in &mine {
        let f = figures
            .iter()
            .find(|f| f.commissioner_id == c.id)
            .cloned()
            .unwrap_or(kechuang_store::people::YearFigures {
                commissioner_id: c.id,
                year,
                ..Default::default()
            });
        let p = crate::people_svc::progress(&f, today())?;
        todos.push(todo(
            "duty",
            &format!("{year}年已服务天数"),
            f.half_days / 2,
            p.sentence,
            "/people/my",
            if p.met {
                "success"
            } else if p.projected_met {
                "primary"
            } else {
                "danger"
            },
        ));
    }
    let pending = LogFilter {
        confirmed: Some("pending".into()),
        ..Default::default()
    };
    let n = st
        .store
        .list_logs(&scope, &pending, PageRequest::new(1, 1))
        .await?
        .total;
    todos.push(todo(
        "logs_pending",
        "日志待受援方确认",
        n as i64,
        "已填报、尚未经村委会或受援单位确认的服务日志".into(),
        "/people/my",
        "warning",
    ));
    let dispatches = st
        .store
        .list_dispatches(
            &scope,
            &DispatchFilter {
                status: Some("active".into()),
                ..Default::default()
            },
            PageRequest::new(1, 20),
        )
        .await?
        .items;
    Ok(Home {
        view: "commissioner".into(),
        title: format!("{} · 科技特派员工作台", short(&a.user.display_name)),
        todos,
        rows_title: "我的派驻".into(),
        rows: dispatches
            .into_iter()
            .map(|d| HomeRow {
                title: format!("{}（{}）", d.place, d.target_kind_label),
                subtitle: d.tasks.clone(),
                status_label: d.status_label.clone(),
                status_type: "success".into(),
                due_on: Some(d.ends_on.clone()),
                path: format!("/people/dispatches/{}", d.id),
            })
            .collect(),
        show_overview: false,
    })
}

/// 技术合同登记机构: the queue of accepted contracts with their deadlines, large contracts
/// waiting for a second reviewer, and this year's registrations.
/// 资金与服务 to-dos: the bureau's (vouchers to issue, redemptions to check, grants approved
/// and not yet paid) or an organization's (its orders in service, its usable vouchers).
async fn funds_todos(st: &AppState, a: &Auth, todos: &mut Vec<HomeTodo>) -> ApiResult<()> {
    use kechuang_store::funds::GrantFilter;
    use kechuang_store::funds::vouchers::{OrderFilter, VoucherFilter};
    let scope = a.scope();
    let one = PageRequest::new(1, 1);
    let vouchers = |s: &str| VoucherFilter {
        status: Some(s.into()),
        ..Default::default()
    };
    let orders = |s: &str| OrderFilter {
        status: Some(s.into()),
        ..Default::default()
    };
    if a.user.has_permission("funds:manage") {
        let n = st
            .store
            .list_vouchers(&scope, &vouchers("applied"), one)
            .await?
            .total;
        todos.push(todo(
            "vouchers_applied",
            "创新券待发放",
            n as i64,
            "企业申领、按政策包符合条件，待审核发放的创新券".into(),
            "/funds/vouchers?status=applied",
            "warning",
        ));
        let n = st
            .store
            .list_orders(&scope, &orders("completed"), one)
            .await?
            .total;
        todos.push(todo(
            "orders_completed",
            "创新券待兑付",
            n as i64,
            "服务机构已确认完成、待兑付审核的服务订单".into(),
            "/funds/orders?status=completed",
            "danger",
        ));
        let f = GrantFilter {
            status: Some("approved".into()),
            ..Default::default()
        };
        let n = st.store.list_grants(&scope, &f, one).await?.total;
        todos.push(todo(
            "grants_approved",
            "资金待拨付",
            n as i64,
            "已批准、尚未拨付完毕的资金安排".into(),
            "/funds/programmes",
            "primary",
        ));
    } else if a.user.has_permission("funds:apply") {
        let n = st
            .store
            .list_orders(&scope, &orders("placed"), one)
            .await?
            .total;
        todos.push(todo(
            "orders_placed",
            "服务订单进行中",
            n as i64,
            "本单位作为委托方或服务机构、尚未确认完成的创新券服务".into(),
            "/funds/orders?status=placed",
            "warning",
        ));
        let n = st
            .store
            .list_vouchers(&scope, &vouchers("issued"), one)
            .await?
            .total;
        todos.push(todo(
            "vouchers_issued",
            "可用创新券",
            n as i64,
            "已发放、在有效期内的科技创新券".into(),
            "/funds/vouchers?status=issued",
            "success",
        ));
    }
    Ok(())
}

async fn registrar(st: &AppState, a: &Auth) -> ApiResult<Home> {
    use kechuang_store::contracts::ContractFilter;
    let scope = a.scope();
    let today_s = today().to_string();
    let pending = ContractFilter {
        status: Some("submitted".into()),
        ..Default::default()
    };
    let mut queue =
        crate::api::io::all_pages(|p| st.store.list_contracts(&scope, &pending, p)).await?;
    queue.sort_by(|x, y| x.due_on.cmp(&y.due_on));
    let overdue = queue
        .iter()
        .filter(|c| c.due_on.as_deref().is_some_and(|d| d < today_s.as_str()))
        .count();
    let review = contracts_in(st, a, "second_review").await?;
    // This year's registrations by the seller's region (the office's own output).
    let y = chrono::Datelike::year(&today());
    let rows = st.store.contract_stats(&scope, y..=y, false).await?;
    let registered: i64 = rows.iter().map(|r| r.count).sum();
    let turnover = kechuang_domain::money::from_fen(rows.iter().map(|r| r.turnover_fen).sum());
    let todos = vec![
        todo(
            "contracts_submitted",
            "待认定登记",
            queue.len() as i64,
            if overdue > 0 {
                format!("其中{overdue}件已超过办结时限")
            } else {
                "已受理、等待认定登记的技术合同".into()
            },
            "/market/contracts?status=submitted",
            "danger",
        ),
        todo(
            "contracts_review",
            "大额合同复核",
            review,
            "技术交易额达到大额起点、须由另一名登记人员复核".into(),
            "/market/contracts?status=second_review",
            "warning",
        ),
        todo(
            "contracts_registered",
            "本年已登记",
            registered,
            format!("成交额{}万元", wan(&turnover.to_string())),
            "/market/contract-stats",
            "success",
        ),
    ];
    let rows = queue
        .iter()
        .map(|c| HomeRow {
            title: c.subject.clone(),
            subtitle: format!(
                "{} → {} · 成交额{}万元",
                c.seller_name,
                c.buyer_name,
                wan(&c.total_amount)
            ),
            status_label: c.status_label.clone(),
            status_type: "warning".into(),
            due_on: c.due_on.clone(),
            path: format!("/market/contracts/{}", c.id),
        })
        .collect();
    Ok(Home {
        view: "registrar".into(),
        title: format!("{} · 认定登记工作台", short(&a.user.display_name)),
        todos,
        rows_title: "待认定登记的技术合同（按办结期限）".into(),
        rows,
        show_overview: false,
    })
}

/// The bureau: what waits on it, in its scope.
async fn bureau(st: &AppState, a: &Auth, view: &str) -> ApiResult<Home> {
    let scope = a.scope();
    // Counted and listed by the database: a province's applications are not read to count them.
    let by_status = st
        .store
        .count_applications_by_status(&scope, &Default::default())
        .await?;
    let count = |s: &str| by_status.get(s).copied().map_or(0, |n| n as i64);
    let waiting = st
        .store
        .page_applications(
            &scope,
            &kechuang_store::projects::ApplicationFilter {
                statuses: ["submitted", "formal_check", "panel"]
                    .map(str::to_owned)
                    .to_vec(),
                ..Default::default()
            },
            kechuang_store::PageRequest::new(1, 10),
        )
        .await?
        .items;
    let mut todos = vec![
        todo(
            "formal_check",
            "待形式审查",
            count("submitted"),
            format!("另有{}项正在形式审查", count("formal_check")),
            "/projects/applications?status=submitted",
            "danger",
        ),
        todo(
            "panel",
            "待会审决策",
            count("panel"),
            "专家评审结束、等待会审立项的申报书".into(),
            "/projects/applications?status=panel",
            "warning",
        ),
    ];
    // 评审进度: rounds under review and the scores still missing.
    let mut rounds_open = 0;
    let (mut expected, mut submitted) = (0usize, 0usize);
    let mut round_rows = Vec::new();
    if a.user.has_permission("review:read") {
        let rounds = st
            .store
            .list_rounds(&scope, PageRequest::new(1, 100))
            .await?;
        for r in rounds.items.iter().filter(|r| r.status == "published") {
            rounds_open += 1;
            let tasks = st.store.list_assignments(&scope, Some(r.id)).await?;
            let live: Vec<_> = tasks.iter().filter(|t| t.status != "declined").collect();
            let done = live.iter().filter(|t| t.status == "submitted").count();
            expected += live.len();
            submitted += done;
            round_rows.push(HomeRow {
                title: r.title.clone(),
                subtitle: format!("评审进度：已提交{done}/{}份", live.len()),
                status_label: if done == live.len() {
                    "可结束评审"
                } else {
                    "评审中"
                }
                .into(),
                status_type: if done == live.len() {
                    "success"
                } else {
                    "warning"
                }
                .into(),
                due_on: r.due_on.clone(),
                path: format!("/review/rounds/{}", r.id),
            });
        }
        todos.push(todo(
            "review_progress",
            "评审进度",
            (expected - submitted) as i64,
            if rounds_open == 0 {
                "没有进行中的评审".into()
            } else {
                format!("{rounds_open}个评审进行中，已提交{submitted}/{expected}份评分")
            },
            "/review/rounds",
            "warning",
        ));
    }
    // 逾期任务: ledger tasks past their deadline and not done.
    let today_s = today().to_string();
    let mut overdue = Vec::new();
    if a.user.has_permission("plan:read") {
        let plans = st.store.list_plans(&scope, PageRequest::new(1, 50)).await?;
        for p in &plans.items {
            let (_, tasks) = st.store.plan_tasks(&scope, p.id).await?;
            for t in tasks {
                if t.status != "done" && t.deadline.as_deref().is_some_and(|d| d < today_s.as_str())
                {
                    overdue.push(HomeRow {
                        title: t.title.clone(),
                        subtitle: format!(
                            "{} · 责任单位：{}",
                            p.title,
                            if t.responsible_units.is_empty() {
                                "未明确".to_owned()
                            } else {
                                t.responsible_units.join("、")
                            }
                        ),
                        status_label: "逾期".into(),
                        status_type: "danger".into(),
                        due_on: t.deadline.clone(),
                        path: format!("/plans/{}?tab=tasks", p.id),
                    });
                }
            }
        }
        todos.push(todo(
            "overdue_tasks",
            "逾期任务",
            overdue.len() as i64,
            "工作台账中已过完成时限、尚未完成的任务".into(),
            "/plans",
            "danger",
        ));
    }
    let calls = st.store.list_calls(&scope).await?;
    let soon: Vec<_> = calls
        .iter()
        .filter(|c| c.status == "published" && c.opens_on <= today_s && c.closes_on >= today_s)
        .collect();
    todos.push(todo(
        "open_calls",
        "申报中的指南",
        soon.len() as i64,
        format!(
            "草稿{}项",
            calls.iter().filter(|c| c.status == "draft").count()
        ),
        "/projects/calls",
        "primary",
    ));
    funds_todos(st, a, &mut todos).await?;
    people_todos(st, a, &mut todos).await?;
    platform_todos(st, a, &mut todos).await?;
    if a.user.has_permission("market:manage") {
        let n = achievements_in(st, a, "pending").await?;
        todos.push(todo(
            "achievements_pending",
            "科技成果待审核",
            n,
            "单位提交的科技成果，审核通过后公示".into(),
            "/market/achievements?status=pending",
            "warning",
        ));
    }
    let mut rows: Vec<HomeRow> = waiting
        .iter()
        .map(|x| HomeRow {
            title: x.title.clone(),
            subtitle: format!("{} · {}", x.org_name, x.call_title),
            status_label: match x.status.as_str() {
                "submitted" => "待形式审查".to_owned(),
                "panel" => "待会审决策".to_owned(),
                _ => x.status_label.clone(),
            },
            status_type: status_type(&x.status).into(),
            due_on: None,
            path: format!("/projects/applications/{}", x.id),
        })
        .collect();
    rows.extend(round_rows);
    rows.extend(overdue.into_iter().take(10));
    Ok(Home {
        view: view.into(),
        title: format!("{} · 工作台", short(&a.user.display_name)),
        todos,
        rows_title: "待办事项".into(),
        rows,
        show_overview: false,
    })
}

/// An enterprise: its applications, what each waits for, and the calls open to it.
async fn enterprise(st: &AppState, a: &Auth) -> ApiResult<Home> {
    let scope = a.scope();
    let apps = st.store.list_applications(&scope).await?;
    let calls = st.store.list_calls(&scope).await?;
    let today_s = today().to_string();
    let open: Vec<_> = calls
        .iter()
        .filter(|c| c.opens_on <= today_s && c.closes_on >= today_s)
        .collect();
    let count = |f: &dyn Fn(&str) -> bool| apps.iter().filter(|x| f(&x.status)).count() as i64;
    let todos = vec![
        todo(
            "drafts",
            "我的草稿",
            count(&|s| s == "draft"),
            "尚未提交的申报书，截止前须提交".into(),
            "/projects/applications?status=draft",
            "warning",
        ),
        todo(
            "returned",
            "退回修改",
            count(&|s| s == "returned"),
            "形式审查退回、须修改后重新提交".into(),
            "/projects/applications?status=returned",
            "danger",
        ),
        todo(
            "reviewing",
            "审查评审中",
            count(&|s| matches!(s, "submitted" | "formal_check" | "expert_review" | "panel")),
            "已提交、正在审查或评审的申报书".into(),
            "/projects/applications",
            "primary",
        ),
        todo(
            "running",
            "立项在研",
            count(&|s| {
                matches!(
                    s,
                    "approved" | "contracted" | "in_progress" | "mid_term" | "acceptance"
                )
            }),
            "已立项、执行中或验收中的项目".into(),
            "/projects/applications",
            "success",
        ),
        todo(
            "open_calls",
            "可申报指南",
            open.len() as i64,
            open.iter()
                .map(|c| c.closes_on.as_str())
                .min()
                .map_or("暂无申报中的指南".into(), |d| {
                    format!("最近截止：{d}")
                }),
            "/projects/calls",
            "primary",
        ),
    ];
    let mut todos = todos;
    funds_todos(st, a, &mut todos).await?;
    people_todos(st, a, &mut todos).await?;
    platform_todos(st, a, &mut todos).await?;
    if a.user.has_permission("market:publish") {
        let n = achievements_in(st, a, "returned").await?;
        todos.push(todo(
            "achievements_returned",
            "科技成果退回修改",
            n,
            "审核退回或公示异议成立、须修改后重新提交的成果".into(),
            "/market/achievements?status=returned",
            "danger",
        ));
    }
    if a.user.has_permission("contract:apply") {
        let n = contracts_in(st, a, "correcting").await?;
        todos.push(todo(
            "contracts_returned",
            "技术合同退回补正",
            n,
            "登记机构退回、须补正后重新提交的技术合同".into(),
            "/market/contracts?status=correcting",
            "danger",
        ));
    }
    let close_of = |call_id: i64| {
        calls
            .iter()
            .find(|c| c.id == call_id)
            .map(|c| c.closes_on.clone())
    };
    let rows = apps
        .iter()
        .map(|x| {
            let editable = matches!(x.status.as_str(), "draft" | "returned");
            HomeRow {
                title: if x.title.trim().is_empty() {
                    "（未填写项目名称）".into()
                } else {
                    x.title.clone()
                },
                subtitle: match &x.granted {
                    Some(g) if x.status != "rejected" => {
                        format!("{} · 批准经费{}万元", x.call_title, wan(g))
                    }
                    _ => x.call_title.clone(),
                },
                status_label: x.status_label.clone(),
                status_type: status_type(&x.status).into(),
                due_on: if editable { close_of(x.call_id) } else { None },
                path: if editable {
                    format!("/projects/applications/{}/edit", x.id)
                } else {
                    format!("/projects/applications/{}", x.id)
                },
            }
        })
        .collect();
    Ok(Home {
        view: "enterprise".into(),
        title: format!("{} · 我的工作台", short(&a.user.display_name)),
        todos,
        rows_title: "我的申报".into(),
        rows,
        show_overview: false,
    })
}

/// An expert: their review tasks.
async fn expert(st: &AppState, a: &Auth) -> ApiResult<Home> {
    let tasks = st.store.list_assignments(&a.own_scope(), None).await?;
    let open = |t: &&kechuang_store::review::Assignment| {
        t.round_status == "published" && t.status == "assigned"
    };
    let pending = tasks.iter().filter(open).count() as i64;
    let drafts = tasks
        .iter()
        .filter(open)
        .filter(|t| t.draft.is_some())
        .count() as i64;
    let due = tasks
        .iter()
        .filter(open)
        .filter_map(|t| t.due_on.as_deref())
        .min()
        .map(str::to_owned);
    let todos = vec![
        todo(
            "pending",
            "待评审",
            pending,
            due.map_or("没有待评审的任务".into(), |d| {
                format!("最近截止：{d}")
            }),
            "/review/my",
            "danger",
        ),
        todo(
            "drafts",
            "已暂存未提交",
            drafts,
            "已暂存评分、尚未提交的任务".into(),
            "/review/my",
            "warning",
        ),
        todo(
            "submitted",
            "已提交",
            tasks.iter().filter(|t| t.status == "submitted").count() as i64,
            "已提交评分的任务".into(),
            "/review/my",
            "success",
        ),
    ];
    let rows = tasks
        .iter()
        .map(|t| {
            let (label, kind) = match (t.status.as_str(), t.draft.is_some()) {
                ("submitted", _) => ("已提交", "success"),
                ("declined", _) => ("已回避", "info"),
                (_, true) => ("已暂存", "warning"),
                _ if t.round_status == "closed" => ("评审已结束", "info"),
                _ => ("待评审", "danger"),
            };
            HomeRow {
                title: t.item_title.clone(),
                subtitle: format!(
                    "{} · {}",
                    t.round_title,
                    t.item_org_name.as_deref().unwrap_or("")
                ),
                status_label: label.into(),
                status_type: kind.into(),
                // A deadline matters only while the task is still to be done.
                due_on: (label == "待评审" || label == "已暂存")
                    .then(|| t.due_on.clone())
                    .flatten(),
                path: "/review/my".into(),
            }
        })
        .collect();
    Ok(Home {
        view: "expert".into(),
        title: format!("{} · 我的评审", short(&a.user.display_name)),
        todos,
        rows_title: "我的评审任务".into(),
        rows,
        show_overview: false,
    })
}

/// The auditor: security events of the last seven days.
/// The system and security administrators' 工作台: the accounts that need them (locked now,
/// password to change or expired, never signed in), each a link to the filtered user list.
async fn accounts(st: &AppState, a: &Auth, view: &str) -> ApiResult<Home> {
    use kechuang_store::accounts::UserFilter;
    let scope = a.scope();
    let cutoff = crate::api::admin::password_expiry_cutoff(st);
    let mut todos = Vec::new();
    let mut rows = Vec::new();
    for (key, label, detail, kind) in [
        (
            "locked",
            "锁定中的账号",
            "连续输错密码被锁定，到期自动解锁，也可重置密码",
            "danger",
        ),
        (
            "must_change",
            "待修改密码的账号",
            "首次登录、被重置或超过有效期，登录后须先修改密码",
            "warning",
        ),
        (
            "never",
            "从未登录的账号",
            "已开通但从未登录，请确认是否仍需要",
            "info",
        ),
    ] {
        let f = UserFilter {
            attention: Some(key.into()),
            expired_before: cutoff,
            ..UserFilter::default()
        };
        let page = st
            .store
            .list_users(&scope, &f, PageRequest::new(1, 5))
            .await?;
        todos.push(todo(
            key,
            label,
            page.total as i64,
            detail.into(),
            &format!("/system/users?attention={key}"),
            kind,
        ));
        if key != "never" {
            for u in page.items {
                rows.push(HomeRow {
                    title: format!("{}（{}）", u.display_name, u.username),
                    subtitle: u.region_name.clone(),
                    status_label: label.trim_end_matches("的账号").into(),
                    status_type: kind.into(),
                    due_on: None,
                    path: format!("/system/users?q={}", u.username),
                });
            }
        }
    }
    Ok(Home {
        view: view.into(),
        title: format!("{} · 工作台", short(&a.user.display_name)),
        todos,
        rows_title: "需要处理的账号".into(),
        rows,
        show_overview: false,
    })
}

async fn auditor(st: &AppState, a: &Auth) -> ApiResult<Home> {
    let week_ago = chrono::Utc::now().timestamp_millis() - 7 * 86_400_000;
    let scope = a.scope();
    let mut events = Vec::new();
    let mut counts = std::collections::BTreeMap::new();
    for action in [
        "login_failed",
        "login_refused",
        "login_locked",
        "access_refused",
        "password",
        "export",
    ] {
        let page = st
            .store
            .list_audit(
                &scope,
                &AuditFilter {
                    action: Some(action.into()),
                    from: Some(week_ago),
                    ..AuditFilter::default()
                },
                PageRequest::new(1, 20),
            )
            .await?;
        counts.insert(action, page.total as i64);
        events.extend(page.items);
    }
    let role_changes = st
        .store
        .list_audit(
            &scope,
            &AuditFilter {
                entity: Some("user".into()),
                from: Some(week_ago),
                ..AuditFilter::default()
            },
            PageRequest::new(1, 500),
        )
        .await?;
    // Accounts the demo loader created at start-up are not changes to review.
    let account_changes: Vec<_> = role_changes
        .items
        .into_iter()
        .filter(|e| matches!(e.action.as_str(), "create" | "update") && e.actor != "demo")
        .collect();
    let account_count = account_changes.len() as i64;
    events.extend(account_changes);
    events.sort_by_key(|e| std::cmp::Reverse(e.at));
    events.dedup_by_key(|e| e.seq);
    let n = |k: &str| counts.get(k).copied().unwrap_or(0);
    let todos = vec![
        todo(
            "login_failed",
            "登录失败",
            n("login_failed") + n("login_refused"),
            "近7天密码错误、账号不存在或锁定期间的登录".into(),
            "/system/audit?action=login_failed",
            "warning",
        ),
        todo(
            "login_locked",
            "账号锁定",
            n("login_locked"),
            "近7天因连续输错密码被锁定".into(),
            "/system/audit?action=login_locked",
            "danger",
        ),
        todo(
            "accounts",
            "账号与权限变更",
            account_count,
            "近7天新建、修改账号或角色".into(),
            "/system/audit?entity=user",
            "warning",
        ),
        todo(
            "access_refused",
            "访问被拒绝",
            n("access_refused"),
            "近7天无权限或超出数据范围的访问".into(),
            "/system/audit?action=access_refused",
            "danger",
        ),
        todo(
            "export",
            "数据导出",
            n("export"),
            "近7天导出数据的操作".into(),
            "/system/audit?action=export",
            "primary",
        ),
    ];
    let rows = events
        .into_iter()
        .take(15)
        .map(|e| {
            let (label, kind) = match e.action.as_str() {
                "login_failed" => ("登录失败", "warning"),
                "login_refused" => ("登录被拒绝", "danger"),
                "login_locked" => ("账号锁定", "danger"),
                "access_refused" => ("访问被拒绝", "danger"),
                "password" => ("修改密码", "primary"),
                "export" => ("数据导出", "primary"),
                "create" => ("新建账号", "warning"),
                _ => ("账号变更", "warning"),
            };
            let at = crate::api::beijing_time(Some(e.at));
            HomeRow {
                title: format!("{}：{}", label, e.actor),
                subtitle: at,
                status_label: label.into(),
                status_type: kind.into(),
                due_on: None,
                path: format!("/system/audit?actor={}", e.actor),
            }
        })
        .collect();
    Ok(Home {
        view: "auditor".into(),
        title: format!("{} · 安全审计", short(&a.user.display_name)),
        todos,
        rows_title: "最近安全事件".into(),
        rows,
        show_overview: false,
    })
}
