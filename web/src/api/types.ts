export interface Page<T> {
  items: T[]
  total: number
  page: number
  size: number
}

export interface User {
  id: number
  username: string
  display_name: string
  scope_kind: string
  region_code: string
  region_name: string
  org_id: number | null
  status: string
  roles: string[]
  permissions: string[]
  must_change_password: boolean
  locked_until: number | null
  last_login_at: number | null
  created_at: number
}

export interface Me {
  user: User
  scope: string
  csrf_token: string
  must_change_password: boolean
}

export interface Region {
  code: string
  name: string
  parent: string | null
  level: string
  full_name: string
}

export interface Organization {
  id: number
  credit_code: string
  name: string
  kind: string
  kind_label: string
  region_code: string
  region_name: string
  industry: string | null
  founded_on: string | null
  legal_representative: string | null
  size_class: string | null
  created_at: number
  updated_at: number
}

export type Figures = Record<string, string | number | boolean | null | undefined>

export interface EnterpriseYear {
  id: number
  org_id: number
  org_name: string
  credit_code: string
  year: number
  figures: Figures
  updated_at: number
}

export interface Platform {
  id: number
  name: string
  platform_type: string
  platform_type_label: string
  level: string
  level_label: string
  host_org_id: number
  host_org_name: string
  region_code: string
  recognized_on: string | null
  approval_document: string | null
  status: string
  status_label: string
  updated_at: number
}

export interface Person {
  id: number
  name: string
  org_id: number | null
  org_name: string | null
  region_code: string
  region_name: string
  title: string | null
  title_level: string | null
  disciplines: string[]
  keywords: string[]
  is_expert: boolean
  talent_programme: string | null
  has_id_number: boolean
  user_id: number | null
  updated_at: number
}

export interface Role {
  key: string
  name: string
  builtin: boolean
  permissions: string[]
}

export interface AuditEntry {
  seq: number
  at: number
  actor_id: number | null
  actor: string
  action: string
  entity: string
  entity_id: string
  region_path: string | null
  org_id: number | null
  before_json: string | null
  after_json: string | null
  prev_hash: string
  hash: string
}

export interface Count {
  key: string
  count: number
}

export interface Overview {
  organizations_by_kind: Count[]
  platforms_by_level: Count[]
  experts: number
  hnte_by_year: Count[]
  organizations_by_region: Count[]
}

export interface ImportProblem {
  row: number
  column: string | null
  field: string | null
  code: string
  message: string
}

export interface ImportReport {
  ok: boolean
  dry_run: boolean
  rows: number
  inserted: number
  updated: number
  problems: ImportProblem[]
}

// ----- 专家评审 -----

export interface Criterion {
  key: string
  label: string
  max: number
}

export interface Expert {
  id: number
  name: string
  org_id: number | null
  org_name: string | null
  region_code: string
  region_name: string
  title: string | null
  disciplines: string[]
  keywords: string[]
  user_id: number | null
  max_load: number
  available_from: string | null
  available_to: string | null
  active: boolean
  open_load: number
}

export interface ExpertProfileInput {
  max_load: number
  available_from?: string | null
  available_to?: string | null
  active: boolean
}

export interface PersonLink {
  person_id: number
  kind: string
  ref: string
  year: number
}

/** What the server stores on a round after an assignment run. */
export interface AssignSummary {
  method: 'optimal' | 'random' | string
  fairness?: boolean
  objective: number
  bound?: number
  gap?: number
  min_affinity?: number | null
  seed?: string
  conflicts: number
  available_experts: number
  certified_pairs?: number
  pool_sizes?: number[]
}

export interface Round {
  id: number
  title: string
  object_kind: string
  region_code: string
  region_name: string
  reviewers_per_item: number
  max_load: number
  coauthor_years: number
  exclude_same_county: boolean
  due_on: string | null
  form: Criterion[]
  status: string
  assignment: AssignSummary | null
  published_at: number | null
  item_count: number
  updated_at: number
}

