//! What the registry knows about an applicant, for the application form (预填: the form never
//! asks for it again), frozen into the application at submission (一次报送); the applicant's
//! PDF attachments with their SHA-256; and the track record (履约记录) of an organization or a
//! person over earlier projects, kept for later calls (滚动支持, integrity).

use crate::error::{StoreError, StoreResult};
use crate::orgs::{Organization, get_org};
use crate::persons::{Person, PersonFilter};
use crate::platforms::{Platform, PlatformFilter};
use crate::projects::{Application, app_from_row, app_select, get_app};
use crate::sql::{self, PageRequest, ScopeColumns, get, now_ms};
use crate::years::{EnterpriseYear, YearFilter};
use crate::{Caller, DataScope, Store};
use kechuang_domain::Invalid;
use kechuang_domain::attachment::{AttachmentKind, CheckedPdf};
use sea_orm::ConnectionTrait;
use sea_orm::sea_query::{Expr, ExprTrait, Order, Query};
use serde::Serialize;

const APPS: ScopeColumns = ScopeColumns {
    table: "applications",
    region_path: Some("region_path"),
    org: Some("org_id"),
    owner: None,
};

/// A title the rules engine found the organization to hold (latest year per pack).
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct TitleHeld {
    /// The policy pack, e.g. `tech-sme` (科技型中小企业), `hnte` (高新技术企业).
    pub pack: String,
    pub year: i64,
    pub qualified: Option<bool>,
}

/// Everything the registry knows that an application would otherwise ask for.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ApplicantProfile {
    pub org: Organization,
    /// The latest year's figures (企业年度数据), if any.
    pub latest_year: Option<EnterpriseYear>,
    /// Platforms the organization hosts (创新平台).
    pub platforms: Vec<Platform>,
    /// People of the organization in the talent registry (for leader and team).
    pub persons: Vec<Person>,
    pub titles: Vec<TitleHeld>,
    pub track_record: TrackRecord,
}

/// One earlier project in a track record.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct TrackRecordItem {
    pub application_id: i64,
    pub title: String,
    pub call_title: String,
    pub org_name: String,
    pub leader_name: String,
    /// 负责人 | 成员 | 承担单位
    pub role: String,
    pub status: String,
    pub status_label: String,
    pub granted: Option<String>,
    pub rating: Option<String>,
    pub rating_label: Option<String>,
    pub rated_on: Option<String>,
}

/// 履约记录: projects of an organization, or led or joined by a person, with their ratings.
#[derive(Debug, Clone, Default, PartialEq, Serialize, utoipa::ToSchema)]
pub struct TrackRecord {
    pub items: Vec<TrackRecordItem>,
    /// 在研
    pub active: i64,
    /// 已结题
    pub closed: i64,
    /// 终止 (including 赛马 eliminations)
    pub terminated: i64,
    pub excellent: i64,
    pub good: i64,
    pub pass: i64,
    pub fail: i64,
}

/// An attachment's record (the content is fetched separately).
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Attachment {
    pub id: i64,
    pub application_id: i64,
    /// application 申报材料 | execution 执行材料 | acceptance 验收材料
    pub kind: String,
    pub kind_label: String,
    pub file_name: String,
    pub sha256: String,
    pub size_bytes: i64,
    pub uploaded_at: i64,
}

pub fn rating_label(r: &str) -> &'static str {
    match r {
        "excellent" => "优秀",
        "good" => "良好",
        "pass" => "合格",
        "fail" => "不合格",
        _ => "",
    }
}

fn attachment_from_row(r: &sea_orm::QueryResult) -> StoreResult<Attachment> {
    let kind: String = get(r, "kind")?;
    Ok(Attachment {
        id: get(r, "id")?,
        application_id: get(r, "application_id")?,
        kind_label: AttachmentKind::parse(&kind)
            .map(|k| k.label().to_owned())
            .unwrap_or_default(),
        kind,
        file_name: get(r, "file_name")?,
        sha256: get(r, "sha256")?,
        size_bytes: get(r, "size_bytes")?,
        uploaded_at: get(r, "uploaded_at")?,
    })
}

