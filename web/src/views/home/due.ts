/** How a due date reads on the home page, counted in whole days from today in Asia/Shanghai. */
export interface DueNote {
  text: string
  tone: 'danger' | 'warning' | 'muted'
}

const DAY = 86400000
/** Days a deadline counts as close. */
const SOON = 7

export function dueNote(due: string | null | undefined, now: number = Date.now()): DueNote | null {
  const m = due ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(due) : null
  if (!m) return null
  const today = Math.floor((now + 8 * 3600 * 1000) / DAY)
  const days = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) / DAY - today
  if (days < 0) return { text: `逾期${-days}天`, tone: 'danger' }
  if (days === 0) return { text: '今天截止', tone: 'danger' }
  return { text: `剩${days}天`, tone: days <= SOON ? 'warning' : 'muted' }
}
