// 需求大厅, 匹配推荐 and the new fields of 企业出题 as a person sees them, with the server's answers stubbed (fetch).
import { afterEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { createMemoryHistory, createRouter } from 'vue-router'
import type { Achievement, AchievementDicts, Demand, Suggestion } from '@/api/types'
import { useAuth } from '@/stores/auth'
import { hasPermi } from '@/directives/hasPermi'

// Node cannot load the stylesheets the component resolver imports with each Element Plus component.
for (const c of [
  'base', 'alert', 'button', 'card', 'checkbox', 'checkbox-group', 'col', 'date-picker', 'date-picker-panel', 'descriptions', 'descriptions-item', 'dialog', 'drawer',
  'empty', 'form', 'form-item', 'icon', 'input', 'loading', 'option', 'option-group', 'pagination', 'popover', 'radio', 'radio-button', 'radio-group', 'row', 'select',
  'step', 'steps', 'table', 'table-column', 'tag', 'tooltip', 'message', 'message-box', 'input-number',
]) {
  vi.doMock(`element-plus/es/components/${c}/style/css`, () => ({}))
}
const { default: DemandHall } = await import('@/views/market/DemandHall.vue')
const { default: AchievementDetail } = await import('@/views/market/AchievementDetail.vue')
const { default: Demands } = await import('@/views/projects/Demands.vue')

const DICTS: AchievementDicts = {
  areas: [{ value: 'materials', label: '新材料' }, { value: 'electronics', label: '电子信息' }],
  trls: Array.from({ length: 9 }, (_, i) => ({ value: i + 1, label: `TRL ${i + 1} 级`, description: '' })),
  modes: [{ value: 'transfer', label: '转让' }],
  ip_kinds: [],
  statuses: [{ value: 'listed', label: '挂牌中', tag: 'success' }],
}

const DEMAND: Demand = {
  id: 31, org_id: 9, org_name: '济源国泰环保', title: '铅冶炼烟气深度脱硫', description: '烟气含硫高', target: 'SO₂ ≤ 35 mg/m³', budget: '2000000.00', budget_min: '500000.00',
  deadline: '2099-12-31', area: 'materials', area_label: '新材料', keywords: ['冶炼', '脱硫'], trl_min: 6, status: 'open', status_label: '征集中', call_id: null, region_code: '419001',
}
const SUGGESTIONS: Suggestion[] = [
  { kind: 'achievement', id: 5, title: '高纯铅电解精炼节能工艺', owner: '济源市某材料科技有限公司', region_code: '419001', score: 72, reasons: ['关键词相同：冶炼（20分）', '技术就绪度7级，达到需求要求的6级（10分）'] },
  { kind: 'achievement', id: 6, title: '低温脱硫催化剂', owner: '某大学', region_code: '410100', score: 25, reasons: ['技术领域相同（15分）'] },
]

const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } })
type Call = { url: string; method: string; body: unknown }
function stubFetch(answer: (url: string, method: string) => Response) {
  const calls: Call[] = []
  vi.stubGlobal('fetch', async (url: string, init: RequestInit = {}) => {
    const method = init.method ?? 'GET'
    calls.push({ url, method, body: typeof init.body === 'string' ? JSON.parse(init.body) : null })
    return answer(url, method)
  })
  return calls
}
const $ = (sel: string) => document.querySelector(sel)
const $$ = (sel: string) => [...document.querySelectorAll(sel)]
const text = (sel: string) => $(sel)?.textContent ?? ''
/** The labels of the fields marked in red. */
const marked = () => $$('.el-form-item.is-error > .el-form-item__label').map((e) => e.textContent?.trim())
const settle = async () => {
  await flushPromises()
  await new Promise((r) => setTimeout(r, 20))
}

afterEach(() => {
  vi.unstubAllGlobals()
  document.body.innerHTML = ''
})

async function mountAt(path: string, name: string, component: object, perms: string[], answer: (url: string, method: string) => Response, user: object = {}) {
  setActivePinia(createPinia())
  useAuth().user = { permissions: perms, ...user } as never
  localStorage.clear()
  const calls = stubFetch(answer)
  const router = createRouter({ history: createMemoryHistory(), routes: [{ path: '/:rest(.*)*', name, component: { render: () => null } }] })
  await router.push(path)
  const w = mount(component, { attachTo: document.body, global: { plugins: [router], directives: { hasPermi } } })
  await settle()
  return { w, calls }
}

