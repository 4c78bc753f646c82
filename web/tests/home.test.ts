import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import { createMemoryHistory, createRouter } from 'vue-router'
import type { Home, Overview } from '@/api/types'
import { ApiError, api } from '@/api/http'
import { dueNote } from '@/views/home/due'

vi.mock('@/api/http', async (importOriginal) => {
  const real = await importOriginal<typeof import('@/api/http')>()
  return { ...real, api: { ...real.api, get: vi.fn() } }
})
const get = vi.mocked(api.get)

// The views import Element Plus stylesheets, which Node cannot load outside a browser build.
for (const c of ['base', 'button', 'col', 'empty', 'loading', 'result', 'row', 'table', 'table-column', 'tag']) {
  vi.doMock(`element-plus/es/components/${c}/style/css`, () => ({}))
}
const { default: Dashboard } = await import('@/views/Dashboard.vue')

const OFFICER: Home = {
  view: 'officer',
  title: '济源市科技局 · 我的工作台',
  todos: [
    { key: 'formal_check', label: '待形式审查', count: 3, detail: '企业已提交的申报书', path: '/projects/applications?status=submitted', type: 'warning' },
    { key: 'review', label: '评审进度', count: 0, detail: '进行中的评审轮次', path: '/review/rounds', type: 'primary' },
    { key: 'overdue', label: '逾期任务', count: 2, detail: '已过截止日期的评审任务', path: '/review/rounds', type: 'danger' },
  ],
  rows_title: '待办事项',
  rows: [{ title: '铅冶炼烟气深度治理', subtitle: '济源国泰环保科技有限公司', status_label: '已提交', status_type: 'primary', due_on: null, path: '/projects/applications/7' }],
  show_overview: true,
}
const ENTERPRISE: Home = {
  view: 'enterprise',
  title: '济源国泰环保科技有限公司 · 我的工作台',
  todos: [
    { key: 'drafts', label: '我的草稿', count: 1, detail: '尚未提交的申报书', path: '/projects/applications?status=draft', type: 'primary' },
    { key: 'returned', label: '待补正', count: 0, detail: '退回修改的申报书', path: '/projects/applications?status=returned', type: 'danger' },
  ],
  rows_title: '我的申报',
  rows: [{ title: '再生铅冶炼废气协同治理', subtitle: '2026年度济源市科技攻关计划（公开竞争）', status_label: '草稿', status_type: 'info', due_on: '2020-01-10', path: '/projects/applications/12/edit' }],
  show_overview: false,
}
const EXPERT: Home = {
  view: 'expert',
  title: '卫建华 · 我的工作台',
  todos: [{ key: 'pending', label: '待评审', count: 2, detail: '分配给您的评审任务', path: '/review/my', type: 'warning' }],
  rows_title: '我的评审任务',
  rows: [
    { title: '2026年度项目评审', subtitle: '铅冶炼烟气深度治理', status_label: '待评审', status_type: 'warning', due_on: '2099-12-31', path: '/review/my' },
    { title: '2026年度项目评审', subtitle: '再生铅冶炼废气协同治理', status_label: '待评审', status_type: 'warning', due_on: '2020-01-01', path: '/review/my' },
  ],
  show_overview: false,
}
const AUDITOR: Home = {
  view: 'auditor',
  title: '审计管理员 · 我的工作台',
  todos: [{ key: 'security', label: '安全事件', count: 0, detail: '近7天的登录失败与锁定', path: '/system/audit', type: 'danger' }],
  rows_title: '最近安全事件',
  rows: [],
  show_overview: false,
}
const OVERVIEW: Overview = {
  organizations_by_kind: [{ key: 'enterprise', count: 40 }, { key: 'university', count: 2 }],
  platforms_by_level: [],
  experts: 30,
  hnte_by_year: [{ key: '2024', count: 120 }, { key: '2025', count: 132 }],
  organizations_by_region: [{ key: '419001', count: 42 }],
}

/** The API as the server answers it: `home` for /home, the overview, region names. */
function serve(home: Home | ApiError) {
  get.mockImplementation(async (path: string) => {
    if (path === '/home') {
      if (home instanceof ApiError) throw home
      return home
    }
    if (path === '/stats/overview') return OVERVIEW
    if (path.startsWith('/regions/')) return { code: '419001', name: '济源市' }
    throw new Error(`unexpected GET ${path}`)
  })
}

async function mountHome(home: Home | ApiError) {
  serve(home)
  const router = createRouter({ history: createMemoryHistory(), routes: [{ path: '/:rest(.*)*', component: { render: () => null } }] })
  await router.push('/')
  const w = mount(Dashboard, { attachTo: document.body, global: { plugins: [router], stubs: { EChart: true } } })
  await flushPromises()
  return { w, router }
}

const calls = () => get.mock.calls.map((c) => c[0])

beforeEach(() => {
  get.mockReset()
})
afterEach(() => {
  document.body.innerHTML = ''
})

