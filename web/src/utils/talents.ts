// 人才: the pure helpers of the talent pages — empty inputs, the checks made before sending (the
// server checks again and its 422 `fields` land on the same fields), ages, the default scoring
// form of a talent review round, and the small vocabularies only these pages use.
// Policy numbers (age limits, station caps, subsidies) are the packs': none is repeated here.
import type {
  Criterion, Grant, RoundInput, StationExpertInput, TalentApplication, TalentApplicationInput, TalentDemandInput, TalentReviewInput, TeamInput,
} from '@/api/types'
import type { Dict, TagType } from './dict'

const DATE = /^\d{4}-\d{2}-\d{2}$/

/** A YYYY-MM-DD text as a calendar date (no time zone), null when it is not one. */
export function parseDay(s: string | null | undefined): { y: number; m: number; d: number } | null {
  const t = (s ?? '').trim()
  if (!DATE.test(t)) return null
  const [y, m, d] = t.split('-').map(Number)
  const probe = new Date(Date.UTC(y, m - 1, d))
  if (probe.getUTCFullYear() !== y || probe.getUTCMonth() !== m - 1 || probe.getUTCDate() !== d) return null
  return { y, m, d }
}

/** Whole years of age on `on` for someone born on `birth` (the server's `age_on`); null if either is not a date. */
export function ageOn(birth: string | null | undefined, on: string | null | undefined): number | null {
  const b = parseDay(birth)
  const o = parseDay(on)
  if (!b || !o) return null
  let a = o.y - b.y
  if (o.m < b.m || (o.m === b.m && o.d < b.d)) a -= 1
  return a
}

/** "45周岁" or '—'. */
export function ageText(birth: string | null | undefined, on: string | null | undefined): string {
  const a = ageOn(birth, on)
  return a === null || a < 0 ? '—' : `${a}周岁`
}

// ---------------------------------------------------------------- applications

export function emptyApplicationInput(year: number, orgId = 0): TalentApplicationInput {
  return {
    person_id: 0,
    org_id: orgId,
    year,
    claimed_tier: '',
    birth_date: '',
    education: '',
    honours: [],
    evidence: '',
    full_time: true,
    phone: '',
    salary: '',
  }
}

/** An application's fields as the edit form starts them (masked phone/salary are not sent back as typed). */
export function inputFromApplication(a: TalentApplication): TalentApplicationInput {
  const masked = (v: string | null) => !v || v.includes('*')
  return {
    person_id: a.person_id,
    org_id: a.org_id,
    year: a.year,
    claimed_tier: a.claimed_tier,
    birth_date: a.birth_date,
    education: a.education,
    honours: [...a.honours],
    evidence: a.evidence,
    full_time: a.full_time,
    phone: masked(a.phone) ? '' : a.phone!,
    salary: masked(a.salary) ? '' : a.salary!,
  }
}

/** The input as sent: texts trimmed, the salary without separators. */
export function normalizeApplicationInput(i: TalentApplicationInput): TalentApplicationInput {
  return {
    ...i,
    birth_date: i.birth_date.trim(),
    evidence: i.evidence.trim(),
    phone: i.phone.trim(),
    salary: i.salary.replace(/[,，\s]/g, ''),
    honours: [...new Set(i.honours)],
  }
}

export interface Problem {
  field: string
  message: string
}

/** What the form can tell before sending (the messages are the server's wording where it has one). */
export function checkApplication(i: TalentApplicationInput, today: string, officer = false): Problem[] {
  const out: Problem[] = []
  if (!(i.person_id > 0)) out.push({ field: 'person_id', message: '请选择申报人' })
  if (officer && !(i.org_id > 0)) out.push({ field: 'org_id', message: '请选择申报单位' })
  if (!(i.year >= 2000 && i.year <= 2100)) out.push({ field: 'year', message: '年度应在2000至2100之间' })
  if (!i.claimed_tier) out.push({ field: 'claimed_tier', message: '请选择申报层次' })
  const age = ageOn(i.birth_date, today)
  if (!i.birth_date.trim()) out.push({ field: 'birth_date', message: '请填写出生日期' })
  else if (age === null) out.push({ field: 'birth_date', message: '出生日期格式应为 YYYY-MM-DD' })
  else if (i.birth_date.trim() > today || age > 100) out.push({ field: 'birth_date', message: '出生日期不合理，请核对' })
  if (!i.education) out.push({ field: 'education', message: '请选择学历' })
  if (i.honours.length && !i.evidence.trim()) out.push({ field: 'evidence', message: '申报认定条件时请说明佐证材料（证书编号、获奖文件等）' })
  if (i.evidence.trim().length > 2000) out.push({ field: 'evidence', message: '佐证材料说明不超过2000字' })
  const phone = i.phone.trim()
  if (phone && !/^1\d{10}$/.test(phone)) out.push({ field: 'phone', message: '手机号码应为以1开头的11位数字' })
  const salary = i.salary.replace(/[,，\s]/g, '')
  if (salary && !/^\d+(\.\d{1,2})?$/.test(salary)) out.push({ field: 'salary', message: '年薪应为金额（元），最多两位小数' })
  return out
}

