// 对接推荐 of experts, 高校院所 and enterprises: links by kind and permission, the empty lists'
// sentences, which requests are made, and the server's answers made safe to show; then the
// 需求大厅's partner tabs and the achievement's 意向企业 as a person sees them (fetch stubbed).
import { afterEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { createMemoryHistory, createRouter } from 'vue-router'
import { useAuth } from '@/stores/auth'
import {
  type Partner, demandPartnersAllowed, enterprisesHint, industryMajor, normalizeDemandPartners, partnerEmptyText, partnerList, partnerPercent, partnerRoute, partnerTabLabel,
} from '@/utils/matching'

const holding = (...perms: string[]) => (p: string) => perms.includes(p)
const expert: Partner = { kind: 'expert', id: 20714, name: '黄宏伟', detail: '济源职业技术学院', score: 100, reasons: ['与需求共同的词：冶炼'] }
const institution: Partner = { kind: 'institution', id: 3809, name: '济源职业技术学院', detail: '高等院校，河南省/济源市', score: 93, reasons: ['单位名称或简介含：技术'] }
const enterprise: Partner = { kind: 'enterprise', id: 3407, name: '济源沁园科技股份60分公司', detail: '济源市', score: 55, reasons: ['同属行业大类 C32（本单位行业代码 C3216）'] }

describe('partnerRoute', () => {
  it('links an expert to the person registry and an organization to the organization registry', () => {
    const all = holding('person:read', 'org:read')
    expect(partnerRoute(expert, all)).toBe('/persons/20714')
    expect(partnerRoute(institution, all)).toBe('/organizations/3809')
    expect(partnerRoute(enterprise, all)).toBe('/organizations/3407')
  })

  it('does not link what the caller may not open', () => {
    expect(partnerRoute(expert, holding('org:read'))).toBeNull()
    expect(partnerRoute(institution, holding('person:read'))).toBeNull()
    expect(partnerRoute(enterprise, holding('person:read'))).toBeNull()
    expect(partnerRoute(expert, holding())).toBeNull()
  })

  it('does not link a record without a usable id or of an unknown kind', () => {
    const all = () => true
    expect(partnerRoute({ kind: 'expert', id: 0 }, all)).toBeNull()
    expect(partnerRoute({ kind: 'expert', id: Number.NaN }, all)).toBeNull()
    expect(partnerRoute({ kind: 'broker' as never, id: 3 }, all)).toBeNull()
  })
})

describe('partnerEmptyText', () => {
  it('names the missing permission only when the caller lacks it', () => {
    expect(partnerEmptyText('expert', false)).toBe('推荐专家需查看人才库的权限，请联系科技局')
    expect(partnerEmptyText('institution', false)).toBe('推荐机构需查看单位库的权限，请联系科技局')
    expect(partnerEmptyText('enterprise', false)).toContain('单位库的权限')
  })

  it('says that nothing matched when the caller may see the registry', () => {
    expect(partnerEmptyText('expert', true)).toMatch(/^暂无匹配的专家/)
    expect(partnerEmptyText('institution', true)).toMatch(/^暂无匹配的机构/)
    expect(partnerEmptyText('enterprise', true)).toMatch(/^暂无匹配的企业/)
    for (const k of ['expert', 'institution', 'enterprise'] as const) expect(partnerEmptyText(k, true)).not.toContain('权限')
  })
})

describe('demandPartnersAllowed', () => {
  it('asks for the partners only when the caller may see experts or institutions', () => {
    expect(demandPartnersAllowed(holding('market:read'))).toEqual({ experts: false, institutions: false, any: false })
    expect(demandPartnersAllowed(holding('market:read', 'person:read'))).toEqual({ experts: true, institutions: false, any: true })
    expect(demandPartnersAllowed(holding('org:read'))).toEqual({ experts: false, institutions: true, any: true })
    expect(demandPartnersAllowed(holding('person:read', 'org:read')).any).toBe(true)
  })
})

describe('partner lists', () => {
  it('counts the partners in the tab title once there are any', () => {
    expect(partnerTabLabel('推荐专家', null)).toBe('推荐专家')
    expect(partnerTabLabel('推荐专家', [])).toBe('推荐专家')
    expect(partnerTabLabel('推荐专家', [expert, expert])).toBe('推荐专家（2）')
  })

  it('keeps the score a bar can show', () => {
    expect(partnerPercent(97)).toBe(97)
    expect(partnerPercent(96.6)).toBe(97)
    expect(partnerPercent(140)).toBe(100)
    expect(partnerPercent(-3)).toBe(0)
    expect(partnerPercent('x')).toBe(0)
    expect(partnerPercent(undefined)).toBe(0)
  })

  it('makes the server’s answers safe to show', () => {
    expect(normalizeDemandPartners(null)).toEqual({ experts: [], institutions: [] })
    expect(normalizeDemandPartners({ experts: [expert] })).toEqual({ experts: [expert], institutions: [] })
    const odd = { kind: 'expert', id: 9, name: '李四', score: 10 }
    expect(partnerList([odd, null, { id: 3 }, 'x'])).toEqual([{ ...odd, detail: '', reasons: [] }])
    expect(partnerList({ items: [] })).toEqual([])
  })
})

describe('意向企业 of an achievement', () => {
  it('takes the 行业大类 the way the server does', () => {
    expect(industryMajor('C3216')).toBe('C32')
    expect(industryMajor('c32')).toBe('C32')
    expect(industryMajor(' I6510 ')).toBe('I65')
    expect(industryMajor('C')).toBe('')
    expect(industryMajor('')).toBe('')
    expect(industryMajor(null)).toBe('')
  })

  it('says how the enterprises were chosen', () => {
    expect(enterprisesHint('C3216', '有色金属冶炼和压延加工业')).toBe('同属行业大类 C32（有色金属冶炼和压延加工业）的企业，与成果有共同词的在前，其次按最近一年研发费用排序')
    expect(enterprisesHint('C32')).toMatch(/^同属行业大类 C32的企业/)
    expect(enterprisesHint('')).toContain('未填写国民经济行业')
    expect(enterprisesHint(undefined)).toContain('未填写国民经济行业')
  })
})

// ---- the drawer's 推荐专家 / 推荐机构 and the achievement's 意向企业, with the server stubbed ----

for (const c of [
  'base', 'alert', 'button', 'col', 'descriptions', 'descriptions-item', 'drawer', 'empty', 'form', 'form-item', 'icon', 'input', 'loading', 'option', 'pagination',
  'popover', 'progress', 'row', 'select', 'step', 'steps', 'tab-pane', 'table', 'table-column', 'tabs', 'tag', 'tooltip', 'message', 'message-box', 'checkbox', 'checkbox-group',
]) {
  vi.doMock(`element-plus/es/components/${c}/style/css`, () => ({}))
}

const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } })
const DEMAND = {
  id: 31, org_id: 9, org_name: '济源国泰环保', title: '铅冶炼烟气深度脱硫', description: '', target: '', budget: null, budget_min: null, deadline: null, area: 'environment',
  area_label: '节能环保', keywords: ['冶炼'], trl_min: null, status: 'open', status_label: '征集中', call_id: null, region_code: '419001',
}
const settle = async () => {
  await flushPromises()
  await new Promise((r) => setTimeout(r, 20))
}
const $ = (sel: string) => document.querySelector(sel)
const $$ = (sel: string) => [...document.querySelectorAll(sel)]

