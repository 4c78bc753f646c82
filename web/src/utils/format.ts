/** `YYYY-MM-DD HH:mm:ss` in Asia/Shanghai (UTC+8) for epoch milliseconds. */
export function formatTime(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return ''
  const d = new Date(ms + 8 * 3600 * 1000)
  const p = (n: number) => String(n).padStart(2, '0')
  return `${d.getUTCFullYear()}-${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}`
}

/** Save a Blob under a file name (exports). */
export function saveBlob(blob: Blob, name: string) {
  const url = URL.createObjectURL(blob)
  const a = document.createElement('a')
  a.href = url
  a.download = name
  document.body.appendChild(a)
  a.click()
  a.remove()
  setTimeout(() => URL.revokeObjectURL(url), 1000)
}

const CC_CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY'

/** The GB 32100-2015 check character of the first 17 characters, or null if not computable. */
export function creditCheckChar(first17: string): string | null {
  if (first17.length !== 17) return null
  let sum = 0
  let w = 1
  for (let i = 0; i < 17; i++) {
    const v = CC_CHARS.indexOf(first17[i])
    if (v < 0) return null
    sum += v * w
    w = (w * 3) % 31
  }
  return CC_CHARS[(31 - (sum % 31)) % 31]
}

/** Fields that differ between two JSON documents (audit before/after), sorted by key. */
export interface DiffRow {
  key: string
  before: string
  after: string
  changed: boolean
}

function parseJson(s: string | null | undefined): Record<string, unknown> {
  if (!s) return {}
  try {
    const v = JSON.parse(s)
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : { 值: v }
  } catch {
    return { 原文: s }
  }
}

function show(v: unknown): string {
  if (v === undefined) return ''
  if (v === null) return '—'
  return typeof v === 'string' ? v : JSON.stringify(v)
}

function flatten(o: Record<string, unknown>, prefix = '', out: Record<string, unknown> = {}) {
  for (const [k, v] of Object.entries(o)) {
    const key = prefix ? `${prefix}.${k}` : k
    if (v && typeof v === 'object' && !Array.isArray(v)) flatten(v as Record<string, unknown>, key, out)
    else out[key] = v
  }
  return out
}

export function diffJson(before: string | null | undefined, after: string | null | undefined): DiffRow[] {
  const b = flatten(parseJson(before))
  const a = flatten(parseJson(after))
  const keys = [...new Set([...Object.keys(b), ...Object.keys(a)])].sort()
  return keys.map((key) => {
    const bv = show(b[key])
    const av = show(a[key])
    return { key, before: bv, after: av, changed: JSON.stringify(b[key]) !== JSON.stringify(a[key]) }
  })
}
