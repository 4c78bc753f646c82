import { describe, expect, it } from 'vitest'
import type { Commissioner, CountyCount, Dispatch, DutyProgress } from '@/api/types'
import { COMMISSIONER_KINDS, GRADES, SERVICE_KINDS, TARGET_KINDS, label } from '@/utils/dict'
import {
  addDays, byCounty, checkCommissioner, checkDispatch, checkLog, checkRating, countyShort, daysText, dispatchPlace, dutyBars, dutyHeadline, emptyCommissionerInput,
  emptyDispatchInput, emptyLogInput, evidenceProblem, evidenceUrl, formatBytes, inputFromCommissioner, isDate, loggableDispatches, logState, mapChartOption, mapLabel,
  mapTotals, normalizeCommissionerInput, normalizeLogInput, notInFuture, parseDays, percent, ratingText, ratingYears, roundToHalf, runOutcomeText, yearOptions,
} from '@/utils/commissioners'

function commissioner(over: Partial<Commissioner> = {}): Commissioner {
  return {
    id: 5, kind: 'individual', kind_label: '个人科技特派员', person_id: 9, name: '李果', org_id: 3, org_name: '河南农业大学', region_code: '419001',
    region_name: '河南省/省直辖县级行政区划/济源市', user_id: 12, members: [], funding: 'city_county', funding_label: '市县资助', field: '果树学',
    year: 2026, term_from: '2026-01-01', term_to: '2026-12-31', phone: '13812345678', station_id: null, station_name: null, status: 'active',
    status_label: '在岗', updated_at: 0, ...over,
  }
}

function dispatch(over: Partial<Dispatch> = {}): Dispatch {
  return {
    id: 8, commissioner_id: 5, commissioner_name: '李果', commissioner_kind: 'individual', target_kind: 'village', target_kind_label: '行政村',
    county_code: '419001', county_name: '河南省/省直辖县级行政区划/济源市', place: '王屋镇愚公村', target_org_id: null, target_org_name: null,
    starts_on: '2026-03-01', ends_on: '2026-12-31', agreement_no: 'JY-TP-2026-01', tasks: '冬桃种植技术指导', status: 'active', status_label: '派驻中',
    user_id: 12, home_org_id: 3, home_org_name: '河南农业大学', updated_at: 0, ...over,
  }
}

function progress(over: Partial<DutyProgress> = {}): DutyProgress {
  return {
    year: 2026, days: '12', visits: 5, logs: 7, unconfirmed: 1, households: 30, min_days: '30', min_visits: 12, met: false, projected_days: '35',
    projected_met: true, sentence: '2026年已确认服务12天…', ...over,
  }
}

describe('dictionaries', () => {
  it('carry the domain wire values', () => {
    expect(COMMISSIONER_KINDS.map((k) => k.value)).toEqual(['individual', 'team', 'legal'])
    expect(TARGET_KINDS.map((k) => k.value)).toEqual(['village', 'township', 'cooperative', 'enterprise'])
    expect(SERVICE_KINDS.map((k) => k.value)).toEqual(['guidance', 'training', 'demonstration', 'startup'])
    expect(label(GRADES, 'failed')).toBe('不合格')
  })
})

describe('dates', () => {
  it('knows real calendar dates and adds days across months and years', () => {
    expect(isDate('2026-02-28')).toBe(true)
    expect(isDate('2026-02-29')).toBe(false)
    expect(isDate('2024-02-29')).toBe(true)
    expect(isDate('2026-2-1')).toBe(false)
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01')
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28')
  })
  it('refuses a served date after today', () => {
    expect(notInFuture('2026-05-01', '2026-05-01')).toBe(true)
    expect(notInFuture('2026-05-02', '2026-05-01')).toBe(false)
    expect(notInFuture('nonsense', '2026-05-01')).toBe(false)
  })
})

describe('服务天数', () => {
  it('reads half-day steps between 0.5 and 31 days', () => {
    expect(parseDays('1')).toEqual({ halves: 2 })
    expect(parseDays('0.5')).toEqual({ halves: 1 })
    expect(parseDays(1.5)).toEqual({ halves: 3 })
    expect(parseDays('31')).toEqual({ halves: 62 })
    expect(parseDays('0.3')).toEqual({ problem: '服务天数以半天为单位（如 0.5、1、1.5）' })
    expect(parseDays('0')).toHaveProperty('problem', '单条服务记录的天数应在0.5至31天之间')
    expect(parseDays('31.5')).toHaveProperty('problem', '单条服务记录的天数应在0.5至31天之间')
    expect(parseDays('一天')).toHaveProperty('problem')
    expect(parseDays('')).toEqual({ problem: '请填写服务天数' })
  })
  it('writes half days as the server does and rounds typed numbers to a half day', () => {
    expect(daysText(3)).toBe('1.5')
    expect(daysText(2)).toBe('1')
    expect(daysText(1)).toBe('0.5')
    expect(roundToHalf(1.26)).toBe(1.5)
    expect(roundToHalf(0.1)).toBe(0.5)
    expect(roundToHalf(40)).toBe(31)
    expect(roundToHalf(null)).toBe(1)
  })
})

