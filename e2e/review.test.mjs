// Browser test of the 专家评审 pages against the real `kechuang` binary (see harness.mjs): a fresh
// SQLite 济源 demo, whose 2026 公开竞争 round is already assigned and published. A round in
// preparation is therefore made here, through the pages an officer uses:
//
//   city officer jiyuan: 评审轮次 lists the demo round (评审中, 20 项) → 新建评审 (评分表 with its
//     评分要点, 截止日期) → 添加评审对象 (three 冶金 projects, one from 卫建华's own institute) →
//     最优匹配 (proven optimal, 3 / 3 each) → candidates with reasons; on the institute's project
//     its experts are 回避 and 卫建华 cannot be added; on another project 卫建华 is added by
//     hand (refused without a reason, then accepted: 4 / 3 with a warning) and another expert
//     removed (3 / 3 again) → 回避情况 → 发布 (the status in the confirmation) → 评审进度
//   expert zhuanjia (卫建华): 我的评审 → blanks refused → scores → confirms the final submission
//   jiyuan: 评审结果 ranks the item first with 卫建华's raw score; the demo round's 20 items are
//     listed by name and applicant, without internal references
//
//   KECHUANG_BIN   the binary (default: $CARGO_TARGET_DIR/debug/kechuang)
//   CHROMIUM       the browser (default /usr/bin/chromium)
//   KECHUANG_URL   use an already running server (with a fresh demo, password below) instead
//
// Screenshots go to e2e/output/review-*.png.
import { before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { assertFits, context, login, logout, menuIn, page, settled, setup, shot, tab, toast, noProblems, problems, watchProblems } from './harness.mjs'

const DEMO_ROUND = '2026年度济源市科技攻关计划（公开竞争）项目评审'
const ROUND = '2026年度济源市有色金属产业技术攻关项目评审'
const EXPERT = '卫建华'
const INSTITUTE = '河南理工大学济源研究院'
// The items, each with the search text that finds its 申报单位 in the unit picker. The first is
// from 卫建华's institute (he and his colleagues must be 回避); he is added by hand to the third.
const ITEMS = [
  { title: '再生铅冶炼烟气制酸工艺优化', org: INSTITUTE, disciplines: '冶金工程', keywords: '铅冶炼、清洁冶炼' },
  { title: '铅锌冶炼渣中稀贵金属综合回收', org: '济源愚公冶金有限责任公司', disciplines: '冶金工程', keywords: '稀贵金属、有色金属回收' },
  { title: '含铅烟尘中有色金属清洁回收', org: '济源玉川冶金股份有限公司', disciplines: '冶金工程', keywords: '有色金属回收、清洁冶炼' },
]
const OWN = ITEMS[0].title
const ITEM = ITEMS[2].title
// The round's due date: 30 days from today in Beijing.
const DUE = new Date(Date.now() + 8 * 3600e3 + 30 * 86400e3).toISOString().slice(0, 10)
// Scores 卫建华 gives, in form order (技术创新性 30, 技术路线可行性 25, 团队与条件保障 20, 预期经济社会效益 25).
const SCORES = [26.5, 21, 17.5, 20.3]
const TOTAL = '85.3'

// review-day.test.mjs's screenshots share the prefix: they are left alone.
setup({ name: 'review', external: true, clean: (f) => f.startsWith('review-') && !f.startsWith('review-day-') })
const menu = menuIn('专家评审')

// Every page error, console error and error toast fails the test that saw it (harness.mjs).

const rows = (test) => page.locator(`[data-test=${test}] > .el-table__inner-wrapper > .el-table__body-wrapper tbody tr.el-table__row`)
const formItem = (scope, label) => scope.locator('.el-form-item', { has: page.locator('.el-form-item__label', { hasText: new RegExp(`^${label}$`) }) })

async function openRound() {
  await menu('评审轮次')
  await page.locator('[data-test=rounds-table] a', { hasText: ROUND }).click()
  await page.locator('[data-test=round-title]', { hasText: ROUND }).waitFor()
  await settled()
}

/** Answer an adjustment prompt: refused without a reason, accepted with one. */
async function giveReason(title, reason, want) {
  const box = page.locator('.el-message-box', { hasText: title })
  await box.waitFor()
  if (want) assert.match(await box.innerText(), want)
  await box.locator('.el-message-box__btns .el-button--primary').click()
  await box.locator('.el-message-box__errormsg', { hasText: '请填写调整理由' }).waitFor()
  await box.locator('.el-message-box__input input').fill(reason)
  await box.locator('.el-message-box__btns .el-button--primary').click()
  await box.waitFor({ state: 'hidden' })
}

describe('专家评审', () => {
  before(watchProblems)

  it('officer creates a round, assigns optimally, explains, adjusts by hand and publishes', async () => {
    // What is wrong but does not stop the officer; reported at the end.
    const defects = []
    await login('jiyuan')
    await menu('评审轮次')
    const demo = page.locator('[data-test=rounds-table] tbody tr', { hasText: DEMO_ROUND })
    await demo.waitFor()
    assert.match(await demo.innerText(), /评审中/)
    assert.match(await demo.innerText(), /20 项/)
    await assertFits()
    await shot('1-rounds')

    // 新建评审: the default 评分表 carries the 评分要点 experts will see.
    await page.locator('[data-test=round-create]').click()
    const dlg = page.locator('.el-dialog', { hasText: '新建评审' })
    await dlg.locator('[data-test=round-form]').waitFor()
    await formItem(dlg, '评审名称').locator('input').fill(ROUND)
    const due = formItem(dlg, '截止日期').locator('input')
    await due.fill(DUE)
    await due.press('Enter')
    assert.equal(await dlg.locator('.c-guide textarea').count(), 4)
    assert.match(await dlg.locator('.c-guide textarea').first().inputValue(), /核心技术的先进性/)
    assert.match(await dlg.innerText(), /合计满分 100 分/)
    await shot('2-new-round')
    await dlg.locator('.el-dialog__footer .el-button--primary').click()
    await toast('评审已创建')
    await page.locator('[data-test=round-title]', { hasText: ROUND }).waitFor()
    await page.locator('[data-test=round-status]', { hasText: '准备中' }).waitFor()

    // 添加评审对象: three projects with their 申报单位 (used for 回避).
    await page.locator('[data-test=items-add]').click()
    const items = page.locator('.el-dialog', { hasText: '添加评审对象' })
    const editor = items.locator('[data-test=items-editor] .el-table__body-wrapper tbody tr')
    await editor.first().waitFor()
    for (let i = 0; i < ITEMS.length; i++) {
      if (i > 0) await items.locator('button', { hasText: '添加一行' }).click()
      const row = editor.nth(i)
      const inputs = row.locator('td .el-input:not(.el-select *) input')
      await inputs.nth(0).fill(ITEMS[i].title)
      await row.locator('[data-test=org-select]').click()
      await page.keyboard.type(ITEMS[i].org)
      await page.locator('.el-select-dropdown:visible .el-select-dropdown__item', { hasText: ITEMS[i].org }).first().click()
      await inputs.nth(2).fill(ITEMS[i].disciplines)
      await inputs.nth(3).fill(ITEMS[i].keywords)
    }
    await shot('3-add-items')
    await items.locator('.el-dialog__footer .el-button--primary').click()
    await toast(`已添加 ${ITEMS.length} 个评审对象`)
    await items.waitFor({ state: 'hidden' })
    const listed = rows('items-table')
    await listed.filter({ hasText: ITEM }).waitFor()
    assert.equal(await listed.count(), ITEMS.length)
    assert.match(await listed.filter({ hasText: OWN }).innerText(), new RegExp(INSTITUTE))
    await assertFits()
    await shot('4-items')

    // Before any assignment nobody is 未入选.
    await tab('专家分配')
    const assignRow = (title) => rows('assign-table').filter({ hasText: title })
    await assignRow(ITEM).locator('button', { hasText: '候选专家' }).click()
    const drawer = page.locator('.el-drawer', { hasText: '候选专家' })
    const cands = drawer.locator('[data-test=candidate-table] tbody tr')
    await cands.filter({ hasText: '尚未分配' }).first().waitFor()
    assert.ok(!(await cands.allInnerTexts()).join('\n').includes('未入选'), 'nobody is 未入选 before the assignment')
    await drawer.locator('.el-drawer__close-btn').click()
    await drawer.waitFor({ state: 'hidden' })

    // 最优匹配: the bound equals the objective, so the page says it is proven optimal.
    await page.locator('[data-test=assign-optimal]').click()
    await page.locator('[data-test=proven-optimal]', { hasText: '已证明最优' }).waitFor()
    const summary = await page.locator('[data-test=assign-summary]').innerText()
    const objective = summary.match(/总匹配度\s*([\d.]+)/)?.[1]
    const bound = summary.match(/上界\s*([\d.]+)/)?.[1]
    assert.ok(objective && bound, summary)
    assert.equal(objective, bound, 'bound = objective')
    assert.match(summary, /差距\s*0\.000/)
    for (const it of ITEMS) await assignRow(it.title).locator('text=3 / 3').waitFor()
    // Nobody from the institute reviews its own project.
    const own = await assignRow(OWN).locator('[data-test=assigned-expert]').allInnerTexts()
    assert.equal(own.length, 3)
    assert.ok(own.every((t) => !t.includes(INSTITUTE)), own.join(' | '))
    await assertFits()
    await shot('5-assign-optimal')

    // The institute's project: its experts are 回避 with the reason, and 卫建华 cannot be added.
    await assignRow(OWN).locator('button', { hasText: '候选专家' }).click()
    await drawer.locator('.el-drawer__title', { hasText: OWN }).waitFor()
    await cands.filter({ hasText: '已分配' }).first().waitFor()
    const chosen = await cands.filter({ hasText: '已分配' }).allInnerTexts()
    assert.equal(chosen.length, 3)
    assert.ok(chosen.every((t) => /已分配（最优匹配）：在可选专家中排第\d+/.test(t)), chosen.join('\n'))
    await drawer.locator('[data-test=candidate-status]').click()
    await page.locator('.el-select-dropdown__item:visible', { hasText: /^回避（\d+）$/ }).click()
    await cands.first().waitFor()
    const conflicts = await cands.allInnerTexts()
    assert.ok(conflicts.length >= 1 && conflicts.every((t) => t.includes('回避：')), conflicts.join('\n'))
    const wei = cands.filter({ hasText: `${EXPERT}（${INSTITUTE}` })
    assert.match(await wei.innerText(), new RegExp(`回避：与申报单位为同一单位（${INSTITUTE}）`))
    assert.ok(await wei.locator('button', { hasText: '加入' }).isDisabled(), '回避 experts cannot be added')
    await shot('6-candidates-conflicts')
    await drawer.locator('.el-drawer__close-btn').click()
    await drawer.waitFor({ state: 'hidden' })

    // Another project: 卫建华 was not chosen; the drawer says why, and he is added by hand.
    await assignRow(ITEM).locator('button', { hasText: '候选专家' }).click()
    await drawer.locator('.el-drawer__title', { hasText: ITEM }).waitFor()
    // Opened for another item, the drawer starts from every candidate of that item.
    const filter = drawer.locator('[data-test=candidate-status]')
    await drawer.locator('.muted', { hasText: '共 ' }).waitFor()
    const kept = (await filter.innerText()).trim()
    if (!kept.startsWith('全部状态')) {
      await shot('7a-stale-filter')
      defects.push(`候选专家 opened for “${ITEM}” keeps the previous item's filter “${kept}”`)
      await filter.click()
      await page.locator('.el-select-dropdown__item:visible', { hasText: /^全部状态（\d+）$/ }).click()
    }
    await drawer.locator('input[data-test=candidate-q], [data-test=candidate-q] input').fill(EXPERT)
    const mine = cands.filter({ hasText: `${EXPERT}（${INSTITUTE}` })
    await mine.waitFor()
    assert.match(await mine.innerText(), /未入选[\s\S]*已入选的专家与本项更相符，改派该专家将使总匹配度降低 [\d.]+ 以上/)
    await mine.locator('button', { hasText: '加入' }).click()
    await giveReason('加入专家', '该专家长期从事铅冶炼清洁生产研究，增补为评审专家', /加入后已有4位专家，超过每项3位的要求/)
    await toast(`已加入 ${EXPERT}`)
    await drawer.locator('[data-test=candidate-quota]', { hasText: '已有4位专家，超过每项3位的要求' }).waitFor()
    await shot('7-manual-added')

    // Over the quota until another expert is taken off, again with a reason.
    await drawer.locator('input[data-test=candidate-q], [data-test=candidate-q] input').fill('')
    const other = cands.filter({ hasText: '已分配' }).filter({ hasNotText: EXPERT }).first()
    const otherName = (await other.locator('td').first().innerText()).replace(/（.*$/, '').trim()
    await other.locator('button', { hasText: '移除' }).click()
    await giveReason('移除专家', '该专家本轮评审任务较重，调出本项')
    await toast(`已移除 ${otherName}`)
    await drawer.locator('[data-test=candidate-quota]').waitFor({ state: 'hidden' })
    await drawer.locator('.el-drawer__close-btn').click()
    await drawer.waitFor({ state: 'hidden' })
    await assignRow(ITEM).locator('[data-test=assigned-expert]', { hasText: `${EXPERT}（${INSTITUTE}` }).filter({ hasText: '人工调整' }).waitFor()
    assert.match(await assignRow(ITEM).innerText(), /3 \/ 3/)
    assert.equal(await page.locator('[data-test=quota-warning]').count(), 0)
    await page.locator('[data-test=assign-adjusted]', { hasText: '已手工调整（调整后不再保证最优）' }).waitFor()
    assert.equal(await page.locator('[data-test=proven-optimal]').count(), 0)
    assert.match(await page.locator('[data-test=assign-summary]').innerText(), /人工调整\s*2 次/)
    await shot('8-manual-adjusted')

    await tab('回避情况')
    const ex = rows('exclusions-table')
    await ex.first().waitFor()
    assert.ok((await ex.count()) > 0)
    await page.locator('.el-input input[placeholder="专家姓名 / 单位"]:visible').fill(EXPERT)
    await page.locator('.muted', { hasText: /^共 1 对回避$/ }).waitFor()
    const weiEx = ex.filter({ hasText: `${EXPERT}（${INSTITUTE}` })
    assert.match(await weiEx.innerText(), new RegExp(`${OWN}[\\s\\S]*同一单位`))
    await assertFits()
    await shot('9-exclusions')

    // 发布, with the status in the confirmation.
    await page.locator('[data-test=round-publish]').click()
    const confirm = page.locator('.el-message-box', { hasText: '发布评审' })
    await confirm.waitFor()
    assert.match(await confirm.innerText(), /当前状态：准备中。评审对象 3 项，已分配专家 9 人次/)
    await confirm.locator('.el-message-box__btns .el-button--primary').click()
    await page.locator('[data-test=round-status]', { hasText: '评审中' }).waitFor()
    await tab('评审进度')
    const task = rows('progress-table').filter({ hasText: `${EXPERT}（${INSTITUTE}` })
    await task.waitFor()
    assert.match(await task.innerText(), new RegExp(`${ITEM}[\\s\\S]*人工调整[\\s\\S]*待评审`))
    await assertFits()
    await shot('10-published-progress')
    await noProblems()
    assert.deepEqual(defects, [])
    await logout()
  })

  it('expert 卫建华 scores the item', async () => {
    await login('zhuanjia')
    await menu('我的评审')
    const task = rows('my-table').filter({ hasText: ITEM })
    await task.waitFor()
    assert.match(await task.innerText(), new RegExp(`${ROUND}[\\s\\S]*${DUE}[\\s\\S]*待评审`))
    await assertFits()
    await shot('11-my-reviews')

    await task.locator('[data-test=task-score]').click()
    const dlg = page.locator('[data-test=score-dialog]')
    await dlg.locator('[data-test=score-form]').waitFor()
    const inputs = dlg.locator('[data-test=score-form] .el-input-number input')
    assert.equal(await inputs.count(), SCORES.length)
    assert.equal(await dlg.locator('[data-test=score-guide]').count(), SCORES.length)
    // Submitting with blanks is refused before it reaches the server.
    await dlg.locator('[data-test=score-submit]').click()
    await toast('请为“技术创新性”打分')
    assert.equal(await page.locator('.el-message-box', { hasText: '提交评分' }).count(), 0)
    for (let i = 0; i < SCORES.length; i++) {
      await inputs.nth(i).fill(String(SCORES[i]))
      await inputs.nth(i).press('Tab')
    }
    await dlg.locator('[data-test=score-total]', { hasText: TOTAL }).waitFor()
    await shot('12-scoring')
    await dlg.locator('[data-test=score-submit]').click()
    const box = page.locator('.el-message-box', { hasText: '提交评分' })
    await box.waitFor()
    assert.match(await box.innerText(), new RegExp(`总分 ${TOTAL.replace('.', '\\.')} / 100 分。评分提交后不能修改`))
    await box.locator('.el-message-box__btns .el-button--primary').click()
    await toast(`总分 ${TOTAL} 分`)
    await dlg.waitFor({ state: 'hidden' })
    await page.locator('[data-test=my-filter] .el-radio-button', { hasText: '已提交' }).click()
    const done = rows('my-table').filter({ hasText: ITEM })
    await done.waitFor()
    assert.match(await done.innerText(), /已提交/)
    assert.match(await done.innerText(), new RegExp(`${TOTAL.replace('.', '\\.')} / 100`))
    await shot('13-submitted')
    await noProblems()
    await logout()
  })

  it('officer sees the item ranked with the raw score', async () => {
    await login('jiyuan')
    await openRound()
    await tab('评审结果')
    const row = rows('results-table').filter({ hasText: ITEM })
    await row.waitFor()
    const cells = await row.locator('td').allInnerTexts()
    assert.equal(cells[1].trim(), '1', `rank: ${cells.join(' | ')}`)
    assert.match(await page.locator('.toolbar', { hasText: '已提交评分' }).innerText(), /已提交评分 1 \/ 9 份/)
    await row.locator('.el-table__expand-icon').click()
    const reviews = page.locator('[data-test=result-reviews] tbody tr', { hasText: EXPERT })
    await reviews.waitFor()
    assert.match(await reviews.innerText(), new RegExp(TOTAL.replace('.', '\\.')))
    await page.locator('[data-test=reviewers-table] tbody tr', { hasText: EXPERT }).waitFor()
    await assertFits()
    await shot('14-results')

    await menu('专家库')
    await page.locator('[data-test=experts-table] tbody tr').first().waitFor()
    await assertFits()
    await shot('15-experts')
    await noProblems()
  })

  it('officer reads the demo round’s items by name and applicant, without internal references', async () => {
    await menu('评审轮次')
    await page.locator('[data-test=rounds-table] a', { hasText: DEMO_ROUND }).click()
    await page.locator('[data-test=round-title]', { hasText: DEMO_ROUND }).waitFor()
    await settled()
    const items = rows('items-table')
    await items.filter({ hasText: '高纯铅清洁冶炼关键技术研究' }).waitFor()
    assert.equal(await items.count(), 20)
    await shot('16-demo-items')
    const text = (await items.allInnerTexts()).join('\n')
    assert.doesNotMatch(text, /application:\d+/, 'the 编号 column shows the internal reference “application:<id>”')
    await noProblems()
  })
})
