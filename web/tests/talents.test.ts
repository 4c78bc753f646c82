import { describe, expect, it } from 'vitest'
import type { TalentApplication } from '@/api/types'
import { TALENT_TIERS, TITLE_LEVELS, label } from '@/utils/dict'
import { formMax } from '@/utils/review'
import {
  DEMAND_TITLE_LEVELS, ageOn, ageText, checkApplication, checkDecision, checkDemand, checkReviewForm, checkStation, checkTeam, daysLeft, defaultTalentForm,
  emptyApplicationInput, emptyDemandInput, explanationLines, emptyReviewForm, emptyStationInput, emptyTeamInput, inputFromApplication, matchTagType, normalizeApplicationInput,
  normalizeDemandInput, normalizeTeamInput, parseDay, reasonIsShortfall, reviewInput, reviewObjectKind, reviewable, salaryText, splitKeywords, stationTypeOf,
  supportTotals, talentApplicationOf, tierLowered,
} from '@/utils/talents'

function app(over: Partial<TalentApplication> = {}): TalentApplication {
  return {
    id: 5, person_id: 9, person_name: '王建华', title: '高级工程师', disciplines: ['环境工程'], org_id: 3, org_name: '济源国泰环保有限责任公司', region_code: '419001',
    year: 2026, claimed_tier: 'c', claimed_tier_label: 'C类 地方级领军人才', birth_date: '1980-05-01', education: 'doctorate', education_label: '博士研究生',
    honours: ['provincial_programme'], honour_labels: ['省级重大人才工程入选者（中原学者、中原英才计划等）'], evidence: '中原英才计划入选通知', full_time: true,
    phone: '13812345678', salary: '360000', status: 'draft', status_label: '草稿', matched_tier: null, matched_tier_label: null, explanation: '', rule: '',
    round_id: null, round_status: null, review_score: null, decision_note: null, decided_on: null, talent_id: null, updated_at: 0, ...over,
  }
}

describe('ages', () => {
  it('counts whole years the way the server does (age_on)', () => {
    expect(ageOn('1981-12-07', '2026-12-06')).toBe(44)
    expect(ageOn('1981-12-06', '2026-12-06')).toBe(45)
    expect(ageOn('2000-02-29', '2026-02-28')).toBe(25)
    expect(ageOn('2000-02-29', '2026-03-01')).toBe(26)
    expect(ageText('1981-12-06', '2026-12-06')).toBe('45周岁')
  })
  it('refuses what is not a date', () => {
    expect(parseDay('2026-02-30')).toBeNull()
    expect(parseDay('2026/02/01')).toBeNull()
    expect(ageOn('', '2026-01-01')).toBeNull()
    expect(ageText('x', '2026-01-01')).toBe('—')
  })
})

