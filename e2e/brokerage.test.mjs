// Browser test of 技术经纪人 and 对接活动 against the real `kechuang` binary and a fresh 济源 demo
// (see harness.mjs), from the home page through the menu 技术市场:
//
//   officer jiyuan: 对接活动 → 新增: without an achievement or demand the form says it needs one;
//     one public achievement is picked from the 成果大厅 picker and the event saved; on its page
//     登记成效 → 签订合同 without a contract is refused in Chinese on the field; then a contract
//     signed after the event is picked (one signed before is offered greyed) and the outcome,
//     the contract and its 成交额 are shown. The list exports to xlsx.
//   技术经纪人 → a demo broker: its events and contracts are listed with the summary figures; a new
//     broker with a certificate already registered is refused with the conflict message.
//   enterprise qiye: 对接活动 is empty for it and offers no 新增.
//
// Every step fails on a page error, a console error or an unexpected error toast.
// Screenshots go to e2e/output/brokerage-*.png.
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { assertFits, base, login, menuIn, noProblems, page, problems, settled, setup, shot, tab, watchProblems } from './harness.mjs'

setup({ name: 'brokerage', acceptDownloads: true })
const menu = menuIn('技术市场')
const EVENT = 'E2E 新材料成果专场路演'

const input = (test) => page.locator(`input[data-test=${test}], textarea[data-test=${test}], [data-test=${test}] input, [data-test=${test}] textarea`).first()
async function choose(test, text) {
  await page.locator(`[data-test=${test}]`).first().click()
  await page.locator('.el-select-dropdown__item:visible', { hasText: text }).first().click()
}
/** Type into a remote-search picker and take the option with `text`. */
async function pick(test, typed, text) {
  await page.locator(`[data-test=${test}]`).first().click()
  await page.locator(`[data-test=${test}] input`).first().fill(typed)
  const option = page.locator('.el-select-dropdown__item:visible', { hasText: text }).first()
  await option.waitFor()
  await option.click()
  // Close the dropdown (a click beside it; Escape would close the dialog too).
  await page.locator('.el-dialog:visible .el-dialog__title').first().click()
  await page.locator('.el-select-dropdown:visible').first().waitFor({ state: 'hidden' }).catch(() => {})
  await page.locator(`[data-test=${test}] .el-tag`, { hasText: text.slice(0, 8) }).first().waitFor()
}
async function apiGet(path) {
  const r = await page.request.get(`${base}/api/v1${path}`)
  assert.equal(r.status(), 200, `${path}: ${await r.text()}`)
  return r.json()
}
/** `YYYY-MM-DD` `days` before `day`. */
function daysBefore(day, days) {
  const d = new Date(`${day}T00:00:00Z`)
  d.setUTCDate(d.getUTCDate() - days)
  return d.toISOString().slice(0, 10)
}
/** Forget what a step provoked on purpose (a refused form), after checking it was only that. */
async function forgetExpected(allowed) {
  const toasts = await page.evaluate(() => JSON.parse(sessionStorage.getItem('kc-error-toasts') ?? '[]'))
  for (const p of [...problems, ...toasts]) assert.match(p, allowed, `unexpected: ${p}`)
  problems.length = 0
  await page.evaluate(() => sessionStorage.removeItem('kc-error-toasts'))
}

