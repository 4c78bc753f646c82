// The enterprise-year interchange columns (crates/domain enterprise_year::FIGURES).
export type FigureKind = 'count' | 'amount' | 'signed' | 'flag'
export interface FigureSpec {
  key: string
  label: string
  kind: FigureKind
}

export const FIGURES: FigureSpec[] = [
  { key: 'employees', label: '职工总数', kind: 'count' },
  { key: 'tech_staff', label: '科技人员数', kind: 'count' },
  { key: 'revenue', label: '销售收入', kind: 'amount' },
  { key: 'total_income', label: '总收入', kind: 'amount' },
  { key: 'high_tech_revenue', label: '高新技术产品（服务）收入', kind: 'amount' },
  { key: 'total_assets', label: '资产总额', kind: 'amount' },
  { key: 'net_assets', label: '净资产', kind: 'signed' },
  { key: 'total_cost', label: '成本费用支出总额', kind: 'amount' },
  { key: 'rd_expense', label: '研发费用总额', kind: 'amount' },
  { key: 'rd_expense_domestic', label: '境内研发费用', kind: 'amount' },
  { key: 'ip_class1', label: 'Ⅰ类知识产权数', kind: 'count' },
  { key: 'ip_class2', label: 'Ⅱ类知识产权数', kind: 'count' },
  { key: 'invention_patents', label: '发明专利数', kind: 'count' },
  { key: 'utility_models', label: '实用新型专利数', kind: 'count' },
  { key: 'software_copyrights', label: '软件著作权数', kind: 'count' },
  { key: 'hte_valid', label: '高企资格有效', kind: 'flag' },
  { key: 'national_award_5y', label: '近五年国家级科技奖励(前三)', kind: 'flag' },
  { key: 'provincial_rd_institution', label: '省部级以上研发机构', kind: 'flag' },
  { key: 'standard_lead_5y', label: '近五年主导制定标准(前五)', kind: 'flag' },
  { key: 'serious_violation', label: '重大安全质量事故或严重违法失信', kind: 'flag' },
]

/** 1234567.8 → "1,234,567.80" (yuan, as sent by the server as a decimal string). */
export function formatYuan(v: unknown): string {
  if (v === null || v === undefined || v === '') return '—'
  const n = Number(v)
  if (!Number.isFinite(n)) return String(v)
  return n.toLocaleString('zh-CN', { minimumFractionDigits: 2, maximumFractionDigits: 2 })
}

export function formatFigure(spec: FigureSpec, v: unknown): string {
  if (v === null || v === undefined || v === '') return '—'
  if (spec.kind === 'flag') return v ? '是' : '否'
  if (spec.kind === 'count') return String(v)
  return formatYuan(v)
}
