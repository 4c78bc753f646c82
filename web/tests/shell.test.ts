import { describe, expect, it, vi } from 'vitest'
import { mount } from '@vue/test-utils'
import { type RouteLocationNormalizedLoaded, createMemoryHistory, createRouter } from 'vue-router'
import { ApiError } from '@/api/http'
import { HOME_TAG, type Tag, breadcrumbs, closeTags, forgetTags, nameTag, openTag, renameTags, tagTitles, tagsKey } from '@/layout/nav'
import { INDUSTRY_DIVISIONS, industryLabel } from '@/utils/dict'

// The real route table without the shell around it (the layout's components are not under test here).
vi.mock('@/layout/Layout.vue', () => ({ default: { render: () => null } }))
vi.mock('element-plus/es/components/base/style/css', () => ({}))
vi.mock('element-plus/es/components/result/style/css', () => ({}))
vi.mock('element-plus/es/components/button/style/css', () => ({}))

async function crumbsAt(path: string, can: (p?: string | string[]) => boolean = () => true) {
  const { appRoutes } = await import('@/router')
  const r = createRouter({ history: createMemoryHistory(), routes: [{ path: '/', children: appRoutes, component: { render: () => null } }] })
  // Resolving (not navigating) leaves the pages' own chunks unloaded.
  return breadcrumbs(r, r.resolve(path) as unknown as RouteLocationNormalizedLoaded, can)
}

describe('breadcrumbs', () => {
  it('do not skip the list level of a detail page', async () => {
    const c = await crumbsAt('/organizations/42')
    expect(c.map((x) => x.title)).toEqual(['首页', '科技资源', '单位管理', '单位详情'])
    expect(c[2].to).toBe('/organizations')
    expect(c[1].to).toBeUndefined()
    expect(c[3].to).toBeUndefined()
  })
  it('follow parents through a detail to its list, keeping the id', async () => {
    const c = await crumbsAt('/projects/applications/7/edit')
    expect(c.map((x) => x.title)).toEqual(['首页', '科技计划项目', '项目管理', '项目详情', '修改申报书'])
    expect(c[3].to).toBe('/projects/applications/7')
  })
  it('show a list page under its menu group, and 首页 alone at home', async () => {
    expect((await crumbsAt('/system/audit')).map((x) => x.title)).toEqual(['首页', '系统管理', '审计日志'])
    expect(await crumbsAt('/')).toEqual([{ title: '首页' }])
  })
  it('do not link a page the account may not open', async () => {
    const c = await crumbsAt('/projects/applications/7/edit', (p) => p !== 'project:read')
    expect(c.find((x) => x.title === '项目管理')!.to).toBeUndefined()
  })
  it('every detail route names the page it is opened from', async () => {
    const { appRoutes } = await import('@/router')
    const names = new Set(appRoutes.map((r) => r.name))
    for (const r of appRoutes) {
      if (r.meta?.menu || r.name === 'not-found' || !r.path.includes(':')) continue
      expect(r.meta?.parent, `route ${String(r.name)}`).toBeTruthy()
      expect(names.has(r.meta!.parent!), `parent of ${String(r.name)}`).toBe(true)
    }
  })
})

