import { describe, expect, it, vi } from 'vitest'
import { type RouteLocationNormalizedLoaded, createMemoryHistory, createRouter } from 'vue-router'
import type { Contract, ContractCategory, ContractInput } from '@/api/types'
import { breadcrumbs } from '@/layout/nav'
import {
  FINDINGS, OTHER_CATEGORY, categoryChoice, categoryText, checkContract, cleanFindings, contractSteps, creditCodeProblem, deadlineText, emptyInput,
  estimateTechnical, findingsAgainst, inputFromContract, normalizeInput, outcomeText, parseAmount, statRow, statRows, statTotal, statusDict,
  technicalShare,
} from '@/utils/contracts'

vi.mock('@/layout/Layout.vue', () => ({ default: { render: () => null } }))

const CATEGORIES: ContractCategory[] = [
  { value: 'development', label: '技术开发', subcategories: [{ value: 'entrusted', label: '委托开发' }, { value: 'cooperative', label: '合作开发' }] },
  { value: 'transfer', label: '技术转让', subcategories: [{ value: 'patent', label: '专利权转让' }] },
  { value: 'consulting', label: '技术咨询', subcategories: [] },
]
const TODAY = '2025-12-01'

/** The server's own good contract (crates/domain contract.rs tests). */
function good(over: Partial<ContractInput> = {}): ContractInput {
  return {
    ...emptyInput(),
    contract_no: 'JY-2025-001',
    subject: '高纯铅电解精炼工艺开发',
    category: 'development',
    subcategory: 'entrusted',
    field: 'materials',
    ip_kind: 'patent',
    buyer_name: '河南豫光金铅股份有限公司',
    buyer_credit_code: '91410000706784652H',
    total_amount: '1000000',
    non_tech_amount: '200000',
    signed_on: '2025-03-01',
    valid_from: '2025-03-01',
    valid_to: '2026-02-28',
    ...over,
  }
}

describe('amounts in 元', () => {
  it('reads what people type, exactly in 分', () => {
    expect(parseAmount('1,000,000')).toEqual({ fen: 100_000_000 })
    expect(parseAmount(' 12.5 ')).toEqual({ fen: 1250 })
    expect(parseAmount('0.01')).toEqual({ fen: 1 })
    expect(parseAmount('1.230')).toEqual({ fen: 123 })
    expect(parseAmount('-0')).toEqual({ fen: 0 })
    expect(parseAmount('')).toEqual({ empty: true })
  })
  it('names what the server would refuse', () => {
    expect(parseAmount('-5')).toEqual({ problem: 'negative' })
    expect(parseAmount('1.234')).toEqual({ problem: 'precision' })
    expect(parseAmount('十万')).toEqual({ problem: 'format' })
    expect(parseAmount('.')).toEqual({ problem: 'format' })
    expect(parseAmount('99999999999999999999')).toEqual({ problem: 'range' })
  })
})

describe('预计技术交易额', () => {
  it('is the total less the non-technical costs, the subject matter’s direct cost not deducted', () => {
    // 1,000,000 − max(200,000 − 50,000, 0) = 850,000
    expect(estimateTechnical({ total_amount: '1000000', non_tech_amount: '200000', carrier_amount: '50000' })).toEqual({ deductedFen: 15_000_000, technicalFen: 85_000_000 })
  })
  it('deducts nothing when the costs are blank or all subject-matter cost', () => {
    expect(estimateTechnical({ total_amount: '300000', non_tech_amount: '', carrier_amount: '' })).toEqual({ deductedFen: 0, technicalFen: 30_000_000 })
    expect(estimateTechnical({ total_amount: '300000', non_tech_amount: '1000', carrier_amount: '5000' })).toEqual({ deductedFen: 0, technicalFen: 30_000_000 })
  })
  it('is 0 for a contract that is not a technology contract, and unknown until the amounts are valid', () => {
    expect(estimateTechnical({ total_amount: '500000', non_tech_amount: '0', carrier_amount: '0' }, false)).toEqual({ deductedFen: 0, technicalFen: 0 })
    expect(estimateTechnical({ total_amount: '', non_tech_amount: '0', carrier_amount: '0' })).toBeNull()
    expect(estimateTechnical({ total_amount: '100', non_tech_amount: '-1', carrier_amount: '0' })).toBeNull()
  })
})

