// 科技计划项目: the vocabularies and the state machine (mirroring crates/domain/src/project.rs),
// and the small pure computations the project pages share (money in fen, call dates).
import type { AppAction, Application, BudgetLine, Call, Criterion, Disbursement, MilestoneCheck, ReviewResultRow, RoundInput } from '@/api/types'
import type { Dict } from './dict'

export const MODES: Dict = [
  { value: 'open_competition', label: '公开竞争' },
  { value: 'directed', label: '定向委托' },
  { value: 'challenge', label: '揭榜挂帅' },
  { value: 'horse_race', label: '赛马' },
  { value: 'rolling', label: '滚动支持' },
]

export const APP_STATUS: Dict = [
  { value: 'draft', label: '草稿' },
  { value: 'submitted', label: '已提交' },
  { value: 'formal_check', label: '形式审查' },
  { value: 'returned', label: '退回修改' },
  { value: 'expert_review', label: '专家评审' },
  { value: 'panel', label: '会审决策' },
  { value: 'approved', label: '已立项' },
  { value: 'rejected', label: '未立项' },
  { value: 'contracted', label: '已签任务书' },
  { value: 'in_progress', label: '执行中' },
  { value: 'mid_term', label: '中期检查' },
  { value: 'acceptance', label: '验收中' },
  { value: 'closed', label: '已结题' },
  { value: 'withdrawn', label: '已撤回' },
  { value: 'terminated', label: '已终止' },
]

export type Actor = 'applicant' | 'officer'

export interface Transition {
  from: string
  action: string
  to: string
  actor: Actor
  label: string
  needs_reason: boolean
}

const t = (from: string, action: string, to: string, actor: Actor, label: string, needs_reason: boolean): Transition => ({
  from, action, to, actor, label, needs_reason,
})

/** The state machine, as in TRANSITIONS of crates/domain/src/project.rs. */
export const TRANSITIONS: Transition[] = [
  t('draft', 'submit', 'submitted', 'applicant', '提交申报（一次报送）', false),
  t('returned', 'submit', 'submitted', 'applicant', '修改后重新提交', false),
  t('draft', 'withdraw', 'withdrawn', 'applicant', '撤回', true),
  t('submitted', 'withdraw', 'withdrawn', 'applicant', '撤回', true),
  t('returned', 'withdraw', 'withdrawn', 'applicant', '撤回', true),
  t('submitted', 'start_formal_check', 'formal_check', 'officer', '开始形式审查', false),
  t('formal_check', 'return', 'returned', 'officer', '退回修改', true),
  t('formal_check', 'pass_formal_check', 'expert_review', 'officer', '形式审查通过，进入专家评审', false),
  t('formal_check', 'reject', 'rejected', 'officer', '形式审查不通过', true),
  t('expert_review', 'to_panel', 'panel', 'officer', '提交会审', false),
  t('panel', 'approve', 'approved', 'officer', '批准立项', false),
  t('panel', 'reject', 'rejected', 'officer', '不予立项', true),
  t('approved', 'sign_contract', 'contracted', 'officer', '签订任务书', false),
  t('contracted', 'start', 'in_progress', 'officer', '启动实施', false),
  t('in_progress', 'mid_term', 'mid_term', 'officer', '开展中期检查', false),
  t('mid_term', 'continue', 'in_progress', 'officer', '中期检查通过，继续实施', false),
  t('in_progress', 'request_acceptance', 'acceptance', 'applicant', '申请验收', false),
  t('acceptance', 'close', 'closed', 'officer', '验收通过，结题', false),
  t('acceptance', 'return_acceptance', 'in_progress', 'officer', '验收不通过，限期整改', true),
  t('contracted', 'terminate', 'terminated', 'officer', '终止项目', true),
  t('in_progress', 'terminate', 'terminated', 'officer', '终止项目', true),
  t('mid_term', 'terminate', 'terminated', 'officer', '终止项目', true),
  t('mid_term', 'eliminate', 'terminated', 'officer', '赛马阶段评价淘汰', true),
]

/** Panel decisions (approve/reject at 会审决策) are made on the panel page for the whole call. */
const PANEL_MOVES = ['approve', 'reject']

/**
 * The buttons of an application's page: exactly the moves the server lists for the caller, less
 * the panel decisions (those go through 会审决策).
 */
export function detailActions(a: Pick<Application, 'status' | 'actions'>): AppAction[] {
  return (a.actions ?? []).filter((x) => !(a.status === 'panel' && PANEL_MOVES.includes(x.action)))
}

