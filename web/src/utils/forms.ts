import { reactive } from 'vue'
import { ElMessage } from 'element-plus'
import { ApiError, errorMessage } from '@/api/http'

/**
 * The toast for a failed submission: the fields' own Chinese messages, never their keys (the
 * server's summary of several fields reads "credit_code: …；name: …").
 */
export function fieldsMessage(e: unknown): string {
  if (!(e instanceof ApiError) || !e.fields.length) return errorMessage(e)
  const msgs = [...new Set(e.fields.map((f) => f.message).filter(Boolean))]
  if (!msgs.length) return errorMessage(e)
  return msgs.length === 1 ? msgs[0] : `提交的数据有${msgs.length}处错误：${msgs.join('；')}`
}

/**
 * Server-side validation messages keyed by field, for `<el-form-item :error="serverErr.x">`.
 * `run` clears them, runs the call, and on failure puts each `fields[].message` beside its
 * field and shows the overall message as a toast. Returns the result, or undefined on failure.
 */
export function useServerErrors(alias: Record<string, string> = {}) {
  const serverErr = reactive<Record<string, string | undefined>>({})
  function clear() {
    for (const k of Object.keys(serverErr)) delete serverErr[k]
  }
  async function run<T>(fn: () => Promise<T>): Promise<T | undefined> {
    clear()
    try {
      const r = await fn()
      return r === undefined ? (true as T) : r
    } catch (e) {
      if (e instanceof ApiError) {
        for (const f of e.fields) {
          const key = alias[f.field] ?? f.field.split('.').pop() ?? f.field
          serverErr[key] = serverErr[key] ? `${serverErr[key]}；${f.message}` : f.message
          if (key !== f.field) serverErr[f.field] = serverErr[key]
        }
      }
      if (!(e instanceof ApiError && e.status === 401)) ElMessage.error({ message: fieldsMessage(e), grouping: true })
      return undefined
    }
  }
  return { serverErr, run, clear }
}