describe('统一社会信用代码', () => {
  it('accepts a valid code (lower case too) and says what is wrong with the others', () => {
    expect(creditCodeProblem('91410000706784652H')).toBe('')
    expect(creditCodeProblem('91419001ma44tj0f4x')).toBe('')
    expect(creditCodeProblem('91410000706784652J')).toBe('统一社会信用代码校验位错误：第18位应为“H”，实际为“J”，请核对')
    expect(creditCodeProblem('9141000070678465')).toBe('统一社会信用代码应为18位，实际为16位')
    expect(creditCodeProblem('91410000I06784652H')).toContain('第9位“I”不是合法字符')
    expect(creditCodeProblem('91A10000706784652H')).toBe('统一社会信用代码第3至8位应为登记管理机关行政区划码（6位数字）')
    expect(creditCodeProblem('  ')).toBe('统一社会信用代码不能为空')
  })
})

describe('checkContract (the server’s checks, before sending)', () => {
  it('passes the server’s good contract', () => {
    expect(checkContract(good(), TODAY, CATEGORIES)).toEqual({})
    // Blank costs are 0; a Chinese label for the category is accepted like its value.
    expect(checkContract(good({ non_tech_amount: '', category: '技术开发', subcategory: '委托开发' }), TODAY, CATEGORIES)).toEqual({})
  })
  it('names every required field at once', () => {
    const e = checkContract(emptyInput(), TODAY, CATEGORIES)
    expect(Object.keys(e).sort()).toEqual(['buyer_credit_code', 'buyer_name', 'category', 'contract_no', 'signed_on', 'subject', 'total_amount'])
    expect(e.total_amount).toBe('合同成交总额不能为空')
  })
  it('puts each amount problem on its field', () => {
    expect(checkContract(good({ total_amount: '-5' }), TODAY, CATEGORIES).total_amount).toBe('合同成交总额不能为负数')
    expect(checkContract(good({ total_amount: '0', non_tech_amount: '0' }), TODAY, CATEGORIES).total_amount).toBe('合同成交总额应大于0')
    expect(checkContract(good({ non_tech_amount: '1000001' }), TODAY, CATEGORIES)).toEqual({ non_tech_amount: '非技术性费用不能超过合同成交总额' })
    expect(checkContract(good({ carrier_amount: '300000' }), TODAY, CATEGORIES)).toEqual({ carrier_amount: '合理数量标的物的直接成本是非技术性费用的一部分，不能超过非技术性费用' })
    expect(checkContract(good({ carrier_amount: '200000' }), TODAY, CATEGORIES)).toEqual({})
  })
  it('checks the dates: not signed in the future, the term in order', () => {
    expect(checkContract(good({ signed_on: '2026-01-01' }), TODAY, CATEGORIES)).toEqual({ signed_on: '签订日期不能晚于今天' })
    expect(checkContract(good({ signed_on: '1989-12-31', valid_from: '', valid_to: '' }), TODAY, CATEGORIES)).toEqual({ signed_on: '签订日期早于1990年，请核对' })
    expect(checkContract(good({ valid_from: '', valid_to: '2025-02-01' }), TODAY, CATEGORIES)).toEqual({ valid_to: '有效期止不能早于签订日期' })
    expect(checkContract(good({ valid_from: '2025-06-01', valid_to: '2025-05-01' }), TODAY, CATEGORIES)).toEqual({ valid_to: '有效期止不能早于有效期起' })
    expect(checkContract(good({ valid_from: '', valid_to: '' }), TODAY, CATEGORIES)).toEqual({})
  })
  it('refuses a subcategory of another category, and the buyer’s bad credit code', () => {
    expect(checkContract(good({ subcategory: 'patent' }), TODAY, CATEGORIES).subcategory).toBe('技术开发合同的子类“patent”无效，可选：委托开发、合作开发')
    expect(checkContract(good({ category: 'consulting', subcategory: 'x' }), TODAY, CATEGORIES).subcategory).toBe('技术咨询合同不分子类，“x”无效')
    expect(checkContract(good({ buyer_credit_code: '91410000706784652J' }), TODAY, CATEGORIES)).toEqual({ buyer_credit_code: '统一社会信用代码校验位错误：第18位应为“H”，实际为“J”，请核对' })
  })
  it('lets a contract of another kind be applied for (it is refused at registration, not here)', () => {
    expect(checkContract(good({ category: '买卖合同', subcategory: '' }), TODAY, CATEGORIES)).toEqual({})
  })
  it('sends trimmed text, the code in upper case and amounts without separators', () => {
    const b = normalizeInput(good({ subject: ' 项目 ', buyer_credit_code: ' 91410000706784652h', total_amount: '1,000,000.00 ' }))
    expect([b.subject, b.buyer_credit_code, b.total_amount]).toEqual(['项目', '91410000706784652H', '1000000.00'])
  })
})

