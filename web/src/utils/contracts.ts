// 技术合同认定登记 on the client: the checks the server makes on a contract (said before it is
// sent), the 技术交易额 the rules will compute, the registrar's findings, the steps of a contract
// and the statistics' lines. Pure functions, except the dictionaries' loader at the end.
import { api } from '@/api/http'
import type { Assessment, Contract, ContractCategory, ContractDecision, ContractDicts, ContractInput, ContractStatItem, Findings } from '@/api/types'
import type { Dict, TagType } from './dict'
import { creditCheckChar } from './format'

// ---------- amounts (元, exact in 分) ----------

export type AmountProblem = 'format' | 'negative' | 'precision' | 'range'
export type Amount = { empty: true } | { fen: number } | { problem: AmountProblem }

/**
 * Yuan text as typed ("1,000,000", "12.5") → 分. Blank is `empty`; what the server would refuse
 * is a `problem`: not a number, negative, finer than a 分, or too large to count exactly.
 */
export function parseAmount(s: string | null | undefined): Amount {
  const t = String(s ?? '').trim().replace(/[,，\s]/g, '')
  if (!t) return { empty: true }
  const m = /^([+-]?)(\d*)(?:\.(\d*))?$/.exec(t)
  if (!m || (!m[2] && !m[3])) return { problem: 'format' }
  const int = m[2] || '0'
  const frac = (m[3] ?? '').replace(/0+$/, '')
  const zero = /^0*$/.test(int) && !frac
  if (m[1] === '-' && !zero) return { problem: 'negative' }
  if (frac.length > 2) return { problem: 'precision' }
  const fen = Number(int) * 100 + Number(frac.padEnd(2, '0'))
  if (!Number.isSafeInteger(fen)) return { problem: 'range' }
  return { fen }
}

/** The server's message for an amount's problem (crates/domain money.rs, contract.rs). */
export function amountMessage(label: string, problem: AmountProblem, typed: string): string {
  switch (problem) {
    case 'negative':
      return `${label}不能为负数`
    case 'precision':
      return `${label}最多保留两位小数（分）`
    case 'range':
      return `${label}超出允许范围`
    default:
      return `${label}“${typed.trim()}”不是有效金额（元）`
  }
}

/** 分 of an amount, blank as 0 (非技术性费用, 标的物成本); null when not a valid amount. */
function fenOr0(s: string | null | undefined): number | null {
  const a = parseAmount(s)
  if ('empty' in a) return 0
  return 'fen' in a ? a.fen : null
}

export interface TechnicalEstimate {
  /** 应扣除的非技术性费用 = max(非技术性费用 − 合理数量标的物的直接成本, 0) */
  deductedFen: number
  /** 技术交易额 = 成交总额 − 应扣除的非技术性费用 (0 for a contract that is not a technology contract) */
  technicalFen: number
}

/**
 * The 技术交易额 the rules will compute (2001年认定规则第五十一条): the total less the
 * non-technical costs, except the direct cost of a reasonable quantity of the subject matter.
 * Null while the total, or one of the other amounts, is not a valid amount.
 */
export function estimateTechnical(
  i: Pick<ContractInput, 'total_amount' | 'non_tech_amount' | 'carrier_amount'>,
  isTech = true,
): TechnicalEstimate | null {
  const total = parseAmount(i.total_amount)
  if (!('fen' in total)) return null
  const nonTech = fenOr0(i.non_tech_amount)
  const carrier = fenOr0(i.carrier_amount)
  if (nonTech === null || carrier === null) return null
  const deductedFen = Math.max(nonTech - carrier, 0)
  return { deductedFen, technicalFen: isTech ? total.fen - deductedFen : 0 }
}

// ---------- 统一社会信用代码 (GB 32100-2015) ----------

const CC_CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY'

/** What is wrong with a credit code, in the server's words; '' when it is valid. */
export function creditCodeProblem(input: string | null | undefined): string {
  const s = String(input ?? '').trim().toUpperCase()
  if (!s) return '统一社会信用代码不能为空'
  const chars = [...s]
  if (chars.length !== 18) return `统一社会信用代码应为18位，实际为${chars.length}位`
  const bad = chars.findIndex((c) => !CC_CHARS.includes(c))
  if (bad >= 0) return `统一社会信用代码第${bad + 1}位“${chars[bad]}”不是合法字符（不使用 I、O、Z、S、V）`
  if (!/^\d{6}$/.test(s.slice(2, 8))) return '统一社会信用代码第3至8位应为登记管理机关行政区划码（6位数字）'
  const expected = creditCheckChar(s.slice(0, 17))
  if (expected !== s[17]) return `统一社会信用代码校验位错误：第18位应为“${expected ?? '?'}”，实际为“${s[17]}”，请核对`
  return ''
}

