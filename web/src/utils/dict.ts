// Closed vocabularies of the API (wire value → 中文), mirroring the domain's labeled enums.
// `type` is the el-tag colour a value is shown in (DictTag); values without one show as text.
export type TagType = 'primary' | 'success' | 'warning' | 'danger' | 'info'
export type Dict = { value: string; label: string; type?: TagType }[]

export const ORG_KINDS: Dict = [
  { value: 'enterprise', label: '企业', type: 'primary' },
  { value: 'university', label: '高等院校', type: 'success' },
  { value: 'institute', label: '科研院所', type: 'warning' },
  { value: 'hospital', label: '医疗卫生机构', type: 'danger' },
  { value: 'service_agency', label: '科技服务机构', type: 'info' },
  { value: 'financial', label: '金融机构', type: 'warning' },
  { value: 'other', label: '其他', type: 'info' },
]
export const SIZE_CLASSES: Dict = [
  { value: 'large', label: '大型' },
  { value: 'medium', label: '中型' },
  { value: 'small', label: '小型' },
  { value: 'micro', label: '微型' },
]
export const PLATFORM_TYPES: Dict = [
  { value: 'key_laboratory', label: '重点实验室' },
  { value: 'engineering_research_center', label: '工程技术研究中心' },
  { value: 'enterprise_tech_center', label: '企业技术中心' },
  { value: 'new_rd_institution', label: '新型研发机构' },
  { value: 'pilot_base', label: '中试基地' },
  { value: 'tech_innovation_center', label: '技术创新中心' },
  { value: 'industry_research_institute', label: '产业研究院' },
  { value: 'incubator', label: '科技企业孵化器' },
  { value: 'maker_space', label: '众创空间' },
  { value: 'star_innovation_base', label: '星创天地' },
  { value: 'university_science_park', label: '大学科技园' },
  { value: 'academician_workstation', label: '院士工作站' },
  { value: 'scholar_workstation', label: '中原学者工作站' },
  { value: 'commissioner_station', label: '科技特派员工作站' },
]
export const PLATFORM_LEVELS: Dict = [
  { value: 'internal', label: '企业内部', type: 'info' },
  { value: 'county', label: '县级', type: 'success' },
  { value: 'city', label: '市级', type: 'primary' },
  { value: 'provincial', label: '省级', type: 'warning' },
  { value: 'national', label: '国家级', type: 'danger' },
]
export const PLATFORM_STATUS: Dict = [
  { value: 'active', label: '有效', type: 'success' },
  { value: 'cultivating', label: '培育', type: 'primary' },
  { value: 'suspended', label: '整改', type: 'warning' },
  { value: 'revoked', label: '撤销', type: 'danger' },
]
export const TITLE_LEVELS: Dict = [
  { value: 'senior', label: '正高级' },
  { value: 'associate_senior', label: '副高级' },
  { value: 'intermediate', label: '中级' },
  { value: 'junior', label: '初级' },
  { value: 'none', label: '无' },
]
export const SCOPE_KINDS: Dict = [
  { value: 'all', label: '全部数据' },
  { value: 'region', label: '本行政区划及以下' },
  { value: 'organization', label: '本单位' },
  { value: 'self', label: '仅本人' },
]
export const USER_STATUS: Dict = [
  { value: 'active', label: '正常', type: 'success' },
  { value: 'disabled', label: '停用', type: 'danger' },
]
// The audit log's vocabularies, as the server labels its entries (crates/server audit_view.rs).
export const AUDIT_ACTIONS: Dict = [
  { value: 'create', label: '新增', type: 'success' },
  { value: 'update', label: '修改', type: 'primary' },
  { value: 'delete', label: '删除', type: 'danger' },
  { value: 'import', label: '导入', type: 'warning' },
  { value: 'import_update', label: '导入更新', type: 'warning' },
  { value: 'export', label: '导出', type: 'info' },
  { value: 'login', label: '登录', type: 'info' },
  { value: 'login_failed', label: '登录失败', type: 'danger' },
  { value: 'login_locked', label: '账号锁定', type: 'danger' },
  { value: 'login_refused', label: '登录被拒绝', type: 'danger' },
  { value: 'access_refused', label: '访问被拒绝', type: 'danger' },
  { value: 'logout', label: '退出登录', type: 'info' },
  { value: 'password', label: '修改密码', type: 'warning' },
  { value: 'move_region', label: '变更行政区划', type: 'warning' },
  { value: 'transition', label: '办理', type: 'primary' },
  { value: 'panel', label: '会审决策', type: 'primary' },
  { value: 'publish', label: '发布', type: 'success' },
  { value: 'withdraw', label: '撤回', type: 'warning' },
  { value: 'close', label: '结束', type: 'info' },
  { value: 'score', label: '提交评分', type: 'primary' },
  { value: 'draft_scores', label: '暂存评分', type: 'info' },
  { value: 'decline', label: '回避/拒绝', type: 'warning' },
  { value: 'assign', label: '分配专家', type: 'primary' },
  { value: 'assign_manual', label: '人工增加专家', type: 'primary' },
  { value: 'unassign', label: '人工移除专家', type: 'warning' },
  { value: 'add_items', label: '添加评审对象', type: 'primary' },
  { value: 'remind', label: '催办', type: 'info' },
  { value: 'run', label: '运行评价', type: 'primary' },
  { value: 'confirm', label: '确认', type: 'success' },
  { value: 'merge', label: '合并', type: 'primary' },
  { value: 'adopt', label: '采纳', type: 'success' },
  { value: 'milestone_check', label: '里程碑考核', type: 'primary' },
  { value: 'disburse', label: '经费拨付', type: 'warning' },
  { value: 'rate', label: '绩效评价', type: 'primary' },
  { value: 'ethics', label: '伦理审查备案', type: 'info' },
  { value: 'attach', label: '上传附件', type: 'info' },
  { value: 'detach', label: '删除附件', type: 'danger' },
  { value: 'submit', label: '提交', type: 'primary' },
  { value: 'register', label: '认定登记', type: 'success' },
  { value: 'first_review', label: '初审通过（待复核）', type: 'primary' },
  { value: 'return', label: '退回补正', type: 'warning' },
  { value: 'refuse', label: '不予登记', type: 'danger' },
  { value: 'download', label: '下载', type: 'info' },
  { value: 'object', label: '提出异议', type: 'warning' },
  { value: 'resolve', label: '处理异议', type: 'primary' },
  { value: 'list', label: '挂牌', type: 'success' },
  { value: 'deal', label: '登记成交', type: 'success' },
  { value: 'notice', label: '发起公示', type: 'warning' },
  { value: 'approve', label: '批准', type: 'success' },
  { value: 'pay', label: '拨付', type: 'warning' },
  { value: 'resolve_objection', label: '处理异议', type: 'primary' },
  { value: 'issue', label: '发放创新券', type: 'success' },
  { value: 'complete', label: '服务完成', type: 'primary' },
  { value: 'redeem', label: '兑付', type: 'warning' },
  { value: 'use', label: '登记使用', type: 'primary' },
  { value: 'cancel', label: '取消', type: 'info' },
  { value: 'default', label: '风险代偿', type: 'danger' },
  { value: 'repay', label: '结清', type: 'success' },
]
export const AUDIT_ENTITIES: Dict = [
  { value: 'organization', label: '单位' },
  { value: 'enterprise_year', label: '企业年度数据' },
  { value: 'platform', label: '创新平台' },
  { value: 'person', label: '人才专家' },
  { value: 'user', label: '用户账号' },
  { value: 'role', label: '角色' },
  { value: 'session', label: '登录会话' },
  { value: 'rule_result', label: '政策评价结果' },
  { value: 'review_round', label: '评审轮次' },
  { value: 'review_item', label: '评审对象' },
  { value: 'review_assignment', label: '评审任务' },
  { value: 'expert_profile', label: '专家设置' },
  { value: 'person_link', label: '合作关系' },
  { value: 'plan', label: '规划' },
  { value: 'plan_target', label: '规划指标' },
  { value: 'plan_task', label: '工作台账任务' },
  { value: 'indicator_entry', label: '指标数据' },
  { value: 'call', label: '项目指南' },
  { value: 'application', label: '项目申报书' },
  { value: 'demand', label: '企业技术需求' },
  { value: 'sanction', label: '科研失信处理' },
  { value: 'review_round_export', label: '评审结果' },
  { value: 'tech_contract', label: '技术合同' },
  { value: 'achievement', label: '科技成果' },
  { value: 'fund_programme', label: '资金项目' },
  { value: 'fund_grant', label: '资金安排' },
  { value: 'fund_payment', label: '资金拨付' },
  { value: 'service_provider', label: '创新券服务机构' },
  { value: 'voucher', label: '科技创新券' },
  { value: 'voucher_order', label: '创新券服务订单' },
  { value: 'instrument', label: '大型科研仪器' },
  { value: 'instrument_booking', label: '仪器预约' },
  { value: 'loan', label: '科技贷' },
  { value: 'pool_entry', label: '风险补偿资金池收支' },
]
/** Built-in roles (crates/store accounts::BUILTIN_ROLES): /roles is for administrators only. */
export const ROLES: Dict = [
  { value: 'admin', label: '系统管理员', type: 'danger' },
  { value: 'security', label: '安全管理员', type: 'warning' },
  { value: 'auditor', label: '审计管理员', type: 'warning' },
  { value: 'officer', label: '科技局业务人员', type: 'primary' },
  { value: 'leader', label: '科技局领导', type: 'success' },
  { value: 'enterprise', label: '企业/单位用户', type: 'info' },
  { value: 'expert', label: '专家', type: 'info' },
  { value: 'registrar', label: '技术合同登记员', type: 'primary' },
]
export const YES_NO: Dict = [
  { value: 'true', label: '是', type: 'success' },
  { value: 'false', label: '否', type: 'info' },
]
export const PERMISSIONS: Dict = [
  { value: '*', label: '全部权限' },
  { value: 'org:read', label: '查看单位' },
  { value: 'org:write', label: '维护单位' },
  { value: 'org:add', label: '新增单位' },
  { value: 'org:remove', label: '删除单位' },
  { value: 'year:read', label: '查看企业年度数据' },
  { value: 'year:write', label: '维护企业年度数据' },
  { value: 'platform:read', label: '查看创新平台' },
  { value: 'platform:write', label: '维护创新平台' },
  { value: 'platform:add', label: '新增创新平台' },
  { value: 'platform:remove', label: '删除创新平台' },
  { value: 'person:read', label: '查看人才专家' },
  { value: 'person:write', label: '维护人才专家' },
  { value: 'person:add', label: '新增人才专家' },
  { value: 'person:remove', label: '删除人才专家' },
  { value: 'import', label: '导入' },
  { value: 'export', label: '导出' },
  { value: 'region:read', label: '查看行政区划' },
  { value: 'user:read', label: '查看用户' },
  { value: 'user:write', label: '管理用户' },
  { value: 'audit:read', label: '查看审计日志' },
  { value: 'rules:read', label: '查看政策评价结果' },
  { value: 'rules:run', label: '运行政策评价' },
  { value: 'review:read', label: '查看专家评审' },
  { value: 'review:manage', label: '组织专家评审' },
  { value: 'review:score', label: '评审打分' },
  { value: 'plan:read', label: '查看规划监测' },
  { value: 'plan:write', label: '维护规划监测' },
  { value: 'project:read', label: '查看科技计划项目' },
  { value: 'project:manage', label: '管理科技计划项目' },
  { value: 'project:apply', label: '申报科技计划项目' },
  { value: 'contract:read', label: '查看技术合同' },
  { value: 'contract:apply', label: '申请技术合同登记' },
  { value: 'contract:register', label: '技术合同认定登记' },
  { value: 'market:read', label: '查看技术市场' },
  { value: 'market:publish', label: '发布科技成果' },
  { value: 'market:manage', label: '审核科技成果' },
  { value: 'funds:read', label: '查看资金与服务' },
  { value: 'funds:apply', label: '申领资金与服务' },
  { value: 'funds:manage', label: '管理资金项目与拨付' },
]

