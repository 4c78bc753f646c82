//! `kechuang`: the one binary of the platform.

mod contracts_cmd;
mod demo;
mod demo_contracts;
mod demo_funds;
mod demo_people;
mod demo_platforms;
mod rules_cmd;

use anyhow::{Context, Result, bail};
use clap::{Args, Parser, Subcommand, ValueEnum};
use kechuang_server::{Config, auth};
use kechuang_store::accounts::NewUser;
use kechuang_store::{Caller, DataScope, Store};
use std::path::{Path, PathBuf};

const DEFAULT_DB: &str = "sqlite://data/kechuang.db";

#[derive(Parser)]
#[command(name = "kechuang", version, about = "科创：区域科技创新管理平台")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

/// Session and password policy (等保三级 settings).
#[derive(Args, Clone)]
struct Security {
    /// A session ends after this many idle minutes.
    #[arg(long, env = "KECHUANG_SESSION_IDLE_MINUTES", default_value_t = 30, value_parser = clap::value_parser!(i64).range(1..=24 * 60))]
    session_idle_minutes: i64,
    /// A session ends this many hours after login, however active.
    #[arg(long, env = "KECHUANG_SESSION_MAX_HOURS", default_value_t = 12, value_parser = clap::value_parser!(i64).range(1..=7 * 24))]
    session_max_hours: i64,
    /// A password must be changed after this many days (0: never).
    #[arg(long, env = "KECHUANG_PASSWORD_MAX_AGE_DAYS", default_value_t = 90, value_parser = clap::value_parser!(i64).range(0..=3650))]
    password_max_age_days: i64,
    /// A new password may not repeat this many recent ones (counting the current one).
    #[arg(long, env = "KECHUANG_PASSWORD_HISTORY", default_value_t = 5, value_parser = clap::value_parser!(u64).range(1..=24))]
    password_history: u64,
}

#[derive(Args, Clone)]
struct Db {
    /// Database URL: sqlite://PATH (default, created if missing) or postgres://USER@HOST:PORT/DB
    #[arg(long, env = "KECHUANG_DATABASE_URL", default_value = DEFAULT_DB)]
    database_url: String,
    /// Secret used for keyed hashes of identity numbers (default: a key file next to the
    /// SQLite database, created on first use; required for PostgreSQL).
    #[arg(long, env = "KECHUANG_SECRET", hide_env_values = true)]
    secret: Option<String>,
    /// The full-text index's directory (default: `search/` next to the SQLite database, or
    /// `data/search` with PostgreSQL). It is rebuilt when it does not match the database.
    #[arg(long, env = "KECHUANG_SEARCH_DIR")]
    search_dir: Option<PathBuf>,
    /// The file the audit chain's head is anchored to, outside the database (default:
    /// `audit-anchors.log` beside the SQLite database, or `data/audit-anchors.log`). Keep it
    /// on other storage than the database, or ship it to a log server.
    #[arg(long, env = "KECHUANG_AUDIT_ANCHORS")]
    audit_anchors: Option<PathBuf>,
}

impl Db {
    fn audit_anchors(&self) -> PathBuf {
        self.audit_anchors.clone().unwrap_or_else(|| {
            self.search_dir()
                .parent()
                .unwrap_or(Path::new("."))
                .join("audit-anchors.log")
        })
    }

    fn search_dir(&self) -> PathBuf {
        if let Some(d) = &self.search_dir {
            return d.clone();
        }
        match self.database_url.strip_prefix("sqlite://") {
            Some(path) => {
                let path = path.split('?').next().unwrap_or(path);
                Path::new(path)
                    .parent()
                    .filter(|d| !d.as_os_str().is_empty())
                    .unwrap_or(Path::new("."))
                    .join("search")
            }
            None => PathBuf::from("data/search"),
        }
    }
}

