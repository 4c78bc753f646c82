import { reactive, ref } from 'vue'
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
    } catch (e) {
      if (mine !== seq) return
      items.value = []
      total.value = 0
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
  return { filters, items, total, page, size, sort, order, loading, error, load, search, reset, onSort, query }
}
