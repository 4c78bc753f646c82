// ----- 政策规则 (rule packs, results, evaluations, 免申即享) -----

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
  /** Full path, e.g. "河南省/省直辖县级行政区划/济源市". */
  region_name: string
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

/** The summary of a finished run (RuleRun.summary). */
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

/** POST /rules/runs (202), GET /rules/runs/{id}: a 运行评价 job and its progress. */
export interface RuleRun {
  id: number
  pack: string
  pack_version: string
  year: number
  /** The region asked for, if any (GB/T 2260). */
  region_code: string | null
  status: 'running' | 'done' | 'failed'
  /** Enterprises to evaluate, and evaluated so far. */
  total: number
  done: number
  summary: RuleRunSummary | null
  /** Why it failed (Chinese). */
  error: string | null
  created_at: number
  finished_at: number | null
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
  /** A region code: its name is in the list's `region_names`. */
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
  /** Region code → amount (names in `region_names`). */
  by_region: Record<string, string>
  /** Region code → full name, for `by_region` and each item's `region`. */
  region_names: Record<string, string>
}