export interface RoundInput {
  title: string
  object_kind: string
  region?: string | null
  reviewers_per_item: number
  max_load: number
  coauthor_years?: number | null
  exclude_same_county: boolean
  due_on?: string | null
  form: Criterion[]
}

export interface ReviewItem {
  id: number
  round_id: number
  title: string
  object_ref: string | null
  org_id: number | null
  org_name: string | null
  applicant_region: string | null
  disciplines: string[]
  keywords: string[]
  team: number[]
  avoid: number[]
}

export interface ItemInput {
  title: string
  object_ref?: string | null
  org_id?: number | null
  disciplines: string[]
  keywords: string[]
  team?: number[]
  avoid?: number[]
}

export interface Assignment {
  id: number
  round_id: number
  round_title: string
  round_status: string
  due_on: string | null
  form: Criterion[]
  item_id: number
  item_title: string
  item_org_name: string | null
  expert_id: number
  expert_name: string
  affinity: number
  method: string
  status: string
  decline_reason: string | null
  scores: Record<string, number> | null
  total: number | null
  comment: string | null
  reminded_at: number | null
  submitted_at: number | null
}

export interface RoundDetail {
  round: Round
  items: ReviewItem[]
  assignments: Assignment[]
}

export interface AssignRequest {
  mode: 'optimal' | 'random'
  seed?: number
  fairness?: boolean
}

export interface AssignOutcome {
  round: Round
  assigned: number
  summary: AssignSummary
}

export interface Exclusion {
  item_id: number
  item_title: string
  expert_id: number
  expert_name: string
  code: string
  reason: string
}

export interface Candidate {
  expert_id: number
  expert_name: string
  org_name: string | null
  affinity: number
  status: string
  reason: string
}

export interface ManualChange {
  item_id: number
  expert_id: number
  remove: boolean
  reason: string
}

export interface ReviewScore {
  expert_id: number
  expert_name: string
  raw: number
  normalized: number
}

export interface ResultRow {
  rank: number | null
  item_id: number
  title: string
  org_name: string | null
  value: number | null
  mean: number | null
  trimmed_mean: number | null
  normalized_mean: number | null
  reviews: ReviewScore[]
}

export interface ReviewerRow {
  expert_id: number
  expert_name: string
  items: number
  mean: number
  sd: number
  calibrated: boolean
}

export interface ReviewResults {
  round: Round
  by: string
  expected: number
  submitted: number
  rows: ResultRow[]
  reviewers: ReviewerRow[]
}

export interface ScoreInput {
  scores: Record<string, number>
  comment?: string | null
}

export interface DeclineOutcome {
  replacement: Assignment | null
}

// --- 规划监测 (plans, targets, ledger, indicators) ---

export interface Plan {
  id: number
  title: string
  region_code: string
  region_name: string
  base_year: number
  target_year: number
  file_name: string | null
  /** draft | confirmed */
  status: string
  confirmed_at: number | null
  updated_at: number
}

export interface PlanTarget {
  id: number
  plan_id: number
  indicator: string
  /** A library indicator key, or `other:…` for an indicator outside the library. */
  key: string
  value: number
  value_max: number | null
  unit: string
  comparator: string
  year: number | null
  /** target | baseline */
  kind: string
  sentence: string
  /** Unicode code-point offsets of the sentence in the plan text. */
  start: number
  end: number
  /** proposed | confirmed | rejected | merged */
  status: string
  merged_into: number | null
  note: string | null
}

export interface TargetPatch {
  indicator: string
  key: string
  value: number
  value_max: number | null
  unit: string
  comparator: string
  year: number | null
  kind: string
  status: string
  note: string | null
}

export interface PlanTask {
  id: number
  plan_id: number
  number: string
  title: string
  level: number
  responsible_units: string[]
  deadline: string | null
  /** todo | doing | done */
  status: string
  progress: number
  updated_at: number
}