describe('选派', () => {
  it('starts as an individual serving the calendar year', () => {
    const i = emptyCommissionerInput(2026, '419001')
    expect(i).toMatchObject({ kind: 'individual', year: 2026, term_from: '2026-01-01', term_to: '2026-12-31', region: '419001', members: [] })
    // Empty: the person, the sending organization and the field are asked for.
    expect(Object.keys(checkCommissioner(i)).sort()).toEqual(['field', 'org_id', 'person_id'])
  })
  it('checks as NewCommissioner::parse does', () => {
    const ok = { ...emptyCommissionerInput(2026), person_id: 9, org_id: 3, field: '果树学' }
    expect(checkCommissioner(ok)).toEqual({})
    expect(checkCommissioner({ ...ok, phone: '138 1234-5678' })).toEqual({})
    expect(checkCommissioner({ ...ok, phone: '23812345678' }).phone).toBe('手机号码应为以1开头的11位数字')
    expect(checkCommissioner({ ...ok, members: [4] }).members).toContain('个人科技特派员没有团队成员')
    expect(checkCommissioner({ ...ok, kind: 'team' }).name).toBe('请填写服务团名称')
    expect(checkCommissioner({ ...ok, kind: 'legal', person_id: null }).name).toBe('请填写法人科技特派员的服务名称')
    expect(checkCommissioner({ ...ok, kind: 'legal', person_id: null, name: '济源农科服务中心' })).toEqual({})
    expect(checkCommissioner({ ...ok, term_to: '2026-01-01', term_from: '2026-01-01' }).term_to).toBe('服务期结束日期必须晚于开始日期')
    expect(checkCommissioner({ ...ok, term_to: '2031-12-31' }).term_to).toContain('服务期不超过5年')
    expect(checkCommissioner({ ...ok, year: 1999 }).year).toBe('年度应在2000至2100之间')
  })
  it('sends only what belongs to the kind', () => {
    const team = normalizeCommissionerInput({ ...emptyCommissionerInput(2026), kind: 'team', person_id: 9, members: [9, 4, 4, 6], name: ' 冬桃服务团 ', phone: '138-1234-5678', org_id: 3, field: ' 果树学 ' })
    expect(team).toMatchObject({ members: [4, 6], name: '冬桃服务团', phone: '13812345678', field: '果树学' })
    const legal = normalizeCommissionerInput({ ...emptyCommissionerInput(2026), kind: 'legal', person_id: 9, members: [4], name: '中心' })
    expect(legal).toMatchObject({ person_id: null, members: [] })
    expect(normalizeCommissionerInput({ ...emptyCommissionerInput(2026), name: '李果' }).name).toBe('')
  })
  it('does not send a masked phone back', () => {
    expect(inputFromCommissioner(commissioner({ phone: '138****5678' })).phone).toBe('')
    expect(inputFromCommissioner(commissioner()).phone).toBe('13812345678')
    expect(inputFromCommissioner(commissioner({ kind: 'team', name: '服务团', members: [{ id: 4, name: '王五' }] }))).toMatchObject({ name: '服务团', members: [4] })
  })
})

