// Browser test of 科技特派员 (人才与特派员) against the real `kechuang` binary and a fresh 济源 demo
// (see harness.mjs), every page opened from the menu:
//
//   commissioner `tepai`: 我的服务 shows their selection with the year's 履职进度 and their
//     dispatch; a service log for today of 1 day is saved, listed as 待确认, and a small PNG is
//     uploaded as its evidence (kept with its SHA-256).
//   officer `jiyuan`: 年度考核 runs the previous year (the result says how many got which grade),
//     lists grades and opens one row's explanation and rule; 科技特派员 opens a commissioner with
//     the duty progress sentence, the bars and their dispatches, and one dispatch; 服务日志 opens a
//     log in its drawer; 派驻分布 draws the year's chart by township with its table.
//   a 390-px-wide phone: the menu opens as a drawer from the header and the log form on 我的服务
//   fits the screen (no horizontal scrolling).
//
// Every step fails on a page error, a console error or an unexpected error toast.
// Screenshots go to e2e/output/commissioners-*.png and /tmp/shots-commissioners/.
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { base, login, menuIn, metrics, noProblems, page, settled, setup, shot, tmp, toast, watchProblems } from './harness.mjs'

setup({ name: 'commissioners', acceptDownloads: true })
const menu = menuIn('人才与特派员')
const SHOTS = process.env.KECHUANG_SHOTS ?? '/tmp/shots-commissioners'
mkdirSync(SHOTS, { recursive: true })

const COMMISSIONER = process.env.KECHUANG_COMMISSIONER ?? 'tepai'
const OFFICER = process.env.KECHUANG_PEOPLE_OFFICER ?? 'jiyuan'

/** Both the harness's screenshot (e2e/output) and one in SHOTS. */
async function snap(name, fullPage = false) {
  await shot(name)
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage })
}
async function apiGet(path) {
  const r = await page.request.get(`${base}/api/v1${path}`)
  assert.equal(r.status(), 200, `${path}: ${await r.text()}`)
  return r.json()
}
/** The input of a form field marked data-test=`test` (on the input itself or around it). */
const field = (test) => page.locator(`input[data-test=${test}], textarea[data-test=${test}], [data-test=${test}] input, [data-test=${test}] textarea`).first()
/** Confirm the open message box titled `title`. */
async function confirmBox(title) {
  const box = page.locator('.el-message-box', { hasText: title })
  await box.waitFor()
  await box.locator('.el-message-box__btns .el-button--primary').click()
  await box.waitFor({ state: 'hidden' })
}
/** Today in Asia/Shanghai. */
const today = () => new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10)

// A 1×1 PNG.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64')