describe('tags view', () => {
  const route = (path: string, title: string, query = '') => ({ path, fullPath: path + query, meta: { title }, name: path })
  const open = (...rs: ReturnType<typeof route>[]) => rs.reduce<Tag[]>((t, r) => openTag(t, r), [HOME_TAG])

  it('names a detail page’s tag after its record, and keeps that name', () => {
    let t = renameTags(open(route('/organizations/7', '单位详情')), { '/organizations/7': '单位详情：济源国泰环保' })
    expect(t.map((x) => x.title)).toEqual(['首页', '单位详情：济源国泰环保'])
    t = openTag(t, route('/organizations/7', '单位详情', '?tab=2'))
    expect(t[1]).toEqual({ path: '/organizations/7', fullPath: '/organizations/7?tab=2', title: '单位详情：济源国泰环保' })
  })
  it('adds each page once, keeping its latest query', () => {
    const t = open(route('/organizations', '单位管理'), route('/persons', '人才专家'), route('/organizations', '单位管理', '?q=济源'))
    expect(t.map((x) => x.title)).toEqual(['首页', '单位管理', '人才专家'])
    expect(t[1].fullPath).toBe('/organizations?q=济源')
  })
  it('ignores the login page and pages that do not exist', () => {
    const t = openTag([HOME_TAG], { path: '/login', fullPath: '/login', meta: { title: '登录', public: true }, name: 'login' })
    expect(openTag(t, { path: '/x', fullPath: '/x', meta: { title: '页面不存在' }, name: 'not-found' })).toEqual([HOME_TAG])
  })
  it('closing the active tag goes to the last one left; 首页 never closes', () => {
    const t = open(route('/organizations', '单位管理'), route('/persons', '人才专家'), route('/platforms', '创新平台'))
    expect(closeTags(t, '/platforms', 'self', '/platforms')).toEqual({ tags: t.slice(0, 3), go: '/persons' })
    expect(closeTags(t, '/organizations', 'self', '/platforms')).toEqual({ tags: [t[0], t[2], t[3]] })
    expect(closeTags(t, '/', 'self', '/')).toEqual({ tags: t })
  })
  it('closes the others or all', () => {
    const t = open(route('/organizations', '单位管理'), route('/persons', '人才专家'))
    expect(closeTags(t, '/persons', 'others', '/organizations')).toEqual({ tags: [HOME_TAG, t[2]], go: '/persons' })
    expect(closeTags(t, '/persons', 'all', '/persons')).toEqual({ tags: [HOME_TAG], go: '/' })
  })
  it('tells two rounds (or projects, calls) apart by the names their pages give', () => {
    nameTag('/review/rounds/1', '评审详情：2026年度项目评审')
    nameTag('/review/rounds/2', '评审详情：2026年度验收评审')
    const t = renameTags(open(route('/review/rounds/1', '评审详情'), route('/review/rounds/2', '评审详情')), tagTitles)
    expect(t.map((x) => x.title)).toEqual(['首页', '评审详情：2026年度项目评审', '评审详情：2026年度验收评审'])
  })
  it('forgets an account’s tags and the names at logout', () => {
    const removed: string[] = []
    nameTag('/projects/applications/3', '项目详情：稀贵金属综合回收技术开发')
    forgetTags('jiyuan', { removeItem: (k: string) => removed.push(k) })
    expect(removed).toEqual([tagsKey('jiyuan')])
    expect(Object.keys(tagTitles)).toEqual([])
    forgetTags(undefined, { removeItem: (k: string) => removed.push(k) })
    expect(removed).toEqual(['kc-tags:jiyuan'])
  })
})

describe('LoadError', () => {
  it('says the same thing for a missing or out-of-scope record, and offers 重试 when the server is unreachable', async () => {
    const LoadError = (await import('@/components/LoadError.vue')).default
    const stubs = { global: { mocks: { $router: { back: () => {}, push: () => {} } } } }
    const missing = mount(LoadError, { props: { error: new ApiError(404, 'not_found', '记录不存在或无权访问') }, ...stubs })
    expect(missing.text()).toContain('无法显示该记录')
    expect(missing.text()).toContain('不在您的数据范围内')
    expect(missing.find('[data-test=load-retry]').exists()).toBe(false)
    const offline = mount(LoadError, { props: { error: new ApiError(0, 'network', '无法连接服务器，请检查网络后重试') }, ...stubs })
    expect(offline.text()).toContain('无法连接服务器')
    expect(offline.find('[data-test=load-retry]').exists()).toBe(true)
    const denied = mount(LoadError, { props: { error: new ApiError(403, 'scope.forbidden', '没有权限执行此操作') }, ...stubs })
    expect(denied.text()).toContain('没有查看该记录的权限')
  })
})

describe('industries (GB/T 4754-2017)', () => {
  it('shows the name with the code', () => {
    expect(industryLabel('C3211')).toBe('铜冶炼（C3211）')
    expect(industryLabel('M7520')).toBe('知识产权服务（M7520）')
    // A class the dictionary does not list: its 大类.
    expect(industryLabel('C3299')).toBe('有色金属冶炼和压延加工业（C3299）')
    expect(industryLabel('C')).toBe('制造业（C）')
    expect(industryLabel(null)).toBe('—')
  })
  it('offers every 大类 under its 门类', () => {
    const all = INDUSTRY_DIVISIONS.flatMap((g) => g.options)
    expect(all).toHaveLength(97)
    expect(INDUSTRY_DIVISIONS.find((g) => g.section === 'C')!.options.map((o) => o.value)).toContain('C39')
    expect(INDUSTRY_DIVISIONS.find((g) => g.section === 'M')!.options.map((o) => o.label)).toEqual(['研究和试验发展', '专业技术服务业', '科技推广和应用服务业'])
  })
})
