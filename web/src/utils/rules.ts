// 政策评价 / 梯次培育 / 免申即享: the pure logic of the rules pages — labelling outputs and
// cultivation pools by the pack's own `outputs`/`pools` (GET /rules/packs), the 政策试算 form
// from the figures a pack reads for a year (GET /rules/packs/{id}/inputs?year=), building the
// `figures` map of POST /rules/evaluate, 批量试算 of a figures file (POST /rules/evaluate-file),
// and exact yuan formatting.
import type { FieldProblem } from '@/api/http'
import type { RuleFileEvaluation, RuleFileRow, RuleMissing, RuleNamedLabel, RuleOutputValue, RulePack, RuleRunSummary, RuleYearInput } from '@/api/types'

// ---------------------------------------------------------------------------------------------
// Labels. Results name outputs and pools by rule name (`size_ok`, `pool_near`); the pack lists
// their labels. A name the pack does not list is shown as it is.

/** The label of `name` in a pack's `outputs` or `pools` list (the name itself when not listed). */
export function labelOf(list: RuleNamedLabel[] | undefined, name: string): string {
  return list?.find((x) => x.name === name)?.label ?? name
}

/** The label of pool `name` of `pack`. */
export function poolLabel(pack: RulePack | undefined, name: string): string {
  return labelOf(pack?.pools, name)
}

/** The label of output or condition `name` of `pack`. */
export function outputLabel(pack: RulePack | undefined, name: string): string {
  return labelOf(pack?.outputs, name)
}

/** A pool label without its "培育库：" prefix (for tags in tables). */
export function poolShort(label: string): string {
  return label.replace(/^培育库[：:]\s*/, '')
}

/** Whether an output key is one of the pack's pools (shown as pools, not as outputs). */
export function isPoolKey(pack: RulePack | undefined, key: string): boolean {
  return !!pack?.pools.some((p) => p.name === key)
}

/** The pool filter's options: the pack's pools, in the pack's order. */
export function poolOptions(pack: RulePack | undefined): { value: string; label: string }[] {
  return (pack?.pools ?? []).map((p) => ({ value: p.name, label: p.label }))
}

/** An output value in words: 是/否, 缺少数据 for null, numbers as they are. */
export function outputText(v: RuleOutputValue | undefined): string {
  if (v === true) return '是'
  if (v === false) return '否'
  if (v === null || v === undefined) return '缺少数据'
  return String(v)
}

/**
 * The outputs as table rows, pools left out (they are shown as pools): qualified and score
 * first, then the pack's outputs in the pack's order, then any name the pack does not list.
 */
export function outputRows(pack: RulePack | undefined, outputs: Record<string, RuleOutputValue>): { key: string; label: string; value: string }[] {
  const order = ['qualified', 'score', ...(pack?.outputs ?? []).map((o) => o.name)]
  const rank = (k: string) => {
    const i = order.indexOf(k)
    return i < 0 ? order.length : i
  }
  const keys = Object.keys(outputs)
    .filter((k) => !isPoolKey(pack, k))
    .sort((a, b) => rank(a) - rank(b) || a.localeCompare(b))
  return keys.map((key) => ({ key, label: outputLabel(pack, key), value: outputText(outputs[key]) }))
}

/** 是否符合 as a tag: 符合 / 不符合 / 待定 (undecided: a figure is missing). */
export function qualifiedTag(q: boolean | null | undefined): { label: string; type: 'success' | 'danger' | 'warning' } {
  if (q === true) return { label: '符合', type: 'success' }
  if (q === false) return { label: '不符合', type: 'danger' }
  return { label: '待定', type: 'warning' }
}

/** The run summary in one Chinese sentence (`pack`: the pack run, for its pools' labels). */
export function runSummaryText(s: RuleRunSummary, pack: RulePack | undefined): string {
  const pools = Object.entries(s.pools)
    .map(([k, n]) => `${poolShort(poolLabel(pack, k))} ${n} 家`)
    .join('，')
  return `${s.year}年度共评价 ${s.evaluated} 家企业，符合条件 ${s.qualified} 家，待定（缺少数据）${s.undetermined} 家${pools ? `；培育库：${pools}` : '；无企业进入培育库'}。`
}

// ---------------------------------------------------------------------------------------------
// The 政策试算 form: one field per figure the pack reads for the year, as the server lists them.

/** The year's figures grouped by year: the year itself first, then the year before, …; each
 * group keeps the server's order. */
