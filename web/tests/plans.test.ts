import { describe, expect, it } from 'vitest'
import type { IndicatorLibrary, IndicatorProgress, PlanTarget, Progress, TargetProgress } from '@/api/types'
import { label } from '@/utils/dict'
import {
  COMPARATORS, PROGRESS_STATUS, certainty, fmtOutcome, goldLines, ruleText, forecastText, groupTasks, highlighted, keyLabel, outcomePercent, progressChartOption, progressColor,
  progressRows, progressTag, segments, sha256Hex, sha256Pure, targetText, toHex,
} from '@/utils/plans'

describe('segments', () => {
  it('cuts Chinese text by code-point offsets', () => {
    const text = '规划目标：到2025年，高新技术企业达到30家。其他内容。'
    const s = segments(text, [{ id: 1, start: 5, end: 24 }])
    expect(s.map((x) => x.text)).toEqual(['规划目标：', '到2025年，高新技术企业达到30家。', '其他内容。'])
    expect(s.map((x) => x.ids)).toEqual([[], [1], []])
    expect(s.map((x) => x.text).join('')).toBe(text)
  })
  it('counts astral characters (emoji, rare 汉字) as one code point, unlike string indices', () => {
    // “𠀀” (U+20000) and “😀” are two UTF-16 units each but one char on the server.
    const text = '𠀀😀目标达到30家。'
    const s = segments(text, [{ id: 7, start: 2, end: 10 }])
    expect(s).toEqual([
      { text: '𠀀😀', start: 0, end: 2, ids: [] },
      { text: '目标达到30家。', start: 2, end: 10, ids: [7] },
    ])
  })
  it('splits overlapping and nested ranges into pieces that list every covering range', () => {
    const text = '甲乙丙丁戊己庚辛'
    const s = segments(text, [
      { id: 1, start: 1, end: 5 },
      { id: 2, start: 3, end: 7 },
      { id: 3, start: 3, end: 5 },
    ])
    expect(s.map((x) => [x.text, x.ids])).toEqual([
      ['甲', []],
      ['乙丙', [1]],
      ['丁戊', [1, 2, 3]],
      ['己庚', [2]],
      ['辛', []],
    ])
  })
  it('merges identical ranges, clamps out-of-range offsets and ignores empty ones', () => {
    const text = '一二三四'
    expect(segments(text, [{ id: 1, start: 1, end: 2 }, { id: 2, start: 1, end: 2 }]).map((x) => x.ids)).toEqual([[], [1, 2], []])
    expect(segments(text, [{ id: 1, start: 2, end: 99 }, { id: 2, start: 3, end: 3 }, { id: 3, start: 3, end: 1 }]).map((x) => [x.text, x.ids])).toEqual([
      ['一二', []],
      ['三四', [1]],
    ])
    expect(segments('', [{ id: 1, start: 0, end: 4 }])).toEqual([])
    expect(segments(text, [])).toEqual([{ text, start: 0, end: 4, ids: [] }])
  })
  it('highlights only live targets', () => {
    const t = (id: number, status: string) => ({ id, status, start: id, end: id + 1 }) as PlanTarget
    expect(highlighted([t(1, 'proposed'), t(2, 'rejected'), t(3, 'merged'), t(4, 'confirmed')]).map((r) => r.id)).toEqual([1, 4])
  })
})

describe('status mapping', () => {
  it('colors 达标 green, 正常 blue, 滞后 orange, 预警 and 未达标 red, 无数据 grey', () => {
    expect(PROGRESS_STATUS.map((s) => [s.label, progressTag(s.value)])).toEqual([
      ['达标', 'success'],
      ['正常', 'primary'],
      ['滞后', 'warning'],
      ['预警', 'danger'],
      ['未达标', 'danger'],
      ['无数据', 'info'],
    ])
    expect(progressTag(null)).toBe('info')
    expect(progressColor('warning')).toBe('#f56c6c')
    expect(progressColor('nope')).toBe('#909399')
  })
  it('labels every comparator in Chinese', () => {
    expect(COMPARATORS).toHaveLength(11)
    expect(label(COMPARATORS, 'at_least')).toBe('不低于')
    expect(label(COMPARATORS, 'multiply_by')).toBe('倍增')
  })
})

