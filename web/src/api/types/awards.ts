// ----- 科技奖励 (/awards: 奖励评审, 提名, 公示, 上级奖励) -----
// Field names are the server's (crates/server/src/api/awards.rs). The names carry an `Award`
// prefix where a bare one is taken by another module (`Objection`, `ResolveInput` are funds').
import type { TeamMember } from './talents'

export type AwardCallStatus = 'open' | 'reviewing' | 'notice' | 'conferred'

/** 年度科学技术奖 (GET /awards/calls, …/{id}). */
export interface AwardCall {
  id: number
  year: number
  title: string
  region_code: string
  region_name: string
  /** 提名截止日期 YYYY-MM-DD */
  nominate_until: string
  /** 公示天数 */
  notice_days: number
  status: AwardCallStatus | string
  /** 提名中/评审中/公示中/已授奖 */
  status_label: string
  round_id: number | null
  round_status: string | null
  /** 公示期 YYYY-MM-DD … YYYY-MM-DD (set by 评审委员会审定) */
  notice_from: string | null
  notice_until: string | null
  conferred_on: string | null
  /** 提名数 */
  nominations: number
  note: string
  updated_at: number
}

/** POST /awards/calls */
export interface AwardCallInput {
  year: number
  title: string
  nominate_until: string
  note: string
}

/** POST /awards/calls/{id}/review (the round's title, object kind and scoring form are the server's). */
export interface AwardReviewInput {
  reviewers_per_item?: number
  due_on?: string
}

export type AwardCategory = 'natural' | 'invention' | 'progress'
export type NominationStatus = 'draft' | 'submitted' | 'returned' | 'accepted' | 'reviewing' | 'proposed' | 'not_awarded' | 'withdrawn' | 'conferred'
export type AwardGrade = 'first' | 'second' | 'third'

/** 提名项目 (GET /awards/nominations, …/{id}, /awards/notice, /review/assignments/{id}/nomination). */
export interface AwardNomination {
  id: number
  call_id: number
  call_title: string
  year: number
  category: AwardCategory | string
  /** 自然科学奖/技术发明奖/科学技术进步奖 */
  category_label: string
  /** 项目名称 */
  title: string
  /** 第一完成单位 */
  org_id: number
  org_name: string
  region_code: string
  /** 主要完成人 in their order */
  team: TeamMember[]
  /** 项目简介 */
  summary: string
  nominator_kind: 'unit' | 'expert' | string
  /** 单位提名/专家提名 */
  nominator_kind_label: string
  nominator_name: string
  status: NominationStatus | string
  /** 草稿/已提交/退回修改/形式审查通过/评审中/拟授奖/未获奖/已撤销/已授奖 */
  status_label: string
  /** 形式审查意见 */
  check_note: string | null
  round_id: number | null
  /** 专家评审得分 (decimal text) */
  score: string | null
  grade: AwardGrade | string | null
  grade_label: string | null
  /** 奖金 (元, decimal text) */
  prize: string | null
  certificate_no: string | null
  /** Why this grade (the pack's words) */
  explanation: string
  rule: string
  /** 待处理的公示异议 */
  open_objections: number
  updated_at: number
}

/** POST/PUT /awards/nominations (an enterprise's org_id is its own; the server sets it). */
export interface NominationInput {
  call_id: number
  category: AwardCategory | string
  title: string
  org_id: number
  /** person ids, in order (第一完成人 first) */
  team: number[]
  summary: string
}

/** POST /awards/nominations/{id}/check (形式审查) */
export interface NominationCheckInput {
  /** 通过 (true) or 退回修改 (false) */
  pass: boolean
  note: string
}

export type AwardObjectionStatus = 'open' | 'upheld' | 'dismissed'

/** 公示异议 (GET /awards/objections). */
export interface AwardObjection {
  id: number
  nomination_id: number
  nomination_title: string
  call_id: number
  content: string
  filed_by_name: string
  status: AwardObjectionStatus | string
  /** 待处理/异议成立/异议不成立 */
  status_label: string
  resolution: string | null
  /** epoch ms */
  filed_at: number
  resolved_at: number | null
  updated_at: number
}

/** POST /awards/nominations/{id}/objections */
export interface AwardObjectionInput {
  content: string
}

/** POST /awards/objections/{id}/resolve */
export interface AwardResolveInput {
  upheld: boolean
  resolution: string
}

/** 上级奖励: a national or provincial award won by a unit (GET /awards/wins). */
export interface AwardWin {
  id: number
  org_id: number
  org_name: string
  credit_code: string
  region_code: string
  level: 'national' | 'provincial' | string
  /** 国家级/省级 */
  level_label: string
  /** 奖项名称 */
  award_name: string
  /** 获奖等级 (free text: 一等奖 …) */
  grade: string
  year: number
  /** 奖金 (元, decimal text) */
  prize: string
  /** 授奖文件文号 */
  document: string
  updated_at: number
}

/** POST /awards/wins */
export interface AwardWinInput {
  org_id: number
  level: string
  award_name: string
  grade: string
  year: number
  prize: string
  document: string
}