// ----- 资金与服务 (crates/domain/src/funds.rs labeled_enum! blocks; GET /funds/dicts) -----
/** 资金项目类别 */
export const FUND_KINDS: Dict = [
  { value: 'reward', label: '科技奖补', type: 'danger' },
  { value: 'voucher', label: '科技创新券', type: 'primary' },
  { value: 'instrument', label: '仪器共享后补助', type: 'success' },
  { value: 'interest', label: '科技贷贴息', type: 'warning' },
  { value: 'insurance', label: '科技保险补贴', type: 'info' },
  { value: 'compensation', label: '科技贷风险补偿', type: 'warning' },
  { value: 'commissioner', label: '科技特派员工作经费', type: 'success' },
  { value: 'talent', label: '人才补贴', type: 'danger' },
  { value: 'other', label: '其他资金项目', type: 'info' },
]
/** 支持方式 */
export const FUND_MODES: Dict = [
  { value: 'apply', label: '申报制', type: 'info' },
  { value: 'auto', label: '免申即享', type: 'success' },
]
/** 资金项目状态 */
export const PROGRAMME_STATUS: Dict = [
  { value: 'draft', label: '筹备中', type: 'info' },
  { value: 'open', label: '实施中', type: 'success' },
  { value: 'closed', label: '已结束', type: 'warning' },
]
/** 资金安排状态: proposed → noticed → approved → paid; refused before payment. */
export const GRANT_STATUS: Dict = [
  { value: 'proposed', label: '拟支持', type: 'info' },
  { value: 'noticed', label: '公示中', type: 'warning' },
  { value: 'approved', label: '已批准', type: 'primary' },
  { value: 'paid', label: '已拨付', type: 'success' },
  { value: 'refused', label: '不予支持', type: 'danger' },
]
/** 科技服务类型 (创新券) */
export const SERVICE_TYPES: Dict = [
  { value: 'testing', label: '检验检测', type: 'primary' },
  { value: 'research', label: '研究开发', type: 'primary' },
  { value: 'design', label: '研发设计', type: 'primary' },
  { value: 'ip', label: '知识产权', type: 'warning' },
  { value: 'transfer', label: '技术转移', type: 'success' },
  { value: 'consulting', label: '科技咨询', type: 'info' },
  { value: 'instrument', label: '大型仪器共享', type: 'success' },
  { value: 'computing', label: '绿色算力', type: 'info' },
  { value: 'finance', label: '科技金融服务', type: 'warning' },
]
/** 服务机构状态 */
export const PROVIDER_STATUS: Dict = [
  { value: 'registered', label: '已入库', type: 'success' },
  { value: 'suspended', label: '暂停服务', type: 'danger' },
]
/** 创新券状态 */
export const VOUCHER_STATUS: Dict = [
  { value: 'applied', label: '待审核', type: 'warning' },
  { value: 'issued', label: '已发放', type: 'success' },
  { value: 'refused', label: '未通过', type: 'danger' },
  { value: 'used', label: '已用完', type: 'primary' },
  { value: 'expired', label: '已过期', type: 'info' },
]
/** 服务订单状态 */
export const ORDER_STATUS: Dict = [
  { value: 'placed', label: '服务中', type: 'primary' },
  { value: 'completed', label: '待兑付', type: 'warning' },
  { value: 'redeemed', label: '已兑付', type: 'success' },
  { value: 'cancelled', label: '已取消', type: 'info' },
]
/** 仪器开放状态 */
export const INSTRUMENT_STATUS: Dict = [
  { value: 'open', label: '对外开放', type: 'success' },
  { value: 'internal', label: '仅内部使用', type: 'info' },
  { value: 'repair', label: '维修中', type: 'warning' },
  { value: 'retired', label: '已报废', type: 'danger' },
]
/** 预约状态 */
export const BOOKING_STATUS: Dict = [
  { value: 'booked', label: '已预约', type: 'primary' },
  { value: 'used', label: '已使用', type: 'success' },
  { value: 'cancelled', label: '已取消', type: 'info' },
]
/** 贷款状态 */
export const LOAN_STATUS: Dict = [
  { value: 'active', label: '在贷', type: 'primary' },
  { value: 'repaid', label: '已结清', type: 'success' },
  { value: 'defaulted', label: '已代偿', type: 'danger' },
]
/** 风险补偿资金池收支类别 */
export const POOL_KINDS: Dict = [
  { value: 'deposit', label: '财政注资', type: 'success' },
  { value: 'compensation', label: '风险补偿', type: 'danger' },
  { value: 'recovery', label: '追偿回收', type: 'primary' },
]
/** 科技保险险种 (保费补贴申报; the tech-insurance pack supports all but 其他险种) */
export const INSURANCE_PRODUCTS: Dict = [
  { value: 'rd_liability', label: '研发责任保险', type: 'primary' },
  { value: 'key_equipment', label: '关键研发设备保险', type: 'primary' },
  { value: 'product_quality', label: '产品质量保证保险', type: 'success' },
  { value: 'loan_guarantee', label: '小额贷款保证保险', type: 'warning' },
  { value: 'export_credit', label: '出口信用保险', type: 'warning' },
  { value: 'challenge', label: '揭榜险', type: 'danger' },
  { value: 'other', label: '其他险种', type: 'info' },
]

