import { describe, expect, it } from 'vitest'
import type { RuleFileEvaluation, RuleFileRow, RulePack, RuleRunSummary, RuleYearInput } from '@/api/types'
import {
  amountRows, buildFigures, entitlementItemText, categoryChartOption, compareYuan, fieldErrors, fileCounts, fileResultName, fileSummaryText, formatAmount,
  formatWanYuan, formatYuan, groupDigits, groupInputs, isFiguresFile, isPoolKey, labelOf, latestYear, missingLabel, normalizeNumber, offsetYearLabel, outputLabel, outputRows, outputText,
  packVersionLabel, poolLabel, poolOptions, poolShort, prefillFromRegistry, prefillNote, qualifiedTag, regionShort, runSummaryText, sameFigure, sumYuan,
} from '@/utils/rules'

/** tech-sme as GET /rules/packs lists it (inputs shortened). */
const techSme: RulePack = {
  id: 'tech-sme',
  name: '科技型中小企业评价',
  source: '国科发政〔2017〕115号',
  valid: '2017-05-03起',
  version: '03ec5d795903',
  inputs: [
    { name: 'employees', label: '职工总数', optional: false, kind: 'count' },
    { name: 'revenue', label: '销售收入', optional: false, kind: 'money' },
    { name: 'serious_violation', label: '重大安全质量事故或严重违法失信', optional: false, kind: 'flag' },
  ],
  outputs: [
    { name: 'size_ok', label: '规模条件' },
    { name: 'integrity_ok', label: '诚信与安全条件' },
    { name: 'score', label: '综合评价得分' },
    { name: 'score_ok', label: '评价得分条件' },
    { name: 'qualified', label: '是否符合科技型中小企业条件' },
  ],
  pools: [
    { name: 'pool_near', label: '培育库：综合评价50–59分' },
    { name: 'pool_staff', label: '培育库：得分达标但科技人员指标为0分' },
  ],
}

/** A pack without pools (rd-deduction). */
const rdDeduction: RulePack = {
  id: 'rd-deduction', name: '研发费用加计扣除', source: '', valid: '2018-01-01起', version: 'v', inputs: [],
  outputs: [{ name: 'eligible', label: '适用加计扣除' }, { name: 'deduction', label: '加计扣除额' }],
  pools: [],
}

/** Part of GET /rules/packs/hnte/inputs?year=2024, in the server's order. */
const hnte2024: RuleYearInput[] = [
  { key: 'employees', name: 'employees', label: '职工总数', kind: 'count', optional: false, offset: 0 },
  { key: 'revenue', name: 'revenue', label: '销售收入', kind: 'money', optional: false, offset: 0 },
  { key: 'revenue@-1', name: 'revenue', label: '销售收入（上一年度）', kind: 'money', optional: false, offset: -1 },
  { key: 'revenue@-2', name: 'revenue', label: '销售收入（前2年度）', kind: 'money', optional: false, offset: -2 },
  { key: 'rd_expense', name: 'rd_expense', label: '研发费用总额', kind: 'money', optional: false, offset: 0 },
  { key: 'rd_expense@-1', name: 'rd_expense', label: '研发费用总额（上一年度）', kind: 'money', optional: false, offset: -1 },
  { key: 'serious_violation', name: 'serious_violation', label: '重大安全质量事故或严重环境违法', kind: 'flag', optional: false, offset: 0 },
  { key: 'ht_domain', name: 'ht_domain', label: '核心技术属于国家重点支持的高新技术领域', kind: 'flag', optional: true, offset: 0 },
]