describe('需求大厅', () => {
  const answer = (matches: Suggestion[]) => (url: string) =>
    url.endsWith('/dicts') ? json(DICTS) : url.includes('/matches') ? json(matches) : json({ items: [DEMAND], total: 1, page: 1, size: 10 })

  it('searches on the server and shows each demand’s field, keywords, budget range, deadline and status', async () => {
    const { w, calls } = await mountAt('/market/demands?q=脱硫', 'market-demands', DemandHall, ['market:read'], answer([]))
    expect(calls.map((c) => c.url)).toContain(`/api/v1/demands/hall?q=${encodeURIComponent('脱硫')}&page=1&size=10`)
    const row = text('[data-test=demands-table] .el-table__body-wrapper tbody tr')
    for (const t of ['铅冶炼烟气深度脱硫', '济源国泰环保', '新材料', '冶炼', '脱硫', '50.00 – 200.00', '2099-12-31', '征集中']) expect(row).toContain(t)
    expect(text('[data-test=demands-table] thead')).toContain('预算（万元）')
    w.unmount()
  })

  it('says 共 for an exact total and 约 for a large one the server counted a little while ago', async () => {
    const exact = await mountAt('/market/demands', 'market-demands', DemandHall, ['market:read'], answer([]))
    expect(text('.el-pagination__total').trim()).toBe('共 1 条')
    exact.w.unmount()
    const { w } = await mountAt('/market/demands', 'market-demands', DemandHall, ['market:read'], (url) =>
      url.endsWith('/dicts') ? json(DICTS) : json({ items: [DEMAND], total: 123456, total_estimated: true, page: 1, size: 10 }))
    expect(text('.el-pagination__total').trim()).toBe('约 123456 条')
    w.unmount()
  })

  it('opens 匹配推荐 with each suggestion’s link, owner, score and reasons', async () => {
    const { w, calls } = await mountAt('/market/demands', 'market-demands', DemandHall, ['market:read'], answer(SUGGESTIONS))
    ;($('[data-test=demand-match]') as HTMLButtonElement).click()
    await settle()
    expect(calls.map((c) => c.url)).toContain('/api/v1/demands/31/matches')
    const rows = $$('[data-test=demand-matches] [data-test=match-row]')
    expect(rows).toHaveLength(2)
    expect(rows[0].querySelector('a')?.getAttribute('href')).toBe('/market/achievements/5')
    expect(rows[0].textContent).toContain('济源市某材料科技有限公司')
    expect(rows[0].querySelector('[data-test=match-score]')?.textContent).toContain('72 分')
    expect([...rows[0].querySelectorAll('[data-test=match-reasons] li')].map((l) => l.textContent)).toEqual(SUGGESTIONS[0].reasons)
    w.unmount()
  })

  it('says why nothing was suggested', async () => {
    const { w } = await mountAt('/market/demands', 'market-demands', DemandHall, ['market:read'], answer([]))
    ;($('[data-test=demand-match]') as HTMLButtonElement).click()
    await settle()
    expect($$('[data-test=demand-matches] [data-test=match-row]')).toHaveLength(0)
    expect(text('[data-test=demand-matches]')).toContain('市场上暂无与该需求的关键词、描述或技术领域相同的成果')
    w.unmount()
  })
})

