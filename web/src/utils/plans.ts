// 规划监测: the plan vocabularies (wire value → 中文, mirroring crates/store/src/monitoring.rs and
// crates/monitor/src/progress.rs) and the small pure computations the plan pages share.
import type { IndicatorLibrary, IndicatorProgress, Outcome, PlanTarget, ProgressStatus, TargetProgress } from '@/api/types'
import type { Dict } from './dict'

export const COMPARATORS: Dict = [
  { value: 'reach', label: '达到' },
  { value: 'above', label: '超过' },
  { value: 'at_least', label: '不低于' },
  { value: 'at_most', label: '不超过' },
  { value: 'approximately', label: '左右' },
  { value: 'range', label: '区间' },
  { value: 'new', label: '新增' },
  { value: 'increase', label: '增长' },
  { value: 'per_year', label: '每年' },
  { value: 'multiply_by', label: '倍增' },
  { value: 'maintain', label: '保持' },
]
export const TARGET_KINDS: Dict = [
  { value: 'target', label: '目标' },
  { value: 'baseline', label: '基数' },
]
export const TARGET_STATUS: Dict = [
  { value: 'proposed', label: '待审核' },
  { value: 'confirmed', label: '已确认' },
  { value: 'rejected', label: '已剔除' },
  { value: 'merged', label: '已合并' },
]
export const PLAN_STATUS: Dict = [
  { value: 'draft', label: '待确认' },
  { value: 'confirmed', label: '已确认' },
]
export const TASK_STATUS: Dict = [
  { value: 'todo', label: '未开始' },
  { value: 'doing', label: '进行中' },
  { value: 'done', label: '已完成' },
]
export const PROGRESS_STATUS: Dict = [
  { value: 'achieved', label: '达标' },
  { value: 'on_track', label: '正常' },
  { value: 'lagging', label: '滞后' },
  { value: 'warning', label: '预警' },
  { value: 'missed', label: '未达标' },
  { value: 'no_data', label: '无数据' },
]
export const FORECAST_METHODS: Dict = [
  { value: 'linear', label: '线性趋势' },
  { value: 'compound', label: '复合增长' },
]

type TagType = 'success' | 'primary' | 'warning' | 'danger' | 'info'

/** 达标 green, 正常 blue, 滞后 orange, 预警 and 未达标 red; 无数据 and anything else grey. */
export function progressTag(s: ProgressStatus | string | null | undefined): TagType {
  return ({ achieved: 'success', on_track: 'primary', lagging: 'warning', warning: 'danger', missed: 'danger' } as Record<string, TagType>)[s ?? ''] ?? 'info'
}

/** The colour of a status for charts and the printed report (Element Plus palette). */
export function progressColor(s: ProgressStatus | string | null | undefined): string {
  return ({ achieved: '#67c23a', on_track: '#409eff', lagging: '#e6a23c', warning: '#f56c6c', missed: '#c45656' } as Record<string, string>)[s ?? ''] ?? '#909399'
}

/**
 * How an extracted target's indicator reads: the library's name, or the plan's own wording for
 * an indicator outside the library (never the internal key).
 */
export function keyLabel(key: string, indicator: string, library: IndicatorLibrary): string {
  const ind = library.indicators.find((i) => i.key === key)
  if (ind) return `库内：${ind.name_zh}（${ind.unit}）`
  return `库外：${key.startsWith('other:') ? key.slice(6) : indicator}`
}

/** One row of the progress table: a target, with its indicator shown once above its targets. */
export interface ProgressRow {
  ind: IndicatorProgress
  t: TargetProgress
  /** The indicator's first target (its cell spans `span` rows). */
  first: boolean
  span: number
}

export function progressRows(inds: IndicatorProgress[]): ProgressRow[] {
  return inds.flatMap((ind) => ind.targets.map((t, i) => ({ ind, t, first: i === 0, span: ind.targets.length })))
}

/** “按线性趋势预测2025年约139家”, rounded to the indicator's unit; empty without a forecast. */
export function forecastText(ind: Pick<IndicatorProgress, 'unit' | 'decimals'>, p: TargetProgress['progress']): string {
  const f = p?.forecast
  if (!f?.chosen || p?.forecast_value === null || p?.forecast_value === undefined) return ''
  const method = FORECAST_METHODS.find((m) => m.value === f.chosen)?.label ?? ''
  return `按${method}预测${f.year}年约${fmtNum(p.forecast_value, ind.decimals)}${ind.unit}`
}

