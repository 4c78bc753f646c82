import { describe, expect, it, vi } from 'vitest'
import { type RouteLocationNormalizedLoaded, createMemoryHistory, createRouter } from 'vue-router'
import { breadcrumbs } from '@/layout/nav'
import {
  type Broker, type BrokerInput, type EventInput, type OutcomeInput, SUBJECT_REQUIRED, brokerSummary, canDo, checkBroker, checkEvent, checkOutcome,
  contractsAllowed, emptyBrokerInput, emptyEventInput, inputFromBroker, inputFromEvent, levelDict, normalizeBrokerInput, normalizeEventInput,
  outcomeBody, outcomeInputFrom, signedBeforeEvent, subjectsText, tagDict, wanText,
} from '@/utils/brokerage'

vi.mock('@/layout/Layout.vue', () => ({ default: { render: () => null } }))

const OUTCOMES = [
  { value: 'pending', label: '待反馈', tag: 'info' },
  { value: 'none', label: '未达成', tag: 'danger' },
  { value: 'intent', label: '达成意向', tag: 'warning' },
  { value: 'signed', label: '签订合同', tag: 'success' },
]

/** The server's own good broker (crates/domain brokerage.rs tests). */
function broker(over: Partial<BrokerInput> = {}): BrokerInput {
  return { ...emptyBrokerInput(), name: '王立新', certificate_no: 'jy-2024-0012', level: 'intermediate', region: '419001', areas: ['materials'], phone: '0391-6633123', ...over }
}

function event(over: Partial<EventInput> = {}): EventInput {
  return { ...emptyEventInput('419001'), title: '济源市新材料成果路演', kind: 'roadshow', held_on: '2026-05-20', achievement_ids: [3, 3, 4], ...over }
}

function outcome(over: Partial<OutcomeInput> = {}): OutcomeInput {
  return { outcome: 'intent', intents: 2, contract_ids: [], note: '', ...over }
}

describe('dictionaries as tags', () => {
  it('keep the server colours and drop unknown ones', () => {
    expect(tagDict(OUTCOMES).map((d) => d.type)).toEqual(['info', 'danger', 'warning', 'success'])
    expect(tagDict([{ value: 'x', label: 'X', tag: 'purple' }])[0].type).toBeUndefined()
    expect(tagDict(null)).toEqual([])
  })
  it('colour the levels from the lowest up', () => {
    const d = levelDict([
      { value: 'junior', label: '初级技术经纪人' },
      { value: 'intermediate', label: '中级技术经纪人' },
      { value: 'senior', label: '高级技术经纪人' },
    ])
    expect(d.map((x) => x.type)).toEqual(['info', 'primary', 'warning'])
    expect(d[2].label).toBe('高级技术经纪人')
  })
})

describe('brokers', () => {
  it('a good broker passes', () => {
    expect(checkBroker(broker())).toEqual({})
  })
  it('every problem is said at once, under its field, in the server words', () => {
    const e = checkBroker(broker({ certificate_no: '证书', level: '', region: '', phone: 'abc' }))
    expect(Object.keys(e)).toEqual(['certificate_no', 'level', 'region', 'phone'])
    expect(e.certificate_no).toBe('证书编号不能为空，由字母、数字和“-”组成，不超过40个字符')
    expect(e.region).toBe('未填写所在机构时，请选择所在行政区划')
    expect(e.phone).toBe('联系电话“abc”格式错误')
  })
  it('an organization takes the place of the region', () => {
    expect(checkBroker(broker({ region: '', org_id: 12 }))).toEqual({})
    expect(normalizeBrokerInput(broker({ org_id: 12 })).region).toBe('')
  })
  it('refuses long or hidden-character names, bad region codes and short phones', () => {
    expect(checkBroker(broker({ name: '王'.repeat(31) })).name).toMatch(/30/)
    expect(checkBroker(broker({ name: '王\u200b立新' })).name).toMatch(/不可见/)
    expect(checkBroker(broker({ region: '41900' })).region).toMatch(/6位数字/)
    expect(checkBroker(broker({ phone: '123456' })).phone).toBeDefined()
    expect(checkBroker(broker({ phone: '+86 (391) 663-3123' })).phone).toBeUndefined()
  })
  it('normalizes what is sent', () => {
    const n = normalizeBrokerInput(broker({ name: ' 王立新 ', certificate_no: ' jy-2024-0012 ', areas: ['materials', 'materials', 'energy'], status: '' }))
    expect(n).toMatchObject({ name: '王立新', certificate_no: 'JY-2024-0012', areas: ['materials', 'energy'], status: 'active', org_id: null })
  })
  it('reads a stored broker back into the form', () => {
    const b: Broker = {
      id: 1, name: '王立新', certificate_no: 'JY-1', level: 'senior', level_label: '高级技术经纪人', org_id: null, org_name: null, region_code: '419001',
      region_name: '河南省/济源市', areas: ['materials'], area_labels: ['新材料'], phone: null, status: 'suspended', status_label: '暂停', updated_at: 0,
    }
    expect(inputFromBroker(b)).toEqual({ name: '王立新', certificate_no: 'JY-1', level: 'senior', org_id: null, region: '419001', areas: ['materials'], phone: '', status: 'suspended' })
  })
})

