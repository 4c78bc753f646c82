import { describe, expect, it } from 'vitest'
import type { Grant, Payment, Programme } from '@/api/types'
import { FUND_KINDS, GRANT_STATUS, INSURANCE_PRODUCTS, ORG_KINDS, POOL_KINDS, SERVICE_TYPES, label } from '@/utils/dict'
import {
  LEDGER_COLUMNS, budgetUse, canClaimInsurance, canPropose, checkGrant, checkInsurance, insuranceRefusal, normalizeInsurance, proposeWording, checkPayment, checkProgramme, defaultPack, emptyProgrammeInput, fenOf, grantTrace,
  inputFromProgramme, kindRows, ledgerCells, ledgerColumnOf, mayPay, mayRefuse, normalizeProgrammeInput, outcomeText, programmeTotalRows,
  receivedGroups, regionRows, unpaidFen, wanOfFen, yuanText,
} from '@/utils/programmes'

function programme(over: Partial<Programme> = {}): Programme {
  return {
    id: 7, code: 'JY-JB-2026', name: '2026年度科技奖补', kind: 'reward', kind_label: '科技奖补', mode: 'auto', mode_label: '免申即享', year: 2026,
    region_code: '419001', region_name: '河南省/省直辖县级行政区划/济源市', budget: '5000000', budget_fen: 500_000_000, fund_source: '市级科技专项资金',
    basis: '济源市科技创新奖补办法', pack: 'rewards', org_cap: null, org_cap_fen: null, notice_days: 7, valid_days: null, status: 'open', status_label: '实施中',
    note: '', committed_fen: 120_000_000, paid_fen: 80_000_000, balance_fen: 380_000_000, updated_at: 0, ...over,
  }
}

function grant(over: Partial<Grant> = {}): Grant {
  return {
    id: 11, programme_id: 7, programme_name: '2026年度科技奖补', programme_kind: 'reward', year: 2026, org_id: 3, org_name: '济源市丰泽特钢实业有限公司',
    credit_code: '91419001MA44Q8YT1A', region_code: '419001', region_name: '济源市', matter_key: 'reward:hnte:3:2026', matter: '新认定高新技术企业',
    amount: '200000', amount_fen: 20_000_000, paid_fen: 0, status: 'proposed', status_label: '拟支持', explanation: '2026年新认定高新技术企业，奖励20万元',
    rule: 'rewards 2026版', notice_start: null, notice_end: null, objections: [], refusal_reason: null, approved_on: null, updated_at: 0, ...over,
  }
}

function payment(over: Partial<Payment> = {}): Payment {
  return {
    id: 1, grant_id: 11, programme_id: 7, programme_code: 'JY-JB-2026', programme_name: '2026年度科技奖补', programme_kind: 'reward', programme_kind_label: '科技奖补',
    year: 2026, org_id: 3, org_name: '济源市丰泽特钢实业有限公司', credit_code: '91419001MA44Q8YT1A', region_code: '419001', region_name: '济源市', matter: '新认定高新技术企业',
    paid_on: '2026-06-30', amount: '200000', amount_fen: 20_000_000, document_no: 'JYCZ-2026-0101', note: '', created_at: 0, ...over,
  }
}

describe('funds dictionaries', () => {
  it('carry the domain wire values and labels, each with a tag colour', () => {
    expect(FUND_KINDS.map((k) => k.value)).toEqual(['reward', 'voucher', 'instrument', 'interest', 'insurance', 'compensation', 'commissioner', 'talent', 'other'])
    expect(label(FUND_KINDS, 'interest')).toBe('科技贷贴息')
    expect(label(GRANT_STATUS, 'refused')).toBe('不予支持')
    expect(label(SERVICE_TYPES, 'computing')).toBe('绿色算力')
    expect(label(POOL_KINDS, 'recovery')).toBe('追偿回收')
    expect(INSURANCE_PRODUCTS.map((x) => x.value)).toEqual(['rd_liability', 'key_equipment', 'product_quality', 'loan_guarantee', 'export_credit', 'challenge', 'other'])
    expect(INSURANCE_PRODUCTS.map((x) => x.label)).toEqual(['研发责任保险', '关键研发设备保险', '产品质量保证保险', '小额贷款保证保险', '出口信用保险', '揭榜险', '其他险种'])
    for (const d of [FUND_KINDS, GRANT_STATUS, SERVICE_TYPES, POOL_KINDS, INSURANCE_PRODUCTS]) for (const x of d) expect(x.type).toBeTruthy()
  })
  it('list the financial organization kind', () => {
    expect(label(ORG_KINDS, 'financial')).toBe('金融机构')
  })
})