export function label(d: Dict, v: string | null | undefined): string {
  if (v === null || v === undefined || v === '') return ''
  return d.find((x) => x.value === v)?.label ?? v
}

export function tagType(d: Dict, v: string | null | undefined): TagType | undefined {
  return d.find((x) => x.value === v)?.type
}


// ----- GB/T 4754-2017 国民经济行业分类: 门类, 大类, and the 小类 the registry uses -----
export const INDUSTRY_SECTIONS: Dict = [
  { value: 'A', label: '农、林、牧、渔业' },
  { value: 'B', label: '采矿业' },
  { value: 'C', label: '制造业' },
  { value: 'D', label: '电力、热力、燃气及水生产和供应业' },
  { value: 'E', label: '建筑业' },
  { value: 'F', label: '批发和零售业' },
  { value: 'G', label: '交通运输、仓储和邮政业' },
  { value: 'H', label: '住宿和餐饮业' },
  { value: 'I', label: '信息传输、软件和信息技术服务业' },
  { value: 'J', label: '金融业' },
  { value: 'K', label: '房地产业' },
  { value: 'L', label: '租赁和商务服务业' },
  { value: 'M', label: '科学研究和技术服务业' },
  { value: 'N', label: '水利、环境和公共设施管理业' },
  { value: 'O', label: '居民服务、修理和其他服务业' },
  { value: 'P', label: '教育' },
  { value: 'Q', label: '卫生和社会工作' },
  { value: 'R', label: '文化、体育和娱乐业' },
  { value: 'S', label: '公共管理、社会保障和社会组织' },
  { value: 'T', label: '国际组织' },
]

