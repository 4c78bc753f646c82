// The one place that talks to /api/v1: JSON in and out, the CSRF header on every non-GET
// request, and errors turned into ApiError carrying the server's Chinese message.

export interface FieldProblem {
  field: string
  code: string
  message: string
}

export class ApiError extends Error {
  status: number
  code: string
  fields: FieldProblem[]
  body: unknown
  constructor(status: number, code: string, message: string, fields: FieldProblem[] = [], body: unknown = null) {
    super(message)
    this.status = status
    this.code = code
    this.fields = fields
    this.body = body
  }
  /** The server's message for one field, if any. */
  field(name: string): string | undefined {
    return this.fields.find((f) => f.field === name)?.message
  }
}

let csrfToken = ''
export function setCsrf(t: string) {
  csrfToken = t
}

type Handler = (e: ApiError) => void
let onUnauthorized: Handler = () => {}
let onMustChange: Handler = () => {}
export function setAuthHandlers(unauth: Handler, mustChange: Handler) {
  onUnauthorized = unauth
  onMustChange = mustChange
}

export type Query = Record<string, string | number | boolean | null | undefined>

export function queryString(q?: Query): string {
  if (!q) return ''
  const p = new URLSearchParams()
  for (const [k, v] of Object.entries(q)) {
    if (v === undefined || v === null || v === '') continue
    p.set(k, String(v))
  }
  const s = p.toString()
  return s ? `?${s}` : ''
}

const STATUS_TEXT: Record<number, string> = {
  400: '请求参数错误',
  401: '登录状态已过期，请重新登录',
  403: '没有权限执行此操作',
  404: '请求的数据不存在或无权访问',
  409: '数据冲突，请刷新后重试',
  413: '上传的文件过大',
  422: '数据校验未通过',
  423: '账号已锁定',
  429: '请求过于频繁，请稍后再试',
  500: '服务器内部错误',
  502: '服务暂不可用',
  503: '服务暂不可用',
}

/** Turn any response into an ApiError: the server's {code,message,fields} when present. */
export async function toApiError(res: Response): Promise<ApiError> {
  let body: unknown = null
  try {
    body = await res.json()
  } catch {
    body = null
  }
  const b = (body ?? {}) as { code?: unknown; message?: unknown; fields?: unknown }
  const message =
    typeof b.message === 'string' && b.message ? b.message : STATUS_TEXT[res.status] ?? `请求失败（${res.status}）`
  const code = typeof b.code === 'string' ? b.code : `http.${res.status}`
  const fields = Array.isArray(b.fields) ? (b.fields as FieldProblem[]) : []
  return new ApiError(res.status, code, message, fields, body)
}

export interface RequestOptions {
  method?: string
  query?: Query
  body?: unknown
  form?: FormData
  /** Do not run the global 401/403 handlers (login, /auth/me probing). */
  quiet?: boolean
}

export async function request<T>(path: string, opts: RequestOptions = {}): Promise<T> {
  const res = await send(path, opts)
  if (res.status === 204) return undefined as T
  return (await res.json()) as T
}

/** Like request, but hands back the raw successful Response (downloads, 422 import reports). */
export async function send(path: string, opts: RequestOptions = {}, accept: number[] = []): Promise<Response> {
  const method = opts.method ?? 'GET'
  const headers: Record<string, string> = { Accept: 'application/json' }
  if (method !== 'GET') headers['X-CSRF-Token'] = csrfToken
  let body: BodyInit | undefined
  if (opts.form) body = opts.form
  else if (opts.body !== undefined) {
    headers['Content-Type'] = 'application/json'
    body = JSON.stringify(opts.body)
  }
  let res: Response
  try {
    res = await fetch(`/api/v1${path}${queryString(opts.query)}`, {
      method,
      headers,
      body,
      credentials: 'same-origin',
    })
  } catch {
    throw new ApiError(0, 'network', '无法连接服务器，请检查网络后重试')
  }
  if (res.ok || accept.includes(res.status)) return res
  const err = await toApiError(res)
  if (!opts.quiet) {
    if (err.status === 401) onUnauthorized(err)
    else if (err.status === 403 && err.code === 'auth.must_change_password') onMustChange(err)
  }
  throw err
}

export const api = {
  get: <T>(path: string, query?: Query) => request<T>(path, { query }),
  post: <T>(path: string, body?: unknown, query?: Query) => request<T>(path, { method: 'POST', body: body ?? {}, query }),
  put: <T>(path: string, body: unknown) => request<T>(path, { method: 'PUT', body }),
  del: <T>(path: string) => request<T>(path, { method: 'DELETE' }),
}

/** A user-facing message for anything thrown. */
export function errorMessage(e: unknown): string {
  if (e instanceof ApiError) return e.message
  if (e instanceof Error && e.message) return `操作失败：${e.message}`
  return '操作失败，请稍后重试'
}
