// Browser test of 科技奖励 (奖励评审, 提名, 公示, 上级奖励) against the real `kechuang` binary and a
// fresh 济源 demo (see harness.mjs), through the menu group 科技奖励:
//
//   officer (jiyuan): 奖励评审 lists the demo's 2026 call (公示中) and 2025 (已授奖); 新建年度奖励
//     for 2027 opens its page (提名中).
//   enterprise (qiye): 提名 → 新增提名 of its own achievement in the 2027 call (科学技术进步奖, the
//     team from its staff), saved as a draft and 提交.
//   officer: 形式审查 通过 → 组织专家评审 (the round is created and linked). Experts are put on the
//     item and the round published, the expert (zhuanjia) scores it and the round is closed — the
//     review pages' own steps, taken here through the API (review.test.mjs tests them).
//   expert: the menu offers 提名 and 公示, not 奖励评审; 我的评审 lists the nomination.
//   officer: 评审委员会审定 → 公示中; the nomination shows 拟授奖 with its grade.
//   enterprise: 公示 lists it; 提出异议.
//   officer: the open objection in 公示异议; 授奖 is refused with the server's reason (公示期未满 /
//     异议未处理) beside the buttons; the objection resolved as 不成立.
//   officer: the demo's 2026 call (公示期已满, no open objection) → 授奖: its nominations show 已授奖
//     with certificate numbers and prizes. 上级奖励: a provincial award registered.
//
// Every step fails on a page error, a console error or an unexpected error toast. Screenshots go
// to e2e/output/awards-*.png and are copied to $KECHUANG_AWARD_SHOTS (default /tmp/shots-awards).
import { beforeEach, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { copyFileSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { OUT, assertFits, base, login, menuIn, noProblems, page, problems, settled, setup, shot, toast, watchProblems } from './harness.mjs'

setup({ name: 'awards' })
const menu = menuIn('科技奖励')
const SHOTS = process.env.KECHUANG_AWARD_SHOTS ?? '/tmp/shots-awards'
mkdirSync(SHOTS, { recursive: true })

const OFFICER = 'jiyuan'
const ENTERPRISE = 'qiye'
const EXPERT = 'zhuanjia'
/** The demo's calls (crates/cli demo). */
const CALL_2026 = '2026年度济源市科学技术奖'
const CALL_2027 = '2027年度济源市科学技术奖'
/** Staff of the demo enterprise: the team of the nomination, in ranking order. */
const TEAM = ['李国强', '孙国强']
/** The nomination's title: the enterprise's own achievement when it has one (set in the first test). */
let TITLE = '有色冶炼烟气多污染物协同治理关键技术及应用'
let callId = 0
let nominationId = 0
let roundId = 0

async function snap(name) {
  await shot(name)
  copyFileSync(join(OUT, `awards-${name}.png`), join(SHOTS, `${name}.png`))
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
/** Type each name into a remote multiple select and pick that person, in order. */
async function pickTeam(test, names, within = page) {
  const sel = within.locator(`[data-test=${test}]`).first()
  for (const name of names) {
    await sel.click()
    await sel.locator('input').fill(name)
    await page.locator('.el-select-dropdown__item:visible', { hasText: name }).first().click()
    await sel.locator('.el-tag', { hasText: name }).waitFor()
  }
  // Close the dropdown without Escape (which would close the dialog as well).
  await within.locator('.el-dialog__title').first().click()
}
/** An el-input's native input or textarea (its data-test lands on it) or one inside a wrapper. */
const field = (test, within = page) => within.locator(`input[data-test=${test}], textarea[data-test=${test}], [data-test=${test}] input, [data-test=${test}] textarea`).first()
/** Type a date into the date picker of the form item labelled `label`. */
async function fillDate(label, value, within = page) {
  const i = within.locator('.el-form-item').filter({ has: page.locator('.el-form-item__label', { hasText: new RegExp(`^${label}$`) }) }).locator('.el-date-editor input').first()
  await i.fill(value)
  await i.press('Enter')
}
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
/** `YYYY-MM-DD` `days` after today in Asia/Shanghai. */
function daysAhead(days) {
  return new Date(Date.now() + 8 * 3600e3 + days * 86400e3).toISOString().slice(0, 10)
}
/** The menu items of a group as the signed-in account sees them. */
async function groupItems(group) {
  const sub = page.locator('.aside .el-sub-menu', { has: page.locator(':scope > .el-sub-menu__title', { hasText: group }) })
  if (!(await sub.count())) return []
  if (!(await sub.evaluate((e) => e.classList.contains('is-opened')))) await sub.locator('.el-sub-menu__title').first().click()
  return (await sub.locator('.el-menu-item').allInnerTexts()).map((t) => t.trim())
}
/** 奖励评审 → the call named `title`'s page. */
async function openCall(title) {
  await menu('奖励评审')
  await page.waitForURL(/\/awards\/calls$/)
  await page.locator('[data-test=calls-table]').waitFor()
  await settled()
  await rows('calls-table').filter({ hasText: title }).locator('[data-test=call-link]').click()
  await page.waitForURL(/\/awards\/calls\/\d+$/)
  await page.locator('[data-test=call-title]', { hasText: title }).waitFor()
  await settled()
}

describe('科技奖励', () => {
  // Each step answers for its own problems: a failed step's leftovers do not fail the next ones.
  beforeEach(async () => {
    problems.length = 0
    await page?.evaluate(() => sessionStorage.removeItem('kc-error-toasts')).catch(() => {})
  })

  it('officer: 奖励评审 lists the years; a 2027 call is opened for nominations', async () => {
    await watchProblems()
    await login(OFFICER)
    assert.deepEqual(await groupItems('科技奖励'), ['奖励评审', '公示', '上级奖励'])
    await menu('奖励评审')
    await page.waitForURL(/\/awards\/calls$/)
    await page.locator('[data-test=calls-table]').waitFor()
    await settled()
    assert.match(await rows('calls-table').filter({ hasText: CALL_2026 }).innerText(), /公示中/)
    assert.match(await rows('calls-table').filter({ hasText: '2025' }).first().innerText(), /已授奖/)
    await assertFits()
    await snap('01-officer-calls')

    await page.locator('[data-test=call-add]').click()
    const dlg = page.locator('[data-test=call-dialog]')
    await dlg.locator('[data-test=call-form]').waitFor()
    const year = field('call-year', dlg)
    await year.fill('2027')
    await year.press('Tab')
    await field('call-title', dlg).fill(CALL_2027)
    await fillDate('提名截止', daysAhead(30), dlg)
    await field('call-note', dlg).fill('提名材料请于截止日前在线提交；联系电话 0391-6632118。')
    await snap('02-officer-new-call')
    await dlg.locator('[data-test=call-save]').click()
    await toast('年度奖励已创建')
    await page.waitForURL(/\/awards\/calls\/\d+$/)
    callId = Number(page.url().match(/(\d+)$/)[1])
    await page.locator('[data-test=call-title]', { hasText: CALL_2027 }).waitFor()
    await page.locator('[data-test=call-state]', { hasText: '提名中' }).waitFor()
    await settled()
    await assertFits()
    await snap('03-officer-call-open')
    await noProblems()
  })

  it('enterprise: 提名 of its own achievement, saved and submitted', async () => {
    await login(ENTERPRISE)
    assert.deepEqual(await groupItems('科技奖励'), ['提名', '公示'])
    // Its own achievement's title, when the demo enterprise has one.
    const own = (await apiGet('/achievements?size=5')).items?.[0]
    if (own?.title) TITLE = own.title
    await menu('提名')
    await page.waitForURL(/\/awards\/nominations$/)
    await page.locator('[data-test=noms-table]').waitFor()
    await settled()
    await page.locator('[data-test=nom-add]').click()
    const dlg = page.locator('[data-test=nom-dialog]')
    await dlg.locator('[data-test=nom-form]').waitFor()
    await choose('nom-call', CALL_2027, dlg)
    await dlg.locator('[data-test=nom-category] .el-radio', { hasText: '科学技术进步奖' }).click()
    await field('nom-title', dlg).fill(TITLE)
    await pickTeam('nom-team', TEAM, dlg)
    assert.match(await dlg.locator('[data-test=nom-org]').innerText(), /本单位/)
    await field('nom-summary', dlg).fill('针对有色冶炼烟气中二氧化硫、氮氧化物和重金属协同治理难题，研发了低温催化还原与湿法协同脱除技术，在3家冶炼企业应用，年减排二氧化硫1200吨，新增产值1.8亿元。')
    await snap('04-enterprise-nomination-form')
    await dlg.locator('[data-test=nom-save]').click()
    await toast('提名已保存为草稿')
    const drawer = page.locator('[data-test=nom-drawer]')
    await drawer.locator('[data-test=nom-drawer-status]', { hasText: '草稿' }).waitFor()
    assert.equal((await drawer.locator('[data-test=nom-drawer-team] li').allInnerTexts()).join('、'), TEAM.join('、'))
    await drawer.locator('[data-test=nom-drawer-submit]').click()
    await confirmBox('提交提名')
    await toast('提名已提交')
    await drawer.locator('[data-test=nom-drawer-status]', { hasText: '已提交' }).waitFor()
    assert.equal(await drawer.locator('[data-test=nom-drawer-submit]').count(), 0, 'a submitted nomination is not submitted again')
    await snap('05-enterprise-submitted')
    await page.keyboard.press('Escape')
    const row = rows('noms-table').filter({ hasText: TITLE })
    await row.locator('[data-test=nom-status]', { hasText: '已提交' }).waitFor()
    assert.match(await row.innerText(), new RegExp(`${CALL_2027}[\\s\\S]*科学技术进步奖`))
    nominationId = (await apiGet(`/awards/nominations?call_id=${callId}`)).items.find((n) => n.title === TITLE).id
    await assertFits()
    await snap('06-enterprise-nominations')
    await noProblems()
  })

  it('officer: 形式审查 通过 and 组织专家评审; experts score the nomination', async () => {
    await login(OFFICER)
    await openCall(CALL_2027)
    const row = rows('call-noms-table').filter({ hasText: TITLE })
    await row.locator('[data-test=call-nom-status]', { hasText: '已提交' }).waitFor()
    await row.locator('[data-test=act-check]').click()
    const ck = page.locator('[data-test=check-dialog]')
    await ck.waitFor()
    await field('check-note', ck).fill('材料齐全，符合提名要求。')
    await snap('07-officer-check')
    await ck.locator('[data-test=check-save]').click()
    await toast('形式审查通过')
    await row.locator('[data-test=call-nom-status]', { hasText: '形式审查通过' }).waitFor()

    await page.locator('[data-test=act-review]').click()
    const dlg = page.locator('[data-test=award-review-dialog]')
    await dlg.waitFor()
    await fillDate('评审截止日期', daysAhead(14), dlg)
    await snap('08-officer-review-dialog')
    await dlg.locator('[data-test=award-review-save]').click()
    await dlg.locator('[data-test=award-review-created]').waitFor()
    await snap('09-officer-review-created')
    await dlg.locator('[data-test=award-review-round-link]').click()
    await page.waitForURL(/\/review\/rounds\/\d+$/)
    roundId = Number(page.url().match(/(\d+)$/)[1])
    await settled()
    await snap('10-officer-round')
    const call = await apiGet(`/awards/calls/${callId}`)
    assert.equal(call.status, 'reviewing')
    assert.equal(call.round_id, roundId)
    await noProblems()

    // Experts drawn, the expert account put on the item, the round published (through the API).
    await apiPost(`/review/rounds/${roundId}/assign`, { mode: 'optimal' })
    const detail = await apiGet(`/review/rounds/${roundId}`)
    const item = detail.items.find((i) => i.object_ref === `award_nomination:${nominationId}`)
    assert.ok(item, `the round's item of award_nomination:${nominationId}`)
    const wei = (await apiGet(`/experts?q=${encodeURIComponent('卫建华')}&size=50`)).items.find((e) => e.user_id && e.name === '卫建华')
    assert.ok(wei, 'the demo expert account')
    if (!detail.assignments.some((a) => a.item_id === item.id && a.expert_id === wei.id && a.status !== 'declined'))
      await apiPost(`/review/rounds/${roundId}/adjust`, { item_id: item.id, expert_id: wei.id, remove: false, reason: '奖励评审：加派专家' })
    await apiPost(`/review/rounds/${roundId}/publish`, {})
  })

  it('expert: 提名 and 公示 in the menu; the nomination to score in 我的评审', async () => {
    await login(EXPERT)
    const items = await groupItems('科技奖励')
    assert.ok(items.includes('提名') && items.includes('公示') && !items.includes('奖励评审'), `expert menu: ${items}`)
    await page.goto(`${base}/review/my`)
    await page.locator('[data-test=my-table]').waitFor()
    await settled()
    const task = rows('my-table').filter({ hasText: TITLE })
    await task.waitFor()
    // The expert reads the nomination they score.
    const read = task.locator('[data-test=task-read]')
    await read.click()
    const drawer = page.locator('[data-test=object-drawer]')
    await drawer.locator('[data-test=nomination-object]').waitFor()
    assert.match(await drawer.locator('[data-test=nomination-object-team]').innerText(), new RegExp(TEAM.join('[\\s\\S]*')))
    assert.match(await drawer.locator('[data-test=nomination-object-category]').innerText(), /科学技术进步奖/)
    await snap('11-expert-reads-nomination')
    await page.keyboard.press('Escape')
    // The expert's score (the score dialog is review.test.mjs's).
    const mine = (await apiGet('/review/my')).find((a) => a.object_ref === `award_nomination:${nominationId}` && a.status === 'assigned')
    assert.ok(mine, 'the expert is on the nomination')
    const scores = Object.fromEntries(mine.form.map((c) => [c.key, Math.round(c.max * 0.92)]))
    await apiPost(`/review/assignments/${mine.id}/scores`, { scores, comment: '技术创新性强，减排效益显著，建议授奖。' })
    // Its 提名 page opens (an expert nominates as 专家提名).
    await menu('提名')
    await page.locator('[data-test=noms-table]').waitFor()
    await settled()
    await assertFits()
    await noProblems()
  })

  it('officer: 评审委员会审定 → 拟授奖 with a grade, in 公示', async () => {
    await login(OFFICER)
    await apiPost(`/review/rounds/${roundId}/close`, {})
    await openCall(CALL_2027)
    await page.locator('[data-test=call-round-status]', { hasText: '已结束' }).waitFor()
    await page.locator('[data-test=act-panel]').click()
    await confirmBox('评审委员会审定')
    await toast('已审定')
    await page.locator('[data-test=call-state]', { hasText: '公示中' }).waitFor()
    const row = rows('call-noms-table').filter({ hasText: TITLE })
    await row.locator('[data-test=call-nom-status]', { hasText: '拟授奖' }).waitFor()
    assert.match(await row.locator('[data-test=call-nom-grade]').innerText(), /[一二三]等奖/)
    assert.match(await page.locator('[data-test=call-notice]').innerText(), /公示中：\d{4}-\d{2}-\d{2} 至 \d{4}-\d{2}-\d{2}/)
    await row.locator('[data-test=call-nom-link]').click()
    const drawer = page.locator('[data-test=nom-drawer]')
    await drawer.locator('[data-test=nom-drawer-grade]').waitFor()
    assert.match(await drawer.locator('[data-test=nom-drawer-score]').innerText(), /^\d+(\.\d+)?$/)
    await snap('12-officer-proposed')
    await page.keyboard.press('Escape')
    await assertFits()
    await snap('13-officer-notice')
    await noProblems()
  })

  it('enterprise: 公示 lists the proposed award; an objection is filed', async () => {
    await login(ENTERPRISE)
    await menu('公示')
    await page.waitForURL(/\/awards\/notice$/)
    await page.locator('[data-test=notice-table]').waitFor()
    await settled()
    const row = rows('notice-table').filter({ hasText: TITLE })
    await row.waitFor()
    assert.match(await row.locator('[data-test=notice-grade-tag]').innerText(), /[一二三]等奖/)
    await assertFits()
    await snap('14-enterprise-notice')
    await row.locator('[data-test=notice-object]').click()
    const dlg = page.locator('[data-test=objection-dialog]')
    await dlg.waitFor()
    await field('objection-content', dlg).fill('第二完成人孙国强的贡献应为工程化应用，排名建议核实。')
    await snap('15-enterprise-objection')
    await dlg.locator('[data-test=objection-save]').click()
    const outcome = await Promise.race([
      page.locator('.el-message--success', { hasText: '异议已提交' }).first().waitFor().then(() => ''),
      page.locator('.el-message--error').first().waitFor().then(() => page.locator('.el-message--error').first().innerText()),
    ])
    assert.equal(outcome, '', `the objection was refused: ${outcome}`)
    await noProblems()
  })

  it('officer: 授奖 refused while 公示 runs and an objection is open; the objection resolved', async () => {
    await login(OFFICER)
    await openCall(CALL_2027)
    await page.locator('[data-test=tab-objections]').click()
    const obj = rows('call-objections').filter({ hasText: TITLE })
    await obj.locator('[data-test=objection-status]', { hasText: '待处理' }).waitFor()
    await page.locator('[data-test=act-confer]').click()
    await confirmBox('授奖')
    const refusal = page.locator('[data-test=call-error]')
    await refusal.waitFor()
    const text = await refusal.innerText()
    assert.match(text, /不能授奖/)
    assert.match(text, /公示|异议/)
    assert.doesNotMatch(text, /award\.|notice_open|objection_open/, 'no code is shown')
    await page.locator('[data-test=call-state]', { hasText: '公示中' }).waitFor()
    await assertFits()
    await snap('16-officer-confer-refused')
    await forgetExpected(/status of (409|422)/)

    await obj.locator('[data-test=act-resolve]').click()
    const dlg = page.locator('[data-test=resolve-dialog]')
    await dlg.waitFor()
    await field('resolve-note', dlg).fill('经核查，完成人排名与实际贡献相符，异议不成立。')
    await snap('17-officer-resolve')
    await dlg.locator('[data-test=resolve-save]').click()
    await toast('异议已处理')
    await obj.locator('[data-test=objection-status]', { hasText: '异议不成立' }).waitFor()
    await snap('18-officer-resolved')
    await noProblems()
  })

  it('officer: the 2026 call, its 公示 over, is conferred: certificates and prizes', async () => {
    await login(OFFICER)
    await openCall(CALL_2026)
    assert.match(await page.locator('[data-test=call-notice]').innerText(), /已满/)
    await page.locator('[data-test=act-confer]').click()
    await confirmBox('授奖')
    await toast('已授奖')
    await page.locator('[data-test=call-state]', { hasText: '已授奖' }).waitFor()
    await settled()
    const conferred = rows('call-noms-table').filter({ has: page.locator('[data-test=call-nom-status]', { hasText: '已授奖' }) })
    await conferred.first().waitFor()
    const n = await conferred.count()
    assert.ok(n >= 1, 'conferred nominations')
    for (let i = 0; i < n; i++) {
      const r = conferred.nth(i)
      assert.notEqual((await r.locator('[data-test=call-nom-cert]').innerText()).trim(), '—', 'a certificate number')
      assert.match(await r.locator('[data-test=call-nom-prize]').innerText(), /^[\d,]+\.\d{2}$/)
    }
    assert.match(await page.locator('[data-test=call-conferred]').innerText(), /^\d{4}-\d{2}-\d{2}$/)
    await assertFits()
    await snap('19-officer-conferred')
    await conferred.first().locator('[data-test=call-nom-link]').click()
    const drawer = page.locator('[data-test=nom-drawer]')
    await drawer.locator('[data-test=nom-drawer-status]', { hasText: '已授奖' }).waitFor()
    await snap('20-officer-conferred-detail')
    await page.keyboard.press('Escape')
    await noProblems()
  })

  it('officer: 上级奖励 — a provincial award registered', async () => {
    await login(OFFICER)
    await menu('上级奖励')
    await page.waitForURL(/\/awards\/wins$/)
    await page.locator('[data-test=wins-table]').waitFor()
    await settled()
    await page.locator('[data-test=win-add]').click()
    const dlg = page.locator('[data-test=win-dialog]')
    await dlg.locator('[data-test=win-form]').waitFor()
    const org = dlg.locator('[data-test=org-select]')
    await org.click()
    await org.locator('input').fill('济源国泰环保有限责任公司')
    await page.locator('.el-select-dropdown__item:visible', { hasText: '济源国泰环保有限责任公司' }).first().click()
    await field('win-name', dlg).fill('河南省科学技术进步奖')
    await field('win-grade', dlg).fill('二等奖')
    await field('win-prize', dlg).fill('100000')
    await field('win-document', dlg).fill('豫政〔2026〕18号')
    await snap('21-officer-win-form')
    await dlg.locator('[data-test=win-save]').click()
    await toast('上级奖励已登记')
    const row = rows('wins-table').filter({ hasText: '豫政〔2026〕18号' })
    await row.waitFor()
    assert.match(await row.innerText(), /济源国泰环保有限责任公司[\s\S]*省级[\s\S]*河南省科学技术进步奖[\s\S]*二等奖/)
    await assertFits()
    await snap('22-officer-wins')
    await noProblems()
  })
})
