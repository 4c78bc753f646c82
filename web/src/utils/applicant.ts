// The applicant's side of 科技计划项目: registry facts shown instead of asked for (预填),
// predecessors for 滚动支持, attachments.
import type { FigureSpec } from './figures'
import { FIGURES, formatFigure } from './figures'
import type { BudgetLine, FormField, Milestone, TitleHeld, TrackRecordItem } from '@/api/types'
import { toFen } from './projects'

/** Registry figures shown on the form, in this order (the rest stay in the registry). */
export const PREFILL_FIGURES = ['employees', 'tech_staff', 'revenue', 'rd_expense', 'high_tech_revenue', 'invention_patents', 'ip_class1']

/** Label and formatted value of each shown figure present in `figures`. */
export function prefillFigures(figures: Record<string, unknown> | null | undefined): { label: string; value: string }[] {
  if (!figures) return []
  return PREFILL_FIGURES.map((k) => FIGURES.find((s) => s.key === k))
    .filter((s): s is FigureSpec => !!s && figures[s.key] !== null && figures[s.key] !== undefined)
    .map((s) => ({ label: s.kind === 'amount' ? `${s.label}（元）` : s.label, value: formatFigure(s, figures[s.key]) }))
}

const PACK_NAMES: Record<string, string> = {
  'tech-sme': '科技型中小企业',
  hnte: '高新技术企业',
  'innovative-sme': '创新型中小企业',
  'zjtx-sme': '专精特新中小企业',
}

/** Titles the rules engine found the organization to hold, e.g. "高新技术企业（2025年评价）". */
export function titlesHeld(titles: TitleHeld[]): string[] {
  return titles.filter((t) => t.qualified && PACK_NAMES[t.pack]).map((t) => `${PACK_NAMES[t.pack]}（${t.year}年评价）`)
}

/**
 * Earlier projects a 滚动支持 application may follow on from: closed and rated 优秀 or 良好;
 * the others are listed disabled with the reason.
 */
export function predecessorOptions(items: TrackRecordItem[]): { id: number; label: string; disabled: boolean; reason: string }[] {
  return items
    .filter((i) => i.role === '承担单位' || i.role === '负责人')
    .map((i) => {
      const ok = i.status === 'closed' && (i.rating === 'excellent' || i.rating === 'good')
      const reason = ok
        ? `绩效评价${i.rating_label}`
        : i.status !== 'closed'
          ? `${i.status_label}，未结题`
          : `绩效评价${i.rating_label ?? '未评价'}`
      return { id: i.application_id, label: i.title, disabled: !ok, reason }
    })
    .sort((a, b) => Number(a.disabled) - Number(b.disabled))
}

/** 2411724 → "2.3 MB"; 5120 → "5.0 KB". */
export function fileSize(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / 1024 / 1024).toFixed(1)} MB`
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(1)} KB`
  return `${bytes} B`
}

/** The first and last characters of a digest, for display ("3f2a9c…e07b"). */
export function shortHash(h: string): string {
  return h.length > 16 ? `${h.slice(0, 8)}…${h.slice(-6)}` : h
}

/** A problem with a file before it is sent (the server checks again), or '' when fine. */
export function pdfProblem(f: { name: string; size: number }): string {
  if (!f.name.toLowerCase().endsWith('.pdf')) return `“${f.name}”不是PDF文件，附件须为PDF格式`
  if (f.size === 0) return '文件为空'
  if (f.size > 20 * 1024 * 1024) return `文件大小${fileSize(f.size)}，超过上限 20 MB`
  return ''
}

/**
 * The extra items of a call as sent to the server: blank rows dropped, labels trimmed, and each
 * item given a stable key (`item1`, `item2`, … in order) unless it already has one.
 */
export function formItems(rows: FormField[]): FormField[] {
  return rows
    .filter((r) => r.label.trim())
    .map((r, i) => ({ key: r.key || `item${i + 1}`, label: r.label.trim(), kind: r.kind, required: r.required }))
}

/** Answers worth sending: blank ones dropped, the rest trimmed. */
export function cleanAnswers(a: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(a).map(([k, v]) => [k, v.trim()]).filter(([, v]) => v))
}

// ---- 提交前检查 (finding 2): what a submission lacks, said on its field, in the form's order ----

/** A problem with one field, keyed as the server keys it (`budget[0].amount`, `answers.item1` …). */
export interface Problem {
  field: string
  message: string
}

/** What the form holds, as it would be sent. */
export interface SubmissionDraft {
  title: string
  leader_id: number | null
  lump_sum: boolean
  budget: BudgetLine[]
  milestones: Milestone[]
  integrity_pledge: boolean
  predecessor_id?: number | null
  answers?: Record<string, string>
}

const NUMBER = /^-?\d+(\.\d+)?$/

/**
 * Everything a submission still lacks, in the order the form shows the fields (the server checks
 * the same again and answers 422 `application.incomplete` with the same keys).
 */
