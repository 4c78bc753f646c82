import { describe, expect, it } from 'vitest'
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
