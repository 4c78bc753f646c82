// 科技奖励: the pure helpers of the award pages — empty inputs, the checks made before sending
// (the server checks again and its 422 `fields` land on the same fields), where a call and a
// nomination stand, and the review item's reference. Grades, prizes and notice days are the
// server's: none is computed here.
import { ApiError, errorMessage } from '@/api/http'
import type { AwardCall, AwardCallInput, AwardNomination, AwardWinInput, NominationInput, Person } from '@/api/types'
import { parseDay } from './talents'

export interface Problem {
  field: string
  message: string
}

/** A person offered as a 主要完成人, with the unit an expert's nomination may take. */
export type TeamOption = Pick<Person, 'id' | 'name' | 'title' | 'org_id' | 'org_name'>

const len = (s: string) => [...s].length

// ---------------------------------------------------------------- calls

export function emptyCallInput(year: number, regionName = ''): AwardCallInput {
  return { year, title: defaultCallTitle(year, regionName), nominate_until: '', note: '' }
}

/** "2027年度济源市科学技术奖" from the account's region ("河南省/省直辖县级行政区划/济源市" → 济源市). */
export function defaultCallTitle(year: number, regionName = ''): string {
  const place = regionName.split('/').filter((x) => x && !x.includes('直辖')).pop() ?? ''
  return `${year}年度${place}科学技术奖`
}

export function checkCall(i: AwardCallInput): Problem[] {
  const out: Problem[] = []
  if (!Number.isInteger(i.year) || i.year < 2000 || i.year > 2100) out.push({ field: 'year', message: '请填写正确的年度' })
  const t = i.title.trim()
  if (!t) out.push({ field: 'title', message: '请填写奖励名称' })
  else if (len(t) > 100) out.push({ field: 'title', message: '奖励名称不超过100字' })
  if (!i.nominate_until.trim()) out.push({ field: 'nominate_until', message: '请选择提名截止日期' })
  else if (!parseDay(i.nominate_until)) out.push({ field: 'nominate_until', message: '提名截止日期格式应为 YYYY-MM-DD' })
  if (len(i.note.trim()) > 2000) out.push({ field: 'note', message: '说明不超过2000字' })
  return out
}

export function normalizeCallInput(i: AwardCallInput): AwardCallInput {
  return { year: i.year, title: i.title.trim(), nominate_until: i.nominate_until.trim(), note: i.note.trim() }
}

/** The call's step in 提名 → 专家评审 → 审定公示 → 授奖 (el-steps `active`). */
export function callStep(c: Pick<AwardCall, 'status' | 'round_id'>): number {
  switch (c.status) {
    case 'open':
      return c.round_id ? 1 : 0
    case 'reviewing':
      return 1
    case 'notice':
      return 2
    case 'conferred':
      return 4
    default:
      return 0
  }
}

/** Where the notice period stands on `today`: not yet set, running (days left, today counted), or over. */
export function noticeState(c: Pick<AwardCall, 'notice_from' | 'notice_until'>, today: string): { state: 'none' | 'running' | 'over'; daysLeft: number } {
  const until = parseDay(c.notice_until)
  const now = parseDay(today)
  if (!c.notice_from || !until || !now) return { state: 'none', daysLeft: 0 }
  const days = Math.round((Date.UTC(until.y, until.m - 1, until.d) - Date.UTC(now.y, now.m - 1, now.d)) / 86400e3)
  return days >= 0 ? { state: 'running', daysLeft: days + 1 } : { state: 'over', daysLeft: 0 }
}

/** "2026-11-01 至 2026-11-07" or '—'. */
export function noticeText(c: Pick<AwardCall, 'notice_from' | 'notice_until'>): string {
  return c.notice_from && c.notice_until ? `${c.notice_from} 至 ${c.notice_until}` : '—'
}

/** A call nominations may be made to on `today`: open, and its deadline not passed. */
export function nominatable(c: Pick<AwardCall, 'status' | 'nominate_until'>, today: string): boolean {
  return c.status === 'open' && (!c.nominate_until || c.nominate_until >= today)
}

// ---------------------------------------------------------------- nominations

export function emptyNominationInput(orgId = 0, callId = 0): NominationInput {
  return { call_id: callId, category: '', title: '', org_id: orgId, team: [], summary: '' }
}

export function inputFromNomination(n: AwardNomination): NominationInput {
  return { call_id: n.call_id, category: n.category, title: n.title, org_id: n.org_id, team: n.team.map((m) => m.id), summary: n.summary }
}

export function normalizeNominationInput(i: NominationInput): NominationInput {
  return { ...i, title: i.title.trim(), summary: i.summary.trim(), team: [...new Set(i.team)] }
}

