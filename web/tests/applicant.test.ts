import { describe, expect, it } from 'vitest'
import { cleanAnswers, fileSize, formItems, pdfProblem, predecessorOptions, prefillFigures, shortHash, titlesHeld } from '@/utils/applicant'
import type { TrackRecordItem } from '@/api/types'

const item = (over: Partial<TrackRecordItem>): TrackRecordItem => ({
  application_id: 1, title: '项目', call_title: '指南', org_name: '单位', leader_name: '甲', role: '承担单位',
  status: 'closed', status_label: '已结题', granted: '100000', rating: 'good', rating_label: '良好', rated_on: '2026-01-05',
  ...over,
})

describe('prefillFigures', () => {
  it('shows the registry figures that are present, amounts with their unit', () => {
    expect(prefillFigures({ employees: 150, revenue: '12345678.9', tech_staff: null })).toEqual([
      { label: '职工总数', value: '150' },
      { label: '销售收入（元）', value: '12,345,678.90' },
    ])
    expect(prefillFigures(null)).toEqual([])
  })
})

describe('titlesHeld', () => {
  it('names only the titles held, with the year evaluated', () => {
    expect(titlesHeld([
      { pack: 'hnte', year: 2025, qualified: true },
      { pack: 'tech-sme', year: 2025, qualified: false },
      { pack: 'rewards', year: 2025, qualified: true },
    ])).toEqual(['高新技术企业（2025年评价）'])
  })
})

describe('predecessorOptions', () => {
  it('offers closed projects rated 优秀 or 良好 first and says why the others cannot be chosen', () => {
    const o = predecessorOptions([
      item({ application_id: 1, status: 'in_progress', status_label: '实施中', rating: null, rating_label: null }),
      item({ application_id: 2, rating: 'pass', rating_label: '合格' }),
      item({ application_id: 3 }),
      item({ application_id: 4, rating: null, rating_label: null }),
      item({ application_id: 5, role: '成员' }),
    ])
    expect(o.map((x) => [x.id, x.disabled, x.reason])).toEqual([
      [3, false, '绩效评价良好'],
      [1, true, '实施中，未结题'],
      [2, true, '绩效评价合格'],
      [4, true, '绩效评价未评价'],
    ])
  })
})

describe('files', () => {
  it('formats sizes and digests', () => {
    expect(fileSize(512)).toBe('512 B')
    expect(fileSize(5120)).toBe('5.0 KB')
    expect(fileSize(2411724)).toBe('2.3 MB')
    expect(shortHash('3f2a9c0d11223344556677889900aabbccddeeff00112233445566778899e07b')).toBe('3f2a9c0d…99e07b')
  })
  it('refuses what is not a PDF before sending it', () => {
    expect(pdfProblem({ name: '报告.PDF', size: 100 })).toBe('')
    expect(pdfProblem({ name: '报告.docx', size: 100 })).toContain('不是PDF')
    expect(pdfProblem({ name: 'a.pdf', size: 0 })).toBe('文件为空')
    expect(pdfProblem({ name: 'a.pdf', size: 21 * 1024 * 1024 })).toContain('超过上限')
  })
})

describe('call form items', () => {
  it('drops blank rows, trims labels and keys items in order', () => {
    expect(formItems([
      { key: '', label: ' 预期新增销售收入（万元） ', kind: 'number', required: true },
      { key: '', label: '  ', kind: 'text', required: false },
      { key: 'partner', label: '合作高校院所', kind: 'text', required: false },
    ])).toEqual([
      { key: 'item1', label: '预期新增销售收入（万元）', kind: 'number', required: true },
      { key: 'partner', label: '合作高校院所', kind: 'text', required: false },
    ])
  })
  it('sends only answered items, trimmed', () => {
    expect(cleanAnswers({ item1: ' 500 ', partner: '  ' })).toEqual({ item1: '500' })
  })
})
