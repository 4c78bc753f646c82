import { describe, expect, it } from 'vitest'
import { budgetRangeText, demandBudgetProblems, demandStatusType, keywordsProblem, matchLevel, normalizeKeywords } from '@/utils/demands'

describe('a demand’s budget in 万元', () => {
  it('says the range, a floor, a ceiling, one amount or 面议', () => {
    expect(budgetRangeText('500000.00', '2000000.00')).toBe('50.00 – 200.00')
    expect(budgetRangeText('500000', null)).toBe('≥ 50.00')
    expect(budgetRangeText(null, '2000000')).toBe('≤ 200.00')
    expect(budgetRangeText('', '12345678.9')).toBe('≤ 1,234.57')
    expect(budgetRangeText('1000000', '1000000.00')).toBe('100.00')
    expect(budgetRangeText(null, null)).toBe('面议')
    expect(budgetRangeText(undefined, '  ')).toBe('面议')
    expect(budgetRangeText('abc', null)).toBe('面议')
  })
})

describe('the budget fields as typed', () => {
  it('passes blanks and amounts in order', () => {
    expect(demandBudgetProblems('', '')).toEqual({})
    expect(demandBudgetProblems('500000', '')).toEqual({})
    expect(demandBudgetProblems('500,000', '2,000,000.5')).toEqual({})
    expect(demandBudgetProblems('2000000', '2000000')).toEqual({})
  })
  it('names a floor above the ceiling (demand.budget_range) and amounts that are not', () => {
    expect(demandBudgetProblems('3000000', '2000000')).toEqual({ budget_min: '预算下限不能高于拟投入经费（预算上限）' })
    expect(demandBudgetProblems('50万', '1.234')).toEqual({ budget_min: '预算下限应为金额（元，最多两位小数）', budget: '拟投入经费应为金额（元，最多两位小数）' })
    expect(demandBudgetProblems('-1', '')).toEqual({ budget_min: '预算下限应为金额（元，最多两位小数）' })
  })
})

describe('keywords', () => {
  it('are sent trimmed, without blanks or repeats', () => {
    expect(normalizeKeywords([' 冶炼 ', '', '节能', '冶炼'])).toEqual(['冶炼', '节能'])
    expect(normalizeKeywords(null)).toEqual([])
  })
  it('are at most 5, each at most 20 characters (keywords.count)', () => {
    expect(keywordsProblem([])).toBe('')
    expect(keywordsProblem(['a', 'b', 'c', 'd', 'e', 'e'])).toBe('')
    expect(keywordsProblem(['a', 'b', 'c', 'd', 'e', 'f'])).toBe('关键词最多5个，每个不超过20个字')
    expect(keywordsProblem(['铅'.repeat(20)])).toBe('')
    expect(keywordsProblem(['铅'.repeat(21)])).toBe('关键词最多5个，每个不超过20个字')
  })
})

describe('statuses and scores', () => {
  it('colours a demand’s status', () => {
    expect(demandStatusType('open')).toBe('warning')
    expect(demandStatusType('matched')).toBe('success')
    expect(demandStatusType('adopted')).toBe('success')
    expect(demandStatusType('closed')).toBe('info')
  })
  it('says how well a suggestion matches', () => {
    expect(matchLevel(85)).toEqual({ label: '高度匹配', type: 'success' })
    expect(matchLevel(60)).toEqual({ label: '高度匹配', type: 'success' })
    expect(matchLevel(45)).toEqual({ label: '较为匹配', type: 'warning' })
    expect(matchLevel(10)).toEqual({ label: '可供参考', type: 'info' })
  })
})