describe('formatting', () => {
  it('states targets as the plan does', () => {
    const base = { value_max: null, unit: '家' }
    expect(targetText({ ...base, comparator: 'reach', value: 150 })).toBe('达到150家')
    expect(targetText({ comparator: 'range', value: 2.5, value_max: 3, unit: '%' })).toBe('2.5–3%')
    expect(targetText({ ...base, comparator: 'approximately', value: 30 })).toBe('30家左右')
    expect(targetText({ ...base, comparator: 'multiply_by', value: 2 })).toBe('较基期翻一番')
    expect(targetText({ ...base, comparator: 'multiply_by', value: 3 })).toBe('达到基期的3倍')
    expect(targetText({ ...base, comparator: 'new', value: 1200 })).toBe('新增1,200家')
  })
  it('shows outcomes and progress-bar percents', () => {
    expect(fmtOutcome({ kind: 'value', value: 88 })).toBe('88%')
    expect(fmtOutcome({ kind: 'value', value: 81.63265 })).toBe('81.6%')
    expect(fmtOutcome({ kind: 'undefined', reason: 'no_data' })).toBe('暂无数据')
    expect(outcomePercent({ kind: 'value', value: 132.4 })).toBe(100)
    expect(outcomePercent({ kind: 'value', value: -5 })).toBe(0)
    expect(outcomePercent({ kind: 'undefined', reason: 'no_data' })).toBe(0)
  })
  it('groups tasks in board order', () => {
    const g = groupTasks([{ status: 'done' }, { status: 'todo' }, { status: '' }, { status: 'doing' }])
    expect(g.map((x) => [x.label, x.tasks.length])).toEqual([
      ['未开始', 2],
      ['进行中', 1],
      ['已完成', 1],
    ])
  })
})

describe('sha256', () => {
  const enc = (s: string) => new TextEncoder().encode(s)
  it('matches the FIPS 180-4 vectors (pure fallback)', () => {
    expect(toHex(sha256Pure(enc('')).buffer as ArrayBuffer)).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855')
    expect(toHex(sha256Pure(enc('abc')).buffer as ArrayBuffer)).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad')
    expect(toHex(sha256Pure(enc('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq')).buffer as ArrayBuffer)).toBe('248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1')
    expect(toHex(sha256Pure(new Uint8Array(1000).fill(0x61)).buffer as ArrayBuffer)).toBe('41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3')
  })
  it('hashes a Blob of Chinese text like crypto.subtle', async () => {
    const b = new Blob(['佐证材料：2025年高企认定名单'])
    const h = await sha256Hex(b)
    expect(h).toBe(toHex(sha256Pure(enc('佐证材料：2025年高企认定名单')).buffer as ArrayBuffer))
    expect(h).toBe('19d70a5099e43725638856b2e3efe36d98c9ccfdb3ce58a7f0f17171ca9e8bc5')
  })
})

const progress = (over: Partial<Progress>) =>
  ({
    target_level: 150,
    path_kind: 'linear',
    latest: { year: 2023, value: 101 },
    trajectory: [{ year: 2020, linear: 52, compound: 52 }, { year: 2025, linear: 150, compound: 150 }],
    forecast: { year: 2025, chosen: 'linear', linear: { forecast: 132.6 }, compound: null, reason_zh: '' },
    forecast_value: 133,
    ...over,
  }) as Progress
const target = (id: number, comparator: string, value: number) => ({ id, comparator, value, value_max: null, unit: '家', indicator: '高新技术企业' }) as PlanTarget
const hte = (targets: TargetProgress[]): IndicatorProgress => ({
  key: 'high_tech_enterprise_count', name: '高新技术企业数', unit: '家', decimals: 0, in_library: true,
  series: [{ year: 2020, value: 52 }, { year: 2023, value: 101 }],
  targets,
})

describe('progressChartOption', () => {
  it('draws actuals, the required path, the forecast and the target level', () => {
    const o = progressChartOption(hte([{ target: target(1, 'reach', 150), progress: progress({}), problem: null, review_hint: null }]))
    expect(o.xAxis.data).toEqual(['2020年', '2023年', '2025年'])
    expect(o.series.map((s) => s.name)).toEqual(['实际值', '目标路径', '预测', '目标值'])
    expect(o.series[0].data).toEqual([52, 101, null])
    expect(o.series[2].data).toEqual([null, 101, 133])
    expect(o.series[3].data).toEqual([150, 150, 150])
  })
  it('draws no forecast for a year that has passed', () => {
    const p = progress({ forecast: { year: 2025, chosen: null, linear: null, compound: null, reason_zh: '目标年2025年已过，不作预测' }, forecast_value: null })
    const o = progressChartOption(hte([{ target: target(1, 'reach', 150), progress: p, problem: null, review_hint: null }]))
    expect(o.series.map((s) => s.name)).toEqual(['实际值', '目标路径', '目标值'])
  })
})