#[derive(Subcommand)]
enum Command {
    /// Start the web server (migrates the database first).
    Serve {
        #[command(flatten)]
        db: Db,
        /// Address to listen on.
        #[arg(long, default_value = "127.0.0.1:8080")]
        listen: String,
        /// On first start (no accounts yet), load the 济源 demo region.
        #[arg(long)]
        demo: bool,
        /// Mark session cookies Secure (when served over HTTPS).
        #[arg(long)]
        secure_cookies: bool,
        #[command(flatten)]
        security: Security,
    },
    /// Apply pending database migrations.
    Migrate {
        #[command(flatten)]
        db: Db,
    },
    /// Load the deterministic 济源 (419001) demo region into an empty database.
    Demo {
        #[command(flatten)]
        db: Db,
        /// Password for the demo accounts (default: random, printed).
        #[arg(long, env = "KECHUANG_DEMO_PASSWORD", hide_env_values = true)]
        password: Option<String>,
    },
    /// Import a spreadsheet (xlsx or csv), all-or-nothing, with a row-by-row report.
    Import {
        #[command(flatten)]
        db: Db,
        /// What the file holds.
        kind: ImportKind,
        /// The xlsx or csv file.
        file: PathBuf,
        /// Update organizations already registered instead of reporting them.
        #[arg(long)]
        update_existing: bool,
        /// Validate only; write nothing.
        #[arg(long)]
        dry_run: bool,
    },
    /// Export a list to xlsx.
    Export {
        #[command(flatten)]
        db: Db,
        kind: ExportKind,
        /// Output file (.xlsx).
        #[arg(long)]
        out: PathBuf,
        /// Only this region and below (GB/T 2260 code).
        #[arg(long)]
        region: Option<String>,
    },
    /// Manage accounts.
    Admin {
        #[command(subcommand)]
        action: AdminAction,
    },
    /// The rules engine: evaluate policy packs, run their test cases.
    Rules {
        #[command(subcommand)]
        action: RulesAction,
    },
    /// Audit log tools.
    Audit {
        #[command(subcommand)]
        action: AuditAction,
    },
    /// Expert-review assignment (评审专家分配) for batch use.
    Assign {
        #[command(subcommand)]
        action: AssignAction,
    },
    /// Plan documents (规划): extract quantitative targets and baselines.
    Plans {
        #[command(subcommand)]
        action: PlansAction,
    },
    /// Technology contracts (技术合同认定登记) for batch use.
    Contracts {
        #[command(subcommand)]
        action: ContractsAction,
    },
    /// The full-text index (全文检索).
    Search {
        #[command(subcommand)]
        action: SearchAction,
    },
}

#[derive(Subcommand)]
enum SearchAction {
    /// Rebuild the index from the database (run it with the server stopped: the index has
    /// one writer).
    Reindex {
        #[command(flatten)]
        db: Db,
    },
}

#[derive(Subcommand)]
enum ContractsAction {
    /// The registration decision for every contract of a csv or xlsx file: one JSON object per
    /// line with `contract_no`, `category`, `decision` (register | refuse | correct),
    /// `technical_amount` (yuan) and `reasons`; a malformed row prints `error` instead.
    Assess {
        #[arg(long)]
        input: PathBuf,
    },
}

#[derive(Subcommand)]
enum AssignAction {
    /// Optimal assignment with a proof: prints `application,expert` rows, then one JSON line
    /// `{"objective":…,"bound":…}`.
    Solve {
        /// CSV rows `application,expert,affinity` (pairs not listed are not eligible).
        #[arg(long)]
        affinity: PathBuf,
        /// CSV rows `application,expert` that may not be assigned (回避).
        #[arg(long)]
        conflicts: Option<PathBuf>,
        /// Reviewers per application.
        #[arg(long)]
        k: u32,
        /// Most applications per expert.
        #[arg(long = "max-load")]
        max_load: u32,
    },
}

