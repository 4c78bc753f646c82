// 全文检索: the search as the URL holds it (read, written back, sent), where a hit opens, the
// snippet kept to its <em> marks; then the page and the header's box as a person sees them, with
// the server's answers stubbed (fetch).
import { afterEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { createMemoryHistory, createRouter, type Router } from 'vue-router'
import { queryString } from '@/api/http'
import { useAuth } from '@/stores/auth'
import {
  FACETS, KINDS, MAX_HITS, SEARCH_PERMS, activeFilters, apiQuery, emptySearch, emptyText, facetTitle, facetValueLabel, hasCriteria, hitRoute, pageableTotal,
  queryOfSearch, safeSnippet, searchFromQuery, searchableKinds, toggleFilter, withWords, withoutFilter, withoutFilters, type SearchAnswer,
} from '@/utils/search'

describe('the search in the URL', () => {
  it('reads words, filters, page and size, trimmed', () => {
    const s = searchFromQuery({ q: '  冶炼 烟气 ', kind: 'achievement', area: 'environment', trl: '6', region: '419001', mode: 'transfer', page: '3', size: '20' })
    expect(s).toEqual({ q: '冶炼 烟气', kind: 'achievement', area: 'environment', trl: '6', region: '419001', mode: 'transfer', page: 3, size: 20 })
  })
  it('takes the first of repeated values, and falls back to page 1 and 10 a page', () => {
    expect(searchFromQuery({ q: ['a', 'b'], page: '0', size: '30' })).toEqual({ ...emptySearch(), q: 'a' })
    expect(searchFromQuery({ page: '-2', size: 'x' })).toMatchObject({ page: 1, size: 10 })
    expect(searchFromQuery({ page: '2.5', size: '50' })).toMatchObject({ page: 1, size: 50 })
    expect(searchFromQuery({ q: null })).toEqual(emptySearch())
  })
  it('passes a filter on as written: the server says what is wrong with it', () => {
    expect(searchFromQuery({ kind: 'foo', trl: '12' })).toMatchObject({ kind: 'foo', trl: '12' })
  })
  it('writes back only what differs from a fresh search, and reads back the same', () => {
    expect(queryOfSearch(emptySearch())).toEqual({})
    const s = { ...emptySearch(), q: ' 环保 ', kind: 'organization', page: 2, size: 50 }
    const q = queryOfSearch(s)
    expect(q).toEqual({ q: '环保', kind: 'organization', page: '2', size: '50' })
    expect(searchFromQuery(q as Record<string, string>)).toEqual({ ...s, q: '环保' })
  })
  it('asks the server with page and size always, and nothing empty', () => {
    expect(apiQuery(emptySearch())).toEqual({ page: 1, size: 10 })
    expect(queryString(apiQuery({ ...emptySearch(), q: '冶炼', trl: '6', page: 2 }))).toBe(`?page=2&size=10&q=${encodeURIComponent('冶炼')}&trl=6`)
  })
  it('searches on load only with words or a filter', () => {
    expect(hasCriteria(emptySearch())).toBe(false)
    expect(hasCriteria({ ...emptySearch(), q: '   ' })).toBe(false)
    expect(hasCriteria({ ...emptySearch(), q: '铅' })).toBe(true)
    expect(hasCriteria({ ...emptySearch(), region: '419001' })).toBe(true)
  })
})

describe('facets and filters', () => {
  const base = { ...emptySearch(), q: '冶炼', page: 4 }
  it('a value chosen filters from page 1; chosen again it is dropped', () => {
    const s = toggleFilter(base, 'kind', 'achievement')
    expect(s).toMatchObject({ q: '冶炼', kind: 'achievement', page: 1 })
    expect(toggleFilter({ ...s, page: 3 }, 'kind', 'achievement')).toMatchObject({ kind: '', page: 1 })
    expect(toggleFilter(s, 'kind', 'demand').kind).toBe('demand')
  })
  it('drops one filter or all, keeping the words and size', () => {
    const s = { ...base, size: 20, kind: 'demand', area: 'materials', trl: '5' }
    expect(withoutFilter(s, 'area')).toEqual({ ...s, area: '', page: 1 })
    expect(withoutFilters(s)).toEqual({ ...emptySearch(), q: '冶炼', size: 20 })
  })
  it('new words keep the filters and go back to page 1', () => {
    expect(withWords({ ...base, kind: 'person' }, '  余热 ')).toMatchObject({ q: '余热', kind: 'person', page: 1 })
  })
  it('titles each facet group', () => {
    expect(FACETS.map((f) => f.title)).toEqual(['类别', '技术领域', '技术就绪度', '所在地区', '转化方式'])
    expect(facetTitle('region')).toBe('所在地区')
    expect(facetTitle('x')).toBe('x')
  })
  it('says the chosen filters with the server’s labels, else its own', () => {
    const facets: SearchAnswer['facets'] = { area: [{ value: 'environment', label: '资源与环境', count: 4 }], region: [{ value: '419001', label: '济源市', count: 3 }] }
    const s = { ...base, kind: 'achievement,demand', area: 'environment', trl: '6', region: '419001' }
    expect(activeFilters(s, facets).map((f) => f.text)).toEqual(['类别：科技成果、技术需求', '技术领域：资源与环境', '技术就绪度：TRL 6', '所在地区：济源市'])
    expect(activeFilters(emptySearch(), facets)).toEqual([])
    expect(facetValueLabel('mode', 'transfer')).toBe('transfer')
  })
  it('never pages past what the server pages', () => {
    expect(pageableTotal(36, 10)).toBe(36)
    expect(pageableTotal(25_000, 10)).toBe(MAX_HITS)
    for (const size of [10, 20, 50]) {
      const pages = Math.ceil(pageableTotal(99_999, size) / size)
      expect((pages - 1) * size).toBeLessThan(MAX_HITS)
    }
  })
})

describe('a hit', () => {
  it('opens its detail page; a demand opens in the 需求大厅, searched by its title with its row open', () => {
    expect(hitRoute({ kind: 'achievement', id: 5, title: 'x' })).toBe('/market/achievements/5')
    expect(hitRoute({ kind: 'organization', id: 7, title: 'x' })).toBe('/organizations/7')
    expect(hitRoute({ kind: 'person', id: 9, title: 'x' })).toBe('/persons/9')
    expect(hitRoute({ kind: 'demand', id: 31, title: '铅冶炼烟气深度脱硫' })).toEqual({ path: '/market/demands', query: { q: '铅冶炼烟气深度脱硫', open: '31' } })
  })
  it('keeps its snippet’s <em> marks and nothing else', () => {
    expect(safeSnippet('锌<em>冶炼</em>渣 &amp; <em>回收</em>')).toBe('锌<em>冶炼</em>渣 &amp; <em>回收</em>')
    expect(safeSnippet('<img src=x onerror=alert(1)><em>a</em>')).toBe('&lt;img src=x onerror=alert(1)&gt;<em>a</em>')
    expect(safeSnippet('<em onclick="x">a</em>')).toBe('&lt;em onclick="x"&gt;a')
    expect(safeSnippet('</em>a<em>b')).toBe('a<em>b</em>')
    expect(safeSnippet(null)).toBe('')
  })
  it('an empty answer says what to try', () => {
    expect(emptyText({ ...emptySearch(), q: '量子' }).title).toBe('没有找到与“量子”相关的结果')
    expect(emptyText({ ...emptySearch(), q: '量子', kind: 'person' }).hint).toContain('清除部分筛选条件')
    expect(emptyText({ ...emptySearch(), area: 'energy' }).title).toBe('没有符合筛选条件的结果')
  })
  it('kinds follow the permissions that read them', () => {
    expect(SEARCH_PERMS).toEqual(['market:read', 'org:read', 'person:read'])
    expect(searchableKinds((p) => p === 'org:read').map((k) => k.value)).toEqual(['organization'])
    expect(searchableKinds(() => true)).toEqual(KINDS)
  })
})

// ---------- the page and the header's box ----------

// Node cannot load the stylesheets the component resolver imports with each Element Plus component.
for (const c of [
  'base', 'button', 'empty', 'icon', 'input', 'loading', 'pagination', 'tag', 'result', 'select', 'option', 'option-group', 'tooltip', 'popper', 'scrollbar', 'breadcrumb',
  'breadcrumb-item', 'container', 'aside', 'header', 'main', 'menu', 'menu-item', 'sub-menu', 'dropdown', 'dropdown-menu', 'dropdown-item', 'message', 'message-box', 'tabs', 'tab-pane',
  'table', 'table-column', 'checkbox', 'checkbox-group', 'drawer', 'descriptions', 'descriptions-item', 'form', 'form-item', 'popover', 'radio', 'radio-group', 'radio-button', 'alert',
]) {
  vi.doMock(`element-plus/es/components/${c}/style/css`, () => ({}))
}
const { default: SearchPage } = await import('@/views/search/Search.vue')
const { default: DemandHall } = await import('@/views/market/DemandHall.vue')

const ANSWER: SearchAnswer = {
  total: 36,
  rows: [
    { kind: 'achievement', kind_label: '科技成果', id: 5, title: '冶炼烟气深度脱硫脱硝一体化技术', snippet: '<em>冶炼</em>烟气深度脱硫 &lt;b&gt;', score: 30 },
    { kind: 'demand', kind_label: '技术需求', id: 31, title: '铅冶炼烟气深度脱硫脱硝技术需求', snippet: '现有<em>冶炼</em>烟气', score: 29 },
  ],
  facets: {
    kind: [{ value: 'person', label: '人才专家', count: 29 }, { value: 'achievement', label: '科技成果', count: 4 }, { value: 'demand', label: '技术需求', count: 3 }],
    region: [{ value: '419001', label: '济源市', count: 35 }, { value: '410883', label: '孟州市', count: 1 }],
  },
}
const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } })
const $ = (sel: string) => document.querySelector(sel)
const $$ = (sel: string) => [...document.querySelectorAll(sel)]
const text = (sel: string) => $(sel)?.textContent ?? ''
const settle = async () => {
  await flushPromises()
  await new Promise((r) => setTimeout(r, 20))
}