/** 大类 by their two digits, in order; each belongs to the 门类 whose range holds it. */
const DIVISIONS: [string, string][] = [
  ['01', '农业'], ['02', '林业'], ['03', '畜牧业'], ['04', '渔业'], ['05', '农、林、牧、渔专业及辅助性活动'],
  ['06', '煤炭开采和洗选业'], ['07', '石油和天然气开采业'], ['08', '黑色金属矿采选业'], ['09', '有色金属矿采选业'],
  ['10', '非金属矿采选业'], ['11', '开采专业及辅助性活动'], ['12', '其他采矿业'],
  ['13', '农副食品加工业'], ['14', '食品制造业'], ['15', '酒、饮料和精制茶制造业'], ['16', '烟草制品业'], ['17', '纺织业'],
  ['18', '纺织服装、服饰业'], ['19', '皮革、毛皮、羽毛及其制品和制鞋业'], ['20', '木材加工和木、竹、藤、棕、草制品业'],
  ['21', '家具制造业'], ['22', '造纸和纸制品业'], ['23', '印刷和记录媒介复制业'], ['24', '文教、工美、体育和娱乐用品制造业'],
  ['25', '石油、煤炭及其他燃料加工业'], ['26', '化学原料和化学制品制造业'], ['27', '医药制造业'], ['28', '化学纤维制造业'],
  ['29', '橡胶和塑料制品业'], ['30', '非金属矿物制品业'], ['31', '黑色金属冶炼和压延加工业'], ['32', '有色金属冶炼和压延加工业'],
  ['33', '金属制品业'], ['34', '通用设备制造业'], ['35', '专用设备制造业'], ['36', '汽车制造业'],
  ['37', '铁路、船舶、航空航天和其他运输设备制造业'], ['38', '电气机械和器材制造业'], ['39', '计算机、通信和其他电子设备制造业'],
  ['40', '仪器仪表制造业'], ['41', '其他制造业'], ['42', '废弃资源综合利用业'], ['43', '金属制品、机械和设备修理业'],
  ['44', '电力、热力生产和供应业'], ['45', '燃气生产和供应业'], ['46', '水的生产和供应业'],
  ['47', '房屋建筑业'], ['48', '土木工程建筑业'], ['49', '建筑安装业'], ['50', '建筑装饰、装修和其他建筑业'],
  ['51', '批发业'], ['52', '零售业'],
  ['53', '铁路运输业'], ['54', '道路运输业'], ['55', '水上运输业'], ['56', '航空运输业'], ['57', '管道运输业'],
  ['58', '多式联运和运输代理业'], ['59', '装卸搬运和仓储业'], ['60', '邮政业'],
  ['61', '住宿业'], ['62', '餐饮业'],
  ['63', '电信、广播电视和卫星传输服务'], ['64', '互联网和相关服务'], ['65', '软件和信息技术服务业'],
  ['66', '货币金融服务'], ['67', '资本市场服务'], ['68', '保险业'], ['69', '其他金融业'],
  ['70', '房地产业'],
  ['71', '租赁业'], ['72', '商务服务业'],
  ['73', '研究和试验发展'], ['74', '专业技术服务业'], ['75', '科技推广和应用服务业'],
  ['76', '水利管理业'], ['77', '生态保护和环境治理业'], ['78', '公共设施管理业'], ['79', '土地管理业'],
  ['80', '居民服务业'], ['81', '机动车、电子产品和日用产品修理业'], ['82', '其他服务业'],
  ['83', '教育'],
  ['84', '卫生'], ['85', '社会工作'],
  ['86', '新闻和出版业'], ['87', '广播、电视、电影和录音制作业'], ['88', '文化艺术业'], ['89', '体育'], ['90', '娱乐业'],
  ['91', '中国共产党机关'], ['92', '国家机构'], ['93', '人民政协、民主党派'], ['94', '社会保障'],
  ['95', '群众团体、社会团体和其他成员组织'], ['96', '基层群众自治组织及其他组织'],
  ['97', '国际组织'],
]
/** The first 大类 of each 门类. */
const SECTION_STARTS: [string, string][] = [
  ['A', '01'], ['B', '06'], ['C', '13'], ['D', '44'], ['E', '47'], ['F', '51'], ['G', '53'], ['H', '61'], ['I', '63'], ['J', '66'],
  ['K', '70'], ['L', '71'], ['M', '73'], ['N', '76'], ['O', '80'], ['P', '83'], ['Q', '84'], ['R', '86'], ['S', '91'], ['T', '97'],
]
function sectionOf(division: string): string {
  let out = 'A'
  for (const [s, first] of SECTION_STARTS) if (division >= first) out = s
  return out
}

