// 平台载体: the pure helpers of the platform lifecycle pages — the yearly report's figures (one
// list for the form, the drawer and the expert's reading), empty inputs and the checks made
// before sending (the server checks again, with the same wording, and its 422 `fields` land on
// the same fields), the marks of an upgrade pack's conditions, and which rounds wait for 评定等级.
// Grades, consequences and conditions are the packs': none is computed here.
import type {
  DecideRecognition, GraduateInput, IncubateeExitInput, IncubateeInput, PlatformEvaluationInput, PlatformReport, PlatformReportInput, RecognitionInput, UpgradeAnswer,
} from '@/api/types'
import type { TagType } from './dict'

/** The carrier types (孵化载体): their report has the carrier's own figures and they hold 在孵企业. */
export const CARRIER_TYPES = ['incubator', 'maker_space', 'star_innovation_base', 'university_science_park'] as const

export function isCarrierType(t: string | null | undefined): boolean {
  return (CARRIER_TYPES as readonly string[]).includes(t ?? '')
}

export interface Problem {
  field: string
  message: string
}

const DATE = /^\d{4}-\d{2}-\d{2}$/
const MONEY = /^\d+(\.\d{1,2})?$/
const AREA = /^\d+(\.\d+)?$/

/** "1,200,000.00 " → "1200000.00" (what the server parses). */
export function plainNumber(s: string | null | undefined): string {
  return (s ?? '').replace(/[,，\s]/g, '')
}

// ---------------------------------------------------------------- the yearly report's figures

export type FigureKind = 'count' | 'money' | 'area'
export interface Figure {
  key: keyof PlatformReportInput & keyof PlatformReport
  label: string
  unit: string
  kind: FigureKind
}

/** Every platform's figures, in the order of the form and the report. */
export const REPORT_FIGURES: Figure[] = [
  { key: 'staff', label: '固定人员', unit: '人', kind: 'count' },
  { key: 'senior_staff', label: '高级职称或博士', unit: '人', kind: 'count' },
  { key: 'rd_staff', label: '研发人员', unit: '人', kind: 'count' },
  { key: 'rd_spending', label: '研发投入', unit: '元', kind: 'money' },
  { key: 'income', label: '收入', unit: '元', kind: 'money' },
  { key: 'equipment_value', label: '仪器设备原值', unit: '元', kind: 'money' },
  { key: 'area', label: '场地面积', unit: 'm²', kind: 'area' },
  { key: 'projects', label: '承担科技项目', unit: '项', kind: 'count' },
  { key: 'patents', label: '专利', unit: '件', kind: 'count' },
  { key: 'papers', label: '论文', unit: '篇', kind: 'count' },
  { key: 'standards', label: '标准', unit: '项', kind: 'count' },
  { key: 'transfers', label: '成果转化', unit: '项', kind: 'count' },
]

/** A carrier's own figures the report asks for (在孵/毕业 counts come from its 在孵企业). */
export const CARRIER_FIGURES: Figure[] = [
  { key: 'seed_fund', label: '种子资金', unit: '元', kind: 'money' },
  { key: 'mentors', label: '创业导师', unit: '人', kind: 'count' },
  { key: 'service_staff', label: '专业孵化服务人员', unit: '人', kind: 'count' },
]

const grouped = new Intl.NumberFormat('zh-CN', { maximumFractionDigits: 2, useGrouping: true })
const yuan = new Intl.NumberFormat('zh-CN', { minimumFractionDigits: 2, maximumFractionDigits: 2, useGrouping: true })

/** A figure as read: "2,100,000.00 元", "520.5 m²", "12 人"; '—' when absent. */
export function figureText(v: string | number | null | undefined, f: Pick<Figure, 'unit' | 'kind'>): string {
  if (v === null || v === undefined || v === '') return '—'
  const n = Number(v)
  if (!Number.isFinite(n)) return String(v)
  return `${f.kind === 'money' ? yuan.format(n) : grouped.format(n)} ${f.unit}`
}

export function emptyReportInput(platformId: number, year: number): PlatformReportInput {
  return {
    platform_id: platformId,
    year,
    staff: 0,
    senior_staff: 0,
    rd_staff: 0,
    rd_spending: '',
    income: '',
    equipment_value: '',
    area: '',
    projects: 0,
    patents: 0,
    papers: 0,
    standards: 0,
    transfers: 0,
    summary: '',
    seed_fund: '',
    mentors: 0,
    service_staff: 0,
  }
}

