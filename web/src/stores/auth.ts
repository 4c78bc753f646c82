import { defineStore } from 'pinia'
import { ApiError, api, request, setCsrf } from '@/api/http'
import type { Me, User } from '@/api/types'

export const useAuth = defineStore('auth', {
  state: () => ({
    user: null as User | null,
    scope: '',
    mustChange: false,
    /** Set once /auth/me has been asked after a page load. */
    checked: false,
  }),
  getters: {
    loggedIn: (s) => s.user !== null,
  },
  actions: {
    can(perm?: string | string[]): boolean {
      if (!perm) return true
      const have = this.user?.permissions ?? []
      if (have.includes('*')) return true
      const want = Array.isArray(perm) ? perm : [perm]
      return want.some((p) => have.includes(p))
    },
    apply(me: Me) {
      this.user = me.user
      this.scope = me.scope
      this.mustChange = me.must_change_password
      setCsrf(me.csrf_token)
      this.checked = true
    },
    clear() {
      this.user = null
      this.scope = ''
      this.mustChange = false
      setCsrf('')
    },
    async login(username: string, password: string) {
      const me = await request<Me>('/auth/login', { method: 'POST', body: { username, password }, quiet: true })
      this.apply(me)
    },
    /** Recover the session (and its CSRF token) after a page load. */
    async restore(): Promise<boolean> {
      try {
        const me = await request<Me>('/auth/me', { quiet: true })
        this.apply(me)
        return true
      } catch (e) {
        this.checked = true
        if (e instanceof ApiError && e.status === 401) {
          this.clear()
          return false
        }
        throw e
      }
    },
    async logout() {
      try {
        await api.post('/auth/logout')
      } catch {
        // The session may already be gone; leaving is what matters.
      }
      this.clear()
    },
  },
})
