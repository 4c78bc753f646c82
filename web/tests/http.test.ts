import { afterEach, describe, expect, it, vi } from 'vitest'
import { ApiError, api, errorMessage, send, setAuthHandlers, setCsrf } from '@/api/http'

function reply(status: number, body: unknown, type = 'application/json') {
  return new Response(typeof body === 'string' ? body : JSON.stringify(body), { status, headers: { 'Content-Type': type } })
}

afterEach(() => vi.unstubAllGlobals())

describe('api client', () => {
  it('sends the CSRF token on state-changing requests only', async () => {
    const calls: RequestInit[] = []
    vi.stubGlobal('fetch', vi.fn(async (_u: string, init: RequestInit) => {
      calls.push(init)
      return reply(200, { ok: true })
    }))
    setCsrf('tok123')
    await api.get('/organizations')
    await api.post('/organizations', { name: 'x' })
    expect((calls[0].headers as Record<string, string>)['X-CSRF-Token']).toBeUndefined()
    expect((calls[1].headers as Record<string, string>)['X-CSRF-Token']).toBe('tok123')
    expect(calls[1].body).toBe('{"name":"x"}')
  })

  it('turns the server error body into an ApiError with field messages', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => reply(422, { code: 'invalid', message: '数据校验未通过', fields: [{ field: 'credit_code', code: 'credit_code.check_char', message: '统一社会信用代码校验位错误' }] })))
    const e = (await api.post('/organizations', {}).catch((x: unknown) => x)) as ApiError
    expect(e).toBeInstanceOf(ApiError)
    expect(e.status).toBe(422)
    expect(e.field('credit_code')).toBe('统一社会信用代码校验位错误')
    expect(errorMessage(e)).toBe('数据校验未通过')
  })

  it('never surfaces raw HTML or JSON: a non-JSON 502 becomes a Chinese message', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => reply(502, '<html>Bad Gateway</html>', 'text/html')))
    const e = (await api.get('/stats/overview').catch((x: unknown) => x)) as ApiError
    expect(e.message).toBe('服务暂不可用')
  })

  it('calls the 401 handler (session expired) and the must-change-password handler', async () => {
    const seen: string[] = []
    setAuthHandlers((e) => seen.push(`401:${e.message}`), (e) => seen.push(`403:${e.code}`))
    vi.stubGlobal('fetch', vi.fn(async () => reply(401, { code: 'auth.required', message: '请先登录' })))
    await api.get('/organizations').catch(() => {})
    vi.stubGlobal('fetch', vi.fn(async () => reply(403, { code: 'auth.must_change_password', message: '请先修改密码' })))
    await api.get('/organizations').catch(() => {})
    expect(seen).toEqual(['401:请先登录', '403:auth.must_change_password'])
  })

  it('lets an import report through on 422 when asked', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => reply(422, { ok: false, dry_run: true, rows: 2, inserted: 0, updated: 0, problems: [{ row: 3, column: '统一社会信用代码', field: 'credit_code', code: 'x', message: '错误' }] })))
    const res = await send('/organizations/import', { method: 'POST', form: new FormData() }, [422])
    expect(res.status).toBe(422)
    expect((await res.json()).problems[0].row).toBe(3)
  })

  it('reports a network failure in Chinese', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => {
      throw new TypeError('Failed to fetch')
    }))
    const e = (await api.get('/organizations').catch((x: unknown) => x)) as ApiError
    expect(e.message).toBe('无法连接服务器，请检查网络后重试')
  })
})
