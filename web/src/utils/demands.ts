// 技术需求 (企业出题, 需求大厅) and 匹配推荐: how a demand's budget, keywords and status read, the
// client's copy of the server's checks of the new fields, and how a suggestion's score is said.
import type { TagType } from '@/utils/dict'
import { formatWan } from '@/utils/format'
import { toFen } from '@/utils/projects'

/** At most this many keywords, each at most this many characters (the server's keywords.count). */
export const MAX_KEYWORDS = 5
export const MAX_KEYWORD_CHARS = 20

const blank = (v: string | null | undefined) => v === null || v === undefined || String(v).trim() === ''

/**
 * A demand's budget in 万元 (the column header carries the unit): "50.00 – 200.00", "≥ 50.00"
 * (only a floor), "≤ 200.00" (only the ceiling, 拟投入经费), "200.00" (both the same), "面议" (neither).
 */
export function budgetRangeText(min: string | null | undefined, max: string | null | undefined): string {
  const lo = wan(min)
  const hi = wan(max)
  if (lo !== null && hi !== null) return lo === hi ? hi : `${lo} – ${hi}`
  if (lo !== null) return `≥ ${lo}`
  if (hi !== null) return `≤ ${hi}`
  return '面议'
}

/** An amount in 元 as 万元 text; null when there is none (or it is not a number). */
function wan(v: string | null | undefined): string | null {
  if (blank(v)) return null
  const t = formatWan(v)
  return t === '—' ? null : t
}

/** The keywords sent: trimmed, without blanks or repeats, in the order typed. */
export function normalizeKeywords(ks: readonly string[] | null | undefined): string[] {
  return [...new Set((ks ?? []).map((k) => String(k).trim()).filter(Boolean))]
}

/** What is wrong with the keywords (the server's keywords.count); '' when they pass. */
export function keywordsProblem(ks: readonly string[] | null | undefined): string {
  const k = normalizeKeywords(ks)
  if (k.length > MAX_KEYWORDS || k.some((x) => [...x].length > MAX_KEYWORD_CHARS)) return `关键词最多${MAX_KEYWORDS}个，每个不超过${MAX_KEYWORD_CHARS}个字`
  return ''
}

/**
 * The budget fields of a demand as typed (元), checked as the server does: each a non-negative
 * amount with at most two decimals, the floor not above the ceiling (demand.budget_range).
 * The problems under the server's field names; {} when both pass.
 */
export function demandBudgetProblems(min: string, max: string): Record<string, string> {
  const out: Record<string, string> = {}
  const lo = blank(min) ? null : toFen(min)
  const hi = blank(max) ? null : toFen(max)
  if (!blank(min) && lo === null) out.budget_min = '预算下限应为金额（元，最多两位小数）'
  if (!blank(max) && hi === null) out.budget = '拟投入经费应为金额（元，最多两位小数）'
  if (lo !== null && hi !== null && lo > hi) out.budget_min = '预算下限不能高于拟投入经费（预算上限）'
  return out
}

/** A demand's status colour: 征集中 amber, 已对接 / 已采纳为榜单 green, 已关闭 grey. */
export function demandStatusType(s: string): TagType {
  return s === 'open' ? 'warning' : s === 'matched' || s === 'adopted' ? 'success' : 'info'
}

/** How well a suggestion matches, by its score (0–100): the words and the tag colour. */
export function matchLevel(score: number): { label: string; type: TagType } {
  if (score >= 60) return { label: '高度匹配', type: 'success' }
  if (score >= 30) return { label: '较为匹配', type: 'warning' }
  return { label: '可供参考', type: 'info' }
}
