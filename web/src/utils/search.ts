// 全文检索 on the client: the search lives in the URL (`/search?q=&kind=&area=&trl=&region=&mode=
// &page=&size=`), so a search is a link and the back button goes to the previous one. Pure
// functions: the URL's query read into a search and written back, the API's query, the facets'
// titles and the chosen filters, where a hit opens, and the snippet kept to its <em> marks.
import type { LocationQuery, LocationQueryRaw, RouteLocationRaw } from 'vue-router'
import type { Query } from '@/api/http'
import type { TagType } from './dict'

/** The kinds of record the search covers (crates/domain search.rs). */
export type SearchKind = 'achievement' | 'demand' | 'organization' | 'person'

export interface SearchHit {
  kind: SearchKind | string
  kind_label: string
  id: number
  title: string
  /** HTML-escaped text with the matched words in <em>…</em>. */
  snippet: string
  score: number
}

export interface FacetValue {
  value: string
  label: string
  count: number
}

/** The facets the server counts over every hit; a facet no hit has is absent. */
export type FacetKey = 'kind' | 'area' | 'trl' | 'region' | 'mode'

export interface SearchAnswer {
  total: number
  rows: SearchHit[]
  facets: Partial<Record<FacetKey, FacetValue[]>>
}

/** The facet groups in the order the page shows them, with their titles. */
export const FACETS: { key: FacetKey; title: string }[] = [
  { key: 'kind', title: '类别' },
  { key: 'area', title: '技术领域' },
  { key: 'trl', title: '技术就绪度' },
  { key: 'region', title: '所在地区' },
  { key: 'mode', title: '转化方式' },
]

export function facetTitle(key: string): string {
  return FACETS.find((f) => f.key === key)?.title ?? key
}

/** Each kind, the permission that lets an account search it, and its tag's colour. */
export const KINDS: { value: SearchKind; label: string; perm: string; type: TagType }[] = [
  { value: 'achievement', label: '科技成果', perm: 'market:read', type: 'success' },
  { value: 'demand', label: '技术需求', perm: 'market:read', type: 'warning' },
  { value: 'organization', label: '单位', perm: 'org:read', type: 'primary' },
  { value: 'person', label: '人才专家', perm: 'person:read', type: 'danger' },
]

/** Any one of these lets an account search (the page's route and the header's box). */
export const SEARCH_PERMS = [...new Set(KINDS.map((k) => k.perm))]

/** The kinds an account may search, given its `can`. */
export function searchableKinds(can: (perm: string) => boolean): typeof KINDS {
  return KINDS.filter((k) => can(k.perm))
}

export function kindTagType(kind: string): TagType {
  return KINDS.find((k) => k.value === kind)?.type ?? 'info'
}

export const PAGE_SIZES = [10, 20, 50]
/** The server pages no deeper than this many hits (refine the words instead). */
export const MAX_HITS = 10_000

/** One search as the URL holds it. Filters are the server's values ('' = not filtered). */
export interface SearchState {
  q: string
  kind: string
  area: string
  trl: string
  region: string
  mode: string
  page: number
  size: number
}

export const FILTER_KEYS: FacetKey[] = ['kind', 'area', 'trl', 'region', 'mode']

export function emptySearch(): SearchState {
  return { q: '', kind: '', area: '', trl: '', region: '', mode: '', page: 1, size: PAGE_SIZES[0] }
}

function first(v: LocationQuery[string] | undefined): string {
  const s = Array.isArray(v) ? v[0] : v
  return typeof s === 'string' ? s.trim() : ''
}

function positive(s: string): number | null {
  return /^\d{1,9}$/.test(s) && Number(s) >= 1 ? Number(s) : null
}

/**
 * The search a URL's query holds. Filters are passed on as written (the server says what is
 * wrong with one, 422); a page that is not a positive whole number is the first, a size that
 * the pager does not offer is the default.
 */
export function searchFromQuery(query: LocationQuery): SearchState {
  const s = emptySearch()
  s.q = first(query.q)
  for (const k of FILTER_KEYS) s[k] = first(query[k])
  s.page = positive(first(query.page)) ?? 1
  const size = positive(first(query.size))
  s.size = size !== null && PAGE_SIZES.includes(size) ? size : PAGE_SIZES[0]
  return s
}

/** The URL's query of a search: empty values, page 1 and the default size left out. */
export function queryOfSearch(s: SearchState): LocationQueryRaw {
  const out: LocationQueryRaw = {}
  const q = s.q.trim()
  if (q) out.q = q
  for (const k of FILTER_KEYS) if (s[k]) out[k] = s[k]
  if (s.page > 1) out.page = String(s.page)
  if (s.size !== PAGE_SIZES[0]) out.size = String(s.size)
  return out
}