describe('applications', () => {
  const today = '2026-06-01'
  it('starts empty with the year and, for an organization account, its org', () => {
    const i = emptyApplicationInput(2026, 3)
    expect(i).toMatchObject({ year: 2026, org_id: 3, person_id: 0, honours: [], full_time: true })
  })
  it('checks the form before sending, with the server wording', () => {
    const i = emptyApplicationInput(2026)
    const fields = checkApplication(i, today, true).map((p) => p.field)
    expect(fields).toEqual(['person_id', 'org_id', 'claimed_tier', 'birth_date', 'education'])
    expect(checkApplication({ ...i, person_id: 1, claimed_tier: 'd', birth_date: '1990-01-01', education: 'master' }, today)).toEqual([])
    const p = checkApplication({ ...i, person_id: 1, claimed_tier: 'd', birth_date: '2030-01-01', education: 'master', honours: ['senior_title'], phone: '123', salary: '3万' }, today)
    expect(p.map((x) => x.message)).toEqual([
      '出生日期不合理，请核对',
      '申报认定条件时请说明佐证材料（证书编号、获奖文件等）',
      '手机号码应为以1开头的11位数字',
      '年薪应为金额（元），最多两位小数',
    ])
    // An enterprise's org is fixed by the server: not asked for.
    expect(checkApplication({ ...i, person_id: 1, claimed_tier: 'a', birth_date: '1960-01-01', education: 'doctorate' }, today).length).toBe(0)
  })
  it('edits without sending masked private data back', () => {
    expect(inputFromApplication(app({ phone: '138****5678', salary: '***' }))).toMatchObject({ phone: '', salary: '' })
    expect(inputFromApplication(app())).toMatchObject({ phone: '13812345678', salary: '360000', honours: ['provincial_programme'] })
  })
  it('normalizes what is sent', () => {
    const n = normalizeApplicationInput({ ...emptyApplicationInput(2026), salary: '360,000 ', phone: ' 13812345678', honours: ['a', 'a'] })
    expect(n.salary).toBe('360000')
    expect(n.phone).toBe('13812345678')
    expect(n.honours).toEqual(['a'])
  })
  it('shows salaries and their masks', () => {
    expect(salaryText('360000')).toBe('360,000 元')
    expect(salaryText('***')).toBe('***')
    expect(salaryText(null)).toBe('—')
  })
  it('knows which rows go to review and when the pack lowered a claim', () => {
    expect(reviewable(app({ status: 'submitted' }))).toBe(true)
    expect(reviewable(app({ status: 'reviewing' }))).toBe(false)
    expect(tierLowered(app({ claimed_tier: 'b', matched_tier: 'c' }))).toBe(true)
    expect(tierLowered(app({ claimed_tier: 'c', matched_tier: 'c' }))).toBe(false)
    expect(tierLowered(app())).toBe(false)
    expect(label(TALENT_TIERS, 'd')).toBe('D类 青年拔尖人才')
  })
  it('reads the pack\'s explanation line by line', () => {
    expect(explanationLines('申报B类 国家级领军人才，按所报条件可认定为C类 地方级领军人才。全职在本地工作：符合（是）；C类条件：符合（省级 是，省奖 否）；认定层次 2：C类')).toEqual([
      '申报B类 国家级领军人才，按所报条件可认定为C类 地方级领军人才',
      '全职在本地工作：符合（是）',
      'C类条件：符合（省级 是，省奖 否）',
      '认定层次 2：C类',
    ])
    expect(explanationLines('')).toEqual([])
    expect(explanationLines(null)).toEqual([])
  })
  it('asks for a reason when not recognising', () => {
    expect(checkDecision(false, ' ')).toBe('不予认定须写明理由')
    expect(checkDecision(true, '')).toBeNull()
    expect(checkDecision(true, 'x'.repeat(501))).toBe('认定意见不超过500字')
  })
})

describe('review rounds of talent applications', () => {
  it('scores out of 100 by default', () => {
    const f = defaultTalentForm()
    expect(f.map((c) => [c.label, c.max])).toEqual([
      ['学术水平/创新能力', 30],
      ['代表性成果', 30],
      ['对本地产业贡献预期', 25],
      ['团队与条件', 15],
    ])
    expect(formMax(f)).toBe(100)
    expect(new Set(f.map((c) => c.key)).size).toBe(4)
    for (const c of f) expect(c.key).toMatch(/^[a-z_]+$/)
  })
  it('builds the request with the round', () => {
    const f = emptyReviewForm(2026)
    f.due_on = '2026-07-01'
    const r = reviewInput([3, 4], f)
    expect(r.application_ids).toEqual([3, 4])
    expect(r.round).toMatchObject({ title: '2026年度高层次人才认定专家评审', object_kind: 'talent_application', reviewers_per_item: 3, due_on: '2026-07-01' })
    expect(r.round.form).toHaveLength(4)
    expect(reviewInput([1], { ...f, due_on: '' }).round.due_on).toBeNull()
  })
  it('checks the round before sending', () => {
    const f = emptyReviewForm(2026)
    expect(checkReviewForm([1], f, '2026-06-01')).toEqual([])
    expect(checkReviewForm([], { ...f, title: ' ', due_on: '2026-05-01', form: [{ key: 'x', label: '', max: 0 }] }, '2026-06-01')).toEqual([
      '请选择要评审的申请',
      '评审名称不能为空',
      '截止日期不能早于今天',
      '第1项评分指标名称不能为空',
      '第1项评分指标满分应大于0',
    ])
  })
  it('tells talent items from project applications', () => {
    expect(talentApplicationOf('talent_application:12')).toBe(12)
    expect(talentApplicationOf('application:12')).toBeNull()
    expect(reviewObjectKind('application:7')).toBe('application')
    expect(reviewObjectKind('talent_application:7')).toBe('talent')
    expect(reviewObjectKind(null)).toBeNull()
    expect(reviewObjectKind('其他')).toBeNull()
  })
})

