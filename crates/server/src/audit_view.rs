//! The audit log in an auditor's words: the entity and action by their Chinese names, and the
//! fields a change touched with their labels, before and after. Bookkeeping (timestamps,
//! who-stamps, internal paths) is left out: it changes on every write and says nothing.

use kechuang_store::audit::AuditEntry;
use serde::Serialize;

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct FieldChange {
    pub field: String,
    pub label: String,
    #[schema(value_type = Object)]
    pub before: serde_json::Value,
    #[schema(value_type = Object)]
    pub after: serde_json::Value,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct AuditView {
    #[serde(flatten)]
    pub entry: AuditEntry,
    pub entity_label: String,
    pub action_label: String,
    pub changes: Vec<FieldChange>,
}

const ENTITIES: &[(&str, &str)] = &[
    ("organization", "单位"),
    ("enterprise_year", "企业年度数据"),
    ("platform", "创新平台"),
    ("person", "人才专家"),
    ("user", "用户账号"),
    ("role", "角色"),
    ("session", "登录会话"),
    ("rule_result", "政策评价结果"),
    ("review_round", "评审轮次"),
    ("review_item", "评审对象"),
    ("review_assignment", "评审任务"),
    ("expert_profile", "专家设置"),
    ("person_link", "合作关系"),
    ("plan", "规划"),
    ("plan_target", "规划指标"),
    ("plan_task", "工作台账任务"),
    ("indicator_entry", "指标数据"),
    ("call", "项目指南"),
    ("application", "项目申报书"),
    ("demand", "企业技术需求"),
    ("sanction", "科研失信处理"),
    ("review_round_export", "评审结果"),
    ("tech_contract", "技术合同"),
    ("achievement", "科技成果"),
    ("tech_contract_stats", "技术合同统计"),
    ("tech_broker", "技术经纪人"),
    ("match_event", "对接活动"),
    ("request", "访问请求"),
    ("attachment", "附件"),
    ("task_book", "项目任务书"),
];

const ACTIONS: &[(&str, &str)] = &[
    ("create", "新增"),
    ("update", "修改"),
    ("delete", "删除"),
    ("import", "导入"),
    ("export", "导出"),
    ("login", "登录"),
    ("login_failed", "登录失败"),
    ("login_locked", "账号锁定"),
    ("login_refused", "登录被拒绝"),
    ("logout", "退出登录"),
    ("password", "修改密码"),
    ("transition", "办理"),
    ("panel", "会审决策"),
    ("score", "提交评分"),
    ("draft_scores", "暂存评分"),
    ("decline", "回避/拒绝"),
    ("publish", "发布"),
    ("close", "结束"),
    ("withdraw", "撤回"),
    ("assign", "分配专家"),
    ("assign_manual", "人工增加专家"),
    ("unassign", "人工移除专家"),
    ("remind", "催办"),
    ("run", "运行评价"),
    ("confirm", "确认"),
    ("merge", "合并"),
    ("adopt", "采纳"),
    ("milestone_check", "里程碑考核"),
    ("disburse", "经费拨付"),
    ("rate", "绩效评价"),
    ("ethics", "伦理审查备案"),
    ("attach", "上传附件"),
    ("detach", "删除附件"),
    ("add_items", "添加评审对象"),
    ("import_update", "导入更新"),
    ("move_region", "变更行政区划"),
    ("submit", "提交"),
    ("register", "认定登记"),
    ("first_review", "初审通过（待复核）"),
    ("return", "退回补正"),
    ("refuse", "不予登记"),
    ("download", "下载"),
    ("access_refused", "访问被拒绝"),
    ("object", "提出异议"),
    ("resolve", "处理异议"),
    ("list", "挂牌"),
    ("deal", "登记成交"),
    ("outcome", "登记对接成效"),
];

/// Labels of a kind's own fields where the shared name means something else.
const TECH_CONTRACT_FIELDS: &[(&str, &str)] = &[
    ("contract_no", "合同编号"),
    ("subject", "项目名称"),
    ("category", "合同类别"),
    ("category_label", "合同类别"),
    ("category_text", "合同类别（申请填写）"),
    ("subcategory", "合同子类"),
    ("form", "合同形式"),
    ("field", "技术领域"),
    ("ip_kind", "知识产权类型"),
    ("seller_name", "卖方"),
    ("buyer_name", "买方"),
    ("buyer_credit_code", "买方统一社会信用代码"),
    ("buyer_region_code", "买方所在地"),
    ("total_amount", "合同成交额"),
    ("non_tech_amount", "非技术性费用"),
    ("carrier_amount", "合理数量标的物的直接成本"),
    ("technical_amount", "核定技术交易额"),
    ("signed_on", "签订日期"),
    ("valid_from", "有效期起"),
    ("valid_to", "有效期止"),
    ("submitted_on", "受理日期"),
    ("due_on", "办结期限"),
    ("decided_on", "登记日期"),
    ("registration_no", "登记编号"),
    ("decision", "登记决定"),
    ("reasons", "决定理由"),
    ("explanation_text", "规则说明"),
    ("second_review", "大额复核"),
    ("corrected", "已退回补正"),
    ("findings", "审查意见"),
    ("note", "审核意见"),
    ("file_name", "合同文本"),
    ("file_sha256", "合同文本SHA-256"),
    ("broker_name", "技术经纪人"),
];

/// Field labels shared by the registries and modules; a field not listed is shown as 其他内容.
const FIELDS: &[(&str, &str)] = &[
    ("name", "名称"),
    ("certificate_no", "证书编号"),
    ("areas", "服务领域"),
    ("held_on", "活动日期"),
    ("place", "活动地点"),
    ("organizer", "主办单位"),
    ("achievement_ids", "对接成果"),
    ("demand_ids", "对接需求"),
    ("broker_ids", "参与经纪人"),
    ("org_ids", "参会单位"),
    ("outcome", "对接成效"),
    ("intents", "意向数"),
    ("contract_ids", "签约合同"),
    ("outcome_note", "成效说明"),
    ("title", "名称"),
    ("status", "状态"),
    ("credit_code", "统一社会信用代码"),
    ("kind", "类型"),
    ("industry", "所属行业"),
    ("region_code", "行政区划"),
    ("size_class", "企业规模"),
    ("address", "地址"),
    ("contact", "联系人"),
    ("phone", "联系电话"),
    ("founded_on", "成立日期"),
    ("year", "年度"),
    ("figures", "年度数据"),
    ("level", "级别"),
    ("platform_type", "平台类型"),
    ("host_org_id", "依托单位"),
    ("approved_on", "认定日期"),
    ("recognized_on", "认定日期"),
    ("approval_document", "批准文号"),
    ("legal_representative", "法定代表人"),
    ("has_id_number", "身份证号已登记"),
    ("user_id", "关联账号"),
    ("username", "账号"),
    ("permissions", "权限"),
    ("org_id", "所在单位"),
    ("disciplines", "学科领域"),
    ("keywords", "研究方向/关键词"),
    ("is_expert", "是否专家"),
    ("talent_programme", "人才计划"),
    ("title_level", "职称级别"),
    ("display_name", "姓名"),
    ("roles", "角色"),
    ("scope_kind", "数据范围"),
    ("must_change_password", "须修改密码"),
    ("locked_until", "锁定至"),
    ("budget", "预算"),
    ("budget_total", "预算合计"),
    ("milestones", "里程碑"),
    ("integrity_pledge", "科研诚信承诺"),
    ("leader_id", "项目负责人"),
    ("team", "项目组成员"),
    ("granted", "批准经费"),
    ("rating", "绩效评价"),
    ("rating_note", "评价意见"),
    ("answers", "指南要求的栏目"),
    ("ethics_required", "需伦理审查"),
    ("ethics_registration", "伦理审查备案号"),
    ("predecessor_id", "前期项目"),
    ("opens_on", "开始日期"),
    ("closes_on", "截止日期"),
    ("category", "计划类别"),
    ("mode", "组织方式"),
    ("withdraw_reason", "撤回理由"),
    ("eligibility", "申报条件"),
    ("scores", "评分"),
    ("total", "总分"),
    ("comment", "评审意见"),
    ("draft", "暂存评分"),
    ("decline_reason", "回避/拒绝理由"),
    ("due_on", "截止日期"),
    ("reviewers_per_item", "每项专家数"),
    ("max_load", "每位专家最多评审数"),
    ("form", "评分表"),
    ("responsible_units", "责任单位"),
    ("deadline", "完成时限"),
    ("progress", "进度"),
    ("value", "数值"),
    ("source", "数据来源"),
    ("target", "目标值"),
    ("measure", "处理措施"),
    ("starts_on", "开始日期"),
    ("ends_on", "结束日期"),
    ("reason", "理由"),
    ("paid", "已拨付"),
    ("rows", "行数"),
    ("summary", "成果简介"),
    ("trl", "技术就绪度"),
    ("area", "技术领域"),
    ("modes", "转化方式"),
    ("ip", "知识产权"),
    ("asking_price", "挂牌价格"),
    ("negotiable", "面议"),
    ("notice_start", "公示开始"),
    ("notice_end", "公示截止"),
    ("notice_days", "公示期（日）"),
    ("open_objections", "未处理异议"),
    ("return_reason", "退回/下架理由"),
    ("objection", "异议"),
    ("listed_on", "挂牌日期"),
    ("closed_on", "成交/下架日期"),
];

/// Bookkeeping that changes on every write.
const STAMPS: &[&str] = &[
    "id",
    "updated_at",
    "created_at",
    "updated_by",
    "created_by",
    "region_path",
    "submitted_at",
    "actions",
    "can_disburse",
    "can_check_milestone",
    "status_label",
    "region_name",
    "org_name",
    "kind_label",
    "platform_type_label",
    "level_label",
    "host_org_name",
    "title_level_label",
    "leader_name",
    "call_title",
    "call_mode",
    "subcategory_label",
    "form_label",
    "field_label",
    "ip_kind_label",
    "seller_region_name",
    "buyer_region_name",
    "seller_org_id",
    "seller_credit_code",
    "seller_region_code",
    "area_label",
    "trl_label",
    "mode_labels",
    "owner_name",
    "objections",
];

fn label_of(table: &[(&str, &'static str)], key: &str) -> Option<&'static str> {
    table.iter().find(|(k, _)| *k == key).map(|(_, v)| *v)
}

/// The labelled view of one entry.
pub fn view(entry: AuditEntry) -> AuditView {
    let parse = |s: &Option<String>| {
        s.as_deref()
            .and_then(|t| serde_json::from_str::<serde_json::Value>(t).ok())
            .unwrap_or(serde_json::Value::Null)
    };
    let (before, after) = (parse(&entry.before_json), parse(&entry.after_json));
    let mut keys: Vec<&String> = before
        .as_object()
        .into_iter()
        .chain(after.as_object())
        .flat_map(|o| o.keys())
        .filter(|k| !STAMPS.contains(&k.as_str()))
        .collect();
    keys.sort();
    keys.dedup();
    let changes = keys
        .into_iter()
        .filter_map(|k| {
            let (b, a) = (&before[k.as_str()], &after[k.as_str()]);
            (b != a).then(|| FieldChange {
                field: k.clone(),
                label: match (entry.entity.as_str(), k.as_str()) {
                    ("person", "title") => "职称",
                    ("tech_contract", f) => label_of(TECH_CONTRACT_FIELDS, f)
                        .or_else(|| label_of(FIELDS, f))
                        .unwrap_or("其他内容"),
                    _ => label_of(FIELDS, k).unwrap_or("其他内容"),
                }
                .to_owned(),
                before: b.clone(),
                after: a.clone(),
            })
        })
        .collect();
    AuditView {
        entity_label: label_of(ENTITIES, &entry.entity)
            .unwrap_or("其他记录")
            .to_owned(),
        action_label: label_of(ACTIONS, &entry.action)
            .unwrap_or("其他操作")
            .to_owned(),
        changes,
        entry,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_change_lists_the_fields_it_touched_by_label_without_stamps() {
        let e = AuditEntry {
            seq: 1,
            at: 0,
            actor_id: None,
            actor: "jiyuan".into(),
            action: "update".into(),
            entity: "application".into(),
            entity_id: "7".into(),
            region_path: None,
            org_id: None,
            before_json: Some(r#"{"title":"甲","status":"draft","updated_at":1}"#.into()),
            after_json: Some(r#"{"title":"乙","status":"draft","updated_at":2}"#.into()),
            prev_hash: String::new(),
            hash: String::new(),
            client_addr: None,
        };
        let v = view(e);
        assert_eq!(v.entity_label, "项目申报书");
        assert_eq!(v.action_label, "修改");
        assert_eq!(v.changes.len(), 1, "{:?}", v.changes);
        assert_eq!(v.changes[0].label, "名称");
        assert_eq!(v.changes[0].after, serde_json::json!("乙"));
    }
}
