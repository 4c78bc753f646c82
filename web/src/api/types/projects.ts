import type { EnterpriseYear, Organization, Person, Platform } from './registry'

// ---- 科技计划项目 (crates/store/src/projects.rs, crates/domain/src/project.rs) ----

export interface Eligibility {
  pack: string
  output?: string | null
  description: string
}

export interface Call {
  id: number
  title: string
  category: string
  mode: string
  region_code: string
  region_name: string
  /** yuan, decimal text */
  budget: string
  opens_on: string
  closes_on: string
  eligibility: Eligibility | null
  challenge_target: string | null
  challenge_reward: string | null
  max_active_per_leader: number
  /** 定向委托: the organizations addressed */
  designated_orgs?: number[]
  designated_org_names?: string[]
  /** extra items every application answers */
  form?: FormField[]
  /** draft | published | withdrawn (applicants only ever see published calls) */
  status: string
  status_label: string
  withdraw_reason: string | null
}

/** An extra item a call asks every application for (指南要求的申报书栏目). */
export interface FormField {
  key: string
  label: string
  /** text | textarea | number */
  kind: string
  required: boolean
}

export interface CallInput {
  title: string
  category: string
  mode: string
  region?: string | null
  budget: string
  opens_on: string
  closes_on: string
  eligibility?: Eligibility | null
  challenge_target?: string | null
  challenge_reward?: string | null
  max_active_per_leader?: number | null
  /** 定向委托: the organizations addressed (that mode only) */
  designated_orgs?: number[]
  form?: FormField[]
}

export interface BudgetLine {
  item: string
  amount: string
}

export interface Milestone {
  title: string
  due_on: string
  target: string
}

export interface ApplicationInput {
  call_id: number
  title: string
  org_id: number
  leader_id: number
  team: number[]
  lump_sum: boolean
  budget: BudgetLine[]
  milestones: Milestone[]
  disciplines: string[]
  keywords: string[]
  integrity_pledge: boolean
  ethics_required: boolean
  ethics_registration: string | null
  /** 滚动支持: the earlier project this one follows on from */
  predecessor_id?: number | null
  /** answers to the call's extra items, by key */
  answers?: Record<string, string>
}

export interface Application {
  id: number
  call_id: number
  call_title: string
  /** the call's organizing mode (absent from older servers) */
  call_mode?: string
  org_id: number
  org_name: string
  title: string
  leader_id: number
  leader_name: string
  team: number[]
  lump_sum: boolean
  budget: BudgetLine[]
  budget_total: string
  milestones: Milestone[]
  disciplines: string[]
  keywords: string[]
  integrity_pledge: boolean
  ethics_required: boolean
  ethics_registration: string | null
  status: string
  status_label: string
  granted: string | null
  /** 绩效评价: excellent | good | pass | fail (after closure) */
  rating?: string | null
  rating_note?: string | null
  rated_on?: string | null
  predecessor_id?: number | null
  answers?: Record<string, string>
  submitted_at: number | null
  updated_at: number
  /** What the caller may do now (the state machine and the caller's role), in the server's order. */
  actions: AppAction[]
  can_disburse: boolean
  can_check_milestone: boolean
}

/** A move of the state machine the caller may take now. */
export interface AppAction {
  action: string
  label: string
  needs_reason: boolean
}

/** A move the stage allows but something blocks (e.g. 结题 before every milestone passed): not in `actions`. */
export interface HeldAction {
  action: string
  label: string
  /** what to do first, in an officer's words */
  reason: string
}

/** POST /applications/batch-transition: all or nothing. */
/** GET /applications/counts: applications matching the call and text, by status. */
export interface ApplicationCounts {
  by_status: Record<string, number>
}

export interface BatchTransitionResult {
  moved: number
  applications: Application[]
}

export interface TransitionRecord {
  from_status: string
  to_status: string
  action: string
  reason: string | null
  actor: string
  at: number
}