pub(crate) async fn attachments_of<C: ConnectionTrait>(
    c: &C,
    application_id: i64,
) -> StoreResult<Vec<Attachment>> {
    let mut q = Query::select();
    q.columns([
        "id",
        "application_id",
        "kind",
        "file_name",
        "sha256",
        "size_bytes",
        "uploaded_at",
    ])
    .from("attachments")
    .and_where(Expr::col("application_id").eq(application_id))
    .order_by("id", Order::Asc);
    sql::fetch_all(c, &q)
        .await?
        .iter()
        .map(attachment_from_row)
        .collect()
}

/// The track record in `scope` of an organization's projects, or of those a person leads or
/// joins (`role` says which).
async fn track_record<C: ConnectionTrait>(
    c: &C,
    scope: &DataScope,
    org_id: Option<i64>,
    person_id: Option<i64>,
) -> StoreResult<TrackRecord> {
    let mut q = app_select();
    q.cond_where(sql::scope_condition(scope, APPS))
        // Drafts, withdrawn and refused applications are not projects.
        .and_where(Expr::col(("applications", "status")).is_in([
            "approved",
            "contracted",
            "in_progress",
            "mid_term",
            "acceptance",
            "closed",
            "terminated",
        ]))
        .order_by(("applications", "id"), Order::Desc);
    if let Some(o) = org_id {
        q.and_where(Expr::col(("applications", "org_id")).eq(o));
    }
    let mut rec = TrackRecord::default();
    for r in sql::fetch_all(c, &q).await? {
        let a = app_from_row(&r)?;
        let role = match person_id {
            Some(p) if p == a.leader_id => "负责人",
            Some(p) if a.team.contains(&p) => "成员",
            Some(_) => continue,
            None => "承担单位",
        };
        match a.status.as_str() {
            "closed" => rec.closed += 1,
            "terminated" => rec.terminated += 1,
            _ => rec.active += 1,
        }
        match a.rating.as_deref() {
            Some("excellent") => rec.excellent += 1,
            Some("good") => rec.good += 1,
            Some("pass") => rec.pass += 1,
            Some("fail") => rec.fail += 1,
            _ => {}
        }
        rec.items.push(TrackRecordItem {
            application_id: a.id,
            title: a.title,
            call_title: a.call_title,
            org_name: a.org_name,
            leader_name: a.leader_name,
            role: role.to_owned(),
            status: a.status,
            status_label: a.status_label,
            granted: a.granted,
            rating_label: a.rating.as_deref().map(|r| rating_label(r).to_owned()),
            rating: a.rating,
            rated_on: a.rated_on,
        });
    }
    Ok(rec)
}

impl Store {
    /// What the registry knows about an organization, for its application form.
    pub async fn applicant_profile(
        &self,
        scope: &DataScope,
        org_id: i64,
    ) -> StoreResult<ApplicantProfile> {
        let org = get_org(&self.db, scope, org_id).await?;
        let latest_year = self
            .list_enterprise_years(
                scope,
                &YearFilter {
                    org_id: Some(org_id),
                    sort: Some("year".into()),
                    order: Some(crate::sql::SortOrder::Desc),
                    ..YearFilter::default()
                },
                PageRequest::new(1, 1),
            )
            .await?
            .items
            .into_iter()
            .next();
        let platforms = self
            .list_platforms(
                scope,
                &PlatformFilter {
                    host_org_id: Some(org_id),
                    ..PlatformFilter::default()
                },
                PageRequest::new(1, 200),
            )
            .await?
            .items;
        let persons = self
            .list_persons(
                scope,
                &PersonFilter {
                    org_id: Some(org_id),
                    ..PersonFilter::default()
                },
                PageRequest::new(1, 500),
            )
            .await?
            .items;
        let mut q = Query::select();
        q.columns(["pack", "year", "qualified"])
            .from("rule_results")
            .and_where(crate::rule_results::current())
            .and_where(Expr::col("org_id").eq(org_id))
            .order_by("pack", Order::Asc)
            .order_by("year", Order::Desc);
        let mut titles: Vec<TitleHeld> = Vec::new();
        for r in sql::fetch_all(&self.db, &q).await? {
            let pack: String = get(&r, "pack")?;
            if titles.last().is_some_and(|t| t.pack == pack) {
                continue;
            }
            titles.push(TitleHeld {
                pack,
                year: get(&r, "year")?,
                qualified: get(&r, "qualified")?,
            });
        }
        let track_record = track_record(&self.db, scope, Some(org_id), None).await?;
        Ok(ApplicantProfile {
            org,
            latest_year,
            platforms,
            persons,
            titles,
            track_record,
        })
    }

