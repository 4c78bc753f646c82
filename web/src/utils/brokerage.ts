// 技术经纪人 and 对接活动 on the client: the records' shapes, the checks the server makes on a
// broker, an event and an event's outcome (said before anything is sent, in the server's words),
// and how a record reads (counts, the 成交额 line). Pure functions, except the dictionaries'
// loader at the end. Amounts are 元 as decimal text, shown in 万元 with formatWan as on the
// 技术合同 pages.
import { api } from '@/api/http'
import type { Dict, TagType } from './dict'
import { parseAmount } from './contracts'
import { formatWan } from './format'

// ---------- the records (GET /brokers, /events and their details) ----------

export interface BrokerageDictItem {
  value: string
  label: string
  /** statuses and outcomes: the Element Plus tag type */
  tag?: string
}

/** GET /brokerage/dicts */
export interface BrokerageDicts {
  levels: BrokerageDictItem[]
  statuses: BrokerageDictItem[]
  kinds: BrokerageDictItem[]
  outcomes: BrokerageDictItem[]
}

/** 技术经纪人 */
export interface Broker {
  id: number
  name: string
  certificate_no: string
  level: string
  level_label: string
  org_id: number | null
  org_name: string | null
  region_code: string
  region_name: string
  /** the eight 技术领域 (GET /achievements/dicts → areas) */
  areas: string[]
  area_labels: string[]
  phone: string | null
  /** active 在册 | suspended 暂停 */
  status: string
  status_label: string
  updated_at: number
}

/** POST /brokers, PUT /brokers/{id} */
export interface BrokerInput {
  name: string
  certificate_no: string
  level: string
  /** 所在机构, an organization of the registry */
  org_id: number | null
  /** 所在行政区划, required without an organization */
  region: string
  areas: string[]
  phone: string
  status: string
}

/** A linked record; `visible` false when the reader may not open it (its title then says so). */
export interface LinkBrief {
  id: number
  title: string
  status_label: string
  visible: boolean
}

/** A technology contract as a broker's or an event's record lists it. */
export interface ContractBrief {
  id: number
  contract_no: string
  subject: string
  seller_name: string
  buyer_name: string
  signed_on: string
  /** 成交额, 元 */
  total_amount: string
  status: string
  status_label: string
  /** 关联方式: 对接活动 and/or 合同中介方 */
  via: string
}

export interface EventBrief {
  id: number
  title: string
  held_on: string
  kind_label: string
  outcome: string
  outcome_label: string
}

/** GET /brokers/{id} */
export interface BrokerView extends Broker {
  events: EventBrief[]
  achievements: LinkBrief[]
  contracts: ContractBrief[]
  /** 已登记合同的成交额, 元 */
  registered_turnover: string
}

/** 对接活动 */
export interface MatchEvent {
  id: number
  title: string
  kind: string
  kind_label: string
  /** YYYY-MM-DD */
  held_on: string
  place: string
  organizer: string
  region_code: string
  region_name: string
  achievement_ids: number[]
  demand_ids: number[]
  broker_ids: number[]
  org_ids: number[]
  note: string
  /** pending 待反馈 | none 未达成 | intent 达成意向 | signed 签订合同 */
  outcome: string
  outcome_label: string
  intents: number
  contract_ids: number[]
  outcome_note: string | null
  updated_at?: number
}

export type EventAction = 'edit' | 'outcome'

/** GET /events/{id} (and the answer of every write) */
export interface EventView extends MatchEvent {
  achievements: LinkBrief[]
  demands: LinkBrief[]
  brokers: LinkBrief[]
  orgs: LinkBrief[]
  contracts: ContractBrief[]
  registered_turnover: string
  actions: EventAction[]
}

/** POST /events, PUT /events/{id} */
export interface EventInput {
  title: string
  kind: string
  held_on: string
  place: string
  organizer: string
  region: string
  achievement_ids: number[]
  demand_ids: number[]
  broker_ids: number[]
  org_ids: number[]
  note: string
}

/** POST /events/{id}/outcome */
export interface OutcomeInput {
  outcome: string
  intents: number
  /** only (and at least one) when signed */
  contract_ids: number[]
  note: string
}

// ---------- dictionaries as tags ----------

