import { describe, expect, it } from 'vitest'
import type { PlatformReport } from '@/api/types'
import { GRADUATION_CRITERIA, PLATFORM_GRADES, label, tagType } from '@/utils/dict'
import {
  checkDecideRecognition, checkEvaluation, checkIncubatee, checkLeave, checkRecognition, checkReport, conditionMark, editable, emptyEvaluationForm,
  emptyRecognitionForm, emptyReportInput, evaluable, evaluationInput, explanationLines, figureText, hasUpgradePack, inputFromReport, isCarrierType,
  levelStep, normalizeReportInput, plainNumber, progressPct, qualifiedTag, recognitionInput, roundsToGrade, upgradeGaps,
} from '@/utils/platforms'
import { reviewObjectKind, reviewReadLabel } from '@/utils/talents'

function report(over: Partial<PlatformReport> = {}): PlatformReport {
  return {
    id: 7, platform_id: 3, platform_name: '济源市有色金属冶炼工程技术研究中心', platform_type: 'engineering_research_center', platform_type_label: '工程技术研究中心',
    level: 'city', level_label: '市级', host_org_id: 2, host_org_name: '济源国泰环保有限责任公司', region_code: '419001', year: 2025, staff: 40, senior_staff: 8,
    rd_staff: 20, rd_spending: '2100000.00', income: '30000000.00', equipment_value: '5000000.00', area: '1200.50', projects: 3, patents: 6, papers: 2, standards: 1,
    transfers: 2, summary: '年度总结', carrier: false, incubating: null, graduated: null, seed_fund: null, mentors: null, status: 'draft', status_label: '草稿',
    submitted_on: null, round_id: null, round_title: null, round_status: null, score: null, grade: null, grade_label: null, consequence: null, explanation: '', rule: '',
    graded_on: null, updated_at: 0, ...over,
  }
}

describe('the yearly report', () => {
  it('knows the carrier types', () => {
    expect(isCarrierType('incubator')).toBe(true)
    expect(isCarrierType('university_science_park')).toBe(true)
    expect(isCarrierType('key_laboratory')).toBe(false)
    expect(isCarrierType(null)).toBe(false)
  })
  it('round-trips a draft and sends amounts without separators, carrier figures only for a carrier', () => {
    const i = inputFromReport(report())
    i.rd_spending = '2,100,000.00'
    i.summary = '  总结  '
    const out = normalizeReportInput(i, false)
    expect(out.rd_spending).toBe('2100000.00')
    expect(out.summary).toBe('总结')
    expect('seed_fund' in out).toBe(false)
    expect('mentors' in out).toBe(false)
    const carrier = normalizeReportInput({ ...i, seed_fund: '5,000,000', mentors: 12 }, true)
    expect(carrier.seed_fund).toBe('5000000')
    expect(carrier.mentors).toBe(12)
    expect(carrier.service_staff).toBe(0)
  })
  it('checks what the server checks, in its words', () => {
    const ok = { ...emptyReportInput(3, 2025), staff: 10, senior_staff: 2, rd_staff: 5, summary: '总结' }
    expect(checkReport(ok, false, 2026)).toEqual([])
    const bad = checkReport({ ...ok, platform_id: 0, year: 2027, senior_staff: 12, rd_spending: '12.345', area: '-3', summary: ' ' }, false, 2026)
    expect(bad.map((p) => p.field)).toEqual(['platform_id', 'year', 'senior_staff', 'rd_spending', 'area', 'summary'])
    expect(bad.find((p) => p.field === 'senior_staff')?.message).toBe('高级职称或博士人员、研发人员不能多于固定人员')
    expect(bad.find((p) => p.field === 'year')?.message).toBe('年报年度应在2000至2026之间')
    expect(checkReport({ ...ok, seed_fund: 'abc' }, true, 2026).map((p) => p.field)).toEqual(['seed_fund'])
    expect(checkReport({ ...ok, seed_fund: 'abc' }, false, 2026)).toEqual([])
  })
  it('shows figures with their units', () => {
    expect(figureText('2100000.00', { unit: '元', kind: 'money' })).toBe('2,100,000.00 元')
    expect(figureText('1200.50', { unit: 'm²', kind: 'area' })).toBe('1,200.5 m²')
    expect(figureText(12, { unit: '人', kind: 'count' })).toBe('12 人')
    expect(figureText(null, { unit: '人', kind: 'count' })).toBe('—')
    expect(plainNumber(' 1，200 ')).toBe('1200')
  })
})