/** A draft's fields as the edit form starts them. */
export function inputFromReport(r: PlatformReport): PlatformReportInput {
  return {
    platform_id: r.platform_id,
    year: r.year,
    staff: r.staff,
    senior_staff: r.senior_staff,
    rd_staff: r.rd_staff,
    rd_spending: r.rd_spending ?? '',
    income: r.income ?? '',
    equipment_value: r.equipment_value ?? '',
    area: r.area ?? '',
    projects: r.projects,
    patents: r.patents,
    papers: r.papers,
    standards: r.standards,
    transfers: r.transfers,
    summary: r.summary ?? '',
    seed_fund: r.seed_fund ?? '',
    mentors: r.mentors ?? 0,
    service_staff: r.service_staff ?? 0,
  }
}

/** The input as sent: amounts without separators, the carrier's figures only for a carrier. */
export function normalizeReportInput(i: PlatformReportInput, carrier: boolean): PlatformReportInput {
  const { seed_fund, mentors, service_staff, ...rest } = i
  const out: PlatformReportInput = {
    ...rest,
    rd_spending: plainNumber(i.rd_spending),
    income: plainNumber(i.income),
    equipment_value: plainNumber(i.equipment_value),
    area: plainNumber(i.area),
    summary: i.summary.trim(),
  }
  if (carrier) {
    out.seed_fund = plainNumber(seed_fund)
    out.mentors = mentors ?? 0
    out.service_staff = service_staff ?? 0
  }
  return out
}

/** What the form can tell before sending (the server's wording). */
export function checkReport(i: PlatformReportInput, carrier: boolean, thisYear: number): Problem[] {
  const out: Problem[] = []
  if (!(i.platform_id > 0)) out.push({ field: 'platform_id', message: '请选择平台' })
  if (!(i.year >= 2000 && i.year <= thisYear)) out.push({ field: 'year', message: `年报年度应在2000至${thisYear}之间` })
  const counts = [...REPORT_FIGURES, ...(carrier ? CARRIER_FIGURES : [])].filter((f) => f.kind === 'count')
  for (const f of counts) {
    const v = i[f.key] as number | undefined
    if (v !== undefined && !(Number.isInteger(v) && v >= 0 && v <= 10_000_000)) out.push({ field: f.key, message: `${f.label}应为0至一千万之间的整数` })
  }
  if (i.senior_staff > i.staff || i.rd_staff > i.staff) out.push({ field: 'senior_staff', message: '高级职称或博士人员、研发人员不能多于固定人员' })
  const moneys = [...REPORT_FIGURES, ...(carrier ? CARRIER_FIGURES : [])].filter((f) => f.kind === 'money')
  for (const f of moneys) {
    const v = plainNumber(i[f.key] as string | undefined)
    if (v && !MONEY.test(v)) out.push({ field: f.key, message: `${f.label}应为金额（元），最多两位小数` })
  }
  const area = plainNumber(i.area)
  if (area && !AREA.test(area)) out.push({ field: 'area', message: '场地面积应为不小于0的数（平方米）' })
  if (!i.summary.trim()) out.push({ field: 'summary', message: '年度工作总结不能为空' })
  else if (i.summary.trim().length > 5000) out.push({ field: 'summary', message: '年度工作总结不超过5000字' })
  return out
}

// ---------------------------------------------------------------- evaluation

/** Only a 已提交 report is put into a 绩效评价 round. */
export function evaluable(r: Pick<PlatformReport, 'status'>): boolean {
  return r.status === 'submitted'
}

/** A draft is edited and submitted by its platform's unit. */
export function editable(r: Pick<PlatformReport, 'status'>): boolean {
  return r.status === 'draft'
}

export interface RoundToGrade {
  round_id: number
  round_title: string
  count: number
}

/** The closed rounds whose reports are still 评价中: each waits for 评定等级. */
export function roundsToGrade(reports: Pick<PlatformReport, 'status' | 'round_id' | 'round_title' | 'round_status'>[]): RoundToGrade[] {
  const out: RoundToGrade[] = []
  for (const r of reports) {
    if (r.status !== 'reviewing' || r.round_status !== 'closed' || r.round_id === null) continue
    const hit = out.find((x) => x.round_id === r.round_id)
    if (hit) hit.count++
    else out.push({ round_id: r.round_id, round_title: r.round_title ?? `评审轮次 ${r.round_id}`, count: 1 })
  }
  return out
}

export interface EvaluationForm {
  title: string
  year: number
  reviewers_per_item: number
  due_on: string
  /** 评审专业 beside each host's staff's fields */
  disciplines: string[]
}