export function targetStatusTag(s: string): TagType {
  return ({ proposed: 'warning', confirmed: 'success', rejected: 'info', merged: 'info' } as Record<string, TagType>)[s] ?? 'info'
}

export function taskStatusTag(s: string): TagType {
  return ({ todo: 'info', doing: 'primary', done: 'success' } as Record<string, TagType>)[s] ?? 'info'
}

/** One piece of the plan text: plain, or covered by one or more targets' sentences. */
export interface Segment {
  text: string
  /** Code-point offsets in the whole text. */
  start: number
  end: number
  /** Ids of the targets covering this piece (empty = plain text). */
  ids: number[]
}

export interface Range {
  id: number
  start: number
  end: number
}

/**
 * Cut `text` into pieces at every range boundary. Offsets are Unicode code-point indices (the
 * server counts `char`s), so the text is split with Array.from, never with UTF-16 indices.
 * Overlapping and nested ranges are fine: a piece lists every range covering it. Ranges outside
 * the text are clamped; empty or inverted ranges are ignored.
 */
export function segments(text: string, ranges: Range[]): Segment[] {
  const cps = Array.from(text)
  const n = cps.length
  const rs = ranges
    .map((r) => ({ id: r.id, start: Math.max(0, Math.min(n, r.start)), end: Math.max(0, Math.min(n, r.end)) }))
    .filter((r) => r.end > r.start)
  const cuts = new Set<number>([0, n])
  for (const r of rs) {
    cuts.add(r.start)
    cuts.add(r.end)
  }
  const points = [...cuts].sort((a, b) => a - b)
  const out: Segment[] = []
  for (let i = 0; i + 1 < points.length; i++) {
    const a = points[i]
    const b = points[i + 1]
    if (b <= a) continue
    const ids = rs.filter((r) => r.start <= a && r.end >= b).map((r) => r.id)
    const prev = out[out.length - 1]
    // Neighbouring pieces with the same cover are one piece.
    if (prev && sameIds(prev.ids, ids)) {
      prev.text += cps.slice(a, b).join('')
      prev.end = b
    } else out.push({ text: cps.slice(a, b).join(''), start: a, end: b, ids })
  }
  return out
}

function sameIds(a: number[], b: number[]) {
  return a.length === b.length && a.every((x, i) => x === b[i])
}

/** The targets shown as highlights: not rejected, not merged away. */
export function highlighted(targets: PlanTarget[]): Range[] {
  return targets.filter((t) => t.status !== 'rejected' && t.status !== 'merged').map((t) => ({ id: t.id, start: t.start, end: t.end }))
}

/** A number for people: up to `decimals` places, thousands separators, no trailing zeros. */
export function fmtNum(v: number | null | undefined, decimals = 2): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '—'
  return v.toLocaleString('zh-CN', { maximumFractionDigits: decimals })
}

/** 88.0% for a value outcome, else the reason in Chinese. */
export function fmtOutcome(o: Outcome | null | undefined): string {
  if (!o) return '—'
  if (o.kind === 'value') return `${fmtNum(o.value, 1)}%`
  return ({ zero_denominator: '无法计算（分母为0）', no_data: '暂无数据', no_baseline: '缺少基数', non_positive_actual: '无法计算（实际值非正）' } as Record<string, string>)[o.reason] ?? '无法计算'
}

/** The percent for a progress bar, 0–100. */
export function outcomePercent(o: Outcome | null | undefined): number {
  if (!o || o.kind !== 'value' || !Number.isFinite(o.value)) return 0
  return Math.max(0, Math.min(100, Math.round(o.value)))
}

/** “达到150家”, “2.5%–3%”: the target as the plan states it. */
export function targetText(t: Pick<PlanTarget, 'comparator' | 'value' | 'value_max' | 'unit'>): string {
  const c = COMPARATORS.find((d) => d.value === t.comparator)?.label ?? t.comparator
  const v = `${fmtNum(t.value, 4)}${t.unit}`
  if (t.comparator === 'range' && t.value_max !== null) return `${fmtNum(t.value, 4)}–${fmtNum(t.value_max, 4)}${t.unit}`
  if (t.comparator === 'approximately') return `${v}左右`
  if (t.comparator === 'multiply_by') return t.value === 2 ? '较基期翻一番' : `达到基期的${fmtNum(t.value, 4)}倍`
  return `${c}${v}`
}

