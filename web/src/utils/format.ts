// One place for how numbers, amounts, dates and times look on every page. Times are always
// China Standard Time (the bureau's clock), whatever time zone the browser is set to.
const TZ = 'Asia/Shanghai'

const parts = new Intl.DateTimeFormat('zh-CN', {
  timeZone: TZ,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
})

function clock(ms: number) {
  const p: Record<string, string> = {}
  for (const x of parts.formatToParts(new Date(ms))) p[x.type] = x.value
  return p
}

/** `YYYY-MM-DD HH:mm` (or with `:ss`) in Asia/Shanghai for epoch milliseconds; '' for none. */
export function formatTime(ms: number | null | undefined, seconds = false): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return ''
  const p = clock(ms)
  const t = `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}`
  return seconds ? `${t}:${p.second}` : t
}

/** `YYYY-MM-DD`: epoch milliseconds in Asia/Shanghai, or the date part of an ISO string; '—' for none. */
export function formatDate(v: number | string | null | undefined): string {
  if (v === null || v === undefined || v === '') return '—'
  if (typeof v === 'string') return v.slice(0, 10)
  return formatTime(v).slice(0, 10)
}

/** Today in Asia/Shanghai, `YYYY-MM-DD`. */
export function todayShanghai(): string {
  return formatTime(Date.now()).slice(0, 10)
}

function toNumber(v: unknown): number | null {
  if (v === null || v === undefined || v === '') return null
  const n = typeof v === 'number' ? v : Number(v)
  return Number.isFinite(n) ? n : null
}

const grouped = new Map<string, Intl.NumberFormat>()
function group(min: number, max: number) {
  const k = `${min}:${max}`
  let f = grouped.get(k)
  if (!f) {
    f = new Intl.NumberFormat('zh-CN', { minimumFractionDigits: min, maximumFractionDigits: max, useGrouping: true })
    grouped.set(k, f)
  }
  return f
}

/** 23821400 → "23,821,400"; up to `digits` decimals (trailing zeros dropped); '—' for none. */
export function formatNumber(v: unknown, digits = 2): string {
  const n = toNumber(v)
  return n === null ? '—' : group(0, digits).format(n)
}

/** An amount in 元 with two decimals: "23,821,400.00". */
export function formatYuan(v: unknown): string {
  const n = toNumber(v)
  return n === null ? '—' : group(2, 2).format(n)
}

/** An amount in 元 shown in 万元 (the column header carries the unit): 23821400 → "2,382.14". */
export function formatWan(v: unknown): string {
  const n = toNumber(v)
  return n === null ? '—' : group(2, 2).format(n / 10000)
}

/** "河南省/省直辖县级行政区划/济源市" → "河南省 / 济源市": the full name without the 直辖 placeholder level. */
export function regionLabel(fullName: string | null | undefined, levels = 2): string {
  if (!fullName) return '—'
  return fullName.split('/').filter((x) => !x.includes('直辖')).slice(-levels).join(' / ')
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
