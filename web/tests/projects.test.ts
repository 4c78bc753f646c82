import { describe, expect, it } from 'vitest'
import { label } from '@/utils/dict'
import {
  APP_STATUS, TRANSITIONS, allowedActions, budgetTotal, callState, formatWan, formatYuan, fromFen, panelTotals, toFen,
} from '@/utils/projects'

describe('allowedActions', () => {
  it('gives each actor only its own moves from the current status', () => {
    expect(allowedActions('draft', 'applicant').map((x) => x.action)).toEqual(['submit', 'withdraw'])
    expect(allowedActions('draft', 'officer')).toEqual([])
    expect(allowedActions('submitted', 'officer').map((x) => x.action)).toEqual(['start_formal_check'])
    expect(allowedActions('formal_check', 'officer').map((x) => x.action)).toEqual(['return', 'pass_formal_check', 'reject'])
    expect(allowedActions('in_progress', 'applicant').map((x) => x.action)).toEqual(['request_acceptance'])
    expect(allowedActions('in_progress', 'officer').map((x) => x.action)).toEqual(['mid_term', 'terminate'])
    expect(allowedActions('closed', 'officer')).toEqual([])
    expect(allowedActions('panel', null)).toEqual([])
  })
  it('marks the moves that need a reason', () => {
    const r = allowedActions('formal_check', 'officer').filter((x) => x.needs_reason).map((x) => x.action)
    expect(r).toEqual(['return', 'reject'])
  })
  it('knows every status of the table and leaves only the final ones without a way out', () => {
    for (const x of TRANSITIONS) {
      expect(label(APP_STATUS, x.from)).not.toBe(x.from)
      expect(label(APP_STATUS, x.to)).not.toBe(x.to)
    }
    const finals = APP_STATUS.map((s) => s.value).filter((s) => !TRANSITIONS.some((x) => x.from === s))
    expect(finals.sort()).toEqual(['closed', 'rejected', 'terminated', 'withdrawn'])
  })
})

describe('money', () => {
  it('parses yuan text into fen exactly', () => {
    expect(toFen('100')).toBe(10000)
    expect(toFen('0.1')).toBe(10)
    expect(toFen('1,234.56')).toBe(123456)
    expect(toFen(' 12.3 ')).toBe(1230)
    expect(toFen('1.234')).toBeNull()
    expect(toFen('-1')).toBeNull()
    expect(toFen('abc')).toBeNull()
    expect(toFen('')).toBeNull()
    expect(fromFen(123450)).toBe('1234.5')
    expect(fromFen(10000)).toBe('100')
    expect(fromFen(7)).toBe('0.07')
    expect(formatYuan('5000000')).toBe('5,000,000.00')
    expect(formatWan('5000000')).toBe('500万元')
    expect(formatWan('125000')).toBe('12.5万元')
  })
  it('adds budget lines without floating-point drift and counts bad lines', () => {
    expect(budgetTotal([{ item: 'a', amount: '0.1' }, { item: 'b', amount: '0.2' }])).toEqual({ fen: 30, invalid: 0 })
    expect(budgetTotal([{ item: 'a', amount: '100000' }, { item: 'b', amount: 'x' }, { item: 'c', amount: '' }])).toEqual({ fen: 10000000, invalid: 2 })
    expect(budgetTotal([])).toEqual({ fen: 0, invalid: 0 })
  })
  it('sums the panel approvals against what is left of the budget', () => {
    const ok = panelTotals('3000000', 100000000, [
      { approve: true, amount: '1500000' },
      { approve: false, amount: '9999999' },
    ])
    expect(ok).toEqual({ fen: 150000000, budgetFen: 300000000, remainingFen: 50000000, over: false, invalid: 0 })
    const over = panelTotals('3000000', 0, [{ approve: true, amount: '2000000' }, { approve: true, amount: '1000000.01' }])
    expect(over.over).toBe(true)
    expect(over.remainingFen).toBe(-1)
    expect(panelTotals('100', 0, [{ approve: true, amount: '' }]).invalid).toBe(1)
  })
})

describe('callState', () => {
  const c = { opens_on: '2026-10-24', closes_on: '2027-01-22' }
  it('is open on both end days, upcoming before and closed after', () => {
    expect(callState(c, '2026-10-23')).toBe('upcoming')
    expect(callState(c, '2026-10-24')).toBe('open')
    expect(callState(c, '2027-01-22')).toBe('open')
    expect(callState(c, '2027-01-23')).toBe('closed')
  })
})