describe('home page', () => {
  it('gives the officer to-dos, the to-do table and the city overview with 暂无数据 for an empty chart', async () => {
    const { w } = await mountHome(OFFICER)
    expect(w.find('[data-test=home-title]').text()).toBe('济源市科技局 · 我的工作台')
    const formal = w.find('[data-test=todo-formal_check]')
    expect(formal.text()).toContain('待形式审查')
    expect(formal.find('[data-test=todo-count]').text()).toBe('3')
    // A zero is shown, muted.
    const review = w.find('[data-test=todo-review]')
    expect(review.find('[data-test=todo-count]').text()).toBe('0')
    expect(review.classes()).toContain('zero')
    expect(formal.classes()).not.toContain('zero')
    expect(w.find('[data-test=rows-title]').text()).toBe('待办事项')
    expect(w.find('[data-test=home-rows]').text()).toContain('铅冶炼烟气深度治理')
    // No row has a deadline: no column of dashes.
    expect(w.find('[data-test=home-rows]').text()).not.toContain('截止日期')
    expect(calls()).toContain('/stats/overview')
    const kpis = w.findAll('[data-test=kpi]').map((k) => k.text())
    expect(kpis).toHaveLength(4)
    expect(kpis[1]).toContain('高新技术企业（2025年）')
    expect(kpis[1]).toContain('132')
    expect(w.find('[data-test=chart-levels-empty]').text()).toContain('暂无数据')
    expect(w.find('[data-test=chart-hnte-empty]').exists()).toBe(false)
    w.unmount()
  })

  it('gives the enterprise its applications, never the city overview, and a card opens its page', async () => {
    const { w, router } = await mountHome(ENTERPRISE)
    expect(w.find('[data-test=rows-title]').text()).toBe('我的申报')
    const table = w.find('[data-test=home-rows]').text()
    expect(table).toContain('再生铅冶炼废气协同治理')
    expect(table).toContain('草稿')
    expect(w.find('[data-test=todo-drafts]').text()).toContain('我的草稿')
    expect(calls()).not.toContain('/stats/overview')
    expect(w.find('[data-test=overview]').exists()).toBe(false)
    expect(w.find('[data-test=kpi]').exists()).toBe(false)
    await w.find('[data-test=todo-drafts]').trigger('click')
    await flushPromises()
    expect(router.currentRoute.value.fullPath).toBe('/projects/applications?status=draft')
    await w.find('[data-test=row-open]').trigger('click')
    await flushPromises()
    expect(router.currentRoute.value.fullPath).toBe('/projects/applications/12/edit')
    w.unmount()
  })

  it('gives the expert the review tasks with their deadlines', async () => {
    const { w } = await mountHome(EXPERT)
    expect(w.find('[data-test=rows-title]').text()).toBe('我的评审任务')
    const rows = w.findAll('[data-test=home-rows] tbody tr')
    expect(rows).toHaveLength(2)
    expect(w.find('[data-test=home-rows]').text()).toContain('截止日期')
    expect(rows[0].text()).toContain('2099-12-31')
    expect(rows[0].find('[data-test=due]').text()).toMatch(/^剩\d+天$/)
    expect(rows[1].find('[data-test=due]').text()).toMatch(/^逾期\d+天$/)
    expect(w.find('[data-test=todo-pending] [data-test=todo-count]').text()).toBe('2')
    expect(calls()).not.toContain('/stats/overview')
    w.unmount()
  })

  it('says 暂无数据 and a friendly sentence when there are no rows', async () => {
    const { w } = await mountHome(AUDITOR)
    expect(w.find('[data-test=rows-title]').text()).toBe('最近安全事件')
    const empty = w.find('[data-test=rows-empty]')
    expect(empty.text()).toContain('暂无数据')
    expect(empty.text()).toContain('近期没有安全事件')
    expect(calls()).not.toContain('/stats/overview')
    w.unmount()
  })

  it('shows the shared load error, not a banner, when /home fails', async () => {
    const { w } = await mountHome(new ApiError(500, 'internal', '服务器内部错误'))
    expect(w.find('[data-test=load-error]').text()).toContain('工作台暂时无法显示')
    expect(w.find('.el-alert').exists()).toBe(false)
    expect(calls()).toEqual(['/home'])
    w.unmount()
  })
})

describe('dueNote', () => {
  const now = Date.UTC(2026, 4, 10, 17, 0) // 2026-05-11 01:00 in Beijing
  it('counts whole days from today in Beijing', () => {
    expect(dueNote('2026-05-10', now)).toEqual({ text: '逾期1天', tone: 'danger' })
    expect(dueNote('2026-05-11', now)).toEqual({ text: '今天截止', tone: 'danger' })
    expect(dueNote('2026-05-18', now)).toEqual({ text: '剩7天', tone: 'warning' })
    expect(dueNote('2026-06-11', now)).toEqual({ text: '剩31天', tone: 'muted' })
    expect(dueNote(null, now)).toBeNull()
    expect(dueNote('不是日期', now)).toBeNull()
  })
})
