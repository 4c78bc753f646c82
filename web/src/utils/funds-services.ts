// 资金与服务 — the service side on the client: 科技创新券 and its orders, 服务机构, 仪器共享 and its
// bookings, 科技贷 and its pool. Pure functions (half-hour booking windows, the 14-day calendar,
// hours ↔ minutes, the checks the server makes on what is typed, how a refusal reads), used by
// the pages under views/funds; only `fenWan` leans on utils/format.
import { ApiError } from '@/api/http'
import type { Check, InstrumentDetail, LoanDetail, Programme, Slot } from '@/api/types'
import { amountMessage, parseAmount } from './contracts'
import { formatWan } from './format'

// ---------- answers the shared types (api/types/funds.ts) do not describe ----------

/**
 * GET /funds/vouchers/programmes: a voucher programme open to the caller's organization, with
 * the pack's decision for it (crates/server api/funds.rs `OpenVoucherProgramme`).
 */
export interface OpenVoucherProgramme extends Programme {
  eligible: boolean
  /** 年度抵扣上限 for this organization (元) */
  quota: string
  eligibility: string
}

/** GET /funds/instruments/{id} as the server sends it (`InstrumentView`: also `can_book`). */
export interface InstrumentView extends InstrumentDetail {
  can_book: boolean
}

export type LoanAction = 'interest' | 'compensate' | 'repay'

/** GET /funds/loans/{id} as the server sends it (`LoanView`: also `actions`). */
export interface LoanView extends LoanDetail {
  actions: LoanAction[]
}

// ---------- amounts ----------

/** 分 → "1.50" 万元 (the column header carries the unit); '—' for none. */
export function fenWan(fen: number | null | undefined): string {
  if (fen === null || fen === undefined || !Number.isFinite(fen)) return '—'
  return formatWan(fen / 100)
}

/** 分 → 元 as exact text without trailing zeros: 8000000 → "80000", 12345 → "123.45". */
export function fenYuan(fen: number | null | undefined): string {
  if (fen === null || fen === undefined || !Number.isFinite(fen)) return ''
  const neg = fen < 0
  const a = Math.abs(Math.round(fen))
  const int = Math.floor(a / 100)
  const frac = String(a % 100).padStart(2, '0').replace(/0+$/, '')
  return `${neg ? '-' : ''}${int}${frac ? `.${frac}` : ''}`
}

/**
 * The server's check of an amount typed in 元 (crates/domain money.rs): '' when it passes.
 * `positive`: zero is refused too (合同金额, 兑付金额, 贷款金额 …).
 */
export function amountProblem(label: string, typed: string, { required = true, positive = true } = {}): string {
  const a = parseAmount(typed)
  if ('empty' in a) return required ? `请填写${label}（元）` : ''
  if ('problem' in a) return amountMessage(label, a.problem, typed)
  if (positive && a.fen <= 0) return `${label}必须大于零`
  return ''
}

// ---------- hours and minutes (登记使用机时) ----------

/**
 * Hours typed with at most one decimal → whole minutes: "1.5" → 90, "2" → 120; null when not
 * a positive number of hours with one decimal at most.
 */
export function hoursToMinutes(h: string | number | null | undefined): number | null {
  const t = String(h ?? '').trim()
  if (!/^\d+(\.\d)?$/.test(t)) return null
  const [i, d = '0'] = t.split('.')
  const minutes = Number(i) * 60 + Number(d) * 6
  return minutes > 0 && Number.isSafeInteger(minutes) ? minutes : null
}

/** Minutes → hours with one decimal at most: 90 → "1.5", 120 → "2", 100 → "1.7"; '—' for none. */
export function minutesToHours(m: number | null | undefined): string {
  if (m === null || m === undefined || !Number.isFinite(m)) return '—'
  return String(Math.round((m / 60) * 10) / 10)
}

// ---------- booking windows (half hours, Asia/Shanghai) ----------

/** "HH:MM" → minutes after midnight; "24:00" → 1440; NaN when not a time. */
export function timeMinutes(t: string): number {
  const m = /^(\d{2}):(\d{2})$/.exec(t)
  if (!m) return NaN
  const v = Number(m[1]) * 60 + Number(m[2])
  return v <= 1440 && Number(m[2]) < 60 ? v : NaN
}