    /// 履约记录 of an organization or of a person (as leader or team member), in scope.
    pub async fn track_record(
        &self,
        scope: &DataScope,
        org_id: Option<i64>,
        person_id: Option<i64>,
    ) -> StoreResult<TrackRecord> {
        if org_id.is_none() && person_id.is_none() {
            return Err(Invalid::one(
                "org_id",
                "track_record.subject",
                "请指定单位（org_id）或人员（person_id）",
            )
            .into());
        }
        track_record(&self.db, scope, org_id, person_id).await
    }

    /// The registry facts and attachment digests frozen at submission (一次报送), if submitted.
    pub async fn application_snapshot(
        &self,
        scope: &DataScope,
        id: i64,
    ) -> StoreResult<Option<serde_json::Value>> {
        get_app(&self.db, scope, id).await?;
        let mut q = Query::select();
        q.column("registry_snapshot")
            .from("applications")
            .and_where(Expr::col("id").eq(id));
        let row = sql::fetch_one(&self.db, &q)
            .await?
            .ok_or(StoreError::NotFound)?;
        get::<Option<String>>(&row, "registry_snapshot")?
            .map(|s| serde_json::from_str(&s).map_err(StoreError::corrupt))
            .transpose()
    }

    /// The snapshot taken at submission: the organization, its latest year, platforms and
    /// titles, the team as registered, and the attachments with their digests.
    pub(crate) async fn submission_snapshot(
        &self,
        app: &Application,
    ) -> StoreResult<serde_json::Value> {
        let p = self.applicant_profile(&DataScope::All, app.org_id).await?;
        let mut team = Vec::new();
        for id in std::iter::once(app.leader_id).chain(app.team.iter().copied()) {
            let person = self.get_person(&DataScope::All, id).await?;
            team.push(serde_json::json!({
                "id": person.id,
                "name": person.name,
                "role": if id == app.leader_id { "负责人" } else { "成员" },
                "org_name": person.org_name,
                "title": person.title,
                "disciplines": person.disciplines,
            }));
        }
        let attachments = attachments_of(&self.db, app.id).await?;
        Ok(serde_json::json!({
            "taken_at": now_ms(),
            "org": {
                "name": p.org.name,
                "credit_code": p.org.credit_code,
                "region_code": p.org.region_code,
                "region_name": p.org.region_name,
                "industry": p.org.industry,
                "size_class": p.org.size_class,
            },
            "latest_year": p.latest_year.map(|y| serde_json::json!({"year": y.year, "figures": y.figures})),
            "platforms": p.platforms.iter().map(|x| serde_json::json!({
                "name": x.name, "type": x.platform_type_label, "level": x.level_label,
                "recognized_on": x.recognized_on, "status": x.status_label,
            })).collect::<Vec<_>>(),
            "titles": p.titles,
            "team": team,
            "attachments": attachments.iter().map(|a| serde_json::json!({
                "file_name": a.file_name, "sha256": a.sha256, "size_bytes": a.size_bytes,
                "kind": a.kind,
            })).collect::<Vec<_>>(),
        }))
    }

    /// Attachments of an application in scope.
    pub async fn list_attachments(
        &self,
        scope: &DataScope,
        application_id: i64,
    ) -> StoreResult<Vec<Attachment>> {
        get_app(&self.db, scope, application_id).await?;
        attachments_of(&self.db, application_id).await
    }

    /// An attachment's record and content.
    pub async fn attachment_content(
        &self,
        scope: &DataScope,
        application_id: i64,
        attachment_id: i64,
    ) -> StoreResult<(Attachment, Vec<u8>)> {
        get_app(&self.db, scope, application_id).await?;
        let mut q = Query::select();
        q.columns([
            "id",
            "application_id",
            "kind",
            "file_name",
            "sha256",
            "size_bytes",
            "uploaded_at",
            "content",
        ])
        .from("attachments")
        .and_where(Expr::col("application_id").eq(application_id))
        .and_where(Expr::col("id").eq(attachment_id));
        let r = sql::fetch_one(&self.db, &q)
            .await?
            .ok_or(StoreError::NotFound)?;
        Ok((attachment_from_row(&r)?, get(&r, "content")?))
    }

