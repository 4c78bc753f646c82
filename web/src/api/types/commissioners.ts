// ----- 科技特派员 (commissioners, dispatches, service logs, ratings, yearly assessments) -----
// Field names are the Rust ones (crates/store/src/people/mod.rs, crates/domain/src/people.rs,
// crates/server/src/api/talents.rs, crates/server/src/people_svc.rs).

/** 科技特派员: a person, a service team (its leader and members) or a legal person. */
export interface Commissioner {
  id: number
  /** individual | team | legal */
  kind: string
  kind_label: string
  person_id: number | null
  /** 个人: the person's name; 服务团 / 法人: the registered name. */
  name: string
  /** 派出单位 (or the legal-person commissioner itself). */
  org_id: number
  org_name: string
  region_code: string
  region_name: string
  /** The commissioner's own account (仅本人). */
  user_id: number | null
  /** 服务团成员 (the leader excluded), with the names as written. */
  members: { id: number; name: string }[]
  funding: string
  funding_label: string
  field: string
  year: number
  term_from: string
  term_to: string
  /** Masked (138****5678) for readers who may not see it in full. */
  phone: string | null
  station_id: number | null
  station_name: string | null
  /** active | ended | revoked */
  status: string
  status_label: string
  updated_at: number
}

export interface CommissionerInput {
  kind: string
  /** 个人: the person; 服务团: its leader. Not for a legal-person commissioner. */
  person_id: number | null
  /** 服务团 name or 法人 commissioner's service name. */
  name: string
  org_id: number
  members: number[]
  funding: string
  field: string
  year: number
  term_from: string
  term_to: string
  region: string | null
  phone: string
  station_id: number | null
}

/** 派驻 to a village, township, cooperative or enterprise. */
export interface Dispatch {
  id: number
  commissioner_id: number
  commissioner_name: string
  commissioner_kind: string
  /** village | township | cooperative | enterprise */
  target_kind: string
  target_kind_label: string
  county_code: string
  county_name: string
  place: string
  target_org_id: number | null
  target_org_name: string | null
  starts_on: string
  ends_on: string
  agreement_no: string
  tasks: string
  /** active | ended | cancelled */
  status: string
  status_label: string
  user_id: number | null
  home_org_id: number
  home_org_name: string
  updated_at: number
}

export interface DispatchInput {
  commissioner_id: number
  target_kind: string
  /** 县级区划 (GB/T 2260). */
  county: string
  /** 乡镇、村. */
  place: string
  target_org_id: number | null
  starts_on: string
  ends_on: string
  agreement_no: string
  tasks: string
}

/** A dispatch's 满意度 of a year. */
export interface Rating {
  dispatch_id: number
  year: number
  /** 1–5 */
  score: number
  comment: string
  rated_by: string
  rated_at: number
}

export interface RatingInput {
  year: number
  score: number
  comment: string
}

/** log (the commissioner), rate (the service object or the bureau), end, cancel (the bureau). */
export interface DispatchView {
  dispatch: Dispatch
  ratings: Rating[]
  actions: string[]
}

/** 佐证材料 of a log, kept with its digest. */
export interface Evidence {
  id: number
  name: string
  content_type: string
  size_bytes: number
  sha256: string
}

/** 服务日志. */
export interface ServiceLog {
  id: number
  dispatch_id: number
  commissioner_id: number
  commissioner_name: string
  served_on: string
  year: number
  /** guidance | training | demonstration | startup */
  kind: string
  kind_label: string
  /** 服务天数, e.g. "1.5". */
  days: string
  half_days: number
  people: number
  households: number
  place: string
  content: string
  evidence: Evidence[]
  /** 受援方确认 */
  confirmed_on: string | null
  confirmed_by: string | null
  county_name: string
  target_org_id: number | null
  user_id: number | null
  home_org_id: number
  updated_at: number
  /** What the caller may do with it: attach, delete, confirm (the server decides). */
  actions: string[]
}

export interface LogInput {
  dispatch_id: number
  served_on: string
  kind: string
  /** 服务天数 in half-day steps, as text ("0.5", "1", "1.5" …). */
  days: string
  people: number
  households: number
  place: string
  content: string
}

/** A log with the caller's moves: attach, delete (its author while unconfirmed), confirm. */
export interface LogView {
  log: ServiceLog
  actions: string[]
}

/**
 * 年度考核 of a commissioner (the Rust `Assessment`; named apart from the contracts'
 * `Assessment` so both can be imported from '@/api/types').
 */
export interface CommissionerAssessment {
  id: number
  commissioner_id: number
  commissioner_name: string
  commissioner_kind: string
  org_name: string
  year: number
  /** excellent | qualified | failed */
  grade: string
  grade_label: string
  /** 经确认的服务天数 */
  days: string
  /** 满1个工作日的服务次数 */
  visits: number
  logs: number
  /** 未经确认、未计入的日志数 */
  unconfirmed: number
  households: number
  people: number
  /** 满意度 (average, one decimal), if rated. */
  rating: string | null
  /** 续聘 */
  renew: boolean
  /** 工作经费 (元) */
  support: string
  support_fen: number
  explanation: string
  rule: string
  org_id: number
  user_id: number | null
  updated_at: number
}

/** The outcome of 运行年度考核. */
export interface RunOutcome {
  assessed: number
  excellent: number
  qualified: number
  failed: number
}

/** 派驻分布: one township (乡镇) of a county in a year. */
export interface CountyCount {
  county_code: string
  county_name: string
  /** 乡镇, read from the dispatches' place (the whole place when it names none). */
  town: string
  dispatches: number
  commissioners: number
  logs: number
  households: number
}

/** 履职进度: the year so far against the yearly duty. */
export interface DutyProgress {
  year: number
  days: string
  visits: number
  logs: number
  unconfirmed: number
  households: number
  min_days: string
  min_visits: number
  /** 已达标 */
  met: boolean
  /** 按当前进度全年预计天数 */
  projected_days: string
  projected_met: boolean
  sentence: string
}

/** A commissioner with their dispatches, the year's duty progress and their assessments. */
export interface CommissionerView {
  commissioner: Commissioner
  dispatches: Dispatch[]
  progress: DutyProgress
  assessments: CommissionerAssessment[]
  /** update, dispatch, end, revoke (the bureau), log (the commissioner). */
  actions: string[]
}