#[derive(Subcommand)]
enum PlansAction {
    /// Print every quantitative target and baseline of a plan (UTF-8 text or .docx).
    Extract {
        file: PathBuf,
        /// One JSON object per line (the only format for now; accepted for clarity).
        #[arg(long)]
        json: bool,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum ImportKind {
    Organizations,
    EnterpriseYears,
}

#[derive(Clone, Copy, ValueEnum)]
enum ExportKind {
    Organizations,
    EnterpriseYears,
    Platforms,
    Persons,
}

#[derive(Subcommand)]
enum AdminAction {
    /// Create an administrator account (scope: all data).
    Create {
        #[command(flatten)]
        db: Db,
        #[arg(long)]
        username: String,
        /// admin (系统管理员), security (安全管理员) or auditor (审计管理员): 三员分立.
        #[arg(long, default_value = "admin", value_parser = ["admin", "security", "auditor"])]
        role: String,
        /// Password (default: random, printed).
        #[arg(long, env = "KECHUANG_ADMIN_PASSWORD", hide_env_values = true)]
        password: Option<String>,
        #[arg(long, default_value = "系统管理员")]
        display_name: String,
    },
    /// Set a new password for an account (and unlock it).
    ResetPassword {
        #[command(flatten)]
        db: Db,
        #[arg(long)]
        username: String,
        #[arg(long, env = "KECHUANG_ADMIN_PASSWORD", hide_env_values = true)]
        password: Option<String>,
    },
}

#[derive(Subcommand)]
enum RulesAction {
    /// Evaluate a pack for a year over a file (enterprise-year interchange format) or over the
    /// registry's enterprises in a region; prints one JSON object per enterprise.
    Eval {
        /// Pack id: tech-sme, hnte, rd-deduction.
        #[arg(long)]
        pack: String,
        /// The fiscal year evaluated (the figures' year; earlier years are read for 3-year rules).
        #[arg(long)]
        year: i32,
        /// A csv or xlsx file in the interchange format.
        #[arg(long, conflicts_with = "region")]
        input: Option<PathBuf>,
        /// Evaluate the registry's enterprises in this region (GB/T 2260) instead of a file.
        #[arg(long)]
        region: Option<String>,
        /// Database URL (with --region).
        #[arg(long, env = "KECHUANG_DATABASE_URL", default_value = DEFAULT_DB)]
        database_url: String,
        /// Load packs from this directory instead of the official packs compiled in.
        #[arg(long)]
        policies: Option<PathBuf>,
    },
    /// The 免申即享 entitlement list of a year from a reward pack: items from a file, or derived
    /// from the registry (new 高企 and platforms recognized in the year) for a region.
    Entitle {
        #[arg(long, default_value = "rewards")]
        pack: String,
        #[arg(long)]
        year: i32,
        /// A csv or xlsx of items (credit_code, region, description and the pack's inputs).
        #[arg(long, conflicts_with = "region")]
        input: Option<PathBuf>,
        #[arg(long)]
        region: Option<String>,
        #[arg(long, env = "KECHUANG_DATABASE_URL", default_value = DEFAULT_DB)]
        database_url: String,
        /// Also write the list to this xlsx file.
        #[arg(long)]
        out: Option<PathBuf>,
        #[arg(long)]
        policies: Option<PathBuf>,
    },
    /// Run the test cases of packs (all official packs by default); exit 1 on any failure.
    Test {
        /// Pack ids (default: all).
        packs: Vec<String>,
        #[arg(long)]
        policies: Option<PathBuf>,
    },
}

#[derive(Subcommand)]
enum AuditAction {
    /// Recompute the audit hash chain; exit 1 if any record was altered or deleted.
    Verify {
        #[command(flatten)]
        db: Db,
    },
}

async fn open(db: &Db) -> Result<Store> {
    let store = Store::connect(&db.database_url)
        .await
        .with_context(|| format!("无法连接数据库 {}", db.database_url))?;
    store.migrate().await.context("数据库迁移失败")?;
    Ok(store)
}

/// The identity-number hashing key: `--secret`, else a key file beside the SQLite database.
fn secret(db: &Db) -> Result<Vec<u8>> {
    if let Some(s) = &db.secret {
        if s.len() < 16 {
            bail!("KECHUANG_SECRET 至少需要16个字符");
        }
        return Ok(s.as_bytes().to_vec());
    }
    let Some(path) = db.database_url.strip_prefix("sqlite://") else {
        bail!("使用 PostgreSQL 时必须通过 --secret 或 KECHUANG_SECRET 提供密钥");
    };
    let path = path.split('?').next().unwrap_or(path);
    let dir = Path::new(path)
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let file = dir.join("secret.key");
    if let Ok(s) = std::fs::read_to_string(&file) {
        return Ok(s.trim().as_bytes().to_vec());
    }
    let key = auth::random_token(32);
    write_private(&file, &key).with_context(|| format!("无法写入密钥文件 {}", file.display()))?;
    Ok(key.into_bytes())
}

/// Write a file only its owner may read (created so, never readable in between).
fn write_private(file: &Path, contents: &str) -> std::io::Result<()> {
    use std::io::Write;
    if let Some(dir) = file.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)?;
    }
    let mut o = std::fs::OpenOptions::new();
    o.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        o.mode(0o600);
    }
    o.open(file)?.write_all(contents.as_bytes())
}