/** 大类 as select options, grouped by 门类: value `C32` (the registry filters by code prefix). */
export const INDUSTRY_DIVISIONS: { section: string; label: string; options: Dict }[] = INDUSTRY_SECTIONS.map((s) => ({
  section: s.value,
  label: s.label,
  options: DIVISIONS.filter(([d]) => sectionOf(d) === s.value).map(([d, name]) => ({ value: `${s.value}${d}`, label: name })),
}))

/** 小类 of the registry's enterprises (the 济源 industry mix), by full code. */
const CLASSES: Record<string, string> = {
  C1469: '其他调味品、发酵制品制造', C2614: '有机化学原料制造', C2661: '化学试剂和助剂制造', C2710: '化学药品原料药制造',
  C2929: '塑料零件及其他塑料制品制造', C3011: '水泥制造', C3110: '炼铁', C3130: '钢压延加工', C3211: '铜冶炼',
  C3212: '铅锌冶炼', C3216: '铝冶炼', C3360: '金属表面处理及热处理加工', C3441: '泵及真空设备制造', C3599: '其他专用设备制造',
  C3831: '电线、电缆制造', C3985: '电子专用材料制造', C4220: '非金属废料和碎屑加工处理', D4411: '火力发电',
  I6513: '应用软件开发', M7320: '工程和技术研究和试验发展', M7520: '知识产权服务', M7530: '科技中介服务',
  N7721: '水污染治理', N7722: '大气污染治理', P8341: '普通高等教育', Q8411: '综合医院',
}

