// ----- 技术市场: 科技成果 (/achievements): 成果大厅, 我的成果 / 成果审核 -----

/** What the caller may do with an achievement, as the server lists it (the UI offers only these). */
export type AchievementAction = 'edit' | 'delete' | 'submit' | 'review' | 'object' | 'resolve' | 'list' | 'deal' | 'withdraw'

/** draft 草稿, pending 待审核, notice 公示中, listed 挂牌中, dealt 已成交, withdrawn 已下架, returned 退回修改 */
export type AchievementStatus = 'draft' | 'pending' | 'notice' | 'listed' | 'dealt' | 'withdrawn' | 'returned'

export interface AchievementTeamMember {
  person_id: number
  name: string
}

export interface AchievementIp {
  kind: string
  kind_label: string
  /** A patent's number normalized by the server: ZL + digits + '.' + check digit. */
  number: string
}

/** 公示期内的异议 */
export interface AchievementObjection {
  no: number
  /** YYYY-MM-DD HH:mm */
  at: string
  /** 异议人 */
  by: string
  content: string
  resolved: boolean
  /** 异议成立 (true) / 不成立 (false); null while open. */
  upheld: boolean | null
  /** 处理意见 */
  resolution: string | null
}

export interface Achievement {
  id: number
  title: string
  owner_org_id: number
  owner_name: string
  region_code: string
  region_name: string
  area: string
  area_label: string
  /** GB/T 4754 code, or '' */
  industry: string
  /** In the contract; the server may leave it out (the page names the code from utils/dict). */
  industry_label?: string
  keywords: string[]
  /** 成果简介 (public) */
  summary: string
  /** 技术就绪度 1..9 */
  trl: number
  trl_label: string
  team: AchievementTeamMember[]
  ip: AchievementIp[]
  modes: string[]
  mode_labels: string[]
  /** 面议 */
  negotiable: boolean
  /** 挂牌价格, yuan as decimal text; null when 面议 */
  asking_price: string | null
  /** 联系人及电话 */
  contact: string
  status: AchievementStatus | string
  status_label: string
  submitted_on: string | null
  notice_start: string | null
  notice_end: string | null
  /** The notice period's length in days. */
  notice_days: number | null
  listed_on: string | null
  closed_on: string | null
  /** 退回理由 while 退回修改 (kept after resubmission); the 下架理由 once withdrawn, the 成交说明 once dealt. */
  return_reason: string | null
  /** Filled on GET /achievements/{id} and the moves' answers; empty in lists. */
  objections: AchievementObjection[]
  open_objections: number
  /** Why it cannot be listed yet (Chinese, from the rule) while 公示中; null when it can. Not in lists. */
  listable_reason?: string | null
  updated_at: number
  /** On GET /achievements/{id} and the moves' answers; list rows have none. */
  actions?: AchievementAction[]
}

/** POST /achievements, PUT /achievements/{id} */
export interface AchievementInput {
  title: string
  area: string
  /** GB/T 4754 code, '' for none */
  industry: string
  /** 1..5 */
  keywords: string[]
  summary: string
  /** 1..9 (0 while not chosen: the server refuses it) */
  trl: number
  /** person ids of the registry */
  team: number[]
  ip: { kind: string; number: string }[]
  /** at least one */
  modes: string[]
  negotiable: boolean
  /** 元; '' when negotiable */
  asking_price: string
  contact: string
}

export interface AchievementDictItem {
  value: string
  label: string
  /** statuses only: the Element Plus tag type */
  tag?: string
}

export interface AchievementTrl {
  value: number
  /** "TRL 1 基本原理发现" */
  label: string
  description: string
}

/** GET /achievements/dicts */
export interface AchievementDicts {
  areas: AchievementDictItem[]
  trls: AchievementTrl[]
  modes: AchievementDictItem[]
  ip_kinds: AchievementDictItem[]
  statuses: AchievementDictItem[]
}

/**
 * 匹配推荐: GET /demands/{id}/matches (achievements on the market for a demand) and
 * GET /achievements/{id}/matches (open demands for an achievement), best first.
 */
export interface Suggestion {
  kind: 'achievement' | 'demand'
  id: number
  title: string
  /** 持有单位 of an achievement, 发布单位 of a demand */
  owner: string
  region_code: string
  /** 0–100 */
  score: number
  /** Why, in Chinese: "关键词相同：冶炼（20分）" … */
  reasons: string[]
}
