// The 科技成果 pages as a person sees them, with the server's answers stubbed (fetch).
import { afterEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { createMemoryHistory, createRouter } from 'vue-router'
import type { Achievement, AchievementDicts } from '@/api/types'
import { useAuth } from '@/stores/auth'
import { hasPermi } from '@/directives/hasPermi'

// Node cannot load the stylesheets the component resolver imports with each Element Plus component.
for (const c of [
  'base', 'alert', 'button', 'card', 'checkbox', 'checkbox-group', 'col', 'descriptions', 'descriptions-item', 'dialog', 'divider', 'empty', 'form', 'form-item',
  'icon', 'input', 'loading', 'option', 'option-group', 'pagination', 'radio', 'radio-button', 'radio-group', 'result', 'row', 'select', 'step', 'steps', 'switch',
  'table', 'table-column', 'tag', 'tooltip', 'popover', 'message', 'message-box', 'input-number',
]) {
  vi.doMock(`element-plus/es/components/${c}/style/css`, () => ({}))
}
const { default: AchievementForm } = await import('@/views/market/parts/AchievementForm.vue')
const { default: AchievementDetail } = await import('@/views/market/AchievementDetail.vue')
const { default: Achievements } = await import('@/views/market/Achievements.vue')

const DICTS: AchievementDicts = {
  areas: [{ value: 'materials', label: '新材料' }, { value: 'electronics', label: '电子信息' }],
  trls: Array.from({ length: 9 }, (_, i) => ({ value: i + 1, label: `TRL ${i + 1} 级`, description: `第${i + 1}级的说明` })),
  modes: [{ value: 'transfer', label: '转让' }, { value: 'license_ordinary', label: '普通许可' }],
  ip_kinds: [{ value: 'invention_patent', label: '发明专利' }, { value: 'software', label: '软件著作权' }],
  statuses: [
    { value: 'draft', label: '草稿', tag: 'info' }, { value: 'pending', label: '待审核', tag: 'warning' }, { value: 'notice', label: '公示中', tag: 'primary' },
    { value: 'listed', label: '挂牌中', tag: 'success' }, { value: 'dealt', label: '已成交', tag: 'success' }, { value: 'withdrawn', label: '已下架', tag: 'info' },
    { value: 'returned', label: '退回修改', tag: 'danger' },
  ],
}

function achievement(over: Partial<Achievement> = {}): Achievement {
  return {
    id: 5, title: '高纯铅电解精炼节能工艺', owner_org_id: 9, owner_name: '济源市某材料科技有限公司', region_code: '419001', region_name: '河南省/济源市',
    area: 'materials', area_label: '新材料', industry: '', industry_label: '', keywords: ['铅冶炼', '节能'], summary: '以新型添加剂降低槽电压。', trl: 7, trl_label: 'TRL 7 级',
    team: [{ person_id: 3, name: '王工' }], ip: [{ kind: 'invention_patent', kind_label: '发明专利', number: 'ZL201910123456.X' }], modes: ['transfer'], mode_labels: ['转让'],
    negotiable: false, asking_price: '1200000.00', contact: '王工 0391-6612345', status: 'draft', status_label: '草稿', submitted_on: null, notice_start: null,
    notice_end: null, notice_days: null, listed_on: null, closed_on: null, return_reason: null, objections: [], open_objections: 0, listable_reason: null,
    updated_at: 0, actions: [],
    ...over,
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
/** The labels of the fields marked in red. */
const marked = () => [...document.querySelectorAll('.el-form-item.is-error > .el-form-item__label')].map((e) => e.textContent?.trim())
const settle = async () => {
  await flushPromises()
  await new Promise((r) => setTimeout(r, 20))
}

afterEach(() => {
  vi.unstubAllGlobals()
  document.body.innerHTML = ''
})

describe('the achievement form', () => {
  async function open(a: Achievement | null) {
    setActivePinia(createPinia())
    const w = mount(AchievementForm, { attachTo: document.body, props: { modelValue: false, achievement: a, dicts: DICTS } })
    await w.setProps({ modelValue: true })
    await flushPromises()
    return w
  }
  const input = (name: string) => $(`input[data-test=${name}], [data-test=${name}] input`) as HTMLInputElement
  function type(name: string, v: string) {
    const i = input(name)
    i.value = v
    i.dispatchEvent(new Event('input'))
  }

  it('refuses a patent number with a wrong check digit before sending, naming the right digit', async () => {
    const calls = stubFetch(() => json({}))
    const w = await open(achievement())
    expect(input('af-title').value).toBe('高纯铅电解精炼节能工艺')
    type('af-ip-number-0', 'ZL201910123456.3')
    type('af-price', '')
    await flushPromises()
    ;($('[data-test=af-save]') as HTMLButtonElement).click()
    await settle()
    expect(calls).toEqual([])
    expect(marked()).toEqual(['挂牌价格'])
    // The row's number is marked (its message is drawn in a transition the test DOM leaves out) and said in the toast.
    expect($('[data-test=af-ip-0] .el-form-item.is-error input[data-test=af-ip-number-0]')).not.toBeNull()
    expect(text('.el-message')).toContain('校验位错误：按申请号计算应为“X”')
    expect(text('.el-message')).toContain('请填写挂牌价格，或选择“面议”')
    w.unmount()
  })

  it('sends the input as the contract has it and puts the server’s 422 on its fields', async () => {
    const calls = stubFetch(() => json({ code: 'validation', message: '数据校验未通过', fields: [
      { field: 'team', code: 'team.unknown', message: '团队成员不在人才库中' },
      { field: 'ip.0', code: 'ip.number', message: '专利号“ZL201910123456.X”已被其他成果登记' },
    ] }, 422))
    const w = await open(achievement())
    ;($('[data-test=af-save]') as HTMLButtonElement).click()
    await settle()
    expect(calls.map((c) => [c.method, c.url])).toEqual([['PUT', '/api/v1/achievements/5']])
    expect(calls[0].body).toEqual({
      title: '高纯铅电解精炼节能工艺', area: 'materials', industry: '', keywords: ['铅冶炼', '节能'], summary: '以新型添加剂降低槽电压。', trl: 7, team: [3],
      ip: [{ kind: 'invention_patent', number: 'ZL201910123456.X' }], modes: ['transfer'], negotiable: false, asking_price: '1200000', contact: '王工 0391-6612345',
    })
    expect(marked()).toEqual(['团队成员'])
    expect($('[data-test=af-ip-0] .el-form-item.is-error input[data-test=af-ip-number-0]')).not.toBeNull()
    expect(text('.el-message')).toContain('已被其他成果登记')
    expect(text('.el-message')).toContain('团队成员不在人才库中')
    expect(w.emitted('saved')).toBeUndefined()
    w.unmount()
  })
})

describe('成果详情', () => {
  async function show(a: Achievement, answer?: (url: string, method: string, body: unknown) => Response) {
    setActivePinia(createPinia())
    useAuth().user = { permissions: ['market:read', 'market:manage'] } as never
    const calls = stubFetch((url, method, body) => (url.endsWith('/dicts') ? json(DICTS) : answer && method !== 'GET' ? answer(url, method, body) : json(a)))
    const router = createRouter({
      history: createMemoryHistory(),
      routes: [
        { path: '/market/achievements/:id', component: AchievementDetail },
        { path: '/:rest(.*)*', component: { render: () => null } },
      ],
    })
    await router.push(`/market/achievements/${a.id}`)
    const w = mount(AchievementDetail, { attachTo: document.body, global: { plugins: [router], directives: { hasPermi } } })
    await flushPromises()
    return { w, calls }
  }
  const buttons = () => [...document.querySelectorAll('[data-test=achievement-actions] [data-test^=act-]')].map((e) => e.getAttribute('data-test'))
  const click = (sel: string) => ($(sel) as HTMLButtonElement).click()

  it('offers only the moves the server lists and shows the record', async () => {
    const { w } = await show(achievement({ actions: ['edit', 'submit', 'delete'] }))
    expect(buttons()).toEqual(['act-edit', 'act-submit', 'act-delete'])
    expect(text('[data-test=achievement-steps]')).toContain('草稿')
    expect(text('[data-test=achievement-price]')).toBe('1,200,000.00 元')
    expect(text('[data-test=achievement-ip]')).toContain('ZL201910123456.X')
    expect(text('[data-test=achievement-team]')).toContain('王工')
    expect($('[data-test=achievement-notice]')).toBeNull()
    w.unmount()
  })

  it('shows the notice period, why it cannot be listed, the objections, and the server’s 409 on 挂牌', async () => {
    const notice = achievement({
      status: 'notice', status_label: '公示中', submitted_on: '2025-05-01', notice_start: '2025-05-06', notice_end: '2025-05-20', notice_days: 15,
      listable_reason: '存在1条未处理的异议', open_objections: 1, actions: ['object', 'resolve', 'list', 'withdraw'],
      objections: [{ no: 1, at: '2025-05-08 10:30', by: '某公司', content: '权属存在争议', resolved: false, upheld: null, resolution: null }],
    })
    const { w, calls } = await show(notice, () => json({ code: 'achievement.not_listable', message: '暂不能挂牌：距公示期满还有5日；公示期满：不符合' }, 409))
    expect(buttons()).toEqual(['act-object', 'act-list', 'act-withdraw'])
    expect(text('[data-test=listable-reason]')).toContain('存在1条未处理的异议')
    expect(text('[data-test=notice-period]')).toContain('2025-05-06 至 2025-05-20')
    expect(text('[data-test=objections]')).toContain('权属存在争议')
    expect(text('[data-test=objections]')).toContain('待处理')
    expect($('[data-test=act-resolve-1]')).not.toBeNull()
    click('[data-test=act-list]')
    await settle()
    click('.el-message-box__btns .el-button--primary')
    await settle()
    expect(calls.filter((c) => c.method === 'POST').map((c) => c.url)).toEqual(['/api/v1/achievements/5/list'])
    expect(text('[data-test=list-error]')).toBe('暂不能挂牌：距公示期满还有5日；公示期满：不符合')
    w.unmount()
  })

  it('asks a reason before sending a record back, then shows what the server answered', async () => {
    const pending = achievement({ status: 'pending', status_label: '待审核', submitted_on: '2025-05-01', actions: ['review'] })
    const { w, calls } = await show(pending, () => json({ ...pending, status: 'returned', status_label: '退回修改', return_reason: '请补充专利证书', actions: [] }))
    click('[data-test=act-review]')
    await settle()
    // Nothing is chosen for the reviewer.
    click('[data-test=move-ok]')
    await settle()
    expect(marked()).toEqual(['审核结论'])
    ;([...document.querySelectorAll('[data-test=move-choice] input')][1] as HTMLInputElement).click()
    await flushPromises()
    click('[data-test=move-ok]')
    await settle()
    expect(calls.filter((c) => c.method === 'POST')).toEqual([])
    expect(marked()).toEqual(['退回理由'])
    const t = $('textarea[data-test=move-text]') as HTMLTextAreaElement
    t.value = '请补充专利证书'
    t.dispatchEvent(new Event('input'))
    await flushPromises()
    click('[data-test=move-ok]')
    await settle()
    expect(calls.filter((c) => c.method === 'POST')).toEqual([{ url: '/api/v1/achievements/5/review', method: 'POST', body: { approve: false, reason: '请补充专利证书' } }])
    expect(text('[data-test=return-reason]')).toContain('请补充专利证书')
    expect(text('[data-test=achievement-steps]')).toContain('退回修改')
    expect(buttons()).toEqual([])
    w.unmount()
  })
})

describe('处理异议', () => {
  it('posts the result and the opinion for the objection chosen', async () => {
    setActivePinia(createPinia())
    useAuth().user = { permissions: ['market:read', 'market:manage'] } as never
    const rec = achievement({
      status: 'notice', status_label: '公示中', notice_start: '2025-05-06', notice_end: '2025-05-20', open_objections: 1, actions: ['resolve'],
      objections: [
        { no: 1, at: '2025-05-07 09:00', by: '甲公司', content: '已处理的异议', resolved: true, upheld: false, resolution: '经核查不成立' },
        { no: 2, at: '2025-05-08 10:30', by: '乙公司', content: '权属存在争议', resolved: false, upheld: null, resolution: null },
      ],
    })
    const calls = stubFetch((url, method) => (url.endsWith('/dicts') ? json(DICTS) : method === 'POST'
      ? json({ ...rec, status: 'returned', status_label: '退回修改', return_reason: '权属争议属实', open_objections: 0, actions: ['edit'], objections: [rec.objections[0], { ...rec.objections[1], resolved: true, upheld: true, resolution: '权属争议属实' }] })
      : json(rec)))
    const router = createRouter({ history: createMemoryHistory(), routes: [{ path: '/market/achievements/:id', component: AchievementDetail }, { path: '/:rest(.*)*', component: { render: () => null } }] })
    await router.push('/market/achievements/5')
    const w = mount(AchievementDetail, { attachTo: document.body, global: { plugins: [router], directives: { hasPermi } } })
    await flushPromises()
    expect($('[data-test=act-resolve-1]')).toBeNull()
    expect(text('[data-test=objections]')).toContain('异议不成立')
    ;($('[data-test=act-resolve-2]') as HTMLButtonElement).click()
    await settle()
    expect(text('[data-test=move-objection]')).toContain('权属存在争议')
    ;([...document.querySelectorAll('[data-test=move-choice] input')][0] as HTMLInputElement).click()
    const t = $('textarea[data-test=move-text]') as HTMLTextAreaElement
    t.value = '权属争议属实'
    t.dispatchEvent(new Event('input'))
    await flushPromises()
    ;($('[data-test=move-ok]') as HTMLButtonElement).click()
    await settle()
    expect(calls.filter((c) => c.method === 'POST')).toEqual([{ url: '/api/v1/achievements/5/objections/2/resolve', method: 'POST', body: { upheld: true, resolution: '权属争议属实' } }])
    expect(text('[data-test=objections]')).toContain('异议成立')
    expect(text('[data-test=achievement-steps]')).toContain('退回修改')
    w.unmount()
  })
})

async function page(path: string, name: string, perms: string[], answer: (url: string) => Response) {
  setActivePinia(createPinia())
  useAuth().user = { permissions: perms } as never
  localStorage.clear()
  const calls = stubFetch(answer)
  const router = createRouter({ history: createMemoryHistory(), routes: [{ path: '/:rest(.*)*', name, component: { render: () => null } }] })
  await router.push(path)
  const w = mount(Achievements, { attachTo: document.body, global: { plugins: [router], directives: { hasPermi } } })
  await flushPromises()
  return { w, calls, router }
}

describe('成果大厅 and 成果管理', () => {
  const rows = [
    achievement({ status: 'notice', status_label: '公示中', notice_start: '2025-05-06', notice_end: '2025-05-20' }),
    achievement({ id: 6, title: '工业废水重金属回收', negotiable: true, asking_price: null, status: 'listed', status_label: '挂牌中', trl: 5 }),
  ]
  it('the hall asks for every region’s public achievements and shows them as cards', async () => {
    const { w, calls, router } = await page('/market/hall?trl_min=5', 'market-hall', ['market:read'], (url) =>
      url.includes('/dicts') ? json(DICTS) : json({ items: rows, total: 2, page: 1, size: 12 }))
    expect(calls.map((c) => c.url)).toContain('/api/v1/achievements?trl_min=5&hall=true&page=1&size=12')
    const cards = [...document.querySelectorAll('[data-test=hall-card]')].map((e) => e.textContent ?? '')
    expect(cards).toHaveLength(2)
    expect(cards[0]).toContain('120.00 万元')
    expect(cards[0]).toContain('公示至 2025-05-20')
    expect(cards[0]).toContain('TRL 7')
    expect(cards[1]).toContain('面议')
    expect(cards[1]).toContain('挂牌中')
    expect($('[data-test=achievement-add]')).toBeNull()
    ;(document.querySelectorAll('[data-test=hall-card]')[1] as HTMLElement).click()
    await flushPromises()
    expect(router.currentRoute.value.path).toBe('/market/achievements/6')
    w.unmount()
  })

  it('an organization sees its own, with 新增成果 and a hint', async () => {
    const { w, calls } = await page('/market/achievements', 'market-achievements', ['market:read', 'market:publish', 'export'], (url) =>
      url.includes('/dicts') ? json(DICTS) : json({ items: [], total: 0, page: 1, size: 10 }))
    expect(calls.map((c) => c.url)).toContain('/api/v1/achievements?page=1&size=10')
    expect(text('[data-test=achievements-hint]')).toContain('本单位的科技成果')
    expect($('[data-test=achievement-add]')).not.toBeNull()
    expect($('[data-test=achievements-export]')).not.toBeNull()
    expect(text('[data-test=achievements-table]')).toContain('本单位暂无科技成果，可点击“新增成果”登记')
    w.unmount()
  })
})