/** The most specific name known for an industry code (小类, else its 大类, else 门类); '' if none. */
export function industryName(code: string | null | undefined): string {
  if (!code) return ''
  const c = code.toUpperCase()
  if (CLASSES[c]) return CLASSES[c]
  const division = DIVISIONS.find(([d]) => d === c.slice(1, 3))
  if (division && c.length >= 3) return division[1]
  return INDUSTRY_SECTIONS.find((s) => s.value === c[0])?.label ?? ''
}

/** "铜冶炼（C3211）"; the bare code when it is not a GB/T 4754 code; '—' for none. */
export function industryLabel(code: string | null | undefined): string {
  if (!code) return '—'
  const name = industryName(code)
  return name ? `${name}（${code}）` : code
}

// ----- 人才与特派员 (/people) -----
/** 科技特派员类型 */
export const COMMISSIONER_KINDS: Dict = [
  { value: 'individual', label: '个人科技特派员', type: 'primary' },
  { value: 'team', label: '科技特派员服务团', type: 'success' },
  { value: 'legal', label: '法人科技特派员', type: 'warning' },
]
/** 资助类别 */
export const COMMISSIONER_FUNDINGS: Dict = [
  { value: 'provincial', label: '省资助', type: 'danger' },
  { value: 'county_provincial', label: '县选省资助', type: 'warning' },
  { value: 'city_county', label: '市县资助', type: 'primary' },
  { value: 'three_regions', label: '“三区”科技人才', type: 'success' },
]
/** 特派员状态 */
export const COMMISSIONER_STATUSES: Dict = [
  { value: 'active', label: '在岗', type: 'success' },
  { value: 'ended', label: '期满', type: 'info' },
  { value: 'revoked', label: '解聘', type: 'danger' },
]
/** 服务对象类型 */
export const TARGET_KINDS: Dict = [
  { value: 'village', label: '行政村', type: 'success' },
  { value: 'township', label: '乡镇', type: 'primary' },
  { value: 'cooperative', label: '农民合作社', type: 'warning' },
  { value: 'enterprise', label: '企业', type: 'danger' },
]
/** 派驻状态 */
export const DISPATCH_STATUSES: Dict = [
  { value: 'active', label: '派驻中', type: 'success' },
  { value: 'ended', label: '已结束', type: 'info' },
  { value: 'cancelled', label: '已撤回', type: 'danger' },
]
/** 服务类型 */
export const SERVICE_KINDS: Dict = [
  { value: 'guidance', label: '技术指导', type: 'primary' },
  { value: 'training', label: '培训', type: 'success' },
  { value: 'demonstration', label: '示范推广', type: 'warning' },
  { value: 'startup', label: '创业带动', type: 'danger' },
]
/** 年度考核等次 */
export const GRADES: Dict = [
  { value: 'excellent', label: '优秀', type: 'success' },
  { value: 'qualified', label: '合格', type: 'primary' },
  { value: 'failed', label: '不合格', type: 'danger' },
]
/** 学历 */
export const EDUCATIONS: Dict = [
  { value: 'doctorate', label: '博士研究生' },
  { value: 'master', label: '硕士研究生' },
  { value: 'bachelor', label: '大学本科' },
  { value: 'other', label: '其他' },
]
/** 人才层次 */
export const TALENT_TIERS: Dict = [
  { value: 'a', label: 'A类 顶尖人才', type: 'danger' },
  { value: 'b', label: 'B类 国家级领军人才', type: 'warning' },
  { value: 'c', label: 'C类 地方级领军人才', type: 'primary' },
  { value: 'd', label: 'D类 青年拔尖人才', type: 'success' },
]
/** 人才认定条件（目录条目） */
export const HONOURS: Dict = [
  { value: 'academician', label: '中国科学院院士、中国工程院院士' },
  { value: 'top_award', label: '国家最高科学技术奖获得者' },
  { value: 'national_programme', label: '国家级重大人才工程入选者（长江学者、国家杰出青年科学基金获得者等）' },
  { value: 'national_award', label: '国家科学技术奖一、二等奖获奖项目主要完成人（前三）' },
  { value: 'provincial_programme', label: '省级重大人才工程入选者（中原学者、中原英才计划等）' },
  { value: 'provincial_award', label: '省科学技术奖一等奖获奖项目主要完成人（前三）' },
  { value: 'city_programme', label: '市级领军人才、市级创新创业团队带头人' },
  { value: 'senior_title', label: '正高级专业技术职称' },
]
/** 人才认定申请状态 */
export const TALENT_APPLICATION_STATUSES: Dict = [
  { value: 'draft', label: '草稿', type: 'info' },
  { value: 'submitted', label: '待评审', type: 'warning' },
  { value: 'reviewing', label: '评审中', type: 'primary' },
  { value: 'recognized', label: '已认定', type: 'success' },
  { value: 'refused', label: '不予认定', type: 'danger' },
]
/** 认定人才状态 */
export const TALENT_STATUSES: Dict = [
  { value: 'valid', label: '有效', type: 'success' },
  { value: 'expired', label: '已到期', type: 'info' },
  { value: 'revoked', label: '已撤销', type: 'danger' },
]
/** 进站专家身份 */
export const STATION_ROLES: Dict = [
  { value: 'active_academician', label: '院士（在职）', type: 'danger' },
  { value: 'retired_academician', label: '院士（退休）', type: 'warning' },
  { value: 'scholar', label: '中原学者', type: 'primary' },
]
// ---- 科技奖励 ----
/** 年度奖励状态 */
export const AWARD_CALL_STATUSES: Dict = [
  { value: 'open', label: '提名中', type: 'success' },
  { value: 'reviewing', label: '评审中', type: 'primary' },
  { value: 'notice', label: '公示中', type: 'warning' },
  { value: 'conferred', label: '已授奖', type: 'info' },
]
/** 提名状态 */
export const NOMINATION_STATUSES: Dict = [
  { value: 'draft', label: '草稿', type: 'info' },
  { value: 'submitted', label: '已提交', type: 'warning' },
  { value: 'returned', label: '退回修改', type: 'danger' },
  { value: 'accepted', label: '形式审查通过', type: 'primary' },
  { value: 'reviewing', label: '评审中', type: 'primary' },
  { value: 'proposed', label: '拟授奖', type: 'success' },
  { value: 'not_awarded', label: '未获奖', type: 'info' },
  { value: 'withdrawn', label: '已撤销', type: 'info' },
  { value: 'conferred', label: '已授奖', type: 'success' },
]
/** 奖励类别 */
export const AWARD_CATEGORIES: Dict = [
  { value: 'natural', label: '自然科学奖', type: 'primary' },
  { value: 'invention', label: '技术发明奖', type: 'warning' },
  { value: 'progress', label: '科学技术进步奖', type: 'success' },
]
/** 奖励等级 */
export const AWARD_GRADES: Dict = [
  { value: 'first', label: '一等奖', type: 'danger' },
  { value: 'second', label: '二等奖', type: 'warning' },
  { value: 'third', label: '三等奖', type: 'primary' },
]
/** 提名方式 */
export const NOMINATOR_KINDS: Dict = [
  { value: 'unit', label: '单位提名' },
  { value: 'expert', label: '专家提名' },
]
/** 公示异议状态 */
export const AWARD_OBJECTION_STATUSES: Dict = [
  { value: 'open', label: '待处理', type: 'warning' },
  { value: 'upheld', label: '异议成立', type: 'danger' },
  { value: 'dismissed', label: '异议不成立', type: 'info' },
]
/** 上级奖励级别 */
export const AWARD_LEVELS: Dict = [
  { value: 'national', label: '国家级', type: 'danger' },
  { value: 'provincial', label: '省级', type: 'warning' },
]
/** 人才需求状态 */
export const TALENT_DEMAND_STATUSES: Dict = [
  { value: 'open', label: '征集中', type: 'success' },
  { value: 'closed', label: '已关闭', type: 'info' },
]

