// 专家评审: the review vocabularies (wire value → 中文, mirroring crates/domain/src/review.rs), the
// small computations the review pages share, and their file downloads.
import { ElMessage } from 'element-plus'
import { errorMessage, send } from '@/api/http'
import type { Application, AssignSummary, Assignment, Candidate, Criterion, FormField } from '@/api/types'
import type { Dict } from './dict'
import { saveBlob } from './format'

export const OBJECT_KINDS: Dict = [
  { value: 'application', label: '项目申报书' },
  { value: 'acceptance', label: '项目验收报告' },
  { value: 'award', label: '奖励提名' },
  { value: 'platform_evaluation', label: '平台绩效评价' },
  { value: 'talent_application', label: '人才认定申请' },
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
  { value: 'lower_affinity', label: '未入选' },
  { value: 'not_drawn', label: '未抽中' },
  // Not a server status: every qualified expert before the round's first assignment.
  { value: 'unassigned', label: '尚未分配' },
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
  unassigned: 'info',
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
    if (s.seed !== undefined && s.seed !== null) parts.push(`抽取编号 ${s.seed}`)
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

// ----- 学科相符程度, candidates, quota and hand adjustments (the officer's view of an assignment) -----

export interface FitLevel {
  label: '高' | '中' | '低' | '无'
  type: TagType
}

/** The affinity (0–1) in an officer's words; the number goes into a tooltip. */
export function fitLevel(affinity: number): FitLevel {
  if (affinity >= 0.6) return { label: '高', type: 'success' }
  if (affinity >= 0.3) return { label: '中', type: 'primary' }
  if (affinity > 0) return { label: '低', type: 'warning' }
  return { label: '无', type: 'info' }
}

export interface CandidateView {
  status: string
  reason: string
}

/**
 * What the candidate drawer says about one expert. The server explains against the last
 * assignment run; before any run "未入选" would be false, and its reasons quote raw affinities.
 */
export function candidateView(c: Candidate, roundAssigned: boolean): CandidateView {
  if (!roundAssigned && ['lower_affinity', 'not_drawn', 'at_capacity'].includes(c.status)) {
    return { status: 'unassigned', reason: '符合条件，尚未进行专家分配' }
  }
  if (c.status === 'assigned') return { status: c.status, reason: c.reason.replace(/匹配度-?\d+(\.\d+)?，?/, '') }
  if (c.status === 'lower_affinity') {
    const cost = /至少降低(\d+(\.\d+)?)/.exec(c.reason)?.[1]
    return {
      status: c.status,
      reason: cost ? `已入选的专家与本项更相符，改派该专家将使总匹配度降低 ${cost} 以上` : '相符程度不及已入选的专家',
    }
  }
  return { status: c.status, reason: c.reason }
}

/** The warning when an item has more (or fewer) experts than the round asks for; '' when it fits. */
export function quotaWarning(count: number, perItem: number): string {
  if (count > perItem) return `已有${count}位专家，超过每项${perItem}位的要求`
  if (count < perItem) return `已有${count}位专家，还差${perItem - count}位`
  return ''
}

export interface AdjustState {
  /** what replaces the run's badge after a change; '' while the run still describes the assignment */
  note: string
  /** the total affinity of the experts now assigned */
  current: number
}

/**
 * Whether the stored run summary still describes the assignment. The server marks hand changes
 * (`adjusted`); a decline with its 递补 shows only in the assignments, and so does a removal
 * by an older server, as a total that no longer adds up.
 */
export function adjustState(s: AssignSummary | null | undefined, assignments: Assignment[]): AdjustState {
  const active = assignments.filter((a) => a.status !== 'declined')
  const current = active.reduce((t, a) => t + a.affinity, 0)
  if (!s) return { note: '', current }
  const declined = assignments.length > active.length || active.some((a) => a.method === 'replacement')
  const manual = !!s.adjusted || active.some((a) => a.method === 'manual') || (!declined && Math.abs(current - s.objective) > 1e-7)
  if (manual) return { note: '已手工调整（调整后不再保证最优）', current }
  if (declined) return { note: '有专家回避后已递补（不再保证最优）', current }
  return { note: '', current }
}

// ----- people: same-name experts -----

export interface PersonFacts {
  id: number
  name: string
  org: string | null
  title?: string | null
  disciplines?: string[]
}

/**
 * "王振宇（济源职业技术学院）" for each person; where two people would still read the same, their
 * title and then their first discipline are added ("王振宇（济源职业技术学院，教授）").
 */
export function personLabels(people: PersonFacts[]): Map<number, string> {
  // Several lists may name the same person; each contributes what it knows.
  const byId = new Map<number, PersonFacts>()
  for (const p of people) {
    const known = byId.get(p.id) ?? { id: p.id, name: p.name, org: null }
    byId.set(p.id, {
      ...known,
      org: p.org || known.org,
      title: p.title || known.title,
      disciplines: p.disciplines?.length ? p.disciplines : known.disciplines,
    })
  }
  const text = (p: PersonFacts, n: number) => {
    const d = [p.org, n >= 1 ? p.title : null, n >= 2 ? p.disciplines?.[0] : null].filter(Boolean)
    return d.length ? `${p.name}（${d.join('，')}）` : p.name
  }
  const byName = new Map<string, PersonFacts[]>()
  for (const p of byId.values()) byName.set(p.name, [...(byName.get(p.name) ?? []), p])
  const out = new Map<number, string>()
  for (const same of byName.values()) {
    for (const p of same) {
      let n = 0
      while (n < 2 && same.some((q) => q.id !== p.id && text(q, n) === text(p, n))) n++
      out.set(p.id, text(p, n))
    }
  }
  return out
}

/** "王振宇（济源职业技术学院）", the name alone without a unit. */
export function personLabel(name: string, org: string | null | undefined): string {
  return org ? `${name}（${org}）` : name
}

// ----- the expert's side: 暂存, the application, files -----

/** The values the scoring dialog opens with: the submitted scores, else the 暂存 draft. */
export function savedScores(t: Assignment): { scores: Record<string, number | undefined>; comment: string } {
  const src = t.scores ?? t.draft?.scores ?? {}
  const scores: Record<string, number | undefined> = {}
  for (const c of t.form) scores[c.key] = typeof src[c.key] === 'number' ? src[c.key] : undefined
  return { scores, comment: (t.scores ? t.comment : t.draft?.comment) ?? '' }
}

/** The scores entered so far (a 暂存 may be partial). */
export function enteredScores(form: Criterion[], scores: Record<string, number | null | undefined>): Record<string, number> {
  const out: Record<string, number> = {}
  for (const c of form) {
    const v = scores[c.key]
    if (typeof v === 'number' && Number.isFinite(v)) out[c.key] = v
  }
  return out
}

/** HH:mm in Beijing time for today's stamps, YYYY-MM-DD HH:mm for older ones. */
export function shortTime(ms: number, now: number = Date.now()): string {
  const iso = (t: number) => new Date(t + 8 * 3600 * 1000).toISOString()
  const at = iso(ms)
  return at.slice(0, 10) === iso(now).slice(0, 10) ? at.slice(11, 16) : `${at.slice(0, 10)} ${at.slice(11, 16)}`
}

/** The application behind an item ("application:123" → 123). */
export function applicationOf(ref: string | null | undefined): number | null {
  const m = /^application:(\d+)$/.exec(ref ?? '')
  return m ? Number(m[1]) : null
}

/** 元 (decimal text) as 万元 with two decimals and thousands separators: "1,234.57". */
export function wan(yuan: string | number | null | undefined): string {
  const v = typeof yuan === 'number' ? yuan : Number(String(yuan ?? '').replace(/,/g, '').trim())
  if (yuan === null || yuan === undefined || yuan === '' || !Number.isFinite(v)) return '—'
  return (v / 10000).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })
}

