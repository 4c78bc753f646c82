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
  /** The extractor's rules that fired (`num+unit;ind=before;cmp=达到;year=到2025年`). */
  rule: string
  /** Why the extractor was unsure, when a rule had to guess. */
  doubt: string | null
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

export type ProgressStatus = 'achieved' | 'on_track' | 'lagging' | 'warning' | 'missed' | 'no_data'

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
  /** The chosen forecast rounded to the indicator's decimals (null: no forecast). */
  forecast_value: number | null
  shortfall_percent: number | null
  status: ProgressStatus
  explanation_zh: string
}

export interface TargetProgress {
  target: PlanTarget
  progress: Progress | null
  /** Why it cannot be computed, in words fit for the leaders' report. */
  problem: string | null
  /** What the officer can correct in 目标审核 (never printed). */
  review_hint: string | null
}

/** One monitored indicator with every confirmed target set on it. */
export interface IndicatorProgress {
  key: string
  name: string
  unit: string
  /** Decimal places (0 for counts). */
  decimals: number
  in_library: boolean
  series: YearValue[]
  targets: TargetProgress[]
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

export interface RegionRef {
  code: string
  name: string
}

export interface YearRow {
  year: number
  /** Per indicator; null = 无数据. */
  values: (number | null)[]
  /** Change from the year before, per indicator. */
  changes: (number | null)[]
}

export interface Ranking {
  parent: RegionRef
  /** regions: the subdivisions ranked; years: the region has none, its own years compared. */
  mode: 'regions' | 'years'
  notice: string | null
  table: RankingTable
  /** Years mode: newest first. */
  years: YearRow[]
  /** The region one level up, when the account may rank its subdivisions. */
  peers: RegionRef | null
}
