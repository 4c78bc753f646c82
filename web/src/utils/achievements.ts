// 科技成果 on the client: the checks the server makes on an achievement (said before it is sent,
// the patent numbers' check digit included), how a record reads (price, TRL, days of notice
// left, the steps of its lifecycle). Pure functions, except the dictionaries' loader at the end.
import { api } from '@/api/http'
import type { Achievement, AchievementDicts, AchievementInput } from '@/api/types'
import { parseAmount } from './contracts'
import type { Dict, TagType } from './dict'
import { formatWan } from './format'

// ---------- patent numbers (专利申请号, with its check digit) ----------

/** The IP kinds whose number is a patent application number, checked by its digit. */
export const PATENT_KINDS = ['invention_patent', 'utility_model', 'design']

/**
 * The check digit of a Chinese patent application number: the 12 digits of a number from 2003
 * weighed 2,3,4,5,6,7,8,9,2,3,4,5 (the 8 digits of an older one 2…9), the sum mod 11, 10 written
 * X. Null when `digits` is not 12 or 8 digits.
 */
export function patentCheckDigit(digits: string): string | null {
  if (!/^(\d{12}|\d{8})$/.test(digits)) return null
  let sum = 0
  for (let i = 0; i < digits.length; i++) sum += Number(digits[i]) * ((i % 8) + 2)
  const r = sum % 11
  return r === 10 ? 'X' : String(r)
}

export interface PatentNumber {
  /** The application number's 12 (or 8) digits. */
  digits: string
  /** The check digit as written. */
  check: string
  /** The check digit the digits call for. */
  expected: string
  /** As the server stores it: ZL + digits + '.' + check digit. */
  normalized: string
}

/**
 * A patent number as people write it — `ZL201910123456.X`, `CN201910123456X`, `201910123456x`,
 * `93100042.4` — split into its digits and check digit; null when it has not that shape.
 */
export function parsePatentNumber(s: string | null | undefined): PatentNumber | null {
  const t = String(s ?? '').toUpperCase().replace(/\s+/g, '')
  const body = (t.startsWith('ZL') || t.startsWith('CN') ? t.slice(2) : t).replace(/\./g, '')
  const m = /^(\d{12}|\d{8})([\dX])$/.exec(body)
  if (!m) return null
  const expected = patentCheckDigit(m[1])!
  return { digits: m[1], check: m[2], expected, normalized: `ZL${m[1]}.${expected}` }
}

/** What is wrong with a patent number, in the server's words; '' when it is valid. */
export function patentNumberProblem(s: string | null | undefined): string {
  const typed = String(s ?? '').trim()
  const p = parsePatentNumber(typed)
  if (!p) return `专利号“${typed}”格式错误，应为 ZL + 12位申请号 + . + 校验位（如 ZL202010123456.X）`
  if (p.check !== p.expected) return `专利号“${typed}”校验位错误：按申请号计算应为“${p.expected}”，请核对`
  return ''
}

/** What is wrong with one IP item (its kind and number); '' when the server will take it. */
export function ipProblem(kind: string, number: string, kindLabel = ''): string {
  if (!kind) return '请选择知识产权类型'
  if (PATENT_KINDS.includes(kind)) return patentNumberProblem(number)
  if (kind === 'know_how') return ''
  const t = number.trim()
  if (!t || [...t].length > 40) return `${kindLabel || '该知识产权'}的登记号不能为空，且不超过40个字符`
  return ''
}

// ---------- the form ----------

export function emptyAchievementInput(): AchievementInput {
  return { title: '', area: '', industry: '', keywords: [], summary: '', trl: 0, team: [], ip: [], modes: [], negotiable: true, asking_price: '', contact: '' }
}

/** Amounts as typed: "1000000.00" → "1000000", "12.50" → "12.5". */
function plainAmount(s: string | null | undefined): string {
  const t = String(s ?? '')
  return t.includes('.') ? t.replace(/0+$/, '').replace(/\.$/, '') : t
}

/** A stored achievement as the form edits it. */
export function inputFromAchievement(a: Achievement): AchievementInput {
  return {
    title: a.title,
    area: a.area ?? '',
    industry: a.industry ?? '',
    keywords: [...(a.keywords ?? [])],
    summary: a.summary ?? '',
    trl: a.trl || 0,
    team: (a.team ?? []).map((m) => m.person_id),
    ip: (a.ip ?? []).map((x) => ({ kind: x.kind, number: x.number })),
    modes: [...(a.modes ?? [])],
    negotiable: a.negotiable,
    asking_price: a.negotiable ? '' : plainAmount(a.asking_price),
    contact: a.contact ?? '',
  }
}