/** A masked value stays as the server sent it; a salary in 元 gets separators. */
export function salaryText(s: string | null | undefined): string {
  if (s === null || s === undefined || s === '') return '—'
  if (s.includes('*')) return s
  const n = Number(s)
  if (!Number.isFinite(n)) return s
  return `${n.toLocaleString('en-US', { maximumFractionDigits: 2 })} 元`
}

/**
 * The pack's explanation as lines to read: its sentences are joined with "；" (and a lowered
 * claim is prefixed "申报B类，按所报条件可认定为C类。").
 */
export function explanationLines(s: string | null | undefined): string[] {
  return (s ?? '')
    .split(/；|。(?=.)/)
    .map((x) => x.trim().replace(/[；。]$/, ''))
    .filter(Boolean)
}

/** Whether a row of the list may be put into a review round (the server checks again). */
export function reviewable(a: Pick<TalentApplication, 'status'>): boolean {
  return a.status === 'submitted'
}

/** The pack's answer differs from the claim ("申报B类，按所报条件可认定为C类"). */
export function tierLowered(a: Pick<TalentApplication, 'claimed_tier' | 'matched_tier'>): boolean {
  return !!a.matched_tier && a.matched_tier !== a.claimed_tier
}

// ---------------------------------------------------------------- review rounds

/** 人才认定评审表 (100 points): what a talent review round scores by default. */
export function defaultTalentForm(): Criterion[] {
  return [
    { key: 'academic', label: '学术水平/创新能力', max: 30, guide: '学术造诣、主持的重大科研任务和技术创新能力，在本领域的影响力' },
    { key: 'achievements', label: '代表性成果', max: 30, guide: '代表性论文、专利、获奖、标准和成果转化情况，与申报层次的认定条件是否相符' },
    { key: 'contribution', label: '对本地产业贡献预期', max: 25, guide: '对济源主导产业和用人单位技术进步的带动作用，预期贡献是否有依据' },
    { key: 'team', label: '团队与条件', max: 15, guide: '团队建设、用人单位提供的平台与工作条件，全职在岗情况' },
  ]
}

export interface TalentReviewForm {
  title: string
  due_on: string
  reviewers_per_item: number
  max_load: number
  exclude_same_county: boolean
  form: Criterion[]
}

export function emptyReviewForm(year: number): TalentReviewForm {
  return { title: `${year}年度高层次人才认定专家评审`, due_on: '', reviewers_per_item: 3, max_load: 10, exclude_same_county: false, form: defaultTalentForm() }
}

/** The request of 组织专家评审 (the server sets the round's object kind). */
export function reviewInput(ids: number[], f: TalentReviewForm): TalentReviewInput {
  const round: RoundInput = {
    title: f.title.trim(),
    object_kind: 'talent_application',
    reviewers_per_item: f.reviewers_per_item,
    max_load: f.max_load,
    exclude_same_county: f.exclude_same_county,
    due_on: f.due_on || null,
    form: f.form.map((c) => ({ key: c.key, label: c.label.trim(), max: c.max, guide: c.guide?.trim() || null })),
  }
  return { application_ids: [...ids], round }
}

export function checkReviewForm(ids: number[], f: TalentReviewForm, today: string): string[] {
  const out: string[] = []
  if (!ids.length) out.push('请选择要评审的申请')
  if (!f.title.trim()) out.push('评审名称不能为空')
  if (f.due_on && f.due_on < today) out.push('截止日期不能早于今天')
  if (!(f.reviewers_per_item >= 1 && f.reviewers_per_item <= 15)) out.push('每项评审专家数应在1至15之间')
  if (!(f.max_load >= 1 && f.max_load <= 500)) out.push('每位专家评审数量上限应在1至500之间')
  if (!f.form.length) out.push('评分表应有1至20项评分指标')
  f.form.forEach((c, i) => {
    if (!c.label.trim()) out.push(`第${i + 1}项评分指标名称不能为空`)
    if (!(c.max > 0)) out.push(`第${i + 1}项评分指标满分应大于0`)
  })
  return out
}

