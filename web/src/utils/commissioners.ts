// 科技特派员's pure helpers: form defaults, the client-side checks that mirror the domain's
// parsing (crates/domain/src/people.rs: NewCommissioner, NewDispatch, NewLog, RatingInput) so a
// form says what is wrong before it is sent, and the wording of progress and outcomes. The
// server decides; these only save a round trip.
import type {
  Commissioner, CommissionerInput, CountyCount, Dispatch, DispatchInput, DutyProgress, LogInput, RatingInput, RunOutcome, ServiceLog,
} from '@/api/types'

export type Problems = Record<string, string>

function put(out: Problems, k: string, m: string) {
  if (m && !out[k]) out[k] = m
}

function textProblem(v: string | null | undefined, label: string, max: number, required: boolean): string {
  const t = (v ?? '').trim()
  if (required && !t) return `${label}不能为空`
  if ([...t].length > max) return `${label}不超过${max}个字`
  return ''
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/

/** A real calendar date `YYYY-MM-DD`. */
export function isDate(s: string | null | undefined): boolean {
  const m = DATE.exec((s ?? '').trim())
  if (!m) return false
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])]
  const t = new Date(Date.UTC(y, mo - 1, d))
  return t.getUTCFullYear() === y && t.getUTCMonth() === mo - 1 && t.getUTCDate() === d
}

function dateProblem(v: string, label: string): string {
  if (!(v ?? '').trim()) return `请选择${label}`
  if (!isDate(v)) return `${label}格式应为 YYYY-MM-DD`
  return ''
}

/** `YYYY-MM-DD` plus `days` (may be negative). */
export function addDays(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number)
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10)
}

/** The served date is not after today (a log is written after the service). */
export function notInFuture(date: string, today: string): boolean {
  return isDate(date) && date <= today
}

// ---------------------------------------------------------------------------------------------
// 服务天数 (half-day steps)
// ---------------------------------------------------------------------------------------------

/** Typed days ("1", "0.5", 1.5) → half days, or the domain's message. */
export function parseDays(v: string | number | null | undefined): { halves: number } | { problem: string } {
  const t = String(v ?? '').trim()
  if (!t) return { problem: '请填写服务天数' }
  if (!/^\d+(\.\d+)?$/.test(t)) return { problem: `服务天数“${t}”应为数字，以半天为单位（如 0.5、1、2）` }
  const halves = Number(t) * 2
  if (!Number.isInteger(halves)) return { problem: '服务天数以半天为单位（如 0.5、1、1.5）' }
  if (halves < 1 || halves > 62) return { problem: '单条服务记录的天数应在0.5至31天之间' }
  return { halves }
}

/** Half days → the text shown (3 → "1.5"), as the server writes it. */
export function daysText(halves: number): string {
  return halves % 2 === 0 ? String(halves / 2) : `${Math.floor(halves / 2)}.5`
}

/** The nearest half-day step of a number typed into the days box (0.5 … 31). */
export function roundToHalf(n: number | null | undefined): number {
  if (n === null || n === undefined || !Number.isFinite(n)) return 1
  return Math.min(31, Math.max(0.5, Math.round(n * 2) / 2))
}

// ---------------------------------------------------------------------------------------------
// 科技特派员 (选派)
// ---------------------------------------------------------------------------------------------

/** A new 选派: an individual of this year, serving the calendar year. */
export function emptyCommissionerInput(year: number, region: string | null = null): CommissionerInput {
  return {
    kind: 'individual', person_id: null, name: '', org_id: 0, members: [], funding: 'city_county', field: '',
    year, term_from: `${year}-01-01`, term_to: `${year}-12-31`, region, phone: '', station_id: null,
  }
}

/** 修改: the record's values as the form holds them. */
export function inputFromCommissioner(c: Commissioner): CommissionerInput {
  return {
    kind: c.kind, person_id: c.person_id, name: c.kind === 'individual' ? '' : c.name, org_id: c.org_id, members: c.members.map((m) => m.id),
    funding: c.funding, field: c.field, year: c.year, term_from: c.term_from, term_to: c.term_to, region: c.region_code,
    // A masked phone is not sent back as if typed.
    phone: c.phone && !c.phone.includes('*') ? c.phone : '', station_id: c.station_id,
  }
}

/** 手机号 as the domain reads it: spaces and '-' dropped, 11 digits starting with 1. */
export function normalizePhone(s: string): string {
  return (s ?? '').replace(/[\s-]/g, '')
}