describe('categories on the form', () => {
  it('chooses the class, or 其他 with the text for another kind', () => {
    expect(categoryChoice('development', CATEGORIES)).toEqual({ choice: 'development', other: '' })
    expect(categoryChoice('技术转让', CATEGORIES)).toEqual({ choice: 'transfer', other: '' })
    expect(categoryChoice('买卖合同', CATEGORIES)).toEqual({ choice: OTHER_CATEGORY, other: '买卖合同' })
    expect(categoryChoice('', CATEGORIES)).toEqual({ choice: '', other: '' })
  })
  it('edits a stored contract as it was typed', () => {
    const c = { ...contract('draft'), category: '', category_label: '', category_text: '买卖合同', total_amount: '1000000.00', non_tech_amount: '12.50', carrier_amount: '0.00', valid_from: null, broker_name: null }
    const i = inputFromContract(c)
    expect([i.category, i.total_amount, i.non_tech_amount, i.carrier_amount, i.valid_from, i.broker_name]).toEqual(['买卖合同', '1000000', '12.5', '0', '', ''])
    expect(categoryText(c)).toBe('买卖合同（非技术合同）')
    expect(categoryText({ category_label: '技术开发', category_text: '技术开发', subcategory_label: '委托开发' }, true)).toBe('技术开发 / 委托开发')
  })
})

describe('the registrar’s findings', () => {
  it('start clean: all true but the monopoly clause', () => {
    expect(cleanFindings()).toEqual({ parties_clear: true, subject_clear: true, price_clear: true, name_matches: true, seal_ok: true, documents_ok: true, approval_ok: true, monopoly_clause: false })
    expect(findingsAgainst(cleanFindings())).toEqual([])
    expect(FINDINGS.map((f) => f.label)).toContain('含非法垄断技术或不合理限制条款')
  })
  it('list the ones against the contract', () => {
    const f = { ...cleanFindings(), seal_ok: false, monopoly_clause: true }
    expect(findingsAgainst(f).map((x) => [x.label, x.effect])).toEqual([['印章齐全且与书写名称一致', 'correct'], ['含非法垄断技术或不合理限制条款', 'refuse']])
  })
  it('say what 确定 will do before it is clicked', () => {
    expect(outcomeText({ decision: 'register', second_review: false, technical_amount: '850000.00' })).toContain('予以登记：核定技术交易额 85万元')
    expect(outcomeText({ decision: 'register', second_review: true, technical_amount: '6000000' })).toContain('大额复核')
    expect(outcomeText({ decision: 'correct', second_review: false, technical_amount: '0' })).toContain('退回卖方补正')
    expect(outcomeText({ decision: 'refuse', second_review: false, technical_amount: '0' })).toContain('不予登记')
    expect(deadlineText(30, false)).toBe('30日')
    expect(deadlineText(15, true)).toBe('15个工作日')
  })
})

function contract(status: string, over: Partial<Contract> = {}): Contract {
  return {
    id: 1, contract_no: 'JY-2025-001', subject: '高纯铅电解精炼工艺开发', category: 'development', category_label: '技术开发', category_text: '技术开发',
    subcategory: 'entrusted', subcategory_label: '委托开发', form: 'written', form_label: '书面', field: '', field_label: '', ip_kind: '', ip_kind_label: '',
    seller_org_id: 9, seller_name: '卖方', seller_credit_code: '91419001MA44TJ0F4X', seller_region_code: '419001', seller_region_name: '济源市',
    buyer_name: '买方', buyer_credit_code: '91410000706784652H', buyer_region_code: '410000', buyer_region_name: '河南省',
    total_amount: '1000000.00', non_tech_amount: '0.00', carrier_amount: '0.00', technical_amount: null, signed_on: '2025-03-01', valid_from: null, valid_to: null,
    status, status_label: status, submitted_on: null, due_on: null, decided_on: null, registration_no: null, decision: null, reasons: [], explanation_text: null,
    second_review: false, note: null, file_name: null, file_sha256: null, broker_name: null, updated_at: 0, actions: [],
    ...over,
  }
}