/** The talent application behind a review item ("talent_application:12" → 12). */
export function talentApplicationOf(ref: string | null | undefined): number | null {
  const m = /^talent_application:(\d+)$/.exec(ref ?? '')
  return m ? Number(m[1]) : null
}

/** What an expert reads for an item: a project application, a talent application, a platform's yearly report, or nothing. */
export function reviewObjectKind(ref: string | null | undefined): 'application' | 'talent' | 'platform_report' | 'nomination' | null {
  if (/^application:\d+$/.test(ref ?? '')) return 'application'
  if (talentApplicationOf(ref) !== null) return 'talent'
  if (/^platform_report:\d+$/.test(ref ?? '')) return 'platform_report'
  if (/^award_nomination:\d+$/.test(ref ?? '')) return 'nomination'
  return null
}

/** The words of an item's read button: 查看申报书, 查看申请材料 (a talent application), 查看年报 (a platform's yearly report). */
export function reviewReadLabel(ref: string | null | undefined): string {
  const k = reviewObjectKind(ref)
  return k === 'talent' ? '查看申请材料' : k === 'platform_report' ? '查看年报' : k === 'nomination' ? '查看提名材料' : '查看申报书'
}

// ---------------------------------------------------------------- decisions

export function checkDecision(recognize: boolean, note: string): string | null {
  const n = note.trim()
  if (!recognize && !n) return '不予认定须写明理由'
  if (n.length > 500) return '认定意见不超过500字'
  return null
}

// ---------------------------------------------------------------- talents

/** The support a talent received: the sum of the grants' amounts (元) and of what was paid (分). */
export function supportTotals(grants: Pick<Grant, 'amount_fen' | 'paid_fen' | 'status'>[]): { amount_fen: number; paid_fen: number } {
  let amount = 0
  let paid = 0
  for (const g of grants) {
    if (g.status !== 'refused') amount += g.amount_fen
    paid += g.paid_fen
  }
  return { amount_fen: amount, paid_fen: paid }
}

/** Days until a recognition ends (negative when past); null for a bad date. */
export function daysLeft(until: string, today: string): number | null {
  const u = parseDay(until)
  const t = parseDay(today)
  if (!u || !t) return null
  return Math.round((Date.UTC(u.y, u.m - 1, u.d) - Date.UTC(t.y, t.m - 1, t.d)) / 86_400_000)
}

// ---------------------------------------------------------------- library

export const LIBRARY_KINDS: Dict = [
  { value: 'recognized', label: '认定人才', type: 'danger' },
  { value: 'expert', label: '评审专家', type: 'primary' },
  { value: 'commissioner', label: '科技特派员', type: 'success' },
]

// ---------------------------------------------------------------- teams

/** 创新团队级别 (platform levels the team form offers). */
export const TEAM_LEVELS: Dict = [
  { value: 'city', label: '市级', type: 'primary' },
  { value: 'provincial', label: '省级', type: 'warning' },
]

export function emptyTeamInput(year: number): TeamInput {
  return { name: '', host_org_id: 0, leader_id: 0, members: [], field: '', year, level: 'city', direction: '' }
}

/** Members without the leader and without repeats (as the server keeps them). */
export function normalizeTeamInput(i: TeamInput): TeamInput {
  return {
    ...i,
    name: i.name.trim(),
    field: i.field.trim(),
    direction: i.direction.trim(),
    members: [...new Set(i.members)].filter((m) => m !== i.leader_id),
  }
}

export function checkTeam(i: TeamInput): Problem[] {
  const out: Problem[] = []
  if (!i.name.trim()) out.push({ field: 'name', message: '请填写团队名称' })
  else if (i.name.trim().length > 100) out.push({ field: 'name', message: '团队名称不超过100字' })
  if (!(i.host_org_id > 0)) out.push({ field: 'host_org_id', message: '请选择依托单位' })
  if (!(i.leader_id > 0)) out.push({ field: 'leader_id', message: '请选择团队带头人' })
  if (i.members.length > 100) out.push({ field: 'members', message: '团队成员不超过100人' })
  if (!i.field.trim()) out.push({ field: 'field', message: '请填写技术领域' })
  if (!(i.year >= 2000 && i.year <= 2100)) out.push({ field: 'year', message: '年度应在2000至2100之间' })
  if (!i.level) out.push({ field: 'level', message: '请选择团队级别' })
  if (i.direction.trim().length > 500) out.push({ field: 'direction', message: '研究方向不超过500字' })
  return out
}

// ---------------------------------------------------------------- work stations

/** The platform type an expert of this role enters. */
export function stationTypeOf(role: string): 'scholar_workstation' | 'academician_workstation' {
  return role === 'scholar' ? 'scholar_workstation' : 'academician_workstation'
}

