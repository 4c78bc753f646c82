// Browser test of a working day on 科技计划项目 (issue 14, findings 2, 3, 4, 8 and 14) against the
// real `kechuang` binary and a fresh 济源 demo (see harness.mjs):
//
//   enterprise qiye: 申报 the 公开竞争 call, only the title filled, 暂存 saves it; 申报 again opens
//     the same draft (title kept, no second draft); 提交 with nothing else marks the budget first
//     (scrolled into view) without the one-time-submission question; filled in but without the
//     integrity pledge, 提交 marks the pledge, brings it into view and says so in a toast, still
//     without the question; with the pledge it is submitted.
//   city officer jiyuan: 项目管理 → tab 待形式审查 lists it with the demo's others; 批量形式审查
//     starts and passes the formal check of all of them at once; 导出 downloads an xlsx of the
//     tab; the closed 2024 project offers no 经费拨付 and its 任务书 is a .docx; 发布指南 as a
//     draft, preview, edit, publish, withdraw with a reason, and the call's detail page.
//
// Every step fails on a page error, a console error or an error toast nobody expected.
// Screenshots go to e2e/output/day-projects-*.png.
import { before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { assertFits, context, login, logout, menuIn, page, settled, setup, shot, tmp, toast } from './harness.mjs'
import { unzipTexts } from './xlsx.mjs'

// Its own screenshot prefix: projects.test.mjs clears every file starting with "projects-".
setup({ name: 'projects-day', shotPrefix: 'day-projects-', external: true, acceptDownloads: true })
const menu = menuIn('科技计划项目')

const OPEN = '2026年度济源市科技攻关计划（公开竞争）'
const TITLE = '再生铅冶炼烟气余热梯级利用关键技术研究'
const CLOSED = '含铅废气协同脱硫除尘中试研究'
const NEW_CALL = '2027年度济源市新材料产业关键技术攻关指南'
const WITHDRAW_REASON = '指南内容需与省级专项衔接，调整后重新发布'
const day = (plus = 0) => new Date(Date.now() + 8 * 3600e3 + plus * 86400e3).toISOString().slice(0, 10)
const inp = (name) => `[data-test=${name}] input, input[data-test=${name}]`
const callRows = () => page.locator('[data-test=calls-table] > .el-table__inner-wrapper > .el-table__body-wrapper tbody tr.el-table__row')
const appRows = () => page.locator('[data-test=apps-table] .el-table__body-wrapper tbody tr.el-table__row')
const apiGet = (path) => page.evaluate(async (p) => (await fetch(`/api/v1${p}`)).json(), path)

// ---- what no step may leave behind ----
const problems = []
/** No page error, console error or error toast so far (none is expected on this day). */
async function clean() {
  for (const t of await page.evaluate(() => window.__errorToasts.splice(0))) problems.push(`error toast: ${t}`)
  assert.deepEqual(problems, [])
}


async function confirmBox(title) {
  const box = page.locator('.el-message-box', { hasText: title })
  await box.waitFor()
  await box.locator('.el-message-box__btns .el-button--primary').click()
  await box.waitFor({ state: 'hidden' })
}

/** The element is inside the window (the user sees it without scrolling). */
async function inView(locator) {
  const box = await locator.evaluate((el) => {
    const r = el.getBoundingClientRect()
    return { top: r.top, bottom: r.bottom, h: window.innerHeight }
  })
  assert.ok(box.top >= 0 && box.bottom <= box.h, `not in view: ${JSON.stringify(box)}`)
}

async function applyTo(call) {
  await menu('项目指南')
  await callRows().filter({ hasText: call }).locator('[data-test=call-apply]').click()
  await page.locator('[data-test=apply-call]', { hasText: call }).waitFor()
  await settled()
}

async function openStage(key) {
  await page.locator(`[data-test=stage-${key}]`).click()
  await settled()
}

/** Select every row of the table's current page and run a 批量形式审查 move. */
async function batch(label) {
  await page.locator('[data-test=apps-table] .el-table__header-wrapper .el-checkbox').click()
  await page.locator('[data-test=apps-batch-button]').click()
  await page.locator('.el-dropdown-menu__item:visible', { hasText: label }).click()
  await confirmBox(`批量${label}`)
  await toast(`已${label}`)
  await settled()
}

describe('a working day on 科技计划项目', () => {
  // After the harness's set-up (the browser exists then).
  before(async () => {
    await context.addInitScript(() => {
      window.__errorToasts = []
      new MutationObserver((ms) => {
        for (const m of ms) for (const n of m.addedNodes) {
          if (n.nodeType === 1 && n.classList.contains('el-message--error')) window.__errorToasts.push(n.textContent.trim())
        }
      }).observe(document, { childList: true, subtree: true })
    })
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`))
    // The login page asks who is logged in, and the answer is 401 before logging in.
    page.on('console', (m) => { if (m.type() === 'error' && !/status of 401/.test(m.text())) problems.push(`console: ${m.text()}`) })
  })

  it('enterprise drafts, reopens the same draft, is told what is missing, and submits', async () => {
    await login('qiye')
    await applyTo(OPEN)
    await page.locator(inp('af-title')).fill(TITLE)
    await page.locator('[data-test=af-save]').click()
    await toast('已暂存')
    const drafts = (await apiGet('/applications?status=draft&size=500')).items.filter((a) => a.status === 'draft' && a.title === TITLE)
    assert.equal(drafts.length, 1, 'the draft is saved with only its title')
    // Its budget lines are kept as entered (no amounts yet).
    assert.deepEqual(drafts[0].budget.map((b) => b.item), ['设备费', '材料费'])
    await shot('1-draft-saved')

    // 申报 again: the same draft, not a blank second one.
    await applyTo(OPEN)
    await page.waitForURL(new RegExp(`/projects/applications/${drafts[0].id}/edit$`))
    await page.locator('[data-test=apply-call]', { hasText: OPEN }).waitFor()
    await settled()
    assert.equal(await page.locator(inp('af-title')).inputValue(), TITLE)
    const again = (await apiGet('/applications?status=draft&size=500')).items.filter((a) => a.status === 'draft' && a.call_id === drafts[0].call_id)
    assert.equal(again.length, 1, 'still one draft')
    await shot('2-draft-reopened')

    // 提交 with the budget, milestones and pledge missing: the budget (first in the form) is
    // marked and in view, the others marked too, and no one-time-submission question.
    await page.locator('[data-test=af-submit]').click()
    const budget = page.locator('[data-test=af-item-budget]')
    await budget.locator('.el-form-item__error', { hasText: '第1项预算金额未填写' }).waitFor()
    await page.locator('.el-message', { hasText: '请补全后再提交' }).first().waitFor()
    await inView(budget.locator('.el-form-item__error'))
    assert.match(await page.locator('[data-test=af-item-milestones] .el-form-item__error').innerText(), /请至少填写一个里程碑/)
    assert.match(await page.locator('[data-test=af-item-pledge] .el-form-item__error').innerText(), /科研诚信承诺书/)
    assert.equal(await page.locator('.el-message-box').count(), 0, 'no confirmation before the checks pass')
    await shot('3-submit-incomplete')

    // Fill the budget and a milestone: their marks go as they are fixed.
    const lines = page.locator('[data-test=af-budget] tbody tr')
    await lines.nth(0).locator('input').nth(1).fill('300000')
    await lines.nth(1).locator('input').nth(1).fill('150000.5')
    await page.locator('[data-test=af-total]', { hasText: '450,000.50' }).waitFor()
    await page.locator('[data-test=af-add-milestone]').click()
    const m = page.locator('[data-test=af-milestones] tbody tr').first().locator('input')
    await m.nth(0).fill('余热锅炉中试')
    await m.nth(1).fill('2027-09-30')
    await m.nth(1).press('Enter')
    await m.nth(2).fill('余热回收率不低于60%，连续运行500小时')
    await page.locator('[data-test=apply-form] .el-divider', { hasText: '伦理与诚信' }).click()
    await budget.locator('.el-form-item__error').waitFor({ state: 'detached' })
    await page.locator('[data-test=af-item-milestones] .el-form-item__error').waitFor({ state: 'detached' })

    // Scroll back to the top, then 提交 without the pledge: the pledge is marked and brought into
    // view, the toast says it, and still no question.
    await page.locator(inp('af-title')).scrollIntoViewIfNeeded()
    await page.locator('[data-test=af-submit]').click()
    const pledge = page.locator('[data-test=af-item-pledge]')
    await pledge.locator('.el-form-item__error', { hasText: '提交前须签署科研诚信承诺书' }).waitFor()
    await page.locator('.el-message', { hasText: '请补全后再提交：提交前须签署科研诚信承诺书' }).first().waitFor()
    assert.match(await pledge.getAttribute('class'), /is-error/)
    await inView(pledge.locator('.el-checkbox'))
    assert.equal(await page.locator('.el-message-box').count(), 0, 'no confirmation before the checks pass')
    await assertFits()
    await shot('4-submit-without-pledge')

    await page.locator('[data-test=af-pledge]').click()
    await pledge.locator('.el-form-item__error').waitFor({ state: 'detached' })
    await page.locator('[data-test=af-submit]').click()
    await confirmBox('提交申报')
    await page.locator('[data-test=app-status]', { hasText: '已提交' }).waitFor()
    assert.equal(await page.locator('[data-test=app-title]').innerText(), TITLE)
    await shot('5-submitted')
    await clean()
    await logout()
  })

  it('officer finds it under 待形式审查, checks it with the others in one batch, and exports', async () => {
    await login('jiyuan')
    await menu('项目管理')
    await appRows().first().waitFor()
    const waiting = await page.locator('[data-test=stage-submitted]').innerText()
    const n = Number(/（(\d+)）/.exec(waiting)?.[1])
    assert.ok(n >= 2, `待形式审查: ${waiting}`)
    await openStage('submitted')
    assert.equal(await appRows().count(), Math.min(n, 10))
    await appRows().filter({ hasText: TITLE }).waitFor()
    for (const t of await appRows().allInnerTexts()) assert.match(t, /已提交/)
    await assertFits()
    await shot('6-stage-waiting')

    // A submitted and a reviewed project together cannot be started: the move is not offered.
    await openStage('all')
    await page.locator('[data-test=apps-pager] .el-select').click()
    await page.locator('.el-select-dropdown__item:visible', { hasText: '50' }).click()
    await appRows().filter({ hasText: '已提交' }).first().locator('.el-checkbox').click()
    await appRows().filter({ hasText: '专家评审' }).first().locator('.el-checkbox').click()
    await page.locator('[data-test=apps-batch-button]', { hasText: '已选 2 项' }).click()
    const start = page.locator('.el-dropdown-menu__item:visible', { hasText: '开始形式审查' })
    assert.equal(await start.getAttribute('aria-disabled'), 'true')
    await shot('6a-batch-not-offered')
    await page.keyboard.press('Escape')

    await openStage('submitted')
    await batch('开始形式审查')
    assert.match(await page.locator('[data-test=stage-submitted]').innerText(), /（0）/)
    await openStage('formal_check')
    await appRows().filter({ hasText: TITLE }).waitFor()
    assert.equal(await appRows().count(), n)
    await shot('7-stage-formal-check')
    await batch('通过形式审查')
    await openStage('expert_review')
    const row = appRows().filter({ hasText: TITLE })
    await row.waitFor()
    assert.match(await row.innerText(), /专家评审/)
    await assertFits()
    await shot('8-passed-to-review')

    // 导出 of this tab: an xlsx with the project in it.
    const [dl] = await Promise.all([page.waitForEvent('download'), page.locator('[data-test=apps-export]').click()])
    assert.match(dl.suggestedFilename(), /^项目管理_\d{8}\.xlsx$/)
    const file = join(tmp, 'applications.xlsx')
    await dl.saveAs(file)
    const text = [...unzipTexts(readFileSync(file)).values()].join('\n')
    assert.ok(text.includes(TITLE), 'the export lists the project')
    await toast('导出成功')
    await clean()
  })

  it('officer sees a closed project without 经费拨付 and downloads its 任务书 as Word', async () => {
    await menu('项目管理')
    await page.locator(inp('apps-q')).fill('含铅废气')
    await page.locator('[data-test=apps-search]').click()
    await openStage('closed')
    await appRows().filter({ hasText: CLOSED }).locator('a', { hasText: CLOSED }).click()
    await page.locator('[data-test=app-title]', { hasText: CLOSED }).waitFor()
    await page.locator('[data-test=exec-panel]').waitFor()
    await settled()
    assert.match(await page.locator('[data-test=app-status]').innerText(), /已结题/)
    assert.equal(await page.locator('[data-test=exec-disburse]').count(), 0, 'no 经费拨付 on a closed project')
    assert.equal(await page.locator('[data-test=exec-check]').count(), 0, 'no 里程碑考核 on a closed project')
    assert.equal(await page.locator('[data-test=app-actions] [data-test^=act-]').count(), 0)
    const [dl] = await Promise.all([page.waitForEvent('download'), page.locator('[data-test=exec-task-book]').click()])
    assert.equal(dl.suggestedFilename(), `任务书-${CLOSED}.docx`)
    const file = join(tmp, 'task-book.docx')
    await dl.saveAs(file)
    const parts = unzipTexts(readFileSync(file))
    assert.ok(parts.has('word/document.xml'), `a Word document: ${[...parts.keys()].join(', ')}`)
    assert.ok(parts.get('word/document.xml').includes(CLOSED), 'the 任务书 names the project')
    await assertFits()
    await shot('9-closed-project')
    await clean()
  })

  it('officer drafts a call, previews, edits, publishes and withdraws it', async () => {
    await menu('项目指南')
    // 导出: the calls as listed, as a spreadsheet.
    const [calls] = await Promise.all([page.waitForEvent('download'), page.locator('[data-test=calls-export]').click()])
    assert.match(calls.suggestedFilename(), /^项目指南_\d{8}\.xlsx$/)
    assert.equal(readFileSync(await calls.path()).subarray(0, 2).toString(), 'PK')
    await page.locator('[data-test=call-create]').click()
    const dlg = page.locator('[data-test=call-dialog]')
    const required = await dlg.locator('.el-form-item.is-required > .el-form-item__label').allInnerTexts()
    for (const want of ['指南名称', '计划类别', '组织方式', '总预算（元）', '申报时间']) assert.ok(required.includes(want), `${want} has the red asterisk: ${required}`)
    await dlg.locator(inp('cf-title')).fill(NEW_CALL)
    await dlg.locator(inp('cf-category')).fill('科技攻关')
    await dlg.locator(inp('cf-budget')).fill('8000000')
    await dlg.locator('[data-test=cf-budget-wan]', { hasText: '即 800万元' }).waitFor()
    const range = dlg.locator('.el-range-input')
    await range.nth(0).fill(day())
    await range.nth(1).fill(day(30))
    await range.nth(1).press('Enter')
    await shot('10-call-dialog')
    await dlg.locator('[data-test=cf-draft]').click()
    await toast('草稿已保存')
    const row = callRows().filter({ hasText: NEW_CALL })
    await row.locator('[data-test=call-status]', { hasText: '草稿' }).waitFor()
    assert.match(await row.innerText(), /800\.00/)
    assert.match(await page.locator('[data-test=calls-table] thead').innerText(), /总预算（万元）/)

    // 预览: the call as applicants will see it.
    await row.locator('[data-test=call-preview]').click()
    const drawer = page.locator('[data-test=call-preview-drawer]')
    await drawer.locator('[data-test=cv-title]', { hasText: NEW_CALL }).waitFor()
    assert.equal(await drawer.locator('[data-test=cv-budget]').innerText(), '800万元')
    assert.equal(await drawer.locator('[data-test=cv-dates]').innerText(), `${day()} 至 ${day(30)}`)
    await shot('11-call-preview')
    await page.keyboard.press('Escape')
    await drawer.locator('[data-test=cv-title]').waitFor({ state: 'hidden' })

    // 修改 while a draft.
    await row.locator('[data-test=call-edit]').click()
    await dlg.locator(inp('cf-title')).waitFor()
    assert.equal(await dlg.locator(inp('cf-title')).inputValue(), NEW_CALL)
    await dlg.locator(inp('cf-budget')).fill('9000000')
    await dlg.locator('[data-test=cf-preview]').click()
    await page.locator('[data-test=cf-preview-drawer] [data-test=cv-budget]', { hasText: '900万元' }).waitFor()
    await page.keyboard.press('Escape')
    await page.locator('[data-test=cf-preview-drawer] [data-test=cv-budget]').waitFor({ state: 'hidden' })
    await dlg.locator('[data-test=cf-draft]').click()
    await toast('草稿已保存')
    await row.filter({ hasText: '900.00' }).waitFor()

    // 发布, then 撤回 with a reason.
    await row.locator('[data-test=call-publish]').click()
    await confirmBox('发布指南')
    await toast('指南已发布')
    await row.locator('[data-test=call-state]', { hasText: '申报中' }).waitFor()
    await shot('12-call-published')
    await row.locator('[data-test=call-withdraw]').click()
    const box = page.locator('.el-message-box', { hasText: '撤回指南' })
    await box.locator('textarea').fill(WITHDRAW_REASON)
    await box.locator('.el-message-box__btns .el-button--primary').click()
    await toast('指南已撤回')
    await row.locator('[data-test=call-status]', { hasText: '已撤回' }).waitFor()
    await assertFits()
    await shot('13-call-withdrawn')

    // The call's page: everything about it, the withdrawal's reason, its applications.
    await row.locator('[data-test=call-link]').click()
    await page.locator('[data-test=cv-title]', { hasText: NEW_CALL }).waitFor()
    assert.match(await page.locator('[data-test=cv-withdrawn]').innerText(), new RegExp(WITHDRAW_REASON))
    assert.equal(await page.locator('[data-test=cd-apps-total]').innerText(), '0')
    assert.match(await page.locator('.el-breadcrumb').innerText(), /项目指南[\s\S]*指南详情/)
    await assertFits()
    await shot('14-call-detail')
    await clean()
  })
})