describe('the 政策试算 form', () => {
  it('groups the figures by year: the year itself, then the year before, then two years before', () => {
    const g = groupInputs(hnte2024)
    expect(g.map((x) => x.offset)).toEqual([0, -1, -2])
    expect(g[0].inputs.map((i) => i.key)).toEqual(['employees', 'revenue', 'rd_expense', 'serious_violation', 'ht_domain'])
    expect(g[1].inputs.map((i) => i.key)).toEqual(['revenue@-1', 'rd_expense@-1'])
    expect(g[2].inputs.map((i) => i.label)).toEqual(['销售收入（前2年度）'])
    expect(groupInputs([...hnte2024].reverse()).map((x) => x.offset)).toEqual([0, -1, -2])
    expect(groupInputs([])).toEqual([])
  })
  it('titles each group with its year', () => {
    expect(offsetYearLabel(2024, 0)).toBe('2024年（本年度）')
    expect(offsetYearLabel(2024, -1)).toBe('2023年（上一年度）')
    expect(offsetYearLabel(2024, -2)).toBe('2022年（前2年度）')
  })
  it('sends flags as 是/否, numbers as typed under their keys, and leaves out what is empty', () => {
    const f = buildFigures(hnte2024, {
      employees: ' 50 ',
      revenue: '4,000万',
      'revenue@-1': '３５００万',
      'revenue@-2': '',
      serious_violation: false,
      ht_domain: true,
      unrelated: '1',
    })
    expect(f).toEqual({ employees: '50', revenue: '4000万', 'revenue@-1': '3500万', serious_violation: '否', ht_domain: '是' })
  })
  it('a cleared flag (null) is missing, not 否', () => {
    expect(buildFigures(hnte2024, { serious_violation: null, ht_domain: undefined })).toEqual({})
  })
  it('leaves bad numbers for the server to report', () => {
    expect(buildFigures(hnte2024, { employees: 'abc' })).toEqual({ employees: 'abc' })
    expect(normalizeNumber('１，２３４．５ 万')).toBe('1234.5万')
    expect(normalizeNumber('６０％')).toBe('60%')
  })
  it('puts the server\'s messages beside their fields, without the label the field already shows', () => {
    const problems = [
      { field: 'employees', code: 'number.format', message: '职工总数：“五十人”不是数字' },
      { field: 'revenue@-1', code: 'number.format', message: '销售收入（上一年度）：“x”不是数字' },
      { field: 'ht_domain', code: 'flag.format', message: '核心技术属于国家重点支持的高新技术领域：“maybe”应为 是/否' },
      { field: 'foo', code: 'rules.input_unknown', message: '“foo”不是该政策包在2024年度评价所用的数据' },
      { field: 'year', code: 'rules.year', message: '不适用于2010年' },
    ]
    expect(fieldErrors(problems, hnte2024)).toEqual({
      employees: '“五十人”不是数字',
      'revenue@-1': '“x”不是数字',
      ht_domain: '“maybe”应为 是/否',
    })
    // A message without the label is kept whole; two for one field are joined.
    expect(fieldErrors([
      { field: 'revenue', code: 'a', message: '须为正数' },
      { field: 'revenue', code: 'b', message: '销售收入：过大' },
    ], hnte2024)).toEqual({ revenue: '须为正数；过大' })
  })
})

