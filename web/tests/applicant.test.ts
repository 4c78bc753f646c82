import { describe, expect, it } from 'vitest'
import {
  type SubmissionDraft, checkedOnPage, cleanAnswers, fileSize, flaggedRows, formItemOf, formItems, inFormOrder, missingText, pdfProblem, placeProblems,
  predecessorOptions, prefillFigures, shortHash, submissionProblems, titlesHeld,
} from '@/utils/applicant'
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

describe('submissionProblems (提交前检查)', () => {
  const call = { mode: 'open_competition', form: [
    { key: 'item1', label: '预期新增销售收入（万元）', kind: 'number', required: true },
    { key: 'item2', label: '合作单位', kind: 'text', required: false },
  ] }
  const complete: SubmissionDraft = {
    title: '再生铅冶炼废气协同治理关键技术研究', leader_id: 7, lump_sum: false,
    budget: [{ item: '设备费', amount: '300000' }, { item: '材料费', amount: '0' }],
    milestones: [{ title: '中试装置建成', due_on: '2027-06-30', target: '连续运行720小时' }],
    integrity_pledge: true, predecessor_id: null, answers: { item1: '500' },
  }
  it('finds nothing missing in a complete application', () => {
    expect(submissionProblems(complete, call)).toEqual([])
  })
  it('lists every problem of an empty form, in the order the form shows the fields', () => {
    const empty: SubmissionDraft = { title: ' ', leader_id: null, lump_sum: false, budget: [], milestones: [], integrity_pledge: false, answers: {} }
    expect(submissionProblems(empty, { ...call, mode: 'rolling' }).map((p) => p.field)).toEqual([
      'title', 'predecessor_id', 'leader_id', 'answers.item1', 'budget', 'milestones', 'integrity_pledge',
    ])
  })
  it('names the budget line and milestone at fault by number', () => {
    const ps = submissionProblems({
      ...complete,
      budget: [{ item: '设备费', amount: '' }, { item: '', amount: '1.234' }],
      milestones: [{ title: '中试', due_on: '', target: '' }],
      answers: { item1: '约500' },
    }, call)
    expect(ps).toEqual([
      { field: 'answers.item1', message: '“预期新增销售收入（万元）”应填写数字' },
      { field: 'budget[0].amount', message: '第1项预算金额未填写' },
      { field: 'budget[1].item', message: '第2项预算科目不能为空' },
      { field: 'budget[1].amount', message: '第2项预算金额“1.234”不是有效金额（元，最多两位小数）' },
      { field: 'milestones[0]', message: '第1个里程碑须有名称和可考核指标' },
      { field: 'milestones[0].due_on', message: '第1个里程碑须有完成日期' },
    ])
  })
  it('calls the lump sum by its name', () => {
    const ps = submissionProblems({ ...complete, lump_sum: true, budget: [{ item: '包干总额', amount: '' }] }, call)
    expect(ps).toEqual([{ field: 'budget[0].amount', message: '包干总额未填写' }])
  })
  it('says the pledge is missing when only the pledge is missing', () => {
    const ps = submissionProblems({ ...complete, integrity_pledge: false }, call)
    expect(ps).toEqual([{ field: 'integrity_pledge', message: '提交前须签署科研诚信承诺书' }])
    expect(missingText(ps)).toBe('请补全后再提交：提交前须签署科研诚信承诺书')
  })
})

describe('server field keys → form fields', () => {
  const keys = ['item1']
  it('puts each key of a 422 on the form item that shows it', () => {
    expect(formItemOf('title', false, keys)).toBe('title')
    expect(formItemOf('leader_id', false, keys)).toBe('leader_id')
    expect(formItemOf('team', false, keys)).toBe('leader_id')
    expect(formItemOf('budget', false, keys)).toBe('budget')
    expect(formItemOf('budget[0].amount', false, keys)).toBe('budget')
    expect(formItemOf('budget[0]', true, keys)).toBe('lump')
    expect(formItemOf('budget[0].amount', true, keys)).toBe('lump')
    expect(formItemOf('milestones', false, keys)).toBe('milestones')
    expect(formItemOf('milestones[2].due_on', false, keys)).toBe('milestones')
    expect(formItemOf('integrity_pledge', false, keys)).toBe('integrity_pledge')
    expect(formItemOf('answers.item1', false, keys)).toBe('answers.item1')
  })
  it('has no field for keys the form does not show (their message is shown on its own)', () => {
    expect(formItemOf('answers.gone', false, keys)).toBeNull()
    expect(formItemOf('org_id', false, keys)).toBeNull()
    expect(formItemOf('budgetary', false, keys)).toBeNull()
  })
  it('joins several messages on one field and keeps the rest apart, never the key', () => {
    const r = placeProblems([
      { field: 'budget[0].amount', message: '第1项预算金额未填写' },
      { field: 'budget[1].item', message: '第2项预算科目不能为空' },
      { field: 'call_id', message: '该指南已截止申报' },
    ], false, keys)
    expect(r).toEqual({ byItem: { budget: '第1项预算金额未填写；第2项预算科目不能为空' }, rest: ['该指南已截止申报'] })
    expect(JSON.stringify(r)).not.toMatch(/budget\[|call_id/)
  })
  it('marks the rows at fault', () => {
    const ps = [{ field: 'budget[2].amount', message: '' }, { field: 'budget', message: '' }, { field: 'milestones[0]', message: '' }]
    expect([...flaggedRows(ps, 'budget')]).toEqual([2])
    expect([...flaggedRows(ps, 'milestones')]).toEqual([0])
  })
  it('orders the server\'s problems as the form shows them', () => {
    const ps = inFormOrder([
      { field: 'integrity_pledge', message: 'p' }, { field: 'budget[0].amount', message: 'b' }, { field: 'org_id', message: 'o' },
      { field: 'answers.item1', message: 'a' }, { field: 'title', message: 't' }, { field: 'leader_id', message: 'l' },
    ], false, keys)
    expect(ps.map((p) => p.message).join('')).toBe('tlabpo')
  })
  it('knows which fields the page re-judges itself', () => {
    expect(checkedOnPage('budget[0].amount')).toBe(true)
    expect(checkedOnPage('answers.item1')).toBe(true)
    expect(checkedOnPage('team')).toBe(false)
    expect(checkedOnPage('call_id')).toBe(false)
  })
  it('shortens a long list in the toast', () => {
    const ps = ['a', 'b', 'c', 'd'].map((m) => ({ field: 'x', message: m }))
    expect(missingText(ps)).toBe('请补全后再提交（共4项）：a；b；c……')
  })
})