/** A move 批量办理 offers on many selected applications, under its heading in the menu. */
export interface BatchAction extends AppAction {
  group: string
}

/** 批量办理: the officer moves handled by the dozen (the server takes any officer move, all or nothing). */
export const BATCH_ACTIONS: BatchAction[] = [
  { group: '批量形式审查', action: 'start_formal_check', label: '开始形式审查', needs_reason: false },
  { group: '批量形式审查', action: 'pass_formal_check', label: '通过形式审查', needs_reason: false },
  { group: '批量形式审查', action: 'return', label: '退回修改', needs_reason: true },
  { group: '专家评审', action: 'to_panel', label: '提交会审', needs_reason: false },
]

/** BATCH_ACTIONS by heading, in menu order. */
export function batchGroups(actions: BatchAction[] = BATCH_ACTIONS): { group: string; actions: BatchAction[] }[] {
  const out: { group: string; actions: BatchAction[] }[] = []
  for (const x of actions) {
    const g = out.find((o) => o.group === x.group)
    if (g) g.actions.push(x)
    else out.push({ group: x.group, actions: [x] })
  }
  return out
}

/** Whether every selected application lists `action` (the server still decides, all or nothing). */
export function batchAllowed(rows: Pick<Application, 'actions'>[], action: string): boolean {
  return rows.length > 0 && rows.every((r) => (r.actions ?? []).some((x) => x.action === action))
}

/** The Chinese name of an action (the first transition that has it). */
export function actionLabel(action: string, from?: string): string {
  const hit = TRANSITIONS.find((x) => x.action === action && (from === undefined || x.from === from))
    ?? TRANSITIONS.find((x) => x.action === action)
  return hit?.label ?? action
}

/**
 * A refused move as an alert: the server's message in the title, and the problems as a list only
 * when the list adds something (one problem is the message itself; several read better one a line).
 */
export function refusal(label: string, message: string, problems: string[]): { title: string; lines: string[] } {
  const lines = [...new Set(problems.map((x) => x.trim()).filter(Boolean))]
  if (lines.length > 1) return { title: `${label}未成功，有${lines.length}处问题：`, lines }
  return { title: `${label}未成功：${message}`, lines: lines.filter((l) => !message.includes(l)) }
}

/** Who acts, from the permissions: project:manage is the officer, project:apply the applicant. */
export function actorOf(can: (p: string) => boolean): Actor | null {
  if (can('project:manage')) return 'officer'
  if (can('project:apply')) return 'applicant'
  return null
}

/** Yuan decimal text (≤ 2 places) → fen; null when not a valid non-negative amount. */
export function toFen(s: string | null | undefined): number | null {
  const v = String(s ?? '').trim().replace(/,/g, '')
  const m = /^(\d+)(?:\.(\d{1,2}))?$/.exec(v)
  if (!m) return null
  return Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'))
}

/** Fen → yuan decimal text without trailing zeros ("1234.5", "100"). */
export function fromFen(fen: number): string {
  const neg = fen < 0
  const a = Math.abs(Math.round(fen))
  const y = Math.floor(a / 100)
  const f = a % 100
  const s = f === 0 ? String(y) : `${y}.${String(f).padStart(2, '0').replace(/0$/, '')}`
  return neg ? `-${s}` : s
}

/** 元 with thousands separators and two decimals: "1,234,567.50". */
export function formatYuan(s: string | number | null | undefined): string {
  if (s === null || s === undefined || s === '') return '—'
  const fen = typeof s === 'number' ? Math.round(s * 100) : toFen(s)
  if (fen === null) return String(s)
  const y = Math.floor(fen / 100).toLocaleString('en-US')
  return `${y}.${String(fen % 100).padStart(2, '0')}`
}

/** 万元 with its unit, for running text ("总预算 1,600万元"); tables use format.ts's formatWan under a 万元 header. */
export function wanText(s: string | null | undefined): string {
  const fen = toFen(s)
  if (fen === null) return s || '—'
  return `${(fen / 1_000_000).toLocaleString('en-US', { maximumFractionDigits: 2 })}万元`
}

/** The total of budget lines in fen; `invalid` counts the lines whose amount is not a number. */
export function budgetTotal(lines: BudgetLine[]): { fen: number; invalid: number } {
  let fen = 0
  let invalid = 0
  for (const l of lines) {
    const v = toFen(l.amount)
    if (v === null) invalid++
    else fen += v
  }
  return { fen, invalid }
}