/** Tasks grouped by status in board order (未开始, 进行中, 已完成). */
export function groupTasks<T extends { status: string }>(tasks: T[]): { status: string; label: string; tasks: T[] }[] {
  return TASK_STATUS.map((s) => ({ status: s.value, label: s.label, tasks: tasks.filter((t) => (t.status || 'todo') === s.value) }))
}

/** Lower-case hex of bytes (SHA-256 digests). */
export function toHex(buf: ArrayBuffer): string {
  return Array.from(new Uint8Array(buf), (b) => b.toString(16).padStart(2, '0')).join('')
}

/**
 * SHA-256 of a file's bytes, computed in the browser (the evidence file itself is not uploaded).
 * crypto.subtle exists only in secure contexts (https, localhost); over plain http on an intranet
 * the pure implementation below is used.
 */
export async function sha256Hex(data: Blob | ArrayBuffer): Promise<string> {
  const bytes = data instanceof Blob ? await data.arrayBuffer() : data
  if (typeof crypto !== 'undefined' && crypto.subtle) return toHex(await crypto.subtle.digest('SHA-256', bytes))
  return toHex(sha256Pure(new Uint8Array(bytes)).buffer as ArrayBuffer)
}

const K = new Uint32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3,
  0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
  0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
  0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
])

/** FIPS 180-4 SHA-256 of bytes (the fallback of sha256Hex). */
export function sha256Pure(msg: Uint8Array): Uint8Array {
  const len = msg.length
  const padded = new Uint8Array(((len + 9 + 63) >> 6) << 6)
  padded.set(msg)
  padded[len] = 0x80
  const dv = new DataView(padded.buffer)
  dv.setUint32(padded.length - 8, Math.floor(len / 0x20000000))
  dv.setUint32(padded.length - 4, (len << 3) >>> 0)
  const h = new Uint32Array([0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19])
  const w = new Uint32Array(64)
  const rotr = (x: number, n: number) => (x >>> n) | (x << (32 - n))
  for (let off = 0; off < padded.length; off += 64) {
    for (let i = 0; i < 16; i++) w[i] = dv.getUint32(off + i * 4)
    for (let i = 16; i < 64; i++) {
      const s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >>> 3)
      const s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >>> 10)
      w[i] = (w[i - 16] + s0 + w[i - 7] + s1) >>> 0
    }
    let [a, b, c, d, e, f, g, hh] = h
    for (let i = 0; i < 64; i++) {
      const t1 = (hh + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + K[i] + w[i]) >>> 0
      const t2 = ((rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c))) >>> 0
      hh = g; g = f; f = e; e = (d + t1) >>> 0; d = c; c = b; b = a; a = (t1 + t2) >>> 0
    }
    h[0] += a; h[1] += b; h[2] += c; h[3] += d; h[4] += e; h[5] += f; h[6] += g; h[7] += hh
  }
  const out = new Uint8Array(32)
  const ov = new DataView(out.buffer)
  h.forEach((x, i) => ov.setUint32(i * 4, x))
  return out
}

/**
 * The line chart of one indicator: its actuals, and for each target the required trajectory, the
 * forecast (while the target year is ahead) and the target level.
 */