describe('talents', () => {
  it('sums the support received, refused grants not counted', () => {
    expect(supportTotals([
      { amount_fen: 50_000_000, paid_fen: 20_000_000, status: 'approved' },
      { amount_fen: 10_000_000, paid_fen: 0, status: 'refused' },
    ])).toEqual({ amount_fen: 50_000_000, paid_fen: 20_000_000 })
  })
  it('counts the days a recognition has left', () => {
    expect(daysLeft('2031-05-31', '2031-05-01')).toBe(30)
    expect(daysLeft('2026-01-01', '2026-01-02')).toBe(-1)
    expect(daysLeft('', '2026-01-02')).toBeNull()
  })
})

describe('teams', () => {
  it('checks and normalizes a team', () => {
    const t = emptyTeamInput(2026)
    expect(t.level).toBe('city')
    expect(checkTeam(t).map((p) => p.field)).toEqual(['name', 'host_org_id', 'leader_id', 'field'])
    const n = normalizeTeamInput({ ...t, name: ' 团队 ', leader_id: 4, members: [4, 5, 5, 6] })
    expect(n.members).toEqual([5, 6])
    expect(n.name).toBe('团队')
  })
})

describe('work stations', () => {
  it('sends scholars to scholar stations and academicians to academician stations', () => {
    expect(stationTypeOf('scholar')).toBe('scholar_workstation')
    expect(stationTypeOf('active_academician')).toBe('academician_workstation')
    expect(stationTypeOf('retired_academician')).toBe('academician_workstation')
  })
  it('asks a scholar for the birth date and checks the contract', () => {
    const i = { ...emptyStationInput(), person_id: 1, role: 'scholar', contract_from: '2026-01-01', contract_to: '2025-12-31', onsite_days: 30 }
    expect(checkStation(i, 'scholar_workstation').map((p) => p.message)).toEqual(['协议结束日期必须晚于开始日期', '中原学者进站须填写出生日期'])
    expect(checkStation({ ...i, contract_to: '2028-12-31', birth_date: '1975-03-02' }, 'scholar_workstation')).toEqual([])
    expect(checkStation({ ...i, contract_to: '2028-12-31', birth_date: '1975-03-02' }, 'academician_workstation').map((p) => p.field)).toEqual(['role'])
    expect(checkStation({ ...i, role: 'active_academician', contract_to: '2028-12-31', onsite_days: 400 }, null).map((p) => p.field)).toEqual(['onsite_days'])
  })
})

describe('demands', () => {
  it('splits keywords and checks a demand', () => {
    expect(splitKeywords(['湿法冶金、 铅锌', '铅锌', ' 环保 '])).toEqual(['湿法冶金', '铅锌', '环保'])
    expect(splitKeywords('a,b；c')).toEqual(['a', 'b', 'c'])
    const d = emptyDemandInput()
    expect(checkDemand(d, '2026-06-01').map((p) => p.field)).toEqual(['title', 'field', 'description', 'deadline'])
    const ok = { ...d, title: '冶炼烟气治理工程师', field: '环境工程', description: '负责烟气脱硫', deadline: '2026-09-30', keywords: ['脱硫'] }
    expect(checkDemand(ok, '2026-06-01')).toEqual([])
    expect(checkDemand({ ...ok, deadline: '2026-05-01', count: 0 }, '2026-06-01').map((p) => p.field)).toEqual(['count', 'deadline'])
    expect(normalizeDemandInput({ ...ok, keywords: ['脱硫、脱硝'] }).keywords).toEqual(['脱硫', '脱硝'])
  })
  it('offers the title levels but 无', () => {
    expect(DEMAND_TITLE_LEVELS.map((d) => d.value)).toEqual(TITLE_LEVELS.filter((d) => d.value !== 'none').map((d) => d.value))
  })
  it('colours the matches and spots shortfalls', () => {
    expect(matchTagType(85)).toBe('success')
    expect(matchTagType(40)).toBe('primary')
    expect(matchTagType(15)).toBe('info')
    expect(reasonIsShortfall('职称未达要求（需正高级）')).toBe(true)
    expect(reasonIsShortfall('专业领域相符：需求“环境工程”，人才“环境工程”')).toBe(false)
  })
})