// ---------- categories ----------

/** The category select's choice for a contract of another kind (its name typed beside it). */
export const OTHER_CATEGORY = '__other__'
/** The list filter's value for contracts that are not technology contracts (GET /contracts?category=other). */
export const OTHER_FILTER = 'other'
export const OTHER_LABEL = '其他（非技术合同）'

/** The technology-contract class `category` names (by value or Chinese label), if any. */
export function categoryOf(category: string | null | undefined, categories: ContractCategory[]): ContractCategory | undefined {
  const t = String(category ?? '').trim()
  if (!t) return undefined
  return categories.find((c) => c.value === t || c.label === t)
}

/** The select's choice and the typed text for a stored category. */
export function categoryChoice(category: string, categories: ContractCategory[]): { choice: string; other: string } {
  const t = category.trim()
  if (!t) return { choice: '', other: '' }
  const c = categoryOf(t, categories)
  return c ? { choice: c.value, other: '' } : { choice: OTHER_CATEGORY, other: t }
}

/** A contract's category as shown: the class, or what the applicant wrote for another kind. */
export function categoryText(c: Pick<Contract, 'category_label' | 'category_text' | 'subcategory_label'>, withSub = false): string {
  const main = c.category_label || (c.category_text ? `${c.category_text}（非技术合同）` : '')
  if (!main) return '—'
  return withSub && c.subcategory_label ? `${main} / ${c.subcategory_label}` : main
}

// ---------- the form ----------

export function emptyInput(): ContractInput {
  return {
    contract_no: '', subject: '', category: '', subcategory: '', form: 'written', field: '', ip_kind: '',
    buyer_name: '', buyer_credit_code: '', buyer_region_code: '', total_amount: '', non_tech_amount: '', carrier_amount: '',
    signed_on: '', valid_from: '', valid_to: '', broker_name: '',
  }
}

/** Amounts as typed: "1000000.00" → "1000000", "12.50" → "12.5". */
function plainAmount(s: string | null | undefined): string {
  const t = String(s ?? '')
  return t.includes('.') ? t.replace(/0+$/, '').replace(/\.$/, '') : t
}

/** A stored contract as the form edits it. */
export function inputFromContract(c: Contract): ContractInput {
  return {
    contract_no: c.contract_no,
    subject: c.subject,
    category: c.category || c.category_text || '',
    subcategory: c.subcategory || '',
    form: c.form || 'written',
    field: c.field || '',
    ip_kind: c.ip_kind || '',
    buyer_name: c.buyer_name,
    buyer_credit_code: c.buyer_credit_code,
    buyer_region_code: c.buyer_region_code || '',
    total_amount: plainAmount(c.total_amount),
    non_tech_amount: plainAmount(c.non_tech_amount),
    carrier_amount: plainAmount(c.carrier_amount),
    signed_on: c.signed_on || '',
    valid_from: c.valid_from ?? '',
    valid_to: c.valid_to ?? '',
    broker_name: c.broker_name ?? '',
  }
}

/** The body sent: text trimmed, the credit code upper-cased, amounts without separators. */
export function normalizeInput(i: ContractInput): ContractInput {
  const amount = (s: string) => s.trim().replace(/[,，\s]/g, '')
  return {
    ...i,
    contract_no: i.contract_no.trim(),
    subject: i.subject.trim(),
    category: i.category.trim(),
    subcategory: i.subcategory.trim(),
    buyer_name: i.buyer_name.trim(),
    buyer_credit_code: i.buyer_credit_code.trim().toUpperCase(),
    buyer_region_code: i.buyer_region_code.trim(),
    total_amount: amount(i.total_amount),
    non_tech_amount: amount(i.non_tech_amount),
    carrier_amount: amount(i.carrier_amount),
    broker_name: i.broker_name.trim(),
  }
}

function textProblem(label: string, s: string, max: number): string {
  const t = s.trim()
  if (!t) return `${label}不能为空`
  if ([...t].length > max) return `${label}不能超过${max}个字`
  return ''
}

const DATE = /^\d{4}-\d{2}-\d{2}$/

