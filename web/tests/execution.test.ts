import { describe, expect, it, vi } from 'vitest'
import { mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { useAuth } from '@/stores/auth'
import type { Application, ApplicationDetail } from '@/api/types'
import { label } from '@/utils/dict'
import {
  DEMAND_STATUS, RATINGS, defaultRoundForm, disbursementProblem, grantTotals, latestChecks, milestoneName, passedMilestones, roundForCall,
} from '@/utils/projects'

describe('grantTotals', () => {
  it('sums the disbursements exactly in fen and gives what remains of the grant', () => {
    expect(grantTotals('1600000', [{ amount: '500000' }, { amount: '0.1' }, { amount: '0.2' }])).toEqual({
      grantedFen: 160_000_000, paidFen: 50_000_030, remainingFen: 109_999_970,
    })
  })
  it('treats a missing grant as 0 and ignores amounts that are not numbers', () => {
    expect(grantTotals(null, [])).toEqual({ grantedFen: 0, paidFen: 0, remainingFen: 0 })
    expect(grantTotals('100', [{ amount: 'abc' }, { amount: '30.5' }])).toEqual({ grantedFen: 10_000, paidFen: 3_050, remainingFen: 6_950 })
  })
})

describe('disbursementProblem', () => {
  it('accepts an amount up to the remaining grant, with separators', () => {
    expect(disbursementProblem('500000', 50_000_000)).toBe('')
    expect(disbursementProblem('1,000.50', 100_050)).toBe('')
  })
  it('refuses blanks, text, three decimals, zero and more than remains (naming the remainder)', () => {
    expect(disbursementProblem('', 100)).toMatch(/请填写拨付金额/)
    expect(disbursementProblem('五十万', 100)).toMatch(/请填写拨付金额/)
    expect(disbursementProblem('1.005', 100_000)).toMatch(/最多两位小数/)
    expect(disbursementProblem('0', 100)).toBe('拨付金额应大于0')
    expect(disbursementProblem('1200000.01', 120_000_000)).toBe('超出剩余可拨付经费 1,200,000.00 元')
  })
})

describe('milestone checks', () => {
  const checks = [
    { milestone: 1, passed: false, note: 'a', at: 10 },
    { milestone: 1, passed: true, note: 'b', at: 20 },
    { milestone: 0, passed: true, note: 'c', at: 15 },
    { milestone: 2, passed: false, note: 'd', at: 30 },
  ]
  it('lists each milestone with a passed check once, in order', () => {
    expect(passedMilestones(checks)).toEqual([0, 1])
    expect(passedMilestones([])).toEqual([])
  })
  it('keeps the latest check of each milestone', () => {
    const l = latestChecks(checks)
    expect(l.get(1)?.note).toBe('b')
    expect(l.get(2)?.passed).toBe(false)
    expect(l.size).toBe(3)
  })
  it('names a milestone by its 1-based number and title', () => {
    const ms = [{ title: '中试装置建成' }]
    expect(milestoneName(0, ms)).toBe('第1个里程碑：中试装置建成')
    expect(milestoneName(3, ms)).toBe('第4个里程碑')
    expect(milestoneName(null, ms)).toBe('不对应里程碑')
  })
})

describe('vocabularies', () => {
  it('labels ratings and demand states in Chinese', () => {
    expect(RATINGS.map((r) => r.label)).toEqual(['优秀', '良好', '合格', '不合格'])
    expect(label(RATINGS, 'good')).toBe('良好')
    expect(label(DEMAND_STATUS, 'adopted')).toBe('已转为榜单')
  })
})

describe('roundForCall', () => {
  it('builds the review round of a call with a 100-point form and a default title', () => {
    const r = roundForCall({ title: '2026年度科技攻关' }, 'review', { reviewers_per_item: 3, max_load: 10, due_on: '' })
    expect(r.title).toBe('2026年度科技攻关专家评审')
    expect(r.object_kind).toBe('application')
    expect(r.due_on).toBeNull()
    expect(r.form.reduce((s, c) => s + c.max, 0)).toBe(100)
  })
  it('builds the acceptance round, keeping a title typed by the officer', () => {
    const r = roundForCall({ title: 'X' }, 'acceptance', { title: ' 验收 ', reviewers_per_item: 5, max_load: 2, due_on: '2026-12-31', exclude_same_county: true })
    expect(r).toMatchObject({ title: '验收', object_kind: 'acceptance', reviewers_per_item: 5, max_load: 2, due_on: '2026-12-31', exclude_same_county: true })
    for (const stage of ['review', 'acceptance'] as const) {
      const f = defaultRoundForm(stage)
      expect(f.reduce((s, c) => s + c.max, 0)).toBe(100)
      expect(new Set(f.map((c) => c.key)).size).toBe(f.length)
      expect(f.every((c) => /^[a-z_]+$/.test(c.key))).toBe(true)
    }
  })
})

// Node cannot load the stylesheets the component resolver imports with each Element Plus component.
for (const c of ['base', 'alert', 'button', 'descriptions', 'descriptions-item', 'dialog', 'form', 'form-item', 'input', 'option', 'radio', 'radio-button', 'radio-group', 'select', 'table', 'table-column', 'tag']) {
  vi.doMock(`element-plus/es/components/${c}/style/css`, () => ({}))
}
const { default: ExecutionPanel } = await import('@/views/projects/ExecutionPanel.vue')

describe('ExecutionPanel buttons', () => {
  const app = (over: Partial<Application>): ApplicationDetail => ({
    application: {
      id: 1, call_id: 1, call_title: '指南', org_id: 1, org_name: '单位', title: '含铅废气协同脱硫除尘中试研究', leader_id: 1, leader_name: '甲',
      team: [], lump_sum: true, budget: [{ item: '包干总额', amount: '800000' }], budget_total: '800000',
      milestones: [{ title: '中试', due_on: '2024-12-31', target: '达标' }], disciplines: [], keywords: [], integrity_pledge: true,
      ethics_required: false, ethics_registration: null, status: 'closed', status_label: '已结题', granted: '800000', submitted_at: 1, updated_at: 1,
      actions: [], can_disburse: false, can_check_milestone: false, ...over,
    },
    history: [], milestone_checks: [], disbursements: [],
  })
  const buttons = (d: ApplicationDetail) => {
    setActivePinia(createPinia())
    useAuth().user = { permissions: ['*'] } as never
    const w = mount(ExecutionPanel, { props: { detail: d } })
    const found = ['exec-check', 'exec-disburse', 'exec-task-book'].filter((t) => w.find(`[data-test=${t}]`).exists())
    w.unmount()
    return found
  }
  it('offers no 经费拨付 or 里程碑考核 on a closed project, even to an officer', () => {
    expect(buttons(app({}))).toEqual(['exec-task-book'])
  })
  it('offers them only when the server says so', () => {
    expect(buttons(app({ status: 'in_progress', status_label: '执行中', can_disburse: true, can_check_milestone: true }))).toEqual(['exec-check', 'exec-disburse', 'exec-task-book'])
    expect(buttons(app({ status: 'in_progress', status_label: '执行中', can_disburse: false, can_check_milestone: true }))).toEqual(['exec-check', 'exec-task-book'])
  })
})
