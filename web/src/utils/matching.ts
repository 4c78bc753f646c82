// 对接推荐 beyond the market's own records: the experts and 高校院所 the server suggests for a
// technical demand (GET /demands/{id}/partners) and the enterprises for an achievement
// (GET /achievements/{id}/enterprises). How a suggested partner links to its registry page, what
// an empty list says (no match, or no right to see the registry), and which requests are worth
// making for the caller's permissions. Pure functions.

export type PartnerKind = 'expert' | 'institution' | 'enterprise'

/** A person or organization suggested for a demand or an achievement, with why. */
export interface Partner {
  kind: PartnerKind
  id: number
  name: string
  /** The expert's organization, or the organization's type and region. */
  detail: string
  /** 0–100, relative to the best suggestion of the list. */
  score: number
  /** Why, in Chinese: "与需求共同的词：铅冶炼、烟气脱硫", "同属行业大类 C32（本单位行业代码 C3240）" … */
  reasons: string[]
}

/** GET /demands/{id}/partners */
export interface DemandPartners {
  experts: Partner[]
  institutions: Partner[]
}

/** The permission that lets the server suggest (and the caller open) a partner of this kind. */
export const PARTNER_PERMISSION: Record<PartnerKind, string> = {
  expert: 'person:read',
  institution: 'org:read',
  enterprise: 'org:read',
}

/** What a partner of this kind is called in the sentences below. */
const NOUN: Record<PartnerKind, string> = { expert: '专家', institution: '机构', enterprise: '企业' }
/** The registry the permission opens. */
const REGISTRY: Record<PartnerKind, string> = { expert: '人才库', institution: '单位库', enterprise: '单位库' }

type Can = (perm: string) => boolean

/**
 * The registry page of a suggested partner — an expert's /persons/:id, an institution's or
 * enterprise's /organizations/:id — or null when the caller may not open it (no person:read /
 * org:read), in which case the name is shown without a link.
 */
export function partnerRoute(p: Pick<Partner, 'kind' | 'id'>, can: Can): string | null {
  if (!Number.isInteger(p.id) || p.id <= 0) return null
  if (!can(PARTNER_PERMISSION[p.kind] ?? '')) return null
  return p.kind === 'expert' ? `/persons/${p.id}` : p.kind === 'institution' || p.kind === 'enterprise' ? `/organizations/${p.id}` : null
}

/**
 * What an empty list of partners says: without the permission, that the server cannot suggest
 * them to this caller and whom to ask; with it, that nothing matched.
 */
export function partnerEmptyText(kind: PartnerKind, allowed: boolean): string {
  if (!allowed) return `推荐${NOUN[kind]}需查看${REGISTRY[kind]}的权限，请联系科技局`
  if (kind === 'expert') return '暂无匹配的专家：专家库中没有研究方向、关键词与该需求相同的专家'
  if (kind === 'institution') return '暂无匹配的机构：您可查看的高校院所中没有与该需求相关的单位'
  return '暂无匹配的企业：您可查看的企业中没有与该成果同行业或相关的单位'
}

/** Which lists of /demands/{id}/partners the caller can get; the request is made only if any. */
export function demandPartnersAllowed(can: Can): { experts: boolean; institutions: boolean; any: boolean } {
  const experts = can(PARTNER_PERMISSION.expert)
  const institutions = can(PARTNER_PERMISSION.institution)
  return { experts, institutions, any: experts || institutions }
}

/** A tab's title with the number of partners once they are known: "推荐专家（10）". */
export function partnerTabLabel(title: string, items: readonly unknown[] | null | undefined): string {
  return items && items.length ? `${title}（${items.length}）` : title
}

/** The score as a bar's width (an integer 0–100; anything else 0). */
export function partnerPercent(score: unknown): number {
  const n = Number(score)
  if (!Number.isFinite(n)) return 0
  return Math.round(Math.min(100, Math.max(0, n)))
}

/** The answer of /demands/{id}/partners made safe to show (missing lists empty). */
export function normalizeDemandPartners(r: unknown): DemandPartners {
  const o = (r && typeof r === 'object' ? r : {}) as Partial<Record<keyof DemandPartners, unknown>>
  return { experts: partnerList(o.experts), institutions: partnerList(o.institutions) }
}

/** A list of partners made safe to show: only records with a name, reasons always an array. */
export function partnerList(r: unknown): Partner[] {
  if (!Array.isArray(r)) return []
  return r
    .filter((p): p is Partner => !!p && typeof p === 'object' && typeof (p as Partner).name === 'string')
    .map((p) => ({ ...p, detail: p.detail ?? '', reasons: Array.isArray(p.reasons) ? p.reasons : [] }))
}

/**
 * The 行业大类 (GB/T 4754 division: section letter + two digits, "C32") of an industry code the
 * way the server takes it — its first three characters — or '' when the code has none.
 */
export function industryMajor(industry: string | null | undefined): string {
  const m = /^([A-Za-z]\d{2})/.exec(String(industry ?? '').trim())
  return m ? m[1].toUpperCase() : ''
}

/** How the 意向企业 of an achievement were chosen, given its industry (and its 大类's name). */
export function enterprisesHint(industry: string | null | undefined, majorName = ''): string {
  const major = industryMajor(industry)
  if (!major) return '该成果未填写国民经济行业，仅按企业名称或简介中与成果共同的词推荐；填写行业后可推荐同行业企业'
  return `同属行业大类 ${major}${majorName ? `（${majorName}）` : ''}的企业，与成果有共同词的在前，其次按最近一年研发费用排序`
}