/**
 * The server's checks of a contract (crates/domain contract.rs `NewContract::parse`), each
 * problem under its field with the server's message; {} when it would pass. `today` is
 * `YYYY-MM-DD` in Asia/Shanghai. Duplicates (409) and the seller being the buyer are the
 * server's to find.
 */
export function checkContract(i: ContractInput, today: string, categories: ContractCategory[] = []): Record<string, string> {
  const out: Record<string, string> = {}
  const put = (field: string, msg: string) => {
    if (msg && !out[field]) out[field] = msg
  }
  put('contract_no', textProblem('合同编号', i.contract_no, 64))
  put('subject', textProblem('项目名称', i.subject, 200))
  if (!i.category.trim()) put('category', '合同类别不能为空')
  const cat = categoryOf(i.category, categories)
  const sub = i.subcategory.trim()
  if (cat && sub && !cat.subcategories.some((s) => s.value === sub || s.label === sub)) {
    put('subcategory', cat.subcategories.length
      ? `${cat.label}合同的子类“${sub}”无效，可选：${cat.subcategories.map((s) => s.label).join('、')}`
      : `${cat.label}合同不分子类，“${sub}”无效`)
  }
  put('buyer_name', textProblem('买方名称', i.buyer_name, 100))
  put('buyer_credit_code', creditCodeProblem(i.buyer_credit_code))
  const region = i.buyer_region_code.trim()
  if (region && !/^\d{6}$/.test(region)) put('buyer_region_code', '买方所在地应为6位行政区划代码，留空则按统一社会信用代码确定')

  const amounts: [keyof ContractInput, string, boolean][] = [
    ['total_amount', '合同成交总额', false],
    ['non_tech_amount', '非技术性费用', true],
    ['carrier_amount', '合理数量标的物的直接成本', true],
  ]
  const fen: Partial<Record<keyof ContractInput, number>> = {}
  for (const [key, label, blankIsZero] of amounts) {
    const a = parseAmount(i[key])
    if ('empty' in a) {
      if (blankIsZero) fen[key] = 0
      else put(key, `${label}不能为空`)
    } else if ('problem' in a) put(key, amountMessage(label, a.problem, i[key]))
    else fen[key] = a.fen
  }
  const { total_amount: total, non_tech_amount: nonTech, carrier_amount: carrier } = fen
  if (total === 0) put('total_amount', '合同成交总额应大于0')
  if (total !== undefined && nonTech !== undefined && nonTech > total) put('non_tech_amount', '非技术性费用不能超过合同成交总额')
  if (nonTech !== undefined && carrier !== undefined && carrier > nonTech) put('carrier_amount', '合理数量标的物的直接成本是非技术性费用的一部分，不能超过非技术性费用')

  const dates: [keyof ContractInput, string, boolean][] = [
    ['signed_on', '签订日期', true],
    ['valid_from', '有效期起', false],
    ['valid_to', '有效期止', false],
  ]
  const day: Partial<Record<keyof ContractInput, string>> = {}
  for (const [key, label, required] of dates) {
    const t = i[key].trim()
    if (!t) {
      if (required) put(key, `${label}不能为空`)
    } else if (!DATE.test(t)) put(key, `${label}“${t}”格式错误，应为 YYYY-MM-DD`)
    else day[key] = t
  }
  const { signed_on: signed, valid_from: from, valid_to: to } = day
  if (signed && signed > today) put('signed_on', '签订日期不能晚于今天')
  if (signed && signed < '1990-01-01') put('signed_on', '签订日期早于1990年，请核对')
  if (from && to && from > to) put('valid_to', '有效期止不能早于有效期起')
  if (signed && to && signed > to) put('valid_to', '有效期止不能早于签订日期')
  if ([...i.broker_name.trim()].length > 50) put('broker_name', '技术经纪人不能超过50个字')
  return out
}

// ---------- the registrar's findings ----------

export interface FindingSpec {
  key: keyof Findings
  label: string
  /** The value of a contract with nothing wrong. */
  clean: boolean
  /** What follows when it is not clean (the rules' order: 不予登记 before 补正). */
  effect: 'refuse' | 'correct'
}