/** Fields a platform evaluation commonly draws experts from (any field may be typed). */
export const DISCIPLINE_HINTS = ['管理科学与工程', '材料科学与工程', '冶金工程', '化学工程与技术', '机械工程', '环境科学与工程', '电子信息', '生物医药', '农学']

export function emptyEvaluationForm(year: number): EvaluationForm {
  return { title: `${year}年度创新平台绩效评价`, year, reviewers_per_item: 3, due_on: '', disciplines: ['管理科学与工程'] }
}

export function checkEvaluation(ids: number[], f: EvaluationForm, today: string): string[] {
  const out: string[] = []
  if (!ids.length) out.push('请选择已提交的年报')
  if (!f.title.trim()) out.push('评价名称不能为空')
  else if (f.title.trim().length > 100) out.push('评价名称不超过100字')
  if (!(f.reviewers_per_item >= 1 && f.reviewers_per_item <= 15)) out.push('每份年报评审专家数应在1至15之间')
  if (f.due_on && !DATE.test(f.due_on)) out.push('截止日期格式应为 YYYY-MM-DD')
  else if (f.due_on && f.due_on < today) out.push('截止日期不能早于今天')
  return out
}

export function evaluationInput(ids: number[], f: EvaluationForm): PlatformEvaluationInput {
  const out: PlatformEvaluationInput = { title: f.title.trim(), year: f.year, report_ids: [...ids], reviewers_per_item: f.reviewers_per_item, disciplines: [...f.disciplines] }
  if (f.due_on) out.due_on = f.due_on
  return out
}

// ---------------------------------------------------------------- recognitions

export interface RecognitionForm {
  /** 已有平台（认定/升级） or 新建平台 */
  mode: 'existing' | 'new'
  platform_id: number
  name: string
  platform_type: string
  host_org_id: number
  level: string
  summary: string
}

export function emptyRecognitionForm(hostOrgId = 0): RecognitionForm {
  return { mode: 'existing', platform_id: 0, name: '', platform_type: '', host_org_id: hostOrgId, level: '', summary: '' }
}

export function recognitionInput(f: RecognitionForm): RecognitionInput {
  if (f.mode === 'existing') return { platform_id: f.platform_id, level: f.level, summary: f.summary.trim() }
  return { name: f.name.trim(), platform_type: f.platform_type, host_org_id: f.host_org_id, level: f.level, summary: f.summary.trim() }
}

export function checkRecognition(f: RecognitionForm): Problem[] {
  const out: Problem[] = []
  if (f.mode === 'existing') {
    if (!(f.platform_id > 0)) out.push({ field: 'platform_id', message: '请选择平台' })
  } else {
    if (!f.name.trim()) out.push({ field: 'name', message: '平台名称不能为空' })
    else if (f.name.trim().length > 100) out.push({ field: 'name', message: '平台名称不超过100字' })
    if (!f.platform_type) out.push({ field: 'platform_type', message: '请选择平台类型' })
    if (!(f.host_org_id > 0)) out.push({ field: 'host_org_id', message: '请选择依托单位' })
  }
  if (!f.level) out.push({ field: 'level', message: '请选择申报级别' })
  else if (f.level === 'internal') out.push({ field: 'level', message: '企业内部平台无需认定，请选择县级及以上级别' })
  if (!f.summary.trim()) out.push({ field: 'summary', message: '申报说明不能为空' })
  else if (f.summary.trim().length > 2000) out.push({ field: 'summary', message: '申报说明不超过2000字' })
  return out
}

export function checkDecideRecognition(d: DecideRecognition, today: string): Problem[] {
  const out: Problem[] = []
  if (d.recognize) {
    if (!d.document.trim()) out.push({ field: 'document', message: '认定文件（批准文号）不能为空' })
    if (!d.recognized_on) out.push({ field: 'recognized_on', message: '请填写认定日期' })
    else if (!DATE.test(d.recognized_on)) out.push({ field: 'recognized_on', message: '认定日期格式应为 YYYY-MM-DD' })
    else if (d.recognized_on > today) out.push({ field: 'recognized_on', message: '认定日期不能晚于今天' })
  } else if (!d.note.trim()) out.push({ field: 'note', message: '不予认定须写明理由' })
  if (d.note.trim().length > 500) out.push({ field: 'note', message: '认定意见不超过500字' })
  return out
}

/** "市级 → 省级" for an upgrade, "市级" for a first recognition. */
export function levelStep(from: string | null | undefined, to: string): string {
  return from ? `${from} → ${to}` : to
}