/** Minutes after midnight → "HH:MM" (1440 → "24:00"). */
export function minutesTime(v: number): string {
  return `${String(Math.floor(v / 60)).padStart(2, '0')}:${String(v % 60).padStart(2, '0')}`
}

/**
 * The half hours of a day a booking may start at ("08:00" … "21:30" by default). A booking is
 * taken in whole or half hours (422 booking.granularity otherwise).
 */
export function startTimes(from = '00:00', to = '23:30'): string[] {
  const out: string[] = []
  for (let v = timeMinutes(from); v <= timeMinutes(to); v += 30) out.push(minutesTime(v))
  return out
}

/** The half hours a booking starting at `start` may end at, up to `last` ("24:00" = midnight). */
export function endTimes(start: string, last = '24:00'): string[] {
  const s = timeMinutes(start)
  if (!Number.isFinite(s)) return []
  const out: string[] = []
  for (let v = s + 30; v <= timeMinutes(last); v += 30) out.push(minutesTime(v))
  return out
}

/** `YYYY-MM-DD` + n days (calendar days, no time zone involved). */
export function addDays(day: string, n: number): string {
  const d = new Date(`${day}T00:00:00Z`)
  d.setUTCDate(d.getUTCDate() + n)
  return d.toISOString().slice(0, 10)
}

/**
 * The body's window of a booking on `date` from `start` to `end` ("YYYY-MM-DD HH:MM" as the
 * server reads it); an end at "24:00" is the next day's 00:00.
 */
export function bookingWindow(date: string, start: string, end: string): { starts_at: string; ends_at: string } {
  const e = end === '24:00' ? `${addDays(date, 1)} 00:00` : `${date} ${end}`
  return { starts_at: `${date} ${start}`, ends_at: e }
}

export interface BookingForm {
  date: string
  start: string
  end: string
  purpose: string
}

/**
 * What the booking form can say before sending (every field, an end after the start); the
 * past and an overlap are the server's to say (422 booking.past, 409 booking.overlap), with
 * the times it compared. {} when it would be sent.
 */
export function checkBookingForm(f: BookingForm): Record<string, string> {
  const out: Record<string, string> = {}
  if (!/^\d{4}-\d{2}-\d{2}$/.test(f.date)) out.date = '请选择预约日期'
  if (!f.start) out.start = '请选择开始时间'
  if (!f.end) out.end = '请选择结束时间'
  else if (f.start && timeMinutes(f.end) <= timeMinutes(f.start)) out.end = '结束时间必须晚于开始时间'
  const p = f.purpose.trim()
  if (!p) out.purpose = '请填写用途（测试内容）'
  else if ([...p].length > 200) out.purpose = '用途（测试内容）不超过200个字'
  return out
}

/** Which field of the booking form a server refusal belongs to (its message is shown there). */
export function bookingErrorField(e: unknown): 'date' | 'start' | 'end' | 'purpose' | null {
  if (!(e instanceof ApiError)) return null
  const f = e.fields[0]?.field ?? ''
  if (e.code === 'booking.overlap' || e.code === 'booking.past' || f === 'starts_at') return 'start'
  if (f === 'ends_at') return 'end'
  if (f === 'purpose') return 'purpose'
  return null
}

/** One booked window of a calendar day, placed on the day's bar (percent of 24 hours). */
export interface DayWindow {
  /** "HH:MM" on this day ("24:00" when it runs past midnight) */
  start: string
  end: string
  mine: boolean
  left: number
  width: number
  /** The booking's whole window as the server gave it */
  title: string
}

export interface CalendarDay {
  date: string
  /** "12-08 周二" */
  label: string
  weekend: boolean
  windows: DayWindow[]
}

const WEEKDAYS = ['周日', '周一', '周二', '周三', '周四', '周五', '周六']

/** 周X of a `YYYY-MM-DD`. */
export function weekday(day: string): string {
  return WEEKDAYS[new Date(`${day}T00:00:00Z`).getUTCDay()]
}

/**
 * The calendar of `days` days from `from`: each day with the booked windows falling on it
 * (a window across midnight is shown on both days), in time order.
 */
