// Browser test of 平台载体 (认定申报, 平台年报, 培育后备库, 孵化载体) against the real `kechuang`
// binary and a fresh 济源 demo (see harness.mjs), from the home page through the menu group 平台载体:
//
//   enterprise (qiye): the menu offers 认定申报 and 平台年报 (not the bureau's pages); 平台年报 →
//     its platform's 2025 draft → 修改 (figures and summary) → 保存 → 提交: the report reads 已提交.
//   officer (jiyuan): 平台年报 filtered to 2025 → picks the 已提交 reports → 组织绩效评价: the round
//     is created and linked; its page opens. Experts are put on the items, the round published, the
//     expert (zhuanjia) reads a report from 我的评审 (查看年报) and scores, the round is closed —
//     the review pages' own steps, taken here through the API (review.test.mjs tests them).
//   officer: 平台年报 shows the closed round waiting → 评定等级: the reports carry a grade tag, and
//     the report's drawer its grade, the pack's explanation, the consequence and the rule.
//   officer: 培育后备库 → an entry → the next level's conditions with ✓/✗ and the gaps.
//   officer: 孵化载体 → a carrier → 新增在孵企业 (a new enterprise is registered; one already
//     incubating in another carrier is refused with the server's reason in the dialog) → 毕业 of an
//     incubating enterprise with its criterion.
//   enterprise: 认定申报 → its 市级 centre applies for 省级 (待认定, no 认定 button for it).
//   officer: 认定申报 → the newest pending application decided (认定 with the approval document);
//     the platform's page shows its 认定历程, 年报与评价 (the new grade) and 升级条件 tabs.
//
// Every step fails on a page error, a console error or an unexpected error toast. Screenshots go
// to e2e/output/platforms-*.png and are copied to $KECHUANG_PLATFORM_SHOTS (default /tmp/shots-platforms).
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { copyFileSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { OUT, assertFits, base, login, menuIn, noProblems, page, problems, settled, setup, shot, toast, watchProblems } from './harness.mjs'

setup({ name: 'platforms' })
const menu = menuIn('平台载体')
const SHOTS = process.env.KECHUANG_PLATFORM_SHOTS ?? '/tmp/shots-platforms'
mkdirSync(SHOTS, { recursive: true })

const OFFICER = 'jiyuan'
const ENTERPRISE = 'qiye'
const EXPERT = 'zhuanjia'
const YEAR = 2025

async function snap(name) {
  await shot(name)
  copyFileSync(join(OUT, `platforms-${name}.png`), join(SHOTS, `${name}.png`))
}
async function apiGet(path) {
  const r = await page.request.get(`${base}/api/v1${path}`)
  assert.equal(r.status(), 200, `${path}: ${await r.text()}`)
  return r.json()
}
/** A write as the signed-in account (a step the test takes through the API, not the page under test). */
async function apiPost(path, body) {
  const me = await apiGet('/auth/me')
  const r = await page.request.post(`${base}/api/v1${path}`, { data: body, headers: { 'X-CSRF-Token': me.csrf_token } })
  assert.ok(r.ok(), `${path}: ${r.status()} ${await r.text()}`)
  return r.json()
}
const rows = (test) => page.locator(`[data-test=${test}] tbody tr.el-table__row`)
/** Pick `text` in the select `[data-test=test]` (inside `within`). */
async function choose(test, text, within = page) {
  await within.locator(`[data-test=${test}]`).first().click()
  await page.locator('.el-select-dropdown__item:visible', { hasText: text }).first().click()
}
/** An el-input's native input or textarea (its data-test lands on it) or one inside a wrapper. */
const field = (test, within = page) => within.locator(`input[data-test=${test}], textarea[data-test=${test}], [data-test=${test}] input, [data-test=${test}] textarea`).first()
async function confirmBox(title) {
  const box = page.locator('.el-message-box', { hasText: title })
  await box.waitFor()
  await box.locator('.el-message-box__btns .el-button--primary').click()
  await box.waitFor({ state: 'hidden' })
}
/** Forget what a step provoked on purpose (a refusal), after checking it was only that. */
async function forgetExpected(allowed) {
  const toasts = await page.evaluate(() => JSON.parse(sessionStorage.getItem('kc-error-toasts') ?? '[]'))
  for (const p of [...problems, ...toasts]) assert.match(p, allowed, `unexpected: ${p}`)
  problems.length = 0
  await page.evaluate(() => sessionStorage.removeItem('kc-error-toasts'))
}
/** Type a date into the date picker of the form item labelled `label`. */
async function fillDate(label, value, within = page) {
  const i = within.locator('.el-form-item').filter({ has: page.locator('.el-form-item__label', { hasText: new RegExp(`^${label}$`) }) }).locator('.el-date-editor input').first()
  await i.fill(value)
  await i.press('Enter')
}
/** `YYYY-MM-DD` `days` after today in Asia/Shanghai. */
function daysAhead(days) {
  return new Date(Date.now() + 8 * 3600e3 + days * 86400e3).toISOString().slice(0, 10)
}
const CC = '0123456789ABCDEFGHJKLMNPQRTUWXY'
/** An enterprise's 统一社会信用代码 (91 + region + 9 characters) with its GB 32100 check character. */
function creditCode(regionAndBody) {
  const first = `91${regionAndBody}`
  let sum = 0
  let w = 1
  for (const c of first) {
    sum += CC.indexOf(c) * w
    w = (w * 3) % 31
  }
  return first + CC[(31 - (sum % 31)) % 31]
}
/** The menu items of a group, as shown. */
async function groupItems(group) {
  const sub = page.locator('.aside .el-sub-menu', { has: page.locator(':scope > .el-sub-menu__title', { hasText: group }) })
  if (!(await sub.count())) return []
  if (!(await sub.evaluate((e) => e.classList.contains('is-opened')))) await sub.locator(':scope > .el-sub-menu__title').click()
  return (await sub.locator('.el-menu-item').allInnerTexts()).map((t) => t.trim())
}

/** Set in the journey: the enterprise's draft, the round, the reports evaluated. */
let draft
let roundId
let evaluated = []

describe('平台载体', () => {
  it('enterprise: 平台年报 — its 2025 draft edited and submitted', async () => {
    await watchProblems()
    await login(ENTERPRISE)
    const items = await groupItems('平台载体')
    assert.deepEqual(items, ['认定申报', '平台年报'], `enterprise menu: ${items}`)
    draft = (await apiGet(`/platform-reports?year=${YEAR}&status=draft&size=50`)).items[0]
    assert.ok(draft, 'the demo enterprise has a 2025 draft report')

    await menu('平台年报')
    await page.waitForURL(/\/platform-reports$/)
    await page.locator('[data-test=reports-table]').waitFor()
    await settled()
    const row = rows('reports-table').filter({ hasText: draft.platform_name }).filter({ hasText: '草稿' }).filter({ hasText: String(YEAR) })
    await row.first().waitFor()
    await assertFits()
    await snap('01-enterprise-reports')

    // The draft opens in its drawer with 修改 / 提交.
    await row.first().locator('[data-test=report-link]').click()
    const drawer = page.locator('[data-test=report-drawer]')
    await drawer.locator('[data-test=report-figures]').waitFor()
    assert.match(await drawer.locator('.el-drawer__title, .el-drawer__header').first().innerText(), new RegExp(`${draft.platform_name}[\\s\\S]*${YEAR}`))
    await snap('02-enterprise-draft')
    await drawer.locator('[data-test=report-edit]').click()
    const dlg = page.locator('[data-test=report-dialog]')
    await dlg.locator('[data-test=report-form]').waitFor()
    const staff = draft.staff + 3
    const patents = draft.patents + 2
    await field('rf-staff', dlg).fill(String(staff))
    await field('rf-patents', dlg).fill(String(patents))
    await field('rf-rd_spending', dlg).fill('2,680,000')
    const summary = `${draft.summary}\n2025年新增发明专利${patents}件，研发投入268万元。`
    await field('rf-summary', dlg).fill(summary)
    if (draft.carrier) await field('rf-mentors', dlg).fill('12')
    await snap('03-enterprise-edit')
    await dlg.locator('[data-test=report-save]').click()
    await toast('年报已保存')
    await dlg.waitFor({ state: 'hidden' })
    await drawer.locator('[data-test=fig-staff]', { hasText: `${staff} 人` }).waitFor()
    assert.equal(await drawer.locator('[data-test=fig-rd_spending]').innerText(), '2,680,000.00 元')
    assert.match(await drawer.locator('[data-test=report-summary]').innerText(), /研发投入268万元/)

    await drawer.locator('[data-test=report-submit]').click()
    await confirmBox('提交年报')
    await toast('年报已提交')
    await drawer.locator('[data-test=report-status]', { hasText: '已提交' }).waitFor()
    assert.equal(await drawer.locator('[data-test=report-submit]').count(), 0, 'a submitted report is not submitted again')
    await snap('04-enterprise-submitted')
    await page.keyboard.press('Escape')
    await rows('reports-table').filter({ hasText: draft.platform_name }).filter({ hasText: '已提交' }).first().waitFor()
    const saved = await apiGet(`/platform-reports?year=${YEAR}&platform_id=${draft.platform_id}`)
    const mine = saved.items.find((r) => r.id === draft.id)
    assert.equal(mine.status, 'submitted')
    assert.equal(mine.staff, staff)
    assert.equal(mine.patents, patents)
    await noProblems()
  })

  it('officer: 组织绩效评价 over the 2025 submitted reports; an expert reads and scores them', async () => {
    await login(OFFICER)
    const items = await groupItems('平台载体')
    assert.deepEqual(items, ['认定申报', '平台年报', '培育后备库', '孵化载体'], `officer menu: ${items}`)
    await menu('平台年报')
    await page.locator('[data-test=reports-table]').waitFor()
    await settled()
    await choose('reports-year', `${YEAR}年度`)
    await choose('reports-status', '已提交')
    await page.locator('[data-test=reports-search]').click()
    await settled()
    // Every submitted report on one page.
    await page.locator('.pager .el-pagination__sizes .el-select').click()
    await page.locator('.el-select-dropdown__item:visible', { hasText: '50条/页' }).click()
    await settled()
    // The enterprise's report and another one the demo expert may score (not of his own unit).
    const others = (await apiGet(`/platform-reports?year=${YEAR}&status=submitted&size=100`)).items
    const other = others.find((r) => r.id !== draft.id && !r.host_org_name.includes('河南理工大学'))
    assert.ok(other, 'another submitted 2025 report')
    const picked = [draft.platform_name, other.platform_name]
    const submitted = rows('reports-table')
    await submitted.filter({ hasText: draft.platform_name }).first().waitFor()
    assert.ok((await submitted.count()) >= 2, 'submitted 2025 reports')
    for (const name of picked) await submitted.filter({ hasText: name }).first().locator('.el-table-column--selection .el-checkbox').click()
    const n = picked.length
    await page.locator('[data-test=report-evaluate]', { hasText: `（${n}）` }).waitFor()
    await assertFits()
    await snap('05-officer-selected')
    await page.locator('[data-test=report-evaluate]').click()
    const dlg = page.locator('[data-test=evaluation-dialog]')
    await dlg.locator('[data-test=evaluation-form]').waitFor()
    assert.equal(await field('evaluation-title', dlg).inputValue(), `${YEAR}年度创新平台绩效评价`)
    await field('evaluation-title', dlg).fill(`${YEAR}年度创新平台和孵化载体绩效评价`)
    // One expert a report: the demo has a single expert account.
    await field('evaluation-reviewers', dlg).fill('1')
    await snap('06-officer-evaluation-dialog')
    await dlg.locator('[data-test=evaluation-save]').click()
    await dlg.locator('[data-test=evaluation-created]').waitFor()
    assert.match(await dlg.innerText(), new RegExp(`共 ${n} 份年报`))
    await snap('07-officer-evaluation-created')
    await dlg.locator('[data-test=evaluation-round-link]').click()
    await page.waitForURL(/\/review\/rounds\/\d+$/)
    roundId = Number(page.url().match(/(\d+)$/)[1])
    await page.locator('[data-test=round-title]', { hasText: '孵化载体绩效评价' }).waitFor()
    await settled()
    await snap('08-officer-round')
    evaluated = (await apiGet(`/platform-reports?round_id=${roundId}&size=100`)).items
    assert.equal(evaluated.length, n)
    for (const r of evaluated) assert.equal(r.status, 'reviewing')
    await noProblems()

    // The expert account put on every item by hand, the round published (through the API; the
    // demo's experts match few platforms' fields, so the automatic draw is not used here).
    const detail = await apiGet(`/review/rounds/${roundId}`)
    const wei = (await apiGet(`/experts?q=${encodeURIComponent('卫建华')}&size=50`)).items.find((e) => e.user_id && e.name === '卫建华')
    assert.ok(wei, 'the demo expert account')
    for (const item of detail.items) {
      assert.match(item.object_ref ?? '', /^platform_report:\d+$/)
      if (!detail.assignments.some((a) => a.item_id === item.id && a.expert_id === wei.id && a.status !== 'declined'))
        await apiPost(`/review/rounds/${roundId}/adjust`, { item_id: item.id, expert_id: wei.id, remove: false, reason: '平台绩效评价：加派专家' })
    }
    await apiPost(`/review/rounds/${roundId}/publish`, {})

    // The expert reads a report from 我的评审 (查看年报) and scores each one.
    await login(EXPERT)
    await page.goto(`${base}/review/my`)
    await page.locator('[data-test=my-table]').waitFor()
    await settled()
    const task = rows('my-table').filter({ hasText: draft.platform_name }).first()
    await task.waitFor()
    await task.locator('[data-test=task-read]', { hasText: '查看年报' }).click()
    const drawer = page.locator('[data-test=object-drawer]')
    await drawer.locator('[data-test=platform-report-object]').waitFor()
    assert.match(await drawer.locator('[data-test=report-summary]').innerText(), /研发投入268万元/)
    assert.equal(await drawer.locator('[data-test=report-grade]').count(), 0, 'no grade while the experts score')
    await snap('09-expert-reads-report')
    await page.keyboard.press('Escape')
    const mine = (await apiGet('/review/my')).filter((a) => a.round_id === roundId && a.status === 'assigned')
    assert.ok(mine.length >= 1, 'the expert is on the round')
    for (const [i, a] of mine.entries()) {
      // The enterprise's report scores high; another, if any, lower: two grades to show.
      const share = a.object_ref === `platform_report:${draft.id}` ? 0.93 : i % 2 ? 0.55 : 0.84
      const scores = Object.fromEntries(a.form.map((c) => [c.key, Math.round(c.max * share)]))
      await apiPost(`/review/assignments/${a.id}/scores`, { scores, comment: '年度运行数据完整，研发投入和成果产出良好。' })
    }
    await noProblems()
  })

  it('officer: 评定等级 after the closed round; the grade with its explanation', async () => {
    await login(OFFICER)
    await apiPost(`/review/rounds/${roundId}/close`, {})
    await menu('平台年报')
    await page.locator('[data-test=reports-table]').waitFor()
    await settled()
    const waiting = page.locator('[data-test=grade-round]', { hasText: '孵化载体绩效评价' })
    await waiting.waitFor()
    assert.match(await waiting.innerText(), new RegExp(`${evaluated.length} 份年报待评定等级`))
    await snap('10-officer-grade-waiting')
    await waiting.locator('[data-test=grade-run]').click()
    await confirmBox('评定等级')
    await toast(`已评定 ${evaluated.length} 份年报`)
    await waiting.waitFor({ state: 'detached' })
    await choose('reports-year', `${YEAR}年度`)
    await choose('reports-status', '已定级')
    await page.locator('[data-test=reports-search]').click()
    await settled()
    const row = rows('reports-table').filter({ hasText: draft.platform_name }).first()
    await row.waitFor()
    const tag = await row.locator('[data-test=report-row-grade]').innerText()
    assert.match(tag, /^(优秀|良好|合格|不合格)$/)
    await assertFits()
    await snap('11-officer-graded')
    await row.locator('[data-test=report-link]').click()
    const drawer = page.locator('[data-test=report-drawer]')
    await drawer.locator('[data-test=report-evaluation]').waitFor()
    assert.equal(await drawer.locator('[data-test=report-grade]').innerText(), tag)
    assert.match(await drawer.locator('[data-test=report-score]').innerText(), /^\d+(\.\d+)?$/)
    const why = await drawer.locator('[data-test=report-explanation]').innerText()
    assert.ok(why.trim().length > 0, 'the pack explains the grade')
    assert.match(await drawer.locator('[data-test=report-rule]').innerText(), /platform-evaluation/)
    await snap('12-officer-grade-explained')
    await page.keyboard.press('Escape')
    const graded = await apiGet(`/platform-reports?round_id=${roundId}&size=100`)
    for (const r of graded.items) assert.equal(r.status, 'graded', `${r.platform_name}: ${r.status}`)
    await noProblems()
  })

  it('officer: 培育后备库 — an entry\'s conditions with ✓/✗ and its gaps', async () => {
    await menu('培育后备库')
    await page.waitForURL(/\/platform-pool$/)
    await page.locator('[data-test=pool-table]').waitFor()
    await settled()
    const entries = (await apiGet('/platform-pool?status=in&size=50')).items
    assert.ok(entries.length, 'the demo has platforms in the reserve pool')
    const lacking = entries.find((e) => e.lacking) ?? entries[0]
    const row = rows('pool-table').filter({ hasText: lacking.platform_name }).first()
    await row.waitFor()
    assert.match(await row.locator('[data-test=pool-met]').innerText(), new RegExp(`${lacking.met}/${lacking.total}`))
    await assertFits()
    await snap('13-officer-pool')
    await row.locator('[data-test=pool-detail]').click()
    const drawer = page.locator('[data-test=pool-drawer]')
    await drawer.locator('[data-test=upgrade-conditions]').waitFor()
    await drawer.locator('[data-test=condition-mark]').first().waitFor()
    const marks = await drawer.locator('[data-test=condition-mark]').allInnerTexts()
    assert.ok(marks.length >= 2, `conditions: ${marks}`)
    for (const m of marks) assert.match(m, /^[✓✗?]$/)
    if (lacking.met < lacking.total) {
      assert.ok(marks.some((m) => m !== '✓'), 'a condition not met')
      const gaps = drawer.locator('[data-test=upgrade-gaps] li')
      assert.ok((await gaps.count()) >= 1, 'the gaps are listed')
      assert.ok((await gaps.first().innerText()).trim().length > 0)
    }
    assert.ok((await drawer.locator('[data-test=condition-text]').first().innerText()).trim().length > 0, 'each condition has its sentence')
    await snap('14-officer-pool-conditions')
    await page.keyboard.press('Escape')
    await noProblems()
  })

  it('officer: 孵化载体 — 新增在孵企业, a refusal for one incubating elsewhere, 毕业', async () => {
    const incubating = (await apiGet('/incubatees?status=incubating&size=100')).items
    const carriers = (await apiGet('/carriers?size=100')).items
    assert.ok(carriers.length >= 2 && incubating.length >= 2, `carriers ${carriers.length}, incubating ${incubating.length}`)
    // The carrier with most incubating enterprises; an enterprise incubating in another one.
    const byCarrier = new Map()
    for (const i of incubating) byCarrier.set(i.carrier_id, (byCarrier.get(i.carrier_id) ?? 0) + 1)
    const carrier = carriers.filter((c) => byCarrier.has(c.id)).sort((a, b) => byCarrier.get(b.id) - byCarrier.get(a.id))[0]
    assert.ok(carrier, 'a carrier with incubating enterprises')
    const elsewhere = incubating.find((i) => i.carrier_id !== carrier.id)
    assert.ok(elsewhere, 'an enterprise incubating in another carrier')
    // A start-up registered this year in the carrier's region (through the API: 单位管理 is
    // tested elsewhere), young enough for any carrier's entry condition.
    const fresh = await apiPost('/organizations', {
      credit_code: creditCode(`${carrier.region_code.slice(0, 6)}MA9PLT001`),
      name: '济源市启明新材料科技有限公司',
      kind: 'enterprise',
      region: carrier.region_code,
      industry: 'C3985',
      founded_on: daysAhead(-150),
      legal_representative: '张启明',
      size_class: 'micro',
    })
    await menu('孵化载体')
    await page.waitForURL(/\/carriers$/)
    await page.locator('[data-test=carriers-table]').waitFor()
    await settled()
    await assertFits()
    await snap('15-officer-carriers')
    await field('carriers-q').fill(carrier.name)
    await page.locator('[data-test=carriers-search]').click()
    await settled()
    await page.locator('[data-test=carrier-link]').filter({ hasText: new RegExp(`^${carrier.name.replace(/[()（）]/g, '.')}$`) }).click()
    await page.waitForURL(/\/carriers\/\d+$/)
    await page.locator('[data-test=carrier-title]', { hasText: carrier.name }).waitFor()
    await page.locator('[data-test=incubatees-table]').waitFor()
    await settled()
    await page.locator('[data-test=carrier-incubating]', { hasText: String(carrier.incubating) }).waitFor()
    await assertFits()
    await snap('16-officer-carrier')

    // 新增在孵企业: a fresh enterprise is registered.
    const add = async (name, on = null) => {
      await page.locator('[data-test=incubatee-add]').click()
      const dlg = page.locator('[data-test=incubatee-dialog]')
      await dlg.waitFor()
      const sel = dlg.locator('[data-test=incubatee-org]').first()
      await sel.click()
      await sel.locator('input').fill(name)
      await page.locator('.el-select-dropdown__item:visible', { hasText: name }).first().click()
      if (on) await fillDate('入孵日期', on, dlg)
      await dlg.locator('[data-test=incubatee-save]').click()
      return dlg
    }
    const dlg1 = await add(fresh.name)
    await toast('在孵企业已登记')
    await dlg1.waitFor({ state: 'hidden' })
    await rows('incubatees-table').filter({ hasText: fresh.name }).filter({ hasText: '在孵' }).first().waitFor()
    await page.locator('[data-test=carrier-incubating]', { hasText: String(carrier.incubating + 1) }).waitFor()
    await snap('17-officer-incubatee-added')

    // One already incubating in another carrier: refused, the reason in the dialog.
    const dlg2 = await add(elsewhere.org_name)
    const refusal = dlg2.locator('[data-test=incubatee-refusal]')
    await refusal.waitFor()
    const text = await refusal.innerText()
    assert.match(text, /不能入孵/)
    assert.ok(text.includes(elsewhere.carrier_name) || /在孵|已在/.test(text), `the reason names the other carrier: ${text}`)
    assert.doesNotMatch(text, /org_id|incubatee\./, 'no field key or code is shown')
    await snap('18-officer-incubatee-refused')
    await forgetExpected(/status of (409|422)/)
    await dlg2.locator('.el-dialog__footer button', { hasText: '取' }).click()
    await dlg2.waitFor({ state: 'hidden' })

    // 毕业 of an incubating enterprise, with its criterion.
    // The newest of the carrier's incubating enterprises (on the first page of its list).
    const mine = incubating.filter((i) => i.carrier_id === carrier.id).sort((a, b) => b.entered_on.localeCompare(a.entered_on))[0]
    const row = rows('incubatees-table').filter({ hasText: mine.org_name }).first()
    await row.locator('[data-test=incubatee-graduate]').click()
    const leave = page.locator('[data-test=leave-dialog]')
    await leave.waitFor()
    await leave.locator('[data-test=leave-criterion] .el-radio', { hasText: '经国家备案的高新技术企业' }).click()
    await field('leave-reason', leave).fill('2025年通过高新技术企业认定（GR202541000123）')
    await snap('19-officer-graduate-dialog')
    await leave.locator('[data-test=leave-save]').click()
    await toast('已毕业')
    await leave.waitFor({ state: 'hidden' })
    await page.locator('[data-test=incubatees-status] .el-radio-button', { hasText: '已毕业' }).click()
    await settled()
    const done = rows('incubatees-table').filter({ hasText: mine.org_name }).first()
    await done.locator('[data-test=incubatee-status]', { hasText: '已毕业' }).waitFor()
    assert.match(await done.innerText(), /经国家备案的高新技术企业/)
    await assertFits()
    await snap('20-officer-graduated')
    await noProblems()
  })

  it('enterprise: 认定申报 — its 市级 centre applies for 省级', async () => {
    await login(ENTERPRISE)
    await menu('认定申报')
    await page.waitForURL(/\/platform-recognitions$/)
    await page.locator('[data-test=recognitions-table]').waitFor()
    await settled()
    await page.locator('[data-test=recognition-add]').click()
    const dlg = page.locator('[data-test=recognition-dialog]')
    await dlg.locator('[data-test=recognition-form]').waitFor()
    await choose('recognition-platform', draft.platform_name, dlg)
    await dlg.locator('[data-test=recognition-level] .el-radio-button', { hasText: '省级' }).click()
    await field('recognition-summary', dlg).fill('2025年度绩效评价优秀；固定人员、研发场地等按省级条件逐项补足中，申请认定为省级工程技术研究中心。')
    await snap('26-enterprise-recognition-dialog')
    await dlg.locator('[data-test=recognition-save]').click()
    await toast('认定申报已提交')
    await dlg.waitFor({ state: 'hidden' })
    const drawer = page.locator('[data-test=recognition-drawer]')
    await drawer.locator('[data-test=recognition-info]').waitFor()
    assert.match(await drawer.locator('[data-test=recognition-info]').innerText(), /市级 → 省级[\s\S]*待认定/)
    assert.equal(await drawer.locator('[data-test=drawer-decide]').count(), 0, 'only the bureau decides')
    await snap('27-enterprise-recognition-pending')
    await page.keyboard.press('Escape')
    await rows('recognitions-table').filter({ hasText: draft.platform_name }).filter({ hasText: '待认定' }).first().waitFor()
    await noProblems()
  })

  it('officer: 认定申报 decided; the platform page\'s 认定历程, 年报与评价 and 升级条件', async () => {
    await login(OFFICER)
    await menu('认定申报')
    await page.waitForURL(/\/platform-recognitions$/)
    await page.locator('[data-test=recognitions-table]').waitFor()
    await settled()
    await assertFits()
    await snap('21-officer-recognitions')
    const pending = (await apiGet('/platform-recognitions?status=pending&size=50')).items[0]
    if (pending) {
      const row = rows('recognitions-table').filter({ hasText: pending.platform_name }).first()
      await row.locator('[data-test=recognition-decide]').click()
      const dlg = page.locator('[data-test=decide-dialog]')
      await dlg.waitFor()
      await field('decide-document', dlg).fill('济科〔2026〕18号')
      await snap('22-officer-decide')
      await dlg.locator('[data-test=decide-save]').click()
      await toast(`已认定为${pending.level_label}`)
      await dlg.waitFor({ state: 'hidden' })
      await rows('recognitions-table').filter({ hasText: pending.platform_name }).filter({ hasText: '已认定' }).first().waitFor()
    }

    // The enterprise's platform: its history, reports with the new grade, and its conditions.
    await page.goto(`${base}/platforms/${draft.platform_id}`)
    await page.locator('[data-test=platform-detail]').waitFor()
    await page.locator('.el-tabs__item', { hasText: '认定历程' }).click()
    await page.locator('[data-test=platform-history]').waitFor()
    await settled()
    await snap('23-platform-history')
    await page.locator('.el-tabs__item', { hasText: '年报与评价' }).click()
    await settled()
    const rep = rows('platform-reports').filter({ hasText: String(YEAR) }).first()
    await rep.waitFor()
    assert.match(await rep.innerText(), /已定级[\s\S]*(优秀|良好|合格|不合格)/)
    await snap('24-platform-reports')
    await page.locator('.el-tabs__item', { hasText: '升级条件' }).click()
    await page.locator('[data-test=upgrade-card]').waitFor()
    await settled()
    await assertFits()
    await snap('25-platform-upgrade')
    await noProblems()
  })
})
