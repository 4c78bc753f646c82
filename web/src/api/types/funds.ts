// ----- 资金与服务 (/funds): 资金项目, 资金安排, 拨付台账, 科技创新券, 仪器共享, 科技贷 -----
// Field names are the Rust structs' (crates/store/src/funds/*.rs, crates/domain/src/funds.rs).
// Money: `*_fen` integers (分) and yuan as exact decimal text ("80000").

/** One value of a funds vocabulary, as GET /funds/dicts lists it. */
export interface FundsOption {
  value: string
  label: string
}

/** GET /funds/dicts */
export interface FundsDicts {
  kinds: FundsOption[]
  modes: FundsOption[]
  programme_statuses: FundsOption[]
  grant_statuses: FundsOption[]
  services: FundsOption[]
  provider_statuses: FundsOption[]
  voucher_statuses: FundsOption[]
  order_statuses: FundsOption[]
  instrument_statuses: FundsOption[]
  booking_statuses: FundsOption[]
  loan_statuses: FundsOption[]
  pool_kinds: FundsOption[]
  /** 科技保险险种 */
  insurance_products: FundsOption[]
  /** The policy packs a programme may name (id → name). */
  packs: FundsOption[]
}

/** 资金项目类别 */
export type ProgrammeKind =
  | 'reward' | 'voucher' | 'instrument' | 'interest' | 'insurance' | 'compensation' | 'commissioner' | 'talent' | 'other'
/** 支持方式 */
export type ProgrammeMode = 'apply' | 'auto'
export type ProgrammeStatus = 'draft' | 'open' | 'closed'
export type GrantStatus = 'proposed' | 'noticed' | 'approved' | 'paid' | 'refused'
export type ServiceType =
  | 'testing' | 'research' | 'design' | 'ip' | 'transfer' | 'consulting' | 'instrument' | 'computing' | 'finance'
export type ProviderStatus = 'registered' | 'suspended'
export type VoucherStatus = 'applied' | 'issued' | 'refused' | 'used' | 'expired'
export type OrderStatus = 'placed' | 'completed' | 'redeemed' | 'cancelled'
export type InstrumentStatus = 'open' | 'internal' | 'repair' | 'retired'
export type BookingStatus = 'booked' | 'used' | 'cancelled'
export type LoanStatus = 'active' | 'repaid' | 'defaulted'
export type PoolEntryKind = 'deposit' | 'compensation' | 'recovery'

// ----- 资金项目 / 资金安排 / 拨付 -----

/** A funding programme (资金项目) with what it has committed and paid. */
export interface Programme {
  id: number
  /** 项目编号, e.g. JY-CXQ-2025 */
  code: string
  name: string
  kind: ProgrammeKind | string
  kind_label: string
  mode: ProgrammeMode | string
  mode_label: string
  year: number
  region_code: string
  region_name: string
  /** 预算 (元, exact) */
  budget: string
  budget_fen: number
  fund_source: string
  basis: string
  /** The shipped policy pack that decides, or null. */
  pack: string | null
  org_cap: string | null
  org_cap_fen: number | null
  notice_days: number
  valid_days: number | null
  status: ProgrammeStatus | string
  status_label: string
  note: string
  /** 已批准（含已拨付） */
  committed_fen: number
  /** 已拨付 */
  paid_fen: number
  /** 预算余额 = 预算 − 已批准 */
  balance_fen: number
  updated_at: number
}

/** POST /funds/programmes, PUT /funds/programmes/{id}: text as typed (amounts in 元). */
export interface ProgrammeInput {
  code: string
  name: string
  kind: string
  mode: string
  year: number
  /** 实施区域 (region code) */
  region: string
  /** 预算 (元) */
  budget: string
  fund_source: string
  basis: string
  /** A shipped pack id or '' */
  pack: string
  /** 单个企业年度支持上限 (元), '' when none */
  org_cap: string
  notice_days: number
  /** 创新券有效期 (日), voucher programmes only */
  valid_days: number
  status: string
  note: string
}

/** The policy pack a programme names. */
export interface ProgrammePack {
  id: string
  name: string
  source: string
  version: string
}

/** How many grants of a programme are in each state (status → count). */
export interface GrantCounts {
  proposed: number
  noticed: number
  approved: number
  paid: number
  refused: number
  [status: string]: number
}

/** GET /funds/programmes/{id} */
export interface ProgrammeDetail {
  programme: Programme
  pack: ProgrammePack | null
  counts: GrantCounts
}

/** An objection to a noticed grant (公示异议). */
export interface Objection {
  no: number
  /** epoch ms */
  at: number
  by_name: string
  content: string
  resolved: boolean
  upheld: boolean | null
  resolution: string | null
}

