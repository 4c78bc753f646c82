// 资金项目, 资金安排 and 拨付台账 on the client: the checks the server makes on a programme, a
// payment, a bureau-entered grant and a 科技保险 claim (said before anything is sent, in the
// server's words), which programmes offer 生成名单 and 保费补贴申报, a
// programme's budget use, a grant's trace for auditors (rule → notice → objections → approval →
// payments), the ledger's kind columns and an enterprise's payments grouped by kind. Pure
// functions. Amounts are 元 as exact decimal text or integer 分, shown in 万元 with formatWan.
import type { BatchOutcome, Grant, InsuranceInput, LedgerRow, LedgerTotals, Payment, Programme, ProgrammeInput, ProgrammeTotal } from '@/api/types'
import { amountMessage, parseAmount } from './contracts'
import { FUND_KINDS, INSURANCE_PRODUCTS, label } from './dict'
import { formatTime, formatWan, formatYuan } from './format'

// ---------- amounts ----------

/** 分 → 万元 text with two decimals ("8.00"); '—' for none. */
export function wanOfFen(fen: number | null | undefined): string {
  return fen === null || fen === undefined ? '—' : formatWan(fen / 100)
}

/** 分 → 元 text with separators ("80,000.00"); '—' for none. */
export function yuanOfFen(fen: number | null | undefined): string {
  return fen === null || fen === undefined ? '—' : formatYuan(fen / 100)
}

/** Exact 分 of yuan text from the server ("200000", "12.5"); 0 when blank or not a number. */
export function fenOf(yuan: string | null | undefined): number {
  const a = parseAmount(yuan)
  return 'fen' in a ? a.fen : 0
}

/** 分 → exact yuan text for an input ("80000", "12.5"). */
export function yuanText(fen: number): string {
  const neg = fen < 0
  const f = Math.abs(Math.round(fen))
  const int = Math.floor(f / 100)
  const frac = String(f % 100).padStart(2, '0').replace(/0+$/, '')
  return `${neg ? '-' : ''}${int}${frac ? `.${frac}` : ''}`
}

// ---------- the policy packs a programme may name (crates/server funds_svc.rs PROGRAMME_PACKS) ----------

export interface PackOption {
  value: string
  label: string
  /** The programme kinds the pack decides. */
  kinds: string[]
}

export const PROGRAMME_PACKS: PackOption[] = [
  { value: 'rewards', label: '科技奖补（免申即享）', kinds: ['reward'] },
  { value: 'innovation-voucher', label: '科技创新券（资格、抵扣比例与年度上限）', kinds: ['voucher'] },
  { value: 'loan-interest', label: '科技贷贴息', kinds: ['interest'] },
  { value: 'loan-compensation', label: '科技贷风险补偿', kinds: ['compensation'] },
  { value: 'tech-insurance', label: '科技保险保费补贴', kinds: ['insurance'] },
  { value: 'instrument-subsidy', label: '大型科研仪器开放共享后补助', kinds: ['instrument'] },
  { value: 'commissioner-assessment', label: '科技特派员年度考核与工作经费', kinds: ['commissioner'] },
  { value: 'talent-tiers', label: '高层次人才分类认定与首次购房补贴', kinds: ['talent'] },
]

/** The pack a new programme of `kind` usually names ('' when none fits). */
export function defaultPack(kind: string): string {
  return PROGRAMME_PACKS.find((p) => p.kinds.includes(kind))?.value ?? ''
}

export function packLabel(id: string | null | undefined): string {
  if (!id) return '—'
  return PROGRAMME_PACKS.find((p) => p.value === id)?.label ?? id
}

// ---------- 资金项目 input ----------

export function emptyProgrammeInput(region = '', year = new Date().getFullYear()): ProgrammeInput {
  return {
    code: '',
    name: '',
    kind: '',
    mode: 'apply',
    year,
    region,
    budget: '',
    fund_source: '',
    basis: '',
    pack: '',
    org_cap: '',
    notice_days: 7,
    valid_days: 365,
    status: 'open',
    note: '',
  }
}