// ----- 平台载体 (认定申报, 平台年报与绩效评价, 培育后备库, 孵化载体) -----
/** 平台认定申报状态 */
export const RECOGNITION_STATUSES: Dict = [
  { value: 'pending', label: '待认定', type: 'warning' },
  { value: 'recognized', label: '已认定', type: 'success' },
  { value: 'refused', label: '不予认定', type: 'danger' },
]
/** 平台年报状态 */
export const REPORT_STATUSES: Dict = [
  { value: 'draft', label: '草稿', type: 'info' },
  { value: 'submitted', label: '已提交', type: 'warning' },
  { value: 'reviewing', label: '评价中', type: 'primary' },
  { value: 'graded', label: '已定级', type: 'success' },
]
/** 平台绩效评价等级 */
export const PLATFORM_GRADES: Dict = [
  { value: 'excellent', label: '优秀', type: 'success' },
  { value: 'good', label: '良好', type: 'primary' },
  { value: 'pass', label: '合格', type: 'info' },
  { value: 'fail', label: '不合格', type: 'danger' },
]
/** 培育后备库状态 */
export const POOL_STATUSES: Dict = [
  { value: 'in', label: '在库', type: 'success' },
  { value: 'out', label: '已出库', type: 'info' },
]
/** 在孵企业状态 */
export const INCUBATEE_STATUSES: Dict = [
  { value: 'incubating', label: '在孵', type: 'primary' },
  { value: 'graduated', label: '已毕业', type: 'success' },
  { value: 'exited', label: '已退出', type: 'info' },
]
/** 毕业条件 */
export const GRADUATION_CRITERIA: Dict = [
  { value: 'hnte', label: '经国家备案的高新技术企业', type: 'success' },
  { value: 'financing', label: '累计获得天使或风险投资超过500万元', type: 'warning' },
  { value: 'revenue', label: '连续2年营业收入累计超过1000万元', type: 'primary' },
  { value: 'merger', label: '被兼并、收购或在国内外资本市场挂牌上市', type: 'danger' },
]