/** One decision (资金安排) of a programme for one organization and matter. */
export interface Grant {
  id: number
  programme_id: number
  programme_name: string
  programme_kind: ProgrammeKind | string
  year: number
  org_id: number
  org_name: string
  credit_code: string
  region_code: string
  region_name: string
  /** 同一事项的键 */
  matter_key: string
  /** 支持事项 */
  matter: string
  amount: string
  amount_fen: number
  paid_fen: number
  status: GrantStatus | string
  status_label: string
  /** Why this amount, in Chinese. */
  explanation: string
  /** 依据: the pack and version, or the programme's basis. */
  rule: string
  notice_start: string | null
  notice_end: string | null
  objections: Objection[]
  refusal_reason: string | null
  approved_on: string | null
  updated_at: number
}

/** What the caller may do with a grant, as the server lists it. */
export type GrantAction = 'object' | 'resolve' | 'approve' | 'refuse' | 'pay'

/** GET /funds/grants/{id} */
export interface GrantDetail {
  grant: Grant
  /** null when the caller may not read the programme (an organization account). */
  programme: Programme | null
  payments: Payment[]
  actions: GrantAction[]
}

/** POST /funds/programmes/{id}/grants (申报制 item entered by the bureau) */
export interface GrantInput {
  org_id: number
  matter: string
  /** 元 */
  amount: string
  explanation: string
}

/** POST /funds/grants/{id}/objections */
export interface ObjectionInput {
  by_name: string
  content: string
}

/** POST /funds/grants/{id}/objections/{no}/resolve */
export interface ResolveInput {
  upheld: boolean
  resolution: string
}

/** 科技保险险种 (crates/domain/src/funds.rs InsuranceProduct) */
export type InsuranceProduct = 'rd_liability' | 'key_equipment' | 'product_quality' | 'loan_guarantee' | 'export_credit' | 'challenge' | 'other'

/**
 * POST /funds/programmes/{id}/insurance (科技保险保费补贴申报, funds:manage): one policy of an
 * enterprise → 201 Grant (proposed, the tech-insurance pack's amount and why); 422 with
 * product.unknown, policy_no.required, amount.* (premium, other_subsidy), insurance.programme or
 * insurance.none (不予补贴, on `premium`); 409 funds.duplicate_matter (on `matter`: the policy
 * is already supported).
 */
export interface InsuranceInput {
  org_id: number
  /** 险种 */
  product: InsuranceProduct | string
  /** 保单号 */
  policy_no: string
  /** 实际缴纳保费 (元) */
  premium: string
  /** 同一保单已获其他补贴 (元); '' or absent for none */
  other_subsidy?: string
}

/** How many grants a bulk move changed, and those it left with the reason. */
export interface BatchOutcome {
  changed: number
  skipped: string[]
}

/** One payment (拨付) of the ledger. */
export interface Payment {
  id: number
  grant_id: number
  programme_id: number
  programme_code: string
  programme_name: string
  programme_kind: ProgrammeKind | string
  programme_kind_label: string
  year: number
  org_id: number
  org_name: string
  credit_code: string
  region_code: string
  region_name: string
  matter: string
  paid_on: string
  amount: string
  amount_fen: number
  document_no: string
  note: string
  created_at: number
}

/** POST /funds/grants/{id}/payments */
export interface PaymentInput {
  /** YYYY-MM-DD */
  paid_on: string
  /** 元 */
  amount: string
  /** 拨付凭证号 / 文号 */
  document_no: string
  note: string
}

/** The ledger of one organization: amounts (元) by programme kind. */
export interface LedgerRow {
  org_id: number
  org_name: string
  credit_code: string
  region_code: string
  region_name: string
  /** 元 by programme kind (reward, voucher, interest …); kinds without payments are absent. */
  by_kind: Record<string, string>
  payments: number
  total: string
  total_fen: number
}

export interface ProgrammeTotal {
  programme_id: number
  code: string
  name: string
  kind: ProgrammeKind | string
  budget: string
  paid: string
  /** 预算余额 (budget − approved) */
  balance: string
}

/** Totals of a ledger query (the whole filter, not the page). */
export interface LedgerTotals {
  total: string
  organizations: number
  payments: number
  by_programme: ProgrammeTotal[]
  /** 元 by region code */
  by_region: Record<string, string>
  region_names: Record<string, string>
  by_kind: Record<string, string>
}

/** GET /funds/ledger */
export interface Ledger {
  items: LedgerRow[]
  total: number
  page: number
  size: number
  totals: LedgerTotals
}

// ----- 科技创新券: 服务机构, 创新券, 服务订单, 兑付 -----

/** A registered provider of technology services. */
export interface Provider {
  id: number
  org_id: number
  org_name: string
  credit_code: string
  region_code: string
  region_name: string
  services: string[]
  service_labels: string[]
  qualifications: string
  prices: string
  contact: string
  related_codes: string[]
  status: ProviderStatus | string
  status_label: string
  updated_at: number
}