describe('amounts', () => {
  it('reads yuan text exactly and writes it back', () => {
    expect(fenOf('200000')).toBe(20_000_000)
    expect(fenOf('12.5')).toBe(1250)
    expect(fenOf('')).toBe(0)
    expect(yuanText(20_000_000)).toBe('200000')
    expect(yuanText(1250)).toBe('12.5')
    expect(yuanText(1201)).toBe('12.01')
    expect(wanOfFen(20_000_000)).toBe('20.00')
    expect(wanOfFen(null)).toBe('—')
  })
})

describe('ledger columns', () => {
  it('puts each kind under its column and the rest under 其他', () => {
    expect(LEDGER_COLUMNS.map((c) => c.label)).toEqual(['科技奖补', '科技创新券', '科技贷贴息', '科技保险补贴', '仪器共享后补助', '特派员工作经费', '人才补贴', '其他'])
    expect(ledgerColumnOf('voucher')).toBe('voucher')
    expect(ledgerColumnOf('compensation')).toBe('other')
    expect(ledgerColumnOf('something-new')).toBe('other')
  })
  it('turns a LedgerRow into its cells in 分, empty columns null', () => {
    const cells = ledgerCells({ reward: '200000', voucher: '8000.5', interest: '12000', compensation: '100', other: '0.5' })
    expect(cells).toEqual({ reward: 20_000_000, voucher: 800_050, interest: 1_200_000, insurance: null, instrument: null, commissioner: null, talent: null, other: 10_050 })
    expect(ledgerCells({})).toEqual({ reward: null, voucher: null, interest: null, insurance: null, instrument: null, commissioner: null, talent: null, other: null })
  })
  it('sums by kind and by region, named and largest first', () => {
    expect(kindRows({ interest: '12000', reward: '200000' })).toEqual([
      { key: 'reward', name: '科技奖补', fen: 20_000_000 },
      { key: 'interest', name: '科技贷贴息', fen: 1_200_000 },
    ])
    expect(regionRows({ by_region: { '410883': '100', '419001': '200000' }, region_names: { '419001': '济源市' } })).toEqual([
      { key: '419001', name: '济源市', fen: 20_000_000 },
      { key: '410883', name: '410883', fen: 10_000 },
    ])
    const [row] = programmeTotalRows([{ programme_id: 7, code: 'X', name: '奖补', kind: 'reward', budget: '5000000', paid: '200000', balance: '4800000' }])
    expect(row).toMatchObject({ kindLabel: '科技奖补', budgetFen: 500_000_000, paidFen: 20_000_000, balanceFen: 480_000_000 })
  })
})

describe('programme input', () => {
  const good = () => ({ ...emptyProgrammeInput('419001', 2026), code: 'jy-cxq-2026', name: '2026年度科技创新券', kind: 'voucher', budget: '2,000,000', fund_source: '市级科技专项资金', basis: '济源市科技创新券管理办法', pack: 'innovation-voucher' })
  it('takes a good programme and normalizes what is sent', () => {
    expect(checkProgramme(good())).toEqual({})
    const n = normalizeProgrammeInput(good())
    expect(n.code).toBe('JY-CXQ-2026')
    expect(n.budget).toBe('2000000')
  })
  it('says every problem in the server words', () => {
    const p = checkProgramme({ ...good(), code: 'JY CXQ', name: '', budget: '-5', fund_source: '', basis: '', pack: '', notice_days: 91, valid_days: 0, year: 1999, org_cap: 'abc' })
    expect(p.code).toBe('项目编号不能为空，由字母、数字和“-”组成，不超过40个字符')
    expect(p.name).toBe('项目名称不能为空')
    expect(p.budget).toBe('预算不能为负数')
    expect(p.fund_source).toBe('资金来源不能为空')
    expect(p.basis).toBe('政策依据不能为空')
    expect(p.pack).toBe('科技创新券须指定决定资格和抵扣比例的政策包')
    expect(p.notice_days).toBe('公示期应在0至90日之间')
    expect(p.valid_days).toBe('创新券有效期应在1至730日之间')
    expect(p.year).toBe('年度应在2000至2100之间')
    expect(p.org_cap).toBe('单个企业支持上限“abc”不是有效金额（元）')
    expect(checkProgramme({ ...good(), budget: '0' }).budget).toBe('预算必须大于零')
    expect(checkProgramme({ ...good(), pack: 'nope' }).pack).toMatch(/^政策包“nope”不存在/)
  })
  it('asks a voucher validity only of voucher programmes', () => {
    expect(checkProgramme({ ...good(), kind: 'interest', pack: 'loan-interest', valid_days: 0 })).toEqual({})
  })
  it('round-trips a programme and picks the usual pack', () => {
    const i = inputFromProgramme(programme({ org_cap: '300000' }))
    expect(i).toMatchObject({ region: '419001', budget: '5000000', pack: 'rewards', org_cap: '300000', valid_days: 365 })
    expect(defaultPack('voucher')).toBe('innovation-voucher')
    expect(defaultPack('insurance')).toBe('tech-insurance')
    expect(defaultPack('instrument')).toBe('instrument-subsidy')
    expect(defaultPack('other')).toBe('')
    expect(checkProgramme({ ...good(), kind: 'insurance', pack: 'tech-insurance' })).toEqual({})
  })
  it('offers 生成名单 for 免申即享 rewards and instrument subsidies, 保费补贴申报 for insurance', () => {
    expect(canPropose(programme())).toBe(true)
    expect(canPropose(programme({ mode: 'apply' }))).toBe(false)
    expect(canPropose(programme({ kind: 'instrument', mode: 'auto' }))).toBe(true)
    expect(canPropose(programme({ kind: 'instrument', mode: 'apply' }))).toBe(false)
    expect(canPropose(programme({ kind: 'insurance', mode: 'auto' }))).toBe(false)
    expect(canPropose(programme({ kind: 'talent', mode: 'auto' }))).toBe(true)
    expect(proposeWording(programme({ kind: 'commissioner' })).button).toBe('生成工作经费名单')
    expect(proposeWording(programme()).button).toBe('生成免申即享名单')
    const w = proposeWording(programme({ kind: 'instrument' }))
    expect(w.button).toBe('生成后补助名单')
    expect(w.confirm).toContain('2026 年度')
    expect(w.empty).toContain('生成后补助名单')
    expect(canClaimInsurance(programme({ kind: 'insurance', mode: 'apply' }))).toBe(true)
    expect(canClaimInsurance(programme())).toBe(false)
  })
})