describe('成果详情 → 匹配推荐', () => {
  const achievement = (status: string) => ({
    id: 5, title: '高纯铅电解精炼节能工艺', owner_org_id: 9, owner_name: '某公司', region_code: '419001', region_name: '河南省/济源市', area: 'materials', area_label: '新材料',
    industry: '', keywords: ['铅冶炼'], summary: '', trl: 7, trl_label: 'TRL 7 级', team: [], ip: [], modes: ['transfer'], mode_labels: ['转让'], negotiable: true,
    asking_price: null, contact: '', status, status_label: '', submitted_on: null, notice_start: null, notice_end: null, notice_days: null, listed_on: null, closed_on: null,
    return_reason: null, objections: [], open_objections: 0, updated_at: 0, actions: [],
  }) as Achievement
  const demandSuggestion: Suggestion = { kind: 'demand', id: 31, title: '铅冶炼烟气深度脱硫', owner: '济源国泰环保', region_code: '419001', score: 48, reasons: ['关键词相同：冶炼（20分）'] }
  async function show(status: string) {
    setActivePinia(createPinia())
    useAuth().user = { permissions: ['market:read'] } as never
    const calls = stubFetch((url) => (url.endsWith('/dicts') ? json(DICTS) : url.endsWith('/matches') ? json([demandSuggestion]) : json(achievement(status))))
    const router = createRouter({ history: createMemoryHistory(), routes: [{ path: '/market/achievements/:id', component: AchievementDetail }, { path: '/:rest(.*)*', component: { render: () => null } }] })
    await router.push('/market/achievements/5')
    const w = mount(AchievementDetail, { attachTo: document.body, global: { plugins: [router], directives: { hasPermi } } })
    await settle()
    return { w, calls }
  }

  it('lists the demands that may need a listed achievement', async () => {
    const { w, calls } = await show('listed')
    expect(calls.map((c) => c.url)).toContain('/api/v1/achievements/5/matches')
    expect(text('[data-test=achievement-matches]')).toContain('匹配推荐：可能需要该成果的技术需求')
    const rows = $$('[data-test=achievement-matches] [data-test=match-row]')
    expect(rows).toHaveLength(1)
    expect(rows[0].textContent).toContain('发布单位：济源国泰环保')
    expect(rows[0].textContent).toContain('48 分')
    expect(rows[0].textContent).toContain('关键词相同：冶炼（20分）')
    expect(rows[0].querySelector('a')?.getAttribute('href')).toBe(`/market/demands?q=${encodeURIComponent('铅冶炼烟气深度脱硫')}`)
    w.unmount()
  })

  it('asks nothing for an achievement not on the market', async () => {
    const { w, calls } = await show('draft')
    expect($('[data-test=achievement-matches]')).toBeNull()
    expect(calls.some((c) => c.url.includes('/matches'))).toBe(false)
    w.unmount()
  })
})

describe('企业出题 with the 技术市场 fields', () => {
  it('shows them in the table and sends them when posting', async () => {
    const { w, calls } = await mountAt('/projects/demands', 'project-demands', Demands, ['project:read', 'project:apply', 'market:read'], (url, method) => {
      if (url.endsWith('/dicts')) return json(DICTS)
      if (url.includes('/calls')) return json({ items: [], total: 0, page: 1, size: 500 })
      if (url.includes('/organizations/')) return json({ id: 9, name: '济源国泰环保' })
      if (method === 'POST') return json(DEMAND)
      return json({ items: [DEMAND], total: 1, page: 1, size: 10 })
    }, { org_id: 9 })
    const row = text('[data-test=demands-table] .el-table__body-wrapper tbody tr')
    for (const t of ['铅冶炼烟气深度脱硫', '新材料', '冶炼', '50.00 – 200.00', '2099-12-31', '待转化']) expect(row).toContain(t)
    ;($('[data-test=demand-create]') as HTMLButtonElement).click()
    await settle()
    const type = (name: string, v: string) => {
      const el = $(`[data-test=${name}] input, input[data-test=${name}], textarea[data-test=${name}], [data-test=${name}] textarea`) as HTMLInputElement
      el.value = v
      el.dispatchEvent(new Event('input'))
    }
    type('df-title', '新需求')
    type('df-description', '内容')
    type('df-target', '指标')
    type('df-budget', '1000000')
    type('df-budget-min', '2000000')
    await flushPromises()
    ;($('[data-test=df-save]') as HTMLButtonElement).click()
    await settle()
    // The floor above the ceiling is marked on the client (the server's demand.budget_range), nothing sent.
    expect(marked()).toEqual(['预算下限（元）'])
    expect(calls.filter((c) => c.method === 'POST')).toEqual([])
    type('df-budget-min', '500000')
    await flushPromises()
    ;($('[data-test=df-save]') as HTMLButtonElement).click()
    await settle()
    const post = calls.filter((c) => c.method === 'POST')
    expect(post).toHaveLength(1)
    expect(post[0].body).toEqual({
      org_id: 9, title: '新需求', description: '内容', target: '指标', budget: '1000000', budget_min: '500000', deadline: null, area: '', keywords: [], trl_min: null,
    })
    w.unmount()
  })
})
