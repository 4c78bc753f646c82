// The 技术合同 pages as a person sees them, with the server's answers stubbed (fetch).
import { afterEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { createMemoryHistory, createRouter } from 'vue-router'
import type { Assessment, Contract, ContractDicts } from '@/api/types'
import { useAuth } from '@/stores/auth'
import { hasPermi } from '@/directives/hasPermi'

// Node cannot load the stylesheets the component resolver imports with each Element Plus component.
for (const c of [
  'base', 'alert', 'button', 'checkbox', 'col', 'collapse', 'collapse-item', 'date-picker', 'descriptions', 'descriptions-item', 'dialog', 'divider',
  'empty', 'form', 'form-item', 'input', 'loading', 'option', 'radio', 'radio-group', 'result', 'row', 'select', 'step', 'steps', 'tag', 'upload',
  'date-picker-panel', 'tooltip', 'popover', 'message', 'message-box', 'table', 'table-column', 'pagination', 'radio-button', 'input-number',
]) {
  vi.doMock(`element-plus/es/components/${c}/style/css`, () => ({}))
}
const { default: DecideDialog } = await import('@/views/market/parts/DecideDialog.vue')
const { default: ContractForm } = await import('@/views/market/parts/ContractForm.vue')
const { default: ContractDetail } = await import('@/views/market/ContractDetail.vue')
const { default: Contracts } = await import('@/views/market/Contracts.vue')
const { default: ContractStats } = await import('@/views/market/ContractStats.vue')

const DICTS: ContractDicts = {
  categories: [
    { value: 'development', label: '技术开发', subcategories: [{ value: 'entrusted', label: '委托开发' }, { value: 'cooperative', label: '合作开发' }] },
    { value: 'consulting', label: '技术咨询', subcategories: [] },
  ],
  fields: [{ value: 'materials', label: '新材料及其应用' }],
  ip_kinds: [{ value: 'patent', label: '专利' }],
  forms: [{ value: 'written', label: '书面' }, { value: 'oral', label: '口头' }],
  statuses: [
    { value: 'draft', label: '草稿', tag: 'info' }, { value: 'submitted', label: '待登记', tag: 'warning' }, { value: 'correcting', label: '退回补正', tag: 'danger' },
    { value: 'second_review', label: '大额复核', tag: 'primary' }, { value: 'registered', label: '已登记', tag: 'success' }, { value: 'refused', label: '不予登记', tag: 'danger' },
  ],
}

function contract(over: Partial<Contract> = {}): Contract {
  return {
    id: 7, contract_no: 'JY-2025-001', subject: '高纯铅电解精炼工艺开发', category: 'development', category_label: '技术开发', category_text: '技术开发',
    subcategory: 'entrusted', subcategory_label: '委托开发', form: 'written', form_label: '书面', field: 'materials', field_label: '新材料及其应用', ip_kind: 'patent', ip_kind_label: '专利',
    seller_org_id: 9, seller_name: '济源市某材料科技有限公司', seller_credit_code: '91419001MA44TJ0F4X', seller_region_code: '419001', seller_region_name: '河南省/省直辖县级行政区划/济源市',
    buyer_name: '河南豫光金铅股份有限公司', buyer_credit_code: '91410000706784652H', buyer_region_code: '410000', buyer_region_name: '河南省',
    total_amount: '1000000.00', non_tech_amount: '200000.00', carrier_amount: '50000.00', technical_amount: null, signed_on: '2025-03-01', valid_from: '2025-03-01', valid_to: '2026-02-28',
    status: 'submitted', status_label: '待登记', submitted_on: '2025-03-07', due_on: '2025-04-06', decided_on: null, registration_no: null, decision: null, reasons: [], explanation_text: null,
    second_review: false, note: null, file_name: '合同.pdf', file_sha256: 'ab'.repeat(32), broker_name: null, updated_at: 0, actions: [],
    ...over,
  }
}

function assessment(over: Partial<Assessment> = {}): Assessment {
  return {
    decision: 'register', decision_label: '予以登记', technical_amount: '850000.00', second_review: false, deadline_days: 30, deadline_working: false,
    reasons: ['予以登记：符合认定登记条件'], explanation_text: '登记决定\n  属于技术合同：是', rules_label: '2000年办法与2001年认定规则', pack_version: '2025.1', ...over,
  }
}

const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } })
type Call = { url: string; method: string; body: unknown }
function stubFetch(answer: (url: string, method: string, body: unknown) => Response) {
  const calls: Call[] = []
  vi.stubGlobal('fetch', async (url: string, init: RequestInit = {}) => {
    const method = init.method ?? 'GET'
    const body = typeof init.body === 'string' ? JSON.parse(init.body) : init.body ?? null
    calls.push({ url, method, body })
    return answer(url, method, body)
  })
  return calls
}
const $ = (sel: string) => document.querySelector(sel)
const text = (sel: string) => $(sel)?.textContent ?? ''