export function inputFromProgramme(p: Programme): ProgrammeInput {
  return {
    code: p.code,
    name: p.name,
    kind: p.kind,
    mode: p.mode,
    year: p.year,
    region: p.region_code,
    budget: p.budget,
    fund_source: p.fund_source,
    basis: p.basis,
    pack: p.pack ?? '',
    org_cap: p.org_cap ?? '',
    notice_days: p.notice_days,
    valid_days: p.valid_days ?? 365,
    status: p.status,
    note: p.note,
  }
}

/** What is sent: text trimmed, the code in capitals, amounts without separators. */
export function normalizeProgrammeInput(i: ProgrammeInput): ProgrammeInput {
  const amount = (s: string) => s.trim().replace(/[,，\s]/g, '')
  return {
    ...i,
    code: i.code.trim().toUpperCase(),
    name: i.name.trim(),
    region: i.region.trim(),
    budget: amount(i.budget),
    fund_source: i.fund_source.trim(),
    basis: i.basis.trim(),
    pack: i.pack.trim(),
    org_cap: amount(i.org_cap),
    note: i.note.trim(),
    year: Number(i.year),
    notice_days: Number(i.notice_days),
    valid_days: Number(i.valid_days),
  }
}

function textProblem(v: string, label: string, max: number, required: boolean): string {
  const t = v.trim()
  if (required && !t) return `${label}不能为空`
  if ([...t].length > max) return `${label}不超过${max}个字`
  return ''
}

function amountProblem(v: string, label: string, required: boolean): string {
  const a = parseAmount(v)
  if ('empty' in a) return required ? `${label}不能为空` : ''
  if ('problem' in a) return amountMessage(label, a.problem, v)
  if (a.fen <= 0) return `${label}必须大于零`
  return ''
}

/**
 * The checks of NewProgramme::parse (crates/domain/src/funds.rs), field → message; empty when
 * the server would take it. `packs` are the pack ids it knows.
 */
export function checkProgramme(i: ProgrammeInput, packs: string[] = PROGRAMME_PACKS.map((p) => p.value)): Record<string, string> {
  const out: Record<string, string> = {}
  const put = (k: string, m: string) => {
    if (m && !out[k]) out[k] = m
  }
  const code = i.code.trim()
  if (!code || [...code].length > 40 || !/^[A-Za-z0-9-]+$/.test(code)) put('code', '项目编号不能为空，由字母、数字和“-”组成，不超过40个字符')
  put('name', textProblem(i.name, '项目名称', 100, true))
  const kind = FUND_KINDS.find((k) => k.value === i.kind)
  if (!kind) put('kind', '请选择资金项目类别')
  if (!['apply', 'auto'].includes(i.mode)) put('mode', '请选择支持方式')
  const year = Number(i.year)
  if (!Number.isInteger(year) || year < 2000 || year > 2100) put('year', '年度应在2000至2100之间')
  if (!i.region.trim()) put('region', '请选择实施区域')
  put('budget', amountProblem(i.budget, '预算', true))
  put('fund_source', textProblem(i.fund_source, '资金来源', 100, true))
  put('basis', textProblem(i.basis, '政策依据', 300, true))
  const pack = i.pack.trim()
  if (pack && !packs.includes(pack)) put('pack', `政策包“${pack}”不存在，可选：${packs.join('、')}`)
  put('org_cap', amountProblem(i.org_cap, '单个企业支持上限', false))
  const nd = Number(i.notice_days)
  if (!Number.isInteger(nd) || nd < 0 || nd > 90) put('notice_days', '公示期应在0至90日之间')
  if (i.kind === 'voucher') {
    const vd = Number(i.valid_days)
    if (!Number.isInteger(vd) || vd < 1 || vd > 730) put('valid_days', '创新券有效期应在1至730日之间')
    if (!pack) put('pack', '科技创新券须指定决定资格和抵扣比例的政策包')
  }
  if (i.kind === 'reward' && i.mode === 'auto' && !pack) put('pack', '免申即享的科技奖补须指定计算奖补的政策包（rewards）')
  if (i.status && !['draft', 'open', 'closed'].includes(i.status)) put('status', '请选择项目状态')
  put('note', textProblem(i.note, '说明', 2000, false))
  return out
}