export function groupInputs(inputs: RuleYearInput[]): { offset: number; inputs: RuleYearInput[] }[] {
  const out: { offset: number; inputs: RuleYearInput[] }[] = []
  for (const i of inputs) {
    let g = out.find((x) => x.offset === i.offset)
    if (!g) out.push((g = { offset: i.offset, inputs: [] }))
    g.inputs.push(i)
  }
  return out.sort((a, b) => b.offset - a.offset)
}

/** "2023年（上一年度）" style title of the group of figures `offset` years from `year`. */
export function offsetYearLabel(year: number, offset: number): string {
  if (offset === 0) return `${year}年（本年度）`
  if (offset === -1) return `${year - 1}年（上一年度）`
  return `${year + offset}年（前${-offset}年度）`
}

export type FigureValue = string | boolean | null | undefined

/**
 * The `figures` map of POST /rules/evaluate from the form's values: flags as 是/否, other
 * figures as the text typed (trimmed, thousands separators and inner spaces removed, full-width
 * digits made ASCII); empty values are left out — the server reports them as missing.
 */
export function buildFigures(inputs: RuleYearInput[], values: Record<string, FigureValue>): Record<string, string> {
  const out: Record<string, string> = {}
  for (const f of inputs) {
    const v = values[f.key]
    if (v === null || v === undefined || v === '') continue
    if (f.kind === 'flag') {
      if (typeof v === 'boolean') out[f.key] = v ? '是' : '否'
      else if (v.trim()) out[f.key] = v.trim()
      continue
    }
    const t = normalizeNumber(String(v))
    if (t) out[f.key] = t
  }
  return out
}