/** The sum of budget amounts (元), exact to the fen. */
export function sumYuan(amounts: string[]): number {
  let fen = 0
  for (const a of amounts) {
    const v = Number(String(a).replace(/,/g, ''))
    if (Number.isFinite(v)) fen += Math.round(v * 100)
  }
  return fen / 100
}

/** A file size as 512 B / 1.2 KB / 3.4 MB. */
export function fileSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`
}

/** The call's extra items with the application's answers, in the call's order (unlabelled answers last). */
export function answerRows(a: Pick<Application, 'answers'>, form: FormField[] | undefined): { label: string; value: string }[] {
  const answers = a.answers ?? {}
  const rows = (form ?? []).map((f) => ({ label: f.label, value: answers[f.key] ?? '' }))
  const known = new Set((form ?? []).map((f) => f.key))
  const rest = Object.entries(answers).filter(([k, v]) => !known.has(k) && v)
  rest.forEach(([, v], i) => rows.push({ label: rest.length > 1 ? `其他申报内容${i + 1}` : '其他申报内容', value: v }))
  return rows
}

/** Download a file the server makes (PDF attachment, 评审意见表, 汇总表) under `name`. */
export async function download(path: string, name: string): Promise<boolean> {
  try {
    const res = await send(path)
    saveBlob(await res.blob(), name)
    return true
  } catch (e) {
    ElMessage.error(errorMessage(e))
    return false
  }
}