/**
 * 生成名单 is offered for a 免申即享 programme whose list the server computes: a reward
 * programme (from the registry) or 仪器共享后补助 (from the year's booking records).
 */
export function canPropose(p: Pick<Programme, 'kind' | 'mode'>): boolean {
  return p.mode === 'auto' && ['reward', 'instrument', 'commissioner', 'talent'].includes(p.kind)
}

/** What the 生成名单 button, its confirmation and the empty table say for a programme. */
export function proposeWording(p: Pick<Programme, 'kind' | 'year'>): { button: string; confirm: string; empty: string } {
  if (p.kind === 'commissioner') {
    return {
      button: '生成工作经费名单',
      confirm: `按 ${p.year} 年度科技特派员考核结果生成工作经费名单：考核合格以上的特派员各生成一项“拟支持”的资金安排（拨付派出单位），金额与说明来自考核政策包；已生成的不再重复。确定生成吗？`,
      empty: '暂无资金安排，可先在“年度考核”运行考核，再点击“生成工作经费名单”',
    }
  }
  if (p.kind === 'talent') {
    return {
      button: '生成人才补贴名单',
      confirm: `按 ${p.year} 年度认定的人才生成首次购房补贴名单：每名有效认定的人才生成一项“拟支持”的资金安排（拨付用人单位），金额按人才层次由政策包计算；已生成的不再重复。确定生成吗？`,
      empty: '暂无资金安排，可点击“生成人才补贴名单”从认定人才计算',
    }
  }
  if (p.kind === 'instrument') {
    return {
      button: '生成后补助名单',
      confirm: `按政策包从仪器预约的使用记录计算 ${p.year} 年度各仪器管理单位的对外服务收入和机时：每个有对外服务的单位生成一项“拟支持”的后补助，附计算说明；已生成的单位不再重复。确定生成吗？`,
      empty: '暂无资金安排，可点击“生成后补助名单”从仪器使用记录计算',
    }
  }
  return {
    button: '生成免申即享名单',
    confirm: `按政策包从登记库计算 ${p.year} 年度的免申即享名单：每项奖补事项生成一项“拟支持”的资金安排，附计算说明；已生成或已在其他资金项目获得支持的事项不再重复。确定生成吗？`,
    empty: '暂无资金安排，可点击“生成免申即享名单”从登记库计算',
  }
}

/** 保费补贴申报 is offered for a 科技保险补贴 programme (whether it still takes one is the server's say). */
export function canClaimInsurance(p: Pick<Programme, 'kind'>): boolean {
  return p.kind === 'insurance'
}

// ---------- budget ----------

export interface BudgetUse {
  budgetFen: number
  committedFen: number
  paidFen: number
  balanceFen: number
  /** 已批准 / 预算, percent 0–100 (one decimal) */
  committedPct: number
  /** 已拨付 / 预算 */
  paidPct: number
  /** The bar's colour: 'exception' when fully committed or over, 'warning' above 90 %. */
  status: '' | 'success' | 'warning' | 'exception'
}

export function budgetUse(p: Pick<Programme, 'budget_fen' | 'committed_fen' | 'paid_fen' | 'balance_fen'>): BudgetUse {
  const pct = (x: number) => (p.budget_fen > 0 ? Math.min(100, Math.round((x / p.budget_fen) * 1000) / 10) : 0)
  const committedPct = pct(p.committed_fen)
  return {
    budgetFen: p.budget_fen,
    committedFen: p.committed_fen,
    paidFen: p.paid_fen,
    balanceFen: p.balance_fen,
    committedPct,
    paidPct: pct(p.paid_fen),
    status: p.balance_fen <= 0 && p.budget_fen > 0 ? 'exception' : committedPct >= 90 ? 'warning' : '',
  }
}

// ---------- 资金安排 ----------