fn password_or_random(p: Option<String>, username: &str) -> Result<(String, bool)> {
    match p {
        Some(p) => {
            auth::check_password_policy(&p, username)
                .map_err(|e| anyhow::anyhow!("{}", e.summary()))?;
            Ok((p, false))
        }
        None => Ok((format!("Kc{}", &auth::random_token(6)), true)),
    }
}

async fn create_admin(
    store: &Store,
    username: &str,
    display_name: &str,
    password: &str,
    must_change: bool,
    role: &str,
) -> Result<()> {
    let hash = auth::hash_password(password).map_err(|e| anyhow::anyhow!("{}", e.body.message))?;
    store
        .create_user(
            &Caller::system("cli"),
            &NewUser {
                username: username.to_owned(),
                display_name: display_name.to_owned(),
                password_hash: hash,
                scope_kind: "all".into(),
                region: kechuang_domain::RegionCode::parse("419001")?,
                org_id: None,
                roles: vec![role.into()],
                must_change_password: must_change,
            },
        )
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    Ok(())
}

fn main() {
    let rt = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("错误：无法启动运行时：{e}");
            std::process::exit(1);
        }
    };
    // Errors reach the operator as one Chinese sentence with its causes, never a backtrace.
    if let Err(e) = rt.block_on(run()) {
        eprintln!("错误：{e:#}");
        std::process::exit(1);
    }
}

