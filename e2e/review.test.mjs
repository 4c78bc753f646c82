// Browser test of the 专家评审 pages against the real `kechuang` binary (see ui.test.mjs): a fresh
// SQLite 济源 demo with its draft round “2026年度济源市科技攻关计划项目评审” (24 items).
//
//   city officer jiyuan: 最优匹配 (proven optimal), candidate reasons, a manual addition, 发布
//   expert zhuanjia (卫建华): 我的评审 → scores the item → submits
//   jiyuan: 评审结果 ranks the item with 卫建华's raw score
//
//   KECHUANG_BIN   the binary (default: $CARGO_TARGET_DIR/debug/kechuang)
//   CHROMIUM       the browser (default /usr/bin/chromium)
//   KECHUANG_URL   use an already running server (with the demo, password below) instead
//
// Screenshots go to e2e/output/review-*.png.
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { assertFits, login, logout, menuIn, page, settled, setup, shot, tab, toast } from './harness.mjs'

const ROUND = '2026年度济源市科技攻关计划项目评审'
const ITEM = '高纯铅清洁冶炼关键技术研究'
const EXPERT = '卫建华'
// Scores 卫建华 gives, in form order (技术创新性 30, 技术路线可行性 25, 团队与条件保障 20, 预期经济社会效益 25).
const SCORES = [26.5, 21, 17.5, 20.3]
const TOTAL = '85.3'

setup({ name: 'review', external: true })
const menu = menuIn('专家评审')

async function openRound() {
  await menu('评审轮次')
  await page.locator('[data-test=rounds-table] a', { hasText: ROUND }).click()
  await page.locator('[data-test=round-title]', { hasText: ROUND }).waitFor()
  await settled()
}

