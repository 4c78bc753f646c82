import { describe, expect, it } from 'vitest'
import type { AssignSummary, Criterion } from '@/api/types'
import { label } from '@/utils/dict'
import {
  ASSIGNMENT_STATUS, CANDIDATE_STATUS, OBJECT_KINDS, formMax, missingScores, nextCriterionKey, overdue,
  provenOptimal, scoreTotal, splitTerms, summaryText, tagType,
} from '@/utils/review'

const FORM: Criterion[] = [
  { key: 'innovation', label: '技术创新性', max: 30 },
  { key: 'feasibility', label: '技术路线可行性', max: 25 },
  { key: 'team', label: '团队与条件保障', max: 20 },
  { key: 'benefit', label: '预期经济社会效益', max: 25 },
]

describe('scoreTotal', () => {
  it('adds the given scores to one decimal, ignoring blanks and unknown keys', () => {
    expect(scoreTotal(FORM, { innovation: 25.5, feasibility: 20.1, team: 15.2, benefit: 20.3 })).toBe(81.1)
    expect(scoreTotal(FORM, { innovation: 0.1, feasibility: 0.2 })).toBe(0.3)
    expect(scoreTotal(FORM, { innovation: 10, team: undefined, other: 99 })).toBe(10)
    expect(scoreTotal(FORM, {})).toBe(0)
  })
  it('knows the full mark and what is still missing', () => {
    expect(formMax(FORM)).toBe(100)
    expect(missingScores(FORM, { innovation: 0, team: 3 })).toEqual(['技术路线可行性', '预期经济社会效益'])
  })
})

describe('labels', () => {
  it('maps wire values to the domain Chinese labels', () => {
    expect(label(OBJECT_KINDS, 'application')).toBe('项目申报书')
    expect(label(ASSIGNMENT_STATUS, 'declined')).toBe('已回避/拒绝')
    expect(label(CANDIDATE_STATUS, 'conflict')).toBe('回避')
    expect(label(CANDIDATE_STATUS, 'something_new')).toBe('something_new')
    expect(tagType('submitted')).toBe('success')
    expect(tagType('nope')).toBe('info')
  })
})

describe('summaryText', () => {
  const optimal: AssignSummary = { method: 'optimal', fairness: false, objective: 41.25, bound: 41.25, gap: 0, conflicts: 12, available_experts: 30 }
  it('says an optimal run with gap 0 is proven optimal', () => {
    expect(provenOptimal(optimal)).toBe(true)
    expect(summaryText(optimal)).toBe('最优匹配，总匹配度 41.250，上界 41.250，已证明最优，回避 12 对，可用专家 30 名')
  })
  it('reports a gap, fairness and random seeds', () => {
    const gap = { ...optimal, bound: 42, gap: 0.75, fairness: true, min_affinity: 0.2 }
    expect(provenOptimal(gap)).toBe(false)
    expect(summaryText(gap)).toContain('与上界相差 0.750')
    expect(summaryText(gap)).toContain('公平优先')
    expect(summaryText(gap)).toContain('最低匹配度 0.200')
    const random: AssignSummary = { method: 'random', seed: '42', objective: 10, conflicts: 1, available_experts: 5 }
    expect(provenOptimal(random)).toBe(false)
    expect(summaryText(random)).toBe('随机抽取，随机种子 42，总匹配度 10.000，回避 1 对，可用专家 5 名')
    expect(summaryText(null)).toBe('尚未分配评审专家')
  })
})

describe('small helpers', () => {
  it('makes fresh criterion keys', () => {
    expect(nextCriterionKey([])).toBe('c1')
    expect(nextCriterionKey([{ key: 'c2', label: 'a', max: 1 }])).toBe('c3')
    expect(nextCriterionKey([{ key: 'x', label: 'a', max: 1 }, { key: 'c3', label: 'b', max: 1 }])).toBe('c4')
  })
  it('compares due dates in Beijing time', () => {
    const t = Date.UTC(2026, 11, 20, 17, 0) // 2026-12-21 01:00 in Beijing
    expect(overdue('2026-12-20', t)).toBe(true)
    expect(overdue('2026-12-21', t)).toBe(false)
    expect(overdue(null, t)).toBe(false)
  })
  it('splits term lists on Chinese and ASCII separators', () => {
    expect(splitTerms('新材料、 冶金，铅冶炼;新材料')).toEqual(['新材料', '冶金', '铅冶炼'])
  })
})
