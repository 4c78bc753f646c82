import { describe, expect, it } from 'vitest'
import { label } from '@/utils/dict'
import {
  APP_STATUS, BATCH_ACTIONS, CALL_STATUS, FORM_KINDS, STAGES, TRANSITIONS, actionLabel, batchAllowed, batchGroups, budgetTotal, callState, callStatusTag,
  defaultRoundForm, detailActions, formatYuan, fromFen, inStage, meanText, panelOrder, panelTotals, refusal, resultsByApp, roundForCall, roundIntake,
  stageCountsOf, stageOfStatus, taskBookName, toFen, wanText,
} from '@/utils/projects'
import type { ReviewResultRow } from '@/api/types'

const act = (action: string, label = action, needs_reason = false) => ({ action, label, needs_reason })

describe('detailActions', () => {
  it('offers exactly the moves the server lists, in its order', () => {
    const actions = [act('return', '退回修改', true), act('pass_formal_check', '形式审查通过，进入专家评审')]
    expect(detailActions({ status: 'formal_check', actions })).toEqual(actions)
    expect(detailActions({ status: 'closed', actions: [] })).toEqual([])
  })
  it('leaves the panel decisions to 会审决策', () => {
    expect(detailActions({ status: 'panel', actions: [act('approve'), act('reject'), act('withdraw')] }).map((x) => x.action)).toEqual(['withdraw'])
    // Only at the panel stage: 形式审查不通过 is a plain move.
    expect(detailActions({ status: 'formal_check', actions: [act('reject')] }).map((x) => x.action)).toEqual(['reject'])
  })
})

describe('batch 形式审查', () => {
  const rows = [{ actions: [act('start_formal_check')] }, { actions: [act('start_formal_check'), act('withdraw')] }]
  it('offers a move only when every selected application lists it', () => {
    expect(batchAllowed(rows, 'start_formal_check')).toBe(true)
    expect(batchAllowed(rows, 'withdraw')).toBe(false)
    expect(batchAllowed([], 'start_formal_check')).toBe(false)
  })
  it('asks a reason for 退回修改 only', () => {
    expect(BATCH_ACTIONS.filter((x) => x.needs_reason).map((x) => x.action)).toEqual(['return'])
  })
  it('offers 提交会审 from 专家评审 beside 批量形式审查, each an officer move of the state machine', () => {
    expect(batchGroups().map((g) => [g.group, g.actions.map((x) => x.label)])).toEqual([
      ['批量形式审查', ['开始形式审查', '通过形式审查', '退回修改']],
      ['专家评审', ['提交会审']],
    ])
    for (const x of BATCH_ACTIONS) expect(TRANSITIONS.some((t) => t.action === x.action && t.actor === 'officer')).toBe(true)
    const reviewed = [{ actions: [act('to_panel')] }, { actions: [act('to_panel')] }]
    expect(batchAllowed(reviewed, 'to_panel')).toBe(true)
    expect(batchAllowed([...reviewed, ...rows], 'to_panel')).toBe(false)
  })
})

describe('a refused move', () => {
  it('does not repeat its one problem as a list', () => {
    expect(refusal('验收通过，结题', '第1个里程碑尚未考核通过', ['第1个里程碑尚未考核通过'])).toEqual({ title: '验收通过，结题未成功：第1个里程碑尚未考核通过', lines: [] })
    expect(refusal('开始形式审查', '网络错误', [])).toEqual({ title: '开始形式审查未成功：网络错误', lines: [] })
  })
  it('lists several problems one a line, and a problem the message does not say', () => {
    const many = ['请填写项目名称', '请签署科研诚信承诺书']
    expect(refusal('提交申报', '提交的数据有2处错误：请填写项目名称；请签署科研诚信承诺书', many)).toEqual({ title: '提交申报未成功，有2处问题：', lines: many })
    expect(refusal('提交会审', '不能办理', ['评审尚未结束'])).toEqual({ title: '提交会审未成功：不能办理', lines: ['评审尚未结束'] })
  })
})

describe('会审决策 with the review results', () => {
  const r = (application_id: number, rank: number | null, round_id = 1, mean: number | null = null): ReviewResultRow => ({
    application_id, round_id, round_title: '项目评审', rank, mean, trimmed_mean: mean, normalized_mean: mean, submitted: 3, expected: 3,
  })
  const row = (id: number, title: string) => ({ app: { id, title } })
  it('orders by rank within the round, the unscored and the unreviewed last', () => {
    const results = resultsByApp([r(1, 2), r(2, 1), r(3, null), r(5, 1, 2)])
    const out = panelOrder([row(4, '乙'), row(3, '丙'), row(1, '甲'), row(2, '丁'), row(5, '戊')], results)
    expect(out.map((x) => x.app.id)).toEqual([2, 5, 1, 3, 4])
  })
  it('shows a mean with one decimal, and — until scored', () => {
    expect(meanText(85.333)).toBe('85.3')
    expect(meanText(null)).toBe('—')
  })
})