// ---------------------------------------------------------------- conditions

export interface Mark {
  sign: '✓' | '✗' | '?'
  label: '符合' | '不符合' | '未知'
  type: TagType
}

/** A condition's mark: met ✓, not met ✗, unknown (missing data) ?. */
export function conditionMark(met: boolean | null | undefined): Mark {
  if (met === true) return { sign: '✓', label: '符合', type: 'success' }
  if (met === false) return { sign: '✗', label: '不符合', type: 'danger' }
  return { sign: '?', label: '未知', type: 'info' }
}

/** The pack's overall answer as a tag. */
export function qualifiedTag(q: boolean | null | undefined): { label: string; type: TagType } {
  if (q === true) return { label: '已具备条件', type: 'success' }
  if (q === false) return { label: '尚不具备条件', type: 'warning' }
  return { label: '暂无法判定', type: 'info' }
}

/** met / total as a percentage for a progress bar (0 when there is nothing to count). */
export function progressPct(met: number, total: number): number {
  if (!(total > 0)) return 0
  return Math.max(0, Math.min(100, Math.round((met / total) * 100)))
}

/** A pack's explanation, one line per sentence or condition (after "。", at "；" and new lines). */
export function explanationLines(s: string | null | undefined): string[] {
  return (s ?? '').split(/\n|；|(?<=。)/).map((x) => x.trim()).filter(Boolean)
}

// ---------------------------------------------------------------- incubatees

export function checkIncubatee(i: IncubateeInput, today: string): Problem[] {
  const out: Problem[] = []
  if (!(i.org_id > 0)) out.push({ field: 'org_id', message: '请选择企业' })
  if (!i.entered_on) out.push({ field: 'entered_on', message: '请填写入孵日期' })
  else if (!DATE.test(i.entered_on)) out.push({ field: 'entered_on', message: '入孵日期格式应为 YYYY-MM-DD' })
  else if (i.entered_on > today) out.push({ field: 'entered_on', message: '入孵日期不能晚于今天' })
  if (i.note.trim().length > 500) out.push({ field: 'note', message: '备注不超过500字' })
  return out
}

/** 毕业 needs a criterion; 退出 a reason. */
export function checkLeave(l: { on: string; criterion?: string; reason?: string }, graduate: boolean, today: string): Problem[] {
  const out: Problem[] = []
  if (!l.on) out.push({ field: 'on', message: '请填写日期' })
  else if (!DATE.test(l.on)) out.push({ field: 'on', message: '日期格式应为 YYYY-MM-DD' })
  else if (l.on > today) out.push({ field: 'on', message: '日期不能晚于今天' })
  if (graduate && !l.criterion) out.push({ field: 'criterion', message: '请选择毕业条件' })
  if (!graduate && !(l.reason ?? '').trim()) out.push({ field: 'reason', message: '退出须写明原因' })
  if ((l.reason ?? '').trim().length > 500) out.push({ field: 'reason', message: '说明不超过500字' })
  return out
}

export function graduateInput(on: string, criterion: string, note: string): GraduateInput {
  return { on, criterion, note: note.trim() }
}

export function exitInput(on: string, reason: string): IncubateeExitInput {
  return { on, reason: reason.trim() }
}

// ---------------------------------------------------------------- upgrade packs

const LEVEL_ORDER = ['internal', 'county', 'city', 'provincial', 'national']

/**
 * Whether a platform has an upgrade pack to judge (the server's `upgrade_pack`): asked before
 * GET /platforms/{id}/upgrade so a platform without one shows its empty state at once instead of
 * a refused request. The server stays the judge: its 422 `upgrade.no_pack` is shown the same way.
 */
export function hasUpgradePack(type: string | null | undefined, level: string | null | undefined): boolean {
  const at = LEVEL_ORDER.indexOf(level ?? '')
  if (at < 0) return false
  if (type === 'engineering_research_center') return at <= LEVEL_ORDER.indexOf('city')
  if (type === 'incubator') return at < LEVEL_ORDER.indexOf('national')
  return false
}

/**
 * The gaps to show: the pack's own gap sentences, else the sentence of each condition not met
 * (the server leaves `gaps` empty when no single figure closes a gap).
 */
export function upgradeGaps(a: Pick<UpgradeAnswer, 'gaps' | 'conditions'>): string[] {
  if (a.gaps.length) return a.gaps
  return a.conditions.filter((c) => c.met === false).map((c) => c.text || `${c.label}：不符合`)
}