describe('专家评审', () => {
  it('officer assigns optimally, explains, adjusts by hand and publishes', async () => {
    await login('jiyuan')
    await menu('评审轮次')
    const round = page.locator('[data-test=rounds-table] tbody tr', { hasText: ROUND })
    await round.waitFor()
    assert.match(await round.innerText(), /准备中/)
    assert.match(await round.innerText(), /24 项/)
    await assertFits()
    await shot('1-rounds')

    await round.locator('a', { hasText: ROUND }).click()
    await page.locator('[data-test=round-title]', { hasText: ROUND }).waitFor()
    await page.locator('[data-test=items-table] tbody tr', { hasText: ITEM }).waitFor()
    assert.equal(await page.locator('[data-test=items-table] tbody tr').count(), 24)
    await assertFits()
    await shot('2-items')

    // 最优匹配: the bound equals the objective, so the page says it is proven optimal.
    await tab('专家分配')
    await page.locator('[data-test=assign-optimal]').click()
    await page.locator('[data-test=proven-optimal]', { hasText: '已证明最优' }).waitFor()
    const summary = await page.locator('[data-test=assign-summary]').innerText()
    const objective = summary.match(/总匹配度\s*([\d.]+)/)?.[1]
    const bound = summary.match(/上界\s*([\d.]+)/)?.[1]
    assert.ok(objective && bound, summary)
    assert.equal(objective, bound, 'bound = objective')
    assert.match(summary, /差距\s*0\.000/)
    const first = page.locator('[data-test=assign-table] tbody tr', { hasText: ITEM })
    await first.locator('text=3 / 3').waitFor()
    await assertFits()
    await shot('3-assign-optimal')

    // The first item's candidates, with reasons; some are excluded (回避).
    await first.locator('button', { hasText: '候选专家' }).click()
    const drawer = page.locator('.el-drawer', { hasText: '候选专家' })
    const cands = drawer.locator('[data-test=candidate-table] tbody tr')
    await cands.filter({ hasText: '已分配（最优匹配）' }).first().waitFor()
    await drawer.locator('[data-test=candidate-status]').click()
    await page.locator('.el-select-dropdown__item:visible', { hasText: /^回避（\d+）$/ }).click()
    await cands.first().waitFor()
    const conflicts = await cands.allInnerTexts()
    assert.ok(conflicts.length >= 1 && conflicts.every((t) => t.includes('回避：')), conflicts.join('\n'))
    await shot('4-candidates-conflicts')

    // Add 卫建华 by hand, with a reason.
    await drawer.locator('[data-test=candidate-status]').click()
    await page.locator('.el-select-dropdown__item:visible', { hasText: /^全部状态（\d+）$/ }).click()
    await drawer.locator('input[data-test=candidate-q], [data-test=candidate-q] input').fill(EXPERT)
    const wei = cands.filter({ hasText: EXPERT })
    await wei.first().waitFor()
    await wei.first().locator('button', { hasText: '加入' }).click()
    const box = page.locator('.el-message-box', { hasText: '加入专家' })
    await box.waitFor()
    await box.locator('.el-message-box__btns .el-button--primary').click()
    await box.locator('.el-message-box__errormsg', { hasText: '请填写调整理由' }).waitFor()
    await box.locator('.el-message-box__input input').fill('该专家长期从事铅冶炼清洁生产研究，增补为评审专家')
    await box.locator('.el-message-box__btns .el-button--primary').click()
    await toast(`已加入 ${EXPERT}`)
    await page.keyboard.press('Escape')
    await drawer.waitFor({ state: 'hidden' })
    await first.locator('.el-tag', { hasText: `${EXPERT}` }).filter({ hasText: '人工调整' }).waitFor()
    assert.match(await first.innerText(), /4 \/ 3/)
    await shot('5-manual-added')

    await tab('回避情况')
    const ex = page.locator('[data-test=exclusions-table] tbody tr')
    await ex.first().waitFor()
    assert.ok((await ex.count()) > 0)
    await assertFits()
    await shot('6-exclusions')

    // 发布, with the status in the confirmation.
    await page.locator('[data-test=round-publish]').click()
    const confirm = page.locator('.el-message-box', { hasText: '发布评审' })
    await confirm.waitFor()
    assert.match(await confirm.innerText(), /当前状态：准备中/)
    await confirm.locator('.el-message-box__btns .el-button--primary').click()
    await page.locator('[data-test=round-status]', { hasText: '评审中' }).waitFor()
    await tab('评审进度')
    await page.locator('[data-test=progress-table] tbody tr', { hasText: EXPERT }).first().waitFor()
    await assertFits()
    await shot('7-published-progress')
    await logout()
  })

  it('expert 卫建华 scores the item', async () => {
    await login('zhuanjia')
    await menu('我的评审')
    const task = page.locator('[data-test=my-table] tbody tr', { hasText: ITEM })
    await task.waitFor()
    assert.match(await task.innerText(), /待评审/)
    assert.match(await task.innerText(), /2026-12-20/)
    await assertFits()
    await shot('8-my-reviews')

    await task.locator('button', { hasText: '评分' }).click()
    const dlg = page.locator('[data-test=score-dialog]')
    await dlg.locator('[data-test=score-form]').waitFor()
    const inputs = dlg.locator('[data-test=score-form] .el-input-number input')
    assert.equal(await inputs.count(), SCORES.length)
    // Submitting with blanks is refused before it reaches the server.
    await dlg.locator('[data-test=score-submit]').click()
    await toast('请为“')
    for (let i = 0; i < SCORES.length; i++) {
      await inputs.nth(i).fill(String(SCORES[i]))
      await inputs.nth(i).press('Tab')
    }
    await dlg.locator('[data-test=score-total]', { hasText: TOTAL }).waitFor()
    await shot('9-scoring')
    await dlg.locator('[data-test=score-submit]').click()
    await toast(`总分 ${TOTAL} 分`)
    await dlg.waitFor({ state: 'hidden' })
    await page.locator('[data-test=my-filter] .el-radio-button', { hasText: '已提交' }).click()
    const done = page.locator('[data-test=my-table] tbody tr', { hasText: ITEM })
    await done.waitFor()
    assert.match(await done.innerText(), /已提交/)
    assert.match(await done.innerText(), new RegExp(`${TOTAL.replace('.', '\\.')} / 100`))
    await logout()
  })

  it('officer sees the item ranked with the raw score', async () => {
    await login('jiyuan')
    await openRound()
    await tab('评审结果')
    const row = page.locator('[data-test=results-table] > .el-table__inner-wrapper > .el-table__body-wrapper tbody tr.el-table__row', { hasText: ITEM })
    await row.waitFor()
    const cells = await row.locator('td').allInnerTexts()
    assert.equal(cells[1].trim(), '1', `rank: ${cells.join(' | ')}`)
    await row.locator('.el-table__expand-icon').click()
    const reviews = page.locator('[data-test=result-reviews] tbody tr', { hasText: EXPERT })
    await reviews.waitFor()
    assert.match(await reviews.innerText(), new RegExp(TOTAL.replace('.', '\\.')))
    await page.locator('[data-test=reviewers-table] tbody tr', { hasText: EXPERT }).waitFor()
    await assertFits()
    await shot('10-results')

    await menu('专家库')
    await page.locator('[data-test=experts-table] tbody tr').first().waitFor()
    await assertFits()
    await shot('11-experts')
  })
})