/** "１，２３４ 万" → "1234万": full-width digits, signs and ％ made ASCII, separators and spaces removed. */
export function normalizeNumber(s: string): string {
  return s
    .replace(/[０-９]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(/．/g, '.')
    .replace(/－/g, '-')
    .replace(/％/g, '%')
    .replace(/[,，\s]/g, '')
}

/**
 * The server's 422 problems as messages per form field: the server already names the figure
 * ("职工总数：“五十人”不是数字"); beside the field itself that label is left out. Problems of
 * keys that are not a field of the form (e.g. `year`) are not included.
 */
export function fieldErrors(problems: FieldProblem[], inputs: RuleYearInput[]): Record<string, string> {
  const out: Record<string, string> = {}
  for (const p of problems) {
    const f = inputs.find((x) => x.key === p.field)
    if (!f) continue
    const m = p.message.startsWith(`${f.label}：`) ? p.message.slice(f.label.length + 1) : p.message
    out[f.key] = out[f.key] ? `${out[f.key]}；${m}` : m
  }
  return out
}

/** "研发费用总额（2023年）" for a missing input of an evaluation of `year`. */
export function missingLabel(m: RuleMissing, year: number): string {
  return m.year_offset === 0 ? m.label : `${m.label}（${year + m.year_offset}年）`
}

// ---------------------------------------------------------------------------------------------
// 批量试算: a figures file (xlsx/csv, one row per enterprise and year) evaluated without storing.

/** Whether `name` is a file POST /rules/evaluate-file reads (.xlsx or .csv). */
export function isFiguresFile(name: string): boolean {
  return /\.(xlsx|csv)$/i.test(name.trim())
}

/** The name of the exported results: "批量试算_tech-sme_2024.xlsx". */
export function fileResultName(pack: string, year: number): string {
  return `批量试算_${pack}_${year}.xlsx`
}

/** The counts of an evaluated file: 符合, 不符合, 待定 (undecided), rows with bad cells. */
export function fileCounts(ev: RuleFileEvaluation): { evaluated: number; qualified: number; notQualified: number; undetermined: number; withProblems: number; withoutYear: number } {
  const q = (r: RuleFileRow) => r.outputs.qualified
  return {
    evaluated: ev.evaluated,
    qualified: ev.qualified,
    notQualified: ev.rows.filter((r) => q(r) === false).length,
    undetermined: ev.rows.filter((r) => 'qualified' in r.outputs && (q(r) === null || q(r) === undefined)).length,
    withProblems: ev.rows.filter((r) => r.problems.length > 0).length,
    withoutYear: ev.without_year.length,
  }
}

/** The summary of an evaluated file in one Chinese sentence. */
export function fileSummaryText(ev: RuleFileEvaluation): string {
  const c = fileCounts(ev)
  let s = `${ev.year}年度共试算 ${c.evaluated} 家企业，符合条件 ${c.qualified} 家，不符合 ${c.notQualified} 家，待定（缺少数据）${c.undetermined} 家`
  if (c.withProblems) s += `；${c.withProblems} 家有无法识别的数据（按缺少数据处理）`
  if (c.withoutYear) s += `；另有 ${c.withoutYear} 家没有${ev.year}年度的数据，未试算`
  return `${s}。`
}

// ---------------------------------------------------------------------------------------------
// Amounts: yuan as exact decimal text ("4250000", "12345.6"), never through floating point.

function splitDecimal(s: string): { neg: boolean; int: string; frac: string } | null {
  const m = /^(-)?(\d+)(?:\.(\d+))?$/.exec(s.trim())
  if (!m) return null
  return { neg: !!m[1], int: m[2].replace(/^0+(?=\d)/, ''), frac: (m[3] ?? '').replace(/0+$/, '') }
}

function group(int: string): string {
  return int.replace(/\B(?=(\d{3})+(?!\d))/g, ',')
}

function join(neg: boolean, int: string, frac: string): string {
  const zero = /^0*$/.test(int) && !frac
  return `${neg && !zero ? '-' : ''}${group(int || '0')}${frac ? `.${frac}` : ''}`
}

/** "4250000" → "4,250,000 元"; text that is not a number is returned as it is. */
export function formatYuan(amount: string): string {
  const d = splitDecimal(amount)
  return d ? `${join(d.neg, d.int, d.frac)} 元` : amount
}

/** "4250000" → "425 万元", "12345" → "1.2345 万元" (exact: the decimal point moved by four). */
export function formatWanYuan(amount: string): string {
  const d = splitDecimal(amount)
  if (!d) return amount
  const int = d.int.padStart(5, '0')
  const head = int.slice(0, -4).replace(/^0+(?=\d)/, '')
  const frac = (int.slice(-4) + d.frac).replace(/0+$/, '')
  return `${join(d.neg, head, frac)} 万元`
}

/** 万元 from 1万 upwards, 元 below: "4250000" → "425 万元", "8000" → "8,000 元". */
export function formatAmount(amount: string): string {
  const d = splitDecimal(amount)
  if (!d) return amount
  return d.int.length >= 5 ? formatWanYuan(amount) : formatYuan(amount)
}

/** Exact sum of yuan amounts (up to fen precision and beyond, via BigInt). */
export function sumYuan(amounts: string[]): string {
  let scale = 0
  const parts = amounts.map((a) => splitDecimal(a) ?? { neg: false, int: '0', frac: '' })
  for (const p of parts) scale = Math.max(scale, p.frac.length)
  let total = 0n
  for (const p of parts) {
    const v = BigInt(p.int + p.frac.padEnd(scale, '0'))
    total += p.neg ? -v : v
  }
  const neg = total < 0n
  const digits = (neg ? -total : total).toString().padStart(scale + 1, '0')
  const int = digits.slice(0, digits.length - scale)
  const frac = digits.slice(digits.length - scale).replace(/0+$/, '')
  return `${neg ? '-' : ''}${int}${frac ? `.${frac}` : ''}`
}

/** Compare two exact yuan amounts: negative, 0 or positive as a < b, a = b, a > b. */
export function compareYuan(a: string, b: string): number {
  const neg = b.trim().startsWith('-') ? b.trim().slice(1) : `-${b.trim()}`
  const d = sumYuan([a, neg])
  return d.startsWith('-') ? -1 : d === '0' ? 0 : 1
}

/** A name → amount map as rows, the largest amount first (ties by name). */
export function amountRows(m: Record<string, string>): { name: string; amount: string }[] {
  return Object.entries(m)
    .map(([name, amount]) => ({ name, amount }))
    .sort((x, y) => compareYuan(y.amount, x.amount) || x.name.localeCompare(y.name))
}

/** The 免申即享 totals by category as an ECharts bar chart (values in 万元). */
export function categoryChartOption(byCategory: Record<string, string>) {
  const entries = amountRows(byCategory).map((r) => [r.name, r.amount] as const)
  return {
    animation: false,
    color: ['#409eff'],
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: (v: number) => `${v} 万元` },
    grid: { left: 120, right: 60, top: 10, bottom: 24 },
    xAxis: { type: 'value', name: '万元', axisLabel: { fontSize: 11 } },
    yAxis: { type: 'category', inverse: true, data: entries.map(([k]) => k), axisLabel: { fontSize: 12 } },
    series: [
      {
        type: 'bar',
        barMaxWidth: 28,
        data: entries.map(([, v]) => Number(formatWanYuan(v).replace(/[^\d.-]/g, ''))),
        label: { show: true, position: 'right', formatter: '{c} 万元' },
      },
    ],
  }
}