/** 待拨付 of a grant (approved minus paid), never negative. */
export function unpaidFen(g: Pick<Grant, 'amount_fen' | 'paid_fen'>): number {
  return Math.max(0, g.amount_fen - g.paid_fen)
}

/** A grant may still be refused (before any payment). */
export function mayRefuse(g: Pick<Grant, 'status' | 'paid_fen'>): boolean {
  return ['proposed', 'noticed', 'approved'].includes(g.status) && g.paid_fen === 0
}

/** A grant may be paid (approved, something left to pay). */
export function mayPay(g: Pick<Grant, 'status' | 'amount_fen' | 'paid_fen'>): boolean {
  return g.status === 'approved' && unpaidFen(g) > 0
}

export interface PaymentForm {
  paid_on: string
  amount: string
  document_no: string
  note: string
}

/**
 * The checks of NewPayment::parse and of the API (no date after `today`), and the amount within
 * what is left to pay.
 */
export function checkPayment(i: PaymentForm, leftFen?: number, today?: string): Record<string, string> {
  const out: Record<string, string> = {}
  const day = i.paid_on.trim()
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) out.paid_on = '拨付日期格式应为 YYYY-MM-DD'
  else if (today && day > today) out.paid_on = '拨付日期不能晚于今天'
  const a = amountProblem(i.amount, '拨付金额', true)
  if (a) out.amount = a
  else if (leftFen !== undefined) {
    const fen = fenOf(i.amount.replace(/[,，\s]/g, ''))
    if (fen > leftFen) out.amount = `拨付金额超过待拨付金额 ${yuanText(leftFen)} 元`
  }
  const d = textProblem(i.document_no, '拨付凭证号', 60, true)
  if (d) out.document_no = d
  const n = textProblem(i.note, '备注', 500, false)
  if (n) out.note = n
  return out
}

export interface GrantForm {
  org_id: number | null
  matter: string
  amount: string
  explanation: string
}

/** A 申报制 item entered by the bureau: who, which matter, how much and why. */
export function checkGrant(i: GrantForm): Record<string, string> {
  const out: Record<string, string> = {}
  if (!i.org_id) out.org_id = '请选择获得支持的单位'
  // The server's words (crates/server api/funds.rs add_grant).
  const matter = i.matter.trim()
  if (!matter || [...matter].length > 200) out.matter = '支持事项不能为空，且不超过200个字'
  const a = amountProblem(i.amount, '支持金额', true)
  if (a) out.amount = a
  const e = i.explanation.trim()
  if (!e || [...e].length > 2000) out.explanation = '请写明支持理由（评审结论、文件依据），不超过2000字'
  return out
}

export interface InsuranceForm {
  org_id: number | null
  product: string
  policy_no: string
  /** 实际缴纳保费 (元) */
  premium: string
  /** 同一保单已获其他补贴 (元), blank for none */
  other_subsidy: string
}

/**
 * 科技保险保费补贴申报: the checks of the API (crates/server api/funds.rs insurance_claim), in its
 * words. Whether the policy is subsidized, and how much, is the tech-insurance pack's answer.
 */
export function checkInsurance(i: InsuranceForm, products: string[] = INSURANCE_PRODUCTS.map((x) => x.value)): Record<string, string> {
  const out: Record<string, string> = {}
  if (!i.org_id) out.org_id = '请选择投保企业'
  if (!products.includes(i.product)) out.product = '请选择险种'
  const policy = i.policy_no.trim()
  if (!policy || [...policy].length > 60) out.policy_no = '保单号不能为空，且不超过60个字符'
  const a = amountProblem(i.premium, '实际缴纳保费', true)
  if (a) out.premium = a
  const o = parseAmount(i.other_subsidy)
  if ('problem' in o) out.other_subsidy = amountMessage('其他补贴', o.problem, i.other_subsidy)
  return out
}

/** What is sent: the policy number trimmed, amounts without separators, no other subsidy as ''. */
export function normalizeInsurance(i: InsuranceForm): InsuranceInput {
  const amount = (s: string) => s.trim().replace(/[,，\s]/g, '')
  return { org_id: i.org_id ?? 0, product: i.product, policy_no: i.policy_no.trim(), premium: amount(i.premium), other_subsidy: amount(i.other_subsidy) }
}