export const STATION_PLATFORM_TYPES: Dict = [
  { value: 'academician_workstation', label: '院士工作站', type: 'danger' },
  { value: 'scholar_workstation', label: '中原学者工作站', type: 'primary' },
]

export function emptyStationInput(): StationExpertInput {
  return { person_id: 0, role: '', contract_from: '', contract_to: '', birth_date: '', onsite_days: 0 }
}

export function checkStation(i: StationExpertInput, platformType: string | null): Problem[] {
  const out: Problem[] = []
  if (!(i.person_id > 0)) out.push({ field: 'person_id', message: '请选择进站专家' })
  if (!i.role) out.push({ field: 'role', message: '请选择进站专家身份' })
  else if (platformType && stationTypeOf(i.role) !== platformType) {
    out.push({ field: 'role', message: i.role === 'scholar' ? '中原学者应进中原学者工作站' : '院士应进院士工作站' })
  }
  if (!parseDay(i.contract_from)) out.push({ field: 'contract_from', message: '请填写协议开始日期' })
  if (!parseDay(i.contract_to)) out.push({ field: 'contract_to', message: '请填写协议结束日期' })
  else if (parseDay(i.contract_from) && i.contract_to <= i.contract_from) out.push({ field: 'contract_to', message: '协议结束日期必须晚于开始日期' })
  if (i.role === 'scholar' && !i.birth_date.trim()) out.push({ field: 'birth_date', message: '中原学者进站须填写出生日期' })
  else if (i.birth_date.trim() && !parseDay(i.birth_date)) out.push({ field: 'birth_date', message: '出生日期格式应为 YYYY-MM-DD' })
  if (!(Number.isInteger(i.onsite_days) && i.onsite_days >= 0 && i.onsite_days <= 366)) out.push({ field: 'onsite_days', message: '年度进站工作天数应在0至366之间' })
  return out
}

// ---------------------------------------------------------------- demands

/** 职称要求 the demand form offers ('' = 不限). */
export const DEMAND_TITLE_LEVELS: Dict = [
  { value: 'senior', label: '正高级' },
  { value: 'associate_senior', label: '副高级' },
  { value: 'intermediate', label: '中级' },
  { value: 'junior', label: '初级' },
]

export function emptyDemandInput(orgId = 0): TalentDemandInput {
  return { org_id: orgId, title: '', field: '', keywords: [], education: '', title_level: '', count: 1, description: '', deadline: '' }
}

/** Keywords as typed (split on 、，, ; and spaces), trimmed, without repeats. */
export function splitKeywords(v: string | string[]): string[] {
  const parts = (Array.isArray(v) ? v : [v]).flatMap((s) => s.split(/[、，,；;\s]+/))
  return [...new Set(parts.map((s) => s.trim()).filter(Boolean))]
}

export function normalizeDemandInput(i: TalentDemandInput): TalentDemandInput {
  return { ...i, title: i.title.trim(), field: i.field.trim(), description: i.description.trim(), keywords: splitKeywords(i.keywords) }
}

export function checkDemand(i: TalentDemandInput, today: string): Problem[] {
  const out: Problem[] = []
  if (!i.title.trim()) out.push({ field: 'title', message: '请填写需求名称' })
  else if (i.title.trim().length > 100) out.push({ field: 'title', message: '需求名称不超过100字' })
  if (!i.field.trim()) out.push({ field: 'field', message: '请填写专业领域' })
  const kw = splitKeywords(i.keywords)
  if (kw.length > 10) out.push({ field: 'keywords', message: '关键词不超过10项' })
  if (kw.some((k) => k.length > 50)) out.push({ field: 'keywords', message: '关键词每项不超过50个字' })
  if (!(Number.isInteger(i.count) && i.count >= 1 && i.count <= 1000)) out.push({ field: 'count', message: '需求人数应在1至1000之间' })
  if (!i.description.trim()) out.push({ field: 'description', message: '请填写需求说明' })
  if (!parseDay(i.deadline)) out.push({ field: 'deadline', message: '请填写截止日期' })
  else if (i.deadline < today) out.push({ field: 'deadline', message: '截止日期不能早于今天' })
  return out
}

/** The colour of a match's points (the server's scale: field 40, keywords ≤45, title 15, tier 10, county 5). */
export function matchTagType(score: number): TagType {
  if (score >= 70) return 'success'
  if (score >= 40) return 'primary'
  return 'info'
}

/** A reason the match lacks (the server words them "…未达要求"). */
export function reasonIsShortfall(r: string): boolean {
  return /未达|不符/.test(r)
}