async function mountWith(component: object, path: string, perms: string[], answer: (url: string) => Response) {
  setActivePinia(createPinia())
  useAuth().user = { permissions: perms } as never
  useAuth().scope = '济源市及下级'
  const urls: string[] = []
  vi.stubGlobal('fetch', async (url: string) => {
    urls.push(url)
    return answer(url)
  })
  const router = createRouter({ history: createMemoryHistory(), routes: [{ path: '/market/achievements/:id', component }, { path: '/:rest(.*)*', component: { render: () => null } }] })
  await router.push(path)
  const w = mount(component, { attachTo: document.body, global: { plugins: [router] } })
  await settle()
  return { w, urls }
}
async function clickTab(name: string) {
  const tab = $$('.el-tabs__item').find((t) => t.textContent?.includes(name)) as HTMLElement
  tab.click()
  await settle()
}

afterEach(() => {
  vi.unstubAllGlobals()
  document.body.innerHTML = ''
})

describe('需求大厅 → 匹配推荐 → 推荐专家 / 推荐机构', () => {
  const answer = (url: string) =>
    url.includes('/partners') ? json({ experts: [expert], institutions: [] })
      : url.includes('/matches') ? json([])
        : url.endsWith('/dicts') ? json({ areas: [], trls: [], modes: [], ip_kinds: [], statuses: [] })
          : json({ items: [DEMAND], total: 1, page: 1, size: 10 })
  const hall = async (perms: string[]) => {
    const { default: DemandHall } = await import('@/views/market/DemandHall.vue')
    const m = await mountWith(DemandHall, '/market/demands', perms, answer)
    ;($('[data-test=demand-match]') as HTMLButtonElement).click()
    await settle()
    return m
  }

  it('asks for the partners once, when a partner tab is first shown, and lists them with link, detail, score and reasons', async () => {
    const { w, urls } = await hall(['market:read', 'person:read', 'org:read'])
    expect(urls.some((u) => u.includes('/partners'))).toBe(false)
    await clickTab('推荐专家')
    await clickTab('推荐机构')
    await clickTab('推荐专家')
    expect(urls.filter((u) => u.includes('/partners'))).toEqual(['/api/v1/demands/31/partners'])
    const rows = $$('[data-test=partners-experts] [data-test=partner-row]')
    expect(rows).toHaveLength(1)
    expect(rows[0].querySelector('a[data-test=partner-name]')?.getAttribute('href')).toBe('/persons/20714')
    expect(rows[0].textContent).toContain('济源职业技术学院')
    expect(rows[0].querySelector('[data-test=partner-score]')?.textContent).toContain('100')
    expect([...rows[0].querySelectorAll('[data-test=partner-reasons] li')].map((l) => l.textContent)).toEqual(expert.reasons)
    expect($('[data-test=partners-institutions] [data-test=partner-empty]')?.textContent).toContain('暂无匹配的机构')
    expect($('.el-tabs__item.is-active')?.textContent).toBe('推荐专家（1）')
    w.unmount()
  })

  it('asks nothing of a caller who may see neither registry, and says which permission is missing', async () => {
    const { w, urls } = await hall(['market:read'])
    await clickTab('推荐专家')
    expect(urls.some((u) => u.includes('/partners'))).toBe(false)
    expect($('[data-test=partners-experts] [data-test=partner-empty]')?.textContent).toContain('推荐专家需查看人才库的权限，请联系科技局')
    expect($('[data-test=partners-institutions] [data-test=partner-empty]')?.textContent).toContain('推荐机构需查看单位库的权限，请联系科技局')
    w.unmount()
  })
})

