// 政策评价 / 梯次培育 / 免申即享: the pure logic of the rules pages — labelling outputs and
// cultivation pools by the pack's own `outputs`/`pools` (GET /rules/packs), the 政策试算 form
// from the figures a pack reads for a year (GET /rules/packs/{id}/inputs?year=), building the
// `figures` map of POST /rules/evaluate, 批量试算 of a figures file (POST /rules/evaluate-file),
// prefilling it from the registry's yearly figures, and exact yuan formatting.
import type { FieldProblem } from '@/api/http'
import type { Figures, RuleFileEvaluation, RuleFileRow, RuleMissing, RuleNamedLabel, RuleOutputValue, RulePack, RuleRunSummary, RuleYearInput } from '@/api/types'
import { formatNumber, regionLabel } from '@/utils/format'

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
  const n = (x: number) => formatNumber(x, 0)
  const pools = Object.entries(s.pools)
    .map(([k, c]) => `${poolShort(poolLabel(pack, k))} ${n(c)} 家`)
    .join('，')
  return `${s.year}年度共评价 ${n(s.evaluated)} 家企业，符合条件 ${n(s.qualified)} 家，待定（缺少数据）${n(s.undetermined)} 家${pools ? `；培育库：${pools}` : '；无企业进入培育库'}。`
}

/**
 * Which rules a result was computed with, in words: the pack's name and since when it applies
 * ("科技型中小企业评价（2017-05-03起施行）"). The version is a content hash only auditors need:
 * it goes into `tip` (a tooltip), never into the text. A result of an earlier version says so.
 */
export function packVersionLabel(pack: RulePack | undefined, version: string): { text: string; valid: string; tip: string; current: boolean } {
  if (!pack) return { text: '已停用的政策包', valid: '已停用', tip: `规则版本标识：${version}`, current: false }
  const current = !version || version === pack.version
  if (!current) return { text: `${pack.name}（规则修订前的版本）`, valid: '规则修订前的版本', tip: `规则版本标识：${version}；现行版本标识：${pack.version}`, current }
  const valid = /起$/.test(pack.valid) ? `${pack.valid}施行` : `有效期 ${pack.valid}`
  return { text: `${pack.name}（${valid}）`, valid, tip: `规则版本标识：${pack.version}`, current }
}

/** A region's name for a table cell: its last level ("济源市"); '—' when unknown. */
export function regionShort(fullName: string | null | undefined): string {
  return regionLabel(fullName, 1)
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

// ---------------------------------------------------------------------------------------------
// Prefill from the registry: an enterprise's yearly figures (GET /enterprise-years?org_id=) read
// the way the server reads them for 运行评价 — `name@offset` from the year `offset` years before,
// 成立年份 from the organization's founding date.

/** A registry year as GET /enterprise-years lists it (only what the prefill reads). */
export interface RegistryYear {
  year: number
  figures: Figures
}

/** The latest year the registry has figures for, or null. */
export function latestYear(years: RegistryYear[]): number | null {
  return years.reduce<number | null>((m, y) => (m === null || y.year > m ? y.year : m), null)
}

/** "473663800" → "473,663,800"; text that is not a plain number is returned as it is. */
export function groupDigits(s: string): string {
  const d = splitDecimal(s)
  return d ? join(d.neg, d.int, d.frac) : s
}

function registryValue(kind: RuleYearInput['kind'], v: Figures[string]): FigureValue {
  if (v === null || v === undefined || v === '') return undefined
  if (kind === 'flag') {
    if (typeof v === 'boolean') return v
    const t = String(v).trim()
    return t === '是' || t === 'true' ? true : t === '否' || t === 'false' ? false : undefined
  }
  if (typeof v === 'boolean') return undefined
  return kind === 'money' || kind === 'count' ? groupDigits(String(v)) : String(v)
}

export interface Prefill {
  /** The form's values: flags as true/false, figures as text with thousands separators. */
  values: Record<string, FigureValue>
  /** The inputs the registry has no value for (left empty: missing unless typed in). */
  unknown: RuleYearInput[]
  /** The registry years read, the latest first. */
  years: number[]
}

/** The 政策试算 form of `year` filled from an enterprise's registry years. */
export function prefillFromRegistry(inputs: RuleYearInput[], year: number, years: RegistryYear[], foundedOn: string | null = null): Prefill {
  const values: Record<string, FigureValue> = {}
  const unknown: RuleYearInput[] = []
  const used = new Set<number>()
  for (const f of inputs) {
    let v: FigureValue
    if (f.name === 'founded_year') {
      v = /^\d{4}/.test(foundedOn ?? '') ? foundedOn!.slice(0, 4) : undefined
    } else {
      const y = years.find((r) => r.year === year + f.offset)
      v = y ? registryValue(f.kind, y.figures[f.name]) : undefined
      if (v !== undefined) used.add(y!.year)
    }
    if (v === undefined) unknown.push(f)
    else values[f.key] = v
  }
  return { values, unknown, years: [...used].sort((a, b) => b - a) }
}

/** Whether a form value still says what the registry says (so it needs no "changed" mark). */
export function sameFigure(a: FigureValue, b: FigureValue): boolean {
  const norm = (v: FigureValue) => (typeof v === 'boolean' ? v : v === null || v === undefined ? '' : normalizeNumber(String(v)))
  return norm(a) === norm(b)
}

/** The note above a prefilled form: whose figures, of which year, and that they may be changed. */
export function prefillNote(orgName: string, year: number, p: Prefill): string {
  if (!p.years.length) return `登记库中没有${orgName}${year}年度的数据，请手工填写。`
  const earlier = p.years.filter((y) => y !== year)
  const from = p.years.includes(year) ? `${year}年度` : ''
  const also = earlier.length ? `${from ? '及' : ''}${earlier.map((y) => `${y}年度`).join('、')}` : ''
  return `已按登记库中${orgName}${from}${also}的数据预填，可修改后试算（只试算，不改动登记库）。`
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

/** A 免申即享 item without its enterprise's name in front (the row shows the name already). */
export function entitlementItemText(i: { org_name: string; item: string }): string {
  const rest = i.item.startsWith(i.org_name) ? i.item.slice(i.org_name.length).trim() : ''
  return rest || i.item
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