afterEach(() => {
  vi.unstubAllGlobals()
  document.body.innerHTML = ''
})

describe('审核 (DecideDialog)', () => {
  async function open(c = contract({ actions: ['decide'] })) {
    const w = mount(DecideDialog, { attachTo: document.body, props: { modelValue: false, contract: c } })
    await w.setProps({ modelValue: true })
    await flushPromises()
    return w
  }

  it('assesses the clean findings on opening and says what 确定 will do', async () => {
    const calls = stubFetch(() => json(assessment()))
    const w = await open()
    expect(calls).toEqual([{ url: '/api/v1/contracts/7/assess', method: 'POST', body: { parties_clear: true, subject_clear: true, price_clear: true, name_matches: true, seal_ok: true, documents_ok: true, approval_ok: true, monopoly_clause: false } }])
    expect(text('[data-test=decide-decision]')).toBe('予以登记')
    expect(text('[data-test=decide-technical]')).toBe('850,000.00 元')
    expect(text('[data-test=decide-outcome]')).toContain('予以登记：核定技术交易额 85万元')
    expect(text('[data-test=decide-result]')).toContain('30日')
    expect(text('[data-test=decide-result]')).toContain('2000年办法与2001年认定规则')
    expect(text('[data-test=decide-explanation]')).toContain('属于技术合同：是')
    expect(text('[data-test=decide-ok]')).toContain('确定：予以登记')
    w.unmount()
  })

  it('asks again on every change and shows the reasons; 确定 posts the findings and the note', async () => {
    const calls = stubFetch((url, _m, body) => {
      if (url.endsWith('/assess')) {
        const f = body as Record<string, boolean>
        return json(f.seal_ok ? assessment() : assessment({ decision: 'correct', decision_label: '退回补正', reasons: ['退回补正：请按所列事项补正后重新提交', '印章不齐全或者印章与书写名称不一致'] }))
      }
      return json(contract({ status: 'correcting', status_label: '退回补正', decision: 'correct' }))
    })
    const w = await open()
    ;($('[data-test=finding-seal_ok] input') as HTMLInputElement).click()
    await flushPromises()
    expect(calls.filter((c) => c.url.endsWith('/assess'))).toHaveLength(2)
    expect((calls[1].body as Record<string, boolean>).seal_ok).toBe(false)
    expect(text('[data-test=decide-decision]')).toBe('退回补正')
    expect(text('[data-test=decide-outcome]')).toContain('印章不齐全或者印章与书写名称不一致')
    expect(text('[data-test=decide-outcome]')).toContain('退回卖方补正')
    expect(text('[data-test=decide-findings]')).toContain('须补正')
    const note = $('textarea[data-test=decide-note]') as HTMLTextAreaElement
    note.value = '请补盖买方公章'
    note.dispatchEvent(new Event('input'))
    await flushPromises()
    ;($('[data-test=decide-ok]') as HTMLButtonElement).click()
    await flushPromises()
    const decide = calls.find((c) => c.url.endsWith('/decide'))!
    expect(decide.body).toEqual({ findings: { ...(calls[1].body as object) }, note: '请补盖买方公章' })
    expect((w.emitted('decided')![0][0] as Contract).status).toBe('correcting')
    w.unmount()
  })

  it('shows a failed assessment in the dialog and offers no 确定', async () => {
    stubFetch(() => json({ code: 'contract.pack', message: '技术合同认定登记政策包缺失' }, 422))
    const w = await open()
    expect(text('[data-test=decide-result]')).toContain('试算未成功：技术合同认定登记政策包缺失')
    expect(($('[data-test=decide-ok]') as HTMLButtonElement).disabled).toBe(true)
    w.unmount()
  })
})