/** The eight findings of the 认定 rules, in their order; the first six can be corrected once. */
export const FINDINGS: FindingSpec[] = [
  { key: 'parties_clear', label: '合同主体明确', clean: true, effect: 'correct' },
  { key: 'subject_clear', label: '技术标的明确', clean: true, effect: 'correct' },
  { key: 'price_clear', label: '价款报酬或使用费约定明确', clean: true, effect: 'correct' },
  { key: 'name_matches', label: '合同名称与权利义务关系一致', clean: true, effect: 'correct' },
  { key: 'seal_ok', label: '印章齐全且与书写名称一致', clean: true, effect: 'correct' },
  { key: 'documents_ok', label: '证明文件齐全且符合要求', clean: true, effect: 'correct' },
  { key: 'approval_ok', label: '依法需审批的已办理审批', clean: true, effect: 'refuse' },
  { key: 'monopoly_clause', label: '含非法垄断技术或不合理限制条款', clean: false, effect: 'refuse' },
]

export function cleanFindings(): Findings {
  return Object.fromEntries(FINDINGS.map((f) => [f.key, f.clean])) as unknown as Findings
}

/** The findings that are not in their clean state, by label. */
export function findingsAgainst(f: Findings): FindingSpec[] {
  return FINDINGS.filter((s) => f[s.key] !== s.clean)
}

// ---------- decisions ----------

export const DECISIONS: Dict = [
  { value: 'register', label: '予以登记', type: 'success' },
  { value: 'correct', label: '退回补正', type: 'warning' },
  { value: 'refuse', label: '不予登记', type: 'danger' },
]

export function decisionTag(d: ContractDecision | string | null | undefined): TagType {
  return d === 'register' ? 'success' : d === 'correct' ? 'warning' : d === 'refuse' ? 'danger' : 'info'
}

/** 办结时限: "30日" (calendar days, 2000年办法) or "15个工作日" (2026年办法). */
export function deadlineText(days: number, working: boolean): string {
  return `${days}${working ? '个工作日' : '日'}`
}

/** 元 text → "12.34万元" for running text; '—' when not an amount. */
export function wanYuan(s: string | null | undefined): string {
  const a = parseAmount(s)
  if (!('fen' in a)) return '—'
  return `${(a.fen / 1_000_000).toLocaleString('zh-CN', { maximumFractionDigits: 4 })}万元`
}

/** What 确定 will do with this assessment, said before the registrar clicks. */
export function outcomeText(a: Pick<Assessment, 'decision' | 'second_review' | 'technical_amount'>): string {
  switch (a.decision) {
    case 'register':
      return a.second_review
        ? `确定后，本合同初审予以登记，技术交易额 ${wanYuan(a.technical_amount)} 达到大额标准，转入“大额复核”：须由另一名登记员复核通过后才生成登记编号、出具登记证明。`
        : `确定后，本合同予以登记：核定技术交易额 ${wanYuan(a.technical_amount)}，生成登记编号，可出具技术合同登记证明。`
    case 'correct':
      return '确定后，本合同退回卖方补正：卖方按所列事项修改后重新提交；补正后仍不符合要求的，将不予登记。'
    case 'refuse':
      return '确定后，本合同不予登记，卖方将看到所列理由；该决定不能在系统中撤回。'
    default:
      return ''
  }
}

// ---------- the steps of a contract ----------

export interface ContractStep {
  key: string
  title: string
  description: string
}

export interface ContractSteps {
  steps: ContractStep[]
  /** The index of the current step; steps.length when all are done. */
  active: number
  /** How the current step is drawn (el-steps `process-status`). */
  processStatus: 'process' | 'error' | 'wait' | 'finish' | 'success'
}

/**
 * 草稿 → 待登记 → 已登记, with 退回补正 (and the second submission) when the contract was sent
 * back, 大额复核 when it applies, and 不予登记 in place of 已登记 for a refusal.
 */