describe('labels', () => {
  it('labels outputs and pools by the pack\'s own lists, unknown names by themselves', () => {
    expect(labelOf(techSme.outputs, 'size_ok')).toBe('规模条件')
    expect(labelOf(undefined, 'size_ok')).toBe('size_ok')
    expect(outputLabel(techSme, 'qualified')).toBe('是否符合科技型中小企业条件')
    expect(outputLabel(techSme, 'new_output')).toBe('new_output')
    expect(outputLabel(undefined, 'qualified')).toBe('qualified')
    expect(poolLabel(techSme, 'pool_near')).toBe('培育库：综合评价50–59分')
    expect(poolShort(poolLabel(techSme, 'pool_near'))).toBe('综合评价50–59分')
    expect(poolLabel(techSme, 'pool_new')).toBe('pool_new')
    expect(poolLabel(rdDeduction, 'pool_near')).toBe('pool_near')
  })
  it('knows pools by the pack\'s list only', () => {
    expect(isPoolKey(techSme, 'pool_staff')).toBe(true)
    expect(isPoolKey(techSme, 'size_ok')).toBe(false)
    expect(isPoolKey(rdDeduction, 'pool_near')).toBe(false)
    expect(isPoolKey(undefined, 'pool_near')).toBe(false)
  })
  it('offers the pack\'s pools as filter options, in the pack\'s order', () => {
    expect(poolOptions(techSme)).toEqual([
      { value: 'pool_near', label: '培育库：综合评价50–59分' },
      { value: 'pool_staff', label: '培育库：得分达标但科技人员指标为0分' },
    ])
    expect(poolOptions(rdDeduction)).toEqual([])
    expect(poolOptions(undefined)).toEqual([])
  })
  it('lists outputs qualified and score first, then in the pack\'s order, without pools, in words', () => {
    const rows = outputRows(techSme, { size_ok: true, pool_near: true, pool_staff: false, score_ok: false, score: 56, qualified: false, integrity_ok: null, extra: 1 })
    expect(rows).toEqual([
      { key: 'qualified', label: '是否符合科技型中小企业条件', value: '否' },
      { key: 'score', label: '综合评价得分', value: '56' },
      { key: 'size_ok', label: '规模条件', value: '是' },
      { key: 'integrity_ok', label: '诚信与安全条件', value: '缺少数据' },
      { key: 'score_ok', label: '评价得分条件', value: '否' },
      { key: 'extra', label: 'extra', value: '1' },
    ])
    expect(outputRows(rdDeduction, { deduction: '150000', eligible: true }).map((r) => r.label)).toEqual(['适用加计扣除', '加计扣除额'])
    expect(outputText(true)).toBe('是')
  })
  it('tags 是否符合 with three states', () => {
    expect(qualifiedTag(true)).toEqual({ label: '符合', type: 'success' })
    expect(qualifiedTag(false)).toEqual({ label: '不符合', type: 'danger' })
    expect(qualifiedTag(null)).toEqual({ label: '待定', type: 'warning' })
  })
  it('names missing inputs of earlier years with the year', () => {
    const m = { input: 'revenue', label: '销售收入', needed_by: ['近三年销售收入总额'], year_offset: -1 }
    expect(missingLabel(m, 2024)).toBe('销售收入（2023年）')
    expect(missingLabel({ ...m, year_offset: 0 }, 2024)).toBe('销售收入')
  })
  it('says what a run did in one sentence, with the pack\'s pool labels', () => {
    const s: RuleRunSummary = { pack: 'tech-sme', pack_version: '03ec', year: 2025, evaluated: 2400, qualified: 76, undetermined: 0, pools: { pool_near: 7, pool_staff: 2 } }
    expect(runSummaryText(s, techSme)).toBe('2025年度共评价 2,400 家企业，符合条件 76 家，待定（缺少数据）0 家；培育库：综合评价50–59分 7 家，得分达标但科技人员指标为0分 2 家。')
    expect(runSummaryText({ ...s, pools: { pool_x: 1 } }, techSme)).toContain('培育库：pool_x 1 家')
    expect(runSummaryText({ ...s, pools: {} }, techSme)).toContain('无企业进入培育库')
  })
})

describe('amounts', () => {
  it('formats exact yuan with thousands separators', () => {
    expect(formatYuan('4250000')).toBe('4,250,000 元')
    expect(formatYuan('1234.50')).toBe('1,234.5 元')
    expect(formatYuan('0')).toBe('0 元')
    expect(formatYuan('不是数')).toBe('不是数')
  })
  it('moves the decimal point by four for 万元 without rounding', () => {
    expect(formatWanYuan('4250000')).toBe('425 万元')
    expect(formatWanYuan('12345')).toBe('1.2345 万元')
    expect(formatWanYuan('800')).toBe('0.08 万元')
    expect(formatWanYuan('123456789012345678.01')).toBe('12,345,678,901,234.567801 万元')
    expect(formatWanYuan('-50000')).toBe('-5 万元')
  })
  it('uses 万元 from ten thousand up', () => {
    expect(formatAmount('200000')).toBe('20 万元')
    expect(formatAmount('9999')).toBe('9,999 元')
    expect(formatAmount('10000')).toBe('1 万元')
  })
  it('sums exactly where floating point would not', () => {
    expect(sumYuan(['0.1', '0.2'])).toBe('0.3')
    expect(sumYuan(['2800000', '1450000'])).toBe('4250000')
    expect(sumYuan(['9007199254740993', '1'])).toBe('9007199254740994')
    expect(sumYuan(['100', '-250.5'])).toBe('-150.5')
    expect(sumYuan([])).toBe('0')
  })
  it('compares and orders amounts exactly', () => {
    expect(compareYuan('9007199254740993', '9007199254740992')).toBe(1)
    expect(compareYuan('100.5', '100.50')).toBe(0)
    expect(compareYuan('-1', '0.01')).toBe(-1)
    expect(amountRows({ 乙: '900', 甲: '1450000', 丙: '1450000', 丁: '10000' }).map((r) => r.name)).toEqual(['丙', '甲', '丁', '乙'])
  })
  it('charts categories in 万元, largest first', () => {
    const o = categoryChartOption({ 研发平台: '1450000', 高新技术企业认定: '2800000' })
    expect(o.yAxis.data).toEqual(['高新技术企业认定', '研发平台'])
    expect(o.series[0].data).toEqual([280, 145])
  })
})

