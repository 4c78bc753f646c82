import { describe, expect, it } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import EChart from '@/components/EChart.vue'
import { useAuth } from '@/stores/auth'

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
