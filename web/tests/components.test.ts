import { describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import EChart from '@/components/EChart.vue'
import { useAuth } from '@/stores/auth'

// Node cannot load the stylesheets the component resolver imports with each Element Plus component.
vi.mock('element-plus/es/components/base/style/css', () => ({}))
vi.mock('element-plus/es/components/tag/style/css', () => ({}))
vi.mock('element-plus/es/components/button/style/css', () => ({}))
vi.mock('element-plus/es/components/tooltip/style/css', () => ({}))
vi.mock('element-plus/es/components/popover/style/css', () => ({}))
vi.mock('element-plus/es/components/checkbox/style/css', () => ({}))

describe('EChart', () => {
  it('draws an SVG bar chart with the given data', async () => {
    const w = mount(EChart, {
      attachTo: document.body,
      props: { height: 200, width: 400, option: { xAxis: { type: 'category', data: ['2021年', '2022年'] }, yAxis: { type: 'value' }, series: [{ type: 'bar', data: [3, 5] }] } },
    })
    await flushPromises()
    expect(w.find('svg').exists()).toBe(true)
    expect(w.html()).toContain('2022年')
    w.unmount()
  })
})

describe('permissions', () => {
  it('grants everything to * and only listed permissions otherwise', () => {
    setActivePinia(createPinia())
    const a = useAuth()
    a.user = { permissions: ['org:read'] } as never
    expect(a.can('org:read')).toBe(true)
    expect(a.can('user:read')).toBe(false)
    expect(a.can(['user:read', 'org:read'])).toBe(true)
    expect(a.can(undefined)).toBe(true)
    a.user = { permissions: ['*'] } as never
    expect(a.can('audit:read')).toBe(true)
  })
})

describe('DictTag', () => {
  it('shows the Chinese label in the value’s colour, plain text without one', async () => {
    const DictTag = (await import('@/components/DictTag.vue')).default
    const { PLATFORM_STATUS, TITLE_LEVELS } = await import('@/utils/dict')
    const w = mount(DictTag, { props: { options: PLATFORM_STATUS, value: 'revoked' } })
    const tag = w.find('.el-tag')
    expect(tag.text()).toBe('撤销')
    expect(tag.classes()).toContain('el-tag--danger')
    expect(w.text()).not.toContain('revoked')
    const plain = mount(DictTag, { props: { options: TITLE_LEVELS, value: 'senior' } })
    expect(plain.find('.el-tag').exists()).toBe(false)
    expect(plain.text()).toBe('正高级')
  })
  it('shows several values, booleans, and nothing for none', async () => {
    const DictTag = (await import('@/components/DictTag.vue')).default
    const { ROLES, YES_NO } = await import('@/utils/dict')
    const roles = mount(DictTag, { props: { options: ROLES, value: ['officer', 'auditor'] } })
    expect(roles.findAll('.el-tag').map((t) => t.text())).toEqual(['科技局业务人员', '审计管理员'])
    expect(mount(DictTag, { props: { options: YES_NO, value: true } }).text()).toBe('是')
    expect(mount(DictTag, { props: { options: YES_NO, value: null } }).text()).toBe('')
  })
})

describe('v-hasPermi', () => {
  async function render(perms: string[], value: string | string[]) {
    const { hasPermi } = await import('@/directives/hasPermi')
    const { defineComponent, h, withDirectives } = await import('vue')
    setActivePinia(createPinia())
    useAuth().user = { permissions: perms } as never
    const Comp = defineComponent({
      setup: () => () => h('div', [withDirectives(h('button', { class: 'add' }, '新增'), [[hasPermi, value]]), h('button', { class: 'view' }, '详情')]),
    })
    return mount(Comp)
  }
  it('removes the element without any of the permissions (qiye has no org:add)', async () => {
    const w = await render(['org:read', 'org:write', 'import'], ['org:add'])
    expect(w.find('.add').exists()).toBe(false)
    expect(w.find('.view').exists()).toBe(true)
  })
  it('keeps it with one of them, or with *', async () => {
    expect((await render(['org:write'], ['org:add', 'org:write'])).find('.add').exists()).toBe(true)
    expect((await render(['*'], 'person:remove')).find('.add').exists()).toBe(true)
  })
  it('refuses an empty value (a programming error, not a hidden button)', async () => {
    await expect(render(['*'], [])).rejects.toThrow(/权限标识/)
  })
})

describe('RightToolbar', () => {
  const cols = () => [
    { key: 'credit_code', label: '统一社会信用代码', visible: true },
    { key: 'industry', label: '所属行业', visible: true },
  ]
  it('hides a column, remembers it for the page, and restores it on the next visit', async () => {
    localStorage.clear()
    const RightToolbar = (await import('@/components/RightToolbar.vue')).default
    const first = mount(RightToolbar, { props: { columns: cols(), showSearch: true, storageKey: 'orgs' }, attachTo: document.body })
    await first.find('[data-test=rt-columns]').trigger('click')
    await flushPromises()
    const box = document.querySelector('[data-test=rt-col-industry] input') as HTMLInputElement
    expect(box).toBeTruthy()
    box.click()
    await flushPromises()
    const emitted = first.emitted('update:columns')!.at(-1)![0] as { key: string; visible: boolean }[]
    expect(emitted.find((c) => c.key === 'industry')!.visible).toBe(false)
    expect(JSON.parse(localStorage.getItem('kc-columns:orgs')!)).toEqual(['industry'])
    first.unmount()

    // Another visit: the saved choice is applied at once, and only to this page.
    const again = mount(RightToolbar, { props: { columns: cols(), storageKey: 'orgs' } })
    const restored = again.emitted('update:columns')![0][0] as { key: string; visible: boolean }[]
    expect(restored.map((c) => c.visible)).toEqual([true, false])
    const other = mount(RightToolbar, { props: { columns: cols(), storageKey: 'persons' } })
    expect(other.emitted('update:columns')).toBeUndefined()
    const { useColumns } = await import('@/utils/list')
    expect(useColumns([['credit_code', '统一社会信用代码'], ['industry', '所属行业']], 'orgs').shown('industry')).toBe(false)
  })
  it('toggles the search form and asks for a refresh', async () => {
    const RightToolbar = (await import('@/components/RightToolbar.vue')).default
    const w = mount(RightToolbar, { props: { showSearch: true, storageKey: 'x' } })
    await w.find('[data-test=rt-search]').trigger('click')
    await w.find('[data-test=rt-refresh]').trigger('click')
    expect(w.emitted('update:showSearch')![0]).toEqual([false])
    expect(w.emitted('refresh')).toHaveLength(1)
    expect(w.find('[data-test=rt-columns]').exists()).toBe(false)
  })
})