describe('the application form (ContractForm)', () => {
  async function open(c: Contract | null = null) {
    setActivePinia(createPinia())
    const w = mount(ContractForm, { attachTo: document.body, props: { modelValue: false, contract: c, dicts: DICTS } })
    await w.setProps({ modelValue: true })
    await flushPromises()
    return w
  }
  /** An el-input's <input> (its data-test lands on the input itself). */
  const input = (name: string) => $(`input[data-test=${name}], [data-test=${name}] input`) as HTMLInputElement
  function type(name: string, v: string) {
    const i = input(name)
    i.value = v
    i.dispatchEvent(new Event('input'))
  }
  /** The labels of the fields marked in red (the message itself is drawn in a transition the test DOM leaves out). */
  const marked = () => [...document.querySelectorAll('.el-form-item.is-error > .el-form-item__label')].map((e) => e.textContent?.trim())

  it('fills a stored contract and shows the estimated 技术交易额 as the amounts change', async () => {
    const w = await open(contract({ status: 'draft' }))
    expect(input('cf-contract-no').value).toBe('JY-2025-001')
    expect(input('cf-total').value).toBe('1000000')
    expect(text('[data-test=cf-estimate]')).toContain('850,000.00 元')
    type('cf-carrier', '250000')
    await flushPromises()
    // The subject matter's cost is never more than deducted: max(200,000 − 250,000, 0) = 0.
    expect(text('[data-test=cf-estimate]')).toContain('1,000,000.00 元')
    w.unmount()
  })

  it('says what is wrong before sending, on the fields', async () => {
    const calls = stubFetch(() => json({}))
    const w = await open(contract({ status: 'draft' }))
    type('cf-non-tech-amount', '2000000')
    type('cf-buyer-code', '91410000706784652J')
    await flushPromises()
    ;($('[data-test=cf-save]') as HTMLButtonElement).click()
    await flushPromises()
    await new Promise((r) => setTimeout(r, 20))
    expect(marked()).toEqual(['买方统一社会信用代码', '非技术性费用'])
    expect(text('.el-message')).toContain('非技术性费用不能超过合同成交总额')
    expect(text('.el-message')).toContain('统一社会信用代码校验位错误：第18位应为“H”，实际为“J”，请核对')
    expect(calls).toEqual([])
    w.unmount()
  })

  it('saves with PUT and puts the server’s 422 on its field', async () => {
    const calls = stubFetch(() => json({ code: 'validation', message: '数据校验未通过', fields: [{ field: 'buyer_credit_code', code: 'contract.same_party', message: '买方与卖方不能是同一单位' }] }, 422))
    const w = await open(contract({ status: 'draft' }))
    ;($('[data-test=cf-save]') as HTMLButtonElement).click()
    await flushPromises()
    await new Promise((r) => setTimeout(r, 20))
    expect(calls.map((c) => [c.method, c.url])).toEqual([['PUT', '/api/v1/contracts/7']])
    expect(calls[0].body).toMatchObject({ contract_no: 'JY-2025-001', category: 'development', subcategory: 'entrusted', total_amount: '1000000', non_tech_amount: '200000', carrier_amount: '50000' })
    expect(marked()).toEqual(['买方统一社会信用代码'])
    expect(text('.el-message')).toContain('买方与卖方不能是同一单位')
    expect(w.emitted('saved')).toBeUndefined()
    w.unmount()
  })
})