export function calendarDays(from: string, days: number, slots: readonly Slot[]): CalendarDay[] {
  const out: CalendarDay[] = []
  for (let i = 0; i < days; i++) {
    const date = addDays(from, i)
    const dow = new Date(`${date}T00:00:00Z`).getUTCDay()
    const windows: DayWindow[] = []
    const dayStart = `${date} 00:00`
    const dayEnd = `${addDays(date, 1)} 00:00`
    for (const s of slots) {
      if (!(s.starts_at < dayEnd && s.ends_at > dayStart)) continue
      const a = s.starts_at <= dayStart ? 0 : timeMinutes(s.starts_at.slice(11, 16))
      const b = s.ends_at >= dayEnd ? 1440 : timeMinutes(s.ends_at.slice(11, 16))
      if (!(b > a)) continue
      windows.push({
        start: minutesTime(a),
        end: minutesTime(b),
        mine: !!s.mine,
        left: (a / 1440) * 100,
        width: ((b - a) / 1440) * 100,
        title: `${s.starts_at} 至 ${s.ends_at}${s.mine ? '（本单位）' : ''}`,
      })
    }
    windows.sort((x, y) => x.start.localeCompare(y.start))
    out.push({ date, label: `${date.slice(5)} ${WEEKDAYS[dow]}`, weekend: dow === 0 || dow === 6, windows })
  }
  return out
}

/** Whether a window on `date` from `start` to `end` meets a booked slot (the calendar's hint). */
export function meetsSlot(date: string, start: string, end: string, slots: readonly Slot[]): Slot | null {
  if (!date || !start || !end) return null
  const w = bookingWindow(date, start, end)
  return slots.find((s) => s.starts_at < w.ends_at && w.starts_at < s.ends_at) ?? null
}

/** The hours of a booked window: "2025-06-02 09:00" to "2025-06-02 11:30" → 150 minutes. */
export function windowMinutes(startsAt: string, endsAt: string): number {
  const t = (s: string) => Date.parse(`${s.replace(' ', 'T')}:00Z`)
  const v = (t(endsAt) - t(startsAt)) / 60000
  return Number.isFinite(v) ? v : 0
}

/** The fee of a use as the server computes it: 元/小时 × minutes / 60 in whole 分 (own use free). */
export function usageFeeFen(feePerHourFen: number, minutes: number, external: boolean): number {
  if (!external || minutes <= 0) return 0
  return Math.floor((feePerHourFen * minutes + 30) / 60)
}

/** "2026-12-08 09:00 – 11:30" for a window on one day, the full ends otherwise. */
export function windowText(startsAt: string, endsAt: string): string {
  if (startsAt.slice(0, 10) === endsAt.slice(0, 10)) return `${startsAt} – ${endsAt.slice(11)}`
  if (endsAt.slice(11) === '00:00' && addDays(startsAt.slice(0, 10), 1) === endsAt.slice(0, 10)) return `${startsAt} – 24:00`
  return `${startsAt} – ${endsAt}`
}

// ---------- 仪器共享 ----------

/** 大型科学仪器设备分类 (the categories offered; another may be typed). */
export const INSTRUMENT_CATEGORIES = [
  '分析仪器',
  '物理性能测试仪器',
  '计量仪器',
  '电子测量仪器',
  '海洋仪器',
  '地球探测仪器',
  '大气探测仪器',
  '特种检测仪器',
  '激光器',
  '工艺试验仪器',
  '计算机及其配套设备',
  '医学科研仪器',
  '核仪器',
  '其他仪器',
]

/** Tenths of an hour of "12.5"-like text (the server's one decimal); 0 for "—" or none. */
function tenths(h: string | null | undefined): number {
  const n = Number(h)
  return Number.isFinite(n) ? Math.round(n * 10) : 0
}

export interface SharingTotals {
  /** hours, one decimal */
  used: string
  external: string
  /** "37.5%", '—' without use */
  rate: string
  /** 元 */
  income: number
  users: number
}

/**
 * The region's totals of a year's figures: hours summed, the sharing rate recomputed from the
 * sums (never an average of the rates), income summed; users added per instrument.
 */
export function sharingTotals(rows: readonly { used_hours: string; external_hours: string; income: string; users: number }[]): SharingTotals {
  const used = rows.reduce((a, r) => a + tenths(r.used_hours), 0)
  const ext = rows.reduce((a, r) => a + tenths(r.external_hours), 0)
  const income = rows.reduce((a, r) => a + Math.round(Number(r.income || 0) * 100), 0) / 100
  return {
    used: String(used / 10),
    external: String(ext / 10),
    rate: used ? `${Math.round((ext * 1000) / used) / 10}%` : '—',
    income,
    users: rows.reduce((a, r) => a + (r.users || 0), 0),
  }
}