export type CallState = 'open' | 'upcoming' | 'closed'
export const CALL_STATE: Dict = [
  { value: 'open', label: '申报中' },
  { value: 'upcoming', label: '未开始' },
  { value: 'closed', label: '已截止' },
]

/** A call's publication status (申报 sees only published calls). */
export const CALL_STATUS: Dict = [
  { value: 'draft', label: '草稿' },
  { value: 'published', label: '已发布' },
  { value: 'withdrawn', label: '已撤回' },
]

export function callStatusTag(s: string): 'info' | 'success' | 'danger' {
  return ({ draft: 'info', published: 'success', withdrawn: 'danger' } as const)[s as 'draft'] ?? 'info'
}

/** How an extra item of a call is answered. */
export const FORM_KINDS: Dict = [
  { value: 'text', label: '单行文本' },
  { value: 'textarea', label: '多行文本' },
  { value: 'number', label: '数字' },
]

/** 项目管理's tabs: where an officer finds every application by its stage. */
export interface Stage {
  key: string
  label: string
  statuses: string[]
  /** a tab shown only when it holds something (drafts are the applicant's own) */
  optional?: boolean
}

export const STAGES: Stage[] = [
  { key: 'all', label: '全部', statuses: [] },
  { key: 'draft', label: '草稿', statuses: ['draft'], optional: true },
  { key: 'submitted', label: '待形式审查', statuses: ['submitted'] },
  { key: 'formal_check', label: '形式审查', statuses: ['formal_check'] },
  { key: 'expert_review', label: '专家评审', statuses: ['expert_review'] },
  { key: 'panel', label: '会审决策', statuses: ['panel'] },
  { key: 'active', label: '已立项/执行中', statuses: ['approved', 'contracted', 'in_progress', 'mid_term', 'acceptance'] },
  { key: 'closed', label: '已结题', statuses: ['closed'] },
  { key: 'ended', label: '未立项/退回/撤回', statuses: ['rejected', 'returned', 'withdrawn', 'terminated'] },
]

/** Whether an application in `status` belongs on the tab `stage`. */
export function inStage(stage: Stage, status: string): boolean {
  return !stage.statuses.length || stage.statuses.includes(status)
}

/** The number of applications on each tab, from the server's counts by status. */
export function stageCountsOf(byStatus: Record<string, number>): Record<string, number> {
  const sum = (statuses: string[]) => Object.entries(byStatus).reduce((n, [st, k]) => n + (!statuses.length || statuses.includes(st) ? k : 0), 0)
  return Object.fromEntries(STAGES.map((s) => [s.key, sum(s.statuses)]))
}

/** The tab a link's `?status=` opens (e.g. the home page's 待形式审查 → `submitted`). */
export function stageOfStatus(status: string | null | undefined): string {
  return STAGES.find((s) => s.statuses.length && status && s.statuses.includes(status))?.key ?? 'all'
}

/** 任务书-<title>.docx, with the characters a file name cannot hold replaced. */
export function taskBookName(title: string): string {
  return `任务书-${title.replace(/[\\/:*?"<>|]+/g, '_')}.docx`
}

/** Today in Asia/Shanghai as YYYY-MM-DD. */
export function todayCn(now: number = Date.now()): string {
  return new Date(now + 8 * 3600 * 1000).toISOString().slice(0, 10)
}

/** Whether the call takes applications on `today` (both ends inclusive, as the server checks). */
export function callState(c: Pick<Call, 'opens_on' | 'closes_on'>, today: string = todayCn()): CallState {
  if (today < c.opens_on) return 'upcoming'
  if (today > c.closes_on) return 'closed'
  return 'open'
}

/** Panel: the amounts approved in the decisions, against what remains of the budget. */
export function panelTotals(
  budget: string,
  alreadyGranted: number,
  rows: { approve: boolean; amount: string }[],
): { fen: number; budgetFen: number; remainingFen: number; over: boolean; invalid: number } {
  const budgetFen = toFen(budget) ?? 0
  let fen = 0
  let invalid = 0
  for (const r of rows) {
    if (!r.approve) continue
    const v = toFen(r.amount)
    if (v === null || v === 0) invalid++
    else fen += v
  }
  const remainingFen = budgetFen - alreadyGranted - fen
  return { fen, budgetFen, remainingFen, over: remainingFen < 0, invalid }
}

/** The review results of a call by application. */
export function resultsByApp(rows: ReviewResultRow[]): Map<number, ReviewResultRow> {
  return new Map(rows.map((r) => [r.application_id, r]))
}