export function contractSteps(
  c: Pick<Contract, 'status' | 'second_review' | 'submitted_on' | 'due_on' | 'decided_on' | 'registration_no'> & { corrected?: boolean },
): ContractSteps {
  const status = c.status
  const sentBack = status === 'correcting' || !!c.corrected
  const due = c.due_on ? `办结期限 ${c.due_on}` : ''
  const steps: ContractStep[] = [{ key: 'draft', title: '草稿', description: '填写合同信息，上传合同文本' }]
  steps.push({ key: 'submitted', title: '待登记', description: sentBack ? '首次提交' : [c.submitted_on ? `受理 ${c.submitted_on}` : '提交登记机构', due].filter(Boolean).join('，') })
  if (sentBack) {
    steps.push({ key: 'correcting', title: '退回补正', description: status === 'correcting' ? '按所列事项补正后重新提交' : '已补正' })
    steps.push({ key: 'resubmitted', title: '重新提交', description: status === 'correcting' ? '补正后仍不符合的不予登记' : [c.submitted_on ? `受理 ${c.submitted_on}` : '', due].filter(Boolean).join('，') })
  }
  if (c.second_review || status === 'second_review') {
    steps.push({ key: 'second_review', title: '大额复核', description: status === 'second_review' ? '待另一名登记员复核' : '已复核' })
  }
  if (status === 'refused') steps.push({ key: 'refused', title: '不予登记', description: c.decided_on ? `决定 ${c.decided_on}` : '' })
  else steps.push({ key: 'registered', title: '已登记', description: c.registration_no ? `${c.registration_no}${c.decided_on ? `，${c.decided_on}` : ''}` : '生成登记编号，出具登记证明' })

  const at = (key: string) => steps.findIndex((s) => s.key === key)
  switch (status) {
    case 'draft':
      return { steps, active: 0, processStatus: 'process' }
    case 'submitted':
      return { steps, active: at(sentBack ? 'resubmitted' : 'submitted'), processStatus: 'process' }
    case 'correcting':
      return { steps, active: at('correcting'), processStatus: 'error' }
    case 'second_review':
      return { steps, active: at('second_review'), processStatus: 'process' }
    case 'refused':
      return { steps, active: at('refused'), processStatus: 'error' }
    case 'registered':
      return { steps, active: steps.length, processStatus: 'success' }
    default:
      return { steps, active: 0, processStatus: 'wait' }
  }
}

// ---------- statistics ----------

export interface StatRow {
  key: string
  label: string
  count: number
  turnoverFen: number
  technicalFen: number
}

/** A statistics line in one shape, whichever keys it came with (key/label, year, month, code/name). */
export function statRow(x: ContractStatItem): StatRow {
  const key = String(x.key ?? x.year ?? x.month ?? x.code ?? '')
  let label = x.label ?? x.name ?? ''
  if (!label) label = x.year !== undefined ? `${x.year}年` : x.month ? `${Number(x.month.slice(5, 7))}月` : key
  const fen = (s: string) => {
    const a = parseAmount(s)
    return 'fen' in a ? a.fen : 0
  }
  return { key, label, count: Number(x.count) || 0, turnoverFen: fen(x.turnover), technicalFen: fen(x.technical) }
}

export function statRows(xs: ContractStatItem[] | null | undefined): StatRow[] {
  return (xs ?? []).map(statRow)
}

/** The total of lines (the server's `total` when it sends one). */
export function statTotal(rows: StatRow[], total?: ContractStatItem | null): StatRow {
  if (total) return { ...statRow(total), key: 'total', label: '合计' }
  return rows.reduce<StatRow>(
    (a, r) => ({ ...a, count: a.count + r.count, turnoverFen: a.turnoverFen + r.turnoverFen, technicalFen: a.technicalFen + r.technicalFen }),
    { key: 'total', label: '合计', count: 0, turnoverFen: 0, technicalFen: 0 },
  )
}

/** 技术交易额 as a share of 成交额: "80.0%"; '—' without any 成交额. */
export function technicalShare(r: Pick<StatRow, 'turnoverFen' | 'technicalFen'>): string {
  if (!r.turnoverFen) return '—'
  return `${((r.technicalFen / r.turnoverFen) * 100).toFixed(1)}%`
}

/** 分 → 万元 as a number for charts (two decimals). */
export function fenToWan(fen: number): number {
  return Math.round(fen / 10_000) / 100
}

// ---------- dictionaries ----------

const TAGS: TagType[] = ['primary', 'success', 'warning', 'danger', 'info']

/** The statuses as a DictTag dictionary, in the server's colours. */
export function statusDict(d: Pick<ContractDicts, 'statuses'> | null | undefined): Dict {
  return (d?.statuses ?? []).map((s) => ({ value: s.value, label: s.label, type: TAGS.includes(s.tag as TagType) ? (s.tag as TagType) : undefined }))
}

let dicts: Promise<ContractDicts> | null = null

/** GET /contracts/dicts, asked once per page load (a failure is asked again next time). */
export function loadContractDicts(): Promise<ContractDicts> {
  if (!dicts) {
    dicts = api.get<ContractDicts>('/contracts/dicts').catch((e) => {
      dicts = null
      throw e
    })
  }
  return dicts
}