    /// Add a checked PDF to an application of the caller's organization. What it is for
    /// follows the stage: 申报材料 while a draft (or returned), 执行材料 during execution,
    /// 验收材料 at acceptance; nothing can be added while the submission is under review or
    /// after closure. The same file twice is refused.
    pub async fn add_attachment(
        &self,
        caller: &Caller,
        application_id: i64,
        pdf: &CheckedPdf,
        content: &[u8],
    ) -> StoreResult<Attachment> {
        let mut tx = self.write(caller).await?;
        let app = get_app(tx.conn(), &caller.scope, application_id).await?;
        let Some(kind) = AttachmentKind::for_status(&app.status) else {
            return Err(StoreError::Conflict(kechuang_domain::FieldError::new(
                "file",
                "attachment.frozen",
                format!(
                    "项目当前为“{}”，不能上传附件：申报材料在提交时已固定（一次报送）",
                    app.status_label
                ),
            )));
        };
        if attachments_of(tx.conn(), application_id)
            .await?
            .iter()
            .any(|a| a.sha256 == pdf.sha256)
        {
            return Err(StoreError::Conflict(kechuang_domain::FieldError::new(
                "file",
                "attachment.duplicate",
                format!("“{}”与已上传的附件内容相同", pdf.file_name),
            )));
        }
        let id = tx.new_id().await?;
        let now = now_ms();
        let size = i64::try_from(pdf.size_bytes).map_err(StoreError::corrupt)?;
        let mut ins = Query::insert();
        ins.into_table("attachments")
            .columns([
                "id",
                "application_id",
                "kind",
                "file_name",
                "sha256",
                "size_bytes",
                "content",
                "uploaded_at",
                "uploaded_by",
            ])
            .values([
                id.into(),
                application_id.into(),
                kind.as_str().into(),
                pdf.file_name.clone().into(),
                pdf.sha256.clone().into(),
                size.into(),
                content.to_vec().into(),
                now.into(),
                caller.user_id.into(),
            ])
            .map_err(StoreError::corrupt)?;
        tx.conn().execute(&ins).await?;
        let a = Attachment {
            id,
            application_id,
            kind: kind.as_str().to_owned(),
            kind_label: kind.label().to_owned(),
            file_name: pdf.file_name.clone(),
            sha256: pdf.sha256.clone(),
            size_bytes: size,
            uploaded_at: now,
        };
        tx.note_parts("attach", &app, None, serde_json::to_value(&a).ok());
        tx.commit().await?;
        Ok(a)
    }

    /// Remove an attachment, only while it can still be replaced (a draft's 申报材料, or
    /// execution and acceptance material of the current stage).
    pub async fn remove_attachment(
        &self,
        caller: &Caller,
        application_id: i64,
        attachment_id: i64,
    ) -> StoreResult<()> {
        let mut tx = self.write(caller).await?;
        let app = get_app(tx.conn(), &caller.scope, application_id).await?;
        let list = attachments_of(tx.conn(), application_id).await?;
        let a = list
            .iter()
            .find(|a| a.id == attachment_id)
            .ok_or(StoreError::NotFound)?;
        if AttachmentKind::for_status(&app.status).map(AttachmentKind::as_str)
            != Some(a.kind.as_str())
        {
            return Err(StoreError::Conflict(kechuang_domain::FieldError::new(
                "file",
                "attachment.frozen",
                format!(
                    "“{}”是{}，项目当前为“{}”，不能删除",
                    a.file_name, a.kind_label, app.status_label
                ),
            )));
        }
        let mut del = Query::delete();
        del.from_table("attachments")
            .and_where(Expr::col("id").eq(attachment_id));
        tx.conn().execute(&del).await?;
        tx.note_parts("detach", &app, serde_json::to_value(a).ok(), None);
        tx.commit().await?;
        Ok(())
    }
}