export interface TaskUpdate {
  id?: number
  task_id?: number
  progress: number
  note: string
  evidence_name?: string | null
  evidence_sha256?: string | null
  at?: number
  by?: string
}

export interface PlanDetail {
  plan: Plan
  text: string
  targets: PlanTarget[]
  tasks: PlanTask[]
  /** Ids of tasks past their deadline and not done (逾期). */
  overdue: number[]
}

export interface YearValue {
  year: number
  value: number
}

export type Outcome = { kind: 'value'; value: number } | { kind: 'undefined'; reason: string }

export interface PathPoint {
  year: number
  linear: number
  compound: number | null
}

export interface Forecast {
  year: number
  linear: { slope: number; intercept: number; points: number; rmse: number; forecast: number } | null
  compound: { rate: number; from: YearValue; to: YearValue; rmse: number; forecast: number } | null
  chosen: 'linear' | 'compound' | null
  reason_zh: string
}

export type ProgressStatus = 'achieved' | 'on_track' | 'lagging' | 'warning'

export interface Progress {
  target_level: number
  baseline: YearValue | null
  latest: YearValue | null
  met: boolean
  above_max: boolean
  percent_achieved: Outcome
  progress_share: Outcome
  elapsed_share: Outcome
  path_kind: 'linear' | 'compound'
  trajectory: PathPoint[]
  expected: number | null
  gap_to_trajectory: number | null
  on_trajectory: boolean | null
  forecast: Forecast
  shortfall_percent: number | null
  status: ProgressStatus
  explanation_zh: string
}

export interface TargetProgress {
  target: PlanTarget
  indicator_name: string | null
  indicator_unit: string | null
  series: YearValue[]
  progress: Progress | null
  problem: string | null
}

export interface LibraryIndicator {
  key: string
  name_zh: string
  unit: string
  definition_zh: string
  source: string
  formula: { kind: string; [k: string]: unknown }
  aggregation: string
  temporal: string
  higher_is_better: boolean
  decimals: number
}

export interface DataElement {
  key: string
  name_zh: string
  unit: string
  origin: { kind: 'registry'; measure: string } | { kind: 'entered'; typical_source: string }
  temporal: string
}

export interface IndicatorLibrary {
  indicators: LibraryIndicator[]
  elements: DataElement[]
}

export interface IndicatorSeries {
  key: string
  name: string
  unit: string
  points: YearValue[]
  /** Why some years have no value (“2024年：…”). */
  missing: string[]
}

export interface IndicatorEntry {
  element: string
  region: string
  region_name?: string
  year: number
  /** A decimal string. */
  value: string
  source: string
  source_date: string
  updated_at?: number
}

export interface RankIndicator {
  key: string
  name_zh: string
  unit: string
  higher_is_better: boolean
  weight: number
}

export interface RankCell {
  value: number | null
  rank: number | null
  score: number | null
}

export interface RankRow {
  region: string
  name: string
  cells: RankCell[]
  composite: number | null
  composite_rank: number | null
  incomplete: boolean
}

export interface RankingTable {
  indicators: RankIndicator[]
  normalization: string | null
  rows: RankRow[]
}

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
  /** 拟投入经费, yuan */
  budget: string | null
  /** open | adopted | closed */
  status: string
  call_id: number | null
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

/** How a figure is entered: a count, an amount of money, a ratio, 是/否 or a plain number. */
export type RuleInputKind = 'count' | 'money' | 'ratio' | 'flag' | 'number'

/** 政策包 (GET /rules/packs). */
export interface RulePackInput {
  name: string
  label: string
  optional: boolean
  kind: RuleInputKind
}
/** A rule's name and its Chinese label, e.g. `pool_near` → "培育库：综合评价50–59分". */
export interface RuleNamedLabel {
  name: string
  label: string
}
export interface RulePack {
  id: string
  name: string
  source: string
  /** e.g. "2017-05-03起". */
  valid: string
  version: string
  inputs: RulePackInput[]
  /** The outputs and conditions a result's `outputs` map carries, with their labels. */
  outputs: RuleNamedLabel[]
  /** The cultivation pools (培育库) the pack derives. */
  pools: RuleNamedLabel[]
}