/** POST /funds/providers, PUT /funds/providers/{id} */
export interface ProviderInput {
  org_id: number
  services: string[]
  /** 资质 (CMA/CNAS 证书、备案等) */
  qualifications: string
  /** 收费标准 */
  prices: string
  contact: string
  /** 申报的关联单位 (统一社会信用代码) */
  related_codes: string[]
  status: string
}

/** An innovation voucher (科技创新券). */
export interface Voucher {
  id: number
  programme_id: number
  programme_code: string
  programme_name: string
  year: number
  org_id: number
  org_name: string
  credit_code: string
  region_code: string
  region_name: string
  /** 创新券编号 (once issued) */
  voucher_no: string | null
  /** An issued voucher past its expiry reads as `expired`. */
  status: VoucherStatus | string
  status_label: string
  /** 面额 (元) */
  face: string
  face_fen: number
  /** 已抵扣 */
  used_fen: number
  /** 余额 */
  remaining_fen: number
  applied_on: string
  issued_on: string | null
  expires_on: string | null
  /** The pack's eligibility decision at application, in Chinese. */
  eligibility: string
  refusal_reason: string | null
  updated_at: number
}

export type VoucherAction = 'issue' | 'refuse' | 'order'

/** GET /funds/vouchers/programmes: an open voucher programme and whether the caller may apply. */
export interface OpenVoucherProgramme extends Programme {
  eligible: boolean
  /** 年度抵扣上限 for this organization (元) */
  quota: string
  /** The pack's eligibility decision, in Chinese. */
  eligibility: string
}

/** POST /funds/vouchers/apply */
export interface ApplyVoucherInput {
  programme_id: number
}

/** GET /funds/vouchers/{id} */
export interface VoucherDetail {
  voucher: Voucher
  orders: ServiceOrder[]
  actions: VoucherAction[]
}

/** A service order paid (in part) with a voucher. */
export interface ServiceOrder {
  id: number
  voucher_id: number
  voucher_no: string | null
  programme_id: number
  org_id: number
  org_name: string
  provider_id: number
  provider_org_id: number
  provider_name: string
  service: ServiceType | string
  service_label: string
  contract_name: string
  contract_no: string
  fee: string
  fee_fen: number
  signed_on: string
  status: OrderStatus | string
  status_label: string
  completed_on: string | null
  /** 服务结果 */
  evidence: string | null
  /** 抵扣金额 once redeemed */
  offset_fen: number | null
  grant_id: number | null
  updated_at: number
}

/** POST /funds/orders */
export interface OrderInput {
  voucher_id: number
  provider_id: number
  service: string
  contract_name: string
  contract_no: string
  /** 合同金额 (元) */
  fee: string
  /** YYYY-MM-DD */
  signed_on: string
}

/** One check of a redemption, passed or failed, with its stable code. */
export interface Check {
  code: string
  label: string
  passed: boolean
  detail: string
}

/** A redemption's checks and, when they all pass, the offset. */
export interface Redemption {
  checks: Check[]
  passed: boolean
  offset: string
  offset_fen: number
  rule: string
}

export type OrderAction = 'complete' | 'redeem'

/** GET /funds/orders/{id} */
export interface OrderDetail {
  order: ServiceOrder
  /** Checks preview, bureau only, when the order is completed. */
  redemption: Redemption | null
  actions: OrderAction[]
}

/** POST /funds/orders/{id}/complete */
export interface CompleteInput {
  completed_on: string
  evidence: string
}

/** POST /funds/orders/{id}/redeem */
export interface RedeemInput {
  paid_on: string
  document_no: string
  /** 元 */
  amount: string
  note: string
}

/** The answer of POST /funds/orders/{id}/redeem */
export interface RedeemOutcome {
  order: ServiceOrder
  grant: Grant
}

export interface StatLine {
  name: string
  orders: number
  amount: string
}

/** GET /funds/vouchers/stats */
export interface VoucherStats {
  applied: number
  issued: number
  refused: number
  expired: number
  face: string
  used: string
  /** 过期未用的面额 */
  lapsed: string
  by_provider: StatLine[]
  by_service: StatLine[]
}

/** Whether an organization holds the titles a voucher pack asks about. */
export interface OrgTitles {
  hnte: boolean
  tech_sme: boolean
  source: string
}

// ----- 大型科研仪器开放共享 -----

export interface Instrument {
  id: number
  name: string
  model: string
  category: string
  original_value: string
  original_value_fen: number
  host_org_id: number
  host_name: string
  region_code: string
  region_name: string
  location: string
  status: InstrumentStatus | string
  status_label: string
  /** 对外收费 (元/小时) */
  fee_per_hour: string
  fee_per_hour_fen: number
  /** 年额定机时 */
  rated_hours: number
  manager: string
  updated_at: number
}