/** 会审决策's order: by 专家评审 rank (within each round), the unscored last, then by title. */
export function panelOrder<T extends { app: Pick<Application, 'id' | 'title'> }>(rows: T[], results: Map<number, ReviewResultRow>): T[] {
  const key = (r: T) => {
    const x = results.get(r.app.id)
    return [x?.rank ?? Number.POSITIVE_INFINITY, x?.round_id ?? Number.POSITIVE_INFINITY] as const
  }
  return [...rows].sort((a, b) => {
    const [ra, ga] = key(a)
    const [rb, gb] = key(b)
    return ra - rb || ga - gb || a.app.title.localeCompare(b.app.title, 'zh-CN')
  })
}

/** 均分 with one decimal, '—' until scored. */
export function meanText(v: number | null | undefined): string {
  return typeof v === 'number' && Number.isFinite(v) ? v.toFixed(1) : '—'
}

export function statusTag(s: string): 'success' | 'warning' | 'info' | 'danger' | 'primary' {
  switch (s) {
    case 'approved':
    case 'contracted':
    case 'in_progress':
    case 'closed':
    case 'open':
      return 'success'
    case 'returned':
    case 'mid_term':
    case 'acceptance':
    case 'panel':
    case 'upcoming':
      return 'warning'
    case 'rejected':
    case 'terminated':
      return 'danger'
    case 'draft':
    case 'withdrawn':
    case 'closed_call':
      return 'info'
    default:
      return 'primary'
  }
}

export function modeTag(m: string): 'success' | 'warning' | 'info' | 'danger' | 'primary' {
  return ({ open_competition: 'primary', directed: 'info', challenge: 'danger', horse_race: 'warning', rolling: 'success' } as const)[m as 'directed'] ?? 'info'
}

export const PLEDGE_TEXT =
  '本单位及项目负责人、项目组成员郑重承诺：申报材料真实、准确、完整，不存在抄袭、剽窃、伪造、篡改等科研不端行为；' +
  '不重复申报、不一题多报；项目实施中严格遵守科研伦理和科研诚信规范，规范使用财政科研经费。' +
  '如有违反，自愿接受取消申报资格、追回经费、记入科研诚信记录等处理。'

// ---- 项目执行: 里程碑考核, 经费拨付, 任务书, 绩效评价 ----

/** 绩效评价 (rate_project in crates/store/src/projects.rs). */
export const RATINGS: Dict = [
  { value: 'excellent', label: '优秀' },
  { value: 'good', label: '良好' },
  { value: 'pass', label: '合格' },
  { value: 'fail', label: '不合格' },
]

export function ratingTag(r: string | null | undefined): 'success' | 'primary' | 'warning' | 'danger' | 'info' {
  return ({ excellent: 'success', good: 'primary', pass: 'warning', fail: 'danger' } as const)[r as 'good'] ?? 'info'
}

/** Statuses with a 任务书 (the server's task_book): approved and later, not refused or ended early. */
export const TASK_BOOK_STATUSES = ['approved', 'contracted', 'in_progress', 'mid_term', 'acceptance', 'closed']

/** 企业出题 status. */
export const DEMAND_STATUS: Dict = [
  { value: 'open', label: '待转化' },
  { value: 'adopted', label: '已转为榜单' },
  { value: 'closed', label: '已关闭' },
]

/** The milestones (0-based indices) with at least one passed check: disbursements may follow them. */
export function passedMilestones(checks: MilestoneCheck[]): number[] {
  return [...new Set(checks.filter((c) => c.passed).map((c) => c.milestone))].sort((a, b) => a - b)
}

/** The latest check of each milestone (by time, the later of equal times last in the list). */
export function latestChecks(checks: MilestoneCheck[]): Map<number, MilestoneCheck> {
  const out = new Map<number, MilestoneCheck>()
  for (const c of checks) {
    const prev = out.get(c.milestone)
    if (!prev || (c.at ?? 0) >= (prev.at ?? 0)) out.set(c.milestone, c)
  }
  return out
}

/** Granted, paid and remaining funds in fen (an amount that is not a number counts as 0). */
export function grantTotals(granted: string | null | undefined, paid: Disbursement[]): { grantedFen: number; paidFen: number; remainingFen: number } {
  const grantedFen = toFen(granted) ?? 0
  const paidFen = paid.reduce((s, d) => s + (toFen(d.amount) ?? 0), 0)
  return { grantedFen, paidFen, remainingFen: grantedFen - paidFen }
}

