// v-hasPermi="'org:add'" or v-hasPermi="['org:add', 'org:write']" (RuoYi): the element is
// removed when the account holds none of the listed permissions. The server still refuses;
// this only keeps officer buttons away from accounts that cannot use them.
import type { Directive } from 'vue'
import { useAuth } from '@/stores/auth'

export type PermValue = string | string[]

export const hasPermi: Directive<HTMLElement, PermValue> = {
  mounted(el, binding) {
    const want = Array.isArray(binding.value) ? binding.value : [binding.value]
    if (!want.length || want.some((p) => typeof p !== 'string' || !p)) throw new Error('v-hasPermi 需要权限标识，如 v-hasPermi="[\'org:add\']"')
    if (!useAuth().can(want)) el.parentNode?.removeChild(el)
  },
}

declare module 'vue' {
  interface GlobalDirectives {
    vHasPermi: typeof hasPermi
  }
}
