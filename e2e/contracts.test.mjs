// Browser test of 技术合同认定登记 (issue 15) against the real `kechuang` binary and a fresh 济源
// demo (see harness.mjs), each role from its home page, through the menu:
//
//   enterprise qiye: home shows the contract sent back for correction; 技术市场 → 技术合同登记 →
//     新增登记申请: the form estimates the 技术交易额, a bad credit code is refused on its field,
//     the draft is saved, the signed PDF uploaded (its SHA-256 shown) and submitted.
//   registrar dengji: home lists what waits with its deadline; opens qiye's contract from the
//     list, the 审核 dialog previews the pack's decision before anything is written (退回补正 when
//     the price is unclear, 予以登记 when clean), registers it: number, 核定技术交易额, 登记证明.
//     A sale contract (设备买卖合同) is refused and the reason is shown.
//   officer jiyuan: the plan indicator 技术合同成交额 of this year rose by exactly the registered
//     成交额 (not the 技术交易额); 技术合同统计 shows both amounts.
//
// Every step fails on a page error, a console error or an error toast.
// Screenshots go to e2e/output/contracts-*.png.
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { base, login, menuIn, noProblems, page, settled, setup, shot, tmp, toast, watchProblems } from './harness.mjs'

setup({ name: 'contracts', acceptDownloads: true })
const menu = menuIn('技术市场')
const NO = 'E2E-HT-001'
const TOTAL = 1_800_000
const NON_TECH = 300_000

async function apiGet(path) {
  const r = await page.request.get(`${base}/api/v1${path}`)
  assert.equal(r.status(), 200, `${path}: ${await r.text()}`)
  return r.json()
}

async function turnoverThisYear() {
  const y = new Date().getFullYear()
  const series = await apiGet(`/indicators/dashboard?region=419001&from=${y}&to=${y}`)
  const ind = series.find((s) => s.key === 'technology_contract_turnover')
  return ind.points.find((p) => p.year === y)?.value ?? 0
}

function creditCode(region, serial) {
  const CH = '0123456789ABCDEFGHJKLMNPQRTUWXY'
  const W = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
  const head = `91${region}${String(serial).padStart(9, '0')}`
  const sum = [...head].reduce((s, c, i) => s + CH.indexOf(c) * W[i], 0)
  return head + CH[(31 - (sum % 31)) % 31]
}

// el-input puts the attribute on the <input> itself; wrappers (date pickers) hold one inside.
const input = (test) => page.locator(`input[data-test=${test}], [data-test=${test}] input`).first()
async function choose(test, text) {
  await page.locator(`[data-test=${test}]`).click()
  await page.locator('.el-select-dropdown__item:visible', { hasText: text }).first().click()
}
async function openRow(text) {
  await input('contracts-q').fill(text)
  await page.locator('[data-test=contracts-search]').click()
  await settled()
  const row = page.locator('[data-test=contracts-table] tbody tr', { hasText: text }).first()
  await row.waitFor()
  await row.click()
  await page.waitForURL(/\/market\/contracts\/\d+$/)
  await page.locator('[data-test=contract-title]').waitFor()
  await settled()
}

let before = 0