describe('the steps of a contract', () => {
  const titles = (s: ReturnType<typeof contractSteps>) => s.steps.map((x) => x.title)
  it('草稿 → 待登记 → 已登记 for a plain contract', () => {
    const d = contractSteps(contract('draft'))
    expect(titles(d)).toEqual(['草稿', '待登记', '已登记'])
    expect([d.active, d.processStatus]).toEqual([0, 'process'])
    const s = contractSteps(contract('submitted', { submitted_on: '2025-03-07', due_on: '2025-04-06' }))
    expect([s.active, s.steps[1].description]).toEqual([1, '受理 2025-03-07，办结期限 2025-04-06'])
    const r = contractSteps(contract('registered', { registration_no: '25419001000037', decided_on: '2025-03-20' }))
    expect([r.active, r.processStatus, r.steps[2].description]).toEqual([3, 'success', '25419001000037，2025-03-20'])
  })
  it('shows 退回补正 (and the second submission) when the contract was sent back', () => {
    const c = contractSteps(contract('correcting', { corrected: true }))
    expect(titles(c)).toEqual(['草稿', '待登记', '退回补正', '重新提交', '已登记'])
    expect([c.active, c.processStatus]).toEqual([2, 'error'])
    const again = contractSteps(contract('submitted', { corrected: true }))
    expect(again.active).toBe(3)
  })
  it('shows 大额复核 when it applies, and 不予登记 in place of 已登记', () => {
    const big = contractSteps(contract('second_review', { second_review: true }))
    expect(titles(big)).toEqual(['草稿', '待登记', '大额复核', '已登记'])
    expect(big.active).toBe(2)
    const done = contractSteps(contract('registered', { second_review: true }))
    expect([done.active, titles(done)]).toEqual([4, ['草稿', '待登记', '大额复核', '已登记']])
    const no = contractSteps(contract('refused'))
    expect(titles(no)).toEqual(['草稿', '待登记', '不予登记'])
    expect([no.active, no.processStatus]).toEqual([2, 'error'])
  })
})

describe('statistics', () => {
  it('reads the server’s lines and the note’s shapes alike', () => {
    expect(statRow({ key: '2025', label: '2025年', count: 3, turnover: '1500000.00', technical: '1200000.5' })).toEqual({ key: '2025', label: '2025年', count: 3, turnoverFen: 150_000_000, technicalFen: 120_000_050 })
    expect(statRow({ year: 2024, count: 1, turnover: '10', technical: '8' })).toMatchObject({ key: '2024', label: '2024年' })
    expect(statRow({ month: '2025-03', count: 1, turnover: '10', technical: '8' })).toMatchObject({ key: '2025-03', label: '3月' })
    expect(statRow({ code: '419001', name: '济源市', count: 1, turnover: '10', technical: '8' })).toMatchObject({ key: '419001', label: '济源市' })
  })
  it('totals the lines (or takes the server’s total) and gives the technical share', () => {
    const rows = statRows([
      { key: '2024', label: '2024年', count: 2, turnover: '1000000', technical: '800000' },
      { key: '2025', label: '2025年', count: 1, turnover: '500000', technical: '100000' },
    ])
    const t = statTotal(rows)
    expect([t.count, t.turnoverFen, t.technicalFen]).toEqual([3, 150_000_000, 90_000_000])
    expect(technicalShare(t)).toBe('60.0%')
    expect(technicalShare({ turnoverFen: 0, technicalFen: 0 })).toBe('—')
    expect(statTotal(rows, { key: 'total', label: '合计', count: 9, turnover: '1', technical: '1' }).count).toBe(9)
  })
})

describe('the status dictionary', () => {
  it('keeps the server’s colours, and drops a colour Element Plus does not know', () => {
    expect(statusDict({ statuses: [{ value: 'draft', label: '草稿', tag: 'info' }, { value: 'registered', label: '已登记', tag: 'success' }, { value: 'x', label: 'X', tag: 'pink' }] })).toEqual([
      { value: 'draft', label: '草稿', type: 'info' },
      { value: 'registered', label: '已登记', type: 'success' },
      { value: 'x', label: 'X', type: undefined },
    ])
    expect(statusDict(null)).toEqual([])
  })
})

describe('routes of 技术市场', () => {
  it('put a contract under its list in the 技术市场 group', async () => {
    const { appRoutes } = await import('@/router')
    const r = createRouter({ history: createMemoryHistory(), routes: [{ path: '/', children: appRoutes, component: { render: () => null } }] })
    const c = breadcrumbs(r, r.resolve('/market/contracts/5') as unknown as RouteLocationNormalizedLoaded, () => true)
    expect(c.map((x) => x.title)).toEqual(['首页', '技术市场', '技术合同登记', '合同详情'])
    expect(c[2].to).toBe('/market/contracts')
    const names = appRoutes.map((x) => String(x.name))
    expect(names.indexOf('market-contracts')).toBeGreaterThan(names.indexOf('project-sanctions'))
    expect(appRoutes.find((x) => x.name === 'market-contract-stats')?.meta).toMatchObject({ perm: 'contract:read', menu: true, group: '技术市场' })
  })
})
