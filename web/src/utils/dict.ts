// Closed vocabularies of the API (wire value → 中文), mirroring the domain's labeled enums.
export type Dict = { value: string; label: string }[]

export const ORG_KINDS: Dict = [
  { value: 'enterprise', label: '企业' },
  { value: 'university', label: '高等院校' },
  { value: 'institute', label: '科研院所' },
  { value: 'hospital', label: '医疗卫生机构' },
  { value: 'service_agency', label: '科技服务机构' },
  { value: 'other', label: '其他' },
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
]
export const PLATFORM_LEVELS: Dict = [
  { value: 'internal', label: '企业内部' },
  { value: 'county', label: '县级' },
  { value: 'city', label: '市级' },
  { value: 'provincial', label: '省级' },
  { value: 'national', label: '国家级' },
]
export const PLATFORM_STATUS: Dict = [
  { value: 'active', label: '有效' },
  { value: 'cultivating', label: '培育' },
  { value: 'suspended', label: '整改' },
  { value: 'revoked', label: '撤销' },
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
  { value: 'active', label: '正常' },
  { value: 'disabled', label: '停用' },
]
export const AUDIT_ACTIONS: Dict = [
  { value: 'create', label: '新增' },
  { value: 'update', label: '修改' },
  { value: 'delete', label: '删除' },
  { value: 'import', label: '导入' },
  { value: 'import_update', label: '导入更新' },
  { value: 'move_region', label: '区划调整' },
  { value: 'export', label: '导出' },
  { value: 'login', label: '登录' },
  { value: 'login_failed', label: '登录失败' },
  { value: 'logout', label: '退出' },
  { value: 'password', label: '修改密码' },
]
export const AUDIT_ENTITIES: Dict = [
  { value: 'organization', label: '单位' },
  { value: 'enterprise_year', label: '企业年度数据' },
  { value: 'platform', label: '创新平台' },
  { value: 'person', label: '人才专家' },
  { value: 'user', label: '用户' },
  { value: 'role', label: '角色' },
]
export const PERMISSIONS: Dict = [
  { value: '*', label: '全部权限' },
  { value: 'org:read', label: '查看单位' },
  { value: 'org:write', label: '维护单位' },
  { value: 'year:read', label: '查看企业年度数据' },
  { value: 'year:write', label: '维护企业年度数据' },
  { value: 'platform:read', label: '查看创新平台' },
  { value: 'platform:write', label: '维护创新平台' },
  { value: 'person:read', label: '查看人才专家' },
  { value: 'person:write', label: '维护人才专家' },
  { value: 'import', label: '导入' },
  { value: 'export', label: '导出' },
  { value: 'region:read', label: '查看行政区划' },
  { value: 'user:read', label: '查看用户' },
  { value: 'user:write', label: '管理用户' },
  { value: 'audit:read', label: '查看审计日志' },
]

export function label(d: Dict, v: string | null | undefined): string {
  if (v === null || v === undefined || v === '') return ''
  return d.find((x) => x.value === v)?.label ?? v
}