/** The pack's refusal (422 insurance.none, "不予补贴：…"), shown as a warning rather than an error. */
export function insuranceRefusal(e: unknown): string | null {
  const fields = (e as { fields?: { code?: string; message?: string }[] } | null)?.fields
  if (!Array.isArray(fields)) return null
  return fields.find((f) => f.code === 'insurance.none')?.message ?? null
}

/** One step of a grant's trace. */
export interface TraceStep {
  key: string
  title: string
  /** YYYY-MM-DD or YYYY-MM-DD HH:mm; '' when the step has no date */
  when: string
  text: string
  type: 'primary' | 'success' | 'warning' | 'danger' | 'info'
  /** A step not reached yet (shown hollow). */
  pending?: boolean
}

/**
 * What an auditor follows from the decision to the money: the rule and why, the notice, each
 * objection and how it was resolved, the refusal or the approval, and every payment with its
 * document number.
 */
export function grantTrace(g: Grant, payments: Pick<Payment, 'id' | 'paid_on' | 'amount' | 'document_no' | 'note'>[]): TraceStep[] {
  const out: TraceStep[] = []
  out.push({
    key: 'rule',
    title: '拟支持',
    when: '',
    text: `依据：${g.rule || '—'}`,
    type: 'primary',
  })
  if (g.notice_start) {
    out.push({ key: 'notice', title: '公示', when: g.notice_start, text: `公示期 ${g.notice_start} 至 ${g.notice_end ?? '—'}`, type: 'warning' })
  }
  for (const o of g.objections) {
    const head = `${o.by_name}提出异议：${o.content}`
    const res = !o.resolved
      ? '（待处理）'
      : `；处理结果：异议${o.upheld ? '成立' : '不成立'}${o.resolution ? `，${o.resolution}` : ''}`
    out.push({ key: `objection-${o.no}`, title: `异议 ${o.no}`, when: formatTime(o.at), text: head + res, type: o.resolved ? (o.upheld ? 'danger' : 'info') : 'warning', pending: !o.resolved })
  }
  if (g.status === 'refused') {
    out.push({ key: 'refused', title: '不予支持', when: '', text: g.refusal_reason ? `理由：${g.refusal_reason}` : '不予支持', type: 'danger' })
  }
  if (g.approved_on) {
    out.push({ key: 'approved', title: '批准', when: g.approved_on, text: `批准安排 ${formatYuan(g.amount)} 元`, type: 'success' })
  }
  const sorted = [...payments].sort((a, b) => a.paid_on.localeCompare(b.paid_on) || a.id - b.id)
  for (const p of sorted) {
    out.push({
      key: `payment-${p.id}`,
      title: '拨付',
      when: p.paid_on,
      text: `拨付 ${formatYuan(p.amount)} 元，凭证号 ${p.document_no}${p.note ? `（${p.note}）` : ''}`,
      type: 'success',
    })
  }
  if (g.status !== 'refused' && !g.approved_on) out.push({ key: 'wait-approve', title: '批准', when: '', text: '尚未批准', type: 'info', pending: true })
  else if (g.status === 'approved' && unpaidFen(g) > 0) {
    out.push({ key: 'wait-pay', title: '拨付', when: '', text: `待拨付 ${yuanOfFen(unpaidFen(g))} 元`, type: 'info', pending: true })
  }
  return out
}

/** "已批准 3 项" and the reasons of those left, one line each. */
export function outcomeText(o: BatchOutcome, verb: string): { title: string; skipped: string[] } {
  const bare = verb.replace(/^已/, '')
  const title = !o.skipped.length
    ? `${verb} ${o.changed} 项`
    : o.changed
      ? `${verb} ${o.changed} 项，另有 ${o.skipped.length} 项未${bare}：`
      : `未${bare}任何事项，${o.skipped.length} 项的原因如下：`
  return { title, skipped: o.skipped }
}

// ---------- 拨付台账 ----------