describe('批量试算', () => {
  const row = (credit_code: string, outputs: RuleFileRow['outputs'], problems: string[] = []): RuleFileRow => ({
    credit_code, name: '', outputs, pools: [], missing: [], gaps: [], problems, explanation_text: '',
  })
  /** POST /rules/evaluate-file for the three-enterprise file of the browser test. */
  const ev: RuleFileEvaluation = {
    pack: 'tech-sme', version: '03ec5d795903', year: 2024, evaluated: 3, qualified: 1,
    without_year: ['91419001MA0000003W'],
    rows: [
      row('91419001MA0000001N', { qualified: true, score: 80, pool_near: false }),
      row('91419001MA0000002R', { qualified: null, score: null, pool_near: null }, ['科技人员数（2024年）“十个”不是数字']),
      row('91419001MA0000004X', { qualified: false, score: 52, pool_near: true }),
    ],
  }
  it('takes only xlsx and csv files', () => {
    expect(isFiguresFile('企业数据.xlsx')).toBe(true)
    expect(isFiguresFile('DATA.CSV')).toBe(true)
    expect(isFiguresFile('数据.xls')).toBe(false)
    expect(isFiguresFile('数据.csv.txt')).toBe(false)
  })
  it('names the export by pack and year', () => {
    expect(fileResultName('tech-sme', 2024)).toBe('批量试算_tech-sme_2024.xlsx')
  })
  it('counts qualified, not qualified, undecided and bad rows', () => {
    expect(fileCounts(ev)).toEqual({ evaluated: 3, qualified: 1, notQualified: 1, undetermined: 1, withProblems: 1, withoutYear: 1 })
    // A pack without a `qualified` output has nothing undecided.
    expect(fileCounts({ ...ev, qualified: 0, without_year: [], rows: [row('a', { eligible: null })] }).undetermined).toBe(0)
  })
  it('summarises the file in one sentence', () => {
    expect(fileSummaryText(ev)).toBe(
      '2024年度共试算 3 家企业，符合条件 1 家，不符合 1 家，待定（缺少数据）1 家；1 家有无法识别的数据（按缺少数据处理）；另有 1 家没有2024年度的数据，未试算。',
    )
    expect(fileSummaryText({ ...ev, evaluated: 1, without_year: [], rows: [ev.rows[0]] })).toBe('2024年度共试算 1 家企业，符合条件 1 家，不符合 0 家，待定（缺少数据）0 家。')
  })
})

/** Part of GET /rules/packs/tech-sme/inputs?year=2025. */
const techSme2025: RuleYearInput[] = [
  { key: 'employees', name: 'employees', label: '职工总数', kind: 'count', optional: false, offset: 0 },
  { key: 'revenue', name: 'revenue', label: '销售收入', kind: 'money', optional: false, offset: 0 },
  { key: 'hte_valid', name: 'hte_valid', label: '高企资格有效', kind: 'flag', optional: true, offset: 0 },
  { key: 'serious_violation', name: 'serious_violation', label: '重大安全质量事故或严重违法失信', kind: 'flag', optional: false, offset: 0 },
]

/** qiye's registry years as GET /enterprise-years?org_id= lists them (shortened). */
const qiyeYears = [
  { year: 2025, figures: { employees: 974, revenue: '473663800', rd_expense: '19420200', hte_valid: true, serious_violation: false } },
  { year: 2024, figures: { employees: 938, revenue: '440951500', rd_expense: '18079000', hte_valid: true, serious_violation: false } },
  { year: 2023, figures: { employees: 900, revenue: '400000000.5' } },
]