describe('events', () => {
  it('a good event passes and its links are deduplicated', () => {
    expect(checkEvent(event())).toEqual({})
    expect(normalizeEventInput(event()).achievement_ids).toEqual([3, 4])
  })
  it('needs an achievement or a demand, said on the achievements field', () => {
    expect(checkEvent(event({ achievement_ids: [] })).achievement_ids).toBe(SUBJECT_REQUIRED)
    expect(checkEvent(event({ achievement_ids: [], demand_ids: [7] }))).toEqual({})
  })
  it('needs a title, a kind, a real date and a region', () => {
    const e = checkEvent(event({ title: ' ', kind: '', held_on: '2026-02-30', region: '' }))
    expect(Object.keys(e)).toEqual(['title', 'kind', 'held_on', 'region'])
    expect(e.held_on).toBe('活动日期格式应为 YYYY-MM-DD')
    expect(checkEvent(event({ held_on: '2026/05/20' })).held_on).toBe('活动日期格式应为 YYYY-MM-DD')
    expect(checkEvent(event({ held_on: '' })).held_on).toBe('请选择活动日期')
  })
  it('limits the links to 200 together', () => {
    const many = Array.from({ length: 150 }, (_, n) => n + 1)
    expect(checkEvent(event({ achievement_ids: many, org_ids: many.slice(0, 51) })).achievement_ids).toMatch(/200/)
    expect(checkEvent(event({ achievement_ids: many, org_ids: many.slice(0, 50) }))).toEqual({})
  })
  it('round-trips a stored event', () => {
    const stored = {
      id: 9, title: 'T', kind: 'online', kind_label: '线上对接', held_on: '2026-01-02', place: '', organizer: 'X', region_code: '419001', region_name: '',
      achievement_ids: [1], demand_ids: [], broker_ids: [5], org_ids: [], note: 'n', outcome: 'pending', outcome_label: '待反馈', intents: 0,
      contract_ids: [], outcome_note: null,
    }
    expect(inputFromEvent(stored)).toEqual({ title: 'T', kind: 'online', held_on: '2026-01-02', place: '', organizer: 'X', region: '419001', achievement_ids: [1], demand_ids: [], broker_ids: [5], org_ids: [], note: 'n' })
    expect(subjectsText(stored)).toBe('成果 1')
    expect(subjectsText({ achievement_ids: [1, 2], demand_ids: [3] })).toBe('成果 2 · 需求 1')
    expect(subjectsText({ achievement_ids: [], demand_ids: [] })).toBe('—')
  })
})