async fn run() -> Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("KECHUANG_LOG")
                .unwrap_or_else(|_| "info,sqlx=warn".into()),
        )
        .init();
    let cli = Cli::parse();
    match cli.command {
        Command::Serve {
            db,
            listen,
            demo,
            secure_cookies,
            security,
        } => {
            let store = open(&db).await?;
            let key = secret(&db)?;
            if store.count_users().await? == 0 {
                let password = format!("Kc{}", &auth::random_token(6));
                create_admin(&store, "admin", "系统管理员", &password, true, "admin").await?;
                // 三员分立: the security and audit administrators are accounts of their own,
                // each with its own password.
                let mut others = String::new();
                for (name, display, role) in [
                    ("secadmin", "安全管理员", "security"),
                    ("auditadmin", "审计管理员", "auditor"),
                ] {
                    let p = format!("Kc{}", &auth::random_token(6));
                    create_admin(&store, name, display, &p, true, role).await?;
                    others.push_str(&format!(
                        "{display}账号 {name}，初始密码 {p}（首次登录后须修改）\n"
                    ));
                }
                // Passwords go to a file only the operator can read, never to the log.
                let file = db
                    .search_dir()
                    .parent()
                    .unwrap_or(Path::new("."))
                    .join("initial-credentials.txt");
                let mut credentials = format!(
                    "系统管理员账号 admin，初始密码 {password}（首次登录后须修改）\n{others}"
                );
                println!(
                    "首次启动：已创建系统管理员 admin、安全管理员 secadmin、审计管理员 auditadmin，初始密码见 {}（仅本机操作员可读；首次登录后须修改，之后请删除该文件）",
                    file.display()
                );
                write_private(&file, &credentials)
                    .with_context(|| format!("无法写入初始账号文件 {}", file.display()))?;
                if demo {
                    let demo_password = std::env::var("KECHUANG_DEMO_PASSWORD")
                        .unwrap_or_else(|_| password.clone());
                    let t = std::time::Instant::now();
                    let s = demo::load(&store, &demo_password, &key).await?;
                    println!(
                        "已载入济源演示数据：{} 个单位、{} 条企业年度数据、{} 个平台、{} 名人才专家（{:.1} 秒）",
                        s.organizations,
                        s.enterprise_years,
                        s.platforms,
                        s.persons,
                        t.elapsed().as_secs_f64()
                    );
                    // A password shared by every demo account is changed by each at first
                    // sign-in, unless the operator chose it (KECHUANG_DEMO_PASSWORD, as the
                    // browser tests do).
                    let forced = std::env::var("KECHUANG_DEMO_PASSWORD").is_err();
                    if forced {
                        let mut ids = Vec::new();
                        for u in &s.users {
                            ids.push(store.user_by_username(&DataScope::All, u).await?.id);
                        }
                        store
                            .require_password_change(&Caller::system("cli"), &ids)
                            .await?;
                    }
                    credentials.push_str(&format!(
                        "演示账号 {}，共用密码 {demo_password}{}\n",
                        s.users.join("、"),
                        if forced {
                            "（各账号首次登录后须修改）"
                        } else {
                            ""
                        }
                    ));
                    println!(
                        "演示账号：{}，密码见 {}",
                        s.users.join("、"),
                        file.display()
                    );
                }
                write_private(&file, &credentials)
                    .with_context(|| format!("无法写入初始账号文件 {}", file.display()))?;
            }
            let listener = tokio::net::TcpListener::bind(&listen)
                .await
                .with_context(|| format!("无法监听 {listen}"))?;
            println!("科创已启动：http://{listen}/  接口文档：http://{listen}/api/openapi.json");
            let config = Config {
                secure_cookies,
                id_hash_key: key,
                search_dir: Some(db.search_dir()),
                audit_anchors: Some(db.audit_anchors()),
                session_ttl_ms: security.session_idle_minutes * 60_000,
                session_max_age_ms: security.session_max_hours * 3_600_000,
                password_max_age_days: security.password_max_age_days,
                password_history: security.password_history,
            };
            let state = kechuang_server::state(store, config);
            // Catch the index up before serving (a rebuild when it was lost or belongs to
            // another database); a failure leaves search to the lists' LIKE fallback.
            match state.search.catch_up(&state.store).await {
                Ok(kechuang_server::search_svc::CatchUp::Rebuilt { documents }) => {
                    println!("全文索引已重建：{documents} 条")
                }
                Ok(_) => {}
                Err(e) => eprintln!("全文索引暂不可用：{}", e.body.message),
            }
            {
                // Every minute: anchor the audit chain's head outside the database, and on
                // SQLite checkpoint the write-ahead log (passive auto-checkpoints starve).
                let store = state.store.clone();
                let anchors = db.audit_anchors();
                let key = state.config.id_hash_key.clone();
                tokio::spawn(async move {
                    let mut tick = tokio::time::interval(std::time::Duration::from_secs(60));
                    let mut last = None;
                    loop {
                        tick.tick().await;
                        if let Err(e) = kechuang_server::audit_anchor::anchor_now(
                            &store, &anchors, &key, &mut last,
                        )
                        .await
                        {
                            tracing::error!(error = %e, "audit anchor failed");
                        }
                        if store.backend() == kechuang_store::Backend::Sqlite
                            && let Err(e) = store.checkpoint().await
                        {
                            tracing::warn!(error = %e, "SQLite checkpoint failed");
                        }
                    }
                });
            }
            kechuang_server::serve(kechuang_server::router(state), listener).await?;
        }
        Command::Migrate { db } => {
            let store = open(&db).await?;
            println!("数据库已迁移到最新版本");
            store.close().await?;
        }
        Command::Demo { db, password } => {
            let store = open(&db).await?;
            let key = secret(&db)?;
            let (password, _) = password_or_random(password, "")?;
            let s = demo::load(&store, &password, &key).await?;
            println!(
                "已载入济源演示数据：{} 个单位、{} 条企业年度数据、{} 个平台、{} 名人才专家",
                s.organizations, s.enterprise_years, s.platforms, s.persons
            );
            println!("演示账号：{}，密码 {password}", s.users.join("、"));
        }
        Command::Import {
            db,
            kind,
            file,
            update_existing,
            dry_run,
        } => {
            let store = open(&db).await?;
            let bytes =
                std::fs::read(&file).with_context(|| format!("无法读取 {}", file.display()))?;
            let caller = Caller::system("cli-import");
            let today = chrono::Utc::now().date_naive();
            let t = std::time::Instant::now();
            let r = match kind {
                ImportKind::Organizations => {
                    kechuang_server::import::import_organizations(
                        &store,
                        &caller,
                        &bytes,
                        update_existing,
                        dry_run,
                        today,
                    )
                    .await
                }
                ImportKind::EnterpriseYears => {
                    kechuang_server::import::import_enterprise_years(
                        &store, &caller, &bytes, dry_run,
                    )
                    .await
                }
            }
            .map_err(|e| anyhow::anyhow!("{e}"))?;
            if r.ok {
                println!(
                    "{}：共 {} 行，新增 {}，更新 {}（{:.2} 秒）",
                    if dry_run {
                        "校验通过（未写入）"
                    } else {
                        "导入成功"
                    },
                    r.rows,
                    r.inserted,
                    r.updated,
                    t.elapsed().as_secs_f64()
                );
            } else {
                eprintln!("导入失败，未写入任何数据。共 {} 处问题：", r.problems.len());
                for p in r.problems.iter().take(200) {
                    eprintln!("  第{}行 [{}] {}（{}）", p.row, p.column, p.message, p.code);
                }
                std::process::exit(2);
            }
        }
        Command::Export {
            db,
            kind,
            out,
            region,
        } => {
            let store = open(&db).await?;
            let scope = DataScope::All;
            let err = |e: kechuang_server::error::ApiError| anyhow::anyhow!("{}", e.body.message);
            let (n, bytes) = match kind {
                ExportKind::Organizations => {
                    let f = kechuang_store::orgs::OrgFilter {
                        region,
                        ..Default::default()
                    };
                    kechuang_server::api::io::organizations_xlsx(&store, &scope, &f)
                        .await
                        .map_err(err)?
                }
                ExportKind::EnterpriseYears => {
                    let f = kechuang_store::years::YearFilter {
                        region,
                        ..Default::default()
                    };
                    kechuang_server::api::io::enterprise_years_xlsx(&store, &scope, &f)
                        .await
                        .map_err(err)?
                }
                ExportKind::Platforms => {
                    let f = kechuang_store::platforms::PlatformFilter {
                        region,
                        ..Default::default()
                    };
                    kechuang_server::api::io::platforms_xlsx(&store, &scope, &f)
                        .await
                        .map_err(err)?
                }
                ExportKind::Persons => {
                    let f = kechuang_store::persons::PersonFilter {
                        region,
                        ..Default::default()
                    };
                    kechuang_server::api::io::persons_xlsx(&store, &scope, &f)
                        .await
                        .map_err(err)?
                }
            };
            std::fs::write(&out, bytes).with_context(|| format!("无法写入 {}", out.display()))?;
            store
                .audit_event(
                    &Caller::system("cli-export"),
                    "export",
                    "file",
                    &out.display().to_string(),
                    Some(serde_json::json!({"rows": n})),
                )
                .await?;
            println!("已导出 {n} 行到 {}", out.display());
        }
        Command::Admin { action } => match action {
            AdminAction::Create {
                db,
                username,
                role,
                password,
                display_name,
            } => {
                let store = open(&db).await?;
                let (password, generated) = password_or_random(password, &username)?;
                create_admin(
                    &store,
                    &username,
                    &display_name,
                    &password,
                    generated,
                    &role,
                )
                .await?;
                if generated {
                    println!("已创建管理员 {username}，初始密码 {password}（首次登录后请修改）");
                } else {
                    println!("已创建管理员 {username}");
                }
            }
            AdminAction::ResetPassword {
                db,
                username,
                password,
            } => {
                let store = open(&db).await?;
                let (password, generated) = password_or_random(password, &username)?;
                let user = store
                    .user_by_username(&DataScope::All, &username)
                    .await
                    .map_err(|e| anyhow::anyhow!("{e}"))?;
                let hash = auth::hash_password(&password)
                    .map_err(|e| anyhow::anyhow!("{}", e.body.message))?;
                store
                    .set_password(&Caller::system("cli"), user.id, &hash, generated)
                    .await?;
                if generated {
                    println!("已重置 {username} 的密码为 {password}（登录后请修改）");
                } else {
                    println!("已重置 {username} 的密码");
                }
            }
        },
        Command::Search {
            action: SearchAction::Reindex { db },
        } => {
            let store = open(&db).await?;
            let dir = db.search_dir();
            let search = kechuang_server::search_svc::Search::open(Some(&dir))
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            let (n, took) = search
                .reindex(&store)
                .await
                .map_err(|e| anyhow::anyhow!("{}", e.body.message))?;
            println!(
                "全文索引已重建：{n} 条，用时 {:.1} 秒（{}）",
                took.as_secs_f64(),
                dir.display()
            );
            store.close().await?;
        }
        Command::Contracts {
            action: ContractsAction::Assess { input },
        } => {
            let today = (chrono::Utc::now() + chrono::Duration::hours(8)).date_naive();
            let bad = contracts_cmd::assess(&input, today)?;
            if bad > 0 {
                eprintln!("{bad} 行数据有误，已逐行报告（其余合同已判定）");
            }
        }
        Command::Rules { action } => match action {
            RulesAction::Eval {
                pack,
                year,
                input,
                region,
                database_url,
                policies,
            } => {
                let store = match &region {
                    Some(_) => Some(Store::connect(&database_url).await?),
                    None => None,
                };
                rules_cmd::eval(&pack, year, input, region, store, policies.as_deref()).await?;
            }
            RulesAction::Entitle {
                pack,
                year,
                input,
                region,
                database_url,
                out,
                policies,
            } => {
                let store = match &region {
                    Some(_) => Some(Store::connect(&database_url).await?),
                    None => None,
                };
                rules_cmd::entitle(&pack, year, input, region, store, out, policies.as_deref())
                    .await?;
            }
            RulesAction::Test { packs, policies } => {
                if rules_cmd::test(&packs, policies.as_deref())? > 0 {
                    std::process::exit(1);
                }
            }
        },
        Command::Assign {
            action:
                AssignAction::Solve {
                    affinity,
                    conflicts,
                    k,
                    max_load,
                },
        } => {
            let aff = std::fs::File::open(&affinity)
                .with_context(|| format!("无法打开 {}", affinity.display()))?;
            let conf: Box<dyn std::io::Read> = match &conflicts {
                Some(p) => Box::new(
                    std::fs::File::open(p).with_context(|| format!("无法打开 {}", p.display()))?,
                ),
                None => Box::new(std::io::empty()),
            };
            let out = std::io::BufWriter::new(std::io::stdout().lock());
            kechuang_assignment::solve_csv(
                std::io::BufReader::new(aff),
                std::io::BufReader::new(conf),
                k,
                max_load,
                out,
            )
            .map_err(|e| anyhow::anyhow!("分配失败：{e}"))?;
        }
        Command::Plans {
            action: PlansAction::Extract { file, json: _ },
        } => {
            let bytes =
                std::fs::read(&file).with_context(|| format!("无法读取 {}", file.display()))?;
            let is_docx = file
                .extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("docx"))
                || bytes.starts_with(b"PK");
            let text = if is_docx {
                kechuang_plans::read_docx(&bytes)
                    .map_err(|e| anyhow::anyhow!("无法读取 Word 文档：{e}"))?
            } else {
                String::from_utf8(bytes).map_err(|_| {
                    anyhow::anyhow!("{} 不是 UTF-8 文本或 .docx 文档", file.display())
                })?
            };
            print!(
                "{}",
                kechuang_plans::to_json_lines(&kechuang_plans::extract(&text))
            );
        }
        Command::Audit {
            action: AuditAction::Verify { db },
        } => {
            let store = Store::connect(&db.database_url).await?;
            let anchors = db.audit_anchors();
            let key = secret(&db).ok();
            if key.is_none() {
                println!("未提供密钥（--secret），跳过外部锚点校验");
            }
            let (v, checked) = kechuang_server::audit_anchor::verify(
                &store,
                key.as_ref().map(|_| anchors.as_path()),
                key.as_deref().unwrap_or_default(),
            )
            .await?;
            if v.ok {
                println!("审计日志完整：共 {} 条记录，哈希链校验通过", v.records);
                if let Some(key) = &key {
                    println!(
                        "外部锚点：{} 个锚点与哈希链一致（{}）",
                        checked.len(),
                        anchors.display()
                    );
                    // What was just verified becomes an anchor too.
                    let mut last = checked.last().cloned();
                    if let Err(e) =
                        kechuang_server::audit_anchor::anchor_now(&store, &anchors, key, &mut last)
                            .await
                    {
                        println!("{e}");
                    }
                }
                // The chain only proves that what was recorded is intact; this proves that
                // every scoped record was recorded at all.
                let gaps = store.audit_coverage().await?;
                if gaps.is_empty() {
                    println!("审计覆盖完整：每个受范围控制的数据表的每一行都有对应的审计记录");
                } else {
                    for g in &gaps {
                        println!("审计覆盖缺失：数据表 {}：{}", g.table, g.problem);
                    }
                    std::process::exit(1);
                }
            } else {
                println!(
                    "审计日志校验失败：{}（第 {} 条起）",
                    v.reason.unwrap_or_default(),
                    v.first_bad_seq.unwrap_or_default()
                );
                std::process::exit(1);
            }
        }
    }
    Ok(())
}
