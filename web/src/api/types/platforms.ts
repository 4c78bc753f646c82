// ----- 平台载体 (/platform-recognitions, /platform-reports, /platform-evaluations, /platform-pool,
// /carriers, /incubatees: 认定申报, 平台年报与绩效评价, 培育后备库, 孵化载体与在孵企业) -----
// Field names are the Rust structs' (the platform lifecycle API). Money is 元 as decimal text;
// dates are YYYY-MM-DD; `updated_at` epoch milliseconds like every other record.
// Names that another module already uses carry a Platform prefix here (`PoolEntry` is the
// risk-compensation pool's in funds.ts).

/** 认定申报 (GET /platform-recognitions): a new platform's 认定 or an existing one's 升级. */
export interface Recognition {
  id: number
  platform_id: number
  platform_name: string
  platform_type: string
  platform_type_label: string
  host_org_id: number
  host_org_name: string
  region_code: string
  /** the level applied for */
  level: string
  level_label: string
  /** the level held before (an 升级), null for a first 认定 */
  from_level: string | null
  from_level_label: string | null
  status: 'pending' | 'recognized' | 'refused' | string
  status_label: string
  applied_on: string
  summary: string
  /** 批准文号 */
  document: string | null
  recognized_on: string | null
  /** 认定意见 / 不予认定理由 */
  note: string | null
  explanation: string
  updated_at: number
}

/** POST /platform-recognitions: `platform_id` for an existing platform (升级/认定), else name+type+host for a new one. */
export interface RecognitionInput {
  platform_id?: number
  name?: string
  platform_type?: string
  host_org_id?: number
  level: string
  summary: string
}

/** POST /platform-recognitions/{id}/decide */
export interface DecideRecognition {
  recognize: boolean
  /** 批准文号 (when recognized) */
  document: string
  recognized_on: string
  note: string
}

export type ReportStatus = 'draft' | 'submitted' | 'reviewing' | 'graded'
export type PlatformGrade = 'excellent' | 'good' | 'pass' | 'fail'

/** 平台年报 (GET /platform-reports, /platforms/{id}/reports) with its evaluation. */
export interface PlatformReport {
  id: number
  platform_id: number
  platform_name: string
  platform_type: string
  platform_type_label: string
  level: string
  level_label: string
  host_org_id: number
  host_org_name: string
  region_code: string
  year: number
  /** 固定人员（载体：运营机构总人数） */
  staff: number
  /** 高级职称或博士 */
  senior_staff: number
  /** 研发人员 */
  rd_staff: number
  /** 研发投入 (元) */
  rd_spending: string
  /** 收入 (元) */
  income: string
  /** 仪器设备原值 (元) */
  equipment_value: string
  /** 场地面积 (m², decimal text) */
  area: string
  projects: number
  patents: number
  papers: number
  standards: number
  /** 成果转化 */
  transfers: number
  summary: string
  /** an incubation carrier: the next four apply */
  carrier: boolean
  incubating: number | null
  graduated: number | null
  /** 种子资金 (元) */
  seed_fund: string | null
  /** 创业导师 */
  mentors: number | null
  /** 专业孵化服务人员 (carriers; absent from older answers) */
  service_staff?: number | null
  status: ReportStatus | string
  /** 草稿/已提交/评价中/已定级 */
  status_label: string
  submitted_on: string | null
  round_id: number | null
  round_title: string | null
  round_status: string | null
  /** 专家评价得分 */
  score: string | null
  grade: PlatformGrade | null
  /** 优秀/良好/合格/不合格 */
  grade_label: string | null
  /** what the grade brings (支持、整改、撤销…) */
  consequence: string | null
  explanation: string
  rule: string
  graded_on: string | null
  updated_at: number
}

/** POST /platform-reports, PUT /platform-reports/{id} (a draft only). */
export interface PlatformReportInput {
  platform_id: number
  year: number
  staff: number
  senior_staff: number
  rd_staff: number
  rd_spending: string
  income: string
  equipment_value: string
  area: string
  projects: number
  patents: number
  papers: number
  standards: number
  transfers: number
  summary: string
  /** carriers only */
  seed_fund?: string
  /** carriers only */
  mentors?: number
  /** carriers only: 专业孵化服务人员 */
  service_staff?: number
}

/** POST /platform-evaluations → the review Round. */
export interface PlatformEvaluationInput {
  title: string
  year: number
  report_ids: number[]
  reviewers_per_item?: number
  due_on?: string
  /** 评审专业: fields the experts may come from, beside each host's staff's */
  disciplines?: string[]
}

/** POST /platform-evaluations/{round_id}/grade */
export interface GradeOutcome {
  graded: number
  reports: PlatformReport[]
}

/** One condition of an upgrade (or a carrier's) pack, as judged. */
export interface UpgradeCondition {
  name: string
  label: string
  /** null: 未知 (the data is missing) */
  met: boolean | null
  value: string
  text: string
  /** where the figure came from (e.g. 2025年报) */
  source: string | null
}

/** GET /platforms/{id}/upgrade (422 `upgrade.no_pack` when no pack applies). */
export interface UpgradeAnswer {
  platform_id: number
  pack: string
  pack_name: string
  source: string
  target_label: string
  report_year: number | null
  qualified: boolean | null
  met: number
  total: number
  conditions: UpgradeCondition[]
  gaps: string[]
  missing: string[]
  rule: string
}

/** 培育后备库 (GET /platform-pool). */
export interface PlatformPoolEntry {
  id: number
  platform_id: number
  platform_name: string
  platform_type_label: string
  level_label: string
  host_org_id: number
  host_org_name: string
  region_code: string
  pack: string
  target_label: string
  entered_on: string
  status: 'in' | 'out' | string
  /** 在库/已出库 */
  status_label: string
  exited_on: string | null
  exit_reason: string | null
  note: string
  qualified: boolean | null
  met: number
  total: number
  /** what is still lacking, one sentence */
  lacking: string
  updated_at: number
}

/** POST /platform-pool */
export interface PlatformPoolInput {
  platform_id: number
  note: string
}

/** 孵化载体 (GET /carriers): an incubator, maker space, 星创天地 or university science park. */
export interface Carrier {
  id: number
  name: string
  platform_type: string
  platform_type_label: string
  level: string
  level_label: string
  host_org_id: number
  host_org_name: string
  region_code: string
  status: string
  status_label: string
  incubating: number
  graduated: number
  exited: number
  /** 在孵超期 */
  overdue: number
}

export type GraduationCriterion = 'hnte' | 'financing' | 'revenue' | 'merger'

/** 在孵企业 (GET /incubatees). */
export interface Incubatee {
  id: number
  carrier_id: number
  carrier_name: string
  carrier_type_label: string
  org_id: number
  org_name: string
  credit_code: string
  founded_on: string | null
  entered_on: string
  /** 孵化期限 (月) */
  months_limit: number
  due_on: string
  months_in: number
  overdue: boolean
  status: 'incubating' | 'graduated' | 'exited' | string
  /** 在孵/已毕业/已退出 */
  status_label: string
  left_on: string | null
  criterion: GraduationCriterion | null
  criterion_label: string | null
  note: string
  updated_at: number
}

/** POST /platforms/{id}/incubatees */
export interface IncubateeInput {
  org_id: number
  entered_on: string
  note: string
}

/** POST /incubatees/{id}/graduate */
export interface GraduateInput {
  on: string
  criterion: GraduationCriterion | string
  note: string
}

/** POST /incubatees/{id}/exit */
export interface IncubateeExitInput {
  on: string
  reason: string
}