/** What the server would refuse in a 选派 form, field by field (NewCommissioner::parse). */
export function checkCommissioner(i: CommissionerInput): Problems {
  const out: Problems = {}
  if (!['individual', 'team', 'legal'].includes(i.kind)) put(out, 'kind', '请选择特派员类型')
  if (!['provincial', 'county_provincial', 'city_county', 'three_regions'].includes(i.funding)) put(out, 'funding', '请选择资助类别')
  put(out, 'field', textProblem(i.field, '专业领域', 50, true))
  const y = Number(i.year)
  if (!Number.isInteger(y) || y < 2000 || y > 2100) put(out, 'year', '年度应在2000至2100之间')
  put(out, 'term_from', dateProblem(i.term_from, '服务期开始日期'))
  put(out, 'term_to', dateProblem(i.term_to, '服务期结束日期'))
  put(out, 'name', textProblem(i.name, '名称', 100, false))
  if (!i.org_id) put(out, 'org_id', i.kind === 'legal' ? '请选择法人科技特派员单位' : '请选择派出单位')
  const phone = normalizePhone(i.phone)
  if (phone && !/^1\d{10}$/.test(phone)) put(out, 'phone', '手机号码应为以1开头的11位数字')
  if ((i.kind === 'individual' || i.kind === 'team') && !i.person_id) {
    put(out, 'person_id', i.kind === 'team' ? '请从人才专家库中选择服务团团长' : '请从人才专家库中选择特派员本人')
  }
  if (i.kind === 'team' && !i.name.trim()) put(out, 'name', '请填写服务团名称')
  if (i.kind === 'legal' && !i.name.trim()) put(out, 'name', '请填写法人科技特派员的服务名称')
  if (i.kind === 'individual' && i.members.length) put(out, 'members', '个人科技特派员没有团队成员；团队请选择“科技特派员服务团”')
  if (i.members.length > 50) put(out, 'members', '服务团成员不超过50人')
  if (isDate(i.term_from) && isDate(i.term_to)) {
    if (i.term_to <= i.term_from) put(out, 'term_to', '服务期结束日期必须晚于开始日期')
    else if (i.term_to > addDays(i.term_from, 5 * 366)) put(out, 'term_to', '服务期不超过5年（国办发〔2016〕32号：保留人事关系5年内）')
  }
  return out
}

/** The body sent: what does not belong to the kind is left out, the phone as the domain keeps it. */
export function normalizeCommissionerInput(i: CommissionerInput): CommissionerInput {
  return {
    ...i,
    person_id: i.kind === 'legal' ? null : i.person_id,
    name: i.kind === 'individual' ? '' : i.name.trim(),
    members: i.kind === 'team' ? [...new Set(i.members)].filter((m) => m !== i.person_id) : [],
    field: i.field.trim(),
    phone: normalizePhone(i.phone),
    year: Number(i.year),
    region: i.region || null,
  }
}

// ---------------------------------------------------------------------------------------------
// 派驻
// ---------------------------------------------------------------------------------------------

/** A new 派驻 of `c`: a village in the bureau's county, from today (or the term's start) to the term's end. */
export function emptyDispatchInput(c: Pick<Commissioner, 'id' | 'term_from' | 'term_to'>, today: string, county = ''): DispatchInput {
  const start = today < c.term_from ? c.term_from : today > c.term_to ? c.term_from : today
  return { commissioner_id: c.id, target_kind: 'village', county, place: '', target_org_id: null, starts_on: start, ends_on: c.term_to, agreement_no: '', tasks: '' }
}

/** A target kind that names a registered organization (合作社, 企业). */
export function needsTargetOrg(kind: string): boolean {
  return kind === 'cooperative' || kind === 'enterprise'
}

/** What the server would refuse in a 派驻 form (NewDispatch::parse and the term of the commissioner). */
export function checkDispatch(i: DispatchInput, term?: Pick<Commissioner, 'term_from' | 'term_to'> | null): Problems {
  const out: Problems = {}
  if (!['village', 'township', 'cooperative', 'enterprise'].includes(i.target_kind)) put(out, 'target_kind', '请选择服务对象类型')
  if (!/^\d{6}$/.test(i.county.trim())) put(out, 'county', '请选择服务对象所在的县（市、区）')
  put(out, 'place', textProblem(i.place, '服务地点（乡镇、村）', 100, true))
  put(out, 'starts_on', dateProblem(i.starts_on, '派驻开始日期'))
  put(out, 'ends_on', dateProblem(i.ends_on, '派驻结束日期'))
  put(out, 'agreement_no', textProblem(i.agreement_no, '三方协议编号', 50, false))
  put(out, 'tasks', textProblem(i.tasks, '服务目标与任务', 1000, true))
  if (needsTargetOrg(i.target_kind) && !i.target_org_id) put(out, 'target_org_id', '服务对象为合作社或企业时，请选择已登记的单位')
  if (isDate(i.starts_on) && isDate(i.ends_on)) {
    if (i.ends_on < i.starts_on) put(out, 'ends_on', '派驻结束日期不能早于开始日期')
    else if (term && (i.starts_on < term.term_from || i.ends_on > term.term_to)) {
      put(out, 'ends_on', `派驻期应在服务期（${term.term_from} 至 ${term.term_to}）之内`)
    }
  }
  return out
}