describe('budget', () => {
  it('shows the share approved and paid, and warns when the budget is used up', () => {
    expect(budgetUse(programme())).toMatchObject({ committedPct: 24, paidPct: 16, status: '' })
    expect(budgetUse(programme({ committed_fen: 460_000_000, balance_fen: 40_000_000 })).status).toBe('warning')
    expect(budgetUse(programme({ committed_fen: 500_000_000, balance_fen: 0 }))).toMatchObject({ committedPct: 100, status: 'exception' })
  })
})

describe('grants', () => {
  it('knows what is left to pay and when a grant may be refused or paid', () => {
    const g = grant({ status: 'approved', paid_fen: 5_000_000 })
    expect(unpaidFen(g)).toBe(15_000_000)
    expect(mayPay(g)).toBe(true)
    expect(mayRefuse(g)).toBe(false)
    expect(mayRefuse(grant())).toBe(true)
    expect(mayPay(grant({ status: 'paid', paid_fen: 20_000_000 }))).toBe(false)
  })
  it('checks a payment within what is left', () => {
    expect(checkPayment({ paid_on: '2026-06-30', amount: '150000', document_no: 'A-1', note: '' }, 15_000_000)).toEqual({})
    const p = checkPayment({ paid_on: '2026/6/30', amount: '150000.01', document_no: ' ', note: '' }, 15_000_000)
    expect(p).toEqual({ paid_on: '拨付日期格式应为 YYYY-MM-DD', amount: '拨付金额超过待拨付金额 150000 元', document_no: '拨付凭证号不能为空' })
    expect(checkPayment({ paid_on: '2026-06-30', amount: '0', document_no: 'x', note: '' }).amount).toBe('拨付金额必须大于零')
    expect(checkPayment({ paid_on: '2026-07-01', amount: '1', document_no: 'x', note: '' }, undefined, '2026-06-30').paid_on).toBe('拨付日期不能晚于今天')
  })
  it('checks a bureau-entered grant', () => {
    expect(checkGrant({ org_id: null, matter: '', amount: '1.234', explanation: '' })).toEqual({
      org_id: '请选择获得支持的单位', matter: '支持事项不能为空，且不超过200个字', amount: '支持金额最多保留两位小数（分）', explanation: '请写明支持理由（评审结论、文件依据），不超过2000字',
    })
  })
  it('checks a 科技保险 claim in the server words and sends it clean', () => {
    const good = { org_id: 3, product: 'rd_liability', policy_no: ' E2E-BX-2026-001 ', premium: '80,000', other_subsidy: '' }
    expect(checkInsurance(good)).toEqual({})
    expect(normalizeInsurance(good)).toEqual({ org_id: 3, product: 'rd_liability', policy_no: 'E2E-BX-2026-001', premium: '80000', other_subsidy: '' })
    expect(checkInsurance({ ...good, other_subsidy: '0' })).toEqual({})
    expect(checkInsurance({ org_id: null, product: 'fire', policy_no: ' ', premium: '0', other_subsidy: '-1' })).toEqual({
      org_id: '请选择投保企业', product: '请选择险种', policy_no: '保单号不能为空，且不超过60个字符', premium: '实际缴纳保费必须大于零', other_subsidy: '其他补贴不能为负数',
    })
    expect(checkInsurance({ ...good, premium: '', policy_no: 'x'.repeat(61) })).toEqual({ premium: '实际缴纳保费不能为空', policy_no: '保单号不能为空，且不超过60个字符' })
    expect(checkInsurance({ ...good, premium: '1.234' }).premium).toBe('实际缴纳保费最多保留两位小数（分）')
  })
  it('tells the pack\'s 不予补贴 from other refusals', () => {
    const none = { status: 422, fields: [{ field: 'premium', code: 'insurance.none', message: '不予补贴：不属于支持的险种' }] }
    expect(insuranceRefusal(none)).toBe('不予补贴：不属于支持的险种')
    expect(insuranceRefusal({ status: 409, fields: [{ field: 'matter', code: 'funds.duplicate_matter', message: '同一事项不重复支持' }] })).toBeNull()
    expect(insuranceRefusal(new Error('network'))).toBeNull()
    expect(insuranceRefusal(null)).toBeNull()
  })
  it('traces a grant from its rule to its payments', () => {
    const g = grant({
      status: 'paid', paid_fen: 20_000_000, notice_start: '2026-05-01', notice_end: '2026-05-08', approved_on: '2026-05-12',
      objections: [{ no: 1, at: Date.UTC(2026, 4, 3, 2, 0), by_name: '张三', content: '该企业资格存疑', resolved: true, upheld: false, resolution: '经核实资格有效' }],
    })
    const steps = grantTrace(g, [payment({ id: 2, paid_on: '2026-07-01', amount: '50000', document_no: 'B' }), payment({ id: 1, paid_on: '2026-06-30', amount: '150000', document_no: 'A' })])
    expect(steps.map((s) => s.title)).toEqual(['拟支持', '公示', '异议 1', '批准', '拨付', '拨付'])
    expect(steps[0].text).toContain('依据：rewards 2026版')
    expect(steps[1].text).toBe('公示期 2026-05-01 至 2026-05-08')
    expect(steps[2].text).toBe('张三提出异议：该企业资格存疑；处理结果：异议不成立，经核实资格有效')
    expect(steps[2].when).toBe('2026-05-03 10:00')
    expect(steps[4].text).toBe('拨付 150,000.00 元，凭证号 A')
    expect(steps[5].when).toBe('2026-07-01')
  })
  it('says what is still to come', () => {
    expect(grantTrace(grant(), []).at(-1)).toMatchObject({ title: '批准', pending: true })
    expect(grantTrace(grant({ status: 'approved', approved_on: '2026-05-12' }), []).at(-1)).toMatchObject({ title: '拨付', text: '待拨付 200,000.00 元', pending: true })
    const refused = grantTrace(grant({ status: 'refused', refusal_reason: '不符合条件' }), [])
    expect(refused.at(-1)).toMatchObject({ title: '不予支持', text: '理由：不符合条件' })
  })
  it('says a batch outcome and what it left', () => {
    expect(outcomeText({ changed: 3, skipped: [] }, '已批准')).toEqual({ title: '已批准 3 项', skipped: [] })
    expect(outcomeText({ changed: 1, skipped: ['甲公司：公示期未满'] }, '已批准').title).toBe('已批准 1 项，另有 1 项未批准：')
    expect(outcomeText({ changed: 0, skipped: ['甲公司：有未处理的公示异议'] }, '已批准').title).toBe('未批准任何事项，1 项的原因如下：')
  })
})

describe('received', () => {
  it('groups payments by kind in the ledger order with totals per year', () => {
    const groups = receivedGroups([
      payment({ id: 1, programme_kind: 'interest', amount_fen: 1_200_000, year: 2026 }),
      payment({ id: 2, programme_kind: 'reward', amount_fen: 20_000_000, year: 2025, paid_on: '2025-07-01' }),
      payment({ id: 3, programme_kind: 'voucher', amount_fen: 800_000, year: 2026 }),
      payment({ id: 4, programme_kind: 'reward', amount_fen: 10_000_000, year: 2026, paid_on: '2026-07-01' }),
      payment({ id: 5, programme_kind: 'compensation', amount_fen: 100, year: 2026 }),
    ])
    expect(groups.map((g) => g.label)).toEqual(['科技奖补', '科技创新券', '科技贷贴息', '其他'])
    expect(groups[0].totalFen).toBe(30_000_000)
    expect(groups[0].years).toEqual([{ year: 2026, fen: 10_000_000 }, { year: 2025, fen: 20_000_000 }])
    expect(groups[0].payments.map((p) => p.id)).toEqual([4, 2])
    expect(receivedGroups([])).toEqual([])
  })
})
