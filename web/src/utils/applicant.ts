// The applicant's side of 科技计划项目: registry facts shown instead of asked for (预填),
// predecessors for 滚动支持, attachments.
import type { FigureSpec } from './figures'
import { FIGURES, formatFigure } from './figures'
import type { FormField, TitleHeld, TrackRecordItem } from '@/api/types'

/** Registry figures shown on the form, in this order (the rest stay in the registry). */
export const PREFILL_FIGURES = ['employees', 'tech_staff', 'revenue', 'rd_expense', 'high_tech_revenue', 'invention_patents', 'ip_class1']

/** Label and formatted value of each shown figure present in `figures`. */
export function prefillFigures(figures: Record<string, unknown> | null | undefined): { label: string; value: string }[] {
  if (!figures) return []
  return PREFILL_FIGURES.map((k) => FIGURES.find((s) => s.key === k))
    .filter((s): s is FigureSpec => !!s && figures[s.key] !== null && figures[s.key] !== undefined)
    .map((s) => ({ label: s.kind === 'amount' ? `${s.label}（元）` : s.label, value: formatFigure(s, figures[s.key]) }))
}

const PACK_NAMES: Record<string, string> = {
  'tech-sme': '科技型中小企业',
  hnte: '高新技术企业',
  'innovative-sme': '创新型中小企业',
  'zjtx-sme': '专精特新中小企业',
}

/** Titles the rules engine found the organization to hold, e.g. "高新技术企业（2025年评价）". */
export function titlesHeld(titles: TitleHeld[]): string[] {
  return titles.filter((t) => t.qualified && PACK_NAMES[t.pack]).map((t) => `${PACK_NAMES[t.pack]}（${t.year}年评价）`)
}

/**
 * Earlier projects a 滚动支持 application may follow on from: closed and rated 优秀 or 良好;
 * the others are listed disabled with the reason.
 */
export function predecessorOptions(items: TrackRecordItem[]): { id: number; label: string; disabled: boolean; reason: string }[] {
  return items
    .filter((i) => i.role === '承担单位' || i.role === '负责人')
    .map((i) => {
      const ok = i.status === 'closed' && (i.rating === 'excellent' || i.rating === 'good')
      const reason = ok
        ? `绩效评价${i.rating_label}`
        : i.status !== 'closed'
          ? `${i.status_label}，未结题`
          : `绩效评价${i.rating_label ?? '未评价'}`
      return { id: i.application_id, label: i.title, disabled: !ok, reason }
    })
    .sort((a, b) => Number(a.disabled) - Number(b.disabled))
}

/** 2411724 → "2.3 MB"; 5120 → "5.0 KB". */
export function fileSize(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / 1024 / 1024).toFixed(1)} MB`
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(1)} KB`
  return `${bytes} B`
}

/** The first and last characters of a digest, for display ("3f2a9c…e07b"). */
export function shortHash(h: string): string {
  return h.length > 16 ? `${h.slice(0, 8)}…${h.slice(-6)}` : h
}

/** A problem with a file before it is sent (the server checks again), or '' when fine. */
export function pdfProblem(f: { name: string; size: number }): string {
  if (!f.name.toLowerCase().endsWith('.pdf')) return `“${f.name}”不是PDF文件，附件须为PDF格式`
  if (f.size === 0) return '文件为空'
  if (f.size > 20 * 1024 * 1024) return `文件大小${fileSize(f.size)}，超过上限 20 MB`
  return ''
}

/**
 * The extra items of a call as sent to the server: blank rows dropped, labels trimmed, and each
 * item given a stable key (`item1`, `item2`, … in order) unless it already has one.
 */
export function formItems(rows: FormField[]): FormField[] {
  return rows
    .filter((r) => r.label.trim())
    .map((r, i) => ({ key: r.key || `item${i + 1}`, label: r.label.trim(), kind: r.kind, required: r.required }))
}

/** Answers worth sending: blank ones dropped, the rest trimmed. */
export function cleanAnswers(a: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(a).map(([k, v]) => [k, v.trim()]).filter(([, v]) => v))
}
