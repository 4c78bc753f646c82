import { describe, expect, it } from 'vitest'
import { ApiError } from '@/api/http'
import type { AwardNomination } from '@/api/types'
import {
  callStep, checkCall, checkNomination, checkObjection, checkResolution, checkWin, defaultCallTitle, emptyCallInput, emptyNominationInput, emptyWinInput,
  explanationLines, inputFromNomination, nominatable, nominationEditable, nominationOf, nominationStep, normalizeNominationInput, normalizeWinInput, noticeState,
  noticeText, refusal, teamText,
} from '@/utils/awards'
import { AWARD_CALL_STATUSES, AWARD_CATEGORIES, AWARD_GRADES, NOMINATION_STATUSES, label } from '@/utils/dict'

function nom(over: Partial<AwardNomination> = {}): AwardNomination {
  return {
    id: 7, call_id: 3, call_title: '2027年度济源市科学技术奖', year: 2027, category: 'progress', category_label: '科学技术进步奖',
    title: '有色冶炼烟气协同治理关键技术', org_id: 11, org_name: '济源国泰环保有限责任公司', region_code: '419001',
    team: [{ id: 1, name: '李国强' }, { id: 2, name: '孙国强' }], summary: '简介', nominator_kind: 'unit', nominator_kind_label: '单位提名',
    nominator_name: '济源国泰环保有限责任公司', status: 'draft', status_label: '草稿', check_note: null, round_id: null, score: null, grade: null,
    grade_label: null, prize: null, certificate_no: null, explanation: '', rule: '', open_objections: 0, updated_at: 0, ...over,
  }
}

describe('calls', () => {
  it('names a call after the year and the account\'s city', () => {
    expect(defaultCallTitle(2027, '河南省/省直辖县级行政区划/济源市')).toBe('2027年度济源市科学技术奖')
    expect(emptyCallInput(2027, '河南省/省直辖县级行政区划/济源市')).toEqual({ year: 2027, title: '2027年度济源市科学技术奖', nominate_until: '', note: '' })
    expect(defaultCallTitle(2027)).toBe('2027年度科学技术奖')
  })
  it('checks year, title and the deadline', () => {
    expect(checkCall({ year: 2027, title: 'x', nominate_until: '2027-03-31', note: '' })).toEqual([])
    const bad = checkCall({ year: 1999, title: ' ', nominate_until: '2027-02-30', note: '' }).map((x) => x.field)
    expect(bad).toEqual(['year', 'title', 'nominate_until'])
    expect(checkCall({ year: 2027, title: 'x', nominate_until: '', note: '' })[0].message).toBe('请选择提名截止日期')
  })
  it('steps through 提名 → 评审 → 公示 → 授奖', () => {
    expect(callStep({ status: 'open', round_id: null })).toBe(0)
    expect(callStep({ status: 'reviewing', round_id: 4 })).toBe(1)
    expect(callStep({ status: 'notice', round_id: 4 })).toBe(2)
    expect(callStep({ status: 'conferred', round_id: 4 })).toBe(4)
  })
  it('counts the notice days left, today included', () => {
    const c = { notice_from: '2026-11-01', notice_until: '2026-11-07' }
    expect(noticeState(c, '2026-11-07')).toEqual({ state: 'running', daysLeft: 1 })
    expect(noticeState(c, '2026-11-01')).toEqual({ state: 'running', daysLeft: 7 })
    expect(noticeState(c, '2026-11-08')).toEqual({ state: 'over', daysLeft: 0 })
    expect(noticeState({ notice_from: null, notice_until: null }, '2026-11-08').state).toBe('none')
    expect(noticeText(c)).toBe('2026-11-01 至 2026-11-07')
    expect(noticeText({ notice_from: null, notice_until: null })).toBe('—')
  })
  it('offers only open calls before their deadline for nominating', () => {
    expect(nominatable({ status: 'open', nominate_until: '2027-03-31' }, '2027-03-31')).toBe(true)
    expect(nominatable({ status: 'open', nominate_until: '2027-03-31' }, '2027-04-01')).toBe(false)
    expect(nominatable({ status: 'notice', nominate_until: '2027-03-31' }, '2027-01-01')).toBe(false)
  })
})