describe('合同详情 (ContractDetail)', () => {
  async function show(c: Contract, perms: string[] = ['contract:read']) {
    setActivePinia(createPinia())
    useAuth().user = { permissions: perms } as never
    stubFetch((url) => (url.endsWith('/dicts') ? json(DICTS) : json(c)))
    const router = createRouter({
      history: createMemoryHistory(),
      routes: [
        { path: '/market/contracts/:id', component: ContractDetail },
        { path: '/:rest(.*)*', component: { render: () => null } },
      ],
    })
    await router.push(`/market/contracts/${c.id}`)
    const w = mount(ContractDetail, { attachTo: document.body, global: { plugins: [router], directives: { hasPermi } } })
    await flushPromises()
    return w
  }
  const buttons = () => [...document.querySelectorAll('[data-test=contract-actions] [data-test^=act-]')].map((e) => e.getAttribute('data-test'))

  it('offers only the moves the server lists', async () => {
    let w = await show(contract({ status: 'draft', status_label: '草稿', file_name: null, file_sha256: null, actions: ['edit', 'upload', 'delete'] }))
    expect(buttons()).toEqual(['act-edit', 'act-upload', 'act-delete'])
    expect(text('[data-test=need-file]')).toContain('上传后方可提交登记')
    expect(text('[data-test=contract-steps]')).toContain('草稿')
    w.unmount()
    w = await show(contract({ actions: ['decide'] }), ['contract:read', 'contract:register'])
    expect(buttons()).toEqual(['act-decide'])
    expect(text('[data-test=contract-file]')).toBe('合同.pdf')
    expect($('[data-test=contract-file]')?.getAttribute('href')).toBe('/api/v1/contracts/7/file')
    expect(text('[data-test=contract-sha]')).toBe('ab'.repeat(32))
    w.unmount()
  })

  it('lists every reason of a refusal prominently, with the explanation', async () => {
    const w = await show(contract({
      status: 'refused', status_label: '不予登记', decision: 'refuse', decided_on: '2025-03-20', technical_amount: '0.00',
      reasons: ['不予登记：含非法垄断技术或侵害他人技术成果的条款', '火炬中心答问第6项'], explanation_text: '登记决定 = 3\n  无非法垄断等不合理条款：否',
    }))
    expect($('[data-test=result-reasons] .el-alert, .el-alert[data-test=result-reasons]')?.className).toContain('el-alert--warning')
    expect([...document.querySelectorAll('[data-test=result-reasons] li')].map((e) => e.textContent)).toEqual(['不予登记：含非法垄断技术或侵害他人技术成果的条款', '火炬中心答问第6项'])
    expect(text('[data-test=result-decision]')).toBe('不予登记')
    expect(text('[data-test=result-explanation]')).toContain('无非法垄断等不合理条款：否')
    expect(text('[data-test=contract-steps]')).toContain('不予登记')
    expect(buttons()).toEqual([])
    w.unmount()
  })

  it('shows the registration number and the certificate for a registered contract', async () => {
    const w = await show(contract({
      status: 'registered', status_label: '已登记', decision: 'register', decided_on: '2025-03-20', registration_no: '25419001000037', technical_amount: '850000.00',
      reasons: ['予以登记：符合认定登记条件'], actions: ['certificate'],
    }))
    expect(text('[data-test=result-regno]')).toBe('25419001000037')
    expect(text('[data-test=contract-result]')).toContain('850,000.00 元（85.00 万元）')
    expect($('[data-test=result-reasons]')).toBeNull()
    expect(buttons()).toEqual(['act-certificate'])
    w.unmount()
  })
})

async function page(component: unknown, path: string, perms: string[], answer: (url: string) => Response) {
  setActivePinia(createPinia())
  useAuth().user = { permissions: perms, scope_kind: 'region' } as never
  localStorage.clear()
  const calls = stubFetch(answer)
  const router = createRouter({ history: createMemoryHistory(), routes: [{ path: '/:rest(.*)*', name: 'market-contracts', component: { render: () => null } }] })
  await router.push(path)
  const w = mount(component as never, { attachTo: document.body, global: { plugins: [router], directives: { hasPermi }, stubs: { EChart: true } } })
  await flushPromises()
  return { w, calls, router }
}