export function normalizeDispatchInput(i: DispatchInput): DispatchInput {
  return { ...i, county: i.county.trim(), place: i.place.trim(), agreement_no: i.agreement_no.trim(), tasks: i.tasks.trim(), target_org_id: needsTargetOrg(i.target_kind) ? i.target_org_id : null }
}

/** The dispatches a log may be written for on `today`: not withdrawn and already begun. */
export function loggableDispatches(ds: Dispatch[], today: string): Dispatch[] {
  return ds.filter((d) => d.status !== 'cancelled' && d.starts_on <= today)
}

/** “王屋镇愚公村（济源市）” — where a dispatch serves, its organization first when it has one. */
export function dispatchPlace(d: Pick<Dispatch, 'place' | 'county_name' | 'target_org_name'>): string {
  const where = d.target_org_name ? `${d.target_org_name}（${d.place}）` : d.place
  const county = d.county_name.split('/').filter((x) => !x.includes('直辖')).pop() ?? ''
  return county ? `${where} · ${county}` : where
}

// ---------------------------------------------------------------------------------------------
// 服务日志
// ---------------------------------------------------------------------------------------------

export function emptyLogInput(today: string, dispatchId = 0, place = ''): LogInput {
  return { dispatch_id: dispatchId, served_on: today, kind: 'guidance', days: '1', people: 0, households: 0, place, content: '' }
}

/** What the server would refuse in a log (NewLog::parse and the dispatch's term). */
export function checkLog(i: LogInput, today: string, d?: Pick<Dispatch, 'starts_on' | 'ends_on' | 'status'> | null): Problems {
  const out: Problems = {}
  if (!i.dispatch_id) put(out, 'dispatch_id', '请选择服务的派驻')
  put(out, 'served_on', dateProblem(i.served_on, '服务日期'))
  if (isDate(i.served_on) && !notInFuture(i.served_on, today)) put(out, 'served_on', `服务日期不能晚于今天（${today}），请在服务完成后填报`)
  if (d && isDate(i.served_on) && (i.served_on < d.starts_on || i.served_on > d.ends_on)) {
    put(out, 'served_on', `服务日期 ${i.served_on} 不在派驻期（${d.starts_on} 至 ${d.ends_on}）内`)
  }
  if (d?.status === 'cancelled') put(out, 'dispatch_id', '该派驻已撤回，不能填报服务日志')
  if (!['guidance', 'training', 'demonstration', 'startup'].includes(i.kind)) put(out, 'kind', '请选择服务类型')
  const days = parseDays(i.days)
  if ('problem' in days) put(out, 'days', days.problem)
  for (const [k, label] of [['people', '服务人次'], ['households', '服务农户数']] as const) {
    const v = Number(i[k])
    if (!Number.isInteger(v) || v < 0 || v > 100000) put(out, k, `${label}应在0至100000之间`)
  }
  put(out, 'place', textProblem(i.place, '服务地点', 100, true))
  put(out, 'content', textProblem(i.content, '服务内容', 2000, true))
  return out
}

export function normalizeLogInput(i: LogInput): LogInput {
  const d = parseDays(i.days)
  return { ...i, days: 'halves' in d ? daysText(d.halves) : String(i.days).trim(), people: Number(i.people) || 0, households: Number(i.households) || 0, place: i.place.trim(), content: i.content.trim() }
}

/** 已确认 / 待确认 of a log, with the tag colour. */
export function logState(l: Partial<Pick<ServiceLog, 'confirmed_on'>>): { label: string; type: 'success' | 'warning' } {
  return l.confirmed_on ? { label: '已确认', type: 'success' } : { label: '待确认', type: 'warning' }
}