const TAGS: TagType[] = ['primary', 'success', 'warning', 'danger', 'info']

/** Dictionary items as a DictTag dictionary, in the server's colours (items without one show as text). */
export function tagDict(items: BrokerageDictItem[] | null | undefined): Dict {
  return (items ?? []).map((s) => ({ value: s.value, label: s.label, type: TAGS.includes(s.tag as TagType) ? (s.tag as TagType) : undefined }))
}

/** The levels' colours, lowest to highest (the server sends the levels without one). */
const LEVEL_TAGS: TagType[] = ['info', 'primary', 'warning']

/** The 等级 as a DictTag dictionary: 初级 grey, 中级 blue, 高级 amber (by the server's order). */
export function levelDict(items: BrokerageDictItem[] | null | undefined): Dict {
  return (items ?? []).map((s, n) => ({ value: s.value, label: s.label, type: LEVEL_TAGS[Math.min(n, LEVEL_TAGS.length - 1)] }))
}

// ---------- shared checks ----------

const DATE = /^\d{4}-\d{2}-\d{2}$/
const len = (s: string) => [...s].length

function validDate(s: string): boolean {
  if (!DATE.test(s)) return false
  const [y, m, d] = s.split('-').map(Number)
  const t = new Date(Date.UTC(y, m - 1, d))
  return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d
}

/** Invisible or direction-changing characters (the server refuses names with them). */
const DECEPTIVE = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff\ue000-\uf8ff]/u

function regionProblem(code: string, label: string): string {
  const t = code.trim()
  if (!t) return `请选择${label}`
  if (!/^[1-9]\d{5}$/.test(t)) return `行政区划代码“${t}”格式错误，应为6位数字（GB/T 2260）`
  return ''
}

// ---------- brokers ----------

export function emptyBrokerInput(): BrokerInput {
  return { name: '', certificate_no: '', level: '', org_id: null, region: '', areas: [], phone: '', status: 'active' }
}

export function inputFromBroker(b: Broker): BrokerInput {
  return {
    name: b.name,
    certificate_no: b.certificate_no,
    level: b.level,
    org_id: b.org_id ?? null,
    // With an organization the server takes its region; the code is kept for when it is removed.
    region: b.region_code ?? '',
    areas: [...(b.areas ?? [])],
    phone: b.phone ?? '',
    status: b.status || 'active',
  }
}

/** The body sent: text trimmed, the certificate upper-cased, areas without repeats, no region beside an organization. */
export function normalizeBrokerInput(i: BrokerInput): BrokerInput {
  return {
    name: i.name.trim(),
    certificate_no: i.certificate_no.trim().toUpperCase(),
    level: i.level,
    org_id: i.org_id || null,
    region: i.org_id ? '' : i.region.trim(),
    areas: [...new Set(i.areas)],
    phone: i.phone.trim(),
    status: i.status || 'active',
  }
}

function phoneOk(s: string): boolean {
  const digits = [...s].filter((c) => c >= '0' && c <= '9').length
  return digits >= 7 && digits <= 20 && /^[\d\- +()]+$/.test(s)
}

/**
 * The server's checks of a broker (crates/domain brokerage.rs `NewBroker::parse`), each problem
 * under its field with the server's message; {} when it would pass. A duplicate certificate
 * (409) and an organization out of scope are the server's to find.
 */
export function checkBroker(i: BrokerInput): Record<string, string> {
  const out: Record<string, string> = {}
  const put = (field: string, msg: string) => {
    if (msg && !out[field]) out[field] = msg
  }
  const name = i.name.trim()
  if (!name || len(name) > 30) put('name', '姓名不能为空，且不超过30个字')
  else if (DECEPTIVE.test(name)) put('name', '姓名含有不可见或改变显示方向的字符，请删除后重新填写')
  const cert = i.certificate_no.trim()
  if (!cert || len(cert) > 40 || !/^[A-Za-z0-9-]+$/.test(cert)) put('certificate_no', '证书编号不能为空，由字母、数字和“-”组成，不超过40个字符')
  if (!i.level) put('level', '请选择技术经纪人等级')
  if (!i.org_id) {
    const r = i.region.trim()
    put('region', r ? regionProblem(r, '所在行政区划') : '未填写所在机构时，请选择所在行政区划')
  }
  const phone = i.phone.trim()
  if (phone && !phoneOk(phone)) put('phone', `联系电话“${phone}”格式错误`)
  return out
}

