// ----- 公共 (paging, import reports) -----

export interface Page<T> {
  items: T[]
  total: number
  page: number
  size: number
  /** Above 10,000 the total is a count up to 30 s old: shown as 约. */
  total_estimated?: boolean
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
