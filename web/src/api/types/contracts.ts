// ----- 技术市场: 技术合同认定登记 (/contracts) -----

/** What the caller may do with a contract, as the server lists it (the UI offers only these). */
export type ContractAction = 'edit' | 'delete' | 'upload' | 'submit' | 'decide' | 'confirm' | 'certificate'

export type ContractDecision = 'register' | 'correct' | 'refuse'

export interface Contract {
  id: number
  /** 合同编号 (the parties' own number) */
  contract_no: string
  /** 项目名称 */
  subject: string
  /** A technology-contract class, or '' when the contract is not one (category_text says what it is). */
  category: string
  category_label: string
  /** The category as the applicant wrote it. */
  category_text: string
  subcategory: string
  subcategory_label: string
  form: string
  form_label: string
  field: string
  field_label: string
  ip_kind: string
  ip_kind_label: string
  seller_org_id: number
  seller_name: string
  seller_credit_code: string
  seller_region_code: string
  seller_region_name: string
  buyer_name: string
  buyer_credit_code: string
  buyer_region_code: string
  buyer_region_name: string
  /** 合同成交总额, yuan as decimal text */
  total_amount: string
  /** 非技术性费用 (元) */
  non_tech_amount: string
  /** 合理数量标的物的直接成本 (元), part of the non-technical costs but not deducted */
  carrier_amount: string
  /** 核定技术交易额 (元), once decided */
  technical_amount: string | null
  signed_on: string
  valid_from: string | null
  valid_to: string | null
  status: string
  status_label: string
  /** 受理日期 */
  submitted_on: string | null
  /** 办结期限 */
  due_on: string | null
  /** 登记（决定）日期 */
  decided_on: string | null
  registration_no: string | null
  decision: ContractDecision | null
  /** The decision's reasons, in Chinese. */
  reasons: string[]
  /** The rule tree of the decision, several lines. */
  explanation_text: string | null
  /** 大额合同须复核 */
  second_review: boolean
  /** Was sent back for correction once (a second failure is refused). */
  corrected?: boolean
  /** The office's findings at the decision. */
  findings?: Findings | null
  /** The registrar's note. */
  note: string | null
  file_name: string | null
  file_sha256: string | null
  broker_name: string | null
  updated_at: number
  /** On GET /contracts/{id} and the answers of its moves; list rows have none. */
  actions?: ContractAction[]
}

/** POST /contracts, PUT /contracts/{id}: text as typed (amounts in 元). */
export interface ContractInput {
  contract_no: string
  subject: string
  /** A category value, or any text (a contract of another kind, refused at registration). */
  category: string
  /** '' or a subcategory value of the category */
  subcategory: string
  /** written | oral */
  form: string
  field: string
  ip_kind: string
  buyer_name: string
  buyer_credit_code: string
  /** '' → derived from the credit code */
  buyer_region_code: string
  total_amount: string
  /** '' → 0 */
  non_tech_amount: string
  /** '' → 0 */
  carrier_amount: string
  signed_on: string
  valid_from: string
  valid_to: string
  broker_name: string
}

/** What the registrar found on reading the contract; clean: all true except monopoly_clause. */
export interface Findings {
  parties_clear: boolean
  subject_clear: boolean
  price_clear: boolean
  name_matches: boolean
  seal_ok: boolean
  documents_ok: boolean
  approval_ok: boolean
  monopoly_clause: boolean
}

/** POST /contracts/{id}/assess: what a decision with these findings would be (writes nothing). */
export interface Assessment {
  decision: ContractDecision
  decision_label: string
  /** 核定技术交易额 (元) */
  technical_amount: string
  second_review: boolean
  deadline_days: number
  deadline_working: boolean
  reasons: string[]
  explanation_text: string
  /** e.g. "2000年办法与2001年认定规则" */
  rules_label: string
  pack_version: string
}

export interface ContractDictItem {
  value: string
  label: string
  /** statuses only: the Element Plus tag type */
  tag?: string
}

export interface ContractCategory {
  value: string
  label: string
  subcategories: ContractDictItem[]
}

/** GET /contracts/dicts */
export interface ContractDicts {
  categories: ContractCategory[]
  fields: ContractDictItem[]
  ip_kinds: ContractDictItem[]
  forms: ContractDictItem[]
  statuses: ContractDictItem[]
}

/**
 * One line of the statistics. The server sends `key` and `label`; the contract note names the
 * keys `year`, `month` and `code`/`name` for some lists, read as well (utils/contracts `statRows`).
 */
export interface ContractStatItem {
  key?: string
  label?: string
  year?: number | string
  month?: string
  code?: string
  name?: string
  count: number
  /** 成交额 (元) */
  turnover: string
  /** 技术交易额 (元) */
  technical: string
}

/** GET /contracts/stats: registered contracts, by the year they were registered. */
export interface ContractStats {
  /** output (输出, by the seller's region) | input (吸纳, by the buyer's) */
  direction: string
  year_from?: number
  year_to?: number
  total?: ContractStatItem
  years: ContractStatItem[]
  categories: ContractStatItem[]
  fields: ContractStatItem[]
  /** The months of year_to. */
  months: ContractStatItem[]
  regions: ContractStatItem[]
}