export function submissionProblems(a: SubmissionDraft, call: { mode: string; form?: FormField[] }): Problem[] {
  const out: Problem[] = []
  const add = (field: string, message: string) => out.push({ field, message })
  if (!a.title.trim()) add('title', '请填写项目名称')
  if (call.mode === 'rolling' && !a.predecessor_id) add('predecessor_id', '请选择前期项目（本单位已结题且绩效评价为优秀或良好的项目）')
  if (!a.leader_id) add('leader_id', '请选择项目负责人')
  for (const x of call.form ?? []) {
    const v = (a.answers?.[x.key] ?? '').trim()
    if (x.required && !v) add(`answers.${x.key}`, `请填写“${x.label}”（本指南要求）`)
    else if (v && x.kind === 'number' && !NUMBER.test(v.replace(/,/g, ''))) add(`answers.${x.key}`, `“${x.label}”应填写数字`)
  }
  if (!a.budget.length) add('budget', '请填写预算（至少一项）')
  a.budget.forEach((l, i) => {
    const what = a.lump_sum ? '包干总额' : `第${i + 1}项预算金额`
    if (!a.lump_sum && !l.item.trim()) add(`budget[${i}].item`, `第${i + 1}项预算科目不能为空`)
    if (!l.amount.trim()) add(`budget[${i}].amount`, `${what}未填写`)
    else if (toFen(l.amount) === null) add(`budget[${i}].amount`, `${what}“${l.amount.trim()}”不是有效金额（元，最多两位小数）`)
  })
  if (!a.milestones.length) add('milestones', '请至少填写一个里程碑及其可考核指标')
  a.milestones.forEach((m, i) => {
    if (!m.title.trim() || !m.target.trim()) add(`milestones[${i}]`, `第${i + 1}个里程碑须有名称和可考核指标`)
    if (!m.due_on) add(`milestones[${i}].due_on`, `第${i + 1}个里程碑须有完成日期`)
  })
  if (!a.integrity_pledge) add('integrity_pledge', '提交前须签署科研诚信承诺书')
  return out
}

/**
 * The form item a server field key belongs to: `budget[0].amount` → the budget table (or the lump
 * sum), `milestones[1]` → the milestones, `team` → the leader's item. null when the form has no such
 * item (the message is then shown without a field).
 */
export function formItemOf(field: string, lumpSum: boolean, answerKeys: string[]): string | null {
  if (field.startsWith('answers.')) return answerKeys.includes(field.slice(8)) ? field : null
  if (/^budget(\[\d+\])?(\.|$)/.test(field)) return lumpSum ? 'lump' : 'budget'
  if (/^milestones(\[\d+\])?(\.|$)/.test(field)) return 'milestones'
  if (field === 'team') return 'leader_id'
  return ['title', 'predecessor_id', 'leader_id', 'disciplines', 'keywords', 'ethics_registration', 'integrity_pledge'].includes(field) ? field : null
}

/** The problems placed on their form items (several on one item joined), and the rest. */
export function placeProblems(ps: Problem[], lumpSum: boolean, answerKeys: string[]): { byItem: Record<string, string>; rest: string[] } {
  const byItem: Record<string, string> = {}
  const rest: string[] = []
  for (const p of ps) {
    const item = formItemOf(p.field, lumpSum, answerKeys)
    if (item === null) rest.push(p.message)
    else byItem[item] = byItem[item] ? `${byItem[item]}；${p.message}` : p.message
  }
  return { byItem, rest }
}

/** The rows of a table (`budget`, `milestones`) that have a problem of their own. */
export function flaggedRows(ps: Problem[], table: 'budget' | 'milestones'): Set<number> {
  const re = new RegExp(`^${table}\\[(\\d+)\\]`)
  return new Set(ps.map((p) => re.exec(p.field)).filter((m): m is RegExpExecArray => !!m).map((m) => Number(m[1])))
}

/** Whether the page itself checks this field (a later edit re-judges it there). */
export function checkedOnPage(field: string): boolean {
  return /^(title|predecessor_id|leader_id|answers\.|budget|milestones|integrity_pledge)/.test(field)
}

/** The toast after a refused submission: what is missing, the first few in the form's order. */
export function missingText(ps: Problem[]): string {
  const first = ps.slice(0, 3).map((p) => p.message).join('；')
  return ps.length > 3 ? `请补全后再提交（共${ps.length}项）：${first}……` : `请补全后再提交：${first}`
}

const ORDER = ['title', 'predecessor_id', 'leader_id', 'disciplines', 'keywords', 'answers.', 'budget', 'lump', 'milestones', 'ethics_registration', 'integrity_pledge']

/** The server's problems in the order the form shows their fields (stable within one field). */
export function inFormOrder(ps: Problem[], lumpSum: boolean, answerKeys: string[]): Problem[] {
  const rank = (p: Problem) => {
    const item = formItemOf(p.field, lumpSum, answerKeys)
    if (item === null) return ORDER.length
    if (item.startsWith('answers.')) return ORDER.indexOf('answers.') + answerKeys.indexOf(item.slice(8)) / 1000
    return ORDER.indexOf(item)
  }
  return ps.map((p, i) => ({ p, i, r: rank(p) })).sort((a, b) => a.r - b.r || a.i - b.i).map((x) => x.p)
}
