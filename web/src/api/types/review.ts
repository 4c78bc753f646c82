import type { Application, Attachment, FormField } from './projects'

// ----- 专家评审 -----

export interface Criterion {
  key: string
  label: string
  max: number
  /** 评分要点 shown beside the criterion's input */
  guide?: string | null
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
  /** set by the server at the first hand change after the run */
  adjusted?: boolean
  manual_changes?: number
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
  /** 暂存: scores saved before submitting (absent once submitted) */
  draft?: AssignmentDraft | null
  /** "application:123" when the item is an application */
  object_ref?: string | null
  expert_org_name?: string | null
}

export interface AssignmentDraft {
  scores: Record<string, number>
  comment: string | null
  saved_at: number
}

/** What the expert reads before scoring (GET /review/assignments/{id}/object). */
export interface ReviewObject {
  application: Application
  attachments: Attachment[]
  /** the last day the expert may read it (YYYY-MM-DD) */
  open_until: string | null
  /** the call's extra items, to label `application.answers` */
  call_form?: FormField[]
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
  expert_org_name?: string | null
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
