// Browser test of 科技成果 on the technology market (issue 15) against the real `kechuang` binary
// and a fresh 济源 demo (see harness.mjs), each role from its home page, through the menu:
//
//   enterprise qiye: 成果管理 → 新增成果: a patent number with a wrong check digit is refused on
//     its row with the expected digit; corrected, saved and submitted for review. In the 成果大厅
//     it finds another organization's achievement in public notice and raises an objection.
//   It finds the achievements the matching suggests for its own demand in the 需求大厅, with why.
//   officer jiyuan: home lists 科技成果待审核; approves qiye's achievement into the 15-day public
//     notice, where its page lists the 意向企业 of its industry's 大类 (C32); resolves the
//     objection (不成立); listing is still refused with the rule's reason (the notice period is
//     not over), while an achievement whose notice ended is listable. In the 需求大厅 a demand's
//     匹配推荐 also suggests experts (with the words they share with it) and 高校院所.
//
// Every step fails on a page error, a console error or an unexpected error toast.
// Screenshots go to e2e/output/achievements-*.png.
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { login, menuIn, noProblems, page, settled, setup, shot, watchProblems } from './harness.mjs'

setup({ name: 'achievements' })
const menu = menuIn('技术市场')
const TITLE = '铅膏低温脱硫预处理技术'
const OBJECTED = '锌冶炼渣有价金属综合回收工艺'

const input = (test) => page.locator(`input[data-test=${test}], textarea[data-test=${test}], [data-test=${test}] input, [data-test=${test}] textarea`).first()
async function choose(test, text) {
  await page.locator(`[data-test=${test}]`).first().click()
  await page.locator('.el-select-dropdown__item:visible', { hasText: text }).first().click()
}
async function openFromTable(text) {
  await input('achievements-q').fill(text)
  await page.locator('[data-test=achievements-search]').click()
  await settled()
  const row = page.locator('[data-test=achievements-table] tbody tr', { hasText: text }).first()
  await row.waitFor()
  await row.locator('a', { hasText: text }).click()
  await page.waitForURL(/\/market\/achievements\/\d+$/)
  await page.locator('[data-test=achievement-title]').waitFor()
  await settled()
}