describe('progress rows', () => {
  it('shows an indicator once above its targets', () => {
    const a = hte([
      { target: target(1, 'reach', 150), progress: progress({}), problem: null, review_hint: null },
      { target: target(2, 'new', 100), progress: null, problem: '“新增”目标需要基期值', review_hint: '请在“目标审核”中补充' },
    ])
    const rows = progressRows([a, { ...a, key: 'tech_sme_count', targets: [a.targets[0]] }])
    expect(rows.map((r) => [r.ind.key, r.t.target.id, r.first, r.span])).toEqual([
      ['high_tech_enterprise_count', 1, true, 2],
      ['high_tech_enterprise_count', 2, false, 2],
      ['tech_sme_count', 1, true, 1],
    ])
  })
  it('forecasts in the indicator\'s unit, never with fractions of a count', () => {
    const p = progress({ forecast_value: 300 })
    expect(forecastText({ unit: '个', decimals: 0 }, p)).toBe('按线性趋势预测2025年约300个')
    expect(forecastText({ unit: '个', decimals: 0 }, progress({ forecast_value: null }))).toBe('')
    expect(forecastText({ unit: '%', decimals: 2 }, progress({ forecast_value: 2.456 }))).toBe('按线性趋势预测2025年约2.46%')
  })
})

describe('keyLabel', () => {
  const library = { indicators: [{ key: 'high_tech_enterprise_count', name_zh: '高新技术企业数', unit: '家' }], elements: [] } as unknown as IndicatorLibrary
  it('names indicators in words, never by internal key', () => {
    expect(keyLabel('high_tech_enterprise_count', '高企', library)).toBe('库内：高新技术企业数（家）')
    expect(keyLabel('other:创新龙头企业', '核心竞争力强的创新龙头企业', library)).toBe('库外：创新龙头企业')
    expect(keyLabel('provincial_engineering_research_center_count', '省级工程技术研究中心', library)).toBe('库外：省级工程技术研究中心')
  })
})

describe('what the extractor read (issue 20)', () => {
  it('explains its rule codes in Chinese and keeps unknown ones as written', () => {
    expect(ruleText('num+unit;ind=before;cmp=达到;year=到2025年')).toBe('数值与单位；指标在数值之前；比较词“达到”；年份：“到2025年”')
    expect(ruleText('table-row;year=base/horizon')).toBe('表格行；年份：按基期年与期末年推断（无表头）')
    expect(ruleText('num+unit;year=annual-plan(标题)')).toBe('数值与单位；年份：年度文件的年份（标题）')
    expect(ruleText('num+unit;newcode')).toBe('数值与单位；newcode')
    expect(ruleText('')).toBe('（人工录入）')
  })
  it('says 存疑 only when a rule had to guess', () => {
    expect(certainty({ rule: 'num+unit', doubt: null })).toEqual({ label: '明确', type: 'success' })
    expect(certainty({ rule: 'num+unit', doubt: '单位“元”为推断' })).toEqual({ label: '存疑', type: 'warning' })
    expect(certainty({ rule: '', doubt: null }).label).toBe('人工')
  })
  it('exports the reviewed targets as gold lines, corrections kept and rejected readings left out', () => {
    const base = { id: 1, plan_id: 1, sentence: '', start: 0, end: 0, merged_into: null, note: null, rule: 'num+unit', doubt: null, kind: 'target', comparator: 'reach', year: 2025 }
    const lines = goldLines([
      { ...base, id: 1, indicator: '高新技术企业', key: 'high_tech_enterprise_count', value: 120, value_max: null, unit: '家', status: 'confirmed' },
      { ...base, id: 2, indicator: '技术合同成交额', key: 'other:技术合同成交额', value: 8, value_max: 10, unit: '亿元', comparator: 'range', status: 'proposed' },
      { ...base, id: 3, indicator: '十四五', key: 'other:十四五', value: 14, value_max: null, unit: '个', status: 'rejected' },
      { ...base, id: 4, indicator: '高企', key: 'high_tech_enterprise_count', value: 120, value_max: null, unit: '家', status: 'merged' },
    ] as PlanTarget[]).trim().split('\n').map((l) => JSON.parse(l))
    expect(lines).toEqual([
      { indicator: '高新技术企业', key: 'high_tech_enterprise_count', value: 120, unit: '家', year: 2025, kind: 'target', comparator: 'reach' },
      { indicator: '技术合同成交额', key: 'other:技术合同成交额', value: 8, value_max: 10, unit: '亿元', year: 2025, kind: 'target', comparator: 'range' },
    ])
  })
})
