// Browser test of the expert's review day against the real `kechuang` binary (see harness.mjs): the
// 济源 demo's 2026 公开竞争 round is published, its items are the call's applications (each with
// a PDF 可行性研究报告), and every expert but 卫建华 (account zhuanjia) has scored.
//
//   expert zhuanjia: 我的评审 → 查看申报书 (budget in 万元, milestones, the PDF) → downloads the PDF
//                    → 评分 with each criterion's 评分要点 → 暂存 two scores → reopens: restored →
//                    提交 (confirmed as final) → downloads his 评审意见表 (.docx)
//   city officer jiyuan: the round lists every expert with the unit beside the name, the
//                    candidates speak 学科相符程度, 评审结果 exports the 评审意见汇总表 (.xlsx);
//                    in a new round, candidates read 尚未分配 before the assignment, and a hand
//                    addition beyond the quota is warned about and replaces the 已证明最优 badge
//
// Not in scripts/test: run it on its own (KECHUANG_BIN, KECHUANG_WEB_DIST as for the others).
// Screenshots go to e2e/output/review-day-*.png.
import { before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { assertFits, base, context, login, logout, menuIn, page, settled, setup, shot, tab, tmp, toast, noProblems, problems, watchProblems } from './harness.mjs'
import { unzipTexts } from './xlsx.mjs'

const ROUND = '2026年度济源市科技攻关计划（公开竞争）项目评审'
const EXPERT = '卫建华'

setup({ name: 'review-day', external: true, acceptDownloads: true })
const menu = menuIn('专家评审')

// Every page error, console error and error toast fails the test that saw it (harness.mjs).

/** Click `trigger`, save the download under tmp and return its bytes and suggested name. */
async function downloaded(trigger, name) {
  const [dl] = await Promise.all([page.waitForEvent('download'), trigger.click()])
  const file = join(tmp, name)
  await dl.saveAs(file)
  return { bytes: readFileSync(file), name: dl.suggestedFilename() }
}

const rows = (test) => page.locator(`[data-test=${test}] > .el-table__inner-wrapper > .el-table__body-wrapper tbody tr.el-table__row`)

describe('专家评审：专家的一天', () => {
  let item = ''
  before(watchProblems)

  it('expert 卫建华 reads the application, saves a draft, submits and downloads the opinion', async () => {
    await login('zhuanjia')
    await menu('我的评审')
    const tasks = rows('my-table').filter({ hasText: ROUND })
    await tasks.first().waitFor()
    assert.ok((await tasks.count()) >= 1, 'zhuanjia has tasks in the 2026 round')
    const task = tasks.first()
    assert.match(await task.innerText(), /待评审/)
    item = (await task.locator('td').first().innerText()).replace(/（.*$/, '').trim()
    assert.ok(item, 'the task names its application')
    await assertFits()
    await shot('1-my-reviews')

    // 查看申报书: read-only, with the budget in 万元, the milestones and the PDF.
    await task.locator('[data-test=task-read]').click()
    const drawer = page.locator('.el-drawer', { hasText: `申报书 — ${item}` })
    await drawer.locator('[data-test=object-budget] tbody tr').first().waitFor()
    assert.match(await drawer.locator('[data-test=object-info]').innerText(), /申请经费\s+[\d,]+\.\d\d 万元/)
    const budget = await drawer.locator('[data-test=object-budget]').innerText()
    assert.match(budget, /金额（万元）/)
    assert.match(budget, /设备费\s+[\d,]+\.\d\d/)
    assert.match(budget, /合计\s+[\d,]+\.\d\d/)
    const milestones = await drawer.locator('[data-test=object-milestones]').innerText()
    assert.match(milestones, /关键技术攻关完成[\s\S]*\d{4}-06-30[\s\S]*申请发明专利/)
    assert.match(await drawer.locator('[data-test=object-open-until]').innerText(), /可查阅至 \d{4}-\d\d-\d\d/)
    const pdfRow = drawer.locator('[data-test=object-attachments] tbody tr', { hasText: '.pdf' }).first()
    await pdfRow.waitFor()
    const pdfName = (await pdfRow.locator('td').first().innerText()).trim()
    assert.match(pdfName, /^可行性研究报告-.+\.pdf$/)
    await shot('2-application')
    const pdf = await downloaded(pdfRow.locator('[data-test=object-download]'), 'attachment.pdf')
    assert.equal(pdf.bytes.subarray(0, 4).toString('latin1'), '%PDF')
    assert.equal(pdf.name, pdfName)
    await page.keyboard.press('Escape')
    await drawer.waitFor({ state: 'hidden' })

    // 评分: the guidance beside each criterion; 暂存 two scores.
    await task.locator('[data-test=task-score]').click()
    const dlg = page.locator('[data-test=score-dialog]')
    await dlg.locator('[data-test=score-form]').waitFor()
    const guides = dlg.locator('[data-test=score-guide]')
    assert.equal(await guides.count(), 4)
    assert.match(await guides.first().innerText(), /评分要点\s*核心技术的先进性/)
    const inputs = dlg.locator('[data-test=score-form] .el-input-number input')
    assert.equal(await inputs.count(), 4)
    for (const [i, v] of [[0, '26'], [1, '21']]) {
      await inputs.nth(i).fill(v)
      await inputs.nth(i).press('Tab')
    }
    await dlg.locator('[data-test=score-total]', { hasText: '47' }).waitFor()
    await dlg.locator('[data-test=score-draft]').click()
    await toast('已暂存')
    await dlg.locator('[data-test=score-saved]', { hasText: /已暂存 \d\d:\d\d/ }).waitFor()
    await shot('3-draft-saved')
    await dlg.locator('.el-dialog__footer button', { hasText: '取 消' }).click()
    await dlg.waitFor({ state: 'hidden' })
    await task.locator('[data-test=task-draft]', { hasText: /已暂存 \d\d:\d\d/ }).waitFor()
    await shot('4-list-draft')

    // Reopened, the draft is back; the rest is filled and submitted after the confirmation.
    await task.locator('[data-test=task-score]').click()
    await dlg.locator('[data-test=score-form]').waitFor()
    assert.deepEqual(await inputs.evaluateAll((l) => l.map((i) => i.value)), ['26.0', '21.0', '', ''])
    // The application can be read from inside the dialog, which stays as it was.
    await dlg.locator('[data-test=score-read]').click()
    await drawer.locator('[data-test=object-milestones] tbody tr').first().waitFor()
    await shot('5a-read-from-dialog')
    await drawer.locator('.el-drawer__close-btn').click()
    await drawer.waitFor({ state: 'hidden' })
    assert.ok(await dlg.locator('[data-test=score-form]').isVisible())
    for (const [i, v] of [[2, '17'], [3, '20.5']]) {
      await inputs.nth(i).fill(v)
      await inputs.nth(i).press('Tab')
    }
    await dlg.locator('textarea').fill('技术路线清晰，中试方案可行；建议补充设备费明细。')
    await dlg.locator('[data-test=score-total]', { hasText: '84.5' }).waitFor()
    await shot('5-scoring')
    await dlg.locator('[data-test=score-submit]').click()
    const box = page.locator('.el-message-box', { hasText: '提交评分' })
    await box.waitFor()
    assert.match(await box.innerText(), /总分 84\.5 \/ 100 分。评分提交后不能修改/)
    await shot('6-submit-confirm')
    await box.locator('.el-message-box__btns .el-button--primary').click()
    await toast('评分已提交，总分 84.5 分')
    await dlg.waitFor({ state: 'hidden' })

    await page.locator('[data-test=my-filter] .el-radio-button', { hasText: '已提交' }).click()
    const done = rows('my-table').filter({ hasText: item })
    await done.first().waitFor()
    assert.match(await done.first().innerText(), /已提交[\s\S]*84\.5 \/ 100/)
    await assertFits()
    await shot('7-submitted')
    const docx = await downloaded(done.first().locator('[data-test=task-opinion]'), 'opinion.docx')
    assert.equal(docx.bytes.subarray(0, 2).toString('latin1'), 'PK')
    const words = [...unzipTexts(docx.bytes).values()].join('\n')
    for (const want of [item, EXPERT, '84.5', '建议补充设备费明细']) assert.ok(words.includes(want), `评审意见表 lacks ${want}`)
    await noProblems()
    await logout()
  })

  it('officer sees units beside expert names and exports the 评审意见汇总表', async () => {
    await login('jiyuan')
    await menu('评审轮次')
    await page.locator('[data-test=rounds-table] a', { hasText: ROUND }).click()
    await page.locator('[data-test=round-title]', { hasText: ROUND }).waitFor()
    await settled()

    await tab('专家分配')
    const tags = page.locator('[data-test=assigned-expert]')
    await tags.first().waitFor()
    const names = await tags.allInnerTexts()
    assert.ok(names.length >= 20, `${names.length} assigned experts`)
    // "卫建华（济源…）· 高": every expert with the unit in brackets.
    const bare = names.filter((t) => !/^\S+（[^）]+）/.test(t.trim()))
    assert.deepEqual(bare, [], 'experts listed without their unit')
    assert.ok(names.some((t) => t.startsWith(`${EXPERT}（`)), names.join(' | '))
    // The demo gave 卫建华 his tasks by hand: the solver's certificate no longer applies.
    await page.locator('[data-test=assign-adjusted]', { hasText: '已手工调整（调整后不再保证最优）' }).waitFor()
    assert.equal(await page.locator('[data-test=proven-optimal]').count(), 0)
    assert.doesNotMatch(await page.locator('[data-test=assign-summary] .stat').allInnerTexts().then((t) => t.join(' ')), /上界|差距/)
    await assertFits()
    await shot('8-round-experts')

    // Candidates in an officer's words: 学科相符程度, no "匹配度较低".
    await rows('assign-table').filter({ hasText: item }).locator('button', { hasText: '候选专家' }).click()
    const drawer = page.locator('.el-drawer', { hasText: '候选专家' })
    const cands = drawer.locator('[data-test=candidate-table] tbody tr')
    await cands.first().waitFor()
    const candText = (await cands.allInnerTexts()).join('\n')
    assert.ok(!candText.includes('匹配度较低'), 'no 匹配度较低')
    assert.match(candText, new RegExp(`${EXPERT}（[^）]+）`))
    assert.match(await drawer.locator('thead').first().innerText(), /学科相符程度/)
    await shot('9-candidates')
    await page.keyboard.press('Escape')
    await drawer.waitFor({ state: 'hidden' })

    await tab('回避情况')
    const ex = rows('exclusions-table')
    await ex.first().waitFor()
    for (const t of await ex.allInnerTexts()) assert.match(t, /\S+（[^）]+）/, `exclusion without a unit: ${t}`)
    await shot('10-exclusions')

    await tab('评审进度')
    const mine = rows('progress-table').filter({ hasText: `${EXPERT}（` }).filter({ hasText: item })
    await mine.first().waitFor()
    assert.match(await mine.first().innerText(), /已提交[\s\S]*84\.5/)
    await assertFits()
    await shot('11-progress')

    await tab('评审结果')
    await rows('results-table').first().waitFor()
    await assertFits()
    await shot('12-results')
    const xlsx = await downloaded(page.locator('[data-test=results-export]'), 'summary.xlsx')
    assert.equal(xlsx.bytes.subarray(0, 2).toString('latin1'), 'PK')
    assert.match(xlsx.name, /^评审意见汇总表_.+\.xlsx$/)
    const sheet = [...unzipTexts(xlsx.bytes).values()].join('\n')
    for (const want of [item, EXPERT]) assert.ok(sheet.includes(want), `汇总表 lacks ${want}`)
    await noProblems()
  })

  it('officer: before the assignment nobody is 未入选; a hand addition over the quota is warned about', async () => {
    // A fresh round with two items, made through the API the 新建评审 dialog uses.
    const id = await page.evaluate(async () => {
      const me = await (await fetch('/api/v1/auth/me')).json()
      const post = async (url, body) => {
        const r = await fetch(`/api/v1${url}`, { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': me.csrf_token }, body: JSON.stringify(body) })
        if (!r.ok) throw new Error(await r.text())
        return r.json()
      }
      const round = await post('/review/rounds', {
        title: '2026年度济源市环保专项评审', object_kind: 'other', reviewers_per_item: 2, max_load: 5, exclude_same_county: false,
        form: [{ key: 'innovation', label: '技术创新性', max: 50, guide: '核心技术是否先进' }, { key: 'benefit', label: '预期效益', max: 50 }],
      })
      await post(`/review/rounds/${round.id}/items`, { items: [
        { title: '铅冶炼烟气深度治理', disciplines: ['冶金工程'], keywords: ['铅冶炼', '有色金属回收'] },
        { title: '薄皮核桃品种选育', disciplines: ['农学'], keywords: ['核桃'] },
      ] })
      return round.id
    })
    await page.goto(`${base}/review/rounds/${id}`)
    await page.locator('[data-test=round-title]', { hasText: '环保专项评审' }).waitFor()
    await tab('专家分配')
    const lead = rows('assign-table').filter({ hasText: '铅冶炼烟气深度治理' })
    await lead.locator('button', { hasText: '候选专家' }).click()
    const drawer = page.locator('.el-drawer', { hasText: '候选专家' })
    const cands = drawer.locator('[data-test=candidate-table] tbody tr')
    await cands.first().waitFor()
    const before = (await cands.allInnerTexts()).join('\n')
    assert.match(before, /尚未分配/)
    for (const wrong of ['未入选', '匹配度较低', '匹配度1.000']) assert.ok(!before.includes(wrong), `before any assignment: ${wrong}`)
    await shot('13-candidates-before')
    await page.keyboard.press('Escape')
    await drawer.waitFor({ state: 'hidden' })

    await page.locator('[data-test=assign-optimal]').click()
    await page.locator('[data-test=proven-optimal]', { hasText: '已证明最优' }).waitFor()
    await lead.locator('text=2 / 2').waitFor()
    await lead.locator('button', { hasText: '候选专家' }).click()
    const spare = cands.filter({ hasText: '未入选' }).first()
    await spare.waitFor()
    const name = (await spare.locator('td').first().innerText()).trim()
    await spare.locator('button', { hasText: '加入' }).click()
    const box = page.locator('.el-message-box', { hasText: '加入专家' })
    await box.waitFor()
    assert.match(await box.innerText(), /加入后已有3位专家，超过每项2位的要求/)
    await shot('14-add-over-quota')
    await box.locator('.el-message-box__input input').fill('该专家熟悉铅冶炼烟气治理，增补评审')
    await box.locator('.el-message-box__btns .el-button--primary').click()
    await toast(`已加入 ${name.replace(/（.*$/, '')}`)
    await drawer.locator('[data-test=candidate-quota]', { hasText: '已有3位专家，超过每项2位的要求' }).waitFor()
    await page.keyboard.press('Escape')
    await drawer.waitFor({ state: 'hidden' })
    await page.locator('[data-test=quota-warning]', { hasText: '“铅冶炼烟气深度治理”已有3位专家，超过每项2位的要求' }).waitFor()
    await page.locator('[data-test=assign-adjusted]', { hasText: '已手工调整（调整后不再保证最优）' }).waitFor()
    assert.equal(await page.locator('[data-test=proven-optimal]').count(), 0)
    await lead.locator('text=3 / 2').waitFor()
    await assertFits()
    await shot('15-adjusted')
    await noProblems()
  })
})
