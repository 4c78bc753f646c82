// 专家评审: the review vocabularies (wire value → 中文, mirroring crates/domain/src/review.rs) and
// the small pure computations the review pages share.
import type { AssignSummary, Criterion } from '@/api/types'
import type { Dict } from './dict'

export const OBJECT_KINDS: Dict = [
  { value: 'application', label: '项目申报书' },
  { value: 'acceptance', label: '项目验收报告' },
  { value: 'award', label: '奖励提名' },
  { value: 'platform_evaluation', label: '平台绩效评价' },
  { value: 'other', label: '其他' },
]
export const ROUND_STATUS: Dict = [
  { value: 'draft', label: '准备中' },
  { value: 'published', label: '评审中' },
  { value: 'closed', label: '已结束' },
]
export const ASSIGNMENT_STATUS: Dict = [
  { value: 'assigned', label: '待评审' },
  { value: 'submitted', label: '已提交' },
  { value: 'declined', label: '已回避/拒绝' },
]
export const ASSIGNMENT_METHODS: Dict = [
  { value: 'optimal', label: '最优匹配' },
  { value: 'random', label: '随机抽取' },
  { value: 'manual', label: '人工调整' },
  { value: 'replacement', label: '递补' },
]
export const CANDIDATE_STATUS: Dict = [
  { value: 'assigned', label: '已分配' },
  { value: 'declined', label: '已回避/拒绝' },
  { value: 'conflict', label: '回避' },
  { value: 'unavailable', label: '不可参评' },
  { value: 'not_qualified', label: '专业不匹配' },
  { value: 'at_capacity', label: '负荷已满' },
  { value: 'lower_affinity', label: '匹配度较低' },
  { value: 'not_drawn', label: '未抽中' },
]
export const EXCLUSION_CODES: Dict = [
  { value: 'same_organization', label: '同一单位' },
  { value: 'co_member', label: '共同承担项目' },
  { value: 'co_author', label: '合作论文' },
  { value: 'declared_avoidance', label: '申请回避' },
  { value: 'same_county', label: '同县回避' },
  { value: 'team_member', label: '项目组成员' },
]
export const RESULT_BY: Dict = [
  { value: 'zscore', label: '标准化均分（z 分数）' },
  { value: 'trimmed', label: '去掉最高最低分的均分' },
  { value: 'mean', label: '算术平均分' },
]

type TagType = 'primary' | 'success' | 'info' | 'warning' | 'danger'

const TAG_TYPES: Record<string, TagType> = {
  // rounds
  draft: 'info',
  published: 'primary',
  closed: 'success',
  // assignments
  assigned: 'warning',
  submitted: 'success',
  declined: 'danger',
  // methods
  optimal: 'primary',
  random: 'warning',
  manual: 'success',
  replacement: 'info',
  // candidates
  conflict: 'danger',
  unavailable: 'info',
  not_qualified: 'info',
  at_capacity: 'warning',
  lower_affinity: 'info',
  not_drawn: 'info',
}

/** The el-tag type for any review status or method value. */
export function tagType(v: string | null | undefined): TagType {
  return (v && TAG_TYPES[v]) || 'info'
}

/** A candidate's status tag: an assigned candidate is green in the drawer, not "pending". */
export function candidateTagType(v: string): TagType {
  return v === 'assigned' ? 'success' : tagType(v)
}

/** Sum of the scores given so far, to one decimal (what the server stores as `total`). */
export function scoreTotal(form: Criterion[], scores: Record<string, number | null | undefined>): number {
  let t = 0
  for (const c of form) {
    const v = scores[c.key]
    if (typeof v === 'number' && Number.isFinite(v)) t += v
  }
  return Math.round(t * 10) / 10
}

/** 满分 of a form. */
export function formMax(form: Criterion[]): number {
  return form.reduce((s, c) => s + c.max, 0)
}

/** The criteria still without a score (by label), in form order. */
export function missingScores(form: Criterion[], scores: Record<string, number | null | undefined>): string[] {
  return form.filter((c) => typeof scores[c.key] !== 'number' || !Number.isFinite(scores[c.key] as number)).map((c) => c.label)
}

/** A stable ASCII key for a new criterion: c1, c2 … not yet taken. */
export function nextCriterionKey(form: Criterion[]): string {
  const taken = new Set(form.map((c) => c.key))
  let n = form.length + 1
  while (taken.has(`c${n}`)) n++
  return `c${n}`
}

/** A number with up to `digits` decimals, '—' when absent. */
export function fmt(v: number | null | undefined, digits = 3): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '—'
  return v.toFixed(digits)
}

/** An optimal run whose bound equals its objective: the assignment is proven optimal. */
export function provenOptimal(s: AssignSummary | null | undefined): boolean {
  return !!s && s.method === 'optimal' && typeof s.gap === 'number' && Math.abs(s.gap) < 1e-9
}

/** One line describing the last assignment run, for the 专家分配 tab. */
export function summaryText(s: AssignSummary | null | undefined): string {
  if (!s) return '尚未分配评审专家'
  const parts: string[] = []
  if (s.method === 'optimal') {
    parts.push(s.fairness ? '公平优先的最优匹配' : '最优匹配')
    parts.push(`总匹配度 ${fmt(s.objective)}`)
    if (typeof s.bound === 'number') parts.push(`上界 ${fmt(s.bound)}`)
    if (provenOptimal(s)) parts.push('已证明最优')
    else if (typeof s.gap === 'number') parts.push(`与上界相差 ${fmt(s.gap)}`)
    if (typeof s.min_affinity === 'number') parts.push(`最低匹配度 ${fmt(s.min_affinity)}`)
  } else if (s.method === 'random') {
    parts.push('随机抽取')
    if (s.seed !== undefined && s.seed !== null) parts.push(`随机种子 ${s.seed}`)
    parts.push(`总匹配度 ${fmt(s.objective)}`)
  } else {
    parts.push(String(s.method))
  }
  parts.push(`回避 ${s.conflicts} 对`)
  parts.push(`可用专家 ${s.available_experts} 名`)
  return parts.join('，')
}

/** A due date that has passed (YYYY-MM-DD, compared with today in Asia/Shanghai). */
export function overdue(due: string | null | undefined, now: number = Date.now()): boolean {
  if (!due) return false
  const d = new Date(now + 8 * 3600 * 1000)
  const p = (n: number) => String(n).padStart(2, '0')
  const today = `${d.getUTCFullYear()}-${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())}`
  return due < today
}

/** Split a free-text list (、，, ; or spaces) into trimmed, unique terms. */
export function splitTerms(s: string): string[] {
  return [...new Set(s.split(/[、，,;；\s]+/).map((t) => t.trim()).filter(Boolean))]
}
