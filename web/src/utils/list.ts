import { reactive, ref } from 'vue'
import { useRoute } from 'vue-router'
import { api, errorMessage, type Query } from '@/api/http'
import type { Page } from '@/api/types'

/**
 * A server-paginated list: filters, page/size, sort/order, loading and an error text.
 * `load()` re-reads the current page; `search()` goes back to page 1.
 */
export function useList<T, F extends Record<string, unknown>>(endpoint: string, initial: F, fixed: () => Query = () => ({})) {
  const filters = reactive({ ...initial }) as F
  const items = ref<T[]>([])
  const total = ref(0)
  /** The server counted a large total a little while ago: the pager says 约, not 共. */
  const estimated = ref(false)
  const page = ref(1)
  const size = ref(10)
  const sort = ref<string | undefined>()
  const order = ref<'asc' | 'desc' | undefined>()
  const loading = ref(false)
  const error = ref('')

  function query(): Query {
    return { ...(filters as Query), ...fixed(), sort: sort.value, order: order.value }
  }

  let seq = 0
  async function load() {
    const mine = ++seq
    loading.value = true
    error.value = ''
    try {
      const r = await api.get<Page<T>>(endpoint, { ...query(), page: page.value, size: size.value })
      if (mine !== seq) return
      items.value = r.items
      total.value = r.total
      estimated.value = r.total_estimated === true
    } catch (e) {
      if (mine !== seq) return
      items.value = []
      total.value = 0
      estimated.value = false
      error.value = errorMessage(e)
    } finally {
      if (mine === seq) loading.value = false
    }
  }
  function search() {
    page.value = 1
    return load()
  }
  function reset() {
    Object.assign(filters, initial)
    sort.value = undefined
    order.value = undefined
    return search()
  }
  function onSort(e: { prop: string | null; order: 'ascending' | 'descending' | null }, map: Record<string, string> = {}) {
    if (!e.prop || !e.order) {
      sort.value = undefined
      order.value = undefined
    } else {
      sort.value = map[e.prop] ?? e.prop
      order.value = e.order === 'ascending' ? 'asc' : 'desc'
    }
    return search()
  }
  return { filters, items, total, estimated, page, size, sort, order, loading, error, load, search, reset, onSort, query }
}

/** A list column the user may hide (RightToolbar's column chooser). */
export interface Column {
  key: string
  label: string
  visible: boolean
}

const COLUMNS_PREFIX = 'kc-columns:'

/** The keys of the columns hidden on a page as last chosen; null if never chosen (the page's defaults). */
export function loadHidden(page: string): string[] | null {
  try {
    const v = JSON.parse(localStorage.getItem(COLUMNS_PREFIX + page) ?? 'null')
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : null
  } catch {
    return null
  }
}

export function saveHidden(page: string, hidden: string[]) {
  try {
    localStorage.setItem(COLUMNS_PREFIX + page, JSON.stringify(hidden))
  } catch {
    // Private mode or a full storage: the choice lasts for this visit only.
  }
}

/**
 * The columns of a list for RightToolbar (`v-model:columns="columns"`) and `shown(key)` for
 * each `<el-table-column v-if="shown('x')">`. Columns not listed are always shown; `false` as
 * a third element hides one until the user asks for it. The page's last choice (RightToolbar
 * stores it under the route name) applies from the first render.
 */
export function useColumns(defs: [key: string, label: string, visible?: boolean][], page?: string) {
  const hidden = loadHidden(page ?? String(useRoute()?.name ?? ''))
  const columns = ref<Column[]>(defs.map(([key, label, visible]) => ({ key, label, visible: hidden ? !hidden.includes(key) : visible !== false })))
  const shown = (key: string) => columns.value.find((c) => c.key === key)?.visible !== false
  return { columns, shown }
}

/** Every row of a paged list (pages of 500): for a set the page must hold whole, such as one
 * call's applications for the panel's decisions. */
export async function allPages<T>(endpoint: string, query: Query = {}): Promise<T[]> {
  const rows: T[] = []
  for (let page = 1; ; page++) {
    const p = await api.get<Page<T>>(endpoint, { ...query, page, size: 500 })
    rows.push(...p.items)
    if (!p.items.length || rows.length >= p.total) return rows
  }
}

/** Server paging for a page that loads its own list: page, size, the total and whether it is an
 * estimate (“约”). `take(page)` keeps an answer's total and returns its rows. */
export function usePager(load: () => unknown) {
  const page = ref(1)
  const size = ref(10)
  const total = ref(0)
  const estimated = ref(false)
  return {
    page,
    size,
    total,
    estimated,
    /** A new page size starts again at the first page. */
    onSize() {
      page.value = 1
      load()
    },
    take<T>(p: Page<T>): T[] {
      total.value = p.total
      estimated.value = p.total_estimated ?? false
      return p.items
    },
  }
}