/** GET /search's query. */
export function apiQuery(s: SearchState): Query {
  const out: Query = { page: s.page, size: s.size }
  const q = s.q.trim()
  if (q) out.q = q
  for (const k of FILTER_KEYS) if (s[k]) out[k] = s[k]
  return out
}

/** Whether the URL asks for a search at all (words or a filter): else the page only invites one. */
export function hasCriteria(s: SearchState): boolean {
  return Boolean(s.q.trim()) || FILTER_KEYS.some((k) => s[k])
}

export function hasFilters(s: SearchState): boolean {
  return FILTER_KEYS.some((k) => s[k])
}

/** The search with one facet value chosen, or unchosen when it was (back to page 1). */
export function toggleFilter(s: SearchState, key: FacetKey, value: string): SearchState {
  return { ...s, [key]: s[key] === value ? '' : value, page: 1 }
}

export function withoutFilter(s: SearchState, key: FacetKey): SearchState {
  return { ...s, [key]: '', page: 1 }
}

/** The same words without any filter. */
export function withoutFilters(s: SearchState): SearchState {
  return { ...s, kind: '', area: '', trl: '', region: '', mode: '', page: 1 }
}

/** New words: the filters stay (as on the portals), the page goes back to the first. */
export function withWords(s: SearchState, q: string): SearchState {
  return { ...s, q: q.trim(), page: 1 }
}

export interface ActiveFilter {
  key: FacetKey
  value: string
  /** `类别：科技成果` */
  text: string
}

/** The label of a facet value: the server's, else the kind's name or `TRL n`, else the value. */
export function facetValueLabel(key: FacetKey, value: string, facets: SearchAnswer['facets'] = {}): string {
  const hit = facets[key]?.find((f) => f.value === value)
  if (hit) return hit.label
  if (key === 'kind') {
    const labels = value.split(',').map((v) => KINDS.find((k) => k.value === v.trim())?.label ?? v.trim())
    return labels.join('、')
  }
  if (key === 'trl' && /^\d$/.test(value)) return `TRL ${value}`
  return value
}

/** The filters chosen, in the facets' order, as the tags above the results say them. */
export function activeFilters(s: SearchState, facets: SearchAnswer['facets'] = {}): ActiveFilter[] {
  return FACETS.filter((f) => s[f.key]).map((f) => ({ key: f.key, value: s[f.key], text: `${f.title}：${facetValueLabel(f.key, s[f.key], facets)}` }))
}

/**
 * Where a hit opens: its detail page; a demand (which has none) in the 需求大厅, searched by
 * its title with its row opened.
 */
export function hitRoute(hit: Pick<SearchHit, 'kind' | 'id' | 'title'>): RouteLocationRaw {
  switch (hit.kind) {
    case 'achievement':
      return `/market/achievements/${hit.id}`
    case 'organization':
      return `/organizations/${hit.id}`
    case 'person':
      return `/persons/${hit.id}`
    case 'demand':
      return { path: '/market/demands', query: { q: hit.title, open: String(hit.id) } }
    default:
      return { name: 'search', query: { q: hit.title } }
  }
}

/** The pager's total: the hits the server pages through (no more than MAX_HITS). */
export function pageableTotal(total: number, size: number): number {
  return Math.min(total, MAX_HITS - (MAX_HITS % size))
}

const EM = /<(\/?)em>/g

/**
 * The snippet as HTML with nothing but its <em> marks: the server escapes everything else
 * already; any other '<' or '>' (which it never sends) is escaped again here.
 */
export function safeSnippet(snippet: string | null | undefined): string {
  const parts = String(snippet ?? '').split(EM)
  // split with a capture group: text, '' | '/', text, …
  let out = ''
  let open = 0
  for (let i = 0; i < parts.length; i++) {
    if (i % 2 === 0) out += parts[i].replace(/</g, '&lt;').replace(/>/g, '&gt;')
    else if (parts[i] === '') {
      out += '<em>'
      open++
    } else if (open > 0) {
      out += '</em>'
      open--
    }
  }
  return out + '</em>'.repeat(open)
}

/** What an empty result says, and what to try. */
export function emptyText(s: SearchState): { title: string; hint: string } {
  const q = s.q.trim()
  const title = q ? `没有找到与“${q}”相关的结果` : '没有符合筛选条件的结果'
  if (hasFilters(s)) return { title, hint: '可清除部分筛选条件，或换用更少、更常用的关键词后再试' }
  return { title, hint: '请检查关键词是否有误，或换用更少、更常用的关键词；只显示本账号数据范围内的记录与技术市场公开的成果和需求' }
}