/** 佐证材料: photos (JPEG/PNG) or PDF, at most 10 MB; the server checks the bytes again. */
export const EVIDENCE_MAX_BYTES = 10 * 1024 * 1024
export const EVIDENCE_MAX_FILES = 9
export const EVIDENCE_ACCEPT = 'image/jpeg,image/png,application/pdf,.jpg,.jpeg,.png,.pdf'

export function evidenceProblem(f: { name: string; size: number; type?: string }, already = 0): string {
  const ext = (f.name.split('.').pop() ?? '').toLowerCase()
  const typeOk = ['image/jpeg', 'image/png', 'application/pdf'].includes(f.type ?? '') || ['jpg', 'jpeg', 'png', 'pdf'].includes(ext)
  if (!typeOk) return `“${f.name}”不是照片（JPEG/PNG）或 PDF 文件`
  if (f.size <= 0) return `“${f.name}”是空文件`
  if (f.size > EVIDENCE_MAX_BYTES) return `“${f.name}”大小 ${(f.size / 1048576).toFixed(1)} MB，超过上限 10 MB`
  if (already >= EVIDENCE_MAX_FILES) return `每条服务日志最多${EVIDENCE_MAX_FILES}个佐证文件`
  return ''
}

/** 1536 → "1.5 KB". */
export function formatBytes(n: number): string {
  if (!Number.isFinite(n) || n < 0) return '—'
  if (n < 1024) return `${n} B`
  if (n < 1048576) return `${(n / 1024).toFixed(1)} KB`
  return `${(n / 1048576).toFixed(1)} MB`
}

/** Where an evidence file is read (opened in a new tab; downloads are audited). */
export function evidenceUrl(logId: number, fileId: number): string {
  return `/api/v1/people/logs/${logId}/evidence/${fileId}`
}

// ---------------------------------------------------------------------------------------------
// 满意度评价
// ---------------------------------------------------------------------------------------------

export const RATING_TEXTS = ['不满意', '不太满意', '基本满意', '满意', '非常满意']

/** The years a dispatch may be rated for: those its term touches, up to this year, latest first. */
export function ratingYears(d: Pick<Dispatch, 'starts_on' | 'ends_on'>, thisYear: number): number[] {
  const y0 = Number(d.starts_on.slice(0, 4))
  const y1 = Math.min(Number(d.ends_on.slice(0, 4)), thisYear)
  const out: number[] = []
  for (let y = y1; y >= y0; y--) out.push(y)
  return out
}

export function checkRating(r: RatingInput, years?: number[]): Problems {
  const out: Problems = {}
  const y = Number(r.year)
  if (!Number.isInteger(y) || y < 2000 || y > 2100) put(out, 'year', '年度应在2000至2100之间')
  else if (years && years.length && !years.includes(y)) put(out, 'year', `派驻期内没有${y}年度`)
  if (!Number.isInteger(r.score) || r.score < 1 || r.score > 5) put(out, 'score', '满意度评分为1至5分（5分非常满意，1分不满意）')
  put(out, 'comment', textProblem(r.comment, '评价意见', 500, false))
  return out
}

// ---------------------------------------------------------------------------------------------
// 履职进度 and 考核
// ---------------------------------------------------------------------------------------------

/** done / need as a whole percentage for el-progress, capped at 100; 100 when nothing is required. */
export function percent(done: number | string, need: number | string): number {
  const d = Number(done)
  const n = Number(need)
  if (!Number.isFinite(d) || d <= 0) return 0
  if (!Number.isFinite(n) || n <= 0) return 100
  return Math.min(100, Math.round((d / n) * 100))
}

/** The two bars of the duty card: days against the yearly days, visits against the yearly visits. */
export function dutyBars(p: DutyProgress): { key: 'days' | 'visits'; label: string; text: string; pct: number; status: 'success' | 'warning' | '' }[] {
  const status = (pct: number): 'success' | 'warning' | '' => (p.met || pct >= 100 ? 'success' : p.projected_met ? '' : 'warning')
  const dp = percent(p.days, p.min_days)
  const vp = percent(p.visits, p.min_visits)
  return [
    { key: 'days', label: '服务天数', text: `${p.days} / ${p.min_days} 天`, pct: dp, status: status(dp) },
    { key: 'visits', label: '服务次数（满1个工作日）', text: `${p.visits} / ${p.min_visits} 次`, pct: vp, status: status(vp) },
  ]
}