/** The ledger's columns, one per programme kind; the kinds not listed count under 其他. */
export const LEDGER_COLUMNS: { key: string; label: string }[] = [
  { key: 'reward', label: '科技奖补' },
  { key: 'voucher', label: '科技创新券' },
  { key: 'interest', label: '科技贷贴息' },
  { key: 'insurance', label: '科技保险补贴' },
  { key: 'instrument', label: '仪器共享后补助' },
  { key: 'commissioner', label: '特派员工作经费' },
  { key: 'talent', label: '人才补贴' },
  { key: 'other', label: '其他' },
]

/** The column a programme kind is counted under. */
export function ledgerColumnOf(kind: string): string {
  return LEDGER_COLUMNS.some((c) => c.key === kind) ? kind : 'other'
}

/** A LedgerRow's amounts by column in 分 (exact); a column without payments is null. */
export function ledgerCells(byKind: LedgerRow['by_kind']): Record<string, number | null> {
  const out: Record<string, number | null> = Object.fromEntries(LEDGER_COLUMNS.map((c) => [c.key, null]))
  for (const [kind, yuan] of Object.entries(byKind ?? {})) {
    const col = ledgerColumnOf(kind)
    out[col] = (out[col] ?? 0) + fenOf(yuan)
  }
  return out
}

export interface AmountRow {
  key: string
  name: string
  fen: number
}

/** The totals by region, largest first, named. */
export function regionRows(t: Pick<LedgerTotals, 'by_region' | 'region_names'>): AmountRow[] {
  return Object.entries(t.by_region ?? {})
    .map(([code, yuan]) => ({ key: code, name: t.region_names?.[code] ?? code, fen: fenOf(yuan) }))
    .sort((a, b) => b.fen - a.fen || a.key.localeCompare(b.key))
}

/** The totals by ledger column (其他 gathering the rest), in the columns' order, without empty ones. */
export function kindRows(byKind: Record<string, string>): AmountRow[] {
  const cells = ledgerCells(byKind)
  return LEDGER_COLUMNS.filter((c) => cells[c.key] !== null).map((c) => ({ key: c.key, name: c.label, fen: cells[c.key] ?? 0 }))
}

export interface ProgrammeTotalRow extends ProgrammeTotal {
  kindLabel: string
  budgetFen: number
  paidFen: number
  balanceFen: number
}

export function programmeTotalRows(xs: ProgrammeTotal[] | null | undefined): ProgrammeTotalRow[] {
  return (xs ?? []).map((x) => ({ ...x, kindLabel: label(FUND_KINDS, x.kind), budgetFen: fenOf(x.budget), paidFen: fenOf(x.paid), balanceFen: fenOf(x.balance) }))
}

// ---------- 我获得的资金 ----------

export interface ReceivedGroup {
  /** ledger column key */
  key: string
  label: string
  totalFen: number
  /** newest year first */
  years: { year: number; fen: number }[]
  payments: Payment[]
}

/** An organization's payments grouped by the ledger's kind columns, each with totals per year. */
export function receivedGroups(payments: Payment[]): ReceivedGroup[] {
  const groups = new Map<string, ReceivedGroup>()
  for (const p of payments) {
    const key = ledgerColumnOf(p.programme_kind)
    let g = groups.get(key)
    if (!g) {
      g = { key, label: LEDGER_COLUMNS.find((c) => c.key === key)!.label, totalFen: 0, years: [], payments: [] }
      groups.set(key, g)
    }
    g.totalFen += p.amount_fen
    g.payments.push(p)
    const y = g.years.find((x) => x.year === p.year)
    if (y) y.fen += p.amount_fen
    else g.years.push({ year: p.year, fen: p.amount_fen })
  }
  const order = LEDGER_COLUMNS.map((c) => c.key)
  return [...groups.values()]
    .map((g) => ({
      ...g,
      years: g.years.sort((a, b) => b.year - a.year),
      payments: g.payments.sort((a, b) => b.paid_on.localeCompare(a.paid_on) || b.id - a.id),
    }))
    .sort((a, b) => order.indexOf(a.key) - order.indexOf(b.key))
}