/** What is wrong with a disbursement amount (元 text) against the remaining grant, or '' when fine. */
export function disbursementProblem(amount: string, remainingFen: number): string {
  const fen = toFen(amount)
  if (fen === null) return '请填写拨付金额（元，最多两位小数）'
  if (fen <= 0) return '拨付金额应大于0'
  if (fen > remainingFen) return `超出剩余可拨付经费 ${formatYuan(remainingFen / 100)} 元`
  return ''
}

/** “第1个里程碑：中试装置建成” for index 0. */
export function milestoneName(i: number | null | undefined, milestones: { title: string }[]): string {
  if (i === null || i === undefined) return '不对应里程碑'
  const m = milestones[i]
  return m ? `第${i + 1}个里程碑：${m.title}` : `第${i + 1}个里程碑`
}

/** The default score form of a round organized from a call (专家评审 or 验收评审). */
export function defaultRoundForm(stage: 'review' | 'acceptance'): Criterion[] {
  return stage === 'review'
    ? [
        { key: 'innovation', label: '技术创新性', max: 30, guide: '核心技术的先进性和自主知识产权。26–30分：国内领先，有发明专利支撑；18–25分：省内先进；18分以下：创新点不明确' },
        { key: 'feasibility', label: '技术路线可行性', max: 25, guide: '技术路线、研究方法和进度安排是否合理可行，里程碑指标是否可考核。21–25分：路线清晰、指标可测；15–20分：基本可行；15分以下：路线不清' },
        { key: 'team', label: '团队与条件保障', max: 20, guide: '负责人和团队的研究基础、依托平台、配套资金和设备条件。17–20分：基础扎实、条件完备；12–16分：基本具备；12分以下：条件不足' },
        { key: 'benefit', label: '预期经济社会效益', max: 25, guide: '新增产值、节能减排、带动就业等效益是否明确、测算是否有依据。21–25分：效益显著且有测算；15–20分：效益较好；15分以下：效益不明确' },
      ]
    : [
        { key: 'targets', label: '任务目标完成情况', max: 40, guide: '任务书约定的考核指标和里程碑是否完成，有无第三方检测或用户证明。34–40分：全部完成且有佐证；24–33分：主要指标完成；24分以下：主要指标未完成' },
        { key: 'outcomes', label: '成果水平与应用', max: 25, guide: '专利、标准、新产品等成果的水平和转化应用情况。21–25分：成果突出并已应用；15–20分：成果较好；15分以下：成果不明显' },
        { key: 'funds', label: '经费使用规范性', max: 20, guide: '经费是否按预算和有关规定使用，财务验收或审计意见。17–20分：使用规范、账目清晰；12–16分：基本规范；12分以下：存在违规使用' },
        { key: 'management', label: '组织管理与档案', max: 15, guide: '项目组织实施、进度管理和技术档案是否完整规范。13–15分：管理规范、档案齐全；9–12分：基本规范；9分以下：档案缺失' },
      ]
}

/** The round a call's 组织专家评审 / 组织验收评审 creates, with the officer's choices. */
export function roundForCall(
  call: Pick<Call, 'title'>,
  stage: 'review' | 'acceptance',
  o: { title?: string; reviewers_per_item: number; max_load: number; due_on?: string | null; exclude_same_county?: boolean },
): RoundInput {
  return {
    title: (o.title ?? '').trim() || `${call.title}${stage === 'review' ? '专家评审' : '验收评审'}`,
    object_kind: stage === 'review' ? 'application' : 'acceptance',
    reviewers_per_item: o.reviewers_per_item,
    max_load: o.max_load,
    exclude_same_county: o.exclude_same_county ?? false,
    due_on: o.due_on || null,
    form: defaultRoundForm(stage),
  }
}

/**
 * What 组织专家评审 / 组织验收评审 will take: the call's applications at the stage, less those already
 * in a round of that kind. `inRounds` is null when that is not known (验收评审, or results not readable).
 */
export function roundIntake(atStage: Pick<Application, 'id'>[], inRounds: Pick<ReviewResultRow, 'application_id'>[] | null): { atStage: number; taken: number | null; intake: number | null } {
  if (!inRounds) return { atStage: atStage.length, taken: null, intake: null }
  const inRound = new Set(inRounds.map((r) => r.application_id))
  const taken = atStage.filter((a) => inRound.has(a.id)).length
  return { atStage: atStage.length, taken, intake: atStage.length - taken }
}