afterEach(() => {
  vi.unstubAllGlobals()
  document.body.innerHTML = ''
})

async function showPage(path: string, answer: (url: string) => Response = () => json(ANSWER), perms = ['market:read', 'org:read', 'person:read']) {
  setActivePinia(createPinia())
  useAuth().user = { permissions: perms } as never
  const urls: string[] = []
  vi.stubGlobal('fetch', async (url: string) => {
    urls.push(url)
    return answer(url)
  })
  const router: Router = createRouter({ history: createMemoryHistory(), routes: [{ path: '/search', name: 'search', component: SearchPage }, { path: '/:rest(.*)*', component: { render: () => null } }] })
  await router.push(path)
  const w = mount(SearchPage, { attachTo: document.body, global: { plugins: [router] } })
  await settle()
  return { w, urls, router }
}

describe('全文检索 page', () => {
  it('without words or filters invites a search and asks nothing', async () => {
    const { w, urls } = await showPage('/search', () => json(ANSWER), ['org:read'])
    expect(urls).toEqual([])
    expect(text('[data-test=search-prompt]')).toContain('输入关键词')
    // Only the kinds the account may read are offered.
    expect(text('[data-test=search-prompt]')).toContain('单位')
    expect(text('[data-test=search-prompt]')).not.toContain('科技成果')
    w.unmount()
  })

  it('searches what the URL says and shows the total, the hits with their marks, and the facets', async () => {
    const { w, urls } = await showPage('/search?q=冶炼&region=419001&page=2')
    expect(urls).toEqual([`/api/v1/search?page=2&size=10&q=${encodeURIComponent('冶炼')}&region=419001`])
    expect(text('[data-test=search-total]')).toContain('共 36 条结果')
    const hits = $$('[data-test=search-hit]')
    expect(hits).toHaveLength(2)
    expect(hits[0].querySelector('[data-test=hit-kind]')?.textContent).toBe('科技成果')
    expect(hits[0].querySelector('[data-test=hit-title]')?.getAttribute('href')).toBe('/market/achievements/5')
    expect(hits[1].querySelector('[data-test=hit-title]')?.getAttribute('href')).toBe(`/market/demands?q=${encodeURIComponent('铅冶炼烟气深度脱硫脱硝技术需求')}&open=31`)
    const snippet = hits[0].querySelector('[data-test=hit-snippet]')!
    expect(snippet.querySelector('em')?.textContent).toBe('冶炼')
    expect(snippet.querySelector('b')).toBeNull()
    expect(snippet.textContent).toContain('<b>')
    expect(text('[data-test=facet-kind]')).toContain('类别')
    expect(text('[data-test=facet-kind]')).toContain('人才专家(29)')
    expect($('[data-test=facet-area]')).toBeNull()
    expect(text('[data-test=search-chosen]')).toContain('所在地区：济源市')
    w.unmount()
  })

  it('a facet value, a closed tag and 清除筛选 each go to a new URL from page 1', async () => {
    const { w, router } = await showPage('/search?q=冶炼&region=419001&page=2')
    const kindValue = $$('[data-test=facet-kind] [data-test=facet-value]').find((e) => e.textContent?.includes('科技成果')) as HTMLElement
    kindValue.click()
    await settle()
    expect(router.currentRoute.value.query).toEqual({ q: '冶炼', kind: 'achievement', region: '419001' })
    // The layout mounts the page anew for each URL (the old one last: a router left without an app starts over).
    const host = document.body.appendChild(document.createElement('div'))
    const w2 = mount(SearchPage, { attachTo: host, global: { plugins: [router] } })
    w.unmount()
    await settle()
    const tags = [...host.querySelectorAll('[data-test=search-chosen-tag]')]
    expect(tags.map((e) => e.textContent?.trim())).toEqual(['类别：科技成果', '所在地区：济源市'])
    ;(tags[0].querySelector('.el-tag__close') as HTMLElement).click()
    await settle()
    expect(router.currentRoute.value.query).toEqual({ q: '冶炼', region: '419001' })
    ;(host.querySelector('[data-test=search-clear]') as HTMLElement).click()
    await settle()
    expect(router.currentRoute.value.query).toEqual({ q: '冶炼' })
    w2.unmount()
  })

  it('new words keep the filters', async () => {
    const { w, router } = await showPage('/search?q=冶炼&kind=demand')
    const input = $('[data-test=search-q]') as HTMLInputElement
    input.value = '  脱硫 '
    input.dispatchEvent(new Event('input'))
    ;($('[data-test=search-submit]') as HTMLElement).click()
    await settle()
    expect(router.currentRoute.value.query).toEqual({ q: '脱硫', kind: 'demand' })
    w.unmount()
  })

  it('says when nothing matches, and what to try', async () => {
    const { w } = await showPage('/search?q=量子', () => json({ total: 0, rows: [], facets: {} }))
    expect(text('[data-test=search-empty]')).toContain('没有找到与“量子”相关的结果')
    expect(text('[data-test=search-total]')).toContain('共 0 条结果')
    w.unmount()
  })

  it('shows the server’s message for a search it refuses', async () => {
    const { w } = await showPage('/search?q=x&trl=12', () =>
      json({ code: 'validation', message: '技术就绪度应为1至9级', fields: [{ field: 'trl', code: 'trl.range', message: '技术就绪度应为1至9级' }] }, 422),
    )
    expect(text('[data-test=load-error]')).toContain('技术就绪度应为1至9级')
    expect($$('[data-test=search-hit]')).toHaveLength(0)
    w.unmount()
  })
})