describe('对接活动与技术经纪人', () => {
  it('jiyuan: records an event with a public achievement and its outcome', async () => {
    await watchProblems()
    await login('jiyuan')
    const today = new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10)
    // A public achievement to pick, and the newest contract the officer sees: the event is dated
    // before it, so it may count as the event's outcome.
    const hall = await apiGet('/achievements?hall=true&size=5')
    assert.ok(hall.items.length > 0, 'the demo has public achievements')
    const ach = hall.items[0]
    const contracts = (await apiGet('/contracts?size=100')).items.filter((c) => c.signed_on && c.signed_on <= today)
    contracts.sort((a, b) => b.signed_on.localeCompare(a.signed_on))
    const contract = contracts[0]
    const heldOn = contract ? daysBefore(contract.signed_on, 5) : daysBefore(today, 10)
    const earlier = contracts.find((c) => c.signed_on < heldOn)

    await menu('对接活动')
    await page.locator('[data-test=events-table]').waitFor()
    await settled()
    assert.ok((await page.locator('[data-test=events-table] tbody tr').count()) > 0, 'the demo has events')
    await assertFits()
    await shot('1-events')
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-test=events-export]').click()])
    assert.match(download.suggestedFilename(), /^对接活动_\d{8}\.xlsx$/)

    await page.locator('[data-test=event-add]').click()
    const form = page.locator('[data-test=event-form]')
    await form.waitFor()
    await input('ef-title').fill(EVENT)
    await choose('ef-kind', '成果路演')
    const held = form.locator('.el-form-item', { hasText: '活动日期' }).locator('input')
    await held.fill(heldOn)
    await held.press('Enter')
    await input('ef-place').fill('济源市科技大厦三楼报告厅')
    await input('ef-organizer').fill('济源市科学技术局')
    // Nothing to match yet: the form says so before anything is sent.
    await page.locator('[data-test=ef-save]').click()
    await form.locator('.el-form-item__error', { hasText: '请至少关联一项科技成果或技术需求' }).waitFor()
    await pick('ef-achievements', ach.title.slice(0, 4), ach.title)
    await form.locator('.el-form-item__error', { hasText: '请至少关联一项' }).waitFor({ state: 'detached' })
    await shot('2-event-form')
    await page.locator('[data-test=ef-save]').click()
    await page.waitForURL(/\/market\/events\/\d+$/)
    await page.locator('[data-test=event-title]', { hasText: EVENT }).waitFor()
    await page.locator('[data-test=event-outcome]', { hasText: '待反馈' }).waitFor()
    await page.locator('[data-test=links-achievements] a', { hasText: ach.title }).waitFor()
    await settled()
    await assertFits()
    await shot('3-event-created')

    await page.locator('[data-test=act-outcome]').click()
    const dlg = page.locator('[data-test=outcome-dialog]')
    await dlg.waitFor()
    // 签订合同 without a contract: refused on the contracts field, in Chinese.
    await dlg.locator('[data-test=od-outcome-signed]').click()
    await page.locator('[data-test=od-save]').click()
    await dlg.locator('.el-form-item__error', { hasText: '成效为“签订合同”时，请关联至少一份技术合同' }).waitFor()
    await shot('4-outcome-needs-contract')

    if (contract) {
      // A contract signed before the event is offered greyed, not chosen.
      if (earlier) {
        await page.locator('[data-test=od-contracts]').click()
        await page.locator('[data-test=od-contracts] input').first().fill(earlier.contract_no)
        const greyed = page.locator('.el-select-dropdown__item:visible', { hasText: earlier.contract_no }).first()
        await greyed.waitFor()
        assert.match((await greyed.getAttribute('class')) ?? '', /is-disabled/)
        assert.match(await greyed.innerText(), /早于活动日期/)
        await shot('5-contract-before-event')
        await page.locator('.el-dialog:visible .el-dialog__title').first().click()
      }
      await pick('od-contracts', contract.contract_no, contract.contract_no)
      await dlg.locator('[data-test=od-intents] input').fill('1')
      await input('od-note').fill('路演后双方签订技术合同')
      await dlg.locator('.el-form-item__error').first().waitFor({ state: 'detached' })
      await shot('6-outcome-dialog')
      await page.locator('[data-test=od-save]').click()
      await dlg.waitFor({ state: 'hidden' })
      await page.locator('[data-test=event-outcome]', { hasText: '签订合同' }).waitFor()
      const row = page.locator('[data-test=event-contracts] tbody tr', { hasText: contract.contract_no })
      await row.waitFor()
      assert.match((await row.innerText()).replace(/,/g, ''), new RegExp((Number(contract.total_amount) / 10000).toFixed(2)))
      if (contract.status === 'registered') {
        const total = (await page.locator('[data-test=result-turnover]').innerText()).replace(/,/g, '')
        assert.equal(total, (Number(contract.total_amount) / 10000).toFixed(2))
      }
    } else {
      // No contract in the demo: an intent with its number instead.
      await dlg.locator('[data-test=od-outcome-intent]').click()
      await dlg.locator('[data-test=od-intents] input').fill('2')
      await page.locator('[data-test=od-save]').click()
      await dlg.waitFor({ state: 'hidden' })
      await page.locator('[data-test=event-outcome]', { hasText: '达成意向' }).waitFor()
      assert.equal((await page.locator('[data-test=result-intents]').innerText()).trim(), '2')
    }
    await settled()
    await assertFits()
    await shot('7-outcome-recorded')
    await noProblems()
  })

  it('jiyuan: a demo broker shows its events and contracts; a certificate already registered is refused', async () => {
    // The demo broker with the most events (and contracts).
    const brokers = (await apiGet('/brokers?size=100')).items
    let best = null
    for (const b of brokers) {
      const v = await apiGet(`/brokers/${b.id}`)
      if (v.events.length && v.contracts.length && (!best || v.events.length > best.events.length)) best = v
    }
    assert.ok(best, 'the demo has a broker with events and contracts')

    await menu('技术经纪人')
    await page.locator('[data-test=brokers-table]').waitFor()
    await settled()
    await assertFits()
    await shot('8-brokers')
    await page.locator('[data-test=brokers-table] a', { hasText: best.name }).first().click()
    await page.waitForURL(/\/market\/brokers\/\d+$/)
    await page.locator('[data-test=broker-title]', { hasText: best.name }).waitFor()
    await settled()
    assert.equal((await page.locator('[data-test=sum-events]').innerText()).replace(/\D/g, ''), String(best.events.length))
    assert.equal((await page.locator('[data-test=sum-contracts]').innerText()).replace(/\D/g, ''), String(best.contracts.length))
    const events = page.locator('[data-test=broker-events] tbody tr.el-table__row')
    assert.equal(await events.count(), best.events.length)
    await events.first().locator('a').waitFor()
    await assertFits()
    await shot('9-broker-detail')
    await tab('经手合同')
    const contracts = page.locator('[data-test=broker-contracts] tbody tr.el-table__row')
    await contracts.first().waitFor()
    assert.equal(await contracts.count(), best.contracts.length)
    assert.match(await page.locator('[data-test=broker-contracts]').innerText(), new RegExp(best.contracts[0].contract_no))
    await shot('10-broker-contracts')
    await noProblems()

    // A second broker with the same certificate (typed in lower case) is refused.
    await menu('技术经纪人')
    await page.locator('[data-test=brokers-table]').waitFor()
    await page.locator('[data-test=broker-add]').click()
    const form = page.locator('[data-test=broker-form]')
    await form.waitFor()
    await input('bf-name').fill('李明轩')
    await input('bf-cert').fill(best.certificate_no.toLowerCase())
    await choose('bf-level', '初级技术经纪人')
    await form.locator('[data-test=bf-areas] .el-checkbox', { hasText: '新材料' }).click()
    await page.locator('[data-test=bf-save]').click()
    const err = form.locator('.el-form-item__error', { hasText: '已登记' })
    await err.waitFor()
    assert.equal((await err.innerText()).trim(), `证书编号“${best.certificate_no}”已登记`)
    await shot('11-duplicate-certificate')
    await forgetExpected(/409|已登记/)
    await page.keyboard.press('Escape')
    await noProblems()
  })

  it('qiye: an enterprise sees no events and cannot add one', async () => {
    await login('qiye')
    await menu('对接活动')
    await page.locator('[data-test=events-table]').waitFor()
    await settled()
    await page.locator('[data-test=events-table] .el-empty', { hasText: '暂无对接活动' }).waitFor()
    assert.equal(await page.locator('[data-test=event-add]').count(), 0)
    await noProblems()
  })
})