describe('evaluation', () => {
  it('puts only submitted reports into a round and edits only drafts', () => {
    expect(evaluable(report({ status: 'submitted' }))).toBe(true)
    expect(evaluable(report({ status: 'draft' }))).toBe(false)
    expect(editable(report({ status: 'draft' }))).toBe(true)
    expect(editable(report({ status: 'reviewing' }))).toBe(false)
  })
  it('lists the closed rounds whose reports wait for 评定等级', () => {
    const rows = [
      report({ id: 1, status: 'reviewing', round_id: 9, round_title: '2025年度绩效评价', round_status: 'closed' }),
      report({ id: 2, status: 'reviewing', round_id: 9, round_title: '2025年度绩效评价', round_status: 'closed' }),
      report({ id: 3, status: 'reviewing', round_id: 10, round_title: '进行中', round_status: 'published' }),
      report({ id: 4, status: 'graded', round_id: 8, round_title: '已定级', round_status: 'closed' }),
    ]
    expect(roundsToGrade(rows)).toEqual([{ round_id: 9, round_title: '2025年度绩效评价', count: 2 }])
  })
  it('builds the round request and checks it', () => {
    const f = emptyEvaluationForm(2025)
    expect(f.title).toBe('2025年度创新平台绩效评价')
    expect(checkEvaluation([1, 2], f, '2026-03-01')).toEqual([])
    expect(checkEvaluation([], { ...f, title: '', due_on: '2026-01-01' }, '2026-03-01')).toEqual(['请选择已提交的年报', '评价名称不能为空', '截止日期不能早于今天'])
    expect(evaluationInput([1, 2], f)).toEqual({ title: '2025年度创新平台绩效评价', year: 2025, report_ids: [1, 2], reviewers_per_item: 3, disciplines: ['管理科学与工程'] })
    expect(evaluationInput([1], { ...f, due_on: '2026-04-01' }).due_on).toBe('2026-04-01')
  })
  it('colours grades as the spec says', () => {
    expect(PLATFORM_GRADES.map((d) => [d.value, d.label, d.type])).toEqual([
      ['excellent', '优秀', 'success'], ['good', '良好', 'primary'], ['pass', '合格', 'info'], ['fail', '不合格', 'danger'],
    ])
    expect(tagType(PLATFORM_GRADES, 'fail')).toBe('danger')
  })
})

