// Browser test of the 规划监测 pages against the real `kechuang` binary (the same set-up as
// ui.test.mjs: a fresh SQLite file with the 济源 demo, Debian's /usr/bin/chromium driven by
// playwright-core, a 1366×768 window). The demo holds the 济源“十四五” plan in draft with its
// extracted targets and tasks, and entered GDP / R&D figures. Every step fails on a page error, a
// console error or an error toast nobody expected.
//
//   KECHUANG_BIN   the binary (default: $CARGO_TARGET_DIR/debug/kechuang)
//   CHROMIUM       the browser (default /usr/bin/chromium)
//
// Screenshots go to e2e/output/plans-*.png.
import { before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { assertFits, context, login, logout, menuIn, page, setup, shot, tmp } from './harness.mjs'

// Only this file's screenshots (plans-*.png); the other browser tests write theirs beside them.
setup({ name: '', shotPrefix: '', clean: (f) => f.startsWith('plans-'), acceptDownloads: true, timeout: 15000, clearCookies: false })
/** Open a menu item of the 规划监测 group (expanding the group when collapsed). */
const menu = menuIn('规划监测')

async function settled() {
  await page.locator('.el-loading-mask').first().waitFor({ state: 'hidden' }).catch(() => {})
}

/** The data row of table `test` containing `text`. */
function row(test, text) {
  return page.locator(`[data-test=${test}] .el-table__body-wrapper tbody tr.el-table__row`, { hasText: text })
}

async function confirmPlan() {
  await page.locator('[data-test=plan-confirm]').click()
  await page.locator('.el-message-box__btns .el-button--primary').click()
  await page.locator('[data-test=plan-status]', { hasText: '已确认' }).waitFor()
}

async function tab(name) {
  await page.locator('[data-test=plan-tabs] .el-tabs__item', { hasText: name }).click()
  await settled()
}

const problems = []
/** No page error, console error or error toast so far. */
async function clean() {
  for (const t of await page.evaluate(() => window.__errorToasts?.splice(0) ?? [])) problems.push(`error toast: ${t}`)
  assert.deepEqual(problems, [])
}

/** The number of tasks the ledger tab states (“共 N 项”). */
async function taskCount() {
  const t = await page.locator('.tasks-tab .toolbar', { hasText: '共' }).innerText()
  return Number(/共 (\d+) 项/.exec(t)[1])
}

/** Tick the task rows (in the 未开始 table) whose title contains each text. */
async function pickTasks(...texts) {
  for (const text of texts) {
    await row('tasks-todo', text).first().locator('.el-checkbox').click()
  }
}

describe('规划监测', () => {
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

  it('uploads a plan, highlights its targets, rejects one, confirms and shows progress', async () => {
    await login('jiyuan')
    await menu('规划管理')
    await page.locator('[data-test=plans-table]').waitFor()
    const file = join(tmp, '某县科技创新规划.txt')
    writeFileSync(file, '某县“十四五”科技创新规划\n到2025年，全县高新技术企业达到30家，研究与试验发展经费投入强度达到2.5%。\n到2025年，全县技术合同成交额突破5亿。\n', 'utf8')
    await page.locator('[data-test=plan-upload]').click()
    await page.locator('[data-test=upload-file]').setInputFiles(file)
    await page.locator('[data-test=upload-submit]').click()
    await page.waitForURL(/\/plans\/\d+/)
    await page.locator('[data-test=plan-title]', { hasText: '某县“十四五”科技创新规划' }).waitFor()
    assert.equal(await page.locator('[data-test=plan-status]').innerText(), '待确认')

    // Both targets sit in one sentence: one highlight carrying both ids.
    const marks = page.locator('[data-test=plan-text] [data-test=hl]')
    await marks.first().waitFor()
    const hlText = (await marks.allInnerTexts()).join('')
    assert.match(hlText, /高新技术企业达到30家/)
    const ids = (await marks.first().getAttribute('data-ids')).split(',')
    assert.ok(ids.length >= 2, `overlapping targets share the highlight: ${ids}`)
    await marks.first().click()
    await page.locator('[data-test=targets-table] tr.current-row').waitFor()
    await page.locator('[data-test=target-sentence]', { hasText: '高新技术企业达到30家' }).waitFor()
    assert.equal(await row('targets-table', '').count(), 3)
    // What the extractor read, in words: the rules that fired, and how sure it is.
    assert.match(await page.locator('[data-test=target-rule]').innerText(), /识别依据：数值与单位；.*比较词“达到”/)
    assert.equal(await page.locator('[data-test=target-doubt]').count(), 0)
    assert.deepEqual(await page.locator('[data-test=targets-table] [data-test=target-certainty]').allInnerTexts(), ['明确', '明确', '存疑'])
    await assertFits()
    await shot('plans-01-uploaded-targets')
    // “5亿” without 元: read as 亿元, and marked 存疑 with the reason.
    await row('targets-table', '技术合同成交额').click()
    await page.locator('[data-test=target-doubt]', { hasText: '单位按“亿元”推断' }).waitFor()
    await shot('plans-01b-doubt')

    // The reviewed targets export as labelled examples for the extractor's corpus.
    await page.locator('[data-test=plan-gold] button').click()
    const [dl] = await Promise.all([page.waitForEvent('download'), page.locator('[data-test=plan-gold-jsonl]').click()])
    const gold = readFileSync(await dl.path(), 'utf8').trim().split('\n').map((l) => JSON.parse(l))
    assert.equal(gold.length, 3)
    assert.deepEqual(gold.find((g) => g.unit === '家'), { indicator: gold.find((g) => g.unit === '家').indicator, key: 'high_tech_enterprise_count', value: 30, unit: '家', year: 2025, kind: 'target', comparator: 'reach' })

    await row('targets-table', '强度').locator('[data-test=target-reject]').click()
    await page.locator('.el-message', { hasText: '已剔除' }).waitFor()
    await page.waitForFunction(() => document.querySelectorAll('[data-test=targets-table] .el-table__body-wrapper tbody tr.el-table__row').length === 2)
    await row('targets-table', '技术合同成交额').locator('[data-test=target-reject]').click()
    await page.waitForFunction(() => document.querySelectorAll('[data-test=targets-table] .el-table__body-wrapper tbody tr.el-table__row').length === 1)
    await confirmPlan()

    await tab('目标进展')
    const r = row('progress-table', '高新技术企业数')
    await r.locator('[data-test=progress-status]').waitFor()
    // 济源 had 132 高企 in 2025: the uploaded target of 30 is reached.
    assert.equal(await r.locator('[data-test=progress-status]').innerText(), '达标')
    assert.equal(await row('progress-table', '').count(), 1, 'the rejected R&D target is not monitored')
    await shot('plans-02-uploaded-progress')
    await clean()
  })

  it('confirms the demo plan and shows 高新技术企业数 behind target with its explanation, chart and print report', async () => {
    await menu('规划管理')
    await page.locator('[data-test=plan-link]', { hasText: '济源“十四五”科技创新发展规划' }).click()
    await page.locator('[data-test=plan-status]', { hasText: '待确认' }).waitFor()
    assert.ok((await page.locator('[data-test=plan-text] [data-test=hl]').count()) >= 20, 'the demo plan\'s targets are highlighted')
    // Indicators are named in words: the library's name or the plan's own, never a key.
    const keys = await page.locator('[data-test=targets-table] [data-test=target-key]').allInnerTexts()
    assert.ok(keys.length >= 20)
    for (const k of keys) assert.doesNotMatch(k, /[a-z]{2,}/, `an internal key is shown: ${k}`)
    assert.ok(keys.includes('库外：市级工程技术研究中心等各类研发机构'), keys.join(' | '))
    await shot('plans-03-demo-targets')

    // Two sentences state the same coverage target: merge them into one.
    await page.locator('.el-radio-button', { hasText: '仅目标' }).click()
    const cov = row('targets-table', '工业企业研发活动全覆盖')
    assert.equal(await cov.count(), 2)
    await cov.nth(0).locator('.el-checkbox').click()
    await cov.nth(1).locator('.el-checkbox').click()
    await page.locator('[data-test=targets-merge]').click()
    await page.locator('[data-test=merge-submit]').click()
    await page.locator('.el-message', { hasText: '已合并' }).waitFor()
    await page.waitForFunction(() => [...document.querySelectorAll('[data-test=targets-table] .el-table__body-wrapper tbody tr.el-table__row')].filter((r) => r.textContent.includes('工业企业研发活动全覆盖')).length === 1)

    // Correct a value inline.
    await row('targets-table', '瞪羚').locator('[data-test=target-edit]').click()
    const editing = page.locator('[data-test=targets-table] tr.el-table__row:has([data-test=target-save])')
    const value = editing.locator('.el-input-number input').first()
    await value.fill('3')
    await value.press('Tab')
    await editing.locator('[data-test=target-save]').click()
    await page.locator('.el-message', { hasText: '已保存' }).waitFor()
    await row('targets-table', '瞪羚').filter({ hasText: '达到3家' }).waitFor()
    await confirmPlan()

    await tab('目标进展')
    // 2025 has passed: the 高企 target is judged on 2025's value, 132 of 150: 未达标.
    const r = row('progress-table', '高新技术企业数')
    await r.first().locator('[data-test=progress-status]').waitFor()
    assert.equal(await r.first().locator('[data-test=progress-status]').innerText(), '未达标')
    assert.equal(await row('progress-table', '工业企业研发活动').count(), 1, 'the merged duplicate is not monitored')
    const why = await r.first().locator('[data-test=progress-explanation]').innerText()
    assert.equal(why, '2025年实际132家，低于目标150家（差12.0%），状态：未达标')
    // Two targets on the 市级以上研发平台 count (达到340家, 翻一番) are one indicator.
    const platforms = page.locator('[data-test=progress-table] [data-test=progress-indicator]', { hasText: '市级以上研发平台数' })
    assert.equal(await platforms.count(), 1, 'one indicator, shown once')
    assert.match(await platforms.locator('xpath=../..').innerText(), /2 个目标/)
    // No forecast for a year that has passed, so no “约300.23个”.
    assert.equal(await page.locator('[data-test=progress-forecast]').count(), 0)
    assert.doesNotMatch(await page.locator('[data-test=progress-table]').innerText(), /约\d+\.\d+[家个]/)
    // Targets outside the library: a plain reason, and the officer's fix beside it on screen only.
    assert.ok((await page.locator('[data-test=progress-problem]', { hasText: '不在指标库中' }).count()) >= 1)
    assert.ok((await page.locator('[data-test=progress-hint]', { hasText: '目标审核' }).count()) >= 1)
    await r.first().locator('[data-test=progress-chart-toggle]').click()
    await page.locator('[data-test=progress-chart] svg').first().waitFor()
    await shot('plans-04b-progress-chart')
    await page.keyboard.press('Escape')
    await assertFits()
    await shot('plans-04-demo-progress')

    await page.locator('[data-test=progress-print]').click()
    await page.locator('[data-test=print-view] .print-table').waitFor()
    const report = await page.locator('[data-test=print-view]').innerText()
    assert.match(report, /目标进展报告[\s\S]*高新技术企业数[\s\S]*未达标/)
    assert.doesNotMatch(report, /请在|审核时/, 'the leaders\' report carries no review notes')
    assert.equal((report.match(/市级以上研发平台数/g) ?? []).length, 1, 'one indicator, printed once')
    await shot('plans-05-print-report')
    await page.emulateMedia({ media: 'print' })
    assert.equal(await page.locator('#app').isVisible(), false, 'only the report is printed')
    await page.emulateMedia({ media: 'screen' })
    await page.locator('[data-test=print-view] .print-bar .el-button', { hasText: '关' }).click()
    await clean()
  })

  it('drafts only real tasks, and the officer cleans the ledger up in bulk', async () => {
    await tab('工作台账')
    await page.locator('[data-test=tasks-todo]').waitFor()
    // 51 work sentences of the plan, not its 75 headings.
    assert.equal(await taskCount(), 51)
    const titles = await page.locator('[data-test=tasks-todo] [data-test=task-title]').allInnerTexts()
    for (const h of ['发展基础', '指导思想', '基本原则', '主要目标', '国际层面', '加快培育高新技术企业']) {
      assert.ok(!titles.some((t) => t.trim() === h), `a heading is drafted: ${h}`)
    }
    assert.ok(titles.some((t) => t.startsWith('实施科技型中小企业“春笋”计划')))
    await assertFits()
    await shot('plans-06a-ledger-drafted')

    // 合并: two tasks on the same 研究院 become one.
    await pickTasks('加强与省科学院合作', '加快推动河南省科学院济源先进材料研究院建设')
    await page.locator('[data-test=tasks-merge]', { hasText: '合并（2）' }).click()
    const title = page.locator('[data-test=merge-title]')
    await title.fill('建设河南省科学院济源先进材料研究院，组建济源科学院')
    await shot('plans-06b-merge')
    await page.locator('[data-test=tasks-merge-submit]').click()
    await page.locator('.el-message', { hasText: '已将 2 项任务合并为一项' }).waitFor()
    await page.waitForFunction(() => /共 50 项/.test(document.querySelector('.tasks-tab .toolbar')?.textContent ?? ''))
    await row('tasks-todo', '建设河南省科学院济源先进材料研究院，组建济源科学院').waitFor()

    // 批量删除: two tasks the bureau does not track.
    await pickTasks('抓好法治宣传', '鼓励企业参加科技保险')
    await page.locator('[data-test=tasks-delete]', { hasText: '批量删除（2）' }).click()
    await page.locator('.el-message-box__btns .el-button--primary').click()
    await page.locator('.el-message', { hasText: '已删除 2 项任务' }).waitFor()
    await page.waitForFunction(() => /共 48 项/.test(document.querySelector('.tasks-tab .toolbar')?.textContent ?? ''))
    assert.equal(await row('tasks-todo', '抓好法治宣传').count(), 0)

    // 责任单位 from the registry, and a department the registry does not hold as free text.
    await row('tasks-todo', '实施科技型中小企业“春笋”计划').locator('[data-test=task-assign]').click()
    const units = page.locator('[data-test=task-units]')
    await units.click()
    await units.locator('input').fill('济源职业')
    const org = page.locator('.el-select-dropdown__item:visible', { hasText: '济源职业技术学院' })
    await org.first().waitFor()
    assert.equal(await page.locator('.el-select-group__title:visible', { hasText: '单位库' }).count(), 1)
    await org.first().click()
    // The registry has no such unit: wait for the search to answer so before Enter takes the
    // text (otherwise Enter picks the first unit of the list shown before).
    const searched = page.waitForResponse((r) => r.url().includes('/api/v1/organizations?') && decodeURIComponent(r.url()).includes('市发展改革委'))
    await units.locator('input').fill('市发展改革委')
    await searched
    await page.locator('.el-select-group__title:visible', { hasText: '单位库' }).waitFor({ state: 'hidden' })
    await units.locator('input').press('Enter')
    await shot('plans-06c-units')
    await page.locator('.el-dialog__title', { hasText: '修改任务' }).click()
    await page.locator('[data-test=task-save]').click()
    await page.locator('.el-message', { hasText: '已保存' }).waitFor()
    await row('tasks-todo', '实施科技型中小企业“春笋”计划').filter({ hasText: '济源职业技术学院、市发展改革委' }).waitFor()
    await clean()
  })

  it('reports task progress with an evidence file hashed in the browser', async () => {
    await tab('工作台账')
    await page.locator('[data-test=tasks-todo]').waitFor()
    await shot('plans-06-ledger')
    const first = page.locator('[data-test=tasks-todo] .el-table__body-wrapper tbody tr.el-table__row').first()
    const title = (await first.locator('td').nth(1).innerText()).trim()
    await first.locator('[data-test=task-report]').click()
    const evidence = join(tmp, '佐证材料.txt')
    writeFileSync(evidence, 'abc')
    await page.locator('[data-test=report-note]').fill('已完成年度工作方案制定')
    const percent = page.locator('[data-test=report-form] .el-slider .el-input-number input')
    await percent.fill('40')
    await percent.press('Tab')
    await page.locator('[data-test=report-file]').setInputFiles(evidence)
    await page.locator('[data-test=report-sha]', { hasText: 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad' }).waitFor()
    await page.locator('[data-test=report-submit]').click()
    await page.locator('.el-message', { hasText: '进展已报送' }).waitFor()
    const doing = page.locator('[data-test=tasks-doing] .el-table__body-wrapper tbody tr.el-table__row', { hasText: title })
    await doing.first().waitFor()
    await doing.first().locator('[data-test=task-report]').click()
    await page.locator('[data-test=report-history]', { hasText: '已完成年度工作方案制定' }).waitFor()
    await page.locator('[data-test=report-history]', { hasText: '佐证材料.txt' }).waitFor()
    await shot('plans-07-report-history')
    await page.keyboard.press('Escape')
    await clean()
  })

  it('shows the indicator dashboard with entered data and the data-entry dialog', async () => {
    await menu('指标看板')
    await page.locator('[data-test=indicator-card]').first().waitFor()
    await settled()
    assert.ok((await page.locator('[data-test=indicator-card]').count()) >= 10)
    const rd = page.locator('[data-test=indicator-card]', { hasText: '经费投入强度' })
    await rd.locator('svg').first().waitFor()
    await assertFits()
    await shot('plans-08-dashboard')
    await page.locator('[data-test=entry-open]').click()
    await page.locator('[data-test=entry-form]').waitFor()
    const entries = page.locator('.el-dialog .el-table__body-wrapper tbody tr.el-table__row')
    await entries.first().waitFor()
    const before = await entries.count()
    await page.locator('[data-test=entry-value]').fill('8,700,000')
    await page.locator('[data-test=entry-form] .el-form-item', { hasText: '数据来源' }).locator('input').fill('济源市2025年国民经济和社会发展统计公报')
    const date = page.locator('[data-test=entry-form] .el-form-item', { hasText: '发布日期' }).locator('input')
    await date.fill('2026-03-31')
    await date.press('Enter')
    await page.locator('[data-test=entry-save]').click()
    await page.locator('.el-message', { hasText: '已保存' }).waitFor()
    await page.waitForFunction((n) => document.querySelectorAll('.el-dialog .el-table__body-wrapper tbody tr.el-table__row').length === n + 1, before)
    await shot('plans-09-data-entry')
    await page.keyboard.press('Escape')
    await clean()
  })

  it('ranks a province\'s cities with missing data unranked, and shows 济源 its own years', async () => {
    await logout()
    await login('henan')
    await menu('指标排名')
    const rows = page.locator('[data-test=ranking-table] .el-table__body-wrapper tbody tr.el-table__row')
    await rows.first().waitFor()
    await settled()
    const first = await rows.first().innerText()
    assert.match(first, /^1\s+济源市/, first)
    const table = await page.locator('[data-test=ranking-table]').innerText()
    assert.doesNotMatch(table, /省直辖县级行政区划/)
    // Cities without data: 无数据, not a rank of 0.
    assert.doesNotMatch(table, /(^|\s)0\s+第\d/)
    assert.ok((await page.locator('[data-test=ranking-nodata]').count()) > 0)
    assert.match(await rows.last().innerText(), /^未排名/)
    await assertFits()
    await shot('plans-10-ranking')
    await clean()

    await logout()
    await login('jiyuan')
    await menu('指标排名')
    await page.locator('[data-test=ranking-notice]', { hasText: '济源市没有下辖县（市、区）' }).waitFor()
    const years = page.locator('[data-test=ranking-years] .el-table__body-wrapper tbody tr.el-table__row')
    await years.first().waitFor()
    assert.equal(await years.count(), 5)
    const y = new Date().getFullYear() - 1
    assert.match(await years.first().innerText(), new RegExp(`^${y}年\\s+132`))
    assert.equal(await page.locator('[data-test=ranking-table]').count(), 0, 'no empty ranking table')
    await assertFits()
    await shot('plans-11-ranking-own-years')
    await clean()
  })
})