describe('技术合同认定登记：卖方、登记员、科技局', () => {
  it('qiye: sees the returned contract, applies for a new one, uploads the text and submits', async () => {
    await watchProblems()
    await login('jiyuan')
    before = await turnoverThisYear()
    await login('qiye')
    const card = page.locator('[data-test=todo-contracts_returned]')
    await card.waitFor()
    assert.equal((await card.locator('[data-test=todo-count]').innerText()).trim(), '1')
    await shot('1-home-enterprise')

    await menu('技术合同登记')
    await page.locator('[data-test=contracts-table]').waitFor()
    await settled()
    await page.locator('[data-test=contract-add]').click()
    const form = page.locator('[data-test=contract-form]')
    await form.waitFor()
    await input('cf-contract-no').fill(NO)
    await input('cf-subject').fill('高纯铅电解液净化工艺委托开发')
    await choose('cf-category', '技术开发')
    await choose('cf-subcategory', '委托开发')
    await choose('cf-field', '新材料')
    await input('cf-buyer-name').fill('郑州某新材料有限公司')
    // A wrong check character is refused on its field, before anything is stored.
    const good = creditCode('410100', 777)
    await input('cf-buyer-code').fill(good.slice(0, 17) + (good[17] === '0' ? '1' : '0'))
    await input('cf-total').fill(String(TOTAL))
    await input('cf-non-tech-amount').fill(String(NON_TECH))
    const signed = page.locator('[data-test=contract-form] .el-form-item', { hasText: '签订日期' }).locator('input')
    const today = new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10)
    await signed.fill(today)
    await signed.press('Enter')
    const estimate = await page.locator('[data-test=cf-estimate]').innerText()
    assert.match(estimate.replace(/,/g, ''), /150/, `the 技术交易额 estimate: ${estimate}`)
    await page.locator('[data-test=cf-save]').click()
    await form.locator('.el-form-item__error', { hasText: '校验' }).first().waitFor()
    await shot('2-form-error')
    await input('cf-buyer-code').fill(good)
    await page.locator('[data-test=cf-save]').click()
    await page.waitForURL(/\/market\/contracts\/\d+$/)
    await page.locator('[data-test=contract-status]', { hasText: '草稿' }).waitFor()
    await page.locator('[data-test=need-file]').waitFor()

    const file = join(tmp, '技术开发合同.pdf')
    writeFileSync(file, '%PDF-1.4\n% e2e contract text\n%%EOF\n')
    const sha = createHash('sha256').update(readFileSync(file)).digest('hex')
    await page.locator('[data-test=act-upload] input[type=file]').setInputFiles(file)
    await page.locator('[data-test=contract-sha]', { hasText: sha }).waitFor()
    await page.locator('[data-test=act-submit]').click()
    const box = page.locator('.el-message-box')
    if (await box.isVisible().catch(() => false)) await box.locator('.el-message-box__btns .el-button--primary').click()
    await page.locator('[data-test=contract-status]', { hasText: '待登记' }).waitFor()
    await shot('3-submitted')
    await noProblems()
  })

  it('dengji: previews the decision, registers the contract and prints the 登记证明', async () => {
    await login('dengji')
    const card = page.locator('[data-test=todo-contracts_submitted]')
    await card.waitFor()
    assert.ok(Number((await card.locator('[data-test=todo-count]').innerText()).trim()) >= 4)
    await shot('4-home-registrar')
    await menu('技术合同登记')
    await page.locator('[data-test=contracts-table]').waitFor()
    await openRow(NO)
    await page.locator('[data-test=act-decide]').click()
    const dlg = page.locator('[data-test=decide-dialog]')
    await dlg.waitFor()
    await dlg.locator('[data-test=decide-decision]', { hasText: '予以登记' }).waitFor()
    // An unclear price: the preview says 退回补正 and why, nothing is written yet.
    await dlg.locator('[data-test=finding-price_clear]').click()
    await dlg.locator('[data-test=decide-decision]', { hasText: '退回补正' }).waitFor()
    assert.match(await dlg.locator('[data-test=decide-result]').innerText(), /价款/)
    await shot('5-preview-correct')
    await dlg.locator('[data-test=finding-price_clear]').click()
    await dlg.locator('[data-test=decide-decision]', { hasText: '予以登记' }).waitFor()
    assert.match((await dlg.locator('[data-test=decide-technical]').innerText()).replace(/,/g, ''), /1500000|150/)
    await dlg.locator('[data-test=decide-ok]').click()
    await page.locator('[data-test=contract-status]', { hasText: '已登记' }).waitFor()
    const regno = (await page.locator('[data-test=result-regno]').innerText()).trim()
    const yy = String(new Date().getFullYear() % 100).padStart(2, '0')
    assert.match(regno, new RegExp(`^${yy}4190\\d{8}$`))
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-test=act-certificate]').click()])
    assert.match(download.suggestedFilename(), /技术合同登记证明/)
    await shot('6-registered')

    // A sale contract is refused, and the reason says so.
    await menu('技术合同登记')
    await openRow('JY2026-Q03')
    await page.locator('[data-test=act-decide]').click()
    await dlg.locator('[data-test=decide-decision]', { hasText: '不予登记' }).waitFor()
    await dlg.locator('[data-test=decide-ok]').click()
    await page.locator('[data-test=contract-status]', { hasText: '不予登记' }).waitFor()
    assert.match(await page.locator('[data-test=result-reasons]').innerText(), /非技术合同/)
    await shot('7-refused')
    await noProblems()
  })

  it('jiyuan: the indicator rose by the 成交额 and the statistics show both amounts', async () => {
    await login('jiyuan')
    const after = await turnoverThisYear()
    assert.ok(Math.abs(after - before - TOTAL / 10000) < 1e-6, `技术合同成交额 ${before} → ${after} 万元`)
    await menu('技术合同统计')
    await page.locator('[data-test=stats-cards]').waitFor()
    await settled()
    const cards = await page.locator('[data-test=stats-cards]').innerText()
    assert.match(cards, /成交额/)
    assert.match(cards, /技术交易额/)
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-test=stats-export]').click()])
    assert.match(download.suggestedFilename(), /^技术合同统计_\d{8}\.xlsx$/)
    await shot('8-stats')
    await noProblems()
  })
})