describe('派驻', () => {
  it('starts today within the term, to the end of the term', () => {
    expect(emptyDispatchInput(commissioner(), '2026-05-10', '419001')).toMatchObject({ starts_on: '2026-05-10', ends_on: '2026-12-31', county: '419001', target_kind: 'village' })
    expect(emptyDispatchInput(commissioner(), '2025-11-01').starts_on).toBe('2026-01-01')
    expect(emptyDispatchInput(commissioner(), '2027-02-01').starts_on).toBe('2026-01-01')
  })
  it('checks the place, the organization of a cooperative and the term', () => {
    const c = commissioner()
    const i = { ...emptyDispatchInput(c, '2026-05-10', '419001'), place: '王屋镇愚公村', tasks: '冬桃技术指导' }
    expect(checkDispatch(i, c)).toEqual({})
    expect(Object.keys(checkDispatch({ ...i, place: '', tasks: '', county: '' }, c)).sort()).toEqual(['county', 'place', 'tasks'])
    expect(checkDispatch({ ...i, target_kind: 'cooperative' }, c).target_org_id).toBe('服务对象为合作社或企业时，请选择已登记的单位')
    expect(checkDispatch({ ...i, target_kind: 'cooperative', target_org_id: 7 }, c)).toEqual({})
    expect(checkDispatch({ ...i, ends_on: '2027-03-01' }, c).ends_on).toBe('派驻期应在服务期（2026-01-01 至 2026-12-31）之内')
    expect(checkDispatch({ ...i, ends_on: '2026-05-01' }, c).ends_on).toBe('派驻结束日期不能早于开始日期')
  })
  it('offers for logs the dispatches begun and not withdrawn', () => {
    const ds = [dispatch({ id: 1 }), dispatch({ id: 2, status: 'cancelled' }), dispatch({ id: 3, starts_on: '2026-09-01' }), dispatch({ id: 4, status: 'ended' })]
    expect(loggableDispatches(ds, '2026-05-10').map((d) => d.id)).toEqual([1, 4])
  })
  it('says where a dispatch serves', () => {
    expect(dispatchPlace(dispatch())).toBe('王屋镇愚公村 · 济源市')
    expect(dispatchPlace(dispatch({ target_org_name: '愚公冬桃合作社' }))).toBe('愚公冬桃合作社（王屋镇愚公村） · 济源市')
  })
})

describe('服务日志', () => {
  const today = '2026-05-10'
  const d = dispatch()
  const ok = { ...emptyLogInput(today, 8, '王屋镇愚公村'), content: '冬桃修剪现场指导' }
  it('defaults to today and one day', () => {
    expect(emptyLogInput(today)).toMatchObject({ served_on: today, days: '1', kind: 'guidance', people: 0, households: 0 })
    expect(checkLog(ok, today, d)).toEqual({})
  })
  it('refuses a future date, a date outside the dispatch and days not in half steps', () => {
    expect(checkLog({ ...ok, served_on: '2026-05-11' }, today, d).served_on).toBe('服务日期不能晚于今天（2026-05-10），请在服务完成后填报')
    expect(checkLog({ ...ok, served_on: '2026-02-01' }, today, d).served_on).toBe('服务日期 2026-02-01 不在派驻期（2026-03-01 至 2026-12-31）内')
    expect(checkLog({ ...ok, days: '0.7' }, today, d).days).toBe('服务天数以半天为单位（如 0.5、1、1.5）')
    expect(checkLog({ ...ok, people: -1 }, today, d).people).toBe('服务人次应在0至100000之间')
    expect(checkLog({ ...ok, dispatch_id: 0, place: ' ', content: '' }, today, d)).toMatchObject({ dispatch_id: '请选择服务的派驻', place: '服务地点不能为空', content: '服务内容不能为空' })
    expect(checkLog(ok, today, dispatch({ status: 'cancelled' })).dispatch_id).toBe('该派驻已撤回，不能填报服务日志')
  })
  it('sends days as the server writes them', () => {
    expect(normalizeLogInput({ ...ok, days: '1.50', place: ' 村委会 ' })).toMatchObject({ days: '1.5', place: '村委会' })
  })
  it('says whether a log is confirmed', () => {
    expect(logState({ confirmed_on: null })).toEqual({ label: '待确认', type: 'warning' })
    expect(logState({ confirmed_on: '2026-05-12' }).label).toBe('已确认')
  })
  it('checks evidence files before uploading', () => {
    expect(evidenceProblem({ name: 'a.png', size: 100, type: 'image/png' })).toBe('')
    expect(evidenceProblem({ name: 'a.PDF', size: 100, type: '' })).toBe('')
    expect(evidenceProblem({ name: 'a.docx', size: 100, type: 'application/msword' })).toContain('不是照片')
    expect(evidenceProblem({ name: 'big.jpg', size: 11 * 1024 * 1024, type: 'image/jpeg' })).toContain('超过上限 10 MB')
    expect(evidenceProblem({ name: 'e.jpg', size: 0, type: 'image/jpeg' })).toContain('空文件')
    expect(evidenceProblem({ name: 'a.png', size: 100, type: 'image/png' }, 9)).toBe('每条服务日志最多9个佐证文件')
    expect(formatBytes(1536)).toBe('1.5 KB')
    expect(formatBytes(12)).toBe('12 B')
    expect(evidenceUrl(3, 4)).toBe('/api/v1/people/logs/3/evidence/4')
  })
})