describe('recognitions', () => {
  it('sends an existing platform by id and a new one by name, type and host', () => {
    const f = { ...emptyRecognitionForm(5), platform_id: 3, level: 'provincial', summary: ' 升级 ' }
    expect(recognitionInput(f)).toEqual({ platform_id: 3, level: 'provincial', summary: '升级' })
    expect(recognitionInput({ ...f, mode: 'new', name: ' 新平台 ', platform_type: 'key_laboratory' })).toEqual({
      name: '新平台', platform_type: 'key_laboratory', host_org_id: 5, level: 'provincial', summary: '升级',
    })
  })
  it('refuses an internal level and asks for what is missing', () => {
    expect(checkRecognition({ ...emptyRecognitionForm(), level: 'internal' }).map((p) => p.message)).toEqual([
      '请选择平台', '企业内部平台无需认定，请选择县级及以上级别', '申报说明不能为空',
    ])
    expect(checkRecognition({ ...emptyRecognitionForm(), mode: 'new', level: 'city', summary: 'x' }).map((p) => p.field)).toEqual(['name', 'platform_type', 'host_org_id'])
  })
  it('needs a document and a date to recognize, a reason to refuse', () => {
    const today = '2026-03-01'
    expect(checkDecideRecognition({ recognize: true, document: '', recognized_on: '2026-03-02', note: '' }, today).map((p) => p.field)).toEqual(['document', 'recognized_on'])
    expect(checkDecideRecognition({ recognize: true, document: '济科〔2026〕1号', recognized_on: today, note: '' }, today)).toEqual([])
    expect(checkDecideRecognition({ recognize: false, document: '', recognized_on: '', note: '' }, today)[0].message).toBe('不予认定须写明理由')
    expect(levelStep('市级', '省级')).toBe('市级 → 省级')
    expect(levelStep(null, '市级')).toBe('市级')
  })
})

describe('conditions and carriers', () => {
  it('marks conditions ✓ ✗ and unknown', () => {
    expect(conditionMark(true)).toEqual({ sign: '✓', label: '符合', type: 'success' })
    expect(conditionMark(false).sign).toBe('✗')
    expect(conditionMark(null).label).toBe('未知')
    expect(qualifiedTag(null).type).toBe('info')
    expect(progressPct(3, 4)).toBe(75)
    expect(progressPct(1, 0)).toBe(0)
    expect(explanationLines('研发投入：符合；专利：不符合\n场地：未知')).toEqual(['研发投入：符合', '专利：不符合', '场地：未知'])
    expect(explanationLines('评为优秀。结果运用：纳入奖补（平台绩效评价优秀）')).toEqual(['评为优秀。', '结果运用：纳入奖补（平台绩效评价优秀）'])
  })
  it('lists the gaps, else the sentences of the conditions not met', () => {
    const c = (met: boolean | null, text: string) => ({ name: 'x', label: 'x', met, value: '', text, source: null })
    expect(upgradeGaps({ gaps: ['研发投入还差105万元'], conditions: [c(false, 'a')] })).toEqual(['研发投入还差105万元'])
    expect(upgradeGaps({ gaps: [], conditions: [c(true, '专利：符合'), c(false, '场地：不符合'), c(null, '收入：未知')] })).toEqual(['场地：不符合'])
  })
  it('asks for an upgrade only where a pack applies', () => {
    expect(hasUpgradePack('engineering_research_center', 'city')).toBe(true)
    expect(hasUpgradePack('engineering_research_center', 'provincial')).toBe(false)
    expect(hasUpgradePack('incubator', 'provincial')).toBe(true)
    expect(hasUpgradePack('incubator', 'national')).toBe(false)
    expect(hasUpgradePack('maker_space', 'city')).toBe(false)
  })
  it('checks incubatees and their leaving', () => {
    const today = '2026-03-01'
    expect(checkIncubatee({ org_id: 0, entered_on: '2026-04-01', note: '' }, today).map((p) => p.field)).toEqual(['org_id', 'entered_on'])
    expect(checkLeave({ on: today, criterion: '' }, true, today)[0].message).toBe('请选择毕业条件')
    expect(checkLeave({ on: today, reason: '' }, false, today)[0].message).toBe('退出须写明原因')
    expect(checkLeave({ on: today, criterion: 'hnte' }, true, today)).toEqual([])
    expect(label(GRADUATION_CRITERIA, 'hnte')).toBe('经国家备案的高新技术企业')
  })
  it('lets an expert read a platform report under review', () => {
    expect(reviewObjectKind('platform_report:12')).toBe('platform_report')
    expect(reviewReadLabel('platform_report:12')).toBe('查看年报')
    expect(reviewReadLabel('talent_application:3')).toBe('查看申请材料')
    expect(reviewReadLabel('application:3')).toBe('查看申报书')
  })
})
