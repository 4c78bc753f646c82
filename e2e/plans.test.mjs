// Browser test of the 规划监测 pages against the real `kechuang` binary (the same set-up as
// ui.test.mjs: a fresh SQLite file with the 济源 demo, Debian's /usr/bin/chromium driven by
// playwright-core, a 1366×768 window). The demo holds the 济源“十四五” plan in draft with its
// extracted targets and tasks, and entered GDP / R&D figures.
//
//   KECHUANG_BIN   the binary (default: $CARGO_TARGET_DIR/debug/kechuang)
//   CHROMIUM       the browser (default /usr/bin/chromium)
//
// Screenshots go to e2e/output/plans-*.png.
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { assertFits, login, logout, menuIn, page, setup, shot, tmp } from './harness.mjs'

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

describe('规划监测', () => {
  it('uploads a plan, highlights its targets, rejects one, confirms and shows progress', async () => {
    await login('jiyuan')
    await menu('规划管理')
    await page.locator('[data-test=plans-table]').waitFor()
    const file = join(tmp, '某县科技创新规划.txt')
    writeFileSync(file, '某县“十四五”科技创新规划\n到2025年，全县高新技术企业达到30家，研究与试验发展经费投入强度达到2.5%。\n', 'utf8')
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
    assert.equal(await row('targets-table', '').count(), 2)
    await assertFits()
    await shot('plans-01-uploaded-targets')

    await row('targets-table', '强度').locator('[data-test=target-reject]').click()
    await page.locator('.el-message', { hasText: '已剔除' }).waitFor()
    await page.waitForFunction(() => document.querySelectorAll('[data-test=targets-table] .el-table__body-wrapper tbody tr.el-table__row').length === 1)
    await confirmPlan()

    await tab('目标进展')
    const r = row('progress-table', '高新技术企业数')
    await r.locator('[data-test=progress-status]').waitFor()
    assert.match(await r.locator('[data-test=progress-status]').innerText(), /^(达标|正常|滞后|预警)$/)
    assert.equal(await row('progress-table', '').count(), 1, 'the rejected R&D target is not monitored')
    await shot('plans-02-uploaded-progress')
  })

  it('confirms the demo plan and shows 高新技术企业数 behind target with its explanation, chart and print report', async () => {
    await menu('规划管理')
    await page.locator('[data-test=plan-link]', { hasText: '济源“十四五”科技创新发展规划' }).click()
    await page.locator('[data-test=plan-status]', { hasText: '待确认' }).waitFor()
    assert.ok((await page.locator('[data-test=plan-text] [data-test=hl]').count()) >= 20, 'the demo plan\'s targets are highlighted')
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
    const r = row('progress-table', '高新技术企业数')
    await r.first().locator('[data-test=progress-status]').waitFor()
    const status = await r.first().locator('[data-test=progress-status]').innerText()
    assert.match(status, /^(预警|滞后)$/, `高新技术企业数 is ${status}`)
    assert.equal(await row('progress-table', '工业企业研发活动').count(), 1, 'the merged duplicate is not monitored')
    const why = await r.first().locator('[data-test=progress-explanation]').innerText()
    assert.match(why, /目标150家/, why)
    await r.first().locator('[data-test=progress-chart-toggle]').click()
    await page.locator('[data-test=progress-chart] svg').first().waitFor()
    await assertFits()
    await shot('plans-04-demo-progress')

    await page.locator('[data-test=progress-print]').click()
    await page.locator('[data-test=print-view] .print-table').waitFor()
    assert.match(await page.locator('[data-test=print-view]').innerText(), /目标进展报告[\s\S]*高新技术企业数/)
    await shot('plans-05-print-report')
    await page.emulateMedia({ media: 'print' })
    assert.equal(await page.locator('#app').isVisible(), false, 'only the report is printed')
    await page.emulateMedia({ media: 'screen' })
    await page.locator('[data-test=print-view] .print-bar .el-button', { hasText: '关' }).click()
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
  })

  it('ranks a province\'s cities on chosen indicators with a composite', async () => {
    await logout()
    await login('henan')
    await menu('指标排名')
    await page.locator('[data-test=ranking-table] .el-table__body-wrapper tbody tr.el-table__row').first().waitFor()
    await settled()
    const first = page.locator('[data-test=ranking-table] .el-table__body-wrapper tbody tr.el-table__row').first()
    assert.match(await first.innerText(), /^1\b/)
    await assertFits()
    await shot('plans-10-ranking')
  })
})