// ---------- events ----------

export function emptyEventInput(region = ''): EventInput {
  return { title: '', kind: '', held_on: '', place: '', organizer: '', region, achievement_ids: [], demand_ids: [], broker_ids: [], org_ids: [], note: '' }
}

export function inputFromEvent(e: MatchEvent): EventInput {
  return {
    title: e.title,
    kind: e.kind,
    held_on: e.held_on,
    place: e.place ?? '',
    organizer: e.organizer ?? '',
    region: e.region_code ?? '',
    achievement_ids: [...(e.achievement_ids ?? [])],
    demand_ids: [...(e.demand_ids ?? [])],
    broker_ids: [...(e.broker_ids ?? [])],
    org_ids: [...(e.org_ids ?? [])],
    note: e.note ?? '',
  }
}

const uniq = (xs: number[]) => [...new Set(xs)]

export function normalizeEventInput(i: EventInput): EventInput {
  return {
    title: i.title.trim(),
    kind: i.kind,
    held_on: i.held_on.trim(),
    place: i.place.trim(),
    organizer: i.organizer.trim(),
    region: i.region.trim(),
    achievement_ids: uniq(i.achievement_ids),
    demand_ids: uniq(i.demand_ids),
    broker_ids: uniq(i.broker_ids),
    org_ids: uniq(i.org_ids),
    note: i.note.trim(),
  }
}

/** The server's message when an event links neither an achievement nor a demand (422 event.subject). */
export const SUBJECT_REQUIRED = '请至少关联一项科技成果或技术需求（对接的对象）'

/**
 * The server's checks of an event (`NewEvent::parse`), each problem under its field; {} when it
 * would pass. Linked records out of the caller's reach are the server's to find.
 */
export function checkEvent(i: EventInput): Record<string, string> {
  const out: Record<string, string> = {}
  const put = (field: string, msg: string) => {
    if (msg && !out[field]) out[field] = msg
  }
  const title = i.title.trim()
  if (!title || len(title) > 100) put('title', '活动名称不能为空，且不超过100个字')
  if (!i.kind) put('kind', '请选择活动类型')
  const held = i.held_on.trim()
  if (!held) put('held_on', '请选择活动日期')
  else if (!validDate(held)) put('held_on', '活动日期格式应为 YYYY-MM-DD')
  put('region', regionProblem(i.region, '活动所在行政区划'))
  if (len(i.place.trim()) > 100) put('place', '活动地点不超过100个字')
  if (len(i.organizer.trim()) > 100) put('organizer', '主办单位不超过100个字')
  if (len(i.note.trim()) > 2000) put('note', '活动说明不超过2000个字')
  const a = uniq(i.achievement_ids).length
  const d = uniq(i.demand_ids).length
  if (!a && !d) put('achievement_ids', SUBJECT_REQUIRED)
  if (a + d + uniq(i.broker_ids).length + uniq(i.org_ids).length > 200) put('achievement_ids', '一次活动关联的成果、需求、经纪人和单位合计不超过200项')
  return out
}

/** "成果 2 · 需求 1" for a list row; '—' when none. */
export function subjectsText(e: Pick<MatchEvent, 'achievement_ids' | 'demand_ids'>): string {
  const parts: string[] = []
  if (e.achievement_ids?.length) parts.push(`成果 ${e.achievement_ids.length}`)
  if (e.demand_ids?.length) parts.push(`需求 ${e.demand_ids.length}`)
  return parts.join(' · ') || '—'
}

// ---------- outcomes ----------

export const OUTCOME_SIGNED = 'signed'

export function outcomeInputFrom(e: Pick<MatchEvent, 'outcome' | 'intents' | 'contract_ids' | 'outcome_note'>): OutcomeInput {
  return { outcome: e.outcome || 'pending', intents: e.intents ?? 0, contract_ids: [...(e.contract_ids ?? [])], note: e.outcome_note ?? '' }
}

/** Contracts are chosen only for 签订合同: the picker is enabled then, and the body carries none otherwise. */
export function contractsAllowed(outcome: string): boolean {
  return outcome === OUTCOME_SIGNED
}