describe('科技成果：发布、审核公示、异议与挂牌', () => {
  it('qiye: publishes an achievement, a wrong patent check digit is caught, and submits it', async () => {
    await watchProblems()
    await login('qiye')
    await menu('成果管理')
    await page.locator('[data-test=achievements-table]').waitFor()
    await settled()
    await page.locator('[data-test=achievement-add]').click()
    const form = page.locator('[data-test=achievement-form]')
    await form.waitFor()
    await input('af-title').fill(TITLE)
    await choose('af-area', '新材料')
    // Its industry's 大类 (C32 有色金属冶炼) is what 意向企业 are found by once it is on the market.
    await page.locator('[data-test=af-industry]').click()
    await page.keyboard.type('有色金属冶炼')
    await page.locator('.el-select-dropdown__item:visible', { hasText: '（C32）' }).first().click()
    await page.locator('[data-test=af-industry]', { hasText: '有色金属冶炼和压延加工业' }).waitFor()
    await page.locator('[data-test=af-keywords]').click()
    await page.keyboard.type('再生铅')
    await page.locator('.el-select-dropdown__item:visible', { hasText: '再生铅' }).first().waitFor()
    await page.keyboard.press('Enter')
    await page.keyboard.press('Escape')
    await page.locator('[data-test=af-keywords] .el-tag', { hasText: '再生铅' }).waitFor()
    await input('af-summary').fill('铅膏低温脱硫后再熔炼，二氧化硫排放降低六成，适用于再生铅企业。')
    await choose('af-trl', 'TRL 6')
    await page.locator('[data-test=af-modes] .el-checkbox', { hasText: '转让' }).first().click()
    await page.locator('[data-test=af-ip-add]').click()
    await choose('af-ip-kind-0', '发明专利')
    await input('af-ip-number-0').fill('ZL201910123456.3')
    await page.locator('[data-test=af-save]').click()
    await form.locator('.el-form-item__error', { hasText: 'X' }).first().waitFor()
    await shot('1-patent-error')
    await input('af-ip-number-0').fill('ZL201910123456.X')
    await page.locator('[data-test=af-save]').click()
    await page.waitForURL(/\/market\/achievements\/\d+$/)
    await page.locator('[data-test=achievement-status]', { hasText: '草稿' }).waitFor()
    await page.locator('[data-test=act-submit]').click()
    const box = page.locator('.el-message-box')
    if (await box.isVisible().catch(() => false)) await box.locator('.el-message-box__btns .el-button--primary').click()
    await page.locator('[data-test=achievement-status]', { hasText: '待审核' }).waitFor()
    await shot('2-submitted')
    await noProblems()
  })

  it('qiye: objects from the 成果大厅 to an achievement in public notice', async () => {
    await menu('成果大厅')
    await settled()
    await page.locator('[data-test=hall-cards]').waitFor()
    await input('achievements-q').fill('锌冶炼')
    await page.locator('[data-test=achievements-search]').click()
    await settled()
    assert.equal(await page.locator('[data-test=hall-card]').count(), 1)
    await shot('2b-hall')
    await page.locator('[data-test=hall-card]', { hasText: OBJECTED }).click()
    await page.waitForURL(/\/market\/achievements\/\d+$/)
    await settled()
    await page.locator('[data-test=achievement-notice]').waitFor()
    await page.locator('[data-test=act-object]').click()
    const dlg = page.locator('[data-test=move-object]')
    await dlg.waitFor()
    await dlg.locator('textarea').fill('该工艺使用的萃取剂配方与我公司在先技术秘密相同，请核实权属')
    await dlg.locator('[data-test=move-ok]').click()
    await page.locator('[data-test=objections]', { hasText: '萃取剂配方' }).waitFor()
    await shot('3-objection')
    await noProblems()
  })

  it('qiye: 需求大厅 suggests achievements for its demand, each with its reasons', async () => {
    await menu('需求大厅')
    await page.locator('[data-test=demands-table]').waitFor()
    await settled()
    await input('demands-q').fill('脱硫')
    await page.locator('[data-test=demands-search]').click()
    await settled()
    const row = page.locator('[data-test=demands-table] tbody tr', { hasText: '铅冶炼烟气深度脱硫脱硝技术需求' }).first()
    await row.waitFor()
    await row.locator('[data-test=demand-match]').click()
    const drawer = page.locator('[data-test=demand-matches]')
    const first = drawer.locator('[data-test=match-row]').first()
    await first.waitFor()
    const text = await first.innerText()
    assert.match(text, /冶炼烟气深度脱硫脱硝一体化技术/)
    assert.match(text, /技术领域相同/)
    assert.match(text, /共同词|关键词相同/)
    // The draft and the not-yet-reviewed achievements are never suggested.
    assert.doesNotMatch(await drawer.innerText(), /冶炼车间智能巡检机器人|碳化硅功率模块/)
    await shot('3b-demand-matches')
    await page.keyboard.press('Escape')
    await noProblems()
  })

  it('jiyuan: approves into public notice, resolves the objection, and listing waits for the period', async () => {
    await login('jiyuan')
    const card = page.locator('[data-test=todo-achievements_pending]')
    await card.waitFor()
    assert.ok(Number((await card.locator('[data-test=todo-count]').innerText()).trim()) >= 2)
    await menu('成果管理')
    await page.locator('[data-test=achievements-table]').waitFor()
    await openFromTable(TITLE)
    await page.locator('[data-test=act-review]').click()
    const review = page.locator('[data-test=move-review]')
    await review.waitFor()
    await review.locator('.el-radio', { hasText: '通过并公示' }).click()
    await review.locator('[data-test=move-ok]').click()
    await page.locator('[data-test=achievement-status]', { hasText: '公示中' }).waitFor()
    assert.match(await page.locator('[data-test=notice-period]').innerText(), /\d{4}-\d{2}-\d{2}/)
    await shot('4-in-notice')
    // On the market now: the 济源 enterprises of its 大类 that may take it up, each with why.
    const enterprises = page.locator('[data-test=achievement-enterprises]')
    await enterprises.scrollIntoViewIfNeeded()
    assert.match(await enterprises.innerText(), /同属行业大类 C32（有色金属冶炼和压延加工业）/)
    const firm = enterprises.locator('[data-test=partner-enterprises] [data-test=partner-row]').first()
    await firm.waitFor()
    assert.match(await firm.innerText(), /同属行业大类 C32（本单位行业代码 C32\d\d）|共同/)
    assert.match(await firm.locator('a[data-test=partner-name]').getAttribute('href'), /^\/organizations\/\d+$/)
    assert.ok((await enterprises.locator('[data-test=partner-row]').count()) >= 3)
    await enterprises.evaluate((el) => el.scrollIntoView({ block: 'start' }))
    await shot('4b-enterprises')

    await menu('成果管理')
    await openFromTable(OBJECTED)
    await page.locator('[data-test=act-resolve-1]').click()
    const resolve = page.locator('[data-test=move-resolve]')
    await resolve.waitFor()
    await resolve.locator('.el-radio', { hasText: '异议不成立' }).click()
    await resolve.locator('textarea').fill('经核查，该工艺的萃取剂配方已在2019年公开，不构成技术秘密')
    await resolve.locator('[data-test=move-ok]').click()
    await page.locator('[data-test=objections]', { hasText: '不构成技术秘密' }).waitFor()
    // Five days into a 15-day notice: no 挂牌 yet, and the page says why.
    assert.equal(await page.locator('[data-test=act-list]').count(), 0)
    assert.match(await page.locator('[data-test=listable-reason]').innerText(), /公示期/)
    await shot('5-resolved-waiting')
    await noProblems()
  })

  it('jiyuan: 需求大厅 suggests experts and 高校院所 for a demand, each with its reasons', async () => {
    await menu('需求大厅')
    await page.locator('[data-test=demands-table]').waitFor()
    await settled()
    const row = page.locator('[data-test=demands-table] tbody tr', { hasText: '铅冶炼烟气深度脱硫脱硝技术需求' }).first()
    await row.waitFor()
    await row.locator('[data-test=demand-match]').click()
    const drawer = page.locator('[data-test=demand-matches]')
    await drawer.locator('[data-test=match-row]').first().waitFor()
    await drawer.locator('.el-tabs__item', { hasText: '推荐专家' }).click()
    const experts = drawer.locator('[data-test=partners-experts]')
    const expert = experts.locator('[data-test=partner-row]').first()
    await expert.waitFor()
    assert.match(await expert.locator('[data-test=partner-reasons]').innerText(), /与需求共同的词：.*冶炼/)
    assert.match(await expert.locator('a[data-test=partner-name]').getAttribute('href'), /^\/persons\/\d+$/)
    assert.match(await drawer.locator('.el-tabs__item.is-active').innerText(), /推荐专家（\d+）/)
    await shot('6-demand-experts')
    await drawer.locator('.el-tabs__item', { hasText: '推荐机构' }).click()
    const institution = drawer.locator('[data-test=partners-institutions] [data-test=partner-row]').first()
    await institution.waitFor()
    assert.match(await institution.innerText(), /高等院校|科研院所/)
    await shot('7-demand-institutions')
    // The achievements' tab is as it was.
    await drawer.locator('.el-tabs__item', { hasText: '推荐成果' }).click()
    assert.match(await drawer.locator('[data-test=match-row]').first().innerText(), /冶炼烟气深度脱硫脱硝一体化技术/)
    await page.keyboard.press('Escape')
    await noProblems()
  })
})