export interface ApplicationDetail {
  application: Application
  history: TransitionRecord[]
  /** 里程碑考核 (absent from older servers) */
  milestone_checks?: MilestoneCheck[]
  /** 经费拨付 (absent from older servers) */
  disbursements?: Disbursement[]
  /** PDF attachments with their SHA-256 */
  attachments?: Attachment[]
  /** registry facts and attachment digests frozen at submission (一次报送) */
  submitted_snapshot?: SubmissionSnapshot | null
  /** the call's extra items, to label the answers */
  call_form?: FormField[]
  /** moves held back, with the reason (absent from older servers) */
  held?: HeldAction[]
}

/** The check of one milestone (里程碑考核). */
export interface MilestoneCheck {
  /** index of the milestone in the application, 0-based */
  milestone: number
  passed: boolean
  note: string
  evidence_name?: string | null
  evidence_sha256?: string | null
  at?: number
  by?: string
}

/** A disbursement of granted funds (经费拨付). */
export interface Disbursement {
  /** the (passed) milestone it pays for, if any */
  milestone?: number | null
  /** yuan, decimal text */
  amount: string
  note?: string
  at?: number
  by?: string
}

/** 企业出题: an enterprise's technical demand. */
export interface Demand {
  id: number
  org_id: number
  org_name: string
  title: string
  description: string
  target: string
  /** 拟投入经费 = 预算上限, yuan */
  budget: string | null
  /** 预算下限, yuan */
  budget_min?: string | null
  /** 截止日期, YYYY-MM-DD */
  deadline?: string | null
  /** '' or one of the achievement areas (GET /achievements/dicts → areas) */
  area?: string
  area_label?: string
  /** ≤ 5, each ≤ 20 characters */
  keywords?: string[]
  /** 要求的最低技术就绪度 1..9 */
  trl_min?: number | null
  /** open 征集中 | matched 已对接 | adopted 已采纳为榜单 | closed 已关闭 */
  status: string
  status_label?: string
  call_id: number | null
  /** The posting organization's region (GB/T 2260). */
  region_code?: string
}

/** GET /calls/{id}/review-results: an application's 专家评审 result in its latest round. */
export interface ReviewResultRow {
  application_id: number
  round_id: number
  round_title: string
  /** within its round; null until scored */
  rank: number | null
  mean: number | null
  trimmed_mean: number | null
  normalized_mean: number | null
  /** scores submitted and expected (declined tasks not counted) */
  submitted: number
  expected: number
}

export interface PanelDecision {
  application_id: number
  approve: boolean
  amount?: string | null
  reason?: string | null
}

export interface Sanction {
  id: number
  person_id: number | null
  org_id: number | null
  measure: string
  starts_on: string
  ends_on: string
  source_document: string
}

/** A PDF attachment of an application, kept with its SHA-256. */
export interface Attachment {
  id: number
  application_id: number
  /** application 申报材料 | execution 执行材料 | acceptance 验收材料 */
  kind: string
  kind_label: string
  file_name: string
  sha256: string
  size_bytes: number
  uploaded_at: number
}

export interface TitleHeld {
  pack: string
  year: number
  qualified: boolean | null
}

export interface TrackRecordItem {
  application_id: number
  title: string
  call_title: string
  org_name: string
  leader_name: string
  /** 负责人 | 成员 | 承担单位 */
  role: string
  status: string
  status_label: string
  granted: string | null
  rating: string | null
  rating_label: string | null
  rated_on: string | null
}

/** 履约记录 */
export interface TrackRecord {
  items: TrackRecordItem[]
  active: number
  closed: number
  terminated: number
  excellent: number
  good: number
  pass: number
  fail: number
}

/** 预填: what the registry knows about the applying organization. */
export interface ApplicantProfile {
  org: Organization
  latest_year: EnterpriseYear | null
  platforms: Platform[]
  persons: Person[]
  titles: TitleHeld[]
  track_record: TrackRecord
}

export interface SubmissionSnapshot {
  taken_at: number
  org: { name: string; credit_code: string; region_code: string; region_name: string; industry: string | null; size_class: string | null }
  latest_year: { year: number; figures: Record<string, string | number | boolean | null> } | null
  platforms: { name: string; type: string; level: string; recognized_on: string | null; status: string }[]
  titles: TitleHeld[]
  team: { id: number; name: string; role: string; org_name: string | null; title: string | null }[]
  attachments: { file_name: string; sha256: string; size_bytes: number; kind: string }[]
}