/** The body sent: contracts only with 签订合同, intents as a whole number, the note trimmed. */
export function outcomeBody(i: OutcomeInput): OutcomeInput {
  return {
    outcome: i.outcome,
    intents: Number.isFinite(i.intents) ? Math.trunc(i.intents) : 0,
    contract_ids: contractsAllowed(i.outcome) ? uniq(i.contract_ids) : [],
    note: i.note.trim(),
  }
}

/** A contract signed before the event cannot have followed from it (422 contract.before_event). */
export function signedBeforeEvent(signedOn: string | null | undefined, heldOn: string): boolean {
  return !!signedOn && signedOn < heldOn
}

/** What the dialog knows of a contract it offers. */
export interface ContractChoice {
  id: number
  contract_no: string
  signed_on: string
}

/**
 * The server's checks of an outcome (`NewOutcome::parse` and the store's contract dates), each
 * problem under its field with the server's message; {} when it would pass. `today` is
 * YYYY-MM-DD in Asia/Shanghai; `known` the contracts whose dates the dialog has.
 */
export function checkOutcome(i: OutcomeInput, heldOn: string, today: string, outcomes: BrokerageDictItem[] = [], known: ContractChoice[] = []): Record<string, string> {
  const out: Record<string, string> = {}
  const put = (field: string, msg: string) => {
    if (msg && !out[field]) out[field] = msg
  }
  if (!i.outcome) put('outcome', '请选择对接成效')
  if (heldOn > today) put('outcome', `活动定于${heldOn}举办，举办后才能登记对接成效`)
  if (!Number.isInteger(i.intents) || i.intents < 0 || i.intents > 10000) put('intents', '意向数应为0至10000')
  if (i.outcome === OUTCOME_SIGNED && !i.contract_ids.length) put('contract_ids', '成效为“签订合同”时，请关联至少一份技术合同')
  if (i.outcome && i.outcome !== OUTCOME_SIGNED && i.contract_ids.length) {
    const label = outcomes.find((o) => o.value === i.outcome)?.label ?? i.outcome
    put('contract_ids', `成效为“${label}”时不能关联合同；已签合同请选择“签订合同”`)
  }
  if (i.outcome === OUTCOME_SIGNED) {
    for (const id of i.contract_ids) {
      const c = known.find((k) => k.id === id)
      if (c && signedBeforeEvent(c.signed_on, heldOn)) {
        put('contract_ids', `合同“${c.contract_no}”签订于${c.signed_on}，早于活动日期${heldOn}，不能算作本次对接的成果`)
      }
    }
  }
  if (len(i.note.trim()) > 2000) put('note', '成效说明不超过2000个字')
  return out
}

// ---------- how a record reads ----------

/** 元 text → "12.50 万元" (the 技术合同 pages' two decimals); '—' when not an amount. */
export function wanText(yuan: string | null | undefined): string {
  const a = parseAmount(yuan)
  if (!('fen' in a)) return '—'
  return `${formatWan(a.fen / 100)} 万元`
}

export interface BrokerSummary {
  events: number
  contracts: number
  /** 已登记成交额, "X 万元" */
  turnover: string
}

/** 参与对接活动 N 场, 经手合同 N 份, 已登记成交额 X 万元. */
export function brokerSummary(v: Pick<BrokerView, 'events' | 'contracts' | 'registered_turnover'>): BrokerSummary {
  return { events: v.events?.length ?? 0, contracts: v.contracts?.length ?? 0, turnover: wanText(v.registered_turnover || '0') }
}

/** Only what the server lists for this caller is offered. */
export function canDo(actions: readonly string[] | null | undefined, a: EventAction): boolean {
  return !!actions?.includes(a)
}

// ---------- dictionaries ----------

let dicts: Promise<BrokerageDicts> | null = null

/** GET /brokerage/dicts, asked once per page load (a failure is asked again next time). */
export function loadBrokerageDicts(): Promise<BrokerageDicts> {
  if (!dicts) {
    dicts = api.get<BrokerageDicts>('/brokerage/dicts').catch((e) => {
      dicts = null
      throw e
    })
  }
  return dicts
}