describe('成果详情 → 意向企业', () => {
  const ACHIEVEMENT = {
    id: 5, title: '高纯铅电解精炼节能工艺', owner_org_id: 9, owner_name: '某公司', region_code: '419001', region_name: '河南省/济源市', area: 'materials', area_label: '新材料',
    industry: 'C3212', keywords: ['铅冶炼'], summary: '', trl: 7, trl_label: 'TRL 7 级', team: [], ip: [], modes: [], mode_labels: [], negotiable: true, asking_price: null,
    contact: '', status: 'listed', status_label: '挂牌中', submitted_on: null, notice_start: null, notice_end: null, notice_days: null, listed_on: null, closed_on: null,
    return_reason: null, objections: [], open_objections: 0, updated_at: 0, actions: [],
  }
  const answer = (url: string) =>
    url.includes('/enterprises') ? json([enterprise]) : url.includes('/matches') ? json([]) : url.endsWith('/dicts') ? json({ areas: [], trls: [], modes: [], ip_kinds: [], statuses: [] }) : json(ACHIEVEMENT)
  const detail = async (perms: string[]) => {
    const { default: AchievementDetail } = await import('@/views/market/AchievementDetail.vue')
    return mountWith(AchievementDetail, '/market/achievements/5', perms, answer)
  }

  it('lists the enterprises to a caller who may read the organization registry', async () => {
    const { w, urls } = await detail(['market:read', 'org:read'])
    expect(urls).toContain('/api/v1/achievements/5/enterprises')
    expect($('[data-test=achievement-enterprises]')?.textContent).toContain('同属行业大类 C32（有色金属冶炼和压延加工业）')
    const rows = $$('[data-test=partner-enterprises] [data-test=partner-row]')
    expect(rows).toHaveLength(1)
    expect(rows[0].querySelector('a')?.getAttribute('href')).toBe('/organizations/3407')
    expect(rows[0].textContent).toContain('同属行业大类 C32（本单位行业代码 C3216）')
    w.unmount()
  })

  it('neither shows nor asks for them without org:read', async () => {
    const { w, urls } = await detail(['market:read'])
    expect($('[data-test=achievement-matches]')).not.toBeNull()
    expect($('[data-test=achievement-enterprises]')).toBeNull()
    expect(urls.some((u) => u.includes('/enterprises'))).toBe(false)
    w.unmount()
  })
})
