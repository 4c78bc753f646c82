// What the shell shows around a page: the breadcrumb trail and the open-page tags.
import { reactive } from 'vue'
import type { RouteLocationNormalizedLoaded, Router } from 'vue-router'

export interface Crumb {
  title: string
  /** Absent for the current page, a menu group, or a page the account may not open. */
  to?: string
}

/**
 * 首页 / group / list page / … / this page. A detail route names the page it is opened from in
 * `meta.parent`; the parent is linked with the current route's params it needs (`:id`).
 */
export function breadcrumbs(router: Router, route: RouteLocationNormalizedLoaded, can: (perm?: string | string[]) => boolean): Crumb[] {
  if (route.name === 'home') return [{ title: '首页' }]
  const chain: Crumb[] = [{ title: route.meta.title ?? '' }]
  let group = route.meta.group
  let parent = route.meta.parent
  const seen = new Set<string>()
  while (parent && !seen.has(parent)) {
    seen.add(parent)
    const rec = router.getRoutes().find((r) => r.name === parent)
    if (!rec) break
    const params = Object.fromEntries((rec.path.match(/:\w+/g) ?? []).map((k) => [k.slice(1), route.params[k.slice(1)]]))
    let to: string | undefined
    try {
      if (can(rec.meta.perm)) to = router.resolve({ name: parent, params: params as Record<string, string> }).fullPath
    } catch {
      to = undefined
    }
    chain.unshift({ title: rec.meta.title ?? '', to })
    group = rec.meta.group ?? group
    parent = rec.meta.parent
  }
  return [{ title: '首页', to: '/' }, ...(group ? [{ title: group }] : []), ...chain]
}

/** An open page in the tags bar, one per path (a list with other filters is the same page). */
export interface Tag {
  path: string
  fullPath: string
  title: string
}

export const HOME_TAG: Tag = { path: '/', fullPath: '/', title: '首页' }

/** Titles pages give their tag once they know what they show (two 单位详情 tags are two units). */
export const tagTitles = reactive<Record<string, string>>({})

/** Name the current page's tag after its record, e.g. `单位详情：济源国泰环保`. */
export function nameTag(path: string, title: string) {
  tagTitles[path] = title
}

/** Where an account's open tags are kept for the browser tab's session. */
export function tagsKey(username: string): string {
  return `kc-tags:${username}`
}

/** Logging out closes every tag: the next login starts at 首页 alone. */
export function forgetTags(username: string | null | undefined, store: Pick<Storage, 'removeItem'> = sessionStorage) {
  if (username) store.removeItem(tagsKey(username))
  for (const k of Object.keys(tagTitles)) delete tagTitles[k]
}

/** The tags with the titles pages gave them. */
export function renameTags(tags: Tag[], titles: Record<string, string>): Tag[] {
  return tags.some((t) => titles[t.path] && titles[t.path] !== t.title) ? tags.map((t) => (titles[t.path] ? { ...t, title: titles[t.path] } : t)) : tags
}

/** The tags with `route` opened: added at the end, or its query brought up to date (a title the page gave stays). */
export function openTag(tags: Tag[], route: Pick<RouteLocationNormalizedLoaded, 'path' | 'fullPath' | 'meta' | 'name'>): Tag[] {
  if (route.meta.public || route.name === 'not-found' || !route.meta.title) return tags
  const at = tags.findIndex((x) => x.path === route.path)
  if (at < 0) return [...tags, { path: route.path, fullPath: route.fullPath, title: route.meta.title }]
  if (tags[at].fullPath === route.fullPath) return tags
  return tags.map((x, i) => (i === at ? { ...x, fullPath: route.fullPath } : x))
}

/**
 * Close tags: `which` is the one clicked, `mode` what to close. 首页 always stays. Returns the
 * tags left and, when the active page was closed, where to go (the last tag left).
 */
export function closeTags(tags: Tag[], which: string, mode: 'self' | 'others' | 'all', active: string): { tags: Tag[]; go?: string } {
  const keep = (t: Tag) => t.path === HOME_TAG.path || (mode === 'self' ? t.path !== which : mode === 'others' ? t.path === which : false)
  const left = tags.filter(keep)
  if (left.some((t) => t.path === active)) return { tags: left }
  if (mode === 'others') return { tags: left, go: left.find((t) => t.path === which)?.fullPath ?? HOME_TAG.fullPath }
  return { tags: left, go: (left[left.length - 1] ?? HOME_TAG).fullPath }
}