/** POST /funds/instruments, PUT /funds/instruments/{id} */
export interface InstrumentInput {
  name: string
  model: string
  category: string
  /** 原值 (元) */
  original_value: string
  host_org_id: number
  location: string
  status: string
  /** 元/小时 */
  fee_per_hour: string
  rated_hours: number
  manager: string
}

/** A busy slot of an instrument's calendar. */
export interface Slot {
  /** YYYY-MM-DD HH:MM */
  starts_at: string
  ends_at: string
  mine: boolean
}

/** GET /funds/instruments/{id} */
export interface InstrumentDetail {
  instrument: Instrument
  /** The next 14 days */
  slots: Slot[]
  can_edit: boolean
  can_book: boolean
}

export interface Booking {
  id: number
  instrument_id: number
  instrument_name: string
  org_id: number
  org_name: string
  host_org_id: number
  host_name: string
  starts_at: string
  ends_at: string
  purpose: string
  status: BookingStatus | string
  status_label: string
  /** 实际使用机时 (minutes), once used */
  used_minutes: number | null
  fee: string | null
  fee_fen: number | null
  updated_at: number
}

/** POST /funds/instruments/{id}/bookings */
export interface BookingInput {
  /** YYYY-MM-DD HH:MM (Asia/Shanghai) */
  starts_at: string
  ends_at: string
  purpose: string
  service?: string
}

/** GET /funds/instruments/stats: the yearly open-sharing figures of one instrument. */
export interface InstrumentYear {
  instrument_id: number
  name: string
  host_name: string
  rated_hours: number
  /** 有效工作机时 */
  used_hours: string
  /** 对外服务机时 */
  external_hours: string
  /** 共享率 percent with one decimal ("—" without use) */
  sharing_rate: string
  /** 服务单位数 */
  users: number
  /** 服务收入 (元) */
  income: string
  bookings: number
}

// ----- 科技贷: 贷款, 贴息, 风险补偿资金池 -----

export interface Loan {
  id: number
  programme_id: number
  programme_name: string
  org_id: number
  org_name: string
  credit_code: string
  region_code: string
  region_name: string
  bank_org_id: number
  bank_name: string
  contract_no: string
  amount: string
  amount_fen: number
  /** 年利率 (%) */
  rate: string
  start_on: string
  end_on: string
  credit: boolean
  first_loan: boolean
  /** Whether the borrower was a 高企 or 科技型中小企业 at the loan date. */
  tech_firm: boolean
  eligibility: string
  status: LoanStatus | string
  status_label: string
  updated_at: number
}

/** POST /funds/loans */
export interface LoanInput {
  programme_id: number
  org_id: number
  bank_org_id: number
  contract_no: string
  /** 元 */
  amount: string
  /** 年利率 (%), e.g. 3.65 */
  rate: string
  start_on: string
  end_on: string
  credit: boolean
  first_loan: boolean
}

/** GET /funds/loans/{id} */
export interface LoanDetail {
  loan: Loan
  /** Its 贴息 grants */
  grants: Grant[]
  /** Its pool entries (compensation) */
  entries: PoolEntry[]
  actions: string[]
}

/** POST /funds/bookings/{id}/usage */
export interface UsageInput {
  minutes: number
}

/** POST /funds/loans/{id}/interest */
export interface InterestInput {
  programme_id: number
  year: number
  /** 元 */
  interest: string
  on_time: boolean
}

/** POST /funds/loans/{id}/compensate */
export interface CompensateInput {
  /** 元 */
  loss: string
  on: string
  document_no: string
}

/** The answer of POST /funds/loans/{id}/compensate */
export interface CompensateOutcome {
  loan: Loan
  entry: PoolEntry
}

export interface PoolEntry {
  id: number
  programme_id: number
  kind: PoolEntryKind | string
  kind_label: string
  /** Positive into the pool, negative out of it (元). */
  amount: string
  amount_fen: number
  entry_on: string
  loan_id: number | null
  bank_org_id: number | null
  explanation: string
  document_no: string
  created_at: number
}

/** POST /funds/pool/{programme_id}/entries */
export interface PoolEntryInput {
  kind: 'deposit' | 'recovery' | string
  /** 元 */
  amount: string
  on: string
  document_no: string
  note: string
}

/** GET /funds/pool/{programme_id} */
export interface PoolSummary {
  programme_id: number
  deposits: string
  compensations: string
  recoveries: string
  balance: string
  balance_fen: number
  /** 在贷余额 */
  outstanding: string
  loans_active: number
  /** 放大倍数 ("—" when the pool is empty) */
  leverage: string
  entries: PoolEntry[]
}
