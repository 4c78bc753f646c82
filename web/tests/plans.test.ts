import { describe, expect, it } from 'vitest'
import type { PlanTarget, TargetProgress } from '@/api/types'
import { label } from '@/utils/dict'
import {
  COMPARATORS, PROGRESS_STATUS, fmtOutcome, groupTasks, highlighted, outcomePercent, progressChartOption, progressColor, progressTag,
  segments, sha256Hex, sha256Pure, targetText, toHex,
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
  it('colors 达标 green, 正常 blue, 滞后 orange, 预警 red', () => {
    expect(PROGRESS_STATUS.map((s) => [s.label, progressTag(s.value)])).toEqual([
      ['达标', 'success'],
      ['正常', 'primary'],
      ['滞后', 'warning'],
      ['预警', 'danger'],
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
    expect(targetText({ ...base, comparator: 'multiply_by', value: 2 })).toBe('倍增2倍')
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

describe('progressChartOption', () => {
  it('draws actuals, the required path, the forecast and the target level', () => {
    const r = {
      target: { unit: '家' },
      indicator_unit: '家',
      series: [{ year: 2020, value: 52 }, { year: 2023, value: 101 }],
      progress: {
        target_level: 150,
        path_kind: 'linear',
        trajectory: [{ year: 2020, linear: 52, compound: 52 }, { year: 2025, linear: 150, compound: 150 }],
        forecast: { year: 2025, chosen: 'linear', linear: { forecast: 133 }, compound: null, reason_zh: '' },
      },
    } as unknown as TargetProgress
    const o = progressChartOption(r)
    expect(o.xAxis.data).toEqual(['2020年', '2023年', '2025年'])
    expect(o.series.map((s) => s.name)).toEqual(['实际值', '目标路径', '预测', '目标值'])
    expect(o.series[0].data).toEqual([52, 101, null])
    expect(o.series[2].data).toEqual([null, 101, 133])
    expect(o.series[3].data).toEqual([150, 150, 150])
  })
})