describe('技术合同登记 (the list)', () => {
  it('asks the server for a page and shows each contract with its status and amounts in 万元', async () => {
    const rows = [contract(), contract({ id: 8, contract_no: 'JY-2025-002', status: 'registered', status_label: '已登记', technical_amount: '850000.00', registration_no: '25419001000037' })]
    const { w, calls, router } = await page(Contracts, '/market/contracts', ['contract:read', 'contract:apply', 'export'], (url) =>
      url.includes('/dicts') ? json(DICTS) : json({ items: rows, total: 2, page: 1, size: 10 }))
    expect(calls.map((c) => c.url)).toContain('/api/v1/contracts?page=1&size=10')
    const cells = [...document.querySelectorAll('[data-test=contracts-table] .el-table__body tr')].map((tr) => tr.textContent ?? '')
    expect(cells).toHaveLength(2)
    expect(cells[1]).toContain('JY-2025-002')
    expect(cells[1]).toContain('已登记')
    expect(cells[1]).toContain('100.00')
    expect(cells[1]).toContain('85.00')
    expect(cells[0]).toContain('待登记')
    expect($('[data-test=contract-add]')).not.toBeNull()
    ;[...document.querySelectorAll('[data-test=contracts-table] .el-table__body tr')][1].querySelectorAll('td')[1].dispatchEvent(new MouseEvent('click', { bubbles: true }))
    await flushPromises()
    expect(router.currentRoute.value.path).toBe('/market/contracts/8')
    w.unmount()
  })

  it('says so when there is nothing, and hides 新增 from an account that cannot apply', async () => {
    const { w } = await page(Contracts, '/market/contracts', ['contract:read'], (url) => (url.includes('/dicts') ? json(DICTS) : json({ items: [], total: 0, page: 1, size: 10 })))
    expect(text('[data-test=contracts-table]')).toContain('暂无技术合同')
    expect($('[data-test=contract-add]')).toBeNull()
    expect($('[data-test=contracts-export]')).toBeNull()
    w.unmount()
  })
})

describe('技术合同登记 opened from the home page', () => {
  it('starts with the link’s filter (?status=submitted) and 重置 clears it', async () => {
    const { w, calls } = await page(Contracts, '/market/contracts?status=submitted', ['contract:read', 'contract:register'], (url) =>
      url.includes('/dicts') ? json(DICTS) : json({ items: [], total: 0, page: 1, size: 10 }))
    expect(calls.map((c) => c.url)).toContain('/api/v1/contracts?status=submitted&page=1&size=10')
    expect(text('[data-test=contracts-table]')).toContain('没有符合条件的技术合同')
    const reset = [...document.querySelectorAll('.search-form button')].find((b) => b.textContent?.includes('重置')) as HTMLButtonElement
    reset.click()
    await flushPromises()
    expect(calls.at(-1)!.url).toBe('/api/v1/contracts?page=1&size=10')
    w.unmount()
  })
})

describe('技术合同统计', () => {
  it('sums the registered contracts into the cards and lists the regions', async () => {
    const item = (key: string, label: string, count: number, turnover: string, technical: string) => ({ key, label, count, turnover, technical })
    const stats = {
      direction: 'output', year_from: 2020, year_to: 2025, total: item('total', '合计', 3, '1500000', '1200000'),
      years: [item('2024', '2024年', 1, '500000', '400000'), item('2025', '2025年', 2, '1000000', '800000')],
      categories: [item('development', '技术开发', 3, '1500000', '1200000')],
      fields: [item('materials', '新材料及其应用', 3, '1500000', '1200000')],
      months: [item('2025-01', '01月', 2, '1000000', '800000')],
      regions: [item('419001', '济源市', 3, '1500000', '1200000')],
    }
    const { w, calls } = await page(ContractStats, '/market/contract-stats', ['contract:read'], () => json(stats))
    expect(calls[0].url).toMatch(/^\/api\/v1\/contracts\/stats\?year_from=\d{4}&year_to=\d{4}&direction=output$/)
    const cards = text('[data-test=stats-cards]')
    expect(cards).toContain('3项')
    expect(cards).toContain('150.00万元')
    expect(cards).toContain('120.00万元')
    expect(cards).toContain('80.0%')
    expect(text('[data-test=stats-regions]')).toContain('济源市')
    expect(text('[data-test=stats-note]')).toContain('税收优惠')
    w.unmount()
  })
})
