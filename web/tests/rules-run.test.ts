// 运行评价 as a job: the page answers at once with a progress bar, follows the run until it ends,
// then shows the summary and the new results; a failed run says why; a run already going on is
// picked up when the page opens.
import { afterEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { createMemoryHistory, createRouter } from 'vue-router'
import type { RulePack, RuleRun } from '@/api/types'
import { useAuth } from '@/stores/auth'
import { hasPermi } from '@/directives/hasPermi'

for (const c of [
  'base', 'alert', 'button', 'descriptions', 'descriptions-item', 'drawer', 'empty', 'form', 'form-item', 'icon', 'input', 'input-number', 'loading', 'option',
  'option-group', 'pagination', 'popover', 'progress', 'select', 'table', 'table-column', 'tag', 'tooltip', 'message', 'message-box', 'checkbox', 'checkbox-group',
  'cascader', 'cascader-panel', 'scrollbar', 'dropdown', 'dropdown-item', 'dropdown-menu', 'tree', 'tree-select', 'badge',
]) {
  vi.doMock(`element-plus/es/components/${c}/style/css`, () => ({}))
}
const { default: Results } = await import('@/views/rules/Results.vue')

const PACK = { id: 'tech-sme', name: '科技型中小企业评价', version: 'abc', source: '国科发政〔2017〕115号', outputs: [], pools: [], inputs: [] } as unknown as RulePack
const run = (over: Partial<RuleRun>): RuleRun => ({
  id: 7, pack: 'tech-sme', pack_version: 'abc', year: 2025, region_code: null, status: 'running', total: 12000, done: 0, summary: null, error: null, created_at: 0, finished_at: null, ...over,
})
const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } })
const empty = { items: [], total: 0, page: 1, size: 10 }

afterEach(() => {
  vi.unstubAllGlobals()
  vi.useRealTimers()
  document.body.innerHTML = ''
})

async function open(answer: (url: string, method: string) => Response) {
  setActivePinia(createPinia())
  useAuth().user = { permissions: ['rules:read', 'rules:run', 'export'] } as never
  const calls: string[] = []
  vi.stubGlobal('fetch', async (url: string, init: RequestInit = {}) => {
    calls.push(`${init.method ?? 'GET'} ${url}`)
    return answer(url, init.method ?? 'GET')
  })
  const router = createRouter({ history: createMemoryHistory(), routes: [{ path: '/:rest(.*)*', name: 'rules-results', component: { render: () => null } }] })
  await router.push('/rules/results')
  const w = mount(Results, { attachTo: document.body, global: { plugins: [router], directives: { hasPermi } } })
  await flushPromises()
  return { w, calls }
}
const text = (sel: string) => document.querySelector(sel)?.textContent ?? ''
const tick = async (ms: number) => {
  await vi.advanceTimersByTimeAsync(ms)
  await flushPromises()
}

describe('运行评价', () => {
  it('follows the run with a progress bar, then shows its summary and the new results', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true })
    const states = [run({ done: 5000 }), run({ status: 'done', done: 12000, summary: { pack: 'tech-sme', pack_version: 'abc', year: 2025, evaluated: 12000, qualified: 3456, undetermined: 0, pools: {} } })]
    const { calls } = await open((url, method) => {
      if (url.includes('/rules/packs')) return json([PACK])
      if (method === 'POST' && url.endsWith('/rules/runs')) return json(run({}), 202)
      if (url.includes('/rules/runs/7')) return json(states.shift())
      if (url.includes('/rules/runs')) return json(empty)
      return json(empty)
    })
    ;(document.querySelector('[data-test=results-run]') as HTMLElement).click()
    await flushPromises()
    ;(document.querySelector('.el-message-box__btns .el-button--primary') as HTMLElement).click()
    await flushPromises()
    expect(text('[data-test=run-progress]')).toContain('已完成 0 / 12,000 家')
    await tick(600)
    expect(text('[data-test=run-progress]')).toContain('已完成 5,000 / 12,000 家')
    expect(document.querySelector('[data-test=run-progress] .el-progress__text')?.textContent).toContain('41%')
    expect(document.querySelector('[data-test=run-summary]')).toBeNull()
    await tick(600)
    expect(document.querySelector('[data-test=run-progress]')).toBeNull()
    expect(text('[data-test=run-summary]')).toMatch(/共评价 12,000 家企业/)
    expect(text('.el-message')).toContain('评价完成：共评价 12,000 家')
    // The results list is read again once the run is done.
    const lists = calls.filter((c) => c.includes('/rules/results'))
    expect(lists.length).toBeGreaterThanOrEqual(2)
  })

  it('says why a run failed, and picks up a run already going on when the page opens', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true })
    const { calls } = await open((url) => {
      if (url.includes('/rules/packs')) return json([PACK])
      if (url.includes('/rules/runs/7')) return json(run({ status: 'failed', done: 5000, error: '运行中断（服务器重启或故障），结果未替换，请重新运行' }))
      if (url.includes('/rules/runs')) return json({ items: [run({ done: 2000 })], total: 1, page: 1, size: 1 })
      return json(empty)
    })
    expect(calls.some((c) => c.includes('/rules/runs?') && c.includes('status=running'))).toBe(true)
    expect(text('[data-test=run-progress]')).toContain('已完成 2,000 / 12,000 家')
    await tick(600)
    expect(document.querySelector('[data-test=run-progress]')).toBeNull()
    expect(text('.el-message')).toContain('运行中断')
  })
})