/** The IP rows that say something (a row left blank is not sent). */
function ipRows(i: Pick<AchievementInput, 'ip'>) {
  return i.ip.filter((x) => x.kind || x.number.trim())
}

/** The body sent: text trimmed, keywords without blanks or repeats, no price when 面议. */
export function normalizeAchievementInput(i: AchievementInput): AchievementInput {
  const keywords = [...new Set(i.keywords.map((k) => k.trim()).filter(Boolean))]
  return {
    ...i,
    title: i.title.trim(),
    industry: i.industry.trim().toUpperCase(),
    keywords,
    summary: i.summary.trim(),
    team: [...new Set(i.team)],
    ip: ipRows(i).map((x) => ({ kind: x.kind, number: x.number.trim() })),
    modes: [...new Set(i.modes)],
    asking_price: i.negotiable ? '' : i.asking_price.trim().replace(/[,，\s]/g, ''),
    contact: i.contact.trim(),
  }
}

/**
 * The server's checks of an achievement (crates/domain achievement.rs), each problem under the
 * field the server names (`ip.0` for the first IP row) with the server's message; {} when it
 * would pass. Unknown team members are the server's to find (team.unknown).
 */
export function checkAchievement(i: AchievementInput, ipKinds: { value: string; label: string }[] = []): Record<string, string> {
  const out: Record<string, string> = {}
  const put = (field: string, msg: string) => {
    if (msg && !out[field]) out[field] = msg
  }
  const title = i.title.trim()
  if (!title || [...title].length > 100) put('title', '成果名称不能为空，且不超过100个字')
  if (!i.area) put('area', '请选择技术领域')
  const industry = i.industry.trim().toUpperCase()
  if (industry && !/^[A-Z]\d{0,4}$/.test(industry)) put('industry', `国民经济行业代码“${i.industry.trim()}”格式错误，应为 GB/T 4754 代码（如 C3240）`)
  const keywords = i.keywords.map((k) => k.trim()).filter(Boolean)
  if (!keywords.length || keywords.length > 5 || keywords.some((k) => [...k].length > 20)) put('keywords', '关键词1至5个，每个不超过20个字')
  const summary = i.summary.trim()
  if (!summary || [...summary].length > 2000) put('summary', '成果简介不能为空，且不超过2000个字')
  if (!Number.isInteger(i.trl) || i.trl < 1 || i.trl > 9) put('trl', '技术就绪度应为1至9级')
  i.ip.forEach((x, n) => {
    if (!x.kind && !x.number.trim()) return
    put(`ip.${n}`, ipProblem(x.kind, x.number, ipKinds.find((k) => k.value === x.kind)?.label))
  })
  if (!i.modes.length) put('modes', '请至少选择一种转化方式')
  if (!i.negotiable) {
    const a = parseAmount(i.asking_price)
    if ('empty' in a) put('asking_price', '请填写挂牌价格，或选择“面议”')
    else if ('problem' in a) put('asking_price', a.problem === 'negative' ? '挂牌价格不能为负数' : a.problem === 'precision' ? '挂牌价格最多保留两位小数（分）' : '挂牌价格不是有效金额（元）')
  }
  if ([...i.contact.trim()].length > 100) put('contact', '联系方式不超过100个字')
  return out
}

// ---------- how a record reads ----------

/** The statuses shown in the 成果大厅. */
export const PUBLIC_STATUSES = ['notice', 'listed', 'dealt']

const TAGS: TagType[] = ['primary', 'success', 'warning', 'danger', 'info']

/** The statuses as a DictTag dictionary, in the server's colours. */
export function achievementStatusDict(d: Pick<AchievementDicts, 'statuses'> | null | undefined): Dict {
  return (d?.statuses ?? []).map((s) => ({ value: s.value, label: s.label, type: TAGS.includes(s.tag as TagType) ? (s.tag as TagType) : undefined }))
}

/** A TRL level's colour: research (1–3) grey, development (4–6) amber, ready (7–9) green. */
export function trlTagType(trl: number | null | undefined): TagType {
  if (!trl) return 'info'
  return trl >= 7 ? 'success' : trl >= 4 ? 'warning' : 'info'
}

/** "面议", or the asking price in 万元 ("120.00 万元"). */
export function priceText(a: Pick<Achievement, 'negotiable' | 'asking_price'>): string {
  if (a.negotiable || a.asking_price === null || a.asking_price === undefined || a.asking_price === '') return '面议'
  return `${formatWan(a.asking_price)} 万元`
}

function dayNumber(d: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(d)
  return m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) / 86_400_000 : null
}