describe('科技特派员', () => {
  it('commissioner: 我的服务 — a log for today, 待确认, with a photo as evidence', async () => {
    await watchProblems()
    await login(COMMISSIONER)
    await page.locator('.el-menu').first().waitFor()
    await menu('我的服务')
    await page.waitForURL(/\/people\/my$/)
    await page.locator('[data-test=my-commissioner]').first().waitFor()
    await page.locator('[data-test=log-form]').waitFor()
    await settled()
    const sentence = await page.locator('[data-test=my-progress]').first().innerText()
    assert.match(sentence, /年已确认服务.+天.*年度要求\d+天或\d+次/, sentence)
    assert.ok(await page.locator('[data-test=my-dispatches] .dcard').count() >= 1, 'the commissioner has a dispatch serving now')
    await snap('1-my-service')

    // The dispatch serving now is chosen; the date is today, the days 1.
    const dispatchInput = page.locator('[data-test=log-dispatch] input')
    if (!(await page.locator('[data-test=log-dispatch] .el-select__selected-item:not(.is-transparent)').count())) {
      await page.locator('[data-test=log-dispatch]').click()
      await page.locator('.el-select-dropdown__item:visible').first().click()
    }
    assert.equal(await field('log-date').inputValue(), today())
    assert.equal(await field('log-days').inputValue(), '1')
    await page.locator('[data-test=log-kind]').click()
    await page.locator('.el-select-dropdown__item:visible', { hasText: '技术指导' }).click()
    await field('log-people').fill('12')
    await field('log-households').fill('6')
    const place = field('log-place')
    if (!(await place.inputValue())) await place.fill('大峪镇寺郎腰村')
    const content = `核桃冬季修剪现场指导（e2e ${Date.now() % 100000}）`
    await field('log-content').fill(content)
    assert.ok(await dispatchInput.count())
    await snap('2-log-form')
    await page.locator('[data-test=log-save]').click()
    await toast('服务日志已保存')
    await page.locator('[data-test=log-saved]').waitFor()

    // Listed as 待确认.
    const row = page.locator('[data-test=my-log]', { hasText: content })
    await row.waitFor()
    assert.match(await row.locator('[data-test=my-log-state]').innerText(), /待确认/)
    assert.match(await row.innerText(), new RegExp(`${today()}[\\s\\S]*1 天`))

    // Evidence: a small PNG.
    const file = join(tmp, '现场照片.png')
    writeFileSync(file, PNG)
    await page.locator('[data-test=evidence-upload] input[type=file]').setInputFiles(file)
    await toast('已上传')
    await page.locator('[data-test=saved-evidence]', { hasText: '现场照片.png' }).waitFor()
    assert.match(await page.locator('[data-test=saved-evidence]').innerText(), /SHA-256：[0-9a-f]{64}/)
    await page.locator('[data-test=my-log]', { hasText: content }).filter({ hasText: '佐证 1 个' }).waitFor()
    await page.locator('[data-test=log-saved]').scrollIntoViewIfNeeded()
    await snap('3-log-saved')

    // The server agrees: today's log, 1 day, unconfirmed, one PNG.
    const mine = (await apiGet(`/people/logs?confirmed=pending&size=50`)).items.find((l) => l.content === content)
    assert.ok(mine, 'the log is stored')
    assert.equal(mine.served_on, today())
    assert.equal(mine.days, '1')
    assert.equal(mine.confirmed_on, null)
    assert.equal(mine.evidence.length, 1)
    assert.equal(mine.evidence[0].content_type, 'image/png')

    // Its drawer shows the file with its digest and lets the author delete it while unconfirmed.
    await row.locator('[data-test=my-log-open]').click()
    const drawer = page.locator('[data-test=log-drawer]')
    await drawer.locator('[data-test=evidence-link]', { hasText: '现场照片.png' }).waitFor()
    assert.equal(await drawer.locator('[data-test=evidence-link]').getAttribute('target'), '_blank')
    assert.ok(await drawer.locator('[data-test=log-delete]').isVisible())
    await snap('4-log-drawer')
    await page.keyboard.press('Escape')
    await noProblems()
  })

  it('officer: 年度考核 of last year, a commissioner with progress and dispatches, 服务日志, 派驻分布', async () => {
    await login(OFFICER)
    const lastYear = Number(today().slice(0, 4)) - 1

    await menu('年度考核')
    await page.locator('[data-test=assessments-table]').waitFor()
    await settled()
    assert.match(await page.locator('[data-test=assessments-year]').innerText(), new RegExp(`${lastYear}年度`))
    await page.locator('[data-test=assessments-run]').click()
    await confirmBox(`运行${lastYear}年度考核`)
    const outcome = page.locator('[data-test=assessments-outcome]')
    await outcome.waitFor()
    const said = await outcome.innerText()
    const m = said.match(/已考核(\d+)人：优秀(\d+)、合格(\d+)、不合格(\d+)/)
    assert.ok(m, said)
    assert.ok(Number(m[1]) > 0, 'the demo has commissioners to assess')
    assert.equal(Number(m[1]), Number(m[2]) + Number(m[3]) + Number(m[4]))
    await settled()
    const rows = page.locator('[data-test=assessments-table] tbody tr.el-table__row')
    await rows.first().waitFor()
    const grades = await page.locator('[data-test=assessments-table] [data-test=assessment-grade]').allInnerTexts()
    assert.ok(grades.length > 0 && grades.every((g) => /优秀|合格|不合格/.test(g)), grades.join(','))
    await rows.first().locator('[data-test=assessment-expand]').click()
    const why = page.locator('[data-test=assessment-why]').first()
    await why.waitFor()
    assert.match(await why.innerText(), new RegExp(`考核说明：${lastYear}年经受援方确认的服务`))
    assert.match(await why.innerText(), /考核依据：/)
    await snap('5-assessments')

    // 科技特派员 → the commissioner with the most dispatches of the list's first page.
    await menu('科技特派员')
    await page.locator('[data-test=commissioners-table]').waitFor()
    await settled()
    await page.locator('[data-test=commissioners-table] tbody tr.el-table__row').first().waitFor()
    await snap('6-commissioners')
    // 新增选派: a service team asks for its leader, name and members.
    await page.locator('[data-test=commissioner-add]').click()
    const cf = page.locator('.el-dialog', { has: page.locator('.commissioner-form') })
    await cf.waitFor()
    await cf.locator('[data-test=cf-kind] .el-radio-button', { hasText: '科技特派员服务团' }).click()
    await cf.locator('[data-test=cf-save]').click()
    await page.locator('.el-message', { hasText: '请先完善' }).first().waitFor()
    await cf.locator('.el-form-item__error', { hasText: '请填写服务团名称' }).waitFor()
    await snap('6b-commissioner-form')
    await cf.locator('.el-dialog__footer .el-button', { hasText: '取 消' }).click()
    await cf.waitFor({ state: 'hidden' })
    const firstName = await page.locator('[data-test=commissioner-link]').first().innerText()
    await page.locator('[data-test=commissioner-link]').first().click()
    await page.waitForURL(/\/people\/commissioners\/\d+$/)
    await page.locator('[data-test=commissioner-title]', { hasText: firstName }).waitFor()
    await settled()
    assert.match(await page.locator('[data-test=duty-sentence]').innerText(), /年已确认服务/)
    await page.locator('[data-test=duty-days] .el-progress').waitFor()
    await page.locator('[data-test=duty-visits] .el-progress').waitFor()
    const dispatches = page.locator('[data-test=dispatches-table] tbody tr.el-table__row')
    await dispatches.first().waitFor()
    assert.ok(await page.locator('[data-test=act-dispatch]').isVisible(), 'the officer may dispatch an active commissioner')
    await snap('7-commissioner', true)
    // 新增派驻 opens within the term, in the bureau's own county.
    await page.locator('[data-test=act-dispatch]').click()
    const df = page.locator('[data-test=dispatch-form]')
    await df.locator('.dispatch-form').waitFor()
    await page.waitForFunction(() => document.querySelector('[data-test=df-county] input')?.value?.includes('济源'))
    await snap('7b-dispatch-form')
    await df.locator('.el-dialog__footer .el-button', { hasText: '取 消' }).click()

    // Its dispatch.
    await page.locator('[data-test=dispatch-link]').first().click()
    await page.waitForURL(/\/people\/dispatches\/\d+$/)
    await page.locator('[data-test=dispatch-title]').waitFor()
    await page.locator('[data-test=dispatch-logs]').waitFor()
    await settled()
    assert.ok(await page.locator('[data-test=act-rate]').isVisible(), 'the bureau may record a rating')
    await snap('8-dispatch', true)
    // 满意度评价 of this year, four stars.
    await page.locator('[data-test=act-rate]').click()
    const rd = page.locator('[data-test=rate-dialog]')
    await rd.locator('[data-test=rate-score] .el-rate__item').nth(3).click()
    await field('rate-comment').fill('技术指导及时，农户认可')
    await snap('8b-rate')
    await rd.locator('[data-test=rate-save]').click()
    await toast('评价已保存')
    await page.locator('[data-test=ratings-table] tbody tr', { hasText: '技术指导及时，农户认可' }).waitFor()

    // 服务日志: a log in its drawer.
    await menu('服务日志')
    await page.locator('[data-test=logs-table]').waitFor()
    await settled()
    await page.locator('[data-test=logs-table] tbody tr.el-table__row').first().waitFor()
    await snap('9-logs')
    await page.locator('[data-test=logs-table] [data-test=log-open]').first().click()
    await page.locator('[data-test=log-drawer] [data-test=log-info]').waitFor()
    await snap('10-log-drawer')
    await page.keyboard.press('Escape')
    await page.locator('[data-test=log-drawer]').waitFor({ state: 'hidden' })
    // The commissioner's log of today (a village: the bureau confirms for the 村委会).
    await page.locator('[data-test=logs-confirmed]').click()
    await page.locator('.el-select-dropdown__item:visible', { hasText: '待确认' }).click()
    await page.locator('[data-test=logs-search]').click()
    await settled()
    const pendingRow = page.locator('[data-test=logs-table] tbody tr.el-table__row', { hasText: today() }).first()
    await pendingRow.waitFor()
    await page.locator('[data-test=logs-table] .el-table__fixed-right [data-test=log-confirm-row], [data-test=logs-table] [data-test=log-confirm-row]').first().waitFor()
    const before = (await apiGet('/people/logs?confirmed=pending&size=1')).total
    await page.locator('[data-test=logs-table] [data-test=log-confirm-row]').first().click()
    await confirmBox('确认服务')
    await toast('已确认')
    await settled()
    assert.equal((await apiGet('/people/logs?confirmed=pending&size=1')).total, before - 1)

    // 派驻分布: the chart and the table.
    await menu('派驻分布')
    await page.locator('[data-test=map-table]').waitFor()
    await settled()
    await page.locator('[data-test=map-chart] svg').first().waitFor()
    assert.equal(await page.locator('[data-test=map-chart] svg').count(), 2)
    const mapRows = await page.locator('[data-test=map-table] tbody tr.el-table__row').count()
    const api = await apiGet(`/people/dispatch-map?year=${today().slice(0, 4)}`)
    assert.equal(mapRows, api.length)
    assert.ok(mapRows > 0, 'the demo has dispatches this year')
    await snap('11-map', true)
    await noProblems()
  })

  it('phone: the log form on 我的服务 fits a 390-px screen', async () => {
    await login(COMMISSIONER)
    await page.setViewportSize({ width: 390, height: 844 })
    try {
      // On a phone the menu is a drawer opened from the header.
      await page.locator('[data-test=menu-toggle]').click()
      const drawer = page.locator('[data-test=menu-drawer]')
      await drawer.locator('.el-sub-menu__title', { hasText: '人才与特派员' }).click()
      await drawer.locator('.el-menu-item', { hasText: '我的服务' }).click()
      await page.waitForURL(/\/people\/my$/)
      await page.locator('[data-test=log-form]').waitFor()
      await settled()
      await page.locator('[data-test=log-form-card]').scrollIntoViewIfNeeded()
      const fit = await page.evaluate(() => {
        const card = document.querySelector('[data-test=log-form-card]')
        const form = document.querySelector('[data-test=log-form]')
        const over = [...form.querySelectorAll('input, textarea, .el-select, .el-input-number, .el-date-editor, button')]
          .map((e) => e.getBoundingClientRect())
          .filter((r) => r.width > 0 && (r.right > card.getBoundingClientRect().right + 0.5 || r.left < 0)).length
        return {
          cardScroll: card.scrollWidth - card.clientWidth,
          cardRight: card.getBoundingClientRect().right,
          cardWidth: card.getBoundingClientRect().width,
          over,
          page: Math.max(document.documentElement.scrollWidth, document.body.scrollWidth),
        }
      })
      metrics['390px page scrollWidth'] = fit.page
      metrics['390px form card width'] = Math.round(fit.cardWidth)
      assert.ok(fit.page <= 390, `the page is ${fit.page}px wide on a 390px screen`)
      assert.equal(fit.cardScroll, 0, 'the form card scrolls sideways')
      assert.equal(fit.over, 0, 'a field sticks out of the card')
      assert.ok(fit.cardRight <= 390, `the form card ends at ${fit.cardRight}px`)
      assert.ok(fit.cardWidth >= 300, `the form card is only ${fit.cardWidth}px wide`)
      await snap('12-phone-form')
      await page.locator('[data-test=my-commissioner]').first().scrollIntoViewIfNeeded()
      await snap('13-phone-top')
      await page.locator('[data-test=my-logs]').scrollIntoViewIfNeeded()
      await snap('14-phone-logs')
    } finally {
      await page.setViewportSize({ width: 1366, height: 768 })
    }
    await noProblems()
  })
})