describe('outcomes', () => {
  const HELD = '2026-05-20'
  const TODAY = '2026-06-01'
  it('contracts go only with 签订合同', () => {
    expect(contractsAllowed('signed')).toBe(true)
    expect(contractsAllowed('intent')).toBe(false)
    expect(outcomeBody(outcome({ outcome: 'intent', contract_ids: [4] })).contract_ids).toEqual([])
    expect(outcomeBody(outcome({ outcome: 'signed', contract_ids: [4, 4, 5] })).contract_ids).toEqual([4, 5])
  })
  it('签订合同 without a contract is refused with the server message', () => {
    expect(checkOutcome(outcome({ outcome: 'signed' }), HELD, TODAY, OUTCOMES)).toEqual({ contract_ids: '成效为“签订合同”时，请关联至少一份技术合同' })
    expect(checkOutcome(outcome({ outcome: 'signed', contract_ids: [1] }), HELD, TODAY, OUTCOMES)).toEqual({})
  })
  it('a contract with another outcome is refused, naming that outcome', () => {
    expect(checkOutcome(outcome({ outcome: 'intent', contract_ids: [1] }), HELD, TODAY, OUTCOMES).contract_ids).toBe('成效为“达成意向”时不能关联合同；已签合同请选择“签订合同”')
  })
  it('a contract signed before the event is refused when its date is known', () => {
    const known = [{ id: 1, contract_no: 'JY-1', signed_on: '2026-05-19' }, { id: 2, contract_no: 'JY-2', signed_on: HELD }]
    expect(checkOutcome(outcome({ outcome: 'signed', contract_ids: [1] }), HELD, TODAY, OUTCOMES, known).contract_ids).toBe(
      '合同“JY-1”签订于2026-05-19，早于活动日期2026-05-20，不能算作本次对接的成果',
    )
    // Signed on the day of the event counts.
    expect(checkOutcome(outcome({ outcome: 'signed', contract_ids: [2] }), HELD, TODAY, OUTCOMES, known)).toEqual({})
    expect(signedBeforeEvent('2026-05-19', HELD)).toBe(true)
    expect(signedBeforeEvent(HELD, HELD)).toBe(false)
    expect(signedBeforeEvent(null, HELD)).toBe(false)
  })
  it('an event not yet held takes no outcome; intents stay within 0..10000', () => {
    expect(checkOutcome(outcome(), '2026-07-01', TODAY).outcome).toBe('活动定于2026-07-01举办，举办后才能登记对接成效')
    expect(checkOutcome(outcome({ intents: -1 }), HELD, TODAY).intents).toBe('意向数应为0至10000')
    expect(checkOutcome(outcome({ intents: 10001 }), HELD, TODAY).intents).toBeDefined()
    expect(checkOutcome(outcome({ intents: 1.5 }), HELD, TODAY).intents).toBeDefined()
    expect(checkOutcome(outcome({ intents: 10000 }), HELD, TODAY)).toEqual({})
  })
  it('the dialog starts from what was recorded', () => {
    expect(outcomeInputFrom({ outcome: 'signed', intents: 3, contract_ids: [8], outcome_note: null })).toEqual({ outcome: 'signed', intents: 3, contract_ids: [8], note: '' })
    expect(outcomeInputFrom({ outcome: '', intents: 0, contract_ids: [], outcome_note: 'x' }).outcome).toBe('pending')
  })
})

describe('how a record reads', () => {
  it('amounts in 万元 with two decimals, as the contract pages', () => {
    expect(wanText('1800000')).toBe('180.00 万元')
    expect(wanText('12345.67')).toBe('1.23 万元')
    expect(wanText('0')).toBe('0.00 万元')
    expect(wanText('abc')).toBe('—')
  })
  it('a broker summary counts events and contracts and totals the registered turnover', () => {
    const s = brokerSummary({ events: [{ id: 1, title: '', held_on: '', kind_label: '', outcome: '', outcome_label: '' }], contracts: [], registered_turnover: '2500000.00' })
    expect(s).toEqual({ events: 1, contracts: 0, turnover: '250.00 万元' })
    expect(brokerSummary({ events: [], contracts: [], registered_turnover: '' }).turnover).toBe('0.00 万元')
  })
  it('offers only the actions the server lists', () => {
    expect(canDo(['edit'], 'edit')).toBe(true)
    expect(canDo(['edit'], 'outcome')).toBe(false)
    expect(canDo(undefined, 'edit')).toBe(false)
  })
})

describe('routes of 对接活动 and 技术经纪人', () => {
  it('are menu pages of 技术市场 for market readers, each detail under its list', async () => {
    const { appRoutes } = await import('@/router')
    const r = createRouter({ history: createMemoryHistory(), routes: [{ path: '/', children: appRoutes, component: { render: () => null } }] })
    const at = (path: string) => breadcrumbs(r, r.resolve(path) as unknown as RouteLocationNormalizedLoaded, () => true)
    expect(at('/market/events/5').map((x) => x.title)).toEqual(['首页', '技术市场', '对接活动', '活动详情'])
    expect(at('/market/events/5')[2].to).toBe('/market/events')
    expect(at('/market/brokers/7').map((x) => x.title)).toEqual(['首页', '技术市场', '技术经纪人', '经纪人详情'])
    expect(appRoutes.find((x) => x.name === 'market-events')?.meta).toMatchObject({ title: '对接活动', perm: 'market:read', icon: 'Connection', menu: true, group: '技术市场' })
    expect(appRoutes.find((x) => x.name === 'market-brokers')?.meta).toMatchObject({ title: '技术经纪人', perm: 'market:read', icon: 'Avatar', menu: true, group: '技术市场' })
    for (const name of ['market-event', 'market-broker']) expect(appRoutes.find((x) => x.name === name)?.meta?.perm).toBe('market:read')
  })
})