// ---------- redemption (兑付审核) ----------

/** The related-party check of a redemption, whose detail names the relation. */
export const RELATED_PARTY = 'voucher.related_party'

/** The checks in the order the server gives them, the failing ones flagged. */
export function failingChecks(checks: readonly Check[] | null | undefined): Check[] {
  return (checks ?? []).filter((c) => !c.passed)
}

/**
 * A refusal the officer must read on the page, not in a passing toast: the server's "不予兑付：…"
 * (409 with the failing check's code), or any other 409/422 message. '' for other errors.
 */
export function refusalText(e: unknown): string {
  if (!(e instanceof ApiError)) return ''
  if (e.status === 409 || e.status === 422) return e.message
  return ''
}

// ---------- what is typed ----------

const DATE = /^\d{4}-\d{2}-\d{2}$/
const len = (s: string) => [...s.trim()].length

export interface OrderForm {
  provider_id: number | null
  service: string
  contract_name: string
  contract_no: string
  fee: string
  signed_on: string
}

export function emptyOrderForm(): OrderForm {
  return { provider_id: null, service: '', contract_name: '', contract_no: '', fee: '', signed_on: '' }
}

/** The server's checks of an order (`NewOrder::parse`); {} when it would pass. `today` YYYY-MM-DD. */
export function checkOrder(f: OrderForm, today: string, expiresOn?: string | null): Record<string, string> {
  const out: Record<string, string> = {}
  if (!f.provider_id) out.provider_id = '请选择服务机构'
  if (!f.service) out.service = '请选择服务类型'
  if (!f.contract_name.trim()) out.contract_name = '合同名称不能为空'
  else if (len(f.contract_name) > 100) out.contract_name = '合同名称不超过100个字'
  if (!f.contract_no.trim()) out.contract_no = '合同编号不能为空'
  else if (len(f.contract_no) > 60) out.contract_no = '合同编号不超过60个字'
  const fee = amountProblem('合同金额', f.fee)
  if (fee) out.fee = fee
  if (!DATE.test(f.signed_on)) out.signed_on = '请选择签订日期'
  else if (f.signed_on > today) out.signed_on = '合同签订日期不能晚于今天'
  else if (expiresOn && f.signed_on > expiresOn) out.signed_on = `合同签订日期${f.signed_on}晚于创新券有效期${expiresOn}`
  return out
}

export interface ProviderForm {
  org_id: number | null
  services: string[]
  qualifications: string
  prices: string
  contact: string
  related_codes: string[]
  status: string
}

export function emptyProviderForm(): ProviderForm {
  return { org_id: null, services: [], qualifications: '', prices: '', contact: '', related_codes: [], status: 'registered' }
}

const CC = /^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$/

/** The server's checks of a provider (`NewProvider::parse`, shape of the credit codes only). */
export function checkProvider(f: ProviderForm): Record<string, string> {
  const out: Record<string, string> = {}
  if (!f.org_id) out.org_id = '请选择服务机构（登记的单位）'
  if (!f.services.length) out.services = '请至少选择一项服务类型'
  if (!f.qualifications.trim()) out.qualifications = '资质不能为空'
  else if (len(f.qualifications) > 500) out.qualifications = '资质不超过500个字'
  if (len(f.prices) > 1000) out.prices = '收费标准不超过1000个字'
  if (len(f.contact) > 100) out.contact = '联系方式不超过100个字'
  const bad = f.related_codes.map((c) => c.trim().toUpperCase()).filter((c) => c && !CC.test(c))
  if (bad.length) out.related_codes = `统一社会信用代码“${bad[0]}”格式错误（18位）`
  return out
}

/** What separates credit codes typed into one tag input (spaces, commas, semicolons, 、). */
export const CODE_DELIMITER = /[\s,，;；、]+/

/** The related credit codes typed (one per tag, or several separated by commas/spaces), upper-cased, no repeats. */
export function splitCodes(typed: string | string[]): string[] {
  const parts = (Array.isArray(typed) ? typed : [typed]).flatMap((s) => s.split(/[\s,，;；、]+/))
  return [...new Set(parts.map((s) => s.trim().toUpperCase()).filter(Boolean))]
}

export interface InstrumentForm {
  name: string
  model: string
  category: string
  original_value: string
  host_org_id: number | null
  location: string
  status: string
  fee_per_hour: string
  rated_hours: number
  manager: string
}