describe('满意度评价', () => {
  it('offers the years of the term up to this year', () => {
    expect(ratingYears(dispatch({ starts_on: '2024-03-01', ends_on: '2027-02-28' }), 2026)).toEqual([2026, 2025, 2024])
    expect(checkRating({ year: 2026, score: 5, comment: '' }, [2026])).toEqual({})
    expect(checkRating({ year: 2026, score: 0, comment: '' }).score).toContain('1至5分')
    expect(checkRating({ year: 2023, score: 4, comment: '' }, [2026, 2025]).year).toBe('派驻期内没有2023年度')
  })
})

describe('履职进度与考核', () => {
  it('draws days and visits against the yearly duty', () => {
    expect(percent('12', '30')).toBe(40)
    expect(percent(40, 30)).toBe(100)
    expect(percent(0, 30)).toBe(0)
    expect(percent(3, 0)).toBe(100)
    const bars = dutyBars(progress())
    expect(bars.map((b) => [b.text, b.pct, b.status])).toEqual([['12 / 30 天', 40, ''], ['5 / 12 次', 42, '']])
    expect(dutyBars(progress({ projected_met: false }))[0].status).toBe('warning')
    expect(dutyBars(progress({ met: true, visits: 12 })).map((b) => b.status)).toEqual(['success', 'success'])
  })
  it('leads the duty card with one line', () => {
    expect(dutyHeadline(progress()).type).toBe('info')
    expect(dutyHeadline(progress({ met: true })).text).toBe('2026年度履职已达标')
    expect(dutyHeadline(progress({ projected_met: false })).type).toBe('warning')
  })
  it('words the outcome of a run', () => {
    expect(runOutcomeText({ assessed: 6, excellent: 1, qualified: 3, failed: 2 })).toBe('已考核6人：优秀1、合格3、不合格2')
    expect(runOutcomeText({ assessed: 0, excellent: 0, qualified: 0, failed: 0 })).toContain('没有需要考核')
    expect(ratingText('4.6')).toBe('4.6 分')
    expect(ratingText(null)).toBe('未评价')
    expect(yearOptions(2026, 2024)).toEqual([2026, 2025, 2024])
  })
})

describe('派驻分布', () => {
  const rows: CountyCount[] = [
    { county_code: '419001', county_name: '河南省/省直辖县级行政区划/济源市', town: '王屋镇', dispatches: 4, commissioners: 3, logs: 30, households: 220 },
    { county_code: '419001', county_name: '河南省/省直辖县级行政区划/济源市', town: '克井镇', dispatches: 2, commissioners: 1, logs: 10, households: 100 },
    { county_code: '410802', county_name: '河南省/焦作市/解放区', town: '', dispatches: 1, commissioners: 1, logs: 2, households: 10 },
  ]
  it('names counties shortly and totals them', () => {
    expect(countyShort(rows[0].county_name)).toBe('济源市')
    expect(mapTotals(rows)).toEqual({ dispatches: 7, commissioners: 5, logs: 42, households: 330 })
    expect(byCounty(rows).map((c) => [c.county_code, c.towns, c.dispatches, c.households])).toEqual([['419001', 2, 6, 320], ['410802', 1, 1, 10]])
  })
  it('labels townships, with the county when several counties are shown', () => {
    expect(mapLabel(rows[0], false)).toBe('王屋镇')
    expect(mapLabel(rows[0], true)).toBe('济源市·王屋镇')
    expect(mapLabel(rows[2], true)).toBe('解放区·（未注明乡镇）')
  })
  it('charts dispatches and the service done, households on their own axis', () => {
    type O = { xAxis: { data: string[] }; yAxis: unknown[]; series: { name: string; yAxisIndex: number; data: number[] }[] }
    const d = mapChartOption(rows, 'dispatch') as O
    expect(d.xAxis.data).toEqual(['济源市·王屋镇', '济源市·克井镇', '解放区·（未注明乡镇）'])
    expect(d.yAxis).toHaveLength(1)
    expect(d.series.map((s) => [s.name, s.yAxisIndex, s.data])).toEqual([['派驻（个）', 0, [4, 2, 1]], ['特派员（人）', 0, [3, 1, 1]]])
    const v = mapChartOption(rows, 'service') as O
    expect(v.yAxis).toHaveLength(2)
    expect(v.series.map((s) => [s.name, s.yAxisIndex, s.data])).toEqual([['已确认日志（条）', 0, [30, 10, 2]], ['服务农户（户）', 1, [220, 100, 10]]])
    expect((mapChartOption(rows.slice(0, 2), 'dispatch') as O).xAxis.data).toEqual(['王屋镇', '克井镇'])
  })
})