/** Whole days from `today` to `end` (both YYYY-MM-DD); negative once past; null without a date. */
export function daysUntil(end: string | null | undefined, today: string): number | null {
  if (!end) return null
  const e = dayNumber(end)
  const t = dayNumber(today)
  return e === null || t === null ? null : e - t
}

/** The notice period's time left, said for people: "还剩 3 天", "今日公示期满", "公示期已满". */
export function noticeLeftText(end: string | null | undefined, today: string): string {
  const d = daysUntil(end, today)
  if (d === null) return ''
  if (d > 0) return `还剩 ${d} 天`
  if (d === 0) return '今日公示期满'
  return '公示期已满'
}

export interface AchievementStep {
  key: string
  title: string
  description: string
}

export interface AchievementSteps {
  steps: AchievementStep[]
  /** The index of the current step; steps.length when all are done. */
  active: number
  /** How the current step is drawn (el-steps `process-status`). */
  processStatus: 'process' | 'error' | 'wait' | 'finish' | 'success'
}

/**
 * 草稿 → 待审核 → 公示中 → 挂牌中 → 已成交, with 退回修改 after 待审核 while the record is sent
 * back, and 已下架 after the last step reached when it was withdrawn.
 */
export function achievementSteps(
  a: Pick<Achievement, 'status' | 'submitted_on' | 'notice_start' | 'notice_end' | 'listed_on' | 'closed_on' | 'return_reason'>,
): AchievementSteps {
  const period = a.notice_start ? `${a.notice_start} 至 ${a.notice_end ?? ''}` : ''
  const draft: AchievementStep = { key: 'draft', title: '草稿', description: '填写成果信息' }
  const pending: AchievementStep = { key: 'pending', title: '待审核', description: a.submitted_on ? `提交 ${a.submitted_on}` : '提交科技部门审核' }
  const notice: AchievementStep = { key: 'notice', title: '公示中', description: period || '审核通过后公示' }
  const listed: AchievementStep = { key: 'listed', title: '挂牌中', description: a.listed_on ? `挂牌 ${a.listed_on}` : '公示期满且无异议后挂牌' }
  const dealt: AchievementStep = { key: 'dealt', title: '已成交', description: a.status === 'dealt' && a.closed_on ? `成交 ${a.closed_on}` : '' }
  switch (a.status) {
    case 'draft':
      return { steps: [draft, pending, notice, listed, dealt], active: 0, processStatus: 'process' }
    case 'pending':
      return { steps: [draft, pending, notice, listed, dealt], active: 1, processStatus: 'process' }
    case 'returned': {
      const returned = { key: 'returned', title: '退回修改', description: a.return_reason ? '按退回意见修改后重新提交' : '修改后重新提交' }
      return { steps: [draft, pending, returned, notice, listed, dealt], active: 2, processStatus: 'error' }
    }
    case 'notice':
      return { steps: [draft, pending, notice, listed, dealt], active: 2, processStatus: 'process' }
    case 'listed':
      return { steps: [draft, pending, notice, listed, dealt], active: 3, processStatus: 'process' }
    case 'dealt':
      return { steps: [draft, pending, notice, listed, dealt], active: 5, processStatus: 'success' }
    case 'withdrawn': {
      // The steps it went through, then 已下架.
      const went = [draft, pending]
      if (a.notice_start) went.push(notice)
      if (a.listed_on) went.push(listed)
      const withdrawn = { key: 'withdrawn', title: '已下架', description: a.closed_on ? `下架 ${a.closed_on}` : '' }
      return { steps: [...went, withdrawn], active: went.length, processStatus: 'error' }
    }
    default:
      return { steps: [draft, pending, notice, listed, dealt], active: 0, processStatus: 'wait' }
  }
}

/** The 异议 a line of the objections shows as its result. */
export function objectionResult(o: { resolved: boolean; upheld: boolean | null }): { label: string; type: TagType } {
  if (!o.resolved) return { label: '待处理', type: 'warning' }
  return o.upheld ? { label: '异议成立', type: 'danger' } : { label: '异议不成立', type: 'success' }
}

/** The moves of a record that take a few words (AchievementMoveDialog). */
export type AchievementMove = 'review' | 'object' | 'resolve' | 'deal' | 'withdraw'

// ---------- dictionaries ----------

let dicts: Promise<AchievementDicts> | null = null

/** GET /achievements/dicts, asked once per page load (a failure is asked again next time). */
export function loadAchievementDicts(): Promise<AchievementDicts> {
  if (!dicts) {
    dicts = api.get<AchievementDicts>('/achievements/dicts').catch((e) => {
      dicts = null
      throw e
    })
  }
  return dicts
}
