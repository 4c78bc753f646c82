import { afterEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import type { AssignSummary, Assignment, Candidate, Criterion } from '@/api/types'
import { label } from '@/utils/dict'
import {
  ASSIGNMENT_STATUS, CANDIDATE_STATUS, OBJECT_KINDS, adjustState, answerRows, applicationOf, candidateView, enteredScores,
  fileSize, fitLevel, formMax, missingScores, nextCriterionKey, overdue, personLabel, personLabels, provenOptimal,
  quotaWarning, savedScores, scoreTotal, shortTime, splitTerms, summaryText, sumYuan, tagType, wan,
} from '@/utils/review'
import CandidateDrawer from '@/views/review/parts/CandidateDrawer.vue'
import ScoreDialog from '@/views/review/parts/ScoreDialog.vue'

// Node cannot load the stylesheets the component resolver imports with each Element Plus component.
vi.mock('element-plus/es/components/base/style/css', () => ({}))
vi.mock('element-plus/es/components/dialog/style/css', () => ({}))
vi.mock('element-plus/es/components/descriptions/style/css', () => ({}))
vi.mock('element-plus/es/components/descriptions-item/style/css', () => ({}))
vi.mock('element-plus/es/components/button/style/css', () => ({}))
vi.mock('element-plus/es/components/alert/style/css', () => ({}))
vi.mock('element-plus/es/components/form/style/css', () => ({}))
vi.mock('element-plus/es/components/form-item/style/css', () => ({}))
vi.mock('element-plus/es/components/input-number/style/css', () => ({}))
vi.mock('element-plus/es/components/input/style/css', () => ({}))
vi.mock('element-plus/es/components/tooltip/style/css', () => ({}))
vi.mock('element-plus/es/components/drawer/style/css', () => ({}))
vi.mock('element-plus/es/components/select/style/css', () => ({}))
vi.mock('element-plus/es/components/option/style/css', () => ({}))
vi.mock('element-plus/es/components/table/style/css', () => ({}))
vi.mock('element-plus/es/components/table-column/style/css', () => ({}))
vi.mock('element-plus/es/components/tag/style/css', () => ({}))
vi.mock('element-plus/es/components/empty/style/css', () => ({}))
vi.mock('element-plus/es/components/loading/style/css', () => ({}))

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
    expect(summaryText(random)).toBe('随机抽取，抽取编号 42，总匹配度 10.000，回避 1 对，可用专家 5 名')
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

const task = (over: Partial<Assignment> = {}): Assignment => ({
  id: 7, round_id: 1, round_title: '2026年度济源市科技攻关计划项目评审', round_status: 'published', due_on: '2026-12-20',
  form: [
    { key: 'innovation', label: '技术创新性', max: 30, guide: '核心技术的先进性与原创性' },
    { key: 'feasibility', label: '技术路线可行性', max: 25, guide: null },
  ],
  item_id: 3, item_title: '高纯铅清洁冶炼关键技术研究', item_org_name: '济源国泰环保科技有限公司', expert_id: 9, expert_name: '卫建华',
  affinity: 0.7, method: 'optimal', status: 'assigned', decline_reason: null, scores: null, total: null, comment: null,
  reminded_at: null, submitted_at: null, draft: null, object_ref: 'application:12', expert_org_name: '济源职业技术学院', ...over,
})

describe('same-name experts', () => {
  it('puts the unit beside the name, and the title or discipline where that is not enough', () => {
    const l = personLabels([
      { id: 1, name: '王振宇', org: '济源职业技术学院', title: '教授', disciplines: ['冶金工程'] },
      { id: 2, name: '王振宇', org: '河南理工大学', title: '教授', disciplines: ['材料科学'] },
      { id: 3, name: '李娜', org: '济源市农科院', title: '研究员' },
      { id: 4, name: '李娜', org: '济源市农科院', title: '副研究员' },
      { id: 5, name: '张伟', org: '济源钢铁', title: '高级工程师', disciplines: ['冶金工程'] },
      { id: 6, name: '张伟', org: '济源钢铁', title: '高级工程师', disciplines: ['机械工程'] },
      { id: 8, name: '赵敏', org: null },
    ])
    expect(l.get(1)).toBe('王振宇（济源职业技术学院）')
    expect(l.get(2)).toBe('王振宇（河南理工大学）')
    expect(l.get(3)).toBe('李娜（济源市农科院，研究员）')
    expect(l.get(4)).toBe('李娜（济源市农科院，副研究员）')
    expect(l.get(5)).toBe('张伟（济源钢铁，高级工程师，冶金工程）')
    expect(l.get(6)).toBe('张伟（济源钢铁，高级工程师，机械工程）')
    expect(l.get(8)).toBe('赵敏')
  })
  it('merges what several lists know about one person', () => {
    const l = personLabels([
      { id: 1, name: '王振宇', org: null, title: '教授' },
      { id: 1, name: '王振宇', org: '济源职业技术学院' },
      { id: 2, name: '王振宇', org: '济源职业技术学院', title: '讲师' },
    ])
    expect(l.get(1)).toBe('王振宇（济源职业技术学院，教授）')
    expect(l.get(2)).toBe('王振宇（济源职业技术学院，讲师）')
    expect(personLabel('王振宇', '济源职业技术学院')).toBe('王振宇（济源职业技术学院）')
    expect(personLabel('王振宇', null)).toBe('王振宇')
  })
})

describe('candidates in an officer\'s words', () => {
  const c = (status: string, reason: string, affinity = 1): Candidate => ({ expert_id: 1, expert_name: '卫建华', org_name: null, affinity, status, reason })
  it('says 尚未分配 before the first assignment, never 未入选 or 匹配度较低', () => {
    const v = candidateView(c('lower_affinity', '匹配度1.000，未入选'), false)
    expect(v).toEqual({ status: 'unassigned', reason: '符合条件，尚未进行专家分配' })
    expect(label(CANDIDATE_STATUS, v.status)).toBe('尚未分配')
    // Reasons that hold before any assignment are kept.
    expect(candidateView(c('conflict', '回避：同一单位'), false).reason).toBe('回避：同一单位')
  })
  it('says 未入选 after one, with the cost in plain words', () => {
    const v = candidateView(c('lower_affinity', '匹配度0.700低于入选专家，改派将使总匹配度至少降低0.125'), true)
    expect(label(CANDIDATE_STATUS, v.status)).toBe('未入选')
    expect(v.reason).toBe('已入选的专家与本项更相符，改派该专家将使总匹配度降低 0.125 以上')
    expect(candidateView(c('assigned', '已分配（最优匹配）：匹配度0.700，在可选专家中排第2'), true).reason).toBe('已分配（最优匹配）：在可选专家中排第2')
  })
  it('grades the affinity 高/中/低', () => {
    expect(fitLevel(1).label).toBe('高')
    expect(fitLevel(0.6).label).toBe('高')
    expect(fitLevel(0.45).label).toBe('中')
    expect(fitLevel(0.15).label).toBe('低')
    expect(fitLevel(0).label).toBe('无')
  })
})

describe('reviewers per item and hand adjustments', () => {
  it('warns when a hand addition exceeds the required number', () => {
    expect(quotaWarning(4, 3)).toBe('已有4位专家，超过每项3位的要求')
    expect(quotaWarning(2, 3)).toBe('已有2位专家，还差1位')
    expect(quotaWarning(3, 3)).toBe('')
  })
  it('replaces the proven-optimal badge after any change', () => {
    const run: AssignSummary = { method: 'optimal', objective: 1.4, bound: 1.4, gap: 0, conflicts: 0, available_experts: 2 }
    const a = task({ affinity: 0.7 })
    const b = task({ id: 8, expert_id: 10, affinity: 0.7 })
    expect(adjustState(run, [a, b]).note).toBe('')
    expect(adjustState(run, [a, b, task({ id: 9, expert_id: 11, affinity: 0.2, method: 'manual' })]).note).toBe('已手工调整（调整后不再保证最优）')
    // A removal leaves only a total that no longer adds up.
    expect(adjustState(run, [a])).toEqual({ note: '已手工调整（调整后不再保证最优）', current: 0.7 })
    expect(adjustState(run, [a, { ...b, status: 'declined' }, task({ id: 9, expert_id: 11, affinity: 0.5, method: 'replacement' })]).note).toBe('有专家回避后已递补（不再保证最优）')
    // The server's own mark, whatever the totals say.
    expect(adjustState({ ...run, adjusted: true, manual_changes: 2 }, [a, b]).note).toBe('已手工调整（调整后不再保证最优）')
    expect(adjustState(null, [a]).note).toBe('')
  })
})

describe('the expert reads and scores', () => {
  it('reopens with the 暂存 draft, and with the submitted scores once submitted', () => {
    const draft = task({ draft: { scores: { innovation: 25.5 }, comment: '路线清晰', saved_at: Date.UTC(2026, 10, 3, 1, 5) } })
    expect(savedScores(draft)).toEqual({ scores: { innovation: 25.5, feasibility: undefined }, comment: '路线清晰' })
    const done = task({ status: 'submitted', scores: { innovation: 20, feasibility: 18 }, comment: '好', draft: null })
    expect(savedScores(done)).toEqual({ scores: { innovation: 20, feasibility: 18 }, comment: '好' })
    expect(enteredScores(draft.form, { innovation: 3, feasibility: undefined })).toEqual({ innovation: 3 })
  })
  it('stamps a draft HH:mm today and with the date before, in Beijing time', () => {
    const at = Date.UTC(2026, 10, 3, 1, 5) // 09:05 in Beijing
    expect(shortTime(at, Date.UTC(2026, 10, 3, 10, 0))).toBe('09:05')
    expect(shortTime(at, Date.UTC(2026, 10, 4, 10, 0))).toBe('2026-11-03 09:05')
  })
  it('shows amounts in 万元 with an exact total, and labels the call\'s extra items', () => {
    expect(wan('300000')).toBe('30.00')
    expect(wan('12345678.9')).toBe('1,234.57')
    expect(wan(null)).toBe('—')
    expect(sumYuan(['300000', '120000.5', '79999.5'])).toBe(500000)
    expect(fileSize(2_560_000)).toBe('2.4 MB')
    expect(applicationOf('application:12')).toBe(12)
    expect(applicationOf('JYKJ-2026-001')).toBeNull()
    expect(answerRows({ answers: { basis: '已有中试线', x: '补充' } }, [{ key: 'basis', label: '研究基础', kind: 'textarea', required: true }, { key: 'plan', label: '推广计划', kind: 'text', required: false }]))
      .toEqual([{ label: '研究基础', value: '已有中试线' }, { label: '推广计划', value: '' }, { label: '其他申报内容', value: '补充' }])
  })
})

describe('ScoreDialog', () => {
  // The dialog teleports to <body>; each case starts from an empty one.
  afterEach(() => {
    vi.unstubAllGlobals()
    document.body.innerHTML = ''
  })
  async function open(t: Assignment) {
    const w = mount(ScoreDialog, { attachTo: document.body, props: { modelValue: false, task: t } })
    await w.setProps({ modelValue: true })
    await flushPromises()
    return w
  }
  const inputs = () => [...document.querySelectorAll<HTMLInputElement>('[data-test=score-form] .el-input-number input')]

  it('shows each criterion\'s guidance beside its input', async () => {
    const w = await open(task())
    const guides = [...document.querySelectorAll('[data-test=score-guide]')].map((e) => e.textContent)
    expect(guides).toEqual(['评分要点核心技术的先进性与原创性'])
    expect(document.querySelector('[data-test=score-innovation] [data-test=score-guide]')).not.toBeNull()
    expect(document.querySelector('[data-test=score-read]')?.textContent).toContain('查看申报书')
    w.unmount()
  })

  it('restores the draft and saves a partial one with 暂存', async () => {
    const saved = Date.now()
    const t = task({ draft: { scores: { innovation: 25.5 }, comment: '路线清晰', saved_at: saved - 60_000 } })
    const calls: { url: string; method: string; body: unknown }[] = []
    vi.stubGlobal('fetch', async (url: string, init: RequestInit) => {
      calls.push({ url, method: init.method ?? 'GET', body: JSON.parse(String(init.body)) })
      return new Response(JSON.stringify({ ...t, draft: { scores: { innovation: 25.5 }, comment: '路线清晰', saved_at: saved } }), { status: 200, headers: { 'Content-Type': 'application/json' } })
    })
    const w = await open(t)
    expect(inputs().map((i) => i.value)).toEqual(['25.5', ''])
    expect((document.querySelector('textarea[data-test=score-comment]') as HTMLTextAreaElement).value).toBe('路线清晰')
    expect(document.querySelector('[data-test=score-saved]')?.textContent).toContain('已暂存')
    ;(document.querySelector('[data-test=score-draft]') as HTMLButtonElement).click()
    await flushPromises()
    expect(calls).toEqual([{ url: '/api/v1/review/assignments/7/draft', method: 'PUT', body: { scores: { innovation: 25.5 }, comment: '路线清晰' } }])
    expect(w.emitted('saved')?.length).toBe(1)
    w.unmount()
  })

  it('asks before the final submission, saying it cannot be changed', async () => {
    const posted: string[] = []
    vi.stubGlobal('fetch', async (url: string) => {
      posted.push(url)
      return new Response('{}', { status: 200, headers: { 'Content-Type': 'application/json' } })
    })
    const w = await open(task({ draft: { scores: { innovation: 25, feasibility: 20 }, comment: null, saved_at: Date.now() } }))
    ;(document.querySelector('[data-test=score-submit]') as HTMLButtonElement).click()
    await flushPromises()
    await new Promise((r) => setTimeout(r, 50))
    expect(document.querySelector('.el-message-box')?.textContent).toContain('总分 45 / 55 分。评分提交后不能修改')
    expect(posted).toEqual([])
    w.unmount()
  })

  it('is read-only once submitted', async () => {
    const w = await open(task({ status: 'submitted', scores: { innovation: 20, feasibility: 18 }, total: 38, submitted_at: Date.UTC(2026, 10, 3, 1, 5) }))
    expect(inputs().map((i) => i.value)).toEqual(['20.0', '18.0'])
    expect(document.querySelector('[data-test=score-submit]')).toBeNull()
    expect(document.querySelector('[data-test=score-draft]')).toBeNull()
    expect(document.body.textContent).toContain('评分已于 2026-11-03 09:05 提交，不能修改')
    w.unmount()
  })
})

describe('CandidateDrawer', () => {
  afterEach(() => {
    vi.unstubAllGlobals()
    document.body.innerHTML = ''
  })
  const round = { id: 1, reviewers_per_item: 3 } as unknown as import('@/api/types').Round
  const item = (id: number, title: string) => ({ id, round_id: 1, title, object_ref: null, org_id: null, org_name: null, applicant_region: null, disciplines: [], keywords: [], team: [], avoid: [] })
  const candidates: Candidate[] = [
    { expert_id: 1, expert_name: '卫建华', org_name: '济源职业技术学院', affinity: 0.8, status: 'assigned', reason: '' },
    { expert_id: 2, expert_name: '王振宇', org_name: '河南理工大学', affinity: 0.5, status: 'eligible', reason: '' },
  ]

  it('opens for another item with its search and status filter cleared', async () => {
    const asked: string[] = []
    vi.stubGlobal('fetch', async (url: string) => {
      asked.push(url)
      return new Response(JSON.stringify(candidates), { status: 200, headers: { 'Content-Type': 'application/json' } })
    })
    const w = mount(CandidateDrawer, {
      attachTo: document.body,
      props: { modelValue: false, round, item: item(3, '甲项目'), assigned: true, itemExperts: 1, who: (_id: number, name: string) => name, canAdjust: false },
    })
    await w.setProps({ modelValue: true })
    await flushPromises()
    const q = () => document.querySelector<HTMLInputElement>('input[data-test=candidate-q], [data-test=candidate-q] input')!
    q().value = '王振宇'
    q().dispatchEvent(new Event('input'))
    await flushPromises()
    expect(q().value).toBe('王振宇')
    await w.setProps({ modelValue: false })
    await w.setProps({ item: item(4, '乙项目'), modelValue: true })
    await flushPromises()
    expect(q().value).toBe('')
    expect(asked.filter((u) => u.includes('/review/rounds/1/explain'))).toHaveLength(2)
    expect(asked.at(-1)).toContain('item_id=4')
    w.unmount()
  })
})