describe('nominations', () => {
  it('starts empty with the enterprise\'s own unit', () => {
    expect(emptyNominationInput(11, 3)).toEqual({ call_id: 3, category: '', title: '', org_id: 11, team: [], summary: '' })
  })
  it('checks every field; the unit only when the form chooses it', () => {
    const e = emptyNominationInput()
    expect(checkNomination(e, false).map((x) => x.field)).toEqual(['call_id', 'category', 'title', 'team', 'summary'])
    expect(checkNomination(e, true).map((x) => x.field)).toContain('org_id')
    expect(checkNomination(inputFromNomination(nom()), true)).toEqual([])
    expect(checkNomination({ ...inputFromNomination(nom()), summary: 'x'.repeat(5001) }, false)[0].message).toBe('项目简介不超过5000字')
    expect(checkNomination({ ...inputFromNomination(nom()), team: Array.from({ length: 16 }, (_, i) => i + 1) }, false)[0].message).toBe('主要完成人为1至15人')
  })
  it('keeps the team order and drops repeats', () => {
    expect(normalizeNominationInput({ ...inputFromNomination(nom()), title: ' a ', team: [2, 1, 2] })).toMatchObject({ title: 'a', team: [2, 1] })
    expect(teamText(nom())).toBe('李国强、孙国强')
    expect(teamText(nom({ team: [] }))).toBe('—')
  })
  it('is changed and submitted as a draft or when returned', () => {
    expect(nominationEditable(nom())).toBe(true)
    expect(nominationEditable(nom({ status: 'returned' }))).toBe(true)
    expect(nominationEditable(nom({ status: 'submitted' }))).toBe(false)
    expect(nominationStep(nom({ status: 'returned' }))).toEqual({ active: 1, status: 'error' })
    expect(nominationStep(nom({ status: 'proposed' })).active).toBe(3)
    expect(nominationStep(nom({ status: 'conferred' }))).toEqual({ active: 5, status: 'finish' })
  })
  it('reads the review item reference', () => {
    expect(nominationOf('award_nomination:12')).toBe(12)
    expect(nominationOf('application:12')).toBeNull()
    expect(nominationOf(null)).toBeNull()
  })
  it('splits the explanation into lines', () => {
    expect(explanationLines('得分 86.5；一等奖线 85 分\n依据评审办法')).toEqual(['得分 86.5', '一等奖线 85 分', '依据评审办法'])
    expect(explanationLines('经专家评审平均90分，拟授予一等奖。拟授奖等级 3：一等奖；奖金 10 万元')).toEqual(['经专家评审平均90分，拟授予一等奖。', '拟授奖等级 3：一等奖', '奖金 10 万元'])
    expect(explanationLines(null)).toEqual([])
  })
})

describe('objections and wins', () => {
  it('wants the facts of an objection and the reason of its handling', () => {
    expect(checkObjection('  ')).toBe('请写明异议的事实和理由')
    expect(checkObjection('排名不符')).toBe('异议内容须写明事实和理由，10至2000字')
    expect(checkObjection('第二完成人的排名与实际贡献不符')).toBeNull()
    expect(checkResolution(false, '')).toBe('请写明异议不成立的理由')
    expect(checkResolution(true, '')).toBe('请写明异议成立的处理意见')
    expect(checkResolution(false, '经核查，排名与贡献相符')).toBeNull()
  })
  it('checks a win and sends the prize without separators', () => {
    const w = { ...emptyWinInput(2026), org_id: 5, award_name: '河南省科学技术进步奖', grade: '二等奖', document: '豫政〔2026〕12号', prize: '50,000' }
    expect(checkWin(w)).toEqual([])
    expect(normalizeWinInput(w).prize).toBe('50000')
    expect(normalizeWinInput({ ...w, prize: '' }).prize).toBe('0')
    expect(checkWin({ ...w, prize: '5万' }).map((x) => x.field)).toEqual(['prize'])
    expect(checkWin(emptyWinInput(2026)).map((x) => x.field)).toEqual(['org_id', 'award_name', 'grade', 'document'])
  })
})

describe('words', () => {
  it('shows the server\'s reasons, never field keys', () => {
    expect(refusal(new ApiError(409, 'award.notice_open', '公示期未满，不能授奖'))).toBe('公示期未满，不能授奖')
    expect(refusal(new ApiError(422, 'validation', 'x', [{ field: 'team', code: 'c', message: '请选择主要完成人' }]))).toBe('请选择主要完成人')
  })
  it('has the labels of the spec', () => {
    expect(AWARD_CALL_STATUSES.map((d) => d.label)).toEqual(['提名中', '评审中', '公示中', '已授奖'])
    expect(NOMINATION_STATUSES.map((d) => d.label)).toEqual(['草稿', '已提交', '退回修改', '形式审查通过', '评审中', '拟授奖', '未获奖', '已撤销', '已授奖'])
    expect(label(AWARD_CATEGORIES, 'progress')).toBe('科学技术进步奖')
    expect(label(AWARD_GRADES, 'first')).toBe('一等奖')
  })
})