export function progressChartOption(ind: IndicatorProgress) {
  const years = new Set<number>(ind.series.map((s) => s.year))
  for (const t of ind.targets) {
    t.progress?.trajectory.forEach((x) => years.add(x.year))
    if (t.progress?.forecast_value !== null && t.progress?.forecast_value !== undefined) years.add(t.progress.forecast.year)
  }
  const xs = [...years].sort((a, b) => a - b)
  const at = <T extends { year: number }>(rows: T[], f: (x: T) => number | null) => xs.map((y) => {
    const hit = rows.find((x) => x.year === y)
    return hit ? f(hit) : null
  })
  const series: Record<string, unknown>[] = [
    { name: '实际值', type: 'line', data: at(ind.series, (s) => s.value), symbolSize: 7, lineStyle: { width: 3 }, connectNulls: true },
  ]
  const many = ind.targets.filter((t) => t.progress).length > 1
  ind.targets.forEach((t) => {
    const p = t.progress
    if (!p) return
    const suffix = many ? `（${targetText(t.target)}）` : ''
    series.push({ name: `目标路径${suffix}`, type: 'line', data: at(p.trajectory, (x) => (p.path_kind === 'compound' ? x.compound ?? x.linear : x.linear)), lineStyle: { type: 'dashed' }, symbol: 'none', connectNulls: true })
    const last = p.latest
    if (p.forecast_value !== null && last) {
      const data = xs.map((y) => (y === last.year ? last.value : y === p.forecast.year ? p.forecast_value : null))
      series.push({ name: `预测${suffix}`, type: 'line', data, lineStyle: { type: 'dotted' }, symbol: 'diamond', symbolSize: 8, connectNulls: true })
    }
    series.push({ name: `目标值${suffix}`, type: 'line', data: xs.map(() => p.target_level), symbol: 'none', lineStyle: { width: 1 } })
  })
  return {
    animation: false,
    color: ['#409eff', '#909399', '#e6a23c', '#f56c6c', '#67c23a', '#b37feb', '#c45656'],
    tooltip: { trigger: 'axis', valueFormatter: (v: unknown) => (typeof v === 'number' ? `${fmtNum(v, ind.decimals)}${ind.unit}` : '—') },
    legend: { top: 0, type: 'scroll' },
    grid: { left: 60, right: 20, top: 32, bottom: 28 },
    xAxis: { type: 'category', data: xs.map((y) => `${y}年`) },
    yAxis: { type: 'value', name: ind.unit, scale: true },
    series,
  }
}

/** What each rule code of the extractor means (crates/plans/src/extract.rs), in the words of
 *  the review page. Unknown codes are shown as written. */
const RULE_WORDS: Record<string, string> = {
  'num+unit': '数值与单位',
  special: '倍数或覆盖类表述（如翻一番、全覆盖）',
  'table-row': '表格行',
  'ind=before': '指标在数值之前',
  'ind=after': '指标在数值之后',
  'ind=carry': '指标承接上文',
  'ind=respectively': '“分别”对应的指标',
  'ind=prev-clause': '指标取自前一分句',
  'ind=distributed': '一个数值分属并列的几个指标',
  'year=section-baseline': '年份：本节的基期年',
  'year=plan-horizon': '年份：规划期末年',
  'year=none': '未识别年份',
  'year=header': '年份：表头年份',
  'year=base/horizon': '年份：按基期年与期末年推断（无表头）',
}

/** The extractor's rule string as a Chinese sentence: "数值与单位；指标在数值之前；比较词“达到”；年份：到2025年". */
export function ruleText(rule: string | null | undefined): string {
  if (!rule) return '（人工录入）'
  return rule
    .split(';')
    .filter((p) => p)
    .map((p) => {
      if (RULE_WORDS[p]) return RULE_WORDS[p]
      if (p.startsWith('cmp=')) return `比较词“${p.slice(4)}”`
      if (p.startsWith('year=paragraph:')) return `年份：承接本段“${p.slice(15)}”`
      if (p.startsWith('year=annual-plan(')) return `年份：年度文件的年份（${p.slice(17, -1)}）`
      if (p.startsWith('year=由')) return `年份：基数“${p.slice(5)}”`
      if (p.startsWith('year=')) return `年份：“${p.slice(5)}”`
      return p
    })
    .join('；')
}

/** How sure the extractor was: 存疑 (a rule had to guess, the reason in `doubt`) or 明确. */
export function certainty(t: Pick<PlanTarget, 'doubt' | 'rule'>): { label: string; type: TagType } {
  if (!t.rule) return { label: '人工', type: 'info' }
  return t.doubt ? { label: '存疑', type: 'warning' } : { label: '明确', type: 'success' }
}

/** One plan's reviewed targets as labelled examples for the extractor's evaluation corpus
 *  (crates/plans/tests/corpus/*.jsonl: one gold line per target the officer kept, corrected
 *  values included; rejected and merged readings are left out, as a labeller would). */
export function goldLines(targets: PlanTarget[]): string {
  return targets
    .filter((t) => t.status !== 'rejected' && t.status !== 'merged')
    .map((t) => {
      const line: Record<string, unknown> = { indicator: t.indicator, key: t.key, value: t.value }
      if (t.value_max !== null && t.value_max !== undefined) line.value_max = t.value_max
      Object.assign(line, { unit: t.unit, year: t.year, kind: t.kind, comparator: t.comparator })
      return JSON.stringify(line)
    })
    .join('\n') + '\n'
}