/** The one line a duty card leads with. */
export function dutyHeadline(p: DutyProgress): { text: string; type: 'success' | 'warning' | 'info' } {
  if (p.met) return { text: `${p.year}年度履职已达标`, type: 'success' }
  if (p.projected_met) return { text: `${p.year}年度履职进行中，按目前进度可以达标`, type: 'info' }
  return { text: `${p.year}年度履职尚未达标`, type: 'warning' }
}

/** 已考核N人：优秀a、合格b、不合格c */
export function runOutcomeText(o: RunOutcome): string {
  if (!o.assessed) return '没有需要考核的科技特派员（该年度无在服务期内的特派员）'
  return `已考核${o.assessed}人：优秀${o.excellent}、合格${o.qualified}、不合格${o.failed}`
}

/** "4.6" → "4.6 分", none → "未评价". */
export function ratingText(r: string | null | undefined): string {
  return r ? `${r} 分` : '未评价'
}

/** The years offered in year selects: this year back to 2018 (the pack's first year). */
export function yearOptions(thisYear: number, from = 2018): number[] {
  const out: number[] = []
  for (let y = thisYear; y >= from; y--) out.push(y)
  return out
}

// ---------------------------------------------------------------------------------------------
// 派驻分布
// ---------------------------------------------------------------------------------------------

/** "河南省/省直辖县级行政区划/济源市" → "济源市". */
export function countyShort(name: string): string {
  return name.split('/').filter((x) => x && !x.includes('直辖')).pop() ?? name
}

type Figures = Omit<CountyCount, 'county_code' | 'county_name' | 'town'>

/** The map's totals over all rows. */
export function mapTotals(rows: CountyCount[]): Figures {
  return rows.reduce(
    (a, r) => ({ dispatches: a.dispatches + r.dispatches, commissioners: a.commissioners + r.commissioners, logs: a.logs + r.logs, households: a.households + r.households }),
    { dispatches: 0, commissioners: 0, logs: 0, households: 0 },
  )
}

/** The rows of one county summed (the map's rows are townships). */
export function byCounty(rows: CountyCount[]): (Figures & { county_code: string; county_name: string; towns: number })[] {
  const out = new Map<string, Figures & { county_code: string; county_name: string; towns: number }>()
  for (const r of rows) {
    const c = out.get(r.county_code) ?? { county_code: r.county_code, county_name: r.county_name, towns: 0, dispatches: 0, commissioners: 0, logs: 0, households: 0 }
    c.towns += 1
    c.dispatches += r.dispatches
    c.commissioners += r.commissioners
    c.logs += r.logs
    c.households += r.households
    out.set(r.county_code, c)
  }
  return [...out.values()]
}

/** A row's label on the chart: the township, with its county when the rows span several counties. */
export function mapLabel(r: Pick<CountyCount, 'county_code' | 'county_name' | 'town'>, severalCounties: boolean): string {
  const town = r.town || '（未注明乡镇）'
  return severalCounties ? `${countyShort(r.county_name)}·${town}` : town
}

/**
 * The two bar charts by township (the county named too when several are shown): 派驻 and
 * 特派员 (small counts), and the service done — confirmed logs on the left axis, households
 * (larger numbers) on the right.
 */
export function mapChartOption(rows: CountyCount[], part: 'dispatch' | 'service'): Record<string, unknown> {
  const several = new Set(rows.map((r) => r.county_code)).size > 1
  const series: { key: keyof Figures; name: string; axis: 0 | 1 }[] = part === 'dispatch'
    ? [{ key: 'dispatches', name: '派驻（个）', axis: 0 }, { key: 'commissioners', name: '特派员（人）', axis: 0 }]
    : [{ key: 'logs', name: '已确认日志（条）', axis: 0 }, { key: 'households', name: '服务农户（户）', axis: 1 }]
  return {
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    legend: { top: 0 },
    grid: { left: 44, right: part === 'service' ? 52 : 16, top: 40, bottom: 8, containLabel: true },
    xAxis: { type: 'category', data: rows.map((r) => mapLabel(r, several)), axisLabel: { interval: 0, rotate: rows.length > 6 ? 35 : 0 } },
    yAxis: part === 'dispatch'
      ? [{ type: 'value', name: '个 / 人', minInterval: 1 }]
      : [{ type: 'value', name: '条', minInterval: 1 }, { type: 'value', name: '户', minInterval: 1, splitLine: { show: false } }],
    series: series.map((s) => ({ name: s.name, type: 'bar', yAxisIndex: s.axis, barMaxWidth: 22, data: rows.map((r) => r[s.key]), label: { show: rows.length <= (part === 'dispatch' ? 16 : 8), position: 'top', fontSize: 11 } })),
  }
}