/** A figure a pack reads when evaluating a year (GET /rules/packs/{id}/inputs?year=). */
export interface RuleYearInput {
  /** What POST /rules/evaluate takes in `figures`: `revenue`, or `revenue@-1` for the year before. */
  key: string
  name: string
  /** Says the year, e.g. "销售收入（上一年度）". */
  label: string
  kind: RuleInputKind
  optional: boolean
  /** 0 the year evaluated, -1 the year before, … */
  offset: number
}

/** An input the result could not be decided without, with the rules that needed it. */
export interface RuleMissing {
  input: string
  label: string
  needed_by: string[]
  /** 0 the year itself, -1 the year before, … */
  year_offset: number
}

/** 差距分析: the smallest increase of one adjustable input that reaches the pack's goal. */
export interface RuleGap {
  input: string
  label: string
  current: string
  increase: string
  /** e.g. "科技人员数需再增加 3 人". */
  text: string
}

export type RuleOutputValue = boolean | number | string | null

/** A stored result (GET /rules/results). */
export interface RuleResult {
  id: number
  pack: string
  pack_version: string
  year: number
  org_id: number
  org_name: string
  credit_code: string
  region_code: string
  qualified: boolean | null
  score: number | null
  /** Pool rule names, e.g. `pool_near`. */
  pools: string[]
  /** Outputs, conditions and pools by rule name (labels in the pack's `outputs`/`pools`). */
  outputs: Record<string, RuleOutputValue>
  missing: RuleMissing[]
  gaps: RuleGap[]
  explanation: string
  created_at: number
}

/** POST /rules/runs */
export interface RuleRunSummary {
  pack: string
  pack_version: string
  year: number
  evaluated: number
  qualified: number
  undetermined: number
  /** Members per pool (rule name → count). */
  pools: Record<string, number>
}

/** POST /rules/evaluate */
export interface RuleEvaluation {
  outputs: Record<string, RuleOutputValue>
  /** Pool labels, e.g. "培育库：综合评价50–59分". */
  pools: string[]
  missing: RuleMissing[]
  gaps: RuleGap[]
  explanation_text: string
}

/** One enterprise of a figures file evaluated by POST /rules/evaluate-file. */
export interface RuleFileRow {
  credit_code: string
  /** From the file's 企业名称 column ('' when none). */
  name: string
  /** Undecided outputs are null (待定). */
  outputs: Record<string, RuleOutputValue>
  /** Pool rule names, e.g. `pool_near` (labels: the pack's `pools`). */
  pools: string[]
  missing: RuleMissing[]
  gaps: RuleGap[]
  /** Cells that are not numbers (or not 是/否): such a figure counts as missing. */
  problems: string[]
  explanation_text: string
}

/** POST /rules/evaluate-file: a figures file evaluated, nothing stored. */
export interface RuleFileEvaluation {
  pack: string
  version: string
  year: number
  evaluated: number
  qualified: number
  /** Credit codes in the file without a row for the year. */
  without_year: string[]
  rows: RuleFileRow[]
}

/** One item of the 免申即享 list. */
export interface EntitlementItem {
  credit_code: string
  org_name: string
  region: string
  item: string
  category: string
  level: string
  /** Yuan, exact, as text. */
  amount: string
  granted: boolean
  reason: string
  explanation_text: string
}

/** GET /rules/entitlements */
export interface EntitlementList {
  pack: string
  version: string
  year: number
  items: EntitlementItem[]
  entities: number
  total: string
  by_category: Record<string, string>
  by_region: Record<string, string>
}