export function emptyInstrumentForm(): InstrumentForm {
  return { name: '', model: '', category: '', original_value: '', host_org_id: null, location: '', status: 'open', fee_per_hour: '0', rated_hours: 1600, manager: '' }
}

/** The server's checks of an instrument (`NewInstrument::parse`). */
export function checkInstrument(f: InstrumentForm): Record<string, string> {
  const out: Record<string, string> = {}
  const need = (k: keyof InstrumentForm, label: string, max: number) => {
    const v = String(f[k] ?? '')
    if (!v.trim()) out[k] = `${label}不能为空`
    else if (len(v) > max) out[k] = `${label}不超过${max}个字`
  }
  need('name', '仪器名称', 100)
  need('model', '规格型号', 100)
  need('category', '仪器分类', 50)
  const ov = amountProblem('原值', f.original_value)
  if (ov) out.original_value = ov
  if (!f.host_org_id) out.host_org_id = '请选择所属单位'
  need('location', '安放地点', 200)
  const fee = amountProblem('对外收费', f.fee_per_hour, { positive: false })
  if (fee) out.fee_per_hour = fee
  if (!Number.isInteger(f.rated_hours) || f.rated_hours < 0 || f.rated_hours > 8784) out.rated_hours = '年额定机时应在0至8784小时之间'
  if (len(f.manager) > 30) out.manager = '负责人不超过30个字'
  return out
}

export interface LoanForm {
  programme_id: number | null
  org_id: number | null
  bank_org_id: number | null
  contract_no: string
  amount: string
  rate: string
  start_on: string
  end_on: string
  credit: boolean
  first_loan: boolean
}

export function emptyLoanForm(): LoanForm {
  return { programme_id: null, org_id: null, bank_org_id: null, contract_no: '', amount: '', rate: '', start_on: '', end_on: '', credit: false, first_loan: false }
}

/** "3.65" or "3.65%" with at most 4 decimals, above 0 and below 36 (`NewLoan::parse`). */
export function rateProblem(typed: string): string {
  const t = typed.trim().replace(/%$/, '')
  const m = /^(\d+)(?:\.(\d+))?$/.exec(t)
  const ok = !!m && (m[2] ?? '').replace(/0+$/, '').length <= 4 && Number(t) > 0 && Number(t) < 36
  return ok ? '' : '年利率应为大于0、小于36的百分数，最多4位小数（如 3.65）'
}

/** The server's checks of a loan (`NewLoan::parse`). */
export function checkLoan(f: LoanForm): Record<string, string> {
  const out: Record<string, string> = {}
  if (!f.programme_id) out.programme_id = '请选择科技贷资金项目'
  if (!f.org_id) out.org_id = '请选择借款企业'
  if (!f.bank_org_id) out.bank_org_id = '请选择合作银行'
  if (!f.contract_no.trim()) out.contract_no = '借款合同编号不能为空'
  else if (len(f.contract_no) > 60) out.contract_no = '借款合同编号不超过60个字'
  const a = amountProblem('贷款金额', f.amount)
  if (a) out.amount = a
  const r = rateProblem(f.rate)
  if (r) out.rate = r
  if (!DATE.test(f.start_on)) out.start_on = '请选择放款日期'
  if (!DATE.test(f.end_on)) out.end_on = '请选择到期日期'
  else if (DATE.test(f.start_on) && f.end_on <= f.start_on) out.end_on = '到期日期必须晚于放款日期'
  return out
}

// ---------- actions ----------

/** Only what the server lists for this caller is offered. */
export function canAct<A extends string>(actions: readonly A[] | null | undefined, a: A): boolean {
  return !!actions?.includes(a)
}

/**
 * A voucher row's moves in a list (rows carry no `actions`): an officer may 发放 / 不予发放 an
 * application waiting for review; the server still decides when it is asked.
 */
export function voucherRowActions(status: string, manager: boolean): ('issue' | 'refuse')[] {
  return manager && status === 'applied' ? ['issue', 'refuse'] : []
}

/** The side of an order the caller's organization is on. */
export function orderSide(o: { org_id: number; provider_org_id: number }, orgId: number | null | undefined): 'buyer' | 'provider' | null {
  if (!orgId) return null
  if (o.org_id === orgId) return 'buyer'
  if (o.provider_org_id === orgId) return 'provider'
  return null
}