describe('organizing a review round from a call', () => {
  it('gives every default criterion its 评分要点, on both scoring forms', () => {
    for (const stage of ['review', 'acceptance'] as const) {
      const form = defaultRoundForm(stage)
      expect(form.reduce((s, c) => s + c.max, 0)).toBe(100)
      for (const c of form) expect(c.guide ?? '').toMatch(/分：/)
      expect(roundForCall({ title: '2026年度计划' }, stage, { reviewers_per_item: 3, max_load: 10 }).form).toEqual(form)
    }
    expect(defaultRoundForm('review')[0].guide).toContain('26–30分：国内领先')
  })
  it('counts what the round takes: those at the stage not yet in a round', () => {
    const apps = [{ id: 1 }, { id: 2 }, { id: 3 }]
    expect(roundIntake(apps, [{ application_id: 1 }, { application_id: 2 }, { application_id: 9 }])).toEqual({ atStage: 3, taken: 2, intake: 1 })
    expect(roundIntake(apps, null)).toEqual({ atStage: 3, taken: null, intake: null })
    expect(roundIntake([], [])).toEqual({ atStage: 0, taken: 0, intake: 0 })
  })
})

describe('stages of 项目管理', () => {
  it('puts every status on exactly one tab besides 全部', () => {
    for (const s of APP_STATUS) {
      const on = STAGES.filter((x) => x.key !== 'all' && inStage(x, s.value)).map((x) => x.key)
      expect(on, s.value).toHaveLength(1)
    }
  })
  it('counts each tab from the server\'s counts by status, 全部 holding everything', () => {
    expect(stageCountsOf({ submitted: 2, formal_check: 1, in_progress: 1, closed: 1, returned: 1, withdrawn: 1 }))
      .toMatchObject({ all: 7, submitted: 2, formal_check: 1, expert_review: 0, active: 1, closed: 1, ended: 2, draft: 0 })
  })
  it('opens the tab a link names by status', () => {
    expect(stageOfStatus('submitted')).toBe('submitted')
    expect(stageOfStatus('mid_term')).toBe('active')
    expect(stageOfStatus('')).toBe('all')
    expect(stageOfStatus('nonsense')).toBe('all')
  })
  it('labels the tabs in Chinese', () => {
    expect(STAGES.map((s) => s.label)).toEqual(['全部', '草稿', '待形式审查', '形式审查', '专家评审', '会审决策', '已立项/执行中', '已结题', '未立项/退回/撤回'])
  })
})

describe('calls', () => {
  it('names and colours the publication status', () => {
    expect(label(CALL_STATUS, 'draft')).toBe('草稿')
    expect(label(CALL_STATUS, 'withdrawn')).toBe('已撤回')
    expect(callStatusTag('published')).toBe('success')
    expect(callStatusTag('withdrawn')).toBe('danger')
    expect(label(FORM_KINDS, 'number')).toBe('数字')
  })
})

describe('history labels', () => {
  it('knows every status of the table and leaves only the final ones without a way out', () => {
    for (const x of TRANSITIONS) {
      expect(label(APP_STATUS, x.from)).not.toBe(x.from)
      expect(label(APP_STATUS, x.to)).not.toBe(x.to)
    }
    const finals = APP_STATUS.map((s) => s.value).filter((s) => !TRANSITIONS.some((x) => x.from === s))
    expect(finals.sort()).toEqual(['closed', 'rejected', 'terminated', 'withdrawn'])
    expect(actionLabel('pass_formal_check')).toBe('形式审查通过，进入专家评审')
    expect(actionLabel('reject', 'panel')).toBe('不予立项')
    expect(actionLabel('eliminate')).toBe('赛马阶段评价淘汰')
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
    expect(wanText('5000000')).toBe('500万元')
    expect(wanText('125000')).toBe('12.5万元')
    expect(wanText('123456789')).toBe('12,345.68万元')
    expect(wanText('')).toBe('—')
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

describe('taskBookName', () => {
  it('names the Word file after the project, without characters a file name cannot hold', () => {
    expect(taskBookName('含铅废气协同脱硫除尘中试研究')).toBe('任务书-含铅废气协同脱硫除尘中试研究.docx')
    expect(taskBookName('A/B:C*D?')).toBe('任务书-A_B_C_D_.docx')
  })
})