describe('政策试算 prefilled from the registry', () => {
  it('finds the latest year the registry has', () => {
    expect(latestYear(qiyeYears)).toBe(2025)
    expect(latestYear([...qiyeYears].reverse())).toBe(2025)
    expect(latestYear([])).toBeNull()
  })
  it('fills every figure of the year, flags as 是/否 (false is an answer, not a blank), amounts with separators', () => {
    const p = prefillFromRegistry(techSme2025, 2025, qiyeYears)
    expect(p.values).toEqual({ employees: '974', revenue: '473,663,800', hte_valid: true, serious_violation: false })
    expect(p.unknown).toEqual([])
    expect(p.years).toEqual([2025])
    // What the form then sends is what the registry says: nothing is left for the server to call missing.
    expect(buildFigures(techSme2025, p.values)).toEqual({ employees: '974', revenue: '473663800', hte_valid: '是', serious_violation: '否' })
  })
  it('reads the years before for `name@offset`, and 成立年份 from the founding date', () => {
    const p = prefillFromRegistry(hnte2024.concat([{ key: 'founded_year', name: 'founded_year', label: '成立年份', kind: 'number', optional: true, offset: 0 }]), 2024, qiyeYears, '2009-03-17')
    expect(p.values['revenue@-1']).toBe('400,000,000.5')
    expect(p.values['rd_expense@-1']).toBeUndefined()
    expect(p.values['revenue@-2']).toBeUndefined()
    expect(p.values.founded_year).toBe('2009')
    expect(p.years).toEqual([2024, 2023])
    expect(p.unknown.map((f) => f.label)).toEqual(['销售收入（前2年度）', '研发费用总额（上一年度）', '核心技术属于国家重点支持的高新技术领域'])
  })
  it('leaves a flag the registry does not know unanswered, not 否', () => {
    const p = prefillFromRegistry(techSme2025, 2023, qiyeYears)
    expect('serious_violation' in p.values).toBe(false)
    expect(p.unknown.map((f) => f.key)).toEqual(['hte_valid', 'serious_violation'])
    expect(prefillFromRegistry(techSme2025, 2025, [{ year: 2025, figures: { serious_violation: '否', hte_valid: 'x' } }]).values).toEqual({ serious_violation: false })
  })
  it('says whose figures of which year fill the form, and that they may be changed', () => {
    const name = '济源国泰环保有限责任公司'
    expect(prefillNote(name, 2025, prefillFromRegistry(techSme2025, 2025, qiyeYears))).toBe(`已按登记库中${name}2025年度的数据预填，可修改后试算（只试算，不改动登记库）。`)
    expect(prefillNote(name, 2024, prefillFromRegistry(hnte2024, 2024, qiyeYears))).toBe(`已按登记库中${name}2024年度及2023年度的数据预填，可修改后试算（只试算，不改动登记库）。`)
    expect(prefillNote(name, 2030, prefillFromRegistry(techSme2025, 2030, qiyeYears))).toBe(`登记库中没有${name}2030年度的数据，请手工填写。`)
  })
  it('tells a changed figure from the registry\'s own, whatever the separators', () => {
    expect(sameFigure('473,663,800', '473663800')).toBe(true)
    expect(sameFigure('47366.38万', '473,663,800')).toBe(false)
    expect(sameFigure(false, false)).toBe(true)
    expect(sameFigure(true, false)).toBe(false)
    expect(sameFigure(undefined, false)).toBe(false)
    expect(groupDigits('1234567')).toBe('1,234,567')
    expect(groupDigits('4000万')).toBe('4000万')
  })
})

describe('pack versions and regions in words', () => {
  it('names the pack and since when it applies; the hash only in the tooltip', () => {
    const l = packVersionLabel(techSme, '03ec5d795903')
    expect(l).toEqual({ text: '科技型中小企业评价（2017-05-03起施行）', valid: '2017-05-03起施行', tip: '规则版本标识：03ec5d795903', current: true })
    expect(l.text).not.toMatch(/[0-9a-f]{6,}/)
  })
  it('says a result of an earlier version was computed with the rules before their revision', () => {
    const l = packVersionLabel(techSme, 'aaaa11112222')
    expect(l.current).toBe(false)
    expect(l.text).toBe('科技型中小企业评价（规则修订前的版本）')
    expect(l.tip).toBe('规则版本标识：aaaa11112222；现行版本标识：03ec5d795903')
    expect(packVersionLabel({ ...techSme, valid: '2020-01-01至2024-12-31' }, techSme.version).text).toBe('科技型中小企业评价（有效期 2020-01-01至2024-12-31）')
    expect(packVersionLabel(undefined, 'abc').text).toBe('已停用的政策包')
  })
  it('lists a 免申即享 item without repeating the enterprise name', () => {
    expect(entitlementItemText({ org_name: '济源克井能源股份有限公司', item: '济源克井能源股份有限公司 认定为高新技术企业' })).toBe('认定为高新技术企业')
    expect(entitlementItemText({ org_name: '甲公司', item: '省级工程技术研究中心' })).toBe('省级工程技术研究中心')
    expect(entitlementItemText({ org_name: '甲公司', item: '甲公司' })).toBe('甲公司')
  })
  it('shows a region by its name, never its code', () => {
    expect(regionShort('河南省/省直辖县级行政区划/济源市')).toBe('济源市')
    expect(regionShort('')).toBe('—')
  })
})