describe('the route', () => {
  it('is in the 技术市场 menu and opens for any searchable kind', async () => {
    vi.doMock('@/layout/Layout.vue', () => ({ default: { render: () => null } }))
    const { appRoutes } = await import('@/router')
    expect(appRoutes.find((r) => r.name === 'search')?.meta).toMatchObject({ title: '全文检索', icon: 'Search', menu: true, group: '技术市场', perm: SEARCH_PERMS })
  })
})

describe('a demand hit in the 需求大厅', () => {
  const demand = (id: number, title: string) => ({
    id, org_id: 9, org_name: '济源国泰环保', title, description: `${title}的需求内容`, target: '二氧化硫排放浓度稳定低于35毫克每立方米', budget: null, budget_min: null,
    deadline: null, area: 'environment', area_label: '资源与环境', keywords: [], trl_min: 6, status: 'open', status_label: '征集中', call_id: null, region_code: '419001',
  })
  it('searches by its title and opens its row (only its row)', async () => {
    setActivePinia(createPinia())
    useAuth().user = { permissions: ['market:read'] } as never
    localStorage.clear()
    const urls: string[] = []
    vi.stubGlobal('fetch', async (url: string) => {
      urls.push(url)
      if (url.endsWith('/dicts')) return json({ areas: [], trls: [], modes: [], ip_kinds: [], statuses: [] })
      return json({ items: [demand(30, '冶炼烟气余热回收'), demand(31, '铅冶炼烟气深度脱硫')], total: 2, page: 1, size: 10 })
    })
    const router = createRouter({ history: createMemoryHistory(), routes: [{ path: '/:rest(.*)*', name: 'market-demands', component: { render: () => null } }] })
    await router.push(hitRoute({ kind: 'demand', id: 31, title: '铅冶炼烟气深度脱硫' }))
    const w = mount(DemandHall, { attachTo: document.body, global: { plugins: [router] } })
    await settle()
    expect(urls).toContain(`/api/v1/demands/hall?q=${encodeURIComponent('铅冶炼烟气深度脱硫')}&page=1&size=10`)
    const opened = $$('[data-test=demands-table] tbody tr.opened')
    expect(opened).toHaveLength(1)
    expect(opened[0].textContent).toContain('铅冶炼烟气深度脱硫')
    const expanded = $$('[data-test=demands-table] .el-table__expanded-cell')
    expect(expanded).toHaveLength(1)
    expect(expanded[0].textContent).toContain('铅冶炼烟气深度脱硫的需求内容')
    w.unmount()
  })
})