/** What is missing or wrong before saving; `needOrg`: the form chooses the completing unit. */
export function checkNomination(i: NominationInput, needOrg: boolean): Problem[] {
  const out: Problem[] = []
  if (!(i.call_id > 0)) out.push({ field: 'call_id', message: '请选择提名的年度奖励' })
  if (!i.category) out.push({ field: 'category', message: '请选择奖励类别' })
  const t = i.title.trim()
  if (!t) out.push({ field: 'title', message: '请填写项目名称' })
  else if (len(t) > 100) out.push({ field: 'title', message: '项目名称不超过100字' })
  if (needOrg && !(i.org_id > 0)) out.push({ field: 'org_id', message: '请选择第一完成单位' })
  if (!i.team.length) out.push({ field: 'team', message: '请选择主要完成人' })
  else if (new Set(i.team).size > 15) out.push({ field: 'team', message: '主要完成人为1至15人' })
  const s = i.summary.trim()
  if (!s) out.push({ field: 'summary', message: '请填写项目简介' })
  else if (len(s) > 5000) out.push({ field: 'summary', message: '项目简介不超过5000字' })
  return out
}

/** 修改 and 提交 are the nominator's while a nomination is a draft or returned for changes. */
export function nominationEditable(n: Pick<AwardNomination, 'status'>): boolean {
  return n.status === 'draft' || n.status === 'returned'
}

/** The nomination's step in 填报 → 形式审查 → 专家评审 → 审定公示 → 授奖, and whether it stopped there. */
export function nominationStep(n: Pick<AwardNomination, 'status'>): { active: number; status: 'process' | 'error' | 'finish' | 'wait' } {
  switch (n.status) {
    case 'draft':
      return { active: 0, status: 'process' }
    case 'returned':
      return { active: 1, status: 'error' }
    case 'submitted':
      return { active: 1, status: 'process' }
    case 'accepted':
    case 'reviewing':
      return { active: 2, status: 'process' }
    case 'proposed':
      return { active: 3, status: 'process' }
    case 'not_awarded':
      return { active: 3, status: 'error' }
    case 'withdrawn':
      return { active: 3, status: 'error' }
    case 'conferred':
      return { active: 5, status: 'finish' }
    default:
      return { active: 0, status: 'wait' }
  }
}

/** 主要完成人 as one line: "张三、李四". */
export function teamText(n: Pick<AwardNomination, 'team'>): string {
  return n.team.length ? n.team.map((m) => m.name).join('、') : '—'
}

/** The id of the nomination an expert scores (review item object_ref "award_nomination:N"). */
export function nominationOf(ref: string | null | undefined): number | null {
  const m = /^award_nomination:(\d+)$/.exec(ref ?? '')
  return m ? Number(m[1]) : null
}

/** The explanation as lines: its sentences ("。" kept) and the reasons joined with "；". */
export function explanationLines(s: string | null | undefined): string[] {
  return (s ?? '')
    .split(/\n|；|(?<=。)/)
    .map((x) => x.trim())
    .filter(Boolean)
}

// ---------------------------------------------------------------- objections

export function checkObjection(content: string): string | null {
  const c = content.trim()
  if (!c) return '请写明异议的事实和理由'
  if (len(c) < 10 || len(c) > 2000) return '异议内容须写明事实和理由，10至2000字'
  return null
}

export function checkResolution(upheld: boolean, resolution: string): string | null {
  const r = resolution.trim()
  if (!r) return upheld ? '请写明异议成立的处理意见' : '请写明异议不成立的理由'
  if (len(r) > 1000) return '处理意见不超过1000字'
  return null
}

// ---------------------------------------------------------------- wins

export function emptyWinInput(year: number): AwardWinInput {
  return { org_id: 0, level: 'provincial', award_name: '', grade: '', year, prize: '', document: '' }
}

const MONEY = /^\d{1,12}(\.\d{1,2})?$/

export function checkWin(i: AwardWinInput): Problem[] {
  const out: Problem[] = []
  if (!(i.org_id > 0)) out.push({ field: 'org_id', message: '请选择获奖单位' })
  if (!i.level) out.push({ field: 'level', message: '请选择奖励级别' })
  if (!i.award_name.trim()) out.push({ field: 'award_name', message: '请填写奖项名称' })
  else if (len(i.award_name.trim()) > 100) out.push({ field: 'award_name', message: '奖项名称不超过100字' })
  if (!i.grade.trim()) out.push({ field: 'grade', message: '请填写获奖等级' })
  else if (len(i.grade.trim()) > 20) out.push({ field: 'grade', message: '获奖等级不超过20字' })
  if (!Number.isInteger(i.year) || i.year < 2000 || i.year > 2100) out.push({ field: 'year', message: '请填写正确的获奖年度' })
  const p = i.prize.replace(/,/g, '').trim()
  if (p && !MONEY.test(p)) out.push({ field: 'prize', message: '奖金应为金额（元），最多两位小数' })
  if (!i.document.trim()) out.push({ field: 'document', message: '请填写授奖文件文号' })
  return out
}

export function normalizeWinInput(i: AwardWinInput): AwardWinInput {
  const p = i.prize.replace(/,/g, '').trim()
  return { ...i, award_name: i.award_name.trim(), grade: i.grade.trim(), prize: p || '0', document: i.document.trim() }
}

// ---------------------------------------------------------------- errors

/** The server's refusal in the page's words: the reasons themselves, never a field key or code. */
export function refusal(e: unknown): string {
  if (e instanceof ApiError && e.fields.length) return [...new Set(e.fields.map((f) => f.message).filter(Boolean))].join('；') || e.message
  return errorMessage(e)
}
